/* storage/hot/hot_alloc.c — memory for hot-tier rows.
**
** Rows are carved from 4 MiB chunks by bumping a pointer (each thread fills
** its own current chunk), instead of one malloc per row: inserting a million
** rows then costs a few hundred chunk mappings rather than allocator
** bookkeeping per row and a heap that grows and shrinks under it.  A chunk counts its live rows; the last free of a
** chunk that is no longer any thread's current one unmaps it.  Rows too big
** for a chunk come from malloc.  Every row is preceded by an 8-byte header:
** its chunk's address, or FROM_MALLOC (a chunk is page-aligned, so never 1).
** Rows are 8-byte aligned, as orb_value needs.
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
#define HDR 8

/* Most rows one chunk can hold (each takes at least HDR + 8 bytes): a
** current chunk's count holds that many references in advance, so carving
** a row out of it is no atomic operation; retiring the chunk gives back
** the ones its rows did not take. */
#define MAX_ROWS ((long)(CHUNK_BYTES / (HDR + 8)))

typedef struct chunk {
  atomic_long refs;   /* live rows, + 1 + MAX_ROWS - carved while it is some thread's current chunk */
  size_t used;
  long carved;        /* rows carved out of it (only its thread touches this) */
} chunk;

#define FROM_MALLOC ((uintptr_t)1)   /* the header of a row that is its own malloc */

static pthread_key_t current_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static __thread chunk *current;   /* the same as current_key's value, read without a call */

static void chunk_unref(chunk *c, long n) {
  if (atomic_fetch_sub(&c->refs, n) == n) munmap(c, CHUNK_BYTES);
}

/* A chunk stops being its thread's current one. */
static void chunk_retire(chunk *c) { chunk_unref(c, 1 + MAX_ROWS - c->carved); }

/* A thread that ends gives up its current chunk. */
static void drop_current(void *p) {
  if (p) chunk_retire(p);
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
  atomic_init(&c->refs, 1 + MAX_ROWS);
  c->used = (sizeof(chunk) + HDR - 1) / HDR * HDR;
  c->carved = 0;
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
    uintptr_t tag = FROM_MALLOC;
    memcpy(p, &tag, sizeof tag);
    return p + HDR;
  }
  chunk *c = current;
  if (!c || c->used + need > CHUNK_BYTES) {
    pthread_once(&key_once, make_key);
    chunk *nc = chunk_new();
    if (!nc) {   /* no mapping: fall back to malloc rather than fail an insert */
      p = orb_malloc(need);
      uintptr_t tag = FROM_MALLOC;
      memcpy(p, &tag, sizeof tag);
      return p + HDR;
    }
    pthread_setspecific(current_key, nc);
    current = nc;
    if (c) chunk_retire(c);
    c = nc;
  }
  p = (uint8_t *)c + c->used;
  c->used += need;
  c->carved++;   /* one of the references taken in advance */
  memcpy(p, &c, sizeof c);   /* the row's chunk, for the free */
  return p + HDR;
}

void hot_row_dealloc(void *row) {
  if (!row) return;
  uint8_t *p = (uint8_t *)row - HDR;
  uintptr_t word;
  memcpy(&word, p, sizeof word);
  if (word == FROM_MALLOC) {
    orb_free(p);
    return;
  }
  chunk_unref((chunk *)word, 1);
}
