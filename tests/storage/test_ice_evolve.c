/* tests/storage/test_ice_evolve.c — the schema and partition-spec edits of
** storage/cold/ice_evolve.h on table metadata built here, without a
** commit: Iceberg's promotion rules, new field ids past last-column-id and
** never reused, an identical schema or spec made current again instead of
** copied, refusals (required column added, partition source or identifier
** dropped, optional -> required), partition field ids recycled per
** (source, transform) as Java does, v2 removal of dropped fields, and the
** result surviving the JSON writer and reader.  The SQL statements, the
** commits and other engines reading the result are
** tests/storage/iceberg_evolve_test.py's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/mem.h"
#include "storage/cold/ice_evolve.h"

/* id long, ts timestamp, n int, f float, d decimal(9,2), s string (required);
** spec 0: day(ts); last-partition-id 1000 */
static const char meta_json[] =
    "{\"format-version\":2,\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\",\"location\":\"/t\","
    "\"last-sequence-number\":0,\"last-updated-ms\":1,\"last-column-id\":6,\"current-schema-id\":0,"
    "\"schemas\":[{\"type\":\"struct\",\"schema-id\":0,\"identifier-field-ids\":[1],\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
    "{\"id\":2,\"name\":\"ts\",\"required\":false,\"type\":\"timestamp\"},"
    "{\"id\":3,\"name\":\"n\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":4,\"name\":\"f\",\"required\":false,\"type\":\"float\"},"
    "{\"id\":5,\"name\":\"d\",\"required\":false,\"type\":\"decimal(9, 2)\"},"
    "{\"id\":6,\"name\":\"s\",\"required\":true,\"type\":\"string\"}]}],"
    "\"default-spec-id\":0,\"partition-specs\":[{\"spec-id\":0,\"fields\":["
    "{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":2,\"field-id\":1000}]}],"
    "\"last-partition-id\":1000,\"default-sort-order-id\":0,\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],"
    "\"properties\":{},\"current-snapshot-id\":-1,\"snapshots\":[],\"snapshot-log\":[],\"metadata-log\":[]}";

static void load(orb_arena *a, ice_meta *m) {
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(ice_meta_parse(a, meta_json, strlen(meta_json), "test", m, &e), ORB_OK);
}

static ice_type prim(const char *s) {
  ice_type t;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(ice_type_parse_primitive(s, &t, &e), ORB_OK);
  return t;
}

/* Apply a schema change to *m (which then is the result); the status back. */
static orb_status schema_step(orb_arena *a, ice_meta *m, ice_schema_op op, int32_t id, const char *name, const char *type,
                              int32_t *fid, orb_err *e) {
  ice_schema_change c;
  memset(&c, 0, sizeof c);
  c.op = op;
  c.field_id = id;
  c.name = name;
  if (type) c.type = prim(type);
  ice_meta next = *m;
  orb_err_clear(e);
  orb_status st = ice_schema_update(a, m, &c, &next, fid, e);
  if (st == ORB_OK) *m = next;
  return st;
}

static orb_status spec_step(orb_arena *a, ice_meta *m, ice_spec_op op, const char *term, const char *with,
                            const char *as, orb_err *e) {
  ice_spec_change c = {op, term, with, as};
  ice_meta next = *m;
  orb_err_clear(e);
  orb_status st = ice_spec_update(a, m, &c, &next, e);
  if (st == ORB_OK) *m = next;
  return st;
}

static const ice_field *field(const ice_meta *m, const char *name) {
  const ice_schema *s = ice_meta_current_schema(m);
  for (int i = 0; i < s->nfields; i++)
    if (strcmp(s->fields[i].name, name) == 0) return &s->fields[i];
  return NULL;
}

/* "name:id,name:id" of the default spec's fields */
static const char *spec_text(orb_arena *a, const ice_meta *m) {
  const ice_partition_spec *s = ice_meta_spec(m, m->default_spec_id);
  const char *out = "";
  for (int i = 0; i < s->nfields; i++)
    out = orb_arena_sprintf(a, "%s%s%s:%d", out, i ? "," : "", s->fields[i].name, (int)s->fields[i].field_id);
  return out;
}

static void test_promotions(void **state) {
  (void)state;
  static const struct {
    const char *from, *to;
    bool ok;
  } cases[] = {{"int", "long", true},           {"long", "int", false},           {"float", "double", true},
               {"double", "float", false},      {"int", "double", false},         {"int", "string", false},
               {"decimal(9, 2)", "decimal(12, 2)", true}, {"decimal(9, 2)", "decimal(9, 2)", true},
               {"decimal(9, 2)", "decimal(12, 3)", false}, {"decimal(9, 2)", "decimal(8, 2)", false},
               {"string", "string", true},     {"date", "timestamp", false},     {"timestamp", "timestamptz", false},
               {"fixed[4]", "fixed[8]", false}, {"binary", "string", false}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ice_type f = prim(cases[i].from), t = prim(cases[i].to);
    if (ice_type_promotable(&f, &t) != cases[i].ok) fail_msg("%s -> %s: expected %d", cases[i].from, cases[i].to, cases[i].ok);
  }
}

static void test_schema_changes(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  load(&a, &m);
  orb_err e;
  int32_t fid = 0;

  /* add: optional, id last-column-id + 1, a new current schema */
  assert_int_equal(schema_step(&a, &m, ICE_ADD_COLUMN, 0, "extra", "string", &fid, &e), ORB_OK);
  assert_int_equal(fid, 7);
  assert_int_equal(m.last_column_id, 7);
  assert_int_equal(m.nschemas, 2);
  assert_int_equal(m.current_schema_id, 1);
  assert_false(field(&m, "extra")->required);
  /* the schema before stays as it was */
  assert_int_equal(ice_meta_schema(&m, 0)->nfields, 6);

  ice_schema_change req = {ICE_ADD_COLUMN, 0, "r", prim("int"), true};
  ice_meta next = m;
  assert_int_equal(ice_schema_update(&a, &m, &req, &next, NULL, &e), ORB_ERR_UNSUPPORTED);
  assert_int_equal(schema_step(&a, &m, ICE_ADD_COLUMN, 0, "n", "int", NULL, &e), ORB_ERR_DUPLICATE);
  assert_string_equal(orb_err_sqlstate(&e), "42701");

  /* drop then add the name again: a new id, never the old one */
  assert_int_equal(schema_step(&a, &m, ICE_DROP_COLUMN, 7, NULL, NULL, NULL, &e), ORB_OK);
  assert_null(field(&m, "extra"));
  assert_int_equal(m.last_column_id, 7);
  assert_int_equal(schema_step(&a, &m, ICE_ADD_COLUMN, 0, "extra", "string", &fid, &e), ORB_OK);
  assert_int_equal(fid, 8);

  /* refused drops: the partition source, the identifier field */
  assert_int_equal(schema_step(&a, &m, ICE_DROP_COLUMN, 2, NULL, NULL, NULL, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "ts_day"));
  assert_int_equal(schema_step(&a, &m, ICE_DROP_COLUMN, 1, NULL, NULL, NULL, &e), ORB_ERR_UNSUPPORTED);
  assert_int_equal(schema_step(&a, &m, ICE_DROP_COLUMN, 99, NULL, NULL, NULL, &e), ORB_ERR_UNDEFINED);

  /* rename and back: the earlier schema becomes current again */
  int32_t before = m.current_schema_id;
  int nschemas = m.nschemas;
  assert_int_equal(schema_step(&a, &m, ICE_RENAME_COLUMN, 6, "label", NULL, NULL, &e), ORB_OK);
  assert_int_equal(m.nschemas, nschemas + 1);
  assert_int_equal(schema_step(&a, &m, ICE_RENAME_COLUMN, 6, "s", NULL, NULL, &e), ORB_OK);
  assert_int_equal(m.current_schema_id, before);
  assert_int_equal(m.nschemas, nschemas + 1);
  assert_int_equal(schema_step(&a, &m, ICE_RENAME_COLUMN, 6, "n", NULL, NULL, &e), ORB_ERR_DUPLICATE);

  /* types */
  assert_int_equal(schema_step(&a, &m, ICE_UPDATE_TYPE, 3, NULL, "long", NULL, &e), ORB_OK);
  assert_int_equal(field(&m, "n")->type->kind, ICE_LONG);
  assert_int_equal(schema_step(&a, &m, ICE_UPDATE_TYPE, 5, NULL, "decimal(12, 2)", NULL, &e), ORB_OK);
  assert_int_equal(field(&m, "d")->type->precision, 12);
  assert_int_equal(schema_step(&a, &m, ICE_UPDATE_TYPE, 4, NULL, "string", NULL, &e), ORB_ERR_TYPE);
  assert_non_null(strstr(e.msg, "from float to string"));

  /* requiredness */
  assert_int_equal(schema_step(&a, &m, ICE_MAKE_OPTIONAL, 6, NULL, NULL, NULL, &e), ORB_OK);
  assert_false(field(&m, "s")->required);
  assert_int_equal(schema_step(&a, &m, ICE_MAKE_REQUIRED, 6, NULL, NULL, NULL, &e), ORB_ERR_UNSUPPORTED);
  assert_int_equal(schema_step(&a, &m, ICE_MAKE_OPTIONAL, 1, NULL, NULL, NULL, &e), ORB_ERR_UNSUPPORTED);

  /* every schema id is unique; the last is current */
  for (int i = 0; i < m.nschemas; i++)
    for (int j = 0; j < i; j++) assert_int_not_equal(m.schemas[i].schema_id, m.schemas[j].schema_id);

  /* the JSON writer and reader keep it all */
  char *js;
  size_t len;
  assert_int_equal(ice_meta_to_json(&m, &js, &len, &e), ORB_OK);
  ice_meta back;
  assert_int_equal(ice_meta_parse(&a, js, len, "back", &back, &e), ORB_OK);
  orb_free(js);
  assert_int_equal(back.nschemas, m.nschemas);
  assert_int_equal(back.current_schema_id, m.current_schema_id);
  assert_int_equal(back.last_column_id, 8);
  assert_int_equal(field(&back, "n")->type->kind, ICE_LONG);
  orb_arena_free(&a);
}

static void test_spec_changes(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  load(&a, &m);
  orb_err e;

  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "bucket(16, id)", NULL, NULL, &e), ORB_OK);
  assert_int_equal(m.default_spec_id, 1);
  assert_string_equal(spec_text(&a, &m), "ts_day:1000,id_bucket:1001");
  assert_int_equal(m.last_partition_id, 1001);
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "bucket(16, id)", NULL, NULL, &e), ORB_ERR_DUPLICATE);
  assert_string_equal(orb_err_sqlstate(&e), "42710");

  assert_int_equal(spec_step(&a, &m, ICE_SPEC_REPLACE_FIELD, "day(ts)", "hour(ts)", NULL, &e), ORB_OK);
  assert_string_equal(spec_text(&a, &m), "id_bucket:1001,ts_hour:1002");
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_DROP_FIELD, "id_bucket", NULL, NULL, &e), ORB_OK);   /* by name */
  assert_string_equal(spec_text(&a, &m), "ts_hour:1002");   /* v2: removed, no void field left */
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_DROP_FIELD, "bucket(16, id)", NULL, NULL, &e), ORB_ERR_UNDEFINED);
  assert_string_equal(orb_err_sqlstate(&e), "42704");

  /* a transform an earlier spec had keeps its field id */
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "days(ts)", NULL, NULL, &e), ORB_OK);
  assert_string_equal(spec_text(&a, &m), "ts_hour:1002,ts_day:1000");
  assert_int_equal(m.last_partition_id, 1002);
  /* ... unless a different name is asked for */
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "bucket(16, id)", NULL, "b16", &e), ORB_OK);
  assert_string_equal(spec_text(&a, &m), "ts_hour:1002,ts_day:1000,b16:1003");

  /* a spec identical to an existing one is reused */
  int nspecs = m.nspecs;
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_SET, "day(ts)", NULL, NULL, &e), ORB_OK);
  assert_int_equal(m.default_spec_id, 0);
  assert_int_equal(m.nspecs, nspecs);
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_SET, "day(ts), bucket(16, id)", NULL, NULL, &e), ORB_OK);
  assert_int_equal(m.default_spec_id, 1);
  assert_int_equal(m.nspecs, nspecs);
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_SET, "", NULL, NULL, &e), ORB_OK);
  assert_int_equal(m.nspecs, nspecs + 1);
  assert_int_equal(ice_meta_spec(&m, m.default_spec_id)->nfields, 0);
  assert_int_equal(m.last_partition_id, 1003);

  /* names: a column's name only for its identity field */
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "bucket(4, n)", NULL, "s", &e), ORB_ERR_DUPLICATE);
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "n", NULL, NULL, &e), ORB_OK);
  assert_string_equal(spec_text(&a, &m), "n:1004");
  assert_int_equal(spec_step(&a, &m, ICE_SPEC_ADD_FIELD, "day(nosuch)", NULL, NULL, &e), ORB_ERR_UNDEFINED);

  /* dropping a column an old spec partitions by is refused too */
  int32_t fid;
  assert_int_equal(schema_step(&a, &m, ICE_DROP_COLUMN, 1, NULL, NULL, &fid, &e), ORB_ERR_UNSUPPORTED);
  assert_int_equal(schema_step(&a, &m, ICE_DROP_COLUMN, 2, NULL, NULL, &fid, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "earlier partition spec"));
  orb_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_promotions),
      cmocka_unit_test(test_schema_changes),
      cmocka_unit_test(test_spec_changes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
