/* storage/hot/hot_tier.c — hot tier rows and writes (see hot.h). */
#include "storage/hot/hot_int.h"
#include "storage/rowcodec.h"
#include "storage/storage_int.h"
#include "base/mem.h"
#include "types/array.h"
#include "types/value.h"

#include <string.h>

#define HOT_MAX_ROWID ((uint64_t)1 << 56)

hot_tier *hot_tier_new(uint32_t table_id, const orb_schema *schema) {
  hot_tier *h = orb_calloc(1, sizeof *h);
  h->base.ops = &hot_tier_ops;
  h->table_id = table_id;
  orb_schema_copy(&h->schema, schema);
  h->npk = schema->npk;
  if (h->npk) {
    h->pkcols = orb_calloc((size_t)h->npk, sizeof(int));
    for (int i = 0; i < h->npk; i++) h->pkcols[i] = orb_schema_pk_col(schema, i);
    orb_hmap_init(&h->pk, 0);
  }
  hot_sidx_init(h);
  h->cstats = orb_calloc((size_t)schema->ncols, sizeof *h->cstats);
  h->stats_out = orb_calloc((size_t)schema->ncols, sizeof *h->stats_out);
  pthread_mutex_init(&h->stats_mu, NULL);
  return h;
}

void hot_tier_free(hot_tier *h) {
  if (!h) return;
  for (size_t i = 0; i < h->nslots; i++)
    for (orb_value *v = h->rows[i], *older; v; v = older) {
      older = hot_ver_of(v)->older;
      hot_row_free(v);
    }
  orb_free(h->rows);
  if (h->npk) orb_hmap_free(&h->pk);
  orb_free(h->pkcols);
  hot_sidx_free(h);
  hot_share_free_all(h);
  for (int i = 0; i < h->schema.ncols; i++) {
    orb_free(h->cstats[i].minbuf);
    orb_free(h->cstats[i].maxbuf);
  }
  orb_free(h->cstats);
  orb_free(h->stats_out);
  orb_schema_free(&h->schema);
  pthread_mutex_destroy(&h->stats_mu);
  orb_free(h);
}

const orb_schema *hot_schema(const hot_tier *h) { return &h->schema; }
uint64_t hot_slots(const hot_tier *h) { return h->nslots; }
uint32_t hot_table_id(const hot_tier *h) { return h->table_id; }
int64_t hot_live_rows(const hot_tier *h) { return h->live; }
int64_t hot_bytes(const hot_tier *h) { return h->bytes; }

/* --- rows ----------------------------------------------------------------- */

static bool has_bytes(const orb_value *v) { return !v->isnull && orb_type_is_bytes((orb_type_id)v->type); }
static bool has_array(const orb_value *v) { return !v->isnull && v->type == ORB_T_ARRAY; }

/* Array values come first after the row's values (orb_array_flatten wants
** 8-byte alignment and its sizes keep it), then the strings' bytes. */
orb_value *hot_row_build(const orb_schema *s, const orb_value *src) {
  size_t n = (size_t)s->ncols, extra = 0;
  for (size_t i = 0; i < n; i++)
    if (has_bytes(&src[i])) extra += src[i].len;
    else if (has_array(&src[i])) extra += orb_array_flat_size(&src[i]);
  hot_ver *ver = hot_row_alloc(sizeof(hot_ver) + n * sizeof(orb_value) + extra);
  memset(ver, 0, sizeof *ver);
  orb_value *row = (orb_value *)(ver + 1);
  char *p = (char *)(row + n);
  for (size_t i = 0; i < n; i++)
    if (has_array(&src[i])) {
      size_t sz = orb_array_flat_size(&src[i]);
      row[i] = orb_array_flatten(&src[i], p);
      p += sz;
    }
  for (size_t i = 0; i < n; i++) {
    uint8_t ct = s->cols[i].type.id;
    if (src[i].isnull) {
      row[i] = orb_null((orb_type_id)ct);
      continue;
    }
    if (has_array(&src[i])) continue;
    row[i] = src[i];
    /* a value of the column's family takes the column's own type id */
    if (row[i].type != ct &&
        ((orb_type_is_integer((orb_type_id)ct) && orb_type_is_integer((orb_type_id)row[i].type)) ||
         (orb_type_is_float((orb_type_id)ct) && orb_type_is_float((orb_type_id)row[i].type))))
      row[i].type = ct;
    if (has_bytes(&src[i])) {
      if (src[i].len) memcpy(p, src[i].u.s, src[i].len);
      row[i].u.s = p;
      p += src[i].len;
    }
  }
  return row;
}

size_t hot_row_size(const orb_schema *s, const orb_value *row) {
  size_t n = (size_t)s->ncols * sizeof(orb_value);
  for (int i = 0; i < s->ncols; i++)
    if (has_bytes(&row[i])) n += row[i].len;
    else if (has_array(&row[i])) n += orb_array_flat_size(&row[i]);
  return n;
}

void hot_row_free(orb_value *row) {
  if (row) hot_row_dealloc(hot_ver_of(row));
}

void hot_compact(hot_tier *h) {
  if (h->pending) return;   /* a running transaction's undo names rowids */
  size_t holes = h->nslots - (size_t)h->live;
  if (holes < 64 || holes < h->nslots / 4) return;
  size_t j = 0;
  for (size_t i = 0; i < h->nslots; i++)
    if (h->rows[i]) h->rows[j++] = h->rows[i];
  memset(&h->rows[j], 0, sizeof *h->rows * (h->nslots - j));
  h->nslots = j;
  if (h->npk) {
    h->has_pk_miss = false;   /* its slot was in the old map */
    orb_hmap_free(&h->pk);
    orb_hmap_init(&h->pk, j);
    for (size_t r = 0; r < j; r++) hot_index_add(h, r, h->rows[r]);
  }
  if (h->nsidx) hot_sidx_rebuild(h);
  size_t cap = j < 16 ? 16 : j;
  h->rows = orb_realloc(h->rows, cap * sizeof *h->rows);
  h->cap = cap;
}

/* --- writes ---------------------------------------------------------------- */

static void redo_row(orb_wset *ws, hot_tier *h, int op, uint64_t rowid, const orb_value *row) {
  if (!ws || !wset_logging(ws)) return;
  orb_buf *b = &ws->redo;   /* op, table id, rowid: room for all three at once */
  orb_buf_reserve(b, 1 + 10 + 10);
  uint8_t *d = (uint8_t *)b->data + b->len;
  *d++ = (uint8_t)op;
  d += orb_varint_encode(d, h->table_id);
  d += orb_varint_encode(d, rowid);
  b->len = (size_t)(d - (uint8_t *)b->data);
  b->data[b->len] = '\0';
  if (row) rowcodec_put(b, &h->schema, row, NULL);
}

/* A new chain at rowid: the slot, the index (hash of its key: given, or
** computed when NULL), statistics. */
static void place_hashed(hot_tier *h, uint64_t rowid, orb_value *row, const uint64_t *hash) {
  if (rowid >= h->cap) h->rows = orb_grow(h->rows, &h->cap, (size_t)rowid + 1, sizeof *h->rows);
  if (rowid >= h->nslots) {
    memset(&h->rows[h->nslots], 0, sizeof *h->rows * (size_t)(rowid - h->nslots));
    h->nslots = (size_t)rowid + 1;
  }
  h->rows[rowid] = row;
  h->bytes += (int64_t)hot_row_size(&h->schema, row);
  if (h->npk) {
    if (hash) hot_index_add_hashed(h, rowid, *hash);
    else hot_index_add(h, rowid, row);
  }
  if (h->nsidx) hot_sidx_add(h, rowid, row);
  hot_stats_add(h, row);
}

static void place(hot_tier *h, uint64_t rowid, orb_value *row) { place_hashed(h, rowid, row, NULL); }

/* A newer version in front of the chain at rowid. */
static void push_version(hot_tier *h, uint64_t rowid, orb_value *row) {
  hot_ver_of(row)->older = h->rows[rowid];
  h->rows[rowid] = row;
  h->bytes += (int64_t)hot_row_size(&h->schema, row);
  if (h->nsidx) hot_sidx_add(h, rowid, row);
  hot_stats_add(h, row);
}

void hot_version_free(hot_tier *h, uint64_t rowid, orb_value *row) {
  if (h->nsidx) hot_sidx_remove(h, rowid, row);
  hot_stats_remove(h, row);
  h->bytes -= (int64_t)hot_row_size(&h->schema, row);
  hot_row_free(row);
}

void hot_drop_chain(hot_tier *h, uint64_t rowid) {
  orb_value *head = h->rows[rowid];
  if (h->npk) hot_index_remove(h, rowid, head);
  h->rows[rowid] = NULL;
  for (orb_value *v = head, *older; v; v = older) {
    older = hot_ver_of(v)->older;
    hot_version_free(h, rowid, v);
  }
}

static bool writing(const orb_wset *ws) { return ws && !ws->replay; }

static orb_status adopt(hot_tier *h, orb_wset *ws, orb_value *row, int64_t at, const uint64_t *hash, uint64_t *out_rowid,
                        orb_err *e) {
  uint64_t rowid = at >= 0 ? (uint64_t)at : h->nslots;
  if (rowid >= HOT_MAX_ROWID) {
    hot_row_free(row);
    return orb_err_set(e, ORB_ERR_LIMIT, "table has used up its %llu row ids; run CHECKPOINT",
                       (unsigned long long)HOT_MAX_ROWID);
  }
  if (rowid < h->nslots && h->rows[rowid]) {
    hot_row_free(row);
    return orb_err_set(e, ORB_ERR_CORRUPT, "row %llu of table %u is inserted twice", (unsigned long long)rowid,
                       h->table_id);
  }
  place_hashed(h, rowid, row, hash);
  if (writing(ws)) {   /* invisible to others until the commit stamps it */
    hot_ver_of(row)->xmin = ws->xid;
    h->pending++;
    redo_row(ws, h, REDO_INSERT, rowid, row);
    wset_push(ws, U_INSERT, h, rowid, NULL, row);
    ws->changes++;
  } else {             /* recovery, or a rewrite of the table under DDL: settled at once */
    h->live++;
  }
  if (out_rowid) *out_rowid = rowid;
  return ORB_OK;
}

orb_status hot_adopt_row(hot_tier *h, orb_wset *ws, orb_value *row, int64_t at, uint64_t *out_rowid, orb_err *e) {
  return adopt(h, ws, row, at, NULL, out_rowid, e);
}

orb_status hot_insert_one(hot_tier *h, orb_wset *ws, const orb_value *vals, int64_t at, uint64_t *out_rowid,
                          orb_err *e) {
  return adopt(h, ws, hot_row_build(&h->schema, vals), at, NULL, out_rowid, e);
}

orb_status hot_insert_hashed(hot_tier *h, orb_wset *ws, const orb_value *vals, uint64_t hash, orb_err *e) {
  return adopt(h, ws, hot_row_build(&h->schema, vals), -1, &hash, NULL, e);
}

orb_status hot_delete_one(hot_tier *h, orb_wset *ws, uint64_t rowid, orb_err *e) {
  if (!writing(ws)) {
    if (rowid >= h->nslots || !h->rows[rowid]) return ORB_OK;
    hot_drop_chain(h, rowid);
    h->live--;
    return ORB_OK;
  }
  bool gone;
  orb_status st = hot_claim(h, ws, rowid, &gone, e);
  if (st != ORB_OK || gone) return st;
  orb_value *head = h->rows[rowid];
  hot_ver_of(head)->xmax = ws->xid;
  h->pending++;
  redo_row(ws, h, REDO_DELETE, rowid, NULL);
  ws->changes++;
  wset_push(ws, U_DELETE, h, rowid, head, NULL);
  return ORB_OK;
}

static bool same_key(const hot_tier *h, const orb_value *a, const orb_value *b) {
  for (int i = 0; i < h->npk; i++)
    if (orb_value_cmp(&a[h->pkcols[i]], &b[h->pkcols[i]]) != 0) return false;
  return true;
}

orb_status hot_update_adopt(hot_tier *h, orb_wset *ws, uint64_t rowid, orb_value *row, orb_err *e) {
  if (rowid >= h->nslots || !h->rows[rowid]) {
    hot_row_free(row);
    return orb_err_set(e, writing(ws) ? ORB_ERR_INTERNAL : ORB_ERR_CORRUPT,
                       "row %llu of table %u to update does not exist", (unsigned long long)rowid, h->table_id);
  }
  if (!writing(ws)) {   /* recovery: replace the row outright */
    hot_drop_chain(h, rowid);
    place(h, rowid, row);
    return ORB_OK;
  }
  bool gone;
  orb_status st = hot_claim(h, ws, rowid, &gone, e);
  if (st != ORB_OK || gone) {
    hot_row_free(row);
    return st;
  }
  orb_value *old = h->rows[rowid];
  if (!same_key(h, old, row)) {   /* a new key is a new chain: the index finds rows by chain */
    if ((st = hot_delete_one(h, ws, rowid, e)) != ORB_OK) {
      hot_row_free(row);
      return st;
    }
    return hot_adopt_row(h, ws, row, -1, NULL, e);
  }
  hot_ver_of(row)->xmin = ws->xid;
  hot_ver_of(old)->xmax = ws->xid;
  push_version(h, rowid, row);
  h->pending++;
  redo_row(ws, h, REDO_UPDATE, rowid, row);
  ws->changes++;
  wset_push(ws, U_UPDATE, h, rowid, old, row);
  return ORB_OK;
}

orb_status hot_update_one(hot_tier *h, orb_wset *ws, uint64_t rowid, const orb_value *vals, orb_err *e) {
  return hot_update_adopt(h, ws, rowid, hot_row_build(&h->schema, vals), e);
}

orb_status hot_lock_one(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e) {
  *gone = false;
  if (rowid >= h->nslots || !h->rows[rowid])
    return orb_err_set(e, ORB_ERR_INTERNAL, "row %llu of table %u to lock does not exist", (unsigned long long)rowid,
                       h->table_id);
  orb_status st = hot_claim(h, ws, rowid, gone, e);
  if (st != ORB_OK || *gone) return st;
  orb_value *old = h->rows[rowid];
  if (hot_ver_of(old)->xmin == ws->xid) return ORB_OK;   /* this transaction's own version: held already */
  /* a copy of the row as this transaction's version: other writers now wait
  ** for it (or, having committed since a REPEATABLE READ snapshot, made the
  ** claim above fail with 40001), exactly as for an update.  It changes no
  ** value, so nothing is logged, and the commit dates the copy back to the
  ** locked version (hot_stamp, U_LOCK): a lock alone never fails a later
  ** REPEATABLE READ writer. */
  orb_value *row = hot_row_build(&h->schema, old);
  hot_ver_of(row)->xmin = ws->xid;
  hot_ver_of(old)->xmax = ws->xid;
  push_version(h, rowid, row);
  h->pending++;
  wset_push(ws, U_LOCK, h, rowid, old, row);
  return ORB_OK;
}

/* --- tier interface: writes and lookups ------------------------------------ */

static orb_status op_insert(orb_tier *t, orb_wset *ws, const orb_value *const *rows, int n, orb_err *e) {
  hot_tier *h = hot_of(t);
  for (int i = 0; i < n; i++) {
    orb_status st = hot_insert_one(h, ws, rows[i], -1, NULL, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

static orb_status check_locator(uint64_t loc, orb_err *e) {
  if (loc >> 56 != 0) return orb_err_set(e, ORB_ERR_INTERNAL, "locator %llx does not name a hot row", (unsigned long long)loc);
  return ORB_OK;
}

static orb_status op_delete(orb_tier *t, orb_wset *ws, const uint64_t *locs, int n, orb_err *e) {
  hot_tier *h = hot_of(t);
  for (int i = 0; i < n; i++) {
    orb_status st = check_locator(locs[i], e);
    if (st == ORB_OK) st = hot_delete_one(h, ws, locs[i], e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

static orb_status op_update(orb_tier *t, orb_wset *ws, const uint64_t *locs, const orb_value *const *rows, int n,
                            orb_err *e) {
  hot_tier *h = hot_of(t);
  for (int i = 0; i < n; i++) {
    orb_status st = check_locator(locs[i], e);
    if (st == ORB_OK) st = hot_update_one(h, ws, locs[i], rows[i], e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

static orb_status op_pk_lookup(orb_tier *t, orb_wset *ws, const orb_value *key, bool *found, uint64_t *loc,
                               const orb_value **row, orb_err *e) {
  hot_tier *h = hot_of(t);
  if (!h->npk) return orb_err_set(e, ORB_ERR_MISUSE, "table has no primary key");
  uint64_t rowid = 0;
  const orb_value *r = NULL;
  if (writing(ws)) {
    orb_status st = hot_pk_find_write(h, ws, key, found, &rowid, e);
    if (st != ORB_OK) return st;
    /* committed after this transaction's snapshot: it cannot decide on it */
    if (*found && !(r = hot_row_visible(h, rowid, &ws->snap))) return wset_conflict(ws, e);
  } else {
    *found = hot_pk_find(h, key, NULL, &rowid, &r);
  }
  if (*found) {
    if (loc) *loc = rowid;
    if (row) *row = r;
  }
  return ORB_OK;
}

static void op_close(orb_tier *t) { hot_tier_free(hot_of(t)); }

const orb_tier_ops hot_tier_ops = {
    .name = "hot",
    .insert = op_insert,
    .scan_begin = hot_op_scan_begin,
    .scan_next = hot_op_scan_next,
    .scan_end = hot_op_scan_end,
    .count = hot_op_count,
    .delete_rows = op_delete,
    .update_rows = op_update,
    .pk_lookup = op_pk_lookup,
    .stats = hot_op_stats,
    .explain = hot_op_explain,
    .close = op_close,
};
