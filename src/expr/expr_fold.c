/* expr/expr_fold.c — constant folding and the analyses scans use to push
** predicates down (pinned key values). */
#include <string.h>

#include "expr/expr_int.h"
#include "expr/func.h"
#include "types/array.h"
#include "types/value.h"

static bool foldable(const orb_expr *e) {
  if (e->kind == ORB_E_COLUMN || e->kind == ORB_E_PARAM || e->kind == ORB_E_SUBLINK || e->kind == ORB_E_OUTER)
    return false;
  if (e->kind == ORB_E_FUNC && (e->func->flags & (ORB_FN_VOLATILE | ORB_FN_STABLE))) return false;
  for (int i = 0; i < e->nargs; i++)
    if (!foldable(e->args[i])) return false;
  return true;
}

bool orb_expr_is_closed(const orb_expr *e) {
  if (e->kind == ORB_E_COLUMN || e->kind == ORB_E_PARAM || e->kind == ORB_E_SUBLINK || e->kind == ORB_E_OUTER)
    return false;
  for (int i = 0; i < e->nargs; i++)
    if (!orb_expr_is_closed(e->args[i])) return false;
  return true;
}

static bool is_true_const(const orb_expr *x) { return x->kind == ORB_E_CONST && !x->value.isnull && x->value.u.b; }
static bool is_const(const orb_expr *x) { return x->kind == ORB_E_CONST; }

/* Fold the arguments of a node that is not constant as a whole.  As
** PostgreSQL's simplification does, arguments that a constant makes
** unreachable are left alone (so an error in them cannot surface): AND after
** a constant false, OR after a constant true, COALESCE after a non-NULL
** constant, a CASE branch whose condition is constant false or NULL, and
** everything after a constant true condition. */
static orb_status fold_args(orb_arena *a, orb_expr *e, const orb_eval_ctx *ctx, orb_err *err) {
  orb_status st;
  switch ((orb_expr_kind)e->kind) {
  case ORB_E_AND:
  case ORB_E_OR:
    for (int i = 0; i < e->nargs; i++) {
      if ((st = orb_expr_fold(a, &e->args[i], ctx, err)) != ORB_OK) return st;
      const orb_expr *x = e->args[i];
      if (is_const(x) && !x->value.isnull && x->value.u.b == (e->kind == ORB_E_OR)) break;
    }
    return ORB_OK;
  case ORB_E_COALESCE:
    for (int i = 0; i < e->nargs; i++) {
      if ((st = orb_expr_fold(a, &e->args[i], ctx, err)) != ORB_OK) return st;
      if (is_const(e->args[i]) && !e->args[i]->value.isnull) break;
    }
    return ORB_OK;
  case ORB_E_CASE: {
    bool has_else = (e->flags & ORB_EF_HAS_ELSE) != 0;
    int pairs = has_else ? (e->nargs - 1) / 2 : e->nargs / 2;
    for (int i = 0; i < pairs; i++) {
      if ((st = orb_expr_fold(a, &e->args[2 * i], ctx, err)) != ORB_OK) return st;
      const orb_expr *cond = e->args[2 * i];
      if (is_const(cond) && !is_true_const(cond)) continue;   /* branch never taken */
      if ((st = orb_expr_fold(a, &e->args[2 * i + 1], ctx, err)) != ORB_OK) return st;
      if (is_true_const(cond)) return ORB_OK;                  /* later branches never reached */
    }
    if (has_else) return orb_expr_fold(a, &e->args[e->nargs - 1], ctx, err);
    return ORB_OK;
  }
  default:
    for (int i = 0; i < e->nargs; i++)
      if ((st = orb_expr_fold(a, &e->args[i], ctx, err)) != ORB_OK) return st;
    return ORB_OK;
  }
}

orb_status orb_expr_fold(orb_arena *a, orb_expr **pe, const orb_eval_ctx *ctx, orb_err *err) {
  orb_expr *e = *pe;
  if (!e) return ORB_OK;
  if (e->kind == ORB_E_CONST) return ORB_OK;
  if (!foldable(e)) {
    orb_status st = fold_args(a, e, ctx, err);
    if (st != ORB_OK) return st;
    /* the list items are constants by now: a long list gets its hash set */
    orb_in_set_prepare(a, e);
    /* and a constant regular expression is compiled once, not per row */
    orb_regex_call_prepare(a, e);
    return ORB_OK;
  }
  /* a constant subtree: evaluate once.  Errors surface now, as PostgreSQL
  ** raises them when it simplifies constants (SELECT 1/0 fails at once). */
  orb_eval_ctx c = *ctx;
  c.arena = a;
  orb_value v;
  orb_status st = orb_expr_eval(e, &c, NULL, &v, err);
  if (st != ORB_OK) return st;
  orb_expr *k = orb_expr_const(a, orb_value_copy(&v, a), e->type);
  if (k->value.isnull) k->value.type = e->type.id;
  k->pos = e->pos;
  *pe = k;
  return ORB_OK;
}

/* Whether every parameter x refers to has a value in ctx (a statement
** planned before its parameters are known pins nothing). */
static bool params_known(const orb_expr *x, const orb_eval_ctx *ctx) {
  if (x->kind == ORB_E_PARAM && (!ctx->params || x->slot < 0 || x->slot >= ctx->nparams)) return false;
  if (x->kind == ORB_E_OUTER && (!ctx->outer || x->slot < 0 || x->slot >= ctx->nouter)) return false;
  if (x->kind == ORB_E_SUBLINK && (x->flags & ORB_EF_CORRELATED)) return false;
  for (int i = 0; i < x->nargs; i++)
    if (!params_known(x->args[i], ctx)) return false;
  return true;
}

/* Add one pinned value (cast to the column's type, duplicates dropped); false if it cannot be cast. */
static bool add_pin(const orb_expr *col, orb_value v, orb_arena *a, orb_value **vals, int *n, int *cap) {
  orb_err e;
  if (v.isnull) return true;
  if (v.type != col->type.id) {
    orb_value cv;
    if (orb_value_cast(&v, col->type, a, &cv, &e) != ORB_OK) return false;
    v = cv;
  }
  for (int j = 0; j < *n; j++)
    if (orb_value_cmp(&(*vals)[j], &v) == 0) return true;
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 8;
    orb_value *nv = orb_arena_alloc(a, sizeof(orb_value) * (size_t)nc);
    if (*n) memcpy(nv, *vals, sizeof(orb_value) * (size_t)*n);
    *vals = nv;
    *cap = nc;
  }
  (*vals)[(*n)++] = orb_value_copy(&v, a);
  return true;
}

/* col = ANY (array known before the scan): the array's elements (none for a NULL array). */
static bool pins_any(orb_expr *x, int slot, const orb_eval_ctx *ctx, orb_arena *a, orb_value **vals, int *n, int *cap) {
  orb_expr *col = x->args[0], *arr = x->args[1];
  if (x->op != ORB_CMP_EQ || (x->flags & ORB_EF_ALL) || col->kind != ORB_E_COLUMN || col->slot != slot ||
      !orb_expr_is_rowless(arr) || !params_known(arr, ctx))
    return false;
  orb_value v;
  orb_err e;
  orb_eval_ctx c = *ctx;
  c.arena = a;
  if (orb_expr_eval(arr, &c, NULL, &v, &e) != ORB_OK) return false;
  if (v.isnull) return true;
  for (uint32_t i = 0; i < v.u.arr->n; i++)
    if (!add_pin(col, v.u.arr->items[i], a, vals, n, cap)) return false;
  return true;
}

/* Constants a conjunct pins `slot` to: col = c, c = col, col IN (c...), col = ANY (array). */
static bool pins(orb_expr *x, int slot, const orb_eval_ctx *ctx, orb_arena *a, orb_value **vals, int *n, int *cap) {
  if (x->kind == ORB_E_ANY) return pins_any(x, slot, ctx, a, vals, n, cap);
  orb_expr *col = NULL;
  orb_expr **consts = NULL;
  int nconsts = 0;
  if (x->kind == ORB_E_CMP && x->op == ORB_CMP_EQ) {
    for (int side = 0; side < 2; side++) {
      orb_expr *c = x->args[side], *k = x->args[1 - side];
      if (c->kind == ORB_E_COLUMN && c->slot == slot && orb_expr_is_rowless(k) && params_known(k, ctx) && !col) {
        col = c;
        consts = &x->args[1 - side];
        nconsts = 1;
      }
    }
  } else if (x->kind == ORB_E_IN && !(x->flags & ORB_EF_NEGATE) && x->args[0]->kind == ORB_E_COLUMN &&
             x->args[0]->slot == slot) {
    col = x->args[0];
    consts = &x->args[1];
    nconsts = x->nargs - 1;
    for (int i = 0; i < nconsts; i++)
      if (!orb_expr_is_rowless(consts[i]) || !params_known(consts[i], ctx)) return false;
  }
  if (!col) return false;
  for (int i = 0; i < nconsts; i++) {
    orb_value v;
    orb_err e;
    orb_eval_ctx c = *ctx;
    c.arena = a;
    if (orb_expr_eval(consts[i], &c, NULL, &v, &e) != ORB_OK) return false;
    if (!add_pin(col, v, a, vals, n, cap)) return false;
  }
  return true;
}

bool orb_expr_pinned_values(orb_arena *a, orb_expr *pred, int slot, const orb_eval_ctx *ctx, orb_value **vals,
                            int *nvals) {
  if (!pred) return false;
  orb_expr **conj;
  int n = orb_expr_conjuncts(a, pred, &conj);
  bool pinned = false;
  orb_value *best = NULL;
  int nbest = 0;
  for (int i = 0; i < n; i++) {
    orb_value *v = NULL;
    int nv = 0, cap = 0;
    if (!pins(conj[i], slot, ctx, a, &v, &nv, &cap)) continue;
    if (!pinned) {
      best = v;
      nbest = nv;
      pinned = true;
      continue;
    }
    /* several conjuncts pin the column: only values all of them allow remain */
    int k = 0;
    for (int j = 0; j < nbest; j++) {
      bool keep = false;
      for (int m = 0; m < nv && !keep; m++) keep = orb_value_cmp(&best[j], &v[m]) == 0;
      if (keep) best[k++] = best[j];
    }
    nbest = k;
  }
  if (!pinned) return false;
  *vals = best;
  *nvals = nbest;
  return true;
}
