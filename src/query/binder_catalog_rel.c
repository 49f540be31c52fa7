/* query/binder_catalog_rel.c — the pg_catalog tables that describe a
** table's insides, made at bind time from Orbit's schemas: pg_attribute
** (one row per column), pg_attrdef (column defaults, adbin holding the
** default as pg_get_expr() displays it), pg_index, pg_constraint and
** pg_indexes (the primary key, secondary indexes and UNIQUE constraints), pg_type (the types
** Orbit has, with PostgreSQL's OIDs: expr/pg_catalog.h).  Framework and
** object ids: binder_catalog.c. */
#include "query/binder_int.h"

#include <string.h>

#include "expr/pg_catalog.h"

#define NS_PUBLIC 2200
#define NS_CATALOG 11
#define OWNER_OID 10
#define DEFAULT_COLLATION 100
#define BTREE_INT_OPCLASS 1978   /* any btree opclass OID: nothing here looks it up */

/* Every user table, in catalog order (system tables stay hidden). */
#define FOR_TABLES(b, t)                                                              \
  for (int ti_ = 0, nt_ = orb_db_table_count((b)->db); ti_ < nt_; ti_++)              \
    for (orb_table *t = orb_db_table_at((b)->db, ti_); t && !oql_is_system_table(t->name); t = NULL)

/* --- pg_attribute ------------------------------------------------------------------------- */

static const oql_cat_col attribute_cols[] = {
    {"attrelid", 'o'},     {"attname", 't'},       {"atttypid", 'o'},       {"attstattarget", 'i'},
    {"attlen", 's'},       {"attnum", 's'},        {"attndims", 'i'},       {"attcacheoff", 'i'},
    {"atttypmod", 'i'},    {"attbyval", 'b'},      {"attalign", 'c'},       {"attstorage", 'c'},
    {"attcompression", 'c'}, {"attnotnull", 'b'},  {"atthasdef", 'b'},      {"atthasmissing", 'b'},
    {"attidentity", 'c'},  {"attgenerated", 'c'},  {"attisdropped", 'b'},   {"attislocal", 'b'},
    {"attinhcount", 'i'},  {"attcollation", 'o'},  {"attacl", 'T'},         {"attoptions", 'T'},
    {"attfdwoptions", 'T'}};

/* typlen of a column's type, and how PostgreSQL stores it by default
** (attstorage: plain for fixed-size types, main for numeric, extended for text and bytea). */
static void storage_of(orb_type t, int *len, const char **storage, const char **align) {
  int n;
  const orb_pg_type_row *types = orb_pg_types(&n);
  int64_t oid = orb_pg_type_oid(t);
  *len = -1;
  for (int i = 0; i < n; i++)
    if (types[i].oid == oid) *len = types[i].len;
  *storage = t.id == ORB_T_DECIMAL ? "m" : *len == -1 ? "x" : "p";
  *align = *len == 8 || t.id == ORB_T_INTERVAL ? "d" : *len == 2 ? "s" : *len == 1 || t.id == ORB_T_UUID ? "c" : "i";
}

/* An identity column's default is no default in PostgreSQL's catalogs (attidentity says it all). */
static bool has_default(const orb_column *col, orb_arena *a) {
  return !col->identity && col->default_sql && oql_deparse_default(a, col->default_sql, col->type) != NULL;
}

/* One pg_attribute row: column col of t as attribute attnum of relation relid
** (the table itself, or its primary key index, whose attributes are the key columns). */
static void attribute_row(oql_cat_rows *r, const orb_table *t, int col, int64_t relid, int attnum, bool of_index) {
  const orb_column *c = &t->schema.cols[col];
  int len;
  const char *storage, *align;
  storage_of(c->type, &len, &storage, &align);
  orb_value *row = oql_cat_row(r);
  oql_cat_int(r, row, "attrelid", relid);
  oql_cat_text(r, row, "attname", c->name);
  oql_cat_int(r, row, "atttypid", orb_pg_type_oid(c->type));
  oql_cat_int(r, row, "attstattarget", -1);
  oql_cat_int(r, row, "attlen", len);
  oql_cat_int(r, row, "attnum", attnum);
  oql_cat_int(r, row, "attndims", c->type.id == ORB_T_ARRAY);
  oql_cat_int(r, row, "attcacheoff", -1);
  oql_cat_int(r, row, "atttypmod", orb_pg_typmod(c->type));
  oql_cat_bool(r, row, "attbyval", len > 0 && len <= 8);
  oql_cat_text(r, row, "attalign", align);
  oql_cat_text(r, row, "attstorage", storage);
  oql_cat_text(r, row, "attcompression", "");   /* the default method */
  oql_cat_bool(r, row, "attnotnull", !of_index && (c->not_null || orb_schema_is_pk(&t->schema, col)));
  oql_cat_bool(r, row, "atthasdef", !of_index && has_default(c, r->b->a));
  oql_cat_bool(r, row, "atthasmissing", false);
  oql_cat_text(r, row, "attidentity", of_index || !c->identity ? "" : c->identity == 'a' ? "a" : "d");
  oql_cat_text(r, row, "attgenerated", "");
  oql_cat_bool(r, row, "attisdropped", false);
  oql_cat_bool(r, row, "attislocal", true);
  oql_cat_int(r, row, "attinhcount", 0);
  oql_cat_int(r, row, "attcollation", c->type.id == ORB_T_TEXT ? DEFAULT_COLLATION : 0);
}

static void attribute_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  FOR_TABLES(b, t) {
    for (int k = 0; k < t->schema.ncols; k++) attribute_row(r, t, k, oql_cat_table_oid(t), k + 1, false);
  }
  oql_cat_index *all;   /* an index's attributes are its key columns */
  int nall = oql_cat_indexes(b, &all);
  for (int j = 0; j < nall; j++)
    for (int k = 0; k < all[j].ncols; k++) attribute_row(r, all[j].t, all[j].cols[k], all[j].oid, k + 1, true);
}

/* --- pg_attrdef ---------------------------------------------------------------------------- */

static const oql_cat_col attrdef_cols[] = {{"oid", 'o'}, {"adrelid", 'o'}, {"adnum", 's'}, {"adbin", 't'}};

static void attrdef_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  int64_t oid = 1 << 24;   /* a range of its own: defaults are numbered in catalog order */
  FOR_TABLES(b, t) {
    for (int k = 0; k < t->schema.ncols; k++) {
      const orb_column *col = &t->schema.cols[k];
      const char *shown = col->default_sql && !col->identity ? oql_deparse_default(b->a, col->default_sql, col->type) : NULL;
      if (!shown) continue;
      orb_value *row = oql_cat_row(r);
      oql_cat_int(r, row, "oid", oid++);
      oql_cat_int(r, row, "adrelid", oql_cat_table_oid(t));
      oql_cat_int(r, row, "adnum", k + 1);
      oql_cat_text(r, row, "adbin", shown);
    }
  }
}

/* --- pg_index, pg_constraint, pg_indexes: the primary key and the schema's indexes ------------- */

#define INDEX_OID_BASE ((int64_t)1 << 30)

int oql_cat_indexes(oql_binder *b, oql_cat_index **out) {
  int n = 0, cap = 0;
  oql_cat_index *v = NULL;
  FOR_TABLES(b, t) {
    int more = (t->schema.npk ? 1 : 0) + t->schema.nindexes;
    if (!more) continue;
    if (n + more > cap) {
      int nc = (n + more) * 2;
      oql_cat_index *nv = orb_arena_alloc(b->a, sizeof *nv * (size_t)nc);
      if (n) memcpy(nv, v, sizeof *nv * (size_t)n);
      v = nv;
      cap = nc;
    }
    if (t->schema.npk) {
      oql_cat_index *x = &v[n++];
      memset(x, 0, sizeof *x);
      x->t = t;
      x->name = orb_arena_sprintf(b->a, "%s_pkey", t->name);
      x->oid = oql_cat_table_oid(t) + 1;
      x->con_oid = oql_cat_table_oid(t) + 2;
      x->primary = x->unique = true;
      x->ncols = t->schema.npk;
      x->cols = orb_arena_alloc(b->a, sizeof(int) * (size_t)x->ncols);
      for (int i = 0; i < x->ncols; i++) x->cols[i] = orb_schema_pk_col(&t->schema, i);
    }
    for (int k = 0; k < t->schema.nindexes; k++) {
      const orb_index *ix = &t->schema.indexes[k];
      oql_cat_index *x = &v[n++];
      memset(x, 0, sizeof *x);
      x->t = t;
      x->name = ix->name;
      x->oid = INDEX_OID_BASE + (int64_t)t->id * 512 + 2 * k;
      x->con_oid = ix->constraint ? x->oid + 1 : 0;
      x->unique = ix->unique;
      x->nnd = ix->nulls_not_distinct;
      x->hash = ix->hash;
      x->ncols = ix->ncols;
      x->opts = ix->opts;
      x->cols = orb_arena_alloc(b->a, sizeof(int) * (size_t)x->ncols);
      for (int i = 0; i < x->ncols; i++) x->cols[i] = orb_schema_find_id(&t->schema, ix->cols[i]);
    }
  }
  *out = v;
  return n;
}

static const oql_cat_col index_cols[] = {
    {"indexrelid", 'o'},    {"indrelid", 'o'},       {"indnatts", 's'},       {"indnkeyatts", 's'},
    {"indisunique", 'b'},   {"indnullsnotdistinct", 'b'}, {"indisprimary", 'b'}, {"indisexclusion", 'b'},
    {"indimmediate", 'b'},  {"indisclustered", 'b'}, {"indisvalid", 'b'},     {"indcheckxmin", 'b'},
    {"indisready", 'b'},    {"indislive", 'b'},      {"indisreplident", 'b'}, {"indkey", 'S'},
    {"indcollation", 'O'},  {"indclass", 'O'},       {"indoption", 'S'},      {"indexprs", 't'},
    {"indpred", 't'}};

/* attnums of an index's columns, and per column its collation (PostgreSQL's indcollation). */
static void key_columns(oql_binder *b, const oql_cat_index *x, int64_t **keys, int64_t **colls) {
  int n = x->ncols;
  *keys = orb_arena_alloc(b->a, sizeof(int64_t) * (size_t)(n + 1));
  *colls = orb_arena_alloc(b->a, sizeof(int64_t) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    (*keys)[i] = x->cols[i] + 1;
    (*colls)[i] = x->t->schema.cols[x->cols[i]].type.id == ORB_T_TEXT ? DEFAULT_COLLATION : 0;
  }
}

static void index_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all);
  for (int j = 0; j < nall; j++) {
    const oql_cat_index *x = &all[j];
    int64_t *keys, *colls;
    key_columns(b, x, &keys, &colls);
    int n = x->ncols;
    int64_t *options = orb_arena_zalloc(b->a, sizeof(int64_t) * (size_t)(n + 1));
    int64_t *opclass = orb_arena_alloc(b->a, sizeof(int64_t) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
      opclass[i] = BTREE_INT_OPCLASS;
      options[i] = x->opts ? x->opts[i] : 0;   /* ORB_IDX_DESC and _NULLS_FIRST are PostgreSQL's bits */
    }
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "indexrelid", x->oid);
    oql_cat_int(r, row, "indrelid", oql_cat_table_oid(x->t));
    oql_cat_int(r, row, "indnatts", n);
    oql_cat_int(r, row, "indnkeyatts", n);
    oql_cat_bool(r, row, "indisunique", x->unique);
    oql_cat_bool(r, row, "indisprimary", x->primary);
    oql_cat_bool(r, row, "indnullsnotdistinct", x->nnd);
    static const char *const yes[] = {"indimmediate", "indisvalid", "indisready", "indislive"};
    static const char *const no[] = {"indisexclusion", "indisclustered", "indcheckxmin", "indisreplident"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) oql_cat_bool(r, row, yes[i], true);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) oql_cat_bool(r, row, no[i], false);
    oql_cat_vector(r, row, "indkey", ORB_T_INT16, keys, n);
    oql_cat_vector(r, row, "indcollation", ORB_T_INT64, colls, n);
    oql_cat_vector(r, row, "indclass", ORB_T_INT64, opclass, n);
    oql_cat_vector(r, row, "indoption", ORB_T_INT16, options, n);
  }
}

static const oql_cat_col constraint_cols[] = {
    {"oid", 'o'},           {"conname", 't'},        {"connamespace", 'o'},   {"contype", 'c'},
    {"condeferrable", 'b'}, {"condeferred", 'b'},    {"convalidated", 'b'},   {"conrelid", 'o'},
    {"contypid", 'o'},      {"conindid", 'o'},       {"conparentid", 'o'},    {"confrelid", 'o'},
    {"confupdtype", 'c'},   {"confdeltype", 'c'},    {"confmatchtype", 'c'},  {"conislocal", 'b'},
    {"coninhcount", 'i'},   {"connoinherit", 'b'},   {"conkey", 'S'},         {"confkey", 'S'},
    {"conpfeqop", 'O'},     {"conppeqop", 'O'},      {"conffeqop", 'O'},      {"confdelsetcols", 'S'},
    {"conexclop", 'O'},     {"conbin", 't'}};

static void constraint_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all);
  for (int j = 0; j < nall; j++) {
    const oql_cat_index *x = &all[j];
    if (!x->con_oid) continue;
    int64_t *keys, *colls;
    key_columns(b, x, &keys, &colls);
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", x->con_oid);
    oql_cat_text(r, row, "conname", x->name);
    oql_cat_int(r, row, "connamespace", NS_PUBLIC);
    oql_cat_text(r, row, "contype", x->primary ? "p" : "u");
    oql_cat_bool(r, row, "condeferrable", false);
    oql_cat_bool(r, row, "condeferred", false);
    oql_cat_bool(r, row, "convalidated", true);
    oql_cat_int(r, row, "conrelid", oql_cat_table_oid(x->t));
    oql_cat_int(r, row, "contypid", 0);
    oql_cat_int(r, row, "conindid", x->oid);
    oql_cat_int(r, row, "conparentid", 0);
    oql_cat_int(r, row, "confrelid", 0);
    oql_cat_text(r, row, "confupdtype", " ");
    oql_cat_text(r, row, "confdeltype", " ");
    oql_cat_text(r, row, "confmatchtype", " ");
    oql_cat_bool(r, row, "conislocal", true);
    oql_cat_int(r, row, "coninhcount", 0);
    oql_cat_bool(r, row, "connoinherit", true);
    oql_cat_ints(r, row, "conkey", ORB_T_INT16, keys, x->ncols);
  }
}

/* pg_indexes: PostgreSQL's view over pg_index, one row per index. */
static const oql_cat_col indexes_cols[] = {
    {"schemaname", 't'}, {"tablename", 't'}, {"indexname", 't'}, {"tablespace", 't'}, {"indexdef", 't'}};

static void indexes_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all);
  orb_buf def = ORB_BUF_INIT;
  for (int j = 0; j < nall; j++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_text(r, row, "schemaname", "public");
    oql_cat_text(r, row, "tablename", all[j].t->name);
    oql_cat_text(r, row, "indexname", all[j].name);
    orb_buf_reset(&def);
    oql_cat_indexdef(&all[j], false, &def);
    oql_cat_text(r, row, "indexdef", orb_arena_strndup(b->a, def.data, def.len));
  }
  orb_buf_free(&def);
}

/* --- pg_type ------------------------------------------------------------------------------- */

static const oql_cat_col type_cols[] = {
    {"oid", 'o'},          {"typname", 't'},      {"typnamespace", 'o'}, {"typowner", 'o'},
    {"typlen", 's'},       {"typbyval", 'b'},     {"typtype", 'c'},      {"typcategory", 'c'},
    {"typispreferred", 'b'}, {"typisdefined", 'b'}, {"typdelim", 'c'},   {"typrelid", 'o'},
    {"typelem", 'o'},      {"typarray", 'o'},     {"typbasetype", 'o'},  {"typtypmod", 'i'},
    {"typndims", 'i'},     {"typcollation", 'o'}, {"typnotnull", 'b'},   {"typdefault", 't'},
    {"typacl", 'T'},       {"typinput", 'o'}};

static void type_rows(oql_cat_rows *r) {
  int n;
  const orb_pg_type_row *types = orb_pg_types(&n);
  for (int i = 0; i < n; i++) {
    const orb_pg_type_row *t = &types[i];
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", t->oid);
    oql_cat_text(r, row, "typname", t->name);
    oql_cat_int(r, row, "typnamespace", NS_CATALOG);
    oql_cat_int(r, row, "typowner", OWNER_OID);
    oql_cat_int(r, row, "typlen", t->len);
    oql_cat_bool(r, row, "typbyval", t->len > 0 && t->len <= 8);
    oql_cat_text(r, row, "typtype", t->category == 'P' ? "p" : "b");
    oql_cat_text(r, row, "typcategory", (char[]){t->category, 0});
    oql_cat_bool(r, row, "typispreferred", t->oid == 25 || t->oid == 701 || t->oid == 1184 || t->oid == 1186 ||
                                               t->oid == 16 || t->oid == 26);
    oql_cat_bool(r, row, "typisdefined", true);
    oql_cat_text(r, row, "typdelim", ",");
    oql_cat_int(r, row, "typrelid", 0);
    oql_cat_int(r, row, "typelem", t->elem_oid);
    oql_cat_int(r, row, "typarray", t->array_oid);
    oql_cat_int(r, row, "typbasetype", 0);
    oql_cat_int(r, row, "typtypmod", -1);
    oql_cat_int(r, row, "typndims", 0);
    bool collatable = t->category == 'S' || (t->category == 'A' && (t->elem_oid == 25 || t->elem_oid == 1043 ||
                                                                     t->elem_oid == 19));
    oql_cat_int(r, row, "typcollation", collatable ? (t->oid == 19 || t->elem_oid == 19 ? 950 : DEFAULT_COLLATION) : 0);
    oql_cat_bool(r, row, "typnotnull", false);
    /* input function: only array_in is named (drivers tell arrays by it, typinput = 'array_in'::regproc) */
    oql_cat_int(r, row, "typinput", t->category == 'A' ? OQL_ARRAY_IN_OID : 0);
  }
}

/* --- lookup --------------------------------------------------------------------------------- */

bool oql_catalog_rel_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r)) {
#define DEF(n, c, f)                                        \
  if (strcmp(name, n) == 0) {                               \
    *cols = c;                                              \
    *ncols = (int)(sizeof c / sizeof c[0]);                 \
    *rows = f;                                              \
    return true;                                            \
  }
  DEF("pg_attribute", attribute_cols, attribute_rows)
  DEF("pg_attrdef", attrdef_cols, attrdef_rows)
  DEF("pg_index", index_cols, index_rows)
  DEF("pg_constraint", constraint_cols, constraint_rows)
  DEF("pg_indexes", indexes_cols, indexes_rows)
  DEF("pg_type", type_cols, type_rows)
#undef DEF
  return false;
}
