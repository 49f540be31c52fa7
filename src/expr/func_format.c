/* expr/func_format.c — PostgreSQL's functions that build SQL text:
** format(fmt, VARIADIC args) with %s, %I, %L, %%, argument positions (%2$s),
** the - flag and widths; quote_ident, quote_literal, quote_nullable.
**
** Identifiers are quoted unless they are lower-case letters, digits and
** underscores not starting with a digit.  PostgreSQL also quotes reserved
** key words; the keyword list lives in the parser, above this layer, so
** here `select` stays bare (a difference only for such names). */
#include <string.h>

#include "expr/func_int.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

static void quote_ident(const char *s, size_t len, orb_buf *out) {
  bool plain = len > 0 && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_');
  for (size_t i = 0; i < len && plain; i++)
    plain = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
  if (plain) {
    orb_buf_append(out, s, len);
    return;
  }
  orb_buf_putc(out, '"');
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '"') orb_buf_putc(out, '"');
    orb_buf_putc(out, s[i]);
  }
  orb_buf_putc(out, '"');
}

/* 'text' with quotes doubled; E'...' with backslashes doubled when there are any */
static void quote_literal(const char *s, size_t len, orb_buf *out) {
  if (memchr(s, '\\', len)) orb_buf_putc(out, 'E');
  orb_buf_putc(out, '\'');
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\'' || s[i] == '\\') orb_buf_putc(out, s[i]);
    orb_buf_putc(out, s[i]);
  }
  orb_buf_putc(out, '\'');
}

static orb_status r_all_text(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)e;
  for (int i = 0; i < n; i++) t[i] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status bad_format(orb_err *e, const char *msg) { return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", 0, "%s", msg); }

/* a decimal number at *p (at most 9 digits: widths and positions are small) */
static bool number(const char **p, const char *end, int *v) {
  if (*p >= end || **p < '0' || **p > '9') return false;
  int x = 0, k = 0;
  while (*p < end && **p >= '0' && **p <= '9' && k++ < 9) x = x * 10 + (*(*p)++ - '0');
  *v = x;
  return true;
}

EVAL(f_format) {
  UNUSED;
  if (a[0].isnull) {
    *out = orb_null(ORB_T_TEXT);
    return ORB_OK;
  }
  const char *p = a[0].u.s, *end = p + a[0].len;
  orb_buf b = ORB_BUF_INIT, item = ORB_BUF_INIT;
  int next = 1;   /* the argument a specifier without a position takes */
  orb_status st = ORB_OK;
  while (p < end && st == ORB_OK) {
    if (*p != '%') {
      orb_buf_putc(&b, *p++);
      continue;
    }
    if (++p >= end) {
      st = bad_format(e, "unterminated format() type specifier");
      break;
    }
    if (*p == '%') {
      orb_buf_putc(&b, *p++);
      continue;
    }
    int arg = next, width = 0;
    const char *save = p;
    int pos;
    if (number(&p, end, &pos) && p < end && *p == '$') {
      if (pos == 0) {
        st = bad_format(e, "format specifies argument 0, but arguments are numbered from 1");
        break;
      }
      arg = pos, p++;
    } else {
      p = save;
    }
    bool left = p < end && *p == '-';
    if (left) p++;
    if (p < end && *p == '*') {
      st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "format() widths taken from arguments are not supported");
      break;
    }
    number(&p, end, &width);
    if (p >= end) {
      st = bad_format(e, "unterminated format() type specifier");
      break;
    }
    char type = *p++;
    if (type != 's' && type != 'I' && type != 'L') {
      st = orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", 0, "unrecognized format() type specifier \"%c\"", type);
      break;
    }
    if (arg >= n) {
      st = bad_format(e, "too few arguments for format()");
      break;
    }
    next = arg + 1;
    const orb_value *v = &a[arg];
    orb_buf_reset(&item);
    if (type == 's') {
      if (!v->isnull) orb_buf_append(&item, v->u.s, v->len);
    } else if (type == 'I') {
      if (v->isnull) {
        st = orb_err_setx(e, ORB_ERR_CONSTRAINT, "22004", 0, "null values cannot be formatted as an SQL identifier");
        break;
      }
      quote_ident(v->u.s, v->len, &item);
    } else if (v->isnull) {
      orb_buf_puts(&item, "NULL");
    } else {
      quote_literal(v->u.s, v->len, &item);
    }
    /* width counts characters (UTF-8 continuation bytes are not characters) */
    size_t chars = 0;
    for (size_t i = 0; i < item.len; i++) chars += ((unsigned char)item.data[i] & 0xc0) != 0x80;
    size_t pad = (size_t)width > chars ? (size_t)width - chars : 0;
    if (!left)
      for (size_t i = 0; i < pad; i++) orb_buf_putc(&b, ' ');
    orb_buf_append(&b, item.data ? item.data : "", item.len);
    if (left)
      for (size_t i = 0; i < pad; i++) orb_buf_putc(&b, ' ');
  }
  if (st == ORB_OK) *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  orb_buf_free(&item);
  return st;
}

EVAL(f_quote_ident) {
  UNUSED;
  orb_buf b = ORB_BUF_INIT;
  quote_ident(a[0].u.s, a[0].len, &b);
  *out = orb_fn_text(ctx, b.data, b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* quote_literal (strict: NULL in, NULL out) and quote_nullable (NULL in, the word NULL out) */
EVAL(f_quote_literal) {
  UNUSED;
  if (a[0].isnull) {
    *out = f->flags & ORB_FN_NULL_ARGS ? orb_text("NULL", 4) : orb_null(ORB_T_TEXT);
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  quote_literal(a[0].u.s, a[0].len, &b);
  *out = orb_fn_text(ctx, b.data, b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

const orb_func orb_funcs_format[] = {
    {"format", 1, -1, ORB_FN_NULL_ARGS, r_all_text, f_format},
    {"quote_ident", 1, 1, 0, r_all_text, f_quote_ident},
    {"quote_literal", 1, 1, 0, r_all_text, f_quote_literal},
    {"quote_nullable", 1, 1, ORB_FN_NULL_ARGS, r_all_text, f_quote_literal},
};
const int orb_nfuncs_format = sizeof orb_funcs_format / sizeof orb_funcs_format[0];
