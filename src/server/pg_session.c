/* server/pg_session.c — one protocol v3 session (see pgwire.h): message
** framing, startup, the simple query protocol. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "server/pg_int.h"
#include "server/log.h"
#include "server/scram.h"

#define PROTO_3_0 196608
#define SSL_REQUEST 80877103
#define GSSENC_REQUEST 80877104
#define CANCEL_REQUEST 80877102
#define MAX_STARTUP 10000
#define COPY_IN_MAX ((size_t)1 << 30)

static void end_query(pg_session *s) {
  orb_free(s->query);
  s->query = NULL;
  s->query_pos = 0;
}

pg_session *pg_session_new(const pg_config *cfg) {
  pg_session *s = orb_calloc(1, sizeof *s);
  s->cfg = *cfg;
  if (!s->cfg.max_message) s->cfg.max_message = (size_t)64 << 20;
  return s;
}

struct orbit_db *pg_session_db(const pg_session *s) { return s->db; }

void pg_session_free(pg_session *s) {
  if (!s) return;
  pg_extended_free(s);
  if (s->copy_st) orbit_finalize(s->copy_st);
  scram_end(s->scram);
  orb_free(s->user);
  for (int i = 0; i < PG_NREPORTED; i++) orb_free(s->reported[i]);
  orb_buf_free(&s->startup_settings);
  orb_buf_free(&s->copy_data);
  end_query(s);
  if (s->db) orbit_close(s->db);
  orb_buf_free(&s->in);
  orb_free(s);
}

/* A duration as session_settings.c shows it: "0", or a whole number of one
** unit (d, h, min, s, ms); -1 for anything else. */
static int64_t shown_ms(const char *v) {
  static const struct { const char *unit; int64_t ms; } units[] = {
      {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}, {"", 1}};
  char *end;
  long long n = strtoll(v, &end, 10);
  if (end == v || n < 0) return -1;
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (strcmp(end, units[k].unit) == 0) return n * units[k].ms;
  return -1;
}

int64_t pg_session_idle_limit(const pg_session *s, bool *in_txn) {
  *in_txn = false;
  if (!s->db || s->state != S_READY || !s->at_ready) return 0;
  *in_txn = orbit_txn_status(s->db) != 'I';
  const char *v = orbit_setting(s->db, *in_txn ? "idle_in_transaction_session_timeout" : "idle_session_timeout");
  int64_t ms = v ? shown_ms(v) : -1;
  return ms > 0 ? ms : 0;
}

static void send_report(orb_buf *out, char type, const char *severity, const char *sqlstate, const char *msg,
                        const char *detail, const char *hint, int position);

void pg_session_idle_fatal(pg_session *s, bool in_txn, orb_buf *out) {
  (void)s;
  if (in_txn)
    send_report(out, 'E', "FATAL", "25P03", "terminating connection due to idle-in-transaction timeout", NULL, NULL, 0);
  else
    send_report(out, 'E', "FATAL", "57P05", "terminating connection due to idle-session timeout", NULL, NULL, 0);
}

/* --- message writing ------------------------------------------------------------ */

void pg_put_be32(orb_buf *b, int32_t v) {
  uint8_t t[4] = {(uint8_t)((uint32_t)v >> 24), (uint8_t)((uint32_t)v >> 16), (uint8_t)((uint32_t)v >> 8), (uint8_t)v};
  orb_buf_append(b, t, 4);
}

void pg_put_be16(orb_buf *b, int16_t v) {
  uint8_t t[2] = {(uint8_t)((uint16_t)v >> 8), (uint8_t)v};
  orb_buf_append(b, t, 2);
}

void pg_put_cstr(orb_buf *b, const char *s) { orb_buf_append(b, s, strlen(s) + 1); }

/* Start a message: type byte and a length placeholder; returns the length's offset. */
size_t pg_msg_begin(orb_buf *b, char type) {
  orb_buf_putc(b, type);
  size_t at = b->len;
  pg_put_be32(b, 0);
  return at;
}

void pg_msg_end(orb_buf *b, size_t at) {
  int32_t len = (int32_t)(b->len - at);
  uint8_t *p = (uint8_t *)b->data + at;
  p[0] = (uint8_t)((uint32_t)len >> 24);
  p[1] = (uint8_t)((uint32_t)len >> 16);
  p[2] = (uint8_t)((uint32_t)len >> 8);
  p[3] = (uint8_t)len;
}

/* ErrorResponse ('E') or NoticeResponse ('N'): the same fields. */
static void send_report(orb_buf *out, char type, const char *severity, const char *sqlstate, const char *msg,
                        const char *detail, const char *hint, int position) {
  size_t at = pg_msg_begin(out, type);
  orb_buf_putc(out, 'S');
  pg_put_cstr(out, severity);
  orb_buf_putc(out, 'V');
  pg_put_cstr(out, severity);
  orb_buf_putc(out, 'C');
  pg_put_cstr(out, sqlstate);
  orb_buf_putc(out, 'M');
  pg_put_cstr(out, msg);
  if (detail && *detail) {
    orb_buf_putc(out, 'D');
    pg_put_cstr(out, detail);
  }
  if (hint && *hint) {
    orb_buf_putc(out, 'H');
    pg_put_cstr(out, hint);
  }
  if (position > 0) {
    char pos[16];
    snprintf(pos, sizeof pos, "%d", position);
    orb_buf_putc(out, 'P');
    pg_put_cstr(out, pos);
  }
  orb_buf_putc(out, '\0');
  pg_msg_end(out, at);
}

void pg_send_error(orb_buf *out, const char *sqlstate, const char *msg, const char *detail, int position) {
  send_report(out, 'E', "ERROR", sqlstate, msg, detail, NULL, position);
}

void pg_send_orbit_error(orb_buf *out, orbit_db *db, int position) {
  send_report(out, 'E', "ERROR", orbit_errcode_sqlstate(db), orbit_errmsg(db), orbit_errdetail(db), orbit_errhint(db),
              position);
}

static void send_param(orb_buf *out, const char *name, const char *value);

/* ParameterStatus for every reported setting whose value differs from the
** last one sent (all of them at start-up), as PostgreSQL sends them before
** ReadyForQuery: drivers keep application_name, DateStyle,
** standard_conforming_strings... from these messages. */
static void report_settings(pg_session *s, orb_buf *out) {
  static const char *const reported[PG_NREPORTED] = {
      "server_version", "server_encoding", "client_encoding", "DateStyle", "IntervalStyle",
      "TimeZone",       "integer_datetimes", "standard_conforming_strings", "application_name",
      "session_authorization"};
  for (int i = 0; i < PG_NREPORTED; i++) {
    const char *v = s->db ? orbit_setting(s->db, reported[i]) : NULL;
    if (!v || (s->reported[i] && strcmp(s->reported[i], v) == 0)) continue;
    send_param(out, reported[i], v);
    orb_free(s->reported[i]);
    s->reported[i] = orb_strdup(v);
  }
}

void pg_send_ready(pg_session *s, orb_buf *out) {
  s->at_ready = true;
  report_settings(s, out);
  size_t at = pg_msg_begin(out, 'Z');
  orb_buf_putc(out, s->db ? orbit_txn_status(s->db) : 'I');
  pg_msg_end(out, at);
}

/* Settings in the startup packet: parameters by name, and the "options"
** string's -c name=value / --name=value (PGOPTIONS), as PostgreSQL takes them. */
static void keep_setting(pg_session *s, const char *name, size_t n, const char *value) {
  orb_buf_append(&s->startup_settings, name, n);
  orb_buf_putc(&s->startup_settings, '\0');
  orb_buf_puts(&s->startup_settings, value);
  orb_buf_putc(&s->startup_settings, '\0');
}

static void keep_options(pg_session *s, const char *opts) {
  orb_buf word = ORB_BUF_INIT;
  const char *p = opts;
  while (*p) {
    while (*p == ' ') p++;
    orb_buf_reset(&word);
    for (; *p && *p != ' '; p++) {   /* a backslash escapes the next character (a space) */
      if (*p == '\\' && p[1]) p++;
      orb_buf_putc(&word, *p);
    }
    orb_buf_putc(&word, '\0');
    const char *w = word.data;
    if (strcmp(w, "-c") == 0) continue;   /* its argument is the next word */
    if (strncmp(w, "--", 2) == 0) w += 2;
    else if (strncmp(w, "-c", 2) == 0) w += 2;
    const char *eq = strchr(w, '=');
    if (eq && eq > w) keep_setting(s, w, (size_t)(eq - w), eq + 1);
  }
  orb_buf_free(&word);
}

static void send_param(orb_buf *out, const char *name, const char *value) {
  size_t at = pg_msg_begin(out, 'S');
  pg_put_cstr(out, name);
  pg_put_cstr(out, value);
  pg_msg_end(out, at);
}

/* --- startup --------------------------------------------------------------------------- */

static bool finish_startup(pg_session *s, orb_buf *out);

static bool startup(pg_session *s, const uint8_t *p, size_t n, orb_buf *out) {
  /* p: the whole packet after the length (protocol code first) */
  uint32_t code = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
    orb_buf_putc(out, 'N');   /* no encryption: the client may go on in the clear */
    return true;
  }
  if (code == CANCEL_REQUEST) {
    if (n >= 12 && s->cfg.cancel) s->cfg.cancel(pg_be32(p + 4), pg_be32(p + 8));
    return false;   /* PostgreSQL closes the cancel connection without a reply */
  }
  if (code != PROTO_3_0) {
    pg_send_error(out, "0A000", "unsupported frontend protocol: only 3.0 is spoken", NULL, 0);
    return false;
  }
  /* key\0value\0 ... \0 */
  const char *user = NULL;
  size_t i = 4;
  while (i < n && p[i]) {
    const char *key = (const char *)p + i;
    const void *z = memchr(p + i, 0, n - i);
    if (!z) break;
    i = (size_t)((const uint8_t *)z - p) + 1;
    if (i >= n) break;
    const char *val = (const char *)p + i;
    const void *z2 = memchr(p + i, 0, n - i);
    if (!z2) break;
    i = (size_t)((const uint8_t *)z2 - p) + 1;
    if (strcmp(key, "user") == 0) user = val;
    else if (strcmp(key, "options") == 0) keep_options(s, val);
    else if (strcmp(key, "database") != 0 && strcmp(key, "replication") != 0) keep_setting(s, key, strlen(key), val);
  }
  if (!user) {
    pg_send_error(out, "28000", "no PostgreSQL user name specified in startup packet", NULL, 0);
    return false;
  }
  s->user = orb_strdup(user);
  keep_setting(s, "session_authorization", 21, user);   /* current_user and friends read it */
  if (s->cfg.scram) {
    /* AuthenticationSASL: the one mechanism offered */
    size_t at = pg_msg_begin(out, 'R');
    pg_put_be32(out, 10);
    pg_put_cstr(out, "SCRAM-SHA-256");
    orb_buf_putc(out, '\0');
    pg_msg_end(out, at);
    char *verifier = s->cfg.role_secret && !s->cfg.frames_only ? s->cfg.role_secret(s->cfg.db_path, user) : NULL;
    s->scram = scram_begin(s->cfg.users, user, verifier);
    free(verifier);
    s->state = S_AUTH;
    return true;
  }
  return finish_startup(s, out);
}

/* Apply "name\0value\0"... pairs; one the server does not know or cannot
** take is logged and skipped. */
static void apply_pairs(pg_session *s, const char *p, size_t len) {
  if (!p) return;
  const char *end = p + len;
  orb_buf sql = ORB_BUF_INIT;
  while (p < end) {
    const char *name = p, *value = p + strlen(p) + 1;
    p = value + strlen(value) + 1;
    orb_buf_reset(&sql);
    orb_buf_puts(&sql, "SET \"");
    for (const char *c = name; *c; c++) {
      if (*c == '"') orb_buf_putc(&sql, '"');
      orb_buf_putc(&sql, *c);
    }
    orb_buf_puts(&sql, "\" TO '");
    for (const char *c = value; *c; c++) {
      if (*c == '\'') orb_buf_putc(&sql, '\'');
      orb_buf_putc(&sql, *c);
    }
    orb_buf_putc(&sql, '\'');
    orb_buf_putc(&sql, '\0');
    if (orbit_exec(s->db, sql.data) != ORBIT_OK)
      pg_log(PG_LOG_DEBUG, "startup parameter \"%s\" ignored: %s", name, orbit_errmsg(s->db));
  }
  orb_buf_free(&sql);
}

/* Authenticated: open the session's handle and tell the client about the server. */
static bool finish_startup(pg_session *s, orb_buf *out) {
  if (!s->cfg.frames_only && orbit_open(s->cfg.db_path, NULL, &s->db) != ORBIT_OK) {
    pg_send_error(out, "58030", s->db ? orbit_errmsg(s->db) : "out of memory", NULL, 0);
    return false;
  }
  if (s->db) {   /* the server's settings, then the client's over them */
    apply_pairs(s, s->cfg.settings, s->cfg.settings_len);
    apply_pairs(s, s->startup_settings.data, s->startup_settings.len);
  }
  size_t at = pg_msg_begin(out, 'R');
  pg_put_be32(out, 0);   /* AuthenticationOk */
  pg_msg_end(out, at);
  report_settings(s, out);   /* before BackendKeyData, in PostgreSQL's order */
  if (!s->db) {   /* message framing only (fuzzing): the defaults */
    send_param(out, "server_version", "15.0 (Orbit " ORBIT_VERSION ")");
    send_param(out, "client_encoding", "UTF8");
  }
  at = pg_msg_begin(out, 'K');
  pg_put_be32(out, s->cfg.process_id);
  pg_put_be32(out, s->cfg.secret_key);
  pg_msg_end(out, at);
  pg_send_ready(s, out);
  s->state = S_READY;
  return true;
}

/* SASLInitialResponse, then SASLResponse ('p' messages) of SCRAM-SHA-256. */
static bool auth_message(pg_session *s, char type, const uint8_t *body, size_t n, orb_buf *out) {
  if (type != 'p') {
    pg_send_error(out, "08P01", "expected a password response during authentication", NULL, 0);
    return false;
  }
  orb_buf reply = ORB_BUF_INIT;
  bool ok;
  int stage;
  if (!scram_started(s->scram)) {
    const uint8_t *z = memchr(body, 0, n);
    size_t off = z ? (size_t)(z - body) + 1 : n;
    ok = z && strcmp((const char *)body, "SCRAM-SHA-256") == 0 && n - off >= 4;
    int32_t len = ok ? pg_be32(body + off) : 0;
    ok = ok && len >= 0 && (size_t)len == n - off - 4 &&
         scram_server_first(s->scram, (const char *)body + off + 4, (size_t)len, &reply);
    stage = 11;   /* AuthenticationSASLContinue */
  } else {
    ok = scram_server_final(s->scram, (const char *)body, n, &reply);
    stage = 12;   /* AuthenticationSASLFinal */
  }
  if (!ok) {
    orb_buf_free(&reply);
    char msg[200];
    snprintf(msg, sizeof msg, "password authentication failed for user \"%.100s\"", s->user ? s->user : "");
    pg_send_error(out, "28P01", msg, NULL, 0);
    return false;
  }
  size_t at = pg_msg_begin(out, 'R');
  pg_put_be32(out, stage);
  orb_buf_append(out, reply.data, reply.len);
  pg_msg_end(out, at);
  orb_buf_free(&reply);
  if (stage == 11) return true;
  scram_end(s->scram);
  s->scram = NULL;
  return finish_startup(s, out);
}

/* --- simple query ------------------------------------------------------------------------ */

/* 1-based character position of byte offset `off` (1-based) in text. */
static int char_position(const char *text, size_t off) {
  int chars = 0;
  for (size_t i = 0; i + 1 < off && text[i]; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80) chars++;
  return chars + 1;
}

void pg_send_db_error(pg_session *s, const char *query, const char *stmt, orb_buf *out) {
  int off = orbit_erroffset(s->db);
  int pos = off > 0 ? char_position(query, (size_t)(stmt - query) + (size_t)off) : 0;
  pg_send_orbit_error(out, s->db, pos);
}

void pg_send_row_description(orbit_stmt *st, int n, const int16_t *formats, int nformats, orb_buf *out) {
  size_t at = pg_msg_begin(out, 'T');
  pg_put_be16(out, (int16_t)n);
  for (int i = 0; i < n; i++) {
    int32_t typmod;
    int32_t oid = pg_column_oid(st, i, &typmod);
    int attnum;
    int64_t table = orbit_column_table(st, i, &attnum);   /* JDBC's updatable result sets need them */
    pg_put_cstr(out, orbit_column_name(st, i));
    pg_put_be32(out, (int32_t)table);
    pg_put_be16(out, (int16_t)attnum);
    pg_put_be32(out, oid);
    pg_put_be16(out, pg_type_len((int)orbit_column_type(st, i)));
    pg_put_be32(out, typmod);
    pg_put_be16(out, pg_format_of(formats, nformats, i));
  }
  pg_msg_end(out, at);
}

void pg_send_command_complete(pg_session *s, orbit_stmt *st, orb_buf *out) {
  const char *code, *severity, *warning;
  for (int i = 0; (warning = orbit_warning_at(s->db, i, &code, &severity)); i++)   /* one NoticeResponse each */
    send_report(out, 'N', severity, code, warning, NULL, NULL, 0);
  size_t at = pg_msg_begin(out, 'C');
  pg_put_cstr(out, orbit_command_tag(st));
  pg_msg_end(out, at);
}

/* CopyInResponse / CopyOutResponse: text format for every column. */
static void copy_response(char type, orbit_stmt *st, orb_buf *out) {
  int n = orbit_copy_columns(st);
  size_t at = pg_msg_begin(out, type);
  orb_buf_putc(out, 0);
  pg_put_be16(out, (int16_t)n);
  for (int i = 0; i < n; i++) pg_put_be16(out, 0);
  pg_msg_end(out, at);
}

/* COPY ... TO STDOUT: the statement ran; its data goes out as CopyData. */
static void copy_out(orbit_stmt *st, orb_buf *out) {
  size_t len = 0;
  const char *data = orbit_copy_out(st, &len);
  copy_response('H', st, out);
  for (size_t off = 0; off < len;) {
    size_t chunk = len - off > 65536 ? 65536 : len - off;
    size_t at = pg_msg_begin(out, 'd');
    orb_buf_append(out, data + off, chunk);
    pg_msg_end(out, at);
    off += chunk;
  }
  size_t at = pg_msg_begin(out, 'c');
  pg_msg_end(out, at);
}

/* Run the statements of s->query from s->query_pos.  Returns false when a
** COPY FROM STDIN waits for the client's data (the rest runs after it). */
static bool run_query(pg_session *s, orb_buf *out) {
  const char *query = s->query;
  const char *p = query + s->query_pos;
  while (p && *p) {
    orbit_stmt *st = NULL;
    const char *tail = NULL;
    if (orbit_prepare(s->db, p, &st, &tail) != ORBIT_OK) {
      pg_send_db_error(s, query, p, out);
      s->ran_any = true;   /* an error answers the query: no EmptyQueryResponse after it */
      break;
    }
    if (!st) break;
    s->ran_any = true;
    if (orbit_copy_kind(st) == 1) {
      copy_response('G', st, out);
      s->copy_st = st;
      s->copy_stmt_pos = (size_t)(p - query);
      s->query_pos = (size_t)((tail ? tail : p + strlen(p)) - query);
      s->state = S_COPY_IN;
      return false;
    }
    int n = orbit_column_count(st);
    int rc = orbit_step(st);
    if (rc == ORBIT_DONE && orbit_copy_kind(st) == 2) copy_out(st, out);
    else if (rc == ORBIT_ROW || (rc == ORBIT_DONE && n > 0)) pg_send_row_description(st, n, NULL, 0, out);
    const char *err = NULL;
    while (rc == ORBIT_ROW) {
      pg_send_data_row(st, n, NULL, 0, out, &err);   /* text format cannot fail */
      rc = orbit_step(st);
    }
    if (rc != ORBIT_DONE) {
      pg_send_db_error(s, query, p, out);
      orbit_finalize(st);
      break;
    }
    pg_send_command_complete(s, st, out);
    orbit_finalize(st);
    p = tail;
  }
  if (!s->ran_any) {
    size_t at = pg_msg_begin(out, 'I');   /* EmptyQueryResponse */
    pg_msg_end(out, at);
  }
  end_query(s);
  return true;
}

/* Messages while a COPY FROM STDIN collects data. */
static bool copy_in_message(pg_session *s, char type, const uint8_t *body, size_t n, orb_buf *out) {
  switch (type) {
  case 'd':
    if (s->copy_data.len + n > COPY_IN_MAX) {
      pg_send_error(out, "54000", "COPY data exceeds the server's limit of 1 GiB per statement", NULL, 0);
      break;
    }
    orb_buf_append(&s->copy_data, body, n);
    return true;
  case 'H':
  case 'S':
    return true;   /* ignored during COPY, as PostgreSQL does */
  case 'c': {
    orbit_stmt *st = s->copy_st;
    orbit_copy_in(st, s->copy_data.data ? s->copy_data.data : "", s->copy_data.len);
    int rc = orbit_step(st);
    s->copy_st = NULL;
    s->state = S_READY;
    orb_buf_free(&s->copy_data);
    if (rc != ORBIT_DONE) {
      pg_send_db_error(s, s->query, s->query + s->copy_stmt_pos, out);
      orbit_finalize(st);
      end_query(s);
      pg_send_ready(s, out);
      return true;
    }
    pg_send_command_complete(s, st, out);
    orbit_finalize(st);
    if (run_query(s, out)) pg_send_ready(s, out);
    return true;
  }
  case 'f': {
    char msg[300];
    snprintf(msg, sizeof msg, "COPY from stdin failed: %.200s", n ? (const char *)body : "");
    pg_send_error(out, "57014", msg, NULL, 0);
    break;
  }
  default: {
    char msg[80];
    snprintf(msg, sizeof msg, "unexpected message type 0x%02X during COPY from stdin", (unsigned char)type);
    pg_send_error(out, "08P01", msg, NULL, 0);
    break;
  }
  }
  /* the COPY is abandoned (nothing of it was written), the rest of the query too */
  orbit_finalize(s->copy_st);
  s->copy_st = NULL;
  orb_buf_free(&s->copy_data);
  s->state = S_READY;
  end_query(s);
  pg_send_ready(s, out);
  return true;
}

/* --- framing ---------------------------------------------------------------------------------- */

int32_t pg_be32(const uint8_t *p) { return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]); }

static bool dispatch(pg_session *s, char type, const uint8_t *body, size_t n, orb_buf *out) {
  if (s->skip_to_sync && type != 'S' && type != 'X') return true;
  switch (type) {
  case 'Q': {
    if (n == 0 || body[n - 1] != '\0') {
      pg_send_error(out, "08P01", "invalid message format: query string is not terminated", NULL, 0);
      return false;
    }
    if (s->cfg.frames_only) {
      size_t at = pg_msg_begin(out, 'I');
      pg_msg_end(out, at);
    } else {
      end_query(s);
      s->query = orb_strdup((const char *)body);
      s->ran_any = false;
      if (!run_query(s, out)) return true;   /* COPY FROM STDIN: ReadyForQuery comes after the data */
    }
    pg_send_ready(s, out);
    return true;
  }
  case 'X':
    return false;
  case 'S':
    s->skip_to_sync = false;
    pg_send_ready(s, out);
    return true;
  case 'H':
    return true;   /* Flush: replies are sent as they are made */
  case 'P': case 'B': case 'D': case 'E': case 'C':
    if (s->cfg.frames_only) return true;
    return pg_extended(s, type, body, n, out);
  case 'F':
    pg_send_error(out, "0A000", "the function call protocol is not supported", NULL, 0);
    s->skip_to_sync = true;
    return true;
  default: {
    char msg[80];
    snprintf(msg, sizeof msg, "invalid frontend message type %d", (unsigned char)type);
    pg_send_error(out, "08P01", msg, NULL, 0);
    return false;
  }
  }
}

bool pg_session_feed(pg_session *s, const uint8_t *data, size_t n, orb_buf *out) {
  if (s->state == S_CLOSED) return false;
  orb_buf_append(&s->in, data, n);
  bool open = true;
  while (open) {
    const uint8_t *p = (const uint8_t *)s->in.data + s->in_off;
    size_t avail = s->in.len - s->in_off;
    if (s->state == S_STARTUP) {
      if (avail < 4) break;
      int32_t len = pg_be32(p);
      if (len < 8 || len > MAX_STARTUP) {
        pg_send_error(out, "08P01", "invalid length of startup packet", NULL, 0);
        open = false;
        break;
      }
      if (avail < (size_t)len) break;
      open = startup(s, p + 4, (size_t)len - 4, out);
      s->in_off += (size_t)len;
    } else {
      if (avail < 5) break;
      int32_t len = pg_be32(p + 1);
      if (len < 4) {
        pg_send_error(out, "08P01", "invalid message length", NULL, 0);
        open = false;
        break;
      }
      if ((size_t)len > s->cfg.max_message) {
        pg_send_error(out, "54000", "message too large for this server (max_message)", NULL, 0);
        open = false;
        break;
      }
      if (avail < (size_t)len + 1) break;
      char type = (char)p[0];
      const uint8_t *body = p + 5;
      s->at_ready = false;
      size_t blen = (size_t)len - 4;
      open = s->state == S_AUTH      ? auth_message(s, type, body, blen, out)
             : s->state == S_COPY_IN ? copy_in_message(s, type, body, blen, out)
                                     : dispatch(s, type, body, blen, out);
      s->in_off += (size_t)len + 1;
    }
  }
  /* drop consumed input */
  if (s->in_off == s->in.len) {
    s->in.len = 0;
    s->in_off = 0;
  } else if (s->in_off > 65536) {
    memmove(s->in.data, s->in.data + s->in_off, s->in.len - s->in_off);
    s->in.len -= s->in_off;
    s->in_off = 0;
  }
  if (!open) s->state = S_CLOSED;
  return open;
}
