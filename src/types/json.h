/*
** types/json.h — JSON documents for the SQL types json and jsonb.
**
** Both types hold text in their orb_value (u.s + len, like TEXT), so that
** every layer that stores, copies or ships a string (hot rows, the WAL,
** checkpoints, COPY, Parquet STRING columns, the wire) carries them as is:
**
**   json   the input text verbatim, once validated (PostgreSQL's json keeps
**          whitespace, key order and duplicate keys).
**   jsonb  the document normalized as PostgreSQL's jsonb prints it: object
**          keys deduplicated (the last value wins) and ordered shorter key
**          first then bytewise, numbers as NUMERIC prints them (1.50 stays
**          1.50, 1e2 becomes 100), one space after ':' and ','.  Two equal
**          documents then have equal text except for numbers of equal value
**          written at different scales (1.0 and 1), which is why comparison
**          and hashing go through orb_jsonb_cmp / orb_jsonb_hash.
**
** Operations parse the text into a tree (orb_json) in an arena, work on the
** tree and print the result.  The parser reads untrusted bytes: it never
** reads past n, refuses nesting deeper than ORB_JSON_MAX_DEPTH with 54001,
** and reports malformed input as PostgreSQL does (22P02 "invalid input
** syntax for type json" with its DETAIL: "Token "x" is invalid.", "The
** input string ended unexpectedly.", ...).
**
** Ordering (jsonb's btree order, PostgreSQL's): object > array > boolean >
** number > string > null; objects with more pairs, and arrays with more
** elements, are greater; then pair by pair (key, then value) or element by
** element; strings bytewise (the C/C.UTF-8 collation); numbers by value.
** A top-level scalar sorts as PostgreSQL's one-element "raw scalar" array.
*/
#ifndef ORB_TYPES_JSON_H
#define ORB_TYPES_JSON_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "types/types.h"

/* Deeper nesting is refused with 54001 (PostgreSQL's stack depth limit). */
#define ORB_JSON_MAX_DEPTH 1000

/* Kinds, in jsonb's type order (PostgreSQL's jbvNull < jbvString < ...). */
typedef enum orb_json_kind {
  ORB_JSON_NULL, ORB_JSON_STRING, ORB_JSON_NUMBER, ORB_JSON_BOOL, ORB_JSON_ARRAY, ORB_JSON_OBJECT
} orb_json_kind;

typedef struct orb_json orb_json;
typedef struct orb_json_member {
  const char *key;             /* decoded UTF-8, not NUL-terminated */
  uint32_t klen;
  orb_json *val;
} orb_json_member;

struct orb_json {
  uint8_t kind;                /* orb_json_kind */
  bool b;                      /* BOOL */
  uint32_t n;                  /* STRING/NUMBER: byte length of s; ARRAY/OBJECT: element/member count */
  const char *s;               /* STRING: decoded UTF-8; NUMBER: its JSON text as written */
  orb_json **elems;            /* ARRAY */
  orb_json_member *members;    /* OBJECT */
  const char *raw;             /* the value's source text (json keeps it verbatim); NULL if built */
  uint32_t rawlen;
};

/* --- parsing ---------------------------------------------------------------- */

/* Check that s[0..n) is one JSON value, building nothing (json's input).
** `type_name` ("json" or "jsonb") is the one the error message names. */
orb_status orb_json_validate(const char *s, size_t n, const char *type_name, orb_err *e);
/* Parse s[0..n) into a tree allocated from a (nodes keep pointers into s
** for raw text: s must outlive the tree).  Duplicate keys are kept, in
** input order.  A \u0000 escape is refused (22P05), as PostgreSQL refuses
** to turn one into text. */
orb_status orb_json_parse(const char *s, size_t n, const char *type_name, orb_arena *a, orb_json **out, orb_err *e);
/* Normalize a tree in place to jsonb's form: keys ordered and deduplicated
** (last wins), at every level. */
void orb_jsonb_normalize(orb_json *j, orb_arena *a);

/* --- building ------------------------------------------------------------------ */

orb_json *orb_json_new(orb_arena *a, orb_json_kind kind);
orb_json *orb_json_string(orb_arena *a, const char *s, size_t n);
/* A number from its text (must be valid JSON number syntax or "NaN"-free NUMERIC output). */
orb_json *orb_json_number(orb_arena *a, const char *s, size_t n);

/* --- printing -------------------------------------------------------------------- */

/* jsonb's text: {"a": 1, "b": [1, 2]}, numbers normalized as NUMERIC prints them. */
void orb_jsonb_write(const orb_json *j, orb_buf *out);
/* jsonb_pretty's text: one member per line, indented by four spaces. */
void orb_jsonb_write_pretty(const orb_json *j, orb_buf *out);
/* A json value's text: its raw source text when it has one, otherwise as jsonb prints it. */
void orb_json_write_raw(const orb_json *j, orb_buf *out);
/* Append s[0..n) as a JSON string literal with PostgreSQL's escapes (escape_json). */
void orb_json_escape(const char *s, size_t n, orb_buf *out);
/* A JSON number's text as NUMERIC prints it ("1e2" -> "100", "-0.0" -> "0.0").
** Errors (22003) when the value has more digits than NUMERIC allows. */
orb_status orb_json_number_normalize(const char *s, size_t n, orb_buf *out, orb_err *e);

/* --- jsonb values ------------------------------------------------------------------ */

/* Input of a jsonb value: parse, normalize and print into a (out is a JSONB value). */
orb_status orb_jsonb_from_text(const char *s, size_t n, orb_arena *a, orb_value *out, orb_err *e);
/* A JSONB value (text in a) of a tree. */
orb_value orb_jsonb_value(const orb_json *j, orb_arena *a);
/* A JSON value (text in a) of a tree: its raw text where it has one. */
orb_value orb_json_value(const orb_json *j, orb_arena *a);

/* --- SQL values as JSON ------------------------------------------------------------ */

/* Append v as to_json converts it: NULL -> null, numbers as they print
** (NaN and infinities as strings), booleans, json/jsonb text as is,
** date/times as ISO 8601 strings ("2026-01-01T10:00:00"), arrays as
** [a,b], records as {"f1":a,"f2":b}, anything else as its text output in a
** JSON string. */
void orb_json_append_value(const orb_value *v, orb_buf *out);
/* A record as an object, its fields named names[i] (NULL: f1, f2, ...). */
void orb_json_append_record(const orb_value *v, const char *const *names, orb_buf *out);

/* --- casts ------------------------------------------------------------------------ */

/* orb_value_cast for a json or jsonb operand or target (text to and from
** them is text I/O, handled by orb_value_cast itself): json <-> jsonb, and
** a jsonb scalar to boolean, smallint, integer, bigint, real, double
** precision and numeric (22023 "cannot cast jsonb string to type integer"
** for another kind).  Others: 42846 "cannot cast type json to integer". */
orb_status orb_json_cast(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e);

/* --- comparison ------------------------------------------------------------------- */

/* jsonb's total order of two trees (top-level scalars as raw scalars). */
int orb_json_cmp(const orb_json *a, const orb_json *b);
/* Order and hash of two jsonb values (their normalized text; unparsable text,
** which a jsonb value never holds, compares bytewise). */
int orb_jsonb_cmp(const orb_value *a, const orb_value *b);
uint64_t orb_jsonb_hash(const orb_value *v);
/* Numbers: compare two JSON number texts by value. */
int orb_json_number_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
