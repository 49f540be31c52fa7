/* expr/func_json_build.c — making json and jsonb from SQL values: to_json,
** to_jsonb, row_to_json, array_to_json, json(b)_build_object,
** json(b)_build_array, json(b)_object.  The json forms print as
** PostgreSQL's do ({"a" : 1, "b" : 2} from json_build_object, [1,2] from
** array_to_json); the jsonb forms are the same text read as jsonb. */
#include <string.h>

#include "expr/func_json_int.h"

static orb_type_id json_of(const orb_func *f) { return strncmp(f->name, "jsonb", 5) == 0 || strcmp(f->name, "to_jsonb") == 0 ? ORB_T_JSONB : ORB_T_JSON; }

/* The result of type rt from json text b (freed here). */
static orb_status finish(const orb_eval_ctx *ctx, orb_buf *b, orb_type rt, orb_value *out, orb_err *e) {
  orb_status st = ORB_OK;
  if (rt.id == ORB_T_JSONB) st = orb_jsonb_from_text(b->data ? b->data : "", b->len, ctx->arena, out, e);
  else {
    *out = orb_fn_text(ctx, b->data ? b->data : "", b->len);
    out->type = ORB_T_JSON;
  }
  orb_buf_free(b);
  return st;
}

static orb_status r_any(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n, (void)t, (void)e;
  *res = orb_type_make(json_of(f));
  return ORB_OK;
}

/* --- to_json(x), to_jsonb(x) ------------------------------------------------------------------- */

JEVAL(f_to_json) {
  JUNUSED;
  orb_buf b = ORB_BUF_INIT;
  orb_json_append_value(&a[0], &b);
  return finish(ctx, &b, rt, out, e);
}

/* --- row_to_json(record [, pretty]), array_to_json(array [, pretty]) --------------------------------- */

static orb_status r_row(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  bool row = f->name[0] == 'r';
  if (t[0].id != (row ? ORB_T_RECORD : ORB_T_ARRAY)) return orb_fn_no_match(e);
  if (n > 1 && !orb_fn_want(t, 1, ORB_T_BOOL)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_JSON);
  return ORB_OK;
}

JEVAL(f_row) {
  JUNUSED;
  orb_buf b = ORB_BUF_INIT;
  bool pretty = n > 1 && a[1].u.b;
  orb_json_append_value(&a[0], &b);
  if (pretty && b.len > 2) {
    /* PostgreSQL's pretty form breaks the line after each top-level comma */
    orb_buf p = ORB_BUF_INIT;
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < b.len; i++) {
      char c = b.data[i];
      orb_buf_putc(&p, c);
      if (in_str) {
        if (c == '\\') orb_buf_putc(&p, b.data[++i]);
        else if (c == '"') in_str = false;
        continue;
      }
      if (c == '"') in_str = true;
      else if (c == '[' || c == '{') depth++;
      else if (c == ']' || c == '}') depth--;
      else if (c == ',' && depth == 1) orb_buf_puts(&p, "\n ");
    }
    orb_buf_free(&b);
    b = p;
  }
  return finish(ctx, &b, rt, out, e);
}

/* --- json(b)_build_object(k, v, ...), json(b)_build_array(x, ...) ------------------------------------- */

static void key_text(const orb_value *k, orb_buf *out) {
  orb_buf t = ORB_BUF_INIT;
  orb_value_to_text(k, &t);
  orb_json_escape(t.data ? t.data : "", t.len, out);
  orb_buf_free(&t);
}

JEVAL(f_build_object) {
  JUNUSED;
  if (n % 2) {
    orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "argument list must have even number of elements");
    orb_err_hint(e, "The arguments of %s() must consist of alternating keys and values.", f->name);
    return e->code;
  }
  orb_buf b = ORB_BUF_INIT;
  orb_buf_putc(&b, '{');
  for (int i = 0; i < n; i += 2) {
    if (a[i].isnull) {
      orb_buf_free(&b);
      orb_err_setx(e, ORB_ERR_NOT_NULL, "22004", 0, "argument %d cannot be null", i + 1);
      orb_err_hint(e, "Object keys should be text.");
      return e->code;
    }
    if (i) orb_buf_puts(&b, ", ");
    key_text(&a[i], &b);
    orb_buf_puts(&b, " : ");
    orb_json_append_value(&a[i + 1], &b);
  }
  orb_buf_putc(&b, '}');
  return finish(ctx, &b, rt, out, e);
}

JEVAL(f_build_array) {
  JUNUSED;
  orb_buf b = ORB_BUF_INIT;
  orb_buf_putc(&b, '[');
  for (int i = 0; i < n; i++) {
    if (i) orb_buf_puts(&b, ", ");
    orb_json_append_value(&a[i], &b);
  }
  orb_buf_putc(&b, ']');
  return finish(ctx, &b, rt, out, e);
}

/* --- json(b)_object(text[]) / (keys text[], values text[]) ----------------------------------------------- */

static orb_status r_object(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  for (int i = 0; i < n; i++) {
    if (!(t[i].id == ORB_T_ARRAY && t[i].elem == ORB_T_TEXT) && !orb_fn_is_text(t[i])) return orb_fn_no_match(e);
    t[i] = orb_type_array(ORB_T_TEXT);
  }
  *res = orb_type_make(json_of(f));
  return ORB_OK;
}

JEVAL(f_object) {
  JUNUSED;
  const orb_array *k = a[0].u.arr, *v = n > 1 ? a[1].u.arr : NULL;
  uint32_t pairs;
  if (v) {
    if (k->n != v->n) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "2202E", 0, "mismatched array dimensions");
    pairs = k->n;
  } else {
    if (k->n % 2) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "2202E", 0, "array must have even number of elements");
    pairs = k->n / 2;
  }
  orb_buf b = ORB_BUF_INIT;
  orb_buf_putc(&b, '{');
  for (uint32_t i = 0; i < pairs; i++) {
    const orb_value *key = v ? &k->items[i] : &k->items[2 * i], *val = v ? &v->items[i] : &k->items[2 * i + 1];
    if (key->isnull) {
      orb_buf_free(&b);
      return orb_err_setx(e, ORB_ERR_NOT_NULL, "22004", 0, "null value not allowed for object key");
    }
    if (i) orb_buf_puts(&b, ", ");
    orb_json_escape(key->u.s, key->len, &b);
    orb_buf_puts(&b, " : ");
    if (val->isnull) orb_buf_puts(&b, "null");
    else orb_json_escape(val->u.s, val->len, &b);
  }
  orb_buf_putc(&b, '}');
  return finish(ctx, &b, rt, out, e);
}

const orb_func orb_funcs_json_build[] = {
    {"to_json", 1, 1, 0, r_any, f_to_json},
    {"to_jsonb", 1, 1, 0, r_any, f_to_json},
    {"row_to_json", 1, 2, 0, r_row, f_row},
    {"array_to_json", 1, 2, 0, r_row, f_row},
    {"json_build_object", 0, -1, ORB_FN_NULL_ARGS, r_any, f_build_object},
    {"jsonb_build_object", 0, -1, ORB_FN_NULL_ARGS, r_any, f_build_object},
    {"json_build_array", 0, -1, ORB_FN_NULL_ARGS, r_any, f_build_array},
    {"jsonb_build_array", 0, -1, ORB_FN_NULL_ARGS, r_any, f_build_array},
    {"json_object", 1, 2, 0, r_object, f_object},
    {"jsonb_object", 1, 2, 0, r_object, f_object},
};
const int orb_nfuncs_json_build = sizeof orb_funcs_json_build / sizeof orb_funcs_json_build[0];
