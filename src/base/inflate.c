/* base/inflate.c — whole-buffer DEFLATE decompression (inflate.h). */
#include "base/inflate.h"
#include "base/mem.h"

#include <libdeflate.h>
#include <pthread.h>
#include <string.h>

/* One decompressor per thread, freed when the thread ends. */
static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void free_decompressor(void *d) { libdeflate_free_decompressor(d); }
static void make_key(void) { (void)pthread_key_create(&key, free_decompressor); }

static struct libdeflate_decompressor *decompressor(void) {
  (void)pthread_once(&key_once, make_key);
  struct libdeflate_decompressor *d = pthread_getspecific(key);
  if (!d && (d = libdeflate_alloc_decompressor()) != NULL && pthread_setspecific(key, d) != 0) {
    libdeflate_free_decompressor(d);
    d = NULL;
  }
  return d;
}

static bool is_gzip(const uint8_t *src, size_t n) { return n >= 2 && src[0] == 0x1f && src[1] == 0x8b; }

/* One stream of format w from src into dst: its input and output sizes. */
static enum libdeflate_result one(struct libdeflate_decompressor *d, orb_deflate_wrap w, const uint8_t *src, size_t n,
                                  uint8_t *dst, size_t room, size_t *in_used, size_t *out_made) {
  switch (w) {
  case ORB_DEFLATE_RAW: return libdeflate_deflate_decompress_ex(d, src, n, dst, room, in_used, out_made);
  case ORB_DEFLATE_ZLIB: return libdeflate_zlib_decompress_ex(d, src, n, dst, room, in_used, out_made);
  default: return libdeflate_gzip_decompress_ex(d, src, n, dst, room, in_used, out_made);
  }
}

/* Every stream of src into dst (gzip: members until the input ends; the
** others: one stream, which must use the whole input). */
static enum libdeflate_result all(struct libdeflate_decompressor *d, orb_deflate_wrap w, const uint8_t *src, size_t n,
                                  uint8_t *dst, size_t room, size_t *made) {
  size_t in = 0;
  *made = 0;
  do {
    size_t used = 0, got = 0;
    enum libdeflate_result r = one(d, w, src + in, n - in, dst + *made, room - *made, &used, &got);
    if (r != LIBDEFLATE_SUCCESS) return r;
    in += used, *made += got;
    if (used == 0) return LIBDEFLATE_BAD_DATA;
  } while (w == ORB_DEFLATE_GZIP && in < n);
  return in == n ? LIBDEFLATE_SUCCESS : LIBDEFLATE_BAD_DATA;
}

orb_inflate_result orb_inflate(orb_deflate_wrap w, const uint8_t *src, size_t n, size_t limit, uint8_t **buf,
                               size_t *cap, size_t *out) {
  *out = 0;
  struct libdeflate_decompressor *d = decompressor();
  if (!d) return ORB_INFLATE_NOMEM;
  if (w == ORB_DEFLATE_ZLIB_OR_GZIP) w = is_gzip(src, n) ? ORB_DEFLATE_GZIP : ORB_DEFLATE_ZLIB;
  /* a first guess of four times the input (DEFLATE of typical metadata and
  ** Avro records is 3-5x), or the buffer the caller already has */
  size_t room = n < SIZE_MAX / 4 ? n * 4 : SIZE_MAX;
  if (room < 4096) room = 4096;
  if (room < *cap) room = *cap;
  for (;;) {
    if (room > limit) room = limit;
    if (*cap < room || !*buf) {
      orb_free(*buf);
      *buf = orb_malloc(room ? room : 1);
      *cap = room ? room : 1;
    }
    enum libdeflate_result r = all(d, w, src, n, *buf, room, out);
    if (r == LIBDEFLATE_SUCCESS) return ORB_INFLATE_OK;
    if (r != LIBDEFLATE_INSUFFICIENT_SPACE) return ORB_INFLATE_CORRUPT;
    if (room >= limit) return ORB_INFLATE_TOO_BIG;
    room = room > limit / 2 ? limit : room * 2;
  }
}

orb_inflate_result orb_inflate_exact(orb_deflate_wrap w, const uint8_t *src, size_t n, uint8_t *dst, size_t size) {
  struct libdeflate_decompressor *d = decompressor();
  if (!d) return ORB_INFLATE_NOMEM;
  if (w == ORB_DEFLATE_ZLIB_OR_GZIP) w = is_gzip(src, n) ? ORB_DEFLATE_GZIP : ORB_DEFLATE_ZLIB;
  size_t made;
  return all(d, w, src, n, dst, size, &made) == LIBDEFLATE_SUCCESS && made == size ? ORB_INFLATE_OK
                                                                                   : ORB_INFLATE_CORRUPT;
}
