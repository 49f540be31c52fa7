/* tests/formats/test_thrift.c — the compact protocol reader on hand-made
** bytes: values, field ids by delta and in full, skipping, and every kind
** of malformed input failing cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/parquet/parquet.h"
#include "formats/thrift/thrift.h"

static void test_values_and_fields(void **state) {
  (void)state;
  /* struct { 1: i32 -3, 2: binary "hi", 4: i64 300, 20 (long form): bool true, 21: double 1.5 } */
  const uint8_t b[] = {0x15, 0x05,       0x18, 0x02, 'h', 'i', 0x26, 0xd8, 0x04, 0x01, 0x28, 0x17,
                       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, 0x00};
  tc_reader r;
  tc_init(&r, b, sizeof b);
  tc_struct_begin(&r);
  int16_t id = 0;
  int t, seen = 0;
  while (tc_field(&r, &id, &t)) {
    if (id == 1) assert_int_equal(tc_i32(&r), -3), seen++;
    else if (id == 2) {
      size_t n;
      const uint8_t *p = tc_binary(&r, &n);
      assert_int_equal(n, 2);
      assert_memory_equal(p, "hi", 2);
      seen++;
    } else if (id == 4) assert_int_equal(tc_i64(&r), 300), seen++;
    else if (id == 20) assert_true(tc_bool_field(t)), seen++;
    else if (id == 21) assert_true(tc_double(&r) == 1.5), seen++;
    else fail();
  }
  assert_false(r.failed);
  assert_int_equal(seen, 5);
  assert_int_equal(tc_offset(&r), sizeof b);
}

static void test_skip(void **state) {
  (void)state;
  /* struct { 1: list<i32>[1,2,3], 2: struct { 1: binary "x" }, 3: map<binary,i32>{"k":1}, 4: i32 7 } */
  const uint8_t b[] = {0x19, 0x35, 0x02, 0x04, 0x06, 0x1c, 0x18, 0x01, 'x', 0x00,
                       0x1b, 0x01, 0x85, 0x01, 'k', 0x02, 0x15, 0x0e, 0x00};
  tc_reader r;
  tc_init(&r, b, sizeof b);
  tc_struct_begin(&r);
  int16_t id = 0;
  int t;
  int32_t four = 0;
  while (tc_field(&r, &id, &t)) {
    if (id == 4) four = tc_i32(&r);
    else tc_skip(&r, t);
  }
  assert_false(r.failed);
  assert_int_equal(four, 7);
}

static void expect_failure(const uint8_t *b, size_t n) {
  tc_reader r;
  tc_init(&r, b, n);
  tc_skip(&r, TC_STRUCT);
  assert_true(r.failed);
  assert_true(strlen(r.msg) > 0);
}

static void test_malformed(void **state) {
  (void)state;
  const uint8_t truncated[] = {0x15};                                      /* i32 field without its value */
  const uint8_t long_varint[] = {0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00};
  const uint8_t binary_lie[] = {0x18, 0x7f, 'a', 0x00};                    /* 127 bytes claimed, 2 there */
  const uint8_t list_lie[] = {0x19, 0xf5, 0xff, 0xff, 0xff, 0x7f, 0x00};   /* a huge list in 7 bytes */
  const uint8_t bad_type[] = {0x1d, 0x00};                                 /* type 13 does not exist */
  const uint8_t unterminated[] = {0x15, 0x02};
  expect_failure(truncated, sizeof truncated);
  expect_failure(long_varint, sizeof long_varint);
  expect_failure(binary_lie, sizeof binary_lie);
  expect_failure(list_lie, sizeof list_lie);
  expect_failure(bad_type, sizeof bad_type);
  expect_failure(unterminated, sizeof unterminated);
  /* structs nested deeper than TC_MAX_DEPTH */
  uint8_t deep[2 * (TC_MAX_DEPTH + 8)];
  for (size_t i = 0; i < sizeof deep; i++) deep[i] = 0x1c;   /* field 1: struct, again and again */
  expect_failure(deep, sizeof deep);
}

static void test_footer_errors(void **state) {
  (void)state;
  pq_file_meta *m;
  orb_err e;
  uint8_t img[64];
  memset(img, 0, sizeof img);
  assert_int_equal(pq_footer_from_image(img, 8, "tiny", &m, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "too short"));
  memcpy(img, "PAR1", 4);
  memcpy(img + 60, "PARE", 4);
  assert_int_equal(pq_footer_from_image(img, sizeof img, "enc", &m, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "encrypted"));
  memcpy(img + 60, "PAR1", 4);
  img[56] = 200;   /* footer length beyond the file */
  assert_int_equal(pq_footer_from_image(img, sizeof img, "lie", &m, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "does not fit"));
  img[56] = 2;     /* an empty struct: no schema */
  img[54] = 0x00;
  img[55] = 0x00;
  assert_int_equal(pq_footer_from_image(img, sizeof img, "empty", &m, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "\"empty\""));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values_and_fields),
      cmocka_unit_test(test_skip),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_footer_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
