/* query/binder_catalog.c — the few pg_catalog tables PostgreSQL tools read
** (psql's \dt and \l among them), made at bind time from Orbit's catalog as
** VALUES lists: pg_namespace (the public schema, pg_catalog,
** information_schema), pg_class (one row per table), pg_am (heap),
** pg_database (the database being served).  Object ids follow
** PostgreSQL's conventions: 2200 public, 11 pg_catalog, tables 16384 + id. */
#include "query/binder_int.h"

#include <string.h>

#define NS_PUBLIC 2200
#define NS_CATALOG 11
#define NS_INFO 13000
#define OWNER_OID 10
#define HEAP_AM 2

orb_expr *oql_const_int(oql_binder *b, int64_t v, bool present, int pos) {
  if (!present) return oql_mk_const(b, orb_null(ORB_T_INT64), orb_type_make(ORB_T_INT64), pos);
  return oql_mk_const(b, orb_int(ORB_T_INT64, v), orb_type_make(ORB_T_INT64), pos);
}

orb_expr *oql_const_text(oql_binder *b, const char *s, int pos) {
  if (!s) return oql_mk_const(b, orb_null(ORB_T_TEXT), orb_type_make(ORB_T_TEXT), pos);
  size_t n = strlen(s);
  return oql_mk_const(b, orb_text(orb_arena_strndup(b->a, s, n), n), orb_type_make(ORB_T_TEXT), pos);
}

const char *oql_database_name(oql_binder *b) {
  const char *path = orb_db_path(b->db), *slash = strrchr(path, '/');
  return slash && slash[1] ? slash + 1 : path;
}

static orb_expr *int_const(oql_binder *b, int64_t v, int pos) { return oql_const_int(b, v, true, pos); }
static orb_expr *text_const(oql_binder *b, const char *s, int pos) { return oql_const_text(b, s, pos); }

bool oql_is_catalog_table(const char *name) {
  return strcmp(name, "pg_class") == 0 || strcmp(name, "pg_namespace") == 0 || strcmp(name, "pg_am") == 0 ||
         strcmp(name, "pg_database") == 0;
}

/* pg_database: the one database a server serves, named after its directory. */
static void database_rows(oql_binder *b, int pos, orb_expr ****rows) {
  const char *name = oql_database_name(b);
  orb_expr **r = orb_arena_alloc(b->a, sizeof(orb_expr *) * 9);
  r[0] = int_const(b, 16384, pos);
  r[1] = text_const(b, name, pos);
  r[2] = int_const(b, OWNER_OID, pos);
  r[3] = int_const(b, 6, pos);            /* PostgreSQL's encoding number of UTF8 */
  r[4] = text_const(b, "C", pos);
  r[5] = text_const(b, "C", pos);
  r[6] = text_const(b, NULL, pos);        /* no ICU locale */
  r[7] = text_const(b, "c", pos);         /* libc provider */
  r[8] = text_const(b, NULL, pos);        /* default privileges */
  *rows = orb_arena_alloc(b->a, sizeof(orb_expr **));
  (*rows)[0] = r;
}

orb_status oql_from_catalog(oql_selctx *c, const char *name, const char *alias, const char *const *colnames,
                            int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  static const char *const class_cols[] = {"oid", "relname", "relnamespace", "relkind", "relowner", "relam"};
  static const char *const ns_cols[] = {"oid", "nspname", "nspowner"};
  static const char *const am_cols[] = {"oid", "amname", "amtype"};
  static const char *const db_cols[] = {"oid",        "datname",      "datdba",         "encoding", "datcollate",
                                        "datctype",   "daticulocale", "datlocprovider", "datacl"};
  const char *const *cols;
  int ncols, nrows;
  orb_expr ***rows;
  if (strcmp(name, "pg_class") == 0) {
    cols = class_cols;
    ncols = 6;
    int ntables = orb_db_table_count(b->db);
    nrows = 0;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(ntables + 1));
    for (int i = 0; i < ntables; i++) {
      orb_table *t = orb_db_table_at(b->db, i);
      if (oql_is_system_table(t->name)) continue;
      orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * 6);
      r[0] = int_const(b, 16384 + (int64_t)t->id, pos);
      r[1] = text_const(b, t->name, pos);
      r[2] = int_const(b, NS_PUBLIC, pos);
      r[3] = text_const(b, "r", pos);
      r[4] = int_const(b, OWNER_OID, pos);
      r[5] = int_const(b, HEAP_AM, pos);
    }
  } else if (strcmp(name, "pg_namespace") == 0) {
    static const struct { int64_t oid; const char *name; } ns[] = {
        {NS_CATALOG, "pg_catalog"}, {NS_PUBLIC, "public"}, {NS_INFO, "information_schema"}};
    cols = ns_cols;
    ncols = 3;
    nrows = 3;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * 3);
    for (int i = 0; i < 3; i++) {
      orb_expr **r = rows[i] = orb_arena_alloc(b->a, sizeof(orb_expr *) * 3);
      r[0] = int_const(b, ns[i].oid, pos);
      r[1] = text_const(b, ns[i].name, pos);
      r[2] = int_const(b, OWNER_OID, pos);
    }
  } else if (strcmp(name, "pg_database") == 0) {
    cols = db_cols;
    ncols = 9;
    nrows = 1;
    database_rows(b, pos, &rows);
  } else {
    cols = am_cols;
    ncols = 3;
    nrows = 1;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **));
    rows[0] = orb_arena_alloc(b->a, sizeof(orb_expr *) * 3);
    rows[0][0] = int_const(b, HEAP_AM, pos);
    rows[0][1] = text_const(b, "heap", pos);
    rows[0][2] = text_const(b, "t", pos);
  }
  return oql_from_named_rows(c, rows, nrows, cols, ncols, alias ? alias : name, colnames, ncolnames, pos, out, e);
}

orb_status oql_from_named_rows(oql_selctx *c, orb_expr ***rows, int nrows, const char *const *cols, int ncols,
                               const char *alias, const char *const *colnames, int ncolnames, int pos, oql_from **out,
                               orb_err *e) {
  /* the alias's column list wins over the table's own names, as for any table */
  const char **names = orb_arena_alloc(c->b->a, sizeof(char *) * (size_t)ncols);
  for (int i = 0; i < ncols; i++) names[i] = i < ncolnames && colnames[i] ? colnames[i] : cols[i];
  return oql_from_values(c, rows, nrows, ncols, alias, names, ncols, pos, out, e);
}
