/* base/buf.c — growable byte buffers and binary encoding (see buf.h). */
#include "base/buf.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void orb_buf_init(orb_buf *b) { b->data = NULL; b->len = b->cap = 0; }

void orb_buf_free(orb_buf *b) {
  orb_free(b->data);
  orb_buf_init(b);
}

void orb_buf_reset(orb_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void orb_buf_grow_(orb_buf *b, size_t need) {
  size_t c = b->cap ? b->cap : 64;
  while (c < need) c *= 2;
  b->data = orb_realloc(b->data, c);
  b->cap = c;
}


void orb_buf_puts(orb_buf *b, const char *s) { orb_buf_append(b, s, strlen(s)); }


void orb_buf_printf(orb_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    orb_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

char *orb_buf_detach(orb_buf *b) {
  if (!b->data) orb_buf_reserve(b, 0), b->data[0] = '\0';
  char *p = b->data;
  orb_buf_init(b);
  return p;
}

void orb_buf_put_u16(orb_buf *b, uint16_t v) {
  uint8_t t[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  orb_buf_append(b, t, 2);
}
void orb_buf_put_u32(orb_buf *b, uint32_t v) {
  uint8_t t[4];
  orb_store_u32le(t, v);
  orb_buf_append(b, t, 4);
}
void orb_buf_put_u64(orb_buf *b, uint64_t v) {
  uint8_t t[8];
  orb_store_u64le(t, v);
  orb_buf_append(b, t, 8);
}
void orb_buf_put_bytes(orb_buf *b, const void *p, size_t n) {
  orb_buf_put_varint(b, n);
  orb_buf_append(b, p, n);
}

void orb_rd_init(orb_rd *r, const void *p, size_t n) {
  r->p = p;
  r->end = r->p + n;
  r->err = false;
}

const uint8_t *orb_rd_raw(orb_rd *r, size_t n) {
  if (r->err || orb_rd_left(r) < n) {
    r->err = true;
    return NULL;
  }
  const uint8_t *p = r->p;
  r->p += n;
  return p;
}

uint8_t orb_rd_u8(orb_rd *r) {
  const uint8_t *p = orb_rd_raw(r, 1);
  return p ? p[0] : 0;
}
uint16_t orb_rd_u16(orb_rd *r) {
  const uint8_t *p = orb_rd_raw(r, 2);
  return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}
uint32_t orb_rd_u32(orb_rd *r) {
  const uint8_t *p = orb_rd_raw(r, 4);
  return p ? orb_load_u32le(p) : 0;
}
uint64_t orb_rd_u64(orb_rd *r) {
  const uint8_t *p = orb_rd_raw(r, 8);
  return p ? orb_load_u64le(p) : 0;
}
uint64_t orb_rd_varint(orb_rd *r) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t *p = orb_rd_raw(r, 1);
    if (!p) return 0;
    v |= (uint64_t)(*p & 0x7f) << shift;
    if (!(*p & 0x80)) return v;
  }
  r->err = true;
  return 0;
}
int64_t orb_rd_svarint(orb_rd *r) {
  uint64_t u = orb_rd_varint(r);
  return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}
const uint8_t *orb_rd_bytes(orb_rd *r, size_t *len) {
  uint64_t n = orb_rd_varint(r);
  if (r->err || n > orb_rd_left(r)) {
    r->err = true;
    *len = 0;
    return NULL;
  }
  *len = (size_t)n;
  return orb_rd_raw(r, (size_t)n);
}
