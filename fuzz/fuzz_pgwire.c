/* fuzz/fuzz_pgwire.c — libFuzzer target for PostgreSQL protocol framing:
** the input is split into two reads and fed to a session (startup packet,
** then messages); no database is opened (pg_config.frames_only).  Any
** outcome but replies or a clean close is a bug. */
#include <stdint.h>
#include <stdlib.h>

#include "server/pgwire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pg_config cfg = {.db_path = "/nonexistent", .max_message = 1 << 20, .process_id = 42, .frames_only = true};
  pg_session *s = pg_session_new(&cfg);
  orb_buf out = ORB_BUF_INIT;
  size_t cut = size ? data[0] % (size + 1) : 0;
  if (pg_session_feed(s, data, cut, &out)) pg_session_feed(s, data + cut, size - cut, &out);
  orb_buf_free(&out);
  pg_session_free(s);
  return 0;
}
