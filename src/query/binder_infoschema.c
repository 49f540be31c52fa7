/* query/binder_infoschema.c — the SQL standard's information_schema views
** tools and ORMs read to learn a database's tables and columns, made at bind
** time from Orbit's catalog as VALUES lists (like binder_catalog.c's
** pg_catalog tables): information_schema.schemata, .tables, .columns, with
** PostgreSQL's spelling of type names and of YES/NO. */
#include "query/binder_int.h"

#include <string.h>

static orb_expr *int_or_null(oql_binder *b, int64_t v, bool null, int pos) { return oql_const_int(b, v, !null, pos); }

/* data_type and udt_name of a column type, as PostgreSQL names them. */
static void type_names(orb_type t, const char **data_type, const char **udt) {
  switch ((orb_type_id)t.id) {
  case ORB_T_BOOL: *data_type = "boolean", *udt = "bool"; return;
  case ORB_T_INT16: *data_type = "smallint", *udt = "int2"; return;
  case ORB_T_INT32: *data_type = "integer", *udt = "int4"; return;
  case ORB_T_INT64: *data_type = "bigint", *udt = "int8"; return;
  case ORB_T_FLOAT32: *data_type = "real", *udt = "float4"; return;
  case ORB_T_FLOAT64: *data_type = "double precision", *udt = "float8"; return;
  case ORB_T_DECIMAL: *data_type = "numeric", *udt = "numeric"; return;
  case ORB_T_TEXT:
    if (t.maxlen) *data_type = "character varying", *udt = "varchar";
    else *data_type = "text", *udt = "text";
    return;
  case ORB_T_BYTEA: *data_type = "bytea", *udt = "bytea"; return;
  case ORB_T_DATE: *data_type = "date", *udt = "date"; return;
  case ORB_T_TIME: *data_type = "time without time zone", *udt = "time"; return;
  case ORB_T_TIMESTAMP: *data_type = "timestamp without time zone", *udt = "timestamp"; return;
  case ORB_T_TIMESTAMPTZ: *data_type = "timestamp with time zone", *udt = "timestamptz"; return;
  case ORB_T_UUID: *data_type = "uuid", *udt = "uuid"; return;
  case ORB_T_INTERVAL: *data_type = "interval", *udt = "interval"; return;
  case ORB_T_ARRAY: {   /* udt_name is the array type's own name: _ and the element's (_text, _int4) */
    static const char *const udts[ORB_T__COUNT] = {
        [ORB_T_BOOL] = "_bool", [ORB_T_INT16] = "_int2", [ORB_T_INT32] = "_int4", [ORB_T_INT64] = "_int8",
        [ORB_T_FLOAT32] = "_float4", [ORB_T_FLOAT64] = "_float8", [ORB_T_DECIMAL] = "_numeric", [ORB_T_TEXT] = "_text",
        [ORB_T_BYTEA] = "_bytea", [ORB_T_DATE] = "_date", [ORB_T_TIME] = "_time", [ORB_T_TIMESTAMP] = "_timestamp",
        [ORB_T_TIMESTAMPTZ] = "_timestamptz", [ORB_T_UUID] = "_uuid", [ORB_T_INTERVAL] = "_interval"};
    *data_type = "ARRAY";
    *udt = t.elem < ORB_T__COUNT && udts[t.elem] ? udts[t.elem] : "_unknown";
    if (t.elem == ORB_T_TEXT && t.maxlen) *udt = "_varchar";
    return;
  }
  case ORB_T_RECORD: *data_type = "record", *udt = "record"; return;
  case ORB_T_VOID: *data_type = "void", *udt = "void"; return;
  case ORB_T_JSON: *data_type = "json", *udt = "json"; return;
  case ORB_T_JSONB: *data_type = "jsonb", *udt = "jsonb"; return;
  default: *data_type = "USER-DEFINED", *udt = "unknown"; return;
  }
}

static const char *const schemata_cols[] = {"catalog_name", "schema_name", "schema_owner"};
static const char *const tables_cols[] = {"table_catalog", "table_schema", "table_name", "table_type",
                                          "is_insertable_into"};
static const char *const columns_cols[] = {
    "table_catalog",      "table_schema",      "table_name",        "column_name",
    "ordinal_position",   "column_default",    "is_nullable",       "data_type",
    "character_maximum_length", "numeric_precision", "numeric_precision_radix", "numeric_scale",
    "datetime_precision", "udt_catalog",       "udt_schema",        "udt_name",
    "is_identity",        "is_generated",      "is_updatable"};
#define NCOLUMNS_COLS ((int)(sizeof columns_cols / sizeof columns_cols[0]))

bool oql_is_infoschema_table(const char *name) {
  return strcmp(name, "schemata") == 0 || strcmp(name, "tables") == 0 || strcmp(name, "columns") == 0;
}

/* One row of information_schema.columns. */
static orb_expr **column_row(oql_binder *b, const char *cat, const orb_table *t, int i, int pos) {
  const orb_column *col = &t->schema.cols[i];
  const char *dt, *udt;
  type_names(col->type, &dt, &udt);
  orb_type_id id = (orb_type_id)col->type.id;
  bool integer = id == ORB_T_INT16 || id == ORB_T_INT32 || id == ORB_T_INT64;
  bool floating = id == ORB_T_FLOAT32 || id == ORB_T_FLOAT64;
  int64_t prec = id == ORB_T_INT16 ? 16 : id == ORB_T_INT32 ? 32 : id == ORB_T_INT64 ? 64 : id == ORB_T_FLOAT32 ? 24
               : id == ORB_T_FLOAT64 ? 53 : col->type.precision;
  bool timelike = id == ORB_T_DATE || id == ORB_T_TIME || id == ORB_T_TIMESTAMP || id == ORB_T_TIMESTAMPTZ ||
                  id == ORB_T_INTERVAL;
  orb_expr **r = orb_arena_alloc(b->a, sizeof(orb_expr *) * NCOLUMNS_COLS);
  r[0] = oql_const_text(b, cat, pos);
  r[1] = oql_const_text(b, "public", pos);
  r[2] = oql_const_text(b, t->name, pos);
  r[3] = oql_const_text(b, col->name, pos);
  r[4] = int_or_null(b, i + 1, false, pos);
  /* as PostgreSQL shows it (pg_get_expr of the stored default): 'buy'::character varying */
  r[5] = oql_const_text(b, col->default_sql && !col->identity ? oql_deparse_default(b->a, col->default_sql, col->type) : NULL,
                        pos);
  r[6] = oql_const_text(b, col->not_null || orb_schema_is_pk(&t->schema, i) ? "NO" : "YES", pos);
  r[7] = oql_const_text(b, dt, pos);
  r[8] = int_or_null(b, col->type.maxlen, !(id == ORB_T_TEXT && col->type.maxlen), pos);
  r[9] = int_or_null(b, prec, !(integer || floating || id == ORB_T_DECIMAL), pos);
  r[10] = int_or_null(b, id == ORB_T_DECIMAL ? 10 : 2, !(integer || floating || id == ORB_T_DECIMAL), pos);
  r[11] = int_or_null(b, integer ? 0 : col->type.scale, !(integer || id == ORB_T_DECIMAL), pos);
  r[12] = int_or_null(b, id == ORB_T_DATE ? 0 : 6, !timelike, pos);
  r[13] = oql_const_text(b, cat, pos);
  r[14] = oql_const_text(b, "pg_catalog", pos);
  r[15] = oql_const_text(b, udt, pos);
  r[16] = oql_const_text(b, col->identity ? "YES" : "NO", pos);
  r[17] = oql_const_text(b, "NEVER", pos);
  r[18] = oql_const_text(b, "YES", pos);
  return r;
}

orb_status oql_from_infoschema(oql_selctx *c, const char *name, const char *alias, const char *const *colnames,
                               int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  const char *cat = oql_database_name(b);
  const char *const *cols;
  int ncols, nrows = 0, ntables = orb_db_table_count(b->db);
  orb_expr ***rows;
  if (strcmp(name, "schemata") == 0) {
    static const char *const schemas[] = {"information_schema", "pg_catalog", "public"};
    cols = schemata_cols;
    ncols = 3;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * 3);
    for (int i = 0; i < 3; i++) {
      orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * 3);
      r[0] = oql_const_text(b, cat, pos);
      r[1] = oql_const_text(b, schemas[i], pos);
      r[2] = oql_const_text(b, "orbit", pos);
    }
  } else if (strcmp(name, "tables") == 0) {
    cols = tables_cols;
    ncols = 5;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(ntables + 1));
    for (int i = 0; i < ntables; i++) {
      orb_table *t = orb_db_table_at(b->db, i);
      if (oql_is_system_table(t->name) || t->kind == ORB_TABLE_SEQUENCE) continue;   /* sequences are not tables */
      orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * 5);
      r[0] = oql_const_text(b, cat, pos);
      r[1] = oql_const_text(b, "public", pos);
      r[2] = oql_const_text(b, t->name, pos);
      r[3] = oql_const_text(b, t->kind == ORB_TABLE_VIEW ? "VIEW" : "BASE TABLE", pos);
      r[4] = oql_const_text(b, t->kind == ORB_TABLE_VIEW ? "NO" : "YES", pos);
    }
  } else if (strcmp(name, "columns") == 0) {
    cols = columns_cols;
    ncols = NCOLUMNS_COLS;
    int total = 0;
    for (int i = 0; i < ntables; i++) total += orb_db_table_at(b->db, i)->schema.ncols;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(total + 1));
    for (int i = 0; i < ntables; i++) {
      orb_table *t = orb_db_table_at(b->db, i);
      if (oql_is_system_table(t->name) || t->kind == ORB_TABLE_SEQUENCE) continue;
      for (int k = 0; k < t->schema.ncols; k++) rows[nrows++] = column_row(b, cat, t, k, pos);
    }
  } else {
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"information_schema.%s\" does not exist", name);
  }
  return oql_from_named_rows(c, rows, nrows, cols, ncols, alias ? alias : name, colnames, ncolnames, pos, out, e);
}
