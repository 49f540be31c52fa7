/* query/binder_json.c — binding the json operators (-> ->> #> #>> @> <@ ?
** ?| ?& #-, and - and || with a jsonb operand) to the functions PostgreSQL
** implements them with (expr/func_json_*.c): jsonb_object_field for
** jsonb -> text, json_array_element for json -> int, and so on.  An
** untyped literal operand takes the type the operator wants ('{a,b}' is a
** text[] path, '{"a":1}' a jsonb); anything else that is not the operator's
** type is 42883 "operator does not exist: json @> json" as in PostgreSQL. */
#include <string.h>

#include "query/binder_int.h"
#include "expr/func.h"

static const char *op_text(int op) {
  switch (op) {
  case OQL_OP_JSON_GET: return "->";
  case OQL_OP_JSON_GET_TEXT: return "->>";
  case OQL_OP_JSON_PATH: return "#>";
  case OQL_OP_JSON_PATH_TEXT: return "#>>";
  case OQL_OP_JSON_CONTAINS: return "@>";
  case OQL_OP_JSON_CONTAINED: return "<@";
  case OQL_OP_JSON_EXISTS: return "?";
  case OQL_OP_JSON_EXISTS_ANY: return "?|";
  case OQL_OP_JSON_EXISTS_ALL: return "?&";
  case OQL_OP_JSON_DELETE_PATH: return "#-";
  case OQL_OP_SUB: return "-";
  case OQL_OP_CONCAT: return "||";
  }
  return "?";
}

static orb_status no_operator(oql_binder *b, int op, orb_expr *l, orb_expr *r, int pos, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s %s %s", oql_type_name(b, l),
                      op_text(op), oql_type_name(b, r));
}

/* Operand x as type t: an untyped literal or NULL is cast; otherwise it must already be t. */
static bool take(oql_binder *b, orb_expr **x, orb_type t, orb_err *e) {
  if (oql_is_unknown(*x) || (*x)->type.id == ORB_T_NULL) return oql_coerce(b, x, t, e) == ORB_OK;
  if ((*x)->type.id == ORB_T_INT16 && t.id == ORB_T_INT32) return oql_coerce(b, x, t, e) == ORB_OK;
  return orb_type_equal((*x)->type, t) || ((*x)->type.id == t.id && t.id == ORB_T_TEXT);
}

static orb_status call(oql_binder *b, const char *name, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  const orb_func *f = orb_func_lookup(name);
  orb_type types[2] = {l->type, r->type}, rt;
  if (!f || f->resolve(f, 2, types, &rt, e) != ORB_OK)
    return orb_err_setx(e, ORB_ERR_INTERNAL, "XX000", pos, "json operator function %s did not resolve", name);
  orb_expr *x = orb_expr_new(b->a, ORB_E_FUNC, rt, 2);
  x->func = f;
  x->pos = pos;
  x->args[0] = l;
  x->args[1] = r;
  *out = x;
  return ORB_OK;
}

bool oql_is_jsonb_operand(const orb_expr *x) { return x->type.id == ORB_T_JSONB && !oql_is_unknown(x); }

static bool is_json_operand(const orb_expr *x) { return orb_type_is_json((orb_type_id)x->type.id) && !oql_is_unknown(x); }

bool oql_is_json_operand_pair(const orb_expr *l, const orb_expr *r) {
  return is_json_operand(l) || ((oql_is_unknown(l) || l->type.id == ORB_T_NULL) && is_json_operand(r));
}

orb_status oql_b_json_op(oql_binder *b, int op, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  orb_type jsonb = orb_type_make(ORB_T_JSONB), text = orb_type_make(ORB_T_TEXT), path = orb_type_array(ORB_T_TEXT);
  if (oql_is_unknown(l) || l->type.id == ORB_T_NULL) oql_coerce(b, &l, jsonb, e);
  bool is_jsonb = l->type.id == ORB_T_JSONB;
  if (!is_jsonb && l->type.id != ORB_T_JSON) return no_operator(b, op, l, r, pos, e);
  const char *pfx = is_jsonb ? "jsonb" : "json";
  char name[48];
  switch (op) {
  case OQL_OP_JSON_GET:
  case OQL_OP_JSON_GET_TEXT: {
    const char *sfx = op == OQL_OP_JSON_GET_TEXT ? "_text" : "";
    if (!oql_is_unknown(r) && (r->type.id == ORB_T_INT32 || r->type.id == ORB_T_INT16)) {
      take(b, &r, orb_type_make(ORB_T_INT32), e);
      snprintf(name, sizeof name, "%s_array_element%s", pfx, sfx);
    } else if (take(b, &r, text, e)) {
      snprintf(name, sizeof name, "%s_object_field%s", pfx, sfx);
    } else {
      return no_operator(b, op, l, r, pos, e);
    }
    return call(b, name, l, r, pos, out, e);
  }
  case OQL_OP_JSON_PATH:
  case OQL_OP_JSON_PATH_TEXT:
    if (!take(b, &r, path, e)) return no_operator(b, op, l, r, pos, e);
    snprintf(name, sizeof name, "%s_extract_path%s", pfx, op == OQL_OP_JSON_PATH_TEXT ? "_text" : "");
    return call(b, name, l, r, pos, out, e);
  default:
    break;
  }
  /* the rest are jsonb's alone */
  if (!is_jsonb) return no_operator(b, op, l, r, pos, e);
  switch (op) {
  case OQL_OP_JSON_CONTAINS:
  case OQL_OP_JSON_CONTAINED:
    if (!take(b, &r, jsonb, e)) return no_operator(b, op, l, r, pos, e);
    return call(b, op == OQL_OP_JSON_CONTAINS ? "jsonb_contains" : "jsonb_contained", l, r, pos, out, e);
  case OQL_OP_JSON_EXISTS:
    if (!take(b, &r, text, e)) return no_operator(b, op, l, r, pos, e);
    return call(b, "jsonb_exists", l, r, pos, out, e);
  case OQL_OP_JSON_EXISTS_ANY:
  case OQL_OP_JSON_EXISTS_ALL:
    if (!take(b, &r, path, e)) return no_operator(b, op, l, r, pos, e);
    return call(b, op == OQL_OP_JSON_EXISTS_ANY ? "jsonb_exists_any" : "jsonb_exists_all", l, r, pos, out, e);
  case OQL_OP_JSON_DELETE_PATH:
    if (!take(b, &r, path, e)) return no_operator(b, op, l, r, pos, e);
    return call(b, "jsonb_delete_path", l, r, pos, out, e);
  case OQL_OP_SUB:
    /* jsonb - text, jsonb - integer, jsonb - text[] */
    if (!oql_is_unknown(r) && (r->type.id == ORB_T_INT32 || r->type.id == ORB_T_INT16)) take(b, &r, orb_type_make(ORB_T_INT32), e);
    else if (!oql_is_unknown(r) && r->type.id == ORB_T_ARRAY) {
      if (r->type.elem != ORB_T_TEXT) return no_operator(b, op, l, r, pos, e);
    } else if (!take(b, &r, text, e)) return no_operator(b, op, l, r, pos, e);
    return call(b, "jsonb_delete", l, r, pos, out, e);
  case OQL_OP_CONCAT:
    if (!take(b, &r, jsonb, e)) return no_operator(b, op, l, r, pos, e);
    return call(b, "jsonb_concat", l, r, pos, out, e);
  }
  return no_operator(b, op, l, r, pos, e);
}

/* --- set-returning functions ------------------------------------------------------------------ */

bool oql_is_json_srf_name(const char *name) {
  static const char *const names[] = {"json_each", "jsonb_each", "json_each_text", "jsonb_each_text",
                                      "json_array_elements", "jsonb_array_elements", "json_array_elements_text",
                                      "jsonb_array_elements_text", "json_object_keys", "jsonb_object_keys"};
  if (strncmp(name, "json", 4) != 0) return false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(name, names[i]) == 0) return true;
  return false;
}

orb_status oql_from_json_srf(oql_selctx *c, oql_selctx *fc, const char *fn, orb_expr **args, int nargs, const char *alias,
                             const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_expr *call;
  orb_status st = oql_b_call(fc, fn, args, nargs, false, false, pos, &call, e);
  if (st == ORB_OK) st = oql_b_finish(b, &call, e);
  if (st != ORB_OK) return st;
  bool each = strstr(fn, "_each") != NULL, keys = strstr(fn, "_keys") != NULL;
  size_t n = strlen(fn);
  bool text = n > 5 && strcmp(fn + n - 5, "_text") == 0;
  orb_type value = orb_type_make(text ? ORB_T_TEXT : fn[4] == 'b' ? ORB_T_JSONB : ORB_T_JSON);
  orb_type types[2] = {orb_type_make(ORB_T_TEXT), value};
  /* PostgreSQL's OUT parameter names: (key, value), value; object_keys has none, so the alias names it */
  const char *names[2] = {"key", "value"};
  int ncols = each ? 2 : 1;
  if (!each) {
    types[0] = keys ? orb_type_make(ORB_T_TEXT) : value;
    names[0] = keys ? (alias && ncolnames == 0 ? alias : fn) : "value";
  }
  if (ncolnames > ncols)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", pos, "too many column aliases specified for function %s", fn);
  *out = oql_from_unnest_cols(c, call, ncols, types, names, alias ? alias : fn, colnames, ncolnames);
  return ORB_OK;
}
