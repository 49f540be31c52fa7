/* tests/types/test_json.c — the JSON parser and jsonb (types/json.h): the
** DETAIL lines of PostgreSQL's input errors, the nesting limit, NUMERIC
** number text, normalization, jsonb's order and hash, and the casts.
** (Expected strings are what PostgreSQL 15 prints.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "types/json.h"
#include "types/value.h"

static orb_arena A;

/* jsonb input's output text */
static void jsonb_is(const char *in, const char *want) {
  orb_value v;
  orb_err e;
  orb_err_clear(&e);
  if (orb_jsonb_from_text(in, strlen(in), &A, &v, &e) != ORB_OK) fail_msg("%s: %s", in, e.msg);
  if (v.len != strlen(want) || memcmp(v.u.s, want, v.len) != 0) fail_msg("%s: got %.*s, want %s", in, (int)v.len, v.u.s, want);
}

/* json input refused with sqlstate and DETAIL */
static void refused(const char *in, const char *sqlstate, const char *detail) {
  orb_value v;
  orb_err e;
  orb_err_clear(&e);
  if (orb_value_from_text(in, strlen(in), orb_type_make(ORB_T_JSONB), &A, &v, &e) == ORB_OK) fail_msg("%s: accepted", in);
  if (strcmp(e.sqlstate, sqlstate) != 0) fail_msg("%s: sqlstate %s, want %s", in, e.sqlstate, sqlstate);
  if (detail && strcmp(e.detail, detail) != 0) fail_msg("%s: detail \"%s\", want \"%s\"", in, e.detail, detail);
}

static void test_errors(void **state) {
  (void)state;
  refused("{\"a\": x}", "22P02", "Token \"x\" is invalid.");
  refused("[1, 2", "22P02", "The input string ended unexpectedly.");
  refused("", "22P02", "The input string ended unexpectedly.");
  refused("{\"a\" 1}", "22P02", "Expected \":\", but found \"1\".");
  refused("{1: 2}", "22P02", "Expected string or \"}\", but found \"1\".");
  refused("{\"a\": 1, }", "22P02", "Expected string, but found \"}\".");
  refused("[1 2]", "22P02", "Expected \",\" or \"]\", but found \"2\".");
  refused("{\"a\": 1 \"b\"}", "22P02", "Expected \",\" or \"}\", but found \"\"b\"\".");
  refused("[,]", "22P02", "Expected JSON value, but found \",\".");
  refused("[1] 2", "22P02", "Expected end of input, but found \"2\".");
  refused("01", "22P02", "Token \"01\" is invalid.");
  refused("1.", "22P02", "Token \"1.\" is invalid.");
  refused("truex", "22P02", "Token \"truex\" is invalid.");
  refused("\"a\nb\"", "22P02", "Character with value 0x0a must be escaped.");
  refused("\"\\x\"", "22P02", "Escape sequence \"\\x\" is invalid.");
  refused("\"\\u12\"", "22P02", "\"\\u\" must be followed by four hexadecimal digits.");
  refused("\"\\ud83d\"", "22P02", "Unicode low surrogate must follow a high surrogate.");
  refused("\"\\ude00\"", "22P02", "Unicode low surrogate must follow a high surrogate.");
  refused("\"\\ud83d\\ud83d\"", "22P02", "Unicode high surrogate must not follow a high surrogate.");
  refused("\"\\u0000\"", "22P05", "\\u0000 cannot be converted to text.");
  refused("1e200000", "22003", NULL);
  /* json itself takes \u0000: it keeps the text */
  orb_err e;
  assert_int_equal(orb_json_validate("\"\\u0000\"", 8, "json", &e), ORB_OK);
}

static void test_depth(void **state) {
  (void)state;
  char buf[2 * ORB_JSON_MAX_DEPTH + 4];
  memset(buf, '[', ORB_JSON_MAX_DEPTH);
  memset(buf + ORB_JSON_MAX_DEPTH, ']', ORB_JSON_MAX_DEPTH);
  orb_value v;
  orb_err e;
  assert_int_equal(orb_jsonb_from_text(buf, 2 * ORB_JSON_MAX_DEPTH, &A, &v, &e), ORB_OK);
  memset(buf, '[', ORB_JSON_MAX_DEPTH + 1);
  memset(buf + ORB_JSON_MAX_DEPTH + 1, ']', ORB_JSON_MAX_DEPTH + 1);
  assert_int_equal(orb_jsonb_from_text(buf, 2 * ORB_JSON_MAX_DEPTH + 2, &A, &v, &e), ORB_ERR_LIMIT);
  assert_string_equal(e.sqlstate, "54001");
  assert_string_equal(e.msg, "stack depth limit exceeded");
  /* a million unclosed brackets: refused at the limit, not by the stack */
  size_t n = 1000000;
  char *deep = orb_arena_alloc(&A, n);
  memset(deep, '{', n);
  for (size_t i = 0; i < n; i++) deep[i] = i % 2 ? '[' : '{';
  assert_int_not_equal(orb_json_validate(deep, n, "json", &e), ORB_OK);
}

static void test_normalize(void **state) {
  (void)state;
  jsonb_is("{\"bb\": 1, \"a\": 2, \"c\": 3, \"a\": 4}", "{\"a\": 4, \"c\": 3, \"bb\": 1}");
  jsonb_is("[1.50, 1e2, 1E+2, -0, -0.0, 1.5e-3, 0.1e1, 12.340e1, 1e-2, 100e-2]", "[1.50, 100, 100, 0, 0.0, 0.0015, 1, 123.40, 0.01, 1.00]");
  jsonb_is(" { } ", "{}");
  jsonb_is("\"\\u00e9\\n\\\"\\/\\b\\f\\r\\t\\u001f\"", "\"\xc3\xa9\\n\\\"/\\b\\f\\r\\t\\u001f\"");
  jsonb_is("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
  jsonb_is("{\"a\": {\"z\": [], \"y\": {}}}", "{\"a\": {\"y\": {}, \"z\": []}}");
}

static int cmp(const char *a, const char *b) {
  orb_value x, y;
  orb_err e;
  if (orb_jsonb_from_text(a, strlen(a), &A, &x, &e) != ORB_OK || orb_jsonb_from_text(b, strlen(b), &A, &y, &e) != ORB_OK)
    fail_msg("bad input");
  int c = orb_value_cmp(&x, &y);
  if (c == 0 && orb_value_hash(&x) != orb_value_hash(&y)) fail_msg("%s = %s with different hashes", a, b);
  return c;
}

static void test_order(void **state) {
  (void)state;
  assert_int_equal(cmp("[1.0, 2]", "[1, 2.00]"), 0);
  assert_int_equal(cmp("{\"a\": 1e1}", "{\"a\": 10}"), 0);
  assert_int_equal(cmp("-0.0", "0"), 0);
  assert_true(cmp("null", "\"a\"") < 0);
  assert_true(cmp("\"z\"", "-5") < 0);
  assert_true(cmp("1e10", "false") < 0);
  assert_true(cmp("true", "[]") > 0);    /* a scalar is a one-element array: more elements than [] */
  assert_true(cmp("true", "[0]") < 0);   /* and before a real array of its size */
  assert_true(cmp("[9]", "[1, 1]") < 0);
  assert_true(cmp("[[1]]", "{}") < 0);
  assert_true(cmp("{\"b\": 1}", "{\"a\": 1, \"b\": 1}") < 0);
  assert_true(cmp("{\"a\": 2}", "{\"b\": 1}") < 0);
  assert_true(cmp("-10", "-9.99") < 0);
  assert_true(cmp("0.001", "0.01") < 0);
  assert_true(cmp("123", "1.23e3") < 0);
  assert_true(orb_json_number_cmp("1e5", 3, "99999.5", 7) > 0);
}

static void test_casts(void **state) {
  (void)state;
  orb_value v, out;
  orb_err e;
  assert_int_equal(orb_jsonb_from_text("2.5", 3, &A, &v, &e), ORB_OK);
  assert_int_equal(orb_value_cast(&v, orb_type_make(ORB_T_INT32), &A, &out, &e), ORB_OK);
  assert_int_equal(out.u.i, 3);
  assert_int_equal(orb_jsonb_from_text("\"1\"", 3, &A, &v, &e), ORB_OK);
  assert_int_not_equal(orb_value_cast(&v, orb_type_make(ORB_T_INT64), &A, &out, &e), ORB_OK);
  assert_string_equal(e.msg, "cannot cast jsonb string to type bigint");
  assert_int_equal(orb_value_from_text("{\"b\":1,\"a\":2}", 13, orb_type_make(ORB_T_JSON), &A, &v, &e), ORB_OK);
  assert_int_equal(orb_value_cast(&v, orb_type_make(ORB_T_JSONB), &A, &out, &e), ORB_OK);
  assert_int_equal(out.type, ORB_T_JSONB);
  assert_memory_equal(out.u.s, "{\"a\": 2, \"b\": 1}", out.len);
  assert_int_not_equal(orb_value_cast(&v, orb_type_make(ORB_T_INT32), &A, &out, &e), ORB_OK);
  assert_string_equal(e.msg, "cannot cast type json to integer");
}

static int setup(void **state) {
  (void)state;
  orb_arena_init(&A, 0);
  return 0;
}
static int teardown(void **state) {
  (void)state;
  orb_arena_free(&A);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_errors), cmocka_unit_test(test_depth), cmocka_unit_test(test_normalize),
      cmocka_unit_test(test_order), cmocka_unit_test(test_casts),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
