/*
** storage/table.h — the tiered table: one table over its tiers.
**
** A table composes its tiers (the hot tier, and for Iceberg tables the
** cold tier; the warm tier joins later) behind one interface: inserts go to
** the hot tier, scans visit every tier with the same projection and
** predicate (hot first, then cold), counts and statistics add up the tiers,
** the primary key is enforced across all tiers, and locators name a row in
** any tier.  Rows are orb_value arrays in schema order.
**
** Kinds of table.  ORB_TABLE_HOT: an ordinary table (no cold tier).
** ORB_TABLE_EXTERNAL: an Iceberg table someone else writes, attached with
** CREATE EXTERNAL TABLE ... LOCATION; it is read-only here (writes fail
** with SQLSTATE 25006 naming the table) and DROP TABLE only detaches it.
** ORB_TABLE_ICEBERG: an Iceberg table the database owns under
** <db>/warehouse/ (CREATE TABLE ... USING iceberg): inserts go straight to
** its cold tier (one Iceberg append per write set), deletes and updates
** too (position delete files, and the new versions appended: one Iceberg
** snapshot per write set), ALTER TABLE evolves its Iceberg schema or
** partition spec (orb_db_alter_iceberg); TRUNCATE is refused for now.
** ORB_TABLE_VIEW: a view (CREATE VIEW): no rows of its own; its schema is
** the query's columns and `location` holds the query's text, which the
** query layer binds wherever the view is read; every write is refused.
** All keep an empty hot tier so that code walking every table's hot tier
** need not ask.
**
** Constraint checks happen here, before any tier is touched: NOT NULL
** ("null value in column \"ts\" of relation \"events\" violates not-null
** constraint"), VARCHAR(n) lengths, and primary-key uniqueness ("duplicate
** key value violates unique constraint \"events_pkey\"" with detail
** "Key (id)=(42) already exists."), PostgreSQL's texts.  A key counts as
** taken when a committed or running transaction holds it; a running one
** makes the writer wait (ORB_ERR_WAIT) to learn whether it commits.
** UNIQUE constraints and unique indexes (orb_schema.indexes, kept by the
** hot tier) are checked the same way, row by row as PostgreSQL checks a
** non-deferrable constraint, with the index's name in the message.
*/
#ifndef ORB_STORAGE_TABLE_H
#define ORB_STORAGE_TABLE_H

#include "storage/tier.h"
#include "types/schema.h"

typedef enum orb_table_kind {
  ORB_TABLE_HOT = 0,       /* an ordinary table */
  ORB_TABLE_ICEBERG = 1,   /* an Iceberg table owned by the database */
  ORB_TABLE_EXTERNAL = 2,  /* an Iceberg table attached read-only */
  ORB_TABLE_VIEW = 3,      /* a view: location is its query's text */
  ORB_TABLE_SEQUENCE = 4   /* a sequence (storage/sequence.h): location is its options and state as JSON */
} orb_table_kind;

typedef struct orb_table {
  uint32_t id;             /* never reused within a database */
  char *name;
  orb_schema schema;       /* current schema; changed only by orb_db_alter_table */
  orb_tier *hot;
  orb_tier *cold;          /* NULL for ORB_TABLE_HOT */
  orb_table_kind kind;
  char *location;          /* Iceberg tables: the table folder or metadata file; views: the query; else NULL */
  struct orb_sequence *seq;   /* ORB_TABLE_SEQUENCE: its state (location is only its JSON when created) */
} orb_table;

/* Whether the write `what` ("insert into", "copy into", "update", "delete
** from", "truncate", "alter") is refused; if so, err says why: external
** tables refuse every write ("cannot insert into \"t\": it is an external
** Iceberg table, which is read-only", SQLSTATE 25006), the database's own
** Iceberg tables all but inserts, copies, updates, deletes and ALTER TABLE (0A000). */
orb_status orb_table_check_writable(const orb_table *t, const char *what, orb_err *e);
/* PostgreSQL's DETAIL for a row a constraint refuses, "Failing row contains
** (1, null, abc).", into e. */
void orb_table_failing_row(const orb_schema *s, const orb_value *row, orb_err *e);

typedef struct orb_table_scan orb_table_scan;

/* Locators: the tier in the top byte, the row within the tier below. */
#define ORB_TIER_HOT 0
#define ORB_TIER_WARM 1
#define ORB_TIER_COLD 2
#define ORB_LOC_TIER(loc) ((int)((uint64_t)(loc) >> 56))
#define ORB_LOC_ROWID(loc) ((uint64_t)(loc) & (((uint64_t)1 << 56) - 1))
#define ORB_LOC_MAKE(tier, rowid) (((uint64_t)(tier) << 56) | (uint64_t)(rowid))

orb_status orb_table_insert(orb_table *t, orb_wset *ws, const orb_value *const *rows, int n, orb_err *e);
/* Replace rows (full new rows, schema order) at the given locators. */
orb_status orb_table_update(orb_table *t, orb_wset *ws, const uint64_t *locators,
                            const orb_value *const *rows, int n, orb_err *e);
orb_status orb_table_delete(orb_table *t, orb_wset *ws, const uint64_t *locators, int n, orb_err *e);
/* SELECT ... FOR UPDATE/SHARE: hold the row at locator for ws until it ends,
** as an update would, without changing it; `shared` (FOR SHARE, FOR KEY
** SHARE): other sharers may hold it too, writers wait.  ORB_ERR_WAIT
** (another running transaction wrote it; orb_wset_blocked tells which kind
** of wait) and 40001 as for updates; *gone when ws itself deleted the row.
** Hot tables only (0A000 otherwise). */
orb_status orb_table_lock_row(orb_table *t, orb_wset *ws, uint64_t locator, bool shared, bool *gone, orb_err *e);

orb_status orb_table_scan_begin(orb_table *t, const orb_scan_req *req, orb_table_scan **out, orb_err *e);
orb_status orb_table_scan_next(orb_table_scan *s, orb_row_batch *b, orb_err *e);
void orb_table_scan_end(orb_table_scan *s, orb_scan_stats *stats);
/* Whether a scan of t can hand out column batches (orb_table_scan_next_vec):
** an Iceberg table (its hot tier is kept empty) whose cold tier makes them. */
bool orb_table_scan_has_vec(const orb_table *t);
/* The scan's rows as column batches, tier after tier (tier.h scan_next_vec:
** schema order, the predicate only prunes, the caller filters); *b NULL at
** the end.  A scan uses this or orb_table_scan_next, not both. */
orb_status orb_table_scan_next_vec(orb_table_scan *s, const orb_vbatch **b, orb_err *e);

/* Row with this primary key (values in key order) in any tier: with a write
** set, the row the key conflicts with for that writer (tier.h); with NULL,
** the newest committed one. */
orb_status orb_table_pk_lookup(orb_table *t, orb_wset *ws, const orb_value *key, bool *found, uint64_t *locator,
                               const orb_value **row, orb_err *e);
/* The same for a unique constraint: which = -1 the primary key, else the
** number of a unique index of the schema (key in its column order).  Hot
** tables only (an Iceberg table has no unique index). */
orb_status orb_table_unique_lookup(orb_table *t, orb_wset *ws, int which, const orb_value *key, bool *found,
                                   uint64_t *locator, const orb_value **row, orb_err *e);
/* Exact count of the rows snap sees (NULL: everything committed) if
** answerable without scanning, else -1. */
orb_status orb_table_count(orb_table *t, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx,
                           int64_t *count, orb_err *e);
/* EXPLAIN text, one line per tier ("hot: primary-key point lookup (1 key)"). */
void orb_table_explain(orb_table *t, const orb_scan_req *req, orb_buf *out);
/* Bytes of one index of a hot table: which -1 the primary key's, else the
** schema's index `which` (0 for other tables). */
int64_t orb_table_index_bytes(orb_table *t, int which);
/* Statistics summed over tiers; caller frees out->cols with orb_free. */
void orb_table_stats(orb_table *t, orb_tier_stats *out);

#endif
