/*
** expr/func.h — the builtin scalar function library.
**
** Each function is described by an orb_func: its SQL name, a resolver that
** checks argument types and gives the result type (and may ask the binder to
** cast arguments), and an evaluator.  The binder finds functions by name
** with orb_func_lookup(); the evaluator is called by orb_expr_eval().
**
** Functions (PostgreSQL names and semantics): lower, upper, length,
** char_length, octet_length, substring/substr, position/strpos, trim, ltrim,
** rtrim, btrim, replace, concat, concat_ws, left, right, lpad, rpad,
** repeat, reverse, starts_with, split_part, md5, abs, round, trunc, ceil,
** ceiling, floor, sqrt, cbrt, power/pow, exp, ln, log, mod, sign, pi,
** random, greatest, least, now, current_timestamp, current_date, extract/
** date_part, date_trunc, age, make_date, to_timestamp, gen_random_uuid,
** format, quote_ident, quote_literal, and PostgreSQL's catalog functions
** (func_catalog.c) ...
*/
#ifndef ORB_EXPR_FUNC_H
#define ORB_EXPR_FUNC_H

#include "expr/expr.h"

typedef struct orb_func orb_func;

/* Called at bind time with the argument types; sets *result and may
** rewrite arg_types[i] to the type the argument must be cast to. */
typedef orb_status (*orb_func_resolve_fn)(const orb_func *f, int nargs, orb_type *arg_types,
                                          orb_type *result, orb_err *e);
/* Called per row with non-NULL args unless the function has ORB_FN_NULL_ARGS. */
typedef orb_status (*orb_func_eval_fn)(const orb_func *f, const orb_eval_ctx *ctx, int nargs,
                                       const orb_value *args, orb_type result, orb_value *out,
                                       orb_err *e);

#define ORB_FN_NULL_ARGS 0x1  /* evaluator handles NULL args itself (otherwise NULL in -> NULL out) */
#define ORB_FN_VOLATILE  0x2  /* not constant-folded (random, gen_random_uuid) */
#define ORB_FN_STABLE    0x4  /* reads the statement's time: not folded when a statement is bound (a
                              ** prepared statement runs later, maybe many times), evaluated per execution */

struct orb_func {
  const char *name;
  int min_args, max_args;     /* max_args -1 = variadic */
  unsigned flags;
  orb_func_resolve_fn resolve;
  orb_func_eval_fn eval;
};

/* Look up a function by lower-case name; NULL if none. */
const orb_func *orb_func_lookup(const char *name);
/* Every function, in name order (pg_proc is made from them: expr/pg_catalog.h). */
int orb_func_count(void);
const orb_func *orb_func_at(int i);

#endif
