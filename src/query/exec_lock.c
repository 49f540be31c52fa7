/* query/exec_lock.c — LockRows: SELECT ... FOR UPDATE / SHARE.
**
** Each row carries the locators of the rows it was made from, one int64
** per locked table (binder_lock.c).  The operator claims those rows for the
** statement's transaction (orb_table_lock_row: as an update would, without
** changing them) before passing the row on; the planner places it above
** the sort and below LIMIT, so that LIMIT counts locked rows, as in
** PostgreSQL.
**
** When another running transaction holds a row: by default the error
** ORB_ERR_WAIT goes up and the session waits for it, then runs the whole
** statement again (a READ COMMITTED one with a new snapshot, so it returns
** the row as that transaction left it, or not at all if it no longer
** matches); NOWAIT turns it into PostgreSQL's 55P03; SKIP LOCKED drops the
** row.  A row the transaction itself deleted is dropped.  Shared strengths
** (FOR SHARE, FOR KEY SHARE) take a shared lock (storage/hot/hot_share.c):
** sharers of one row do not wait for each other, writers wait for them.
** FOR NO KEY UPDATE locks as FOR UPDATE does, and KEY SHARE stops an
** update that changes no key, both stricter than PostgreSQL, never looser. */
#include "query/bound.h"
#include "query/exec.h"
#include "txn/wset.h"

typedef struct lockrows_op {
  oql_op op;
  const oql_lock_target *locks;
  int nlocks;
} lockrows_op;

static orb_status lockrows_open(oql_op *op, oql_rt *rt, orb_err *e) {
  if (!rt->ws)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "SELECT FOR UPDATE/SHARE cannot run here (no transaction)");
  return oql_op_open(op->left, rt, e);
}

/* Claim row's rows; *keep = false when the row is to be dropped. */
static orb_status lock_one(const lockrows_op *l, oql_rt *rt, const orb_value *row, bool *keep, orb_err *e) {
  *keep = true;
  for (int i = 0; i < l->nlocks; i++) {
    const oql_lock_target *t = &l->locks[i];
    const orb_value *v = &row[t->slot];
    if (v->isnull) continue;
    bool gone;
    bool shared = t->strength == OQL_LOCK_SHARE || t->strength == OQL_LOCK_KEY_SHARE;
    orb_status st = orb_table_lock_row(t->table, rt->ws, (uint64_t)v->u.i, shared, &gone, e);
    if (st == ORB_ERR_WAIT && orb_wset_blocked(rt->ws) && t->wait != OQL_LOCK_WAIT) {
      orb_wset_unblock(rt->ws);
      orb_err_clear(e);
      if (t->wait == OQL_LOCK_NOWAIT)
        return orb_err_setx(e, ORB_ERR_CONFLICT, "55P03", 0, "could not obtain lock on row in relation \"%s\"",
                            t->table->name);
      *keep = false;   /* SKIP LOCKED */
      return ORB_OK;
    }
    if (st != ORB_OK) return st;
    if (gone) {
      *keep = false;
      return ORB_OK;
    }
  }
  return ORB_OK;
}

static orb_status lockrows_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  lockrows_op *l = (lockrows_op *)op;
  for (;;) {
    orb_status st = oql_op_next(op->left, rt, row, e);
    if (st != ORB_OK || !*row) return st;
    bool keep;
    if ((st = lock_one(l, rt, *row, &keep, e)) != ORB_OK) return st;
    if (keep) return ORB_OK;
  }
}

static void lockrows_close(oql_op *op, oql_rt *rt) { oql_op_close(op->left, rt); }

static void lockrows_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const lockrows_op *l = (const lockrows_op *)op;
  (void)head;
  orb_buf_puts(lines, "Lock: ");
  for (int i = 0; i < l->nlocks; i++) {
    const oql_lock_target *t = &l->locks[i];
    orb_buf_printf(lines, "%s%s%s", i ? ", " : "", t->table->name,
                   t->wait == OQL_LOCK_NOWAIT ? " (NOWAIT)" : t->wait == OQL_LOCK_SKIP ? " (SKIP LOCKED)" : "");
  }
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt lockrows_vt = {"LockRows", lockrows_open, lockrows_next, lockrows_close, NULL, lockrows_explain,
                                      NULL};

oql_op *oql_lockrows_new(orb_arena *a, oql_op *child, const oql_lock_target *locks, int nlocks) {
  lockrows_op *l = orb_arena_zalloc(a, sizeof *l);
  l->op.vt = &lockrows_vt;
  l->op.left = child;
  l->op.ncols = child->ncols;
  l->op.types = child->types;
  l->op.names = child->names;
  l->locks = locks;
  l->nlocks = nlocks;
  return &l->op;
}
