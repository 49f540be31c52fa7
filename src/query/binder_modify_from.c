/* query/binder_modify_from.c — UPDATE t SET ... FROM items WHERE ... and
** DELETE FROM t USING items WHERE ..., as PostgreSQL binds them.
**
** The statement becomes a select over the target joined with the other
** items (comma-joined, filtered by WHERE), planned like any other, whose
** rows name the target rows to change: the target's scan adds each row's
** locator (oql_from's loc_gid, as SELECT ... FOR UPDATE does), and the
** select computes the new row (UPDATE: SET applied, schema order) and the
** RETURNING values, which see the new values of the target's columns and
** the other items' columns (RETURNING * is all of them).  The executor
** (exec_dml.c) changes each target row once, at its first join row, as
** PostgreSQL does when several join rows match one target row. */
#include "query/binder_int.h"

#include <string.h>

/* x with every reference to target column i (gid first + i) replaced by a
** copy of now[i]: what RETURNING sees after the update. */
static orb_expr *with_new_values(oql_binder *b, orb_expr *x, int first, int n, orb_expr *const *now) {
  if (!x) return x;
  if (x->kind == ORB_E_COLUMN && x->slot >= first && x->slot < first + n) return orb_expr_clone(b->a, now[x->slot - first]);
  for (int i = 0; i < x->nargs; i++) x->args[i] = with_new_values(b, x->args[i], first, n, now);
  return x;
}

orb_status oql_bind_modify_from(oql_binder *b, const oql_stmt_ast *ast, orb_table *t, const char *qual,
                                oql_bstmt *out, orb_err *e) {
  bool upd = ast->kind == OQL_S_UPDATE;
  oql_selctx c;
  oql_selctx_init(&c, b);
  c.agg_ctx = upd ? "UPDATE" : "DELETE";
  oql_select_parts p;
  memset(&p, 0, sizeof p);
  oql_select_items_init(&p.items);
  /* the target first, then the other items, cross joined */
  oql_from *target = oql_from_table(&c, t, qual);
  target->loc_gid = oql_selctx_new_gid(&c, "ctid") + 1;
  p.from = target;
  oql_from_ast **items = upd ? ast->update.from : ast->del.from;
  int nitems = upd ? ast->update.nfrom : ast->del.nfrom;
  orb_status st;
  for (int i = 0; i < nitems; i++) {
    oql_from *f;
    if ((st = oql_walk_from_item(&c, items[i], &f, e)) != ORB_OK) return st;
    p.from = oql_from_join(&c, OQL_JOIN_INNER, p.from, f, NULL);
  }
  const oql_expr_ast *where = upd ? ast->update.where : ast->del.where;
  if (where) {
    c.agg_ctx = "WHERE";
    if ((st = oql_walk_operand(&c, where, &p.where, e)) != ORB_OK) return st;
    if ((st = oql_require_bool(b, &p.where, "WHERE", e)) != ORB_OK) return st;
    if ((st = oql_b_finish(b, &p.where, e)) != ORB_OK) return st;
    c.agg_ctx = upd ? "UPDATE" : "DELETE";
  }
  /* the select's columns: locator, new row (UPDATE), RETURNING */
  int ncols = t->schema.ncols;
  oql_select_items_add(b, &p.items, orb_expr_column(b->a, target->loc_gid - 1, orb_type_make(ORB_T_INT64)), "ctid");
  orb_expr **now = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ncols + 1));
  for (int i = 0; i < ncols; i++) now[i] = orb_expr_column(b->a, target->first_gid + i, t->schema.cols[i].type);
  if (upd) {
    int *cols;
    orb_expr **vals;
    if ((st = oql_walk_sets(&c, t, qual, ast->update.sets, ast->update.nsets, &cols, &vals, e)) != ORB_OK) return st;
    for (int j = 0; j < ast->update.nsets; j++) now[cols[j]] = vals[j];
    for (int i = 0; i < ncols; i++) oql_select_items_add(b, &p.items, now[i], t->schema.cols[i].name);
  }
  int first_ret = p.items.n;
  if (ast->nreturning) {
    oql_select_items ret;
    oql_select_items_init(&ret);
    c.agg_ctx = "RETURNING";
    if ((st = oql_walk_targets(&c, ast->returning, ast->nreturning, &ret, e)) != ORB_OK) return st;
    for (int i = 0; i < ret.n; i++) {
      orb_expr *x = upd ? with_new_values(b, ret.exprs[i], target->first_gid, ncols, now) : ret.exprs[i];
      oql_select_items_add(b, &p.items, x, ret.names[i]);
    }
    out->ret.n = ret.n;
    out->ret.exprs = p.items.exprs + first_ret;
    out->ncols = ret.n;
    out->names = p.items.names + first_ret;
    out->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(ret.n + 1));
    for (int i = 0; i < ret.n; i++) out->types[i] = p.items.exprs[first_ret + i]->type;
  }
  p.nvisible = p.items.n;
  oql_bselect *bs;
  if ((st = oql_select_assemble(&c, &p, &bs, e)) != ORB_OK) return st;
  oql_bmodify *m = &out->mod;
  m->table = t;
  if ((st = oql_plan_select(b->a, bs, &m->source, e)) != ORB_OK) return st;
  out->writes = true;
  return ORB_OK;
}
