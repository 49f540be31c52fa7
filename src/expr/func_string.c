/* expr/func_string.c — string functions with PostgreSQL's semantics
** (character positions count UTF-8 characters, not bytes). */
#include <ctype.h>
#include <locale.h>
#include <string.h>
#include <wctype.h>

#include "base/md5.h"
#include "expr/func_int.h"

/* --- UTF-8 helpers ---------------------------------------------------------------- */

size_t orb_fn_nchars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  return c;
}

size_t orb_fn_char_off(const char *s, size_t n, int64_t k) {
  size_t i = 0;
  while (k > 0 && i < n) {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    k--;
  }
  return i;
}

/* --- resolvers ----------------------------------------------------------------------- */

/* all arguments text; result text */
static orb_status r_text(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  for (int i = 0; i < n; i++)
    if (!orb_fn_want(t, i, ORB_T_TEXT)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* text, then integers; result text */
static orb_status r_text_ints(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (!orb_fn_want(t, 0, ORB_T_TEXT)) return orb_fn_no_match(e);
  for (int i = 1; i < n; i++)
    if (!orb_type_is_integer((orb_type_id)t[i].id) && t[i].id != ORB_T_TEXT) return orb_fn_no_match(e);
    else t[i] = orb_type_make(ORB_T_INT64);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* substring(s, start [, count]); substring(s, pattern) with a text (or
** untyped) second argument is the regular-expression form, and
** substring(s, pattern, escape) the SIMILAR one (func_regex.c) */
static orb_status r_substring(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  if (t[1].id == ORB_T_TEXT && (n == 2 || t[2].id == ORB_T_TEXT)) return r_text(f, n, t, res, e);
  return r_text_ints(f, n, t, res, e);
}

/* text arguments; integer result */
static orb_status r_text_int(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  orb_status st = r_text(f, n, t, res, e);
  *res = orb_type_make(ORB_T_INT32);
  return st;
}

/* length/octet_length: text or bytea; integer result */
static orb_status r_length(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (t[0].id != ORB_T_BYTEA && !orb_fn_want(t, 0, ORB_T_TEXT)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_INT32);
  return ORB_OK;
}

static orb_status r_text_bool(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  orb_status st = r_text(f, n, t, res, e);
  *res = orb_type_make(ORB_T_BOOL);
  return st;
}

/* lpad/rpad(text, int [, text]) and split_part(text, text, int) */
static orb_status r_pad(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || !orb_fn_want(t, 1, ORB_T_INT64) || (n > 2 && !orb_fn_want(t, 2, ORB_T_TEXT)))
    return orb_fn_no_match(e);
  (void)f;
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status r_split(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  (void)n;
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || !orb_fn_want(t, 1, ORB_T_TEXT) || !orb_fn_want(t, 2, ORB_T_INT64))
    return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* concat(any...): every argument as text */
static orb_status r_concat(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  (void)e;
  for (int i = 0; i < n; i++) t[i] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* --- evaluators ---------------------------------------------------------------------- */

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

/* Decode one UTF-8 character at s[i] (invalid bytes decode as themselves). */
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t i, size_t *len) {
  unsigned char c = s[i];
  int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
  if (extra <= 0 || i + (size_t)extra >= n) {
    *len = 1;
    return c;
  }
  uint32_t cp = c & (0x3F >> extra);
  for (int k = 1; k <= extra; k++) {
    if ((s[i + (size_t)k] & 0xC0) != 0x80) {
      *len = 1;
      return c;
    }
    cp = cp << 6 | (s[i + (size_t)k] & 0x3F);
  }
  *len = (size_t)extra + 1;
  return cp;
}

static size_t utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) return out[0] = (char)cp, 1;
  if (cp < 0x800) return out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), 2;
  if (cp < 0x10000)
    return out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[2] = (char)(0x80 | (cp & 0x3F)), 3;
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Unicode case mapping through the C.UTF-8 locale (as PostgreSQL does in a UTF-8 database). */
static locale_t utf8_locale(void) {
  static locale_t loc;
  static int tried;
  if (!__atomic_load_n(&tried, __ATOMIC_ACQUIRE)) {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t expected = (locale_t)0;
    if (l && !__atomic_compare_exchange_n(&loc, &expected, l, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) freelocale(l);
    __atomic_store_n(&tried, 1, __ATOMIC_RELEASE);
  }
  return __atomic_load_n(&loc, __ATOMIC_ACQUIRE);
}

orb_value orb_fn_case_map(orb_arena *arena, const orb_value *a, bool up) {
  orb_value out;
  char *s = orb_arena_alloc(arena, (size_t)a->len * 2 + 4);   /* a mapped character grows by at most one byte */
  const unsigned char *in = (const unsigned char *)a->u.s;
  locale_t loc = utf8_locale();
  size_t o = 0;
  for (size_t i = 0; i < a->len;) {
    size_t l;
    uint32_t cp = utf8_decode(in, a->len, i, &l);
    uint32_t m = cp;
    if (cp < 0x80) m = (uint32_t)(up ? toupper((int)cp) : tolower((int)cp));
    else if (l > 1 && loc) m = (uint32_t)(up ? towupper_l((wint_t)cp, loc) : towlower_l((wint_t)cp, loc));
    if (l == 1 && cp >= 0x80) s[o++] = (char)cp;
    else o += utf8_encode(m, s + o);
    i += l;
  }
  out = orb_text(s, o);
  return out;
}

EVAL(f_lower) {
  UNUSED;
  *out = orb_fn_case_map(ctx->arena, &a[0], false);
  return ORB_OK;
}
EVAL(f_upper) {
  UNUSED;
  *out = orb_fn_case_map(ctx->arena, &a[0], true);
  return ORB_OK;
}
EVAL(f_length) {
  UNUSED;
  /* bytea counts bytes, text characters */
  *out = orb_int(ORB_T_INT32, a[0].type == ORB_T_BYTEA ? (int64_t)a[0].len : (int64_t)orb_fn_nchars(a[0].u.s, a[0].len));
  return ORB_OK;
}
EVAL(f_octet_length) {
  UNUSED;
  *out = orb_int(ORB_T_INT32, a[0].len);
  return ORB_OK;
}

/* substring(s, start [, count]) with PostgreSQL's rules for start < 1 */
EVAL(f_substring) {
  UNUSED;
  if (a[1].type == ORB_T_TEXT) return orb_fn_regex_substring(ctx, n, a, out, e);
  int64_t start = a[1].u.i, len = (int64_t)orb_fn_nchars(a[0].u.s, a[0].len);
  int64_t end = len + 1;
  if (n > 2) {
    if (a[2].u.i < 0) return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22011", 0, "negative substring length not allowed");
    if (__builtin_add_overflow(start, a[2].u.i, &end)) end = INT64_MAX;
  }
  if (start < 1) start = 1;
  if (end > len + 1) end = len + 1;
  if (end <= start) {
    *out = orb_text("", 0);
    return ORB_OK;
  }
  size_t b0 = orb_fn_char_off(a[0].u.s, a[0].len, start - 1), b1 = orb_fn_char_off(a[0].u.s, a[0].len, end - 1);
  *out = orb_text(a[0].u.s + b0, b1 - b0);
  return ORB_OK;
}

/* position(sub IN s) = strpos(s, sub); 1-based character position, 0 if absent */
static int64_t find_pos(const orb_value *s, const orb_value *sub) {
  if (sub->len == 0) return 1;
  for (uint32_t i = 0; i + sub->len <= s->len; i++)
    if (memcmp(s->u.s + i, sub->u.s, sub->len) == 0) return (int64_t)orb_fn_nchars(s->u.s, i) + 1;
  return 0;
}

EVAL(f_position) {
  UNUSED;
  *out = orb_int(ORB_T_INT32, find_pos(&a[1], &a[0]));
  return ORB_OK;
}
EVAL(f_strpos) {
  UNUSED;
  *out = orb_int(ORB_T_INT32, find_pos(&a[0], &a[1]));
  return ORB_OK;
}

static bool in_set(const orb_value *set, const char *p, size_t clen) {
  for (uint32_t i = 0; i < set->len;) {
    size_t l = 1;
    while (i + l < set->len && ((unsigned char)set->u.s[i + l] & 0xC0) == 0x80) l++;
    if (l == clen && memcmp(set->u.s + i, p, l) == 0) return true;
    i += (uint32_t)l;
  }
  return false;
}

static size_t clen_at(const char *s, size_t n, size_t i) {
  size_t l = 1;
  while (i + l < n && ((unsigned char)s[i + l] & 0xC0) == 0x80) l++;
  return l;
}

static orb_value do_trim(const orb_value *s, const orb_value *set, bool left, bool right) {
  size_t b = 0, e = s->len;
  if (left)
    while (b < e) {
      size_t l = clen_at(s->u.s, e, b);
      if (!in_set(set, s->u.s + b, l)) break;
      b += l;
    }
  if (right)
    while (e > b) {
      size_t st = e - 1;
      while (st > b && ((unsigned char)s->u.s[st] & 0xC0) == 0x80) st--;
      if (!in_set(set, s->u.s + st, e - st)) break;
      e = st;
    }
  return orb_text(s->u.s + b, e - b);
}

static const orb_value *trim_set(int n, const orb_value *a, orb_value *space) {
  *space = orb_text(" ", 1);
  return n > 1 ? &a[1] : space;
}

EVAL(f_btrim) {
  UNUSED;
  orb_value sp;
  *out = do_trim(&a[0], trim_set(n, a, &sp), true, true);
  return ORB_OK;
}
EVAL(f_ltrim) {
  UNUSED;
  orb_value sp;
  *out = do_trim(&a[0], trim_set(n, a, &sp), true, false);
  return ORB_OK;
}
EVAL(f_rtrim) {
  UNUSED;
  orb_value sp;
  *out = do_trim(&a[0], trim_set(n, a, &sp), false, true);
  return ORB_OK;
}

EVAL(f_replace) {
  UNUSED;
  const orb_value *s = &a[0], *from = &a[1], *to = &a[2];
  if (from->len == 0) {
    *out = *s;
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  for (uint32_t i = 0; i < s->len;) {
    if (i + from->len <= s->len && memcmp(s->u.s + i, from->u.s, from->len) == 0) {
      orb_buf_append(&b, to->u.s, to->len);
      i += from->len;
    } else {
      orb_buf_putc(&b, s->u.s[i++]);
    }
  }
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* concat / concat_ws skip NULL arguments */
EVAL(f_concat) {
  UNUSED;
  orb_buf b = ORB_BUF_INIT;
  for (int i = 0; i < n; i++)
    if (!a[i].isnull) orb_buf_append(&b, a[i].u.s, a[i].len);
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}
EVAL(f_concat_ws) {
  UNUSED;
  if (a[0].isnull) {
    *out = orb_null(ORB_T_TEXT);
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  bool first = true;
  for (int i = 1; i < n; i++) {
    if (a[i].isnull) continue;
    if (!first) orb_buf_append(&b, a[0].u.s, a[0].len);
    orb_buf_append(&b, a[i].u.s, a[i].len);
    first = false;
  }
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* left(s, k): first k characters; negative k: all but the last |k| */
EVAL(f_left) {
  UNUSED;
  int64_t len = (int64_t)orb_fn_nchars(a[0].u.s, a[0].len), k = a[1].u.i;
  if (k < 0) k = len + k < 0 ? 0 : len + k;
  *out = orb_text(a[0].u.s, orb_fn_char_off(a[0].u.s, a[0].len, k));
  return ORB_OK;
}
EVAL(f_right) {
  UNUSED;
  int64_t len = (int64_t)orb_fn_nchars(a[0].u.s, a[0].len), k = a[1].u.i;
  int64_t skip = k < 0 ? -k : len - k;
  if (skip < 0) skip = 0;
  size_t off = orb_fn_char_off(a[0].u.s, a[0].len, skip);
  *out = orb_text(a[0].u.s + off, a[0].len - off);
  return ORB_OK;
}

static orb_status pad(const orb_eval_ctx *ctx, int n, const orb_value *a, bool left, orb_value *out, orb_err *e) {
  int64_t want = a[1].u.i, have = (int64_t)orb_fn_nchars(a[0].u.s, a[0].len);
  if (want > 10 * 1024 * 1024) return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "requested length too large");
  if (want <= have) {
    *out = orb_text(a[0].u.s, orb_fn_char_off(a[0].u.s, a[0].len, want < 0 ? 0 : want));
    return ORB_OK;
  }
  orb_value sp = orb_text(" ", 1);
  const orb_value *fill = n > 2 ? &a[2] : &sp;
  if (fill->len == 0) {
    *out = a[0];
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  if (!left) orb_buf_append(&b, a[0].u.s, a[0].len);
  int64_t need = want - have;
  for (size_t i = 0; need > 0; need--) {
    size_t l = clen_at(fill->u.s, fill->len, i);
    orb_buf_append(&b, fill->u.s + i, l);
    i += l;
    if (i >= fill->len) i = 0;
  }
  if (left) orb_buf_append(&b, a[0].u.s, a[0].len);
  *out = orb_fn_text(ctx, b.data, b.len);
  orb_buf_free(&b);
  return ORB_OK;
}
EVAL(f_lpad) { UNUSED; return pad(ctx, n, a, true, out, e); }
EVAL(f_rpad) { UNUSED; return pad(ctx, n, a, false, out, e); }

EVAL(f_repeat) {
  UNUSED;
  int64_t k = a[1].u.i < 0 ? 0 : a[1].u.i;
  if ((uint64_t)k * a[0].len > 64u * 1024 * 1024)
    return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "requested length too large");
  size_t total = (size_t)k * a[0].len;
  char *s = orb_arena_alloc(ctx->arena, total ? total : 1);
  for (int64_t i = 0; i < k; i++) memcpy(s + (size_t)i * a[0].len, a[0].u.s, a[0].len);
  *out = orb_text(s, total);
  return ORB_OK;
}

EVAL(f_reverse) {
  UNUSED;
  size_t n0 = a[0].len;
  char *s = orb_arena_alloc(ctx->arena, n0 ? n0 : 1);
  for (size_t i = 0; i < n0;) {
    size_t l = clen_at(a[0].u.s, n0, i);
    memcpy(s + n0 - i - l, a[0].u.s + i, l);
    i += l;
  }
  *out = orb_text(s, n0);
  return ORB_OK;
}

EVAL(f_starts_with) {
  UNUSED;
  *out = orb_bool(a[1].len <= a[0].len && memcmp(a[0].u.s, a[1].u.s, a[1].len) == 0);
  return ORB_OK;
}

/* split_part(s, delim, k): field k (1-based; negative counts from the end,
** PostgreSQL 14+); a field past either end is ''. */
EVAL(f_split_part) {
  UNUSED;
  int64_t k = a[2].u.i;
  if (k == 0) return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", 0, "field position must not be zero");
  const orb_value *s = &a[0], *d = &a[1];
  if (s->len == 0) {
    *out = orb_text("", 0);
    return ORB_OK;
  }
  if (d->len == 0) {
    *out = k == 1 || k == -1 ? *s : orb_text("", 0);
    return ORB_OK;
  }
  if (k < 0) {
    /* count the fields, then take field nf + k + 1 from the start */
    int64_t nf = 1;
    for (size_t i = 0; i + d->len <= s->len;)
      if (memcmp(s->u.s + i, d->u.s, d->len) == 0) nf++, i += d->len;
      else i++;
    if (-k > nf) {
      *out = orb_text("", 0);
      return ORB_OK;
    }
    k = nf + k + 1;
  }
  size_t b = 0;   /* start of field number `field` */
  int64_t field = 1;
  for (size_t i = 0; i + d->len <= s->len;) {
    if (memcmp(s->u.s + i, d->u.s, d->len) != 0) {
      i++;
      continue;
    }
    if (field == k) {
      *out = orb_text(s->u.s + b, i - b);
      return ORB_OK;
    }
    field++;
    i += d->len;
    b = i;
  }
  *out = field == k ? orb_text(s->u.s + b, s->len - b) : orb_text("", 0);
  return ORB_OK;
}

/* md5(text or bytea): 32 lower-case hex digits */
static orb_status r_md5(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (t[0].id != ORB_T_BYTEA && !orb_fn_want(t, 0, ORB_T_TEXT)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_md5) {
  UNUSED;
  char hex[33];
  orb_md5_hex(a[0].u.s, a[0].len, hex);
  *out = orb_fn_text(ctx, hex, 32);
  return ORB_OK;
}

EVAL(f_ascii) {
  UNUSED;
  *out = orb_int(ORB_T_INT32, a[0].len ? (unsigned char)a[0].u.s[0] : 0);
  return ORB_OK;
}

const orb_func orb_funcs_string[] = {
    {"lower", 1, 1, 0, r_text, f_lower},
    {"upper", 1, 1, 0, r_text, f_upper},
    {"length", 1, 1, 0, r_length, f_length},
    {"char_length", 1, 1, 0, r_text_int, f_length},
    {"character_length", 1, 1, 0, r_text_int, f_length},
    {"octet_length", 1, 1, 0, r_length, f_octet_length},
    {"substring", 2, 3, 0, r_substring, f_substring},
    {"substr", 2, 3, 0, r_text_ints, f_substring},
    {"position", 2, 2, 0, r_text_int, f_position},
    {"strpos", 2, 2, 0, r_text_int, f_strpos},
    {"btrim", 1, 2, 0, r_text, f_btrim},
    {"ltrim", 1, 2, 0, r_text, f_ltrim},
    {"rtrim", 1, 2, 0, r_text, f_rtrim},
    {"replace", 3, 3, 0, r_text, f_replace},
    {"concat", 1, -1, ORB_FN_NULL_ARGS, r_concat, f_concat},
    {"concat_ws", 2, -1, ORB_FN_NULL_ARGS, r_concat, f_concat_ws},
    {"left", 2, 2, 0, r_text_ints, f_left},
    {"right", 2, 2, 0, r_text_ints, f_right},
    {"lpad", 2, 3, 0, r_pad, f_lpad},
    {"rpad", 2, 3, 0, r_pad, f_rpad},
    {"repeat", 2, 2, 0, r_text_ints, f_repeat},
    {"reverse", 1, 1, 0, r_text, f_reverse},
    {"starts_with", 2, 2, 0, r_text_bool, f_starts_with},
    {"split_part", 3, 3, 0, r_split, f_split_part},
    {"md5", 1, 1, 0, r_md5, f_md5},
    {"ascii", 1, 1, 0, r_text_int, f_ascii},
};
const int orb_nfuncs_string = sizeof orb_funcs_string / sizeof orb_funcs_string[0];
