/* tests/expr/test_eval.c — expression evaluation: three-valued logic, IN
** with NULLs, LIKE, CASE, functions, folding, pushdown analysis, EXPLAIN text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "expr/expr.h"
#include "expr/func.h"
#include "types/value.h"

static orb_arena A;
static orb_eval_ctx ctx;

static orb_type BOOL_T(void) { return orb_type_make(ORB_T_BOOL); }

/* -1 = NULL, 0 = false, 1 = true */
static orb_expr *tri(int v) {
  return orb_expr_const(&A, v < 0 ? orb_null(ORB_T_BOOL) : orb_bool(v != 0), BOOL_T());
}

static orb_expr *node(orb_expr_kind k, int n, orb_expr *a, orb_expr *b) {
  orb_expr *x = orb_expr_new(&A, k, BOOL_T(), n);
  x->args[0] = a;
  if (n > 1) x->args[1] = b;
  return x;
}

static int eval_tri(orb_expr *x) {
  orb_value v;
  orb_err e;
  assert_int_equal(orb_expr_eval(x, &ctx, NULL, &v, &e), ORB_OK);
  return v.isnull ? -1 : v.u.b;
}

static orb_expr *i32(int64_t v) { return orb_expr_const(&A, orb_int(ORB_T_INT32, v), orb_type_make(ORB_T_INT32)); }
static orb_expr *null_i32(void) { return orb_expr_const(&A, orb_null(ORB_T_INT32), orb_type_make(ORB_T_INT32)); }
static orb_expr *txt(const char *s) { return orb_expr_const(&A, orb_text(s, strlen(s)), orb_type_make(ORB_T_TEXT)); }

static void test_three_valued_logic(void **state) {
  (void)state;
  const int vals[] = {1, 0, -1};
  /* PostgreSQL's truth tables */
  const int and_tab[3][3] = {{1, 0, -1}, {0, 0, 0}, {-1, 0, -1}};
  const int or_tab[3][3] = {{1, 1, 1}, {1, 0, -1}, {1, -1, -1}};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      assert_int_equal(eval_tri(node(ORB_E_AND, 2, tri(vals[i]), tri(vals[j]))), and_tab[i][j]);
      assert_int_equal(eval_tri(node(ORB_E_OR, 2, tri(vals[i]), tri(vals[j]))), or_tab[i][j]);
    }
  assert_int_equal(eval_tri(node(ORB_E_NOT, 1, tri(-1), NULL)), -1);
  assert_int_equal(eval_tri(node(ORB_E_NOT, 1, tri(0), NULL)), 1);
  /* NULL = NULL is NULL; IS NOT DISTINCT FROM says true */
  orb_expr *eq = node(ORB_E_CMP, 2, null_i32(), null_i32());
  eq->op = ORB_CMP_EQ;
  assert_int_equal(eval_tri(eq), -1);
  orb_expr *nd = node(ORB_E_DISTINCT, 2, null_i32(), null_i32());
  nd->flags = ORB_EF_NEGATE;
  assert_int_equal(eval_tri(nd), 1);
  orb_expr *isu = node(ORB_E_IS_BOOL, 1, tri(-1), NULL);
  isu->op = 2;
  assert_int_equal(eval_tri(isu), 1);
  /* WHERE semantics: NULL is not true */
  bool r = true;
  orb_err e;
  assert_int_equal(orb_expr_test(tri(-1), &ctx, NULL, &r, &e), ORB_OK);
  assert_false(r);
}

static orb_expr *in_list(orb_expr *x, int n, orb_expr **items, bool negate) {
  orb_expr *in = orb_expr_new(&A, ORB_E_IN, BOOL_T(), n + 1);
  in->args[0] = x;
  for (int i = 0; i < n; i++) in->args[i + 1] = items[i];
  if (negate) in->flags = ORB_EF_NEGATE;
  return in;
}

static void test_in_with_nulls(void **state) {
  (void)state;
  orb_expr *l1[] = {i32(1), i32(2)};
  orb_expr *l2[] = {i32(1), null_i32()};
  assert_int_equal(eval_tri(in_list(i32(2), 2, l1, false)), 1);
  assert_int_equal(eval_tri(in_list(i32(3), 2, l1, false)), 0);
  assert_int_equal(eval_tri(in_list(i32(3), 2, l2, false)), -1);   /* 3 IN (1, NULL) is NULL */
  assert_int_equal(eval_tri(in_list(i32(1), 2, l2, false)), 1);
  assert_int_equal(eval_tri(in_list(i32(3), 2, l2, true)), -1);    /* NOT IN with a NULL never says true */
  assert_int_equal(eval_tri(in_list(null_i32(), 2, l1, false)), -1);
}

static int like(const char *s, const char *p, bool icase) {
  orb_expr *x = node(ORB_E_LIKE, 2, txt(s), txt(p));
  if (icase) x->flags = ORB_EF_ICASE;
  return eval_tri(x);
}

static void test_like(void **state) {
  (void)state;
  assert_int_equal(like("hello", "h%o", false), 1);
  assert_int_equal(like("hello", "h_llo", false), 1);
  assert_int_equal(like("hello", "H%", false), 0);
  assert_int_equal(like("hello", "H%", true), 1);
  assert_int_equal(like("50%", "50\\%", false), 1);
  assert_int_equal(like("500", "50\\%", false), 0);
  assert_int_equal(like("h\xc3\xa9llo", "h_llo", false), 1);   /* _ is one character, not one byte */
  assert_int_equal(like("", "%", false), 1);
  assert_int_equal(like("abc", "%%%c", false), 1);
}

static void test_case_coalesce(void **state) {
  (void)state;
  orb_expr *c = orb_expr_new(&A, ORB_E_CASE, orb_type_make(ORB_T_INT32), 5);
  c->args[0] = tri(-1);
  c->args[1] = i32(1);
  c->args[2] = tri(1);
  c->args[3] = i32(2);
  c->args[4] = i32(3);
  c->flags = ORB_EF_HAS_ELSE;
  orb_value v;
  orb_err e;
  assert_int_equal(orb_expr_eval(c, &ctx, NULL, &v, &e), ORB_OK);
  assert_int_equal(v.u.i, 2);   /* a NULL condition is not taken */
  orb_expr *co = orb_expr_new(&A, ORB_E_COALESCE, orb_type_make(ORB_T_INT32), 3);
  co->args[0] = null_i32();
  co->args[1] = i32(7);
  co->args[2] = i32(8);
  assert_int_equal(orb_expr_eval(co, &ctx, NULL, &v, &e), ORB_OK);
  assert_int_equal(v.u.i, 7);
}

static orb_status call(const char *name, int n, orb_expr **args, orb_value *out, orb_err *e) {
  const orb_func *f = orb_func_lookup(name);
  assert_non_null(f);
  orb_type types[4], rt;
  for (int i = 0; i < n; i++) types[i] = args[i]->type;
  orb_status st = f->resolve(f, n, types, &rt, e);
  if (st != ORB_OK) return st;
  orb_expr *x = orb_expr_new(&A, ORB_E_FUNC, rt, n);
  x->func = f;
  for (int i = 0; i < n; i++) {
    x->args[i] = args[i];
    if (!orb_type_equal(args[i]->type, types[i])) {
      orb_expr *c = orb_expr_new(&A, ORB_E_CAST, types[i], 1);
      c->args[0] = args[i];
      x->args[i] = c;
    }
  }
  return orb_expr_eval(x, &ctx, NULL, out, e);
}

static const char *str(const orb_value *v) {
  orb_buf b = ORB_BUF_INIT;
  orb_value_to_text(v, &b);
  const char *s = orb_arena_strdup(&A, b.data ? b.data : "");
  orb_buf_free(&b);
  return v->isnull ? "NULL" : s;
}

static void test_functions(void **state) {
  (void)state;
  orb_value v;
  orb_err e;
  orb_expr *a1[] = {txt("h\xc3\xa9llo")};
  assert_int_equal(call("length", 1, a1, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "5");
  assert_int_equal(call("upper", 1, a1, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "H\xc3\x89LLO");
  orb_expr *a2[] = {txt("hello"), i32(-1), i32(3)};
  assert_int_equal(call("substring", 3, a2, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "h");   /* PostgreSQL: characters -1..1 */
  orb_expr *a3[] = {txt("a,b,,c"), txt(","), i32(4)};
  assert_int_equal(call("split_part", 3, a3, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "c");
  orb_expr *a4[] = {null_i32(), i32(3), i32(1)};
  assert_int_equal(call("greatest", 3, a4, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "3");
  orb_expr *a5[] = {orb_expr_const(&A, orb_float(ORB_T_FLOAT64, 2.5), orb_type_make(ORB_T_FLOAT64))};
  assert_int_equal(call("round", 1, a5, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "2");   /* float round: half to even */
  orb_expr *a6[] = {orb_expr_const(&A, orb_float(ORB_T_FLOAT64, -1), orb_type_make(ORB_T_FLOAT64))};
  assert_int_equal(call("sqrt", 1, a6, &v, &e), ORB_ERR_RANGE);
  assert_string_equal(e.msg, "cannot take square root of a negative number");
  orb_value ts;
  assert_int_equal(orb_value_from_text("2026-11-25 13:14:15", 19, orb_type_make(ORB_T_TIMESTAMP), &A, &ts, &e), ORB_OK);
  orb_expr *a7[] = {txt("week"), orb_expr_const(&A, ts, orb_type_make(ORB_T_TIMESTAMP))};
  assert_int_equal(call("date_trunc", 2, a7, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "2026-11-23 00:00:00");
  orb_expr *a8[] = {txt("dow"), orb_expr_const(&A, ts, orb_type_make(ORB_T_TIMESTAMP))};
  assert_int_equal(call("extract", 2, a8, &v, &e), ORB_OK);
  assert_string_equal(str(&v), "3");
  assert_null(orb_func_lookup("no_such_function"));
}

static void test_fold_and_pushdown(void **state) {
  (void)state;
  /* (1 + 2) folds to a constant; a division by zero among constants errors at once */
  orb_expr *add = orb_expr_new(&A, ORB_E_ARITH, orb_type_make(ORB_T_INT32), 2);
  add->op = ORB_ARITH_ADD;
  add->args[0] = i32(1);
  add->args[1] = i32(2);
  orb_err e;
  assert_int_equal(orb_expr_fold(&A, &add, &ctx, &e), ORB_OK);
  assert_int_equal(add->kind, ORB_E_CONST);
  assert_int_equal(add->value.u.i, 3);
  orb_expr *div = orb_expr_new(&A, ORB_E_ARITH, orb_type_make(ORB_T_INT32), 2);
  div->op = ORB_ARITH_DIV;
  div->args[0] = i32(1);
  div->args[1] = i32(0);
  div->pos = 12;
  assert_int_equal(orb_expr_fold(&A, &div, &ctx, &e), ORB_ERR_DIVZERO);
  assert_int_equal(e.pos, 0);   /* a run-time error: no position, as in PostgreSQL */
  /* col0 IN (3, 1, 3) AND col1 > 5 pins col0 to {3, 1}, not col1 */
  orb_expr *col0 = orb_expr_column(&A, 0, orb_type_make(ORB_T_INT64));
  orb_expr *col1 = orb_expr_column(&A, 1, orb_type_make(ORB_T_INT32));
  orb_expr *items[] = {i32(3), i32(1), i32(3)};
  orb_expr *gt = node(ORB_E_CMP, 2, col1, i32(5));
  gt->op = ORB_CMP_GT;
  orb_expr *pred = node(ORB_E_AND, 2, in_list(col0, 3, items, false), gt);
  orb_value *vals;
  int n;
  assert_true(orb_expr_pinned_values(&A, pred, 0, &ctx, &vals, &n));
  assert_int_equal(n, 2);
  assert_int_equal(vals[0].type, ORB_T_INT64);   /* cast to the column's type */
  assert_false(orb_expr_pinned_values(&A, pred, 1, &ctx, &vals, &n));
  orb_expr **conj;
  assert_int_equal(orb_expr_conjuncts(&A, pred, &conj), 2);
  assert_false(orb_expr_is_rowless(pred));
  const char *names[] = {"id", "amount"};
  orb_buf b = ORB_BUF_INIT;
  orb_expr_format(pred, names, &b);
  assert_string_equal(b.data, "((id IN (3, 1, 3)) AND (amount > 5))");
  orb_buf_free(&b);
}

int main(void) {
  orb_arena_init(&A, 65536);
  ctx.arena = &A;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_three_valued_logic), cmocka_unit_test(test_in_with_nulls),
      cmocka_unit_test(test_like),               cmocka_unit_test(test_case_coalesce),
      cmocka_unit_test(test_functions),          cmocka_unit_test(test_fold_and_pushdown),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  orb_arena_free(&A);
  return rc;
}
