/* storage/cold/ice_create.c — creating an empty Iceberg table (see
** ice_write.h): SQL types to Iceberg types, the first metadata file, and
** the small helpers every writer needs (UUIDs, the clock). */
#include "storage/cold/ice_write_int.h"
#include "storage/cold/ice_value.h"
#include "base/file.h"
#include "base/mem.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

orb_status ice_uuid_v4(char out[37], orb_err *e) {
  uint8_t b[16];
  if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
    return orb_err_set(e, ORB_ERR_IO, "iceberg: the system's random source failed: %s", strerror(errno));
  b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);   /* version 4 */
  b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
  char *p = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    p += snprintf(p, 3, "%02x", b[i]);
  }
  *p = '\0';
  return ORB_OK;
}

int64_t ice_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

orb_status ice_type_from_sql(orb_arena *a, const char *name, orb_type t, ice_type *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  switch ((orb_type_id)t.id) {
  case ORB_T_ARRAY: {
    /* a list of the element's type, elements optional; its element id is
    ** assigned by whoever adds the column (ice_table_create, ice_schema_update) */
    orb_type et = orb_type_elem(t);
    if (et.id == ORB_T_ARRAY || et.id == ORB_T_RECORD || et.id == ORB_T_NULL)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\": arrays of this element type cannot be held in an Iceberg table",
                         name);
    ice_type *el = orb_arena_zalloc(a, sizeof *el);
    orb_status st = ice_type_from_sql(a, name, et, el, e);
    if (st != ORB_OK) return st;
    out->kind = ICE_LIST;
    out->element = el;
    out->element_required = false;
    return ORB_OK;
  }
  case ORB_T_BOOL: out->kind = ICE_BOOLEAN; return ORB_OK;
  case ORB_T_INT16: case ORB_T_INT32: out->kind = ICE_INT; return ORB_OK;
  case ORB_T_INT64: out->kind = ICE_LONG; return ORB_OK;
  case ORB_T_FLOAT32: out->kind = ICE_FLOAT; return ORB_OK;
  case ORB_T_FLOAT64: out->kind = ICE_DOUBLE; return ORB_OK;
  case ORB_T_DECIMAL:
    /* NUMERIC without a precision is arbitrary precision in PostgreSQL;
    ** Iceberg's decimal needs one, and guessing would round values. */
    if (t.precision < 1 || t.precision > ORB_DECIMAL_MAX_PRECISION)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED,
                         "iceberg: column \"%s\": NUMERIC needs a precision (NUMERIC(p, s) with p <= 38) in an Iceberg table",
                         name);
    out->kind = ICE_DECIMAL;
    out->precision = t.precision;
    out->scale = t.scale;
    return ORB_OK;
  case ORB_T_TEXT: out->kind = ICE_STRING; return ORB_OK;
  case ORB_T_BYTEA: out->kind = ICE_BINARY; return ORB_OK;
  case ORB_T_DATE: out->kind = ICE_DATE; return ORB_OK;
  case ORB_T_TIME: out->kind = ICE_TIME; return ORB_OK;
  case ORB_T_TIMESTAMP: out->kind = ICE_TIMESTAMP; return ORB_OK;
  case ORB_T_TIMESTAMPTZ: out->kind = ICE_TIMESTAMPTZ; return ORB_OK;
  case ORB_T_UUID: out->kind = ICE_UUID; return ORB_OK;
  case ORB_T_INTERVAL:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\": Iceberg has no interval type", name);
  case ORB_T_JSON:
  case ORB_T_JSONB:
    /* Iceberg has no JSON type; a STRING column would read back as text, not as a document */
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\": Iceberg has no json or jsonb type", name);
  default:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\" has a type Iceberg tables cannot hold", name);
  }
}

/* The absolute form of a local folder name (it need not exist yet). */
static const char *absolute(orb_arena *a, const char *dir) {
  if (dir[0] == '/') return orb_arena_strdup(a, dir);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return orb_arena_strdup(a, dir);
  const char *d = dir;
  while (d[0] == '.' && d[1] == '/') d += 2;
  return orb_arena_sprintf(a, "%s/%s", cwd, d);
}

orb_status ice_table_create(orb_arena *a, const char *table_dir, const char *location, const orb_schema *schema,
                            const char *partition_by, const ice_kv *props, int nprops, ice_meta *out, orb_err *e) {
  if (schema->ncols < 1) return orb_err_set(e, ORB_ERR_MISUSE, "iceberg: a table needs at least one column");
  ice_meta m;
  memset(&m, 0, sizeof m);
  m.format_version = 2;

  /* the schema: ids kept, NOT NULL -> required, primary key -> identifier ids */
  ice_schema *s = orb_arena_zalloc(a, sizeof *s);
  s->schema_id = 0;
  s->nfields = schema->ncols;
  s->fields = orb_arena_zalloc(a, sizeof(ice_field) * (size_t)schema->ncols);
  int32_t maxid = 0;
  for (int i = 0; i < schema->ncols; i++) {
    const orb_column *c = &schema->cols[i];
    ice_field *f = &s->fields[i];
    f->id = c->field_id;
    f->name = orb_arena_strdup(a, c->name);
    f->required = c->not_null || orb_schema_is_pk(schema, i);
    f->type = orb_arena_zalloc(a, sizeof(ice_type));
    orb_status st = ice_type_from_sql(a, c->name, c->type, f->type, e);
    if (st) return st;
    if (c->field_id < 1) return orb_err_set(e, ORB_ERR_MISUSE, "iceberg: column \"%s\" has no field id", c->name);
    for (int j = 0; j < i; j++)
      if (s->fields[j].id == f->id)
        return orb_err_set(e, ORB_ERR_MISUSE, "iceberg: columns \"%s\" and \"%s\" share field id %d", s->fields[j].name,
                           f->name, f->id);
    if (c->field_id > maxid) maxid = c->field_id;
  }
  if (schema->npk > 0) {
    s->has_identifier = true;
    s->nidentifier = schema->npk;
    s->identifier_ids = orb_arena_dup_array(a, schema->pk, sizeof(int32_t), (size_t)schema->npk);
  }
  /* a list's element gets a fresh id after every column's (Java assigns
  ** nested ids after the top-level ones too); last-column-id covers them */
  int32_t last = schema->next_field_id - 1 > maxid ? schema->next_field_id - 1 : maxid;
  for (int i = 0; i < s->nfields; i++)
    if (s->fields[i].type->kind == ICE_LIST) s->fields[i].type->element_id = ++last;
  m.schemas = s;
  m.nschemas = 1;
  m.current_schema_id = 0;
  m.last_column_id = last;

  /* spec 0: unpartitioned, or partition_by's fields (ids from 1000, Java's names) */
  m.specs = orb_arena_zalloc(a, sizeof(ice_partition_spec));
  m.nspecs = 1;
  m.default_spec_id = 0;
  m.last_partition_id = 999;
  if (partition_by && *partition_by) {
    orb_status st = ice_spec_parse(a, partition_by, s, 0, &m.last_partition_id, &m.specs[0], e);
    if (st) return st;
  }
  m.sort_orders = orb_arena_zalloc(a, sizeof(ice_sort_order));
  m.nsort_orders = 1;
  m.default_sort_order_id = 0;

  char uuid[37];
  orb_status st = ice_uuid_v4(uuid, e);
  if (st) return st;
  m.table_uuid = orb_arena_strdup(a, uuid);
  m.location = location ? orb_arena_strdup(a, location) : absolute(a, table_dir);
  m.last_sequence_number = 0;
  m.last_updated_ms = ice_now_ms();
  m.current_snapshot_id = -1;

  /* properties: the defaults, then the caller's (which win) */
  static const ice_kv defaults[] = {{"write.format.default", "parquet"}, {"write.parquet.compression-codec", "zstd"}};
  ice_kv *kv = orb_arena_zalloc(a, sizeof(ice_kv) * (size_t)(nprops + 2));
  int n = 0;
  for (int i = 0; i < 2; i++)
    if (!ice_kv_get(props, nprops, defaults[i].key)) kv[n++] = defaults[i];
  for (int i = 0; i < nprops; i++) {
    if (!props[i].key || !props[i].value) return orb_err_set(e, ORB_ERR_MISUSE, "iceberg: a table property has no key or value");
    kv[n].key = orb_arena_strdup(a, props[i].key);
    kv[n].value = orb_arena_strdup(a, props[i].value);
    n++;
  }
  m.properties = kv;
  m.nproperties = n;

  /* A folder that already holds a table keeps it: refuse, whatever version it is at. */
  ice_meta_file cur;
  orb_err ignore;
  const char *mdir = orb_arena_sprintf(a, "%s/metadata", table_dir);
  if (orb_path_exists(mdir) && ice_find_current(a, table_dir, &cur, &ignore) == ORB_OK)
    return orb_err_set(e, ORB_ERR_DUPLICATE, "iceberg: \"%s\" already holds a table (%s)", table_dir, cur.path);
  if ((st = orb_mkdir_p(orb_arena_sprintf(a, "%s/data", table_dir), e))) return st;
  st = ice_meta_commit(a, table_dir, 0, &m, NULL, e);
  if (st == ORB_ERR_CONFLICT)
    return orb_err_set(e, ORB_ERR_DUPLICATE, "iceberg: \"%s\" already holds a table (created by another writer)", table_dir);
  if (st) return st;
  if (out) *out = m;
  return ORB_OK;
}
