/*
** base/arena.h — region allocator.
**
** An arena hands out memory that is freed all at once: per statement
** (parse trees, bound plans), per batch (temporary values), per query
** (result strings).  Allocation is a pointer bump inside a chain of blocks;
** orb_arena_reset() keeps the first block for reuse, orb_arena_recycle()
** one as large as all of them, orb_arena_free()
** releases everything.  Nothing allocated from an arena is freed alone.
*/
#ifndef ORB_BASE_ARENA_H
#define ORB_BASE_ARENA_H

#include <stddef.h>

typedef struct orb_arena_block orb_arena_block;

typedef struct orb_arena {
  orb_arena_block *head;    /* current block (newest) */
  size_t block_size;        /* default size of new blocks */
  size_t total;             /* bytes allocated from the system */
} orb_arena;

void orb_arena_init(orb_arena *a, size_t block_size);   /* 0 = 8 KiB */
void *orb_arena_alloc(orb_arena *a, size_t n);          /* 16-byte aligned */
void *orb_arena_zalloc(orb_arena *a, size_t n);
void *orb_arena_memdup(orb_arena *a, const void *p, size_t n);
/* Copy an array of n elements into one of n + 1 (the extra element zeroed),
** so that empty arrays still get a valid pointer; p may be NULL when n is 0. */
void *orb_arena_dup_array(orb_arena *a, const void *p, size_t elem, size_t n);
char *orb_arena_strdup(orb_arena *a, const char *s);
char *orb_arena_strndup(orb_arena *a, const char *s, size_t n);
char *orb_arena_sprintf(orb_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void orb_arena_reset(orb_arena *a);
/* Reset, keeping one block as large as all the arena's blocks together, so
** that the same allocations again (a scan's next batch of the same shape)
** fit in it: no malloc, and no fresh pages to fault in.  The memory kept is
** what the largest round needed; orb_arena_free releases it. */
void orb_arena_recycle(orb_arena *a);
void orb_arena_free(orb_arena *a);

#endif
