/*
** expr/expr.h — bound scalar expressions and their evaluation.
**
** The binder (query/) turns parsed SQL expressions into orb_expr trees whose
** every node has a resolved result type and whose column references are
** slots: positions in the input row the expression is evaluated against.
** The same tree is handed to every storage tier as a scan predicate (slots
** then index the table's columns in schema order), so this layer knows
** nothing of SQL text, catalogs or tiers.
**
** Semantics are PostgreSQL's: three-valued logic (AND/OR/NOT with NULL),
** comparisons with NULL yield NULL, IN with a NULL in the list, CASE,
** COALESCE, LIKE/ILIKE with '%', '_' and backslash escape, op ANY/ALL over
** an array (NULL when no element decides and one is NULL).
**
** Memory: trees are allocated from an arena (the statement's) and freed with
** it.  Evaluation writes its result to *out; strings it creates come from
** ctx->arena (reset by the caller between rows or batches).
*/
#ifndef ORB_EXPR_EXPR_H
#define ORB_EXPR_EXPR_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "types/types.h"

typedef enum orb_expr_kind {
  ORB_E_CONST,      /* value */
  ORB_E_COLUMN,     /* input row slot `slot` */
  ORB_E_PARAM,      /* statement parameter $n: slot = n-1 */
  ORB_E_CAST,       /* args[0] cast to type */
  ORB_E_ARITH,      /* args[0] op args[1] (op: orb_arith_op); unary minus: op = ORB_E_OP_NEG, nargs 1 */
  ORB_E_CMP,        /* args[0] op args[1] (op: orb_cmp_op); operands already of a common type */
  ORB_E_AND,        /* n-ary */
  ORB_E_OR,         /* n-ary */
  ORB_E_NOT,
  ORB_E_IS_NULL,    /* flags & ORB_EF_NEGATE: IS NOT NULL */
  ORB_E_IS_BOOL,    /* IS [NOT] TRUE/FALSE/UNKNOWN: op = 1 true, 0 false, 2 unknown */
  ORB_E_DISTINCT,   /* args[0] IS [NOT] DISTINCT FROM args[1] */
  ORB_E_IN,         /* args[0] IN (args[1..]); flags & ORB_EF_NEGATE: NOT IN */
  ORB_E_LIKE,       /* args[0] LIKE args[1]; flags: ORB_EF_NEGATE, ORB_EF_ICASE */
  ORB_E_CASE,       /* args: [when0, then0, when1, then1, ..., else?]; flags & ORB_EF_HAS_ELSE.
                       A CASE x WHEN v ... is bound as searched CASE with x = v tests. */
  ORB_E_COALESCE,   /* first non-NULL of args */
  ORB_E_NULLIF,
  ORB_E_FUNC,       /* builtin scalar function `func` applied to args */
  ORB_E_SUBLINK,    /* result of a subquery: op 0 its one value (scalar subquery), 1 EXISTS,
                       2 args[0] [NOT] IN its rows, 3 its rows as an array (ARRAY(subquery)).  Uncorrelated: run before the statement
                       (ctx->sublinks[slot]).  ORB_EF_CORRELATED: run for each row by
                       ctx->run_sublink with the values of its remaining args (the outer
                       columns it refers to) */
  ORB_E_OUTER,      /* inside a correlated subquery: the slot-th outer value it was run with
                       (ctx->outer) */
  ORB_E_ARRAY,      /* ARRAY[args...]: an array of type.elem (types/array.h); of type RECORD: ROW(args...),
                       a record of the values, value.u.i the mask of its untyped fields (orb_array) */
  ORB_E_ANY,        /* args[0] op ANY (args[1], an array) (op: orb_cmp_op); flags & ORB_EF_ALL: op ALL */
  ORB_E_SUBSCRIPT,  /* args[0][args[1]]: the element (1-based), NULL outside the array */
  ORB_E_FIELD,      /* (args[0]).field: field number `op` (0-based) of a record (types.h), NULL of a NULL record */
  ORB_E_ROW         /* a record of args' values in order: a whole-row reference (`SELECT t FROM t`) */
} orb_expr_kind;

typedef enum orb_cmp_op { ORB_CMP_EQ, ORB_CMP_NE, ORB_CMP_LT, ORB_CMP_LE, ORB_CMP_GT, ORB_CMP_GE } orb_cmp_op;
/* The operator with its operands swapped: `k < col` is `col > k`. */
static inline int orb_cmp_commute(int op) {
  return op == ORB_CMP_LT ? ORB_CMP_GT : op == ORB_CMP_LE ? ORB_CMP_GE : op == ORB_CMP_GT ? ORB_CMP_LT
       : op == ORB_CMP_GE ? ORB_CMP_LE : op;
}
#define ORB_E_OP_NEG 100  /* ORB_E_ARITH unary minus */
#define ORB_E_OP_CONCAT 101 /* ORB_E_ARITH string concatenation || */

#define ORB_EF_NEGATE   0x1
#define ORB_EF_ICASE    0x2
#define ORB_EF_HAS_ELSE 0x4
#define ORB_EF_ASSIGN   0x8   /* CAST: assignment to a column (VARCHAR(n) errors instead of truncating) */
#define ORB_EF_CORRELATED 0x10 /* SUBLINK: refers to columns of the query around it */
#define ORB_EF_ALL      0x20  /* ANY: x op ALL (array) */

struct orb_func;
typedef struct orb_expr {
  uint8_t kind;         /* orb_expr_kind */
  uint8_t op;           /* kind-specific operator */
  uint16_t flags;
  orb_type type;        /* result type */
  int pos;              /* 1-based byte offset in the statement (for errors), 0 = none */
  int slot;             /* COLUMN: input slot; PARAM: parameter index (0-based) */
  int nargs;
  struct orb_expr **args;
  orb_value value;      /* CONST */
  const struct orb_func *func; /* FUNC */
  void *cache;          /* evaluator-private: an IN list's hash set, or a regexp function's compiled
                           constant pattern (handed to it as ctx->fn_cache), built by orb_expr_fold /
                           orb_expr_clone in the tree's arena and only read by evaluation (so one
                           tree may be evaluated by several threads).  Copying a node by hand must
                           set it to NULL; evaluation then searches the list linearly. */
} orb_expr;

/* What an uncorrelated subquery produced (its first column), computed once
** per execution by the query layer before the statement runs. */
typedef struct orb_sublink_result {
  int64_t nrows;
  orb_value *rows;            /* nrows values (the subquery's only column) */
  bool any_null;              /* some row is NULL (IN's three-valued answer) */
} orb_sublink_result;

/* Everything an evaluation may need besides the row. */
/* The settings of the session a statement runs in (the query layer's
** sessions implement it), for current_setting() and set_config().
** Names are case-insensitive; values come back as SHOW prints them, valid
** until the setting changes.  get: an unknown name is 42704
** ("unrecognized configuration parameter"), or *value = NULL when
** missing_ok.  set: value NULL means the default; is_local limits the
** change to the current transaction (SET LOCAL); *value gets the new value. */
/* Sequence functions: what the session does for them (query/session_seq.c). */
typedef enum orb_seq_op { ORB_SEQ_NEXTVAL, ORB_SEQ_CURRVAL, ORB_SEQ_SETVAL, ORB_SEQ_LASTVAL } orb_seq_op;

typedef struct orb_settings {
  void *env;
  orb_status (*get)(void *env, const char *name, bool missing_ok, const char **value, orb_err *e);
  orb_status (*set)(void *env, const char *name, const char *value, bool is_local, const char **out, orb_err *e);
  /* nextval / currval / setval (v, called) / lastval of the sequence named
  ** name[0..n) (none for lastval); *out its value */
  orb_status (*seq)(void *env, orb_seq_op op, const char *name, size_t n, int64_t v, bool called, int64_t *out, orb_err *e);
} orb_settings;

typedef struct orb_eval_ctx {
  orb_arena *arena;           /* for values created during evaluation */
  const orb_value *params;    /* $1.. values (NULL if none) */
  int nparams;
  int64_t stmt_time;          /* statement start, microseconds since epoch UTC (now()) */
  const orb_sublink_result *sublinks;   /* ORB_E_SUBLINK values (NULL if none) */
  int nsublinks;
  /* correlated subqueries: run subquery `slot` with these outer values (the
  ** query layer's executor); its result stays valid until the next run */
  orb_status (*run_sublink)(void *env, int slot, const orb_value *outer, int nouter, const orb_sublink_result **res,
                            orb_err *e);
  void *sublink_env;
  const orb_value *outer;     /* ORB_E_OUTER values while a correlated subquery runs */
  int nouter;
  const orb_settings *settings;   /* the session's (NULL: none, e.g. constant folding) */
  /* whether the statement must stop (cancelled, out of time): an error then; a function
  ** that waits (pg_sleep) asks while it waits.  NULL: never */
  orb_status (*check_interrupt)(void *env, orb_err *e);
  void *interrupt_env;
  /* while a function call is evaluated: what was prepared for that call node
  ** (its `cache`, e.g. a compiled constant regular expression), else NULL */
  const void *fn_cache;
} orb_eval_ctx;

/* --- construction (arena-allocated) --------------------------------------- */
orb_expr *orb_expr_new(orb_arena *a, orb_expr_kind kind, orb_type type, int nargs);
orb_expr *orb_expr_const(orb_arena *a, orb_value v, orb_type type);
orb_expr *orb_expr_column(orb_arena *a, int slot, orb_type type);
/* Deep copy (for plans that keep a predicate beyond the statement arena). */
orb_expr *orb_expr_clone(orb_arena *a, const orb_expr *e);
/* Replace column slots: slot s becomes map[s] (for pushing expressions through projections). */
void orb_expr_remap(orb_expr *e, const int *map);

/* --- evaluation ------------------------------------------------------------ */
orb_status orb_expr_eval(orb_expr *e, const orb_eval_ctx *ctx, const orb_value *row, orb_value *out,
                         orb_err *err);
/* True when e reads no row, parameter or subquery: it can be evaluated
** with no row at all (now() and random() included). */
bool orb_expr_is_closed(const orb_expr *e);
/* Evaluate a predicate: *result = 1 true, 0 false or NULL (WHERE semantics). */
orb_status orb_expr_test(orb_expr *e, const orb_eval_ctx *ctx, const orb_value *row, bool *result,
                         orb_err *err);
/* Fold constant subtrees (no COLUMN/PARAM, no volatile function) into CONST nodes,
** allocated from `a`, which must live as long as the tree.  An error while
** evaluating a constant subtree is returned (PostgreSQL's SELECT 1/0 fails at
** once, with or without rows); branches of CASE/COALESCE that a constant
** condition skips are not evaluated.  Also prepares long IN lists (see cache). */
orb_status orb_expr_fold(orb_arena *a, orb_expr **e, const orb_eval_ctx *ctx, orb_err *err);

/* --- analysis for pushdown ------------------------------------------------- */

/* Split a predicate into its top-level AND conjuncts (out is arena-allocated). */
int orb_expr_conjuncts(orb_arena *a, orb_expr *pred, orb_expr ***out);
/* If the predicate pins column `slot` to a finite set of constants (col = c,
** col IN (c1, c2...), possibly among other AND-ed conjuncts), return the set in
** *vals (arena-allocated, duplicates removed, NULLs dropped) and true.  Constants
** are cast to the column's type; PARAM values from ctx count as constants. */
bool orb_expr_pinned_values(orb_arena *a, orb_expr *pred, int slot, const orb_eval_ctx *ctx,
                            orb_value **vals, int *nvals);
/* Whether the expression references no column slots. */
bool orb_expr_is_rowless(const orb_expr *e);

/* Print the expression in SQL-like form for EXPLAIN; names[slot] gives column names (may be NULL: "$slot"). */
void orb_expr_format(const orb_expr *e, const char *const *names, orb_buf *out);

#endif
