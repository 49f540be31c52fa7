/* storage/db.c — opening a database directory, its tables and DDL (see db.h). */
#include "storage/storage_int.h"
#include "storage/catalog.h"
#include "storage/sequence.h"
#include "storage/rowcodec.h"
#include "storage/cold/cold_tier.h"
#include "base/file.h"
#include "base/mem.h"
#include "types/value.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

void orb_db_options_init(orb_db_options *o) {
  o->create_if_missing = true;
  o->sync_commit = true;
  o->sync_interval_ms = 200;
  o->checkpoint_wal_bytes = 64LL << 20;
}

/* --- tables ------------------------------------------------------------ */

orb_table *db_table_new(uint32_t id, const char *name, const orb_schema *schema, orb_table_kind kind,
                        const char *location) {
  orb_table *t = orb_calloc(1, sizeof *t);
  t->id = id;
  t->name = orb_strdup(name);
  orb_schema_copy(&t->schema, schema);
  t->hot = hot_base(hot_tier_new(id, schema));
  t->kind = kind;
  if (kind != ORB_TABLE_HOT) t->location = orb_strdup(location);
  if (kind == ORB_TABLE_SEQUENCE) {
    orb_err ig;
    t->seq = orb_calloc(1, sizeof *t->seq);
    if (orb_seq_parse(location, t->seq, &ig) != ORB_OK) orb_seq_defaults(t->seq);   /* checked before: not reached */
  }
  if (kind == ORB_TABLE_ICEBERG || kind == ORB_TABLE_EXTERNAL)
    t->cold = cold_tier_new(id, name, location, schema, kind == ORB_TABLE_ICEBERG);
  return t;
}

void db_table_free(orb_table *t) {
  if (!t) return;
  if (t->cold) t->cold->ops->close(t->cold);
  orb_free(t->location);
  if (t->seq) pthread_mutex_destroy(&t->seq->mu);
  orb_free(t->seq);
  if (t->hot) t->hot->ops->close(t->hot);
  orb_schema_free(&t->schema);
  orb_free(t->name);
  orb_free(t);
}

static int table_pos(orb_db *db, const char *name, bool *found) {
  int lo = 0, hi = db->ntables;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    int c = strcmp(db->tables[mid]->name, name);
    if (c == 0) {
      *found = true;
      return mid;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  *found = false;
  return lo;
}

void db_table_add(orb_db *db, orb_table *t) {
  bool found;
  int pos = table_pos(db, t->name, &found);
  size_t cap = (size_t)db->cap_tables;
  db->tables = orb_grow(db->tables, &cap, (size_t)db->ntables + 1, sizeof *db->tables);
  db->cap_tables = (int)cap;
  memmove(&db->tables[pos + 1], &db->tables[pos], sizeof *db->tables * (size_t)(db->ntables - pos));
  db->tables[pos] = t;
  db->ntables++;
  if (t->id >= db->next_table_id) db->next_table_id = t->id + 1;
}

void db_table_remove(orb_db *db, orb_table *t) {
  for (int i = 0; i < db->ntables; i++)
    if (db->tables[i] == t) {
      memmove(&db->tables[i], &db->tables[i + 1], sizeof *db->tables * (size_t)(db->ntables - i - 1));
      db->ntables--;
      return;
    }
}

orb_table *db_table_by_id(orb_db *db, uint32_t id) {
  for (int i = 0; i < db->ntables; i++)
    if (db->tables[i]->id == id) return db->tables[i];
  return NULL;
}

orb_table *orb_db_table(orb_db *db, const char *name) {
  bool found;
  int pos = table_pos(db, name, &found);
  return found ? db->tables[pos] : NULL;
}

int orb_db_table_count(orb_db *db) { return db->ntables; }
orb_table *orb_db_table_at(orb_db *db, int i) { return i >= 0 && i < db->ntables ? db->tables[i] : NULL; }
const char *orb_db_path(const orb_db *db) { return db->path; }
int64_t orb_db_replayed_records(const orb_db *db) { return db->replayed_records; }
int64_t orb_db_torn_bytes(const orb_db *db) { return db->torn_bytes; }
uint64_t orb_db_wal_syncs(orb_db *db) { return wal_sync_count(db->wal); }

void orb_db_catalog_read_lock(orb_db *db) { pthread_rwlock_rdlock(&db->cat); }
void orb_db_catalog_read_unlock(orb_db *db) { pthread_rwlock_unlock(&db->cat); }
void db_catalog_lock(orb_db *db) { pthread_rwlock_wrlock(&db->cat); }
void db_catalog_unlock(orb_db *db) {
  atomic_fetch_add(&db->catalog_version, 1);   /* every change of table definitions passes here */
  pthread_rwlock_unlock(&db->cat);
}
uint64_t orb_db_catalog_version(orb_db *db) { return atomic_load(&db->catalog_version); }

/* --- DDL --------------------------------------------------------------- */

static orb_status check_schema(const char *name, const orb_schema *s, orb_err *e) {
  if (s->ncols < 1) return orb_err_set(e, ORB_ERR_SYNTAX, "table \"%s\" must have at least one column", name);
  for (int i = 0; i < s->ncols; i++) {
    if (s->cols[i].field_id <= 0 || s->cols[i].field_id >= s->next_field_id)
      return orb_err_set(e, ORB_ERR_INTERNAL, "column \"%s\" has field id %d outside 1..%d", s->cols[i].name,
                         s->cols[i].field_id, s->next_field_id - 1);
    orb_type ct = s->cols[i].type;
    if (ct.id == ORB_T_NULL || ct.id >= ORB_T__COUNT ||
        (ct.id == ORB_T_ARRAY && !orb_type_is_storable_elem((orb_type_id)ct.elem)))   /* arrays of scalars only */
      return orb_err_set(e, ORB_ERR_INTERNAL, "column \"%s\" has no storable type", s->cols[i].name);
    for (int j = 0; j < i; j++) {
      if (s->cols[j].field_id == s->cols[i].field_id)
        return orb_err_set(e, ORB_ERR_INTERNAL, "columns \"%s\" and \"%s\" share field id %d", s->cols[j].name,
                           s->cols[i].name, s->cols[i].field_id);
      if (strcmp(s->cols[j].name, s->cols[i].name) == 0)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" specified more than once",
                            s->cols[i].name);
    }
  }
  for (int i = 0; i < s->npk; i++)
    if (orb_schema_find_id(s, s->pk[i]) < 0)
      return orb_err_set(e, ORB_ERR_INTERNAL, "primary key names field id %d, which is not a column", s->pk[i]);
  for (int k = 0; k < s->nindexes; k++)
    for (int i = 0; i < s->indexes[k].ncols; i++)
      if (orb_schema_find_id(s, s->indexes[k].cols[i]) < 0)
        return orb_err_set(e, ORB_ERR_INTERNAL, "index \"%s\" names field id %d, which is not a column",
                           s->indexes[k].name, s->indexes[k].cols[i]);
  return ORB_OK;
}

/* A row entering a table being rebuilt with unique indexes: its key in
** each not seen yet (CREATE UNIQUE INDEX / ADD UNIQUE on existing rows). */
static orb_status check_new_unique(const orb_schema *ns, hot_tier *nh, const orb_value *row, orb_err *e) {
  for (int k = 0; k < ns->nindexes; k++) {
    const orb_index *ix = &ns->indexes[k];
    if (!ix->unique) continue;
    bool taken = false;
    uint64_t other;
    orb_status st = hot_sidx_taken(nh, NULL, k, row, UINT64_MAX, &taken, &other, e);
    if (st != ORB_OK) return st;
    if (!taken) continue;
    orb_buf cols = ORB_BUF_INIT, vals = ORB_BUF_INIT;
    for (int i = 0; i < ix->ncols; i++) {
      int c = orb_schema_find_id(ns, ix->cols[i]);
      if (i) orb_buf_puts(&cols, ", "), orb_buf_puts(&vals, ", ");
      orb_buf_puts(&cols, ns->cols[c].name);
      if (row[c].isnull) orb_buf_puts(&vals, "null");
      else orb_value_to_text(&row[c], &vals);
    }
    st = orb_err_setx(e, ORB_ERR_UNIQUE, "23505", 0, "could not create unique index \"%s\"", ix->name);
    orb_err_detail(e, "Key (%s)=(%s) is duplicated.", cols.data ? cols.data : "", vals.data ? vals.data : "");
    orb_buf_free(&cols);
    orb_buf_free(&vals);
    return st;
  }
  return ORB_OK;
}

static void redo_ddl_head(orb_wset *ws, int op, uint32_t id) {
  orb_buf_put_u8(&ws->redo, (uint8_t)op);
  orb_buf_put_varint(&ws->redo, id);
}

static void put_str(orb_buf *b, const char *s) { orb_buf_put_bytes(b, s, strlen(s)); }

orb_status db_create_table_id(orb_db *db, orb_wset *ws, uint32_t id, const char *name, const orb_schema *schema,
                              orb_table_kind kind, const char *location, orb_table **out, orb_err *e) {
  if (orb_db_table(db, name))
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", name);
  orb_status st = check_schema(name, schema, e);
  if (st != ORB_OK) return st;
  if (kind != ORB_TABLE_HOT && (!location || !*location))
    return orb_err_set(e, ORB_ERR_INTERNAL, "%s \"%s\" has no %s", kind == ORB_TABLE_VIEW ? "view" : "Iceberg table", name,
                       kind == ORB_TABLE_VIEW ? "query" : "location");
  if (kind == ORB_TABLE_SEQUENCE) {
    orb_sequence probe;
    orb_status sq = orb_seq_parse(location, &probe, e);
    pthread_mutex_destroy(&probe.mu);
    if (sq != ORB_OK) return sq;
  }
  orb_table *t = db_table_new(id, name, schema, kind, location);
  db_catalog_lock(db);
  db_table_add(db, t);
  db_catalog_unlock(db);
  if (wset_logging(ws)) {
    /* ordinary tables keep the record they always had, so old logs and new
    ** ones read alike; Iceberg tables add their kind and location */
    redo_ddl_head(ws, kind == ORB_TABLE_HOT ? REDO_CREATE : REDO_CREATE_ICEBERG, id);
    put_str(&ws->redo, name);
    char *js = catalog_schema_dump(schema);
    put_str(&ws->redo, js);
    orb_free(js);
    if (kind != ORB_TABLE_HOT) {
      orb_buf_put_u8(&ws->redo, (uint8_t)kind);
      put_str(&ws->redo, location);
    }
  }
  wset_push(ws, U_CREATE, t, 0, NULL, NULL);
  if (out) *out = t;
  return ORB_OK;
}

orb_status orb_db_create_table(orb_db *db, orb_wset *ws, const char *name, const orb_schema *schema,
                               orb_table **out, orb_err *e) {
  if (!*name) return orb_err_set(e, ORB_ERR_SYNTAX, "table name is empty");
  return db_create_table_id(db, ws, db->next_table_id, name, schema, ORB_TABLE_HOT, NULL, out, e);
}

orb_status orb_db_create_iceberg_table(orb_db *db, orb_wset *ws, const char *name, const orb_schema *schema,
                                       orb_table_kind kind, const char *location, orb_table **out, orb_err *e) {
  if (!*name) return orb_err_set(e, ORB_ERR_SYNTAX, "table name is empty");
  if (kind == ORB_TABLE_HOT) return orb_err_set(e, ORB_ERR_MISUSE, "not an Iceberg table kind");
  return db_create_table_id(db, ws, db->next_table_id, name, schema, kind, location, out, e);
}

orb_status orb_db_create_view(orb_db *db, orb_wset *ws, const char *name, const orb_schema *schema, const char *query,
                              orb_table **out, orb_err *e) {
  if (!*name) return orb_err_set(e, ORB_ERR_SYNTAX, "view name is empty");
  return db_create_table_id(db, ws, db->next_table_id, name, schema, ORB_TABLE_VIEW, query, out, e);
}

orb_status orb_db_create_sequence(orb_db *db, orb_wset *ws, const char *name, orb_sequence *opts, orb_table **out,
                                  orb_err *e) {
  if (!*name) return orb_err_set(e, ORB_ERR_SYNTAX, "sequence name is empty");
  orb_status st = orb_seq_check(opts, name, e);
  if (st != ORB_OK) return st;
  opts->last = opts->start;
  opts->called = false;
  char *js = orb_seq_json(opts);
  orb_schema s;   /* PostgreSQL's columns of a sequence relation */
  orb_schema_init(&s);
  orb_schema_add_column(&s, "last_value", orb_type_make(ORB_T_INT64), true, NULL);
  orb_schema_add_column(&s, "log_cnt", orb_type_make(ORB_T_INT64), true, NULL);
  orb_schema_add_column(&s, "is_called", orb_type_make(ORB_T_BOOL), true, NULL);
  st = db_create_table_id(db, ws, db->next_table_id, name, &s, ORB_TABLE_SEQUENCE, js, out, e);
  orb_schema_free(&s);
  orb_free(js);
  return st;
}

orb_status orb_db_alter_sequence(orb_db *db, orb_wset *ws, orb_table *t, const orb_sequence *opts, bool restart,
                                 orb_err *e) {
  (void)db;
  orb_sequence *s = t->seq;
  if (!s) return orb_err_set(e, ORB_ERR_INTERNAL, "\"%s\" is not a sequence", t->name);
  orb_status st = orb_seq_check(opts, t->name, e);
  if (st != ORB_OK) return st;
  orb_sequence *old = orb_malloc(sizeof *old);
  pthread_mutex_lock(&s->mu);
  if (!ws->replay && s->altered_by && s->altered_by != ws->xid) {
    uint64_t x = s->altered_by;
    pthread_mutex_unlock(&s->mu);
    orb_free(old);
    return wset_wait_for(ws, x, NULL, 0, e);   /* no row: no queue */
  }
  *old = *s;   /* the mutex is not copied for use: only the fields are read back */
  orb_seq_copy_options(s, opts);
  if (restart) {
    s->last = opts->last;
    s->called = false;
  }
  s->bound = s->last;
  s->bound_by = 0;   /* the next value logs a bound under the new options */
  if (!ws->replay) s->altered_by = ws->xid;
  pthread_mutex_unlock(&s->mu);
  if (wset_logging(ws)) {
    redo_ddl_head(ws, REDO_SEQ_ALTER, t->id);
    char *js = orb_seq_json(s);
    put_str(&ws->redo, js);
    orb_free(js);
    orb_buf_put_u8(&ws->redo, restart);
  }
  wset_push(ws, U_SEQ_ALTER, t, restart, old, NULL);
  return ORB_OK;
}

orb_status orb_db_drop_table(orb_db *db, orb_wset *ws, orb_table *t, orb_err *e) {
  (void)e;
  db_catalog_lock(db);
  db_table_remove(db, t);
  db_catalog_unlock(db);
  if (wset_logging(ws)) redo_ddl_head(ws, REDO_DROP, t->id);
  wset_push(ws, U_DROP, t, 0, NULL, NULL);
  return ORB_OK;
}

orb_status orb_db_rename_table(orb_db *db, orb_wset *ws, orb_table *t, const char *new_name, orb_err *e) {
  if (!*new_name) return orb_err_set(e, ORB_ERR_SYNTAX, "table name is empty");
  orb_table *other = orb_db_table(db, new_name);
  if (other == t) return ORB_OK;
  if (other) return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", 0, "relation \"%s\" already exists", new_name);
  db_catalog_lock(db);
  db_table_remove(db, t);
  char *old = t->name;
  t->name = orb_strdup(new_name);
  if (t->cold) cold_tier_rename(t->cold, t->name);
  db_table_add(db, t);
  db_catalog_unlock(db);
  if (wset_logging(ws)) {
    redo_ddl_head(ws, REDO_RENAME, t->id);
    put_str(&ws->redo, new_name);
  }
  wset_push(ws, U_RENAME, t, 0, old, NULL);
  return ORB_OK;
}

static bool same_family(uint8_t a, uint8_t b) {
  if (a == b) return true;
  if (orb_type_is_integer((orb_type_id)a) && orb_type_is_integer((orb_type_id)b)) return true;
  if (orb_type_is_float((orb_type_id)a) && orb_type_is_float((orb_type_id)b)) return true;
  return false;
}

/* A row entering a new primary key: key columns not NULL, key not seen yet. */
static orb_status check_new_key(const orb_table *t, const orb_schema *ns, hot_tier *nh, const orb_value *row,
                                orb_err *e) {
  orb_buf cols = ORB_BUF_INIT, vals = ORB_BUF_INIT;
  orb_status st = ORB_OK;
  for (int k = 0; k < ns->npk && st == ORB_OK; k++) {
    int c = orb_schema_pk_col(ns, k);
    if (row[c].isnull)
      st = orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0, "column \"%s\" of relation \"%s\" contains null values",
                        ns->cols[c].name, t->name);
  }
  uint64_t other;
  bool taken = false;
  if (st == ORB_OK) st = hot_key_taken(nh, NULL, row, UINT64_MAX, &taken, &other, e);
  if (st == ORB_OK && taken) {
    for (int k = 0; k < ns->npk; k++) {
      int c = orb_schema_pk_col(ns, k);
      if (k) orb_buf_puts(&cols, ", "), orb_buf_puts(&vals, ", ");
      orb_buf_puts(&cols, ns->cols[c].name);
      orb_value_to_text(&row[c], &vals);
    }
    st = orb_err_setx(e, ORB_ERR_UNIQUE, "23505", 0, "could not create unique index \"%s_pkey\"", t->name);
    orb_err_detail(e, "Key (%s)=(%s) is duplicated.", cols.data ? cols.data : "", vals.data ? vals.data : "");
  }
  orb_buf_free(&cols);
  orb_buf_free(&vals);
  return st;
}

/* The old field id a new schema's field stands for: itself, or the column
** it replaces (ALTER COLUMN ... TYPE). */
static int32_t old_field_id(const orb_schema *ns, const orb_alter_conv *conv, int32_t id) {
  if (!conv) return id;
  int c = orb_schema_find_id(ns, id);
  return c >= 0 && conv->replaces[c] ? conv->replaces[c] : id;
}

orb_status db_alter_table_int(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *ns, const orb_value *fill,
                              const orb_alter_conv *conv, orb_err *e) {
  (void)db;
  const orb_schema *os = &t->schema;
  orb_status st = orb_table_check_writable(t, "alter", e);
  if (st != ORB_OK) return st;
  st = check_schema(t->name, ns, e);
  if (st != ORB_OK) return st;
  bool pk_same = ns->npk == os->npk, pk_retyped = false;
  for (int i = 0; pk_same && i < ns->npk; i++) {
    pk_same = old_field_id(ns, conv, ns->pk[i]) == os->pk[i];
    pk_retyped |= ns->pk[i] != os->pk[i];
  }
  /* a table without a key may get one (ALTER TABLE ADD PRIMARY KEY); an
  ** existing key stays, though its columns may change type */
  bool pk_added = os->npk == 0 && ns->npk > 0;
  if (!pk_same && !pk_added)
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "changing the primary key of \"%s\" is not supported", t->name);
  bool pk_check = pk_added || pk_retyped;
  hot_tier *oh = hot_of(t->hot);
  int n = ns->ncols;
  int *from = orb_malloc(sizeof(int) * (size_t)n);   /* old position of each new column, -1 = new */
  bool *is_new = orb_calloc((size_t)n, sizeof(bool));
  orb_value *fv = orb_malloc(sizeof(orb_value) * (size_t)n);
  orb_arena a;
  orb_arena_init(&a, 1024);
  for (int i = 0; i < n && st == ORB_OK; i++) {
    from[i] = orb_schema_find_id(os, ns->cols[i].field_id);
    fv[i] = orb_null((orb_type_id)ns->cols[i].type.id);
    if (from[i] >= 0) {
      /* an owned Iceberg table's rows are in Iceberg, read by field id and
      ** cast to the catalog's type (cold_tier.h); its hot tier is empty */
      if (os->cols[from[i]].type.id != ns->cols[i].type.id && t->kind != ORB_TABLE_ICEBERG)
        st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "changing the type of column \"%s\" is not supported",
                         ns->cols[i].name);
      continue;
    }
    if (ns->cols[i].field_id < os->next_field_id)
      st = orb_err_set(e, ORB_ERR_INTERNAL, "new column \"%s\" reuses field id %d", ns->cols[i].name,
                       ns->cols[i].field_id);
    is_new[i] = true;
    if (fill && !fill[i].isnull) {
      if (same_family(fill[i].type, ns->cols[i].type.id)) fv[i] = fill[i];
      else st = orb_value_cast(&fill[i], ns->cols[i].type, &a, &fv[i], e);
    }
    if (st == ORB_OK && !conv && fv[i].isnull && ns->cols[i].not_null && hot_live_rows(oh) > 0)
      st = orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0, "column \"%s\" of relation \"%s\" contains null values",
                        ns->cols[i].name, t->name);
  }
  if (st == ORB_OK) {
    /* rewrite every row into a new tier; the old one stays intact for undo */
    hot_tier *nh = hot_tier_new(t->id, ns);
    orb_value *tmp = orb_malloc(sizeof(orb_value) * (size_t)n);
    orb_arena ra;   /* one row's converted values */
    orb_arena_init(&ra, 1024);
    orb_buf conv_rows = ORB_BUF_INIT;   /* their log: varint slot + the new columns, per row */
    uint64_t nconv = 0;
    /* DDL runs alone (the gate): everything committed plus ws's own changes */
    orb_snapshot now = {db->cseq, ws->xid, NULL, 0};
    for (uint64_t r = 0; r < hot_slots(oh) && st == ORB_OK; r++) {
      const orb_value *row = hot_row_visible(oh, r, &now);
      if (!row) continue;
      for (int i = 0; i < n; i++) tmp[i] = from[i] >= 0 ? row[from[i]] : fv[i];
      if (conv) {
        orb_arena_reset(&ra);
        if ((st = conv->row(conv->ctx, row, tmp, &ra, e)) != ORB_OK) break;
        orb_buf_put_varint(&conv_rows, r);
        rowcodec_put(&conv_rows, ns, tmp, is_new);
        nconv++;
      }
      for (int i = 0; i < n && st == ORB_OK; i++)   /* SET NOT NULL, a retyped NOT NULL column: the rows obey it */
        if (tmp[i].isnull && ns->cols[i].not_null && (from[i] < 0 ? conv != NULL : !os->cols[from[i]].not_null))
          st = orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0, "column \"%s\" of relation \"%s\" contains null values",
                            ns->cols[i].name, t->name);
      if (st != ORB_OK) break;
      if (pk_check) st = check_new_key(t, ns, nh, tmp, e);
      if (st == ORB_OK && ns->nindexes) st = check_new_unique(ns, nh, tmp, e);
      if (st == ORB_OK) st = hot_insert_one(nh, NULL, tmp, (int64_t)r, NULL, e);
    }
    orb_free(tmp);
    orb_arena_free(&ra);
    if (st != ORB_OK || !wset_logging(ws)) orb_buf_free(&conv_rows);
    if (st != ORB_OK) {
      hot_tier_free(nh);
    } else {
      if (wset_logging(ws)) {
        redo_ddl_head(ws, conv ? REDO_ALTER_CONV : REDO_ALTER, t->id);
        char *js = catalog_schema_dump(ns);
        put_str(&ws->redo, js);
        orb_free(js);
        if (conv) {
          orb_buf_put_varint(&ws->redo, (uint64_t)n);
          for (int i = 0; i < n; i++) orb_buf_put_varint(&ws->redo, (uint64_t)(uint32_t)conv->replaces[i]);
          orb_buf_put_varint(&ws->redo, nconv);
          orb_buf_append(&ws->redo, conv_rows.data, conv_rows.len);
          orb_buf_free(&conv_rows);
        } else {
          rowcodec_put(&ws->redo, ns, fv, is_new);
        }
      }
      orb_schema *old = orb_malloc(sizeof *old);
      db_catalog_lock(db);
      *old = t->schema;
      orb_schema_copy(&t->schema, ns);
      t->hot = hot_base(nh);
      if (t->cold) cold_tier_set_schema(t->cold, ns);
      db_catalog_unlock(db);
      wset_push(ws, U_ALTER, t, 0, old, oh);
    }
  }
  orb_arena_free(&a);
  orb_free(fv);
  orb_free(is_new);
  orb_free(from);
  return st;
}

orb_status orb_db_alter_table(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *new_schema,
                              const orb_value *fill, orb_err *e) {
  return db_alter_table_int(db, ws, t, new_schema, fill, NULL, e);
}

orb_status orb_db_alter_table_conv(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *new_schema,
                                   const orb_alter_conv *conv, orb_err *e) {
  return db_alter_table_int(db, ws, t, new_schema, NULL, conv, e);
}

orb_status orb_db_alter_iceberg(orb_db *db, orb_wset *ws, orb_table *t, const cold_alter *c, orb_err *e) {
  if (t->kind != ORB_TABLE_ICEBERG || !t->location)
    return orb_err_set(e, ORB_ERR_MISUSE, "\"%s\" is not one of the database's own Iceberg tables", t->name);
  orb_schema ns;
  /* Iceberg first: the truth (cold_tier.h); the catalog follows.  In a
  ** transaction block the change waits for COMMIT in the table's stage */
  orb_status st = orb_wset_is_block(ws) ? cold_tier_alter_staged(t->cold, ws, c, &ns, e)
                                        : cold_table_alter(t->location, c, &t->schema, &ns, e);
  if (st != ORB_OK) return st;
  if (!orb_schema_same(&ns, &t->schema)) st = db_alter_table_int(db, ws, t, &ns, NULL, NULL, e);
  orb_schema_free(&ns);
  return st;
}

void db_reconcile_iceberg(orb_db *db) {
  for (int i = 0; i < db->ntables; i++) {
    orb_table *t = db->tables[i];
    if (t->kind != ORB_TABLE_ICEBERG || !t->location) continue;
    orb_schema ns;
    bool changed = false;
    orb_err e;
    orb_err_clear(&e);
    /* a table whose files cannot be read now keeps its catalog columns: its
    ** scans will name what is wrong */
    if (cold_schema_reconcile(t->location, &t->schema, &ns, &changed, &e) == ORB_OK && changed &&
        check_schema(t->name, &ns, &e) == ORB_OK) {
      hot_tier *old = hot_of(t->hot);
      orb_schema_free(&t->schema);
      orb_schema_copy(&t->schema, &ns);
      t->hot = hot_base(hot_tier_new(t->id, &ns));
      hot_tier_free(old);
      cold_tier_set_schema(t->cold, &ns);
    }
    orb_schema_free(&ns);
  }
}

/* --- open / close --------------------------------------------------------- */

static void db_free(orb_db *db) {
  for (int i = 0; i < db->ntables; i++) db_table_free(db->tables[i]);
  orb_free(db->tables);
  orb_free(db->running);
  orb_free(db->snaps);
  orb_free(db->gc);
  orb_buf_free(&db->spare_redo);
  orb_free(db->spare_undo);
  db_intents_free(db);
  if (db->lock_fd >= 0) close(db->lock_fd);   /* releases the flock */
  pthread_rwlock_destroy(&db->latch);
  pthread_mutex_destroy(&db->gate_mu);
  pthread_cond_destroy(&db->gate_cv);
  pthread_mutex_destroy(&db->txmu);
  pthread_mutex_destroy(&db->vis_mu);
  orb_free(db->vis_pending);
  pthread_rwlock_destroy(&db->cat);
  pthread_mutex_destroy(&db->ckpt_mu);
  orb_free(db->path);
  orb_free(db->wal_dir);
  orb_free(db);
}

orb_status orb_db_open(const char *path, const orb_db_options *o, orb_db **out, orb_err *e) {
  *out = NULL;
  orb_db_options opt;
  orb_db_options_init(&opt);
  if (o) opt = *o;
  if (opt.sync_interval_ms <= 0) opt.sync_interval_ms = 200;
  if (opt.checkpoint_wal_bytes < 0) opt.checkpoint_wal_bytes = 0;
  if (!orb_path_exists(path)) {
    if (!opt.create_if_missing)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "3D000", 0, "database \"%s\" does not exist", path);
  }
  orb_status st = orb_mkdir_p(path, e);
  if (st != ORB_OK) return st;
  orb_db *db = orb_calloc(1, sizeof *db);
  db->path = orb_strdup(path);
  size_t n = strlen(path) + 8;
  db->wal_dir = orb_malloc(n);
  snprintf(db->wal_dir, n, "%s/wal", path);
  db->opt = opt;
  db->next_table_id = 1;
  /* writers first: a waiting writing statement or DDL is not starved by a stream of readers */
  pthread_rwlockattr_t wf;
  pthread_rwlockattr_init(&wf);
  pthread_rwlockattr_setkind_np(&wf, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&db->latch, &wf);
  pthread_mutex_init(&db->gate_mu, NULL);
  pthread_cond_init(&db->gate_cv, NULL);
  pthread_rwlockattr_destroy(&wf);
  pthread_mutex_init(&db->txmu, NULL);
  pthread_mutex_init(&db->vis_mu, NULL);
  pthread_rwlock_init(&db->cat, NULL);
  pthread_mutex_init(&db->ckpt_mu, NULL);
  char lockp[4096];
  snprintf(lockp, sizeof lockp, "%s/LOCK", path);
  db->lock_fd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (db->lock_fd < 0) {
    st = orb_err_set(e, ORB_ERR_IO, "could not open lock file \"%s\": %s", lockp, strerror(errno));
    goto fail;
  }
  if (flock(db->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      st = orb_err_setx(e, ORB_ERR_MISUSE, "55006", 0, "database \"%s\" is already open in another process", path);
    else
      st = orb_err_set(e, ORB_ERR_IO, "could not lock \"%s\": %s", lockp, strerror(errno));
    goto fail;
  }
  if ((st = orb_mkdir_p(db->wal_dir, e)) != ORB_OK) goto fail;
  if ((st = db_recover(db, e)) != ORB_OK) goto fail;
  *out = db;
  return ORB_OK;
fail:
  db_free(db);
  return st;
}

/* On a clean close, each sequence's exact value, so that reopening goes on
** from it rather than from its last logged bound (storage/sequence.h). */
static void log_sequences(orb_db *db) {
  orb_buf b = ORB_BUF_INIT;
  for (int i = 0; i < db->ntables; i++) {
    orb_table *t = db->tables[i];
    if (t->kind != ORB_TABLE_SEQUENCE || !t->seq || !t->seq->called) continue;
    orb_buf_put_u8(&b, (uint8_t)REDO_SEQUENCE);
    orb_buf_put_varint(&b, t->id);
    orb_buf_put_u64(&b, (uint64_t)t->seq->last);
    orb_buf_put_u8(&b, 1);
  }
  orb_err ig;
  orb_err_clear(&ig);
  if (b.len && db->wal && !wal_failed(db->wal, &ig)) wal_append(db->wal, ++db->last_lsn, b.data, b.len);
  orb_buf_free(&b);
}

void orb_db_close(orb_db *db) {
  if (!db) return;
  orb_err e;
  orb_err_clear(&e);
  log_sequences(db);
  if (db->wal && wal_close(db->wal, &e) != ORB_OK)
    fprintf(stderr, "orbit: closing database \"%s\": %s\n", db->path, e.msg);
  db->wal = NULL;
  db_free(db);
}

/* --- checkpoint entry points ---------------------------------------------- */

static orb_status checkpoint(orb_db *db, bool only_if_needed, orb_err *e) {
  pthread_mutex_lock(&db->ckpt_mu);
  db_latch_exclusive(db);
  orb_status st = ORB_OK;
  if (!only_if_needed || wal_segment_bytes(db->wal) > db->opt.checkpoint_wal_bytes) st = db_checkpoint_locked(db, e);
  pthread_rwlock_unlock(&db->latch);
  pthread_mutex_unlock(&db->ckpt_mu);
  return st;
}

orb_status orb_db_checkpoint(orb_db *db, orb_err *e) { return checkpoint(db, false, e); }
orb_status orb_db_checkpoint_if_needed(orb_db *db, orb_err *e) { return checkpoint(db, true, e); }
