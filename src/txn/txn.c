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
#include <string.h>
#include <time.h>

/* --- snapshots ------------------------------------------------------------- */

orb_snapshot db_snap_take(orb_db *db, uint64_t self, bool latest) {
  orb_snapshot s = {latest ? db->cseq : db_visible_seq(db), self, NULL, 0};
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

/* Versions ended at or before the horizon are invisible to every snapshot
** (the next one is taken at the visible number at least). */
static uint64_t horizon(orb_db *db) {
  uint64_t h = db_visible_seq(db);
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

orb_snapshot orb_db_snapshot(orb_db *db) { return db_snap_take(db, 0, false); }

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

/* --- row queues ------------------------------------------------------------ */

/* Transactions waiting to write the same row line up, as PostgreSQL's
** waiters do on a tuple lock.  The first in line waits for the transaction
** holding the row; the others wait behind it and do not look at the row.
** When the holder ends, only the first waiter wakes and runs its statement
** again; it keeps its place until that statement ends (it may meet the row
** held by a newcomer and wait again, still first), then hands the first
** place to the next in line, which then waits for it if it took the row.
** Without the queue, every commit on a hot row woke all its waiters, and
** all of them but one ran their statement again only to wait again (a
** thundering herd that made 64 pgbench clients slower than 8).
**
** A row is named by its tier and rowid; nothing is kept for it but the
** fields of the write sets in line (running list, txmu), so a queue exists
** only while someone waits.  For deadlock detection, a waiter behind
** waits for the first one's transaction (the row will be its next). */

static bool rowq_same(const orb_wset *w, const void *tier, uint64_t rowid) {
  return w->rowq != ROWQ_NONE && w->rowq_tier == tier && w->rowq_rowid == rowid;
}

static orb_wset *running_xid(orb_db *db, uint64_t xid) {
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i]->xid == xid) return db->running[i];
  return NULL;
}

/* w now waits for the row held by transaction xid.  (txmu held) */
static void rowq_hold_by(orb_db *db, orb_wset *w, uint64_t xid) {
  orb_wset *h = running_xid(db, xid);
  w->rowq_holder = xid;
  w->rowq_holder_gb = h ? h->rows_given_back : 0;
}

/* Is the row w waits for still held, as far as the running list tells? */
static bool rowq_still_held(orb_db *db, const orb_wset *w) {
  orb_wset *h = running_xid(db, w->rowq_holder);
  return h && h->rows_given_back == w->rowq_holder_gb;
}

/* The first waiter for the row, NULL if none.  (txmu held) */
static orb_wset *rowq_first(orb_db *db, const void *tier, uint64_t rowid) {
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i]->rowq == ROWQ_FIRST && rowq_same(db->running[i], tier, rowid)) return db->running[i];
  return NULL;
}

/* Did ws's write set change or lock the row it queued for?  (Its undo
** entries name the tier and rowid of every row it claimed.) */
static bool rowq_took_row(const orb_wset *ws) {
  for (size_t i = ws->nundo; i-- > 0;) {
    const wset_undo *u = &ws->undo[i];
    if ((u->kind == U_UPDATE || u->kind == U_DELETE || u->kind == U_LOCK) && u->obj == ws->rowq_tier &&
        u->rowid == ws->rowq_rowid)
      return true;
  }
  return false;
}

/* ws leaves its row's queue; if it was first, the earliest waiter behind
** takes its place.  When ws leaves because its statement took the row,
** the new first would only find ws holding it: it waits for ws's
** transaction without running its statement in between (asleep until ws
** ends).  Otherwise it is woken to run its statement again.  (txmu held) */
static void rowq_leave(orb_db *db, orb_wset *ws, bool took_row) {
  if (ws->rowq == ROWQ_NONE) return;
  bool was_first = ws->rowq == ROWQ_FIRST;
  ws->rowq = ROWQ_NONE;
  if (!was_first) return;
  orb_wset *next = NULL;
  for (int i = 0; i < db->nrunning; i++) {
    orb_wset *w = db->running[i];
    if (w->rowq == ROWQ_BEHIND && rowq_same(w, ws->rowq_tier, ws->rowq_rowid) &&
        (!next || w->rowq_ticket < next->rowq_ticket))
      next = w;
  }
  if (!next) return;
  next->rowq = ROWQ_FIRST;
  if (took_row) {
    /* a true edge: ws holds the row; ws checks for a cycle should it wait */
    rowq_hold_by(db, next, ws->xid);
    next->wait_for = ws->xid;
  } else {
    /* its waits-for edge is set again (and checked for a cycle) when it wakes */
    next->wait_for = 0;
    pthread_cond_signal(&next->wake);
  }
  /* the others in line now wait for it, and stay asleep */
  for (int i = 0; i < db->nrunning; i++) {
    orb_wset *w = db->running[i];
    if (w->rowq == ROWQ_BEHIND && rowq_same(w, ws->rowq_tier, ws->rowq_rowid)) w->wait_for = next->xid;
  }
}

/* --- the running list ------------------------------------------------------ */

/* Buffers up to this size are kept for the next write set; bigger ones (a
** huge transaction) are returned to the system. */
#define WSET_KEEP_BYTES (8u << 20)

void db_txn_register(orb_db *db, orb_wset *ws) {
  pthread_mutex_lock(&db->txmu);
  ws->xid = ORB_XID_BIT | ++db->next_xid;
  pthread_cond_init(&ws->wake, NULL);
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
  rowq_leave(db, ws, false);
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i] == ws) {
      db->running[i] = db->running[--db->nrunning];
      break;
    }
  /* wake exactly the transactions waiting for this one (a waiter behind a
  ** row's first waiter waits for that waiter, not for this transaction) */
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i]->wait_for == ws->xid) pthread_cond_signal(&db->running[i]->wake);
  pthread_cond_destroy(&ws->wake);
  pthread_mutex_unlock(&db->txmu);
}


void db_txn_rows_given_back(orb_db *db, orb_wset *ws) {
  pthread_mutex_lock(&db->txmu);
  ws->rows_given_back++;
  for (int i = 0; i < db->nrunning; i++)
    if (db->running[i]->wait_for == ws->xid) pthread_cond_signal(&db->running[i]->wake);
  pthread_mutex_unlock(&db->txmu);
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

/* Wait on cv for at most 20 ms: a DDL waiting for the gate wakes now and
** then to look at cancel requests, statement_timeout and deadlocks. */
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

void orb_wset_unblock(orb_wset *ws) {
  ws->blocker = 0;
  ws->wait_pending = false;
}

/* Sleep on ws->wake (txmu held) until signalled, or at most 50 ms or until
** the statement's deadline: cancel requests are only seen by looking. */
static void wait_signalled(orb_wset *ws, const orb_wait_stop *stop, int64_t lock_deadline_ns) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t ns = 50 * 1000000LL;
  int64_t ends[2] = {stop ? stop->deadline_ns : 0, lock_deadline_ns};   /* statement_timeout, lock_timeout */
  for (int k = 0; k < 2; k++)
    if (ends[k]) {
      int64_t left = ends[k] - mono_ns();
      if (left < ns) ns = left > 0 ? left : 0;
    }
  ns += ts.tv_nsec;
  ts.tv_sec += (time_t)(ns / 1000000000LL);
  ts.tv_nsec = (long)(ns % 1000000000LL);
  pthread_cond_timedwait(&ws->wake, &ws->db->txmu, &ts);
}

orb_status orb_wset_wait(orb_wset *ws, const orb_wait_stop *stop, orb_err *e) {
  orb_db *db = ws->db;
  uint64_t target = ws->blocker;
  const void *tier = ws->blocker_tier;
  uint64_t rowid = ws->blocker_rowid;
  ws->blocker = 0;
  ws->blocker_tier = NULL;
  ws->wait_pending = false;
  /* the statement runs again and must see the change it met, which may not
  ** be durable yet: it writes over it, it does not show it (visible.c) */
  ws->see_latest = true;
  if (!target) return ORB_OK;   /* nothing to wait for: just run again (keeping a first place in line) */
  orb_status st = ORB_OK;
  pthread_mutex_lock(&db->txmu);
  if (ws->rowq != ROWQ_NONE && !(tier && rowq_same(ws, tier, rowid))) rowq_leave(db, ws, false);   /* now another row */
  if (tier && ws->rowq == ROWQ_NONE) {
    ws->rowq = rowq_first(db, tier, rowid) ? ROWQ_BEHIND : ROWQ_FIRST;
    ws->rowq_tier = tier;
    ws->rowq_rowid = rowid;
    ws->rowq_ticket = ++db->next_row_ticket;
  }
  rowq_hold_by(db, ws, target);
  int64_t until = lock_deadline(stop);
  bool announced = false;
  for (;;) {
    /* first in line (or no row): wait for the transaction holding the row;
    ** behind: for the first waiter, until it hands over its place */
    uint64_t on = ws->rowq_holder;
    if (ws->rowq == ROWQ_BEHIND) {
      orb_wset *first = rowq_first(db, ws->rowq_tier, ws->rowq_rowid);
      on = first ? first->xid : 0;
      if (!first) ws->rowq = ROWQ_FIRST;   /* not expected: the first always hands over */
    }
    if (ws->rowq != ROWQ_BEHIND && !rowq_still_held(db, ws)) break;
    if (on && on != ws->wait_for) {
      if (deadlock(db, ws, on)) {
        st = orb_err_setx(e, ORB_ERR_CONFLICT, "40P01", 0, "deadlock detected");
        break;
      }
      ws->wait_for = on;
    }
    if (!announced) {
      orb_blocking_enter();
      announced = true;
    }
    wait_signalled(ws, stop, until);
    if ((st = stopped(stop, until, e)) != ORB_OK) break;
  }
  if (announced) orb_blocking_leave();
  ws->wait_for = 0;
  if (st != ORB_OK) rowq_leave(db, ws, false);   /* the statement ends here: let the next one in line go */
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
  ws->snap = db_snap_take(ws->db, ws->xid, ws->see_latest);
  if (ws->see_latest) ws->seen_lsn = ws->db->last_lsn;
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
  ws->wait_pending = false;
  statement_snapshot(ws);
  return ORB_OK;
}

void orb_wset_leave(orb_wset *ws) {
  if (ws->latched) {
    ws->latched = false;
    pthread_rwlock_unlock(&ws->db->latch);
  }
  /* the statement that waited for a row is over (it took the row, or did
  ** not need it): the next waiter in line may go.  Not when it is about to
  ** wait again (orb_wset_wait decides then). */
  if (ws->rowq != ROWQ_NONE && !ws->wait_pending) {
    bool took = ws->rowq == ROWQ_FIRST && rowq_took_row(ws);
    pthread_mutex_lock(&ws->db->txmu);
    rowq_leave(ws->db, ws, took);
    pthread_mutex_unlock(&ws->db->txmu);
  }
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

/* The queue holds the rows whose older versions are to be freed, each
** with the sequence number of the commit that replaced or deleted them, so
** in the order items arrive.  An item can free something only once the
** horizon (the oldest snapshot) reaches its number; each pass prunes the
** items from the front up to the horizon and drops them.  Whatever stays
** on such a row is either the newest version every snapshot sees or newer
** than the horizon, and the commit that made a newer one queued the row
** again with its own, later number; a running transaction's version is
** not committed and nothing below it is freed that its undo names.  So a
** commit costs the items it can free, not the whole queue.  (Rows were
** kept queued while a running transaction wrote them and every pass went
** over the whole queue: with 64 clients updating one row, the queue grew
** with every commit.) */
static void gc_add(orb_db *db, uint32_t table_id, uint64_t rowid) {
  db->gc = orb_grow(db->gc, &db->cap_gc, db->ngc + 1, sizeof *db->gc);
  db->gc[db->ngc].table_id = table_id;
  db->gc[db->ngc].rowid = rowid;
  db->gc[db->ngc].seq = db->cseq;
  db->ngc++;
}

/* Prune and drop the items numbered up to the horizon h. */
static void gc_pass(orb_db *db, uint64_t h) {
  size_t i = db->gc_first;
  for (; i < db->ngc && db->gc[i].seq <= h; i++) {
    orb_table *t = db_table_by_id(db, db->gc[i].table_id);
    if (t) hot_prune(hot_of(t->hot), db->gc[i].rowid, h);
  }
  db->gc_first = i;
  if (db->gc_first == db->ngc) {
    db->gc_first = db->ngc = 0;
  } else if (db->gc_first > 256 && db->gc_first * 2 > db->ngc) {   /* keep the array from creeping */
    memmove(db->gc, db->gc + db->gc_first, (db->ngc - db->gc_first) * sizeof *db->gc);
    db->ngc -= db->gc_first;
    db->gc_first = 0;
  }
}

void db_gc_after_commit(orb_db *db, orb_wset *ws) {
  for (size_t i = 0; i < ws->nundo; i++) {
    const wset_undo *u = &ws->undo[i];
    if (u->kind == U_UPDATE || u->kind == U_DELETE || u->kind == U_LOCK) gc_add(db, hot_table_id(u->obj), u->rowid);
  }
  db->gc_horizon = horizon(db);
  gc_pass(db, db->gc_horizon);
}

void db_gc_try(orb_db *db) {
  if (pthread_rwlock_trywrlock(&db->latch) != 0) return;
  if (db->gc_first < db->ngc && db->gc[db->gc_first].seq <= db_visible_seq(db)) {
    db->gc_horizon = horizon(db);
    gc_pass(db, db->gc_horizon);
  }
  pthread_rwlock_unlock(&db->latch);
}

void db_gc_run(orb_db *db) {
  db->gc_horizon = horizon(db);
  gc_pass(db, db->gc_horizon);
}

/* --- write-write conflicts ------------------------------------------------ */

orb_status wset_wait_for(orb_wset *ws, uint64_t xid, const void *tier, uint64_t rowid, orb_err *e) {
  if (!ws || ws->replay)
    return orb_err_set(e, ORB_ERR_INTERNAL, "a row is being written by transaction %llu outside any transaction",
                       (unsigned long long)(xid & ~ORB_XID_BIT));
  ws->blocker = xid;
  ws->blocker_tier = tier;
  ws->blocker_rowid = rowid;
  ws->wait_pending = true;
  return orb_err_set(e, ORB_ERR_WAIT, "row is being written by another transaction");
}

orb_status wset_conflict(orb_wset *ws, orb_err *e) {
  if (ws->read_committed) {   /* see the newer version: run the statement again with a new snapshot */
    ws->blocker = 0;
    ws->wait_pending = true;
    return orb_err_set(e, ORB_ERR_WAIT, "row was changed since the statement started");
  }
  return orb_err_setx(e, ORB_ERR_CONFLICT, "40001", 0, "could not serialize access due to concurrent update");
}
