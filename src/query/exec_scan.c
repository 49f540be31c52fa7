/* query/exec_scan.c — table scan operator: projection and predicate go to
** the table.  With a locator column (SELECT ... FOR UPDATE) each row is
** copied so that its locator can follow its values as one more int64. */
#include "query/exec.h"

#include <string.h>
#include "base/mem.h"

typedef struct scan_op {
  oql_op op;
  orb_table *t;
  const int *proj;
  int nproj;
  orb_expr *pred;
  orb_arena arena;          /* predicate temporaries, reset per batch */
  orb_eval_ctx ctx;
  orb_table_scan *scan;
  orb_row_batch *batch;     /* allocated once per plan */
  int pos;
  bool done;
  orb_value *with_loc;      /* NULL, or the row with its locator after the values */
  orb_scan_stats stats;     /* summed over executions, for EXPLAIN ANALYZE */
} scan_op;

static orb_status scan_open(oql_op *op, oql_rt *rt, orb_err *e) {
  scan_op *s = (scan_op *)op;
  s->ctx = rt->ctx;
  s->ctx.arena = &s->arena;
  orb_arena_reset(&s->arena);
  orb_scan_req req = {s->proj, s->nproj, s->pred, &s->ctx, rt->snap};
  s->batch->nrows = 0;
  s->pos = 0;
  s->done = false;
  return orb_table_scan_begin(s->t, &req, &s->scan, e);
}

static orb_status scan_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  scan_op *s = (scan_op *)op;
  while (s->pos >= s->batch->nrows) {
    if (s->done) {
      *row = NULL;
      return ORB_OK;
    }
    orb_arena_reset(&s->arena);
    s->pos = 0;
    orb_status st = oql_rt_check(rt, e);   /* a scan may read many batches before it has a row */
    if (st == ORB_OK) st = orb_table_scan_next(s->scan, s->batch, e);
    if (st != ORB_OK) return st;
    if (s->batch->nrows == 0) s->done = true;
  }
  if (s->with_loc) {
    memcpy(s->with_loc, s->batch->rows[s->pos], sizeof(orb_value) * (size_t)s->nproj);
    s->with_loc[s->nproj] = orb_int(ORB_T_INT64, (int64_t)s->batch->locators[s->pos]);
    s->pos++;
    *row = s->with_loc;
    return ORB_OK;
  }
  *row = s->batch->rows[s->pos++];
  return ORB_OK;
}

static void scan_close(oql_op *op, oql_rt *rt) {
  (void)rt;
  scan_op *s = (scan_op *)op;
  if (!s->scan) return;
  orb_scan_stats st = {0};
  orb_table_scan_end(s->scan, &st);
  s->scan = NULL;
  s->stats.rows_scanned += st.rows_scanned;
  s->stats.rows_returned += st.rows_returned;
  s->stats.index_lookups += st.index_lookups;
  s->stats.bytes_read += st.bytes_read;
  s->stats.units_total += st.units_total;
  s->stats.units_pruned += st.units_pruned;
  s->stats.groups_total += st.groups_total;
  s->stats.groups_pruned += st.groups_pruned;
  s->stats.rows_deleted += st.rows_deleted;
}

static void scan_destroy(oql_op *op) {
  scan_op *s = (scan_op *)op;
  orb_arena_free(&s->arena);
  orb_free(s->batch);
  s->batch = NULL;
}

static void scan_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const scan_op *s = (const scan_op *)op;
  orb_buf_printf(head, " on %s", s->t->name);
  orb_eval_ctx ctx = {.arena = NULL};
  orb_scan_req req = {s->proj, s->nproj, s->pred, &ctx, NULL};
  orb_buf tx = ORB_BUF_INIT;
  orb_table_explain(s->t, &req, &tx);
  /* one line per tier */
  const char *p = tx.data ? tx.data : "";
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (n) {
      orb_buf_puts(lines, "Tier ");
      orb_buf_append(lines, p, n);
      orb_buf_putc(lines, '\n');
    }
    p += n + (nl ? 1 : 0);
  }
  orb_buf_free(&tx);
  if (s->pred) {
    const char **names = orb_malloc(sizeof(char *) * (size_t)(s->t->schema.ncols ? s->t->schema.ncols : 1));
    for (int i = 0; i < s->t->schema.ncols; i++) names[i] = s->t->schema.cols[i].name;
    orb_buf_puts(lines, "Filter: ");
    orb_expr_format(s->pred, names, lines);
    orb_buf_putc(lines, '\n');
    orb_free(names);
  }
  if (s->stats.rows_scanned || s->stats.index_lookups || s->stats.rows_returned || s->stats.units_total) {
    orb_buf_printf(lines, "Rows Scanned: %lld  Rows Returned: %lld  Index Lookups: %lld",
                   (long long)s->stats.rows_scanned, (long long)s->stats.rows_returned,
                   (long long)s->stats.index_lookups);
    if (s->stats.bytes_read) orb_buf_printf(lines, "  Bytes Read: %lld", (long long)s->stats.bytes_read);
    if (s->stats.units_total)
      orb_buf_printf(lines, "  Units: %lld (%lld pruned)", (long long)s->stats.units_total,
                     (long long)s->stats.units_pruned);
    if (s->stats.groups_total)
      orb_buf_printf(lines, "  Row Groups: %lld (%lld pruned)", (long long)s->stats.groups_total,
                     (long long)s->stats.groups_pruned);
    if (s->stats.rows_deleted) orb_buf_printf(lines, "  Rows Deleted: %lld", (long long)s->stats.rows_deleted);
    orb_buf_putc(lines, '\n');
  }
}

static const oql_op_vt scan_vt = {"Scan", scan_open, scan_next, scan_close, scan_destroy, scan_explain, NULL};

oql_op *oql_scan_new(orb_arena *a, orb_table *t, const int *proj, int nproj, orb_expr *pred, bool with_locator) {
  scan_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &scan_vt;
  s->t = t;
  s->proj = proj;
  s->nproj = proj ? nproj : t->schema.ncols;
  s->pred = pred;
  s->op.ncols = s->nproj + with_locator;
  s->op.types = orb_arena_alloc(a, sizeof(orb_type) * (size_t)(s->nproj + 2));
  s->op.names = orb_arena_alloc(a, sizeof(char *) * (size_t)(s->nproj + 2));
  for (int i = 0; i < s->nproj; i++) {
    int c = proj ? proj[i] : i;
    s->op.types[i] = t->schema.cols[c].type;
    s->op.names[i] = orb_arena_strdup(a, t->schema.cols[c].name);
  }
  if (with_locator) {
    s->op.types[s->nproj] = orb_type_make(ORB_T_INT64);
    s->op.names[s->nproj] = "ctid";
    s->with_loc = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(s->nproj + 1));
  }
  orb_arena_init(&s->arena, 4096);
  s->batch = orb_malloc(sizeof *s->batch);
  s->batch->nrows = 0;
  return &s->op;
}

orb_table *oql_scan_table(const oql_op *op) {
  return op && op->vt == &scan_vt ? ((const scan_op *)op)->t : NULL;
}
