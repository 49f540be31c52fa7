/* query/binder_lock.c — binding SELECT ... FOR UPDATE / NO KEY UPDATE /
** SHARE / KEY SHARE [OF rel, ...] [NOWAIT | SKIP LOCKED].
**
** Each base table the clauses reach gets one more column, hidden from the
** query: its rows' locators (a fresh gid the scan fills, oql_scan_new's
** with_locator), carried to the end of the select list as a hidden output.
** The planner puts a LockRows operator (exec_lock.c) above the sort and
** below LIMIT, as PostgreSQL does, and it claims each row through
** orb_table_lock_row.  The statement then runs as a write (binder's
** locks_rows): in a transaction, where a row another transaction holds is
** waited for and the statement run again, as UPDATE does.
**
** The restrictions and their messages are PostgreSQL's: no locking with
** set operations, DISTINCT, GROUP BY, HAVING, aggregates, window functions
** or set-returning functions, nor of the NULL-extended side of an outer
** join.  Not PostgreSQL's: a derived table in FROM cannot be locked
** (0A000; PostgreSQL locks the tables inside it), nor an Iceberg table. */
#include "query/binder_int.h"

#include <string.h>

#include "query/parser.h"

/* The combined clause for a table: the strongest strength, NOWAIT over
** SKIP LOCKED over waiting, as PostgreSQL combines them. */
typedef struct lock_want {
  bool any;
  oql_lock_strength strength;
  oql_lock_wait wait;
} lock_want;

static bool names_rel(const oql_lock_ast *lk, const char *alias, int *hit) {
  if (!lk->nrels) return true;
  bool named = false;
  for (int i = 0; i < lk->nrels; i++)
    if (alias && strcmp(lk->rels[i], alias) == 0) {
      hit[i] = 1;
      named = true;
    }
  return named;
}

static orb_status lock_item(oql_selctx *c, oql_select_parts *p, oql_from *f, bool nullable, const oql_select_ast *s,
                            int **hits, orb_err *e) {
  oql_binder *b = c->b;
  if (f->kind == OQL_FROM_JOIN) {
    bool ln = nullable || f->jt == OQL_JOIN_RIGHT || f->jt == OQL_JOIN_FULL;
    bool rn = nullable || f->jt == OQL_JOIN_LEFT || f->jt == OQL_JOIN_FULL;
    orb_status st = lock_item(c, p, f->left, ln, s, hits, e);
    return st == ORB_OK ? lock_item(c, p, f->right, rn, s, hits, e) : st;
  }
  lock_want w = {false, OQL_LOCK_KEY_SHARE, OQL_LOCK_WAIT};
  const char *clause = NULL;
  for (int i = 0; i < s->nlocks; i++) {
    const oql_lock_ast *lk = &s->locks[i];
    if (!names_rel(lk, f->alias, hits[i])) continue;
    if (!clause) clause = oql_lock_clause_name(lk->strength);
    if (!w.any || lk->strength > w.strength) w.strength = lk->strength;
    if (lk->wait > w.wait) w.wait = lk->wait;
    w.any = true;
  }
  if (!w.any) return ORB_OK;
  if (f->kind == OQL_FROM_SUBQUERY)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->locks[0].pos, "%s of a subquery in FROM is not supported",
                        clause);
  if (f->kind != OQL_FROM_TABLE) return ORB_OK;   /* functions, VALUES, files: nothing to lock, as in PostgreSQL */
  if (nullable)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->locks[0].pos,
                        "%s cannot be applied to the nullable side of an outer join", clause);
  if (f->table->kind != ORB_TABLE_HOT)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->locks[0].pos,
                        "%s of Iceberg table \"%s\" is not supported", clause, f->table->name);
  int gid = oql_selctx_new_gid(c, "ctid");
  f->loc_gid = gid + 1;
  orb_expr *x = orb_expr_column(b->a, gid, orb_type_make(ORB_T_INT64));
  oql_lock_target *t = &p->locks[p->nlocks++];
  t->table = f->table;
  t->slot = oql_match_or_add_output(b, &p->items, x);
  t->strength = w.strength;
  t->wait = w.wait;
  if (!b->locks_rows || w.strength > b->lock_strength) b->lock_strength = w.strength;
  b->locks_rows = true;
  return ORB_OK;
}

static int count_items(const oql_from *f) {
  if (!f) return 0;
  return f->kind == OQL_FROM_JOIN ? count_items(f->left) + count_items(f->right) : 1;
}

/* Why clause cannot apply to select s, as PostgreSQL words it; NULL if it can. */
static const char *refusal(const oql_selctx *c, const oql_select_ast *s) {
  if (s->distinct || s->ndistinct_on) return "DISTINCT clause";
  if (s->ngroup) return "GROUP BY clause";
  if (s->having) return "HAVING clause";
  if (c->naggs) return "aggregate functions";
  if (c->nwfuncs) return "window functions";
  if (c->nsrfs) return "set-returning functions in the target list";
  return NULL;
}

orb_status oql_walk_locking(oql_selctx *c, const oql_select_ast *s, oql_select_parts *p, orb_err *e) {
  oql_binder *b = c->b;
  const char *why = refusal(c, s);
  if (why)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->locks[0].pos, "%s is not allowed with %s",
                        oql_lock_clause_name(s->locks[0].strength), why);
  int **hits = orb_arena_alloc(b->a, sizeof(int *) * (size_t)s->nlocks);
  for (int i = 0; i < s->nlocks; i++) hits[i] = orb_arena_zalloc(b->a, sizeof(int) * (size_t)(s->locks[i].nrels + 1));
  p->locks = orb_arena_alloc(b->a, sizeof(oql_lock_target) * (size_t)(count_items(p->from) + 1));
  p->nlocks = 0;
  if (p->from) {
    orb_status st = lock_item(c, p, p->from, false, s, hits, e);
    if (st != ORB_OK) return st;
  }
  for (int i = 0; i < s->nlocks; i++)
    for (int r = 0; r < s->locks[i].nrels; r++)
      if (!hits[i][r])
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", s->locks[i].rel_pos[r],
                            "relation \"%s\" in %s clause not found in FROM clause", s->locks[i].rels[r],
                            oql_lock_clause_name(s->locks[i].strength));
  return ORB_OK;
}

orb_status oql_refuse_set_op_locking(const oql_select_ast *s, orb_err *e) {
  if (!s->nlocks) return ORB_OK;
  return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->locks[0].pos, "%s is not allowed with UNION/INTERSECT/EXCEPT",
                      oql_lock_clause_name(s->locks[0].strength));
}
