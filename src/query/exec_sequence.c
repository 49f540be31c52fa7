/* query/exec_sequence.c — ALTER SEQUENCE: the sequence's new options,
** completed and checked as PostgreSQL 15's ALTER SEQUENCE does, then
** handed to the storage layer (orb_db_alter_sequence: transactional and
** logged, storage/sequence.h). */
#include "query/stmt_exec.h"

#include <string.h>

#include "query/ast.h"
#include "storage/sequence.h"

/* The width of a sequence type name, 0 for a type a sequence cannot be. */
static int type_width(const char *type) {
  if (strcmp(type, "bigint") == 0 || strcmp(type, "int8") == 0) return 8;
  if (strcmp(type, "integer") == 0 || strcmp(type, "int") == 0 || strcmp(type, "int4") == 0) return 4;
  if (strcmp(type, "smallint") == 0 || strcmp(type, "int2") == 0) return 2;
  return 0;
}

static const char *width_name(int w) { return w == 2 ? "smallint" : w == 4 ? "integer" : "bigint"; }

static orb_status bad(orb_err *e, const char *fmt, long long a, long long b) {
  return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, fmt, a, b);
}

/* OWNED BY t.c: the table's id (42P01 / 42703 as PostgreSQL). */
static orb_status owner_of(oql_rt *rt, const oql_seq_ast *q, uint32_t *owner, orb_err *e) {
  orb_table *t = orb_db_table(rt->db, q->owned_table);
  if (!t || t->kind == ORB_TABLE_SEQUENCE || t->kind == ORB_TABLE_VIEW) {
    if (t) return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "sequence cannot be owned by relation \"%s\"", q->owned_table);
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", q->owned_table);
  }
  if (orb_schema_find(&t->schema, q->owned_col) < 0)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", 0, "column \"%s\" of relation \"%s\" does not exist", q->owned_col,
                        q->owned_table);
  *owner = t->id;
  return ORB_OK;
}

orb_status oql_exec_alter_sequence(oql_bstmt *b, oql_rt *rt, orb_err *e) {
  const oql_seq_ast *q = b->seq_alter;
  orb_table *t = orb_db_table(rt->db, b->table_name);
  if (!t) {
    if (b->if_exists) {   /* PostgreSQL only notes it */
      char msg[160];
      snprintf(msg, sizeof msg, "relation \"%s\" does not exist, skipping", b->table_name);
      oql_reports_add(&rt->notices, "00000", false, msg);
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", b->table_name);
  }
  if (t->kind != ORB_TABLE_SEQUENCE || !t->seq)
    return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "\"%s\" is not a sequence", b->table_name);
  if (q->rename_to) return orb_db_rename_table(rt->db, rt->ws, t, q->rename_to, e);

  orb_sequence n;
  orb_seq_defaults(&n);
  pthread_mutex_lock(&t->seq->mu);
  orb_seq_copy_options(&n, t->seq);
  n.last = t->seq->last;
  pthread_mutex_unlock(&t->seq->mu);
  orb_status st = ORB_OK;
  int64_t lo, hi;
  /* AS type: a MINVALUE / MAXVALUE that was the old type's limit becomes the new type's */
  bool reset_min = false, reset_max = false;
  if (q->as_type) {
    int w = type_width(q->as_type);
    if (!w) {
      st = orb_err_setx(e, ORB_ERR_MISUSE, "22023", 0, "sequence type must be smallint, integer, or bigint");
      goto out;
    }
    orb_seq_type_range(n.width, &lo, &hi);
    reset_min = n.min == lo;
    reset_max = n.max == hi;
    n.width = (uint8_t)w;
  }
  orb_seq_type_range(n.width, &lo, &hi);
  if (q->has_inc) n.increment = q->inc;
  if (n.increment == 0) {
    st = orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "INCREMENT must not be zero");
    goto out;
  }
  bool up = n.increment > 0;
  if (q->has_max) n.max = q->max;
  else if (q->no_max || reset_max) n.max = up ? hi : -1;
  if (q->has_min) n.min = q->min;
  else if (q->no_min || reset_min) n.min = up ? 1 : lo;
  if (n.max < lo || n.max > hi) {
    st = orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "MAXVALUE (%lld) is out of range for sequence data type %s",
                      (long long)n.max, width_name(n.width));
    goto out;
  }
  if (n.min < lo || n.min > hi) {
    st = orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "MINVALUE (%lld) is out of range for sequence data type %s",
                      (long long)n.min, width_name(n.width));
    goto out;
  }
  if (n.min >= n.max) {
    st = bad(e, "MINVALUE (%lld) must be less than MAXVALUE (%lld)", (long long)n.min, (long long)n.max);
    goto out;
  }
  if (q->has_start) n.start = q->start;
  if (n.start < n.min) {
    st = bad(e, "START value (%lld) cannot be less than MINVALUE (%lld)", (long long)n.start, (long long)n.min);
    goto out;
  }
  if (n.start > n.max) {
    st = bad(e, "START value (%lld) cannot be greater than MAXVALUE (%lld)", (long long)n.start, (long long)n.max);
    goto out;
  }
  /* RESTART's value, or (as PostgreSQL checks it under the same name) the current one */
  if (q->has_restart) n.last = q->restart_with ? q->restart : n.start;
  if (n.last < n.min) {
    st = bad(e, "RESTART value (%lld) cannot be less than MINVALUE (%lld)", (long long)n.last, (long long)n.min);
    goto out;
  }
  if (n.last > n.max) {
    st = bad(e, "RESTART value (%lld) cannot be greater than MAXVALUE (%lld)", (long long)n.last, (long long)n.max);
    goto out;
  }
  if (q->has_cache && q->cache <= 0) {
    st = orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "CACHE (%lld) must be greater than zero", (long long)q->cache);
    goto out;
  }
  if (q->has_cycle) n.cycle = q->cycle;
  if (q->owned_none) n.owner = 0;
  else if (q->owned_table && (st = owner_of(rt, q, &n.owner, e)) != ORB_OK) goto out;
  st = orb_db_alter_sequence(rt->db, rt->ws, t, &n, q->has_restart, e);
out:
  pthread_mutex_destroy(&n.mu);
  return st;
}
