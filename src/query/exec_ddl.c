/* query/exec_ddl.c — CREATE/DROP/ALTER TABLE, SHOW TABLES, DESCRIBE. */
#include "query/stmt_exec.h"
#include "storage/sequence.h"

#include <string.h>

#include "base/file.h"
#include "base/mem.h"
#include "storage/cold/cold_tier.h"

/* IF [NOT] EXISTS that found nothing to do: PostgreSQL says so in a NOTICE */
static void skipping(oql_rt *rt, const char *code, const char *what, const char *name, const char *how) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s \"%s\" %s, skipping", what, name, how);
  oql_reports_add(&rt->notices, code, false, msg);
}

static orb_status no_table(const char *name, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", name);
}

/* The sequences of t's serial / identity columns, owned by t (dropped with it). */
static orb_status create_serials(oql_bstmt *b, oql_rt *rt, orb_table *t, orb_err *e) {
  for (int i = 0; i < b->nserial; i++) {
    b->serial_opts[i]->owner = t->id;
    orb_status st = orb_db_create_sequence(rt->db, rt->ws, b->serial_seqs[i], b->serial_opts[i], NULL, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

orb_status oql_exec_create_sequence(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  if (orb_db_table(rt->db, b->table_name)) {
    if (b->if_exists) {
      skipping(rt, "42P07", "relation", b->table_name, "already exists");
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", b->table_name);
  }
  return orb_db_create_sequence(rt->db, rt->ws, b->table_name, b->seq_opts, NULL, e);
}

orb_status oql_exec_create_table(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  if (oql_relation_name_taken(rt->db, b->table_name)) {
    if (b->if_exists) {   /* IF NOT EXISTS: PostgreSQL only notes it */
      skipping(rt, "42P07", "relation", b->table_name, "already exists");
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", b->table_name);
  }
  orb_table *t;
  if (b->create_kind == ORB_TABLE_ICEBERG) {
    /* the folder is <db>/warehouse/public/<table>, or <table>_2, _3, ...
    ** when a table renamed away from this name still lives there */
    orb_arena names;
    orb_arena_init(&names, 0);
    const char *path = b->path;
    for (int k = 2; orb_path_exists(path); k++) path = orb_arena_sprintf(&names, "%s_%d", b->path, k);
    /* the folder first (the write path refuses one that exists), then the
    ** catalog entry; a failure of the latter leaves no folder behind */
    orb_status st = cold_table_create(path, b->schema, b->value, b->prop_keys, b->prop_values, b->nprops, e);
    if (st == ORB_OK && (st = orb_db_create_iceberg_table(rt->db, rt->ws, b->table_name, b->schema, ORB_TABLE_ICEBERG,
                                                           path, &t, e)) != ORB_OK) {
      orb_err ignore;
      orb_err_clear(&ignore);
      cold_table_remove(path, &ignore);
    }
    orb_arena_free(&names);
    return st;
  }
  orb_status st = b->create_kind != ORB_TABLE_HOT
                      ? orb_db_create_iceberg_table(rt->db, rt->ws, b->table_name, b->schema, b->create_kind, b->path, &t, e)
                      : orb_db_create_table(rt->db, rt->ws, b->table_name, b->schema, &t, e);
  return st == ORB_OK ? create_serials(b, rt, t, e) : st;
}

orb_status oql_exec_create_table_as(oql_bstmt *b, oql_rt *rt, int64_t *rows, orb_err *e) {
  *rows = 0;
  if (orb_db_table(rt->db, b->table_name)) {
    if (b->if_exists) {
      skipping(rt, "42P07", "relation", b->table_name, "already exists");
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", b->table_name);
  }
  orb_table *t;
  orb_status st = orb_db_create_table(rt->db, rt->ws, b->table_name, b->schema, &t, e);
  if (st != ORB_OK) return st;
  oql_binsert ins = {0};
  ins.table = t;
  ins.source = b->root;
  ins.materialize = true;
  st = oql_exec_insert(&ins, rt, rows, NULL, e);
  oql_binsert_free(&ins);
  return st;
}

/* Views read tables by name (binder_view.c): while one reads t, t is not to
** be dropped, renamed or have columns dropped, renamed or retyped.  2BP01
** naming them (PostgreSQL's words for a drop); NULL what: nothing to say. */
static orb_status refuse_if_viewed(oql_rt *rt, const orb_table *t, const char *what, const char *const *going, int ngoing,
                                   orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  const char **all, *views[2];
  int nall = oql_view_dependents(rt->db, &a, t, &all), n = 0;
  for (int i = 0; i < nall; i++) {   /* views the same statement drops do not count */
    bool gone = false;
    for (int k = 0; k < ngoing && !gone; k++) gone = strcmp(going[k], all[i]) == 0;
    if (!gone && n < 2) views[n++] = all[i];
  }
  orb_status st = ORB_OK;
  if (n) {
    st = orb_err_setx(e, ORB_ERR_CONSTRAINT, "2BP01", 0, "cannot %s %s %s because other objects depend on it", what,
                      t->kind == ORB_TABLE_VIEW ? "view" : "table", t->name);
    orb_err_detail(e, "view %s depends on %s %s%s", views[0], t->kind == ORB_TABLE_VIEW ? "view" : "table", t->name,
                   n > 1 ? " (and more views)" : "");
    if (strcmp(what, "drop") == 0) orb_err_hint(e, "Use DROP ... CASCADE to drop the dependent objects too.");
  }
  orb_arena_free(&a);
  return st;
}

/* Drop t; with CASCADE first the views that read it (and theirs), each
** noted as PostgreSQL notes them. */
static orb_status drop_one(oql_bstmt *b, oql_rt *rt, orb_table *t, int depth, orb_err *e) {
  if (b->cascade && depth < 64) {
    orb_arena a;
    orb_arena_init(&a, 0);
    const char **views;
    int n = oql_view_dependents(rt->db, &a, t, &views);
    orb_status st = ORB_OK;
    for (int i = 0; i < n && st == ORB_OK; i++) {
      orb_table *v = orb_db_table(rt->db, views[i]);
      if (!v) continue;   /* dropped already through another */
      char msg[160];
      snprintf(msg, sizeof msg, "drop cascades to view %s", v->name);
      oql_reports_add(&rt->notices, "00000", false, msg);
      st = drop_one(b, rt, v, depth + 1, e);
    }
    orb_arena_free(&a);
    if (st != ORB_OK) return st;
  } else {
    orb_status st = refuse_if_viewed(rt, t, "drop", b->drop_names, b->ndrop, e);
    if (st != ORB_OK) return st;
  }
  orb_status st = orb_db_drop_table(rt->db, rt->ws, t, e);
  /* the sequences of its serial columns go with it */
  for (int i = orb_db_table_count(rt->db) - 1; st == ORB_OK && i >= 0; i--) {
    orb_table *q = orb_db_table_at(rt->db, i);
    if (q->kind == ORB_TABLE_SEQUENCE && q->seq && q->seq->owner == t->id) st = orb_db_drop_table(rt->db, rt->ws, q, e);
  }
  return st;
}

/* What DROP TABLE / VIEW / SEQUENCE calls a relation of kind k. */
static const char *kind_word(orb_table_kind k) {
  return k == ORB_TABLE_VIEW ? "view" : k == ORB_TABLE_SEQUENCE ? "sequence" : "table";
}

orb_status oql_exec_drop_table(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  /* all or nothing: the statement's write set undoes earlier drops on an error */
  const char *want = kind_word(b->create_kind);
  for (int i = 0; i < b->ndrop; i++) {
    orb_table *t = orb_db_table(rt->db, b->drop_names[i]);
    if (!t) {
      if (b->if_exists) {
        skipping(rt, "00000", want, b->drop_names[i], "does not exist");
        continue;
      }
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "%s \"%s\" does not exist", want, b->drop_names[i]);
    }
    const char *is = kind_word(t->kind);
    if (strcmp(is, want) != 0) {
      orb_status st = orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "\"%s\" is not a %s", t->name, want);
      orb_err_hint(e, "Use DROP %s to remove a %s.", strcmp(is, "view") == 0 ? "VIEW" : strcmp(is, "sequence") == 0 ? "SEQUENCE" : "TABLE", is);
      return st;
    }
  }
  for (int i = 0; i < b->ndrop; i++) {
    orb_table *t = orb_db_table(rt->db, b->drop_names[i]);
    if (!t) continue;
    orb_status st = drop_one(b, rt, t, 0, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

orb_status oql_exec_create_view(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  orb_table *old = orb_db_table(rt->db, b->table_name);
  if (old) {
    if (!b->replace) return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", b->table_name);
    if (old->kind != ORB_TABLE_VIEW)
      return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "\"%s\" is not a view", old->name);
    /* OR REPLACE keeps the columns it had, as PostgreSQL requires: new ones only at the end */
    const orb_schema *os = &old->schema, *ns = b->schema;
    if (ns->ncols < os->ncols) return orb_err_setx(e, ORB_ERR_MISUSE, "42P16", 0, "cannot drop columns from view");
    for (int i = 0; i < os->ncols; i++) {
      if (strcmp(os->cols[i].name, ns->cols[i].name) != 0)
        return orb_err_setx(e, ORB_ERR_MISUSE, "42P16", 0, "cannot change name of view column \"%s\" to \"%s\"",
                            os->cols[i].name, ns->cols[i].name);
      if (!orb_type_equal(os->cols[i].type, ns->cols[i].type)) {
        orb_buf from = ORB_BUF_INIT, to = ORB_BUF_INIT;
        orb_type_format(os->cols[i].type, &from);
        orb_type_format(ns->cols[i].type, &to);
        orb_status st = orb_err_setx(e, ORB_ERR_MISUSE, "42P16", 0, "cannot change data type of view column \"%s\" from %s to %s",
                                     os->cols[i].name, from.data, to.data);
        orb_buf_free(&from);
        orb_buf_free(&to);
        return st;
      }
    }
    orb_status st = orb_db_drop_table(rt->db, rt->ws, old, e);
    if (st != ORB_OK) return st;
  }
  return orb_db_create_view(rt->db, rt->ws, b->table_name, b->schema, b->path, NULL, e);
}

orb_status oql_exec_truncate(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  for (int i = 0; i < b->ndrop; i++) {
    orb_table *t = orb_db_table(rt->db, b->drop_names[i]);
    if (!t) return no_table(b->drop_names[i], e);
    oql_bmodify m = {t, NULL, 0, NULL, NULL, NULL};
    int64_t n;
    orb_status st = oql_exec_delete(&m, rt, &n, NULL, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

static void drop_check(orb_schema *s, int k) {
  orb_free(s->checks[k].name);
  orb_free(s->checks[k].sql);
  memmove(&s->checks[k], &s->checks[k + 1], sizeof(orb_check) * (size_t)(s->nchecks - k - 1));
  s->nchecks--;
}

/* ALTER TABLE of one of the database's own Iceberg tables: the checks that
** PostgreSQL makes (with its messages), then the change goes to Iceberg and
** the catalog follows (orb_db_alter_iceberg). */
static orb_status alter_iceberg(oql_bstmt *b, oql_rt *rt, orb_table *t, orb_err *e) {
  const orb_schema *s = &t->schema;
  int pos = b->col_name ? orb_schema_find(s, b->col_name) : -1;
  cold_alter c;
  memset(&c, 0, sizeof c);
  c.field_id = pos >= 0 ? s->cols[pos].field_id : 0;
  c.term = b->part_term;
  c.with = b->part_with;
  c.as = b->part_as;
  bool needs_col = b->alter == OQL_ALTER_DROP_COLUMN || b->alter == OQL_ALTER_RENAME_COLUMN ||
                   b->alter == OQL_ALTER_COLUMN_TYPE || b->alter == OQL_ALTER_DROP_NOT_NULL ||
                   b->alter == OQL_ALTER_SET_NOT_NULL;
  if (needs_col && pos < 0) {
    if (b->alter == OQL_ALTER_DROP_COLUMN && b->if_exists) return ORB_OK;
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist", b->col_name,
                        t->name);
  }
  switch (b->alter) {
  case OQL_ALTER_ADD_COLUMN:
    if (pos >= 0)
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" of relation \"%s\" already exists",
                          b->col_name, t->name);
    if (b->col_not_null)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                          "cannot add NOT NULL column \"%s\" to Iceberg table \"%s\": Iceberg cannot add a required "
                          "column (the rows already written have no value for it)",
                          b->col_name, t->name);
    if (b->col_default) {
      orb_value v;
      orb_status st = orb_expr_eval(b->col_default, &rt->ctx, NULL, &v, e);
      if (st != ORB_OK) return st;
      if (!v.isnull)
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                            "cannot add column \"%s\" with a DEFAULT to Iceberg table \"%s\": format version 2 "
                            "has no column defaults (the rows already written would read NULL)",
                            b->col_name, t->name);
    }
    c.kind = COLD_ADD_COLUMN;
    c.name = b->col_name;
    c.type = b->col_type;
    break;
  case OQL_ALTER_DROP_COLUMN:
    if (orb_schema_is_pk(s, pos))
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "2BP01", 0,
                          "cannot drop column \"%s\" of relation \"%s\": it is part of the primary key", b->col_name,
                          t->name);
    if (s->ncols == 1)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "cannot drop the last column of table \"%s\"", t->name);
    c.kind = COLD_DROP_COLUMN;
    break;
  case OQL_ALTER_RENAME_COLUMN:
    if (orb_schema_find(s, b->new_name) >= 0)
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" of relation \"%s\" already exists",
                          b->new_name, t->name);
    c.kind = COLD_RENAME_COLUMN;
    c.name = b->new_name;
    break;
  case OQL_ALTER_COLUMN_TYPE:
    c.kind = COLD_SET_TYPE;
    c.type = b->col_type;
    break;
  case OQL_ALTER_DROP_NOT_NULL:
    if (orb_schema_is_pk(s, pos))
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P16", 0, "column \"%s\" is in a primary key", b->col_name);
    if (!s->cols[pos].not_null) return ORB_OK;   /* PostgreSQL: nothing to do */
    c.kind = COLD_DROP_NOT_NULL;
    break;
  case OQL_ALTER_SET_NOT_NULL:
    if (s->cols[pos].not_null) return ORB_OK;
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                        "cannot make column \"%s\" of Iceberg table \"%s\" NOT NULL: Iceberg does not let an optional "
                        "column become required (files already written may hold NULLs)",
                        b->col_name, t->name);
  case OQL_ALTER_ADD_IDENTITY:
  case OQL_ALTER_SET_IDENTITY:
  case OQL_ALTER_DROP_IDENTITY:
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "identity columns of Iceberg table \"%s\" are not supported",
                        t->name);
  case OQL_ALTER_ADD_PARTITION_FIELD: c.kind = COLD_ADD_PARTITION_FIELD; break;
  case OQL_ALTER_DROP_PARTITION_FIELD: c.kind = COLD_DROP_PARTITION_FIELD; break;
  case OQL_ALTER_REPLACE_PARTITION_FIELD: c.kind = COLD_REPLACE_PARTITION_FIELD; break;
  case OQL_ALTER_SET_PARTITION_SPEC: c.kind = COLD_SET_PARTITION_SPEC; break;
  case OQL_ALTER_SET_PROPERTIES:
  case OQL_ALTER_RESET_PROPERTIES:
    c.kind = COLD_SET_PROPERTIES;
    c.prop_keys = b->prop_keys;
    c.prop_values = b->prop_values;
    c.nprops = b->nprops;
    break;
  default:
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "this ALTER TABLE of Iceberg table \"%s\" is not supported yet",
                        t->name);
  }
  return orb_db_alter_iceberg(rt->db, rt->ws, t, &c, e);
}

/* ALTER COLUMN c TYPE t [USING expr] of a hot table: c becomes a new column
** (a new field id, as Iceberg would give it) in the same place, each row's
** value computed from the old row by b->col_using; a key column stays in the
** key.  The CHECK constraints are bound again over the new types and tested
** on every row, as PostgreSQL checks them while it rewrites the table. */
typedef struct type_change {
  oql_rt *rt;
  orb_expr *value;         /* over the old row */
  int pos;                 /* the column, in both schemas */
  const orb_table *t;      /* the table with its new columns */
  oql_checks checks;       /* over the new row */
} type_change;

static orb_status type_change_row(void *ctx, const orb_value *old_row, orb_value *new_row, orb_arena *a, orb_err *e) {
  type_change *tc = ctx;
  orb_arena *keep = tc->rt->ctx.arena;
  tc->rt->ctx.arena = a;   /* the new value lives until the storage layer has copied the row */
  orb_status st = orb_expr_eval(tc->value, &tc->rt->ctx, old_row, &new_row[tc->pos], e);
  for (int k = 0; k < tc->checks.n && st == ORB_OK; k++) {   /* conds[k] is the schema's checks[k] */
    orb_value ok;
    if ((st = orb_expr_eval(tc->checks.conds[k], &tc->rt->ctx, new_row, &ok, e)) == ORB_OK && !ok.isnull && !ok.u.b)
      st = orb_err_setx(e, ORB_ERR_CONSTRAINT, "23514", 0, "check constraint \"%s\" of relation \"%s\" is violated by some row",
                        tc->t->schema.checks[k].name, tc->t->name);
  }
  tc->rt->ctx.arena = keep;
  return st;
}

static orb_status alter_column_type(oql_bstmt *b, oql_rt *rt, orb_table *t, orb_err *e) {
  orb_schema ns;
  orb_schema_copy(&ns, &t->schema);
  int pos = orb_schema_find(&ns, b->col_name);
  if (pos < 0) {
    orb_schema_free(&ns);
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist",
                        b->col_name, t->name);
  }
  int32_t old_id = ns.cols[pos].field_id, new_id = ns.next_field_id++;
  ns.cols[pos].field_id = new_id;
  ns.cols[pos].type = b->col_type;
  for (int k = 0; k < ns.npk; k++)
    if (ns.pk[k] == old_id) ns.pk[k] = new_id;
  for (int k = 0; k < ns.nindexes; k++)   /* the indexes on it follow, as the key does */
    for (int j = 0; j < ns.indexes[k].ncols; j++)
      if (ns.indexes[k].cols[j] == old_id) ns.indexes[k].cols[j] = new_id;
  int32_t *replaces = orb_calloc((size_t)ns.ncols, sizeof(int32_t));
  replaces[pos] = old_id;
  orb_arena ca;
  orb_arena_init(&ca, 4096);
  orb_table view = *t;   /* t with the new columns: its checks bound over them */
  view.schema = ns;
  type_change tc = {rt, b->col_using, pos, &view, {0, NULL}};
  orb_status st = oql_checks_bind(rt->db, &ca, &view, &tc.checks, e);
  orb_alter_conv conv = {type_change_row, &tc, replaces};
  if (st == ORB_OK) st = orb_db_alter_table_conv(rt->db, rt->ws, t, &ns, &conv, e);
  orb_arena_free(&ca);
  orb_free(replaces);
  orb_schema_free(&ns);
  return st;
}

/* The sequence an identity column's default takes its values from (nextval('name')), or NULL. */
static orb_table *identity_sequence(orb_db *db, const orb_column *c) {
  const char *d = c->default_sql;
  if (!d || strncmp(d, "nextval('", 9) != 0) return NULL;
  const char *q = strchr(d + 9, '\'');
  if (!q || strcmp(q, "')") != 0) return NULL;
  char name[256];
  size_t n = (size_t)(q - (d + 9));
  if (n >= sizeof name) return NULL;
  memcpy(name, d + 9, n);
  name[n] = '\0';
  orb_table *s = orb_db_table(db, name);
  return s && s->kind == ORB_TABLE_SEQUENCE ? s : NULL;
}

/* ADD GENERATED ... AS IDENTITY, SET GENERATED, DROP IDENTITY of column pos
** in the new schema ns, with PostgreSQL's checks and messages (55000). */
static orb_status alter_identity(oql_bstmt *b, oql_rt *rt, orb_table *t, orb_schema *ns, int pos, orb_err *e) {
  if (pos < 0)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist", b->col_name,
                        t->name);
  orb_column *c = &ns->cols[pos];
  if (b->alter == OQL_ALTER_ADD_IDENTITY) {
    if (!c->not_null && !orb_schema_is_pk(ns, pos))
      return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0,
                          "column \"%s\" of relation \"%s\" must be declared NOT NULL before identity can be added",
                          c->name, t->name);
    if (c->identity)
      return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "column \"%s\" of relation \"%s\" is already an identity column",
                          c->name, t->name);
    if (c->default_sql)
      return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "column \"%s\" of relation \"%s\" already has a default value",
                          c->name, t->name);
    orb_status st = create_serials(b, rt, t, e);
    if (st != ORB_OK) return st;
    c->default_sql = orb_strdup(b->col_default_sql);
    c->identity = b->col_identity;
    return ORB_OK;
  }
  if (!c->identity) {
    if (b->alter == OQL_ALTER_DROP_IDENTITY && b->if_exists) {
      char msg[200];
      snprintf(msg, sizeof msg, "column \"%s\" of relation \"%s\" is not an identity column, skipping", c->name, t->name);
      oql_reports_add(&rt->notices, "00000", false, msg);
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "column \"%s\" of relation \"%s\" is not an identity column", c->name,
                        t->name);
  }
  if (b->alter == OQL_ALTER_SET_IDENTITY) {
    c->identity = b->col_identity;
    return ORB_OK;
  }
  /* DROP IDENTITY: no default any more, and its sequence goes */
  orb_table *seq = identity_sequence(rt->db, c);
  if (seq && seq->seq && seq->seq->owner == t->id) {
    orb_status st = orb_db_drop_table(rt->db, rt->ws, seq, e);
    if (st != ORB_OK) return st;
  }
  orb_free(c->default_sql);
  c->default_sql = NULL;
  c->identity = 0;
  return ORB_OK;
}

orb_status oql_exec_alter_table(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  if (b->table_missing) {
    skipping(rt, "00000", "relation", b->table_name, "does not exist");
    return ORB_OK;
  }
  orb_table *t = orb_db_table(rt->db, b->table_name);
  if (!t) return no_table(b->table_name, e);
  /* a rename is the catalog's alone, for every kind of table: an Iceberg
  ** table keeps its folder (and its metadata its location) */
  if (b->alter != OQL_ALTER_RENAME_TABLE && t->kind == ORB_TABLE_ICEBERG) return alter_iceberg(b, rt, t, e);
  /* views name what they read: a rename or a change of a column they may read would break them */
  if (b->alter == OQL_ALTER_RENAME_TABLE || b->alter == OQL_ALTER_RENAME_COLUMN || b->alter == OQL_ALTER_DROP_COLUMN ||
      b->alter == OQL_ALTER_COLUMN_TYPE) {
    orb_status st = refuse_if_viewed(rt, t, "alter", NULL, 0, e);
    if (st != ORB_OK) return st;
  }
  if (b->alter == OQL_ALTER_RENAME_TABLE) {
    if (orb_db_table(rt->db, b->new_name))
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", b->new_name);
    return orb_db_rename_table(rt->db, rt->ws, t, b->new_name, e);
  }
  orb_schema ns;
  orb_schema_copy(&ns, &t->schema);
  orb_value *fill = NULL;
  orb_status st = ORB_OK;
  int pos = b->col_name ? orb_schema_find(&ns, b->col_name) : -1;
  switch (b->alter) {
  case OQL_ALTER_ADD_COLUMN: {
    if (pos >= 0) {
      st = orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" of relation \"%s\" already exists",
                        b->col_name, t->name);
      break;
    }
    orb_schema_add_column(&ns, b->col_name, b->col_type, b->col_not_null, b->col_default_sql);
    fill = orb_calloc((size_t)ns.ncols, sizeof(orb_value));
    for (int i = 0; i < ns.ncols; i++) fill[i] = orb_null(ns.cols[i].type.id);
    if (b->col_default) {
      orb_value v;
      st = orb_expr_eval(b->col_default, &rt->ctx, NULL, &v, e);
      if (st != ORB_OK) break;
      fill[ns.ncols - 1] = v;
    }
    if (b->col_not_null && fill[ns.ncols - 1].isnull) {
      /* PostgreSQL fails only if the table has rows; we cannot tell cheaply for every tier */
      int64_t n = -1;
      orb_table_count(t, rt->snap, NULL, &rt->ctx, &n, e);
      if (n != 0)
        st = orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0,
                          "column \"%s\" of relation \"%s\" contains null values", b->col_name, t->name);
    }
    break;
  }
  case OQL_ALTER_DROP_COLUMN: {
    if (pos < 0) {
      if (b->if_exists) break;
      st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist",
                        b->col_name, t->name);
      break;
    }
    for (int i = 0; i < ns.npk; i++)
      if (ns.pk[i] == ns.cols[pos].field_id) {
        st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "2BP01", 0,
                          "cannot drop column \"%s\" of relation \"%s\": it is part of the primary key", b->col_name,
                          t->name);
        break;
      }
    if (st != ORB_OK) break;
    if (ns.ncols == 1) {
      st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "cannot drop the last column of table \"%s\"", t->name);
      break;
    }
    /* the CHECK constraints that read it go with it, as in PostgreSQL */
    for (int k = ns.nchecks - 1; k >= 0; k--)
      if (oql_check_uses_column(rt->db, t, k, pos)) drop_check(&ns, k);
    orb_free(ns.cols[pos].name);
    orb_free(ns.cols[pos].default_sql);
    memmove(&ns.cols[pos], &ns.cols[pos + 1], sizeof(orb_column) * (size_t)(ns.ncols - pos - 1));
    ns.ncols--;
    orb_schema_drop_dangling_indexes(&ns);   /* and the indexes on it, UNIQUE constraints too */
    break;
  }
  case OQL_ALTER_ADD_CHECK:
    if ((st = oql_check_existing(t, rt, b->new_name, b->col_default_sql, e)) == ORB_OK)
      orb_schema_add_check(&ns, b->new_name, b->col_default_sql);
    break;
  case OQL_ALTER_DROP_CONSTRAINT: {
    int k = 0;
    while (k < ns.nchecks && strcmp(ns.checks[k].name, b->col_name) != 0) k++;
    int ix = orb_schema_find_index(&ns, b->col_name);
    if (k < ns.nchecks) {
      drop_check(&ns, k);
    } else if (ix >= 0 && ns.indexes[ix].constraint) {   /* a UNIQUE constraint: its index goes with it */
      orb_schema_drop_index(&ns, ix);
    } else if (ns.npk && strcmp(b->col_name, orb_arena_sprintf(&rt->tmp, "%s_pkey", t->name)) == 0) {
      st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "dropping the primary key of \"%s\" is not supported", t->name);
    } else if (b->if_exists) {
      char msg[200];
      snprintf(msg, sizeof msg, "constraint \"%s\" of relation \"%s\" does not exist, skipping", b->col_name, t->name);
      oql_reports_add(&rt->notices, "00000", false, msg);
    } else {
      st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0, "constraint \"%s\" of relation \"%s\" does not exist",
                        b->col_name, t->name);
    }
    break;
  }
  case OQL_ALTER_RENAME_COLUMN:
    if (pos < 0) {
      st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" does not exist", b->col_name);
      break;
    }
    for (int k = 0; k < ns.nchecks && st == ORB_OK; k++)   /* checks keep text: they would lose the column */
      if (oql_check_uses_column(rt->db, t, k, pos))
        st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                          "cannot rename column \"%s\": check constraint \"%s\" uses it (drop the constraint first)",
                          b->col_name, ns.checks[k].name);
    if (st != ORB_OK) break;
    if (orb_schema_find(&ns, b->new_name) >= 0) {
      st = orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" of relation \"%s\" already exists",
                        b->new_name, t->name);
      break;
    }
    orb_free(ns.cols[pos].name);
    ns.cols[pos].name = orb_strdup(b->new_name);
    break;
  case OQL_ALTER_RENAME_TABLE:
    break;
  case OQL_ALTER_DROP_NOT_NULL:
    if (pos < 0) {
      st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist",
                        b->col_name, t->name);
      break;
    }
    if (orb_schema_is_pk(&ns, pos)) {
      st = orb_err_setx(e, ORB_ERR_SYNTAX, "42P16", 0, "column \"%s\" is in a primary key", b->col_name);
      break;
    }
    ns.cols[pos].not_null = false;
    break;
  case OQL_ALTER_SET_NOT_NULL:   /* the storage layer checks the rows while it rebuilds the table */
  case OQL_ALTER_SET_DEFAULT:
  case OQL_ALTER_DROP_DEFAULT:
    if (pos < 0) {
      st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist",
                        b->col_name, t->name);
      break;
    }
    if (b->alter == OQL_ALTER_SET_NOT_NULL) {
      ns.cols[pos].not_null = true;
    } else {
      orb_free(ns.cols[pos].default_sql);
      ns.cols[pos].default_sql = b->alter == OQL_ALTER_SET_DEFAULT ? orb_strdup(b->col_default_sql) : NULL;
    }
    break;
  case OQL_ALTER_COLUMN_TYPE:
    orb_schema_free(&ns);
    return alter_column_type(b, rt, t, e);
  case OQL_ALTER_OWNER:   /* the session's (session_roles.c) */
    break;
  case OQL_ALTER_ADD_PARTITION_FIELD:
  case OQL_ALTER_DROP_PARTITION_FIELD:
  case OQL_ALTER_REPLACE_PARTITION_FIELD:
  case OQL_ALTER_SET_PARTITION_SPEC:
  case OQL_ALTER_SET_PROPERTIES:
  case OQL_ALTER_RESET_PROPERTIES:
    st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "42809", 0, "\"%s\" is not an Iceberg table", t->name);
    break;
  case OQL_ALTER_CREATE_INDEX:
  case OQL_ALTER_ADD_UNIQUE:
  case OQL_ALTER_DROP_INDEX:
  case OQL_ALTER_RENAME_INDEX:
    orb_schema_free(&ns);
    return oql_exec_index(b, rt, e);
  case OQL_ALTER_ADD_IDENTITY:
  case OQL_ALTER_SET_IDENTITY:
  case OQL_ALTER_DROP_IDENTITY:
    st = alter_identity(b, rt, t, &ns, pos, e);
    if (st == ORB_OK && pos >= 0 && b->alter == OQL_ALTER_DROP_IDENTITY && !ns.cols[pos].identity &&
        t->schema.cols[pos].identity == 0)
      pos = -2;   /* IF EXISTS and nothing to do */
    break;
  case OQL_ALTER_ADD_PRIMARY_KEY:
    /* the storage layer checks the rows (no NULL, no duplicate) while it rebuilds the table */
    ns.pk = orb_realloc(ns.pk, sizeof(int32_t) * (size_t)(b->nkey_cols + 1));
    ns.npk = 0;
    for (int k = 0; k < b->nkey_cols; k++) {
      int c = orb_schema_find(&ns, b->key_cols[k]);
      ns.cols[c].not_null = true;
      ns.pk[ns.npk++] = ns.cols[c].field_id;
    }
    break;
  }
  if (st == ORB_OK && !(b->alter == OQL_ALTER_DROP_COLUMN && pos < 0) && pos != -2)
    st = orb_db_alter_table(rt->db, rt->ws, t, &ns, fill, e);
  orb_free(fill);
  orb_schema_free(&ns);
  return st;
}

void oql_show_tables(orb_db *db, orb_arena *xa, oql_op **rows) {
  orb_type tt = orb_type_make(ORB_T_TEXT);
  oql_op *op = oql_rows_new(xa, 1, &tt);
  int n = orb_db_table_count(db);
  for (int i = 0; i < n; i++) {
    orb_table *t = orb_db_table_at(db, i);
    if (oql_is_system_table(t->name) || t->kind == ORB_TABLE_SEQUENCE) continue;
    orb_value v = orb_text(t->name, strlen(t->name));
    oql_rows_add(op, xa, &v);
  }
  *rows = op;
}

orb_status oql_describe(orb_db *db, const char *table, orb_arena *xa, oql_op **rows, orb_err *e) {
  orb_table *t = orb_db_table(db, table);
  if (!t) return no_table(table, e);
  orb_type tt[5];
  for (int i = 0; i < 5; i++) tt[i] = orb_type_make(ORB_T_TEXT);
  oql_op *op = oql_rows_new(xa, 5, tt);
  const orb_schema *s = &t->schema;
  orb_buf b = ORB_BUF_INIT;
  for (int c = 0; c < s->ncols; c++) {
    const orb_column *col = &s->cols[c];
    bool pk = false;
    for (int k = 0; k < s->npk; k++) pk |= s->pk[k] == col->field_id;
    orb_buf_reset(&b);
    orb_type_format_sql(col->type, &b);
    orb_value r[5];
    r[0] = orb_text(col->name, strlen(col->name));
    r[1] = orb_text(b.data ? b.data : "", b.len);
    r[2] = orb_text(col->not_null ? "NO" : "YES", col->not_null ? 2 : 3);
    r[3] = col->default_sql ? orb_text(col->default_sql, strlen(col->default_sql)) : orb_null(ORB_T_TEXT);
    r[4] = orb_text(pk ? "YES" : "NO", pk ? 3 : 2);
    oql_rows_add(op, xa, r);
  }
  orb_buf_free(&b);
  *rows = op;
  return ORB_OK;
}
