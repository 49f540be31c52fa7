/*
** formats/parquet/parquet.h — Apache Parquet files: reading and writing.
**
** A Parquet file is "PAR1", column chunks of pages, then the footer: a
** Thrift compact-protocol FileMetaData (formats/thrift/thrift.h), its length
** as 4 little-endian bytes, and "PAR1" again.  This module reads the footer
** into the structs below, from the Apache Parquet format specification
** (parquet.thrift); pages and values follow, and the writer at the end.
**
** Everything a footer holds is copied into the metadata's own arena, so the
** file buffer can go.  Untrusted input: every count is checked against the
** bytes that could hold it and against a memory limit, every offset and
** size against the file, and errors say which file and what is wrong
** ("parquet: \"x.parquet\": footer length 4096 exceeds the file (300 bytes)").
**
** Names: pq_ prefix (DESIGN.md).  Enum values are the specification's.
*/
#ifndef ORB_FORMATS_PARQUET_PARQUET_H
#define ORB_FORMATS_PARQUET_PARQUET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "types/types.h"
#include "types/vec.h"

/* Physical types (parquet.thrift Type). */
typedef enum pq_type {
  PQ_BOOLEAN = 0, PQ_INT32 = 1, PQ_INT64 = 2, PQ_INT96 = 3, PQ_FLOAT = 4, PQ_DOUBLE = 5,
  PQ_BYTE_ARRAY = 6, PQ_FIXED_LEN_BYTE_ARRAY = 7
} pq_type;

/* Compression codecs (CompressionCodec). */
typedef enum pq_codec {
  PQ_UNCOMPRESSED = 0, PQ_SNAPPY = 1, PQ_GZIP = 2, PQ_LZO = 3, PQ_BROTLI = 4, PQ_LZ4 = 5, PQ_ZSTD = 6, PQ_LZ4_RAW = 7
} pq_codec;

/* FieldRepetitionType. */
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 };

/* LogicalType: the union's member, by its field id. */
typedef enum pq_logical_kind {
  PQ_LT_NONE = 0, PQ_LT_STRING = 1, PQ_LT_MAP = 2, PQ_LT_LIST = 3, PQ_LT_ENUM = 4, PQ_LT_DECIMAL = 5,
  PQ_LT_DATE = 6, PQ_LT_TIME = 7, PQ_LT_TIMESTAMP = 8, PQ_LT_INTEGER = 10, PQ_LT_UNKNOWN = 11, PQ_LT_JSON = 12,
  PQ_LT_BSON = 13, PQ_LT_UUID = 14, PQ_LT_FLOAT16 = 15, PQ_LT_VARIANT = 16, PQ_LT_GEOMETRY = 17, PQ_LT_GEOGRAPHY = 18
} pq_logical_kind;

enum { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 };

typedef struct pq_logical {
  pq_logical_kind kind;
  int32_t scale, precision;      /* DECIMAL */
  bool utc;                      /* TIME, TIMESTAMP: isAdjustedToUTC */
  int unit;                      /* TIME, TIMESTAMP: PQ_UNIT_* */
  int bit_width;                 /* INTEGER */
  bool is_signed;                /* INTEGER */
} pq_logical;

/* One node of the schema tree, as stored: depth-first, the root first. */
typedef struct pq_schema_elem {
  const char *name;
  int type;                      /* pq_type, -1 for groups */
  int32_t type_length;           /* FIXED_LEN_BYTE_ARRAY */
  int repetition;                /* PQ_REQUIRED..., -1 when absent (the root) */
  int32_t num_children;          /* -1 for leaves */
  int converted_type;            /* ConvertedType, -1 when absent */
  int32_t scale, precision;      /* legacy DECIMAL */
  bool has_field_id;
  int32_t field_id;
  pq_logical logical;
} pq_schema_elem;

/* A byte string pointing into its source: the types layer's (a column
** batch's text vectors point at a decoded column's values as they are). */
typedef orb_bytes pq_bytes;

typedef struct pq_stats {
  pq_bytes min, max;             /* deprecated, signed order */
  pq_bytes min_value, max_value; /* by the column order */
  bool has_null_count, has_distinct_count;
  int64_t null_count, distinct_count;
} pq_stats;

/* PageEncodingStats: how many pages of a type (0 data, 2 dictionary, 3 data
** v2) use an encoding.  Tells whether every data page of a chunk is
** dictionary-encoded, which dictionary pruning needs. */
typedef struct pq_encoding_stats {
  int page_type, encoding;
  int32_t count;
} pq_encoding_stats;

typedef struct pq_chunk {
  const char *file_path;         /* NULL: this file */
  int64_t file_offset;
  bool has_meta;                 /* ColumnMetaData present (absent: encrypted column) */
  int type;                      /* pq_type */
  int32_t *encodings;
  int nencodings;
  const char **path;             /* path_in_schema */
  int npath;
  int codec;                     /* pq_codec */
  int64_t num_values, total_uncompressed_size, total_compressed_size;
  int64_t data_page_offset;
  bool has_index_page, has_dictionary_page, has_stats, has_bloom_filter, has_offset_index, has_column_index;
  int64_t index_page_offset, dictionary_page_offset;
  pq_stats stats;
  int64_t bloom_filter_offset;
  int32_t bloom_filter_length;   /* 0 when not given */
  int64_t offset_index_offset, column_index_offset;
  int32_t offset_index_length, column_index_length;
  bool encrypted;                /* crypto_metadata or encrypted_column_metadata present */
  pq_encoding_stats *encoding_stats;
  int nencoding_stats;           /* 0 when absent */
} pq_chunk;

typedef struct pq_row_group {
  pq_chunk *columns;
  int ncolumns;
  int64_t total_byte_size, num_rows;
  bool has_file_offset, has_total_compressed_size, has_ordinal;
  int64_t file_offset, total_compressed_size;
  int16_t ordinal;
} pq_row_group;

typedef struct pq_kv {
  const char *key;
  const char *value;             /* NULL when absent */
} pq_kv;

typedef struct pq_file_meta {
  orb_arena arena;               /* everything below lives here */
  int32_t version;
  pq_schema_elem *schema;
  int nschema;
  int64_t num_rows;
  pq_row_group *row_groups;
  int nrow_groups;
  pq_kv *kv;
  int nkv;
  const char *created_by;        /* NULL when absent */
  int *column_orders;            /* ColumnOrder member per leaf (1 type-defined, 2 IEEE 754 total, 3 INT96) */
  int ncolumn_orders;
  bool encrypted;                /* encryption_algorithm present: a plaintext-footer encrypted file */
} pq_file_meta;

/* Limits on what a footer may make us allocate. */
#define PQ_DEFAULT_META_LIMIT ((size_t)256 << 20)

/* Decode a FileMetaData (the footer's Thrift bytes).  `name` is for errors.
** limit: bytes of decoded metadata allowed (0 = PQ_DEFAULT_META_LIMIT). */
orb_status pq_meta_decode(const void *buf, size_t len, const char *name, size_t limit, pq_file_meta **out,
                          orb_err *e);
/* Read a file's footer: magic numbers, footer length, FileMetaData, and the
** column chunks' offsets and sizes checked against the file size. */
orb_status pq_read_footer(const char *path, pq_file_meta **out, orb_err *e);
/* The same for a whole file image in memory (tests, fuzzing). */
orb_status pq_footer_from_image(const void *data, size_t len, const char *name, pq_file_meta **out, orb_err *e);
void pq_meta_free(pq_file_meta *m);

/* --- pages (pq_page.c, pq_codec.c) ------------------------------------------------ */

/* PageHeader: type 0 DATA_PAGE, 1 INDEX_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2. */
typedef struct pq_page_header {
  int type;
  int32_t uncompressed_size, compressed_size;
  bool has_crc;
  uint32_t crc;                  /* CRC-32 of the page's bytes as stored */
  int32_t num_values;            /* data and dictionary pages */
  int encoding, def_encoding, rep_encoding;
  int32_t num_nulls, num_rows;   /* v2 */
  int32_t def_len, rep_len;      /* v2: level bytes, uncompressed, before the values */
  bool v2_compressed;            /* v2: whether the values are compressed */
  size_t header_len;             /* bytes the header took */
} pq_page_header;

orb_status pq_page_header_decode(const void *buf, size_t avail, const char *name, pq_page_header *h, orb_err *e);
/* Decompress n bytes of codec into exactly cap bytes (the page header's size). */
orb_status pq_decompress(int codec, const void *src, size_t n, void *dst, size_t cap, const char *name, orb_err *e);

/* Called for each page of a chunk with its uncompressed bytes (v2: the
** levels, then the values). */
typedef orb_status (*pq_page_fn)(void *arg, const pq_page_header *h, const uint8_t *page, size_t len, orb_err *e);
/* Read column chunk `col` of row group `rg`: every page header, CRC32 when
** present, decompression; the data pages' values must add up to the
** chunk's num_values.  limit caps a chunk's and a page's bytes (0: default). */
orb_status pq_chunk_walk(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_page_fn fn,
                         void *arg, orb_err *e);
/* The same over a whole file image in memory (tests, fuzzing). */
orb_status pq_chunk_walk_image(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg, int col,
                               size_t limit, pq_page_fn fn, void *arg, orb_err *e);

/* DELTA_BINARY_PACKED: count values into out, *used bytes read (pq_delta.c). */
orb_status pq_delta_decode(const uint8_t *p, size_t n, int64_t count, int64_t *out, size_t *used, const char *name,
                           orb_err *e);
/* DELTA_LENGTH_BYTE_ARRAY: values pointing into p. */
orb_status pq_delta_length_decode(const uint8_t *p, size_t n, int64_t count, pq_bytes *out, size_t *used,
                                  const char *name, orb_err *e);
/* BYTE_STREAM_SPLIT of count values of width bytes (the caller checked count * width bytes are there). */
void pq_byte_stream_split(const uint8_t *p, int64_t count, size_t width, uint8_t *out);

/* Decode `count` values of the RLE / bit-packed hybrid encoding from n bytes. */
orb_status pq_rle_decode(const uint8_t *p, size_t n, int bit_width, uint32_t *out, int64_t count, const char *name,
                         orb_err *e);

/* --- values of flat columns (pq_values.c) ---------------------------------------- */

/* A column chunk's values by row: nulls[i] says NULL, else values holds the
** value in a slot of pq_value_size(type) bytes: uint8_t 0/1 for BOOLEAN,
** int32_t, int64_t, float, double, 12 bytes of INT96, pq_bytes for
** BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (contents in the arena). */
typedef struct pq_read_bufs pq_read_bufs;
typedef struct pq_column {
  int type;
  int32_t type_length;
  int64_t n, cap;
  int64_t nnull;                 /* entries that are NULL (0: nulls[] need not be looked at) */
  uint8_t *nulls;
  void *values;
  orb_arena arena;
  int max_def, max_rep;          /* the leaf's maximum levels (from its schema path) */
  /* each entry's levels; NULL when that maximum is 0, and def also NULL
  ** for a flat leaf (max_def 1, max_rep 0), whose levels nulls[] tells
  ** (pq_def_level reads them either way) */
  uint16_t *def, *rep;
  pq_read_bufs *bufs;            /* the reader's page buffers, kept by pq_read_leaf_column_into */
} pq_column;

/* Entry i's definition level. */
static inline int pq_def_level(const pq_column *c, int64_t i) {
  return c->def ? c->def[i] : c->nulls[i] ? c->max_def - 1 : c->max_def;
}

size_t pq_value_size(int type);
/* Read column `col` of row group `rg` of a flat file (no groups, lists or
** maps); limit caps the bytes of pages and values (0: default). */
orb_status pq_read_flat_column(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_column *out,
                               orb_err *e);
/* The same over a whole file image in memory (tests, fuzzing). */
orb_status pq_read_flat_column_image(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                     int col, size_t limit, pq_column *out, orb_err *e);
void pq_column_free(pq_column *c);

/* --- leaves of any depth (pq_values.c, pq_schema.c) ----------------------------- */

/* Nesting deeper than this is refused (it bounds the reader's recursion). */
#define PQ_MAX_DEPTH 64

/* Leaf column col: its schema element's index in m->schema and its maximum
** definition and repetition levels (each optional or repeated node on its
** path adds a definition level, each repeated node a repetition level). */
orb_status pq_leaf_levels(const pq_file_meta *m, const char *name, int col, int *elem, int *max_def, int *max_rep,
                          orb_err *e);
/* Read leaf column col of row group rg at any depth: one entry per level
** pair (out->n of them, num_values of the chunk), nulls[i] when the entry's
** definition level is below the maximum, its value in values[i] otherwise,
** and the levels in out->def / out->rep.  A flat column reads as it does
** with pq_read_flat_column. */
orb_status pq_read_leaf_column(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_column *out,
                               orb_err *e);
orb_status pq_read_leaf_column_image(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                           int col, size_t limit, pq_column *out, orb_err *e);
/* pq_read_leaf_column into a column that holds an earlier read (or is all
** zeros): the memory of that read is reused (orb_arena_recycle, and the
** reader's chunk, page and level buffers), grown to the largest need so
** far and never shrunk, so that a scan reading row group after row group
** allocates, and faults in, no fresh memory after the first.  The limit
** bounds each read as it does pq_read_leaf_column's; pq_column_free
** releases it all. */
orb_status pq_read_leaf_column_into(const char *path, const pq_file_meta *m, int rg, int col, size_t limit,
                                    pq_column *out, orb_err *e);
orb_status pq_read_leaf_column_image_into(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                          int col, size_t limit, pq_column *out, orb_err *e);

/* --- a flat column chunk page by page (pq_stream.c) ----------------------------- */

/* A scan that reads a row group's columns whole holds every decoded value
** of the group at once: with the row groups of a large file (Iceberg's
** 128 MiB, Spark's) that is hundreds of megabytes written to memory and
** read back, fresh pages faulted in for each query.  A stream holds only a
** window of rows: the chunk's bytes are read (compressed) as a whole, but
** its pages are decompressed and decoded as the consumer asks for rows,
** and rows it has gone past are dropped, so that the window stays about a
** page long and in the processor's cache.
**
** Rows [first, first + col->n) of the chunk are in col (a pq_column as
** pq_read_leaf_column fills it, entry 0 being row first; read-only to the
** caller), valid until the next call on the stream.  The consumer asks
** for rows in ascending order (from never below an earlier from).  Flat
** leaves (no repetition, definition level 0 or 1) are streamed; any other
** leaf is read whole (first 0, every entry in col).  The memory of one
** chunk is kept for the next one opened on the same stream; a zeroed
** stream is ready to open, pq_stream_free releases everything. */
typedef struct pq_stream_state pq_stream_state;
typedef struct pq_column_stream {
  const pq_column *col;
  int64_t first;
  int64_t total;                 /* the chunk's entries (num_values) */
  pq_stream_state *st;
} pq_column_stream;

/* Start on chunk (rg, col) of src: its bytes are read and its dictionary
** decoded when the first rows are asked for. limit as pq_read_leaf_column's. */
struct pq_source;
orb_status pq_stream_open(pq_column_stream *s, const struct pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                          orb_err *e);
/* Make rows [from, from + n) of the chunk be in the window (from + n at
** most total): rows before from are dropped, pages decoded until the window
** reaches from + n.  A chunk whose pages hold fewer or more values than its
** metadata says is ORB_ERR_CORRUPT as with pq_chunk_walk. */
orb_status pq_stream_need(pq_column_stream *s, int64_t from, int64_t n, orb_err *e);
/* Forget the chunk, keep the memory (for the next open). */
void pq_stream_close(pq_column_stream *s);
void pq_stream_free(pq_column_stream *s);

/* --- nested fields (pq_schema.c, pq_nested.c) ----------------------------------- */

typedef enum pq_shape_kind { PQ_SHAPE_VALUE, PQ_SHAPE_STRUCT, PQ_SHAPE_LIST, PQ_SHAPE_MAP } pq_shape_kind;

/* How a field's values are assembled from its leaves' levels, by the
** schema's groups and LogicalTypes.md's LIST and MAP rules (3-level lists;
** 2-level lists, repeated primitives, "array" and "<name>_tuple" groups;
** unannotated repeated fields as required lists; MAP and MAP_KEY_VALUE, key
** and value by position, a MAP without values as the list of its keys). */
typedef struct pq_shape {
  pq_shape_kind kind;
  const char *name;              /* the field's name (a struct's member names) */
  const pq_schema_elem *elem;    /* its schema element (VALUE: the leaf's, for its type) */
  int def;                       /* definition level from which the value is not NULL */
  int elem_def, rep;             /* LIST, MAP: definition level from which it has elements; their repetition level */
  int leaf;                      /* VALUE: its leaf column */
  int first_leaf, nleaves;       /* the leaf columns below, consecutive */
  struct pq_shape *children;     /* STRUCT: members; LIST: the element; MAP: key, value */
  int nchildren;
} pq_shape;

/* The top-level fields of a file (the root's children), in order. */
typedef struct pq_fields {
  int n;
  pq_shape *fields;              /* a flat column is a VALUE at definition level 0 or 1 */
  const char **errors;           /* NULL, or why field k cannot be read ("LIST \"x\" does not ...") */
  orb_arena arena;
} pq_fields;

/* The schema's shapes; errors for a schema that is no tree or whose leaves
** are not the row groups' columns.  A field that breaks the LIST/MAP rules
** gets an errors[] entry, and the others still read. */
orb_status pq_fields_build(const pq_file_meta *m, const char *name, pq_fields *out, orb_err *e);
void pq_fields_free(pq_fields *f);

/* A value of a field: n is -1 for NULL, else the number of struct members,
** list elements or map entries; items holds them (a map's as key, value
** pairs: 2n).  A VALUE's entry indexes its leaf column (pq_value_at). */
typedef struct pq_nested {
  int32_t n;
  int64_t entry;
  struct pq_nested *items;
} pq_nested;

/* A field's values in one row group, one per record. */
typedef struct pq_nested_column {
  const pq_shape *shape;
  pq_column *leaves;             /* shape->nleaves columns, from column shape->first_leaf */
  int64_t n;
  pq_nested *rows;
  orb_arena arena;
} pq_nested_column;

/* Read field f's leaves of row group rg and assemble its records: every
** level is checked against the shape (a record that starts in the middle,
** leaves that disagree, fewer or more records than the row group's rows
** are errors).  limit caps the bytes of pages, values and the value tree. */
orb_status pq_read_nested(const char *path, const pq_file_meta *m, const pq_shape *f, int rg, size_t limit,
                          pq_nested_column *out, orb_err *e);
orb_status pq_read_nested_image(const void *file, size_t len, const char *name, const pq_file_meta *m,
                                const pq_shape *f, int rg, size_t limit, pq_nested_column *out, orb_err *e);
void pq_nested_free(pq_nested_column *c);
/* Record `row` as JSON text: structs as objects, lists as arrays, maps as
** objects keyed by the key's text; leaves by their SQL type (pq_value_at):
** booleans and numbers bare (NaN and infinities as strings), everything
** else as the string of its SQL text.  A NULL record sets *isnull.  Text
** beyond PQ_DEFAULT_META_LIMIT bytes is an error (ORB_ERR_LIMIT). */
orb_status pq_nested_json(const pq_nested_column *c, int64_t row, orb_buf *out, bool *isnull, orb_err *e);
/* Record `row` as a value of t, the field's pq_field_sql_type: an array
** (a list of a primitive; NULL elements stay NULL) or the JSON text; made
** in a, strings too. */
orb_status pq_nested_value(const pq_nested_column *c, int64_t row, orb_type t, orb_arena *a, orb_value *out, orb_err *e);

/* --- SQL values (pq_types.c) ------------------------------------------------------ */

/* The SQL type a leaf column's values take (logical or converted type). */
orb_status pq_sql_type(const pq_schema_elem *s, orb_type *out, orb_err *e);
/* Row `row` of column c as a value of type t (from pq_sql_type; strings
** point into the column's arena). */
orb_status pq_value_at(const pq_schema_elem *s, const pq_column *c, int64_t row, orb_type t, orb_value *out, orb_err *e);

/* --- page index (PageIndex.md) ------------------------------------------------------ */

/* OffsetIndex: where each data page of a chunk starts and its first row. */
typedef struct pq_page_location {
  int64_t offset;                /* file offset of the page header */
  int32_t compressed_page_size;  /* header included */
  int64_t first_row_index;       /* within the row group */
} pq_page_location;

typedef struct pq_offset_index {
  pq_page_location *pages;
  int npages;
} pq_offset_index;

enum { PQ_BOUNDARY_UNORDERED = 0, PQ_BOUNDARY_ASCENDING = 1, PQ_BOUNDARY_DESCENDING = 2 };

/* ColumnIndex: per data page, whether it is all nulls, its min and max
** (PLAIN bytes as in statistics; empty for null pages) and null count.
** Counts are kept as written, negative ones too: parquet-mr 1.13 wrote -1
** counts beside null_pages all true for pages full of values
** (datapage_v1-*-checksum.parquet), so a negative count marks an index
** not to trust. */
typedef struct pq_column_index {
  int npages;
  bool *null_pages;
  pq_bytes *min_values, *max_values;
  int boundary_order;            /* PQ_BOUNDARY_* */
  bool has_null_counts;
  int64_t *null_counts;
} pq_column_index;

/* Where a file's bytes come from: the file at `name`, or, when image is not
** NULL, a whole file image of len bytes in memory (tests, fuzzing).  name
** is used in errors either way. */
typedef struct pq_source {
  const char *name;
  const void *image;
  size_t len;
} pq_source;

/* Read and decode chunk (rg, col)'s OffsetIndex / ColumnIndex (pq_index.c).
** Everything is allocated in arena a.  The index bytes must lie inside the
** file, decode completely and be consistent (first row 0 and ascending,
** pages inside the file, as many min/max/null entries as pages, a known
** boundary order); limit caps the bytes read and allocated (0: default).
** A chunk without the index is ORB_ERR_MISUSE: check has_offset_index /
** has_column_index first. */
orb_status pq_read_offset_index(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                                orb_arena *a, pq_offset_index *out, orb_err *e);
orb_status pq_read_column_index(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                                orb_arena *a, pq_column_index *out, orb_err *e);

/* Walk chunk (rg, col)'s dictionary page (the pages before the offset
** index's first) and the data pages i of its offset index oi with want[i]
** (pq_page.c): headers, CRC32 and decompression as pq_chunk_walk, each
** page read alone at its offset and checked to lie inside the chunk. */
orb_status pq_chunk_walk_pages(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                               const pq_offset_index *oi, const bool *want, pq_page_fn fn, void *arg, orb_err *e);
/* A flat column chunk's values in the wanted pages only (pq_values.c):
** out->n is the rows of those pages, in order.  ORB_ERR_UNSUPPORTED when
** the chunk uses DELTA_BYTE_ARRAY, whose values continue across pages. */
orb_status pq_read_flat_pages(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                              const pq_offset_index *oi, const bool *want, pq_column *out, orb_err *e);

/* A chunk's bloom filter: the bitset, after its BloomFilterHeader. */
typedef struct pq_bloom_filter {
  const uint8_t *bitset;
  size_t nbytes;                 /* a multiple of PQ_BLOOM_BLOCK */
} pq_bloom_filter;

/* Read chunk (rg, col)'s bloom filter at bloom_filter_offset, with or
** without bloom_filter_length (pq_index.c).  Only the algorithm the
** specification defines is accepted (BLOCK, XXHASH, UNCOMPRESSED); anything
** else is ORB_ERR_UNSUPPORTED naming it, a malformed header or a bitset
** past the file ORB_ERR_CORRUPT. */
orb_status pq_read_bloom_filter(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                                orb_arena *a, pq_bloom_filter *out, orb_err *e);

/* --- split-block bloom filters (BloomFilter.md; pq_bloom.c) -------------------------- */

#define PQ_BLOOM_BLOCK 32                        /* bytes per block: eight 32-bit words */
#define PQ_BLOOM_MAX_BYTES ((size_t)128 << 20)  /* the specification's upper bound */

/* XXH64 (seed 0) of a value's PLAIN encoding, without BYTE_ARRAY's length
** prefix; the _i32/_i64 forms encode the integer (also FLOAT/DOUBLE bits). */
uint64_t pq_bloom_hash(const void *plain, size_t len);
uint64_t pq_bloom_hash_i32(int32_t v);
uint64_t pq_bloom_hash_i64(int64_t v);
/* Set / test a hash's eight bits in a bitset of nbytes (a multiple of
** PQ_BLOOM_BLOCK).  check: false means the value is surely absent. */
void pq_bloom_insert(uint8_t *bitset, size_t nbytes, uint64_t hash);
bool pq_bloom_check(const uint8_t *bitset, size_t nbytes, uint64_t hash);
/* Bitset size for ndv distinct values at false-positive rate fpp: a power
** of two from PQ_BLOOM_BLOCK to PQ_BLOOM_MAX_BYTES. */
size_t pq_bloom_bytes_for(uint64_t ndv, double fpp);

/* Rows from .. from+n-1 of column c as values of type t, value k at
** out[k * stride]: pq_value_at over a range, the conversion chosen once
** for the common cases (integers, floats, strings, dates, microsecond
** timestamps) rather than per value. */
orb_status pq_values_at(const pq_schema_elem *s, const pq_column *c, int64_t from, int64_t n, orb_type t, orb_value *out,
                        size_t stride, orb_err *e);
/* Whether column c's decoded slots are already type t's values, and in
** which layout: int32_t (INT32 as integer, smallint, date), int64_t (INT64
** as bigint, microsecond timestamps and times), float, double, pq_bytes
** (BYTE_ARRAY as text or bytea); PQ_DIRECT_NONE when they need converting
** (pq_values_at).  A consumer of column batches reads such a column's
** values[] and nulls[] in place. */
typedef enum pq_direct_kind {
  PQ_DIRECT_INT32, PQ_DIRECT_INT64, PQ_DIRECT_FLOAT, PQ_DIRECT_DOUBLE, PQ_DIRECT_BYTES, PQ_DIRECT_NONE
} pq_direct_kind;
pq_direct_kind pq_values_direct(const pq_schema_elem *s, const pq_column *c, orb_type t);
/* When pq_values_direct says so: *out is the column batch vector
** (types/vec.h) of type t whose row 0 is value `from` of c, pointing at
** c's values[] and nulls[] in place; false (and *out untouched) otherwise. */
bool pq_values_vec(const pq_schema_elem *s, const pq_column *c, int64_t from, orb_type t, orb_vec *out);
/* A single PLAIN-encoded value (a statistic's min or max, a page index
** bound) as a value of type t from pq_sql_type; strings point into b. */
orb_status pq_plain_value(const pq_schema_elem *s, pq_bytes b, orb_type t, orb_value *out, orb_err *e);
/* --- writing (pq_writer.c, pq_wcol.c, pq_meta_write.c, pq_rle_write.c) ---------------
**
** A streaming writer of flat files: open with the columns' SQL types and the
** options, hand it batches of rows as one orb_value array per column, close.
** Rows wait in memory only until their row group is full (their encoded,
** compressed pages, a page's worth of values, a chunk's dictionary); then the
** row group goes to the file.  What stays to the end is the footer's
** metadata and the page indexes, a few dozen bytes per page.
**
** What is written (parquet.thrift, LogicalTypes.md, Encodings.md,
** PageIndex.md, BloomFilter.md): each SQL type as pq_schema_for_sql maps it,
** with its LogicalType and ConvertedType and a field_id; definition levels
** RLE; values RLE_DICTIONARY with a PLAIN dictionary page until a chunk's
** dictionary passes dictionary_bytes, PLAIN after that (and for booleans);
** data pages v1 or v2, compressed by the codec, with CRC32 if asked;
** statistics min_value/max_value by the type's order (the deprecated
** min/max too for the physical types whose order was always signed), NaN
** never a bound and a zero bound written as -0.0 (min) / +0.0 (max);
** null counts; TypeDefinedOrder for every column; a ColumnIndex and an
** OffsetIndex per chunk after the row groups; split-block bloom filters for
** the chosen columns; created_by "orbit version X.Y.Z (build H)".
**
** An ARRAY column (one dimension, elements of a scalar type) is written as
** LogicalTypes.md's 3-level LIST: `<optional|required> group <name> (LIST)
** { repeated group list { optional <element> element; } }`, the list
** nullable as the column is, every element nullable; its one leaf has
** repetition levels (0 starts a row, 1 continues its list) and definition
** levels up to 3 (2 when the list is required): below the list's level a
** NULL list, at it an empty list, one less than the maximum a NULL
** element.  field_id goes on the LIST group, elem_field_id (when not 0) on
** the element, none on the repeated group (Iceberg's mapping).  The
** leaf's statistics and page index bounds are over the elements; its
** null count is its level entries without a value (NULL or empty lists,
** NULL elements), as parquet-mr counts them; pages end at row boundaries,
** so a page's first_row_index is a row's.  Dictionary encoding, bloom
** filters and the rest work on the elements as on a flat column. */

typedef struct pq_write_column {
  const char *name;
  orb_type type;
  bool nullable;
  int32_t field_id;
  bool bloom_filter;             /* a split-block bloom filter per chunk */
  int32_t elem_field_id;         /* ARRAY: the element's field_id (0: none written) */
} pq_write_column;

typedef struct pq_write_opts {
  int codec;                     /* PQ_ZSTD (default), PQ_SNAPPY, PQ_GZIP, PQ_UNCOMPRESSED */
  int level;                     /* ZSTD/GZIP level, 0: the library's default */
  int64_t row_group_rows;        /* rows per row group (default 122880) */
  size_t page_bytes;             /* data page size before compression (default 1 MiB) */
  int32_t page_rows;             /* rows per data page at most (default 20000) */
  bool dictionary;               /* RLE_DICTIONARY (default true) */
  size_t dictionary_bytes;       /* a chunk whose dictionary grows past this falls back to PLAIN (default 1 MiB) */
  int32_t dictionary_probe;      /* after this many values of a chunk's first page, a dictionary holding over
                                 ** 90% of them is dropped and the chunk written PLAIN (default 4096; 0: never) */
  bool page_v2;                  /* DATA_PAGE_V2 instead of v1 */
  bool page_crc;                 /* CRC32 in page headers */
  bool page_index;               /* ColumnIndex + OffsetIndex (default true) */
  double bloom_fpp;              /* bloom filters' false-positive rate (default 0.01) */
  const pq_kv *kv;               /* key/value metadata */
  int nkv;
} pq_write_opts;

typedef struct pq_writer pq_writer;

void pq_write_opts_init(pq_write_opts *o);
/* The Parquet schema element of a SQL column; INTERVAL (and unknown types)
** are refused: Parquet's INTERVAL holds milliseconds, Orbit's microseconds. */
orb_status pq_schema_for_sql(const char *name, orb_type t, bool nullable, int32_t field_id, pq_schema_elem *s,
                             orb_err *e);
/* Two PLAIN-encoded values (statistics, page index bounds; byte arrays
** without their length) compared by the column's sort order: signed or
** unsigned integers, floats numerically, decimals in bytes as signed
** numbers, other byte arrays unsigned lexicographically. */
int pq_plain_cmp(const pq_schema_elem *s, pq_bytes a, pq_bytes b);
/* Create (or truncate) path and write the header.  cols and o are copied. */
orb_status pq_writer_open(const char *path, const pq_write_column *cols, int ncols, const pq_write_opts *o,
                          pq_writer **out, orb_err *e);
/* n rows: cols[c][i] is row i's value of column c, NULL or of the column's
** type (other types are cast as SQL assignment would).  Values are copied. */
orb_status pq_writer_write(pq_writer *w, const orb_value *const *cols, int64_t n, orb_err *e);
/* pq_writer_write for a caller that has checked every value already: each
** is NULL or of its column's type (a DECIMAL of its scale), so none is
** looked at twice to find the ones to cast. */
orb_status pq_writer_write_typed(pq_writer *w, const orb_value *const *cols, int64_t n, orb_err *e);
/* Write the last row group, the page indexes and the footer; free w.  On
** failure the file is left incomplete (the caller removes it). */
orb_status pq_writer_close(pq_writer *w, orb_err *e);
/* Free w without finishing the file. */
void pq_writer_abort(pq_writer *w);
/* Rows and bytes written so far (row groups flushed). */
int64_t pq_writer_rows(const pq_writer *w);

/* Thrift encodings of the structs this header decodes (pq_meta_write.c). */
void pq_meta_encode(const pq_file_meta *m, orb_buf *out);
void pq_page_header_encode(const pq_page_header *h, orb_buf *out);
void pq_column_index_encode(const pq_column_index *ci, orb_buf *out);
void pq_offset_index_encode(const pq_offset_index *oi, orb_buf *out);
/* BloomFilterHeader: nbytes of bitset, BLOCK, XXHASH, UNCOMPRESSED. */
void pq_bloom_header_encode(int32_t nbytes, orb_buf *out);

/* RLE / bit-packed hybrid encoding of n values of bit_width bits (pq_rle_write.c). */
void pq_rle_encode(const uint32_t *v, int64_t n, int bit_width, orb_buf *out);
/* Bits needed for values up to max. */
int pq_bit_width(uint32_t max);

/* Compression of pages (pq_codec.c): a compressor keeps its codec's state
** between pages. */
typedef struct pq_compressor pq_compressor;
pq_compressor *pq_compressor_new(int codec, int level);
void pq_compressor_free(pq_compressor *z);
/* Append the compressed n bytes of src to out. */
orb_status pq_compress(pq_compressor *z, const void *src, size_t n, orb_buf *out, orb_err *e);
/* The SQL type of a top-level field (pq_fields): a flat column's
** pq_sql_type; a list of a primitive an array of the primitive's type
** (pq_nested_value); TEXT for a struct, map or a list of them, whose value
** is its JSON (pq_nested_json), the engine's representation until it has
** nested types. */
orb_status pq_field_sql_type(const pq_shape *f, orb_type *out, orb_err *e);

/* --- pruning (pq_prune.c) ------------------------------------------------------------ */

/* One conjunct of a predicate on a leaf column, in SQL values of the
** column's pq_sql_type (integers of any width, decimals of any scale and
** TEXT/BYTEA/UUID bytes are accepted for the matching columns; a constant
** that cannot be converted exactly is handled by rounding the bound
** inward-safe, and one whose type does not fit is ignored, which is always
** sound).  A file's conjuncts are ANDed. */
typedef enum pq_pred_kind {
  PQ_PRED_RANGE,                 /* lo <(=) col <(=) hi; either side may be open */
  PQ_PRED_IN,                    /* col IN (values); equality is a set of one */
  PQ_PRED_IS_NULL,
  PQ_PRED_NOT_NULL,
  PQ_PRED_ANY,                   /* col satisfies one of `any` (RANGE or IN constraints on col) */
  PQ_PRED_AND,                   /* every one of `any` holds (constraints of any kind, any column); col -1 */
  PQ_PRED_OR                     /* one of `any` holds (each of any kind: an AND for a conjunction); col -1 */
} pq_pred_kind;

typedef struct pq_pred {
  int col;                       /* leaf index (row group column) */
  pq_pred_kind kind;
  bool has_lo, has_hi, lo_incl, hi_incl;
  orb_value lo, hi;              /* RANGE */
  const orb_value *in;           /* IN: non-NULL values */
  int nin;
  const struct pq_pred *any;     /* ANY: the alternatives, each of kind RANGE or IN; AND, OR: the operands */
  int nany;
  bool loose;                    /* holds for every row the filter is true for, and for others too (ILIKE):
                                 ** it may skip what cannot match, never prove that everything does */
} pq_pred;

/* Whether p, or an operand of it, is loose. */
bool pq_pred_is_loose(const pq_pred *p);

/* AND and OR are how a filter ORing constraints on different columns
** (`a = 1 OR b = 2`) prunes: a row group is skipped when every branch's
** own constraints rule it out.  pq_prune judges them by row-group
** statistics only (no page index, bloom filter or dictionary).  */

/* p with every column index in it (an AND's or OR's operands' too) mapped
** through map (ctx, col) into *out, operands copied into a; false when
** some column does not map (map returns -1): then there is no constraint. */
bool pq_pred_map_cols(orb_arena *a, const pq_pred *p, int (*map)(const void *ctx, int col), const void *ctx,
                      pq_pred *out);

/* `col LIKE pattern` (case-sensitive, backslash escapes) as a RANGE when
** the pattern is a literal prefix followed only by '%' ('abc%'): exactly
** the strings >= "abc" and < "abd", bytes compared unsigned as TEXT
** statistics are (trailing 0xff bytes carried: no upper bound when the
** prefix is all 0xff).  False for any other pattern ('a_c%', '%abc',
** 'abc', an empty prefix), which is then no constraint.  The bounds'
** bytes are from `a`; out->col is left to the caller. */
bool pq_pred_like_prefix(orb_arena *a, const orb_value *pattern, pq_pred *out);

/* `col ILIKE pattern` with the pattern as above: a loose ANY of one
** RANGE per case variant of the prefix ('ab%': [ab, ac), [aB, aC), [Ab,
** Ac), [AB, AC)), a RANGE when it has no letter.  ILIKE compares
** lower(col) with lower(pattern), and the only characters outside ASCII
** whose lower case is ASCII are U+0130 (to 'i') and U+212A (to 'k'), so
** the prefix is cut before its first 'i', 'k' (either case) or non-ASCII
** byte, and before its (PQ_ILIKE_MAX_LETTERS + 1)th letter; false when
** nothing is left of it.  The strings of the ranges are from a. */
#define PQ_ILIKE_MAX_LETTERS 4
bool pq_pred_ilike_prefix(orb_arena *a, const orb_value *pattern, pq_pred *out);

/* Which mechanisms pq_prune may use (all by default). */
enum { PQ_PRUNE_STATS = 1, PQ_PRUNE_PAGES = 2, PQ_PRUNE_BLOOM = 4, PQ_PRUNE_DICT = 8, PQ_PRUNE_ALL = 15 };

/* What was skipped, by mechanism, for EXPLAIN ANALYZE. */
typedef struct pq_prune_counts {
  int64_t groups, groups_kept;
  int64_t groups_by_stats, groups_by_bloom, groups_by_dict, groups_by_pages;
  int64_t pages, pages_skipped;  /* data pages of kept groups whose chunks have a page index */
  int64_t rows, rows_skipped;
} pq_prune_counts;

/* Rows [first, first + count) of a row group. */
typedef struct pq_row_range {
  int64_t first, count;
} pq_row_range;

/* A row group's verdict: keep false means no row can match; else ranges
** (sorted, disjoint) hold every row that can match (the whole group when
** no page index narrows it). */
typedef struct pq_group_plan {
  bool keep;
  pq_row_range *ranges;
  int nranges;
} pq_group_plan;

typedef struct pq_prune_result {
  orb_arena arena;               /* ranges live here */
  pq_group_plan *groups;         /* one per row group */
  int ngroups;
  pq_prune_counts counts;
} pq_prune_result;

/* Decide, for every row group of the file, whether and which of its rows
** can satisfy all preds, from row-group statistics, the page index, bloom
** filters (IN and equality) and dictionary pages, as `flags` allow.  Sound:
** a row that matches is never in a skipped group or page.  Statistics are
** used only where their order is known (column_orders, or the deprecated
** min/max for signed-order types; never INT96).  Reading an index, filter
** or dictionary that turns out malformed is an error naming the file.
** Free out with pq_prune_free. */
orb_status pq_prune(const pq_source *src, const pq_file_meta *m, const pq_pred *preds, int npreds, unsigned flags,
                    size_t limit, pq_prune_result *out, orb_err *e);
void pq_prune_free(pq_prune_result *r);

/* Names as the specification writes them ("INT32", "SNAPPY", "UTF8"); "?" if unknown. */
const char *pq_type_name(int type);
const char *pq_codec_name(int codec);
const char *pq_converted_type_name(int ct);

#endif
