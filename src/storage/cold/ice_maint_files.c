/* storage/cold/ice_maint_files.c — what table maintenance shares (see
** ice_maint_int.h): path sets, reading a manifest's entries, what a
** snapshot reaches, progress, deleting. */
#include "storage/cold/ice_maint_int.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_write_int.h"
#include "base/mem.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Manifest entry fields (spec "Manifests"). */
enum { ME_STATUS = 0, ME_DATA_FILE = 2, DF_PATH = 100, DF_CONTENT = 134 };
enum { STATUS_EXISTING = 0, STATUS_ADDED = 1, STATUS_DELETED = 2 };

void ice_maint_opts_init(ice_maint_opts *o) {
  memset(o, 0, sizeof *o);
  o->older_than_ms = -1;
  o->retain_last = -1;
  o->max_retries = -1;
  o->min_input_files = -1;
  o->max_commits = -1;
}

static uint64_t path_hash(const char *p) { return orb_hash_bytes(p, strlen(p), 0x1ce); }

void ice_pathset_init(ice_pathset *s) {
  memset(s, 0, sizeof *s);
  orb_hmap_init(&s->h, 0);
}

void ice_pathset_free(ice_pathset *s) {
  orb_hmap_free(&s->h);
  orb_free(s->v);
  memset(s, 0, sizeof *s);
}

bool ice_pathset_has(const ice_pathset *s, const char *path) {
  orb_hmap_iter it;
  for (const char *v = orb_hmap_find(&s->h, path_hash(path), &it); v; v = orb_hmap_next(&it))
    if (strcmp(v, path) == 0) return true;
  return false;
}

bool ice_pathset_add(orb_arena *a, ice_pathset *s, const char *path) {
  if (ice_pathset_has(s, path)) return false;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->v = orb_realloc(s->v, sizeof(char *) * (size_t)s->cap);
  }
  char *c = orb_arena_strdup(a, path);
  s->v[s->n++] = c;
  orb_hmap_put(&s->h, path_hash(c), c);
  return true;
}

orb_status ice_maint_local(orb_arena *a, const ice_meta *m, const char *table_dir, const char *loc, const char **out,
                           orb_err *e) {
  bool moved;
  orb_status st = ice_reroot(a, m->location, table_dir, loc, out, &moved, e);
  if (st == ORB_OK && !moved) *out = NULL;
  return st;
}

orb_status ice_manifest_entries(orb_arena *a, const char *table_dir, const ice_meta *m, const char *path,
                                ice_entry **out, int *n, orb_err *e) {
  *out = NULL;
  *n = 0;
  avro_reader *r;
  orb_status st = avro_reader_open(path, 0, &r, e);
  if (st != ORB_OK) return st;
  int k = avro_field_by_id(r->schema, ME_DATA_FILE);
  const avro_schema *df = k < 0 ? NULL : avro_branch_of_kind(r->schema->fields[k].type, AVRO_RECORD);
  if (!df) {
    avro_reader_close(r);
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\" has no data_file record (field id 2)", path);
  }
  int cap = 0;
  ice_entry *v = NULL;
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  for (;;) {
    avro_value rec;
    bool got;
    orb_arena_reset(&tmp);
    if ((st = avro_reader_next(r, &tmp, &rec, &got, e)) != ORB_OK || !got) break;
    int64_t status = avro_long_or(avro_record_get(r->schema, &rec, ME_STATUS), -1);
    const avro_value *d = avro_record_get(r->schema, &rec, ME_DATA_FILE);
    const avro_value *fp = d && d->kind == AVRO_RECORD ? avro_record_get(df, d, DF_PATH) : NULL;
    if (status < STATUS_EXISTING || status > STATUS_DELETED || !fp || fp->kind != AVRO_STRING) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: manifest \"%s\": an entry has no valid status or file_path", path);
      break;
    }
    if (*n == cap) {
      int ncap = cap ? cap * 2 : 32;
      ice_entry *g = orb_arena_alloc(a, sizeof *g * (size_t)ncap);
      if (*n) memcpy(g, v, sizeof *g * (size_t)*n);
      v = g, cap = ncap;
    }
    ice_entry *en = &v[(*n)++];
    en->content = (int)avro_long_or(avro_record_get(df, d, DF_CONTENT), ICE_CONTENT_DATA);
    en->live = status != STATUS_DELETED;
    const char *loc = orb_arena_strndup(a, fp->u.s.data, fp->u.s.len);
    if ((st = ice_maint_local(a, m, table_dir, loc, &en->path, e)) != ORB_OK) break;
  }
  orb_arena_free(&tmp);
  avro_reader_close(r);
  *out = v;
  return st;
}

orb_status ice_snapshot_reach(orb_arena *a, const char *table_dir, const ice_meta *m, const ice_snapshot *s,
                              bool all_entries, ice_pathset *lists, ice_pathset *manifests, ice_pathset *files,
                              orb_err *e) {
  if (!s->manifest_list)
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: snapshot %lld lists its manifests inline (v1), which maintenance does not support",
                       (long long)s->snapshot_id);
  const char *list;
  orb_status st = ice_maint_local(a, m, table_dir, s->manifest_list, &list, e);
  if (st != ORB_OK) return st;
  if (!list)   /* outside the table: read it where it is, delete nothing there */
    list = s->manifest_list;
  else
    ice_pathset_add(a, lists, list);
  ice_manifest_ref *refs;
  int nrefs;
  if ((st = ice_manifest_list_read(a, list, &refs, &nrefs, e)) != ORB_OK) return st;
  for (int i = 0; i < nrefs && st == ORB_OK; i++) {
    const char *mp;
    if ((st = ice_maint_local(a, m, table_dir, refs[i].path, &mp, e)) != ORB_OK) break;
    const char *key = mp ? mp : refs[i].path;
    /* a manifest shared with a snapshot already walked adds nothing new */
    if (!ice_pathset_add(a, manifests, key)) continue;
    ice_entry *en;
    int n;
    if ((st = ice_manifest_entries(a, table_dir, m, key, &en, &n, e)) != ORB_OK) break;
    for (int k = 0; k < n; k++)
      if (en[k].path && (en[k].live || all_entries)) ice_pathset_add(a, files, en[k].path);
  }
  return st;
}

void ice_progress(const ice_maint_opts *o, const char *what, int64_t done, int64_t total) {
  if (o->progress && (done % ICE_PROGRESS_STEP == 0 || done == total)) o->progress(o->progress_ctx, what, done, total);
}

orb_status ice_maint_unlink(const char *path, orb_err *e) {
  if (unlink(path) == 0 || errno == ENOENT) return ORB_OK;
  return orb_err_set(e, ORB_ERR_IO, "iceberg: could not delete \"%s\": %s", path, strerror(errno));
}
