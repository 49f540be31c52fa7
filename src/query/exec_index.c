/* query/exec_index.c — CREATE INDEX, DROP INDEX, ALTER INDEX ... RENAME,
** ALTER TABLE ADD UNIQUE, and the names PostgreSQL gives indexes.
**
** An index is part of its table's schema (types/schema.h orb_index), so
** every change here is an ALTER of that table (orb_db_alter_table): logged
** like any DDL, rebuilt by the hot tier from the schema after a restart,
** dropped with the table, and undone with the transaction.  Index names
** share one namespace with tables, views and sequences, as relation names
** do in PostgreSQL; a primary key's index is "<table>_pkey".
*/
#include "query/stmt_exec.h"
#include "query/ast.h"

#include <string.h>

#include "base/mem.h"

/* PostgreSQL's NAMEDATALEN - 1: longer names are cut. */
#define NAME_MAX_BYTES 63

bool oql_index_find(orb_db *db, const char *name, orb_table **table, int *k) {
  int n = orb_db_table_count(db);
  for (int i = 0; i < n; i++) {
    orb_table *t = orb_db_table_at(db, i);
    int j = orb_schema_find_index(&t->schema, name);
    if (j >= 0) {
      if (table) *table = t;
      if (k) *k = j;
      return true;
    }
  }
  return false;
}

/* Is "<table>_pkey" of a table with a primary key, and which table. */
static orb_table *pkey_owner(orb_db *db, const char *name) {
  size_t n = strlen(name);
  if (n < 6 || strcmp(name + n - 5, "_pkey") != 0) return NULL;
  char tn[NAME_MAX_BYTES + 1];
  if (n - 5 > NAME_MAX_BYTES) return NULL;
  memcpy(tn, name, n - 5);
  tn[n - 5] = '\0';
  orb_table *t = orb_db_table(db, tn);
  return t && t->schema.npk ? t : NULL;
}

bool oql_relation_name_taken(orb_db *db, const char *name) {
  return orb_db_table(db, name) || oql_index_find(db, name, NULL, NULL) || pkey_owner(db, name);
}

/* Also taken by the indexes a CREATE TABLE is making (pending, may be NULL). */
static bool name_taken(orb_db *db, const orb_schema *pending, const char *name) {
  if (oql_relation_name_taken(db, name)) return true;
  return pending && orb_schema_find_index(pending, name) >= 0;
}

char *oql_index_choose_name(orb_db *db, const orb_schema *pending, orb_arena *a, const char *table,
                            const char *const *cols, int ncols, const char *suffix) {
  orb_buf b = ORB_BUF_INIT;
  orb_buf_puts(&b, table);
  for (int i = 0; i < ncols; i++) {
    orb_buf_putc(&b, '_');
    orb_buf_puts(&b, cols[i]);
  }
  size_t stem = b.len;
  /* room for "_suffix" and a number: cut the stem at a character boundary */
  size_t room = NAME_MAX_BYTES - strlen(suffix) - 1;
  if (stem > room) {
    stem = room;
    while (stem > 0 && ((unsigned char)b.data[stem] & 0xC0) == 0x80) stem--;
  }
  char *name = NULL;
  for (int k = 0;; k++) {
    name = k ? orb_arena_sprintf(a, "%.*s_%s%d", (int)stem, b.data, suffix, k)
             : orb_arena_sprintf(a, "%.*s_%s", (int)stem, b.data, suffix);
    if (!name_taken(db, pending, name)) break;
  }
  orb_buf_free(&b);
  return name;
}

static void notice(oql_rt *rt, const char *code, const char *fmt, const char *name) {
  char msg[200];
  snprintf(msg, sizeof msg, fmt, name);
  oql_reports_add(&rt->notices, code, false, msg);
}

static orb_status alter_with(oql_rt *rt, orb_table *t, orb_schema *ns, orb_err *e) {
  orb_status st = orb_db_alter_table(rt->db, rt->ws, t, ns, NULL, e);
  orb_schema_free(ns);
  return st;
}

/* CREATE INDEX and ADD UNIQUE: the binder checked the columns. */
static orb_status create_index(oql_bstmt *b, oql_rt *rt, orb_table *t, orb_err *e) {
  const oql_index_ast *ia = b->index;
  const char *name = ia->name;
  if (name && oql_relation_name_taken(rt->db, name)) {
    if (ia->if_not_exists) {
      notice(rt, "42P07", "relation \"%s\" already exists, skipping", name);
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", name);
  }
  if (name && ia->constraint)
    for (int k = 0; k < t->schema.nchecks; k++)
      if (strcmp(t->schema.checks[k].name, name) == 0)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", 0, "constraint \"%s\" for relation \"%s\" already exists", name,
                            t->name);
  if (!name) name = oql_index_choose_name(rt->db, NULL, &rt->tmp, t->name, ia->cols, ia->ncols, ia->constraint ? "key" : "idx");
  int32_t fids[32];
  for (int i = 0; i < ia->ncols && i < 32; i++) fids[i] = t->schema.cols[orb_schema_find(&t->schema, ia->cols[i])].field_id;
  orb_index ix = {.name = (char *)name, .ncols = ia->ncols, .cols = fids, .opts = ia->opts, .unique = ia->unique,
                  .constraint = ia->constraint, .nulls_not_distinct = ia->nnd, .hash = ia->hash};
  orb_schema ns;
  orb_schema_copy(&ns, &t->schema);
  orb_schema_add_index(&ns, &ix);
  return alter_with(rt, t, &ns, e);
}

/* The 2BP01 of dropping the index a constraint owns, PostgreSQL's words. */
static orb_status owned_by_constraint(const char *index, const char *table, orb_err *e) {
  orb_err_setx(e, ORB_ERR_CONSTRAINT, "2BP01", 0, "cannot drop index %s because constraint %s on table %s requires it", index,
               index, table);
  orb_err_hint(e, "You can drop constraint %s on table %s instead.", index, table);
  return e->code;
}

static orb_status drop_indexes(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  for (int i = 0; i < b->ndrop; i++) {
    const char *name = b->drop_names[i];
    orb_table *t;
    int k;
    if (!oql_index_find(rt->db, name, &t, &k)) {
      orb_table *owner = pkey_owner(rt->db, name);
      if (owner) return owned_by_constraint(name, owner->name, e);
      if (orb_db_table(rt->db, name))
        return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "\"%s\" is not an index", name);
      if (b->if_exists) {
        notice(rt, "00000", "index \"%s\" does not exist, skipping", name);
        continue;
      }
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0, "index \"%s\" does not exist", name);
    }
    if (t->schema.indexes[k].constraint) return owned_by_constraint(name, t->name, e);
    orb_schema ns;
    orb_schema_copy(&ns, &t->schema);
    orb_schema_drop_index(&ns, k);
    orb_status st = alter_with(rt, t, &ns, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

static orb_status rename_index(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  orb_table *t;
  int k;
  if (!oql_index_find(rt->db, b->col_name, &t, &k)) {
    if (pkey_owner(rt->db, b->col_name))
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "renaming the primary key index \"%s\" is not supported",
                          b->col_name);
    if (b->if_exists) {
      notice(rt, "00000", "relation \"%s\" does not exist, skipping", b->col_name);
      return ORB_OK;
    }
    if (orb_db_table(rt->db, b->col_name))
      return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "\"%s\" is not an index", b->col_name);
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", b->col_name);
  }
  if (oql_relation_name_taken(rt->db, b->new_name))
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", b->new_name);
  orb_schema ns;
  orb_schema_copy(&ns, &t->schema);
  orb_free(ns.indexes[k].name);
  ns.indexes[k].name = orb_strdup(b->new_name);
  return alter_with(rt, t, &ns, e);
}

orb_status oql_exec_index(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  switch (b->alter) {
  case OQL_ALTER_CREATE_INDEX:
  case OQL_ALTER_ADD_UNIQUE: {
    orb_table *t = orb_db_table(rt->db, b->table_name);
    if (!t) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", b->table_name);
    return create_index(b, rt, t, e);
  }
  case OQL_ALTER_DROP_INDEX: return drop_indexes(b, rt, e);
  case OQL_ALTER_RENAME_INDEX: return rename_index(b, rt, e);
  default: return orb_err_set(e, ORB_ERR_INTERNAL, "not an index statement: %d", (int)b->alter);
  }
}
