/*
** formats/avro/avro.h — Apache Avro: schemas, the binary encoding, object
** container files (OCF), read and written.
**
** Iceberg keeps its manifest lists and manifests in Avro container files
** and names their columns by the `field-id` attribute of each record field
** (and `element-id`, `key-id`, `value-id` on arrays and maps).  Debian's
** avro-c drops such attributes, so this module implements the Apache Avro
** specification itself and keeps every attribute a schema carries.
**
** Schemas.  avro_schema_parse() turns schema JSON (jansson) into a tree of
** avro_schema nodes in an arena: primitives, records, enums, arrays, maps,
** unions, fixed, named-type references (the reference points at the named
** node, so a recursive type is a cycle) and namespaces.  Every JSON member
** that is not structural (type, name, namespace, fields, items, values,
** symbols, size) is kept verbatim, in order, in `attrs` as JSON text, and
** the ones readers need are also decoded: field ids, logical types,
** decimal precision and scale.  avro_schema_to_json() writes the tree back
** with all of them.  A malformed schema fails with a message saying what
** and where ("avro: schema: record \"r2\": field \"x\": unknown type \"lnog\"").
**
** Values.  A decoded datum is a tree of avro_value in the caller's arena.
** A union's value is its branch's value with `branch` set to the branch
** index; strings and bytes are NUL-terminated copies.
**
** Files.  avro_reader reads an OCF: the magic, the header's metadata map
** (avro.schema, avro.codec and any user keys — Iceberg's `schema`,
** `partition-spec`, `format-version`, `content`), the sync marker, then
** blocks compressed with null, deflate (raw, or zlib-wrapped as some
** writers make it), snappy (its CRC32 checked) or zstandard.  avro_writer
** writes one with the same codecs.
**
** Untrusted input: every length, count and block size is checked against
** the bytes left and against a memory limit before anything is allocated,
** varints longer than their type are errors, so is a sync marker that
** differs from the header's, nesting is bounded (AVRO_MAX_DEPTH), and every
** error names the file and what is wrong ("avro: \"m0.avro\": block 3:
** sync marker differs from the header's").
**
** Field ids.  Iceberg resolves columns by id, not name: avro_field_by_id()
** and avro_record_get() find a field of a record by its `field-id`, and
** avro_project() resolves a datum written with one schema to another
** (reader) schema the Avro way — but matching record fields by field id,
** with the specification's promotions (int to long/float/double, long to
** float/double, float to double, string and bytes) and defaults (or null)
** for fields the writer did not have.
**
** Reading a manifest, fields by id (2 is data_file, 100 its file_path):
**
**   avro_reader *r; orb_err e; orb_arena a; avro_value v; bool got;
**   if (avro_reader_open("m0.avro", 0, &r, &e) != ORB_OK) return e.code;
**   orb_arena_init(&a, 0);
**   const avro_schema *df = r->schema->fields[avro_field_by_id(r->schema, 2)].type;
**   while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got) {
**     const avro_value *path = avro_record_get(df, avro_record_get(r->schema, &v, 2), 100);
**     ... path->u.s.data ...
**     orb_arena_reset(&a);
**   }
**   orb_arena_free(&a); avro_reader_close(r);   (e.code != ORB_OK: e.msg says why)
**
** Writing: avro_writer_new(schema, codec, metadata), then avro_record_init
** and avro_record_set per record, avro_writer_append, avro_writer_finish.
**
** Ownership: schemas and values live in the caller's arena; a reader owns
** its schema and metadata (freed by avro_reader_close); a writer borrows
** its schema.
**
** Names: avro_ prefix (DESIGN.md).
*/
#ifndef ORB_FORMATS_AVRO_AVRO_H
#define ORB_FORMATS_AVRO_AVRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

#define AVRO_MAX_DEPTH 64                          /* schema and value nesting */
#define AVRO_DEFAULT_LIMIT ((size_t)256 << 20)     /* memory limit when 0 is given */

typedef enum avro_kind {
  AVRO_NULL, AVRO_BOOLEAN, AVRO_INT, AVRO_LONG, AVRO_FLOAT, AVRO_DOUBLE, AVRO_BYTES, AVRO_STRING,
  AVRO_RECORD, AVRO_ENUM, AVRO_ARRAY, AVRO_MAP, AVRO_UNION, AVRO_FIXED
} avro_kind;

/* The specification's name of a kind ("long", "record"...). */
const char *avro_kind_name(avro_kind k);

/* One JSON member kept as written: key and compact JSON text of its value. */
typedef struct avro_attr {
  const char *key;
  const char *json;
} avro_attr;

typedef struct avro_schema avro_schema;

typedef struct avro_field {
  const char *name;
  avro_schema *type;
  const char *default_json;       /* the "default" member's JSON text, NULL when absent */
  bool has_field_id;
  int32_t field_id;               /* "field-id" (Iceberg) */
  avro_attr *attrs;               /* every member but name and type (default, doc, field-id...) */
  int nattrs;
} avro_field;

struct avro_schema {
  avro_kind kind;
  /* named types (record, enum, fixed) */
  const char *name;               /* as written */
  const char *space;              /* "namespace" as written, NULL when absent */
  const char *fullname;           /* namespace-qualified */
  /* logicalType, when present ("decimal", "date", "timestamp-micros", "uuid", "map"...) */
  const char *logical;
  int32_t precision, scale;       /* decimal */
  avro_field *fields;             /* record */
  int nfields;
  const char **symbols;           /* enum */
  int nsymbols;
  avro_schema *items;             /* array */
  avro_schema *values;            /* map */
  avro_schema **branches;         /* union */
  int nbranches;
  int32_t size;                   /* fixed */
  bool has_element_id, has_key_id, has_value_id;
  int32_t element_id, key_id, value_id;   /* arrays and maps (Iceberg) */
  avro_attr *attrs;               /* every non-structural member, in order */
  int nattrs;
  /* private */
  int min_bytes;                  /* fewest bytes a value's encoding takes (a lower bound) */
  int mark;
};

/* Parse schema JSON (len bytes; the text need not be NUL-terminated) into
** nodes allocated from arena a.  what names the source in errors ("\"x.avro\"" or NULL). */
orb_status avro_schema_parse(const char *json, size_t len, orb_arena *a, const char *what, avro_schema **out,
                             orb_err *e);
/* Append the schema as compact JSON, every attribute included. */
void avro_schema_to_json(const avro_schema *s, orb_buf *out);
/* A member of attrs by key (its JSON text), NULL when absent. */
const char *avro_attr_get(const avro_attr *attrs, int n, const char *key);
/* The index of a record's field with that field-id, or -1. */
int avro_field_by_id(const avro_schema *record, int32_t field_id);
/* The index of a record's field with that name, or -1. */
int avro_field_by_name(const avro_schema *record, const char *name);
/* A union's branch of kind null, or -1: Iceberg's optional fields are ["null", T]. */
int avro_union_null_branch(const avro_schema *u);
/* t itself when it is of kind k, else t's branch of kind k when t is a union
** (an optional field's type); NULL when neither. */
const avro_schema *avro_branch_of_kind(const avro_schema *t, avro_kind k);

/* ------------------------------------------------------------------------
** Values
*/
typedef struct avro_value avro_value;
typedef struct avro_str {
  const char *data;               /* NUL-terminated after len bytes */
  size_t len;
} avro_str;

struct avro_value {
  avro_kind kind;                 /* never AVRO_UNION: a union's datum is its branch's */
  int32_t branch;                 /* the branch taken in an enclosing union, -1 when none */
  union {
    bool b;
    int32_t i;                    /* INT; ENUM: the symbol's index */
    int64_t l;
    float f;
    double d;
    avro_str s;                   /* BYTES, STRING, FIXED */
    struct {
      avro_value *v;              /* RECORD: one per field, in schema order; ARRAY: items; MAP: values */
      avro_str *keys;             /* MAP: keys; NULL otherwise */
      size_t n;
    } c;
  } u;
};

/* Decode one datum of schema s from r, allocating from a; at most limit
** bytes (0: AVRO_DEFAULT_LIMIT) of values.  On a malformed encoding fails
** with ORB_ERR_CORRUPT naming `what` and the problem. */
orb_status avro_decode(const avro_schema *s, orb_rd *r, orb_arena *a, size_t limit, const char *what, avro_value *out,
                       orb_err *e);
/* avro_decode of a record that keeps only the fields keep[i] marks (by
** index in s): the others are read past, checked as avro_decode checks
** them but not stored, and come back as null.  keep NULL: every field.
** For readers that need a few fields of many records (a manifest list's
** row counts). */
orb_status avro_decode_fields(const avro_schema *s, orb_rd *r, orb_arena *a, size_t limit, const char *what,
                              const bool *keep, avro_value *out, orb_err *e);
/* Append the binary encoding of v as schema s.  Fails (ORB_ERR_TYPE) when v
** does not fit s; for a union, v->branch selects the branch, or when -1 the
** first branch of v's kind. */
orb_status avro_encode(const avro_schema *s, const avro_value *v, orb_buf *out, orb_err *e);
/* Whether two decoded data are equal (same kinds, branches and contents; NaN equals NaN). */
bool avro_value_equal(const avro_value *x, const avro_value *y);
/* Append v as JSON for people and tests: bytes and fixed as "\u00XX"
** strings (the specification's JSON encoding), unions without a wrapper,
** enums by symbol, maps as objects. */
void avro_value_to_json(const avro_schema *s, const avro_value *v, orb_buf *out);

/* A record's field by field-id: NULL when the record has no such field. */
const avro_value *avro_record_get(const avro_schema *record, const avro_value *v, int32_t field_id);
/* The number in x when it is an int or a long (false for NULL, absent or
** anything else): Iceberg's counts and ids may be written either way. */
bool avro_value_long(const avro_value *x, int64_t *out);
static inline int64_t avro_long_or(const avro_value *x, int64_t dflt) {
  int64_t v;
  return avro_value_long(x, &v) ? v : dflt;
}

/* Resolve datum v, written as schema w, to reader schema r: record fields
** matched by field-id (by name for reader fields without one), missing
** ones from their default or null, writer-only ones dropped; enums by
** symbol; the specification's numeric and string/bytes promotions.  The
** result is allocated from a.  Fails with ORB_ERR_TYPE naming the field
** when the schemas do not match. */
orb_status avro_project(const avro_schema *w, const avro_value *v, const avro_schema *r, orb_arena *a,
                        avro_value *out, orb_err *e);

/* Start a record of schema `record` for a writer: every field set to its
** default, or to null when its type is a union with null; a required field
** without a default is left unset (encoding it fails, naming the field)
** until avro_record_set gives it a value.  Allocates from a. */
orb_status avro_record_init(const avro_schema *record, orb_arena *a, avro_value *out, orb_err *e);
/* Set the field with that field-id (a union's branch is picked when v's is
** -1); false when the record has no such field. */
bool avro_record_set(const avro_schema *record, avro_value *rec, int32_t field_id, avro_value v);

/* Value constructors (for writers). */
static inline avro_value avro_null(void) { avro_value v = {.kind = AVRO_NULL, .branch = -1}; return v; }
static inline avro_value avro_bool(bool b) { avro_value v = {.kind = AVRO_BOOLEAN, .branch = -1, .u.b = b}; return v; }
static inline avro_value avro_int(int32_t i) { avro_value v = {.kind = AVRO_INT, .branch = -1, .u.i = i}; return v; }
static inline avro_value avro_long(int64_t l) { avro_value v = {.kind = AVRO_LONG, .branch = -1, .u.l = l}; return v; }
static inline avro_value avro_float(float f) { avro_value v = {.kind = AVRO_FLOAT, .branch = -1, .u.f = f}; return v; }
static inline avro_value avro_double(double d) { avro_value v = {.kind = AVRO_DOUBLE, .branch = -1, .u.d = d}; return v; }
static inline avro_value avro_string(const char *p, size_t n) {
  avro_value v = {.kind = AVRO_STRING, .branch = -1, .u.s = {p, n}};
  return v;
}
static inline avro_value avro_bytes(const void *p, size_t n) {
  avro_value v = {.kind = AVRO_BYTES, .branch = -1, .u.s = {(const char *)p, n}};
  return v;
}

/* ------------------------------------------------------------------------
** Object container files
*/
typedef enum avro_codec { AVRO_CODEC_NULL, AVRO_CODEC_DEFLATE, AVRO_CODEC_SNAPPY, AVRO_CODEC_ZSTD } avro_codec;

const char *avro_codec_name(avro_codec c);
/* The codec of that name ("null", "deflate", "snappy", "zstandard"), or -1. */
int avro_codec_by_name(const char *name, size_t len);

/* One header metadata entry; value is bytes (NUL-terminated after len). */
typedef struct avro_meta {
  const char *key;
  const char *value;
  size_t len;
} avro_meta;

typedef struct avro_reader {
  const char *name;               /* the file, for messages */
  avro_schema *schema;            /* the writer's schema, from avro.schema */
  avro_codec codec;
  avro_meta *meta;                /* every header entry, avro.* included, in file order */
  int nmeta;
  uint8_t sync[16];
  int64_t blocks, records;        /* read so far */
  /* private */
  size_t limit;
  orb_arena arena;                /* name, schema, metadata */
  char *owned;                    /* the file image when avro_reader_open read it */
  const uint8_t *img;
  size_t len, pos;                /* the image, and where the next block starts */
  uint8_t *block;                 /* the current block, decompressed (heap) */
  size_t block_cap;
  orb_rd rd;                      /* over the current block's records */
  int64_t left;                   /* records left in the current block */
} avro_reader;

/* Open a container file: read it (at most limit bytes; 0: AVRO_DEFAULT_LIMIT,
** which also bounds each decompressed block and each record's values) and
** decode its header.  Free with avro_reader_close. */
orb_status avro_reader_open(const char *path, size_t limit, avro_reader **out, orb_err *e);
/* The same over a file image in memory, which must outlive the reader. */
orb_status avro_reader_open_image(const void *data, size_t len, const char *name, size_t limit, avro_reader **out,
                                  orb_err *e);
/* Writer schemas already parsed, by their exact avro.schema text.  Opened
** with a cache, a reader whose file carries a text the cache holds takes
** that parsed schema instead of parsing the JSON again (the costly part of
** opening a small file: an Iceberg table's manifests, written by one
** writer, carry one text or a few).  Schemas parsed on the way are added,
** in the cache's arena, and live as long as it; a reader's schema is then
** the cache's (shared, never changed).
**
**   avro_schema_cache c;
**   avro_schema_cache_init(&c, &plan_arena);
**   for each file: avro_reader_open_cached(path, 0, &c, &r, &e) ... avro_reader_close(r);
*/
typedef struct avro_cached_schema avro_cached_schema;
typedef struct avro_schema_cache {
  orb_arena *arena;
  avro_cached_schema *first;
} avro_schema_cache;
void avro_schema_cache_init(avro_schema_cache *c, orb_arena *a);
orb_status avro_reader_open_cached(const char *path, size_t limit, avro_schema_cache *c, avro_reader **out, orb_err *e);
/* A header metadata value by key, NULL when absent. */
const avro_meta *avro_reader_meta(const avro_reader *r, const char *key);
/* The next record, decoded into arena a: *got is false at the end of the file. */
orb_status avro_reader_next(avro_reader *r, orb_arena *a, avro_value *out, bool *got, orb_err *e);
/* The same keeping only the record fields keep[i] marks (avro_decode_fields;
** i indexes the fields of the file's schema, r->schema). */
orb_status avro_reader_next_fields(avro_reader *r, orb_arena *a, const bool *keep, avro_value *out, bool *got,
                                   orb_err *e);
void avro_reader_close(avro_reader *r);

typedef struct avro_writer avro_writer;

/* Start a container file of schema s (which must outlive the writer) with
** that codec and header metadata (user keys; avro.schema and avro.codec are
** added).  sync: the 16-byte marker, or NULL for a random one.  The file is
** built in memory: manifests are small. */
orb_status avro_writer_new(const avro_schema *s, avro_codec codec, const avro_meta *meta, int nmeta,
                           const uint8_t *sync, avro_writer **out, orb_err *e);
/* Bytes of encoded records per block before it is written (default 64 KiB). */
void avro_writer_block_size(avro_writer *w, size_t bytes);
orb_status avro_writer_append(avro_writer *w, const avro_value *v, orb_err *e);
/* Write the last block and hand over the file's bytes (out is appended to). */
orb_status avro_writer_finish(avro_writer *w, orb_buf *out, orb_err *e);
void avro_writer_free(avro_writer *w);

#endif
