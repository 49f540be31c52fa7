/*
** base/inflate.h — whole-buffer DEFLATE decompression.
**
** Three readers take DEFLATE data: Avro blocks with the `deflate` codec
** (raw DEFLATE, RFC 1951), Parquet pages with the GZIP codec (RFC 1952
** members, one after another; some writers put a zlib header, RFC 1950,
** instead) and gzipped Iceberg metadata files.  Each has the whole
** compressed input in memory, so they share one routine built on Debian's
** libdeflate, which decompresses a whole buffer two to three times faster
** than zlib's streaming inflate: a manifest list of a hundred manifests is
** one such block, read for every count(*) from metadata.
**
** libdeflate needs room for the whole output up front.  When the size is
** not known (Avro, metadata) the output buffer doubles and the stream is
** decompressed again until it fits, never beyond a caller's limit, so a
** small input that claims to inflate without end costs at most `limit`
** bytes of memory.  A decompressor is made once per thread.
*/
#ifndef ORBIT_BASE_INFLATE_H
#define ORBIT_BASE_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum orb_deflate_wrap {
  ORB_DEFLATE_RAW,               /* bare DEFLATE */
  ORB_DEFLATE_ZLIB,              /* one zlib stream */
  ORB_DEFLATE_GZIP,              /* gzip members until the input ends */
  ORB_DEFLATE_ZLIB_OR_GZIP       /* GZIP when the input starts with gzip's magic bytes, else ZLIB */
} orb_deflate_wrap;

typedef enum orb_inflate_result {
  ORB_INFLATE_OK,
  ORB_INFLATE_CORRUPT,           /* malformed, truncated, a checksum that differs, or bytes after the stream */
  ORB_INFLATE_TOO_BIG,           /* more than the limit */
  ORB_INFLATE_NOMEM              /* no decompressor could be made */
} orb_inflate_result;

/* Decompress n bytes at src into *buf (capacity *cap; orb_malloc'd or
** NULL, replaced by a larger one as needed and left to the caller to
** orb_free), at most limit bytes; the output's length in *out. */
orb_inflate_result orb_inflate(orb_deflate_wrap w, const uint8_t *src, size_t n, size_t limit, uint8_t **buf,
                               size_t *cap, size_t *out);

/* Decompress into dst, whose size the caller knows (a page header says
** it): anything but exactly `size` bytes of output is CORRUPT. */
orb_inflate_result orb_inflate_exact(orb_deflate_wrap w, const uint8_t *src, size_t n, uint8_t *dst, size_t size);

#endif
