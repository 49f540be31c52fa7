/* storage/sequence.c — sequences' values and their durability (sequence.h). */
#include "storage/sequence.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "storage/storage_int.h"
#include "storage/table.h"
#include "txn/txn_int.h"

/* How far ahead of a value its logged bound reaches (PostgreSQL logs 32). */
#define SEQ_LOG_AHEAD 32

void orb_seq_defaults(orb_sequence *s) {
  memset(s, 0, sizeof *s);
  s->increment = 1;
  s->min = 1;
  s->max = INT64_MAX;
  s->start = 1;
  s->last = 1;
  s->width = 8;
  pthread_mutex_init(&s->mu, NULL);
}

void orb_seq_copy_options(orb_sequence *to, const orb_sequence *from) {
  to->increment = from->increment;
  to->min = from->min;
  to->max = from->max;
  to->start = from->start;
  to->cycle = from->cycle;
  to->width = from->width;
  to->owner = from->owner;
}

void orb_seq_type_range(int width, int64_t *lo, int64_t *hi) {
  *lo = width == 2 ? INT16_MIN : width == 4 ? INT32_MIN : INT64_MIN;
  *hi = width == 2 ? INT16_MAX : width == 4 ? INT32_MAX : INT64_MAX;
}

orb_status orb_seq_check(const orb_sequence *s, const char *name, orb_err *e) {
  if (s->increment == 0) return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "INCREMENT must not be zero");
  if (s->min >= s->max)
    return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "MINVALUE (%lld) must be less than MAXVALUE (%lld)", (long long)s->min,
                        (long long)s->max);
  if (s->start < s->min)
    return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "START value (%lld) cannot be less than MINVALUE (%lld)",
                        (long long)s->start, (long long)s->min);
  if (s->start > s->max)
    return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "START value (%lld) cannot be greater than MAXVALUE (%lld)",
                        (long long)s->start, (long long)s->max);
  (void)name;
  return ORB_OK;
}

char *orb_seq_json(orb_sequence *s) {
  pthread_mutex_lock(&s->mu);
  json_t *o = json_object();
  json_object_set_new(o, "increment", json_integer(s->increment));
  json_object_set_new(o, "min", json_integer(s->min));
  json_object_set_new(o, "max", json_integer(s->max));
  json_object_set_new(o, "start", json_integer(s->start));
  json_object_set_new(o, "cycle", json_boolean(s->cycle));
  json_object_set_new(o, "owner", json_integer(s->owner));
  if (s->width != 8) json_object_set_new(o, "width", json_integer(s->width));
  json_object_set_new(o, "last", json_integer(s->last));
  json_object_set_new(o, "called", json_boolean(s->called));
  pthread_mutex_unlock(&s->mu);
  char *j = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  char *r = orb_strdup(j ? j : "{}");
  free(j);
  return r;
}

orb_status orb_seq_parse(const char *json, orb_sequence *s, orb_err *e) {
  orb_seq_defaults(s);
  json_error_t je;
  json_t *o = json_loads(json, 0, &je);
  if (!json_is_object(o)) {
    json_decref(o);
    return orb_err_set(e, ORB_ERR_CORRUPT, "sequence state is not a JSON object: %s", je.text);
  }
  json_t *v;
  if (json_is_integer(v = json_object_get(o, "increment"))) s->increment = json_integer_value(v);
  if (json_is_integer(v = json_object_get(o, "min"))) s->min = json_integer_value(v);
  if (json_is_integer(v = json_object_get(o, "max"))) s->max = json_integer_value(v);
  if (json_is_integer(v = json_object_get(o, "start"))) s->start = json_integer_value(v);
  if (json_is_integer(v = json_object_get(o, "owner"))) s->owner = (uint32_t)json_integer_value(v);
  if (json_is_integer(v = json_object_get(o, "last"))) s->last = json_integer_value(v);
  if (json_is_integer(v = json_object_get(o, "width")) &&
      (json_integer_value(v) == 2 || json_integer_value(v) == 4))
    s->width = (uint8_t)json_integer_value(v);
  s->cycle = json_is_true(json_object_get(o, "cycle"));
  s->called = json_is_true(json_object_get(o, "called"));
  json_decref(o);
  return orb_seq_check(s, "", e);
}

static void log_state(orb_table *t, orb_wset *ws, int64_t last, bool called) {
  if (!ws || !wset_logging(ws)) return;
  orb_buf_put_u8(&ws->redo, (uint8_t)REDO_SEQUENCE);
  orb_buf_put_varint(&ws->redo, t->id);
  orb_buf_put_u64(&ws->redo, (uint64_t)last);
  orb_buf_put_u8(&ws->redo, called);
}

/* v moved by k steps of s's increment, held inside its range. */
static int64_t ahead(const orb_sequence *s, int64_t v, int k) {
  __int128 x = (__int128)v + (__int128)s->increment * k;
  return x > s->max ? s->max : x < s->min ? s->min : (int64_t)x;
}

/* Whether another running transaction has ALTERed s: then ws waits for it (s->mu held). */
static bool altered_by_other(const orb_sequence *s, const orb_wset *ws) {
  return ws && !ws->replay && s->altered_by != 0 && s->altered_by != ws->xid;
}

orb_status orb_seq_next(orb_table *t, orb_wset *ws, int64_t *out, orb_err *e) {
  orb_sequence *s = t->seq;
  pthread_mutex_lock(&s->mu);
  if (altered_by_other(s, ws)) {
    uint64_t x = s->altered_by;
    pthread_mutex_unlock(&s->mu);
    return wset_wait_for(ws, x, e);
  }
  int64_t v = s->last;
  if (s->called) {
    __int128 x = (__int128)s->last + s->increment;
    if (x > s->max || x < s->min) {
      if (!s->cycle) {
        pthread_mutex_unlock(&s->mu);
        return orb_err_setx(e, ORB_ERR_RANGE, "2200H", 0, "nextval: reached %s value of sequence \"%s\" (%lld)",
                            s->increment > 0 ? "maximum" : "minimum", t->name,
                            (long long)(s->increment > 0 ? s->max : s->min));
      }
      x = s->increment > 0 ? s->min : s->max;
    }
    v = (int64_t)x;
  }
  s->last = v;
  s->called = true;
  /* this transaction's values are covered by a bound it logs itself */
  bool covered = ws && s->bound_by == ws->xid && (s->increment > 0 ? v <= s->bound : v >= s->bound);
  if (ws && !covered) {
    s->bound = ahead(s, v, SEQ_LOG_AHEAD);
    s->bound_by = ws->xid;
    log_state(t, ws, s->bound, true);
  }
  pthread_mutex_unlock(&s->mu);
  *out = v;
  return ORB_OK;
}

orb_status orb_seq_set(orb_table *t, orb_wset *ws, int64_t v, bool called, orb_err *e) {
  orb_sequence *s = t->seq;
  if (v < s->min || v > s->max)
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "setval: value %lld is out of bounds for sequence \"%s\" (%lld..%lld)",
                        (long long)v, t->name, (long long)s->min, (long long)s->max);
  pthread_mutex_lock(&s->mu);
  if (altered_by_other(s, ws)) {
    uint64_t x = s->altered_by;
    pthread_mutex_unlock(&s->mu);
    return wset_wait_for(ws, x, e);
  }
  s->last = v;
  s->called = called;
  s->bound = v;
  s->bound_by = 0;   /* the next value logs a bound again */
  log_state(t, ws, v, called);
  pthread_mutex_unlock(&s->mu);
  return ORB_OK;
}

void orb_seq_replay(orb_table *t, int64_t last, bool called) {
  if (!t->seq) return;
  pthread_mutex_lock(&t->seq->mu);
  t->seq->last = last;
  t->seq->called = called;
  pthread_mutex_unlock(&t->seq->mu);
}
