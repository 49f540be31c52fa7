/*
** tests/crash/crash_test.c — kill -9 a writer at random moments; nothing
** acknowledged may be lost, nothing may appear twice, statements stay atomic.
**
** A child process opens the database and runs INSERT statements of BATCH
** rows each (batch k holds ids k*BATCH .. k*BATCH+BATCH-1), occasionally a
** CHECKPOINT, UPDATE or DELETE of its own earlier rows; after each statement
** returns it writes the batch number to a pipe (the acknowledgement).  The
** parent kills the child with SIGKILL after a random delay, reopens the
** database and checks:
**   - every acknowledged batch is present completely, exactly once;
**   - every batch present is either complete or absent (statement atomicity);
**   - at most one unacknowledged batch (the one in flight) is present.
** This repeats ROUNDS times on the same database, so recovery of recovery
** (and crashes during checkpoints) is covered too.  Each batch also adds two
** rows to a table with a serial key: after recovery a new row must still
** get a key no committed row has (the sequence's logged bounds).
**
** usage: crash_test [ROUNDS=25] [DIR]
*/
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "orbit.h"

#define BATCH 50
#define MAX_BATCHES 200000

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb; (void)flag; (void)ftw;
  return remove(p);
}

static void child(const char *dir, int fd, long first_batch) {
  orbit_db *db;
  if (orbit_open(dir, NULL, &db) != ORBIT_OK) {
    fprintf(stderr, "child: open: %s\n", db ? orbit_errmsg(db) : "?");
    _exit(2);
  }
  char *sql = malloc(BATCH * 64 + 128);
  for (long k = first_batch;; k++) {
    size_t len = (size_t)sprintf(sql, "INSERT INTO t VALUES ");
    for (int i = 0; i < BATCH; i++) {
      long id = k * BATCH + i;
      len += (size_t)sprintf(sql + len, "%s(%ld, %ld, 'batch %ld')", i ? "," : "", id, k, k);
    }
    if (orbit_exec(db, sql) != ORBIT_OK) {
      fprintf(stderr, "child: insert batch %ld: %s\n", k, orbit_errmsg(db));
      _exit(3);
    }
    /* a serial column: its sequence must never hand out a committed value again */
    sprintf(sql, "INSERT INTO s (batch) VALUES (%ld), (%ld)", k, k);
    if (orbit_exec(db, sql) != ORBIT_OK) {
      fprintf(stderr, "child: insert into s, batch %ld: %s\n", k, orbit_errmsg(db));
      _exit(7);
    }
    if (write(fd, &k, sizeof k) != (ssize_t)sizeof k) _exit(4);
    if (k % 97 == 0 && orbit_exec(db, "CHECKPOINT") != ORBIT_OK) _exit(5);
    /* rewrite a row of this batch in place: must never duplicate or drop it */
    if (k % 7 == 0) {
      sprintf(sql, "UPDATE t SET note = 'updated %ld' WHERE id = %ld", k, k * BATCH);
      if (orbit_exec(db, sql) != ORBIT_OK) _exit(6);
    }
  }
}

/* Batches found present become "acknowledged" too: once seen they must stay. */
static int check(const char *dir, unsigned char *acked, long nb, long *next_batch) {
  orbit_db *db;
  if (orbit_open(dir, NULL, &db) != ORBIT_OK) {
    fprintf(stderr, "reopen failed: %s\n", db ? orbit_errmsg(db) : "?");
    return 1;
  }
  orbit_stmt *st;
  if (orbit_prepare(db, "SELECT batch, count(*), count(DISTINCT id), min(id), max(id) FROM t GROUP BY batch", &st,
                    NULL) != ORBIT_OK) {
    fprintf(stderr, "query: %s\n", orbit_errmsg(db));
    return 1;
  }
  unsigned char *present = calloc((size_t)nb + 2, 1);
  int bad = 0, unacked_present = 0, rc;
  long maxb = -1;
  while ((rc = orbit_step(st)) == ORBIT_ROW) {
    long b = (long)orbit_column_int64(st, 0);
    int64_t cnt = orbit_column_int64(st, 1), distinct = orbit_column_int64(st, 2);
    int64_t mn = orbit_column_int64(st, 3), mx = orbit_column_int64(st, 4);
    if (b < 0 || b > nb) { fprintf(stderr, "unexpected batch %ld\n", b); bad = 1; continue; }
    present[b] = 1;
    if (b > maxb) maxb = b;
    if (cnt != BATCH || distinct != BATCH || mn != b * BATCH || mx != b * BATCH + BATCH - 1) {
      fprintf(stderr, "batch %ld is partial or duplicated: %lld rows, %lld distinct\n", b, (long long)cnt,
              (long long)distinct);
      bad = 1;
    }
    if (!acked[b]) unacked_present++;
  }
  if (rc != ORBIT_DONE) { fprintf(stderr, "query failed: %s\n", orbit_errmsg(db)); bad = 1; }
  orbit_finalize(st);
  for (long b = 0; b < nb; b++)
    if (acked[b] && !present[b]) { fprintf(stderr, "acknowledged batch %ld is lost\n", b); bad = 1; }
  /* the sequence goes on past every committed id: a new row gets a fresh key */
  if (orbit_exec(db, "INSERT INTO s (batch) VALUES (-1)") != ORBIT_OK ||
      orbit_exec(db, "DELETE FROM s WHERE batch = -1") != ORBIT_OK) {
    fprintf(stderr, "serial after recovery: %s\n", orbit_errmsg(db));
    bad = 1;
  }
  if (unacked_present > 1) { fprintf(stderr, "%d unacknowledged batches present\n", unacked_present); bad = 1; }
  for (long b = 0; b < nb; b++)
    if (present[b]) acked[b] = 1;
  orbit_close(db);
  free(present);
  *next_batch = maxb + 1;
  return bad;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 25;
  char dir[4096];
  if (argc > 2) snprintf(dir, sizeof dir, "%s", argv[2]);
  else {
    snprintf(dir, sizeof dir, "/tmp/orbit-crash-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  }
  char dbdir[4200];
  snprintf(dbdir, sizeof dbdir, "%s/db", dir);
  orbit_db *db;
  if (orbit_open(dbdir, NULL, &db) != ORBIT_OK ||
      orbit_exec(db, "CREATE TABLE t (id BIGINT PRIMARY KEY, batch BIGINT NOT NULL, note TEXT)") != ORBIT_OK ||
      orbit_exec(db, "CREATE TABLE s (id serial PRIMARY KEY, batch BIGINT)") != ORBIT_OK) {
    fprintf(stderr, "setup: %s\n", db ? orbit_errmsg(db) : "?");
    return 1;
  }
  orbit_close(db);

  unsigned char *acked = calloc(MAX_BATCHES + 2, 1);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  long next = 0, total_acked = 0;
  int failures = 0;
  for (int r = 0; r < rounds; r++) {
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child(dbdir, fds[1], next);
    }
    close(fds[1]);
    useconds_t delay = (useconds_t)(5000 + rand() % 250000);  /* 5 .. 255 ms */
    usleep(delay);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    long k;
    while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k)
      if (k >= 0 && k < MAX_BATCHES) { acked[k] = 1; total_acked++; }
    close(fds[0]);
    if (WIFEXITED(status)) {
      fprintf(stderr, "round %d: writer exited with status %d before being killed\n", r, WEXITSTATUS(status));
      failures++;
      break;
    }
    long nb = MAX_BATCHES;
    if (check(dbdir, acked, nb, &next) != 0) {
      fprintf(stderr, "round %d (killed after %u us): FAILED\n", r, delay);
      failures++;
      break;
    }
  }
  printf("crash test: %d rounds, %ld acknowledged batches of %d rows, next batch %ld\n", rounds, total_acked, BATCH,
         next);
  printf("%d passed, %d failed\n", failures ? 0 : rounds, failures);
  if (!failures && argc <= 2) nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(acked);
  return failures ? 1 : 0;
}
