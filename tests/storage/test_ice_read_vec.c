/* tests/storage/test_ice_read_vec.c — the Iceberg reader's column batches
** (ice_reader_next_vec) against its rows (ice_reader_next) on the same
** plan: every row the row path gives, in the same order, with the same
** values and types, at the same positions, and the same counts (rows read,
** rows deleted, files, row groups):
**
**   - every iceberg-trino fixture table the reader reads (NULLs, every
**     Trino and Spark type, nested columns as JSON, decimals, partition
**     specs and their evolution, position deletes), whole and with every
**     other column left unread (ice_reader_project);
**   - a table written here through SQL whose schema evolved (a column
**     renamed, one dropped, one added, int -> bigint, real -> double,
**     decimal(9,2) -> decimal(18,2)), with position deletes from DELETE
**     and UPDATE, identity-partitioned, over several row groups of 2048+
**     rows (batches end at row-group ends);
**   - the same at its earlier snapshots (before the evolution).
** A table whose files cannot be read must fail alike, with the same message.
** Equality deletes and partition values filled in for a column the file
** lacks are in tests/storage/iceberg_vector_test.sh (a table DuckDB and
** avsc write), through SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "orbit.h"
#include "base/mem.h"
#include "storage/cold/ice_meta.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_scan.h"
#include "types/value.h"
#include "types/vec.h"

#define FIX "../shared/fixtures/iceberg-trino"

/* Whether two values are the same datum of the same type (NULLs of one type alike). */
static bool same_value(const orb_value *a, const orb_value *b) {
  if (a->type != b->type || a->isnull != b->isnull) return false;
  if (a->isnull) return true;
  if (a->type == ORB_T_FLOAT32 || a->type == ORB_T_FLOAT64)   /* NaN is itself, -0.0 not 0.0 */
    return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
  if (a->type == ORB_T_DECIMAL && a->scale != b->scale) return false;
  return orb_value_cmp(a, b) == 0;
}

/* Read plan p through both paths (columns `unread` left out when not NULL)
** and compare; the number of rows compared. */
static int64_t compare_paths(const char *what, const ice_plan *p, const ice_column *cols, int ncols, const bool *unread) {
  ice_reader *rr, *vr;
  orb_err e;
  assert_int_equal(ice_reader_open(p, cols, ncols, &rr, &e), ORB_OK);
  assert_int_equal(ice_reader_open(p, cols, ncols, &vr, &e), ORB_OK);
  ice_reader_project(rr, unread);
  ice_reader_project(vr, unread);
  int64_t rows = 0;
  int batches = 0;
  orb_value *got = orb_malloc(sizeof(orb_value) * (size_t)(ncols + 1));
  for (;;) {
    const orb_vbatch *b;
    if (ice_reader_next_vec(vr, &b, &e) != ORB_OK) {   /* the row path must fail alike, at the latest there */
      char msg[sizeof e.msg];
      snprintf(msg, sizeof msg, "%s", e.msg);
      const orb_value *row;
      orb_status rs;
      while ((rs = ice_reader_next(rr, &row, &e)) == ORB_OK && row) {}
      if (rs == ORB_OK) fail_msg("%s: the batch path fails (%s), the row path does not", what, msg);
      if (strcmp(msg, e.msg) != 0) fail_msg("%s: the batch path fails with %s, the row path with %s", what, msg, e.msg);
      rows = -1;
      break;
    }
    if (!b) break;
    assert_int_equal(b->ncols, ncols);
    int cnt = orb_vbatch_count(b);
    assert_true(cnt > 0 && b->n <= ORB_VEC_MAX);
    batches++;
    int vfile;
    int64_t pos0;
    ice_reader_position(vr, &vfile, &pos0);
    for (int k = 0; k < cnt; k++) {
      int r = orb_vbatch_row_at(b, k);
      assert_true(r >= 0 && r < b->n && (k == 0 || r > orb_vbatch_row_at(b, k - 1)));
      const orb_value *row;
      if (ice_reader_next(rr, &row, &e) != ORB_OK) fail_msg("%s: row path: %s", what, e.msg);
      if (!row) fail_msg("%s: the batch path has more rows than the row path's %lld", what, (long long)rows);
      int rfile;
      int64_t rpos;
      ice_reader_position(rr, &rfile, &rpos);
      if (rfile != vfile || rpos != pos0 + r)
        fail_msg("%s: row %lld at file %d position %lld, batch row at file %d position %lld", what, (long long)rows, rfile,
                 (long long)rpos, vfile, (long long)(pos0 + r));
      orb_vbatch_row(b, r, got);
      for (int i = 0; i < ncols; i++) {
        if (same_value(&row[i], &got[i])) continue;
        orb_buf x = ORB_BUF_INIT, y = ORB_BUF_INIT;
        orb_value_to_text(&row[i], &x);
        orb_value_to_text(&got[i], &y);
        fail_msg("%s: row %lld column %s: row path %s (type %d), batch path %s (type %d)", what, (long long)rows, cols[i].name,
                 row[i].isnull ? "NULL" : x.data, row[i].type, got[i].isnull ? "NULL" : y.data, got[i].type);
      }
      rows++;
    }
  }
  const orb_value *row = NULL;
  if (rows >= 0) assert_int_equal(ice_reader_next(rr, &row, &e), ORB_OK);
  if (row) fail_msg("%s: the row path has more rows than the batch path's %lld", what, (long long)rows);
  ice_read_counts rc = ice_reader_counts(rr), vc = ice_reader_counts(vr);
  if (rows < 0) rc = vc;   /* failed: the batch path read ahead */
  assert_int_equal(rc.files, vc.files);
  assert_int_equal(rc.rows_read, vc.rows_read);
  assert_int_equal(rc.rows_deleted, vc.rows_deleted);
  assert_int_equal(rc.delete_files_read, vc.delete_files_read);
  assert_int_equal(rc.groups, vc.groups);
  assert_int_equal(rc.groups_skipped, vc.groups_skipped);
  assert_true(rows <= 0 || batches > 0);
  orb_free(got);
  ice_reader_free(rr);
  ice_reader_free(vr);
  return rows;
}

/* Both paths over table `where` at snapshot id (-1: the current one),
** whole and with every other column unread; false when the reader does
** not open the table (a table it refuses). */
static bool compare_table(const char *where, int64_t snapshot, int64_t *rows) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  ice_column *cols;
  int ncols;
  if (ice_scan_open(&a, where, snapshot, &m, &p, &e) != ORB_OK || ice_columns(&a, p.schema, &cols, &ncols, &e) != ORB_OK) {
    orb_arena_free(&a);
    return false;
  }
  *rows = compare_paths(where, &p, cols, ncols, NULL);   /* -1: both paths failed alike */
  bool *unread = orb_arena_zalloc(&a, (size_t)ncols + 1);
  for (int i = 0; i < ncols; i++) unread[i] = i % 2 == 1;
  char what[512];
  snprintf(what, sizeof what, "%s (odd columns unread)", where);
  assert_int_equal(compare_paths(what, &p, cols, ncols, unread), *rows);
  orb_arena_free(&a);
  return true;
}

/* Every table under the fixtures (a folder with a metadata folder). */
static void test_fixtures(void **state) {
  (void)state;
  static const char *tables[] = {"bucket_partitioning", "dangling_deletes", "day_timestamptz_partitioning", "decimal_partitioning",
                                 "granular_deletes", "hour_timestamptz_partitioning", "identity_partitioning",
                                 "month_timestamptz_partitioning", "no_partitioning", "partition_evolution", "partitioned_table",
                                 "partitioned_table_with_missing_spec", "partitioned_table_with_multiple_spec",
                                 "partitioned_table_with_void_transform", "partitioning_with_null_value", "prod/db/refdeletes3",
                                 "types/all_spark_types", "types/all_trino_types", "types/decimals", "types/unsupported_types",
                                 "v_20240913/iceberg", "w_clean_expired_metadata", "year_date_partitioning", "year_timestamp_partitioning",
                                 "year_timestamptz_partitioning", "deletion_vectors"};
  int read = 0;
  int64_t total = 0;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    char where[256];
    snprintf(where, sizeof where, FIX "/%s", tables[i]);
    int64_t rows = 0;
    if (compare_table(where, -1, &rows) && rows >= 0) read++, total += rows;
    else if (rows < 0) print_message("fixtures: %s fails alike through rows and batches\n", tables[i]);
    else print_message("fixtures: %s not read (the reader refuses it, or its data files are not in the fixtures)\n", tables[i]);
  }
  print_message("fixtures: %d tables, %lld rows alike through rows and batches\n", read, (long long)total);
  assert_true(read >= 20);
  assert_true(total >= 60);
}

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(p);
}

static void exec_ok(orbit_db *db, const char *sql) {
  if (orbit_exec(db, sql) != ORBIT_OK) fail_msg("%s: %s", sql, orbit_errmsg(db));
}

/* A table written here whose schema and rows changed, at every snapshot. */
static void test_evolved(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/orbit-icevec-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  char path[512];
  snprintf(path, sizeof path, "%s/db", tmpdir);
  orbit_db *db;
  assert_int_equal(orbit_open(path, NULL, &db), ORBIT_OK);
  exec_ok(db, "CREATE TABLE ev (id INTEGER, r REAL, d DECIMAL(9,2), s TEXT, g TEXT, x INTEGER) USING iceberg WITH (partition_by = 'g')");
  exec_ok(db, "INSERT INTO ev SELECT i, CASE WHEN i % 13 = 0 THEN NULL ELSE i * 0.5 END, i * 1.25, 's' || i, "
              "CASE WHEN i % 3 = 0 THEN 'a' WHEN i % 3 = 1 THEN 'b' END, i FROM generate_series(1, 9000) i");
  exec_ok(db, "DELETE FROM ev WHERE id % 7 = 0 OR id BETWEEN 2000 AND 2100");
  exec_ok(db, "ALTER TABLE ev RENAME COLUMN s TO s2");
  exec_ok(db, "ALTER TABLE ev DROP COLUMN x");
  exec_ok(db, "ALTER TABLE ev ADD COLUMN z BIGINT");
  exec_ok(db, "ALTER TABLE ev ALTER COLUMN id TYPE BIGINT");
  exec_ok(db, "ALTER TABLE ev ALTER COLUMN r TYPE DOUBLE PRECISION");
  exec_ok(db, "ALTER TABLE ev ALTER COLUMN d TYPE DECIMAL(18,2)");
  exec_ok(db, "INSERT INTO ev SELECT i, i * 0.25, i * 2.5, 't' || i, 'c', i * 10 FROM generate_series(9001, 12000) i");
  exec_ok(db, "UPDATE ev SET z = 1 WHERE id % 11 = 0");
  orbit_close(db);
  char where[512];
  snprintf(where, sizeof where, "%s/db/warehouse/public/ev", tmpdir);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, where, &m, &mf, &e), ORB_OK);
  assert_true(m.nsnapshots >= 4);
  for (int i = 0; i < m.nsnapshots; i++) {
    int64_t rows = 0;
    assert_true(compare_table(where, m.snapshots[i].snapshot_id, &rows));
    assert_true(rows > 0);
  }
  int64_t rows = 0;
  assert_true(compare_table(where, -1, &rows));
  assert_int_equal(rows, 12000 - (1285 + 101 - 15));   /* multiples of 7 up to 9000, and 2000..2100 (15 of them multiples) */
  orb_arena_free(&a);
  nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fixtures),
      cmocka_unit_test(test_evolved),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
