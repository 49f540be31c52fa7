/* tests/expr/test_expr.c — the expression layer against PostgreSQL's
** semantics: three-valued logic, IN with NULLs and long lists (hash sets),
** LIKE/ILIKE with '%', '_', escapes and UTF-8, CASE/COALESCE/NULLIF,
** builtin functions and their resolvers, folding, pushdown analysis
** (conjuncts, pinned values) and EXPLAIN text.  Trees are built by hand, as
** the binder would build them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/md5.h"
#include "expr/expr.h"
#include "expr/func.h"
#include "types/value.h"

static orb_arena A;        /* trees */
static orb_arena R;        /* per-row values */
static orb_eval_ctx ctx;

static int setup(void **state) {
  (void)state;
  orb_arena_init(&A, 0);
  orb_arena_init(&R, 0);
  memset(&ctx, 0, sizeof ctx);
  ctx.arena = &R;
  ctx.stmt_time = 1767261600LL * 1000000;   /* 2026-01-01 10:00:00 UTC */
  return 0;
}
static int teardown(void **state) {
  (void)state;
  orb_arena_free(&A);
  orb_arena_free(&R);
  return 0;
}

/* --- tree builders --------------------------------------------------------------- */

static orb_type T(orb_type_id id) { return orb_type_make(id); }

static orb_expr *k_bool(int v) {   /* -1 = NULL */
  return orb_expr_const(&A, v < 0 ? orb_null(ORB_T_BOOL) : orb_bool(v != 0), T(ORB_T_BOOL));
}
static orb_expr *k_int(int64_t v) { return orb_expr_const(&A, orb_int(ORB_T_INT32, v), T(ORB_T_INT32)); }
static orb_expr *k_null(orb_type_id t) { return orb_expr_const(&A, orb_null(t), T(t)); }
static orb_expr *k_text(const char *s) { return orb_expr_const(&A, orb_text(s, strlen(s)), T(ORB_T_TEXT)); }
static orb_expr *k_f64(double f) { return orb_expr_const(&A, orb_float(ORB_T_FLOAT64, f), T(ORB_T_FLOAT64)); }
static orb_expr *k_dec(__int128 v, int scale) {
  return orb_expr_const(&A, orb_decimal(v, scale), orb_type_decimal(38, scale));
}
static orb_expr *col(int slot, orb_type_id t) { return orb_expr_column(&A, slot, T(t)); }

static orb_expr *mk(orb_expr_kind k, orb_type_id t, int n, ...) {
  orb_expr *x = orb_expr_new(&A, k, T(t), n);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) x->args[i] = va_arg(ap, orb_expr *);
  va_end(ap);
  return x;
}
static orb_expr *cmp(orb_cmp_op op, orb_expr *l, orb_expr *r) {
  orb_expr *x = mk(ORB_E_CMP, ORB_T_BOOL, 2, l, r);
  x->op = (uint8_t)op;
  return x;
}
static orb_expr *in_list(orb_expr *x, int n, orb_expr **items, bool negate) {
  orb_expr *e = orb_expr_new(&A, ORB_E_IN, T(ORB_T_BOOL), n + 1);
  e->args[0] = x;
  for (int i = 0; i < n; i++) e->args[i + 1] = items[i];
  e->flags = negate ? ORB_EF_NEGATE : 0;
  return e;
}
static orb_expr *like(orb_expr *s, orb_expr *p, uint16_t flags) {
  orb_expr *x = mk(ORB_E_LIKE, ORB_T_BOOL, 2, s, p);
  x->flags = flags;
  return x;
}

/* A function call as the binder makes it: resolve, then cast arguments the
** resolver asked for.  Returns NULL and fills *err when resolution fails. */
static orb_expr *call(const char *name, int n, orb_expr **args, orb_err *err) {
  const orb_func *f = orb_func_lookup(name);
  assert_non_null(f);
  orb_type types[16];
  for (int i = 0; i < n; i++) types[i] = args[i]->type;
  orb_type res;
  if (f->resolve(f, n, types, &res, err) != ORB_OK) return NULL;
  orb_expr *x = orb_expr_new(&A, ORB_E_FUNC, res, n);
  x->func = f;
  for (int i = 0; i < n; i++) {
    if (types[i].id != args[i]->type.id) {
      orb_expr *c = orb_expr_new(&A, ORB_E_CAST, types[i], 1);
      c->args[0] = args[i];
      args[i] = c;
    }
    x->args[i] = args[i];
  }
  return x;
}
static orb_expr *fn(const char *name, int n, ...) {
  orb_expr *args[16];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, orb_expr *);
  va_end(ap);
  orb_err err;
  orb_expr *x = call(name, n, args, &err);
  if (!x) fail_msg("%s: %s", name, err.msg);
  return x;
}

/* --- evaluation helpers --------------------------------------------------------------- */

static orb_value eval_row(orb_expr *x, const orb_value *row) {
  orb_value v;
  orb_err err;
  orb_err_clear(&err);
  orb_status st = orb_expr_eval(x, &ctx, row, &v, &err);
  if (st != ORB_OK) fail_msg("unexpected error: %s", err.msg);
  return v;
}
static orb_value eval(orb_expr *x) { return eval_row(x, NULL); }

static int tri(orb_expr *x) {
  orb_value v = eval(x);
  return v.isnull ? -1 : v.u.b;
}

/* The value's text output (NULL prints as "NULL"), from a static buffer. */
static const char *show(orb_value v) {
  static char out[4][256];
  static int k;
  char *s = out[k++ & 3];
  if (v.isnull) return strcpy(s, "NULL");
  orb_buf b = ORB_BUF_INIT;
  orb_value_to_text(&v, &b);
  snprintf(s, 256, "%.*s", (int)b.len, b.data ? b.data : "");
  orb_buf_free(&b);
  return s;
}
static const char *ev(orb_expr *x) { return show(eval(x)); }

/* Evaluate expecting an error; returns its SQLSTATE. */
static const char *eval_err(orb_expr *x, orb_err *err) {
  orb_value v;
  orb_err_clear(err);
  assert_int_not_equal(orb_expr_eval(x, &ctx, NULL, &v, err), ORB_OK);
  return orb_err_sqlstate(err);
}

static const char *fmt(const orb_expr *x, const char *const *names) {
  static char s[512];
  orb_buf b = ORB_BUF_INIT;
  orb_expr_format(x, names, &b);
  snprintf(s, sizeof s, "%.*s", (int)b.len, b.data ? b.data : "");
  orb_buf_free(&b);
  return s;
}

/* --- three-valued logic --------------------------------------------------------------- */

static void test_truth_tables(void **state) {
  (void)state;
  const int v[3] = {1, 0, -1};
  /* PostgreSQL: AND is false if any is false, else NULL if any NULL; OR dually */
  const int and_t[3][3] = {{1, 0, -1}, {0, 0, 0}, {-1, 0, -1}};
  const int or_t[3][3] = {{1, 1, 1}, {1, 0, -1}, {1, -1, -1}};
  const int not_t[3] = {0, 1, -1};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(tri(mk(ORB_E_NOT, ORB_T_BOOL, 1, k_bool(v[i]))), not_t[i]);
    for (int j = 0; j < 3; j++) {
      assert_int_equal(tri(mk(ORB_E_AND, ORB_T_BOOL, 2, k_bool(v[i]), k_bool(v[j]))), and_t[i][j]);
      assert_int_equal(tri(mk(ORB_E_OR, ORB_T_BOOL, 2, k_bool(v[i]), k_bool(v[j]))), or_t[i][j]);
    }
  }
  /* n-ary: one false decides AND even after NULLs; a true decides OR */
  assert_int_equal(tri(mk(ORB_E_AND, ORB_T_BOOL, 4, k_bool(1), k_bool(-1), k_bool(1), k_bool(0))), 0);
  assert_int_equal(tri(mk(ORB_E_AND, ORB_T_BOOL, 3, k_bool(1), k_bool(-1), k_bool(1))), -1);
  assert_int_equal(tri(mk(ORB_E_OR, ORB_T_BOOL, 3, k_bool(0), k_bool(-1), k_bool(1))), 1);

  /* IS [NOT] TRUE / FALSE / UNKNOWN never yield NULL */
  for (int i = 0; i < 3; i++)
    for (int op = 0; op < 3; op++)
      for (int neg = 0; neg < 2; neg++) {
        orb_expr *x = mk(ORB_E_IS_BOOL, ORB_T_BOOL, 1, k_bool(v[i]));
        x->op = (uint8_t)op;
        x->flags = neg ? ORB_EF_NEGATE : 0;
        bool is = op == 2 ? v[i] == -1 : v[i] == op;
        assert_int_equal(tri(x), is != (neg != 0));
      }

  /* IS [NOT] NULL */
  orb_expr *isn = mk(ORB_E_IS_NULL, ORB_T_BOOL, 1, k_null(ORB_T_INT32));
  assert_int_equal(tri(isn), 1);
  isn->flags = ORB_EF_NEGATE;
  assert_int_equal(tri(isn), 0);
  assert_int_equal(tri(mk(ORB_E_IS_NULL, ORB_T_BOOL, 1, k_int(0))), 0);

  /* WHERE semantics: NULL is not true */
  bool r = true;
  orb_err err;
  assert_int_equal(orb_expr_test(k_bool(-1), &ctx, NULL, &r, &err), ORB_OK);
  assert_false(r);
  assert_int_equal(orb_expr_test(k_bool(1), &ctx, NULL, &r, &err), ORB_OK);
  assert_true(r);
}

static void test_comparisons(void **state) {
  (void)state;
  /* each operator over (1,2), (2,2), (3,2) */
  const int want[6][3] = {{0, 1, 0}, {1, 0, 1}, {1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}};
  for (int op = 0; op < 6; op++)
    for (int l = 1; l <= 3; l++) assert_int_equal(tri(cmp((orb_cmp_op)op, k_int(l), k_int(2))), want[op][l - 1]);
  /* NULL on either side is NULL, for every operator */
  for (int op = 0; op < 6; op++) {
    assert_int_equal(tri(cmp((orb_cmp_op)op, k_null(ORB_T_INT32), k_int(2))), -1);
    assert_int_equal(tri(cmp((orb_cmp_op)op, k_int(2), k_null(ORB_T_INT32))), -1);
  }
  /* text compares bytewise (C collation); decimals by value across scales */
  assert_int_equal(tri(cmp(ORB_CMP_LT, k_text("abc"), k_text("abd"))), 1);
  assert_int_equal(tri(cmp(ORB_CMP_LT, k_text("ab"), k_text("abc"))), 1);
  assert_int_equal(tri(cmp(ORB_CMP_EQ, k_dec(150, 2), k_dec(15, 1))), 1);

  /* IS [NOT] DISTINCT FROM treats NULL as a value */
  struct {
    orb_expr *l, *r;
    int distinct;
  } d[] = {{k_null(ORB_T_INT32), k_null(ORB_T_INT32), 0},
           {k_null(ORB_T_INT32), k_int(1), 1},
           {k_int(1), k_null(ORB_T_INT32), 1},
           {k_int(1), k_int(1), 0},
           {k_int(1), k_int(2), 1}};
  for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
    orb_expr *x = mk(ORB_E_DISTINCT, ORB_T_BOOL, 2, d[i].l, d[i].r);
    assert_int_equal(tri(x), d[i].distinct);
    x->flags = ORB_EF_NEGATE;
    assert_int_equal(tri(x), !d[i].distinct);
  }
}

/* --- IN ---------------------------------------------------------------------------------- */

static void test_in_nulls(void **state) {
  (void)state;
  orb_expr *with_null[] = {k_int(1), k_null(ORB_T_INT32), k_int(3)};
  orb_expr *plain[] = {k_int(1), k_int(3)};
  /* found -> true even with a NULL in the list */
  assert_int_equal(tri(in_list(k_int(3), 3, with_null, false)), 1);
  /* not found, list has NULL -> NULL (and NOT IN is NULL too) */
  assert_int_equal(tri(in_list(k_int(2), 3, with_null, false)), -1);
  assert_int_equal(tri(in_list(k_int(2), 3, with_null, true)), -1);
  /* not found, no NULL -> false; NOT IN -> true */
  assert_int_equal(tri(in_list(k_int(2), 2, plain, false)), 0);
  assert_int_equal(tri(in_list(k_int(2), 2, plain, true)), 1);
  assert_int_equal(tri(in_list(k_int(1), 2, plain, true)), 0);
  /* NULL IN (...) is NULL */
  assert_int_equal(tri(in_list(k_null(ORB_T_INT32), 2, plain, false)), -1);
  assert_int_equal(tri(in_list(k_null(ORB_T_INT32), 2, plain, true)), -1);
  /* items may be expressions of the row */
  orb_expr *items[] = {col(1, ORB_T_INT32), k_int(9)};
  orb_value row[2] = {orb_int(ORB_T_INT32, 5), orb_int(ORB_T_INT32, 5)};
  orb_value v = eval_row(in_list(col(0, ORB_T_INT32), 2, items, false), row);
  assert_true(!v.isnull && v.u.b);
}

/* A long constant list answers through its hash set after folding, with
** exactly the linear search's results (including NULL handling). */
static void test_in_long_list(void **state) {
  (void)state;
  enum { N = 200 };
  for (int has_null = 0; has_null < 2; has_null++) {
    orb_expr *items[N + 1];
    int n = 0;
    for (int i = 0; i < N; i++) items[n++] = k_int(i * 7);   /* 0, 7, 14, ... */
    items[5] = k_int(0);                                     /* a duplicate */
    if (has_null) items[n++] = k_null(ORB_T_INT32);
    orb_expr *linear = in_list(col(0, ORB_T_INT32), n, items, false);
    orb_expr *hashed = orb_expr_clone(&A, linear);
    orb_err err;
    assert_int_equal(orb_expr_fold(&A, &hashed, &ctx, &err), ORB_OK);
    assert_non_null(hashed->cache);
    assert_null(linear->cache);
    orb_expr *neg = orb_expr_clone(&A, hashed);
    neg->flags = ORB_EF_NEGATE;
    assert_non_null(neg->cache);   /* a clone of a hashed list is hashed too */
    for (int x = -3; x < N * 7 + 3; x++) {
      orb_value row[1] = {orb_int(ORB_T_INT32, x)};
      orb_value a = eval_row(linear, row), b = eval_row(hashed, row), c = eval_row(neg, row);
      assert_int_equal(a.isnull, b.isnull);
      if (!a.isnull) assert_int_equal(a.u.b, b.u.b);
      bool member = x >= 0 && x < N * 7 && x % 7 == 0 && x != 35;   /* items[5] (35) was replaced */
      assert_int_equal(b.isnull, !member && has_null);
      if (!b.isnull) assert_int_equal(b.u.b, member);
      assert_int_equal(c.isnull, b.isnull);
      if (!c.isnull) assert_int_equal(c.u.b, !b.u.b);
    }
    orb_value row[1] = {orb_null(ORB_T_INT32)};
    assert_true(eval_row(hashed, row).isnull);
  }
  /* text list */
  orb_expr *words[20];
  char buf[20][8];
  for (int i = 0; i < 20; i++) {
    snprintf(buf[i], sizeof buf[i], "w%d", i);
    words[i] = k_text(buf[i]);
  }
  orb_expr *x = in_list(col(0, ORB_T_TEXT), 20, words, false);
  orb_err err;
  assert_int_equal(orb_expr_fold(&A, &x, &ctx, &err), ORB_OK);
  assert_non_null(x->cache);
  orb_value row[1] = {orb_text("w13", 3)};
  assert_true(eval_row(x, row).u.b);
  row[0] = orb_text("w20", 3);
  assert_false(eval_row(x, row).u.b);
}

/* --- LIKE ---------------------------------------------------------------------------------- */

static int like_t(const char *s, const char *p, uint16_t flags) { return tri(like(k_text(s), k_text(p), flags)); }

static void test_like(void **state) {
  (void)state;
  struct {
    const char *s, *p;
    int like, ilike;
  } c[] = {
      {"abc", "abc", 1, 1},       {"abc", "ab", 0, 0},        {"abc", "a%", 1, 1},
      {"abc", "%c", 1, 1},        {"abc", "%b%", 1, 1},       {"abc", "_b_", 1, 1},
      {"abc", "__", 0, 0},        {"abc", "____", 0, 0},      {"", "%", 1, 1},
      {"", "_", 0, 0},            {"", "", 1, 1},             {"abc", "%%%", 1, 1},
      {"ABC", "a%", 0, 1},        {"abc", "A_C", 0, 1},       {"a%c", "a\\%c", 1, 1},
      {"abc", "a\\%c", 0, 0},     {"a_c", "a\\_c", 1, 1},     {"abc", "a\\_c", 0, 0},
      {"a\\c", "a\\\\c", 1, 1},   {"abc", "a\\bc", 1, 1},     {"mississippi", "%iss%ip%", 1, 1},
      {"mississippi", "m%ss%ss%", 1, 1}, {"mississippi", "m%ss%ss%ss%", 0, 0}, {"aaab", "%a_b", 1, 1}, {"ab", "%a_b", 0, 0},
      /* UTF-8: '_' is one character, not one byte */
      {"\xc3\xa9t\xc3\xa9", "_t_", 1, 1},   {"\xc3\xa9t\xc3\xa9", "___", 1, 1},
      {"\xc3\xa9t\xc3\xa9", "_____", 0, 0}, {"\xc3\xa9t\xc3\xa9", "%_", 1, 1},
      {"na\xc3\xafve", "na_ve", 1, 1},      {"\xe2\x82\xac", "_", 1, 1},
      /* ILIKE is lower(s) LIKE lower(p), beyond ASCII too */
      {"\xc3\x89T\xc3\x89", "\xc3\xa9t\xc3\xa9", 0, 1}, {"\xc3\x89T\xc3\x89", "_t%", 0, 1},
      {"\xc3\x89t\xc3\xa9", "%\xc3\x89", 0, 1},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    if (like_t(c[i].s, c[i].p, 0) != c[i].like) fail_msg("'%s' LIKE '%s'", c[i].s, c[i].p);
    if (like_t(c[i].s, c[i].p, ORB_EF_ICASE) != c[i].ilike) fail_msg("'%s' ILIKE '%s'", c[i].s, c[i].p);
    assert_int_equal(like_t(c[i].s, c[i].p, ORB_EF_NEGATE), !c[i].like);
  }
  /* NULL on either side */
  assert_int_equal(tri(like(k_null(ORB_T_TEXT), k_text("%"), 0)), -1);
  assert_int_equal(tri(like(k_text("a"), k_null(ORB_T_TEXT), ORB_EF_NEGATE)), -1);
  /* a pattern ending in the escape character is an error when matching reaches the escape, as in
  ** PostgreSQL: not when the text runs out or differs before it */
  assert_int_equal(tri(like(k_text("a"), k_text("a\\"), 0)), 0);
  assert_int_equal(tri(like(k_text("b"), k_text("a\\"), 0)), 0);
  orb_err err;
  orb_expr *bad = like(k_text("ab"), k_text("a\\"), 0);
  bad->pos = 12;
  assert_string_equal(eval_err(bad, &err), "22025");
  assert_string_equal(err.msg, "LIKE pattern must not end with escape character");
  assert_int_equal(err.pos, 0);   /* a run-time error: no position */
  /* no exponential backtracking: many '%' against a long non-matching string */
  char s[4001], p[64];
  memset(s, 'a', 4000);
  s[4000] = 0;
  strcpy(p, "%a%a%a%a%a%a%a%a%a%a%a%a%b");
  assert_int_equal(like_t(s, p, 0), 0);
  s[3999] = 'b';
  assert_int_equal(like_t(s, p, 0), 1);
}

/* --- CASE, COALESCE, NULLIF, arithmetic, casts ----------------------------------------------------- */

static void test_case_coalesce_nullif(void **state) {
  (void)state;
  /* CASE WHEN NULL THEN 1 WHEN false THEN 2 WHEN true THEN 3 ELSE 4 END = 3 */
  orb_expr *c = mk(ORB_E_CASE, ORB_T_INT32, 7, k_bool(-1), k_int(1), k_bool(0), k_int(2), k_bool(1), k_int(3), k_int(4));
  c->flags = ORB_EF_HAS_ELSE;
  assert_string_equal(ev(c), "3");
  /* no branch taken: ELSE, or NULL without ELSE */
  c = mk(ORB_E_CASE, ORB_T_INT32, 3, k_bool(0), k_int(1), k_int(4));
  c->flags = ORB_EF_HAS_ELSE;
  assert_string_equal(ev(c), "4");
  c = mk(ORB_E_CASE, ORB_T_INT32, 2, k_bool(-1), k_int(1));
  orb_value v = eval(c);
  assert_true(v.isnull);
  assert_int_equal(v.type, ORB_T_INT32);
  /* untaken branches are not evaluated: CASE WHEN false THEN 1/0 ELSE 5 END */
  orb_expr *div = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(1), k_int(0));
  div->op = ORB_ARITH_DIV;
  c = mk(ORB_E_CASE, ORB_T_INT32, 3, k_bool(0), div, k_int(5));
  c->flags = ORB_EF_HAS_ELSE;
  assert_string_equal(ev(c), "5");

  assert_string_equal(ev(mk(ORB_E_COALESCE, ORB_T_INT32, 3, k_null(ORB_T_INT32), k_int(7), div)), "7");
  assert_true(eval(mk(ORB_E_COALESCE, ORB_T_INT32, 2, k_null(ORB_T_INT32), k_null(ORB_T_INT32))).isnull);

  assert_true(eval(mk(ORB_E_NULLIF, ORB_T_INT32, 2, k_int(1), k_int(1))).isnull);
  assert_string_equal(ev(mk(ORB_E_NULLIF, ORB_T_INT32, 2, k_int(1), k_int(2))), "1");
  assert_string_equal(ev(mk(ORB_E_NULLIF, ORB_T_INT32, 2, k_int(1), k_null(ORB_T_INT32))), "1");
  assert_true(eval(mk(ORB_E_NULLIF, ORB_T_INT32, 2, k_null(ORB_T_INT32), k_int(1))).isnull);
}

static void test_arith_concat_cast(void **state) {
  (void)state;
  orb_expr *add = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(2), k_int(3));
  add->op = ORB_ARITH_ADD;
  assert_string_equal(ev(add), "5");
  orb_expr *neg = mk(ORB_E_ARITH, ORB_T_INT32, 1, k_int(4));
  neg->op = ORB_E_OP_NEG;
  assert_string_equal(ev(neg), "-4");
  orb_expr *nul = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(2), k_null(ORB_T_INT32));
  nul->op = ORB_ARITH_MUL;
  assert_true(eval(nul).isnull);
  /* errors of evaluation carry no position (PostgreSQL's run-time errors have none) */
  orb_expr *div = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(1), k_int(0));
  div->op = ORB_ARITH_DIV;
  div->pos = 8;
  orb_err err;
  assert_string_equal(eval_err(div, &err), "22012");
  assert_int_equal(err.pos, 0);
  orb_expr *ovf = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(2147483647), k_int(1));
  ovf->op = ORB_ARITH_ADD;
  assert_string_equal(eval_err(ovf, &err), "22003");

  orb_expr *cat = mk(ORB_E_ARITH, ORB_T_TEXT, 2, k_text("ab"), k_text("cd"));
  cat->op = ORB_E_OP_CONCAT;
  assert_string_equal(ev(cat), "abcd");
  cat->args[1] = k_null(ORB_T_TEXT);
  assert_true(eval(cat).isnull);

  orb_expr *cast = mk(ORB_E_CAST, ORB_T_INT32, 1, k_text("42"));
  assert_string_equal(ev(cast), "42");
  cast->args[0] = k_text("4x2");
  cast->pos = 3;
  assert_string_equal(eval_err(cast, &err), "22P02");
  assert_int_equal(err.pos, 0);   /* a cast of a value at run time: no position (a literal's is the binder's) */
  cast->args[0] = k_null(ORB_T_TEXT);
  orb_value v = eval(cast);
  assert_true(v.isnull);
  assert_int_equal(v.type, ORB_T_INT32);

  /* parameters */
  orb_value params[1] = {orb_int(ORB_T_INT32, 11)};
  ctx.params = params;
  ctx.nparams = 1;
  orb_expr *p = orb_expr_new(&A, ORB_E_PARAM, T(ORB_T_INT32), 0);
  assert_string_equal(ev(p), "11");
  ctx.params = NULL;
  ctx.nparams = 0;
}

/* --- functions ----------------------------------------------------------------------------------- */

static void test_string_functions(void **state) {
  (void)state;
  const char *ete = "\xc3\xa9t\xc3\xa9";   /* "été": 3 characters, 5 bytes */
  assert_string_equal(ev(fn("length", 1, k_text(ete))), "3");
  assert_int_equal(fn("length", 1, k_text("x"))->type.id, ORB_T_INT32);
  assert_string_equal(ev(fn("char_length", 1, k_text(ete))), "3");
  assert_string_equal(ev(fn("octet_length", 1, k_text(ete))), "5");
  orb_expr *bytes = orb_expr_const(&A, orb_bytea("\x01\xc3\xa9", 3), T(ORB_T_BYTEA));
  assert_string_equal(ev(fn("length", 1, bytes)), "3");
  assert_string_equal(ev(fn("octet_length", 1, bytes)), "3");
  assert_string_equal(ev(fn("md5", 1, bytes)), "338c9c40935754260c438c9bb8a14506");
  assert_string_equal(ev(fn("upper", 1, k_text("abc-x"))), "ABC-X");
  assert_string_equal(ev(fn("lower", 1, k_text("ABC-X"))), "abc-x");
  /* substring with PostgreSQL's rules for starts before 1 */
  assert_string_equal(ev(fn("substring", 3, k_text("hello"), k_int(2), k_int(3))), "ell");
  assert_string_equal(ev(fn("substring", 3, k_text("hello"), k_int(0), k_int(3))), "he");
  assert_string_equal(ev(fn("substring", 3, k_text("hello"), k_int(-5), k_int(3))), "");
  assert_string_equal(ev(fn("substring", 2, k_text("hello"), k_int(4))), "lo");
  assert_string_equal(ev(fn("substr", 3, k_text(ete), k_int(2), k_int(2))), "t\xc3\xa9");
  orb_err err;
  assert_string_equal(eval_err(fn("substring", 3, k_text("hello"), k_int(1), k_int(-1)), &err), "22011");
  assert_string_equal(ev(fn("position", 2, k_text("lo"), k_text("hello"))), "4");
  assert_string_equal(ev(fn("strpos", 2, k_text(ete), k_text("t"))), "2");
  assert_string_equal(ev(fn("strpos", 2, k_text("abc"), k_text("x"))), "0");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(2))), "b");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(3))), "");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(4))), "c");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(5))), "");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(-1))), "c");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(-4))), "a");
  assert_string_equal(ev(fn("split_part", 3, k_text("a,b,,c"), k_text(","), k_int(-5))), "");
  assert_string_equal(ev(fn("split_part", 3, k_text("a::b"), k_text("::"), k_int(2))), "b");
  assert_string_equal(eval_err(fn("split_part", 3, k_text("a"), k_text(","), k_int(0)), &err), "22023");
  /* more fields than any fixed table would hold */
  static char many[6000];
  size_t o = 0;
  for (int i = 0; i < 1500; i++) o += (size_t)snprintf(many + o, sizeof many - o, "%d,", i % 10);
  many[o - 1] = 0;
  assert_string_equal(ev(fn("split_part", 3, k_text(many), k_text(","), k_int(1500))), "9");
  assert_string_equal(ev(fn("split_part", 3, k_text(many), k_text(","), k_int(-1500))), "0");
  assert_string_equal(ev(fn("lpad", 3, k_text("7"), k_int(3), k_text("0"))), "007");
  assert_string_equal(ev(fn("lpad", 2, k_text("hello"), k_int(2))), "he");
  assert_string_equal(ev(fn("rpad", 3, k_text("ab"), k_int(5), k_text("xy"))), "abxyx");
  assert_string_equal(ev(fn("repeat", 2, k_text("ab"), k_int(3))), "ababab");
  assert_string_equal(ev(fn("repeat", 2, k_text("ab"), k_int(-1))), "");
  assert_string_equal(ev(fn("reverse", 1, k_text(ete))), "\xc3\xa9t\xc3\xa9");
  assert_string_equal(ev(fn("reverse", 1, k_text("abc"))), "cba");
  assert_string_equal(ev(fn("starts_with", 2, k_text("alphabet"), k_text("alph"))), "t");
  assert_string_equal(ev(fn("left", 2, k_text("abcde"), k_int(2))), "ab");
  assert_string_equal(ev(fn("left", 2, k_text("abcde"), k_int(-2))), "abc");
  assert_string_equal(ev(fn("right", 2, k_text("abcde"), k_int(2))), "de");
  assert_string_equal(ev(fn("right", 2, k_text("abcde"), k_int(-2))), "cde");
  assert_string_equal(ev(fn("btrim", 1, k_text("  x  "))), "x");
  assert_string_equal(ev(fn("ltrim", 2, k_text("xxaxx"), k_text("x"))), "axx");
  assert_string_equal(ev(fn("rtrim", 2, k_text("xxaxx"), k_text("x"))), "xxa");
  assert_string_equal(ev(fn("replace", 3, k_text("abcabc"), k_text("b"), k_text("XY"))), "aXYcaXYc");
  /* concat ignores NULLs; concat_ws too, but a NULL separator gives NULL */
  assert_string_equal(ev(fn("concat", 3, k_text("a"), k_null(ORB_T_TEXT), k_int(5))), "a5");
  assert_string_equal(ev(fn("concat_ws", 4, k_text(","), k_text("a"), k_null(ORB_T_TEXT), k_text("b"))), "a,b");
  assert_true(eval(fn("concat_ws", 2, k_null(ORB_T_TEXT), k_text("a"))).isnull);
  /* ordinary functions: NULL in, NULL out */
  assert_true(eval(fn("length", 1, k_null(ORB_T_TEXT))).isnull);
  /* md5: RFC 1321's test suite, through SQL and directly */
  assert_string_equal(ev(fn("md5", 1, k_text(""))), "d41d8cd98f00b204e9800998ecf8427e");
  assert_string_equal(ev(fn("md5", 1, k_text("abc"))), "900150983cd24fb0d6963f7d28e17f72");
  char hex[33];
  const char *digits = "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
  orb_md5_hex(digits, strlen(digits), hex);
  assert_string_equal(hex, "57edf4a22be3c955ac49da2e2107b67a");
  orb_md5_hex("message digest", 14, hex);
  assert_string_equal(hex, "f96b697d7cb7938d525a2f31aaf161d0");
  const char *alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";   /* 62: two tail blocks */
  orb_md5_hex(alnum, strlen(alnum), hex);
  assert_string_equal(hex, "d174ab98d277d9f5a5611c2c9f419d9f");
}

static void test_math_functions(void **state) {
  (void)state;
  /* abs keeps the type */
  orb_expr *x = fn("abs", 1, k_int(-5));
  assert_int_equal(x->type.id, ORB_T_INT32);
  assert_string_equal(ev(x), "5");
  orb_err err;
  assert_string_equal(eval_err(fn("abs", 1, k_int(INT32_MIN)), &err), "22003");
  x = fn("abs", 1, k_dec(-1250, 2));
  assert_int_equal(x->type.id, ORB_T_DECIMAL);
  assert_string_equal(ev(x), "12.50");
  /* round(numeric, int) -> numeric; round(double) -> double, half to even */
  x = fn("round", 2, k_dec(12345, 3), k_int(2));
  assert_int_equal(x->type.id, ORB_T_DECIMAL);
  assert_string_equal(ev(x), "12.35");
  assert_string_equal(ev(fn("round", 1, k_dec(-25, 1))), "-3");
  x = fn("round", 1, k_f64(2.5));
  assert_int_equal(x->type.id, ORB_T_FLOAT64);
  assert_string_equal(ev(x), "2");
  assert_string_equal(ev(fn("round", 2, k_dec(12345, 1), k_int(-2))), "1200");
  assert_string_equal(ev(fn("round", 2, k_dec(-12355, 2), k_int(1))), "-123.6");
  assert_string_equal(ev(fn("trunc", 2, k_dec(12345, 3), k_int(1))), "12.3");
  assert_string_equal(ev(fn("ceil", 1, k_dec(-15, 1))), "-1");
  assert_string_equal(ev(fn("floor", 1, k_dec(-15, 1))), "-2");
  assert_string_equal(ev(fn("floor", 1, k_f64(-1.5))), "-2");
  assert_string_equal(ev(fn("sqrt", 1, k_int(16))), "4");
  assert_string_equal(eval_err(fn("sqrt", 1, k_f64(-1)), &err), "2201F");
  assert_string_equal(ev(fn("power", 2, k_int(2), k_int(10))), "1024");
  assert_string_equal(eval_err(fn("ln", 1, k_f64(0)), &err), "2201E");
  assert_string_equal(ev(fn("mod", 2, k_int(7), k_int(3))), "1");
  assert_string_equal(ev(fn("mod", 2, k_int(-7), k_int(3))), "-1");
  assert_string_equal(eval_err(fn("mod", 2, k_int(7), k_int(0)), &err), "22012");
  assert_string_equal(ev(fn("sign", 1, k_int(-9))), "-1");
  /* greatest/least ignore NULLs; all NULL gives NULL */
  assert_string_equal(ev(fn("greatest", 3, k_int(3), k_null(ORB_T_INT32), k_int(8))), "8");
  assert_string_equal(ev(fn("least", 3, k_int(3), k_null(ORB_T_INT32), k_int(8))), "3");
  assert_true(eval(fn("least", 2, k_null(ORB_T_INT32), k_null(ORB_T_INT32))).isnull);
  /* random() is in [0, 1) and volatile */
  x = fn("random", 0);
  assert_true(x->func->flags & ORB_FN_VOLATILE);
  for (int i = 0; i < 100; i++) {
    double r = eval(x).u.f;
    assert_true(r >= 0 && r < 1);
  }
  /* gen_random_uuid(): version 4, RFC 4122 variant, different each time */
  orb_value u1 = eval(fn("gen_random_uuid", 0)), u2 = eval(fn("gen_random_uuid", 0));
  assert_int_equal(u1.u.uuid[6] >> 4, 4);
  assert_int_equal(u1.u.uuid[8] >> 6, 2);
  assert_memory_not_equal(u1.u.uuid, u2.u.uuid, 16);
}

static orb_expr *k_date(int y, int m, int d) {
  return orb_expr_const(&A, orb_int(ORB_T_DATE, orb_days_from_civil(y, m, d)), T(ORB_T_DATE));
}
static orb_expr *k_ts(int y, int m, int d, int hh, int mi, int ss) {
  int64_t us = orb_days_from_civil(y, m, d) * ORB_USECS_PER_DAY + ((int64_t)hh * 3600 + mi * 60 + ss) * 1000000;
  return orb_expr_const(&A, orb_int(ORB_T_TIMESTAMP, us), T(ORB_T_TIMESTAMP));
}

static void test_datetime_functions(void **state) {
  (void)state;
  /* extract is numeric with PostgreSQL's scales; date_part is double precision */
  orb_expr *x = fn("extract", 2, k_text("year"), k_date(2026, 1, 1));
  assert_int_equal(x->type.id, ORB_T_DECIMAL);
  assert_string_equal(ev(x), "2026");
  assert_string_equal(ev(fn("extract", 2, k_text("epoch"), k_ts(2026, 1, 1, 10, 0, 0))), "1767261600.000000");
  assert_string_equal(ev(fn("extract", 2, k_text("epoch"), k_date(2026, 1, 1))), "1767225600");
  assert_string_equal(ev(fn("extract", 2, k_text("second"), k_ts(2026, 1, 1, 10, 0, 7))), "7.000000");
  assert_string_equal(ev(fn("extract", 2, k_text("dow"), k_date(2026, 1, 1))), "4");   /* a Thursday */
  assert_string_equal(ev(fn("extract", 2, k_text("quarter"), k_date(2026, 5, 1))), "2");
  assert_string_equal(ev(fn("extract", 2, k_text("week"), k_date(2026, 1, 1))), "1");
  x = fn("date_part", 2, k_text("month"), k_ts(2026, 3, 9, 0, 0, 0));
  assert_int_equal(x->type.id, ORB_T_FLOAT64);
  assert_string_equal(ev(x), "3");
  /* date_part reads a date as its midnight; extract refuses time fields of a date */
  assert_string_equal(ev(fn("date_part", 2, k_text("hour"), k_date(2026, 1, 1))), "0");
  orb_err err;
  assert_string_equal(eval_err(fn("extract", 2, k_text("hour"), k_date(2026, 1, 1)), &err), "0A000");
  assert_string_equal(err.msg, "unit \"hour\" not supported for type date");
  assert_string_equal(eval_err(fn("extract", 2, k_text("fortnight"), k_date(2026, 1, 1)), &err), "22023");
  assert_string_equal(err.msg, "unit \"fortnight\" not recognized for type date");
  /* date_trunc */
  x = fn("date_trunc", 2, k_text("month"), k_ts(2026, 3, 9, 12, 30, 1));
  assert_int_equal(x->type.id, ORB_T_TIMESTAMP);
  assert_string_equal(ev(x), "2026-03-01 00:00:00");
  assert_string_equal(ev(fn("date_trunc", 2, k_text("hour"), k_ts(2026, 3, 9, 12, 30, 1))), "2026-03-09 12:00:00");
  assert_string_equal(ev(fn("date_trunc", 2, k_text("week"), k_ts(2026, 1, 1, 12, 0, 0))), "2025-12-29 00:00:00");
  x = fn("date_trunc", 2, k_text("month"), k_date(2026, 3, 9));
  assert_int_equal(x->type.id, ORB_T_TIMESTAMPTZ);
  assert_string_equal(ev(x), "2026-03-01 00:00:00+00");
  /* now() is the statement time; current_date its day */
  x = fn("now", 0);
  assert_int_equal(x->type.id, ORB_T_TIMESTAMPTZ);
  assert_int_equal(eval(x).u.i, ctx.stmt_time);
  assert_string_equal(ev(fn("current_date", 0)), "2026-01-01");
  assert_string_equal(ev(fn("make_date", 3, k_int(2024), k_int(2), k_int(29))), "2024-02-29");
  assert_string_equal(eval_err(fn("make_date", 3, k_int(2025), k_int(2), k_int(29)), &err), "22008");
  assert_string_equal(ev(fn("age", 2, k_ts(2026, 3, 15, 0, 0, 0), k_ts(2024, 1, 20, 0, 0, 0))), "2 years 1 mon 26 days");
  /* PostgreSQL's documented example: a negative day count borrows the earlier date's month */
  assert_string_equal(ev(fn("age", 2, k_ts(2001, 4, 10, 0, 0, 0), k_ts(1957, 6, 13, 0, 0, 0))), "43 years 9 mons 27 days");
  assert_string_equal(ev(fn("age", 2, k_ts(1957, 6, 13, 0, 0, 0), k_ts(2001, 4, 10, 0, 0, 0))), "-43 years -9 mons -27 days");
  x = fn("to_timestamp", 1, k_f64(0));
  assert_int_equal(x->type.id, ORB_T_TIMESTAMPTZ);
  assert_int_equal(eval(x).u.i, 0);
}

static void test_function_resolution(void **state) {
  (void)state;
  assert_null(orb_func_lookup("no_such_function"));
  assert_null(orb_func_lookup("LOWER"));   /* names are looked up lower-case */
  const char *names[] = {"lower", "upper", "length", "char_length", "octet_length", "substring", "substr",
                         "position", "strpos", "btrim", "ltrim", "rtrim", "replace", "concat", "concat_ws",
                         "left", "right", "lpad", "rpad", "repeat", "reverse", "starts_with", "split_part",
                         "md5", "abs", "round", "trunc", "ceil", "ceiling", "floor", "sqrt", "cbrt", "power",
                         "pow", "exp", "ln", "log", "mod", "sign", "pi", "random", "greatest", "least", "now",
                         "current_timestamp", "current_date", "extract", "date_part", "date_trunc", "age",
                         "make_date", "to_timestamp", "gen_random_uuid"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const orb_func *f = orb_func_lookup(names[i]);
    if (!f) fail_msg("function %s is missing", names[i]);
    assert_string_equal(f->name, names[i]);
  }
  /* wrong argument types are refused at resolution */
  orb_err err;
  orb_expr *bad[] = {k_date(2026, 1, 1)};
  assert_null(call("length", 1, bad, &err));
  assert_int_equal(err.code, ORB_ERR_UNDEFINED);
  orb_expr *bad2[] = {k_text("x"), k_date(2026, 1, 1)};
  assert_null(call("repeat", 2, bad2, &err));
  /* resolvers ask for casts: sqrt(integer) takes double precision */
  orb_expr *x = fn("sqrt", 1, k_int(9));
  assert_int_equal(x->args[0]->kind, ORB_E_CAST);
  assert_int_equal(x->args[0]->type.id, ORB_T_FLOAT64);
  assert_int_equal(x->type.id, ORB_T_FLOAT64);
}

/* --- folding and pushdown analysis ------------------------------------------------------------------- */

static void test_fold(void **state) {
  (void)state;
  orb_err err;
  /* (1 + 2) * c0: the constant subtree folds, the column stays */
  orb_expr *add = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(1), k_int(2));
  add->op = ORB_ARITH_ADD;
  orb_expr *mul = mk(ORB_E_ARITH, ORB_T_INT32, 2, add, col(0, ORB_T_INT32));
  mul->op = ORB_ARITH_MUL;
  assert_int_equal(orb_expr_fold(&A, &mul, &ctx, &err), ORB_OK);
  assert_int_equal(mul->kind, ORB_E_ARITH);
  assert_int_equal(mul->args[0]->kind, ORB_E_CONST);
  assert_int_equal(mul->args[0]->value.u.i, 3);
  /* functions of constants fold; a volatile one does not; nor parameters */
  orb_expr *up = fn("upper", 1, k_text("ab"));
  assert_int_equal(orb_expr_fold(&A, &up, &ctx, &err), ORB_OK);
  assert_int_equal(up->kind, ORB_E_CONST);
  assert_string_equal(show(up->value), "AB");
  orb_expr *rnd = fn("random", 0);
  assert_int_equal(orb_expr_fold(&A, &rnd, &ctx, &err), ORB_OK);
  assert_int_equal(rnd->kind, ORB_E_FUNC);
  orb_expr *p = orb_expr_new(&A, ORB_E_PARAM, T(ORB_T_INT32), 0);
  orb_expr *pe = cmp(ORB_CMP_EQ, p, k_int(1));
  assert_int_equal(orb_expr_fold(&A, &pe, &ctx, &err), ORB_OK);
  assert_int_equal(pe->kind, ORB_E_CMP);
  /* a NULL result folds to a NULL of the node's type */
  orb_expr *n = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(1), k_null(ORB_T_INT32));
  n->op = ORB_ARITH_ADD;
  assert_int_equal(orb_expr_fold(&A, &n, &ctx, &err), ORB_OK);
  assert_int_equal(n->kind, ORB_E_CONST);
  assert_true(n->value.isnull);
  assert_int_equal(n->value.type, ORB_T_INT32);
  /* an error while folding is not lost: it surfaces (as PostgreSQL's SELECT 1/0) */
  orb_expr *div = mk(ORB_E_ARITH, ORB_T_INT32, 2, k_int(1), k_int(0));
  div->op = ORB_ARITH_DIV;
  div->pos = 9;
  assert_int_not_equal(orb_expr_fold(&A, &div, &ctx, &err), ORB_OK);
  assert_string_equal(orb_err_sqlstate(&err), "22012");
  assert_int_equal(err.pos, 0);
  /* ... but not from branches a constant makes unreachable (PostgreSQL simplifies them away) */
  orb_value row[1] = {orb_int(ORB_T_INT32, 3)};
  orb_expr *c0 = col(0, ORB_T_INT32);
  orb_expr *c = mk(ORB_E_CASE, ORB_T_INT32, 3, k_bool(0), div, c0);   /* CASE WHEN false THEN 1/0 ELSE c0 END */
  c->flags = ORB_EF_HAS_ELSE;
  assert_int_equal(orb_expr_fold(&A, &c, &ctx, &err), ORB_OK);
  assert_string_equal(show(eval_row(c, row)), "3");
  c = mk(ORB_E_CASE, ORB_T_INT32, 6, cmp(ORB_CMP_LT, c0, k_int(0)), k_int(1), k_bool(1), k_int(2),
         cmp(ORB_CMP_GT, c0, k_int(0)), div);   /* ... WHEN true THEN 2 WHEN c0 > 0 THEN 1/0 END */
  assert_int_equal(orb_expr_fold(&A, &c, &ctx, &err), ORB_OK);
  assert_string_equal(show(eval_row(c, row)), "2");
  orb_expr *and = mk(ORB_E_AND, ORB_T_BOOL, 3, cmp(ORB_CMP_GT, c0, k_int(0)), k_bool(0), cmp(ORB_CMP_EQ, div, k_int(1)));
  assert_int_equal(orb_expr_fold(&A, &and, &ctx, &err), ORB_OK);
  assert_int_equal(eval_row(and, row).u.b, 0);
  orb_expr *or = mk(ORB_E_OR, ORB_T_BOOL, 2, k_bool(1), cmp(ORB_CMP_EQ, div, c0));
  assert_int_equal(orb_expr_fold(&A, &or, &ctx, &err), ORB_OK);
  assert_int_equal(eval_row(or, row).u.b, 1);
  orb_expr *co = mk(ORB_E_COALESCE, ORB_T_INT32, 3, c0, k_int(5), div);
  assert_int_equal(orb_expr_fold(&A, &co, &ctx, &err), ORB_OK);
  /* a reachable branch still reports its error: CASE WHEN c0 > 0 THEN 1/0 ELSE 0 END */
  c = mk(ORB_E_CASE, ORB_T_INT32, 3, cmp(ORB_CMP_GT, c0, k_int(0)), div, k_int(0));
  c->flags = ORB_EF_HAS_ELSE;
  assert_int_equal(orb_expr_fold(&A, &c, &ctx, &err), ORB_ERR_DIVZERO);
  /* folded text outlives the evaluation arena */
  orb_expr *cat = mk(ORB_E_ARITH, ORB_T_TEXT, 2, k_text("ab"), k_text("cd"));
  cat->op = ORB_E_OP_CONCAT;
  assert_int_equal(orb_expr_fold(&A, &cat, &ctx, &err), ORB_OK);
  orb_arena_reset(&R);
  assert_string_equal(show(cat->value), "abcd");
}

static void test_conjuncts_and_rowless(void **state) {
  (void)state;
  orb_expr *a = cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), k_int(1));
  orb_expr *b = cmp(ORB_CMP_GT, col(1, ORB_T_INT32), k_int(2));
  orb_expr *c = mk(ORB_E_IS_NULL, ORB_T_BOOL, 1, col(2, ORB_T_INT32));
  orb_expr *d = mk(ORB_E_OR, ORB_T_BOOL, 2, b, c);
  orb_expr *pred = mk(ORB_E_AND, ORB_T_BOOL, 2, mk(ORB_E_AND, ORB_T_BOOL, 2, a, b), mk(ORB_E_AND, ORB_T_BOOL, 2, c, d));
  orb_expr **cj;
  assert_int_equal(orb_expr_conjuncts(&A, pred, &cj), 4);
  assert_ptr_equal(cj[0], a);
  assert_ptr_equal(cj[1], b);
  assert_ptr_equal(cj[2], c);
  assert_ptr_equal(cj[3], d);   /* OR is one conjunct */
  assert_int_equal(orb_expr_conjuncts(&A, a, &cj), 1);
  assert_int_equal(orb_expr_conjuncts(&A, NULL, &cj), 0);
  /* a wide AND */
  orb_expr *wide = orb_expr_new(&A, ORB_E_AND, T(ORB_T_BOOL), 300);
  for (int i = 0; i < 300; i++) wide->args[i] = cmp(ORB_CMP_EQ, col(i, ORB_T_INT32), k_int(i));
  assert_int_equal(orb_expr_conjuncts(&A, wide, &cj), 300);
  assert_int_equal(cj[299]->args[0]->slot, 299);

  assert_false(orb_expr_is_rowless(pred));
  assert_true(orb_expr_is_rowless(fn("upper", 1, k_text("x"))));

  /* remap slots through a projection */
  int map[3] = {2, 0, 1};
  orb_expr *r = orb_expr_clone(&A, d);
  orb_expr_remap(r, map);
  assert_int_equal(r->args[0]->args[0]->slot, 0);
  assert_int_equal(r->args[1]->args[0]->slot, 1);
  assert_int_equal(d->args[0]->args[0]->slot, 1);   /* the original is untouched */
}

static void test_pinned_values(void **state) {
  (void)state;
  orb_value *vals;
  int n;
  /* c0 = 5 AND c1 > 2 */
  orb_expr *pred = mk(ORB_E_AND, ORB_T_BOOL, 2, cmp(ORB_CMP_EQ, col(0, ORB_T_INT64), k_int(5)),
                      cmp(ORB_CMP_GT, col(1, ORB_T_INT32), k_int(2)));
  assert_true(orb_expr_pinned_values(&A, pred, 0, &ctx, &vals, &n));
  assert_int_equal(n, 1);
  assert_int_equal(vals[0].type, ORB_T_INT64);   /* cast to the column's type */
  assert_int_equal(vals[0].u.i, 5);
  assert_false(orb_expr_pinned_values(&A, pred, 1, &ctx, &vals, &n));
  /* constant on the left */
  assert_true(orb_expr_pinned_values(&A, cmp(ORB_CMP_EQ, k_int(4), col(0, ORB_T_INT32)), 0, &ctx, &vals, &n));
  assert_int_equal(vals[0].u.i, 4);
  /* IN: duplicates removed, NULLs dropped; NOT IN pins nothing */
  orb_expr *items[] = {k_int(3), k_int(1), k_null(ORB_T_INT32), k_int(3)};
  assert_true(orb_expr_pinned_values(&A, in_list(col(0, ORB_T_INT32), 4, items, false), 0, &ctx, &vals, &n));
  assert_int_equal(n, 2);
  assert_int_equal(vals[0].u.i + vals[1].u.i, 4);
  assert_false(orb_expr_pinned_values(&A, in_list(col(0, ORB_T_INT32), 4, items, true), 0, &ctx, &vals, &n));
  /* two conjuncts pin the same column: their intersection */
  orb_expr *items2[] = {k_int(1), k_int(2), k_int(3)};
  orb_expr *both = mk(ORB_E_AND, ORB_T_BOOL, 2, in_list(col(0, ORB_T_INT32), 3, items2, false),
                      in_list(col(0, ORB_T_INT32), 4, items, false));
  assert_true(orb_expr_pinned_values(&A, both, 0, &ctx, &vals, &n));
  assert_int_equal(n, 2);
  both = mk(ORB_E_AND, ORB_T_BOOL, 2, cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), k_int(1)),
            cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), k_int(2)));
  assert_true(orb_expr_pinned_values(&A, both, 0, &ctx, &vals, &n));
  assert_int_equal(n, 0);   /* c0 = 1 AND c0 = 2: nothing can match */
  /* c0 = c1 pins nothing; OR pins nothing */
  assert_false(orb_expr_pinned_values(&A, cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), col(1, ORB_T_INT32)), 0, &ctx, &vals, &n));
  assert_false(orb_expr_pinned_values(
      &A, mk(ORB_E_OR, ORB_T_BOOL, 2, cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), k_int(1)), k_bool(1)), 0, &ctx, &vals, &n));
  /* parameters count as constants when their values are known, and only then */
  orb_expr *p = orb_expr_new(&A, ORB_E_PARAM, T(ORB_T_INT32), 0);
  orb_expr *pp = cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), p);
  assert_false(orb_expr_pinned_values(&A, pp, 0, &ctx, &vals, &n));
  orb_value params[1] = {orb_int(ORB_T_INT32, 42)};
  orb_eval_ctx c2 = ctx;
  c2.params = params;
  c2.nparams = 1;
  assert_true(orb_expr_pinned_values(&A, pp, 0, &c2, &vals, &n));
  assert_int_equal(n, 1);
  assert_int_equal(vals[0].u.i, 42);
}

static void test_format(void **state) {
  (void)state;
  const char *names[] = {"id", "kind", "b", "x"};
  assert_string_equal(fmt(cmp(ORB_CMP_EQ, col(0, ORB_T_INT32), k_int(1)), names), "(id = 1)");
  assert_string_equal(fmt(cmp(ORB_CMP_EQ, col(1, ORB_T_TEXT), k_text("buy")), names), "(kind = 'buy')");
  assert_string_equal(fmt(cmp(ORB_CMP_EQ, col(1, ORB_T_TEXT), k_text("it's")), names), "(kind = 'it''s')");
  orb_expr *and = mk(ORB_E_AND, ORB_T_BOOL, 2, cmp(ORB_CMP_GT, col(0, ORB_T_INT32), k_int(5)),
                     mk(ORB_E_IS_NULL, ORB_T_BOOL, 1, col(2, ORB_T_INT32)));
  assert_string_equal(fmt(and, names), "((id > 5) AND (b IS NULL))");
  orb_expr *items[] = {k_int(1), k_int(2)};
  assert_string_equal(fmt(in_list(col(3, ORB_T_INT32), 2, items, false), names), "(x IN (1, 2))");
  assert_string_equal(fmt(in_list(col(3, ORB_T_INT32), 2, items, true), names), "(x NOT IN (1, 2))");
  assert_string_equal(fmt(like(col(1, ORB_T_TEXT), k_text("a%"), ORB_EF_ICASE | ORB_EF_NEGATE), names),
                      "(kind NOT ILIKE 'a%')");
  assert_string_equal(fmt(fn("upper", 1, col(1, ORB_T_TEXT)), names), "upper(kind)");
  assert_string_equal(fmt(cmp(ORB_CMP_NE, col(0, ORB_T_INT32), k_null(ORB_T_INT32)), NULL), "($0 <> NULL)");
  orb_expr *c = mk(ORB_E_CASE, ORB_T_INT32, 3, k_bool(1), k_int(1), k_int(2));
  c->flags = ORB_EF_HAS_ELSE;
  assert_string_equal(fmt(c, names), "CASE WHEN true THEN 1 ELSE 2 END");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_truth_tables, setup, teardown),
      cmocka_unit_test_setup_teardown(test_comparisons, setup, teardown),
      cmocka_unit_test_setup_teardown(test_in_nulls, setup, teardown),
      cmocka_unit_test_setup_teardown(test_in_long_list, setup, teardown),
      cmocka_unit_test_setup_teardown(test_like, setup, teardown),
      cmocka_unit_test_setup_teardown(test_case_coalesce_nullif, setup, teardown),
      cmocka_unit_test_setup_teardown(test_arith_concat_cast, setup, teardown),
      cmocka_unit_test_setup_teardown(test_string_functions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_math_functions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_datetime_functions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_function_resolution, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fold, setup, teardown),
      cmocka_unit_test_setup_teardown(test_conjuncts_and_rowless, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pinned_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_format, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
