/*
** storage/catalog.h — table definitions as JSON (jansson).
**
** The catalog is the list of tables of a database with their schemas.  It
** is written as JSON to <db>/catalog at every checkpoint (and embedded in the
** checkpoint snapshot); between checkpoints, DDL is made durable by the
** write-ahead log, whose DDL records carry single schemas in the same JSON
** form.  The format (names follow Iceberg where Iceberg has one):
**
**   { "format-version": 1, "lsn": 42, "next-table-id": 3,
**     "tables": [ { "id": 1, "name": "events",
**                   "schema": { "columns": [ { "name": "id", "field-id": 1,
**                                              "type": "bigint", "not-null": true,
**                                              "default": "0",             (optional)
**                                              "precision": 10, "scale": 2, (decimal)
**                                              "maxlen": 20 } ],           (varchar(n))
**                               "identifier-field-ids": [1],
**                               "next-field-id": 4 } } ] }
**
** Iceberg tables add "kind": "external" (attached read-only) or "iceberg"
** (owned) and "location": the table folder or metadata file.  A table
** without "kind" is an ordinary one, so catalogs written before these keys
** existed read as they did.
**
** Parsing validates everything (types, unique field ids, key ids present)
** and reports ORB_ERR_CORRUPT with what is wrong.
*/
#ifndef ORB_STORAGE_CATALOG_H
#define ORB_STORAGE_CATALOG_H

#include "base/err.h"
#include "storage/table.h"
#include "types/schema.h"

#define ORB_CATALOG_FORMAT_VERSION 1

typedef struct catalog_entry {
  uint32_t id;
  char *name;
  orb_schema schema;
  orb_table_kind kind;     /* "kind": absent (older catalogs) = hot */
  char *location;          /* "location": Iceberg tables only */
} catalog_entry;

typedef struct orb_catalog {
  uint64_t lsn;             /* the log position the catalog reflects */
  uint32_t next_table_id;
  int ntables;
  catalog_entry *tables;
} orb_catalog;

/* One schema <-> JSON text (heap string, orb_free). */
char *catalog_schema_dump(const orb_schema *s);
orb_status catalog_schema_load(const char *text, size_t len, orb_schema *out, orb_err *e);

/* Whole catalog -> JSON text (heap string, orb_free). */
char *catalog_dump(uint64_t lsn, uint32_t next_table_id, orb_table *const *tables, int n);
/* Parse a catalog; on success the caller frees it with catalog_free. */
orb_status catalog_parse(const char *text, size_t len, orb_catalog *out, orb_err *e);
void catalog_free(orb_catalog *c);

/* Type <-> catalog name ("bigint", "decimal", "timestamptz", ...). */
const char *catalog_type_name(uint8_t type_id);
int catalog_type_from_name(const char *name);   /* -1 if unknown */

#endif
