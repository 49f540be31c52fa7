/*
** bench/bench_rows.h — the rows the Parquet and Iceberg write benchmarks
** write: BIGINT id, DOUBLE d, INTEGER n, TIMESTAMP ts, short TEXT s.  One
** definition, because tests/interop/duckdb_parquet_bench.mjs makes the same
** rows for DuckDB and both benchmarks compare against it.
*/
#ifndef ORB_BENCH_ROWS_H
#define ORB_BENCH_ROWS_H

#include <stdio.h>

#include "types/types.h"

/* Rows i0 .. i0+n-1 into columns c[0..4]; text holds n 8-byte strings.
** Returns their raw bytes (the throughput's denominator). */
static inline size_t bench_make_rows(int64_t i0, int n, orb_value **c, char *text) {
  size_t bytes = 0;
  for (int k = 0; k < n; k++) {
    int64_t i = i0 + k;
    c[0][k] = orb_int(ORB_T_INT64, i);
    c[1][k] = orb_float(ORB_T_FLOAT64, (double)(i % 1000) * 0.5);
    c[2][k] = orb_int(ORB_T_INT32, i % 100000);
    c[3][k] = orb_int(ORB_T_TIMESTAMP, (1577836800LL + i) * 1000000);
    char *t = text + (size_t)k * 8;
    int len = snprintf(t, 8, "k%d", (int)(i % 1000));
    c[4][k] = orb_text(t, (size_t)len);
    bytes += 28 + (size_t)len;
  }
  return bytes;
}

#endif
