/* fuzz/fuzz_sql.c — libFuzzer target for the OrbitQL lexer and parser:
** every input is parsed statement by statement; any outcome but a tree or
** a clean error (crash, leak, sanitizer report) is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *sql = malloc(size + 1);
  if (!sql) return 0;
  memcpy(sql, data, size);
  sql[size] = '\0';
  orb_arena a;
  orb_arena_init(&a, 4096);
  const char *p = sql;
  for (int i = 0; i < 64 && *p; i++) {
    const char *tail = NULL;
    oql_stmt_ast *s;
    bool empty;
    orb_err e;
    orb_err_clear(&e);
    orb_status st = oql_parse(&a, p, &tail, &s, &empty, &e);
    if (st != ORB_OK || empty || !tail || tail <= p) break;
    p = tail;
    orb_arena_reset(&a);
  }
  (void)oql_statement_complete(sql, size);
  orb_arena_free(&a);
  free(sql);
  return 0;
}
