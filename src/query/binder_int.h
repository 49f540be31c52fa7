/*
** query/binder_int.h — shared internals of the binder (binder_*.c only).
**
** Typing rules follow PostgreSQL:
**  - a string literal is of type "unknown" until its context decides: it
**    takes the type of the other operand of a comparison, of the column it
**    is assigned to, or of the parameter a function resolver asks for, and
**    is converted with that type's input syntax at bind time (so
**    `ts >= '2026-01-01'` compares timestamps); with no context it is text.
**    Such constants carry OQL_EF_UNKNOWN in their flags (a binder-private
**    bit the evaluator ignores);
**  - a parameter $n whose type is not known yet has type ORB_T_NULL; the
**    first context that needs a type fixes it (oql_binder.param_types);
**  - known types meet at orb_type_common(), with casts inserted on both sides.
**
** Scopes: the columns a FROM clause makes visible, each with a gid
** (bound.h).  Aggregates met while binding a select list, HAVING or ORDER
** BY are collected in the select context and replaced by marker columns with
** negative slots (-1 - aggregate index) until oql_group_rewrite() turns the
** expression into post-aggregate slots.
*/
#ifndef ORB_QUERY_BINDER_INT_H
#define ORB_QUERY_BINDER_INT_H

#include "query/binder.h"
#include "types/value.h"

#define OQL_EF_UNKNOWN 0x8000   /* CONST: untyped string literal */

typedef struct oql_scope_col {
  const char *qual;              /* table alias/name, NULL for unnamed derived columns */
  const char *name;
  int gid;
  orb_type type;
  bool system;                   /* a system column (a catalog's tableoid): named, but not part of * */
  const char *relname;           /* a table known by an alias: its own name, which the alias hides; else NULL */
  /* JOIN ... USING / NATURAL JOIN: the joined columns are reachable only
  ** qualified (using_hidden) and one merged column stands for each pair:
  ** an expression (the left column, the right one for RIGHT JOIN,
  ** COALESCE of both for FULL JOIN), cloned at each reference */
  bool using_hidden;
  const orb_expr *merged;
} oql_scope_col;

typedef struct oql_scope {
  oql_scope_col *cols;
  int n, cap;
} oql_scope;

/* A subquery in an expression that refers to columns of the query around it
** (a correlated subquery): the outer expressions it uses become the
** ORB_E_SUBLINK node's extra arguments, read inside as ORB_E_OUTER slots. */
typedef struct oql_corr {
  struct oql_selctx *outer;      /* the query block the subquery sits in */
  orb_expr **args;               /* outer expressions, in ORB_E_OUTER slot order (arena) */
  int n, cap;
} oql_corr;

/* State of one SELECT being bound. */
typedef struct oql_selctx {
  oql_binder *b;
  oql_scope scope;
  oql_corr *corr;                /* set in a subquery of an expression: where outer columns resolve */
  int ngids;
  const char **gid_names;        /* gid -> column name, for messages */
  int gid_cap;
  /* aggregates */
  bool allow_aggs;               /* in select list / HAVING / ORDER BY */
  bool in_agg;                   /* inside an aggregate's argument */
  oql_agg_spec *aggs;
  int naggs, aggcap;
  const char *agg_ctx;           /* "WHERE", "GROUP BY", ... for the error when aggregates are not allowed */
  /* window functions (binder_window.c) */
  bool allow_wins;               /* in the select list and ORDER BY */
  const char *win_ctx;           /* where they are not allowed, for the error (else agg_ctx) */
  bool in_win;                   /* inside a window function's arguments */
  bool in_windef;                /* inside a window's PARTITION BY / ORDER BY */
  const struct oql_select_ast *sel;   /* its WINDOW clause names windows */
  oql_window *wins;
  int nwins, wincap;
  oql_wfunc *wfuncs;
  int nwfuncs, wfcap;
  /* set-returning functions of the select list (binder_srf.c) */
  bool allow_srfs;
  const char *srf_forbid;        /* inside CASE / COALESCE: PostgreSQL refuses them there (0A000 with a HINT) */
  const char *srf_unsupported;   /* where PostgreSQL takes them but Orbit does not (GROUP BY, window definitions) */
  oql_srf_spec *srfs;
  int nsrfs, srfcap;
} oql_selctx;

void oql_scope_add(oql_binder *b, oql_scope *s, const char *qual, const char *name, int gid, orb_type type);
/* The same for a column of table t known by `qual` (its alias or its name). */
void oql_scope_add_table_col(oql_binder *b, oql_scope *s, const orb_table *t, const char *qual, int col, int gid);
/* The error for `qual.x` when no scope entry is called qual (42P01):
** "invalid reference" when qual is the name of a table its alias hides, as
** in PostgreSQL, else "missing FROM-clause entry". */
orb_status oql_missing_rte(const oql_selctx *c, const char *qual, int pos, orb_err *e);
int oql_selctx_new_gid(oql_selctx *c, const char *name);

/* Record that the statement depends on table t. */
void oql_binder_dep(oql_binder *b, orb_table *t);
/* Table by name, with the PostgreSQL error (42P01) at pos. */
orb_status oql_binder_table(oql_binder *b, const char *name, int pos, orb_table **out, orb_err *e);
/* 42501 for a system table (binder.h) named by a user's statement. */
orb_status oql_check_not_system(oql_binder *b, const char *name, int pos, orb_err *e);

/* Whether e is an untyped literal or a parameter of unknown type. */
bool oql_is_unknown(const orb_expr *x);
/* Give x type t: converts an unknown literal (input syntax of t), fixes an
** unknown parameter's type, or wraps x in a CAST when its type differs. */
orb_status oql_coerce(oql_binder *b, orb_expr **x, orb_type t, orb_err *e);
/* Like oql_coerce for assignment to a column: errors (42804) when no
** assignment cast exists. colname for the message. */
orb_status oql_coerce_assign(oql_binder *b, orb_expr **x, orb_type t, const char *colname, orb_err *e);
/* Bring both operands to a common type (comparison, CASE, IN, COALESCE...).
** Unknowns take the other side's type; two unknowns become text. */
orb_status oql_unify(oql_binder *b, orb_expr **x, orb_expr **y, int pos, orb_err *e);
orb_status oql_unify_list(oql_binder *b, orb_expr **xs, int n, int pos, orb_type *out, orb_err *e);
/* Require a boolean operand (`what` names the construct: "AND", "WHERE"). */
orb_status oql_require_bool(oql_binder *b, orb_expr **x, const char *what, orb_err *e);

/* Constructors. */
orb_expr *oql_mk_const(oql_binder *b, orb_value v, orb_type t, int pos);
orb_expr *oql_mk_cmp(oql_binder *b, orb_cmp_op op, orb_expr *l, orb_expr *r, int pos);
orb_expr *oql_mk_bool2(oql_binder *b, orb_expr_kind kind, orb_expr *l, orb_expr *r);

/* Append the size-byte item x to the arena array v of *n items (capacity
** *cap, doubled when full): the array, moved when it grew (the item is at
** index *n - 1 after the call). */
void *oql_arena_append(orb_arena *a, void *v, int *n, int *cap, const void *x, size_t size);

/* Structural equality of bound expressions (GROUP BY matching). */
bool oql_expr_same(const orb_expr *a, const orb_expr *b);
/* Rewrite a grouped query's expression into post-aggregate slots. */
orb_status oql_group_rewrite(oql_selctx *c, orb_expr **group, int ngroup, orb_expr **x, orb_err *e);

/* PostgreSQL's type name for messages ("integer", "text", "unknown"). */
const char *oql_type_name(oql_binder *b, const orb_expr *x);

/* Type of an integer/decimal literal written in SQL. */
orb_status oql_number_literal(oql_binder *b, const char *text, size_t n, int pos, orb_expr **out, orb_err *e);

#endif

/* --- expression builders (binder_expr.c): the AST walker calls these with
** already-bound operands; each checks and coerces types. ------------------ */
#ifndef ORB_QUERY_BINDER_BUILD_H
#define ORB_QUERY_BINDER_BUILD_H

orb_status oql_b_column(oql_selctx *c, const char *qual, const char *name, int pos, orb_expr **out, orb_err *e);
orb_expr *oql_b_param(oql_binder *b, int n /* 1-based */, int pos);
orb_expr *oql_b_string(oql_binder *b, const char *s, size_t n, int pos);
orb_expr *oql_b_null(oql_binder *b, int pos);
orb_expr *oql_b_bool(oql_binder *b, bool v, int pos);
orb_status oql_b_typed_literal(oql_binder *b, orb_type t, const char *s, size_t n, int pos, orb_expr **out,
                               orb_err *e);
orb_status oql_b_cmp(oql_binder *b, orb_cmp_op op, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_arith(oql_binder *b, orb_arith_op op, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_concat(oql_binder *b, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_neg(oql_binder *b, orb_expr *x, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_logic(oql_binder *b, orb_expr_kind kind /* AND, OR */, orb_expr *l, orb_expr *r, orb_expr **out,
                       orb_err *e);
orb_status oql_b_not(oql_binder *b, orb_expr *x, int pos, orb_expr **out, orb_err *e);
orb_expr *oql_b_is_null(oql_binder *b, orb_expr *x, bool negate, int pos);
/* which: 1 TRUE, 0 FALSE, 2 UNKNOWN */
orb_status oql_b_is_bool(oql_binder *b, orb_expr *x, int which, bool negate, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_distinct_from(oql_binder *b, orb_expr *l, orb_expr *r, bool negate, int pos, orb_expr **out,
                               orb_err *e);
orb_status oql_b_in(oql_binder *b, orb_expr *x, orb_expr **list, int n, bool negate, int pos, orb_expr **out,
                    orb_err *e);
orb_status oql_b_between(oql_binder *b, orb_expr *x, orb_expr *lo, orb_expr *hi, bool negate, int pos,
                         orb_expr **out, orb_err *e);
orb_status oql_b_like(oql_binder *b, orb_expr *x, orb_expr *pat, bool icase, bool negate, int pos, orb_expr **out,
                      orb_err *e);
/* CASE [operand] WHEN w THEN t ... [ELSE el] END */
orb_status oql_b_case(oql_binder *b, orb_expr *operand, orb_expr **whens, orb_expr **thens, int n, orb_expr *el,
                      int pos, orb_expr **out, orb_err *e);
orb_status oql_b_coalesce(oql_binder *b, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e);
/* ROW(a, b, ...) / (a, b, ...): a record of the values (untyped literals are text). */
orb_status oql_b_row(oql_binder *b, orb_expr **items, int n, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_nullif(oql_binder *b, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_cast(oql_binder *b, orb_expr *x, orb_type t, int pos, orb_expr **out, orb_err *e);
/* Scalar function or aggregate call (star: count(*)). */
orb_status oql_b_call(oql_selctx *c, const char *name, orb_expr **args, int n, bool distinct, bool star, int pos,
                      orb_expr **out, orb_err *e);
/* Aggregate call `name` with its FILTER condition (NULL: none, else bound
** by oql_walk_agg_filter) and ORDER BY keys (norder 0: none), registered
** with the select: its marker column. */
orb_status oql_b_agg(oql_selctx *c, const char *name, orb_expr **args, int n, bool distinct, bool star,
                     orb_expr *filter, const oql_agg_order *order, int norder, int pos, orb_expr **out, orb_err *e);
/* GROUPING(args), registered like an aggregate (its values per grouping set
** are filled in when the select is assembled). */
orb_status oql_b_grouping(oql_selctx *c, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e);
/* The FILTER (WHERE ...) of aggregate call x bound over the aggregate's
** input rows (*out NULL when it has none): boolean, with PostgreSQL's errors
** for an aggregate (42803), window function (42P20) or set-returning
** function (0A000) inside it. */
struct oql_expr_ast;
orb_status oql_walk_agg_filter(oql_selctx *c, const struct oql_expr_ast *x, orb_expr **out, orb_err *e);
/* Whether two aggregates compute the same thing (one is computed for both). */
bool oql_agg_spec_same(const oql_agg_spec *x, const oql_agg_spec *y);
/* Whether name is an aggregate function. */
bool oql_is_agg_name(const char *name);
/* The aggregate `name` of bound args (arguments coerced, result type as
** PostgreSQL's), not registered with any select. */
orb_status oql_agg_spec_make(oql_binder *b, const char *name, orb_expr **args, int n, bool distinct, bool star,
                             int pos, oql_agg_spec *out, orb_err *e);
/* Window functions (binder_window.c): whether name is one that exists only
** as a window function (row_number, rank, lag, ...), and the binding of a
** call with OVER, which registers the function (and its window) with the
** select and gives a marker column (bound.h OQL_WIN_MARK). */
bool oql_is_window_name(const char *name);
struct oql_expr_ast;
orb_status oql_walk_window_call(oql_selctx *c, const struct oql_expr_ast *x, orb_expr **out, orb_err *e);
/* 42P20 when a select's WINDOW clause names a window twice. */
struct oql_select_ast;
orb_status oql_check_window_clause(const struct oql_select_ast *s, orb_err *e);
/* 42883 "function name(types) does not exist" for these arguments, at pos. */
orb_status oql_no_function(oql_binder *b, const char *name, orb_expr *const *args, int n, int pos, orb_err *e);
/* Leave out of a function's arguments the parameters declared void: JDBC's {? = call f(?)}
** sends its OUT parameter so, and PostgreSQL drops them too.  The count kept. */
int oql_drop_void_params(orb_expr **args, int n);
/* Set-returning functions of a select list (binder_srf.c): unnest, _pg_expandarray. */
bool oql_is_srf_name(const char *name);
/* regexp_matches / regexp_split_to_table: the array function whose elements are their rows (else NULL),
** and the bound call of it (*elem: the type of a row). */
const char *oql_regexp_srf_array(const char *name);
orb_status oql_b_regexp_srf_array(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                                  orb_type *elem, orb_err *e);
/* A call of one: the column of its rows (a new gid, recorded in c->srfs). */
orb_status oql_b_srf(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e);
/* Whether bound expression x uses the rows of one of c's set-returning functions. */
bool oql_uses_srf(const oql_selctx *c, const orb_expr *x);
/* Whether bound expression x reads column gid. */
bool oql_uses_gid(const orb_expr *x, int gid);
/* (rec).name: a field of a record (types.h). */
orb_status oql_b_field(oql_binder *b, orb_expr *rec, const char *name, int pos, orb_expr **out, orb_err *e);
/* Arrays (binder_array.c): ARRAY[items], arr[k], l op ANY|ALL (arr), || with an array operand. */
orb_status oql_b_array(oql_binder *b, orb_expr **items, int n, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_subscript(oql_binder *b, orb_expr *arr, orb_expr *k, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_any(oql_binder *b, orb_cmp_op op, bool all, orb_expr *l, orb_expr *arr, int pos, orb_expr **out,
                     orb_err *e);
bool oql_is_array_operand(const orb_expr *x);
/* The json operators (binder_json.c): op is an oql_binop (OQL_OP_JSON_*, or
** OQL_OP_SUB / OQL_OP_CONCAT with a jsonb left operand). */
orb_status oql_b_json_op(oql_binder *b, int op, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e);
bool oql_is_jsonb_operand(const orb_expr *x);
/* Whether l @> r / l <@ r is json's rather than the arrays': a json/jsonb left operand, or an
** untyped one beside a json/jsonb right operand. */
bool oql_is_json_operand_pair(const orb_expr *l, const orb_expr *r);
orb_status oql_b_array_concat(oql_binder *b, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e);
/* a @> b, a <@ b, a && b (op is the spelling): both sides arrays of one element type. */
orb_status oql_b_array_set_op(oql_binder *b, const char *op, orb_expr *l, orb_expr *r, int pos, orb_expr **out,
                              orb_err *e);
/* Finish an expression: unknown literals become text; constant folding. */
orb_status oql_b_finish(oql_binder *b, orb_expr **x, orb_err *e);

#endif

/* --- FROM items (binder_from.c) ------------------------------------------- */
oql_from *oql_from_table(oql_selctx *c, orb_table *t, const char *alias);
/* A FROM item of a WITH query's rows (kind OQL_FROM_CTE or OQL_FROM_WORKTABLE,
** whose cte_buf / worktable the caller sets): columns named and typed so. */
oql_from *oql_from_cte_rows(oql_selctx *c, oql_from_kind kind, int ncols, const orb_type *types,
                            const char *const *names, const char *alias, const char *const *colnames, int ncolnames);
oql_from *oql_from_subquery(oql_selctx *c, oql_bselect *sub, const char *alias, const char *const *colnames,
                            int ncolnames);
/* generate_series' arguments bound: the type of its rows (integers, the wider
** of the two, or timestamps with an interval step) and the coerced start,
** stop and step (NULL: 1).  42883 for types it does not take. */
orb_status oql_series_args(oql_binder *b, orb_expr **args, int n, int pos, orb_type *type, orb_expr **start,
                           orb_expr **stop, orb_expr **step, orb_err *e);
orb_status oql_from_series(oql_selctx *c, orb_expr **args, int n, const char *alias, const char *const *colnames,
                           int ncolnames, int pos, oql_from **out, orb_err *e);
/* An unnest FROM item over array arg (bound, finished) with ncols columns (records' fields when ncols > 1). */
oql_from *oql_from_unnest_cols(oql_selctx *c, orb_expr *arg, int ncols, const orb_type *types, const char *const *names,
                               const char *alias, const char *const *colnames, int ncolnames);
/* json's set-returning functions (binder_json.c): json_each & co in FROM, and their names. */
bool oql_is_json_srf_name(const char *name);
orb_status oql_from_json_srf(oql_selctx *c, oql_selctx *fc, const char *fn, orb_expr **args, int nargs, const char *alias,
                             const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e);
orb_status oql_from_unnest(oql_selctx *c, const char *fname, orb_expr **args, int n, const char *alias, const char *const *colnames,
                           int ncolnames, int pos, oql_from **out, orb_err *e);
orb_status oql_from_values(oql_selctx *c, orb_expr ***rows, int nrows, int ncols, const char *alias,
                           const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e);
/* The same with the column types given (rows are coerced to them; no row is needed). */
orb_status oql_from_values_typed(oql_selctx *c, orb_expr ***rows, int nrows, int ncols, const orb_type *types,
                                 const char *alias, const char *const *colnames, int ncolnames, int pos,
                                 oql_from **out, orb_err *e);
oql_from *oql_from_join(oql_selctx *c, oql_join_type jt, oql_from *l, oql_from *r, orb_expr *cond);

/* --- SELECT assembly (binder_select.c) ------------------------------------- */
typedef struct oql_select_items {
  orb_expr **exprs;
  const char **names;
  int n, cap;
} oql_select_items;

typedef struct oql_select_parts {
  oql_from *from;
  orb_expr *where;
  orb_expr **group;
  int ngroup;
  uint64_t *sets;                /* grouping sets as masks of group[]; nsets 0: plain GROUP BY */
  int nsets;
  orb_expr *having;              /* gids with aggregate markers */
  oql_select_items items;        /* visible items then hidden ORDER BY keys */
  int nvisible;
  bool distinct;
  oql_lock_target *locks;        /* FOR UPDATE/SHARE: the tables' rows to lock */
  int nlocks;
  int *distinct_on;              /* DISTINCT ON keys: slots of items */
  int ndistinct_on;
  oql_sort_key *sort;
  int nsort;
  int first_hidden_pos;
  orb_expr *limit, *offset;
} oql_select_parts;

void oql_select_items_init(oql_select_items *it);
void oql_select_items_add(oql_binder *b, oql_select_items *it, orb_expr *x, const char *name);
/* binder_sequence.c: CREATE SEQUENCE; whether a type name is serial's
** (*base its integer type); a serial / identity column's sequence, named
** and added to out, and its DEFAULT text. */
orb_status oql_bind_create_sequence(oql_binder *b, const struct oql_stmt_ast *ast, oql_bstmt *out, orb_err *e);
bool oql_serial_type(const char *name, const char **base);
/* UPDATE of column col of t to a value (not DEFAULT): 428C9 for a GENERATED ALWAYS identity column. */
orb_status oql_check_identity_update(const orb_table *t, int col, int pos, orb_err *e);
orb_status oql_bind_serial(oql_binder *b, oql_bstmt *out, const struct oql_seq_ast *opts, const char *table,
                           const char *col, const char *type,
                           int pos, const char **default_sql, orb_err *e);

/* The expression a scope column stands for: its column, or a copy of its
** merged expression (USING). */
orb_expr *oql_scope_col_expr(oql_binder *b, const oql_scope_col *sc, int pos);
/* Append the columns of `*` or `qual.*`. */
orb_status oql_expand_star(oql_selctx *c, const char *qual, int pos, oql_select_items *it, orb_err *e);
/* Index of the visible output named `name`, -1 if none. */
int oql_find_output(const oql_select_items *it, int nvisible, const char *name, bool *ambiguous);
/* Index of an output equal to x, appending x as a hidden output if none. */
int oql_match_or_add_output(oql_binder *b, oql_select_items *it, orb_expr *x);
orb_status oql_select_assemble(oql_selctx *c, oql_select_parts *p, oql_bselect **out, orb_err *e);

/* --- DML helpers (binder_dml.c) ---------------------------------------------- */
void oql_selctx_init(oql_selctx *c, oql_binder *b);
/* Put a table's columns in scope with gid == schema position (the first table added). */
void oql_scope_table(oql_selctx *c, orb_table *t, const char *qual);
/* Target columns of an INSERT (names NULL: all, in schema order) as schema positions. */
orb_status oql_insert_columns(oql_binder *b, orb_table *t, const char *const *names, const int *pos, int n,
                              int **cols, int *ncols, orb_err *e);
/* Source of INSERT ... VALUES: rows[r][i] for cols[i] (NULL entry = DEFAULT). */
orb_status oql_insert_values(oql_binder *b, orb_table *t, const int *cols, int ncols, orb_expr ***rows,
                             const int *rowlen, const int *rowpos, int nrows, orb_expr **defaults, oql_op **source,
                             orb_err *e);
/* Source of INSERT ... SELECT: a projection over the planned select. */
orb_status oql_insert_select(oql_binder *b, orb_table *t, const int *cols, int ncols, oql_op *sel, int nvisible,
                             int pos, orb_expr **defaults, oql_op **source, orb_err *e);

/* --- the AST walker (binder_walk_expr.c, binder_walk_select.c, binder_stmt.c) --
** Walks parse trees (ast.h) bottom-up, calling the builders above. */
#ifndef ORB_QUERY_BINDER_WALK_H
#define ORB_QUERY_BINDER_WALK_H

#include "query/ast.h"

/* Bind an expression in the select context c (its scope, aggregate rules).
** The result is finished (oql_b_finish): unknown literals settled, folded. */
orb_status oql_walk_expr(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e);
/* The same without finishing (operands of enclosing builders). */
orb_status oql_walk_operand(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e);
/* Resolve a written type name; errors at its position. */
orb_status oql_walk_type(oql_binder *b, const oql_typename *tn, orb_type *out, orb_err *e);
/* Bind a select list (or RETURNING list) into it: `*` expanded, names as PostgreSQL gives them. */
orb_status oql_walk_targets(oql_selctx *c, const oql_target *targets, int n, oql_select_items *it, orb_err *e);
/* One FROM item (a table, subquery, function, VALUES, join): its columns
** join c's scope. */
orb_status oql_walk_from_item(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e);
/* UPDATE's SET list in scope c (target t's columns at their gids): the
** columns and their new values, coerced to the columns' types. */
orb_status oql_walk_sets(oql_selctx *c, orb_table *t, const char *qual, const oql_set_ast *sets, int n, int **cols, orb_expr ***exprs,
                         orb_err *e);
/* binder_modify_from.c: UPDATE t ... FROM items / DELETE FROM t USING items,
** after t's checks (oql_bind_modify). */
orb_status oql_bind_modify_from(oql_binder *b, const oql_stmt_ast *ast, orb_table *t, const char *qual,
                                oql_bstmt *out, orb_err *e);

/* binder_lock.c: the locking clauses of select s (after its ORDER BY), and
** the refusal of any on a set operation. */
orb_status oql_walk_locking(oql_selctx *c, const oql_select_ast *s, oql_select_parts *p, orb_err *e);
orb_status oql_refuse_set_op_locking(const oql_select_ast *s, orb_err *e);

/* binder_view.c: CREATE [OR REPLACE] VIEW; view t read as FROM item f. */
orb_status oql_bind_create_view(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e);
orb_status oql_from_view(oql_selctx *c, orb_table *t, const oql_from_ast *f, oql_from **out, orb_err *e);
/* ALTER TABLE ADD [CONSTRAINT name] CHECK (cond) on t: checked, *name its name. */
orb_status oql_bind_alter_check(oql_binder *b, const orb_table *t, const oql_check_ast *ck, const char **name, orb_err *e);
/* binder_check.c: CREATE TABLE's CHECK constraints, checked, named and added to s. */
orb_status oql_bind_create_checks(oql_binder *b, const oql_create_ast *cr, orb_schema *s, orb_err *e);

/* Bind a whole SELECT (with its own scope and gids). */
orb_status oql_walk_select(oql_binder *b, const oql_select_ast *s, oql_bselect **out, orb_err *e);
/* Bind a SELECT and plan it: the root operator, its visible column count and names. */
orb_status oql_walk_query(oql_binder *b, const oql_select_ast *s, oql_op **root, int *nvisible,
                          const char ***names, orb_err *e);
/* oql_walk_query of a statement's SELECT, also filling origins->origin_table/origin_col. */
orb_status oql_walk_query_origins(oql_binder *b, const oql_select_ast *s, oql_op **root, int *nvisible,
                                  const char ***names, oql_bstmt *origins, orb_err *e);
/* WITH queries (binder_cte.c).  oql_with_push binds a WITH clause's
** queries and puts them in scope (rebind: every reference binds its query
** again, for UPDATE / DELETE, whose plans have no place to keep rows);
** oql_with_pop takes them out of scope and gives `owner`, the select the
** WITH belongs to (NULL after an error), the ones it materializes. */
typedef struct oql_cte_scope {
  struct oql_cte_scope *up;
  struct oql_cte_entry *v;
  int n;
  bool rebind;
} oql_cte_scope;
orb_status oql_with_push(oql_binder *b, const oql_with_ast *w, const oql_select_ast *body, bool rebind,
                         oql_cte_scope *sc, orb_err *e);
void oql_with_pop(oql_binder *b, oql_cte_scope *sc, oql_bselect *owner);
/* FROM item f naming a WITH query in scope: *out (NULL when none is called so). */
orb_status oql_cte_from(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e);
/* A recursive term's self-reference where it may not be: `where` is
** "within an outer join", "within INTERSECT", ... (42P19). */
orb_status oql_cte_misplaced(oql_binder *b, const char *where, int pos, orb_err *e);
/* Statement kinds (binder_stmt_dml.c, binder_stmt_ddl.c). */
orb_status oql_bind_insert(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e);
orb_status oql_bind_modify(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e);
orb_status oql_bind_ddl(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e);
/* CALL expire_snapshots / remove_orphan_files (binder_maint.c). */
orb_status oql_bind_call(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e);
/* The folder of the owned Iceberg table `name`, which `what` maintains;
** external (25006) and ordinary (42809) tables are refused. */
orb_status oql_bind_maint_table(oql_binder *b, const char *name, int pos, const char *what, const char **dir,
                                orb_err *e);
/* Constants for the rows of catalog-like tables (binder_catalog.c): a
** BIGINT (NULL unless present), a TEXT (NULL for s == NULL); the served
** database's name (its directory's). */
orb_expr *oql_const_int(oql_binder *b, int64_t v, bool present, int pos);
orb_expr *oql_const_text(oql_binder *b, const char *s, int pos);
const char *oql_database_name(oql_binder *b);
/* A FROM item of constant rows with named columns (an alias's column list
** renames them). */
orb_status oql_from_named_rows(oql_selctx *c, orb_expr ***rows, int nrows, const char *const *cols, int ncols,
                               const char *alias, const char *const *colnames, int ncolnames, int pos, oql_from **out,
                               orb_err *e);
/* Rows of a pg_catalog table under construction (binder_catalog*.c): columns
** with a kind each ('o' oid as bigint, 'i' integer, 's' smallint, 'f' real,
** 'b' boolean, 't' text/name, 'c' "char" as text, 'z' timestamptz, 'O' oid[],
** 'S' int2[] (int2vector), 'T' text[]); cells start NULL and are set by
** column name. */
typedef struct oql_cat_col {
  const char *name;
  char kind;
} oql_cat_col;
typedef struct oql_cat_rows {
  oql_binder *b;
  const oql_cat_col *cols;
  int ncols;
  orb_value **rows;
  int n, cap;
} oql_cat_rows;
void oql_cat_init(oql_cat_rows *r, oql_binder *b, const oql_cat_col *cols, int ncols);
orb_value *oql_cat_row(oql_cat_rows *r);
int oql_cat_colpos(const oql_cat_rows *r, const char *name);
void oql_cat_int(const oql_cat_rows *r, orb_value *row, const char *col, int64_t v);
void oql_cat_bool(const oql_cat_rows *r, orb_value *row, const char *col, bool v);
void oql_cat_text(const oql_cat_rows *r, orb_value *row, const char *col, const char *s);
void oql_cat_ints(const oql_cat_rows *r, orb_value *row, const char *col, orb_type_id elem, const int64_t *v, int n);
/* The same as an int2vector / oidvector (subscripts from 0). */
void oql_cat_vector(const oql_cat_rows *r, orb_value *row, const char *col, orb_type_id elem, const int64_t *v, int n);
/* The FROM item of the rows, typed by the columns' kinds. */
/* tableoid >= 0 adds the system column tableoid with that value to every row. */
orb_status oql_cat_from(oql_selctx *c, oql_cat_rows *r, int64_t tableoid, const char *alias,
                        const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e);
/* PostgreSQL's fixed OID of catalog `name` (pg_class 1259, ...); 0 when it has none here. */
int64_t oql_catalog_oid(const char *name);
/* pg_class.oid of a table (its primary key index is that + 1, the key's constraint + 2). */
int64_t oql_cat_table_oid(const orb_table *t);
/* Every index of the user tables as the catalogs show it: the primary
** key's ("<table>_pkey": OIDs table + 1 and, its constraint, + 2) and the
** schema's secondary and UNIQUE indexes (OIDs from 2^30 on, two per index:
** the index and its UNIQUE constraint, if any; an index's OID is its
** position in the table's schema, so it changes when an earlier one is
** dropped, as psql's \d re-reads it each time).  In the binder's arena. */
typedef struct oql_cat_index {
  orb_table *t;
  const char *name;
  int64_t oid, con_oid;      /* con_oid 0: no constraint owns it */
  bool primary, unique, nnd, hash;
  int ncols;
  int *cols;                 /* column positions */
  const uint8_t *opts;       /* ORB_IDX_* per column (PostgreSQL's indoption bits); NULL: none */
} oql_cat_index;
int oql_cat_indexes(oql_binder *b, oql_cat_index **out);
/* pg_get_indexdef's text (pretty: no "public." before the table). */
void oql_cat_indexdef(const oql_cat_index *ix, bool pretty, orb_buf *out);
/* pg_attribute, pg_attrdef, pg_index, pg_constraint, pg_type (binder_catalog_rel.c). */
bool oql_catalog_rel_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r));
/* pg_proc and pg_language (binder_catalog_proc.c). */
bool oql_catalog_proc_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r));
/* pg_settings, the session's settings (binder_catalog_settings.c). */
bool oql_catalog_settings_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r));
/* Catalogs of features Orbit does not have: always empty (binder_catalog_empty.c). */
bool oql_catalog_empty_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r));
/* PostgreSQL's display of a column default as pg_get_expr() prints it ('x'::text,
** now(), 1 + 2), from the text as written; NULL when the default is NULL (deparse.c). */
const char *oql_deparse_default(orb_arena *a, const char *sql, orb_type coltype);
/* pg_get_indexdef / pg_get_constraintdef, answered from the catalog (binder_catalog_funcs.c). */
bool oql_is_catalog_func(const char *name);
/* 'name'::regclass: the OID of table [public.]name (a number is taken as an OID itself). */
orb_status oql_b_regclass(oql_binder *b, const char *text, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_catalog_func(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                              orb_err *e);
/* regclass, regtype, regproc, regprocedure, regnamespace, regrole: OIDs (bigints) here.  A
** literal cast to one is looked up (oql_b_reg_in); an OID is shown as the name PostgreSQL prints
** (oql_b_reg_out) where the cast's value is output: a select-list item, or cast on to text. */
bool oql_is_reg_type(const char *name);
/* PostgreSQL's OID of array_in, pg_type.typinput of every array type. */
#define OQL_ARRAY_IN_OID 750
orb_status oql_b_reg_in(oql_binder *b, const char *type, const char *text, int pos, orb_expr **out, orb_err *e);
orb_status oql_b_reg_out(oql_binder *b, const char *type, orb_expr *x, int pos, orb_expr **out, orb_err *e);
/* pg_relation_size, pg_table_size, pg_indexes_size, pg_total_relation_size,
** pg_database_size: Orbit's figures at bind time (binder_catalog_size.c). */
bool oql_is_size_func(const char *name);
orb_status oql_b_size_func(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                           orb_err *e);
/* pg_catalog tables made from the catalog (binder_catalog.c). */
bool oql_is_catalog_table(const char *name);
orb_status oql_from_catalog(oql_selctx *c, const char *name, const char *alias, const char *const *colnames,
                            int ncolnames, int pos, oql_from **out, orb_err *e);
/* information_schema.schemata / tables / columns (binder_infoschema.c);
** name without the schema. */
bool oql_is_infoschema_table(const char *name);
orb_status oql_from_infoschema(oql_selctx *c, const char *name, const char *alias, const char *const *colnames,
                               int ncolnames, int pos, oql_from **out, orb_err *e);
/* read_parquet(files) (binder_parquet.c, exec_parquet.c): columns named and
** typed from the first file's footer when bound; the others must match. */
oql_from *oql_from_parquet_file(oql_selctx *c, const char **paths, int npaths, int ncols, orb_type *types, const char **names,
                                const char *alias, const char *const *colnames, int ncolnames);
/* parquet_file_metadata / parquet_schema / parquet_metadata / read_parquet
** (binder_parquet.c).  Their argument is a file name, a glob pattern, or
** (list) a bracketed list of either. */
bool oql_is_parquet_function(const char *name);
/* COPY t FROM 'file' (FORMAT parquet): a read_parquet scan of the file and
** its columns' names, as read_parquet would show them (binder_parquet.c). */
orb_status oql_copy_parquet_source(oql_binder *b, const char *path, int pos, oql_op **root, int *ncols,
                                   const char ***names, orb_err *e);
orb_status oql_from_parquet(oql_selctx *c, const char *fn, orb_expr **args, int nargs, bool list, const char *alias,
                            const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e);
/* iceberg_scan(table [, snapshot_id => id]) (binder_iceberg.c, exec_iceberg.c):
** an Iceberg table's rows, its columns those of the snapshot's schema,
** read from the table's metadata when bound. */
bool oql_is_iceberg_function(const char *name);
oql_from *oql_from_iceberg_table(oql_selctx *c, const char *where, int64_t snapshot, int ncols, orb_type *types,
                                 const char **names, const int32_t *field_ids, const char *alias,
                                 const char *const *colnames, int ncolnames);
struct ice_meta;
/* The FROM item reading snapshot `snapshot` (-1: the current one) of the
** Iceberg table at `where` whose metadata is m: its columns are the
** top-level fields of the schema the snapshot was written with (else the
** current schema), copied into the binder's arena. */
orb_status oql_from_iceberg_meta(oql_selctx *c, const struct ice_meta *m, const char *where, int64_t snapshot,
                                 const char *alias, const char *const *colnames, int ncolnames, oql_from **out,
                                 orb_err *e);
/* iceberg_scan(path [, snapshot_id => id]) [FOR ... AS OF x] (the FROM item f). */
orb_status oql_from_iceberg(oql_selctx *c, const char *fn, orb_expr **args, const struct oql_from_ast *f,
                            oql_from **out, orb_err *e);
/* Iceberg tables in SQL (binder_cold.c).  CREATE EXTERNAL TABLE: out->schema
** from the table's current Iceberg schema (field ids kept, identifier
** fields as the primary key), out->path its absolute location. */
struct oql_create_ast;
orb_status oql_bind_external(oql_binder *b, const struct oql_create_ast *cr, oql_bstmt *out, orb_err *e);
/* Writes to t (what: "insert into", "update", ...) refused for Iceberg tables
** that cannot take them, the error at pos. */
orb_status oql_binder_writable(oql_binder *b, const orb_table *t, const char *what, int pos, orb_err *e);
/* FROM t FOR SYSTEM_TIME AS OF x (kind 1) / FOR VERSION AS OF x (kind 2):
** the rows of the Iceberg table at `location` (named `name` in messages) at
** that snapshot; x is bound, the rest is f's. */
orb_status oql_from_iceberg_asof(oql_selctx *c, const char *location, const char *name, orb_expr *x,
                                 const struct oql_from_ast *f, oql_from **out, orb_err *e);
/* f's FOR ... AS OF expression, bound (it sees no FROM item). */
orb_status oql_walk_asof(oql_selctx *c, const struct oql_from_ast *f, orb_expr **out, orb_err *e);
/* The bound DEFAULT expression of column col of t (NULL constant when it has none). */
orb_status oql_column_default(oql_binder *b, orb_table *t, int col, orb_expr **out, orb_err *e);

#endif
