/* query/binder_stmt_ddl.c — binding parsed CREATE/DROP/ALTER TABLE and COPY. */
#include "query/binder_int.h"
#include "query/session_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "formats/parquet/parquet.h"

/* Type, nullability and DEFAULT of a column definition; the default is bound
** against the column's type now so that a bad one fails at CREATE time. */
/* Tables keep one-dimensional arrays of scalars (types/array.h); an array
** of records (which no type name spells) is refused by name rather than
** left to the catalog. */
static orb_status storable(orb_type t, const char *col, int pos, orb_err *e) {
  if (t.id != ORB_T_ARRAY || orb_type_is_storable_elem((orb_type_id)t.elem)) return ORB_OK;
  return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "column \"%s\": arrays of this element type cannot be stored", col);
}

/* A column's DEFAULT expression (cd->def, may be absent) bound for a column of `type`. */
static orb_status bind_default(oql_binder *b, const oql_coldef_ast *cd, orb_type type, orb_expr **def, orb_err *e) {
  orb_status st;
  *def = NULL;
  if (!cd->def) return ORB_OK;
  oql_selctx dc;
  oql_selctx_init(&dc, b);
  dc.agg_ctx = "DEFAULT expressions";
  orb_expr *x;
  if ((st = oql_walk_operand(&dc, cd->def, &x, e)) != ORB_OK) {
    if (e->code == ORB_ERR_UNDEFINED && cd->def->kind == OQL_X_COLUMN)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "0A000", cd->def->pos, "cannot use column reference in DEFAULT expression");
    return st;
  }
  if ((st = oql_coerce_assign(b, &x, type, cd->name, e)) != ORB_OK || (st = oql_b_finish(b, &x, e)) != ORB_OK) return st;
  *def = x;
  return ORB_OK;
}

static orb_status walk_coldef(oql_binder *b, const oql_coldef_ast *cd, orb_type *type, orb_expr **def, orb_err *e) {
  orb_status st = oql_walk_type(b, &cd->type, type, e);
  if (st == ORB_OK) st = storable(*type, cd->name, cd->type.pos, e);
  if (st != ORB_OK) return st;
  return bind_default(b, cd, *type, def, e);
}

/* The columns of an index as written: each exists, at most 32 (PostgreSQL's
** INDEX_MAX_KEYS), and for a UNIQUE constraint none twice. */
static orb_status check_index_cols(const orb_schema *s, const oql_index_ast *ix, orb_err *e) {
  if (ix->ncols > 32)
    return orb_err_setx(e, ORB_ERR_LIMIT, "54011", ix->pos, "cannot use more than 32 columns in an index");
  for (int i = 0; i < ix->ncols; i++) {
    int pos = ix->col_pos ? ix->col_pos[i] : ix->pos;
    if (orb_schema_find(s, ix->cols[i]) < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos,
                          ix->constraint ? "column \"%s\" named in key does not exist" : "column \"%s\" does not exist",
                          ix->cols[i]);
    for (int j = 0; ix->constraint && j < i; j++)
      if (strcmp(ix->cols[i], ix->cols[j]) == 0)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", pos, "column \"%s\" appears twice in unique constraint",
                            ix->cols[i]);
  }
  return ORB_OK;
}

/* Does the key (field ids, in order) have exactly the columns ia names, in its order? */
static bool same_key_cols(const orb_schema *s, const int32_t *ids, int n, const oql_index_ast *ia) {
  if (n != ia->ncols) return false;
  for (int i = 0; i < n; i++) {
    int c = orb_schema_find(s, ia->cols[i]);
    if (c < 0 || s->cols[c].field_id != ids[i]) return false;
  }
  return true;
}

/* UNIQUE constraints of a CREATE TABLE into its schema, named as PostgreSQL names them. */
static orb_status bind_create_uniques(oql_binder *b, const oql_create_ast *cr, orb_schema *s, orb_err *e) {
  for (int i = 0; i < cr->nuniques; i++) {
    const oql_index_ast *ia = &cr->uniques[i];
    orb_status st = check_index_cols(s, ia, e);
    if (st != ORB_OK) return st;
    const char *name = ia->name;
    /* an unnamed UNIQUE on the primary key's columns, or repeating an
    ** earlier UNIQUE, adds nothing: PostgreSQL drops it too */
    if (!name && same_key_cols(s, s->pk, s->npk, ia)) continue;
    bool repeat = false;
    for (int k = 0; !name && !repeat && k < s->nindexes; k++)
      repeat = s->indexes[k].nulls_not_distinct == ia->nnd && same_key_cols(s, s->indexes[k].cols, s->indexes[k].ncols, ia);
    if (repeat) continue;
    if (name && (oql_relation_name_taken(b->db, name) || orb_schema_find_index(s, name) >= 0 ||
                 (s->npk && strlen(name) == strlen(cr->table) + 5 && strncmp(name, cr->table, strlen(cr->table)) == 0 &&
                  strcmp(name + strlen(cr->table), "_pkey") == 0)))
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", ia->pos, "relation \"%s\" already exists", name);
    if (!name) name = oql_index_choose_name(b->db, s, b->a, cr->table, ia->cols, ia->ncols, "key");
    int32_t fids[32];
    for (int k = 0; k < ia->ncols; k++) fids[k] = s->cols[orb_schema_find(s, ia->cols[k])].field_id;
    orb_index ix = {.name = (char *)name, .ncols = ia->ncols, .cols = fids, .opts = ia->opts, .unique = true,
                    .constraint = true, .nulls_not_distinct = ia->nnd};
    orb_schema_add_index(s, &ix);
  }
  return ORB_OK;
}

static orb_status bind_create(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_create_ast *cr = &ast->create;
  if (oql_check_not_system(b, cr->table, cr->table_pos, e) != ORB_OK) return e->code;
  out->table_name = cr->table;
  out->if_exists = cr->if_not_exists;
  out->writes = true;
  orb_schema *s = orb_calloc(1, sizeof *s);
  orb_schema_init(s);
  out->schema = s;   /* freed with the statement, also on error */
  orb_status st;
  if (cr->external) return oql_bind_external(b, cr, out, e);
  /* no USING: default_table_access_method says where the table goes */
  const char *am = cr->using_am;
  if (!am && b->sess && !cr->as) {
    am = oql_setting(b->sess, OQL_SET_DEFAULT_AM);
    b->uses_settings = true;
  }
  bool iceberg = am && strcmp(am, "iceberg") == 0;
  if (cr->using_am && !iceberg && strcmp(cr->using_am, "heap") != 0)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", cr->using_pos, "access method \"%s\" does not exist", cr->using_am);
  if (cr->partition_by && !iceberg)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", ast->pos, "partition_by needs USING iceberg");
  if (iceberg) {
    if (cr->as)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", cr->using_pos, "CREATE TABLE ... USING iceberg AS is not supported yet");
    /* the table's folder: <db>/warehouse/<namespace>/<table>, as DESIGN.md lays it out */
    out->create_kind = ORB_TABLE_ICEBERG;
    out->path = orb_arena_sprintf(b->a, "%s/warehouse/public/%s", orb_db_path(b->db), cr->table);
    out->value = cr->partition_by;
    out->prop_keys = cr->prop_keys;   /* the other WITH options: the table's properties */
    out->prop_values = cr->prop_values;
    out->nprops = cr->nprops;
  }
  if (cr->as) {
    out->kind = OQL_S_CREATE_TABLE_AS;
    out->reads = true;
    int n;
    const char **names;
    if ((st = oql_walk_query(b, cr->as, &out->root, &n, &names, e)) != ORB_OK) return st;
    for (int i = 0; i < n; i++) {
      if (orb_schema_find(s, names[i]) >= 0)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", cr->as->pos, "column \"%s\" specified more than once", names[i]);
      orb_type t = out->root->types[i];
      if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
      if ((st = storable(t, names[i], cr->as->pos, e)) != ORB_OK) return st;
      orb_schema_add_column(s, names[i], t, false, NULL);
    }
    return ORB_OK;
  }
  int npk = 0;
  for (int i = 0; i < cr->ncols; i++) {
    const oql_coldef_ast *cd = &cr->cols[i];
    if (orb_schema_find(s, cd->name) >= 0)
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", cd->pos, "column \"%s\" specified more than once", cd->name);
    orb_type t;
    orb_expr *def;
    const char *serial_base = NULL, *default_sql = cd->default_sql;
    bool serial = oql_serial_type(cd->type.name, &serial_base);
    if ((serial || cd->identity) && cd->def)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", cd->pos, "multiple default values specified for column \"%s\" of table \"%s\"",
                          cd->name, cr->table);
    if (serial) {   /* an integer NOT NULL DEFAULT nextval of a sequence of its own, as PostgreSQL makes it */
      oql_coldef_ast as_int = *cd;
      as_int.type.name = serial_base;
      st = walk_coldef(b, &as_int, &t, &def, e);
    } else {
      st = walk_coldef(b, cd, &t, &def, e);
    }
    if (st != ORB_OK) return st;
    if (cd->identity && !orb_type_is_integer(t.id))
      return orb_err_setx(e, ORB_ERR_TYPE, "22023", cd->pos, "identity column type must be smallint, integer, or bigint");
    if ((serial || cd->identity) &&
        (st = oql_bind_serial(b, out, cd->identity ? cd->identity_seq : NULL, cr->table, cd->name,
                              t.id == ORB_T_INT16 ? "smallint" : t.id == ORB_T_INT32 ? "integer" : "bigint", cd->pos,
                              &default_sql, e)) != ORB_OK)
      return st;
    orb_schema_add_column(s, cd->name, t, cd->not_null || cd->primary_key || serial || cd->identity, default_sql);
    s->cols[s->ncols - 1].identity = cd->identity;
    if (cd->primary_key) npk++;
  }
  if (npk + (cr->npk ? 1 : 0) > 1)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P16", cr->pk_clause_pos ? cr->pk_clause_pos : ast->pos,
                        "multiple primary keys for table \"%s\" are not allowed", cr->table);
  s->pk = orb_calloc((size_t)(cr->npk + 1), sizeof(int32_t));
  for (int i = 0; i < cr->ncols && npk; i++)
    if (cr->cols[i].primary_key) s->pk[s->npk++] = s->cols[i].field_id;
  for (int k = 0; k < cr->npk; k++) {
    int col = orb_schema_find(s, cr->pk_cols[k]);
    if (col < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", cr->pk_pos ? cr->pk_pos[k] : cr->pk_clause_pos,
                          "column \"%s\" named in key does not exist", cr->pk_cols[k]);
    for (int j = 0; j < s->npk; j++)
      if (s->pk[j] == s->cols[col].field_id)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", cr->pk_pos ? cr->pk_pos[k] : cr->pk_clause_pos,
                            "column \"%s\" appears twice in primary key constraint", cr->pk_cols[k]);
    s->cols[col].not_null = true;
    s->pk[s->npk++] = s->cols[col].field_id;
  }
  if (out->create_kind == ORB_TABLE_ICEBERG && s->npk)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", cr->pk_clause_pos ? cr->pk_clause_pos : cr->using_pos,
                        "primary keys on Iceberg tables are not supported yet");
  if (out->create_kind == ORB_TABLE_ICEBERG && (cr->nchecks || (cr->ncols && cr->cols[0].check)))
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", cr->using_pos, "CHECK constraints on Iceberg tables are not supported yet");
  if (out->create_kind == ORB_TABLE_ICEBERG && cr->nuniques)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", cr->uniques[0].pos,
                        "UNIQUE constraints on Iceberg tables are not supported: their rows live in Parquet files, which "
                        "Orbit does not index");
  if (cr->nuniques && (st = bind_create_uniques(b, cr, s, e)) != ORB_OK) return st;
  return oql_bind_create_checks(b, cr, s, e);
}

/* ALTER COLUMN c TYPE t [USING expr] of a hot table: each row's new value,
** bound over the table's columns (slot = position).  Without USING it is the
** old value, which needs an assignment cast to t, as in PostgreSQL. */
static orb_status bind_type_change(oql_binder *b, const oql_alter_ast *al, const orb_table *t, orb_type type,
                                   orb_expr **out, orb_err *e) {
  const orb_schema *s = &t->schema;
  int c = orb_schema_find(s, al->name);
  if (c < 0)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", al->name_pos, "column \"%s\" of relation \"%s\" does not exist",
                        al->name, t->name);
  oql_selctx sc;
  oql_selctx_init(&sc, b);
  sc.agg_ctx = "transform expressions";
  sc.win_ctx = "transform expressions";
  for (int i = 0; i < s->ncols; i++)
    oql_scope_add(b, &sc.scope, t->name, s->cols[i].name, oql_selctx_new_gid(&sc, s->cols[i].name), s->cols[i].type);
  orb_status st;
  int nsub = b->nsublinks;
  if (al->using_expr) {
    if ((st = oql_walk_operand(&sc, al->using_expr, out, e)) != ORB_OK) return st;
    if (b->nsublinks > nsub)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->using_expr->pos, "cannot use subquery in transform expression");
  } else if ((st = oql_b_column(&sc, NULL, al->name, al->name_pos, out, e)) != ORB_OK) {
    return st;
  }
  orb_expr *x = *out;
  if (!oql_is_unknown(x) && x->type.id != ORB_T_NULL && !orb_type_equal(x->type, type) &&
      !orb_type_can_assign(x->type, type)) {
    orb_buf tb = ORB_BUF_INIT;
    orb_type_format(type, &tb);
    if (al->using_expr) {
      st = orb_err_setx(e, ORB_ERR_TYPE, "42804", 0,
                        "result of USING clause for column \"%s\" cannot be cast automatically to type %s", al->name, tb.data);
      orb_err_hint(e, "You might need to add an explicit cast.");
    } else {
      st = orb_err_setx(e, ORB_ERR_TYPE, "42804", 0, "column \"%s\" cannot be cast automatically to type %s", al->name,
                        tb.data);
      orb_err_hint(e, "You might need to specify \"USING %s::%s\".", al->name, tb.data);
    }
    orb_buf_free(&tb);
    return st;
  }
  if ((st = oql_coerce_assign(b, out, type, al->name, e)) != ORB_OK) return st;
  return oql_b_finish(b, out, e);
}

/* DROP INDEX and ALTER INDEX: the storage statement finds each index's table. */
static orb_status bind_index_by_name(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out) {
  const oql_alter_ast *al = &ast->alter;
  out->alter = al->kind;
  out->writes = true;
  if (al->kind == OQL_ALTER_DROP_INDEX) {
    out->drop_names = ast->names;
    out->ndrop = ast->nnames;
    out->if_exists = ast->if_exists;
    out->cascade = ast->cascade;
  } else {
    out->col_name = al->name;
    out->new_name = al->new_name;
    out->if_exists = al->if_exists;
  }
  orb_table *t = NULL;
  const char *first = al->kind == OQL_ALTER_DROP_INDEX ? ast->names[0] : al->name;
  out->table_name = oql_index_find(b->db, first, &t, NULL) ? t->name : first;
  if (t) oql_binder_dep(b, t);
  return ORB_OK;
}

static orb_status bind_alter(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_alter_ast *al = &ast->alter;
  orb_table *t;
  if (al->kind == OQL_ALTER_DROP_INDEX || al->kind == OQL_ALTER_RENAME_INDEX) return bind_index_by_name(b, ast, out);
  out->alter = al->kind;
  out->writes = true;
  if (al->table_if_exists && !orb_db_table(b->db, al->table) &&
      oql_check_not_system(b, al->table, al->table_pos, e) == ORB_OK) {
    out->table_name = al->table;
    out->table_missing = true;
    return ORB_OK;
  }
  orb_status st = oql_binder_table(b, al->table, al->table_pos, &t, e);
  if (st != ORB_OK) return st;
  out->table_name = t->name;
  if (al->kind == OQL_ALTER_OWNER) {   /* any relation: the session checks the role (session_roles.c) */
    out->new_name = al->new_name;
    return ORB_OK;
  }
  if ((al->kind == OQL_ALTER_CREATE_INDEX || al->kind == OQL_ALTER_ADD_UNIQUE) && t->kind != ORB_TABLE_HOT) {
    if (t->kind == ORB_TABLE_ICEBERG || t->kind == ORB_TABLE_EXTERNAL)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->table_pos,
                          "cannot create %s on Iceberg table \"%s\": its rows live in Parquet files, which Orbit does not "
                          "index (indexes are for ordinary tables)",
                          al->kind == OQL_ALTER_ADD_UNIQUE ? "a UNIQUE constraint" : "an index", t->name);
    orb_err_setx(e, ORB_ERR_MISUSE, "42809", al->table_pos, "cannot create index on relation \"%s\"", t->name);
    orb_err_detail(e, "This operation is not supported for %s.", t->kind == ORB_TABLE_VIEW ? "views" : "sequences");
    return e->code;
  }
  if (t->kind == ORB_TABLE_VIEW && al->kind != OQL_ALTER_RENAME_TABLE)   /* a view takes RENAME TO only */
    return orb_err_setx(e, ORB_ERR_MISUSE, "42809", al->table_pos, "\"%s\" is a view: only ALTER VIEW ... RENAME TO applies",
                        t->name);
  if (t->kind != ORB_TABLE_VIEW && (st = oql_binder_writable(b, t, "alter", al->table_pos, e)) != ORB_OK) return st;
  out->if_exists = al->if_exists;
  bool partition = al->kind == OQL_ALTER_ADD_PARTITION_FIELD || al->kind == OQL_ALTER_DROP_PARTITION_FIELD ||
                   al->kind == OQL_ALTER_REPLACE_PARTITION_FIELD || al->kind == OQL_ALTER_SET_PARTITION_SPEC;
  if ((al->kind == OQL_ALTER_SET_PROPERTIES || al->kind == OQL_ALTER_RESET_PROPERTIES) && t->kind != ORB_TABLE_ICEBERG)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "42809", al->table_pos,
                        "\"%s\" is not an Iceberg table: only Iceberg tables (CREATE TABLE ... USING iceberg) have "
                        "table properties to SET or RESET",
                        t->name);
  out->prop_keys = al->prop_keys;
  out->prop_values = al->prop_values;
  out->nprops = al->nprops;
  if (partition && t->kind != ORB_TABLE_ICEBERG)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "42809", al->table_pos,
                        "\"%s\" is not an Iceberg table: only Iceberg tables (CREATE TABLE ... USING iceberg) have a "
                        "partition spec",
                        t->name);
  if (t->kind == ORB_TABLE_ICEBERG && al->kind == OQL_ALTER_ADD_PRIMARY_KEY)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->table_pos,
                        "ADD PRIMARY KEY of Iceberg table \"%s\" is not supported yet", t->name);
  out->part_term = al->term;
  out->part_with = al->with;
  out->part_as = al->as;
  switch (al->kind) {
  case OQL_ALTER_CREATE_INDEX:
  case OQL_ALTER_ADD_UNIQUE:
    out->index = &al->index;
    return check_index_cols(&t->schema, &al->index, e);
  case OQL_ALTER_DROP_INDEX:
  case OQL_ALTER_RENAME_INDEX:
    return ORB_OK;
  case OQL_ALTER_COLUMN_TYPE:
    out->col_name = al->name;
    if ((st = walk_coldef(b, &al->col, &out->col_type, &out->col_default, e)) != ORB_OK) return st;
    return t->kind == ORB_TABLE_HOT ? bind_type_change(b, al, t, out->col_type, &out->col_using, e)
           : al->using_expr ? orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->using_expr->pos,
                                           "ALTER COLUMN ... TYPE ... USING is not supported for Iceberg tables (Iceberg "
                                           "changes a column's type only by promotion, without rewriting files)")
                            : ORB_OK;
  case OQL_ALTER_DROP_NOT_NULL:
  case OQL_ALTER_SET_NOT_NULL:
  case OQL_ALTER_DROP_DEFAULT:
  case OQL_ALTER_SET_IDENTITY:
  case OQL_ALTER_DROP_IDENTITY:
    out->col_name = al->name;
    out->col_identity = al->col.identity;
    return ORB_OK;
  case OQL_ALTER_OWNER:   /* handled above */
    return ORB_OK;
  case OQL_ALTER_SET_DEFAULT: {
    out->col_name = al->name;
    int c = orb_schema_find(&t->schema, al->name);
    if (c < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", al->name_pos, "column \"%s\" of relation \"%s\" does not exist",
                          al->name, t->name);
    if (t->kind != ORB_TABLE_HOT)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->table_pos,
                          "column defaults of Iceberg tables are not supported yet");
    /* bound now for its errors (type, column references); stored as text, as CREATE TABLE's */
    oql_coldef_ast cd = al->col;
    cd.name = al->name;
    cd.type.pos = al->name_pos;
    orb_expr *def;
    out->col_default_sql = al->col.default_sql;
    return bind_default(b, &cd, t->schema.cols[c].type, &def, e);
  }
  case OQL_ALTER_ADD_IDENTITY: {   /* its sequence is made now (named and checked), created when it runs */
    out->col_name = al->name;
    out->col_identity = al->col.identity;
    int col = orb_schema_find(&t->schema, al->name);
    if (col < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", al->name_pos, "column \"%s\" of relation \"%s\" does not exist",
                          al->name, t->name);
    orb_type_id ct = (orb_type_id)t->schema.cols[col].type.id;
    if (ct != ORB_T_INT16 && ct != ORB_T_INT32 && ct != ORB_T_INT64)
      return orb_err_setx(e, ORB_ERR_TYPE, "22023", al->name_pos, "identity column type must be smallint, integer, or bigint");
    const char *default_sql;
    st = oql_bind_serial(b, out, al->col.identity_seq, t->name, al->name,
                         ct == ORB_T_INT16 ? "smallint" : ct == ORB_T_INT32 ? "integer" : "bigint", al->name_pos, &default_sql, e);
    out->col_default_sql = default_sql;
    return st;
  }
  case OQL_ALTER_ADD_PARTITION_FIELD:
  case OQL_ALTER_DROP_PARTITION_FIELD:
  case OQL_ALTER_REPLACE_PARTITION_FIELD:
  case OQL_ALTER_SET_PARTITION_SPEC:
  case OQL_ALTER_SET_PROPERTIES:
  case OQL_ALTER_RESET_PROPERTIES:
    return ORB_OK;
  case OQL_ALTER_ADD_COLUMN:
    if (al->col.unique && t->kind != ORB_TABLE_HOT)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->col.unique->pos,
                          "UNIQUE constraints on Iceberg tables are not supported: their rows live in Parquet files, which "
                          "Orbit does not index");
    out->index = al->col.unique;   /* ADD COLUMN c t UNIQUE: its constraint, made with the column */
    if (al->col.primary_key)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->col.pos,
                          "adding a primary key column to an existing table is not supported");
    out->col_name = al->col.name;
    out->col_not_null = al->col.not_null;
    out->col_default_sql = al->col.default_sql;
    return walk_coldef(b, &al->col, &out->col_type, &out->col_default, e);
  case OQL_ALTER_DROP_COLUMN:
    out->col_name = al->name;
    return ORB_OK;
  case OQL_ALTER_ADD_CHECK:
    if (t->kind != ORB_TABLE_HOT)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", al->table_pos, "CHECK constraints on Iceberg tables are not supported yet");
    out->col_default_sql = al->check.sql;   /* its condition's text; new_name its name */
    return oql_bind_alter_check(b, t, &al->check, &out->new_name, e);
  case OQL_ALTER_DROP_CONSTRAINT:
    out->col_name = al->name;
    return ORB_OK;
  case OQL_ALTER_RENAME_COLUMN:
    out->col_name = al->name;
    out->new_name = al->new_name;
    return ORB_OK;
  case OQL_ALTER_RENAME_TABLE:
    out->new_name = al->new_name;
    return ORB_OK;
  case OQL_ALTER_ADD_PRIMARY_KEY:
    if (t->schema.npk)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P16", al->name_pos, "multiple primary keys for table \"%s\" are not allowed",
                          t->name);
    for (int i = 0; i < al->nkey_cols; i++) {
      if (orb_schema_find(&t->schema, al->key_cols[i]) < 0)
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", al->key_pos[i], "column \"%s\" named in key does not exist",
                            al->key_cols[i]);
      for (int j = 0; j < i; j++)
        if (strcmp(al->key_cols[i], al->key_cols[j]) == 0)
          return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", al->key_pos[i],
                              "column \"%s\" appears twice in primary key constraint", al->key_cols[i]);
    }
    out->key_cols = al->key_cols;
    out->nkey_cols = al->nkey_cols;
    return ORB_OK;
  }
  return ORB_OK;
}

static bool truthy(const char *v) {
  return !v || strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0;
}

static orb_status one_char(const oql_copy_opt_ast *o, char *out, orb_err *e) {
  if (!o->value || strlen(o->value) != 1)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "0A000", o->pos, "COPY %s must be a single one-byte character",
                        o->name);
  *out = o->value[0];
  return ORB_OK;
}

/* Parquet's own options (DuckDB's names), after FORMAT parquet. */
static orb_status parquet_option(const oql_copy_opt_ast *op, oql_copy_opts *o, orb_err *e) {
  if (strcmp(op->name, "compression") == 0 || strcmp(op->name, "codec") == 0) {
    static const struct { const char *name; int codec; } codecs[] = {
        {"zstd", PQ_ZSTD}, {"snappy", PQ_SNAPPY}, {"gzip", PQ_GZIP}, {"uncompressed", PQ_UNCOMPRESSED}};
    for (size_t k = 0; k < sizeof codecs / sizeof codecs[0]; k++)
      if (op->value && strcasecmp(op->value, codecs[k].name) == 0) {
        o->pq_codec = codecs[k].codec;
        return ORB_OK;
      }
    return orb_err_setx(e, ORB_ERR_SYNTAX, "22023", op->pos,
                        "COPY compression \"%s\" not recognized (zstd, snappy, gzip or uncompressed)",
                        op->value ? op->value : "");
  }
  /* ROW_GROUP_SIZE: rows per row group */
  char *end = NULL;
  long long n = op->value ? strtoll(op->value, &end, 10) : 0;
  if (!op->value || *end || n <= 0)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "22023", op->pos, "%s requires a positive integer value", op->name);
  o->pq_row_group_size = n;
  return ORB_OK;
}

static orb_status copy_options(const oql_copy_ast *cp, oql_copy_opts *o, orb_err *e) {
  /* the format first: it decides the other defaults */
  bool csv = false, parquet = false;
  for (int i = 0; i < cp->nopts; i++) {
    const oql_copy_opt_ast *op = &cp->opts[i];
    if (strcmp(op->name, "csv") == 0) csv = true;
    if (strcmp(op->name, "format") == 0) {
      csv = parquet = false;
      if (op->value && strcasecmp(op->value, "csv") == 0) csv = true;
      else if (op->value && strcasecmp(op->value, "parquet") == 0) parquet = true;
      else if (op->value && strcasecmp(op->value, "binary") == 0)
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", op->pos, "COPY BINARY is not supported yet");
      else if (!op->value || strcasecmp(op->value, "text") != 0)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "22023", op->pos, "COPY format \"%s\" not recognized",
                            op->value ? op->value : "");
    }
  }
  oql_copy_opts_init(o, csv);
  o->parquet = parquet;
  o->pq_codec = PQ_ZSTD;
  o->pq_row_group_size = 0;
  if (parquet && cp->stdio)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "COPY %s in PARQUET format is not supported: give a file name",
                        cp->to ? "TO STDOUT" : "FROM STDIN");
  bool have_escape = false;
  for (int i = 0; i < cp->nopts; i++) {
    const oql_copy_opt_ast *op = &cp->opts[i];
    orb_status st = ORB_OK;
    bool pq_opt = strcmp(op->name, "compression") == 0 || strcmp(op->name, "codec") == 0 ||
                  strcmp(op->name, "row_group_size") == 0;
    if (parquet && pq_opt) {
      st = parquet_option(op, o, e);
    } else if (parquet && strcmp(op->name, "format") != 0 && strcmp(op->name, "freeze") != 0) {
      /* as PostgreSQL words it for options its BINARY format has no use for */
      char upper[64];
      size_t k = 0;
      for (; op->name[k] && k < sizeof upper - 1; k++) upper[k] = (char)(op->name[k] >= 'a' && op->name[k] <= 'z' ? op->name[k] - 32 : op->name[k]);
      upper[k] = '\0';
      if (strcmp(op->name, "delimiter") == 0 || strcmp(op->name, "null") == 0 || strcmp(op->name, "header") == 0 ||
          strcmp(op->name, "quote") == 0 || strcmp(op->name, "escape") == 0 || strcmp(op->name, "csv") == 0)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", op->pos, "cannot specify %s in PARQUET mode", upper);
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", op->pos, "option \"%s\" not recognized", op->name);
    } else if (strcmp(op->name, "format") == 0 || strcmp(op->name, "csv") == 0) {
      /* handled above */
    } else if (strcmp(op->name, "freeze") == 0) {
      /* PostgreSQL's FREEZE presets visibility bits of its heap; Orbit has none to set */
    } else if (strcmp(op->name, "header") == 0) {
      o->header = truthy(op->value);
    } else if (strcmp(op->name, "delimiter") == 0) {
      st = one_char(op, &o->delim, e);
    } else if (strcmp(op->name, "quote") == 0 || strcmp(op->name, "escape") == 0) {
      if (!csv)
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", op->pos, "COPY %s available only in CSV mode", op->name);
      st = one_char(op, op->name[0] == 'q' ? &o->quote : &o->escape, e);
      have_escape |= op->name[0] == 'e';
    } else if (strcmp(op->name, "null") == 0) {
      o->null_str = op->value ? op->value : "";
    } else {
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", op->pos, "option \"%s\" not recognized", op->name);
    }
    if (st != ORB_OK) return st;
  }
  if (csv && !have_escape) o->escape = o->quote;
  if (csv && o->delim == o->quote) return orb_err_set(e, ORB_ERR_SYNTAX, "COPY delimiter and quote must be different");
  if (o->delim == '\n' || o->delim == '\r' || (!csv && o->delim == '\\'))
    return orb_err_set(e, ORB_ERR_SYNTAX, "COPY delimiter cannot be newline, carriage return or backslash");
  return ORB_OK;
}

static orb_status bind_copy(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_copy_ast *cp = &ast->copy;
  orb_status st;
  out->copy_stdio = cp->stdio;
  if ((st = copy_options(cp, &out->copy, e)) != ORB_OK) return st;
  out->path = cp->path;
  if (cp->query) {
    out->reads = true;
    return oql_walk_query(b, cp->query, &out->root, &out->ncopy, &out->copy_names, e);
  }
  orb_table *t;
  if ((st = oql_binder_table(b, cp->table, cp->table_pos, &t, e)) != ORB_OK) return st;
  if (!cp->to && (st = oql_binder_writable(b, t, "copy into", cp->table_pos, e)) != ORB_OK) return st;
  out->table_name = t->name;
  int *cols, ncols;
  if ((st = oql_insert_columns(b, t, cp->cols, cp->col_pos, cp->ncols, &cols, &ncols, e)) != ORB_OK) return st;
  if (cp->to) {
    /* COPY t (cols) TO: a scan of those columns */
    out->reads = true;
    out->root = oql_scan_new(b->a, t, cols, ncols, NULL, false);
    out->ncopy = ncols;
    out->copy_names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(ncols + 1));
    for (int i = 0; i < ncols; i++) out->copy_names[i] = t->schema.cols[cols[i]].name;
    return ORB_OK;
  }
  out->writes = true;
  out->copy_cols = cols;
  out->ncopy = ncols;
  if (out->copy.parquet) {
    /* the file's columns, matched by position to the table's (or the list's) */
    int nfile;
    if ((st = oql_copy_parquet_source(b, cp->path, cp->table_pos, &out->root, &nfile, &out->copy_names, e)) != ORB_OK)
      return st;
    if (nfile < ncols)
      return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P04", 0,
                          "missing data for column \"%s\": \"%s\" has %d columns, COPY %s expects %d",
                          t->schema.cols[cols[nfile]].name, cp->path, nfile, t->name, ncols);
    if (nfile > ncols)
      return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P04", 0,
                          "extra data after last expected column: \"%s\" has %d columns, COPY %s expects %d", cp->path,
                          nfile, t->name, ncols);
  }
  out->copy_defaults = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(t->schema.ncols + 1));
  for (int c = 0; c < t->schema.ncols; c++)
    if ((st = oql_column_default(b, t, c, &out->copy_defaults[c], e)) != ORB_OK) return st;
  return ORB_OK;
}

orb_status oql_bind_ddl(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  switch (ast->kind) {
  case OQL_S_CREATE_TABLE:
  case OQL_S_CREATE_TABLE_AS:
    return bind_create(b, ast, out, e);
  case OQL_S_DROP_TABLE:
    for (int i = 0; i < ast->nnames; i++) {
      orb_status st = oql_check_not_system(b, ast->names[i], ast->name_pos ? ast->name_pos[i] : 0, e);
      if (st != ORB_OK) return st;
    }
    out->table_name = ast->names[0];
    out->drop_names = ast->names;
    out->ndrop = ast->nnames;
    out->if_exists = ast->if_exists;
    out->cascade = ast->cascade;
    out->create_kind = ast->drop_view ? ORB_TABLE_VIEW : ast->drop_sequence ? ORB_TABLE_SEQUENCE : ORB_TABLE_HOT;
    out->writes = true;
    return ORB_OK;
  case OQL_S_CREATE_VIEW:
    return oql_bind_create_view(b, ast, out, e);
  case OQL_S_CREATE_SEQUENCE:
    return oql_bind_create_sequence(b, ast, out, e);
  case OQL_S_ALTER_SEQUENCE:   /* completed and checked when it runs, against the sequence as it is then */
    out->table_name = ast->create.table;
    out->if_exists = ast->create.if_not_exists;
    out->seq_alter = &ast->create.seq;
    out->writes = true;
    return ORB_OK;
  case OQL_S_TRUNCATE:
    for (int i = 0; i < ast->nnames; i++) {
      orb_table *t;
      orb_status st = oql_binder_table(b, ast->names[i], ast->name_pos[i], &t, e);
      if (st == ORB_OK) st = oql_binder_writable(b, t, "truncate", ast->name_pos[i], e);
      if (st != ORB_OK) return st;
    }
    out->table_name = ast->names[0];
    out->drop_names = ast->names;
    out->ndrop = ast->nnames;
    out->writes = true;
    return ORB_OK;
  case OQL_S_ALTER_TABLE:
    return bind_alter(b, ast, out, e);
  case OQL_S_COPY_FROM:
  case OQL_S_COPY_TO:
    return bind_copy(b, ast, out, e);
  default:
    return orb_err_set(e, ORB_ERR_INTERNAL, "not a DDL statement: %d", (int)ast->kind);
  }
}
