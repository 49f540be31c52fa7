/*
** query/bound.h — bound queries: what the binder hands to the planner.
**
** The binder resolves every name of a SELECT against its FROM clause and the
** catalog and produces an oql_bselect.  Column references in its
** expressions are "global column ids" (gids): every column a FROM item
** makes visible gets one (a base table's columns get consecutive gids, in
** schema order).  The planner decides which columns each scan produces and
** renumbers the gids into row slots (orb_expr_remap).
**
** Grouped queries (GROUP BY or aggregates): group keys and aggregate
** arguments use gids; HAVING and the output expressions use "post-aggregate
** slots": 0..ngroup-1 are the group keys, ngroup+j is aggregate j.
**
** Everything is allocated from the statement arena.
*/
#ifndef ORB_QUERY_BOUND_H
#define ORB_QUERY_BOUND_H

#include <stdio.h>

#include "expr/expr.h"
#include "query/exec.h"
#include "storage/table.h"

typedef struct oql_bselect oql_bselect;

/* Set operations of a bound select; RECURSIVE is a WITH RECURSIVE query's
** non-recursive term (larg) UNION [ALL] its recursive term (rarg). */
typedef enum oql_bsetop { OQL_BSET_NONE, OQL_BSET_UNION, OQL_BSET_INTERSECT, OQL_BSET_EXCEPT, OQL_BSET_RECURSIVE } oql_bsetop;

/* Slots at or below this mark window functions in a select's outputs. */
#define OQL_WIN_MARK (-1000000)
/* In a grouped select's outputs (after oql_group_rewrite), the rows of its
** set-returning function k are the column of slot OQL_SRF_MARK - k, until
** the planner points it at the ProjectSet above the aggregate. */
#define OQL_SRF_MARK (-3000000)

typedef enum oql_from_kind {
  OQL_FROM_TABLE,      /* base table: gids first_gid .. first_gid+ncols-1 = schema positions */
  OQL_FROM_SUBQUERY,   /* derived table: gids first_gid.. = the subquery's visible outputs */
  OQL_FROM_SERIES,     /* generate_series: one column, gid first_gid */
  OQL_FROM_VALUES,     /* VALUES list in FROM */
  OQL_FROM_PARQUET,    /* read_parquet(files): their columns, gids first_gid.. */
  OQL_FROM_ICEBERG,    /* iceberg_scan(table): the columns of its schema, gids first_gid..; paths[0] the table */
  OQL_FROM_UNNEST,     /* unnest(array): one column (the elements), gid first_gid; series_args[0] the array */
  OQL_FROM_CTE,        /* a materialized WITH query (cte_buf): its columns, gids first_gid.. */
  OQL_FROM_WORKTABLE,  /* a recursive WITH query's reference to itself: the rows of the last iteration (worktable) */
  OQL_FROM_JOIN
} oql_from_kind;

typedef struct oql_from {
  oql_from_kind kind;
  int first_gid, ncols;          /* TABLE, SUBQUERY, SERIES, VALUES */
  orb_type *types;               /* column types (ncols) */
  const char **names;            /* column names (ncols) */
  const char *alias;             /* qualifier the columns are known by */
  orb_table *table;              /* TABLE */
  oql_bselect *sub;              /* SUBQUERY */
  orb_expr *series_args[3];      /* SERIES: start, stop, step (NULL) */
  const char **paths;            /* PARQUET: the files, read in this order */
  int npaths;
  int64_t ice_snapshot;          /* ICEBERG: the snapshot to read, -1 the current one */
  const int32_t *field_ids;      /* ICEBERG: each column's Iceberg field id */
  oql_cte_buf *cte_buf;          /* CTE */
  oql_worktable *worktable;      /* WORKTABLE */
  int nvrows;                    /* VALUES */
  orb_expr ***vrows;
  int loc_gid;                   /* TABLE locked FOR UPDATE/SHARE: 1 + the gid of its rows' locators; 0 none */
  /* JOIN */
  oql_join_type jt;
  struct oql_from *left, *right;
  orb_expr *cond;                /* ON condition (gids), NULL = cross join */
} oql_from;

/* Locking clauses (FOR UPDATE ...): strengths and wait policies, weakest
** first, so that several clauses on one table combine by taking the larger. */
typedef enum oql_lock_strength { OQL_LOCK_KEY_SHARE, OQL_LOCK_SHARE, OQL_LOCK_NO_KEY_UPDATE, OQL_LOCK_UPDATE } oql_lock_strength;
typedef enum oql_lock_wait { OQL_LOCK_WAIT, OQL_LOCK_SKIP, OQL_LOCK_NOWAIT } oql_lock_wait;

/* A table's CHECK constraints bound for one statement (binder_check.c):
** conditions over its full rows in schema order (n 0: none). */
typedef struct oql_checks {
  int n;
  orb_expr **conds;
} oql_checks;
orb_status oql_checks_bind(orb_db *db, orb_arena *a, const orb_table *t, oql_checks *out, orb_err *e);
/* Rows about to be written to t (full rows, schema order) against c: 23514
** for the first a condition is false for (true or NULL passes). */
orb_status oql_checks_test(const oql_checks *c, struct oql_rt *rt, const orb_table *t, const orb_value *const *rows,
                           size_t n, orb_err *e);
/* Both at once, for a statement that writes once (UPDATE, a COPY batch). */
orb_status oql_check_rows(const orb_table *t, struct oql_rt *rt, const orb_value *const *rows, size_t n, orb_err *e);
/* ALTER TABLE ADD CHECK: every row t holds against condition sql (23514
** "check constraint ... is violated by some row"). */
orb_status oql_check_existing(const orb_table *t, struct oql_rt *rt, const char *name, const char *sql, orb_err *e);
/* Whether t's check number `check` reads column col (or can no longer be bound). */
bool oql_check_uses_column(orb_db *db, const orb_table *t, int check, int col);

/* SELECT ... FOR UPDATE/SHARE: a table whose rows the select locks. */
typedef struct oql_lock_target {
  orb_table *table;
  int slot;                      /* out[] slot of its rows' locators (int64) */
  oql_lock_strength strength;    /* the strongest clause naming the table */
  oql_lock_wait wait;
} oql_lock_target;

struct oql_bselect {
  int ngids;                     /* gids used in this select: 0..ngids-1 */
  oql_from *from;                /* NULL = one empty row (SELECT without FROM) */
  orb_expr *where;               /* gids */
  bool grouped;                  /* GROUP BY or aggregates present */
  int ngroup;
  orb_expr **group;              /* gids */
  uint64_t *sets;                /* ROLLUP / CUBE / GROUPING SETS: masks of group[] (oql_agg_grouping_sets) */
  int nsets;                     /* 0: plain GROUP BY */
  int naggs;
  oql_agg_spec *aggs;            /* args in gids */
  int nsrfs;                     /* set-returning functions of the select list: args in gids, */
  oql_srf_spec *srfs;            /* each one's rows the column srfs[i].gid (not grouped queries) */
  orb_expr *having;              /* post-aggregate slots */
  /* window functions (select list and ORDER BY): out[] refers to function j
  ** by a marker column of slot OQL_WIN_MARK - j; their arguments and their
  ** windows' keys use gids, or post-aggregate slots when grouped */
  int nwins;
  oql_window *wins;
  int nwfuncs;
  oql_wfunc *wfuncs;
  int nout;                      /* output expressions: nvisible visible ones, then hidden sort keys */
  int nvisible;
  orb_expr **out;                /* gids, or post-aggregate slots when grouped */
  const char **out_names;
  bool distinct;
  oql_lock_target *locks;        /* FOR UPDATE/SHARE ...: LockRows above the sort, below LIMIT */
  int nlocks;
  int *distinct_on;              /* DISTINCT ON (...): slots of out[]; the first row of each */
  int ndistinct_on;              /* run of equal keys in sort order (sort starts with them) */
  int nsort;
  oql_sort_key *sort;            /* slots index out[] */
  orb_expr *limit, *offset;      /* no column references */
  /* a set operation (setop != OQL_BSET_NONE): larg op rarg, nothing else
  ** but nvisible/out/out_names (its leftmost branch's, once the branches'
  ** types are unified) and the ORDER BY / LIMIT of the whole */
  oql_bsetop setop;
  bool set_all;
  oql_bselect *larg, *rarg;
  oql_worktable *worktable;      /* RECURSIVE: what rarg's WorkTable Scans read */
  /* the materialized WITH queries defined on this select: planned with it,
  ** each computed at most once per execution of it (exec_cte.c) */
  int nmats;
  struct oql_cte_mat **mats;
};

/* A WITH query computed once and read by several CTE scans. */
typedef struct oql_cte_mat {
  const char *name;
  oql_bselect *body;
  oql_cte_buf *buf;              /* its plan is set when the select defining it is planned */
} oql_cte_mat;

/* INSERT: `source` produces full rows of the table (schema order, already
** cast to the column types, defaults filled in). */
typedef enum oql_conflict { OQL_CONFLICT_NONE, OQL_CONFLICT_NOTHING, OQL_CONFLICT_UPDATE } oql_conflict;

typedef struct oql_binsert {
  orb_table *table;
  oql_op *source;
  bool materialize;              /* read all source rows before writing (INSERT ... SELECT) */
  oql_conflict on_conflict;
  /* the unique constraints that decide a conflict, each -1 (the primary
  ** key) or an index number of the table's schema; DO NOTHING without a
  ** target: all of them */
  int narbiters;
  int arbiters[8];
  /* DO UPDATE: expressions over existing row ++ excluded row (2 * ncols slots) */
  int nset;
  int *set_cols;                 /* schema positions */
  orb_expr **set_exprs;
  orb_expr *conflict_where;      /* NULL = always */
  /* execution scratch kept across executions (no malloc per prepared run);
  ** set up by oql_binsert_init, released by oql_binsert_free */
  orb_arena batch_arena;
  const orb_value **batch;
  size_t batch_cap;
  orb_value *keybuf, *both;
} oql_binsert;

void oql_binsert_init(oql_binsert *b, orb_table *t);
void oql_binsert_free(oql_binsert *b);

/* RETURNING of INSERT / UPDATE / DELETE: expressions over a written row
** (schema slots: the new row, or the deleted one).  `rows`, set per
** execution, collects their values (materialized in `arena`); NULL exprs
** or n 0 = no RETURNING. */
typedef struct oql_returning {
  int n;
  orb_expr **exprs;
  oql_op *rows;                  /* an oql_rows_new operator of n columns */
  orb_arena *arena;
} oql_returning;

/* UPDATE / DELETE of one table: `pred` and `set_exprs` use schema slots. */
typedef struct oql_bmodify {
  orb_table *table;
  orb_expr *pred;                /* NULL = every row */
  int nset;
  int *set_cols;
  orb_expr **set_exprs;
  /* UPDATE ... FROM / DELETE ... USING: the join of the target with the
  ** other items, filtered by WHERE, makes the rows to change instead (pred
  ** and set_exprs unused).  Each row of it is: the target row's locator,
  ** then (UPDATE) the new row in schema order, then the RETURNING values;
  ** a target row met again is left alone, as PostgreSQL does. */
  oql_op *source;
} oql_bmodify;

/* Execute within rt->ws; *changes = rows inserted/updated/deleted.  ret
** (NULL: none) gets one row per row written, once its write succeeded. */
orb_status oql_exec_insert(oql_binsert *b, oql_rt *rt, int64_t *changes, oql_returning *ret, orb_err *e);
orb_status oql_exec_update(oql_bmodify *b, oql_rt *rt, int64_t *changes, oql_returning *ret, orb_err *e);
orb_status oql_exec_delete(oql_bmodify *b, oql_rt *rt, int64_t *changes, oql_returning *ret, orb_err *e);

/* COPY options: PostgreSQL's text format (the default), CSV, or (TO only)
** Parquet as DuckDB's COPY writes it. */
typedef struct oql_copy_opts {
  bool csv;                      /* FORMAT csv; else text */
  bool parquet;                  /* FORMAT parquet (COPY TO or FROM a file) */
  int pq_codec;                  /* parquet: COMPRESSION (pq_codec; default ZSTD) */
  int64_t pq_row_group_size;     /* parquet: ROW_GROUP_SIZE in rows, 0: the writer's default */
  char delim;                    /* text: tab; csv: ',' */
  char quote;                    /* csv: '"' */
  char escape;                   /* csv: = quote */
  const char *null_str;          /* text: \N; csv: "" (an unquoted empty field) */
  bool header;
} oql_copy_opts;

/* Defaults of the format (call with o->csv set, before explicit options). */
void oql_copy_opts_init(oql_copy_opts *o, bool csv);

/* COPY table [(cols)] FROM: cols are schema positions in file order; other
** columns get defaults[c] (rowless expressions; NULL entry = NULL).  Reads
** `in` (FROM STDIN data; `path` names it in messages) or opens `path`. */
orb_status oql_copy_from(orb_table *t, const int *cols, int ncols, orb_expr **defaults, const char *path, FILE *in,
                         const oql_copy_opts *o, oql_rt *rt, int64_t *rows, orb_err *e);
/* COPY (rows of src) TO `out` (TO STDOUT) or the file `path`, with a header
** line of names when asked. */
orb_status oql_copy_to(oql_op *src, int ncols, const char *const *names, const char *path, FILE *out,
                       const oql_copy_opts *o, oql_rt *rt, int64_t *rows, orb_err *e);

/* COPY t [(cols)] FROM a Parquet file (exec_copy_parquet.c): src reads the
** file (names: its columns), whose column i goes to schema position cols[i]
** cast to that column's type; the others get defaults as oql_copy_from's. */
orb_status oql_copy_from_parquet(orb_table *t, const int *cols, int ncols, orb_expr **defaults, oql_op *src,
                                 const char *const *names, oql_rt *rt, int64_t *rows, orb_err *e);
/* The row of defaults COPY FROM starts each row from (evaluated once, in a). */
orb_status oql_copy_default_row(orb_table *t, orb_expr **defaults, oql_rt *rt, orb_arena *a, orb_value **out,
                                orb_err *e);
/* COPY (rows of src) TO the Parquet file `path` (exec_copy_parquet.c). */
orb_status oql_copy_to_parquet(oql_op *src, int ncols, const char *const *names, const char *path,
                               const oql_copy_opts *o, oql_rt *rt, int64_t *rows, orb_err *e);

/* Plan a bound select into an operator tree (allocated from `a`).  The
** root's first `nvisible` columns are the result. */
orb_status oql_plan_select(orb_arena *a, oql_bselect *s, oql_op **out, orb_err *e);

#endif
