/* fuzz/fuzz_regex.c — libFuzzer target for regular expressions
** (expr/regex.h), whose patterns and option letters come from clients: the
** first byte picks option letters, the rest up to the first NUL is the
** pattern and what follows it the subject.  Any outcome but a clean error or
** a match whose offsets lie inside the subject, in order, is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char *const flags[] = {"", "i", "n", "p", "w", "x", "q", "b", "e", "g", "in", "xq", "z"};
  const char *fl = flags[data[0] % (sizeof flags / sizeof flags[0])];
  const char *pat = (const char *)data + 1;
  size_t rest = size - 1;
  const char *nul = memchr(pat, 0, rest);
  size_t plen = nul ? (size_t)(nul - pat) : rest;
  const char *subj = nul ? nul + 1 : "abc";
  size_t slen = nul ? rest - plen - 1 : 3;
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_err e;
  orb_err_clear(&e);
  orb_regex_opts o;
  orb_regex *re;
  if (orb_regex_parse_flags(fl, strlen(fl), "regexp_matches", true, &o, &e) == ORB_OK &&
      orb_regex_compile(&a, pat, plen, &o, &re, &e) == ORB_OK) {
    int ng = orb_regex_ngroups(re);
    size_t *ov = orb_arena_alloc(&a, sizeof(size_t) * 2 * (size_t)(ng + 1));
    int found;
    orb_err_clear(&e);
    if (orb_regex_exec(re, subj, slen, 0, ov, &found, &e) == ORB_OK && found)
      for (int g = 0; g <= ng; g++)
        if (ov[2 * g] != (size_t)-1 && (ov[2 * g] > ov[2 * g + 1] || ov[2 * g + 1] > slen)) __builtin_trap();
  }
  orb_arena_free(&a);
  return 0;
}
