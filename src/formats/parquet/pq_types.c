/* formats/parquet/pq_types.c — Parquet columns as SQL values (see parquet.h).
**
** The SQL type follows the logical type (or the legacy converted type) as
** LogicalTypes.md defines them: strings, dates, times and timestamps in
** their units (nanoseconds are floored to microseconds, Orbit's
** resolution; INT96 is the legacy Impala timestamp: nanoseconds of the day
** and a Julian day), decimals on INT32, INT64, BYTE_ARRAY and
** FIXED_LEN_BYTE_ARRAY (big-endian two's complement), unsigned integers in
** the next wider type (UINT_64 as DECIMAL(20,0)), UUID, FLOAT16. */
#include "formats/parquet/parquet.h"

#include <math.h>
#include <string.h>

static bool is_decimal(const pq_schema_elem *s) { return s->logical.kind == PQ_LT_DECIMAL || s->converted_type == 5; }
static int dec_precision(const pq_schema_elem *s) {
  return s->logical.kind == PQ_LT_DECIMAL ? s->logical.precision : s->precision;
}
static int dec_scale(const pq_schema_elem *s) { return s->logical.kind == PQ_LT_DECIMAL ? s->logical.scale : s->scale; }

/* The time unit of a TIME/TIMESTAMP column: PQ_UNIT_*, 0 if not one. */
static int time_unit(const pq_schema_elem *s, bool *timestamp, bool *utc) {
  *utc = false;
  if (s->logical.kind == PQ_LT_TIMESTAMP || s->logical.kind == PQ_LT_TIME) {
    *timestamp = s->logical.kind == PQ_LT_TIMESTAMP;
    *utc = s->logical.utc;
    return s->logical.unit;
  }
  switch (s->converted_type) {
  case 7: *timestamp = false; return PQ_UNIT_MILLIS;   /* TIME_MILLIS */
  case 8: *timestamp = false; return PQ_UNIT_MICROS;   /* TIME_MICROS */
  case 9: *timestamp = true; *utc = true; return PQ_UNIT_MILLIS;   /* TIMESTAMP_MILLIS: UTC, as the spec reads it */
  case 10: *timestamp = true; *utc = true; return PQ_UNIT_MICROS;
  default: return 0;
  }
}

orb_status pq_sql_type(const pq_schema_elem *s, orb_type *out, orb_err *e) {
  bool ts, utc;
  int unit = time_unit(s, &ts, &utc);
  orb_type_id id;
  if (is_decimal(s)) {
    int p = dec_precision(s), sc = dec_scale(s);
    if (p < 1 || p > 38 || sc < 0 || sc > p)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: column \"%s\": DECIMAL(%d,%d) is not supported (precision 1 to 38)",
                          s->name, p, sc);
    *out = orb_type_decimal(p, sc);
    return ORB_OK;
  }
  switch (s->type) {
  case PQ_BOOLEAN: id = ORB_T_BOOL; break;
  case PQ_INT32:
    if (s->logical.kind == PQ_LT_DATE || s->converted_type == 6) id = ORB_T_DATE;
    else if (unit) id = ORB_T_TIME;
    else if (s->converted_type == 15 || s->converted_type == 16 || s->converted_type == 11 ||
             (s->logical.kind == PQ_LT_INTEGER && s->logical.bit_width <= 8))
      id = ORB_T_INT16;   /* INT_8, INT_16, UINT_8 */
    else if (s->converted_type == 13 || (s->logical.kind == PQ_LT_INTEGER && !s->logical.is_signed && s->logical.bit_width == 32))
      id = ORB_T_INT64;   /* UINT_32 */
    else if (s->converted_type == 12 || (s->logical.kind == PQ_LT_INTEGER && s->logical.bit_width == 16))
      id = s->converted_type == 12 || !s->logical.is_signed ? ORB_T_INT32 : ORB_T_INT16;   /* UINT_16 / INT_16 */
    else id = ORB_T_INT32;
    break;
  case PQ_INT64:
    if (unit) id = ts ? (utc ? ORB_T_TIMESTAMPTZ : ORB_T_TIMESTAMP) : ORB_T_TIME;
    else if (s->converted_type == 14 || (s->logical.kind == PQ_LT_INTEGER && !s->logical.is_signed)) {
      *out = orb_type_decimal(20, 0);   /* UINT_64 */
      return ORB_OK;
    } else id = ORB_T_INT64;
    break;
  case PQ_INT96: id = ORB_T_TIMESTAMP; break;
  case PQ_FLOAT: id = ORB_T_FLOAT32; break;
  case PQ_DOUBLE: id = ORB_T_FLOAT64; break;
  case PQ_BYTE_ARRAY:
    id = s->converted_type == 0 || s->converted_type == 4 || s->converted_type == 19 || s->logical.kind == PQ_LT_STRING ||
                 s->logical.kind == PQ_LT_ENUM || s->logical.kind == PQ_LT_JSON
             ? ORB_T_TEXT
             : ORB_T_BYTEA;
    break;
  case PQ_FIXED_LEN_BYTE_ARRAY:
    if (s->logical.kind == PQ_LT_UUID && s->type_length == 16) id = ORB_T_UUID;
    else if (s->logical.kind == PQ_LT_FLOAT16 && s->type_length == 2) id = ORB_T_FLOAT32;
    else id = ORB_T_BYTEA;
    break;
  default:
    return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: column \"%s\" has no valid physical type", s->name);
  }
  *out = orb_type_make(id);
  return ORB_OK;
}

orb_status pq_field_sql_type(const pq_shape *f, orb_type *out, orb_err *e) {
  if (f->kind == PQ_SHAPE_VALUE) return pq_sql_type(f->elem, out, e);
  if (f->kind == PQ_SHAPE_LIST && f->nchildren == 1 && f->children[0].kind == PQ_SHAPE_VALUE) {
    orb_type et;   /* a list of a primitive is an array of its SQL type */
    orb_status st = pq_sql_type(f->children[0].elem, &et, e);
    if (st != ORB_OK) return st;
    *out = orb_type_array_of(et);
    return ORB_OK;
  }
  *out = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status out_of_range(const pq_schema_elem *s, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "parquet: column \"%s\": timestamp out of range", s->name);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static __int128 big_endian_int(const uint8_t *p, size_t n) {
  __int128 v = n && (p[0] & 0x80) ? -1 : 0;   /* sign-extend */
  for (size_t i = 0; i < n; i++) v = (__int128)((unsigned __int128)v << 8) | p[i];
  return v;
}

static double half_to_double(uint16_t h) {
  int exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  double v = exp == 0 ? ldexp(man, -24) : exp == 31 ? (man ? NAN : INFINITY) : ldexp(man + 1024, exp - 25);
  return h & 0x8000 ? -v : v;
}

orb_status pq_value_at(const pq_schema_elem *s, const pq_column *c, int64_t row, orb_type t, orb_value *out, orb_err *e) {
  if (row < 0 || row >= c->n) return orb_err_set(e, ORB_ERR_MISUSE, "parquet: row %lld out of range", (long long)row);
  if (c->nulls[row]) {
    *out = orb_null((orb_type_id)t.id);
    return ORB_OK;
  }
  const uint8_t *slot = (const uint8_t *)c->values + (size_t)row * pq_value_size(c->type);
  int64_t i = 0;
  if (c->type == PQ_INT32) {
    int32_t v;
    memcpy(&v, slot, 4);
    i = v;
  } else if (c->type == PQ_INT64) {
    memcpy(&i, slot, 8);
  }
  bool ts, utc;
  int unit = time_unit(s, &ts, &utc);
  switch ((orb_type_id)t.id) {
  case ORB_T_BOOL: *out = orb_bool(*slot != 0); return ORB_OK;
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
    /* unsigned 8/16/32-bit values arrive as INT32 bits */
    if (c->type == PQ_INT32 && (s->converted_type == 11 || s->converted_type == 12 || s->converted_type == 13 ||
                                (s->logical.kind == PQ_LT_INTEGER && !s->logical.is_signed)))
      i = (int64_t)(uint32_t)i;
    *out = orb_int((orb_type_id)t.id, i);
    return ORB_OK;
  case ORB_T_FLOAT32:
    if (c->type == PQ_FIXED_LEN_BYTE_ARRAY) {   /* FLOAT16, little-endian */
      const pq_bytes *b = (const pq_bytes *)(const void *)slot;
      *out = orb_float(ORB_T_FLOAT32, half_to_double((uint16_t)(b->data[0] | b->data[1] << 8)));
    } else {
      float f;
      memcpy(&f, slot, 4);
      *out = orb_float(ORB_T_FLOAT32, f);
    }
    return ORB_OK;
  case ORB_T_FLOAT64: {
    double d;
    memcpy(&d, slot, 8);
    *out = orb_float(ORB_T_FLOAT64, d);
    return ORB_OK;
  }
  case ORB_T_DATE: *out = orb_int(ORB_T_DATE, i); return ORB_OK;
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
    if (c->type == PQ_INT96) {   /* nanoseconds of the day, then the Julian day, little-endian */
      int64_t nanos;
      int32_t julian;
      memcpy(&nanos, slot, 8);
      memcpy(&julian, slot + 8, 4);
      /* in 64-bit arithmetic modulo 2^64: Spark writes microsecond timestamps
      ** beyond the range of 64-bit nanoseconds with wrapped-around days and
      ** nanoseconds, and wrapping back gives the time it meant
      ** (parquet-testing's int96_from_spark.md) */
      i = (int64_t)((uint64_t)((int64_t)julian - 2440588) * 86400000000ULL + (uint64_t)floor_div(nanos, 1000));
    } else if (unit == PQ_UNIT_MILLIS) {
      if (__builtin_mul_overflow(i, 1000, &i)) return out_of_range(s, e);
    } else if (unit == PQ_UNIT_NANOS) {
      i = floor_div(i, 1000);
    }
    *out = orb_int((orb_type_id)t.id, i);
    return ORB_OK;
  case ORB_T_DECIMAL: {
    __int128 v;
    if (c->type == PQ_INT32 || c->type == PQ_INT64) v = i;
    else {
      const pq_bytes *b = (const pq_bytes *)(const void *)slot;
      if (b->len > 16) return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "parquet: column \"%s\": decimal wider than 16 bytes", s->name);
      v = big_endian_int(b->data, b->len);
    }
    if (t.scale == 0 && t.precision == 20 && c->type == PQ_INT64) v = (__int128)(uint64_t)i;   /* UINT_64 */
    *out = orb_decimal(v, t.scale);
    return ORB_OK;
  }
  case ORB_T_UUID: {
    const pq_bytes *b = (const pq_bytes *)(const void *)slot;
    orb_value v;
    memset(&v, 0, sizeof v);
    v.type = ORB_T_UUID;
    memcpy(v.u.uuid, b->data, 16);
    *out = v;
    return ORB_OK;
  }
  case ORB_T_TEXT:
  case ORB_T_BYTEA: {
    const pq_bytes *b = (const pq_bytes *)(const void *)slot;
    *out = t.id == ORB_T_TEXT ? orb_text((const char *)b->data, b->len) : orb_bytea(b->data, b->len);
    return ORB_OK;
  }
  default:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "parquet: column \"%s\": no SQL value for this type", s->name);
  }
}

/* How a range converts: copy the physical value as it is into the value's
** integer, float or string, or go through pq_value_at (pq_direct_kind). */
typedef pq_direct_kind range_kind;
#define AS_INT32 PQ_DIRECT_INT32
#define AS_INT64 PQ_DIRECT_INT64
#define AS_FLOAT PQ_DIRECT_FLOAT
#define AS_DOUBLE PQ_DIRECT_DOUBLE
#define AS_BYTES PQ_DIRECT_BYTES
#define BY_VALUE PQ_DIRECT_NONE

static range_kind range_kind_of(const pq_schema_elem *s, int phys, orb_type t) {
  bool ts, utc;
  int unit = time_unit(s, &ts, &utc);
  switch ((orb_type_id)t.id) {
  case ORB_T_INT16:
  case ORB_T_INT32:   /* signed, or unsigned narrower than 32 bits: the INT32 bits are the value */
  case ORB_T_DATE: return phys == PQ_INT32 ? AS_INT32 : BY_VALUE;
  case ORB_T_INT64: return phys == PQ_INT64 ? AS_INT64 : BY_VALUE;
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
  case ORB_T_TIME: return phys == PQ_INT64 && unit == PQ_UNIT_MICROS ? AS_INT64 : BY_VALUE;
  case ORB_T_FLOAT32: return phys == PQ_FLOAT ? AS_FLOAT : BY_VALUE;
  case ORB_T_FLOAT64: return phys == PQ_DOUBLE ? AS_DOUBLE : BY_VALUE;
  case ORB_T_TEXT:
  case ORB_T_BYTEA: return phys == PQ_BYTE_ARRAY ? AS_BYTES : BY_VALUE;
  default: return BY_VALUE;
  }
}

/* The loop of one range kind, with the NULL test only for a column that
** has NULLs: the switch on the kind is taken once per call, not per value.
** Each value is stored field by field: building an orb_value and then
** copying it goes through the stack, a store and a wider load that the CPU
** cannot forward (a stall per value). */
#define RANGE_PUT(FIELD, VAL, LEN)                                        \
  do {                                                                    \
    out->type = (uint8_t)id, out->isnull = 0, out->scale = 0, out->pad_ = 0; \
    out->len = (uint32_t)(LEN);                                           \
    out->u.dec = 0;                                                       \
    out->u.FIELD = (VAL);                                                 \
  } while (0)
#define RANGE_LOOP(FIELD, VAL, LEN)                                       \
  do {                                                                    \
    for (int64_t i = 0; i < n; i++, out += stride)                        \
      if (has_nulls && nulls[i]) *out = orb_null(id);                      \
      else RANGE_PUT(FIELD, VAL, LEN);                                    \
  } while (0)

pq_direct_kind pq_values_direct(const pq_schema_elem *s, const pq_column *c, orb_type t) {
  return range_kind_of(s, c->type, t);
}

bool pq_values_vec(const pq_schema_elem *s, const pq_column *c, int64_t from, orb_type t, orb_vec *out) {
  pq_direct_kind k = pq_values_direct(s, c, t);
  if (k == PQ_DIRECT_NONE) return false;
  static const orb_vec_kind kinds[] = {[PQ_DIRECT_INT32] = ORB_VEC_I32, [PQ_DIRECT_INT64] = ORB_VEC_I64,
                                       [PQ_DIRECT_FLOAT] = ORB_VEC_F32, [PQ_DIRECT_DOUBLE] = ORB_VEC_F64,
                                       [PQ_DIRECT_BYTES] = ORB_VEC_BYTES};
  static const size_t widths[] = {[PQ_DIRECT_INT32] = 4, [PQ_DIRECT_INT64] = 8, [PQ_DIRECT_FLOAT] = 4, [PQ_DIRECT_DOUBLE] = 8,
                                  [PQ_DIRECT_BYTES] = sizeof(pq_bytes)};
  out->type = t;
  out->kind = kinds[k];
  out->data = (const char *)c->values + (size_t)from * widths[k];
  out->nulls = c->nnull ? c->nulls + from : NULL;
  return true;
}

orb_status pq_values_at(const pq_schema_elem *s, const pq_column *c, int64_t from, int64_t n, orb_type t, orb_value *out,
                        size_t stride, orb_err *e) {
  if (from < 0 || n < 0 || from + n > c->n)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: rows %lld..%lld out of range", (long long)from, (long long)(from + n));
  range_kind k = range_kind_of(s, c->type, t);
  orb_type_id id = (orb_type_id)t.id;
  const uint8_t *nulls = c->nulls + from;
  const bool has_nulls = c->nnull != 0;   /* in locals: the byte stores into out may alias *c */
  const void *vals = c->values;
  switch (k) {
  case AS_INT32: RANGE_LOOP(i, ((const int32_t *)vals)[from + i], 0); return ORB_OK;
  case AS_INT64: RANGE_LOOP(i, ((const int64_t *)vals)[from + i], 0); return ORB_OK;
  case AS_FLOAT: RANGE_LOOP(f, ((const float *)vals)[from + i], 0); return ORB_OK;
  case AS_DOUBLE: RANGE_LOOP(f, ((const double *)vals)[from + i], 0); return ORB_OK;
  case AS_BYTES: {   /* the values point at the column's bytes: no copy */
    const pq_bytes *v = (const pq_bytes *)c->values + from;
    id = id == ORB_T_TEXT ? ORB_T_TEXT : ORB_T_BYTEA;
    RANGE_LOOP(s, (const char *)v[i].data, v[i].len);
    return ORB_OK;
  }
  case BY_VALUE:
    break;
  }
  for (int64_t i = 0; i < n; i++, out += stride) {
    if (nulls[i]) {
      *out = orb_null(id);
      continue;
    }
    orb_status st = pq_value_at(s, c, from + i, t, out, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}
#undef RANGE_LOOP
#undef RANGE_PUT

orb_status pq_plain_value(const pq_schema_elem *s, pq_bytes b, orb_type t, orb_value *out, orb_err *e) {
  size_t want = s->type == PQ_BYTE_ARRAY               ? b.len
                : s->type == PQ_FIXED_LEN_BYTE_ARRAY ? (size_t)s->type_length
                                                     : pq_value_size(s->type);
  if (b.len != want || !b.data)
    return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: column \"%s\": a %s value of %zu bytes", s->name,
                        pq_type_name(s->type), b.len);
  /* a one-row column whose slot holds the value as the decoders leave it */
  uint8_t null = 0;
  union { uint8_t raw[16]; pq_bytes bytes; } slot;
  if (s->type == PQ_BYTE_ARRAY || s->type == PQ_FIXED_LEN_BYTE_ARRAY) slot.bytes = b;
  else memcpy(slot.raw, b.data, b.len);
  pq_column c = {.type = s->type, .type_length = s->type_length, .n = 1, .cap = 1, .nulls = &null, .values = &slot};
  return pq_value_at(s, &c, 0, t, out, e);
}

/* The smallest FIXED_LEN_BYTE_ARRAY holding `precision` decimal digits in
** two's complement (LogicalTypes.md: n bytes hold floor(log10(2^(8n-1) - 1)) digits). */
static int32_t decimal_bytes(int precision) {
  int32_t n = 1;
  while (n < 16 && (double)precision > floor(log10(ldexp(1.0, 8 * n - 1) - 1))) n++;
  return n;
}

orb_status pq_schema_for_sql(const char *name, orb_type t, bool nullable, int32_t field_id, pq_schema_elem *s,
                             orb_err *e) {
  memset(s, 0, sizeof *s);
  s->name = name;
  s->repetition = nullable ? PQ_OPTIONAL : PQ_REQUIRED;
  s->num_children = -1;
  s->converted_type = -1;
  s->has_field_id = true;
  s->field_id = field_id;
  pq_logical *lt = &s->logical;
  /* ConvertedType numbers as parquet.thrift gives them */
  switch ((orb_type_id)t.id) {
  case ORB_T_BOOL: s->type = PQ_BOOLEAN; break;
  case ORB_T_INT16:
    s->type = PQ_INT32;
    s->converted_type = 16;   /* INT_16 */
    lt->kind = PQ_LT_INTEGER;
    lt->bit_width = 16;
    lt->is_signed = true;
    break;
  case ORB_T_INT32: s->type = PQ_INT32; break;
  case ORB_T_INT64: s->type = PQ_INT64; break;
  case ORB_T_FLOAT32: s->type = PQ_FLOAT; break;
  case ORB_T_FLOAT64: s->type = PQ_DOUBLE; break;
  case ORB_T_DECIMAL:
    if (t.precision < 1 || t.precision > ORB_DECIMAL_MAX_PRECISION || t.scale > t.precision)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: column \"%s\": DECIMAL(%d,%d) cannot be written",
                          name, t.precision, t.scale);
    s->type = t.precision <= 9 ? PQ_INT32 : t.precision <= 18 ? PQ_INT64 : PQ_FIXED_LEN_BYTE_ARRAY;
    if (s->type == PQ_FIXED_LEN_BYTE_ARRAY) s->type_length = decimal_bytes(t.precision);
    s->converted_type = 5;    /* DECIMAL */
    s->precision = lt->precision = t.precision;
    s->scale = lt->scale = t.scale;
    lt->kind = PQ_LT_DECIMAL;
    break;
  case ORB_T_TEXT:
    s->type = PQ_BYTE_ARRAY;
    s->converted_type = 0;    /* UTF8 */
    lt->kind = PQ_LT_STRING;
    break;
  case ORB_T_BYTEA: s->type = PQ_BYTE_ARRAY; break;
  case ORB_T_JSON:
  case ORB_T_JSONB:
    /* the document's text, marked as JSON (LogicalTypes.md); read back it is text */
    s->type = PQ_BYTE_ARRAY;
    s->converted_type = 19;   /* JSON */
    lt->kind = PQ_LT_JSON;
    break;
  case ORB_T_DATE:
    s->type = PQ_INT32;
    s->converted_type = 6;    /* DATE */
    lt->kind = PQ_LT_DATE;
    break;
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
    /* microseconds, Orbit's resolution; LogicalTypes.md has writers give
    ** local timestamps the legacy TIMESTAMP_MICROS annotation too */
    s->type = PQ_INT64;
    lt->kind = t.id == ORB_T_TIME ? PQ_LT_TIME : PQ_LT_TIMESTAMP;
    lt->unit = PQ_UNIT_MICROS;
    lt->utc = t.id == ORB_T_TIMESTAMPTZ;
    s->converted_type = t.id == ORB_T_TIME ? 8 : 10;   /* TIME_MICROS, TIMESTAMP_MICROS */
    break;
  case ORB_T_UUID:
    s->type = PQ_FIXED_LEN_BYTE_ARRAY;
    s->type_length = 16;
    lt->kind = PQ_LT_UUID;
    break;
  default:
    /* INTERVAL: Parquet's INTERVAL counts milliseconds, so microseconds would be lost */
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                        "parquet: column \"%s\": type %s cannot be written to Parquet (no lossless Parquet type)", name,
                        t.id == ORB_T_INTERVAL ? "interval" : "unknown");
  }
  return ORB_OK;
}

/* Unsigned integers by their logical or converted type (UINT_8..UINT_64). */
static bool is_unsigned(const pq_schema_elem *s) {
  return (s->logical.kind == PQ_LT_INTEGER && !s->logical.is_signed) || (s->converted_type >= 11 && s->converted_type <= 14);
}

int pq_plain_cmp(const pq_schema_elem *s, pq_bytes a, pq_bytes b) {
  switch (s->type) {
  case PQ_BOOLEAN:
  case PQ_INT32:
  case PQ_INT64:
  case PQ_FLOAT:
  case PQ_DOUBLE: {
    size_t w = s->type == PQ_BOOLEAN ? 1 : s->type == PQ_INT64 || s->type == PQ_DOUBLE ? 8 : 4;
    if (a.len < w || b.len < w) return a.len < b.len ? -1 : a.len > b.len;
    if (s->type == PQ_FLOAT || s->type == PQ_DOUBLE) {
      double x, y;
      if (s->type == PQ_FLOAT) {
        float f, g;
        memcpy(&f, a.data, 4);
        memcpy(&g, b.data, 4);
        x = f, y = g;
      } else {
        memcpy(&x, a.data, 8);
        memcpy(&y, b.data, 8);
      }
      return x < y ? -1 : x > y;
    }
    uint64_t x = w == 1 ? a.data[0] : w == 4 ? orb_load_u32le(a.data) : orb_load_u64le(a.data);
    uint64_t y = w == 1 ? b.data[0] : w == 4 ? orb_load_u32le(b.data) : orb_load_u64le(b.data);
    if (is_unsigned(s) || w == 1) return x < y ? -1 : x > y;
    int64_t sx = w == 4 ? (int32_t)(uint32_t)x : (int64_t)x, sy = w == 4 ? (int32_t)(uint32_t)y : (int64_t)y;
    return sx < sy ? -1 : sx > sy;
  }
  default:
    if (is_decimal(s)) {   /* big-endian two's complement, possibly of different lengths */
      if (a.len <= 16 && b.len <= 16) {
        __int128 x = big_endian_int(a.data, a.len), y = big_endian_int(b.data, b.len);
        return x < y ? -1 : x > y;
      }
    }
    {
      size_t n = a.len < b.len ? a.len : b.len;
      int r = n ? memcmp(a.data, b.data, n) : 0;
      if (r) return r < 0 ? -1 : 1;
      return a.len < b.len ? -1 : a.len > b.len;
    }
  }
}
