/* types/value_text.c — PostgreSQL's text input and output of every type. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "types/datetime.h"
#include "types/decimal.h"
#include "types/array.h"
#include "types/json.h"
#include "types/value.h"

static orb_status bad_input(orb_type t, const char *s, size_t n, orb_err *e) {
  orb_buf tn = ORB_BUF_INIT;
  orb_type_format(t, &tn);
  if (t.id == ORB_T_TEXT) orb_buf_reset(&tn), orb_buf_puts(&tn, "text");
  int len = n > 200 ? 200 : (int)n;
  orb_status st = orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P02", 0, "invalid input syntax for type %s: \"%.*s\"",
                               tn.data, len, s);
  orb_buf_free(&tn);
  return st;
}

/* Trim ASCII blanks at both ends. */
static void trim(const char **s, size_t *n) {
  while (*n && isspace((unsigned char)**s)) (*s)++, (*n)--;
  while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

static const char *int_name(orb_type_id t) {
  return t == ORB_T_INT16 ? "smallint" : t == ORB_T_INT32 ? "integer" : "bigint";
}

orb_status orb_int_range_check(orb_type_id t, int64_t v, orb_err *e);
orb_status orb_int_range_check(orb_type_id t, int64_t v, orb_err *e) {
  if ((t == ORB_T_INT16 && (v < INT16_MIN || v > INT16_MAX)) || (t == ORB_T_INT32 && (v < INT32_MIN || v > INT32_MAX)))
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "%s out of range", int_name(t));
  return ORB_OK;
}

static orb_status int_from_text(const char *s0, size_t n0, orb_type t, orb_value *out, orb_err *e) {
  const char *s = s0;
  size_t n = n0;
  trim(&s, &n);
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == n) return bad_input(t, s0, n0, e);
  unsigned __int128 v = 0;
  for (; i < n; i++) {
    if (s[i] == '_' && i + 1 < n && isdigit((unsigned char)s[i + 1]) && i > 0 && isdigit((unsigned char)s[i - 1]))
      continue;
    if (!isdigit((unsigned char)s[i])) return bad_input(t, s0, n0, e);
    v = v * 10 + (unsigned)(s[i] - '0');
    if (v > ((unsigned __int128)1 << 64)) break;
  }
  __int128 sv = neg ? -(__int128)v : (__int128)v;
  int64_t lo = t.id == ORB_T_INT16 ? INT16_MIN : t.id == ORB_T_INT32 ? INT32_MIN : INT64_MIN;
  int64_t hi = t.id == ORB_T_INT16 ? INT16_MAX : t.id == ORB_T_INT32 ? INT32_MAX : INT64_MAX;
  if (i < n || sv < lo || sv > hi) {
    int len = n0 > 200 ? 200 : (int)n0;
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value \"%.*s\" is out of range for type %s", len, s0,
                        int_name((orb_type_id)t.id));
  }
  *out = orb_int((orb_type_id)t.id, (int64_t)sv);
  return ORB_OK;
}

static orb_status float_from_text(const char *s0, size_t n0, orb_type t, orb_value *out, orb_err *e) {
  const char *s = s0;
  size_t n = n0;
  trim(&s, &n);
  char buf[128];
  if (n == 0 || n >= sizeof buf) return bad_input(t, s0, n0, e);
  memcpy(buf, s, n);
  buf[n] = '\0';
  double d;
  const char *w = buf + (buf[0] == '+' || buf[0] == '-');
  if (strcasecmp(w, "nan") == 0) d = NAN;
  else if (strcasecmp(w, "infinity") == 0 || strcasecmp(w, "inf") == 0) d = buf[0] == '-' ? -INFINITY : INFINITY;
  else {
    char *end;
    errno = 0;
    d = strtod(buf, &end);
    if (*end || end == buf || isalpha((unsigned char)buf[0])) return bad_input(t, s0, n0, e);
    if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
      return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "\"%s\" is out of range for type %s", buf,
                          t.id == ORB_T_FLOAT32 ? "real" : "double precision");
  }
  if (t.id == ORB_T_FLOAT32) {
    float f = (float)d;
    if (isinf(f) && !isinf(d))
      return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "\"%s\" is out of range for type real", buf);
    d = f;
  }
  *out = orb_float((orb_type_id)t.id, d);
  return ORB_OK;
}

static bool prefix_of(const char *s, size_t n, const char *word, size_t minlen) {
  return n >= minlen && n <= strlen(word) && strncasecmp(s, word, n) == 0;
}

/* PostgreSQL's boolean input: unique prefixes of true/false/yes/no, on/off, 1/0. */
static orb_status bool_from_text(const char *s0, size_t n0, orb_value *out, orb_err *e) {
  const char *s = s0;
  size_t n = n0;
  trim(&s, &n);
  if (prefix_of(s, n, "true", 1) || prefix_of(s, n, "yes", 1) || prefix_of(s, n, "on", 2) || (n == 1 && s[0] == '1')) {
    *out = orb_bool(true);
    return ORB_OK;
  }
  if (prefix_of(s, n, "false", 1) || prefix_of(s, n, "no", 1) || prefix_of(s, n, "off", 2) ||
      (n == 1 && s[0] == '0')) {
    *out = orb_bool(false);
    return ORB_OK;
  }
  return bad_input(orb_type_make(ORB_T_BOOL), s0, n0, e);
}

/* Number of UTF-8 characters in s. */
size_t orb_utf8_chars(const char *s, size_t n);
size_t orb_utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  return c;
}

static orb_status text_from_text(const char *s, size_t n, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  if (t.maxlen && orb_utf8_chars(s, n) > (size_t)t.maxlen) {
    /* PostgreSQL ignores trailing spaces beyond the limit */
    size_t k = n;
    while (k && s[k - 1] == ' ' && orb_utf8_chars(s, k) > (size_t)t.maxlen) k--;
    if (orb_utf8_chars(s, k) > (size_t)t.maxlen)
      return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22001", 0, "value too long for type character varying(%d)",
                          (int)t.maxlen);
    n = k;
  }
  char *c = orb_arena_alloc(a, n ? n : 1);
  if (n) memcpy(c, s, n);
  *out = orb_text(c, n);
  return ORB_OK;
}

static int hexv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static orb_status bytea_from_text(const char *s, size_t n, orb_arena *a, orb_value *out, orb_err *e) {
  unsigned char *b = orb_arena_alloc(a, n + 1);
  size_t k = 0;
  if (n >= 2 && s[0] == '\\' && s[1] == 'x') {
    for (size_t i = 2; i < n;) {
      if (isspace((unsigned char)s[i])) {
        i++;
        continue;
      }
      int h = hexv(s[i]), l = i + 1 < n ? hexv(s[i + 1]) : -1;
      if (h < 0 || l < 0)
        return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P02", 0, "invalid hexadecimal data: odd number of digits or bad digit");
      b[k++] = (unsigned char)(h * 16 + l);
      i += 2;
    }
  } else {
    for (size_t i = 0; i < n;) {
      if (s[i] != '\\') {
        b[k++] = (unsigned char)s[i++];
      } else if (i + 1 < n && s[i + 1] == '\\') {
        b[k++] = '\\';
        i += 2;
      } else if (i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
                 s[i + 3] >= '0' && s[i + 3] <= '7') {
        b[k++] = (unsigned char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
        i += 4;
      } else {
        return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P02", 0, "invalid input syntax for type bytea");
      }
    }
  }
  *out = orb_bytea(b, k);
  return ORB_OK;
}

static orb_status uuid_from_text(const char *s0, size_t n0, orb_value *out, orb_err *e) {
  const char *s = s0;
  size_t n = n0;
  trim(&s, &n);
  if (n && s[0] == '{') {
    if (s[n - 1] != '}') return bad_input(orb_type_make(ORB_T_UUID), s0, n0, e);
    s++;
    n -= 2;
  }
  orb_value v = orb_null(ORB_T_UUID);
  v.isnull = 0;
  int k = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] == '-' && k > 0 && k % 2 == 0 && i + 1 < n && s[i + 1] != '-') {
      i++;
      continue;
    }
    int h = hexv(s[i]), l = i + 1 < n ? hexv(s[i + 1]) : -1;
    if (h < 0 || l < 0 || k >= 16) return bad_input(orb_type_make(ORB_T_UUID), s0, n0, e);
    v.u.uuid[k++] = (uint8_t)(h * 16 + l);
    i += 2;
  }
  if (k != 16) return bad_input(orb_type_make(ORB_T_UUID), s0, n0, e);
  *out = v;
  return ORB_OK;
}

static orb_status decimal_from_text(const char *s0, size_t n0, orb_type t, orb_value *out, orb_err *e) {
  const char *s = s0;
  size_t n = n0;
  trim(&s, &n);
  char buf[16];
  if (n >= 3 && n < sizeof buf) {
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (strcasecmp(buf, "nan") == 0 || strcasecmp(buf, "infinity") == 0 || strcasecmp(buf, "-infinity") == 0)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "numeric value \"%s\" is not supported", buf);
  }
  __int128 v;
  int scale;
  orb_dec_parse_rc rc = orb_decimal_parse(s, n, t.precision ? t.scale : -1, &v, &scale);
  if (rc == ORB_DEC_SYNTAX) return bad_input(orb_type_decimal(0, 0), s0, n0, e);
  if (rc == ORB_DEC_OVERFLOW || (t.precision && !orb_decimal_fits(v, t.precision)))
    return orb_decimal_overflow(e);
  *out = orb_decimal(v, scale);
  return ORB_OK;
}

orb_status orb_value_from_text(const char *s, size_t n, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  orb_status st;
  switch ((orb_type_id)t.id) {
  case ORB_T_BOOL: return bool_from_text(s, n, out, e);
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64: return int_from_text(s, n, t, out, e);
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64: return float_from_text(s, n, t, out, e);
  case ORB_T_DECIMAL: return decimal_from_text(s, n, t, out, e);
  case ORB_T_NULL:
  case ORB_T_TEXT: return text_from_text(s, n, t, a, out, e);
  case ORB_T_BYTEA: return bytea_from_text(s, n, a, out, e);
  case ORB_T_UUID: return uuid_from_text(s, n, out, e);
  case ORB_T_DATE:
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ: {
    int64_t v;
    if (t.id == ORB_T_DATE) st = orb_date_parse(s, n, &v, e);
    else if (t.id == ORB_T_TIME) st = orb_time_parse(s, n, &v, e);
    else st = orb_timestamp_parse(s, n, t.id == ORB_T_TIMESTAMPTZ, &v, e);
    if (st == ORB_OK) *out = orb_int((orb_type_id)t.id, v);
    return st;
  }
  case ORB_T_INTERVAL: {
    orb_value v = orb_null(ORB_T_INTERVAL);
    v.isnull = 0;
    st = orb_interval_parse(s, n, &v.u.iv, e);
    if (st == ORB_OK) *out = v;
    return st;
  }
  case ORB_T_ARRAY: return orb_array_from_text(s, n, t, a, out, e);
  case ORB_T_JSON:
    if ((st = orb_json_validate(s, n, "json", e)) != ORB_OK) return st;
    *out = orb_text(orb_arena_memdup(a, s, n ? n : 1), n);
    out->type = ORB_T_JSON;
    return ORB_OK;
  case ORB_T_JSONB: return orb_jsonb_from_text(s, n, a, out, e);
  case ORB_T_RECORD:
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "input of anonymous composite types is not implemented");
  case ORB_T_VOID:   /* void_in takes any text */
    *out = orb_null(ORB_T_VOID);
    out->isnull = 0;
    return ORB_OK;
  case ORB_T__COUNT: break;
  }
  return orb_err_set(e, ORB_ERR_INTERNAL, "no input function for type %d", (int)t.id);
}

/* Shortest text that reads back as the same value, laid out as PostgreSQL 12+
** prints floats: plain digits unless the decimal exponent is below -4 or at
** least 15 (double) / 6 (real), then d.ddde+XX. */
static void float_out(double d, bool single, orb_buf *out) {
  if (isnan(d)) {
    orb_buf_puts(out, "NaN");
    return;
  }
  if (isinf(d)) {
    orb_buf_puts(out, d < 0 ? "-Infinity" : "Infinity");
    return;
  }
  if (d == 0) {
    orb_buf_puts(out, signbit(d) ? "-0" : "0");
    return;
  }
  char buf[64];
  int prec;
  for (prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (single ? (float)strtod(buf, NULL) == (float)d : strtod(buf, NULL) == d) break;
  }
  /* buf = [-]d[.ddd]e[+-]xx */
  char digits[32];
  int nd = 0;
  const char *p = buf;
  bool neg = *p == '-';
  if (neg) p++;
  for (; *p && *p != 'e'; p++)
    if (*p != '.') digits[nd++] = *p;
  int expo = atoi(p + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  if (neg) orb_buf_putc(out, '-');
  int limit = single ? 6 : 15;
  if (expo < -4 || expo >= limit) {
    orb_buf_putc(out, digits[0]);
    if (nd > 1) {
      orb_buf_putc(out, '.');
      orb_buf_append(out, digits + 1, (size_t)nd - 1);
    }
    orb_buf_printf(out, "e%c%02d", expo < 0 ? '-' : '+', expo < 0 ? -expo : expo);
  } else if (expo < 0) {
    orb_buf_puts(out, "0.");
    for (int i = 0; i < -expo - 1; i++) orb_buf_putc(out, '0');
    orb_buf_append(out, digits, (size_t)nd);
  } else {
    for (int i = 0; i <= expo; i++) orb_buf_putc(out, i < nd ? digits[i] : '0');
    if (nd > expo + 1) {
      orb_buf_putc(out, '.');
      orb_buf_append(out, digits + expo + 1, (size_t)(nd - expo - 1));
    }
  }
}

void orb_value_to_text(const orb_value *v, orb_buf *out) {
  if (v->isnull) return;
  switch ((orb_type_id)v->type) {
  case ORB_T_BOOL: orb_buf_putc(out, v->u.b ? 't' : 'f'); return;
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64: orb_buf_printf(out, "%lld", (long long)v->u.i); return;
  case ORB_T_FLOAT32: float_out(v->u.f, true, out); return;
  case ORB_T_FLOAT64: float_out(v->u.f, false, out); return;
  case ORB_T_DECIMAL: orb_decimal_format(v->u.dec, v->scale, out); return;
  case ORB_T_NULL:
  case ORB_T_TEXT: orb_buf_append(out, v->u.s, v->len); return;
  case ORB_T_BYTEA: {
    static const char hex[] = "0123456789abcdef";
    orb_buf_puts(out, "\\x");
    for (uint32_t i = 0; i < v->len; i++) {
      unsigned char c = (unsigned char)v->u.s[i];
      orb_buf_putc(out, hex[c >> 4]);
      orb_buf_putc(out, hex[c & 15]);
    }
    return;
  }
  case ORB_T_UUID: {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) orb_buf_putc(out, '-');
      orb_buf_putc(out, hex[v->u.uuid[i] >> 4]);
      orb_buf_putc(out, hex[v->u.uuid[i] & 15]);
    }
    return;
  }
  case ORB_T_DATE: orb_date_format(v->u.i, out); return;
  case ORB_T_TIME: orb_time_format(v->u.i, out); return;
  case ORB_T_TIMESTAMP: orb_timestamp_format(v->u.i, false, out); return;
  case ORB_T_TIMESTAMPTZ: orb_timestamp_format(v->u.i, true, out); return;
  case ORB_T_INTERVAL: orb_interval_format(&v->u.iv, out); return;
  case ORB_T_ARRAY: orb_array_to_text(v, out); return;
  case ORB_T_RECORD: orb_record_to_text(v, out); return;
  case ORB_T_VOID: return;
  case ORB_T_JSON:
  case ORB_T_JSONB: orb_buf_append(out, v->u.s, v->len); return;
  case ORB_T__COUNT: break;
  }
}
