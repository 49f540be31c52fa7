/* formats/avro/avro_codec.c — block compression of container files (see avro.h).
**
** The specification's codecs: "null"; "deflate", raw RFC 1951 data (some
** writers wrap it in a zlib header, so that is accepted too); "snappy",
** the compressed data then the big-endian CRC32 of the uncompressed bytes;
** "zstandard", a zstd frame.  An Avro block does not record its
** uncompressed size, so output grows by doubling, never past the limit
** (deflate through base/inflate.h). */
#include "formats/avro/avro_int.h"
#include "base/hash.h"
#include "base/inflate.h"
#include "base/mem.h"

#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

const char *avro_codec_name(avro_codec c) {
  switch (c) {
  case AVRO_CODEC_NULL: return "null";
  case AVRO_CODEC_DEFLATE: return "deflate";
  case AVRO_CODEC_SNAPPY: return "snappy";
  case AVRO_CODEC_ZSTD: return "zstandard";
  }
  return "?";
}

int avro_codec_by_name(const char *name, size_t len) {
  for (int c = AVRO_CODEC_NULL; c <= AVRO_CODEC_ZSTD; c++) {
    const char *n = avro_codec_name((avro_codec)c);
    if (strlen(n) == len && memcmp(n, name, len) == 0) return c;
  }
  return -1;
}

static orb_status too_big(const char *what, avro_codec c, size_t limit, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "avro: %s: a %s block decompresses to more than the limit of %zu bytes",
                      what, avro_codec_name(c), limit);
}

/* Make *buf at least `need` bytes. */
static void ensure(uint8_t **buf, size_t *cap, size_t need) {
  if (*cap >= need) return;
  orb_free(*buf);
  *buf = orb_malloc(need);
  *cap = need;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

orb_status avro_decompress(avro_codec codec, const uint8_t *src, size_t n, size_t limit, uint8_t **buf, size_t *cap,
                           size_t *out_len, const char *what, orb_err *e) {
  *out_len = 0;
  switch (codec) {
  case AVRO_CODEC_NULL:
    if (n > limit) return too_big(what, codec, limit, e);
    ensure(buf, cap, n ? n : 1);
    if (n) memcpy(*buf, src, n);
    *out_len = n;
    return ORB_OK;
  case AVRO_CODEC_DEFLATE: {
    orb_inflate_result r = orb_inflate(ORB_DEFLATE_RAW, src, n, limit, buf, cap, out_len);
    if (r == ORB_INFLATE_CORRUPT)   /* zlib- or gzip-wrapped, as a few writers make it */
      r = orb_inflate(ORB_DEFLATE_ZLIB_OR_GZIP, src, n, limit, buf, cap, out_len);
    if (r == ORB_INFLATE_TOO_BIG) return too_big(what, codec, limit, e);
    if (r == ORB_INFLATE_NOMEM) return orb_err_set(e, ORB_ERR_NOMEM, "avro: %s: out of memory for inflating", what);
    if (r != ORB_INFLATE_OK) return avro_corrupt(e, what, "deflate block data is corrupt or truncated");
    return ORB_OK;
  }
  case AVRO_CODEC_SNAPPY: {
    if (n < 4) return avro_corrupt(e, what, "snappy block of %zu bytes has no room for its CRC32", n);
    size_t len;
    if (snappy_uncompressed_length((const char *)src, n - 4, &len) != SNAPPY_OK)
      return avro_corrupt(e, what, "snappy block data is corrupt");
    if (len > limit) return too_big(what, codec, limit, e);
    ensure(buf, cap, len ? len : 1);
    if (snappy_uncompress((const char *)src, n - 4, (char *)*buf, &len) != SNAPPY_OK)
      return avro_corrupt(e, what, "snappy block data is corrupt");
    uint32_t want = be32(src + n - 4), got = orb_crc32(0, *buf, len);
    if (want != got)
      return avro_corrupt(e, what, "snappy block CRC32 %08x differs from its data's %08x", want, got);
    *out_len = len;
    return ORB_OK;
  }
  case AVRO_CODEC_ZSTD: {
    ZSTD_DStream *z = ZSTD_createDStream();
    ZSTD_initDStream(z);
    size_t size = n * 4 < 4096 ? 4096 : n * 4;
    if (size > limit || size / 4 < n) size = limit;
    ensure(buf, cap, size ? size : 1);
    size = *cap < limit ? *cap : limit;
    ZSTD_inBuffer in = {src, n, 0};
    ZSTD_outBuffer ob = {*buf, size, 0};
    orb_status st = ORB_OK;
    size_t last = 1;
    /* until the input is consumed and the decoder holds nothing more
    ** (last == 0); the output doubles, up to the limit, as it fills */
    while (st == ORB_OK && (in.pos < in.size || last != 0)) {
      if (ob.pos == ob.size) {
        if (size >= limit) {
          st = too_big(what, codec, limit, e);
          break;
        }
        size_t ns = size * 2 > limit ? limit : size * 2;
        uint8_t *nb = orb_malloc(ns);
        memcpy(nb, *buf, ob.pos);
        orb_free(*buf);
        *buf = nb;
        *cap = size = ns;
        ob.dst = nb;
        ob.size = ns;
      }
      bool flushing = in.pos == in.size;   /* only what the decoder holds is left */
      size_t before = ob.pos;
      last = ZSTD_decompressStream(z, &ob, &in);
      if (ZSTD_isError(last)) st = avro_corrupt(e, what, "zstandard block data is corrupt: %s", ZSTD_getErrorName(last));
      else if (flushing && last != 0 && ob.pos == before && ob.pos < ob.size)
        st = avro_corrupt(e, what, "zstandard block data is truncated");
    }
    ZSTD_freeDStream(z);
    *out_len = ob.pos;
    return st;
  }
  }
  return orb_err_set(e, ORB_ERR_UNSUPPORTED, "avro: %s: codec %d is not supported", what, (int)codec);
}

orb_status avro_compress(avro_codec codec, const uint8_t *src, size_t n, orb_buf *out, orb_err *e) {
  switch (codec) {
  case AVRO_CODEC_NULL: orb_buf_append(out, src, n); return ORB_OK;
  case AVRO_CODEC_DEFLATE: {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (n > UINT32_MAX / 2 || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return orb_err_set(e, ORB_ERR_INTERNAL, "avro: cannot start deflate");
    size_t bound = deflateBound(&z, (uLong)n);
    orb_buf_reserve(out, bound);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t made = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return orb_err_set(e, ORB_ERR_INTERNAL, "avro: deflate failed (%d)", rc);
    out->len += made;
    out->data[out->len] = '\0';
    return ORB_OK;
  }
  case AVRO_CODEC_SNAPPY: {
    size_t len = snappy_max_compressed_length(n);
    orb_buf_reserve(out, len + 4);
    if (snappy_compress((const char *)src, n, out->data + out->len, &len) != SNAPPY_OK)
      return orb_err_set(e, ORB_ERR_INTERNAL, "avro: snappy compression failed");
    out->len += len;
    uint32_t crc = orb_crc32(0, src, n);
    uint8_t be[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
    orb_buf_append(out, be, 4);
    return ORB_OK;
  }
  case AVRO_CODEC_ZSTD: {
    size_t bound = ZSTD_compressBound(n);
    orb_buf_reserve(out, bound);
    size_t r = ZSTD_compress(out->data + out->len, bound, src, n, 3);
    if (ZSTD_isError(r)) return orb_err_set(e, ORB_ERR_INTERNAL, "avro: zstd: %s", ZSTD_getErrorName(r));
    out->len += r;
    out->data[out->len] = '\0';
    return ORB_OK;
  }
  }
  return orb_err_set(e, ORB_ERR_UNSUPPORTED, "avro: codec %d is not supported", (int)codec);
}
