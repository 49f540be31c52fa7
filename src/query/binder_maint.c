/* query/binder_maint.c — CALL expire_snapshots(...), CALL
** remove_orphan_files(...), CALL rewrite_data_files(...), CALL
** rewrite_manifests(...) and VACUUM of Iceberg tables: which table, which
** options (docs/cold.md "Maintenance").  Spark's procedure names and
** argument names; the table comes first (positionally or as table =>),
** the others by name.  Only tables the database owns are maintained: an
** external table is someone else's to clean (25006, as writes to it are),
** an ordinary table has no files to clean (42809). */
#include "query/binder_int.h"

#include <string.h>
#include <time.h>

/* A constant argument coerced to t (a parameter or a column is refused). */
static orb_status const_arg(oql_binder *b, orb_expr **x, orb_type t, const char *proc, const char *what, int pos,
                            const orb_value **out, orb_err *e) {
  orb_status st;
  if ((st = oql_coerce(b, x, t, e)) != ORB_OK || (st = oql_b_finish(b, x, e)) != ORB_OK) return st;
  /* now() and its kin are not folded (ORB_FN_STABLE): with no column or
  ** parameter in the way, evaluate the argument at this moment instead */
  if ((*x)->kind != ORB_E_CONST && orb_expr_is_closed(*x)) {
    orb_value v;
    if ((st = orb_expr_eval(*x, &b->fold_ctx, NULL, &v, e)) != ORB_OK) return st;
    (*x)->kind = ORB_E_CONST;
    (*x)->nargs = 0;
    (*x)->value = v;
  }
  if ((*x)->kind != ORB_E_CONST || (*x)->value.isnull)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", (*x)->pos ? (*x)->pos : pos, "%s: %s must be a constant, not NULL",
                        proc, what);
  *out = &(*x)->value;
  return ORB_OK;
}

/* The owned Iceberg table `name` (for `what`, a statement or procedure). */
orb_status oql_bind_maint_table(oql_binder *b, const char *name, int pos, const char *what, const char **dir,
                                orb_err *e) {
  orb_table *t;
  orb_status st = oql_binder_table(b, name, pos, &t, e);
  if (st != ORB_OK) return st;
  if (t->kind == ORB_TABLE_EXTERNAL)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "25006", pos,
                        "table \"%s\" is a read-only Iceberg table: %s maintains only Iceberg tables this database owns",
                        t->name, what);
  if (t->kind != ORB_TABLE_ICEBERG || !t->location)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "42809", pos,
                        "table \"%s\" is not an Iceberg table: %s maintains tables created USING iceberg", t->name, what);
  *dir = t->location;
  return ORB_OK;
}

static const char *const rewrite_cols[] = {"rewritten_data_files_count", "added_data_files_count",
                                           "rewritten_bytes_count", "failed_data_files_count",
                                           "removed_delete_files_count"};

static const char *const rewrite_manifests_cols[] = {"rewritten_manifests_count", "added_manifests_count"};

static const char *const expire_cols[] = {"deleted_data_files_count", "deleted_position_delete_files_count",
                                          "deleted_equality_delete_files_count", "deleted_manifest_files_count",
                                          "deleted_manifest_lists_count", "deleted_metadata_files_count",
                                          "expired_snapshots_count"};

/* The arguments of CALL proc(...) into m. */
static orb_status bind_args(oql_binder *b, const oql_from_ast *f, oql_bmaint *m, const char **table, orb_err *e) {
  const char *proc = m->proc_name;
  oql_selctx c;
  oql_selctx_init(&c, b);
  c.agg_ctx = "CALL arguments";
  int table_pos = f->pos;
  orb_status st;
  for (int i = 0; i < f->nargs; i++) {
    const char *an = f->argnames ? f->argnames[i] : NULL;
    int apos = f->args[i]->pos ? f->args[i]->pos : f->pos;
    if (!an && i > 0)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", apos,
                          "%s takes the table as its first argument and the others by name (older_than => ...)", proc);
    if (!an) an = "table";
    orb_expr *x;
    if ((st = oql_walk_operand(&c, f->args[i], &x, e)) != ORB_OK) return st;
    const orb_value *v;
    if (strcmp(an, "table") == 0) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_TEXT), proc, "table", apos, &v, e)) != ORB_OK) return st;
      *table = orb_arena_strndup(b->a, v->u.s, v->len);
      table_pos = apos;
      /* Spark names tables db.t: the database is this one */
      if (strncmp(*table, "public.", 7) == 0) *table += 7;
    } else if (strcmp(an, "older_than") == 0) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_TIMESTAMPTZ), proc, "older_than", apos, &v, e)) != ORB_OK) return st;
      m->older_than_ms = v->u.i / 1000;
      if (m->older_than_ms < 0)
        return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", apos, "%s: older_than must be after 1970-01-01", proc);
    } else if (strcmp(an, "retain_last") == 0 && m->proc == OQL_MAINT_EXPIRE) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_INT64), proc, "retain_last", apos, &v, e)) != ORB_OK) return st;
      if (v->u.i < 1)
        return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", apos, "%s: retain_last must be at least 1", proc);
      m->retain_last = v->u.i;
    } else if (strcmp(an, "target_file_size_bytes") == 0 && m->proc == OQL_MAINT_REWRITE) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_INT64), proc, "target_file_size_bytes", apos, &v, e)) != ORB_OK)
        return st;
      if (v->u.i < 1)
        return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", apos, "%s: target_file_size_bytes must be at least 1", proc);
      m->target_file_bytes = v->u.i;
    } else if (strcmp(an, "min_input_files") == 0 && m->proc == OQL_MAINT_REWRITE) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_INT64), proc, "min_input_files", apos, &v, e)) != ORB_OK) return st;
      if (v->u.i < 1)
        return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", apos, "%s: min_input_files must be at least 1", proc);
      m->min_input_files = v->u.i;
    } else if (strcmp(an, "partial_progress_enabled") == 0 && m->proc == OQL_MAINT_REWRITE) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_BOOL), proc, "partial_progress_enabled", apos, &v, e)) != ORB_OK)
        return st;
      m->partial_progress = v->u.b;
    } else if (strcmp(an, "partial_progress_max_commits") == 0 && m->proc == OQL_MAINT_REWRITE) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_INT64), proc, "partial_progress_max_commits", apos, &v, e)) != ORB_OK)
        return st;
      if (v->u.i < 1)
        return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", apos, "%s: partial_progress_max_commits must be at least 1", proc);
      m->max_commits = v->u.i;
    } else if (strcmp(an, "dry_run") == 0 && m->proc == OQL_MAINT_ORPHANS) {
      if ((st = const_arg(b, &x, orb_type_make(ORB_T_BOOL), proc, "dry_run", apos, &v, e)) != ORB_OK) return st;
      m->dry_run = v->u.b;
    } else {
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", apos, "procedure %s has no argument named \"%s\"", proc, an);
    }
  }
  if (!*table) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", f->pos, "%s needs a table: CALL %s('t', ...)", proc, proc);
  m->dirs = orb_arena_alloc(b->a, sizeof(char *));
  if ((st = oql_bind_maint_table(b, *table, table_pos, proc, &m->dirs[0], e)) != ORB_OK) return st;
  m->ndirs = 1;
  return ORB_OK;
}

orb_status oql_bind_call(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_from_ast *f = ast->call;
  oql_bmaint *m = &out->maint;
  m->older_than_ms = -1;
  m->retain_last = -1;
  m->min_input_files = m->max_commits = -1;
  const char *proc = f->name;
  if (strcmp(proc, "expire_snapshots") == 0) m->proc = OQL_MAINT_EXPIRE;
  else if (strcmp(proc, "remove_orphan_files") == 0) m->proc = OQL_MAINT_ORPHANS;
  else if (strcmp(proc, "rewrite_data_files") == 0) m->proc = OQL_MAINT_REWRITE;
  else if (strcmp(proc, "rewrite_manifests") == 0) m->proc = OQL_MAINT_REWRITE_MANIFESTS;
  else
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", f->pos,
                        "procedure %s does not exist (there are expire_snapshots, remove_orphan_files, rewrite_data_files "
                        "and rewrite_manifests)",
                        proc);
  m->proc_name = proc;
  /* The arguments are folded now, once: now() in them is this moment (the
  ** binder's folding context has no statement time of its own). */
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t saved_time = b->fold_ctx.stmt_time;
  b->fold_ctx.stmt_time = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
  const char *table = NULL;
  orb_status st = bind_args(b, f, m, &table, e);
  b->fold_ctx.stmt_time = saved_time;
  if (st != ORB_OK) return st;
  out->table_name = table;
  if (m->proc != OQL_MAINT_ORPHANS) {
    const char *const *names = m->proc == OQL_MAINT_EXPIRE    ? expire_cols
                               : m->proc == OQL_MAINT_REWRITE ? rewrite_cols
                                                              : rewrite_manifests_cols;
    out->ncols = m->proc == OQL_MAINT_EXPIRE    ? (int)(sizeof expire_cols / sizeof expire_cols[0])
                 : m->proc == OQL_MAINT_REWRITE ? (int)(sizeof rewrite_cols / sizeof rewrite_cols[0])
                                                : (int)(sizeof rewrite_manifests_cols / sizeof rewrite_manifests_cols[0]);
    out->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)out->ncols);
    out->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)out->ncols);
    for (int i = 0; i < out->ncols; i++) out->names[i] = names[i], out->types[i] = orb_type_make(ORB_T_INT64);
  } else {
    out->ncols = 1;
    out->names = orb_arena_alloc(b->a, sizeof(char *));
    out->types = orb_arena_alloc(b->a, sizeof(orb_type));
    out->names[0] = "orphan_file_location";
    out->types[0] = orb_type_make(ORB_T_TEXT);
  }
  return ORB_OK;
}
