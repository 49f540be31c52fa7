/* storage/rowcodec.c — rows encoded by field id (see rowcodec.h). */
#include "storage/rowcodec.h"

#include <string.h>

#include "types/array.h"

/* Most bytes one value encodes to besides a string's bytes: the tag and an
** interval's three varints (a string: its length varint). */
#define VALUE_MAX_FIXED (1 + 3 * 10)

static size_t value_bound(const orb_value *v) {
  if (!v->isnull && v->type == ORB_T_ARRAY) {
    /* tag, element type, lower bound, count, then each element */
    size_t n = 1 + 1 + 10 + 10;
    for (uint32_t k = 0; k < v->u.arr->n; k++) {
      const orb_value *x = &v->u.arr->items[k];
      n += VALUE_MAX_FIXED + (!x->isnull && orb_type_is_bytes((orb_type_id)x->type) ? x->len : 0);
    }
    return n;
  }
  return VALUE_MAX_FIXED + (!v->isnull && orb_type_is_bytes((orb_type_id)v->type) ? v->len : 0);
}

static uint8_t *put_value(uint8_t *d, const orb_value *v);

/* An array: its element type, lower bound, count and elements (each a
** tagged value, 0 for a NULL element). */
static uint8_t *put_array(uint8_t *d, const orb_value *v) {
  const orb_array *x = v->u.arr;
  *d++ = v->scale;
  d += orb_varint_encode(d, orb_zigzag(x->lower));
  d += orb_varint_encode(d, x->n);
  for (uint32_t k = 0; k < x->n; k++) d = put_value(d, &x->items[k]);
  return d;
}

/* Encode v at d, which has room for value_bound(v) bytes; returns the end.
** Rows are written a value at a time into room reserved once, as logging
** every inserted row passes here. */
static inline __attribute__((always_inline)) uint8_t *put_scalar(uint8_t *d, const orb_value *v) {
  if (v->isnull) {
    *d++ = 0;
    return d;
  }
  *d++ = v->type;
  switch (v->type) {
  case ORB_T_BOOL:
    *d++ = v->u.b ? 1 : 0;
    break;
  case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64:
  case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP: case ORB_T_TIMESTAMPTZ:
    d += orb_varint_encode(d, orb_zigzag(v->u.i));
    break;
  case ORB_T_FLOAT32: case ORB_T_FLOAT64: {
    uint64_t bits;
    memcpy(&bits, &v->u.f, 8);
    orb_store_u64le(d, bits);
    d += 8;
    break;
  }
  case ORB_T_DECIMAL: {
    unsigned __int128 u = (unsigned __int128)v->u.dec;
    *d++ = v->scale;
    orb_store_u64le(d, (uint64_t)u);
    orb_store_u64le(d + 8, (uint64_t)(u >> 64));
    d += 16;
    break;
  }
  case ORB_T_TEXT: case ORB_T_BYTEA: case ORB_T_JSON: case ORB_T_JSONB:
    d += orb_varint_encode(d, v->len);
    if (v->len) memcpy(d, v->u.s, v->len);
    d += v->len;
    break;
  case ORB_T_UUID:
    memcpy(d, v->u.uuid, 16);
    d += 16;
    break;
  case ORB_T_INTERVAL:
    d += orb_varint_encode(d, orb_zigzag(v->u.iv.months));
    d += orb_varint_encode(d, orb_zigzag(v->u.iv.days));
    d += orb_varint_encode(d, orb_zigzag(v->u.iv.micros));
    break;
  case ORB_T_ARRAY:
    d = put_array(d, v);
    break;
  default:
    break;   /* ORB_T_NULL carries nothing */
  }
  return d;
}

static uint8_t *put_value(uint8_t *d, const orb_value *v) { return put_scalar(d, v); }

/* Reserve `bound` bytes, write them with `d`, and account what was written. */
static inline uint8_t *room(orb_buf *b, size_t bound) {
  orb_buf_reserve(b, bound);
  return (uint8_t *)b->data + b->len;
}
static inline void used(orb_buf *b, const uint8_t *end) {
  b->len = (size_t)(end - (const uint8_t *)b->data);
  b->data[b->len] = '\0';
}

void rowcodec_put_value(orb_buf *b, const orb_value *v) { used(b, put_scalar(room(b, value_bound(v)), v)); }

static bool same_family(uint8_t a, uint8_t b);

static bool get_array(orb_rd *r, orb_value *v, orb_arena *a) {
  uint8_t elem = orb_rd_u8(r);
  int64_t lower = orb_rd_svarint(r);
  uint64_t n = orb_rd_varint(r);
  /* every element takes a byte at least: a count beyond the input is corrupt */
  if (r->err || !a || elem == ORB_T_NULL || elem >= ORB_T__COUNT || elem == ORB_T_ARRAY || elem == ORB_T_RECORD ||
      lower < INT32_MIN || lower > INT32_MAX || n > orb_rd_left(r))
    return false;
  orb_value *items = orb_arena_alloc(a, sizeof(orb_value) * (n ? n : 1));
  for (uint64_t k = 0; k < n; k++) {
    orb_value x;
    if (!rowcodec_get_value(r, &x, NULL)) return false;
    if (x.isnull) x = orb_null((orb_type_id)elem);
    else if (!same_family(x.type, elem)) return false;
    x.type = elem;   /* integers and floats of any width read as the element type */
    items[k] = x;
  }
  *v = orb_array_make(a, (orb_type_id)elem, items, (uint32_t)n);
  ((orb_array *)v->u.arr)->lower = (int32_t)lower;
  return true;
}

bool rowcodec_get_value(orb_rd *r, orb_value *v, orb_arena *a) {
  uint8_t tag = orb_rd_u8(r);
  if (r->err) return false;
  if (tag == 0) {
    *v = orb_null(ORB_T_NULL);
    return true;
  }
  if (tag >= ORB_T__COUNT) return false;
  *v = orb_null((orb_type_id)tag);
  v->isnull = 0;
  switch (tag) {
  case ORB_T_BOOL:
    v->u.b = orb_rd_u8(r) != 0;
    break;
  case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64:
  case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP: case ORB_T_TIMESTAMPTZ:
    v->u.i = orb_rd_svarint(r);
    break;
  case ORB_T_FLOAT32: case ORB_T_FLOAT64: {
    uint64_t bits = orb_rd_u64(r);
    memcpy(&v->u.f, &bits, 8);
    break;
  }
  case ORB_T_DECIMAL: {
    v->scale = orb_rd_u8(r);
    uint64_t lo = orb_rd_u64(r), hi = orb_rd_u64(r);
    v->u.dec = (__int128)(((unsigned __int128)hi << 64) | lo);
    if (v->scale > ORB_DECIMAL_MAX_PRECISION) return false;
    break;
  }
  case ORB_T_TEXT: case ORB_T_BYTEA: case ORB_T_JSON: case ORB_T_JSONB: {
    size_t n = 0;
    const uint8_t *p = orb_rd_bytes(r, &n);
    if (r->err || n > UINT32_MAX) return false;
    v->u.s = (const char *)p;
    v->len = (uint32_t)n;
    break;
  }
  case ORB_T_UUID: {
    const uint8_t *p = orb_rd_raw(r, 16);
    if (p) memcpy(v->u.uuid, p, 16);
    break;
  }
  case ORB_T_INTERVAL:
    v->u.iv.months = (int32_t)orb_rd_svarint(r);
    v->u.iv.days = (int32_t)orb_rd_svarint(r);
    v->u.iv.micros = orb_rd_svarint(r);
    break;
  case ORB_T_ARRAY:
    if (!get_array(r, v, a)) return false;
    break;
  default:
    return false;
  }
  return !r->err;
}

void rowcodec_put(orb_buf *b, const orb_schema *schema, const orb_value *row, const bool *only) {
  int n = 0;
  size_t bound = 10;
  for (int i = 0; i < schema->ncols; i++)
    if (!only || only[i]) {
      n++;
      bound += 10 + value_bound(&row[i]);
    }
  uint8_t *d = room(b, bound);
  d += orb_varint_encode(d, (uint64_t)n);
  for (int i = 0; i < schema->ncols; i++) {
    if (only && !only[i]) continue;
    uint64_t fid = (uint64_t)schema->cols[i].field_id;
    if (fid < 0x80) *d++ = (uint8_t)fid;   /* the usual one-byte field id */
    else d += orb_varint_encode(d, fid);
    d = put_scalar(d, &row[i]);
  }
  used(b, d);
}

/* Integer-like types share one representation; a record may have been
** written with a narrower declared type only if the schema said so, so the
** families below are accepted as the column's own type. */
static bool same_family(uint8_t a, uint8_t b) {
  if (a == b) return true;
  if (orb_type_is_integer((orb_type_id)a) && orb_type_is_integer((orb_type_id)b)) return true;
  if (orb_type_is_float((orb_type_id)a) && orb_type_is_float((orb_type_id)b)) return true;
  return false;
}

orb_status rowcodec_get(orb_rd *r, const orb_schema *schema, orb_value *out, orb_arena *a, orb_err *e) {
  for (int i = 0; i < schema->ncols; i++) out[i] = orb_null((orb_type_id)schema->cols[i].type.id);
  uint64_t n = orb_rd_varint(r);
  if (r->err || n > orb_rd_left(r))
    return orb_err_set(e, ORB_ERR_CORRUPT, "row record is truncated");
  int last = 0;
  for (uint64_t k = 0; k < n; k++) {
    uint64_t fid = orb_rd_varint(r);
    orb_value v;
    if (!rowcodec_get_value(r, &v, a)) return orb_err_set(e, ORB_ERR_CORRUPT, "row record has a malformed value");
    /* fields are written in schema order: try the next position first */
    int pos = -1;
    if (last < schema->ncols && (uint64_t)schema->cols[last].field_id == fid) pos = last;
    else if (fid <= INT32_MAX) pos = orb_schema_find_id(schema, (int32_t)fid);
    if (pos < 0) continue;   /* a column dropped since the record was written */
    last = pos + 1;
    uint8_t ct = schema->cols[pos].type.id;
    if (v.isnull) continue;
    if (!same_family(v.type, ct))
      return orb_err_set(e, ORB_ERR_CORRUPT, "row record holds a value of type %d for column \"%s\" of type %d",
                         v.type, schema->cols[pos].name, ct);
    v.type = ct;
    out[pos] = v;
  }
  return ORB_OK;
}
