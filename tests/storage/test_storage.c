/* tests/storage/test_storage.c — hot tier and tiered table in memory: rows, keys,
** constraints, write-set atomicity, statistics, scans and EXPLAIN. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "storage_util.h"
#include "storage/rowcodec.h"
#include "expr/expr.h"
#include "types/array.h"
#include "types/value.h"

typedef struct fixture {
  char *path;
  orb_db *db;
  orb_table *t;
  orb_arena arena;
} fixture;

static int setup(void **state) {
  fixture *f = orb_calloc(1, sizeof *f);
  f->path = fresh_db_path("storage");
  f->db = open_db(f->path, false);
  if (!f->db) return -1;
  f->t = create_events(f->db, "events");
  orb_arena_init(&f->arena, 0);
  orb_err e;
  if (!f->t || insert_range(f->db, f->t, 1, 101, &e) != ORB_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  orb_db_close(f->db);
  drop_db_path(f->path);
  orb_arena_free(&f->arena);
  orb_free(f);
  return 0;
}

static orb_expr *col(fixture *f, int slot) {
  return orb_expr_column(&f->arena, slot, f->t->schema.cols[slot].type);
}
static orb_expr *cint(fixture *f, int64_t v) {
  return orb_expr_const(&f->arena, orb_int(ORB_T_INT64, v), orb_type_make(ORB_T_INT64));
}
static orb_expr *cmp(fixture *f, int op, orb_expr *a, orb_expr *b) {
  orb_expr *x = orb_expr_new(&f->arena, ORB_E_CMP, orb_type_make(ORB_T_BOOL), 2);
  x->op = (uint8_t)op;
  x->args[0] = a;
  x->args[1] = b;
  return x;
}
static orb_expr *in_list(fixture *f, orb_expr *c, const int64_t *vals, int n) {
  orb_expr *x = orb_expr_new(&f->arena, ORB_E_IN, orb_type_make(ORB_T_BOOL), n + 1);
  x->args[0] = c;
  for (int i = 0; i < n; i++) x->args[i + 1] = cint(f, vals[i]);
  return x;
}
static orb_expr *and2(fixture *f, orb_expr *a, orb_expr *b) {
  orb_expr *x = orb_expr_new(&f->arena, ORB_E_AND, orb_type_make(ORB_T_BOOL), 2);
  x->args[0] = a;
  x->args[1] = b;
  return x;
}

/* The write set the test is inside, if any: lookups and counts see its changes. */
static orb_wset *cur_ws;

static const orb_value *lookup(orb_table *t, int64_t id, uint64_t *loc) {
  orb_value k = orb_int(ORB_T_INT64, id);
  bool found = false;
  const orb_value *row = NULL;
  orb_err e;
  uint64_t l = 0;
  assert_int_equal(orb_table_pk_lookup(t, cur_ws, &k, &found, &l, &row, &e), ORB_OK);
  if (loc) *loc = l;
  return found ? row : NULL;
}

static int64_t count_all(orb_table *t) {
  int64_t n = -2;
  orb_err e;
  const orb_snapshot *snap = cur_ws ? orb_wset_snapshot(cur_ws) : NULL;
  assert_int_equal(orb_table_count(t, snap, NULL, NULL, &n, &e), ORB_OK);
  if (n >= 0) return n;
  /* not answerable from the count kept (changes in flight): scan */
  orb_scan_req req = {NULL, 0, NULL, NULL, snap};
  orb_table_scan *sc;
  assert_int_equal(orb_table_scan_begin(t, &req, &sc, &e), ORB_OK);
  orb_row_batch *b = orb_malloc(sizeof *b);
  n = 0;
  do {
    assert_int_equal(orb_table_scan_next(sc, b, &e), ORB_OK);
    n += b->nrows;
  } while (b->nrows);
  orb_free(b);
  orb_table_scan_end(sc, NULL);
  return n;
}

static void test_insert_scan_lookup(void **state) {
  fixture *f = *state;
  int64_t sum = 0;
  assert_int_equal(scan_count(f->t, NULL, NULL, &sum), 100);
  assert_int_equal(sum, 5050);
  assert_int_equal(count_all(f->t), 100);
  const orb_value *r = lookup(f->t, 42, NULL);
  assert_non_null(r);
  assert_int_equal(r[0].u.i, 42);
  assert_int_equal(r[1].u.i, 42000);
  assert_int_equal(r[2].len, 3);
  assert_memory_equal(r[2].u.s, "n42", 3);
  assert_true(r[3].u.f == 21.0);
  assert_null(lookup(f->t, 1000, NULL));
}

static void test_update_delete(void **state) {
  fixture *f = *state;
  orb_err e;
  uint64_t loc;
  const orb_value *old = lookup(f->t, 10, &loc);
  assert_non_null(old);
  orb_value nr[4];
  memcpy(nr, old, sizeof nr);
  nr[2] = orb_text("changed", 7);
  nr[3] = orb_null(ORB_T_FLOAT64);
  const orb_value *rows[1] = {nr};
  orb_wset *ws = orb_wset_begin(f->db);
  cur_ws = ws;
  assert_int_equal(orb_table_update(f->t, ws, &loc, rows, 1, &e), ORB_OK);
  uint64_t locs[10];
  for (int i = 0; i < 10; i++) assert_non_null(lookup(f->t, 20 + i, &locs[i]));
  assert_int_equal(orb_table_delete(f->t, ws, locs, 10, &e), ORB_OK);
  assert_int_equal(orb_wset_changes(ws), 11);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  cur_ws = NULL;

  const orb_value *r = lookup(f->t, 10, NULL);
  assert_memory_equal(r[2].u.s, "changed", 7);
  assert_true(r[3].isnull);
  for (int i = 20; i < 30; i++) assert_null(lookup(f->t, i, NULL));
  int64_t sum;
  assert_int_equal(scan_count(f->t, NULL, NULL, &sum), 90);
  assert_int_equal(sum, 5050 - (20 + 29) * 10 / 2);
  assert_int_equal(count_all(f->t), 90);
  orb_tier_stats st;
  orb_table_stats(f->t, &st);
  assert_int_equal(st.row_count, 90);
  assert_int_equal(st.cols[3].null_count, 1);
  assert_true(st.bytes > 90 * 4 * (int64_t)sizeof(orb_value));
  orb_free(st.cols);
}

static void test_point_lookup_scans(void **state) {
  fixture *f = *state;
  orb_eval_ctx ctx = {.arena = &f->arena};
  orb_expr *p1 = cmp(f, ORB_CMP_EQ, col(f, 0), cint(f, 5));
  int64_t sum;
  assert_int_equal(scan_count(f->t, p1, &ctx, &sum), 1);
  assert_int_equal(sum, 5);
  orb_scan_req req = {NULL, 0, p1, &ctx, NULL};
  orb_buf b = ORB_BUF_INIT;
  orb_table_explain(f->t, &req, &b);
  assert_string_equal(b.data, "hot: primary-key point lookup (1 key)\n");

  int64_t keys[] = {1, 2, 3, 1000};
  orb_expr *p2 = in_list(f, col(f, 0), keys, 4);
  assert_int_equal(scan_count(f->t, p2, &ctx, &sum), 3);
  assert_int_equal(sum, 6);
  orb_buf_reset(&b);
  req.pred = p2;
  orb_table_explain(f->t, &req, &b);
  assert_string_equal(b.data, "hot: primary-key point lookup (4 keys)\n");
  int64_t n;
  orb_err e;
  assert_int_equal(orb_table_count(f->t, NULL, p2, &ctx, &n, &e), ORB_OK);
  assert_int_equal(n, 3);

  /* the key is pinned but another conjunct filters too */
  orb_expr *p3 = and2(f, p2, cmp(f, ORB_CMP_GT, col(f, 1), orb_expr_const(&f->arena, orb_int(ORB_T_TIMESTAMP, 1500),
                                                                          orb_type_make(ORB_T_TIMESTAMP))));
  assert_int_equal(scan_count(f->t, p3, &ctx, &sum), 2);
  assert_int_equal(sum, 5);
  orb_scan_req r3 = {NULL, 0, p3, &ctx, NULL};
  orb_table_scan *s;
  assert_int_equal(orb_table_scan_begin(f->t, &r3, &s, &e), ORB_OK);
  orb_row_batch *rb = orb_malloc(sizeof *rb);
  assert_int_equal(orb_table_scan_next(s, rb, &e), ORB_OK);
  orb_scan_stats ss;
  orb_table_scan_end(s, &ss);
  assert_int_equal(ss.index_lookups, 4);
  assert_int_equal(ss.rows_scanned, 3);
  assert_int_equal(ss.rows_returned, 2);

  /* no key: full scan with filter */
  orb_expr *p4 = cmp(f, ORB_CMP_GT, col(f, 0), cint(f, 90));
  assert_int_equal(scan_count(f->t, p4, &ctx, &sum), 10);
  assert_int_equal(orb_table_count(f->t, NULL, p4, &ctx, &n, &e), ORB_OK);
  assert_int_equal(n, -1);
  orb_buf_reset(&b);
  req.pred = p4;
  orb_table_explain(f->t, &req, &b);
  assert_true(strncmp(b.data, "hot: full scan with filter: ", 28) == 0);
  assert_non_null(strstr(b.data, "id"));
  orb_buf_reset(&b);
  req.pred = NULL;
  orb_table_explain(f->t, &req, &b);
  assert_string_equal(b.data, "hot: full scan\n");

  /* projection */
  int proj[2] = {3, 0};
  orb_scan_req pr = {proj, 2, p4, &ctx, NULL};
  assert_int_equal(orb_table_scan_begin(f->t, &pr, &s, &e), ORB_OK);
  assert_int_equal(orb_table_scan_next(s, rb, &e), ORB_OK);
  assert_int_equal(rb->nrows, 10);
  for (int i = 0; i < rb->nrows; i++) {
    assert_true(rb->rows[i][0].u.f * 2 == (double)rb->rows[i][1].u.i);
    assert_true(rb->rows[i][1].u.i > 90);
    uint64_t loc;
    assert_non_null(lookup(f->t, rb->rows[i][1].u.i, &loc));
    assert_true(loc == rb->locators[i]);
  }
  orb_table_scan_end(s, NULL);
  orb_free(rb);
  orb_buf_free(&b);
}

static void test_composite_key(void **state) {
  fixture *f = *state;
  orb_schema s;
  orb_schema_init(&s);
  int32_t a = orb_schema_add_column(&s, "a", orb_type_make(ORB_T_INT32), false, NULL);
  int32_t b = orb_schema_add_column(&s, "b", orb_type_make(ORB_T_TEXT), false, NULL);
  orb_schema_add_column(&s, "v", orb_type_make(ORB_T_INT64), false, NULL);
  s.pk = orb_malloc(2 * sizeof(int32_t));
  s.pk[0] = a;
  s.pk[1] = b;
  s.npk = 2;
  orb_err e;
  orb_wset *ws = orb_wset_begin(f->db);
  cur_ws = ws;
  orb_table *t;
  assert_int_equal(orb_db_create_table(f->db, ws, "grid", &s, &t, &e), ORB_OK);
  static const char *bs[] = {"b0", "b1", "b2"};
  orb_value vals[30][3];
  const orb_value *rows[30];
  for (int i = 0; i < 10; i++)
    for (int j = 0; j < 3; j++) {
      orb_value *r = vals[i * 3 + j];
      r[0] = orb_int(ORB_T_INT32, i);
      r[1] = orb_text(bs[j], 2);
      r[2] = orb_int(ORB_T_INT64, i * 10 + j);
      rows[i * 3 + j] = r;
    }
  assert_int_equal(orb_table_insert(t, ws, rows, 30, &e), ORB_OK);
  /* same a, same b: duplicate; same a, other b: fine */
  assert_int_equal(orb_table_insert(t, ws, &rows[4], 1, &e), ORB_ERR_UNIQUE);
  assert_non_null(strstr(e.detail, "Key (a, b)=(1, b1) already exists."));
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  cur_ws = NULL;

  orb_value key[2] = {orb_int(ORB_T_INT32, 3), orb_text("b2", 2)};
  bool found;
  const orb_value *row;
  uint64_t loc;
  assert_int_equal(orb_table_pk_lookup(t, NULL, key, &found, &loc, &row, &e), ORB_OK);
  assert_true(found);
  assert_int_equal(row[2].u.i, 32);
  key[1] = orb_text("b9", 2);
  assert_int_equal(orb_table_pk_lookup(t, NULL, key, &found, &loc, &row, &e), ORB_OK);
  assert_false(found);

  /* a IN (1, 2) AND b = 'b1': two point lookups */
  orb_eval_ctx ctx = {.arena = &f->arena};
  orb_expr *ca = orb_expr_column(&f->arena, 0, orb_type_make(ORB_T_INT32));
  orb_expr *cb = orb_expr_column(&f->arena, 1, orb_type_make(ORB_T_TEXT));
  orb_expr *in = orb_expr_new(&f->arena, ORB_E_IN, orb_type_make(ORB_T_BOOL), 3);
  in->args[0] = ca;
  in->args[1] = orb_expr_const(&f->arena, orb_int(ORB_T_INT32, 1), orb_type_make(ORB_T_INT32));
  in->args[2] = orb_expr_const(&f->arena, orb_int(ORB_T_INT32, 2), orb_type_make(ORB_T_INT32));
  orb_expr *eq = cmp(f, ORB_CMP_EQ, cb, orb_expr_const(&f->arena, orb_text("b1", 2), orb_type_make(ORB_T_TEXT)));
  orb_expr *p = and2(f, in, eq);
  int64_t sum = 0, n = scan_count(t, p, &ctx, &sum);
  assert_int_equal(n, 2);
  orb_scan_req req = {NULL, 0, p, &ctx, NULL};
  orb_buf ex = ORB_BUF_INIT;
  orb_table_explain(t, &req, &ex);
  assert_string_equal(ex.data, "hot: primary-key point lookup (2 keys)\n");
  orb_buf_reset(&ex);
  req.pred = in;   /* only part of the key pinned */
  orb_table_explain(t, &req, &ex);
  assert_true(strncmp(ex.data, "hot: full scan with filter", 26) == 0);
  assert_int_equal(scan_count(t, in, &ctx, NULL), 6);
  orb_buf_free(&ex);
  orb_schema_free(&s);
}

static void test_constraints_and_atomicity(void **state) {
  fixture *f = *state;
  orb_err e;
  char nb[5][16];
  orb_value v[5][4];
  const orb_value *rows[5];
  for (int i = 0; i < 5; i++) {
    event_row(v[i], 200 + i, nb[i]);
    rows[i] = v[i];
  }
  orb_wset *ws = orb_wset_begin(f->db);
  cur_ws = ws;

  v[1][1] = orb_null(ORB_T_TIMESTAMP);
  assert_int_equal(orb_table_insert(f->t, ws, rows, 5, &e), ORB_ERR_NOT_NULL);
  assert_string_equal(e.msg, "null value in column \"ts\" of relation \"events\" violates not-null constraint");
  assert_string_equal(orb_err_sqlstate(&e), "23502");
  v[1][1] = orb_int(ORB_T_TIMESTAMP, 5);

  v[2][0] = orb_null(ORB_T_INT64);   /* key columns are NOT NULL */
  assert_int_equal(orb_table_insert(f->t, ws, rows, 5, &e), ORB_ERR_NOT_NULL);
  assert_non_null(strstr(e.msg, "\"id\""));
  v[2][0] = orb_int(ORB_T_INT64, 202);

  v[3][2] = orb_text("ninechars", 9);
  assert_int_equal(orb_table_insert(f->t, ws, rows, 5, &e), ORB_ERR_CONSTRAINT);
  assert_string_equal(e.msg, "value too long for type character varying(8)");
  assert_string_equal(orb_err_sqlstate(&e), "22001");
  v[3][2] = orb_text("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10);   /* 5 characters, 10 bytes: fits */

  /* duplicate of an existing row in the 3rd position: nothing of the batch stays */
  v[2][0] = orb_int(ORB_T_INT64, 42);
  assert_int_equal(orb_table_insert(f->t, ws, rows, 5, &e), ORB_ERR_UNIQUE);
  assert_string_equal(e.msg,
                      "duplicate key value violates unique constraint \"events_pkey\"");
  assert_string_equal(e.detail, "Key (id)=(42) already exists.");
  assert_string_equal(orb_err_sqlstate(&e), "23505");
  assert_null(lookup(f->t, 200, NULL));
  assert_null(lookup(f->t, 201, NULL));
  assert_int_equal(count_all(f->t), 100);
  assert_int_equal(orb_wset_changes(ws), 0);

  /* duplicate within the batch */
  v[2][0] = orb_int(ORB_T_INT64, 200);
  assert_int_equal(orb_table_insert(f->t, ws, rows, 5, &e), ORB_ERR_UNIQUE);
  assert_non_null(strstr(e.detail, "Key (id)=(200)"));
  assert_int_equal(count_all(f->t), 100);

  v[2][0] = orb_int(ORB_T_INT64, 202);
  assert_int_equal(orb_table_insert(f->t, ws, rows, 5, &e), ORB_OK);
  assert_int_equal(count_all(f->t), 105);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  cur_ws = NULL;
  assert_int_equal(count_all(f->t), 105);
  const orb_value *r = lookup(f->t, 203, NULL);
  assert_int_equal(r[2].len, 10);

  /* UPDATE changing the key onto an existing one */
  uint64_t loc;
  const orb_value *old = lookup(f->t, 5, &loc);
  orb_value nr[4];
  memcpy(nr, old, sizeof nr);
  nr[0] = orb_int(ORB_T_INT64, 6);
  const orb_value *up[1] = {nr};
  ws = orb_wset_begin(f->db);
  cur_ws = ws;
  assert_int_equal(orb_table_update(f->t, ws, &loc, up, 1, &e), ORB_ERR_UNIQUE);
  nr[0] = orb_int(ORB_T_INT64, 5000);
  assert_int_equal(orb_table_update(f->t, ws, &loc, up, 1, &e), ORB_OK);
  assert_null(lookup(f->t, 5, NULL));
  assert_non_null(lookup(f->t, 5000, NULL));
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  cur_ws = NULL;
  assert_non_null(lookup(f->t, 5000, NULL));
  assert_null(lookup(f->t, 5, NULL));
}

static void test_abort_restores(void **state) {
  fixture *f = *state;
  orb_err e;
  int64_t sum0;
  assert_int_equal(scan_count(f->t, NULL, NULL, &sum0), 100);
  orb_tier_stats s0;
  orb_table_stats(f->t, &s0);

  orb_wset *ws = orb_wset_begin(f->db);
  cur_ws = ws;
  assert_int_equal(orb_table_insert(f->t, ws, NULL, 0, &e), ORB_OK);
  char nb[3][16];
  orb_value v[3][4];
  const orb_value *rows[3];
  for (int i = 0; i < 3; i++) {
    event_row(v[i], 500 + i, nb[i]);
    v[i][3] = orb_null(ORB_T_FLOAT64);
    rows[i] = v[i];
  }
  assert_int_equal(orb_table_insert(f->t, ws, rows, 3, &e), ORB_OK);
  uint64_t loc[4];
  lookup(f->t, 1, &loc[0]);
  lookup(f->t, 100, &loc[1]);
  lookup(f->t, 501, &loc[2]);    /* a row inserted by this write set */
  assert_int_equal(orb_table_delete(f->t, ws, loc, 3, &e), ORB_OK);
  lookup(f->t, 50, &loc[3]);
  orb_value nr[4];
  memcpy(nr, lookup(f->t, 50, NULL), sizeof nr);
  nr[0] = orb_int(ORB_T_INT64, 777);
  nr[2] = orb_text("upd", 3);
  const orb_value *up[1] = {nr};
  assert_int_equal(orb_table_update(f->t, ws, &loc[3], up, 1, &e), ORB_OK);
  /* and DDL in the same write set */
  orb_schema s;
  events_schema(&s);
  orb_table *nt;
  assert_int_equal(orb_db_create_table(f->db, ws, "other", &s, &nt, &e), ORB_OK);
  assert_int_equal(orb_db_create_table(f->db, ws, "other", &s, &nt, &e), ORB_ERR_DUPLICATE);
  assert_string_equal(e.msg, "relation \"other\" already exists");
  orb_schema_free(&s);
  assert_int_equal(orb_db_rename_table(f->db, ws, f->t, "renamed", &e), ORB_OK);
  assert_null(orb_db_table(f->db, "events"));
  assert_int_equal(count_all(f->t), 100 + 3 - 3);
  orb_wset_abort(ws);
  cur_ws = NULL;

  assert_ptr_equal(orb_db_table(f->db, "events"), f->t);
  assert_null(orb_db_table(f->db, "other"));
  assert_null(orb_db_table(f->db, "renamed"));
  int64_t sum;
  assert_int_equal(scan_count(f->t, NULL, NULL, &sum), 100);
  assert_int_equal(sum, sum0);
  assert_non_null(lookup(f->t, 1, NULL));
  assert_non_null(lookup(f->t, 50, NULL));
  assert_null(lookup(f->t, 777, NULL));
  assert_null(lookup(f->t, 501, NULL));
  assert_memory_equal(lookup(f->t, 50, NULL)[2].u.s, "n50", 3);
  orb_tier_stats s1;
  orb_table_stats(f->t, &s1);
  assert_int_equal(s1.row_count, s0.row_count);
  assert_int_equal(s1.bytes, s0.bytes);
  for (int i = 0; i < 4; i++) assert_int_equal(s1.cols[i].null_count, s0.cols[i].null_count);
  orb_free(s0.cols);
  orb_free(s1.cols);

  /* DROP and ALTER undone */
  ws = orb_wset_begin(f->db);
  cur_ws = ws;
  orb_schema ns;
  orb_schema_copy(&ns, &f->t->schema);
  orb_schema_add_column(&ns, "flag", orb_type_make(ORB_T_BOOL), false, NULL);
  orb_value fill[5];
  for (int i = 0; i < 5; i++) fill[i] = orb_null(ORB_T_NULL);
  fill[4] = orb_bool(true);
  assert_int_equal(orb_db_alter_table(f->db, ws, f->t, &ns, fill, &e), ORB_OK);
  assert_int_equal(f->t->schema.ncols, 5);
  assert_true(lookup(f->t, 7, NULL)[4].u.b);
  assert_int_equal(orb_db_drop_table(f->db, ws, f->t, &e), ORB_OK);
  assert_null(orb_db_table(f->db, "events"));
  orb_wset_abort(ws);
  cur_ws = NULL;
  orb_schema_free(&ns);
  assert_ptr_equal(orb_db_table(f->db, "events"), f->t);
  assert_int_equal(f->t->schema.ncols, 4);
  assert_int_equal(count_all(f->t), 100);
  assert_memory_equal(lookup(f->t, 7, NULL)[2].u.s, "n7", 2);
}

static void test_stats_minmax(void **state) {
  fixture *f = *state;
  orb_tier_stats st;
  orb_table_stats(f->t, &st);
  assert_true(st.cols[0].has_minmax);
  assert_int_equal(st.cols[0].min.u.i, 1);
  assert_int_equal(st.cols[0].max.u.i, 100);
  assert_int_equal(st.cols[2].min.len, 2);
  assert_memory_equal(st.cols[2].min.u.s, "n1", 2);
  assert_memory_equal(st.cols[2].max.u.s, "n99", 3);
  orb_free(st.cols);
  /* delete the min and the max: recomputed when asked */
  orb_err e;
  uint64_t loc[2];
  lookup(f->t, 1, &loc[0]);
  lookup(f->t, 100, &loc[1]);
  orb_wset *ws = orb_wset_begin(f->db);
  cur_ws = ws;
  assert_int_equal(orb_table_delete(f->t, ws, loc, 2, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  cur_ws = NULL;
  orb_table_stats(f->t, &st);
  assert_int_equal(st.row_count, 98);
  assert_int_equal(st.cols[0].min.u.i, 2);
  assert_int_equal(st.cols[0].max.u.i, 99);
  assert_true(st.cols[3].max.u.f == 49.5);
  orb_free(st.cols);
}

/* Insert one events row (id, ts, "x", amount) in its own write set. */
static void insert_one(fixture *f, int64_t id, int64_t ts, double amount) {
  orb_value row[4] = {orb_int(ORB_T_INT64, id), orb_int(ORB_T_TIMESTAMP, ts), orb_text("x", 1),
                      orb_float(ORB_T_FLOAT64, amount)};
  const orb_value *rows[1] = {row};
  orb_err e;
  orb_wset *ws = orb_wset_begin(f->db);
  assert_int_equal(orb_table_insert(f->t, ws, rows, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
}

/* Numbers keep min/max by a shortcut on insert; NaN still sorts above every number. */
static void test_stats_minmax_numbers(void **state) {
  fixture *f = *state;
  insert_one(f, -5, -1, -1e300);
  insert_one(f, 500, 1000000000000, 1e300);
  orb_tier_stats st;
  orb_table_stats(f->t, &st);
  assert_int_equal(st.cols[0].min.u.i, -5);
  assert_int_equal(st.cols[0].max.u.i, 500);
  assert_int_equal(st.cols[1].min.u.i, -1);
  assert_int_equal(st.cols[1].max.u.i, 1000000000000);
  assert_true(st.cols[3].min.u.f == -1e300);
  assert_true(st.cols[3].max.u.f == 1e300);
  orb_free(st.cols);
  insert_one(f, 501, 0, NAN);
  insert_one(f, 502, 0, 2e300);   /* below NaN: the maximum stays NaN */
  insert_one(f, 503, 0, -INFINITY);
  orb_table_stats(f->t, &st);
  assert_true(isnan(st.cols[3].max.u.f));
  assert_true(isinf(st.cols[3].min.u.f) && st.cols[3].min.u.f < 0);
  assert_int_equal(st.cols[0].max.u.i, 503);
  orb_free(st.cols);
}

/* An array column as the log holds it: element type, bounds, count and
** tagged elements (NULL ones too) read back into the arena; every
** truncation of the record, and an element of another type, is reported
** corrupt rather than misread. */
static void test_rowcodec_arrays(void **state) {
  (void)state;
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "id", orb_type_make(ORB_T_INT32), false, NULL);
  orb_schema_add_column(&s, "tags", orb_type_array(ORB_T_TEXT), false, NULL);
  orb_schema_add_column(&s, "n", orb_type_array(ORB_T_INT64), false, NULL);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_value tags[3] = {orb_text("a", 1), orb_null(ORB_T_TEXT), orb_text("b c", 3)};
  orb_value row[3] = {orb_int(ORB_T_INT32, 7), orb_array_make(&a, ORB_T_TEXT, tags, 3),
                      orb_array_make(&a, ORB_T_INT64, NULL, 0)};
  orb_buf b = ORB_BUF_INIT;
  rowcodec_put(&b, &s, row, NULL);
  orb_arena out_arena;
  orb_arena_init(&out_arena, 0);
  orb_value out[3];
  orb_err e;
  orb_rd r;
  orb_rd_init(&r, b.data, b.len);
  assert_int_equal(rowcodec_get(&r, &s, out, &out_arena, &e), ORB_OK);
  assert_int_equal(orb_rd_left(&r), 0);
  assert_int_equal(out[1].type, ORB_T_ARRAY);
  assert_int_equal(orb_array_cmp(&out[1], &row[1]), 0);
  assert_true(out[1].u.arr->items[1].isnull && out[1].u.arr->lower == 1 && out[1].scale == ORB_T_TEXT);
  assert_int_equal(out[2].u.arr->n, 0);
  /* without an arena an array cannot be read */
  orb_rd_init(&r, b.data, b.len);
  assert_int_equal(rowcodec_get(&r, &s, out, NULL, &e), ORB_ERR_CORRUPT);
  for (size_t cut = 0; cut < b.len; cut++) {
    orb_rd_init(&r, b.data, cut);
    assert_int_equal(rowcodec_get(&r, &s, out, &out_arena, &e), ORB_ERR_CORRUPT);
  }
  /* an element whose tag is not the array's element type */
  orb_value ints[1] = {orb_int(ORB_T_INT64, 5)};
  orb_value bad = orb_array_make(&a, ORB_T_INT64, ints, 1);
  bad.scale = ORB_T_TEXT;
  orb_buf_reset(&b);
  rowcodec_put_value(&b, &bad);
  orb_rd_init(&r, b.data, b.len);
  orb_value v;
  assert_false(rowcodec_get_value(&r, &v, &out_arena));
  orb_buf_free(&b);
  orb_arena_free(&a);
  orb_arena_free(&out_arena);
  orb_schema_free(&s);
}

/* Rows as the log holds them: integers and timestamps of every byte length
** (zigzag varints of 1 to 10 bytes) encode to LEB128 byte for byte and
** read back the same. */
static void test_rowcodec_integers(void **state) {
  (void)state;
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "i", orb_type_make(ORB_T_INT64), false, NULL);
  orb_schema_add_column(&s, "t", orb_type_make(ORB_T_TIMESTAMP), false, NULL);
  for (int bit = 0; bit < 64; bit++)
    for (int k = 0; k < 4; k++) {
      uint64_t u = ((uint64_t)1 << bit) + (k == 1 ? UINT64_MAX : k == 2 ? 1 : 0);   /* 2^bit - 1, + 1 (wrapping) */
      if (k == 3) u = 0 - u;
      int64_t v = (int64_t)u;
      orb_value row[2] = {orb_int(ORB_T_INT64, v), orb_int(ORB_T_TIMESTAMP, ~v)};
      orb_buf b = ORB_BUF_INIT;
      rowcodec_put(&b, &s, row, NULL);
      /* the same bytes by hand: count, then (field id, tag, zigzag varint) per column */
      uint8_t want[64];
      size_t n = orb_varint_encode(want, 2);
      for (int c = 0; c < 2; c++) {
        n += orb_varint_encode(want + n, (uint64_t)s.cols[c].field_id);
        want[n++] = row[c].type;
        n += orb_varint_encode(want + n, orb_zigzag(row[c].u.i));
      }
      assert_int_equal(b.len, n);
      assert_memory_equal(b.data, want, n);
      orb_rd r;
      orb_rd_init(&r, b.data, b.len);
      orb_value out[2];
      orb_err e;
      assert_int_equal(rowcodec_get(&r, &s, out, NULL, &e), ORB_OK);
      assert_true(out[0].u.i == v && out[1].u.i == ~v);
      orb_buf_free(&b);
    }
  orb_schema_free(&s);
}

static void test_second_open_refused(void **state) {
  fixture *f = *state;
  orb_db *db2 = NULL;
  orb_err e;
  assert_int_equal(orb_db_open(f->path, NULL, &db2, &e), ORB_ERR_MISUSE);
  assert_non_null(strstr(e.msg, "is already open in another process"));
  assert_null(db2);
  orb_db_options o;
  orb_db_options_init(&o);
  o.create_if_missing = false;
  char missing[512];
  snprintf(missing, sizeof missing, "%s-none", f->path);
  assert_int_equal(orb_db_open(missing, &o, &db2, &e), ORB_ERR_UNDEFINED);
  assert_non_null(strstr(e.msg, "does not exist"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_insert_scan_lookup, setup, teardown),
      cmocka_unit_test_setup_teardown(test_update_delete, setup, teardown),
      cmocka_unit_test_setup_teardown(test_point_lookup_scans, setup, teardown),
      cmocka_unit_test_setup_teardown(test_composite_key, setup, teardown),
      cmocka_unit_test_setup_teardown(test_constraints_and_atomicity, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_restores, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stats_minmax, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stats_minmax_numbers, setup, teardown),
      cmocka_unit_test(test_rowcodec_integers),
      cmocka_unit_test(test_rowcodec_arrays),
      cmocka_unit_test_setup_teardown(test_second_open_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
