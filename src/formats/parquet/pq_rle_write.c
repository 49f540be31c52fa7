/* formats/parquet/pq_rle_write.c — encoding the RLE / bit-packed hybrid
** (Encodings.md; pq_rle.c decodes it).  A run of 8 or more equal values
** becomes an RLE run; anything else goes into bit-packed groups of 8, which
** end where such a run begins.  Values are packed through a 64-bit
** accumulator, 4 bytes out whenever 32 bits are full. */
#include "formats/parquet/parquet.h"

int pq_bit_width(uint32_t max) { return max ? 32 - __builtin_clz(max) : 0; }

/* Length of the run of equal values at i, counting no further than cap. */
static int64_t run_at(const uint32_t *v, int64_t n, int64_t i, int64_t cap) {
  int64_t j = i + 1;
  while (j < n && j - i < cap && v[j] == v[i]) j++;
  return j - i;
}

void pq_rle_encode(const uint32_t *v, int64_t n, int bit_width, orb_buf *out) {
  int vbytes = (bit_width + 7) / 8;
  int64_t i = 0;
  while (i < n) {
    int64_t run = run_at(v, n, i, INT64_MAX);
    if (run >= 8) {
      orb_buf_put_varint(out, (uint64_t)run << 1);
      for (int b = 0; b < vbytes; b++) orb_buf_put_u8(out, (uint8_t)(v[i] >> (8 * b)));
      i += run;
      continue;
    }
    /* bit-packed groups until the next long run (checked at group starts) or the end */
    int64_t start = i, groups = 0;
    do {
      groups++;
      i += 8;
    } while (i < n && run_at(v, n, i, 8) < 8);
    orb_buf_put_varint(out, (uint64_t)groups << 1 | 1);
    size_t bytes = (size_t)groups * (size_t)bit_width;   /* 8 values of bit_width bits per group */
    orb_buf_reserve(out, bytes);
    uint8_t *d = (uint8_t *)out->data + out->len;
    uint64_t acc = 0;
    int bits = 0;
    size_t k = 0;
    int64_t full = start + groups * 8 <= n ? start + groups * 8 : n;
    for (int64_t j = start; j < full; j++) {   /* 4 bytes out at a time (bit_width <= 32: acc never overflows) */
      acc |= (uint64_t)v[j] << bits;
      bits += bit_width;
      if (bits >= 32) {
        orb_store_u32le(d + k, (uint32_t)acc);
        k += 4;
        acc >>= 32;
        bits -= 32;
      }
    }
    bits += (int)(start + groups * 8 - full) * bit_width;   /* past the end: zero padding the reader ignores */
    for (; bits > 0; bits -= 8) {   /* a group's bits fill whole bytes */
      d[k++] = (uint8_t)acc;
      acc >>= 8;
    }
    out->len += bytes;
    out->data[out->len] = '\0';
  }
}
