/* query/parse_select.c — queries: SELECT blocks, FROM items and joins,
** VALUES lists, UNION, ORDER BY / LIMIT / OFFSET. */
#include "query/parse_int.h"

#include <string.h>

bool oql_p_starts_query(oql_parser *p) {
  int k = 0;
  while (oql_p_peek(p, k)->kind == OQL_T_OP && strcmp(oql_p_peek(p, k)->text, "(") == 0) {
    /* deeper than the parser may nest either way: say yes and let the
    ** depth check report it, rather than rescan the run at every level */
    if (++k > OQL_MAX_DEPTH) return true;
  }
  return oql_p_peek_is(p, k, "select") || oql_p_peek_is(p, k, "values") || oql_p_peek_is(p, k, "with");
}

orb_status oql_p_ident_list(oql_parser *p, const char ***names, int **poss, int *n) {
  orb_status st = oql_p_expect_op(p, "(");
  if (st != ORB_OK) return st;
  oql_plist l = {0}, lp = {0};
  for (;;) {
    const char *name;
    int pos;
    if ((st = oql_p_ident(p, &name, &pos)) != ORB_OK) return st;
    oql_plist_add(p, &l, (void *)name);
    int *pp = orb_arena_alloc(p->a, sizeof(int));
    *pp = pos;
    oql_plist_add(p, &lp, pp);
    if (!oql_p_accept_op(p, ",")) break;
  }
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  *names = (const char **)l.v;
  *n = l.n;
  if (poss) {
    *poss = orb_arena_alloc(p->a, sizeof(int) * (size_t)(l.n + 1));
    for (int i = 0; i < l.n; i++) (*poss)[i] = *(int *)lp.v[i];
  }
  return ORB_OK;
}

orb_status oql_p_values_rows(oql_parser *p, bool allow_default, oql_expr_ast ****rows, int **lens, int **poss,
                             int *nrows) {
  oql_plist rl = {0}, ll = {0};
  orb_status st;
  do {
    int pos = oql_p_tok(p)->pos;
    if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
    oql_plist row = {0};
    for (;;) {
      oql_expr_ast *x = NULL;
      if (oql_p_is(p, "default") && allow_default) {
        oql_p_advance(p);
      } else if ((st = oql_p_expr(p, &x)) != ORB_OK) {
        return st;
      }
      /* the plist cannot hold NULL markers for DEFAULT: store a sentinel */
      oql_plist_add(p, &row, x ? (void *)x : (void *)p);
      if (!oql_p_accept_op(p, ",")) break;
    }
    if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
    for (int i = 0; i < row.n; i++)
      if (row.v[i] == (void *)p) row.v[i] = NULL;
    oql_plist_add(p, &rl, row.v);
    int *len = orb_arena_alloc(p->a, sizeof(int) * 2);
    len[0] = row.n;
    len[1] = pos;
    oql_plist_add(p, &ll, len);
  } while (oql_p_accept_op(p, ","));
  *nrows = rl.n;
  *rows = (oql_expr_ast ***)rl.v;
  *lens = orb_arena_alloc(p->a, sizeof(int) * (size_t)(rl.n + 1));
  if (poss) *poss = orb_arena_alloc(p->a, sizeof(int) * (size_t)(rl.n + 1));
  for (int i = 0; i < rl.n; i++) {
    (*lens)[i] = ((int *)ll.v[i])[0];
    if (poss) (*poss)[i] = ((int *)ll.v[i])[1];
  }
  return ORB_OK;
}

/* The arguments of a call after its "(", and the ")": positional, then
** PostgreSQL's named notation (name => value); with allow_list, DuckDB's
** one bracketed list, f(['a', 'b']).  Into f's args, nargs, argnames and
** list_arg. */
orb_status oql_p_call_args(oql_parser *p, bool allow_list, oql_from_ast *f) {
  orb_status st;
  oql_plist l = {0};
  f->list_arg = allow_list && oql_p_accept_op(p, "[");
  if (!oql_p_is_op(p, f->list_arg ? "]" : ")")) {
    oql_plist names = {0};
    for (;;) {
      /* PostgreSQL's named notation, name => value ("=>" lexes as "=" ">") */
      const char *argname = NULL;
      const oql_token *eq = oql_p_peek(p, 1), *gt = oql_p_peek(p, 2);
      if (!f->list_arg && oql_p_is_ident(p) && eq->kind == OQL_T_OP && strcmp(eq->text, "=") == 0 &&
          gt->kind == OQL_T_OP && strcmp(gt->text, ">") == 0 && gt->pos == eq->pos + 1) {
        /* followed by "=>" a reserved word is a name too (Spark's table => 't') */
        argname = oql_p_tok(p)->text;
        oql_p_advance(p);
        oql_p_advance(p);
        oql_p_advance(p);
      } else if (names.n) {
        return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", oql_p_tok(p)->pos,
                            "positional argument cannot follow named argument");
      }
      oql_expr_ast *x;
      if ((st = oql_p_expr(p, &x)) != ORB_OK) return st;
      if (argname && !names.n)
        for (int k = 0; k < l.n; k++) oql_plist_add(p, &names, NULL);
      if (argname || names.n) oql_plist_add(p, &names, (void *)argname);
      oql_plist_add(p, &l, x);
      if (!oql_p_accept_op(p, ",")) break;
    }
    if (names.n) f->argnames = (const char **)names.v;
  }
  if (f->list_arg && (st = oql_p_expect_op(p, "]")) != ORB_OK) return st;
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  f->args = (oql_expr_ast **)l.v;
  f->nargs = l.n;
  return ORB_OK;
}

/* [AS] alias [(col, ...)] */
static orb_status p_alias(oql_parser *p, oql_from_ast *f, bool need) {
  orb_status st;
  bool as = oql_p_accept(p, "as");
  if (as || (oql_p_is_ident(p) && !oql_p_reserved(oql_p_tok(p)->text))) {
    int pos;
    if ((st = oql_p_ident(p, &f->alias, &pos)) != ORB_OK) return st;
    if (oql_p_is_op(p, "(") && (st = oql_p_ident_list(p, &f->colnames, NULL, &f->ncolnames)) != ORB_OK) return st;
  } else if (need) {
    orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", oql_p_tok(p)->pos, "subquery in FROM must have an alias");
    orb_err_hint(p->e, "For example, FROM (SELECT ...) [AS] foo.");
    return p->e->code;
  }
  return ORB_OK;
}

static orb_status p_from_item(oql_parser *p, oql_from_ast **out);

static orb_status p_from_primary(oql_parser *p, oql_from_ast **out) {
  oql_from_ast *f = orb_arena_zalloc(p->a, sizeof *f);
  f->pos = oql_p_tok(p)->pos;
  orb_status st;
  if (oql_p_is_op(p, "(")) {
    if (oql_p_starts_query(p)) {
      bool values = oql_p_peek_is(p, 1, "values");
      oql_p_advance(p);
      if ((st = oql_p_enter(p)) != ORB_OK) return st;
      st = oql_p_select(p, &f->sub);
      oql_p_leave(p);
      if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
      f->kind = values ? OQL_FA_VALUES : OQL_FA_SUBQUERY;
      if (values && (f->sub->setop || f->sub->with || f->sub->norder || f->sub->limit || f->sub->offset)) f->kind = OQL_FA_SUBQUERY;
      if ((st = p_alias(p, f, true)) != ORB_OK) return st;
      *out = f;
      return ORB_OK;
    }
    /* parenthesized join */
    oql_p_advance(p);
    if ((st = oql_p_enter(p)) != ORB_OK) return st;
    st = p_from_item(p, out);
    oql_p_leave(p);
    if (st != ORB_OK) return st;
    return oql_p_expect_op(p, ")");
  }
  int pos;
  const char *name;
  if ((st = oql_p_ident(p, &name, &pos)) != ORB_OK) return st;
  if (oql_p_is_op(p, ".")) {
    /* schema-qualified: the default schema, or pg_catalog's emulated tables */
    oql_p_advance(p);
    bool catalog = strcmp(name, "pg_catalog") == 0, info = strcmp(name, "information_schema") == 0;
    if (!catalog && !info && strcmp(name, "public") != 0 && strcmp(name, "main") != 0)
      return orb_err_setx(p->e, ORB_ERR_UNDEFINED, "3F000", pos, "schema \"%s\" does not exist", name);
    if ((st = oql_p_ident(p, &name, &pos)) != ORB_OK) return st;
    if (catalog) name = orb_arena_sprintf(p->a, "pg_catalog.%s", name);
    if (info) name = orb_arena_sprintf(p->a, "information_schema.%s", name);
  }
  f->name = name;
  if (oql_p_is_op(p, "(")) {
    oql_p_advance(p);
    f->kind = OQL_FA_FUNCTION;
    if ((st = oql_p_call_args(p, true, f)) != ORB_OK) return st;
  } else {
    f->kind = OQL_FA_TABLE;
  }
  /* time travel on an Iceberg table or iceberg_scan() (SQL:2011's
  ** system-versioned spelling, as Spark, Trino and DuckDB write it):
  ** FOR SYSTEM_TIME AS OF ts, FOR VERSION AS OF snapshot-id */
  if (oql_p_is(p, "for") && (oql_p_peek_is(p, 1, "system_time") || oql_p_peek_is(p, 1, "version")) &&
      oql_p_peek_is(p, 2, "as") && oql_p_peek_is(p, 3, "of")) {
    oql_p_advance(p);
    f->asof_pos = oql_p_tok(p)->pos;
    f->asof_kind = oql_p_is(p, "system_time") ? 1 : 2;
    oql_p_advance(p), oql_p_advance(p), oql_p_advance(p);
    if ((st = oql_p_expr(p, &f->asof)) != ORB_OK) return st;
  }
  if ((st = p_alias(p, f, false)) != ORB_OK) return st;
  *out = f;
  return ORB_OK;
}

/* Key words PostgreSQL takes as a column alias only after AS (its grammar's
** non-bare labels) that may follow an expression: x FILTER (...), f() OVER w. */
static bool not_bare_label(oql_parser *p) {
  const oql_token *t = oql_p_tok(p);
  return t->kind == OQL_T_IDENT && (strcmp(t->text, "filter") == 0 || strcmp(t->text, "over") == 0);
}

/* item { [NATURAL] [INNER|LEFT [OUTER]|RIGHT [OUTER]|FULL [OUTER]] JOIN item [ON expr | USING (cols)]
**      | CROSS JOIN item } */
static orb_status p_from_item(oql_parser *p, oql_from_ast **out) {
  orb_status st = p_from_primary(p, out);
  for (;;) {
    if (st != ORB_OK) return st;
    int pos = oql_p_tok(p)->pos;
    oql_join_ast_type jt;
    bool natural = oql_p_accept(p, "natural");
    if (oql_p_is(p, "join") || oql_p_is(p, "inner")) {
      jt = OQL_JA_INNER;
      oql_p_accept(p, "inner");
    } else if (oql_p_is(p, "left") || oql_p_is(p, "right") || oql_p_is(p, "full")) {
      const char *w = oql_p_tok(p)->text;
      jt = w[0] == 'l' ? OQL_JA_LEFT : w[0] == 'r' ? OQL_JA_RIGHT : OQL_JA_FULL;
      oql_p_advance(p);
      oql_p_accept(p, "outer");
    } else if (oql_p_is(p, "cross") && !natural) {
      jt = OQL_JA_CROSS;
      oql_p_advance(p);
    } else if (natural) {
      return oql_p_syntax(p);
    } else {
      return ORB_OK;
    }
    if ((st = oql_p_expect(p, "join")) != ORB_OK) return st;
    oql_from_ast *j = orb_arena_zalloc(p->a, sizeof *j);
    j->kind = OQL_FA_JOIN;
    j->pos = pos;
    j->jt = jt;
    j->natural = natural;
    j->left = *out;
    if ((st = p_from_primary(p, &j->right)) != ORB_OK) return st;
    if (jt != OQL_JA_CROSS && !natural) {
      if (oql_p_accept(p, "on")) {
        if ((st = oql_p_expr(p, &j->on)) != ORB_OK) return st;
      } else if (oql_p_accept(p, "using")) {
        if ((st = oql_p_ident_list(p, &j->using_cols, NULL, &j->nusing)) != ORB_OK) return st;
      } else {
        return oql_p_syntax(p);
      }
    }
    *out = j;
  }
}

/* A list for GROUP BY: "(" [expr, ...] ")" (the empty set allowed) or a
** lone expression. */
static orb_status p_group_list(oql_parser *p, bool allow_empty, oql_expr_ast ***out, int *n) {
  oql_plist l = {0};
  orb_status st;
  if (oql_p_is_op(p, "(")) {   /* "(a, b)" a list, "(a + b)" a list of one */
    oql_p_advance(p);
    if (oql_p_accept_op(p, ")")) {
      if (!allow_empty) return oql_p_syntax(p);
      *out = NULL;
      *n = 0;
      return ORB_OK;
    }
    if ((st = oql_p_expr_list(p, &l)) != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  } else {
    oql_expr_ast *x;
    if ((st = oql_p_expr(p, &x)) != ORB_OK) return st;
    oql_plist_add(p, &l, x);
  }
  *out = (oql_expr_ast **)l.v;
  *n = l.n;
  return ORB_OK;
}

/* GROUP BY elements: expressions, (), ROLLUP (...), CUBE (...), GROUPING
** SETS (...).  Plain expressions only: s->group, as always; else s->gelems. */
static orb_status p_group_by(oql_parser *p, oql_select_ast *s) {
  oql_plist elems = {0}, plain = {0};
  bool sets = false;
  orb_status st;
  do {
    oql_group_elem *g = orb_arena_zalloc(p->a, sizeof *g);
    g->pos = oql_p_tok(p)->pos;
    oql_plist lists = {0}, lens = {0};
    bool rollup = oql_p_is(p, "rollup") && oql_p_peek_is_op(p, 1, "(");
    bool cube = oql_p_is(p, "cube") && oql_p_peek_is_op(p, 1, "(");
    bool gsets = oql_p_is(p, "grouping") && oql_p_peek_is(p, 1, "sets");
    if (rollup || cube || gsets) {
      g->kind = rollup ? OQL_G_ROLLUP : cube ? OQL_G_CUBE : OQL_G_SETS;
      oql_p_advance(p);
      if (gsets) oql_p_advance(p);
      if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
      do {
        oql_expr_ast **l = NULL;
        int *n = orb_arena_alloc(p->a, sizeof(int));
        if ((st = p_group_list(p, gsets, &l, n)) != ORB_OK) return st;
        oql_plist_add(p, &lists, l);
        oql_plist_add(p, &lens, n);
      } while (oql_p_accept_op(p, ","));
      if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
      sets = true;
    } else if (oql_p_is_op(p, "(") && oql_p_peek_is_op(p, 1, ")")) {   /* (): the empty grouping set */
      g->kind = OQL_G_SETS;
      oql_p_advance(p), oql_p_advance(p);
      int *n = orb_arena_zalloc(p->a, sizeof(int));
      oql_plist_add(p, &lists, NULL);
      oql_plist_add(p, &lens, n);
      sets = true;
    } else {
      g->kind = OQL_G_EXPR;
      oql_expr_ast *x;
      if ((st = oql_p_expr(p, &x)) != ORB_OK) return st;
      oql_expr_ast **one = orb_arena_alloc(p->a, sizeof(oql_expr_ast *));
      one[0] = x;
      int *n = orb_arena_alloc(p->a, sizeof(int));
      *n = 1;
      oql_plist_add(p, &lists, one);
      oql_plist_add(p, &lens, n);
      oql_plist_add(p, &plain, x);
    }
    g->lists = (oql_expr_ast ***)lists.v;
    g->n = lists.n;
    g->lens = orb_arena_alloc(p->a, sizeof(int) * (size_t)(lists.n + 1));
    for (int i = 0; i < lists.n; i++) g->lens[i] = *(int *)lens.v[i];
    oql_plist_add(p, &elems, g);
  } while (oql_p_accept_op(p, ","));
  if (!sets) {
    s->group = (oql_expr_ast **)plain.v;
    s->ngroup = plain.n;
    return ORB_OK;
  }
  s->ngelems = elems.n;
  s->gelems = orb_arena_alloc(p->a, sizeof(oql_group_elem) * (size_t)(elems.n + 1));
  for (int i = 0; i < elems.n; i++) s->gelems[i] = *(oql_group_elem *)elems.v[i];
  return ORB_OK;
}

orb_status oql_p_from_list(oql_parser *p, oql_from_ast ***items, int *n) {
  oql_plist l = {0};
  for (;;) {
    oql_from_ast *f;
    orb_status st = p_from_item(p, &f);
    if (st != ORB_OK) return st;
    oql_plist_add(p, &l, f);
    if (!oql_p_accept_op(p, ",")) break;
  }
  *items = (oql_from_ast **)l.v;
  *n = l.n;
  return ORB_OK;
}

orb_status oql_p_targets(oql_parser *p, oql_target **targets, int *ntargets) {
  oql_plist l = {0};
  orb_status st;
  for (;;) {
    oql_target *t = orb_arena_zalloc(p->a, sizeof *t);
    t->pos = oql_p_tok(p)->pos;
    if (oql_p_is_op(p, "*")) {
      t->expr = oql_p_new_expr(p, OQL_X_STAR, t->pos);
      oql_p_advance(p);
    } else {
      if ((st = oql_p_expr(p, &t->expr)) != ORB_OK) return st;
      int pos;
      if (oql_p_accept(p, "as")) {
        if ((st = oql_p_ident(p, &t->alias, &pos)) != ORB_OK) return st;
      } else if (oql_p_is_ident(p) && !oql_p_reserved(oql_p_tok(p)->text) && !not_bare_label(p)) {
        if ((st = oql_p_ident(p, &t->alias, &pos)) != ORB_OK) return st;
      }
    }
    oql_plist_add(p, &l, t);
    if (!oql_p_accept_op(p, ",")) break;
  }
  *ntargets = l.n;
  *targets = orb_arena_alloc(p->a, sizeof(oql_target) * (size_t)(l.n + 1));
  for (int i = 0; i < l.n; i++) (*targets)[i] = *(oql_target *)l.v[i];
  return ORB_OK;
}

/* One SELECT block or VALUES list, or a parenthesized query. */
static orb_status p_simple(oql_parser *p, oql_select_ast **out) {
  orb_status st;
  if (oql_p_is_op(p, "(")) {
    oql_p_advance(p);
    if ((st = oql_p_enter(p)) != ORB_OK) return st;
    st = oql_p_select(p, out);
    oql_p_leave(p);
    if (st != ORB_OK) return st;
    return oql_p_expect_op(p, ")");
  }
  oql_select_ast *s = orb_arena_zalloc(p->a, sizeof *s);
  s->pos = oql_p_tok(p)->pos;
  if (oql_p_accept(p, "values")) {
    if ((st = oql_p_values_rows(p, false, &s->values, &s->values_len, NULL, &s->nvalues)) != ORB_OK) return st;
    *out = s;
    return ORB_OK;
  }
  if ((st = oql_p_expect(p, "select")) != ORB_OK) return st;
  if (oql_p_accept(p, "distinct")) {
    if (oql_p_accept(p, "on")) {
      if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
      oql_plist l = {0};
      if ((st = oql_p_expr_list(p, &l)) != ORB_OK) return st;
      s->distinct_on = (oql_expr_ast **)l.v;
      s->ndistinct_on = l.n;
      if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
    } else {
      s->distinct = true;
    }
  } else {
    oql_p_accept(p, "all");
  }
  if (!oql_p_is(p, "from") && !oql_p_is_op(p, ";") && oql_p_tok(p)->kind != OQL_T_EOF &&
      (st = oql_p_targets(p, &s->targets, &s->ntargets)) != ORB_OK)
    return st;
  if (oql_p_accept(p, "from") && (st = oql_p_from_list(p, &s->from, &s->nfrom)) != ORB_OK) return st;
  if (oql_p_accept(p, "where") && (st = oql_p_expr(p, &s->where)) != ORB_OK) return st;
  if (oql_p_accept(p, "group")) {
    if ((st = oql_p_expect(p, "by")) != ORB_OK) return st;
    if ((st = p_group_by(p, s)) != ORB_OK) return st;
  }
  if (oql_p_accept(p, "having") && (st = oql_p_expr(p, &s->having)) != ORB_OK) return st;
  if (oql_p_accept(p, "window")) {
    /* WINDOW name AS (spec), ... */
    oql_plist l = {0};
    for (;;) {
      const char *name;
      int pos;
      if ((st = oql_p_ident(p, &name, &pos)) != ORB_OK) return st;
      if ((st = oql_p_expect(p, "as")) != ORB_OK) return st;
      oql_window_ast *w;
      if ((st = oql_p_window_spec(p, &w)) != ORB_OK) return st;
      w->name = name;
      w->pos = pos;
      oql_plist_add(p, &l, w);
      if (!oql_p_accept_op(p, ",")) break;
    }
    s->windows = (oql_window_ast **)l.v;
    s->nwindows = l.n;
  }
  *out = s;
  return ORB_OK;
}

orb_status oql_p_order_list(oql_parser *p, oql_order_ast **order, int *norder) {
  orb_status st;
  oql_plist l = {0};
  for (;;) {
    oql_order_ast *o = orb_arena_zalloc(p->a, sizeof *o);
    if ((st = oql_p_expr(p, &o->expr)) != ORB_OK) return st;
    if (oql_p_accept(p, "desc")) o->desc = true;
    else oql_p_accept(p, "asc");
    if (oql_p_accept(p, "nulls")) {
      if (oql_p_accept(p, "first")) o->nulls = 1;
      else if (oql_p_accept(p, "last")) o->nulls = 2;
      else return oql_p_syntax(p);
    }
    oql_plist_add(p, &l, o);
    if (!oql_p_accept_op(p, ",")) break;
  }
  *norder = l.n;
  *order = orb_arena_alloc(p->a, sizeof(oql_order_ast) * (size_t)(l.n + 1));
  for (int i = 0; i < l.n; i++) (*order)[i] = *(oql_order_ast *)l.v[i];
  return ORB_OK;
}

/* FOR {UPDATE | NO KEY UPDATE | SHARE | KEY SHARE} [OF rel, ...] [NOWAIT | SKIP LOCKED] (after "for") */
static orb_status p_lock_clause(oql_parser *p, oql_select_ast *s, int pos) {
  orb_status st;
  oql_lock_ast lk = {pos, OQL_LOCK_UPDATE, OQL_LOCK_WAIT, NULL, NULL, 0};
  if (oql_p_accept(p, "no")) {
    if ((st = oql_p_expect(p, "key")) != ORB_OK || (st = oql_p_expect(p, "update")) != ORB_OK) return st;
    lk.strength = OQL_LOCK_NO_KEY_UPDATE;
  } else if (oql_p_accept(p, "key")) {
    if ((st = oql_p_expect(p, "share")) != ORB_OK) return st;
    lk.strength = OQL_LOCK_KEY_SHARE;
  } else if (oql_p_accept(p, "share")) {
    lk.strength = OQL_LOCK_SHARE;
  } else if ((st = oql_p_expect(p, "update")) != ORB_OK) {
    return st;
  }
  if (oql_p_accept(p, "of")) {   /* rel, rel, ... (no parentheses) */
    oql_plist l = {0}, lp = {0};
    do {
      const char *name;
      int *rp = orb_arena_alloc(p->a, sizeof(int));
      if ((st = oql_p_ident(p, &name, rp)) != ORB_OK) return st;
      if (oql_p_is_op(p, "."))
        return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", *rp, "%s must specify unqualified relation names",
                            oql_lock_clause_name(lk.strength));
      oql_plist_add(p, &l, (void *)name);
      oql_plist_add(p, &lp, rp);
    } while (oql_p_accept_op(p, ","));
    lk.rels = (const char **)l.v;
    lk.nrels = l.n;
    lk.rel_pos = orb_arena_alloc(p->a, sizeof(int) * (size_t)(l.n + 1));
    for (int i = 0; i < l.n; i++) lk.rel_pos[i] = *(int *)lp.v[i];
  }
  if (oql_p_accept(p, "nowait")) {
    lk.wait = OQL_LOCK_NOWAIT;
  } else if (oql_p_accept(p, "skip")) {
    if ((st = oql_p_expect(p, "locked")) != ORB_OK) return st;
    lk.wait = OQL_LOCK_SKIP;
  }
  oql_lock_ast *nl = orb_arena_alloc(p->a, sizeof(oql_lock_ast) * (size_t)(s->nlocks + 1));
  if (s->nlocks) memcpy(nl, s->locks, sizeof(oql_lock_ast) * (size_t)s->nlocks);
  nl[s->nlocks++] = lk;
  s->locks = nl;
  return ORB_OK;
}

const char *oql_lock_clause_name(oql_lock_strength s) {
  switch (s) {
  case OQL_LOCK_KEY_SHARE: return "FOR KEY SHARE";
  case OQL_LOCK_SHARE: return "FOR SHARE";
  case OQL_LOCK_NO_KEY_UPDATE: return "FOR NO KEY UPDATE";
  case OQL_LOCK_UPDATE: break;
  }
  return "FOR UPDATE";
}

static orb_status p_order_limit(oql_parser *p, oql_select_ast *s) {
  orb_status st;
  if (oql_p_accept(p, "order")) {
    if ((st = oql_p_expect(p, "by")) != ORB_OK) return st;
    if ((st = oql_p_order_list(p, &s->order, &s->norder)) != ORB_OK) return st;
  }
  for (;;) {
    int limit_pos = oql_p_tok(p)->pos;
    if (oql_p_accept(p, "limit")) {
      if (s->limit) return oql_p_syntax(p);
      if (oql_p_accept(p, "all")) continue;
      if ((st = oql_p_expr(p, &s->limit)) != ORB_OK) return st;
      if (oql_p_is_op(p, ",")) {   /* MySQL's LIMIT offset, count */
        orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", limit_pos, "LIMIT #,# syntax is not supported");
        orb_err_hint(p->e, "Use separate LIMIT and OFFSET clauses.");
        return p->e->code;
      }
    } else if (oql_p_accept(p, "offset")) {
      if (s->offset) return oql_p_syntax(p);
      if ((st = oql_p_expr(p, &s->offset)) != ORB_OK) return st;
      if (!oql_p_accept(p, "rows")) oql_p_accept(p, "row");
    } else if (oql_p_accept(p, "fetch")) {
      if (!oql_p_accept(p, "first") && !oql_p_accept(p, "next")) return oql_p_syntax(p);
      if (oql_p_is(p, "row") || oql_p_is(p, "rows")) {
        oql_expr_ast *one = oql_p_new_expr(p, OQL_X_NUMBER, oql_p_tok(p)->pos);
        one->text = "1";
        one->len = 1;
        s->limit = one;
      } else if ((st = oql_p_expr(p, &s->limit)) != ORB_OK) {
        return st;
      }
      if (!oql_p_accept(p, "rows") && !oql_p_accept(p, "row")) return oql_p_syntax(p);
      if ((st = oql_p_expect(p, "only")) != ORB_OK) return st;
    } else if (oql_p_is(p, "for") && !oql_p_peek_is(p, 1, "system_time") && !oql_p_peek_is(p, 1, "version")) {
      int pos = oql_p_tok(p)->pos;
      oql_p_advance(p);
      if ((st = p_lock_clause(p, s, pos)) != ORB_OK) return st;
    } else {
      return ORB_OK;
    }
  }
}

/* A set operation node: l op [ALL|DISTINCT] r. */
static oql_select_ast *p_setop_node(oql_parser *p, oql_setop op, int pos, oql_select_ast *l) {
  oql_select_ast *n = orb_arena_zalloc(p->a, sizeof *n);
  n->pos = pos;
  n->setop = op;
  n->larg = l;
  n->set_all = oql_p_accept(p, "all");
  if (!n->set_all) oql_p_accept(p, "distinct");
  return n;
}

/* INTERSECT binds tighter than UNION and EXCEPT: term { INTERSECT term }. */
static orb_status p_intersect_chain(oql_parser *p, oql_select_ast **out) {
  orb_status st = p_simple(p, out);
  while (st == ORB_OK && oql_p_is(p, "intersect")) {
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_select_ast *n = p_setop_node(p, OQL_SETOP_INTERSECT, pos, *out);
    if ((st = p_simple(p, &n->rarg)) == ORB_OK) *out = n;
  }
  return st;
}

/* A parenthesized branch keeps its own ORDER BY / LIMIT; a bare one may not have them. */
static orb_status p_setop_expr(oql_parser *p, oql_select_ast **out) {
  orb_status st = p_intersect_chain(p, out);
  while (st == ORB_OK && (oql_p_is(p, "union") || oql_p_is(p, "except"))) {
    int pos = oql_p_tok(p)->pos;
    oql_setop op = oql_p_is(p, "union") ? OQL_SETOP_UNION : OQL_SETOP_EXCEPT;
    oql_p_advance(p);
    oql_select_ast *n = p_setop_node(p, op, pos, *out);
    if ((st = p_intersect_chain(p, &n->rarg)) == ORB_OK) *out = n;
  }
  return st;
}

/* WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query), ... */
static orb_status p_with(oql_parser *p, oql_with_ast **out) {
  oql_with_ast *w = orb_arena_zalloc(p->a, sizeof *w);
  w->pos = oql_p_tok(p)->pos;
  orb_status st;
  if ((st = oql_p_expect(p, "with")) != ORB_OK) return st;
  w->recursive = oql_p_accept(p, "recursive");
  oql_plist l = {0};
  do {
    oql_cte_ast *c = orb_arena_zalloc(p->a, sizeof *c);
    if ((st = oql_p_ident(p, &c->name, &c->pos)) != ORB_OK) return st;
    if (oql_p_is_op(p, "(") && (st = oql_p_ident_list(p, &c->colnames, NULL, &c->ncolnames)) != ORB_OK) return st;
    if ((st = oql_p_expect(p, "as")) != ORB_OK) return st;
    if (oql_p_accept(p, "materialized")) {
      c->materialized = 1;
    } else if (oql_p_is(p, "not") && oql_p_peek_is(p, 1, "materialized")) {
      oql_p_advance(p), oql_p_advance(p);
      c->materialized = 2;
    }
    if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
    if (oql_p_is(p, "insert") || oql_p_is(p, "update") || oql_p_is(p, "delete"))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                          "data-modifying statements in WITH are not supported");
    if ((st = oql_p_enter(p)) != ORB_OK) return st;
    st = oql_p_select(p, &c->query);
    oql_p_leave(p);
    if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
    oql_plist_add(p, &l, c);
  } while (oql_p_accept_op(p, ","));
  w->nctes = l.n;
  w->ctes = orb_arena_alloc(p->a, sizeof(oql_cte_ast) * (size_t)(l.n + 1));
  for (int i = 0; i < l.n; i++) w->ctes[i] = *(oql_cte_ast *)l.v[i];
  *out = w;
  return ORB_OK;
}

orb_status oql_p_with_clause(oql_parser *p, oql_with_ast **out) { return p_with(p, out); }

orb_status oql_p_select(oql_parser *p, oql_select_ast **out) {
  oql_with_ast *with = NULL;
  orb_status st;
  if (oql_p_is(p, "with") && (st = p_with(p, &with)) != ORB_OK) return st;
  oql_select_ast *top;
  if ((st = p_setop_expr(p, &top)) != ORB_OK) return st;
  if ((top->norder || top->limit || top->offset) && (oql_p_is(p, "order") || oql_p_is(p, "limit") || oql_p_is(p, "offset") || oql_p_is(p, "fetch")))
    return oql_p_syntax(p);
  if ((st = p_order_limit(p, top)) != ORB_OK) return st;
  if (with) {
    if (top->with)
      return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", top->with->pos, "multiple WITH clauses not allowed");
    top->with = with;
  }
  *out = top;
  return ORB_OK;
}
