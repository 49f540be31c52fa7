/* formats/parquet/pq_meta_write.c — the Thrift encoding of the structs
** parquet.h decodes: FileMetaData, PageHeader, ColumnIndex, OffsetIndex and
** the bloom filter header (field ids from parquet.thrift).  The writer fills
** the same structs the reader produces, so one description of a footer
** serves both directions and the tests read back what was written. */
#include "formats/parquet/parquet.h"
#include "formats/thrift/thrift.h"

#include <string.h>

static void logical_type(tc_writer *w, const pq_logical *lt) {
  tc_put_struct_begin(w, 10);
  tc_put_struct_begin(w, (int16_t)lt->kind);   /* the union's member */
  switch (lt->kind) {
  case PQ_LT_DECIMAL:
    tc_put_i32(w, 1, lt->scale);
    tc_put_i32(w, 2, lt->precision);
    break;
  case PQ_LT_TIME:
  case PQ_LT_TIMESTAMP:
    tc_put_bool(w, 1, lt->utc);
    tc_put_struct_begin(w, 2);               /* TimeUnit: a union of empty structs */
    tc_put_struct_begin(w, (int16_t)lt->unit);
    tc_put_struct_end(w);
    tc_put_struct_end(w);
    break;
  case PQ_LT_INTEGER:
    tc_put_byte(w, 1, (int8_t)lt->bit_width);
    tc_put_bool(w, 2, lt->is_signed);
    break;
  default: break;                            /* STRING, DATE, UUID, ...: empty structs */
  }
  tc_put_struct_end(w);
  tc_put_struct_end(w);
}

static void schema_elem(tc_writer *w, const pq_schema_elem *s) {
  tc_put_elem_struct_begin(w);
  if (s->type >= 0) tc_put_i32(w, 1, s->type);
  if (s->type == PQ_FIXED_LEN_BYTE_ARRAY) tc_put_i32(w, 2, s->type_length);
  if (s->repetition >= 0) tc_put_i32(w, 3, s->repetition);
  tc_put_string(w, 4, s->name);
  if (s->num_children >= 0) tc_put_i32(w, 5, s->num_children);
  if (s->converted_type >= 0) tc_put_i32(w, 6, s->converted_type);
  if (s->converted_type == 5) {   /* DECIMAL */
    tc_put_i32(w, 7, s->scale);
    tc_put_i32(w, 8, s->precision);
  }
  if (s->has_field_id) tc_put_i32(w, 9, s->field_id);
  if (s->logical.kind != PQ_LT_NONE) logical_type(w, &s->logical);
  tc_put_struct_end(w);
}

static void put_bytes(tc_writer *w, int16_t id, pq_bytes b) {
  if (b.data) tc_put_binary(w, id, b.data, b.len);
}

static void statistics(tc_writer *w, const pq_stats *st) {
  tc_put_struct_begin(w, 12);
  put_bytes(w, 1, st->max);
  put_bytes(w, 2, st->min);
  if (st->has_null_count) tc_put_i64(w, 3, st->null_count);
  if (st->has_distinct_count) tc_put_i64(w, 4, st->distinct_count);
  put_bytes(w, 5, st->max_value);
  put_bytes(w, 6, st->min_value);
  tc_put_struct_end(w);
}

static void column_meta(tc_writer *w, const pq_chunk *c) {
  tc_put_struct_begin(w, 3);
  tc_put_i32(w, 1, c->type);
  tc_put_list_begin(w, 2, TC_I32, c->nencodings);
  for (int i = 0; i < c->nencodings; i++) tc_put_elem_i32(w, c->encodings[i]);
  tc_put_list_begin(w, 3, TC_BINARY, c->npath);
  for (int i = 0; i < c->npath; i++) tc_put_elem_binary(w, c->path[i], strlen(c->path[i]));
  tc_put_i32(w, 4, c->codec);
  tc_put_i64(w, 5, c->num_values);
  tc_put_i64(w, 6, c->total_uncompressed_size);
  tc_put_i64(w, 7, c->total_compressed_size);
  tc_put_i64(w, 9, c->data_page_offset);
  if (c->has_index_page) tc_put_i64(w, 10, c->index_page_offset);
  if (c->has_dictionary_page) tc_put_i64(w, 11, c->dictionary_page_offset);
  if (c->has_stats) statistics(w, &c->stats);
  if (c->has_bloom_filter) {
    tc_put_i64(w, 14, c->bloom_filter_offset);
    if (c->bloom_filter_length > 0) tc_put_i32(w, 15, c->bloom_filter_length);
  }
  tc_put_struct_end(w);
}

static void column_chunk(tc_writer *w, const pq_chunk *c) {
  tc_put_elem_struct_begin(w);
  if (c->file_path) tc_put_string(w, 1, c->file_path);
  tc_put_i64(w, 2, c->file_offset);
  column_meta(w, c);
  if (c->has_offset_index) {
    tc_put_i64(w, 4, c->offset_index_offset);
    tc_put_i32(w, 5, c->offset_index_length);
  }
  if (c->has_column_index) {
    tc_put_i64(w, 6, c->column_index_offset);
    tc_put_i32(w, 7, c->column_index_length);
  }
  tc_put_struct_end(w);
}

static void row_group(tc_writer *w, const pq_row_group *g) {
  tc_put_elem_struct_begin(w);
  tc_put_list_begin(w, 1, TC_STRUCT, g->ncolumns);
  for (int i = 0; i < g->ncolumns; i++) column_chunk(w, &g->columns[i]);
  tc_put_i64(w, 2, g->total_byte_size);
  tc_put_i64(w, 3, g->num_rows);
  if (g->has_file_offset) tc_put_i64(w, 5, g->file_offset);
  if (g->has_total_compressed_size) tc_put_i64(w, 6, g->total_compressed_size);
  if (g->has_ordinal) tc_put_i16(w, 7, g->ordinal);
  tc_put_struct_end(w);
}

void pq_meta_encode(const pq_file_meta *m, orb_buf *out) {
  tc_writer w;
  tc_writer_init(&w, out);
  tc_put_i32(&w, 1, m->version);
  tc_put_list_begin(&w, 2, TC_STRUCT, m->nschema);
  for (int i = 0; i < m->nschema; i++) schema_elem(&w, &m->schema[i]);
  tc_put_i64(&w, 3, m->num_rows);
  tc_put_list_begin(&w, 4, TC_STRUCT, m->nrow_groups);
  for (int i = 0; i < m->nrow_groups; i++) row_group(&w, &m->row_groups[i]);
  if (m->nkv > 0) {
    tc_put_list_begin(&w, 5, TC_STRUCT, m->nkv);
    for (int i = 0; i < m->nkv; i++) {
      tc_put_elem_struct_begin(&w);
      tc_put_string(&w, 1, m->kv[i].key);
      if (m->kv[i].value) tc_put_string(&w, 2, m->kv[i].value);
      tc_put_struct_end(&w);
    }
  }
  if (m->created_by) tc_put_string(&w, 6, m->created_by);
  if (m->ncolumn_orders > 0) {
    tc_put_list_begin(&w, 7, TC_STRUCT, m->ncolumn_orders);
    for (int i = 0; i < m->ncolumn_orders; i++) {   /* union ColumnOrder of empty structs */
      tc_put_elem_struct_begin(&w);
      tc_put_struct_begin(&w, (int16_t)m->column_orders[i]);
      tc_put_struct_end(&w);
      tc_put_struct_end(&w);
    }
  }
  tc_put_end(&w);
}

void pq_page_header_encode(const pq_page_header *h, orb_buf *out) {
  tc_writer w;
  tc_writer_init(&w, out);
  tc_put_i32(&w, 1, h->type);
  tc_put_i32(&w, 2, h->uncompressed_size);
  tc_put_i32(&w, 3, h->compressed_size);
  if (h->has_crc) tc_put_i32(&w, 4, (int32_t)h->crc);
  switch (h->type) {
  case 0:   /* DataPageHeader */
    tc_put_struct_begin(&w, 5);
    tc_put_i32(&w, 1, h->num_values);
    tc_put_i32(&w, 2, h->encoding);
    tc_put_i32(&w, 3, h->def_encoding);
    tc_put_i32(&w, 4, h->rep_encoding);
    tc_put_struct_end(&w);
    break;
  case 2:   /* DictionaryPageHeader */
    tc_put_struct_begin(&w, 7);
    tc_put_i32(&w, 1, h->num_values);
    tc_put_i32(&w, 2, h->encoding);
    tc_put_struct_end(&w);
    break;
  case 3:   /* DataPageHeaderV2 */
    tc_put_struct_begin(&w, 8);
    tc_put_i32(&w, 1, h->num_values);
    tc_put_i32(&w, 2, h->num_nulls);
    tc_put_i32(&w, 3, h->num_rows);
    tc_put_i32(&w, 4, h->encoding);
    tc_put_i32(&w, 5, h->def_len);
    tc_put_i32(&w, 6, h->rep_len);
    tc_put_bool(&w, 7, h->v2_compressed);
    tc_put_struct_end(&w);
    break;
  default: break;
  }
  tc_put_end(&w);
}

void pq_column_index_encode(const pq_column_index *ci, orb_buf *out) {
  tc_writer w;
  tc_writer_init(&w, out);
  tc_put_list_begin(&w, 1, TC_TRUE, ci->npages);
  for (int i = 0; i < ci->npages; i++) tc_put_elem_bool(&w, ci->null_pages[i]);
  tc_put_list_begin(&w, 2, TC_BINARY, ci->npages);
  for (int i = 0; i < ci->npages; i++) tc_put_elem_binary(&w, ci->min_values[i].data, ci->min_values[i].len);
  tc_put_list_begin(&w, 3, TC_BINARY, ci->npages);
  for (int i = 0; i < ci->npages; i++) tc_put_elem_binary(&w, ci->max_values[i].data, ci->max_values[i].len);
  tc_put_i32(&w, 4, ci->boundary_order);
  if (ci->has_null_counts) {
    tc_put_list_begin(&w, 5, TC_I64, ci->npages);
    for (int i = 0; i < ci->npages; i++) tc_put_elem_i64(&w, ci->null_counts[i]);
  }
  tc_put_end(&w);
}

void pq_offset_index_encode(const pq_offset_index *oi, orb_buf *out) {
  tc_writer w;
  tc_writer_init(&w, out);
  tc_put_list_begin(&w, 1, TC_STRUCT, oi->npages);
  for (int i = 0; i < oi->npages; i++) {
    tc_put_elem_struct_begin(&w);
    tc_put_i64(&w, 1, oi->pages[i].offset);
    tc_put_i32(&w, 2, oi->pages[i].compressed_page_size);
    tc_put_i64(&w, 3, oi->pages[i].first_row_index);
    tc_put_struct_end(&w);
  }
  tc_put_end(&w);
}

void pq_bloom_header_encode(int32_t nbytes, orb_buf *out) {
  tc_writer w;
  tc_writer_init(&w, out);
  tc_put_i32(&w, 1, nbytes);
  /* algorithm BLOCK, hash XXHASH, compression UNCOMPRESSED: each a union's
  ** first member, an empty struct */
  for (int16_t id = 2; id <= 4; id++) {
    tc_put_struct_begin(&w, id);
    tc_put_struct_begin(&w, 1);
    tc_put_struct_end(&w);
    tc_put_struct_end(&w);
  }
  tc_put_end(&w);
}
