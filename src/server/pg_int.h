/*
** server/pg_int.h — shared internals of the protocol session (pg_session.c:
** framing, startup, simple query; pg_extended.c: the extended query
** protocol; pg_values.c: values in text and binary format).
*/
#ifndef ORB_SERVER_PG_INT_H
#define ORB_SERVER_PG_INT_H

#include "orbit.h"
#include "server/pgwire.h"

typedef enum { S_STARTUP, S_AUTH, S_READY, S_COPY_IN, S_CLOSED } pg_state;

typedef struct pg_prepared pg_prepared;
typedef struct pg_portal pg_portal;

/* The settings PostgreSQL reports in ParameterStatus at start-up and
** whenever they change (GUC_REPORT): pg_session.c's reported[] table. */
#define PG_NREPORTED 10

struct pg_session {
  pg_config cfg;
  pg_state state;
  orb_buf in;            /* bytes received and not consumed yet */
  size_t in_off;
  orbit_db *db;
  char *user;                        /* from the startup packet */
  orb_buf startup_settings;          /* its other parameters: "name\0value\0"..., applied once open */
  char *reported[PG_NREPORTED];      /* values last sent in ParameterStatus (pg_reported_settings) */
  struct scram_state *scram;         /* during S_AUTH */
  bool skip_to_sync;     /* after an error in an extended-protocol message */
  bool at_ready;         /* the last message handled ended in ReadyForQuery: idle timeouts may run */
  /* simple query in progress (kept across a COPY FROM STDIN) */
  char *query;
  size_t query_pos;
  bool ran_any;
  orbit_stmt *copy_st;   /* COPY FROM STDIN waiting for CopyDone */
  size_t copy_stmt_pos;
  orb_buf copy_data;
  /* extended protocol */
  pg_prepared **prepared;
  int nprepared;
  pg_portal **portals;
  int nportals;
};

/* Message writing: a message is begun (type byte and a length placeholder)
** and ended (length filled in). */
void pg_put_be32(orb_buf *b, int32_t v);
void pg_put_be16(orb_buf *b, int16_t v);
void pg_put_cstr(orb_buf *b, const char *s);
size_t pg_msg_begin(orb_buf *b, char type);
void pg_msg_end(orb_buf *b, size_t at);
int32_t pg_be32(const uint8_t *p);

void pg_send_error(orb_buf *out, const char *sqlstate, const char *msg, const char *detail, int position);
/* ErrorResponse of db's last error: its SQLSTATE, message, DETAIL and HINT (position: 0 = none). */
void pg_send_orbit_error(orb_buf *out, orbit_db *db, int position);
/* CommandComplete of a finished statement, after the NoticeResponse of the
** warning it gave, if any (SET LOCAL outside a block, BEGIN inside one...). */
void pg_send_command_complete(pg_session *s, orbit_stmt *st, orb_buf *out);
void pg_send_ready(pg_session *s, orb_buf *out);
/* The handle's last error; `stmt` is where the failing statement starts in `query`. */
void pg_send_db_error(pg_session *s, const char *query, const char *stmt, orb_buf *out);
/* RowDescription; formats as Bind gives them (0 entries: all text, 1: for all). */
void pg_send_row_description(orbit_stmt *st, int n, const int16_t *formats, int nformats, orb_buf *out);
/* DataRow of the current row; false (and *err set) if a binary format is not available. */
bool pg_send_data_row(orbit_stmt *st, int n, const int16_t *formats, int nformats, orb_buf *out, const char **err);
/* Bind parameter idx (1-based) from its wire form; false with *err on bad input. */
bool pg_bind_param(orbit_stmt *st, int idx, const uint8_t *v, int32_t len, int16_t format, const char **err);
/* A one-dimensional array in PostgreSQL's binary form (array_send's layout) as PostgreSQL's array
** text ('{"1",NULL}'), appended to t; false with *why naming what is wrong with the bytes. */
bool pg_array_from_binary(const uint8_t *v, int32_t len, orb_buf *t, const char **why);
static inline int16_t pg_format_of(const int16_t *formats, int nformats, int i) {
  return nformats == 0 ? 0 : nformats == 1 ? formats[0] : formats[i];
}

/* pg_extended.c */
bool pg_extended(pg_session *s, char type, const uint8_t *body, size_t n, orb_buf *out);
void pg_extended_free(pg_session *s);

#endif
