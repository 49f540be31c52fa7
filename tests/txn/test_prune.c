/*
** tests/txn/test_prune.c — old row versions are freed as soon as no
** snapshot can see them (txn/txn.c, "pruning"), also while many writers
** keep one row busy.
**
** Checked, by counting the versions on a row's chain: versions are kept
** while an older snapshot is registered and freed by the next commit after
** it goes; a row that a running transaction is writing has its older
** versions freed too (all but the one its undo names), and nothing is
** left behind after it aborts; the pruning queue empties once the snapshots are gone (it does
** not keep rows that are being written, which used to make every commit
** walk them again).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../storage/storage_util.h"
#include "storage/hot/hot_int.h"
#include "storage/storage_int.h"

typedef struct fixture {
  char *path;
  orb_db *db;
  orb_table *t;
} fixture;

static int setup(void **state) {
  fixture *f = orb_calloc(1, sizeof *f);
  f->path = fresh_db_path("prune");
  f->db = open_db(f->path, false);
  if (!f->db) return -1;
  f->t = create_events(f->db, "events");
  orb_err e;
  if (!f->t || insert_range(f->db, f->t, 1, 11, &e) != ORB_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  orb_db_close(f->db);
  drop_db_path(f->path);
  orb_free(f);
  return 0;
}

/* The locator of the row with key id, as ws (or a new statement) sees it. */
static uint64_t locate(fixture *f, orb_wset *ws, int64_t id) {
  orb_value k = orb_int(ORB_T_INT64, id);
  bool found = false;
  const orb_value *row = NULL;
  uint64_t loc = 0;
  orb_err e;
  assert_int_equal(orb_table_pk_lookup(f->t, ws, &k, &found, &loc, &row, &e), ORB_OK);
  assert_true(found);
  return loc;
}

static int versions(fixture *f, int64_t id) {
  const hot_tier *h = hot_of(f->t->hot);
  int n = 0;
  for (const orb_value *v = h->rows[ORB_LOC_ROWID(locate(f, NULL, id))]; v; v = hot_ver_of(v)->older) n++;
  return n;
}

/* In ws: set x of row id to x. */
static void set_x(fixture *f, orb_wset *ws, int64_t id, double x) {
  uint64_t loc = locate(f, ws, id);
  char name[16];
  orb_value row[4];
  event_row(row, id, name);
  row[3] = orb_float(ORB_T_FLOAT64, x);
  const orb_value *rows[1] = {row};
  orb_err e;
  assert_int_equal(orb_table_update(f->t, ws, &loc, rows, 1, &e), ORB_OK);
}

/* One committed update of row id. */
static void update_committed(fixture *f, int64_t id, double x) {
  orb_wset *ws = orb_wset_begin(f->db);
  set_x(f, ws, id, x);
  orb_err e;
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
}

static size_t queued(fixture *f) { return f->db->ngc - f->db->gc_first; }

static void test_versions_freed_after_snapshot(void **state) {
  fixture *f = *state;
  orb_snapshot old = orb_db_snapshot(f->db);
  for (int i = 0; i < 10; i++) update_committed(f, 1, i);
  assert_int_equal(versions(f, 1), 11);   /* the old snapshot may read the first */
  assert_true(queued(f) >= 10);
  orb_db_snapshot_release(f->db, &old);
  update_committed(f, 2, 1);               /* the next commit frees them */
  assert_int_equal(versions(f, 1), 1);
  assert_int_equal(versions(f, 2), 1);
  assert_int_equal(queued(f), 0);
}

static void test_row_being_written_is_pruned(void **state) {
  fixture *f = *state;
  orb_snapshot old = orb_db_snapshot(f->db);
  for (int i = 0; i < 10; i++) update_committed(f, 3, i);
  orb_wset *w = orb_wset_begin(f->db);   /* a writer that holds row 3 */
  set_x(f, w, 3, 99);
  orb_wset_leave(w);
  assert_int_equal(versions(f, 3), 12);
  orb_db_snapshot_release(f->db, &old);
  update_committed(f, 4, 1);
  /* its own version and the one it replaced remain (its undo names both) */
  assert_int_equal(versions(f, 3), 2);

  /* after an abort of the write, the later commits are pruned as usual */
  orb_snapshot old2 = orb_db_snapshot(f->db);
  orb_wset_abort(w);
  assert_int_equal(versions(f, 3), 1);
  update_committed(f, 3, 5);
  update_committed(f, 3, 6);
  assert_int_equal(versions(f, 3), 3);
  orb_db_snapshot_release(f->db, &old2);
  update_committed(f, 4, 2);
  assert_int_equal(versions(f, 3), 1);
  assert_int_equal(versions(f, 4), 1);
  assert_int_equal(queued(f), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_versions_freed_after_snapshot, setup, teardown),
      cmocka_unit_test_setup_teardown(test_row_being_written_is_pruned, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
