/*
** storage/cold/ice_evolve.h — schema evolution and partition-spec
** evolution of an Iceberg table: the edits that make the next table
** metadata from the current one, for ice_meta_update (ice_commit.h) to
** commit with its retries.
**
** Both follow apache/iceberg format/spec.md ("Schema Evolution",
** "Partition Evolution", "Table Metadata Fields") for format version 2, and
** the choices of Java's reference implementation where the spec leaves room:
**
** Schemas.  Every change appends a new schema to `schemas` and makes it
** current; older schemas stay (snapshots keep naming theirs).  A change
** that gives a schema identical to an existing one (same fields, ids,
** names, types, requiredness and identifier ids: renaming a column and
** back) makes that one current instead of adding a duplicate, as Java
** does; otherwise the new schema-id is one more than the highest.  A new
** column gets id last-column-id + 1 and last-column-id never decreases, so
** an id is never reused, not even after a drop.  What is allowed:
**
**   add      a new optional top-level column (v2 cannot add a required one:
**            existing files have no values for it), of a primitive type
**            or a list of one, whose element takes the id after the
**            column's (as Java assigns them)
**   drop     not an identifier field (the primary key), not a source
**            column of a partition field of any spec the table has had:
**            Java's metadata parser binds every spec to the current
**            schema and fails on a missing source column
**            (apache/iceberg#4563; Trino refuses such drops too), so
**            dropping it would make the table unreadable to other engines
**   rename   to a name no other top-level column has; partition fields
**            keep their names (Java keeps them too: a partition field's
**            name is its own, and the id links it to the column)
**   type     int -> long, float -> double, decimal(P,S) -> decimal(P2,S)
**            with P2 > P; the same type again is no change
**   optional a required column becomes optional (not an identifier field);
**            optional -> required is never allowed (old rows may be NULL)
**
** Partition specs.  The new spec is the default spec with the change
** applied; it becomes the default (new data is written with it) and every
** other spec stays, so files written earlier keep theirs and are read and
** pruned with it.  v2 removes a dropped field outright (v1 tables would
** replace it with a void transform; this writer writes v2 only).  A field
** added with a (source column, transform) that some earlier spec of the
** table had — and the same name when a name is given — takes that field's
** id again, as Java does, so one id always means one transform of one
** column; any other new field takes last-partition-id + 1.  A new spec
** identical to an existing one (fields, ids, names, in order) is reused
** instead of duplicated; otherwise its spec-id is one more than the
** highest.  Field names must be unique in a spec, and a name that is a
** column's must be that column's identity partition (Java's rule: a filter
** on the name must mean one thing).
**
** Partition field texts are pg_lake's / Spark's transform terms as
** ice_spec_parse reads them: "bucket(16, id)", "day(ts)", "truncate(4, s)",
** "id" (identity).  A field to drop or replace is named by such a term or
** by its partition field name ("ts_day").
**
** Errors say what was refused and why, PostgreSQL-style, with the codes
** the SQL layer turns into SQLSTATEs: ORB_ERR_UNDEFINED (no such column or
** partition field), ORB_ERR_DUPLICATE (a name taken, a field already
** there), ORB_ERR_TYPE (a type change Iceberg does not allow),
** ORB_ERR_UNSUPPORTED (a required column added, an identifier or partition
** source dropped, optional -> required); SQLSTATEs set here: a partition
** field that does not exist 42704, one that exists already 42710, a column
** name taken 42701.
**
** Everything new is allocated from the arena given; `base` is never
** written.
**
** Names: ice_ prefix (DESIGN.md).
*/
#ifndef ORB_STORAGE_COLD_ICE_EVOLVE_H
#define ORB_STORAGE_COLD_ICE_EVOLVE_H

#include "storage/cold/ice_meta.h"

/* --- schema evolution ------------------------------------------------------ */

typedef enum ice_schema_op {
  ICE_ADD_COLUMN = 1,            /* name, type (primitive or list of one), required (refused when true) */
  ICE_DROP_COLUMN,               /* field_id */
  ICE_RENAME_COLUMN,             /* field_id, name: the new name */
  ICE_UPDATE_TYPE,               /* field_id, type: the promoted type */
  ICE_MAKE_OPTIONAL,             /* field_id */
  ICE_MAKE_REQUIRED              /* field_id: always refused (here so that the refusal is one place) */
} ice_schema_op;

typedef struct ice_schema_change {
  ice_schema_op op;
  int32_t field_id;              /* a top-level column of the current schema */
  const char *name;
  ice_type type;
  bool required;
} ice_schema_change;

/* Whether a column of type `from` may become `to` (spec "Schema Evolution",
** v2: int -> long, float -> double, decimal precision widened with the same
** scale; identical primitive types count as allowed). */
bool ice_type_promotable(const ice_type *from, const ice_type *to);

/* Deep equality of two types (nested ids, names, requiredness included). */
bool ice_type_equal(const ice_type *x, const ice_type *y);

/* The edit: next (a shallow copy of base) gets base's current schema with
** change c applied as its new current schema.  *field_id (may be NULL)
** gets the column's id (the new one for ICE_ADD_COLUMN). */
orb_status ice_schema_update(orb_arena *a, const ice_meta *base, const ice_schema_change *c, ice_meta *next,
                             int32_t *field_id, orb_err *e);

/* --- partition spec evolution --------------------------------------------- */

typedef enum ice_spec_op {
  ICE_SPEC_ADD_FIELD = 1,        /* term (a transform term), as (NULL: Java's name) */
  ICE_SPEC_DROP_FIELD,           /* term: a transform term or a partition field name */
  ICE_SPEC_REPLACE_FIELD,        /* term: the field to drop; with: its replacement's term; as */
  ICE_SPEC_SET                   /* term: a whole spec ("day(ts), bucket(16, id)"; "" unpartitioned) */
} ice_spec_op;

typedef struct ice_spec_change {
  ice_spec_op op;
  const char *term;
  const char *with;
  const char *as;
} ice_spec_change;

/* The edit: next (a shallow copy of base) gets the default spec with change
** c applied as its default spec (new or reused, see above). */
orb_status ice_spec_update(orb_arena *a, const ice_meta *base, const ice_spec_change *c, ice_meta *next, orb_err *e);

#endif
