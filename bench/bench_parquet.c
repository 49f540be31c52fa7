/*
** bench/bench_parquet.c — Orbit's side of bench/bench_parquet.sh (DuckDB's
** side: tests/interop/duckdb_parquet_bench.mjs).  One thread, files in the
** page cache, every timing the best of 3 in CPU seconds of the process (the
** machine is shared: wall time would measure the neighbours).
**
**   write ROWS DIR   the benchmark's table (the formula of the DuckDB
**                    script: id = i, d = (i % 1000) * 0.5, n = i % 100000,
**                    ts = 2020-01-01 + i seconds, s = 'k' || (i % 1000))
**                    written through pq_writer with ZSTD and uncompressed to
**                    DIR/orbit_{zstd,uncompressed}.parquet; prints
**                    "write_CODEC SECONDS RAW_BYTES FILE_BYTES" (raw bytes:
**                    8 + 8 + 4 + 8 and the text's bytes per row; making the
**                    rows is timed apart and left out).
**   write ROWS DIR CODEC REPS
**                    only CODEC (zstd or uncompressed), REPS times.
**   read FILE LO HI  reads of FILE, computing the DuckDB script's aggregates
**                    so that the answers can be compared:
**     read_all      sum(id), sum(d), sum(n), max(ts), sum(length(s))
**                   through the library (formats/parquet: every column chunk
**                   decoded, then the values summed in C);
**     read_numeric  sum(id), sum(d), sum(n), the same way;
**     sql_all       read_all's query in OrbitQL over read_parquet() (rows as
**                   SQL values through the executor);
**     sql_numeric   read_numeric's query in OrbitQL;
**     selective     count(*), sum(d) WHERE id BETWEEN lo AND hi, in OrbitQL.
**   read FILE LO HI ONLY REPS
**                    only the reading ONLY (read_all, read_numeric, sql_all,
**                    sql_numeric or selective), REPS times: for perf record.
**   iceberg FILE DIR an Iceberg table of FILE's rows (a database in DIR,
**                    CREATE TABLE t ... USING iceberg, COPY t FROM FILE:
**                    Orbit's Parquet writer, ZSTD), then read_all's and
**                    read_numeric's queries in OrbitQL over it:
**     ice_table_all, ice_table_numeric    over the table t;
**     ice_scan_all, ice_scan_numeric      over iceberg_scan(its folder);
**     ice_parquet_all, ice_parquet_numeric over read_parquet of its data
**                   files (a glob), what the Iceberg reads are measured by;
**                    and "ice_data GLOB" for DuckDB to read the same files.
**   iceberg FILE DIR ONLY REPS   only ONLY, REPS times (DIR made already).
** Columns are found by name (id, d, n, ts, s).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "formats/parquet/parquet.h"
#include "orbit.h"
#include "bench_rows.h"

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg) {
  fprintf(stderr, "bench_parquet: %s: %s\n", what, msg);
  exit(1);
}

typedef struct sums {
  int64_t id, n, ts_max, slen;
  double d;
} sums;

static int column_named(const pq_file_meta *m, const char *name) {
  for (int i = 1; i < m->nschema; i++)
    if (strcmp(m->schema[i].name, name) == 0) return i - 1;
  die("column not found", name);
  return -1;
}

/* Fold column k (0 id, 1 d, 2 n, 3 ts, 4 s) of one row group into s: a
** loop per column, with the sums in locals, as an engine's vectorised
** aggregate would run (NULL slots are zeroed by the reader, so sums need
** no test); text length in characters (bytes that do not continue a UTF-8
** sequence), as length() counts. */
static void fold(int k, const pq_column *c, sums *s) {
  const uint8_t *nul = c->nulls;
  if (k == 0 || k == 2) {   /* NULL slots hold 0 */
    int64_t sum = 0;
    if (k == 0)
      for (int64_t r = 0; r < c->n; r++) sum += ((const int64_t *)c->values)[r];
    else
      for (int64_t r = 0; r < c->n; r++) sum += ((const int32_t *)c->values)[r];
    *(k == 0 ? &s->id : &s->n) += sum;
  } else if (k == 3) {
    int64_t max = s->ts_max;
    for (int64_t r = 0; r < c->n; r++) {
      int64_t v = nul[r] ? INT64_MIN : ((const int64_t *)c->values)[r];
      max = v > max ? v : max;
    }
    s->ts_max = max;
  } else if (k == 1) {
    double sum = s->d;
    for (int64_t r = 0; r < c->n; r++) sum += ((const double *)c->values)[r];
    s->d = sum;
  } else {
    int64_t chars = 0;
    const pq_bytes *b = c->values;
    for (int64_t r = 0; r < c->n; r++)
      for (size_t i = 0; i < b[r].len; i++) chars += (b[r].data[i] & 0xc0) != 0x80;   /* NULLs have len 0 */
    s->slen += chars;
  }
}

/* Decode every row group's chunks of the wanted columns and sum them, as
** a scan would (read_parquet's: pq_read_leaf_column_into). */
static void library_read(const char *path, bool all, sums *s) {
  memset(s, 0, sizeof *s);
  s->ts_max = INT64_MIN;
  orb_err e;
  pq_file_meta *m;
  if (pq_read_footer(path, &m, &e) != ORB_OK) die("footer", e.msg);
  int cid = column_named(m, "id"), cd = column_named(m, "d"), cn = column_named(m, "n");
  int cts = all ? column_named(m, "ts") : -1, cs = all ? column_named(m, "s") : -1;
  pq_column c;   /* every chunk read into the same column: its memory is reused, and warm in the cache */
  memset(&c, 0, sizeof c);
  const int want[5] = {cid, cd, cn, cts, cs};
  for (int g = 0; g < m->nrow_groups; g++)
    for (int k = 0; k < (all ? 5 : 3); k++) {
      if (pq_read_leaf_column_into(path, m, g, want[k], 0, &c, &e) != ORB_OK) die("read", e.msg);
      fold(k, &c, s);
    }
  pq_column_free(&c);
  pq_meta_free(m);
}

/* One OrbitQL query's first row as text, timed. */
static double sql_query(orbit_db *db, const char *sql, char *row, size_t cap) {
  orbit_stmt *st;
  double t0 = now_s();
  if (orbit_prepare(db, sql, &st, NULL) != ORBIT_OK) die("prepare", orbit_errmsg(db));
  int rc = orbit_step(st);
  if (rc != ORBIT_ROW) die("query", orbit_errmsg(db));
  size_t len = 0;
  row[0] = '\0';
  for (int i = 0; i < orbit_column_count(st); i++) {
    const char *v = orbit_column_text(st, i);
    len += (size_t)snprintf(row + len, cap - len, "%s%s", i ? " " : "", v ? v : "NULL");
    if (len >= cap) len = cap - 1;
  }
  while (rc == ORBIT_ROW) rc = orbit_step(st);
  orbit_finalize(st);
  return now_s() - t0;
}


#define BATCH 8192

static void bench_write(int64_t rows, const char *dir, const char *only, int reps) {
  static const pq_write_column cols[] = {{"id", {.id = ORB_T_INT64}, true, 1, false, 0},
                                         {"d", {.id = ORB_T_FLOAT64}, true, 2, false, 0},
                                         {"n", {.id = ORB_T_INT32}, true, 3, false, 0},
                                         {"ts", {.id = ORB_T_TIMESTAMP}, true, 4, false, 0},
                                         {"s", {.id = ORB_T_TEXT}, true, 5, false, 0}};
  orb_value *c[5];
  for (int k = 0; k < 5; k++) c[k] = orb_malloc(sizeof(orb_value) * BATCH);
  char *text = orb_malloc(8 * BATCH);
  size_t raw = 0;
  for (int64_t i = 0; i < rows; i += BATCH) raw += bench_make_rows(i, (int)(rows - i < BATCH ? rows - i : BATCH), c, text);
  static const struct { const char *name; int codec; } codecs[] = {{"zstd", PQ_ZSTD}, {"uncompressed", PQ_UNCOMPRESSED}};
  for (int m = 0; m < 2; m++) {
    if (only && strcmp(only, codecs[m].name) != 0) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/orbit_%s.parquet", dir, codecs[m].name);
    double best = 1e9;
    long size = 0;
    for (int rep = 0; rep < reps; rep++) {
      pq_write_opts o;
      pq_write_opts_init(&o);
      o.codec = codecs[m].codec;
      pq_writer *w;
      orb_err e;
      double t0 = now_s(), gen = 0;   /* making each batch is timed and left out */
      if (pq_writer_open(path, cols, 5, &o, &w, &e) != ORB_OK) die("write", e.msg);
      for (int64_t i = 0; i < rows; i += BATCH) {
        int n = (int)(rows - i < BATCH ? rows - i : BATCH);
        double g0 = now_s();
        bench_make_rows(i, n, c, text);
        gen += now_s() - g0;
        if (pq_writer_write(w, (const orb_value *const *)c, n, &e) != ORB_OK) die("write", e.msg);
      }
      if (pq_writer_close(w, &e) != ORB_OK) die("write", e.msg);
      double secs = now_s() - t0 - gen;
      if (secs < best) best = secs;
      FILE *f = fopen(path, "rb");
      if (!f) die("reopen", path);
      fseek(f, 0, SEEK_END);
      size = ftell(f);
      fclose(f);
    }
    printf("write_%s %.6f %zu %ld\n", codecs[m].name, best, raw, size);
  }
  for (int k = 0; k < 5; k++) orb_free(c[k]);
  orb_free(text);
}

/* query's best time of reps (when only is NULL or names it), printed as
** "label SECONDS ANSWER". */
static void timed_query(orbit_db *db, const char *label, const char *only, int reps, const char *sql) {
  if (only && strcmp(only, label) != 0) return;
  char row[1024];
  double best = 1e9;
  for (int rep = 0; rep < reps; rep++) {
    double t = sql_query(db, sql, row, sizeof row);
    if (t < best) best = t;
  }
  printf("%s %.6f %s\n", label, best, row);
}

/* The iceberg mode (see the top): the table made once, then the reads. */
static void bench_iceberg(const char *file, const char *dir, const char *only, int reps) {
  orbit_db *db;
  char sql[8192], table[4096], glob[4200];
  if (orbit_open(dir, NULL, &db) != ORBIT_OK) die("open", orbit_errmsg(db));
  snprintf(table, sizeof table, "%s/warehouse/public/t", dir);
  snprintf(glob, sizeof glob, "%s/data/*.parquet", table);
  if (!only) {
    if (orbit_exec(db, "CREATE TABLE t (id BIGINT, d DOUBLE PRECISION, n INTEGER, ts TIMESTAMP, s TEXT) USING iceberg") != ORBIT_OK)
      die("create", orbit_errmsg(db));
    snprintf(sql, sizeof sql, "COPY t FROM '%s' (FORMAT parquet)", file);
    if (orbit_exec(db, sql) != ORBIT_OK) die("copy", orbit_errmsg(db));
    printf("ice_data %s\n", glob);
  }
  static const char *const all = "sum(id), sum(d), sum(n), max(ts), sum(length(s))", *const num = "sum(id), sum(d), sum(n)";
  snprintf(sql, sizeof sql, "SELECT %s FROM t", all);
  timed_query(db, "ice_table_all", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT %s FROM t", num);
  timed_query(db, "ice_table_numeric", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT %s FROM iceberg_scan('%s')", all, table);
  timed_query(db, "ice_scan_all", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT %s FROM iceberg_scan('%s')", num, table);
  timed_query(db, "ice_scan_numeric", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT %s FROM read_parquet('%s')", all, glob);
  timed_query(db, "ice_parquet_all", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT %s FROM read_parquet('%s')", num, glob);
  timed_query(db, "ice_parquet_numeric", only, reps, sql);
  orbit_close(db);
}

int main(int argc, char **argv) {
  if ((argc == 4 || argc == 6) && strcmp(argv[1], "iceberg") == 0) {
    bench_iceberg(argv[2], argv[3], argc == 6 ? argv[4] : NULL, argc == 6 ? atoi(argv[5]) : 3);
    return 0;
  }
  if ((argc == 4 || argc == 6) && strcmp(argv[1], "write") == 0) {
    bench_write(atoll(argv[2]), argv[3], argc == 6 ? argv[4] : NULL, argc == 6 ? atoi(argv[5]) : 3);
    return 0;
  }
  if ((argc != 5 && argc != 7) || strcmp(argv[1], "read") != 0) {
    fprintf(stderr, "usage: bench_parquet write ROWS DIR [CODEC REPS] | read FILE LO HI [ONLY REPS] | iceberg FILE DIR [ONLY REPS]\n");
    return 2;
  }
  const char *only = argc == 7 ? argv[5] : NULL;
  int reps = argc == 7 ? atoi(argv[6]) : 3;
#define WANT(what) (!only || strcmp(only, what) == 0)
  const char *path = argv[2];
  double best_all = 1e9, best_num = 1e9;
  sums s;
  if (WANT("read_all")) {
    for (int rep = 0; rep < reps; rep++) {
      double t0 = now_s();
      library_read(path, true, &s);
      double t1 = now_s();
      if (t1 - t0 < best_all) best_all = t1 - t0;
    }
    /* ts as DuckDB prints it: microseconds since 1970 */
    time_t secs = (time_t)(s.ts_max / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char ts[64];
    strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
    printf("read_all %.6f %lld %.15g %lld %s %lld\n", best_all, (long long)s.id, s.d, (long long)s.n, ts,
           (long long)s.slen);
  }
  if (WANT("read_numeric")) {
    for (int rep = 0; rep < reps; rep++) {
      double t0 = now_s();
      library_read(path, false, &s);
      double t1 = now_s();
      if (t1 - t0 < best_num) best_num = t1 - t0;
    }
    printf("read_numeric %.6f %lld %.15g %lld\n", best_num, (long long)s.id, s.d, (long long)s.n);
  }

  char dir[] = "/tmp/orbit-bench-parquet-XXXXXX", sql[8192];
  if (!mkdtemp(dir)) die("mkdtemp", dir);
  orbit_db *db;
  if (orbit_open(dir, NULL, &db) != ORBIT_OK) die("open", orbit_errmsg(db));
  snprintf(sql, sizeof sql, "SELECT sum(id), sum(d), sum(n), max(ts), sum(length(s)) FROM read_parquet('%s')", path);
  timed_query(db, "sql_all", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT sum(id), sum(d), sum(n) FROM read_parquet('%s')", path);
  timed_query(db, "sql_numeric", only, reps, sql);
  snprintf(sql, sizeof sql, "SELECT count(*), sum(d) FROM read_parquet('%s') WHERE id BETWEEN %s AND %s", path, argv[3],
           argv[4]);
  timed_query(db, "selective", only, reps, sql);
  orbit_close(db);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "bench_parquet: could not remove %s\n", dir);
  return 0;
}
