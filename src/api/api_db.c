/* api/api_db.c — opening and closing databases, running scripts, errors (orbit.h). */
#include "api/api_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/registry.h"

void orbit_options_init(orbit_options *o) {
  o->synchronous_commit = 1;
  o->wal_sync_interval_ms = 200;
  o->checkpoint_wal_bytes = 64LL << 20;
  o->create_if_missing = 1;
}

static orb_status open_engine(const char *key, void *arg, void **obj, orb_err *e) {
  orb_db *db = NULL;
  orb_status st = orb_db_open(key, (const orb_db_options *)arg, &db, e);
  if (st == ORB_OK) *obj = db;
  return st;
}

static void close_engine(void *obj) { orb_db_close(obj); }

/* The key a directory is shared under: its real path, or for a directory
** that does not exist yet, the absolute path it will have. */
static char *canonical_path(const char *path) {
  char buf[PATH_MAX];
  if (realpath(path, buf)) return orb_strdup(buf);
  if (path[0] == '/') return orb_strdup(path);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return orb_strdup(path);
  size_t n = strlen(cwd) + strlen(path) + 2;
  char *s = orb_malloc(n);
  snprintf(s, n, "%s/%s", cwd, path);
  return s;
}

int orbit_open(const char *path, const orbit_options *opts, orbit_db **out) {
  orbit_db *db = orb_calloc(1, sizeof *db);
  *out = db;
  orb_err_clear(&db->err);
  if (!path || !*path) {
    orb_err_set(&db->err, ORB_ERR_MISUSE, "database path is empty");
    return ORBIT_ERROR;
  }
  orbit_options o;
  orbit_options_init(&o);
  if (opts) o = *opts;
  orb_db_options dbo;
  orb_db_options_init(&dbo);
  dbo.create_if_missing = o.create_if_missing != 0;
  dbo.sync_commit = o.synchronous_commit != 0;
  if (o.wal_sync_interval_ms > 0) dbo.sync_interval_ms = o.wal_sync_interval_ms;
  if (o.checkpoint_wal_bytes >= 0) dbo.checkpoint_wal_bytes = o.checkpoint_wal_bytes;
  char *key = canonical_path(path);
  void *engine = NULL;
  orb_status st = orb_registry_acquire(key, open_engine, &dbo, &engine, &db->err);
  orb_free(key);
  if (st != ORB_OK) return ORBIT_ERROR;
  db->engine = engine;
  db->sess = oql_session_new(db->engine, dbo.sync_commit);
  return ORBIT_OK;
}

int orbit_close(orbit_db *db) {
  if (!db) return ORBIT_OK;
  if (db->nstmts > 0) {
    orb_err_set(&db->err, ORB_ERR_MISUSE, "unable to close: %d statement%s not finalized", db->nstmts,
                db->nstmts == 1 ? "" : "s");
    return ORBIT_MISUSE;
  }
  if (db->sess) oql_session_free(db->sess);
  if (db->engine) orb_registry_release(db->engine, close_engine);
  orb_free(db->err_sql);
  orb_free(db);
  return ORBIT_OK;
}

int orbit__fail(orbit_db *db, const orb_err *e, const char *sql) {
  db->err = *e;
  if (db->err.code == ORB_OK) db->err.code = ORB_ERR_INTERNAL;
  orb_free(db->err_sql);
  db->err_sql = sql && e->pos > 0 ? orb_strdup(sql) : NULL;
  return db->err.code == ORB_ERR_MISUSE ? ORBIT_MISUSE : ORBIT_ERROR;
}

void orbit__ok(orbit_db *db) {
  orb_err_clear(&db->err);
  orb_free(db->err_sql);
  db->err_sql = NULL;
}

int orbit_exec(orbit_db *db, const char *sql) {
  if (!db || !sql) return ORBIT_MISUSE;
  const char *p = sql;
  orb_err e;
  orb_err_clear(&e);
  while (p && *p) {
    oql_stmt *st = NULL;
    const char *tail = NULL;
    if (oql_prepare(db->sess, p, &st, &tail, &e) != ORB_OK) {
      if (e.pos > 0) e.pos += (int)(p - sql);
      return orbit__fail(db, &e, sql);
    }
    if (!st) break;
    bool row;
    orb_status rc;
    while ((rc = oql_step(st, &row, &e)) == ORB_OK && row) {
    }
    if (rc != ORB_OK) {
      oql_finalize(st);
      if (e.pos > 0) e.pos += (int)(p - sql);
      return orbit__fail(db, &e, sql);
    }
    db->changes = oql_changes(st);
    oql_finalize(st);
    p = tail;
  }
  orbit__ok(db);
  return ORBIT_OK;
}

int64_t orbit_changes(orbit_db *db) { return db ? db->changes : 0; }

const char *orbit_errmsg(orbit_db *db) {
  if (!db) return "out of memory";
  return db->err.code == ORB_OK ? "not an error" : db->err.msg;
}

const char *orbit_errdetail(orbit_db *db) {
  return db && db->err.code != ORB_OK ? db->err.detail : "";
}

const char *orbit_errhint(orbit_db *db) {
  return db && db->err.code != ORB_OK ? db->err.hint : "";
}

const char *orbit_errcode_sqlstate(orbit_db *db) {
  if (!db) return "53200";
  return db->err.code == ORB_OK ? "00000" : orb_err_sqlstate(&db->err);
}

int orbit_erroffset(orbit_db *db) { return db && db->err.code != ORB_OK ? db->err.pos : 0; }

const char *orbit_setting(orbit_db *db, const char *name) {
  const char *v = NULL;
  orb_err e;
  orb_err_clear(&e);
  return db && oql_show(db->sess, name, &v, &e) == ORB_OK ? v : NULL;
}

int orbit_warning_count(orbit_db *db) { return db ? oql_session_report_count(db->sess) : 0; }

const char *orbit_warning_at(orbit_db *db, int i, const char **sqlstate, const char **severity) {
  return db ? oql_session_report(db->sess, i, sqlstate, severity) : NULL;
}

const char *orbit_warning(orbit_db *db, const char **sqlstate) {
  const char *severity;
  return orbit_warning_at(db, 0, sqlstate, &severity);
}

const char *orbit_warning_severity(orbit_db *db) {
  const char *code, *severity;
  return orbit_warning_at(db, 0, &code, &severity) ? severity : NULL;
}

void orbit_interrupt(orbit_db *db) {
  if (db) oql_session_interrupt(db->sess);
}

void orbit_progress_handler(orbit_db *db, orbit_progress_fn fn, void *ctx) {
  if (db) oql_session_set_progress(db->sess, fn, ctx);
}

char orbit_txn_status(orbit_db *db) { return db ? oql_session_txn_status(db->sess) : 'I'; }

int orbit_errpos(orbit_db *db, int *line, int *column) {
  int l = 0, c = 0;
  if (db && db->err.code != ORB_OK && db->err.pos > 0 && db->err_sql) {
    size_t n = strlen(db->err_sql), end = (size_t)db->err.pos - 1;
    if (end > n) end = n;
    l = 1;
    c = 1;
    for (size_t i = 0; i < end; i++) {
      unsigned char ch = (unsigned char)db->err_sql[i];
      if (ch == '\n') {
        l++;
        c = 1;
      } else if ((ch & 0xC0) != 0x80) {
        c++;   /* count characters, not UTF-8 continuation bytes */
      }
    }
  }
  if (line) *line = l;
  if (column) *column = c;
  return l > 0 ? ORBIT_OK : ORBIT_ERROR;
}

int orbit_checkpoint(orbit_db *db) {
  if (!db) return ORBIT_MISUSE;
  orb_err e;
  orb_err_clear(&e);
  if (oql_session_in_txn(db->sess)) {
    orb_err_setx(&e, ORB_ERR_MISUSE, "25001", 0, "CHECKPOINT cannot run inside a transaction block");
    return orbit__fail(db, &e, NULL);
  }
  if (orb_db_checkpoint(db->engine, &e) != ORB_OK) return orbit__fail(db, &e, NULL);
  orbit__ok(db);
  return ORBIT_OK;
}

const char *orbit_version(void) { return ORBIT_VERSION; }

char *orbit_role_secret(orbit_db *db, const char *role) {
  if (!db || !role) return NULL;
  return oql_role_secret(db->sess, role);
}

int64_t orbit_login_roles(orbit_db *db) { return db ? oql_login_roles(db->sess) : 0; }
