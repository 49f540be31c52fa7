/*
** query/exec_vec.h — column batches: the executor's vectorised path.
**
** The row interface (exec.h: next) hands out rows of orb_value,
** 32 bytes per value, converted from whatever the source holds.  A source
** that holds its values in typed arrays anyway can instead hand out a
** column batch (types/vec.h: up to ORB_VEC_MAX rows as one typed vector
** per column, pointing at the source's arrays as they are): read_parquet
** (the decoded column chunks), iceberg_scan and the scan of an Iceberg
** table (the cold tier's reader, storage/cold/ice_read.h, through the tier
** interface's scan_next_vec).
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
#include "types/vec.h"

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
orb_status oql_op_next_vec(oql_op *op, oql_rt *rt, const orb_vbatch **b, orb_err *e);

/* Evaluate x (slots: the batch's columns) over the rows of b that are in;
** *out's other rows are undefined.  A result may be one of the batch's own
** vectors (a column reference).  Any error means: run this batch through
** the row evaluator instead (see above). */
orb_status oql_vexpr_eval(orb_expr *x, oql_rt *rt, const orb_vbatch *b, orb_vec *out, orb_err *e);
/* The rows of batch `in` (those in its selection) for which pred (slots:
** the batch's columns) is true: their indexes into sel (ORB_VEC_MAX
** entries), *nsel of them.  Evaluated over the batch, or row by row (row:
** a scratch row of in->ncols values) when the batch kernels give up, so
** that errors are the row path's (see above). */
orb_status oql_vfilter(orb_expr *pred, oql_rt *rt, const orb_vbatch *in, uint16_t *sel, orb_value *row, int *nsel,
                       orb_err *e);
/* Whether row r of boolean vector v is true (not false, not NULL). */
static inline bool oql_vec_true(const orb_vec *v, int r) {
  return !(v->nulls && v->nulls[r]) &&
         (v->kind == ORB_VEC_BOOL ? ((const uint8_t *)v->data)[r] != 0 : ((const orb_value *)v->data)[r].u.b);
}
/* *out = batch in with only the rows of its selection where boolean vector
** v is true, listed in sel (ORB_VEC_MAX entries); the count of those rows. */
int oql_vbatch_narrow(const orb_vbatch *in, const orb_vec *v, uint16_t *sel, orb_vbatch *out);
/* Whether oql_vexpr_eval computes x with batch kernels throughout, with no
** row-by-row fallback (for EXPLAIN and tests). */
bool oql_vexpr_is_batched(const orb_expr *x);

#endif
