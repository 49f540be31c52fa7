/*
** storage/storage_int.h — what the files of storage/ share and nobody else sees.
**
** The database object (orb_db), the write set's undo log and redo buffer,
** and the entry points recovery and checkpointing use to rebuild state.
** The layer's public contracts are db.h, wset.h, table.h and tier.h.
**
** Undo entries name the hot tier they changed (not the table): ALTER TABLE
** swaps a table's tier for a rewritten one, and undoing in reverse order
** then finds each entry's tier exactly as it was when the change was made.
*/
#ifndef ORB_STORAGE_STORAGE_INT_H
#define ORB_STORAGE_STORAGE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/buf.h"
#include "storage/db.h"
#include "storage/hot/hot.h"
#include "storage/snapshot.h"
#include "storage/wal/wal.h"

/* --- the database ------------------------------------------------------- */

struct orb_db {
  char *path;
  char *wal_dir;
  orb_db_options opt;
  int lock_fd;

  /* Concurrency (txn.c).  The latch guards every in-memory structure: a
  ** reading statement holds it shared while it computes rows, a writing
  ** statement, a commit or an abort exclusively, and nobody holds it
  ** between statements or while waiting.  The gate is held shared by every
  ** transaction and open reading statement for its whole life and taken
  ** exclusively by DDL, which replaces or frees tables. */
  pthread_rwlock_t latch;
  /* the gate: not a pthread rwlock, because a transaction may begin on one
  ** thread and end on another (orbitd's workers) */
  pthread_mutex_t gate_mu;
  pthread_cond_t gate_cv;
  int gate_readers;               /* transactions and reads inside */
  bool gate_writer;               /* DDL inside */
  int gate_writers_waiting;       /* DDL waiting: new readers wait behind it */
  pthread_rwlock_t cat;           /* the table list and schemas: binders read, DDL swaps briefly */
  _Atomic uint64_t catalog_version; /* counts changes of table definitions */
  uint64_t cseq;                  /* commit sequence number of the last commit (under the latch) */
  pthread_mutex_t txmu;           /* the fields below */
  pthread_cond_t txdone;          /* broadcast when a transaction ends */
  uint64_t next_xid;
  struct orb_wset **running;      /* write sets begun and not ended */
  int nrunning;
  size_t cap_running;
  uint64_t *snaps;                /* sequence numbers of registered snapshots (a multiset) */
  int nsnaps;
  size_t cap_snaps;
  /* rows whose old versions wait for older snapshots to go (under the latch) */
  struct gc_item { uint32_t table_id; uint64_t rowid; } *gc;
  size_t ngc, cap_gc;
  uint64_t gc_horizon;            /* horizon of the last pass over gc */

  orb_table **tables;             /* sorted by name */
  int ntables, cap_tables;
  uint32_t next_table_id;

  uint64_t last_lsn;              /* LSN of the last committed write set (under the latch) */
  /* buffers of a previous write set, kept for the next one (under txmu): a
  ** statement then logs without growing buffers from scratch */
  orb_buf spare_redo;
  struct wset_undo *spare_undo;
  size_t spare_undo_cap;
  orb_wal *wal;
  pthread_mutex_t ckpt_mu;        /* one checkpoint at a time */
  struct db_intent *intents;      /* logged intents not yet done (intent.c; under the latch) */

  /* recovery report */
  int64_t replayed_records;
  int64_t torn_bytes;
  uint64_t checkpoint_lsn;         /* LSN of the newest snapshot on disk */
  bool have_snapshot;
};

/* The catalog lock, written around every change of the table list or a
** table's schema (DDL, and its undo): statements can then be compiled while
** another session runs DDL in a transaction. */
void db_catalog_lock(orb_db *db);
void db_catalog_unlock(orb_db *db);

/* Tables in the name-sorted array (caller holds the latch exclusively). */
void db_table_add(orb_db *db, orb_table *t);
void db_table_remove(orb_db *db, orb_table *t);
orb_table *db_table_by_id(orb_db *db, uint32_t id);
orb_table *db_table_new(uint32_t id, const char *name, const orb_schema *schema, orb_table_kind kind,
                        const char *location);
void db_table_free(orb_table *t);

/* DDL bodies shared by the public functions and log replay. */
orb_status db_create_table_id(orb_db *db, orb_wset *ws, uint32_t id, const char *name, const orb_schema *schema,
                              orb_table_kind kind, const char *location, orb_table **out, orb_err *e);
orb_status db_alter_table_int(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *ns, const orb_value *fill,
                              orb_err *e);

/* After recovery: every owned Iceberg table's catalog columns made to agree
** with its Iceberg metadata (cold_schema_reconcile), in memory; the next
** checkpoint writes them.  Not logged: it is derived from files that are
** durable already, and doing it again at the next open gives the same. */
void db_reconcile_iceberg(orb_db *db);

/* Recovery (recovery.c) and checkpoint (checkpoint.c). */
orb_status db_recover(orb_db *db, orb_err *e);
orb_status db_apply_record(orb_db *db, const uint8_t *ops, size_t len, orb_err *e);
orb_status db_load_snapshot(orb_db *db, const char *path, uint64_t *lsn, orb_err *e);
orb_status db_checkpoint_locked(orb_db *db, orb_err *e);
/* Checkpoint if the log has grown past the configured size (after a commit). */
orb_status orb_db_checkpoint_if_needed(orb_db *db, orb_err *e);
void snapshot_name(char *out, size_t cap, const char *dir, uint64_t lsn);
bool snapshot_parse_name(const char *name, uint64_t *lsn);

/* --- write sets --------------------------------------------------------- */

typedef enum wset_undo_kind {
  U_INSERT,      /* hot tier `obj`, rowid, new version in `old2`: remove the row */
  U_DELETE,      /* hot tier `obj`, rowid, the version deleted in `old`: clear its xmax */
  U_UPDATE,      /* hot tier `obj`, rowid, replaced version in `old`, new one in `old2`: drop the new */
  U_CREATE,      /* table `obj`: remove and free it */
  U_DROP,        /* table `obj`: add it back (commit frees it) */
  U_RENAME,      /* table `obj`, old name in `old` (commit frees it) */
  U_ALTER,       /* table `obj`, old schema (heap orb_schema) in `old`, old hot tier in `old2` */
  U_ACTION,      /* a wset_action (heap) in `obj`: abort it */
  U_COLD_STAGE   /* a cold_stage in `obj` (owned by an earlier U_ACTION): cut it back to
                 ** rowid staged rows and (uintptr_t)old staged deletes */
} wset_undo_kind;

typedef struct wset_undo {
  uint8_t kind;
  void *obj;
  uint64_t rowid;
  void *old;
  void *old2;
} wset_undo;

/* Redo operation codes inside a log record (after the LSN). */
enum {
  REDO_INSERT = 1,   /* varint table id, varint rowid, row */
  REDO_UPDATE = 2,   /* varint table id, varint rowid, row */
  REDO_DELETE = 3,   /* varint table id, varint rowid */
  REDO_CREATE = 4,   /* varint table id, bytes name, bytes schema JSON */
  REDO_DROP = 5,     /* varint table id */
  REDO_RENAME = 6,   /* varint table id, bytes new name */
  REDO_ALTER = 7,    /* varint table id, bytes schema JSON, row of fill values of the new columns */
  REDO_CREATE_ICEBERG = 8,  /* varint table id, bytes name, bytes schema JSON, u8 kind, bytes location */
  /* a whole record (intent.c): u64 token, varint n, n x (varint table id,
  ** svarint Iceberg snapshot id), then the transaction's operations */
  REDO_ICEBERG_INTENT = 9,
  REDO_ICEBERG_DONE = 10    /* a whole record: u64 token of the intent it decides, u8 applied */
};

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
  uint64_t wait_for;     /* the xid it is waiting for now (under txmu; deadlock detection) */
};

/* --- Iceberg intents (intent.c) ------------------------------------------ */

/* A transaction that both changes hot tables and publishes Iceberg
** snapshots (a transaction block's stages, storage/cold/cold_stage.h)
** logs its hot changes before the Iceberg commits, in an intent record
** naming the snapshots to come, and completes it with a DONE record after
** them (intent.c says why and how recovery decides).  A logged intent is
** kept in db->intents until its DONE record, so that a checkpoint in
** between can log it again after the snapshot it writes. */
typedef struct db_intent {
  uint64_t token;
  int n;                          /* Iceberg snapshots it names */
  uint32_t *table_ids;
  int64_t *snapshot_ids;
  orb_buf rec;                    /* the whole record */
  size_t ops_at;                  /* where the transaction's operations start in rec */
  struct db_intent *next;
} db_intent;
/* Before the Iceberg commits of ws: log and fsync the intent (NULL when ws
** publishes no snapshot: nothing to do). */
orb_status db_intent_log(orb_wset *ws, db_intent **out, orb_err *e);
/* After them: the DONE record's operations (appended by the caller under
** the latch), and forgetting the intent (under the latch). */
void db_intent_done_record(const db_intent *in, bool applied, orb_buf *out);
void db_intent_forget(orb_db *db, db_intent *in);
/* The Iceberg commits failed: log that the intent is void, forget it. */
void db_intent_abandon(orb_db *db, db_intent *in);
/* A checkpoint: log every intent not yet done again after the snapshot. */
orb_status db_intent_relog(orb_db *db, orb_err *e);
/* Recovery: a record that is an intent or a DONE (*handled), kept or
** applied; after the log is replayed and reopened, decide the intents
** without DONE by their Iceberg tables. */
orb_status db_intent_replay(orb_db *db, const uint8_t *ops, size_t len, bool *handled, orb_err *e);
orb_status db_intent_resolve(orb_db *db, orb_err *e);
void db_intents_free(orb_db *db);
/* Fault injection for tests: called at points of a commit ("intent-logged",
** "iceberg-committed") when set; NULL in normal runs. */
extern void (*db_test_crash_point)(const char *point);

/* --- transactions (txn.c) ----------------------------------------------- */

/* Leave the gate (shared or exclusive). */
void db_gate_leave(orb_db *db, bool exclusive);
/* Take the latch exclusively (announcing a wait, base/blocking.h). */
void db_latch_exclusive(orb_db *db);
/* Register / drop a snapshot (txmu); take one of the current state (the
** caller holds the latch, shared or exclusive). */
orb_snapshot db_snap_take(orb_db *db, uint64_t self);
void db_snap_release(orb_db *db, uint64_t seq);
/* Begin/end a write set's life in the running list, under one lock each:
** begin takes an xid and a previous write set's buffers; end drops its
** snapshot, keeps its buffers for the next one and wakes its waiters. */
void db_txn_register(orb_db *db, orb_wset *ws);
void db_txn_unregister(orb_db *db, orb_wset *ws);
/* After a commit stamped its versions (latch held exclusively): queue the
** rows it touched for pruning and prune what older snapshots allow. */
void db_gc_after_commit(orb_db *db, orb_wset *ws);
/* Prune every queued row as far as the snapshots allow (latch held). */
void db_gc_run(orb_db *db);
/* Number of transactions running and snapshots registered. */
bool db_quiet(orb_db *db);

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
  orb_status (*commit)(void *ctx, orb_err *e);
  void (*abort)(void *ctx);
  void (*done)(void *ctx);       /* may be NULL: frees ctx */
  void *ctx;
  bool finished;
} wset_action;
void wset_action_add(orb_wset *ws, const void *key, orb_status (*commit)(void *, orb_err *), void (*abort)(void *),
                     void (*done)(void *), void *ctx);
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

#endif
