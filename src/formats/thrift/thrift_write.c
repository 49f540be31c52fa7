/* formats/thrift/thrift_write.c — compact protocol encoding (see thrift.h). */
#include "formats/thrift/thrift.h"

#include <string.h>

void tc_writer_init(tc_writer *w, orb_buf *out) {
  w->out = out;
  w->depth = 1;   /* the root struct */
  w->last[0] = 0;
}

/* A field header: the id as a delta from the previous field's when it fits
** in the high nibble, else in full after the type byte. */
static void header(tc_writer *w, int16_t id, int type) {
  int16_t *last = &w->last[(w->depth < TC_MAX_DEPTH ? w->depth : TC_MAX_DEPTH) - 1];
  int delta = id - *last;
  if (delta > 0 && delta <= 15) {
    orb_buf_put_u8(w->out, (uint8_t)(delta << 4 | type));
  } else {
    orb_buf_put_u8(w->out, (uint8_t)type);
    orb_buf_put_svarint(w->out, id);
  }
  *last = id;
}

void tc_put_i16(tc_writer *w, int16_t id, int16_t v) {
  header(w, id, TC_I16);
  orb_buf_put_svarint(w->out, v);
}

void tc_put_i32(tc_writer *w, int16_t id, int32_t v) {
  header(w, id, TC_I32);
  orb_buf_put_svarint(w->out, v);
}

void tc_put_i64(tc_writer *w, int16_t id, int64_t v) {
  header(w, id, TC_I64);
  orb_buf_put_svarint(w->out, v);
}

void tc_put_byte(tc_writer *w, int16_t id, int8_t v) {
  header(w, id, TC_BYTE);
  orb_buf_put_u8(w->out, (uint8_t)v);
}

void tc_put_double(tc_writer *w, int16_t id, double v) {
  header(w, id, TC_DOUBLE);
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  orb_buf_put_u64(w->out, u);   /* little-endian, as the compact protocol has it */
}

void tc_put_bool(tc_writer *w, int16_t id, bool v) { header(w, id, v ? TC_TRUE : TC_FALSE); }

void tc_put_binary(tc_writer *w, int16_t id, const void *p, size_t n) {
  header(w, id, TC_BINARY);
  orb_buf_put_bytes(w->out, p, n);
}

void tc_put_string(tc_writer *w, int16_t id, const char *s) { tc_put_binary(w, id, s, strlen(s)); }

static void push(tc_writer *w) {
  /* the writer's callers are our own code with fixed nesting: deeper is a bug */
  if (w->depth < TC_MAX_DEPTH) w->last[w->depth] = 0;
  w->depth++;
}

void tc_put_struct_begin(tc_writer *w, int16_t id) {
  header(w, id, TC_STRUCT);
  push(w);
}

void tc_put_elem_struct_begin(tc_writer *w) { push(w); }

void tc_put_struct_end(tc_writer *w) {
  orb_buf_put_u8(w->out, TC_STOP);
  w->depth--;
}

void tc_put_end(tc_writer *w) { orb_buf_put_u8(w->out, TC_STOP); }

void tc_put_list_begin(tc_writer *w, int16_t id, int elem_type, int64_t count) {
  header(w, id, TC_LIST);
  if (count < 15) {
    orb_buf_put_u8(w->out, (uint8_t)(count << 4 | elem_type));
  } else {
    orb_buf_put_u8(w->out, (uint8_t)(0xf0 | elem_type));
    orb_buf_put_varint(w->out, (uint64_t)count);
  }
}

void tc_put_elem_i32(tc_writer *w, int32_t v) { orb_buf_put_svarint(w->out, v); }
void tc_put_elem_i64(tc_writer *w, int64_t v) { orb_buf_put_svarint(w->out, v); }
void tc_put_elem_bool(tc_writer *w, bool v) { orb_buf_put_u8(w->out, v ? TC_TRUE : TC_FALSE); }
void tc_put_elem_binary(tc_writer *w, const void *p, size_t n) { orb_buf_put_bytes(w->out, p, n); }
