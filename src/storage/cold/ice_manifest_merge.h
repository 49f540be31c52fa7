/*
** storage/cold/ice_manifest_merge.h — writing existing manifests again as
** fewer, larger ones.  Three callers:
**
**   - every new snapshot (ice_snapshot_commit), as Java's merging snapshot
**     producers do (MergeAppend, the default append, and the delete,
**     overwrite and replace operations): ice_manifests_merge_on_commit;
**   - CALL rewrite_manifests (ice_rewrite_manifests.c): every data manifest
**     written again into manifests of the target size;
**   - compaction (ice_rewrite.c): the manifests that held replaced files
**     written again with those entries DELETED.
**
** How entries are written, per format/spec.md ("Manifests", "Sequence
** Number Inheritance") and as Java's ManifestMergeManager does: an entry
** the new snapshot ADDED (or DELETED) stays ADDED (DELETED) with what it
** had; an entry DELETED by an earlier snapshot is dropped (its snapshot
** already recorded the delete); every other entry becomes EXISTING,
** keeping its snapshot id, and its data and file sequence numbers are
** written out (they were inherited from the manifest that held it, which
** changes).  An entry whose file is in `gone` is written DELETED by the
** new snapshot instead (compaction).  The manifest list entry of a merged
** manifest gets the new snapshot as added_snapshot_id, its counts from
** the entries written, min_sequence_number the least data sequence
** number of a live entry, and partition summaries the union of its
** members' (null and NaN flags or-ed, the lowest lower and highest upper
** bound compared as the partition field's type; a member without a bound
** leaves none), so planning still skips it.
**
** Only manifests of one partition spec and one content are merged into
** one (data and delete manifests never mix); manifests whose Avro schemas
** differ (another writer's field names) go to separate outputs.  Outputs
** are named metadata/<prefix>-<n>.avro; the caller removes them (with
** ice_merge_remove_written) when its commit attempt does not happen.
**
** Names: ice_ prefix (DESIGN.md).
*/
#ifndef ORB_STORAGE_COLD_ICE_MANIFEST_MERGE_H
#define ORB_STORAGE_COLD_ICE_MANIFEST_MERGE_H

#include "storage/cold/ice_maint_int.h"
#include "storage/cold/ice_write_int.h"

typedef struct ice_merge_ctx {
  /* set by the caller */
  const char *table_dir;
  const ice_meta *base;          /* the metadata the new snapshot is built on */
  int64_t snapshot_id, seq;      /* the new snapshot's id and sequence number */
  const ice_pathset *gone;       /* NULL, or local paths whose live entries are written DELETED */
  int64_t max_entries;           /* > 0: an output manifest holds at most this many entries */
  const char *prefix;            /* outputs: metadata/<prefix>-<n>.avro */
  const ice_maint_opts *progress;   /* NULL, or reports "rewrite_manifests" per manifest read */
  int64_t progress_total;
  /* results */
  const char **written;          /* local paths of the outputs (heap array) */
  int nwritten, capwritten;
  int hits;                      /* live entries found in gone */
  int64_t entries;               /* entries read (the summary's entries-processed) */
  int64_t manifests_read;
} ice_merge_ctx;

/* Write the n manifests `members` (list entries of one spec and content)
** again as one manifest, or several when max_entries or their schemas
** say so; *out / *nout get the outputs' list entries (from a).  An output
** that would hold no entry is not written. */
orb_status ice_manifests_merge(orb_arena *a, ice_merge_ctx *c, const ice_manifest_ref *members, int n,
                               ice_manifest_ref **out, int *nout, orb_err *e);

/* A new commit attempt on metadata base: the last attempt's outputs are
** removed, the sequence number is base's next, outputs are named
** metadata/<prefix>-<n>.avro, and the per-attempt counts start again. */
void ice_merge_attempt(ice_merge_ctx *c, const ice_meta *base, const char *prefix);

/* Append n list entries to the array *v of *len entries and capacity *cap
** (grown in arena a). */
void ice_manifest_refs_add(orb_arena *a, ice_manifest_ref **v, int *len, int *cap, const ice_manifest_ref *add, int n);

/* Remove the outputs written so far (an attempt that did not commit). */
void ice_merge_remove_written(ice_merge_ctx *c);
void ice_merge_ctx_free(ice_merge_ctx *c);

/* The table properties that govern merging on commit, with Java's
** defaults: commit.manifest-merge.enabled (true),
** commit.manifest.min-count-to-merge (100),
** commit.manifest.target-size-bytes (8 MiB). */
typedef struct ice_merge_policy {
  bool enabled;
  int64_t min_count;
  int64_t target_bytes;
} ice_merge_policy;

orb_status ice_merge_policy_of(const ice_meta *m, ice_merge_policy *p, orb_err *e);

#define ICE_MANIFEST_TARGET_BYTES_DEFAULT ((int64_t)8 << 20)
#define ICE_MANIFEST_MIN_MERGE_DEFAULT 100

/* Java's ManifestMergeManager over the new snapshot's manifest list
** `refs` (its own new manifests first, then what carries forward): data
** and delete manifests apart, grouped by partition spec (highest id
** first), each group packed by manifest_length into bins of target_bytes
** from its end (lookback 1: order kept, the under-filled bin is the first,
** merged next time).  A bin of one manifest stays; a bin holding the
** first manifest of its content is merged only when it has min_count
** manifests or more; other bins of two or more are merged.  Manifests
** outside the table's location are never rewritten.  *out / *nout: the
** resulting list (from a; refs itself when nothing merges). */
orb_status ice_manifests_merge_on_commit(orb_arena *a, ice_merge_ctx *c, const ice_merge_policy *p,
                                         const ice_manifest_ref *refs, int n, ice_manifest_ref **out, int *nout,
                                         orb_err *e);

#endif
