/*
** storage/cold/ice_commit.h — the one way a change reaches an Iceberg
** table: build the next metadata on the current one, publish it as version
** N+1 with no overwrite (ice_meta_commit), and when another writer published
** first, reload and build again after a randomized exponential backoff.
**
** Two kinds of change go through it:
**
**   - a metadata change that adds no snapshot (a new schema, a partition
**     spec, properties, snapshots expired): ice_meta_update calls the
**     caller's edit function on the freshly loaded current metadata each
**     attempt, so the edit is re-applied to whatever the winner committed
**     (or refused, when it no longer makes sense there);
**
**   - a new snapshot (append, delete, overwrite, replace): the caller writes
**     its data files, delete files and manifests once; ice_snapshot_commit
**     rebuilds only the manifest list and the metadata per attempt, on
**     whatever the current snapshot then is (ice_append.c, ice_rowdelta.c).
**
** Retry policy, from table properties as Java's writer reads them:
** commit.retry.num-retries (default 4), commit.retry.min-wait-ms (100),
** commit.retry.max-wait-ms (60000).  After the retries a clear
** ORB_ERR_CONFLICT says so.
**
** Names: ice_ prefix (DESIGN.md).
*/
#ifndef ORB_STORAGE_COLD_ICE_COMMIT_H
#define ORB_STORAGE_COLD_ICE_COMMIT_H

#include "storage/cold/ice_meta.h"
#include "storage/cold/ice_write_int.h"

typedef struct ice_retry {
  int max_retries;
  int64_t min_wait_ms, max_wait_ms;
  int64_t next_wait_ms;          /* the backoff's current step */
} ice_retry;

/* The policy of table metadata m; max_retries >= 0 overrides the property.
** A property that is not a number is an error naming it. */
orb_status ice_retry_init(ice_retry *r, const ice_meta *m, int max_retries, orb_err *e);

/* After a lost race on attempt `attempt` (1-based): false when the retries
** are used up; otherwise sleep the next randomized backoff step and say
** true. */
bool ice_retry_wait(ice_retry *r, int attempt);

/* A table property of m as a number (dflt when absent); a value that is not
** an integer >= lo is ORB_ERR_INVALID_TEXT naming the property. */
orb_status ice_prop_i64(const ice_meta *m, const char *key, int64_t dflt, int64_t lo, int64_t *out, orb_err *e);

/* A random positive 63-bit number (snapshot ids). */
int64_t ice_random_id(void);

/* Called once per attempt: make `next` from `base` (the table's current
** metadata, freshly loaded).  next starts as a shallow copy of base; the
** edit replaces what it changes with arrays from `a` and never writes into
** base's.  Returning an error stops the update with that error (return
** ORB_ERR_CONFLICT only to mean "cannot be re-applied": it is not retried). */
typedef orb_status (*ice_meta_edit_fn)(void *ctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e);

/* Apply `edit` to the current metadata of the table in folder table_dir and
** commit the result (ice_meta_prepare_commit's bookkeeping included),
** retrying on conflict.  max_retries < 0: the table's property.  out (may
** be NULL) gets the committed metadata, from `a`. */
orb_status ice_meta_update(orb_arena *a, const char *table_dir, int max_retries, ice_meta_edit_fn edit, void *ctx,
                           ice_meta *out, orb_err *e);

/* --- new snapshots ---------------------------------------------------------- */

/* What a snapshot changes (ice_summary_delta) is in ice_write_int.h. */

/* Called once per attempt with the parent snapshot's manifests (the
** current snapshot of `base`, freshly loaded; none for an empty table):
** set *keep and *nkeep to the manifests that carry forward into the new
** snapshot (the parent's as they are, some of them, or rewritten ones, e.g.
** with entries marked DELETED; arrays from `a`), and adjust *delta for what
** the rewrite removes.  Return ORB_ERR_CONFLICT (with a message) when the
** change no longer applies on this parent, e.g. a data file it deletes rows
** of is gone: the commit then stops with that error and is not retried. */
typedef orb_status (*ice_carry_fn)(void *ctx, orb_arena *a, const ice_meta *base, const ice_manifest_ref *parent,
                                   int nparent, ice_manifest_ref **keep, int *nkeep, ice_summary_delta *delta,
                                   orb_err *e);

typedef struct ice_snapshot_change {
  const char *operation;         /* "append", "delete", "overwrite", "replace" */
  int64_t snapshot_id;           /* the new snapshot's id (ice_new_snapshot_id); the manifests carry it */
  const ice_manifest_ref *manifests;   /* written once by the caller; seq and min_seq are set per attempt */
  int nmanifests;
  ice_summary_delta delta;
  const ice_kv *extra_summary;   /* more summary entries (an engine's own keys) */
  int nextra_summary;
  ice_carry_fn carry;            /* NULL: every parent manifest carries forward */
  void *carry_ctx;
  const char *uuid;              /* names the manifest lists (snap-<id>-<attempt>-<uuid>.avro) */
  bool no_merge;                 /* true: the manifests are listed as they are (rewrite_manifests) */
  ice_meta_edit_fn edit;         /* NULL, or metadata changes published with the snapshot (a transaction
                                 ** block's ALTER TABLE): applied to each attempt's base first, in the same
                                 ** new metadata file; an error from it stops the commit */
  void *edit_ctx;
} ice_snapshot_change;

/* A transaction block's ALTER TABLE and its rows in one commit.  The
** append writes its files with the schema and default partition spec
** that `edit` makes of the current metadata, and its commit (alone or in
** ice_rowdelta_commit) applies edit again to each attempt's base, with the
** snapshot, in one new metadata file.  When another writer's commit makes
** edit give another schema (field ids, types, requiredness) or default
** spec than the files were written with, the commit fails with
** ORB_ERR_CONFLICT (40001) and publishes nothing.  ctx must live until the
** append is committed or aborted. */
orb_status ice_append_begin_edited(const char *table_dir, ice_meta_edit_fn edit, void *ctx, ice_append **out,
                                   orb_err *e);
/* The same for a change with deletes only (no append): edit is published
** with the deletes' snapshot. */
void ice_rowdelta_set_edit(ice_rowdelta *d, ice_meta_edit_fn edit, void *ctx);
/* The edit the append's commit applies (the check of its files' schema and
** spec included), for ice_rowdelta_commit; *fn NULL when none. */
void ice_append_edit_of(ice_append *app, ice_meta_edit_fn *fn, void **ctx);

/* A snapshot id not used by any snapshot of m. */
int64_t ice_new_snapshot_id(const ice_meta *m);

/* Commit change c as a new snapshot of the table in folder table_dir whose
** metadata the caller opened (base, from file): per attempt, the parent's
** manifest list is read, c->carry decides what carries forward, the
** manifests are merged as the table's commit.manifest.* properties say
** (ice_manifests_merge_on_commit, unless c->no_merge; the change's own
** manifests folded into a merged one are deleted after the commit), a new
** manifest list (c's manifests first, with the new sequence number, then
** the carried ones) and the next metadata (snapshot, summary, refs.main,
** snapshot log, metadata log) are written and published with
** ice_meta_commit; a lost race reloads the current metadata and tries
** again under retry's policy.  *attempts gets the attempts made.  On
** failure *unsure says whether the commit may nevertheless have happened
** (an I/O error at the publish step): the caller must then keep the files
** it wrote; otherwise they are no one's and it removes them.  Lists of
** lost attempts are removed here.  out (may be NULL) gets the committed
** metadata, from a. */
orb_status ice_snapshot_commit(orb_arena *a, const char *table_dir, const ice_meta *base, const ice_meta_file *file,
                               ice_retry *retry, const ice_snapshot_change *c, int *attempts, bool *unsure,
                               ice_meta *out, orb_err *e);
/* The new snapshot is stamped (timestamp-ms, snapshot-log) with ice_now_ms
** just before it is published, later than its parent's stamp; once it is
** published, ice_snapshot_commit waits until ice_now_ms has passed that
** stamp (at most ICE_COMMIT_WAIT_MAX_MS), so that whoever learns of the
** commit and then reads the clock gets a later millisecond (cold_tier.h: a
** REPEATABLE READ transaction sees the snapshots stamped before it began). */
#define ICE_COMMIT_WAIT_MAX_MS 50
/* Wall-clock milliseconds since the epoch (CLOCK_REALTIME): the clock
** snapshots and metadata files are stamped with. */
int64_t ice_now_ms(void);

/* Files of a commit: create a new file (never replacing one) with data
** and fsync it; a failure removes it. */
orb_status ice_write_new_file(const char *path, const void *data, size_t len, orb_err *e);
/* fsync an existing file. */
orb_status ice_fsync_file(const char *path, orb_err *e);
/* The table's location joined with a relative path (heap). */
char *ice_location_path(const ice_meta *m, const char *rel);

#endif
