/* expr/func_json_get.c — reading json and jsonb: the functions behind the
** operators -> ->> #> #>> (json_object_field, json_array_element,
** json_extract_path and their _text and jsonb_ forms), ? ?| ?& (jsonb_exists,
** _any, _all), @> <@ (jsonb_contains, jsonb_contained), and json(b)_typeof,
** json(b)_array_length.  A missing key or index gives NULL, as in
** PostgreSQL. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "expr/func_json_int.h"

/* --- shared helpers (func_json_int.h) ------------------------------------------------------- */

orb_status orb_fnj_parse(const orb_eval_ctx *ctx, const orb_value *v, orb_json **out, orb_err *e) {
  return orb_json_parse(v->u.s, v->len, v->type == ORB_T_JSONB ? "jsonb" : "json", ctx->arena, out, e);
}

orb_value orb_fnj_value(const orb_eval_ctx *ctx, const orb_json *j, orb_type_id t) {
  return t == ORB_T_JSONB ? (j->raw ? orb_json_value(j, ctx->arena) : orb_jsonb_value(j, ctx->arena))
                          : orb_json_value(j, ctx->arena);
}

orb_value orb_fnj_text(const orb_eval_ctx *ctx, const orb_json *j) {
  if (j->kind == ORB_JSON_NULL) return orb_null(ORB_T_TEXT);
  if (j->kind == ORB_JSON_STRING) return orb_fn_text(ctx, j->s, j->n);
  orb_value v = orb_json_value(j, ctx->arena);
  v.type = ORB_T_TEXT;
  return v;
}

bool orb_fnj_is(orb_type t, orb_type_id j) {
  return j == ORB_T_NULL ? orb_type_is_json((orb_type_id)t.id) : t.id == j;
}

orb_json *orb_fnj_field(const orb_json *j, const char *key, size_t klen) {
  if (j->kind != ORB_JSON_OBJECT) return NULL;
  for (uint32_t i = j->n; i-- > 0;)
    if (j->members[i].klen == klen && memcmp(j->members[i].key, key, klen) == 0) return j->members[i].val;
  return NULL;
}

orb_json *orb_fnj_elem(const orb_json *j, int64_t i) {
  if (j->kind != ORB_JSON_ARRAY) return NULL;
  if (i < 0) i += j->n;
  return i >= 0 && i < (int64_t)j->n ? j->elems[i] : NULL;
}

bool orb_fnj_index(const char *s, size_t n, int64_t *out) {
  char buf[32];
  if (n == 0 || n >= sizeof buf) return false;
  memcpy(buf, s, n);
  buf[n] = 0;
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || *end || v < INT32_MIN || v > INT32_MAX) return false;
  *out = v;
  return true;
}

/* --- -> and ->> ------------------------------------------------------------------------------- */

static orb_type_id json_of(const orb_func *f) { return strncmp(f->name, "jsonb", 5) == 0 ? ORB_T_JSONB : ORB_T_JSON; }
static bool text_result(const orb_func *f) {
  size_t n = strlen(f->name);
  return n > 5 && strcmp(f->name + n - 5, "_text") == 0;
}

static orb_status r_get(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n;
  orb_type_id j = json_of(f);
  if (!orb_fnj_is(t[0], j) && !orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(j);
  bool field = strstr(f->name, "field") != NULL;
  if (field ? !orb_fn_is_text(t[1]) : !orb_type_is_integer((orb_type_id)t[1].id) && t[1].id != ORB_T_NULL)
    return orb_fn_no_match(e);
  t[1] = orb_type_make(field ? ORB_T_TEXT : ORB_T_INT32);
  *res = orb_type_make(text_result(f) ? ORB_T_TEXT : j);
  return ORB_OK;
}

static orb_status got(const orb_func *f, const orb_eval_ctx *ctx, const orb_json *x, orb_type rt, orb_value *out) {
  if (!x) *out = orb_null((orb_type_id)rt.id);
  else if (text_result(f)) *out = orb_fnj_text(ctx, x);
  else *out = orb_fnj_value(ctx, x, (orb_type_id)rt.id);
  return ORB_OK;
}

JEVAL(f_get) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  orb_json *x = a[1].type == ORB_T_TEXT ? orb_fnj_field(j, a[1].u.s, a[1].len) : orb_fnj_elem(j, a[1].u.i);
  /* jsonb keeps a top-level scalar as a one-element array: -> 0 (or -1) is the scalar itself */
  if (a[1].type != ORB_T_TEXT && a[0].type == ORB_T_JSONB && j->kind != ORB_JSON_ARRAY && j->kind != ORB_JSON_OBJECT &&
      (a[1].u.i == 0 || a[1].u.i == -1))
    x = j;
  return got(f, ctx, x, rt, out);
}

/* --- #> and #>>: json(b)_extract_path(j, VARIADIC text) or (j, text[]) -------------------------- */

static orb_status r_path(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  orb_type_id j = json_of(f);
  if (!orb_fnj_is(t[0], j) && !orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(j);
  if (n == 2 && t[1].id == ORB_T_ARRAY) {
    if (t[1].elem != ORB_T_TEXT) return orb_fn_no_match(e);
  } else {
    for (int i = 1; i < n; i++) {
      if (!orb_fn_is_text(t[i])) return orb_fn_no_match(e);
      t[i] = orb_type_make(ORB_T_TEXT);
    }
  }
  *res = orb_type_make(text_result(f) ? ORB_T_TEXT : j);
  return ORB_OK;
}

JEVAL(f_path) {
  JUNUSED;
  for (int i = 0; i < n; i++)
    if (a[i].isnull) {
      *out = orb_null((orb_type_id)rt.id);
      return ORB_OK;
    }
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  const orb_value *steps = a + 1;
  int nsteps = n - 1;
  if (n == 2 && a[1].type == ORB_T_ARRAY) steps = a[1].u.arr->items, nsteps = (int)a[1].u.arr->n;
  for (int i = 0; i < nsteps && j; i++) {
    if (steps[i].isnull) j = NULL;
    else if (j->kind == ORB_JSON_OBJECT) j = orb_fnj_field(j, steps[i].u.s, steps[i].len);
    else {
      int64_t k;
      j = orb_fnj_index(steps[i].u.s, steps[i].len, &k) ? orb_fnj_elem(j, k) : NULL;
    }
  }
  return got(f, ctx, j, rt, out);
}

/* --- ? ?| ?& ------------------------------------------------------------------------------------- */

static orb_status r_exists(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n;
  if (t[0].id != ORB_T_JSONB && t[0].id != ORB_T_NULL) return orb_fn_no_match(e);
  t[0] = orb_type_make(ORB_T_JSONB);
  if (strcmp(f->name, "jsonb_exists") == 0) {
    if (!orb_fn_is_text(t[1])) return orb_fn_no_match(e);
    t[1] = orb_type_make(ORB_T_TEXT);
  } else {
    if (!(t[1].id == ORB_T_ARRAY && t[1].elem == ORB_T_TEXT) && t[1].id != ORB_T_NULL) return orb_fn_no_match(e);
    t[1] = orb_type_array(ORB_T_TEXT);
  }
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}

/* A top-level key, or a string element of a top-level array (or the scalar string itself). */
static bool has_key(const orb_json *j, const char *k, size_t n) {
  if (j->kind == ORB_JSON_OBJECT) return orb_fnj_field(j, k, n) != NULL;
  if (j->kind == ORB_JSON_STRING) return j->n == n && memcmp(j->s, k, n) == 0;
  if (j->kind != ORB_JSON_ARRAY) return false;
  for (uint32_t i = 0; i < j->n; i++)
    if (j->elems[i]->kind == ORB_JSON_STRING && j->elems[i]->n == n && memcmp(j->elems[i]->s, k, n) == 0) return true;
  return false;
}

JEVAL(f_exists) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  if (a[1].type == ORB_T_TEXT) {
    *out = orb_bool(has_key(j, a[1].u.s, a[1].len));
    return ORB_OK;
  }
  bool all = strcmp(f->name, "jsonb_exists_all") == 0, r = all;
  const orb_array *keys = a[1].u.arr;
  for (uint32_t i = 0; i < keys->n; i++) {
    if (keys->items[i].isnull) continue;   /* PostgreSQL skips NULL keys */
    bool h = has_key(j, keys->items[i].u.s, keys->items[i].len);
    if (all && !h) r = false;
    if (!all && h) r = true;
  }
  *out = orb_bool(r);
  return ORB_OK;
}

/* --- @> <@ ------------------------------------------------------------------------------------------ */

static bool is_container(const orb_json *j) { return j->kind == ORB_JSON_ARRAY || j->kind == ORB_JSON_OBJECT; }

/* PostgreSQL's JsonbDeepContains below the top level. */
static bool deep_contains(const orb_json *a, const orb_json *b) {
  if (a->kind != b->kind) return false;
  if (!is_container(a)) return orb_json_cmp(a, b) == 0;
  if (a->kind == ORB_JSON_OBJECT) {
    for (uint32_t i = 0; i < b->n; i++) {
      const orb_json *av = orb_fnj_field(a, b->members[i].key, b->members[i].klen), *bv = b->members[i].val;
      if (!av || !deep_contains(av, bv)) return false;
    }
    return true;
  }
  for (uint32_t i = 0; i < b->n; i++) {
    bool found = false;
    for (uint32_t k = 0; k < a->n && !found; k++) found = deep_contains(a->elems[k], b->elems[i]);
    if (!found) return false;
  }
  return true;
}

bool orb_fnj_contains(const orb_json *a, const orb_json *b);
bool orb_fnj_contains(const orb_json *a, const orb_json *b) {
  /* top level: an array contains a scalar it has as an element; a scalar contains no array */
  if (a->kind == ORB_JSON_ARRAY && !is_container(b)) {
    for (uint32_t k = 0; k < a->n; k++)
      if (deep_contains(a->elems[k], b)) return true;
    return false;
  }
  return deep_contains(a, b);
}

static orb_status r_contains(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  for (int i = 0; i < 2; i++) {
    if (t[i].id != ORB_T_JSONB && t[i].id != ORB_T_NULL && !orb_fn_is_text(t[i])) return orb_fn_no_match(e);
    t[i] = orb_type_make(ORB_T_JSONB);
  }
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}

JEVAL(f_contains) {
  JUNUSED;
  orb_json *x, *y;
  orb_status st = orb_fnj_parse(ctx, &a[0], &x, e);
  if (st == ORB_OK) st = orb_fnj_parse(ctx, &a[1], &y, e);
  if (st != ORB_OK) return st;
  bool contained = strcmp(f->name, "jsonb_contained") == 0;
  *out = orb_bool(contained ? orb_fnj_contains(y, x) : orb_fnj_contains(x, y));
  return ORB_OK;
}

/* --- json(b)_typeof, json(b)_array_length ----------------------------------------------------------- */

static orb_status r_unary(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n;
  orb_type_id j = json_of(f);
  if (!orb_fnj_is(t[0], j) && t[0].id != ORB_T_NULL && !orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(j);
  *res = orb_type_make(strstr(f->name, "typeof") ? ORB_T_TEXT : ORB_T_INT32);
  return ORB_OK;
}

JEVAL(f_typeof) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  static const char *const names[] = {"null", "string", "number", "boolean", "array", "object"};
  const char *s = names[j->kind];
  *out = orb_text(s, strlen(s));
  return ORB_OK;
}

JEVAL(f_array_length) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  if (j->kind == ORB_JSON_OBJECT)
    return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot get array length of a non-array");
  if (j->kind != ORB_JSON_ARRAY)
    return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot get array length of a scalar");
  *out = orb_int(ORB_T_INT32, j->n);
  return ORB_OK;
}

const orb_func orb_funcs_json_get[] = {
    {"json_object_field", 2, 2, 0, r_get, f_get},
    {"json_object_field_text", 2, 2, 0, r_get, f_get},
    {"json_array_element", 2, 2, 0, r_get, f_get},
    {"json_array_element_text", 2, 2, 0, r_get, f_get},
    {"jsonb_object_field", 2, 2, 0, r_get, f_get},
    {"jsonb_object_field_text", 2, 2, 0, r_get, f_get},
    {"jsonb_array_element", 2, 2, 0, r_get, f_get},
    {"jsonb_array_element_text", 2, 2, 0, r_get, f_get},
    {"json_extract_path", 2, -1, ORB_FN_NULL_ARGS, r_path, f_path},
    {"json_extract_path_text", 2, -1, ORB_FN_NULL_ARGS, r_path, f_path},
    {"jsonb_extract_path", 2, -1, ORB_FN_NULL_ARGS, r_path, f_path},
    {"jsonb_extract_path_text", 2, -1, ORB_FN_NULL_ARGS, r_path, f_path},
    {"jsonb_exists", 2, 2, 0, r_exists, f_exists},
    {"jsonb_exists_any", 2, 2, 0, r_exists, f_exists},
    {"jsonb_exists_all", 2, 2, 0, r_exists, f_exists},
    {"jsonb_contains", 2, 2, 0, r_contains, f_contains},
    {"jsonb_contained", 2, 2, 0, r_contains, f_contains},
    {"json_typeof", 1, 1, 0, r_unary, f_typeof},
    {"jsonb_typeof", 1, 1, 0, r_unary, f_typeof},
    {"json_array_length", 1, 1, 0, r_unary, f_array_length},
    {"jsonb_array_length", 1, 1, 0, r_unary, f_array_length},
};
const int orb_nfuncs_json_get = sizeof orb_funcs_json_get / sizeof orb_funcs_json_get[0];
