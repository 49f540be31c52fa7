/* query/binder_array.c — binding array expressions (types/array.h) with
** PostgreSQL's typing: ARRAY[...] takes its elements' common type, an
** untyped literal next to an array is read as that array type ('{1,2}'),
** `x op ANY (array)` compares x with the elements in their common type,
** `||` with an array operand is array_cat / array_append / array_prepend,
** @>, <@ and && are arraycontains / arraycontained / arrayoverlap. */
#include "query/binder_int.h"

#include "expr/func.h"

static orb_status not_array(oql_binder *b, const orb_expr *x, const char *what, int pos, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_TYPE, "42804", pos, "%s must be an array, not type %s", what, oql_type_name(b, x));
}

orb_status oql_b_array(oql_binder *b, orb_expr **items, int n, int pos, orb_expr **out, orb_err *e) {
  orb_type t;
  orb_status st = oql_unify_list(b, items, n, pos, &t, e);
  if (st != ORB_OK) return st;
  if (n == 0 || t.id == ORB_T_NULL)   /* PostgreSQL: ARRAY[] needs a cast; ARRAY[NULL] is text[] */
    t = orb_type_make(n ? ORB_T_TEXT : ORB_T_NULL);
  if (t.id == ORB_T_NULL)
    return orb_err_setx(e, ORB_ERR_TYPE, "42P18", pos, "cannot determine type of empty array");
  if (t.id == ORB_T_ARRAY)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "multidimensional arrays are not supported");
  orb_expr *x = orb_expr_new(b->a, ORB_E_ARRAY, orb_type_array((orb_type_id)t.id), n);
  x->pos = pos;
  for (int i = 0; i < n; i++) {
    if ((st = oql_coerce(b, &items[i], orb_type_make((orb_type_id)t.id), e)) != ORB_OK) return st;
    x->args[i] = items[i];
  }
  *out = x;
  return ORB_OK;
}

orb_status oql_b_row(oql_binder *b, orb_expr **items, int n, int pos, orb_expr **out, orb_err *e) {
  orb_expr *x = orb_expr_new(b->a, ORB_E_ARRAY, orb_type_make(ORB_T_RECORD), n);
  x->pos = pos;
  x->value = orb_int(ORB_T_INT64, 0);
  for (int i = 0; i < n; i++) {
    /* an untyped literal stays PostgreSQL's unknown in the record (its binary form says so) */
    if (oql_is_unknown(items[i]) && items[i]->kind == ORB_E_CONST && i < 64) x->value.u.i |= (int64_t)(UINT64_C(1) << i);
    orb_status st = oql_is_unknown(items[i]) ? oql_coerce(b, &items[i], orb_type_make(ORB_T_TEXT), e) : ORB_OK;
    if (st == ORB_OK) st = oql_b_finish(b, &items[i], e);
    if (st != ORB_OK) return st;
    x->args[i] = items[i];
  }
  *out = x;
  return ORB_OK;
}

orb_status oql_b_subscript(oql_binder *b, orb_expr *arr, orb_expr *k, int pos, orb_expr **out, orb_err *e) {
  if (arr->type.id != ORB_T_ARRAY) {
    if (arr->type.id == ORB_T_NULL && !oql_is_unknown(arr)) {   /* NULL[1] is NULL */
      *out = arr;
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_TYPE, "42804", pos, "cannot subscript type %s because it does not support subscripting",
                        oql_type_name(b, arr));
  }
  orb_status st = oql_coerce(b, &k, orb_type_make(ORB_T_INT64), e);
  if (st != ORB_OK) return st;
  if (!orb_type_is_integer((orb_type_id)k->type.id))
    return orb_err_setx(e, ORB_ERR_TYPE, "42804", k->pos ? k->pos : pos, "array subscript must have type integer");
  orb_expr *x = orb_expr_new(b->a, ORB_E_SUBSCRIPT, orb_type_make((orb_type_id)arr->type.elem), 2);
  x->args[0] = arr;
  x->args[1] = k;
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

/* Bring an array operand to an array type: an untyped literal or NULL
** becomes an array of `elem`. */
static orb_status as_array(oql_binder *b, orb_expr **arr, orb_type_id elem, const char *what, int pos, orb_err *e) {
  if ((*arr)->type.id == ORB_T_ARRAY) return ORB_OK;
  if (oql_is_unknown(*arr) || (*arr)->type.id == ORB_T_NULL) {
    if (elem == ORB_T_NULL) elem = ORB_T_TEXT;
    return oql_coerce(b, arr, orb_type_array(elem), e);
  }
  return not_array(b, *arr, what, pos, e);
}

orb_status oql_b_any(oql_binder *b, orb_cmp_op op, bool all, orb_expr *l, orb_expr *arr, int pos, orb_expr **out,
                     orb_err *e) {
  orb_status st;
  orb_type_id lt = oql_is_unknown(l) ? ORB_T_NULL : (orb_type_id)l->type.id;
  if ((st = as_array(b, &arr, lt, "op ANY/ALL (array)", pos, e)) != ORB_OK) return st;
  orb_type et = orb_type_make((orb_type_id)arr->type.elem), common;
  if (oql_is_unknown(l) || l->type.id == ORB_T_NULL) {
    common = et;
  } else if (orb_type_common(l->type, et, &common, e) != ORB_OK) {
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
    orb_buf en = ORB_BUF_INIT;
    orb_type_format(et, &en);
    st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s %s %s", oql_type_name(b, l),
                      ops[op], en.data);
    orb_buf_free(&en);
    return st;
  }
  if ((st = oql_coerce(b, &l, common, e)) != ORB_OK) return st;
  if (common.id != et.id && (st = oql_coerce(b, &arr, orb_type_array((orb_type_id)common.id), e)) != ORB_OK) return st;
  orb_expr *x = orb_expr_new(b->a, ORB_E_ANY, orb_type_make(ORB_T_BOOL), 2);
  x->op = (uint8_t)op;
  if (all) x->flags |= ORB_EF_ALL;
  x->args[0] = l;
  x->args[1] = arr;
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

/* A call of a builtin the binder itself chose (array_cat and friends). */
static orb_expr *builtin(oql_binder *b, const char *name, orb_type rt, orb_expr *x, orb_expr *y, int pos) {
  orb_expr *c = orb_expr_new(b->a, ORB_E_FUNC, rt, 2);
  c->func = orb_func_lookup(name);
  c->args[0] = x;
  c->args[1] = y;
  c->pos = pos;
  return c;
}

bool oql_is_array_operand(const orb_expr *x) { return x->type.id == ORB_T_ARRAY && !oql_is_unknown(x); }

orb_status oql_b_array_concat(oql_binder *b, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  orb_status st;
  bool la = oql_is_array_operand(l), ra = oql_is_array_operand(r);
  if (la && (ra || oql_is_unknown(r))) {   /* array || array ('{...}' literals are arrays here) */
    if ((st = as_array(b, &r, (orb_type_id)l->type.elem, "||", pos, e)) != ORB_OK) return st;
    orb_type t;
    if ((st = orb_type_common(l->type, r->type, &t, e)) != ORB_OK) {
      e->pos = pos;
      return st;
    }
    if ((st = oql_coerce(b, &l, t, e)) != ORB_OK || (st = oql_coerce(b, &r, t, e)) != ORB_OK) return st;
    *out = builtin(b, "array_cat", t, l, r, pos);
    return ORB_OK;
  }
  orb_expr *arr = la ? l : r, *item = la ? r : l;
  orb_type et = orb_type_make((orb_type_id)arr->type.elem);
  if (item->type.id == ORB_T_ARRAY)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "multidimensional arrays are not supported");
  orb_type common;
  orb_err tmp;
  if (!oql_is_unknown(item) && item->type.id != ORB_T_NULL &&
      (orb_type_common(item->type, et, &common, &tmp) != ORB_OK || common.id != et.id))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s || %s", oql_type_name(b, l),
                        oql_type_name(b, r));
  if ((st = oql_coerce(b, &item, et, e)) != ORB_OK) return st;
  *out = la ? builtin(b, "array_append", arr->type, arr, item, pos) : builtin(b, "array_prepend", arr->type, item, arr, pos);
  return ORB_OK;
}

orb_status oql_b_array_set_op(oql_binder *b, const char *op, orb_expr *l, orb_expr *r, int pos, orb_expr **out,
                              orb_err *e) {
  bool la = oql_is_array_operand(l), ra = oql_is_array_operand(r);
  /* an untyped literal takes the other side's array type ('{a,b}'), two of them are text[] */
  bool lu = oql_is_unknown(l) || l->type.id == ORB_T_NULL, ru = oql_is_unknown(r) || r->type.id == ORB_T_NULL;
  if (!((la || lu) && (ra || ru)))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s %s %s", oql_type_name(b, l), op,
                        oql_type_name(b, r));
  orb_status st;
  if ((st = as_array(b, &l, ra ? (orb_type_id)r->type.elem : ORB_T_TEXT, op, pos, e)) != ORB_OK ||
      (st = as_array(b, &r, (orb_type_id)l->type.elem, op, pos, e)) != ORB_OK)
    return st;
  /* anyarray's two sides are one type: PostgreSQL casts no array type to another implicitly */
  orb_type t;
  if (l->type.elem != r->type.elem || orb_type_common(l->type, r->type, &t, e) != ORB_OK)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s %s %s", oql_type_name(b, l), op,
                        oql_type_name(b, r));
  if ((st = oql_coerce(b, &l, t, e)) != ORB_OK || (st = oql_coerce(b, &r, t, e)) != ORB_OK) return st;
  const char *fn = op[0] == '@' ? "arraycontains" : op[0] == '<' ? "arraycontained" : "arrayoverlap";
  *out = builtin(b, fn, orb_type_make(ORB_T_BOOL), l, r, pos);
  return ORB_OK;
}
