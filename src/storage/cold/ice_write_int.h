/*
** storage/cold/ice_write_int.h — private to the Iceberg writer
** (ice_create.c, ice_append.c, ice_manifest_write.c, ice_commit.c,
** ice_rowdelta.c): what a written data or delete file's manifest entry
** holds, the manifest and manifest list writers, what a snapshot changes
** (for its summary), and an append used as part of a larger change.
*/
#ifndef ORB_STORAGE_COLD_ICE_WRITE_INT_H
#define ORB_STORAGE_COLD_ICE_WRITE_INT_H

#include "base/buf.h"
#include "formats/avro/avro.h"
#include "formats/parquet/parquet.h"
#include "types/value.h"
#include "storage/cold/ice_write.h"

/* A random (version 4) UUID as 36 characters and a NUL. */
orb_status ice_uuid_v4(char out[37], orb_err *e);

/* One column's metrics in a data file. */
typedef struct ice_col_metrics {
  int32_t field_id;
  int64_t size;                  /* compressed bytes of its chunks */
  int64_t values, nulls, nans;   /* nans: -1 for types that have none */
  bool has_lower, has_upper;
  orb_buf lower, upper;          /* single-value serialization */
} ice_col_metrics;

/* A closed data file, as its manifest entry describes it. */
typedef struct ice_data_file {
  char *location;                /* its path in the table's location terms */
  char *local;                   /* its path on this machine */
  int64_t records, size;
  int ncols;
  ice_col_metrics *cols;
  int64_t *split_offsets;
  int nsplits;
  orb_value *partition;          /* one per partition field (the spec's) */
  const char *referenced;        /* position delete files: the one data file it covers (location terms), or NULL */
} ice_data_file;

void ice_data_file_free(ice_data_file *f);

/* The Parquet file at f->local, just closed by its writer: fsync it, set
** f->size from the file system and each of f's ncols columns' size
** (compressed bytes of its chunks) from its footer, which *pm gets
** (pq_meta_free it; NULL on failure). */
orb_status ice_data_file_seal(ice_data_file *f, pq_file_meta **pm, orb_err *e);

/* One manifest list entry (spec "Manifest Lists"). */
typedef struct ice_manifest_ref {
  const char *path;
  int64_t length;
  int32_t spec_id;
  int32_t content;
  int64_t seq, min_seq;
  int64_t added_snapshot_id;
  int32_t added_files, existing_files, deleted_files;
  int64_t added_rows, existing_rows, deleted_rows;
  bool has_partitions;
  int npartitions;
  struct ice_part_summary {
    bool contains_null;
    bool has_contains_nan, contains_nan;
    bool has_lower, has_upper;
    const uint8_t *lower, *upper;
    size_t lower_len, upper_len;
  } *partitions;
} ice_manifest_ref;

/* The partition struct's fields of a spec over a schema: name, field id
** and result type of each transform. */
typedef struct ice_part_field {
  const char *name;
  int32_t field_id;
  int32_t source_id;
  int source_col;                /* the source's position among the schema's top-level fields */
  ice_transform transform;
  ice_type result;
  const ice_type *source;
} ice_part_field;

/* Write the manifest of `files` (status ADDED, snapshot id, sequence
** numbers inherited: null) as an Avro file image into out, and fill ref's
** counts and partition summaries (ref's path, length, seq are the
** caller's).  content: ICE_CONTENT_DATA (ice_scan.h) for data files, or
** ICE_CONTENT_POS_DELETES for position delete files: the manifest's
** content is then 1 ("deletes" in the header, 1 in the manifest list) and
** each entry's data_file.content 1, with referenced_data_file when the
** file names one.  The header carries schema, schema-id, partition-spec,
** partition-spec-id, format-version 2 and content. */
orb_status ice_manifest_write(orb_arena *a, const ice_schema *schema, const ice_partition_spec *spec,
                              const ice_part_field *pf, int npf, int content, ice_data_file *const *files, int nfiles,
                              int64_t snapshot_id, orb_buf *out, ice_manifest_ref *ref, orb_err *e);

/* Write a manifest list of refs into out (header: snapshot-id,
** parent-snapshot-id, sequence-number, format-version). */
orb_status ice_manifest_list_write(const ice_manifest_ref *refs, int nrefs, int64_t snapshot_id, bool has_parent,
                                   int64_t parent_id, int64_t seq, orb_buf *out, orb_err *e);

/* Read the entries of an existing manifest list (what carries forward). */
orb_status ice_manifest_list_read(orb_arena *a, const char *path, ice_manifest_ref **refs, int *nrefs, orb_err *e);

/* What a snapshot changes, for its summary (the keys Java's SnapshotSummary
** writes: added-data-files, deleted-data-files, added-records,
** deleted-records, added-files-size, removed-files-size,
** added-delete-files, added-position-delete-files,
** added-equality-delete-files, removed-*-delete-files,
** added-position-deletes, removed-position-deletes, added/removed
** equality deletes; each only when not 0) and for the totals carried
** forward from the parent (total-records, total-files-size,
** total-data-files, total-delete-files, total-position-deletes,
** total-equality-deletes).  Sizes count data and delete files alike, as
** Java's do.  total-records counts data rows only: deletes do not lower it. */
typedef struct ice_summary_delta {
  int64_t added_data_files, deleted_data_files;
  int64_t added_records, deleted_records;
  int64_t added_files_size, removed_files_size;
  int64_t added_pos_delete_files, removed_pos_delete_files;
  int64_t added_eq_delete_files, removed_eq_delete_files;
  int64_t added_pos_deletes, removed_pos_deletes;
  int64_t added_eq_deletes, removed_eq_deletes;
  int changed_partitions;        /* -1: not written */
  /* rewrite_manifests (Java's keys manifests-created, manifests-kept,
  ** manifests-replaced, entries-processed; written only when not 0) */
  int64_t manifests_created, manifests_kept, manifests_replaced, entries_processed;
} ice_summary_delta;

/* Appends as part of a larger change (ice_rowdelta.c's UPDATE): close the
** appender's files and write their manifest for snapshot snapshot_id (mref
** its manifest list entry, delta what it adds); an append of no rows
** writes nothing and leaves *mref zeroed (mref->path NULL).  Then release
** the appender: with remove_files its data files and manifest go too (the
** commit did not happen). */
orb_status ice_append_prepare(ice_append *app, int64_t snapshot_id, ice_manifest_ref *mref, ice_summary_delta *delta,
                              orb_err *e);
void ice_append_release(ice_append *app, bool remove_files);
/* Whether some data file of the append (its default spec's) has partition tuple `tuple`. */
bool ice_append_has_partition(const ice_append *app, const orb_value *tuple);

#endif
