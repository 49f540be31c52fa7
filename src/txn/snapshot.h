/*
** txn/snapshot.h — what a reader may see: snapshots and row versions.
**
** Orbit keeps several versions of a row (multi-version concurrency control,
** as PostgreSQL does) so that readers never wait for writers and every
** transaction reads one consistent state of the database.
**
** Commit sequence numbers.  Every committing write transaction gets the next
** number of a database-wide counter (1, 2, ...) while it holds the engine
** latch; that number is stamped on the versions it made.  Until then its
** versions carry its transaction id, which has ORB_XID_BIT set, so a number
** with that bit is "made by a transaction still running" and one without it
** is "committed with this sequence number".
**
** Versions.  Each version of a row records xmin, who made it, and xmax, who
** replaced or deleted it (0: nobody).  Version 0 as xmin means "older than
** any snapshot" (rows loaded at recovery).
**
** Snapshots.  A snapshot is the last commit sequence number it sees plus the
** id of the transaction that reads (its own changes are visible to it).
** REPEATABLE READ takes one at the transaction's first statement; READ
** COMMITTED one per statement.  Because commits stamp their versions while
** holding the latch exclusively and readers look while holding it shared,
** a snapshot needs no list of transactions in flight: a version stamped
** with a number <= seq was committed before the snapshot, a version still
** carrying an id was not committed when the reader looked.
*/
#ifndef ORB_TXN_SNAPSHOT_H
#define ORB_TXN_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#define ORB_XID_BIT ((uint64_t)1 << 63)

/* Cold tables are Iceberg tables other processes may commit to.  A
** REPEATABLE READ transaction reads each at the Iceberg snapshot that was
** current when its snapshot was taken (began_ms below), found the first
** time it reads that table and kept in the pin list
** (storage/cold/cold_tier.h keeps the list and says how the snapshot is
** found, with the clock's caveats).  A READ COMMITTED statement (and a
** statement outside a transaction) has began_ms 0: it pins the table's
** current snapshot at its first read of it, and its pins are cleared at
** every statement.  A snapshot without pins reads every cold table's
** current Iceberg snapshot. */
typedef struct orb_cold_pin {
  uint32_t table_id;
  int64_t snapshot_id;   /* -1: the table had no snapshot */
  char *meta_path;       /* the metadata file it was read from (heap) */
  bool keep;             /* the transaction staged deletes against it: kept
                         ** under READ COMMITTED too (cold_stage.h) */
} orb_cold_pin;

typedef struct orb_cold_pins {
  orb_cold_pin *v;
  int n, cap;
  struct cold_stage *staged;   /* a transaction block's staged changes to owned
                               ** Iceberg tables, one per table (cold_stage.h);
                               ** owned by the write set's actions */
} orb_cold_pins;

typedef struct orb_snapshot {
  uint64_t seq;    /* commits numbered <= seq are visible */
  uint64_t self;   /* the reading transaction's id (ORB_XID_BIT set), 0 = none */
  orb_cold_pins *pins;   /* the transaction's Iceberg pins; NULL: read current */
  int64_t began_ms;      /* wall clock (ms since the epoch) when a REPEATABLE READ
                         ** snapshot was taken; 0: Iceberg tables are read at
                         ** the snapshot current at their first read */
} orb_snapshot;

static inline bool orb_xid_running(uint64_t x) { return (x & ORB_XID_BIT) != 0; }

/* Was the event stamped x (a version's xmin or xmax) visible to snapshot s?
** s == NULL means "everything committed so far". */
static inline bool orb_snap_sees(const orb_snapshot *s, uint64_t x) {
  if (orb_xid_running(x)) return s && x == s->self;
  return !s || x <= s->seq;
}

/* Is a version with this xmin/xmax visible to s? */
static inline bool orb_snap_visible(const orb_snapshot *s, uint64_t xmin, uint64_t xmax) {
  return orb_snap_sees(s, xmin) && !(xmax && orb_snap_sees(s, xmax));
}

#endif
