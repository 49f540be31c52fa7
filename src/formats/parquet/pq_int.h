/*
** formats/parquet/pq_int.h — what the files of formats/parquet share and
** nobody else needs.
*/
#ifndef ORB_FORMATS_PARQUET_PQ_INT_H
#define ORB_FORMATS_PARQUET_PQ_INT_H

#include "formats/parquet/parquet.h"

/* ORB_ERR_CORRUPT: "parquet: \"<name>\": <what>". */
orb_status pq_corrupt(orb_err *e, const char *name, const char *what);
/* File offset of a column chunk's first page (its dictionary page when it
** has one before the data pages). */
int64_t pq_chunk_start(const pq_chunk *c);

/* A column reader's buffers: kept in a pq_column between reads into it
** (pq_read_leaf_column_into) so that row group after row group reuses
** them; each grows to the largest need and never shrinks. */
struct pq_read_bufs {
  uint8_t *chunk;                /* a column chunk's bytes as read from the file */
  size_t chunk_cap;
  uint8_t *page;                 /* a page decompressed */
  size_t page_cap;
  uint32_t *idx, *def, *rep;     /* dictionary indices or RLE booleans; levels */
  size_t idx_cap, def_cap, rep_cap;
  uint8_t *vals;                 /* a page's non-NULL values before they are spread among its NULLs */
  size_t vals_cap;
};
void pq_read_bufs_free(pq_read_bufs *b);
/* pq_chunk_walk and pq_chunk_walk_image with the buffers of b. */
orb_status pq_chunk_walk_bufs(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_read_bufs *b,
                              pq_page_fn fn, void *arg, orb_err *e);
orb_status pq_chunk_walk_image_bufs(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                    int col, size_t limit, pq_read_bufs *b, pq_page_fn fn, void *arg, orb_err *e);
/* The walk in steps, for a reader that decodes pages as its consumer gets
** to them (pq_stream.c): chunk (rg, col)'s n bytes from file offset start
** (read into b->chunk, or pointing into the image), checked as
** pq_chunk_walk checks them; then the page at buf + *pos (header, bounds,
** CRC32, decompression into b->page, fn), *pos moved past it. */
orb_status pq_chunk_bytes(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit, pq_read_bufs *b,
                          const pq_chunk **chunk, const uint8_t **buf, size_t *n, int64_t *start, orb_err *e);
orb_status pq_chunk_page(const char *name, int codec, const uint8_t *buf, size_t n, size_t *pos, int64_t start,
                         size_t limit, pq_read_bufs *b, pq_page_header *h, pq_page_fn fn, void *arg, orb_err *e);

/* The leaf reader of pq_values.c, shared with pq_stream.c: the column it
** fills (col->n entries so far), the chunk's dictionary, the buffers.
** page_arena, when set, holds what a data page's values point at (the
** bytes of strings), so that a stream can release it with the page's
** rows; otherwise (and always for the dictionary) col->arena does.  grow:
** col->values and col->nulls are heap arrays that on_page enlarges when a
** page does not fit in col->cap (a stream's window), rather than an error. */
typedef struct pq_leaf_reader {
  const char *name;
  pq_column *col;
  int max_def, max_rep;
  void *dict;                    /* dictionary values (value slots) */
  int64_t ndict;
  /* scratch reused from page to page, and from chunk to chunk when the
  ** column keeps it (fresh buffers cost page faults) */
  pq_read_bufs *b;
  pq_bytes prev;                 /* DELTA_BYTE_ARRAY: the last value (it spans pages; kept in col->arena) */
  orb_arena *page_arena;
  bool grow;
  size_t limit;                  /* grow: bytes the window's arrays may take */
} pq_leaf_reader;
/* pq_page_fn of the leaf reader: one page's levels and values appended to r->col. */
orb_status pq_leaf_on_page(void *r, const pq_page_header *h, const uint8_t *page, size_t len, orb_err *e);

/* --- the writer's column chunk encoder (pq_wcol.c) ------------------------------- */

/* Statistics being gathered: bounds by the physical type's order, NaN
** left out. */
typedef struct pq_wstat {
  bool has;                      /* a bound was seen (a value neither NULL nor NaN) */
  bool nan;                      /* a NaN was seen */
  int64_t nulls;
  int64_t ilo, ihi;              /* BOOLEAN, INT32, INT64 */
  double dlo, dhi;               /* FLOAT, DOUBLE */
  orb_buf blo, bhi;              /* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY */
} pq_wstat;

/* A data page written into the chunk, for the page index. */
typedef struct pq_wpage {
  int64_t offset;                /* in the chunk's data page bytes */
  int32_t size;                  /* header included */
  int64_t first_row, nulls;
  bool null_page, nan_only;
  size_t lo, lo_len, hi, hi_len; /* the PLAIN bounds, in pq_wcol.bounds */
} pq_wpage;

typedef struct pq_wcol {
  const pq_write_opts *o;
  pq_compressor *z;
  pq_schema_elem s;
  orb_type t;
  bool bloom;
  int max_def;
  /* an ARRAY column (a LIST, parquet.h): s is its leaf, groups[] the LIST
  ** group and the repeated group above it; levels are kept per entry */
  bool list;
  pq_schema_elem groups[2];
  const char *path[3];           /* path_in_schema */
  int npath;
  orb_type elem_t;               /* the elements' SQL type */
  uint32_t *reps;                /* list: repetition levels of the page's entries */
  size_t lev_cap;                /* list: entries defs, reps and idx have room for */
  int64_t page_nrows;            /* rows in the page (entries, page_n, for a flat column) */
  orb_arena elem_cast;           /* list: elements cast to elem_t, per batch */
  orb_buf replev;                /* list: the page's repetition levels, encoded */
  /* the chunk's dictionary: PLAIN entries, and an open-addressing table
  ** whose slots hold an entry's number + 1 (low 32 bits; 0: empty) and the
  ** high 32 bits of its hash, so that a probe reads one slot to reject */
  bool dict_on;                  /* new pages are dictionary-encoded */
  int plain_chunks;              /* chunks still to start PLAIN: an earlier one found its values nearly unique */
  orb_buf dict;
  uint32_t *dict_off;            /* each entry's value bytes in dict */
  uint64_t *dict_hash;
  uint32_t *dict_seen;           /* the page (page_serial) whose statistics last took the entry */
  uint32_t ndict;
  size_t dict_cap;
  uint64_t *table;
  uint32_t table_mask;
  uint32_t page_serial;          /* pages cut so far, + 1 */
  /* the page being filled */
  uint32_t *defs, *idx;          /* definition levels (kept once the page has a NULL); dictionary indices (booleans: 0/1) */
  int64_t page_n, page_vals, page_first_row;
  orb_buf plain;                 /* PLAIN values when not dictionary-encoded */
  pq_wstat ps, cs;               /* the page's and the chunk's statistics */
  /* the chunk so far: its data pages, compressed, headers included */
  orb_buf pages;
  int64_t chunk_rows, chunk_values, uncompressed;
  bool used_plain, used_dict;
  pq_wpage *pi;
  int npi;
  size_t pi_cap;
  orb_buf bounds;
  uint64_t *hashes;              /* bloom filter: hashes of the chunk's distinct values (and more) */
  size_t nhash, hash_cap;
  orb_buf levels, vals, body, comp, hdr;   /* scratch, reused page after page */
} pq_wcol;

orb_status pq_wcol_init(pq_wcol *c, const pq_write_column *col, const pq_write_opts *o, pq_compressor *z, orb_err *e);
void pq_wcol_free(pq_wcol *c);
/* Add n values, NULL or of the column's SQL type (pq_writer casts others);
** pages are cut and compressed as they fill. */
orb_status pq_wcol_add(pq_wcol *c, const orb_value *v, int64_t n, orb_err *e);
/* Finish the chunk: the last page cut, its dictionary page (header and
** compressed entries; empty when no page used it) into dict_page; the data
** pages are in c->pages, their index entries in c->pi. */
orb_status pq_wcol_finish(pq_wcol *c, orb_buf *dict_page, orb_err *e);
/* Forget the chunk (after it was written). */
void pq_wcol_reset(pq_wcol *c);
/* The chunk's statistics as the footer holds them (bounds' PLAIN bytes
** allocated in a). */
void pq_wcol_stats(const pq_wcol *c, orb_arena *a, pq_stats *st, bool *has);
/* Read n bytes at file offset off of src into buf (pq_index.c).  The range
** must lie inside the file, except that with short_ok a range running past
** its end reads what is there (*got says how much). */
orb_status pq_src_read(const pq_source *src, int64_t off, size_t n, bool short_ok, uint8_t *buf, size_t *got,
                       orb_err *e);

#endif
