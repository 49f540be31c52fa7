/* base/arena.c — region allocator (see arena.h). */
#include "base/arena.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct orb_arena_block {
  orb_arena_block *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
};

void orb_arena_init(orb_arena *a, size_t block_size) {
  a->head = NULL;
  a->block_size = block_size ? block_size : 8192;
  a->total = 0;
}

void *orb_arena_alloc(orb_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  orb_arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t sz = n > a->block_size ? n : a->block_size;
    b = orb_malloc(sizeof *b + sz);
    b->size = sz;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    a->total += sz;
  }
  void *p = b->data + b->used;
  b->used += n;
  return p;
}

void *orb_arena_zalloc(orb_arena *a, size_t n) {
  void *p = orb_arena_alloc(a, n);
  memset(p, 0, n);
  return p;
}

void *orb_arena_memdup(orb_arena *a, const void *p, size_t n) {
  void *q = orb_arena_alloc(a, n);
  if (n) memcpy(q, p, n);
  return q;
}

char *orb_arena_strndup(orb_arena *a, const char *s, size_t n) {
  char *p = orb_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *orb_arena_strdup(orb_arena *a, const char *s) { return orb_arena_strndup(a, s, strlen(s)); }

char *orb_arena_sprintf(orb_arena *a, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = orb_arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return p;
}

void orb_arena_reset(orb_arena *a) {
  orb_arena_block *b = a->head;
  if (!b) return;
  /* keep the oldest block (the smallest-address chain end) for reuse */
  while (b->next) {
    orb_arena_block *n = b->next;
    a->total -= b->size;
    orb_free(b);
    b = n;
  }
  b->used = 0;
  a->head = b;
}

void orb_arena_recycle(orb_arena *a) {
  orb_arena_block *b = a->head;
  if (!b) return;
  if (b->next) {   /* several blocks: one of their total size instead */
    size_t total = a->total;
    orb_arena_free(a);
    b = orb_malloc(sizeof *b + total);
    b->size = total;
    b->next = NULL;
    a->head = b;
    a->total = total;
  }
  b->used = 0;
}

void orb_arena_free(orb_arena *a) {
  orb_arena_block *b = a->head;
  while (b) {
    orb_arena_block *n = b->next;
    orb_free(b);
    b = n;
  }
  a->head = NULL;
  a->total = 0;
}

void *orb_arena_dup_array(orb_arena *a, const void *p, size_t elem, size_t n) {
  void *d = orb_arena_zalloc(a, elem * (n + 1));
  if (n) memcpy(d, p, elem * n);
  return d;
}
