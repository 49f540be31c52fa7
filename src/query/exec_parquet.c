/* query/exec_parquet.c — read_parquet(files) as a table function: the files
** one after the other, each row group's columns decoded whole
** (formats/parquet), then handed out row by row as SQL values.  Each file's
** schema must still be the one the statement was bound against. */
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
  pq_column *cols;              /* the current row group's columns */
  int group;                    /* current row group, -1 before the first */
  int64_t row, nrows;           /* position in it */
  orb_value *out;               /* the row handed out */
} pq_scan_op;

static void drop_group(pq_scan_op *s) {
  if (!s->cols) return;
  for (int i = 0; i < s->op.ncols; i++) pq_column_free(&s->cols[i]);
  orb_free(s->cols);
  s->cols = NULL;
}

static void pq_close(oql_op *op, oql_rt *rt) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  drop_group(s);
  pq_meta_free(s->meta);
  s->meta = NULL;
}

/* Open the next file's footer; it must still have the columns the
** statement was bound against (files may change between executions). */
static orb_status next_file(pq_scan_op *s, orb_err *e) {
  drop_group(s);
  pq_meta_free(s->meta);
  s->meta = NULL;
  const char *path = s->paths[++s->file];
  orb_status st = pq_read_footer(path, &s->meta, e);
  if (st != ORB_OK) return st;
  bool same = s->meta->nschema == s->op.ncols + 1;
  for (int i = 0; same && i < s->op.ncols; i++) {
    orb_type t;
    same = pq_sql_type(&s->meta->schema[i + 1], &t, e) == ORB_OK && orb_type_equal(t, s->op.types[i]);
  }
  if (!same)
    return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "read_parquet: the columns of \"%s\" changed since the statement was prepared",
                        path);
  s->group = -1;
  s->row = s->nrows = 0;
  return ORB_OK;
}

static orb_status pq_open(oql_op *op, oql_rt *rt, orb_err *e) {
  pq_scan_op *s = (pq_scan_op *)op;
  pq_close(op, rt);
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
    s->cols = orb_calloc((size_t)s->op.ncols, sizeof *s->cols);
    for (int i = 0; i < s->op.ncols; i++) {
      const char *path = s->paths[s->file];
      orb_status st = pq_read_flat_column(path, s->meta, s->group, i, 0, &s->cols[i], e);
      if (st == ORB_OK && s->cols[i].n != rg->num_rows)
        st = orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": column %d of row group %d has %lld values for %lld rows",
                          path, i, s->group, (long long)s->cols[i].n, (long long)rg->num_rows);
      if (st != ORB_OK) return st;
    }
    s->row = 0;
    s->nrows = rg->num_rows;
    *more = true;
    return ORB_OK;
  }
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
    orb_status st = pq_value_at(&s->meta->schema[i + 1], &s->cols[i], s->row, op->types[i], &s->out[i], e);
    if (st != ORB_OK) return st;
  }
  s->row++;
  *row = s->out;
  return ORB_OK;
}

static void pq_destroy(oql_op *op) { pq_close(op, NULL); }

static void pq_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)lines;
  const pq_scan_op *s = (const pq_scan_op *)op;
  orb_buf_printf(head, " ('%s'", s->paths[0]);
  if (s->npaths > 1) orb_buf_printf(head, " and %d more files", s->npaths - 1);
  orb_buf_putc(head, ')');
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
  s->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)ncols);
  return &s->op;
}
