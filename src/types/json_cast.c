/* types/json_cast.c — casts to and from json and jsonb (types/json.h):
** json <-> jsonb, and jsonb scalars to boolean and the number types with
** PostgreSQL's errors ("cannot cast jsonb string to type integer"). */
#include <string.h>

#include "types/json.h"
#include "types/value.h"

static const char *kind_name(const orb_json *j) {
  switch ((orb_json_kind)j->kind) {
  case ORB_JSON_NULL: return "null";
  case ORB_JSON_STRING: return "string";
  case ORB_JSON_NUMBER: return "numeric";
  case ORB_JSON_BOOL: return "boolean";
  case ORB_JSON_ARRAY: return "array";
  case ORB_JSON_OBJECT: return "object";
  }
  return "?";
}

static orb_status no_cast(orb_type_id from, orb_type to, orb_err *e) {
  orb_buf fa = ORB_BUF_INIT, ta = ORB_BUF_INIT;
  orb_type_format(orb_type_make(from), &fa);
  orb_type_format(to, &ta);
  orb_status st = orb_err_setx(e, ORB_ERR_TYPE, "42846", 0, "cannot cast type %s to %s", fa.data, ta.data);
  orb_buf_free(&fa);
  orb_buf_free(&ta);
  return st;
}

/* jsonb scalar -> boolean / number. */
static orb_status from_jsonb_scalar(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  orb_json *j;
  orb_status st = orb_json_parse(v->u.s, v->len, "jsonb", &tmp, &j, e);
  if (st != ORB_OK) {
    orb_arena_free(&tmp);
    return st;
  }
  bool want_bool = t.id == ORB_T_BOOL;
  if (j->kind != (want_bool ? ORB_JSON_BOOL : ORB_JSON_NUMBER)) {
    orb_buf tn = ORB_BUF_INIT;
    orb_type_format(t.id == ORB_T_DECIMAL ? orb_type_decimal(0, 0) : t, &tn);
    st = orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot cast jsonb %s to type %s", kind_name(j), tn.data);
    orb_buf_free(&tn);
  } else if (want_bool) {
    *out = orb_bool(j->b);
  } else {
    /* through NUMERIC, as PostgreSQL's jsonb_int4 goes through numeric_int4 */
    orb_buf num = ORB_BUF_INIT;
    st = orb_json_number_normalize(j->s, j->n, &num, e);
    orb_value d;
    if (st == ORB_OK) st = orb_value_from_text(num.data, num.len, orb_type_decimal(0, 0), a, &d, e);
    if (st == ORB_OK) st = t.id == ORB_T_DECIMAL && t.precision == 0 ? (*out = d, ORB_OK) : orb_value_cast(&d, t, a, out, e);
    orb_buf_free(&num);
  }
  orb_arena_free(&tmp);
  return st;
}

orb_status orb_json_cast(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  orb_type_id from = (orb_type_id)v->type, to = (orb_type_id)t.id;
  if (from == to) {
    *out = *v;
    return ORB_OK;
  }
  if (from == ORB_T_JSON && to == ORB_T_JSONB) return orb_jsonb_from_text(v->u.s, v->len, a, out, e);
  if (from == ORB_T_JSONB && to == ORB_T_JSON) {
    *out = *v;
    out->type = ORB_T_JSON;
    return ORB_OK;
  }
  if (from == ORB_T_JSONB && (to == ORB_T_BOOL || orb_type_is_numeric(to))) return from_jsonb_scalar(v, t, a, out, e);
  return no_cast(from, t, e);
}
