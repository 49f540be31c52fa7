/*
** storage/cold/ice_write_int.h — private to the Iceberg writer
** (ice_create.c, ice_append.c, ice_manifest_write.c): what a written data
** file's manifest entry holds, and the manifest and manifest list writers.
*/
#ifndef ORB_STORAGE_COLD_ICE_WRITE_INT_H
#define ORB_STORAGE_COLD_ICE_WRITE_INT_H

#include "base/buf.h"
#include "formats/avro/avro.h"
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
} ice_data_file;

void ice_data_file_free(ice_data_file *f);

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
** caller's).  The header carries schema, schema-id, partition-spec,
** partition-spec-id, format-version 2 and content "data". */
orb_status ice_manifest_write(orb_arena *a, const ice_schema *schema, const ice_partition_spec *spec,
                              const ice_part_field *pf, int npf, ice_data_file *const *files, int nfiles,
                              int64_t snapshot_id, orb_buf *out, ice_manifest_ref *ref, orb_err *e);

/* Write a manifest list of refs into out (header: snapshot-id,
** parent-snapshot-id, sequence-number, format-version). */
orb_status ice_manifest_list_write(const ice_manifest_ref *refs, int nrefs, int64_t snapshot_id, bool has_parent,
                                   int64_t parent_id, int64_t seq, orb_buf *out, orb_err *e);

/* Read the entries of an existing manifest list (what carries forward). */
orb_status ice_manifest_list_read(orb_arena *a, const char *path, ice_manifest_ref **refs, int *nrefs, orb_err *e);

#endif
