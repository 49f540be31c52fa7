/*
** query/session_int.h — what session.c shares with the other session_*.c files.
*/
#ifndef ORB_QUERY_SESSION_INT_H
#define ORB_QUERY_SESSION_INT_H

#include "query/binder.h"
#include "query/session.h"
#include "expr/expr.h"
#include "txn/txn.h"

/* --- settings (session_settings.c) ---------------------------------------------
**
** The settings a session knows are a fixed table (PostgreSQL's names and
** meta-data: pg_settings) followed by custom ones whose names have a dot
** (set_config('app.user', ...), SET app.user = ...), created by setting
** them, as PostgreSQL's placeholders are.  A change inside a transaction
** block is undone by ROLLBACK; a local one (set_config(..., true)) lasts
** until the block ends, as SET LOCAL does; ROLLBACK TO SAVEPOINT undoes
** the changes made after the savepoint (oql_settings_mark). */

/* Built-in settings every statement looks at, by index into the table. */
enum {
  OQL_SET_SYNC_COMMIT = 0,
  OQL_SET_STATEMENT_TIMEOUT = 9,
  OQL_SET_STATEMENT_MEM = 10,
  OQL_SET_ISOLATION = 13,
  OQL_SET_DEFAULT_ISOLATION = 14,
  OQL_SET_READ_ONLY = 17,
  OQL_SET_DEFAULT_READ_ONLY = 18,
  OQL_SET_LOCK_TIMEOUT = 21,
  OQL_SET_CLIENT_MIN_MESSAGES = 22,
  OQL_SET_DEFAULT_AM = 23,
  OQL_SET_DEFAULT_TABLESPACE = 24,
  OQL_SET_IDLE_TXN_TIMEOUT = 25,
  OQL_SET_IDLE_SESSION_TIMEOUT = 26,
  OQL_SET_SESSION_AUTHORIZATION = 19,
};

typedef struct oql_settings_state {
  char **values;             /* current values (heap): the table's, then custom ones */
  char **custom_names;       /* names of values[nbuiltin ...] (heap) */
  bool *by_session;          /* changed by SET / set_config (pg_settings.source "session") */
  int n, cap;
  /* first change of a setting in the open transaction block: the value
  ** before the block, and the one COMMIT keeps (the last non-local change) */
  struct oql_saved_setting { int idx; char *before, *keep; bool before_by_session, keep_by_session; } *saved;
  int nsaved, capsaved;
  char *scratch;             /* a local change's value outside a block */
  bool sync_off;             /* the session began with synchronous_commit off (what RESET restores) */
  uint64_t version;          /* bumped by every change (pg_settings rows are made at bind time) */
  orb_settings ops;          /* for current_setting() / set_config() (expr/expr.h) */
} oql_settings_state;

void oql_settings_init(oql_session *s, bool sync_commit);
void oql_settings_free(oql_session *s);
/* The end of a transaction block: keep the changes made in it (committed)
** but the local ones, or undo them all. */
void oql_settings_txn_end(oql_session *s, bool committed);
/* Savepoints: the settings as they are (values, and what COMMIT would keep),
** put back by ROLLBACK TO as PostgreSQL undoes SETs made after a savepoint. */
typedef struct oql_settings_mark oql_settings_mark;
oql_settings_mark *oql_settings_mark_take(oql_session *s);
void oql_settings_mark_restore(oql_session *s, const oql_settings_mark *m);
void oql_settings_mark_free(oql_settings_mark *m);
/* A warning of the statement running (PostgreSQL's WARNING notice: SET
** LOCAL outside a block, BEGIN inside one, ...): kept, after any the
** statement gave before, until the next statement starts. */
void oql_session_warn(oql_session *s, const char *sqlstate, const char *msg);
/* A built-in setting's current value (OQL_SET_*). */
const char *oql_setting(const oql_session *s, int idx);
/* PostgreSQL's isolation level names, canonical (a constant), or NULL;
** whether one reads a snapshot per statement. */
const char *oql_isolation_level(const char *v);
/* Whether a statement of kind k may not run now: inside a READ ONLY block,
** or outside one with default_transaction_read_only on (25006). */
orb_status oql_check_writable(oql_session *s, const char *command, orb_err *e);
bool oql_txn_read_only(const oql_session *s);
bool oql_level_read_committed(const char *level);
/* statement_timeout in milliseconds ("0", "250", "250ms", "5s", "1min",
** "1.5h"); -1 if malformed. */
int64_t oql_timeout_ms(const char *v);
/* statement_mem in bytes ("0" = no limit, "512kB", "64MB", "2GB"; a bare
** number is kB); -1 if malformed. */
int64_t oql_mem_bytes(const char *v);

/* One row of pg_settings (binder_catalog_settings.c): i from 0, false past
** the last.  Strings are constants or the session's (valid until the
** setting changes); NULL is SQL NULL. */
typedef struct oql_setting_info {
  const char *name, *setting, *unit, *category, *short_desc, *context, *vartype, *source, *min_val, *max_val,
      *enumvals, *boot_val, *reset_val;
  char buf[24];   /* room for setting */
} oql_setting_info;
bool oql_setting_info_at(const oql_session *s, int i, oql_setting_info *out);
uint64_t oql_settings_version(const oql_session *s);
/* current_setting() / set_config() of statements run in s (orb_eval_ctx.settings). */
const orb_settings *oql_settings_ops(oql_session *s);

struct oql_session {
  orb_db *db;
  orb_wset *txn;            /* open transaction (BEGIN), NULL if none */
  const char *txn_iso;      /* its isolation level (a constant string) */
  bool txn_read_only;       /* BEGIN READ ONLY / SET TRANSACTION READ ONLY: writes fail with 25006 */
  bool txn_failed;          /* an error happened inside it: only ROLLBACK/COMMIT allowed */
  oql_settings_state set;   /* SET/SHOW values (session_settings.c) */
  _Atomic(bool) interrupt;  /* set by oql_session_interrupt (another thread) */
  /* inside BEGIN ... COMMIT: the savepoints (innermost last) and where the
  ** running statement started, so a failing statement undoes only itself */
  struct { char *name; orb_wset_savepoint sp; struct oql_settings_mark *settings; } *savepoints;
  int nsavepoints;
  orb_wset_savepoint stmt_start;
  bool stmt_started;
  oql_reports reports;      /* the NOTICEs and WARNINGs of the last statement (oql_session_warn, _notices) */
  oql_progress_fn progress;   /* oql_session_set_progress */
  void *progress_ctx;
  orb_wset *cur_ws;         /* the write set of the statement running now (sequence values log into it) */
  /* currval: the last value nextval (or setval with is_called) gave this
  ** session, per sequence; lastval: that of the sequence nextval last
  ** advanced, seqvals[last_seq] (session_seq.c) */
  struct { char *name; int64_t v; } *seqvals;
  int nseqvals;
  bool has_lastval;
  int last_seq;
};

/* session_seq.c: nextval / currval / setval / lastval for this session
** (orb_settings.seq); the per-session values freed. */
orb_status oql_session_seq(void *env, orb_seq_op op, const char *name, size_t n, int64_t v, bool called, int64_t *out,
                           orb_err *e);
void oql_session_seq_free(oql_session *s);

/* oql_prepare for an internal statement, which may use system tables. */
orb_status oql_prepare_system(oql_session *s, const char *sql, oql_stmt **out, orb_err *e);

/* CREATE / ALTER / DROP ROLE (session_roles.c): run as statements on the
** roles table in the session's transaction; tag gets the command tag. */
orb_status oql_run_role(oql_session *s, const oql_bstmt *b, char *tag, size_t tagcap, orb_err *e);
/* ALTER ... OWNER TO role: the role must exist; nothing else changes. */
orb_status oql_alter_owner(oql_session *s, const oql_bstmt *b, char *tag, size_t tagcap, orb_err *e);

#endif
