/* query/parse_stmt.c — statements other than queries: DML, DDL, COPY,
** EXPLAIN, SHOW/SET/DESCRIBE, transaction control. */
#include "query/parse_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Text of the tokens [from, to) as written (DEFAULT expressions are stored so). */
static const char *source_text(oql_parser *p, int from, int to) {
  if (to <= from) return orb_arena_strdup(p->a, "");
  int start = p->toks[from].pos - 1, end = p->toks[to - 1].end;
  return orb_arena_strndup(p->a, p->sql + start, (size_t)(end - start));
}

static orb_status p_sets(oql_parser *p, oql_set_ast **sets, int *n) {
  oql_plist l = {0};
  orb_status st;
  do {
    oql_set_ast *s = orb_arena_zalloc(p->a, sizeof *s);
    if ((st = oql_p_ident(p, &s->col, &s->pos)) != ORB_OK) return st;
    /* col.field[.field...]: PostgreSQL's syntax for a field of a composite
    ** column (not a qualified name); the binder reports what it names */
    while (oql_p_accept_op(p, ".")) {
      const char *field;
      int fpos;
      if ((st = oql_p_ident(p, &field, &fpos)) != ORB_OK) return st;
      if (!s->field) s->field = field;
    }
    if (!s->field && oql_p_is_op(p, "[")) {   /* col[i] = x: one element of an array column */
      s->subscript_pos = oql_p_tok(p)->pos;
      oql_p_advance(p);
      if ((st = oql_p_expr(p, &s->subscript)) != ORB_OK) return st;
      if (oql_p_is_op(p, ":"))
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "array slices are not supported");
      if ((st = oql_p_expect_op(p, "]")) != ORB_OK) return st;
      if (oql_p_is_op(p, "["))
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "multidimensional arrays are not supported");
    }
    if ((st = oql_p_expect_op(p, "=")) != ORB_OK) return st;
    if (oql_p_accept(p, "default")) s->expr = NULL;
    else if ((st = oql_p_expr(p, &s->expr)) != ORB_OK) return st;
    oql_plist_add(p, &l, s);
  } while (oql_p_accept_op(p, ","));
  *n = l.n;
  *sets = orb_arena_alloc(p->a, sizeof(oql_set_ast) * (size_t)(l.n + 1));
  for (int i = 0; i < l.n; i++) (*sets)[i] = *(oql_set_ast *)l.v[i];
  return ORB_OK;
}

static orb_status p_table_name(oql_parser *p, const char **name, int *pos) {
  orb_status st = oql_p_ident(p, name, pos);
  if (st == ORB_OK && oql_p_accept_op(p, ".")) {
    if (strcmp(*name, "public") != 0 && strcmp(*name, "main") != 0)
      return orb_err_setx(p->e, ORB_ERR_UNDEFINED, "3F000", *pos, "schema \"%s\" does not exist", *name);
    st = oql_p_ident(p, name, pos);
  }
  return st;
}

/* The one table a statement names (DESCRIBE t, SHOW SNAPSHOTS t) into s->names. */
static orb_status p_one_table_name(oql_parser *p, oql_stmt_ast *s) {
  const char **n = orb_arena_alloc(p->a, sizeof(char *));
  int *pos = orb_arena_alloc(p->a, sizeof(int));
  orb_status st = p_table_name(p, n, pos);
  if (st != ORB_OK) return st;
  s->names = n;
  s->name_pos = pos;
  s->nnames = 1;
  return ORB_OK;
}

/* [RETURNING target, ...] after INSERT, UPDATE or DELETE. */
static orb_status p_returning(oql_parser *p, oql_stmt_ast *s) {
  if (!oql_p_is(p, "returning")) return ORB_OK;
  s->returning_pos = oql_p_tok(p)->pos;
  oql_p_advance(p);
  return oql_p_targets(p, &s->returning, &s->nreturning);
}

static orb_status p_insert(oql_parser *p, oql_stmt_ast *s) {
  oql_insert_ast *in = &s->insert;
  orb_status st;
  if ((st = oql_p_expect(p, "into")) != ORB_OK || (st = p_table_name(p, &in->table, &in->table_pos)) != ORB_OK)
    return st;
  if (oql_p_accept(p, "as")) {   /* PostgreSQL requires the AS here: `INSERT INTO t x` is a syntax error */
    int apos;
    if ((st = oql_p_ident(p, &in->alias, &apos)) != ORB_OK) return st;
  }
  if (oql_p_is_op(p, "(") && !oql_p_starts_query(p) &&
      (st = oql_p_ident_list(p, &in->cols, &in->col_pos, &in->ncols)) != ORB_OK)
    return st;
  if (oql_p_accept(p, "overriding")) {   /* OVERRIDING {SYSTEM | USER} VALUE: identity columns */
    if (oql_p_accept(p, "system")) in->overriding = 's';
    else if ((st = oql_p_expect(p, "user")) != ORB_OK) return st;
    else in->overriding = 'u';
    if ((st = oql_p_expect(p, "value")) != ORB_OK) return st;
  }
  if (oql_p_accept(p, "default")) {
    if ((st = oql_p_expect(p, "values")) != ORB_OK) return st;
    in->default_values = true;
  } else if (oql_p_is(p, "values")) {
    oql_p_advance(p);
    if ((st = oql_p_values_rows(p, true, &in->rows, &in->row_len, &in->row_pos, &in->nrows)) != ORB_OK) return st;
  } else if (oql_p_starts_query(p)) {
    if ((st = oql_p_select(p, &in->select)) != ORB_OK) return st;
  } else {
    return oql_p_syntax(p);
  }
  if (oql_p_is(p, "on")) {
    in->conflict_pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "conflict")) != ORB_OK) return st;
    if (oql_p_is_op(p, "(") &&
        (st = oql_p_ident_list(p, &in->conflict_cols, NULL, &in->nconflict_cols)) != ORB_OK)
      return st;
    if (!in->nconflict_cols && oql_p_is(p, "on") && oql_p_peek_is(p, 1, "constraint")) {
      oql_p_advance(p), oql_p_advance(p);
      int cpos;
      if ((st = oql_p_ident(p, &in->conflict_constraint, &cpos)) != ORB_OK) return st;
    }
    if ((st = oql_p_expect(p, "do")) != ORB_OK) return st;
    if (oql_p_accept(p, "nothing")) {
      in->on_conflict = OQL_CA_NOTHING;
    } else {
      if ((st = oql_p_expect(p, "update")) != ORB_OK || (st = oql_p_expect(p, "set")) != ORB_OK) return st;
      in->on_conflict = OQL_CA_UPDATE;
      if ((st = p_sets(p, &in->sets, &in->nsets)) != ORB_OK) return st;
      if (oql_p_accept(p, "where") && (st = oql_p_expr(p, &in->conflict_where)) != ORB_OK) return st;
    }
  }
  return p_returning(p, s);
}

static orb_status p_opt_alias(oql_parser *p, const char **alias, const char *stop) {
  int pos;
  if (oql_p_accept(p, "as")) return oql_p_ident(p, alias, &pos);
  if (oql_p_is_ident(p) && !oql_p_reserved(oql_p_tok(p)->text) && !oql_p_is(p, stop)) return oql_p_ident(p, alias, &pos);
  return ORB_OK;
}

static orb_status p_update(oql_parser *p, oql_stmt_ast *s) {
  oql_update_ast *u = &s->update;
  orb_status st;
  if ((st = p_table_name(p, &u->table, &u->table_pos)) != ORB_OK || (st = p_opt_alias(p, &u->alias, "set")) != ORB_OK ||
      (st = oql_p_expect(p, "set")) != ORB_OK || (st = p_sets(p, &u->sets, &u->nsets)) != ORB_OK)
    return st;
  if (oql_p_accept(p, "from") && (st = oql_p_from_list(p, &u->from, &u->nfrom)) != ORB_OK) return st;
  if (oql_p_accept(p, "where") && (st = oql_p_expr(p, &u->where)) != ORB_OK) return st;
  return p_returning(p, s);
}

static orb_status p_delete(oql_parser *p, oql_stmt_ast *s) {
  oql_delete_ast *d = &s->del;
  orb_status st;
  if ((st = oql_p_expect(p, "from")) != ORB_OK || (st = p_table_name(p, &d->table, &d->table_pos)) != ORB_OK ||
      (st = p_opt_alias(p, &d->alias, "where")) != ORB_OK)
    return st;
  if (oql_p_accept(p, "using") && (st = oql_p_from_list(p, &d->from, &d->nfrom)) != ORB_OK) return st;
  if (oql_p_accept(p, "where") && (st = oql_p_expr(p, &d->where)) != ORB_OK) return st;
  return p_returning(p, s);
}

/* CHECK (cond) (at "check"); name the CONSTRAINT name before it, or NULL. */
/* After UNIQUE: [NULLS [NOT] DISTINCT] and, for a table constraint, (cols);
** then the index options PostgreSQL allows that Orbit has no use for. */
static orb_status p_table_list(oql_parser *p, oql_stmt_ast *s);

static orb_status p_unique(oql_parser *p, const char *name, bool table_constraint, oql_index_ast *ix) {
  orb_status st;
  ix->pos = oql_p_tok(p)->pos;
  oql_p_advance(p);   /* UNIQUE */
  ix->name = name;
  ix->unique = ix->constraint = true;
  if (oql_p_is(p, "nulls")) {
    oql_p_advance(p);
    ix->nnd = oql_p_accept(p, "not");
    if ((st = oql_p_expect(p, "distinct")) != ORB_OK) return st;
  }
  if (table_constraint) {
    if ((st = oql_p_ident_list(p, &ix->cols, &ix->col_pos, &ix->ncols)) != ORB_OK) return st;
    ix->opts = orb_arena_zalloc(p->a, (size_t)ix->ncols + 1);
  }
  if (oql_p_is(p, "include"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "INCLUDE columns of an index are not supported");
  if (oql_p_is(p, "deferrable") || (oql_p_is(p, "initially") && oql_p_peek_is(p, 1, "deferred")))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "deferrable UNIQUE constraints are not supported");
  if (oql_p_is(p, "not") && oql_p_peek_is(p, 1, "deferrable")) oql_p_advance(p), oql_p_advance(p);
  return ORB_OK;
}

/* CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] t
** [USING btree|hash] (col [ASC|DESC] [NULLS FIRST|LAST], ...)
** [NULLS [NOT] DISTINCT]; the caller saw CREATE [UNIQUE] and INDEX. */
static orb_status p_create_index(oql_parser *p, oql_stmt_ast *s, bool unique) {
  orb_status st;
  oql_alter_ast *al = &s->alter;
  oql_index_ast *ix = &al->index;
  s->kind = OQL_S_ALTER_TABLE;
  al->kind = OQL_ALTER_CREATE_INDEX;
  ix->unique = unique;
  ix->pos = oql_p_tok(p)->pos;
  if (oql_p_is(p, "concurrently"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                        "CREATE INDEX CONCURRENTLY is not supported: indexes are built while the table is locked");
  if (oql_p_is(p, "if") && oql_p_peek_is(p, 1, "not")) {
    oql_p_advance(p), oql_p_advance(p);
    if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
    ix->if_not_exists = true;
  }
  if (!oql_p_is(p, "on")) {
    if ((st = oql_p_ident(p, &ix->name, &ix->pos)) != ORB_OK) return st;
  } else if (ix->if_not_exists) {
    return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", oql_p_tok(p)->pos, "syntax error at or near \"ON\"");
  }
  if ((st = oql_p_expect(p, "on")) != ORB_OK) return st;
  oql_p_accept(p, "only");
  if ((st = p_table_name(p, &ix->table, &ix->table_pos)) != ORB_OK) return st;
  al->table = ix->table;
  al->table_pos = ix->table_pos;
  if (oql_p_accept(p, "using")) {
    const char *m;
    int mpos;
    if ((st = oql_p_ident(p, &m, &mpos)) != ORB_OK) return st;
    if (strcmp(m, "hash") == 0) ix->hash = true;
    else if (strcmp(m, "btree") != 0)
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", mpos, "access method \"%s\" is not supported for indexes (btree and hash are)", m);
  }
  if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
  oql_plist cols = {0}, poss = {0}, opts = {0};
  do {
    if (oql_p_is_op(p, "(") || (oql_p_tok(p)->kind == OQL_T_IDENT && oql_p_peek(p, 1)->kind == OQL_T_OP &&
                                 strcmp(oql_p_peek(p, 1)->text, "(") == 0))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "indexes on expressions are not supported");
    const char *c;
    int *pos = orb_arena_alloc(p->a, sizeof(int));
    if ((st = oql_p_ident(p, &c, pos)) != ORB_OK) return st;
    uintptr_t o = 0;
    if (oql_p_accept(p, "desc")) o |= ORB_IDX_DESC | ORB_IDX_NULLS_FIRST;   /* DESC puts NULLs first by default */
    else oql_p_accept(p, "asc");
    if (oql_p_accept(p, "nulls")) {
      if (oql_p_accept(p, "first")) o |= ORB_IDX_NULLS_FIRST;
      else if (oql_p_accept(p, "last")) o &= ~(uintptr_t)ORB_IDX_NULLS_FIRST;
      else return oql_p_syntax(p);
    }
    oql_plist_add(p, &cols, (void *)c);
    oql_plist_add(p, &poss, pos);
    oql_plist_add(p, &opts, (void *)(o + 1));
  } while (oql_p_accept_op(p, ","));
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  ix->ncols = cols.n;
  ix->cols = orb_arena_alloc(p->a, sizeof(char *) * (size_t)cols.n);
  ix->col_pos = orb_arena_alloc(p->a, sizeof(int) * (size_t)cols.n);
  ix->opts = orb_arena_zalloc(p->a, (size_t)cols.n + 1);
  for (int i = 0; i < cols.n; i++) {
    ix->cols[i] = cols.v[i];
    ix->col_pos[i] = *(int *)poss.v[i];
    ix->opts[i] = (uint8_t)((uintptr_t)opts.v[i] - 1);
  }
  if (oql_p_is(p, "include"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "INCLUDE columns of an index are not supported");
  if (oql_p_is(p, "nulls")) {
    oql_p_advance(p);
    ix->nnd = oql_p_accept(p, "not");
    if ((st = oql_p_expect(p, "distinct")) != ORB_OK) return st;
  }
  if (oql_p_is(p, "where"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "partial indexes (WHERE) are not supported");
  return ORB_OK;
}

/* DROP INDEX [CONCURRENTLY] [IF EXISTS] name [, ...] [CASCADE | RESTRICT]; the caller saw DROP INDEX. */
static orb_status p_drop_index(oql_parser *p, oql_stmt_ast *s) {
  orb_status st;
  s->kind = OQL_S_ALTER_TABLE;
  s->alter.kind = OQL_ALTER_DROP_INDEX;
  if (oql_p_is(p, "concurrently"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "DROP INDEX CONCURRENTLY is not supported");
  if (oql_p_is(p, "if")) {
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
    s->if_exists = true;
  }
  if ((st = p_table_list(p, s)) != ORB_OK) return st;
  if (oql_p_accept(p, "cascade")) s->cascade = true;
  else oql_p_accept(p, "restrict");
  return ORB_OK;
}

static orb_status p_check(oql_parser *p, const char *name, oql_check_ast *out) {
  out->pos = oql_p_tok(p)->pos;
  out->name = name;
  oql_p_advance(p);
  orb_status st = oql_p_expect_op(p, "(");
  if (st != ORB_OK) return st;
  int from = p->i;
  if ((st = oql_p_expr(p, &out->cond)) != ORB_OK) return st;
  out->sql = source_text(p, from, p->i);
  return oql_p_expect_op(p, ")");
}

/* name type [NOT NULL | NULL | DEFAULT expr | PRIMARY KEY | CONSTRAINT name ...]* */
static orb_status p_seq_options(oql_parser *p, oql_seq_ast *q, bool alter);

/* GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [( sequence options )]: *kind 'a' or 'd' */
static orb_status p_identity(oql_parser *p, char *kind, oql_seq_ast **opts) {
  orb_status st;
  oql_p_advance(p);   /* GENERATED */
  if (oql_p_accept(p, "always")) {
    *kind = 'a';
  } else {
    if ((st = oql_p_expect(p, "by")) != ORB_OK || (st = oql_p_expect(p, "default")) != ORB_OK) return st;
    *kind = 'd';
  }
  if ((st = oql_p_expect(p, "as")) != ORB_OK || (st = oql_p_expect(p, "identity")) != ORB_OK) return st;
  if (oql_p_accept_op(p, "(")) {
    oql_seq_ast *q = *opts = orb_arena_zalloc(p->a, sizeof **opts);
    for (;;) {   /* the sequence options, and SEQUENCE NAME among them (pg_dump writes it first) */
      if ((st = p_seq_options(p, q, false)) != ORB_OK) return st;
      if (!(oql_p_is(p, "sequence") && oql_p_peek_is(p, 1, "name"))) break;
      oql_p_advance(p), oql_p_advance(p);
      if ((st = p_table_name(p, &q->seq_name, &q->seq_name_pos)) != ORB_OK) return st;
    }
    if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  }
  return ORB_OK;
}

static orb_status p_coldef(oql_parser *p, oql_coldef_ast *c) {
  orb_status st;
  memset(c, 0, sizeof *c);
  const char *cname = NULL;   /* CONSTRAINT name of the constraint that follows */
  if ((st = oql_p_ident(p, &c->name, &c->pos)) != ORB_OK || (st = oql_p_typename(p, &c->type)) != ORB_OK) return st;
  for (;;) {
    if (oql_p_accept(p, "constraint")) {
      int pos;
      if ((st = oql_p_ident(p, &cname, &pos)) != ORB_OK) return st;
      continue;
    }
    if (oql_p_is(p, "check")) {   /* [CONSTRAINT name] CHECK (cond) */
      if (c->check)
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                            "more than one CHECK on column \"%s\" is not supported (use a table constraint)", c->name);
      c->check = orb_arena_zalloc(p->a, sizeof *c->check);
      if ((st = p_check(p, cname, c->check)) != ORB_OK) return st;
      c->check->col = c->name;
      cname = NULL;
      continue;
    }
    if (oql_p_is(p, "not") && oql_p_peek_is(p, 1, "null")) {
      oql_p_advance(p), oql_p_advance(p);
      c->not_null = true;
    } else if (oql_p_accept(p, "null")) {
      c->not_null = false;
    } else if (oql_p_accept(p, "default")) {
      int from = p->i;
      /* a DEFAULT is a b_expr in PostgreSQL: stop before NOT NULL etc. (parse at full level, then check) */
      if ((st = oql_p_expr(p, &c->def)) != ORB_OK) return st;
      c->default_sql = source_text(p, from, p->i);
    } else if (oql_p_is(p, "primary")) {
      oql_p_advance(p);
      if ((st = oql_p_expect(p, "key")) != ORB_OK) return st;
      c->primary_key = true;
    } else if (oql_p_is(p, "generated") && (oql_p_peek_is(p, 1, "by") || oql_p_peek_is(p, 1, "always")) &&
               !oql_p_peek_is_op(p, 3, "(")) {
      if ((st = p_identity(p, &c->identity, &c->identity_seq)) != ORB_OK) return st;
    } else if (oql_p_is(p, "unique")) {
      if (c->unique)
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                            "more than one UNIQUE on column \"%s\" is not supported", c->name);
      c->unique = orb_arena_zalloc(p->a, sizeof *c->unique);
      if ((st = p_unique(p, cname, false, c->unique)) != ORB_OK) return st;
      c->unique->ncols = 1;
      c->unique->cols = orb_arena_alloc(p->a, sizeof(char *));
      c->unique->cols[0] = c->name;
      c->unique->col_pos = orb_arena_alloc(p->a, sizeof(int));
      c->unique->col_pos[0] = c->pos;
      c->unique->opts = orb_arena_zalloc(p->a, 2);
      cname = NULL;
    } else if (oql_p_is(p, "references") || oql_p_is(p, "generated") || oql_p_is(p, "collate")) {
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "column constraint %s is not supported yet",
                          oql_p_tok(p)->text);
    } else {
      return ORB_OK;
    }
  }
}

/* Role options after CREATE/ALTER ROLE name [WITH]: LOGIN, NOLOGIN,
** PASSWORD 'x' / NULL; the attributes Orbit has no use for (SUPERUSER,
** CREATEDB, ...) are accepted as PostgreSQL's scripts write them. */
static orb_status p_role_options(oql_parser *p, oql_stmt_ast *s) {
  static const char *const ignored[] = {"superuser", "nosuperuser", "createdb", "nocreatedb", "createrole",
                                        "nocreaterole", "inherit", "noinherit", "replication", "noreplication",
                                        "bypassrls", "nobypassrls"};
  s->role_login = -1;
  oql_p_accept(p, "with");
  for (;;) {
    if (oql_p_accept(p, "login")) s->role_login = 1;
    else if (oql_p_accept(p, "nologin")) s->role_login = 0;
    else if (oql_p_accept(p, "password")) {
      s->role_password = true;
      if (oql_p_accept(p, "null")) {
        s->value = NULL;
        continue;
      }
      if (oql_p_tok(p)->kind != OQL_T_STRING) return oql_p_syntax(p);
      s->value = oql_p_tok(p)->text;
      oql_p_advance(p);
    } else if (oql_p_accept(p, "encrypted")) {
      continue;   /* ENCRYPTED PASSWORD: stored hashed anyway */
    } else {
      bool known = false;
      for (size_t i = 0; i < sizeof ignored / sizeof ignored[0] && !known; i++) known = oql_p_accept(p, ignored[i]);
      if (!known) return ORB_OK;
    }
  }
}

static orb_status p_role(oql_parser *p, oql_stmt_ast *s, const char *verb) {
  orb_status st;
  bool user = oql_p_accept(p, "user");   /* CREATE USER = CREATE ROLE ... LOGIN */
  if (!user) oql_p_advance(p);            /* ROLE */
  if (verb[0] == 'd') {
    s->kind = OQL_S_DROP_ROLE;
    if (oql_p_accept(p, "if")) {
      if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
      s->if_exists = true;
    }
    oql_plist l = {0}, lp = {0};
    do {
      const char *n;
      int *pos = orb_arena_alloc(p->a, sizeof(int));
      if ((st = oql_p_ident(p, &n, pos)) != ORB_OK) return st;
      oql_plist_add(p, &l, (void *)n);
      oql_plist_add(p, &lp, pos);
    } while (oql_p_accept_op(p, ","));
    s->nnames = l.n;
    s->names = orb_arena_alloc(p->a, sizeof(char *) * (size_t)l.n);
    s->name_pos = orb_arena_alloc(p->a, sizeof(int) * (size_t)l.n);
    for (int i = 0; i < l.n; i++) s->names[i] = l.v[i], s->name_pos[i] = *(int *)lp.v[i];
    return ORB_OK;
  }
  s->kind = verb[0] == 'c' ? OQL_S_CREATE_ROLE : OQL_S_ALTER_ROLE;
  int pos;
  if ((st = oql_p_ident(p, &s->setting, &pos)) != ORB_OK) return st;
  if ((st = p_role_options(p, s)) != ORB_OK) return st;
  if (user && s->kind == OQL_S_CREATE_ROLE && s->role_login < 0) s->role_login = 1;
  return ORB_OK;
}

/* [-]digits as a bigint */
static orb_status p_int64(oql_parser *p, int64_t *out) {
  bool neg = oql_p_accept_op(p, "-");
  const oql_token *t = oql_p_tok(p);
  if (t->kind != OQL_T_NUMBER || strspn(t->text, "0123456789") != strlen(t->text)) return oql_p_syntax(p);
  errno = 0;
  char *end;
  unsigned long long v = strtoull(t->text, &end, 10);
  if (errno || v > (unsigned long long)INT64_MAX + neg)
    return orb_err_setx(p->e, ORB_ERR_RANGE, "22003", t->pos, "value \"%s%s\" is out of range for type bigint", neg ? "-" : "",
                        t->text);
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  oql_p_advance(p);
  return ORB_OK;
}

/* Sequence options, CREATE's and ALTER's: [AS type] [INCREMENT [BY] n]
** [MINVALUE n | NO MINVALUE] [MAXVALUE n | NO MAXVALUE] [START [WITH] n]
** [RESTART [[WITH] n]] (ALTER only) [CACHE n] [[NO] CYCLE]
** [OWNED BY NONE | t.c] (t.c: ALTER only) */
static orb_status p_seq_options(oql_parser *p, oql_seq_ast *q, bool alter) {
  orb_status st;
  for (;;) {
    if (oql_p_accept(p, "as")) {
      int pos;
      if ((st = oql_p_ident(p, &q->as_type, &pos)) != ORB_OK) return st;
    } else if (oql_p_accept(p, "increment")) {
      oql_p_accept(p, "by");
      if ((st = p_int64(p, &q->inc)) != ORB_OK) return st;
      q->has_inc = true;
    } else if (oql_p_accept(p, "minvalue")) {
      if ((st = p_int64(p, &q->min)) != ORB_OK) return st;
      q->has_min = true, q->no_min = false;
    } else if (oql_p_accept(p, "maxvalue")) {
      if ((st = p_int64(p, &q->max)) != ORB_OK) return st;
      q->has_max = true, q->no_max = false;
    } else if (oql_p_accept(p, "start")) {
      oql_p_accept(p, "with");
      if ((st = p_int64(p, &q->start)) != ORB_OK) return st;
      q->has_start = true;
    } else if (alter && oql_p_accept(p, "restart")) {
      q->has_restart = true;
      bool with = oql_p_accept(p, "with");
      const oql_token *t = oql_p_tok(p);
      if (with || t->kind == OQL_T_NUMBER || (t->kind == OQL_T_OP && strcmp(t->text, "-") == 0)) {
        if ((st = p_int64(p, &q->restart)) != ORB_OK) return st;
        q->restart_with = true;
      }
    } else if (oql_p_accept(p, "cache")) {   /* values are handed out one by one: nothing to cache */
      if ((st = p_int64(p, &q->cache)) != ORB_OK) return st;
      q->has_cache = true;
    } else if (oql_p_accept(p, "cycle")) {
      q->cycle = q->has_cycle = true;
    } else if (oql_p_is(p, "no") && (oql_p_peek_is(p, 1, "minvalue") || oql_p_peek_is(p, 1, "maxvalue") ||
                                     oql_p_peek_is(p, 1, "cycle"))) {
      oql_p_advance(p);
      if (oql_p_accept(p, "minvalue")) q->no_min = true, q->has_min = false;
      else if (oql_p_accept(p, "maxvalue")) q->no_max = true, q->has_max = false;
      else oql_p_advance(p), q->cycle = false, q->has_cycle = true;
    } else if (oql_p_is(p, "owned") && oql_p_peek_is(p, 1, "by")) {
      oql_p_advance(p), oql_p_advance(p);
      if (oql_p_accept(p, "none")) {
        q->owned_none = true;
      } else {
        if (!alter) return oql_p_syntax(p);   /* CREATE SEQUENCE ... OWNED BY t.c: not yet */
        int pos;
        /* [schema.]table.column: three names mean public.t.c, as pg_dump writes it */
        const char *a, *b;
        int apos;
        if ((st = oql_p_ident(p, &a, &apos)) != ORB_OK || (st = oql_p_expect_op(p, ".")) != ORB_OK ||
            (st = oql_p_ident(p, &b, &pos)) != ORB_OK)
          return st;
        q->owned_table = a, q->owned_pos = apos, q->owned_col = b;
        if (oql_p_accept_op(p, ".")) {
          if (strcmp(a, "public") != 0)
            return orb_err_setx(p->e, ORB_ERR_UNDEFINED, "3F000", apos, "schema \"%s\" does not exist", a);
          q->owned_table = b, q->owned_pos = pos;
          if ((st = oql_p_ident(p, &q->owned_col, &pos)) != ORB_OK) return st;
        }
        q->owned_none = false;
      }
    } else {
      return ORB_OK;
    }
  }
}

/* CREATE SEQUENCE [IF NOT EXISTS] name options (after SEQUENCE) */
static orb_status p_create_sequence(oql_parser *p, oql_stmt_ast *s) {
  oql_create_ast *c = &s->create;
  orb_status st;
  s->kind = OQL_S_CREATE_SEQUENCE;
  if (oql_p_is(p, "if")) {
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "not")) != ORB_OK || (st = oql_p_expect(p, "exists")) != ORB_OK) return st;
    c->if_not_exists = true;
  }
  if ((st = p_table_name(p, &c->table, &c->table_pos)) != ORB_OK) return st;
  return p_seq_options(p, &c->seq, false);
}

/* ALTER SEQUENCE [IF EXISTS] name options | RENAME TO new (after SEQUENCE):
** the name in create.table, the options in create.seq. */
static orb_status p_alter_sequence(oql_parser *p, oql_stmt_ast *s) {
  oql_create_ast *c = &s->create;
  orb_status st;
  s->kind = OQL_S_ALTER_SEQUENCE;
  if (oql_p_is(p, "if") && oql_p_peek_is(p, 1, "exists")) {
    oql_p_advance(p), oql_p_advance(p);
    c->if_not_exists = true;   /* here: IF EXISTS */
  }
  if ((st = p_table_name(p, &c->table, &c->table_pos)) != ORB_OK) return st;
  if (oql_p_accept(p, "rename")) {
    int pos;
    if ((st = oql_p_expect(p, "to")) != ORB_OK) return st;
    return oql_p_ident(p, &c->seq.rename_to, &pos);
  }
  int at = p->i;
  if ((st = p_seq_options(p, &c->seq, true)) != ORB_OK) return st;
  if (p->i == at) return oql_p_syntax(p);   /* ALTER SEQUENCE name and nothing */
  return ORB_OK;
}

/* A storage parameter's or table property's name: a name, a dotted name
** (a.b.c), or a quoted name ("commit.manifest.min-count-to-merge"). */
static orb_status p_property_key(oql_parser *p, const char **out) {
  int pos;
  orb_status st = oql_p_ident(p, out, &pos);
  while (st == ORB_OK && oql_p_accept_op(p, ".")) {
    const char *part;
    if ((st = oql_p_ident(p, &part, &pos)) == ORB_OK) *out = orb_arena_sprintf(p->a, "%s.%s", *out, part);
  }
  return st;
}
static orb_status p_create(oql_parser *p, oql_stmt_ast *s) {
  oql_create_ast *c = &s->create;
  orb_status st;
  if (oql_p_is(p, "role") || oql_p_is(p, "user")) return p_role(p, s, "create");
  if (oql_p_is(p, "external") && oql_p_peek_is(p, 1, "table")) {
    /* CREATE EXTERNAL TABLE [IF NOT EXISTS] name LOCATION 'path': an Iceberg
    ** table attached read-only, its columns from its metadata */
    oql_p_advance(p), oql_p_advance(p);
    s->kind = OQL_S_CREATE_TABLE;
    c->external = true;
    if (oql_p_is(p, "if")) {
      oql_p_advance(p);
      if ((st = oql_p_expect(p, "not")) != ORB_OK || (st = oql_p_expect(p, "exists")) != ORB_OK) return st;
      c->if_not_exists = true;
    }
    if ((st = p_table_name(p, &c->table, &c->table_pos)) != ORB_OK) return st;
    if ((st = oql_p_expect(p, "location")) != ORB_OK) return st;
    if (oql_p_tok(p)->kind != OQL_T_STRING) return oql_p_syntax(p);
    c->location = oql_p_tok(p)->text;
    c->location_pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    return ORB_OK;
  }
  if (oql_p_is(p, "view") || (oql_p_is(p, "or") && oql_p_peek_is(p, 1, "replace") && oql_p_peek_is(p, 2, "view"))) {
    /* CREATE [OR REPLACE] VIEW name [(cols)] AS select: the select's text is kept */
    if (oql_p_accept(p, "or")) {
      oql_p_advance(p);
      c->or_replace = true;
    }
    oql_p_advance(p);
    s->kind = OQL_S_CREATE_VIEW;
    if ((st = p_table_name(p, &c->table, &c->table_pos)) != ORB_OK) return st;
    if (oql_p_is_op(p, "(") && (st = oql_p_ident_list(p, &c->view_cols, &c->view_col_pos, &c->nview_cols)) != ORB_OK)
      return st;
    if ((st = oql_p_expect(p, "as")) != ORB_OK) return st;
    int from = oql_p_tok(p)->pos - 1;
    if ((st = oql_p_select(p, &c->as)) != ORB_OK) return st;
    int to = oql_p_tok(p)->pos - 1;
    while (to > from && (p->sql[to - 1] == ' ' || p->sql[to - 1] == '\n' || p->sql[to - 1] == '\t' || p->sql[to - 1] == '\r'))
      to--;
    c->view_sql = orb_arena_strndup(p->a, p->sql + from, (size_t)(to - from));
    return ORB_OK;
  }
  if (oql_p_accept(p, "sequence")) return p_create_sequence(p, s);
  if (oql_p_is(p, "index") || (oql_p_is(p, "unique") && oql_p_peek_is(p, 1, "index"))) {
    bool unique = oql_p_accept(p, "unique");
    oql_p_advance(p);
    return p_create_index(p, s, unique);
  }
  if (oql_p_is(p, "temp") || oql_p_is(p, "temporary") || oql_p_is(p, "unlogged"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "%s tables are not supported",
                        oql_p_tok(p)->text);
  if (!oql_p_is(p, "table"))
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "CREATE %s is not supported",
                        oql_p_tok(p)->kind == OQL_T_EOF ? "" : oql_p_tok(p)->text);
  oql_p_advance(p);
  if (oql_p_is(p, "if")) {
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "not")) != ORB_OK || (st = oql_p_expect(p, "exists")) != ORB_OK) return st;
    c->if_not_exists = true;
  }
  if ((st = p_table_name(p, &c->table, &c->table_pos)) != ORB_OK) return st;
  if (oql_p_accept(p, "as")) {
    s->kind = OQL_S_CREATE_TABLE_AS;
    return oql_p_select(p, &c->as);
  }
  s->kind = OQL_S_CREATE_TABLE;
  if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
  oql_plist cols = {0}, checks = {0}, uniques = {0};
  for (;;) {
    const char *cname = NULL;
    if (oql_p_accept(p, "constraint")) {
      int pos;
      if ((st = oql_p_ident(p, &cname, &pos)) != ORB_OK) return st;
    }
    if (oql_p_is(p, "check")) {
      oql_check_ast *ck = orb_arena_zalloc(p->a, sizeof *ck);
      if ((st = p_check(p, cname, ck)) != ORB_OK) return st;
      oql_plist_add(p, &checks, ck);
    } else if (oql_p_is(p, "primary")) {
      int ppos = oql_p_tok(p)->pos;
      oql_p_advance(p);
      if ((st = oql_p_expect(p, "key")) != ORB_OK) return st;
      if (c->pk_clause_pos)
        return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42P16", ppos, "multiple primary keys for table \"%s\" are not allowed",
                            c->table);
      c->pk_clause_pos = ppos;
      if ((st = oql_p_ident_list(p, &c->pk_cols, &c->pk_pos, &c->npk)) != ORB_OK) return st;
    } else if (oql_p_is(p, "unique")) {
      oql_index_ast *ix = orb_arena_zalloc(p->a, sizeof *ix);
      if ((st = p_unique(p, cname, true, ix)) != ORB_OK) return st;
      oql_plist_add(p, &uniques, ix);
    } else if (oql_p_is(p, "foreign") || oql_p_is(p, "exclude")) {
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "table constraint %s is not supported yet",
                          oql_p_tok(p)->text);
    } else {
      oql_coldef_ast *cd = orb_arena_zalloc(p->a, sizeof *cd);
      if ((st = p_coldef(p, cd)) != ORB_OK) return st;
      oql_plist_add(p, &cols, cd);
      if (cd->unique) oql_plist_add(p, &uniques, cd->unique);
    }
    if (!oql_p_accept_op(p, ",")) break;
  }
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  if (oql_p_is(p, "using")) {   /* PostgreSQL's table access method: heap, or iceberg (pg_lake) */
    oql_p_advance(p);
    int upos;
    if ((st = oql_p_ident(p, &c->using_am, &upos)) != ORB_OK) return st;
    c->using_pos = upos;
  }
  if (oql_p_accept(p, "with")) {
    /* PostgreSQL storage parameters (fillfactor, autovacuum_*, ...) tune its
    ** heap; Orbit's hot tier has no such knobs, so they are checked for
    ** syntax and ignored, as tools like pgbench send them.  On a USING
    ** iceberg table they are the table's properties (the binder's part). */
    if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
    oql_plist keys = {0}, values = {0};
    do {
      const char *opt;
      if ((st = p_property_key(p, &opt)) != ORB_OK) return st;
      if (oql_p_accept_op(p, "=")) {
        const oql_token *v = oql_p_tok(p);
        if (v->kind != OQL_T_NUMBER && v->kind != OQL_T_IDENT && v->kind != OQL_T_STRING) return oql_p_syntax(p);
        if (strcmp(opt, "partition_by") == 0) c->partition_by = v->text;
        else oql_plist_add(p, &keys, (void *)opt), oql_plist_add(p, &values, (void *)v->text);
        oql_p_advance(p);
      }
    } while (oql_p_accept_op(p, ","));
    if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
    c->nprops = keys.n;
    c->prop_keys = orb_arena_alloc(p->a, sizeof(char *) * (size_t)(keys.n + 1));
    c->prop_values = orb_arena_alloc(p->a, sizeof(char *) * (size_t)(keys.n + 1));
    for (int i = 0; i < keys.n; i++) c->prop_keys[i] = keys.v[i], c->prop_values[i] = values.v[i];
  }
  c->ncols = cols.n;
  c->cols = orb_arena_alloc(p->a, sizeof(oql_coldef_ast) * (size_t)(cols.n + 1));
  for (int i = 0; i < cols.n; i++) c->cols[i] = *(oql_coldef_ast *)cols.v[i];
  c->nchecks = checks.n;
  c->nuniques = uniques.n;
  c->uniques = orb_arena_alloc(p->a, sizeof(oql_index_ast) * (size_t)(uniques.n + 1));
  for (int i = 0; i < uniques.n; i++) c->uniques[i] = *(oql_index_ast *)uniques.v[i];
  c->checks = orb_arena_alloc(p->a, sizeof(oql_check_ast) * (size_t)(checks.n + 1));
  for (int i = 0; i < checks.n; i++) c->checks[i] = *(oql_check_ast *)checks.v[i];
  if (cols.n == 0)
    return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", c->table_pos, "a table needs at least one column");
  return ORB_OK;
}

/* name [, name ...] into s->names / s->name_pos (DROP TABLE, TRUNCATE). */
static orb_status p_table_list(oql_parser *p, oql_stmt_ast *s) {
  oql_plist l = {0}, lp = {0};
  do {
    const char *n;
    int *pos = orb_arena_alloc(p->a, sizeof(int));
    orb_status st = p_table_name(p, &n, pos);
    if (st != ORB_OK) return st;
    oql_plist_add(p, &l, (void *)n);
    oql_plist_add(p, &lp, pos);
  } while (oql_p_accept_op(p, ","));
  s->names = (const char **)l.v;
  s->nnames = l.n;
  s->name_pos = orb_arena_alloc(p->a, sizeof(int) * (size_t)(l.n + 1));
  for (int i = 0; i < l.n; i++) s->name_pos[i] = *(int *)lp.v[i];
  return ORB_OK;
}

static orb_status p_drop(oql_parser *p, oql_stmt_ast *s) {
  orb_status st;
  if (oql_p_is(p, "role") || oql_p_is(p, "user")) return p_role(p, s, "drop");
  if (oql_p_accept(p, "index")) return p_drop_index(p, s);
  s->drop_view = oql_p_is(p, "view");
  s->drop_sequence = oql_p_is(p, "sequence");
  if (!oql_p_is(p, "table") && !s->drop_view && !s->drop_sequence)
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "DROP %s is not supported",
                        oql_p_tok(p)->kind == OQL_T_EOF ? "" : oql_p_tok(p)->text);
  oql_p_advance(p);
  if (oql_p_is(p, "if")) {
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
    s->if_exists = true;
  }
  if ((st = p_table_list(p, s)) != ORB_OK) return st;
  if (oql_p_accept(p, "cascade")) s->cascade = true;   /* also drop the views that use them */
  else oql_p_accept(p, "restrict");
  return ORB_OK;
}

/* A partition transform term as written: a name, or name(args) with the
** parentheses balanced; its source text into *out (ice_spec_parse reads it
** when the statement runs). */
static orb_status p_partition_term(oql_parser *p, const char **out) {
  int from = p->i;
  const char *w;
  int pos;
  orb_status st = oql_p_ident(p, &w, &pos);
  if (st != ORB_OK) return st;
  if (oql_p_is_op(p, "(")) {
    int depth = 0;
    do {
      if (oql_p_at_end(p)) return oql_p_syntax(p);
      if (oql_p_is_op(p, "(")) depth++;
      else if (oql_p_is_op(p, ")")) depth--;
      oql_p_advance(p);
    } while (depth > 0);
  }
  *out = source_text(p, from, p->i);
  return ORB_OK;
}

/* [ADD|DROP|REPLACE] PARTITION FIELD ... after the verb (the caller saw
** PARTITION FIELD next). */
static orb_status p_partition_field(oql_parser *p, oql_alter_ast *al, oql_alter_kind kind) {
  orb_status st;
  oql_p_advance(p), oql_p_advance(p);   /* PARTITION FIELD */
  al->kind = kind;
  al->name_pos = oql_p_tok(p)->pos;
  if ((st = p_partition_term(p, &al->term)) != ORB_OK) return st;
  if (kind == OQL_ALTER_REPLACE_PARTITION_FIELD) {
    if ((st = oql_p_expect(p, "with")) != ORB_OK || (st = p_partition_term(p, &al->with)) != ORB_OK) return st;
  }
  if (kind != OQL_ALTER_DROP_PARTITION_FIELD && oql_p_accept(p, "as")) {
    int pos;
    return oql_p_ident(p, &al->as, &pos);
  }
  return ORB_OK;
}

/* ALTER [COLUMN] c TYPE t | SET DATA TYPE t | SET NOT NULL | DROP NOT NULL */
static orb_status p_alter_column(oql_parser *p, oql_alter_ast *al) {
  orb_status st;
  oql_p_accept(p, "column");
  if ((st = oql_p_ident(p, &al->name, &al->name_pos)) != ORB_OK) return st;
  al->col.name = al->name;
  al->col.pos = al->name_pos;
  bool set = oql_p_accept(p, "set");
  if (set && oql_p_accept(p, "data")) {
    if (!oql_p_is(p, "type")) return oql_p_syntax(p);
  }
  if (oql_p_accept(p, "type")) {
    al->kind = OQL_ALTER_COLUMN_TYPE;
    if ((st = oql_p_typename(p, &al->col.type)) != ORB_OK) return st;
    if (oql_p_is(p, "collate"))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                          "ALTER COLUMN ... TYPE ... COLLATE is not supported");
    if (oql_p_accept(p, "using")) {
      int from = p->i;
      if ((st = oql_p_expr(p, &al->using_expr)) != ORB_OK) return st;
      al->using_sql = source_text(p, from, p->i);
    }
    return ORB_OK;
  }
  if (!set && oql_p_is(p, "add") && oql_p_peek_is(p, 1, "generated")) {   /* ADD GENERATED ... AS IDENTITY */
    oql_p_advance(p);
    al->kind = OQL_ALTER_ADD_IDENTITY;
    return p_identity(p, &al->col.identity, &al->col.identity_seq);
  }
  if (set && oql_p_accept(p, "generated")) {   /* SET GENERATED {ALWAYS | BY DEFAULT} */
    if (oql_p_accept(p, "always")) {
      al->col.identity = 'a';
    } else {
      if ((st = oql_p_expect(p, "by")) != ORB_OK || (st = oql_p_expect(p, "default")) != ORB_OK) return st;
      al->col.identity = 'd';
    }
    al->kind = OQL_ALTER_SET_IDENTITY;
    return ORB_OK;
  }
  if (!set && oql_p_is(p, "drop") && oql_p_peek_is(p, 1, "identity")) {   /* DROP IDENTITY [IF EXISTS] */
    oql_p_advance(p), oql_p_advance(p);
    if (oql_p_accept(p, "if")) {
      if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
      al->if_exists = true;
    }
    al->kind = OQL_ALTER_DROP_IDENTITY;
    return ORB_OK;
  }
  if (set || oql_p_accept(p, "drop")) {
    if (oql_p_accept(p, "default")) {
      al->kind = set ? OQL_ALTER_SET_DEFAULT : OQL_ALTER_DROP_DEFAULT;
      if (!set) return ORB_OK;
      int from = p->i;
      if ((st = oql_p_expr(p, &al->col.def)) != ORB_OK) return st;
      al->col.default_sql = source_text(p, from, p->i);
      return ORB_OK;
    }
    if (oql_p_accept(p, "not")) {
      if ((st = oql_p_expect(p, "null")) != ORB_OK) return st;
      al->kind = set ? OQL_ALTER_SET_NOT_NULL : OQL_ALTER_DROP_NOT_NULL;
      return ORB_OK;
    }
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                        "ALTER COLUMN ... %s %s is not supported yet", set ? "SET" : "DROP",
                        oql_p_tok(p)->kind == OQL_T_EOF ? "" : oql_p_tok(p)->text);
  }
  return oql_p_syntax(p);
}

/* SET ( key = value [, ...] ) or RESET ( key [, ...] ), PostgreSQL's
** storage-parameter syntax, for Iceberg table properties: a key is a name,
** dotted names (a.b.c), or a quoted name for keys with hyphens
** ("commit.manifest.min-count-to-merge"); a value is a number, a string,
** or a word (true, false). */
static orb_status p_table_properties(oql_parser *p, oql_alter_ast *al, bool reset) {
  orb_status st;
  if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
  oql_plist keys = {0}, values = {0};
  do {
    const char *key;
    if ((st = p_property_key(p, &key)) != ORB_OK) return st;
    const char *value = NULL;
    if (!reset) {
      if ((st = oql_p_expect_op(p, "=")) != ORB_OK) return st;
      const oql_token *v = oql_p_tok(p);
      bool neg = v->kind == OQL_T_OP && strcmp(v->text, "-") == 0;
      if (neg) oql_p_advance(p), v = oql_p_tok(p);
      if (v->kind != OQL_T_NUMBER && ((v->kind != OQL_T_IDENT && v->kind != OQL_T_STRING) || neg))
        return oql_p_syntax(p);
      value = neg ? orb_arena_sprintf(p->a, "-%s", v->text) : v->text;
      oql_p_advance(p);
    }
    oql_plist_add(p, &keys, (void *)key);
    oql_plist_add(p, &values, (void *)value);
  } while (oql_p_accept_op(p, ","));
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  al->kind = reset ? OQL_ALTER_RESET_PROPERTIES : OQL_ALTER_SET_PROPERTIES;
  al->nprops = keys.n;
  al->prop_keys = orb_arena_alloc(p->a, sizeof(char *) * (size_t)(keys.n + 1));
  al->prop_values = orb_arena_alloc(p->a, sizeof(char *) * (size_t)(keys.n + 1));
  for (int i = 0; i < keys.n; i++) al->prop_keys[i] = keys.v[i], al->prop_values[i] = values.v[i];
  return ORB_OK;
}

static orb_status p_alter(oql_parser *p, oql_stmt_ast *s) {
  oql_alter_ast *al = &s->alter;
  orb_status st;
  if (oql_p_accept(p, "index")) {   /* ALTER INDEX [IF EXISTS] name RENAME TO new */
    if (oql_p_is(p, "if")) {
      oql_p_advance(p);
      if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
      al->if_exists = true;
    }
    al->kind = OQL_ALTER_RENAME_INDEX;
    if ((st = p_table_name(p, &al->name, &al->name_pos)) != ORB_OK) return st;
    if (!oql_p_is(p, "rename"))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "ALTER INDEX supports only RENAME TO");
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "to")) != ORB_OK) return st;
    int pos;
    return oql_p_ident(p, &al->new_name, &pos);
  }
  if (oql_p_is(p, "view") && oql_p_peek_is(p, 2, "rename")) {   /* ALTER VIEW v RENAME TO w: as ALTER TABLE */
    oql_p_advance(p);
  } else if ((st = oql_p_expect(p, "table")) != ORB_OK) {
    return st;
  }
  if (oql_p_is(p, "if") && oql_p_peek_is(p, 1, "exists")) {
    oql_p_advance(p), oql_p_advance(p);
    al->table_if_exists = true;
  }
  oql_p_accept(p, "only");   /* ONLY t / t *: Orbit has no inheritance, so both are t */
  if ((st = p_table_name(p, &al->table, &al->table_pos)) != ORB_OK) return st;
  oql_p_accept_op(p, "*");
  if (oql_p_is(p, "owner") && oql_p_peek_is(p, 1, "to")) {
    oql_p_advance(p), oql_p_advance(p);
    al->kind = OQL_ALTER_OWNER;
    return oql_p_ident(p, &al->new_name, &al->name_pos);
  }
  bool partition_field = oql_p_peek_is(p, 1, "partition") && oql_p_peek_is(p, 2, "field");
  if (partition_field && oql_p_accept(p, "add")) return p_partition_field(p, al, OQL_ALTER_ADD_PARTITION_FIELD);
  if (partition_field && oql_p_accept(p, "drop")) return p_partition_field(p, al, OQL_ALTER_DROP_PARTITION_FIELD);
  if (partition_field && oql_p_accept(p, "replace")) return p_partition_field(p, al, OQL_ALTER_REPLACE_PARTITION_FIELD);
  if ((oql_p_is(p, "set") || oql_p_is(p, "reset")) && oql_p_peek(p, 1)->kind == OQL_T_OP &&
      strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
    bool reset = oql_p_is(p, "reset");
    oql_p_advance(p);
    return p_table_properties(p, al, reset);
  }
  if (oql_p_is(p, "set") && oql_p_peek_is(p, 1, "partition")) {
    oql_p_advance(p), oql_p_advance(p);
    if ((st = oql_p_expect(p, "by")) != ORB_OK) return st;
    al->kind = OQL_ALTER_SET_PARTITION_SPEC;
    al->name_pos = oql_p_tok(p)->pos;
    if (oql_p_tok(p)->kind != OQL_T_STRING)
      return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", oql_p_tok(p)->pos,
                          "SET PARTITION BY takes the partition spec as a string, as in 'day(ts), bucket(16, id)'");
    al->term = oql_p_tok(p)->text;
    oql_p_advance(p);
    return ORB_OK;
  }
  if (oql_p_accept(p, "add")) {
    oql_p_accept(p, "column");
    if (oql_p_is(p, "if"))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "ADD COLUMN IF NOT EXISTS is not supported yet");
    const char *cname = NULL;
    if (oql_p_accept(p, "constraint")) {
      int cpos;
      if ((st = oql_p_ident(p, &cname, &cpos)) != ORB_OK) return st;
      if (!oql_p_is(p, "primary") && !oql_p_is(p, "check") && !oql_p_is(p, "unique"))
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                            "only PRIMARY KEY, UNIQUE and CHECK constraints can be added");
    }
    if (oql_p_is(p, "unique")) {
      al->kind = OQL_ALTER_ADD_UNIQUE;
      return p_unique(p, cname, true, &al->index);
    }
    if (oql_p_is(p, "check")) {
      al->kind = OQL_ALTER_ADD_CHECK;
      return p_check(p, cname, &al->check);
    }
    if (oql_p_accept(p, "primary")) {
      if ((st = oql_p_expect(p, "key")) != ORB_OK) return st;
      al->kind = OQL_ALTER_ADD_PRIMARY_KEY;
      al->name_pos = oql_p_tok(p)->pos;
      return oql_p_ident_list(p, &al->key_cols, &al->key_pos, &al->nkey_cols);
    }
    if (oql_p_is(p, "foreign"))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                          "only PRIMARY KEY, UNIQUE and CHECK constraints can be added");
    al->kind = OQL_ALTER_ADD_COLUMN;
    return p_coldef(p, &al->col);
  }
  if (oql_p_is(p, "drop") && oql_p_peek_is(p, 1, "constraint")) {   /* DROP CONSTRAINT [IF EXISTS] name */
    oql_p_advance(p), oql_p_advance(p);
    if (oql_p_is(p, "if")) {
      oql_p_advance(p);
      if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
      al->if_exists = true;
    }
    al->kind = OQL_ALTER_DROP_CONSTRAINT;
    if ((st = oql_p_ident(p, &al->name, &al->name_pos)) != ORB_OK) return st;
    if (oql_p_accept(p, "cascade") || oql_p_accept(p, "restrict")) { /* nothing depends on constraints */ }
    return ORB_OK;
  }
  if (oql_p_accept(p, "drop")) {
    oql_p_accept(p, "column");
    if (oql_p_is(p, "if")) {
      oql_p_advance(p);
      if ((st = oql_p_expect(p, "exists")) != ORB_OK) return st;
      al->if_exists = true;
    }
    al->kind = OQL_ALTER_DROP_COLUMN;
    if ((st = oql_p_ident(p, &al->name, &al->name_pos)) != ORB_OK) return st;
    if (oql_p_accept(p, "cascade") || oql_p_accept(p, "restrict")) { /* nothing depends on columns */ }
    return ORB_OK;
  }
  if (oql_p_accept(p, "rename")) {
    if (oql_p_accept(p, "to")) {
      al->kind = OQL_ALTER_RENAME_TABLE;
      return oql_p_ident(p, &al->new_name, &al->name_pos);
    }
    oql_p_accept(p, "column");
    al->kind = OQL_ALTER_RENAME_COLUMN;
    int pos;
    if ((st = oql_p_ident(p, &al->name, &al->name_pos)) != ORB_OK || (st = oql_p_expect(p, "to")) != ORB_OK) return st;
    return oql_p_ident(p, &al->new_name, &pos);
  }
  if (oql_p_accept(p, "alter")) return p_alter_column(p, al);
  return oql_p_syntax(p);
}

/* A COPY option value: identifier, string or number, as text. */
static const char *option_value(oql_parser *p) {
  const oql_token *k = oql_p_tok(p);
  if (k->kind == OQL_T_STRING || k->kind == OQL_T_NUMBER || k->kind == OQL_T_QIDENT ||
      (k->kind == OQL_T_IDENT && !oql_p_is_op(p, ","))) {
    oql_p_advance(p);
    return k->text;
  }
  return NULL;
}

static orb_status p_copy_options(oql_parser *p, oql_copy_ast *c) {
  oql_plist l = {0};
  orb_status st;
  oql_p_accept(p, "with");
  if (oql_p_accept_op(p, "(")) {
    do {
      oql_copy_opt_ast *o = orb_arena_zalloc(p->a, sizeof *o);
      o->pos = oql_p_tok(p)->pos;
      if (oql_p_tok(p)->kind != OQL_T_IDENT) return oql_p_syntax(p);
      o->name = oql_p_tok(p)->text;
      oql_p_advance(p);
      if (!oql_p_is_op(p, ",") && !oql_p_is_op(p, ")")) {
        o->value = option_value(p);
        if (!o->value) return oql_p_syntax(p);
      }
      oql_plist_add(p, &l, o);
    } while (oql_p_accept_op(p, ","));
    if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  } else {
    /* PostgreSQL's old syntax: CSV HEADER DELIMITER ',' NULL 'x' QUOTE '"' ESCAPE '\' */
    while (oql_p_tok(p)->kind == OQL_T_IDENT) {
      oql_copy_opt_ast *o = orb_arena_zalloc(p->a, sizeof *o);
      o->pos = oql_p_tok(p)->pos;
      o->name = oql_p_tok(p)->text;
      oql_p_advance(p);
      if (strcmp(o->name, "delimiter") == 0 || strcmp(o->name, "null") == 0 || strcmp(o->name, "quote") == 0 ||
          strcmp(o->name, "escape") == 0) {
        oql_p_accept(p, "as");
        if (oql_p_tok(p)->kind != OQL_T_STRING) return oql_p_syntax(p);
        o->value = oql_p_tok(p)->text;
        oql_p_advance(p);
      } else if (strcmp(o->name, "csv") == 0 || strcmp(o->name, "header") == 0 || strcmp(o->name, "binary") == 0) {
        if (strcmp(o->name, "binary") == 0)
          return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", o->pos, "COPY BINARY is not supported yet");
      } else {
        return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", o->pos, "syntax error at or near \"%s\"", o->name);
      }
      oql_plist_add(p, &l, o);
    }
  }
  c->nopts = l.n;
  c->opts = orb_arena_alloc(p->a, sizeof(oql_copy_opt_ast) * (size_t)(l.n + 1));
  for (int i = 0; i < l.n; i++) c->opts[i] = *(oql_copy_opt_ast *)l.v[i];
  return ORB_OK;
}

static orb_status p_copy(oql_parser *p, oql_stmt_ast *s) {
  oql_copy_ast *c = &s->copy;
  orb_status st;
  if (oql_p_is_op(p, "(")) {
    oql_p_advance(p);
    if ((st = oql_p_select(p, &c->query)) != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  } else {
    if ((st = p_table_name(p, &c->table, &c->table_pos)) != ORB_OK) return st;
    if (oql_p_is_op(p, "(") && (st = oql_p_ident_list(p, &c->cols, &c->col_pos, &c->ncols)) != ORB_OK) return st;
  }
  if (oql_p_accept(p, "to")) {
    c->to = true;
  } else if (!oql_p_accept(p, "from")) {
    return oql_p_syntax(p);
  }
  if (c->query && !c->to)
    return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", s->pos, "COPY (query) FROM is not allowed: use COPY table FROM");
  s->kind = c->to ? OQL_S_COPY_TO : OQL_S_COPY_FROM;
  if (oql_p_accept(p, "stdin") || oql_p_accept(p, "stdout")) {
    c->stdio = true;
  } else if (oql_p_tok(p)->kind == OQL_T_STRING) {
    c->path = oql_p_tok(p)->text;
    oql_p_advance(p);
  } else {
    return oql_p_syntax(p);
  }
  return p_copy_options(p, c);
}

static orb_status set_value(oql_parser *p, oql_stmt_ast *s);

/* SET name { = | TO } value [, ...]  /  SET SESSION ...  /  SET TIME ZONE value */
/* Transaction modes (BEGIN, START TRANSACTION, SET TRANSACTION): ISOLATION
** LEVEL x, READ WRITE / READ ONLY, [NOT] DEFERRABLE, comma separated.  The
** isolation level goes to s->value ("read committed", ...), else NULL. */
static orb_status p_txn_modes(oql_parser *p, oql_stmt_ast *s) {
  s->value = NULL;
  for (;;) {
    if (oql_p_accept(p, "isolation")) {
      orb_status st = oql_p_expect(p, "level");
      if (st != ORB_OK) return st;
      if (oql_p_accept(p, "serializable")) s->value = "serializable";
      else if (oql_p_accept(p, "repeatable")) {
        if ((st = oql_p_expect(p, "read")) != ORB_OK) return st;
        s->value = "repeatable read";
      } else if (oql_p_accept(p, "read")) {
        if (oql_p_accept(p, "committed")) s->value = "read committed";
        else if ((st = oql_p_expect(p, "uncommitted")) == ORB_OK) s->value = "read uncommitted";
        else return st;
      } else {
        return oql_p_syntax(p);
      }
    } else if (oql_p_accept(p, "read")) {
      if (oql_p_accept(p, "write")) s->read_only = OQL_READ_WRITE;
      else if (oql_p_accept(p, "only")) s->read_only = OQL_READ_ONLY;
      else return oql_p_syntax(p);
    } else if (oql_p_accept(p, "not")) {
      orb_status st = oql_p_expect(p, "deferrable");
      if (st != ORB_OK) return st;
    } else if (!oql_p_accept(p, "deferrable")) {
      return ORB_OK;
    }
    oql_p_accept_op(p, ",");
  }
}

static orb_status p_set(oql_parser *p, oql_stmt_ast *s) {
  if (oql_p_is(p, "transaction") ||
      (oql_p_is(p, "session") && oql_p_peek_is(p, 1, "characteristics"))) {
    /* SET TRANSACTION modes / SET SESSION CHARACTERISTICS AS TRANSACTION modes */
    bool session = oql_p_accept(p, "session");
    orb_status st;
    if (session && ((st = oql_p_expect(p, "characteristics")) != ORB_OK || (st = oql_p_expect(p, "as")) != ORB_OK))
      return st;
    if ((st = oql_p_expect(p, "transaction")) != ORB_OK || (st = p_txn_modes(p, s)) != ORB_OK) return st;
    s->setting = session ? "default_transaction_isolation" : "transaction_isolation";
    s->txn_modes = true;
    return ORB_OK;   /* value NULL: the isolation level stays */
  }
  /* SET LOCAL: for the rest of the transaction only (SET SESSION: the default) */
  if (!oql_p_accept(p, "session")) s->set_local = oql_p_is(p, "local") && oql_p_peek(p, 1)->kind != OQL_T_OP &&
                                                  !oql_p_peek_is(p, 1, "to") && oql_p_accept(p, "local");
  if (oql_p_is(p, "time") && oql_p_peek_is(p, 1, "zone")) {
    /* SET TIME ZONE value: PostgreSQL's spelling of SET timezone TO value */
    oql_p_advance(p), oql_p_advance(p);
    s->setting = "timezone";
    return set_value(p, s);
  }
  const oql_token *k = oql_p_tok(p);
  if (k->kind != OQL_T_IDENT && k->kind != OQL_T_QIDENT) return oql_p_syntax(p);
  s->setting = k->text;
  oql_p_advance(p);
  while (oql_p_accept_op(p, ".")) {
    if (oql_p_tok(p)->kind != OQL_T_IDENT) return oql_p_syntax(p);
    s->setting = orb_arena_sprintf(p->a, "%s.%s", s->setting, oql_p_tok(p)->text);
    oql_p_advance(p);
  }
  if (!oql_p_accept(p, "to") && !oql_p_accept_op(p, "=")) return oql_p_syntax(p);
  return set_value(p, s);
}

/* The value of SET: the rest of the statement, as text (one identifier or
** string as its text, anything else as written). */
static orb_status set_value(oql_parser *p, oql_stmt_ast *s) {
  int from = p->i;
  if (oql_p_is(p, "default") && p->i + 1 >= p->ntoks - 1) {   /* SET name TO DEFAULT: RESET name */
    oql_p_advance(p);
    s->value = NULL;
    return ORB_OK;
  }
  while (!oql_p_at_end(p)) oql_p_advance(p);
  if (p->i == from) return oql_p_syntax(p);
  const oql_token *v = &p->toks[from];
  s->value = p->i == from + 1 && (v->kind == OQL_T_STRING || v->kind == OQL_T_IDENT || v->kind == OQL_T_QIDENT)
                 ? v->text
                 : source_text(p, from, p->i);
  return ORB_OK;
}

orb_status oql_p_statement(oql_parser *p, oql_stmt_ast *s) {
  const oql_token *k = oql_p_tok(p);
  s->pos = k->pos;
  orb_status st;
  if (k->kind != OQL_T_IDENT && !oql_p_is_op(p, "(")) return oql_p_syntax(p);
  if (oql_p_is(p, "with")) {
    /* WITH ... before a query, or before INSERT / UPDATE / DELETE */
    int i0 = p->i;
    oql_with_ast *w;
    if ((st = oql_p_with_clause(p, &w)) != ORB_OK) return st;
    if (oql_p_starts_query(p)) {
      p->i = i0;   /* the query takes its own WITH */
    } else if (oql_p_is(p, "insert") || oql_p_is(p, "update") || oql_p_is(p, "delete")) {
      if ((st = oql_p_statement(p, s)) != ORB_OK) return st;
      s->pos = k->pos;
      if (s->kind == OQL_S_INSERT && s->insert.select && !s->insert.select->with)
        s->insert.select->with = w;   /* the rows inserted are the query's: its WITH */
      else
        s->with = w;
      return ORB_OK;
    } else {
      return oql_p_syntax(p);
    }
  }
  if (oql_p_starts_query(p)) {
    s->kind = OQL_S_SELECT;
    return oql_p_select(p, &s->select);
  }
  const char *w = k->text;
  if (strcmp(w, "insert") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_INSERT;
    return p_insert(p, s);
  }
  if (strcmp(w, "update") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_UPDATE;
    return p_update(p, s);
  }
  if (strcmp(w, "delete") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_DELETE;
    return p_delete(p, s);
  }
  if (strcmp(w, "create") == 0) {
    oql_p_advance(p);
    return p_create(p, s);
  }
  if (strcmp(w, "drop") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_DROP_TABLE;
    return p_drop(p, s);
  }
  if (strcmp(w, "vacuum") == 0 || strcmp(w, "analyze") == 0 || strcmp(w, "analyse") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_VACUUM;
    s->analyze = w[0] == 'a';   /* ANALYZE rather than VACUUM: the command tag */
    if (oql_p_accept_op(p, "(")) {   /* (option [value], ...) */
      while (!oql_p_is_op(p, ")") && !oql_p_at_end(p)) oql_p_advance(p);
      if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
    }
    while (oql_p_is(p, "full") || oql_p_is(p, "freeze") || oql_p_is(p, "verbose") || oql_p_is(p, "analyze") ||
           oql_p_is(p, "analyse"))
      oql_p_advance(p);
    oql_plist l = {0}, lp = {0};
    if (oql_p_is_ident(p)) {
      do {
        const char *n;
        int *pos = orb_arena_alloc(p->a, sizeof(int));
        if ((st = p_table_name(p, &n, pos)) != ORB_OK) return st;
        if (oql_p_is_op(p, "(")) {   /* column list: statistics are kept for every column anyway */
          const char **cols;
          int ncols;
          if ((st = oql_p_ident_list(p, &cols, NULL, &ncols)) != ORB_OK) return st;
        }
        oql_plist_add(p, &l, (void *)n);
        oql_plist_add(p, &lp, pos);
      } while (oql_p_accept_op(p, ","));
    }
    s->names = (const char **)l.v;
    s->nnames = l.n;
    s->name_pos = orb_arena_alloc(p->a, sizeof(int) * (size_t)(l.n + 1));
    for (int i = 0; i < l.n; i++) s->name_pos[i] = *(int *)lp.v[i];
    return ORB_OK;
  }
  if (strcmp(w, "call") == 0) {
    /* CALL [catalog.][system.]procedure(args): Iceberg maintenance, with
    ** Spark's procedure names; the binder knows which exist */
    oql_p_advance(p);
    s->kind = OQL_S_CALL;
    oql_from_ast *f = orb_arena_zalloc(p->a, sizeof *f);
    f->kind = OQL_FA_FUNCTION;
    f->pos = oql_p_tok(p)->pos;
    int npos;
    if ((st = oql_p_ident(p, &f->name, &npos)) != ORB_OK) return st;
    while (oql_p_accept_op(p, ".")) {
      f->pos = oql_p_tok(p)->pos;
      if ((st = oql_p_ident(p, &f->name, &npos)) != ORB_OK) return st;
    }
    if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
    if ((st = oql_p_call_args(p, false, f)) != ORB_OK) return st;
    s->call = f;
    return ORB_OK;
  }
  if (strcmp(w, "truncate") == 0) {
    oql_p_advance(p);
    oql_p_accept(p, "table");
    s->kind = OQL_S_TRUNCATE;
    if ((st = p_table_list(p, s)) != ORB_OK) return st;
    if (oql_p_accept(p, "restart") || oql_p_accept(p, "continue")) {
      if ((st = oql_p_expect(p, "identity")) != ORB_OK) return st;
    }
    if (oql_p_accept(p, "cascade") || oql_p_accept(p, "restrict")) { /* nothing references tables */ }
    return ORB_OK;
  }
  if (strcmp(w, "alter") == 0) {
    oql_p_advance(p);
    if (oql_p_is(p, "role") || oql_p_is(p, "user")) return p_role(p, s, "alter");
    if (oql_p_accept(p, "sequence")) return p_alter_sequence(p, s);
    s->kind = OQL_S_ALTER_TABLE;
    return p_alter(p, s);
  }
  if (strcmp(w, "copy") == 0) {
    oql_p_advance(p);
    return p_copy(p, s);
  }
  if (strcmp(w, "explain") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_EXPLAIN;
    if (oql_p_accept(p, "analyze") || oql_p_accept(p, "analyse")) s->analyze = true;
    oql_p_accept(p, "verbose");
    s->inner = orb_arena_zalloc(p->a, sizeof *s->inner);
    if ((st = oql_p_enter(p)) != ORB_OK) return st;
    int from = p->i;
    st = oql_p_statement(p, s->inner);
    oql_p_leave(p);
    if (st == ORB_OK) s->inner->text = source_text(p, from, p->i);
    return st;
  }
  if (strcmp(w, "show") == 0) {
    oql_p_advance(p);
    if (oql_p_accept(p, "tables")) {
      s->kind = OQL_S_SHOW_TABLES;
      return ORB_OK;
    }
    if (oql_p_is(p, "snapshots") && (oql_p_peek(p, 1)->kind == OQL_T_IDENT || oql_p_peek(p, 1)->kind == OQL_T_QIDENT)) {
      /* SHOW SNAPSHOTS name: an Iceberg table's snapshots */
      oql_p_advance(p);
      s->kind = OQL_S_SHOW_SNAPSHOTS;
      return p_one_table_name(p, s);
    }
    if (oql_p_is(p, "tblproperties") &&
        (oql_p_peek(p, 1)->kind == OQL_T_IDENT || oql_p_peek(p, 1)->kind == OQL_T_QIDENT)) {
      /* SHOW TBLPROPERTIES name (Spark's): an Iceberg table's properties */
      oql_p_advance(p);
      s->kind = OQL_S_SHOW_TBLPROPERTIES;
      return p_one_table_name(p, s);
    }
    s->kind = OQL_S_SHOW;
    if (oql_p_is(p, "time") && oql_p_peek_is(p, 1, "zone")) {
      oql_p_advance(p), oql_p_advance(p);
      s->setting = "timezone";
      return ORB_OK;
    }
    if (oql_p_is(p, "transaction") && oql_p_peek_is(p, 1, "isolation") && oql_p_peek_is(p, 2, "level")) {
      /* SHOW TRANSACTION ISOLATION LEVEL (JDBC's getTransactionIsolation) */
      oql_p_advance(p), oql_p_advance(p), oql_p_advance(p);
      s->setting = "transaction_isolation";
      return ORB_OK;
    }
    if (oql_p_tok(p)->kind != OQL_T_IDENT && oql_p_tok(p)->kind != OQL_T_QIDENT) return oql_p_syntax(p);
    s->setting = oql_p_tok(p)->text;
    oql_p_advance(p);
    return ORB_OK;
  }
  if (strcmp(w, "describe") == 0 || strcmp(w, "desc") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_DESCRIBE;
    return p_one_table_name(p, s);
  }
  if (strcmp(w, "set") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_SET;
    return p_set(p, s);
  }
  if (strcmp(w, "reset") == 0) {   /* RESET name / RESET ALL: SET name TO DEFAULT */
    oql_p_advance(p);
    s->kind = OQL_S_SET;
    s->value = NULL;
    s->reset = true;
    if (oql_p_accept(p, "all")) {
      s->reset_all = true;
      return ORB_OK;
    }
    if (oql_p_is(p, "time") && oql_p_peek_is(p, 1, "zone")) {
      oql_p_advance(p), oql_p_advance(p);
      s->setting = "timezone";
      return ORB_OK;
    }
    const oql_token *k = oql_p_tok(p);
    if (k->kind != OQL_T_IDENT && k->kind != OQL_T_QIDENT) return oql_p_syntax(p);
    s->setting = k->text;
    oql_p_advance(p);
    return ORB_OK;
  }
  if (strcmp(w, "savepoint") == 0 || strcmp(w, "release") == 0) {
    s->kind = w[0] == 's' ? OQL_S_SAVEPOINT : OQL_S_RELEASE;
    oql_p_advance(p);
    if (s->kind == OQL_S_RELEASE) oql_p_accept(p, "savepoint");
    int pos;
    return oql_p_ident(p, &s->setting, &pos);
  }
  if (strcmp(w, "checkpoint") == 0) {
    oql_p_advance(p);
    s->kind = OQL_S_CHECKPOINT;
    return ORB_OK;
  }
  if (strcmp(w, "begin") == 0 || strcmp(w, "start") == 0) {
    bool start = w[0] == 's';
    oql_p_advance(p);
    if (start && (st = oql_p_expect(p, "transaction")) != ORB_OK) return st;
    if (!start && !oql_p_accept(p, "transaction")) oql_p_accept(p, "work");
    s->kind = OQL_S_BEGIN;
    s->setting = start ? "START TRANSACTION" : "BEGIN";   /* the command tag */
    return p_txn_modes(p, s);
  }
  if (strcmp(w, "commit") == 0 || strcmp(w, "end") == 0) {
    oql_p_advance(p);
    if (!oql_p_accept(p, "transaction")) oql_p_accept(p, "work");
    s->kind = OQL_S_COMMIT;
    return ORB_OK;
  }
  if (strcmp(w, "rollback") == 0 || strcmp(w, "abort") == 0) {
    oql_p_advance(p);
    if (!oql_p_accept(p, "transaction")) oql_p_accept(p, "work");
    s->kind = OQL_S_ROLLBACK;
    if (oql_p_accept(p, "to")) {
      oql_p_accept(p, "savepoint");
      s->kind = OQL_S_ROLLBACK_TO;
      int pos;
      return oql_p_ident(p, &s->setting, &pos);
    }
    return ORB_OK;
  }
  return oql_p_syntax(p);
}
