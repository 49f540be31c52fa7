/*
** query/exec.h — the executor: physical operators over rows.
**
** A physical plan is a tree of oql_op.  Each operator is a Volcano-style
** iterator: open() prepares it for one execution, next() hands out one row
** at a time (*row == NULL at the end), close() releases what the execution
** used.  A plan built once (orbit_prepare) is opened, drained and closed
** any number of times; operators keep their buffers across executions so
** that a prepared statement runs without planning and without a malloc per
** row.
**
** Rows are arrays of orb_value (op->ncols of them, types in op->types).  A
** row handed out by next() stays valid until the next call of next() or
** close() on the same operator; an operator that needs rows longer (sort,
** aggregate, the build side of a join) copies them into its own arena.
**
** Temporary memory: values computed while evaluating expressions (strings,
** mostly) come from rt->tmp.  The driver resets rt->tmp before it asks the
** root for a row; operators that consume their whole input before producing
** anything (sort, aggregate, join build) reset it between input rows, which
** is safe because nothing above them holds a value yet.  Scans evaluate
** their pushed-down predicate in an arena of their own.
**
** Slots: expressions held by an operator reference its input row: a filter
** or projection its child's row, a join the concatenation left ++ right,
** a scan predicate the table's columns in schema order (tier.h).
*/
#ifndef ORB_QUERY_EXEC_H
#define ORB_QUERY_EXEC_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/hash.h"
#include "expr/expr.h"
#include "storage/db.h"
#include "storage/table.h"
#include "types/value.h"

/* A NOTICE or WARNING a statement gives (PostgreSQL's NoticeResponse), and
** the list of them one statement gave, in order: DROP TABLE IF EXISTS a, b
** with neither there gives two. */
typedef struct oql_report {
  char code[6];          /* SQLSTATE */
  bool warning;          /* WARNING (SET LOCAL outside a block, ...), else NOTICE (IF [NOT] EXISTS) */
  char msg[160];
} oql_report;

typedef struct oql_reports {
  oql_report *v;
  int n, cap;
} oql_reports;

void oql_reports_add(oql_reports *r, const char *code, bool warning, const char *msg);
static inline void oql_reports_clear(oql_reports *r) { r->n = 0; }
void oql_reports_free(oql_reports *r);

/* Everything one execution of a plan needs. */
typedef struct oql_rt {
  orb_db *db;
  orb_wset *ws;          /* the statement's write set (DML), NULL for reads */
  const orb_snapshot *snap; /* what the statement reads (txn/snapshot.h) */
  orb_eval_ctx ctx;      /* ctx.arena == &tmp; params point to the statement's */
  orb_arena tmp;         /* per-row temporaries (see above) */
  bool analyze;          /* EXPLAIN ANALYZE: operators count rows and time */
  /* stopping a running statement: a flag another thread may set (cancel)
  ** and a deadline (statement_timeout, CLOCK_MONOTONIC ns, 0 = none); both
  ** are looked at every few hundred rows by oql_op_next */
  const _Atomic(bool) *interrupt;
  int64_t deadline_ns;
  uint32_t tick;
  /* statement_mem: bytes the statement's operators may hold in the arenas
  ** they keep rows in (sort, aggregation, hash join, DISTINCT, results
  ** kept for later), 0 = no limit; looked at with the interrupt flag */
  int64_t mem_limit;
  orb_arena **mem_arenas;
  int nmem;
  size_t cap_mem;
  /* the NOTICEs the statement gives (PostgreSQL's "..., skipping" of IF
  ** [NOT] EXISTS): the session hands them to the client */
  oql_reports notices;
} oql_rt;

/* 57014 if the statement was cancelled or ran out of time, 53200 if its
** operators hold more than mem_limit (checked now). */
orb_status oql_rt_check(oql_rt *rt, orb_err *e);
/* Count an arena against the statement's memory limit (operators call it
** when they open; the list restarts with each execution: nmem = 0). */
void oql_rt_track(oql_rt *rt, orb_arena *a);

typedef struct oql_op oql_op;
struct orb_vbatch;   /* a column batch (types/vec.h, exec_vec.h) */
struct oql_lock_target;   /* a table SELECT ... FOR UPDATE locks (bound.h) */

typedef struct oql_op_vt {
  const char *name;      /* EXPLAIN name ("Hash Join", "Sort", ...) */
  orb_status (*open)(oql_op *op, oql_rt *rt, orb_err *e);
  orb_status (*next)(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e);
  void (*close)(oql_op *op, oql_rt *rt);
  /* Free what the plan owns beyond the statement arena (may be NULL). */
  void (*destroy)(oql_op *op);
  /* Append the operator's EXPLAIN details: text after the name on its line
  ** (`head`) and further lines (`lines`, each ending in '\n'). May be NULL. */
  void (*explain)(const oql_op *op, orb_buf *head, orb_buf *lines);
  /* Optional: the next column batch (exec_vec.h), *b = NULL at the end;
  ** only called when op->vec says the operator can make them. */
  orb_status (*next_vec)(oql_op *op, oql_rt *rt, const struct orb_vbatch **b, orb_err *e);
} oql_op_vt;

struct oql_op {
  const oql_op_vt *vt;
  int ncols;
  orb_type *types;
  const char **names;    /* output column names (for EXPLAIN), may be NULL */
  oql_op *left, *right;  /* children (a single child is `left`) */
  bool vec;              /* next_vec works: it makes column batches (exec_vec.h) */
  /* EXPLAIN ANALYZE counters, summed over executions */
  int64_t an_rows;
  int64_t an_loops;
  int64_t an_ns;
};

/* Drive an operator, keeping EXPLAIN ANALYZE counters when rt->analyze. */
orb_status oql_op_open(oql_op *op, oql_rt *rt, orb_err *e);
orb_status oql_op_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e);
void oql_op_close(oql_op *op, oql_rt *rt);
/* Destroy a whole plan tree (calls every destroy hook). */
void oql_op_destroy(oql_op *op);
/* op's columns: its input child's, then `extra` more, whose types and
** names the caller fills in (ProjectSet and WindowAgg add columns so). */
void oql_op_extend_columns(orb_arena *a, oql_op *op, oql_op *child, int extra);

/* Runtime setup/teardown. */
void oql_rt_init(oql_rt *rt, orb_db *db);
void oql_rt_free(oql_rt *rt);

/* --- operators (all allocated from the statement arena `a`) --------------- */

/* Scan of a table: produces the columns `proj` (schema positions; NULL = all)
** of the rows for which `pred` (schema slots, NULL = all) is true. */
/* with_locator: each row ends with one more column, its locator (int64),
** for SELECT ... FOR UPDATE/SHARE. */
oql_op *oql_scan_new(orb_arena *a, orb_table *t, const int *proj, int nproj, orb_expr *pred, bool with_locator);
/* SELECT ... FOR UPDATE/SHARE: claims, for each row, the rows of locks[]'s
** tables whose locators it carries (exec_lock.c); a row one of them no
** longer has is dropped, and with SKIP LOCKED a row another transaction
** holds. */
oql_op *oql_lockrows_new(orb_arena *a, oql_op *child, const struct oql_lock_target *locks, int nlocks);
/* Table behind a scan operator, NULL if op is not a scan. */
orb_table *oql_scan_table(const oql_op *op);

oql_op *oql_filter_new(orb_arena *a, oql_op *child, orb_expr *pred);

/* Output row = exprs evaluated on the child row. */
oql_op *oql_project_new(orb_arena *a, oql_op *child, orb_expr **exprs, int n);

/* A set-returning function of a select list, over an array argument. */
typedef enum oql_srf_kind {
  OQL_SRF_UNNEST,        /* unnest(arr): the elements */
  OQL_SRF_EXPANDARRAY,   /* information_schema._pg_expandarray(arr): records (x element, n its 1-based position) */
  OQL_SRF_SERIES         /* generate_series(start, stop, step): arg is the record (start, stop, step) */
} oql_srf_kind;

typedef struct oql_srf_spec {
  oql_srf_kind kind;
  orb_expr *arg;         /* the array (child-row slots; gids while binding) */
  orb_type type;         /* the type of its rows: the element type, or a record (types.h) */
  int gid;               /* the column the binder gave its rows */
  bool below;            /* a GROUP BY key uses its rows: run before the grouping, over the input rows */
} oql_srf_spec;

/* Output row = the child row ++ one column per function, once per row the
** functions return in lockstep (exec_project_set.c). */
oql_op *oql_project_set_new(orb_arena *a, oql_op *child, const oql_srf_spec *srfs, int nsrfs);

/* Rows of constant-ish expressions (VALUES lists; no input row). */
oql_op *oql_values_new(orb_arena *a, int nrows, int ncols, orb_expr ***rows, const orb_type *types);
/* The number of rows of a VALUES operator, -1 for any other operator; and
** row `row` of it evaluated into out (ncols values), for a caller that keeps
** every row anyway (a streamed INSERT) rather than reading them through
** oql_op_next, which hands out one buffer row after row. */
int oql_values_count(const oql_op *op);
orb_status oql_values_eval(oql_op *op, oql_rt *rt, int row, orb_value *out, orb_err *e);

/* Pre-computed rows (SHOW, DESCRIBE, EXPLAIN output); values are copied. */
oql_op *oql_rows_new(orb_arena *a, int ncols, const orb_type *types);
void oql_rows_add(oql_op *op, orb_arena *a, const orb_value *row);

/* generate_series(start, stop[, step]) over integers or timestamps. */
oql_op *oql_series_new(orb_arena *a, orb_type type, orb_expr *start, orb_expr *stop, orb_expr *step);
/* unnest(array): its elements (of type elem), one row each. */
/* unnest(arg) in FROM: one row per element of the array arg evaluates to; with ncols > 1 the
** elements are records whose fields are the row's columns (json_each's (key, value)). */
oql_op *oql_unnest_new(orb_arena *a, const orb_type *types, int ncols, orb_expr *arg);
/* read_parquet(files): the rows of Parquet files, row group by row group (nested fields as JSON text). */
oql_op *oql_parquet_scan_new(orb_arena *a, const char *const *paths, int npaths, int ncols, const orb_type *types);
/* iceberg_scan(table): an Iceberg table's rows (exec_iceberg.c); snapshot -1
** reads the current one; the table's schema must still have these columns
** (field ids and types) when it runs. */
oql_op *oql_iceberg_scan_new(orb_arena *a, const char *where, int64_t snapshot, int ncols, const orb_type *types,
                             const int32_t *field_ids);
/* COUNT(*) of an iceberg_scan from its manifests' record counts, when no
** delete file applies (oql_count_fn; EXPLAIN ANALYZE says when it did). */
orb_status oql_iceberg_scan_count(oql_op *op, oql_rt *rt, int64_t *n, orb_err *e);
/* Constraints from the WHERE conjuncts on an iceberg_scan's columns (pq_pred,
** col = column position): each data file's row groups that cannot match are
** skipped (storage/cold ice_reader_prune); the conjuncts are still evaluated
** above the scan. */
struct pq_pred;
void oql_iceberg_scan_prune(oql_op *op, orb_arena *a, const struct pq_pred *preds, int npreds);
/* Only the columns the query uses (used[i]) are read; the others show as NULL. */
void oql_iceberg_scan_project(oql_op *op, orb_arena *a, const bool *used);
/* Say that the constraints given to oql_iceberg_scan_prune are the whole
** filter above the scan (every conjunct became one), so that a data file
** whose metadata proves every row satisfies them all can be counted
** without reading it. */
void oql_iceberg_scan_prune_exact(oql_op *op);
/* Whether op is an iceberg_scan whose constraints are the whole filter. */
bool oql_iceberg_scan_is_exact(const oql_op *op);
/* COUNT(*) of an exact iceberg_scan's filtered rows, in part from metadata
** (oql_count_fn for oql_agg_count_partial): *n gets the record counts of
** the data files every row of which matches (and no delete file applies
** to), and the scan then reads only the other files. */
orb_status oql_iceberg_scan_count_where(oql_op *op, oql_rt *rt, int64_t *n, orb_err *e);
/* Constraints from the query's WHERE conjuncts on the scan's columns
** (formats/parquet pq_pred, col = column position): each file's row groups
** and pages that cannot match are skipped (the conjuncts are still
** evaluated above the scan); EXPLAIN ANALYZE shows what was skipped. */
struct pq_pred;
void oql_parquet_scan_prune(oql_op *op, orb_arena *a, const struct pq_pred *preds, int npreds);
/* Projection: only the columns with used[i] are read (their chunks alone
** are fetched and decoded); the others are NULL in every row. */
void oql_parquet_scan_project(oql_op *op, orb_arena *a, const bool *used);

/* Aggregates. */
typedef enum oql_agg_fn {
  OQL_AGG_COUNT_STAR, OQL_AGG_COUNT, OQL_AGG_SUM, OQL_AGG_AVG, OQL_AGG_MIN, OQL_AGG_MAX,
  OQL_AGG_STRING_AGG,    /* string_agg(text, delimiter): the non-NULL values joined, in input order */
  OQL_AGG_ARRAY_AGG,     /* array_agg(x): the values, NULLs included, in input order, as an array */
  OQL_AGG_JSON_AGG,      /* json_agg(x) / jsonb_agg(x) (type says which): the values, NULLs as null, as a JSON array */
  OQL_AGG_JSON_OBJECT_AGG, /* json(b)_object_agg(k, v) (arg2 = v): the pairs as a JSON object */
  OQL_AGG_GROUPING       /* GROUPING(keys): which of the keys the row's grouping set leaves out (grouping[]) */
} oql_agg_fn;

typedef struct oql_agg_spec {
  oql_agg_fn fn;
  bool distinct;
  orb_expr *arg;         /* child-row slots; NULL for COUNT(*) */
  orb_type type;         /* result type */
  orb_expr *arg2;        /* string_agg: the delimiter; json(b)_object_agg: the value (child-row slots); NULL otherwise */
  orb_expr *filter;      /* agg(...) FILTER (WHERE filter): a boolean on child rows; only rows where it is
                            true are added.  NULL: every row */
  const struct oql_agg_order *order;   /* agg(... ORDER BY keys): rows added in that order; NULL: any */
  int norder;
  orb_expr **gargs;      /* GROUPING: its arguments (gids, for the binder); */
  int ngargs;
  const int32_t *grouping;   /* and its value for each grouping set of the aggregate (set order) */
} oql_agg_spec;

/* An aggregate as EXPLAIN and column names show it: "sum(x)", "count(*)",
** "string_agg(s, ',' ORDER BY s DESC) FILTER (WHERE ...)". */
void oql_agg_format(const struct oql_agg_spec *sp, const char *const *names, orb_buf *out);

/* A key of agg(... ORDER BY ...): an expression on child rows. */
typedef struct oql_agg_order {
  orb_expr *expr;
  bool desc, nulls_first;
} oql_agg_order;

/* Output row = group key values ++ aggregate results.  ngroup == 0: exactly
** one output row (plain aggregate).  If count_table is set (a COUNT(*)-only
** query over a bare table), orb_table_count is tried before scanning. */
oql_op *oql_agg_new(orb_arena *a, oql_op *child, orb_expr **keys, int ngroup, const oql_agg_spec *aggs,
                    int naggs, orb_table *count_table);
/* GROUP BY ROLLUP / CUBE / GROUPING SETS: aggregate agg (made with the
** union of the sets' keys) groups each input row once per set: sets[i] is
** set i's mask of keys (bit k: key k); keys a set leaves out are NULL in
** its rows.  The memory is the caller's (statement arena). */
void oql_agg_grouping_sets(oql_op *agg, const uint64_t *sets, int nsets);
/* The number of rows operator op would produce, from metadata alone (*n =
** -1 when it cannot tell without reading). */
typedef orb_status (*oql_count_fn)(oql_op *op, oql_rt *rt, int64_t *n, orb_err *e);
/* Let an aggregate of COUNT(*)s only, over exactly op's rows (no filter
** between), ask fn(op) first and read no row when it knows. */
void oql_agg_count_from(oql_op *agg, oql_count_fn fn, oql_op *op);
/* Let an aggregate of COUNT(*)s only add fn(op)'s count (rows op will not
** produce, known from metadata) to the rows it reads from its input. */
void oql_agg_count_partial(oql_op *agg, oql_count_fn fn, oql_op *op);

typedef struct oql_sort_key {
  int slot;
  bool desc;
  bool nulls_first;
} oql_sort_key;

/* Window frames (SQL's ROWS / RANGE / GROUPS BETWEEN start AND end). */
typedef enum oql_frame_mode { OQL_FRAME_RANGE, OQL_FRAME_ROWS, OQL_FRAME_GROUPS } oql_frame_mode;
typedef enum oql_frame_bound {
  OQL_FB_UNBOUNDED_PRECEDING, OQL_FB_PRECEDING, OQL_FB_CURRENT_ROW, OQL_FB_FOLLOWING, OQL_FB_UNBOUNDED_FOLLOWING
} oql_frame_bound;
/* EXCLUDE NO OTHERS (the default) | CURRENT ROW | GROUP (the row's peers) | TIES (its peers but itself). */
typedef enum oql_frame_exclude {
  OQL_EXCLUDE_NONE, OQL_EXCLUDE_CURRENT_ROW, OQL_EXCLUDE_GROUP, OQL_EXCLUDE_TIES
} oql_frame_exclude;

/* Sort by keys (slots of the child row); stable. */
oql_op *oql_sort_new(orb_arena *a, oql_op *child, const oql_sort_key *keys, int nkeys);

/* Window functions (exec_window.c): PostgreSQL's WindowAgg.  The input
** comes sorted by the window's partition keys and then its order keys (a
** Sort below it); the operator buffers one partition at a time and hands
** each input row out again with the window functions' values appended. */
typedef enum oql_wfn {
  OQL_W_ROW_NUMBER, OQL_W_RANK, OQL_W_DENSE_RANK, OQL_W_PERCENT_RANK, OQL_W_CUME_DIST, OQL_W_NTILE,
  OQL_W_LAG, OQL_W_LEAD, OQL_W_FIRST_VALUE, OQL_W_LAST_VALUE, OQL_W_NTH_VALUE,
  OQL_W_AGG                /* an aggregate over the frame: agg */
} oql_wfn;

typedef struct oql_wfunc {
  oql_wfn fn;
  int win;                 /* the window it is computed over (binder: index in oql_bselect.wins) */
  orb_expr *args[3];       /* input-row slots: lag/lead (value, offset, default), ntile (n), nth_value (value, n),
                              first_value/last_value (value) */
  int nargs;
  oql_agg_spec agg;        /* OQL_W_AGG */
  orb_type type;           /* result type */
  const char *name;        /* for EXPLAIN */
} oql_wfunc;

typedef struct oql_window {
  int npart, norder;
  orb_expr **part;         /* PARTITION BY expressions */
  orb_expr **order;        /* ORDER BY expressions */
  oql_sort_key *okeys;     /* each order key's direction; slot: the column the planner put it in */
  int *pslots;             /* the column of each partition key (planner) */
  oql_frame_mode mode;
  oql_frame_bound start, end;
  oql_frame_exclude exclude;
  orb_expr *start_off, *end_off;   /* n PRECEDING / FOLLOWING: no column references */
} oql_window;

/* Output row = input row ++ one value per function, computed over window w
** (its pslots and okeys slots name columns of the child's rows). */
oql_op *oql_window_new(orb_arena *a, oql_op *child, const oql_window *w, const oql_wfunc *fns, int nfns);

/* limit/offset expressions are evaluated at open; NULL = none. */
oql_op *oql_limit_new(orb_arena *a, oql_op *child, orb_expr *limit, orb_expr *offset);

/* DISTINCT over the first `nkey` columns of the row (all columns when nkey < 0). */
oql_op *oql_distinct_new(orb_arena *a, oql_op *child, int nkey);
/* DISTINCT ON: the first row of each run of rows with equal values in key
** slots keys[0..nkeys) (the child is sorted on them). */
oql_op *oql_unique_new(orb_arena *a, oql_op *child, const int *keys, int nkeys);

/* UNION ALL of two inputs with the same column count; casts are the binder's. */
oql_op *oql_append_new(orb_arena *a, oql_op *left, oql_op *right);

/* INTERSECT [ALL] / EXCEPT [ALL] of two inputs with the same column count
** (exec_setop.c): the right input is read into a hash table first, then
** the left one streams through it.  NULLs are equal here, as in DISTINCT. */
oql_op *oql_setop_new(orb_arena *a, oql_op *left, oql_op *right, bool except, bool all);

/* --- WITH queries (exec_cte.c) ---------------------------------------------
** A WITH query read more than once is materialized: its rows are kept in a
** buffer shared by the CTE Scans that read it, pulled from its plan only as
** far as the furthest reader has gone (so an outer LIMIT stops an endless
** recursion, as in PostgreSQL).  The CTE operator above the query that
** defines it empties the buffer whenever it is opened and closes the plan
** with it. */
typedef struct oql_cte_buf oql_cte_buf;
oql_cte_buf *oql_cte_buf_new(orb_arena *a, const char *name);
/* The plan producing the buffer's rows (owned by the CTE operator). */
void oql_cte_buf_set_plan(oql_cte_buf *buf, oql_op *plan);
oql_op *oql_cte_scan_new(orb_arena *a, oql_cte_buf *buf, int ncols, const orb_type *types, const char *alias);
/* `query` with buf's plan shown (and destroyed) beside it. */
oql_op *oql_cte_new(orb_arena *a, oql_op *query, oql_cte_buf *buf);

/* WITH RECURSIVE: the Recursive Union hands out the non-recursive term's
** rows, then runs the recursive term over the rows of the last iteration
** (the work table, read by its WorkTable Scans) until an iteration gives no
** row; without ALL, rows already handed out are dropped. */
typedef struct oql_worktable oql_worktable;
oql_worktable *oql_worktable_new(orb_arena *a);
oql_op *oql_worktable_scan_new(orb_arena *a, oql_worktable *wt, int ncols, const orb_type *types, const char *name);
oql_op *oql_recursive_union_new(orb_arena *a, oql_op *nonrec, oql_op *rec, oql_worktable *wt, bool all);

/* RIGHT is bound as such and planned as LEFT with the inputs swapped. */
typedef enum oql_join_type { OQL_JOIN_INNER, OQL_JOIN_LEFT, OQL_JOIN_RIGHT, OQL_JOIN_FULL } oql_join_type;

/* Hash join: lkeys evaluated on left rows, rkeys on right rows (same types);
** residual on the combined row (NULL = none).  Builds on the right input. */
oql_op *oql_hashjoin_new(orb_arena *a, oql_join_type jt, oql_op *left, oql_op *right, orb_expr **lkeys,
                         orb_expr **rkeys, int nkeys, orb_expr *residual);
/* Nested-loop join with an arbitrary condition (NULL = cross join). */
oql_op *oql_nljoin_new(orb_arena *a, oql_join_type jt, oql_op *left, oql_op *right, orb_expr *cond);

/* --- EXPLAIN --------------------------------------------------------------- */

/* Append the plan as text, one operator per line, children indented. */
void oql_explain_plan(const oql_op *root, bool analyze, orb_buf *out);

/* Helper for explain hooks: format an expression against a name list. */
void oql_explain_expr(const orb_expr *e, const char *const *names, orb_buf *out);

/* Hash of the first n values of a row (NULLs hash alike) and equality in
** the sense of DISTINCT / GROUP BY (NULL equals NULL). */
uint64_t oql_row_hash(const orb_value *row, int n);
bool oql_row_same(const orb_value *a, const orb_value *b, int n);

/* Add the first n values of row to a set of rows (NULLs equal) kept in a:
** the copy, or NULL when the set had such a row already. */
const orb_value *oql_rowset_add(orb_hmap *seen, orb_arena *a, const orb_value *row, int n);

/* Copy a row's values (strings and arrays included) into arena memory. */
void oql_row_copy(orb_value *dst, const orb_value *src, int n, orb_arena *a);

#endif
