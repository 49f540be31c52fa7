/*
** expr/pg_catalog.h — Orbit's types as PostgreSQL's catalogs name them.
**
** OrbitQL answers the catalog queries PostgreSQL tools send (psql's \d,
** drivers' start-up queries): pg_catalog tables made by the binder
** (query/binder_catalog*.c) and the functions those queries call
** (format_type, pg_get_expr, ...: func_catalog.c).  Both need the same
** facts: which pg_type OID and type modifier stand for an Orbit type.  They
** are catalog data at the SQL surface, not wire-protocol knowledge (the
** server keeps its own mapping for RowDescription).
*/
#ifndef ORB_EXPR_PG_CATALOG_H
#define ORB_EXPR_PG_CATALOG_H

#include "base/buf.h"
#include "types/types.h"

/* pg_type.oid of an Orbit type (varchar(n) is 1043, other text 25; arrays their array type). */
int64_t orb_pg_type_oid(orb_type t);
/* pg_attribute.atttypmod: numeric(p,s) ((p << 16) | s) + 4, varchar(n) n + 4, otherwise -1. */
int32_t orb_pg_typmod(orb_type t);
/* format_type(oid, NULL): PostgreSQL's SQL name of a type ("integer", "character varying"). */
void orb_pg_format_type(int64_t oid, orb_buf *out);
/* The types pg_type lists: n entries of (oid, name, array oid or 0, element oid or 0). */
typedef struct orb_pg_type_row {
  int64_t oid;
  const char *name;          /* pg_type.typname */
  int64_t array_oid;         /* typarray */
  int64_t elem_oid;          /* typelem (arrays) */
  char category;             /* typcategory */
  int16_t len;               /* typlen */
} orb_pg_type_row;
const orb_pg_type_row *orb_pg_types(int *n);

/* pg_proc: the builtin functions as PostgreSQL lists them, one row per
** signature, made from the function registry (func_pg_proc.c). */
#define ORB_PG_PROC_MAXARGS 6
typedef struct orb_pg_proc {
  int64_t oid;
  const char *name;
  int nargs;
  int64_t argtypes[ORB_PG_PROC_MAXARGS];   /* pg_type OIDs */
  int64_t rettype;
  bool variadic;       /* the last argument is VARIADIC */
  bool strict;         /* NULL in, NULL out */
  char volatility;     /* provolatile: 's' or 'v' */
} orb_pg_proc;
const orb_pg_proc *orb_pg_procs(int *n);
const orb_pg_proc *orb_pg_proc_by_oid(int64_t oid);

#endif
