/*
** query/session_int.h — what session.c shares with the other session_*.c files.
*/
#ifndef ORB_QUERY_SESSION_INT_H
#define ORB_QUERY_SESSION_INT_H

#include "query/binder.h"
#include "query/session.h"

/* oql_prepare for an internal statement, which may use system tables. */
orb_status oql_prepare_system(oql_session *s, const char *sql, oql_stmt **out, orb_err *e);

/* CREATE / ALTER / DROP ROLE (session_roles.c): run as statements on the
** roles table in the session's transaction; tag gets the command tag. */
orb_status oql_run_role(oql_session *s, const oql_bstmt *b, char *tag, size_t tagcap, orb_err *e);

#endif
