/* storage/hot/hot_alloc.c — memory for hot-tier rows.
**
** Rows are carved from 4 MiB chunks by bumping a pointer (each thread fills
** its own current chunk), instead of one malloc per row: inserting a million
** rows then costs a few hundred chunk mappings rather than allocator
** bookkeeping per row and a heap that grows and shrinks under it.  A chunk counts its live rows; the last free of a
** chunk that is no longer any thread's current one unmaps it.  Rows too big
** for a chunk come from malloc.  Every row is preceded by a 16-byte header
** saying which, and naming its chunk (16 keeps orb_value's alignment).
**
** Thread safety: rows are freed under the database write lock, but different
** databases (and so threads) share chunks' counters, so they are atomic.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/mem.h"
#include "storage/hot/hot.h"

/* Under AddressSanitizer every row is its own malloc, so that the sanitizer
** still sees each row's bounds and lifetime. */
#if defined(__SANITIZE_ADDRESS__)
#define ROWS_FROM_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROWS_FROM_MALLOC 1
#endif
#endif

#define CHUNK_BYTES ((size_t)4 << 20)
#define BIG_ROW (CHUNK_BYTES / 8)
#define HDR 16

typedef struct chunk {
  atomic_long refs;   /* live rows + 1 while it is some thread's current chunk */
  size_t used;
} chunk;

enum { FROM_CHUNK = 1, FROM_MALLOC = 2 };

static pthread_key_t current_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void chunk_unref(chunk *c) {
  if (atomic_fetch_sub(&c->refs, 1) == 1) munmap(c, CHUNK_BYTES);
}

/* A thread that ends gives up its current chunk. */
static void drop_current(void *p) {
  if (p) chunk_unref(p);
}

static void make_key(void) { pthread_key_create(&current_key, drop_current); }

static chunk *chunk_new(void) {
  void *p = mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) return NULL;
  /* MAP_POPULATE: the chunk is about to be filled anyway, and faulting its
  ** 1,024 pages in one call costs less than 1,024 page faults (measured:
  ** inserts 5-10% faster).  No MADV_HUGEPAGE: with Debian's default THP
  ** defrag setting it makes the first touch wait for memory compaction
  ** (measured: inserts 2x slower at times). */
  chunk *c = p;
  atomic_init(&c->refs, 1);
  c->used = (sizeof(chunk) + HDR - 1) / HDR * HDR;
  return c;
}

void *hot_row_alloc(size_t n) {
  size_t need = (n + HDR + HDR - 1) / HDR * HDR;
  uint8_t *p;
#ifdef ROWS_FROM_MALLOC
  if (1) {
#else
  if (need > BIG_ROW) {
#endif
    p = orb_malloc(need);
    p[0] = FROM_MALLOC;
    return p + HDR;
  }
  pthread_once(&key_once, make_key);
  chunk *c = pthread_getspecific(current_key);
  if (!c || c->used + need > CHUNK_BYTES) {
    chunk *nc = chunk_new();
    if (!nc) {   /* no mapping: fall back to malloc rather than fail an insert */
      p = orb_malloc(need);
      p[0] = FROM_MALLOC;
      return p + HDR;
    }
    pthread_setspecific(current_key, nc);
    if (c) chunk_unref(c);
    c = nc;
  }
  p = (uint8_t *)c + c->used;
  c->used += need;
  atomic_fetch_add(&c->refs, 1);
  p[0] = FROM_CHUNK;
  memcpy(p + 8, &c, sizeof c);   /* the row's chunk, for the free */
  return p + HDR;
}

void hot_row_dealloc(void *row) {
  if (!row) return;
  uint8_t *p = (uint8_t *)row - HDR;
  if (p[0] == FROM_MALLOC) {
    orb_free(p);
    return;
  }
  chunk *c;
  memcpy(&c, p + 8, sizeof c);
  chunk_unref(c);
}
