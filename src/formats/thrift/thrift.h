/*
** formats/thrift/thrift.h — Apache Thrift's compact protocol, reading and
** writing.
**
** Parquet's footer and page headers are Thrift structs in the compact
** protocol: a struct is a series of fields, each a header byte (the field id
** as a delta from the previous one in the high nibble, the type in the low
** nibble; delta 0 means the id follows as a zigzag varint) and a value, then
** a 0 byte.  Integers are zigzag varints, binary values a varint length and
** the bytes, lists a header (size in the high nibble, or 15 and a varint)
** and the elements.
**
** The reader works on a byte range it never reads past; every malformed
** input (truncation, a varint longer than its type, a length beyond the
** range, nesting deeper than TC_MAX_DEPTH, an unknown type) sets r->failed
** with a message naming what and where, and every later call then returns
** zero values, so a decoder can check once at the end of a struct.
**
**   tc_reader r; tc_init(&r, buf, len);
**   int16_t id = 0; int type;
**   while (tc_field(&r, &id, &type)) {
**     if (id == 1 && type == TC_I32) x = tc_i32(&r);
**     else tc_skip(&r, type);
**   }
**   if (r.failed) ... r.msg
*/
#ifndef ORB_FORMATS_THRIFT_THRIFT_H
#define ORB_FORMATS_THRIFT_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Compact protocol element types. */
enum {
  TC_STOP = 0,
  TC_TRUE = 1,      /* boolean field true (in a list: an element type for booleans) */
  TC_FALSE = 2,
  TC_BYTE = 3,
  TC_I16 = 4,
  TC_I32 = 5,
  TC_I64 = 6,
  TC_DOUBLE = 7,
  TC_BINARY = 8,
  TC_LIST = 9,
  TC_SET = 10,
  TC_MAP = 11,
  TC_STRUCT = 12
};

#define TC_MAX_DEPTH 64

typedef struct tc_reader {
  const uint8_t *start;
  orb_rd rd;            /* bytes, varints (LEB128, zigzag) and lengths: base/buf.h */
  int depth;            /* structs entered and not left */
  bool failed;
  char msg[160];
} tc_reader;

void tc_init(tc_reader *r, const void *data, size_t len);
/* Record a failure (first one wins). */
void tc_fail(tc_reader *r, const char *what);

/* Next field of the current struct: false at its end (the STOP byte is
** consumed and the struct left) or on failure.  *id carries the previous
** field id in and the new one out; start each struct with *id = 0. */
bool tc_field(tc_reader *r, int16_t *id, int *type);
/* Enter a struct value (a field of type TC_STRUCT or a list element). */
void tc_struct_begin(tc_reader *r);

int64_t tc_i64(tc_reader *r);
int32_t tc_i32(tc_reader *r);
int16_t tc_i16(tc_reader *r);
int8_t tc_byte(tc_reader *r);
double tc_double(tc_reader *r);
/* A boolean field's value is in its type (TC_TRUE / TC_FALSE); a list
** element is a byte. */
bool tc_bool_field(int type);
bool tc_bool_elem(tc_reader *r);
/* Binary/string: a pointer into the input and its length (not copied). */
const uint8_t *tc_binary(tc_reader *r, size_t *len);
/* List or set header: element type and count (checked against the bytes left). */
void tc_list(tc_reader *r, int *elem_type, int64_t *count);
/* Skip a value of this type (structs, lists and maps whole). */
void tc_skip(tc_reader *r, int type);
/* Offset of the read position from the start. */
static inline size_t tc_offset(const tc_reader *r) { return (size_t)(r->rd.p - r->start); }

/* --- writing (thrift_write.c) ----------------------------------------------------
**
** The writer appends to an orb_buf.  It keeps the last field id of every
** open struct so that field headers carry deltas as the reader expects;
** fields must be written in increasing id order within a struct (as
** Thrift's generated code does), which keeps every delta positive.
**
**   tc_writer w; tc_writer_init(&w, &buf);
**   tc_put_i32(&w, 1, 7);                  the root struct is open from the start
**   tc_put_struct_begin(&w, 2); tc_put_binary(&w, 1, "x", 1); tc_put_struct_end(&w);
**   tc_put_list_begin(&w, 3, TC_I64, 2); tc_put_elem_i64(&w, 5); tc_put_elem_i64(&w, 6);
**   tc_put_end(&w);                        the root's STOP byte
*/
typedef struct tc_writer {
  orb_buf *out;
  int depth;                     /* open structs, the root included */
  int16_t last[TC_MAX_DEPTH];    /* last field id written in each */
} tc_writer;

void tc_writer_init(tc_writer *w, orb_buf *out);
void tc_put_i16(tc_writer *w, int16_t id, int16_t v);
void tc_put_i32(tc_writer *w, int16_t id, int32_t v);
void tc_put_i64(tc_writer *w, int16_t id, int64_t v);
void tc_put_byte(tc_writer *w, int16_t id, int8_t v);
void tc_put_double(tc_writer *w, int16_t id, double v);
void tc_put_bool(tc_writer *w, int16_t id, bool v);
void tc_put_binary(tc_writer *w, int16_t id, const void *p, size_t n);
void tc_put_string(tc_writer *w, int16_t id, const char *s);
/* A struct-valued field; its fields follow, then tc_put_struct_end. */
void tc_put_struct_begin(tc_writer *w, int16_t id);
void tc_put_struct_end(tc_writer *w);
/* A list field's header; then exactly count elements of elem_type. */
void tc_put_list_begin(tc_writer *w, int16_t id, int elem_type, int64_t count);
void tc_put_elem_i32(tc_writer *w, int32_t v);
void tc_put_elem_i64(tc_writer *w, int64_t v);
void tc_put_elem_bool(tc_writer *w, bool v);
void tc_put_elem_binary(tc_writer *w, const void *p, size_t n);
/* A struct element of a list: its fields, then tc_put_struct_end. */
void tc_put_elem_struct_begin(tc_writer *w);
/* The root struct's STOP byte. */
void tc_put_end(tc_writer *w);

#endif
