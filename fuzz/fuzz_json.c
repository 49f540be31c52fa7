/* fuzz/fuzz_json.c — libFuzzer target for the JSON parser behind json and
** jsonb input (types/json.h), which reads text from clients, COPY files and
** stored rows.  The first byte picks json or jsonb; the rest is the text.
** Any outcome but a value or a clean error is a bug.  Beyond not crashing:
** text the tree parser takes the validator takes too; a jsonb value reads
** back from its own output as the same text (normalization is idempotent),
** equal to itself under jsonb's order and with the same hash; and the
** json value's text casts to jsonb as the jsonb input does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "types/json.h"
#include "types/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  bool jsonb = data[0] & 1;
  const char *s = (const char *)data + 1;
  size_t n = size - 1;
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_err e;
  orb_err_clear(&e);
  orb_json *tree;
  bool parsed = orb_json_parse(s, n, "json", &a, &tree, &e) == ORB_OK;
  if (parsed && orb_json_validate(s, n, "json", &e) != ORB_OK) __builtin_trap();   /* the validator refuses what the parser took */
  orb_value v, back, cast;
  if (jsonb && orb_value_from_text(s, n, orb_type_make(ORB_T_JSONB), &a, &v, &e) == ORB_OK) {
    if (orb_value_from_text(v.u.s, v.len, orb_type_make(ORB_T_JSONB), &a, &back, &e) != ORB_OK) __builtin_trap();
    if (back.len != v.len || memcmp(back.u.s, v.u.s, v.len) != 0) __builtin_trap();   /* not idempotent */
    if (orb_value_cmp(&v, &back) != 0 || orb_value_hash(&v) != orb_value_hash(&back)) __builtin_trap();
    orb_buf pretty = ORB_BUF_INIT;
    orb_json_parse(v.u.s, v.len, "jsonb", &a, &tree, &e);
    orb_jsonb_write_pretty(tree, &pretty);
    orb_buf_free(&pretty);
  } else if (!jsonb && orb_value_from_text(s, n, orb_type_make(ORB_T_JSON), &a, &v, &e) == ORB_OK) {
    orb_status st = orb_value_cast(&v, orb_type_make(ORB_T_JSONB), &a, &cast, &e);
    /* json takes \u0000 and numbers NUMERIC cannot hold; jsonb refuses them cleanly */
    if (st != ORB_OK && e.code != ORB_ERR_INVALID_TEXT && e.code != ORB_ERR_RANGE) __builtin_trap();
  }
  orb_arena_free(&a);
  return 0;
}
