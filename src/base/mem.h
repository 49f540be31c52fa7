/*
** base/mem.h — heap allocation.
**
** orb_malloc/orb_calloc/orb_realloc never return NULL: running out of memory
** is not a condition Orbit can recover from half-way through a data
** structure update, so they print a message and exit the process (as Redis's
** zmalloc does).  Bad *input* must never reach this path: parsers check sizes
** against limits and report ORB_ERR_LIMIT / ORB_ERR_CORRUPT before they
** allocate.  Memory from these functions is released with orb_free().
*/
#ifndef ORB_BASE_MEM_H
#define ORB_BASE_MEM_H

#include <stddef.h>

void *orb_malloc(size_t n);
void *orb_calloc(size_t count, size_t size);
void *orb_realloc(void *p, size_t n);
char *orb_strdup(const char *s);
char *orb_strndup(const char *s, size_t n);
void *orb_memdup(const void *p, size_t n);
void orb_free(void *p);
/* The exit the functions above take when n bytes cannot be had (for memory
** got elsewhere, e.g. mmap). */
_Noreturn void orb_oom(size_t n);

/* Grow a dynamic array so that it holds at least `need` elements of `elsize`
** bytes; *cap is updated (geometric growth). */
void *orb_grow(void *p, size_t *cap, size_t need, size_t elsize);

#endif
