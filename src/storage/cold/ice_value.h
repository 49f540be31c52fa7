/*
** storage/cold/ice_value.h — Iceberg values outside data files: the spec's
** single-value binary serialization (column bounds in manifests, partition
** summaries in manifest lists) and the partition transforms.
**
** Both follow apache/iceberg format/spec.md: "Appendix D: Single-value
** serialization" (binary) and "Partition Transforms" / "Appendix B: 32-bit
** Hash Requirements" (bucket: Murmur3 x86 32-bit, seed 0, of the value's
** hash bytes).  Values are the engine's SQL values (types/types.h) of the
** Iceberg column's SQL type (ice_sql_type): int -> INT32, long -> INT64,
** date -> DATE (days), time -> TIME (microseconds), timestamp(tz) ->
** TIMESTAMP(TZ) (microseconds), decimal -> DECIMAL (unscaled + scale),
** string -> TEXT, uuid -> UUID (16 bytes), binary/fixed -> BYTEA.
**
**   orb_buf b; ice_value_serialize(&long_type, &v, &b, &err);   -> 8 bytes LE
**   ice_value_deserialize(&long_type, b.data, b.len, arena, &v, &err);
**
**   ice_transform tr = ice_transform_parse("bucket[16]");
**   ice_type rt;  ice_transform_result_type(&tr, &src_type, &rt, &err);
**   ice_transform_apply(&tr, &src_type, &value, arena, &part_value, &err);
**
** Deserializing reads what writers wrote before a type promotion: 4 bytes
** for a long or double column (an int or float bound), a shorter decimal
** for a wider one.  Bounds may be truncated (strings, binary): the bytes
** are still a valid lower / upper bound, never the exact extreme, so
** callers must not treat "value == bound" as "the value exists".
**
** Untrusted input: a length that fits no reading of the type is
** ORB_ERR_CORRUPT naming the type and length; nothing reads past len.
**
** Names: ice_ prefix (DESIGN.md).
*/
#ifndef ORB_STORAGE_COLD_ICE_VALUE_H
#define ORB_STORAGE_COLD_ICE_VALUE_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "storage/cold/ice_meta.h"

/* --- single-value serialization ------------------------------------------ */

/* Append the spec's binary form of v (non-NULL) as Iceberg primitive type t
** to out.  v's SQL type must be t's (ice_sql_type); a mismatch is
** ORB_ERR_INTERNAL.  Nested types are ORB_ERR_UNSUPPORTED. */
orb_status ice_value_serialize(const ice_type *t, const orb_value *v, orb_buf *out, orb_err *e);

/* Read bytes serialized for type t (or for a type t was promoted from) into
** a value of t's SQL type; strings and binary point into a copy in `a`. */
orb_status ice_value_deserialize(const ice_type *t, const void *bytes, size_t len, orb_arena *a, orb_value *out,
                                 orb_err *e);

/* --- partition transforms ------------------------------------------------- */

/* The type a transform produces from source type src: identity and
** truncate[W] keep it; bucket[N], year, month and hour give int; day gives
** date (as Java writes it; an int of days either way); void keeps src (its
** values are always null).  A transform that does not apply to src (bucket
** of a float, day of a string, truncate of a date, ...) is ORB_ERR_TYPE
** with "cannot partition column of type double by bucket[16]"; an unknown
** transform is ORB_ERR_UNSUPPORTED. */
orb_status ice_transform_result_type(const ice_transform *tr, const ice_type *src, ice_type *out, orb_err *e);

/* Apply tr to v (a value of src's SQL type) giving a value of the result
** type's SQL type.  NULL in -> NULL out; void -> NULL always.  bucket[N]:
** (murmur3_x86_32(hash bytes) & INT32_MAX) % N; truncate[W]: integers
** v - (((v % W) + W) % W), decimals the same on the unscaled value, strings
** the first W code points, binary the first W bytes; year/month/day/hour:
** whole units since 1970-01-01 00:00 UTC (negative before it). */
orb_status ice_transform_apply(const ice_transform *tr, const ice_type *src, const orb_value *v, orb_arena *a,
                               orb_value *out, orb_err *e);

/* The spec's 32-bit bucket hash of v (non-NULL) as type t: ints and dates
** hash as longs, times and timestamps as microsecond longs, decimals by
** their minimal big-endian two's-complement unscaled bytes, strings by
** their UTF-8 bytes, uuids by their 16 bytes, binary/fixed by their bytes. */
int32_t ice_bucket_hash(const ice_type *t, const orb_value *v);

/* Murmur3 x86 32-bit with seed 0 (Appendix B). */
uint32_t ice_murmur3_32(const void *data, size_t len);

/* --- a partition spec written as SQL text ---------------------------------- */

/* Parse a partition spec as pg_lake and Spark spell it in DDL, e.g.
**   "day(ts), bucket(16, id), truncate(4, name), region, identity(x), void(y)"
** into *out (spec id spec_id) against schema s.  Columns are named as the
** schema has them (an exact match first, then a unique case-insensitive
** one; "quoted" names, and a.b for a field nested in a struct).  Transforms:
** identity, bucket(N, col), truncate(W, col) (Spark's older
** truncate(col, W) too), year/month/day/hour (also Spark's years, months,
** days, hours), void.  Partition field ids continue from *last_partition_id
** (from 1000 when it is below 1000, as Java starts them) and it is updated;
** field names are Java's: col, col_bucket, col_trunc, col_year,
** col_month, col_day, col_hour, col_null.  Empty text gives no fields.
** Errors quote the text and give the 1-based character position:
**   partition spec "day(nme)": unknown column "nme" at character 5
** (ORB_ERR_UNDEFINED; a bad transform ORB_ERR_UNSUPPORTED, a bad width
** ORB_ERR_INVALID_TEXT, a type the transform cannot take ORB_ERR_TYPE,
** the same field twice ORB_ERR_DUPLICATE, else ORB_ERR_SYNTAX).
** Everything is allocated from a. */
orb_status ice_spec_parse(orb_arena *a, const char *text, const ice_schema *s, int32_t spec_id,
                          int32_t *last_partition_id, ice_partition_spec *out, orb_err *e);

#endif
