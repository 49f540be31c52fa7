/* fuzz/fuzz_ice_value.c — libFuzzer target for Iceberg single values and
** partition specs (storage/cold/ice_value.h).  The first input byte picks
** an Iceberg type; the rest are bound bytes as a manifest would hold them.
** They must deserialize or fail with an error, never crash or read past
** the input; what deserializes must serialize back (or be refused with an
** error) and the result must be stable (serialize(deserialize(b)) read and
** written again gives the same bytes), and every transform that applies
** to the type must apply or fail cleanly.  A first byte of 0xff instead
** feeds the rest as partition-spec text to ice_spec_parse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/cold/ice_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *types[] = {"boolean", "int", "long", "float", "double", "decimal(9, 2)", "decimal(38, 10)",
                              "decimal(1, 0)", "date", "time", "timestamp", "timestamptz", "timestamp_ns",
                              "timestamptz_ns", "string", "uuid", "fixed[3]", "binary"};
static const char *transforms[] = {"identity", "bucket[1]", "bucket[16]", "bucket[2147483647]", "truncate[1]",
                                   "truncate[3]", "truncate[2147483647]", "year", "month", "day", "hour", "void"};

static void spec_text(const uint8_t *data, size_t size) {
  static ice_type ts[5];
  static ice_field fs[5];
  static const char *names[] = {"ts", "id", "name", "d", "amount"};
  static const char *tnames[] = {"timestamptz", "long", "string", "date", "decimal(9, 2)"};
  orb_err e;
  for (int i = 0; i < 5; i++) {
    if (ice_type_parse_primitive(tnames[i], &ts[i], &e) != ORB_OK) __builtin_trap();
    fs[i].id = i + 1;
    fs[i].name = names[i];
    fs[i].type = &ts[i];
  }
  ice_schema s;
  memset(&s, 0, sizeof s);
  s.fields = fs;
  s.nfields = 5;
  orb_arena a;
  orb_arena_init(&a, 0);
  char *text = orb_arena_strndup(&a, (const char *)data, size);   /* stops at a NUL, as a C string would */
  ice_partition_spec sp;
  int32_t last = 1000;
  if (ice_spec_parse(&a, text, &s, 1, &last, &sp, &e) == ORB_OK) {
    if (last != 1000 + sp.nfields) __builtin_trap();
    for (int i = 0; i < sp.nfields; i++)
      if (ice_transform_parse(sp.fields[i].transform.text).kind != sp.fields[i].transform.kind) __builtin_trap();
  }
  orb_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  if (data[0] == 0xff) {
    spec_text(data + 1, size - 1);
    return 0;
  }
  orb_err e;
  ice_type t;
  if (ice_type_parse_primitive(types[data[0] % (sizeof types / sizeof types[0])], &t, &e) != ORB_OK) __builtin_trap();
  orb_arena a;
  orb_arena_init(&a, 0);
  /* a copy of exactly size-1 bytes, so that ASan sees any read past it */
  size_t n = size - 1;
  uint8_t *bytes = malloc(n ? n : 1);
  if (!bytes) return 0;
  memcpy(bytes, data + 1, n);
  orb_value v;
  if (ice_value_deserialize(&t, bytes, n, &a, &v, &e) == ORB_OK) {
    orb_buf b1, b2;
    orb_buf_init(&b1);
    orb_buf_init(&b2);
    if (ice_value_serialize(&t, &v, &b1, &e) == ORB_OK) {
      orb_value v2;
      if (ice_value_deserialize(&t, b1.data, b1.len, &a, &v2, &e) != ORB_OK) __builtin_trap();
      if (ice_value_serialize(&t, &v2, &b2, &e) != ORB_OK) __builtin_trap();
      if (b1.len != b2.len || (b1.len && memcmp(b1.data, b2.data, b1.len) != 0)) __builtin_trap();
    }
    (void)ice_bucket_hash(&t, &v);
    for (size_t i = 0; i < sizeof transforms / sizeof transforms[0]; i++) {
      ice_transform tr = ice_transform_parse(transforms[i]);
      ice_type rt;
      if (ice_transform_result_type(&tr, &t, &rt, &e) != ORB_OK) continue;
      orb_value out;
      (void)ice_transform_apply(&tr, &t, &v, &a, &out, &e);
    }
    orb_buf_free(&b1);
    orb_buf_free(&b2);
  }
  free(bytes);
  orb_arena_free(&a);
  return 0;
}
