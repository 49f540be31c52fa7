/* storage/cold/ice_manifest_merge.c — existing manifests written again as
** fewer ones (see ice_manifest_merge.h). */
#include "storage/cold/ice_manifest_merge.h"
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_value.h"
#include "base/mem.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Manifest entry fields (spec "Manifests"). */
enum { ME_STATUS = 0, ME_SNAPSHOT = 1, ME_DATA_FILE = 2, ME_SEQ = 3, ME_FILE_SEQ = 4, DF_PATH = 100, DF_RECORDS = 103 };
enum { STATUS_EXISTING = 0, STATUS_ADDED = 1, STATUS_DELETED = 2 };

/* The result type of each field of partition spec spec_id (NULL where the
** source column is in no schema's top level any more), for comparing the
** partition summaries' bounds. */
static const ice_type **partition_types(orb_arena *a, const ice_meta *m, int32_t spec_id, int n) {
  const ice_type **types = orb_arena_zalloc(a, sizeof *types * (size_t)(n + 1));
  const ice_partition_spec *spec = ice_meta_spec(m, spec_id);
  for (int i = 0; spec && i < n && i < spec->nfields; i++) {
    const ice_partition_field *f = &spec->fields[i];
    const ice_type *src = NULL;
    /* the current schema first, then older ones (a source since dropped) */
    const ice_schema *cur = ice_meta_current_schema(m);
    for (int k = -1; k < m->nschemas && !src; k++) {
      const ice_schema *sc = k < 0 ? cur : &m->schemas[k];
      for (int c = 0; sc && c < sc->nfields && !src; c++)
        if (sc->fields[c].id == f->source_id) src = sc->fields[c].type;
    }
    ice_type *t = orb_arena_zalloc(a, sizeof *t);
    orb_err ignore;
    if (src && ice_transform_result_type(&f->transform, src, t, &ignore) == ORB_OK) types[i] = t;
  }
  return types;
}

/* The lower (or upper) of two serialized bounds of type t, into *b / *len;
** false when they cannot be compared (the merged summary then has none,
** which is always sound). */
static bool merge_bound(orb_arena *a, const ice_type *t, bool lower, const uint8_t *x, size_t xl, const uint8_t **b,
                        size_t *len) {
  orb_value vx, vy;
  orb_err ignore;
  if (!t || ice_value_deserialize(t, x, xl, a, &vx, &ignore) != ORB_OK ||
      ice_value_deserialize(t, *b, *len, a, &vy, &ignore) != ORB_OK || vx.isnull || vy.isnull)
    return false;
  int c = orb_value_cmp(&vx, &vy);
  if (lower ? c < 0 : c > 0) *b = x, *len = xl;
  return true;
}

/* Widen out's partition summaries by those of member m. */
static void union_summaries(orb_arena *a, const ice_type **ptypes, ice_manifest_ref *out, const ice_manifest_ref *m) {
  if (!out->has_partitions) return;
  if (!m->has_partitions || m->npartitions != out->npartitions) {
    out->has_partitions = false;
    return;
  }
  struct ice_part_summary *ps = orb_arena_alloc(a, sizeof *ps * (size_t)(out->npartitions ? out->npartitions : 1));
  for (int p = 0; p < out->npartitions; p++) {
    const struct ice_part_summary *o = &m->partitions[p];
    ps[p] = out->partitions[p];
    ps[p].contains_null |= o->contains_null;
    ps[p].contains_nan |= o->contains_nan;
    ps[p].has_contains_nan &= o->has_contains_nan;
    ps[p].has_lower = ps[p].has_lower && o->has_lower &&
                      merge_bound(a, ptypes[p], true, o->lower, o->lower_len, &ps[p].lower, &ps[p].lower_len);
    ps[p].has_upper = ps[p].has_upper && o->has_upper &&
                      merge_bound(a, ptypes[p], false, o->upper, o->upper_len, &ps[p].upper, &ps[p].upper_len);
  }
  out->partitions = ps;
}

/* One output manifest being written. */
typedef struct merge_out {
  avro_writer *w;                /* NULL: none open */
  const char *schema_text;       /* the avro.schema its members share */
  avro_schema *schema;           /* parsed into the caller's arena (the writer borrows it) */
  ice_manifest_ref ref;
  int64_t entries;
} merge_out;

/* Outputs collected (heap array, copied into the arena at the end). */
typedef struct out_list {
  ice_manifest_ref *v;
  int n, cap;
} out_list;

static orb_status out_start(orb_arena *a, ice_merge_ctx *c, merge_out *o, const avro_reader *r, const char *text,
                            const ice_manifest_ref *member, orb_err *e) {
  memset(o, 0, sizeof *o);
  o->schema_text = text;
  orb_status st = avro_schema_parse(text, strlen(text), a, "manifest schema", &o->schema, e);
  if (st != ORB_OK) return st;
  /* the member's header keys (schema, partition-spec, format-version,
  ** content) describe the output as well: same spec, same content */
  avro_meta *meta = orb_arena_alloc(a, sizeof(avro_meta) * (size_t)(r->nmeta + 1));
  int nmeta = 0;
  for (int i = 0; i < r->nmeta; i++)
    if (strncmp(r->meta[i].key, "avro.", 5) != 0)
      meta[nmeta].key = orb_arena_strdup(a, r->meta[i].key),
      meta[nmeta].value = orb_arena_strndup(a, r->meta[i].value, r->meta[i].len), meta[nmeta].len = r->meta[i].len,
      nmeta++;
  if ((st = avro_writer_new(o->schema, AVRO_CODEC_DEFLATE, meta, nmeta, NULL, &o->w, e)) != ORB_OK) return st;
  o->ref = *member;
  o->ref.added_files = o->ref.existing_files = o->ref.deleted_files = 0;
  o->ref.added_rows = o->ref.existing_rows = o->ref.deleted_rows = 0;
  o->ref.added_snapshot_id = c->snapshot_id;
  o->ref.seq = o->ref.min_seq = c->seq;
  return ORB_OK;
}

/* Finish output o: write its file and add its list entry to l (nothing
** when it holds no entry). */
static orb_status out_finish(orb_arena *a, ice_merge_ctx *c, merge_out *o, out_list *l, orb_err *e) {
  if (!o->w) return ORB_OK;
  orb_buf img = ORB_BUF_INIT;
  orb_status st = o->entries > 0 ? avro_writer_finish(o->w, &img, e) : ORB_OK;
  avro_writer_free(o->w);
  o->w = NULL;
  if (st == ORB_OK && o->entries > 0) {
    const char *rel = orb_arena_sprintf(a, "metadata/%s-%d.avro", c->prefix, c->nwritten);
    const char *lp = orb_arena_sprintf(a, "%s/%s", c->table_dir, rel);
    if ((st = ice_write_new_file(lp, img.data, img.len, e)) == ORB_OK) {
      if (c->nwritten == c->capwritten)
        c->capwritten = c->capwritten ? c->capwritten * 2 : 8,
        c->written = orb_realloc(c->written, sizeof(char *) * (size_t)c->capwritten);
      c->written[c->nwritten++] = lp;
      char *loc = ice_location_path(c->base, rel);
      o->ref.path = orb_arena_strdup(a, loc);
      orb_free(loc);
      o->ref.length = (int64_t)img.len;
      if (l->n == l->cap) l->cap = l->cap ? l->cap * 2 : 8, l->v = orb_realloc(l->v, sizeof *l->v * (size_t)l->cap);
      l->v[l->n++] = o->ref;
    }
  }
  orb_buf_free(&img);
  return st;
}

/* Copy the entries of one member (open as r) into outputs, per the rules
** of ice_manifest_merge.h. */
static orb_status merge_member(orb_arena *a, ice_merge_ctx *c, avro_reader *r, const char *local, const char *text,
                               const ice_manifest_ref *old, const ice_type **ptypes, merge_out *o, out_list *l,
                               orb_err *e) {
  orb_status st = ORB_OK;
  if (o->w && strcmp(o->schema_text, text) != 0) st = out_finish(a, c, o, l, e);
  if (st != ORB_OK) return st;
  if (!o->w) st = out_start(a, c, o, r, text, old, e);
  else union_summaries(a, ptypes, &o->ref, old);
  if (st != ORB_OK) return st;
  int k = avro_field_by_id(r->schema, ME_DATA_FILE);
  const avro_schema *df = k < 0 ? NULL : avro_branch_of_kind(r->schema->fields[k].type, AVRO_RECORD);
  if (!df) return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\" has no data_file record (field id 2)", local);
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  while (st == ORB_OK) {
    avro_value rec;
    bool got;
    orb_arena_reset(&tmp);
    if ((st = avro_reader_next(r, &tmp, &rec, &got, e)) != ORB_OK || !got) break;
    c->entries++;
    int64_t status = avro_long_or(avro_record_get(r->schema, &rec, ME_STATUS), -1);
    int64_t snap = avro_long_or(avro_record_get(r->schema, &rec, ME_SNAPSHOT), old->added_snapshot_id);
    bool mine = snap == c->snapshot_id;
    /* a delete an earlier snapshot recorded is not carried on */
    if (status == STATUS_DELETED && !mine) continue;
    const avro_value *d = avro_record_get(r->schema, &rec, ME_DATA_FILE);
    int64_t records = d && d->kind == AVRO_RECORD ? avro_long_or(avro_record_get(df, d, DF_RECORDS), 0) : 0;
    bool replaced = false;
    if (c->gone && status != STATUS_DELETED) {
      const avro_value *fp = d && d->kind == AVRO_RECORD ? avro_record_get(df, d, DF_PATH) : NULL;
      if (!fp || fp->kind != AVRO_STRING) {
        st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": an entry has no file_path", local);
        break;
      }
      const char *path;
      if ((st = ice_maint_local(&tmp, c->base, c->table_dir, fp->u.s.data, &path, e)) != ORB_OK) break;
      replaced = path && ice_pathset_has(c->gone, path);
    }
    if (c->max_entries > 0 && o->entries >= c->max_entries) {
      if ((st = out_finish(a, c, o, l, e)) != ORB_OK || (st = out_start(a, c, o, r, text, old, e)) != ORB_OK) break;
    }
    /* inheritance written out (spec "Sequence Number Inheritance") */
    int64_t dseq = avro_long_or(avro_record_get(r->schema, &rec, ME_SEQ), old->seq);
    int64_t fseq = avro_long_or(avro_record_get(r->schema, &rec, ME_FILE_SEQ), old->seq);
    if (replaced) {
      c->hits++;
      avro_record_set(r->schema, &rec, ME_STATUS, avro_int(STATUS_DELETED));
      avro_record_set(r->schema, &rec, ME_SNAPSHOT, avro_long(c->snapshot_id));
      avro_record_set(r->schema, &rec, ME_SEQ, avro_long(dseq));
      avro_record_set(r->schema, &rec, ME_FILE_SEQ, avro_long(fseq));
      o->ref.deleted_files++, o->ref.deleted_rows += records;
    } else if (mine) {
      /* this snapshot's own ADDED or DELETED entry: as it is (an ADDED
      ** one's null sequence numbers inherit this snapshot's) */
      if (status == STATUS_DELETED) o->ref.deleted_files++, o->ref.deleted_rows += records;
      else {
        o->ref.added_files++, o->ref.added_rows += records;
        if (avro_record_get(r->schema, &rec, ME_SEQ) && dseq < o->ref.min_seq) o->ref.min_seq = dseq;
      }
    } else {
      avro_record_set(r->schema, &rec, ME_STATUS, avro_int(STATUS_EXISTING));
      avro_record_set(r->schema, &rec, ME_SNAPSHOT, avro_long(snap));
      avro_record_set(r->schema, &rec, ME_SEQ, avro_long(dseq));
      avro_record_set(r->schema, &rec, ME_FILE_SEQ, avro_long(fseq));
      o->ref.existing_files++, o->ref.existing_rows += records;
      if (dseq < o->ref.min_seq) o->ref.min_seq = dseq;
    }
    if ((st = avro_writer_append(o->w, &rec, e)) == ORB_OK) o->entries++;
  }
  orb_arena_free(&tmp);
  return st;
}

orb_status ice_manifests_merge(orb_arena *a, ice_merge_ctx *c, const ice_manifest_ref *members, int n,
                               ice_manifest_ref **out, int *nout, orb_err *e) {
  *out = NULL;
  *nout = 0;
  out_list l = {NULL, 0, 0};
  merge_out o;
  memset(&o, 0, sizeof o);
  orb_status st = ORB_OK;
  const ice_type **ptypes =
      n > 0 ? partition_types(a, c->base, members[0].spec_id, members[0].npartitions) : NULL;
  for (int i = 0; i < n && st == ORB_OK; i++) {
    const char *local;
    if ((st = ice_maint_local(a, c->base, c->table_dir, members[i].path, &local, e)) != ORB_OK) break;
    if (!local) local = members[i].path;
    avro_reader *r;
    if ((st = avro_reader_open(local, 0, &r, e)) != ORB_OK) break;
    const avro_meta *sm = avro_reader_meta(r, "avro.schema");
    if (!sm) st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\" has no avro.schema", local);
    else st = merge_member(a, c, r, local, orb_arena_strndup(a, sm->value, sm->len), &members[i], ptypes, &o, &l, e);
    avro_reader_close(r);
    c->manifests_read++;
    if (c->progress) ice_progress(c->progress, "rewrite_manifests", c->manifests_read, c->progress_total);
  }
  if (st == ORB_OK) st = out_finish(a, c, &o, &l, e);
  else if (o.w) avro_writer_free(o.w);
  if (st == ORB_OK && l.n) {
    *out = orb_arena_alloc(a, sizeof **out * (size_t)l.n);
    memcpy(*out, l.v, sizeof **out * (size_t)l.n);
    *nout = l.n;
  }
  orb_free(l.v);
  return st;
}

void ice_merge_attempt(ice_merge_ctx *c, const ice_meta *base, const char *prefix) {
  ice_merge_remove_written(c);
  c->base = base;
  c->seq = base->last_sequence_number + 1;
  c->prefix = prefix;
  c->hits = 0;
  c->entries = c->manifests_read = 0;
}

void ice_manifest_refs_add(orb_arena *a, ice_manifest_ref **v, int *len, int *cap, const ice_manifest_ref *add, int n) {
  if (*len + n > *cap) {
    *cap = 2 * (*len + n);
    ice_manifest_ref *g = orb_arena_alloc(a, sizeof *g * (size_t)*cap);
    if (*len) memcpy(g, *v, sizeof *g * (size_t)*len);
    *v = g;
  }
  if (n) memcpy(*v + *len, add, sizeof *add * (size_t)n);
  *len += n;
}

void ice_merge_remove_written(ice_merge_ctx *c) {
  for (int i = 0; i < c->nwritten; i++) unlink(c->written[i]);
  c->nwritten = 0;
}

void ice_merge_ctx_free(ice_merge_ctx *c) {
  orb_free(c->written);
  c->written = NULL;
  c->nwritten = c->capwritten = 0;
}

orb_status ice_merge_policy_of(const ice_meta *m, ice_merge_policy *p, orb_err *e) {
  const char *on = ice_kv_get(m->properties, m->nproperties, "commit.manifest-merge.enabled");
  if (on && strcasecmp(on, "true") != 0 && strcasecmp(on, "false") != 0)
    return orb_err_set(e, ORB_ERR_INVALID_TEXT,
                       "iceberg: table property commit.manifest-merge.enabled must be true or false, not \"%s\"", on);
  p->enabled = !on || strcasecmp(on, "true") == 0;
  orb_status st = ice_prop_i64(m, "commit.manifest.min-count-to-merge", ICE_MANIFEST_MIN_MERGE_DEFAULT, 0, &p->min_count, e);
  if (st == ORB_OK)
    st = ice_prop_i64(m, "commit.manifest.target-size-bytes", ICE_MANIFEST_TARGET_BYTES_DEFAULT, 1, &p->target_bytes, e);
  return st;
}

/* A bin of manifests (indexes into the caller's refs). */
typedef struct bin {
  int *v;
  int n;
} bin;

/* Java's packEnd with lookback 1: walk the group from its end, adding
** each manifest to the current bin while it stays within target, else
** starting a new one; bins and their members come back in group order.
** bins must hold n entries; *nbins gets how many were used. */
static void pack_end(orb_arena *a, const ice_manifest_ref *refs, const int *group, int n, int64_t target, bin *bins,
                     int *nbins) {
  int nb = 0;
  int64_t weight = 0;
  int *tmp = orb_arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  int start = n;   /* members of the current bin: tmp[start..n) in group order */
  for (int i = n - 1; i >= 0; i--) {
    int64_t w = refs[group[i]].length;
    if (start < n && weight + w > target) {
      bins[nb].n = n - start;
      bins[nb].v = orb_arena_alloc(a, sizeof(int) * (size_t)bins[nb].n);
      memcpy(bins[nb].v, tmp + start, sizeof(int) * (size_t)bins[nb].n);
      nb++;
      n = start;
      weight = 0;
    }
    tmp[--start] = group[i];
    weight += w;
  }
  if (start < n) {
    bins[nb].n = n - start;
    bins[nb].v = orb_arena_alloc(a, sizeof(int) * (size_t)bins[nb].n);
    memcpy(bins[nb].v, tmp + start, sizeof(int) * (size_t)bins[nb].n);
    nb++;
  }
  /* built from the end: reverse into group order */
  for (int i = 0; i < nb / 2; i++) {
    bin t = bins[i];
    bins[i] = bins[nb - 1 - i];
    bins[nb - 1 - i] = t;
  }
  *nbins = nb;
}

orb_status ice_manifests_merge_on_commit(orb_arena *a, ice_merge_ctx *c, const ice_merge_policy *p,
                                         const ice_manifest_ref *refs, int n, ice_manifest_ref **out, int *nout,
                                         orb_err *e) {
  *out = (ice_manifest_ref *)refs;
  *nout = n;
  if (!p->enabled || n < 2) return ORB_OK;
  int cap = n + 1;
  ice_manifest_ref *res = orb_arena_alloc(a, sizeof *res * (size_t)cap);
  int nres = 0;
  int *group = orb_arena_alloc(a, sizeof(int) * (size_t)(n + 1));
  bin *bins = orb_arena_alloc(a, sizeof(bin) * (size_t)(n + 1));
  bool *local_ok = orb_arena_alloc(a, (size_t)n + 1);
  bool *done = orb_arena_zalloc(a, (size_t)n + 1);
  orb_status st = ORB_OK;
  bool merged = false;
  for (int i = 0; i < n && st == ORB_OK; i++) {
    const char *local;
    st = ice_maint_local(a, c->base, c->table_dir, refs[i].path, &local, e);
    local_ok[i] = local != NULL;
  }
  /* data manifests, then delete manifests */
  for (int content = 0; content <= 1 && st == ORB_OK; content++) {
    int first = -1;
    for (int i = 0; i < n && first < 0; i++)
      if ((refs[i].content != 0) == (content != 0)) first = i;
    if (first < 0) continue;
    /* the groups by spec id, highest first (Java's order) */
    for (;;) {
      int32_t spec = INT32_MIN;
      for (int i = 0; i < n; i++)
        if (!done[i] && (refs[i].content != 0) == (content != 0) && refs[i].spec_id > spec) spec = refs[i].spec_id;
      if (spec == INT32_MIN) break;
      int ng = 0;
      for (int i = 0; i < n; i++) {
        if (done[i] || (refs[i].content != 0) != (content != 0) || refs[i].spec_id != spec) continue;
        done[i] = true;
        if (local_ok[i]) group[ng++] = i;
        else ice_manifest_refs_add(a, &res, &nres, &cap, &refs[i], 1);   /* someone else's file: never rewritten */
      }
      int nbins;
      pack_end(a, refs, group, ng, p->target_bytes, bins, &nbins);
      for (int b = 0; b < nbins && st == ORB_OK; b++) {
        bool has_first = false;
        for (int k = 0; k < bins[b].n; k++) has_first |= bins[b].v[k] == first;
        if (bins[b].n == 1 || (has_first && bins[b].n < p->min_count)) {
          for (int k = 0; k < bins[b].n; k++) ice_manifest_refs_add(a, &res, &nres, &cap, &refs[bins[b].v[k]], 1);
          continue;
        }
        ice_manifest_ref *members = orb_arena_alloc(a, sizeof *members * (size_t)bins[b].n);
        for (int k = 0; k < bins[b].n; k++) members[k] = refs[bins[b].v[k]];
        ice_manifest_ref *mo;
        int nmo;
        if ((st = ice_manifests_merge(a, c, members, bins[b].n, &mo, &nmo, e)) != ORB_OK) break;
        ice_manifest_refs_add(a, &res, &nres, &cap, mo, nmo);
        merged = true;
      }
    }
  }
  if (st == ORB_OK && merged) {
    *out = res;
    *nout = nres;
  }
  return st;
}
