/* fuzz/fuzz_parquet.c — libFuzzer target for Parquet files: the input is a
** whole file image; its footer (magic numbers, length, Thrift FileMetaData,
** chunk offsets), every column chunk's pages (headers, CRC32,
** decompression), columns' values and levels at any depth (also read group
** after group into one reused column), every top-level
** field assembled into records and rendered as JSON, each chunk's page
** index and bloom filter, every other page read alone by the offset index,
** and pruning with a few constraints of every kind on every column (which
** reads indexes, filters and dictionary pages) must decode or fail with an
** error, never crash, hang or allocate without bound (a 16 MiB limit here).
** Seeds: the parquet-testing fixtures (test.sh passes their directory as a
** read-only corpus). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/parquet/parquet.h"

#define LIMIT ((size_t)16 << 20)

/* Every field of every row group as records, and each record as JSON. */
static void nested_fields(const uint8_t *data, size_t size, const pq_file_meta *m) {
  pq_fields f;
  orb_err e;
  if (pq_fields_build(m, "fuzz", &f, &e) != ORB_OK) return;
  orb_buf b = ORB_BUF_INIT;
  for (int k = 0; k < f.n; k++) {
    if (f.errors[k]) continue;
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_nested_column col;
      if (pq_read_nested_image(data, size, "fuzz", m, &f.fields[k], g, LIMIT, &col, &e) == ORB_OK)
        for (int64_t r = 0; r < col.n && b.len < LIMIT; r++) {
          bool isnull;
          if (pq_nested_json(&col, r, &b, &isnull, &e) != ORB_OK) break;
        }
      pq_nested_free(&col);
      orb_buf_reset(&b);
    }
  }
  orb_buf_free(&b);
  pq_fields_free(&f);
}

/* The page index and bloom filter of every chunk, then pruning. */
static void indexes_and_pruning(const uint8_t *data, size_t size, const pq_file_meta *m) {
  pq_source src = {"fuzz", data, size};
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  for (int g = 0; g < m->nrow_groups; g++)
    for (int c = 0; c < m->row_groups[g].ncolumns; c++) {
      const pq_chunk *k = &m->row_groups[g].columns[c];
      pq_offset_index oi;
      pq_column_index ci;
      pq_bloom_filter bf;
      if (k->has_offset_index && pq_read_offset_index(&src, m, g, c, LIMIT, &a, &oi, &e) == ORB_OK) {
        /* every other page alone, as a pruned scan reads them */
        bool *want = orb_arena_zalloc(&a, (size_t)oi.npages + 1);
        for (int i = 0; i < oi.npages; i += 2) want[i] = true;
        pq_column col;
        pq_read_flat_pages(&src, m, g, c, LIMIT, &oi, want, &col, &e);
        pq_column_free(&col);
      }
      if (k->has_column_index) pq_read_column_index(&src, m, g, c, LIMIT, &a, &ci, &e);
      if (k->has_bloom_filter && pq_read_bloom_filter(&src, m, g, c, LIMIT, &a, &bf, &e) == ORB_OK)
        pq_bloom_check(bf.bitset, bf.nbytes, pq_bloom_hash("a", 1));
      orb_arena_reset(&a);
    }
  int ncols = m->nrow_groups > 0 ? m->row_groups[0].ncolumns : 0;
  static const orb_value set[3] = {
    {ORB_T_INT64, 0, 0, 0, 0, {.i = 7}}, {ORB_T_TEXT, 0, 0, 0, 1, {.s = "a"}}, {ORB_T_FLOAT64, 0, 0, 0, 0, {.f = 0.0}}};
  for (int c = 0; c < ncols && c < 64; c++) {
    pq_pred p[4];
    memset(p, 0, sizeof p);
    for (int i = 0; i < 4; i++) p[i].col = c;
    p[0].kind = PQ_PRED_IN, p[0].in = set, p[0].nin = 3;
    p[1].kind = PQ_PRED_RANGE, p[1].has_lo = true, p[1].lo_incl = true, p[1].lo = set[0];
    p[1].has_hi = true, p[1].hi = (orb_value){ORB_T_DECIMAL, 0, 2, 0, 0, {.dec = 12345}};
    p[2].kind = PQ_PRED_NOT_NULL;
    p[3].kind = PQ_PRED_RANGE, p[3].has_hi = true, p[3].hi = set[1];
    for (int i = 0; i < 4; i++) {
      pq_prune_result r;
      if (pq_prune(&src, m, &p[i], 1, PQ_PRUNE_ALL, LIMIT, &r, &e) == ORB_OK) pq_prune_free(&r);
    }
  }
  orb_arena_free(&a);
}

/* Each column read group after group into one column whose memory is
** reused (pq_read_leaf_column_image_into, as read_parquet does), flat ones
** converted to SQL values in batches (pq_values_at). */
static void scan_columns(const uint8_t *data, size_t size, const pq_file_meta *m) {
  int ncols = m->nrow_groups > 0 ? m->row_groups[0].ncolumns : 0;
  orb_value batch[256];
  for (int c = 0; c < ncols && c < 64; c++) {
    pq_column col;
    memset(&col, 0, sizeof col);
    for (int g = 0; g < m->nrow_groups; g++) {
      orb_err e;
      if (pq_read_leaf_column_image_into(data, size, "fuzz", m, g, c, LIMIT, &col, &e) != ORB_OK) continue;
      if (m->nschema != m->row_groups[g].ncolumns + 1 || col.max_rep > 0) continue;   /* flat files only */
      orb_type t;
      const pq_schema_elem *s = &m->schema[c + 1];
      if (pq_sql_type(s, &t, &e) != ORB_OK) continue;
      for (int64_t i = 0; i < col.n; i += 256)
        if (pq_values_at(s, &col, i, col.n - i < 256 ? col.n - i : 256, t, batch, 1, &e) != ORB_OK) break;
    }
    pq_column_free(&col);
  }
}

/* Each flat column page by page through one stream (pq_column_stream, as
** read_parquet, iceberg_scan and Iceberg tables read them), in steps of
** 256 rows converted to SQL values from the window. */
static void stream_columns(const uint8_t *data, size_t size, const pq_file_meta *m) {
  int ncols = m->nrow_groups > 0 ? m->row_groups[0].ncolumns : 0;
  orb_value batch[256];
  pq_source src = {"fuzz", data, size};
  for (int c = 0; c < ncols && c < 64; c++) {
    pq_column_stream st = {0};
    for (int g = 0; g < m->nrow_groups; g++) {
      orb_err e;
      orb_type t;
      if (m->nschema != m->row_groups[g].ncolumns + 1 || pq_sql_type(&m->schema[c + 1], &t, &e) != ORB_OK) continue;
      if (pq_stream_open(&st, &src, m, g, c, LIMIT, &e) != ORB_OK || st.col->max_rep > 0) continue;
      for (int64_t i = 0; i < st.total; i += 256) {
        int64_t n = st.total - i < 256 ? st.total - i : 256;
        if (pq_stream_need(&st, i, n, &e) != ORB_OK) break;
        if (pq_values_at(&m->schema[c + 1], st.col, i - st.first, n, t, batch, 1, &e) != ORB_OK) break;
      }
    }
    pq_stream_free(&st);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pq_file_meta *m = NULL;
  orb_err e;
  orb_err_clear(&e);
  if (pq_footer_from_image(data, size, "fuzz", &m, &e) == ORB_OK) {
    /* walk what was decoded, as a reader would */
    for (int g = 0; g < m->nrow_groups; g++)
      for (int c = 0; c < m->row_groups[g].ncolumns; c++) {
        orb_err pe;
        pq_column col;   /* pages, then values where the column is flat */
        if (pq_read_flat_column_image(data, size, "fuzz", m, g, c, LIMIT, &col, &pe) != ORB_OK) {
          pq_column_free(&col);   /* a nested leaf: its levels */
          if (pq_read_leaf_column_image(data, size, "fuzz", m, g, c, LIMIT, &col, &pe) != ORB_OK)
            pq_chunk_walk_image(data, size, "fuzz", m, g, c, LIMIT, NULL, NULL, &pe);
        } else {   /* and as SQL values */
          orb_type t;
          const pq_schema_elem *s = &m->schema[c + 1];
          for (int64_t i = 0; i < col.n && pq_sql_type(s, &t, &pe) == ORB_OK; i++) {
            orb_value v;
            if (pq_value_at(s, &col, i, t, &v, &pe) != ORB_OK) break;
          }
        }
        pq_column_free(&col);
      }
    scan_columns(data, size, m);
    stream_columns(data, size, m);
    nested_fields(data, size, m);
    indexes_and_pruning(data, size, m);
    pq_meta_free(m);
  }
  return 0;
}
