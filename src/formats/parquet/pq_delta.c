/* formats/parquet/pq_delta.c — the DELTA and BYTE_STREAM_SPLIT encodings
** (Encodings.md).
**
** DELTA_BINARY_PACKED: a header (block size, miniblocks per block, value
** count, first value as a zigzag varint), then blocks: the block's minimum
** delta (zigzag varint), one bit width per miniblock, and the miniblocks'
** deltas minus that minimum, bit-packed.  Sums wrap as unsigned integers,
** as the specification requires.
** DELTA_LENGTH_BYTE_ARRAY: the lengths DELTA_BINARY_PACKED, then the bytes.
** DELTA_BYTE_ARRAY: prefix lengths and suffixes (DELTA_LENGTH_BYTE_ARRAY);
** each value is the previous one's prefix and its own suffix.
** BYTE_STREAM_SPLIT: byte k of every value, value after value, then byte k+1. */
#include "formats/parquet/pq_int.h"
#include "base/mem.h"

#include <string.h>

static bool uvarint(const uint8_t *p, size_t n, size_t *pos, uint64_t *v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= n) return false;
    uint8_t b = p[(*pos)++];
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

orb_status pq_delta_decode(const uint8_t *p, size_t n, int64_t count, int64_t *out, size_t *used, const char *name,
                           orb_err *e) {
  size_t pos = 0;
  uint64_t block, minis, total, first;
  if (!uvarint(p, n, &pos, &block) || !uvarint(p, n, &pos, &minis) || !uvarint(p, n, &pos, &total) ||
      !uvarint(p, n, &pos, &first))
    return pq_corrupt(e, name, "DELTA_BINARY_PACKED header truncated");
  if (block == 0 || block % 128 || minis == 0 || block % minis || (block / minis) % 32 || minis > block)
    return pq_corrupt(e, name, "DELTA_BINARY_PACKED header with impossible block sizes");
  if ((int64_t)total < count) return pq_corrupt(e, name, "DELTA_BINARY_PACKED holds fewer values than its page");
  uint64_t per_mini = block / minis;
  uint64_t cur = (first >> 1) ^ -(first & 1);   /* zigzag */
  int64_t done = 0;
  if (count > 0) out[done++] = (int64_t)cur;
  uint64_t left = total ? total - 1 : 0;         /* values after the first, in blocks */
  while (left > 0) {
    uint64_t zmin;
    if (!uvarint(p, n, &pos, &zmin)) return pq_corrupt(e, name, "DELTA_BINARY_PACKED block truncated");
    uint64_t min_delta = (zmin >> 1) ^ -(zmin & 1);
    if (minis > n - pos) return pq_corrupt(e, name, "DELTA_BINARY_PACKED bit widths truncated");
    const uint8_t *widths = p + pos;
    pos += minis;
    for (uint64_t m = 0; m < minis && left > 0; m++) {
      int w = widths[m];
      if (w > 64) return pq_corrupt(e, name, "DELTA_BINARY_PACKED bit width over 64");
      uint64_t bytes = per_mini * (uint64_t)w / 8;
      if (bytes > n - pos) return pq_corrupt(e, name, "DELTA_BINARY_PACKED miniblock truncated");
      for (uint64_t i = 0; i < per_mini && left > 0; i++, left--) {
        uint64_t d = 0, bit = i * (uint64_t)w;
        for (int b = 0; b < w; b++, bit++) d |= (uint64_t)((p[pos + bit / 8] >> (bit % 8)) & 1) << b;
        cur += min_delta + d;
        if (done < count) out[done++] = (int64_t)cur;
      }
      pos += bytes;   /* a miniblock is whole even when its last values are padding */
    }
  }
  if (done < count) return pq_corrupt(e, name, "DELTA_BINARY_PACKED ends early");
  *used = pos;
  return ORB_OK;
}

orb_status pq_delta_length_decode(const uint8_t *p, size_t n, int64_t count, pq_bytes *out, size_t *used,
                                  const char *name, orb_err *e) {
  int64_t *lens = orb_malloc(sizeof(int64_t) * (size_t)(count ? count : 1));
  size_t pos;
  orb_status st = pq_delta_decode(p, n, count, lens, &pos, name, e);
  for (int64_t i = 0; st == ORB_OK && i < count; i++) {
    if (lens[i] < 0 || (uint64_t)lens[i] > n - pos) {
      st = pq_corrupt(e, name, "DELTA_LENGTH_BYTE_ARRAY values longer than their page");
      break;
    }
    out[i].data = p + pos;
    out[i].len = (size_t)lens[i];
    pos += (size_t)lens[i];
  }
  orb_free(lens);
  *used = pos;
  return st;
}

void pq_byte_stream_split(const uint8_t *p, int64_t count, size_t width, uint8_t *out) {
  for (size_t k = 0; k < width; k++)
    for (int64_t i = 0; i < count; i++) out[(size_t)i * width + k] = p[k * (size_t)count + (size_t)i];
}
