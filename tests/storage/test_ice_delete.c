/* tests/storage/test_ice_delete.c — row-level deletes of an Iceberg table
** (ice_rowdelta, ice_write.h) read back by our own reader: the rows gone
** are exactly the positions deleted, positions stay file positions after
** deletes (ice_reader_position), the snapshot's summary counts what was
** added, a concurrent append is absorbed, and a data file removed under
** the delete makes the commit fail with ORB_ERR_CONFLICT leaving nothing.
** Other engines' view of the same files is iceberg_delete_test.py's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ice_test_dir.h"

#include "base/mem.h"
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_write.h"
#include "types/schema.h"
#include "types/value.h"

/* A table (id BIGINT NOT NULL, k TEXT), partitioned by k when asked. */
static void create(const char *dir, const char *partition_by) {
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "id", orb_type_make(ORB_T_INT64), true, NULL);
  orb_schema_add_column(&s, "k", orb_type_make(ORB_T_TEXT), false, NULL);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_kv props[] = {{"commit.retry.min-wait-ms", "1"}};
  orb_status st = ice_table_create(&a, dir, NULL, &s, partition_by, props, 1, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_arena_free(&a);
  orb_schema_free(&s);
}

static const char *kinds[] = {"a", "b", "c"};

/* Rows from..from+n-1, k cycling through kinds; one snapshot. */
static int64_t append(const char *dir, int64_t from, int64_t n) {
  ice_append *app;
  orb_err e;
  assert_int_equal(ice_append_begin(dir, NULL, &app, &e), ORB_OK);
  orb_value *rows = orb_malloc(sizeof(orb_value) * 2 * (size_t)n);
  for (int64_t i = 0; i < n; i++) {
    rows[2 * i] = orb_int(ORB_T_INT64, from + i);
    rows[2 * i + 1] = orb_text(kinds[(from + i) % 3], 1);
  }
  assert_int_equal(ice_append_rows(app, rows, n, &e), ORB_OK);
  int64_t snap;
  orb_status st = ice_append_commit(app, &snap, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_free(rows);
  return snap;
}

/* Read the current snapshot: seen[id] = 1 per row; check that every row's
** position is its position in its data file (the rows were written in id
** order, so a file's row at position p has id first_id + p). */
static int64_t read_all(const char *dir, uint8_t *seen, int64_t max) {
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
  const orb_value *row;
  int64_t n = 0, prev_file = -1, prev_pos = -1;
  orb_status st;
  while ((st = ice_reader_next(r, &row, &e)) == ORB_OK && row) {
    int64_t id = row[0].u.i;
    assert_true(id >= 0 && id < max);
    assert_false(seen[id]);
    seen[id] = 1;
    int file;
    int64_t pos;
    ice_reader_position(r, &file, &pos);
    assert_true(file >= 0 && file < p.nfiles);
    assert_true(pos >= 0 && pos < p.files[file].record_count);
    if (file == prev_file) assert_true(pos > prev_pos);
    prev_file = file, prev_pos = pos;
    n++;
  }
  assert_int_equal(st, ORB_OK);
  ice_reader_free(r);
  orb_arena_free(&a);
  return n;
}

static const char *summary(const ice_snapshot *s, const char *k) {
  const char *v = ice_kv_get(s->summary, s->nsummary, k);
  return v ? v : "(absent)";
}

/* Delete the rows of the current snapshot whose id satisfies keep()==false,
** found by reading with positions, as the cold tier does. */
static orb_status delete_where(const char *dir, bool (*gone)(int64_t), int64_t *deleted, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, e), ORB_OK);
  ice_column *cols;
  int ncols;
  assert_int_equal(ice_columns(&a, p.schema, &cols, &ncols, e), ORB_OK);
  ice_reader *r;
  assert_int_equal(ice_reader_open(&p, cols, ncols, &r, e), ORB_OK);
  ice_rowdelta *d;
  assert_int_equal(ice_rowdelta_begin(dir, p.snapshot->snapshot_id, -1, &d, e), ORB_OK);
  const orb_value *row;
  *deleted = 0;
  while (ice_reader_next(r, &row, e) == ORB_OK && row) {
    if (!gone(row[0].u.i)) continue;
    int file;
    int64_t pos;
    ice_reader_position(r, &file, &pos);
    assert_int_equal(ice_rowdelta_delete(d, &p.files[file], pos, e), ORB_OK);
    (*deleted)++;
  }
  ice_reader_free(r);
  int64_t snap;
  orb_status st = ice_rowdelta_commit(d, NULL, &snap, e);
  orb_arena_free(&a);
  return st;
}

static bool every_fourth(int64_t id) { return id % 4 == 0; }   /* in every partition (k is id % 3) */
static bool below_100(int64_t id) { return id < 100; }
static bool all(int64_t id) { return id >= 0; }

static void check_deletes(const char *partition_by) {
  char *dir = ice_test_tmpdir("icedel");
  create(dir, partition_by);
  append(dir, 0, 600);
  append(dir, 600, 400);
  int64_t n;
  orb_err e;
  orb_status st = delete_where(dir, every_fourth, &n, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  assert_int_equal(n, 250);
  uint8_t seen[1000];
  memset(seen, 0, sizeof seen);
  assert_int_equal(read_all(dir, seen, 1000), 750);
  for (int i = 0; i < 1000; i++) assert_int_equal(seen[i], i % 4 != 0);

  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_string_equal(summary(cur, "operation"), "delete");
  assert_string_equal(summary(cur, "added-position-deletes"), "250");
  assert_string_equal(summary(cur, "total-position-deletes"), "250");
  assert_string_equal(summary(cur, "total-records"), "1000");   /* data rows written, as Java */
  assert_string_equal(summary(cur, "added-records"), "(absent)");
  int files = partition_by ? 3 : 1;   /* one delete file per partition */
  char buf[16];
  snprintf(buf, sizeof buf, "%d", files);
  assert_string_equal(summary(cur, "added-position-delete-files"), buf);
  assert_string_equal(summary(cur, "added-delete-files"), buf);
  assert_string_equal(summary(cur, "total-delete-files"), buf);
  assert_int_equal(cur->sequence_number, 3);
  ice_plan p;
  assert_int_equal(ice_scan_plan(&a, &m, dir, -1, &p, &e), ORB_OK);
  assert_int_equal(p.ndelete_files, files);
  assert_true(p.any_deletes);
  for (int i = 0; i < p.ndelete_files; i++) {
    assert_int_equal(p.delete_files[i].content, ICE_CONTENT_POS_DELETES);
    assert_int_equal(p.delete_files[i].seq, 3);
    /* two data files per partition: none names just one */
    assert_null(p.delete_files[i].referenced_data_file);
  }

  /* deleting the same rows again finds none; deleting some more of the rest */
  assert_int_equal(delete_where(dir, every_fourth, &n, &e), ORB_OK);
  assert_int_equal(n, 0);
  assert_int_equal(delete_where(dir, below_100, &n, &e), ORB_OK);
  assert_int_equal(n, 75);
  memset(seen, 0, sizeof seen);
  assert_int_equal(read_all(dir, seen, 1000), 675);
  for (int i = 0; i < 1000; i++) assert_int_equal(seen[i], i % 4 != 0 && i >= 100);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  cur = ice_meta_current_snapshot(&m);
  assert_string_equal(summary(cur, "total-position-deletes"), "325");
  /* then everything */
  assert_int_equal(delete_where(dir, all, &n, &e), ORB_OK);
  assert_int_equal(n, 675);
  memset(seen, 0, sizeof seen);
  assert_int_equal(read_all(dir, seen, 1000), 0);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

static void test_delete_unpartitioned(void **state) {
  (void)state;
  check_deletes(NULL);
}

static void test_delete_partitioned(void **state) {
  (void)state;
  check_deletes("k");
}

/* A delete computed on snapshot 1 commits after another writer appended:
** made on the newer snapshot, with its rows all there. */
static void test_delete_after_concurrent_append(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icedel");
  create(dir, NULL);
  int64_t s1 = append(dir, 0, 10);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
  ice_rowdelta *d;
  assert_int_equal(ice_rowdelta_begin(dir, s1, -1, &d, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_delete(d, &p.files[0], 4, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_delete(d, &p.files[0], 4, &e), ORB_OK);   /* twice is once */
  assert_int_equal(ice_rowdelta_delete(d, &p.files[0], 10, &e), ORB_ERR_INTERNAL);   /* past the file's rows */
  int64_t s2 = append(dir, 10, 5);
  int64_t s3;
  orb_status st = ice_rowdelta_commit(d, NULL, &s3, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  uint8_t seen[15];
  memset(seen, 0, sizeof seen);
  assert_int_equal(read_all(dir, seen, 15), 14);
  assert_int_equal(seen[4], 0);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_int_equal(cur->snapshot_id, s3);
  assert_int_equal(cur->parent_id, s2);
  assert_string_equal(summary(cur, "total-records"), "15");
  assert_string_equal(summary(cur, "total-position-deletes"), "1");
  /* a delete file covering one data file names it */
  assert_int_equal(ice_scan_plan(&a, &m, dir, -1, &p, &e), ORB_OK);
  assert_int_equal(p.ndelete_files, 1);
  assert_non_null(p.delete_files[0].referenced_data_file);
  bool named = false;
  for (int i = 0; i < p.nfiles; i++) named |= strcmp(p.files[i].orig_path, p.delete_files[0].referenced_data_file) == 0;
  assert_true(named);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* main rolled back to the first snapshot: the data file the delete names
** is not live there. */
static int64_t rollback_to;
static orb_status edit_rollback(void *ctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  (void)ctx, (void)e;
  next->current_snapshot_id = rollback_to;
  ice_ref *refs = orb_arena_zalloc(a, sizeof(ice_ref) * (size_t)(base->nrefs + 1));
  for (int i = 0; i < base->nrefs; i++) {
    refs[i] = base->refs[i];
    if (strcmp(refs[i].name, "main") == 0) refs[i].snapshot_id = rollback_to;
  }
  next->refs = refs;
  return ORB_OK;
}

static void test_delete_conflict(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icedel");
  create(dir, NULL);
  int64_t s1 = append(dir, 0, 10);
  int64_t s2 = append(dir, 10, 10);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, s2, &m, &p, &e), ORB_OK);
  ice_rowdelta *d;
  assert_int_equal(ice_rowdelta_begin(dir, s2, -1, &d, &e), ORB_OK);
  for (int i = 0; i < p.nfiles; i++) assert_int_equal(ice_rowdelta_delete(d, &p.files[i], 0, &e), ORB_OK);
  rollback_to = s1;
  assert_int_equal(ice_meta_update(&a, dir, -1, edit_rollback, NULL, NULL, &e), ORB_OK);
  int files = ice_test_count_files(dir, NULL);
  int64_t s3;
  assert_int_equal(ice_rowdelta_commit(d, NULL, &s3, &e), ORB_ERR_CONFLICT);
  assert_non_null(strstr(e.msg, "was removed by another writer"));
  assert_int_equal(s3, -1);
  assert_int_equal(ice_test_count_files(dir, NULL), files);   /* no delete file, manifest, list or metadata left */
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.current_snapshot_id, s1);
  uint8_t seen[20];
  memset(seen, 0, sizeof seen);
  assert_int_equal(read_all(dir, seen, 20), 10);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* Two deletes computed on the same snapshot, of rows of the same data
** file: the second to commit conflicts (else a row could be deleted twice,
** and two racing UPDATEs would leave both new versions); a delete of
** another data file still commits. */
static void test_concurrent_deletes(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icedel");
  create(dir, NULL);
  append(dir, 0, 10);
  int64_t s2 = append(dir, 10, 10);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, s2, &m, &p, &e), ORB_OK);
  assert_int_equal(p.nfiles, 2);
  ice_rowdelta *d1, *d2, *d3;
  assert_int_equal(ice_rowdelta_begin(dir, s2, -1, &d1, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_begin(dir, s2, -1, &d2, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_begin(dir, s2, -1, &d3, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_delete(d1, &p.files[0], 1, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_delete(d2, &p.files[0], 2, &e), ORB_OK);
  assert_int_equal(ice_rowdelta_delete(d3, &p.files[1], 3, &e), ORB_OK);
  int64_t snap;
  assert_int_equal(ice_rowdelta_commit(d1, NULL, &snap, &e), ORB_OK);
  int files = ice_test_count_files(dir, NULL);
  assert_int_equal(ice_rowdelta_commit(d2, NULL, &snap, &e), ORB_ERR_CONFLICT);
  assert_non_null(strstr(e.msg, "another writer deleted rows"));
  assert_int_equal(ice_test_count_files(dir, NULL), files);
  orb_status st = ice_rowdelta_commit(d3, NULL, &snap, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  uint8_t seen[20];
  memset(seen, 0, sizeof seen);
  assert_int_equal(read_all(dir, seen, 20), 18);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_delete_unpartitioned),
      cmocka_unit_test(test_delete_partitioned),
      cmocka_unit_test(test_delete_after_concurrent_append),
      cmocka_unit_test(test_delete_conflict),
      cmocka_unit_test(test_concurrent_deletes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
