/*
** storage/hot/hot.h — the hot tier: newest rows in memory.
**
** Rows.  Each version of a row is one allocation: a version header
** (hot_int.h: xmin, xmax, the older version), the orb_value array (schema
** order), then the bytes of its TEXT/BYTEA values, which the values' u.s
** point into.  Rows live in a vector indexed by rowid; each slot holds the
** newest version, older ones chain behind it while a snapshot may need them
** (txn/snapshot.h); a row gone for every snapshot leaves a NULL slot
** (rowids are not reused, so a scan that remembers where it stopped stays
** correct while writers insert).  The locator of a hot row is its rowid
** (tier number 0 in the top byte, table.h).  An update that keeps the key
** pushes a version on the same chain; one that changes the key ends the
** chain and starts a new one, so all versions of a chain share one key.
**
** Index.  Tables with a primary key have a hash index (orb_hmap) from the
** hash of the key values to rowid+1; candidates are compared with
** orb_value_cmp, so collisions are harmless.
**
** Scans.  If the predicate pins every key column to a finite set of values
** (orb_expr_pinned_values: `id = 1`, `id IN (...)`, `id = $1`; for a
** composite key every column, the cross product is probed), the scan probes
** the index; otherwise it walks the vector and tests the predicate on each
** row.  Rows are returned in place (no projection) or as projected copies in
** a per-scan buffer; either way the values point into version memory,
** which lives as long as the scan's snapshot is registered with the database.
**
** Writes record undo and redo in the write set (storage_int.h); the commit
** stamps its sequence number on the versions (hot_stamp); versions no
** snapshot can see any more are freed by hot_prune, which the database
** calls for the rows each commit touched once older snapshots are gone.
** Constraint checks are the table's job (table.c); the tier checks only what
** keeps it consistent.
**
** Statistics: live row count of the newest committed state (O(1) COUNT(*)
** when no transaction is in flight and the snapshot is current), bytes of
** version memory, per column null count and min/max over every version kept
** (maintained as versions come; freeing the current min or max marks it
** stale and the next stats call rescans the newest versions).
**
** Not thread-safe: the database latch protects it (readers share it, a
** writing statement or a commit holds it alone).
*/
#ifndef ORB_STORAGE_HOT_HOT_H
#define ORB_STORAGE_HOT_HOT_H

#include "txn/txn.h"
#include "storage/tier.h"

typedef struct hot_tier hot_tier;

extern const orb_tier_ops hot_tier_ops;

/* A new empty tier for a table (schema copied). */
hot_tier *hot_tier_new(uint32_t table_id, const orb_schema *schema);
void hot_tier_free(hot_tier *h);
static inline orb_tier *hot_base(hot_tier *h) { return (orb_tier *)h; }
static inline hot_tier *hot_of(orb_tier *t) { return (hot_tier *)t; }
const orb_schema *hot_schema(const hot_tier *h);

/* --- rows --------------------------------------------------------------- */

/* Copy a row (full, schema order) into one allocation; integer and float
** values are normalised to their column's exact type id. */
orb_value *hot_row_build(const orb_schema *s, const orb_value *src);
size_t hot_row_size(const orb_schema *s, const orb_value *row);
void hot_row_free(orb_value *row);
/* Row memory (hot_alloc.c): chunked, see there. */
void *hot_row_alloc(size_t n);
void hot_row_dealloc(void *row);

/* Number of slots (one past the highest rowid ever used), the version of
** the row at a slot that snap sees (NULL: none; snap NULL: the newest
** committed), and the number of live rows in the newest committed state. */
uint64_t hot_slots(const hot_tier *h);
uint32_t hot_table_id(const hot_tier *h);
const orb_value *hot_row_visible(const hot_tier *h, uint64_t rowid, const orb_snapshot *snap);
int64_t hot_live_rows(const hot_tier *h);

/* Renumber the rows densely when many slots are empty.  Only at a
** checkpoint with no transaction or snapshot alive and every row pruned: it
** changes locators.  Does nothing while versions are pending. */
void hot_compact(hot_tier *h);

/* --- writes (record undo/redo in ws) ------------------------------------ */

/* Insert a copy of `vals`; at `rowid` if >= 0 (recovery), else appended. */
orb_status hot_insert_one(hot_tier *h, orb_wset *ws, const orb_value *vals, int64_t rowid, uint64_t *out_rowid,
                          orb_err *e);
/* Insert an already built row (ownership passes to the tier). */
orb_status hot_adopt_row(hot_tier *h, orb_wset *ws, orb_value *row, int64_t rowid, uint64_t *out_rowid, orb_err *e);
orb_status hot_delete_one(hot_tier *h, orb_wset *ws, uint64_t rowid, orb_err *e);
orb_status hot_update_one(hot_tier *h, orb_wset *ws, uint64_t rowid, const orb_value *vals, orb_err *e);
/* Same, adopting a built row. */
orb_status hot_update_adopt(hot_tier *h, orb_wset *ws, uint64_t rowid, orb_value *row, orb_err *e);
/* SELECT ... FOR UPDATE/SHARE: claim the row at rowid for ws as an update
** would (ORB_ERR_WAIT / 40001 alike) without changing it; *gone when ws
** itself deleted it. */
orb_status hot_lock_one(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e);
/* SELECT ... FOR SHARE / KEY SHARE: a shared lock on the row (hot_share.c):
** writers wait for it, other sharers do not; the same waits and errors as
** hot_lock_one before it is taken. */
orb_status hot_share_one(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e);
/* A transaction's shared lock ends (its commit, or undo). */
void hot_share_drop(hot_tier *h, void *entry);

/* --- versions (hot_mvcc.c) ------------------------------------------------ */

/* Before ws updates or deletes the row at rowid: ORB_OK to go ahead,
** *gone when there is nothing left to change, ORB_ERR_WAIT (ws->wait_for
** set) when another running transaction wrote it, 40001 when one that
** committed after ws's snapshot did (REPEATABLE READ); it also waits for
** another transaction's shared lock on the row (hot_share.c). */
orb_status hot_claim(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e);
/* Commit: stamp seq on the versions one undo entry made or ended. */
void hot_stamp(hot_tier *h, int kind, orb_value *old, orb_value *made, uint64_t seq);
/* Undo actions (wset.c). */
void hot_undo_insert(hot_tier *h, uint64_t rowid);
void hot_undo_delete(hot_tier *h, orb_value *old);
void hot_undo_update(hot_tier *h, uint64_t rowid, orb_value *old, orb_value *made);
/* Free the versions of the row at rowid that no snapshot numbered >= horizon
** can see (the whole row if it was deleted before them); true when nothing
** is left to free later, or when a running transaction writes the row (it
** queues the row again when it commits). */
bool hot_prune(hot_tier *h, uint64_t rowid, uint64_t horizon);
/* Free one version / the whole chain at rowid (index entry too). */
void hot_version_free(hot_tier *h, uint64_t rowid, orb_value *row);
void hot_drop_chain(hot_tier *h, uint64_t rowid);

/* --- index (hot_index.c) ------------------------------------------------- */

bool hot_has_pk(const hot_tier *h);
/* Find the row whose key (values in key order) equals `key`, as snap sees
** it: its rowid and (row != NULL) the visible version. */
bool hot_pk_find(const hot_tier *h, const orb_value *key, const orb_snapshot *snap, uint64_t *rowid,
                 const orb_value **row);
/* Is the key of `row` (full row) held by a row other than `self`, for the
** writer ws (NULL: recovery/DDL)?  ORB_ERR_WAIT if a running transaction
** holds it. */
orb_status hot_key_taken(const hot_tier *h, orb_wset *ws, const orb_value *row, uint64_t self, bool *taken,
                         uint64_t *rowid, orb_err *e);
/* The same for a key in key order (ON CONFLICT). */
orb_status hot_pk_find_write(const hot_tier *h, orb_wset *ws, const orb_value *key, bool *found, uint64_t *rowid,
                             orb_err *e);
void hot_index_add(hot_tier *h, uint64_t rowid, const orb_value *row);
void hot_index_add_hashed(hot_tier *h, uint64_t rowid, uint64_t hash);
void hot_index_remove(hot_tier *h, uint64_t rowid, const orb_value *row);
uint64_t hot_key_hash_row(const hot_tier *h, const orb_value *row);
/* Start loading the index slot of row's key (batch inserts call it ahead);
** returns the key's hash for the _hashed calls, so that it is computed once. */
uint64_t hot_index_prefetch(const hot_tier *h, const orb_value *row);
orb_status hot_key_taken_hashed(hot_tier *h, orb_wset *ws, const orb_value *row, uint64_t hash, bool *taken,
                                uint64_t *rowid, orb_err *e);
/* hot_insert_one for a table with a key whose hash is known. */
orb_status hot_insert_hashed(hot_tier *h, orb_wset *ws, const orb_value *vals, uint64_t hash, orb_err *e);

/* --- secondary and UNIQUE indexes (hot_sidx.c) ---------------------------
** The schema's indexes (orb_schema.indexes), numbered in its order, each a
** hash multimap with one entry per row version: equality lookups only
** (`USING btree` is accepted and kept in the definition, but the structure
** is a hash either way). */

int hot_sidx_count(const hot_tier *h);
/* Entries of one version (every index), made / freed with the version. */
void hot_sidx_add(hot_tier *h, uint64_t rowid, const orb_value *row);
void hot_sidx_remove(hot_tier *h, uint64_t rowid, const orb_value *row);
/* Append to *rids (growing it, *cap its room) the rowids of rows whose
** version snap sees has key (values in index order) in index k; a rowid
** may come more than once: hot_sidx_dedup sorts and removes repeats. */
void hot_sidx_lookup(const hot_tier *h, int k, const orb_value *key, const orb_snapshot *snap, uint64_t **rids,
                     size_t *n, size_t *cap);
size_t hot_sidx_dedup(uint64_t *rids, size_t n);
/* Is the key of `row` (full row) in unique index k held by a row other
** than `self`, for the writer ws (NULL: DDL)?  As hot_key_taken:
** ORB_ERR_WAIT while a running transaction may hold or free it.  A key
** with a NULL is never taken unless the index is NULLS NOT DISTINCT. */
orb_status hot_sidx_taken(const hot_tier *h, orb_wset *ws, int k, const orb_value *row, uint64_t self, bool *taken,
                          uint64_t *rowid, orb_err *e);
/* The same for a key in index order (ON CONFLICT). */
orb_status hot_sidx_find_write(const hot_tier *h, orb_wset *ws, int k, const orb_value *key, bool *found,
                               uint64_t *rowid, orb_err *e);
/* Whether two full rows differ in index k's columns (NULL equals NULL here). */
bool hot_sidx_key_differs(const hot_tier *h, int k, const orb_value *a, const orb_value *b);

/* --- statistics (hot_stats.c) -------------------------------------------- */

void hot_stats_add(hot_tier *h, const orb_value *row);
void hot_stats_remove(hot_tier *h, const orb_value *row);
/* Bytes of row memory held by the tier. */
int64_t hot_bytes(const hot_tier *h);
/* Bytes of one index's hash table: which -1 the primary key's, else secondary index `which`. */
int64_t hot_index_bytes(const hot_tier *h, int which);

#endif
