/* query/session_seq.c — the session's side of nextval, currval, setval
** and lastval (orb_settings.seq): the sequence named, the statement's write
** set its values are logged in (storage/sequence.h), and the last value
** nextval gave this session per sequence, as PostgreSQL keeps them for
** currval and lastval. */
#include "query/session_int.h"

#include <string.h>

#include "base/mem.h"
#include "storage/sequence.h"

static orb_status find_seq(oql_session *s, const char *name, size_t n, orb_table **out, orb_err *e) {
  char buf[256];
  oql_relname_from_text(name, n, buf, sizeof buf);   /* 'public.S' is s, as regclass reads it */
  orb_table *t = orb_db_table(s->db, buf);
  if (!t) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", buf);
  if (t->kind != ORB_TABLE_SEQUENCE) return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "\"%s\" is not a sequence", buf);
  *out = t;
  return ORB_OK;
}

/* currval of `name` is now v; by nextval (advanced), lastval's too. */
static void remember(oql_session *s, const char *name, int64_t v, bool advanced) {
  int i = 0;
  while (i < s->nseqvals && strcmp(s->seqvals[i].name, name) != 0) i++;
  if (i == s->nseqvals) {
    s->seqvals = orb_realloc(s->seqvals, sizeof *s->seqvals * (size_t)(s->nseqvals + 1));
    s->seqvals[s->nseqvals++].name = orb_strdup(name);
  }
  s->seqvals[i].v = v;
  if (advanced) {
    s->has_lastval = true;
    s->last_seq = i;
  }
}

orb_status oql_session_seq(void *env, orb_seq_op op, const char *name, size_t n, int64_t v, bool called, int64_t *out,
                           orb_err *e) {
  oql_session *s = env;
  if (op == ORB_SEQ_LASTVAL) {
    if (!s->has_lastval) return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "lastval is not yet defined in this session");
    *out = s->seqvals[s->last_seq].v;
    return ORB_OK;
  }
  orb_table *t;
  orb_status st = find_seq(s, name, n, &t, e);
  if (st != ORB_OK) return st;
  switch (op) {
  case ORB_SEQ_NEXTVAL:
    if (!s->cur_ws)   /* the binder makes every statement with nextval a write */
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "nextval() cannot run in a read-only statement here");
    if ((st = orb_seq_next(t, s->cur_ws, out, e)) == ORB_OK) remember(s, t->name, *out, true);
    return st;
  case ORB_SEQ_SETVAL:
    if (!s->cur_ws) return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "setval() cannot run in a read-only statement here");
    if ((st = orb_seq_set(t, s->cur_ws, v, called, e)) != ORB_OK) return st;
    if (called) remember(s, t->name, v, false);   /* currval is v, as in PostgreSQL */
    *out = v;
    return ORB_OK;
  case ORB_SEQ_CURRVAL:
    for (int i = 0; i < s->nseqvals; i++)
      if (strcmp(s->seqvals[i].name, t->name) == 0) {
        *out = s->seqvals[i].v;
        return ORB_OK;
      }
    return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "currval of sequence \"%s\" is not yet defined in this session",
                        t->name);
  case ORB_SEQ_LASTVAL:
    break;
  }
  return ORB_OK;
}

void oql_session_seq_free(oql_session *s) {
  for (int i = 0; i < s->nseqvals; i++) orb_free(s->seqvals[i].name);
  orb_free(s->seqvals);
  s->seqvals = NULL;
  s->nseqvals = 0;
  s->has_lastval = false;
}
