/* types/value_cmp.c — ordering, hashing and copying of values. */
#include <math.h>
#include <string.h>

#include "base/hash.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/array.h"
#include "types/json.h"
#include "types/value.h"

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

/* PostgreSQL's float order: NaN above everything and equal to itself. */
static int cmp_f64(double a, double b) {
  if (isnan(a)) return isnan(b) ? 0 : 1;
  if (isnan(b)) return -1;
  return a < b ? -1 : a > b;
}

int orb_value_cmp(const orb_value *a, const orb_value *b) {
  switch ((orb_type_id)a->type) {
  case ORB_T_BOOL: return (int)a->u.b - (int)b->u.b;
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
  case ORB_T_DATE:
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
    if (b->type == ORB_T_FLOAT64 || b->type == ORB_T_FLOAT32) return cmp_f64((double)a->u.i, b->u.f);
    if (b->type == ORB_T_DECIMAL) return orb_decimal_cmp(a->u.i, 0, b->u.dec, b->scale);
    return cmp_i64(a->u.i, b->u.i);
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64:
    if (orb_type_is_integer((orb_type_id)b->type)) return cmp_f64(a->u.f, (double)b->u.i);
    if (b->type == ORB_T_DECIMAL) return cmp_f64(a->u.f, orb_decimal_to_double(b->u.dec, b->scale));
    return cmp_f64(a->u.f, b->u.f);
  case ORB_T_DECIMAL:
    if (orb_type_is_integer((orb_type_id)b->type)) return orb_decimal_cmp(a->u.dec, a->scale, b->u.i, 0);
    if (orb_type_is_float((orb_type_id)b->type)) return cmp_f64(orb_decimal_to_double(a->u.dec, a->scale), b->u.f);
    return orb_decimal_cmp(a->u.dec, a->scale, b->u.dec, b->scale);
  case ORB_T_NULL:
  case ORB_T_TEXT:
  case ORB_T_BYTEA: {
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
  }
  case ORB_T_UUID: {
    int c = memcmp(a->u.uuid, b->u.uuid, 16);
    return c < 0 ? -1 : c > 0;
  }
  case ORB_T_INTERVAL: {
    __int128 ka = orb_interval_key(&a->u.iv), kb = orb_interval_key(&b->u.iv);
    return ka < kb ? -1 : ka > kb;
  }
  case ORB_T_ARRAY:
  case ORB_T_RECORD: return orb_array_cmp(a, b);   /* records compare field by field, as arrays do */
  case ORB_T_VOID: return 0;
  case ORB_T_JSONB: return orb_jsonb_cmp(a, b);
  case ORB_T_JSON: {   /* json has no order in SQL; internally its text's */
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
  }
  case ORB_T__COUNT: break;
  }
  return 0;
}

uint64_t orb_value_hash(const orb_value *v) {
  if (v->isnull) return 0x9e3779b97f4a7c15ULL;
  switch ((orb_type_id)v->type) {
  case ORB_T_BOOL: return orb_hash_u64(v->u.b);
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
  case ORB_T_DATE:
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ: return orb_hash_u64((uint64_t)v->u.i);
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64: {
    double d = v->u.f;
    if (d == 0) d = 0;          /* -0.0 hashes as 0.0 */
    if (isnan(d)) d = NAN;      /* every NaN alike */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return orb_hash_u64(bits);
  }
  case ORB_T_DECIMAL: {
    __int128 x = v->u.dec;
    int s = v->scale;
    orb_decimal_normalize(&x, &s);
    uint64_t parts[3] = {(uint64_t)x, (uint64_t)((unsigned __int128)x >> 64), (uint64_t)s};
    return orb_hash_bytes(parts, sizeof parts, 17);
  }
  case ORB_T_NULL:
  case ORB_T_TEXT:
  case ORB_T_BYTEA: return orb_hash_bytes(v->u.s, v->len, 0);
  case ORB_T_UUID: return orb_hash_bytes(v->u.uuid, 16, 5);
  case ORB_T_INTERVAL: {
    __int128 k = orb_interval_key(&v->u.iv);
    uint64_t parts[2] = {(uint64_t)k, (uint64_t)((unsigned __int128)k >> 64)};
    return orb_hash_bytes(parts, sizeof parts, 23);
  }
  case ORB_T_ARRAY:
  case ORB_T_RECORD: return orb_array_hash(v);
  case ORB_T_VOID: return 0;
  case ORB_T_JSONB: return orb_jsonb_hash(v);
  case ORB_T_JSON: return orb_hash_bytes(v->u.s, v->len, 0);
  case ORB_T__COUNT: break;
  }
  return 0;
}

orb_value orb_value_copy(const orb_value *v, orb_arena *a) {
  if (v->type == ORB_T_ARRAY || v->type == ORB_T_RECORD) return orb_array_copy(v, a);
  orb_value c = *v;
  if (!v->isnull && (v->type == ORB_T_TEXT || v->type == ORB_T_BYTEA || orb_type_is_json((orb_type_id)v->type)) && v->len) {
    char *s = orb_arena_alloc(a, v->len);
    memcpy(s, v->u.s, v->len);
    c.u.s = s;
  }
  return c;
}
