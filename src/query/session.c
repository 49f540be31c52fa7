/* query/session.c — sessions and prepared statements (see session.h). */
#include "query/session.h"
#include "query/session_int.h"

#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>
#include <time.h>

#include "base/mem.h"
#include "query/ast.h"
#include "query/binder.h"
#include "query/stmt_exec.h"
#include "storage/cold/cold_tier.h"
#include "types/array.h"

static void drop_savepoints(oql_session *s, int keep) {
  while (s->nsavepoints > keep) {
    s->nsavepoints--;
    orb_free(s->savepoints[s->nsavepoints].name);
    oql_settings_mark_free(s->savepoints[s->nsavepoints].settings);
  }
}

/* Is a report of this severity below client_min_messages (not sent)? */
static bool below_min_messages(const oql_session *s, bool warning) {
  const char *min = oql_setting(s, OQL_SET_CLIENT_MIN_MESSAGES);
  if (strcmp(min, "error") == 0) return true;
  return !warning && strcmp(min, "warning") == 0;
}

void oql_session_warn(oql_session *s, const char *sqlstate, const char *msg) {
  if (!below_min_messages(s, true)) oql_reports_add(&s->reports, sqlstate, true, msg);
}

void oql_session_notices(oql_session *s, const oql_reports *notices) {
  for (int i = 0; i < notices->n; i++)
    if (!below_min_messages(s, notices->v[i].warning))
      oql_reports_add(&s->reports, notices->v[i].code, notices->v[i].warning, notices->v[i].msg);
}

int oql_session_report_count(const oql_session *s) { return s->reports.n; }

const char *oql_session_report(const oql_session *s, int i, const char **sqlstate, const char **severity) {
  if (i < 0 || i >= s->reports.n) return NULL;
  const oql_report *r = &s->reports.v[i];
  *sqlstate = r->code;
  *severity = r->warning ? "WARNING" : "NOTICE";
  return r->msg;
}

void oql_session_interrupt(oql_session *s) { atomic_store(&s->interrupt, true); }

void oql_session_set_progress(oql_session *s, oql_progress_fn fn, void *ctx) {
  s->progress = fn;
  s->progress_ctx = ctx;
}

oql_progress_fn oql_session_progress(const oql_session *s, void **ctx) {
  *ctx = s->progress_ctx;
  return s->progress;
}

oql_session *oql_session_new(orb_db *db, bool sync_commit) {
  oql_session *s = orb_calloc(1, sizeof *s);
  s->db = db;
  oql_settings_init(s, sync_commit);
  return s;
}

void oql_session_free(oql_session *s) {
  if (!s) return;
  if (s->txn) orb_wset_abort(s->txn);
  drop_savepoints(s, 0);
  orb_free(s->savepoints);
  oql_reports_free(&s->reports);
  oql_session_seq_free(s);
  oql_settings_free(s);
  orb_free(s);
}

orb_db *oql_session_db(oql_session *s) { return s->db; }
bool oql_session_in_txn(const oql_session *s) { return s->txn != NULL || s->txn_failed; }
char oql_session_txn_status(const oql_session *s) { return s->txn_failed ? 'E' : s->txn ? 'T' : 'I'; }

/* --- statements ----------------------------------------------------------------- */

enum { ST_IDLE, ST_ROWS, ST_DONE };

struct oql_stmt {
  oql_session *sess;
  char *sql;                /* text from the start of the string given to oql_prepare to the statement's end */
  orb_arena arena;          /* AST, bound statement, plan */
  oql_bstmt b;
  bool bound;               /* b is valid (false after a failed re-bind) */
  /* parameters */
  int nparams;
  orb_type *ptypes;
  orb_value *params;
  orb_buf *pbufs;           /* bytes of TEXT/BYTEA parameter values */
  orb_arena *parenas;       /* elements of ARRAY parameter values, one arena per parameter */
  /* execution */
  oql_rt rt;
  orb_arena xarena;         /* per-execution memory (utility result rows) */
  oql_op *xroot;            /* row source of the current execution */
  bool xroot_open;
  int state;
  uint64_t catalog_version; /* orb_db_catalog_version when its tables were last found unchanged */
  bool uses_settings;       /* it read pg_settings: bound again when a setting changes */
  orb_type *declared;       /* parameter types the client declared (ORB_T_NULL: none), every bind */
  int ndeclared;
  uint64_t settings_version;
  bool system;              /* internal: may use system tables (oql_prepare_system) */
  struct corr_run *corr;    /* runtimes of correlated subqueries, by sublink slot */
  int ncorr;
  bool gated;               /* inside the database gate (a read outside a transaction) */
  bool has_snap;            /* snap is registered with the database */
  orb_snapshot snap;        /* what a reading statement sees */
  orb_cold_pins pins;       /* outside a transaction: the Iceberg snapshots this statement read */
  const void *copy_in;      /* COPY FROM STDIN data for the next execution */
  size_t copy_in_len;
  const orb_value *row;
  int64_t nrows, changes;
  char tag[64];
};

static void free_corr_runs(oql_stmt *st);

static void unbind(oql_stmt *st) {
  free_corr_runs(st);
  free(st->b.copy_out);
  for (int k = 0; k < st->b.nsublinks; k++) oql_op_destroy(st->b.sublinks[k]);
  if (st->b.root) oql_op_destroy(st->b.root);
  if (st->b.inner && st->b.inner->root) oql_op_destroy(st->b.inner->root);
  if (st->b.ins.source) oql_op_destroy(st->b.ins.source);
  if (st->b.mod.source) oql_op_destroy(st->b.mod.source);
  if (st->b.inner && st->b.inner->mod.source) oql_op_destroy(st->b.inner->mod.source);
  oql_binsert_free(&st->b.ins);
  if (st->b.inner) oql_binsert_free(&st->b.inner->ins);
  if (st->b.schema) {
    orb_schema_free(st->b.schema);
    orb_free(st->b.schema);
  }
  if (st->b.inner && st->b.inner->ins.source) oql_op_destroy(st->b.inner->ins.source);
  memset(&st->b, 0, sizeof st->b);
  orb_arena_free(&st->arena);
  orb_arena_init(&st->arena, 8192);
}

/* Parse and bind st->sql; (re)allocates parameter slots. */
static orb_status compile(oql_stmt *st, const char *sql, const char **tail, bool *empty, orb_err *e) {
  st->catalog_version = orb_db_catalog_version(st->sess->db);   /* read before binding: a later change is seen */
  oql_binder bd;
  oql_binder_init(&bd, st->sess->db, &st->arena, sql);
  bd.system = st->system;
  bd.sess = st->sess;
  oql_binder_declare_params(&bd, st->ndeclared, st->declared);
  uint64_t settings_version = oql_settings_version(st->sess);
  orb_status rc = oql_compile(&bd, sql, tail, &st->b, empty, e);
  if (rc != ORB_OK || *empty) return rc;
  st->bound = true;
  st->uses_settings = bd.uses_settings;
  st->settings_version = settings_version;
  int n = bd.nparams;
  if (n != st->nparams) {
    for (int i = 0; i < st->nparams; i++) orb_buf_free(&st->pbufs[i]), orb_arena_free(&st->parenas[i]);
    orb_free(st->ptypes);
    orb_free(st->params);
    orb_free(st->pbufs);
    orb_free(st->parenas);
    st->nparams = n;
    st->ptypes = orb_calloc((size_t)n + 1, sizeof(orb_type));
    st->params = orb_calloc((size_t)n + 1, sizeof(orb_value));
    st->pbufs = orb_calloc((size_t)n + 1, sizeof(orb_buf));
    st->parenas = orb_calloc((size_t)n + 1, sizeof(orb_arena));
    for (int i = 0; i < n; i++) orb_arena_init(&st->parenas[i], 1024);
    for (int i = 0; i < n; i++) st->params[i] = orb_null(ORB_T_NULL);
  }
  for (int i = 0; i < n; i++) {
    orb_type t = bd.param_types[i];
    if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
    st->ptypes[i] = t;
    if (st->params[i].isnull) st->params[i] = orb_null(t.id);
  }
  return ORB_OK;
}

static void fail_txn(oql_session *s, bool undo_statement);

static orb_status prepare(oql_session *s, const char *sql, int ntypes, const orb_type *types, oql_stmt **out,
                          const char **tail, bool system, orb_err *e) {
  *out = NULL;
  oql_stmt *st = orb_calloc(1, sizeof *st);
  st->sess = s;
  st->system = system;
  if (ntypes > 0) {
    st->declared = orb_memdup(types, sizeof *types * (size_t)ntypes);
    st->ndeclared = ntypes;
  }
  orb_arena_init(&st->arena, 8192);
  orb_arena_init(&st->xarena, 4096);
  oql_rt_init(&st->rt, s->db);
  bool empty = false;
  const char *t = NULL;
  /* the catalog must not change under the binder; other sessions' open
  ** transactions do not matter here (their DDL changes it only briefly) */
  orb_db_catalog_read_lock(s->db);
  orb_status rc = compile(st, sql, &t, &empty, e);
  orb_db_catalog_read_unlock(s->db);
  if (tail) *tail = t;
  if (rc != ORB_OK || empty) {
    st->sql = NULL;
    oql_finalize(st);
    if (rc != ORB_OK) fail_txn(s, false);   /* as in PostgreSQL, any error aborts the transaction block */
    return rc;
  }
  st->sql = orb_strndup(sql, t ? (size_t)(t - sql) : strlen(sql));
  *out = st;
  return ORB_OK;
}

orb_status oql_prepare(oql_session *s, const char *sql, oql_stmt **out, const char **tail, orb_err *e) {
  return prepare(s, sql, 0, NULL, out, tail, false, e);
}

orb_status oql_prepare_typed(oql_session *s, const char *sql, int ntypes, const orb_type *types, oql_stmt **out,
                             const char **tail, orb_err *e) {
  return prepare(s, sql, ntypes, types, out, tail, false, e);
}

orb_status oql_prepare_system(oql_session *s, const char *sql, oql_stmt **out, orb_err *e) {
  return prepare(s, sql, 0, NULL, out, NULL, true, e);
}

/* Whether the tables the statement was bound against are unchanged. */
static bool deps_current(oql_stmt *st) {
  if (st->uses_settings && st->settings_version != oql_settings_version(st->sess)) return false;
  uint64_t v = orb_db_catalog_version(st->sess->db);
  if (v == st->catalog_version) return true;   /* no DDL since last checked */
  for (int i = 0; i < st->b.ndeps; i++) {
    const oql_dep *d = &st->b.deps[i];
    orb_table *t = orb_db_table(st->sess->db, d->name);
    if (!t || t->id != d->table_id || oql_schema_fingerprint(t) != d->fingerprint) return false;
  }
  st->catalog_version = v;
  return true;
}

/* Called with the lock the statement runs under: re-bind after DDL. */
static orb_status refresh(oql_stmt *st, orb_err *e) {
  if (st->bound && deps_current(st)) return ORB_OK;
  unbind(st);
  st->bound = false;
  bool empty;
  const char *tail;
  orb_status rc = compile(st, st->sql, &tail, &empty, e);
  if (rc == ORB_OK && empty) rc = orb_err_set(e, ORB_ERR_INTERNAL, "statement text vanished on re-bind");
  return rc;
}

static void finish_rows(oql_stmt *st) {
  if (st->xroot && st->xroot_open) oql_op_close(st->xroot, &st->rt);
  st->xroot_open = false;
  if (st->has_snap) {
    orb_db_snapshot_release(st->sess->db, &st->snap);
    st->has_snap = false;
  }
  cold_pins_clear(&st->pins);
  if (st->gated) {
    orb_db_gate_leave(st->sess->db);
    st->gated = false;
  }
}

/* An error inside BEGIN ... COMMIT: the failing statement's changes are
** undone and the block is marked failed (only ROLLBACK, ROLLBACK TO a
** savepoint or COMMIT, which then rolls back, are accepted), as in PostgreSQL. */
static void fail_txn(oql_session *s, bool undo_statement) {
  if (s->txn) {
    if (undo_statement && s->stmt_started) orb_wset_rollback_to_savepoint(s->txn, s->stmt_start);
    s->txn_failed = true;
  }
  s->stmt_started = false;
}

static void end_txn(oql_session *s) {
  s->txn = NULL;
  s->txn_failed = false;
  s->stmt_started = false;
  drop_savepoints(s, 0);
}

static int find_savepoint(oql_session *s, const char *name) {
  for (int i = s->nsavepoints - 1; i >= 0; i--)
    if (strcmp(s->savepoints[i].name, name) == 0) return i;
  return -1;
}

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}


/* Commit ws as the session's synchronous_commit says at this moment (as
** PostgreSQL, the value when the transaction commits counts). */
static orb_status commit_txn(oql_session *s, orb_wset *ws, orb_err *e) {
  orb_wset_set_sync(ws, strcmp(oql_setting(s, OQL_SET_SYNC_COMMIT), "off") != 0);
  return orb_wset_commit(ws, e);
}

static orb_status txn_control(oql_stmt *st, orb_err *e) {
  oql_session *s = st->sess;
  const char *name = st->b.setting;
  int i;
  switch (st->b.kind) {
  case OQL_S_BEGIN:
    if (s->txn_failed)
      return orb_err_setx(e, ORB_ERR_CONSTRAINT, "25P02", 0,
                          "current transaction is aborted, commands ignored until end of transaction block");
    if (s->txn) oql_session_warn(s, "25001", "there is already a transaction in progress");
    if (!s->txn) {
      const char *level = st->b.value ? oql_isolation_level(st->b.value)
                                      : oql_setting(s, OQL_SET_DEFAULT_ISOLATION);
      s->txn_iso = level;
      s->txn_read_only = st->b.read_only ? st->b.read_only == OQL_READ_ONLY
                                         : strcmp(oql_setting(s, OQL_SET_DEFAULT_READ_ONLY), "on") == 0;
      s->txn = orb_txn_begin(s->db, oql_level_read_committed(level));
      orb_wset_set_block(s->txn);   /* Iceberg writes staged until COMMIT */
    }
    snprintf(st->tag, sizeof st->tag, "%s", name ? name : "BEGIN");
    return ORB_OK;
  case OQL_S_COMMIT:
    if (s->txn_failed) {
      orb_wset_abort(s->txn);
      end_txn(s);
      oql_settings_txn_end(s, false);
      snprintf(st->tag, sizeof st->tag, "ROLLBACK");
      return ORB_OK;
    }
    snprintf(st->tag, sizeof st->tag, "COMMIT");
    if (s->txn) {
      orb_wset *ws = s->txn;
      end_txn(s);
      orb_status rc = commit_txn(s, ws, e);
      oql_settings_txn_end(s, rc == ORB_OK);
      return rc;
    }
    oql_session_warn(s, "25P01", "there is no transaction in progress");
    return ORB_OK;
  case OQL_S_SAVEPOINT:
    if (!s->txn)
      return orb_err_setx(e, ORB_ERR_MISUSE, "25P01", 0, "SAVEPOINT can only be used in transaction blocks");
    if (s->txn_failed)
      return orb_err_setx(e, ORB_ERR_CONSTRAINT, "25P02", 0,
                          "current transaction is aborted, commands ignored until end of transaction block");
    s->savepoints = orb_realloc(s->savepoints, sizeof *s->savepoints * (size_t)(s->nsavepoints + 1));
    s->savepoints[s->nsavepoints].name = orb_strdup(name);
    s->savepoints[s->nsavepoints].sp = orb_wset_save(s->txn);
    s->savepoints[s->nsavepoints].settings = oql_settings_mark_take(s);
    s->nsavepoints++;
    snprintf(st->tag, sizeof st->tag, "SAVEPOINT");
    return ORB_OK;
  case OQL_S_RELEASE:
  case OQL_S_ROLLBACK_TO:
    if (!s->txn)
      return orb_err_setx(e, ORB_ERR_MISUSE, "25P01", 0, "%s can only be used in transaction blocks",
                          st->b.kind == OQL_S_RELEASE ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT");
    if ((i = find_savepoint(s, name)) < 0) {
      orb_status rc = orb_err_setx(e, ORB_ERR_UNDEFINED, "3B001", 0, "savepoint \"%s\" does not exist", name);
      fail_txn(s, false);
      return rc;
    }
    if (st->b.kind == OQL_S_RELEASE) {
      if (s->txn_failed)
        return orb_err_setx(e, ORB_ERR_CONSTRAINT, "25P02", 0,
                            "current transaction is aborted, commands ignored until end of transaction block");
      drop_savepoints(s, i);   /* the savepoint and the ones after it; their changes stay */
      snprintf(st->tag, sizeof st->tag, "RELEASE");
    } else {
      orb_wset_rollback_to_savepoint(s->txn, s->savepoints[i].sp);
      oql_settings_mark_restore(s, s->savepoints[i].settings);   /* SETs made since are undone too */
      drop_savepoints(s, i + 1);   /* the savepoint itself remains */
      s->txn_failed = false;
      snprintf(st->tag, sizeof st->tag, "ROLLBACK");
    }
    return ORB_OK;
  default:
    if (!s->txn && !s->txn_failed) oql_session_warn(s, "25P01", "there is no transaction in progress");
    if (s->txn) orb_wset_abort(s->txn);
    end_txn(s);
    oql_settings_txn_end(s, false);
    snprintf(st->tag, sizeof st->tag, "ROLLBACK");
    return ORB_OK;
  }
}

/* Run subquery op to the end (EXISTS: to its first row) and keep its first
** column in res, values copied into arena. */
static orb_status collect_sublink(oql_op *op, int kind, oql_rt *rt, orb_arena *arena, orb_sublink_result *res,
                                  orb_err *e) {
  memset(res, 0, sizeof *res);
  orb_status rc = oql_op_open(op, rt, e);
  size_t cap = 0;
  while (rc == ORB_OK) {
    const orb_value *row;
    orb_arena_reset(&rt->tmp);
    if ((rc = oql_op_next(op, rt, &row, e)) != ORB_OK || !row) break;
    if (kind == 0 && res->nrows == 1) {
      rc = orb_err_setx(e, ORB_ERR_CONSTRAINT, "21000", 0, "more than one row returned by a subquery used as an expression");
      break;
    }
    if (kind == 1) {   /* EXISTS: one row answers it */
      res->nrows = 1;
      break;
    }
    if ((size_t)res->nrows == cap) {
      cap = cap ? cap * 2 : 16;
      orb_value *nv = orb_arena_alloc(arena, sizeof(orb_value) * cap);
      if (res->nrows) memcpy(nv, res->rows, sizeof(orb_value) * (size_t)res->nrows);
      res->rows = nv;
    }
    res->rows[res->nrows++] = orb_value_copy(&row[0], arena);
    res->any_null |= row[0].isnull != 0;
  }
  oql_op_close(op, rt);
  return rc;
}

/* A correlated subquery's own runtime (its operators must not share the
** statement's per-row arena, which the expression that runs it is using)
** and the result of its latest run. */
typedef struct corr_run {
  oql_rt rt;
  orb_arena res_arena;
  orb_sublink_result res;
  bool init;
} corr_run;

static void free_corr_runs(oql_stmt *st) {
  for (int k = 0; k < st->ncorr; k++)
    if (st->corr[k].init) {
      oql_rt_free(&st->corr[k].rt);
      orb_arena_free(&st->corr[k].res_arena);
    }
  orb_free(st->corr);
  st->corr = NULL;
  st->ncorr = 0;
}

/* orb_eval_ctx.run_sublink: run correlated subquery `slot` with these outer values. */
static orb_status run_correlated(void *env, int slot, const orb_value *outer, int nouter,
                                 const orb_sublink_result **res, orb_err *e) {
  oql_stmt *st = env;
  if (slot < 0 || slot >= st->b.nsublinks || !st->b.sublink_correlated[slot])
    return orb_err_set(e, ORB_ERR_INTERNAL, "subquery %d is not correlated", slot);
  if (st->ncorr < st->b.nsublinks) {
    free_corr_runs(st);
    st->corr = orb_calloc((size_t)st->b.nsublinks, sizeof *st->corr);
    st->ncorr = st->b.nsublinks;
  }
  corr_run *cr = &st->corr[slot];
  if (!cr->init) {
    oql_rt_init(&cr->rt, st->sess->db);
    orb_arena_init(&cr->res_arena, 4096);
    cr->init = true;
  }
  oql_rt *r = &cr->rt;
  orb_arena *tmp = r->ctx.arena;
  r->ctx = st->rt.ctx;   /* parameters, now(), other subqueries' results, this callback */
  r->ctx.arena = tmp;
  r->ctx.outer = outer;
  r->ctx.nouter = nouter;
  r->ws = st->rt.ws;
  r->snap = st->rt.snap;
  r->interrupt = st->rt.interrupt;
  r->deadline_ns = st->rt.deadline_ns;
  r->mem_limit = st->rt.mem_limit;
  r->nmem = 0;
  orb_arena_reset(&cr->res_arena);
  orb_status rc = collect_sublink(st->b.sublinks[slot], st->b.sublink_kind[slot], r, &cr->res_arena, &cr->res, e);
  *res = &cr->res;
  return rc;
}

/* Run the statement's uncorrelated subqueries (binder.h: sublinks) once and
** keep their rows in the execution arena for ORB_E_SUBLINK; correlated ones
** run per row through run_correlated. */
static orb_status run_sublinks(oql_stmt *st, orb_err *e) {
  st->rt.ctx.sublinks = NULL;
  st->rt.ctx.nsublinks = 0;
  st->rt.ctx.run_sublink = run_correlated;
  st->rt.ctx.sublink_env = st;
  if (!st->b.nsublinks) return ORB_OK;
  orb_sublink_result *res = orb_arena_zalloc(&st->xarena, sizeof *res * (size_t)st->b.nsublinks);
  st->rt.ctx.sublinks = res;   /* filled in order: a subquery may use those bound inside it */
  st->rt.ctx.nsublinks = st->b.nsublinks;
  for (int k = 0; k < st->b.nsublinks; k++) {
    if (st->b.sublink_correlated[k]) continue;
    orb_status rc = collect_sublink(st->b.sublinks[k], st->b.sublink_kind[k], &st->rt, &st->xarena, &res[k], e);
    if (rc != ORB_OK) return rc;
  }
  return ORB_OK;
}

static bool is_ddl(oql_skind k) {
  return k == OQL_S_CREATE_TABLE || k == OQL_S_CREATE_TABLE_AS || k == OQL_S_DROP_TABLE || k == OQL_S_ALTER_TABLE ||
         k == OQL_S_CREATE_VIEW || k == OQL_S_CREATE_SEQUENCE || k == OQL_S_ALTER_SEQUENCE ||
         k == OQL_S_TRUNCATE;
}

/* A statement that writes: in the session's transaction, or in one of its
** own (autocommit).  When it meets a row another running transaction wrote
** (ORB_ERR_WAIT) its changes so far are undone, it waits for that
** transaction to end and runs again from the start — with a new snapshot
** under READ COMMITTED, so it then sees what the other one committed. */
static orb_status run_write(oql_stmt *st, orb_err *e) {
  oql_session *s = st->sess;
  orb_wset *ws = s->txn;
  bool own = !ws;
  if (own) ws = orb_txn_begin(s->db, oql_level_read_committed(oql_setting(s, OQL_SET_DEFAULT_ISOLATION)));
  int64_t lock_ms = oql_timeout_ms(oql_setting(s, OQL_SET_LOCK_TIMEOUT));
  orb_wait_stop stop = {&s->interrupt, st->rt.deadline_ns, lock_ms > 0 ? lock_ms : 0};
  orb_status rc;
  for (;;) {
    if ((rc = orb_wset_enter(ws, is_ddl(st->b.kind), &stop, e)) != ORB_OK) break;
    orb_wset_savepoint sp = orb_wset_save(ws);
    if (!own) {
      s->stmt_start = sp;
      s->stmt_started = true;
    }
    st->changes = 0;
    st->tag[0] = '\0';
    orb_arena_reset(&st->xarena);
    rc = refresh(st, e);
    st->rt.ctx.params = st->params;
    st->b.copy_in = st->copy_in;
    st->b.copy_in_len = st->copy_in_len;
    st->rt.ws = ws;
    s->cur_ws = ws;   /* sequence values log into it */
    st->rt.snap = orb_wset_snapshot(ws);
    if (rc == ORB_OK) rc = run_sublinks(st, e);
    if (rc == ORB_OK)
      rc = oql_exec_write(st->sess, &st->b, &st->rt, &st->xarena, &st->xroot, &st->changes, st->tag, sizeof st->tag, e);
    if (rc == ORB_OK && st->xroot) {   /* rows the statement returns: computed now, under the latch */
      rc = oql_op_open(st->xroot, &st->rt, e);
      st->xroot_open = rc == ORB_OK;
    }
    st->rt.ws = NULL;
    s->cur_ws = NULL;
    if (rc != ORB_ERR_WAIT) break;
    orb_wset_rollback_to_savepoint(ws, sp);
    orb_wset_leave(ws);
    orb_err_clear(e);
    if ((rc = orb_wset_wait(ws, &stop, e)) != ORB_OK) break;
  }
  if (own) {
    if (rc == ORB_OK) rc = commit_txn(s, ws, e);
    else orb_wset_abort(ws);
  } else {
    orb_wset_leave(ws);
  }
  return rc;
}

/* The command a read-only transaction refuses, as PostgreSQL names it. */
static const char *write_command(const oql_bstmt *b) {
  switch (b->kind) {
  case OQL_S_INSERT: return "INSERT";
  case OQL_S_UPDATE: return "UPDATE";
  case OQL_S_DELETE: return "DELETE";
  case OQL_S_CREATE_TABLE: return "CREATE TABLE";
  case OQL_S_CREATE_TABLE_AS: return "CREATE TABLE AS";
  case OQL_S_DROP_TABLE:
    return b->create_kind == ORB_TABLE_VIEW ? "DROP VIEW" : b->create_kind == ORB_TABLE_SEQUENCE ? "DROP SEQUENCE" : "DROP TABLE";
  case OQL_S_CREATE_VIEW: return "CREATE VIEW";
  case OQL_S_ALTER_TABLE:
    return b->alter == OQL_ALTER_CREATE_INDEX ? "CREATE INDEX"
           : b->alter == OQL_ALTER_DROP_INDEX ? "DROP INDEX"
           : b->alter == OQL_ALTER_RENAME_INDEX ? "ALTER INDEX"
                                                : "ALTER TABLE";
  case OQL_S_TRUNCATE: return "TRUNCATE TABLE";
  case OQL_S_COPY_FROM: return "COPY FROM";
  case OQL_S_CREATE_ROLE: return "CREATE ROLE";
  case OQL_S_ALTER_ROLE: return "ALTER ROLE";
  case OQL_S_DROP_ROLE: return "DROP ROLE";
  case OQL_S_EXPLAIN: return b->inner ? write_command(b->inner) : "EXPLAIN";
  case OQL_S_SELECT: {
    static const char *const names[] = {"SELECT FOR KEY SHARE", "SELECT FOR SHARE", "SELECT FOR NO KEY UPDATE",
                                        "SELECT FOR UPDATE"};
    return b->uses_nextval ? "nextval()" : names[b->lock_strength];
  }
  case OQL_S_CREATE_SEQUENCE: return "CREATE SEQUENCE";
  case OQL_S_ALTER_SEQUENCE: return "ALTER SEQUENCE";
  default: return "CALL";
  }
}

static orb_status start(oql_stmt *st, orb_err *e) {
  oql_session *s = st->sess;
  oql_skind k = st->b.kind;
  s->stmt_started = false;   /* set below once this statement's starting point is saved */
  oql_reports_clear(&s->reports);
  st->nrows = 0;
  st->changes = 0;
  st->tag[0] = '\0';
  orb_arena_reset(&st->xarena);
  orb_arena_reset(&st->rt.tmp);
  if (!st->bound) {
    /* a re-bind failed earlier: try again before deciding how to run it */
    orb_db_catalog_read_lock(s->db);
    orb_status rc = refresh(st, e);
    orb_db_catalog_read_unlock(s->db);
    if (rc != ORB_OK) return rc;
    k = st->b.kind;
  }
  if (k == OQL_S_BEGIN || k == OQL_S_COMMIT || k == OQL_S_ROLLBACK || k == OQL_S_SAVEPOINT || k == OQL_S_RELEASE ||
      k == OQL_S_ROLLBACK_TO) {
    st->state = ST_DONE;
    s->stmt_started = false;
    return txn_control(st, e);
  }
  if (s->txn_failed)
    return orb_err_setx(e, ORB_ERR_CONSTRAINT, "25P02", 0,
                        "current transaction is aborted, commands ignored until end of transaction block");
  bool role = k == OQL_S_CREATE_ROLE || k == OQL_S_ALTER_ROLE || k == OQL_S_DROP_ROLE;
  if ((st->b.writes || role) && oql_check_writable(s, write_command(&st->b), e) != ORB_OK) return e->code;
  if (role) {
    st->state = ST_DONE;   /* statements on the roles table, in this session (session_roles.c) */
    return oql_run_role(s, &st->b, st->tag, sizeof st->tag, e);
  }
  if (k == OQL_S_ALTER_TABLE && st->b.alter == OQL_ALTER_OWNER && !st->b.table_missing) {
    st->state = ST_DONE;
    return oql_alter_owner(s, &st->b, st->tag, sizeof st->tag, e);
  }
  st->rt.ctx.params = st->params;
  st->rt.ctx.nparams = st->nparams;
  st->rt.ctx.stmt_time = now_us();
  st->rt.ctx.settings = oql_settings_ops(s);
  /* a cancel request meant for an earlier statement does not stop this one */
  atomic_store(&s->interrupt, false);
  st->rt.interrupt = &s->interrupt;
  int64_t tmo = oql_timeout_ms(oql_setting(s, OQL_SET_STATEMENT_TIMEOUT));
  struct timespec mono;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  st->rt.deadline_ns = tmo ? (int64_t)mono.tv_sec * 1000000000LL + mono.tv_nsec + tmo * 1000000LL : 0;
  st->rt.mem_limit = oql_mem_bytes(oql_setting(s, OQL_SET_STATEMENT_MEM));
  st->rt.nmem = 0;
  st->rt.analyze = false;
  orb_status rc;
  if (st->b.writes) {
    if ((rc = run_write(st, e)) != ORB_OK) return rc;
  } else {
    if (st->b.reads) {
      /* the gate keeps tables alive while rows are read; the snapshot keeps
      ** the versions they are read from */
      const orb_snapshot *snap;
      if (s->txn) {
        snap = orb_wset_read_enter(s->txn);
      } else {
        orb_db_gate_enter(s->db);
        st->gated = true;
        orb_db_latch_read(s->db);
        snap = NULL;
      }
      st->snap = snap ? *snap : orb_db_snapshot(s->db);
      /* outside a transaction the statement pins what it reads itself: a
      ** table read twice (a self-join) is read at one Iceberg snapshot */
      if (!snap) {
        cold_pins_clear(&st->pins);
        st->snap.pins = &st->pins;
      }
      if (snap) orb_db_snapshot_keep(s->db, &st->snap);
      st->has_snap = true;
      st->rt.snap = &st->snap;
    }
    rc = refresh(st, e);
    st->rt.ctx.params = st->params;
    if (rc == ORB_OK) rc = run_sublinks(st, e);
    if (rc == ORB_OK)
      rc = oql_exec_read(st->sess, &st->b, &st->rt, &st->xarena, &st->xroot, &st->changes, st->tag,
                         sizeof st->tag, e);
    if (rc == ORB_OK && st->xroot) {
      rc = oql_op_open(st->xroot, &st->rt, e);
      st->xroot_open = true;
    }
    if (st->b.reads) orb_db_unlatch_read(s->db);
    if (rc != ORB_OK) {
      finish_rows(st);
      return rc;
    }
  }
  if (!st->xroot) {
    finish_rows(st);
    st->state = ST_DONE;
    return ORB_OK;
  }
  if (!st->xroot_open) {   /* rows a write produced (materialized by then) */
    rc = oql_op_open(st->xroot, &st->rt, e);
    st->xroot_open = true;
    if (rc != ORB_OK) {
      finish_rows(st);
      return rc;
    }
  }
  st->state = ST_ROWS;
  return ORB_OK;
}

orb_status oql_step(oql_stmt *st, bool *row, orb_err *e) {
  *row = false;
  orb_status rc;
  if (st->state == ST_DONE) return ORB_OK;
  if (st->state == ST_IDLE) {
    if ((rc = start(st, e)) != ORB_OK) {
      st->state = ST_DONE;
      fail_txn(st->sess, true);
      return rc;
    }
    if (st->state == ST_DONE) return ORB_OK;
  }
  orb_arena_reset(&st->rt.tmp);
  bool latch = st->has_snap;   /* rows read from tables: hold the latch shared while computing them */
  if (latch) orb_db_latch_read(st->sess->db);
  rc = oql_op_next(st->xroot, &st->rt, &st->row, e);
  if (latch) orb_db_unlatch_read(st->sess->db);
  if (rc != ORB_OK) {
    finish_rows(st);
    st->state = ST_DONE;
    fail_txn(st->sess, true);
    return rc;
  }
  if (!st->row) {
    finish_rows(st);
    st->state = ST_DONE;
    if (!st->tag[0] || st->b.kind == OQL_S_SELECT) snprintf(st->tag, sizeof st->tag, "SELECT %lld", (long long)st->nrows);
    return ORB_OK;
  }
  st->nrows++;
  *row = true;
  return ORB_OK;
}

void oql_reset(oql_stmt *st) {
  finish_rows(st);
  st->state = ST_IDLE;
  st->row = NULL;
}

void oql_finalize(oql_stmt *st) {
  if (!st) return;
  oql_reset(st);
  unbind(st);
  orb_arena_free(&st->arena);
  orb_arena_free(&st->xarena);
  oql_rt_free(&st->rt);
  for (int i = 0; i < st->nparams; i++) orb_buf_free(&st->pbufs[i]), orb_arena_free(&st->parenas[i]);
  orb_free(st->parenas);
  orb_free(st->ptypes);
  orb_free(st->params);
  orb_free(st->pbufs);
  orb_free(st->sql);
  orb_free(st->declared);
  cold_pins_clear(&st->pins);
  orb_free(st);
}

/* --- parameters -------------------------------------------------------------------- */

int oql_param_count(const oql_stmt *st) { return st->nparams; }
orb_type oql_param_type(const oql_stmt *st, int i) { return st->ptypes[i]; }

/* Keep the bytes of a string parameter in the parameter's own buffer. */
static void own_bytes(oql_stmt *st, int i, orb_value *v) {
  if (!v->isnull && v->type == ORB_T_ARRAY) {   /* an array and its elements: in the parameter's arena */
    orb_arena_reset(&st->parenas[i]);
    *v = orb_value_copy(v, &st->parenas[i]);
    return;
  }
  if (v->isnull || !orb_type_is_bytes((orb_type_id)v->type)) return;
  orb_buf *b = &st->pbufs[i];
  orb_buf_reset(b);
  orb_buf_append(b, v->u.s, v->len);
  if (!b->data) orb_buf_reserve(b, 1);
  v->u.s = b->data;
}

bool oql_bind_exact(oql_stmt *st, int i, const orb_value *v) {
  if (i < 0 || i >= st->nparams || st->state != ST_IDLE || v->isnull) return false;
  orb_type t = st->ptypes[i];
  if (v->type == t.id && t.id != ORB_T_DECIMAL && !orb_type_is_by_ref((orb_type_id)t.id)) {
    st->params[i] = *v;
    return true;
  }
  if (v->type == ORB_T_INT64 && (t.id == ORB_T_DATE || t.id == ORB_T_TIME || t.id == ORB_T_TIMESTAMP ||
                                 t.id == ORB_T_TIMESTAMPTZ)) {
    st->params[i] = orb_int((orb_type_id)t.id, v->u.i);   /* the C API's integer form, as oql_bind_value takes it */
    return true;
  }
  return false;
}

bool oql_bind_text_exact(oql_stmt *st, int i, const char *s, size_t n) {
  if (i < 0 || i >= st->nparams || st->state != ST_IDLE || st->ptypes[i].id != ORB_T_TEXT || st->ptypes[i].maxlen)
    return false;
  orb_buf *b = &st->pbufs[i];   /* own_bytes' copy, without its checks */
  b->len = 0;
  orb_buf_append(b, s, n);   /* data is never NULL after it, even for '' */
  st->params[i] = orb_text(b->data, n);
  return true;
}

orb_status oql_bind_value(oql_stmt *st, int i, const orb_value *v, orb_err *e) {
  if (i < 0 || i >= st->nparams)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P02", 0, "there is no parameter $%d", i + 1);
  if (st->state != ST_IDLE) oql_reset(st);
  orb_type t = st->ptypes[i];
  if (v->isnull || v->type == ORB_T_NULL) {
    st->params[i] = orb_null(t.id);
    return ORB_OK;
  }
  orb_value out;
  /* an array of another element type, or for elements with modifiers, is cast as below */
  bool array_as_is = t.id != ORB_T_ARRAY || (v->scale == t.elem && !t.precision && !t.maxlen);
  if (v->type == t.id && (t.id != ORB_T_DECIMAL) && !(t.id == ORB_T_TEXT && t.maxlen) && array_as_is) {
    if (!orb_type_is_by_ref((orb_type_id)t.id)) {   /* the common case, whole in the value: nothing to own */
      st->params[i] = *v;
      return ORB_OK;
    }
    out = *v;
  } else if (v->type == ORB_T_INT64 && (t.id == ORB_T_DATE || t.id == ORB_T_TIME || t.id == ORB_T_TIMESTAMP ||
                                        t.id == ORB_T_TIMESTAMPTZ)) {
    /* the C API's integer form of dates (days) and times (microseconds) */
    out = orb_int((orb_type_id)t.id, v->u.i);
  } else {
    orb_arena_reset(&st->xarena);
    /* an array's elements are assigned: VARCHAR(n) refuses a long one as an input would */
    orb_status rc = v->type == ORB_T_ARRAY && t.id == ORB_T_ARRAY ? orb_array_assign(v, t, &st->xarena, &out, e)
                                                                  : orb_value_cast(v, t, &st->xarena, &out, e);
    if (rc != ORB_OK) return rc;
  }
  own_bytes(st, i, &out);
  st->params[i] = out;
  return ORB_OK;
}

orb_status oql_bind_text(oql_stmt *st, int i, const char *s, size_t n, orb_err *e) {
  if (i < 0 || i >= st->nparams)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P02", 0, "there is no parameter $%d", i + 1);
  if (st->state != ST_IDLE) oql_reset(st);
  orb_type t = st->ptypes[i];
  orb_value out;
  if (t.id == ORB_T_TEXT && !t.maxlen) {
    out = orb_text(s, n);
  } else {
    orb_arena_reset(&st->xarena);
    orb_status rc = orb_value_from_text(s, n, t, &st->xarena, &out, e);
    if (rc != ORB_OK) return rc;
  }
  own_bytes(st, i, &out);
  st->params[i] = out;
  return ORB_OK;
}

void oql_clear_bindings(oql_stmt *st) {
  for (int i = 0; i < st->nparams; i++) st->params[i] = orb_null(st->ptypes[i].id);
}

/* --- results ---------------------------------------------------------------------- */

int oql_column_count(const oql_stmt *st) { return st->b.ncols; }
const char *oql_column_name(const oql_stmt *st, int i) {
  return st->b.names && st->b.names[i] ? st->b.names[i] : "?column?";
}
orb_type oql_column_type(const oql_stmt *st, int i) { return st->b.types[i]; }
int64_t oql_column_origin(const oql_stmt *st, int i, int *col) {
  *col = st->b.origin_col ? st->b.origin_col[i] : 0;
  return st->b.origin_table ? st->b.origin_table[i] : 0;
}
const orb_value *oql_column(const oql_stmt *st, int i) { return st->row ? &st->row[i] : NULL; }
const char *oql_command_tag(const oql_stmt *st) { return st->tag; }
int64_t oql_changes(const oql_stmt *st) { return st->changes; }
const char *oql_stmt_sql(const oql_stmt *st) { return st->sql; }

int oql_copy_kind(const oql_stmt *st) {
  if (!st->b.copy_stdio) return 0;
  return st->b.kind == OQL_S_COPY_FROM ? 1 : st->b.kind == OQL_S_COPY_TO ? 2 : 0;
}
int oql_copy_columns(const oql_stmt *st) { return st->b.ncopy; }
void oql_set_copy_in(oql_stmt *st, const void *data, size_t len) {
  st->copy_in = data;
  st->copy_in_len = len;
}
const char *oql_copy_out(const oql_stmt *st, size_t *len) {
  *len = st->b.copy_out_len;
  return st->b.copy_out;
}
