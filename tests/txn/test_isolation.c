/*
** tests/txn/test_isolation.c — transactions interleaved step by step.
**
** In the manner of PostgreSQL's isolation tester: each session runs in its
** own thread; the test hands one statement at a time to a session and waits
** for its result.  A statement that has not finished after BLOCK_MS is
** "blocked" (waiting for another transaction); a later step that ends that
** transaction lets it finish, and finish() collects its result.
**
** Results are written "a|b;c|d" (columns by |, rows by ;), the command tag
** for statements without rows, "ERROR <sqlstate>" for errors.
**
** Checked: the anomalies snapshot isolation forbids (dirty read,
** non-repeatable read, lost update, phantom under REPEATABLE READ) do not
** happen; write skew does (snapshot isolation allows it); first committer
** wins with 40001; READ COMMITTED waits and then sees the other's commit;
** deadlocks are found (40P01); readers never wait for writers; a key being
** inserted by another transaction makes an insert wait, a UNIQUE key too; DDL waits for open
** transactions; COUNT(*) sees the snapshot's rows.  An owned Iceberg table
** written in transaction blocks: staged rows and deletes seen by the block
** only, one commit at COMMIT, 40001 when another writer deleted the same
** rows meanwhile (the hot changes of the block rolled back with it).
*/
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "orbit.h"

#define BLOCK_MS 300

typedef struct session {
  orbit_db *db;
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  const char *sql;     /* the job; NULL = none */
  bool done, quit;
  char result[2048];
} session;

static void run_sql(session *s) {
  orbit_stmt *st = NULL;
  char *out = s->result;
  size_t cap = sizeof s->result, len = 0;
  out[0] = '\0';
  int rc = orbit_prepare(s->db, s->sql, &st, NULL);
  if (rc == ORBIT_OK && st) {
    int nrows = 0;
    while ((rc = orbit_step(st)) == ORBIT_ROW) {
      int n = orbit_column_count(st);
      for (int i = 0; i < n; i++) {
        const char *v = orbit_column_is_null(st, i) ? "NULL" : orbit_column_text(st, i);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "|" : nrows ? ";" : "", v);
        if (len >= cap) len = cap - 1;
      }
      nrows++;
    }
    if (rc == ORBIT_DONE && orbit_column_count(st) == 0) snprintf(out, cap, "%s", orbit_command_tag(st));
  }
  if (rc != ORBIT_OK && rc != ORBIT_DONE) snprintf(out, cap, "ERROR %s", orbit_errcode_sqlstate(s->db));
  orbit_finalize(st);
}

static void *session_main(void *arg) {
  session *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (!s->sql && !s->quit) pthread_cond_wait(&s->cv, &s->mu);
    if (s->quit) break;
    pthread_mutex_unlock(&s->mu);
    run_sql(s);
    pthread_mutex_lock(&s->mu);
    s->sql = NULL;
    s->done = true;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static char dbdir[256];

static void session_open(session *s) {
  memset(s, 0, sizeof *s);
  assert_int_equal(orbit_open(dbdir, NULL, &s->db), ORBIT_OK);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  pthread_create(&s->th, NULL, session_main, s);
}

static void session_close(session *s) {
  pthread_mutex_lock(&s->mu);
  s->quit = true;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  pthread_join(s->th, NULL);
  orbit_close(s->db);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cv);
}

/* Wait up to ms for the session's statement; its result, or "BLOCKED". */
static const char *await(session *s, int ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
  pthread_mutex_lock(&s->mu);
  while (!s->done)
    if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) != 0) break;
  bool done = s->done;
  pthread_mutex_unlock(&s->mu);
  return done ? s->result : "BLOCKED";
}

/* Run one statement in session s; its result, or "BLOCKED" when it has not
** finished after ms. */
static const char *step_for(session *s, const char *sql, int ms) {
  pthread_mutex_lock(&s->mu);
  bool idle = s->done || !s->sql;   /* not still blocked on an earlier step */
  if (idle) {
    s->done = false;
    s->sql = sql;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  assert_true(idle);
  return await(s, ms);
}

static const char *step(session *s, const char *sql) { return step_for(s, sql, BLOCK_MS); }

/* The result of s's blocked statement once it finishes (10 s at most). */
static const char *finish(session *s) { return await(s, 10000); }

#define STEP(s, sql, want) assert_string_equal(step(s, sql), want)
/* A statement that never waits for another transaction but may take long
** (an Iceberg commit writes files; sanitizers and a loaded machine slow it). */
#define STEP_LONG(s, sql, want) assert_string_equal(step_for(s, sql, 20000), want)

static session A, B;

/* --- commits are seen once durable --------------------------------------- */

extern void (*wal_test_before_sync)(void);
static pthread_mutex_t sync_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sync_cv = PTHREAD_COND_INITIALIZER;
static bool syncs_held;

/* The log's flusher stops before its fdatasync while syncs are held. */
static void hold_sync(void) {
  pthread_mutex_lock(&sync_mu);
  while (syncs_held) pthread_cond_wait(&sync_cv, &sync_mu);
  pthread_mutex_unlock(&sync_mu);
}

static void hold_syncs(bool held) {
  pthread_mutex_lock(&sync_mu);
  syncs_held = held;
  pthread_cond_broadcast(&sync_cv);
  pthread_mutex_unlock(&sync_mu);
}


static int setup(void **state) {
  (void)state;
  snprintf(dbdir, sizeof dbdir, "/tmp/orbit-isolation-XXXXXX");
  if (!mkdtemp(dbdir)) return -1;
  session_open(&A);
  session_open(&B);
  STEP(&A, "CREATE TABLE acct (id INT PRIMARY KEY, bal INT)", "CREATE TABLE");
  STEP(&A, "INSERT INTO acct VALUES (1, 100), (2, 100)", "INSERT 0 2");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  hold_syncs(false);   /* a failed test_commit_seen_once_durable must not leave its sessions stuck */
  session_close(&A);
  session_close(&B);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dbdir);
  return system(cmd) == 0 ? 0 : -1;
}

static void test_no_dirty_read(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 0 WHERE id = 1", "UPDATE 1");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "100");   /* not A's uncommitted 0, and not blocked */
  STEP(&B, "SELECT sum(bal) FROM acct", "200");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "0");     /* A sees its own change */
  STEP(&A, "ROLLBACK", "ROLLBACK");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "100");
}

static void test_repeatable_read(void **state) {
  (void)state;
  STEP(&A, "BEGIN ISOLATION LEVEL REPEATABLE READ", "BEGIN");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "100");
  STEP(&B, "UPDATE acct SET bal = 150 WHERE id = 1", "UPDATE 1");   /* a reader does not block it */
  STEP(&B, "INSERT INTO acct VALUES (3, 1)", "INSERT 0 1");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "100");             /* no non-repeatable read */
  STEP(&A, "SELECT count(*) FROM acct", "2");                       /* no phantom */
  STEP(&A, "SELECT id FROM acct ORDER BY id", "1;2");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "150");
  STEP(&A, "SELECT count(*) FROM acct", "3");
  STEP(&B, "DELETE FROM acct WHERE id = 3", "DELETE 1");
  STEP(&B, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
}

static void test_read_committed_sees_new_commits(void **state) {
  (void)state;
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "SHOW transaction_isolation", "read committed");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "100");
  STEP(&B, "UPDATE acct SET bal = 120 WHERE id = 1", "UPDATE 1");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "120");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&B, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
}

static void test_lost_update_prevented(void **state) {
  (void)state;
  /* REPEATABLE READ: the second writer waits, then fails (first committer wins) */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "100");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "100");
  STEP(&A, "UPDATE acct SET bal = bal + 10 WHERE id = 1", "UPDATE 1");
  STEP(&B, "UPDATE acct SET bal = bal + 20 WHERE id = 1", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 40001");
  STEP(&B, "SELECT 1", "ERROR 25P02");
  STEP(&B, "ROLLBACK", "ROLLBACK");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "110");

  /* ... and if the first writer rolls back, the second goes ahead */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = bal + 10 WHERE id = 1", "UPDATE 1");
  STEP(&B, "UPDATE acct SET bal = bal + 20 WHERE id = 1", "BLOCKED");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&B), "UPDATE 1");
  STEP(&B, "COMMIT", "COMMIT");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "130");

  /* READ COMMITTED: the waiter then updates the committed row: no update lost */
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = bal - 30 WHERE id = 1", "UPDATE 1");
  STEP(&B, "UPDATE acct SET bal = bal + 70 WHERE id = 1", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "UPDATE 1");
  STEP(&B, "COMMIT", "COMMIT");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "170");
  STEP(&A, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
}

static void test_select_for_update(void **state) {
  (void)state;
  /* a locked row makes writers (and other lockers) wait; readers do not */
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1 FOR UPDATE", "100");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "100");
  STEP(&B, "SELECT id FROM acct ORDER BY id FOR UPDATE SKIP LOCKED", "2");
  STEP(&B, "SELECT id FROM acct WHERE id = 1 FOR SHARE NOWAIT", "ERROR 55P03");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "UPDATE acct SET bal = bal + 5 WHERE id = 1", "BLOCKED");
  STEP(&A, "UPDATE acct SET bal = bal + 1 WHERE id = 1", "UPDATE 1");   /* its own lock does not stop it */
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "UPDATE 1");
  STEP(&B, "COMMIT", "COMMIT");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "106");

  /* a lock alone changes nothing: a REPEATABLE READ writer that waited for
  ** it goes ahead (PostgreSQL's rule too) */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&B, "BEGIN ISOLATION LEVEL REPEATABLE READ", "BEGIN");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "106");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1 FOR UPDATE", "106");
  STEP(&B, "UPDATE acct SET bal = 100 WHERE id = 1", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "UPDATE 1");
  STEP(&B, "COMMIT", "COMMIT");

  /* READ COMMITTED: a waiting locker returns the row as the other left it,
  ** or nothing if it no longer matches */
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1 FOR UPDATE", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "100");
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 50 WHERE id = 2", "UPDATE 1");   /* waits for nobody: B locked row 1 only */
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 60 WHERE id = 2", "UPDATE 1");
  STEP(&B, "SELECT id FROM acct WHERE bal < 55 FOR UPDATE", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "");   /* row 2 no longer matches */
  STEP(&B, "COMMIT", "COMMIT");

  /* REPEATABLE READ: locking a row changed since the snapshot is 40001 */
  STEP(&A, "BEGIN ISOLATION LEVEL REPEATABLE READ", "BEGIN");
  STEP(&A, "SELECT bal FROM acct WHERE id = 2", "60");
  STEP(&B, "UPDATE acct SET bal = 100 WHERE id = 2", "UPDATE 1");
  STEP(&A, "SELECT bal FROM acct WHERE id = 2 FOR UPDATE", "ERROR 40001");
  STEP(&A, "ROLLBACK", "ROLLBACK");

  /* a lock ends with its transaction, also by ROLLBACK, and changes nothing */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "SELECT id FROM acct ORDER BY id LIMIT 1 FOR NO KEY UPDATE", "1");
  STEP(&B, "SELECT id FROM acct ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", "2");   /* LIMIT counts locked rows */
  STEP(&A, "ROLLBACK", "ROLLBACK");
  STEP(&B, "UPDATE acct SET bal = bal WHERE id = 1", "UPDATE 1");
  STEP(&B, "SELECT id, bal FROM acct ORDER BY id", "1|100;2|100");
}

static void test_write_skew_allowed(void **state) {
  (void)state;
  /* each reads both rows and changes a different one: snapshot isolation lets both commit */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&A, "SELECT sum(bal) FROM acct", "200");
  STEP(&B, "SELECT sum(bal) FROM acct", "200");
  STEP(&A, "UPDATE acct SET bal = bal - 150 WHERE id = 1", "UPDATE 1");
  STEP(&B, "UPDATE acct SET bal = bal - 150 WHERE id = 2", "UPDATE 1");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&B, "COMMIT", "COMMIT");
  STEP(&A, "SELECT sum(bal) FROM acct", "-100");
  STEP(&A, "UPDATE acct SET bal = 100", "UPDATE 2");
}

static void test_deadlock_detected(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 1 WHERE id = 1", "UPDATE 1");
  STEP(&B, "UPDATE acct SET bal = 2 WHERE id = 2", "UPDATE 1");
  STEP(&A, "UPDATE acct SET bal = 1 WHERE id = 2", "BLOCKED");
  STEP(&B, "UPDATE acct SET bal = 2 WHERE id = 1", "ERROR 40P01");
  STEP(&B, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&A), "UPDATE 1");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&B, "SELECT id, bal FROM acct ORDER BY id", "1|1;2|1");
  STEP(&B, "UPDATE acct SET bal = 100", "UPDATE 2");
}

/* lock_timeout ends one wait for another transaction's row with 55P03
** (the statement fails, the block stays usable after ROLLBACK TO); 0 waits
** without limit. */
static void test_lock_timeout(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = bal + 1 WHERE id = 1", "UPDATE 1");
  STEP(&B, "SET lock_timeout = '50ms'", "SET");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&B, "SAVEPOINT s", "SAVEPOINT");
  assert_string_equal(step_for(&B, "UPDATE acct SET bal = bal + 1 WHERE id = 1", 10000), "ERROR 55P03");
  STEP(&B, "ROLLBACK TO s", "ROLLBACK");
  STEP(&B, "UPDATE acct SET bal = bal + 1 WHERE id = 2", "UPDATE 1");
  STEP(&B, "COMMIT", "COMMIT");
  STEP(&B, "SET lock_timeout = 0", "SET");
  STEP(&B, "UPDATE acct SET bal = bal - 1 WHERE id = 1", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 40001");   /* waited to the end (REPEATABLE READ, the default) */
  STEP(&B, "UPDATE acct SET bal = 100", "UPDATE 2");
}

/* Sessions that update a row another transaction holds queue for it
** (txn.c, "Row queues"): when the holder commits, the first to have waited
** gets the row and the others keep waiting, now for it — each waiter's
** update lands in arrival order (rather than whichever woke first). */
#define NWAITERS 4
static session W[NWAITERS];

static int waiters_open(void **state) {
  (void)state;
  for (int i = 0; i < NWAITERS; i++) {
    session_open(&W[i]);
    STEP(&W[i], "SET default_transaction_isolation = 'read committed'", "SET");
  }
  return 0;
}

/* Also after a failed check: end A's transaction first, or a waiter
** still blocked on it would never return to be closed. */
static int waiters_close(void **state) {
  (void)state;
  await(&A, 10000);
  step(&A, "ROLLBACK");
  for (int i = 0; i < NWAITERS; i++) {
    await(&W[i], 10000);
    session_close(&W[i]);
  }
  return 0;
}

static void test_row_waiters_first_come_first_served(void **state) {
  (void)state;
  static const char *const upd[NWAITERS] = {
      "UPDATE acct SET bal = bal * 10 + 1 WHERE id = 1", "UPDATE acct SET bal = bal * 10 + 2 WHERE id = 1",
      "UPDATE acct SET bal = bal * 10 + 3 WHERE id = 1", "UPDATE acct SET bal = bal * 10 + 4 WHERE id = 1"};
  for (int round = 0; round < 3; round++) {   /* an unlucky wake-up order must not pass by chance */
    STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
    STEP(&A, "UPDATE acct SET bal = 0 WHERE id = 1", "UPDATE 1");
    for (int i = 0; i < NWAITERS; i++) assert_string_equal(step_for(&W[i], upd[i], 100), "BLOCKED");
    STEP(&A, "COMMIT", "COMMIT");
    for (int i = 0; i < NWAITERS; i++) assert_string_equal(finish(&W[i]), "UPDATE 1");
    STEP(&A, "SELECT bal FROM acct WHERE id = 1", "1234");
  }

  /* while the first waiter holds the row, the next ones still wait */
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 0 WHERE id = 1", "UPDATE 1");
  STEP(&W[0], "BEGIN", "BEGIN");
  assert_string_equal(step_for(&W[0], upd[0], 100), "BLOCKED");
  assert_string_equal(step_for(&W[1], upd[1], 100), "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&W[0]), "UPDATE 1");
  assert_string_equal(await(&W[1], 300), "BLOCKED");
  STEP(&W[0], "COMMIT", "COMMIT");
  assert_string_equal(finish(&W[1]), "UPDATE 1");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "12");
  STEP(&A, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
}

/* A waiter leaving the line (statement_timeout here), first or not, does
** not hold up the others; a deadlock through a waiter in line is found. */
static void test_row_queue_leaving_and_deadlock(void **state) {
  (void)state;
  STEP(&W[0], "SET statement_timeout = '400ms'", "SET");
  STEP(&W[2], "SET statement_timeout = '400ms'", "SET");
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 0 WHERE id = 1", "UPDATE 1");
  assert_string_equal(step_for(&W[0], "UPDATE acct SET bal = bal * 10 + 1 WHERE id = 1", 50), "BLOCKED");
  assert_string_equal(step_for(&W[1], "UPDATE acct SET bal = bal * 10 + 2 WHERE id = 1", 50), "BLOCKED");
  assert_string_equal(step_for(&W[2], "UPDATE acct SET bal = bal * 10 + 3 WHERE id = 1", 50), "BLOCKED");
  assert_string_equal(step_for(&W[3], "UPDATE acct SET bal = bal * 10 + 4 WHERE id = 1", 50), "BLOCKED");
  assert_string_equal(finish(&W[0]), "ERROR 57014");   /* the first in line */
  assert_string_equal(finish(&W[2]), "ERROR 57014");   /* one behind */
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&W[1]), "UPDATE 1");
  assert_string_equal(finish(&W[3]), "UPDATE 1");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "24");

  /* A holds row 1; W0 waits for it first, W1 (holding row 3) behind W0;
  ** A then wants row 3: A -> W1 -> W0 -> A */
  STEP(&A, "INSERT INTO acct VALUES (3, 3)", "INSERT 0 1");
  STEP(&W[0], "SET statement_timeout = 0", "SET");
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 10 WHERE id = 1", "UPDATE 1");
  STEP(&W[0], "BEGIN", "BEGIN");
  STEP(&W[0], "UPDATE acct SET bal = bal + 1 WHERE id = 1", "BLOCKED");
  STEP(&W[1], "BEGIN", "BEGIN");
  STEP(&W[1], "UPDATE acct SET bal = 30 WHERE id = 3", "UPDATE 1");
  STEP(&W[1], "UPDATE acct SET bal = bal + 2 WHERE id = 1", "BLOCKED");
  STEP(&A, "UPDATE acct SET bal = 11 WHERE id = 3", "ERROR 40P01");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&W[0]), "UPDATE 1");   /* 24 + 1: A's change is gone */
  STEP(&W[0], "COMMIT", "COMMIT");
  assert_string_equal(finish(&W[1]), "UPDATE 1");
  STEP(&W[1], "COMMIT", "COMMIT");
  STEP(&A, "SELECT id, bal FROM acct ORDER BY id", "1|27;2|100;3|30");
  STEP(&A, "DELETE FROM acct WHERE id = 3", "DELETE 1");
  STEP(&A, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
}

static void test_insert_waits_for_key(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO acct VALUES (5, 5)", "INSERT 0 1");
  STEP(&B, "INSERT INTO acct VALUES (5, 50)", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 23505");

  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "DELETE FROM acct WHERE id = 5", "DELETE 1");
  STEP(&B, "INSERT INTO acct VALUES (5, 50)", "BLOCKED");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&B), "ERROR 23505");

  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO acct VALUES (6, 6)", "INSERT 0 1");
  STEP(&B, "INSERT INTO acct VALUES (6, 60)", "BLOCKED");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&B), "INSERT 0 1");
  STEP(&B, "SELECT id, bal FROM acct WHERE id IN (5, 6) ORDER BY id", "5|5;6|60");
  STEP(&B, "DELETE FROM acct WHERE id > 2", "DELETE 2");
}

/* A UNIQUE constraint's key behaves as the primary key's: an insert waits
** for the transaction that holds (or may free) the key, then fails or goes
** in as PostgreSQL's does; a key freed by a committed change is free. */
static void test_unique_waits_for_key(void **state) {
  (void)state;
  STEP(&A, "CREATE TABLE uq (id INT PRIMARY KEY, u INT UNIQUE)", "CREATE TABLE");
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO uq VALUES (1, 5)", "INSERT 0 1");
  STEP(&B, "INSERT INTO uq VALUES (2, 5)", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 23505");

  /* an update moving the key away: the waiter gets it once that commits */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE uq SET u = 7 WHERE id = 1", "UPDATE 1");
  STEP(&B, "INSERT INTO uq VALUES (2, 5)", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "INSERT 0 1");

  /* a delete rolled back keeps the key taken */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "DELETE FROM uq WHERE u = 7", "DELETE 1");
  STEP(&B, "INSERT INTO uq VALUES (3, 7)", "BLOCKED");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&B), "ERROR 23505");

  /* an insert rolled back frees it */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO uq VALUES (4, 8)", "INSERT 0 1");
  STEP(&B, "INSERT INTO uq VALUES (5, 8)", "BLOCKED");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&B), "INSERT 0 1");

  /* a committed delete frees the key for anyone */
  STEP(&A, "DELETE FROM uq WHERE u = 8", "DELETE 1");
  STEP(&B, "INSERT INTO uq VALUES (6, 8)", "INSERT 0 1");
  /* both transactions inserting: only one commits the key */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO uq VALUES (7, 9)", "INSERT 0 1");
  STEP(&B, "INSERT INTO uq VALUES (8, 9)", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 23505");
  STEP(&B, "ROLLBACK", "ROLLBACK");
  STEP(&B, "SELECT id, u FROM uq ORDER BY id", "1|7;2|5;6|8;7|9");
  /* ON CONFLICT on the UNIQUE column waits as well; then, as in
  ** PostgreSQL, READ COMMITTED takes the branch the other transaction's
  ** outcome decides, and REPEATABLE READ (Orbit's default) fails with
  ** 40001 when that transaction committed the key after its snapshot */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO uq VALUES (10, 11)", "INSERT 0 1");
  STEP(&B, "INSERT INTO uq VALUES (11, 11) ON CONFLICT (u) DO NOTHING", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 40001");
  STEP(&B, "SET default_transaction_isolation = 'read committed'", "SET");
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO uq VALUES (14, 15)", "INSERT 0 1");
  STEP(&B, "INSERT INTO uq VALUES (16, 15) ON CONFLICT (u) DO NOTHING", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "INSERT 0 0");
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "DELETE FROM uq WHERE u = 11", "DELETE 1");
  STEP(&B, "INSERT INTO uq VALUES (12, 11) ON CONFLICT (u) DO UPDATE SET id = 13", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "INSERT 0 1");
  STEP(&B, "SELECT id FROM uq WHERE u IN (11, 15) ORDER BY u", "12;14");
  STEP(&B, "RESET default_transaction_isolation", "RESET");
  STEP(&A, "DROP TABLE uq", "DROP TABLE");
}

static void test_count_sees_snapshot(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "INSERT INTO acct VALUES (7, 7), (8, 8)", "INSERT 0 2");
  STEP(&A, "SELECT count(*) FROM acct", "4");
  STEP(&B, "SELECT count(*) FROM acct", "2");
  STEP(&B, "BEGIN", "BEGIN");
  STEP(&B, "SELECT count(*) FROM acct", "2");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&B, "SELECT count(*) FROM acct", "2");   /* B's snapshot predates A's commit */
  STEP(&B, "COMMIT", "COMMIT");
  STEP(&B, "SELECT count(*) FROM acct", "4");
  STEP(&B, "DELETE FROM acct WHERE id > 2", "DELETE 2");
  STEP(&B, "SELECT count(*) FROM acct", "2");
}

static void test_ddl_waits_for_transactions(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "SELECT count(*) FROM acct", "2");
  STEP(&B, "CREATE TABLE other (x INT)", "BLOCKED");
  STEP(&A, "SELECT bal FROM acct WHERE id = 2", "100");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "CREATE TABLE");
  STEP(&B, "DROP TABLE other", "DROP TABLE");
}

static void test_set_transaction(void **state) {
  (void)state;
  STEP(&A, "SHOW transaction_isolation", "repeatable read");
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET");
  STEP(&A, "SHOW transaction_isolation", "read committed");
  STEP(&A, "SELECT 1", "1");
  STEP(&A, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "ERROR 25001");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  STEP(&A, "SET default_transaction_isolation = 'read committed'", "SET");
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "SHOW transaction_isolation", "read committed");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&A, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ", "SET");
  STEP(&A, "SHOW default_transaction_isolation", "repeatable read");
  STEP(&A, "SET default_transaction_isolation = 'chaos'", "ERROR 22023");
}

/* An owned Iceberg table written in transaction blocks (storage/cold/
** cold_stage.h): the block sees its own staged rows and deletes, other
** sessions see none of them until COMMIT. */
static void test_iceberg_block_visibility(void **state) {
  (void)state;
  STEP_LONG(&A, "CREATE TABLE ice (id INT, v INT) USING iceberg", "CREATE TABLE");
  STEP_LONG(&A, "INSERT INTO ice VALUES (1, 10), (2, 20), (3, 30)", "INSERT 0 3");
  STEP_LONG(&A, "BEGIN", "BEGIN");
  STEP_LONG(&A, "INSERT INTO ice VALUES (4, 40)", "INSERT 0 1");
  STEP_LONG(&A, "INSERT INTO ice VALUES (5, 50)", "INSERT 0 1");
  STEP_LONG(&A, "SELECT count(*) FROM ice", "5");
  STEP_LONG(&B, "SELECT count(*) FROM ice", "3");   /* not A's staged rows, and not blocked */
  STEP_LONG(&A, "DELETE FROM ice WHERE id IN (1, 4)", "DELETE 2");
  STEP_LONG(&A, "SELECT sum(v) FROM ice", "100");
  STEP_LONG(&B, "SELECT sum(v) FROM ice", "60");
  STEP_LONG(&B, "INSERT INTO ice VALUES (6, 60)", "INSERT 0 1");   /* an append meanwhile: no conflict */
  STEP_LONG(&A, "SELECT count(*) FROM ice", "3");                 /* REPEATABLE READ: not B's row */
  STEP_LONG(&A, "COMMIT", "COMMIT");
  STEP_LONG(&B, "SELECT id FROM ice ORDER BY id", "2;3;5;6");
  STEP_LONG(&A, "SELECT count(*) FROM ice", "4");
}

/* Deletes staged against rows another writer deleted meanwhile: COMMIT
** fails with 40001 and nothing of the transaction stays, hot or Iceberg. */
static void test_iceberg_commit_conflict(void **state) {
  (void)state;
  STEP_LONG(&A, "BEGIN", "BEGIN");
  STEP_LONG(&A, "UPDATE acct SET bal = 0 WHERE id = 1", "UPDATE 1");
  STEP_LONG(&A, "DELETE FROM ice WHERE id = 2", "DELETE 1");
  STEP_LONG(&A, "INSERT INTO ice VALUES (7, 70)", "INSERT 0 1");
  STEP_LONG(&B, "DELETE FROM ice WHERE id = 2", "DELETE 1");   /* committed at once, not blocked */
  STEP_LONG(&A, "COMMIT", "ERROR 40001");
  STEP_LONG(&A, "SELECT id FROM ice ORDER BY id", "3;5;6");    /* not A's row 7 */
  STEP_LONG(&A, "SELECT bal FROM acct WHERE id = 1", "100");   /* A's hot update rolled back too */
  /* an UPDATE the same way; then after the failure the session works on */
  STEP_LONG(&A, "BEGIN", "BEGIN");
  STEP_LONG(&A, "UPDATE ice SET v = 0 WHERE id = 3", "UPDATE 1");
  STEP_LONG(&B, "UPDATE ice SET v = 1 WHERE id = 3", "UPDATE 1");
  STEP_LONG(&A, "COMMIT", "ERROR 40001");
  STEP_LONG(&A, "SELECT v FROM ice WHERE id = 3", "1");
  STEP_LONG(&A, "BEGIN", "BEGIN");
  STEP_LONG(&A, "UPDATE ice SET v = 2 WHERE id = 3", "UPDATE 1");
  STEP_LONG(&A, "COMMIT", "COMMIT");
  STEP_LONG(&B, "SELECT v FROM ice WHERE id = 3", "2");
}

/* READ COMMITTED: each statement reads the newest Iceberg snapshot, until
** the block deletes rows of the table: from then on it keeps reading the
** snapshot its deletes name (cold_stage.h). */
static void test_iceberg_read_committed(void **state) {
  (void)state;
  STEP_LONG(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP_LONG(&A, "SELECT count(*) FROM ice", "3");
  STEP_LONG(&B, "INSERT INTO ice VALUES (10, 100)", "INSERT 0 1");
  STEP_LONG(&A, "SELECT count(*) FROM ice", "4");             /* B's commit seen */
  STEP_LONG(&A, "DELETE FROM ice WHERE id = 10", "DELETE 1");
  STEP_LONG(&B, "INSERT INTO ice VALUES (11, 110)", "INSERT 0 1");
  STEP_LONG(&A, "SELECT id FROM ice ORDER BY id", "3;5;6");   /* the deletes' snapshot, kept */
  STEP_LONG(&A, "COMMIT", "COMMIT");                          /* B only appended: no conflict */
  STEP_LONG(&A, "SELECT id FROM ice ORDER BY id", "3;5;6;11");
  STEP_LONG(&B, "DELETE FROM ice WHERE id = 11", "DELETE 1");
}

/* Two Iceberg tables in one block, the second's deletes in conflict: every
** table's deletes are checked before any table publishes, so the first
** table's rows are not published either. */
static void test_iceberg_two_tables_conflict(void **state) {
  (void)state;
  STEP_LONG(&A, "CREATE TABLE ice2 (id INT) USING iceberg", "CREATE TABLE");
  STEP_LONG(&A, "BEGIN", "BEGIN");
  STEP_LONG(&A, "INSERT INTO ice2 VALUES (1), (2)", "INSERT 0 2");
  STEP_LONG(&A, "DELETE FROM ice WHERE id = 6", "DELETE 1");
  STEP_LONG(&B, "UPDATE ice SET v = v + 1 WHERE id = 6", "UPDATE 1");
  STEP_LONG(&A, "COMMIT", "ERROR 40001");
  STEP_LONG(&B, "SELECT count(*) FROM ice2", "0");
  STEP_LONG(&B, "SELECT id FROM ice ORDER BY id", "3;5;6");
  STEP_LONG(&A, "DROP TABLE ice2", "DROP TABLE");
}

/* An error aborts the block: COMMIT then rolls back, writing nothing. */
static void test_iceberg_error_aborts_block(void **state) {
  (void)state;
  STEP_LONG(&A, "BEGIN", "BEGIN");
  STEP_LONG(&A, "INSERT INTO ice VALUES (9, 90)", "INSERT 0 1");
  STEP_LONG(&A, "DELETE FROM ice WHERE id = 3", "DELETE 1");
  STEP_LONG(&A, "SELECT 1 / 0", "ERROR 22012");
  STEP_LONG(&A, "SELECT count(*) FROM ice", "ERROR 25P02");
  STEP_LONG(&A, "COMMIT", "ROLLBACK");
  STEP_LONG(&B, "SELECT id FROM ice ORDER BY id", "3;5;6");
  STEP_LONG(&A, "DROP TABLE ice", "DROP TABLE");
}

/* A commit whose log record is not on disk yet is seen by nobody (a crash
** could still take it back, and PostgreSQL with synchronous_commit = on
** shows a commit only after its flush), but a writer of the same row goes
** ahead: it writes over the newest version, and its own commit, later in
** the log, is answered only once both are on disk. */
static void test_commit_seen_once_durable(void **state) {
  (void)state;
  wal_test_before_sync = hold_sync;
  hold_syncs(true);
  STEP(&A, "UPDATE acct SET bal = 7 WHERE id = 1", "BLOCKED");     /* its commit waits for the sync */
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "100");            /* not seen, and not blocked */
  STEP(&B, "BEGIN ISOLATION LEVEL REPEATABLE READ", "BEGIN");
  STEP(&B, "SELECT sum(bal) FROM acct", "200");
  STEP(&B, "UPDATE acct SET bal = 1 WHERE id = 1", "ERROR 40001"); /* committed after its snapshot */
  STEP(&B, "ROLLBACK", "ROLLBACK");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "UPDATE acct SET bal = bal + 1 WHERE id = 1 RETURNING bal", "8");   /* writes over A's 7 */
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "8");
  STEP(&B, "COMMIT", "BLOCKED");                                   /* waits for both syncs */
  hold_syncs(false);
  assert_string_equal(finish(&A), "UPDATE 1");
  assert_string_equal(finish(&B), "COMMIT");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "8");
  /* synchronous_commit = off: seen at once, no wait for the disk */
  hold_syncs(true);
  STEP(&A, "SET synchronous_commit = off", "SET");
  STEP(&A, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1", "100");
  STEP(&A, "SET synchronous_commit = on", "SET");
  hold_syncs(false);
  wal_test_before_sync = NULL;
}

/* ROLLBACK TO SAVEPOINT gives back the rows changed since the savepoint, as
** PostgreSQL's subtransaction abort releases their locks: a transaction
** waiting for one goes on without waiting for the whole transaction; one
** waiting for a row changed before the savepoint still waits. */
static void test_savepoint_rollback_frees_rows(void **state) {
  (void)state;
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = bal WHERE id = 2", "UPDATE 1");
  STEP(&A, "SAVEPOINT s", "SAVEPOINT");
  STEP(&A, "UPDATE acct SET bal = 5 WHERE id = 1", "UPDATE 1");
  STEP(&B, "UPDATE acct SET bal = bal + 1 WHERE id = 1", "BLOCKED");
  STEP(&A, "ROLLBACK TO SAVEPOINT s", "ROLLBACK");
  assert_string_equal(finish(&B), "UPDATE 1");                    /* A is still running */
  STEP(&B, "UPDATE acct SET bal = bal + 1 WHERE id = 2", "BLOCKED");   /* held since before s */
  STEP(&A, "SAVEPOINT t", "SAVEPOINT");
  STEP(&A, "ROLLBACK TO SAVEPOINT t", "ROLLBACK");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "100");           /* B's commit is after A's snapshot */
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "ERROR 40001");                 /* A committed row 2 (REPEATABLE READ) */
  STEP(&A, "SELECT id, bal FROM acct ORDER BY id", "1|101;2|100");
  STEP(&A, "UPDATE acct SET bal = 100", "UPDATE 2");
}

/* FOR SHARE and FOR KEY SHARE: sharers of a row do not wait for each
** other; writers and FOR UPDATE wait for all of them; a sharer waits for a
** writer; a transaction that alone shares a row may update it; two sharers
** that both want to update deadlock (40P01), as in PostgreSQL. */
static void test_share_locks(void **state) {
  (void)state;
  session *C = &W[0];
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "SELECT bal FROM acct WHERE id = 1 FOR SHARE", "100");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1 FOR KEY SHARE", "100");        /* no wait */
  STEP(C, "SELECT id FROM acct ORDER BY id FOR SHARE SKIP LOCKED", "1;2");    /* nothing to skip */
  STEP(C, "SELECT id FROM acct ORDER BY id FOR UPDATE SKIP LOCKED", "2");
  STEP(C, "SELECT id FROM acct WHERE id = 1 FOR UPDATE NOWAIT", "ERROR 55P03");
  STEP(C, "UPDATE acct SET bal = 1 WHERE id = 1", "BLOCKED");                 /* waits for both */
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(await(C, BLOCK_MS), "BLOCKED");                         /* B still shares it */
  STEP(&B, "UPDATE acct SET bal = bal + 1 WHERE id = 1", "UPDATE 1");         /* alone now: goes ahead */
  STEP(&B, "COMMIT", "COMMIT");
  assert_string_equal(finish(C), "UPDATE 1");                                 /* after B: 101 -> 1 */
  STEP(&A, "SELECT bal FROM acct WHERE id = 1", "1");
  /* a sharer waits for a running writer */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "SELECT bal FROM acct WHERE id = 1 FOR SHARE", "BLOCKED");
  STEP(&A, "COMMIT", "COMMIT");
  assert_string_equal(finish(&B), "100");
  STEP(&B, "ROLLBACK", "ROLLBACK");                                           /* the lock ends with it */
  STEP(C, "UPDATE acct SET bal = 100 WHERE id = 1", "UPDATE 1");
  /* two sharers that both want to write: one of them is a deadlock */
  STEP(&A, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&B, "BEGIN ISOLATION LEVEL READ COMMITTED", "BEGIN");
  STEP(&A, "SELECT 1 FROM acct WHERE id = 2 FOR SHARE", "1");
  STEP(&B, "SELECT 1 FROM acct WHERE id = 2 FOR SHARE", "1");
  STEP(&A, "UPDATE acct SET bal = 7 WHERE id = 2", "BLOCKED");
  STEP(&B, "UPDATE acct SET bal = 8 WHERE id = 2", "ERROR 40P01");
  STEP(&B, "ROLLBACK", "ROLLBACK");
  assert_string_equal(finish(&A), "UPDATE 1");
  STEP(&A, "ROLLBACK", "ROLLBACK");
  /* ROLLBACK TO SAVEPOINT gives a share lock back */
  STEP(&A, "BEGIN", "BEGIN");
  STEP(&A, "SAVEPOINT s", "SAVEPOINT");
  STEP(&A, "SELECT 1 FROM acct WHERE id = 2 FOR SHARE", "1");
  STEP(&B, "UPDATE acct SET bal = 100 WHERE id = 2", "BLOCKED");
  STEP(&A, "ROLLBACK TO SAVEPOINT s", "ROLLBACK");
  assert_string_equal(finish(&B), "UPDATE 1");
  STEP(&A, "COMMIT", "COMMIT");
  STEP(&A, "SELECT id, bal FROM acct ORDER BY id", "1|100;2|100");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_dirty_read),
      cmocka_unit_test(test_repeatable_read),
      cmocka_unit_test(test_read_committed_sees_new_commits),
      cmocka_unit_test(test_lost_update_prevented),
      cmocka_unit_test(test_write_skew_allowed),
      cmocka_unit_test(test_deadlock_detected),
      cmocka_unit_test(test_insert_waits_for_key),
      cmocka_unit_test(test_lock_timeout),
      cmocka_unit_test(test_unique_waits_for_key),
      cmocka_unit_test_setup_teardown(test_row_waiters_first_come_first_served, waiters_open, waiters_close),
      cmocka_unit_test_setup_teardown(test_row_queue_leaving_and_deadlock, waiters_open, waiters_close),
      cmocka_unit_test(test_count_sees_snapshot),
      cmocka_unit_test(test_ddl_waits_for_transactions),
      cmocka_unit_test(test_set_transaction),
      cmocka_unit_test(test_select_for_update),
      cmocka_unit_test(test_iceberg_block_visibility),
      cmocka_unit_test(test_iceberg_commit_conflict),
      cmocka_unit_test(test_iceberg_read_committed),
      cmocka_unit_test(test_iceberg_two_tables_conflict),
      cmocka_unit_test(test_iceberg_error_aborts_block),
      cmocka_unit_test(test_commit_seen_once_durable),
      cmocka_unit_test(test_savepoint_rollback_frees_rows),
      cmocka_unit_test_setup_teardown(test_share_locks, waiters_open, waiters_close),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
