/* query/binder_walk_select.c — binding a parsed SELECT: FROM items first
** (they make the scope), then WHERE, the select list, GROUP BY, HAVING and
** ORDER BY in PostgreSQL's name-resolution order, then UNION branches. */
#include "query/binder_int.h"

#include <stdlib.h>
#include <string.h>

#include "expr/func.h"

/* --- FROM ------------------------------------------------------------------- */

static orb_status walk_from(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e);

orb_status oql_walk_from_item(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e) {
  return walk_from(c, f, out, e);
}

/* Expressions of a FROM item (function arguments, VALUES rows) see no columns. */
static void rowless_ctx(oql_selctx *c, oql_binder *b, const char *what) {
  oql_selctx_init(c, b);
  c->agg_ctx = what;
}

static orb_status walk_from_values(oql_selctx *c, const oql_select_ast *v, const char *alias,
                                   const char *const *colnames, int ncolnames, int pos, oql_from **out,
                                   orb_err *e) {
  oql_binder *b = c->b;
  oql_selctx vc;
  rowless_ctx(&vc, b, "VALUES");
  int ncols = v->nvalues ? v->values_len[0] : 0;
  orb_expr ***rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(v->nvalues + 1));
  for (int r = 0; r < v->nvalues; r++) {
    if (v->values_len[r] != ncols)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", v->values[r][0] ? v->values[r][0]->pos : pos,
                          "VALUES lists must all be the same length");
    rows[r] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ncols + 1));
    for (int i = 0; i < ncols; i++) {
      if (!v->values[r][i])
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", pos, "DEFAULT is not allowed in this context");
      orb_status st = oql_walk_operand(&vc, v->values[r][i], &rows[r][i], e);
      if (st != ORB_OK) return st;
    }
  }
  return oql_from_values(c, rows, v->nvalues, ncols, alias, colnames, ncolnames, pos, out, e);
}

/* The one column named name among scope entries [from, to) that an
** unqualified reference reaches, as an index; -1 if none, -2 if several. */
static int using_side_col(const oql_scope *sc, int from, int to, const char *name) {
  int found = -1;
  for (int i = from; i < to; i++) {
    const oql_scope_col *c = &sc->cols[i];
    if (c->system || c->using_hidden || strcmp(c->name, name) != 0) continue;
    if (found >= 0) return -2;
    found = i;
  }
  return found;
}

/* NATURAL JOIN: the column names both sides show, in the left side's order. */
static void natural_cols(oql_selctx *c, int left_start, int right_start, const char ***cols, int *n) {
  *cols = orb_arena_alloc(c->b->a, sizeof(char *) * (size_t)(right_start - left_start + 1));
  *n = 0;
  for (int i = left_start; i < right_start; i++) {
    const oql_scope_col *sc = &c->scope.cols[i];
    if (sc->system || sc->using_hidden) continue;
    bool dup = false;
    for (int k = 0; k < *n; k++) dup |= strcmp((*cols)[k], sc->name) == 0;
    if (!dup && using_side_col(&c->scope, right_start, c->scope.n, sc->name) != -1) (*cols)[(*n)++] = sc->name;
  }
}

/* JOIN ... USING (cols) and NATURAL JOIN, as PostgreSQL binds them: the
** condition is left.col = right.col for each; the pair then answers only to
** qualified names, and one merged column per pair (placed first, in USING
** order, for `*`) answers to the bare name. */
static orb_status bind_using(oql_selctx *c, const oql_from_ast *f, const char *const *cols, int ncols,
                             int left_start, int right_start, orb_expr **cond, orb_err *e) {
  oql_binder *b = c->b;
  oql_scope_col *merged = orb_arena_alloc(b->a, sizeof(oql_scope_col) * (size_t)(ncols + 1));
  int *hide = orb_arena_alloc(b->a, sizeof(int) * (size_t)(2 * ncols + 1));
  orb_status st;
  for (int u = 0; u < ncols; u++) {
    for (int k = 0; k < u; k++)
      if (strcmp(cols[k], cols[u]) == 0)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42701", f->pos, "column name \"%s\" appears more than once in USING clause",
                            cols[u]);
    int li = using_side_col(&c->scope, left_start, right_start, cols[u]);
    int ri = using_side_col(&c->scope, right_start, c->scope.n, cols[u]);
    if (li == -2 || ri == -2)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42702", f->pos, "common column name \"%s\" appears more than once in %s table",
                          cols[u], li == -2 ? "left" : "right");
    if (li < 0 || ri < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", f->pos,
                          "column \"%s\" specified in USING clause does not exist in %s table", cols[u],
                          li < 0 ? "left" : "right");
    const oql_scope_col *lc = &c->scope.cols[li], *rc = &c->scope.cols[ri];
    orb_expr *eq;
    st = oql_b_cmp(b, ORB_CMP_EQ, oql_scope_col_expr(b, lc, f->pos), oql_scope_col_expr(b, rc, f->pos), f->pos, &eq, e);
    if (st == ORB_OK && *cond) st = oql_b_logic(b, ORB_E_AND, *cond, eq, &eq, e);
    if (st != ORB_OK) return st;
    *cond = eq;
    /* the merged column: the common type of the pair */
    orb_expr *l = oql_scope_col_expr(b, lc, f->pos), *r = oql_scope_col_expr(b, rc, f->pos), *m;
    if ((st = oql_unify(b, &l, &r, f->pos, e)) != ORB_OK) return st;
    if (f->jt == OQL_JA_FULL) {
      orb_expr *both[2] = {l, r};
      if ((st = oql_b_coalesce(b, both, 2, f->pos, &m, e)) != ORB_OK) return st;
    } else {
      m = f->jt == OQL_JA_RIGHT ? r : l;
    }
    if ((st = oql_b_finish(b, &m, e)) != ORB_OK) return st;
    merged[u] = (oql_scope_col){NULL, cols[u], -1, m->type, false, NULL, false, m};
    hide[2 * u] = li;
    hide[2 * u + 1] = ri;
  }
  if ((st = oql_b_finish(b, cond, e)) != ORB_OK) return st;
  for (int i = 0; i < 2 * ncols; i++) c->scope.cols[hide[i]].using_hidden = true;
  /* the merged columns go before the join's own (scope order is `*` order) */
  for (int u = 0; u < ncols; u++) oql_scope_add(b, &c->scope, NULL, "", -1, merged[u].type);
  int tail = c->scope.n - ncols - left_start;
  memmove(&c->scope.cols[left_start + ncols], &c->scope.cols[left_start], sizeof(oql_scope_col) * (size_t)tail);
  memcpy(&c->scope.cols[left_start], merged, sizeof(oql_scope_col) * (size_t)ncols);
  return ORB_OK;
}

static orb_status walk_join(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  oql_from *l, *r;
  int left_start = c->scope.n;
  /* a recursive term's self-reference may not be on a side an outer join fills with NULLs */
  int wt_refs = b->worktable_refs;
  orb_status st = walk_from(c, f->left, &l, e);
  if (st != ORB_OK) return st;
  if ((f->jt == OQL_JA_RIGHT || f->jt == OQL_JA_FULL) && b->worktable_refs != wt_refs)
    return oql_cte_misplaced(b, "within an outer join", f->left->pos, e);
  int right_start = c->scope.n;
  wt_refs = b->worktable_refs;
  if ((st = walk_from(c, f->right, &r, e)) != ORB_OK) return st;
  if ((f->jt == OQL_JA_LEFT || f->jt == OQL_JA_FULL) && b->worktable_refs != wt_refs)
    return oql_cte_misplaced(b, "within an outer join", f->right->pos, e);
  orb_expr *cond = NULL;
  if (f->on) {
    bool aggs = c->allow_aggs;
    const char *ctx = c->agg_ctx;
    c->allow_aggs = false;
    c->agg_ctx = "JOIN conditions";
    st = oql_walk_operand(c, f->on, &cond, e);
    c->allow_aggs = aggs;
    c->agg_ctx = ctx;
    if (st == ORB_OK) st = oql_require_bool(b, &cond, "JOIN/ON", e);
    if (st == ORB_OK) st = oql_b_finish(b, &cond, e);
    if (st != ORB_OK) return st;
  } else if (f->nusing || f->natural) {
    const char *const *cols = f->using_cols;
    int ncols = f->nusing;
    if (f->natural) natural_cols(c, left_start, right_start, (const char ***)&cols, &ncols);
    if (ncols && (st = bind_using(c, f, cols, ncols, left_start, right_start, &cond, e)) != ORB_OK) return st;
  } else if (f->jt != OQL_JA_CROSS) {
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", f->pos, "JOIN needs an ON or USING clause");
  }
  oql_join_type jt = f->jt == OQL_JA_LEFT    ? OQL_JOIN_LEFT
                     : f->jt == OQL_JA_RIGHT ? OQL_JOIN_RIGHT
                     : f->jt == OQL_JA_FULL  ? OQL_JOIN_FULL
                                             : OQL_JOIN_INNER;
  *out = oql_from_join(c, jt, l, r, cond);
  return ORB_OK;
}

/* A scalar function in FROM, as PostgreSQL allows: one row, one column named by the
** alias (`SELECT * FROM upper('x') AS result`, how JDBC runs {? = call f(?)}) or else
** by the function. */
static orb_status from_scalar_function(oql_selctx *c, oql_selctx *fc, const char *fn, orb_expr **args,
                                       const oql_from_ast *f, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  int nargs = oql_drop_void_params(args, f->nargs);
  orb_expr ***rows = orb_arena_alloc(b->a, sizeof(orb_expr **));
  rows[0] = orb_arena_alloc(b->a, sizeof(orb_expr *));
  orb_status st = oql_b_call(fc, fn, args, nargs, false, false, f->pos, &rows[0][0], e);
  if (st == ORB_OK) st = oql_b_finish(b, &rows[0][0], e);
  if (st != ORB_OK) return st;
  const char *name = f->alias ? f->alias : fn;
  return oql_from_values(c, rows, 1, 1, f->alias ? f->alias : fn, f->ncolnames ? f->colnames : &name,
                         f->ncolnames ? f->ncolnames : 1, f->pos, out, e);
}

orb_status oql_walk_asof(oql_selctx *c, const oql_from_ast *f, orb_expr **out, orb_err *e) {
  oql_selctx ac;
  rowless_ctx(&ac, c->b, f->asof_kind == 1 ? "FOR SYSTEM_TIME AS OF" : "FOR VERSION AS OF");
  ac.corr = c->corr;   /* it may use an enclosing query's columns, not a FROM item's */
  return oql_walk_operand(&ac, f->asof, out, e);
}

static orb_status walk_from(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_status st;
  switch (f->kind) {
  case OQL_FA_TABLE: {
    orb_table *t;
    /* a WITH query of that name hides the table */
    if (!strchr(f->name, '.') && ((st = oql_cte_from(c, f, out, e)) != ORB_OK || *out)) return st;
    /* pg_catalog.x, or an unqualified x no user table shadows (pg_catalog is searched first in PostgreSQL) */
    const char *bare = strncmp(f->name, "pg_catalog.", 11) == 0 ? f->name + 11 : f->name;
    if (oql_is_catalog_table(bare) && (bare != f->name || !orb_db_table(b->db, f->name)))
      return oql_from_catalog(c, bare, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
    if (strncmp(f->name, "information_schema.", 19) == 0)
      return oql_from_infoschema(c, f->name + 19, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
    if ((st = oql_binder_table(b, f->name, f->pos, &t, e)) != ORB_OK) return st;
    if (f->asof) {
      if (!t->location || t->kind == ORB_TABLE_VIEW)
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", f->asof_pos,
                            "%s needs an Iceberg table: \"%s\" is an ordinary table",
                            f->asof_kind == 1 ? "FOR SYSTEM_TIME AS OF" : "FOR VERSION AS OF", t->name);
      orb_expr *x;
      if ((st = oql_walk_asof(c, f, &x, e)) != ORB_OK) return st;
      return oql_from_iceberg_asof(c, t->location, t->name, x, f, out, e);
    }
    if (t->kind == ORB_TABLE_VIEW) return oql_from_view(c, t, f, out, e);
    *out = oql_from_table(c, t, f->alias);
    return ORB_OK;
  }
  case OQL_FA_SUBQUERY: {
    oql_bselect *sub;
    if ((st = oql_walk_select(b, f->sub, &sub, e)) != ORB_OK) return st;
    if (f->ncolnames > sub->nvisible)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", f->pos, "table \"%s\" has %d columns available but %d columns specified",
                          f->alias ? f->alias : "?", sub->nvisible, f->ncolnames);
    *out = oql_from_subquery(c, sub, f->alias, f->colnames, f->ncolnames);
    return ORB_OK;
  }
  case OQL_FA_VALUES:
    return walk_from_values(c, f->sub, f->alias ? f->alias : "*VALUES*", f->colnames, f->ncolnames, f->pos, out, e);
  case OQL_FA_FUNCTION: {
    const char *fn = strncmp(f->name, "pg_catalog.", 11) == 0 ? f->name + 11 : f->name;
    bool scalar = strcmp(fn, "generate_series") != 0 && strcmp(fn, "unnest") != 0 && !oql_regexp_srf_array(fn) &&
                  !oql_is_parquet_function(fn) && !oql_is_iceberg_function(fn) && !oql_is_json_srf_name(fn);
    if (f->asof && !oql_is_iceberg_function(fn))
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", f->asof_pos,
                          "%s needs an Iceberg table: %s() is not one (iceberg_scan() is)",
                          f->asof_kind == 1 ? "FOR SYSTEM_TIME AS OF" : "FOR VERSION AS OF", fn);
    if (scalar && (!orb_func_lookup(fn) || f->list_arg || f->argnames))
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", f->pos, "table function %s does not exist", f->name);
    if (f->argnames && !oql_is_iceberg_function(fn))
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", f->pos, "function %s does not take named arguments", fn);
    oql_selctx fc;
    rowless_ctx(&fc, b, "functions in FROM");
    /* the arguments see no other FROM item (no LATERAL), but do see the
    ** columns of an enclosing query, as in PostgreSQL */
    fc.corr = c->corr;
    orb_expr **args = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(f->nargs + 1));
    for (int i = 0; i < f->nargs; i++)
      if ((st = oql_walk_operand(&fc, f->args[i], &args[i], e)) != ORB_OK) return st;
    if (scalar) return from_scalar_function(c, &fc, fn, args, f, out, e);
    if (oql_is_iceberg_function(fn))
      return oql_from_iceberg(c, fn, args, f, out, e);
    if (oql_is_parquet_function(fn))
      return oql_from_parquet(c, fn, args, f->nargs, f->list_arg, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
    if (f->list_arg)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", f->pos, "function %s does not take a list", fn);
    if (oql_is_json_srf_name(fn))
      return oql_from_json_srf(c, &fc, fn, args, f->nargs, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
    if (strcmp(fn, "unnest") == 0)
      return oql_from_unnest(c, "unnest", args, f->nargs, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
    if (oql_regexp_srf_array(fn)) {   /* the rows of an array: as unnest over it */
      orb_type elem;
      if ((st = oql_b_regexp_srf_array(&fc, fn, args, f->nargs, f->pos, &args[0], &elem, e)) != ORB_OK) return st;
      return oql_from_unnest(c, fn, args, 1, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
    }
    return oql_from_series(c, args, f->nargs, f->alias, f->colnames, f->ncolnames, f->pos, out, e);
  }
  case OQL_FA_JOIN:
    return walk_join(c, f, out, e);
  }
  return orb_err_set(e, ORB_ERR_INTERNAL, "unexpected FROM item kind %d", (int)f->kind);
}

/* --- select list ---------------------------------------------------------------- */

static const char *figure_name(const oql_expr_ast *x);

/* Whether x's name is a type's: a weaker name than a column's or a function's, which an
** enclosing cast replaces with its own type ('t'::regclass::text is named text). */
static bool named_by_type(const oql_expr_ast *x) {
  return x->kind == OQL_X_TYPED ||
         (x->kind == OQL_X_CAST && (strcmp(figure_name(x->l), "?column?") == 0 || named_by_type(x->l)));
}

/* PostgreSQL's default output name of an expression (FigureColname). */
static const char *figure_name(const oql_expr_ast *x) {
  switch (x->kind) {
  case OQL_X_COLUMN: return x->name;
  case OQL_X_CALL: return x->name;
  case OQL_X_FIELD: return x->name;
  case OQL_X_CAST: {
    const char *inner = figure_name(x->l);
    if (strcmp(inner, "?column?") != 0 && !named_by_type(x->l)) return inner;
    return x->tname.name;
  }
  case OQL_X_TYPED: return x->tname.name;
  case OQL_X_CASE: return "case";
  case OQL_X_EXISTS: return "exists";
  case OQL_X_SUBQUERY:   /* the subquery's own column name */
    if (x->sub && x->sub->ntargets == 1 && x->sub->targets[0].alias) return x->sub->targets[0].alias;
    if (x->sub && x->sub->ntargets == 1 && x->sub->targets[0].expr->kind != OQL_X_STAR) return figure_name(x->sub->targets[0].expr);
    return "?column?";
  case OQL_X_BOOL: return "bool";
  default: return "?column?";
  }
}

/* A select-list entry's name in PostgreSQL's output (type names as PostgreSQL spells them). */
static const char *output_name(const oql_target *t) {
  if (t->alias) return t->alias;
  const char *n = figure_name(t->expr);
  static const struct { const char *from, *to; } pg[] = {
      {"integer", "int4"}, {"int", "int4"}, {"bigint", "int8"}, {"smallint", "int2"}, {"real", "float4"},
      {"double precision", "float8"}, {"double", "float8"}, {"boolean", "bool"}, {"decimal", "numeric"},
      {"character varying", "varchar"}, {"timestamp with time zone", "timestamptz"},
      {"timestamp without time zone", "timestamp"}};
  if (t->expr->kind == OQL_X_CAST || t->expr->kind == OQL_X_TYPED)
    for (size_t i = 0; i < sizeof pg / sizeof pg[0]; i++)
      if (strcmp(n, pg[i].from) == 0) return pg[i].to;
  return n;
}

orb_status oql_walk_targets(oql_selctx *c, const oql_target *targets, int n, oql_select_items *it, orb_err *e) {
  for (int i = 0; i < n; i++) {
    const oql_target *t = &targets[i];
    orb_status st;
    if (t->expr->kind == OQL_X_STAR) {
      if ((st = oql_expand_star(c, t->expr->qual, t->expr->pos, it, e)) != ORB_OK) return st;
      continue;
    }
    orb_expr *x;
    if ((st = oql_walk_expr(c, t->expr, &x, e)) != ORB_OK) return st;
    /* SELECT oid::regclass: the output is the name (a reg type is an OID everywhere else) */
    if (t->expr->kind == OQL_X_CAST && oql_is_reg_type(t->expr->tname.name) &&
        ((st = oql_b_reg_out(c->b, t->expr->tname.name, x, t->expr->pos, &x, e)) != ORB_OK ||
         (st = oql_b_finish(c->b, &x, e)) != ORB_OK))
      return st;
    oql_select_items_add(c->b, it, x, orb_arena_strdup(c->b->a, output_name(t)));
  }
  return ORB_OK;
}

/* A bare integer constant in GROUP BY / ORDER BY names an output column by position. */
static bool position_ref(const oql_expr_ast *x, long *n) {
  if (x->kind != OQL_X_NUMBER) return false;
  for (size_t i = 0; i < x->len; i++)
    if (x->text[i] < '0' || x->text[i] > '9') return false;
  *n = x->len > 9 ? 1000000000L : strtol(x->text, NULL, 10);
  return true;
}

/* GROUP BY item i: an output position, an expression over the input, or an output's name. */
static orb_status group_key(oql_selctx *c, oql_select_parts *p, const oql_expr_ast *g, orb_expr **out, orb_err *e) {
  long n;
  orb_status st = ORB_OK;
  if (position_ref(g, &n)) {
    if (n < 1 || n > p->nvisible)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", g->pos, "GROUP BY position %ld is not in select list", n);
    *out = p->items.exprs[n - 1];
  } else if ((st = oql_walk_expr(c, g, out, e)) != ORB_OK && g->kind == OQL_X_COLUMN && !g->qual &&
             e->code == ORB_ERR_UNDEFINED) {
    /* not an input column: an output column's name (PostgreSQL allows it) */
    bool amb;
    int k = oql_find_output(&p->items, p->nvisible, g->name, &amb);
    if (k >= 0) {
      orb_err_clear(e);
      *out = p->items.exprs[k];
      st = ORB_OK;
    }
  }
  if (st != ORB_OK) return st;
  /* a set-returning function in a key (GROUP BY unnest(a), or GROUP BY 1 naming
  ** one): PostgreSQL groups its rows, so it runs below the grouping */
  for (int k = 0; k < c->nsrfs; k++)
    if (!c->srfs[k].below && oql_uses_gid(*out, c->srfs[k].gid)) c->srfs[k].below = true;
  if ((*out)->kind == ORB_E_COLUMN && (*out)->slot <= OQL_WIN_MARK)   /* GROUP BY 1, 1 a window function */
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P20", g->pos, "window functions are not allowed in GROUP BY");
  if ((*out)->kind == ORB_E_COLUMN && (*out)->slot < 0)
    return orb_err_setx(e, ORB_ERR_TYPE, "42803", g->pos, "aggregate functions are not allowed in GROUP BY");
  return ORB_OK;
}

/* The most grouping sets one GROUP BY may make, PostgreSQL's limits. */
#define MAX_GROUPING_SETS 4096
#define MAX_CUBE_ITEMS 12

/* The key index of expression g among p->group, added if new (64 at most: sets are masks). */
static orb_status set_key(oql_selctx *c, oql_select_parts *p, const oql_expr_ast *g, int *k, orb_err *e) {
  orb_expr *x;
  orb_status st = group_key(c, p, g, &x, e);
  if (st != ORB_OK) return st;
  for (*k = 0; *k < p->ngroup; (*k)++)
    if (oql_expr_same(p->group[*k], x)) return ORB_OK;
  if (p->ngroup == 64) return orb_err_setx(e, ORB_ERR_LIMIT, "54001", g->pos, "too many grouping expressions (at most 64)");
  p->group[p->ngroup++] = x;
  return ORB_OK;
}

/* The sets of one GROUP BY element, as masks into out (room for MAX_GROUPING_SETS). */
static orb_status element_sets(oql_selctx *c, oql_select_parts *p, const oql_group_elem *g, uint64_t *out, int *n,
                               orb_err *e) {
  uint64_t items[MAX_GROUPING_SETS];
  if (g->n > MAX_GROUPING_SETS) return orb_err_setx(e, ORB_ERR_LIMIT, "54001", g->pos, "too many grouping sets present (maximum %d)", MAX_GROUPING_SETS);
  for (int i = 0; i < g->n; i++) {
    items[i] = 0;
    for (int j = 0; j < g->lens[i]; j++) {
      int k;
      orb_status st = set_key(c, p, g->lists[i][j], &k, e);
      if (st != ORB_OK) return st;
      items[i] |= (uint64_t)1 << k;
    }
  }
  *n = 0;
  switch (g->kind) {
  case OQL_G_EXPR:
  case OQL_G_SETS:
    for (int i = 0; i < g->n; i++) out[(*n)++] = items[i];
    break;
  case OQL_G_ROLLUP:   /* (a, b, c): (a, b, c), (a, b), (a), () */
    for (int len = g->n; len >= 0; len--) {
      uint64_t m = 0;
      for (int i = 0; i < len; i++) m |= items[i];
      out[(*n)++] = m;
    }
    break;
  case OQL_G_CUBE:     /* every subset, the whole first */
    if (g->n > MAX_CUBE_ITEMS) return orb_err_setx(e, ORB_ERR_LIMIT, "54011", g->pos, "CUBE is limited to %d elements", MAX_CUBE_ITEMS);
    for (int bits = (1 << g->n) - 1; bits >= 0; bits--) {
      uint64_t m = 0;
      for (int i = 0; i < g->n; i++)
        if (bits & (1 << (g->n - 1 - i))) m |= items[i];
      out[(*n)++] = m;
    }
    break;
  }
  return ORB_OK;
}

/* GROUP BY with ROLLUP / CUBE / GROUPING SETS / (): the union of the keys
** in p->group and the sets as masks of them, the elements' sets crossed
** (GROUP BY a, ROLLUP (b) groups by (a, b) and (a)), duplicates kept, as in
** PostgreSQL. */
static orb_status walk_grouping_sets(oql_selctx *c, const oql_select_ast *s, oql_select_parts *p, orb_err *e) {
  oql_binder *b = c->b;
  p->group = orb_arena_alloc(b->a, sizeof(orb_expr *) * 65);
  p->ngroup = 0;
  uint64_t *cur = orb_arena_alloc(b->a, sizeof(uint64_t) * MAX_GROUPING_SETS);
  uint64_t *mine = orb_arena_alloc(b->a, sizeof(uint64_t) * MAX_GROUPING_SETS);
  uint64_t *next = orb_arena_alloc(b->a, sizeof(uint64_t) * MAX_GROUPING_SETS);
  int ncur = 1;
  cur[0] = 0;
  for (int i = 0; i < s->ngelems; i++) {
    int nmine, nnext = 0;
    orb_status st = element_sets(c, p, &s->gelems[i], mine, &nmine, e);
    if (st != ORB_OK) return st;
    if ((int64_t)ncur * nmine > MAX_GROUPING_SETS)
      return orb_err_setx(e, ORB_ERR_LIMIT, "54001", s->gelems[i].pos, "too many grouping sets present (maximum %d)",
                          MAX_GROUPING_SETS);
    for (int x = 0; x < ncur; x++)
      for (int y = 0; y < nmine; y++) next[nnext++] = cur[x] | mine[y];
    uint64_t *t = cur;
    cur = next;
    next = t;
    ncur = nnext;
  }
  p->sets = cur;
  p->nsets = ncur;
  return ORB_OK;
}

static orb_status walk_group(oql_selctx *c, const oql_select_ast *s, oql_select_parts *p, orb_err *e) {
  oql_binder *b = c->b;
  c->allow_aggs = false;
  c->agg_ctx = "GROUP BY";
  bool allow_srfs = c->allow_srfs;
  c->allow_srfs = true;   /* set-returning functions: their rows are grouped (group_key) */
  orb_status st = ORB_OK;
  if (s->ngelems) {
    st = walk_grouping_sets(c, s, p, e);
  } else {
    p->ngroup = s->ngroup;
    p->group = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(s->ngroup + 1));
    for (int i = 0; i < s->ngroup && st == ORB_OK; i++) st = group_key(c, p, s->group[i], &p->group[i], e);
  }
  c->allow_srfs = allow_srfs;
  return st;
}

/* The output slot an ORDER BY (or DISTINCT ON) item names: a position, an
** output column's name, or else an expression, added as a hidden output
** unless an output already computes it. */
static orb_status order_item_slot(oql_selctx *c, oql_select_parts *p, const oql_expr_ast *x, const char *clause,
                                  int *out, orb_err *e) {
  int slot = -1;
  long n;
  if (position_ref(x, &n)) {
    if (n < 1 || n > p->nvisible)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", x->pos, "%s position %ld is not in select list", clause, n);
    slot = (int)n - 1;
  } else if (x->kind == OQL_X_COLUMN && !x->qual) {
    bool amb;
    slot = oql_find_output(&p->items, p->nvisible, x->name, &amb);
    if (amb) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42702", x->pos, "%s \"%s\" is ambiguous", clause, x->name);
  }
  if (slot < 0) {
    orb_expr *bx;
    orb_status st = oql_walk_expr(c, x, &bx, e);
    if (st != ORB_OK) return st;
    int before = p->items.n;
    slot = oql_match_or_add_output(c->b, &p->items, bx);
    if (p->items.n > before && !p->first_hidden_pos) p->first_hidden_pos = x->pos;
  }
  *out = slot;
  return ORB_OK;
}

static orb_status walk_order(oql_selctx *c, const oql_select_ast *s, oql_select_parts *p, orb_err *e) {
  oql_binder *b = c->b;
  p->nsort = s->norder;
  p->sort = orb_arena_alloc(b->a, sizeof(oql_sort_key) * (size_t)(s->norder + s->ndistinct_on + 1));
  c->allow_aggs = true;
  c->agg_ctx = NULL;
  c->allow_wins = true;
  c->allow_srfs = true;   /* ORDER BY unnest(...): in lockstep with the select list's, as in PostgreSQL */
  orb_status st = ORB_OK;
  for (int i = 0; i < s->norder && st == ORB_OK; i++) {
    const oql_order_ast *o = &s->order[i];
    int slot = -1;
    st = order_item_slot(c, p, o->expr, "ORDER BY", &slot, e);
    p->sort[i].slot = slot;
    p->sort[i].desc = o->desc;
    p->sort[i].nulls_first = o->nulls == 1 || (o->nulls == 0 && o->desc);
  }
  c->allow_srfs = false;
  return st;
}

/* DISTINCT ON (keys): resolved like ORDER BY items; the ORDER BY must start
** with them (in any order), as PostgreSQL requires, and the keys it lacks
** are sorted on after it, so that equal keys arrive together and the first
** of each run is the one ORDER BY puts first. */
static orb_status walk_distinct_on(oql_selctx *c, const oql_select_ast *s, oql_select_parts *p, orb_err *e) {
  oql_binder *b = c->b;
  int n = s->ndistinct_on;
  p->distinct_on = orb_arena_alloc(b->a, sizeof(int) * (size_t)n);
  p->ndistinct_on = n;
  c->allow_aggs = true;
  c->agg_ctx = NULL;
  c->allow_wins = true;
  for (int i = 0; i < n; i++) {
    orb_status st = order_item_slot(c, p, s->distinct_on[i], "DISTINCT ON", &p->distinct_on[i], e);
    if (st != ORB_OK) return st;
  }
  if (!p->sort) p->sort = orb_arena_alloc(b->a, sizeof(oql_sort_key) * (size_t)(n + 1));
  int lead = p->nsort < n ? p->nsort : n;
  for (int i = 0; i < lead; i++) {
    bool key = false;
    for (int k = 0; k < n; k++) key |= p->distinct_on[k] == p->sort[i].slot;
    if (key) continue;
    /* point at the first key the leading ORDER BY items leave out */
    int bad = 0;
    for (int k = n - 1; k >= 0; k--) {
      bool led = false;
      for (int j = 0; j < lead; j++) led |= p->sort[j].slot == p->distinct_on[k];
      if (!led) bad = k;
    }
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", s->distinct_on[bad]->pos,
                        "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
  }
  for (int k = 0; k < n; k++) {
    bool sorted = false;
    for (int i = 0; i < p->nsort; i++) sorted |= p->sort[i].slot == p->distinct_on[k];
    if (!sorted) p->sort[p->nsort++] = (oql_sort_key){p->distinct_on[k], false, false};
  }
  return ORB_OK;
}

static orb_status walk_limit(oql_binder *b, const oql_expr_ast *x, const char *what, orb_expr **out, orb_err *e) {
  *out = NULL;
  if (!x) return ORB_OK;
  oql_selctx lc;
  rowless_ctx(&lc, b, what);
  orb_expr *v;
  orb_status st = oql_walk_operand(&lc, x, &v, e);
  if (st == ORB_OK) st = oql_coerce(b, &v, orb_type_make(ORB_T_INT64), e);
  if (st == ORB_OK) st = oql_b_finish(b, &v, e);
  if (st == ORB_OK) *out = v;
  return st;
}

/* One SELECT block (no set operation) with its ORDER BY and LIMIT. */
static orb_status walk_block(oql_binder *b, const oql_select_ast *s, oql_bselect **out, orb_err *e) {
  oql_selctx c;
  oql_selctx_init(&c, b);
  c.corr = b->corr;   /* a subquery of an expression sees the columns around it */
  c.sel = s;          /* its WINDOW clause */
  oql_select_parts p;
  memset(&p, 0, sizeof p);
  oql_select_items_init(&p.items);
  orb_status st;
  if (s->nvalues) {
    /* VALUES (...), ... as a query: SELECT * FROM (VALUES ...) */
    if ((st = walk_from_values(&c, s, "*VALUES*", NULL, 0, s->pos, &p.from, e)) != ORB_OK) return st;
    if ((st = oql_expand_star(&c, NULL, s->pos, &p.items, e)) != ORB_OK) return st;
  } else {
    for (int i = 0; i < s->nfrom; i++) {
      oql_from *f;
      if ((st = walk_from(&c, s->from[i], &f, e)) != ORB_OK) return st;
      p.from = p.from ? oql_from_join(&c, OQL_JOIN_INNER, p.from, f, NULL) : f;
    }
    if (s->where) {
      c.agg_ctx = "WHERE";
      if ((st = oql_walk_operand(&c, s->where, &p.where, e)) != ORB_OK) return st;
      if ((st = oql_require_bool(b, &p.where, "WHERE", e)) != ORB_OK) return st;
      if ((st = oql_b_finish(b, &p.where, e)) != ORB_OK) return st;
    }
    if ((st = oql_check_window_clause(s, e)) != ORB_OK) return st;
    c.allow_aggs = true;
    c.agg_ctx = NULL;
    c.allow_wins = true;   /* window functions: the select list and ORDER BY only */
    c.allow_srfs = true;
    st = oql_walk_targets(&c, s->targets, s->ntargets, &p.items, e);
    c.allow_wins = false;
    c.allow_srfs = false;
    if (st != ORB_OK) return st;
  }
  p.nvisible = p.items.n;
  p.distinct = s->distinct;
  if ((s->ngroup || s->ngelems) && (st = walk_group(&c, s, &p, e)) != ORB_OK) return st;
  if (s->having) {
    c.allow_aggs = true;
    c.agg_ctx = NULL;
    c.win_ctx = "HAVING";
    if ((st = oql_walk_operand(&c, s->having, &p.having, e)) != ORB_OK) return st;
    if ((st = oql_require_bool(b, &p.having, "HAVING", e)) != ORB_OK) return st;
    if ((st = oql_b_finish(b, &p.having, e)) != ORB_OK) return st;
  }
  if ((st = walk_order(&c, s, &p, e)) != ORB_OK) return st;
  if (s->ndistinct_on && (st = walk_distinct_on(&c, s, &p, e)) != ORB_OK) return st;
  if (s->nlocks && (st = oql_walk_locking(&c, s, &p, e)) != ORB_OK) return st;
  if ((st = walk_limit(b, s->limit, "LIMIT", &p.limit, e)) != ORB_OK) return st;
  if ((st = walk_limit(b, s->offset, "OFFSET", &p.offset, e)) != ORB_OK) return st;
  return oql_select_assemble(&c, &p, out, e);
}

/* --- set operations -------------------------------------------------------------- */

static const char *setop_name(oql_setop op) {
  return op == OQL_SETOP_UNION ? "UNION" : op == OQL_SETOP_INTERSECT ? "INTERSECT" : "EXCEPT";
}

/* The blocks under set operation s (its branches, theirs, ...), in order. */
static void setop_leaves(oql_bselect *s, oql_bselect **v, int *n) {
  if (s->setop == OQL_BSET_NONE || s->setop == OQL_BSET_RECURSIVE) {
    v[(*n)++] = s;
    return;
  }
  setop_leaves(s->larg, v, n);
  setop_leaves(s->rarg, v, n);
}

static int setop_count(const oql_bselect *s) {
  if (s->setop == OQL_BSET_NONE || s->setop == OQL_BSET_RECURSIVE) return 1;
  return setop_count(s->larg) + setop_count(s->rarg);
}

/* Each column of every block under n brought to one type, as PostgreSQL
** resolves a set operation's columns (UNION types text and integer cannot
** be matched, 42804). */
static orb_status unify_setop(oql_binder *b, oql_bselect *n, const oql_select_ast *s, orb_err *e) {
  int nb = setop_count(n), k = 0;
  oql_bselect **leaves = orb_arena_alloc(b->a, sizeof(oql_bselect *) * (size_t)nb);
  setop_leaves(n, leaves, &k);
  orb_expr **col = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)nb);
  for (int i = 0; i < n->nvisible; i++) {
    for (k = 0; k < nb; k++) col[k] = leaves[k]->out[i];
    orb_type t;
    orb_status st = oql_unify_list(b, col, nb, s->pos, &t, e);
    if (st != ORB_OK) {
      if (e && strncmp(e->msg, "types ", 6) == 0) {   /* PostgreSQL names the operation */
        const char *op = setop_name(s->setop);
        size_t k = strlen(op) + 1, len = strlen(e->msg);
        if (len + k >= sizeof e->msg) len = sizeof e->msg - k - 1;
        memmove(e->msg + k, e->msg, len);
        memcpy(e->msg, op, k - 1);
        e->msg[k - 1] = ' ';
        e->msg[len + k] = '\0';
      }
      return st;
    }
    if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
    for (k = 0; k < nb; k++) {
      if ((st = oql_coerce(b, &col[k], t, e)) != ORB_OK) return st;
      if ((st = oql_b_finish(b, &col[k], e)) != ORB_OK) return st;
      leaves[k]->out[i] = col[k];
    }
  }
  return ORB_OK;
}

/* ORDER BY of a set operation: result column names or positions only. */
static orb_status setop_order(oql_binder *b, oql_bselect *n, const oql_select_ast *s, orb_err *e) {
  n->nsort = s->norder;
  n->sort = orb_arena_alloc(b->a, sizeof(oql_sort_key) * (size_t)(s->norder + 1));
  oql_select_items it = {n->out, n->out_names, n->nvisible, n->nvisible};
  for (int i = 0; i < s->norder; i++) {
    const oql_order_ast *o = &s->order[i];
    long pos;
    int slot = -1;
    bool amb = false;
    if (position_ref(o->expr, &pos)) {
      if (pos < 1 || pos > n->nvisible)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", o->expr->pos, "ORDER BY position %ld is not in select list", pos);
      slot = (int)pos - 1;
    } else if (o->expr->kind == OQL_X_COLUMN && !o->expr->qual) {
      slot = oql_find_output(&it, n->nvisible, o->expr->name, &amb);
      if (slot < 0)
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", o->expr->pos, "column \"%s\" does not exist", o->expr->name);
    }
    if (slot < 0)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", o->expr->pos, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause");
    n->sort[i] = (oql_sort_key){slot, o->desc, o->nulls == 1 || (o->nulls == 0 && o->desc)};
  }
  return ORB_OK;
}

/* A branch's outputs that are string literals stay of unknown type, so that
** the other branches decide it (SELECT 1 UNION SELECT '2' is integer). */
static void keep_unknown_literals(const oql_select_ast *ast, oql_bselect *bs) {
  if (ast->setop || ast->nvalues) return;
  for (int i = 0; i < ast->ntargets && i < bs->nvisible; i++) {
    if (ast->targets[i].expr->kind == OQL_X_STAR) return;   /* outputs no longer line up with targets */
    orb_expr *x = bs->out[i];
    if (ast->targets[i].expr->kind == OQL_X_STRING && x->kind == ORB_E_CONST && x->type.id == ORB_T_TEXT)
      x->flags |= OQL_EF_UNKNOWN;
  }
}

/* larg UNION / INTERSECT / EXCEPT [ALL] rarg, then ORDER BY / LIMIT of the whole. */
static orb_status walk_setop(oql_binder *b, const oql_select_ast *s, oql_bselect **out, orb_err *e) {
  oql_bselect *n = orb_arena_zalloc(b->a, sizeof *n);
  n->setop = s->setop == OQL_SETOP_UNION ? OQL_BSET_UNION : s->setop == OQL_SETOP_INTERSECT ? OQL_BSET_INTERSECT : OQL_BSET_EXCEPT;
  n->set_all = s->set_all;
  orb_status st = oql_walk_select(b, s->larg, &n->larg, e);
  if (st == ORB_OK) st = oql_walk_select(b, s->rarg, &n->rarg, e);
  if (st != ORB_OK) return st;
  keep_unknown_literals(s->larg, n->larg);
  keep_unknown_literals(s->rarg, n->rarg);
  if (n->larg->nvisible != n->rarg->nvisible)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", s->rarg->pos, "each %s query must have the same number of columns",
                        setop_name(s->setop));
  n->nvisible = n->nout = n->larg->nvisible;
  if ((st = unify_setop(b, n, s, e)) != ORB_OK) return st;
  oql_bselect *first = n->larg;
  while (first->setop != OQL_BSET_NONE && first->setop != OQL_BSET_RECURSIVE) first = first->larg;
  n->out = first->out;
  n->out_names = first->out_names;
  if ((st = setop_order(b, n, s, e)) != ORB_OK) return st;
  if ((st = walk_limit(b, s->limit, "LIMIT", &n->limit, e)) != ORB_OK) return st;
  if ((st = walk_limit(b, s->offset, "OFFSET", &n->offset, e)) != ORB_OK) return st;
  *out = n;
  return ORB_OK;
}

orb_status oql_walk_select(oql_binder *b, const oql_select_ast *s, oql_bselect **out, orb_err *e) {
  orb_status st = s->setop ? oql_refuse_set_op_locking(s, e) : ORB_OK;
  if (st != ORB_OK) return st;
  oql_cte_scope sc;
  if (s->with) st = oql_with_push(b, s->with, s, false, &sc, e);
  if (st == ORB_OK) st = s->setop ? walk_setop(b, s, out, e) : walk_block(b, s, out, e);
  if (s->with) oql_with_pop(b, &sc, st == ORB_OK ? *out : NULL);
  return st;
}

/* The base table whose columns f gives gid g, and g's schema position in it (NULL: none). */
static orb_table *gid_table(const oql_from *f, int g, int *col) {
  if (!f) return NULL;
  if (f->kind == OQL_FROM_JOIN) {
    orb_table *t = gid_table(f->left, g, col);
    return t ? t : gid_table(f->right, g, col);
  }
  if (f->kind != OQL_FROM_TABLE || g < f->first_gid || g >= f->first_gid + f->ncols) return NULL;
  *col = g - f->first_gid;
  return f->table;
}

/* Which output columns of a plain select read a table's column unchanged: what JDBC's
** updatable result sets ask the RowDescription for (before planning turns gids into slots). */
static void output_origins(oql_binder *b, const oql_bselect *bs, oql_bstmt *out) {
  out->origin_table = orb_arena_zalloc(b->a, sizeof(int64_t) * (size_t)(bs->nvisible + 1));
  out->origin_col = orb_arena_zalloc(b->a, sizeof(int16_t) * (size_t)(bs->nvisible + 1));
  if (bs->grouped || bs->setop) return;
  for (int i = 0; i < bs->nvisible; i++) {
    const orb_expr *x = bs->out[i];
    int col;
    orb_table *t = x->kind == ORB_E_COLUMN ? gid_table(bs->from, x->slot, &col) : NULL;
    if (!t) continue;
    out->origin_table[i] = oql_cat_table_oid(t);
    out->origin_col[i] = (int16_t)(col + 1);
  }
}

orb_status oql_walk_query(oql_binder *b, const oql_select_ast *s, oql_op **root, int *nvisible,
                          const char ***names, orb_err *e) {
  return oql_walk_query_origins(b, s, root, nvisible, names, NULL, e);
}

orb_status oql_walk_query_origins(oql_binder *b, const oql_select_ast *s, oql_op **root, int *nvisible,
                                  const char ***names, oql_bstmt *origins, orb_err *e) {
  oql_bselect *bs;
  orb_status st = oql_walk_select(b, s, &bs, e);
  if (st == ORB_OK && origins) output_origins(b, bs, origins);
  if (st == ORB_OK) st = oql_plan_select(b->a, bs, root, e);
  if (st != ORB_OK) return st;
  *nvisible = bs->nvisible;
  const char **nm = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(bs->nvisible + 1));
  for (int i = 0; i < bs->nvisible; i++) nm[i] = bs->out_names && bs->out_names[i] ? bs->out_names[i] : "?column?";
  *names = nm;
  return ORB_OK;
}
