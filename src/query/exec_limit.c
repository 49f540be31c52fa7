/* query/exec_limit.c — LIMIT/OFFSET operator. */
#include "query/exec.h"

typedef struct limit_op {
  oql_op op;
  orb_expr *limit, *offset;
  int64_t left, skip;       /* rows still to return (-1 = all), rows still to skip */
} limit_op;

static orb_status eval_count(orb_expr *x, oql_rt *rt, const char *what, int64_t *out, orb_err *e) {
  orb_value v;
  orb_status st = orb_expr_eval(x, &rt->ctx, NULL, &v, e);
  if (st != ORB_OK) return st;
  if (v.isnull) {
    *out = -1;
    return ORB_OK;
  }
  orb_value iv;
  st = orb_value_cast(&v, orb_type_make(ORB_T_INT64), &rt->tmp, &iv, e);
  if (st != ORB_OK) return st;
  if (iv.u.i < 0)
    return orb_err_setx(e, ORB_ERR_RANGE, "2201W", x->pos, "%s must not be negative", what);
  *out = iv.u.i;
  return ORB_OK;
}

static orb_status limit_open(oql_op *op, oql_rt *rt, orb_err *e) {
  limit_op *l = (limit_op *)op;
  l->left = -1;
  l->skip = 0;
  orb_status st;
  if (l->limit && (st = eval_count(l->limit, rt, "LIMIT", &l->left, e)) != ORB_OK) return st;
  if (l->offset && (st = eval_count(l->offset, rt, "OFFSET", &l->skip, e)) != ORB_OK) return st;
  if (l->skip < 0) l->skip = 0;
  return oql_op_open(op->left, rt, e);
}

static orb_status limit_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  limit_op *l = (limit_op *)op;
  if (l->left == 0) {
    *row = NULL;
    return ORB_OK;
  }
  for (;;) {
    orb_status st = oql_op_next(op->left, rt, row, e);
    if (st != ORB_OK || !*row) return st;
    if (l->skip > 0) {
      l->skip--;
      continue;
    }
    if (l->left > 0) l->left--;
    return ORB_OK;
  }
}

static void limit_close(oql_op *op, oql_rt *rt) { oql_op_close(op->left, rt); }

static void limit_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  const limit_op *l = (const limit_op *)op;
  if (l->limit) {
    orb_buf_puts(lines, "Limit: ");
    oql_explain_expr(l->limit, NULL, lines);
    orb_buf_putc(lines, '\n');
  }
  if (l->offset) {
    orb_buf_puts(lines, "Offset: ");
    oql_explain_expr(l->offset, NULL, lines);
    orb_buf_putc(lines, '\n');
  }
}

static const oql_op_vt limit_vt = {"Limit", limit_open, limit_next, limit_close, NULL, limit_explain, NULL};

oql_op *oql_limit_new(orb_arena *a, oql_op *child, orb_expr *limit, orb_expr *offset) {
  limit_op *l = orb_arena_zalloc(a, sizeof *l);
  l->op.vt = &limit_vt;
  l->op.left = child;
  l->op.ncols = child->ncols;
  l->op.types = child->types;
  l->op.names = child->names;
  l->limit = limit;
  l->offset = offset;
  return &l->op;
}
