/* query/binder_stmt_dml.c — binding parsed INSERT, UPDATE and DELETE. */
#include "query/binder_int.h"

#include <string.h>

#include "expr/func.h"
#include "query/parser.h"

orb_status oql_column_default(oql_binder *b, orb_table *t, int col, orb_expr **out, orb_err *e) {
  const orb_column *c = &t->schema.cols[col];
  if (!c->default_sql) {
    *out = oql_mk_const(b, orb_null((orb_type_id)c->type.id), c->type, 0);
    return ORB_OK;
  }
  /* the catalog keeps the expression as written; bind it as `SELECT <default>` */
  const char *sql = orb_arena_sprintf(b->a, "SELECT %s", c->default_sql);
  const char *tail;
  oql_stmt_ast *ast;
  bool empty;
  orb_status st = oql_parse(b->a, sql, &tail, &ast, &empty, e);
  if (st == ORB_OK && (empty || ast->kind != OQL_S_SELECT || ast->select->ntargets != 1))
    st = orb_err_set(e, ORB_ERR_CORRUPT, "default of column \"%s\" is not an expression: %s", c->name, c->default_sql);
  if (st != ORB_OK) {
    e->pos = 0;
    return st;
  }
  oql_selctx dc;
  oql_selctx_init(&dc, b);
  dc.agg_ctx = "DEFAULT expressions";
  orb_expr *x;
  if ((st = oql_walk_operand(&dc, ast->select->targets[0].expr, &x, e)) == ORB_OK &&
      (st = oql_coerce_assign(b, &x, c->type, c->name, e)) == ORB_OK && (st = oql_b_finish(b, &x, e)) == ORB_OK) {
    x->pos = 0;
    *out = x;
    return ORB_OK;
  }
  e->pos = 0;
  return st;
}

/* Bound defaults of every column of t (NULL constants for columns without one). */
static orb_status table_defaults(oql_binder *b, orb_table *t, orb_expr ***out, orb_err *e) {
  int n = t->schema.ncols;
  orb_expr **d = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    orb_status st = oql_column_default(b, t, i, &d[i], e);
    if (st != ORB_OK) return st;
  }
  *out = d;
  return ORB_OK;
}

/* SET col[i] = x: the column's array with element i set to x, bound as
** array_set(col, i, x); col is the target's column as `qual` names it. */
static orb_status walk_element_set(oql_selctx *c, orb_table *t, int col, const char *qual, const oql_set_ast *s,
                                   orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_type ct = t->schema.cols[col].type;
  if (ct.id != ORB_T_ARRAY) {
    orb_buf tn = ORB_BUF_INIT;
    orb_type_format(ct, &tn);
    orb_status st = orb_err_setx(e, ORB_ERR_TYPE, "42804", s->subscript_pos,
                                 "cannot subscript type %s because it does not support subscripting", tn.data ? tn.data : "?");
    orb_buf_free(&tn);
    return st;
  }
  oql_expr_ast *ref = orb_arena_zalloc(b->a, sizeof *ref);
  ref->kind = OQL_X_COLUMN;
  ref->pos = s->pos;
  ref->qual = qual;
  ref->name = t->schema.cols[col].name;
  orb_expr *arr, *k, *x;
  orb_status st = oql_walk_operand(c, ref, &arr, e);
  if (st == ORB_OK) st = oql_walk_operand(c, s->subscript, &k, e);
  if (st == ORB_OK) st = oql_coerce(b, &k, orb_type_make(ORB_T_INT32), e);
  if (st == ORB_OK && !orb_type_is_integer((orb_type_id)k->type.id))
    st = orb_err_setx(e, ORB_ERR_TYPE, "42804", s->subscript_pos, "array subscript must have type integer");
  if (st == ORB_OK) st = oql_walk_operand(c, s->expr, &x, e);
  if (st == ORB_OK) st = oql_coerce_assign(b, &x, orb_type_elem(ct), t->schema.cols[col].name, e);
  if (st != ORB_OK) return st;
  orb_expr *f = orb_expr_new(b->a, ORB_E_FUNC, ct, 3);
  f->func = orb_func_lookup("array_set");
  f->args[0] = arr;
  f->args[1] = k;
  f->args[2] = x;
  f->pos = s->subscript_pos;
  *out = f;
  return oql_b_finish(b, out, e);
}

/* SET col = expr, ... against scope c, where `qual` names the target; schema positions into cols. */
static orb_status walk_sets(oql_selctx *c, orb_table *t, const char *qual, const oql_set_ast *sets, int n, int **cols,
                            orb_expr ***exprs, orb_err *e) {
  oql_binder *b = c->b;
  *cols = orb_arena_alloc(b->a, sizeof(int) * (size_t)(n + 1));
  *exprs = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    int col = orb_schema_find(&t->schema, sets[i].col);
    if (col < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", sets[i].pos, "column \"%s\" of relation \"%s\" does not exist",
                          sets[i].col, t->name);
    if (sets[i].field) {   /* Orbit's columns are never composite: PostgreSQL's error for a scalar one */
      orb_type ct = t->schema.cols[col].type;
      orb_buf tn = ORB_BUF_INIT;
      if (ct.id == ORB_T_TEXT && ct.maxlen) orb_buf_puts(&tn, "character varying");
      else orb_type_format(orb_type_make((orb_type_id)ct.id), &tn);
      orb_status fst = orb_err_setx(e, ORB_ERR_TYPE, "42804", sets[i].pos,
                                    "cannot assign to field \"%s\" of column \"%s\" because its type %s is not a composite type",
                                    sets[i].field, sets[i].col, tn.data ? tn.data : "?");
      orb_buf_free(&tn);
      return fst;
    }
    for (int j = 0; j < i; j++)
      if ((*cols)[j] == col)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42601", sets[i].pos, "multiple assignments to same column \"%s\"",
                            sets[i].col);
    orb_expr *x;
    orb_status st;
    if (sets[i].subscript && !sets[i].expr) {
      st = orb_err_setx(e, ORB_ERR_SYNTAX, "42601", sets[i].pos, "syntax error at or near \"DEFAULT\"");
    } else if (sets[i].subscript) {
      st = walk_element_set(c, t, col, qual, &sets[i], &x, e);
    } else if (!sets[i].expr) {
      st = oql_column_default(b, t, col, &x, e);
    } else {
      st = oql_check_identity_update(t, col, sets[i].pos, e);
      if (st == ORB_OK) st = oql_walk_operand(c, sets[i].expr, &x, e);
      if (st == ORB_OK) st = oql_coerce_assign(b, &x, t->schema.cols[col].type, t->schema.cols[col].name, e);
      if (st == ORB_OK) st = oql_b_finish(b, &x, e);
    }
    if (st != ORB_OK) return st;
    (*cols)[i] = col;
    (*exprs)[i] = x;
  }
  return ORB_OK;
}

orb_status oql_walk_sets(oql_selctx *c, orb_table *t, const char *qual, const oql_set_ast *sets, int n, int **cols,
                         orb_expr ***exprs, orb_err *e) {
  return walk_sets(c, t, qual, sets, n, cols, exprs, e);
}

static orb_status walk_where(oql_selctx *c, const oql_expr_ast *w, orb_expr **out, orb_err *e) {
  *out = NULL;
  if (!w) return ORB_OK;
  c->allow_aggs = false;
  c->agg_ctx = "WHERE";
  orb_status st = oql_walk_operand(c, w, out, e);
  if (st == ORB_OK) st = oql_require_bool(c->b, out, "WHERE", e);
  if (st == ORB_OK) st = oql_b_finish(c->b, out, e);
  return st;
}

/* Does the unique constraint `which` (-1 the primary key, else an index
** of the schema) have exactly the columns named (any order)? */
static bool arbiter_matches(const orb_schema *s, int which, const oql_insert_ast *in) {
  int n = which < 0 ? s->npk : s->indexes[which].ncols;
  const int32_t *ids = which < 0 ? s->pk : s->indexes[which].cols;
  if (n != in->nconflict_cols) return false;
  for (int i = 0; i < n; i++) {
    bool named = false;
    for (int k = 0; k < n && !named; k++) {
      int col = orb_schema_find(s, in->conflict_cols[k]);
      named = col >= 0 && s->cols[col].field_id == ids[i];
    }
    if (!named) return false;
  }
  return true;
}

/* ON CONFLICT target: the primary key or a unique index inferred from the
** columns (PostgreSQL's inference: the same set of columns), one named
** ON CONSTRAINT, or, for DO NOTHING without a target, every one. */
static orb_status check_conflict_target(orb_table *t, const oql_insert_ast *in, oql_binsert *ins, orb_err *e) {
  const orb_schema *s = &t->schema;
  ins->narbiters = 0;
  if (in->conflict_constraint) {
    size_t tl = strlen(t->name);
    if (s->npk && strncmp(in->conflict_constraint, t->name, tl) == 0 && strcmp(in->conflict_constraint + tl, "_pkey") == 0) {
      ins->arbiters[ins->narbiters++] = -1;
      return ORB_OK;
    }
    int k = orb_schema_find_index(s, in->conflict_constraint);
    if (k < 0 || !s->indexes[k].unique || !s->indexes[k].constraint)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", in->conflict_pos, "constraint \"%s\" for table \"%s\" does not exist",
                          in->conflict_constraint, t->name);
    ins->arbiters[ins->narbiters++] = k;
    return ORB_OK;
  }
  if (in->nconflict_cols) {
    for (int i = 0; i < in->nconflict_cols; i++)
      if (orb_schema_find(s, in->conflict_cols[i]) < 0)
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", in->conflict_pos, "column \"%s\" does not exist",
                            in->conflict_cols[i]);
    if (s->npk && arbiter_matches(s, -1, in)) ins->arbiters[ins->narbiters++] = -1;
    for (int k = 0; k < s->nindexes && ins->narbiters < 8; k++)
      if (s->indexes[k].unique && arbiter_matches(s, k, in)) ins->arbiters[ins->narbiters++] = k;
  } else if (in->on_conflict == OQL_CA_UPDATE) {
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", in->conflict_pos,
                        "ON CONFLICT DO UPDATE requires inference specification or constraint name");
  } else {
    if (s->npk) ins->arbiters[ins->narbiters++] = -1;
    for (int k = 0; k < s->nindexes && ins->narbiters < 8; k++)
      if (s->indexes[k].unique) ins->arbiters[ins->narbiters++] = k;
    if (!ins->narbiters) ins->arbiters[ins->narbiters++] = -2;   /* nothing can conflict: every row goes in */
  }
  if (!ins->narbiters)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", in->conflict_pos,
                        "there is no unique or exclusion constraint matching the ON CONFLICT specification");
  return ORB_OK;
}

/* RETURNING list over the written row: the table's columns in schema order
** (gid == schema position) known by `qual`; the statement then returns
** rows described like a SELECT's. */
static orb_status bind_returning(oql_binder *b, const oql_stmt_ast *ast, orb_table *t, const char *qual,
                                 oql_bstmt *out, orb_err *e) {
  if (!ast->nreturning) return ORB_OK;
  oql_selctx c;
  oql_selctx_init(&c, b);
  c.agg_ctx = "RETURNING";
  oql_scope_table(&c, t, qual);
  oql_select_items it;
  oql_select_items_init(&it);
  orb_status st = oql_walk_targets(&c, ast->returning, ast->nreturning, &it, e);
  if (st != ORB_OK) return st;
  out->ret.n = it.n;
  out->ret.exprs = it.exprs;
  out->ncols = it.n;
  out->names = it.names;
  out->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(it.n + 1));
  for (int i = 0; i < it.n; i++) out->types[i] = it.exprs[i]->type;
  return ORB_OK;
}

/* 428C9 for a value given to a GENERATED ALWAYS identity column, as PostgreSQL words it. */
static orb_status always_identity(const orb_column *c, bool update, int pos, orb_err *e) {
  if (update)
    orb_err_setx(e, ORB_ERR_CONSTRAINT, "428C9", pos, "column \"%s\" can only be updated to DEFAULT", c->name);
  else
    orb_err_setx(e, ORB_ERR_CONSTRAINT, "428C9", pos, "cannot insert a non-DEFAULT value into column \"%s\"", c->name);
  orb_err_detail(e, "Column \"%s\" is an identity column defined as GENERATED ALWAYS.", c->name);
  if (!update) orb_err_hint(e, "Use OVERRIDING SYSTEM VALUE to override.");
  return e->code;
}

orb_status oql_check_identity_update(const orb_table *t, int col, int pos, orb_err *e) {
  const orb_column *c = &t->schema.cols[col];
  return c->identity == 'a' ? always_identity(c, true, pos, e) : ORB_OK;
}

/* The rows an INSERT writes: its SELECT or VALUES, every column filled.
** Identity columns: a value for a GENERATED ALWAYS one is 428C9 unless
** OVERRIDING SYSTEM VALUE; OVERRIDING USER VALUE drops the values given to
** any identity column (their sequence fills them). */
static orb_status bind_insert_source(oql_binder *b, const oql_insert_ast *in, orb_table *t, int *cols, int ncols,
                                     orb_expr **defaults, oql_binsert *ins, orb_err *e) {
  orb_status st;
  for (int i = 0; i < ncols; i++) {
    const orb_column *c = &t->schema.cols[cols[i]];
    if (!c->identity || in->overriding == 's') continue;
    if (in->overriding == 'u') {
      if (in->select) cols[i] = -1;   /* oql_insert_select: no source column, the default */
      continue;
    }
    if (c->identity != 'a') continue;
    if (in->select) return always_identity(c, false, in->col_pos ? in->col_pos[i] : 0, e);
    for (int r = 0; r < in->nrows; r++)
      if (i < in->row_len[r] && in->rows[r][i]) return always_identity(c, false, in->rows[r][i]->pos, e);
  }
  bool drop_user_values = in->overriding == 'u' && !in->select;
  if (in->select) {
    oql_op *root;
    int nvis;
    const char **names;
    if ((st = oql_walk_query(b, in->select, &root, &nvis, &names, e)) != ORB_OK) return st;
    if (!in->cols && nvis < ncols) ncols = nvis;   /* as in PostgreSQL: the leading columns, the rest default */
    if ((st = oql_insert_select(b, t, cols, ncols, root, nvis, in->select->pos, defaults, &ins->source, e)) != ORB_OK) {
      oql_op_destroy(root);   /* not yet owned by a statement */
      return st;
    }
    ins->materialize = true;   /* the source may read the table being written */
  } else {
    oql_selctx vc;
    oql_selctx_init(&vc, b);
    vc.agg_ctx = "VALUES";
    int nrows = in->default_values ? 1 : in->nrows;
    orb_expr ***rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(nrows + 1));
    int zero = 0;
    for (int r = 0; r < in->nrows; r++) {
      rows[r] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(in->row_len[r] + 1));
      for (int i = 0; i < in->row_len[r]; i++) {
        rows[r][i] = NULL;
        if (in->rows[r][i] && (st = oql_walk_operand(&vc, in->rows[r][i], &rows[r][i], e)) != ORB_OK) return st;
        if (drop_user_values && i < ncols && t->schema.cols[cols[i]].identity) rows[r][i] = NULL;   /* its DEFAULT */
      }
    }
    /* Without a column list, rows that are all shorter than the table fill
    ** its leading columns, as in PostgreSQL; they must agree on a length. */
    for (int r = 1; !in->cols && r < in->nrows; r++)
      if (in->row_len[r] != in->row_len[0])
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", in->row_pos ? in->row_pos[r] : 0,
                            "VALUES lists must all be the same length");
    if (!in->cols && in->nrows > 0 && in->row_len[0] < ncols) ncols = in->row_len[0];
    if (in->default_values) {
      rows[0] = NULL;
      st = oql_insert_values(b, t, cols, 0, rows, &zero, NULL, 1, defaults, &ins->source, e);
    } else {
      st = oql_insert_values(b, t, cols, ncols, rows, in->row_len, in->row_pos, nrows, defaults, &ins->source, e);
    }
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

orb_status oql_bind_insert(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_insert_ast *in = &ast->insert;
  orb_table *t;
  orb_status st = oql_binder_table(b, in->table, in->table_pos, &t, e);
  if (st != ORB_OK) return st;
  if ((st = oql_binder_writable(b, t, "insert into", in->table_pos, e)) != ORB_OK) return st;
  const char *qual = in->alias ? in->alias : t->name;   /* the alias hides the name, as in PostgreSQL */
  int *cols, ncols;
  orb_expr **defaults;
  if ((st = oql_insert_columns(b, t, in->cols, in->col_pos, in->ncols, &cols, &ncols, e)) != ORB_OK) return st;
  if ((st = table_defaults(b, t, &defaults, e)) != ORB_OK) return st;
  oql_binsert *ins = &out->ins;
  ins->table = t;
  b->insert_target[0] = in->alias;
  b->insert_target[1] = t->name;
  st = bind_insert_source(b, in, t, cols, ncols, defaults, ins, e);
  b->insert_target[0] = b->insert_target[1] = NULL;
  if (st != ORB_OK) return st;
  if (in->on_conflict != OQL_CA_NONE) {
    if ((st = check_conflict_target(t, in, ins, e)) != ORB_OK) return st;
    ins->on_conflict = in->on_conflict == OQL_CA_NOTHING ? OQL_CONFLICT_NOTHING : OQL_CONFLICT_UPDATE;
    if (in->on_conflict == OQL_CA_UPDATE) {
      /* existing row as the table's alias or name, the proposed row as `excluded` */
      oql_selctx uc;
      oql_selctx_init(&uc, b);
      uc.agg_ctx = "ON CONFLICT DO UPDATE";
      oql_scope_table(&uc, t, qual);
      oql_scope_table(&uc, t, "excluded");
      if ((st = walk_sets(&uc, t, qual, in->sets, in->nsets, &ins->set_cols, &ins->set_exprs, e)) != ORB_OK) return st;
      ins->nset = in->nsets;
      if ((st = walk_where(&uc, in->conflict_where, &ins->conflict_where, e)) != ORB_OK) return st;
    }
  }
  if ((st = bind_returning(b, ast, t, qual, out, e)) != ORB_OK) return st;
  oql_binsert_init(ins, t);
  out->writes = true;
  return ORB_OK;
}

orb_status oql_bind_modify(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  bool upd = ast->kind == OQL_S_UPDATE;
  const char *name = upd ? ast->update.table : ast->del.table;
  const char *alias = upd ? ast->update.alias : ast->del.alias;
  int pos = upd ? ast->update.table_pos : ast->del.table_pos;
  orb_table *t;
  orb_status st = oql_binder_table(b, name, pos, &t, e);
  if (st != ORB_OK) return st;
  if ((st = oql_binder_writable(b, t, upd ? "update" : "delete from", pos, e)) != ORB_OK) return st;
  if ((upd ? ast->update.nfrom : ast->del.nfrom) > 0) return oql_bind_modify_from(b, ast, t, alias ? alias : t->name, out, e);
  oql_selctx c;
  oql_selctx_init(&c, b);
  c.agg_ctx = upd ? "UPDATE" : "DELETE";
  oql_scope_table(&c, t, alias ? alias : t->name);   /* gid == schema position */
  oql_bmodify *m = &out->mod;
  m->table = t;
  if (upd && (st = walk_sets(&c, t, alias ? alias : t->name, ast->update.sets, ast->update.nsets, &m->set_cols, &m->set_exprs, e)) != ORB_OK)
    return st;
  m->nset = upd ? ast->update.nsets : 0;
  if ((st = walk_where(&c, upd ? ast->update.where : ast->del.where, &m->pred, e)) != ORB_OK) return st;
  if ((st = bind_returning(b, ast, t, alias ? alias : t->name, out, e)) != ORB_OK) return st;
  out->writes = true;
  return ORB_OK;
}
