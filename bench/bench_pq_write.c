/* bench/bench_pq_write.c — Parquet write throughput: N rows of (BIGINT id,
** DOUBLE, INTEGER, TIMESTAMP, short TEXT) through pq_writer, ZSTD and
** uncompressed, single thread; the same rows as
** tests/interop/bench_parquet_write.mjs has DuckDB write, so the two
** programs' MB/s compare.  MB/s counts the raw input: 8 + 8 + 4 + 8 bytes
** and the text's bytes per row.  The time to make the rows is measured
** apart and left out.  Times are CPU seconds (DuckDB's side measures the
** same way).
** usage: bench_pq_write [ROWS] [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "formats/parquet/parquet.h"

#define BATCH 8192

/* CPU time of the process: on a machine shared with other work, wall time
** says more about the neighbours than about the writer. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Row i of the table, as the DuckDB script makes it. */
static size_t make(int64_t i0, int n, orb_value **c, char *text) {
  size_t bytes = 0;
  for (int k = 0; k < n; k++) {
    int64_t i = i0 + k;
    c[0][k] = orb_int(ORB_T_INT64, i);
    c[1][k] = orb_float(ORB_T_FLOAT64, (double)((i * 2654435761LL) % 1000000) / 7.0);
    c[2][k] = orb_int(ORB_T_INT32, (i * 31) % 1000000 - 500000);
    c[3][k] = orb_int(ORB_T_TIMESTAMP, 1704067200000000LL + i * 1000000);
    char *t = text + (size_t)k * 16;
    int len = snprintf(t, 16, "user_%lld", (long long)((i * 7919) % 100000));
    c[4][k] = orb_text(t, (size_t)len);
    bytes += 28 + (size_t)len;
  }
  return bytes;
}

int main(int argc, char **argv) {
  int64_t rows = argc > 1 ? atoll(argv[1]) : 10000000;
  const char *dir = argc > 2 ? argv[2] : "/tmp";
  pq_write_column cols[] = {{"id", orb_type_make(ORB_T_INT64), true, 1, false},
                            {"d", orb_type_make(ORB_T_FLOAT64), true, 2, false},
                            {"i", orb_type_make(ORB_T_INT32), true, 3, false},
                            {"ts", orb_type_make(ORB_T_TIMESTAMP), true, 4, false},
                            {"s", orb_type_make(ORB_T_TEXT), true, 5, false}};
  orb_value *c[5];
  for (int k = 0; k < 5; k++) c[k] = orb_malloc(sizeof(orb_value) * BATCH);
  char *text = orb_malloc(16 * BATCH);
  /* the cost of making the rows, to leave out */
  double t0 = now();
  size_t raw = 0;
  for (int64_t i = 0; i < rows; i += BATCH) raw += make(i, (int)(rows - i < BATCH ? rows - i : BATCH), c, text);
  double gen = now() - t0;
  static const struct { const char *name; int codec; } codecs[] = {{"zstd", PQ_ZSTD}, {"uncompressed", PQ_UNCOMPRESSED}};
  for (int m = 0; m < 2; m++) {
    char path[512];
    snprintf(path, sizeof path, "%s/bench_pq_write_%s.parquet", dir, codecs[m].name);
    pq_write_opts o;
    pq_write_opts_init(&o);
    o.codec = codecs[m].codec;
    pq_writer *w;
    orb_err e;
    t0 = now();
    if (pq_writer_open(path, cols, 5, &o, &w, &e) != ORB_OK) {
      fprintf(stderr, "%s\n", e.msg);
      return 1;
    }
    for (int64_t i = 0; i < rows; i += BATCH) {
      int n = (int)(rows - i < BATCH ? rows - i : BATCH);
      make(i, n, c, text);
      if (pq_writer_write(w, (const orb_value *const *)c, n, &e) != ORB_OK) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
      }
    }
    if (pq_writer_close(w, &e) != ORB_OK) {
      fprintf(stderr, "%s\n", e.msg);
      return 1;
    }
    double secs = now() - t0 - gen;
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    printf("orbit write %-12s %lld rows, %.1f MB raw in %.3f s: %.1f MB/s (file %.1f MB)\n", codecs[m].name,
           (long long)rows, (double)raw / 1e6, secs, (double)raw / 1e6 / secs, (double)size / 1e6);
  }
  for (int k = 0; k < 5; k++) orb_free(c[k]);
  orb_free(text);
  return 0;
}
