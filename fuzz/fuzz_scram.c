/* fuzz/fuzz_scram.c — libFuzzer target for the SCRAM-SHA-256 messages a
** client sends (client-first, then client-final), for a known user. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/scram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static scram_users *users;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!users) {
    char path[] = "/tmp/orbit-fuzz-users-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "w");
    fputs("alice:secret\n", f);
    fclose(f);
    orb_err e;
    scram_users_load(path, &users, &e);
    unlink(path);
    if (!users) return 0;
  }
  /* the two client messages are separated by the first NUL byte */
  const uint8_t *z = memchr(data, 0, size);
  size_t n1 = z ? (size_t)(z - data) : size;
  scram_state *st = scram_begin(users, "alice", NULL);
  orb_buf out = ORB_BUF_INIT;
  if (scram_server_first(st, (const char *)data, n1, &out) && z) {
    orb_buf_reset(&out);
    scram_server_final(st, (const char *)z + 1, size - n1 - 1, &out);
  }
  orb_buf_free(&out);
  scram_end(st);
  return 0;
}
