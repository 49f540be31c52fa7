/*
** formats/parquet/pq_pred_expr.h — pruning constraints (pq_pred) from a
** bound WHERE clause.
**
** The Parquet scan of read_parquet() and the Iceberg cold scan both turn
** the conjuncts of a filter into pq_pred constraints on the columns they
** read; this is the one place that knows which expressions become which
** constraint.  A conjunct becomes a constraint only when the constraint
** holds for exactly the rows the conjunct is true for, so that a caller
** may also use "every row satisfies the constraints" (a count from
** metadata) and never only "no row can":
**
**   col op const (either way round; op one of = < <= > >= <>)
**   col [NOT] IN (consts)        NOT IN with a NULL element matches nothing
**   col IS [NOT] NULL
**   col [NOT] LIKE 'prefix%'     a byte range and its complement
**   a OR b OR ...                when every branch is a RANGE or IN
**                                constraint on the same column (a branch
**                                may be an AND of ranges on it, such as
**                                BETWEEN)
**   a OR b OR ... (columns)      otherwise, when every branch, or every
**                                conjunct of a branch that is an AND,
**                                gives a constraint itself (of any column)
**
** `<>`, NOT IN, NOT LIKE and OR give a PQ_PRED_ANY: a union of RANGE and IN
** constraints on one column.  An OR across columns gives a PQ_PRED_OR of
** its branches, a branch of several conjuncts a PQ_PRED_AND; one branch
** that gives no constraint (or a conjunct of one) and the OR gives none.  Anything else gives no constraint, which is
** always sound: the filter above the scan still decides every row.
**
** Which column an expression is, is the caller's: col_of returns the leaf
** index for a bare column reference (or an exact cast of one), -1
** otherwise.  Constants must be non-NULL SQL values comparable with the
** column.  Constraint memory (IN lists, children, LIKE bounds) comes from
** arena a.
*/
#ifndef ORBIT_PQ_PRED_EXPR_H
#define ORBIT_PQ_PRED_EXPR_H

#include "base/arena.h"
#include "expr/expr.h"
#include "formats/parquet/parquet.h"

typedef int (*pq_pred_col_fn)(const void *ctx, const orb_expr *x);

/* Conjunct x as one constraint in *out; false when it gives none. */
bool pq_pred_from_expr(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out);

/* Every conjunct of x (ANDs flattened) that gives a constraint, up to cap,
** into out; returns how many. */
int pq_preds_from_expr(orb_arena *a, const orb_expr *x, pq_pred_col_fn col_of, const void *ctx, pq_pred *out,
                       int cap);

#endif
