/* query/exec_series.c — generate_series(start, stop[, step]) as a table function. */
#include "query/exec.h"

typedef struct series_op {
  oql_op op;
  orb_expr *start, *stop, *step;
  orb_value cur, end, inc;
  bool ascending, done;
  orb_value out;
} series_op;

static orb_status series_open(oql_op *op, oql_rt *rt, orb_err *e) {
  series_op *s = (series_op *)op;
  orb_status st;
  s->done = false;
  if ((st = orb_expr_eval(s->start, &rt->ctx, NULL, &s->cur, e)) != ORB_OK) return st;
  if ((st = orb_expr_eval(s->stop, &rt->ctx, NULL, &s->end, e)) != ORB_OK) return st;
  if (s->step) {
    if ((st = orb_expr_eval(s->step, &rt->ctx, NULL, &s->inc, e)) != ORB_OK) return st;
  } else {
    s->inc = orb_int(op->types[0].id, 1);
  }
  if (s->cur.isnull || s->end.isnull || s->inc.isnull) {
    s->done = true;
    return ORB_OK;
  }
  if (s->inc.type == ORB_T_INTERVAL) {
    const orb_interval *iv = &s->inc.u.iv;
    if (iv->months == 0 && iv->days == 0 && iv->micros == 0)
      return orb_err_setx(e, ORB_ERR_RANGE, "22023", s->step->pos, "step size cannot equal zero");
    /* PostgreSQL compares the interval with zero as a whole (30-day months) */
    double total = iv->months * 30.0 * 86400e6 + iv->days * 86400e6 + (double)iv->micros;
    s->ascending = total > 0;
  } else {
    if (s->inc.u.i == 0)
      return orb_err_setx(e, ORB_ERR_RANGE, "22023", s->step ? s->step->pos : 0, "step size cannot equal zero");
    s->ascending = s->inc.u.i > 0;
  }
  return ORB_OK;
}

static orb_status series_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  series_op *s = (series_op *)op;
  if (s->done) {
    *row = NULL;
    return ORB_OK;
  }
  int c = orb_value_cmp(&s->cur, &s->end);
  if (s->ascending ? c > 0 : c < 0) {
    s->done = true;
    *row = NULL;
    return ORB_OK;
  }
  s->out = s->cur;
  *row = &s->out;
  /* advance; stop (instead of failing) when the next value would overflow */
  if (s->inc.type == ORB_T_INTERVAL) {
    orb_value nx;
    orb_err tmp;
    if (orb_arith(ORB_ARITH_ADD, &s->cur, &s->inc, op->types[0], &nx, &tmp) != ORB_OK)
      s->done = true;
    else
      s->cur = nx;
  } else {
    int64_t nx;
    if (__builtin_add_overflow(s->cur.u.i, s->inc.u.i, &nx))
      s->done = true;
    else
      s->cur.u.i = nx;
  }
  (void)e;
  return ORB_OK;
}

static const oql_op_vt series_vt = {"Function Scan on generate_series", series_open, series_next, NULL, NULL,
                                    NULL, NULL};

oql_op *oql_series_new(orb_arena *a, orb_type type, orb_expr *start, orb_expr *stop, orb_expr *step) {
  series_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &series_vt;
  s->op.ncols = 1;
  s->op.types = orb_arena_alloc(a, sizeof(orb_type));
  s->op.types[0] = type;
  s->start = start;
  s->stop = stop;
  s->step = step;
  return &s->op;
}
