/* query/binder_select.c — assembling a bound SELECT once its parts are bound:
** star expansion, GROUP BY validity, ORDER BY slots (binder_int.h). */
#include "query/binder_int.h"

#include <string.h>

void oql_select_items_init(oql_select_items *it) { memset(it, 0, sizeof *it); }

void oql_select_items_add(oql_binder *b, oql_select_items *it, orb_expr *x, const char *name) {
  if (it->n == it->cap) {
    int cap = it->cap ? it->cap * 2 : 16;
    orb_expr **nx = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)cap);
    const char **nn = orb_arena_alloc(b->a, sizeof(char *) * (size_t)cap);
    if (it->n) {
      memcpy(nx, it->exprs, sizeof(orb_expr *) * (size_t)it->n);
      memcpy(nn, it->names, sizeof(char *) * (size_t)it->n);
    }
    it->exprs = nx;
    it->names = nn;
    it->cap = cap;
  }
  it->exprs[it->n] = x;
  it->names[it->n] = name;
  it->n++;
}

orb_expr *oql_scope_col_expr(oql_binder *b, const oql_scope_col *sc, int pos) {
  orb_expr *x = sc->merged ? orb_expr_clone(b->a, sc->merged) : orb_expr_column(b->a, sc->gid, sc->type);
  x->pos = pos;
  return x;
}

orb_status oql_expand_star(oql_selctx *c, const char *qual, int pos, oql_select_items *it, orb_err *e) {
  int added = 0;
  for (int i = 0; i < c->scope.n; i++) {
    const oql_scope_col *sc = &c->scope.cols[i];
    if (qual && (!sc->qual || strcmp(sc->qual, qual) != 0)) continue;
    if (sc->system || (!qual && sc->using_hidden)) continue;
    oql_select_items_add(c->b, it, oql_scope_col_expr(c->b, sc, pos), sc->name);
    added++;
  }
  if (qual && added == 0) return oql_missing_rte(c, qual, pos, e);
  if (!qual && c->scope.n == 0)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", pos, "SELECT * with no tables specified is not valid");
  return ORB_OK;
}

int oql_find_output(const oql_select_items *it, int nvisible, const char *name, bool *ambiguous) {
  int found = -1;
  *ambiguous = false;
  for (int i = 0; i < nvisible; i++)
    if (it->names[i] && strcmp(it->names[i], name) == 0) {
      if (found >= 0 && !oql_expr_same(it->exprs[found], it->exprs[i])) *ambiguous = true;
      if (found < 0) found = i;
    }
  return found;
}

int oql_match_or_add_output(oql_binder *b, oql_select_items *it, orb_expr *x) {
  for (int i = 0; i < it->n; i++)
    if (oql_expr_same(it->exprs[i], x)) return i;
  oql_select_items_add(b, it, x, NULL);
  return it->n - 1;
}

/* GROUPING(keys) calls: their value for each grouping set, a bit per
** argument (the first the highest) set when the set leaves that key out. */
static orb_status grouping_values(oql_selctx *c, oql_bselect *s, orb_err *e) {
  int nsets = s->nsets ? s->nsets : 1;
  for (int j = 0; j < s->naggs; j++) {
    oql_agg_spec *sp = &s->aggs[j];
    if (sp->fn != OQL_AGG_GROUPING) continue;
    int32_t *v = orb_arena_zalloc(c->b->a, sizeof(int32_t) * (size_t)nsets);
    for (int i = 0; i < sp->ngargs; i++) {
      int k = 0;
      while (k < s->ngroup && !oql_expr_same(s->group[k], sp->gargs[i])) k++;
      if (k == s->ngroup)
        return orb_err_setx(e, ORB_ERR_TYPE, "42803", sp->gargs[i]->pos,
                            "arguments to GROUPING must be grouping expressions of the associated query level");
      for (int t = 0; t < nsets; t++)
        if (s->nsets && !(s->sets[t] & ((uint64_t)1 << k))) v[t] |= (int32_t)1 << (sp->ngargs - 1 - i);
    }
    sp->grouping = v;
  }
  return ORB_OK;
}

orb_status oql_select_assemble(oql_selctx *c, oql_select_parts *p, oql_bselect **out, orb_err *e) {
  oql_binder *b = c->b;
  oql_bselect *s = orb_arena_zalloc(b->a, sizeof *s);
  s->from = p->from;
  s->where = p->where;
  s->ngroup = p->ngroup;
  s->group = p->group;
  s->sets = p->sets;
  s->nsets = p->nsets;
  s->naggs = c->naggs;
  s->aggs = c->aggs;
  s->nsrfs = c->nsrfs;
  s->srfs = c->srfs;
  s->grouped = p->ngroup > 0 || p->nsets > 0 || c->naggs > 0 || p->having;
  s->nout = p->items.n;
  s->nvisible = p->nvisible;
  s->out = p->items.exprs;
  s->out_names = p->items.names;
  s->distinct = p->distinct;
  s->locks = p->locks;
  s->nlocks = p->nlocks;
  s->distinct_on = p->distinct_on;
  s->ndistinct_on = p->ndistinct_on;
  s->nsort = p->nsort;
  s->sort = p->sort;
  s->limit = p->limit;
  s->offset = p->offset;
  orb_status st;
  if (p->distinct && s->nout > s->nvisible)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", p->first_hidden_pos,
                        "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
  s->nwins = c->nwins;
  s->wins = c->wins;
  s->nwfuncs = c->nwfuncs;
  s->wfuncs = c->wfuncs;
  if ((st = grouping_values(c, s, e)) != ORB_OK) return st;
  if (s->grouped) {
    /* set-returning functions run over the groups (ProjectSet above the aggregate, as in PostgreSQL) */
    for (int i = 0; i < s->nsrfs; i++)   /* but those a key uses run below it, over the input rows */
      if (!s->srfs[i].below && (st = oql_group_rewrite(c, s->group, s->ngroup, &s->srfs[i].arg, e)) != ORB_OK)
        return st;
    for (int i = 0; i < s->nout; i++)
      if ((st = oql_group_rewrite(c, s->group, s->ngroup, &s->out[i], e)) != ORB_OK) return st;
    /* window functions run over the grouped rows: their arguments and keys too */
    for (int j = 0; j < s->nwfuncs; j++) {
      oql_wfunc *f = &s->wfuncs[j];
      for (int i = 0; i < f->nargs; i++)
        if ((st = oql_group_rewrite(c, s->group, s->ngroup, &f->args[i], e)) != ORB_OK) return st;
      if (f->agg.arg && (st = oql_group_rewrite(c, s->group, s->ngroup, &f->agg.arg, e)) != ORB_OK) return st;
      if (f->agg.arg2 && (st = oql_group_rewrite(c, s->group, s->ngroup, &f->agg.arg2, e)) != ORB_OK) return st;
      if (f->agg.filter && (st = oql_group_rewrite(c, s->group, s->ngroup, &f->agg.filter, e)) != ORB_OK) return st;
    }
    for (int w = 0; w < s->nwins; w++) {
      oql_window *win = &s->wins[w];
      for (int i = 0; i < win->npart; i++)
        if ((st = oql_group_rewrite(c, s->group, s->ngroup, &win->part[i], e)) != ORB_OK) return st;
      for (int i = 0; i < win->norder; i++)
        if ((st = oql_group_rewrite(c, s->group, s->ngroup, &win->order[i], e)) != ORB_OK) return st;
    }
    if (p->having) {
      orb_expr *h = p->having;
      if ((st = oql_group_rewrite(c, s->group, s->ngroup, &h, e)) != ORB_OK) return st;
      s->having = h;
    }
  } else {
    for (int i = 0; i < s->nout; i++)
      if (s->out[i]->kind == ORB_E_COLUMN && s->out[i]->slot < 0 && s->out[i]->slot > OQL_WIN_MARK)
        return orb_err_set(e, ORB_ERR_INTERNAL, "aggregate outside a grouped query");
  }
  s->ngids = c->ngids;
  *out = s;
  return ORB_OK;
}
