/*
** txn/txn.h — transactions: the module that makes many statements and
** sessions run at once with snapshot isolation.  Include this header to use
** them; it gathers the module's contracts:
**
**   txn/snapshot.h  MVCC visibility: transaction ids (ORB_XID_BIT), commit
**                   sequence numbers, snapshots, which row version a
**                   snapshot sees (orb_snap_visible)
**   txn/wset.h      write sets, the transaction object: begin (REPEATABLE
**                   READ or READ COMMITTED), statements entering and leaving
**                   the engine latch, waiting for another transaction,
**                   savepoints, commit (one WAL record, group commit) and
**                   abort (undo)
**
** and its files:
**
**   txn/txn.c       transaction ids and the running list, snapshots and the
**                   pruning horizon, the latch and the gate (DDL), waiting
**                   and deadlock detection (40P01), and the write-write
**                   conflict rule (first committer wins: 40001 under
**                   REPEATABLE READ, run the statement again under READ
**                   COMMITTED)
**   txn/wset.c      undo and redo of a write set, commit and abort, actions
**                   finished with the transaction (Iceberg appends)
**   txn/txn_int.h   what txn/ and storage/ share (struct orb_wset, undo
**                   entries, the calls storage makes at begin/commit)
**
** How it sits with the storage layer: storage/ keeps the data (row version
** chains in hot/, Iceberg snapshots in cold/) and asks this module who sees
** what (orb_snap_visible), whether a write conflicts (wset_wait_for,
** wset_conflict) and to record undo (wset_push); commit stamps versions by
** calling back into the tiers.  The shared state (latch, gate, running
** list, snapshots) still lives in storage's struct orb_db, so txn/ and
** storage/ are compiled together into one engine library.  docs/transactions.md
** explains the rules from the user's side.
*/
#ifndef ORB_TXN_TXN_H
#define ORB_TXN_TXN_H

#include "txn/snapshot.h"
#include "txn/wset.h"

#endif
