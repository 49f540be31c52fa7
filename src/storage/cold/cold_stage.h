/*
** storage/cold/cold_stage.h — a transaction block's changes to one owned
** Iceberg table, held until COMMIT.
**
** Outside a transaction block every INSERT, COPY, DELETE and UPDATE of an
** owned Iceberg table is one Iceberg commit, streamed to Parquet as the
** rows come (cold_write.c).  Inside BEGIN ... COMMIT (orb_wset_is_block)
** the statements' changes are staged here instead, one stage per table and
** transaction, and orb_wset_commit turns each stage into one Iceberg
** snapshot ("append", "delete", or "overwrite" when rows were both added
** and deleted) before it writes the log record of the hot tables' changes.
**
** Why rows are buffered in memory rather than written to uncommitted
** Parquet files at statement time.  The block must read its own changes
** (scans and count(*) see the staged rows; DELETE and UPDATE may change
** rows the block itself inserted), and ROLLBACK TO SAVEPOINT, or a failed
** statement, must take back exactly the rows added after the savepoint.
** With rows in memory each of these is an array operation: a scan appends
** the staged rows to the snapshot's, a staged row is deleted by marking it,
** a savepoint is two counts (rows staged, deletes staged) and rolling back
** cuts both arrays back to them (U_COLD_STAGE undo entries).  Written
** files would need a reader over uncommitted files, position deletes
** against files no snapshot lists yet, and per-savepoint file lists.  And
** nothing reaches the table's folder before COMMIT: ROLLBACK, an error that
** aborts the block, a client that disconnects or a process that dies leave
** no file behind (a crash during the COMMIT itself leaves at worst the
** files of that one commit, which remove_orphan_files deletes).  The price
** is memory: a stage holds at most COLD_STAGE_MAX_BYTES of row values
** (then SQLSTATE 54000, "load it outside a transaction block"); a large
** load belongs outside a block, where rows stream to Parquet with bounded
** memory.  Values are copied into the stage's arena; rows cut off by a
** savepoint rollback keep their arena bytes until the transaction ends.
**
** Deletes.  A row is named by its cold-tier row id (below): a row of a
** data file of the snapshot the block reads, or a staged row.  The first
** delete of snapshot rows fixes the stage's base: that snapshot, whose pin
** the transaction then keeps for the table even under READ COMMITTED
** (orb_cold_pin.keep), so that every later statement of the block sees the
** same files and its deletes name rows of the same plan.  At COMMIT the
** snapshot rows go to ice_rowdelta (position delete files) based on that
** snapshot: a data file another writer removed, or one another writer
** deleted rows of, meanwhile, is SQLSTATE 40001 and nothing of the table is
** published.  Deleted staged rows are simply not written.
**
** ALTER TABLE.  A schema or partition-spec change of the table inside the
** block (cold_stage_alter) is staged too, as the cold_alter itself: the
** catalog takes the new columns at once (an ALTER TABLE in the write set,
** undone by ROLLBACK like any), the staged rows are converted to them
** (new columns NULL, dropped ones gone, promoted ones cast), and nothing
** reaches the Iceberg metadata before COMMIT.  COMMIT then applies the
** staged changes in order to the table's current metadata and publishes
** them in the same new metadata file as the block's snapshot, whose data
** files are written with the schema and default spec they give
** (ice_append_begin_edited); with no rows or deletes staged they are one
** metadata-only commit.  A change that no longer applies to the metadata
** another writer committed meanwhile (a column added under the same name,
** a dropped column) fails the COMMIT with its error, and one that applies
** but gives other field ids or another spec than the files were written
** with is SQLSTATE 40001; nothing of the table is published either way.
** A savepoint keeps the number of changes staged, and rolling back to it
** also puts back the staged rows as they were before the conversion.
**
** Several tables.  orb_wset_commit prepares every stage first (data and
** delete files written, deletes checked against the current metadata:
** a conflict then fails the transaction before anything is published),
** then commits them (each its own
** Iceberg commit, in the order the tables were first written) and then the
** log record of the hot tables (with an intent record logged before the
** Iceberg commits when there are hot changes: storage/intent.c).  Iceberg
** has no commit spanning tables: a failure of a later table's commit (a
** conflict) rolls the transaction back but cannot take back an earlier
** table's snapshot, already published; docs/transactions.md says so.
*/
#ifndef ORB_STORAGE_COLD_COLD_STAGE_H
#define ORB_STORAGE_COLD_COLD_STAGE_H

#include "storage/cold/cold_tier.h"
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_scan.h"
#include "storage/tier.h"

/* Cold-tier row ids (the low 56 bits of a locator): a data file's index in
** the snapshot's whole plan above 36 bits of position in it; a staged row
** of the transaction is COLD_LOC_STAGED above its index in the stage.  A
** row beyond those (over a million data files, a file of over 68 billion
** rows) gets COLD_LOC_NONE, which reads fine but cannot be deleted. */
#define COLD_LOC_FILE_BITS 20
#define COLD_LOC_POS_BITS 36
#define COLD_LOC_STAGED ((1 << COLD_LOC_FILE_BITS) - 2)
#define COLD_LOC_NONE ((((uint64_t)1) << 56) - 1)
#define COLD_LOC_POS_MASK ((((uint64_t)1) << COLD_LOC_POS_BITS) - 1)

/* The most row-value bytes one stage holds (see above). */
#define COLD_STAGE_MAX_BYTES ((size_t)512 << 20)

typedef struct cold_stage cold_stage;

/* The stage of table table_id in pins (the transaction's), NULL if none. */
cold_stage *cold_stage_find(const orb_cold_pins *pins, uint32_t table_id);

/* The stage of tier t (table table_id, named name, in folder dir, columns
** schema — the tier's, which stays put while the block runs) in
** transaction block ws, created with its write-set action on first use. */
cold_stage *cold_stage_get(orb_tier *t, orb_wset *ws, uint32_t table_id, const char *name, const char *dir,
                           const orb_schema *schema);

/* Stage n full rows (schema order); values are copied. */
orb_status cold_stage_rows(cold_stage *g, orb_wset *ws, const orb_value *const *rows, int n, orb_err *e);

/* Stage the deletion of n rows by cold-tier row id.  Snapshot rows must
** come from the plan of pin (the table's pin in ws), which becomes the
** stage's base on the first such delete. */
orb_status cold_stage_delete(cold_stage *g, orb_wset *ws, const uint64_t *ids, int n, orb_cold_pin *pin, orb_err *e);

/* Roll back to nrows staged rows and ndels staged deletes (U_COLD_STAGE). */
void cold_stage_cut(void *g, int64_t nrows, int64_t ndels);

/* Stage ALTER TABLE change c (see above) of the table whose catalog
** columns are `catalog` (the tier's): checked now against the table's
** current metadata with the changes staged before it, the staged rows
** converted to the new columns, *out given the catalog's new columns (the
** caller installs them in the same write set, and frees *out).  On error
** nothing is staged. */
orb_status cold_stage_alter(cold_stage *g, orb_wset *ws, const cold_alter *c, const orb_schema *catalog,
                            orb_schema *out, orb_err *e);
/* Undo of one cold_stage_alter: the changes staged before it and the
** staged rows as they were (the U_COLD_STAGE entry's old2, which this
** frees). */
void cold_stage_unalter(void *g, void *undo);
/* Free it when the transaction commits instead. */
void cold_stage_undo_free(void *undo);

/* cold_evolve.c: change c applied to base as next (a shallow copy of base
** with c's arrays from a); the catalog's columns after c by metadata m
** (cold_schema_reconcile's rules, c's SQL type for a type change); the
** catalog-side check of c (a type change must widen the SQL type). */
orb_status cold_alter_apply(orb_arena *a, const ice_meta *base, const cold_alter *c, ice_meta *next, orb_err *e);
orb_status cold_alter_columns(const ice_meta *m, const cold_alter *c, const orb_schema *catalog, orb_schema *out,
                              orb_err *e);
orb_status cold_alter_check(const cold_alter *c, const orb_schema *catalog, orb_err *e);

/* Whether anything is staged; the staged rows so far (deleted or not) and
** row i of them (schema order). */
bool cold_stage_empty(const cold_stage *g);
int64_t cold_stage_nrows(const cold_stage *g);
const orb_value *cold_stage_row(const cold_stage *g, int64_t i);

/* Prepare the deletes for lookups (a scan's begin); then whether row id is
** deleted by the stage. */
void cold_stage_seal(cold_stage *g);
bool cold_stage_deleted(const cold_stage *g, uint64_t id);

/* Before COMMIT logs its intent (txn/wset.c), the stages prepared: the
** snapshot id each stage of pins that will publish one is to have, chosen now; *out (heap,
** the caller frees it) gets one (table id, snapshot id) per such stage.
** Returns how many. */
typedef struct cold_intent {
  uint32_t table_id;
  int64_t snapshot_id;
} cold_intent;
int cold_stage_intents(orb_cold_pins *pins, cold_intent **out);
/* A table the transaction ALTERed and wrote no rows or deletes to, NULL if
** none.  Its COMMIT would be a metadata change without a snapshot, which
** an intent record cannot name, so it cannot commit atomically with hot
** changes (orb_wset_commit refuses that pair). */
const char *cold_stage_bare_alter(const orb_cold_pins *pins);

/* Whether the Iceberg table in folder dir has (or had: its current
** metadata lists it) snapshot id (cold_write.c; recovery of an intent). */
orb_status cold_table_has_snapshot(const char *dir, int64_t id, bool *has, orb_err *e);

/* For the stage's commit (cold_tier.c): the plan of snapshot snapshot_id
** read from metadata file meta_path, and the reference that keeps it
** alive, given back with cold_tier_plan_release. */
orb_status cold_tier_plan_at(orb_tier *t, const char *meta_path, int64_t snapshot_id, void **ref, const ice_plan **plan,
                             orb_err *e);
void cold_tier_plan_release(orb_tier *t, void *ref);

/* Start an append to the owned table in dir whose catalog columns are
** schema, checking that the Iceberg schema has the same columns
** (cold_write.c). */
typedef struct ice_append ice_append;
orb_status cold_append_open(const char *dir, const orb_schema *schema, ice_append **out, orb_err *e);
/* The same, the rows written to the metadata that edit makes of the
** current one and published with it (ice_append_begin_edited). */
orb_status cold_append_open_edited(const char *dir, const orb_schema *schema, ice_meta_edit_fn edit, void *ctx,
                                   ice_append **out, orb_err *e);
/* Commit a change as one snapshot: app's rows with del's deletes, either
** may be NULL (both: nothing); both are consumed (cold_write.c). */
typedef struct ice_rowdelta ice_rowdelta;
orb_status cold_publish(ice_append *app, ice_rowdelta *del, orb_err *e);

#endif
