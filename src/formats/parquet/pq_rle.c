/* formats/parquet/pq_rle.c — the RLE / bit-packed hybrid encoding
** (Encodings.md), used for definition and repetition levels, dictionary
** indices and RLE booleans.  A run starts with a varint header: low bit 1,
** (header >> 1) groups of 8 values packed bit_width bits each, least
** significant bit first; low bit 0, (header >> 1) repeats of one value
** stored in ceil(bit_width / 8) little-endian bytes. */
#include "formats/parquet/parquet.h"

#include <stdio.h>

#include "base/buf.h"

/* Unpack the first n values of a bit-packed run of len bytes (the caller
** checked n * bit_width bits fit).  A value spans at most 5 bytes (32 bits
** from any bit offset), so one 8-byte little-endian load serves each value
** but the last few, which are read byte by byte so as to stay inside the run. */
static void unpack(const uint8_t *run, size_t len, int bit_width, uint32_t *out, uint64_t n) {
  uint64_t mask = bit_width == 32 ? 0xffffffffu : (UINT64_C(1) << bit_width) - 1;
  uint64_t bit = 0;
  for (uint64_t i = 0; i < n; i++, bit += (uint64_t)bit_width) {
    size_t byte = (size_t)(bit >> 3);
    uint64_t w;
    if (byte + 8 <= len) {
      w = orb_load_u64le(run + byte);
    } else {
      w = 0;
      for (size_t k = 0; byte + k < len && k < 8; k++) w |= (uint64_t)run[byte + k] << (8 * k);
    }
    out[i] = (uint32_t)((w >> (bit & 7)) & mask);
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
      for (uint64_t i = 0; i < reps && done < count; i++) out[done++] = v;
    }
  }
  return ORB_OK;
}
