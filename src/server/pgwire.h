/*
** server/pgwire.h — one PostgreSQL frontend/backend protocol (v3) session.
**
** This is the only part of Orbit that knows PostgreSQL's message formats and
** type OIDs.  A pg_session turns the bytes a client sent into the bytes to
** send back, running statements through the public C API (orbit.h); it does
** no socket I/O itself, so the same code serves the network server
** (server.c), the unit tests and the fuzz target (fuzz/fuzz_pgwire.c).
**
**   pg_session *s = pg_session_new(&cfg);
**   orb_buf out = ORB_BUF_INIT;
**   bool open = pg_session_feed(s, bytes, n, &out);   // any split of the stream is fine
**   write(fd, out.data, out.len); ...
**   pg_session_free(s);
**
** Supported today: SSLRequest/GSSENCRequest (answered 'N': no TLS yet),
** StartupMessage 3.0 with SCRAM-SHA-256 (scram.h) or `trust` authentication, ParameterStatus and
** BackendKeyData, the simple query protocol (several statements per Query,
** RowDescription with PostgreSQL type OIDs, DataRow in text format,
** CommandComplete, EmptyQueryResponse, CancelRequest (passed to cfg.cancel),
** ErrorResponse with severity,
** SQLSTATE, message, detail and position), ReadyForQuery with the
** transaction status, Terminate.  A malformed or oversized message gets an
** ErrorResponse (08P01 / 54000) and the connection is closed; nothing else
** is affected.
*/
#ifndef ORB_SERVER_PGWIRE_H
#define ORB_SERVER_PGWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

typedef struct pg_config {
  const char *db_path;          /* the database directory every session opens */
  size_t max_message;           /* largest message accepted (bytes) */
  int32_t process_id;           /* BackendKeyData: identifies the session to CancelRequest */
  int32_t secret_key;           /* BackendKeyData: random, proves a CancelRequest */
  /* CancelRequest(pid, secret) arrived on this connection (it closes after) */
  void (*cancel)(int32_t process_id, int32_t secret_key);
  bool frames_only;             /* fuzzing: check messages, run nothing, open no database */
  bool scram;                   /* SCRAM-SHA-256 password check (else trust) */
  const struct scram_users *users;   /* the users file's users (may be NULL) */
  /* a role's verifier from the database (CREATE ROLE ... PASSWORD), malloc'd; NULL if none */
  char *(*role_secret)(const char *db_path, const char *user);
  /* settings applied at startup before the client's: "name\0value\0"... (may be NULL) */
  const char *settings;
  size_t settings_len;
} pg_config;

typedef struct pg_session pg_session;

pg_session *pg_session_new(const pg_config *cfg);
/* Consume n bytes from the client, appending replies to out.  Returns false
** when the connection must be closed (Terminate, protocol violation, a failed
** startup); replies already in `out` should still be sent. */
bool pg_session_feed(pg_session *s, const uint8_t *data, size_t n, orb_buf *out);
void pg_session_free(pg_session *s);
/* The session's database handle once started up (NULL before). */
struct orbit_db *pg_session_db(const pg_session *s);

/* Idle timeouts (idle_in_transaction_session_timeout, idle_session_timeout),
** which the caller times since the session's input ran dry: how many ms the
** session may now stay idle (0: no limit).  A session is idle only after a
** ReadyForQuery, as in PostgreSQL: not in the middle of an extended-protocol
** batch or a COPY.  *in_txn says which timeout applies (open or failed
** transaction block: the first). */
int64_t pg_session_idle_limit(const pg_session *s, bool *in_txn);
/* The limit passed: the FATAL ErrorResponse (25P03 or 57P05) to send before
** the caller closes the connection (pg_session_free rolls the transaction back). */
void pg_session_idle_fatal(pg_session *s, bool in_txn, orb_buf *out);

/* The PostgreSQL type OID and typlen for an orbit_type (orbit.h). */
int32_t pg_type_oid(int orbit_type);
/* The OID of the array type whose elements are of orbit_type (text[] for others). */
int32_t pg_array_type_oid(int orbit_type);
int16_t pg_type_len(int orbit_type);
/* The type OID (and type modifier, -1 for none) of a statement's result
** column col (0-based) or parameter idx (1-based), modifiers included:
** VARCHAR(n) is varchar, not text. */
struct orbit_stmt;
int32_t pg_column_oid(struct orbit_stmt *st, int col, int32_t *typmod);
int32_t pg_param_oid(struct orbit_stmt *st, int idx);
/* The orbit_type (and for an array the element's) of a type OID a client
** declares for a parameter in Parse: 0 and unknown (705) are ORBIT_NULL,
** "let the statement decide"; char, name, varchar and bpchar are text, oid
** is bigint.  False for a type Orbit does not have. */
bool pg_type_from_oid(int32_t oid, int *orbit_type, int *elem_type);

#endif
