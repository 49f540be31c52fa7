/*
** tests/storage/test_seq_replay.c — sequence values after a crash when
** transactions commit in another order than they took their values.
**
** nextval logs a bound 32 values ahead in the committing transaction's
** record (storage/sequence.c).  Transaction A takes value 1 (bound 33) and
** stays open; B takes 2..41 (bound about 73) and commits; A commits last,
** so its smaller bound is the last one in the log.  A child process does
** this and is killed with SIGKILL (no clean close, so recovery replays the
** log); the reopened database must hand out a value past every committed
** one (B's rows hold 2..41).  Before replay kept the furthest bound, it
** went back to 33 and gave out 34 again.
*/
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "orbit.h"

static int exec_ok(orbit_db *db, const char *sql) {
  int rc = orbit_exec(db, sql);
  if (rc != ORBIT_OK) fprintf(stderr, "%s: %s\n", sql, orbit_errmsg(db));
  return rc;
}

/* The child: the interleaving above, then wait to be killed. */
static void child(const char *path, int ready_fd) {
  orbit_db *a = NULL, *b = NULL;
  if (orbit_open(path, NULL, &a) != ORBIT_OK || orbit_open(path, NULL, &b) != ORBIT_OK) _exit(2);
  if (exec_ok(a, "SET synchronous_commit = on") || exec_ok(b, "SET synchronous_commit = on")) _exit(3);
  if (exec_ok(a, "BEGIN") || exec_ok(a, "INSERT INTO t VALUES (nextval('s'), 'a')")) _exit(4);
  for (int i = 0; i < 40; i++)
    if (exec_ok(b, "INSERT INTO t VALUES (nextval('s'), 'b')")) _exit(5);
  if (exec_ok(a, "COMMIT")) _exit(6);
  char c = 'r';
  if (write(ready_fd, &c, 1) != 1) _exit(7);
  for (;;) pause();   /* killed here: no clean close */
}

static int64_t query_int(orbit_db *db, const char *sql) {
  orbit_stmt *st = NULL;
  assert_int_equal(orbit_prepare(db, sql, &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  int64_t v = orbit_column_int64(st, 0);
  orbit_finalize(st);
  return v;
}

static void test_bounds_out_of_commit_order(void **state) {
  (void)state;
  char path[] = "/tmp/orbit-seqreplay-XXXXXX";
  assert_non_null(mkdtemp(path));
  orbit_db *db = NULL;
  assert_int_equal(orbit_open(path, NULL, &db), ORBIT_OK);
  assert_int_equal(exec_ok(db, "CREATE SEQUENCE s"), ORBIT_OK);
  assert_int_equal(exec_ok(db, "CREATE TABLE t (id bigint PRIMARY KEY, who text)"), ORBIT_OK);
  assert_int_equal(orbit_close(db), ORBIT_OK);

  int p[2];
  assert_int_equal(pipe(p), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(p[0]);
    child(path, p[1]);
  }
  close(p[1]);
  char c = 0;
  ssize_t n = read(p[0], &c, 1);
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  close(p[0]);
  assert_int_equal(n, 1);   /* the child got through its statements */

  assert_int_equal(orbit_open(path, NULL, &db), ORBIT_OK);
  assert_int_equal(query_int(db, "SELECT count(*) FROM t"), 41);
  int64_t top = query_int(db, "SELECT max(id) FROM t");
  assert_int_equal(top, 41);
  int64_t next = query_int(db, "SELECT nextval('s')");
  assert_true(next > top);
  /* and the key proves it: every value from here on inserts */
  for (int i = 0; i < 40; i++) assert_int_equal(exec_ok(db, "INSERT INTO t VALUES (nextval('s'), 'after')"), ORBIT_OK);
  assert_int_equal(orbit_close(db), ORBIT_OK);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", path);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bounds_out_of_commit_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
