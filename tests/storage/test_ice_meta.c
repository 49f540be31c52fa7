/* tests/storage/test_ice_meta.c — Iceberg table metadata: what the reader
** refuses and how it says so (file and JSON path), v1 fallbacks, gzip and
** its limit, types and transforms, the SQL type mapping, the writer for what
** the fixtures lack (v1 input, nested types, defaults), commits that race,
** and re-rooting paths.  Every fixture table is compared with python's
** reading in tests/storage/ice_meta_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "base/file.h"
#include "base/mem.h"
#include "storage/cold/ice_meta.h"

/* A small, valid v2 document: nested types, a partition spec, two snapshots. */
static const char *base_doc =
    "{\"format-version\": 2, \"table-uuid\": \"9c12d441-03fe-4693-9a96-a0705ddf69c1\","
    " \"location\": \"s3://bucket/wh/t\", \"last-sequence-number\": 2, \"last-updated-ms\": 1602638573590,"
    " \"last-column-id\": 9, \"current-schema-id\": 0,"
    " \"schemas\": [{\"type\": \"struct\", \"schema-id\": 0, \"identifier-field-ids\": [1], \"fields\": ["
    "   {\"id\": 1, \"name\": \"id\", \"required\": true, \"type\": \"long\"},"
    "   {\"id\": 2, \"name\": \"price\", \"required\": false, \"type\": \"decimal(9, 2)\", \"doc\": \"in cents\","
    "    \"initial-default\": \"1.50\", \"write-default\": \"2.25\"},"
    "   {\"id\": 3, \"name\": \"tags\", \"required\": false, \"type\": {\"type\": \"list\", \"element-id\": 4,"
    "    \"element-required\": true, \"element\": \"string\"}},"
    "   {\"id\": 5, \"name\": \"attrs\", \"required\": false, \"type\": {\"type\": \"map\", \"key-id\": 6,"
    "    \"key\": \"string\", \"value-id\": 7, \"value-required\": false, \"value\": {\"type\": \"struct\","
    "    \"fields\": [{\"id\": 8, \"name\": \"x\", \"required\": false, \"type\": \"fixed[16]\"}]}}},"
    "   {\"id\": 9, \"name\": \"ts\", \"required\": false, \"type\": \"timestamptz_ns\"}]}],"
    " \"default-spec-id\": 0, \"partition-specs\": [{\"spec-id\": 0, \"fields\": ["
    "   {\"name\": \"ts_day\", \"transform\": \"day\", \"source-id\": 9, \"field-id\": 1000},"
    "   {\"name\": \"id_b\", \"transform\": \"bucket[16]\", \"source-id\": 1, \"field-id\": 1001}]}],"
    " \"last-partition-id\": 1001, \"default-sort-order-id\": 1,"
    " \"sort-orders\": [{\"order-id\": 1, \"fields\": [{\"transform\": \"identity\", \"source-id\": 1,"
    "   \"direction\": \"desc\", \"null-order\": \"nulls-first\"}]}],"
    " \"properties\": {\"write.format.default\": \"parquet\"},"
    " \"current-snapshot-id\": 22,"
    " \"refs\": {\"main\": {\"snapshot-id\": 22, \"type\": \"branch\"},"
    "   \"v1\": {\"snapshot-id\": 11, \"type\": \"tag\", \"max-ref-age-ms\": 86400000}},"
    " \"snapshots\": [{\"sequence-number\": 1, \"snapshot-id\": 11, \"timestamp-ms\": 1602638573000,"
    "   \"summary\": {\"operation\": \"append\", \"added-records\": \"3\"}, \"manifest-list\": \"s3://bucket/wh/t/metadata/snap-11.avro\","
    "   \"schema-id\": 0},"
    "  {\"sequence-number\": 2, \"snapshot-id\": 22, \"parent-snapshot-id\": 11, \"timestamp-ms\": 1602638573590,"
    "   \"summary\": {\"operation\": \"delete\"}, \"manifest-list\": \"s3://bucket/wh/t/metadata/snap-22.avro\"}],"
    " \"snapshot-log\": [{\"timestamp-ms\": 1602638573000, \"snapshot-id\": 11},"
    "   {\"timestamp-ms\": 1602638573590, \"snapshot-id\": 22}],"
    " \"metadata-log\": [{\"timestamp-ms\": 1602638573000, \"metadata-file\": \"s3://bucket/wh/t/metadata/v1.metadata.json\"}],"
    " \"statistics\": [], \"vendor-thing\": {\"a\": [1, 2]}}";

static json_t *base_json(void) {
  json_error_t je;
  json_t *j = json_loads(base_doc, 0, &je);
  if (!j) fail_msg("base document: %s at %d", je.text, je.column);
  return j;
}

/* Parse a jansson document (consumed); returns the status and the message. */
static orb_status parse_json(orb_arena *a, json_t *j, ice_meta *m, orb_err *e) {
  char *s = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  orb_err_clear(e);
  orb_status st = ice_meta_parse(a, s, strlen(s), "t.metadata.json", m, e);
  free(s);
  return st;
}

/* The document with one change at a path of keys/indexes ("snapshots", "1",
** "sequence-number"), NULL value = remove. */
static orb_status parse_with(const char *k1, const char *k2, const char *k3, json_t *value, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  json_t *j = base_json(), *o = j;
  const char *keys[3] = {k1, k2, k3};
  int n = k3 ? 3 : k2 ? 2 : 1;
  for (int i = 0; i < n - 1; i++)
    o = json_is_array(o) ? json_array_get(o, (size_t)atoi(keys[i])) : json_object_get(o, keys[i]);
  const char *last = keys[n - 1];
  if (json_is_array(o)) {
    if (value) json_array_set_new(o, (size_t)atoi(last), value);
    else json_array_remove(o, (size_t)atoi(last));
  } else {
    if (value) json_object_set_new(o, last, value);
    else json_object_del(o, last);
  }
  ice_meta m;
  orb_status st = parse_json(&a, j, &m, e);
  orb_arena_free(&a);
  return st;
}

static void assert_msg(const orb_err *e, const char *part) {
  if (!strstr(e->msg, part)) fail_msg("message \"%s\" lacks \"%s\"", e->msg, part);
}

static void test_reads_base(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(parse_json(&a, base_json(), &m, &e), ORB_OK);
  assert_int_equal(m.format_version, 2);
  assert_string_equal(m.table_uuid, "9c12d441-03fe-4693-9a96-a0705ddf69c1");
  const ice_schema *s = ice_meta_current_schema(&m);
  assert_non_null(s);
  assert_int_equal(s->nfields, 5);
  assert_int_equal(s->nidentifier, 1);
  assert_int_equal(s->identifier_ids[0], 1);
  assert_int_equal(s->fields[1].type->kind, ICE_DECIMAL);
  assert_int_equal(s->fields[1].type->precision, 9);
  assert_int_equal(s->fields[1].type->scale, 2);
  assert_string_equal(s->fields[1].doc, "in cents");
  assert_string_equal(s->fields[1].initial_default, "\"1.50\"");
  assert_string_equal(s->fields[1].write_default, "\"2.25\"");
  const ice_type *list = s->fields[2].type;
  assert_int_equal(list->kind, ICE_LIST);
  assert_int_equal(list->element_id, 4);
  assert_true(list->element_required);
  assert_int_equal(list->element->kind, ICE_STRING);
  const ice_type *map = s->fields[3].type;
  assert_int_equal(map->kind, ICE_MAP);
  assert_int_equal(map->key_id, 6);
  assert_int_equal(map->value_id, 7);
  assert_false(map->value_required);
  assert_int_equal(map->value->kind, ICE_STRUCT);
  assert_int_equal(map->value->fields[0].type->kind, ICE_FIXED);
  assert_int_equal(map->value->fields[0].type->length, 16);
  assert_int_equal(s->fields[4].type->kind, ICE_TIMESTAMPTZ_NS);
  const ice_partition_spec *spec = ice_meta_spec(&m, 0);
  assert_int_equal(spec->fields[0].transform.kind, ICE_TR_DAY);
  assert_int_equal(spec->fields[1].transform.kind, ICE_TR_BUCKET);
  assert_int_equal(spec->fields[1].transform.param, 16);
  assert_true(m.sort_orders[0].fields[0].descending);
  assert_true(m.sort_orders[0].fields[0].nulls_first);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_int_equal(cur->snapshot_id, 22);
  assert_true(cur->has_parent);
  assert_int_equal(cur->parent_id, 11);
  assert_false(cur->has_schema_id);
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "operation"), "delete");
  assert_int_equal(m.nrefs, 2);
  assert_true(m.refs[1].is_tag);
  assert_int_equal(m.refs[1].max_ref_age_ms, 86400000);
  assert_int_equal(m.refs[1].min_snapshots_to_keep, -1);
  assert_int_equal(m.extra.n, 2);
  assert_string_equal(m.extra.items[1].key, "vendor-thing");
  assert_string_equal(m.extra.items[1].json, "{\"a\":[1,2]}");
  orb_arena_free(&a);
}

static void test_errors_name_the_path(void **state) {
  (void)state;
  orb_err e;
  assert_int_equal(parse_with("snapshots", "1", "sequence-number", json_string("2"), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "iceberg metadata \"t.metadata.json\": snapshots[1].sequence-number: expected an integer");
  assert_int_equal(parse_with("location", NULL, NULL, NULL, &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "location: required field is missing");
  assert_int_equal(parse_with("schemas", "0", "fields", json_object(), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "schemas[0].fields: expected an array");
  assert_int_equal(parse_with("last-column-id", NULL, NULL, json_integer(1LL << 40), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "last-column-id: 1099511627776 is out of range");
  assert_int_equal(parse_with("snapshots", "0", "summary", json_pack("{s:s}", "added-records", "1"), &e),
                   ORB_ERR_CORRUPT);
  assert_msg(&e, "snapshots[0].summary.operation: required field is missing");
  assert_int_equal(parse_with("properties", "k", NULL, json_integer(1), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "properties.k: expected a string");
  assert_int_equal(parse_with("refs", "v1", "type", json_string("label"), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "refs.v1.type: expected \"branch\" or \"tag\"");
  assert_int_equal(parse_with("sort-orders", "0", "fields", json_pack("[{s:s,s:i,s:s,s:s}]", "transform", "identity",
                                                                      "source-id", 1, "direction", "up", "null-order",
                                                                      "nulls-last"), &e),
                   ORB_ERR_CORRUPT);
  assert_msg(&e, "sort-orders[0].fields[0].direction: expected \"asc\" or \"desc\"");
  /* Cross-references. */
  assert_int_equal(parse_with("current-snapshot-id", NULL, NULL, json_integer(33), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "current-snapshot-id: snapshot 33 is not in snapshots");
  assert_int_equal(parse_with("refs", "main", "snapshot-id", json_integer(11), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "refs.main.snapshot-id: main is 11 but current-snapshot-id is 22");
  assert_int_equal(parse_with("current-schema-id", NULL, NULL, json_integer(5), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "current-schema-id: schema 5 is not in schemas");
  assert_int_equal(parse_with("default-spec-id", NULL, NULL, json_integer(3), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "default-spec-id: partition spec 3 is not in partition-specs");
  assert_int_equal(parse_with("schemas", "0", "identifier-field-ids", json_pack("[i]", 44), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "schemas[0].identifier-field-ids: field id 44 is not in the schema");
  assert_int_equal(parse_with("snapshots", "1", "snapshot-id", json_integer(11), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "snapshot id 11 appears twice");
  assert_int_equal(parse_with("partition-specs", NULL, NULL,
                              json_pack("[{s:i,s:[]},{s:i,s:[]}]", "spec-id", 0, "fields", "spec-id", 0, "fields"), &e),
                   ORB_ERR_CORRUPT);
  assert_msg(&e, "partition-specs: partition spec id 0 appears twice");
  assert_int_equal(parse_with("refs", "v1", "snapshot-id", json_integer(5), &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "refs.v1.snapshot-id: snapshot 5 is not in snapshots");
  /* Field ids must be unique across nesting (the map's struct reuses 4). */
  assert_int_equal(parse_with("schemas", "0", "fields",
                              json_pack("[{s:i,s:s,s:b,s:s},{s:i,s:s,s:b,s:{s:s,s:i,s:b,s:s}}]", "id", 1, "name", "a",
                                        "required", 0, "type", "int", "id", 2, "name", "b", "required", 0, "type",
                                        "type", "list", "element-id", 1, "element-required", 0, "element", "int"),
                              &e),
                   ORB_ERR_CORRUPT);
  assert_msg(&e, "field id 1 is used twice");
  /* Types. */
  assert_int_equal(parse_with("schemas", "0", "fields",
                              json_pack("[{s:i,s:s,s:b,s:s}]", "id", 1, "name", "a", "required", 0, "type", "decimal(40,2)"),
                              &e),
                   ORB_ERR_CORRUPT);
  assert_msg(&e, "schemas[0].fields[0].type: invalid decimal type \"decimal(40,2)\"");
  assert_int_equal(parse_with("schemas", "0", "fields",
                              json_pack("[{s:i,s:s,s:b,s:s}]", "id", 1, "name", "a", "required", 0, "type", "varchar"),
                              &e),
                   ORB_ERR_UNSUPPORTED);
  assert_msg(&e, "schemas[0].fields[0].type: unknown type \"varchar\"");
}

static void test_versions_and_json(void **state) {
  (void)state;
  orb_err e;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  assert_int_equal(parse_with("format-version", NULL, NULL, json_integer(3), &e), ORB_ERR_UNSUPPORTED);
  assert_msg(&e, "format version 3 is not supported");
  assert_int_equal(parse_with("format-version", NULL, NULL, json_integer(0), &e), ORB_ERR_CORRUPT);
  const char *bad[] = {"", "[1]", "{\"format-version\": 2,", "{\"format-version\": 2, \"format-version\": 2}",
                       "{\"location\": \"a\\u0000b\"}", "\x1f\x8b\x08\x00garbage"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    orb_err_clear(&e);
    assert_int_not_equal(ice_meta_parse(&a, bad[i], strlen(bad[i]), "x.json", &m, &e), ORB_OK);
    assert_msg(&e, "iceberg metadata \"x.json\": ");
  }
  /* Types nested past the limit are refused, not recursed into. */
  json_t *t = json_string("int");
  for (int i = 0; i < ICE_MAX_TYPE_DEPTH + 5; i++)
    t = json_pack("{s:s,s:i,s:b,s:o}", "type", "list", "element-id", 100 + i, "element-required", 0, "element", t);
  assert_int_equal(parse_with("schemas", "0", "fields",
                              json_pack("[{s:i,s:s,s:b,s:o}]", "id", 1, "name", "a", "required", 0, "type", t), &e),
                   ORB_ERR_LIMIT);
  assert_msg(&e, "nest deeper than");
  orb_arena_free(&a);
}

static void test_v1_fallbacks(void **state) {
  (void)state;
  const char *v1 =
      "{\"format-version\": 1, \"location\": \"/tmp/t\", \"last-updated-ms\": 5, \"last-column-id\": 2,"
      " \"schema\": {\"type\": \"struct\", \"fields\": [{\"id\": 1, \"name\": \"a\", \"required\": true, \"type\": \"int\"},"
      "   {\"id\": 2, \"name\": \"b\", \"required\": false, \"type\": \"date\"}]},"
      " \"partition-spec\": [{\"name\": \"b_month\", \"transform\": \"month\", \"source-id\": 2},"
      "   {\"name\": \"a_t\", \"transform\": \"truncate[10]\", \"source-id\": 1}],"
      " \"properties\": {}, \"current-snapshot-id\": 7,"
      " \"snapshots\": [{\"snapshot-id\": 7, \"timestamp-ms\": 5, \"manifests\": [\"/tmp/t/m.avro\"]}]}";
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(ice_meta_parse(&a, v1, strlen(v1), "v1.metadata.json", &m, &e), ORB_OK);
  assert_int_equal(m.format_version, 1);
  assert_null(m.table_uuid);
  assert_int_equal(m.nschemas, 1);
  assert_int_equal(m.current_schema_id, 0);
  assert_int_equal(m.nspecs, 1);
  assert_int_equal(m.specs[0].fields[0].field_id, 1000);
  assert_int_equal(m.specs[0].fields[1].field_id, 1001);
  assert_int_equal(m.specs[0].fields[1].transform.kind, ICE_TR_TRUNCATE);
  assert_int_equal(m.specs[0].fields[1].transform.param, 10);
  assert_int_equal(m.last_partition_id, 1001);
  assert_int_equal(m.nsort_orders, 1);
  assert_int_equal(m.sort_orders[0].nfields, 0);
  /* v1 without refs: "main" points at the current snapshot. */
  assert_int_equal(m.nrefs, 1);
  assert_string_equal(m.refs[0].name, "main");
  assert_int_equal(m.refs[0].snapshot_id, 7);
  assert_null(m.snapshots[0].manifest_list);
  assert_int_equal(m.snapshots[0].extra.n, 1);
  /* v2 cannot say "manifests inline" nor lack a table-uuid: the writer says so. */
  char *json;
  size_t len;
  assert_int_equal(ice_meta_to_json(&m, &json, &len, &e), ORB_ERR_UNSUPPORTED);
  m.table_uuid = "00000000-0000-0000-0000-000000000001";
  assert_int_equal(ice_meta_to_json(&m, &json, &len, &e), ORB_ERR_UNSUPPORTED);
  assert_msg(&e, "snapshot 7 has no manifest list");
  m.snapshots[0].manifest_list = "/tmp/t/snap-7.avro";
  m.snapshots[0].extra.n = 0;
  m.snapshots[0].summary = (ice_kv[]){{"operation", "append"}};
  m.snapshots[0].nsummary = 1;
  assert_int_equal(ice_meta_to_json(&m, &json, &len, &e), ORB_OK);
  ice_meta m2;
  assert_int_equal(ice_meta_parse(&a, json, len, "v2.metadata.json", &m2, &e), ORB_OK);
  orb_free(json);
  assert_int_equal(m2.format_version, 2);
  assert_int_equal(m2.specs[0].fields[1].field_id, 1001);
  assert_int_equal(m2.schemas[0].fields[1].type->kind, ICE_DATE);
  assert_string_equal(m2.refs[0].name, "main");
  orb_arena_free(&a);
}

/* Parse -> write -> parse -> write gives the same text (nested types,
** defaults, doc, unknown keys: what the fixtures do not have). */
static void test_writer_round_trip(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m, m2;
  orb_err e;
  assert_int_equal(parse_json(&a, base_json(), &m, &e), ORB_OK);
  char *j1, *j2;
  size_t l1, l2;
  assert_int_equal(ice_meta_to_json(&m, &j1, &l1, &e), ORB_OK);
  assert_int_equal(ice_meta_parse(&a, j1, l1, "w", &m2, &e), ORB_OK);
  assert_int_equal(ice_meta_to_json(&m2, &j2, &l2, &e), ORB_OK);
  assert_string_equal(j1, j2);
  /* And the written document equals the input as JSON values. */
  json_t *in = base_json(), *out = json_loads(j1, 0, NULL);
  assert_non_null(out);
  assert_true(json_equal(in, out));
  json_decref(in);
  json_decref(out);
  orb_free(j1);
  orb_free(j2);
  orb_arena_free(&a);
}

static void gzip_bytes(const void *in, size_t n, uint8_t **out, size_t *outlen) {
  z_stream z;
  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  size_t cap = deflateBound(&z, (uLong)n);
  *out = malloc(cap);
  z.next_in = (Bytef *)(uintptr_t)in;
  z.avail_in = (uInt)n;
  z.next_out = *out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *outlen = cap - z.avail_out;
  deflateEnd(&z);
}

static void test_gzip(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  orb_err_clear(&e);
  uint8_t *gz;
  size_t gzlen;
  gzip_bytes(base_doc, strlen(base_doc), &gz, &gzlen);
  assert_int_equal(ice_meta_parse(&a, gz, gzlen, "v3.gz.metadata.json", &m, &e), ORB_OK);
  assert_int_equal(m.nsnapshots, 2);
  /* Truncated gzip. */
  assert_int_equal(ice_meta_parse(&a, gz, gzlen / 2, "v3.gz.metadata.json", &m, &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "gzip data is corrupt or truncated");
  free(gz);
  /* A gzip bomb: 33 MiB of spaces in a few kilobytes is refused by the limit. */
  size_t big = ICE_META_MAX_BYTES + (1 << 20);
  char *spaces = malloc(big);
  memset(spaces, ' ', big);
  gzip_bytes(spaces, big, &gz, &gzlen);
  free(spaces);
  assert_true(gzlen < 100000);
  assert_int_equal(ice_meta_parse(&a, gz, gzlen, "bomb.gz.metadata.json", &m, &e), ORB_ERR_LIMIT);
  assert_msg(&e, "inflates to more than");
  free(gz);
  orb_arena_free(&a);
}

static void test_types_and_sql(void **state) {
  (void)state;
  orb_err e;
  ice_type t;
  orb_type s;
  struct { const char *name; int sql; } cases[] = {
      {"boolean", ORB_T_BOOL}, {"int", ORB_T_INT32}, {"long", ORB_T_INT64}, {"float", ORB_T_FLOAT32},
      {"double", ORB_T_FLOAT64}, {"date", ORB_T_DATE}, {"time", ORB_T_TIME}, {"timestamp", ORB_T_TIMESTAMP},
      {"timestamptz", ORB_T_TIMESTAMPTZ}, {"timestamp_ns", ORB_T_TIMESTAMP}, {"timestamptz_ns", ORB_T_TIMESTAMPTZ},
      {"string", ORB_T_TEXT}, {"uuid", ORB_T_UUID}, {"binary", ORB_T_BYTEA}, {"fixed[3]", ORB_T_BYTEA},
      {"fixed[ 3 ]", ORB_T_BYTEA}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(ice_type_parse_primitive(cases[i].name, &t, &e), ORB_OK);
    assert_int_equal(ice_sql_type(&t, &s, &e), ORB_OK);
    assert_int_equal(s.id, cases[i].sql);
  }
  assert_int_equal(ice_type_parse_primitive("decimal( 38 ,0 )", &t, &e), ORB_OK);
  assert_int_equal(ice_sql_type(&t, &s, &e), ORB_OK);
  assert_int_equal(s.id, ORB_T_DECIMAL);
  assert_int_equal(s.precision, 38);
  assert_int_equal(s.scale, 0);
  const char *bad[] = {"decimal(0,0)", "decimal(5,6)", "decimal(5)", "decimal(5,2)x", "fixed[0]", "fixed[]",
                       "fixed[99999999999]", "Int", "struct", "list"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_not_equal(ice_type_parse_primitive(bad[i], &t, &e), ORB_OK);
  ice_type nested = {.kind = ICE_MAP};
  assert_int_equal(ice_sql_type(&nested, &s, &e), ORB_ERR_UNSUPPORTED);
  assert_msg(&e, "map columns are not supported");

  ice_transform tr = ice_transform_parse("truncate[4]");
  assert_int_equal(tr.kind, ICE_TR_TRUNCATE);
  assert_int_equal(tr.param, 4);
  assert_int_equal(ice_transform_parse("hour").kind, ICE_TR_HOUR);
  assert_int_equal(ice_transform_parse("void").kind, ICE_TR_VOID);
  tr = ice_transform_parse("zorder(a,b)");
  assert_int_equal(tr.kind, ICE_TR_UNKNOWN);
  assert_string_equal(tr.text, "zorder(a,b)");
  assert_int_equal(ice_transform_parse("bucket[0]").kind, ICE_TR_UNKNOWN);
  assert_int_equal(ice_transform_parse("bucket[3]x").kind, ICE_TR_UNKNOWN);
}

static char *make_table(void) {
  char tmpl[] = "/tmp/ice_meta_test_XXXXXX";
  char *dir = mkdtemp(tmpl);
  assert_non_null(dir);
  return strdup(dir);
}

static void rm_rf(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

static void test_commit_conflicts(void **state) {
  (void)state;
  char *dir = make_table();
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m, cur;
  orb_err e;
  assert_int_equal(parse_json(&a, base_json(), &m, &e), ORB_OK);
  const char *p;
  assert_int_equal(ice_meta_commit(&a, dir, 0, &m, &p, &e), ORB_OK);
  assert_non_null(strstr(p, "/metadata/v1.metadata.json"));
  /* Another writer that also read version 0 loses, clearly, and cleanly. */
  assert_int_equal(ice_meta_commit(&a, dir, 0, &m, &p, &e), ORB_ERR_CONFLICT);
  assert_msg(&e, "version 1 of");
  assert_msg(&e, "was committed by another writer");
  ice_meta_file f;
  assert_int_equal(ice_meta_open(&a, dir, &cur, &f, &e), ORB_OK);
  assert_int_equal(f.version, 1);

  /* Eight processes commit version 2 at once: exactly one wins. */
  int wins = 0, conflicts = 0;
  pid_t kids[8];
  for (int i = 0; i < 8; i++) {
    kids[i] = fork();
    assert_true(kids[i] >= 0);
    if (kids[i] == 0) {
      orb_arena ka;
      orb_arena_init(&ka, 0);
      orb_err ke;
      orb_status st = ice_meta_commit(&ka, dir, 1, &m, NULL, &ke);
      _exit(st == ORB_OK ? 0 : st == ORB_ERR_CONFLICT ? 1 : 2);
    }
  }
  for (int i = 0; i < 8; i++) {
    int status;
    assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) wins++;
    else if (WEXITSTATUS(status) == 1) conflicts++;
  }
  assert_int_equal(wins, 1);
  assert_int_equal(conflicts, 7);
  assert_int_equal(ice_meta_open(&a, dir, &cur, &f, &e), ORB_OK);
  assert_int_equal(f.version, 2);
  /* No temporary files left by the losers. */
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s/metadata' | grep '^\\.')\"", dir);
  assert_int_equal(system(cmd), 0);
  orb_arena_free(&a);
  rm_rf(dir);
  free(dir);
}

static void test_find_errors(void **state) {
  (void)state;
  char *dir = make_table();
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_meta_file f;
  orb_err_clear(&e);
  assert_int_equal(ice_find_current(&a, dir, &f, &e), ORB_ERR_UNDEFINED);
  assert_msg(&e, "no table metadata file in");
  char path[4200];
  snprintf(path, sizeof path, "%s/metadata", dir);
  assert_int_equal(orb_mkdir_p(path, &e), ORB_OK);
  const char *names[] = {"00003-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.metadata.json", "v3.metadata.json",
                         "v10.metadata.json.tmp", "snap-1.avro", "v2.metadata.json"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/metadata/%s", dir, names[i]);
    assert_int_equal(orb_file_write_atomic(path, "{}", 2, &e), ORB_OK);
  }
  assert_int_equal(ice_find_current(&a, dir, &f, &e), ORB_ERR_CORRUPT);
  assert_msg(&e, "claim version 3");
  /* A metadata file given directly. */
  snprintf(path, sizeof path, "%s/metadata/v2.metadata.json", dir);
  assert_int_equal(ice_find_current(&a, path, &f, &e), ORB_OK);
  assert_int_equal(f.version, 2);
  snprintf(path, sizeof path, "%s/nothing", dir);
  assert_int_equal(ice_find_current(&a, path, &f, &e), ORB_ERR_UNDEFINED);
  orb_arena_free(&a);
  rm_rf(dir);
  free(dir);
}

static void expect_reroot(const char *loc, const char *dir, const char *path, const char *want, bool rerooted) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  const char *out;
  bool r;
  assert_int_equal(ice_reroot(&a, loc, dir, path, &out, &r, &e), ORB_OK);
  if (strcmp(out, want) != 0 || r != rerooted)
    fail_msg("reroot(%s, %s, %s) = %s (%d), want %s (%d)", loc, dir, path, out, r, want, rerooted);
  orb_arena_free(&a);
}

static void test_reroot(void **state) {
  (void)state;
  const char *loc = "s3a://warehouse/t";
  expect_reroot(loc, "/data/t", "s3a://warehouse/t/data/x.parquet", "/data/t/data/x.parquet", true);
  expect_reroot(loc, "/data/t/", "s3a://warehouse/t/data/x.parquet", "/data/t/data/x.parquet", true);
  expect_reroot(loc, "/data/t", "s3://warehouse/t/metadata/m.avro", "/data/t/metadata/m.avro", true);
  expect_reroot(loc, "/data/t", "S3N://warehouse//t/./data//x", "/data/t/data/x", true);
  expect_reroot("s3a://warehouse/t/", "rel/t", "s3a://warehouse/t/data/x", "rel/t/data/x", true);
  expect_reroot(loc, "/data/t", "s3a://warehouse/t", "/data/t", true);
  /* Not under the location: a sibling with the same prefix, another bucket,
  ** another scheme, a local path. */
  expect_reroot(loc, "/data/t", "s3a://warehouse/t2/data/x", "s3a://warehouse/t2/data/x", false);
  expect_reroot(loc, "/data/t", "s3a://other/t/data/x", "s3a://other/t/data/x", false);
  expect_reroot(loc, "/data/t", "gs://warehouse/t/data/x", "gs://warehouse/t/data/x", false);
  expect_reroot(loc, "/data/t", "/warehouse/t/data/x", "/warehouse/t/data/x", false);
  /* Local locations: file: URIs and plain paths are the same thing. */
  expect_reroot("/old/wh/t", "/new/t", "file:///old/wh/t/data/x", "/new/t/data/x", true);
  expect_reroot("file:/old/wh/t", "/new/t", "/old/wh/t/./data/x", "/new/t/data/x", true);
  expect_reroot("file://localhost/old/wh/t", "/new/t", "file:/old/wh/t/data/x", "/new/t/data/x", true);
  /* A location that normalizes to a root re-roots nothing. */
  expect_reroot("/", "/new/t", "/etc/passwd", "/etc/passwd", false);
  expect_reroot("s3://", "/new/t", "s3://b/x", "s3://b/x", false);
  /* ".." would leave the folder: refused. */
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  const char *out;
  bool r;
  assert_int_equal(ice_reroot(&a, loc, "/data/t", "s3a://warehouse/t/data/../../../etc/passwd", &out, &r, &e),
                   ORB_ERR_CORRUPT);
  assert_msg(&e, "leaves the table's location");
  assert_string_equal(ice_path_normalize(&a, "S3A://b//x/./y/"), "s3://b/x/y");
  assert_string_equal(ice_path_normalize(&a, "./a//b"), "a/b");
  orb_arena_free(&a);
}

/* Every fixture table: the manifest list of every snapshot, re-rooted onto
** the folder the table was copied to, is a file there. */
static void test_reroot_fixtures(void **state) {
  (void)state;
  const char *patterns[] = {"../shared/fixtures/iceberg-trino/*/metadata",
                            "../shared/fixtures/iceberg-trino/*/*/metadata",
                            "../shared/fixtures/iceberg-trino/*/*/*/metadata"};
  int tables = 0, lists = 0;
  for (size_t p = 0; p < 3; p++) {
    glob_t g;
    if (glob(patterns[p], 0, NULL, &g) != 0) continue;
    for (size_t i = 0; i < g.gl_pathc; i++) {
      orb_arena a;
      orb_arena_init(&a, 0);
      orb_err e;
      orb_err_clear(&e);
      char *dir = orb_arena_strndup(&a, g.gl_pathv[i], strlen(g.gl_pathv[i]) - strlen("/metadata"));
      ice_meta m;
      if (ice_meta_open(&a, dir, &m, NULL, &e) != ORB_OK) {
        assert_int_equal(e.code, ORB_ERR_UNSUPPORTED);   /* deletion_vectors: format version 3 */
        orb_arena_free(&a);
        continue;
      }
      tables++;
      /* partitioned_table_with_{missing,multiple}_spec and _void_transform are
      ** hand-edited copies of metadata JSON alone (their create.md): no Avro. */
      glob_t avro;
      bool has_avro = glob(orb_arena_sprintf(&a, "%s/metadata/*.avro", dir), 0, NULL, &avro) == 0;
      if (has_avro) globfree(&avro);
      for (int s = 0; s < m.nsnapshots; s++) {
        const char *out;
        bool r;
        assert_int_equal(ice_reroot(&a, m.location, dir, m.snapshots[s].manifest_list, &out, &r, &e), ORB_OK);
        assert_true(r);
        if (has_avro && !orb_path_exists(out)) fail_msg("%s: %s re-rooted to %s, which does not exist", dir,
                                            m.snapshots[s].manifest_list, out);
        lists += has_avro;
      }
      orb_arena_free(&a);
    }
    globfree(&g);
  }
  assert_true(tables >= 24);
  printf("fixture tables: %d, manifest lists re-rooted onto their folders and found: %d\n", tables, lists);
  assert_true(lists >= 40);
}

static void test_prepare_commit(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta base, next;
  orb_err e;
  assert_int_equal(parse_json(&a, base_json(), &base, &e), ORB_OK);
  next = base;
  assert_int_equal(ice_meta_prepare_commit(&a, &base, "/copy/t/metadata/v2.metadata.json", 1602638600000, &next, &e),
                   ORB_OK);
  assert_int_equal(next.last_updated_ms, 1602638600000);
  assert_int_equal(next.nmetadata_log, 2);
  assert_string_equal(next.metadata_log[0].metadata_file, "s3://bucket/wh/t/metadata/v1.metadata.json");
  assert_string_equal(next.metadata_log[1].metadata_file, "s3://bucket/wh/t/metadata/v2.metadata.json");
  assert_int_equal(next.metadata_log[1].timestamp_ms, base.last_updated_ms);
  assert_int_equal(base.nmetadata_log, 1);   /* base untouched */
  /* A clock behind the base's does not move time backwards. */
  assert_int_equal(ice_meta_prepare_commit(&a, &base, "v2.metadata.json", 5, &next, &e), ORB_OK);
  assert_int_equal(next.last_updated_ms, base.last_updated_ms);
  /* write.metadata.previous-versions-max = 1 keeps only the newest entry. */
  ice_kv props[] = {{"write.metadata.previous-versions-max", "1"}};
  next = base;
  next.properties = props;
  next.nproperties = 1;
  assert_int_equal(ice_meta_prepare_commit(&a, &base, "v2.metadata.json", 1602638600000, &next, &e), ORB_OK);
  assert_int_equal(next.nmetadata_log, 1);
  assert_string_equal(next.metadata_log[0].metadata_file, "s3://bucket/wh/t/metadata/v2.metadata.json");
  props[0].value = "lots";
  assert_int_equal(ice_meta_prepare_commit(&a, &base, "v2.metadata.json", 1602638600000, &next, &e),
                   ORB_ERR_INVALID_TEXT);
  assert_msg(&e, "previous-versions-max is not a number");
  orb_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reads_base),        cmocka_unit_test(test_errors_name_the_path),
      cmocka_unit_test(test_versions_and_json), cmocka_unit_test(test_v1_fallbacks),
      cmocka_unit_test(test_writer_round_trip), cmocka_unit_test(test_gzip),
      cmocka_unit_test(test_types_and_sql),     cmocka_unit_test(test_commit_conflicts),
      cmocka_unit_test(test_find_errors),       cmocka_unit_test(test_reroot),
      cmocka_unit_test(test_reroot_fixtures),   cmocka_unit_test(test_prepare_commit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
