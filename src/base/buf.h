/*
** base/buf.h — growable byte buffers and binary encoding helpers.
**
** orb_buf is a heap buffer that grows as bytes are appended; it is used for
** building strings (orb_buf_printf), serializing records (the put_* helpers,
** little-endian and LEB128 varints), and collecting output.  data is always
** NUL-terminated after any append (not counted in len), so a text buffer can
** be used as a C string.  orb_buf_free() releases it; orb_buf_detach() hands
** ownership of the bytes to the caller (free with orb_free).
**
** orb_rd is the matching bounds-checked reader: every get_* checks the
** remaining length and sets rd->err instead of reading past the end, so a
** decoder of untrusted bytes can read a whole record and check once.
*/
#ifndef ORB_BASE_BUF_H
#define ORB_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct orb_buf {
  char *data;
  size_t len, cap;
} orb_buf;

#define ORB_BUF_INIT {NULL, 0, 0}

void orb_buf_init(orb_buf *b);
void orb_buf_free(orb_buf *b);
void orb_buf_reset(orb_buf *b);                /* len = 0, keeps capacity */
/* Make room for `extra` more bytes (plus the NUL kept after the data). */
void orb_buf_grow_(orb_buf *b, size_t need);
static inline void orb_buf_reserve(orb_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need > b->cap) orb_buf_grow_(b, need);
}
static inline void orb_buf_append(orb_buf *b, const void *p, size_t n) {
  orb_buf_reserve(b, n);
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}
void orb_buf_puts(orb_buf *b, const char *s);
static inline void orb_buf_putc(orb_buf *b, char c) {
  orb_buf_reserve(b, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}
void orb_buf_printf(orb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *orb_buf_detach(orb_buf *b);

static inline void orb_buf_put_u8(orb_buf *b, uint8_t v) { orb_buf_putc(b, (char)v); }
void orb_buf_put_u16(orb_buf *b, uint16_t v);  /* little-endian */
void orb_buf_put_u32(orb_buf *b, uint32_t v);
void orb_buf_put_u64(orb_buf *b, uint64_t v);
/* unsigned LEB128 into d (room for 10 bytes); returns the bytes written */
static inline size_t orb_varint_encode(uint8_t *d, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    d[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  d[n++] = (uint8_t)v;
  return n;
}
/* unsigned LEB128, written in place (logging rows calls this a lot) */
static inline void orb_buf_put_varint(orb_buf *b, uint64_t v) {
  orb_buf_reserve(b, 10);
  b->len += orb_varint_encode((uint8_t *)b->data + b->len, v);
  b->data[b->len] = '\0';
}
static inline uint64_t orb_zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
/* zigzag + LEB128 */
static inline void orb_buf_put_svarint(orb_buf *b, int64_t v) { orb_buf_put_varint(b, orb_zigzag(v)); }
void orb_buf_put_bytes(orb_buf *b, const void *p, size_t n);  /* varint length + bytes */

typedef struct orb_rd {
  const uint8_t *p, *end;
  bool err;                      /* set when a read ran past the end or was malformed */
} orb_rd;

void orb_rd_init(orb_rd *r, const void *p, size_t n);
static inline size_t orb_rd_left(const orb_rd *r) { return (size_t)(r->end - r->p); }
uint8_t orb_rd_u8(orb_rd *r);
uint16_t orb_rd_u16(orb_rd *r);
uint32_t orb_rd_u32(orb_rd *r);
uint64_t orb_rd_u64(orb_rd *r);
uint64_t orb_rd_varint(orb_rd *r);
int64_t orb_rd_svarint(orb_rd *r);
/* Returns a pointer into the input (not copied) and its length. */
const uint8_t *orb_rd_bytes(orb_rd *r, size_t *len);
const uint8_t *orb_rd_raw(orb_rd *r, size_t n);

/* Little-endian loads/stores on raw memory. */
static inline uint32_t orb_load_u32le(const void *p) {
  const uint8_t *b = p;
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline uint64_t orb_load_u64le(const void *p) {
  return (uint64_t)orb_load_u32le(p) | (uint64_t)orb_load_u32le((const uint8_t *)p + 4) << 32;
}
static inline void orb_store_u32le(void *p, uint32_t v) {
  uint8_t *b = p;
  b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8); b[2] = (uint8_t)(v >> 16); b[3] = (uint8_t)(v >> 24);
}
static inline void orb_store_u64le(void *p, uint64_t v) {
  orb_store_u32le(p, (uint32_t)v);
  orb_store_u32le((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

#endif
