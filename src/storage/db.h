/*
** storage/db.h — a database directory: catalog, tables, write-ahead log.
**
** Layout (DESIGN.md): <db>/catalog (table definitions, JSON), <db>/wal/
** (hot-tier log segments and checkpoint snapshots), later <db>/warm/ and
** <db>/warehouse/.  orb_db_open() creates the directory if asked, takes an
** exclusive lock file (one process per database), loads the latest
** checkpoint and replays the log after it, stopping cleanly at a torn tail.
**
** Concurrency (txn/txn.c): a reading statement outside a transaction
** enters the gate for its life (orb_db_gate_enter/leave), registers a
** snapshot (orb_db_snapshot) and holds the latch shared while it computes
** rows (orb_db_latch_read/unlatch_read); writers use a write set (wset.h).
** Pointers to tables returned here stay valid while the caller is inside
** the gate.
**
** DDL goes through a write set like DML, so it is atomic and logged.
*/
#ifndef ORB_STORAGE_DB_H
#define ORB_STORAGE_DB_H

#include "base/arena.h"
#include "base/err.h"
#include "storage/table.h"
#include "txn/txn.h"
#include "types/schema.h"

typedef struct orb_db_options {
  bool create_if_missing;        /* default true */
  bool sync_commit;              /* true: fsync at each commit (group commit); false: every interval */
  int sync_interval_ms;          /* default 200 */
  int64_t checkpoint_wal_bytes;  /* automatic checkpoint threshold; default 64 MiB; 0 = never */
} orb_db_options;

void orb_db_options_init(orb_db_options *o);
orb_status orb_db_open(const char *path, const orb_db_options *o, orb_db **out, orb_err *e);
/* Syncs the log and releases everything (does not checkpoint). */
void orb_db_close(orb_db *db);
const char *orb_db_path(const orb_db *db);

void orb_db_gate_enter(orb_db *db);
void orb_db_gate_leave(orb_db *db);
void orb_db_latch_read(orb_db *db);
void orb_db_unlatch_read(orb_db *db);
/* A snapshot of everything committed now, registered so that the versions
** it sees are kept (call with the latch held). */
orb_snapshot orb_db_snapshot(orb_db *db);
/* Register a copy of a snapshot taken elsewhere (a transaction's) for as
** long as a statement reads from it. */
void orb_db_snapshot_keep(orb_db *db, const orb_snapshot *s);
void orb_db_snapshot_release(orb_db *db, const orb_snapshot *s);
/* Around reading table definitions without running anything (compiling a
** statement): does not wait for other sessions' open transactions, only for
** a DDL statement's brief change of the catalog. */
void orb_db_catalog_read_lock(orb_db *db);
/* A number that changes whenever a table is created, dropped, renamed or
** altered (prepared statements skip re-checking their tables while it holds). */
uint64_t orb_db_catalog_version(orb_db *db);
void orb_db_catalog_read_unlock(orb_db *db);

/* Tables by name (exact, names are folded by the parser) or by index 0..count-1 (name order). */
orb_table *orb_db_table(orb_db *db, const char *name);
int orb_db_table_count(orb_db *db);
orb_table *orb_db_table_at(orb_db *db, int i);

/* DDL, inside a write set.  The schema is copied; field ids in it are kept
** as given (the binder assigns them with orb_schema_add_column). */
orb_status orb_db_create_table(orb_db *db, orb_wset *ws, const char *name, const orb_schema *schema,
                               orb_table **out, orb_err *e);
/* An Iceberg table (kind ORB_TABLE_EXTERNAL or ORB_TABLE_ICEBERG) at
** `location` (a table folder or a metadata file): its rows are the Iceberg
** table's (storage/cold/cold_tier.h); schema's field ids must be the
** Iceberg field ids.  Nothing is read or written at `location` here; DROP
** TABLE never touches the files either. */
orb_status orb_db_create_iceberg_table(orb_db *db, orb_wset *ws, const char *name, const orb_schema *schema,
                                       orb_table_kind kind, const char *location, orb_table **out, orb_err *e);
/* CREATE VIEW: a table of kind ORB_TABLE_VIEW whose columns are schema's
** and whose query text is query (logged and kept in the catalog as an
** Iceberg table's location is). */
orb_status orb_db_create_view(orb_db *db, orb_wset *ws, const char *name, const orb_schema *schema, const char *query,
                              orb_table **out, orb_err *e);
/* CREATE SEQUENCE: a table of kind ORB_TABLE_SEQUENCE with opts's options
** (storage/sequence.h), starting at opts->start. */
struct orb_sequence;
orb_status orb_db_create_sequence(orb_db *db, orb_wset *ws, const char *name, struct orb_sequence *opts, orb_table **out,
                                  orb_err *e);
/* ALTER SEQUENCE: sequence t takes opts's options (orb_seq_copy_options)
** and, when restart, opts->last as its next value; transactional and
** logged (storage/sequence.h).  ORB_ERR_WAIT while another running
** transaction has altered it. */
orb_status orb_db_alter_sequence(orb_db *db, orb_wset *ws, orb_table *t, const struct orb_sequence *opts, bool restart,
                                 orb_err *e);
orb_status orb_db_drop_table(orb_db *db, orb_wset *ws, orb_table *t, orb_err *e);
orb_status orb_db_rename_table(orb_db *db, orb_wset *ws, orb_table *t, const char *new_name, orb_err *e);
/* Replace a table's schema.  Columns are matched by field id: columns whose
** id is new get fill[i] (i = position in new_schema; NULL array or NULL
** value = SQL NULL) in every existing row; columns whose id disappeared are
** dropped from every row; renames and NOT NULL/DEFAULT changes only touch
** the catalog.  The primary key may not change. */
orb_status orb_db_alter_table(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *new_schema,
                              const orb_value *fill, orb_err *e);

/* ALTER COLUMN ... TYPE of a hot table: as orb_db_alter_table, but the new
** columns of new_schema get each row's value from `row` (new_row holds the
** row in new_schema's order, the kept columns filled in; row fills the new
** ones, allocating from `a`, which is reset between rows).  replaces[i] is
** the field id of the old column new column i takes the place of (0 for the
** others), so that a primary key column may change type: the key is then
** checked again (no NULL, no duplicate).  The new values are logged, so
** replay gives every row the value the statement computed. */
typedef struct orb_alter_conv {
  orb_status (*row)(void *ctx, const orb_value *old_row, orb_value *new_row, orb_arena *a, orb_err *e);
  void *ctx;
  const int32_t *replaces;
} orb_alter_conv;
orb_status orb_db_alter_table_conv(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *new_schema,
                                   const orb_alter_conv *conv, orb_err *e);

/* ALTER TABLE of one of the database's own Iceberg tables (kind
** ORB_TABLE_ICEBERG): change c (storage/cold/cold_tier.h) is committed to
** the table's Iceberg metadata first, then the catalog takes the columns
** that result, logged as any ALTER in ws (partition changes leave the
** columns as they are).  cold_tier.h says what happens when the process
** dies in between, and why ws must not belong to a transaction block. */
struct cold_alter;
orb_status orb_db_alter_iceberg(orb_db *db, orb_wset *ws, orb_table *t, const struct cold_alter *c, orb_err *e);

/* Write a snapshot of every table's newest committed state and truncate the
** log (takes the latch; transactions still running are not in it). */
orb_status orb_db_checkpoint(orb_db *db, orb_err *e);

/* Diagnostics: log records replayed by the last open, bytes of torn log
** tail it cut off, and fdatasync calls made on the log since open (group
** commit makes this smaller than the number of synchronous commits). */
int64_t orb_db_replayed_records(const orb_db *db);
int64_t orb_db_torn_bytes(const orb_db *db);
uint64_t orb_db_wal_syncs(orb_db *db);

#endif
