/* types/json_write.c — printing JSON trees (jsonb's normalized text, its
** pretty form, json's raw text), jsonb normalization (key order and
** duplicates) and NUMERIC-style number text (types/json.h). */
#include <stdlib.h>
#include <string.h>

#include "types/json.h"

/* --- numbers -------------------------------------------------------------------------- */

/* PostgreSQL's NUMERIC limits: digits before the point, digits after it. */
#define NUM_MAX_INT_DIGITS 131072
#define NUM_MAX_SCALE 16383

orb_status orb_json_number_normalize(const char *s, size_t n, orb_buf *out, orb_err *e) {
  size_t i = 0;
  bool neg = false;
  if (i < n && s[i] == '-') neg = true, i++;
  const char *ip = s + i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  size_t ipn = (size_t)(s + i - ip);
  const char *fp = s + i;
  size_t fpn = 0;
  if (i < n && s[i] == '.') {
    fp = s + ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    fpn = (size_t)(s + i - fp);
  }
  long exp = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      if (exp < 10000000) exp = exp * 10 + (s[i] - '0');
    if (eneg) exp = -exp;
  }
  /* digit k of the mantissa's digits (ip then fp); point sits before digit `point` */
  long len = (long)(ipn + fpn), point = (long)ipn + exp;
  long scale = (long)fpn - exp;
  if (scale < 0) scale = 0;
#define DIGIT(k) ((k) < 0 || (k) >= len ? '0' : (k) < (long)ipn ? ip[(k)] : fp[(k) - (long)ipn])
  long first = 0;   /* first non-zero digit */
  while (first < len && DIGIT(first) == '0') first++;
  bool zero = first == len;
  if ((!zero && point - first > NUM_MAX_INT_DIGITS) || scale > NUM_MAX_SCALE)
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value overflows numeric format");
  if (neg && !zero) orb_buf_putc(out, '-');
  if (zero || point <= first) orb_buf_putc(out, '0');
  else
    for (long k = first; k < point; k++) orb_buf_putc(out, DIGIT(k));
  if (scale > 0) {
    orb_buf_putc(out, '.');
    for (long k = point; k < point + scale; k++) orb_buf_putc(out, DIGIT(k));
  }
#undef DIGIT
  return ORB_OK;
}

/* --- strings ---------------------------------------------------------------------------- */

void orb_json_escape(const char *s, size_t n, orb_buf *out) {
  orb_buf_putc(out, '"');
  size_t run = 0;   /* bytes copied as they are, flushed before each escape */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default:
      if (c >= 0x20) continue;
    }
    orb_buf_append(out, s + run, i - run);
    run = i + 1;
    if (esc) orb_buf_puts(out, esc);
    else orb_buf_printf(out, "\\u%04x", c);
  }
  orb_buf_append(out, s + run, n - run);
  orb_buf_putc(out, '"');
}

/* --- trees -------------------------------------------------------------------------------- */

orb_json *orb_json_string(orb_arena *a, const char *s, size_t n) {
  orb_json *j = orb_json_new(a, ORB_JSON_STRING);
  j->s = n ? orb_arena_memdup(a, s, n) : "";
  j->n = (uint32_t)n;
  return j;
}

orb_json *orb_json_number(orb_arena *a, const char *s, size_t n) {
  orb_json *j = orb_json_new(a, ORB_JSON_NUMBER);
  j->s = orb_arena_memdup(a, s, n ? n : 1);
  j->n = (uint32_t)n;
  return j;
}

static void write_scalar(const orb_json *j, orb_buf *out) {
  switch ((orb_json_kind)j->kind) {
  case ORB_JSON_NULL: orb_buf_puts(out, "null"); return;
  case ORB_JSON_BOOL: orb_buf_puts(out, j->b ? "true" : "false"); return;
  case ORB_JSON_STRING: orb_json_escape(j->s, j->n, out); return;
  case ORB_JSON_NUMBER: {
    orb_err e;
    size_t at = out->len;
    /* a number that does not fit NUMERIC was refused at input; print it as written if one slips by */
    if (orb_json_number_normalize(j->s, j->n, out, &e) != ORB_OK) {
      out->len = at;
      orb_buf_append(out, j->s, j->n);
    }
    return;
  }
  default: return;
  }
}

static void indent(orb_buf *out, int level) {
  orb_buf_putc(out, '\n');
  for (int i = 0; i < level; i++) orb_buf_puts(out, "    ");
}

static void write_jsonb(const orb_json *j, orb_buf *out, bool pretty, int level) {
  if (j->kind == ORB_JSON_ARRAY) {
    orb_buf_putc(out, '[');
    for (uint32_t i = 0; i < j->n; i++) {
      if (i) orb_buf_puts(out, pretty ? "," : ", ");
      if (pretty) indent(out, level + 1);
      write_jsonb(j->elems[i], out, pretty, level + 1);
    }
    if (pretty) indent(out, level);
    orb_buf_putc(out, ']');
  } else if (j->kind == ORB_JSON_OBJECT) {
    orb_buf_putc(out, '{');
    for (uint32_t i = 0; i < j->n; i++) {
      if (i) orb_buf_puts(out, pretty ? "," : ", ");
      if (pretty) indent(out, level + 1);
      orb_json_escape(j->members[i].key, j->members[i].klen, out);
      orb_buf_puts(out, ": ");
      write_jsonb(j->members[i].val, out, pretty, level + 1);
    }
    if (pretty) indent(out, level);
    orb_buf_putc(out, '}');
  } else {
    write_scalar(j, out);
  }
}

void orb_jsonb_write(const orb_json *j, orb_buf *out) { write_jsonb(j, out, false, 0); }
void orb_jsonb_write_pretty(const orb_json *j, orb_buf *out) { write_jsonb(j, out, true, 0); }

void orb_json_write_raw(const orb_json *j, orb_buf *out) {
  if (j->raw) {
    orb_buf_append(out, j->raw, j->rawlen);
    return;
  }
  write_jsonb(j, out, false, 0);
}

/* --- normalization --------------------------------------------------------------------------- */

/* jsonb's key order: shorter first, then bytewise (PostgreSQL's lengthCompareJsonbStringValue). */
static int key_cmp(const orb_json_member *a, const orb_json_member *b) {
  if (a->klen != b->klen) return a->klen < b->klen ? -1 : 1;
  return a->klen ? memcmp(a->key, b->key, a->klen) : 0;
}

/* A stable merge sort: among equal keys the input order stays, so the last one is the last. */
static void sort_members(orb_json_member *m, orb_json_member *tmp, uint32_t n) {
  if (n < 2) return;
  uint32_t h = n / 2;
  sort_members(m, tmp, h);
  sort_members(m + h, tmp, n - h);
  uint32_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = key_cmp(&m[j], &m[i]) < 0 ? m[j++] : m[i++];
  while (i < h) tmp[k++] = m[i++];
  while (j < n) tmp[k++] = m[j++];
  memcpy(m, tmp, sizeof *m * n);
}

void orb_jsonb_normalize(orb_json *j, orb_arena *a) {
  j->raw = NULL;
  if (j->kind == ORB_JSON_ARRAY) {
    for (uint32_t i = 0; i < j->n; i++) orb_jsonb_normalize(j->elems[i], a);
  } else if (j->kind == ORB_JSON_OBJECT) {
    if (j->n > 1) {
      orb_json_member *tmp = orb_arena_alloc(a, sizeof *tmp * j->n);
      sort_members(j->members, tmp, j->n);
      uint32_t k = 0;
      for (uint32_t i = 0; i < j->n; i++) {
        if (k && key_cmp(&j->members[k - 1], &j->members[i]) == 0) j->members[k - 1] = j->members[i];
        else j->members[k++] = j->members[i];
      }
      j->n = k;
    }
    for (uint32_t i = 0; i < j->n; i++) orb_jsonb_normalize(j->members[i].val, a);
  }
}

/* --- values ------------------------------------------------------------------------------------ */

static orb_value buf_value(orb_buf *b, orb_type_id t, orb_arena *a) {
  orb_value v = orb_null(t);
  v.isnull = 0;
  v.u.s = orb_arena_memdup(a, b->data ? b->data : "", b->len ? b->len : 1);
  v.len = (uint32_t)b->len;
  orb_buf_free(b);
  return v;
}

orb_value orb_jsonb_value(const orb_json *j, orb_arena *a) {
  orb_buf b = ORB_BUF_INIT;
  orb_jsonb_write(j, &b);
  return buf_value(&b, ORB_T_JSONB, a);
}

orb_value orb_json_value(const orb_json *j, orb_arena *a) {
  orb_buf b = ORB_BUF_INIT;
  orb_json_write_raw(j, &b);
  return buf_value(&b, ORB_T_JSON, a);
}

/* Every number must fit NUMERIC (jsonb stores numerics): check before printing. */
static orb_status check_numbers(const orb_json *j, orb_buf *scratch, orb_err *e) {
  if (j->kind == ORB_JSON_NUMBER) {
    orb_buf_reset(scratch);
    return orb_json_number_normalize(j->s, j->n, scratch, e);
  }
  uint32_t n = j->kind == ORB_JSON_ARRAY || j->kind == ORB_JSON_OBJECT ? j->n : 0;
  for (uint32_t i = 0; i < n; i++) {
    orb_status st = check_numbers(j->kind == ORB_JSON_ARRAY ? j->elems[i] : j->members[i].val, scratch, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

orb_status orb_jsonb_from_text(const char *s, size_t n, orb_arena *a, orb_value *out, orb_err *e) {
  /* the tree is scratch: parse it in a private arena, keep only the text */
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  orb_json *j;
  orb_status st = orb_json_parse(s, n, "json", &tmp, &j, e);
  if (st == ORB_OK) {
    orb_buf scratch = ORB_BUF_INIT;
    st = check_numbers(j, &scratch, e);
    orb_buf_free(&scratch);
  }
  if (st == ORB_OK) {
    orb_jsonb_normalize(j, &tmp);
    *out = orb_jsonb_value(j, a);
  }
  orb_arena_free(&tmp);
  return st;
}
