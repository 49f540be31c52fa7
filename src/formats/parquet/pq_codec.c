/* formats/parquet/pq_codec.c — decompressing page data, and compressing it
** for the writer (see parquet.h).
**
** Every codec of the specification's Compression.md but LZO, through
** Debian's libraries: snappy, libdeflate (GZIP, several members in a row;
** zlib compresses it), zstd,
** lz4 (LZ4_RAW blocks; legacy LZ4 in Hadoop's framing of length-prefixed
** blocks, or as one bare block, as different writers made it) and brotli.
** The caller knows the uncompressed size from the page header and gives a
** buffer that large; any other outcome is an error naming the codec. */
#include "formats/parquet/parquet.h"
#include "base/inflate.h"
#include "base/mem.h"

#include <brotli/decode.h>
#include <limits.h>
#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static orb_status fail(const char *name, int codec, const char *what, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": %s page data: %s", name, pq_codec_name(codec), what);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Legacy LZ4 in Hadoop's framing: [uncompressed len][compressed len][block]... (big-endian). */
static bool hadoop_lz4(const uint8_t *src, size_t n, uint8_t *dst, size_t cap) {
  size_t in = 0, out = 0;
  while (in < n) {
    if (n - in < 8) return false;
    uint32_t ulen = be32(src + in), clen = be32(src + in + 4);
    in += 8;
    if (clen > n - in || ulen > cap - out || clen > (uint32_t)INT32_MAX || ulen > (uint32_t)INT32_MAX) return false;
    int got = LZ4_decompress_safe((const char *)src + in, (char *)dst + out, (int)clen, (int)ulen);
    if (got < 0 || (uint32_t)got != ulen) return false;
    in += clen;
    out += ulen;
  }
  return out == cap;
}

orb_status pq_decompress(int codec, const void *src, size_t n, void *dst, size_t cap, const char *name, orb_err *e) {
  const uint8_t *s = src;
  if (n == 0 && cap == 0 && codec != PQ_LZO) return ORB_OK;   /* an empty page (a v2 page of only levels) */
  switch (codec) {
  case PQ_UNCOMPRESSED:
    if (n != cap) return fail(name, codec, "size differs from the page header's", e);
    if (n) memcpy(dst, src, n);
    return ORB_OK;
  case PQ_SNAPPY: {
    size_t len = cap;
    if (snappy_uncompressed_length(src, n, &len) != SNAPPY_OK || len != cap)
      return fail(name, codec, "uncompressed length differs from the page header's", e);
    if (snappy_uncompress(src, n, dst, &len) != SNAPPY_OK || len != cap) return fail(name, codec, "corrupt data", e);
    return ORB_OK;
  }
  case PQ_GZIP:
    /* gzip members, or a zlib stream as some writers made it (base/inflate.h) */
    if (orb_inflate_exact(ORB_DEFLATE_ZLIB_OR_GZIP, s, n, dst, cap) != ORB_INFLATE_OK)
      return fail(name, codec, "corrupt data or wrong size", e);
    return ORB_OK;
  case PQ_ZSTD: {
    size_t r = ZSTD_decompress(dst, cap, src, n);
    if (ZSTD_isError(r) || r != cap) return fail(name, codec, ZSTD_isError(r) ? ZSTD_getErrorName(r) : "wrong size", e);
    return ORB_OK;
  }
  case PQ_LZ4_RAW: {
    if (n > INT32_MAX || cap > INT32_MAX) return fail(name, codec, "page too large", e);
    int r = LZ4_decompress_safe(src, dst, (int)n, (int)cap);
    if (r < 0 || (size_t)r != cap) return fail(name, codec, "corrupt data or wrong size", e);
    return ORB_OK;
  }
  case PQ_LZ4:   /* Hadoop framing first; else one bare block */
    if (hadoop_lz4(s, n, dst, cap)) return ORB_OK;
    if (n <= INT32_MAX && cap <= INT32_MAX) {
      int r = LZ4_decompress_safe(src, dst, (int)n, (int)cap);
      if (r >= 0 && (size_t)r == cap) return ORB_OK;
    }
    return fail(name, codec, "neither Hadoop-framed nor bare LZ4 blocks", e);
  case PQ_BROTLI: {
    size_t len = cap;
    if (BrotliDecoderDecompress(n, src, &len, dst) != BROTLI_DECODER_RESULT_SUCCESS || len != cap)
      return fail(name, codec, "corrupt data or wrong size", e);
    return ORB_OK;
  }
  default: {
    char what[64];
    snprintf(what, sizeof what, "codec %d is not supported", codec);
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: \"%s\": %s", name, what);
  }
  }
}

/* --- compressing (the writer) ------------------------------------------------------ */

struct pq_compressor {
  int codec, level;
  ZSTD_CCtx *zstd;               /* kept across pages: its tables are costly to set up */
  z_stream gz;
  bool gz_ready;
};

pq_compressor *pq_compressor_new(int codec, int level) {
  pq_compressor *z = orb_calloc(1, sizeof *z);
  z->codec = codec;
  z->level = level;
  if (codec == PQ_ZSTD) {
    z->zstd = ZSTD_createCCtx();   /* NULL only out of memory: pq_compress then fails */
    ZSTD_CCtx_setParameter(z->zstd, ZSTD_c_compressionLevel, level ? level : 3);
  }
  return z;
}

void pq_compressor_free(pq_compressor *z) {
  if (!z) return;
  if (z->zstd) ZSTD_freeCCtx(z->zstd);
  if (z->gz_ready) deflateEnd(&z->gz);
  orb_free(z);
}

orb_status pq_compress(pq_compressor *z, const void *src, size_t n, orb_buf *out, orb_err *e) {
  switch (z->codec) {
  case PQ_UNCOMPRESSED:
    orb_buf_append(out, src, n);
    return ORB_OK;
  case PQ_SNAPPY: {
    size_t cap = snappy_max_compressed_length(n);
    orb_buf_reserve(out, cap);
    if (snappy_compress(src, n, out->data + out->len, &cap) != SNAPPY_OK) break;
    out->len += cap;
    return ORB_OK;
  }
  case PQ_ZSTD: {
    if (!z->zstd) break;
    size_t cap = ZSTD_compressBound(n);
    orb_buf_reserve(out, cap);
    size_t r = ZSTD_compress2(z->zstd, out->data + out->len, cap, src, n);
    if (ZSTD_isError(r)) break;
    out->len += r;
    return ORB_OK;
  }
  case PQ_GZIP: {
    if (!z->gz_ready) {   /* 15 + 16: a gzip header and trailer, as Compression.md has it */
      if (deflateInit2(&z->gz, z->level ? z->level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                       Z_DEFAULT_STRATEGY) != Z_OK)
        break;
      z->gz_ready = true;
    } else if (deflateReset(&z->gz) != Z_OK) {
      break;
    }
    if (n > UINT_MAX) break;
    uLong cap = deflateBound(&z->gz, (uLong)n);
    orb_buf_reserve(out, cap);
    z->gz.next_in = (Bytef *)src;
    z->gz.avail_in = (uInt)n;
    z->gz.next_out = (Bytef *)out->data + out->len;
    z->gz.avail_out = (uInt)cap;
    if (deflate(&z->gz, Z_FINISH) != Z_STREAM_END) break;
    out->len += cap - z->gz.avail_out;
    return ORB_OK;
  }
  default:
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: writing codec %s is not supported",
                        pq_codec_name(z->codec));
  }
  return orb_err_set(e, ORB_ERR_INTERNAL, "parquet: %s compression of a %zu-byte page failed", pq_codec_name(z->codec), n);
}
