/*
** formats/thrift/thrift.h — Apache Thrift's compact protocol, reading side.
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

#endif
