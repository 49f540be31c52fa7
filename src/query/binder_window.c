/* query/binder_window.c — binding window function calls, f(args) OVER
** (window), as PostgreSQL does: where they may appear (select list and
** ORDER BY), which functions exist (row_number, rank, dense_rank,
** percent_rank, cume_dist, ntile, lag, lead, first_value, last_value,
** nth_value and every aggregate), named windows (WINDOW w AS (...), OVER w,
** OVER (w ORDER BY ...)) and frames.  Each call is registered with the
** select (its function and its window, identical windows shared) and
** replaced by a marker column the planner later points at the WindowAgg
** operator's output (bound.h). */
#include "query/binder_int.h"

#include <string.h>

static const char *const window_only[] = {"row_number", "rank",       "dense_rank", "percent_rank",
                                          "cume_dist",  "ntile",      "lag",        "lead",
                                          "first_value", "last_value", "nth_value"};
static const oql_wfn window_fn[] = {OQL_W_ROW_NUMBER, OQL_W_RANK,        OQL_W_DENSE_RANK, OQL_W_PERCENT_RANK,
                                    OQL_W_CUME_DIST,  OQL_W_NTILE,       OQL_W_LAG,        OQL_W_LEAD,
                                    OQL_W_FIRST_VALUE, OQL_W_LAST_VALUE, OQL_W_NTH_VALUE};

static int window_index(const char *name) {
  for (size_t i = 0; i < sizeof window_only / sizeof window_only[0]; i++)
    if (strcmp(name, window_only[i]) == 0) return (int)i;
  return -1;
}

bool oql_is_window_name(const char *name) { return window_index(name) >= 0; }

/* The window a spec stands for once named windows are resolved. */
typedef struct wspec {
  oql_expr_ast **part;
  int npart;
  oql_order_ast *order;
  int norder;
  const oql_window_ast *frame;   /* the spec whose frame clause applies */
} wspec;

/* Spec w, its reference (to windows[0..limit) of the WINDOW clause) resolved. */
static orb_status resolve(oql_selctx *c, const oql_window_ast *w, int limit, wspec *out, orb_err *e) {
  if (!w->ref) {
    *out = (wspec){w->partition, w->npartition, w->order, w->norder, w};
    return ORB_OK;
  }
  const oql_select_ast *s = c->sel;
  int k = -1;
  for (int i = 0; s && i < limit && i < s->nwindows && k < 0; i++)
    if (strcmp(s->windows[i]->name, w->ref) == 0) k = i;
  if (k < 0) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", w->ref_pos, "window \"%s\" does not exist", w->ref);
  wspec base;
  orb_status st = resolve(c, s->windows[k], k, &base, e);
  if (st != ORB_OK) return st;
  if (w->bare) {
    *out = base;
    return ORB_OK;
  }
  if (w->npartition)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", w->partition[0]->pos, "cannot override PARTITION BY clause of window \"%s\"",
                        w->ref);
  if (w->norder && base.norder)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", w->order[0].expr->pos, "cannot override ORDER BY clause of window \"%s\"",
                        w->ref);
  if (base.frame->has_frame)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", w->ref_pos, "cannot copy window \"%s\" because it has a frame clause",
                        w->ref);
  *out = (wspec){base.part, base.npart, w->norder ? w->order : base.order, w->norder ? w->norder : base.norder, w};
  return ORB_OK;
}

/* A frame offset: no column references; ROWS and GROUPS count rows or peer
** groups (bigint), RANGE's is added to the one ORDER BY key's value. */
static orb_status bind_offset(oql_selctx *c, const oql_window_ast *f, const oql_expr_ast *x, const oql_window *w,
                              orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  static const char *const mode_name[] = {"RANGE", "ROWS", "GROUPS"};
  oql_selctx rc;
  oql_selctx_init(&rc, b);
  rc.corr = c->corr;
  rc.agg_ctx = "window frame";
  orb_expr *v;
  orb_status st = oql_walk_operand(&rc, x, &v, e);   /* no columns in scope */
  if (st != ORB_OK) {
    /* a column name: PostgreSQL says the argument may not name one */
    if (e->code == ORB_ERR_UNDEFINED && x->kind == OQL_X_COLUMN)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", x->pos, "argument of %s must not contain variables", mode_name[f->mode]);
    return st;
  }
  if (f->mode != OQL_FRAME_RANGE) {
    if (!oql_is_unknown(v) && v->type.id != ORB_T_NULL && !orb_type_is_integer((orb_type_id)v->type.id))
      return orb_err_setx(e, ORB_ERR_TYPE, "42804", x->pos, "argument of %s must be type bigint, not type %s",
                          mode_name[f->mode], oql_type_name(b, v));
    st = oql_coerce(b, &v, orb_type_make(ORB_T_INT64), e);
  } else {
    orb_type_id k = (orb_type_id)w->order[0]->type.id;
    orb_type want;
    if (orb_type_is_integer(k)) want = orb_type_make(ORB_T_INT64);
    else if (orb_type_is_float(k)) want = orb_type_make(ORB_T_FLOAT64);
    else if (k == ORB_T_DECIMAL) want = orb_type_decimal(ORB_DECIMAL_MAX_PRECISION, 0);
    else if (k == ORB_T_DATE || k == ORB_T_TIME || k == ORB_T_TIMESTAMP || k == ORB_T_TIMESTAMPTZ || k == ORB_T_INTERVAL)
      want = orb_type_make(ORB_T_INTERVAL);
    else want = orb_type_make(ORB_T_NULL);
    orb_type_id have = (orb_type_id)v->type.id;
    bool fits = oql_is_unknown(v) || have == ORB_T_NULL ||
                (want.id == ORB_T_INT64 && orb_type_is_integer(have)) ||
                (want.id == ORB_T_FLOAT64 && orb_type_is_numeric(have)) ||
                (want.id == ORB_T_DECIMAL && (orb_type_is_integer(have) || have == ORB_T_DECIMAL)) ||
                (want.id == ORB_T_INTERVAL && have == ORB_T_INTERVAL);
    if (!fits || want.id == ORB_T_NULL)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", x->pos,
                          "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s",
                          oql_type_name(b, w->order[0]), oql_is_unknown(v) ? "unknown" : oql_type_name(b, v));
    if (want.id == ORB_T_DECIMAL && have == ORB_T_DECIMAL) want = v->type;
    st = oql_coerce(b, &v, want, e);
  }
  if (st == ORB_OK) st = oql_b_finish(b, &v, e);
  if (st == ORB_OK) *out = v;
  return st;
}

static bool window_same(const oql_window *a, const oql_window *b) {
  if (a->npart != b->npart || a->norder != b->norder || a->mode != b->mode || a->start != b->start || a->end != b->end ||
      a->exclude != b->exclude)
    return false;
  for (int i = 0; i < a->npart; i++)
    if (!oql_expr_same(a->part[i], b->part[i])) return false;
  for (int i = 0; i < a->norder; i++)
    if (!oql_expr_same(a->order[i], b->order[i]) || a->okeys[i].desc != b->okeys[i].desc ||
        a->okeys[i].nulls_first != b->okeys[i].nulls_first)
      return false;
  if ((a->start_off == NULL) != (b->start_off == NULL) || (a->end_off == NULL) != (b->end_off == NULL)) return false;
  if (a->start_off && !oql_expr_same(a->start_off, b->start_off)) return false;
  if (a->end_off && !oql_expr_same(a->end_off, b->end_off)) return false;
  return true;
}

/* Bind the resolved window and register it (once): its index in c->wins. */
static orb_status bind_window(oql_selctx *c, const wspec *ws, int *idx, orb_err *e) {
  oql_binder *b = c->b;
  oql_window w;
  memset(&w, 0, sizeof w);
  w.npart = ws->npart;
  w.norder = ws->norder;
  w.part = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(w.npart + 1));
  w.order = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(w.norder + 1));
  w.okeys = orb_arena_zalloc(b->a, sizeof(oql_sort_key) * (size_t)(w.norder + 1));
  orb_status st = ORB_OK;
  c->in_windef = true;
  c->srf_unsupported = "window definitions";   /* PostgreSQL evaluates them below the window */
  for (int i = 0; i < w.npart && st == ORB_OK; i++) st = oql_walk_expr(c, ws->part[i], &w.part[i], e);
  for (int i = 0; i < w.norder && st == ORB_OK; i++) {
    const oql_order_ast *o = &ws->order[i];
    st = oql_walk_expr(c, o->expr, &w.order[i], e);
    w.okeys[i].desc = o->desc;
    w.okeys[i].nulls_first = o->nulls == 1 || (o->nulls == 0 && o->desc);
  }
  c->in_windef = false;
  c->srf_unsupported = NULL;
  if (st != ORB_OK) return st;
  const oql_window_ast *f = ws->frame;
  w.mode = f->has_frame ? f->mode : OQL_FRAME_RANGE;
  w.start = f->has_frame ? f->start : OQL_FB_UNBOUNDED_PRECEDING;
  w.end = f->has_frame ? f->end : OQL_FB_CURRENT_ROW;
  w.exclude = f->has_frame ? f->exclude : OQL_EXCLUDE_NONE;
  bool offsets = f->has_frame && (f->start_off || f->end_off);
  if (w.mode == OQL_FRAME_RANGE && offsets && w.norder != 1)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", f->frame_pos,
                        "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
  if (w.mode == OQL_FRAME_GROUPS && w.norder == 0)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", f->frame_pos, "GROUPS mode requires an ORDER BY clause");
  if (f->has_frame && f->start_off && (st = bind_offset(c, f, f->start_off, &w, &w.start_off, e)) != ORB_OK) return st;
  if (f->has_frame && f->end_off && (st = bind_offset(c, f, f->end_off, &w, &w.end_off, e)) != ORB_OK) return st;
  for (int i = 0; i < c->nwins; i++)
    if (window_same(&c->wins[i], &w)) {
      *idx = i;
      return ORB_OK;
    }
  c->wins = oql_arena_append(b->a, c->wins, &c->nwins, &c->wincap, &w, sizeof w);
  *idx = c->nwins - 1;
  return ORB_OK;
}

/* A value argument: an unknown literal (or NULL) is text, as PostgreSQL resolves it. */
static orb_status value_arg(oql_binder *b, orb_expr **x, orb_err *e) {
  if (oql_is_unknown(*x) || (*x)->type.id == ORB_T_NULL) return oql_coerce(b, x, orb_type_make(ORB_T_TEXT), e);
  return ORB_OK;
}

/* The function of a window call: its kind, arguments (coerced) and type. */
static orb_status bind_function(oql_binder *b, const oql_expr_ast *x, orb_expr **args, int n, oql_wfunc *f,
                                orb_err *e) {
  orb_status st = ORB_OK;
  f->name = x->name;
  int k = window_index(x->name);
  if (k < 0) {
    f->fn = OQL_W_AGG;
    if ((st = oql_agg_spec_make(b, x->name, args, n, false, x->star, x->pos, &f->agg, e)) != ORB_OK) return st;
    f->type = f->agg.type;
    return ORB_OK;
  }
  if (x->star)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42809", x->pos, "* specified, but %s is not an aggregate function", x->name);
  f->fn = window_fn[k];
  int lo = 0, hi = 0;
  switch (f->fn) {
  case OQL_W_NTILE: lo = hi = 1; break;
  case OQL_W_LAG:
  case OQL_W_LEAD: lo = 1, hi = 3; break;
  case OQL_W_FIRST_VALUE:
  case OQL_W_LAST_VALUE: lo = hi = 1; break;
  case OQL_W_NTH_VALUE: lo = hi = 2; break;
  default: break;
  }
  if (n < lo || n > hi) return oql_no_function(b, x->name, args, n, x->pos, e);
  f->nargs = n;
  for (int i = 0; i < n; i++) f->args[i] = args[i];
  switch (f->fn) {
  case OQL_W_ROW_NUMBER:
  case OQL_W_RANK:
  case OQL_W_DENSE_RANK: f->type = orb_type_make(ORB_T_INT64); break;
  case OQL_W_PERCENT_RANK:
  case OQL_W_CUME_DIST: f->type = orb_type_make(ORB_T_FLOAT64); break;
  case OQL_W_NTILE:
    if (!oql_is_unknown(args[0]) && args[0]->type.id != ORB_T_NULL && !orb_type_is_integer((orb_type_id)args[0]->type.id))
      return oql_no_function(b, x->name, args, n, x->pos, e);
    st = oql_coerce(b, &f->args[0], orb_type_make(ORB_T_INT32), e);
    f->type = orb_type_make(ORB_T_INT32);
    break;
  case OQL_W_LAG:
  case OQL_W_LEAD:
    if (n == 3) st = oql_unify(b, &f->args[0], &f->args[2], x->pos, e);
    if (st == ORB_OK) st = value_arg(b, &f->args[0], e);
    if (st == ORB_OK && n == 3) st = oql_coerce(b, &f->args[2], f->args[0]->type, e);
    if (st == ORB_OK && n >= 2) {
      if (!oql_is_unknown(args[1]) && args[1]->type.id != ORB_T_NULL && !orb_type_is_integer((orb_type_id)args[1]->type.id))
        return oql_no_function(b, x->name, args, n, x->pos, e);
      st = oql_coerce(b, &f->args[1], orb_type_make(ORB_T_INT32), e);
    }
    f->type = f->args[0]->type;
    break;
  case OQL_W_NTH_VALUE:
    if (!oql_is_unknown(args[1]) && args[1]->type.id != ORB_T_NULL && !orb_type_is_integer((orb_type_id)args[1]->type.id))
      return oql_no_function(b, x->name, args, n, x->pos, e);
    st = oql_coerce(b, &f->args[1], orb_type_make(ORB_T_INT32), e);
    /* fall through */
  case OQL_W_FIRST_VALUE:
  case OQL_W_LAST_VALUE:
    if (st == ORB_OK) st = value_arg(b, &f->args[0], e);
    f->type = f->args[0]->type;
    break;
  default: break;
  }
  for (int i = 0; i < f->nargs && st == ORB_OK; i++) st = oql_b_finish(b, &f->args[i], e);
  return st;
}

static bool wfunc_same(const oql_wfunc *a, const oql_wfunc *b) {
  if (a->fn != b->fn || a->win != b->win || a->nargs != b->nargs) return false;
  for (int i = 0; i < a->nargs; i++)
    if (!oql_expr_same(a->args[i], b->args[i])) return false;
  return a->fn != OQL_W_AGG || oql_agg_spec_same(&a->agg, &b->agg);
}

orb_status oql_walk_window_call(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  if (c->in_windef)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", x->pos, "window functions are not allowed in window definitions");
  if (c->in_agg)
    return orb_err_setx(e, ORB_ERR_TYPE, "42803", x->pos, "aggregate function calls cannot contain window function calls");
  if (c->in_win) return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", x->pos, "window function calls cannot be nested");
  if (!c->allow_wins)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", x->pos, "window functions are not allowed in %s",
                        c->win_ctx ? c->win_ctx : c->agg_ctx ? c->agg_ctx : "this context");
  if (x->nagg_order)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", x->pos, "aggregate ORDER BY is not implemented for window functions");
  if (x->filter && !oql_is_agg_name(x->name))
    return oql_is_window_name(x->name)
               ? orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", x->pos,
                              "FILTER is not implemented for non-aggregate window functions")
               : orb_err_setx(e, ORB_ERR_SYNTAX, "42809", x->pos, "FILTER specified, but %s is not an aggregate function",
                              x->name);
  if (!oql_is_agg_name(x->name) && !oql_is_window_name(x->name))
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42809", x->pos,
                        "OVER specified, but %s is not a window function nor an aggregate function", x->name);
  if (x->distinct)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", x->pos, "DISTINCT is not implemented for window functions");
  orb_expr **args = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(x->nlist + 1));
  orb_status st = ORB_OK;
  c->in_win = true;
  for (int i = 0; i < x->nlist && st == ORB_OK; i++) {
    st = oql_walk_operand(c, x->list[i], &args[i], e);
    if (st == ORB_OK && !oql_is_unknown(args[i])) st = oql_b_finish(b, &args[i], e);
  }
  c->in_win = false;
  if (st != ORB_OK) return st;
  oql_wfunc f;
  memset(&f, 0, sizeof f);
  if ((st = bind_function(b, x, args, x->nlist, &f, e)) != ORB_OK) return st;
  if ((st = oql_walk_agg_filter(c, x, &f.agg.filter, e)) != ORB_OK) return st;
  wspec ws;
  if ((st = resolve(c, x->over, c->sel ? c->sel->nwindows : 0, &ws, e)) != ORB_OK) return st;
  if ((st = bind_window(c, &ws, &f.win, e)) != ORB_OK) return st;
  int j = -1;
  for (int i = 0; i < c->nwfuncs && j < 0; i++)
    if (wfunc_same(&c->wfuncs[i], &f)) j = i;
  if (j < 0) {
    c->wfuncs = oql_arena_append(b->a, c->wfuncs, &c->nwfuncs, &c->wfcap, &f, sizeof f);
    j = c->nwfuncs - 1;
  }
  orb_expr *m = orb_expr_column(b->a, OQL_WIN_MARK - j, f.type);
  m->pos = x->pos;
  *out = m;
  return ORB_OK;
}

orb_status oql_check_window_clause(const oql_select_ast *s, orb_err *e) {
  for (int i = 0; i < s->nwindows; i++)
    for (int k = 0; k < i; k++)
      if (strcmp(s->windows[i]->name, s->windows[k]->name) == 0)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", s->windows[i]->pos, "window \"%s\" is already defined",
                            s->windows[i]->name);
  return ORB_OK;
}
