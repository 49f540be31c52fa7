/* types/value_array.c — one-dimensional arrays: PostgreSQL's text form,
** comparison, hashing, copies and element-wise casts (types/array.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/hash.h"
#include "types/array.h"

orb_value orb_array_make(orb_arena *a, orb_type_id elem, const orb_value *items, uint32_t n) {
  orb_array *arr = orb_arena_alloc(a, sizeof *arr);
  arr->n = n;
  arr->lower = 1;
  arr->vector = false;
  arr->untyped = 0;
  arr->items = items;
  orb_value v = orb_null(ORB_T_ARRAY);
  v.isnull = 0;
  v.scale = (uint8_t)elem;   /* the element type travels with the value too (for output of a NULL-typed array) */
  v.u.arr = arr;
  return v;
}

orb_value orb_array_make_vector(orb_arena *a, orb_type_id elem, const orb_value *items, uint32_t n) {
  orb_value v = orb_array_make(a, elem, items, n);
  orb_array *arr = (orb_array *)v.u.arr;
  arr->lower = 0;
  arr->vector = true;
  return v;
}

static orb_status malformed(const char *s, size_t n, const char *detail, orb_err *e) {
  int len = n > 200 ? 200 : (int)n;
  return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P02", 0, "malformed array literal: \"%.*s\" (%s)", len, s, detail);
}

/* One element of array input: quoted or not, backslash escapes, unquoted NULL. */
static orb_status read_item(const char *s, size_t n, size_t *i, orb_buf *tok, bool *null, orb_err *e) {
  orb_buf_reset(tok);
  *null = false;
  while (*i < n && isspace((unsigned char)s[*i])) (*i)++;
  if (*i >= n) return malformed(s, n, "unexpected end of input", e);
  if (s[*i] == '{') return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "multidimensional arrays are not supported");
  if (s[*i] == '"') {
    for ((*i)++;; (*i)++) {
      if (*i >= n) return malformed(s, n, "unexpected end of input", e);
      if (s[*i] == '"') break;
      if (s[*i] == '\\' && ++(*i) >= n) return malformed(s, n, "unexpected end of input", e);
      orb_buf_putc(tok, s[*i]);
    }
    (*i)++;
    while (*i < n && isspace((unsigned char)s[*i])) (*i)++;
    return ORB_OK;
  }
  bool escaped = false;
  size_t keep = 0;   /* length without trailing unescaped blanks */
  for (; *i < n && s[*i] != ',' && s[*i] != '}'; (*i)++) {
    if (s[*i] == '{' || s[*i] == '"') return malformed(s, n, "unexpected character inside an element", e);
    if (s[*i] == '\\') {
      if (++(*i) >= n) return malformed(s, n, "unexpected end of input", e);
      escaped = true;
      orb_buf_putc(tok, s[*i]);
      keep = tok->len;
      continue;
    }
    orb_buf_putc(tok, s[*i]);
    if (!isspace((unsigned char)s[*i])) keep = tok->len;
  }
  tok->len = keep;
  if (tok->len == 0) return malformed(s, n, "unexpected \",\" or \"}\"", e);
  *null = !escaped && tok->len == 4 && strncasecmp(tok->data, "null", 4) == 0;
  return ORB_OK;
}

orb_status orb_array_from_text(const char *s, size_t n, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  size_t i = 0;
  while (i < n && isspace((unsigned char)s[i])) i++;
  if (i < n && s[i] == '[')
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "arrays with explicit bounds are not supported");
  if (i >= n || s[i] != '{') return malformed(s, n, "array value must start with \"{\"", e);
  i++;
  orb_value *items = NULL;
  uint32_t count = 0, cap = 0;
  orb_buf tok = ORB_BUF_INIT;
  orb_status st = ORB_OK;
  size_t j = i;
  while (j < n && isspace((unsigned char)s[j])) j++;
  if (j < n && s[j] == '}') {
    i = j + 1;
  } else {
    for (;;) {
      bool null;
      if ((st = read_item(s, n, &i, &tok, &null, e)) != ORB_OK) break;
      if (count == cap) {
        uint32_t ncap = cap ? cap * 2 : 8;
        orb_value *grown = orb_arena_alloc(a, sizeof(orb_value) * ncap);
        if (count) memcpy(grown, items, sizeof(orb_value) * count);
        items = grown, cap = ncap;
      }
      orb_type et = orb_type_elem(t);
      if (null) items[count] = orb_null((orb_type_id)t.elem);
      else if ((st = orb_value_from_text(tok.data ? tok.data : "", tok.len, et, a, &items[count], e)) != ORB_OK) break;
      count++;
      if (i < n && s[i] == ',') {
        i++;
        continue;
      }
      if (i < n && s[i] == '}') {
        i++;
        break;
      }
      st = malformed(s, n, "expected \",\" or \"}\"", e);
      break;
    }
  }
  orb_buf_free(&tok);
  if (st != ORB_OK) return st;
  while (i < n && isspace((unsigned char)s[i])) i++;
  if (i < n) return malformed(s, n, "junk after closing right brace", e);
  *out = orb_array_make(a, (orb_type_id)t.elem, items, count);
  return ORB_OK;
}

/* Whether an element's text (empty, or holding a quote, a backslash, a comma, a space or the
** brackets open/close) must be double-quoted to read back as itself. */
static bool has_syntax(const char *s, size_t n, char open, char close) {
  if (n == 0) return true;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '"' || s[i] == '\\' || s[i] == open || s[i] == close || s[i] == ',' || isspace((unsigned char)s[i]))
      return true;
  return false;
}

static bool needs_quotes(const char *s, size_t n) {
  return (n == 4 && strncasecmp(s, "null", 4) == 0) || has_syntax(s, n, '{', '}');
}

void orb_array_to_text(const orb_value *v, orb_buf *out) {
  if (v->isnull) return;
  const orb_array *arr = v->u.arr;
  if (arr->vector) {   /* int2vector / oidvector: the elements, space-separated */
    for (uint32_t k = 0; k < arr->n; k++) {
      if (k) orb_buf_putc(out, ' ');
      orb_value_to_text(&arr->items[k], out);
    }
    return;
  }
  if (arr->lower != 1 && arr->n)
    orb_buf_printf(out, "[%d:%d]=", (int)arr->lower, (int)(arr->lower + (int32_t)arr->n - 1));
  orb_buf_putc(out, '{');
  orb_buf item = ORB_BUF_INIT;
  for (uint32_t k = 0; k < arr->n; k++) {
    if (k) orb_buf_putc(out, ',');
    if (arr->items[k].isnull) {
      orb_buf_puts(out, "NULL");
      continue;
    }
    orb_buf_reset(&item);
    orb_value_to_text(&arr->items[k], &item);
    if (!needs_quotes(item.data, item.len)) {
      orb_buf_append(out, item.data, item.len);
      continue;
    }
    orb_buf_putc(out, '"');
    for (size_t i = 0; i < item.len; i++) {
      if (item.data[i] == '"' || item.data[i] == '\\') orb_buf_putc(out, '\\');
      orb_buf_putc(out, item.data[i]);
    }
    orb_buf_putc(out, '"');
  }
  orb_buf_free(&item);
  orb_buf_putc(out, '}');
}

int orb_array_cmp(const orb_value *a, const orb_value *b) {
  const orb_array *x = a->u.arr, *y = b->u.arr;
  uint32_t n = x->n < y->n ? x->n : y->n;
  for (uint32_t k = 0; k < n; k++) {
    bool nx = x->items[k].isnull, ny = y->items[k].isnull;
    if (nx || ny) {
      if (nx && ny) continue;
      return nx ? 1 : -1;   /* NULL sorts after every value */
    }
    int c = orb_value_cmp(&x->items[k], &y->items[k]);
    if (c) return c;
  }
  return x->n < y->n ? -1 : x->n > y->n;
}

uint64_t orb_array_hash(const orb_value *v) {
  uint64_t h = orb_hash_u64(v->u.arr->n);
  for (uint32_t k = 0; k < v->u.arr->n; k++) h = orb_hash_mix(h, orb_value_hash(&v->u.arr->items[k]));
  return h;
}

orb_value orb_array_copy(const orb_value *v, orb_arena *a) {
  if (v->isnull) return *v;
  uint32_t n = v->u.arr->n;
  orb_value *items = orb_arena_alloc(a, sizeof(orb_value) * (n ? n : 1));
  for (uint32_t k = 0; k < n; k++) items[k] = orb_value_copy(&v->u.arr->items[k], a);
  orb_value c = orb_array_make(a, (orb_type_id)v->scale, items, n);
  c.type = v->type;   /* a record stays one */
  ((orb_array *)c.u.arr)->lower = v->u.arr->lower;
  ((orb_array *)c.u.arr)->vector = v->u.arr->vector;
  ((orb_array *)c.u.arr)->untyped = v->u.arr->untyped;
  return c;
}

/* --- flat arrays (a hot row's) ------------------------------------------------ */

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t orb_array_flat_size(const orb_value *v) {
  const orb_array *x = v->u.arr;
  size_t n = sizeof(orb_array) + (size_t)x->n * sizeof(orb_value);
  for (uint32_t k = 0; k < x->n; k++)
    if (!x->items[k].isnull && orb_type_is_bytes((orb_type_id)x->items[k].type)) n += x->items[k].len;
  return round8(n);
}

orb_value orb_array_flatten(const orb_value *v, void *mem) {
  const orb_array *x = v->u.arr;
  orb_array *arr = mem;
  orb_value *items = (orb_value *)(arr + 1);
  char *p = (char *)(items + x->n);
  *arr = *x;
  arr->items = items;
  for (uint32_t k = 0; k < x->n; k++) {
    items[k] = x->items[k];
    if (!items[k].isnull && orb_type_is_bytes((orb_type_id)items[k].type)) {
      if (items[k].len) memcpy(p, items[k].u.s, items[k].len);
      items[k].u.s = p;
      p += items[k].len;
    }
  }
  orb_value out = *v;
  out.u.arr = arr;
  return out;
}

orb_status orb_array_cast(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  uint32_t n = v->u.arr->n;
  orb_value *items = orb_arena_alloc(a, sizeof(orb_value) * (n ? n : 1));
  orb_type et = orb_type_elem(t);
  for (uint32_t k = 0; k < n; k++) {
    orb_status st = orb_value_cast(&v->u.arr->items[k], et, a, &items[k], e);
    if (st != ORB_OK) return st;
  }
  *out = orb_array_make(a, (orb_type_id)t.elem, items, n);
  ((orb_array *)out->u.arr)->lower = v->u.arr->lower;   /* a cast keeps the bounds (int2vector::int2[] starts at 0) */
  return ORB_OK;
}

orb_status orb_array_assign(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  const orb_array *x = v->u.arr;
  orb_type et = orb_type_elem(t);
  for (uint32_t k = 0; k < x->n; k++) {
    const orb_value *it = &x->items[k];
    orb_value tmp;
    /* the input rules check the length as an assignment must */
    if (!it->isnull && it->type == ORB_T_TEXT && et.id == ORB_T_TEXT && et.maxlen) {
      orb_status st = orb_value_from_text(it->u.s, it->len, et, a, &tmp, e);
      if (st != ORB_OK) return st;
    }
  }
  return orb_value_cast(v, t, a, out, e);
}

/* --- records ------------------------------------------------------------------ */

orb_value orb_record_make(orb_arena *a, const orb_value *items, uint32_t n) {
  orb_value v = orb_array_make(a, ORB_T_NULL, items, n);
  v.type = ORB_T_RECORD;
  return v;
}


void orb_record_to_text(const orb_value *v, orb_buf *out) {
  if (v->isnull) return;
  const orb_array *r = v->u.arr;
  orb_buf field = ORB_BUF_INIT;
  orb_buf_putc(out, '(');
  for (uint32_t k = 0; k < r->n; k++) {
    if (k) orb_buf_putc(out, ',');
    if (r->items[k].isnull) continue;
    orb_buf_reset(&field);
    orb_value_to_text(&r->items[k], &field);
    if (!has_syntax(field.data, field.len, '(', ')')) {   /* record_out's rule */
      orb_buf_append(out, field.data, field.len);
      continue;
    }
    orb_buf_putc(out, '"');
    for (size_t i = 0; i < field.len; i++) {
      if (field.data[i] == '"' || field.data[i] == '\\') orb_buf_putc(out, field.data[i]);   /* doubled */
      orb_buf_putc(out, field.data[i]);
    }
    orb_buf_putc(out, '"');
  }
  orb_buf_putc(out, ')');
  orb_buf_free(&field);
}
