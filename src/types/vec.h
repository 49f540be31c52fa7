/*
** types/vec.h — column batches: up to ORB_VEC_MAX rows as one typed vector
** per column.
**
** The row interface hands out rows of orb_value, 32 bytes per value,
** converted from whatever the source holds.  A source that holds its
** values in typed arrays anyway (a Parquet file's decoded column chunks:
** read_parquet, the cold tier's Iceberg reader) can instead hand out a
** column batch: one vector per column pointing at the source's arrays as
** they are (no copy, no boxing), with a NULL byte per row where the column
** has NULLs, and a selection vector once a filter (or a delete file) has
** ruled rows out.
**
** The type lives here, below both storage/ and query/, so that a tier can
** hand batches to the executor (storage/tier.h scan_next_vec) without
** either layer including the other; the executor's use of them (batch
** expression evaluation, filters, aggregates) is query/exec_vec.h.
**
** A batch's vectors stay valid until the next call on whatever handed it
** out.
*/
#ifndef ORB_TYPES_VEC_H
#define ORB_TYPES_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "types/types.h"

/* Rows per column batch at most (selection indexes are uint16_t). */
#define ORB_VEC_MAX 2048

/* A byte string pointing into its source (the Parquet library's pq_bytes
** is this type). */
typedef struct orb_bytes {
  const uint8_t *data;           /* NULL when absent */
  size_t len;
} orb_bytes;

/* The layout of a vector's values. */
typedef enum orb_vec_kind {
  ORB_VEC_I32,     /* int32_t: integer, smallint, date (days) */
  ORB_VEC_I64,     /* int64_t: bigint, timestamp[tz] and time (microseconds) */
  ORB_VEC_F32,     /* float: real */
  ORB_VEC_F64,     /* double: double precision */
  ORB_VEC_BOOL,    /* uint8_t 0 / 1: boolean */
  ORB_VEC_BYTES,   /* orb_bytes: text, bytea (pointing into the source) */
  ORB_VEC_VALUES   /* orb_value: any type (what has no typed layout) */
} orb_vec_kind;

typedef struct orb_vec {
  orb_type type;
  orb_vec_kind kind;
  const void *data;       /* value of row r at index r (rows 0 .. n-1 of the batch) */
  const uint8_t *nulls;   /* nulls[r] != 0: row r is NULL; NULL pointer: no row is
                             (for every kind, ORB_VEC_VALUES included) */
} orb_vec;

typedef struct orb_vbatch {
  int n;                  /* rows */
  int ncols;
  orb_vec *cols;          /* the source's columns */
  const uint16_t *sel;    /* the rows that are in, ascending (nsel of them); NULL: all n */
  int nsel;
} orb_vbatch;

/* The rows of b that are in: row i of the selection. */
static inline int orb_vbatch_count(const orb_vbatch *b) { return b->sel ? b->nsel : b->n; }
static inline int orb_vbatch_row_at(const orb_vbatch *b, int i) { return b->sel ? b->sel[i] : i; }

/* A source's storage for the batches it hands out, for columns it makes
** as values (ORB_VEC_VALUES) rather than pointing at arrays it holds: per
** column ORB_VEC_MAX values and their NULL bytes, ORB_VEC_MAX ones (the
** NULL bytes of an all-NULL column) and a selection. */
typedef struct orb_vbuf {
  orb_vbatch b;           /* b.cols: the batch's ncols vectors */
  orb_value **vals;       /* per column */
  uint8_t **nulls;        /* per column */
  uint8_t *all_null;
  uint16_t *sel;
} orb_vbuf;

/* Allocate for ncols columns; with types, every value starts as a NULL of
** its column's type (so that a column never written is all NULL). */
void orb_vbuf_init(orb_vbuf *v, int ncols, const orb_type *types);
/* Free (a zeroed orb_vbuf too). */
void orb_vbuf_free(orb_vbuf *v);
/* Column i: its first n values in vals[i] (the NULL bytes set from them). */
void orb_vbuf_values(orb_vbuf *v, int i, int n);
/* Column i: all NULL (vals[i] holds NULLs of its type). */
void orb_vbuf_all_null(orb_vbuf *v, int i);

/* Row r of vector v as an orb_value (strings point into the source). */
void orb_vec_value(const orb_vec *v, int r, orb_value *out);
/* Row r of the batch as the row interface's orb_values (ncols of them). */
void orb_vbatch_row(const orb_vbatch *b, int r, orb_value *row);

#endif
