/* fuzz/fuzz_parquet.c — libFuzzer target for Parquet files: the input is a
** whole file image; its footer (magic numbers, length, Thrift FileMetaData,
** chunk offsets), every column chunk's pages (headers, CRC32,
** decompression), columns' values and levels at any depth, and every
** top-level field assembled into records and rendered as JSON must decode
** or fail with an error, never crash, hang or allocate without bound (a
** 16 MiB limit here).  Seeds: the parquet-testing
** fixtures (test.sh passes their directory as a read-only corpus). */
#include <stddef.h>
#include <stdint.h>

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
    nested_fields(data, size, m);
    pq_meta_free(m);
  }
  return 0;
}
