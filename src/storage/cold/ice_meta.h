/*
** storage/cold/ice_meta.h — Apache Iceberg table metadata: the model, its
** JSON reader and writer, finding a table's current metadata file,
** file-system commits, and re-rooting paths of a relocated table.
**
** An Iceberg table is a folder with metadata/ (JSON table metadata, Avro
** manifest lists and manifests) and data/ (Parquet).  The JSON metadata file
** is the root of everything: schemas by id, partition specs, sort orders,
** snapshots (each naming its manifest list), refs, and the logs.  This module
** reads it into the structs below, following apache/iceberg format/spec.md
** ("Table Metadata Fields", "Appendix C: JSON serialization").
**
**   ice_meta m;
**   if (ice_meta_open(arena, "/path/to/table", &m, &err) != ORB_OK) ...
**   const ice_schema *s = ice_meta_current_schema(&m);
**
** Format versions 1 and 2 are read (v1's `schema` and `partition-spec` stand
** in for the lists when those are absent); 3 and higher are refused with
** "format version 3 is not supported".  The writer writes format version 2.
**
** Untrusted input: every field's JSON type is checked, required fields are
** named when missing, ids are cross-checked (current schema, default spec,
** current snapshot exist) and errors name the file and the JSON path:
**   iceberg metadata "v3.metadata.json": snapshots[3].sequence-number: expected an integer
** The file (and a gzip file's inflated text) is limited to ICE_META_MAX_BYTES
** and nesting of types to ICE_MAX_TYPE_DEPTH, so no input makes the reader
** allocate without bound or recurse deeply.  A file may be gzip-compressed
** (`.gz.metadata.json` or `.metadata.json.gz`); it is recognised by its magic
** bytes, not by its name.
**
** Nothing is lost on the way through: keys this model does not know (for
** example `statistics`, `partition-statistics`, a field's `doc`) are kept as
** JSON text in `extra` lists beside the known ones and written back as they
** came, so parse -> write -> parse is the identity.
**
** Ownership: every string, array and struct of an ice_meta lives in the
** arena passed to the reader; the model is freed with the arena.  Strings are
** NUL-terminated UTF-8 (JSON cannot carry a NUL here: the parser refuses
** "\u0000").  Code that changes a model (a commit) allocates from an arena
** of its own choosing; nothing is freed alone.
**
** Names: ice_ prefix (DESIGN.md).  Field ids are Iceberg's, everywhere.
*/
#ifndef ORB_STORAGE_COLD_ICE_META_H
#define ORB_STORAGE_COLD_ICE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "types/types.h"

#define ICE_META_MAX_BYTES ((size_t)32 << 20)    /* a metadata file, raw or inflated */
#define ICE_MAX_TYPE_DEPTH 64                    /* struct/list/map nesting */

/* --- key/value lists and unknown keys -------------------------------------- */

/* One string pair, in file order (properties, snapshot summaries). */
typedef struct ice_kv {
  const char *key;
  const char *value;
} ice_kv;

/* An object key this model does not interpret, with its value as compact
** JSON text; written back unchanged. */
typedef struct ice_extra {
  const char *key;
  const char *json;
} ice_extra;

typedef struct ice_extras {
  ice_extra *items;
  int n;
} ice_extras;

/* --- types ---------------------------------------------------------------- */

typedef enum ice_type_kind {
  ICE_BOOLEAN = 1, ICE_INT, ICE_LONG, ICE_FLOAT, ICE_DOUBLE, ICE_DECIMAL, ICE_DATE, ICE_TIME,
  ICE_TIMESTAMP, ICE_TIMESTAMPTZ, ICE_TIMESTAMP_NS, ICE_TIMESTAMPTZ_NS, ICE_STRING, ICE_UUID,
  ICE_FIXED, ICE_BINARY,
  ICE_STRUCT, ICE_LIST, ICE_MAP
} ice_type_kind;

typedef struct ice_type ice_type;

/* A struct field (schemas' top-level columns are fields of the schema's
** struct).  Defaults are kept as the JSON single-value text they came as. */
typedef struct ice_field {
  int32_t id;
  const char *name;
  bool required;
  ice_type *type;
  const char *doc;               /* NULL when absent */
  const char *initial_default;   /* JSON text, NULL when absent */
  const char *write_default;     /* JSON text, NULL when absent */
  ice_extras extra;
} ice_field;

struct ice_type {
  ice_type_kind kind;
  int32_t precision, scale;      /* ICE_DECIMAL: 1..38, 0..precision */
  int32_t length;                /* ICE_FIXED: bytes, >= 1 */
  ice_field *fields;             /* ICE_STRUCT */
  int nfields;
  int32_t element_id;            /* ICE_LIST */
  bool element_required;
  ice_type *element;
  int32_t key_id, value_id;      /* ICE_MAP (keys are always required) */
  bool value_required;
  ice_type *key, *value;
  ice_extras extra;              /* unknown keys of a nested type's object */
};

typedef struct ice_schema {
  int32_t schema_id;
  ice_field *fields;
  int nfields;
  int32_t *identifier_ids;       /* identifier-field-ids (the primary key) */
  int nidentifier;
  bool has_identifier;           /* the key was present (even as []) */
  ice_extras extra;
} ice_schema;

/* --- partition specs and sort orders ------------------------------------- */

typedef enum ice_transform_kind {
  ICE_TR_UNKNOWN = 0,            /* kept by name; readers ignore it */
  ICE_TR_IDENTITY, ICE_TR_BUCKET, ICE_TR_TRUNCATE, ICE_TR_YEAR, ICE_TR_MONTH, ICE_TR_DAY,
  ICE_TR_HOUR, ICE_TR_VOID
} ice_transform_kind;

typedef struct ice_transform {
  ice_transform_kind kind;
  int32_t param;                 /* bucket[N]: N; truncate[W]: W; else 0 */
  const char *text;              /* as written in the file ("bucket[16]") */
} ice_transform;

typedef struct ice_partition_field {
  int32_t source_id;
  int32_t field_id;              /* v1 files without it: 1000, 1001, ... per spec */
  const char *name;
  ice_transform transform;
  ice_extras extra;
} ice_partition_field;

typedef struct ice_partition_spec {
  int32_t spec_id;
  ice_partition_field *fields;
  int nfields;
  ice_extras extra;
} ice_partition_spec;

typedef struct ice_sort_field {
  ice_transform transform;
  int32_t source_id;
  bool descending;               /* "desc" */
  bool nulls_first;              /* "nulls-first" */
  ice_extras extra;
} ice_sort_field;

typedef struct ice_sort_order {
  int32_t order_id;
  ice_sort_field *fields;
  int nfields;
  ice_extras extra;
} ice_sort_order;

/* --- snapshots, refs, logs ------------------------------------------------ */

typedef struct ice_snapshot {
  int64_t snapshot_id;
  bool has_parent;
  int64_t parent_id;
  int64_t sequence_number;       /* 0 for v1 snapshots */
  int64_t timestamp_ms;
  const char *manifest_list;     /* NULL only in v1 files listing `manifests` (kept in extra) */
  ice_kv *summary;               /* summary["operation"] first in v2 files */
  int nsummary;
  bool has_schema_id;
  int32_t schema_id;
  ice_extras extra;
} ice_snapshot;

typedef struct ice_ref {
  const char *name;
  bool is_tag;                   /* "tag"; else "branch" */
  int64_t snapshot_id;
  int64_t min_snapshots_to_keep; /* -1 when absent */
  int64_t max_snapshot_age_ms;   /* -1 when absent */
  int64_t max_ref_age_ms;        /* -1 when absent */
  ice_extras extra;
} ice_ref;

typedef struct ice_snapshot_log_entry {
  int64_t timestamp_ms;
  int64_t snapshot_id;
  ice_extras extra;
} ice_snapshot_log_entry;

typedef struct ice_metadata_log_entry {
  int64_t timestamp_ms;
  const char *metadata_file;
  ice_extras extra;
} ice_metadata_log_entry;

/* --- the table metadata --------------------------------------------------- */

typedef struct ice_meta {
  int format_version;            /* 1 or 2 */
  const char *table_uuid;        /* NULL only in v1 files without one */
  const char *location;
  int64_t last_sequence_number;  /* 0 in v1 files */
  int64_t last_updated_ms;
  int32_t last_column_id;
  ice_schema *schemas;
  int nschemas;
  int32_t current_schema_id;
  ice_partition_spec *specs;
  int nspecs;
  int32_t default_spec_id;
  int32_t last_partition_id;
  ice_sort_order *sort_orders;
  int nsort_orders;
  int32_t default_sort_order_id;
  ice_kv *properties;
  int nproperties;
  int64_t current_snapshot_id;   /* -1 = no snapshot (also when absent or null) */
  ice_snapshot *snapshots;
  int nsnapshots;
  ice_ref *refs;                 /* a v1 file without refs gets "main" -> current snapshot */
  int nrefs;
  ice_snapshot_log_entry *snapshot_log;
  int nsnapshot_log;
  ice_metadata_log_entry *metadata_log;
  int nmetadata_log;
  ice_extras extra;              /* statistics, partition-statistics, ... */
  bool partial;                  /* ice_meta_parse_current left history out: see there */
} ice_meta;

/* --- reading -------------------------------------------------------------- */

/* Parse metadata JSON (plain or gzip, by magic) from memory.  `name` names
** the file in errors.  Everything is allocated from `a`. */
orb_status ice_meta_parse(orb_arena *a, const void *data, size_t len, const char *name, ice_meta *out,
                          orb_err *e);

/* ice_meta_parse for a reader of the current snapshot only (a scan, a
** count): the `snapshots` list keeps the current snapshot and those refs
** name, and the snapshot log and metadata log are left empty, without
** building the JSON of the rest — a table's history can be most of its
** metadata file, and the cost of reading it grew with every commit.  The
** model is marked `partial` when something was left out; for anything else
** (time travel, SHOW SNAPSHOTS, a commit, maintenance) parse the same
** bytes with ice_meta_parse; the writer refuses a partial model.  What is
** kept is checked exactly as ice_meta_parse checks it, and bad input gives
** its errors; what is left out is not looked at beyond its brackets and
** strings.  (ice_meta_current.c) */
orb_status ice_meta_parse_current(orb_arena *a, const void *data, size_t len, const char *name, ice_meta *out,
                                  orb_err *e);

/* The JSON text of a metadata file's bytes (checked against
** ICE_META_MAX_BYTES): `data` itself, or, gzip by its magic, the inflated
** text, then also in *inflated (orb_free it; else NULL). */
orb_status ice_meta_text(const void *data, size_t len, const char *name, const char **text, size_t *textlen,
                         char **inflated, orb_err *e);

/* Read and parse one metadata file. */
orb_status ice_meta_read_file(orb_arena *a, const char *path, ice_meta *out, orb_err *e);
/* The same with ice_meta_parse_current: the current snapshot only. */
orb_status ice_meta_read_file_current(orb_arena *a, const char *path, ice_meta *out, orb_err *e);

/* Lookups by id; NULL when there is none. */
const ice_schema *ice_meta_schema(const ice_meta *m, int32_t schema_id);
const ice_schema *ice_meta_current_schema(const ice_meta *m);
const ice_partition_spec *ice_meta_spec(const ice_meta *m, int32_t spec_id);
const ice_snapshot *ice_meta_snapshot(const ice_meta *m, int64_t snapshot_id);
const ice_snapshot *ice_meta_current_snapshot(const ice_meta *m);
const char *ice_kv_get(const ice_kv *kv, int n, const char *key);

/* The main branch's snapshot current at wall-clock time `ms` (milliseconds
** since the epoch), from the snapshot-log (it records which snapshot became
** current when; the snapshot list alone when a writer kept no log): the
** entry stamped latest at or before ms, the later one in log order among
** entries stamped in the same millisecond.  -1 when nothing was current
** then.  *first_ms (may be NULL) gets the earliest stamp the log (or list)
** has, INT64_MAX when it is empty.  The id returned may name a snapshot
** expired since (ice_meta_snapshot says NULL). */
int64_t ice_meta_snapshot_at(const ice_meta *m, int64_t ms, int64_t *first_ms);

/* --- types ---------------------------------------------------------------- */

/* The spec's name of a type ("long", "decimal(9, 2)", "fixed[16]", "struct");
** the returned string is static or from `a`. */
const char *ice_type_name(orb_arena *a, const ice_type *t);

/* Parse a primitive type string (whitespace allowed around parameters). */
orb_status ice_type_parse_primitive(const char *s, ice_type *out, orb_err *e);

/* Parse a transform string; unknown names give ICE_TR_UNKNOWN, not an error.
** bucket[N] and truncate[W] need 1 <= N, W <= INT32_MAX. */
ice_transform ice_transform_parse(const char *s);

/* The engine's SQL type for an Iceberg type: boolean->BOOL, int->INTEGER,
** long->BIGINT, float->REAL, double->DOUBLE, decimal(P,S)->DECIMAL(P,S),
** date, time, timestamp(_ns)->TIMESTAMP, timestamptz(_ns)->TIMESTAMPTZ
** (nanoseconds truncate to microseconds, as the Parquet reader does),
** string->TEXT, uuid->UUID, binary and fixed[N]->BYTEA.  struct, list and map
** have no SQL type yet: ORB_ERR_UNSUPPORTED naming the type, so that a
** caller can skip such a column. */
orb_status ice_sql_type(const ice_type *t, orb_type *out, orb_err *e);

/* --- writing -------------------------------------------------------------- */

/* Serialize a model as format-version 2 JSON (pretty, 2-space indent, the
** spec's key names, unknown keys written back).  The text is malloc'd
** (orb_free it).  Fails only on a model that v2 cannot express (no
** table-uuid). */
orb_status ice_meta_to_json(const ice_meta *m, char **json, size_t *len, orb_err *e);

/* One schema, and one partition spec's field list, as compact JSON text
** (what manifests carry in their Avro headers as `schema` and
** `partition-spec`).  malloc'd (orb_free it); NULL only if out of memory. */
char *ice_schema_to_json(const ice_schema *s);
char *ice_spec_fields_to_json(const ice_partition_spec *s);

/* --- a table folder ------------------------------------------------------- */

/* How a metadata file was found: its path, its version number (from
** vN.metadata.json, NNNNN-<uuid>.metadata.json, or 0 for a file given
** directly whose name carries none). */
typedef struct ice_meta_file {
  const char *path;
  int64_t version;
} ice_meta_file;

/* The current metadata file of `where`: a table folder (or its metadata/
** folder) or a metadata file given directly.  In a folder,
** metadata/version-hint.text names version N when present and readable; the
** newest of vN, vN+1, ... that exists wins (probing forward past the hint, as
** Java's HadoopTableOperations does).  Otherwise (no hint, or it is garbage
** or names a missing file) the highest-numbered vN.metadata.json or
** NNNNN-<uuid>.metadata.json, gzip variants included.  Two different files
** claiming the highest version are an error, not a guess. */
orb_status ice_find_current(orb_arena *a, const char *where, ice_meta_file *out, orb_err *e);

/* The version a metadata file's name (no folder) carries: vN.metadata.json
** or NNNNN-<uuid>.metadata.json, gzip spellings included; -1 for any other
** name (temporary files, version-hint.text). */
int64_t ice_meta_file_version(const char *name);

/* ice_find_current + ice_meta_read_file. */
orb_status ice_meta_open(orb_arena *a, const char *where, ice_meta *out, ice_meta_file *file, orb_err *e);

/* Commit `next` as version base_version + 1 of the table in folder
** `table_dir`, as a file-system table does: write it to a unique temporary
** file in metadata/, fsync, publish it as v<N+1>.metadata.json with link()
** (never overwriting), fsync the folder, then rewrite version-hint.text
** atomically.  A concurrent committer that published N+1 first makes this
** fail with ORB_ERR_CONFLICT ("... was committed by another writer: reload
** and retry") and leaves nothing behind.  `published` (may be NULL) gets the
** new file's path, from `a`. */
orb_status ice_meta_commit(orb_arena *a, const char *table_dir, int64_t base_version, const ice_meta *next,
                           const char **published, orb_err *e);

/* Make `next` (the caller's changed copy of `base`) ready to commit over the
** metadata file `base_file`, as Java's writer does: last-updated-ms becomes
** now_ms (never earlier than base's), and the metadata-log gains the base
** file's entry (its name under `<location>/metadata/`, base's
** last-updated-ms), keeping only the newest `write.metadata.previous-versions-max`
** entries (table property, default 100, at least 1).  The new log array is
** from `a`; base is not changed.  A bad property value is an error. */
orb_status ice_meta_prepare_commit(orb_arena *a, const ice_meta *base, const char *base_file, int64_t now_ms,
                                   ice_meta *next, orb_err *e);

/* After `next` was committed over `base`: when the table property
** write.metadata.delete-after-commit.enabled is "true" (Java's name; default
** false), delete the metadata files of base's metadata log that next's log
** no longer lists (the cap write.metadata.previous-versions-max pushed them
** out).  Files outside the table's location are left alone.  Failures to
** delete are ignored: the commit happened, and orphan removal retries. */
void ice_meta_delete_dropped(orb_arena *a, const char *table_dir, const ice_meta *base, const ice_meta *next);

/* --- paths ---------------------------------------------------------------- */

/* Re-root `path` from the table's `location` onto the local folder
** `table_dir`.  Both are normalized first: the scheme is lower-cased, s3a://
** and s3n:// read as s3://, file:/x and file:///x as /x, "./" segments and
** repeated or trailing slashes dropped.  A path under the location becomes
** table_dir + the rest (*rerooted = true); a path elsewhere comes back as it
** was (*rerooted = false).  A path under the location with a ".." segment is
** refused (ORB_ERR_CORRUPT): it would escape the folder.  *out is from `a`. */
orb_status ice_reroot(orb_arena *a, const char *location, const char *table_dir, const char *path,
                      const char **out, bool *rerooted, orb_err *e);

/* The normalized form used above (from `a`). */
const char *ice_path_normalize(orb_arena *a, const char *path);

#endif
