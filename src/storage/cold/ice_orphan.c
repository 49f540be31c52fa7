/* storage/cold/ice_orphan.c — removing orphan files: files under a table's
** data/ and metadata/ folders that nothing refers to (see ice_maint.h). */
#include "storage/cold/ice_maint_int.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_write_int.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define ORPHAN_MAX_DEPTH 32   /* data/<field>=<value>/... folders; deeper is not ours */

typedef struct candidate {
  const char *path;
  const char *name;              /* the last segment */
  bool in_metadata;              /* under metadata/ (else data/) */
} candidate;

typedef struct walk {
  orb_arena *a;
  int64_t cutoff_ms;
  candidate *v;                  /* heap */
  int n, cap;
} walk;

static orb_status walk_dir(walk *w, const char *dir, bool in_metadata, int depth, orb_err *e) {
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT) return ORB_OK;
    return orb_err_set(e, ORB_ERR_IO, "iceberg: could not list \"%s\": %s", dir, strerror(errno));
  }
  orb_status st = ORB_OK;
  struct dirent *de;
  while (st == ORB_OK && (de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    const char *p = orb_arena_sprintf(w->a, "%s/%s", dir, de->d_name);
    struct stat sb;
    if (lstat(p, &sb) != 0) continue;   /* went away meanwhile */
    if (S_ISDIR(sb.st_mode)) {
      if (depth < ORPHAN_MAX_DEPTH) st = walk_dir(w, p, in_metadata, depth + 1, e);
      continue;
    }
    if (!S_ISREG(sb.st_mode)) continue;   /* links and the like: not written by a writer */
    int64_t mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    if (mtime_ms >= w->cutoff_ms) continue;
    if (w->n == w->cap) w->cap = w->cap ? w->cap * 2 : 64, w->v = orb_realloc(w->v, sizeof(candidate) * (size_t)w->cap);
    w->v[w->n++] = (candidate){p, strrchr(p, '/') + 1, in_metadata};
  }
  closedir(d);
  return st;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void count_found(ice_maint_result *r, const candidate *c) {
  if (!c->in_metadata) {
    if (ends_with(c->name, ".parquet")) r->data_files++;
    else r->other_files++;
  } else if (ice_meta_file_version(c->name) >= 0) {
    r->metadata_files++;
  } else if (ends_with(c->name, ".avro")) {
    if (strncmp(c->name, "snap-", 5) == 0) r->manifest_lists++;
    else r->manifests++;
  } else {
    r->other_files++;
  }
}

/* Whether a metadata key this model keeps as JSON text (statistics,
** partition-statistics) names the file: such files are referenced too. */
static bool named_in_extras(const ice_meta *m, const char *name) {
  for (int i = 0; i < m->extra.n; i++)
    if (strstr(m->extra.items[i].json, name)) return true;
  for (int s = 0; s < m->nsnapshots; s++)
    for (int i = 0; i < m->snapshots[s].extra.n; i++)
      if (strstr(m->snapshots[s].extra.items[i].json, name)) return true;
  return false;
}

orb_status ice_remove_orphans(orb_arena *out_arena, const char *table_dir, const ice_maint_opts *o, ice_maint_result *res,
                              orb_err *e) {
  memset(res, 0, sizeof *res);
  orb_arena a;
  orb_arena_init(&a, 0);
  size_t dl = strlen(table_dir);
  while (dl > 1 && table_dir[dl - 1] == '/') dl--;
  const char *root = orb_arena_sprintf(&a, "%.*s", (int)dl, table_dir);
  walk w = {&a, o->older_than_ms >= 0 ? o->older_than_ms : ice_now_ms() - ICE_ORPHAN_AGE_MS_DEFAULT, NULL, 0, 0};
  /* The folders first, the metadata after: a commit that lands between the
  ** two has its files referenced by what is read second. */
  orb_status st = walk_dir(&w, orb_arena_sprintf(&a, "%s/data", root), false, 0, e);
  if (st == ORB_OK) st = walk_dir(&w, orb_arena_sprintf(&a, "%s/metadata", root), true, 0, e);
  ice_meta m;
  ice_meta_file mf;
  if (st == ORB_OK) st = ice_meta_open(&a, root, &m, &mf, e);
  ice_pathset lists, mans, files, meta_files;
  ice_pathset_init(&lists);
  ice_pathset_init(&mans);
  ice_pathset_init(&files);
  ice_pathset_init(&meta_files);
  for (int i = 0; st == ORB_OK && i < m.nsnapshots; i++)
    st = ice_snapshot_reach(&a, root, &m, &m.snapshots[i], true, &lists, &mans, &files, e);
  for (int i = 0; st == ORB_OK && i < m.nmetadata_log; i++) {
    const char *p;
    if ((st = ice_maint_local(&a, &m, root, m.metadata_log[i].metadata_file, &p, e)) == ORB_OK && p)
      ice_pathset_add(&a, &meta_files, p);
  }
  const char *cur_name = st == ORB_OK ? strrchr(mf.path, '/') : NULL;
  int64_t cur_version = cur_name ? ice_meta_file_version(cur_name + 1) : -1;
  orb_arena *la = out_arena ? out_arena : &a;
  if (st == ORB_OK) res->paths = orb_arena_alloc(la, sizeof(char *) * (size_t)(w.n + 1));
  for (int i = 0; st == ORB_OK && i < w.n; i++) {
    const candidate *c = &w.v[i];
    if (c->in_metadata) {
      if (strcmp(c->name, "version-hint.text") == 0 || strcmp(c->name, cur_name ? cur_name + 1 : "") == 0) continue;
      int64_t v = ice_meta_file_version(c->name);
      /* a version as new as the one read or newer: committed meanwhile */
      if (v >= 0 && cur_version >= 0 && v >= cur_version) continue;
      if (ice_pathset_has(&meta_files, c->path) || ice_pathset_has(&lists, c->path) || ice_pathset_has(&mans, c->path))
        continue;
      if (named_in_extras(&m, c->name)) continue;
    } else if (ice_pathset_has(&files, c->path)) {
      continue;
    }
    res->paths[res->npaths++] = orb_arena_strdup(la, c->path);
    count_found(res, c);
  }
  for (int i = 0; st == ORB_OK && !o->dry_run && i < res->npaths; i++) {
    st = ice_maint_unlink(res->paths[i], e);
    ice_progress(o, "remove_orphan_files", i + 1, res->npaths);
  }
  if (!out_arena) res->paths = NULL;   /* they lived in the local arena */
  orb_free(w.v);
  ice_pathset_free(&lists);
  ice_pathset_free(&mans);
  ice_pathset_free(&files);
  ice_pathset_free(&meta_files);
  orb_arena_free(&a);
  return st;
}
