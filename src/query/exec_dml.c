/* query/exec_dml.c — INSERT (with ON CONFLICT), UPDATE and DELETE.
**
** All three run inside the statement's write set (rt->ws); the caller
** commits or aborts it.  Constraints (NOT NULL, primary key, VARCHAR
** length) are checked by the table (storage/table.h).
**
** UPDATE and DELETE first collect the locators (and new rows) of every
** matching row and then write them in one call: the statement never sees
** its own changes, and locators stay valid because nothing was written
** while they were collected.  With FROM / USING the rows come from a join
** planned as a select (binder_modify_from.c). */
#include "query/bound.h"

#include "base/mem.h"

#include <string.h>

#define INSERT_BATCH 1024

typedef struct row_batch {
  orb_arena *arena;
  const orb_value **rows;
  size_t n, cap;
} row_batch;

void oql_binsert_init(oql_binsert *b, orb_table *t) {
  orb_arena_init(&b->batch_arena, 65536);
  b->batch = NULL;
  b->batch_cap = 0;
  b->keybuf = orb_calloc((size_t)t->schema.ncols + 1, sizeof(orb_value));
  b->both = orb_calloc(2 * (size_t)t->schema.ncols + 1, sizeof(orb_value));
}

void oql_binsert_free(oql_binsert *b) {
  orb_arena_free(&b->batch_arena);
  orb_free(b->batch);
  orb_free(b->keybuf);
  orb_free(b->both);
  b->batch = NULL;
  b->keybuf = b->both = NULL;
}

/* RETURNING: one result row for a row just written. */
static orb_status returning_row(oql_returning *ret, oql_rt *rt, const orb_value *row, orb_err *e) {
  if (!ret) return ORB_OK;
  orb_value *out = orb_arena_alloc(&rt->tmp, sizeof(orb_value) * (size_t)(ret->n + 1));
  for (int i = 0; i < ret->n; i++) {
    orb_status st = orb_expr_eval(ret->exprs[i], &rt->ctx, row, &out[i], e);
    if (st != ORB_OK) return st;
  }
  oql_rows_add(ret->rows, ret->arena, out);
  return ORB_OK;
}

/* The same for rows written together; the temporaries of each row go once
** it is copied into the result (nothing else lives in rt->tmp by then). */
static orb_status returning_rows(oql_returning *ret, oql_rt *rt, const orb_value *const *rows, size_t n, orb_err *e) {
  orb_status st = ORB_OK;
  for (size_t i = 0; ret && i < n && st == ORB_OK; i++) {
    st = returning_row(ret, rt, rows[i], e);
    orb_arena_reset(&rt->tmp);
  }
  return st;
}

/* Keep a copy of row in the batch: its values, and their bytes unless
** `bytes_stay` (they outlive the batch where they are). */
static void batch_add_row(row_batch *b, const orb_value *row, int ncols, bool bytes_stay) {
  b->rows = orb_grow(b->rows, &b->cap, b->n + 1, sizeof(orb_value *));
  orb_value *c = orb_arena_alloc(b->arena, sizeof(orb_value) * (size_t)ncols);
  if (bytes_stay) memcpy(c, row, sizeof(orb_value) * (size_t)ncols);
  else oql_row_copy(c, row, ncols, b->arena);
  b->rows[b->n++] = c;
}

static void batch_add(row_batch *b, const orb_value *row, int ncols) { batch_add_row(b, row, ncols, false); }

static orb_status flush(orb_table *t, const oql_checks *ck, oql_rt *rt, row_batch *b, int64_t *changes, oql_returning *ret,
                        orb_err *e) {
  if (!b->n) return ORB_OK;
  orb_status st = oql_checks_test(ck, rt, t, (const orb_value *const *)b->rows, b->n, e);
  if (st == ORB_OK) st = orb_table_insert(t, rt->ws, (const orb_value *const *)b->rows, (int)b->n, e);
  if (st == ORB_OK) st = returning_rows(ret, rt, (const orb_value *const *)b->rows, b->n, e);
  if (st != ORB_OK) return st;
  *changes += (int64_t)b->n;
  b->n = 0;
  /* the next batch has the same shape: keep one block that holds it all,
  ** rather than free and fault in fresh pages per batch */
  orb_arena_recycle(b->arena);
  return ORB_OK;
}

/* The keys (of the first arbiter) an INSERT ... ON CONFLICT DO UPDATE has
** inserted or updated so far: PostgreSQL refuses to affect such a row a
** second time. */
typedef struct upsert_seen {
  orb_hmap keys;   /* key hash -> a copy of the key values (in the statement's scratch arena) */
  int nkey;
  int *cols;       /* the key's column positions */
  int *kcols;      /* room for any arbiter's column positions */
} upsert_seen;

static bool seen_before(upsert_seen *u, const orb_value *key) {
  orb_hmap_iter it;
  for (const orb_value *k = orb_hmap_find(&u->keys, oql_row_hash(key, u->nkey), &it); k; k = orb_hmap_next(&it))
    if (oql_row_same(k, key, u->nkey)) return true;
  return false;
}

static void remember(upsert_seen *u, const orb_value *row, orb_arena *arena) {
  orb_value *key = orb_arena_alloc(arena, sizeof(orb_value) * (size_t)(u->nkey + 1));
  for (int i = 0; i < u->nkey; i++) key[i] = row[u->cols[i]];
  oql_row_copy(key, key, u->nkey, arena);
  orb_hmap_put(&u->keys, oql_row_hash(key, u->nkey), key);
}

/* Column positions of an arbiter (-1: the primary key, else an index) into cols; their number. */
static int arbiter_cols(const orb_schema *s, int which, int *cols) {
  if (which < 0) {
    for (int i = 0; i < s->npk; i++) cols[i] = orb_schema_pk_col(s, i);
    return s->npk;
  }
  for (int i = 0; i < s->indexes[which].ncols; i++) cols[i] = orb_schema_find_id(s, s->indexes[which].cols[i]);
  return s->indexes[which].ncols;
}

/* ON CONFLICT: look the row's key up in each arbiter; insert, skip or update. */
static orb_status upsert_row(oql_binsert *b, const oql_checks *ck, oql_rt *rt, const orb_value *row, orb_value *keybuf, orb_value *both,
                             orb_arena *arena, upsert_seen *seen, int64_t *changes, oql_returning *ret, orb_err *e) {
  orb_table *t = b->table;
  const orb_schema *s = &t->schema;
  bool found = false;
  uint64_t loc = 0;
  const orb_value *old = NULL;
  orb_status st;
  int *kcols = seen->kcols;
  bool keynull = true;   /* the first arbiter's key has a NULL: DO UPDATE cannot have touched it before */
  for (int ai = 0; ai < b->narbiters && !found; ai++) {
    int which = b->arbiters[ai];
    if (which == -2) break;   /* no unique constraint at all */
    int nk = arbiter_cols(s, which, kcols);
    bool hasnull = false;
    for (int i = 0; i < nk; i++) {
      keybuf[i] = row[kcols[i]];
      hasnull |= keybuf[i].isnull != 0;
    }
    if (ai == 0) keynull = hasnull && !(which >= 0 && s->indexes[which].nulls_not_distinct);
    if (hasnull && !(which >= 0 && s->indexes[which].nulls_not_distinct)) continue;   /* NULLs never conflict */
    if ((st = orb_table_unique_lookup(t, rt->ws, which, keybuf, &found, &loc, &old, e)) != ORB_OK) return st;
  }
  if (!found) {
    st = oql_checks_test(ck, rt, t, &row, 1, e);
    if (st == ORB_OK) st = orb_table_insert(t, rt->ws, &row, 1, e);
    if (st == ORB_OK) (*changes)++;
    if (st == ORB_OK && b->on_conflict == OQL_CONFLICT_UPDATE && !keynull) remember(seen, row, arena);
    if (st == ORB_OK) st = returning_row(ret, rt, row, e);
    return st;
  }
  if (b->on_conflict == OQL_CONFLICT_NOTHING) return ORB_OK;
  for (int i = 0; i < seen->nkey; i++) keybuf[i] = old[seen->cols[i]];
  if (seen_before(seen, keybuf)) {
    orb_err_setx(e, ORB_ERR_CONSTRAINT, "21000", 0, "ON CONFLICT DO UPDATE command cannot affect row a second time");
    orb_err_hint(e, "Ensure that no rows proposed for insertion within the same command have duplicate constrained values.");
    return e->code;
  }
  int n = s->ncols;
  for (int i = 0; i < n; i++) {
    both[i] = old[i];
    both[n + i] = row[i];
  }
  if (b->conflict_where) {
    bool ok;
    if ((st = orb_expr_test(b->conflict_where, &rt->ctx, both, &ok, e)) != ORB_OK) return st;
    if (!ok) return ORB_OK;
  }
  orb_value *nrow = orb_arena_alloc(arena, sizeof(orb_value) * (size_t)n);
  for (int i = 0; i < n; i++) nrow[i] = old[i];
  for (int j = 0; j < b->nset; j++) {
    orb_value v;
    if ((st = orb_expr_eval(b->set_exprs[j], &rt->ctx, both, &v, e)) != ORB_OK) return st;
    nrow[b->set_cols[j]] = v;
  }
  oql_row_copy(nrow, nrow, n, arena);
  const orb_value *nr = nrow;
  if ((st = oql_checks_test(ck, rt, t, &nr, 1, e)) != ORB_OK) return st;
  if ((st = orb_table_update(t, rt->ws, &loc, &nr, 1, e)) != ORB_OK) return st;
  (*changes)++;
  remember(seen, nr, arena);
  return returning_row(ret, rt, nr, e);
}

orb_status oql_exec_insert(oql_binsert *b, oql_rt *rt, int64_t *changes, oql_returning *ret, orb_err *e) {
  orb_table *t = b->table;
  int n = t->schema.ncols;
  if (!b->keybuf) oql_binsert_init(b, t);
  orb_arena_reset(&b->batch_arena);
  row_batch batch = {&b->batch_arena, b->batch, 0, b->batch_cap};
  *changes = 0;
  /* the table's CHECK constraints, bound once for all the rows */
  orb_arena ck_arena;
  orb_arena_init(&ck_arena, t->schema.nchecks ? 4096 : 64);
  oql_checks ck;
  orb_status st = oql_checks_bind(rt->db, &ck_arena, t, &ck, e);
  if (st != ORB_OK) {
    orb_arena_free(&ck_arena);
    return st;
  }
  st = oql_op_open(b->source, rt, e);
  bool stream = !b->materialize && b->on_conflict == OQL_CONFLICT_NONE;
  /* Streamed VALUES rows point at bytes that stay until their batch is
  ** written: parameters (bound before the statement ran), the plan's
  ** constants, or rt->tmp, which is reset only after a flush.  RETURNING
  ** resets rt->tmp between the rows of a batch, so it needs copies. */
  bool bytes_stay = stream && !ret;
  int nvalues = bytes_stay && !rt->analyze ? oql_values_count(b->source) : -1;
  if (nvalues >= 0) {
    /* a prepared multi-row INSERT: each VALUES row evaluated straight into
    ** its batch row, without a pass through the operator's one buffer */
    for (int r = 0; r < nvalues && st == ORB_OK; r++) {
      if ((++rt->tick & 255) == 0 && (st = oql_rt_check(rt, e)) != ORB_OK) break;   /* as oql_op_next checks */
      batch.rows = orb_grow(batch.rows, &batch.cap, batch.n + 1, sizeof(orb_value *));
      orb_value *row = orb_arena_alloc(batch.arena, sizeof(orb_value) * (size_t)n);
      if ((st = oql_values_eval(b->source, rt, r, row, e)) != ORB_OK) break;
      batch.rows[batch.n++] = row;
      if (batch.n >= INSERT_BATCH) {
        st = flush(t, &ck, rt, &batch, changes, ret, e);
        orb_arena_reset(&rt->tmp);
      }
    }
  }
  while (st == ORB_OK && nvalues < 0) {
    const orb_value *row;
    if ((st = oql_op_next(b->source, rt, &row, e)) != ORB_OK || !row) break;
    batch_add_row(&batch, row, n, bytes_stay);
    if (stream && batch.n >= INSERT_BATCH) {
      st = flush(t, &ck, rt, &batch, changes, ret, e);
      orb_arena_reset(&rt->tmp);
    }
  }
  oql_op_close(b->source, rt);
  if (st == ORB_OK) {
    if (b->on_conflict == OQL_CONFLICT_NONE) {
      st = flush(t, &ck, rt, &batch, changes, ret, e);
    } else {
      orb_arena scratch;
      orb_arena_init(&scratch, 16384);
      int *cols = orb_arena_alloc(&scratch, sizeof(int) * 2 * (size_t)(t->schema.ncols + 1));
      upsert_seen seen = {.cols = cols, .kcols = cols + t->schema.ncols + 1};
      seen.nkey = b->narbiters && b->arbiters[0] != -2 ? arbiter_cols(&t->schema, b->arbiters[0], seen.cols) : 0;
      orb_hmap_init(&seen.keys, 0);
      for (size_t i = 0; i < batch.n && st == ORB_OK; i++) {
        st = upsert_row(b, &ck, rt, batch.rows[i], b->keybuf, b->both, &scratch, &seen, changes, ret, e);
        orb_arena_reset(&rt->tmp);
      }
      orb_hmap_free(&seen.keys);
      orb_arena_free(&scratch);
    }
  }
  b->batch = batch.rows;
  b->batch_cap = batch.cap;
  orb_arena_recycle(&b->batch_arena);   /* a prepared INSERT runs again with batches alike */
  orb_arena_free(&ck_arena);
  return st;
}

/* Collect (locator, new row) for every row matching b->pred. */
static orb_status collect(oql_bmodify *b, oql_rt *rt, bool want_rows, uint64_t **locs, size_t *nlocs,
                          row_batch *rows, orb_err *e) {
  orb_table *t = b->table;
  int n = t->schema.ncols;
  orb_arena parena;
  orb_arena_init(&parena, 4096);
  orb_eval_ctx pctx = rt->ctx;
  pctx.arena = &parena;
  orb_scan_req req = {NULL, n, b->pred, &pctx, rt->snap};
  orb_table_scan *scan;
  orb_status st = orb_table_scan_begin(t, &req, &scan, e);
  if (st != ORB_OK) {
    orb_arena_free(&parena);
    return st;
  }
  orb_row_batch *rb = orb_malloc(sizeof *rb);
  orb_value *nrow = orb_malloc(sizeof(orb_value) * (size_t)(n + 1));
  size_t cap = 0;
  for (;;) {
    orb_arena_reset(&parena);
    if ((st = orb_table_scan_next(scan, rb, e)) != ORB_OK || rb->nrows == 0) break;
    for (int i = 0; i < rb->nrows && st == ORB_OK; i++) {
      *locs = orb_grow(*locs, &cap, *nlocs + 1, sizeof(uint64_t));
      (*locs)[(*nlocs)++] = rb->locators[i];
      if (!want_rows) continue;
      const orb_value *old = rb->rows[i];
      for (int c = 0; c < n; c++) nrow[c] = old[c];
      for (int j = 0; j < b->nset && st == ORB_OK; j++)
        st = orb_expr_eval(b->set_exprs[j], &rt->ctx, old, &nrow[b->set_cols[j]], e);
      if (st == ORB_OK) batch_add(rows, nrow, n);
      orb_arena_reset(&rt->tmp);
    }
    if (st != ORB_OK) break;
  }
  orb_table_scan_end(scan, NULL);
  orb_free(rb);
  orb_free(nrow);
  orb_arena_free(&parena);
  return st;
}

/* UPDATE ... FROM / DELETE ... USING: the rows of the join (bound.h's
** source): each target row once, at its first join row.  rows (UPDATE)
** gets the new rows, rets (RETURNING) their result rows. */
static orb_status collect_joined(oql_bmodify *b, oql_rt *rt, bool upd, oql_returning *ret, uint64_t **locs, size_t *n,
                                 row_batch *rows, row_batch *rets, orb_err *e) {
  int ncols = upd ? b->table->schema.ncols : 0;
  orb_hmap seen;   /* locator hash -> 1 + its index in *locs */
  orb_hmap_init(&seen, 0);
  size_t cap = 0;
  orb_status st = oql_op_open(b->source, rt, e);
  while (st == ORB_OK) {
    const orb_value *row;
    orb_arena_reset(&rt->tmp);
    if ((st = oql_op_next(b->source, rt, &row, e)) != ORB_OK || !row) break;
    uint64_t loc = (uint64_t)row[0].u.i, h = orb_hash_u64(loc);
    orb_hmap_iter it;
    bool dup = false;
    for (void *v = orb_hmap_find(&seen, h, &it); v && !dup; v = orb_hmap_next(&it)) dup = (*locs)[(uintptr_t)v - 1] == loc;
    if (dup) continue;
    *locs = orb_grow(*locs, &cap, *n + 1, sizeof(uint64_t));
    (*locs)[(*n)++] = loc;
    orb_hmap_put(&seen, h, (void *)(uintptr_t)*n);
    if (upd) batch_add(rows, row + 1, ncols);
    if (ret) batch_add(rets, row + 1 + ncols, ret->n);
  }
  oql_op_close(b->source, rt);
  orb_hmap_free(&seen);
  return st;
}

/* UPDATE ... FROM / DELETE ... USING. */
static orb_status exec_joined(oql_bmodify *b, oql_rt *rt, bool upd, int64_t *changes, oql_returning *ret, orb_err *e) {
  uint64_t *locs = NULL;
  size_t n = 0;
  orb_arena ra;
  orb_arena_init(&ra, 65536);
  row_batch rows = {&ra, NULL, 0, 0}, rets = {&ra, NULL, 0, 0};
  *changes = 0;
  orb_status st = collect_joined(b, rt, upd, ret, &locs, &n, &rows, &rets, e);
  if (st == ORB_OK && n > (size_t)INT32_MAX)
    st = orb_err_set(e, ORB_ERR_LIMIT, "too many rows in one %s", upd ? "UPDATE" : "DELETE");
  if (st == ORB_OK && n > 0) {
    if (upd) st = oql_check_rows(b->table, rt, (const orb_value *const *)rows.rows, n, e);
    if (st == ORB_OK)
      st = upd ? orb_table_update(b->table, rt->ws, locs, (const orb_value *const *)rows.rows, (int)n, e)
               : orb_table_delete(b->table, rt->ws, locs, (int)n, e);
    if (st == ORB_OK) *changes = (int64_t)n;
    for (size_t i = 0; st == ORB_OK && ret && i < n; i++) oql_rows_add(ret->rows, ret->arena, rets.rows[i]);
  }
  orb_free(locs);
  orb_free(rows.rows);
  orb_free(rets.rows);
  orb_arena_free(&ra);
  return st;
}

orb_status oql_exec_update(oql_bmodify *b, oql_rt *rt, int64_t *changes, oql_returning *ret, orb_err *e) {
  if (b->source) return exec_joined(b, rt, true, changes, ret, e);
  uint64_t *locs = NULL;
  size_t n = 0;
  orb_arena ra;
  orb_arena_init(&ra, 65536);
  row_batch rows = {&ra, NULL, 0, 0};
  *changes = 0;
  orb_status st = collect(b, rt, true, &locs, &n, &rows, e);
  if (st == ORB_OK && n > 0) {
    if (n > (size_t)INT32_MAX) {
      st = orb_err_set(e, ORB_ERR_LIMIT, "too many rows in one UPDATE");
    } else {
      st = oql_check_rows(b->table, rt, (const orb_value *const *)rows.rows, n, e);
      if (st == ORB_OK) st = orb_table_update(b->table, rt->ws, locs, (const orb_value *const *)rows.rows, (int)n, e);
      if (st == ORB_OK) *changes = (int64_t)n;
      if (st == ORB_OK) st = returning_rows(ret, rt, (const orb_value *const *)rows.rows, n, e);
    }
  }
  orb_free(locs);
  orb_free(rows.rows);
  orb_arena_free(&ra);
  return st;
}

orb_status oql_exec_delete(oql_bmodify *b, oql_rt *rt, int64_t *changes, oql_returning *ret, orb_err *e) {
  if (b->source) return exec_joined(b, rt, false, changes, ret, e);
  uint64_t *locs = NULL;
  size_t n = 0;
  orb_arena ra;   /* the deleted rows, kept for RETURNING */
  orb_arena_init(&ra, ret ? 65536 : 64);
  row_batch rows = {&ra, NULL, 0, 0};
  *changes = 0;
  orb_status st = collect(b, rt, ret != NULL, &locs, &n, &rows, e);
  if (st == ORB_OK && n > 0) {
    if (n > (size_t)INT32_MAX) {
      st = orb_err_set(e, ORB_ERR_LIMIT, "too many rows in one DELETE");
    } else {
      st = orb_table_delete(b->table, rt->ws, locs, (int)n, e);
      if (st == ORB_OK) *changes = (int64_t)n;
      if (st == ORB_OK) st = returning_rows(ret, rt, (const orb_value *const *)rows.rows, n, e);
    }
  }
  orb_free(locs);
  orb_free(rows.rows);
  orb_arena_free(&ra);
  return st;
}
