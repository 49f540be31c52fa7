/* expr/func_json_edit.c — changing jsonb documents: || (jsonb_concat),
** - (jsonb_delete by key, index or keys), #- (jsonb_delete_path),
** jsonb_set, jsonb_insert, json(b)_strip_nulls and jsonb_pretty, with
** PostgreSQL's semantics and errors ("cannot delete from scalar", "cannot
** set path in scalar", "cannot replace existing key").  Trees are edited as
** copies in the evaluation arena; a changed container loses its raw text
** so that it is printed anew. */
#include <string.h>

#include "expr/func_json_int.h"

static orb_json *shallow(const orb_eval_ctx *ctx, const orb_json *j) {
  orb_json *c = orb_arena_alloc(ctx->arena, sizeof *c);
  *c = *j;
  c->raw = NULL;
  if (j->kind == ORB_JSON_ARRAY) c->elems = orb_arena_dup_array(ctx->arena, j->elems, sizeof *j->elems, j->n);
  if (j->kind == ORB_JSON_OBJECT) c->members = orb_arena_dup_array(ctx->arena, j->members, sizeof *j->members, j->n);
  return c;
}

static orb_json *array_of(const orb_eval_ctx *ctx, uint32_t n) {
  orb_json *c = orb_json_new(ctx->arena, ORB_JSON_ARRAY);
  c->elems = orb_arena_alloc(ctx->arena, sizeof *c->elems * (n ? n : 1));
  return c;
}

static orb_status parse2(const orb_eval_ctx *ctx, const orb_value *a, orb_json **x, orb_json **y, orb_err *e) {
  orb_status st = orb_fnj_parse(ctx, &a[0], x, e);
  if (st == ORB_OK && y) st = orb_fnj_parse(ctx, &a[1], y, e);
  return st;
}

static orb_status r_jsonb_args(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  for (int i = 0; i < n; i++) {
    if (t[i].id != ORB_T_JSONB && !orb_fn_is_text(t[i])) return orb_fn_no_match(e);
    t[i] = orb_type_make(ORB_T_JSONB);
  }
  *res = orb_type_make(ORB_T_JSONB);
  return ORB_OK;
}

/* --- || ---------------------------------------------------------------------------------------- */

JEVAL(f_concat) {
  JUNUSED;
  orb_json *x, *y;
  orb_status st = parse2(ctx, a, &x, &y, e);
  if (st != ORB_OK) return st;
  orb_json *r;
  if (x->kind == ORB_JSON_OBJECT && y->kind == ORB_JSON_OBJECT) {
    r = orb_json_new(ctx->arena, ORB_JSON_OBJECT);
    r->members = orb_arena_alloc(ctx->arena, sizeof *r->members * (x->n + y->n + 1));
    if (x->n) memcpy(r->members, x->members, sizeof *r->members * x->n);
    if (y->n) memcpy(r->members + x->n, y->members, sizeof *r->members * y->n);
    r->n = x->n + y->n;
    orb_jsonb_normalize(r, ctx->arena);   /* the right side's value wins a key both have */
  } else {
    /* anything else is an array: a scalar or an object is one element */
    uint32_t nx = x->kind == ORB_JSON_ARRAY ? x->n : 1, ny = y->kind == ORB_JSON_ARRAY ? y->n : 1;
    r = array_of(ctx, nx + ny);
    for (uint32_t i = 0; i < nx; i++) r->elems[r->n++] = x->kind == ORB_JSON_ARRAY ? x->elems[i] : x;
    for (uint32_t i = 0; i < ny; i++) r->elems[r->n++] = y->kind == ORB_JSON_ARRAY ? y->elems[i] : y;
  }
  *out = orb_jsonb_value(r, ctx->arena);
  return ORB_OK;
}

/* --- - (text, int, text[]) ------------------------------------------------------------------------- */

static orb_status r_delete(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (t[0].id != ORB_T_JSONB) return orb_fn_no_match(e);
  if (orb_type_is_integer((orb_type_id)t[1].id)) t[1] = orb_type_make(ORB_T_INT32);
  else if (t[1].id == ORB_T_ARRAY && t[1].elem == ORB_T_TEXT) {
  } else if (orb_fn_is_text(t[1])) t[1] = orb_type_make(ORB_T_TEXT);
  else return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_JSONB);
  return ORB_OK;
}

static bool in_keys(const orb_value *k, const char *s, uint32_t n) {
  if (k->type == ORB_T_TEXT) return k->len == n && memcmp(k->u.s, s, n) == 0;
  for (uint32_t i = 0; i < k->u.arr->n; i++) {
    const orb_value *x = &k->u.arr->items[i];
    if (!x->isnull && x->len == n && memcmp(x->u.s, s, n) == 0) return true;
  }
  return false;
}

JEVAL(f_delete) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  bool is_array = j->kind == ORB_JSON_ARRAY;
  if (!is_array && j->kind != ORB_JSON_OBJECT)
    return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot delete from scalar");
  orb_json *r = shallow(ctx, j);
  r->n = 0;
  if (orb_type_is_integer((orb_type_id)a[1].type)) {
    if (!is_array) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot delete from object using integer index");
    int64_t k = a[1].u.i < 0 ? a[1].u.i + j->n : a[1].u.i;
    for (uint32_t i = 0; i < j->n; i++)
      if ((int64_t)i != k) r->elems[r->n++] = j->elems[i];
  } else if (is_array) {
    for (uint32_t i = 0; i < j->n; i++)
      if (!(j->elems[i]->kind == ORB_JSON_STRING && in_keys(&a[1], j->elems[i]->s, j->elems[i]->n)))
        r->elems[r->n++] = j->elems[i];
  } else {
    for (uint32_t i = 0; i < j->n; i++)
      if (!in_keys(&a[1], j->members[i].key, j->members[i].klen)) r->members[r->n++] = j->members[i];
  }
  *out = orb_fnj_value(ctx, r, ORB_T_JSONB);
  return ORB_OK;
}

/* --- paths: #-, jsonb_set, jsonb_insert --------------------------------------------------------------- */

typedef enum { P_DELETE, P_SET, P_INSERT } path_op;

typedef struct path_edit {
  const orb_eval_ctx *ctx;
  path_op op;
  const orb_value *steps;
  int nsteps;
  orb_json *val;         /* SET/INSERT: the new value */
  bool create;           /* SET: create a missing last key or index */
  bool after;            /* INSERT: after the index rather than before */
  orb_err *e;
} path_edit;

static orb_status not_integer(path_edit *p, int i) {
  orb_err_setx(p->e, ORB_ERR_INVALID_TEXT, "22P02", 0, "path element at position %d is not an integer: \"%.*s\"", i + 1,
               (int)p->steps[i].len, p->steps[i].u.s);
  return ORB_ERR_INVALID_TEXT;
}

/* Apply the edit below j at step i; *out the new node (j itself when nothing changed). */
static orb_status edit(path_edit *p, orb_json *j, int i, orb_json **out) {
  *out = j;
  bool last = i == p->nsteps - 1;
  const orb_value *s = &p->steps[i];
  if (j->kind == ORB_JSON_OBJECT) {
    int at = -1;
    for (uint32_t k = j->n; k-- > 0;)
      if (j->members[k].klen == s->len && memcmp(j->members[k].key, s->u.s, s->len) == 0) {
        at = (int)k;
        break;
      }
    if (!last) {
      if (at < 0) return ORB_OK;
      orb_json *c;
      orb_status st = edit(p, j->members[at].val, i + 1, &c);
      if (st != ORB_OK || c == j->members[at].val) return st;
      orb_json *r = shallow(p->ctx, j);
      r->members[at].val = c;
      *out = r;
      return ORB_OK;
    }
    if (p->op == P_INSERT && at >= 0) {
      orb_err_setx(p->e, ORB_ERR_INVALID_TEXT, "22023", 0, "cannot replace existing key");
      orb_err_hint(p->e, "Try using the function jsonb_set to replace key value.");
      return ORB_ERR_INVALID_TEXT;
    }
    if (p->op == P_DELETE) {
      if (at < 0) return ORB_OK;
      orb_json *r = shallow(p->ctx, j);
      memmove(&r->members[at], &r->members[at + 1], sizeof *r->members * (r->n - (uint32_t)at - 1));
      r->n--;
      *out = r;
      return ORB_OK;
    }
    if (at >= 0) {
      orb_json *r = shallow(p->ctx, j);
      r->members[at].val = p->val;
      *out = r;
      return ORB_OK;
    }
    if (p->op == P_SET && !p->create) return ORB_OK;
    orb_json *r = orb_json_new(p->ctx->arena, ORB_JSON_OBJECT);
    r->members = orb_arena_alloc(p->ctx->arena, sizeof *r->members * (j->n + 1));
    if (j->n) memcpy(r->members, j->members, sizeof *r->members * j->n);
    r->members[j->n].key = s->u.s;
    r->members[j->n].klen = s->len;
    r->members[j->n].val = p->val;
    r->n = j->n + 1;
    orb_jsonb_normalize(r, p->ctx->arena);
    *out = r;
    return ORB_OK;
  }
  if (j->kind != ORB_JSON_ARRAY) return ORB_OK;   /* a scalar inside: the path goes no further */
  int64_t idx;
  if (!orb_fnj_index(s->u.s, s->len, &idx)) return not_integer(p, i);
  int64_t nn = j->n;
  if (!last) {
    if (idx < 0) idx += nn;
    if (idx < 0 || idx >= nn) return ORB_OK;
    orb_json *c;
    orb_status st = edit(p, j->elems[idx], i + 1, &c);
    if (st != ORB_OK || c == j->elems[idx]) return st;
    orb_json *r = shallow(p->ctx, j);
    r->elems[idx] = c;
    *out = r;
    return ORB_OK;
  }
  if (p->op == P_DELETE || (p->op == P_SET && idx >= -nn && idx < nn)) {
    if (idx < 0) idx += nn;
    if (idx < 0 || idx >= nn) return ORB_OK;
    orb_json *r = shallow(p->ctx, j);
    if (p->op == P_SET) r->elems[idx] = p->val;
    else {
      memmove(&r->elems[idx], &r->elems[idx + 1], sizeof *r->elems * (size_t)(nn - idx - 1));
      r->n--;
    }
    *out = r;
    return ORB_OK;
  }
  if (p->op == P_SET && !p->create) return ORB_OK;
  /* insert: before idx (after it for insert_after); out of range -> at that end */
  int64_t pos;
  if (idx < 0) idx += nn;
  if (p->op == P_SET) pos = idx < 0 ? 0 : nn;
  else {
    pos = p->after ? idx + 1 : idx;
    if (idx < 0) pos = 0;
    if (pos > nn) pos = nn;
  }
  orb_json *r = array_of(p->ctx, (uint32_t)nn + 1);
  for (int64_t k = 0; k < pos; k++) r->elems[r->n++] = j->elems[k];
  r->elems[r->n++] = p->val;
  for (int64_t k = pos; k < nn; k++) r->elems[r->n++] = j->elems[k];
  *out = r;
  return ORB_OK;
}

static orb_status r_path_edit(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  if (t[0].id != ORB_T_JSONB && !orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(ORB_T_JSONB);
  if (!(t[1].id == ORB_T_ARRAY && t[1].elem == ORB_T_TEXT) && !orb_fn_is_text(t[1])) return orb_fn_no_match(e);
  t[1] = orb_type_array(ORB_T_TEXT);
  if (n > 2) {
    if (t[2].id != ORB_T_JSONB && !orb_fn_is_text(t[2])) return orb_fn_no_match(e);
    t[2] = orb_type_make(ORB_T_JSONB);
  }
  if (n > 3 && !orb_fn_want(t, 3, ORB_T_BOOL)) return orb_fn_no_match(e);
  (void)f;
  *res = orb_type_make(ORB_T_JSONB);
  return ORB_OK;
}

JEVAL(f_path_edit) {
  JUNUSED;
  path_edit p = {.ctx = ctx, .e = e, .create = true};
  p.op = strcmp(f->name, "jsonb_delete_path") == 0 ? P_DELETE : strcmp(f->name, "jsonb_set") == 0 ? P_SET : P_INSERT;
  if (p.op == P_SET && n > 3) p.create = a[3].u.b;
  if (p.op == P_INSERT && n > 3) p.after = a[3].u.b;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st == ORB_OK && n > 2) st = orb_fnj_parse(ctx, &a[2], &p.val, e);
  if (st != ORB_OK) return st;
  p.steps = a[1].u.arr->items;
  p.nsteps = (int)a[1].u.arr->n;
  if (j->kind != ORB_JSON_ARRAY && j->kind != ORB_JSON_OBJECT)
    return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0,
                        p.op == P_DELETE ? "cannot delete path in scalar" : "cannot set path in scalar");
  for (int i = 0; i < p.nsteps; i++)
    if (p.steps[i].isnull)
      return orb_err_setx(e, ORB_ERR_NOT_NULL, "22004", 0, "path element at position %d is null", i + 1);
  orb_json *r = j;
  if (p.nsteps && (st = edit(&p, j, 0, &r)) != ORB_OK) return st;
  *out = orb_fnj_value(ctx, r, ORB_T_JSONB);
  return ORB_OK;
}

/* --- json(b)_strip_nulls, jsonb_pretty ------------------------------------------------------------------ */

static orb_json *strip(const orb_eval_ctx *ctx, orb_json *j) {
  if (j->kind != ORB_JSON_ARRAY && j->kind != ORB_JSON_OBJECT) return j;
  orb_json *r = shallow(ctx, j);
  r->n = 0;
  for (uint32_t i = 0; i < j->n; i++) {
    if (j->kind == ORB_JSON_ARRAY) r->elems[r->n++] = strip(ctx, j->elems[i]);
    else if (j->members[i].val->kind != ORB_JSON_NULL) {
      r->members[r->n] = j->members[i];
      r->members[r->n++].val = strip(ctx, j->members[i].val);
    }
  }
  return r;
}

/* json's own spacing for a rebuilt document: PostgreSQL's json_strip_nulls prints {"a":1,"b":[1,2]}. */
static void write_compact(const orb_json *j, orb_buf *out) {
  if (j->raw) {
    orb_buf_append(out, j->raw, j->rawlen);
  } else if (j->kind == ORB_JSON_ARRAY) {
    orb_buf_putc(out, '[');
    for (uint32_t i = 0; i < j->n; i++) {
      if (i) orb_buf_putc(out, ',');
      write_compact(j->elems[i], out);
    }
    orb_buf_putc(out, ']');
  } else if (j->kind == ORB_JSON_OBJECT) {
    orb_buf_putc(out, '{');
    for (uint32_t i = 0; i < j->n; i++) {
      if (i) orb_buf_putc(out, ',');
      orb_json_escape(j->members[i].key, j->members[i].klen, out);
      orb_buf_putc(out, ':');
      write_compact(j->members[i].val, out);
    }
    orb_buf_putc(out, '}');
  } else {
    orb_jsonb_write(j, out);
  }
}

static orb_status r_strip(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n;
  orb_type_id j = strncmp(f->name, "jsonb", 5) == 0 ? ORB_T_JSONB : ORB_T_JSON;
  if (t[0].id != j && !orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(j);
  *res = orb_type_make(strcmp(f->name, "jsonb_pretty") == 0 ? ORB_T_TEXT : j);
  return ORB_OK;
}

JEVAL(f_strip) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  orb_json *r = strip(ctx, j);
  if (rt.id == ORB_T_JSONB) {
    *out = orb_fnj_value(ctx, r, ORB_T_JSONB);
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  write_compact(r, &b);
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  out->type = ORB_T_JSON;
  orb_buf_free(&b);
  return ORB_OK;
}

JEVAL(f_pretty) {
  JUNUSED;
  orb_json *j;
  orb_status st = orb_fnj_parse(ctx, &a[0], &j, e);
  if (st != ORB_OK) return st;
  orb_buf b = ORB_BUF_INIT;
  orb_jsonb_write_pretty(j, &b);
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

const orb_func orb_funcs_json_edit[] = {
    {"jsonb_concat", 2, 2, 0, r_jsonb_args, f_concat},
    {"jsonb_delete", 2, 2, 0, r_delete, f_delete},
    {"jsonb_delete_path", 2, 2, 0, r_path_edit, f_path_edit},
    {"jsonb_set", 3, 4, 0, r_path_edit, f_path_edit},
    {"jsonb_insert", 3, 4, 0, r_path_edit, f_path_edit},
    {"json_strip_nulls", 1, 1, 0, r_strip, f_strip},
    {"jsonb_strip_nulls", 1, 1, 0, r_strip, f_strip},
    {"jsonb_pretty", 1, 1, 0, r_strip, f_pretty},
};
const int orb_nfuncs_json_edit = sizeof orb_funcs_json_edit / sizeof orb_funcs_json_edit[0];
