/* expr/func_json_srf.c — the rows of json's set-returning functions,
** json(b)_each, json(b)_each_text, json(b)_array_elements(_text) and
** json(b)_object_keys, made as one array value per call: the binder
** unnests it (query/binder_srf.c in a select list, an Unnest FROM item in
** FROM), so these functions are never called as scalars.  _each gives
** records (key, value); the others, the elements or keys themselves. */
#include <string.h>

#include "expr/func_json_int.h"

typedef enum { S_EACH, S_ELEMENTS, S_KEYS } srf_kind;

static srf_kind kind_of(const orb_func *f) {
  return strstr(f->name, "_each") ? S_EACH : strstr(f->name, "_elements") ? S_ELEMENTS : S_KEYS;
}
static bool as_text(const orb_func *f) {
  size_t n = strlen(f->name);
  return n > 5 && strcmp(f->name + n - 5, "_text") == 0;
}
static orb_type_id json_of(const orb_func *f) { return strncmp(f->name, "jsonb", 5) == 0 ? ORB_T_JSONB : ORB_T_JSON; }

orb_type orb_fnj_srf_row_type(const orb_func *f);
orb_type orb_fnj_srf_row_type(const orb_func *f) {
  if (kind_of(f) == S_EACH) return orb_type_make(ORB_T_RECORD);
  if (kind_of(f) == S_KEYS || as_text(f)) return orb_type_make(ORB_T_TEXT);
  return orb_type_make(json_of(f));
}

static orb_status r_srf(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n;
  orb_type_id j = json_of(f);
  if (t[0].id != j && !orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(j);
  *res = orb_type_array((orb_type_id)orb_fnj_srf_row_type(f).id);
  return ORB_OK;
}

JEVAL(f_srf) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  srf_kind k = kind_of(f);
  bool text = as_text(f);
  orb_type_id jt = json_of(f);
  const char *fn = f->name;
  if (k != S_ELEMENTS ? j->kind != ORB_JSON_OBJECT : j->kind != ORB_JSON_ARRAY) {
    bool jsonb = jt == ORB_T_JSONB, arr = j->kind == ORB_JSON_ARRAY, obj = j->kind == ORB_JSON_OBJECT;
    const char *what = NULL;   /* "cannot call f on <what>", or a message of its own */
    if (k == S_ELEMENTS) {
      if (jsonb)
        return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot extract elements from %s", obj ? "an object" : "a scalar");
      what = obj ? "a non-array" : "a scalar";
    } else if (k == S_KEYS) {
      what = arr ? "an array" : "a scalar";
    } else if (jsonb) {
      what = "a non-object";
    } else {
      return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot deconstruct %s", arr ? "an array as an object" : "a scalar");
    }
    return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot call %s on %s", fn, what);
  }
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * (j->n ? j->n : 1));
  for (uint32_t i = 0; i < j->n; i++) {
    if (k == S_ELEMENTS) {
      items[i] = text ? orb_fnj_text(ctx, j->elems[i]) : orb_fnj_value(ctx, j->elems[i], jt);
    } else if (k == S_KEYS) {
      items[i] = orb_fn_text(ctx, j->members[i].key, j->members[i].klen);
    } else {
      orb_value *fields = orb_arena_alloc(ctx->arena, sizeof(orb_value) * 2);
      fields[0] = orb_fn_text(ctx, j->members[i].key, j->members[i].klen);
      fields[1] = text ? orb_fnj_text(ctx, j->members[i].val) : orb_fnj_value(ctx, j->members[i].val, jt);
      items[i] = orb_record_make(ctx->arena, fields, 2);
    }
  }
  *out = orb_array_make(ctx->arena, (orb_type_id)rt.elem, items, j->n);
  return ORB_OK;
}

const orb_func orb_funcs_json_srf[] = {
    {"json_each", 1, 1, 0, r_srf, f_srf},
    {"jsonb_each", 1, 1, 0, r_srf, f_srf},
    {"json_each_text", 1, 1, 0, r_srf, f_srf},
    {"jsonb_each_text", 1, 1, 0, r_srf, f_srf},
    {"json_array_elements", 1, 1, 0, r_srf, f_srf},
    {"jsonb_array_elements", 1, 1, 0, r_srf, f_srf},
    {"json_array_elements_text", 1, 1, 0, r_srf, f_srf},
    {"jsonb_array_elements_text", 1, 1, 0, r_srf, f_srf},
    {"json_object_keys", 1, 1, 0, r_srf, f_srf},
    {"jsonb_object_keys", 1, 1, 0, r_srf, f_srf},
};
const int orb_nfuncs_json_srf = sizeof orb_funcs_json_srf / sizeof orb_funcs_json_srf[0];
