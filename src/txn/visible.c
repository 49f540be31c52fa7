/* txn/visible.c — which commits readers see: only those that are durable.
**
** A synchronous commit stamps its versions and lets go of its rows before
** its log record is on disk (txn/wset.c), so that the next writer of a hot
** row need not wait for the sync, and the sync is shared by every
** committer that arrives meanwhile (group commit).  Readers must not see
** such a commit yet: a crash before the sync would take back what they
** read, while PostgreSQL (synchronous_commit = on) shows a commit only
** after its flush.  So snapshots are taken at visible_cseq, the last commit
** number below which every synchronous commit is on disk, and this file
** moves it forward.
**
** Commit numbers and log records are given out together under the latch,
** so "every synchronous commit up to N is durable" is a prefix: the pending
** list holds the synchronous commits not yet known durable, in order, and
** visible_cseq is one below the first of them (or the last commit when the
** list is empty).  Asynchronous commits and commits that log nothing need
** no sync, but they become visible in order too, once the synchronous
** commits before them are durable; their committer waits for that (a short
** wait, the sync is under way) so that its own next statement sees them.
**
** Writers are different: the version a writer replaces is always the
** newest committed one, durable or not (txn.c, "see latest"), and its own
** commit comes later in the log, so it can never outlive what it
** overwrote.  A transaction that read such a commit waits at its own
** commit until that commit is durable.
*/
#include "storage/storage_int.h"
#include "base/mem.h"

uint64_t db_visible_commit(orb_db *db, uint64_t cseq, uint64_t sync_lsn) {
  uint64_t wait_lsn = 0;
  pthread_mutex_lock(&db->vis_mu);
  db->vis_last = cseq;
  if (sync_lsn) {
    db->vis_pending = orb_grow(db->vis_pending, &db->vis_cap, db->vis_n + 1, sizeof *db->vis_pending);
    db->vis_pending[db->vis_n].cseq = cseq;
    db->vis_pending[db->vis_n].lsn = sync_lsn;
    db->vis_n++;
    wait_lsn = sync_lsn;
  } else if (db->vis_first == db->vis_n) {
    atomic_store(&db->visible_cseq, cseq);
  } else {
    wait_lsn = db->vis_pending[db->vis_n - 1].lsn;   /* the latest synchronous commit before it */
  }
  pthread_mutex_unlock(&db->vis_mu);
  return wait_lsn;
}

bool db_visible_advance(orb_db *db, bool everything) {
  uint64_t flushed = wal_flushed_lsn(db->wal);
  pthread_mutex_lock(&db->vis_mu);
  while (db->vis_first < db->vis_n && (everything || db->vis_pending[db->vis_first].lsn <= flushed)) db->vis_first++;
  uint64_t v = db->vis_last;
  if (db->vis_first == db->vis_n) {
    db->vis_first = db->vis_n = 0;
  } else {
    v = db->vis_pending[db->vis_first].cseq - 1;
  }
  bool moved = v > atomic_load(&db->visible_cseq);
  if (moved) atomic_store(&db->visible_cseq, v);
  pthread_mutex_unlock(&db->vis_mu);
  return moved;
}

uint64_t db_visible_seq(orb_db *db) { return atomic_load(&db->visible_cseq); }
