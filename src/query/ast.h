/*
** query/ast.h — the parse tree of OrbitQL statements.
**
** The parser (parser.h) turns SQL text into these structures; the binder
** (binder.h) walks them, resolving names and types.  The tree says only
** what was written: no catalog knowledge, no types beyond the names the
** user wrote.  Identifiers are already case-folded (unquoted names to lower
** case, quoted names kept as written, "" inside quotes unescaped); string
** literals are already unescaped.
**
** Every node carries `pos`: the 1-based byte offset of its first token in
** the statement text, so that errors can point at it.
**
** Everything is allocated from the arena given to oql_parse() and dies with
** it.  Lists are arrays with a count.
*/
#ifndef ORB_QUERY_AST_H
#define ORB_QUERY_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/binder.h" /* oql_skind, oql_alter_kind */

/* --- type names --------------------------------------------------------- */

/* A type as written: name lower-cased with multi-word names joined by one
** space ("double precision", "timestamp with time zone", "character
** varying"), modifiers in parentheses, "[]" appended for an array type
** (int2[]).  Resolved by orb_type_from_name(). */
typedef struct oql_typename {
  const char *name;
  int32_t mods[2];
  int nmods;
  int pos;
} oql_typename;

/* --- expressions ---------------------------------------------------------- */

/* A transaction's access mode as BEGIN / SET TRANSACTION say it (0: not said). */
enum { OQL_READ_ONLY = 1, OQL_READ_WRITE = 2 };

typedef enum oql_ekind {
  OQL_X_COLUMN,     /* [qual.]name */
  OQL_X_STAR,       /* * or qual.* (select list and count(*) only) */
  OQL_X_PARAM,      /* $n: ival = n (1-based) */
  OQL_X_NUMBER,     /* numeric literal: text/len as written ("42", "1.5", "1e3") */
  OQL_X_STRING,     /* 'text' literal (type unknown until context decides) */
  OQL_X_NULL,
  OQL_X_BOOL,       /* TRUE/FALSE: ival 1/0 */
  OQL_X_TYPED,      /* typename 'text' (DATE '2026-01-01', INTERVAL '1' YEAR): tname, text/len, unit;
                       ival = the string's position */
  OQL_X_BINARY,     /* l op r */
  OQL_X_UNARY,      /* op l: OQL_OP_NEG, OQL_OP_PLUS, OQL_OP_NOT */
  OQL_X_IS,         /* l IS [NOT] NULL/TRUE/FALSE/UNKNOWN: ival = OQL_IS_*, negate */
  OQL_X_DISTINCT,   /* l IS [NOT] DISTINCT FROM r (negate: IS NOT DISTINCT FROM) */
  OQL_X_IN,         /* l [NOT] IN (list), or l [NOT] IN (sub) */
  OQL_X_BETWEEN,    /* l [NOT] BETWEEN list[0] AND list[1] */
  OQL_X_LIKE,       /* l [NOT] LIKE/ILIKE r (icase for ILIKE) */
  OQL_X_CASE,       /* CASE [l] WHEN list[2i] THEN list[2i+1] ... [ELSE r] END */
  OQL_X_CAST,       /* CAST(l AS tname), l::tname */
  OQL_X_SUBQUERY,   /* (SELECT ...) as a value: sub */
  OQL_X_EXISTS,     /* EXISTS (SELECT ...): sub */
  OQL_X_ARRAY,      /* ARRAY[list] (sub NULL), ARRAY(SELECT ...): sub */
  OQL_X_SUBSCRIPT,  /* l[r]: an array's element */
  OQL_X_FIELD,      /* (l).name: a field of a composite (record) value */
  OQL_X_ANY,        /* l op ANY/SOME (r) or l op ALL (r) (ival 1), r an array expression, or
                       l op ANY/ALL (SELECT ...): sub; op a comparison */
  OQL_X_CALL        /* name(list) incl. count(*) (star), count(DISTINCT x), coalesce, nullif,
                       extract(field FROM x) -> name "extract" with list[0] an OQL_X_STRING field
                       name in lower case, substring(x FROM a FOR b) -> "substring"(x, a, b),
                       position(a IN b) -> "position"(a, b), trim([LEADING|TRAILING|BOTH] [c] FROM x)
                       -> "btrim"/"ltrim"/"rtrim"(x [, c]), CURRENT_DATE/CURRENT_TIMESTAMP/
                       LOCALTIMESTAMP -> calls with no arguments, (a, b, ...) -> "row"(a, b, ...) */
} oql_ekind;

typedef enum oql_binop {
  OQL_OP_ADD, OQL_OP_SUB, OQL_OP_MUL, OQL_OP_DIV, OQL_OP_MOD, OQL_OP_POW,
  OQL_OP_CONCAT,                                         /* || */
  OQL_OP_EQ, OQL_OP_NE, OQL_OP_LT, OQL_OP_LE, OQL_OP_GT, OQL_OP_GE,
  OQL_OP_AND, OQL_OP_OR,
  OQL_OP_NEG, OQL_OP_PLUS, OQL_OP_NOT,                   /* unary */
  OQL_OP_BITAND, OQL_OP_BITOR,                           /* & | (integers) */
  OQL_OP_CONTAINS, OQL_OP_CONTAINED, OQL_OP_OVERLAP,     /* @> <@ && (arrays; jsonb's @> <@ too: binder_json.c) */
  /* json operators (binder_json.c): -> ->> #> #>> ? ?| ?& #-, and @> <@ once the binder sees a jsonb operand */
  OQL_OP_JSON_GET, OQL_OP_JSON_GET_TEXT, OQL_OP_JSON_PATH, OQL_OP_JSON_PATH_TEXT, OQL_OP_JSON_CONTAINS,
  OQL_OP_JSON_CONTAINED, OQL_OP_JSON_EXISTS, OQL_OP_JSON_EXISTS_ANY, OQL_OP_JSON_EXISTS_ALL, OQL_OP_JSON_DELETE_PATH
} oql_binop;

enum { OQL_IS_NULL, OQL_IS_TRUE, OQL_IS_FALSE, OQL_IS_UNKNOWN };

typedef struct oql_expr_ast oql_expr_ast;
typedef struct oql_window_ast oql_window_ast;
struct oql_expr_ast {
  oql_ekind kind;
  int pos;
  oql_binop op;              /* BINARY, UNARY */
  bool negate;               /* IS NOT, NOT IN, NOT BETWEEN, NOT LIKE, IS NOT DISTINCT FROM */
  bool icase;                /* ILIKE */
  bool distinct;             /* CALL: agg(DISTINCT x) */
  bool star;                 /* CALL: count(*) */
  int64_t ival;              /* PARAM number, BOOL value, IS kind */
  const char *qual;          /* COLUMN/STAR qualifier (NULL if none) */
  const char *name;          /* COLUMN name, CALL function name (lower case) */
  const char *text;          /* NUMBER, STRING, TYPED: literal text (NUL-terminated too) */
  size_t len;
  const char *unit;          /* TYPED interval unit qualifier ("year", "day to second") or NULL */
  oql_typename tname;        /* TYPED, CAST */
  oql_expr_ast *l, *r;
  oql_expr_ast **list;
  int nlist;
  struct oql_select_ast *sub;  /* SUBQUERY, EXISTS, IN (SELECT ...) */
  oql_window_ast *over;      /* CALL: f(...) OVER w / OVER (...): a window function call; NULL otherwise */
  oql_expr_ast *filter;      /* CALL: agg(...) FILTER (WHERE filter): the rows the aggregate takes; NULL: all */
  struct oql_order_ast *agg_order;  /* CALL: agg(args ORDER BY ...): the order its rows are taken in */
  int nagg_order;
};

/* --- SELECT ----------------------------------------------------------------- */

typedef struct oql_select_ast oql_select_ast;

typedef enum oql_setop { OQL_SETOP_NONE, OQL_SETOP_UNION, OQL_SETOP_INTERSECT, OQL_SETOP_EXCEPT } oql_setop;

/* One WITH item: name [(cols)] AS [[NOT] MATERIALIZED] (query). */
typedef struct oql_cte_ast {
  const char *name;
  int pos;
  const char **colnames;     /* NULL: the query's own names */
  int ncolnames;
  int materialized;          /* 0 not said, 1 MATERIALIZED, 2 NOT MATERIALIZED */
  oql_select_ast *query;
} oql_cte_ast;

/* WITH [RECURSIVE] item, ... */
typedef struct oql_with_ast {
  int pos;
  bool recursive;
  oql_cte_ast *ctes;
  int nctes;
} oql_with_ast;

typedef struct oql_target {
  oql_expr_ast *expr;        /* OQL_X_STAR for * / t.* */
  const char *alias;         /* AS alias, NULL if none */
  int pos;
} oql_target;

typedef struct oql_order_ast {
  oql_expr_ast *expr;
  bool desc;
  int nulls;                 /* 0 default (NULLS LAST for ASC, FIRST for DESC), 1 FIRST, 2 LAST */
} oql_order_ast;

/* A window: WINDOW name AS (spec), OVER name, or OVER (spec) where spec is
** [base] [PARTITION BY ...] [ORDER BY ...] [frame].  OVER name is a spec with
** only `ref` (and `bare` set). */
struct oql_window_ast {
  int pos;
  const char *name;          /* WINDOW clause: the window's name; NULL in OVER */
  const char *ref;           /* the named window this one refers to / refines (NULL: none) */
  int ref_pos;
  bool bare;                 /* OVER name, without parentheses */
  oql_expr_ast **partition;
  int npartition;
  oql_order_ast *order;
  int norder;
  bool has_frame;            /* a frame clause was written (else PostgreSQL's default) */
  oql_frame_mode mode;
  oql_frame_bound start, end;
  oql_frame_exclude exclude;
  oql_expr_ast *start_off, *end_off;   /* n of n PRECEDING / FOLLOWING */
  int frame_pos;
};

typedef enum oql_from_ast_kind {
  OQL_FA_TABLE,              /* name [AS alias] */
  OQL_FA_SUBQUERY,           /* (select) [AS] alias [(colnames)] */
  OQL_FA_FUNCTION,           /* name(args) [AS alias [(colnames)]]: generate_series */
  OQL_FA_VALUES,             /* (VALUES (..), (..)) [AS] alias [(colnames)] */
  OQL_FA_JOIN                /* left [INNER|LEFT|RIGHT|FULL|CROSS] JOIN right [ON cond | USING (cols)] */
} oql_from_ast_kind;

typedef enum oql_join_ast_type { OQL_JA_INNER, OQL_JA_LEFT, OQL_JA_RIGHT, OQL_JA_FULL, OQL_JA_CROSS } oql_join_ast_type;

typedef struct oql_from_ast oql_from_ast;
struct oql_from_ast {
  oql_from_ast_kind kind;
  int pos;
  const char *name;          /* TABLE, FUNCTION */
  const char *alias;
  const char **colnames;     /* alias column list */
  int ncolnames;
  oql_select_ast *sub;       /* SUBQUERY, VALUES (a select whose `values` is set) */
  oql_expr_ast **args;       /* FUNCTION */
  int nargs;
  bool list_arg;             /* FUNCTION: args came as one bracketed list, f(['a', 'b']) */
  const char **argnames;     /* FUNCTION: name => value arguments' names (NULL entries: positional); NULL if none */
  oql_join_ast_type jt;      /* JOIN */
  oql_from_ast *left, *right;
  oql_expr_ast *on;          /* NULL: cross join / USING */
  const char **using_cols;
  int nusing;
  bool natural;              /* NATURAL JOIN: USING the columns both sides name */
  /* TABLE: time travel, FOR SYSTEM_TIME AS OF expr (1) / FOR VERSION AS OF expr (2) */
  int asof_kind;
  oql_expr_ast *asof;
  int asof_pos;
};

/* An element of GROUP BY: an expression, (), ROLLUP (items), CUBE (items)
** or GROUPING SETS (sets).  Items and sets are lists of expressions
** (a lone expression is a list of one). */
typedef enum oql_group_kind { OQL_G_EXPR, OQL_G_ROLLUP, OQL_G_CUBE, OQL_G_SETS } oql_group_kind;
typedef struct oql_group_elem {
  oql_group_kind kind;
  int pos;
  oql_expr_ast ***lists;     /* EXPR: one list of one; ROLLUP/CUBE: items; SETS: sets */
  int *lens;
  int n;
} oql_group_elem;

/* A locking clause: FOR strength [OF rel, ...] [NOWAIT | SKIP LOCKED] (bound.h). */
typedef struct oql_lock_ast {
  int pos;
  oql_lock_strength strength;
  oql_lock_wait wait;
  const char **rels;         /* OF: table names or aliases (NULL: every table) */
  int *rel_pos;
  int nrels;
} oql_lock_ast;

struct oql_select_ast {
  int pos;
  bool distinct;
  oql_expr_ast **distinct_on; /* DISTINCT ON (exprs) */
  int ndistinct_on;
  oql_target *targets;
  int ntargets;
  oql_from_ast **from;       /* comma-separated FROM items (cross joined); nfrom 0 = no FROM */
  int nfrom;
  oql_expr_ast *where;
  oql_expr_ast **group;
  int ngroup;
  /* GROUP BY with ROLLUP / CUBE / GROUPING SETS / (): its elements (group
  ** then holds nothing); each element's sets are crossed with the others' */
  struct oql_group_elem *gelems;
  int ngelems;
  oql_expr_ast *having;
  oql_window_ast **windows;  /* WINDOW w AS (...), ... */
  int nwindows;
  /* VALUES (...), (...) used as a query: rows of expressions (targets unused) */
  oql_expr_ast ***values;
  int *values_len;
  int nvalues;
  /* a set operation (setop != OQL_SETOP_NONE): larg UNION/INTERSECT/EXCEPT
  ** [ALL] rarg, no select list of its own; its ORDER BY/LIMIT apply to the
  ** whole.  INTERSECT binds tighter than UNION and EXCEPT, as in PostgreSQL. */
  oql_setop setop;
  bool set_all;
  oql_select_ast *larg, *rarg;
  struct oql_with_ast *with; /* WITH ... before this query (NULL: none) */
  oql_order_ast *order;
  int norder;
  oql_expr_ast *limit, *offset;
  oql_lock_ast *locks;       /* FOR UPDATE / SHARE ... clauses */
  int nlocks;
};

/* --- DML ------------------------------------------------------------------ */

typedef struct oql_set_ast {
  const char *col;
  int pos;
  const char *field;         /* SET col.field = ...: assignment to a field of a composite column, else NULL */
  oql_expr_ast *subscript;   /* SET col[subscript] = ...: assignment to an element of an array column, else NULL */
  int subscript_pos;
  oql_expr_ast *expr;        /* NULL = DEFAULT */
} oql_set_ast;

typedef enum oql_conflict_ast { OQL_CA_NONE, OQL_CA_NOTHING, OQL_CA_UPDATE } oql_conflict_ast;

typedef struct oql_insert_ast {
  const char *table;
  const char *alias;         /* INSERT INTO t AS alias: the name ON CONFLICT and RETURNING know the table by */
  int table_pos;
  const char **cols;         /* NULL = all columns */
  int *col_pos;
  int ncols;
  oql_expr_ast ***rows;      /* VALUES rows; an entry NULL = DEFAULT */
  int *row_len;
  int *row_pos;
  int nrows;
  oql_select_ast *select;    /* INSERT ... SELECT (rows NULL) */
  bool default_values;       /* INSERT ... DEFAULT VALUES */
  char overriding;           /* OVERRIDING SYSTEM VALUE ('s') / USER VALUE ('u'), or 0 */
  oql_conflict_ast on_conflict;
  const char **conflict_cols;   /* ON CONFLICT (cols) */
  const char *conflict_constraint;   /* ON CONFLICT ON CONSTRAINT name */
  int nconflict_cols;
  int conflict_pos;
  oql_set_ast *sets;         /* DO UPDATE SET ... (expressions may name excluded.col) */
  int nsets;
  oql_expr_ast *conflict_where;
} oql_insert_ast;

typedef struct oql_update_ast {
  const char *table;
  const char *alias;
  int table_pos;
  oql_set_ast *sets;
  int nsets;
  oql_from_ast **from;       /* UPDATE ... FROM items */
  int nfrom;
  oql_expr_ast *where;
} oql_update_ast;

typedef struct oql_delete_ast {
  const char *table;
  const char *alias;
  int table_pos;
  oql_from_ast **from;       /* DELETE ... USING items */
  int nfrom;
  oql_expr_ast *where;
} oql_delete_ast;

/* --- DDL ------------------------------------------------------------------ */

typedef struct oql_coldef_ast {
  const char *name;
  int pos;
  oql_typename type;
  bool not_null;
  bool primary_key;          /* column constraint PRIMARY KEY */
  oql_expr_ast *def;         /* DEFAULT expression or NULL */
  const char *default_sql;   /* DEFAULT expression text as written (NUL-terminated copy) */
  char identity;             /* GENERATED ALWAYS ('a') / BY DEFAULT ('d') AS IDENTITY (a sequence, as serial) */
  struct oql_seq_ast *identity_seq;   /* ... AS IDENTITY ( sequence options ), or NULL */
  struct oql_check_ast *check;   /* [CONSTRAINT name] CHECK (cond) on the column, or NULL */
  struct oql_index_ast *unique;  /* [CONSTRAINT name] UNIQUE on the column, or NULL */
} oql_coldef_ast;

/* A CHECK constraint as written: its name (NULL: PostgreSQL's), its condition and text. */
typedef struct oql_check_ast {
  const char *name;
  oql_expr_ast *cond;
  const char *sql;
  const char *col;           /* a column's constraint: that column */
  int pos;
} oql_check_ast;

/* An index as written: CREATE [UNIQUE] INDEX, or a UNIQUE constraint
** (column, table, ALTER TABLE ADD).  opts: ORB_IDX_* bits per column. */
typedef struct oql_index_ast {
  const char *name;          /* NULL: PostgreSQL's default name */
  int pos;
  const char *table;         /* CREATE INDEX ... ON table */
  int table_pos;
  bool unique, constraint, nnd, if_not_exists, hash;
  const char **cols;
  int *col_pos;
  uint8_t *opts;
  int ncols;
} oql_index_ast;

/* CREATE SEQUENCE options as written (has_*: given). */
typedef struct oql_seq_ast {
  bool has_inc, has_min, has_max, has_start, cycle;
  int64_t inc, min, max, start;
  const char *as_type;       /* AS smallint | integer | bigint (NULL: bigint) */
  /* ALTER SEQUENCE only */
  bool no_min, no_max;       /* NO MINVALUE / NO MAXVALUE */
  bool has_cycle;            /* [NO] CYCLE given (cycle: which) */
  bool has_restart, restart_with;   /* RESTART [[WITH] n] */
  int64_t restart;
  bool has_cache;
  int64_t cache;
  bool owned_none;           /* OWNED BY NONE */
  const char *owned_table, *owned_col;   /* OWNED BY t.c */
  int owned_pos;
  const char *rename_to;     /* ALTER SEQUENCE name RENAME TO new (no options then) */
  const char *seq_name;      /* ... AS IDENTITY (SEQUENCE NAME [public.]name ...): the sequence's name */
  int seq_name_pos;
} oql_seq_ast;

typedef struct oql_create_ast {
  const char *table;
  int table_pos;
  bool if_not_exists;
  oql_coldef_ast *cols;
  int ncols;
  const char **pk_cols;      /* table constraint PRIMARY KEY (a, b) */
  int *pk_pos;
  int npk;
  int pk_clause_pos;         /* 0 if no table constraint */
  oql_select_ast *as;        /* CREATE TABLE ... AS select (cols unused) */
  bool external;             /* CREATE EXTERNAL TABLE name LOCATION 'path' (no columns) */
  const char *location;      /* its path */
  int location_pos;
  const char *using_am;      /* CREATE TABLE ... USING am (NULL: none) */
  int using_pos;
  const char *partition_by;  /* WITH (partition_by = '...') */
  /* CREATE [OR REPLACE] VIEW name [(view_cols)] AS select (as): the select's text */
  bool or_replace;
  const char **view_cols;
  int *view_col_pos;
  int nview_cols;
  const char *view_sql;
  oql_seq_ast seq;           /* CREATE SEQUENCE [IF NOT EXISTS] name options */
  oql_check_ast *checks;     /* table constraints [CONSTRAINT name] CHECK (cond) */
  int nchecks;
  oql_index_ast *uniques;    /* UNIQUE column and table constraints, in the order written */
  int nuniques;
  const char **prop_keys, **prop_values;   /* the other WITH options (USING iceberg: table properties) */
  int nprops;
} oql_create_ast;

typedef struct oql_alter_ast {
  const char *table;
  int table_pos;
  oql_alter_kind kind;
  oql_coldef_ast col;        /* ADD COLUMN; ALTER COLUMN ... TYPE: col.type; SET DEFAULT: col.def */
  /* OWNER TO role: new_name the role */
  const char *name;          /* DROP/RENAME COLUMN: the column */
  const char *new_name;      /* RENAME COLUMN ... TO / RENAME TO */
  int name_pos;
  bool if_exists;            /* DROP COLUMN IF EXISTS */
  bool table_if_exists;      /* ALTER TABLE IF EXISTS t: a missing t is a NOTICE */
  oql_expr_ast *using_expr;  /* ALTER COLUMN ... TYPE t USING expr */
  const char *using_sql;
  const char **key_cols;     /* ADD [CONSTRAINT name] PRIMARY KEY (cols) */
  int *key_pos;
  int nkey_cols;
  const char *term, *with, *as;   /* PARTITION FIELD terms as written, the new field's name */
  const char **prop_keys, **prop_values;   /* SET (k = v, ...) / RESET (k, ...): values NULL for RESET */
  int nprops;
  oql_check_ast check;       /* ADD [CONSTRAINT name] CHECK (cond); DROP CONSTRAINT: name */
  oql_index_ast index;       /* CREATE INDEX, ADD UNIQUE; ALTER INDEX name (RENAME TO new_name) */
} oql_alter_ast;

/* COPY t [(cols)] FROM|TO 'path' [WITH] [(FORMAT csv, HEADER [true], DELIMITER ',',
** NULL 'x', QUOTE '"', ESCAPE '\')]  and  COPY (select) TO 'path' ... */
typedef struct oql_copy_opt_ast {
  const char *name;          /* lower case: format, header, delimiter, null, quote, escape */
  const char *value;         /* NULL when written without a value (HEADER) */
  int pos;
} oql_copy_opt_ast;

typedef struct oql_copy_ast {
  const char *table;         /* NULL for COPY (query) TO */
  int table_pos;
  const char **cols;
  int *col_pos;
  int ncols;
  oql_select_ast *query;
  bool to;                   /* TO (export) or FROM (import) */
  const char *path;
  bool stdio;                /* FROM STDIN / TO STDOUT */
  oql_copy_opt_ast *opts;
  int nopts;
} oql_copy_ast;

/* --- statements --------------------------------------------------------------- */

typedef struct oql_stmt_ast oql_stmt_ast;
struct oql_stmt_ast {
  oql_skind kind;
  int pos;
  const char *text;          /* the statement's text (NUL-terminated copy, no trailing ';') */
  oql_select_ast *select;    /* SELECT */
  oql_insert_ast insert;     /* INSERT */
  oql_update_ast update;     /* UPDATE */
  oql_delete_ast del;        /* DELETE */
  oql_with_ast *with;        /* UPDATE / DELETE: WITH ... before it (INSERT ... SELECT: on the select) */
  /* INSERT / UPDATE / DELETE ... RETURNING targets (nreturning 0: none) */
  oql_target *returning;
  int nreturning;
  int returning_pos;
  oql_create_ast create;     /* CREATE TABLE [AS] */
  oql_alter_ast alter;       /* ALTER TABLE */
  /* DROP TABLE | VIEW [IF EXISTS] a, b [CASCADE]; DESCRIBE name */
  const char **names;
  int *name_pos;
  int nnames;
  bool if_exists;
  bool drop_view;            /* DROP VIEW */
  bool drop_sequence;        /* DROP SEQUENCE */
  bool cascade;              /* ... CASCADE: the views that use them go too */
  /* EXPLAIN [ANALYZE] inner */
  bool analyze;
  oql_stmt_ast *inner;
  /* SET name = value / SET name TO value; SHOW name (SHOW TABLES is its own kind);
  ** CREATE/ALTER ROLE: setting = role, value = password (NULL: none given) */
  const char *setting;
  const char *value;         /* SET: NULL for DEFAULT (RESET name) */
  bool set_local;            /* SET LOCAL: until the end of the transaction */
  bool reset, reset_all;     /* RESET name, RESET ALL */
  /* BEGIN / SET TRANSACTION / SET SESSION CHARACTERISTICS: the access mode
  ** said (0 none, OQL_READ_ONLY, OQL_READ_WRITE); txn_modes: the SET is one
  ** of those two (value = isolation level or NULL) */
  int read_only;
  bool txn_modes;
  int role_login;            /* CREATE/ALTER ROLE: 1 LOGIN, 0 NOLOGIN, -1 not said */
  bool role_password;        /* a PASSWORD clause was given (value may still be NULL: PASSWORD NULL) */
  oql_copy_ast copy;         /* COPY_FROM / COPY_TO */
  oql_from_ast *call;        /* CALL procedure(args): name, args, argnames */
};

#endif
