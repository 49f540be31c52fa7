/*
** query/agg_state.h — the running state of one aggregate (count, sum, avg,
** min, max, string_agg, array_agg) and the steps on it: add a value, take a value
** back out (where that is exact), produce the result.
**
** Shared by hash/plain aggregation (exec_agg.c), which adds every row of a
** group, and the window operator (exec_window.c), which adds the rows
** entering a frame and, for the aggregates oql_agg_state_removable allows,
** removes those leaving it instead of starting again.  Memory the state
** needs (string_agg's text, DISTINCT's set, copied MIN/MAX strings) comes
** from the arena the caller gives; DISTINCT's set also mallocs
** (oql_agg_state_free).
*/
#ifndef ORB_QUERY_AGG_STATE_H
#define ORB_QUERY_AGG_STATE_H

#include "query/exec.h"
#include "types/array.h"

typedef struct oql_agg_state {
  int64_t count;
  __int128 isum;            /* integer and decimal sums (unscaled at the sum's scale) */
  double fsum;
  orb_value val;            /* MIN/MAX so far; generic sums (intervals) */
  bool has;                 /* saw a non-NULL input */
  orb_hmap *dset;           /* DISTINCT: values seen in this group */
  char *sbuf;               /* string_agg, json(b)_agg, json(b)_object_agg: the text so far (in the arena,
                               doubled as it grows); the json ones keep their elements or pairs without the
                               brackets, separated by ", " */
  size_t slen, scap;
  orb_array *arr;           /* array_agg: the array so far (its items in the arena, doubled as they grow) */
  size_t acap;
  bool null_seen;           /* array_agg(DISTINCT x): a NULL was taken */
} oql_agg_state;


/* Add value v (the argument; ignored for COUNT(*)) to the state; delim is
** string_agg's delimiter for v (NULL otherwise). */
orb_status oql_agg_state_add(orb_arena *a, oql_agg_state *s, const oql_agg_spec *sp, const orb_value *v,
                             const orb_value *delim, orb_err *e);
/* Whether oql_agg_state_remove can take a value back out of sp's state
** exactly: COUNT(*), COUNT, and SUM / AVG of integers and decimals, not
** DISTINCT (PostgreSQL's moving-aggregate inverses; float sums have none,
** as rounding would depend on the order). */
bool oql_agg_state_removable(const oql_agg_spec *sp);
/* Take back a value added before (only when removable). */
void oql_agg_state_remove(oql_agg_state *s, const oql_agg_spec *sp, const orb_value *v);
/* The aggregate's result from its state (what it makes anew, json(b)_agg's
** text, comes from a). */
orb_status oql_agg_state_result(orb_arena *a, const oql_agg_spec *sp, const oql_agg_state *s, orb_value *out,
                                orb_err *e);
/* Release DISTINCT's set (the arena keeps the rest). */
void oql_agg_state_free(oql_agg_state *s);
/* 22003 for a sum that left its result type. */
orb_status oql_agg_overflow(const oql_agg_spec *sp, orb_err *e);

#endif
