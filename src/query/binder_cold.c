/* query/binder_cold.c — Iceberg tables as SQL tables: CREATE EXTERNAL TABLE
** (columns from the table's current schema), the read-only check of writes,
** time travel (FOR SYSTEM_TIME AS OF / FOR VERSION AS OF) and SHOW
** SNAPSHOTS.  The rows come from the cold tier (storage/cold/cold_tier.h);
** a time-travel read is the table's iceberg_scan at the chosen snapshot
** (exec_iceberg.c), which reads that snapshot's schema, as Spark and Trino
** do. */
#include "query/binder_int.h"
#include "storage/cold/ice_read.h"
#include "base/mem.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* --- CREATE EXTERNAL TABLE -------------------------------------------------- */

/* A path as the catalog keeps it: absolute, so that a server started in
** another folder reads the same table. */
static const char *absolute(orb_arena *a, const char *path) {
  char buf[PATH_MAX];
  if (path[0] == '/' || !realpath(path, buf)) return orb_arena_strdup(a, path);
  return orb_arena_strdup(a, buf);
}

orb_status oql_bind_external(oql_binder *b, const oql_create_ast *cr, oql_bstmt *out, orb_err *e) {
  const char *where = absolute(b->a, cr->location);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  ice_column *cols = NULL;
  int ncols = 0;
  orb_status st = ice_meta_open(&a, where, &m, &mf, e);
  const ice_schema *is = st == ORB_OK ? ice_meta_current_schema(&m) : NULL;
  if (st == ORB_OK) st = ice_columns(&a, is, &cols, &ncols, e);
  if (st == ORB_OK && ncols < 1) st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: table \"%s\" has no columns", where);
  if (st != ORB_OK) {
    if (!e->pos) e->pos = cr->location_pos;
    orb_arena_free(&a);
    return st;
  }
  orb_schema *s = out->schema;
  s->cols = orb_calloc((size_t)ncols, sizeof(orb_column));
  int32_t maxid = m.last_column_id;
  for (int i = 0; i < ncols; i++) {
    orb_column *c = &s->cols[s->ncols++];
    c->name = orb_strdup(cols[i].name);
    c->type = cols[i].type;
    c->field_id = cols[i].field_id;
    c->not_null = is->fields[i].required;
    if (c->field_id > maxid) maxid = c->field_id;
  }
  s->next_field_id = maxid + 1;
  /* identifier-field-ids are Iceberg's primary key: kept when every one is a
  ** top-level column of a type a key can have (not a struct shown as JSON) */
  bool key_ok = is->nidentifier > 0;
  for (int k = 0; key_ok && k < is->nidentifier; k++) {
    int c = orb_schema_find_id(s, is->identifier_ids[k]);
    key_ok = c >= 0 && !cols[c].nested && !orb_type_is_float((orb_type_id)s->cols[c].type.id);
  }
  if (key_ok) {
    s->pk = orb_calloc((size_t)is->nidentifier, sizeof(int32_t));
    for (int k = 0; k < is->nidentifier; k++) s->pk[s->npk++] = is->identifier_ids[k];
  }
  orb_arena_free(&a);
  for (int i = 0; i < s->ncols; i++)
    for (int j = 0; j < i; j++)
      if (strcmp(s->cols[i].name, s->cols[j].name) == 0)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", cr->location_pos,
                            "iceberg: table \"%s\" has two columns named \"%s\"", where, s->cols[i].name);
  out->path = where;
  out->create_kind = ORB_TABLE_EXTERNAL;
  return ORB_OK;
}

orb_status oql_binder_writable(oql_binder *b, const orb_table *t, const char *what, int pos, orb_err *e) {
  (void)b;
  orb_status st = orb_table_check_writable(t, what, e);
  if (st != ORB_OK && !e->pos) e->pos = pos;
  return st;
}

/* --- time travel ---------------------------------------------------------------- */

static orb_status const_value(oql_binder *b, orb_expr **x, orb_type t, const char *what, int pos, const orb_value **out,
                              orb_err *e) {
  orb_status st;
  if ((st = oql_coerce(b, x, t, e)) != ORB_OK || (st = oql_b_finish(b, x, e)) != ORB_OK) return st;
  if ((*x)->kind != ORB_E_CONST || (*x)->value.isnull)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", (*x)->pos ? (*x)->pos : pos, "%s needs a constant", what);
  *out = &(*x)->value;
  return ORB_OK;
}

static void format_ms(int64_t ms, orb_buf *out) {
  orb_value v = orb_null(ORB_T_TIMESTAMPTZ);
  v.isnull = 0;
  v.u.i = ms * 1000;
  orb_value_to_text(&v, out);
}

/* The snapshot current at time `us` (microseconds since the epoch), as
** ice_meta_snapshot_at finds it; errors when there is none. */
static orb_status snapshot_at(const ice_meta *m, const char *table, int64_t us, int pos, int64_t *id, orb_err *e) {
  int64_t ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
  int64_t first_ms;
  *id = ice_meta_snapshot_at(m, ms, &first_ms);
  if (*id >= 0 && !ice_meta_snapshot(m, *id))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "22023", pos,
                        "table \"%s\": the snapshot current at that time (%lld) has expired", table, (long long)*id);
  if (*id >= 0) return ORB_OK;
  orb_buf at = ORB_BUF_INIT, first = ORB_BUF_INIT;
  format_ms(ms, &at);
  orb_status st;
  if (first_ms == INT64_MAX) {
    st = orb_err_setx(e, ORB_ERR_UNDEFINED, "22023", pos, "table \"%s\" has no snapshots", table);
  } else {
    format_ms(first_ms, &first);
    st = orb_err_setx(e, ORB_ERR_UNDEFINED, "22023", pos,
                      "table \"%s\" has no snapshot at %s: its first snapshot was committed at %s", table,
                      at.data ? at.data : "", first.data ? first.data : "");
  }
  orb_buf_free(&at);
  orb_buf_free(&first);
  return st;
}

orb_status oql_from_iceberg_asof(oql_selctx *c, const char *location, const char *name, orb_expr *x,
                                 const oql_from_ast *f, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  int kind = f->asof_kind, pos = f->asof_pos;
  const char *what = kind == 1 ? "FOR SYSTEM_TIME AS OF" : "FOR VERSION AS OF";
  const orb_value *v = NULL;
  orb_status st = const_value(b, &x, orb_type_make(kind == 1 ? ORB_T_TIMESTAMPTZ : ORB_T_INT64), what, pos, &v, e);
  if (st != ORB_OK) return st;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  int64_t id = -1;
  st = ice_meta_open(&a, location, &m, &mf, e);
  if (st == ORB_OK) {
    if (kind == 1) {
      st = snapshot_at(&m, name, v->u.i, x->pos ? x->pos : pos, &id, e);
    } else if (!ice_meta_snapshot(&m, v->u.i)) {
      st = orb_err_setx(e, ORB_ERR_UNDEFINED, "22023", x->pos ? x->pos : pos, "table \"%s\" has no snapshot %lld", name,
                        (long long)v->u.i);
    } else {
      id = v->u.i;
    }
  }
  if (st == ORB_OK)
    st = oql_from_iceberg_meta(c, &m, location, id, f->alias ? f->alias : f->kind == OQL_FA_TABLE ? name : NULL,
                               f->colnames, f->ncolnames, out, e);
  if (st != ORB_OK && !e->pos) e->pos = pos;
  orb_arena_free(&a);
  return st;
}
