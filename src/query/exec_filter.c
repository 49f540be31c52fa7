/* query/exec_filter.c — filter operator: passes the child rows for which a
** predicate is true; over a child that makes column batches, a batch at a
** time, the predicate evaluated over the batch (exec_vexpr.c) and the rows
** it holds for kept in the batch's selection vector. */
#include "query/exec_vec.h"

typedef struct filter_op {
  oql_op op;
  orb_expr *pred;
  oql_vbatch out;           /* the child's batch with the selection narrowed */
  uint16_t *sel;            /* OQL_VEC_MAX entries */
  orb_value *row;           /* a row of the batch (evaluated row by row) */
} filter_op;

static orb_status filter_open(oql_op *op, oql_rt *rt, orb_err *e) { return oql_op_open(op->left, rt, e); }

static orb_status filter_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  filter_op *f = (filter_op *)op;
  for (;;) {
    orb_status st = oql_op_next(op->left, rt, row, e);
    if (st != ORB_OK || !*row) return st;
    bool ok;
    st = orb_expr_test(f->pred, &rt->ctx, *row, &ok, e);
    if (st != ORB_OK) return st;
    if (ok) return ORB_OK;
  }
}

/* The next column batch with rows left (oql_op_vt.next_vec).  A batch
** none of whose rows is kept is dropped with what evaluating it made in
** rt->tmp (a consumer of batches keeps nothing there between batches). */
static orb_status filter_next_vec(oql_op *op, oql_rt *rt, const oql_vbatch **b, orb_err *e) {
  filter_op *f = (filter_op *)op;
  for (;;) {
    const oql_vbatch *in;
    orb_status st = oql_op_next_vec(op->left, rt, &in, e);
    if (st != ORB_OK || !in) return st;
    int cnt = oql_vbatch_count(in), m = 0;
    oql_vec v;
    orb_err ve;
    if (oql_vexpr_eval(f->pred, rt, in, &v, &ve) == ORB_OK) {
      m = oql_vbatch_narrow(in, &v, f->sel, &f->out);
    } else {   /* row by row: the row path's errors, exactly (exec_vec.h) */
      for (int k = 0; k < cnt; k++) {
        int r = oql_vbatch_row_at(in, k);
        bool yes;
        oql_vbatch_row(in, r, f->row);
        if ((st = orb_expr_test(f->pred, &rt->ctx, f->row, &yes, e)) != ORB_OK) return st;
        f->sel[m] = (uint16_t)r;
        m += yes;
      }
    }
    if (m == 0) {
      orb_arena_reset(&rt->tmp);
      continue;
    }
    f->out = *in;
    f->out.sel = f->sel;
    f->out.nsel = m;
    *b = &f->out;
    return ORB_OK;
  }
}

static void filter_close(oql_op *op, oql_rt *rt) { oql_op_close(op->left, rt); }

static void filter_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  orb_buf_puts(lines, "Filter: ");
  oql_explain_expr(((const filter_op *)op)->pred, op->left->names, lines);
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt filter_vt = {"Filter", filter_open, filter_next, filter_close, NULL, filter_explain, filter_next_vec};

oql_op *oql_filter_new(orb_arena *a, oql_op *child, orb_expr *pred) {
  filter_op *f = orb_arena_zalloc(a, sizeof *f);
  f->op.vt = &filter_vt;
  f->op.left = child;
  f->op.ncols = child->ncols;
  f->op.types = child->types;
  f->op.names = child->names;
  f->pred = pred;
  if (oql_op_has_vec(child)) {
    f->op.vec = true;
    f->sel = orb_arena_alloc(a, sizeof(uint16_t) * OQL_VEC_MAX);
    f->row = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(child->ncols + 1));
  }
  return &f->op;
}
