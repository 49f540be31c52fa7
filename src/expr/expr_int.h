/*
** expr/expr_int.h — internals shared by the expression files (expr_*.c).
**
** IN-list hash sets.  `x IN (c1, ..., cn)` with many constant items is
** answered by one hash probe instead of n comparisons.  The set is built
** when the tree is folded or cloned (orb_expr_fold / orb_expr_clone), from
** the arena the tree itself lives in, and hung on the IN node's `cache`;
** evaluation only reads it, so a prepared tree may be evaluated by several
** threads at once.  Trees that were never folded (or whose IN node was
** copied without its cache) evaluate the list linearly, with the same result.
*/
#ifndef ORB_EXPR_EXPR_INT_H
#define ORB_EXPR_EXPR_INT_H

#include "expr/expr.h"

/* Lists shorter than this are searched linearly (a probe costs about as
** much as a handful of comparisons). */
#define ORB_IN_SET_MIN 16

/* If e is an IN node whose list items are all constants of one type, build
** its hash set in arena a and store it in e->cache (otherwise leave it). */
void orb_in_set_prepare(orb_arena *a, orb_expr *e);

/* Probe e's set (built by orb_in_set_prepare) for the non-NULL value v.
** Returns 1 found, 0 not found (and then *list_has_null says whether the
** list held a NULL), -1 when the set cannot answer (no set, or v is not of
** the set's type): the caller then searches the list itself. */
int orb_in_set_probe(const orb_expr *e, const orb_value *v, bool *list_has_null);

/* s LIKE pattern (both non-NULL text) with PostgreSQL's rules: '%' any run of
** characters, '_' one UTF-8 character, backslash makes the next character
** literal; a pattern ending in the escape is an error (22025).  icase: ILIKE,
** which compares lower(s) with lower(pattern) as PostgreSQL does; lowered
** copies of non-ASCII strings come from `arena`.  Worst case O(len(s) *
** len(pattern)), whatever the pattern. */
orb_status orb_like(const orb_value *s, const orb_value *pattern, bool icase, orb_arena *arena, bool *match,
                    orb_err *err);

/* If e calls a regular-expression function whose pattern (and flags) are
** constants, compile them once into arena a and store the result in
** e->cache (func_regex.c); otherwise leave it. */
void orb_regex_call_prepare(orb_arena *a, orb_expr *e);

#endif
