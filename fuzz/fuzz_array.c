/* fuzz/fuzz_array.c — libFuzzer target for PostgreSQL's array text form
** (types/array.h), which arrives from clients in literals and in text
** parameters: the first byte picks the element type, the rest is the text.
** Any outcome but a value or a clean error is a bug, and a value must come
** back equal from its own output (output, then input again). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "types/array.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const orb_type_id elems[] = {ORB_T_INT16, ORB_T_INT32, ORB_T_INT64, ORB_T_TEXT, ORB_T_BOOL,
                                      ORB_T_DECIMAL, ORB_T_FLOAT64, ORB_T_DATE, ORB_T_UUID, ORB_T_BYTEA};
  orb_type t = orb_type_array(elems[data[0] % (sizeof elems / sizeof elems[0])]);
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_err e;
  orb_err_clear(&e);
  orb_value v, back;
  if (orb_value_from_text((const char *)data + 1, size - 1, t, &a, &v, &e) == ORB_OK) {
    orb_buf out = ORB_BUF_INIT;
    orb_value_to_text(&v, &out);
    if (orb_value_from_text(out.data ? out.data : "", out.len, t, &a, &back, &e) != ORB_OK ||
        orb_value_cmp(&v, &back) != 0)
      __builtin_trap();   /* the output does not read back as the same array */
    orb_buf_free(&out);
  }
  orb_arena_free(&a);
  return 0;
}
