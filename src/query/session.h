/*
** query/session.h — sessions and prepared statements: the query layer's
** interface to the C API, the shell and (later) the wire protocol.
**
** A session (oql_session) is one user's connection to a database: its
** settings (SET/SHOW) and its open transaction, if any.  A statement
** (oql_stmt) is one SQL statement parsed, bound and planned once by
** oql_prepare() and executed any number of times:
**
**   oql_stmt *st;
**   if (oql_prepare(sess, sql, &st, &tail, &e) != ORB_OK) ...;   // st == NULL: nothing but comments
**   oql_bind_value(st, 0, &v, &e);                               // $1
**   bool row;
**   while (oql_step(st, &row, &e) == ORB_OK && row) { ... oql_column(st, i) ... }
**   oql_reset(st);  ...  oql_finalize(st);
**
** Execution and atomicity: every statement that writes runs in a write set
** (txn/wset.h) that is committed when it succeeds and aborted when it
** fails, so a failed statement leaves the database untouched.  Between
** BEGIN and COMMIT/ROLLBACK the session keeps one write set open for all
** its statements; other sessions run meanwhile (snapshot isolation,
** docs/transactions.md).  An error inside such a transaction undoes the
** failing statement and, as in PostgreSQL, later statements fail with 25P02
** until ROLLBACK (or COMMIT, which then reports ROLLBACK).  A write that
** must wait for another transaction is undone, waits and runs again.
**
** Reads (SELECT, EXPLAIN ANALYZE, COPY TO) read one snapshot, registered
** from their first oql_step until they finish, are reset or finalized; they
** hold the engine latch shared only inside each oql_step.
**
** Schema changes: a prepared statement remembers the tables it was bound
** against; when one of them has been dropped, re-created or altered since,
** the next oql_step binds and plans the statement again from its text.
**
** Errors: e->pos is a 1-based byte offset into the statement text given to
** oql_prepare (not just the statement: the whole string passed in).
*/
#ifndef ORB_QUERY_SESSION_H
#define ORB_QUERY_SESSION_H

#include "base/err.h"
#include "storage/db.h"
#include "types/value.h"

typedef struct oql_session oql_session;
typedef struct oql_stmt oql_stmt;

oql_session *oql_session_new(orb_db *db, bool sync_commit);
/* Rolls back an open transaction.  Statements must be finalized first. */
void oql_session_free(oql_session *s);
orb_db *oql_session_db(oql_session *s);
bool oql_session_in_txn(const oql_session *s);
/* PostgreSQL's transaction status letter: 'I' idle, 'T' in a transaction
** block, 'E' in a failed transaction block. */
char oql_session_txn_status(const oql_session *s);
/* Ask the statement running in s (if any) to stop with 57014; safe from any thread. */
void oql_session_interrupt(oql_session *s);

/* Progress of long statements (Iceberg maintenance): fn is called on the
** thread running the statement with the phase's name, the units done and
** the total known so far.  NULL: none.  What to show, and when, is the
** caller's business (the shell shows it after a second, on a terminal). */
typedef void (*oql_progress_fn)(void *ctx, const char *what, int64_t done, int64_t total);
void oql_session_set_progress(oql_session *s, oql_progress_fn fn, void *ctx);
oql_progress_fn oql_session_progress(const oql_session *s, void **ctx);

/* Parse, bind and plan the first statement of sql.  *tail (if not NULL) is
** set past it.  *out is NULL when sql holds only whitespace and comments. */
orb_status oql_prepare(oql_session *s, const char *sql, oql_stmt **out, const char **tail, orb_err *e);
/* oql_prepare with the types of $1..$ntypes declared, as a PostgreSQL
** client's Parse message declares them: a declared type is the
** parameter's type (ORB_T_NULL: inferred from the context as usual), so
** `text_col = $1` with $1 bigint is 42883 as in PostgreSQL, and the
** statement has at least ntypes parameters even if it uses fewer. */
orb_status oql_prepare_typed(oql_session *s, const char *sql, int ntypes, const orb_type *types, oql_stmt **out,
                             const char **tail, orb_err *e);
/* Run until the next row (*row = true) or the end (*row = false). */
orb_status oql_step(oql_stmt *st, bool *row, orb_err *e);
/* Back to the start; bindings are kept. */
void oql_reset(oql_stmt *st);
void oql_finalize(oql_stmt *st);

/* Parameters ($1 is index 0).  The value is converted to the parameter's
** type (inferred from its context at bind time; text when it had none). */
int oql_param_count(const oql_stmt *st);
orb_type oql_param_type(const oql_stmt *st, int i);

/* COPY ... FROM STDIN / TO STDOUT: 1 in, 2 out, 0 neither; the number of
** columns copied; the data to read (kept by the caller until the statement
** ran); the data written by the last execution. */
int oql_copy_kind(const oql_stmt *st);
int oql_copy_columns(const oql_stmt *st);
void oql_set_copy_in(oql_stmt *st, const void *data, size_t len);
const char *oql_copy_out(const oql_stmt *st, size_t *len);
orb_status oql_bind_value(oql_stmt *st, int i, const orb_value *v, orb_err *e);
orb_status oql_bind_text(oql_stmt *st, int i, const char *s, size_t n, orb_err *e);
/* oql_bind_value's common case, for callers binding many values: true when
** v (not NULL, not a string) was already of parameter i's type and is
** stored; false when oql_bind_value must do it (and report any error). */
bool oql_bind_exact(oql_stmt *st, int i, const orb_value *v);
/* The same for text bound to a TEXT parameter (the bytes are copied). */
bool oql_bind_text_exact(oql_stmt *st, int i, const char *s, size_t n);
void oql_clear_bindings(oql_stmt *st);

/* Result columns; values valid until the next step/reset/finalize. */
int oql_column_count(const oql_stmt *st);
const char *oql_column_name(const oql_stmt *st, int i);
orb_type oql_column_type(const oql_stmt *st, int i);
/* The table (its pg_class oid) and column (attnum) output column i reads unchanged; 0 if none. */
int64_t oql_column_origin(const oql_stmt *st, int i, int *col);
const orb_value *oql_column(const oql_stmt *st, int i);

/* After the statement finished: its PostgreSQL command tag ("INSERT 0 2")
** and the number of rows it inserted/updated/deleted/copied. */
const char *oql_command_tag(const oql_stmt *st);
int64_t oql_changes(const oql_stmt *st);
/* The SQL text the statement was prepared from (the whole string given). */
const char *oql_stmt_sql(const oql_stmt *st);

/* The SCRAM-SHA-256 verifier of a role that may log in (CREATE ROLE ...
** LOGIN PASSWORD), orb_free it; NULL if there is none. */
char *oql_role_secret(oql_session *s, const char *role);
/* How many roles may log in with a password. */
int64_t oql_login_roles(oql_session *s);

/* Settings (SET name = value / SHOW name).  Unknown names are errors. */
orb_status oql_set(oql_session *s, const char *name, const char *value, orb_err *e);
/* The SET statement: SET [LOCAL] name = value (value NULL: RESET name, SET
** name TO DEFAULT), RESET ALL (name NULL).  SET LOCAL lasts until the end of
** the transaction block; outside one it warns (25P01) and lasts for none. */
orb_status oql_set_stmt(oql_session *s, const char *name, const char *value, bool local, orb_err *e);
/* SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION (session):
** the isolation level (NULL: unchanged) and access mode (0: unchanged,
** OQL_READ_ONLY, OQL_READ_WRITE) of this block or of the next ones. */
orb_status oql_set_txn_modes(oql_session *s, bool session, const char *level, int access, orb_err *e);
orb_status oql_show(oql_session *s, const char *name, const char **value, orb_err *e);
/* The NOTICEs and WARNINGs the last statement gave, in order: how many,
** and the i-th (message; *sqlstate its code, *severity "NOTICE" or
** "WARNING"), NULL past the end.  oql_session_notices adds a statement's
** NOTICEs (exec_stmt.c). */
struct oql_reports;
int oql_session_report_count(const oql_session *s);
const char *oql_session_report(const oql_session *s, int i, const char **sqlstate, const char **severity);
void oql_session_notices(oql_session *s, const struct oql_reports *notices);

#endif
