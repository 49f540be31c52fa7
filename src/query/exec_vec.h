/*
** query/exec_vec.h — column batches: the executor's vectorised path.
**
** The row interface (exec.h: next) hands out rows of orb_value,
** 32 bytes per value, converted from whatever the source holds.  A source
** that holds its values in typed arrays anyway (read_parquet: the decoded
** column chunks) can instead hand out a column batch: up to OQL_VEC_MAX
** rows as one typed vector per column pointing at the source's arrays as
** they are (no copy, no boxing), with a NULL byte per row where the column
** has NULLs, and a selection vector once a filter has ruled rows out.
**
** Consumers: a filter evaluates its predicate over the batch and narrows
** the selection (exec_filter.c); an aggregate evaluates its arguments and
** folds the vectors in tight loops (exec_agg.c).  Expressions are
** evaluated a batch at a time (exec_vexpr.c) for the common cases — column
** references, constants, integer and float arithmetic, comparisons, casts
** between numeric types, length/octet_length, IS [NOT] NULL, AND/OR/NOT —
** and row by row (orb_expr_eval on the batch's rows made into orb_values)
** for everything else.
**
** Errors keep the row path's exact behaviour: a batch kernel that meets
** anything the row evaluator would report (an overflow, a division by
** zero) or any failure at all gives up on the batch, and its consumer runs
** that batch again through the row evaluator row by row, which raises the
** error the row path raises, for the same row, or none (when the batch
** evaluation computed a branch the row evaluator would have skipped).
**
** Memory: what evaluation makes (result vectors, strings) comes from
** rt->tmp, reset by the consumer after each batch; a batch's vectors stay
** valid until the next call on the operator that handed it out.
*/
#ifndef ORB_QUERY_EXEC_VEC_H
#define ORB_QUERY_EXEC_VEC_H

#include "formats/parquet/parquet.h"
#include "query/exec.h"

/* Rows per column batch at most (selection indexes are uint16_t). */
#define OQL_VEC_MAX 2048

/* The layout of a vector's values. */
typedef enum oql_vec_kind {
  OQL_VEC_I32,     /* int32_t: integer, smallint, date (days) */
  OQL_VEC_I64,     /* int64_t: bigint, timestamp[tz] and time (microseconds) */
  OQL_VEC_F32,     /* float: real */
  OQL_VEC_F64,     /* double: double precision */
  OQL_VEC_BOOL,    /* uint8_t 0 / 1: boolean */
  OQL_VEC_BYTES,   /* pq_bytes {data, len}: text, bytea (pointing into the source) */
  OQL_VEC_VALUES   /* orb_value: any type (what has no typed layout) */
} oql_vec_kind;

typedef struct oql_vec {
  orb_type type;
  oql_vec_kind kind;
  const void *data;       /* value of row r at index r (rows 0 .. n-1 of the batch) */
  const uint8_t *nulls;   /* nulls[r] != 0: row r is NULL; NULL pointer: no row is
                             (for every kind, OQL_VEC_VALUES included) */
} oql_vec;

typedef struct oql_vbatch {
  int n;                  /* rows */
  int ncols;
  oql_vec *cols;          /* the operator's columns */
  const uint16_t *sel;    /* the rows that are in, ascending (nsel of them); NULL: all n */
  int nsel;
} oql_vbatch;

/* The rows of b that are in: row i of the selection. */
static inline int oql_vbatch_count(const oql_vbatch *b) { return b->sel ? b->nsel : b->n; }
static inline int oql_vbatch_row_at(const oql_vbatch *b, int i) { return b->sel ? b->sel[i] : i; }

/* PostgreSQL's float order (orb_value_cmp): NaN above every number and
** equal to itself, -0.0 equal to 0.0. */
static inline int oql_float_cmp(double a, double b) {
  if (a != a) return b != b ? 0 : 1;
  if (b != b) return -1;
  return a < b ? -1 : a > b;
}

/* Whether op (and what is below it) can hand out column batches. */
bool oql_op_has_vec(const oql_op *op);
/* The next column batch of op (*b = NULL at the end; never an empty one),
** with EXPLAIN ANALYZE's row counting and time, and the cancel, deadline
** and memory checks once a batch.  A consumer of batches keeps nothing in
** rt->tmp from one call to the next (a filter drops a batch none of whose
** rows it keeps, with what evaluating it made there). */
orb_status oql_op_next_vec(oql_op *op, oql_rt *rt, const oql_vbatch **b, orb_err *e);

/* Whether row r of boolean vector v is true (not false, not NULL). */
static inline bool oql_vec_true(const oql_vec *v, int r) {
  return !(v->nulls && v->nulls[r]) &&
         (v->kind == OQL_VEC_BOOL ? ((const uint8_t *)v->data)[r] != 0 : ((const orb_value *)v->data)[r].u.b);
}
/* *out = batch in with only the rows of its selection where boolean vector
** v is true, listed in sel (OQL_VEC_MAX entries); the count of those rows. */
int oql_vbatch_narrow(const oql_vbatch *in, const oql_vec *v, uint16_t *sel, oql_vbatch *out);

/* Row r of vector v as an orb_value (strings point into the source). */
void oql_vec_value(const oql_vec *v, int r, orb_value *out);
/* Row r of the batch as the row interface's orb_values (ncols of them). */
void oql_vbatch_row(const oql_vbatch *b, int r, orb_value *row);

/* Evaluate x (slots: the batch's columns) over the rows of b that are in;
** *out's other rows are undefined.  A result may be one of the batch's own
** vectors (a column reference).  Any error means: run this batch through
** the row evaluator instead (see above). */
orb_status oql_vexpr_eval(orb_expr *x, oql_rt *rt, const oql_vbatch *b, oql_vec *out, orb_err *e);
/* Whether oql_vexpr_eval computes x with batch kernels throughout, with no
** row-by-row fallback (for EXPLAIN and tests). */
bool oql_vexpr_is_batched(const orb_expr *x);

#endif
