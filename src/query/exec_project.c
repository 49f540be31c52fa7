/* query/exec_project.c — projection operator: computes the output columns from the child row. */
#include "query/exec.h"

typedef struct project_op {
  oql_op op;
  orb_expr **exprs;
  orb_value *out;           /* output row buffer, reused for every row */
  bool only_columns;        /* every expression is a plain column: copy without evaluation */
} project_op;

static orb_status project_open(oql_op *op, oql_rt *rt, orb_err *e) {
  return op->left ? oql_op_open(op->left, rt, e) : ORB_OK;
}

static orb_status project_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  project_op *p = (project_op *)op;
  const orb_value *in;
  orb_status st = oql_op_next(op->left, rt, &in, e);
  if (st != ORB_OK) return st;
  if (!in) {
    *row = NULL;
    return ORB_OK;
  }
  if (p->only_columns) {
    for (int i = 0; i < op->ncols; i++) p->out[i] = in[p->exprs[i]->slot];
  } else {
    for (int i = 0; i < op->ncols; i++) {
      orb_expr *x = p->exprs[i];
      if (x->kind == ORB_E_COLUMN) {
        p->out[i] = in[x->slot];
        continue;
      }
      st = orb_expr_eval(x, &rt->ctx, in, &p->out[i], e);
      if (st != ORB_OK) return st;
    }
  }
  *row = p->out;
  return ORB_OK;
}

static void project_close(oql_op *op, oql_rt *rt) { oql_op_close(op->left, rt); }

static void project_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  const project_op *p = (const project_op *)op;
  orb_buf_puts(lines, "Output: ");
  for (int i = 0; i < op->ncols; i++) {
    if (i) orb_buf_puts(lines, ", ");
    oql_explain_expr(p->exprs[i], op->left->names, lines);
  }
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt project_vt = {"Project", project_open, project_next, project_close, NULL,
                                     project_explain, NULL};

oql_op *oql_project_new(orb_arena *a, oql_op *child, orb_expr **exprs, int n) {
  project_op *p = orb_arena_zalloc(a, sizeof *p);
  p->op.vt = &project_vt;
  p->op.left = child;
  p->op.ncols = n;
  p->op.types = orb_arena_alloc(a, sizeof(orb_type) * (size_t)(n + 1));
  p->exprs = exprs;
  p->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(n + 1));
  p->only_columns = true;
  for (int i = 0; i < n; i++) {
    p->op.types[i] = exprs[i]->type;
    if (exprs[i]->kind != ORB_E_COLUMN) p->only_columns = false;
  }
  return &p->op;
}
