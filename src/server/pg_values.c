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

/* A value to send: column col of the current row; element k of it when
** k >= 0 (an array's element, a record's field); element j of its field k
** when j >= 0 too (an array in a record). */
typedef struct cell {
  orbit_stmt *st;
  int col, k, j;
} cell;

static int64_t c_int64(cell c) {
  return c.k < 0 ? orbit_column_int64(c.st, c.col)
         : c.j < 0 ? orbit_elem_int64(c.st, c.col, c.k) : orbit_field_elem_int64(c.st, c.col, c.k, c.j);
}
static double c_double(cell c) {
  return c.k < 0 ? orbit_column_double(c.st, c.col)
         : c.j < 0 ? orbit_elem_double(c.st, c.col, c.k) : orbit_field_elem_double(c.st, c.col, c.k, c.j);
}
static bool c_bool(cell c) {
  return c.k < 0 ? orbit_column_bool(c.st, c.col)
         : c.j < 0 ? orbit_elem_bool(c.st, c.col, c.k) : orbit_field_elem_bool(c.st, c.col, c.k, c.j);
}
static const char *c_text(cell c) {
  return c.k < 0 ? orbit_column_text(c.st, c.col)
         : c.j < 0 ? orbit_elem_text(c.st, c.col, c.k) : orbit_field_elem_text(c.st, c.col, c.k, c.j);
}
static const void *c_blob(cell c, int *len) {
  return c.k < 0 ? orbit_column_blob(c.st, c.col, len)
         : c.j < 0 ? orbit_elem_blob(c.st, c.col, c.k, len) : orbit_field_elem_blob(c.st, c.col, c.k, c.j, len);
}
static void c_interval(cell c, int32_t *months, int32_t *days, int64_t *micros) {
  if (c.k < 0) orbit_column_interval(c.st, c.col, months, days, micros);
  else if (c.j < 0) orbit_elem_interval(c.st, c.col, c.k, months, days, micros);
  else orbit_field_elem_interval(c.st, c.col, c.k, c.j, months, days, micros);
}

/* The array a cell holds (a column, or a record's field): its elements'
** type, their number, the first subscript, and whether element j is NULL. */
static orbit_type a_elem_type(cell c) {
  return c.k < 0 ? orbit_column_elem_type(c.st, c.col) : orbit_field_elem_type(c.st, c.col, c.k);
}
static int a_len(cell c) { return c.k < 0 ? orbit_column_array_len(c.st, c.col) : orbit_field_array_len(c.st, c.col, c.k); }
static int a_lower(cell c) {
  return c.k < 0 ? orbit_column_array_lower(c.st, c.col) : orbit_field_array_lower(c.st, c.col, c.k);
}
static bool a_elem_null(cell c, int j) {
  return c.k < 0 ? orbit_elem_is_null(c.st, c.col, j) != 0 : orbit_field_elem_is_null(c.st, c.col, c.k, j) != 0;
}
/* Element j of the array a cell holds. */
static cell a_elem(cell c, int j) { return c.k < 0 ? (cell){c.st, c.col, j, -1} : (cell){c.st, c.col, c.k, j}; }

static bool put_array(cell c, orb_buf *out);
static bool put_record(cell c, orb_buf *out);

/* Fill in the length word written (as 0) at `at`: the bytes after it. */
static void patch_length(orb_buf *out, size_t at) {
  uint32_t len = (uint32_t)(out->len - at - 4);
  uint8_t *p = (uint8_t *)out->data + at;
  p[0] = (uint8_t)(len >> 24), p[1] = (uint8_t)(len >> 16), p[2] = (uint8_t)(len >> 8), p[3] = (uint8_t)len;
}

/* One value of type t in binary format (length word first); false if the type has no binary form here. */
static bool put_binary(orbit_type t, cell c, orb_buf *out) {
  switch (t) {
  case ORBIT_BOOL:
    pg_put_be32(out, 1);
    orb_buf_putc(out, c_bool(c) ? 1 : 0);
    return true;
  case ORBIT_INT16:
    pg_put_be32(out, 2);
    pg_put_be16(out, (int16_t)c_int64(c));
    return true;
  case ORBIT_INT32:
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)c_int64(c));
    return true;
  case ORBIT_INT64:
  case ORBIT_TIME:
    pg_put_be32(out, 8);
    put_be64(out, (uint64_t)c_int64(c));
    return true;
  case ORBIT_TIMESTAMP:
  case ORBIT_TIMESTAMPTZ:
    pg_put_be32(out, 8);
    put_be64(out, (uint64_t)(c_int64(c) - PG_EPOCH_USECS));
    return true;
  case ORBIT_DATE:
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)(c_int64(c) - PG_EPOCH_DAYS));
    return true;
  case ORBIT_FLOAT32: {
    float f = (float)c_double(c);
    uint32_t u;
    memcpy(&u, &f, 4);
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)u);
    return true;
  }
  case ORBIT_FLOAT64: {
    double d = c_double(c);
    uint64_t u;
    memcpy(&u, &d, 8);
    pg_put_be32(out, 8);
    put_be64(out, u);
    return true;
  }
  case ORBIT_NULL:   /* an untyped NULL is text; only an array's elements get here, and they are NULL */
  case ORBIT_TEXT:
  case ORBIT_BYTEA:
  case ORBIT_UUID: {
    int len = 0;
    const void *p = c_blob(c, &len);
    pg_put_be32(out, len);
    orb_buf_append(out, p, (size_t)len);
    return true;
  }
  case ORBIT_DECIMAL:
    put_numeric(c_text(c), out);
    return true;
  case ORBIT_INTERVAL: {   /* int64 microseconds, int32 days, int32 months */
    int32_t months, days;
    int64_t micros;
    c_interval(c, &months, &days, &micros);
    pg_put_be32(out, 16);
    put_be64(out, (uint64_t)micros);
    pg_put_be32(out, days);
    pg_put_be32(out, months);
    return true;
  }
  case ORBIT_ARRAY:   /* a column, or a record's field: not an array's element (no arrays of arrays) */
    return c.j < 0 && put_array(c, out);
  case ORBIT_RECORD:
    return c.k < 0 && put_record(c, out);
  case ORBIT_VOID:     /* void_send: no bytes */
    pg_put_be32(out, 0);
    return true;
  case ORBIT_JSON:     /* json_send: the text */
  case ORBIT_JSONB: {  /* jsonb_send: a version byte (1), then the text */
    int len = 0;
    const void *p = c_blob(c, &len);
    pg_put_be32(out, len + (t == ORBIT_JSONB));
    if (t == ORBIT_JSONB) orb_buf_putc(out, 1);
    orb_buf_append(out, p, (size_t)len);
    return true;
  }
  }
  return false;
}

/* A one-dimensional array in PostgreSQL's binary form (array_send): int32 number of dimensions
** (0 for an empty array), int32 1 if any element is NULL, element type OID, then per dimension
** int32 length and int32 lower bound, then each element as length (-1 for NULL) and bytes. */
static bool put_array(cell c, orb_buf *out) {
  orbit_type et = a_elem_type(c);
  int n = a_len(c);
  bool any_null = false;
  for (int j = 0; j < n; j++) any_null |= a_elem_null(c, j);
  size_t at = out->len;
  pg_put_be32(out, 0);   /* the field's length, filled in below */
  pg_put_be32(out, n > 0 ? 1 : 0);
  pg_put_be32(out, any_null ? 1 : 0);
  int maxlen = 0;   /* a VARCHAR(n)[] column's elements are varchar, as PostgreSQL sends them */
  if (c.k < 0) orbit_column_modifiers(c.st, c.col, NULL, NULL, &maxlen);
  pg_put_be32(out, et == ORBIT_TEXT && maxlen ? 1043 : pg_type_oid((int)et));
  if (n > 0) {
    pg_put_be32(out, n);
    pg_put_be32(out, a_lower(c));
  }
  for (int j = 0; j < n; j++) {
    if (a_elem_null(c, j)) {
      pg_put_be32(out, -1);
      continue;
    }
    if (!put_binary(et, a_elem(c, j), out)) return false;
  }
  patch_length(out, at);
  return true;
}

/* A record in PostgreSQL's binary form (record_send): int32 number of fields, then per field
** its type OID, int32 length (-1 for NULL) and bytes; an array field as array_send writes it,
** its type OID the array type's (int4[]: 1007).  A record in a record has no binary form here
** (false: the client is told to ask for text). */
static bool put_record(cell c, orb_buf *out) {
  int n = orbit_column_array_len(c.st, c.col);
  size_t at = out->len;
  pg_put_be32(out, 0);   /* the field's length, filled in below */
  pg_put_be32(out, n);
  for (int k = 0; k < n; k++) {
    orbit_type ft = orbit_elem_type(c.st, c.col, k);
    /* an untyped NULL field is PostgreSQL's unknown; no field value is of type void */
    pg_put_be32(out, ft == ORBIT_NULL        ? 705
                     : ft == ORBIT_ARRAY ? pg_array_type_oid((int)orbit_field_elem_type(c.st, c.col, k))
                                         : pg_type_oid((int)ft));
    if (orbit_elem_is_null(c.st, c.col, k)) {
      pg_put_be32(out, -1);
      continue;
    }
    if (ft == ORBIT_RECORD || !put_binary(ft, (cell){c.st, c.col, k, -1}, out)) return false;
  }
  patch_length(out, at);
  return true;
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
      if (!put_binary(orbit_column_type(st, i), (cell){st, i, -1, -1}, out)) {
        out->len = at - 1;   /* no half message: the caller sends an error instead */
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

/* --- binary arrays in Bind ------------------------------------------------------------ */

/* Civil date of a day count from 1970-01-01 (proleptic Gregorian; days in eras of 400 years). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static void put_date(int64_t days, orb_buf *t) {
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  orb_buf_printf(t, "%04lld-%02d-%02d", (long long)y, m, d);
}

static void put_time(int64_t us, orb_buf *t) {
  orb_buf_printf(t, "%02lld:%02lld:%02lld.%06lld", (long long)(us / 3600000000LL), (long long)(us / 60000000 % 60),
                 (long long)(us / 1000000 % 60), (long long)(us % 1000000));
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static void put_double(double d, orb_buf *t) {
  if (d != d) orb_buf_puts(t, "NaN");
  else if (d > 1.7976931348623157e308) orb_buf_puts(t, "Infinity");
  else if (d < -1.7976931348623157e308) orb_buf_puts(t, "-Infinity");
  else orb_buf_printf(t, "%.17g", d);
}

/* The text form of one binary element of PostgreSQL type `oid`; false (with *why) if the bytes
** are not a value of that type or the type is not one Orbit has. */
static bool elem_text(int32_t oid, const uint8_t *v, int32_t len, orb_buf *t, const char **why) {
  int want = oid == 16 ? 1 : oid == 21 ? 2 : oid == 23 || oid == 26 || oid == 700 || oid == 1082 ? 4
           : oid == 20 || oid == 701 || oid == 1083 || oid == 1114 || oid == 1184 ? 8
           : oid == 1186 || oid == 2950 ? 16 : -1;
  if (want > 0 && len != want) {
    *why = "element of the wrong length for its type";
    return false;
  }
  switch (oid) {
  case 16: orb_buf_puts(t, v[0] ? "t" : "f"); return true;
  case 21: orb_buf_printf(t, "%d", (int)(int16_t)((uint16_t)v[0] << 8 | v[1])); return true;
  case 23: orb_buf_printf(t, "%d", (int)pg_be32(v)); return true;
  case 26: orb_buf_printf(t, "%u", (unsigned)pg_be32(v)); return true;
  case 20: orb_buf_printf(t, "%lld", (long long)(int64_t)be64(v)); return true;
  case 700: {
    uint32_t u = (uint32_t)pg_be32(v);
    float f;
    memcpy(&f, &u, 4);
    put_double(f, t);
    return true;
  }
  case 701: {
    uint64_t u = be64(v);
    double d;
    memcpy(&d, &u, 8);
    put_double(d, t);
    return true;
  }
  case 1700:
    if (!numeric_text(v, len, t)) {
      *why = "malformed numeric element";
      return false;
    }
    t->len--;   /* numeric_text ends the text with a NUL */
    return true;
  case 25: case 1043: case 19:
    if (memchr(v, 0, (size_t)len)) {
      *why = "text element holds a NUL byte";
      return false;
    }
    orb_buf_append(t, v, (size_t)len);
    return true;
  case 17:
    orb_buf_puts(t, "\\x");
    for (int32_t i = 0; i < len; i++) orb_buf_printf(t, "%02x", v[i]);
    return true;
  case 114:
    orb_buf_append(t, v, (size_t)len);
    return true;
  case 3802:
    if (len < 1 || v[0] != 1) {
      *why = "unsupported jsonb version number";
      return false;
    }
    orb_buf_append(t, v + 1, (size_t)len - 1);
    return true;
  case 2950:
    for (int b = 0; b < 16; b++) {
      if (b == 4 || b == 6 || b == 8 || b == 10) orb_buf_putc(t, '-');
      orb_buf_printf(t, "%02x", v[b]);
    }
    return true;
  case 1082: put_date((int64_t)pg_be32(v) + PG_EPOCH_DAYS, t); return true;
  case 1083: {
    int64_t us = (int64_t)be64(v);
    if (us < 0 || us > 86400000000LL) {
      *why = "time element out of range";
      return false;
    }
    put_time(us, t);
    return true;
  }
  case 1114: case 1184: {
    int64_t us = (int64_t)be64(v);
    if (us < INT64_MIN / 2 || us > INT64_MAX / 2) {   /* PostgreSQL's infinities and beyond any date */
      *why = "timestamp element out of range";
      return false;
    }
    us += PG_EPOCH_USECS;
    int64_t days = floor_div(us, 86400000000LL);
    put_date(days, t);
    orb_buf_putc(t, ' ');
    put_time(us - days * 86400000000LL, t);
    if (oid == 1184) orb_buf_puts(t, "+00");
    return true;
  }
  case 1186:
    orb_buf_printf(t, "%d mons %d days %lld microseconds", (int)pg_be32(v + 12), (int)pg_be32(v + 8),
                   (long long)(int64_t)be64(v));
    return true;
  default:
    *why = "element type is not one Orbit has";
    return false;
  }
}

bool pg_array_from_binary(const uint8_t *v, int32_t len, orb_buf *t, const char **why) {
  *why = NULL;
  if (len < 12) return (*why = "shorter than its 12-byte header"), false;
  int32_t ndim = pg_be32(v), flags = pg_be32(v + 4), elem = pg_be32(v + 8);
  if (ndim < 0 || ndim > 6) return (*why = "number of dimensions out of range"), false;
  if (ndim > 1) return (*why = "multi-dimensional arrays are not supported"), false;
  if (flags != 0 && flags != 1) return (*why = "has-null flag is neither 0 nor 1"), false;
  int32_t n = 0, at = 12;
  if (ndim == 1) {
    if (len < 20) return (*why = "dimension missing"), false;
    n = pg_be32(v + 12);
    if (pg_be32(v + 16) != 1) return (*why = "lower bounds other than 1 are not supported"), false;
    at = 20;
    if (n < 0 || n > (len - at) / 4) return (*why = "more elements than bytes"), false;
  }
  orb_buf e = ORB_BUF_INIT;
  orb_buf_putc(t, '{');
  for (int32_t k = 0; k < n && !*why; k++) {
    if (len - at < 4) {
      *why = "element length missing";
      break;
    }
    int32_t elen = pg_be32(v + at);
    at += 4;
    if (k) orb_buf_putc(t, ',');
    if (elen == -1) {   /* PostgreSQL does not hold the has-null flag against the elements either */
      orb_buf_puts(t, "NULL");
      continue;
    }
    if (elen < 0 || elen > len - at) {
      *why = "element longer than the bytes left";
      break;
    }
    orb_buf_reset(&e);
    if (!elem_text(elem, v + at, elen, &e, why)) break;
    at += elen;
    orb_buf_putc(t, '"');   /* quoted, \ and " escaped: any element text reads back as itself */
    for (size_t i = 0; i < e.len; i++) {
      if (e.data[i] == '"' || e.data[i] == '\\') orb_buf_putc(t, '\\');
      orb_buf_putc(t, e.data[i]);
    }
    orb_buf_putc(t, '"');
  }
  orb_buf_free(&e);
  if (!*why && at != len) *why = "bytes after the last element";
  orb_buf_putc(t, '}');
  return *why == NULL;
}

/* A binary array parameter is bound through its text form ('{"1","2",NULL}'), which the statement
** converts to the parameter's array type as for a text parameter; so an int4[] binds where int8[]
** is expected, as PostgreSQL's casts would allow. */
static bool bind_array(orbit_stmt *st, int idx, const uint8_t *v, int32_t len, const char **err) {
  static _Thread_local char msg[160];
  orb_buf t = ORB_BUF_INIT;
  const char *why;
  bool ok = pg_array_from_binary(v, len, &t, &why) && orbit_bind_text(st, idx, t.data, (int)t.len) == ORBIT_OK;
  orb_buf_free(&t);
  if (why) {
    snprintf(msg, sizeof msg, "malformed binary array in bind parameter $%d: %s", idx, why);
    *err = msg;
  }
  return ok;
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
  case ORBIT_ARRAY:
    return bind_array(st, idx, v, len, err);
  case ORBIT_VOID:     /* void_recv takes anything */
    return orbit_bind_null(st, idx) == ORBIT_OK;
  case ORBIT_JSON:     /* json_recv: the text */
    return orbit_bind_text(st, idx, (const char *)v, len) == ORBIT_OK;
  case ORBIT_JSONB:    /* jsonb_recv: version 1, then the text */
    if (len < 1 || v[0] != 1) {
      *err = "unsupported jsonb version number in bind parameter";
      return false;
    }
    return orbit_bind_text(st, idx, (const char *)v + 1, len - 1) == ORBIT_OK;
  default:
    *err = "binary format is not supported for this parameter type: send text";
    return false;
  }
  *err = "incorrect binary data format in bind parameter";
  return false;
}
