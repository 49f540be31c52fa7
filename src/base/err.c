/* base/err.c — error objects (see err.h). */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

void orb_err_clear(orb_err *e) {
  if (!e) return;
  e->code = ORB_OK;
  e->sqlstate[0] = '\0';
  e->pos = 0;
  e->msg[0] = '\0';
  e->detail[0] = '\0';
  e->hint[0] = '\0';
}

void orb_err_hint(orb_err *e, const char *fmt, ...) {
  if (!e) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->hint, sizeof e->hint, fmt, ap);
  va_end(ap);
}

/* The HINT PostgreSQL gives with every error of this SQLSTATE and message. */
static const char *standard_hint(const char *sqlstate, const char *msg) {
  if (strcmp(sqlstate, "42883") != 0) return NULL;
  /* not regprocedure input's `function "name(args)" does not exist`, which has none */
  if (strncmp(msg, "function ", 9) == 0 && msg[9] != '"' && strstr(msg, " does not exist"))
    return "No function matches the given name and argument types. You might need to add explicit type casts.";
  if (strncmp(msg, "operator does not exist: ", 25) == 0)
    return "No operator matches the given name and argument types. You might need to add explicit type casts.";
  return NULL;
}

void orb_err_detail(orb_err *e, const char *fmt, ...) {
  if (!e) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->detail, sizeof e->detail, fmt, ap);
  va_end(ap);
}

orb_status orb_err_vset(orb_err *e, orb_status code, const char *fmt, va_list ap) {
  if (!e) return code;
  e->code = code;
  e->sqlstate[0] = '\0';
  e->pos = 0;
  e->detail[0] = '\0';
  e->hint[0] = '\0';
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  return code;
}

orb_status orb_err_set(orb_err *e, orb_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  orb_err_vset(e, code, fmt, ap);
  va_end(ap);
  return code;
}

orb_status orb_err_setx(orb_err *e, orb_status code, const char *sqlstate, int pos,
                        const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  orb_err_vset(e, code, fmt, ap);
  va_end(ap);
  if (e) {
    e->pos = pos;
    if (sqlstate) snprintf(e->sqlstate, sizeof e->sqlstate, "%s", sqlstate);
    const char *hint = sqlstate ? standard_hint(sqlstate, e->msg) : NULL;
    if (hint) snprintf(e->hint, sizeof e->hint, "%s", hint);
  }
  return code;
}

void orb_err_prefix(orb_err *e, const char *fmt, ...) {
  if (!e) return;
  char joined[2 * ORB_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(joined, ORB_ERR_MSG_MAX, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n >= ORB_ERR_MSG_MAX) n = ORB_ERR_MSG_MAX - 1;
  size_t used = (size_t)n;
  used += (size_t)snprintf(joined + used, sizeof joined - used, ": ");
  size_t mlen = strnlen(e->msg, ORB_ERR_MSG_MAX);
  memcpy(joined + used, e->msg, mlen);
  used += mlen;
  if (used >= ORB_ERR_MSG_MAX) used = ORB_ERR_MSG_MAX - 1;  /* keep the front: it names the context */
  memcpy(e->msg, joined, used);
  e->msg[used] = '\0';
}

const char *orb_status_sqlstate(orb_status code) {
  switch (code) {
    case ORB_OK: return "00000";
    case ORB_ERR_SYNTAX: return "42601";
    case ORB_ERR_UNDEFINED: return "42703";
    case ORB_ERR_DUPLICATE: return "42P07";
    case ORB_ERR_TYPE: return "42804";
    case ORB_ERR_INVALID_TEXT: return "22P02";
    case ORB_ERR_DIVZERO: return "22012";
    case ORB_ERR_RANGE: return "22003";
    case ORB_ERR_NOT_NULL: return "23502";
    case ORB_ERR_UNIQUE: return "23505";
    case ORB_ERR_CONSTRAINT: return "23514";
    case ORB_ERR_IO: return "58030";
    case ORB_ERR_CORRUPT: return "XX001";
    case ORB_ERR_NOMEM: return "53200";
    case ORB_ERR_LIMIT: return "54000";
    case ORB_ERR_UNSUPPORTED: return "0A000";
    case ORB_ERR_CONFLICT: return "40001";
    case ORB_ERR_MISUSE: return "55000";
    case ORB_ERR_INTERNAL: return "XX000";
    case ORB_ERR_WAIT: return "40001";
  }
  return "XX000";
}

const char *orb_err_sqlstate(const orb_err *e) {
  return e->sqlstate[0] ? e->sqlstate : orb_status_sqlstate(e->code);
}

const char *orb_status_name(orb_status code) {
  switch (code) {
    case ORB_OK: return "ok";
    case ORB_ERR_SYNTAX: return "syntax error";
    case ORB_ERR_UNDEFINED: return "undefined object";
    case ORB_ERR_DUPLICATE: return "duplicate object";
    case ORB_ERR_TYPE: return "type mismatch";
    case ORB_ERR_INVALID_TEXT: return "invalid input";
    case ORB_ERR_DIVZERO: return "division by zero";
    case ORB_ERR_RANGE: return "out of range";
    case ORB_ERR_NOT_NULL: return "not-null violation";
    case ORB_ERR_UNIQUE: return "unique violation";
    case ORB_ERR_CONSTRAINT: return "constraint violation";
    case ORB_ERR_IO: return "I/O error";
    case ORB_ERR_CORRUPT: return "corrupt data";
    case ORB_ERR_NOMEM: return "out of memory";
    case ORB_ERR_LIMIT: return "limit exceeded";
    case ORB_ERR_UNSUPPORTED: return "not supported";
    case ORB_ERR_CONFLICT: return "serialization failure";
    case ORB_ERR_MISUSE: return "misuse";
    case ORB_ERR_INTERNAL: return "internal error";
    case ORB_ERR_WAIT: return "must wait for another transaction";
  }
  return "unknown";
}
