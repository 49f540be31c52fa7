/*
** types/schema.h — table schemas with stable field ids.
**
** A schema is an ordered list of columns.  Each column has a field id that
** is assigned when the column is created and never reused within its table
** (as Iceberg does); everything below the SQL surface refers to columns by
** field id or by position in the current schema, never by name.  The
** primary key is a list of field ids (Iceberg's identifier-field-ids);
** `npk == 0` means the table has no primary key.
**
** Ownership: orb_schema_free() frees the columns' names and default texts
** and the arrays; orb_schema_copy() makes a deep copy.
*/
#ifndef ORB_TYPES_SCHEMA_H
#define ORB_TYPES_SCHEMA_H

#include "types/types.h"

typedef struct orb_column {
  char *name;
  int32_t field_id;
  orb_type type;
  bool not_null;
  char *default_sql;      /* DEFAULT expression as SQL text, NULL if none */
  char identity;          /* identity column: 'a' GENERATED ALWAYS, 'd' BY DEFAULT (PostgreSQL's
                             attidentity; its default is its sequence's nextval), 0 none */
} orb_column;

/* A CHECK constraint: its name and its condition as SQL text over the
** table's columns (the query layer binds and tests it: query/binder_check.c). */
typedef struct orb_check {
  char *name;
  char *sql;
} orb_check;

/* A secondary index (CREATE INDEX) or the index of a UNIQUE constraint,
** over columns named by field id (a rename keeps it; dropping one of its
** columns drops it, as PostgreSQL does).  The hot tier keeps one hash
** structure per index (storage/hot/hot.h); `opts` records the per-column
** ASC/DESC and NULLS FIRST/LAST as written, for the index's definition. */
#define ORB_IDX_DESC 1
#define ORB_IDX_NULLS_FIRST 2
typedef struct orb_index {
  char *name;             /* the index's name (also the UNIQUE constraint's) */
  int ncols;
  int32_t *cols;          /* field ids, key order */
  uint8_t *opts;          /* per column: ORB_IDX_* bits */
  bool unique;
  bool constraint;        /* made by a UNIQUE constraint: a pg_constraint row, dropped by DROP CONSTRAINT */
  bool nulls_not_distinct;   /* UNIQUE NULLS NOT DISTINCT: NULLs compare equal */
  bool hash;              /* written USING hash (else btree) */
} orb_index;

typedef struct orb_schema {
  int ncols;
  orb_column *cols;
  int npk;
  int32_t *pk;            /* field ids of the primary key columns, in key order */
  int32_t next_field_id;  /* next id to assign (ids are never reused) */
  int nchecks;
  orb_check *checks;      /* CHECK constraints, in the order they were made */
  int nindexes;
  orb_index *indexes;     /* secondary and UNIQUE indexes, in the order they were made */
} orb_schema;

void orb_schema_init(orb_schema *s);
void orb_schema_free(orb_schema *s);
void orb_schema_copy(orb_schema *dst, const orb_schema *src);
/* Append a column (name and default copied); assigns the next field id and returns it. */
int32_t orb_schema_add_column(orb_schema *s, const char *name, orb_type type, bool not_null,
                              const char *default_sql);
/* Position of a column by name (case-sensitive; names are folded by the parser) or by id; -1 if none. */
int orb_schema_find(const orb_schema *s, const char *name);
/* Add a CHECK constraint (copies name and sql). */
void orb_schema_add_check(orb_schema *s, const char *name, const char *sql);
/* Add an index (deep copy of ix). */
void orb_schema_add_index(orb_schema *s, const orb_index *ix);
/* Remove the index at position k. */
void orb_schema_drop_index(orb_schema *s, int k);
/* Position of an index by name; -1 if none. */
int orb_schema_find_index(const orb_schema *s, const char *name);
/* Drop every index one of whose columns is no longer in the schema. */
void orb_schema_drop_dangling_indexes(orb_schema *s);
/* Same columns (field ids, names, types, NOT NULL, in order), same primary
** key and same next field id (defaults are not compared). */
bool orb_schema_same(const orb_schema *x, const orb_schema *y);
int orb_schema_find_id(const orb_schema *s, int32_t field_id);
/* Position of the i-th primary key column in cols. */
int orb_schema_pk_col(const orb_schema *s, int i);
/* Whether the column at position col is part of the primary key. */
bool orb_schema_is_pk(const orb_schema *s, int col);

#endif
