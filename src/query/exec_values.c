/* query/exec_values.c — VALUES lists and pre-computed rows (SHOW, DESCRIBE, EXPLAIN). */
#include "query/exec.h"

#include <string.h>

#include "base/mem.h"

/* --- VALUES: rows of expressions evaluated without an input row ----------- */

static const oql_op_vt values_vt;

typedef struct values_op {
  oql_op op;
  int nrows;
  orb_expr ***rows;
  orb_value *out;
  int pos;
} values_op;

static orb_status values_open(oql_op *op, oql_rt *rt, orb_err *e) {
  (void)rt;
  (void)e;
  ((values_op *)op)->pos = 0;
  return ORB_OK;
}

int oql_values_count(const oql_op *op) { return op->vt == &values_vt ? ((const values_op *)op)->nrows : -1; }

orb_status oql_values_eval(oql_op *op, oql_rt *rt, int row, orb_value *out, orb_err *e) {
  values_op *v = (values_op *)op;
  orb_expr **r = v->rows[row];
  const orb_eval_ctx *ctx = &rt->ctx;
  for (int i = 0; i < op->ncols; i++) {
    /* a prepared multi-row INSERT is mostly parameters of the column's
    ** type and constants: taken as they are, without a call per value */
    const orb_expr *x = r[i];
    if (x->kind == ORB_E_PARAM && x->slot < ctx->nparams &&
        (ctx->params[x->slot].isnull || ctx->params[x->slot].type == x->type.id)) {
      out[i] = ctx->params[x->slot];   /* as orb_expr_eval gives it */
      continue;
    }
    if (x->kind == ORB_E_CONST) {
      out[i] = x->value;
      continue;
    }
    orb_status st = orb_expr_eval(r[i], ctx, NULL, &out[i], e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

static orb_status values_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  values_op *v = (values_op *)op;
  if (v->pos >= v->nrows) {
    *row = NULL;
    return ORB_OK;
  }
  orb_status st = oql_values_eval(op, rt, v->pos++, v->out, e);
  *row = v->out;
  return st;
}

static void values_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)lines;
  orb_buf_printf(head, " (%d row%s)", ((const values_op *)op)->nrows, ((const values_op *)op)->nrows == 1 ? "" : "s");
}

static const oql_op_vt values_vt = {"Values", values_open, values_next, NULL, NULL, values_explain, NULL};

oql_op *oql_values_new(orb_arena *a, int nrows, int ncols, orb_expr ***rows, const orb_type *types) {
  values_op *v = orb_arena_zalloc(a, sizeof *v);
  v->op.vt = &values_vt;
  v->op.ncols = ncols;
  v->op.types = orb_arena_dup_array(a, types, sizeof(orb_type), (size_t)ncols);
  v->nrows = nrows;
  v->rows = rows;
  v->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(ncols + 1));
  return &v->op;
}

/* --- pre-computed rows ------------------------------------------------------ */

typedef struct rows_op {
  oql_op op;
  orb_value **rows;
  int nrows;
  size_t cap;
  int pos;
} rows_op;

static orb_status rows_open(oql_op *op, oql_rt *rt, orb_err *e) {
  (void)rt;
  (void)e;
  ((rows_op *)op)->pos = 0;
  return ORB_OK;
}

static orb_status rows_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  (void)e;
  rows_op *r = (rows_op *)op;
  *row = r->pos < r->nrows ? r->rows[r->pos++] : NULL;
  return ORB_OK;
}

static const oql_op_vt rows_vt = {"Result", rows_open, rows_next, NULL, NULL, NULL, NULL};

oql_op *oql_rows_new(orb_arena *a, int ncols, const orb_type *types) {
  rows_op *r = orb_arena_zalloc(a, sizeof *r);
  r->op.vt = &rows_vt;
  r->op.ncols = ncols;
  r->op.types = orb_arena_dup_array(a, types, sizeof(orb_type), (size_t)ncols);
  return &r->op;
}

void oql_rows_add(oql_op *op, orb_arena *a, const orb_value *row) {
  rows_op *r = (rows_op *)op;
  /* everything lives in the arena the operator was made in: nothing to free */
  if ((size_t)r->nrows == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    orb_value **nr = orb_arena_alloc(a, sizeof(orb_value *) * cap);
    if (r->nrows) memcpy(nr, r->rows, sizeof(orb_value *) * (size_t)r->nrows);
    r->rows = nr;
    r->cap = cap;
  }
  orb_value *copy = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(op->ncols + 1));
  oql_row_copy(copy, row, op->ncols, a);
  r->rows[r->nrows++] = copy;
}
