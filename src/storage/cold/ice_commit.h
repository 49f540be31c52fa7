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
**     its data files, delete files and manifest once, and only the manifest
**     list and the metadata are rebuilt per attempt (see ice_append.c).
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

#endif
