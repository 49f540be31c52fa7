/* query/binder_catalog_size.c — PostgreSQL's object size functions, which
** psql's \dt+, \di+ and \l+ call: pg_relation_size(rel [, fork]),
** pg_table_size(rel), pg_indexes_size(rel), pg_total_relation_size(rel)
** and pg_database_size(name | oid).
**
** What they measure is Orbit's, not PostgreSQL's 8 kB pages: a table's size
** is the memory its hot tier holds for rows (every version still kept,
** strings included, and the array of row slots); an index's size is the
** memory of its hash table (pg_indexes_size: all of the table's).  pg_total_relation_size is
** both.  A database's size is the bytes of the files under its directory
** (catalog, write-ahead log, checkpoints, warehouse).
**
** Like pg_get_indexdef (binder_catalog_funcs.c), the figures come from the
** catalog the statement is bound against, taken once at bind time, and the
** call becomes CASE rel WHEN <oid> THEN <bytes> ... END: NULL for an OID
** that names no relation, as PostgreSQL answers. */
#include "query/binder_int.h"

#include <string.h>

#include "base/file.h"
#include "base/mem.h"

enum { SZ_RELATION, SZ_TABLE, SZ_INDEXES, SZ_TOTAL, SZ_DATABASE };

static int size_func(const char *name) {
  static const char *const names[] = {"pg_relation_size", "pg_table_size", "pg_indexes_size",
                                      "pg_total_relation_size", "pg_database_size"};
  for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
    if (strcmp(name, names[i]) == 0) return i;
  return -1;
}

bool oql_is_size_func(const char *name) { return size_func(name) >= 0; }

/* An unknown literal as a relation is a name, as PostgreSQL's regclass input takes it. */
static orb_status relation_arg(oql_binder *b, orb_expr **arg, orb_err *e) {
  orb_expr *x = *arg;
  if (oql_is_unknown(x) && x->kind == ORB_E_CONST && !x->value.isnull && x->value.type == ORB_T_TEXT) {
    char *name = orb_arena_strndup(b->a, x->value.u.s, x->value.len);
    return oql_b_regclass(b, name, x->pos, arg, e);
  }
  if (x->type.id != ORB_T_NULL && !orb_type_is_integer((orb_type_id)x->type.id) && !oql_is_unknown(x))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", x->pos, "function argument of type %s is not a relation",
                        oql_type_name(b, x));
  return oql_coerce(b, arg, orb_type_make(ORB_T_INT64), e);
}

static orb_status database_size(oql_binder *b, orb_expr **args, int pos, orb_expr **out, orb_err *e) {
  orb_expr *arg = args[0];
  orb_expr *size = oql_const_int(b, orb_dir_bytes(orb_db_path(b->db)), true, pos);
  orb_expr *key;
  if (orb_type_is_integer((orb_type_id)arg->type.id)) {
    key = oql_const_int(b, 16384, true, pos);   /* pg_database.oid of the one database */
  } else {
    orb_status st = oql_coerce(b, &args[0], orb_type_make(ORB_T_TEXT), e);
    if (st != ORB_OK) return st;
    key = oql_const_text(b, oql_database_name(b), pos);
  }
  return oql_b_case(b, args[0], &key, &size, 1, NULL, pos, out, e);
}

orb_status oql_b_size_func(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                           orb_err *e) {
  oql_binder *b = c->b;
  int which = size_func(name);
  int maxargs = which == SZ_RELATION ? 2 : 1;
  if (n < 1 || n > maxargs)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s with %d arguments does not exist", name, n);
  if (which == SZ_DATABASE) return database_size(b, args, pos, out, e);
  orb_status st = relation_arg(b, &args[0], e);
  if (st != ORB_OK) return st;
  if (n == 2 && (st = oql_coerce(b, &args[1], orb_type_make(ORB_T_TEXT), e)) != ORB_OK) return st;

  /* one WHEN per table and per index */
  int ntables = orb_db_table_count(b->db), nw = 0;
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all);
  orb_expr **whens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ntables + nall + 1));
  orb_expr **thens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ntables + nall + 1));
  for (int i = 0; i < ntables; i++) {
    orb_table *t = orb_db_table_at(b->db, i);
    if (oql_is_system_table(t->name)) continue;
    oql_binder_dep(b, t);
    orb_tier_stats ts;
    orb_table_stats(t, &ts);
    orb_free(ts.cols);
    int64_t index = ts.index_bytes, rows = ts.bytes - ts.index_bytes;
    int64_t of_table = which == SZ_RELATION || which == SZ_TABLE ? rows : which == SZ_INDEXES ? index : rows + index;
    whens[nw] = oql_const_int(b, oql_cat_table_oid(t), true, pos);
    thens[nw++] = oql_const_int(b, of_table, true, pos);
  }
  for (int j = 0; j < nall; j++) {   /* an index's own size; it has no indexes of its own */
    int k = all[j].primary ? -1 : orb_schema_find_index(&all[j].t->schema, all[j].name);
    whens[nw] = oql_const_int(b, all[j].oid, true, pos);
    thens[nw++] = oql_const_int(b, which == SZ_INDEXES ? 0 : orb_table_index_bytes(all[j].t, k), true, pos);
  }
  orb_expr *size;
  if (nw == 0) size = oql_const_int(b, 0, false, pos);
  else if ((st = oql_b_case(b, args[0], whens, thens, nw, NULL, pos, &size, e)) != ORB_OK) return st;
  if (n < 2) {
    *out = size;
    return ORB_OK;
  }
  /* pg_relation_size(rel, fork): Orbit keeps no free space map, visibility map or init fork;
  ** a NULL or unknown fork gives NULL */
  static const char *const forks[] = {"main", "fsm", "vm", "init"};
  orb_expr *names[4], *sizes[4];
  for (int i = 0; i < 4; i++) {
    names[i] = oql_const_text(b, forks[i], pos);
    sizes[i] = i == 0 ? size : oql_const_int(b, 0, true, pos);
  }
  return oql_b_case(b, args[1], names, sizes, 4, NULL, pos, out, e);
}
