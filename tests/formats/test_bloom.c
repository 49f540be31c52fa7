/* tests/formats/test_bloom.c — the split-block bloom filter: everything
** inserted is found, the false-positive rate of a filter sized for a rate
** stays near it, sizes follow the specification's formula, and the hash is
** XXH64 of the PLAIN bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/parquet/parquet.h"

static void test_inserted_found_and_fpp(void **state) {
  (void)state;
  const uint64_t n = 20000;
  size_t nbytes = pq_bloom_bytes_for(n, 0.01);
  assert_int_equal(nbytes & (nbytes - 1), 0);
  uint8_t *bits = calloc(1, nbytes);
  for (int64_t v = 0; v < (int64_t)n; v++) pq_bloom_insert(bits, nbytes, pq_bloom_hash_i64(v * 7));
  for (int64_t v = 0; v < (int64_t)n; v++) assert_true(pq_bloom_check(bits, nbytes, pq_bloom_hash_i64(v * 7)));
  /* Values never inserted: multiples of 7 plus 1..6, 100,000 of them.  A
  ** power-of-two size is at least the formula's, so the rate is at most
  ** about 1%; 2% leaves room for the hash's variance. */
  int fp = 0, probes = 0;
  for (int64_t v = 0; v < 100000; v++) {
    if (v % 7 == 0) continue;
    probes++;
    fp += pq_bloom_check(bits, nbytes, pq_bloom_hash_i64(v));
  }
  assert_true(fp * 50 < probes);
  assert_true(fp > 0);           /* a filter answering "absent" for everything else would be suspicious */
  free(bits);
}

static void test_sizes(void **state) {
  (void)state;
  assert_int_equal(pq_bloom_bytes_for(0, 0.01), PQ_BLOOM_BLOCK);
  /* 1M values at 1%: -8e6 / ln(1 - 0.01^(1/8)) = 9.59e6 bits = 1.2 MB -> 2 MiB */
  assert_int_equal(pq_bloom_bytes_for(1000000, 0.01), (size_t)2 << 20);
  assert_int_equal(pq_bloom_bytes_for(UINT64_C(1) << 40, 0.01), PQ_BLOOM_MAX_BYTES);
}

static void test_hash_is_xxh64_of_plain(void **state) {
  (void)state;
  /* XXH64 of the empty input with seed 0 is the published ef46db3751d8e999. */
  assert_true(pq_bloom_hash("", 0) == UINT64_C(0xef46db3751d8e999));
  uint8_t le[4] = {0x2a, 0, 0, 0};
  assert_true(pq_bloom_hash_i32(42) == pq_bloom_hash(le, 4));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_inserted_found_and_fpp),
    cmocka_unit_test(test_sizes),
    cmocka_unit_test(test_hash_is_xxh64_of_plain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
