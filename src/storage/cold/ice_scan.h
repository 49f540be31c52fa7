/*
** storage/cold/ice_scan.h — Iceberg scan planning: which data files a
** snapshot holds and which delete files apply to each.
**
** From a snapshot (the table's current one, or one given by id) the planner
** reads the manifest list and every manifest it names (Avro, fields matched
** by field id, so v1 and v2 field sets and writers that name fields
** differently all read), and keeps the live entries (status EXISTING or
** ADDED): data files with their partition tuple and record count, and
** delete files.  Following apache/iceberg format/spec.md:
**
**   - an entry's null sequence_number / file_sequence_number / snapshot_id
**     is inherited from its manifest (manifest list fields 515 and 503);
**     v1 tables have sequence number 0 everywhere;
**   - a position delete file applies to data files of data sequence number
**     <= its own, an equality delete file to those of a number < its own;
**   - both only within their partition (same spec id and equal partition
**     tuple), unless the delete's spec is unpartitioned (a global delete);
**   - a position delete file with referenced_data_file applies to that one
**     data file only.
**
** Every path is re-rooted onto the table folder (ice_reroot) so that a
** table copied or mounted elsewhere still reads; the original path is kept
** too, because position delete files name data files by it.
**
**   ice_plan p;
**   if (ice_scan_plan(arena, &meta, table_dir, -1, &p, &err) != ORB_OK) ...
**   for (int i = 0; i < p.nfiles; i++) ... p.files[i].path, p.files[i].deletes ...
**
** Untrusted input: manifests are read with the Avro reader's limits, a
** required field that is missing or of the wrong kind is an error naming
** the manifest and the field, and the number of files is bounded by what
** the manifests hold.  Delete vectors (v3) never get here: format version 3
** is refused by ice_meta.
**
** Ownership: everything in an ice_plan lives in the arena passed in.
*/
#ifndef ORB_STORAGE_COLD_ICE_SCAN_H
#define ORB_STORAGE_COLD_ICE_SCAN_H

#include "formats/avro/avro.h"
#include "storage/cold/ice_meta.h"

/* data_file.content */
enum { ICE_CONTENT_DATA = 0, ICE_CONTENT_POS_DELETES = 1, ICE_CONTENT_EQ_DELETES = 2 };

typedef struct ice_file ice_file;

/* One live file of the snapshot (data or delete). */
struct ice_file {
  int content;                   /* ICE_CONTENT_* */
  const char *path;              /* re-rooted onto the table folder when under its location */
  const char *orig_path;         /* as written in the manifest */
  bool outside;                  /* not under the table's location: path is orig_path */
  const char *format;            /* "PARQUET", "AVRO", "ORC" (upper-cased) */
  int32_t spec_id;
  const avro_schema *partition_type;   /* the manifest's partition struct (r102) */
  const avro_value *partition;   /* the tuple, a record of partition_type */
  int64_t record_count;
  int64_t file_size;
  int64_t seq;                   /* data sequence number (inherited when null) */
  int64_t snapshot_id;
  int32_t *equality_ids;         /* equality deletes: field ids */
  int nequality_ids;
  const char *referenced_data_file;    /* position deletes: NULL when absent */
  ice_file **deletes;            /* data files: the delete files that apply */
  int ndeletes;
};

typedef struct ice_plan {
  const ice_meta *meta;
  const ice_snapshot *snapshot;  /* NULL: the table has no snapshot (no rows) */
  const ice_schema *schema;      /* the snapshot's schema (else the current one) */
  ice_file *files;               /* live data files, in manifest order */
  int nfiles;
  ice_file *delete_files;        /* live delete files */
  int ndelete_files;
  int nmanifests;
  int64_t records;               /* sum of the data files' record counts */
  bool any_deletes;              /* some delete file applies to some data file */
} ice_plan;

/* Plan a scan of snapshot `snapshot_id` (-1: the current one) of table
** metadata m, whose folder is table_dir (paths re-rooted onto it).  An
** unknown snapshot id is ORB_ERR_UNDEFINED. */
orb_status ice_scan_plan(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id, ice_plan *out,
                         orb_err *e);

/* Open the table at `where` (a table folder or a metadata file, as
** ice_meta_open finds it) into m and plan snapshot_id of it.  The folder
** paths are re-rooted onto is the metadata file's folder's parent when that
** folder is named "metadata", else the metadata file's folder. */
orb_status ice_scan_open(orb_arena *a, const char *where, int64_t snapshot_id, ice_meta *m, ice_plan *out, orb_err *e);

/* Plan from one manifest given as a file image, as if a manifest list named
** it with that spec id, sequence number and added snapshot id (tests,
** fuzzing): its live entries and the delete files that apply to each. */
orb_status ice_scan_manifest_image(orb_arena *a, const ice_meta *m, const void *img, size_t len, int32_t spec_id,
                                   int64_t seq, int64_t snapshot_id, ice_plan *out, orb_err *e);

/* The partition tuple's value of partition field `field_id`, NULL when the
** tuple has no such field. */
const avro_value *ice_partition_value(const ice_file *f, int32_t field_id);

#endif
