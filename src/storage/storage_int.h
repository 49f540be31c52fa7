/*
** storage/storage_int.h — what the files of storage/ share and nobody else sees.
**
** The database object (orb_db), the write set's undo log and redo buffer,
** and the entry points recovery and checkpointing use to rebuild state.
** The layer's public contracts are db.h, table.h and tier.h (and txn/txn.h
** for transactions).
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
#include "txn/txn_int.h"
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
  /* What readers see (txn/visible.c): commits numbered <= visible_cseq.
  ** A synchronous commit becomes visible only once its log record is on
  ** disk, so no reader sees data a crash could still take back. */
  _Atomic uint64_t visible_cseq;
  pthread_mutex_t vis_mu;         /* the fields below */
  struct vis_pending { uint64_t cseq, lsn; } *vis_pending;   /* synchronous commits awaiting their sync, in order */
  size_t vis_first, vis_n, vis_cap;   /* entries [vis_first, vis_n) */
  uint64_t vis_last;              /* the last commit's number */
  pthread_mutex_t txmu;           /* the fields below */
  uint64_t next_xid;
  uint64_t next_row_ticket;       /* places in row queues (txn.c), first come first served */
  struct orb_wset **running;      /* write sets begun and not ended */
  int nrunning;
  size_t cap_running;
  uint64_t *snaps;                /* sequence numbers of registered snapshots (a multiset) */
  int nsnaps;
  size_t cap_snaps;
  /* rows whose old versions wait for older snapshots to go (under the latch) */
  struct gc_item { uint32_t table_id; uint64_t rowid; uint64_t seq; } *gc;
  size_t gc_first, ngc, cap_gc;   /* items [gc_first, ngc), in order of seq (txn.c, pruning) */
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
                              const orb_alter_conv *conv, orb_err *e);

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

/* --- write sets: struct orb_wset, undo entries, db_* transaction calls: txn/txn_int.h --- */

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
  REDO_ICEBERG_DONE = 10,   /* a whole record: u64 token of the intent it decides, u8 applied */
  REDO_SEQUENCE = 11,       /* varint table id, u64 last value, u8 flags: called, bound (storage/sequence.c) */
  REDO_SEQ_ALTER = 12,      /* varint table id, bytes options JSON (orb_seq_json), u8 restart (its last/called apply) */
  /* ALTER COLUMN ... TYPE: varint table id, bytes schema JSON, varint ncols
  ** and per column the field id it replaces (0: none), varint nrows, then per
  ** row its varint slot and the new columns' values (orb_db_alter_table_conv) */
  REDO_ALTER_CONV = 13
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

#endif
