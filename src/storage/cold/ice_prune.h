/*
** storage/cold/ice_prune.h — what scan planning's constraints (ice_pred)
** say about a manifest, a partition tuple and a data file's column
** metrics; used by ice_scan.c (see ice_scan_plan_pruned there for the
** stages) and nothing else.
**
**   ice_prune *pr = ice_prune_new(arena, meta, schema, preds, n);
**   if (!ice_prune_manifest(pr, spec_id, list_schema, list_record)) skip it;
**   switch (ice_prune_entry(pr, spec_id, part_type, tuple, df_schema, df, rows, true)) ...
**
** Every answer is conservative: "may match" whenever something cannot be
** told (a value that does not decode, a type the comparison does not
** cover, a transform that has no projection for the constraint), and
** ICE_PRUNE_ALL_MATCH only when partition values or bounds prove every
** row satisfies every constraint.  Partition values follow the spec's
** inclusive projections: identity as is, bucket[N] for = and IN,
** truncate[W] and year/month/day/hour for ranges made inclusive (both are
** monotonic, so lo <= x implies t(lo) <= t(x)), every transform but void
** keeps NULL and non-NULL apart.  Time projections whose bound falls
** before 1970 are widened by one unit, as Java's reader does, for files
** of writers that rounded pre-1970 values toward zero.
**
** Names: ice_prune_ prefix.  Everything lives in the arena passed in.
*/
#ifndef ORB_STORAGE_COLD_ICE_PRUNE_H
#define ORB_STORAGE_COLD_ICE_PRUNE_H

#include "storage/cold/ice_scan.h"

typedef struct ice_prune ice_prune;

typedef enum ice_prune_verdict {
  ICE_PRUNE_KEEP,                /* some row may match */
  ICE_PRUNE_ALL_MATCH,           /* every row matches every constraint */
  ICE_PRUNE_BY_PARTITION,        /* no row can match: the partition tuple says so */
  ICE_PRUNE_BY_METRICS           /* no row can match: column bounds or counts say so */
} ice_prune_verdict;

/* The constraints prepared against schema s (the snapshot's): constants
** brought to each column's type where transforms need them.  NULL when
** there are none (then nothing is pruned). */
ice_prune *ice_prune_new(orb_arena *a, const ice_meta *m, const ice_schema *s, const ice_pred *preds, int npreds);

/* Free what ice_prune_new kept beyond the arena (p may be NULL). */
void ice_prune_free(ice_prune *p);

/* Whether manifest list record rec (schema ls) of a manifest written with
** spec spec_id may hold a matching file, by its partition summaries
** (field 507) and added/existing file counts (504/505). */
bool ice_prune_manifest(ice_prune *p, int32_t spec_id, const avro_schema *ls, const avro_value *rec);

/* The entries judged next come from another manifest (another reader's
** schema): forget where its metric maps were in the last one's data_file
** record (looked up once per manifest, not per entry). */
void ice_prune_next_manifest(ice_prune *p);

/* The verdict on one manifest entry: its partition tuple (NULL when it
** has none) and, for a data file (`data`), the data_file record's column
** metrics (dfs/df) and record count.  Delete files are judged by their
** partition only. */
ice_prune_verdict ice_prune_entry(ice_prune *p, int32_t spec_id, const avro_schema *part_type, const avro_value *tuple,
                                  const avro_schema *dfs, const avro_value *df, int64_t records, bool data);

#endif
