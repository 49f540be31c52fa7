/*
** bench/bench_cold_count.c — Orbit's side of bench/bench_cold_count.sh:
** SELECT count(*) through the engine (the C API, include/orbit.h) on two
** Iceberg tables attached with CREATE EXTERNAL TABLE.
**
**   bench_cold_count DIR [FILES=100] [ROWS=1000000] [REPS=5]
**
** Builds, unless DIR already holds them, DIR/small (one append of ROWS
** rows: one data file, one manifest) and DIR/big (FILES appends of ROWS
** rows: FILES data files, FILES manifests in the manifest list, FILES
** metadata versions, as FILES separate writers committing would leave it)
** of a narrow table (id BIGINT = i, v INTEGER = i % 1000, ZSTD), and the
** database DIR/db with both attached.  Then, REPS times, opens the
** database and times the first count of each table (the metadata files
** read and parsed: version hint, metadata JSON, manifest list, and the
** manifests when they are needed) and REPS counts after it (the parsed
** metadata cached), in wall time (a count is milliseconds: CPU time's
** resolution and the neighbours' noise would hide it).  Prints, best of
** the REPS:
**
**   built small|big SECONDS ROWS FILES      (only when it built them)
**   count small|big FIRST_MS REPEATED_MS COUNT
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/mem.h"
#include "orbit.h"
#include "storage/cold/ice_write.h"
#include "types/schema.h"

#define BATCH 8192

static double wall_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void die(const char *what, const char *msg) {
  fprintf(stderr, "bench_cold_count: %s: %s\n", what, msg);
  exit(1);
}

static bool exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* A table of `files` appends of `rows` rows each, ids continuing. */
static void build(const char *table, int files, int64_t rows) {
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "id", orb_type_make(ORB_T_INT64), true, NULL);
  orb_schema_add_column(&s, "v", orb_type_make(ORB_T_INT32), false, NULL);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  if (ice_table_create(&a, table, NULL, &s, NULL, NULL, 0, NULL, &e) != ORB_OK) die("create", e.msg);
  orb_arena_free(&a);
  orb_value *c[2];
  for (int k = 0; k < 2; k++) c[k] = orb_malloc(sizeof(orb_value) * BATCH);
  double t0 = wall_ms();
  for (int f = 0; f < files; f++) {
    ice_append *app;
    if (ice_append_begin(table, NULL, &app, &e) != ORB_OK) die("begin", e.msg);
    for (int64_t i = 0; i < rows; i += BATCH) {
      int n = (int)(rows - i < BATCH ? rows - i : BATCH);
      for (int k = 0; k < n; k++) {
        int64_t id = (int64_t)f * rows + i + k;
        c[0][k] = orb_int(ORB_T_INT64, id);
        c[1][k] = orb_int(ORB_T_INT32, id % 1000);
      }
      if (ice_append_columns(app, (const orb_value *const *)c, n, &e) != ORB_OK) die("append", e.msg);
    }
    int64_t snap;
    if (ice_append_commit(app, &snap, NULL, &e) != ORB_OK) die("commit", e.msg);
  }
  printf("built %s %.1f %lld %d\n", strrchr(table, '/') + 1, (wall_ms() - t0) / 1e3, (long long)(rows * files), files);
  for (int k = 0; k < 2; k++) orb_free(c[k]);
  orb_schema_free(&s);
}

static void exec(orbit_db *db, const char *sql) {
  if (orbit_exec(db, sql) != ORBIT_OK) die(sql, orbit_errmsg(db));
}

/* One count(*) of table `name`: its time in ms, the count in *n. */
static double count_ms(orbit_db *db, const char *name, int64_t *n) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", name);
  double t0 = wall_ms();
  orbit_stmt *st;
  if (orbit_prepare(db, sql, &st, NULL) != ORBIT_OK) die(sql, orbit_errmsg(db));
  if (orbit_step(st) != ORBIT_ROW) die(sql, orbit_errmsg(db));
  *n = orbit_column_int64(st, 0);
  orbit_finalize(st);
  return wall_ms() - t0;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 5) {
    fprintf(stderr, "usage: bench_cold_count DIR [FILES=100] [ROWS=1000000] [REPS=5]\n");
    return 2;
  }
  const char *dir = argv[1];
  int files = argc > 2 ? atoi(argv[2]) : 100;
  int64_t rows = argc > 3 ? atoll(argv[3]) : 1000000;
  int reps = argc > 4 ? atoi(argv[4]) : 5;
  if (files < 1 || rows < 1 || reps < 1) die("arguments", "FILES, ROWS and REPS must be positive");
  char small[4096], big[4096], dbdir[4096];
  snprintf(small, sizeof small, "%s/small", dir);
  snprintf(big, sizeof big, "%s/big", dir);
  snprintf(dbdir, sizeof dbdir, "%s/db", dir);
  if (!exists(small)) build(small, 1, rows);
  if (!exists(big)) build(big, files, rows);
  orbit_db *db;
  if (!exists(dbdir)) {
    if (orbit_open(dbdir, NULL, &db) != ORBIT_OK) die("open", db ? orbit_errmsg(db) : "out of memory");
    char sql[8400];
    snprintf(sql, sizeof sql, "CREATE EXTERNAL TABLE small LOCATION '%s'", small);
    exec(db, sql);
    snprintf(sql, sizeof sql, "CREATE EXTERNAL TABLE big LOCATION '%s'", big);
    exec(db, sql);
    orbit_close(db);
  }
  const char *names[2] = {"small", "big"};
  double first[2] = {1e18, 1e18}, repeated[2] = {1e18, 1e18};
  int64_t n[2] = {0, 0};
  for (int rep = 0; rep < reps; rep++) {
    /* a fresh open: nothing of either table is parsed yet */
    if (orbit_open(dbdir, NULL, &db) != ORBIT_OK) die("open", db ? orbit_errmsg(db) : "out of memory");
    for (int t = 0; t < 2; t++) {
      double ms = count_ms(db, names[t], &n[t]);
      if (ms < first[t]) first[t] = ms;
      for (int k = 0; k < reps; k++) {
        int64_t m;
        ms = count_ms(db, names[t], &m);
        if (m != n[t]) die("count", "a repeated count differs from the first");
        if (ms < repeated[t]) repeated[t] = ms;
      }
    }
    orbit_close(db);
  }
  for (int t = 0; t < 2; t++) printf("count %s %.3f %.3f %lld\n", names[t], first[t], repeated[t], (long long)n[t]);
  return 0;
}
