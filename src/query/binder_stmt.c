/* query/binder_stmt.c — oql_bind(): one parsed statement to a bound one,
** dispatching on its kind; oql_compile(): parse + bind. */
#include "query/binder_int.h"

#include <string.h>

#include "query/parser.h"

/* Result columns of statements whose rows are all text. */
static void text_columns(oql_binder *b, oql_bstmt *out, int n, const char *const *names) {
  out->ncols = n;
  out->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)n);
  out->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)n);
  for (int i = 0; i < n; i++) {
    out->names[i] = names[i];
    out->types[i] = orb_type_make(ORB_T_TEXT);
  }
}

static orb_status bind_stmt(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  orb_status st;
  out->kind = ast->kind;
  switch (ast->kind) {
  case OQL_S_SELECT:
    out->reads = true;
    if ((st = oql_walk_query_origins(b, ast->select, &out->root, &out->ncols, &out->names, out, e)) != ORB_OK)
      return st;
    out->types = out->root->types;
    /* FOR UPDATE/SHARE claims rows, nextval logs values: in a transaction (exec_lock.c, storage/sequence.h) */
    out->writes = b->locks_rows || b->uses_nextval;
    out->lock_strength = b->lock_strength;
    out->uses_nextval = b->uses_nextval && !b->locks_rows;
    return ORB_OK;
  case OQL_S_INSERT:
  case OQL_S_UPDATE:
  case OQL_S_DELETE: {
    /* WITH before a write: its queries are read by the write's subqueries */
    oql_cte_scope sc;
    st = ast->with ? oql_with_push(b, ast->with, NULL, true, &sc, e) : ORB_OK;
    if (st == ORB_OK) st = ast->kind == OQL_S_INSERT ? oql_bind_insert(b, ast, out, e) : oql_bind_modify(b, ast, out, e);
    if (ast->with) oql_with_pop(b, &sc, NULL);
    return st;
  }
  case OQL_S_CREATE_TABLE:
  case OQL_S_CREATE_TABLE_AS:
  case OQL_S_DROP_TABLE:
  case OQL_S_CREATE_VIEW:
  case OQL_S_CREATE_SEQUENCE:
  case OQL_S_ALTER_SEQUENCE:
  case OQL_S_TRUNCATE:
  case OQL_S_ALTER_TABLE:
  case OQL_S_COPY_FROM:
  case OQL_S_COPY_TO:
    return oql_bind_ddl(b, ast, out, e);
  case OQL_S_SHOW_TABLES: {
    static const char *const names[] = {"name"};
    out->reads = true;
    text_columns(b, out, 1, names);
    return ORB_OK;
  }
  case OQL_S_DESCRIBE: {
    static const char *const names[] = {"column_name", "data_type", "is_nullable", "column_default", "primary_key"};
    orb_table *t;
    if ((st = oql_binder_table(b, ast->names[0], ast->name_pos ? ast->name_pos[0] : ast->pos, &t, e)) != ORB_OK)
      return st;
    out->table_name = t->name;
    out->reads = true;
    text_columns(b, out, 5, names);
    return ORB_OK;
  }
  case OQL_S_SHOW_SNAPSHOTS:
  case OQL_S_SHOW_TBLPROPERTIES: {
    static const char *const names[] = {"snapshot_id",  "parent_id",     "committed_at",     "operation",
                                        "sequence_number", "added_records", "deleted_records", "total_records",
                                        "total_data_files", "total_delete_files", "is_current"};
    static const orb_type_id types[] = {ORB_T_INT64, ORB_T_INT64, ORB_T_TIMESTAMPTZ, ORB_T_TEXT,  ORB_T_INT64, ORB_T_INT64,
                                        ORB_T_INT64, ORB_T_INT64, ORB_T_INT64,       ORB_T_INT64, ORB_T_BOOL};
    static const char *const prop_names[] = {"key", "value"};   /* Spark's */
    static const orb_type_id prop_types[] = {ORB_T_TEXT, ORB_T_TEXT};
    bool props = ast->kind == OQL_S_SHOW_TBLPROPERTIES;
    orb_table *t;
    int pos = ast->name_pos ? ast->name_pos[0] : ast->pos;
    if ((st = oql_binder_table(b, ast->names[0], pos, &t, e)) != ORB_OK) return st;
    if (!t->location || t->kind == ORB_TABLE_VIEW)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "SHOW %s needs an Iceberg table: \"%s\" is %s",
                          props ? "TBLPROPERTIES" : "SNAPSHOTS", t->name,
                          t->kind == ORB_TABLE_VIEW ? "a view" : "an ordinary table");
    out->table_name = t->name;
    out->path = t->location;
    out->reads = true;
    out->ncols = props ? 2 : 11;
    out->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)out->ncols);
    out->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)out->ncols);
    for (int i = 0; i < out->ncols; i++) {
      out->names[i] = props ? prop_names[i] : names[i];
      out->types[i] = orb_type_make(props ? prop_types[i] : types[i]);
    }
    return ORB_OK;
  }
  case OQL_S_EXPLAIN: {
    static const char *const names[] = {"QUERY PLAN"};
    if (ast->inner->kind == OQL_S_EXPLAIN)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", ast->inner->pos, "syntax error at or near \"EXPLAIN\"");
    oql_bstmt *in = orb_arena_zalloc(b->a, sizeof *in);
    if ((st = bind_stmt(b, ast->inner, in, e)) != ORB_OK) {
      out->inner = in;   /* released with the statement */
      return st;
    }
    out->inner = in;
    out->analyze = ast->analyze;
    out->reads = true;
    /* EXPLAIN ANALYZE runs the statement, as PostgreSQL does */
    out->writes = ast->analyze && in->writes;
    text_columns(b, out, 1, names);
    return ORB_OK;
  }
  case OQL_S_SET:
    out->setting = ast->setting;
    out->value = ast->value;
    out->set_local = ast->set_local;
    out->reset = ast->reset;
    out->read_only = ast->read_only;
    out->txn_modes = ast->txn_modes;
    out->reset_all = ast->reset_all;
    return ORB_OK;
  case OQL_S_SHOW: {
    const char *names[] = {ast->setting};
    out->setting = ast->setting;
    text_columns(b, out, 1, names);
    return ORB_OK;
  }
  case OQL_S_VACUUM:
    /* Orbit's hot tier needs no VACUUM (it frees a row when the transaction
    ** that deleted it commits) and no ANALYZE (tier statistics are kept up to
    ** date by every write); the tables named must still exist.  VACUUM of an
    ** owned Iceberg table expires its old snapshots and removes orphan
    ** files (exec_maint.c). */
    out->maint.older_than_ms = out->maint.retain_last = -1;
    for (int i = 0; i < ast->nnames; i++) {
      orb_table *t;
      if ((st = oql_binder_table(b, ast->names[i], ast->name_pos[i], &t, e)) != ORB_OK) return st;
      if (ast->analyze || t->kind == ORB_TABLE_HOT) continue;
      if (!out->maint.dirs) out->maint.dirs = orb_arena_alloc(b->a, sizeof(char *) * (size_t)ast->nnames);
      if ((st = oql_bind_maint_table(b, ast->names[i], ast->name_pos[i], "VACUUM",
                                     &out->maint.dirs[out->maint.ndirs], e)) != ORB_OK)
        return st;
      out->maint.ndirs++;
      out->maint.proc = OQL_MAINT_VACUUM;
      out->maint.proc_name = "VACUUM";
    }
    out->analyze = ast->analyze;
    return ORB_OK;
  case OQL_S_CALL:
    return oql_bind_call(b, ast, out, e);
  case OQL_S_SAVEPOINT:
  case OQL_S_RELEASE:
  case OQL_S_ROLLBACK_TO:
    out->setting = ast->setting;
    return ORB_OK;
  case OQL_S_BEGIN:
    out->value = ast->value;   /* isolation level, or NULL */
    out->read_only = ast->read_only;
    out->setting = ast->setting;   /* BEGIN or START TRANSACTION: the command tag */
    return ORB_OK;
  case OQL_S_CREATE_ROLE:
  case OQL_S_ALTER_ROLE:
  case OQL_S_DROP_ROLE:   /* run by the session as statements on pg_authid (session_roles.c) */
    out->setting = ast->setting;
    out->value = ast->value;
    out->role_login = ast->role_login;
    out->role_password = ast->role_password;
    out->drop_names = ast->names;
    out->ndrop = ast->nnames;
    out->if_exists = ast->if_exists;
    return ORB_OK;
  case OQL_S_CHECKPOINT:
  case OQL_S_COMMIT:
  case OQL_S_ROLLBACK:
    return ORB_OK;
  }
  return orb_err_set(e, ORB_ERR_INTERNAL, "unexpected statement kind %d", (int)ast->kind);
}

orb_status oql_bind(oql_binder *b, const void *ast, oql_bstmt *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  orb_status st = bind_stmt(b, (const oql_stmt_ast *)ast, out, e);
  out->deps = b->deps;
  out->ndeps = b->ndeps;
  out->sublinks = b->sublinks;
  out->sublink_kind = b->sublink_kind;
  out->sublink_correlated = b->sublink_correlated;
  out->nsublinks = b->nsublinks;
  return st;
}

orb_status oql_compile(oql_binder *b, const char *sql, const char **tail, oql_bstmt *out, bool *empty, orb_err *e) {
  oql_stmt_ast *ast;
  memset(out, 0, sizeof *out);
  orb_status st = oql_parse(b->a, sql, tail, &ast, empty, e);
  if (st != ORB_OK || *empty) return st;
  return oql_bind(b, ast, out, e);
}
