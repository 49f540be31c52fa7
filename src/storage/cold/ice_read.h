/*
** storage/cold/ice_read.h — reading the rows of a planned Iceberg scan.
**
** Given a plan (ice_scan.h), the reader goes through the data files one
** after the other and hands out rows of the table schema's columns as SQL
** values.  Each Parquet column is matched to a table column by **field id**
** (the footer's field_id), never by name, so:
**
**   - a renamed column reads under its new name;
**   - a dropped column is not read; an added one is NULL in files written
**     before it existed;
**   - a promoted column (int -> long, float -> double, decimal(P,S) ->
**     decimal(P',S)) is read as the file stores it and widened;
**   - a column the file lacks but an identity partition field of the file's
**     spec holds takes its value from the file's partition tuple.
**
** A list of a primitive reads as an array of the primitive's SQL type;
** struct, map and other list columns as the TEXT of their JSON, as
** read_parquet shows them (formats/parquet pq_nested_value).
**
** Deletes (the plan says which files apply to which data file): position
** deletes remove rows by (data file path, 0-based row position in the file);
** equality deletes remove rows whose values of the delete's equality field
** ids equal a delete row's (NULL equals NULL, as the spec says), looked up
** in a hash table of the delete rows.  Delete files are read whole per data
** file they apply to.
**
**   ice_column *cols; int ncols;
**   ice_columns(arena, plan.schema, &cols, &ncols, &err);
**   ice_reader *r;
**   ice_reader_open(&plan, cols, ncols, &r, &err);
**   const orb_value *row;
**   while (ice_reader_next(r, &row, &err) == ORB_OK && row) ...
**   ice_reader_free(r);
**
** Rows or column batches: ice_reader_next_vec hands out the same rows as
** ice_reader_next, up to ORB_VEC_MAX at a time as a column batch
** (types/vec.h) of the columns' types: a column the file holds as the
** table's type points at the decoded Parquet array itself; an int -> long
** or float -> double promotion is widened a batch at a time; other
** promotions, other types and nested columns are converted to SQL values;
** a column the file lacks is a constant vector (its identity partition
** value, or NULL).  Deletes narrow the batch's selection vector.  A
** reader hands out rows or batches, not both.
**
** Only Parquet data files are read; ORC and Avro data files are refused
** naming the file.  Errors name the file ("iceberg: \"data/x.parquet\": ...").
**
** Ownership: a row's values (and the text they point to) stay valid until
** the next ice_reader_next; the reader borrows the plan and the columns.
*/
#ifndef ORB_STORAGE_COLD_ICE_READ_H
#define ORB_STORAGE_COLD_ICE_READ_H

#include "formats/parquet/parquet.h"
#include "storage/cold/ice_scan.h"
#include "types/vec.h"

/* A column of the table as read: a top-level field of the schema. */
typedef struct ice_column {
  int32_t field_id;
  const char *name;
  const ice_type *itype;
  orb_type type;                 /* ice_sql_type; an array for a list of a primitive, TEXT (JSON) for other nested types */
  bool nested;                   /* a struct, list or map (an array or JSON text): no equality deletes, pruning or writes by it */
} ice_column;

/* The schema's top-level fields as columns (from a). */
orb_status ice_columns(orb_arena *a, const ice_schema *s, ice_column **out, int *n, orb_err *e);

typedef struct ice_reader ice_reader;

/* What a reader did, for EXPLAIN ANALYZE. */
typedef struct ice_read_counts {
  int64_t files, rows_read, rows_deleted, delete_files_read;
  int64_t groups, groups_skipped;   /* data files' row groups, and those pruning skipped */
  int64_t files_skipped;            /* data files ruled out by their identity partition values */
} ice_read_counts;

orb_status ice_reader_open(const ice_plan *p, const ice_column *cols, int ncols, ice_reader **out, orb_err *e);
/* Constraints on the columns (pq_pred, col = column index; ANDed, as a
** WHERE clause's conjuncts): each data file's row groups that cannot match
** are skipped (formats/parquet pq_prune, on the file's leaves matched by
** field id; constraints on columns the file lacks or holds as nested
** fields are left out, which is always sound).  The caller still filters
** the rows.  A data file whose identity partition values already rule it
** out is not opened at all.  preds must outlive the reader.  Call before
** the first row. */
void ice_reader_prune(ice_reader *r, const pq_pred *preds, int npreds);
/* Columns the caller does not use (unread[i]; NULL: every column is
** used): not read, NULL in every row (unless an equality delete compares
** them).  unread must outlive the reader.  Call before the first row. */
void ice_reader_project(ice_reader *r, const bool *unread);
/* The next row (ncols values), or *row NULL at the end. */
orb_status ice_reader_next(ice_reader *r, const orb_value **row, orb_err *e);
/* The next column batch (ncols columns, never without rows), or *b NULL
** at the end; valid until the next call.  The rows of one batch are
** consecutive rows of one row group of one data file, some perhaps left
** out of the selection by deletes. */
orb_status ice_reader_next_vec(ice_reader *r, const orb_vbatch **b, orb_err *e);
/* Where the row ice_reader_next last returned is: the index of its data
** file in the plan's files and its 0-based position in that file (as
** position deletes count: rows deleted before it, and row groups pruning
** skipped, still count).  After ice_reader_next_vec: where the batch's
** row 0 is (row r is at *pos + r). */
void ice_reader_position(const ice_reader *r, int *file, int64_t *pos);
/* What the reader did so far (the current file included). */
ice_read_counts ice_reader_counts(const ice_reader *r);
void ice_reader_free(ice_reader *r);

/* A partition tuple's (or a bound's) Avro value as a SQL value of Iceberg
** type t (identity partition values); a value written before a promotion
** (int for long, float for double, a narrower decimal) is widened. */
orb_status ice_avro_to_value(const avro_value *v, const ice_type *t, orb_arena *a, orb_value *out, orb_err *e);

#endif
