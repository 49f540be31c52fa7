/* query/binder_catalog.c — the pg_catalog tables PostgreSQL tools read
** (psql's \d, \dt, \l, \di, \dn; drivers' start-up queries), made at bind
** time from Orbit's catalog as typed VALUES lists.
**
** This file has the framework (typed columns, constant rows) and the
** catalogs about the database as a whole: pg_namespace (public,
** pg_catalog, information_schema), pg_class (one row per table and one per
** primary key index), pg_am (heap, btree, iceberg), pg_database (the database being
** served), pg_roles, pg_collation, and the catalogs of features Orbit does
** not have, which are empty but typed as PostgreSQL's (pg_inherits,
** pg_policy, pg_statistic_ext, pg_publication, pg_publication_namespace,
** pg_publication_rel, pg_trigger, pg_rewrite, pg_description, pg_depend).  Columns of a table
** (pg_attribute, pg_attrdef, pg_index, pg_constraint, pg_type) are in
** binder_catalog_rel.c.
**
** Object ids follow PostgreSQL's conventions where it fixes them (2200
** public, 11 pg_catalog, 10 the owner, 2 heap, 403 btree, pg_type's OIDs);
** user objects start at 16384: a table with catalog id n is 16384 + 4n, its
** primary key index 16384 + 4n + 1 and that key's constraint 16384 + 4n + 2.
** oid, regclass, regproc... columns are bigints, name and "char" text,
** oid[], int2vector, text[] and aclitem[] arrays (types/array.h). */
#include "query/binder_int.h"

#include <string.h>

#include "base/mem.h"
#include "storage/table.h"
#include "types/array.h"

#define NS_PUBLIC 2200
#define NS_CATALOG 11
#define NS_INFO 13000
#define OWNER_OID 10
#define DB_OWNER_ROLE 6171   /* pg_database_owner, which owns the public schema */
#define HEAP_AM 2
#define BTREE_AM 403
#define ICEBERG_AM 16385   /* Iceberg tables' access method (CREATE TABLE ... USING iceberg): a user-range oid */
#define HASH_AM 405

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

/* --- typed constant rows ------------------------------------------------------------------ */

static orb_type kind_type(char kind) {
  switch (kind) {
  case 'i': return orb_type_make(ORB_T_INT32);
  case 's': return orb_type_make(ORB_T_INT16);
  case 'f': return orb_type_make(ORB_T_FLOAT32);
  case 'b': return orb_type_make(ORB_T_BOOL);
  case 't': case 'c': return orb_type_make(ORB_T_TEXT);
  case 'O': return orb_type_array(ORB_T_INT64);
  case 'S': return orb_type_array(ORB_T_INT16);
  case 'T': return orb_type_array(ORB_T_TEXT);
  case 'z': return orb_type_make(ORB_T_TIMESTAMPTZ);
  default: return orb_type_make(ORB_T_INT64);   /* 'o': oid */
  }
}

orb_value *oql_cat_row(oql_cat_rows *r) {
  if (r->n == r->cap) {
    int cap = r->cap ? r->cap * 2 : 16;
    orb_value **nv = orb_arena_alloc(r->b->a, sizeof(orb_value *) * (size_t)cap);
    if (r->n) memcpy(nv, r->rows, sizeof(orb_value *) * (size_t)r->n);
    r->rows = nv;
    r->cap = cap;
  }
  orb_value *row = orb_arena_alloc(r->b->a, sizeof(orb_value) * (size_t)r->ncols);
  for (int i = 0; i < r->ncols; i++) row[i] = orb_null(ORB_T_NULL);
  return r->rows[r->n++] = row;
}

int oql_cat_colpos(const oql_cat_rows *r, const char *name) {
  for (int i = 0; i < r->ncols; i++)
    if (strcmp(r->cols[i].name, name) == 0) return i;
  return -1;
}

static void set(orb_value *row, const oql_cat_rows *r, const char *col, orb_value v) {
  int i = oql_cat_colpos(r, col);
  if (i >= 0) row[i] = v;
}
void oql_cat_int(const oql_cat_rows *r, orb_value *row, const char *col, int64_t v) {
  set(row, r, col, orb_int(ORB_T_INT64, v));
}
void oql_cat_bool(const oql_cat_rows *r, orb_value *row, const char *col, bool v) { set(row, r, col, orb_bool(v)); }
void oql_cat_text(const oql_cat_rows *r, orb_value *row, const char *col, const char *s) {
  if (s) set(row, r, col, orb_text(orb_arena_strdup(r->b->a, s), strlen(s)));
}
void oql_cat_ints(const oql_cat_rows *r, orb_value *row, const char *col, orb_type_id elem, const int64_t *v, int n) {
  orb_value *items = orb_arena_alloc(r->b->a, sizeof(orb_value) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) items[i] = orb_int(elem, v[i]);
  set(row, r, col, orb_array_make(r->b->a, elem, items, (uint32_t)n));
}

void oql_cat_vector(const oql_cat_rows *r, orb_value *row, const char *col, orb_type_id elem, const int64_t *v,
                    int n) {
  orb_value *items = orb_arena_alloc(r->b->a, sizeof(orb_value) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) items[i] = orb_int(elem, v[i]);
  set(row, r, col, orb_array_make_vector(r->b->a, elem, items, (uint32_t)n));
}

void oql_cat_init(oql_cat_rows *r, oql_binder *b, const oql_cat_col *cols, int ncols) {
  memset(r, 0, sizeof *r);
  r->b = b;
  r->cols = cols;
  r->ncols = ncols;
}

orb_status oql_cat_from(oql_selctx *c, oql_cat_rows *r, int64_t tableoid, const char *alias,
                        const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  int nc = r->ncols + (tableoid >= 0);
  orb_type *types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)nc);
  const char **names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)nc);
  for (int j = 0; j < r->ncols; j++) {
    types[j] = kind_type(r->cols[j].kind);
    names[j] = j < ncolnames && colnames[j] ? colnames[j] : r->cols[j].name;
  }
  if (tableoid >= 0) types[r->ncols] = kind_type('o'), names[r->ncols] = "tableoid";
  orb_expr ***rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(r->n + 1));
  for (int i = 0; i < r->n; i++) {
    rows[i] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)nc);
    if (tableoid >= 0) rows[i][r->ncols] = oql_const_int(b, tableoid, true, pos);
    for (int j = 0; j < r->ncols; j++) {
      orb_value v = r->rows[i][j];
      if (v.isnull) v = orb_null((orb_type_id)types[j].id);
      else if (v.type != types[j].id) {
        orb_status st = orb_value_cast(&r->rows[i][j], types[j], b->a, &v, e);
        if (st != ORB_OK) return st;
      }
      rows[i][j] = oql_mk_const(b, v, types[j], pos);
    }
  }
  orb_status st = oql_from_values_typed(c, rows, r->n, nc, types, alias, names, nc, pos, out, e);
  if (st == ORB_OK && tableoid >= 0) c->scope.cols[c->scope.n - 1].system = true;   /* added last */
  return st;
}

orb_status oql_from_named_rows(oql_selctx *c, orb_expr ***rows, int nrows, const char *const *cols, int ncols,
                               const char *alias, const char *const *colnames, int ncolnames, int pos, oql_from **out,
                               orb_err *e) {
  /* the alias's column list wins over the table's own names, as for any table */
  const char **names = orb_arena_alloc(c->b->a, sizeof(char *) * (size_t)ncols);
  for (int i = 0; i < ncols; i++) names[i] = i < ncolnames && colnames[i] ? colnames[i] : cols[i];
  return oql_from_values(c, rows, nrows, ncols, alias, names, ncols, pos, out, e);
}

/* --- the catalogs ---------------------------------------------------------------------------- */

#define COLS(name) name, (int)(sizeof name / sizeof name[0])

static const oql_cat_col class_cols[] = {
    {"oid", 'o'},           {"relname", 't'},        {"relnamespace", 'o'},     {"reltype", 'o'},
    {"reloftype", 'o'},     {"relowner", 'o'},       {"relam", 'o'},            {"relfilenode", 'o'},
    {"reltablespace", 'o'}, {"relpages", 'i'},       {"reltuples", 'f'},        {"relallvisible", 'i'},
    {"reltoastrelid", 'o'}, {"relhasindex", 'b'},    {"relisshared", 'b'},      {"relpersistence", 'c'},
    {"relkind", 'c'},       {"relnatts", 's'},       {"relchecks", 's'},        {"relhasrules", 'b'},
    {"relhastriggers", 'b'}, {"relhassubclass", 'b'}, {"relrowsecurity", 'b'},  {"relforcerowsecurity", 'b'},
    {"relispopulated", 'b'}, {"relreplident", 'c'},  {"relispartition", 'b'},   {"relrewrite", 'o'},
    {"relfrozenxid", 'o'},  {"relminmxid", 'o'},     {"relacl", 'T'},           {"reloptions", 'T'},
    {"relpartbound", 't'}};

/* The columns every pg_class row has alike. */
static orb_value *class_row(oql_cat_rows *r, int64_t oid, const char *name, const char *kind, int64_t am, int natts) {
  orb_value *row = oql_cat_row(r);
  oql_cat_int(r, row, "oid", oid);
  oql_cat_text(r, row, "relname", name);
  oql_cat_int(r, row, "relnamespace", NS_PUBLIC);
  oql_cat_int(r, row, "relowner", OWNER_OID);
  oql_cat_int(r, row, "relam", am);
  oql_cat_int(r, row, "relfilenode", oid);
  static const char *const zero_oids[] = {"reltype", "reloftype", "reltablespace", "reltoastrelid", "relrewrite",
                                          "relfrozenxid", "relminmxid", "relpages", "relallvisible", "relchecks"};
  for (size_t i = 0; i < sizeof zero_oids / sizeof zero_oids[0]; i++) oql_cat_int(r, row, zero_oids[i], 0);
  row[oql_cat_colpos(r, "reltuples")] = orb_float(ORB_T_FLOAT32, -1);   /* never analyzed */
  static const char *const no[] = {"relhasindex", "relisshared", "relhasrules", "relhastriggers", "relhassubclass",
                                   "relrowsecurity", "relforcerowsecurity", "relispartition"};
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) oql_cat_bool(r, row, no[i], false);
  oql_cat_bool(r, row, "relispopulated", true);
  oql_cat_text(r, row, "relpersistence", "p");
  oql_cat_text(r, row, "relkind", kind);
  oql_cat_int(r, row, "relnatts", natts);
  oql_cat_text(r, row, "relreplident", kind[0] == 'r' ? "d" : "n");
  return row;
}

static void class_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  int ntables = orb_db_table_count(b->db);
  for (int i = 0; i < ntables; i++) {
    orb_table *t = orb_db_table_at(b->db, i);
    if (oql_is_system_table(t->name)) continue;
    bool view = t->kind == ORB_TABLE_VIEW, seq = t->kind == ORB_TABLE_SEQUENCE;
    int64_t am = view || seq ? 0 : t->kind == ORB_TABLE_HOT ? HEAP_AM : ICEBERG_AM;
    orb_value *row = class_row(r, oql_cat_table_oid(t), t->name, view ? "v" : seq ? "S" : "r", am, t->schema.ncols);
    oql_cat_bool(r, row, "relhasindex", t->schema.npk > 0 || t->schema.nindexes > 0);
  }
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all);
  for (int j = 0; j < nall; j++) {
    orb_value *ix = class_row(r, all[j].oid, all[j].name, "i", all[j].hash ? HASH_AM : BTREE_AM, all[j].ncols);
    /* a btree built by CREATE TABLE: PostgreSQL counts it (its metapage, no tuples) at once,
    ** as JDBC's getIndexInfo shows in CARDINALITY and PAGES */
    ix[oql_cat_colpos(r, "reltuples")] = orb_float(ORB_T_FLOAT32, 0);
    oql_cat_int(r, ix, "relpages", 1);
  }
}

static const oql_cat_col ns_cols[] = {{"oid", 'o'}, {"nspname", 't'}, {"nspowner", 'o'}, {"nspacl", 'T'}};
static void ns_rows(oql_cat_rows *r) {
  static const struct { int64_t oid; const char *name; } ns[] = {
      {NS_CATALOG, "pg_catalog"}, {NS_PUBLIC, "public"}, {NS_INFO, "information_schema"}};
  for (int i = 0; i < 3; i++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", ns[i].oid);
    oql_cat_text(r, row, "nspname", ns[i].name);
    oql_cat_int(r, row, "nspowner", ns[i].oid == NS_PUBLIC ? DB_OWNER_ROLE : OWNER_OID);
    /* the owner may use and create, everyone may use (PostgreSQL 15's grants after initdb) */
    const char *owner = ns[i].oid == NS_PUBLIC ? "pg_database_owner" : "orbit";
    orb_value *acl = orb_arena_alloc(r->b->a, sizeof(orb_value) * 2);
    const char *a0 = orb_arena_sprintf(r->b->a, "%s=UC/%s", owner, owner), *a1 = orb_arena_sprintf(r->b->a, "=U/%s", owner);
    acl[0] = orb_text(a0, strlen(a0));
    acl[1] = orb_text(a1, strlen(a1));
    row[oql_cat_colpos(r, "nspacl")] = orb_array_make(r->b->a, ORB_T_TEXT, acl, 2);
  }
}

static const oql_cat_col am_cols[] = {{"oid", 'o'}, {"amname", 't'}, {"amhandler", 'o'}, {"amtype", 'c'}};
static void am_rows(oql_cat_rows *r) {
  static const struct { int64_t oid; const char *name, *type; } am[] = {
      {HEAP_AM, "heap", "t"}, {BTREE_AM, "btree", "i"}, {HASH_AM, "hash", "i"}, {ICEBERG_AM, "iceberg", "t"}};
  for (size_t i = 0; i < sizeof am / sizeof am[0]; i++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", am[i].oid);
    oql_cat_text(r, row, "amname", am[i].name);
    oql_cat_int(r, row, "amhandler", 0);
    oql_cat_text(r, row, "amtype", am[i].type);
  }
}

/* pg_database: the one database a server serves, named after its directory. */
static const oql_cat_col db_cols[] = {{"oid", 'o'},          {"datname", 't'},        {"datdba", 'o'},
                                      {"encoding", 'i'},     {"datcollate", 't'},     {"datctype", 't'},
                                      {"daticulocale", 't'}, {"datlocprovider", 'c'}, {"datacl", 'T'},
                                      {"datistemplate", 'b'}, {"datallowconn", 'b'},  {"datconnlimit", 'i'},
                                      {"dattablespace", 'o'}};
static void db_rows(oql_cat_rows *r) {
  orb_value *row = oql_cat_row(r);
  oql_cat_int(r, row, "oid", 16384);
  oql_cat_text(r, row, "datname", oql_database_name(r->b));
  oql_cat_int(r, row, "datdba", OWNER_OID);
  oql_cat_int(r, row, "encoding", 6);   /* PostgreSQL's encoding number of UTF8 */
  oql_cat_text(r, row, "datcollate", "C");
  oql_cat_text(r, row, "datctype", "C");
  oql_cat_text(r, row, "datlocprovider", "c");   /* libc; no ICU locale, default privileges */
  oql_cat_bool(r, row, "datistemplate", false);
  oql_cat_bool(r, row, "datallowconn", true);
  oql_cat_int(r, row, "datconnlimit", -1);
  oql_cat_int(r, row, "dattablespace", 1663);
}

/* pg_tablespace: PostgreSQL's two, which pg_database rows point at (Orbit has no tablespaces of its own) */
static const oql_cat_col tablespace_cols[] = {{"oid", 'o'}, {"spcname", 't'}, {"spcowner", 'o'},
                                              {"spcacl", 'T'}, {"spcoptions", 'T'}};
static void tablespace_rows(oql_cat_rows *r) {
  static const struct { int64_t oid; const char *name; } spc[] = {{1663, "pg_default"}, {1664, "pg_global"}};
  for (int i = 0; i < 2; i++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", spc[i].oid);
    oql_cat_text(r, row, "spcname", spc[i].name);
    oql_cat_int(r, row, "spcowner", OWNER_OID);
  }
}

/* pg_roles: the owner every object reports (pg_get_userbyid), pg_database_owner, and the
** roles of CREATE ROLE (their passwords stay in the closed pg_authid table). */
static const oql_cat_col roles_cols[] = {
    {"oid", 'o'},           {"rolname", 't'},        {"rolsuper", 'b'},     {"rolinherit", 'b'},
    {"rolcreaterole", 'b'}, {"rolcreatedb", 'b'},    {"rolcanlogin", 'b'},  {"rolreplication", 'b'},
    {"rolconnlimit", 'i'},  {"rolpassword", 't'},    {"rolvaliduntil", 'z'}, {"rolbypassrls", 'b'},
    {"rolconfig", 'T'}};
/* The roles CREATE ROLE made (the system table pg_authid: name, may log in), as committed now:
** PostgreSQL's defaults for the attributes Orbit accepts and ignores (INHERIT, the others off). */
static void login_roles(oql_cat_rows *r) {
  orb_table *t = orb_db_table(r->b->db, OQL_ROLES_TABLE);
  if (!t || t->schema.ncols < 2) return;
  orb_scan_req req = {NULL, t->schema.ncols, NULL, NULL, NULL};
  orb_table_scan *scan;
  orb_err e;
  if (orb_table_scan_begin(t, &req, &scan, &e) != ORB_OK) return;
  orb_row_batch *batch = orb_malloc(sizeof *batch);
  int64_t oid = 1 << 25;   /* a range of their own, numbered in scan order */
  while (orb_table_scan_next(scan, batch, &e) == ORB_OK && batch->nrows > 0) {
    for (int i = 0; i < batch->nrows; i++) {
      const orb_value *v = batch->rows[i];
      if (v[0].isnull || v[0].type != ORB_T_TEXT ||
          (v[0].len == 5 && memcmp(v[0].u.s, "orbit", 5) == 0))   /* the owner has its row already */
        continue;
      orb_value *row = oql_cat_row(r);
      oql_cat_int(r, row, "oid", oid++);
      oql_cat_text(r, row, "rolname", orb_arena_strndup(r->b->a, v[0].u.s, v[0].len));
      static const char *const no[] = {"rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls"};
      for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) oql_cat_bool(r, row, no[k], false);
      oql_cat_bool(r, row, "rolinherit", true);
      oql_cat_bool(r, row, "rolcanlogin", !v[1].isnull && v[1].u.b);
      oql_cat_int(r, row, "rolconnlimit", -1);
      oql_cat_text(r, row, "rolpassword", "********");
    }
  }
  orb_table_scan_end(scan, NULL);
  orb_free(batch);
}

static void roles_rows(oql_cat_rows *r) {
  orb_value *row = oql_cat_row(r);
  oql_cat_int(r, row, "oid", OWNER_OID);
  oql_cat_text(r, row, "rolname", "orbit");
  static const char *const yes[] = {"rolsuper", "rolinherit", "rolcreaterole", "rolcreatedb", "rolcanlogin",
                                    "rolreplication", "rolbypassrls"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) oql_cat_bool(r, row, yes[i], true);
  oql_cat_int(r, row, "rolconnlimit", -1);
  oql_cat_text(r, row, "rolpassword", "********");
  /* the role that owns the public schema, which nobody logs in as */
  row = oql_cat_row(r);
  oql_cat_int(r, row, "oid", DB_OWNER_ROLE);
  oql_cat_text(r, row, "rolname", "pg_database_owner");
  static const char *const no[] = {"rolsuper", "rolcreaterole", "rolcreatedb", "rolcanlogin", "rolreplication",
                                   "rolbypassrls"};
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) oql_cat_bool(r, row, no[i], false);
  oql_cat_bool(r, row, "rolinherit", true);
  oql_cat_int(r, row, "rolconnlimit", -1);
  oql_cat_text(r, row, "rolpassword", "********");
  login_roles(r);
}

static const oql_cat_col coll_cols[] = {{"oid", 'o'},          {"collname", 't'},   {"collnamespace", 'o'},
                                        {"collowner", 'o'},    {"collprovider", 'c'}, {"collisdeterministic", 'b'},
                                        {"collencoding", 'i'}, {"collcollate", 't'}, {"collctype", 't'},
                                        {"colliculocale", 't'}, {"collversion", 't'}};
static void coll_rows(oql_cat_rows *r) {
  static const struct { int64_t oid; const char *name, *provider, *locale; } coll[] = {
      {100, "default", "d", NULL}, {950, "C", "c", "C"}, {951, "POSIX", "c", "POSIX"}};
  for (int i = 0; i < 3; i++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", coll[i].oid);
    oql_cat_text(r, row, "collname", coll[i].name);
    oql_cat_int(r, row, "collnamespace", NS_CATALOG);
    oql_cat_int(r, row, "collowner", OWNER_OID);
    oql_cat_text(r, row, "collprovider", coll[i].provider);
    oql_cat_bool(r, row, "collisdeterministic", true);
    oql_cat_int(r, row, "collencoding", -1);
    oql_cat_text(r, row, "collcollate", coll[i].locale);
    oql_cat_text(r, row, "collctype", coll[i].locale);
  }
}

/* Catalogs of features Orbit does not have: no rows, PostgreSQL's columns. */
static const oql_cat_col inherits_cols[] = {{"inhrelid", 'o'}, {"inhparent", 'o'}, {"inhseqno", 'i'},
                                            {"inhdetachpending", 'b'}};
static const oql_cat_col policy_cols[] = {{"oid", 'o'},       {"polname", 't'},  {"polrelid", 'o'},
                                          {"polcmd", 'c'},    {"polpermissive", 'b'}, {"polroles", 'O'},
                                          {"polqual", 't'},   {"polwithcheck", 't'}};
static const oql_cat_col stat_ext_cols[] = {{"oid", 'o'},          {"stxrelid", 'o'}, {"stxname", 't'},
                                            {"stxnamespace", 'o'}, {"stxowner", 'o'}, {"stxstattarget", 'i'},
                                            {"stxkeys", 'S'},      {"stxkind", 'T'},  {"stxexprs", 't'}};
static const oql_cat_col pub_cols[] = {{"oid", 'o'},       {"pubname", 't'},   {"pubowner", 'o'},
                                       {"puballtables", 'b'}, {"pubinsert", 'b'}, {"pubupdate", 'b'},
                                       {"pubdelete", 'b'}, {"pubtruncate", 'b'}, {"pubviaroot", 'b'}};
static const oql_cat_col pubns_cols[] = {{"oid", 'o'}, {"pnpubid", 'o'}, {"pnnspid", 'o'}};
static const oql_cat_col pubrel_cols[] = {{"oid", 'o'}, {"prpubid", 'o'}, {"prrelid", 'o'}, {"prqual", 't'},
                                          {"prattrs", 'S'}};
static const oql_cat_col trigger_cols[] = {{"oid", 'o'},     {"tgrelid", 'o'},   {"tgparentid", 'o'},
                                           {"tgname", 't'},  {"tgfoid", 'o'},    {"tgtype", 's'},
                                           {"tgenabled", 'c'}, {"tgisinternal", 'b'}, {"tgconstraint", 'o'}};
static const oql_cat_col description_cols[] = {{"objoid", 'o'}, {"classoid", 'o'}, {"objsubid", 'i'},
                                               {"description", 't'}};
static const oql_cat_col depend_cols[] = {{"classid", 'o'},    {"objid", 'o'},    {"objsubid", 'i'},
                                          {"refclassid", 'o'}, {"refobjid", 'o'}, {"refobjsubid", 'i'},
                                          {"deptype", 'c'}};
static const oql_cat_col enum_cols[] = {{"oid", 'o'}, {"enumtypid", 'o'}, {"enumsortorder", 'f'},
                                        {"enumlabel", 't'}};
static const oql_cat_col auth_members_cols[] = {{"roleid", 'o'}, {"member", 'o'}, {"grantor", 'o'},
                                                {"admin_option", 'b'}};
static const oql_cat_col rewrite_cols[] = {{"oid", 'o'},     {"rulename", 't'}, {"ev_class", 'o'},
                                           {"ev_type", 'c'}, {"ev_enabled", 'c'}, {"is_instead", 'b'}};

typedef struct catalog_def {
  const char *name;
  const oql_cat_col *cols;
  int ncols;
  void (*rows)(oql_cat_rows *r);   /* NULL: always empty */
} catalog_def;

static const catalog_def catalogs[] = {
    {"pg_class", COLS(class_cols), class_rows},
    {"pg_namespace", COLS(ns_cols), ns_rows},
    {"pg_am", COLS(am_cols), am_rows},
    {"pg_database", COLS(db_cols), db_rows},
    {"pg_tablespace", COLS(tablespace_cols), tablespace_rows},
    {"pg_roles", COLS(roles_cols), roles_rows},
    {"pg_collation", COLS(coll_cols), coll_rows},
    {"pg_inherits", COLS(inherits_cols), NULL},
    {"pg_policy", COLS(policy_cols), NULL},
    {"pg_statistic_ext", COLS(stat_ext_cols), NULL},
    {"pg_publication", COLS(pub_cols), NULL},
    {"pg_publication_namespace", COLS(pubns_cols), NULL},
    {"pg_publication_rel", COLS(pubrel_cols), NULL},
    {"pg_trigger", COLS(trigger_cols), NULL},
    {"pg_rewrite", COLS(rewrite_cols), NULL},
    {"pg_description", COLS(description_cols), NULL},   /* no COMMENT ON */
    {"pg_depend", COLS(depend_cols), NULL},
    {"pg_enum", COLS(enum_cols), NULL},                 /* no enum types */
    {"pg_auth_members", COLS(auth_members_cols), NULL}, /* no role membership */
};

/* A catalog by name: this file's, or one about tables' columns (binder_catalog_rel.c). */
static bool find_catalog(const char *name, catalog_def *out) {
  for (size_t i = 0; i < sizeof catalogs / sizeof catalogs[0]; i++)
    if (strcmp(catalogs[i].name, name) == 0) {
      *out = catalogs[i];
      return true;
    }
  out->name = name;
  return oql_catalog_rel_def(name, &out->cols, &out->ncols, &out->rows) ||
         oql_catalog_proc_def(name, &out->cols, &out->ncols, &out->rows) ||
         oql_catalog_settings_def(name, &out->cols, &out->ncols, &out->rows) ||
         oql_catalog_empty_def(name, &out->cols, &out->ncols, &out->rows);
}

bool oql_is_catalog_table(const char *name) {
  catalog_def d;
  return find_catalog(name, &d);
}

int64_t oql_cat_table_oid(const orb_table *t) { return 16384 + 4 * (int64_t)t->id; }

orb_status oql_from_catalog(oql_selctx *c, const char *name, const char *alias, const char *const *colnames,
                            int ncolnames, int pos, oql_from **out, orb_err *e) {
  catalog_def d;
  if (!find_catalog(name, &d))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"pg_catalog.%s\" does not exist", name);
  oql_cat_rows r;
  oql_cat_init(&r, c->b, d.cols, d.ncols);
  if (d.rows) d.rows(&r);
  /* tableoid: psql joins pg_description on it (classoid = x.tableoid) */
  return oql_cat_from(c, &r, oql_catalog_oid(name), alias ? alias : name, colnames, ncolnames, pos, out, e);
}
