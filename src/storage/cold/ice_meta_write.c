/* storage/cold/ice_meta_write.c — the model as format-version 2 table
** metadata JSON (see ice_meta.h).  Keys are written in the order the Java
** reference implementation uses, so our files diff cleanly against theirs;
** keys the reader kept as text go back after the known ones. */
#include "storage/cold/ice_meta.h"
#include "base/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void put(json_t *o, const char *key, json_t *v) { json_object_set_new(o, key, v); }

static void put_extras(json_t *o, const ice_extras *x) {
  for (int i = 0; i < x->n; i++) {
    json_t *v = json_loads(x->items[i].json, JSON_DECODE_ANY, NULL);
    put(o, x->items[i].key, v ? v : json_null());
  }
}

static json_t *kv_object(const ice_kv *kv, int n) {
  json_t *o = json_object();
  for (int i = 0; i < n; i++) put(o, kv[i].key, json_string(kv[i].value));
  return o;
}

static json_t *type_json(const ice_type *t);

static json_t *fields_json(const ice_field *f, int n) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = json_object();
    put(o, "id", json_integer(f[i].id));
    put(o, "name", json_string(f[i].name));
    put(o, "required", json_boolean(f[i].required));
    put(o, "type", type_json(f[i].type));
    if (f[i].doc) put(o, "doc", json_string(f[i].doc));
    if (f[i].initial_default) {
      json_t *v = json_loads(f[i].initial_default, JSON_DECODE_ANY, NULL);
      put(o, "initial-default", v ? v : json_null());
    }
    if (f[i].write_default) {
      json_t *v = json_loads(f[i].write_default, JSON_DECODE_ANY, NULL);
      put(o, "write-default", v ? v : json_null());
    }
    put_extras(o, &f[i].extra);
    json_array_append_new(arr, o);
  }
  return arr;
}

static json_t *type_json(const ice_type *t) {
  json_t *o;
  orb_arena a;
  switch (t->kind) {
  case ICE_STRUCT:
    o = json_object();
    put(o, "type", json_string("struct"));
    put(o, "fields", fields_json(t->fields, t->nfields));
    break;
  case ICE_LIST:
    o = json_object();
    put(o, "type", json_string("list"));
    put(o, "element-id", json_integer(t->element_id));
    put(o, "element", type_json(t->element));
    put(o, "element-required", json_boolean(t->element_required));
    break;
  case ICE_MAP:
    o = json_object();
    put(o, "type", json_string("map"));
    put(o, "key-id", json_integer(t->key_id));
    put(o, "key", type_json(t->key));
    put(o, "value-id", json_integer(t->value_id));
    put(o, "value", type_json(t->value));
    put(o, "value-required", json_boolean(t->value_required));
    break;
  default:
    orb_arena_init(&a, 256);
    o = json_string(ice_type_name(&a, t));
    orb_arena_free(&a);
    return o;
  }
  put_extras(o, &t->extra);
  return o;
}

static json_t *schema_json(const ice_schema *s) {
  json_t *o = json_object();
  put(o, "type", json_string("struct"));
  put(o, "schema-id", json_integer(s->schema_id));
  if (s->has_identifier || s->nidentifier) {
    json_t *ids = json_array();
    for (int i = 0; i < s->nidentifier; i++) json_array_append_new(ids, json_integer(s->identifier_ids[i]));
    put(o, "identifier-field-ids", ids);
  }
  put(o, "fields", fields_json(s->fields, s->nfields));
  put_extras(o, &s->extra);
  return o;
}

static json_t *spec_json(const ice_partition_spec *s) {
  json_t *o = json_object(), *arr = json_array();
  put(o, "spec-id", json_integer(s->spec_id));
  for (int i = 0; i < s->nfields; i++) {
    const ice_partition_field *f = &s->fields[i];
    json_t *fo = json_object();
    put(fo, "name", json_string(f->name));
    put(fo, "transform", json_string(f->transform.text));
    put(fo, "source-id", json_integer(f->source_id));
    put(fo, "field-id", json_integer(f->field_id));
    put_extras(fo, &f->extra);
    json_array_append_new(arr, fo);
  }
  put(o, "fields", arr);
  put_extras(o, &s->extra);
  return o;
}

static json_t *sort_order_json(const ice_sort_order *s) {
  json_t *o = json_object(), *arr = json_array();
  put(o, "order-id", json_integer(s->order_id));
  for (int i = 0; i < s->nfields; i++) {
    const ice_sort_field *f = &s->fields[i];
    json_t *fo = json_object();
    put(fo, "transform", json_string(f->transform.text));
    put(fo, "source-id", json_integer(f->source_id));
    put(fo, "direction", json_string(f->descending ? "desc" : "asc"));
    put(fo, "null-order", json_string(f->nulls_first ? "nulls-first" : "nulls-last"));
    put_extras(fo, &f->extra);
    json_array_append_new(arr, fo);
  }
  put(o, "fields", arr);
  put_extras(o, &s->extra);
  return o;
}

static json_t *snapshot_json(const ice_snapshot *s) {
  json_t *o = json_object();
  put(o, "sequence-number", json_integer(s->sequence_number));
  put(o, "snapshot-id", json_integer(s->snapshot_id));
  if (s->has_parent) put(o, "parent-snapshot-id", json_integer(s->parent_id));
  put(o, "timestamp-ms", json_integer(s->timestamp_ms));
  if (s->summary) put(o, "summary", kv_object(s->summary, s->nsummary));
  if (s->manifest_list) put(o, "manifest-list", json_string(s->manifest_list));
  if (s->has_schema_id) put(o, "schema-id", json_integer(s->schema_id));
  put_extras(o, &s->extra);
  return o;
}

static json_t *ref_json(const ice_ref *r) {
  json_t *o = json_object();
  put(o, "snapshot-id", json_integer(r->snapshot_id));
  put(o, "type", json_string(r->is_tag ? "tag" : "branch"));
  if (r->min_snapshots_to_keep >= 0) put(o, "min-snapshots-to-keep", json_integer(r->min_snapshots_to_keep));
  if (r->max_snapshot_age_ms >= 0) put(o, "max-snapshot-age-ms", json_integer(r->max_snapshot_age_ms));
  if (r->max_ref_age_ms >= 0) put(o, "max-ref-age-ms", json_integer(r->max_ref_age_ms));
  put_extras(o, &r->extra);
  return o;
}

orb_status ice_meta_to_json(const ice_meta *m, char **json, size_t *len, orb_err *e) {
  *json = NULL;
  *len = 0;
  if (m->partial)   /* it would lose the history left out */
    return orb_err_set(e, ORB_ERR_INTERNAL, "iceberg: a partially read metadata model cannot be written");
  if (!m->table_uuid)
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: a format-version 2 table needs a table-uuid");
  /* A v1 snapshot may list its manifests inline and lack a summary; v2 has
  ** no way to say either (the manifests would need a manifest list). */
  for (int i = 0; i < m->nsnapshots; i++)
    if (!m->snapshots[i].manifest_list || !m->snapshots[i].summary)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED,
                         "iceberg: snapshot %lld has no %s, which format version 2 requires",
                         (long long)m->snapshots[i].snapshot_id,
                         m->snapshots[i].manifest_list ? "summary" : "manifest list");
  json_t *o = json_object();
  put(o, "format-version", json_integer(2));
  put(o, "table-uuid", json_string(m->table_uuid));
  put(o, "location", json_string(m->location));
  put(o, "last-sequence-number", json_integer(m->last_sequence_number));
  put(o, "last-updated-ms", json_integer(m->last_updated_ms));
  put(o, "last-column-id", json_integer(m->last_column_id));
  put(o, "current-schema-id", json_integer(m->current_schema_id));
  json_t *arr = json_array();
  for (int i = 0; i < m->nschemas; i++) json_array_append_new(arr, schema_json(&m->schemas[i]));
  put(o, "schemas", arr);
  put(o, "default-spec-id", json_integer(m->default_spec_id));
  arr = json_array();
  for (int i = 0; i < m->nspecs; i++) json_array_append_new(arr, spec_json(&m->specs[i]));
  put(o, "partition-specs", arr);
  put(o, "last-partition-id", json_integer(m->last_partition_id));
  put(o, "default-sort-order-id", json_integer(m->default_sort_order_id));
  arr = json_array();
  for (int i = 0; i < m->nsort_orders; i++) json_array_append_new(arr, sort_order_json(&m->sort_orders[i]));
  put(o, "sort-orders", arr);
  put(o, "properties", kv_object(m->properties, m->nproperties));
  put(o, "current-snapshot-id", json_integer(m->current_snapshot_id));
  json_t *refs = json_object();
  for (int i = 0; i < m->nrefs; i++) put(refs, m->refs[i].name, ref_json(&m->refs[i]));
  put(o, "refs", refs);
  arr = json_array();
  for (int i = 0; i < m->nsnapshots; i++) json_array_append_new(arr, snapshot_json(&m->snapshots[i]));
  put(o, "snapshots", arr);
  arr = json_array();
  for (int i = 0; i < m->nsnapshot_log; i++) {
    json_t *l = json_object();
    put(l, "timestamp-ms", json_integer(m->snapshot_log[i].timestamp_ms));
    put(l, "snapshot-id", json_integer(m->snapshot_log[i].snapshot_id));
    put_extras(l, &m->snapshot_log[i].extra);
    json_array_append_new(arr, l);
  }
  put(o, "snapshot-log", arr);
  arr = json_array();
  for (int i = 0; i < m->nmetadata_log; i++) {
    json_t *l = json_object();
    put(l, "timestamp-ms", json_integer(m->metadata_log[i].timestamp_ms));
    put(l, "metadata-file", json_string(m->metadata_log[i].metadata_file));
    put_extras(l, &m->metadata_log[i].extra);
    json_array_append_new(arr, l);
  }
  put(o, "metadata-log", arr);
  put_extras(o, &m->extra);
  char *text = json_dumps(o, JSON_INDENT(2));
  json_decref(o);
  if (!text) return orb_err_set(e, ORB_ERR_NOMEM, "iceberg: could not serialize table metadata");
  *len = strlen(text);
  *json = orb_memdup(text, *len + 1);
  free(text);
  return ORB_OK;
}

/* compact JSON text of a jansson value, malloc'd the engine's way */
static char *dump_compact(json_t *o) {
  char *text = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(o);
  if (!text) return NULL;
  char *out = orb_memdup(text, strlen(text) + 1);
  free(text);
  return out;
}

char *ice_schema_to_json(const ice_schema *s) { return dump_compact(schema_json(s)); }

char *ice_spec_fields_to_json(const ice_partition_spec *s) {
  json_t *o = spec_json(s);
  json_t *fields = json_incref(json_object_get(o, "fields"));
  json_decref(o);
  return dump_compact(fields);
}
