/* storage/cold/ice_rewrite.c — compaction: small data files and data files
** with deletes rewritten into target-size files, committed as a "replace"
** snapshot (see ice_maint.h). */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_maint_int.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_value.h"
#include "storage/cold/ice_write_int.h"
#include "base/mem.h"

#include <string.h>
#include <unistd.h>

/* Manifest entry fields (spec "Manifests"). */
enum { ME_STATUS = 0, ME_SNAPSHOT = 1, ME_DATA_FILE = 2, ME_SEQ = 3, ME_FILE_SEQ = 4, DF_PATH = 100, DF_RECORDS = 103 };
enum { STATUS_EXISTING = 0, STATUS_DELETED = 2 };

#define ICE_TARGET_FILE_BYTES_DEFAULT ((int64_t)512 << 20)   /* Java's write.target-file-size-bytes */

typedef struct rewrite_ctx {
  const char *table_dir;
  int64_t snapshot_id;
  const char *uuid;
  ice_pathset *gone;             /* local paths of the data and delete files replaced */
  ice_pathset *known_deletes;    /* local paths of the delete files the plan saw */
  const char **written;          /* this attempt's rewritten manifests (local paths, heap array) */
  int nwritten, capwritten;
  int attempt;
} rewrite_ctx;

/* The manifests of one partition spec and content whose Avro schemas are
** the same text: they can be written again as one manifest. */
typedef struct merge_group {
  int32_t spec_id, content;
  const char *schema_json;       /* avro.schema of the first member */
  int *members;                  /* indexes of the parent's manifests (heap) */
  int n, cap;
} merge_group;

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

/* Write the manifests of group g again as one manifest of this snapshot:
** entries of replaced files DELETED, the others EXISTING (their inherited
** snapshot id and sequence numbers written out, since the manifest that
** held them changes), entries already DELETED dropped.  *hits counts the
** replaced files found. */
static orb_status rewrite_group(rewrite_ctx *c, orb_arena *a, const ice_meta *base, const ice_manifest_ref *parent,
                                const char *const *locals, const merge_group *g, int64_t seq, ice_manifest_ref *out,
                                int *hits, orb_err *e) {
  avro_reader *first;
  orb_status st = avro_reader_open(locals[g->members[0]], 0, &first, e);
  if (st != ORB_OK) return st;
  avro_meta *meta = orb_arena_alloc(a, sizeof(avro_meta) * (size_t)(first->nmeta + 1));
  int nmeta = 0;
  for (int i = 0; i < first->nmeta; i++)
    if (strncmp(first->meta[i].key, "avro.", 5) != 0) meta[nmeta++] = first->meta[i];
  avro_writer *w = NULL;
  st = avro_writer_new(first->schema, AVRO_CODEC_DEFLATE, meta, nmeta, NULL, &w, e);
  *out = parent[g->members[0]];
  out->added_files = out->existing_files = out->deleted_files = 0;
  out->added_rows = out->existing_rows = out->deleted_rows = 0;
  out->added_snapshot_id = c->snapshot_id;
  out->seq = seq;
  out->min_seq = seq;
  const ice_type **ptypes = partition_types(a, base, g->spec_id, out->npartitions);
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  for (int mi = 0; mi < g->n && st == ORB_OK; mi++) {
    const ice_manifest_ref *old = &parent[g->members[mi]];
    const char *local = locals[g->members[mi]];
    avro_reader *r = first;
    if (mi > 0 && (st = avro_reader_open(local, 0, &r, e)) != ORB_OK) break;
    int k = avro_field_by_id(r->schema, ME_DATA_FILE);
    const avro_schema *df = k < 0 ? NULL : avro_branch_of_kind(r->schema->fields[k].type, AVRO_RECORD);
    if (!df) st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\" has no data_file record (field id 2)", local);
    /* the merged summaries: the union of the members' — the lowest lower
    ** bound and the highest upper one, compared as the partition field's
    ** type, so that scan planning still skips the merged manifest; a bound
    ** a member lacks, or one that does not decode, leaves none */
    if (mi > 0 && out->has_partitions && old->has_partitions && old->npartitions == out->npartitions) {
      struct ice_part_summary *ps = orb_arena_alloc(a, sizeof *ps * (size_t)(out->npartitions ? out->npartitions : 1));
      for (int p = 0; p < out->npartitions; p++) {
        const struct ice_part_summary *o = &old->partitions[p];
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
    } else if (mi > 0) {
      out->has_partitions = false;
    }
    while (st == ORB_OK) {
      avro_value rec;
      bool got;
      orb_arena_reset(&tmp);
      if ((st = avro_reader_next(r, &tmp, &rec, &got, e)) != ORB_OK || !got) break;
      int64_t status = avro_long_or(avro_record_get(r->schema, &rec, ME_STATUS), -1);
      if (status == STATUS_DELETED) continue;
      const avro_value *d = avro_record_get(r->schema, &rec, ME_DATA_FILE);
      const avro_value *fp = d && d->kind == AVRO_RECORD ? avro_record_get(df, d, DF_PATH) : NULL;
      if (!fp || fp->kind != AVRO_STRING) {
        st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": an entry has no file_path", local);
        break;
      }
      const char *path;
      if ((st = ice_maint_local(&tmp, base, c->table_dir, fp->u.s.data, &path, e)) != ORB_OK) break;
      int64_t records = avro_long_or(avro_record_get(df, d, DF_RECORDS), 0);
      /* inheritance written out (spec "Sequence Number Inheritance") */
      int64_t snap = avro_long_or(avro_record_get(r->schema, &rec, ME_SNAPSHOT), old->added_snapshot_id);
      int64_t dseq = avro_long_or(avro_record_get(r->schema, &rec, ME_SEQ), old->seq);
      int64_t fseq = avro_long_or(avro_record_get(r->schema, &rec, ME_FILE_SEQ), old->seq);
      bool replaced = path && ice_pathset_has(c->gone, path);
      avro_record_set(r->schema, &rec, ME_STATUS, avro_int(replaced ? STATUS_DELETED : STATUS_EXISTING));
      avro_record_set(r->schema, &rec, ME_SNAPSHOT, avro_long(replaced ? c->snapshot_id : snap));
      avro_record_set(r->schema, &rec, ME_SEQ, avro_long(dseq));
      avro_record_set(r->schema, &rec, ME_FILE_SEQ, avro_long(fseq));
      if (replaced) {
        (*hits)++;
        out->deleted_files++;
        out->deleted_rows += records;
      } else {
        out->existing_files++;
        out->existing_rows += records;
        if (dseq < out->min_seq) out->min_seq = dseq;
      }
      st = avro_writer_append(w, &rec, e);
    }
    if (mi > 0) avro_reader_close(r);
  }
  orb_arena_free(&tmp);
  orb_buf img = ORB_BUF_INIT;
  if (st == ORB_OK) st = avro_writer_finish(w, &img, e);
  if (w) avro_writer_free(w);
  avro_reader_close(first);
  if (st == ORB_OK) {
    const char *rel = orb_arena_sprintf(a, "metadata/%s-r%d-%d.avro", c->uuid, c->attempt, c->nwritten);
    const char *lp = orb_arena_sprintf(a, "%s/%s", c->table_dir, rel);
    if ((st = ice_write_new_file(lp, img.data, img.len, e)) == ORB_OK) {
      if (c->nwritten == c->capwritten)
        c->capwritten = c->capwritten ? c->capwritten * 2 : 8,
        c->written = orb_realloc(c->written, sizeof(char *) * (size_t)c->capwritten);
      c->written[c->nwritten++] = lp;
      char *loc = ice_location_path(base, rel);
      out->path = orb_arena_strdup(a, loc);
      orb_free(loc);
      out->length = (int64_t)img.len;
    }
  }
  orb_buf_free(&img);
  return st;
}

static void remove_written(rewrite_ctx *c) {
  for (int i = 0; i < c->nwritten; i++) unlink(c->written[i]);
  c->nwritten = 0;
}

/* The avro.schema text of a manifest (for merging), NULL if unreadable. */
static const char *schema_text(orb_arena *a, const char *local) {
  avro_reader *r;
  orb_err ignore;
  if (avro_reader_open(local, 0, &r, &ignore) != ORB_OK) return NULL;
  const avro_meta *m = avro_reader_meta(r, "avro.schema");
  const char *t = m ? orb_arena_strndup(a, m->value, m->len) : NULL;
  avro_reader_close(r);
  return t;
}

/* ice_carry_fn: the parent's manifests that hold no replaced file carry
** forward as they are; those that do are written again, merged into one
** manifest per partition spec and content (Java merges small manifests
** too), so that a compaction of many small appends leaves few manifests.
** A replaced file missing, or a delete file the plan did not see, is a
** conflict. */
static orb_status carry(void *vctx, orb_arena *a, const ice_meta *base, const ice_manifest_ref *parent, int nparent,
                        ice_manifest_ref **keep, int *nkeep, ice_summary_delta *delta, orb_err *e) {
  (void)delta;
  rewrite_ctx *c = vctx;
  remove_written(c);   /* a lost attempt's manifests are no one's */
  c->attempt++;
  ice_manifest_ref *out = orb_arena_alloc(a, sizeof *out * (size_t)(nparent + 1));
  const char **locals = orb_arena_alloc(a, sizeof(char *) * (size_t)(nparent + 1));
  merge_group *groups = NULL;
  int ngroups = 0, capg = 0, nout = 0, hits = 0;
  orb_status st = ORB_OK;
  int64_t seq = base->last_sequence_number + 1;
  for (int i = 0; i < nparent && st == ORB_OK; i++) {
    const char *mp;
    if ((st = ice_maint_local(a, base, c->table_dir, parent[i].path, &mp, e)) != ORB_OK) break;
    locals[i] = mp ? mp : parent[i].path;
    ice_entry *en;
    int n;
    if ((st = ice_manifest_entries(a, c->table_dir, base, locals[i], &en, &n, e)) != ORB_OK) break;
    int here = 0;
    for (int k = 0; k < n && st == ORB_OK; k++) {
      if (!en[k].live || !en[k].path) continue;
      if (ice_pathset_has(c->gone, en[k].path)) here++;
      else if (en[k].content != ICE_CONTENT_DATA && !ice_pathset_has(c->known_deletes, en[k].path))
        st = orb_err_set(e, ORB_ERR_CONFLICT,
                         "iceberg: a concurrent commit added delete file \"%s\" while the table was compacted: run it again",
                         en[k].path);
    }
    if (st != ORB_OK) break;
    if (here == 0) {
      out[nout++] = parent[i];
      continue;
    }
    const char *sj = schema_text(a, locals[i]);
    int g = 0;
    while (g < ngroups && !(groups[g].spec_id == parent[i].spec_id && groups[g].content == parent[i].content && sj &&
                            groups[g].schema_json && strcmp(groups[g].schema_json, sj) == 0))
      g++;
    if (g == ngroups) {
      if (ngroups == capg) capg = capg ? capg * 2 : 8, groups = orb_realloc(groups, sizeof *groups * (size_t)capg);
      groups[ngroups++] = (merge_group){parent[i].spec_id, parent[i].content, sj, NULL, 0, 0};
    }
    merge_group *mg = &groups[g];
    if (mg->n == mg->cap) mg->cap = mg->cap ? mg->cap * 2 : 8, mg->members = orb_realloc(mg->members, sizeof(int) * (size_t)mg->cap);
    mg->members[mg->n++] = i;
  }
  for (int g = 0; g < ngroups; g++) {
    if (st == ORB_OK) st = rewrite_group(c, a, base, parent, locals, &groups[g], seq, &out[nout++], &hits, e);
    orb_free(groups[g].members);
  }
  orb_free(groups);
  if (st == ORB_OK && hits != c->gone->n)
    st = orb_err_set(e, ORB_ERR_CONFLICT,
                     "iceberg: a concurrent commit removed %d of the files being compacted: run it again",
                     c->gone->n - hits);
  *keep = out;
  *nkeep = nout;
  return st;
}

/* One partition's files to rewrite. */
typedef struct group {
  int32_t spec_id;
  const avro_value *partition;
  int *files;                    /* indexes into the plan's files (heap) */
  int n, cap;
  bool deletes;
} group;

static bool same_partition(const group *g, const ice_file *f) {
  if (g->spec_id != f->spec_id) return false;
  if (!g->partition || !f->partition) return g->partition == f->partition;
  return avro_value_equal(g->partition, f->partition);
}

orb_status ice_rewrite_data_files(const char *table_dir, const ice_maint_opts *o, ice_maint_result *res, orb_err *e) {
  memset(res, 0, sizeof *res);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  ice_plan p;
  orb_status st = ice_meta_open(&a, table_dir, &m, &mf, e);
  if (st == ORB_OK) st = ice_scan_plan(&a, &m, table_dir, -1, &p, e);
  int64_t target = o->target_file_bytes;
  if (st == ORB_OK && target <= 0)
    st = ice_prop_i64(&m, "write.target-file-size-bytes", ICE_TARGET_FILE_BYTES_DEFAULT, 1, &target, e);
  if (st != ORB_OK || !p.snapshot) {
    orb_arena_free(&a);
    return st;
  }
  /* the groups: small files and files with deletes, by partition */
  group *groups = NULL;
  int ngroups = 0, capg = 0;
  for (int i = 0; i < p.nfiles; i++) {
    const ice_file *f = &p.files[i];
    if (f->outside || strcmp(f->format, "PARQUET") != 0) continue;
    if (f->file_size >= target / 4 * 3 && f->ndeletes == 0) continue;
    int g = 0;
    while (g < ngroups && !same_partition(&groups[g], f)) g++;
    if (g == ngroups) {
      if (ngroups == capg) capg = capg ? capg * 2 : 8, groups = orb_realloc(groups, sizeof *groups * (size_t)capg);
      groups[ngroups++] = (group){f->spec_id, f->partition, NULL, 0, 0, false};
    }
    group *gr = &groups[g];
    if (gr->n == gr->cap) gr->cap = gr->cap ? gr->cap * 2 : 8, gr->files = orb_realloc(gr->files, sizeof(int) * (size_t)gr->cap);
    gr->files[gr->n++] = i;
    gr->deletes |= f->ndeletes > 0;
  }
  /* the files of the groups worth rewriting: two or more, or with deletes */
  ice_file *chosen = orb_arena_alloc(&a, sizeof(ice_file) * (size_t)(p.nfiles + 1));
  int nchosen = 0;
  for (int g = 0; g < ngroups; g++) {
    if (groups[g].n >= 2 || groups[g].deletes)
      for (int k = 0; k < groups[g].n; k++) chosen[nchosen++] = p.files[groups[g].files[k]];
    orb_free(groups[g].files);
  }
  orb_free(groups);
  if (nchosen == 0) {
    orb_arena_free(&a);
    return ORB_OK;
  }

  ice_pathset gone, known_deletes;
  ice_pathset_init(&gone);
  ice_pathset_init(&known_deletes);
  ice_snapshot_change c;
  memset(&c, 0, sizeof c);
  ice_summary_delta removed;
  memset(&removed, 0, sizeof removed);
  for (int i = 0; i < nchosen; i++) {
    ice_pathset_add(&a, &gone, chosen[i].path);
    removed.deleted_data_files++;
    removed.deleted_records += chosen[i].record_count;
    removed.removed_files_size += chosen[i].file_size;
    res->rewritten_bytes += chosen[i].file_size;
  }
  res->rewritten_data_files = nchosen;
  /* delete files every data file of which is replaced go with them */
  for (int d = 0; d < p.ndelete_files; d++) {
    const ice_file *df = &p.delete_files[d];
    if (!df->outside) ice_pathset_add(&a, &known_deletes, df->path);
    int applies = 0, replaced = 0;
    for (int i = 0; i < p.nfiles; i++)
      for (int k = 0; k < p.files[i].ndeletes; k++)
        if (p.files[i].deletes[k] == df) applies++, replaced += ice_pathset_has(&gone, p.files[i].path);
    if (applies == 0 || applies != replaced || df->outside) continue;
    ice_pathset_add(&a, &gone, df->path);
    res->removed_delete_files++;
    removed.removed_files_size += df->file_size;
    if (df->content == ICE_CONTENT_POS_DELETES) removed.removed_pos_delete_files++, removed.removed_pos_deletes += df->record_count;
    else removed.removed_eq_delete_files++, removed.removed_eq_deletes += df->record_count;
  }

  /* read the chosen files with their deletes applied, and write them again */
  ice_plan sub = p;
  sub.files = chosen;
  sub.nfiles = nchosen;
  ice_column *cols = NULL;
  int ncols = 0;
  ice_reader *r = NULL;
  ice_append *app = NULL;
  ice_write_opts wo;
  ice_write_opts_init(&wo);
  wo.target_file_bytes = target;
  wo.max_retries = o->max_retries;
  st = ice_columns(&a, p.schema, &cols, &ncols, e);
  for (int i = 0; st == ORB_OK && i < ncols; i++)
    if (cols[i].json)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\" is a struct, list or map, which compaction cannot write yet",
                       cols[i].name);
  if (st == ORB_OK) st = ice_reader_open(&sub, cols, ncols, &r, e);
  if (st == ORB_OK) st = ice_append_begin(table_dir, &wo, &app, e);
  if (st == ORB_OK && ice_append_ncols(app) != ncols)
    st = orb_err_set(e, ORB_ERR_CONFLICT, "iceberg: the table's schema changed while it was compacted: run it again");
  int64_t files_done = 0;
  while (st == ORB_OK) {
    const orb_value *row;
    if ((st = ice_reader_next(r, &row, e)) != ORB_OK || !row) break;
    st = ice_append_rows(app, row, 1, e);
    int64_t f = ice_reader_counts(r).files;
    if (f != files_done) ice_progress(o, "rewrite_data_files", files_done = f, nchosen);
  }
  if (r) ice_reader_free(r);
  char uuid[37];
  if (st == ORB_OK) st = ice_uuid_v4(uuid, e);
  ice_manifest_ref mref;
  memset(&mref, 0, sizeof mref);
  c.snapshot_id = ice_new_snapshot_id(&m);
  if (st == ORB_OK) st = ice_append_prepare(app, c.snapshot_id, &mref, &c.delta, e);
  res->added_data_files = c.delta.added_data_files;
  c.delta.deleted_data_files = removed.deleted_data_files;
  c.delta.deleted_records = removed.deleted_records;
  c.delta.removed_files_size = removed.removed_files_size;
  c.delta.removed_pos_delete_files = removed.removed_pos_delete_files;
  c.delta.removed_eq_delete_files = removed.removed_eq_delete_files;
  c.delta.removed_pos_deletes = removed.removed_pos_deletes;
  c.delta.removed_eq_deletes = removed.removed_eq_deletes;
  /* the new files land in the partitions the old ones held */
  c.delta.changed_partitions = -1;

  rewrite_ctx rc = {table_dir, c.snapshot_id, uuid, &gone, &known_deletes, NULL, 0, 0, 0};
  bool unsure = false;
  if (st == ORB_OK) {
    if (o->before_commit) o->before_commit(o->before_commit_ctx);
    ice_retry retry;
    c.operation = "replace";
    c.manifests = &mref;
    c.nmanifests = mref.path ? 1 : 0;   /* every row deleted: nothing new to write */
    c.carry = carry;
    c.carry_ctx = &rc;
    c.uuid = uuid;
    int attempts;
    st = ice_retry_init(&retry, &m, o->max_retries, e);
    if (st == ORB_OK) st = ice_snapshot_commit(&a, table_dir, &m, &mf, &retry, &c, &attempts, &unsure, NULL, e);
  }
  if (st != ORB_OK && !unsure) remove_written(&rc);
  orb_free(rc.written);
  if (app) ice_append_release(app, st != ORB_OK && !unsure);
  if (st != ORB_OK) memset(res, 0, sizeof *res);
  ice_pathset_free(&gone);
  ice_pathset_free(&known_deletes);
  orb_arena_free(&a);
  return st;
}
