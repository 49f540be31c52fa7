/*
** base/err.h — error objects.
**
** Every fallible function in Orbit returns an orb_status (ORB_OK == 0) and,
** on failure, fills a caller-provided orb_err with a message a user can act
** on.  The status classifies the failure; orb_status_sqlstate() maps it to
** the five-character SQLSTATE of the SQL standard so that every layer above
** (C API, shell, wire protocol) reports the same code.  A more specific
** SQLSTATE may be stored in orb_err.sqlstate; it wins over the mapping.
**
** Positions: `pos` is a 1-based byte offset into the statement text (0 when
** the error has no place); line/col are derived from it by the query layer.
**
**   orb_err e; orb_err_clear(&e);
**   if (parse(sql, &e) != ORB_OK) printf("ERROR: %s\n", e.msg);
**
** Ownership: orb_err is a plain value with a fixed-size message buffer; it
** owns no heap memory and needs no cleanup.
*/
#ifndef ORB_BASE_ERR_H
#define ORB_BASE_ERR_H

#include <stdarg.h>

typedef enum orb_status {
  ORB_OK = 0,
  ORB_ERR_SYNTAX,         /* 42601 malformed statement */
  ORB_ERR_UNDEFINED,      /* 42703/42P01/42883 unknown column, table, function */
  ORB_ERR_DUPLICATE,      /* 42P07/42701 object already exists */
  ORB_ERR_TYPE,           /* 42804 datatype mismatch */
  ORB_ERR_INVALID_TEXT,   /* 22P02/22007/22008 value cannot be parsed */
  ORB_ERR_DIVZERO,        /* 22012 */
  ORB_ERR_RANGE,          /* 22003 numeric/date value out of range */
  ORB_ERR_NOT_NULL,       /* 23502 */
  ORB_ERR_UNIQUE,         /* 23505 duplicate primary key */
  ORB_ERR_CONSTRAINT,     /* 23514 other constraint / data exception */
  ORB_ERR_IO,             /* 58030 operating-system I/O failure */
  ORB_ERR_CORRUPT,        /* XX001 data on disk or in a file is malformed */
  ORB_ERR_NOMEM,          /* 53200 allocation failed or memory limit reached */
  ORB_ERR_LIMIT,          /* 54000 a configured limit was exceeded */
  ORB_ERR_UNSUPPORTED,    /* 0A000 feature not supported */
  ORB_ERR_CONFLICT,       /* 40001 serialization failure: retry */
  ORB_ERR_MISUSE,         /* 55000/42P18 API used wrongly, bad state */
  ORB_ERR_INTERNAL,       /* XX000 a bug: report it */
  ORB_ERR_WAIT            /* internal: another transaction is writing the row; wait, then run the
                          ** statement again (txn/wset.h).  Never reaches a user. */
} orb_status;

#define ORB_ERR_MSG_MAX 512

typedef struct orb_err {
  orb_status code;
  char sqlstate[6];       /* "" = use orb_status_sqlstate(code) */
  int pos;                /* 1-based byte offset in statement text, 0 = none (the caller may
                          ** add one), -1 = none to report (as PostgreSQL reports it) */
  char msg[ORB_ERR_MSG_MAX];
  char detail[256];       /* optional second line (PostgreSQL's DETAIL), "" = none */
  char hint[256];         /* optional advice (PostgreSQL's HINT), "" = none */
} orb_err;

/* Reset to ORB_OK with an empty message. */
void orb_err_clear(orb_err *e);

/* Fill `e` (may be NULL) with code and printf-style message; returns code so
** that `return orb_err_set(e, ORB_ERR_IO, "...")` reads naturally. */
orb_status orb_err_set(orb_err *e, orb_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
orb_status orb_err_vset(orb_err *e, orb_status code, const char *fmt, va_list ap);

/* Same as orb_err_set, also recording a statement position and an explicit
** SQLSTATE (NULL keeps the default for `code`).  The errors PostgreSQL
** always gives a fixed HINT with get it here: 42883 "function ... does not
** exist" and "operator does not exist: ..." (You might need to add explicit
** type casts). */
orb_status orb_err_setx(orb_err *e, orb_status code, const char *sqlstate, int pos,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Attach a DETAIL line to the error already set in `e`. */
void orb_err_detail(orb_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Attach a HINT (advice on what to do) to the error already set in `e`. */
void orb_err_hint(orb_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the existing message with "<prefix>: " (for context, e.g. a file name). */
void orb_err_prefix(orb_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The SQLSTATE for an error: e->sqlstate if set, else the code's default. */
const char *orb_err_sqlstate(const orb_err *e);
const char *orb_status_sqlstate(orb_status code);
const char *orb_status_name(orb_status code);

#endif
