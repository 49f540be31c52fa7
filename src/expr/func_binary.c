/* expr/func_binary.c — bytea text encodings with PostgreSQL's semantics:
** encode(bytea, format), decode(text, format) for the formats hex, base64
** and escape, and to_hex(integer). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "expr/func_int.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

typedef enum { FMT_HEX, FMT_BASE64, FMT_ESCAPE } bin_format;

static orb_status format_of(const orb_value *v, bin_format *out, orb_err *e) {
  static const char *const names[] = {"hex", "base64", "escape"};
  for (int i = 0; i < 3; i++)
    if (v->len == strlen(names[i]) && strncasecmp(v->u.s, names[i], v->len) == 0) {
      *out = (bin_format)i;
      return ORB_OK;
    }
  return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", 0, "unrecognized encoding: \"%.*s\"", (int)v->len, v->u.s);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* --- encode ------------------------------------------------------------------ */

static void encode_hex(const unsigned char *p, size_t n, orb_buf *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    orb_buf_putc(out, digits[p[i] >> 4]);
    orb_buf_putc(out, digits[p[i] & 15]);
  }
}

/* PostgreSQL breaks base64 output into lines of 76 characters. */
static void encode_base64(const unsigned char *p, size_t n, orb_buf *out) {
  int line = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t w = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    if (line == 76) {
      orb_buf_putc(out, '\n');
      line = 0;
    }
    orb_buf_putc(out, b64[w >> 18 & 63]);
    orb_buf_putc(out, b64[w >> 12 & 63]);
    orb_buf_putc(out, i + 1 < n ? b64[w >> 6 & 63] : '=');
    orb_buf_putc(out, i + 2 < n ? b64[w & 63] : '=');
    line += 4;
  }
}

/* escape: NUL and bytes with the high bit set as \ooo, backslash doubled. */
static void encode_escape(const unsigned char *p, size_t n, orb_buf *out) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '\\') orb_buf_puts(out, "\\\\");
    else if (p[i] == 0 || p[i] >= 0x80) orb_buf_printf(out, "\\%03o", p[i]);
    else orb_buf_putc(out, (char)p[i]);
  }
}

EVAL(f_encode) {
  UNUSED;
  bin_format fmt;
  orb_status st = format_of(&a[1], &fmt, e);
  if (st != ORB_OK) return st;
  orb_buf b = ORB_BUF_INIT;
  const unsigned char *p = (const unsigned char *)a[0].u.s;
  if (fmt == FMT_HEX) encode_hex(p, a[0].len, &b);
  else if (fmt == FMT_BASE64) encode_base64(p, a[0].len, &b);
  else encode_escape(p, a[0].len, &b);
  *out = orb_fn_text(ctx, b.len ? (const char *)b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* --- decode ------------------------------------------------------------------ */

static int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static orb_status decode_hex(const char *s, size_t n, orb_buf *out, orb_err *e) {
  for (size_t i = 0; i < n;) {
    if (is_space(s[i])) {
      i++;
      continue;
    }
    int hi = hex_value(s[i]);
    if (hi < 0) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid hexadecimal digit: \"%c\"", s[i]);
    if (i + 1 >= n) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid hexadecimal data: odd number of digits");
    int lo = hex_value(s[i + 1]);
    if (lo < 0) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid hexadecimal digit: \"%c\"", s[i + 1]);
    orb_buf_putc(out, (char)(hi << 4 | lo));
    i += 2;
  }
  return ORB_OK;
}

static orb_status decode_base64(const char *s, size_t n, orb_buf *out, orb_err *e) {
  uint32_t acc = 0;
  int bits = 0, pad = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (is_space(c)) continue;
    if (c == '=') {
      pad++;
      continue;
    }
    const char *k = c ? strchr(b64, c) : NULL;
    if (!k || pad)
      return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0,
                          pad ? "invalid base64 end sequence" : "invalid symbol \"%c\" found while decoding base64 sequence", c);
    acc = acc << 6 | (uint32_t)(k - b64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      orb_buf_putc(out, (char)(acc >> bits & 0xFF));
    }
  }
  /* what is left must be padding bits of a whole 4-character group */
  if (bits >= 6 || (bits == 4 && pad != 2) || (bits == 2 && pad != 1) || (bits == 0 && pad != 0))
    return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid base64 end sequence");
  return ORB_OK;
}

static orb_status decode_escape(const char *s, size_t n, orb_buf *out, orb_err *e) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\') {
      orb_buf_putc(out, s[i]);
    } else if (i + 1 < n && s[i + 1] == '\\') {
      orb_buf_putc(out, '\\');
      i++;
    } else if (i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' &&
               s[i + 3] <= '7') {
      orb_buf_putc(out, (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0')));
      i += 3;
    } else {
      return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P02", 0, "invalid input syntax for type bytea");
    }
  }
  return ORB_OK;
}

EVAL(f_decode) {
  UNUSED;
  bin_format fmt;
  orb_status st = format_of(&a[1], &fmt, e);
  if (st != ORB_OK) return st;
  orb_buf b = ORB_BUF_INIT;
  if (fmt == FMT_HEX) st = decode_hex(a[0].u.s, a[0].len, &b, e);
  else if (fmt == FMT_BASE64) st = decode_base64(a[0].u.s, a[0].len, &b, e);
  else st = decode_escape(a[0].u.s, a[0].len, &b, e);
  if (st == ORB_OK) *out = orb_bytea(orb_arena_memdup(ctx->arena, b.len ? b.data : (const void *)"", b.len), b.len);
  orb_buf_free(&b);
  return st;
}

/* --- to_hex ------------------------------------------------------------------ */

/* A negative number prints as its two's complement in its own width, as
** PostgreSQL's to_hex(integer) and to_hex(bigint) do. */
EVAL(f_to_hex) {
  UNUSED;
  char s[24];
  uint64_t v = a[0].type == ORB_T_INT64 ? (uint64_t)a[0].u.i : (uint64_t)(uint32_t)(int32_t)a[0].u.i;
  int k = snprintf(s, sizeof s, "%llx", (unsigned long long)v);
  *out = orb_fn_text(ctx, s, (size_t)k);
  return ORB_OK;
}

/* --- resolvers ---------------------------------------------------------------- */

static orb_status r_encode(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_BYTEA) || !orb_fn_want(t, 1, ORB_T_TEXT)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status r_decode(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || !orb_fn_want(t, 1, ORB_T_TEXT)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_BYTEA);
  return ORB_OK;
}

/* to_hex(integer) and to_hex(bigint); smallint widens to integer */
static orb_status r_to_hex(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (t[0].id == ORB_T_INT64) {
    *res = orb_type_make(ORB_T_TEXT);
    return ORB_OK;
  }
  if (!orb_fn_want(t, 0, ORB_T_INT32)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

const orb_func orb_funcs_binary[] = {
    {"encode", 2, 2, 0, r_encode, f_encode},
    {"decode", 2, 2, 0, r_decode, f_decode},
    {"to_hex", 1, 1, 0, r_to_hex, f_to_hex},
};
const int orb_nfuncs_binary = sizeof orb_funcs_binary / sizeof orb_funcs_binary[0];
