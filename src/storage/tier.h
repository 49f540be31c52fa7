/*
** storage/tier.h — the tier interface: the one door into a storage layer.
**
** In the manner of PostgreSQL's table access methods, a tier is a struct of
** callbacks (orb_tier_ops) plus per-table state.  The hot tier (hot/), the
** warm tier (warm/) and the cold Iceberg tier (cold/) each implement it; the
** tiered table (table.h) composes them and the query layer reaches storage
** only through the table and this interface.  Nothing here knows SQL text
** or any network protocol.
**
** Rows are arrays of orb_value in the table's schema column order.  A scan
** receives a projection and a bound predicate (expr/expr.h; its column slots
** index the schema's columns) and turns the predicate into whatever its tier
** can use (the hot tier: a primary-key lookup where the predicate pins the
** key, else row filtering).  A scan must return only rows for which the
** predicate is true: the caller does not re-check.
**
** A tier whose data is columnar may also hand a scan's rows out as column
** batches (scan_next_vec, below), for the executor's batch path.
**
** Every row a scan returns carries a locator (uint64_t) that names the row
** within its tier until the next write; DELETE and UPDATE pass locators back.
**
** Reads see one snapshot (txn/snapshot.h): the versions committed before
** it plus the reading transaction's own.  Writes never block readers; a
** write that meets another running transaction's change to the same row
** returns ORB_ERR_WAIT with the write set's wait_for naming it.
**
** Writes happen inside an orb_wset (txn/wset.h): the tier records undo
** information there so that a failing statement can be rolled back, and the
** redo records that the WAL makes durable at commit.
*/
#ifndef ORB_STORAGE_TIER_H
#define ORB_STORAGE_TIER_H

#include "base/buf.h"
#include "base/err.h"
#include "expr/expr.h"
#include "txn/txn.h"
#include "types/schema.h"
#include "types/vec.h"

typedef struct orb_tier orb_tier;
typedef struct orb_tier_scan orb_tier_scan;
typedef struct orb_wset orb_wset;

typedef struct orb_scan_req {
  const int *proj;              /* schema column positions to produce, in order; NULL = all */
  int nproj;
  orb_expr *pred;               /* NULL = all rows */
  const orb_eval_ctx *ctx;      /* for evaluating pred (params, now(), arena) */
  const orb_snapshot *snap;     /* which versions to see; NULL = everything committed */
} orb_scan_req;

/* One batch of scan output.  rows[i] points to nproj values (or all columns
** when proj is NULL), valid until the next scan_next/scan_end call. */
#define ORB_SCAN_BATCH 1024
typedef struct orb_row_batch {
  int nrows;
  const orb_value *rows[ORB_SCAN_BATCH];
  uint64_t locators[ORB_SCAN_BATCH];
} orb_row_batch;

/* What a tier reports for EXPLAIN ANALYZE and the optimizer. */
typedef struct orb_scan_stats {
  int64_t rows_scanned;         /* rows examined */
  int64_t rows_returned;
  int64_t index_lookups;        /* primary-key probes */
  int64_t bytes_read;
  int64_t units_total, units_pruned;  /* segments / files / row groups, tier-specific */
  int64_t groups_total, groups_pruned; /* row groups inside the units (cold: Parquet row groups) */
  int64_t rows_deleted;         /* rows read but removed by delete files (cold) */
} orb_scan_stats;

typedef struct orb_col_stats {
  bool has_minmax;
  orb_value min, max;           /* valid while the tier is unchanged */
  int64_t null_count;
} orb_col_stats;

typedef struct orb_tier_stats {
  int64_t row_count;
  int64_t bytes;                /* everything the tier holds, in memory or on disk */
  int64_t index_bytes;          /* of which the indexes (primary key and secondary) */
  int ncols;
  orb_col_stats *cols;          /* schema order; owned by the tier */
} orb_tier_stats;

typedef struct orb_tier_ops {
  const char *name;             /* "hot", "warm", "cold" */

  /* Insert rows (full rows, schema order).  Enforces nothing but storage;
  ** the table checks constraints first. */
  orb_status (*insert)(orb_tier *t, orb_wset *ws, const orb_value *const *rows, int nrows, orb_err *e);

  orb_status (*scan_begin)(orb_tier *t, const orb_scan_req *req, orb_tier_scan **out, orb_err *e);
  /* Fill b (b->nrows == 0 at end of scan). */
  orb_status (*scan_next)(orb_tier_scan *s, orb_row_batch *b, orb_err *e);
  void (*scan_end)(orb_tier_scan *s, orb_scan_stats *stats /* may be NULL */);
  /* Optional (NULL: rows only): the scan's rows as column batches
  ** (types/vec.h), instead of scan_next; *b NULL at the end, valid until
  ** the next call.  A batch has the schema's columns in schema order
  ** (those neither projected nor in the predicate all NULL).  Unlike
  ** scan_next, the predicate only prunes (what the tier can skip without
  ** looking at a row): the caller evaluates it on the batches, a batch at
  ** a time, and counts rows_returned itself.  Batches carry no locators:
  ** they serve reads, not DELETE or UPDATE. */
  orb_status (*scan_next_vec)(orb_tier_scan *s, const orb_vbatch **b, orb_err *e);

  /* Exact number of rows matching pred (NULL = all) if the tier can answer
  ** cheaply (metadata, index), else *count = -1. */
  orb_status (*count)(orb_tier *t, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx, int64_t *count,
                      orb_err *e);

  orb_status (*delete_rows)(orb_tier *t, orb_wset *ws, const uint64_t *locators, int n, orb_err *e);
  /* Replace whole rows at locators by new full rows. */
  orb_status (*update_rows)(orb_tier *t, orb_wset *ws, const uint64_t *locators,
                            const orb_value *const *rows, int n, orb_err *e);

  /* Find the row with this primary key (values in key order); *found = false
  ** if none.  With a write set: the row that key would conflict with, as
  ** that writer must see it (ORB_ERR_WAIT / 40001 as for updates); without:
  ** the newest committed row. */
  orb_status (*pk_lookup)(orb_tier *t, orb_wset *ws, const orb_value *key, bool *found, uint64_t *locator,
                          const orb_value **row, orb_err *e);

  void (*stats)(orb_tier *t, orb_tier_stats *out);
  /* One line describing how `req` would be executed ("primary-key point lookup (2 keys)"). */
  void (*explain)(orb_tier *t, const orb_scan_req *req, orb_buf *out);

  void (*close)(orb_tier *t);
} orb_tier_ops;

struct orb_tier {
  const orb_tier_ops *ops;
};

#endif
