/* query/exec_filter.c — filter operator: passes the child rows for which a predicate is true. */
#include "query/exec.h"

typedef struct filter_op {
  oql_op op;
  orb_expr *pred;
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

static void filter_close(oql_op *op, oql_rt *rt) { oql_op_close(op->left, rt); }

static void filter_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  orb_buf_puts(lines, "Filter: ");
  oql_explain_expr(((const filter_op *)op)->pred, op->left->names, lines);
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt filter_vt = {"Filter", filter_open, filter_next, filter_close, NULL, filter_explain, NULL};

oql_op *oql_filter_new(orb_arena *a, oql_op *child, orb_expr *pred) {
  filter_op *f = orb_arena_zalloc(a, sizeof *f);
  f->op.vt = &filter_vt;
  f->op.left = child;
  f->op.ncols = child->ncols;
  f->op.types = child->types;
  f->op.names = child->names;
  f->pred = pred;
  return &f->op;
}
