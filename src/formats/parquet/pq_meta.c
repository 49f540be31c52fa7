/* formats/parquet/pq_meta.c — decoding FileMetaData (see parquet.h).
**
** One function per Thrift struct of parquet.thrift, each reading the fields
** it knows by id and skipping the rest, so files from newer writers still
** read.  Arrays are sized from list headers, which tc_list has checked
** against the bytes left; `budget` caps the total so a small footer cannot
** ask for gigabytes. */
#include "formats/parquet/parquet.h"
#include "formats/thrift/thrift.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

typedef struct decoder {
  tc_reader r;
  pq_file_meta *m;
  size_t budget;                 /* bytes of arrays and strings still allowed */
} decoder;

static void *take(decoder *d, size_t elem, int64_t n) {
  if (n < 0 || (size_t)n > d->budget / (elem ? elem : 1)) {
    tc_fail(&d->r, "metadata larger than the memory limit");
    return NULL;
  }
  d->budget -= (size_t)n * elem;
  return orb_arena_zalloc(&d->m->arena, elem * (size_t)(n ? n : 1));
}

static const char *str(decoder *d) {
  size_t n;
  const uint8_t *p = tc_binary(&d->r, &n);
  char *s = take(d, 1, (int64_t)n + 1);
  if (!s) return "";
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

static pq_bytes bytes(decoder *d) {
  pq_bytes b = {NULL, 0};
  size_t n;
  const uint8_t *p = tc_binary(&d->r, &n);
  uint8_t *c = take(d, 1, (int64_t)n);
  if (c) {
    if (n) memcpy(c, p, n);
    b.data = c;
    b.len = n;
  }
  return b;
}

/* A list of the given element type; its count (0 after a failure). */
static int64_t list_of(decoder *d, int want) {
  int et;
  int64_t n;
  tc_list(&d->r, &et, &n);
  if (d->r.failed) return 0;
  if (et != want && !(want == TC_TRUE && et == TC_FALSE)) {
    tc_fail(&d->r, "list of an unexpected element type");
    return 0;
  }
  if (n > INT32_MAX) {
    tc_fail(&d->r, "list too long");
    return 0;
  }
  return n;
}

/* Whether a field has the type the specification gives it.  If not, it is
** skipped, as Thrift's own generated readers do (some writers, e.g. of
** dict-page-offset-zero.parquet, use another integer width). */
static bool is(decoder *d, int type, int want) {
  if (type == want || (want == TC_TRUE && type == TC_FALSE)) return true;
  tc_skip(&d->r, type);
  return false;
}

/* --- LogicalType --------------------------------------------------------------- */

static int time_unit(decoder *d) {   /* union TimeUnit: the member's id */
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t, unit = 0;
  while (tc_field(&d->r, &id, &t)) {
    if (t == TC_STRUCT && id >= 1 && id <= 3) unit = id;
    tc_skip(&d->r, t);
  }
  return unit;
}

static void logical_type(decoder *d, pq_logical *lt) {
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    if (t != TC_STRUCT) {
      tc_skip(&d->r, t);
      continue;
    }
    lt->kind = (pq_logical_kind)id;
    tc_struct_begin(&d->r);
    int16_t fid = 0;
    int ft;
    while (tc_field(&d->r, &fid, &ft)) {
      if (id == PQ_LT_DECIMAL && fid == 1 && is(d, ft, TC_I32)) lt->scale = tc_i32(&d->r);
      else if (id == PQ_LT_DECIMAL && fid == 2 && is(d, ft, TC_I32)) lt->precision = tc_i32(&d->r);
      else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && fid == 1 && is(d, ft, TC_TRUE)) lt->utc = tc_bool_field(ft);
      else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && fid == 2 && is(d, ft, TC_STRUCT)) lt->unit = time_unit(d);
      else if (id == PQ_LT_INTEGER && fid == 1 && is(d, ft, TC_BYTE)) lt->bit_width = tc_byte(&d->r);
      else if (id == PQ_LT_INTEGER && fid == 2 && is(d, ft, TC_TRUE)) lt->is_signed = tc_bool_field(ft);
      else tc_skip(&d->r, ft);
    }
  }
}

/* --- SchemaElement ------------------------------------------------------------- */

static void schema_elem(decoder *d, pq_schema_elem *s) {
  s->type = -1;
  s->repetition = -1;
  s->num_children = -1;
  s->converted_type = -1;
  s->name = "";
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    switch (id) {
    case 1: if (is(d, t, TC_I32)) s->type = tc_i32(&d->r); break;
    case 2: if (is(d, t, TC_I32)) s->type_length = tc_i32(&d->r); break;
    case 3: if (is(d, t, TC_I32)) s->repetition = tc_i32(&d->r); break;
    case 4: if (is(d, t, TC_BINARY)) s->name = str(d); break;
    case 5: if (is(d, t, TC_I32)) s->num_children = tc_i32(&d->r); break;
    case 6: if (is(d, t, TC_I32)) s->converted_type = tc_i32(&d->r); break;
    case 7: if (is(d, t, TC_I32)) s->scale = tc_i32(&d->r); break;
    case 8: if (is(d, t, TC_I32)) s->precision = tc_i32(&d->r); break;
    case 9:
      if (is(d, t, TC_I32)) {
        s->field_id = tc_i32(&d->r);
        s->has_field_id = true;
      }
      break;
    case 10: if (is(d, t, TC_STRUCT)) logical_type(d, &s->logical); break;
    default: tc_skip(&d->r, t);
    }
  }
}

/* --- ColumnChunk ----------------------------------------------------------------- */

static void statistics(decoder *d, pq_stats *st) {
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    switch (id) {
    case 1: if (is(d, t, TC_BINARY)) st->max = bytes(d); break;
    case 2: if (is(d, t, TC_BINARY)) st->min = bytes(d); break;
    case 3:
      if (is(d, t, TC_I64)) {
        st->null_count = tc_i64(&d->r);
        st->has_null_count = true;
      }
      break;
    case 4:
      if (is(d, t, TC_I64)) {
        st->distinct_count = tc_i64(&d->r);
        st->has_distinct_count = true;
      }
      break;
    case 5: if (is(d, t, TC_BINARY)) st->max_value = bytes(d); break;
    case 6: if (is(d, t, TC_BINARY)) st->min_value = bytes(d); break;
    default: tc_skip(&d->r, t);
    }
  }
}

static void encoding_stats(decoder *d, pq_encoding_stats *es) {
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    if (id == 1 && is(d, t, TC_I32)) es->page_type = tc_i32(&d->r);
    else if (id == 2 && is(d, t, TC_I32)) es->encoding = tc_i32(&d->r);
    else if (id == 3 && is(d, t, TC_I32)) es->count = tc_i32(&d->r);
    else tc_skip(&d->r, t);
  }
}

static void column_meta(decoder *d, pq_chunk *c) {
  c->has_meta = true;
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    switch (id) {
    case 1: if (is(d, t, TC_I32)) c->type = tc_i32(&d->r); break;
    case 2:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_I32);
        c->encodings = take(d, sizeof(int32_t), n);
        for (int64_t i = 0; i < n && c->encodings && !d->r.failed; i++) c->encodings[i] = tc_i32(&d->r);
        c->nencodings = c->encodings ? (int)n : 0;
      }
      break;
    case 3:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_BINARY);
        c->path = take(d, sizeof(char *), n);
        for (int64_t i = 0; i < n && c->path && !d->r.failed; i++) c->path[i] = str(d);
        c->npath = c->path ? (int)n : 0;
      }
      break;
    case 4: if (is(d, t, TC_I32)) c->codec = tc_i32(&d->r); break;
    case 5: if (is(d, t, TC_I64)) c->num_values = tc_i64(&d->r); break;
    case 6: if (is(d, t, TC_I64)) c->total_uncompressed_size = tc_i64(&d->r); break;
    case 7: if (is(d, t, TC_I64)) c->total_compressed_size = tc_i64(&d->r); break;
    case 9: if (is(d, t, TC_I64)) c->data_page_offset = tc_i64(&d->r); break;
    case 10:
      if (is(d, t, TC_I64)) {
        c->index_page_offset = tc_i64(&d->r);
        c->has_index_page = true;
      }
      break;
    case 11:
      if (is(d, t, TC_I64)) {
        c->dictionary_page_offset = tc_i64(&d->r);
        c->has_dictionary_page = true;
      }
      break;
    case 12:
      if (is(d, t, TC_STRUCT)) {
        statistics(d, &c->stats);
        c->has_stats = true;
      }
      break;
    case 13:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_STRUCT);
        c->encoding_stats = take(d, sizeof(pq_encoding_stats), n);
        for (int64_t i = 0; i < n && c->encoding_stats && !d->r.failed; i++) encoding_stats(d, &c->encoding_stats[i]);
        c->nencoding_stats = c->encoding_stats ? (int)n : 0;
      }
      break;
    case 14:
      if (is(d, t, TC_I64)) {
        c->bloom_filter_offset = tc_i64(&d->r);
        c->has_bloom_filter = true;
      }
      break;
    case 15: if (is(d, t, TC_I32)) c->bloom_filter_length = tc_i32(&d->r); break;
    default: tc_skip(&d->r, t);
    }
  }
}

static void column_chunk(decoder *d, pq_chunk *c) {
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    switch (id) {
    case 1: if (is(d, t, TC_BINARY)) c->file_path = str(d); break;
    case 2: if (is(d, t, TC_I64)) c->file_offset = tc_i64(&d->r); break;
    case 3: if (is(d, t, TC_STRUCT)) column_meta(d, c); break;
    case 4:
      if (is(d, t, TC_I64)) {
        c->offset_index_offset = tc_i64(&d->r);
        c->has_offset_index = true;
      }
      break;
    case 5: if (is(d, t, TC_I32)) c->offset_index_length = tc_i32(&d->r); break;
    case 6:
      if (is(d, t, TC_I64)) {
        c->column_index_offset = tc_i64(&d->r);
        c->has_column_index = true;
      }
      break;
    case 7: if (is(d, t, TC_I32)) c->column_index_length = tc_i32(&d->r); break;
    case 8:
    case 9:
      c->encrypted = true;
      tc_skip(&d->r, t);
      break;
    default: tc_skip(&d->r, t);
    }
  }
}

static void row_group(decoder *d, pq_row_group *g) {
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    switch (id) {
    case 1:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_STRUCT);
        g->columns = take(d, sizeof(pq_chunk), n);
        for (int64_t i = 0; i < n && g->columns && !d->r.failed; i++) column_chunk(d, &g->columns[i]);
        g->ncolumns = g->columns ? (int)n : 0;
      }
      break;
    case 2: if (is(d, t, TC_I64)) g->total_byte_size = tc_i64(&d->r); break;
    case 3: if (is(d, t, TC_I64)) g->num_rows = tc_i64(&d->r); break;
    case 5:
      if (is(d, t, TC_I64)) {
        g->file_offset = tc_i64(&d->r);
        g->has_file_offset = true;
      }
      break;
    case 6:
      if (is(d, t, TC_I64)) {
        g->total_compressed_size = tc_i64(&d->r);
        g->has_total_compressed_size = true;
      }
      break;
    case 7:
      if (is(d, t, TC_I16)) {
        g->ordinal = tc_i16(&d->r);
        g->has_ordinal = true;
      }
      break;
    default: tc_skip(&d->r, t);
    }
  }
}

static void key_value(decoder *d, pq_kv *kv) {
  kv->key = "";
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    if (id == 1 && is(d, t, TC_BINARY)) kv->key = str(d);
    else if (id == 2 && is(d, t, TC_BINARY)) kv->value = str(d);
    else tc_skip(&d->r, t);
  }
}

static int column_order(decoder *d) {   /* union ColumnOrder: the member's id */
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t, which = 0;
  while (tc_field(&d->r, &id, &t)) {
    if (t == TC_STRUCT) which = id;
    tc_skip(&d->r, t);
  }
  return which;
}

/* --- FileMetaData ------------------------------------------------------------------ */

static void file_meta(decoder *d) {
  pq_file_meta *m = d->m;
  bool have_schema = false, have_rows = false, have_groups = false;
  tc_struct_begin(&d->r);
  int16_t id = 0;
  int t;
  while (tc_field(&d->r, &id, &t)) {
    switch (id) {
    case 1: if (is(d, t, TC_I32)) m->version = tc_i32(&d->r); break;
    case 2:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_STRUCT);
        m->schema = take(d, sizeof(pq_schema_elem), n);
        for (int64_t i = 0; i < n && m->schema && !d->r.failed; i++) schema_elem(d, &m->schema[i]);
        m->nschema = m->schema ? (int)n : 0;
        have_schema = true;
      }
      break;
    case 3:
      if (is(d, t, TC_I64)) {
        m->num_rows = tc_i64(&d->r);
        have_rows = true;
      }
      break;
    case 4:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_STRUCT);
        m->row_groups = take(d, sizeof(pq_row_group), n);
        for (int64_t i = 0; i < n && m->row_groups && !d->r.failed; i++) row_group(d, &m->row_groups[i]);
        m->nrow_groups = m->row_groups ? (int)n : 0;
        have_groups = true;
      }
      break;
    case 5:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_STRUCT);
        m->kv = take(d, sizeof(pq_kv), n);
        for (int64_t i = 0; i < n && m->kv && !d->r.failed; i++) key_value(d, &m->kv[i]);
        m->nkv = m->kv ? (int)n : 0;
      }
      break;
    case 6: if (is(d, t, TC_BINARY)) m->created_by = str(d); break;
    case 7:
      if (is(d, t, TC_LIST)) {
        int64_t n = list_of(d, TC_STRUCT);
        m->column_orders = take(d, sizeof(int), n);
        for (int64_t i = 0; i < n && m->column_orders && !d->r.failed; i++) m->column_orders[i] = column_order(d);
        m->ncolumn_orders = m->column_orders ? (int)n : 0;
      }
      break;
    case 8:
      m->encrypted = true;
      tc_skip(&d->r, t);
      break;
    default: tc_skip(&d->r, t);
    }
  }
  if (!d->r.failed && (!have_schema || !have_rows || !have_groups))
    tc_fail(&d->r, !have_schema ? "no schema" : !have_rows ? "no num_rows" : "no row_groups");
}

orb_status pq_meta_decode(const void *buf, size_t len, const char *name, size_t limit, pq_file_meta **out,
                          orb_err *e) {
  *out = NULL;
  decoder d;
  tc_init(&d.r, buf, len);
  d.m = orb_calloc(1, sizeof *d.m);
  orb_arena_init(&d.m->arena, 16384);
  d.budget = limit ? limit : PQ_DEFAULT_META_LIMIT;
  file_meta(&d);
  if (d.r.failed) {
    orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": malformed footer metadata: %s", name, d.r.msg);
    pq_meta_free(d.m);
    return ORB_ERR_CORRUPT;
  }
  *out = d.m;
  return ORB_OK;
}

void pq_meta_free(pq_file_meta *m) {
  if (!m) return;
  orb_arena_free(&m->arena);
  orb_free(m);
}

const char *pq_type_name(int type) {
  static const char *const names[] = {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY",
                                      "FIXED_LEN_BYTE_ARRAY"};
  return type >= 0 && type < 8 ? names[type] : "?";
}

const char *pq_codec_name(int codec) {
  static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
  return codec >= 0 && codec < 8 ? names[codec] : "?";
}

const char *pq_converted_type_name(int ct) {
  static const char *const names[] = {"UTF8",        "MAP",         "MAP_KEY_VALUE",    "LIST",
                                      "ENUM",        "DECIMAL",     "DATE",             "TIME_MILLIS",
                                      "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8",
                                      "UINT_16",     "UINT_32",     "UINT_64",          "INT_8",
                                      "INT_16",      "INT_32",      "INT_64",           "JSON",
                                      "BSON",        "INTERVAL"};
  return ct >= 0 && ct < (int)(sizeof names / sizeof names[0]) ? names[ct] : "?";
}
