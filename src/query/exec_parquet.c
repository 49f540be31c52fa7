/* query/exec_parquet.c — read_parquet('file') as a table function: each row
** group's columns are decoded whole (formats/parquet), then handed out row
** by row as SQL values.  A column is one of the file's top-level fields
** that can be read (pq_fields): a flat column's values by its type, a
** struct, list or map as the TEXT of its JSON (pq_nested_json), the
** engine's representation until it has nested types.  The file's columns
** must still be the ones the statement was bound against. */
#include "query/exec.h"
#include "formats/parquet/parquet.h"
#include "base/mem.h"

#include <string.h>

typedef struct pq_scan_op {
  oql_op op;
  const char *path;
  pq_file_meta *meta;
  pq_fields fields;
  bool have_fields;
  int *field_of;                /* the field of each column */
  pq_column *cols;              /* the current row group's flat columns */
  pq_nested_column *nested;     /* ... and nested ones */
  orb_buf *json;                /* per column: the current row's JSON */
  int group;                    /* current row group, -1 before the first */
  int64_t row, nrows;           /* position in it */
  orb_value *out;               /* the row handed out */
} pq_scan_op;

static const pq_shape *field(const pq_scan_op *s, int i) { return &s->fields.fields[s->field_of[i]]; }

static void drop_group(pq_scan_op *s) {
  if (!s->cols) return;
  for (int i = 0; i < s->op.ncols; i++) {
    pq_column_free(&s->cols[i]);
    if (s->nested[i].shape) pq_nested_free(&s->nested[i]);
  }
  orb_free(s->cols);
  orb_free(s->nested);
  s->cols = NULL;
  s->nested = NULL;
}

static void pq_close(oql_op *op, oql_rt *rt) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  drop_group(s);
  if (s->have_fields) pq_fields_free(&s->fields);
  s->have_fields = false;
  orb_free(s->field_of);
  s->field_of = NULL;
  if (s->json)
    for (int i = 0; i < op->ncols; i++) orb_buf_free(&s->json[i]);
  orb_free(s->json);
  s->json = NULL;
  pq_meta_free(s->meta);
  s->meta = NULL;
}

static orb_status pq_open(oql_op *op, oql_rt *rt, orb_err *e) {
  pq_scan_op *s = (pq_scan_op *)op;
  pq_close(op, rt);
  orb_status st = pq_read_footer(s->path, &s->meta, e);
  if (st == ORB_OK) st = pq_fields_build(s->meta, s->path, &s->fields, e);
  if (st != ORB_OK) return st;
  s->have_fields = true;
  s->field_of = orb_calloc((size_t)op->ncols + 1, sizeof(int));
  s->json = orb_calloc((size_t)op->ncols + 1, sizeof(orb_buf));
  int n = 0;
  bool same = true;
  for (int k = 0; same && k < s->fields.n; k++) {
    if (s->fields.errors[k]) continue;
    orb_type t;
    same = n < op->ncols && pq_field_sql_type(&s->fields.fields[k], &t, e) == ORB_OK && orb_type_equal(t, op->types[n]);
    if (same) s->field_of[n++] = k;
  }
  if (!same || n != op->ncols)
    return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "read_parquet: the columns of \"%s\" changed since the statement was prepared",
                        s->path);
  s->group = -1;
  s->row = s->nrows = 0;
  return ORB_OK;
}

/* Decode the next row group with rows; false at the end. */
static orb_status next_group(pq_scan_op *s, bool *more, orb_err *e) {
  drop_group(s);
  *more = false;
  while (++s->group < s->meta->nrow_groups) {
    const pq_row_group *rg = &s->meta->row_groups[s->group];
    if (rg->num_rows == 0) continue;
    s->cols = orb_calloc((size_t)s->op.ncols, sizeof *s->cols);
    s->nested = orb_calloc((size_t)s->op.ncols, sizeof *s->nested);
    for (int i = 0; i < s->op.ncols; i++) {
      const pq_shape *f = field(s, i);
      orb_status st;
      if (f->kind != PQ_SHAPE_VALUE) {   /* assembly checks its records against the row group */
        st = pq_read_nested(s->path, s->meta, f, s->group, 0, &s->nested[i], e);
      } else {
        st = pq_read_leaf_column(s->path, s->meta, s->group, f->leaf, 0, &s->cols[i], e);
        if (st == ORB_OK && s->cols[i].n != rg->num_rows)
          st = orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": column %d of row group %d has %lld values for %lld rows",
                            s->path, f->leaf, s->group, (long long)s->cols[i].n, (long long)rg->num_rows);
      }
      if (st != ORB_OK) return st;
    }
    s->row = 0;
    s->nrows = rg->num_rows;
    *more = true;
    return ORB_OK;
  }
  return ORB_OK;
}

static orb_status pq_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  *row = NULL;
  if (!s->meta) return ORB_OK;
  while (s->row >= s->nrows) {
    bool more;
    orb_status st = next_group(s, &more, e);
    if (st != ORB_OK || !more) return st;
  }
  for (int i = 0; i < op->ncols; i++) {
    const pq_shape *f = field(s, i);
    orb_status st;
    if (f->kind == PQ_SHAPE_VALUE) {
      st = pq_value_at(f->elem, &s->cols[i], s->row, op->types[i], &s->out[i], e);
    } else {
      bool isnull;
      orb_buf_reset(&s->json[i]);
      st = pq_nested_json(&s->nested[i], s->row, &s->json[i], &isnull, e);
      s->out[i] = isnull ? orb_null(ORB_T_TEXT) : orb_text(s->json[i].data, s->json[i].len);
    }
    if (st != ORB_OK) return st;
  }
  s->row++;
  *row = s->out;
  return ORB_OK;
}

static void pq_destroy(oql_op *op) { pq_close(op, NULL); }

/* The path, and the fields left out, read again from the footer. */
static void pq_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const pq_scan_op *s = (const pq_scan_op *)op;
  orb_buf_printf(head, " ('%s')", s->path);
  pq_file_meta *m;
  pq_fields f;
  orb_err e;
  if (pq_read_footer(s->path, &m, &e) != ORB_OK) return;
  if (pq_fields_build(m, s->path, &f, &e) == ORB_OK) {
    for (int k = 0; k < f.n; k++)
      if (f.errors[k]) orb_buf_printf(lines, "Skipped Field: %s (%s)\n", f.fields[k].name, f.errors[k]);
    pq_fields_free(&f);
  }
  pq_meta_free(m);
}

static const oql_op_vt pq_scan_vt = {"Function Scan on read_parquet", pq_open, pq_next, pq_close, pq_destroy,
                                     pq_explain};

oql_op *oql_parquet_scan_new(orb_arena *a, const char *path, int ncols, const orb_type *types) {
  pq_scan_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &pq_scan_vt;
  s->op.ncols = ncols;
  s->op.types = orb_arena_memdup(a, types, sizeof(orb_type) * (size_t)ncols);
  s->path = orb_arena_strdup(a, path);
  s->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)ncols);
  return &s->op;
}
