/*
** storage/rowcodec.h — rows encoded by field id, for the log and snapshots.
**
** A row is written as a list of (field id, value) pairs, not by position,
** so that a record logged under one schema can be read back under a later
** one: fields the reader's schema does not know are skipped, and columns
** the record does not mention read as SQL NULL.  This is what lets the
** write-ahead log and checkpoint snapshots survive ALTER TABLE.
**
** Encoding (all integers LEB128 varints unless noted):
**
**   row   := nfields { field_id tag value }
**   tag   := 0 for SQL NULL, else the orb_type_id of the value
**   value := BOOL u8 | INT*, DATE, TIME, TIMESTAMP* zigzag varint
**          | FLOAT32/64 u64 (IEEE bits) | DECIMAL u8 scale + 16 bytes LE
**          | TEXT/BYTEA varint length + bytes | UUID 16 bytes
**          | INTERVAL zigzag months, days, micros
**          | ARRAY u8 element type id, zigzag lower bound, varint count,
**            then count elements, each a tag and value as above (tag 0 for
**            a NULL element; elements are never arrays)
**
** rowcodec_put() appends a row (ncols values in `schema` order) to a buffer;
** `only` (may be NULL) restricts it to the columns whose flag is set.
** rowcodec_get() reads one row into `out` (schema->ncols values): TEXT and
** BYTEA values point into the input bytes, so the caller copies them before
** the input goes away; an array's orb_array and items are allocated from
** the arena `a` (an array with no arena to hold it is reported corrupt).  A value whose type differs from its column's type is
** reported as ORB_ERR_CORRUPT.
*/
#ifndef ORB_STORAGE_ROWCODEC_H
#define ORB_STORAGE_ROWCODEC_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "types/schema.h"

void rowcodec_put(orb_buf *b, const orb_schema *schema, const orb_value *row, const bool *only);
orb_status rowcodec_get(orb_rd *r, const orb_schema *schema, orb_value *out, orb_arena *a, orb_err *e);

/* Encode / decode one value (tag + payload) on its own. */
void rowcodec_put_value(orb_buf *b, const orb_value *v);
/* Reads a value; *v's string points into the input, an array is made in a. */
bool rowcodec_get_value(orb_rd *r, orb_value *v, orb_arena *a);

#endif
