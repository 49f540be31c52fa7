/* storage/cold/ice_value.c — Iceberg single-value binary serialization and
** the bucket hash (see ice_value.h).  Transforms are in ice_transform.c. */
#include "storage/cold/ice_value.h"

#include <stdio.h>
#include <string.h>

/* --- helpers -------------------------------------------------------------- */

#define MICROS_PER_DAY INT64_C(86400000000)

static bool is_int_id(uint8_t id) { return id == ORB_T_INT16 || id == ORB_T_INT32 || id == ORB_T_INT64; }
static bool is_float_id(uint8_t id) { return id == ORB_T_FLOAT32 || id == ORB_T_FLOAT64; }

/* Floor division: days and hours before 1970 round down, not toward zero. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* The minimal big-endian two's-complement bytes of v (1..16 of them), as
** Java's BigInteger.toByteArray gives them: the spec's decimal encoding
** for both serialization and hashing. */
static size_t decimal_min_bytes(__int128 v, uint8_t out[16]) {
  uint8_t be[16];
  unsigned __int128 u = (unsigned __int128)v;
  for (int i = 15; i >= 0; i--) {
    be[i] = (uint8_t)(u & 0xff);
    u >>= 8;
  }
  int start = 0;
  /* Drop a leading byte while it is pure sign extension of the next one. */
  while (start < 15 && ((be[start] == 0x00 && !(be[start + 1] & 0x80)) ||
                        (be[start] == 0xff && (be[start + 1] & 0x80))))
    start++;
  size_t n = (size_t)(16 - start);
  memcpy(out, be + start, n);
  return n;
}

static __int128 pow10_i128(int n) {
  __int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

/* Bring a decimal value to `scale` exactly, or fail (a value of another
** scale would serialize to a different number). */
static bool decimal_rescale(__int128 v, int from, int to, __int128 *out) {
  if (from == to) {
    *out = v;
    return true;
  }
  if (from < to) {
    __int128 p = pow10_i128(to - from), lim = pow10_i128(ORB_DECIMAL_MAX_PRECISION);
    if (v > lim / p || v < -lim / p) return false;
    *out = v * p;
    return true;
  }
  __int128 p = pow10_i128(from - to);
  if (v % p != 0) return false;
  *out = v / p;
  return true;
}

static bool valid_utf8(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t k;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xe0) == 0xc0) k = 1, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) k = 2, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) k = 3, cp = c & 0x07;
    else return false;
    if (n - i <= k) return false;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + j] & 0x3f);
    }
    /* overlong forms, surrogates and values past U+10FFFF */
    if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += k + 1;
  }
  return true;
}

static orb_status type_mismatch(const ice_type *t, const orb_value *v, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 256);
  orb_status st = orb_err_set(e, ORB_ERR_INTERNAL, "iceberg value: a value of SQL type %d given for column type %s",
                              (int)v->type, ice_type_name(&a, t));
  orb_arena_free(&a);
  return st;
}

/* --- serialization -------------------------------------------------------- */

orb_status ice_value_serialize(const ice_type *t, const orb_value *v, orb_buf *out, orb_err *e) {
  if (v->isnull) return orb_err_set(e, ORB_ERR_INTERNAL, "iceberg value: NULL has no single-value serialization");
  switch (t->kind) {
  case ICE_BOOLEAN:
    if (v->type != ORB_T_BOOL) return type_mismatch(t, v, e);
    orb_buf_put_u8(out, v->u.b ? 1 : 0);
    return ORB_OK;
  case ICE_INT:
    if (!is_int_id(v->type)) return type_mismatch(t, v, e);
    if (v->u.i < INT32_MIN || v->u.i > INT32_MAX)
      return orb_err_set(e, ORB_ERR_RANGE, "iceberg value: %lld is out of range for int", (long long)v->u.i);
    orb_buf_put_u32(out, (uint32_t)(int32_t)v->u.i);
    return ORB_OK;
  case ICE_LONG:
    if (!is_int_id(v->type)) return type_mismatch(t, v, e);
    orb_buf_put_u64(out, (uint64_t)v->u.i);
    return ORB_OK;
  case ICE_FLOAT: {
    if (!is_float_id(v->type)) return type_mismatch(t, v, e);
    float f = (float)v->u.f;
    uint32_t bits;
    memcpy(&bits, &f, 4);
    orb_buf_put_u32(out, bits);
    return ORB_OK;
  }
  case ICE_DOUBLE: {
    if (!is_float_id(v->type)) return type_mismatch(t, v, e);
    uint64_t bits;
    memcpy(&bits, &v->u.f, 8);
    orb_buf_put_u64(out, bits);
    return ORB_OK;
  }
  case ICE_DATE:
    if (v->type != ORB_T_DATE) return type_mismatch(t, v, e);
    if (v->u.i < INT32_MIN || v->u.i > INT32_MAX)
      return orb_err_set(e, ORB_ERR_RANGE, "iceberg value: date %lld days is out of range", (long long)v->u.i);
    orb_buf_put_u32(out, (uint32_t)(int32_t)v->u.i);
    return ORB_OK;
  case ICE_TIME:
    if (v->type != ORB_T_TIME) return type_mismatch(t, v, e);
    orb_buf_put_u64(out, (uint64_t)v->u.i);
    return ORB_OK;
  case ICE_TIMESTAMP: case ICE_TIMESTAMPTZ:
    if (v->type != ORB_T_TIMESTAMP && v->type != ORB_T_TIMESTAMPTZ) return type_mismatch(t, v, e);
    orb_buf_put_u64(out, (uint64_t)v->u.i);
    return ORB_OK;
  case ICE_TIMESTAMP_NS: case ICE_TIMESTAMPTZ_NS: {
    /* The engine keeps microseconds; the file wants nanoseconds. */
    if (v->type != ORB_T_TIMESTAMP && v->type != ORB_T_TIMESTAMPTZ) return type_mismatch(t, v, e);
    int64_t ns;
    if (__builtin_mul_overflow(v->u.i, (int64_t)1000, &ns))
      return orb_err_set(e, ORB_ERR_RANGE, "iceberg value: timestamp %lld us is out of range for nanoseconds",
                         (long long)v->u.i);
    orb_buf_put_u64(out, (uint64_t)ns);
    return ORB_OK;
  }
  case ICE_STRING:
    if (v->type != ORB_T_TEXT) return type_mismatch(t, v, e);
    orb_buf_append(out, v->u.s, v->len);
    return ORB_OK;
  case ICE_UUID:
    if (v->type != ORB_T_UUID) return type_mismatch(t, v, e);
    orb_buf_append(out, v->u.uuid, 16);
    return ORB_OK;
  case ICE_FIXED:
    if (v->type != ORB_T_BYTEA) return type_mismatch(t, v, e);
    if ((int64_t)v->len != t->length)
      return orb_err_set(e, ORB_ERR_RANGE, "iceberg value: %u bytes given for fixed[%d]", (unsigned)v->len,
                         (int)t->length);
    orb_buf_append(out, v->u.s, v->len);
    return ORB_OK;
  case ICE_BINARY:
    if (v->type != ORB_T_BYTEA) return type_mismatch(t, v, e);
    orb_buf_append(out, v->u.s, v->len);
    return ORB_OK;
  case ICE_DECIMAL: {
    __int128 u;
    if (is_int_id(v->type)) {
      if (!decimal_rescale(v->u.i, 0, t->scale, &u)) return type_mismatch(t, v, e);
    } else if (v->type != ORB_T_DECIMAL) {
      return type_mismatch(t, v, e);
    } else if (!decimal_rescale(v->u.dec, v->scale, t->scale, &u)) {
      return orb_err_set(e, ORB_ERR_RANGE, "iceberg value: a decimal of scale %d does not fit scale %d exactly",
                         (int)v->scale, (int)t->scale);
    }
    if (u >= pow10_i128(t->precision) || u <= -pow10_i128(t->precision))
      return orb_err_set(e, ORB_ERR_RANGE, "iceberg value: decimal out of range for decimal(%d, %d)",
                         (int)t->precision, (int)t->scale);
    uint8_t b[16];
    size_t n = decimal_min_bytes(u, b);
    orb_buf_append(out, b, n);
    return ORB_OK;
  }
  case ICE_STRUCT: case ICE_LIST: case ICE_MAP:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg value: a %s has no single-value serialization",
                       t->kind == ICE_STRUCT ? "struct" : t->kind == ICE_LIST ? "list" : "map");
  }
  return orb_err_set(e, ORB_ERR_INTERNAL, "iceberg value: unknown type kind %d", (int)t->kind);
}

/* --- deserialization ------------------------------------------------------ */

static orb_status bad_len(const ice_type *t, size_t len, const char *want, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 256);
  orb_status st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg value: %zu bytes cannot be a %s (expected %s)", len,
                              ice_type_name(&a, t), want);
  orb_arena_free(&a);
  return st;
}

static int32_t load_i32(const uint8_t *p) { return (int32_t)orb_load_u32le(p); }
static int64_t load_i64(const uint8_t *p) { return (int64_t)orb_load_u64le(p); }

orb_status ice_value_deserialize(const ice_type *t, const void *bytes, size_t len, orb_arena *a, orb_value *out,
                                 orb_err *e) {
  const uint8_t *p = bytes;
  switch (t->kind) {
  case ICE_BOOLEAN:
    if (len != 1) return bad_len(t, len, "1", e);
    *out = orb_bool(p[0] != 0);
    return ORB_OK;
  case ICE_INT:
    if (len != 4) return bad_len(t, len, "4", e);
    *out = orb_int(ORB_T_INT32, load_i32(p));
    return ORB_OK;
  case ICE_LONG:   /* 4 bytes: written while the column was an int */
    if (len == 4) *out = orb_int(ORB_T_INT64, load_i32(p));
    else if (len == 8) *out = orb_int(ORB_T_INT64, load_i64(p));
    else return bad_len(t, len, "4 or 8", e);
    return ORB_OK;
  case ICE_FLOAT: {
    if (len != 4) return bad_len(t, len, "4", e);
    uint32_t bits = orb_load_u32le(p);
    float f;
    memcpy(&f, &bits, 4);
    *out = orb_float(ORB_T_FLOAT32, f);
    return ORB_OK;
  }
  case ICE_DOUBLE: {   /* 4 bytes: written while the column was a float */
    if (len == 4) {
      uint32_t bits = orb_load_u32le(p);
      float f;
      memcpy(&f, &bits, 4);
      *out = orb_float(ORB_T_FLOAT64, f);
    } else if (len == 8) {
      uint64_t bits = orb_load_u64le(p);
      double d;
      memcpy(&d, &bits, 8);
      *out = orb_float(ORB_T_FLOAT64, d);
    } else {
      return bad_len(t, len, "4 or 8", e);
    }
    return ORB_OK;
  }
  case ICE_DATE:
    if (len != 4) return bad_len(t, len, "4", e);
    *out = orb_int(ORB_T_DATE, load_i32(p));
    return ORB_OK;
  case ICE_TIME:
    if (len != 8) return bad_len(t, len, "8", e);
    *out = orb_int(ORB_T_TIME, load_i64(p));
    return ORB_OK;
  case ICE_TIMESTAMP: case ICE_TIMESTAMPTZ: case ICE_TIMESTAMP_NS: case ICE_TIMESTAMPTZ_NS: {
    orb_type_id id = (t->kind == ICE_TIMESTAMP || t->kind == ICE_TIMESTAMP_NS) ? ORB_T_TIMESTAMP : ORB_T_TIMESTAMPTZ;
    bool ns = t->kind == ICE_TIMESTAMP_NS || t->kind == ICE_TIMESTAMPTZ_NS;
    /* 4 bytes: a date bound from before a v3 date -> timestamp promotion
    ** (only to the zoneless types, but a reader gains nothing by refusing). */
    if (len == 4) {
      int64_t us;
      if (__builtin_mul_overflow((int64_t)load_i32(p), MICROS_PER_DAY, &us))
        return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg value: date bound %d is out of range for a timestamp",
                           (int)load_i32(p));
      *out = orb_int(id, us);
    } else if (len == 8) {
      int64_t v = load_i64(p);
      /* Nanoseconds floor to microseconds, as the Parquet reader reads them,
      ** so a bound still bounds the values the engine sees. */
      *out = orb_int(id, ns ? floor_div(v, 1000) : v);
    } else {
      return bad_len(t, len, "8", e);
    }
    return ORB_OK;
  }
  case ICE_STRING: {
    if (!valid_utf8(p, len))
      return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg value: a string of %zu bytes that is not valid UTF-8", len);
    if (len > UINT32_MAX) return bad_len(t, len, "fewer than 4 GiB", e);
    char *s = len ? orb_arena_memdup(a, p, len) : (char *)"";
    *out = orb_text(s, len);
    return ORB_OK;
  }
  case ICE_UUID:
    if (len != 16) return bad_len(t, len, "16", e);
    *out = orb_null(ORB_T_UUID);
    out->isnull = 0;
    memcpy(out->u.uuid, p, 16);
    return ORB_OK;
  case ICE_FIXED: case ICE_BINARY: {
    /* A fixed bound may be truncated like a binary one: never longer. */
    if (t->kind == ICE_FIXED && len > (size_t)t->length) {
      char want[32];
      snprintf(want, sizeof want, "at most %d", (int)t->length);
      return bad_len(t, len, want, e);
    }
    if (len > UINT32_MAX) return bad_len(t, len, "fewer than 4 GiB", e);
    void *s = len ? orb_arena_memdup(a, p, len) : (void *)"";
    *out = orb_bytea(s, len);
    return ORB_OK;
  }
  case ICE_DECIMAL: {
    /* Any length a narrower decimal(P', S) could have left; longer input is
    ** accepted only when the extra leading bytes are sign extension. */
    if (len == 0) return bad_len(t, len, "1 to 16", e);
    size_t skip = 0;
    while (len - skip > 16) {
      uint8_t sign = (p[len - 16] & 0x80) ? 0xff : 0x00;
      if (p[skip] != sign) return bad_len(t, len, "1 to 16", e);
      skip++;
    }
    unsigned __int128 u = (p[skip] & 0x80) ? ~(unsigned __int128)0 : 0;
    for (size_t i = skip; i < len; i++) u = (u << 8) | p[i];
    __int128 v = (__int128)u;
    if (v >= pow10_i128(t->precision) || v <= -pow10_i128(t->precision))
      return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg value: %zu bytes hold a value out of range for decimal(%d, %d)",
                         len, (int)t->precision, (int)t->scale);
    *out = orb_decimal(v, t->scale);
    return ORB_OK;
  }
  case ICE_STRUCT: case ICE_LIST: case ICE_MAP:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg value: a %s has no single-value serialization",
                       t->kind == ICE_STRUCT ? "struct" : t->kind == ICE_LIST ? "list" : "map");
  }
  return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg value: unknown type kind %d", (int)t->kind);
}

/* --- hashing -------------------------------------------------------------- */

static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static uint32_t mix_k1(uint32_t k) {
  k *= 0xcc9e2d51u;
  k = rotl32(k, 15);
  return k * 0x1b873593u;
}

uint32_t ice_murmur3_32(const void *data, size_t len) {
  const uint8_t *p = data;
  uint32_t h = 0;   /* seed 0 */
  size_t nblocks = len / 4;
  for (size_t i = 0; i < nblocks; i++) {
    h ^= mix_k1(orb_load_u32le(p + 4 * i));
    h = rotl32(h, 13);
    h = h * 5 + 0xe6546b64u;
  }
  const uint8_t *tail = p + 4 * nblocks;
  uint32_t k = 0;
  switch (len & 3) {
  case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
  case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
  case 1: k ^= tail[0]; h ^= mix_k1(k); break;
  default: break;
  }
  h ^= (uint32_t)len;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static int32_t hash_long(int64_t v) {
  uint8_t b[8];
  orb_store_u64le(b, (uint64_t)v);
  return (int32_t)ice_murmur3_32(b, 8);
}

int32_t ice_bucket_hash(const ice_type *t, const orb_value *v) {
  switch (t->kind) {
  /* Ints hash as longs so that int -> long promotion keeps buckets; the
  ** same for dates (their days) and the micros of times and timestamps
  ** (nanosecond types are already microseconds in the engine, which is
  ** what the spec hashes). */
  case ICE_INT: case ICE_LONG: case ICE_DATE: case ICE_TIME: case ICE_TIMESTAMP: case ICE_TIMESTAMPTZ:
  case ICE_TIMESTAMP_NS: case ICE_TIMESTAMPTZ_NS:
    return hash_long(v->u.i);
  case ICE_BOOLEAN:
    return hash_long(v->u.b ? 1 : 0);
  case ICE_FLOAT: case ICE_DOUBLE: {
    /* Not bucketable, but the spec defines the hash: the double's bits
    ** with -0.0 as 0.0 and one NaN. */
    double d = v->u.f;
    uint64_t bits;
    if (d != d) bits = UINT64_C(0x7ff8000000000000);
    else {
      if (d == 0) d = 0.0;
      memcpy(&bits, &d, 8);
    }
    return hash_long((int64_t)bits);
  }
  case ICE_DECIMAL: {
    uint8_t b[16];
    size_t n = decimal_min_bytes(v->type == ORB_T_DECIMAL ? v->u.dec : (__int128)v->u.i, b);
    return (int32_t)ice_murmur3_32(b, n);
  }
  case ICE_STRING: case ICE_FIXED: case ICE_BINARY:
    return (int32_t)ice_murmur3_32(v->u.s, v->len);
  case ICE_UUID:
    return (int32_t)ice_murmur3_32(v->u.uuid, 16);
  case ICE_STRUCT: case ICE_LIST: case ICE_MAP:
    break;
  }
  return 0;
}
