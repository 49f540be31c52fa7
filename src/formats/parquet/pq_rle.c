/* formats/parquet/pq_rle.c — the RLE / bit-packed hybrid encoding
** (Encodings.md), used for definition and repetition levels, dictionary
** indices and RLE booleans.  A run starts with a varint header: low bit 1,
** (header >> 1) groups of 8 values packed bit_width bits each, least
** significant bit first; low bit 0, (header >> 1) repeats of one value
** stored in ceil(bit_width / 8) little-endian bytes. */
#include "formats/parquet/parquet.h"

#include <stdio.h>

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
      uint64_t vals = groups * 8, bitpos = 0;
      for (uint64_t i = 0; i < vals && done < count; i++, done++) {
        uint64_t v = 0;
        for (int b = 0; b < bit_width; b++, bitpos++) v |= (uint64_t)((p[pos + bitpos / 8] >> (bitpos % 8)) & 1) << b;
        out[done] = (uint32_t)v;
      }
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
