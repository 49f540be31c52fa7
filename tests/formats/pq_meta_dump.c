/* tests/formats/pq_meta_dump.c — print Parquet footers in the canonical text
** form of tests/interop/parquet_meta.mjs (DuckDB's reading of the same files),
** for tests/formats/parquet_meta_test.sh to compare.
** usage: pq_meta_dump FILE...   (exit status 0; "error <message>" for a file that does not read) */
#include <stdio.h>
#include <string.h>

#include "formats/parquet/parquet.h"

static void opt_i64(bool has, long long v) {
  if (has) printf("%lld", v);
  else printf("NULL");
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    pq_file_meta *m;
    orb_err e;
    orb_err_clear(&e);
    if (pq_read_footer(argv[i], &m, &e) != ORB_OK) {
      printf("error %s\n", e.msg);
      continue;
    }
    printf("file %lld %d %s\n", (long long)m->num_rows, m->nrow_groups, m->created_by ? m->created_by : "NULL");
    for (int k = 0; k < m->nschema; k++) {
      const pq_schema_elem *s = &m->schema[k];
      printf("schema %s|%s|", s->name, s->type >= 0 ? pq_type_name(s->type) : "NULL");
      opt_i64(s->num_children >= 0, s->num_children);
      printf("|%s|", s->converted_type >= 0 ? pq_converted_type_name(s->converted_type) : "NULL");
      opt_i64(s->has_field_id, s->field_id);
      printf("\n");
    }
    for (int g = 0; g < m->nrow_groups; g++)
      for (int c = 0; c < m->row_groups[g].ncolumns; c++) {
        const pq_chunk *k = &m->row_groups[g].columns[c];
        printf("chunk %d|%d|", g, c);
        for (int p = 0; p < k->npath; p++) printf("%s%s", p ? ", " : "", k->path[p]);
        printf("|%s|%lld|%s|%lld|%lld|%lld|", pq_type_name(k->type), (long long)k->num_values, pq_codec_name(k->codec),
               (long long)k->total_compressed_size, (long long)k->total_uncompressed_size, (long long)k->data_page_offset);
        opt_i64(k->has_dictionary_page, k->dictionary_page_offset);
        printf("|");
        opt_i64(k->has_stats && k->stats.has_null_count, k->stats.null_count);
        printf("\n");
      }
    pq_meta_free(m);
  }
  return 0;
}
