/*
** bench/bench_hot.c — the hot tier against SQLite, same work, same run.
**
** Workload (issue "Engine foundation"), on a table (id BIGINT PK, ts TIMESTAMP,
** kind TEXT, amount DOUBLE):
**   1. bulk insert N rows in commits of 1,000 rows (Orbit: one prepared
**      1,000-row INSERT per commit; SQLite: BEGIN, 1,000 executions of a
**      prepared one-row INSERT, COMMIT — each engine's natural fast path);
**   2. N random primary-key point lookups through a prepared statement;
**   3. SELECT count(*), sum(amount) ... WHERE amount > X over all rows;
**   4. CREATE INDEX on ts over the N rows, then N random lookups by ts
**      through it (Orbit's index is a hash table, SQLite's a B-tree).
** SQLite runs in WAL mode with synchronous=NORMAL (no fsync per commit);
** Orbit runs with synchronous_commit off (WAL synced every 200 ms) for the
** like-for-like figure, and also with synchronous_commit on (fsync per
** commit, group commit) for reference.
**
** usage: bench_hot [N=1000000] [WORKDIR=/tmp]
** Prints a table: operation, Orbit ops/s, SQLite ops/s, ratio Orbit/SQLite.
*/
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "orbit.h"

#define BATCH 1000

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) {  /* xorshift64*: same sequence for both engines */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}

static const char *kinds[] = {"buy", "sell", "hold", "transfer"};
static const int64_t ts0 = 1767225600000000LL; /* 2026-01-01 00:00:00 UTC in microseconds */

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb; (void)flag; (void)ftw;
  return remove(p);
}

static void die_orbit(orbit_db *db, const char *what) {
  fprintf(stderr, "orbit: %s: %s\n", what, db ? orbit_errmsg(db) : "?");
  exit(1);
}

typedef struct results {
  double insert_s, lookup_s, scan_s, index_build_s, index_lookup_s;
  int64_t scan_count;
  double scan_sum;
} results;

static void run_orbit(const char *dir, long n, int sync, results *r) {
  orbit_options o;
  orbit_options_init(&o);
  o.synchronous_commit = sync;
  orbit_db *db;
  if (orbit_open(dir, &o, &db) != ORBIT_OK) die_orbit(db, "open");
  if (orbit_exec(db, "CREATE TABLE events (id BIGINT PRIMARY KEY, ts TIMESTAMP, kind TEXT, amount DOUBLE PRECISION)") != ORBIT_OK)
    die_orbit(db, "create");

  /* one INSERT of BATCH rows with 4*BATCH parameters */
  size_t cap = (size_t)BATCH * 40 + 64;
  char *sql = malloc(cap);
  size_t len = (size_t)snprintf(sql, cap, "INSERT INTO events VALUES ");
  for (int i = 0; i < BATCH; i++)
    len += (size_t)snprintf(sql + len, cap - len, "%s($%d,$%d,$%d,$%d)", i ? "," : "", 4 * i + 1, 4 * i + 2,
                            4 * i + 3, 4 * i + 4);
  orbit_stmt *ins;
  if (orbit_prepare(db, sql, &ins, NULL) != ORBIT_OK) die_orbit(db, "prepare insert");
  free(sql);
  double t0 = now_s();
  for (long base = 0; base < n; base += BATCH) {
    for (int i = 0; i < BATCH; i++) {
      long id = base + i;
      orbit_bind_int64(ins, 4 * i + 1, id);
      orbit_bind_int64(ins, 4 * i + 2, ts0 + id * 1000000LL);
      orbit_bind_text(ins, 4 * i + 3, kinds[id & 3], -1);
      orbit_bind_double(ins, 4 * i + 4, (double)(id % 1000) + 0.25);
    }
    if (orbit_step(ins) != ORBIT_DONE) die_orbit(db, "insert");
    orbit_reset(ins);
  }
  r->insert_s = now_s() - t0;
  orbit_finalize(ins);

  orbit_stmt *sel;
  if (orbit_prepare(db, "SELECT kind, amount FROM events WHERE id = $1", &sel, NULL) != ORBIT_OK)
    die_orbit(db, "prepare lookup");
  rng_state = 0x9E3779B97F4A7C15ULL;
  double sink = 0;
  t0 = now_s();
  for (long i = 0; i < n; i++) {
    orbit_bind_int64(sel, 1, (int64_t)(rnd() % (uint64_t)n));
    if (orbit_step(sel) != ORBIT_ROW) die_orbit(db, "lookup");
    sink += orbit_column_double(sel, 1);
    orbit_reset(sel);
  }
  r->lookup_s = now_s() - t0;
  orbit_finalize(sel);
  if (sink < 0) puts("");

  orbit_stmt *scan;
  if (orbit_prepare(db, "SELECT count(*), sum(amount) FROM events WHERE amount > 250", &scan, NULL) != ORBIT_OK)
    die_orbit(db, "prepare scan");
  t0 = now_s();
  if (orbit_step(scan) != ORBIT_ROW) die_orbit(db, "scan");
  r->scan_s = now_s() - t0;
  r->scan_count = orbit_column_int64(scan, 0);
  r->scan_sum = orbit_column_double(scan, 1);
  orbit_finalize(scan);

  t0 = now_s();
  if (orbit_exec(db, "CREATE INDEX events_ts_idx ON events (ts)") != ORBIT_OK) die_orbit(db, "create index");
  r->index_build_s = now_s() - t0;
  if (orbit_prepare(db, "SELECT kind, amount FROM events WHERE ts = $1", &sel, NULL) != ORBIT_OK)
    die_orbit(db, "prepare index lookup");
  rng_state = 0x9E3779B97F4A7C15ULL;
  t0 = now_s();
  for (long i = 0; i < n; i++) {
    orbit_bind_int64(sel, 1, ts0 + (int64_t)(rnd() % (uint64_t)n) * 1000000LL);
    if (orbit_step(sel) != ORBIT_ROW) die_orbit(db, "index lookup");
    sink += orbit_column_double(sel, 1);
    orbit_reset(sel);
  }
  r->index_lookup_s = now_s() - t0;
  orbit_finalize(sel);
  if (sink < 0) puts("");
  orbit_close(db);
}

static void sq_check(sqlite3 *db, int rc, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static void run_sqlite(const char *path, long n, results *r) {
  sqlite3 *db;
  sq_check(NULL, sqlite3_open(path, &db), "open");
  sq_check(db, sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL), "pragma");
  sq_check(db, sqlite3_exec(db, "CREATE TABLE events (id INTEGER PRIMARY KEY, ts INTEGER, kind TEXT, amount REAL)",
                            NULL, NULL, NULL), "create");
  sqlite3_stmt *ins, *begin, *commit;
  sq_check(db, sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?,?,?,?)", -1, &ins, NULL), "prepare");
  sq_check(db, sqlite3_prepare_v2(db, "BEGIN", -1, &begin, NULL), "prepare");
  sq_check(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare");
  double t0 = now_s();
  for (long base = 0; base < n; base += BATCH) {
    sq_check(db, sqlite3_step(begin), "begin");
    sqlite3_reset(begin);
    for (int i = 0; i < BATCH; i++) {
      long id = base + i;
      sqlite3_bind_int64(ins, 1, id);
      sqlite3_bind_int64(ins, 2, ts0 + id * 1000000LL);
      sqlite3_bind_text(ins, 3, kinds[id & 3], -1, SQLITE_STATIC);
      sqlite3_bind_double(ins, 4, (double)(id % 1000) + 0.25);
      sq_check(db, sqlite3_step(ins), "insert");
      sqlite3_reset(ins);
    }
    sq_check(db, sqlite3_step(commit), "commit");
    sqlite3_reset(commit);
  }
  r->insert_s = now_s() - t0;
  sqlite3_finalize(ins);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);

  sqlite3_stmt *sel;
  sq_check(db, sqlite3_prepare_v2(db, "SELECT kind, amount FROM events WHERE id = ?", -1, &sel, NULL), "prepare");
  rng_state = 0x9E3779B97F4A7C15ULL;
  double sink = 0;
  t0 = now_s();
  for (long i = 0; i < n; i++) {
    sqlite3_bind_int64(sel, 1, (int64_t)(rnd() % (uint64_t)n));
    if (sqlite3_step(sel) != SQLITE_ROW) sq_check(db, SQLITE_ERROR, "lookup");
    sink += sqlite3_column_double(sel, 1);
    sqlite3_reset(sel);
  }
  r->lookup_s = now_s() - t0;
  sqlite3_finalize(sel);
  if (sink < 0) puts("");

  sqlite3_stmt *scan;
  sq_check(db, sqlite3_prepare_v2(db, "SELECT count(*), sum(amount) FROM events WHERE amount > 250", -1, &scan, NULL),
           "prepare");
  t0 = now_s();
  if (sqlite3_step(scan) != SQLITE_ROW) sq_check(db, SQLITE_ERROR, "scan");
  r->scan_s = now_s() - t0;
  r->scan_count = sqlite3_column_int64(scan, 0);
  r->scan_sum = sqlite3_column_double(scan, 1);
  sqlite3_finalize(scan);

  t0 = now_s();
  sq_check(db, sqlite3_exec(db, "CREATE INDEX events_ts_idx ON events (ts)", NULL, NULL, NULL), "create index");
  r->index_build_s = now_s() - t0;
  sq_check(db, sqlite3_prepare_v2(db, "SELECT kind, amount FROM events WHERE ts = ?", -1, &sel, NULL), "prepare");
  rng_state = 0x9E3779B97F4A7C15ULL;
  t0 = now_s();
  for (long i = 0; i < n; i++) {
    sqlite3_bind_int64(sel, 1, ts0 + (int64_t)(rnd() % (uint64_t)n) * 1000000LL);
    if (sqlite3_step(sel) != SQLITE_ROW) sq_check(db, SQLITE_ERROR, "index lookup");
    sink += sqlite3_column_double(sel, 1);
    sqlite3_reset(sel);
  }
  r->index_lookup_s = now_s() - t0;
  sqlite3_finalize(sel);
  if (sink < 0) puts("");
  sqlite3_close(db);
}

static void row(const char *what, double n, double orbit_s, double sqlite_s) {
  printf("%-34s %14.0f %14.0f %8.2fx\n", what, n / orbit_s, n / sqlite_s, sqlite_s / orbit_s);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  const char *work = argc > 2 ? argv[2] : "/tmp";
  n = (n / BATCH) * BATCH;
  if (n <= 0) n = BATCH;
  char dir[4096], odir[4200], odir2[4200], spath[4200];
  snprintf(dir, sizeof dir, "%s/orbit-bench-XXXXXX", work);
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  snprintf(odir, sizeof odir, "%s/orbit-async", dir);
  snprintf(odir2, sizeof odir2, "%s/orbit-sync", dir);
  snprintf(spath, sizeof spath, "%s/sqlite.db", dir);

  results o_async, o_sync, s;
  run_sqlite(spath, n, &s);
  run_orbit(odir, n, 0, &o_async);
  run_orbit(odir2, n, 1, &o_sync);

  printf("bench_hot: %ld rows of (BIGINT pk, TIMESTAMP, TEXT, DOUBLE), %d rows per commit, 1 thread\n", n, BATCH);
  printf("SQLite %s (WAL, synchronous=NORMAL) vs Orbit %s (synchronous_commit off unless noted)\n\n",
         sqlite3_libversion(), orbit_version());
  printf("%-34s %14s %14s %9s\n", "operation", "Orbit/s", "SQLite/s", "ratio");
  row("insert rows", (double)n, o_async.insert_s, s.insert_s);
  row("insert rows (Orbit fsync/commit)", (double)n, o_sync.insert_s, s.insert_s);
  row("primary-key point lookups", (double)n, o_async.lookup_s, s.lookup_s);
  row("scan count+sum WHERE (rows/s)", (double)n, o_async.scan_s, s.scan_s);
  row("CREATE INDEX on ts (rows/s)", (double)n, o_async.index_build_s, s.index_build_s);
  row("secondary-index lookups (ts = $1)", (double)n, o_async.index_lookup_s, s.index_lookup_s);
  printf("\nscan results agree: %s (orbit %lld / %.2f, sqlite %lld / %.2f)\n",
         o_async.scan_count == s.scan_count && o_async.scan_sum == s.scan_sum ? "yes" : "NO",
         (long long)o_async.scan_count, o_async.scan_sum, (long long)s.scan_count, s.scan_sum);
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}
