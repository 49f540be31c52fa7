/*
** types/array.h — one-dimensional SQL arrays (ORB_T_ARRAY values).
**
** Arrays exist in Orbit for what PostgreSQL's catalogs and the queries
** tools send about them need: oid[], text[] and int2vector columns,
** ARRAY[...] and ARRAY(subquery), `x = ANY(array)`, subscripts,
** array_to_string, unnest.  They follow PostgreSQL's semantics for one
** dimension with lower bound 1: text form `{1,2,NULL}` (elements quoted
** when they must be), comparison element by element (a NULL element equals
** another NULL and sorts after every value; then the shorter array first),
** casts element by element.  The catalogs' vectors (int2vector such as
** pg_index.indkey, oidvector) are arrays whose lower bound is 0, as in
** PostgreSQL: indkey[0] is the first key column, and they print as "1 2".
** Multi-dimensional arrays and explicit bounds in input (`[0:1]={1,2}`)
** are refused with 0A000 rather than guessed at.  Tables store arrays of
** every scalar element type (not records, not arrays of arrays): the hot
** tier keeps a column's array flat in its row's memory (orb_array_flatten
** below), the log and checkpoints encode it element by element
** (storage/rowcodec.h).
**
** Records (ORB_T_RECORD) keep their fields in an orb_array too, so that
** copying, comparing and hashing them is the arrays' code.
**
** An array value (u.arr) never owns memory: the orb_array and its items
** live in an arena, like a text value's bytes.
*/
#ifndef ORB_TYPES_ARRAY_H
#define ORB_TYPES_ARRAY_H

#include "types/value.h"

typedef struct orb_array {
  uint32_t n;                 /* number of elements (0: the empty array '{}') */
  int32_t lower;              /* subscript of the first element: 1, or 0 for a vector */
  bool vector;                /* int2vector/oidvector: text form "1 2" */
  const orb_value *items;     /* n values of the array type's elem id (isnull for NULL elements) */
  uint64_t untyped;           /* a record: its fields (the first 64) that were untyped literals,
                                 PostgreSQL's type unknown, held as text (ROW(1, 'a')) */
} orb_array;

/* An array value over items (not copied: they must outlive the value). */
orb_value orb_array_make(orb_arena *a, orb_type_id elem, const orb_value *items, uint32_t n);
/* A catalog vector (lower bound 0) over items. */
orb_value orb_array_make_vector(orb_arena *a, orb_type_id elem, const orb_value *items, uint32_t n);
/* PostgreSQL's array input ('{1,2}', '{"a b",NULL}') for array type t. */
orb_status orb_array_from_text(const char *s, size_t n, orb_type t, orb_arena *a, orb_value *out, orb_err *e);
/* PostgreSQL's array output. */
void orb_array_to_text(const orb_value *v, orb_buf *out);
/* Total order (btree's array_cmp for one dimension) and a hash consistent with it. */
int orb_array_cmp(const orb_value *a, const orb_value *b);
uint64_t orb_array_hash(const orb_value *v);
/* A record value (ORB_T_RECORD, types.h) whose fields are items (not copied). */
orb_value orb_record_make(orb_arena *a, const orb_value *items, uint32_t n);
/* PostgreSQL's record output: "(1,abc)", a field quoted when it must be, a NULL one empty. */
void orb_record_to_text(const orb_value *v, orb_buf *out);
/* Deep copy of an array or a record into a (elements' strings too). */
orb_value orb_array_copy(const orb_value *v, orb_arena *a);
/* An array kept in one block of memory, as a hot-tier row keeps it: the
** orb_array, its items, then the items' string bytes.  flat_size is the
** block's size (a multiple of 8); flatten lays v out at mem (8-byte
** aligned, flat_size bytes) and returns the value pointing there. */
size_t orb_array_flat_size(const orb_value *v);
orb_value orb_array_flatten(const orb_value *v, void *mem);
/* The same for an assignment to a column of type t: a text element too
** long for VARCHAR(n) is refused (22001) rather than cut. */
orb_status orb_array_assign(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e);
/* Cast every element to array type t's element type. */
orb_status orb_array_cast(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e);

#endif
