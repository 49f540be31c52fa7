/* query/exec_parquet.c — read_parquet(files) as a table function: the files
** one after the other, row group after row group, each flat column decoded
** page by page as the rows handed out reach it (pq_column_stream: about a
** page of each column in memory, not the group; nested fields are
** assembled a group at a time), then handed out row by row as SQL values, converted a
** batch of rows at a time, or as column batches (exec_vec.h: the decoded
** arrays themselves where they hold the SQL values as they are, the rest
** converted a batch at a time).  A column is one of a file's top-level fields
** that can be read (pq_fields): a flat column's values by its type, a list
** of a primitive as an array, a struct, map or other list as the TEXT of
** its JSON (pq_nested_value), the engine's representation until it has
** nested types.  Each file's columns
** must still be the ones the statement was bound against.  With
** constraints from the WHERE clause, each file is first asked (pq_prune)
** which row groups and row ranges can match: the others are never decoded.
** Within a kept group, a column with an offset index has only the pages
** that hold those rows decoded; its values then map to rows by page.
** Columns the query does not use (oql_parquet_scan_project) are never read:
** their chunks' bytes are not even fetched, and they show as NULL. */
#include "query/exec_vec.h"
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
  pq_column_stream *streams;    /* the current row group's flat columns, decoded page by page as rows are
                                   handed out (their memory kept from group to group) */
  pq_column *cols;              /* ... or, for a column read in the page index's ranges only, those pages */
  pq_nested_column *nested;     /* ... and nested ones */
  int group;                    /* current row group, -1 before the first */
  int64_t row, nrows;           /* position in it */
  orb_value *batch;             /* rows row - brow .. converted to SQL values, row-major */
  int brow, bn;                 /* next row of the batch to hand out, rows in it */
  int64_t *at;                  /* scratch: each column's value position for a batch's first row */
  pq_pred *preds;               /* pruning constraints on columns, NULL if none */
  int npreds;
  pq_pred *file_preds;          /* the same on the current file's leaves */
  orb_arena file_arena;         /* their AND/OR operands */
  pq_prune_result prune;        /* the current file's verdicts (when preds) */
  bool pruned;
  const pq_group_plan *plan;    /* the current group's, NULL: every row */
  int range;                    /* the plan's range the next row is in or before */
  pq_prune_counts counts;       /* summed over files and executions (EXPLAIN ANALYZE) */
  bool *unused;                 /* per column: not read (NULL: every column is read) */
  struct page_map *maps;        /* per column, when only some pages were decoded */
  orb_arena texts;              /* the batch's JSON texts */
  /* column batches (pq_next_vec), allocated by the first */
  orb_vbuf vbuf;                /* converted values (all NULL for an unused column) */
} pq_scan_op;

/* Rows converted to SQL values at a time: one conversion call per column
** and batch rather than one per value. */
#define PQ_SCAN_BATCH 256

static const pq_shape *field(const pq_scan_op *s, int i) { return &s->fields.fields[s->field_of[i]]; }

/* The leaf of column i in the current file, for constraints on flat
** columns only (a nested field's JSON text has no statistics). */
static int leaf_of(const void *ctx, int i) {
  const pq_scan_op *s = ctx;
  if (i < 0 || i >= s->op.ncols) return -1;
  const pq_shape *f = field(s, i);
  return f->kind == PQ_SHAPE_VALUE ? f->leaf : -1;
}

/* A column decoded page by page: its values are rows [first[k], first[k] +
** count[k]) of the group, at positions at[k].. of the column. */
typedef struct page_map {
  int64_t *first, *count, *at;
  int n, cur;                   /* cur: the span the last row looked up was in */
} page_map;

/* Whether flat column i of the current group is read from its stream
** (not from the pages of the page index's ranges, read_pages). */
#define STREAMED(s, i) (!(s)->maps || !(s)->maps[i].first)

/* Flat column i's decoded values: at[i] indexes them. */
static const pq_column *flat_col(const pq_scan_op *s, int i) { return STREAMED(s, i) ? s->streams[i].col : &s->cols[i]; }

static void drop_group(pq_scan_op *s) {
  if (s->maps) {
    for (int i = 0; i < s->op.ncols; i++) orb_free(s->maps[i].first);
    orb_free(s->maps);
    s->maps = NULL;
  }
  /* flat columns keep their memory for the next group's chunks */
  for (int i = 0; s->nested && i < s->op.ncols; i++)
    if (s->nested[i].shape) pq_nested_free(&s->nested[i]);
  for (int i = 0; s->streams && i < s->op.ncols; i++) pq_stream_close(&s->streams[i]);
}

/* Decode only the pages of flat column i (of the current group) that hold
** rows of the plan's ranges; *done false when the column has no offset
** index, the file has nested fields or the chunk has an encoding read whole
** chunks at a time: then read it whole. */
static orb_status read_pages(pq_scan_op *s, int i, bool *done, orb_err *e) {
  *done = false;
  int leaf = field(s, i)->leaf;
  const pq_row_group *rg = &s->meta->row_groups[s->group];
  if (s->meta->nschema != rg->ncolumns + 1) return ORB_OK;
  const pq_chunk *c = &rg->columns[leaf];
  if (!c->has_offset_index) return ORB_OK;
  for (int k = 0; k < c->nencodings; k++)
    if (c->encodings[k] == 7) return ORB_OK;   /* DELTA_BYTE_ARRAY continues across pages */
  pq_source src = {s->paths[s->file], NULL, 0};
  orb_arena a;
  orb_arena_init(&a, 0);
  pq_offset_index oi;
  orb_status st = pq_read_offset_index(&src, s->meta, s->group, leaf, 0, &a, &oi, e);
  int64_t rows = s->meta->row_groups[s->group].num_rows;
  bool *want = orb_arena_zalloc(&a, (size_t)oi.npages + 1);
  page_map *pm = &s->maps[i];
  if (st == ORB_OK && oi.npages > 0) {
    pm->first = orb_malloc(sizeof(int64_t) * 3 * (size_t)(oi.npages + 1));
    pm->count = pm->first + oi.npages + 1;
    pm->at = pm->count + oi.npages + 1;
    int r = 0;
    int64_t at = 0;
    for (int k = 0; k < oi.npages; k++) {
      int64_t lo = oi.pages[k].first_row_index, hi = k + 1 < oi.npages ? oi.pages[k + 1].first_row_index : rows;
      while (r < s->plan->nranges && s->plan->ranges[r].first + s->plan->ranges[r].count <= lo) r++;
      want[k] = r < s->plan->nranges && s->plan->ranges[r].first < hi && hi > lo;
      if (!want[k]) continue;
      pm->first[pm->n] = lo, pm->count[pm->n] = hi - lo, pm->at[pm->n] = at;
      at += hi - lo;
      pm->n++;
    }
    st = pq_read_flat_pages(&src, s->meta, s->group, leaf, 0, &oi, want, &s->cols[i], e);
    *done = st == ORB_OK;
  }
  orb_arena_free(&a);
  return st;
}

/* The position of the current row's value in column i. */
static int64_t value_index(pq_scan_op *s, int i) {
  page_map *pm = s->maps ? &s->maps[i] : NULL;
  if (!pm || !pm->first) return s->row;
  while (pm->cur < pm->n && pm->first[pm->cur] + pm->count[pm->cur] <= s->row) pm->cur++;
  if (pm->cur >= pm->n || s->row < pm->first[pm->cur]) return -1;   /* not decoded: a bug */
  return pm->at[pm->cur] + (s->row - pm->first[pm->cur]);
}

static void drop_prune(pq_scan_op *s) {
  if (s->pruned) pq_prune_free(&s->prune);
  s->pruned = false;
  s->plan = NULL;
}

static void drop_file(pq_scan_op *s) {
  drop_group(s);
  drop_prune(s);
  if (s->have_fields) pq_fields_free(&s->fields);
  s->have_fields = false;
  pq_meta_free(s->meta);
  s->meta = NULL;
}

static void pq_close(oql_op *op, oql_rt *rt) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  drop_file(s);
  for (int i = 0; s->cols && i < op->ncols; i++) pq_column_free(&s->cols[i]);
  for (int i = 0; s->streams && i < op->ncols; i++) pq_stream_free(&s->streams[i]);
  orb_free(s->cols);
  orb_free(s->streams);
  orb_free(s->nested);
  s->cols = NULL;
  s->streams = NULL;
  s->nested = NULL;
  orb_free(s->field_of);
  s->field_of = NULL;
  orb_free(s->file_preds);
  s->file_preds = NULL;
  orb_arena_free(&s->texts);
  orb_arena_free(&s->file_arena);
}

static void add_counts(pq_prune_counts *t, const pq_prune_counts *c) {
  t->groups += c->groups, t->groups_kept += c->groups_kept;
  t->groups_by_stats += c->groups_by_stats, t->groups_by_bloom += c->groups_by_bloom;
  t->groups_by_dict += c->groups_by_dict, t->groups_by_pages += c->groups_by_pages;
  t->pages += c->pages, t->pages_skipped += c->pages_skipped;
  t->rows += c->rows, t->rows_skipped += c->rows_skipped;
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
  /* constraints on the file's leaves */
  int np = 0;
  orb_arena_reset(&s->file_arena);
  for (int i = 0; i < s->npreds; i++)
    if (pq_pred_map_cols(&s->file_arena, &s->preds[i], leaf_of, s, &s->file_preds[np])) np++;
  if (np) {
    pq_source src = {path, NULL, 0};
    if ((st = pq_prune(&src, s->meta, s->file_preds, np, PQ_PRUNE_ALL, 0, &s->prune, e)) != ORB_OK) return st;
    s->pruned = true;
    add_counts(&s->counts, &s->prune.counts);
  }
  return ORB_OK;
}

static orb_status pq_open(oql_op *op, oql_rt *rt, orb_err *e) {
  pq_scan_op *s = (pq_scan_op *)op;
  pq_close(op, rt);
  s->field_of = orb_calloc((size_t)op->ncols + 1, sizeof(int));
  s->cols = orb_calloc((size_t)op->ncols + 1, sizeof *s->cols);
  s->streams = orb_calloc((size_t)op->ncols + 1, sizeof *s->streams);
  s->nested = orb_calloc((size_t)op->ncols + 1, sizeof *s->nested);
  s->file_preds = orb_calloc((size_t)s->npreds + 1, sizeof(pq_pred));
  orb_arena_init(&s->texts, 65536);
  orb_arena_init(&s->file_arena, 0);
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
    s->plan = s->pruned ? &s->prune.groups[s->group] : NULL;
    s->range = 0;
    if (s->plan && !s->plan->keep) continue;
    const char *path = s->paths[s->file];
    memset(s->nested, 0, sizeof *s->nested * (size_t)s->op.ncols);
    /* some rows ruled out by the page index: decode only the pages of the rest */
    bool partial = s->plan && !(s->plan->nranges == 1 && s->plan->ranges[0].count == rg->num_rows);
    if (partial) s->maps = orb_calloc((size_t)s->op.ncols, sizeof *s->maps);
    for (int i = 0; i < s->op.ncols; i++) {
      const pq_shape *f = field(s, i);
      orb_status st;
      if (s->unused && s->unused[i]) continue;
      if (f->kind != PQ_SHAPE_VALUE) {   /* assembly checks its records against the row group */
        if ((st = pq_read_nested(path, s->meta, f, s->group, 0, &s->nested[i], e)) != ORB_OK) return st;
        continue;
      }
      bool done = false;
      if (partial) {   /* pq_read_flat_pages starts the column afresh */
        pq_column_free(&s->cols[i]);
        if ((st = read_pages(s, i, &done, e)) != ORB_OK) return st;
        if (done) continue;
      }
      pq_source src = {path, NULL, 0};
      st = pq_stream_open(&s->streams[i], &src, s->meta, s->group, f->leaf, 0, e);
      if (st == ORB_OK && s->streams[i].total != rg->num_rows)
        st = orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": column %d of row group %d has %lld values for %lld rows",
                          path, f->leaf, s->group, (long long)s->streams[i].total, (long long)rg->num_rows);
      if (st != ORB_OK) return st;
    }
    s->row = 0;
    s->brow = s->bn = 0;
    s->nrows = rg->num_rows;
    *more = true;
    return ORB_OK;
  }
}

/* n rows of nested column i from row `at` (arrays, or JSON texts), value k at out[k * stride]. */
static orb_status nested_values(pq_scan_op *s, int i, int64_t at, int64_t n, orb_value *out, size_t stride, orb_err *e) {
  for (int64_t r = 0; r < n; r++, out += stride) {
    orb_status st = pq_nested_value(&s->nested[i], at + r, s->op.types[i], &s->texts, out, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

/* Column i's n values from position at as SQL values, value k at out[k * stride]. */
static orb_status column_values(pq_scan_op *s, int i, int64_t at, int64_t n, orb_value *out, size_t stride, orb_err *e) {
  const pq_shape *f = field(s, i);
  return f->kind == PQ_SHAPE_VALUE ? pq_values_at(f->elem, flat_col(s, i), at, n, s->op.types[i], out, stride, e)
                                   : nested_values(s, i, at, n, out, stride, e);
}

/* Position on the next rows to hand out, unless the files are at their
** end (*n = 0): *n (at most max) consecutive rows from s->row, inside one
** candidate range and, for a column read page by page, inside one of its
** pages; s->at[i] is where column i's values for them start. */
static orb_status next_span(pq_scan_op *s, int64_t max, int64_t *n, orb_err *e) {
  oql_op *op = &s->op;
  *n = 0;
  if (!s->meta) return ORB_OK;
  for (;;) {
    /* rows outside the page index's ranges cannot match: step over them */
    const pq_group_plan *pl = s->plan;
    while (pl && s->row < s->nrows) {
      if (s->range >= pl->nranges) s->row = s->nrows;
      else if (s->row >= pl->ranges[s->range].first + pl->ranges[s->range].count) s->range++;
      else {
        if (s->row < pl->ranges[s->range].first) s->row = pl->ranges[s->range].first;
        break;
      }
    }
    if (s->row < s->nrows) break;
    bool more;
    orb_status st = next_group(s, &more, e);
    if (st != ORB_OK || !more) return st;
  }
  int64_t m = s->nrows - s->row < max ? s->nrows - s->row : max;
  if (s->plan) {
    int64_t left = s->plan->ranges[s->range].first + s->plan->ranges[s->range].count - s->row;
    if (left < m) m = left;
  }
  for (int i = 0; i < op->ncols; i++) {
    if (s->unused && s->unused[i]) continue;
    if (field(s, i)->kind == PQ_SHAPE_VALUE && STREAMED(s, i)) {   /* rows row .. row + m - 1 into its window */
      pq_column_stream *cs = &s->streams[i];
      orb_status st = pq_stream_need(cs, s->row, m, e);
      if (st != ORB_OK) return st;
      s->at[i] = s->row - cs->first;
      continue;
    }
    s->at[i] = value_index(s, i);
    if (s->at[i] < 0)
      return orb_err_set(e, ORB_ERR_INTERNAL, "read_parquet: row %lld of row group %d of \"%s\" was not decoded",
                         (long long)s->row, s->group, s->paths[s->file]);
    const page_map *pm = s->maps ? &s->maps[i] : NULL;
    if (pm && pm->first) {
      int64_t left = pm->first[pm->cur] + pm->count[pm->cur] - s->row;
      if (left < m) m = left;
    }
  }
  *n = m;
  return ORB_OK;
}

/* Make sure the batch has rows left to hand out (converting the next
** ones), unless the files are at their end. */
static orb_status fill(pq_scan_op *s, orb_err *e) {
  oql_op *op = &s->op;
  if (s->brow < s->bn) return ORB_OK;
  int64_t n;
  orb_status st = next_span(s, PQ_SCAN_BATCH, &n, e);
  if (st != ORB_OK || n == 0) return st;   /* at the end: brow >= bn still */
  orb_arena_reset(&s->texts);
  for (int i = 0; i < op->ncols; i++) {
    if (s->unused && s->unused[i]) continue;   /* its NULLs stay in the batch */
    if ((st = column_values(s, i, s->at[i], n, s->batch + i, (size_t)op->ncols, e)) != ORB_OK) return st;
  }
  s->brow = 0;
  s->bn = (int)n;
  return ORB_OK;
}

/* The next column batch (oql_op_vt.next_vec): the decoded columns' own
** arrays where they hold the SQL values as they are (pq_values_direct),
** values converted into the column's buffer of the batch otherwise. */
static orb_status pq_next_vec(oql_op *op, oql_rt *rt, const orb_vbatch **b, orb_err *e) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  *b = NULL;
  s->brow = s->bn = 0;   /* a consumer takes rows one way or the other, not both */
  int64_t n;
  if (!s->vbuf.vals) orb_vbuf_init(&s->vbuf, op->ncols, op->types);
  orb_status st = next_span(s, ORB_VEC_MAX, &n, e);
  if (st != ORB_OK || n == 0) return st;
  orb_arena_reset(&s->texts);
  for (int i = 0; i < op->ncols; i++) {
    if (s->unused && s->unused[i]) {
      orb_vbuf_all_null(&s->vbuf, i);
      continue;
    }
    const pq_shape *f = field(s, i);
    if (f->kind == PQ_SHAPE_VALUE && pq_values_vec(f->elem, flat_col(s, i), s->at[i], op->types[i], &s->vbuf.b.cols[i])) continue;
    if ((st = column_values(s, i, s->at[i], n, s->vbuf.vals[i], 1, e)) != ORB_OK) return st;
    orb_vbuf_values(&s->vbuf, i, (int)n);
  }
  s->vbuf.b.n = (int)n;
  s->vbuf.b.sel = NULL;
  s->vbuf.b.nsel = 0;
  s->row += n;
  *b = &s->vbuf.b;
  return ORB_OK;
}

static orb_status pq_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  pq_scan_op *s = (pq_scan_op *)op;
  *row = NULL;
  orb_status st = fill(s, e);
  if (st != ORB_OK || s->brow >= s->bn) return st;
  *row = s->batch + (size_t)s->brow++ * (size_t)op->ncols;
  s->row++;
  return ORB_OK;
}

static void pq_destroy(oql_op *op) {
  pq_scan_op *s = (pq_scan_op *)op;
  pq_close(op, NULL);
  orb_vbuf_free(&s->vbuf);
}

/* The files, the fields of the first left out (read again from its
** footer), the pruning and, under EXPLAIN ANALYZE, what it skipped. */
static void pq_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const pq_scan_op *s = (const pq_scan_op *)op;
  orb_buf_printf(head, " ('%s'", s->paths[0]);
  if (s->npaths > 1) orb_buf_printf(head, " and %d more files", s->npaths - 1);
  orb_buf_putc(head, ')');
  pq_file_meta *m;
  pq_fields f;
  orb_err e;
  if (pq_read_footer(s->paths[0], &m, &e) == ORB_OK) {
    if (pq_fields_build(m, s->paths[0], &f, &e) == ORB_OK) {
      for (int k = 0; k < f.n; k++)
        if (f.errors[k]) orb_buf_printf(lines, "Skipped Field: %s (%s)\n", f.fields[k].name, f.errors[k]);
      pq_fields_free(&f);
    }
    pq_meta_free(m);
  }
  if (s->npreds) orb_buf_printf(lines, "Pruning: %d constraint%s from the filter\n", s->npreds, s->npreds > 1 ? "s" : "");
  if (s->npreds && op->an_loops > 0) {   /* it ran, under EXPLAIN ANALYZE */
    const pq_prune_counts *c = &s->counts;
    orb_buf_printf(lines, "Row groups skipped: %lld of %lld (statistics %lld, bloom filters %lld, dictionaries %lld, page index %lld)\n",
                   (long long)(c->groups - c->groups_kept), (long long)c->groups, (long long)c->groups_by_stats,
                   (long long)c->groups_by_bloom, (long long)c->groups_by_dict, (long long)c->groups_by_pages);
    orb_buf_printf(lines, "Pages skipped: %lld of %lld\n", (long long)c->pages_skipped, (long long)c->pages);
    orb_buf_printf(lines, "Rows skipped: %lld of %lld\n", (long long)c->rows_skipped, (long long)c->rows);
  }
}

static const oql_op_vt pq_scan_vt = {"Function Scan on read_parquet", pq_open, pq_next, pq_close, pq_destroy,
                                     pq_explain, pq_next_vec};

oql_op *oql_parquet_scan_new(orb_arena *a, const char *const *paths, int npaths, int ncols, const orb_type *types) {
  pq_scan_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &pq_scan_vt;
  s->op.vec = true;
  s->op.ncols = ncols;
  s->op.types = orb_arena_memdup(a, types, sizeof(orb_type) * (size_t)ncols);
  s->paths = orb_arena_alloc(a, sizeof(char *) * (size_t)npaths);
  for (int i = 0; i < npaths; i++) s->paths[i] = orb_arena_strdup(a, paths[i]);
  s->npaths = npaths;
  s->batch = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)ncols * PQ_SCAN_BATCH);
  s->at = orb_arena_zalloc(a, sizeof(int64_t) * (size_t)(ncols ? ncols : 1));
  return &s->op;
}

void oql_parquet_scan_prune(oql_op *op, orb_arena *a, const pq_pred *preds, int npreds) {
  pq_scan_op *s = (pq_scan_op *)op;
  s->preds = npreds ? orb_arena_memdup(a, preds, sizeof(pq_pred) * (size_t)npreds) : NULL;
  s->npreds = npreds;
}

void oql_parquet_scan_project(oql_op *op, orb_arena *a, const bool *used) {
  pq_scan_op *s = (pq_scan_op *)op;
  s->unused = orb_arena_zalloc(a, (size_t)op->ncols + 1);
  for (int i = 0; i < op->ncols; i++) {
    s->unused[i] = !used[i];
    if (!used[i])
      for (int r = 0; r < PQ_SCAN_BATCH; r++) s->batch[(size_t)r * (size_t)op->ncols + (size_t)i] = orb_null((orb_type_id)op->types[i].id);
  }
}
