/* storage/cold/ice_manifest_write.c — manifests and manifest lists in Avro
** (see ice_write_int.h), as format/spec.md's "Manifests" and "Manifest
** Lists" define them for format version 2.
**
** The Avro schemas carry every field's field-id and use the record names
** Java's writer gives them (manifest_entry, r2 for data_file, r102 for the
** partition tuple, k117_v118 ... for the map entries, manifest_file and
** r508 for the partition summaries), because some readers look records up
** by name.  Maps with int keys are arrays of key/value records with
** logicalType "map", as the spec requires. */
#include "storage/cold/ice_write_int.h"
#include "storage/cold/ice_value.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

/* An optional map<int, V> field of data_file. */
static void map_field(orb_buf *b, const char *name, int id, int kid, int vid, const char *vtype) {
  orb_buf_printf(b,
                 ",{\"name\":\"%s\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\","
                 "\"name\":\"k%d_v%d\",\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":%d},"
                 "{\"name\":\"value\",\"type\":\"%s\",\"field-id\":%d}]},\"logicalType\":\"map\"}],"
                 "\"default\":null,\"field-id\":%d}",
                 name, kid, vid, kid, vtype, vid, id);
}

/* The Avro type of a partition field's value (its transform's result type). */
static void part_type_json(orb_buf *b, const ice_type *t) {
  switch (t->kind) {
  case ICE_BOOLEAN: orb_buf_puts(b, "\"boolean\""); break;
  case ICE_INT: orb_buf_puts(b, "\"int\""); break;
  case ICE_LONG: orb_buf_puts(b, "\"long\""); break;
  case ICE_FLOAT: orb_buf_puts(b, "\"float\""); break;
  case ICE_DOUBLE: orb_buf_puts(b, "\"double\""); break;
  case ICE_DATE: orb_buf_puts(b, "{\"type\":\"int\",\"logicalType\":\"date\"}"); break;
  case ICE_TIME: orb_buf_puts(b, "{\"type\":\"long\",\"logicalType\":\"time-micros\"}"); break;
  case ICE_TIMESTAMP:
    orb_buf_puts(b, "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"adjust-to-utc\":false}");
    break;
  case ICE_TIMESTAMPTZ:
    orb_buf_puts(b, "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"adjust-to-utc\":true}");
    break;
  case ICE_STRING: orb_buf_puts(b, "\"string\""); break;
  case ICE_UUID: orb_buf_puts(b, "{\"type\":\"fixed\",\"name\":\"uuid_fixed\",\"size\":16,\"logicalType\":\"uuid\"}"); break;
  case ICE_DECIMAL: {
    /* the fewest bytes that hold every unscaled value of the precision */
    int size = 1;
    while (size < 16) {
      long double max = 1;
      for (int i = 0; i < 8 * size - 1; i++) max *= 2;
      long double need = 1;
      for (int i = 0; i < t->precision; i++) need *= 10;
      if (max >= need) break;
      size++;
    }
    orb_buf_printf(b,
                   "{\"type\":\"fixed\",\"name\":\"decimal_%d_%d\",\"size\":%d,\"logicalType\":\"decimal\","
                   "\"precision\":%d,\"scale\":%d}",
                   t->precision, t->scale, size, t->precision, t->scale);
    break;
  }
  default: orb_buf_puts(b, "\"bytes\""); break;
  }
}

static void manifest_schema_json(const ice_part_field *pf, int npf, orb_buf *b) {
  orb_buf_puts(b,
               "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
               "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
               "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
               "{\"name\":\"sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":3},"
               "{\"name\":\"file_sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":4},"
               "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
               "{\"name\":\"content\",\"type\":\"int\",\"field-id\":134},"
               "{\"name\":\"file_path\",\"type\":\"string\",\"field-id\":100},"
               "{\"name\":\"file_format\",\"type\":\"string\",\"field-id\":101},"
               "{\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":[");
  for (int i = 0; i < npf; i++) {
    orb_buf_printf(b, "%s{\"name\":\"%s\",\"type\":[\"null\",", i ? "," : "", pf[i].name);
    part_type_json(b, &pf[i].result);
    orb_buf_printf(b, "],\"default\":null,\"field-id\":%d}", pf[i].field_id);
  }
  orb_buf_puts(b,
               "]},\"field-id\":102},"
               "{\"name\":\"record_count\",\"type\":\"long\",\"field-id\":103},"
               "{\"name\":\"file_size_in_bytes\",\"type\":\"long\",\"field-id\":104}");
  map_field(b, "column_sizes", 108, 117, 118, "long");
  map_field(b, "value_counts", 109, 119, 120, "long");
  map_field(b, "null_value_counts", 110, 121, 122, "long");
  map_field(b, "nan_value_counts", 137, 138, 139, "long");
  map_field(b, "lower_bounds", 125, 126, 127, "bytes");
  map_field(b, "upper_bounds", 128, 129, 130, "bytes");
  orb_buf_puts(b,
               ",{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":131},"
               "{\"name\":\"split_offsets\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"long\",\"element-id\":133}],"
               "\"default\":null,\"field-id\":132},"
               "{\"name\":\"equality_ids\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\",\"element-id\":136}],"
               "\"default\":null,\"field-id\":135},"
               "{\"name\":\"sort_order_id\",\"type\":[\"null\",\"int\"],\"default\":null,\"field-id\":140},"
               "{\"name\":\"referenced_data_file\",\"type\":[\"null\",\"string\"],\"default\":null,\"field-id\":143}"
               "]},\"field-id\":2}]}");
}

static const char manifest_list_schema[] =
    "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
    "{\"name\":\"manifest_path\",\"type\":\"string\",\"field-id\":500},"
    "{\"name\":\"manifest_length\",\"type\":\"long\",\"field-id\":501},"
    "{\"name\":\"partition_spec_id\",\"type\":\"int\",\"field-id\":502},"
    "{\"name\":\"content\",\"type\":\"int\",\"field-id\":517},"
    "{\"name\":\"sequence_number\",\"type\":\"long\",\"field-id\":515},"
    "{\"name\":\"min_sequence_number\",\"type\":\"long\",\"field-id\":516},"
    "{\"name\":\"added_snapshot_id\",\"type\":\"long\",\"field-id\":503},"
    "{\"name\":\"added_files_count\",\"type\":\"int\",\"field-id\":504},"
    "{\"name\":\"existing_files_count\",\"type\":\"int\",\"field-id\":505},"
    "{\"name\":\"deleted_files_count\",\"type\":\"int\",\"field-id\":506},"
    "{\"name\":\"added_rows_count\",\"type\":\"long\",\"field-id\":512},"
    "{\"name\":\"existing_rows_count\",\"type\":\"long\",\"field-id\":513},"
    "{\"name\":\"deleted_rows_count\",\"type\":\"long\",\"field-id\":514},"
    "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"r508\","
    "\"fields\":[{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509},"
    "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"default\":null,\"field-id\":518},"
    "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":510},"
    "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":511}]},"
    "\"element-id\":508}],\"default\":null,\"field-id\":507},"
    "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":519}]}";

/* An array of {key, value} records (a map<int, long>) from the columns. */
static avro_value long_map(orb_arena *a, const ice_data_file *f, int which) {
  avro_value arr = {.kind = AVRO_ARRAY, .branch = -1};
  arr.u.c.v = orb_arena_alloc(a, sizeof(avro_value) * (size_t)(f->ncols ? f->ncols : 1));
  size_t n = 0;
  for (int c = 0; c < f->ncols; c++) {
    const ice_col_metrics *m = &f->cols[c];
    int64_t x = which == 0 ? m->size : which == 1 ? m->values : which == 2 ? m->nulls : m->nans;
    if (x < 0) continue;
    avro_value *kv = orb_arena_alloc(a, 2 * sizeof(avro_value));
    kv[0] = avro_int(m->field_id);
    kv[1] = avro_long(x);
    avro_value rec = {.kind = AVRO_RECORD, .branch = -1};
    rec.u.c.v = kv;
    rec.u.c.n = 2;
    arr.u.c.v[n++] = rec;
  }
  arr.u.c.n = n;
  return arr;
}

static avro_value bound_map(orb_arena *a, const ice_data_file *f, bool upper) {
  avro_value arr = {.kind = AVRO_ARRAY, .branch = -1};
  arr.u.c.v = orb_arena_alloc(a, sizeof(avro_value) * (size_t)(f->ncols ? f->ncols : 1));
  size_t n = 0;
  for (int c = 0; c < f->ncols; c++) {
    const ice_col_metrics *m = &f->cols[c];
    if (upper ? !m->has_upper : !m->has_lower) continue;
    const orb_buf *b = upper ? &m->upper : &m->lower;
    avro_value *kv = orb_arena_alloc(a, 2 * sizeof(avro_value));
    kv[0] = avro_int(m->field_id);
    kv[1] = avro_bytes(b->data, b->len);
    avro_value rec = {.kind = AVRO_RECORD, .branch = -1};
    rec.u.c.v = kv;
    rec.u.c.n = 2;
    arr.u.c.v[n++] = rec;
  }
  arr.u.c.n = n;
  return arr;
}

/* An orb_value partition value as the Avro value of its result type. */
static orb_status part_avro(orb_arena *a, const ice_type *t, const orb_value *v, avro_value *out, orb_err *e) {
  if (v->isnull) {
    *out = avro_null();
    return ORB_OK;
  }
  switch (t->kind) {
  case ICE_BOOLEAN: *out = avro_bool(v->u.b); return ORB_OK;
  case ICE_INT: case ICE_DATE: *out = avro_int((int32_t)v->u.i); return ORB_OK;
  case ICE_LONG: case ICE_TIME: case ICE_TIMESTAMP: case ICE_TIMESTAMPTZ: *out = avro_long(v->u.i); return ORB_OK;
  case ICE_FLOAT: *out = avro_float((float)v->u.f); return ORB_OK;
  case ICE_DOUBLE: *out = avro_double(v->u.f); return ORB_OK;
  case ICE_STRING: *out = avro_string(orb_arena_strndup(a, v->u.s, v->len), v->len); return ORB_OK;
  case ICE_BINARY: *out = avro_bytes(orb_arena_memdup(a, v->u.s, v->len ? v->len : 1), v->len); return ORB_OK;
  case ICE_UUID: {
    avro_value x = {.kind = AVRO_FIXED, .branch = -1};
    x.u.s.data = orb_arena_memdup(a, v->u.uuid, 16);
    x.u.s.len = 16;
    *out = x;
    return ORB_OK;
  }
  case ICE_DECIMAL: {
    /* fixed: big-endian two's complement, sign-extended to the fixed size
    ** (the serialization's minimal bytes, widened) */
    orb_buf b = ORB_BUF_INIT;
    orb_status st = ice_value_serialize(t, v, &b, e);
    if (st) {
      orb_buf_free(&b);
      return st;
    }
    int size = 1;
    while (size < 16) {
      long double max = 1, need = 1;
      for (int i = 0; i < 8 * size - 1; i++) max *= 2;
      for (int i = 0; i < t->precision; i++) need *= 10;
      if (max >= need) break;
      size++;
    }
    uint8_t *p = orb_arena_alloc(a, (size_t)size);
    size_t n = b.len < (size_t)size ? b.len : (size_t)size;
    uint8_t fill = (b.len && (((const uint8_t *)b.data)[0] & 0x80)) ? 0xff : 0;
    memset(p, fill, (size_t)size);
    memcpy(p + size - n, (const uint8_t *)b.data + b.len - n, n);
    orb_buf_free(&b);
    avro_value x = {.kind = AVRO_FIXED, .branch = -1};
    x.u.s.data = (const char *)p;
    x.u.s.len = (size_t)size;
    *out = x;
    return ORB_OK;
  }
  default:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: partition values of this type cannot be written");
  }
}

/* Compare two partition values of one field (NULLs excluded). */
static int part_cmp(const ice_type *t, const orb_value *x, const orb_value *y) {
  if (t->kind == ICE_STRING || t->kind == ICE_BINARY) {
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->u.s, y->u.s, n);
    return c ? c : (x->len < y->len ? -1 : x->len > y->len);
  }
  if (t->kind == ICE_UUID) return memcmp(x->u.uuid, y->u.uuid, 16);
  return orb_value_cmp(x, y);
}

orb_status ice_manifest_write(orb_arena *a, const ice_schema *schema, const ice_partition_spec *spec,
                              const ice_part_field *pf, int npf, int content, ice_data_file *const *files, int nfiles,
                              int64_t snapshot_id, orb_buf *out, ice_manifest_ref *ref, orb_err *e) {
  bool deletes = content != 0;
  orb_buf js = ORB_BUF_INIT;
  manifest_schema_json(pf, npf, &js);
  avro_schema *s;
  orb_status st = avro_schema_parse((const char *)js.data, js.len, a, "manifest schema", &s, e);
  orb_buf_free(&js);
  if (st) return st;
  const avro_schema *df = s->fields[avro_field_by_id(s, 2)].type;
  const avro_schema *pt = df->fields[avro_field_by_id(df, 102)].type;

  char *schema_text = ice_schema_to_json(schema), *spec_text = ice_spec_fields_to_json(spec);
  char sid[16], specid[16];
  snprintf(sid, sizeof sid, "%d", schema->schema_id);
  snprintf(specid, sizeof specid, "%d", spec->spec_id);
  avro_meta meta[] = {
      {"schema", schema_text, strlen(schema_text)},   {"schema-id", sid, strlen(sid)},
      {"partition-spec", spec_text, strlen(spec_text)}, {"partition-spec-id", specid, strlen(specid)},
      {"format-version", "2", 1},                      {"content", deletes ? "deletes" : "data", deletes ? 7 : 4},
  };
  avro_writer *w;
  st = avro_writer_new(s, AVRO_CODEC_DEFLATE, meta, 6, NULL, &w, e);
  orb_free(schema_text);
  orb_free(spec_text);
  if (st) return st;

  ref->added_files = nfiles;
  ref->added_rows = 0;
  ref->existing_files = ref->deleted_files = 0;
  ref->existing_rows = ref->deleted_rows = 0;
  ref->content = deletes ? 1 : 0;
  ref->added_snapshot_id = snapshot_id;
  ref->spec_id = spec->spec_id;
  ref->has_partitions = true;
  ref->npartitions = npf;
  ref->partitions = orb_arena_zalloc(a, sizeof *ref->partitions * (size_t)(npf ? npf : 1));
  const orb_value **lo = orb_arena_zalloc(a, sizeof(orb_value *) * (size_t)(npf ? npf : 1));
  const orb_value **hi = orb_arena_zalloc(a, sizeof(orb_value *) * (size_t)(npf ? npf : 1));

  for (int i = 0; i < nfiles && st == ORB_OK; i++) {
    const ice_data_file *f = files[i];
    ref->added_rows += f->records;
    avro_value e1, d, part;
    if ((st = avro_record_init(s, a, &e1, e)) || (st = avro_record_init(df, a, &d, e)) ||
        (st = avro_record_init(pt, a, &part, e)))
      break;
    for (int k = 0; k < npf && st == ORB_OK; k++) {
      avro_value pv;
      const orb_value *v = &f->partition[k];
      if ((st = part_avro(a, &pf[k].result, v, &pv, e))) break;
      avro_record_set(pt, &part, pf[k].field_id, pv);
      struct ice_part_summary *ps = &ref->partitions[k];
      if (v->isnull) ps->contains_null = true;
      else if ((pf[k].result.kind == ICE_FLOAT || pf[k].result.kind == ICE_DOUBLE) && v->u.f != v->u.f)
        ps->contains_nan = true;
      else {
        if (!lo[k] || part_cmp(&pf[k].result, v, lo[k]) < 0) lo[k] = v;
        if (!hi[k] || part_cmp(&pf[k].result, v, hi[k]) > 0) hi[k] = v;
      }
    }
    if (st) break;
    avro_record_set(s, &e1, 0, avro_int(1));   /* ADDED */
    avro_record_set(s, &e1, 1, avro_long(snapshot_id));
    /* sequence numbers stay null: inherited from the manifest list entry,
    ** which is what lets a retried commit reuse this manifest */
    avro_record_set(df, &d, 134, avro_int(content));
    avro_record_set(df, &d, 100, avro_string(f->location, strlen(f->location)));
    avro_record_set(df, &d, 101, avro_string("PARQUET", 7));
    avro_record_set(df, &d, 102, part);
    avro_record_set(df, &d, 103, avro_long(f->records));
    avro_record_set(df, &d, 104, avro_long(f->size));
    avro_record_set(df, &d, 108, long_map(a, f, 0));
    avro_record_set(df, &d, 109, long_map(a, f, 1));
    avro_record_set(df, &d, 110, long_map(a, f, 2));
    avro_record_set(df, &d, 137, long_map(a, f, 3));
    avro_record_set(df, &d, 125, bound_map(a, f, false));
    avro_record_set(df, &d, 128, bound_map(a, f, true));
    if (f->nsplits > 0) {
      avro_value arr = {.kind = AVRO_ARRAY, .branch = -1};
      arr.u.c.v = orb_arena_alloc(a, sizeof(avro_value) * (size_t)f->nsplits);
      for (int k = 0; k < f->nsplits; k++) arr.u.c.v[k] = avro_long(f->split_offsets[k]);
      arr.u.c.n = (size_t)f->nsplits;
      avro_record_set(df, &d, 132, arr);
    }
    if (f->referenced) avro_record_set(df, &d, 143, avro_string(f->referenced, strlen(f->referenced)));
    avro_record_set(s, &e1, 2, d);
    st = avro_writer_append(w, &e1, e);
  }
  for (int k = 0; k < npf && st == ORB_OK; k++) {
    struct ice_part_summary *ps = &ref->partitions[k];
    ps->has_contains_nan = pf[k].result.kind == ICE_FLOAT || pf[k].result.kind == ICE_DOUBLE;
    for (int side = 0; side < 2 && st == ORB_OK; side++) {
      const orb_value *v = side ? hi[k] : lo[k];
      if (!v) continue;
      orb_buf b = ORB_BUF_INIT;
      if ((st = ice_value_serialize(&pf[k].result, v, &b, e)) == ORB_OK) {
        uint8_t *p = orb_arena_memdup(a, b.data, b.len ? b.len : 1);
        if (side) ps->has_upper = true, ps->upper = p, ps->upper_len = b.len;
        else ps->has_lower = true, ps->lower = p, ps->lower_len = b.len;
      }
      orb_buf_free(&b);
    }
  }
  if (st == ORB_OK) st = avro_writer_finish(w, out, e);
  avro_writer_free(w);
  return st;
}

static orb_status ml_schema(orb_arena *a, avro_schema **out, orb_err *e) {
  return avro_schema_parse(manifest_list_schema, sizeof manifest_list_schema - 1, a, "manifest list schema", out, e);
}

/* A manifest list entry as an Avro record of schema s. */
static orb_status ref_value(orb_arena *a, const avro_schema *s, const ice_manifest_ref *r, avro_value *out, orb_err *e) {
  orb_status st = avro_record_init(s, a, out, e);
  if (st) return st;
  avro_record_set(s, out, 500, avro_string(r->path, strlen(r->path)));
  avro_record_set(s, out, 501, avro_long(r->length));
  avro_record_set(s, out, 502, avro_int(r->spec_id));
  avro_record_set(s, out, 517, avro_int(r->content));
  avro_record_set(s, out, 515, avro_long(r->seq));
  avro_record_set(s, out, 516, avro_long(r->min_seq));
  avro_record_set(s, out, 503, avro_long(r->added_snapshot_id));
  avro_record_set(s, out, 504, avro_int(r->added_files));
  avro_record_set(s, out, 505, avro_int(r->existing_files));
  avro_record_set(s, out, 506, avro_int(r->deleted_files));
  avro_record_set(s, out, 512, avro_long(r->added_rows));
  avro_record_set(s, out, 513, avro_long(r->existing_rows));
  avro_record_set(s, out, 514, avro_long(r->deleted_rows));
  if (r->has_partitions) {
    const avro_schema *pu = s->fields[avro_field_by_id(s, 507)].type;
    const avro_schema *arr_s = pu->branches[pu->branches[0]->kind == AVRO_ARRAY ? 0 : 1];
    const avro_schema *ps = arr_s->items;
    avro_value arr = {.kind = AVRO_ARRAY, .branch = -1};
    arr.u.c.v = orb_arena_alloc(a, sizeof(avro_value) * (size_t)(r->npartitions ? r->npartitions : 1));
    arr.u.c.n = (size_t)r->npartitions;
    for (int k = 0; k < r->npartitions; k++) {
      const struct ice_part_summary *p = &r->partitions[k];
      if ((st = avro_record_init(ps, a, &arr.u.c.v[k], e))) return st;
      avro_record_set(ps, &arr.u.c.v[k], 509, avro_bool(p->contains_null));
      if (p->has_contains_nan) avro_record_set(ps, &arr.u.c.v[k], 518, avro_bool(p->contains_nan));
      if (p->has_lower) avro_record_set(ps, &arr.u.c.v[k], 510, avro_bytes(p->lower, p->lower_len));
      if (p->has_upper) avro_record_set(ps, &arr.u.c.v[k], 511, avro_bytes(p->upper, p->upper_len));
    }
    avro_record_set(s, out, 507, arr);
  }
  return ORB_OK;
}

orb_status ice_manifest_list_write(const ice_manifest_ref *refs, int nrefs, int64_t snapshot_id, bool has_parent,
                                   int64_t parent_id, int64_t seq, orb_buf *out, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s;
  orb_status st = ml_schema(&a, &s, e);
  if (st) {
    orb_arena_free(&a);
    return st;
  }
  char sid[24], pid[24], sq[24];
  snprintf(sid, sizeof sid, "%lld", (long long)snapshot_id);
  if (has_parent) snprintf(pid, sizeof pid, "%lld", (long long)parent_id);
  else snprintf(pid, sizeof pid, "null");
  snprintf(sq, sizeof sq, "%lld", (long long)seq);
  avro_meta meta[] = {{"snapshot-id", sid, strlen(sid)},
                      {"parent-snapshot-id", pid, strlen(pid)},
                      {"sequence-number", sq, strlen(sq)},
                      {"format-version", "2", 1}};
  avro_writer *w;
  if ((st = avro_writer_new(s, AVRO_CODEC_DEFLATE, meta, 4, NULL, &w, e))) {
    orb_arena_free(&a);
    return st;
  }
  for (int i = 0; i < nrefs && st == ORB_OK; i++) {
    avro_value v;
    if ((st = ref_value(&a, s, &refs[i], &v, e)) == ORB_OK) st = avro_writer_append(w, &v, e);
  }
  if (st == ORB_OK) st = avro_writer_finish(w, out, e);
  avro_writer_free(w);
  orb_arena_free(&a);
  return st;
}

/* A field of a manifest list record as a long (int or long), or dflt when null/absent. */
static int64_t ml_long(const avro_schema *s, const avro_value *v, int32_t id, int64_t dflt) {
  return avro_long_or(avro_record_get(s, v, id), dflt);
}

orb_status ice_manifest_list_read(orb_arena *a, const char *path, ice_manifest_ref **refs, int *nrefs, orb_err *e) {
  *refs = NULL;
  *nrefs = 0;
  avro_reader *r;
  orb_status st = avro_reader_open(path, 0, &r, e);
  if (st) return st;
  int cap = 0;
  ice_manifest_ref *v = NULL;
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  const avro_schema *s = r->schema;
  for (;;) {
    avro_value rec;
    bool got;
    orb_arena_reset(&tmp);
    if ((st = avro_reader_next(r, &tmp, &rec, &got, e)) || !got) break;
    if (*nrefs == cap) {
      int ncap = cap ? cap * 2 : 16;
      ice_manifest_ref *g = orb_arena_zalloc(a, sizeof *g * (size_t)ncap);
      if (*nrefs) memcpy(g, v, sizeof *g * (size_t)*nrefs);
      v = g;
      cap = ncap;
    }
    ice_manifest_ref *m = &v[(*nrefs)++];
    memset(m, 0, sizeof *m);
    const avro_value *p = avro_record_get(s, &rec, 500);
    if (!p || p->kind != AVRO_STRING) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest list \"%s\": an entry has no manifest_path", path);
      break;
    }
    m->path = orb_arena_strndup(a, p->u.s.data, p->u.s.len);
    m->length = ml_long(s, &rec, 501, 0);
    m->spec_id = (int32_t)ml_long(s, &rec, 502, 0);
    m->content = (int32_t)ml_long(s, &rec, 517, 0);
    m->seq = ml_long(s, &rec, 515, 0);
    m->min_seq = ml_long(s, &rec, 516, m->seq);
    m->added_snapshot_id = ml_long(s, &rec, 503, 0);
    m->added_files = (int32_t)ml_long(s, &rec, 504, 0);
    m->existing_files = (int32_t)ml_long(s, &rec, 505, 0);
    m->deleted_files = (int32_t)ml_long(s, &rec, 506, 0);
    m->added_rows = ml_long(s, &rec, 512, 0);
    m->existing_rows = ml_long(s, &rec, 513, 0);
    m->deleted_rows = ml_long(s, &rec, 514, 0);
    const avro_value *parts = avro_record_get(s, &rec, 507);
    int pk = avro_field_by_id(s, 507);
    if (parts && parts->kind == AVRO_ARRAY && pk >= 0) {
      const avro_schema *pu = s->fields[pk].type;
      const avro_schema *as = avro_branch_of_kind(pu, AVRO_ARRAY);
      if (!as) as = pu;
      const avro_schema *ps = as->items;
      m->has_partitions = true;
      m->npartitions = (int)parts->u.c.n;
      m->partitions = orb_arena_zalloc(a, sizeof *m->partitions * (parts->u.c.n ? parts->u.c.n : 1));
      for (size_t k = 0; k < parts->u.c.n; k++) {
        const avro_value *pv = &parts->u.c.v[k];
        struct ice_part_summary *q = &m->partitions[k];
        const avro_value *x = avro_record_get(ps, pv, 509);
        q->contains_null = x && x->kind == AVRO_BOOLEAN && x->u.b;
        x = avro_record_get(ps, pv, 518);
        if (x && x->kind == AVRO_BOOLEAN) q->has_contains_nan = true, q->contains_nan = x->u.b;
        x = avro_record_get(ps, pv, 510);
        if (x && x->kind == AVRO_BYTES)
          q->has_lower = true, q->lower = orb_arena_memdup(a, x->u.s.data, x->u.s.len + 1), q->lower_len = x->u.s.len;
        x = avro_record_get(ps, pv, 511);
        if (x && x->kind == AVRO_BYTES)
          q->has_upper = true, q->upper = orb_arena_memdup(a, x->u.s.data, x->u.s.len + 1), q->upper_len = x->u.s.len;
      }
    }
  }
  orb_arena_free(&tmp);
  avro_reader_close(r);
  *refs = v;
  return st;
}
