/* query/binder_sequence.c — binding CREATE SEQUENCE, and the sequences that
** serial and identity columns get (storage/sequence.h holds the values). */
#include "query/binder_int.h"

#include <string.h>

#include "base/mem.h"
#include "storage/sequence.h"

/* The range a sequence AS type may take; false for a type it cannot be. */
static bool type_range(const char *type, int64_t *lo, int64_t *hi) {
  if (!type || strcmp(type, "bigint") == 0 || strcmp(type, "int8") == 0) {
    *lo = INT64_MIN, *hi = INT64_MAX;
  } else if (strcmp(type, "integer") == 0 || strcmp(type, "int") == 0 || strcmp(type, "int4") == 0) {
    *lo = INT32_MIN, *hi = INT32_MAX;
  } else if (strcmp(type, "smallint") == 0 || strcmp(type, "int2") == 0) {
    *lo = INT16_MIN, *hi = INT16_MAX;
  } else {
    return false;
  }
  return true;
}

/* Options as PostgreSQL completes them: an ascending sequence runs from 1 to
** its type's maximum, a descending one from -1 down to its minimum, and
** starts at the end it leaves from. */
static orb_status seq_options(oql_binder *b, const oql_seq_ast *q, const char *type, int pos, orb_sequence **out,
                              orb_err *e) {
  int64_t lo, hi;
  if (!type_range(type, &lo, &hi))
    return orb_err_setx(e, ORB_ERR_MISUSE, "22023", pos, "sequence type must be smallint, integer, or bigint");
  orb_sequence *s = orb_arena_zalloc(b->a, sizeof *s);
  orb_seq_defaults(s);
  s->increment = q && q->has_inc ? q->inc : 1;
  bool up = s->increment > 0;
  s->min = q && q->has_min ? q->min : up ? 1 : lo;
  s->max = q && q->has_max ? q->max : up ? hi : -1;
  s->start = q && q->has_start ? q->start : up ? s->min : s->max;
  s->cycle = q && q->cycle;
  s->width = (uint8_t)(lo == INT16_MIN ? 2 : lo == INT32_MIN ? 4 : 8);
  if (s->min < lo || s->max > hi)
    return orb_err_setx(e, ORB_ERR_RANGE, "22023", pos, "%s (%lld) is out of range for sequence data type %s",
                        s->min < lo ? "MINVALUE" : "MAXVALUE", (long long)(s->min < lo ? s->min : s->max),
                        type ? type : "bigint");
  orb_status st = orb_seq_check(s, "", e);
  if (st != ORB_OK && e) e->pos = pos;
  *out = s;
  return st;
}

orb_status oql_bind_create_sequence(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_create_ast *cr = &ast->create;
  orb_status st = oql_check_not_system(b, cr->table, cr->table_pos, e);
  if (st != ORB_OK) return st;
  out->table_name = cr->table;
  out->if_exists = cr->if_not_exists;
  out->writes = true;
  return seq_options(b, &cr->seq, cr->seq.as_type, cr->table_pos, &out->seq_opts, e);
}

bool oql_serial_type(const char *name, const char **base) {
  static const struct { const char *serial, *base; } map[] = {
      {"serial", "integer"},       {"serial4", "integer"}, {"bigserial", "bigint"},
      {"serial8", "bigint"},       {"smallserial", "smallint"}, {"serial2", "smallint"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(name, map[i].serial) == 0) {
      *base = map[i].base;
      return true;
    }
  return false;
}

orb_status oql_bind_serial(oql_binder *b, oql_bstmt *out, const oql_seq_ast *q, const char *table, const char *col,
                           const char *type,
                           int pos, const char **default_sql, orb_err *e) {
  /* the name given (SEQUENCE NAME), else PostgreSQL's, <table>_<column>_seq,
  ** or with a number when that is taken */
  const char *name = q && q->seq_name ? q->seq_name : orb_arena_sprintf(b->a, "%s_%s_seq", table, col);
  bool given = q && q->seq_name;
  for (int i = 0; given && i < out->nserial; i++)
    if (strcmp(out->serial_seqs[i], name) == 0) given = false;
  if (q && q->seq_name && (!given || orb_db_table(b->db, name)))
    return orb_err_setx(e, ORB_ERR_DUPLICATE, "42P07", q->seq_name_pos, "relation \"%s\" already exists", name);
  for (int k = 1; !given; k++) {
    bool taken = orb_db_table(b->db, name) != NULL;
    for (int i = 0; i < out->nserial && !taken; i++) taken = strcmp(out->serial_seqs[i], name) == 0;
    if (!taken) break;
    name = orb_arena_sprintf(b->a, "%s_%s_seq%d", table, col, k);
  }
  orb_sequence *s;
  orb_status st = seq_options(b, q, type, pos, &s, e);
  if (st != ORB_OK) return st;
  int n = out->nserial;
  const char **seqs = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(n + 1));
  orb_sequence **opts = orb_arena_alloc(b->a, sizeof(orb_sequence *) * (size_t)(n + 1));
  if (n) {
    memcpy(seqs, out->serial_seqs, sizeof(char *) * (size_t)n);
    memcpy(opts, out->serial_opts, sizeof(orb_sequence *) * (size_t)n);
  }
  seqs[n] = name;
  opts[n] = s;
  out->serial_seqs = seqs;
  out->serial_opts = opts;
  out->nserial = n + 1;
  *default_sql = orb_arena_sprintf(b->a, "nextval('%s')", name);
  return ORB_OK;
}
