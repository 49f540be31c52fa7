/*
** storage/cold/ice_write.h — writing Apache Iceberg tables: creating a
** table, appending rows as Parquet data files committed as one atomic
** "append" snapshot, and deleting or replacing rows with position delete
** files ("delete" and "overwrite" snapshots, ice_rowdelta below).
**
** What is written follows apache/iceberg format/spec.md, format version 2,
** in the layout and with the names Java's writer uses, so that Spark, Trino,
** DuckDB and PyIceberg read it:
**
**   <table>/metadata/v1.metadata.json        ice_table_create
**   <table>/metadata/version-hint.text
**   <table>/data/00000-0-<uuid>.parquet       ice_append_rows (files roll at the target size)
**   <table>/metadata/<uuid>-m0.avro           ice_append_commit: one manifest of the new files
**   <table>/metadata/snap-<id>-1-<uuid>.avro  the manifest list: the parent's manifests + the new one,
**                                             small ones merged (ice_manifest_merge.h)
**   <table>/metadata/v<N+1>.metadata.json     the new snapshot, published with link() (ice_meta_commit)
**
** Data files: Parquet through formats/parquet's writer, every column with
** its Iceberg field id, ZSTD by default (table property
** write.parquet.compression-codec: zstd, snappy, gzip, uncompressed).
** Per file the manifest carries record_count, the exact
** file_size_in_bytes, split_offsets (row group starts) and per column:
** column_sizes (compressed chunk bytes), value_counts (NULLs included),
** null_value_counts, nan_value_counts (float and double only), and
** lower_bounds / upper_bounds in the spec's single-value serialization
** (ice_value.h), strings truncated to 16 code points and binary to 16
** bytes with the upper bound incremented as Java's truncate(16) metrics
** mode does (none when no increment is possible).
**
** Commits: the new metadata is built on the table's current metadata and
** published as version N+1 with no overwrite; a writer that loses the race
** (ORB_ERR_CONFLICT) reloads the new current metadata and rebuilds its
** manifest list and snapshot on it (an append never conflicts with another
** append: it only adds files), with a new sequence number, after a
** randomized exponential backoff (commit.retry.num-retries, default 4,
** commit.retry.min-wait-ms 100, commit.retry.max-wait-ms 60000, as Java).
** Data files and the manifest are written once and never rewritten by a
** retry.  After the retries a clear ORB_ERR_CONFLICT says so.  A process
** killed at any point leaves the table at some committed version with
** exactly that version's rows; files of a commit that never happened are
** debris, which orphan-file removal deletes later.
**
**   ice_append *app;
**   if (ice_append_begin("/w/public/t", NULL, &app, &err)) ...
**   ice_append_rows(app, rows, nrows, &err);   (as often as needed)
**   int64_t snap;
**   ice_append_commit(app, &snap, &err);       (frees app, success or not)
**
** Rows are orb_value arrays in the order of the current schema's top-level
** fields (ice_append_ncols); a value of another type is cast as SQL
** assignment would, a NULL in a required field is ORB_ERR_NOT_NULL naming
** the column.  Memory is bounded: rows wait only until their Parquet row
** group is full (write.parquet.row-group-size-bytes, default 128 MiB of
** raw values), then go to the file; a data file is closed once it reaches
** write.target-file-size-bytes (default 512 MiB) and the next one starts.
** A partitioned table routes each row to the open file of its partition
** tuple (Hive-style folders data/<field>=<value>/).
**
** Thread safety: an appender is used by one thread; several appenders (in
** one or several processes) may append to one table at once.
**
** Names: ice_ prefix (DESIGN.md).
*/
#ifndef ORB_STORAGE_COLD_ICE_WRITE_H
#define ORB_STORAGE_COLD_ICE_WRITE_H

#include "storage/cold/ice_meta.h"
#include "types/schema.h"

/* --- creating a table ----------------------------------------------------- */

/* The Iceberg type of a SQL column type: BOOL->boolean, INT16/INT32->int,
** INT64->long, FLOAT32->float, FLOAT64->double, DECIMAL(P,S)->decimal(P,S),
** TEXT (VARCHAR, CHAR)->string, BYTEA->binary, DATE->date, TIME->time,
** TIMESTAMP->timestamp, TIMESTAMPTZ->timestamptz, UUID->uuid, T[] ->
** list<T's type> with optional elements (the element allocated in a, its
** element_id left 0 for the caller to assign).  Others (INTERVAL, JSON,
** NUMERIC without a precision, arrays of those) are ORB_ERR_UNSUPPORTED
** naming the column `name` and why. */
orb_status ice_type_from_sql(orb_arena *a, const char *name, orb_type t, ice_type *out, orb_err *e);

/* Create an empty table (format version 2) in folder table_dir:
** metadata/v1.metadata.json and version-hint.text.  location is the
** table's location as other engines will see it (NULL: the absolute path
** of table_dir).  Columns keep schema's field ids, NOT NULL columns are
** required, the primary key becomes identifier-field-ids; a list column's
** element gets a new id past schema->next_field_id - 1 (in column order);
** last-column-id is the highest id ever assigned.
** partition_by is NULL for an unpartitioned table, or a list of transforms
** "day(ts), bucket(16, id)" (identity by the bare column name).  props are
** table properties, on top of the defaults write.format.default=parquet
** and write.parquet.compression-codec=zstd.  A folder that already holds a
** table is ORB_ERR_DUPLICATE.  out (may be NULL) gets the new metadata,
** from a. */
orb_status ice_table_create(orb_arena *a, const char *table_dir, const char *location, const orb_schema *schema,
                            const char *partition_by, const ice_kv *props, int nprops, ice_meta *out, orb_err *e);

/* --- appending ------------------------------------------------------------ */

typedef struct ice_write_opts {
  int64_t target_file_bytes;     /* 0: table property write.target-file-size-bytes, default 512 MiB */
  int64_t row_group_bytes;       /* 0: write.parquet.row-group-size-bytes, default 128 MiB */
  int zstd_level;                /* 0: write.parquet.compression-level, else the library's default */
  int max_retries;               /* -1: commit.retry.num-retries, default 4 */
  const ice_kv *summary;         /* extra snapshot summary entries (e.g. an engine's own keys) */
  int nsummary;
} ice_write_opts;

void ice_write_opts_init(ice_write_opts *o);

typedef struct ice_append ice_append;

/* Start an append to the table in folder table_dir (its current metadata,
** schema and default partition spec).  opts may be NULL (defaults and
** table properties). */
orb_status ice_append_begin(const char *table_dir, const ice_write_opts *opts, ice_append **out, orb_err *e);

/* The number of values per row (the current schema's top-level fields) and
** the SQL type each is written as (ice_sql_type). */
int ice_append_ncols(const ice_append *app);
orb_type ice_append_col_type(const ice_append *app, int col);
/* The Iceberg field id of value col (the current schema's field). */
int32_t ice_append_col_field_id(const ice_append *app, int col);

/* n rows, row-major: rows[r * ncols + c].  Values are copied.  A batch
** refused for a NULL in a required column or a value that does not cast
** leaves an unpartitioned table's file as it was; a partitioned table's
** batch may have been written in part, so after an error the caller
** aborts the append (ice_append_abort). */
orb_status ice_append_rows(ice_append *app, const orb_value *rows, int64_t n, orb_err *e);
/* n rows, column-major: cols[c][r] (a batch's columns).  Values are copied. */
orb_status ice_append_columns(ice_append *app, const orb_value *const *cols, int64_t n, orb_err *e);

/* What the appender has written so far. */
typedef struct ice_append_stats {
  int64_t rows;
  int64_t files;                 /* data files closed or open */
  int64_t bytes;                 /* bytes of closed data files */
  int attempts;                  /* commit attempts (after ice_append_commit) */
} ice_append_stats;
ice_append_stats ice_append_get_stats(const ice_append *app);

/* Close the data files, write the manifest and manifest list and commit a
** new snapshot (operation "append").  An append of no rows commits
** nothing and sets *snapshot_id to -1.  stats (may be NULL) gets the
** final figures.  Frees app whatever happens.  On failure before the
** commit point the appender's files are removed; an I/O error at the
** commit point itself leaves them (the commit may have happened). */
orb_status ice_append_commit(ice_append *app, int64_t *snapshot_id, ice_append_stats *stats, orb_err *e);

/* Give up: remove the data files written so far and free app. */
void ice_append_abort(ice_append *app);
/* The id the commit's snapshot will have (a positive number no snapshot
** of the table has; ice_random_id), chosen before the commit so that a
** caller can log it first (a transaction block's intent record,
** txn/wset.c); by default the commit picks one. */
void ice_append_set_snapshot_id(ice_append *app, int64_t id);

/* --- deleting and replacing rows (ice_rowdelta.c) ------------------------- */

/* Row-level changes, merge-on-read: rows are deleted by position delete
** files (Parquet, columns file_path string id 2147483546 and pos long id
** 2147483545, both required, rows sorted by file_path then pos; file_path
** is the data file's path as the manifest names it), one per partition,
** carrying that partition's spec id and tuple, written in the data files'
** folder as <n>-0-<uuid>-deletes.parquet, with referenced_data_file when
** it covers one data file, record_count, sizes, counts and whole-value
** bounds; listed in a delete manifest (content 1) per partition spec.
** The snapshot is one commit (ice_commit.h): operation "delete", or
** "overwrite" when an appender's new rows come with it (UPDATE: the old
** versions deleted, the new ones appended), summary added-delete-files,
** added-position-delete-files, added-position-deletes and the totals
** (total-records stays the data rows written, as Java's).
**
** The rows to delete are named by data file (an ice_file of a plan of
** snapshot based_on) and 0-based position in it.  Committing on a newer
** snapshot is fine when the data files are still live there (another
** writer appended); when one is gone, or another writer committed a
** delete file for one of them meanwhile, the commit fails with
** ORB_ERR_CONFLICT (SQLSTATE 40001) and publishes nothing.
**
**   ice_rowdelta *d;
**   ice_rowdelta_begin(dir, plan.snapshot->snapshot_id, -1, &d, &err);
**   ice_rowdelta_delete(d, &plan.files[3], 17, &err);   (as often as needed)
**   ice_rowdelta_commit(d, NULL, &snap, &err);           (frees d, success or not) */
typedef struct ice_rowdelta ice_rowdelta;
typedef struct ice_file ice_file;

/* Start a change of the table in folder table_dir, computed on snapshot
** based_on.  max_retries < 0: the table's commit.retry.num-retries. */
orb_status ice_rowdelta_begin(const char *table_dir, int64_t based_on, int max_retries, ice_rowdelta **out, orb_err *e);
/* Delete row pos of data file f (the same row twice is one delete). */
orb_status ice_rowdelta_delete(ice_rowdelta *d, const ice_file *f, int64_t pos, orb_err *e);
/* Rows deleted so far (repeats included). */
int64_t ice_rowdelta_rows(const ice_rowdelta *d);
/* Write the delete files and manifests and commit them, with app's rows
** when app is not NULL (app is consumed: committed or removed with the
** change).  Nothing to delete and no rows commits nothing (*snapshot_id
** -1).  Frees d whatever happens; a failure before the commit point
** removes every file written. */
orb_status ice_rowdelta_commit(ice_rowdelta *d, ice_append *app, int64_t *snapshot_id, orb_err *e);
/* Give up: free d (nothing was written yet). */
void ice_rowdelta_abort(ice_rowdelta *d);
/* Check the deletes against the table's current metadata as the commit
** will (a data file removed, or rows of it deleted, by another writer since
** based_on: ORB_ERR_CONFLICT, 40001), without committing: a transaction
** writing several tables checks them all before publishing any. */
orb_status ice_rowdelta_check(ice_rowdelta *d, orb_err *e);
/* As ice_append_set_snapshot_id (the id of the one snapshot with app's rows). */
void ice_rowdelta_set_snapshot_id(ice_rowdelta *d, int64_t id);

#endif
