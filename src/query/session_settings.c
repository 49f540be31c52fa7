/* query/session_settings.c — a session's settings: SET, SHOW,
** current_setting() and set_config() (through orb_settings, expr/expr.h),
** pg_settings' rows, and undoing changes at the end of a transaction block
** (session_int.h says how). */
#include "query/session_int.h"
#include "query/ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"

typedef struct setting {
  const char *name;       /* PostgreSQL's spelling; matched case-insensitively */
  const char *def;
  bool readonly;          /* pg_settings.context "internal", else "user" */
  const char *vartype;    /* bool, integer, string, enum */
  const char *unit;
  const char *category;   /* PostgreSQL's grouping, so that tools list them alike */
  const char *desc;
  const char *min, *max, *enumvals;
} setting;

#define LOCALE_FMT "Client Connection Defaults / Locale and Formatting"
#define STMT_BEHAVIOR "Client Connection Defaults / Statement Behavior"
#define PRESET "Preset Options"
#define ISO_LEVELS "{serializable,\"repeatable read\",\"read committed\",\"read uncommitted\"}"

/* The settings a session knows; clients (psql, drivers) set several of
** these.  The OQL_SET_* indexes (session_int.h) point into this table. */
static const setting settings[] = {
    {"synchronous_commit", "on", false, "enum", NULL, "Write-Ahead Log / Settings",
     "Whether a commit waits for its log record to reach the disk.", NULL, NULL,
     "{local,remote_write,remote_apply,on,off}"},
    {"TimeZone", "UTC", false, "string", NULL, LOCALE_FMT, "Time zone of timestamps shown and read (Orbit: UTC only).",
     NULL, NULL, NULL},
    {"DateStyle", "ISO, MDY", false, "string", NULL, LOCALE_FMT, "How dates and times are shown.", NULL, NULL, NULL},
    {"IntervalStyle", "postgres", false, "enum", NULL, LOCALE_FMT, "How intervals are shown.", NULL, NULL,
     "{postgres,postgres_verbose,sql_standard,iso_8601}"},
    {"client_encoding", "UTF8", false, "string", NULL, LOCALE_FMT, "The client's character set.", NULL, NULL, NULL},
    {"server_encoding", "UTF8", true, "string", NULL, PRESET, "The database's character set.", NULL, NULL, NULL},
    {"application_name", "", false, "string", NULL, "Reporting and Logging / What to Log",
     "The name the client application gave itself.", NULL, NULL, NULL},
    {"search_path", "public", false, "string", NULL, STMT_BEHAVIOR, "Schemas unqualified names are looked up in.", NULL,
     NULL, NULL},
    {"extra_float_digits", "1", false, "integer", NULL, LOCALE_FMT, "Digits added to floating-point values shown.",
     "-15", "3", NULL},
    {"statement_timeout", "0", false, "integer", "ms", STMT_BEHAVIOR,
     "How long a statement may run before it is cancelled (0: no limit).", "0", "2147483647", NULL},
    {"statement_mem", "2GB", false, "string", NULL, "Resource Usage / Memory",
     "Memory a statement's operators may hold (Orbit; 0: no limit).", NULL, NULL, NULL},
    {"standard_conforming_strings", "on", false, "bool", NULL,
     "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "Backslashes in '...' strings are ordinary characters.", NULL, NULL, NULL},
    {"server_version", "15.0 (Orbit " ORBIT_VERSION ")", true, "string", NULL, PRESET,
     "The PostgreSQL version the server speaks as.", NULL, NULL, NULL},
    {"transaction_isolation", "repeatable read", false, "enum", NULL, STMT_BEHAVIOR,
     "The current transaction's isolation level.", NULL, NULL, ISO_LEVELS},
    {"default_transaction_isolation", "repeatable read", false, "enum", NULL, STMT_BEHAVIOR,
     "The isolation level of new transactions.", NULL, NULL, ISO_LEVELS},
    {"integer_datetimes", "on", true, "bool", NULL, PRESET, "Dates and times are kept as integers.", NULL, NULL, NULL},
    {"server_version_num", "150000", true, "integer", NULL, PRESET, "The PostgreSQL version as a number.", "150000",
     "150000", NULL},
    {"transaction_read_only", "off", false, "bool", NULL, STMT_BEHAVIOR,
     "Whether the current transaction is read-only.", NULL, NULL, NULL},
    {"default_transaction_read_only", "off", false, "bool", NULL, STMT_BEHAVIOR,
     "Whether new transactions are read-only.", NULL, NULL, NULL},
    {"session_authorization", "orbit", false, "string", NULL, "Preset Options",
     "The role of the session (orbitd: the role that logged in).", NULL, NULL, NULL},
    {"max_index_keys", "32", true, "integer", NULL, PRESET, "The most columns an index key may have.", "32", "32",
     NULL},
    {"lock_timeout", "0", false, "integer", "ms", STMT_BEHAVIOR,
     "How long one wait for another transaction's row or DDL may last (0: no limit).", "0", "2147483647", NULL},
    {"client_min_messages", "notice", false, "enum", NULL, "Reporting and Logging / When to Log",
     "The lowest level of messages sent to the client.", NULL, NULL,
     "{debug5,debug4,debug3,debug2,debug1,log,notice,warning,error}"},
    {"default_table_access_method", "heap", false, "string", NULL, STMT_BEHAVIOR,
     "Where CREATE TABLE without USING puts a table: heap (the hot tier) or iceberg.", NULL, NULL, NULL},
    {"default_tablespace", "", false, "string", NULL, STMT_BEHAVIOR,
     "Orbit has one tablespace, pg_default; '' names it too.", NULL, NULL, NULL},
    /* orbitd ends a session idle this long (server.c's idle timers); the
    ** embedded API and the shell have no idle client to end */
    {"idle_in_transaction_session_timeout", "0", false, "integer", "ms", STMT_BEHAVIOR,
     "How long a session may stay idle in an open transaction before orbitd ends it (0: no limit).", "0",
     "2147483647", NULL},
    {"idle_session_timeout", "0", false, "integer", "ms", STMT_BEHAVIOR,
     "How long a session may stay idle outside a transaction before orbitd ends it (0: no limit).", "0",
     "2147483647", NULL},
    /* Settings PostgreSQL's tools set (pg_dump's scripts) for features Orbit
    ** does not have: their values are kept and shown, and change nothing. */
    {"check_function_bodies", "on", false, "bool", NULL, STMT_BEHAVIOR,
     "Accepted for PostgreSQL's tools; Orbit has no function bodies to check.", NULL, NULL, NULL},
    {"xmloption", "content", false, "enum", NULL, STMT_BEHAVIOR,
     "Accepted for PostgreSQL's tools; Orbit has no xml type.", NULL, NULL, "{content,document}"},
    {"row_security", "on", false, "bool", NULL, STMT_BEHAVIOR,
     "Accepted for PostgreSQL's tools; Orbit has no row security policies.", NULL, NULL, NULL},
};
#define NBUILTIN ((int)(sizeof settings / sizeof settings[0]))

_Static_assert(sizeof settings / sizeof settings[0] > OQL_SET_IDLE_SESSION_TIMEOUT, "OQL_SET_* indexes");

static orb_status ops_get(void *env, const char *name, bool missing_ok, const char **value, orb_err *e);
static orb_status ops_set(void *env, const char *name, const char *value, bool is_local, const char **out,
                          orb_err *e);

void oql_settings_init(oql_session *s, bool sync_commit) {
  oql_settings_state *st = &s->set;
  st->cap = NBUILTIN + 4;
  st->values = orb_calloc((size_t)st->cap, sizeof *st->values);
  st->custom_names = orb_calloc((size_t)st->cap, sizeof *st->custom_names);
  st->by_session = orb_calloc((size_t)st->cap, sizeof *st->by_session);
  st->n = NBUILTIN;
  for (int i = 0; i < NBUILTIN; i++) st->values[i] = orb_strdup(settings[i].def);
  st->sync_off = !sync_commit;
  if (!sync_commit) {
    orb_free(st->values[OQL_SET_SYNC_COMMIT]);
    st->values[OQL_SET_SYNC_COMMIT] = orb_strdup("off");
  }
  st->ops.env = s;
  st->ops.get = ops_get;
  st->ops.set = ops_set;
  st->ops.seq = oql_session_seq;
}

static void drop_saved(oql_settings_state *st) {
  for (int i = 0; i < st->nsaved; i++) orb_free(st->saved[i].before), orb_free(st->saved[i].keep);
  st->nsaved = 0;
}

void oql_settings_free(oql_session *s) {
  oql_settings_state *st = &s->set;
  for (int i = 0; i < st->n; i++) orb_free(st->values[i]), orb_free(st->custom_names[i]);
  drop_saved(st);
  orb_free(st->saved);
  orb_free(st->values);
  orb_free(st->custom_names);
  orb_free(st->by_session);
  orb_free(st->scratch);
}

const char *oql_setting(const oql_session *s, int idx) { return s->set.values[idx]; }
uint64_t oql_settings_version(const oql_session *s) { return s->set.version; }

static const char *name_of(const oql_settings_state *st, int i) {
  return i < NBUILTIN ? settings[i].name : st->custom_names[i];
}

static int find(const oql_settings_state *st, const char *name) {
  for (int i = 0; i < st->n; i++)
    if (strcasecmp(name_of(st, i), name) == 0) return i;
  return -1;
}

/* A custom setting (a name with a dot, as PostgreSQL's placeholders):
** made empty the first time it is set. */
static int add_custom(oql_settings_state *st, const char *name) {
  if (st->n == st->cap) {
    st->cap *= 2;
    st->values = orb_realloc(st->values, sizeof *st->values * (size_t)st->cap);
    st->custom_names = orb_realloc(st->custom_names, sizeof *st->custom_names * (size_t)st->cap);
    st->by_session = orb_realloc(st->by_session, sizeof *st->by_session * (size_t)st->cap);
  }
  int i = st->n++;
  st->values[i] = orb_strdup("");
  st->custom_names[i] = orb_strdup(name);
  st->by_session[i] = false;
  return i;
}

int64_t oql_mem_bytes(const char *v) {
  char *end;
  double n = strtod(v, &end);
  while (*end == ' ') end++;
  double unit = 1024;
  if (strcasecmp(end, "B") == 0) unit = 1;
  else if (strcasecmp(end, "kB") == 0 || !*end) unit = 1024;
  else if (strcasecmp(end, "MB") == 0) unit = 1024.0 * 1024;
  else if (strcasecmp(end, "GB") == 0) unit = 1024.0 * 1024 * 1024;
  else if (strcasecmp(end, "TB") == 0) unit = 1024.0 * 1024 * 1024 * 1024;
  else return -1;
  if (end == v || n < 0 || n * unit > 9e18) return -1;
  return (int64_t)(n * unit);
}

/* statement_timeout in milliseconds, -1 when malformed: an integer or a
** decimal number with a unit (us, ms, s, min, h, d; none: ms), rounded,
** from 0 to INT32_MAX, as PostgreSQL reads it. */
int64_t oql_timeout_ms(const char *v) {
  static const struct { const char *unit; double ms; } units[] = {{"", 1},      {"us", 0.001},  {"ms", 1},
                                                                  {"s", 1000}, {"min", 60000}, {"h", 3600000},
                                                                  {"d", 86400000}};
  char *end;
  double n = strtod(v, &end);
  if (end == v) return -1;
  while (*end == ' ') end++;
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (strcmp(end, units[k].unit) == 0) {
      double ms = n * units[k].ms;
      ms = ms < 0 ? -(double)(int64_t)(-ms + 0.5) : (double)(int64_t)(ms + 0.5);
      return ms < 0 || ms > 2147483647.0 ? -1 : (int64_t)ms;
    }
  return -1;
}

/* ... and as SHOW prints it: in the largest unit it is a whole number of. */
static const char *timeout_text(int64_t ms, char *buf, size_t cap) {
  static const struct { const char *unit; int64_t ms; } units[] = {
      {"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}, {"ms", 1}};
  if (ms == 0) return "0";
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (ms % units[k].ms == 0) {
      snprintf(buf, cap, "%lld%s", (long long)(ms / units[k].ms), units[k].unit);
      break;
    }
  return buf;
}

/* READ UNCOMMITTED behaves as READ COMMITTED and SERIALIZABLE as
** REPEATABLE READ (snapshot isolation), as docs/transactions.md explains. */
const char *oql_isolation_level(const char *v) {
  static const char *levels[] = {"read uncommitted", "read committed", "repeatable read", "serializable"};
  for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++)
    if (strcasecmp(v, levels[k]) == 0) return levels[k];
  return NULL;
}

bool oql_level_read_committed(const char *level) {
  return strcmp(level, "read committed") == 0 || strcmp(level, "read uncommitted") == 0;
}

static orb_status unknown(const char *name, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0, "unrecognized configuration parameter \"%s\"", name);
}

static orb_status invalid(const char *name, const char *v, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid value for parameter \"%s\": \"%s\"", name, v);
}

/* The settings holding a duration in ms (oql_timeout_ms). */
static bool is_timeout(int i) {
  return i == OQL_SET_STATEMENT_TIMEOUT || i == OQL_SET_LOCK_TIMEOUT || i == OQL_SET_IDLE_TXN_TIMEOUT ||
         i == OQL_SET_IDLE_SESSION_TIMEOUT;
}

/* The value SET would store for setting i (value NULL: its default), or an
** error; buf (64 bytes) may hold it. */
static orb_status normalize(int i, const char *value, const char **out, char *buf, orb_err *e) {
  const char *v = value;
  if (!v) v = i < NBUILTIN ? settings[i].def : "";
  *out = v;
  if (i >= NBUILTIN) return ORB_OK;
  const char *name = settings[i].name;
  if (i == OQL_SET_DEFAULT_ISOLATION) {
    if (!(*out = oql_isolation_level(v))) return invalid(name, v, e);
  } else if (is_timeout(i)) {
    int64_t ms = oql_timeout_ms(v);
    if (ms < 0) return invalid(name, v, e);
    *out = timeout_text(ms, buf, 64);
  } else if (i == OQL_SET_STATEMENT_MEM) {
    if (oql_mem_bytes(v) < 0) return invalid(name, v, e);
  } else if (settings[i].enumvals && i != OQL_SET_SYNC_COMMIT && i != OQL_SET_ISOLATION &&
             i != OQL_SET_DEFAULT_ISOLATION && strcmp(name, "IntervalStyle") != 0) {
    /* an enum: one of its values, any case, stored lower case */
    const char *vals = settings[i].enumvals;   /* {a,b,c} */
    size_t vn = strlen(v);
    *out = NULL;
    for (const char *w = vals + 1; *w && *w != '}';) {
      size_t wn = strcspn(w, ",}");
      if (wn == vn && strncasecmp(w, v, vn) == 0) {
        snprintf(buf, 64, "%.*s", (int)wn, w);
        *out = buf;
      }
      w += wn + (w[wn] == ',');
    }
    if (!*out) {
      invalid(name, v, e);
      char list[200];   /* "{a,b}" as "a, b" */
      size_t k = 0;
      for (const char *c = vals + 1; *c && *c != '}' && k + 3 < sizeof list; c++) {
        if (*c == ',') list[k++] = ',', list[k++] = ' ';
        else list[k++] = *c;
      }
      list[k] = '\0';
      orb_err_hint(e, "Available values: %s.", list);
      return e->code;
    }
  } else if (i == OQL_SET_DEFAULT_AM) {
    if (strcmp(v, "heap") != 0 && strcmp(v, "iceberg") != 0) {
      invalid(name, v, e);
      orb_err_detail(e, "Table access method \"%s\" does not exist.", v);
      return e->code;
    }
  } else if (i == OQL_SET_DEFAULT_TABLESPACE) {
    if (*v && strcmp(v, "pg_default") != 0) {
      invalid(name, v, e);
      orb_err_detail(e, "Tablespace \"%s\" does not exist.", v);
      return e->code;
    }
  } else if (strcmp(settings[i].vartype, "bool") == 0 || i == OQL_SET_SYNC_COMMIT) {
    static const char *on[] = {"on", "true", "yes", "1", "local", "remote_write", "remote_apply"};
    static const char *off[] = {"off", "false", "no", "0"};
    *out = NULL;
    for (size_t k = 0; k < sizeof on / sizeof on[0]; k++)   /* local, remote_*: synchronous_commit's */
      if (strcasecmp(v, on[k]) == 0 && (k < 4 || i == OQL_SET_SYNC_COMMIT)) *out = "on";
    for (size_t k = 0; k < sizeof off / sizeof off[0]; k++)
      if (strcasecmp(v, off[k]) == 0) *out = "off";
    if (!*out) return invalid(name, v, e);
    if (strcmp(name, "standard_conforming_strings") == 0 && strcmp(*out, "off") == 0)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                          "standard_conforming_strings cannot be turned off: backslashes in '...' are always "
                          "ordinary characters (write E'...' for escapes)");
  } else if (strcmp(name, "TimeZone") == 0) {
    if (strcasecmp(v, "UTC") != 0 && strcasecmp(v, "GMT") != 0 && strcasecmp(v, "Etc/UTC") != 0 && strcmp(v, "0") != 0)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "time zone \"%s\" is not supported: Orbit works in UTC", v);
    *out = "UTC";
  }
  return ORB_OK;
}

/* SET TRANSACTION ISOLATION LEVEL / SET transaction_isolation: this
** block's level, only before its first query. */
static orb_status set_txn_level(oql_session *s, const char *value, orb_err *e) {
  const char *level = oql_isolation_level(value ? value : settings[OQL_SET_ISOLATION].def);
  if (!level) return invalid(settings[OQL_SET_ISOLATION].name, value, e);
  if (!value || !s->txn) return ORB_OK;   /* PostgreSQL warns and does nothing outside a block */
  if (orb_wset_started(s->txn))
    return orb_err_setx(e, ORB_ERR_MISUSE, "25001", 0, "SET TRANSACTION ISOLATION LEVEL must be called before any query");
  s->txn_iso = level;
  orb_wset_set_read_committed(s->txn, oql_level_read_committed(level));
  return ORB_OK;
}

/* Remember setting i as it was before the block changed it (once). */
static struct oql_saved_setting *saved_for(oql_settings_state *st, int i) {
  for (int k = 0; k < st->nsaved; k++)
    if (st->saved[k].idx == i) return &st->saved[k];
  if (st->nsaved == st->capsaved) {
    st->capsaved = st->capsaved ? st->capsaved * 2 : 8;
    st->saved = orb_realloc(st->saved, sizeof *st->saved * (size_t)st->capsaved);
  }
  struct oql_saved_setting *sv = &st->saved[st->nsaved++];
  sv->idx = i;
  sv->before = orb_strdup(st->values[i]);
  sv->keep = orb_strdup(st->values[i]);
  sv->before_by_session = sv->keep_by_session = st->by_session[i];
  return sv;
}

static orb_status set_setting(oql_session *s, const char *name, const char *value, bool local, const char **out,
                              orb_err *e) {
  oql_settings_state *st = &s->set;
  int i = find(st, name);
  if (i < 0 && (!strchr(name, '.') || name[0] == '.' || name[strlen(name) - 1] == '.')) return unknown(name, e);
  if (i >= 0 && i < NBUILTIN && settings[i].readonly)
    return orb_err_setx(e, ORB_ERR_MISUSE, "55P02", 0, "parameter \"%s\" cannot be changed", settings[i].name);
  if (i == OQL_SET_ISOLATION) {
    orb_status rc = set_txn_level(s, value, e);
    if (rc == ORB_OK && out) *out = s->txn ? s->txn_iso : st->values[OQL_SET_DEFAULT_ISOLATION];
    return rc;
  }
  if (i == OQL_SET_READ_ONLY) {   /* the block's access mode, as transaction_isolation is its level */
    const char *v;
    char buf[64];
    orb_status rc = normalize(i, value ? value : st->values[OQL_SET_DEFAULT_READ_ONLY], &v, buf, e);
    if (rc != ORB_OK) return rc;
    if (s->txn) {
      if (s->txn_read_only && strcmp(v, "off") == 0 && orb_wset_started(s->txn))
        return orb_err_setx(e, ORB_ERR_MISUSE, "25001",
                            0, "transaction read-write mode must be set before any query");
      s->txn_read_only = strcmp(v, "on") == 0;
    }
    if (out) *out = oql_txn_read_only(s) ? "on" : "off";
    return ORB_OK;
  }
  const char *v;
  char buf[64];
  /* RESET: the value the session began with, reported as "default" again */
  /* orbitd sets the role that logged in as the session's own: shown as a default, as PostgreSQL does */
  bool by_session = value != NULL && i != OQL_SET_SESSION_AUTHORIZATION;
  if (!value && i == OQL_SET_SYNC_COMMIT && st->sync_off) value = "off";
  orb_status rc = normalize(i < 0 ? NBUILTIN : i, value, &v, buf, e);
  if (rc != ORB_OK) return rc;
  if (i < 0) i = add_custom(st, name);
  if (local && !s->txn) {   /* the statement is its own transaction: nothing lasts */
    orb_free(st->scratch);
    st->scratch = orb_strdup(v);
    if (out) *out = st->scratch;
    return ORB_OK;
  }
  if (s->txn) {
    struct oql_saved_setting *sv = saved_for(st, i);
    if (!local) {
      orb_free(sv->keep);
      sv->keep = orb_strdup(v);
      sv->keep_by_session = by_session;
    }
  }
  char *nv = orb_strdup(v);
  orb_free(st->values[i]);
  st->values[i] = nv;
  st->by_session[i] = by_session;
  st->version++;
  if (out) *out = nv;
  return ORB_OK;
}

void oql_settings_txn_end(oql_session *s, bool committed) {
  oql_settings_state *st = &s->set;
  if (!st->nsaved) return;
  for (int k = 0; k < st->nsaved; k++) {
    struct oql_saved_setting *sv = &st->saved[k];
    orb_free(st->values[sv->idx]);
    st->values[sv->idx] = orb_strdup(committed ? sv->keep : sv->before);
    st->by_session[sv->idx] = committed ? sv->keep_by_session : sv->before_by_session;
  }
  drop_saved(st);
  st->version++;
}

orb_status oql_set(oql_session *s, const char *name, const char *value, orb_err *e) {
  return set_setting(s, name, value, false, NULL, e);
}

bool oql_txn_read_only(const oql_session *s) {
  return s->txn ? s->txn_read_only : strcmp(s->set.values[OQL_SET_DEFAULT_READ_ONLY], "on") == 0;
}

orb_status oql_check_writable(oql_session *s, const char *command, orb_err *e) {
  if (!oql_txn_read_only(s)) return ORB_OK;
  return orb_err_setx(e, ORB_ERR_MISUSE, "25006", 0, "cannot execute %s in a read-only transaction", command);
}

orb_status oql_set_txn_modes(oql_session *s, bool session, const char *level, int access, orb_err *e) {
  orb_status rc = ORB_OK;
  if (level) rc = set_setting(s, session ? "default_transaction_isolation" : "transaction_isolation", level, false, NULL, e);
  if (rc == ORB_OK && access)
    rc = set_setting(s, session ? "default_transaction_read_only" : "transaction_read_only",
                     access == OQL_READ_ONLY ? "on" : "off", false, NULL, e);
  return rc;
}

orb_status oql_set_stmt(oql_session *s, const char *name, const char *value, bool local, orb_err *e) {
  if (local && !s->txn)   /* PostgreSQL warns, and the setting lasts only for this statement */
    oql_session_warn(s, "25P01", "SET LOCAL can only be used in transaction blocks");
  if (name) return set_setting(s, name, value, local, NULL, e);
  /* RESET ALL: every setting a user may change, but the block's isolation level */
  oql_settings_state *st = &s->set;
  for (int i = 0; i < st->n; i++) {
    if (i == OQL_SET_ISOLATION || i == OQL_SET_READ_ONLY || (i < NBUILTIN && settings[i].readonly) ||
        !st->by_session[i])
      continue;
    orb_status rc = set_setting(s, name_of(st, i), NULL, local, NULL, e);
    if (rc != ORB_OK) return rc;
  }
  return ORB_OK;
}

/* --- savepoints ------------------------------------------------------------------ */

struct oql_settings_mark {
  int n, nsaved;
  char **values;             /* values[0..n) */
  bool *by_session;
  char **keep;               /* saved[0..nsaved).keep */
  bool *keep_by_session;
};

oql_settings_mark *oql_settings_mark_take(oql_session *s) {
  oql_settings_state *st = &s->set;
  oql_settings_mark *m = orb_calloc(1, sizeof *m);
  m->n = st->n;
  m->nsaved = st->nsaved;
  m->values = orb_calloc((size_t)m->n + 1, sizeof *m->values);
  m->by_session = orb_calloc((size_t)m->n + 1, sizeof *m->by_session);
  for (int i = 0; i < m->n; i++) m->values[i] = orb_strdup(st->values[i]), m->by_session[i] = st->by_session[i];
  m->keep = orb_calloc((size_t)m->nsaved + 1, sizeof *m->keep);
  m->keep_by_session = orb_calloc((size_t)m->nsaved + 1, sizeof *m->keep_by_session);
  for (int k = 0; k < m->nsaved; k++)
    m->keep[k] = orb_strdup(st->saved[k].keep), m->keep_by_session[k] = st->saved[k].keep_by_session;
  return m;
}

void oql_settings_mark_restore(oql_session *s, const oql_settings_mark *m) {
  oql_settings_state *st = &s->set;
  /* settings first changed after the mark: back to their value before the block */
  while (st->nsaved > m->nsaved) {
    struct oql_saved_setting *sv = &st->saved[--st->nsaved];
    orb_free(st->values[sv->idx]);
    st->values[sv->idx] = sv->before;
    st->by_session[sv->idx] = sv->before_by_session;
    orb_free(sv->keep);
  }
  for (int k = 0; k < m->nsaved; k++) {
    orb_free(st->saved[k].keep);
    st->saved[k].keep = orb_strdup(m->keep[k]);
    st->saved[k].keep_by_session = m->keep_by_session[k];
  }
  for (int i = 0; i < m->n; i++) {
    orb_free(st->values[i]);
    st->values[i] = orb_strdup(m->values[i]);
    st->by_session[i] = m->by_session[i];
  }
  st->version++;
}

void oql_settings_mark_free(oql_settings_mark *m) {
  if (!m) return;
  for (int i = 0; i < m->n; i++) orb_free(m->values[i]);
  for (int k = 0; k < m->nsaved; k++) orb_free(m->keep[k]);
  orb_free(m->values);
  orb_free(m->by_session);
  orb_free(m->keep);
  orb_free(m->keep_by_session);
  orb_free(m);
}

orb_status oql_show(oql_session *s, const char *name, const char **value, orb_err *e) {
  int i = find(&s->set, name);
  if (i < 0) return unknown(name, e);
  *value = s->set.values[i];
  if (i == OQL_SET_ISOLATION) *value = s->txn ? s->txn_iso : s->set.values[OQL_SET_DEFAULT_ISOLATION];
  if (i == OQL_SET_READ_ONLY) *value = oql_txn_read_only(s) ? "on" : "off";
  return ORB_OK;
}

static orb_status ops_get(void *env, const char *name, bool missing_ok, const char **value, orb_err *e) {
  oql_session *s = env;
  if (find(&s->set, name) < 0 && missing_ok) {
    *value = NULL;
    return ORB_OK;
  }
  return oql_show(s, name, value, e);
}

static orb_status ops_set(void *env, const char *name, const char *value, bool is_local, const char **out,
                          orb_err *e) {
  return set_setting(env, name, value, is_local, out, e);
}

const orb_settings *oql_settings_ops(oql_session *s) { return &s->set.ops; }

bool oql_setting_info_at(const oql_session *s, int i, oql_setting_info *out) {
  if (i < 0 || i >= NBUILTIN) return false;
  const setting *d = &settings[i];
  memset(out, 0, sizeof *out);
  out->name = d->name;
  out->setting = s->set.values[i];
  if (i == OQL_SET_ISOLATION) out->setting = s->txn ? s->txn_iso : s->set.values[OQL_SET_DEFAULT_ISOLATION];
  if (i == OQL_SET_READ_ONLY) out->setting = oql_txn_read_only(s) ? "on" : "off";
  if (is_timeout(i)) {   /* a number of its unit, as PostgreSQL's integer settings */
    snprintf(out->buf, sizeof out->buf, "%lld", (long long)oql_timeout_ms(out->setting));
    out->setting = out->buf;
  }
  out->unit = d->unit;
  out->category = d->category;
  out->short_desc = d->desc;
  out->context = d->readonly ? "internal" : "user";
  out->vartype = d->vartype;
  /* transaction_isolation follows the block, as PostgreSQL's "override" */
  out->source = i == OQL_SET_ISOLATION || i == OQL_SET_READ_ONLY ? "override" : s->set.by_session[i] ? "session" : "default";
  out->min_val = d->min;
  out->max_val = d->max;
  out->enumvals = d->enumvals;
  out->boot_val = d->def;
  out->reset_val = d->def;
  return true;
}
