/* txn/txn.c — transactions side by side: the latch, the gate, snapshots,
** waiting for another transaction, deadlocks, pruning old versions, and
** what a write that meets another transaction's change does (see txn.h).
**
** Locks, outermost first: gate (a transaction's or an open read's whole
** life; DDL exclusively), latch (one statement's work; writers
** exclusively), txmu (short: the lists below).  Nobody waits for another
** transaction while holding the latch.  The gate is a mutex and a condition
** variable rather than a pthread rwlock because a transaction may begin on
** one thread and end on another; the latch is taken and released within
** one call, so it can be a pthread rwlock.
*/
#include "storage/storage_int.h"
#include "storage/cold/cold_tier.h"
#include "base/blocking.h"
#include "base/mem.h"

#include <errno.h>
#include <time.h>

/* --- snapshots ------------------------------------------------------------- */

orb_snapshot db_snap_take(orb_db *db, uint64_t self) {
  orb_snapshot s = {db->cseq, self, NULL, 0};
  orb_db_snapshot_keep(db, &s);
  return s;
}

/* (txmu held) */
static void snap_remove(orb_db *db, uint64_t seq) {
  for (int i = 0; i < db->nsnaps; i++)
    if (db->snaps[i] == seq) {
      db->snaps[i] = db->snaps[--db->nsnaps];
      break;
    }
}

void db_snap_release(orb_db *db, uint64_t seq) {
  pthread_mutex_lock(&db->txmu);
  snap_remove(db, seq);
  pthread_mutex_unlock(&db->txmu);
}

/* Versions ended at or before the horizon are invisible to every snapshot. */
static uint64_t horizon(orb_db *db) {
  uint64_t h = db->cseq;
  pthread_mutex_lock(&db->txmu);
  for (int i = 0; i < db->nsnaps; i++)
    if (db->snaps[i] < h) h = db->snaps[i];
  pthread_mutex_unlock(&db->txmu);
  return h;
}

bool db_quiet(orb_db *db) {
  pthread_mutex_lock(&db->txmu);
  bool q = db->nsnaps == 0 && db->nrunning == 0;
  pthread_mutex_unlock(&db->txmu);
  return q;
}

orb_snapshot orb_db_snapshot(orb_db *db) { return db_snap_take(db, 0); }

void orb_db_snapshot_keep(orb_db *db, const orb_snapshot *s) {
  pthread_mutex_lock(&db->txmu);
  db->snaps = orb_grow(db->snaps, &db->cap_snaps, (size_t)db->nsnaps + 1, sizeof *db->snaps);
  db->snaps[db->nsnaps++] = s->seq;
  pthread_mutex_unlock(&db->txmu);
}
void orb_db_snapshot_release(orb_db *db, const orb_snapshot *s) { db_snap_release(db, s->seq); }

/* --- the latch and the gate ------------------------------------------------- */

/* Take the latch; a wait for it is announced (base/blocking.h). */
static void latch_take(orb_db *db, bool exclusive) {
  if ((exclusive ? pthread_rwlock_trywrlock(&db->latch) : pthread_rwlock_tryrdlock(&db->latch)) == 0) return;
  orb_blocking_enter();
  if (exclusive) pthread_rwlock_wrlock(&db->latch);
  else pthread_rwlock_rdlock(&db->latch);
  orb_blocking_leave();
}

void db_latch_exclusive(orb_db *db) { latch_take(db, true); }
void orb_db_latch_read(orb_db *db) { latch_take(db, false); }
void orb_db_unlatch_read(orb_db *db) { pthread_rwlock_unlock(&db->latch); }
void orb_db_gate_enter(orb_db *db) {
  pthread_mutex_lock(&db->gate_mu);
  if (db->gate_writer || db->gate_writers_waiting) {
    orb_blocking_enter();   /* DDL is running or waiting */
    while (db->gate_writer || db->gate_writers_waiting) pthread_cond_wait(&db->gate_cv, &db->gate_mu);
    orb_blocking_leave();
  }
  db->gate_readers++;
  pthread_mutex_unlock(&db->gate_mu);
}

void db_gate_leave(orb_db *db, bool exclusive) {
  pthread_mutex_lock(&db->gate_mu);
  if (exclusive) db->gate_writer = false;
  else db->gate_readers--;
  /* only DDL waits for readers to leave; everyone waits for DDL */
  if (exclusive || (db->gate_readers == 0 && db->gate_writers_waiting)) pthread_cond_broadcast(&db->gate_cv);
  pthread_mutex_unlock(&db->gate_mu);
}
void orb_db_gate_leave(orb_db *db) { db_gate_leave(db, false); }

/* --- the running list ------------------------------------------------------ */

/* Buffers up to this size are kept for the next write set; bigger ones (a
** huge transaction) are returned to the system. */
#define WSET_KEEP_BYTES (8u << 20)

void db_txn_register(orb_db *db, orb_wset *ws) {
  pthread_mutex_lock(&db->txmu);
  ws->xid = ORB_XID_BIT | ++db->next_xid;
  db->running = orb_grow(db->running, &db->cap_running, (size_t)db->nrunning + 1, sizeof *db->running);
  db->running[db->nrunning++] = ws;
  /* take over a previous write set's buffers */
  ws->redo = db->spare_redo;
  ws->redo.len = 0;
  orb_buf_init(&db->spare_redo);
  ws->undo = db->spare_undo;
  ws->cap_undo = db->spare_undo_cap;
  db->spare_undo = NULL;
  db->spare_undo_cap = 0;
  pthread_mutex_unlock(&db->txmu);
}

void db_txn_unregister(orb_db *db, orb_wset *ws) {
  pthread_mutex_lock(&db->txmu);
  if (ws->has_snap) snap_remove(db, ws->snap.seq);
  ws->has_snap = false;
  if (ws->redo.cap <= WSET_KEEP_BYTES && !db->spare_redo.data) {   /* keep buffers for the next one */
    db->spare_redo = ws->redo;
    orb_buf_init(&ws->redo);
  }
  if (ws->cap_undo * sizeof *ws->undo <= WSET_KEEP_BYTES && !db->spare_undo) {
    db->spare_undo = ws->undo;
    db->spare_undo_cap = ws->cap_undo;
    ws->undo = NULL;
  }
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i] == ws) {
      db->running[i] = db->running[--db->nrunning];
      break;
    }
  pthread_cond_broadcast(&db->txdone);
  pthread_mutex_unlock(&db->txmu);
}

static orb_wset *running_xid(orb_db *db, uint64_t xid) {
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i]->xid == xid) return db->running[i];
  return NULL;
}

/* Does waiting for `target` close a cycle back to ws?  (txmu held) */
static bool deadlock(orb_db *db, const orb_wset *ws, uint64_t target) {
  for (int steps = 0; steps <= db->nrunning && target; steps++) {
    if (target == ws->xid) return true;
    orb_wset *w = running_xid(db, target);
    if (!w) return false;
    target = w->wait_for;
  }
  return false;
}

/* Wait on cv for at most 20 ms: long waits wake now and then to look at
** cancel requests, statement_timeout and deadlocks. */
static void wait_a_while(pthread_cond_t *cv, pthread_mutex_t *mu) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 20 * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(cv, mu, &ts);
}

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The end of a wait that began now, by lock_timeout (0: none). */
static int64_t lock_deadline(const orb_wait_stop *stop) {
  return stop && stop->lock_timeout_ms > 0 ? mono_ns() + stop->lock_timeout_ms * 1000000LL : 0;
}

static orb_status stopped(const orb_wait_stop *stop, int64_t lock_deadline_ns, orb_err *e) {
  if (!stop) return ORB_OK;
  if (stop->flag && atomic_load(stop->flag))
    return orb_err_setx(e, ORB_ERR_LIMIT, "57014", 0, "canceling statement due to user request");
  int64_t now = stop->deadline_ns || lock_deadline_ns ? mono_ns() : 0;
  if (stop->deadline_ns && now >= stop->deadline_ns)
    return orb_err_setx(e, ORB_ERR_LIMIT, "57014", 0, "canceling statement due to statement timeout");
  if (lock_deadline_ns && now >= lock_deadline_ns)
    return orb_err_setx(e, ORB_ERR_CONFLICT, "55P03", 0, "canceling statement due to lock timeout");
  return ORB_OK;
}

bool orb_wset_blocked(const orb_wset *ws) { return ws->blocker != 0; }

void orb_wset_unblock(orb_wset *ws) { ws->blocker = 0; }

orb_status orb_wset_wait(orb_wset *ws, const orb_wait_stop *stop, orb_err *e) {
  orb_db *db = ws->db;
  uint64_t target = ws->blocker;
  ws->blocker = 0;
  if (!target) return ORB_OK;   /* nothing to wait for: just run again */
  orb_status st = ORB_OK;
  pthread_mutex_lock(&db->txmu);
  if (deadlock(db, ws, target)) {
    pthread_mutex_unlock(&db->txmu);
    return orb_err_setx(e, ORB_ERR_CONFLICT, "40P01", 0, "deadlock detected");
  }
  ws->wait_for = target;
  int64_t until = lock_deadline(stop);
  orb_blocking_enter();
  while (running_xid(db, target)) {
    wait_a_while(&db->txdone, &db->txmu);
    if ((st = stopped(stop, until, e)) != ORB_OK) break;
  }
  orb_blocking_leave();
  ws->wait_for = 0;
  pthread_mutex_unlock(&db->txmu);
  return st;
}

/* DDL replaces or frees tables: it needs every other transaction and open
** read to have ended, and keeps them out until its transaction ends. */
static orb_status gate_exclusive(orb_wset *ws, const orb_wait_stop *stop, orb_err *e) {
  orb_db *db = ws->db;
  if (ws->gate == 2) return ORB_OK;
  orb_status st = ORB_OK;
  pthread_mutex_lock(&db->gate_mu);
  if (ws->gate == 1) db->gate_readers--;   /* its own share does not count */
  ws->gate = 0;
  db->gate_writers_waiting++;
  int64_t until = lock_deadline(stop);
  orb_blocking_enter();
  while (db->gate_writer || db->gate_readers > 0) {
    wait_a_while(&db->gate_cv, &db->gate_mu);
    if (!db->gate_writer && db->gate_readers == 0) break;
    if ((st = stopped(stop, until, e)) != ORB_OK) break;
    bool waited_on = false;   /* a transaction inside waits for ws: neither could go on */
    pthread_mutex_lock(&db->txmu);
    for (int i = 0; i < db->nrunning; i++) waited_on |= db->running[i]->wait_for == ws->xid;
    pthread_mutex_unlock(&db->txmu);
    if (waited_on) {
      st = orb_err_setx(e, ORB_ERR_CONFLICT, "40P01", 0, "deadlock detected");
      break;
    }
  }
  orb_blocking_leave();
  db->gate_writers_waiting--;
  if (st == ORB_OK) {
    db->gate_writer = true;
    ws->gate = 2;
  } else {
    /* back to what the transaction held, once a DDL that got in first is done */
    while (db->gate_writer) pthread_cond_wait(&db->gate_cv, &db->gate_mu);
    db->gate_readers++;
    ws->gate = 1;
  }
  pthread_cond_broadcast(&db->gate_cv);
  pthread_mutex_unlock(&db->gate_mu);
  return st;
}

/* --- statements of a transaction ------------------------------------------------ */

orb_wset *orb_txn_begin(orb_db *db, bool read_committed) {
  orb_wset *ws = orb_calloc(1, sizeof *ws);
  ws->db = db;
  ws->sync = -1;
  ws->read_committed = read_committed;
  orb_db_gate_enter(db);
  ws->gate = 1;
  db_txn_register(db, ws);
  return ws;
}

/* The snapshot a statement of ws reads (latch held). */
static void statement_snapshot(orb_wset *ws) {
  if (ws->has_snap && !ws->read_committed) return;
  if (ws->has_snap) db_snap_release(ws->db, ws->snap.seq);
  ws->snap = db_snap_take(ws->db, ws->xid);
  ws->has_snap = true;
  /* a new snapshot (the first statement, or READ COMMITTED's next one)
  ** reads every Iceberg table afresh, but one its staged deletes name
  ** (cold_stage.h) */
  cold_pins_renew(&ws->pins);
  ws->snap.pins = &ws->pins;
  /* REPEATABLE READ reads every Iceberg table as it was now, whenever it
  ** first reads it (cold_tier.h); taken under the latch, as the sequence
  ** number is */
  if (!ws->read_committed) ws->snap.began_ms = cold_clock_ms();
}

orb_status orb_wset_enter(orb_wset *ws, bool ddl, const orb_wait_stop *stop, orb_err *e) {
  if (ddl) {
    orb_status st = gate_exclusive(ws, stop, e);
    if (st != ORB_OK) return st;
  }
  db_latch_exclusive(ws->db);
  ws->latched = true;
  statement_snapshot(ws);
  return ORB_OK;
}

void orb_wset_leave(orb_wset *ws) {
  if (!ws->latched) return;
  ws->latched = false;
  pthread_rwlock_unlock(&ws->db->latch);
}

const orb_snapshot *orb_wset_read_enter(orb_wset *ws) {
  orb_db_latch_read(ws->db);
  statement_snapshot(ws);
  return &ws->snap;
}

const orb_snapshot *orb_wset_snapshot(const orb_wset *ws) { return &ws->snap; }
bool orb_wset_started(const orb_wset *ws) { return ws->has_snap; }
void orb_wset_set_read_committed(orb_wset *ws, bool rc) { ws->read_committed = rc; }
void orb_wset_set_block(orb_wset *ws) { ws->block = true; }
bool orb_wset_is_block(const orb_wset *ws) { return ws && ws->block; }

orb_wset *orb_wset_begin(orb_db *db) {
  orb_wset *ws = orb_txn_begin(db, false);
  orb_wset_enter(ws, false, NULL, NULL);
  return ws;
}

orb_status orb_wset_begin_ddl(orb_db *db, orb_wset **out, const orb_wait_stop *stop, orb_err *e) {
  orb_wset *ws = orb_txn_begin(db, false);
  orb_status st = orb_wset_enter(ws, true, stop, e);
  if (st != ORB_OK) {
    orb_wset_abort(ws);
    ws = NULL;
  }
  *out = ws;
  return st;
}

/* --- pruning ------------------------------------------------------------------ */

static void gc_add(orb_db *db, uint32_t table_id, uint64_t rowid) {
  db->gc = orb_grow(db->gc, &db->cap_gc, db->ngc + 1, sizeof *db->gc);
  db->gc[db->ngc].table_id = table_id;
  db->gc[db->ngc].rowid = rowid;
  db->ngc++;
}

/* Prune items [from, ngc); drop the ones left with nothing to free. */
static void gc_pass(orb_db *db, size_t from, uint64_t h) {
  size_t j = from;
  for (size_t i = from; i < db->ngc; i++) {
    orb_table *t = db_table_by_id(db, db->gc[i].table_id);
    if (t && !hot_prune(hot_of(t->hot), db->gc[i].rowid, h)) db->gc[j++] = db->gc[i];
  }
  db->ngc = j;
}

void db_gc_after_commit(orb_db *db, orb_wset *ws) {
  size_t first_new = db->ngc;
  for (size_t i = 0; i < ws->nundo; i++) {
    const wset_undo *u = &ws->undo[i];
    if (u->kind == U_UPDATE || u->kind == U_DELETE || u->kind == U_LOCK) gc_add(db, hot_table_id(u->obj), u->rowid);
  }
  uint64_t h = horizon(db);
  if (h > db->gc_horizon) {   /* older snapshots went away: everything queued may shrink */
    db->gc_horizon = h;
    gc_pass(db, 0, h);
  } else {
    gc_pass(db, first_new, h);
  }
}

void db_gc_run(orb_db *db) {
  db->gc_horizon = horizon(db);
  gc_pass(db, 0, db->gc_horizon);
}

/* --- write-write conflicts ------------------------------------------------ */

orb_status wset_wait_for(orb_wset *ws, uint64_t xid, orb_err *e) {
  if (!ws || ws->replay)
    return orb_err_set(e, ORB_ERR_INTERNAL, "a row is being written by transaction %llu outside any transaction",
                       (unsigned long long)(xid & ~ORB_XID_BIT));
  ws->blocker = xid;
  return orb_err_set(e, ORB_ERR_WAIT, "row is being written by another transaction");
}

orb_status wset_conflict(orb_wset *ws, orb_err *e) {
  if (ws->read_committed) {   /* see the newer version: run the statement again with a new snapshot */
    ws->blocker = 0;
    return orb_err_set(e, ORB_ERR_WAIT, "row was changed since the statement started");
  }
  return orb_err_setx(e, ORB_ERR_CONFLICT, "40001", 0, "could not serialize access due to concurrent update");
}
