/* formats/parquet/pq_pred_expr.c — pruning constraints from a bound WHERE
** clause (pq_pred_expr.h). */
#include "formats/parquet/pq_pred_expr.h"
#include "types/value.h"

#include <stdlib.h>
#include <string.h>

static bool is_const(const orb_expr *x) { return x->kind == ORB_E_CONST && !x->value.isnull; }

static void range_below(pq_pred *r, int col, const orb_value *v, bool incl) {
  memset(r, 0, sizeof *r);
  r->col = col, r->kind = PQ_PRED_RANGE;
  r->has_hi = true, r->hi_incl = incl, r->hi = *v;
}

static void range_above(pq_pred *r, int col, const orb_value *v, bool incl) {
  memset(r, 0, sizeof *r);
  r->col = col, r->kind = PQ_PRED_RANGE;
  r->has_lo = true, r->lo_incl = incl, r->lo = *v;
}

static void any_of(pq_pred *out, int col, pq_pred *alts, int n) {
  memset(out, 0, sizeof *out);
  out->col = col, out->kind = PQ_PRED_ANY;
  out->any = alts, out->nany = n;
}

static int cmp_values(const void *x, const void *y) { return orb_value_cmp(x, y); }

/* col NOT IN (values): the gaps between the sorted values; with a NULL
** element no row satisfies it (the test is NULL or false), an empty IN. */
static bool not_in(orb_arena *a, const orb_expr *x, int col, pq_pred *out) {
  int n = x->nargs - 1;
  orb_value *v = orb_arena_alloc(a, sizeof(orb_value) * (size_t)n);
  for (int i = 0; i < n; i++) {
    const orb_expr *c = x->args[i + 1];
    if (c->kind != ORB_E_CONST) return false;
    if (c->value.isnull) {
      out->kind = PQ_PRED_IN, out->in = NULL, out->nin = 0;
      return true;
    }
    if (i > 0 && !orb_value_comparable(&v[0], &c->value)) return false;
    v[i] = c->value;
  }
  qsort(v, (size_t)n, sizeof *v, cmp_values);
  pq_pred *gaps = orb_arena_alloc(a, sizeof(pq_pred) * (size_t)(n + 1));
  int k = 0;
  range_below(&gaps[k++], col, &v[0], false);
  for (int i = 1; i < n; i++) {
    if (orb_value_cmp(&v[i - 1], &v[i]) == 0) continue;
    range_above(&gaps[k], col, &v[i - 1], false);
    gaps[k].has_hi = true, gaps[k].hi_incl = false, gaps[k].hi = v[i];
    k++;
  }
  range_above(&gaps[k++], col, &v[n - 1], false);
  any_of(out, col, gaps, k);
  return true;
}

/* col [NOT] LIKE 'prefix%' (case-sensitive). */
static bool like_prefix(orb_arena *a, const orb_expr *x, int col, pq_pred *out) {
  pq_pred r;
  memset(&r, 0, sizeof r);
  if (!pq_pred_like_prefix(a, &x->args[1]->value, &r)) return false;
  r.col = col;
  if (!(x->flags & ORB_EF_NEGATE)) {
    *out = r;
    return true;
  }
  /* NOT: below the prefix, or at/after its successor when it has one */
  pq_pred *alts = orb_arena_alloc(a, sizeof(pq_pred) * 2);
  range_below(&alts[0], col, &r.lo, false);
  if (!r.has_hi) {
    *out = alts[0];
    return true;
  }
  range_above(&alts[1], col, &r.hi, true);
  any_of(out, col, alts, 2);
  return true;
}

/* col op const or const op col. */
static bool comparison(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out) {
  if (x->nargs != 2) return false;
  int op = x->op;
  const orb_expr *c = x->args[1];
  int col = col_of(ctx, x->args[0]);
  if (col < 0 || !is_const(c)) {
    if ((col = col_of(ctx, x->args[1])) < 0 || !is_const(x->args[0])) return false;
    c = x->args[0];
    op = orb_cmp_commute(op);
  }
  out->col = col;
  switch (op) {
  case ORB_CMP_EQ:
    out->kind = PQ_PRED_IN;
    out->in = orb_arena_memdup(a, &c->value, sizeof(orb_value));
    out->nin = 1;
    return true;
  case ORB_CMP_NE: {
    pq_pred *alts = orb_arena_alloc(a, sizeof(pq_pred) * 2);
    range_below(&alts[0], col, &c->value, false);
    range_above(&alts[1], col, &c->value, false);
    any_of(out, col, alts, 2);
    return true;
  }
  case ORB_CMP_GT:
  case ORB_CMP_GE: range_above(out, col, &c->value, op == ORB_CMP_GE); return true;
  case ORB_CMP_LT:
  case ORB_CMP_LE: range_below(out, col, &c->value, op == ORB_CMP_LE); return true;
  default: return false;
  }
}

/* One conjunct that is not an OR. */
static bool simple(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out) {
  memset(out, 0, sizeof *out);
  if (x->kind == ORB_E_CMP) return comparison(a, x, col_of, ctx, out);
  if (x->nargs < 1 || (out->col = col_of(ctx, x->args[0])) < 0) return false;
  if (x->kind == ORB_E_IS_NULL && x->nargs == 1) {
    out->kind = x->flags & ORB_EF_NEGATE ? PQ_PRED_NOT_NULL : PQ_PRED_IS_NULL;
    return true;
  }
  if (x->kind == ORB_E_IN && x->nargs >= 2) {
    if (x->flags & ORB_EF_NEGATE) return not_in(a, x, out->col, out);
    orb_value *v = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(x->nargs - 1));
    int n = 0;
    for (int i = 1; i < x->nargs; i++) {
      if (x->args[i]->kind != ORB_E_CONST) return false;
      if (!x->args[i]->value.isnull) v[n++] = x->args[i]->value;   /* a NULL element matches nothing */
    }
    out->kind = PQ_PRED_IN, out->in = v, out->nin = n;
    return true;
  }
  if (x->kind == ORB_E_LIKE && x->nargs == 2 && !(x->flags & ORB_EF_ICASE) && x->args[0]->type.id == ORB_T_TEXT &&
      is_const(x->args[1]))
    return like_prefix(a, x, out->col, out);
  /* ILIKE 'prefix%': a loose range (its complement would not be sound: NOT ILIKE is none) */
  if (x->kind == ORB_E_LIKE && x->nargs == 2 && (x->flags & ORB_EF_ICASE) && !(x->flags & ORB_EF_NEGATE) &&
      x->args[0]->type.id == ORB_T_TEXT && is_const(x->args[1])) {
    int col = out->col;
    if (!pq_pred_ilike_prefix(a, &x->args[1]->value, out)) return false;
    out->col = col;
    return true;
  }
  return false;
}

/* r narrowed by the RANGE q (same column); false when their bounds do not compare. */
static bool narrow(pq_pred *r, const pq_pred *q) {
  if (q->has_lo) {
    if (r->has_lo && !orb_value_comparable(&r->lo, &q->lo)) return false;
    int c = r->has_lo ? orb_value_cmp(&q->lo, &r->lo) : 1;
    if (c > 0 || (c == 0 && !q->lo_incl)) r->has_lo = true, r->lo = q->lo, r->lo_incl = q->lo_incl;
  }
  if (q->has_hi) {
    if (r->has_hi && !orb_value_comparable(&r->hi, &q->hi)) return false;
    int c = r->has_hi ? orb_value_cmp(&q->hi, &r->hi) : -1;
    if (c < 0 || (c == 0 && !q->hi_incl)) r->has_hi = true, r->hi = q->hi, r->hi_incl = q->hi_incl;
  }
  return true;
}

/* One branch of an OR: a simple constraint, or an AND of RANGEs on one
** column (BETWEEN) intersected. */
static bool branch(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out) {
  if (x->kind != ORB_E_AND) return simple(a, x, col_of, ctx, out);
  for (int i = 0; i < x->nargs; i++) {
    pq_pred q;
    if (!simple(a, x->args[i], col_of, ctx, &q) || q.kind != PQ_PRED_RANGE) return false;
    if (i == 0) *out = q;
    else if (q.col != out->col || !narrow(out, &q)) return false;
    out->loose = out->loose || q.loose;
  }
  return x->nargs > 0;
}

/* The branches of a (nested) OR, flattened, into alts[*n..]. */
static bool branches(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred **alts, int *n,
                     int *cap) {
  if (x->kind == ORB_E_OR) {
    for (int i = 0; i < x->nargs; i++)
      if (!branches(a, x->args[i], col_of, ctx, alts, n, cap)) return false;
    return true;
  }
  pq_pred b;
  if (!branch(a, x, col_of, ctx, &b)) return false;
  if (b.kind != PQ_PRED_ANY && b.kind != PQ_PRED_RANGE && b.kind != PQ_PRED_IN) return false;
  const pq_pred *src = b.kind == PQ_PRED_ANY ? b.any : &b;
  int m = b.kind == PQ_PRED_ANY ? b.nany : 1;
  if (*n + m > *cap) {
    int ncap = (*n + m) * 2;
    pq_pred *grown = orb_arena_alloc(a, sizeof(pq_pred) * (size_t)ncap);
    if (*n) memcpy(grown, *alts, sizeof(pq_pred) * (size_t)*n);
    *alts = grown, *cap = ncap;
  }
  memcpy(*alts + *n, src, sizeof(pq_pred) * (size_t)m);
  *n += m;
  return true;
}

static bool cross_or(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out);

/* a OR b OR ...: an IN when every branch is one (their values together),
** else an ANY; all branches on one column.  Otherwise an OR of the
** branches' own constraints (cross_or). */
static bool disjunction(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out) {
  pq_pred *alts = NULL;
  int n = 0, cap = 0;
  if (!branches(a, x, col_of, ctx, &alts, &n, &cap) || n == 0) return cross_or(a, x, col_of, ctx, out);
  int nin = 0;
  for (int i = 0; i < n; i++) {
    if (alts[i].col != alts[0].col) return cross_or(a, x, col_of, ctx, out);
    nin = nin >= 0 && alts[i].kind == PQ_PRED_IN ? nin + alts[i].nin : -1;
  }
  if (nin < 0) {
    any_of(out, alts[0].col, alts, n);
    return true;
  }
  orb_value *v = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(nin + 1));
  int k = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < alts[i].nin; j++) v[k++] = alts[i].in[j];
  memset(out, 0, sizeof *out);
  out->col = alts[0].col, out->kind = PQ_PRED_IN, out->in = v, out->nin = k;
  return true;
}

/* The operands of a (nested) OR, flattened, into ops[*n..] (room for x's). */
static int count_or(const orb_expr *x) {
  if (x->kind != ORB_E_OR) return 1;
  int n = 0;
  for (int i = 0; i < x->nargs; i++) n += count_or(x->args[i]);
  return n;
}

static void flatten_or(const orb_expr *x, const orb_expr **ops, int *n) {
  if (x->kind != ORB_E_OR) {
    ops[(*n)++] = x;
    return;
  }
  for (int i = 0; i < x->nargs; i++) flatten_or(x->args[i], ops, n);
}

/* An OR whose branches constrain different columns: each branch exactly
** as its constraints (an AND of its conjuncts' when it is an AND), so that
** the OR holds for exactly the rows the expression is true for. */
static bool cross_or(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out) {
  int nops = count_or(x), n = 0;
  const orb_expr **ops = orb_arena_alloc(a, sizeof(*ops) * (size_t)nops);
  flatten_or(x, ops, &n);
  pq_pred *br = orb_arena_alloc(a, sizeof(pq_pred) * (size_t)n);
  for (int i = 0; i < n; i++) {
    const orb_expr *b = ops[i];
    if (b->kind != ORB_E_AND) {
      if (!pq_pred_from_expr(a, b, col_of, ctx, &br[i])) return false;
      continue;
    }
    pq_pred *conj = orb_arena_alloc(a, sizeof(pq_pred) * (size_t)(b->nargs ? b->nargs : 1));
    for (int k = 0; k < b->nargs; k++)
      if (!pq_pred_from_expr(a, b->args[k], col_of, ctx, &conj[k])) return false;
    memset(&br[i], 0, sizeof br[i]);
    br[i].col = -1, br[i].kind = PQ_PRED_AND, br[i].any = conj, br[i].nany = b->nargs;
  }
  memset(out, 0, sizeof *out);
  out->col = -1, out->kind = PQ_PRED_OR, out->any = br, out->nany = n;
  return n > 0;
}

bool pq_pred_map_cols(orb_arena *a, const pq_pred *p, int (*map)(const void *ctx, int col), const void *ctx,
                      pq_pred *out) {
  *out = *p;
  if (p->kind != PQ_PRED_AND && p->kind != PQ_PRED_OR) return (out->col = map(ctx, p->col)) >= 0;
  pq_pred *ops = orb_arena_alloc(a, sizeof(pq_pred) * (size_t)(p->nany ? p->nany : 1));
  for (int i = 0; i < p->nany; i++)
    if (!pq_pred_map_cols(a, &p->any[i], map, ctx, &ops[i])) return false;
  out->any = ops;
  return true;
}

bool pq_pred_from_expr(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out) {
  if (!x) return false;
  if (x->kind == ORB_E_OR) return disjunction(a, x, col_of, ctx, out);
  return simple(a, x, col_of, ctx, out);
}

int pq_preds_from_expr(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out,
                       int cap) {
  if (!x || cap <= 0) return 0;
  if (x->kind == ORB_E_AND) {
    int n = 0;
    for (int i = 0; i < x->nargs && n < cap; i++) n += pq_preds_from_expr(a, x->args[i], col_of, ctx, out + n, cap - n);
    return n;
  }
  return pq_pred_from_expr(a, x, col_of, ctx, out) ? 1 : 0;
}
