/* fuzz/fuzz_pgwire.c — libFuzzer target for PostgreSQL protocol framing:
** the input is split into two reads and fed to a session (startup packet,
** then messages); no database is opened (pg_config.frames_only).  Any
** outcome but replies or a clean close is a bug.  The same bytes are also
** read as a binary array parameter (pg_array_from_binary: header, element
** lengths, every element type's binary form), which must end in a text
** array or a reason, never a crash or a read past the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/pg_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pg_config cfg = {.db_path = "/nonexistent", .max_message = 1 << 20, .process_id = 42, .frames_only = true};
  pg_session *s = pg_session_new(&cfg);
  orb_buf out = ORB_BUF_INIT;
  size_t cut = size ? data[0] % (size + 1) : 0;
  if (pg_session_feed(s, data, cut, &out)) pg_session_feed(s, data + cut, size - cut, &out);
  orb_buf_free(&out);
  pg_session_free(s);
  /* the input as an array, and with its element type chosen from a byte (so every type's decoder runs) */
  static const int32_t elems[] = {16, 17, 19, 20, 21, 23, 25, 26, 700, 701, 1043, 1082, 1083, 1114, 1184, 1186, 1700, 2950};
  uint8_t *copy = malloc(size ? size : 1);   /* exactly the input: ASan sees any read past it */
  if (!copy) return 0;
  memcpy(copy, data, size);
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1 && size >= 12) {
      int32_t oid = elems[data[size - 1] % (sizeof elems / sizeof elems[0])];
      copy[8] = (uint8_t)(oid >> 24), copy[9] = (uint8_t)(oid >> 16), copy[10] = (uint8_t)(oid >> 8), copy[11] = (uint8_t)oid;
    }
    orb_buf text = ORB_BUF_INIT;
    const char *why;
    if (size <= INT32_MAX) (void)pg_array_from_binary(copy, (int32_t)size, &text, &why);
    orb_buf_free(&text);
  }
  free(copy);
  return 0;
}
