/* tests/query/test_exec.c — executor operators on hand-built plans: sort
** order and NULL placement, hash aggregation and result types, hash and
** nested-loop joins (inner and left), DISTINCT, LIMIT/OFFSET, series, and
** re-opening a plan (prepared statements run a plan many times). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "query/exec.h"
#include "query/bound.h"

static orb_arena A;
static oql_rt RT;

static int setup(void **state) {
  (void)state;
  orb_arena_init(&A, 0);
  oql_rt_init(&RT, NULL);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  oql_rt_free(&RT);
  orb_arena_free(&A);
  return 0;
}

static orb_expr *ci(int64_t v) { return orb_expr_const(&A, orb_int(ORB_T_INT32, v), orb_type_make(ORB_T_INT32)); }
static orb_expr *cnull(void) { return orb_expr_const(&A, orb_null(ORB_T_INT32), orb_type_make(ORB_T_INT32)); }
static orb_expr *ct(const char *s) {
  return orb_expr_const(&A, orb_text(s, strlen(s)), orb_type_make(ORB_T_TEXT));
}

/* VALUES of (int, text) pairs; a NULL text makes the int NULL too (for NULL tests). */
static oql_op *pairs(const int *ints, const char *const *texts, int n) {
  orb_expr ***rows = orb_arena_alloc(&A, sizeof(orb_expr **) * (size_t)n);
  for (int i = 0; i < n; i++) {
    rows[i] = orb_arena_alloc(&A, sizeof(orb_expr *) * 2);
    rows[i][0] = ints[i] < 0 ? cnull() : ci(ints[i]);
    rows[i][1] = ct(texts[i]);
  }
  orb_type t[2] = {orb_type_make(ORB_T_INT32), orb_type_make(ORB_T_TEXT)};
  return oql_values_new(&A, n, 2, rows, t);
}

/* Drain op into "a|b;a|b;" text. */
static void drain(oql_op *op, char *out, size_t cap) {
  orb_err e;
  out[0] = '\0';
  assert_int_equal(oql_op_open(op, &RT, &e), ORB_OK);
  const orb_value *row;
  orb_buf b = ORB_BUF_INIT;
  while (oql_op_next(op, &RT, &row, &e) == ORB_OK && row) {
    for (int i = 0; i < op->ncols; i++) {
      if (i) orb_buf_putc(&b, '|');
      if (row[i].isnull)
        orb_buf_puts(&b, "N");
      else
        orb_value_to_text(&row[i], &b);
    }
    orb_buf_putc(&b, ';');
  }
  oql_op_close(op, &RT);
  snprintf(out, cap, "%s", b.data ? b.data : "");
  orb_buf_free(&b);
}

static void test_sort_nulls(void **state) {
  (void)state;
  int ints[] = {3, 1, -1, 2, 2};
  const char *txt[] = {"c", "a", "n", "b", "bb"};
  char out[256];
  oql_sort_key asc = {0, false, false};
  oql_op *s = oql_sort_new(&A, pairs(ints, txt, 5), &asc, 1);
  drain(s, out, sizeof out);
  assert_string_equal(out, "1|a;2|b;2|bb;3|c;N|n;");
  oql_sort_key desc[2] = {{0, true, true}, {1, true, true}};
  oql_op *d = oql_sort_new(&A, pairs(ints, txt, 5), desc, 2);
  drain(d, out, sizeof out);
  assert_string_equal(out, "N|n;3|c;2|bb;2|b;1|a;");
  /* a plan can be run again */
  drain(d, out, sizeof out);
  assert_string_equal(out, "N|n;3|c;2|bb;2|b;1|a;");
  oql_op_destroy(s);
  oql_op_destroy(d);
}

static void test_hash_aggregate(void **state) {
  (void)state;
  int ints[] = {10, 5, 7, -1, 3};
  const char *txt[] = {"north", "north", "south", "south", "east"};
  char out[256];
  orb_expr **keys = orb_arena_alloc(&A, sizeof(orb_expr *));
  keys[0] = orb_expr_column(&A, 1, orb_type_make(ORB_T_TEXT));
  oql_agg_spec aggs[3] = {
      {.fn = OQL_AGG_COUNT_STAR, .arg = NULL, .type = orb_type_make(ORB_T_INT64)},
      {.fn = OQL_AGG_SUM, .arg = orb_expr_column(&A, 0, orb_type_make(ORB_T_INT32)), .type = orb_type_make(ORB_T_INT64)},
      {.fn = OQL_AGG_COUNT, .arg = orb_expr_column(&A, 0, orb_type_make(ORB_T_INT32)), .type = orb_type_make(ORB_T_INT64)},
  };
  oql_op *g = oql_agg_new(&A, pairs(ints, txt, 5), keys, 1, aggs, 3, NULL);
  oql_sort_key k = {0, false, false};
  oql_op *s = oql_sort_new(&A, g, &k, 1);
  drain(s, out, sizeof out);
  assert_string_equal(out, "east|1|3|1;north|2|15|2;south|2|7|1;");
  oql_op_destroy(s);

  /* plain aggregate over no rows: one row, count 0, sum NULL */
  oql_op *empty = pairs(ints, txt, 0);
  oql_op *p = oql_agg_new(&A, empty, NULL, 0, aggs, 3, NULL);
  drain(p, out, sizeof out);
  assert_string_equal(out, "0|N|0;");
  oql_op_destroy(p);
}

static void test_avg_scale(void **state) {
  (void)state;
  int ints[] = {10, 5, 7, 3};
  const char *txt[] = {"a", "b", "c", "d"};
  char out[256];
  oql_agg_spec avg = {.fn = OQL_AGG_AVG, .arg = orb_expr_column(&A, 0, orb_type_make(ORB_T_INT32)), .type = orb_type_decimal(38, 16)};
  oql_op *p = oql_agg_new(&A, pairs(ints, txt, 4), NULL, 0, &avg, 1, NULL);
  drain(p, out, sizeof out);
  /* PostgreSQL: avg(integer) of 10,5,7,3 = 6.2500000000000000 */
  assert_string_equal(out, "6.2500000000000000;");
  oql_op_destroy(p);
}

static void test_joins(void **state) {
  (void)state;
  int li[] = {1, 2, 3, -1};
  const char *lt[] = {"ann", "bob", "cy", "nul"};
  int ri[] = {1, 1, 2, -1};
  const char *rt[] = {"o10", "o11", "o12", "o13"};
  char out[512];
  orb_expr **lk = orb_arena_alloc(&A, sizeof(orb_expr *));
  orb_expr **rk = orb_arena_alloc(&A, sizeof(orb_expr *));
  lk[0] = orb_expr_column(&A, 0, orb_type_make(ORB_T_INT32));
  rk[0] = orb_expr_column(&A, 0, orb_type_make(ORB_T_INT32));
  oql_op *j = oql_hashjoin_new(&A, OQL_JOIN_INNER, pairs(li, lt, 4), pairs(ri, rt, 4), lk, rk, 1, NULL);
  oql_sort_key k[2] = {{0, false, false}, {3, false, false}};
  oql_op *s = oql_sort_new(&A, j, k, 2);
  drain(s, out, sizeof out);
  assert_string_equal(out, "1|ann|1|o10;1|ann|1|o11;2|bob|2|o12;");
  oql_op_destroy(s);

  oql_op *lj = oql_hashjoin_new(&A, OQL_JOIN_LEFT, pairs(li, lt, 4), pairs(ri, rt, 4), lk, rk, 1, NULL);
  oql_op *ls = oql_sort_new(&A, lj, k, 2);
  drain(ls, out, sizeof out);
  assert_string_equal(out, "1|ann|1|o10;1|ann|1|o11;2|bob|2|o12;3|cy|N|N;N|nul|N|N;");
  oql_op_destroy(ls);

  /* nested loop: cross join count */
  oql_op *nl = oql_nljoin_new(&A, OQL_JOIN_INNER, pairs(li, lt, 4), pairs(ri, rt, 4), NULL);
  oql_agg_spec cnt = {.fn = OQL_AGG_COUNT_STAR, .arg = NULL, .type = orb_type_make(ORB_T_INT64)};
  oql_op *c = oql_agg_new(&A, nl, NULL, 0, &cnt, 1, NULL);
  drain(c, out, sizeof out);
  assert_string_equal(out, "16;");
  oql_op_destroy(c);
}

static void test_distinct_limit_series(void **state) {
  (void)state;
  int ints[] = {1, 1, 2, 2, 3};
  const char *txt[] = {"x", "x", "y", "y", "z"};
  char out[256];
  oql_op *d = oql_distinct_new(&A, pairs(ints, txt, 5), -1);
  oql_op *l = oql_limit_new(&A, d, ci(2), ci(1));
  drain(l, out, sizeof out);
  assert_string_equal(out, "2|y;3|z;");
  oql_op_destroy(l);

  oql_op *s = oql_series_new(&A, orb_type_make(ORB_T_INT32), ci(10), ci(1), ci(-3));
  drain(s, out, sizeof out);
  assert_string_equal(out, "10;7;4;1;");
  oql_op_destroy(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sort_nulls, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hash_aggregate, setup, teardown),
      cmocka_unit_test_setup_teardown(test_avg_scale, setup, teardown),
      cmocka_unit_test_setup_teardown(test_joins, setup, teardown),
      cmocka_unit_test_setup_teardown(test_distinct_limit_series, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
