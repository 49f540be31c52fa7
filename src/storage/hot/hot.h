/*
** storage/hot/hot.h — the hot tier: newest rows in memory.
**
** Rows.  Each row is one heap allocation: the orb_value array (schema
** order) followed by the bytes of its TEXT/BYTEA values, which the values'
** u.s point into.  Rows live in a vector indexed by rowid; a deleted row
** leaves a NULL slot (rowids are not reused, so a scan that remembers where
** it stopped stays correct while the same write set inserts).  The locator
** of a hot row is its rowid (tier number 0 in the top byte, table.h).
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
** a per-scan buffer; either way the values point into row memory, which
** lives at least until the write set that replaces the row commits.
**
** Writes record undo and redo in the write set (storage_int.h); memory of
** replaced rows is freed when the write set commits.  Constraint checks are
** the table's job (table.c); the tier checks only what keeps it consistent.
**
** Statistics: live row count (O(1) COUNT(*)), bytes of row memory, per
** column null count (exact) and min/max (maintained on insert; a delete of
** the current min or max marks it stale and the next stats call rescans).
**
** Not thread-safe: the database lock protects it (readers share, the
** writer is alone).
*/
#ifndef ORB_STORAGE_HOT_HOT_H
#define ORB_STORAGE_HOT_HOT_H

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

/* Number of slots (one past the highest rowid ever used) and the row at a
** slot (NULL if deleted or out of range). */
uint64_t hot_slots(const hot_tier *h);
const orb_value *hot_row_at(const hot_tier *h, uint64_t rowid);
int64_t hot_live_rows(const hot_tier *h);

/* Renumber the rows densely when many slots are empty.  Only at a
** checkpoint: it changes locators, so no scan or remembered locator may be
** alive (the checkpoint holds the write lock outside any write set). */
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

/* Undo actions (wset.c). */
void hot_undo_insert(hot_tier *h, uint64_t rowid);
void hot_undo_delete(hot_tier *h, uint64_t rowid, orb_value *old);
void hot_undo_update(hot_tier *h, uint64_t rowid, orb_value *old);

/* --- index (hot_index.c) ------------------------------------------------- */

bool hot_has_pk(const hot_tier *h);
/* Find the row whose key (values in key order) equals `key`. */
bool hot_pk_find(const hot_tier *h, const orb_value *key, uint64_t *rowid);
/* Find a row other than `self` whose key equals that of `row` (full row). */
bool hot_pk_find_row(const hot_tier *h, const orb_value *row, uint64_t self, uint64_t *rowid);
void hot_index_add(hot_tier *h, uint64_t rowid, const orb_value *row);
void hot_index_remove(hot_tier *h, uint64_t rowid, const orb_value *row);
uint64_t hot_key_hash_row(const hot_tier *h, const orb_value *row);
/* Start loading the index slot of row's key (batch inserts call it ahead). */
void hot_index_prefetch(const hot_tier *h, const orb_value *row);

/* --- statistics (hot_stats.c) -------------------------------------------- */

void hot_stats_add(hot_tier *h, const orb_value *row);
void hot_stats_remove(hot_tier *h, const orb_value *row);
/* Bytes of row memory held by the tier. */
int64_t hot_bytes(const hot_tier *h);

#endif
