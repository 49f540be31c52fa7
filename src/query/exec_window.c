/* query/exec_window.c — WindowAgg: window functions over one window.
**
** The input arrives sorted by the window's partition keys, then its order
** keys (the planner puts a Sort below).  The operator reads one partition
** at a time into its arena, works out the peer groups (rows equal in the
** order keys), computes every function for every row of the partition, and
** hands the rows out again with the values appended.
**
** Frames follow PostgreSQL: ROWS counts rows, GROUPS peer groups, RANGE
** compares the one order key's value with the current row's plus or minus
** the offset (NULL keys are peers of each other only).  Frames only move
** forward as the current row does, so an aggregate's state is carried from
** row to row: rows entering the frame are added, rows leaving it are taken
** back out where that is exact (agg_state.h), and otherwise the state
** starts again from the frame's first row.  The default frame (start at the
** partition's first row) therefore costs one addition per row.  EXCLUDE
** CURRENT ROW / GROUP / TIES leaves the current row, its peers, or its
** peers but itself out of its frame: removable aggregates take those rows
** out of a copy of the carried state, the others aggregate the frame's
** remaining rows afresh, as PostgreSQL does. */
#include "query/agg_state.h"

#include <string.h>

#include "base/mem.h"

typedef struct fn_frame {   /* an aggregate's state and the rows [cs, ce) it holds */
  oql_agg_state st;
  size_t cs, ce;
} fn_frame;

typedef struct window_op {
  oql_op op;
  oql_window w;
  oql_wfunc *fns;
  int nfns;
  int nin;                  /* the child's columns */
  orb_arena arena;          /* the partition: rows, results, aggregate states */
  orb_arena pend_arena;     /* the next partition's first row, read ahead */
  orb_value **rows;
  size_t nrows, cap;
  orb_value *res;           /* nrows * nfns results */
  size_t *grp;              /* row -> peer group */
  size_t *gstart;           /* peer group -> first row; gstart[ngroups] = nrows */
  size_t ngroups, gcap, rcap;
  fn_frame *frames;         /* per function */
  size_t pos;               /* next row to hand out */
  orb_value *pending;       /* NULL: the input is exhausted */
  bool child_open;
  orb_value start_off, end_off;   /* evaluated at open */
  orb_type range_type;      /* RANGE offsets: the type of key +/- offset */
  orb_value *out;
} window_op;

/* --- reading a partition ------------------------------------------------------ */

static bool same_slots(const orb_value *a, const orb_value *b, const int *slots, int n) {
  for (int i = 0; i < n; i++) {
    const orb_value *x = &a[slots[i]], *y = &b[slots[i]];
    if (x->isnull || y->isnull) {
      if (x->isnull != y->isnull) return false;
      continue;
    }
    if (orb_value_cmp(x, y) != 0) return false;
  }
  return true;
}

static bool peers(const window_op *w, const orb_value *a, const orb_value *b) {
  for (int i = 0; i < w->w.norder; i++) {
    const orb_value *x = &a[w->w.okeys[i].slot], *y = &b[w->w.okeys[i].slot];
    if (x->isnull || y->isnull) {
      if (x->isnull != y->isnull) return false;
      continue;
    }
    if (orb_value_cmp(x, y) != 0) return false;
  }
  return true;
}

static orb_value *copy_row(window_op *w, orb_arena *a, const orb_value *in) {
  orb_value *r = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(w->nin + 1));
  oql_row_copy(r, in, w->nin, a);
  return r;
}

/* Read the next partition (its first row is w->pending) into the arena. */
static orb_status read_partition(window_op *w, oql_rt *rt, orb_err *e) {
  orb_arena_reset(&w->arena);
  w->nrows = 0;
  w->pos = 0;
  w->rows = orb_grow(w->rows, &w->cap, 1, sizeof(orb_value *));
  w->rows[w->nrows++] = copy_row(w, &w->arena, w->pending);
  orb_arena_reset(&w->pend_arena);
  w->pending = NULL;
  for (;;) {
    const orb_value *in;
    orb_status st = oql_op_next(w->op.left, rt, &in, e);
    if (st != ORB_OK) return st;
    if (!in) break;
    if (!same_slots(in, w->rows[0], w->w.pslots, w->w.npart)) {
      w->pending = copy_row(w, &w->pend_arena, in);
      break;
    }
    w->rows = orb_grow(w->rows, &w->cap, w->nrows + 1, sizeof(orb_value *));
    w->rows[w->nrows++] = copy_row(w, &w->arena, in);
    orb_arena_reset(&rt->tmp);   /* nothing above holds a value while the partition is read */
  }
  /* peer groups */
  size_t n = w->nrows;
  if (n + 1 > w->rcap) {
    orb_free(w->grp);
    w->grp = orb_malloc(sizeof(size_t) * (n + 1));
    w->rcap = n + 1;
  }
  w->ngroups = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || !peers(w, w->rows[i - 1], w->rows[i])) {
      w->gstart = orb_grow(w->gstart, &w->gcap, w->ngroups + 2, sizeof(size_t));
      w->gstart[w->ngroups++] = i;
    }
    w->grp[i] = w->ngroups - 1;
  }
  w->gstart[w->ngroups] = n;
  return ORB_OK;
}

/* --- frames --------------------------------------------------------------------- */

/* key(row j) compared with t, in the type of t (a date key against a timestamp bound). */
static int range_cmp(window_op *w, const orb_value *key, const orb_value *t, oql_rt *rt) {
  if (key->type == t->type) return orb_value_cmp(key, t);
  orb_value k;
  orb_err ignored;
  if (orb_value_cast(key, w->range_type, &rt->tmp, &k, &ignored) != ORB_OK) return 0;
  return orb_value_cmp(&k, t);
}

/* RANGE offset bound of row i: the first row at or after the bound value
** (start) or the first row past it (end), among the rows of non-NULL key. */
static size_t range_bound(window_op *w, size_t i, bool following, bool end, oql_rt *rt) {
  const oql_sort_key *k = &w->w.okeys[0];
  const orb_value *v = &w->rows[i][k->slot];
  if (v->isnull) return end ? w->gstart[w->grp[i] + 1] : w->gstart[w->grp[i]];   /* NULLs: their peers */
  size_t n = w->nrows, lo = 0, hi = n;
  /* the rows with a NULL key sit at one end; they are in no other row's offset frame */
  if (k->nulls_first)
    while (lo < n && w->rows[lo][k->slot].isnull) lo = w->gstart[w->grp[lo] + 1];
  else if (n && w->rows[n - 1][k->slot].isnull)
    hi = w->gstart[w->grp[n - 1]];
  /* towards the partition's start is minus for ASC, plus for DESC */
  bool plus = following != k->desc;
  const orb_value *off = end ? &w->end_off : &w->start_off;
  orb_value t;
  orb_err err;
  if (orb_arith(plus ? ORB_ARITH_ADD : ORB_ARITH_SUB, v, off, w->range_type, &t, &err) != ORB_OK)
    return plus != k->desc ? hi : lo;   /* past the type's range: beyond every row that way */
  /* binary search for the first row in [lo, hi) that is past (end) or not before (start) t */
  size_t a = lo, b = hi;
  while (a < b) {
    size_t m = a + (b - a) / 2;
    int c = range_cmp(w, &w->rows[m][k->slot], &t, rt);
    if (k->desc) c = -c;
    bool beyond = end ? c > 0 : c >= 0;
    if (beyond) b = m;
    else a = m + 1;
  }
  return a;
}

static size_t clamp_sub(size_t i, int64_t off) { return (uint64_t)off >= i ? 0 : i - (size_t)off; }
static size_t clamp_add(size_t i, int64_t off, size_t n) { return (uint64_t)off >= n - i ? n : i + (size_t)off; }

/* Row i's frame [*fs, *fe). */
static void frame_of(window_op *w, size_t i, size_t *fs, size_t *fe, oql_rt *rt) {
  size_t n = w->nrows, g = w->grp[i], ng = w->ngroups;
  oql_frame_mode m = w->w.mode;
  int64_t so = w->start_off.isnull ? 0 : w->start_off.u.i, eo = w->end_off.isnull ? 0 : w->end_off.u.i;
  size_t s = 0, t = n;
  switch (w->w.start) {
  case OQL_FB_UNBOUNDED_PRECEDING: s = 0; break;
  case OQL_FB_CURRENT_ROW: s = m == OQL_FRAME_ROWS ? i : w->gstart[g]; break;
  case OQL_FB_PRECEDING:
    if (m == OQL_FRAME_ROWS) s = clamp_sub(i, so);
    else if (m == OQL_FRAME_GROUPS) s = w->gstart[clamp_sub(g, so)];
    else s = range_bound(w, i, false, false, rt);
    break;
  case OQL_FB_FOLLOWING:
    if (m == OQL_FRAME_ROWS) s = clamp_add(i, so, n);
    else if (m == OQL_FRAME_GROUPS) s = w->gstart[clamp_add(g, so, ng)];
    else s = range_bound(w, i, true, false, rt);
    break;
  case OQL_FB_UNBOUNDED_FOLLOWING: s = n; break;
  }
  switch (w->w.end) {
  case OQL_FB_UNBOUNDED_FOLLOWING: t = n; break;
  case OQL_FB_CURRENT_ROW: t = m == OQL_FRAME_ROWS ? i + 1 : w->gstart[g + 1]; break;
  case OQL_FB_PRECEDING:
    if (m == OQL_FRAME_ROWS) t = (uint64_t)eo > i ? 0 : i - (size_t)eo + 1;
    else if (m == OQL_FRAME_GROUPS) t = (uint64_t)eo > g ? 0 : w->gstart[g - (size_t)eo + 1];
    else t = range_bound(w, i, false, true, rt);
    break;
  case OQL_FB_FOLLOWING:
    if (m == OQL_FRAME_ROWS) t = clamp_add(i, eo, n - 1) + 1;
    else if (m == OQL_FRAME_GROUPS) t = w->gstart[clamp_add(g, eo, ng - 1) + 1];
    else t = range_bound(w, i, true, true, rt);
    break;
  case OQL_FB_UNBOUNDED_PRECEDING: t = 0; break;
  }
  if (t < s) t = s;
  *fs = s;
  *fe = t;
}

/* --- the functions ------------------------------------------------------------------ */

/* Expression x (a function's argument) on row r: a column's value as it is, others computed in rt->tmp. */
static orb_status arg_at(const orb_expr *x, const orb_value *r, oql_rt *rt, orb_value *out, orb_err *e) {
  if (x->kind == ORB_E_COLUMN) {
    *out = r[x->slot];
    return ORB_OK;
  }
  return orb_expr_eval((orb_expr *)x, &rt->ctx, r, out, e);
}

/* Whether row j is one aggregate sp takes (its FILTER holds there). */
static orb_status takes_row(window_op *w, const oql_agg_spec *sp, size_t j, oql_rt *rt, bool *take, orb_err *e) {
  *take = true;
  return sp->filter ? orb_expr_test(sp->filter, &rt->ctx, w->rows[j], take, e) : ORB_OK;
}

static orb_status add_row(window_op *w, fn_frame *fr, const oql_agg_spec *sp, size_t j, oql_rt *rt, orb_err *e) {
  orb_value v = orb_null(ORB_T_NULL), d;
  bool take;
  orb_status st = takes_row(w, sp, j, rt, &take, e);
  if (st != ORB_OK || !take) return st;
  if (sp->arg && (st = arg_at(sp->arg, w->rows[j], rt, &v, e)) != ORB_OK) return st;
  if (sp->arg2 && (st = arg_at(sp->arg2, w->rows[j], rt, &d, e)) != ORB_OK) return st;
  return oql_agg_state_add(&w->arena, &fr->st, sp, &v, sp->arg2 ? &d : NULL, e);
}

/* Take row j back out of state st (a removable aggregate's). */
static orb_status remove_row(window_op *w, oql_agg_state *st, const oql_agg_spec *sp, size_t j, oql_rt *rt, orb_err *e) {
  orb_value v = orb_null(ORB_T_NULL);
  bool take;
  orb_status s = takes_row(w, sp, j, rt, &take, e);
  if (s != ORB_OK || !take) return s;   /* a row the filter left out was never added */
  if (sp->arg && (s = arg_at(sp->arg, w->rows[j], rt, &v, e)) != ORB_OK) return s;
  oql_agg_state_remove(st, sp, &v);
  return ORB_OK;
}

/* Move fr's state to hold the rows [fs, fe) (row i's frame), from the
** previous row's frame: rows that left are taken back out where that is
** exact, else the state starts again. */
static orb_status move_frame(window_op *w, fn_frame *fr, const oql_agg_spec *sp, size_t fs, size_t fe, oql_rt *rt,
                             orb_err *e) {
  orb_status st;
  if (fs != fr->cs && oql_agg_state_removable(sp) && fs <= fr->ce) {
    for (size_t j = fr->cs; j < fs; j++)
      if ((st = remove_row(w, &fr->st, sp, j, rt, e)) != ORB_OK) return st;
    fr->cs = fs;
  } else if (fs != fr->cs || fe < fr->ce) {
    memset(&fr->st, 0, sizeof fr->st);   /* start again (its memory stays in the arena until the partition ends) */
    fr->cs = fr->ce = fs;
  }
  for (; fr->ce < fe; fr->ce++)
    if ((st = add_row(w, fr, sp, fr->ce, rt, e)) != ORB_OK) return st;
  return ORB_OK;
}

/* The rows of row i's frame [fs, fe) that EXCLUDE takes out: [*xs, *xe)
** (empty when nothing is), except row i itself when *keep_i (TIES). */
static void excluded_rows(const window_op *w, size_t i, size_t *xs, size_t *xe, bool *keep_i) {
  size_t g = w->grp[i];
  *keep_i = w->w.exclude == OQL_EXCLUDE_TIES;
  *xs = *xe = 0;   /* nothing excluded unless a case says otherwise */
  switch (w->w.exclude) {
  case OQL_EXCLUDE_NONE: return;
  case OQL_EXCLUDE_CURRENT_ROW: *xs = i, *xe = i + 1; return;
  case OQL_EXCLUDE_GROUP:
  case OQL_EXCLUDE_TIES: *xs = w->gstart[g], *xe = w->gstart[g + 1]; return;
  }
}

/* Row i's frame [fs, fe) less its excluded rows, as at most three ascending
** runs of rows [run[2k], run[2k+1]); their count. */
static int frame_runs(const window_op *w, size_t i, size_t fs, size_t fe, size_t run[6]) {
  size_t xs, xe;
  bool keep_i;
  excluded_rows(w, i, &xs, &xe, &keep_i);
  if (xs >= xe) {
    run[0] = fs, run[1] = fe;
    return fs < fe;
  }
  int n = 0;
  size_t a = fs, b = xs < fe ? xs : fe;   /* before the excluded rows */
  if (a < b) run[2 * n] = a, run[2 * n + 1] = b, n++;
  if (keep_i && i >= fs && i < fe) run[2 * n] = i, run[2 * n + 1] = i + 1, n++;
  a = xe > fs ? xe : fs, b = fe;          /* after them */
  if (a < b) run[2 * n] = a, run[2 * n + 1] = b, n++;
  return n;
}

/* An aggregate over row i's frame [fs, fe): the state moved from the
** previous row's frame.  With EXCLUDE, a removable aggregate takes the
** excluded rows back out of a copy of that state; the others add the
** frame's remaining rows to a new state. */
static orb_status agg_over(window_op *w, fn_frame *fr, const oql_agg_spec *sp, size_t i, size_t fs, size_t fe,
                           oql_rt *rt, orb_value *out, orb_err *e) {
  orb_status st;
  oql_agg_state part;
  const oql_agg_state *res = &fr->st;
  if (w->w.exclude == OQL_EXCLUDE_NONE || oql_agg_state_removable(sp)) {
    if ((st = move_frame(w, fr, sp, fs, fe, rt, e)) != ORB_OK) return st;
    size_t xs, xe;
    bool keep_i;
    excluded_rows(w, i, &xs, &xe, &keep_i);
    if (xs < fs) xs = fs;
    if (xe > fe) xe = fe;
    if (xs < xe) {
      part = fr->st;   /* the removable states own no memory: a copy is a state of its own */
      for (size_t j = xs; j < xe; j++)
        if (!(keep_i && j == i) && (st = remove_row(w, &part, sp, j, rt, e)) != ORB_OK) return st;
      res = &part;
    }
  } else {
    size_t run[6];
    fn_frame tmp;
    memset(&tmp, 0, sizeof tmp);
    for (int k = 0, n = frame_runs(w, i, fs, fe, run); k < n; k++)
      for (size_t j = run[2 * k]; j < run[2 * k + 1]; j++)
        if ((st = add_row(w, &tmp, sp, j, rt, e)) != ORB_OK) return st;
    part = tmp.st;
    res = &part;
  }
  st = oql_agg_state_result(&w->arena, sp, res, out, e);
  if (res == &part) oql_agg_state_free(&part);   /* a DISTINCT set of its own */
  if (st != ORB_OK) return st;
  *out = orb_value_copy(out, &w->arena);
  return ORB_OK;
}

static orb_status positive_int(const orb_value *v, const char *code, const char *msg, int pos, orb_err *e) {
  if (!v->isnull && v->u.i <= 0) return orb_err_setx(e, ORB_ERR_RANGE, code, pos, "%s", msg);
  return ORB_OK;
}

/* The value of function f (index k) for row i. */
static orb_status compute(window_op *w, int k, size_t i, oql_rt *rt, orb_value *out, orb_err *e) {
  const oql_wfunc *f = &w->fns[k];
  size_t n = w->nrows, g = w->grp[i];
  orb_status st = ORB_OK;
  orb_value v;
  switch (f->fn) {
  case OQL_W_ROW_NUMBER: *out = orb_int(ORB_T_INT64, (int64_t)i + 1); return ORB_OK;
  case OQL_W_RANK: *out = orb_int(ORB_T_INT64, (int64_t)w->gstart[g] + 1); return ORB_OK;
  case OQL_W_DENSE_RANK: *out = orb_int(ORB_T_INT64, (int64_t)g + 1); return ORB_OK;
  case OQL_W_PERCENT_RANK:
    *out = orb_float(ORB_T_FLOAT64, n > 1 ? (double)w->gstart[g] / (double)(n - 1) : 0.0);
    return ORB_OK;
  case OQL_W_CUME_DIST: *out = orb_float(ORB_T_FLOAT64, (double)w->gstart[g + 1] / (double)n); return ORB_OK;
  case OQL_W_NTILE: {
    /* the bucket count is read from the partition's first row */
    if ((st = arg_at(f->args[0], w->rows[0], rt, &v, e)) != ORB_OK) return st;
    if (v.isnull) {
      *out = orb_null(ORB_T_INT32);
      return ORB_OK;
    }
    if ((st = positive_int(&v, "22014", "argument of ntile must be greater than zero", f->args[0]->pos, e)) != ORB_OK)
      return st;
    /* the first n % buckets buckets hold one row more */
    size_t buckets = (size_t)v.u.i, per = n / buckets, extra = n % buckets, big = extra * (per + 1);
    size_t b = i < big ? i / (per + 1) : extra + (i - big) / per;
    *out = orb_int(ORB_T_INT32, (int64_t)b + 1);
    return ORB_OK;
  }
  case OQL_W_LAG:
  case OQL_W_LEAD: {
    int64_t off = 1;
    if (f->nargs >= 2) {
      if ((st = arg_at(f->args[1], w->rows[i], rt, &v, e)) != ORB_OK) return st;
      if (v.isnull) {
        *out = orb_null(f->type.id);
        return ORB_OK;
      }
      off = v.u.i;
    }
    int64_t target = f->fn == OQL_W_LAG ? (int64_t)i - off : (int64_t)i + off;
    if (target >= 0 && target < (int64_t)n) st = arg_at(f->args[0], w->rows[target], rt, out, e);
    else if (f->nargs == 3) st = arg_at(f->args[2], w->rows[i], rt, out, e);
    else *out = orb_null(f->type.id), st = ORB_OK;
    break;
  }
  case OQL_W_FIRST_VALUE:
  case OQL_W_LAST_VALUE:
  case OQL_W_NTH_VALUE: {
    size_t fs, fe, at;
    int64_t nth = 1;
    if (f->fn == OQL_W_NTH_VALUE) {
      if ((st = arg_at(f->args[1], w->rows[i], rt, &v, e)) != ORB_OK) return st;
      if ((st = positive_int(&v, "22016", "argument of nth_value must be greater than zero", f->args[1]->pos, e)) != ORB_OK)
        return st;
      if (v.isnull) {
        *out = orb_null(f->type.id);
        return ORB_OK;
      }
      nth = v.u.i;
    }
    frame_of(w, i, &fs, &fe, rt);
    size_t run[6];
    int nruns = frame_runs(w, i, fs, fe, run);
    at = n;
    if (f->fn == OQL_W_LAST_VALUE) {
      if (nruns) at = run[2 * nruns - 1] - 1;
    } else {   /* the nth row of the runs */
      uint64_t left = (uint64_t)(nth - 1);
      for (int k = 0; k < nruns && at == n; k++) {
        size_t len = run[2 * k + 1] - run[2 * k];
        if (left < len) at = run[2 * k] + (size_t)left;
        else left -= len;
      }
    }
    if (at < n) st = arg_at(f->args[0], w->rows[at], rt, out, e);
    else *out = orb_null(f->type.id), st = ORB_OK;
    break;
  }
  case OQL_W_AGG: {
    size_t fs, fe;
    frame_of(w, i, &fs, &fe, rt);
    return agg_over(w, &w->frames[k], &f->agg, i, fs, fe, rt, out, e);
  }
  }
  if (st != ORB_OK) return st;
  *out = orb_value_copy(out, &w->arena);   /* it may live in rt->tmp or the pending row */
  return ORB_OK;
}

static orb_status compute_partition(window_op *w, oql_rt *rt, orb_err *e) {
  size_t n = w->nrows;
  w->res = orb_arena_alloc(&w->arena, sizeof(orb_value) * (n * (size_t)w->nfns + 1));
  memset(w->frames, 0, sizeof(fn_frame) * (size_t)w->nfns);
  for (size_t i = 0; i < n; i++) {
    for (int k = 0; k < w->nfns; k++) {
      orb_status st = compute(w, k, i, rt, &w->res[i * (size_t)w->nfns + (size_t)k], e);
      if (st != ORB_OK) return st;
    }
    orb_arena_reset(&rt->tmp);
  }
  return ORB_OK;
}

/* --- the operator --------------------------------------------------------------------- */

/* A frame offset, evaluated once per execution: not NULL, not negative. */
static orb_status eval_offset(orb_expr *x, bool start, oql_rt *rt, orb_value *out, orb_err *e) {
  *out = orb_null(ORB_T_NULL);
  if (!x) return ORB_OK;
  orb_value v;
  orb_status st = orb_expr_eval(x, &rt->ctx, NULL, &v, e);
  if (st != ORB_OK) return st;
  const char *which = start ? "starting" : "ending";
  if (v.isnull) return orb_err_setx(e, ORB_ERR_RANGE, "22004", x->pos, "frame %s offset must not be null", which);
  orb_value zero = orb_int(ORB_T_INT64, 0), z;
  bool negative;
  if (v.type == ORB_T_INTERVAL) negative = v.u.iv.months < 0 || v.u.iv.days < 0 || v.u.iv.micros < 0;
  else if (orb_value_cast(&zero, x->type, &rt->tmp, &z, e) != ORB_OK) return e->code;
  else negative = orb_value_cmp(&v, &z) < 0;
  if (negative) return orb_err_setx(e, ORB_ERR_RANGE, "22013", x->pos, "frame %s offset must not be negative", which);
  *out = v;   /* a number or an interval: nothing it points to */
  return ORB_OK;
}

static orb_status window_open(oql_op *op, oql_rt *rt, orb_err *e) {
  window_op *w = (window_op *)op;
  oql_rt_track(rt, &w->arena);   /* counted against statement_mem */
  oql_rt_track(rt, &w->pend_arena);
  orb_arena_reset(&w->arena);
  orb_arena_reset(&w->pend_arena);
  w->nrows = w->pos = 0;
  w->pending = NULL;
  orb_status st = oql_op_open(op->left, rt, e);
  w->child_open = true;
  if (st != ORB_OK) return st;
  const orb_value *in;
  if ((st = oql_op_next(op->left, rt, &in, e)) != ORB_OK) return st;
  if (!in) return ORB_OK;
  w->pending = copy_row(w, &w->pend_arena, in);
  orb_value so, eo;
  if ((st = eval_offset(w->w.start_off, true, rt, &so, e)) != ORB_OK) return st;
  if ((st = eval_offset(w->w.end_off, false, rt, &eo, e)) != ORB_OK) return st;
  w->start_off = so;
  w->end_off = eo;
  return ORB_OK;
}

static orb_status window_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  window_op *w = (window_op *)op;
  orb_status st;
  if (w->pos >= w->nrows) {
    if (!w->pending) {
      *row = NULL;
      return ORB_OK;
    }
    if ((st = read_partition(w, rt, e)) != ORB_OK) return st;
    if ((st = compute_partition(w, rt, e)) != ORB_OK) return st;
  }
  size_t i = w->pos++;
  memcpy(w->out, w->rows[i], sizeof(orb_value) * (size_t)w->nin);
  memcpy(w->out + w->nin, &w->res[i * (size_t)w->nfns], sizeof(orb_value) * (size_t)w->nfns);
  *row = w->out;
  return ORB_OK;
}

static void window_close(oql_op *op, oql_rt *rt) {
  window_op *w = (window_op *)op;
  if (w->child_open) oql_op_close(op->left, rt);
  w->child_open = false;
  orb_arena_reset(&w->arena);
  orb_arena_reset(&w->pend_arena);
  w->nrows = w->pos = 0;
  w->pending = NULL;
}

static void window_destroy(oql_op *op) {
  window_op *w = (window_op *)op;
  orb_arena_free(&w->arena);
  orb_arena_free(&w->pend_arena);
  orb_free(w->rows);
  orb_free(w->grp);
  orb_free(w->gstart);
  w->rows = NULL;
  w->grp = w->gstart = NULL;
  w->cap = w->rcap = w->gcap = 0;
}

static void window_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  const window_op *w = (const window_op *)op;
  orb_buf_puts(lines, "Functions: ");
  for (int k = 0; k < w->nfns; k++) {
    const oql_wfunc *f = &w->fns[k];
    if (k) orb_buf_puts(lines, ", ");
    orb_buf_printf(lines, "%s(", f->name);
    const orb_expr *args[3] = {f->args[0], f->args[1], f->args[2]};
    int nargs = f->nargs;
    if (f->fn == OQL_W_AGG) {
      args[0] = f->agg.arg, args[1] = f->agg.arg2;
      nargs = f->agg.arg ? (f->agg.arg2 ? 2 : 1) : 0;
      if (!f->agg.arg) orb_buf_putc(lines, '*');
    }
    for (int i = 0; i < nargs; i++) {
      if (i) orb_buf_puts(lines, ", ");
      oql_explain_expr(args[i], op->left->names, lines);
    }
    orb_buf_putc(lines, ')');
  }
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt window_vt = {"WindowAgg", window_open, window_next, window_close, window_destroy, window_explain,
                                    NULL};

oql_op *oql_window_new(orb_arena *a, oql_op *child, const oql_window *win, const oql_wfunc *fns, int nfns) {
  window_op *w = orb_arena_zalloc(a, sizeof *w);
  w->op.vt = &window_vt;
  w->nin = child->ncols;
  oql_op_extend_columns(a, &w->op, child, nfns);
  for (int k = 0; k < nfns; k++) {
    w->op.types[child->ncols + k] = fns[k].type;
    w->op.names[child->ncols + k] = fns[k].name;
  }
  w->w = *win;
  w->fns = orb_arena_dup_array(a, fns, sizeof(oql_wfunc), (size_t)nfns);
  w->nfns = nfns;
  w->frames = orb_arena_zalloc(a, sizeof(fn_frame) * (size_t)(nfns + 1));
  w->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(w->op.ncols + 1));
  if (win->mode == OQL_FRAME_RANGE && (win->start_off || win->end_off)) {
    const orb_expr *off = win->start_off ? win->start_off : win->end_off;
    orb_err ignored;
    orb_type key = win->order[0]->type;
    if (orb_arith_type(ORB_ARITH_ADD, key, off->type, &w->range_type, &ignored) != ORB_OK) w->range_type = key;
  }
  orb_arena_init(&w->arena, 65536);
  orb_arena_init(&w->pend_arena, 4096);
  return &w->op;
}
