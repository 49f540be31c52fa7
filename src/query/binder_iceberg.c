/* query/binder_iceberg.c — iceberg_scan(table [, snapshot_id => id]): an
** Apache Iceberg table (a table folder or one of its metadata files) as a
** table function.  Binding opens the table's metadata (storage/cold) for
** the columns: the top-level fields of the schema read — the current one,
** or, for an older snapshot, the schema it was written with — typed by
** ice_sql_type, structs, lists and maps as the TEXT of their JSON as
** read_parquet shows them.  The rows are read when the statement runs
** (exec_iceberg.c), so a prepared statement sees the table's newest
** snapshot as long as its columns are still the same. */
#include "query/binder_int.h"
#include "storage/cold/ice_read.h"

#include <string.h>

bool oql_is_iceberg_function(const char *name) { return strcmp(name, "iceberg_scan") == 0; }

/* A constant argument, coerced to t. */
static orb_status const_arg(oql_binder *b, orb_expr **x, orb_type t, const char *fn, const char *what, int pos,
                            const orb_value **out, orb_err *e) {
  orb_status st;
  if ((st = oql_coerce(b, x, t, e)) != ORB_OK || (st = oql_b_finish(b, x, e)) != ORB_OK) return st;
  if ((*x)->kind != ORB_E_CONST || (*x)->value.isnull)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", (*x)->pos ? (*x)->pos : pos, "%s() needs %s as a constant", fn, what);
  *out = &(*x)->value;
  return ORB_OK;
}

orb_status oql_from_iceberg(oql_selctx *c, const char *fn, orb_expr **args, const oql_from_ast *f, oql_from **out,
                            orb_err *e) {
  oql_binder *b = c->b;
  const char *const *argnames = f->argnames;
  int nargs = f->nargs, pos = f->pos;
  if (f->list_arg || nargs < 1 || nargs > 2 || (argnames && argnames[0]))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos,
                        "%s() takes the table's folder or metadata file, and optionally snapshot_id => id", fn);
  const orb_value *v = NULL;   /* set by const_arg when it succeeds (gcc -O3 cannot tell) */
  orb_status st = const_arg(b, &args[0], orb_type_make(ORB_T_TEXT), fn, "the table's path", pos, &v, e);
  if (st != ORB_OK) return st;
  const char *where = orb_arena_strndup(b->a, v->u.s, v->len);
  if (f->asof) {   /* iceberg_scan(path) FOR ... AS OF x */
    if (nargs == 2)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", f->asof_pos, "%s() takes snapshot_id => or FOR ... AS OF, not both", fn);
    orb_expr *x;
    if ((st = oql_walk_asof(c, f, &x, e)) != ORB_OK) return st;
    return oql_from_iceberg_asof(c, where, where, x, f, out, e);
  }
  int64_t snapshot = -1;
  if (nargs == 2) {
    if (argnames && argnames[1] && strcmp(argnames[1], "snapshot_id") != 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "%s() has no argument named \"%s\"", fn, argnames[1]);
    if ((st = const_arg(b, &args[1], orb_type_make(ORB_T_INT64), fn, "snapshot_id", pos, &v, e)) != ORB_OK) return st;
    snapshot = v->u.i;
    if (snapshot < 0)
      return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", args[1]->pos ? args[1]->pos : pos, "%s(): snapshot_id must not be negative", fn);
  }
  /* the metadata only: no manifest is read to bind */
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  st = ice_meta_open(&a, where, &m, &mf, e);
  if (st == ORB_OK && snapshot >= 0 && !ice_meta_snapshot(&m, snapshot))
    st = orb_err_set(e, ORB_ERR_UNDEFINED, "iceberg: table \"%s\" has no snapshot %lld", where, (long long)snapshot);
  if (st == ORB_OK) st = oql_from_iceberg_meta(c, &m, where, snapshot, f->alias, f->colnames, f->ncolnames, out, e);
  if (st != ORB_OK && !e->pos) e->pos = pos;
  orb_arena_free(&a);
  return st;
}

orb_status oql_from_iceberg_meta(oql_selctx *c, const ice_meta *m, const char *where, int64_t snapshot,
                                 const char *alias, const char *const *colnames, int ncolnames, oql_from **out,
                                 orb_err *e) {
  oql_binder *b = c->b;
  const ice_schema *s = ice_meta_current_schema(m);
  const ice_snapshot *sn = snapshot >= 0 ? ice_meta_snapshot(m, snapshot) : NULL;
  if (sn && sn->has_schema_id && ice_meta_schema(m, sn->schema_id)) s = ice_meta_schema(m, sn->schema_id);
  ice_column *cols = NULL;
  int ncols = 0;
  orb_status st = ice_columns(b->a, s, &cols, &ncols, e);
  if (st != ORB_OK) return st;
  if (ncols < 1) return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: table \"%s\" has no columns", where);
  orb_type *types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)ncols);
  const char **names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)ncols);
  int32_t *ids = orb_arena_alloc(b->a, sizeof(int32_t) * (size_t)ncols);
  for (int i = 0; i < ncols; i++) {   /* names live in the metadata's arena, which the caller frees */
    types[i] = cols[i].type;
    names[i] = orb_arena_strdup(b->a, cols[i].name);
    ids[i] = cols[i].field_id;
  }
  *out = oql_from_iceberg_table(c, where, snapshot, ncols, types, names, ids, alias, colnames, ncolnames);
  return ORB_OK;
}
