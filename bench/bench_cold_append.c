/*
** bench/bench_cold_append.c — Orbit's side of bench/bench_cold_append.sh:
** appending in-memory batches to a cold (Iceberg) table, ZSTD, one thread.
**
**   bench_cold_append ROWS DIR
**
** The table is bench/bench_parquet.c's (the formula DuckDB's side uses:
** id = i, d = (i % 1000) * 0.5, n = i % 100000, ts = 2020-01-01 + i
** seconds, s = 'k' || (i % 1000)), created as a fresh Iceberg table in DIR
** for each of 3 runs; each run is ice_append_begin, ice_append_columns of
** 8192-row batches, ice_append_commit (data files, manifest, manifest list,
** metadata commit with its fsyncs).  Making the rows is timed apart and
** left out.  Prints "append_zstd SECONDS RAW_BYTES FILE_BYTES FILES" for
** the best run in CPU seconds of the process (the machine is shared: wall
** time would measure the neighbours).  Raw bytes: 8 + 8 + 4 + 8 and the
** text's bytes per row, as DuckDB's side counts them.  With BENCH_VERBOSE
** set, each run's seconds go to stderr too.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "storage/cold/ice_write.h"
#include "types/schema.h"
#include "bench_rows.h"

#define BATCH 8192

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg) {
  fprintf(stderr, "bench_cold_append: %s: %s\n", what, msg);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench_cold_append ROWS DIR\n");
    return 2;
  }
  int64_t rows = atoll(argv[1]);
  const char *dir = argv[2];
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "id", orb_type_make(ORB_T_INT64), false, NULL);
  orb_schema_add_column(&s, "d", orb_type_make(ORB_T_FLOAT64), false, NULL);
  orb_schema_add_column(&s, "n", orb_type_make(ORB_T_INT32), false, NULL);
  orb_schema_add_column(&s, "ts", orb_type_make(ORB_T_TIMESTAMP), false, NULL);
  orb_schema_add_column(&s, "s", orb_type_make(ORB_T_TEXT), false, NULL);
  orb_value *c[5];
  for (int k = 0; k < 5; k++) c[k] = orb_malloc(sizeof(orb_value) * BATCH);
  char *text = orb_malloc(8 * BATCH);
  double t0 = now_s();
  size_t raw = 0;
  for (int64_t i = 0; i < rows; i += BATCH) raw += bench_make_rows(i, (int)(rows - i < BATCH ? rows - i : BATCH), c, text);
  double gen = now_s() - t0;
  double best = 1e9;
  ice_append_stats st = {0};
  for (int rep = 0; rep < 3; rep++) {
    char table[4096];
    snprintf(table, sizeof table, "%s/cold_%d", dir, rep);
    orb_arena a;
    orb_arena_init(&a, 0);
    orb_err e;
    if (ice_table_create(&a, table, NULL, &s, NULL, NULL, 0, NULL, &e) != ORB_OK) die("create", e.msg);
    orb_arena_free(&a);
    t0 = now_s();
    ice_append *app;
    ice_write_opts wo;
    ice_write_opts_init(&wo);
    if (getenv("RG")) wo.row_group_bytes = atoll(getenv("RG"));
    if (ice_append_begin(table, &wo, &app, &e) != ORB_OK) die("begin", e.msg);
    for (int64_t i = 0; i < rows; i += BATCH) {
      int n = (int)(rows - i < BATCH ? rows - i : BATCH);
      bench_make_rows(i, n, c, text);
      if (ice_append_columns(app, (const orb_value *const *)c, n, &e) != ORB_OK) die("append", e.msg);
    }
    int64_t snap;
    if (ice_append_commit(app, &snap, &st, &e) != ORB_OK) die("commit", e.msg);
    double secs = now_s() - t0 - gen;
    if (getenv("BENCH_VERBOSE")) fprintf(stderr, "run %d: %.3f s\n", rep + 1, secs);
    if (secs < best) best = secs;
  }
  printf("append_zstd %.6f %zu %lld %lld\n", best, raw, (long long)st.bytes, (long long)st.files);
  for (int k = 0; k < 5; k++) orb_free(c[k]);
  orb_free(text);
  orb_schema_free(&s);
  return 0;
}
