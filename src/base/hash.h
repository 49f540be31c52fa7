/*
** base/hash.h — hashing, checksums and a hash multimap.
**
** orb_hash_bytes: 64-bit XXH3 (libxxhash) for hash tables.
** orb_hash_mix:   combine two 64-bit hashes (composite keys).
** orb_crc32:      CRC-32 (IEEE, as zlib's crc32; libdeflate's code) for log records and
**                 Parquet page checksums.
**
** orb_hmap is an open-addressing multimap from a 64-bit hash to a pointer.
** It stores only (hash, value); several entries may share a hash (equal
** keys or collisions) and the caller compares the real keys of candidates
** returned by find.  It is the one hash table of the engine: primary-key
** indexes, GROUP BY, hash joins and COUNT(DISTINCT) all use it.
**
**   orb_hmap m; orb_hmap_init(&m, 0);
**   orb_hmap_put(&m, h, row);
**   orb_hmap_iter it; for (void *v = orb_hmap_find(&m, h, &it); v; v = orb_hmap_next(&it)) ...
**   orb_hmap_remove(&m, h, row);
**   orb_hmap_free(&m);
**
** Not thread-safe; callers lock.  Values must not be NULL.
*/
#ifndef ORB_BASE_HASH_H
#define ORB_BASE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint64_t orb_hash_bytes(const void *p, size_t n, uint64_t seed);
static inline uint64_t orb_hash_u64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
static inline uint64_t orb_hash_mix(uint64_t a, uint64_t b) {
  return orb_hash_u64(a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)));
}
uint32_t orb_crc32(uint32_t crc, const void *p, size_t n);

typedef struct orb_hmap_slot {
  uint64_t hash;     /* 0 = empty (stored hashes are never 0) */
  void *val;
} orb_hmap_slot;

typedef struct orb_hmap {
  orb_hmap_slot *slots;
  size_t mask;       /* capacity - 1 (capacity is a power of two) */
  size_t count;
} orb_hmap;

typedef struct orb_hmap_iter {
  const orb_hmap *m;
  uint64_t hash;
  size_t pos;
} orb_hmap_iter;

void orb_hmap_init(orb_hmap *m, size_t expected);
void orb_hmap_free(orb_hmap *m);
void orb_hmap_clear(orb_hmap *m);
void orb_hmap_put(orb_hmap *m, uint64_t hash, void *val);
/* orb_hmap_put after orb_hmap_find/next ran out for `hash` (iterator miss,
** NULL for none): the empty slot that ended that search is where the put
** goes, so it is taken without a second probe, when the map has not
** changed since (the caller's promise) and needs no resize. */
void orb_hmap_put_after_miss(orb_hmap *m, uint64_t hash, void *val, const struct orb_hmap_iter *miss);
/* Removes the entry (hash, val); returns false if it was not present. */
bool orb_hmap_remove(orb_hmap *m, uint64_t hash, void *val);
/* Replace the value of entry (hash, oldval) by newval; false if absent. */
bool orb_hmap_replace(orb_hmap *m, uint64_t hash, void *oldval, void *newval);
/* Hint that a lookup of `hash` is coming: start loading its slot, so that a
** batch of lookups overlaps its cache misses instead of paying them in turn. */
static inline void orb_hmap_prefetch(const orb_hmap *m, uint64_t hash) {
  __builtin_prefetch(&m->slots[(hash ? hash : 1) & m->mask]);
}
void *orb_hmap_find(const orb_hmap *m, uint64_t hash, orb_hmap_iter *it);
void *orb_hmap_next(orb_hmap_iter *it);
/* Iterate all entries: start with *pos = 0; returns NULL at the end. */
void *orb_hmap_each(const orb_hmap *m, size_t *pos, uint64_t *hash);

#endif
