/* storage/cold/ice_meta_read.c — table metadata JSON into the model (see
** ice_meta.h).  Each reader below checks the JSON type of every field it
** takes, names missing required fields, and keeps the keys it does not know
** as JSON text so that the writer can put them back. */
#include "storage/cold/ice_meta.h"
#include "base/file.h"
#include "base/inflate.h"
#include "base/mem.h"

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where in the document we are: a chain of keys and indexes, turned into
** "snapshots[3].sequence-number" only when an error needs it. */
typedef struct jpath {
  const struct jpath *up;
  const char *key;   /* NULL: an array index */
  size_t idx;
} jpath;

typedef struct rd {
  orb_arena *a;
  const char *file;
  orb_err *e;
  int version;
} rd;

static size_t path_fmt(const jpath *p, char *buf, size_t cap) {
  if (!p) return 0;
  size_t n = path_fmt(p->up, buf, cap);
  if (n >= cap) return n;
  int w;
  if (p->key) w = snprintf(buf + n, cap - n, "%s%s", n ? "." : "", p->key);
  else w = snprintf(buf + n, cap - n, "[%zu]", p->idx);
  return w < 0 ? n : n + (size_t)w;
}

__attribute__((format(printf, 4, 5)))
static orb_status fail(rd *r, const jpath *p, orb_status code, const char *fmt, ...) {
  char where[200] = "", msg[300];
  path_fmt(p, where, sizeof where);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (where[0]) return orb_err_set(r->e, code, "iceberg metadata \"%s\": %s: %s", r->file, where, msg);
  return orb_err_set(r->e, code, "iceberg metadata \"%s\": %s", r->file, msg);
}

#define AT(parent, k) ((jpath){(parent), (k), 0})
#define IDX(parent, i) ((jpath){(parent), NULL, (i)})

/* A member, treating JSON null as absent (writers put null for "none"). */
static json_t *member(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_null(v) ? NULL : v;
}

static orb_status missing(rd *r, const jpath *p, const char *key) {
  jpath k = AT(p, key);
  return fail(r, &k, ORB_ERR_CORRUPT, "required field is missing");
}

static orb_status get_i64(rd *r, const jpath *p, json_t *o, const char *key, bool required, int64_t lo, int64_t hi,
                          int64_t *out, bool *present) {
  json_t *v = member(o, key);
  if (present) *present = v != NULL;
  if (!v) return required ? missing(r, p, key) : ORB_OK;
  jpath k = AT(p, key);
  if (!json_is_integer(v)) return fail(r, &k, ORB_ERR_CORRUPT, "expected an integer");
  json_int_t x = json_integer_value(v);
  if (x < lo || x > hi)
    return fail(r, &k, ORB_ERR_CORRUPT, "%lld is out of range [%lld, %lld]", (long long)x, (long long)lo,
                (long long)hi);
  *out = (int64_t)x;
  return ORB_OK;
}

static orb_status get_i32(rd *r, const jpath *p, json_t *o, const char *key, bool required, int32_t lo,
                          int32_t *out, bool *present) {
  int64_t x = *out;
  orb_status st = get_i64(r, p, o, key, required, lo, INT32_MAX, &x, present);
  *out = (int32_t)x;
  return st;
}

static orb_status get_str(rd *r, const jpath *p, json_t *o, const char *key, bool required, const char **out) {
  json_t *v = member(o, key);
  if (!v) return required ? missing(r, p, key) : ORB_OK;
  jpath k = AT(p, key);
  if (!json_is_string(v)) return fail(r, &k, ORB_ERR_CORRUPT, "expected a string");
  *out = orb_arena_strndup(r->a, json_string_value(v), json_string_length(v));
  return ORB_OK;
}

static orb_status get_bool(rd *r, const jpath *p, json_t *o, const char *key, bool required, bool *out) {
  json_t *v = member(o, key);
  if (!v) return required ? missing(r, p, key) : ORB_OK;
  jpath k = AT(p, key);
  if (!json_is_boolean(v)) return fail(r, &k, ORB_ERR_CORRUPT, "expected true or false");
  *out = json_is_true(v);
  return ORB_OK;
}

static orb_status want(rd *r, const jpath *p, json_t *v, bool object) {
  if (object ? json_is_object(v) : json_is_array(v)) return ORB_OK;
  return fail(r, p, ORB_ERR_CORRUPT, object ? "expected an object" : "expected an array");
}

/* A JSON value as compact text in the arena. */
static const char *json_text(rd *r, json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  if (!s) return orb_arena_strdup(r->a, "null");
  const char *t = orb_arena_strdup(r->a, s);
  free(s);
  return t;
}

/* Keys of `o` not in `known` (NULL-terminated), as JSON text. */
static void keep_extras(rd *r, json_t *o, const char *const *known, ice_extras *out) {
  const char *key;
  json_t *v;
  int n = 0;
  json_object_foreach(o, key, v) {
    bool k = false;
    for (const char *const *q = known; *q && !k; q++) k = strcmp(*q, key) == 0;
    if (!k) n++;
  }
  out->n = 0;
  out->items = n ? orb_arena_alloc(r->a, (size_t)n * sizeof *out->items) : NULL;
  json_object_foreach(o, key, v) {
    bool k = false;
    for (const char *const *q = known; *q && !k; q++) k = strcmp(*q, key) == 0;
    if (k) continue;
    out->items[out->n].key = orb_arena_strdup(r->a, key);
    out->items[out->n].json = json_text(r, v);
    out->n++;
  }
}

/* A string-to-string object (properties, summary). */
static orb_status get_kv(rd *r, const jpath *p, json_t *v, ice_kv **out, int *n) {
  orb_status st = want(r, p, v, true);
  if (st) return st;
  size_t cnt = json_object_size(v);
  *out = orb_arena_zalloc(r->a, (cnt + 1) * sizeof **out);
  *n = 0;
  const char *key;
  json_t *val;
  json_object_foreach(v, key, val) {
    if (!json_is_string(val)) {
      jpath k = AT(p, key);
      return fail(r, &k, ORB_ERR_CORRUPT, "expected a string");
    }
    (*out)[*n].key = orb_arena_strdup(r->a, key);
    (*out)[*n].value = orb_arena_strndup(r->a, json_string_value(val), json_string_length(val));
    (*n)++;
  }
  return ORB_OK;
}

/* --- types ---------------------------------------------------------------- */

static orb_status read_type(rd *r, const jpath *p, json_t *v, int depth, ice_type **out);

static const char *const field_keys[] = {"id", "name", "required", "type", "doc", "initial-default",
                                         "write-default", NULL};

static orb_status read_fields(rd *r, const jpath *p, json_t *o, int depth, ice_field **out, int *n) {
  json_t *fields = json_object_get(o, "fields");
  if (!fields) return missing(r, p, "fields");
  jpath fp = AT(p, "fields");
  orb_status st = want(r, &fp, fields, false);
  if (st) return st;
  size_t cnt = json_array_size(fields);
  *out = orb_arena_zalloc(r->a, (cnt + 1) * sizeof **out);
  *n = (int)cnt;
  for (size_t i = 0; i < cnt; i++) {
    jpath ip = IDX(&fp, i);
    json_t *f = json_array_get(fields, i);
    ice_field *d = &(*out)[i];
    if ((st = want(r, &ip, f, true))) return st;
    int32_t id = 0;
    if ((st = get_i32(r, &ip, f, "id", true, INT32_MIN, &id, NULL))) return st;
    d->id = id;
    if ((st = get_str(r, &ip, f, "name", true, &d->name))) return st;
    if ((st = get_bool(r, &ip, f, "required", true, &d->required))) return st;
    json_t *t = json_object_get(f, "type");
    if (!t) return missing(r, &ip, "type");
    jpath tp = AT(&ip, "type");
    if ((st = read_type(r, &tp, t, depth + 1, &d->type))) return st;
    if ((st = get_str(r, &ip, f, "doc", false, &d->doc))) return st;
    json_t *dv = json_object_get(f, "initial-default");
    if (dv) d->initial_default = json_text(r, dv);
    dv = json_object_get(f, "write-default");
    if (dv) d->write_default = json_text(r, dv);
    keep_extras(r, f, field_keys, &d->extra);
  }
  return ORB_OK;
}

static orb_status read_type(rd *r, const jpath *p, json_t *v, int depth, ice_type **out) {
  if (depth > ICE_MAX_TYPE_DEPTH)
    return fail(r, p, ORB_ERR_LIMIT, "types nest deeper than %d levels", ICE_MAX_TYPE_DEPTH);
  ice_type *t = orb_arena_zalloc(r->a, sizeof *t);
  *out = t;
  orb_status st;
  if (json_is_string(v)) {
    orb_err sub;
    orb_err_clear(&sub);
    if (ice_type_parse_primitive(json_string_value(v), t, &sub) != ORB_OK) return fail(r, p, sub.code, "%s", sub.msg);
    return ORB_OK;
  }
  if (!json_is_object(v)) return fail(r, p, ORB_ERR_CORRUPT, "expected a type name or a type object");
  const char *kind = NULL;
  if ((st = get_str(r, p, v, "type", true, &kind))) return st;
  if (strcmp(kind, "struct") == 0) {
    static const char *const keys[] = {"type", "fields", NULL};
    t->kind = ICE_STRUCT;
    if ((st = read_fields(r, p, v, depth, &t->fields, &t->nfields))) return st;
    keep_extras(r, v, keys, &t->extra);
  } else if (strcmp(kind, "list") == 0) {
    static const char *const keys[] = {"type", "element-id", "element-required", "element", NULL};
    t->kind = ICE_LIST;
    if ((st = get_i32(r, p, v, "element-id", true, INT32_MIN, &t->element_id, NULL))) return st;
    if ((st = get_bool(r, p, v, "element-required", true, &t->element_required))) return st;
    json_t *el = json_object_get(v, "element");
    if (!el) return missing(r, p, "element");
    jpath ep = AT(p, "element");
    if ((st = read_type(r, &ep, el, depth + 1, &t->element))) return st;
    keep_extras(r, v, keys, &t->extra);
  } else if (strcmp(kind, "map") == 0) {
    static const char *const keys[] = {"type", "key-id", "key", "value-id", "value-required", "value", NULL};
    t->kind = ICE_MAP;
    if ((st = get_i32(r, p, v, "key-id", true, INT32_MIN, &t->key_id, NULL))) return st;
    if ((st = get_i32(r, p, v, "value-id", true, INT32_MIN, &t->value_id, NULL))) return st;
    if ((st = get_bool(r, p, v, "value-required", true, &t->value_required))) return st;
    json_t *k = json_object_get(v, "key"), *val = json_object_get(v, "value");
    if (!k) return missing(r, p, "key");
    if (!val) return missing(r, p, "value");
    jpath kp = AT(p, "key"), vp = AT(p, "value");
    if ((st = read_type(r, &kp, k, depth + 1, &t->key))) return st;
    if ((st = read_type(r, &vp, val, depth + 1, &t->value))) return st;
    keep_extras(r, v, keys, &t->extra);
  } else {
    jpath tp = AT(p, "type");
    return fail(r, &tp, ORB_ERR_UNSUPPORTED, "unknown nested type \"%s\"", kind);
  }
  return ORB_OK;
}

/* Every field id of a type tree, for the uniqueness check. */
static void collect_ids(const ice_type *t, int32_t **ids, size_t *n, size_t *cap) {
  if (!t) return;
  int32_t add[2];
  int nadd = 0;
  if (t->kind == ICE_LIST) add[nadd++] = t->element_id;
  if (t->kind == ICE_MAP) add[nadd++] = t->key_id, add[nadd++] = t->value_id;
  for (int i = 0; i < nadd; i++) {
    *ids = orb_grow(*ids, cap, *n + 1, sizeof **ids);
    (*ids)[(*n)++] = add[i];
  }
  for (int i = 0; i < t->nfields; i++) {
    *ids = orb_grow(*ids, cap, *n + 1, sizeof **ids);
    (*ids)[(*n)++] = t->fields[i].id;
    collect_ids(t->fields[i].type, ids, n, cap);
  }
  collect_ids(t->element, ids, n, cap);
  collect_ids(t->key, ids, n, cap);
  collect_ids(t->value, ids, n, cap);
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Sorts ids (n of them) and reports one that appears twice. */
static bool find_dup(int64_t *ids, size_t n, int64_t *dup) {
  if (n > 1) qsort(ids, n, sizeof *ids, cmp_i64);
  for (size_t i = 1; i < n; i++)
    if (ids[i] == ids[i - 1]) {
      *dup = ids[i];
      return true;
    }
  return false;
}

static orb_status read_schema(rd *r, const jpath *p, json_t *o, bool id_required, ice_schema *s) {
  static const char *const keys[] = {"type", "schema-id", "identifier-field-ids", "fields", NULL};
  orb_status st = want(r, p, o, true);
  if (st) return st;
  const char *kind = NULL;
  if ((st = get_str(r, p, o, "type", false, &kind))) return st;
  if (kind && strcmp(kind, "struct") != 0) {
    jpath tp = AT(p, "type");
    return fail(r, &tp, ORB_ERR_CORRUPT, "a schema must be a struct, not \"%s\"", kind);
  }
  s->schema_id = 0;
  if ((st = get_i32(r, p, o, "schema-id", id_required, INT32_MIN, &s->schema_id, NULL))) return st;
  if ((st = read_fields(r, p, o, 1, &s->fields, &s->nfields))) return st;
  json_t *ids = json_object_get(o, "identifier-field-ids");
  if (ids) {
    jpath ip = AT(p, "identifier-field-ids");
    if ((st = want(r, &ip, ids, false))) return st;
    s->has_identifier = true;
    s->nidentifier = (int)json_array_size(ids);
    s->identifier_ids = orb_arena_zalloc(r->a, ((size_t)s->nidentifier + 1) * sizeof *s->identifier_ids);
    for (int i = 0; i < s->nidentifier; i++) {
      json_t *v = json_array_get(ids, (size_t)i);
      jpath ep = IDX(&ip, (size_t)i);
      if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN || json_integer_value(v) > INT32_MAX)
        return fail(r, &ep, ORB_ERR_CORRUPT, "expected a field id");
      s->identifier_ids[i] = (int32_t)json_integer_value(v);
    }
  }
  keep_extras(r, o, keys, &s->extra);

  /* Field ids are the engine's names for columns: they must be unique. */
  ice_type root = {.kind = ICE_STRUCT, .fields = s->fields, .nfields = s->nfields};
  int32_t *all = NULL;
  size_t n = 0, cap = 0;
  collect_ids(&root, &all, &n, &cap);
  if (n > 1) qsort(all, n, sizeof *all, cmp_i32);
  for (size_t i = 1; i < n; i++)
    if (all[i] == all[i - 1]) {
      int32_t dup = all[i];
      orb_free(all);
      return fail(r, p, ORB_ERR_CORRUPT, "field id %d is used twice", (int)dup);
    }
  for (int i = 0; i < s->nidentifier; i++) {
    if (!n || !bsearch(&s->identifier_ids[i], all, n, sizeof *all, cmp_i32)) {
      int32_t id = s->identifier_ids[i];
      orb_free(all);
      jpath ip = AT(p, "identifier-field-ids");
      return fail(r, &ip, ORB_ERR_CORRUPT, "field id %d is not in the schema", (int)id);
    }
  }
  orb_free(all);
  return ORB_OK;
}

/* --- partition specs, sort orders ----------------------------------------- */

static orb_status read_transform(rd *r, const jpath *p, json_t *o, ice_transform *t) {
  const char *s = NULL;
  orb_status st = get_str(r, p, o, "transform", true, &s);
  if (st) return st;
  *t = ice_transform_parse(s);
  return ORB_OK;
}

static orb_status read_spec_fields(rd *r, const jpath *p, json_t *arr, ice_partition_spec *spec) {
  static const char *const keys[] = {"source-id", "field-id", "name", "transform", NULL};
  orb_status st = want(r, p, arr, false);
  if (st) return st;
  size_t n = json_array_size(arr);
  spec->fields = orb_arena_zalloc(r->a, (n + 1) * sizeof *spec->fields);
  spec->nfields = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(p, i);
    json_t *f = json_array_get(arr, i);
    ice_partition_field *d = &spec->fields[i];
    if ((st = want(r, &ip, f, true))) return st;
    if ((st = get_i32(r, &ip, f, "source-id", true, INT32_MIN, &d->source_id, NULL))) return st;
    /* v1 files may lack field ids: the reference implementation numbered
    ** them from 1000 within each spec. */
    d->field_id = 1000 + (int32_t)i;
    if ((st = get_i32(r, &ip, f, "field-id", r->version >= 2, INT32_MIN, &d->field_id, NULL))) return st;
    if ((st = get_str(r, &ip, f, "name", true, &d->name))) return st;
    if ((st = read_transform(r, &ip, f, &d->transform))) return st;
    keep_extras(r, f, keys, &d->extra);
  }
  return ORB_OK;
}

static orb_status read_sort_order(rd *r, const jpath *p, json_t *o, ice_sort_order *so) {
  static const char *const keys[] = {"order-id", "fields", NULL};
  static const char *const fkeys[] = {"transform", "source-id", "direction", "null-order", NULL};
  orb_status st = want(r, p, o, true);
  if (st) return st;
  if ((st = get_i32(r, p, o, "order-id", true, INT32_MIN, &so->order_id, NULL))) return st;
  json_t *arr = json_object_get(o, "fields");
  if (!arr) return missing(r, p, "fields");
  jpath fp = AT(p, "fields");
  if ((st = want(r, &fp, arr, false))) return st;
  size_t n = json_array_size(arr);
  so->fields = orb_arena_zalloc(r->a, (n + 1) * sizeof *so->fields);
  so->nfields = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(&fp, i);
    json_t *f = json_array_get(arr, i);
    ice_sort_field *d = &so->fields[i];
    if ((st = want(r, &ip, f, true))) return st;
    if ((st = read_transform(r, &ip, f, &d->transform))) return st;
    if ((st = get_i32(r, &ip, f, "source-id", true, INT32_MIN, &d->source_id, NULL))) return st;
    const char *dir = NULL, *nulls = NULL;
    if ((st = get_str(r, &ip, f, "direction", true, &dir))) return st;
    if ((st = get_str(r, &ip, f, "null-order", true, &nulls))) return st;
    jpath dp = AT(&ip, "direction"), np = AT(&ip, "null-order");
    if (strcmp(dir, "asc") && strcmp(dir, "desc"))
      return fail(r, &dp, ORB_ERR_CORRUPT, "expected \"asc\" or \"desc\", not \"%s\"", dir);
    if (strcmp(nulls, "nulls-first") && strcmp(nulls, "nulls-last"))
      return fail(r, &np, ORB_ERR_CORRUPT, "expected \"nulls-first\" or \"nulls-last\", not \"%s\"", nulls);
    d->descending = strcmp(dir, "desc") == 0;
    d->nulls_first = strcmp(nulls, "nulls-first") == 0;
    keep_extras(r, f, fkeys, &d->extra);
  }
  keep_extras(r, o, keys, &so->extra);
  return ORB_OK;
}

/* --- snapshots, refs, logs ------------------------------------------------ */

static orb_status read_snapshot(rd *r, const jpath *p, json_t *o, ice_snapshot *s) {
  static const char *const keys[] = {"snapshot-id", "parent-snapshot-id", "sequence-number", "timestamp-ms",
                                     "manifest-list", "summary", "schema-id", NULL};
  orb_status st = want(r, p, o, true);
  if (st) return st;
  bool v2 = r->version >= 2;
  if ((st = get_i64(r, p, o, "snapshot-id", true, INT64_MIN, INT64_MAX, &s->snapshot_id, NULL))) return st;
  if ((st = get_i64(r, p, o, "parent-snapshot-id", false, INT64_MIN, INT64_MAX, &s->parent_id, &s->has_parent)))
    return st;
  if ((st = get_i64(r, p, o, "sequence-number", v2, 0, INT64_MAX, &s->sequence_number, NULL))) return st;
  if ((st = get_i64(r, p, o, "timestamp-ms", true, INT64_MIN, INT64_MAX, &s->timestamp_ms, NULL))) return st;
  if ((st = get_str(r, p, o, "manifest-list", v2, &s->manifest_list))) return st;
  if (!s->manifest_list && !json_is_array(json_object_get(o, "manifests")))
    return fail(r, p, ORB_ERR_CORRUPT, "snapshot has neither manifest-list nor manifests");
  json_t *sum = member(o, "summary");
  if (sum) {
    jpath sp = AT(p, "summary");
    if ((st = get_kv(r, &sp, sum, &s->summary, &s->nsummary))) return st;
    if (!ice_kv_get(s->summary, s->nsummary, "operation")) return missing(r, &sp, "operation");
  } else if (v2) {
    return missing(r, p, "summary");
  }
  int32_t sid = 0;
  if ((st = get_i32(r, p, o, "schema-id", false, INT32_MIN, &sid, &s->has_schema_id))) return st;
  s->schema_id = sid;
  keep_extras(r, o, keys, &s->extra);
  return ORB_OK;
}

static orb_status read_ref(rd *r, const jpath *p, const char *name, json_t *o, ice_ref *ref) {
  static const char *const keys[] = {"snapshot-id", "type", "min-snapshots-to-keep", "max-snapshot-age-ms",
                                     "max-ref-age-ms", NULL};
  orb_status st = want(r, p, o, true);
  if (st) return st;
  ref->name = orb_arena_strdup(r->a, name);
  if ((st = get_i64(r, p, o, "snapshot-id", true, INT64_MIN, INT64_MAX, &ref->snapshot_id, NULL))) return st;
  const char *type = NULL;
  if ((st = get_str(r, p, o, "type", true, &type))) return st;
  if (strcmp(type, "branch") && strcmp(type, "tag")) {
    jpath tp = AT(p, "type");
    return fail(r, &tp, ORB_ERR_CORRUPT, "expected \"branch\" or \"tag\", not \"%s\"", type);
  }
  ref->is_tag = strcmp(type, "tag") == 0;
  ref->min_snapshots_to_keep = ref->max_snapshot_age_ms = ref->max_ref_age_ms = -1;
  if ((st = get_i64(r, p, o, "min-snapshots-to-keep", false, 1, INT32_MAX, &ref->min_snapshots_to_keep, NULL)))
    return st;
  if ((st = get_i64(r, p, o, "max-snapshot-age-ms", false, 1, INT64_MAX, &ref->max_snapshot_age_ms, NULL)))
    return st;
  if ((st = get_i64(r, p, o, "max-ref-age-ms", false, 1, INT64_MAX, &ref->max_ref_age_ms, NULL))) return st;
  keep_extras(r, o, keys, &ref->extra);
  return ORB_OK;
}

/* An optional array member: NULL and ORB_OK when absent. */
static orb_status opt_array(rd *r, const jpath *p, json_t *o, const char *key, json_t **out) {
  *out = member(o, key);
  if (!*out) return ORB_OK;
  jpath k = AT(p, key);
  return want(r, &k, *out, false);
}

static orb_status read_logs(rd *r, json_t *root, ice_meta *m) {
  static const char *const skeys[] = {"timestamp-ms", "snapshot-id", NULL};
  static const char *const mkeys[] = {"timestamp-ms", "metadata-file", NULL};
  json_t *arr;
  orb_status st = opt_array(r, NULL, root, "snapshot-log", &arr);
  if (st) return st;
  jpath lp = AT(NULL, "snapshot-log");
  size_t n = arr ? json_array_size(arr) : 0;
  m->snapshot_log = orb_arena_zalloc(r->a, (n + 1) * sizeof *m->snapshot_log);
  m->nsnapshot_log = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(&lp, i);
    json_t *o = json_array_get(arr, i);
    ice_snapshot_log_entry *d = &m->snapshot_log[i];
    if ((st = want(r, &ip, o, true))) return st;
    if ((st = get_i64(r, &ip, o, "timestamp-ms", true, INT64_MIN, INT64_MAX, &d->timestamp_ms, NULL))) return st;
    if ((st = get_i64(r, &ip, o, "snapshot-id", true, INT64_MIN, INT64_MAX, &d->snapshot_id, NULL))) return st;
    keep_extras(r, o, skeys, &d->extra);
  }
  if ((st = opt_array(r, NULL, root, "metadata-log", &arr))) return st;
  jpath mp = AT(NULL, "metadata-log");
  n = arr ? json_array_size(arr) : 0;
  m->metadata_log = orb_arena_zalloc(r->a, (n + 1) * sizeof *m->metadata_log);
  m->nmetadata_log = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(&mp, i);
    json_t *o = json_array_get(arr, i);
    ice_metadata_log_entry *d = &m->metadata_log[i];
    if ((st = want(r, &ip, o, true))) return st;
    if ((st = get_i64(r, &ip, o, "timestamp-ms", true, INT64_MIN, INT64_MAX, &d->timestamp_ms, NULL))) return st;
    if ((st = get_str(r, &ip, o, "metadata-file", true, &d->metadata_file))) return st;
    keep_extras(r, o, mkeys, &d->extra);
  }
  return ORB_OK;
}

/* --- the document --------------------------------------------------------- */

static const char *const top_keys[] = {
    "format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms", "last-column-id",
    "schema", "schemas", "current-schema-id", "partition-spec", "partition-specs", "default-spec-id",
    "last-partition-id", "properties", "current-snapshot-id", "snapshots", "snapshot-log", "metadata-log",
    "sort-orders", "default-sort-order-id", "refs", NULL};

static orb_status read_schemas(rd *r, json_t *root, ice_meta *m) {
  json_t *arr = member(root, "schemas");
  orb_status st;
  if (!arr && r->version == 1) {
    /* v1: the deprecated single `schema` is the current one. */
    json_t *one = member(root, "schema");
    if (!one) return missing(r, NULL, "schemas");
    jpath sp = AT(NULL, "schema");
    m->schemas = orb_arena_zalloc(r->a, 2 * sizeof *m->schemas);
    m->nschemas = 1;
    if ((st = read_schema(r, &sp, one, false, &m->schemas[0]))) return st;
    m->current_schema_id = m->schemas[0].schema_id;
    return get_i32(r, NULL, root, "current-schema-id", false, INT32_MIN, &m->current_schema_id, NULL);
  }
  if (!arr) return missing(r, NULL, "schemas");
  jpath ap = AT(NULL, "schemas");
  if ((st = want(r, &ap, arr, false))) return st;
  size_t n = json_array_size(arr);
  if (n == 0) return fail(r, &ap, ORB_ERR_CORRUPT, "no schema");
  m->schemas = orb_arena_zalloc(r->a, (n + 1) * sizeof *m->schemas);
  m->nschemas = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(&ap, i);
    if ((st = read_schema(r, &ip, json_array_get(arr, i), r->version >= 2, &m->schemas[i]))) return st;
  }
  return get_i32(r, NULL, root, "current-schema-id", r->version >= 2, INT32_MIN, &m->current_schema_id, NULL);
}

static orb_status read_specs(rd *r, json_t *root, ice_meta *m) {
  json_t *arr = member(root, "partition-specs");
  orb_status st;
  if (!arr && r->version == 1) {
    json_t *one = member(root, "partition-spec");
    if (!one) return missing(r, NULL, "partition-specs");
    jpath sp = AT(NULL, "partition-spec");
    m->specs = orb_arena_zalloc(r->a, 2 * sizeof *m->specs);
    m->nspecs = 1;
    if ((st = read_spec_fields(r, &sp, one, &m->specs[0]))) return st;
    m->default_spec_id = 0;
  } else {
    static const char *const keys[] = {"spec-id", "fields", NULL};
    if (!arr) return missing(r, NULL, "partition-specs");
    jpath ap = AT(NULL, "partition-specs");
    if ((st = want(r, &ap, arr, false))) return st;
    size_t n = json_array_size(arr);
    if (n == 0) return fail(r, &ap, ORB_ERR_CORRUPT, "no partition spec");
    m->specs = orb_arena_zalloc(r->a, (n + 1) * sizeof *m->specs);
    m->nspecs = (int)n;
    for (size_t i = 0; i < n; i++) {
      jpath ip = IDX(&ap, i);
      json_t *o = json_array_get(arr, i);
      if ((st = want(r, &ip, o, true))) return st;
      if ((st = get_i32(r, &ip, o, "spec-id", true, INT32_MIN, &m->specs[i].spec_id, NULL))) return st;
      json_t *fields = json_object_get(o, "fields");
      if (!fields) return missing(r, &ip, "fields");
      jpath fp = AT(&ip, "fields");
      if ((st = read_spec_fields(r, &fp, fields, &m->specs[i]))) return st;
      keep_extras(r, o, keys, &m->specs[i].extra);
    }
  }
  if ((st = get_i32(r, NULL, root, "default-spec-id", r->version >= 2, INT32_MIN, &m->default_spec_id, NULL)))
    return st;
  int32_t last = 999;
  for (int i = 0; i < m->nspecs; i++)
    for (int j = 0; j < m->specs[i].nfields; j++)
      if (m->specs[i].fields[j].field_id > last) last = m->specs[i].fields[j].field_id;
  m->last_partition_id = last;
  return get_i32(r, NULL, root, "last-partition-id", r->version >= 2, INT32_MIN, &m->last_partition_id, NULL);
}

static orb_status read_sort_orders(rd *r, json_t *root, ice_meta *m) {
  json_t *arr = member(root, "sort-orders");
  orb_status st;
  if (!arr) {
    if (r->version >= 2) return missing(r, NULL, "sort-orders");
    /* v1 without sort orders: unsorted, order 0 (as Java reads it). */
    m->sort_orders = orb_arena_zalloc(r->a, 2 * sizeof *m->sort_orders);
    m->nsort_orders = 1;
    m->default_sort_order_id = 0;
    return ORB_OK;
  }
  jpath ap = AT(NULL, "sort-orders");
  if ((st = want(r, &ap, arr, false))) return st;
  size_t n = json_array_size(arr);
  m->sort_orders = orb_arena_zalloc(r->a, (n + 1) * sizeof *m->sort_orders);
  m->nsort_orders = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(&ap, i);
    if ((st = read_sort_order(r, &ip, json_array_get(arr, i), &m->sort_orders[i]))) return st;
  }
  return get_i32(r, NULL, root, "default-sort-order-id", r->version >= 2, INT32_MIN, &m->default_sort_order_id,
                 NULL);
}

static orb_status read_snapshots_refs(rd *r, json_t *root, ice_meta *m) {
  json_t *arr;
  orb_status st = opt_array(r, NULL, root, "snapshots", &arr);
  if (st) return st;
  jpath ap = AT(NULL, "snapshots");
  size_t n = arr ? json_array_size(arr) : 0;
  m->snapshots = orb_arena_zalloc(r->a, (n + 1) * sizeof *m->snapshots);
  m->nsnapshots = (int)n;
  for (size_t i = 0; i < n; i++) {
    jpath ip = IDX(&ap, i);
    if ((st = read_snapshot(r, &ip, json_array_get(arr, i), &m->snapshots[i]))) return st;
  }
  /* Sorted ids: the duplicate check, then lookups for refs in O(log n) so
  ** that many refs over many snapshots cannot make the reader quadratic. */
  int64_t *ids = orb_arena_alloc(r->a, (n + 1) * sizeof *ids), dup;
  for (size_t i = 0; i < n; i++) ids[i] = m->snapshots[i].snapshot_id;
  if (find_dup(ids, n, &dup)) return fail(r, &ap, ORB_ERR_CORRUPT, "snapshot id %lld appears twice", (long long)dup);

  /* -1, null and absence all mean "no current snapshot". */
  m->current_snapshot_id = -1;
  if ((st = get_i64(r, NULL, root, "current-snapshot-id", false, INT64_MIN, INT64_MAX, &m->current_snapshot_id,
                    NULL)))
    return st;
  if (m->current_snapshot_id != -1 && !ice_meta_current_snapshot(m)) {
    jpath cp = AT(NULL, "current-snapshot-id");
    return fail(r, &cp, ORB_ERR_CORRUPT, "snapshot %lld is not in snapshots", (long long)m->current_snapshot_id);
  }

  json_t *refs = member(root, "refs");
  size_t nrefs = refs ? json_object_size(refs) : 0;
  m->refs = orb_arena_zalloc(r->a, (nrefs + 2) * sizeof *m->refs);
  m->nrefs = 0;
  const ice_ref *main_ref = NULL;
  if (refs) {
    jpath rp = AT(NULL, "refs");
    if ((st = want(r, &rp, refs, true))) return st;
    const char *key;
    json_t *v;
    json_object_foreach(refs, key, v) {
      jpath kp = AT(&rp, key);
      ice_ref *ref = &m->refs[m->nrefs++];
      if ((st = read_ref(r, &kp, key, v, ref))) return st;
      jpath sp = AT(&kp, "snapshot-id");
      if (!n || !bsearch(&ref->snapshot_id, ids, n, sizeof *ids, cmp_i64))
        return fail(r, &sp, ORB_ERR_CORRUPT, "snapshot %lld is not in snapshots", (long long)ref->snapshot_id);
      if (strcmp(key, "main") == 0) {
        if (ref->is_tag) return fail(r, &kp, ORB_ERR_CORRUPT, "\"main\" must be a branch");
        if (ref->snapshot_id != m->current_snapshot_id)
          return fail(r, &sp, ORB_ERR_CORRUPT, "main is %lld but current-snapshot-id is %lld",
                      (long long)ref->snapshot_id, (long long)m->current_snapshot_id);
        main_ref = ref;
      }
    }
  }
  /* The spec: there is always a main branch at the current snapshot. */
  if (!main_ref && m->current_snapshot_id != -1) {
    ice_ref *ref = &m->refs[m->nrefs++];
    ref->name = "main";
    ref->snapshot_id = m->current_snapshot_id;
    ref->min_snapshots_to_keep = ref->max_snapshot_age_ms = ref->max_ref_age_ms = -1;
  }
  return ORB_OK;
}

/* The int32 id at `off` in each of n structs of `size` bytes must be unique. */
static orb_status check_unique_ids(rd *r, const char *key, const char *what, int n, const void *items, size_t size,
                                   size_t off) {
  int64_t *ids = orb_malloc(((size_t)n + 1) * sizeof *ids), dup;
  for (int i = 0; i < n; i++) {
    int32_t v;
    memcpy(&v, (const char *)items + (size_t)i * size + off, sizeof v);
    ids[i] = v;
  }
  bool found = find_dup(ids, (size_t)n, &dup);
  orb_free(ids);
  if (!found) return ORB_OK;
  jpath p = AT(NULL, key);
  return fail(r, &p, ORB_ERR_CORRUPT, "%s id %lld appears twice", what, (long long)dup);
}

static orb_status read_root(rd *r, json_t *root, ice_meta *m) {
  if (!json_is_object(root)) return fail(r, NULL, ORB_ERR_CORRUPT, "the document is not a JSON object");
  int64_t fv = 0;
  orb_status st = get_i64(r, NULL, root, "format-version", true, INT64_MIN, INT64_MAX, &fv, NULL);
  if (st) return st;
  if (fv > 2)
    return fail(r, NULL, ORB_ERR_UNSUPPORTED, "format version %lld is not supported (versions 1 and 2 are)",
                (long long)fv);
  if (fv < 1) return fail(r, NULL, ORB_ERR_CORRUPT, "format-version %lld is not a format version", (long long)fv);
  r->version = m->format_version = (int)fv;
  bool v2 = fv >= 2;
  if ((st = get_str(r, NULL, root, "table-uuid", v2, &m->table_uuid))) return st;
  if ((st = get_str(r, NULL, root, "location", true, &m->location))) return st;
  if ((st = get_i64(r, NULL, root, "last-sequence-number", v2, 0, INT64_MAX, &m->last_sequence_number, NULL)))
    return st;
  if ((st = get_i64(r, NULL, root, "last-updated-ms", true, INT64_MIN, INT64_MAX, &m->last_updated_ms, NULL)))
    return st;
  if ((st = get_i32(r, NULL, root, "last-column-id", true, INT32_MIN, &m->last_column_id, NULL))) return st;
  if ((st = read_schemas(r, root, m))) return st;
  if (!ice_meta_current_schema(m)) {
    jpath cp = AT(NULL, "current-schema-id");
    return fail(r, &cp, ORB_ERR_CORRUPT, "schema %d is not in schemas", (int)m->current_schema_id);
  }
  if ((st = check_unique_ids(r, "schemas", "schema", m->nschemas, m->schemas, sizeof *m->schemas,
                             offsetof(ice_schema, schema_id))))
    return st;
  if ((st = read_specs(r, root, m))) return st;
  if ((st = check_unique_ids(r, "partition-specs", "partition spec", m->nspecs, m->specs, sizeof *m->specs,
                             offsetof(ice_partition_spec, spec_id))))
    return st;
  if (!ice_meta_spec(m, m->default_spec_id)) {
    jpath dp = AT(NULL, "default-spec-id");
    return fail(r, &dp, ORB_ERR_CORRUPT, "partition spec %d is not in partition-specs", (int)m->default_spec_id);
  }
  if ((st = read_sort_orders(r, root, m))) return st;
  if ((st = check_unique_ids(r, "sort-orders", "sort order", m->nsort_orders, m->sort_orders, sizeof *m->sort_orders,
                             offsetof(ice_sort_order, order_id))))
    return st;
  json_t *props = member(root, "properties");
  if (props) {
    jpath pp = AT(NULL, "properties");
    if ((st = get_kv(r, &pp, props, &m->properties, &m->nproperties))) return st;
  } else {
    m->properties = orb_arena_zalloc(r->a, sizeof *m->properties);
  }
  if ((st = read_snapshots_refs(r, root, m))) return st;
  if ((st = read_logs(r, root, m))) return st;
  keep_extras(r, root, top_keys, &m->extra);
  return ORB_OK;
}

/* Inflate a gzip file (all members) into a heap buffer, at most `limit` bytes. */
static orb_status gunzip(const void *data, size_t len, size_t limit, const char *name, char **out, size_t *outlen,
                         orb_err *e) {
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  orb_inflate_result r = orb_inflate(ORB_DEFLATE_GZIP, data, len, limit, &buf, &cap, &n);
  if (r != ORB_INFLATE_OK) {
    orb_free(buf);
    if (r == ORB_INFLATE_TOO_BIG)
      return orb_err_set(e, ORB_ERR_LIMIT, "iceberg metadata \"%s\": inflates to more than %zu bytes", name, limit);
    if (r == ORB_INFLATE_NOMEM) return orb_err_set(e, ORB_ERR_NOMEM, "iceberg metadata \"%s\": could not start gzip", name);
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg metadata \"%s\": gzip data is corrupt or truncated", name);
  }
  *out = (char *)buf;
  *outlen = n;
  return ORB_OK;
}

orb_status ice_meta_text(const void *data, size_t len, const char *name, const char **text, size_t *textlen,
                         char **inflated, orb_err *e) {
  *inflated = NULL;
  *text = data;
  *textlen = len;
  if (len > ICE_META_MAX_BYTES)
    return orb_err_set(e, ORB_ERR_LIMIT, "iceberg metadata \"%s\": %zu bytes is over the limit of %zu", name, len,
                       ICE_META_MAX_BYTES);
  const uint8_t *b = data;
  if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
    orb_status st = gunzip(data, len, ICE_META_MAX_BYTES, name, inflated, textlen, e);
    if (st) return st;
    *text = *inflated;
  }
  return ORB_OK;
}

orb_status ice_meta_parse(orb_arena *a, const void *data, size_t len, const char *name, ice_meta *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  char *inflated;
  const char *text;
  size_t tlen;
  orb_status st = ice_meta_text(data, len, name, &text, &tlen, &inflated, e);
  if (st) return st;
  json_error_t je;
  json_t *root = json_loadb(text, tlen, JSON_REJECT_DUPLICATES, &je);
  orb_free(inflated);
  if (!root)
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg metadata \"%s\": invalid JSON at line %d, column %d: %s", name,
                       je.line, je.column, je.text);
  rd r = {a, name, e, 0};
  st = read_root(&r, root, out);
  json_decref(root);
  return st;
}

static orb_status read_file_with(orb_arena *a, const char *path, ice_meta *out, orb_err *e,
                                 orb_status (*parse)(orb_arena *, const void *, size_t, const char *, ice_meta *,
                                                     orb_err *)) {
  char *data;
  size_t len;
  orb_status st = orb_file_read_all(path, ICE_META_MAX_BYTES, &data, &len, e);
  if (st) {
    if (st == ORB_ERR_LIMIT) orb_err_prefix(e, "iceberg metadata");
    return st;
  }
  st = parse(a, data, len, path, out, e);
  orb_free(data);
  return st;
}

orb_status ice_meta_read_file(orb_arena *a, const char *path, ice_meta *out, orb_err *e) {
  return read_file_with(a, path, out, e, ice_meta_parse);
}

orb_status ice_meta_read_file_current(orb_arena *a, const char *path, ice_meta *out, orb_err *e) {
  return read_file_with(a, path, out, e, ice_meta_parse_current);
}

/* --- lookups -------------------------------------------------------------- */

const ice_schema *ice_meta_schema(const ice_meta *m, int32_t id) {
  for (int i = 0; i < m->nschemas; i++)
    if (m->schemas[i].schema_id == id) return &m->schemas[i];
  return NULL;
}

const ice_schema *ice_meta_current_schema(const ice_meta *m) { return ice_meta_schema(m, m->current_schema_id); }

const ice_partition_spec *ice_meta_spec(const ice_meta *m, int32_t id) {
  for (int i = 0; i < m->nspecs; i++)
    if (m->specs[i].spec_id == id) return &m->specs[i];
  return NULL;
}

const ice_snapshot *ice_meta_snapshot(const ice_meta *m, int64_t id) {
  for (int i = 0; i < m->nsnapshots; i++)
    if (m->snapshots[i].snapshot_id == id) return &m->snapshots[i];
  return NULL;
}

const ice_snapshot *ice_meta_current_snapshot(const ice_meta *m) {
  return m->current_snapshot_id == -1 ? NULL : ice_meta_snapshot(m, m->current_snapshot_id);
}

const char *ice_kv_get(const ice_kv *kv, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (strcmp(kv[i].key, key) == 0) return kv[i].value;
  return NULL;
}

int64_t ice_meta_snapshot_at(const ice_meta *m, int64_t ms, int64_t *first_ms) {
  int64_t best_ms = INT64_MIN, first = INT64_MAX, id = -1;
  if (m->nsnapshot_log > 0) {
    for (int i = 0; i < m->nsnapshot_log; i++) {
      const ice_snapshot_log_entry *l = &m->snapshot_log[i];
      if (l->timestamp_ms < first) first = l->timestamp_ms;
      if (l->timestamp_ms <= ms && l->timestamp_ms >= best_ms) best_ms = l->timestamp_ms, id = l->snapshot_id;
    }
  } else {
    for (int i = 0; i < m->nsnapshots; i++) {
      const ice_snapshot *s = &m->snapshots[i];
      if (s->timestamp_ms < first) first = s->timestamp_ms;
      if (s->timestamp_ms <= ms && s->timestamp_ms >= best_ms) best_ms = s->timestamp_ms, id = s->snapshot_id;
    }
  }
  if (first_ms) *first_ms = first;
  return id;
}
