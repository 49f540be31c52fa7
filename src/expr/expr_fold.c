/* expr/expr_fold.c — constant folding and the analyses scans use to push
** predicates down (pinned key values). */
#include <string.h>

#include "expr/expr.h"
#include "expr/func.h"
#include "types/value.h"

static bool foldable(const orb_expr *e) {
  if (e->kind == ORB_E_COLUMN || e->kind == ORB_E_PARAM) return false;
  if (e->kind == ORB_E_FUNC && (e->func->flags & ORB_FN_VOLATILE)) return false;
  for (int i = 0; i < e->nargs; i++)
    if (!foldable(e->args[i])) return false;
  return true;
}

orb_status orb_expr_fold(orb_arena *a, orb_expr **pe, const orb_eval_ctx *ctx, orb_err *err) {
  orb_expr *e = *pe;
  if (!e) return ORB_OK;
  if (e->kind == ORB_E_CONST) return ORB_OK;
  if (!foldable(e)) {
    for (int i = 0; i < e->nargs; i++) {
      orb_status st = orb_expr_fold(a, &e->args[i], ctx, err);
      if (st != ORB_OK) return st;
    }
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

/* Constants a conjunct pins `slot` to: col = c, c = col, col IN (c...). */
static bool pins(orb_expr *x, int slot, const orb_eval_ctx *ctx, orb_arena *a, orb_value **vals, int *n, int *cap) {
  orb_expr *col = NULL;
  orb_expr **consts = NULL;
  int nconsts = 0;
  if (x->kind == ORB_E_CMP && x->op == ORB_CMP_EQ) {
    for (int side = 0; side < 2; side++) {
      orb_expr *c = x->args[side], *k = x->args[1 - side];
      if (c->kind == ORB_E_COLUMN && c->slot == slot && orb_expr_is_rowless(k) && !col) {
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
      if (!orb_expr_is_rowless(consts[i])) return false;
  }
  if (!col) return false;
  for (int i = 0; i < nconsts; i++) {
    orb_value v;
    orb_err e;
    orb_eval_ctx c = *ctx;
    c.arena = a;
    if (orb_expr_eval(consts[i], &c, NULL, &v, &e) != ORB_OK) return false;
    if (v.isnull) continue;
    if (v.type != col->type.id) {
      orb_value cv;
      if (orb_value_cast(&v, col->type, a, &cv, &e) != ORB_OK) return false;
      v = cv;
    }
    bool dup = false;
    for (int j = 0; j < *n && !dup; j++) dup = orb_value_cmp(&(*vals)[j], &v) == 0;
    if (dup) continue;
    if (*n == *cap) {
      int nc = *cap ? *cap * 2 : 8;
      orb_value *nv = orb_arena_alloc(a, sizeof(orb_value) * (size_t)nc);
      if (*n) memcpy(nv, *vals, sizeof(orb_value) * (size_t)*n);
      *vals = nv;
      *cap = nc;
    }
    (*vals)[(*n)++] = orb_value_copy(&v, a);
  }
  return true;
}

bool orb_expr_pinned_values(orb_arena *a, orb_expr *pred, int slot, const orb_eval_ctx *ctx, orb_value **vals,
                            int *nvals) {
  if (!pred) return false;
  orb_expr **conj;
  int n = orb_expr_conjuncts(a, pred, &conj);
  for (int i = 0; i < n; i++) {
    orb_value *v = NULL;
    int nv = 0, cap = 0;
    if (pins(conj[i], slot, ctx, a, &v, &nv, &cap)) {
      *vals = v;
      *nvals = nv;
      return true;
    }
  }
  return false;
}
