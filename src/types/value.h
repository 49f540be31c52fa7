/*
** types/value.h — operations on values: text I/O, casts, comparison,
** hashing, arithmetic.  Semantics follow PostgreSQL wherever it defines them
** (input syntax, output format, overflow and rounding rules, error texts).
**
** All functions take non-NULL values unless they say otherwise; callers
** handle SQL NULL (three-valued logic lives in expr/).  Functions that can
** produce strings allocate them from the given arena.
*/
#ifndef ORB_TYPES_VALUE_H
#define ORB_TYPES_VALUE_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "types/types.h"

/* --- types ---------------------------------------------------------------- */

/* Name of a type as PostgreSQL's format_type() prints it
** ("integer", "numeric(10,2)", "character varying(20)", "timestamp without time zone"). */
void orb_type_format(orb_type t, orb_buf *out);
/* Short upper-case name as OrbitQL's DESCRIBE prints it ("INTEGER", "DECIMAL(10,2)", "VARCHAR(20)", "TIMESTAMP"). */
void orb_type_format_sql(orb_type t, orb_buf *out);
/* Resolve a type name as written in SQL (lower-cased, multi-word names joined
** by single spaces: "double precision", "timestamp with time zone", "varchar",
** "int8", "numeric", ...) with its modifiers (e.g. precision, scale). */
orb_status orb_type_from_name(const char *name, const int32_t *mods, int nmods, orb_type *out, orb_err *e);
bool orb_type_equal(orb_type a, orb_type b);
/* The type both sides are converted to for comparison/arithmetic/UNION/CASE
** (PostgreSQL's implicit promotions: int16<int32<int64<decimal<float64, text
** literals adapt to the other side, ...).  Error if there is none. */
orb_status orb_type_common(orb_type a, orb_type b, orb_type *out, orb_err *e);
/* Whether an implicit (assignment) cast exists from `from` to `to`. */
bool orb_type_can_assign(orb_type from, orb_type to);
/* Whether every value of type `from` keeps its value, and so its order,
** cast to `to`: wider integers, unconstrained NUMERIC, a decimal with room
** for every digit.  A comparison on such a cast is one on the column (scan
** pruning relies on it). */
bool orb_type_cast_is_exact(orb_type from, orb_type to);

/* --- text I/O ------------------------------------------------------------- */

/* Parse PostgreSQL input syntax for type t ("42", "1.5e3", "true", "2026-01-01 10:00:00",
** "1 year 2 days", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\\x0102", ...).  Enforces
** the type's range and modifiers (VARCHAR(n) length, DECIMAL precision with rounding to scale).
** Errors are PostgreSQL's: invalid input syntax for type integer: "abc". */
orb_status orb_value_from_text(const char *s, size_t n, orb_type t, orb_arena *a, orb_value *out, orb_err *e);
/* Append PostgreSQL's text output for v (NULL values append nothing). */
void orb_value_to_text(const orb_value *v, orb_buf *out);

/* --- casts ---------------------------------------------------------------- */

/* Explicit cast (CAST(x AS t) / x::t) with PostgreSQL semantics: rounding
** float->int, range errors, text<->anything via text I/O, decimal rescale,
** timestamp<->date<->timestamptz (zone: UTC).  NULL in -> NULL of type t. */
orb_status orb_value_cast(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e);

/* --- comparison and hashing ----------------------------------------------- */

/* Total order of two non-NULL values of the same type id (after the binder's
** coercion).  Floats: NaN is greater than every number and equal to itself,
** -0.0 == 0.0 (PostgreSQL).  Decimals of different scales compare by value. */
int orb_value_cmp(const orb_value *a, const orb_value *b);
static inline bool orb_value_eq(const orb_value *a, const orb_value *b) { return orb_value_cmp(a, b) == 0; }
/* Whether orb_value_cmp orders a and b meaningfully: one type, or two numbers. */
static inline bool orb_value_comparable(const orb_value *a, const orb_value *b) {
  if (orb_type_is_numeric((orb_type_id)a->type) && orb_type_is_numeric((orb_type_id)b->type)) return true;
  return a->type == b->type;
}
/* Hash consistent with orb_value_cmp == 0 for values of the same type id
** (decimals equal by value hash equally; -0.0 and 0.0 hash equally). */
uint64_t orb_value_hash(const orb_value *v);

/* Copy a value so that it no longer points into anyone else's memory. */
orb_value orb_value_copy(const orb_value *v, orb_arena *a);

/* --- arithmetic ------------------------------------------------------------ */

typedef enum orb_arith_op {
  ORB_ARITH_ADD, ORB_ARITH_SUB, ORB_ARITH_MUL, ORB_ARITH_DIV, ORB_ARITH_MOD, ORB_ARITH_POW,
  ORB_ARITH_BITAND, ORB_ARITH_BITOR   /* & and | of integers only */
} orb_arith_op;

/* Result type of `a op b` for the given operand types (PostgreSQL's operator
** resolution: int/int -> int (truncating division), decimal scale rules,
** date + int -> date, date - date -> int, date + interval -> timestamp,
** timestamp - timestamp -> interval, interval * float -> interval, ...). */
orb_status orb_arith_type(orb_arith_op op, orb_type a, orb_type b, orb_type *out, orb_err *e);
/* Evaluate `a op b` (both non-NULL) producing a value of orb_arith_type's
** result.  Errors: integer out of range, division by zero, numeric field overflow. */
orb_status orb_arith(orb_arith_op op, const orb_value *a, const orb_value *b, orb_type result,
                     orb_value *out, orb_err *e);
/* The operator's spelling ("+", "&", ...). */
const char *orb_arith_op_name(orb_arith_op op);
orb_status orb_negate(const orb_value *a, orb_value *out, orb_err *e);

/* --- decimal helpers ------------------------------------------------------- */

/* 10^n as __int128 for n in 0..38. */
__int128 orb_pow10_i128(int n);
/* Rescale an unscaled decimal to another scale, rounding half away from zero. */
orb_status orb_decimal_rescale(__int128 v, int from_scale, int to_scale, __int128 *out, orb_err *e);
/* Whether v (at any scale) fits `precision` digits. */
bool orb_decimal_fits(__int128 v, int precision);
double orb_decimal_to_double(__int128 v, int scale);

/* --- date/time helpers ----------------------------------------------------- */

/* Proleptic Gregorian conversions (days since 1970-01-01). */
int64_t orb_days_from_civil(int64_t y, int m, int d);
void orb_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
#define ORB_USECS_PER_DAY 86400000000LL

#endif
