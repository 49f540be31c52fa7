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

/* The writer's output read back by the reader: every value type, ids by
** delta and in full (a jump over 15, a decreasing id), nested structs, lists
** short and long, booleans as fields and as list elements. */
static void test_write_read_back(void **state) {
  (void)state;
  orb_buf b = ORB_BUF_INIT;
  tc_writer w;
  tc_writer_init(&w, &b);
  tc_put_i32(&w, 1, -3);
  tc_put_i64(&w, 2, INT64_MIN);
  tc_put_binary(&w, 3, "hello", 5);
  tc_put_bool(&w, 4, true);
  tc_put_bool(&w, 5, false);
  tc_put_double(&w, 6, -2.25);
  tc_put_i16(&w, 40, -300);   /* delta 34: the long form */
  tc_put_struct_begin(&w, 41);
  tc_put_i64(&w, 1, INT64_MAX);
  tc_put_struct_begin(&w, 2);
  tc_put_byte(&w, 1, -5);
  tc_put_struct_end(&w);
  tc_put_i32(&w, 3, INT32_MIN);
  tc_put_struct_end(&w);
  tc_put_list_begin(&w, 42, TC_I32, 20);   /* 15 or more elements: the count as a varint */
  for (int i = 0; i < 20; i++) tc_put_elem_i32(&w, i * 1000 - 7);
  tc_put_list_begin(&w, 43, TC_STRUCT, 2);
  for (int i = 0; i < 2; i++) {
    tc_put_elem_struct_begin(&w);
    tc_put_i32(&w, 1, i);
    tc_put_struct_end(&w);
  }
  tc_put_list_begin(&w, 44, TC_TRUE, 3);
  tc_put_elem_bool(&w, true);
  tc_put_elem_bool(&w, false);
  tc_put_elem_bool(&w, true);
  tc_put_list_begin(&w, 45, TC_BINARY, 1);
  tc_put_elem_binary(&w, "", 0);
  tc_put_i32(&w, 46, 9);
  tc_put_end(&w);

  tc_reader r;
  tc_init(&r, b.data, b.len);
  tc_struct_begin(&r);
  int16_t id = 0;
  int t, seen = 0, et;
  int64_t n;
  size_t len;
  while (tc_field(&r, &id, &t)) {
    seen++;
    switch (id) {
    case 1: assert_int_equal(t, TC_I32); assert_int_equal(tc_i32(&r), -3); break;
    case 2: assert_true(tc_i64(&r) == INT64_MIN); break;
    case 3: assert_memory_equal(tc_binary(&r, &len), "hello", 5); assert_int_equal(len, 5); break;
    case 4: assert_true(tc_bool_field(t)); break;
    case 5: assert_false(tc_bool_field(t)); break;
    case 6: assert_true(tc_double(&r) == -2.25); break;
    case 40: assert_int_equal(tc_i16(&r), -300); break;
    case 41: {
      tc_struct_begin(&r);
      int16_t fid = 0;
      int ft, inner = 0;
      while (tc_field(&r, &fid, &ft)) {
        inner++;
        if (fid == 1) assert_true(tc_i64(&r) == INT64_MAX);
        else if (fid == 2) {
          tc_struct_begin(&r);
          int16_t gid = 0;
          int gt;
          assert_true(tc_field(&r, &gid, &gt));
          assert_int_equal(gid, 1);
          assert_int_equal(tc_byte(&r), -5);
          assert_false(tc_field(&r, &gid, &gt));
        } else if (fid == 3) assert_int_equal(tc_i32(&r), INT32_MIN);
        else fail();
      }
      assert_int_equal(inner, 3);
      break;
    }
    case 42:
      tc_list(&r, &et, &n);
      assert_int_equal(et, TC_I32);
      assert_int_equal(n, 20);
      for (int i = 0; i < 20; i++) assert_int_equal(tc_i32(&r), i * 1000 - 7);
      break;
    case 43:
      tc_list(&r, &et, &n);
      assert_int_equal(et, TC_STRUCT);
      for (int i = 0; i < n; i++) {
        tc_struct_begin(&r);
        int16_t fid = 0;
        int ft;
        assert_true(tc_field(&r, &fid, &ft));
        assert_int_equal(tc_i32(&r), i);
        assert_false(tc_field(&r, &fid, &ft));
      }
      break;
    case 44:
      tc_list(&r, &et, &n);
      assert_int_equal(n, 3);
      assert_true(tc_bool_elem(&r));
      assert_false(tc_bool_elem(&r));
      assert_true(tc_bool_elem(&r));
      break;
    case 45:
      tc_list(&r, &et, &n);
      assert_int_equal(n, 1);
      tc_binary(&r, &len);
      assert_int_equal(len, 0);
      break;
    case 46: assert_int_equal(tc_i32(&r), 9); break;
    default: fail();
    }
  }
  assert_false(r.failed);
  assert_int_equal(seen, 13);
  assert_int_equal(tc_offset(&r), b.len);
  orb_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values_and_fields),
      cmocka_unit_test(test_write_read_back),
      cmocka_unit_test(test_skip),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_footer_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
