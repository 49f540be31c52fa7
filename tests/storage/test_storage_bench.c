/* tests/storage/test_storage_bench.c — storage speed sanity (figures, not timed asserts).
**
** Inserts N rows of (bigint pk, timestamp, text, double) in write sets of
** 1,000, then does N primary-key lookups, and prints the times.  N is
** 100,000 under ctest; set ORBIT_BENCH_ROWS=1000000 for the full figure.
** Asserts only correctness (every row found, count right, survives reopen). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "storage_util.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(bool sync) {
  const char *env = getenv("ORBIT_BENCH_ROWS");
  int64_t n = env ? atoll(env) : 100000;
  if (n < 1000) n = 1000;
  char *path = fresh_db_path("bench");
  orb_db *db = open_db(path, sync);
  orb_table *t = create_events(db, "events");
  orb_err e;
  double t0 = now_s();
  for (int64_t i = 0; i < n; i += 1000)
    assert_int_equal(insert_range(db, t, i, i + 1000 < n ? i + 1000 : n, &e), ORB_OK);
  double t1 = now_s();
  int64_t found = 0;
  for (int64_t i = 0; i < n; i++) {
    orb_value k = orb_int(ORB_T_INT64, (i * 7919) % n);
    bool f;
    uint64_t loc;
    const orb_value *row;
    orb_table_pk_lookup(t, NULL, &k, &f, &loc, &row, &e);
    found += f;
  }
  double t2 = now_s();
  assert_int_equal(found, n);
  orb_tier_stats st;
  orb_table_stats(t, &st);
  orb_free(st.cols);
  orb_db_close(db);
  double t3 = now_s();
  db = open_db(path, sync);
  double t4 = now_s();
  int64_t cnt;
  assert_int_equal(orb_table_count(orb_db_table(db, "events"), NULL, NULL, NULL, &cnt, &e), ORB_OK);
  assert_int_equal(cnt, n);
  orb_db_close(db);
  fprintf(stderr,
          "storage bench (%s commit): %lld rows inserted in write sets of 1000: %.3f s (%.0f rows/s); "
          "%lld pk lookups: %.3f s (%.0f/s); %.1f MiB of rows; reopen (replay): %.3f s\n",
          sync ? "sync" : "async", (long long)n, t1 - t0, (double)n / (t1 - t0), (long long)n, t2 - t1,
          (double)n / (t2 - t1), (double)st.bytes / (1 << 20), t4 - t3);
  drop_db_path(path);
}

static void test_bench_sync(void **state) {
  (void)state;
  run(true);
}

static void test_bench_async(void **state) {
  (void)state;
  run(false);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bench_sync),
      cmocka_unit_test(test_bench_async),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
