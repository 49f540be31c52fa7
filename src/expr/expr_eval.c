/* expr/expr_eval.c — evaluating bound expressions on one row with
** PostgreSQL's NULL semantics (three-valued logic). */
#include <stdint.h>
#include <string.h>

#include "expr/expr_int.h"
#include "expr/func.h"
#include "types/array.h"
#include "types/value.h"

/* Errors of evaluation carry no position, as PostgreSQL's run-time errors
** (division by zero, overflow, a bad value in a cast of a column) carry
** none: positions belong to what the binder finds wrong in the text, which
** includes the input of a literal (binder_types.c). */

/* --- helpers ----------------------------------------------------------------------- */

static orb_value bool_val(bool b) { return orb_bool(b); }
static orb_value null_bool(void) { return orb_null(ORB_T_BOOL); }

static orb_status eval_cmp(orb_expr *x, const orb_value *l, const orb_value *r, orb_value *out) {
  if (l->isnull || r->isnull) {
    *out = null_bool();
    return ORB_OK;
  }
  int c = orb_value_cmp(l, r);
  bool v = false;
  switch ((orb_cmp_op)x->op) {
  case ORB_CMP_EQ: v = c == 0; break;
  case ORB_CMP_NE: v = c != 0; break;
  case ORB_CMP_LT: v = c < 0; break;
  case ORB_CMP_LE: v = c <= 0; break;
  case ORB_CMP_GT: v = c > 0; break;
  case ORB_CMP_GE: v = c >= 0; break;
  }
  *out = bool_val(v);
  return ORB_OK;
}

static orb_status eval_concat(const orb_value *l, const orb_value *r, const orb_eval_ctx *ctx, orb_type t,
                              orb_value *out) {
  if (l->isnull || r->isnull) {
    *out = orb_null((orb_type_id)t.id);
    return ORB_OK;
  }
  size_t n = (size_t)l->len + r->len;
  char *s = orb_arena_alloc(ctx->arena, n ? n : 1);
  if (l->len) memcpy(s, l->u.s, l->len);
  if (r->len) memcpy(s + l->len, r->u.s, r->len);
  *out = t.id == ORB_T_BYTEA ? orb_bytea(s, n) : orb_text(s, n);
  return ORB_OK;
}

static orb_status eval_func(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out,
                            orb_err *err) {
  orb_value stackv[8];
  orb_value *args = x->nargs <= 8 ? stackv : orb_arena_alloc(ctx->arena, sizeof(orb_value) * (size_t)x->nargs);
  bool any_null = false;
  for (int i = 0; i < x->nargs; i++) {
    orb_status st = orb_expr_eval(x->args[i], ctx, row, &args[i], err);
    if (st != ORB_OK) return st;
    any_null |= args[i].isnull;
  }
  if (any_null && !(x->func->flags & ORB_FN_NULL_ARGS)) {
    *out = orb_null((orb_type_id)x->type.id);
    return ORB_OK;
  }
  orb_status st;
  if (x->cache || ctx->fn_cache) {   /* hand the call what was prepared for it (and only for it) */
    orb_eval_ctx c = *ctx;
    c.fn_cache = x->cache;
    st = x->func->eval(x->func, &c, x->nargs, args, x->type, out, err);
  } else {
    st = x->func->eval(x->func, ctx, x->nargs, args, x->type, out, err);
  }
  if (st == ORB_OK && out->isnull) out->type = x->type.id;
  return st;
}

/* A correlated subquery: run it with this row's values of the outer columns. */
static orb_status run_correlated(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row,
                                 const orb_sublink_result **r, orb_err *err) {
  int first = x->op == 2 ? 1 : 0, n = x->nargs - first;
  if (!ctx->run_sublink) return orb_err_set(err, ORB_ERR_INTERNAL, "correlated subquery %d cannot run here", x->slot);
  orb_value *outer = orb_arena_alloc(ctx->arena, sizeof(orb_value) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) {
    orb_status st = orb_expr_eval(x->args[first + i], ctx, row, &outer[i], err);
    if (st != ORB_OK) return st;
  }
  return ctx->run_sublink(ctx->sublink_env, x->slot, outer, n, r, err);
}

static orb_status eval_sublink(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out,
                               orb_err *err) {
  const orb_sublink_result *r;
  if (x->flags & ORB_EF_CORRELATED) {
    orb_status st = run_correlated(x, ctx, row, &r, err);
    if (st != ORB_OK) return st;
  } else {
    if (!ctx->sublinks || x->slot >= ctx->nsublinks)
      return orb_err_set(err, ORB_ERR_INTERNAL, "subquery %d has not been run", x->slot);
    r = &ctx->sublinks[x->slot];
  }
  if (x->op == 0) {   /* scalar: no row is NULL; more than one is an error (checked when it ran) */
    *out = r->nrows ? r->rows[0] : orb_null((orb_type_id)x->type.id);
    /* a correlated result lives until the next run: keep the value with this evaluation's */
    if (x->flags & ORB_EF_CORRELATED) *out = orb_value_copy(out, ctx->arena);
    return ORB_OK;
  }
  if (x->op == 1) {
    *out = orb_bool(r->nrows > 0);
    return ORB_OK;
  }
  if (x->op == 3) {   /* ARRAY(subquery): the rows in order (copied: a correlated result is reused) */
    orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * (size_t)(r->nrows ? r->nrows : 1));
    for (int64_t i = 0; i < r->nrows; i++) items[i] = orb_value_copy(&r->rows[i], ctx->arena);
    *out = orb_array_make(ctx->arena, (orb_type_id)x->type.elem, items, (uint32_t)r->nrows);
    return ORB_OK;
  }
  bool neg = (x->flags & ORB_EF_NEGATE) != 0;
  orb_value a;
  orb_status st = orb_expr_eval(x->args[0], ctx, row, &a, err);
  if (st != ORB_OK) return st;
  if (r->nrows == 0) {   /* x IN (empty) is false even for a NULL x */
    *out = orb_bool(neg);
    return ORB_OK;
  }
  if (a.isnull) {
    *out = null_bool();
    return ORB_OK;
  }
  for (int64_t i = 0; i < r->nrows; i++)
    if (!r->rows[i].isnull && orb_value_cmp(&a, &r->rows[i]) == 0) {
      *out = orb_bool(!neg);
      return ORB_OK;
    }
  *out = r->any_null ? null_bool() : orb_bool(neg);
  return ORB_OK;
}

/* x op ANY/ALL (array): ANY is true when some comparison is, ALL false when
** some comparison is; otherwise a NULL comparison makes the answer NULL
** (PostgreSQL's ScalarArrayOpExpr).  An empty array: ANY false, ALL true. */
static orb_status eval_any(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out, orb_err *err) {
  orb_value a, arr;
  orb_status st;
  if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
  if ((st = orb_expr_eval(x->args[1], ctx, row, &arr, err)) != ORB_OK) return st;
  bool all = (x->flags & ORB_EF_ALL) != 0;
  if (arr.isnull) {
    *out = null_bool();
    return ORB_OK;
  }
  bool saw_null = false;
  for (uint32_t i = 0; i < arr.u.arr->n; i++) {
    orb_value c;
    eval_cmp(x, &a, &arr.u.arr->items[i], &c);
    if (c.isnull) saw_null = true;
    else if (c.u.b != all) {
      *out = bool_val(!all);
      return ORB_OK;
    }
  }
  *out = saw_null ? null_bool() : bool_val(all);
  return ORB_OK;
}

/* A NULL of type t; a NULL array keeps its element type, as a non-NULL one
** does (orb_array_make), so that a record's NULL int4[] field is still an
** int4[] (its type OID on the wire). */
static orb_value typed_null(orb_type t) {
  orb_value v = orb_null((orb_type_id)t.id);
  if (t.id == ORB_T_ARRAY) v.scale = (uint8_t)t.elem;
  return v;
}

static orb_status eval_array(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out, orb_err *err) {
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * (size_t)(x->nargs ? x->nargs : 1));
  for (int i = 0; i < x->nargs; i++) {
    orb_status st = orb_expr_eval(x->args[i], ctx, row, &items[i], err);
    if (st != ORB_OK) return st;
    /* a NULL element or field keeps its type (a record's fields each have their own) */
    if (items[i].isnull)
      items[i] = x->type.id == ORB_T_RECORD ? typed_null(x->args[i]->type) : orb_null((orb_type_id)x->type.elem);
  }
  if (x->type.id == ORB_T_RECORD) {
    *out = orb_record_make(ctx->arena, items, (uint32_t)x->nargs);
    ((orb_array *)out->u.arr)->untyped = (uint64_t)x->value.u.i;
  } else *out = orb_array_make(ctx->arena, (orb_type_id)x->type.elem, items, (uint32_t)x->nargs);
  return ORB_OK;
}

/* A record of the arguments' values; like an array's items, text fields keep
** pointing at their source (orb_value_copy copies a record deeply). */
static orb_status eval_row(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out, orb_err *err) {
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * (size_t)(x->nargs ? x->nargs : 1));
  for (int i = 0; i < x->nargs; i++) {
    orb_status st = orb_expr_eval(x->args[i], ctx, row, &items[i], err);
    if (st != ORB_OK) return st;
    if (items[i].isnull) items[i] = typed_null(x->args[i]->type);
  }
  *out = orb_record_make(ctx->arena, items, (uint32_t)x->nargs);
  return ORB_OK;
}

/* IS [NOT] NULL of a record tests its fields, as PostgreSQL does: IS NULL
** when every field is NULL, IS NOT NULL when none is. */
static bool record_is_null(const orb_value *v, bool negate) {
  if (v->isnull) return !negate;
  for (uint32_t k = 0; k < v->u.arr->n; k++)
    if ((v->u.arr->items[k].isnull != 0) == negate) return false;
  return true;
}

static orb_status eval_subscript(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out,
                                 orb_err *err) {
  orb_value arr, k;
  orb_status st;
  if ((st = orb_expr_eval(x->args[0], ctx, row, &arr, err)) != ORB_OK) return st;
  if ((st = orb_expr_eval(x->args[1], ctx, row, &k, err)) != ORB_OK) return st;
  int64_t at = k.isnull || arr.isnull ? -1 : k.u.i - arr.u.arr->lower;
  if (arr.isnull || k.isnull || at < 0 || at >= (int64_t)arr.u.arr->n) *out = orb_null((orb_type_id)x->type.id);
  else *out = arr.u.arr->items[at];
  return ORB_OK;
}

static orb_status eval_field(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out, orb_err *err) {
  orb_value rec;
  orb_status st = orb_expr_eval(x->args[0], ctx, row, &rec, err);
  if (st != ORB_OK) return st;
  if (rec.isnull || x->op >= rec.u.arr->n) *out = orb_null((orb_type_id)x->type.id);
  else *out = rec.u.arr->items[x->op];
  return ORB_OK;
}

/* --- evaluation -------------------------------------------------------------------- */

orb_status orb_expr_eval(orb_expr *x, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out, orb_err *err) {
  orb_value a, b;
  orb_status st;
  switch ((orb_expr_kind)x->kind) {
  case ORB_E_CONST:
    *out = x->value;
    return ORB_OK;
  case ORB_E_COLUMN:
    *out = row[x->slot];
    return ORB_OK;
  case ORB_E_OUTER:
    if (!ctx->outer || x->slot >= ctx->nouter)
      return orb_err_set(err, ORB_ERR_INTERNAL, "outer reference %d outside its subquery", x->slot);
    *out = ctx->outer[x->slot];
    return ORB_OK;
  case ORB_E_PARAM:
    if (!ctx->params || x->slot >= ctx->nparams) {
      *out = orb_null((orb_type_id)x->type.id);
      return ORB_OK;
    }
    *out = ctx->params[x->slot];
    if (!out->isnull && out->type != x->type.id) {
      st = orb_value_cast(&ctx->params[x->slot], x->type, ctx->arena, out, err);
      return st;
    }
    return ORB_OK;
  case ORB_E_CAST:
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if (a.isnull) {
      *out = orb_null((orb_type_id)x->type.id);
      return ORB_OK;
    }
    if ((x->flags & ORB_EF_ASSIGN) && a.type == ORB_T_TEXT) {
      /* assignment: the value is checked by the type's input rules, which refuse overlong text */
      return orb_value_from_text(a.u.s, a.len, x->type, ctx->arena, out, err);
    }
    if ((x->flags & ORB_EF_ASSIGN) && a.type == ORB_T_ARRAY) return orb_array_assign(&a, x->type, ctx->arena, out, err);
    return orb_value_cast(&a, x->type, ctx->arena, out, err);
  case ORB_E_ARITH:
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if (x->op == ORB_E_OP_NEG) {
      if (a.isnull) {
        *out = orb_null((orb_type_id)x->type.id);
        return ORB_OK;
      }
      return orb_negate(&a, out, err);
    }
    if ((st = orb_expr_eval(x->args[1], ctx, row, &b, err)) != ORB_OK) return st;
    if (x->op == ORB_E_OP_CONCAT) return eval_concat(&a, &b, ctx, x->type, out);
    if (a.isnull || b.isnull) {
      *out = orb_null((orb_type_id)x->type.id);
      return ORB_OK;
    }
    return orb_arith((orb_arith_op)x->op, &a, &b, x->type, out, err);
  case ORB_E_CMP:
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if (a.isnull) {
      *out = null_bool();
      return ORB_OK;
    }
    if ((st = orb_expr_eval(x->args[1], ctx, row, &b, err)) != ORB_OK) return st;
    return eval_cmp(x, &a, &b, out);
  case ORB_E_AND:
  case ORB_E_OR: {
    /* AND: false wins, then NULL; OR: true wins, then NULL */
    bool stop_on = x->kind == ORB_E_OR;
    bool saw_null = false;
    for (int i = 0; i < x->nargs; i++) {
      if ((st = orb_expr_eval(x->args[i], ctx, row, &a, err)) != ORB_OK) return st;
      if (a.isnull) saw_null = true;
      else if (a.u.b == stop_on) {
        *out = bool_val(stop_on);
        return ORB_OK;
      }
    }
    *out = saw_null ? null_bool() : bool_val(!stop_on);
    return ORB_OK;
  }
  case ORB_E_NOT:
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    *out = a.isnull ? null_bool() : bool_val(!a.u.b);
    return ORB_OK;
  case ORB_E_IS_NULL:
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if (a.type == ORB_T_RECORD) *out = bool_val(record_is_null(&a, (x->flags & ORB_EF_NEGATE) != 0));
    else *out = bool_val((a.isnull != 0) != ((x->flags & ORB_EF_NEGATE) != 0));
    return ORB_OK;
  case ORB_E_IS_BOOL: {
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    bool v = x->op == 2 ? a.isnull : !a.isnull && a.u.b == (x->op == 1);
    *out = bool_val(v != ((x->flags & ORB_EF_NEGATE) != 0));
    return ORB_OK;
  }
  case ORB_E_DISTINCT: {
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if ((st = orb_expr_eval(x->args[1], ctx, row, &b, err)) != ORB_OK) return st;
    bool distinct = a.isnull || b.isnull ? a.isnull != b.isnull : orb_value_cmp(&a, &b) != 0;
    /* flags & NEGATE: IS NOT DISTINCT FROM */
    *out = bool_val(distinct != ((x->flags & ORB_EF_NEGATE) != 0));
    return ORB_OK;
  }
  case ORB_E_IN: {
    bool neg = (x->flags & ORB_EF_NEGATE) != 0;
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if (a.isnull) {
      *out = null_bool();
      return ORB_OK;
    }
    bool saw_null = false;
    int found = orb_in_set_probe(x, &a, &saw_null);
    if (found >= 0) {
      *out = found ? bool_val(!neg) : saw_null ? null_bool() : bool_val(neg);
      return ORB_OK;
    }
    for (int i = 1; i < x->nargs; i++) {
      if ((st = orb_expr_eval(x->args[i], ctx, row, &b, err)) != ORB_OK) return st;
      if (b.isnull) {
        saw_null = true;
        continue;
      }
      if (orb_value_cmp(&a, &b) == 0) {
        *out = bool_val(!neg);
        return ORB_OK;
      }
    }
    *out = saw_null ? null_bool() : bool_val(neg);
    return ORB_OK;
  }
  case ORB_E_LIKE: {
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if ((st = orb_expr_eval(x->args[1], ctx, row, &b, err)) != ORB_OK) return st;
    if (a.isnull || b.isnull) {
      *out = null_bool();
      return ORB_OK;
    }
    bool m;
    if ((st = orb_like(&a, &b, (x->flags & ORB_EF_ICASE) != 0, ctx->arena, &m, err)) != ORB_OK) return st;
    *out = bool_val(m != ((x->flags & ORB_EF_NEGATE) != 0));
    return ORB_OK;
  }
  case ORB_E_CASE: {
    int pairs = (x->flags & ORB_EF_HAS_ELSE) ? (x->nargs - 1) / 2 : x->nargs / 2;
    for (int i = 0; i < pairs; i++) {
      if ((st = orb_expr_eval(x->args[2 * i], ctx, row, &a, err)) != ORB_OK) return st;
      if (!a.isnull && a.u.b) return orb_expr_eval(x->args[2 * i + 1], ctx, row, out, err);
    }
    if (x->flags & ORB_EF_HAS_ELSE) return orb_expr_eval(x->args[x->nargs - 1], ctx, row, out, err);
    *out = orb_null((orb_type_id)x->type.id);
    return ORB_OK;
  }
  case ORB_E_COALESCE:
    for (int i = 0; i < x->nargs; i++) {
      if ((st = orb_expr_eval(x->args[i], ctx, row, out, err)) != ORB_OK) return st;
      if (!out->isnull) return ORB_OK;
    }
    *out = orb_null((orb_type_id)x->type.id);
    return ORB_OK;
  case ORB_E_NULLIF:
    if ((st = orb_expr_eval(x->args[0], ctx, row, &a, err)) != ORB_OK) return st;
    if ((st = orb_expr_eval(x->args[1], ctx, row, &b, err)) != ORB_OK) return st;
    *out = !a.isnull && !b.isnull && orb_value_cmp(&a, &b) == 0 ? orb_null((orb_type_id)x->type.id) : a;
    return ORB_OK;
  case ORB_E_FUNC:
    return eval_func(x, ctx, row, out, err);
  case ORB_E_SUBLINK:
    return eval_sublink(x, ctx, row, out, err);
  case ORB_E_ARRAY:
    return eval_array(x, ctx, row, out, err);
  case ORB_E_ANY:
    return eval_any(x, ctx, row, out, err);
  case ORB_E_SUBSCRIPT:
    return eval_subscript(x, ctx, row, out, err);
  case ORB_E_FIELD:
    return eval_field(x, ctx, row, out, err);
  case ORB_E_ROW:
    return eval_row(x, ctx, row, out, err);
  }
  return orb_err_set(err, ORB_ERR_INTERNAL, "unknown expression kind %d", (int)x->kind);
}

orb_status orb_expr_test(orb_expr *e, const orb_eval_ctx *ctx, const orb_value *row, bool *result, orb_err *err) {
  orb_value v;
  orb_status st = orb_expr_eval(e, ctx, row, &v, err);
  *result = st == ORB_OK && !v.isnull && v.u.b;
  return st;
}
