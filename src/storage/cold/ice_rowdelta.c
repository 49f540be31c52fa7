/* storage/cold/ice_rowdelta.c — deleting and replacing rows of an Iceberg
** table with position delete files, merge-on-read (see ice_write.h).
**
** Deleted rows are gathered per data file as positions.  At commit they
** become one position delete file per partition (spec id + partition
** tuple, which the delete file's manifest entry carries: the planner
** applies a delete only within its partition), written next to the data
** files it refers to; one delete manifest per partition spec; and one
** snapshot through ice_snapshot_commit, together with the new rows' data
** manifest when an appender is given (UPDATE).
**
** Conflicts.  The deletes were computed on snapshot `based_on`.  Another
** writer's append in between changes nothing they say, so the commit is
** simply made on the newer snapshot; but when a data file they delete rows
** of is no longer live there (another writer deleted or rewrote it), the
** rows may have moved or gone, and the commit fails with ORB_ERR_CONFLICT
** (SQLSTATE 40001) having published nothing.  So does a delete file
** another writer committed meanwhile for one of those data files (Java's
** "conflicting delete files" check): the same row could otherwise be
** deleted twice, and an UPDATE racing another UPDATE would leave both new
** versions.  (Per data file, not per row: a delete elsewhere in the same
** file is a conflict too, which costs a retry, never a wrong result.) */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_value.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/mem.h"
#include "formats/parquet/parquet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reserved field ids of position delete files (spec "Reserved Field IDs"). */
#define ICE_ID_DELETE_FILE_PATH 2147483546
#define ICE_ID_DELETE_POS 2147483545

/* One data file rows are deleted from. */
typedef struct rd_target {
  char *path;                    /* as the manifest names it (location terms) */
  char *local_dir;               /* the local folder it is in: its delete file goes there */
  char *loc_dir;                 /* the same in location terms */
  int32_t spec_id;
  orb_value *partition;          /* one per field of its spec (strings in the delta's arena) */
  int npf;
  int64_t *pos;
  int64_t npos, cap;
} rd_target;

struct ice_rowdelta {
  orb_arena arena;
  char *table_dir;
  ice_meta meta;
  ice_meta_file mfile;
  ice_retry retry;
  int64_t based_on;
  char uuid[37];
  orb_hmap by_path;              /* hash of path -> rd_target */
  rd_target **t;
  int nt, capt;
  rd_target *last;               /* the target of the previous call (rows come file by file) */
  int64_t rows;
  int64_t snapshot_id;           /* the id the commit will use (0: a new one then) */
  ice_meta_edit_fn edit;         /* metadata changes published with the deletes (ice_rowdelta_set_edit) */
  void *edit_ctx;
  /* at commit: what was written, removed again when the commit fails */
  char **written;
  int nwritten;
};

orb_status ice_rowdelta_begin(const char *table_dir, int64_t based_on, int max_retries, ice_rowdelta **out, orb_err *e) {
  *out = NULL;
  ice_rowdelta *d = orb_calloc(1, sizeof *d);
  orb_arena_init(&d->arena, 0);
  orb_hmap_init(&d->by_path, 0);
  d->table_dir = orb_arena_strdup(&d->arena, table_dir);
  d->based_on = based_on;
  orb_status st = ice_meta_open(&d->arena, table_dir, &d->meta, &d->mfile, e);
  if (st == ORB_OK && d->meta.format_version != 2)
    st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: \"%s\" is a format version %d table; only version 2 tables take deletes",
                     table_dir, d->meta.format_version);
  if (st == ORB_OK) st = ice_retry_init(&d->retry, &d->meta, max_retries, e);
  if (st == ORB_OK) st = ice_uuid_v4(d->uuid, e);
  if (st != ORB_OK) {
    ice_rowdelta_abort(d);
    return st;
  }
  *out = d;
  return ORB_OK;
}

int64_t ice_rowdelta_rows(const ice_rowdelta *d) { return d->rows; }

/* The partition fields of spec over the current schema: names, ids and
** the transforms' result types (as the manifest's partition struct). */
static orb_status part_fields(orb_arena *a, const ice_meta *m, const ice_partition_spec *spec, ice_part_field **out,
                              orb_err *e) {
  const ice_schema *schema = ice_meta_current_schema(m);
  ice_part_field *pf = orb_arena_zalloc(a, sizeof *pf * (size_t)(spec->nfields + 1));
  for (int i = 0; i < spec->nfields; i++) {
    const ice_partition_field *f = &spec->fields[i];
    pf[i].name = f->name;
    pf[i].field_id = f->field_id;
    pf[i].source_id = f->source_id;
    pf[i].transform = f->transform;
    pf[i].source_col = -1;
    for (int c = 0; schema && c < schema->nfields; c++)
      if (schema->fields[c].id == f->source_id) pf[i].source_col = c, pf[i].source = schema->fields[c].type;
    if (!pf[i].source)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED,
                         "iceberg: partition field \"%s\" has a source (id %d) that is not a top-level column", f->name,
                         f->source_id);
    orb_status st = ice_transform_result_type(&pf[i].transform, pf[i].source, &pf[i].result, e);
    if (st != ORB_OK) return st;
  }
  *out = pf;
  return ORB_OK;
}

static uint64_t path_hash(const char *p) {
  uint64_t h = orb_hash_bytes(p, strlen(p), 0);
  return h ? h : 1;
}

static char *dir_of(orb_arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? orb_arena_strndup(a, path, (size_t)(slash - path)) : orb_arena_strdup(a, ".");
}

static orb_status new_target(ice_rowdelta *d, const ice_file *f, uint64_t h, rd_target **out, orb_err *e) {
  const ice_partition_spec *spec = ice_meta_spec(&d->meta, f->spec_id);
  if (!spec)
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: data file \"%s\" has partition spec %d, which the table does not have",
                       f->orig_path, f->spec_id);
  ice_part_field *pf;
  orb_status st = part_fields(&d->arena, &d->meta, spec, &pf, e);
  if (st != ORB_OK) return st;
  rd_target *t = orb_arena_zalloc(&d->arena, sizeof *t);
  t->path = orb_arena_strdup(&d->arena, f->orig_path);
  t->local_dir = dir_of(&d->arena, f->path);
  t->loc_dir = dir_of(&d->arena, f->orig_path);
  t->spec_id = f->spec_id;
  t->npf = spec->nfields;
  t->partition = orb_arena_zalloc(&d->arena, sizeof(orb_value) * (size_t)(t->npf + 1));
  for (int k = 0; k < t->npf; k++) {
    const avro_value *av = ice_partition_value(f, pf[k].field_id);
    if ((st = ice_avro_to_value(av, &pf[k].result, &d->arena, &t->partition[k], e)) != ORB_OK) return st;
  }
  if (d->nt == d->capt) {
    d->capt = d->capt ? d->capt * 2 : 8;
    d->t = orb_realloc(d->t, sizeof *d->t * (size_t)d->capt);
  }
  d->t[d->nt++] = t;
  orb_hmap_put(&d->by_path, h, t);
  *out = t;
  return ORB_OK;
}

orb_status ice_rowdelta_delete(ice_rowdelta *d, const ice_file *f, int64_t pos, orb_err *e) {
  if (f->content != ICE_CONTENT_DATA || pos < 0 || pos >= f->record_count)
    return orb_err_set(e, ORB_ERR_INTERNAL, "iceberg: row %lld of \"%s\" cannot be deleted: the file has %lld rows",
                       (long long)pos, f->orig_path, (long long)f->record_count);
  rd_target *t = d->last;
  if (!t || strcmp(t->path, f->orig_path) != 0) {
    uint64_t h = path_hash(f->orig_path);
    orb_hmap_iter it;
    t = NULL;
    for (rd_target *x = orb_hmap_find(&d->by_path, h, &it); x && !t; x = orb_hmap_next(&it))
      if (strcmp(x->path, f->orig_path) == 0) t = x;
    orb_status st;
    if (!t && (st = new_target(d, f, h, &t, e)) != ORB_OK) return st;
    d->last = t;
  }
  if (t->npos == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->pos = orb_realloc(t->pos, sizeof(int64_t) * (size_t)t->cap);
  }
  t->pos[t->npos++] = pos;
  d->rows++;
  return ORB_OK;
}

/* --- commit ------------------------------------------------------------------ */

static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

static bool tuple_eq(const rd_target *a, const rd_target *b) {
  if (a->spec_id != b->spec_id || a->npf != b->npf) return false;
  for (int k = 0; k < a->npf; k++) {
    const orb_value *x = &a->partition[k], *y = &b->partition[k];
    if (x->isnull != y->isnull || (!x->isnull && orb_value_cmp(x, y) != 0)) return false;
  }
  return true;
}

/* Targets in (spec, partition, path) order: the partition's targets side by
** side, each delete file's rows sorted by file_path as the spec asks. */
static int cmp_target(const void *x, const void *y) {
  const rd_target *a = *(rd_target *const *)x, *b = *(rd_target *const *)y;
  if (a->spec_id != b->spec_id) return a->spec_id < b->spec_id ? -1 : 1;
  for (int k = 0; k < a->npf && k < b->npf; k++) {
    const orb_value *p = &a->partition[k], *q = &b->partition[k];
    if (p->isnull != q->isnull) return p->isnull ? -1 : 1;
    int c = p->isnull ? 0 : orb_value_cmp(p, q);
    if (c) return c;
  }
  return strcmp(a->path, b->path);
}

/* Bounds of a delete file's two columns, in the single-value serialization. */
static orb_status put_bound(ice_col_metrics *m, const ice_type *t, const orb_value *lo, const orb_value *hi, orb_err *e) {
  orb_status st = ice_value_serialize(t, lo, &m->lower, e);
  if (st == ORB_OK) st = ice_value_serialize(t, hi, &m->upper, e);
  m->has_lower = m->has_upper = st == ORB_OK;
  return st;
}

/* Write the position delete file of targets t[0..n) (one partition) and
** describe it as a manifest entry. */
static orb_status write_delete_file(ice_rowdelta *d, rd_target **t, int n, int seq, ice_data_file **out, orb_err *e) {
  *out = NULL;
  const char *name = orb_arena_sprintf(&d->arena, "%05d-0-%s-deletes.parquet", seq, d->uuid);
  ice_data_file *f = orb_calloc(1, sizeof *f);
  f->local = orb_strdup(orb_arena_sprintf(&d->arena, "%s/%s", t[0]->local_dir, name));
  f->location = orb_strdup(orb_arena_sprintf(&d->arena, "%s/%s", t[0]->loc_dir, name));
  f->referenced = n == 1 ? t[0]->path : NULL;
  f->partition = orb_calloc((size_t)(t[0]->npf + 1), sizeof(orb_value));
  for (int k = 0; k < t[0]->npf; k++) f->partition[k] = t[0]->partition[k];
  pq_write_column cols[2] = {
      {"file_path", orb_type_make(ORB_T_TEXT), false, ICE_ID_DELETE_FILE_PATH, false, 0},
      {"pos", orb_type_make(ORB_T_INT64), false, ICE_ID_DELETE_POS, false, 0},
  };
  pq_write_opts o;
  pq_write_opts_init(&o);
  pq_writer *w = NULL;
  orb_status st = pq_writer_open(f->local, cols, 2, &o, &w, e);
  if (st == ORB_OK) {
    d->written = orb_realloc(d->written, sizeof(char *) * (size_t)(d->nwritten + 1));
    d->written[d->nwritten++] = orb_arena_strdup(&d->arena, f->local);
  }
  int64_t minpos = INT64_MAX, maxpos = -1, rows = 0;
  enum { CHUNK = 4096 };
  orb_value *pv = orb_malloc(sizeof(orb_value) * CHUNK), *qv = orb_malloc(sizeof(orb_value) * CHUNK);
  for (int i = 0; i < n && st == ORB_OK; i++) {
    rd_target *x = t[i];
    qsort(x->pos, (size_t)x->npos, sizeof(int64_t), cmp_i64);
    int64_t m = 0;   /* a row deleted twice in one statement is one delete */
    for (int64_t k = 0; k < x->npos; k++)
      if (m == 0 || x->pos[k] != x->pos[m - 1]) x->pos[m++] = x->pos[k];
    x->npos = m;
    if (m > 0) minpos = x->pos[0] < minpos ? x->pos[0] : minpos, maxpos = x->pos[m - 1] > maxpos ? x->pos[m - 1] : maxpos;
    for (int64_t k = 0; k < m && st == ORB_OK;) {
      int64_t c = m - k < CHUNK ? m - k : CHUNK;
      for (int64_t j = 0; j < c; j++) {
        pv[j] = orb_text(x->path, strlen(x->path));
        qv[j] = orb_int(ORB_T_INT64, x->pos[k + j]);
      }
      const orb_value *cv[2] = {pv, qv};
      st = pq_writer_write(w, cv, c, e);
      k += c;
      rows += c;
    }
  }
  orb_free(pv);
  orb_free(qv);
  if (w) {
    if (st == ORB_OK) st = pq_writer_close(w, e);
    else pq_writer_abort(w);
  }
  f->ncols = 2;
  f->cols = orb_calloc(2, sizeof(ice_col_metrics));
  pq_file_meta *pm = NULL;
  if (st == ORB_OK) st = ice_data_file_seal(f, &pm, e);
  if (st == ORB_OK) {
    f->records = rows;
    for (int c = 0; c < 2; c++) {
      ice_col_metrics *m = &f->cols[c];
      m->field_id = cols[c].field_id;
      m->values = rows;
      m->nans = -1;
    }
    /* whole paths, never truncated: a reader tells from the bounds which
    ** data files the delete file can name (Java keeps them whole too) */
    static const ice_type str_t = {.kind = ICE_STRING}, long_t = {.kind = ICE_LONG};
    orb_value lo = orb_text(t[0]->path, strlen(t[0]->path)), hi = orb_text(t[n - 1]->path, strlen(t[n - 1]->path));
    orb_value plo = orb_int(ORB_T_INT64, minpos), phi = orb_int(ORB_T_INT64, maxpos);
    if (rows > 0 && (st = put_bound(&f->cols[0], &str_t, &lo, &hi, e)) == ORB_OK) st = put_bound(&f->cols[1], &long_t, &plo, &phi, e);
  }
  pq_meta_free(pm);
  if (st != ORB_OK) {
    ice_data_file_free(f);   /* its partition array is its own (the values' strings are the targets') */
    return st;
  }
  *out = f;
  return ORB_OK;
}

/* The carry callback: every parent manifest carries forward; when the
** parent is not the snapshot the deletes were computed on, every data file
** they name must still be live in it. */
static orb_status check_live(void *ctx, orb_arena *a, const ice_meta *base, const ice_manifest_ref *parent, int nparent,
                             ice_manifest_ref **keep, int *nkeep, ice_summary_delta *delta, orb_err *e) {
  (void)parent, (void)nparent, (void)keep, (void)nkeep, (void)delta;
  ice_rowdelta *d = ctx;
  if (base->current_snapshot_id == d->based_on) return ORB_OK;
  ice_plan p;
  orb_status st = ORB_OK;
  if (base->current_snapshot_id >= 0) st = ice_scan_plan(a, base, d->table_dir, -1, &p, e);
  else memset(&p, 0, sizeof p);
  if (st != ORB_OK) return st;
  orb_hmap live;
  orb_hmap_init(&live, 0);
  for (int i = 0; i < p.nfiles; i++)
    orb_hmap_put(&live, path_hash(p.files[i].orig_path), &p.files[i]);
  /* deletes committed after based_on (a higher sequence number) */
  int64_t based_seq = -1;
  for (int i = 0; i < base->nsnapshots; i++)
    if (base->snapshots[i].snapshot_id == d->based_on) based_seq = base->snapshots[i].sequence_number;
  for (int i = 0; i < d->nt && st == ORB_OK; i++) {
    orb_hmap_iter it;
    const ice_file *found = NULL;
    for (ice_file *f = orb_hmap_find(&live, path_hash(d->t[i]->path), &it); f && !found; f = orb_hmap_next(&it))
      if (strcmp(f->orig_path, d->t[i]->path) == 0) found = f;
    bool deleted_meanwhile = false;
    for (int k = 0; found && k < found->ndeletes; k++) deleted_meanwhile |= based_seq < 0 || found->deletes[k]->seq > based_seq;
    if (!found)
      st = orb_err_set(e, ORB_ERR_CONFLICT,
                       "could not serialize access due to concurrent update: data file \"%s\" of Iceberg table \"%s\" "
                       "was removed by another writer",
                       d->t[i]->path, d->table_dir);
    else if (deleted_meanwhile)
      st = orb_err_set(e, ORB_ERR_CONFLICT,
                       "could not serialize access due to concurrent update: another writer deleted rows of data file "
                       "\"%s\" of Iceberg table \"%s\"",
                       d->t[i]->path, d->table_dir);
  }
  orb_hmap_free(&live);
  return st;
}

void ice_rowdelta_set_snapshot_id(ice_rowdelta *d, int64_t id) { d->snapshot_id = id; }

void ice_rowdelta_set_edit(ice_rowdelta *d, ice_meta_edit_fn edit, void *ctx) {
  d->edit = edit;
  d->edit_ctx = ctx;
}

orb_status ice_rowdelta_check(ice_rowdelta *d, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file f;
  orb_status st = ice_meta_open(&a, d->table_dir, &m, &f, e);
  if (st == ORB_OK) st = check_live(d, &a, &m, NULL, 0, NULL, NULL, NULL, e);
  orb_arena_free(&a);
  return st;
}

orb_status ice_rowdelta_commit(ice_rowdelta *d, ice_append *app, int64_t *snapshot_id, orb_err *e) {
  *snapshot_id = -1;
  orb_arena *a = &d->arena;
  ice_snapshot_change c;
  memset(&c, 0, sizeof c);
  c.snapshot_id = d->snapshot_id > 0 ? d->snapshot_id : ice_new_snapshot_id(&d->meta);
  c.uuid = d->uuid;
  ice_manifest_ref *refs = orb_arena_zalloc(a, sizeof *refs * (size_t)(d->nt + 2));
  int nrefs = 0;
  orb_status st = ORB_OK;
  if (app) {
    if ((st = ice_append_prepare(app, c.snapshot_id, &refs[0], &c.delta, e)) == ORB_OK && refs[0].path) nrefs++;
  } else {
    c.delta.changed_partitions = -1;
  }
  bool adds = nrefs > 0;
  int data_partitions = c.delta.changed_partitions < 0 ? 0 : c.delta.changed_partitions;
  /* the delete files: one per partition */
  ice_data_file **files = orb_arena_zalloc(a, sizeof *files * (size_t)(d->nt + 1));
  int32_t *file_spec = orb_arena_zalloc(a, sizeof(int32_t) * (size_t)(d->nt + 1));
  int nfiles = 0;
  if (d->nt > 1) qsort(d->t, (size_t)d->nt, sizeof *d->t, cmp_target);
  for (int i = 0; i < d->nt && st == ORB_OK;) {
    int j = i + 1;
    while (j < d->nt && tuple_eq(d->t[i], d->t[j])) j++;
    file_spec[nfiles] = d->t[i]->spec_id;
    if ((st = write_delete_file(d, d->t + i, j - i, nfiles, &files[nfiles], e)) == ORB_OK) nfiles++;
    i = j;
  }
  /* one delete manifest per partition spec (the files are in spec order) */
  for (int i = 0; i < nfiles && st == ORB_OK;) {
    int32_t spec_id = file_spec[i];
    int j = i + 1;
    while (j < nfiles && file_spec[j] == spec_id) j++;
    const ice_partition_spec *spec = ice_meta_spec(&d->meta, spec_id);
    ice_part_field *pf;
    if ((st = part_fields(a, &d->meta, spec, &pf, e)) != ORB_OK) break;
    const char *mrel = orb_arena_sprintf(a, "metadata/%s-m%d-deletes.avro", d->uuid, nrefs);
    const char *mlocal = orb_arena_sprintf(a, "%s/%s", d->table_dir, mrel);
    char *mloc = ice_location_path(&d->meta, mrel);
    orb_buf img = ORB_BUF_INIT;
    st = ice_manifest_write(a, ice_meta_current_schema(&d->meta), spec, pf, spec->nfields, ICE_CONTENT_POS_DELETES, files + i,
                            j - i, c.snapshot_id, &img, &refs[nrefs], e);
    if (st == ORB_OK && (st = ice_write_new_file(mlocal, img.data, img.len, e)) == ORB_OK) {
      d->written = orb_realloc(d->written, sizeof(char *) * (size_t)(d->nwritten + 1));
      d->written[d->nwritten++] = orb_arena_strdup(a, mlocal);
      refs[nrefs].path = orb_arena_strdup(a, mloc);
      refs[nrefs].length = (int64_t)img.len;
      nrefs++;
    }
    orb_free(mloc);
    orb_buf_free(&img);
    i = j;
  }
  for (int i = 0; i < nfiles; i++) {
    c.delta.added_pos_delete_files++;
    c.delta.added_pos_deletes += files[i]->records;
    c.delta.added_files_size += files[i]->size;
  }
  /* partitions changed: those of the new data files, and those of the
  ** deletes that hold no new data file */
  if (nfiles > 0) c.delta.changed_partitions = data_partitions + nfiles;
  if (app && nfiles > 0 && data_partitions > 0)
    for (int i = 0; i < nfiles; i++)
      if (ice_append_has_partition(app, files[i]->partition)) c.delta.changed_partitions--;
  bool unsure = false;
  if (st == ORB_OK && nrefs > 0) {
    c.operation = adds && nfiles ? "overwrite" : adds ? "append" : "delete";
    c.manifests = refs;
    c.nmanifests = nrefs;
    c.carry = check_live;
    c.carry_ctx = d;
    /* the append's edit checks its files' schema too; the same edit as d's */
    if (app) ice_append_edit_of(app, &c.edit, &c.edit_ctx);
    if (!c.edit) c.edit = d->edit, c.edit_ctx = d->edit_ctx;
    st = ice_snapshot_commit(a, d->table_dir, &d->meta, &d->mfile, &d->retry, &c, NULL, &unsure, NULL, e);
    if (st == ORB_OK) *snapshot_id = c.snapshot_id;
  }
  for (int i = 0; i < nfiles; i++) ice_data_file_free(files[i]);
  if (app) ice_append_release(app, st != ORB_OK && !unsure);
  if (st == ORB_OK || unsure) d->nwritten = 0;   /* the table's now (or perhaps): keep them */
  ice_rowdelta_abort(d);
  return st;
}

void ice_rowdelta_abort(ice_rowdelta *d) {
  if (!d) return;
  for (int i = 0; i < d->nwritten; i++) unlink(d->written[i]);
  for (int i = 0; i < d->nt; i++) orb_free(d->t[i]->pos);
  orb_free(d->t);
  orb_free(d->written);
  orb_hmap_free(&d->by_path);
  orb_arena_free(&d->arena);
  orb_free(d);
}
