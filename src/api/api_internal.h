/*
** api/api_internal.h — the structures behind include/orbit.h's handles.
**
** An orbit_db is a session (query/session.h) over an engine (storage/db.h)
** that is shared by every handle of the process opened on the same
** directory (base/registry.h, keyed by the directory's real path).  It keeps
** the last error and the text of the statement it came from, so that
** orbit_errpos() can turn the error's byte offset into a line and column.
** An orbit_stmt wraps a prepared oql_stmt and caches the text form of the
** current row's columns for orbit_column_text(), and of the array element
** read last for orbit_elem_text().
*/
#ifndef ORB_API_INTERNAL_H
#define ORB_API_INTERNAL_H

#include "orbit.h"

#include "base/buf.h"
#include "base/err.h"
#include "query/session.h"
#include "storage/db.h"

struct orbit_db {
  orb_db *engine;            /* shared; released through the registry */
  oql_session *sess;
  orb_err err;               /* last error */
  char *err_sql;             /* text the error position refers to (owned), NULL if none */
  int64_t changes;
  int nstmts;                /* statements not yet finalized */
};

struct orbit_stmt {
  orbit_db *db;
  oql_stmt *st;
  const char *sql_base;      /* start of the string given to orbit_prepare (for error offsets) */
  int ncols;
  orb_buf *text;             /* per column: text of the current row's value */
  bool *text_ok;             /* text[i] is up to date */
  char **decltype;           /* per column, built on demand */
  orb_buf elem_text;         /* text (or blob) of the array element read last (orbit_elem_text) */
  bool has_row;
  bool done;
};

/* Record an error on the handle; sql (may be NULL) is the text e->pos refers to. */
int orbit__fail(orbit_db *db, const orb_err *e, const char *sql);
void orbit__ok(orbit_db *db);

#endif
