/* tests/base/test_base.c — unit tests for base/: buffers, varints, arena, hash map, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/hash.h"

static void test_varint_roundtrip(void **state) {
  (void)state;
  orb_buf b = ORB_BUF_INIT;
  int64_t vals[] = {0, 1, -1, 63, -64, 127, 128, INT64_MAX, INT64_MIN, 300, -300};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) orb_buf_put_svarint(&b, vals[i]);
  orb_buf_put_varint(&b, UINT64_MAX);
  orb_rd r;
  orb_rd_init(&r, b.data, b.len);
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) assert_int_equal(orb_rd_svarint(&r), vals[i]);
  assert_true(orb_rd_varint(&r) == UINT64_MAX);
  assert_false(r.err);
  assert_int_equal(orb_rd_left(&r), 0);
  orb_rd_u8(&r); /* reading past the end sets err instead of crashing */
  assert_true(r.err);
  orb_buf_free(&b);
}

static void test_truncated_bytes(void **state) {
  (void)state;
  orb_buf b = ORB_BUF_INIT;
  orb_buf_put_bytes(&b, "hello", 5);
  orb_rd r;
  orb_rd_init(&r, b.data, b.len - 1); /* cut the last byte */
  size_t n;
  assert_null(orb_rd_bytes(&r, &n));
  assert_true(r.err);
  orb_buf_free(&b);
}

static void test_hmap_multimap_and_remove(void **state) {
  (void)state;
  orb_hmap m;
  orb_hmap_init(&m, 0);
  static int vals[5000];
  for (int i = 0; i < 5000; i++) orb_hmap_put(&m, (uint64_t)(i % 100), &vals[i]);
  assert_int_equal(m.count, 5000);
  orb_hmap_iter it;
  int n = 0;
  for (void *v = orb_hmap_find(&m, 7, &it); v; v = orb_hmap_next(&it)) n++;
  assert_int_equal(n, 50);
  for (int i = 0; i < 5000; i += 2) assert_true(orb_hmap_remove(&m, (uint64_t)(i % 100), &vals[i]));
  assert_false(orb_hmap_remove(&m, 0, &vals[0]));
  n = 0;
  for (void *v = orb_hmap_find(&m, 7, &it); v; v = orb_hmap_next(&it)) n++;
  assert_int_equal(n, 50); /* 7 is odd: none of its entries were removed */
  n = 0;
  for (void *v = orb_hmap_find(&m, 8, &it); v; v = orb_hmap_next(&it)) n++;
  assert_int_equal(n, 0);
  orb_hmap_free(&m);
}

/* A put where a search for its hash ran out: the slot the search ended at,
** while the map is unchanged; a plain put once it changed or must grow. */
static void test_hmap_put_after_miss(void **state) {
  (void)state;
  orb_hmap m;
  orb_hmap_init(&m, 0);
  static int vals[3000];
  orb_hmap_iter it;
  for (int i = 0; i < 3000; i++) {
    uint64_t h = (uint64_t)(i / 3) * 7919;   /* runs of three equal hashes, and collisions */
    void *v = orb_hmap_find(&m, h, &it);
    while (v) v = orb_hmap_next(&it);
    if (i % 5 == 4) orb_hmap_put(&m, h + 1, &vals[0]);   /* the map changed since the search */
    orb_hmap_put_after_miss(&m, h, &vals[i], &it);
  }
  orb_hmap_put_after_miss(&m, 99, &vals[1], NULL);
  for (int i = 0; i < 3000; i++) {
    bool seen = false;
    for (void *v = orb_hmap_find(&m, (uint64_t)(i / 3) * 7919, &it); v; v = orb_hmap_next(&it)) seen |= v == &vals[i];
    assert_true(seen);
  }
  assert_non_null(orb_hmap_find(&m, 99, &it));
  orb_hmap_free(&m);
}

static void test_arena_alignment(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 64);
  for (int i = 1; i < 200; i++) {
    void *p = orb_arena_alloc(&a, (size_t)i);
    assert_int_equal((uintptr_t)p % 16, 0);
    memset(p, 0xab, (size_t)i);
  }
  char *s = orb_arena_sprintf(&a, "%d-%s", 42, "x");
  assert_string_equal(s, "42-x");
  orb_arena_free(&a);
}

/* orb_arena_recycle: the same allocations again fit in the one block kept
** (the arena's total does not grow), and the memory is usable. */
static void test_arena_recycle(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 64);
  orb_arena_recycle(&a);   /* empty: nothing to keep */
  assert_int_equal(a.total, 0);
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 5; i++) memset(orb_arena_alloc(&a, 1000), round, 1000);
    assert_int_equal(a.total, 5 * 1008);   /* 1000 rounded to 16: a block each in round 0, then the kept one */
    orb_arena_recycle(&a);
    assert_int_equal(a.total, 5 * 1008);   /* one block of everything's size */
  }
  size_t kept = a.total;
  for (int i = 0; i < 5; i++) orb_arena_alloc(&a, 1000);
  assert_int_equal(a.total, kept);   /* no new block */
  orb_arena_alloc(&a, 10000);         /* more than kept: a block of its own */
  assert_true(a.total > kept);
  orb_arena_free(&a);
}

static void test_err_prefix_and_sqlstate(void **state) {
  (void)state;
  orb_err e;
  orb_err_clear(&e);
  orb_err_set(&e, ORB_ERR_CORRUPT, "page header at offset %d is truncated", 1234);
  orb_err_prefix(&e, "parquet: %s", "f.parquet");
  assert_string_equal(e.msg, "parquet: f.parquet: page header at offset 1234 is truncated");
  assert_string_equal(orb_err_sqlstate(&e), "XX001");
  orb_err_setx(&e, ORB_ERR_UNDEFINED, "42P01", 5, "relation \"x\" does not exist");
  assert_string_equal(orb_err_sqlstate(&e), "42P01");
  assert_int_equal(e.pos, 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_varint_roundtrip),       cmocka_unit_test(test_truncated_bytes),
      cmocka_unit_test(test_hmap_multimap_and_remove), cmocka_unit_test(test_arena_alignment),
      cmocka_unit_test(test_arena_recycle),           cmocka_unit_test(test_hmap_put_after_miss),
      cmocka_unit_test(test_err_prefix_and_sqlstate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
