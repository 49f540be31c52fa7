/*
** txn/wset.h — write sets: transactions, the unit of atomicity,
** isolation and durability.
**
** Every change to the database (DML and DDL alike) happens inside a write
** set.  Each change made through the table/catalog functions records (1)
** undo information, so that orb_wset_abort() puts memory back exactly as it
** was, and (2) a redo record, so that orb_wset_commit() can append one WAL
** record holding the whole transaction and make it durable (fsync, or group
** commit with concurrent committers, or the background interval when
** synchronous_commit is off).  A transaction that fails is aborted: nothing
** it did stays visible or reaches the log.
**
** Isolation (snapshot.h): a write set reads one snapshot (REPEATABLE READ)
** or a new one per statement (READ COMMITTED); its own changes are visible
** to it and to nobody else until the commit.  Many write sets run at once;
** each statement of one holds the database latch exclusively while it runs
** (orb_wset_enter/leave), so statements are atomic with respect to each other.
** A write that meets another running transaction's change to the same row
** fails with ORB_ERR_WAIT: the caller rolls the statement back to its
** savepoint, leaves, calls orb_wset_wait() and runs the statement again.
**
**   orb_wset *ws = orb_wset_begin(db);   // one statement: begun and entered
**   if (orb_table_insert(t, ws, rows, n, &e) != ORB_OK) { orb_wset_abort(ws); return e.code; }
**   return orb_wset_commit(ws, &e);      // frees ws in all cases
*/
#ifndef ORB_TXN_WSET_H
#define ORB_TXN_WSET_H

#include "base/err.h"
#include "txn/snapshot.h"
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct orb_db orb_db;
typedef struct orb_wset orb_wset;

/* What may end a wait early: a cancel flag and a deadline (CLOCK_MONOTONIC
** nanoseconds, 0 = none), both 57014; and lock_timeout_ms (0 = none), the
** longest one wait for another transaction may last, 55P03 after it. */
typedef struct orb_wait_stop {
  const _Atomic(bool) *flag;
  int64_t deadline_ns;
  int64_t lock_timeout_ms;
} orb_wait_stop;

/* Begin a transaction (REPEATABLE READ unless read_committed); it holds no
** latch until a statement enters. */
orb_wset *orb_txn_begin(orb_db *db, bool read_committed);
/* A statement of ws starts: takes the latch exclusively and the statement's
** snapshot.  ddl: first wait until no other transaction or read is open,
** and keep them out until ws ends (40P01 if one of them waits for ws). */
orb_status orb_wset_enter(orb_wset *ws, bool ddl, const orb_wait_stop *stop, orb_err *e);
/* The statement is over (or must wait): release the latch. */
void orb_wset_leave(orb_wset *ws);
/* A reading statement of ws: takes the latch shared (release it with
** orb_db_unlatch_read) and returns the snapshot to read. */
const orb_snapshot *orb_wset_read_enter(orb_wset *ws);
/* After ORB_ERR_WAIT, outside the latch: wait until the transaction in the
** way ends.  40P01 if waiting would close a cycle, 57014 if stopped. */
orb_status orb_wset_wait(orb_wset *ws, const orb_wait_stop *stop, orb_err *e);
/* After ORB_ERR_WAIT: whether a running transaction is in the way (rather
** than a change committed since the statement's READ COMMITTED snapshot,
** which only asks for a rerun); and forget that wait (NOWAIT and SKIP
** LOCKED do not wait). */
bool orb_wset_blocked(const orb_wset *ws);
void orb_wset_unblock(orb_wset *ws);

/* The snapshot ws's current statement reads; whether a statement has run
** (the isolation level can change only before); change it. */
const orb_snapshot *orb_wset_snapshot(const orb_wset *ws);
bool orb_wset_started(const orb_wset *ws);
void orb_wset_set_read_committed(orb_wset *ws, bool read_committed);

/* ws is a transaction block (BEGIN ... COMMIT) rather than one statement:
** its writes to owned Iceberg tables are staged in memory and committed as
** one Iceberg snapshot per table by orb_wset_commit (cold_stage.h), so that
** ROLLBACK and ROLLBACK TO SAVEPOINT can take them back. */
void orb_wset_set_block(orb_wset *ws);
bool orb_wset_is_block(const orb_wset *ws);
/* orb_txn_begin + orb_wset_enter: a write set for one statement. */
orb_wset *orb_wset_begin(orb_db *db);
/* The same for DDL (the gate exclusively). */
orb_status orb_wset_begin_ddl(orb_db *db, orb_wset **out, const orb_wait_stop *stop, orb_err *e);
/* Make the changes durable and visible, end the transaction.  Frees ws.  On
** an I/O failure of the log the changes are rolled back and an error returned. */
orb_status orb_wset_commit(orb_wset *ws, orb_err *e);
/* Undo every change, end the transaction.  Frees ws. */
void orb_wset_abort(orb_wset *ws);
/* Number of row changes recorded so far. */
int64_t orb_wset_changes(const orb_wset *ws);
/* Override the database's synchronous_commit for this write set (a
** session's SET synchronous_commit): 1 = commit waits for the log to be on
** disk, 0 = it does not (the background flush writes it within
** sync_interval_ms), -1 = the database default. */
void orb_wset_set_sync(orb_wset *ws, int sync);

/* Savepoints: the write set's state at a moment (SAVEPOINT, and the start of
** each statement inside a transaction); rolling back to one undoes every
** change made after it and keeps the earlier ones. */
typedef struct orb_wset_savepoint {
  size_t nundo, redo_len;
  int64_t changes;
} orb_wset_savepoint;
orb_wset_savepoint orb_wset_save(const orb_wset *ws);
void orb_wset_rollback_to_savepoint(orb_wset *ws, orb_wset_savepoint sp);

#endif
