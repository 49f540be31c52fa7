/* server/pg_values.c — values on the wire: result columns as DataRow fields
** and Bind parameters, in text format (PostgreSQL's output/input syntax) or
** binary format (network byte order; dates and timestamps counted from
** 2000-01-01 as PostgreSQL does). */
#include <stdio.h>
#include <string.h>

#include "server/pg_int.h"

#define PG_EPOCH_DAYS 10957                 /* 2000-01-01 - 1970-01-01 */
#define PG_EPOCH_USECS 946684800000000LL

static void put_be64(orb_buf *b, uint64_t v) {
  pg_put_be32(b, (int32_t)(v >> 32));
  pg_put_be32(b, (int32_t)(uint32_t)v);
}

static uint64_t be64(const uint8_t *p) { return (uint64_t)(uint32_t)pg_be32(p) << 32 | (uint32_t)pg_be32(p + 4); }

/* NUMERIC in PostgreSQL's binary form, from its exact text form "[-]int[.frac]":
** int16 ndigits, int16 weight (of the first base-10000 digit), uint16 sign
** (0 positive, 0x4000 negative), int16 dscale (fraction digits shown),
** then the base-10000 digits, leading and trailing zero digits left out. */
static void put_numeric(const char *t, orb_buf *out) {
  bool neg = *t == '-';
  if (neg) t++;
  const char *dot = strchr(t, '.');
  size_t nint = dot ? (size_t)(dot - t) : strlen(t), nfrac = dot ? strlen(dot + 1) : 0;
  const char *frac = dot ? dot + 1 : "";
  size_t ig = (nint + 3) / 4, fg = (nfrac + 3) / 4, ng = ig + fg;
  int16_t digits[64];
  if (ng > 64) ng = 64;   /* DECIMAL(38) needs at most 12 */
  for (size_t g = 0; g < ng; g++) {
    int d = 0;
    for (size_t k = 0; k < 4; k++) {
      /* decimal digit at position p: integer digits right-aligned, fraction left-aligned */
      long p = (long)(g * 4 + k) - (long)(ig * 4 - nint);
      char c = '0';
      if (p >= 0 && (size_t)p < nint) c = t[p];
      else if (p >= (long)nint && (size_t)(p - (long)nint) < nfrac) c = frac[p - (long)nint];
      d = d * 10 + (c - '0');
    }
    digits[g] = (int16_t)d;
  }
  int weight = (int)ig - 1;
  size_t first = 0, last = ng;
  while (first < last && digits[first] == 0) first++, weight--;
  while (last > first && digits[last - 1] == 0) last--;
  if (first == last) weight = 0, neg = false;
  pg_put_be32(out, (int32_t)(8 + 2 * (last - first)));
  pg_put_be16(out, (int16_t)(last - first));
  pg_put_be16(out, (int16_t)weight);
  pg_put_be16(out, (int16_t)(neg ? 0x4000 : 0));
  pg_put_be16(out, (int16_t)nfrac);
  for (size_t g = first; g < last; g++) pg_put_be16(out, digits[g]);
}

/* The text form of a binary NUMERIC; false if malformed (NaN, infinities
** and out-of-range digits included: DECIMAL has no such values). */
static bool numeric_text(const uint8_t *v, int32_t len, orb_buf *t) {
  if (len < 8) return false;
  int nd = (int16_t)(v[0] << 8 | v[1]), weight = (int16_t)(v[2] << 8 | v[3]);
  int sign = v[4] << 8 | v[5], dscale = (int16_t)(v[6] << 8 | v[7]);
  if (nd < 0 || len != 8 + 2 * nd || (sign != 0 && sign != 0x4000) || dscale < 0 || dscale > 1000 ||
      weight > 1000 || weight < -1000)
    return false;
  if (sign) orb_buf_putc(t, '-');
  for (int g = 0; g <= weight; g++) {   /* integer part: digit groups of weight >= 0 */
    int d = g < nd ? (v[8 + 2 * g] << 8 | v[9 + 2 * g]) : 0;
    if (d > 9999) return false;
    if (g == 0) orb_buf_printf(t, "%d", d);
    else orb_buf_printf(t, "%04d", d);
  }
  if (weight < 0) orb_buf_putc(t, '0');
  if (dscale > 0) {
    orb_buf_putc(t, '.');
    for (int k = 0; k < dscale; k++) {   /* fraction digit k sits in group weight + 1 + k / 4 */
      int g = weight + 1 + k / 4;
      int d = g >= 0 && g < nd ? (v[8 + 2 * g] << 8 | v[9 + 2 * g]) : 0;
      if (d > 9999) return false;
      static const int div[4] = {1000, 100, 10, 1};
      orb_buf_putc(t, (char)('0' + d / div[k % 4] % 10));
    }
  }
  orb_buf_putc(t, '\0');
  return true;
}

/* One field in binary format; false if the type has no binary form here. */
static bool put_binary(orbit_stmt *st, int i, orb_buf *out) {
  switch (orbit_column_type(st, i)) {
  case ORBIT_BOOL:
    pg_put_be32(out, 1);
    orb_buf_putc(out, orbit_column_bool(st, i) ? 1 : 0);
    return true;
  case ORBIT_INT16:
    pg_put_be32(out, 2);
    pg_put_be16(out, (int16_t)orbit_column_int64(st, i));
    return true;
  case ORBIT_INT32:
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)orbit_column_int64(st, i));
    return true;
  case ORBIT_INT64:
  case ORBIT_TIME:
    pg_put_be32(out, 8);
    put_be64(out, (uint64_t)orbit_column_int64(st, i));
    return true;
  case ORBIT_TIMESTAMP:
  case ORBIT_TIMESTAMPTZ:
    pg_put_be32(out, 8);
    put_be64(out, (uint64_t)(orbit_column_int64(st, i) - PG_EPOCH_USECS));
    return true;
  case ORBIT_DATE:
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)(orbit_column_int64(st, i) - PG_EPOCH_DAYS));
    return true;
  case ORBIT_FLOAT32: {
    float f = (float)orbit_column_double(st, i);
    uint32_t u;
    memcpy(&u, &f, 4);
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)u);
    return true;
  }
  case ORBIT_FLOAT64: {
    double d = orbit_column_double(st, i);
    uint64_t u;
    memcpy(&u, &d, 8);
    pg_put_be32(out, 8);
    put_be64(out, u);
    return true;
  }
  case ORBIT_TEXT:
  case ORBIT_BYTEA:
  case ORBIT_UUID: {
    int len = 0;
    const void *p = orbit_column_blob(st, i, &len);
    pg_put_be32(out, len);
    orb_buf_append(out, p, (size_t)len);
    return true;
  }
  case ORBIT_DECIMAL:
    put_numeric(orbit_column_text(st, i), out);
    return true;
  case ORBIT_INTERVAL: {   /* int64 microseconds, int32 days, int32 months */
    int32_t months, days;
    int64_t micros;
    orbit_column_interval(st, i, &months, &days, &micros);
    pg_put_be32(out, 16);
    put_be64(out, (uint64_t)micros);
    pg_put_be32(out, days);
    pg_put_be32(out, months);
    return true;
  }
  default:
    return false;
  }
}

bool pg_send_data_row(orbit_stmt *st, int n, const int16_t *formats, int nformats, orb_buf *out, const char **err) {
  size_t at = pg_msg_begin(out, 'D');
  pg_put_be16(out, (int16_t)n);
  for (int i = 0; i < n; i++) {
    if (orbit_column_is_null(st, i)) {
      pg_put_be32(out, -1);
      continue;
    }
    if (pg_format_of(formats, nformats, i) == 1) {
      if (!put_binary(st, i, out)) {
        *err = "binary format is not supported for this column type: request text";
        return false;
      }
      continue;
    }
    const char *v = orbit_column_text(st, i);
    size_t len = strlen(v);   /* text output never holds NUL bytes */
    pg_put_be32(out, (int32_t)len);
    orb_buf_append(out, v, len);
  }
  pg_msg_end(out, at);
  return true;
}

bool pg_bind_param(orbit_stmt *st, int idx, const uint8_t *v, int32_t len, int16_t format, const char **err) {
  if (len < 0) return orbit_bind_null(st, idx) == ORBIT_OK;
  if (format == 0) return orbit_bind_text(st, idx, (const char *)v, len) == ORBIT_OK;
  switch (orbit_bind_type(st, idx)) {
  case ORBIT_BOOL:
    if (len != 1) break;
    return orbit_bind_bool(st, idx, v[0] != 0) == ORBIT_OK;
  case ORBIT_INT16:
    if (len != 2) break;
    return orbit_bind_int64(st, idx, (int16_t)((uint16_t)v[0] << 8 | v[1])) == ORBIT_OK;
  case ORBIT_INT32:
    if (len != 4) break;
    return orbit_bind_int64(st, idx, pg_be32(v)) == ORBIT_OK;
  case ORBIT_INT64:
  case ORBIT_TIME:
    if (len != 8) break;
    return orbit_bind_int64(st, idx, (int64_t)be64(v)) == ORBIT_OK;
  case ORBIT_TIMESTAMP:
  case ORBIT_TIMESTAMPTZ:
    if (len != 8) break;
    return orbit_bind_int64(st, idx, (int64_t)be64(v) + PG_EPOCH_USECS) == ORBIT_OK;
  case ORBIT_DATE:
    if (len != 4) break;
    return orbit_bind_int64(st, idx, (int64_t)pg_be32(v) + PG_EPOCH_DAYS) == ORBIT_OK;
  case ORBIT_FLOAT32: {
    if (len != 4) break;
    uint32_t u = (uint32_t)pg_be32(v);
    float f;
    memcpy(&f, &u, 4);
    return orbit_bind_double(st, idx, f) == ORBIT_OK;
  }
  case ORBIT_FLOAT64: {
    if (len != 8) break;
    uint64_t u = be64(v);
    double d;
    memcpy(&d, &u, 8);
    return orbit_bind_double(st, idx, d) == ORBIT_OK;
  }
  case ORBIT_TEXT:
    return orbit_bind_text(st, idx, (const char *)v, len) == ORBIT_OK;
  case ORBIT_BYTEA:
    return orbit_bind_blob(st, idx, v, len) == ORBIT_OK;
  case ORBIT_UUID: {   /* 16 bytes: bound through the text form */
    if (len != 16) break;
    char t[37];
    size_t k = 0;
    for (int b = 0; b < 16; b++) {
      if (b == 4 || b == 6 || b == 8 || b == 10) t[k++] = '-';
      k += (size_t)snprintf(t + k, sizeof t - k, "%02x", v[b]);
    }
    return orbit_bind_text(st, idx, t, (int)k) == ORBIT_OK;
  }
  case ORBIT_DECIMAL: {
    orb_buf t = ORB_BUF_INIT;
    bool ok = numeric_text(v, len, &t);
    int rc = ok ? orbit_bind_text(st, idx, t.data, -1) : ORBIT_OK;
    orb_buf_free(&t);
    if (!ok) break;
    return rc == ORBIT_OK;
  }
  case ORBIT_INTERVAL:
    if (len != 16) break;
    return orbit_bind_interval(st, idx, pg_be32(v + 12), pg_be32(v + 8), (int64_t)be64(v)) == ORBIT_OK;
  default:
    *err = "binary format is not supported for this parameter type: send text";
    return false;
  }
  *err = "incorrect binary data format in bind parameter";
  return false;
}
