/* formats/parquet/pq_bloom.c — the split-block bloom filter of
** BloomFilter.md: the bitset arithmetic, shared by the writer (insert) and
** by pruning (check).
**
** A filter is z blocks of 256 bits, each block eight 32-bit words stored
** little-endian.  A value's 64-bit XXH64 hash (seed 0, over the value's
** PLAIN encoding without a length prefix) picks a block with its upper
** half, by multiply-shift instead of a modulo so that z need not be a
** power of two for the arithmetic (files still use powers of two); its
** lower half sets one bit in each of the block's eight words, the bit
** chosen by multiplying with one of eight fixed odd constants and keeping
** the top five bits.  Eight bits in one cache line is what makes a probe
** cost one memory access. */
#include <math.h>
#include <xxhash.h>

#include "base/buf.h"
#include "formats/parquet/parquet.h"

/* The specification's eight odd salts. */
static const uint32_t salt[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                                 0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};

uint64_t pq_bloom_hash(const void *plain, size_t len) { return XXH64(plain, len, 0); }

uint64_t pq_bloom_hash_i32(int32_t v) {
  uint8_t b[4];
  orb_store_u32le(b, (uint32_t)v);
  return XXH64(b, sizeof b, 0);
}

uint64_t pq_bloom_hash_i64(int64_t v) {
  uint8_t b[8];
  orb_store_u64le(b, (uint64_t)v);
  return XXH64(b, sizeof b, 0);
}

static uint8_t *block_of(const uint8_t *bitset, size_t nbytes, uint64_t hash) {
  uint64_t z = nbytes / PQ_BLOOM_BLOCK;
  return (uint8_t *)bitset + ((hash >> 32) * z >> 32) * PQ_BLOOM_BLOCK;
}

void pq_bloom_insert(uint8_t *bitset, size_t nbytes, uint64_t hash) {
  uint8_t *blk = block_of(bitset, nbytes, hash);
  uint32_t x = (uint32_t)hash;
  for (int i = 0; i < 8; i++) {
    uint32_t w = orb_load_u32le(blk + 4 * i) | (1u << ((x * salt[i]) >> 27));
    orb_store_u32le(blk + 4 * i, w);
  }
}

bool pq_bloom_check(const uint8_t *bitset, size_t nbytes, uint64_t hash) {
  const uint8_t *blk = block_of(bitset, nbytes, hash);
  uint32_t x = (uint32_t)hash;
  for (int i = 0; i < 8; i++)
    if (!(orb_load_u32le(blk + 4 * i) & (1u << ((x * salt[i]) >> 27)))) return false;
  return true;
}

/* BloomFilter.md's sizing: a filter of m bits with k = 8 bits set per value
** has a false-positive rate of about (1 - exp(-8 n / m))^8, hence
** m = -8 n / ln(1 - fpp^(1/8)); rounded up to a power of two bytes. */
size_t pq_bloom_bytes_for(uint64_t ndv, double fpp) {
  if (!(fpp > 0 && fpp < 1)) fpp = 0.01;
  double bits = -8.0 * (double)(ndv ? ndv : 1) / log(1.0 - pow(fpp, 1.0 / 8));
  size_t bytes = PQ_BLOOM_BLOCK;
  while (bytes < PQ_BLOOM_MAX_BYTES && (double)bytes * 8 < bits) bytes <<= 1;
  return bytes;
}
