/* formats/thrift/thrift_read.c — compact protocol decoding (see thrift.h). */
#include "formats/thrift/thrift.h"

#include <stdio.h>
#include <string.h>

void tc_init(tc_reader *r, const void *data, size_t len) {
  memset(r, 0, sizeof *r);
  r->start = data;
  orb_rd_init(&r->rd, data, len);
}

void tc_fail(tc_reader *r, const char *what) {
  if (r->failed) return;
  r->failed = true;
  snprintf(r->msg, sizeof r->msg, "%s at byte %zu", what, tc_offset(r));
  r->rd.p = r->rd.end;   /* everything after reads as nothing */
}

/* The value just read, or 0 and a failure if the bytes ran out or were malformed. */
static bool checked(tc_reader *r, const char *what) {
  if (!r->rd.err) return true;
  r->rd.err = false;
  tc_fail(r, what);
  return false;
}

static uint64_t varint(tc_reader *r) {
  uint64_t v = orb_rd_varint(&r->rd);
  return checked(r, "truncated or overlong varint") ? v : 0;
}

int64_t tc_i64(tc_reader *r) {
  int64_t v = orb_rd_svarint(&r->rd);
  return checked(r, "truncated or overlong varint") ? v : 0;
}

/* A zigzag varint that must lie in [lo, hi]. */
static int64_t ranged(tc_reader *r, int64_t lo, int64_t hi, const char *what) {
  int64_t v = tc_i64(r);
  if (v < lo || v > hi) {
    tc_fail(r, what);
    return 0;
  }
  return v;
}

int32_t tc_i32(tc_reader *r) { return (int32_t)ranged(r, INT32_MIN, INT32_MAX, "i32 out of range"); }
int16_t tc_i16(tc_reader *r) { return (int16_t)ranged(r, INT16_MIN, INT16_MAX, "i16 out of range"); }

int8_t tc_byte(tc_reader *r) {
  uint8_t b = orb_rd_u8(&r->rd);
  return checked(r, "truncated byte") ? (int8_t)b : 0;
}

double tc_double(tc_reader *r) {
  uint64_t u = orb_rd_u64(&r->rd);   /* little-endian */
  if (!checked(r, "truncated double")) return 0;
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

bool tc_bool_field(int type) { return type == TC_TRUE; }
bool tc_bool_elem(tc_reader *r) { return tc_byte(r) == TC_TRUE; }

const uint8_t *tc_binary(tc_reader *r, size_t *len) {
  const uint8_t *v = orb_rd_bytes(&r->rd, len);
  if (!checked(r, "binary value longer than its struct")) return r->rd.p;
  return v;
}

void tc_struct_begin(tc_reader *r) {
  if (++r->depth > TC_MAX_DEPTH) tc_fail(r, "structs nested too deeply");
}

bool tc_field(tc_reader *r, int16_t *id, int *type) {
  if (r->failed) return false;
  if (orb_rd_left(&r->rd) == 0) {
    tc_fail(r, "struct not terminated");
    return false;
  }
  uint8_t h = orb_rd_u8(&r->rd);
  if (h == 0) {
    r->depth--;
    return false;
  }
  *type = h & 0x0f;
  int delta = h >> 4;
  if (delta) *id = (int16_t)(*id + delta);
  else *id = tc_i16(r);
  if (*type > TC_STRUCT) {
    tc_fail(r, "unknown field type");
    return false;
  }
  return !r->failed;
}

void tc_list(tc_reader *r, int *elem_type, int64_t *count) {
  *elem_type = 0;
  *count = 0;
  if (orb_rd_left(&r->rd) == 0) {
    tc_fail(r, "truncated list header");
    return;
  }
  uint8_t h = orb_rd_u8(&r->rd);
  uint64_t n = h >> 4;
  if (n == 15) n = varint(r);
  *elem_type = h & 0x0f;
  /* every element takes at least one byte: a count beyond the bytes left is a lie */
  if (n > orb_rd_left(&r->rd) || *elem_type == TC_STOP || *elem_type > TC_STRUCT) {
    tc_fail(r, "list header with an impossible size or type");
    return;
  }
  *count = (int64_t)n;
}

void tc_skip(tc_reader *r, int type) {
  if (r->failed) return;
  switch (type) {
  case TC_TRUE:
  case TC_FALSE:
    return;   /* a boolean field's value is its type */
  case TC_BYTE:
    tc_byte(r);
    return;
  case TC_I16:
  case TC_I32:
  case TC_I64:
    varint(r);
    return;
  case TC_DOUBLE:
    tc_double(r);
    return;
  case TC_BINARY: {
    size_t n;
    tc_binary(r, &n);
    return;
  }
  case TC_LIST:
  case TC_SET: {
    int et;
    int64_t n;
    tc_list(r, &et, &n);
    if (++r->depth > TC_MAX_DEPTH) {
      tc_fail(r, "lists nested too deeply");
      return;
    }
    for (int64_t i = 0; i < n && !r->failed; i++) {
      if (et == TC_TRUE || et == TC_FALSE) tc_byte(r);   /* booleans in lists are bytes */
      else tc_skip(r, et);
    }
    r->depth--;
    return;
  }
  case TC_MAP: {
    uint64_t n = varint(r);
    if (n == 0) return;
    if (n > orb_rd_left(&r->rd)) {
      tc_fail(r, "map with an impossible size");
      return;
    }
    uint8_t kv = (uint8_t)tc_byte(r);
    if (++r->depth > TC_MAX_DEPTH) {
      tc_fail(r, "maps nested too deeply");
      return;
    }
    for (uint64_t i = 0; i < n && !r->failed; i++) {
      int kt = kv >> 4, vt = kv & 0x0f;
      if (kt == TC_TRUE || kt == TC_FALSE) tc_byte(r);
      else tc_skip(r, kt);
      if (vt == TC_TRUE || vt == TC_FALSE) tc_byte(r);
      else tc_skip(r, vt);
    }
    r->depth--;
    return;
  }
  case TC_STRUCT: {
    tc_struct_begin(r);
    int16_t id = 0;
    int t;
    while (tc_field(r, &id, &t)) tc_skip(r, t);
    return;
  }
  default:
    tc_fail(r, "unknown value type");
  }
}
