/*
** tests/storage/ice_test_table.h — the one-column Iceberg table the
** maintenance tests (test_ice_maint.c, test_ice_manifest_merge.c) build
** and check: id BIGINT NOT NULL, created with a partition spec and table
** properties, appended to a range of ids at a time (one snapshot each), and
** read back whole (count and sum of ids, deletes applied).  Include after
** <cmocka.h> and the storage/cold headers: failures are cmocka assertions.
*/
#ifndef ORB_TESTS_ICE_TEST_TABLE_H
#define ORB_TESTS_ICE_TEST_TABLE_H

/* A table of one column, id BIGINT NOT NULL, partitioned by partition_by (NULL: not). */
static inline void ice_test_create(const char *dir, const char *partition_by, const ice_kv *props, int nprops) {
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "id", orb_type_make(ORB_T_INT64), true, NULL);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_status st = ice_table_create(&a, dir, NULL, &s, partition_by, props, nprops, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_arena_free(&a);
  orb_schema_free(&s);
}

/* Append ids from..from+n-1 as one snapshot; its id. */
static inline int64_t ice_test_append(const char *dir, int64_t from, int64_t n) {
  ice_append *app;
  orb_err e;
  assert_int_equal(ice_append_begin(dir, NULL, &app, &e), ORB_OK);
  orb_value *rows = orb_malloc(sizeof(orb_value) * (size_t)n);
  for (int64_t i = 0; i < n; i++) rows[i] = orb_int(ORB_T_INT64, from + i);
  assert_int_equal(ice_append_rows(app, rows, n, &e), ORB_OK);
  orb_free(rows);
  int64_t snap;
  orb_status st = ice_append_commit(app, &snap, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  return snap;
}

/* Rows of the current snapshot, read from the data files: count and sum of ids. */
static inline void ice_test_read_ids(const char *dir, int64_t *count, int64_t *sum) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
  ice_column *cols;
  int ncols;
  assert_int_equal(ice_columns(&a, p.schema, &cols, &ncols, &e), ORB_OK);
  ice_reader *r;
  assert_int_equal(ice_reader_open(&p, cols, ncols, &r, &e), ORB_OK);
  *count = *sum = 0;
  for (;;) {
    const orb_value *row;
    orb_status st = ice_reader_next(r, &row, &e);
    if (st) fprintf(stderr, "%s\n", e.msg);
    assert_int_equal(st, ORB_OK);
    if (!row) break;
    (*count)++;
    *sum += row[0].u.i;
  }
  ice_reader_free(r);
  orb_arena_free(&a);
}

#endif
