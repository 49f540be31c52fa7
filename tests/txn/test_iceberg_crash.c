/*
** tests/txn/test_iceberg_crash.c — a process dying while it commits a
** transaction block that changed a hot table and an owned Iceberg table
** (storage/intent.c).
**
** A child process opens the database, runs BEGIN, an INSERT into each
** table and COMMIT, and dies (_exit, as kill -9 would: no close, no
** flush beyond what was made durable) at a commit point chosen through
** db_test_crash_point: after the intent record is durable but before the
** Iceberg commit ("intent-logged": neither table may show the rows), or
** after the Iceberg commit but before the commit record ("iceberg-
** committed": both must).  The parent reopens the database and counts.
** Also: a checkpoint taken by another session between the intent and the
** Iceberg commit (the intent must survive it), a commit that is not
** interrupted (the DONE record replays), and a block whose Iceberg commit
** fails with 40001 (nothing of it after recovery), and blocks that also
** ALTER the Iceberg table.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "orbit.h"

extern void (*db_test_crash_point)(const char *point);

static char dbdir[256];
static const char *die_at;        /* the point the child dies at */
static orbit_db *other;           /* a second session for a checkpoint in between */

static void crash_hook(const char *point) {
  if (other && strcmp(point, "intent-logged") == 0) {
    if (orbit_checkpoint(other) != ORBIT_OK) _exit(7);
  }
  if (die_at && strcmp(point, die_at) == 0) _exit(0);
}

static void exec_ok(orbit_db *db, const char *sql) {
  if (orbit_exec(db, sql) != ORBIT_OK) {
    fprintf(stderr, "%s: %s\n", sql, orbit_errmsg(db));
    fail();
  }
}

static int64_t count(const char *table) {
  orbit_db *db;
  assert_int_equal(orbit_open(dbdir, NULL, &db), ORBIT_OK);
  char sql[100];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
  orbit_stmt *st;
  assert_int_equal(orbit_prepare(db, sql, &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  int64_t n = orbit_column_int64(st, 0);
  orbit_finalize(st);
  orbit_close(db);
  return n;
}

/* The value of one-row query sql on a fresh open; *ok false when it fails. */
static int64_t value(const char *sql, bool *ok) {
  orbit_db *db;
  assert_int_equal(orbit_open(dbdir, NULL, &db), ORBIT_OK);
  orbit_stmt *st;
  int64_t n = 0;
  *ok = orbit_prepare(db, sql, &st, NULL) == ORBIT_OK;
  if (*ok) {
    *ok = orbit_step(st) == ORBIT_ROW;
    if (*ok) n = orbit_column_int64(st, 0);
    orbit_finalize(st);
  }
  orbit_close(db);
  return n;
}

static void block_sql_in_child(const char *sql, const char *point, bool checkpoint);

/* In a child: the block inserting value v into both tables, dying at
** `point` (NULL: not at all), with a checkpoint in between when asked. */
static void block_in_child(int v, const char *point, bool checkpoint) {
  char sql[200];
  snprintf(sql, sizeof sql, "BEGIN; INSERT INTO h VALUES (%d); INSERT INTO ice VALUES (%d)", v, v);
  block_sql_in_child(sql, point, checkpoint);
}

/* In a child: block sql (BEGIN and its statements), then COMMIT, dying at
** `point` as above. */
static void block_sql_in_child(const char *sql, const char *point, bool checkpoint) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    orbit_db *db;
    if (orbit_open(dbdir, NULL, &db) != ORBIT_OK) _exit(2);
    if (checkpoint && orbit_open(dbdir, NULL, &other) != ORBIT_OK) _exit(3);
    die_at = point;
    db_test_crash_point = crash_hook;
    if (orbit_exec(db, sql) != ORBIT_OK) _exit(4);
    if (orbit_exec(db, "COMMIT") != ORBIT_OK) _exit(5);
    orbit_close(db);
    if (other) orbit_close(other);
    _exit(point ? 6 : 0);   /* a crash point that was never reached */
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

static int setup(void **state) {
  (void)state;
  snprintf(dbdir, sizeof dbdir, "/tmp/orbit-icecrash-XXXXXX");
  if (!mkdtemp(dbdir)) return -1;
  orbit_db *db;
  if (orbit_open(dbdir, NULL, &db) != ORBIT_OK) return -1;
  int rc = orbit_exec(db, "CREATE TABLE h (id INT); CREATE TABLE ice (id INT) USING iceberg");
  orbit_close(db);
  return rc == ORBIT_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dbdir);
  return system(cmd) == 0 ? 0 : -1;
}

static void test_crash_before_iceberg_commit(void **state) {
  (void)state;
  block_in_child(1, "intent-logged", false);
  assert_int_equal(count("h"), 0);
  assert_int_equal(count("ice"), 0);
}

static void test_crash_after_iceberg_commit(void **state) {
  (void)state;
  block_in_child(2, "iceberg-committed", false);
  assert_int_equal(count("h"), 1);   /* the intent's hot insert, completed at recovery */
  assert_int_equal(count("ice"), 1);
  assert_int_equal(count("h"), 1);   /* and logged done: a second recovery does not apply it twice */
}

static void test_checkpoint_in_between(void **state) {
  (void)state;
  block_in_child(3, "iceberg-committed", true);
  assert_int_equal(count("h"), 2);
  assert_int_equal(count("ice"), 2);
}

static void test_commit_replays(void **state) {
  (void)state;
  block_in_child(4, NULL, false);
  block_in_child(5, NULL, true);
  assert_int_equal(count("h"), 4);
  assert_int_equal(count("ice"), 4);
}

/* A block whose Iceberg commit fails (40001: another writer deleted the
** same row meanwhile, found before the intent is logged) leaves nothing to
** apply at recovery. */
static void test_failed_commit_intent_dropped(void **state) {
  (void)state;
  orbit_db *a, *b;
  assert_int_equal(orbit_open(dbdir, NULL, &a), ORBIT_OK);
  assert_int_equal(orbit_open(dbdir, NULL, &b), ORBIT_OK);
  exec_ok(a, "BEGIN; INSERT INTO h VALUES (6); DELETE FROM ice WHERE id = 2");
  exec_ok(b, "DELETE FROM ice WHERE id = 2");
  assert_int_equal(orbit_exec(a, "COMMIT"), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(a), "40001");
  orbit_close(a);
  orbit_close(b);
  assert_int_equal(count("h"), 4);
  assert_int_equal(count("ice"), 3);
}

/* A block that also altered the Iceberg table (storage/cold/cold_stage.h):
** the new column is published in the Iceberg commit with the rows, and the
** catalog's change is logged after it.  Dying before the Iceberg commit
** leaves neither; dying after it, the next open takes the column from the
** Iceberg metadata (cold_schema_reconcile) and the intent the hot row. */
static void test_alter_crash_before_iceberg_commit(void **state) {
  (void)state;
  block_sql_in_child("BEGIN; INSERT INTO h VALUES (8); ALTER TABLE ice ADD COLUMN z INT; INSERT INTO ice VALUES (8, 80)",
                     "intent-logged", false);
  assert_int_equal(count("h"), 4);
  assert_int_equal(count("ice"), 3);
  bool ok;
  value("SELECT count(z) FROM ice", &ok);
  assert_false(ok);   /* no column z */
}

static void test_alter_crash_after_iceberg_commit(void **state) {
  (void)state;
  block_sql_in_child("BEGIN; INSERT INTO h VALUES (9); ALTER TABLE ice ADD COLUMN z INT; INSERT INTO ice VALUES (9, 90)",
                     "iceberg-committed", false);
  assert_int_equal(count("h"), 5);
  assert_int_equal(count("ice"), 4);
  bool ok;
  assert_int_equal(value("SELECT z FROM ice WHERE id = 9", &ok), 90);
  assert_true(ok);
  assert_int_equal(value("SELECT count(z) FROM ice", &ok), 1);
  assert_true(ok);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_crash_before_iceberg_commit),
      cmocka_unit_test(test_crash_after_iceberg_commit),
      cmocka_unit_test(test_checkpoint_in_between),
      cmocka_unit_test(test_commit_replays),
      cmocka_unit_test(test_failed_commit_intent_dropped),
      cmocka_unit_test(test_alter_crash_before_iceberg_commit),
      cmocka_unit_test(test_alter_crash_after_iceberg_commit),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
