/* server/pg_extended.c — the extended query protocol: Parse, Bind, Describe,
** Execute, Close (Sync and Flush are framing, in pg_session.c).
**
** A prepared statement is an orbit_stmt; a portal is a prepared statement
** with parameters bound and a result format chosen.  Orbit runs a statement
** through its orbit_stmt, so one prepared statement has at most one portal
** at a time (binding a second portal to it replaces the first), which is
** how drivers use them.  After an error everything up to Sync is skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "server/pg_int.h"

#define MAX_PREPARED 10000

struct pg_prepared {
  char *name;
  char *sql;
  orbit_stmt *st;        /* NULL for an empty query */
  int32_t *declared;     /* parameter type OIDs given in Parse (0: inferred), */
  int ndeclared;         /* which ParameterDescription repeats as PostgreSQL does */
  pg_portal *portal;     /* the portal using st, if any */
};

struct pg_portal {
  char *name;
  pg_prepared *ps;
  int16_t *formats;
  int nformats;
  bool started, done;
  int rc;                /* last orbit_step result while started */
};

/* --- reading message fields ------------------------------------------------- */

typedef struct rd {
  const uint8_t *p, *end;
  bool bad;
} rd;

static const char *rd_cstr(rd *r) {
  const uint8_t *z = r->bad ? NULL : memchr(r->p, 0, (size_t)(r->end - r->p));
  if (!z) {
    r->bad = true;
    return "";
  }
  const char *s = (const char *)r->p;
  r->p = z + 1;
  return s;
}

static int32_t rd_i32(rd *r) {
  if (r->bad || r->end - r->p < 4) {
    r->bad = true;
    return 0;
  }
  int32_t v = pg_be32(r->p);
  r->p += 4;
  return v;
}

static int16_t rd_i16(rd *r) {
  if (r->bad || r->end - r->p < 2) {
    r->bad = true;
    return 0;
  }
  int16_t v = (int16_t)((uint16_t)r->p[0] << 8 | r->p[1]);
  r->p += 2;
  return v;
}

static const uint8_t *rd_bytes(rd *r, int32_t n) {
  if (r->bad || n < 0 || r->end - r->p < n) {
    r->bad = true;
    return NULL;
  }
  const uint8_t *p = r->p;
  r->p += n;
  return p;
}

/* --- statements and portals ------------------------------------------------------ */

static pg_prepared *find_prepared(pg_session *s, const char *name) {
  for (int i = 0; i < s->nprepared; i++)
    if (strcmp(s->prepared[i]->name, name) == 0) return s->prepared[i];
  return NULL;
}

static pg_portal *find_portal(pg_session *s, const char *name) {
  for (int i = 0; i < s->nportals; i++)
    if (strcmp(s->portals[i]->name, name) == 0) return s->portals[i];
  return NULL;
}

static void portal_free(pg_session *s, pg_portal *p) {
  for (int i = 0; i < s->nportals; i++)
    if (s->portals[i] == p) {
      s->portals[i] = s->portals[--s->nportals];
      break;
    }
  if (p->ps && p->ps->portal == p) {
    p->ps->portal = NULL;
    if (p->ps->st) orbit_reset(p->ps->st);
  }
  orb_free(p->name);
  orb_free(p->formats);
  orb_free(p);
}

static void prepared_free(pg_session *s, pg_prepared *ps) {
  if (ps->portal) portal_free(s, ps->portal);
  for (int i = 0; i < s->nprepared; i++)
    if (s->prepared[i] == ps) {
      s->prepared[i] = s->prepared[--s->nprepared];
      break;
    }
  if (ps->st) orbit_finalize(ps->st);
  orb_free(ps->name);
  orb_free(ps->sql);
  orb_free(ps->declared);
  orb_free(ps);
}

void pg_extended_free(pg_session *s) {
  while (s->nportals) portal_free(s, s->portals[0]);
  while (s->nprepared) prepared_free(s, s->prepared[0]);
  orb_free(s->portals);
  orb_free(s->prepared);
}

static bool fail(pg_session *s, orb_buf *out, const char *sqlstate, const char *msg) {
  pg_send_error(out, sqlstate, msg, NULL, 0);
  s->skip_to_sync = true;
  return true;
}

static bool malformed(pg_session *s, orb_buf *out, char type) {
  char msg[80];
  snprintf(msg, sizeof msg, "invalid message format: malformed '%c' message", type);
  pg_send_error(out, "08P01", msg, NULL, 0);
  (void)s;
  return false;   /* framing is broken: close */
}

/* --- messages ------------------------------------------------------------------------- */

static bool parse_msg(pg_session *s, rd *r, orb_buf *out) {
  const char *name = rd_cstr(r), *sql = rd_cstr(r);
  int16_t ntypes = rd_i16(r);
  /* declared parameter types: taken as they are (0: inferred from the statement) */
  orbit_type *types = orb_calloc((size_t)(ntypes > 0 ? ntypes : 0) + 1, sizeof *types);
  orbit_type *elems = orb_calloc((size_t)(ntypes > 0 ? ntypes : 0) + 1, sizeof *elems);
  int32_t *declared = orb_calloc((size_t)(ntypes > 0 ? ntypes : 0) + 1, sizeof *declared);
  int32_t bad_oid = 0;
  for (int i = 0; i < ntypes; i++) {
    int32_t oid = declared[i] = rd_i32(r);
    if (oid == 705) declared[i] = 0;   /* unknown: the statement decides */
    int t = ORBIT_NULL, e = ORBIT_NULL;
    if (!pg_type_from_oid(oid, &t, &e) && !bad_oid) bad_oid = oid;
    types[i] = (orbit_type)t;
    elems[i] = (orbit_type)e;
  }
  if (r->bad || ntypes < 0 || bad_oid) {
    orb_free(types);
    orb_free(elems);
    orb_free(declared);
    if (!bad_oid) return malformed(s, out, 'P');
    char msg[160];
    snprintf(msg, sizeof msg, "type with OID %u is not supported", (unsigned)bad_oid);
    return fail(s, out, "0A000", msg);
  }
  pg_prepared *old = find_prepared(s, name);
  const char *refuse = NULL;
  char msg[160];
  if (old && *name) {
    snprintf(msg, sizeof msg, "prepared statement \"%.100s\" already exists", name);
    refuse = "42P05";
  } else if (!old && s->nprepared >= MAX_PREPARED) {
    snprintf(msg, sizeof msg, "too many prepared statements in this session");
    refuse = "54000";
  }
  orbit_stmt *st = NULL;
  const char *tail = NULL;
  int prc = refuse ? ORBIT_OK : orbit_prepare_typed(s->db, sql, ntypes, types, elems, &st, &tail);
  orb_free(types);
  orb_free(elems);
  if (refuse || prc != ORBIT_OK) orb_free(declared);
  if (refuse) return fail(s, out, refuse, msg);
  if (prc != ORBIT_OK) {
    pg_send_db_error(s, sql, sql, out);
    s->skip_to_sync = true;
    return true;
  }
  if (st && tail && *tail) {
    orbit_stmt *more = NULL;
    if (orbit_prepare(s->db, tail, &more, NULL) != ORBIT_OK || more) {
      if (more) orbit_finalize(more);
      orbit_finalize(st);
      orb_free(declared);
      return fail(s, out, "42601", "cannot insert multiple commands into a prepared statement");
    }
  }
  if (old) prepared_free(s, old);   /* the unnamed statement is replaced */
  pg_prepared *ps = orb_calloc(1, sizeof *ps);
  ps->name = orb_strdup(name);
  ps->sql = orb_strdup(sql);
  ps->st = st;
  ps->declared = declared;
  ps->ndeclared = ntypes;
  s->prepared = orb_realloc(s->prepared, sizeof *s->prepared * (size_t)(s->nprepared + 1));
  s->prepared[s->nprepared++] = ps;
  size_t at = pg_msg_begin(out, '1');   /* ParseComplete */
  pg_msg_end(out, at);
  return true;
}

static bool bind_msg(pg_session *s, rd *r, orb_buf *out) {
  const char *pname = rd_cstr(r), *sname = rd_cstr(r);
  int16_t nfmt = rd_i16(r);
  if (r->bad || nfmt < 0) return malformed(s, out, 'B');
  int16_t *pfmt = orb_calloc((size_t)nfmt + 1, sizeof *pfmt);
  for (int i = 0; i < nfmt; i++) pfmt[i] = rd_i16(r);
  int16_t nparams = rd_i16(r);
  pg_prepared *ps = find_prepared(s, sname);
  bool ok = !r->bad && nparams >= 0;
  const char *err = NULL;
  char msg[200];
  msg[0] = '\0';
  if (ok && !ps) {
    snprintf(msg, sizeof msg, "prepared statement \"%.100s\" does not exist", sname);
  } else if (ok && ps->st && nparams != orbit_bind_count(ps->st)) {
    snprintf(msg, sizeof msg, "bind message supplies %d parameters, but prepared statement \"%.60s\" requires %d",
             nparams, sname, orbit_bind_count(ps->st));
  } else if (ok && ps->st) {
    if (ps->portal) portal_free(s, ps->portal);
    orbit_reset(ps->st);
    orbit_clear_bindings(ps->st);
  }
  bool bind_failed = false;
  for (int i = 0; i < nparams && !r->bad; i++) {
    int32_t len = rd_i32(r);
    const uint8_t *v = len >= 0 ? rd_bytes(r, len) : NULL;
    if (r->bad || msg[0] || bind_failed || !ps || !ps->st) continue;
    if (!pg_bind_param(ps->st, i + 1, v, len, pg_format_of(pfmt, nfmt, i), &err)) bind_failed = true;
  }
  int16_t nres = rd_i16(r);
  int16_t *rfmt = orb_calloc((size_t)(nres > 0 ? nres : 0) + 1, sizeof *rfmt);
  for (int i = 0; i < nres; i++) rfmt[i] = rd_i16(r);
  orb_free(pfmt);
  if (r->bad || nres < 0) {
    orb_free(rfmt);
    return malformed(s, out, 'B');
  }
  if (msg[0] || bind_failed) {
    orb_free(rfmt);
    if (msg[0]) return fail(s, out, ps ? "08P01" : "26000", msg);
    if (err) return fail(s, out, "22P03", err);
    pg_send_orbit_error(out, s->db, 0);
    s->skip_to_sync = true;
    return true;
  }
  pg_portal *old = find_portal(s, pname);
  if (old) portal_free(s, old);
  pg_portal *p = orb_calloc(1, sizeof *p);
  p->name = orb_strdup(pname);
  p->ps = ps;
  p->formats = rfmt;
  p->nformats = nres;
  ps->portal = p;
  s->portals = orb_realloc(s->portals, sizeof *s->portals * (size_t)(s->nportals + 1));
  s->portals[s->nportals++] = p;
  size_t at = pg_msg_begin(out, '2');   /* BindComplete */
  pg_msg_end(out, at);
  return true;
}

static void no_data(orb_buf *out) {
  size_t at = pg_msg_begin(out, 'n');
  pg_msg_end(out, at);
}

static bool describe_msg(pg_session *s, rd *r, orb_buf *out) {
  int16_t kind = r->end - r->p >= 1 ? *r->p++ : 0;
  const char *name = rd_cstr(r);
  if (r->bad || (kind != 'S' && kind != 'P')) return malformed(s, out, 'D');
  char msg[160];
  if (kind == 'S') {
    pg_prepared *ps = find_prepared(s, name);
    if (!ps) {
      snprintf(msg, sizeof msg, "prepared statement \"%.100s\" does not exist", name);
      return fail(s, out, "26000", msg);
    }
    int np = ps->st ? orbit_bind_count(ps->st) : 0;
    size_t at = pg_msg_begin(out, 't');   /* ParameterDescription */
    pg_put_be16(out, (int16_t)np);
    for (int i = 1; i <= np; i++)
      pg_put_be32(out, i <= ps->ndeclared && ps->declared[i - 1] ? ps->declared[i - 1] : pg_param_oid(ps->st, i));
    pg_msg_end(out, at);
    int nc = ps->st ? orbit_column_count(ps->st) : 0;
    if (nc > 0) pg_send_row_description(ps->st, nc, NULL, 0, out);
    else no_data(out);
    return true;
  }
  pg_portal *p = find_portal(s, name);
  if (!p) {
    snprintf(msg, sizeof msg, "portal \"%.100s\" does not exist", name);
    return fail(s, out, "34000", msg);
  }
  int nc = p->ps->st ? orbit_column_count(p->ps->st) : 0;
  if (nc > 0) pg_send_row_description(p->ps->st, nc, p->formats, p->nformats, out);
  else no_data(out);
  return true;
}

static bool execute_msg(pg_session *s, rd *r, orb_buf *out) {
  const char *name = rd_cstr(r);
  int32_t max_rows = rd_i32(r);
  if (r->bad) return malformed(s, out, 'E');
  pg_portal *p = find_portal(s, name);
  if (!p) {
    char msg[160];
    snprintf(msg, sizeof msg, "portal \"%.100s\" does not exist", name);
    return fail(s, out, "34000", msg);
  }
  orbit_stmt *st = p->ps->st;
  if (!st) {
    size_t at = pg_msg_begin(out, 'I');   /* EmptyQueryResponse */
    pg_msg_end(out, at);
    return true;
  }
  if (p->done) {   /* executing a finished portal again returns nothing more */
    size_t at = pg_msg_begin(out, 'C');
    pg_put_cstr(out, orbit_command_tag(st));
    pg_msg_end(out, at);
    return true;
  }
  if (!p->started) {
    p->started = true;
    p->rc = orbit_step(st);
  }
  int n = orbit_column_count(st);
  int64_t sent = 0;
  const char *err = NULL;
  while (p->rc == ORBIT_ROW && (max_rows <= 0 || sent < max_rows)) {
    if (!pg_send_data_row(st, n, p->formats, p->nformats, out, &err)) {
      p->done = true;
      return fail(s, out, "0A000", err);
    }
    sent++;
    p->rc = orbit_step(st);
  }
  if (p->rc == ORBIT_ROW) {
    size_t at = pg_msg_begin(out, 's');   /* PortalSuspended */
    pg_msg_end(out, at);
    return true;
  }
  p->done = true;
  if (p->rc != ORBIT_DONE) {
    pg_send_db_error(s, p->ps->sql, p->ps->sql, out);
    s->skip_to_sync = true;
    return true;
  }
  pg_send_command_complete(s, st, out);
  return true;
}

static bool close_msg(pg_session *s, rd *r, orb_buf *out) {
  int16_t kind = r->end - r->p >= 1 ? *r->p++ : 0;
  const char *name = rd_cstr(r);
  if (r->bad || (kind != 'S' && kind != 'P')) return malformed(s, out, 'C');
  if (kind == 'S') {
    pg_prepared *ps = find_prepared(s, name);
    if (ps) prepared_free(s, ps);
  } else {
    pg_portal *p = find_portal(s, name);
    if (p) portal_free(s, p);
  }
  size_t at = pg_msg_begin(out, '3');   /* CloseComplete (also for names that do not exist) */
  pg_msg_end(out, at);
  return true;
}

bool pg_extended(pg_session *s, char type, const uint8_t *body, size_t n, orb_buf *out) {
  rd r = {body, body + n, false};
  switch (type) {
  case 'P': return parse_msg(s, &r, out);
  case 'B': return bind_msg(s, &r, out);
  case 'D': return describe_msg(s, &r, out);
  case 'E': return execute_msg(s, &r, out);
  case 'C': return close_msg(s, &r, out);
  default: return malformed(s, out, type);
  }
}
