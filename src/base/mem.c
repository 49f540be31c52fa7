/* base/mem.c — heap allocation that exits on exhaustion (see mem.h). */
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void orb_oom(size_t n) {
  fprintf(stderr, "orbit: out of memory allocating %zu bytes\n", n);
  exit(70);
}

void *orb_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) orb_oom(n);
  return p;
}

void *orb_calloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) orb_oom(count * size);
  return p;
}

void *orb_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) orb_oom(n);
  return q;
}

char *orb_strdup(const char *s) { return orb_memdup(s, strlen(s) + 1); }

char *orb_strndup(const char *s, size_t n) {
  char *p = orb_malloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void *orb_memdup(const void *p, size_t n) {
  void *q = orb_malloc(n);
  if (n) memcpy(q, p, n);
  return q;
}

void orb_free(void *p) { free(p); }

void *orb_grow(void *p, size_t *cap, size_t need, size_t elsize) {
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 8;
  while (c < need) c *= 2;
  p = orb_realloc(p, c * elsize);
  *cap = c;
  return p;
}
