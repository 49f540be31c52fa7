/* storage/cold/ice_scan.c — scan planning: manifest list, manifests, live
** files and the delete files that apply to each data file (ice_scan.h). */
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_prune.h"
#include "base/mem.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* Manifest list fields (spec "Manifest Lists"). */
enum { ML_PATH = 500, ML_SPEC_ID = 502, ML_ADDED_SNAPSHOT = 503, ML_CONTENT = 517, ML_SEQ = 515, ML_ADDED_ROWS = 512,
       ML_EXISTING_ROWS = 513 };
/* Manifest entry fields (spec "Manifests"). */
enum { ME_STATUS = 0, ME_SNAPSHOT = 1, ME_DATA_FILE = 2, ME_SEQ = 3, ME_FILE_SEQ = 4 };
enum { DF_CONTENT = 134, DF_PATH = 100, DF_FORMAT = 101, DF_PARTITION = 102, DF_RECORDS = 103, DF_SIZE = 104,
       DF_EQ_IDS = 135, DF_REFERENCED = 143 };
enum { STATUS_EXISTING = 0, STATUS_ADDED = 1, STATUS_DELETED = 2 };

/* A growable array of ice_file on the heap while planning (copied to the arena at the end). */
typedef struct file_list {
  ice_file *v;
  int n, cap;
} file_list;

static ice_file *push(file_list *l) {
  if (l->n == l->cap) {
    int ncap = l->cap ? l->cap * 2 : 16;
    ice_file *g = orb_realloc(l->v, sizeof(ice_file) * (size_t)ncap);
    l->v = g, l->cap = ncap;
  }
  ice_file *f = &l->v[l->n++];
  memset(f, 0, sizeof *f);
  return f;
}

/* A record field by id that must be a long (or int), or be absent/null (*has false). */
static orb_status get_long(const avro_schema *rec, const avro_value *v, int32_t id, const char *what, const char *file,
                           bool required, int64_t *out, bool *has, orb_err *e) {
  const avro_value *x = avro_record_get(rec, v, id);
  *has = false;
  if (!x || x->kind == AVRO_NULL) {
    if (required)
      return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": required field %s (id %d) is missing", file, what, id);
    return ORB_OK;
  }
  if (!avro_value_long(x, out))
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": field %s (id %d) is a %s, not a long", file, what, id,
                       avro_kind_name(x->kind));
  *has = true;
  return ORB_OK;
}

static orb_status get_string(const avro_schema *rec, const avro_value *v, int32_t id, const char *what, const char *file,
                             bool required, const char **out, orb_err *e) {
  const avro_value *x = avro_record_get(rec, v, id);
  *out = NULL;
  if (!x || x->kind == AVRO_NULL) {
    if (required)
      return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": required field %s (id %d) is missing", file, what, id);
    return ORB_OK;
  }
  if (x->kind != AVRO_STRING)
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": field %s (id %d) is a %s, not a string", file, what, id,
                       avro_kind_name(x->kind));
  *out = x->u.s.data;
  return ORB_OK;
}

/* The record schema of a field (through an optional union). */
static const avro_schema *field_record(const avro_schema *rec, int32_t id) {
  int k = avro_field_by_id(rec, id);
  if (k < 0) return NULL;
  return avro_branch_of_kind(rec->fields[k].type, AVRO_RECORD);
}

/* A deep copy of an Avro value into arena a (the reader's values live in a per-record arena). */
static avro_value copy_value(orb_arena *a, const avro_value *v) {
  avro_value c = *v;
  switch (v->kind) {
  case AVRO_BYTES: case AVRO_STRING: case AVRO_FIXED: {
    char *s = orb_arena_alloc(a, v->u.s.len + 1);
    memcpy(s, v->u.s.data, v->u.s.len);
    s[v->u.s.len] = '\0';
    c.u.s.data = s;
    break;
  }
  case AVRO_RECORD: case AVRO_ARRAY: case AVRO_MAP:
    c.u.c.v = orb_arena_alloc(a, sizeof(avro_value) * (v->u.c.n ? v->u.c.n : 1));
    for (size_t i = 0; i < v->u.c.n; i++) c.u.c.v[i] = copy_value(a, &v->u.c.v[i]);
    if (v->u.c.keys) {
      c.u.c.keys = orb_arena_alloc(a, sizeof(avro_str) * v->u.c.n);
      for (size_t i = 0; i < v->u.c.n; i++) {
        char *s = orb_arena_alloc(a, v->u.c.keys[i].len + 1);
        memcpy(s, v->u.c.keys[i].data, v->u.c.keys[i].len);
        s[v->u.c.keys[i].len] = '\0';
        c.u.c.keys[i] = (avro_str){s, v->u.c.keys[i].len};
      }
    }
    break;
  default: break;
  }
  return c;
}

/* A deep copy of a schema is not needed: the manifest reader's schema is
** copied by re-parsing its JSON into the plan's arena. */
static orb_status keep_schema(orb_arena *a, const avro_schema *s, const char *file, avro_schema **out, orb_err *e) {
  orb_buf json = ORB_BUF_INIT;
  avro_schema_to_json(s, &json);
  orb_status st = avro_schema_parse((const char *)json.data, json.len, a, file, out, e);
  orb_buf_free(&json);
  return st;
}

typedef struct manifest_ref {
  const char *path;
  int32_t spec_id;
  int64_t seq;                   /* the manifest's sequence number (0 for v1) */
  int64_t added_snapshot;
  int content;                   /* 0 data, 1 deletes */
  bool skip;                     /* its partition summaries rule it out */
} manifest_ref;

/* The live entries of manifest r (path names it) into data and dels.
** schema_in_a: r's schema already lives in arena a (a schema cache's),
** so the partition tuples' type needs no copy. */
static orb_status read_entries(orb_arena *a, ice_plan *p, ice_prune *pr, const char *table_dir, const manifest_ref *mr,
                               avro_reader *r, bool schema_in_a, const char *path, file_list *data, file_list *dels,
                               orb_err *e) {
  orb_status st = ORB_OK;
  bool moved;
  const avro_schema *df = field_record(r->schema, ME_DATA_FILE);
  avro_schema *schema_copy = NULL;
  const avro_schema *part_type = NULL;
  if (!df) st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\" has no data_file record (field id 2)", path);
  else if (schema_in_a) part_type = field_record(df, DF_PARTITION);
  else if ((st = keep_schema(a, r->schema, path, &schema_copy, e)) == ORB_OK)
    part_type = field_record(field_record(schema_copy, ME_DATA_FILE), DF_PARTITION);
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  ice_prune_next_manifest(pr);
  while (st == ORB_OK) {
    avro_value v;
    bool got;
    orb_arena_reset(&tmp);
    if ((st = avro_reader_next(r, &tmp, &v, &got, e)) != ORB_OK || !got) break;
    int64_t status, snap, seq;
    bool has;
    if ((st = get_long(r->schema, &v, ME_STATUS, "status", path, true, &status, &has, e)) != ORB_OK) break;
    if (status == STATUS_DELETED) continue;
    if (status != STATUS_EXISTING && status != STATUS_ADDED) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": entry status %lld is not 0, 1 or 2", path, (long long)status);
      break;
    }
    const avro_value *d = avro_record_get(r->schema, &v, ME_DATA_FILE);
    if (!d || d->kind != AVRO_RECORD) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": an entry has no data_file", path);
      break;
    }
    int64_t content = 0;
    if ((st = get_long(df, d, DF_CONTENT, "content", path, false, &content, &has, e)) != ORB_OK) break;
    if (content < 0 || content > 2) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": data_file content %lld is not 0, 1 or 2", path, (long long)content);
      break;
    }
    ice_file *f = push(content == ICE_CONTENT_DATA ? data : dels);
    f->content = (int)content;
    f->spec_id = mr->spec_id;
    /* inheritance: a null snapshot id or sequence number is the manifest's
    ** (spec "Sequence Number Inheritance"); v1 tables have none: 0 */
    if ((st = get_long(r->schema, &v, ME_SNAPSHOT, "snapshot_id", path, false, &snap, &has, e)) != ORB_OK) break;
    f->snapshot_id = has ? snap : mr->added_snapshot;
    if ((st = get_long(r->schema, &v, ME_SEQ, "sequence_number", path, false, &seq, &has, e)) != ORB_OK) break;
    if (has) f->seq = seq;
    else if (status == STATUS_ADDED || p->meta->format_version == 1) f->seq = mr->seq;
    else {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": an EXISTING entry has no sequence number", path);
      break;
    }
    const char *fp, *fmt, *ref;
    if ((st = get_string(df, d, DF_PATH, "file_path", path, true, &fp, e)) != ORB_OK) break;
    if ((st = get_string(df, d, DF_FORMAT, "file_format", path, true, &fmt, e)) != ORB_OK) break;
    if ((st = get_string(df, d, DF_REFERENCED, "referenced_data_file", path, false, &ref, e)) != ORB_OK) break;
    if ((st = get_long(df, d, DF_RECORDS, "record_count", path, true, &f->record_count, &has, e)) != ORB_OK) break;
    if ((st = get_long(df, d, DF_SIZE, "file_size_in_bytes", path, true, &f->file_size, &has, e)) != ORB_OK) break;
    if (f->record_count < 0 || f->file_size < 0) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": data file \"%s\" has a negative record count or size", path, fp);
      break;
    }
    const avro_value *pt = avro_record_get(df, d, DF_PARTITION);
    /* the verdict first: an entry pruned needs no paths copied and rerooted
    ** (most of them, for a selective filter over many files) */
    if (pr) {
      /* constraints: the partition tuple, then the column metrics */
      const avro_schema *rpt = field_record(df, DF_PARTITION);
      ice_prune_verdict vd = ice_prune_entry(pr, mr->spec_id, rpt, pt && pt->kind == AVRO_RECORD ? pt : NULL, df, d,
                                             f->record_count, content == ICE_CONTENT_DATA);
      if (vd == ICE_PRUNE_BY_PARTITION || vd == ICE_PRUNE_BY_METRICS) {
        if (content != ICE_CONTENT_DATA) p->deletes_skipped++;
        else if (vd == ICE_PRUNE_BY_PARTITION) p->files_skipped_partition++;
        else p->files_skipped_metrics++;
        (content == ICE_CONTENT_DATA ? data : dels)->n--;   /* drop the entry pushed above */
        continue;
      }
      f->all_match = vd == ICE_PRUNE_ALL_MATCH;
    }
    f->orig_path = orb_arena_strdup(a, fp);
    char *up = orb_arena_strdup(a, fmt);
    for (char *c = up; *c; c++) *c = (char)toupper((unsigned char)*c);
    f->format = up;
    if (ref) f->referenced_data_file = ice_path_normalize(a, ref);
    /* (from the arena copy: a path left as it was is the argument itself) */
    if ((st = ice_reroot(a, p->meta->location, table_dir, f->orig_path, &f->path, &moved, e)) != ORB_OK) break;
    f->outside = !moved;
    if (pt && pt->kind == AVRO_RECORD && part_type) {
      avro_value *c = orb_arena_alloc(a, sizeof *c);
      *c = copy_value(a, pt);
      f->partition = c;
      f->partition_type = part_type;
    }
    const avro_value *eq = avro_record_get(df, d, DF_EQ_IDS);
    if (content == ICE_CONTENT_EQ_DELETES) {
      if (!eq || eq->kind != AVRO_ARRAY || eq->u.c.n == 0) {
        st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": equality delete file \"%s\" has no equality_ids", path, fp);
        break;
      }
      f->equality_ids = orb_arena_alloc(a, sizeof(int32_t) * eq->u.c.n);
      for (size_t i = 0; i < eq->u.c.n; i++) {
        if (eq->u.c.v[i].kind != AVRO_INT) {
          st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": equality_ids holds a %s", path, avro_kind_name(eq->u.c.v[i].kind));
          break;
        }
        f->equality_ids[f->nequality_ids++] = eq->u.c.v[i].u.i;
      }
    }
  }
  orb_arena_free(&tmp);
  return st;
}

/* (sc: the plan's schema cache, in arena a: a table's manifests share a
** few avro schemas, each then parsed once per plan, not once per manifest) */
static orb_status read_manifest(orb_arena *a, ice_plan *p, ice_prune *pr, const char *table_dir, const manifest_ref *mr,
                                avro_schema_cache *sc, file_list *data, file_list *dels, orb_err *e) {
  const char *path;
  bool moved;
  orb_status st = ice_reroot(a, p->meta->location, table_dir, mr->path, &path, &moved, e);
  if (st != ORB_OK) return st;
  avro_reader *r;
  if ((st = avro_reader_open_cached(path, 0, sc, &r, e)) != ORB_OK) return st;
  st = read_entries(a, p, pr, table_dir, mr, r, true, path, data, dels, e);
  avro_reader_close(r);
  return st;
}

static orb_status read_manifest_list(orb_arena *a, const ice_plan *p, ice_prune *pr, const char *table_dir,
                                     manifest_ref **out, int *n, orb_err *e) {
  const char *path;
  bool moved;
  orb_status st = ice_reroot(a, p->meta->location, table_dir, p->snapshot->manifest_list, &path, &moved, e);
  if (st != ORB_OK) return st;
  avro_reader *r;
  if ((st = avro_reader_open(path, 0, &r, e)) != ORB_OK) return st;
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  int cap = 8;
  manifest_ref *v = orb_arena_alloc(a, sizeof *v * (size_t)cap);
  *n = 0;
  while (st == ORB_OK) {
    avro_value rec;
    bool got, has;
    orb_arena_reset(&tmp);
    if ((st = avro_reader_next(r, &tmp, &rec, &got, e)) != ORB_OK || !got) break;
    if (*n == cap) {
      manifest_ref *g = orb_arena_alloc(a, sizeof *v * (size_t)cap * 2);
      memcpy(g, v, sizeof *v * (size_t)cap);
      v = g, cap *= 2;
    }
    manifest_ref *m = &v[*n];
    memset(m, 0, sizeof *m);
    const char *mp;
    int64_t x = 0;
    if ((st = get_string(r->schema, &rec, ML_PATH, "manifest_path", path, true, &mp, e)) != ORB_OK) break;
    m->path = orb_arena_strdup(a, mp);
    if ((st = get_long(r->schema, &rec, ML_SPEC_ID, "partition_spec_id", path, true, &x, &has, e)) != ORB_OK) break;
    m->spec_id = (int32_t)x;
    if ((st = get_long(r->schema, &rec, ML_ADDED_SNAPSHOT, "added_snapshot_id", path, false, &x, &has, e)) != ORB_OK) break;
    m->added_snapshot = has ? x : p->snapshot->snapshot_id;
    x = 0;
    if ((st = get_long(r->schema, &rec, ML_SEQ, "sequence_number", path, false, &x, &has, e)) != ORB_OK) break;
    m->seq = has ? x : 0;
    x = 0;
    if ((st = get_long(r->schema, &rec, ML_CONTENT, "content", path, false, &x, &has, e)) != ORB_OK) break;
    m->content = (int)x;
    m->skip = !ice_prune_manifest(pr, m->spec_id, r->schema, &rec);
    (*n)++;
  }
  orb_arena_free(&tmp);
  avro_reader_close(r);
  *out = v;
  return st;
}

static void finish(orb_arena *a, ice_plan *out, file_list *ldata, file_list *ldels, bool ok);

orb_status ice_scan_count_rows(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id, int64_t *rows,
                               bool *known, orb_err *e) {
  *rows = 0;
  *known = false;
  const ice_snapshot *sn = snapshot_id < 0 ? ice_meta_current_snapshot(m) : ice_meta_snapshot(m, snapshot_id);
  if (snapshot_id >= 0 && !sn)
    return orb_err_set(e, ORB_ERR_UNDEFINED, "iceberg: table \"%s\" has no snapshot %lld", table_dir, (long long)snapshot_id);
  if (!sn) {
    *known = true;
    return ORB_OK;
  }
  if (!sn->manifest_list) return ORB_OK;   /* planning says why it is not read */
  const char *path;
  bool moved;
  orb_status st = ice_reroot(a, m->location, table_dir, sn->manifest_list, &path, &moved, e);
  if (st != ORB_OK) return st;
  avro_reader *r;
  if ((st = avro_reader_open(path, 0, &r, e)) != ORB_OK) return st;
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  /* only these three fields are decoded: a list has a record per manifest */
  static const int32_t ids[3] = {ML_CONTENT, ML_ADDED_ROWS, ML_EXISTING_ROWS};
  bool *keep = orb_arena_zalloc(&tmp, (size_t)(r->schema->kind == AVRO_RECORD ? r->schema->nfields : 0) + 1);
  int idx[3];
  for (int k = 0; k < 3; k++) {
    idx[k] = avro_field_by_id(r->schema, ids[k]);
    if (idx[k] >= 0) keep[idx[k]] = true;
  }
  orb_arena recs;
  orb_arena_init(&recs, 0);
  int64_t sum = 0;
  bool ok = true;
  while (ok) {
    avro_value rec;
    bool got;
    orb_arena_reset(&recs);
    if ((st = avro_reader_next_fields(r, &recs, keep, &rec, &got, e)) != ORB_OK || !got) break;
    /* (a field of an unexpected kind: not known here; planning judges the list) */
    int64_t x[3] = {0, -1, -1};   /* content (absent: data), added rows, existing rows */
    for (int k = 0; k < 3; k++) {
      const avro_value *f = idx[k] >= 0 ? &rec.u.c.v[idx[k]] : NULL;
      if (f && f->kind == AVRO_LONG) x[k] = f->u.l;
      else if (f && f->kind == AVRO_INT) x[k] = f->u.i;
      else if (f && f->kind != AVRO_NULL) x[k] = -1;
    }
    ok = x[0] == 0 && x[1] >= 0 && x[2] >= 0;
    /* a sum past INT64_MAX saturates, as planning's does */
    if (ok && (__builtin_add_overflow(sum, x[1], &sum) || __builtin_add_overflow(sum, x[2], &sum))) sum = INT64_MAX;
  }
  orb_arena_free(&recs);
  orb_arena_free(&tmp);
  avro_reader_close(r);
  if (st == ORB_OK && ok) {
    *rows = sum;
    *known = true;
  }
  return st;
}

/* Whether delete file d applies to data file f (spec "Scan Planning"). */
static bool applies(const ice_plan *p, const ice_file *d, const ice_file *f) {
  if (d->content == ICE_CONTENT_POS_DELETES ? f->seq > d->seq : f->seq >= d->seq) return false;
  if (d->referenced_data_file && strcmp(d->referenced_data_file, f->orig_path) != 0) {
    /* compare normalized forms (a scheme spelled s3a:// or s3://) */
    orb_arena tmp;
    orb_arena_init(&tmp, 0);
    bool same = strcmp(d->referenced_data_file, ice_path_normalize(&tmp, f->orig_path)) == 0;
    orb_arena_free(&tmp);
    if (!same) return false;
  }
  const ice_partition_spec *ds = ice_meta_spec(p->meta, d->spec_id);
  if (ds && ds->nfields == 0) return true;            /* unpartitioned: global */
  if (d->spec_id != f->spec_id) return false;
  if (!d->partition || !f->partition) return d->partition == f->partition;
  return avro_value_equal(d->partition, f->partition);
}

orb_status ice_scan_plan(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id, ice_plan *out,
                         orb_err *e) {
  return ice_scan_plan_pruned(a, m, table_dir, snapshot_id, NULL, 0, out, e);
}

orb_status ice_scan_plan_pruned(orb_arena *a, const ice_meta *m, const char *table_dir, int64_t snapshot_id,
                                const ice_pred *preds, int npreds, ice_plan *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  out->meta = m;
  out->snapshot = snapshot_id < 0 ? ice_meta_current_snapshot(m) : ice_meta_snapshot(m, snapshot_id);
  if (snapshot_id >= 0 && !out->snapshot)
    return orb_err_set(e, ORB_ERR_UNDEFINED, "iceberg: table \"%s\" has no snapshot %lld", table_dir, (long long)snapshot_id);
  out->schema = out->snapshot && out->snapshot->has_schema_id ? ice_meta_schema(m, out->snapshot->schema_id) : NULL;
  if (!out->schema || snapshot_id < 0) out->schema = ice_meta_current_schema(m);
  if (!out->snapshot) return ORB_OK;
  if (!out->snapshot->manifest_list)
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: snapshot %lld of \"%s\" lists its manifests inline (v1 without a manifest list), which is not supported",
                       (long long)out->snapshot->snapshot_id, table_dir);
  manifest_ref *mans;
  int nmans;
  ice_prune *pr = ice_prune_new(a, m, out->schema, preds, npreds);
  orb_status st = read_manifest_list(a, out, pr, table_dir, &mans, &nmans, e);
  file_list data = {0}, dels = {0};
  avro_schema_cache sc;
  avro_schema_cache_init(&sc, a);
  for (int i = 0; st == ORB_OK && i < nmans; i++) {
    if (mans[i].skip) {
      out->nmanifests_skipped++;
      continue;
    }
    st = read_manifest(a, out, pr, table_dir, &mans[i], &sc, &data, &dels, e);
  }
  ice_prune_free(pr);
  if (st == ORB_OK) out->nmanifests = nmans;
  finish(a, out, &data, &dels, st == ORB_OK);
  return st;
}

/* The plan's file arrays from the lists (freed), and the delete files that
** apply to each data file. */
static void finish(orb_arena *a, ice_plan *out, file_list *ldata, file_list *ldels, bool ok) {
  file_list data = *ldata, dels = *ldels;
  if (ok) {
    out->files = orb_arena_alloc(a, sizeof(ice_file) * (size_t)(data.n + 1));
    if (data.n) memcpy(out->files, data.v, sizeof(ice_file) * (size_t)data.n);
    out->nfiles = data.n;
    out->delete_files = orb_arena_alloc(a, sizeof(ice_file) * (size_t)(dels.n + 1));
    if (dels.n) memcpy(out->delete_files, dels.v, sizeof(ice_file) * (size_t)dels.n);
    out->ndelete_files = dels.n;
    for (int i = 0; i < out->nfiles; i++) {
      ice_file *f = &out->files[i];
      /* record counts are checked non-negative; a sum past INT64_MAX saturates */
      if (__builtin_add_overflow(out->records, f->record_count, &out->records)) out->records = INT64_MAX;
      out->files_all_match += f->all_match;
      int n = 0;
      for (int k = 0; k < out->ndelete_files; k++) n += applies(out, &out->delete_files[k], f);
      if (!n) continue;
      f->deletes = orb_arena_alloc(a, sizeof(ice_file *) * (size_t)n);
      for (int k = 0; k < out->ndelete_files; k++)
        if (applies(out, &out->delete_files[k], f)) f->deletes[f->ndeletes++] = &out->delete_files[k];
      out->any_deletes = true;
    }
  }
  orb_free(data.v);
  orb_free(dels.v);
}

orb_status ice_scan_manifest_image(orb_arena *a, const ice_meta *m, const void *img, size_t len, int32_t spec_id,
                                   int64_t seq, int64_t snapshot_id, ice_plan *out, orb_err *e) {
  return ice_scan_manifest_image_pruned(a, m, img, len, spec_id, seq, snapshot_id, NULL, 0, out, e);
}

orb_status ice_scan_manifest_image_pruned(orb_arena *a, const ice_meta *m, const void *img, size_t len, int32_t spec_id,
                                          int64_t seq, int64_t snapshot_id, const ice_pred *preds, int npreds,
                                          ice_plan *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  out->meta = m;
  out->schema = ice_meta_current_schema(m);
  manifest_ref mr = {"manifest", spec_id, seq, snapshot_id, 0, false};
  avro_reader *r;
  orb_status st = avro_reader_open_image(img, len, "manifest", 0, &r, e);
  if (st != ORB_OK) return st;
  file_list data = {0}, dels = {0};
  ice_prune *pr = ice_prune_new(a, m, out->schema, preds, npreds);
  st = read_entries(a, out, pr, "/nonexistent", &mr, r, false, "manifest", &data, &dels, e);
  ice_prune_free(pr);
  avro_reader_close(r);
  if (st == ORB_OK) out->nmanifests = 1;
  finish(a, out, &data, &dels, st == ORB_OK);
  return st;
}

const avro_value *ice_partition_value(const ice_file *f, int32_t field_id) {
  if (!f->partition || !f->partition_type) return NULL;
  return avro_record_get(f->partition_type, f->partition, field_id);
}

orb_status ice_scan_open(orb_arena *a, const char *where, int64_t snapshot_id, ice_meta *m, ice_plan *out, orb_err *e) {
  return ice_scan_open_pruned(a, where, snapshot_id, NULL, 0, m, out, e);
}

orb_status ice_scan_open_pruned(orb_arena *a, const char *where, int64_t snapshot_id, const ice_pred *preds, int npreds,
                                ice_meta *m, ice_plan *out, orb_err *e) {
  ice_meta_file mf;
  orb_status st = ice_meta_open(a, where, m, &mf, e);
  if (st != ORB_OK) return st;
  char *dir = orb_arena_strdup(a, mf.path);
  char *slash = strrchr(dir, '/');
  if (!slash) dir = ".";
  else {
    *slash = '\0';
    if (slash == dir) dir = "/";
    else {
      char *up = strrchr(dir, '/');
      const char *base = up ? up + 1 : dir;
      if (strcmp(base, "metadata") == 0) {
        if (!up) dir = ".";
        else if (up == dir) dir = "/";
        else *up = '\0';
      }
    }
  }
  return ice_scan_plan_pruned(a, m, dir, snapshot_id, preds, npreds, out, e);
}
