/* storage/cold/cold_evolve.c — ALTER TABLE of the database's own Iceberg
** tables: the change committed to the Iceberg metadata, and the catalog's
** columns derived from (and reconciled with) that metadata (see
** cold_tier.h). */
#include "storage/cold/cold_tier.h"
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_evolve.h"
#include "storage/cold/ice_manifest_merge.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_write.h"
#include "base/buf.h"
#include "base/mem.h"
#include "types/value.h"

#include <stdio.h>
#include <string.h>

/* Whether SQL type `to` holds every value of `from` exactly: the catalog
** side of a type change (the Iceberg side is ice_type_promotable). */
static bool sql_widens(orb_type from, orb_type to) {
  if (from.id == to.id) {
    if (from.id == ORB_T_TEXT) return to.maxlen == 0 || (from.maxlen > 0 && to.maxlen >= from.maxlen);
    if (from.id == ORB_T_DECIMAL) return to.scale == from.scale && to.precision >= from.precision;
    return true;
  }
  if (from.id == ORB_T_INT16) return to.id == ORB_T_INT32 || to.id == ORB_T_INT64;
  if (from.id == ORB_T_INT32) return to.id == ORB_T_INT64;
  return from.id == ORB_T_FLOAT32 && to.id == ORB_T_FLOAT64;
}

static const char *sql_name(orb_type t, orb_buf *b) {
  orb_buf_reset(b);
  orb_type_format_sql(t, b);
  orb_buf_putc(b, '\0');
  return (const char *)b->data;
}

/* --- the catalog's columns from the Iceberg schema --------------------------- */

static orb_status schema_from_meta(const ice_meta *m, const orb_schema *cat, orb_schema *out, orb_err *e) {
  orb_schema_init(out);
  const ice_schema *is = ice_meta_current_schema(m);
  if (!is) return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: the table's current schema is missing");
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_column *cols;
  int n;
  orb_status st = ice_columns(&a, is, &cols, &n, e);
  if (st != ORB_OK) {
    orb_arena_free(&a);
    return st;
  }
  out->cols = orb_calloc((size_t)n + 1, sizeof(orb_column));
  int32_t maxid = m->last_column_id;
  for (int i = 0; i < n; i++) {
    orb_column *c = &out->cols[out->ncols++];
    int k = orb_schema_find_id(cat, cols[i].field_id);
    ice_type it;
    orb_err ignore;
    orb_err_clear(&ignore);
    bool keep = k >= 0 && ice_type_from_sql(&a, cat->cols[k].name, cat->cols[k].type, &it, &ignore) == ORB_OK;
    if (keep && it.kind == ICE_LIST && cols[i].itype->kind == ICE_LIST) {   /* the element's id is the table's */
      it.element_id = cols[i].itype->element_id;
      it.element_required = cols[i].itype->element_required;
    }
    keep = keep && ice_type_equal(&it, cols[i].itype);
    c->name = orb_strdup(cols[i].name);
    c->field_id = cols[i].field_id;
    c->type = keep ? cat->cols[k].type : cols[i].type;
    c->not_null = is->fields[i].required;
    c->default_sql = k >= 0 && cat->cols[k].default_sql ? orb_strdup(cat->cols[k].default_sql) : NULL;
    if (c->field_id > maxid) maxid = c->field_id;
  }
  /* identifier-field-ids are the primary key when each is a column here */
  bool key_ok = is->nidentifier > 0;
  for (int k = 0; key_ok && k < is->nidentifier; k++) key_ok = orb_schema_find_id(out, is->identifier_ids[k]) >= 0;
  if (key_ok) {
    out->pk = orb_calloc((size_t)is->nidentifier, sizeof(int32_t));
    for (int k = 0; k < is->nidentifier; k++) out->pk[out->npk++] = is->identifier_ids[k];
  }
  out->next_field_id = maxid + 1 > cat->next_field_id ? maxid + 1 : cat->next_field_id;
  orb_arena_free(&a);
  return ORB_OK;
}

orb_status cold_schema_reconcile(const char *dir, const orb_schema *catalog, orb_schema *out, bool *changed,
                                 orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file f;
  *changed = false;
  orb_schema_init(out);
  /* the current schema is all it needs: not the table's history (a
  ** database opens reconciling every owned table) */
  orb_status st = ice_find_current(&a, dir, &f, e);
  if (st == ORB_OK) st = ice_meta_read_file_current(&a, f.path, &m, e);
  if (st == ORB_OK) st = schema_from_meta(&m, catalog, out, e);
  if (st == ORB_OK) *changed = !orb_schema_same(out, catalog);
  orb_arena_free(&a);
  return st;
}

/* --- the change ------------------------------------------------------------------ */

typedef struct alter_ctx {
  const cold_alter *c;
  int32_t field_id;              /* the column's id in the committed schema */
} alter_ctx;

orb_status cold_check_properties(const ice_kv *props, int nprops, orb_err *e) {
  ice_meta m;
  memset(&m, 0, sizeof m);
  m.properties = (ice_kv *)props;
  m.nproperties = nprops;
  ice_merge_policy mp;
  ice_retry rp;
  int64_t x;
  orb_status st = ice_merge_policy_of(&m, &mp, e);
  if (st == ORB_OK) st = ice_retry_init(&rp, &m, -1, e);
  static const char *const numbers[] = {"write.target-file-size-bytes", "history.expire.max-snapshot-age-ms",
                                        "history.expire.min-snapshots-to-keep", "history.expire.max-ref-age-ms",
                                        "write.metadata.previous-versions-max"};
  for (size_t i = 0; st == ORB_OK && i < sizeof numbers / sizeof numbers[0]; i++)
    st = ice_prop_i64(&m, numbers[i], 1, 0, &x, e);
  if (st != ORB_OK) snprintf(e->sqlstate, sizeof e->sqlstate, "22023");   /* invalid_parameter_value */
  return st;
}

/* Table properties set (or removed: a NULL value) on top of base's; the
** ones the engine reads must still parse (a bad value is refused here,
** not at the next commit). */
static orb_status set_properties(orb_arena *a, const ice_meta *base, const cold_alter *c, ice_meta *next, orb_err *e) {
  ice_kv *p = orb_arena_zalloc(a, sizeof *p * (size_t)(base->nproperties + c->nprops + 1));
  int n = 0;
  for (int i = 0; i < base->nproperties; i++) {
    bool changed = false;
    for (int k = 0; k < c->nprops && !changed; k++) changed = strcmp(base->properties[i].key, c->prop_keys[k]) == 0;
    if (!changed) p[n++] = base->properties[i];
  }
  for (int k = 0; k < c->nprops; k++) {
    if (!*c->prop_keys[k]) return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", 0, "a table property needs a name");
    bool later = false;   /* a key given twice: the last one wins */
    for (int j = k + 1; j < c->nprops && !later; j++) later = strcmp(c->prop_keys[j], c->prop_keys[k]) == 0;
    if (!later && c->prop_values[k])
      p[n].key = orb_arena_strdup(a, c->prop_keys[k]), p[n].value = orb_arena_strdup(a, c->prop_values[k]), n++;
  }
  next->properties = p;
  next->nproperties = n;
  return cold_check_properties(p, n, e);
}

static orb_status alter_edit(void *ctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  alter_ctx *x = ctx;
  const cold_alter *c = x->c;
  if (c->kind == COLD_SET_PROPERTIES) return set_properties(a, base, c, next, e);
  ice_schema_change sc;
  memset(&sc, 0, sizeof sc);
  sc.field_id = c->field_id;
  sc.name = c->name;
  orb_status st;
  switch (c->kind) {
  case COLD_ADD_COLUMN:
    sc.op = ICE_ADD_COLUMN;
    if ((st = ice_type_from_sql(a, c->name, c->type, &sc.type, e)) != ORB_OK) return st;
    break;
  case COLD_DROP_COLUMN: sc.op = ICE_DROP_COLUMN; break;
  case COLD_RENAME_COLUMN: sc.op = ICE_RENAME_COLUMN; break;
  case COLD_SET_TYPE: {
    sc.op = ICE_UPDATE_TYPE;
    const ice_schema *s = ice_meta_current_schema(base);
    const char *name = "?";
    for (int i = 0; s && i < s->nfields; i++)
      if (s->fields[i].id == c->field_id) name = s->fields[i].name;
    if ((st = ice_type_from_sql(a, name, c->type, &sc.type, e)) != ORB_OK) return st;
    break;
  }
  case COLD_DROP_NOT_NULL: sc.op = ICE_MAKE_OPTIONAL; break;
  case COLD_SET_NOT_NULL: sc.op = ICE_MAKE_REQUIRED; break;
  default: {
    static const ice_spec_op ops[] = {[COLD_ADD_PARTITION_FIELD] = ICE_SPEC_ADD_FIELD,
                                      [COLD_DROP_PARTITION_FIELD] = ICE_SPEC_DROP_FIELD,
                                      [COLD_REPLACE_PARTITION_FIELD] = ICE_SPEC_REPLACE_FIELD,
                                      [COLD_SET_PARTITION_SPEC] = ICE_SPEC_SET};
    if (c->kind < COLD_ADD_PARTITION_FIELD || c->kind > COLD_SET_PARTITION_SPEC)
      return orb_err_set(e, ORB_ERR_MISUSE, "cold_table_alter: unknown change %d", (int)c->kind);
    ice_spec_change pc = {ops[c->kind], c->term, c->with, c->as};
    return ice_spec_update(a, base, &pc, next, e);
  }
  }
  return ice_schema_update(a, base, &sc, next, &x->field_id, e);
}

orb_status cold_alter_apply(orb_arena *a, const ice_meta *base, const cold_alter *c, ice_meta *next, orb_err *e) {
  alter_ctx x = {c, c->field_id};
  *next = *base;
  return alter_edit(&x, a, base, next, e);
}

orb_status cold_alter_columns(const ice_meta *m, const cold_alter *c, const orb_schema *catalog, orb_schema *out,
                              orb_err *e) {
  orb_status st = schema_from_meta(m, catalog, out, e);
  if (st == ORB_OK && c->kind == COLD_SET_TYPE) {
    /* the SQL type asked for: Iceberg may not tell smallint from integer */
    int k = orb_schema_find_id(out, c->field_id);
    if (k >= 0) out->cols[k].type = c->type;
  }
  if (st != ORB_OK) orb_schema_free(out);
  return st;
}

orb_status cold_alter_check(const cold_alter *c, const orb_schema *catalog, orb_err *e) {
  if (c->kind == COLD_SET_TYPE) {
    int k = orb_schema_find_id(catalog, c->field_id);
    if (k < 0) return orb_err_set(e, ORB_ERR_UNDEFINED, "no column has field id %d", (int)c->field_id);
    if (!sql_widens(catalog->cols[k].type, c->type)) {
      orb_buf b1 = ORB_BUF_INIT, b2 = ORB_BUF_INIT;
      orb_err_setx(e, ORB_ERR_TYPE, "42804", 0,
                   "cannot change the type of column \"%s\" of an Iceberg table from %s to %s: only widening "
                   "changes (integer to bigint, real to double precision, a larger numeric precision) are allowed",
                   catalog->cols[k].name, sql_name(catalog->cols[k].type, &b1), sql_name(c->type, &b2));
      orb_buf_free(&b1);
      orb_buf_free(&b2);
      return e->code;
    }
  }
  return ORB_OK;
}

orb_status cold_table_alter(const char *dir, const cold_alter *c, const orb_schema *catalog, orb_schema *out,
                            orb_err *e) {
  orb_schema_init(out);
  orb_status st = cold_alter_check(c, catalog, e);
  if (st != ORB_OK) return st;
  orb_arena a;
  orb_arena_init(&a, 0);
  alter_ctx x = {c, c->field_id};
  ice_meta done;
  st = ice_meta_update(&a, dir, -1, alter_edit, &x, &done, e);
  if (st == ORB_OK) st = cold_alter_columns(&done, c, catalog, out, e);
  orb_arena_free(&a);
  return st;
}
