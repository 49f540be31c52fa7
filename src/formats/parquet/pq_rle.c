/* formats/parquet/pq_rle.c — the RLE / bit-packed hybrid encoding
** (Encodings.md), used for definition and repetition levels, dictionary
** indices and RLE booleans.  A run starts with a varint header: low bit 1,
** (header >> 1) groups of 8 values packed bit_width bits each, least
** significant bit first; low bit 0, (header >> 1) repeats of one value
** stored in ceil(bit_width / 8) little-endian bytes. */
#include "formats/parquet/parquet.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"

/* Eight values of a bit-packed group of w bytes (w the bit width): value j
** sits at bit j * w, so one 8-byte little-endian load from its first byte
** holds it (an offset of at most 7 bits plus at most 32 bits).  The loads
** may reach up to 7 bytes past the group: `in` must have them (unpack
** copies the last groups of a run into a padded buffer). */
static inline void unpack8(const uint8_t *in, uint32_t *out, int w) {
  uint64_t mask = w == 32 ? 0xffffffffu : (UINT64_C(1) << w) - 1;
  for (int j = 0; j < 8; j++) {
    int bit = j * w;
    out[j] = (uint32_t)((orb_load_u64le(in + (bit >> 3)) >> (bit & 7)) & mask);
  }
}

/* groups groups of 8 values; with w a constant the shifts and offsets of
** unpack8 are constants too (one case per width below). */
static inline void unpack_groups(const uint8_t *in, uint64_t groups, uint32_t *out, int w) {
  for (uint64_t g = 0; g < groups; g++) unpack8(in + g * (uint64_t)w, out + g * 8, w);
}

static void unpack_width(const uint8_t *in, uint64_t groups, uint32_t *out, int w) {
  switch (w) {
#define W(k) case k: unpack_groups(in, groups, out, k); break;
    W(1) W(2) W(3) W(4) W(5) W(6) W(7) W(8) W(9) W(10) W(11) W(12) W(13) W(14) W(15) W(16)
    W(17) W(18) W(19) W(20) W(21) W(22) W(23) W(24) W(25) W(26) W(27) W(28) W(29) W(30) W(31) W(32)
#undef W
  default: memset(out, 0, sizeof(uint32_t) * 8 * groups); break;   /* width 0: every value is 0 */
  }
}

/* Unpack the first n values of a bit-packed run of len bytes (the caller
** checked n * bit_width bits fit).  Groups far enough from the run's end
** are read in place; the last one or two go through a buffer padded with
** zeros, so that no load leaves the run. */
static void unpack(const uint8_t *run, size_t len, int bit_width, uint32_t *out, uint64_t n) {
  uint64_t w = (uint64_t)bit_width, groups = (n + 7) / 8;
  uint64_t direct = len >= 8 ? (len - 8) / (w ? w : 1) : 0;   /* groups g with g * w + w + 7 <= len */
  if (w == 0) direct = groups;
  if (direct > n / 8) direct = n / 8;                          /* whole groups of the n wanted */
  unpack_width(run, direct, out, bit_width);
  for (uint64_t g = direct; g < groups; g++) {
    uint8_t pad[32 + 8] = {0};
    uint32_t vals[8];
    size_t at = (size_t)(g * w), k = at + w <= len ? (size_t)w : len - at;
    memcpy(pad, run + at, k);
    unpack_width(pad, 1, vals, bit_width);
    uint64_t take = n - g * 8 < 8 ? n - g * 8 : 8;
    memcpy(out + g * 8, vals, sizeof(uint32_t) * take);
  }
}

orb_status pq_rle_decode(const uint8_t *p, size_t n, int bit_width, uint32_t *out, int64_t count, const char *name,
                         orb_err *e) {
  if (bit_width < 0 || bit_width > 32)
    return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": bit width %d in RLE data", name, bit_width);
  size_t pos = 0;
  int64_t done = 0;
  int vbytes = (bit_width + 7) / 8;
  while (done < count) {
    uint64_t h = 0;
    int shift = 0;
    for (;;) {   /* the run header */
      if (pos >= n || shift > 35)
        return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": RLE data ends after %lld of %lld values",
                            name, (long long)done, (long long)count);
      uint8_t b = p[pos++];
      h |= (uint64_t)(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (h & 1) {   /* bit-packed groups of 8 */
      uint64_t groups = h >> 1, bits = groups * 8 * (uint64_t)bit_width;
      if (groups == 0 || bits / 8 > n - pos)
        return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": bit-packed run longer than its data", name);
      uint64_t vals = groups * 8, take = vals < (uint64_t)(count - done) ? vals : (uint64_t)(count - done);
      unpack(p + pos, (size_t)(bits / 8), bit_width, out + done, take);
      done += (int64_t)take;
      pos += bits / 8;
    } else {       /* one value repeated */
      uint64_t reps = h >> 1;
      if ((size_t)vbytes > n - pos || reps == 0)
        return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": RLE run without its value", name);
      uint32_t v = 0;
      for (int b = 0; b < vbytes; b++) v |= (uint32_t)p[pos + (size_t)b] << (8 * b);
      pos += (size_t)vbytes;
      int64_t take = reps < (uint64_t)(count - done) ? (int64_t)reps : count - done;
      for (int64_t i = 0; i < take; i++) out[done + i] = v;
      done += take;
    }
  }
  return ORB_OK;
}
