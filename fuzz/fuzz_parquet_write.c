/* fuzz/fuzz_parquet_write.c — libFuzzer target for the Parquet writer as a
** round trip: the input chooses the options (codec, dictionary and its
** limit, page version, tiny pages and row groups, CRC), one column's type
** and nullability, and its values; the file written must read back through
** pq_read_flat_column and pq_value_at to the same values (floats by their
** bits, NaN as NaN), or the target aborts.  Small pages and row groups make
** page cuts, dictionary fallbacks and all-NULL pages frequent, and a small
** dictionary probe makes dropped dictionaries frequent.  Type choices 14
** and 15 make the column an array of the type the next byte chooses, each
** row NULL, empty or up to 7 elements (NULL ones too): written as a LIST,
** read back through pq_read_nested and pq_nested_value. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "formats/parquet/parquet.h"
#include "types/array.h"
#include "types/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

static uint64_t take(input *in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes && in->n; i++, in->p++, in->n--) v |= (uint64_t)*in->p << (8 * i);
  return v;
}

static const orb_type_id types[] = {ORB_T_BOOL, ORB_T_INT16, ORB_T_INT32, ORB_T_INT64, ORB_T_FLOAT32,
                                    ORB_T_FLOAT64, ORB_T_DECIMAL, ORB_T_TEXT, ORB_T_BYTEA, ORB_T_DATE,
                                    ORB_T_TIME, ORB_T_TIMESTAMP, ORB_T_TIMESTAMPTZ, ORB_T_UUID};

/* The next value of type t from the input (strings point into it). */
static orb_value next_value(input *in, orb_type t, bool nullable) {
  uint8_t tag = (uint8_t)take(in, 1);
  if (nullable && (tag & 7) == 0) return orb_null((orb_type_id)t.id);
  switch ((orb_type_id)t.id) {
  case ORB_T_BOOL: return orb_bool(tag & 8);
  case ORB_T_INT16: return orb_int(ORB_T_INT16, (int16_t)take(in, 2));
  case ORB_T_INT32: return orb_int(ORB_T_INT32, (int32_t)take(in, 4));
  case ORB_T_DATE: return orb_int(ORB_T_DATE, (int32_t)take(in, 4));
  case ORB_T_INT64:
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ: return orb_int((orb_type_id)t.id, (int64_t)take(in, tag & 8 ? 8 : 1));
  case ORB_T_FLOAT32: {
    uint32_t u = (uint32_t)take(in, 4);
    float f;
    memcpy(&f, &u, 4);
    return orb_float(ORB_T_FLOAT32, f);
  }
  case ORB_T_FLOAT64: {
    uint64_t u = take(in, 8);
    double d;
    memcpy(&d, &u, 8);
    return orb_float(ORB_T_FLOAT64, d);
  }
  case ORB_T_DECIMAL: {   /* within the precision */
    __int128 v = (__int128)(int64_t)take(in, 8) * (__int128)(int64_t)take(in, 8);
    __int128 lim = orb_pow10_i128(t.precision);
    return orb_decimal(v % lim, t.scale);
  }
  case ORB_T_UUID: {
    orb_value v = orb_null(ORB_T_UUID);
    v.isnull = 0;
    for (int i = 0; i < 16; i++) v.u.uuid[i] = (uint8_t)take(in, 1);
    return v;
  }
  default: {   /* TEXT, BYTEA: up to 31 bytes of the input */
    size_t len = (size_t)(tag >> 3);
    if (len > in->n) len = in->n;
    orb_value v = t.id == ORB_T_TEXT ? orb_text((const char *)in->p, len) : orb_bytea(in->p, len);
    in->p += len;
    in->n -= len;
    return v;
  }
  }
}

/* A row of an array column: NULL, empty, or 1..7 elements (a slice of pool). */
static orb_value next_array(input *in, orb_type t, bool nullable, orb_arena *a, orb_value *pool, int *used) {
  uint8_t tag = (uint8_t)take(in, 1);
  if (nullable && (tag & 7) == 0) return orb_null(ORB_T_ARRAY);
  int len = (tag >> 3) & 7;
  orb_value *items = pool + *used;
  for (int k = 0; k < len; k++) items[k] = next_value(in, orb_type_elem(t), true);
  *used += len;
  return orb_array_make(a, (orb_type_id)t.elem, items, (uint32_t)len);
}

static bool same(const orb_value *a, const orb_value *b) {
  if (a->isnull || b->isnull) return a->isnull == b->isnull;
  if (a->type == ORB_T_ARRAY) {
    if (b->type != ORB_T_ARRAY || a->u.arr->n != b->u.arr->n) return false;
    for (uint32_t k = 0; k < a->u.arr->n; k++)
      if (!same(&a->u.arr->items[k], &b->u.arr->items[k])) return false;
    return true;
  }
  if (a->type == ORB_T_FLOAT32 || a->type == ORB_T_FLOAT64) {
    if (isnan(a->u.f) || isnan(b->u.f)) return isnan(a->u.f) && isnan(b->u.f);
    return memcmp(&a->u.f, &b->u.f, sizeof(double)) == 0;   /* -0.0 stays -0.0 */
  }
  return orb_value_cmp(a, b) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  uint8_t opt = (uint8_t)take(&in, 1), kind = (uint8_t)take(&in, 1);
  pq_write_opts o;
  pq_write_opts_init(&o);
  static const int codecs[] = {PQ_UNCOMPRESSED, PQ_SNAPPY, PQ_GZIP, PQ_ZSTD};
  o.codec = codecs[opt & 3];
  o.dictionary = !(opt & 4);
  o.dictionary_bytes = opt & 8 ? 64 : (size_t)1 << 20;
  o.page_v2 = opt & 16;
  o.page_crc = opt & 32;
  o.page_rows = 1 + (kind >> 4);
  o.row_group_rows = 1 + (int64_t)take(&in, 1);
  /* an odd row group size keeps every dictionary; an even one probes after 1..8 values */
  o.dictionary_probe = o.row_group_rows & 1 ? 0 : 1 + (kind >> 5);
  const int ntypes = (int)(sizeof types / sizeof types[0]);
  bool list = (kind & 15) >= ntypes;
  orb_type t = orb_type_make(types[(list ? (int)take(&in, 1) : kind & 15) % ntypes]);
  if (t.id == ORB_T_DECIMAL) t = orb_type_decimal(1 + (int)(take(&in, 1) % 38), 0), t.scale = (uint8_t)(t.precision / 2);
  if (list) t = orb_type_array_of(t);
  bool nullable = opt & 64;
  pq_write_column col = {"c", t, nullable, 1, (opt & 128) != 0, list ? 2 : 0};

  static orb_value vals[512], pool[512 * 7];
  orb_arena arena;
  orb_arena_init(&arena, 0);
  int n = 0, used = 0;
  while (in.n && n < 512) vals[n++] = list ? next_array(&in, t, nullable, &arena, pool, &used) : next_value(&in, t, nullable);

  char path[64];
  snprintf(path, sizeof path, "/tmp/fuzz_parquet_write_%d.parquet", (int)getpid());
  orb_err e;
  pq_writer *w;
  if (pq_writer_open(path, &col, 1, &o, &w, &e) != ORB_OK) abort();
  const orb_value *batch = vals;
  if (pq_writer_write(w, &batch, n, &e) != ORB_OK || pq_writer_close(w, &e) != ORB_OK) abort();

  pq_file_meta *m;
  if (pq_read_footer(path, &m, &e) != ORB_OK || m->num_rows != n) abort();
  if (list) {   /* the arrays through the nested reader */
    pq_fields f;
    orb_type ft;
    if (pq_fields_build(m, path, &f, &e) != ORB_OK || f.n != 1 || f.errors[0] || pq_field_sql_type(&f.fields[0], &ft, &e) != ORB_OK ||
        ft.id != ORB_T_ARRAY || ft.elem != t.elem)
      abort();
    int row = 0;
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_nested_column c;
      if (pq_read_nested(path, m, &f.fields[0], g, 0, &c, &e) != ORB_OK) abort();
      for (int64_t i = 0; i < c.n; i++, row++) {
        orb_value v;
        if (pq_nested_value(&c, i, ft, &arena, &v, &e) != ORB_OK || row >= n || !same(&vals[row], &v)) abort();
      }
      pq_nested_free(&c);
    }
    if (row != n) abort();
    pq_fields_free(&f);
    pq_meta_free(m);
    orb_arena_free(&arena);
    unlink(path);
    return 0;
  }
  orb_arena_free(&arena);
  orb_type rt;
  if (pq_sql_type(&m->schema[1], &rt, &e) != ORB_OK || rt.id != t.id) abort();
  int row = 0;
  for (int g = 0; g < m->nrow_groups; g++) {
    pq_column c;
    if (pq_read_flat_column(path, m, g, 0, 0, &c, &e) != ORB_OK) abort();
    for (int64_t i = 0; i < c.n; i++, row++) {
      orb_value v;
      if (pq_value_at(&m->schema[1], &c, i, rt, &v, &e) != ORB_OK || row >= n || !same(&vals[row], &v)) abort();
    }
    pq_column_free(&c);
  }
  if (row != n) abort();
  pq_meta_free(m);
  unlink(path);
  return 0;
}
