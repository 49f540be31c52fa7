/*
** storage/cold/cold_tier.h — the cold tier: an Apache Iceberg table behind
** the tier interface (storage/tier.h).
**
** A cold tier is a table folder (or one metadata file) in Iceberg's layout.
** It reads through the Iceberg read path: ice_meta (the current metadata),
** ice_scan_plan (the snapshot's data files and the deletes that apply) and
** ice_reader (rows by field id).  The table's columns (orb_schema) carry
** Iceberg field ids, so a column renamed by another engine still reads, a
** column dropped there reads as NULL, and a promoted one (int -> long) is
** cast back to the table's type.
**
**   orb_tier *t = cold_tier_new(table_id, "events", "/data/wh/db/events", &schema);
**
** Creating the tier does no I/O: a database whose external table's files
** went away still opens, and the scan names what is missing.
**
** Which snapshot a scan reads.  Other processes commit to an Iceberg table,
** so the tier re-reads the table's current metadata at every scan_begin —
** cheaply: ice_find_current names the newest metadata file, and when its
** path, size and modification time are those of the one already parsed the
** parsed model (and the plans made from it) are reused.  A scan request
** whose snapshot carries pins (txn/snapshot.h: a transaction's) reads
** the table at the pinned Iceberg snapshot; the first time the transaction
** reads the table it pins
**
**   - READ COMMITTED (began_ms 0): the current snapshot;
**   - REPEATABLE READ: the snapshot that was current when the transaction
**     took its snapshot (began_ms), so that a commit made after that —
**     even one made before the transaction first reads the table — stays
**     invisible, as it does in the hot tier.  No table is read at BEGIN:
**     the current metadata, read at the first scan, still lists the older
**     snapshots, and its snapshot-log says which was current when
**     (ice_meta_snapshot_at): the one stamped latest strictly before
**     began_ms's millisecond.  A table whose history before began_ms has
**     been expired is an error (SQLSTATE 72000, snapshot too old); one
**     with no snapshot then (created or first written later) reads empty.
**
** so a REPEATABLE READ transaction sees one Iceberg snapshot per table for
** its whole life.
**
** Clock caveats of the REPEATABLE READ rule.  Iceberg stamps a snapshot
** with its writer's wall clock (timestamp-ms) when the writer builds the
** metadata it is about to publish; began_ms is this machine's wall clock
** (cold_clock_ms).  Commits in the same millisecond: a snapshot stamped in
** began_ms's own millisecond may have been published just before or just
** after the transaction began; it counts as after.  Orbit's own commits
** (ice_snapshot_commit: appends, deletes, updates) therefore do not return until the clock has passed their
** stamp (at most a few milliseconds), so a commit acknowledged before a
** transaction begins always has an earlier stamp and is seen.  Other
** writers (Spark, Trino, PyIceberg) do not wait: a transaction that begins
** within the millisecond their commit is acknowledged may not see it, as
** if it had begun a moment earlier.  A writer stamps its snapshot before
** publishing it: a commit in flight when the transaction begins is seen or
** not depending on when the transaction first reads the table (either is
** a valid order for operations that overlap).  The stamps are only as good
** as the clocks: a writer on a machine whose clock runs ahead of ours
** looks later than it was (its commit may be missed), one behind looks
** earlier (a commit made after began_ms may be seen); a clock stepped
** backwards (NTP, by hand) moves the line the same way.  Keep the
** machines' clocks synchronized; READ COMMITTED does not depend on them.
**
** Scans read only the columns the projection and the predicate use (all of
** them when an equality delete applies, since its columns must be
** compared), pass the predicate's simple conjuncts (column op constant, IN,
** IS [NOT] NULL) to ice_reader_prune so that whole files and row groups are
** skipped, evaluate the predicate on each row (the tier contract: only
** matching rows come back) and copy the projected values into a per-batch
** arena.  Locators name a row by data file and position for the scan's
** snapshot: ORB_LOC_MAKE(ORB_TIER_COLD, file << 36 | pos), file the data
** file's index in the snapshot's whole plan (not the pruned one a scan may
** use), pos the row's 0-based position in the file (what position deletes
** count).  A write statement's scan pins the snapshot (its write set's
** pins), so the delete finds the same plan again.
**
** count() answers from the manifests' record counts when no predicate is
** given and no delete file applies (the snapshot summary is not trusted:
** it ignores deletes); otherwise -1 and the caller scans.  Until a plan of
** the snapshot is made, the manifest list's per-manifest row counts answer
** alone when it lists no delete manifest (ice_scan_count_rows), so a
** count of a table of many appends reads one list, not every manifest.
**
** Writes.  A tier over an external table refuses them ("table \"t\" is a
** read-only Iceberg table", SQLSTATE 25006).  A tier the database owns
** (CREATE TABLE ... USING iceberg) takes inserts through the Iceberg write
** path (cold_write.c): the first insert of a write set opens an append and
** registers it as a write-set action (storage_int.h), later batches add
** to it, and the append is committed as one Iceberg snapshot when the
** write set commits (aborted, its files removed, when it rolls back).
** DELETE and UPDATE (merge-on-read) go the same way: the rows' locators
** become positions in data files, gathered in the write set's action with
** the UPDATE's new rows (ice_rowdelta, ice_write.h), and the write set's
** commit writes one position delete file per partition and commits one
** snapshot: "delete", or "overwrite" with the new rows.  A data file the
** deletes name that another writer removed meanwhile fails the commit
** with SQLSTATE 40001 and publishes nothing.  Inside a transaction block
** (orb_wset_is_block) inserts and deletes are staged instead
** (cold_stage.h): scans of the block add its staged rows and skip the rows
** it deleted, and its COMMIT makes one snapshot per table.
**
** Thread safety: several statements may scan one tier at once (the
** database latch is held shared); the cached metadata is guarded by the
** tier's mutex and reference counted, so a scan keeps the version it began
** with while another statement moves the cache forward.
*/
#ifndef ORB_STORAGE_COLD_COLD_TIER_H
#define ORB_STORAGE_COLD_COLD_TIER_H

#include "txn/txn.h"
#include "storage/tier.h"

extern const orb_tier_ops cold_tier_ops;

/* A tier over the Iceberg table at `where` (a table folder or a metadata
** file) for table `name` with columns `schema` (copied; field ids are the
** Iceberg ones); `owned`: the database's own table, which takes inserts,
** deletes and updates.
** No I/O. */
orb_tier *cold_tier_new(uint32_t table_id, const char *name, const char *where, const orb_schema *schema, bool owned);

/* The table folder or metadata file the tier reads. */
const char *cold_tier_location(const orb_tier *t);

/* Replace the tier's columns (copied) after the table's schema changed
** (ALTER TABLE, or its undo).  The caller runs alone (DDL holds the gate
** exclusively): no scan of the tier is open. */
void cold_tier_set_schema(orb_tier *t, const orb_schema *schema);
/* The table's new name (ALTER TABLE ... RENAME TO, or its undo), for
** messages; the table keeps its folder, whatever its name. */
void cold_tier_rename(orb_tier *t, const char *name);

/* What EXPLAIN and SHOW say about the table's current state, read now:
** current snapshot id (-1: none), number of live data files. */
orb_status cold_tier_current(orb_tier *t, const orb_snapshot *snap, int64_t *snapshot_id, int *nfiles, orb_err *e);

/* Owned tables (cold_write.c, over storage/cold/ice_write.h).  Create an
** empty Iceberg table in folder `dir` (which must not exist) with columns
** `schema` (their field ids become the Iceberg ones; array columns'
** elements get new ids, and schema->next_field_id is moved past them so
** that the catalog never hands them out again) and the partition spec
** `partition_by` (pg_lake's text: "day(ts), bucket(16, id)"; NULL or ""
** for none).  Remove an owned table's folder (DROP TABLE). */
orb_status cold_table_create(const char *dir, orb_schema *schema, const char *partition_by,
                             const char *const *prop_keys, const char *const *prop_values, int nprops, orb_err *e);

struct ice_kv;   /* storage/cold/ice_meta.h */
/* Whether table properties the engine reads parse (the merge, retry,
** target size, expiry and metadata-log numbers, the merge switch): a bad
** one is ORB_ERR_INVALID_TEXT, SQLSTATE 22023, naming it. */
orb_status cold_check_properties(const struct ice_kv *props, int nprops, orb_err *e);
orb_status cold_table_remove(const char *dir, orb_err *e);
/* The tier's insert for an owned table (cold_write.c). */
orb_status cold_append_insert(orb_tier *t, const char *dir, const orb_schema *schema, orb_wset *ws,
                              const orb_value *const *rows, int n, orb_err *e);

/* The wall clock REPEATABLE READ snapshots are stamped with (began_ms),
** the one Orbit's Iceberg writer stamps snapshots with: milliseconds since
** the epoch. */
int64_t cold_clock_ms(void);

/* The tier's delete for an owned table (cold_write.c): delete rows (data
** file of a plan of snapshot based_on, position in it) in step with write
** set ws, as one Iceberg change with the write set's appends (an UPDATE's
** new rows): committed as one snapshot when ws commits. */
typedef struct ice_file ice_file;
typedef struct cold_row_ref {
  const ice_file *file;
  int64_t pos;
} cold_row_ref;
orb_status cold_rows_change(orb_tier *t, const char *dir, int64_t based_on, orb_wset *ws, const cold_row_ref *rows, int n,
                            orb_err *e);

/* Schema and partition evolution of an owned table (cold_evolve.c, over
** storage/cold/ice_evolve.h, committed with ice_meta_update).
**
** Which is the truth.  The Iceberg metadata is: cold_table_alter commits
** the change there first and only then gives the caller the catalog's new
** columns, made from the committed Iceberg schema (cold_schema_reconcile's
** rules), for the caller to log and install like any ALTER TABLE.  A
** process that dies between the two leaves the catalog one step behind;
** opening the database reconciles every owned table's catalog columns with
** its Iceberg metadata (cold_schema_reconcile), so the change is then
** complete, never half done.  The same happens when the catalog's write
** set fails after the Iceberg commit: the columns are taken from Iceberg at
** the next open.  Inside a transaction block the change is staged instead
** (cold_tier_alter_staged, storage/cold/cold_stage.h) and committed with
** the block's rows at COMMIT; ROLLBACK drops it. */
typedef enum cold_alter_kind {
  COLD_ADD_COLUMN = 1,           /* name, type */
  COLD_DROP_COLUMN,              /* field_id */
  COLD_RENAME_COLUMN,            /* field_id, name: the new name */
  COLD_SET_TYPE,                 /* field_id, type */
  COLD_DROP_NOT_NULL,            /* field_id */
  COLD_SET_NOT_NULL,             /* field_id (refused unless already NOT NULL) */
  COLD_ADD_PARTITION_FIELD,      /* term, as */
  COLD_DROP_PARTITION_FIELD,     /* term (a transform term or a partition field name) */
  COLD_REPLACE_PARTITION_FIELD,  /* term, with, as */
  COLD_SET_PARTITION_SPEC,       /* term: the whole spec in pg_lake's text ("" unpartitioned) */
  COLD_SET_PROPERTIES            /* prop_keys/prop_values: set each (a NULL value removes the key) */
} cold_alter_kind;

typedef struct cold_alter {
  cold_alter_kind kind;
  int32_t field_id;
  const char *name;
  orb_type type;
  const char *term, *with, *as;
  const char *const *prop_keys, *const *prop_values;
  int nprops;
} cold_alter;

/* Commit change c to the owned table in folder dir, whose catalog columns
** are `catalog`; *out gets the catalog's new columns (the caller frees them
** with orb_schema_free).  Type changes must widen both the SQL type
** (smallint -> integer -> bigint, real -> double precision, numeric
** precision, varchar length) and be one of Iceberg's promotions; anything
** else is an error naming both types, and nothing is committed. */
orb_status cold_table_alter(const char *dir, const cold_alter *c, const orb_schema *catalog, orb_schema *out,
                            orb_err *e);

/* Change c staged in transaction block ws for tier t's owned table
** (cold_stage_alter): checked now, committed with the block; *out gets the
** catalog's new columns, as cold_table_alter's. */
orb_status cold_tier_alter_staged(orb_tier *t, orb_wset *ws, const cold_alter *c, orb_schema *out, orb_err *e);

/* The catalog columns an owned table should have by its Iceberg metadata:
** the current schema's top-level fields in order, with their names, field
** ids, NOT NULL (required) and the primary key (identifier-field-ids); a
** column whose Iceberg type is what the catalog's SQL type maps to keeps
** the catalog's type (smallint, varchar(n)) and default, others get
** ice_sql_type's.  next_field_id is past last-column-id.  *changed says
** whether *out differs from `catalog` (then the caller installs it). */
orb_status cold_schema_reconcile(const char *dir, const orb_schema *catalog, orb_schema *out, bool *changed,
                                 orb_err *e);

/* Pins (txn/snapshot.h): drop all (a READ COMMITTED statement, the end
** of a transaction). */
void cold_pins_clear(orb_cold_pins *p);
/* A new statement snapshot (READ COMMITTED): drop the pins but those a
** transaction block's staged deletes are based on (cold_stage.h). */
void cold_pins_renew(orb_cold_pins *p);

#endif
