/* storage/catalog.c — table definitions as JSON (see catalog.h). */
#include "storage/catalog.h"
#include "storage/sequence.h"
#include "base/mem.h"

#include <jansson.h>
#include <string.h>

static const char *const type_names[ORB_T__COUNT] = {
    [ORB_T_NULL] = "null",        [ORB_T_BOOL] = "boolean",     [ORB_T_INT16] = "smallint",
    [ORB_T_INT32] = "integer",    [ORB_T_INT64] = "bigint",     [ORB_T_FLOAT32] = "real",
    [ORB_T_FLOAT64] = "double",   [ORB_T_DECIMAL] = "decimal",  [ORB_T_TEXT] = "text",
    [ORB_T_BYTEA] = "bytea",      [ORB_T_DATE] = "date",        [ORB_T_TIME] = "time",
    [ORB_T_TIMESTAMP] = "timestamp", [ORB_T_TIMESTAMPTZ] = "timestamptz", [ORB_T_UUID] = "uuid",
    [ORB_T_INTERVAL] = "interval", [ORB_T_ARRAY] = "array",     [ORB_T_JSON] = "json",
    [ORB_T_JSONB] = "jsonb",
};

const char *catalog_type_name(uint8_t id) { return id < ORB_T__COUNT ? type_names[id] : "unknown"; }

int catalog_type_from_name(const char *name) {
  for (int i = 1; i < ORB_T__COUNT; i++)
    if (type_names[i] && strcmp(type_names[i], name) == 0) return i;
  return -1;
}

static json_t *schema_json(const orb_schema *s) {
  json_t *cols = json_array();
  for (int i = 0; i < s->ncols; i++) {
    const orb_column *c = &s->cols[i];
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "field-id", json_integer(c->field_id));
    json_object_set_new(o, "type", json_string(catalog_type_name(c->type.id)));
    json_object_set_new(o, "not-null", json_boolean(c->not_null));
    if (c->default_sql) json_object_set_new(o, "default", json_string(c->default_sql));
    if (c->identity) json_object_set_new(o, "identity", json_string(c->identity == 'a' ? "always" : "by-default"));
    if (c->type.id == ORB_T_DECIMAL || (c->type.id == ORB_T_ARRAY && c->type.elem == ORB_T_DECIMAL)) {
      json_object_set_new(o, "precision", json_integer(c->type.precision));
      json_object_set_new(o, "scale", json_integer(c->type.scale));
    }
    if (c->type.maxlen) json_object_set_new(o, "maxlen", json_integer(c->type.maxlen));
    if (c->type.id == ORB_T_ARRAY) json_object_set_new(o, "element", json_string(catalog_type_name(c->type.elem)));
    json_array_append_new(cols, o);
  }
  json_t *pk = json_array();
  for (int i = 0; i < s->npk; i++) json_array_append_new(pk, json_integer(s->pk[i]));
  json_t *o = json_object();
  json_object_set_new(o, "columns", cols);
  json_object_set_new(o, "identifier-field-ids", pk);
  json_object_set_new(o, "next-field-id", json_integer(s->next_field_id));
  if (s->nchecks) {
    json_t *checks = json_array();
    for (int i = 0; i < s->nchecks; i++) {
      json_t *c = json_object();
      json_object_set_new(c, "name", json_string(s->checks[i].name));
      json_object_set_new(c, "check", json_string(s->checks[i].sql));
      json_array_append_new(checks, c);
    }
    json_object_set_new(o, "checks", checks);
  }
  if (s->nindexes) {
    json_t *idx = json_array();
    for (int i = 0; i < s->nindexes; i++) {
      const orb_index *ix = &s->indexes[i];
      json_t *c = json_object(), *cols = json_array(), *opts = json_array();
      for (int k = 0; k < ix->ncols; k++) {
        json_array_append_new(cols, json_integer(ix->cols[k]));
        json_array_append_new(opts, json_integer(ix->opts[k]));
      }
      json_object_set_new(c, "name", json_string(ix->name));
      json_object_set_new(c, "field-ids", cols);
      json_object_set_new(c, "options", opts);
      json_object_set_new(c, "unique", json_boolean(ix->unique));
      json_object_set_new(c, "constraint", json_boolean(ix->constraint));
      json_object_set_new(c, "nulls-not-distinct", json_boolean(ix->nulls_not_distinct));
      json_object_set_new(c, "method", json_string(ix->hash ? "hash" : "btree"));
      json_array_append_new(idx, c);
    }
    json_object_set_new(o, "indexes", idx);
  }
  return o;
}

static bool get_int(const json_t *o, const char *key, json_int_t lo, json_int_t hi, json_int_t *out) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v)) return false;
  json_int_t x = json_integer_value(v);
  if (x < lo || x > hi) return false;
  *out = x;
  return true;
}

static orb_status schema_parse(const json_t *o, orb_schema *s, orb_err *e) {
  orb_schema_init(s);
  json_t *cols = json_object_get(o, "columns");
  json_t *pk = json_object_get(o, "identifier-field-ids");
  json_int_t next;
  if (!json_is_array(cols) || !json_is_array(pk) || !get_int(o, "next-field-id", 1, INT32_MAX, &next))
    return orb_err_set(e, ORB_ERR_CORRUPT, "schema lacks columns, identifier-field-ids or next-field-id");
  size_t n = json_array_size(cols);
  if (n == 0 || n > 100000) return orb_err_set(e, ORB_ERR_CORRUPT, "schema has %zu columns", n);
  s->cols = orb_calloc(n, sizeof *s->cols);
  s->next_field_id = (int32_t)next;
  for (size_t i = 0; i < n; i++) {
    json_t *c = json_array_get(cols, i);
    json_t *name = json_object_get(c, "name"), *type = json_object_get(c, "type");
    json_t *def = json_object_get(c, "default"), *nn = json_object_get(c, "not-null");
    json_int_t fid, prec = 0, scale = 0, maxlen = 0;
    int tid = json_is_string(type) ? catalog_type_from_name(json_string_value(type)) : -1;
    if (!json_is_string(name) || tid < 0 || !get_int(c, "field-id", 1, next - 1, &fid) ||
        (def && !json_is_string(def)) || (nn && !json_is_boolean(nn)))
      goto bad;
    /* an array column names its element type, a scalar one; the array type
    ** keeps the element's modifiers */
    json_t *el = json_object_get(c, "element");
    int elem = json_is_string(el) ? catalog_type_from_name(json_string_value(el)) : -1;
    if ((tid == ORB_T_ARRAY) != (el != NULL)) goto bad;
    if (tid == ORB_T_ARRAY && (elem <= ORB_T_NULL || elem >= ORB_T__COUNT || !orb_type_is_storable_elem((orb_type_id)elem))) goto bad;
    /* precision 0: NUMERIC without a precision (any value), whose scale is 0 too */
    if ((tid == ORB_T_DECIMAL || (tid == ORB_T_ARRAY && elem == ORB_T_DECIMAL)) &&
        (!get_int(c, "precision", 0, ORB_DECIMAL_MAX_PRECISION, &prec) || !get_int(c, "scale", 0, prec, &scale)))
      goto bad;
    if (json_object_get(c, "maxlen") && !get_int(c, "maxlen", 1, INT32_MAX, &maxlen)) goto bad;
    if (orb_schema_find_id(s, (int32_t)fid) >= 0) goto bad;
    orb_column *col = &s->cols[s->ncols++];
    col->name = orb_strdup(json_string_value(name));
    col->field_id = (int32_t)fid;
    col->type = orb_type_make((orb_type_id)tid);
    col->type.precision = (uint8_t)prec;
    col->type.scale = (uint8_t)scale;
    col->type.maxlen = (int32_t)maxlen;
    if (tid == ORB_T_ARRAY) col->type.elem = (uint8_t)elem;
    col->not_null = nn && json_is_true(nn);
    col->default_sql = def ? orb_strdup(json_string_value(def)) : NULL;
    json_t *idn = json_object_get(c, "identity");
    col->identity = !json_is_string(idn) ? 0 : strcmp(json_string_value(idn), "always") == 0 ? 'a' : 'd';
    continue;
  bad:
    orb_schema_free(s);
    return orb_err_set(e, ORB_ERR_CORRUPT, "schema column %zu is malformed", i + 1);
  }
  size_t npk = json_array_size(pk);
  if (npk > (size_t)s->ncols) {
    orb_schema_free(s);
    return orb_err_set(e, ORB_ERR_CORRUPT, "schema has more key fields than columns");
  }
  s->pk = npk ? orb_calloc(npk, sizeof *s->pk) : NULL;
  for (size_t i = 0; i < npk; i++) {
    json_t *v = json_array_get(pk, i);
    if (!json_is_integer(v) || json_integer_value(v) > INT32_MAX ||
        orb_schema_find_id(s, (int32_t)json_integer_value(v)) < 0) {
      orb_schema_free(s);
      return orb_err_set(e, ORB_ERR_CORRUPT, "identifier-field-ids names a column that does not exist");
    }
    s->pk[s->npk++] = (int32_t)json_integer_value(v);
  }
  json_t *checks = json_object_get(o, "checks");
  for (size_t i = 0; json_is_array(checks) && i < json_array_size(checks); i++) {
    json_t *c = json_array_get(checks, i), *name = json_object_get(c, "name"), *sql = json_object_get(c, "check");
    if (!json_is_string(name) || !json_is_string(sql)) {
      orb_schema_free(s);
      return orb_err_set(e, ORB_ERR_CORRUPT, "schema check %zu is malformed", i + 1);
    }
    orb_schema_add_check(s, json_string_value(name), json_string_value(sql));
  }
  json_t *idx = json_object_get(o, "indexes");
  for (size_t i = 0; json_is_array(idx) && i < json_array_size(idx); i++) {
    json_t *c = json_array_get(idx, i), *name = json_object_get(c, "name"), *cols = json_object_get(c, "field-ids");
    json_t *opts = json_object_get(c, "options"), *method = json_object_get(c, "method");
    size_t nc = json_array_size(cols);
    bool ok = json_is_string(name) && json_is_array(cols) && json_is_array(opts) && nc > 0 && nc <= 32 &&
              json_array_size(opts) == nc && json_is_string(method);
    int32_t fids[32];
    uint8_t ops[32];
    for (size_t k = 0; ok && k < nc; k++) {
      json_t *f = json_array_get(cols, k), *op = json_array_get(opts, k);
      ok = json_is_integer(f) && json_integer_value(f) <= INT32_MAX &&
           orb_schema_find_id(s, (int32_t)json_integer_value(f)) >= 0 && json_is_integer(op) &&
           json_integer_value(op) >= 0 && json_integer_value(op) <= 3;
      if (ok) fids[k] = (int32_t)json_integer_value(f), ops[k] = (uint8_t)json_integer_value(op);
    }
    if (!ok) {
      orb_schema_free(s);
      return orb_err_set(e, ORB_ERR_CORRUPT, "schema index %zu is malformed", i + 1);
    }
    orb_index ix = {.name = (char *)json_string_value(name), .ncols = (int)nc, .cols = fids, .opts = ops,
                    .unique = json_is_true(json_object_get(c, "unique")),
                    .constraint = json_is_true(json_object_get(c, "constraint")),
                    .nulls_not_distinct = json_is_true(json_object_get(c, "nulls-not-distinct")),
                    .hash = strcmp(json_string_value(method), "hash") == 0};
    orb_schema_add_index(s, &ix);
  }
  return ORB_OK;
}

static char *dump(json_t *o) {
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  char *r = orb_strdup(s ? s : "null");
  free(s);
  return r;
}

char *catalog_schema_dump(const orb_schema *s) { return dump(schema_json(s)); }

orb_status catalog_schema_load(const char *text, size_t len, orb_schema *out, orb_err *e) {
  json_error_t je;
  json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!o) return orb_err_set(e, ORB_ERR_CORRUPT, "schema JSON is malformed: %s", je.text);
  orb_status st = schema_parse(o, out, e);
  json_decref(o);
  return st;
}

char *catalog_dump(uint64_t lsn, uint32_t next_table_id, orb_table *const *tables, int n) {
  json_t *o = json_object();
  json_object_set_new(o, "format-version", json_integer(ORB_CATALOG_FORMAT_VERSION));
  json_object_set_new(o, "lsn", json_integer((json_int_t)lsn));
  json_object_set_new(o, "next-table-id", json_integer(next_table_id));
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    json_t *t = json_object();
    json_object_set_new(t, "id", json_integer(tables[i]->id));
    json_object_set_new(t, "name", json_string(tables[i]->name));
    json_object_set_new(t, "schema", schema_json(&tables[i]->schema));
    if (tables[i]->kind != ORB_TABLE_HOT) {
      orb_table_kind k = tables[i]->kind;
      json_object_set_new(t, "kind", json_string(k == ORB_TABLE_EXTERNAL   ? "external"
                                                 : k == ORB_TABLE_VIEW     ? "view"
                                                 : k == ORB_TABLE_SEQUENCE ? "sequence"
                                                                           : "iceberg"));
      if (k == ORB_TABLE_SEQUENCE && tables[i]->seq) {   /* its state now */
        char *js = orb_seq_json(tables[i]->seq);
        json_object_set_new(t, "location", json_string(js));
        orb_free(js);
      } else {
        json_object_set_new(t, "location", json_string(tables[i]->location));
      }
    }
    json_array_append_new(arr, t);
  }
  json_object_set_new(o, "tables", arr);
  char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(o);
  char *r = orb_strdup(s ? s : "{}");
  free(s);
  return r;
}

void catalog_free(orb_catalog *c) {
  for (int i = 0; i < c->ntables; i++) {
    orb_free(c->tables[i].name);
    orb_free(c->tables[i].location);
    orb_schema_free(&c->tables[i].schema);
  }
  orb_free(c->tables);
  memset(c, 0, sizeof *c);
}

orb_status catalog_parse(const char *text, size_t len, orb_catalog *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  json_error_t je;
  json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!o) return orb_err_set(e, ORB_ERR_CORRUPT, "catalog JSON is malformed at line %d: %s", je.line, je.text);
  orb_status st = ORB_OK;
  json_int_t ver, lsn, next;
  json_t *arr = json_object_get(o, "tables");
  if (!get_int(o, "format-version", 0, INT32_MAX, &ver) || !get_int(o, "lsn", 0, INT64_MAX, &lsn) ||
      !get_int(o, "next-table-id", 1, UINT32_MAX, &next) || !json_is_array(arr)) {
    st = orb_err_set(e, ORB_ERR_CORRUPT, "catalog lacks format-version, lsn, next-table-id or tables");
    goto done;
  }
  if (ver != ORB_CATALOG_FORMAT_VERSION) {
    st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "catalog format version %lld is not supported (expected %d)",
                     (long long)ver, ORB_CATALOG_FORMAT_VERSION);
    goto done;
  }
  out->lsn = (uint64_t)lsn;
  out->next_table_id = (uint32_t)next;
  size_t n = json_array_size(arr);
  out->tables = n ? orb_calloc(n, sizeof *out->tables) : NULL;
  for (size_t i = 0; i < n; i++) {
    json_t *t = json_array_get(arr, i);
    json_int_t id;
    json_t *name = json_object_get(t, "name");
    if (!get_int(t, "id", 1, next - 1, &id) || !json_is_string(name)) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "catalog table %zu lacks an id or a name", i + 1);
      goto done;
    }
    catalog_entry *ce = &out->tables[out->ntables];
    if ((st = schema_parse(json_object_get(t, "schema"), &ce->schema, e)) != ORB_OK) {
      orb_err_prefix(e, "table \"%s\"", json_string_value(name));
      goto done;
    }
    json_t *kind = json_object_get(t, "kind"), *loc = json_object_get(t, "location");
    if (kind) {
      const char *k = json_is_string(kind) ? json_string_value(kind) : "";
      ce->kind = strcmp(k, "external") == 0 ? ORB_TABLE_EXTERNAL
                 : strcmp(k, "iceberg") == 0 ? ORB_TABLE_ICEBERG
                 : strcmp(k, "view") == 0    ? ORB_TABLE_VIEW
                 : strcmp(k, "sequence") == 0 ? ORB_TABLE_SEQUENCE
                                             : ORB_TABLE_HOT;
      if ((ce->kind == ORB_TABLE_HOT && strcmp(k, "hot") != 0) ||
          (ce->kind != ORB_TABLE_HOT && (!json_is_string(loc) || !*json_string_value(loc)))) {
        orb_schema_free(&ce->schema);
        st = orb_err_set(e, ORB_ERR_CORRUPT, "catalog table \"%s\" has a bad kind or no location", json_string_value(name));
        goto done;
      }
      if (ce->kind != ORB_TABLE_HOT) ce->location = orb_strdup(json_string_value(loc));
    }
    ce->id = (uint32_t)id;
    ce->name = orb_strdup(json_string_value(name));
    out->ntables++;
  }
done:
  json_decref(o);
  if (st != ORB_OK) catalog_free(out);
  return st;
}
