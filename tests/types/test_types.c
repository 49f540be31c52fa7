/* tests/types/test_types.c — values: PostgreSQL's text input and output,
** casts, comparison, hashing and arithmetic (expected strings are what
** PostgreSQL 15 prints). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "types/datetime.h"
#include "types/value.h"

static orb_arena A;

static orb_type T(orb_type_id id) { return orb_type_make(id); }

/* text -> value -> text */
static void roundtrip(orb_type t, const char *in, const char *want) {
  orb_value v;
  orb_err e;
  orb_err_clear(&e);
  if (orb_value_from_text(in, strlen(in), t, &A, &v, &e) != ORB_OK) fail_msg("%s: %s", in, e.msg);
  orb_buf b = ORB_BUF_INIT;
  orb_value_to_text(&v, &b);
  if (strcmp(b.data ? b.data : "", want) != 0) fail_msg("%s: got \"%s\", want \"%s\"", in, b.data, want);
  orb_buf_free(&b);
}

/* text input that must fail with this SQLSTATE */
static void bad(orb_type t, const char *in, const char *sqlstate) {
  orb_value v;
  orb_err e;
  orb_err_clear(&e);
  if (orb_value_from_text(in, strlen(in), t, &A, &v, &e) == ORB_OK) fail_msg("%s: accepted", in);
  if (strcmp(orb_err_sqlstate(&e), sqlstate) != 0) fail_msg("%s: %s (%s), want %s", in, e.msg, orb_err_sqlstate(&e), sqlstate);
}

static void test_numbers(void **state) {
  (void)state;
  roundtrip(T(ORB_T_INT32), " 42 ", "42");
  roundtrip(T(ORB_T_INT64), "-9223372036854775808", "-9223372036854775808");
  bad(T(ORB_T_INT16), "32768", "22003");
  bad(T(ORB_T_INT32), "abc", "22P02");
  bad(T(ORB_T_INT32), "1.5", "22P02");
  roundtrip(T(ORB_T_FLOAT64), "9.5", "9.5");
  roundtrip(T(ORB_T_FLOAT64), "0.1", "0.1");
  roundtrip(T(ORB_T_FLOAT64), "1e20", "1e+20");
  roundtrip(T(ORB_T_FLOAT64), "123456789012345", "123456789012345");
  roundtrip(T(ORB_T_FLOAT64), "1234567890123456", "1.234567890123456e+15");
  roundtrip(T(ORB_T_FLOAT64), "0.0001", "0.0001");
  roundtrip(T(ORB_T_FLOAT64), "0.00001", "1e-05");
  roundtrip(T(ORB_T_FLOAT64), "NaN", "NaN");
  roundtrip(T(ORB_T_FLOAT64), "-infinity", "-Infinity");
  roundtrip(T(ORB_T_FLOAT32), "1000000", "1e+06");
  roundtrip(T(ORB_T_FLOAT32), "0.1", "0.1");
  roundtrip(orb_type_decimal(10, 2), "9.999", "10.00");
  roundtrip(orb_type_decimal(0, 0), "1.50", "1.50");
  bad(orb_type_decimal(3, 1), "100", "22003");
  roundtrip(T(ORB_T_BOOL), "yes", "t");
  roundtrip(T(ORB_T_BOOL), " off ", "f");
  bad(T(ORB_T_BOOL), "o", "22P02");
}

static void test_strings_and_others(void **state) {
  (void)state;
  orb_type v5 = T(ORB_T_TEXT);
  v5.maxlen = 5;
  roundtrip(v5, "h\xc3\xa9llo", "h\xc3\xa9llo");   /* 5 characters, 6 bytes */
  roundtrip(v5, "abc   ", "abc  ");               /* trailing blanks beyond the limit are cut */
  bad(v5, "abcdef", "22001");
  roundtrip(T(ORB_T_BYTEA), "\\x0aff", "\\x0aff");
  roundtrip(T(ORB_T_BYTEA), "ab\\\\c", "\\x61625c63");
  roundtrip(T(ORB_T_UUID), "{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  bad(T(ORB_T_UUID), "a0eebc99", "22P02");
}

static void test_datetimes(void **state) {
  (void)state;
  roundtrip(T(ORB_T_DATE), "2026-01-01", "2026-01-01");
  roundtrip(T(ORB_T_DATE), "20240229", "2024-02-29");
  roundtrip(T(ORB_T_DATE), "0001-01-01", "0001-01-01");
  bad(T(ORB_T_DATE), "2026-02-30", "22008");
  bad(T(ORB_T_DATE), "2026-13-01", "22008");
  bad(T(ORB_T_DATE), "yesterday-ish", "22007");
  roundtrip(T(ORB_T_TIMESTAMP), "2026-01-01 10:00:00", "2026-01-01 10:00:00");
  roundtrip(T(ORB_T_TIMESTAMP), "2026-01-01T10:00:00.500", "2026-01-01 10:00:00.5");
  roundtrip(T(ORB_T_TIMESTAMP), "2026-01-01", "2026-01-01 00:00:00");
  roundtrip(T(ORB_T_TIMESTAMP), "2026-01-01 10:00:00+02", "2026-01-01 10:00:00");      /* zone ignored */
  roundtrip(T(ORB_T_TIMESTAMPTZ), "2026-01-01 10:00:00+02", "2026-01-01 08:00:00+00");  /* zone applied */
  roundtrip(T(ORB_T_TIMESTAMP), "1969-12-31 23:59:59.999999", "1969-12-31 23:59:59.999999");
  roundtrip(T(ORB_T_TIME), "10:05", "10:05:00");
  roundtrip(T(ORB_T_INTERVAL), "1 year 2 months 3 days 04:05:06", "1 year 2 mons 3 days 04:05:06");
  roundtrip(T(ORB_T_INTERVAL), "-1 day", "-1 days");
  roundtrip(T(ORB_T_INTERVAL), "1 day -01:00:00", "1 day -01:00:00");
  roundtrip(T(ORB_T_INTERVAL), "-1 day 01:00:00", "-1 days +01:00:00");
  roundtrip(T(ORB_T_INTERVAL), "1.5 days", "1 day 12:00:00");
  roundtrip(T(ORB_T_INTERVAL), "1.5 months", "1 mon 15 days");
  roundtrip(T(ORB_T_INTERVAL), "2 days ago", "-2 days");
  roundtrip(T(ORB_T_INTERVAL), "P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06");
  roundtrip(T(ORB_T_INTERVAL), "0", "00:00:00");
  roundtrip(T(ORB_T_INTERVAL), "90 seconds", "00:01:30");
  bad(T(ORB_T_INTERVAL), "3 fortnights", "22007");
  orb_interval iv;
  orb_err e;
  assert_int_equal(orb_interval_from_text_unit("1", 1, "year", &iv, &e), ORB_OK);
  assert_int_equal(iv.months, 12);
  assert_int_equal(orb_interval_from_text_unit("1 year 2 months", 15, "year", &iv, &e), ORB_OK);
  assert_int_equal(iv.months, 12);
}

static orb_value num(orb_type_id t, const char *s) {
  orb_value v;
  orb_err e;
  orb_type ty = t == ORB_T_DECIMAL ? orb_type_decimal(0, 0) : T(t);
  assert_int_equal(orb_value_from_text(s, strlen(s), ty, &A, &v, &e), ORB_OK);
  return v;
}

static const char *text_of(const orb_value *v) {
  orb_buf b = ORB_BUF_INIT;
  orb_value_to_text(v, &b);
  const char *s = orb_arena_strdup(&A, b.data ? b.data : "");
  orb_buf_free(&b);
  return s;
}

static void test_arithmetic(void **state) {
  (void)state;
  orb_value r, a = num(ORB_T_INT32, "7"), b = num(ORB_T_INT32, "2"), z = num(ORB_T_INT32, "0");
  orb_err e;
  orb_type rt;
  assert_int_equal(orb_arith_type(ORB_ARITH_DIV, T(ORB_T_INT32), T(ORB_T_INT32), &rt, &e), ORB_OK);
  assert_int_equal(rt.id, ORB_T_INT32);
  assert_int_equal(orb_arith(ORB_ARITH_DIV, &a, &b, rt, &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "3");
  assert_int_equal(orb_arith(ORB_ARITH_DIV, &a, &z, rt, &r, &e), ORB_ERR_DIVZERO);
  assert_string_equal(orb_err_sqlstate(&e), "22012");
  orb_value big = num(ORB_T_INT32, "2147483647");
  assert_int_equal(orb_arith(ORB_ARITH_ADD, &big, &b, rt, &r, &e), ORB_ERR_RANGE);
  assert_string_equal(e.msg, "integer out of range");
  /* numeric division keeps PostgreSQL's scale */
  orb_value d1 = num(ORB_T_DECIMAL, "1"), d3 = num(ORB_T_DECIMAL, "3.0");
  assert_int_equal(orb_arith(ORB_ARITH_DIV, &d1, &d3, orb_type_decimal(0, 0), &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "0.33333333333333333333");
  /* date + interval -> timestamp; timestamp difference */
  orb_value day = num(ORB_T_DATE, "1994-01-01"), year = num(ORB_T_INTERVAL, "1 year");
  assert_int_equal(orb_arith_type(ORB_ARITH_ADD, T(ORB_T_DATE), T(ORB_T_INTERVAL), &rt, &e), ORB_OK);
  assert_int_equal(rt.id, ORB_T_TIMESTAMP);
  assert_int_equal(orb_arith(ORB_ARITH_ADD, &day, &year, rt, &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "1995-01-01 00:00:00");
  orb_value jan31 = num(ORB_T_TIMESTAMP, "2026-01-31"), month = num(ORB_T_INTERVAL, "1 month");
  assert_int_equal(orb_arith(ORB_ARITH_ADD, &jan31, &month, T(ORB_T_TIMESTAMP), &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "2026-02-28 00:00:00");
  orb_value t1 = num(ORB_T_TIMESTAMP, "2026-01-03 01:00"), t0 = num(ORB_T_TIMESTAMP, "2026-01-01");
  assert_int_equal(orb_arith(ORB_ARITH_SUB, &t1, &t0, T(ORB_T_INTERVAL), &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "2 days 01:00:00");
  assert_int_equal(orb_arith_type(ORB_ARITH_ADD, T(ORB_T_BOOL), T(ORB_T_INT32), &rt, &e), ORB_ERR_UNDEFINED);
  assert_string_equal(e.msg, "operator does not exist: boolean + integer");
}

static void test_casts_and_order(void **state) {
  (void)state;
  orb_value r;
  orb_err e;
  orb_value f = orb_float(ORB_T_FLOAT64, 2.5);
  assert_int_equal(orb_value_cast(&f, T(ORB_T_INT32), &A, &r, &e), ORB_OK);
  assert_int_equal(r.u.i, 2);   /* half to even, as PostgreSQL's float -> int */
  orb_value d = num(ORB_T_DECIMAL, "2.5");
  assert_int_equal(orb_value_cast(&d, T(ORB_T_INT32), &A, &r, &e), ORB_OK);
  assert_int_equal(r.u.i, 3);   /* numeric rounds half away from zero */
  orb_value huge = orb_float(ORB_T_FLOAT64, 1e10);
  assert_int_equal(orb_value_cast(&huge, T(ORB_T_INT32), &A, &r, &e), ORB_ERR_RANGE);
  orb_value ts = num(ORB_T_TIMESTAMP, "2026-03-04 05:06:07");
  assert_int_equal(orb_value_cast(&ts, T(ORB_T_DATE), &A, &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "2026-03-04");
  orb_value pt = orb_float(ORB_T_FLOAT64, 0.1);
  assert_int_equal(orb_value_cast(&pt, orb_type_decimal(0, 0), &A, &r, &e), ORB_OK);
  assert_string_equal(text_of(&r), "0.1");
  /* NaN sorts above everything and equals itself; -0 equals 0 and hashes alike */
  orb_value nan = orb_float(ORB_T_FLOAT64, NAN), inf = orb_float(ORB_T_FLOAT64, INFINITY);
  assert_true(orb_value_cmp(&nan, &inf) > 0);
  assert_int_equal(orb_value_cmp(&nan, &nan), 0);
  orb_value pz = orb_float(ORB_T_FLOAT64, 0.0), nz = orb_float(ORB_T_FLOAT64, -0.0);
  assert_int_equal(orb_value_cmp(&pz, &nz), 0);
  assert_true(orb_value_hash(&pz) == orb_value_hash(&nz));
  /* decimals equal by value hash alike whatever their scale */
  orb_value a = num(ORB_T_DECIMAL, "1.50"), b = num(ORB_T_DECIMAL, "1.5");
  assert_int_equal(orb_value_cmp(&a, &b), 0);
  assert_true(orb_value_hash(&a) == orb_value_hash(&b));
  orb_value s1 = orb_text("ab", 2), s2 = orb_text("abc", 3);
  assert_true(orb_value_cmp(&s1, &s2) < 0);
}

static void test_type_names(void **state) {
  (void)state;
  orb_type t;
  orb_err e;
  int32_t mods[2] = {10, 2};
  assert_int_equal(orb_type_from_name("numeric", mods, 2, &t, &e), ORB_OK);
  orb_buf b = ORB_BUF_INIT;
  orb_type_format(t, &b);
  assert_string_equal(b.data, "numeric(10,2)");
  orb_buf_reset(&b);
  orb_type_format_sql(t, &b);
  assert_string_equal(b.data, "DECIMAL(10,2)");
  assert_int_equal(orb_type_from_name("double", NULL, 0, &t, &e), ORB_OK);
  assert_int_equal(t.id, ORB_T_FLOAT64);
  assert_int_equal(orb_type_from_name("timestamp with time zone", NULL, 0, &t, &e), ORB_OK);
  assert_int_equal(t.id, ORB_T_TIMESTAMPTZ);
  assert_int_equal(orb_type_from_name("money", NULL, 0, &t, &e), ORB_ERR_UNDEFINED);
  assert_string_equal(e.msg, "type \"money\" does not exist");
  orb_type c;
  assert_int_equal(orb_type_common(T(ORB_T_INT32), T(ORB_T_FLOAT32), &c, &e), ORB_OK);
  assert_int_equal(c.id, ORB_T_FLOAT64);
  assert_int_equal(orb_type_common(T(ORB_T_DATE), T(ORB_T_TIMESTAMP), &c, &e), ORB_OK);
  assert_int_equal(c.id, ORB_T_TIMESTAMP);
  assert_int_equal(orb_type_common(T(ORB_T_BOOL), T(ORB_T_INT32), &c, &e), ORB_ERR_TYPE);
  orb_buf_free(&b);
}

int main(void) {
  orb_arena_init(&A, 65536);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers),    cmocka_unit_test(test_strings_and_others), cmocka_unit_test(test_datetimes),
      cmocka_unit_test(test_arithmetic), cmocka_unit_test(test_casts_and_order),    cmocka_unit_test(test_type_names),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  orb_arena_free(&A);
  return rc;
}
