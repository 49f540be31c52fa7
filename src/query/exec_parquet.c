/* query/exec_parquet.c — read_parquet(files) as a table function: the files
** one after the other, each row group's columns decoded whole
** (formats/parquet), then handed out row by row as SQL values, converted a
** batch of rows at a time.  A column is one of a file's top-level fields
** that can be read (pq_fields): a flat column's values by its type, a
** struct, list or map as the TEXT of its JSON (pq_nested_json), the
** engine's representation until it has nested types.  Each file's columns
** must still be the ones the statement was bound against. */
#include "query/exec.h"
#include "formats/parquet/parquet.h"
#include "base/mem.h"

#include <string.h>

typedef struct pq_scan_op {
  oql_op op;
  const char **paths;
  int npaths;
  int file;                     /* index of the file being read, -1 before the first */
  pq_file_meta *meta;           /* its footer */
  pq_fields fields;             /* its top-level fields */
  bool have_fields;
  int *field_of;                /* the field of each column */
  pq_column *cols;              /* the current row group's flat columns */
  pq_nested_column *nested;     /* ... and nested ones */
  int group;                    /* current row group, -1 before the first */
  int64_t row, nrows;           /* position in it */
  orb_value *batch;             /* rows row - brow .. converted to SQL values, row-major */
  int brow, bn;                 /* next row of the batch to hand out, rows in it */
  orb_buf json;                 /* a nested value's JSON while it is rendered */
  orb_arena texts;              /* the batch's JSON texts */
} pq_scan_op;

/* Rows converted to SQL values at a time: one conversion call per column
** and batch rather than one per value. */
#define PQ_SCAN_BATCH 256

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

static void drop_file(pq_scan_op *s) {
  drop_group(s);
  if (s->have_fields) pq_fields_free(&s->fields);
  s->have_fields = false;
  pq_meta_free(s->meta);
  s->meta = NULL;
}

static void pq_close(oql_op *op, oql_rt *rt) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  drop_file(s);
  orb_free(s->field_of);
  s->field_of = NULL;
  orb_buf_free(&s->json);
  orb_arena_free(&s->texts);
}

/* Open the next file's footer; it must still have the columns the
** statement was bound against (files may change between executions). */
static orb_status next_file(pq_scan_op *s, orb_err *e) {
  drop_file(s);
  const char *path = s->paths[++s->file];
  orb_status st = pq_read_footer(path, &s->meta, e);
  if (st == ORB_OK) st = pq_fields_build(s->meta, path, &s->fields, e);
  if (st != ORB_OK) return st;
  s->have_fields = true;
  int n = 0;
  bool same = true;
  for (int k = 0; same && k < s->fields.n; k++) {
    if (s->fields.errors[k]) continue;
    orb_type t;
    same = n < s->op.ncols && pq_field_sql_type(&s->fields.fields[k], &t, e) == ORB_OK && orb_type_equal(t, s->op.types[n]);
    if (same) s->field_of[n++] = k;
  }
  if (!same || n != s->op.ncols)
    return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "read_parquet: the columns of \"%s\" changed since the statement was prepared",
                        path);
  s->group = -1;
  s->row = s->nrows = 0;
  s->brow = s->bn = 0;
  return ORB_OK;
}

static orb_status pq_open(oql_op *op, oql_rt *rt, orb_err *e) {
  pq_scan_op *s = (pq_scan_op *)op;
  pq_close(op, rt);
  s->field_of = orb_calloc((size_t)op->ncols + 1, sizeof(int));
  orb_arena_init(&s->texts, 65536);
  s->file = -1;
  return next_file(s, e);
}

/* Decode the next row group with rows, going on to the next file at the
** end of one; false at the end of the last. */
static orb_status next_group(pq_scan_op *s, bool *more, orb_err *e) {
  drop_group(s);
  *more = false;
  for (;;) {
    if (s->group + 1 >= s->meta->nrow_groups) {
      if (s->file + 1 >= s->npaths) return ORB_OK;
      orb_status st = next_file(s, e);
      if (st != ORB_OK) return st;
      continue;
    }
    s->group++;
    const pq_row_group *rg = &s->meta->row_groups[s->group];
    if (rg->num_rows == 0) continue;
    const char *path = s->paths[s->file];
    s->cols = orb_calloc((size_t)s->op.ncols, sizeof *s->cols);
    s->nested = orb_calloc((size_t)s->op.ncols, sizeof *s->nested);
    for (int i = 0; i < s->op.ncols; i++) {
      const pq_shape *f = field(s, i);
      orb_status st;
      if (f->kind != PQ_SHAPE_VALUE) {   /* assembly checks its records against the row group */
        st = pq_read_nested(path, s->meta, f, s->group, 0, &s->nested[i], e);
      } else {
        st = pq_read_leaf_column(path, s->meta, s->group, f->leaf, 0, &s->cols[i], e);
        if (st == ORB_OK && s->cols[i].n != rg->num_rows)
          st = orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": column %d of row group %d has %lld values for %lld rows",
                            path, f->leaf, s->group, (long long)s->cols[i].n, (long long)rg->num_rows);
      }
      if (st != ORB_OK) return st;
    }
    s->row = 0;
    s->brow = s->bn = 0;
    s->nrows = rg->num_rows;
    *more = true;
    return ORB_OK;
  }
}

/* Rows row .. row+n-1 of nested column i as JSON texts in the batch. */
static orb_status nested_batch(pq_scan_op *s, int i, int64_t n, orb_err *e) {
  orb_value *out = s->batch + i;
  for (int64_t r = 0; r < n; r++, out += s->op.ncols) {
    bool isnull;
    orb_buf_reset(&s->json);
    orb_status st = pq_nested_json(&s->nested[i], s->row + r, &s->json, &isnull, e);
    if (st != ORB_OK) return st;
    *out = isnull ? orb_null(ORB_T_TEXT)
                  : orb_text(orb_arena_strndup(&s->texts, s->json.data, s->json.len), s->json.len);
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
  if (s->brow >= s->bn) {
    int64_t n = s->nrows - s->row < PQ_SCAN_BATCH ? s->nrows - s->row : PQ_SCAN_BATCH;
    orb_arena_reset(&s->texts);
    for (int i = 0; i < op->ncols; i++) {
      const pq_shape *f = field(s, i);
      orb_status st = f->kind == PQ_SHAPE_VALUE
                          ? pq_values_at(f->elem, &s->cols[i], s->row, n, op->types[i], s->batch + i, (size_t)op->ncols, e)
                          : nested_batch(s, i, n, e);
      if (st != ORB_OK) return st;
    }
    s->brow = 0;
    s->bn = (int)n;
  }
  *row = s->batch + (size_t)s->brow++ * (size_t)op->ncols;
  s->row++;
  return ORB_OK;
}

static void pq_destroy(oql_op *op) { pq_close(op, NULL); }

/* The files, and the fields of the first left out, read again from its footer. */
static void pq_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const pq_scan_op *s = (const pq_scan_op *)op;
  orb_buf_printf(head, " ('%s'", s->paths[0]);
  if (s->npaths > 1) orb_buf_printf(head, " and %d more files", s->npaths - 1);
  orb_buf_putc(head, ')');
  pq_file_meta *m;
  pq_fields f;
  orb_err e;
  if (pq_read_footer(s->paths[0], &m, &e) != ORB_OK) return;
  if (pq_fields_build(m, s->paths[0], &f, &e) == ORB_OK) {
    for (int k = 0; k < f.n; k++)
      if (f.errors[k]) orb_buf_printf(lines, "Skipped Field: %s (%s)\n", f.fields[k].name, f.errors[k]);
    pq_fields_free(&f);
  }
  pq_meta_free(m);
}

static const oql_op_vt pq_scan_vt = {"Function Scan on read_parquet", pq_open, pq_next, pq_close, pq_destroy,
                                     pq_explain};

oql_op *oql_parquet_scan_new(orb_arena *a, const char *const *paths, int npaths, int ncols, const orb_type *types) {
  pq_scan_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &pq_scan_vt;
  s->op.ncols = ncols;
  s->op.types = orb_arena_memdup(a, types, sizeof(orb_type) * (size_t)ncols);
  s->paths = orb_arena_alloc(a, sizeof(char *) * (size_t)npaths);
  for (int i = 0; i < npaths; i++) s->paths[i] = orb_arena_strdup(a, paths[i]);
  s->npaths = npaths;
  s->batch = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)ncols * PQ_SCAN_BATCH);
  return &s->op;
}
