/* query/exec_cold.c — SHOW SNAPSHOTS t: the snapshots of an Iceberg table,
** oldest first, and SHOW TBLPROPERTIES t: its properties by key, read
** from its current metadata (storage/cold/ice_meta.h). */
#include "query/stmt_exec.h"
#include "storage/cold/ice_meta.h"

#include <stdlib.h>
#include <string.h>

static orb_value summary_count(const ice_snapshot *s, const char *key) {
  const char *v = ice_kv_get(s->summary, s->nsummary, key);
  char *end;
  long long n = v ? strtoll(v, &end, 10) : 0;
  if (!v || *end || end == v) return orb_null(ORB_T_INT64);
  return orb_int(ORB_T_INT64, n);
}

static int by_time(const void *x, const void *y) {
  const ice_snapshot *a = *(const ice_snapshot *const *)x, *b = *(const ice_snapshot *const *)y;
  if (a->timestamp_ms != b->timestamp_ms) return a->timestamp_ms < b->timestamp_ms ? -1 : 1;
  if (a->sequence_number != b->sequence_number) return a->sequence_number < b->sequence_number ? -1 : 1;
  return 0;
}

/* The table's current metadata, read into a (freed on failure; the
** error names the table). */
static orb_status open_meta(orb_arena *a, const char *where, const char *table, ice_meta *m, orb_err *e) {
  orb_arena_init(a, 0);
  ice_meta_file mf;
  orb_status st = ice_meta_open(a, where, m, &mf, e);
  if (st != ORB_OK) {
    orb_err_prefix(e, "table \"%s\": ", table);
    orb_arena_free(a);
  }
  return st;
}

orb_status oql_show_snapshots(const char *where, const char *table, orb_arena *xa, oql_op **rows, orb_err *e) {
  orb_arena a;
  ice_meta m;
  orb_status st = open_meta(&a, where, table, &m, e);
  if (st != ORB_OK) return st;
  orb_type tt[11];
  static const orb_type_id ids[] = {ORB_T_INT64, ORB_T_INT64, ORB_T_TIMESTAMPTZ, ORB_T_TEXT,  ORB_T_INT64, ORB_T_INT64,
                                    ORB_T_INT64, ORB_T_INT64, ORB_T_INT64,       ORB_T_INT64, ORB_T_BOOL};
  for (int i = 0; i < 11; i++) tt[i] = orb_type_make(ids[i]);
  oql_op *op = oql_rows_new(xa, 11, tt);
  const ice_snapshot **order = orb_arena_alloc(&a, sizeof(ice_snapshot *) * (size_t)(m.nsnapshots + 1));
  for (int i = 0; i < m.nsnapshots; i++) order[i] = &m.snapshots[i];
  qsort(order, (size_t)m.nsnapshots, sizeof *order, by_time);
  for (int i = 0; i < m.nsnapshots; i++) {
    const ice_snapshot *s = order[i];
    orb_value r[11];
    r[0] = orb_int(ORB_T_INT64, s->snapshot_id);
    r[1] = s->has_parent ? orb_int(ORB_T_INT64, s->parent_id) : orb_null(ORB_T_INT64);
    r[2] = orb_int(ORB_T_TIMESTAMPTZ, s->timestamp_ms * 1000);
    const char *opn = ice_kv_get(s->summary, s->nsummary, "operation");
    r[3] = opn ? orb_text(opn, strlen(opn)) : orb_null(ORB_T_TEXT);
    r[4] = orb_int(ORB_T_INT64, s->sequence_number);
    r[5] = summary_count(s, "added-records");
    r[6] = summary_count(s, "deleted-records");
    r[7] = summary_count(s, "total-records");
    r[8] = summary_count(s, "total-data-files");
    r[9] = summary_count(s, "total-delete-files");
    r[10] = orb_bool(s->snapshot_id == m.current_snapshot_id);
    oql_rows_add(op, xa, r);
  }
  orb_arena_free(&a);
  *rows = op;
  return ORB_OK;
}

static int by_key(const void *x, const void *y) {
  return strcmp(((const ice_kv *)x)->key, ((const ice_kv *)y)->key);
}

orb_status oql_show_tblproperties(const char *where, const char *table, orb_arena *xa, oql_op **rows, orb_err *e) {
  orb_arena a;
  ice_meta m;
  orb_status st = open_meta(&a, where, table, &m, e);
  if (st != ORB_OK) return st;
  orb_type tt[2] = {orb_type_make(ORB_T_TEXT), orb_type_make(ORB_T_TEXT)};
  oql_op *op = oql_rows_new(xa, 2, tt);
  ice_kv *kv = orb_arena_alloc(&a, sizeof *kv * (size_t)(m.nproperties + 1));
  if (m.nproperties) memcpy(kv, m.properties, sizeof *kv * (size_t)m.nproperties);
  qsort(kv, (size_t)m.nproperties, sizeof *kv, by_key);
  for (int i = 0; i < m.nproperties; i++) {
    orb_value r[2] = {orb_text(kv[i].key, strlen(kv[i].key)), orb_text(kv[i].value, strlen(kv[i].value))};
    oql_rows_add(op, xa, r);   /* copies the values into xa */
  }
  orb_arena_free(&a);
  *rows = op;
  return ORB_OK;
}
