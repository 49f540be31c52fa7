/*
** storage/wset.h — write sets: the unit of atomicity and durability.
**
** Every statement that changes the database (DML and DDL alike) runs inside
** a write set.  orb_wset_begin() takes the database's write lock; each
** change made through the table/catalog functions records (1) undo
** information, so that orb_wset_abort() puts memory back exactly as it was,
** and (2) a redo record, so that orb_wset_commit() can append one WAL record
** holding the whole change and make it durable (fsync, or group commit with
** concurrent committers, or the background interval when
** synchronous_commit is off).  A statement that fails is aborted: nothing it
** did stays visible or reaches the log.
**
**   orb_wset *ws = orb_wset_begin(db);
**   if (orb_table_insert(t, ws, rows, n, &e) != ORB_OK) { orb_wset_abort(ws); return e.code; }
**   return orb_wset_commit(ws, &e);      // frees ws in all cases
*/
#ifndef ORB_STORAGE_WSET_H
#define ORB_STORAGE_WSET_H

#include "base/err.h"
#include <stdint.h>

typedef struct orb_db orb_db;
typedef struct orb_wset orb_wset;

/* Start a write set; blocks until the database write lock is free. */
orb_wset *orb_wset_begin(orb_db *db);
/* Make the changes durable and release the lock.  Frees ws.  On an I/O
** failure of the log the changes are rolled back and an error returned. */
orb_status orb_wset_commit(orb_wset *ws, orb_err *e);
/* Undo every change and release the lock.  Frees ws. */
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
