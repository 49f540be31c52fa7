/* tests/storage/test_crash.c — kill -9 in the middle of committing.
**
** A child process opens the database and inserts rows in batches, one write
** set per batch, writing each batch id to a pipe once its commit returned
** (acknowledged).  The parent kills it with SIGKILL after a random delay,
** reopens the database and checks that every acknowledged batch is present
** in full, that no batch is present in part (write sets are all-or-nothing),
** and that no row appears twice.  The same database is reused across rounds,
** so recovery of an already recovered log (and automatic checkpoints, made
** frequent by a small threshold) are exercised too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "storage_util.h"

#define BATCH 40
#define ROUNDS 24
#define ROUND_BATCHES 100000   /* batch ids of round r: r * ROUND_BATCHES + k */

static orb_db *open_small_ckpt(const char *path) {
  orb_db_options o;
  orb_db_options_init(&o);
  o.checkpoint_wal_bytes = 300 * 1024;
  orb_db *db = NULL;
  orb_err e;
  if (orb_db_open(path, &o, &db, &e) != ORB_OK) {
    fprintf(stderr, "open: %s\n", e.msg);
    return NULL;
  }
  return db;
}

static void child(const char *path, int round, int fd) {
  orb_db *db = open_small_ckpt(path);
  if (!db) _exit(2);
  orb_table *t = orb_db_table(db, "events");
  if (!t) t = create_events(db, "events");
  if (!t) _exit(3);
  orb_err e;
  for (int64_t k = 0; k < ROUND_BATCHES; k++) {
    int64_t b = (int64_t)round * ROUND_BATCHES + k;
    if (insert_range(db, t, b * BATCH, b * BATCH + BATCH, &e) != ORB_OK) {
      fprintf(stderr, "child insert: %s\n", e.msg);
      _exit(4);
    }
    if (write(fd, &b, sizeof b) != (ssize_t)sizeof b) _exit(5);
  }
  _exit(0);
}

static void test_kill9(void **state) {
  (void)state;
  char *path = fresh_db_path("crash");
  uint8_t *acked = orb_calloc((size_t)ROUNDS * ROUND_BATCHES, 1);
  int64_t total_acked = 0;
  srand((unsigned)time(NULL));
  for (int round = 0; round < ROUNDS; round++) {
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      close(p[0]);
      child(path, round, p[1]);
    }
    close(p[1]);
    int delay_ms = 20 + rand() % 200;
    struct timespec ts = {0, (long)delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));   /* it must not have failed on its own */
    int64_t b;
    int n_round = 0;
    ssize_t r;
    while ((r = read(p[0], &b, sizeof b)) == (ssize_t)sizeof b) {
      assert_true(b >= 0 && b < (int64_t)ROUNDS * ROUND_BATCHES);
      acked[b] = 1;
      n_round++;
    }
    close(p[0]);
    total_acked += n_round;

    /* recover and check */
    orb_db *db = open_small_ckpt(path);
    assert_non_null(db);
    orb_table *t = orb_db_table(db, "events");
    if (!t) {   /* killed before the CREATE TABLE committed */
      assert_int_equal(total_acked, 0);
      orb_db_close(db);
      continue;
    }
    int64_t *counts = orb_calloc((size_t)ROUNDS * ROUND_BATCHES, sizeof(int64_t));
    orb_scan_req req = {NULL, 0, NULL, NULL, NULL};
    orb_table_scan *s;
    orb_err e;
    assert_int_equal(orb_table_scan_begin(t, &req, &s, &e), ORB_OK);
    orb_row_batch *rb = orb_malloc(sizeof *rb);
    int64_t rows = 0;
    for (;;) {
      assert_int_equal(orb_table_scan_next(s, rb, &e), ORB_OK);
      if (!rb->nrows) break;
      for (int i = 0; i < rb->nrows; i++) {
        int64_t id = rb->rows[i][0].u.i;
        assert_true(id >= 0 && id / BATCH < (int64_t)ROUNDS * ROUND_BATCHES);
        assert_int_equal(rb->rows[i][1].u.i, 1000 * id);
        counts[id / BATCH]++;
        rows++;
      }
    }
    orb_table_scan_end(s, NULL);
    orb_free(rb);
    int64_t complete = 0;
    for (int64_t k = 0; k < (int64_t)ROUNDS * ROUND_BATCHES; k++) {
      if (acked[k] && counts[k] != BATCH) fail_msg("acknowledged batch %lld has %lld rows", (long long)k, (long long)counts[k]);
      if (counts[k] != 0 && counts[k] != BATCH) fail_msg("batch %lld is partial: %lld rows", (long long)k, (long long)counts[k]);
      complete += counts[k] == BATCH;
    }
    int64_t n;
    assert_int_equal(orb_table_count(t, NULL, NULL, NULL, &n, &e), ORB_OK);
    assert_int_equal(n, rows);                 /* no row twice */
    assert_int_equal(rows, complete * BATCH);
    assert_true(complete >= total_acked);      /* committed-but-unacknowledged batches may exist */
    assert_true(complete <= total_acked + round + 1);
    orb_free(counts);
    orb_db_close(db);
  }
  fprintf(stderr, "crash test: %d rounds, %lld acknowledged batches of %d rows\n", ROUNDS, (long long)total_acked,
          BATCH);
  assert_true(total_acked > 0);
  orb_free(acked);
  drop_db_path(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kill9),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
