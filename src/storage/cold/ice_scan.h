/*
** storage/cold/ice_scan.h — Iceberg scan planning: which data files a
** snapshot holds and which delete files apply to each.
**
** From a snapshot (the table's current one, or one given by id) the planner
** reads the manifest list and every manifest it names (Avro, fields matched
** by field id, so v1 and v2 field sets and writers that name fields
** differently all read), and keeps the live entries (status EXISTING or
** ADDED): data files with their partition tuple and record count, and
** delete files.  Following apache/iceberg format/spec.md:
**
**   - an entry's null sequence_number / file_sequence_number / snapshot_id
**     is inherited from its manifest (manifest list fields 515 and 503);
**     v1 tables have sequence number 0 everywhere;
**   - a position delete file applies to data files of data sequence number
**     <= its own, an equality delete file to those of a number < its own;
**   - both only within their partition (same spec id and equal partition
**     tuple), unless the delete's spec is unpartitioned (a global delete);
**   - a position delete file with referenced_data_file applies to that one
**     data file only.
**
** Every path is re-rooted onto the table folder (ice_reroot) so that a
** table copied or mounted elsewhere still reads; the original path is kept
** too, because position delete files name data files by it.
**
**   ice_plan p;
**   if (ice_scan_plan(arena, &meta, table_dir, -1, &p, &err) != ORB_OK) ...
**   for (int i = 0; i < p.nfiles; i++) ... p.files[i].path, p.files[i].deletes ...
**
** Untrusted input: manifests are read with the Avro reader's limits, a
** required field that is missing or of the wrong kind is an error naming
** the manifest and the field, and the number of files is bounded by what
** the manifests hold.  Delete vectors (v3) never get here: format version 3
** is refused by ice_meta.
**
** Ownership: everything in an ice_plan lives in the arena passed in.
*/
#ifndef ORB_STORAGE_COLD_ICE_SCAN_H
#define ORB_STORAGE_COLD_ICE_SCAN_H

#include "formats/avro/avro.h"
#include "storage/cold/ice_meta.h"
#include "formats/parquet/parquet.h"

/* --- constraints for pruning ---------------------------------------------- */

/* One constraint of a filter on a top-level column named by field id, as
** pq_pred has them (the ANDed conjuncts of a WHERE clause): lo <(=) col
** <(=) hi with either side open, col IN (values) (equality is a set of
** one; NULL elements match nothing), col IS NULL, col IS NOT NULL, one
** of several RANGE and IN constraints on the column (ANY), or an AND or OR
** of constraints on several columns (a file is ruled out when every branch
** of an OR rules it out).  Values
** are SQL values comparable with the column's SQL type (any numeric with
** a numeric column, else the same type); a constraint whose values are not
** is simply not used, which is always sound. */
typedef enum ice_pred_kind {
  ICE_PRED_RANGE,
  ICE_PRED_IN,
  ICE_PRED_IS_NULL,
  ICE_PRED_NOT_NULL,
  ICE_PRED_ANY,
  ICE_PRED_AND,                  /* every one of `any` holds (constraints on any columns); field_id -1 */
  ICE_PRED_OR                    /* one of `any` holds (an OR across columns, pq_pred_expr.h); field_id -1 */
} ice_pred_kind;

typedef struct ice_pred {
  int32_t field_id;
  ice_pred_kind kind;
  bool has_lo, has_hi, lo_incl, hi_incl;
  orb_value lo, hi;              /* RANGE */
  const orb_value *in;           /* IN */
  int nin;
  const struct ice_pred *any;    /* ANY: the column satisfies one of these RANGE or IN constraints;
                                 ** AND, OR: the operands */
  int nany;
  bool loose;                    /* holds for more rows than the filter (ILIKE, pq_pred.loose): it
                                 ** may rule files out, never prove that every row matches */
} ice_pred;

/* Parquet pruning constraint p (pq_pred_expr.h) by field id: column c is
** field field_ids[c] (-1 beyond nids: a constraint not used); ANY's
** alternatives and AND's and OR's operands are copied into a. */
void ice_pred_from_pq(orb_arena *a, const pq_pred *p, const int32_t *field_ids, int nids, ice_pred *out);

/* data_file.content */
enum { ICE_CONTENT_DATA = 0, ICE_CONTENT_POS_DELETES = 1, ICE_CONTENT_EQ_DELETES = 2 };

typedef struct ice_file ice_file;

/* One live file of the snapshot (data or delete). */
struct ice_file {
  int content;                   /* ICE_CONTENT_* */
  const char *path;              /* re-rooted onto the table folder when under its location */
  const char *orig_path;         /* as written in the manifest */
  bool outside;                  /* not under the table's location: path is orig_path */
  const char *format;            /* "PARQUET", "AVRO", "ORC" (upper-cased) */
  int32_t spec_id;
  const avro_schema *partition_type;   /* the manifest's partition struct (r102) */
  const avro_value *partition;   /* the tuple, a record of partition_type */
  int64_t record_count;
  int64_t file_size;
  int64_t seq;                   /* data sequence number (inherited when null) */
  int64_t snapshot_id;
  int32_t *equality_ids;         /* equality deletes: field ids */
  int nequality_ids;
  const char *referenced_data_file;    /* position deletes: NULL when absent */
  ice_file **deletes;            /* data files: the delete files that apply */
  int ndeletes;
  bool all_match;                /* planned with constraints: every row of the file satisfies all
                                    of them (shown by its partition values or column bounds) */
};

typedef struct ice_plan {
  const ice_meta *meta;
  const ice_snapshot *snapshot;  /* NULL: the table has no snapshot (no rows) */
  const ice_schema *schema;      /* the snapshot's schema (else the current one) */
  ice_file *files;               /* live data files, in manifest order */
  int nfiles;
  ice_file *delete_files;        /* live delete files */
  int ndelete_files;
  int nmanifests;                /* manifests the manifest list names */
  int64_t records;               /* sum of the data files' record counts */
  bool any_deletes;              /* some delete file applies to some data file */
  /* What constraints pruned (ice_scan_plan_pruned), for EXPLAIN ANALYZE. */
  int nmanifests_skipped;        /* by the manifest list's partition summaries or file counts */
  int64_t files_skipped_partition;   /* data files whose partition tuple rules them out */
  int64_t files_skipped_metrics;     /* data files whose column bounds and counts rule them out */
  int64_t deletes_skipped;       /* delete files of partitions ruled out */
  int64_t files_all_match;       /* data files every row of which satisfies the constraints */
} ice_plan;

/* Plan a scan of snapshot `snapshot_id` (-1: the current one) of table
** metadata m, whose folder is table_dir (paths re-rooted onto it).  An
** unknown snapshot id is ORB_ERR_UNDEFINED. */
orb_status ice_scan_plan(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id, ice_plan *out,
                         orb_err *e);

/* ice_scan_plan with constraints (preds, ANDed; npreds may be 0) that
** prune, following the spec's "Scan Planning":
**   1. manifests whose partition summaries (manifest list field 507:
**      contains_null, contains_nan, lower and upper bound per partition
**      field) cannot hold a matching partition, and manifests with no
**      live files (added and existing file counts both 0);
**   2. entries whose partition tuple fails the constraint's inclusive
**      projection through the field's transform: identity as is, bucket
**      for = and IN, truncate and year/month/day/hour for ranges (bounds
**      made inclusive: x > 5 only implies truncate(x) >= truncate(5)),
**      IS [NOT] NULL through every transform but void; delete files of
**      such partitions go too (they apply only within it, and an
**      unpartitioned spec has nothing to project);
**   3. data files whose column metrics rule them out: lower/upper bounds
**      (fields 125/128, read by ice_value_deserialize; truncated bounds are
**      still bounds), null and value counts (110/109: all null, or no
**      null for IS NULL), and for float columns only when the NaN count
**      (137) is known to be 0 (bounds leave NaN out).
** Files kept whose partition values or bounds show that every row
** satisfies every constraint get all_match (bounds within the range, or
** lower = upper = the value for =; no NULLs; no NaNs). */
orb_status ice_scan_plan_pruned(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id,
                                const ice_pred *preds, int npreds, ice_plan *out, orb_err *e);

/* The live rows of snapshot snapshot_id (-1: the current one) of table
** metadata m from its manifest list alone: the sum of each data manifest's
** added_rows_count and existing_rows_count (the rows of its ADDED and
** EXISTING entries, the live ones), which is what planning would sum from
** the entries' record counts.  *known is false — and the caller plans —
** when the list cannot tell: a delete manifest is listed (deletes may
** apply), or a manifest lacks a count (optional in v1) or gives a negative
** one.  A table with no snapshot has 0 rows.  One small file read instead
** of every manifest: count(*) on a table of many appends. */
orb_status ice_scan_count_rows(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id, int64_t *rows,
                               bool *known, orb_err *e);

/* Open the table at `where` (a table folder or a metadata file, as
** ice_meta_open finds it) into m and plan snapshot_id of it.  The folder
** paths are re-rooted onto is the metadata file's folder's parent when that
** folder is named "metadata", else the metadata file's folder. */
orb_status ice_scan_open(orb_arena *a, const char *where, int64_t snapshot_id, ice_meta *m, ice_plan *out, orb_err *e);
/* ice_scan_open with constraints, as ice_scan_plan_pruned. */
orb_status ice_scan_open_pruned(orb_arena *a, const char *where, int64_t snapshot_id, const ice_pred *preds, int npreds,
                                ice_meta *m, ice_plan *out, orb_err *e);

/* Plan from one manifest given as a file image, as if a manifest list named
** it with that spec id, sequence number and added snapshot id (tests,
** fuzzing): its live entries and the delete files that apply to each. */
orb_status ice_scan_manifest_image(orb_arena *a, const ice_meta *m, const void *img, size_t len, int32_t spec_id,
                                   int64_t seq, int64_t snapshot_id, ice_plan *out, orb_err *e);
/* The same with constraints (stages 2 and 3 of ice_scan_plan_pruned). */
orb_status ice_scan_manifest_image_pruned(orb_arena *a, const ice_meta *m, const void *img, size_t len, int32_t spec_id,
                                          int64_t seq, int64_t snapshot_id, const ice_pred *preds, int npreds,
                                          ice_plan *out, orb_err *e);

/* The partition tuple's value of partition field `field_id`, NULL when the
** tuple has no such field. */
const avro_value *ice_partition_value(const ice_file *f, int32_t field_id);

#endif
