/* tests/formats/test_avro.c — Avro on hand-made bytes: the binary encoding
** against byte sequences worked out from the specification (zigzag
** varints, strings, records, arrays, maps, unions, blocks with negative
** counts), schemas (attributes kept, names and namespaces, every kind of
** bad schema refused), container files written and read back with every
** codec, corrupted files failing cleanly, and resolution by field id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "base/mem.h"
#include "formats/avro/avro.h"

static avro_schema *schema(orb_arena *a, const char *json) {
  orb_err e;
  orb_err_clear(&e);
  avro_schema *s = NULL;
  if (avro_schema_parse(json, strlen(json), a, NULL, &s, &e) != ORB_OK) fail_msg("schema %s: %s", json, e.msg);
  return s;
}

/* encode v as s and compare with the expected bytes, then decode them back */
static void check_bytes(const char *sjson, avro_value v, const uint8_t *want, size_t n) {
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s = schema(&a, sjson);
  orb_buf b = ORB_BUF_INIT;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_encode(s, &v, &b, &e), ORB_OK);
  assert_int_equal(b.len, n);
  assert_memory_equal(b.data, want, n);
  orb_rd r;
  orb_rd_init(&r, want, n);
  avro_value back;
  assert_int_equal(avro_decode(s, &r, &a, 0, "test", &back, &e), ORB_OK);
  assert_int_equal(orb_rd_left(&r), 0);
  if (v.kind == AVRO_INT && s->kind == AVRO_LONG) v = avro_long(v.u.i);
  assert_true(avro_value_equal(&v, &back));
  orb_buf_free(&b);
  orb_arena_free(&a);
}

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static void test_zigzag(void **state) {
  (void)state;
  /* the specification's table: 0, -1, 1, -2, 2 ... -64, 64 */
  check_bytes("\"long\"", avro_long(0), BYTES(0x00));
  check_bytes("\"long\"", avro_long(-1), BYTES(0x01));
  check_bytes("\"long\"", avro_long(1), BYTES(0x02));
  check_bytes("\"long\"", avro_long(-2), BYTES(0x03));
  check_bytes("\"long\"", avro_long(2), BYTES(0x04));
  check_bytes("\"long\"", avro_long(-64), BYTES(0x7f));
  check_bytes("\"long\"", avro_long(64), BYTES(0x80, 0x01));
  /* extremes: zigzag of INT64_MAX is 2^64-2, of INT64_MIN 2^64-1: ten bytes */
  check_bytes("\"long\"", avro_long(INT64_MAX), BYTES(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
  check_bytes("\"long\"", avro_long(INT64_MIN), BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
  check_bytes("\"int\"", avro_int(INT32_MAX), BYTES(0xfe, 0xff, 0xff, 0xff, 0x0f));
  check_bytes("\"int\"", avro_int(INT32_MIN), BYTES(0xff, 0xff, 0xff, 0xff, 0x0f));
  check_bytes("\"int\"", avro_int(-3), BYTES(0x05));
  /* an int written into a long schema is promoted */
  check_bytes("\"long\"", avro_int(300), BYTES(0xd8, 0x04));
}

static void test_primitives(void **state) {
  (void)state;
  check_bytes("\"null\"", avro_null(), (const uint8_t *)"", 0);
  check_bytes("\"boolean\"", avro_bool(true), BYTES(0x01));
  check_bytes("\"boolean\"", avro_bool(false), BYTES(0x00));
  check_bytes("\"float\"", avro_float(1.0f), BYTES(0x00, 0x00, 0x80, 0x3f));
  check_bytes("\"double\"", avro_double(-2.5), BYTES(0, 0, 0, 0, 0, 0, 0x04, 0xc0));
  /* the specification's example: "foo" is 06 66 6f 6f */
  check_bytes("\"string\"", avro_string("foo", 3), BYTES(0x06, 'f', 'o', 'o'));
  check_bytes("\"bytes\"", avro_bytes("\x00\xff", 2), BYTES(0x04, 0x00, 0xff));
  check_bytes("\"string\"", avro_string("", 0), BYTES(0x00));
}

static void test_complex(void **state) {
  (void)state;
  /* the specification's record example: {"a": 27, "b": "foo"} is 36 06 66 6f 6f */
  avro_value f[2] = {avro_long(27), avro_string("foo", 3)};
  avro_value rec = {.kind = AVRO_RECORD, .branch = -1, .u.c = {f, NULL, 2}};
  check_bytes("{\"type\":\"record\",\"name\":\"test\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"},"
              "{\"name\":\"b\",\"type\":\"string\"}]}",
              rec, BYTES(0x36, 0x06, 'f', 'o', 'o'));
  /* the specification's array example: [3, 27] is 04 06 36 00 */
  avro_value items[2] = {avro_long(3), avro_long(27)};
  avro_value arr = {.kind = AVRO_ARRAY, .branch = -1, .u.c = {items, NULL, 2}};
  check_bytes("{\"type\":\"array\",\"items\":\"long\"}", arr, BYTES(0x04, 0x06, 0x36, 0x00));
  avro_value empty = {.kind = AVRO_ARRAY, .branch = -1};
  check_bytes("{\"type\":\"array\",\"items\":\"long\"}", empty, BYTES(0x00));
  /* the specification's union example: ["null","string"]: null is 00, "a" is 02 02 61 */
  avro_value null0 = avro_null(), a1 = avro_string("a", 1);
  null0.branch = 0;
  a1.branch = 1;
  check_bytes("[\"null\",\"string\"]", null0, BYTES(0x00));
  check_bytes("[\"null\",\"string\"]", a1, BYTES(0x02, 0x02, 'a'));
  /* map {"a": 1} of int: one block of one entry, key, value, end */
  avro_str key = {"a", 1};
  avro_value one = avro_int(1);
  avro_value map = {.kind = AVRO_MAP, .branch = -1, .u.c = {&one, &key, 1}};
  check_bytes("{\"type\":\"map\",\"values\":\"int\"}", map, BYTES(0x02, 0x02, 'a', 0x02, 0x00));
  /* enum: the symbol's index; fixed: the bytes alone */
  avro_value en = {.kind = AVRO_ENUM, .branch = -1, .u.i = 2};
  check_bytes("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}", en, BYTES(0x04));
  avro_value fx = {.kind = AVRO_FIXED, .branch = -1, .u.s = {"\x01\x02\x03", 3}};
  check_bytes("{\"type\":\"fixed\",\"name\":\"F\",\"size\":3}", fx, BYTES(0x01, 0x02, 0x03));
}

/* decode bytes as schema: the status, and the message when it fails */
static orb_status decode(const char *sjson, const uint8_t *b, size_t n, size_t limit, avro_value *out, char *msg) {
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s = schema(&a, sjson);
  orb_rd r;
  orb_rd_init(&r, b, n);
  orb_err e;
  orb_err_clear(&e);
  avro_value v;
  orb_status st = avro_decode(s, &r, &a, limit, "t", &v, &e);
  if (out) *out = v;
  if (msg) strcpy(msg, e.msg);
  if (st == ORB_OK && out && v.kind == AVRO_ARRAY) {   /* copy out what the caller looks at */
    assert_true(v.u.c.n <= 4);
    static avro_value keep[4];
    memcpy(keep, v.u.c.v, v.u.c.n * sizeof *keep);
    out->u.c.v = keep;
  }
  orb_arena_free(&a);
  return st;
}

static void test_blocks_and_bad_bytes(void **state) {
  (void)state;
  char msg[ORB_ERR_MSG_MAX];
  avro_value v;
  const char *longs = "{\"type\":\"array\",\"items\":\"long\"}";
  /* a negative count -2 (03) is followed by the block's byte size 2 (04) */
  assert_int_equal(decode(longs, BYTES(0x03, 0x04, 0x06, 0x36, 0x00), 0, &v, msg), ORB_OK);
  assert_int_equal(v.u.c.n, 2);
  assert_int_equal(v.u.c.v[0].u.l, 3);
  assert_int_equal(v.u.c.v[1].u.l, 27);
  /* two blocks of one item */
  assert_int_equal(decode(longs, BYTES(0x02, 0x06, 0x02, 0x36, 0x00), 0, &v, msg), ORB_OK);
  assert_int_equal(v.u.c.n, 2);
  assert_int_equal(v.u.c.v[1].u.l, 27);
  /* a byte size that disagrees with the items */
  assert_int_equal(decode(longs, BYTES(0x03, 0x06, 0x06, 0x36, 0x00, 0x00, 0x00), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "byte size"));
  /* over-long varints: eleven bytes; a tenth byte above 1; an int over 32 bits */
  assert_int_equal(decode("\"long\"", BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 0, NULL, msg),
                   ORB_ERR_CORRUPT);
  assert_int_equal(decode("\"long\"", BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), 0, NULL, msg),
                   ORB_ERR_CORRUPT);
  assert_int_equal(decode("\"int\"", BYTES(0xff, 0xff, 0xff, 0xff, 0x1f), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_int_equal(decode("\"int\"", BYTES(0x80, 0x80), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "truncated"));
  /* lengths beyond the bytes left, and negative */
  assert_int_equal(decode("\"string\"", BYTES(0x08, 'a', 'b'), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "runs past"));
  assert_int_equal(decode("\"bytes\"", BYTES(0x01), 0, NULL, msg), ORB_ERR_CORRUPT);
  /* an array count no bytes can back: refused before allocating */
  assert_int_equal(decode(longs, BYTES(0xfe, 0xff, 0xff, 0xff, 0x0f, 0x02), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "cannot fit"));
  /* items of no bytes (null) are bounded by the memory limit instead */
  assert_int_equal(decode("{\"type\":\"array\",\"items\":\"null\"}", BYTES(0xfe, 0xff, 0xff, 0xff, 0x0f, 0x00), 1 << 20, NULL, msg),
                   ORB_ERR_LIMIT);
  /* union branch, enum index and boolean out of range */
  assert_int_equal(decode("[\"null\",\"long\"]", BYTES(0x04), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "union branch 2"));
  assert_int_equal(decode("[\"null\",\"long\"]", BYTES(0x01), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_int_equal(decode("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", BYTES(0x02), 0, NULL, msg), ORB_ERR_CORRUPT);
  assert_int_equal(decode("\"boolean\"", BYTES(0x02), 0, NULL, msg), ORB_ERR_CORRUPT);
  /* a recursive type nested past the depth bound */
  uint8_t deep[200];
  memset(deep, 0x02, sizeof deep);   /* branch 1 ("next" present) forever */
  assert_int_equal(decode("{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}",
                          deep, sizeof deep, 0, NULL, msg),
                   ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "nested"));
}

static const char *iceberg_like =
    "{\"type\":\"record\",\"name\":\"manifest_entry\",\"namespace\":\"org.x\",\"fields\":["
    "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
    "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
    "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
    "{\"name\":\"file_path\",\"type\":\"string\",\"doc\":\"Location URI\",\"field-id\":100},"
    "{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2},\"field-id\":101},"
    "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"adjust-to-utc\":true},\"field-id\":102},"
    "{\"name\":\"id\",\"type\":{\"type\":\"fixed\",\"name\":\"uuid_fixed\",\"size\":16,\"logicalType\":\"uuid\"},\"field-id\":103},"
    "{\"name\":\"column_sizes\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"k117_v118\","
    "\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":117},{\"name\":\"value\",\"type\":\"long\",\"field-id\":118}]},"
    "\"logicalType\":\"map\"}],\"default\":null,\"field-id\":108},"
    "{\"name\":\"tags\",\"type\":{\"type\":\"map\",\"values\":\"string\",\"key-id\":7,\"value-id\":8},\"field-id\":109},"
    "{\"name\":\"ids\",\"type\":{\"type\":\"array\",\"items\":\"int\",\"element-id\":9},\"field-id\":110},"
    "{\"name\":\"other\",\"type\":\"uuid_fixed\",\"field-id\":111},"
    "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"K\",\"symbols\":[\"DATA\",\"DELETES\"]},\"default\":\"DATA\",\"field-id\":112}"
    "]},\"field-id\":2}]}";

static void test_schema(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s = schema(&a, iceberg_like);
  assert_int_equal(s->kind, AVRO_RECORD);
  assert_string_equal(s->fullname, "org.x.manifest_entry");
  assert_int_equal(s->nfields, 3);
  assert_true(s->fields[1].has_field_id);
  assert_int_equal(s->fields[1].field_id, 1);
  assert_string_equal(s->fields[1].default_json, "null");
  assert_int_equal(avro_field_by_id(s, 2), 2);
  assert_int_equal(avro_field_by_id(s, 99), -1);
  const avro_schema *df = s->fields[2].type;
  assert_string_equal(df->fullname, "org.x.r2");   /* the enclosing namespace */
  assert_string_equal(avro_attr_get(df->fields[0].attrs, df->fields[0].nattrs, "doc"), "\"Location URI\"");
  const avro_schema *dec = df->fields[1].type;
  assert_string_equal(dec->logical, "decimal");
  assert_int_equal(dec->precision, 12);
  assert_int_equal(dec->scale, 2);
  assert_string_equal(avro_attr_get(df->fields[2].type->attrs, df->fields[2].type->nattrs, "adjust-to-utc"), "true");
  assert_string_equal(df->fields[3].type->logical, "uuid");
  assert_ptr_equal(df->fields[7].type, df->fields[3].type);   /* a reference is the named node */
  const avro_schema *cs = df->fields[4].type->branches[1];
  assert_string_equal(cs->logical, "map");
  assert_int_equal(cs->items->fields[0].field_id, 117);
  assert_true(df->fields[5].type->has_key_id && df->fields[5].type->key_id == 7 && df->fields[5].type->value_id == 8);
  assert_true(df->fields[6].type->has_element_id && df->fields[6].type->element_id == 9);
  /* back to JSON: the same document, every attribute included */
  orb_buf b = ORB_BUF_INIT;
  avro_schema_to_json(s, &b);
  json_t *x = json_loads(iceberg_like, 0, NULL), *y = json_loads(b.data, 0, NULL);
  assert_non_null(y);
  if (!json_equal(x, y)) fail_msg("schema JSON differs:\n%s", b.data);
  json_decref(x);
  json_decref(y);
  orb_buf_free(&b);
  /* a recursive type and a fully qualified reference */
  avro_schema *l = schema(&a, "{\"type\":\"record\",\"name\":\"a.b.L\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
                              "{\"name\":\"next\",\"type\":[\"null\",\"a.b.L\"]}]}");
  assert_ptr_equal(l->fields[1].type->branches[1], l);
  assert_int_equal(l->min_bytes, 2);
  orb_buf_reset(&b);
  avro_schema_to_json(l, &b);
  /* the reference written as short as it resolves, as Java writes it */
  assert_string_equal(b.data, "{\"type\":\"record\",\"name\":\"a.b.L\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
                              "{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}");
  avro_schema *l2 = schema(&a, b.data);
  assert_ptr_equal(l2->fields[1].type->branches[1], l2);
  orb_buf_free(&b);
  /* an invalid logical type is ignored (the specification), the attribute kept */
  avro_schema *bad = schema(&a, "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":5}");
  assert_null(bad->logical);
  assert_int_equal(bad->nattrs, 3);
  orb_arena_free(&a);
}

static void bad_schema(const char *json, const char *want) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  avro_schema *s;
  assert_int_equal(avro_schema_parse(json, strlen(json), &a, "\"f.avro\"", &s, &e), ORB_ERR_CORRUPT);
  if (!strstr(e.msg, want)) fail_msg("for %s: wanted \"%s\" in: %s", json, want, e.msg);
  assert_non_null(strstr(e.msg, "avro: \"f.avro\": schema"));
  orb_arena_free(&a);
}

static void test_bad_schemas(void **state) {
  (void)state;
  bad_schema("{\"type\":", "not JSON");
  bad_schema("\"lnog\"", "unknown type \"lnog\"");
  bad_schema("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"x\",\"type\":\"lnog\"}]}",
             "record \"r\": field \"x\": unknown type \"lnog\"");
  bad_schema("{\"type\":\"record\",\"fields\":[]}", "needs a \"name\"");
  bad_schema("{\"type\":\"record\",\"name\":\"r\"}", "\"fields\" array");
  bad_schema("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"x\",\"type\":\"int\"}]}",
             "appears twice");
  bad_schema("{\"type\":\"record\",\"name\":\"9r\",\"fields\":[]}", "not a valid Avro name");
  bad_schema("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a-b\",\"type\":\"int\"}]}", "not a valid Avro name");
  bad_schema("[\"null\",[\"int\"]]", "union may not contain a union");
  bad_schema("[\"int\",\"null\",\"int\"]", "two branches of type \"int\"");
  bad_schema("{\"type\":\"fixed\",\"name\":\"f\"}", "\"size\"");
  bad_schema("{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[\"A\",\"A\"]}", "appears twice");
  bad_schema("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"x\",\"type\":\"int\",\"default\":\"one\"}]}",
             "default value does not match");
  bad_schema("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"x\",\"type\":\"int\",\"field-id\":\"1\"}]}",
             "\"field-id\" must be a 32-bit integer");
  bad_schema("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"x\",\"type\":\"int\",\"field-id\":1},"
             "{\"name\":\"y\",\"type\":\"int\",\"field-id\":1}]}",
             "field-id 1 appears twice");
  bad_schema("[{\"type\":\"fixed\",\"name\":\"f\",\"size\":1},{\"type\":\"fixed\",\"name\":\"f\",\"size\":2}]",
             "defined twice");
  bad_schema("{\"type\":\"record\",\"name\":\"int\",\"fields\":[]}", "primitive");
  bad_schema("{\"type\":\"array\"}", "needs \"items\"");
  bad_schema("42", "must be a JSON string, object or array");
  /* deeper than the bound */
  char deep[4000] = "";
  for (int i = 0; i < 100; i++) strcat(deep, "{\"type\":\"array\",\"items\":");
  strcat(deep, "\"int\"");
  for (int i = 0; i < 100; i++) strcat(deep, "}");
  bad_schema(deep, "nested too deeply");
}

/* ------------------------------------------------------------------------
** Container files
*/
static const uint8_t sync16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* A file of n records {id: long, name: string, tags: [null | array of int]}. */
static void write_file(avro_codec codec, int n, size_t block, orb_buf *out) {
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s = schema(&a, "{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"field-id\":1},"
                              "{\"name\":\"name\",\"type\":\"string\",\"field-id\":2},"
                              "{\"name\":\"tags\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\",\"element-id\":4}],\"field-id\":3}]}");
  avro_meta meta[2] = {{"format-version", "2", 1}, {"content", "data", 4}};
  avro_writer *w;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_writer_new(s, codec, meta, 2, sync16, &w, &e), ORB_OK);
  if (block) avro_writer_block_size(w, block);
  for (int i = 0; i < n; i++) {
    char name[32];
    int len = snprintf(name, sizeof name, "row %d", i);
    avro_value tags[3] = {avro_int(i), avro_int(-i), avro_int(7)};
    avro_value f[3] = {avro_long((int64_t)i * 1000003), avro_string(name, (size_t)len),
                       {.kind = AVRO_ARRAY, .branch = -1, .u.c = {tags, NULL, (size_t)(i % 4)}}};
    if (i % 5 == 0) f[2] = avro_null();
    avro_value rec = {.kind = AVRO_RECORD, .branch = -1, .u.c = {f, NULL, 3}};
    assert_int_equal(avro_writer_append(w, &rec, &e), ORB_OK);
  }
  assert_int_equal(avro_writer_finish(w, out, &e), ORB_OK);
  avro_writer_free(w);
  orb_arena_free(&a);
}

/* read a file image: records (checked against write_file's), or the error */
static orb_status read_image(const void *img, size_t len, int64_t *records, char *msg) {
  avro_reader *r;
  orb_err e;
  orb_err_clear(&e);
  *records = 0;
  orb_status st = avro_reader_open_image(img, len, "t.avro", 1 << 20, &r, &e);
  if (st != ORB_OK) {
    strcpy(msg, e.msg);
    return st;
  }
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_value v;
  bool got;
  while ((st = avro_reader_next(r, &a, &v, &got, &e)) == ORB_OK && got) {
    int64_t i = *records;
    assert_int_equal(v.u.c.v[0].u.l, i * 1000003);
    char name[32];
    snprintf(name, sizeof name, "row %lld", (long long)i);
    assert_string_equal(v.u.c.v[1].u.s.data, name);
    if (i % 5 == 0) assert_int_equal(v.u.c.v[2].kind, AVRO_NULL);
    else {
      assert_int_equal(v.u.c.v[2].branch, 1);
      assert_int_equal(v.u.c.v[2].u.c.n, (size_t)(i % 4));
      if (i % 4 > 1) assert_int_equal(v.u.c.v[2].u.c.v[1].u.i, -i);
    }
    (*records)++;
    orb_arena_reset(&a);
  }
  strcpy(msg, e.msg);
  orb_arena_free(&a);
  avro_reader_close(r);
  return st;
}

static void test_container_round_trip(void **state) {
  (void)state;
  for (int c = AVRO_CODEC_NULL; c <= AVRO_CODEC_ZSTD; c++) {
    orb_buf f = ORB_BUF_INIT;
    write_file((avro_codec)c, 1000, 512, &f);
    int64_t n;
    char msg[ORB_ERR_MSG_MAX];
    if (read_image(f.data, f.len, &n, msg) != ORB_OK) fail_msg("%s: %s", avro_codec_name((avro_codec)c), msg);
    assert_int_equal(n, 1000);
    /* header: metadata kept, codec named, schema attributes kept */
    avro_reader *r;
    orb_err e;
    assert_int_equal(avro_reader_open_image(f.data, f.len, "t", 0, &r, &e), ORB_OK);
    assert_int_equal(r->codec, c);
    assert_string_equal(avro_reader_meta(r, "format-version")->value, "2");
    assert_string_equal(avro_reader_meta(r, "content")->value, "data");
    assert_string_equal(avro_reader_meta(r, "avro.codec")->value, avro_codec_name((avro_codec)c));
    assert_int_equal(r->schema->fields[2].field_id, 3);
    assert_int_equal(r->schema->fields[2].type->branches[1]->element_id, 4);
    assert_memory_equal(r->sync, sync16, 16);
    orb_arena a;
    orb_arena_init(&a, 0);
    avro_value v;
    bool got;
    while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got) {}
    assert_true(r->blocks > 10);   /* 512-byte blocks */
    orb_arena_free(&a);
    avro_reader_close(r);
    orb_buf_free(&f);
  }
  /* an empty file: a header and no blocks */
  orb_buf f = ORB_BUF_INIT;
  write_file(AVRO_CODEC_DEFLATE, 0, 0, &f);
  int64_t n;
  char msg[ORB_ERR_MSG_MAX];
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_OK);
  assert_int_equal(n, 0);
  orb_buf_free(&f);
}

/* The bytes of a one-record null-codec file, worked out from the specification. */
static void test_container_bytes(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s = schema(&a, "\"long\"");
  avro_writer *w;
  orb_err e;
  avro_meta m = {"k", "v", 1};
  assert_int_equal(avro_writer_new(s, AVRO_CODEC_NULL, &m, 1, sync16, &w, &e), ORB_OK);
  avro_value v = avro_long(-2);
  assert_int_equal(avro_writer_append(w, &v, &e), ORB_OK);
  orb_buf f = ORB_BUF_INIT;
  assert_int_equal(avro_writer_finish(w, &f, &e), ORB_OK);
  avro_writer_free(w);
  orb_buf want = ORB_BUF_INIT;
  orb_buf_append(&want, "Obj\x01", 4);
  orb_buf_append(&want, "\x06", 1);   /* a map block of 3 entries */
  orb_buf_append(&want, "\x16" "avro.schema" "\x0c" "\"long\"", 1 + 11 + 1 + 6);
  orb_buf_append(&want, "\x14" "avro.codec" "\x08" "null", 1 + 10 + 1 + 4);
  orb_buf_append(&want, "\x02" "k" "\x02" "v", 4);
  orb_buf_append(&want, "\x00", 1);   /* end of the map */
  orb_buf_append(&want, sync16, 16);
  orb_buf_append(&want, "\x02\x02\x03", 3);   /* 1 record, 1 byte, -2 */
  orb_buf_append(&want, sync16, 16);
  assert_int_equal(f.len, want.len);
  assert_memory_equal(f.data, want.data, want.len);
  orb_buf_free(&want);
  orb_buf_free(&f);
  orb_arena_free(&a);
}

/* Some writers wrap deflate blocks in a zlib header; they read too. */
static void test_zlib_wrapped_deflate(void **state) {
  (void)state;
  uint8_t rec[3] = {0xf2, 0xc0, 0x01};   /* long 12345 */
  uint8_t z[64];
  uLongf zn = sizeof z;
  assert_int_equal(compress(z, &zn, rec, sizeof rec), Z_OK);
  orb_buf f = ORB_BUF_INIT;
  orb_buf_append(&f, "Obj\x01\x04", 5);
  orb_buf_append(&f, "\x16" "avro.schema" "\x0c" "\"long\"", 1 + 11 + 1 + 6);
  orb_buf_append(&f, "\x14" "avro.codec" "\x0e" "deflate", 1 + 10 + 1 + 7);
  orb_buf_append(&f, "\x00", 1);
  orb_buf_append(&f, sync16, 16);
  orb_buf_put_svarint(&f, 1);
  orb_buf_put_svarint(&f, (int64_t)zn);
  orb_buf_append(&f, z, zn);
  orb_buf_append(&f, sync16, 16);
  avro_reader *r;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_reader_open_image(f.data, f.len, "z.avro", 0, &r, &e), ORB_OK);
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_value v;
  bool got;
  assert_int_equal(avro_reader_next(r, &a, &v, &got, &e), ORB_OK);
  assert_true(got);
  assert_int_equal(v.u.l, 12345);
  assert_int_equal(avro_reader_next(r, &a, &v, &got, &e), ORB_OK);
  assert_false(got);
  avro_reader_close(r);
  orb_arena_free(&a);
  orb_buf_free(&f);
}

static void test_container_corrupt(void **state) {
  (void)state;
  orb_buf f = ORB_BUF_INIT;
  write_file(AVRO_CODEC_SNAPPY, 50, 256, &f);
  int64_t n;
  char msg[ORB_ERR_MSG_MAX];
  /* every truncation fails cleanly (or, at a block boundary, reads fewer records) */
  for (size_t len = 0; len < f.len; len++) {
    orb_status st = read_image(f.data, len, &n, msg);
    if (st == ORB_OK) continue;
    assert_true(st == ORB_ERR_CORRUPT);
    assert_non_null(strstr(msg, "avro: "));
    assert_non_null(strstr(msg, "t.avro"));
  }
  /* the header's sync marker starts right after the metadata: find the second copy (block 1's) */
  uint8_t *p = (uint8_t *)f.data;
  size_t first = 0, second = 0;
  for (size_t i = 0; i + 16 <= f.len; i++)
    if (memcmp(p + i, sync16, 16) == 0) {
      if (!first) first = i;
      else if (!second) second = i;
    }
  assert_true(first && second);
  p[second + 3] ^= 0xff;
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "block 1: sync marker differs from the header's"));
  p[second + 3] ^= 0xff;
  /* the CRC32 after block 1's snappy data */
  p[second - 1] ^= 0x01;
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "CRC32"));
  p[second - 1] ^= 0x01;
  /* block 1's record count (first byte after the header): claim more records than bytes */
  uint8_t saved = p[first + 16];
  p[first + 16] = 0x7e;   /* 63 records */
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_ERR_CORRUPT);
  p[first + 16] = 0x01;   /* negative */
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "negative"));
  p[first + 16] = saved;
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_OK);
  assert_int_equal(n, 50);
  /* bad magic; an unknown codec */
  p[0] = 'X';
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_ERR_CORRUPT);
  assert_non_null(strstr(msg, "not an Avro container file"));
  p[0] = 'O';
  uint8_t *codec = memmem(p, f.len, "snappy", 6);
  memcpy(codec, "snoopy", 6);
  assert_int_equal(read_image(f.data, f.len, &n, msg), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(msg, "codec \"snoopy\" is not supported"));
  orb_buf_free(&f);
  /* a reserved key is refused by the writer */
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_writer *w;
  orb_err e;
  avro_meta m = {"avro.mine", "x", 1};
  assert_int_equal(avro_writer_new(schema(&a, "\"int\""), AVRO_CODEC_NULL, &m, 1, NULL, &w, &e), ORB_ERR_MISUSE);
  /* a value that does not fit the schema is refused, not half-written */
  assert_int_equal(avro_writer_new(schema(&a, "[\"null\",\"int\"]"), AVRO_CODEC_NULL, NULL, 0, NULL, &w, &e), ORB_OK);
  avro_value s = avro_string("x", 1);
  assert_int_equal(avro_writer_append(w, &s, &e), ORB_ERR_TYPE);
  avro_writer_free(w);
  orb_arena_free(&a);
}

/* A datum resolved to another schema by field id: renamed fields, a
** promotion, a dropped field, an added one with a default and one without. */
static void test_project(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *w = schema(&a, "{\"type\":\"record\",\"name\":\"w\",\"fields\":["
                              "{\"name\":\"a\",\"type\":\"int\",\"field-id\":1},"
                              "{\"name\":\"b\",\"type\":\"string\",\"field-id\":2},"
                              "{\"name\":\"c\",\"type\":[\"null\",\"float\"],\"field-id\":3}]}");
  avro_schema *r = schema(&a, "{\"type\":\"record\",\"name\":\"r\",\"fields\":["
                              "{\"name\":\"c_renamed\",\"type\":[\"null\",\"double\"],\"field-id\":3},"
                              "{\"name\":\"a_renamed\",\"type\":\"long\",\"field-id\":1},"
                              "{\"name\":\"added\",\"type\":\"long\",\"default\":42,\"field-id\":5},"
                              "{\"name\":\"optional\",\"type\":[\"null\",\"string\"],\"field-id\":6}]}");
  avro_value f[3] = {avro_int(-7), avro_string("x", 1), avro_float(1.5f)};
  f[2].branch = 1;
  avro_value v = {.kind = AVRO_RECORD, .branch = -1, .u.c = {f, NULL, 3}}, out;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_project(w, &v, r, &a, &out, &e), ORB_OK);
  assert_int_equal(out.u.c.n, 4);
  assert_int_equal(out.u.c.v[0].kind, AVRO_DOUBLE);
  assert_true(out.u.c.v[0].u.d == 1.5);
  assert_int_equal(out.u.c.v[0].branch, 1);
  assert_int_equal(out.u.c.v[1].kind, AVRO_LONG);
  assert_int_equal(out.u.c.v[1].u.l, -7);
  assert_int_equal(out.u.c.v[2].u.l, 42);
  assert_int_equal(out.u.c.v[3].kind, AVRO_NULL);
  assert_int_equal(avro_record_get(r, &out, 1)->u.l, -7);
  assert_null(avro_record_get(r, &out, 2));
  /* a required field the writer lacks, and a type that cannot be promoted */
  avro_schema *r2 = schema(&a, "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"z\",\"type\":\"long\",\"field-id\":9}]}");
  assert_int_equal(avro_project(w, &v, r2, &a, &out, &e), ORB_ERR_TYPE);
  assert_string_equal(e.msg, "avro: field \"z\": the file has no field with id 9 and \"z\" has no default");
  avro_schema *r3 = schema(&a, "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"b\",\"type\":\"int\",\"field-id\":2}]}");
  assert_int_equal(avro_project(w, &v, r3, &a, &out, &e), ORB_ERR_TYPE);
  assert_string_equal(e.msg, "avro: field \"b\": written type string cannot be read as int");
  orb_arena_free(&a);
}

/* Records built for a writer: defaults and nulls filled in, fields set by id. */
static void test_record_builder(void **state) {
  (void)state;
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s = schema(&a, "{\"type\":\"record\",\"name\":\"r\",\"fields\":["
                              "{\"name\":\"a\",\"type\":\"int\",\"field-id\":1},"
                              "{\"name\":\"b\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":2},"
                              "{\"name\":\"c\",\"type\":\"long\",\"default\":42,\"field-id\":3},"
                              "{\"name\":\"d\",\"type\":\"string\",\"field-id\":4},"
                              "{\"name\":\"e\",\"type\":[\"null\",\"string\"],\"field-id\":5}]}");
  avro_value rec, back;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_record_init(s, &a, &rec, &e), ORB_OK);
  orb_buf b = ORB_BUF_INIT;
  /* a required field left unset is named */
  assert_true(avro_record_set(s, &rec, 1, avro_int(-5)));
  assert_int_equal(avro_encode(s, &rec, &b, &e), ORB_ERR_TYPE);
  assert_string_equal(e.msg, "avro: field \"d\": no value was given");
  assert_int_equal(b.len, 0);
  assert_true(avro_record_set(s, &rec, 4, avro_string("x", 1)));
  assert_false(avro_record_set(s, &rec, 99, avro_int(1)));
  assert_int_equal(avro_encode(s, &rec, &b, &e), ORB_OK);
  /* a=-5 (09), b null (branch 0), c 42 (54), d "x" (02 78), e null (branch 0) */
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.data, "\x09\x00\x54\x02x\x00", 6);
  orb_rd r;
  orb_rd_init(&r, b.data, b.len);
  assert_int_equal(avro_decode(s, &r, &a, 0, "t", &back, &e), ORB_OK);
  assert_true(avro_value_equal(&rec, &back));
  /* a long set into a union: the branch is picked when encoding */
  assert_true(avro_record_set(s, &rec, 2, avro_long(7)));
  orb_buf_reset(&b);
  assert_int_equal(avro_encode(s, &rec, &b, &e), ORB_OK);
  assert_memory_equal(b.data, "\x09\x02\x0e", 3);
  orb_buf_free(&b);
  orb_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zigzag),          cmocka_unit_test(test_primitives),
      cmocka_unit_test(test_complex),         cmocka_unit_test(test_blocks_and_bad_bytes),
      cmocka_unit_test(test_schema),          cmocka_unit_test(test_bad_schemas),
      cmocka_unit_test(test_container_round_trip), cmocka_unit_test(test_container_bytes),
      cmocka_unit_test(test_container_corrupt), cmocka_unit_test(test_project),
      cmocka_unit_test(test_record_builder),
      cmocka_unit_test(test_zlib_wrapped_deflate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
