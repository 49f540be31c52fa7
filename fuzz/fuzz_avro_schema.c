/* fuzz/fuzz_avro_schema.c — libFuzzer target for Avro schema JSON: the
** input is schema text; it must parse or fail with an error, never crash,
** and what parses must print (avro_schema_to_json) to JSON that parses
** again to a schema that prints the same, so a schema we write into a
** container file reads back as the one we had. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/avro/avro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  avro_schema *s, *t;
  if (avro_schema_parse((const char *)data, size, &a, "fuzz", &s, &e) == ORB_OK) {
    orb_buf one = ORB_BUF_INIT, two = ORB_BUF_INIT;
    avro_schema_to_json(s, &one);
    if (avro_schema_parse(one.data, one.len, &a, "again", &t, &e) != ORB_OK) abort();
    avro_schema_to_json(t, &two);
    if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0) abort();
    orb_buf_free(&one);
    orb_buf_free(&two);
  }
  orb_arena_free(&a);
  return 0;
}
