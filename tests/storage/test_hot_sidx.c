/* tests/storage/test_hot_sidx.c — the hot tier's secondary and UNIQUE
** indexes (storage/hot/hot_sidx.c): lookups, NULL rules, one entry per row
** version kept exactly as long as the version, compaction, and the
** uniqueness check a writer runs against its own uncommitted versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "storage_util.h"
#include "storage/hot/hot_int.h"
#include "txn/wset.h"
#include "types/value.h"

/* (id BIGINT PRIMARY KEY, a INT, b TEXT) with index 0 UNIQUE (a) and index 1 on (b, a). */
static void make_schema(orb_schema *s, bool nnd) {
  orb_schema_init(s);
  int32_t id = orb_schema_add_column(s, "id", orb_type_make(ORB_T_INT64), true, NULL);
  int32_t a = orb_schema_add_column(s, "a", orb_type_make(ORB_T_INT32), false, NULL);
  int32_t b = orb_schema_add_column(s, "b", orb_type_make(ORB_T_TEXT), false, NULL);
  s->pk = orb_malloc(sizeof(int32_t));
  s->pk[0] = id;
  s->npk = 1;
  int32_t c0[] = {a}, c1[] = {b, a};
  uint8_t o[] = {0, 0};
  orb_index i0 = {.name = "t_a_key", .ncols = 1, .cols = c0, .opts = o, .unique = true, .constraint = true,
                  .nulls_not_distinct = nnd};
  orb_index i1 = {.name = "t_b_a_idx", .ncols = 2, .cols = c1, .opts = o};
  orb_schema_add_index(s, &i0);
  orb_schema_add_index(s, &i1);
}

static void row(orb_value *r, int64_t id, const int *a, const char *b) {
  r[0] = orb_int(ORB_T_INT64, id);
  r[1] = a ? orb_int(ORB_T_INT32, *a) : orb_null(ORB_T_INT32);
  r[2] = b ? orb_text(b, strlen(b)) : orb_null(ORB_T_TEXT);
}

/* Rows whose newest committed version holds a = x, through index 0. */
static size_t count_a(hot_tier *h, int x) {
  orb_value k = orb_int(ORB_T_INT32, x);
  uint64_t *rids = NULL;
  size_t n = 0, cap = 0;
  hot_sidx_lookup(h, 0, &k, NULL, &rids, &n, &cap);
  n = hot_sidx_dedup(rids, n);
  orb_free(rids);
  return n;
}

static bool taken(hot_tier *h, orb_wset *ws, int k, const orb_value *r) {
  bool t = false;
  uint64_t other;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(hot_sidx_taken(h, ws, k, r, UINT64_MAX, &t, &other, &e), ORB_OK);
  return t;
}

static void test_lookup_and_nulls(void **state) {
  (void)state;
  orb_schema s;
  make_schema(&s, false);
  hot_tier *h = hot_tier_new(1, &s);
  orb_err e;
  orb_err_clear(&e);
  orb_value r[3];
  int v10 = 10, v20 = 20;
  row(r, 1, &v10, "x");
  assert_int_equal(hot_insert_one(h, NULL, r, -1, NULL, &e), ORB_OK);
  row(r, 2, &v20, "y");
  assert_int_equal(hot_insert_one(h, NULL, r, -1, NULL, &e), ORB_OK);
  row(r, 3, NULL, "y");
  assert_int_equal(hot_insert_one(h, NULL, r, -1, NULL, &e), ORB_OK);
  assert_int_equal(count_a(h, 10), 1);
  assert_int_equal(count_a(h, 20), 1);
  assert_int_equal(count_a(h, 30), 0);
  /* a BIGINT probe of an INT column finds it: same family */
  orb_value big = orb_int(ORB_T_INT64, 20);
  uint64_t *rids = NULL;
  size_t n = 0, cap = 0;
  hot_sidx_lookup(h, 0, &big, NULL, &rids, &n, &cap);
  assert_int_equal(n, 1);
  assert_int_equal(rids[0], 1);
  /* a NULL probe finds nothing (col = NULL is never true) */
  orb_value nul = orb_null(ORB_T_INT32);
  n = 0;
  hot_sidx_lookup(h, 0, &nul, NULL, &rids, &n, &cap);
  assert_int_equal(n, 0);
  /* the composite index */
  orb_value key[2] = {orb_text("y", 1), orb_int(ORB_T_INT32, 20)};
  n = 0;
  hot_sidx_lookup(h, 1, key, NULL, &rids, &n, &cap);
  assert_int_equal(n, 1);
  orb_free(rids);
  /* uniqueness: a taken key, a free one, NULLs distinct */
  row(r, 9, &v10, "z");
  assert_true(taken(h, NULL, 0, r));
  row(r, 9, NULL, "z");
  assert_false(taken(h, NULL, 0, r));
  /* a non-unique index reports duplicates too: the caller asks only unique ones */
  assert_int_equal(h->sidx[0].map.count, 3);
  /* deleting a row removes its entries */
  assert_int_equal(hot_delete_one(h, NULL, 0, &e), ORB_OK);
  assert_int_equal(count_a(h, 10), 0);
  assert_int_equal(h->sidx[0].map.count, 2);
  assert_int_equal(h->sidx[1].map.count, 2);
  hot_tier_free(h);
  orb_schema_free(&s);
}

static void test_nulls_not_distinct(void **state) {
  (void)state;
  orb_schema s;
  make_schema(&s, true);
  hot_tier *h = hot_tier_new(1, &s);
  orb_err e;
  orb_err_clear(&e);
  orb_value r[3];
  row(r, 1, NULL, "x");
  assert_int_equal(hot_insert_one(h, NULL, r, -1, NULL, &e), ORB_OK);
  row(r, 2, NULL, "y");
  assert_true(taken(h, NULL, 0, r));
  hot_tier_free(h);
  orb_schema_free(&s);
}

/* Every version has an entry until it is freed; compaction renumbers them. */
static void test_versions_and_compaction(void **state) {
  (void)state;
  char *path = fresh_db_path("sidx");
  orb_db *db = open_db(path, false);
  assert_non_null(db);
  orb_schema s;
  make_schema(&s, false);
  orb_err e;
  orb_err_clear(&e);
  orb_wset *ws = orb_wset_begin(db);
  orb_table *t = NULL;
  assert_int_equal(orb_db_create_table(db, ws, "t", &s, &t, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  orb_schema_free(&s);
  /* 200 rows, a = id */
  ws = orb_wset_begin(db);
  for (int i = 0; i < 200; i++) {
    orb_value r[3];
    row(r, i, &i, "b");
    const orb_value *rp = r;
    assert_int_equal(orb_table_insert(t, ws, &rp, 1, &e), ORB_OK);
  }
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  hot_tier *h = hot_of(t->hot);
  /* an update keeping the key pushes a version: while uncommitted, both
  ** versions have entries; the newest committed state still holds a = 5 */
  ws = orb_wset_begin(db);
  int v1005 = 1005;
  orb_value r[3];
  row(r, 5, &v1005, "b");
  const orb_value *rp = r;
  uint64_t loc = 5;
  assert_int_equal(orb_table_update(t, ws, &loc, &rp, 1, &e), ORB_OK);
  assert_int_equal(h->sidx[0].map.count, 201);
  assert_int_equal(count_a(h, 5), 1);
  assert_int_equal(count_a(h, 1005), 0);
  /* for the writer itself the old key is free and the new one taken */
  int v5 = 5;
  row(r, 900, &v5, "b");
  assert_false(taken(h, ws, 0, r));
  row(r, 900, &v1005, "b");
  assert_true(taken(h, ws, 0, r));
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  /* committed with no older snapshot: the old version and its entry are gone */
  assert_int_equal(count_a(h, 5), 0);
  assert_int_equal(count_a(h, 1005), 1);
  assert_int_equal(h->sidx[0].map.count, 200);
  /* a rolled back update leaves exactly the entries it found */
  ws = orb_wset_begin(db);
  int v7 = 7777;
  row(r, 6, &v7, "c");
  rp = r;
  loc = 6;
  assert_int_equal(orb_table_update(t, ws, &loc, &rp, 1, &e), ORB_OK);
  orb_wset_abort(ws);
  assert_int_equal(count_a(h, 7777), 0);
  assert_int_equal(count_a(h, 6), 1);
  assert_int_equal(h->sidx[0].map.count, 200);
  /* delete most rows, checkpoint: compaction renumbers rows and rebuilds */
  ws = orb_wset_begin(db);
  for (uint64_t i = 0; i < 150; i++)
    if (i != 6) assert_int_equal(orb_table_delete(t, ws, &i, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  assert_int_equal(orb_db_checkpoint(db, &e), ORB_OK);
  assert_int_equal(h->sidx[0].map.count, 51);
  assert_int_equal(count_a(h, 6), 1);
  assert_int_equal(count_a(h, 199), 1);
  assert_int_equal(count_a(h, 100), 0);
  orb_value key[2] = {orb_text("b", 1), orb_int(ORB_T_INT32, 199)};
  uint64_t *rids = NULL;
  size_t n = 0, cap = 0;
  hot_sidx_lookup(h, 1, key, NULL, &rids, &n, &cap);
  assert_int_equal(n, 1);
  const orb_value *got = hot_row_visible(h, rids[0], NULL);
  assert_non_null(got);
  assert_int_equal(got[0].u.i, 199);
  orb_free(rids);
  orb_db_close(db);
  /* reopened: the index is rebuilt from the checkpoint */
  db = open_db(path, false);
  assert_non_null(db);
  t = orb_db_table(db, "t");
  assert_non_null(t);
  h = hot_of(t->hot);
  assert_int_equal(h->nsidx, 2);
  assert_int_equal(h->sidx[0].map.count, 51);
  assert_int_equal(count_a(h, 6), 1);
  orb_db_close(db);
  drop_db_path(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lookup_and_nulls),
      cmocka_unit_test(test_nulls_not_distinct),
      cmocka_unit_test(test_versions_and_compaction),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
