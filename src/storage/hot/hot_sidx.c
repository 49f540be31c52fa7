/* storage/hot/hot_sidx.c — secondary and UNIQUE indexes of the hot tier (see hot.h).
**
** One hash multimap per index, from the hash of a version's key values to
** its rowid+1.  Unlike the primary key, a secondary key may differ between
** the versions of one chain (an update that keeps the primary key changes
** an indexed column in place), so every version has its own entry: added
** when the version is made (hot_sidx_add), removed when it is freed
** (hot_sidx_remove, from hot_version_free), whatever the reason — commit
** pruning, undo, a dropped chain.  A rowid may thus appear several times
** under one hash; readers test the version they see and drop duplicates.
**
** Uniqueness follows the primary key's rule (hot_index.c find_for_write):
** a key is taken by a chain whose newest version holds it and is live; a
** chain another running transaction is changing makes the writer wait
** (ORB_ERR_WAIT, txn/txn.c wset_wait_for) when either its new version or
** the committed one it replaces holds the key — the waiter learns whether
** the key comes free.  NULLs are distinct unless NULLS NOT DISTINCT.
*/
#include "storage/hot/hot_int.h"
#include "storage/storage_int.h"
#include "base/mem.h"
#include "types/value.h"

#include <stdlib.h>
#include <string.h>

#define SIDX_SEED 0x6f726269747378ULL   /* "orbitsx" */

static inline void *rid_val(uint64_t rowid) { return (void *)(uintptr_t)(rowid + 1); }
static inline uint64_t val_rid(void *v) { return (uint64_t)(uintptr_t)v - 1; }

void hot_sidx_init(hot_tier *h) {
  const orb_schema *s = &h->schema;
  h->nsidx = s->nindexes;
  h->sidx = s->nindexes ? orb_calloc((size_t)s->nindexes, sizeof *h->sidx) : NULL;
  for (int k = 0; k < s->nindexes; k++) {
    const orb_index *ix = &s->indexes[k];
    hot_sidx *x = &h->sidx[k];
    x->ncols = ix->ncols;
    x->cols = orb_calloc((size_t)ix->ncols, sizeof(int));
    for (int i = 0; i < ix->ncols; i++) x->cols[i] = orb_schema_find_id(s, ix->cols[i]);
    x->unique = ix->unique;
    x->nnd = ix->nulls_not_distinct;
    orb_hmap_init(&x->map, 0);
  }
}

void hot_sidx_free(hot_tier *h) {
  for (int k = 0; k < h->nsidx; k++) {
    orb_free(h->sidx[k].cols);
    orb_hmap_free(&h->sidx[k].map);
  }
  orb_free(h->sidx);
  h->sidx = NULL;
  h->nsidx = 0;
}

int hot_sidx_count(const hot_tier *h) { return h->nsidx; }

/* Hash of a key: vals is a full row (is_row) or the key's values in key
** order; each value is taken as its column's type so that every integer
** (or float) type id of the column's family hashes alike. */
static uint64_t key_hash(const hot_tier *h, const hot_sidx *x, const orb_value *vals, bool is_row) {
  uint64_t acc = SIDX_SEED;
  for (int i = 0; i < x->ncols; i++) {
    orb_value c = vals[is_row ? x->cols[i] : i];
    c.type = h->schema.cols[x->cols[i]].type.id;
    acc = orb_hash_mix(acc, orb_value_hash(&c));
  }
  return acc;
}

static bool value_eq(const orb_value *stored, const orb_value *v) {
  if (stored->isnull || v->isnull) return stored->isnull && v->isnull;
  orb_value k = *v;
  k.type = stored->type;
  return orb_value_cmp(stored, &k) == 0;
}

/* Does the version `row` hold the key (full row when is_row)?  NULLs match
** NULLs here; callers decide whether a NULL key can conflict. */
static bool key_eq(const hot_sidx *x, const orb_value *row, const orb_value *key, bool is_row) {
  for (int i = 0; i < x->ncols; i++)
    if (!value_eq(&row[x->cols[i]], &key[is_row ? x->cols[i] : i])) return false;
  return true;
}

static bool key_has_null(const hot_sidx *x, const orb_value *key, bool is_row) {
  for (int i = 0; i < x->ncols; i++)
    if (key[is_row ? x->cols[i] : i].isnull) return true;
  return false;
}

void hot_sidx_add(hot_tier *h, uint64_t rowid, const orb_value *row) {
  for (int k = 0; k < h->nsidx; k++) orb_hmap_put(&h->sidx[k].map, key_hash(h, &h->sidx[k], row, true), rid_val(rowid));
}

void hot_sidx_remove(hot_tier *h, uint64_t rowid, const orb_value *row) {
  for (int k = 0; k < h->nsidx; k++) orb_hmap_remove(&h->sidx[k].map, key_hash(h, &h->sidx[k], row, true), rid_val(rowid));
}

void hot_sidx_rebuild(hot_tier *h) {
  for (int k = 0; k < h->nsidx; k++) {
    orb_hmap_free(&h->sidx[k].map);
    orb_hmap_init(&h->sidx[k].map, h->nslots);
  }
  for (uint64_t r = 0; r < h->nslots; r++)
    for (const orb_value *v = h->rows[r]; v; v = hot_ver_of(v)->older) hot_sidx_add(h, r, v);
}

static bool family_ok(uint8_t vt, uint8_t ct) {
  if (vt == ct) return true;
  if (orb_type_is_integer((orb_type_id)vt) && orb_type_is_integer((orb_type_id)ct)) return true;
  if (orb_type_is_float((orb_type_id)vt) && orb_type_is_float((orb_type_id)ct)) return true;
  return false;
}

static int cmp_rid(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

size_t hot_sidx_dedup(uint64_t *rids, size_t n) {
  if (n < 2) return n;
  qsort(rids, n, sizeof *rids, cmp_rid);
  size_t j = 1;
  for (size_t i = 1; i < n; i++)
    if (rids[i] != rids[j - 1]) rids[j++] = rids[i];
  return j;
}

void hot_sidx_lookup(const hot_tier *h, int k, const orb_value *key, const orb_snapshot *snap, uint64_t **rids,
                     size_t *n, size_t *cap) {
  const hot_sidx *x = &h->sidx[k];
  for (int i = 0; i < x->ncols; i++)   /* `col = NULL` matches nothing; another family cannot be equal */
    if (key[i].isnull || !family_ok(key[i].type, h->schema.cols[x->cols[i]].type.id)) return;
  orb_hmap_iter it;
  for (void *v = orb_hmap_find(&x->map, key_hash(h, x, key, false), &it); v; v = orb_hmap_next(&it)) {
    uint64_t r = val_rid(v);
    const orb_value *vis = hot_row_visible(h, r, snap);
    if (!vis || !key_eq(x, vis, key, false)) continue;
    if (*n == *cap) *rids = orb_grow(*rids, cap, *n + 1, sizeof **rids);
    (*rids)[(*n)++] = r;
  }
}

/* The chain holding key for the writer ws (see the head comment). */
static orb_status find_for_write(const hot_tier *h, orb_wset *ws, int k, const orb_value *key, bool is_row,
                                 uint64_t self, bool *found, uint64_t *rowid, orb_err *e) {
  const hot_sidx *x = &h->sidx[k];
  *found = false;
  if (!x->nnd && key_has_null(x, key, is_row)) return ORB_OK;   /* NULLs are distinct */
  if (!is_row)
    for (int i = 0; i < x->ncols; i++)
      if (!key[i].isnull && !family_ok(key[i].type, h->schema.cols[x->cols[i]].type.id)) return ORB_OK;
  uint64_t me = ws ? ws->xid : 0;
  orb_hmap_iter it;
  for (void *v = orb_hmap_find(&x->map, key_hash(h, x, key, is_row), &it); v; v = orb_hmap_next(&it)) {
    uint64_t r = val_rid(v);
    const orb_value *head = r < h->nslots ? h->rows[r] : NULL;
    if (r == self || !head) continue;
    const hot_ver *hv = hot_ver_of(head);
    if (orb_xid_running(hv->xmin) && hv->xmin != me) {
      const orb_value *older = hv->older;
      if (key_eq(x, head, key, is_row) || (older && key_eq(x, older, key, is_row))) return wset_wait_for(ws, hv->xmin, e);
      continue;
    }
    if (!key_eq(x, head, key, is_row)) continue;   /* an older version's entry: the chain moved on */
    if (orb_xid_running(hv->xmax) && hv->xmax != me) return wset_wait_for(ws, hv->xmax, e);
    if (hv->xmax) continue;   /* deleted for good (or by ws) */
    *found = true;
    *rowid = r;
    return ORB_OK;
  }
  return ORB_OK;
}

orb_status hot_sidx_taken(const hot_tier *h, orb_wset *ws, int k, const orb_value *row, uint64_t self, bool *taken,
                          uint64_t *rowid, orb_err *e) {
  return find_for_write(h, ws, k, row, true, self, taken, rowid, e);
}

orb_status hot_sidx_find_write(const hot_tier *h, orb_wset *ws, int k, const orb_value *key, bool *found,
                               uint64_t *rowid, orb_err *e) {
  return find_for_write(h, ws, k, key, false, UINT64_MAX, found, rowid, e);
}

bool hot_sidx_key_differs(const hot_tier *h, int k, const orb_value *a, const orb_value *b) {
  return !key_eq(&h->sidx[k], a, b, true);
}
