/*
** orbit.h — the Orbit embedded C API.
**
** Orbit is a tiered storage engine with a SQL front end (OrbitQL,
** PostgreSQL-flavoured).  This header is all an application needs:
**
**   orbit_db *db;
**   if (orbit_open("mydb", NULL, &db) != ORBIT_OK) { ...orbit_errmsg(db)... }
**   orbit_exec(db, "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)");
**
**   orbit_stmt *st;
**   orbit_prepare(db, "SELECT id, name FROM t WHERE id = $1", &st);
**   orbit_bind_int64(st, 1, 42);
**   while (orbit_step(st) == ORBIT_ROW) {
**     int64_t id = orbit_column_int64(st, 0);
**     const char *name = orbit_column_text(st, 1);   // NULL for SQL NULL
**   }
**   orbit_finalize(st);
**   orbit_close(db);
**
** Threads: an orbit_db is one session (like a SQLite connection): use it from
** one thread at a time.  Several orbit_db handles may open the same database
** directory in one process (they share the engine; writers from different
** handles are group-committed together).  One process at a time may open a
** database directory (a lock file enforces it).
**
** Errors: every function returning int returns ORBIT_OK (0) or an error
** code; orbit_errmsg() / orbit_errcode_sqlstate() / orbit_errpos() describe
** the last error on that handle.  A failed statement leaves the database as
** it was before the statement.
**
** Memory: strings and blobs returned by orbit_column_* stay valid until the
** next orbit_step/orbit_reset/orbit_finalize on that statement.
*/
#ifndef ORBIT_H
#define ORBIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. */
#define ORBIT_OK 0
#define ORBIT_ERROR 1     /* see orbit_errmsg() */
#define ORBIT_MISUSE 2    /* API called in the wrong state */
#define ORBIT_ROW 100     /* orbit_step: a row is ready */
#define ORBIT_DONE 101    /* orbit_step: statement finished */

/* Column types as reported by orbit_column_type(). */
typedef enum orbit_type {
  ORBIT_NULL = 0, ORBIT_BOOL, ORBIT_INT16, ORBIT_INT32, ORBIT_INT64, ORBIT_FLOAT32,
  ORBIT_FLOAT64, ORBIT_DECIMAL, ORBIT_TEXT, ORBIT_BYTEA, ORBIT_DATE, ORBIT_TIME,
  ORBIT_TIMESTAMP, ORBIT_TIMESTAMPTZ, ORBIT_UUID, ORBIT_INTERVAL,
  ORBIT_ARRAY,      /* one-dimensional array; orbit_column_elem_type() gives its elements' type */
  ORBIT_RECORD,     /* a row value (ROW(1, 'a'), (a, b), the (x, n) rows of _pg_expandarray): its text is
                    ** "(1,a)"; its fields are read as an array's elements are (orbit_column_array_len
                    ** counts them, orbit_elem_type gives each one's type) */
  ORBIT_VOID,       /* what a function returning nothing gives (pg_sleep): not NULL, its text is "";
                    ** a parameter declared void in a function's arguments is left out of the call
                    ** (how JDBC's {? = call f(?)} passes its OUT parameter, as PostgreSQL does) */
  ORBIT_JSON,       /* json: the document's text as it was given (orbit_column_text / _blob) */
  ORBIT_JSONB       /* jsonb: the document's normalized text, as PostgreSQL prints jsonb */
} orbit_type;

typedef struct orbit_db orbit_db;
typedef struct orbit_stmt orbit_stmt;

/* Options for orbit_open (NULL = defaults). */
typedef struct orbit_options {
  /* 1 = fsync the WAL at every commit (default); 0 = commit returns once the
  ** record is written and a background thread fsyncs every wal_sync_interval_ms
  ** (PostgreSQL's synchronous_commit = off: a crash may lose the last interval). */
  int synchronous_commit;
  int wal_sync_interval_ms;       /* default 200 */
  int64_t checkpoint_wal_bytes;   /* checkpoint when the WAL exceeds this; default 64 MiB */
  int create_if_missing;          /* default 1 */
} orbit_options;

void orbit_options_init(orbit_options *o);

/* Open (creating if needed) the database directory `path`. On failure *db
** is still set (unless NULL for out of memory) so orbit_errmsg works; close it. */
int orbit_open(const char *path, const orbit_options *opts, orbit_db **db);
int orbit_close(orbit_db *db);

/* Run one or more `;`-separated statements, discarding result rows. */
int orbit_exec(orbit_db *db, const char *sql);

/* Prepare the first statement of sql; *tail (if not NULL) points past it. */
int orbit_prepare(orbit_db *db, const char *sql, orbit_stmt **stmt, const char **tail);
/* orbit_prepare with the types of parameters $1..$ntypes declared (as a
** PostgreSQL client's Parse message declares them): types[i] is $i+1's type,
** ORBIT_NULL to infer it from the statement; for ORBIT_ARRAY, elem_types[i]
** is the element type (elem_types may be NULL when no array is declared).
** A declared type is taken as it is: "text_col = $1" with $1 declared
** ORBIT_INT64 fails (operator does not exist: text = bigint), and the
** statement has at least ntypes parameters. */
int orbit_prepare_typed(orbit_db *db, const char *sql, int ntypes, const orbit_type *types,
                        const orbit_type *elem_types, orbit_stmt **stmt, const char **tail);
int orbit_step(orbit_stmt *stmt);         /* ORBIT_ROW, ORBIT_DONE or an error */
int orbit_reset(orbit_stmt *stmt);        /* keeps bindings */
int orbit_clear_bindings(orbit_stmt *stmt);
int orbit_finalize(orbit_stmt *stmt);

/* Parameters are $1, $2, ... (index 1-based). */
int orbit_bind_count(orbit_stmt *stmt);
/* The type the statement expects for parameter idx (inferred from its context). */
orbit_type orbit_bind_type(orbit_stmt *stmt, int idx);
/* For an ORBIT_ARRAY parameter, the type of its elements (ORBIT_NULL otherwise). */
orbit_type orbit_bind_elem_type(orbit_stmt *stmt, int idx);
/* The modifiers of the type expected for parameter idx (see orbit_column_modifiers). */
void orbit_bind_modifiers(orbit_stmt *stmt, int idx, int *precision, int *scale, int *maxlen);
int orbit_bind_null(orbit_stmt *stmt, int idx);
int orbit_bind_bool(orbit_stmt *stmt, int idx, int v);
int orbit_bind_int64(orbit_stmt *stmt, int idx, int64_t v);
int orbit_bind_double(orbit_stmt *stmt, int idx, double v);
/* Text is converted to the parameter's type with the type's input syntax. */
int orbit_bind_text(orbit_stmt *stmt, int idx, const char *s, int len /* -1 = strlen */);
int orbit_bind_blob(orbit_stmt *stmt, int idx, const void *p, int len);
int orbit_bind_interval(orbit_stmt *stmt, int idx, int32_t months, int32_t days, int64_t micros);

/* Result columns (index 0-based). */
int orbit_column_count(orbit_stmt *stmt);
const char *orbit_column_name(orbit_stmt *stmt, int col);
orbit_type orbit_column_type(orbit_stmt *stmt, int col);
/* The table column a result column reads unchanged (SELECT name FROM t): the table's
** object id (pg_class.oid in the catalog views) and the column's 1-based number
** (pg_attribute.attnum) in *attnum; 0 (and *attnum 0) for a computed column. */
int64_t orbit_column_table(orbit_stmt *stmt, int col, int *attnum);
/* For an ORBIT_ARRAY column, the type of its elements (ORBIT_NULL otherwise). */
orbit_type orbit_column_elem_type(orbit_stmt *stmt, int col);
/* Type as SQL text ("BIGINT", "DECIMAL(10,2)", ...). */
const char *orbit_column_decltype(orbit_stmt *stmt, int col);
/* A column type's modifiers: DECIMAL(p,s) precision and scale, and the n of
** TEXT declared VARCHAR(n)/CHAR(n); 0 for each one the type does not have.
** For an ORBIT_ARRAY column, its elements' (NUMERIC(6,2)[], VARCHAR(5)[]). */
void orbit_column_modifiers(orbit_stmt *stmt, int col, int *precision, int *scale, int *maxlen);
int orbit_column_is_null(orbit_stmt *stmt, int col);
int orbit_column_bool(orbit_stmt *stmt, int col);
int64_t orbit_column_int64(orbit_stmt *stmt, int col);   /* integers; DATE days; TIMESTAMP(TZ)/TIME micros */
double orbit_column_double(orbit_stmt *stmt, int col);   /* floats, decimals, integers */
/* Any value in PostgreSQL text format; NULL for SQL NULL. */
const char *orbit_column_text(orbit_stmt *stmt, int col);
/* Raw bytes: TEXT/BYTEA contents, UUID's 16 bytes, other types' text form. */
const void *orbit_column_blob(orbit_stmt *stmt, int col, int *len);
/* An INTERVAL as PostgreSQL keeps it: months, days and microseconds, each
** with its own sign.  ORBIT_MISUSE (and zeros) for a column of another type. */
int orbit_column_interval(orbit_stmt *stmt, int col, int32_t *months, int32_t *days, int64_t *micros);

/* An ORBIT_ARRAY column's current value: its number of elements (-1 when
** NULL or not an array) and the subscript of its first element (1; 0 for
** PostgreSQL's catalog vectors such as pg_index.indkey).  Of an
** ORBIT_RECORD column: its number of fields. */
int orbit_column_array_len(orbit_stmt *stmt, int col);
int orbit_column_array_lower(orbit_stmt *stmt, int col);
/* Element k (0-based) of an array column, read as the orbit_column_*
** getters read a column of the element type (orbit_column_elem_type);
** text and blobs stay valid until the next call of either on the statement. */
int orbit_elem_is_null(orbit_stmt *stmt, int col, int k);
int orbit_elem_bool(orbit_stmt *stmt, int col, int k);
int64_t orbit_elem_int64(orbit_stmt *stmt, int col, int k);
double orbit_elem_double(orbit_stmt *stmt, int col, int k);
const char *orbit_elem_text(orbit_stmt *stmt, int col, int k);
const void *orbit_elem_blob(orbit_stmt *stmt, int col, int k, int *len);
int orbit_elem_interval(orbit_stmt *stmt, int col, int k, int32_t *months, int32_t *days, int64_t *micros);
/* The type of element k of the current value: an array's element type, or
** the type of a record's field k (each has its own; ORBIT_NULL for a field
** of no type, PostgreSQL's unknown: an untyped NULL or literal, read as
** text; and out of range). */
orbit_type orbit_elem_type(orbit_stmt *stmt, int col, int k);
/* Field k of a record column that is itself an array (orbit_elem_type gives
** ORBIT_ARRAY): its elements' type (ORBIT_NULL when the field is not an
** array), its number of elements (-1 when NULL or not an array), the
** subscript of its first element, and element j (0-based) read as the
** orbit_elem_* getters read an array column's elements. */
orbit_type orbit_field_elem_type(orbit_stmt *stmt, int col, int k);
int orbit_field_array_len(orbit_stmt *stmt, int col, int k);
int orbit_field_array_lower(orbit_stmt *stmt, int col, int k);
int orbit_field_elem_is_null(orbit_stmt *stmt, int col, int k, int j);
int orbit_field_elem_bool(orbit_stmt *stmt, int col, int k, int j);
int64_t orbit_field_elem_int64(orbit_stmt *stmt, int col, int k, int j);
double orbit_field_elem_double(orbit_stmt *stmt, int col, int k, int j);
const char *orbit_field_elem_text(orbit_stmt *stmt, int col, int k, int j);
const void *orbit_field_elem_blob(orbit_stmt *stmt, int col, int k, int j, int *len);
int orbit_field_elem_interval(orbit_stmt *stmt, int col, int k, int j, int32_t *months, int32_t *days,
                              int64_t *micros);

/* COPY ... FROM STDIN / TO STDOUT through the API: orbit_copy_kind() says
** 1 (the statement reads data: hand it over with orbit_copy_in before
** orbit_step; the memory must stay valid until then), 2 (it writes data:
** after orbit_step, orbit_copy_out gives it, valid until the next step or
** finalize) or 0.  orbit_copy_columns: the number of columns copied. */
int orbit_copy_kind(orbit_stmt *stmt);
int orbit_copy_columns(orbit_stmt *stmt);
int orbit_copy_in(orbit_stmt *stmt, const void *data, size_t len);
const void *orbit_copy_out(orbit_stmt *stmt, size_t *len);

/* After a DML statement: rows inserted/updated/deleted.  After any statement:
** the command tag as PostgreSQL prints it ("INSERT 0 2", "SELECT 3", "CREATE TABLE"). */
int64_t orbit_changes(orbit_db *db);
const char *orbit_command_tag(orbit_stmt *stmt);

/* Last error on this handle. */
const char *orbit_errmsg(orbit_db *db);
/* PostgreSQL's DETAIL for the last error ("Key (id)=(1) already exists."), "" if none. */
const char *orbit_errdetail(orbit_db *db);
/* PostgreSQL's HINT for the last error ("No function matches the given name and argument
** types. You might need to add explicit type casts."), "" if none. */
const char *orbit_errhint(orbit_db *db);
const char *orbit_errcode_sqlstate(orbit_db *db);   /* "42703" ... */
/* 1-based byte offset of the error in the text given to orbit_exec or
** orbit_prepare (0 if none). */
int orbit_erroffset(orbit_db *db);
/* 1-based line and column of the error in the statement text, 0 if none. */
int orbit_errpos(orbit_db *db, int *line, int *column);
/* The warnings and notices the last statement run on this handle gave, in
** the order it gave them (DROP TABLE IF EXISTS a, b with neither there gives
** two): how many, and the i-th (0-based) message, NULL past the end, with
** its SQLSTATE in *sqlstate ("25P01": SET LOCAL outside a transaction
** block, COMMIT with none; "25001": BEGIN inside one; "00000"/"42P07": the
** "..., skipping" notes of IF [NOT] EXISTS) and its severity as PostgreSQL
** names it in *severity: "WARNING" or "NOTICE".  Valid until the next
** statement starts. */
int orbit_warning_count(orbit_db *db);
const char *orbit_warning_at(orbit_db *db, int i, const char **sqlstate, const char **severity);
/* The first of them (orbit_warning_at(db, 0, ...)), NULL if none, and its severity. */
const char *orbit_warning(orbit_db *db, const char **sqlstate);
const char *orbit_warning_severity(orbit_db *db);
/* A setting's current value in this handle's session (SHOW name), NULL if
** there is no such setting; valid until the setting changes. */
const char *orbit_setting(orbit_db *db, const char *name);

/* 'I' (no transaction block), 'T' (inside BEGIN ... COMMIT), 'E' (inside a
** failed transaction block: only ROLLBACK/COMMIT are accepted). */
char orbit_txn_status(orbit_db *db);

/* Stop the statement running on db (from another thread): it fails with
** SQLSTATE 57014, its changes undone.  A no-op when nothing runs. */
void orbit_interrupt(orbit_db *db);

/* Progress of long statements (Iceberg maintenance: CALL expire_snapshots,
** CALL remove_orphan_files, VACUUM of an Iceberg table): fn is called on the
** thread running the statement with the phase ("expire_snapshots"), the
** files done and the total known so far.  NULL removes the handler.  The
** caller decides what to show and when. */
typedef void (*orbit_progress_fn)(void *ctx, const char *what, int64_t done, int64_t total);
void orbit_progress_handler(orbit_db *db, orbit_progress_fn fn, void *ctx);

/* Write a checkpoint now (snapshot of the hot tier, truncate the WAL). */
int orbit_checkpoint(orbit_db *db);

const char *orbit_version(void);
/* The SCRAM-SHA-256 verifier of a role that may log in (CREATE ROLE ...
** LOGIN PASSWORD '...'), for a server checking passwords; free() it.
** NULL if there is no such role or it has no password. */
char *orbit_role_secret(orbit_db *db, const char *role);
/* How many roles may log in with a password. */
int64_t orbit_login_roles(orbit_db *db);

/* 1 if `sql` ends with a complete statement (a `;` outside quotes, comments
** and dollar-quoted strings), else 0.  For shells reading line by line. */
int orbit_complete(const char *sql);

#ifdef __cplusplus
}
#endif
#endif
