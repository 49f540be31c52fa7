/*
** query/stmt_exec.h — executing bound statements (binder.h) of every kind.
**
** The session (session.c) takes the locks and owns the write set; these
** functions do the statement's work.  A statement that returns rows sets
** *rows to the operator to drain (its plan, or rows built in `xa`, the
** per-execution arena); others leave it NULL.  `tag` receives PostgreSQL's
** command tag ("INSERT 0 3"); SELECT-like statements get theirs from the
** session once their rows are counted.
*/
#ifndef ORB_QUERY_STMT_EXEC_H
#define ORB_QUERY_STMT_EXEC_H

#include "query/binder.h"
#include "query/session.h"

/* Statements with b->writes: run inside rt->ws. */
orb_status oql_exec_write(oql_session *s, oql_bstmt *b, oql_rt *rt, orb_arena *xa, oql_op **rows, int64_t *changes,
                          char *tag, size_t tagcap, orb_err *e);
/* Everything else (under the read lock when b->reads). */
orb_status oql_exec_read(oql_session *s, oql_bstmt *b, oql_rt *rt, orb_arena *xa, oql_op **rows, int64_t *changes,
                         char *tag, size_t tagcap, orb_err *e);

/* DDL (exec_ddl.c), inside rt->ws. */
orb_status oql_exec_create_table(oql_bstmt *b, oql_rt *rt, orb_err *e);
orb_status oql_exec_create_table_as(oql_bstmt *b, oql_rt *rt, int64_t *rows, orb_err *e);
orb_status oql_exec_drop_table(oql_bstmt *b, oql_rt *rt, orb_err *e);
/* CREATE [OR REPLACE] VIEW (binder_view.c binds it). */
orb_status oql_exec_create_view(oql_bstmt *b, oql_rt *rt, orb_err *e);
/* CREATE SEQUENCE. */
orb_status oql_exec_create_sequence(oql_bstmt *b, oql_rt *rt, orb_err *e);
orb_status oql_exec_alter_sequence(oql_bstmt *b, oql_rt *rt, orb_err *e);   /* exec_sequence.c */
/* TRUNCATE: every row of every named table deleted, in the statement's write set. */
orb_status oql_exec_truncate(oql_bstmt *b, oql_rt *rt, orb_err *e);
orb_status oql_exec_alter_table(oql_bstmt *b, oql_rt *rt, orb_err *e);
/* CREATE/DROP/ALTER INDEX and ADD UNIQUE (exec_index.c; b->alter says which). */
orb_status oql_exec_index(oql_bstmt *b, oql_rt *rt, orb_err *e);

/* Rows of SHOW TABLES / DESCRIBE (exec_ddl.c). */
void oql_show_tables(orb_db *db, orb_arena *xa, oql_op **rows);
orb_status oql_describe(orb_db *db, const char *table, orb_arena *xa, oql_op **rows, orb_err *e);
/* SHOW SNAPSHOTS: the snapshots of the Iceberg table at `where` (exec_cold.c). */
orb_status oql_show_snapshots(const char *where, const char *table, orb_arena *xa, oql_op **rows, orb_err *e);
/* SHOW TBLPROPERTIES: the properties of the Iceberg table at `where`, by key
** (exec_cold.c). */
orb_status oql_show_tblproperties(const char *where, const char *table, orb_arena *xa, oql_op **rows, orb_err *e);

/* CALL expire_snapshots / remove_orphan_files and VACUUM of Iceberg
** tables (exec_maint.c): outside a transaction block only (25001). */
orb_status oql_exec_maint(oql_session *s, oql_bstmt *b, orb_arena *xa, oql_op **rows, char *tag, size_t tagcap,
                          orb_err *e);

#endif
