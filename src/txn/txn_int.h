/*
** txn/txn_int.h — what txn/ and storage/ share and nobody else sees: the
** write set's fields, its undo entries and actions, and the calls the
** storage layer makes into the transaction machinery (begin/end in the
** running list, snapshots, the latch and the gate, pruning after commit).
**
** These were part of storage/storage_int.h; they moved with the module
** unchanged.  The orb_db fields they work on (latch, gate, txmu, the
** running list, registered snapshots, commit sequence) are still declared
** in storage/storage_int.h's struct orb_db.
*/
#ifndef ORB_TXN_TXN_INT_H
#define ORB_TXN_TXN_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "txn/txn.h"

/* --- write sets --------------------------------------------------------- */

typedef enum wset_undo_kind {
  U_INSERT,      /* hot tier `obj`, rowid, new version in `old2`: remove the row */
  U_DELETE,      /* hot tier `obj`, rowid, the version deleted in `old`: clear its xmax */
  U_UPDATE,      /* hot tier `obj`, rowid, replaced version in `old`, new one in `old2`: drop the new */
  U_LOCK,        /* hot tier `obj`, rowid, locked version in `old`, its copy in `old2` (FOR UPDATE):
                 ** abort drops the copy; commit gives it the locked version's place in time */
  U_SHARE,       /* hot tier `obj`, rowid, the shared lock's entry in `old` (FOR SHARE): commit
                 ** and abort drop it (hot_share.c) */
  U_CREATE,      /* table `obj`: remove and free it */
  U_DROP,        /* table `obj`: add it back (commit frees it) */
  U_RENAME,      /* table `obj`, old name in `old` (commit frees it) */
  U_ALTER,       /* table `obj`, old schema (heap orb_schema) in `old`, old hot tier in `old2` */
  U_SEQ_ALTER,   /* sequence table `obj`, its options and state before (heap orb_sequence) in `old` */
  U_ACTION,      /* a wset_action (heap) in `obj`: abort it */
  U_COLD_STAGE   /* a cold_stage in `obj` (owned by an earlier U_ACTION): cut it back to
                 ** rowid staged rows and (uintptr_t)old staged deletes; a staged ALTER
                 ** TABLE's undo in `old2` (cold_stage_unalter), else NULL */
} wset_undo_kind;

typedef struct wset_undo {
  uint8_t kind;
  void *obj;
  uint64_t rowid;
  void *old;
  void *old2;
} wset_undo;

struct orb_wset {
  orb_db *db;
  bool replay;           /* recovery: no undo (commit actions run at once), no redo */
  int sync;              /* -1: database default, 0: do not wait for the log, 1: wait */
  wset_undo *undo;
  size_t nundo, cap_undo;
  orb_buf redo;
  int64_t changes;
  /* the transaction (txn.c) */
  uint64_t xid;          /* ORB_XID_BIT | number: marks its versions until commit */
  orb_snapshot snap;     /* what it reads; registered while has_snap */
  bool has_snap;
  orb_cold_pins pins;    /* Iceberg snapshots it read (snap.pins points here) */
  bool read_committed;   /* a new snapshot per statement (else REPEATABLE READ) */
  bool block;            /* a transaction block (BEGIN ... COMMIT): Iceberg writes are staged (cold_stage.h) */
  bool latched;          /* holds the latch exclusively (inside a writing statement) */
  int gate;              /* 0 none, 1 shared, 2 exclusive (DDL) */
  uint64_t blocker;      /* after ORB_ERR_WAIT: the xid to wait for (0: just run again) */
  const void *blocker_tier;  /* ... and the row it holds (tier, rowid; NULL: no row) */
  uint64_t blocker_rowid;
  bool wait_pending;     /* the statement ended with ORB_ERR_WAIT: orb_wset_wait comes next */
  uint64_t wait_for;     /* the xid it is waiting for now (under txmu; deadlock detection) */
  /* Its place in a row's queue (txn.c, "Row queues"; under txmu): none,
  ** waiting behind the row's first waiter, or first (until the statement
  ** that waited ends). */
  enum { ROWQ_NONE, ROWQ_BEHIND, ROWQ_FIRST } rowq;
  const void *rowq_tier;
  uint64_t rowq_rowid;
  uint64_t rowq_ticket;  /* order of arrival in the queue */
  uint64_t rowq_holder;  /* first in line: the transaction it waits for (a predecessor may hand it over) */
  uint64_t rowq_holder_gb;   /* ... and that one's rows_given_back when the wait began */
  uint64_t rows_given_back;  /* ROLLBACK TO SAVEPOINTs that undid row changes (under txmu): a
                             ** waiter for one of those rows need not wait for the whole transaction */
  pthread_cond_t wake;   /* signalled when what it waits for may have happened (under txmu) */
  /* It met a commit its snapshot did not show (it waited for the writer,
  ** or READ COMMITTED found a newer version): from then on its snapshots
  ** show every commit, durable or not (visible.c), and its own commit
  ** waits until the log holds everything up to seen_lsn. */
  bool see_latest;
  uint64_t seen_lsn;
};

/* --- transactions (txn.c) ----------------------------------------------- */

/* Leave the gate (shared or exclusive). */
void db_gate_leave(orb_db *db, bool exclusive);
/* Take the latch exclusively (announcing a wait, base/blocking.h). */
void db_latch_exclusive(orb_db *db);
/* Register / drop a snapshot (txmu); take one of the current state (the
** caller holds the latch, shared or exclusive): the durable commits
** (visible.c), or with `latest` every commit, durable or not. */
orb_snapshot db_snap_take(orb_db *db, uint64_t self, bool latest);
void db_snap_release(orb_db *db, uint64_t seq);
/* Begin/end a write set's life in the running list, under one lock each:
** begin takes an xid and a previous write set's buffers; end drops its
** snapshot, keeps its buffers for the next one and wakes its waiters. */
void db_txn_register(orb_db *db, orb_wset *ws);
void db_txn_unregister(orb_db *db, orb_wset *ws);
/* ws rolled back to a savepoint and gave back rows it had changed or
** locked since: the transactions waiting for it look at their rows again. */
void db_txn_rows_given_back(orb_db *db, orb_wset *ws);
/* After a commit stamped its versions (latch held exclusively): queue the
** rows it touched for pruning and prune what older snapshots allow. */
void db_gc_after_commit(orb_db *db, orb_wset *ws);
/* Prune every queued row as far as the snapshots allow (latch held). */
void db_gc_run(orb_db *db);
/* The same after more commits became visible, if the latch is free at once
** (the versions a commit replaced can go only then: until that moment new
** snapshots are still taken below it; a busy latch leaves it to the next
** commit). */
void db_gc_try(orb_db *db);
/* Number of transactions running and snapshots registered. */
bool db_quiet(orb_db *db);

/* --- what readers see (visible.c) ----------------------------------------- */

/* A commit numbered cseq was stamped (latch held); sync_lsn is its log
** record when the committer will wait for it to be on disk, else 0.
** Returns the LSN the committer must wait for (then call
** db_visible_advance) before its commit is visible; 0 if it is already. */
uint64_t db_visible_commit(orb_db *db, uint64_t cseq, uint64_t sync_lsn);
/* After a wait for the log: show the commits whose syncs are done (all of
** them with `everything`, when the log failed and will never sync them).
** Whether more commits are visible now. */
bool db_visible_advance(orb_db *db, bool everything);
/* The last commit number readers see. */
uint64_t db_visible_seq(orb_db *db);

/* A write set used by recovery: changes apply directly. */
void wset_init_replay(orb_wset *ws, orb_db *db);
void wset_push(orb_wset *ws, wset_undo_kind kind, void *obj, uint64_t rowid, void *old, void *old2);
static inline bool wset_logging(const orb_wset *ws) { return !ws->replay; }

/* Work outside the log that a transaction finishes or undoes with it (an
** Iceberg append writes data files as rows come and publishes a snapshot
** only when the transaction commits).  orb_wset_commit runs every action's
** commit, in the order they were added, before the transaction's log record
** is written and without the latch held (they do I/O); the first failure
** aborts the others and the transaction.  An abort, or the rollback of the
** statement or savepoint that added the action, runs its abort.  `key`
** finds an action again (one append per table and transaction).  The
** action owns ctx: commit or abort is called exactly once, then `done`. */
typedef struct wset_action {
  const void *key;
  orb_status (*prepare)(void *ctx, orb_err *e);   /* may be NULL: run for every action before any commit */
  orb_status (*commit)(void *ctx, orb_err *e);
  void (*abort)(void *ctx);
  void (*done)(void *ctx);       /* may be NULL: frees ctx */
  void *ctx;
  bool finished;
} wset_action;
void wset_action_add(orb_wset *ws, const void *key, orb_status (*commit)(void *, orb_err *), void (*abort)(void *),
                     void (*done)(void *), void *ctx);
/* The same with a prepare step: orb_wset_commit runs every action's
** prepare first (a failure aborts the transaction before any commit). */
void wset_action_add_prepared(orb_wset *ws, const void *key, orb_status (*prepare)(void *, orb_err *),
                              orb_status (*commit)(void *, orb_err *), void (*abort)(void *), void (*done)(void *),
                              void *ctx);
/* The ctx of the live action added with key, NULL if none. */
void *wset_action_find(const orb_wset *ws, const void *key);

/* Savepoint inside a write set: one table call either completes or leaves nothing. */
typedef struct wset_mark {
  size_t nundo;
  size_t redo_len;
  int64_t changes;
} wset_mark;
wset_mark wset_mark_get(const orb_wset *ws);
void wset_rollback_to(orb_wset *ws, wset_mark m);

/* --- write-write conflicts (txn.c; applied by the hot tier's row chains) --- */

/* ws must wait for transaction xid, which wrote the row at rowid of the
** tier `tier` (NULL when no row identifies the wait): note both in ws and
** return ORB_ERR_WAIT.  The row puts ws in line behind earlier waiters
** for the same row (txn.c, "Row queues"). */
orb_status wset_wait_for(orb_wset *ws, uint64_t xid, const void *tier, uint64_t rowid, orb_err *e);
/* ws meets a row committed after its snapshot: READ COMMITTED runs the
** statement again (ORB_ERR_WAIT, nothing to wait for), REPEATABLE READ fails
** with 40001 (first committer wins). */
orb_status wset_conflict(orb_wset *ws, orb_err *e);

#endif
