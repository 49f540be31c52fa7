/* tests/formats/pq_nested_dump.c — print each top-level nested field of a
** Parquet file (a struct, list or map; flat columns are not printed) as
** Orbit assembles it, one block per field:
**   col NAME
**   per record: NULL, or the record's JSON (pq_nested_json) on one line
** A field Orbit cannot read prints "skip NAME: reason".  With --levels: for
** every leaf column, "leaf N def=<max> rep=<max>" then "rep def value" per
** entry (the value as the SQL text, or NULL).  For parquet_nested_test.sh
** (against tests/interop/parquet_nested.mjs) and test_pq_nested.c.
** usage: pq_nested_dump [--levels] FILE */
#include <stdio.h>
#include <string.h>

#include "formats/parquet/parquet.h"
#include "base/buf.h"
#include "types/value.h"

static void dump_levels(const char *path, const pq_file_meta *m) {
  orb_err e;
  orb_buf b = ORB_BUF_INIT;
  int ncols = m->nrow_groups ? m->row_groups[0].ncolumns : 0;
  for (int c = 0; c < ncols; c++) {
    int elem, def, rep;
    if (pq_leaf_levels(m, path, c, &elem, &def, &rep, &e) != ORB_OK) {
      printf("skip leaf %d: %s\n", c, e.msg);
      continue;
    }
    printf("leaf %d def=%d rep=%d\n", c, def, rep);
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_column col;
      if (pq_read_leaf_column(path, m, g, c, 0, &col, &e) != ORB_OK) {
        printf("skip leaf %d: %s\n", c, e.msg);
        pq_column_free(&col);
        break;
      }
      orb_type t;
      bool typed = pq_sql_type(&m->schema[elem], &t, &e) == ORB_OK;
      for (int64_t i = 0; i < col.n; i++) {
        orb_value v;
        printf("%d %d ", col.rep ? col.rep[i] : 0, pq_def_level(&col, i));
        if (col.nulls[i] || !typed || pq_value_at(&m->schema[elem], &col, i, t, &v, &e) != ORB_OK) {
          printf("NULL\n");
          continue;
        }
        orb_buf_reset(&b);
        orb_value_to_text(&v, &b);
        printf("%.*s\n", (int)b.len, b.data);
      }
      pq_column_free(&col);
    }
  }
  orb_buf_free(&b);
}

int main(int argc, char **argv) {
  bool levels = argc == 3 && strcmp(argv[1], "--levels") == 0;
  if (argc != 2 && !levels) return 2;
  const char *path = argv[argc - 1];
  pq_file_meta *m;
  orb_err e;
  orb_err_clear(&e);
  if (pq_read_footer(path, &m, &e) != ORB_OK) {
    printf("error %s\n", e.msg);
    return 0;
  }
  if (levels) {
    dump_levels(path, m);
    pq_meta_free(m);
    return 0;
  }
  pq_fields f;
  if (pq_fields_build(m, path, &f, &e) != ORB_OK) {
    printf("error %s\n", e.msg);
    pq_meta_free(m);
    return 0;
  }
  orb_buf b = ORB_BUF_INIT;
  for (int k = 0; k < f.n; k++) {
    const pq_shape *s = &f.fields[k];
    if (!f.errors[k] && s->kind == PQ_SHAPE_VALUE) continue;   /* a flat column */
    printf("col %s\n", s->name);
    if (f.errors[k]) {
      printf("skip %s: %s\n", s->name, f.errors[k]);
      continue;
    }
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_nested_column col;
      if (pq_read_nested(path, m, s, g, 0, &col, &e) != ORB_OK) {
        printf("skip %s: %s\n", s->name, e.msg);
        pq_nested_free(&col);
        break;
      }
      for (int64_t r = 0; r < col.n; r++) {
        bool isnull;
        orb_buf_reset(&b);
        if (pq_nested_json(&col, r, &b, &isnull, &e) != ORB_OK) {
          printf("skip %s: %s\n", s->name, e.msg);
          break;
        }
        if (isnull) printf("NULL\n");
        else printf("%.*s\n", (int)b.len, b.data);
      }
      pq_nested_free(&col);
    }
  }
  orb_buf_free(&b);
  pq_fields_free(&f);
  pq_meta_free(m);
  return 0;
}
