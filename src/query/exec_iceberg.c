/* query/exec_iceberg.c — iceberg_scan(table) as a table function: when it
** opens, the table's metadata is read again and its snapshot planned
** (storage/cold/ice_scan.h: manifest list, manifests, the delete files that
** apply to each data file), then the rows come from the reader
** (storage/cold/ice_read.h), columns matched by field id and deletes
** applied, as rows or as column batches (exec_vec.h: the reader's batches
** as they are).  Columns the query does not use are not read.  The schema
** read must still have the columns the statement was bound against. */
#include "query/exec_vec.h"
#include "storage/cold/ice_read.h"
#include "base/mem.h"

#include <string.h>

typedef struct ice_scan_op {
  oql_op op;
  const char *where;
  int64_t snapshot;              /* -1: the current one */
  const int32_t *ids;            /* the bound columns' field ids */
  orb_arena arena;               /* metadata and plan of one execution */
  bool have_arena;
  bool planned;                  /* the plan below is this execution's, made by the count */
  ice_meta meta;
  ice_plan plan;
  ice_column *cols;
  ice_reader *reader;
  /* EXPLAIN ANALYZE, summed over executions */
  int64_t manifests, files, delete_files, rows_deleted, groups, groups_skipped, files_skipped;
  int64_t manifests_skipped, files_skipped_bounds, deletes_skipped, rows_read;
  const pq_pred *preds;          /* pruning constraints from the WHERE clause (oql_iceberg_scan_prune) */
  int npreds;
  ice_pred *ipreds;              /* the same by field id, for scan planning */
  bool exact;                    /* the constraints are the whole filter above (oql_iceberg_scan_prune_exact) */
  bool *unused;                  /* per column: the query does not use it (NULL: it uses all) */
  int64_t counted_where, counted_where_files, counted_where_rows;   /* COUNT(*) ... WHERE partly from metadata */
  int64_t counted, counted_rows; /* executions answered from manifest record counts, and their rows */
} ice_scan_op;

static void ice_close(oql_op *op, oql_rt *rt) {
  (void)rt;
  ice_scan_op *s = (ice_scan_op *)op;
  if (s->reader) {
    ice_read_counts c = ice_reader_counts(s->reader);
    s->files += c.files;
    s->delete_files += c.delete_files_read;
    s->rows_deleted += c.rows_deleted;
    s->groups += c.groups;
    s->groups_skipped += c.groups_skipped;
    s->files_skipped += c.files_skipped;
    s->rows_read += c.rows_read;
    ice_reader_free(s->reader);
  }
  s->reader = NULL;
  s->planned = false;
  if (s->have_arena) orb_arena_free(&s->arena);
  s->have_arena = false;
}

/* Plan this execution's scan: the manifests and files the constraints
** leave (storage/cold ice_scan_plan_pruned), counted for EXPLAIN ANALYZE. */
static orb_status plan(ice_scan_op *s, orb_err *e) {
  orb_status st = ice_scan_open_pruned(&s->arena, s->where, s->snapshot, s->ipreds, s->npreds, &s->meta, &s->plan, e);
  if (st != ORB_OK) return st;
  s->manifests += s->plan.nmanifests;
  s->manifests_skipped += s->plan.nmanifests_skipped;
  s->files_skipped += s->plan.files_skipped_partition;
  s->files_skipped_bounds += s->plan.files_skipped_metrics;
  s->deletes_skipped += s->plan.deletes_skipped;
  return ORB_OK;
}

static orb_status ice_open(oql_op *op, oql_rt *rt, orb_err *e) {
  ice_scan_op *s = (ice_scan_op *)op;
  orb_status st = ORB_OK;
  int ncols = 0;
  if (!s->planned) {   /* else oql_iceberg_scan_count just planned this execution */
    ice_close(op, rt);
    orb_arena_init(&s->arena, 0);
    s->have_arena = true;
    if ((st = plan(s, e)) != ORB_OK) return st;
  }
  s->planned = false;
  if ((st = ice_columns(&s->arena, s->plan.schema, &s->cols, &ncols, e)) != ORB_OK) return st;
  bool same = ncols == op->ncols;
  for (int i = 0; same && i < ncols; i++) same = s->cols[i].field_id == s->ids[i] && orb_type_equal(s->cols[i].type, op->types[i]);
  if (!same)
    return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "iceberg_scan: the columns of \"%s\" changed since the statement was prepared",
                        s->where);
  if ((st = ice_reader_open(&s->plan, s->cols, ncols, &s->reader, e)) != ORB_OK) return st;
  ice_reader_prune(s->reader, s->preds, s->npreds);
  ice_reader_project(s->reader, s->unused);
  return ORB_OK;
}

/* COUNT(*) without reading a data file: the sum of the live data files'
** record counts, when no delete file applies to any of them (the
** snapshot summary's total-records is not used: it ignores deletes). */
orb_status oql_iceberg_scan_count(oql_op *op, oql_rt *rt, int64_t *n, orb_err *e) {
  ice_scan_op *s = (ice_scan_op *)op;
  ice_close(op, rt);
  orb_arena_init(&s->arena, 0);
  s->have_arena = true;
  *n = -1;
  orb_status st = plan(s, e);
  if (st != ORB_OK) return st;
  if (!s->plan.any_deletes) {
    *n = s->plan.records;
    s->counted++;
    s->counted_rows += *n;
  } else {
    s->planned = true;   /* the rows will be read: ice_open uses this plan */
  }
  return ORB_OK;
}

/* COUNT(*) with a WHERE clause that is all constraints: the data files
** every row of which satisfies them (partition values or bounds prove it)
** and that no delete file touches count by their record_count; the plan
** keeps only the others, which ice_open then reads. */
orb_status oql_iceberg_scan_count_where(oql_op *op, oql_rt *rt, int64_t *n, orb_err *e) {
  ice_scan_op *s = (ice_scan_op *)op;
  ice_close(op, rt);
  orb_arena_init(&s->arena, 0);
  s->have_arena = true;
  *n = 0;
  orb_status st = plan(s, e);
  if (st != ORB_OK) return st;
  int kept = 0;
  int64_t files = 0;
  for (int i = 0; i < s->plan.nfiles; i++) {
    ice_file *f = &s->plan.files[i];
    if (f->all_match && f->ndeletes == 0) {
      if (__builtin_add_overflow(*n, f->record_count, n)) *n = INT64_MAX;
      files++;
    } else {
      s->plan.files[kept++] = *f;   /* (delete files are pointed to, not moved) */
    }
  }
  s->plan.nfiles = kept;
  s->counted_where++;
  s->counted_where_files += files;
  s->counted_where_rows += *n;
  s->planned = true;
  return ORB_OK;
}

static orb_status ice_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  ice_scan_op *s = (ice_scan_op *)op;
  *row = NULL;
  if (!s->reader) return ORB_OK;
  return ice_reader_next(s->reader, row, e);
}

static orb_status ice_next_vec(oql_op *op, oql_rt *rt, const orb_vbatch **b, orb_err *e) {
  (void)rt;
  ice_scan_op *s = (ice_scan_op *)op;
  *b = NULL;
  if (!s->reader) return ORB_OK;
  return ice_reader_next_vec(s->reader, b, e);
}

static void ice_destroy(oql_op *op) { ice_close(op, NULL); }

static void ice_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const ice_scan_op *s = (const ice_scan_op *)op;
  orb_buf_printf(head, " ('%s')", s->where);
  if (s->snapshot >= 0) orb_buf_printf(lines, "Snapshot: %lld\n", (long long)s->snapshot);
  if (s->counted)
    orb_buf_printf(lines, "Count: %lld rows from manifest record counts, no data file read\n", (long long)s->counted_rows);
  if (s->npreds) orb_buf_printf(lines, "Pruning: %d constraint%s from the filter\n", s->npreds, s->npreds > 1 ? "s" : "");
  if (s->counted_where)
    orb_buf_printf(lines, "Count: %lld rows of %lld data files from manifest record counts (every row matches), the other files read\n",
                   (long long)s->counted_where_rows, (long long)s->counted_where_files);
  if (op->an_loops > 0) {   /* it ran, under EXPLAIN ANALYZE */
    orb_buf_printf(lines, "Manifests: %lld, data files: %lld, delete files read: %lld, rows deleted: %lld\n",
                   (long long)s->manifests, (long long)s->files, (long long)s->delete_files, (long long)s->rows_deleted);
    if (s->npreds) {
      orb_buf_printf(lines, "Manifests skipped by partition summaries: %lld\n", (long long)s->manifests_skipped);
      orb_buf_printf(lines, "Data files skipped by partition values: %lld\n", (long long)s->files_skipped);
      orb_buf_printf(lines, "Data files skipped by column bounds: %lld\n", (long long)s->files_skipped_bounds);
      if (s->deletes_skipped)
        orb_buf_printf(lines, "Delete files of skipped partitions: %lld\n", (long long)s->deletes_skipped);
      orb_buf_printf(lines, "Row groups skipped: %lld of %lld\n", (long long)s->groups_skipped, (long long)s->groups);
    }
    orb_buf_printf(lines, "Rows read: %lld\n", (long long)s->rows_read);
  }
}

static const oql_op_vt ice_scan_vt = {"Function Scan on iceberg_scan", ice_open, ice_next, ice_close, ice_destroy,
                                      ice_explain, ice_next_vec};

oql_op *oql_iceberg_scan_new(orb_arena *a, const char *where, int64_t snapshot, int ncols, const orb_type *types,
                             const int32_t *field_ids) {
  ice_scan_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &ice_scan_vt;
  s->op.vec = true;
  s->op.ncols = ncols;
  s->op.types = orb_arena_memdup(a, types, sizeof(orb_type) * (size_t)ncols);
  s->where = orb_arena_strdup(a, where);
  s->snapshot = snapshot;
  s->ids = orb_arena_memdup(a, field_ids, sizeof(int32_t) * (size_t)ncols);
  return &s->op;
}

void oql_iceberg_scan_prune(oql_op *op, orb_arena *a, const pq_pred *preds, int npreds) {
  ice_scan_op *s = (ice_scan_op *)op;
  s->preds = npreds ? orb_arena_memdup(a, preds, sizeof(pq_pred) * (size_t)npreds) : NULL;
  s->npreds = npreds;
  s->ipreds = orb_arena_zalloc(a, sizeof(ice_pred) * (size_t)(npreds + 1));
  for (int i = 0; i < npreds; i++) {
    /* a column position of the scan: its field id (-1 matches no column) */
    const pq_pred *p = &preds[i];
    ice_pred_from_pq(a, p, s->ids, op->ncols, &s->ipreds[i]);
  }
}

void oql_iceberg_scan_project(oql_op *op, orb_arena *a, const bool *used) {
  ice_scan_op *s = (ice_scan_op *)op;
  s->unused = orb_arena_zalloc(a, (size_t)op->ncols + 1);
  for (int i = 0; i < op->ncols; i++) s->unused[i] = !used[i];
}

void oql_iceberg_scan_prune_exact(oql_op *op) { ((ice_scan_op *)op)->exact = true; }

bool oql_iceberg_scan_is_exact(const oql_op *op) {
  return op->vt == &ice_scan_vt && ((const ice_scan_op *)op)->exact && ((const ice_scan_op *)op)->npreds > 0;
}
