/* query/exec_copy_parquet.c — COPY ... TO 'file' (FORMAT parquet): the
** rows of a table or query written by the Parquet writer
** (formats/parquet/parquet.h) with the columns' SQL types, every column
** nullable, field ids 1..n in column order, as DuckDB's COPY names its
** options: COMPRESSION (zstd by default, snappy, gzip, uncompressed) and
** ROW_GROUP_SIZE (rows).  Rows go to the writer in batches of column
** arrays; a batch's strings are copied into an arena that is reset after
** it is written, so memory stays bounded by the writer's row group.
**
** COPY t [(cols)] FROM 'file' (FORMAT parquet): the file read as
** read_parquet reads it (the scan is made when the statement is bound, with
** the file's columns), its columns matched to the table's by position as
** PostgreSQL's COPY matches a file's fields, each value cast to its
** column's type (an error names the column and the row), the rows inserted
** a batch at a time through the statement's write set: a failure anywhere
** leaves the table as it was. */
#include "query/bound.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "formats/parquet/parquet.h"

#define PQ_COPY_BATCH 2048

orb_status oql_copy_from_parquet(orb_table *t, const int *cols, int ncols, orb_expr **defaults, oql_op *src,
                                 const char *const *names, oql_rt *rt, int64_t *rows, orb_err *e) {
  *rows = 0;
  int n = t->schema.ncols;
  orb_arena a, defarena;
  orb_arena_init(&a, 65536);
  orb_arena_init(&defarena, 1024);
  const orb_value **batch = orb_malloc(sizeof(orb_value *) * PQ_COPY_BATCH);
  int nb = 0;
  orb_value *defrow;
  orb_status st = oql_copy_default_row(t, defaults, rt, &defarena, &defrow, e);
  if (st == ORB_OK) st = oql_op_open(src, rt, e);
  while (st == ORB_OK) {
    const orb_value *in;
    if ((st = oql_op_next(src, rt, &in, e)) != ORB_OK) break;
    if (in) {
      /* copies: the scan's values live only until its next row group */
      orb_value *row = orb_arena_alloc(&a, sizeof(orb_value) * (size_t)n);
      memcpy(row, defrow, sizeof(orb_value) * (size_t)n);
      for (int i = 0; i < ncols && st == ORB_OK; i++) {
        const orb_column *col = &t->schema.cols[cols[i]];
        if (orb_type_equal(src->types[i], col->type)) {
          row[cols[i]] = orb_value_copy(&in[i], &a);
          continue;
        }
        orb_value v;
        st = orb_value_cast(&in[i], col->type, &a, &v, e);
        if (st == ORB_OK) {
          row[cols[i]] = orb_value_copy(&v, &a);
        } else {
          size_t ml = strlen(e->msg);
          snprintf(e->msg + ml, sizeof e->msg - ml, " (COPY %s, row %lld, column %s from the file's column %s)", t->name,
                   (long long)(*rows + nb + 1), col->name, names[i]);
        }
      }
      if (st != ORB_OK) break;
      batch[nb++] = row;
      orb_arena_reset(&rt->tmp);
    }
    if (nb == PQ_COPY_BATCH || (!in && nb > 0)) {
      st = oql_check_rows(t, rt, batch, (size_t)nb, e);
      if (st == ORB_OK) st = orb_table_insert(t, rt->ws, batch, nb, e);
      *rows += nb;
      nb = 0;
      orb_arena_reset(&a);
    }
    if (!in) break;
  }
  oql_op_close(src, rt);
  orb_free(batch);
  orb_arena_free(&a);
  orb_arena_free(&defarena);
  return st;
}

orb_status oql_copy_to_parquet(oql_op *src, int ncols, const char *const *names, const char *path,
                               const oql_copy_opts *o, oql_rt *rt, int64_t *rows, orb_err *e) {
  *rows = 0;
  pq_write_opts wo;
  pq_write_opts_init(&wo);
  wo.codec = o->pq_codec;
  if (o->pq_row_group_size > 0) wo.row_group_rows = o->pq_row_group_size;
  pq_write_column *cols = orb_calloc((size_t)ncols, sizeof *cols);
  for (int i = 0; i < ncols; i++)
    cols[i] = (pq_write_column){.name = names && names[i] ? names[i] : "?column?", .type = src->types[i], .nullable = true,
                                .field_id = i + 1};
  pq_writer *w = NULL;
  orb_status st = pq_writer_open(path, cols, ncols, &wo, &w, e);
  orb_free(cols);
  if (st != ORB_OK) return st;
  orb_value **batch = orb_calloc((size_t)ncols, sizeof *batch);
  for (int i = 0; i < ncols; i++) batch[i] = orb_malloc(sizeof(orb_value) * PQ_COPY_BATCH);
  orb_value *row_copy = orb_malloc(sizeof(orb_value) * (size_t)(ncols ? ncols : 1));
  orb_arena a;
  orb_arena_init(&a, 65536);
  int n = 0;
  st = oql_op_open(src, rt, e);
  while (st == ORB_OK) {
    const orb_value *row;
    if ((st = oql_op_next(src, rt, &row, e)) != ORB_OK) break;
    if (row) {
      oql_row_copy(row_copy, row, ncols, &a);
      for (int i = 0; i < ncols; i++) batch[i][n] = row_copy[i];
      n++;
      (*rows)++;
      orb_arena_reset(&rt->tmp);
    }
    if (n == PQ_COPY_BATCH || (!row && n > 0)) {
      st = pq_writer_write(w, (const orb_value *const *)batch, n, e);
      n = 0;
      orb_arena_reset(&a);
    }
    if (!row) break;
  }
  oql_op_close(src, rt);
  if (st == ORB_OK) {
    st = pq_writer_close(w, e);
  } else {
    pq_writer_abort(w);
  }
  if (st != ORB_OK) unlink(path);   /* no half-written file left behind */
  for (int i = 0; i < ncols; i++) orb_free(batch[i]);
  orb_free(batch);
  orb_free(row_copy);
  orb_arena_free(&a);
  return st;
}
