/* query/binder_check.c — CHECK constraints: checked and named at CREATE
** TABLE, then bound for each statement that writes rows and tested on every
** row it writes (INSERT, ON CONFLICT DO UPDATE, UPDATE, COPY FROM).
**
** The catalog keeps each condition as SQL text over the table's columns
** (types/schema.h, orb_check).  A row passes when the condition is true or
** NULL, as in PostgreSQL; else 23514 "new row for relation "t" violates
** check constraint "t_v_check"" with the failing row as DETAIL. */
#include "query/binder_int.h"

#include <string.h>

#include "base/mem.h"
#include "query/parser.h"

static bool reads_column(const orb_expr *x, int slot) {
  if (x->kind == ORB_E_COLUMN && x->slot == slot) return true;
  for (int i = 0; i < x->nargs; i++)
    if (x->args[i] && reads_column(x->args[i], slot)) return true;
  return false;
}

/* PostgreSQL's name for an unnamed constraint: <table>_<column>_check when
** the condition reads one column, else <table>_check; a number appended while
** the name is taken. */
static const char *check_name(oql_binder *b, const char *table, const orb_schema *s, const orb_expr *x, const char *col) {
  int only = -1, ncols = 0;
  for (int i = 0; i < s->ncols && !col; i++)
    if (reads_column(x, i)) only = i, ncols++;
  const char *base = col               ? orb_arena_sprintf(b->a, "%s_%s_check", table, col)
                     : ncols == 1      ? orb_arena_sprintf(b->a, "%s_%s_check", table, s->cols[only].name)
                                       : orb_arena_sprintf(b->a, "%s_check", table);
  const char *name = base;
  for (int k = 1;; k++) {
    bool taken = false;
    for (int i = 0; i < s->nchecks && !taken; i++) taken = strcmp(s->checks[i].name, name) == 0;
    if (!taken) return name;
    name = orb_arena_sprintf(b->a, "%s%d", base, k);
  }
}

/* Bind condition x over schema s's columns (gid = position), as a check. */
static orb_status bind_cond(oql_binder *b, const char *table, const orb_schema *s, const oql_expr_ast *cond,
                            orb_expr **out, orb_err *e) {
  oql_selctx c;
  oql_selctx_init(&c, b);
  c.agg_ctx = "check constraints";
  c.win_ctx = "check constraints";
  for (int i = 0; i < s->ncols; i++) oql_scope_add(b, &c.scope, table, s->cols[i].name, oql_selctx_new_gid(&c, s->cols[i].name), s->cols[i].type);
  int nsub = b->nsublinks, nparams = b->nparams;
  orb_status st = oql_walk_operand(&c, cond, out, e);
  if (st == ORB_OK && b->nsublinks > nsub)
    st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", cond->pos, "cannot use subquery in check constraint");
  if (st == ORB_OK && b->nparams > nparams)
    st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42P02", cond->pos, "there is no parameter $%d", b->nparams);
  if (st == ORB_OK) st = oql_require_bool(b, out, "CHECK", e);
  if (st == ORB_OK) st = oql_b_finish(b, out, e);
  return st;
}

orb_status oql_bind_create_checks(oql_binder *b, const oql_create_ast *cr, orb_schema *s, orb_err *e) {
  for (int pass = 0; pass < 2; pass++) {   /* the columns' constraints, then the table's */
    int n = pass ? cr->nchecks : cr->ncols;
    for (int i = 0; i < n; i++) {
      const oql_check_ast *ck = pass ? &cr->checks[i] : cr->cols[i].check;
      if (!ck) continue;
      orb_expr *x;
      orb_status st = bind_cond(b, cr->table, s, ck->cond, &x, e);
      if (st != ORB_OK) return st;
      const char *name = ck->name ? ck->name : check_name(b, cr->table, s, x, ck->col);
      for (int k = 0; k < s->nchecks; k++)
        if (strcmp(s->checks[k].name, name) == 0)
          return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", ck->pos, "check constraint \"%s\" already exists", name);
      orb_schema_add_check(s, name, ck->sql);
    }
  }
  return ORB_OK;
}

orb_status oql_checks_bind(orb_db *db, orb_arena *a, const orb_table *t, oql_checks *out, orb_err *e) {
  const orb_schema *s = &t->schema;
  memset(out, 0, sizeof *out);
  if (!s->nchecks) return ORB_OK;
  out->conds = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)s->nchecks);
  for (int i = 0; i < s->nchecks; i++) {
    /* the catalog keeps the condition as written: bind it as `SELECT <cond>` */
    const char *sql = orb_arena_sprintf(a, "SELECT %s", s->checks[i].sql);
    oql_binder b;
    oql_binder_init(&b, db, a, sql);
    oql_stmt_ast *ast;
    const char *tail;
    bool empty;
    orb_status st = oql_parse(a, sql, &tail, &ast, &empty, e);
    if (st == ORB_OK && (empty || ast->kind != OQL_S_SELECT || ast->select->ntargets != 1))
      st = orb_err_set(e, ORB_ERR_CORRUPT, "check constraint \"%s\" is not a condition: %s", s->checks[i].name,
                       s->checks[i].sql);
    if (st == ORB_OK) st = bind_cond(&b, t->name, s, ast->select->targets[0].expr, &out->conds[i], e);
    for (int k = 0; k < b.nsublinks; k++) oql_op_destroy(b.sublinks[k]);
    if (st != ORB_OK) {
      if (e) e->pos = 0;
      return st;
    }
  }
  out->n = s->nchecks;
  return ORB_OK;
}

orb_status oql_checks_test(const oql_checks *c, oql_rt *rt, const orb_table *t, const orb_value *const *rows, size_t n,
                           orb_err *e) {
  for (size_t r = 0; r < n; r++)
    for (int i = 0; i < c->n; i++) {
      orb_value v;
      orb_status st = orb_expr_eval(c->conds[i], &rt->ctx, rows[r], &v, e);
      if (st != ORB_OK) return st;
      if (v.isnull || v.u.b) continue;
      st = orb_err_setx(e, ORB_ERR_CONSTRAINT, "23514", 0, "new row for relation \"%s\" violates check constraint \"%s\"",
                        t->name, t->schema.checks[i].name);
      orb_table_failing_row(&t->schema, rows[r], e);
      return st;
    }
  return ORB_OK;
}

orb_status oql_check_rows(const orb_table *t, oql_rt *rt, const orb_value *const *rows, size_t n, orb_err *e) {
  if (!t->schema.nchecks || !n) return ORB_OK;
  orb_arena a;
  orb_arena_init(&a, 4096);
  oql_checks ck;
  orb_status st = oql_checks_bind(rt->db, &a, t, &ck, e);
  if (st == ORB_OK) st = oql_checks_test(&ck, rt, t, rows, n, e);
  orb_arena_free(&a);
  return st;
}

orb_status oql_bind_alter_check(oql_binder *b, const orb_table *t, const oql_check_ast *ck, const char **name, orb_err *e) {
  orb_expr *x;
  orb_status st = bind_cond(b, t->name, &t->schema, ck->cond, &x, e);
  if (st != ORB_OK) return st;
  *name = ck->name ? ck->name : check_name(b, t->name, &t->schema, x, NULL);
  for (int k = 0; k < t->schema.nchecks; k++)
    if (strcmp(t->schema.checks[k].name, *name) == 0)
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", ck->pos, "constraint \"%s\" for relation \"%s\" already exists",
                          *name, t->name);
  return ORB_OK;
}

orb_status oql_check_existing(const orb_table *t, oql_rt *rt, const char *name, const char *sql, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_schema one;   /* t's columns with only the new check */
  orb_schema_copy(&one, &t->schema);
  for (int i = 0; i < one.nchecks; i++) orb_free(one.checks[i].name), orb_free(one.checks[i].sql);
  one.nchecks = 0;
  orb_schema_add_check(&one, name, sql);
  orb_table view = *t;
  view.schema = one;
  oql_checks ck;
  orb_status st = oql_checks_bind(rt->db, &a, &view, &ck, e);
  orb_table_scan *scan = NULL;
  orb_scan_req req = {NULL, t->schema.ncols, NULL, &rt->ctx, rt->snap};
  if (st == ORB_OK) st = orb_table_scan_begin((orb_table *)t, &req, &scan, e);
  orb_row_batch *rb = orb_malloc(sizeof *rb);
  while (st == ORB_OK) {
    if ((st = orb_table_scan_next(scan, rb, e)) != ORB_OK || rb->nrows == 0) break;
    for (int r = 0; r < rb->nrows && st == ORB_OK; r++) {
      orb_value v;
      if ((st = orb_expr_eval(ck.conds[0], &rt->ctx, rb->rows[r], &v, e)) == ORB_OK && !v.isnull && !v.u.b)
        st = orb_err_setx(e, ORB_ERR_CONSTRAINT, "23514", 0, "check constraint \"%s\" of relation \"%s\" is violated by some row",
                          name, t->name);
    }
    orb_arena_reset(&rt->tmp);
  }
  if (scan) orb_table_scan_end(scan, NULL);
  orb_free(rb);
  orb_schema_free(&one);
  orb_arena_free(&a);
  return st;
}

bool oql_check_uses_column(orb_db *db, const orb_table *t, int check, int col) {
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_table view = *t;   /* t with that one check */
  orb_check only = t->schema.checks[check];
  view.schema.checks = &only;
  view.schema.nchecks = 1;
  oql_checks ck;
  orb_err ig;
  orb_err_clear(&ig);
  bool uses = oql_checks_bind(db, &a, &view, &ck, &ig) != ORB_OK || reads_column(ck.conds[0], col);
  orb_arena_free(&a);
  return uses;
}
