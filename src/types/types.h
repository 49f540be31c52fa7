/*
** types/types.h — SQL types and values.
**
** An orb_type names a SQL type with its modifiers (DECIMAL precision/scale,
** VARCHAR length).  An orb_value is one datum of such a type: a small tagged
** struct passed by value or pointer everywhere in the engine (rows are
** arrays of orb_value in schema column order).
**
** Representation of each type (chosen to match Parquet/Iceberg so the cold
** tier needs no conversion):
**
**   BOOL        u.b
**   INT16/32/64 u.i  (int64_t holding the value; range checked per type)
**   FLOAT32     u.f  (a double that is exactly representable as float)
**   FLOAT64     u.f
**   DECIMAL     u.dec: unscaled __int128, value = dec / 10^scale; the value
**               carries its own `scale` (and the type its precision <= 38)
**   TEXT        u.s + len: UTF-8 bytes, NOT NUL-terminated
**   BYTEA       u.s + len: raw bytes
**   DATE        u.i: days since 1970-01-01
**   TIME        u.i: microseconds since midnight
**   TIMESTAMP   u.i: microseconds since 1970-01-01 00:00:00 (no zone)
**   TIMESTAMPTZ u.i: microseconds since 1970-01-01 00:00:00 UTC
**   UUID        u.uuid: 16 bytes, big-endian (RFC 4122 byte order)
**   INTERVAL    u.iv: months, days, microseconds (as PostgreSQL)
**   ARRAY       u.arr: a one-dimensional array (lower bound 1) of values of
**               the type's `elem` id, each possibly NULL (types/array.h);
**               PostgreSQL's catalog columns (oid[], text[], int2vector)
**               and ARRAY[...] / ARRAY(subquery) need no more; `scale`
**               repeats the element type id on the value
**   RECORD      u.arr: a row value, its fields in order as the items of an
**               orb_array (types/array.h).  Orbit makes two kinds: the
**               (x, n) rows of information_schema._pg_expandarray(arr), x
**               of the type's `elem` id, n integer; and whole-row
**               references (`SELECT t FROM t`), `elem` 0 (ORB_T_NULL)
**               (their fields are read by name in the binder).  They print
**               as PostgreSQL prints a record, "(3,1)", and cannot be stored
**   JSON        u.s + len: the input text, verbatim once validated (types/json.h)
**   JSONB       u.s + len: the document as jsonb prints it, normalized (types/json.h)
**   VOID        no data: what a function that returns nothing (pg_sleep)
**               returns; not NULL, it prints as the empty string, as
**               PostgreSQL's void does
**
** SQL NULL is any value with isnull set (its type still says what it would
** have been); ORB_T_NULL is the type of an untyped NULL literal only.
**
** Ownership: an orb_value never owns memory.  For TEXT/BYTEA, u.s points
** into storage owned by someone else (a hot-tier row, an arena, a batch);
** who owns it is documented by whoever hands the value out.  Copy with
** orb_value_copy() into an arena to keep a value beyond that lifetime.
*/
#ifndef ORB_TYPES_TYPES_H
#define ORB_TYPES_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum orb_type_id {
  ORB_T_NULL = 0,
  ORB_T_BOOL,
  ORB_T_INT16,
  ORB_T_INT32,
  ORB_T_INT64,
  ORB_T_FLOAT32,
  ORB_T_FLOAT64,
  ORB_T_DECIMAL,
  ORB_T_TEXT,
  ORB_T_BYTEA,
  ORB_T_DATE,
  ORB_T_TIME,
  ORB_T_TIMESTAMP,
  ORB_T_TIMESTAMPTZ,
  ORB_T_UUID,
  ORB_T_INTERVAL,
  ORB_T_ARRAY,
  ORB_T_RECORD,
  ORB_T_VOID,
  ORB_T_JSON,          /* appended: type ids are stored (rows, WAL, catalog) */
  ORB_T_JSONB,
  ORB_T__COUNT
} orb_type_id;

#define ORB_DECIMAL_MAX_PRECISION 38

typedef struct orb_type {
  uint8_t id;          /* orb_type_id */
  uint8_t precision;   /* DECIMAL: 1..38 */
  uint8_t scale;       /* DECIMAL: 0..precision */
  uint8_t elem;        /* ARRAY: element type id; precision, scale and maxlen are then the
                          element's modifiers (numeric(6,2)[], varchar(5)[]) */
  int32_t maxlen;      /* TEXT declared as VARCHAR(n)/CHAR(n): n characters; 0 = unlimited */
} orb_type;

typedef struct orb_interval {
  int32_t months;
  int32_t days;
  int64_t micros;
} orb_interval;

struct orb_array;

/* A DECIMAL's unscaled value: __int128 kept at 8-byte alignment, so that an
** orb_value is 24 bytes rather than 32 (__int128's own alignment of 16 pads
** the struct).  Every row, batch and value array is a quarter smaller; the
** hot tier's rows are the engine's memory.  x86-64 and arm64 load it
** unaligned at no cost; never take its address as a plain __int128 *. */
typedef __int128 orb_int128 __attribute__((aligned(8)));

typedef struct orb_value {
  uint8_t type;        /* orb_type_id */
  uint8_t isnull;      /* 1 = SQL NULL */
  uint8_t scale;       /* DECIMAL: scale of u.dec */
  uint8_t pad_;
  uint32_t len;        /* TEXT/BYTEA: byte length of u.s */
  union {
    bool b;
    int64_t i;
    double f;
    orb_int128 dec;
    const char *s;
    uint8_t uuid[16];
    orb_interval iv;
    const struct orb_array *arr;
  } u;
} orb_value;
_Static_assert(sizeof(orb_value) == 24 && _Alignof(orb_value) == 8, "orb_value is 24 bytes, 8-byte aligned");

/* --- type constructors ---------------------------------------------------- */
static inline orb_type orb_type_make(orb_type_id id) {
  orb_type t = {(uint8_t)id, 0, 0, 0, 0};
  return t;
}
static inline orb_type orb_type_decimal(int precision, int scale) {
  orb_type t = {ORB_T_DECIMAL, (uint8_t)precision, (uint8_t)scale, 0, 0};
  return t;
}
static inline orb_type orb_type_array(orb_type_id elem) {
  orb_type t = {ORB_T_ARRAY, 0, 0, (uint8_t)elem, 0};
  return t;
}
/* An array type's element type, with the modifiers the array type keeps for it. */
static inline orb_type orb_type_elem(orb_type t) {
  orb_type e = {t.elem, t.precision, t.scale, 0, t.maxlen};
  return e;
}
/* The array type of element type e, keeping e's modifiers. */
static inline orb_type orb_type_array_of(orb_type e) {
  orb_type t = {ORB_T_ARRAY, e.precision, e.scale, e.id, e.maxlen};
  return t;
}
static inline bool orb_type_is_integer(orb_type_id id) {
  return id == ORB_T_INT16 || id == ORB_T_INT32 || id == ORB_T_INT64;
}
static inline bool orb_type_is_float(orb_type_id id) { return id == ORB_T_FLOAT32 || id == ORB_T_FLOAT64; }
/* Values of these types point at bytes held elsewhere (a row, a page, an
** arena): keeping one beyond its source means orb_value_copy; any other
** value is whole in its orb_value. */
static inline bool orb_type_is_by_ref(orb_type_id id) {
  return id == ORB_T_TEXT || id == ORB_T_BYTEA || id == ORB_T_ARRAY || id == ORB_T_RECORD || id == ORB_T_JSON ||
         id == ORB_T_JSONB;
}
static inline bool orb_type_is_numeric(orb_type_id id) {
  return orb_type_is_integer(id) || orb_type_is_float(id) || id == ORB_T_DECIMAL;
}
static inline bool orb_type_is_string(orb_type_id id) { return id == ORB_T_TEXT || id == ORB_T_BYTEA; }
/* json and jsonb: text held in u.s + len like TEXT (types/json.h). */
static inline bool orb_type_is_json(orb_type_id id) { return id == ORB_T_JSON || id == ORB_T_JSONB; }
/* Element types a stored array column may have: the scalars and json/jsonb. */
static inline bool orb_type_is_storable_elem(orb_type_id id) {
  return (id > ORB_T_NULL && id < ORB_T_ARRAY) || id == ORB_T_JSON || id == ORB_T_JSONB;
}
/* Values whose u.s + len point at bytes (text, bytea, json, jsonb): what
** storage copies byte for byte when it keeps one. */
static inline bool orb_type_is_bytes(orb_type_id id) { return orb_type_is_string(id) || orb_type_is_json(id); }

/* --- value constructors --------------------------------------------------- */
static inline orb_value orb_null(orb_type_id t) {
  orb_value v;
  v.type = (uint8_t)t; v.isnull = 1; v.scale = 0; v.pad_ = 0; v.len = 0; v.u.dec = 0;
  return v;
}
/* The union's 16 bytes holding a 64-bit word w in the first 8 and zeros
** after, as one 128-bit value.  The constructors below store it whole:
** zeroing the union and then storing 8 bytes into it made compilers build
** the value on the stack and read it back 16 bytes wide, a load that must
** wait for the narrower store before it (a stall on every value built in a
** hot loop).  The bytes are the same either way (little-endian). */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "orb_value's union is filled little-endian");
static inline __int128 orb_value_word_(uint64_t w) { return (__int128)(unsigned __int128)w; }
static inline orb_value orb_bool(bool b) {
  orb_value v = orb_null(ORB_T_BOOL); v.isnull = 0; v.u.dec = orb_value_word_(b); return v;
}
static inline orb_value orb_int(orb_type_id t, int64_t i) {
  orb_value v = orb_null(t); v.isnull = 0; v.u.dec = orb_value_word_((uint64_t)i); return v;
}
static inline orb_value orb_float(orb_type_id t, double f) {
  union { double f; uint64_t bits; } w = {.f = f};
  orb_value v = orb_null(t); v.isnull = 0; v.u.dec = orb_value_word_(w.bits); return v;
}
static inline orb_value orb_decimal(__int128 unscaled, int scale) {
  orb_value v = orb_null(ORB_T_DECIMAL); v.isnull = 0; v.u.dec = unscaled; v.scale = (uint8_t)scale; return v;
}
static inline orb_value orb_text(const char *s, size_t len) {
  orb_value v = orb_null(ORB_T_TEXT); v.isnull = 0; v.u.dec = orb_value_word_((uintptr_t)s); v.len = (uint32_t)len; return v;
}
static inline orb_value orb_bytea(const void *p, size_t len) {
  orb_value v = orb_null(ORB_T_BYTEA); v.isnull = 0; v.u.dec = orb_value_word_((uintptr_t)p); v.len = (uint32_t)len; return v;
}

#endif
