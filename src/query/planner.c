/* query/planner.c — turns a bound select (bound.h) into physical operators.
**
** Decisions made here:
**  - each base table is scanned with the columns the query uses (projection)
**    and the WHERE/ON conjuncts that reference only that table (pushdown:
**    the tier turns them into primary-key lookups or row filters);
**  - conjuncts cannot be pushed into the NULL-extended side of a LEFT JOIN
**    from WHERE, nor from ON into its preserved side;
**  - joins with equality conjuncts between the two sides become hash joins
**    (other ON conjuncts stay as a residual), the rest nested loops;
**  - COUNT(*) alone over a bare table asks the table for its count first;
**  - a projection that only passes the input through is left out. */
#include "query/bound.h"
#include "formats/parquet/pq_pred_expr.h"

#include <string.h>

#include "base/mem.h"

typedef struct conj {
  orb_expr *e;
  bool taken;
} conj;

typedef struct conj_list {
  conj *v;
  int n;
} conj_list;

typedef struct planner {
  orb_arena *a;
  oql_bselect *s;
  bool *used;            /* gid -> referenced anywhere */
  int *map;              /* scratch gid -> slot */
  orb_err *e;
} planner;

/* --- expression walks over gids ------------------------------------------- */

static void mark_used(const orb_expr *x, bool *used, int ngids) {
  if (!x) return;
  if (x->kind == ORB_E_COLUMN && x->slot >= 0 && x->slot < ngids) used[x->slot] = true;
  for (int i = 0; i < x->nargs; i++) mark_used(x->args[i], used, ngids);
}

/* Whether every column x references lies in [lo, hi). */
static bool refs_within(const orb_expr *x, int lo, int hi) {
  if (x->kind == ORB_E_COLUMN && (x->slot < lo || x->slot >= hi)) return false;
  for (int i = 0; i < x->nargs; i++)
    if (!refs_within(x->args[i], lo, hi)) return false;
  return true;
}

/* Whether every column x references is in the layout. */
static bool refs_layout(const orb_expr *x, const int *layout, int n) {
  if (x->kind == ORB_E_COLUMN) {
    bool found = false;
    for (int i = 0; i < n && !found; i++) found = layout[i] == x->slot;
    if (!found) return false;
  }
  for (int i = 0; i < x->nargs; i++)
    if (!refs_layout(x->args[i], layout, n)) return false;
  return true;
}

static void remap_to(planner *p, orb_expr *x, const int *layout, int n) {
  if (!x) return;
  for (int i = 0; i < p->s->ngids; i++) p->map[i] = -1;
  for (int i = 0; i < n; i++)
    if (layout[i] >= 0) p->map[layout[i]] = i;
  orb_expr_remap(x, p->map);
}

static orb_expr *and_of(orb_arena *a, orb_expr **v, int n) {
  if (n == 0) return NULL;
  if (n == 1) return v[0];
  orb_expr *x = orb_expr_new(a, ORB_E_AND, orb_type_make(ORB_T_BOOL), n);
  for (int i = 0; i < n; i++) x->args[i] = v[i];
  return x;
}

static void add_conjuncts(planner *p, conj_list *l, orb_expr *pred) {
  if (!pred) return;
  orb_expr **parts;
  int n = orb_expr_conjuncts(p->a, pred, &parts);
  conj *nv = orb_arena_alloc(p->a, sizeof(conj) * (size_t)(l->n + n + 1));
  if (l->n) memcpy(nv, l->v, sizeof(conj) * (size_t)l->n);
  for (int i = 0; i < n; i++) nv[l->n + i] = (conj){parts[i], false};
  l->v = nv;
  l->n += n;
}

/* --- FROM items -------------------------------------------------------------- */

typedef struct planned {
  oql_op *op;
  int *layout;           /* slot -> gid (-1 for columns the outer query cannot see) */
  int n;
} planned;

static orb_status plan_from(planner *p, oql_from *f, conj_list *pushable, planned *out);
static orb_status plan_core(orb_arena *a, oql_bselect *s, oql_op **out, orb_err *e);

static orb_status plan_table(planner *p, oql_from *f, conj_list *pushable, planned *out) {
  orb_table *t = f->table;
  int nproj = 0;
  int *proj = orb_arena_alloc(p->a, sizeof(int) * (size_t)(f->ncols + 1));
  for (int c = 0; c < f->ncols; c++)
    if (p->used[f->first_gid + c]) proj[nproj++] = c;
  if (nproj == 0) proj[nproj++] = t->schema.npk ? orb_schema_pk_col(&t->schema, 0) : 0;
  /* predicates on this table alone go into the scan, in schema positions */
  orb_expr **mine = orb_arena_alloc(p->a, sizeof(orb_expr *) * (size_t)(pushable->n + 1));
  int nmine = 0;
  for (int i = 0; i < pushable->n; i++) {
    conj *c = &pushable->v[i];
    if (c->taken || !refs_within(c->e, f->first_gid, f->first_gid + f->ncols)) continue;
    c->taken = true;
    mine[nmine++] = c->e;
  }
  orb_expr *pred = and_of(p->a, mine, nmine);
  if (pred) {
    int *schema_layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)f->ncols);
    for (int c = 0; c < f->ncols; c++) schema_layout[c] = f->first_gid + c;
    remap_to(p, pred, schema_layout, f->ncols);
  }
  bool loc = f->loc_gid && p->used[f->loc_gid - 1];   /* FOR UPDATE/SHARE: the rows' locators after them */
  out->op = oql_scan_new(p->a, t, proj, nproj, pred, loc);
  out->n = nproj + loc;
  out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(nproj + 1));
  for (int i = 0; i < nproj; i++) out->layout[i] = p->used[f->first_gid + proj[i]] ? f->first_gid + proj[i] : -1;
  if (loc) out->layout[nproj] = f->loc_gid - 1;
  return ORB_OK;
}

static orb_status plan_join(planner *p, oql_from *f, conj_list *pushable, planned *out) {
  conj_list on = {NULL, 0};
  add_conjuncts(p, &on, f->cond);
  planned l, r;
  orb_status st;
  if (f->jt == OQL_JOIN_INNER) {
    /* ON and WHERE conjuncts are interchangeable for an inner join */
    conj_list all = *pushable;
    for (int i = 0; i < on.n; i++) {
      conj *nv = orb_arena_alloc(p->a, sizeof(conj) * (size_t)(all.n + 1));
      if (all.n) memcpy(nv, all.v, sizeof(conj) * (size_t)all.n);
      nv[all.n] = on.v[i];
      all.v = nv;
      all.n++;
    }
    if ((st = plan_from(p, f->left, &all, &l)) != ORB_OK) return st;
    if ((st = plan_from(p, f->right, &all, &r)) != ORB_OK) return st;
    /* the ON conjuncts (taken or not) are at the end of `all` */
    for (int i = 0; i < on.n; i++) on.v[i] = all.v[pushable->n + i];
    for (int i = 0; i < pushable->n; i++) pushable->v[i] = all.v[i];
  } else if (f->jt == OQL_JOIN_FULL) {
    /* both sides are NULL-extended: no condition of WHERE or ON may filter
    ** either input, only the join itself and what stands above it */
    conj_list none = {NULL, 0};
    if ((st = plan_from(p, f->left, &none, &l)) != ORB_OK) return st;
    if ((st = plan_from(p, f->right, &none, &r)) != ORB_OK) return st;
  } else {
    /* LEFT: WHERE may filter the preserved side, ON only the NULL-extended
    ** one; a RIGHT join is a LEFT join with the inputs swapped (columns are
    ** found by gid through the layout, so their order does not matter) */
    oql_from *keep = f->jt == OQL_JOIN_RIGHT ? f->right : f->left;
    oql_from *nullable = f->jt == OQL_JOIN_RIGHT ? f->left : f->right;
    if ((st = plan_from(p, keep, pushable, &l)) != ORB_OK) return st;
    if ((st = plan_from(p, nullable, &on, &r)) != ORB_OK) return st;
  }
  oql_join_type jt = f->jt == OQL_JOIN_RIGHT ? OQL_JOIN_LEFT : f->jt;
  int n = l.n + r.n;
  int *layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(n + 1));
  memcpy(layout, l.layout, sizeof(int) * (size_t)l.n);
  memcpy(layout + l.n, r.layout, sizeof(int) * (size_t)r.n);
  if (f->jt == OQL_JOIN_INNER) {
    /* conditions from above over this join's two sides alone (a comma
    ** join's WHERE a.k = b.k) are its own: hash keys, not a filter over a
    ** nested loop.  The lowest join that has all their columns takes them. */
    for (int i = 0; i < pushable->n; i++) {
      conj *c = &pushable->v[i];
      if (c->taken || !refs_layout(c->e, layout, n)) continue;
      c->taken = true;
      conj *nv = orb_arena_alloc(p->a, sizeof(conj) * (size_t)(on.n + 1));
      if (on.n) memcpy(nv, on.v, sizeof(conj) * (size_t)on.n);
      nv[on.n] = (conj){c->e, false};
      on.v = nv;
      on.n++;
    }
  }
  /* remaining ON conjuncts: equalities across the sides become hash keys */
  orb_expr **lk = orb_arena_alloc(p->a, sizeof(orb_expr *) * (size_t)(on.n + 1));
  orb_expr **rk = orb_arena_alloc(p->a, sizeof(orb_expr *) * (size_t)(on.n + 1));
  orb_expr **rest = orb_arena_alloc(p->a, sizeof(orb_expr *) * (size_t)(on.n + 1));
  int nk = 0, nrest = 0;
  for (int i = 0; i < on.n; i++) {
    conj *c = &on.v[i];
    if (c->taken) continue;
    c->taken = true;
    orb_expr *x = c->e;
    if (x->kind == ORB_E_CMP && x->op == ORB_CMP_EQ && x->nargs == 2) {
      orb_expr *a0 = x->args[0], *a1 = x->args[1];
      if (!orb_expr_is_rowless(a0) && !orb_expr_is_rowless(a1)) {
        if (refs_layout(a0, l.layout, l.n) && refs_layout(a1, r.layout, r.n)) {
          lk[nk] = a0;
          rk[nk++] = a1;
          continue;
        }
        if (refs_layout(a1, l.layout, l.n) && refs_layout(a0, r.layout, r.n)) {
          lk[nk] = a1;
          rk[nk++] = a0;
          continue;
        }
      }
    }
    rest[nrest++] = x;
  }
  orb_expr *residual = and_of(p->a, rest, nrest);
  if (residual) remap_to(p, residual, layout, n);
  if (nk) {
    for (int i = 0; i < nk; i++) {
      remap_to(p, lk[i], l.layout, l.n);
      remap_to(p, rk[i], r.layout, r.n);
    }
    out->op = oql_hashjoin_new(p->a, jt, l.op, r.op, lk, rk, nk, residual);
  } else {
    out->op = oql_nljoin_new(p->a, jt, l.op, r.op, residual);
  }
  out->layout = layout;
  out->n = n;
  return ORB_OK;
}


/* The file column (0-based) x is, when x is a bare column of read_parquet
** item f (or an exact cast of one); -1 otherwise. */
static int parquet_col(const oql_from *f, const orb_expr *x) {
  if (x->kind == ORB_E_CAST && x->nargs == 1 && x->args[0]->kind == ORB_E_COLUMN) {
    int c = parquet_col(f, x->args[0]);
    return c >= 0 && orb_type_cast_is_exact(f->types[c], x->type) ? c : -1;
  }
  if (x->kind != ORB_E_COLUMN || x->slot < f->first_gid || x->slot >= f->first_gid + f->ncols) return -1;
  return x->slot - f->first_gid;
}

/* pq_pred_col_fn over read_parquet item f. */
static int parquet_col_of(const void *ctx, const orb_expr *x) { return parquet_col(ctx, x); }

/* Pruning constraints for read_parquet (or iceberg_scan) item f from the conjuncts that
** reference it alone.  They stay in the list, untaken: the filter above the
** scan still decides each row, pruning only skips what cannot match. */
static void plan_parquet_pruning(planner *p, const oql_from *f, const conj_list *pushable, oql_op *scan) {
  pq_pred *preds = orb_arena_alloc(p->a, sizeof(pq_pred) * (size_t)(pushable->n + 1));
  int n = 0;
  for (int i = 0; i < pushable->n; i++) {
    const conj *c = &pushable->v[i];
    if (c->taken || !refs_within(c->e, f->first_gid, f->first_gid + f->ncols)) continue;
    if (pq_pred_from_expr(p->a, c->e, parquet_col_of, f, &preds[n])) n++;
  }
  if (n && f->kind == OQL_FROM_ICEBERG) {
    oql_iceberg_scan_prune(scan, p->a, preds, n);
    int open = 0;
    bool loose = false;   /* ILIKE's range holds for more than the filter */
    for (int i = 0; i < pushable->n; i++) open += !pushable->v[i].taken;
    for (int i = 0; i < n; i++) loose |= pq_pred_is_loose(&preds[i]);
    if (n == open && !loose) oql_iceberg_scan_prune_exact(scan);   /* the constraints are the whole filter */
  }
  else if (n) oql_parquet_scan_prune(scan, p->a, preds, n);
}

static orb_status plan_from(planner *p, oql_from *f, conj_list *pushable, planned *out) {
  switch (f->kind) {
  case OQL_FROM_TABLE:
    return plan_table(p, f, pushable, out);
  case OQL_FROM_JOIN:
    return plan_join(p, f, pushable, out);
  case OQL_FROM_SUBQUERY: {
    oql_op *op;
    orb_status st = oql_plan_select(p->a, f->sub, &op, p->e);
    if (st != ORB_OK) return st;
    out->op = op;
    out->n = op->ncols;
    out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(op->ncols + 1));
    for (int i = 0; i < op->ncols; i++) out->layout[i] = i < f->ncols ? f->first_gid + i : -1;
    return ORB_OK;
  }
  case OQL_FROM_SERIES:
    out->op = oql_series_new(p->a, f->types[0], f->series_args[0], f->series_args[1], f->series_args[2]);
    out->op->names = f->names;
    out->n = 1;
    out->layout = orb_arena_alloc(p->a, sizeof(int));
    out->layout[0] = f->first_gid;
    return ORB_OK;
  case OQL_FROM_UNNEST:
    out->op = oql_unnest_new(p->a, f->types, f->ncols, f->series_args[0]);
    out->op->names = f->names;
    out->n = f->ncols;
    out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(f->ncols + 1));
    for (int i = 0; i < f->ncols; i++) out->layout[i] = f->first_gid + i;
    return ORB_OK;
  case OQL_FROM_PARQUET:
    out->op = oql_parquet_scan_new(p->a, f->paths, f->npaths, f->ncols, f->types);
    out->op->names = f->names;
    plan_parquet_pruning(p, f, pushable, out->op);
    out->n = f->ncols;
    out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(f->ncols + 1));
    for (int i = 0; i < f->ncols; i++) out->layout[i] = p->used[f->first_gid + i] ? f->first_gid + i : -1;
    oql_parquet_scan_project(out->op, p->a, p->used + f->first_gid);   /* only the columns the query uses are read */
    return ORB_OK;
  case OQL_FROM_ICEBERG:
    out->op = oql_iceberg_scan_new(p->a, f->paths[0], f->ice_snapshot, f->ncols, f->types, f->field_ids);
    out->op->names = f->names;
    plan_parquet_pruning(p, f, pushable, out->op);   /* the same constraints, on the table's columns */
    out->n = f->ncols;
    out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(f->ncols + 1));
    for (int i = 0; i < f->ncols; i++) out->layout[i] = p->used[f->first_gid + i] ? f->first_gid + i : -1;
    oql_iceberg_scan_project(out->op, p->a, p->used + f->first_gid);   /* only the columns the query uses are read */
    return ORB_OK;
  case OQL_FROM_CTE:
  case OQL_FROM_WORKTABLE:
    out->op = f->kind == OQL_FROM_CTE ? oql_cte_scan_new(p->a, f->cte_buf, f->ncols, f->types, f->alias)
                                      : oql_worktable_scan_new(p->a, f->worktable, f->ncols, f->types, f->alias);
    out->op->names = f->names;
    out->n = f->ncols;
    out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(f->ncols + 1));
    for (int i = 0; i < f->ncols; i++) out->layout[i] = f->first_gid + i;
    return ORB_OK;
  case OQL_FROM_VALUES:
    out->op = oql_values_new(p->a, f->nvrows, f->ncols, f->vrows, f->types);
    out->op->names = f->names;
    out->n = f->ncols;
    out->layout = orb_arena_alloc(p->a, sizeof(int) * (size_t)(f->ncols + 1));
    for (int i = 0; i < f->ncols; i++) out->layout[i] = f->first_gid + i;
    return ORB_OK;
  }
  return orb_err_set(p->e, ORB_ERR_INTERNAL, "unknown FROM item");
}

/* --- the select itself --------------------------------------------------------- */

static const char *agg_label(orb_arena *a, const oql_agg_spec *sp, const char *const *names) {
  orb_buf b = ORB_BUF_INIT;
  oql_agg_format(sp, names, &b);
  const char *s = orb_arena_strdup(a, b.data ? b.data : "");
  orb_buf_free(&b);
  return s;
}

/* A label of expression x over the column names of op (EXPLAIN). */
static const char *expr_label(orb_arena *a, const orb_expr *x, const oql_op *op) {
  orb_buf b = ORB_BUF_INIT;
  orb_expr_format(x, op->names, &b);
  const char *s = orb_arena_strdup(a, b.data ? b.data : "");
  orb_buf_free(&b);
  return s;
}

/* Set-returning function markers (bound.h OQL_SRF_MARK - k) become column base + k. */
static void point_at_srfs(orb_expr *x, int base, const int *index) {
  if (x->kind == ORB_E_COLUMN && x->slot <= OQL_SRF_MARK) x->slot = base + index[OQL_SRF_MARK - x->slot];
  for (int i = 0; i < x->nargs; i++) point_at_srfs(x->args[i], base, index);
}

/* The set-returning functions of s that run below the grouping (below) or
** above it, copied into out; index[k] is function k's place among them. */
static int srfs_where(orb_arena *a, const oql_bselect *s, bool below, oql_srf_spec **out, int **index) {
  int n = 0;
  *out = orb_arena_alloc(a, sizeof **out * (size_t)(s->nsrfs + 1));
  *index = orb_arena_alloc(a, sizeof **index * (size_t)(s->nsrfs + 1));
  for (int k = 0; k < s->nsrfs; k++) {
    (*index)[k] = -1;
    if (s->srfs[k].below == below) (*index)[k] = n, (*out)[n++] = s->srfs[k];
  }
  return n;
}

/* Window function markers (bound.h OQL_WIN_MARK - j) become slot[j]. */
static void point_at_windows(orb_expr *x, const int *slot) {
  if (x->kind == ORB_E_COLUMN && x->slot <= OQL_WIN_MARK) x->slot = slot[OQL_WIN_MARK - x->slot];
  for (int i = 0; i < x->nargs; i++) point_at_windows(x->args[i], slot);
}

/* Window functions over op's rows (their expressions already in op's
** slots): a projection adding the window keys that are not bare columns,
** then per window a Sort by its partition and order keys (none when it
** has neither) and a WindowAgg appending its functions' values, as
** PostgreSQL plans them.  The column of each function's values (for
** point_at_windows). */
static int *plan_windows(orb_arena *a, oql_bselect *s, oql_op **pop) {
  oql_op *op = *pop;
  int base = op->ncols, nextra = 0, nkeys = 0;
  for (int w = 0; w < s->nwins; w++) nkeys += s->wins[w].npart + s->wins[w].norder;
  orb_expr **extra = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)(nkeys + 1));
  for (int w = 0; w < s->nwins; w++) {
    oql_window *win = &s->wins[w];
    win->pslots = orb_arena_alloc(a, sizeof(int) * (size_t)(win->npart + 1));
    for (int i = 0; i < win->npart + win->norder; i++) {
      orb_expr *x = i < win->npart ? win->part[i] : win->order[i - win->npart];
      int slot = x->kind == ORB_E_COLUMN ? x->slot : base + nextra;
      if (x->kind != ORB_E_COLUMN) extra[nextra++] = x;
      if (i < win->npart) win->pslots[i] = slot;
      else win->okeys[i - win->npart].slot = slot;
    }
  }
  if (nextra) {
    orb_expr **exprs = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)(base + nextra));
    const char **names = orb_arena_alloc(a, sizeof(char *) * (size_t)(base + nextra));
    for (int i = 0; i < base; i++) {
      exprs[i] = orb_expr_column(a, i, op->types[i]);
      names[i] = op->names ? op->names[i] : NULL;
    }
    for (int i = 0; i < nextra; i++) {
      exprs[base + i] = extra[i];
      names[base + i] = expr_label(a, extra[i], op);
    }
    op = oql_project_new(a, op, exprs, base + nextra);
    op->names = names;
  }
  int *fslot = orb_arena_alloc(a, sizeof(int) * (size_t)(s->nwfuncs + 1));
  oql_wfunc *fns = orb_arena_alloc(a, sizeof(oql_wfunc) * (size_t)(s->nwfuncs + 1));
  oql_sort_key *keys = orb_arena_alloc(a, sizeof(oql_sort_key) * (size_t)(nkeys + 1));
  for (int w = 0; w < s->nwins; w++) {
    oql_window *win = &s->wins[w];
    int nf = 0;
    for (int j = 0; j < s->nwfuncs; j++)
      if (s->wfuncs[j].win == w) {
        fslot[j] = op->ncols + nf;
        fns[nf++] = s->wfuncs[j];
      }
    if (nf == 0) continue;
    int nk = 0;
    for (int i = 0; i < win->npart; i++) keys[nk++] = (oql_sort_key){win->pslots[i], false, false};
    for (int i = 0; i < win->norder; i++) keys[nk++] = win->okeys[i];
    if (nk) op = oql_sort_new(a, op, keys, nk);
    op = oql_window_new(a, op, win, fns, nf);
  }
  *pop = op;
  return fslot;
}

/* FROM, WHERE, GROUP BY, HAVING, window functions and the output
** projection: everything but DISTINCT, ORDER BY and LIMIT. */
static orb_status plan_core(orb_arena *a, oql_bselect *s, oql_op **out, orb_err *e) {
  planner p = {a, s, NULL, NULL, e};
  int ng = s->ngids ? s->ngids : 1;
  p.used = orb_arena_zalloc(a, sizeof(bool) * (size_t)ng);
  p.map = orb_arena_alloc(a, sizeof(int) * (size_t)ng);
  oql_op *op;
  int *layout = NULL, n = 0;
  int *fslot = NULL;   /* window function j's column (plan_windows) */
  if (s->from) {
    mark_used(s->where, p.used, s->ngids);
    for (int i = 0; i < s->ngroup; i++) mark_used(s->group[i], p.used, s->ngids);
    for (int i = 0; i < s->naggs; i++) mark_used(s->aggs[i].arg, p.used, s->ngids);
    for (int i = 0; i < s->naggs; i++) mark_used(s->aggs[i].arg2, p.used, s->ngids);
    for (int i = 0; i < s->naggs; i++) mark_used(s->aggs[i].filter, p.used, s->ngids);
    for (int i = 0; i < s->naggs; i++)
      for (int k = 0; k < s->aggs[i].norder; k++) mark_used(s->aggs[i].order[k].expr, p.used, s->ngids);
    if (!s->grouped) {
      for (int i = 0; i < s->nout; i++) mark_used(s->out[i], p.used, s->ngids);
      for (int j = 0; j < s->nwfuncs; j++) {
        for (int i = 0; i < s->wfuncs[j].nargs; i++) mark_used(s->wfuncs[j].args[i], p.used, s->ngids);
        mark_used(s->wfuncs[j].agg.arg, p.used, s->ngids);
        mark_used(s->wfuncs[j].agg.arg2, p.used, s->ngids);
        mark_used(s->wfuncs[j].agg.filter, p.used, s->ngids);
      }
      for (int w = 0; w < s->nwins; w++) {
        for (int i = 0; i < s->wins[w].npart; i++) mark_used(s->wins[w].part[i], p.used, s->ngids);
        for (int i = 0; i < s->wins[w].norder; i++) mark_used(s->wins[w].order[i], p.used, s->ngids);
      }
      for (int i = 0; i < s->nsrfs; i++) mark_used(s->srfs[i].arg, p.used, s->ngids);   /* grouped: over the groups */
    } else {
      for (int i = 0; i < s->nsrfs; i++)   /* but those GROUP BY uses: over the input rows */
        if (s->srfs[i].below) mark_used(s->srfs[i].arg, p.used, s->ngids);
    }
    /* join conditions */
    oql_from *stack[64];
    int sp = 0;
    stack[sp++] = s->from;
    while (sp) {
      oql_from *f = stack[--sp];
      if (f->kind == OQL_FROM_JOIN) {
        mark_used(f->cond, p.used, s->ngids);
        if (sp + 2 <= 64) {
          stack[sp++] = f->left;
          stack[sp++] = f->right;
        } else {
          return orb_err_set(e, ORB_ERR_LIMIT, "too many joins in one FROM clause");
        }
      }
    }
    conj_list where = {NULL, 0};
    add_conjuncts(&p, &where, s->where);
    planned pf;
    orb_status st = plan_from(&p, s->from, &where, &pf);
    if (st != ORB_OK) return st;
    op = pf.op;
    layout = pf.layout;
    n = pf.n;
    orb_expr **rest = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)(where.n + 1));
    int nrest = 0;
    for (int i = 0; i < where.n; i++)
      if (!where.v[i].taken) rest[nrest++] = where.v[i].e;
    orb_expr *filter = and_of(a, rest, nrest);
    if (filter) {
      remap_to(&p, filter, layout, n);
      op = oql_filter_new(a, op, filter);
    }
  } else {
    /* one row with no columns, kept only if WHERE holds (SELECT 1 WHERE false has no row) */
    op = oql_values_new(a, 1, 0, orb_arena_zalloc(a, sizeof(orb_expr **)), NULL);
    if (s->where) op = oql_filter_new(a, op, s->where);
  }

  if (s->grouped && s->nsrfs) {
    /* set-returning functions a GROUP BY key uses (GROUP BY unnest(a)): their
    ** rows are grouped, so they run first, as PostgreSQL's ProjectSet below
    ** its Agg; their columns come after the input's */
    oql_srf_spec *below;
    int *index;
    int nbelow = srfs_where(a, s, true, &below, &index);
    if (nbelow) {
      for (int i = 0; i < nbelow; i++) remap_to(&p, below[i].arg, layout, n);
      int m = op->ncols;
      op = oql_project_set_new(a, op, below, nbelow);
      int *wider = orb_arena_alloc(a, sizeof(int) * (size_t)(m + nbelow));
      for (int i = 0; i < m; i++) wider[i] = layout && i < n ? layout[i] : -1;
      for (int i = 0; i < nbelow; i++) wider[m + i] = below[i].gid;
      layout = wider;
      n = m + nbelow;
    }
  }
  if (s->grouped) {
    for (int i = 0; i < s->ngroup; i++) remap_to(&p, s->group[i], layout, n);
    for (int i = 0; i < s->naggs; i++) remap_to(&p, s->aggs[i].arg, layout, n);
    for (int i = 0; i < s->naggs; i++) remap_to(&p, s->aggs[i].arg2, layout, n);
    for (int i = 0; i < s->naggs; i++) remap_to(&p, s->aggs[i].filter, layout, n);
    for (int i = 0; i < s->naggs; i++)
      for (int k = 0; k < s->aggs[i].norder; k++) remap_to(&p, s->aggs[i].order[k].expr, layout, n);
    /* only a bare scan with no predicate can be answered by the table's count */
    orb_table *count_table = oql_scan_table(op);
    oql_op *child = op;
    op = oql_agg_new(a, child, s->group, s->ngroup, s->aggs, s->naggs,
                     count_table && !s->where ? count_table : NULL);
    if (s->nsets) oql_agg_grouping_sets(op, s->sets, s->nsets);
    /* COUNT(*) of iceberg_scan(...) alone: from the manifests when no delete applies */
    if (!s->where && s->from && s->from->kind == OQL_FROM_ICEBERG) oql_agg_count_from(op, oql_iceberg_scan_count, child);
    /* with a WHERE that became the scan's constraints: files they hold for entirely count from metadata */
    else if (s->from && s->from->kind == OQL_FROM_ICEBERG && child->left && oql_iceberg_scan_is_exact(child->left))
      oql_agg_count_partial(op, oql_iceberg_scan_count_where, child->left);
    op->names = orb_arena_alloc(a, sizeof(char *) * (size_t)(op->ncols + 1));
    for (int i = 0; i < s->ngroup; i++) {
      orb_buf b = ORB_BUF_INIT;
      orb_expr_format(s->group[i], child->names, &b);
      op->names[i] = orb_arena_strdup(a, b.data ? b.data : "");
      orb_buf_free(&b);
    }
    for (int j = 0; j < s->naggs; j++) op->names[s->ngroup + j] = agg_label(a, &s->aggs[j], child->names);
    if (s->having) op = oql_filter_new(a, op, s->having);
  } else {
    for (int j = 0; j < s->nwfuncs; j++) {
      for (int i = 0; i < s->wfuncs[j].nargs; i++) remap_to(&p, s->wfuncs[j].args[i], layout, n);
      remap_to(&p, s->wfuncs[j].agg.arg, layout, n);
      remap_to(&p, s->wfuncs[j].agg.arg2, layout, n);
      remap_to(&p, s->wfuncs[j].agg.filter, layout, n);
    }
    for (int w = 0; w < s->nwins; w++) {
      for (int i = 0; i < s->wins[w].npart; i++) remap_to(&p, s->wins[w].part[i], layout, n);
      for (int i = 0; i < s->wins[w].norder; i++) remap_to(&p, s->wins[w].order[i], layout, n);
    }
    /* window functions come before the set-returning functions, as in
    ** PostgreSQL (ProjectSet above WindowAgg); both keep the input's
    ** columns first, adding theirs after */
    if (s->nwfuncs) fslot = plan_windows(a, s, &op);
    if (s->nsrfs) {   /* the select list's set-returning functions: their rows become columns after the input's */
      for (int i = 0; i < s->nsrfs; i++) {
        remap_to(&p, s->srfs[i].arg, layout, n);
        if (fslot) point_at_windows(s->srfs[i].arg, fslot);
      }
      int m = op->ncols;   /* the input's columns, then the windows' (not visible by gid) */
      op = oql_project_set_new(a, op, s->srfs, s->nsrfs);
      int *wider = orb_arena_alloc(a, sizeof(int) * (size_t)(m + s->nsrfs));
      for (int i = 0; i < m; i++) wider[i] = layout && i < n ? layout[i] : -1;
      for (int i = 0; i < s->nsrfs; i++) wider[m + i] = s->srfs[i].gid;
      layout = wider;
      n = m + s->nsrfs;
    }
    for (int i = 0; i < s->nout; i++) remap_to(&p, s->out[i], layout, n);
  }
  if (s->nwfuncs && !fslot) fslot = plan_windows(a, s, &op);   /* grouped: over the groups */
  if (s->grouped && s->nsrfs) {   /* then the other set-returning functions, over the groups and their window values */
    oql_srf_spec *above;
    int *index;
    int nabove = srfs_where(a, s, false, &above, &index);
    for (int i = 0; fslot && i < nabove; i++) point_at_windows(above[i].arg, fslot);
    int m = op->ncols;
    if (nabove) op = oql_project_set_new(a, op, above, nabove);
    for (int i = 0; i < s->nout; i++) point_at_srfs(s->out[i], m, index);
  }
  for (int i = 0; fslot && i < s->nout; i++) point_at_windows(s->out[i], fslot);

  /* projection, unless it passes the input through unchanged */
  bool identity = s->nout == op->ncols;
  for (int i = 0; identity && i < s->nout; i++)
    identity = s->out[i]->kind == ORB_E_COLUMN && s->out[i]->slot == i &&
               orb_type_equal(s->out[i]->type, op->types[i]);
  if (!identity) op = oql_project_new(a, op, s->out, s->nout);
  if (!identity || !op->names) {
    const char **names = orb_arena_alloc(a, sizeof(char *) * (size_t)(s->nout + 1));
    for (int i = 0; i < s->nout; i++) names[i] = s->out_names ? s->out_names[i] : NULL;
    op->names = names;
  }
  *out = op;
  return ORB_OK;
}

/* A branch of a set operation: its visible columns only (a parenthesized
** branch's ORDER BY may have added hidden ones). */
static orb_status plan_branch(orb_arena *a, oql_bselect *s, oql_op **out, orb_err *e) {
  oql_op *op;
  orb_status st = oql_plan_select(a, s, &op, e);
  if (st != ORB_OK) return st;
  if (op->ncols > s->nvisible) {
    orb_expr **cols = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)s->nvisible);
    for (int i = 0; i < s->nvisible; i++) cols[i] = orb_expr_column(a, i, op->types[i]);
    oql_op *p = oql_project_new(a, op, cols, s->nvisible);
    p->names = op->names;
    op = p;
  }
  *out = op;
  return ORB_OK;
}

/* UNION [ALL] (Append, then HashDistinct without ALL), INTERSECT / EXCEPT
** [ALL] (HashSetOp) and WITH RECURSIVE's Recursive Union. */
static orb_status plan_setop(orb_arena *a, oql_bselect *s, oql_op **out, orb_err *e) {
  oql_op *l, *r;
  orb_status st = plan_branch(a, s->larg, &l, e);
  if (st == ORB_OK) st = plan_branch(a, s->rarg, &r, e);
  if (st != ORB_OK) return st;
  switch (s->setop) {
  case OQL_BSET_UNION:
    *out = oql_append_new(a, l, r);
    if (!s->set_all) *out = oql_distinct_new(a, *out, -1);
    break;
  case OQL_BSET_INTERSECT:
  case OQL_BSET_EXCEPT:
    *out = oql_setop_new(a, l, r, s->setop == OQL_BSET_EXCEPT, s->set_all);
    break;
  default:
    *out = oql_recursive_union_new(a, l, r, s->worktable, s->set_all);
    break;
  }
  return ORB_OK;
}

orb_status oql_plan_select(orb_arena *a, oql_bselect *s, oql_op **out, orb_err *e) {
  oql_op *op;
  orb_status st = s->setop ? plan_setop(a, s, &op, e) : plan_core(a, s, &op, e);
  if (st != ORB_OK) return st;
  if (!s->setop && s->distinct) op = oql_distinct_new(a, op, s->nvisible);
  if (s->nsort) op = oql_sort_new(a, op, s->sort, s->nsort);
  if (s->ndistinct_on) op = oql_unique_new(a, op, s->distinct_on, s->ndistinct_on);
  if (s->nlocks) op = oql_lockrows_new(a, op, s->locks, s->nlocks);   /* PostgreSQL's place: below LIMIT */
  if (s->limit || s->offset) op = oql_limit_new(a, op, s->limit, s->offset);
  /* the WITH queries read more than once: each behind a CTE operator that
  ** resets its rows whenever this select runs */
  for (int i = s->nmats - 1; i >= 0; i--) {
    oql_op *body;
    if ((st = oql_plan_select(a, s->mats[i]->body, &body, e)) != ORB_OK) return st;
    oql_cte_buf_set_plan(s->mats[i]->buf, body);
    op = oql_cte_new(a, op, s->mats[i]->buf);
  }
  *out = op;
  return ORB_OK;
}
