/* base/hash.c — hashing, checksums, hash multimap (see hash.h). */
#include "base/hash.h"
#include "base/mem.h"

#include <string.h>
#include <sys/mman.h>
#include <libdeflate.h>
#include <xxhash.h>

uint64_t orb_hash_bytes(const void *p, size_t n, uint64_t seed) {
  return XXH3_64bits_withSeed(p, n, seed);
}

uint32_t orb_crc32(uint32_t crc, const void *p, size_t n) {
  /* libdeflate's: the same CRC-32 as zlib's crc32 (same chaining value),
  ** with carry-less multiplication where the CPU has it, about 4x faster
  ** on the log's buffers (it sums every byte written to the WAL) */
  return libdeflate_crc32(crc, p, n);
}

static inline uint64_t fix_hash(uint64_t h) { return h ? h : 1; }

/* Slot arrays of at least this many bytes are mapped directly. */
#define MAPPED_SLOTS ((size_t)1 << 20)

/* A zeroed slot array whose pages are all present.  calloc may hand out
** untouched zero-page mappings, and then every probe (a read) followed by an
** insert (a write) costs a copy-on-write fault and a TLB flush on the other
** CPUs; malloc + memset faults every page in one at a time and then zeroes
** it a second time.  A large array (a growing primary-key index: the one
** that matters) is mapped with MAP_POPULATE instead, which faults its pages
** in one call, already zeroed by the kernel (measured: a third of the page
** faults of a million-row insert gone).  Whether an array is mapped follows
** from its size, so the free needs no flag. */
static orb_hmap_slot *new_slots(size_t cap) {
  size_t bytes = cap * sizeof(orb_hmap_slot);
  if (bytes >= MAPPED_SLOTS) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) orb_oom(bytes);
    return p;
  }
  orb_hmap_slot *s = orb_malloc(bytes);
  memset(s, 0, bytes);
  return s;
}

static void free_slots(orb_hmap_slot *s, size_t cap) {
  size_t bytes = cap * sizeof(orb_hmap_slot);
  if (!s) return;
  if (bytes >= MAPPED_SLOTS) munmap(s, bytes);
  else orb_free(s);
}

void orb_hmap_init(orb_hmap *m, size_t expected) {
  size_t cap = 16;
  while (cap < expected * 2) cap *= 2;
  m->slots = new_slots(cap);
  m->mask = cap - 1;
  m->count = 0;
}

void orb_hmap_free(orb_hmap *m) {
  free_slots(m->slots, m->mask + 1);
  m->slots = NULL;
  m->mask = 0;
  m->count = 0;
}

void orb_hmap_clear(orb_hmap *m) {
  memset(m->slots, 0, (m->mask + 1) * sizeof *m->slots);
  m->count = 0;
}

static void hmap_insert_slot(orb_hmap_slot *slots, size_t mask, uint64_t h, void *val) {
  size_t i = h & mask;
  while (slots[i].hash) i = (i + 1) & mask;
  slots[i].hash = h;
  slots[i].val = val;
}

void orb_hmap_put(orb_hmap *m, uint64_t hash, void *val) {
  if ((m->count + 1) * 2 > m->mask + 1) {   /* load factor <= 0.5: linear probing stays short for misses */
    size_t ncap = (m->mask + 1) * 2;
    orb_hmap_slot *ns = new_slots(ncap);
    for (size_t i = 0; i <= m->mask; i++)
      if (m->slots[i].hash) hmap_insert_slot(ns, ncap - 1, m->slots[i].hash, m->slots[i].val);
    free_slots(m->slots, m->mask + 1);
    m->slots = ns;
    m->mask = ncap - 1;
  }
  hmap_insert_slot(m->slots, m->mask, fix_hash(hash), val);
  m->count++;
}

void orb_hmap_put_after_miss(orb_hmap *m, uint64_t hash, void *val, const orb_hmap_iter *miss) {
  uint64_t h = fix_hash(hash);
  if (miss && miss->m == m && miss->hash == h && (m->count + 1) * 2 <= m->mask + 1 && !m->slots[miss->pos].hash) {
    m->slots[miss->pos].hash = h;
    m->slots[miss->pos].val = val;
    m->count++;
    return;
  }
  orb_hmap_put(m, hash, val);
}

static orb_hmap_slot *hmap_locate(const orb_hmap *m, uint64_t h, void *val) {
  size_t i = h & m->mask;
  while (m->slots[i].hash) {
    if (m->slots[i].hash == h && m->slots[i].val == val) return &m->slots[i];
    i = (i + 1) & m->mask;
  }
  return NULL;
}

bool orb_hmap_replace(orb_hmap *m, uint64_t hash, void *oldval, void *newval) {
  orb_hmap_slot *s = hmap_locate(m, fix_hash(hash), oldval);
  if (!s) return false;
  s->val = newval;
  return true;
}

bool orb_hmap_remove(orb_hmap *m, uint64_t hash, void *val) {
  orb_hmap_slot *s = hmap_locate(m, fix_hash(hash), val);
  if (!s) return false;
  /* backward-shift deletion keeps probe sequences intact without tombstones */
  size_t i = (size_t)(s - m->slots), j = i;
  for (;;) {
    j = (j + 1) & m->mask;
    if (!m->slots[j].hash) break;
    size_t home = m->slots[j].hash & m->mask;
    /* can the entry at j move to i?  yes if home is not cyclically in (i, j] */
    bool in_range = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
    if (!in_range) {
      m->slots[i] = m->slots[j];
      i = j;
    }
  }
  m->slots[i].hash = 0;
  m->slots[i].val = NULL;
  m->count--;
  return true;
}

void *orb_hmap_find(const orb_hmap *m, uint64_t hash, orb_hmap_iter *it) {
  it->m = m;
  it->hash = fix_hash(hash);
  it->pos = it->hash & m->mask;
  return orb_hmap_next(it);
}

void *orb_hmap_next(orb_hmap_iter *it) {
  const orb_hmap *m = it->m;
  while (m->slots[it->pos].hash) {
    orb_hmap_slot *s = &m->slots[it->pos];
    it->pos = (it->pos + 1) & m->mask;
    if (s->hash == it->hash) return s->val;
  }
  return NULL;
}

void *orb_hmap_each(const orb_hmap *m, size_t *pos, uint64_t *hash) {
  while (*pos <= m->mask) {
    orb_hmap_slot *s = &m->slots[(*pos)++];
    if (s->hash) {
      if (hash) *hash = s->hash;
      return s->val;
    }
  }
  return NULL;
}
