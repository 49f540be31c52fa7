/*
** query/binder.h — the binder: parsed statements (ast.h) to bound,
** planned statements ready to execute.
**
** oql_bind() resolves names against the catalog (tables through
** orb_db_table, columns by their folded names), checks and coerces types
** (inserting casts as PostgreSQL's rules require), infers the types of
** parameters $n from their context, and plans queries (bound.h, planner.c).
** Errors carry the byte position of the offending token.
**
** The result, an oql_bstmt, is everything the session needs to run the
** statement; it lives in the statement arena.  Tables it depends on are
** recorded (name, table id, schema fingerprint) so that a prepared statement
** notices DDL and binds again.
*/
#ifndef ORB_QUERY_BINDER_H
#define ORB_QUERY_BINDER_H

#include "query/bound.h"
#include "storage/db.h"

typedef enum oql_skind {
  OQL_S_SELECT,
  OQL_S_INSERT,
  OQL_S_UPDATE,
  OQL_S_DELETE,
  OQL_S_CREATE_TABLE,
  OQL_S_CREATE_TABLE_AS,
  OQL_S_DROP_TABLE,
  OQL_S_ALTER_TABLE,
  OQL_S_SHOW_TABLES,
  OQL_S_DESCRIBE,
  OQL_S_EXPLAIN,
  OQL_S_SET,
  OQL_S_SHOW,
  OQL_S_CHECKPOINT,
  OQL_S_COPY_FROM,
  OQL_S_COPY_TO,
  OQL_S_BEGIN,
  OQL_S_COMMIT,
  OQL_S_ROLLBACK,
  OQL_S_TRUNCATE,
  OQL_S_VACUUM,     /* VACUUM / ANALYZE: accepted, nothing to do (see binder_stmt.c) */
  OQL_S_SAVEPOINT,  /* SAVEPOINT name (setting = name) */
  OQL_S_RELEASE,    /* RELEASE [SAVEPOINT] name */
  OQL_S_ROLLBACK_TO, /* ROLLBACK TO [SAVEPOINT] name */
  OQL_S_CREATE_ROLE, /* CREATE ROLE/USER: setting = name, value = password; role_login */
  OQL_S_ALTER_ROLE,  /* ALTER ROLE/USER name [WITH] options */
  OQL_S_DROP_ROLE,   /* DROP ROLE/USER [IF EXISTS] names */
  OQL_S_SHOW_SNAPSHOTS, /* SHOW SNAPSHOTS t: an Iceberg table's snapshots (table_name) */
  OQL_S_SHOW_TBLPROPERTIES, /* SHOW TBLPROPERTIES t: an Iceberg table's properties (table_name) */
  OQL_S_CALL,        /* CALL expire_snapshots(...) etc.: Iceberg maintenance (maint) */
  OQL_S_CREATE_VIEW, /* CREATE [OR REPLACE] VIEW: table_name, schema, path = the query's text */
  OQL_S_CREATE_SEQUENCE,  /* CREATE SEQUENCE: table_name, seq_opts */
  OQL_S_ALTER_SEQUENCE    /* ALTER SEQUENCE: table_name, seq_alter (new_name: RENAME TO) */
} oql_skind;

typedef enum oql_alter_kind {
  OQL_ALTER_ADD_COLUMN,
  OQL_ALTER_DROP_COLUMN,
  OQL_ALTER_RENAME_COLUMN,
  OQL_ALTER_RENAME_TABLE,
  OQL_ALTER_ADD_PRIMARY_KEY,
  OQL_ALTER_ADD_CHECK,            /* ADD [CONSTRAINT name] CHECK (cond): new_name the name, col_default_sql the text */
  OQL_ALTER_DROP_CONSTRAINT,      /* DROP CONSTRAINT [IF EXISTS] name: col_name */
  OQL_ALTER_COLUMN_TYPE,          /* ALTER [COLUMN] c [SET DATA] TYPE t */
  OQL_ALTER_DROP_NOT_NULL,        /* ALTER [COLUMN] c DROP NOT NULL */
  OQL_ALTER_SET_NOT_NULL,         /* ALTER [COLUMN] c SET NOT NULL */
  OQL_ALTER_SET_DEFAULT,          /* ALTER [COLUMN] c SET DEFAULT expr: col_default_sql the text */
  OQL_ALTER_DROP_DEFAULT,         /* ALTER [COLUMN] c DROP DEFAULT */
  OQL_ALTER_OWNER,                /* OWNER TO role: new_name; checked and kept nowhere (no owners) */
  /* partition evolution of Iceberg tables (Spark's syntax; SET PARTITION BY
  ** takes pg_lake's text); part_term/part_with/part_as in the statement */
  OQL_ALTER_ADD_PARTITION_FIELD,     /* ADD PARTITION FIELD term [AS name] */
  OQL_ALTER_DROP_PARTITION_FIELD,    /* DROP PARTITION FIELD term|name */
  OQL_ALTER_REPLACE_PARTITION_FIELD, /* REPLACE PARTITION FIELD term|name WITH term [AS name] */
  OQL_ALTER_SET_PARTITION_SPEC,      /* SET PARTITION BY 'day(ts), bucket(16, id)' */
  OQL_ALTER_SET_PROPERTIES,          /* SET ("key" = value, ...): Iceberg table properties */
  OQL_ALTER_RESET_PROPERTIES,        /* RESET ("key", ...) */
  /* indexes (exec_index.c); they travel as ALTER TABLE of the index's table */
  OQL_ALTER_CREATE_INDEX,            /* CREATE [UNIQUE] INDEX ... ON table: index */
  OQL_ALTER_ADD_UNIQUE,              /* ALTER TABLE ADD [CONSTRAINT name] UNIQUE (cols): index */
  OQL_ALTER_DROP_INDEX,              /* DROP INDEX [IF EXISTS] a, b: drop_names */
  OQL_ALTER_RENAME_INDEX,            /* ALTER INDEX [IF EXISTS] col_name RENAME TO new_name */
  /* identity columns: col_name, col_identity ('a' ALWAYS, 'd' BY DEFAULT) */
  OQL_ALTER_ADD_IDENTITY,            /* ALTER [COLUMN] c ADD GENERATED ... AS IDENTITY [(options)]: serial_seqs[0] */
  OQL_ALTER_SET_IDENTITY,            /* ALTER [COLUMN] c SET GENERATED {ALWAYS | BY DEFAULT} */
  OQL_ALTER_DROP_IDENTITY            /* ALTER [COLUMN] c DROP IDENTITY [IF EXISTS] */
} oql_alter_kind;

/* Iceberg maintenance a CALL or VACUUM runs (binder_maint.c, exec_maint.c). */
typedef enum oql_maint_proc {
  OQL_MAINT_NONE = 0,
  OQL_MAINT_EXPIRE,              /* CALL expire_snapshots */
  OQL_MAINT_ORPHANS,             /* CALL remove_orphan_files */
  OQL_MAINT_REWRITE,             /* CALL rewrite_data_files */
  OQL_MAINT_REWRITE_MANIFESTS,   /* CALL rewrite_manifests */
  OQL_MAINT_VACUUM               /* VACUUM t: both, with defaults */
} oql_maint_proc;

typedef struct oql_bmaint {
  oql_maint_proc proc;
  const char *proc_name;         /* for messages and the command tag */
  const char **dirs;             /* the owned Iceberg tables' folders (VACUUM a, b: several) */
  int ndirs;
  int64_t older_than_ms;         /* -1: the default */
  int64_t retain_last;           /* -1: the table's property */
  bool dry_run;
  int64_t target_file_bytes;     /* rewrite: 0: the table's property */
  int64_t min_input_files;       /* rewrite: -1: the default (5) */
  bool partial_progress;         /* rewrite: commit groups as they finish */
  int64_t max_commits;           /* rewrite with partial progress: -1: the default (10) */
} oql_bmaint;

typedef struct oql_dep {
  const char *name;
  uint32_t table_id;
  uint64_t fingerprint;
} oql_dep;

typedef struct oql_bstmt oql_bstmt;
struct oql_bstmt {
  oql_skind kind;
  bool writes;                   /* runs in a write set (also SELECT ... FOR UPDATE/SHARE) */
  bool reads;                    /* reads tables: holds the read lock (when not writing) */
  oql_lock_strength lock_strength;   /* SELECT that writes: its strongest locking clause */
  bool uses_nextval;             /* ... or its nextval / setval calls */
  /* rows the statement returns (SELECT, SHOW, DESCRIBE, EXPLAIN, ...) */
  oql_op *root;
  int ncols;
  const char **names;
  orb_type *types;
  /* SELECT: per column, the table column it reads unchanged, as PostgreSQL's RowDescription names
  ** it (pg_class oid, attnum; 0 for a computed one); NULL for other statements */
  int64_t *origin_table;
  int16_t *origin_col;
  /* DML */
  oql_binsert ins;
  oql_bmodify mod;
  oql_returning ret;             /* INSERT/UPDATE/DELETE ... RETURNING (ncols/names/types describe it) */
  /* DDL */
  const char *table_name;        /* CREATE/DROP/ALTER/DESCRIBE/COPY */
  const char **drop_names;       /* DROP TABLE / TRUNCATE a, b, ...: all of them (table_name is the first) */
  int ndrop;
  bool if_exists;                /* DROP ... IF EXISTS, CREATE ... IF NOT EXISTS */
  bool replace;                  /* CREATE OR REPLACE VIEW */
  struct orb_sequence *seq_opts; /* CREATE SEQUENCE: its options (statement arena) */
  const struct oql_seq_ast *seq_alter;   /* ALTER SEQUENCE: the options as written (applied when it runs) */
  const char **serial_seqs;      /* CREATE TABLE: the sequences of its serial / identity columns */
  struct orb_sequence **serial_opts;   /* ... and their options (statement arena) */
  int nserial;
  bool cascade;                  /* DROP ... CASCADE */
  orb_schema *schema;            /* CREATE TABLE (heap-owned: freed with the statement) */
  orb_table_kind create_kind;    /* CREATE [EXTERNAL] TABLE: an Iceberg table at `path` unless HOT
                                    (USING iceberg: `value` is the partition_by text, or NULL);
                                    CREATE / DROP VIEW: ORB_TABLE_VIEW (CREATE: `path` the query) */
  oql_alter_kind alter;
  bool table_missing;            /* ALTER TABLE IF EXISTS of a table that does not exist: a NOTICE */
  const char *col_name, *new_name;
  const char *part_term, *part_with, *part_as;   /* partition evolution (see oql_alter_kind) */
  const char **prop_keys, **prop_values;         /* SET / RESET (...) of table properties (values NULL for RESET) */
  int nprops;
  const struct oql_index_ast *index;   /* CREATE INDEX / ADD UNIQUE: as written (statement's arena) */
  const char **key_cols;         /* ADD PRIMARY KEY (cols) */
  int nkey_cols;
  orb_type col_type;
  char col_identity;             /* ADD / SET GENERATED: 'a' or 'd' */
  bool col_not_null;
  const char *col_default_sql;
  orb_expr *col_default;         /* ADD COLUMN ... DEFAULT: evaluated once as the fill value */
  orb_expr *col_using;           /* ALTER COLUMN ... TYPE: each row's new value, from the old row (NULL:
                                    the old value cast); evaluated over the table's columns as slots */
  /* EXPLAIN */
  bool analyze;
  oql_bstmt *inner;
  /* SET / SHOW; roles (setting = name, value = password) */
  const char *setting, *value;
  bool set_local, reset, reset_all;   /* SET LOCAL; RESET name; RESET ALL */
  int read_only;                      /* BEGIN, SET TRANSACTION: access mode said (ast.h) */
  bool txn_modes;
  int role_login;
  bool role_password;
  /* COPY: FROM fills copy_cols (schema positions, ncopy of them); TO writes
  ** the ncopy columns of `root` under copy_names (no rows for the client) */
  int *copy_cols;
  int ncopy;
  const char **copy_names;
  orb_expr **copy_defaults;
  const char *path;
  oql_copy_opts copy;
  bool copy_stdio;               /* FROM STDIN / TO STDOUT: data through copy_in / copy_out */
  const void *copy_in;           /* FROM STDIN data for the next execution (caller's memory) */
  size_t copy_in_len;
  char *copy_out;                /* TO STDOUT data of the last execution (malloc'd) */
  size_t copy_out_len;
  /* uncorrelated subqueries in expressions, run before the statement
  ** (ORB_E_SUBLINK slot k reads the rows of sublinks[k]); kind 0 scalar,
  ** 1 EXISTS, 2 IN */
  oql_op **sublinks;
  uint8_t *sublink_kind;
  bool *sublink_correlated;      /* k runs per outer row (ORB_EF_CORRELATED), not before the statement */
  int nsublinks;
  oql_bmaint maint;              /* CALL, VACUUM of Iceberg tables */
  /* tables the statement was bound against */
  oql_dep *deps;
  int ndeps;
};

typedef struct oql_binder {
  orb_db *db;
  orb_arena *a;                  /* statement arena */
  const char *sql;               /* statement text (for messages) */
  /* parameters: types inferred so far (ORB_T_NULL = unknown yet) */
  int nparams;
  orb_type *param_types;         /* arena; capacity pcap */
  int pcap;
  oql_dep *deps;
  int ndeps, depcap;
  orb_eval_ctx fold_ctx;         /* for constant folding (no params) */
  oql_op **sublinks;             /* planned subqueries met in expressions (arena) */
  uint8_t *sublink_kind;
  bool *sublink_correlated;      /* runs per row (ORB_EF_CORRELATED), not once before the statement */
  int nsublinks, sublink_cap;
  struct oql_corr *corr;         /* while a subquery of an expression is bound (binder_int.h) */
  bool system;                   /* an internal statement: may use the system tables (pg_authid) */
  struct oql_session *sess;      /* the session binding (pg_settings' rows); NULL: none */
  bool uses_settings;            /* the plan holds settings' values: bind again when they change */
  int view_depth;                /* views being expanded inside each other (binder_view.c) */
  bool locks_rows;               /* a select locks rows (FOR UPDATE/SHARE): the statement writes */
  bool uses_nextval;             /* nextval / setval: the statement writes (its values are logged) */
  oql_lock_strength lock_strength;   /* the strongest such clause (for messages) */
  /* WITH queries in scope (binder_cte.c), innermost first, and the
  ** self-references of recursive terms bound so far */
  struct oql_cte_scope *ctes;
  int worktable_refs;
  /* while an INSERT's VALUES or SELECT is bound: the target's alias and name,
  ** which that source cannot see (a reference is PostgreSQL's "invalid
  ** reference to FROM-clause entry", not a missing one); else NULL */
  const char *insert_target[2];
} oql_binder;

/* Orbit's own tables (roles: pg_authid): hidden from listings, and only
** internal statements may read or change them. */
#define OQL_ROLES_TABLE "pg_authid"
bool oql_is_system_table(const char *name);

/* A relation's name written as regclass's text input and nextval's argument
** take it: [public.]name, "Quoted" kept as is, others folded to lower case.
** Writes it to out (cap bytes, truncated) and returns out. */
char *oql_relname_from_text(const char *text, size_t n, char *out, size_t cap);

struct oql_stmt_ast;   /* ast.h */

void oql_binder_init(oql_binder *b, orb_db *db, orb_arena *a, const char *sql);
/* Parameters $1..$n have these types (ORB_T_NULL: inferred); before binding. */
void oql_binder_declare_params(oql_binder *b, int n, const orb_type *types);
/* Bind one parsed statement. */
orb_status oql_bind(oql_binder *b, const void *ast, oql_bstmt *out, orb_err *e);

/* Parse the first statement of sql (parser.h) and bind it.  *tail is set
** past it; *empty = true when sql holds only whitespace and comments. */
orb_status oql_compile(oql_binder *b, const char *sql, const char **tail, oql_bstmt *out, bool *empty,
                       orb_err *e);

/* Fingerprint of a table's schema: changes with any DDL on it. */
uint64_t oql_schema_fingerprint(const orb_table *t);
/* The names (in a) of the views other than t whose query reads table or
** view t; their count. */
int oql_view_dependents(orb_db *db, orb_arena *a, const orb_table *t, const char ***names);

/* Indexes (exec_index.c).  The table and schema position of the index
** named `name`, if one exists. */
bool oql_index_find(orb_db *db, const char *name, orb_table **table, int *k);
/* Whether a table, view, sequence, index or primary key ("t_pkey") has this name. */
bool oql_relation_name_taken(orb_db *db, const char *name);
/* PostgreSQL's name for a new index of table on cols: "<table>_<col>..._<suffix>"
** ("idx", "key"), then with 1, 2, ... after it while the name is taken
** (also by the indexes of `pending`, a schema being made, or NULL). */
char *oql_index_choose_name(orb_db *db, const orb_schema *pending, orb_arena *a, const char *table,
                            const char *const *cols, int ncols, const char *suffix);

#endif
