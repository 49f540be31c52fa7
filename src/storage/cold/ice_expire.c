/* storage/cold/ice_expire.c — expiring snapshots and deleting the files
** only they reached (see ice_maint.h). */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_maint_int.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_write_int.h"
#include "base/file.h"
#include "base/mem.h"

#include <dirent.h>
#include <string.h>

typedef struct expire_ctx {
  const ice_maint_opts *o;
  int64_t now_ms;
  /* of the last attempt's edit */
  const ice_snapshot **expired;  /* from the update's arena */
  int nexpired;
  int nrefs_dropped;
} expire_ctx;

static int snap_index(const ice_meta *m, int64_t id) {
  for (int i = 0; i < m->nsnapshots; i++)
    if (m->snapshots[i].snapshot_id == id) return i;
  return -1;
}

/* Which snapshots of m stay (keep[i] for m->snapshots[i]); Java's rules:
** per branch the head and its ancestors while fewer than min-to-keep are
** kept or they are newer than the cut-off; tags' snapshots; snapshots on
** no ref's ancestry while newer than the cut-off; always the current one. */
static orb_status retained(const ice_meta *m, const ice_maint_opts *o, int64_t now_ms, bool *keep, orb_err *e) {
  int64_t max_age, min_keep;
  orb_status st = ice_prop_i64(m, "history.expire.max-snapshot-age-ms", ICE_EXPIRE_MAX_AGE_MS_DEFAULT, 0, &max_age, e);
  if (st == ORB_OK) st = ice_prop_i64(m, "history.expire.min-snapshots-to-keep", 1, 1, &min_keep, e);
  if (st != ORB_OK) return st;
  int64_t cutoff = o->older_than_ms >= 0 ? o->older_than_ms : now_ms - max_age;
  if (o->retain_last >= 1) min_keep = o->retain_last;
  bool *on_ref = orb_calloc((size_t)m->nsnapshots + 1, sizeof(bool));
  for (int i = 0; i < m->nsnapshots; i++) keep[i] = false;
  for (int r = 0; r < m->nrefs; r++) {
    const ice_ref *ref = &m->refs[r];
    int i = snap_index(m, ref->snapshot_id);
    if (i < 0) continue;
    if (ref->is_tag) {
      keep[i] = on_ref[i] = true;
      continue;
    }
    int64_t bkeep = ref->min_snapshots_to_keep >= 1 ? ref->min_snapshots_to_keep : min_keep;
    int64_t bcut = ref->max_snapshot_age_ms >= 0 ? now_ms - ref->max_snapshot_age_ms : cutoff;
    int64_t kept = 0;
    bool keeping = true;
    /* the walk is bounded by the number of snapshots: a parent cycle in a
    ** corrupt file cannot loop it */
    for (int steps = 0; i >= 0 && steps < m->nsnapshots; steps++) {
      const ice_snapshot *s = &m->snapshots[i];
      on_ref[i] = true;
      if (keeping && (kept < bkeep || s->timestamp_ms >= bcut)) keep[i] = true, kept++;
      else keeping = false;
      i = s->has_parent ? snap_index(m, s->parent_id) : -1;
    }
  }
  for (int i = 0; i < m->nsnapshots; i++) {
    if (!on_ref[i] && m->snapshots[i].timestamp_ms >= cutoff) keep[i] = true;
    if (m->snapshots[i].snapshot_id == m->current_snapshot_id) keep[i] = true;
  }
  orb_free(on_ref);
  return ORB_OK;
}

/* The refs that stay (Java's computeRetainedRefs): main always; another
** while its snapshot exists and is no older than the ref's max-ref-age-ms,
** else the table's history.expire.max-ref-age-ms (default: forever). */
static orb_status retained_refs(orb_arena *a, const ice_meta *m, int64_t now_ms, ice_ref **out, int *nout, orb_err *e) {
  int64_t dflt;
  orb_status st = ice_prop_i64(m, "history.expire.max-ref-age-ms", INT64_MAX, 1, &dflt, e);
  if (st != ORB_OK) return st;
  ice_ref *refs = orb_arena_alloc(a, sizeof *refs * (size_t)(m->nrefs + 1));
  int n = 0;
  for (int r = 0; r < m->nrefs; r++) {
    const ice_ref *ref = &m->refs[r];
    int i = snap_index(m, ref->snapshot_id);
    int64_t max_age = ref->max_ref_age_ms >= 1 ? ref->max_ref_age_ms : dflt;
    if (strcmp(ref->name, "main") == 0 || (i >= 0 && now_ms - m->snapshots[i].timestamp_ms <= max_age))
      refs[n++] = *ref;
  }
  *out = refs;
  *nout = n;
  return ORB_OK;
}

static orb_status edit_expire(void *vctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  expire_ctx *c = vctx;
  bool *keep = orb_arena_alloc(a, (size_t)base->nsnapshots + 1);
  /* expired refs go first: what only they held expires with the rest */
  ice_ref *refs;
  int nrefs;
  orb_status st = retained_refs(a, base, c->now_ms, &refs, &nrefs, e);
  if (st != ORB_OK) return st;
  c->nrefs_dropped = base->nrefs - nrefs;
  next->refs = refs;
  next->nrefs = nrefs;
  if ((st = retained(next, c->o, c->now_ms, keep, e)) != ORB_OK) return st;
  ice_snapshot *snaps = orb_arena_alloc(a, sizeof(ice_snapshot) * (size_t)(base->nsnapshots + 1));
  c->expired = orb_arena_alloc(a, sizeof(ice_snapshot *) * (size_t)(base->nsnapshots + 1));
  c->nexpired = 0;
  int n = 0;
  for (int i = 0; i < base->nsnapshots; i++) {
    if (keep[i]) snaps[n++] = base->snapshots[i];
    else c->expired[c->nexpired++] = &base->snapshots[i];
  }
  next->snapshots = snaps;
  next->nsnapshots = n;
  /* The snapshot log keeps only what follows the last entry of a snapshot
  ** that is gone, so that it stays a history without holes. */
  ice_snapshot_log_entry *log = orb_arena_alloc(a, sizeof *log * (size_t)(base->nsnapshot_log + 1));
  int nl = 0;
  for (int i = 0; i < base->nsnapshot_log; i++) {
    int k = snap_index(next, base->snapshot_log[i].snapshot_id);
    if (k < 0) nl = 0;
    else log[nl++] = base->snapshot_log[i];
  }
  next->snapshot_log = log;
  next->nsnapshot_log = nl;
  return ORB_OK;
}

static void count_deleted(ice_maint_result *r, int content) {
  if (content == ICE_CONTENT_POS_DELETES) r->pos_delete_files++;
  else if (content == ICE_CONTENT_EQ_DELETES) r->eq_delete_files++;
  else r->data_files++;
}

/* Metadata files older than every one the log keeps. */
static orb_status delete_old_metadata(orb_arena *a, const char *table_dir, const ice_meta *m, ice_maint_result *res,
                                      orb_err *e) {
  int64_t oldest = INT64_MAX;
  for (int i = 0; i < m->nmetadata_log; i++) {
    const char *f = strrchr(m->metadata_log[i].metadata_file, '/');
    int64_t v = ice_meta_file_version(f ? f + 1 : m->metadata_log[i].metadata_file);
    if (v >= 0 && v < oldest) oldest = v;
  }
  if (oldest == INT64_MAX) return ORB_OK;   /* nothing to go by */
  const char *mdir = orb_arena_sprintf(a, "%s/metadata", table_dir);
  DIR *d = opendir(mdir);
  if (!d) return ORB_OK;
  orb_status st = ORB_OK;
  struct dirent *de;
  while (st == ORB_OK && (de = readdir(d)) != NULL) {
    int64_t v = ice_meta_file_version(de->d_name);
    if (v < 0 || v >= oldest) continue;
    if ((st = ice_maint_unlink(orb_arena_sprintf(a, "%s/%s", mdir, de->d_name), e)) == ORB_OK) res->metadata_files++;
  }
  closedir(d);
  return st;
}

orb_status ice_expire_snapshots(const char *table_dir, const ice_maint_opts *o, ice_maint_result *res, orb_err *e) {
  memset(res, 0, sizeof *res);
  orb_arena a;
  orb_arena_init(&a, 0);
  expire_ctx c = {o, ice_now_ms(), NULL, 0, 0};
  /* Look first: when nothing expires, nothing is committed. */
  ice_meta cur;
  ice_meta_file cf;
  orb_status st = ice_meta_open(&a, table_dir, &cur, &cf, e);
  if (st == ORB_OK && o->retain_last == 0)
    st = orb_err_set(e, ORB_ERR_INVALID_TEXT, "retain_last must be at least 1");
  ice_meta next = cur;
  if (st == ORB_OK) {
    ice_meta probe = cur;
    st = edit_expire(&c, &a, &cur, &probe, e);
  }
  if (st == ORB_OK && (c.nexpired > 0 || c.nrefs_dropped > 0))
    st = ice_meta_update(&a, table_dir, o->max_retries, edit_expire, &c, &next, e);
  res->expired_refs = st == ORB_OK ? c.nrefs_dropped : 0;
  if (st != ORB_OK || c.nexpired == 0) {
    if (st == ORB_OK) st = delete_old_metadata(&a, table_dir, &next, res, e);
    orb_arena_free(&a);
    return st;
  }
  res->expired_snapshots = c.nexpired;

  /* Committed: now find what only the expired snapshots reached.  What
  ** the retained ones reach is read first, whole. */
  ice_pathset keep_lists, keep_mans, keep_files, seen_mans;
  ice_pathset_init(&keep_lists);
  ice_pathset_init(&keep_mans);
  ice_pathset_init(&keep_files);
  ice_pathset_init(&seen_mans);
  for (int i = 0; i < next.nsnapshots && st == ORB_OK; i++)
    st = ice_snapshot_reach(&a, table_dir, &next, &next.snapshots[i], false, &keep_lists, &keep_mans, &keep_files, e);
  /* The candidates, in the order they go: data and delete files, then the
  ** manifests that named them, then the manifest lists (a crash half way
  ** leaves files no one refers to, which orphan removal finds). */
  ice_pathset gone_files, gone_mans, gone_lists;
  ice_pathset_init(&gone_files);
  ice_pathset_init(&gone_mans);
  ice_pathset_init(&gone_lists);
  int *contents = NULL;
  int ncontents = 0, capc = 0;
  for (int i = 0; i < c.nexpired && st == ORB_OK; i++) {
    const ice_snapshot *s = c.expired[i];
    const char *list;
    if (!s->manifest_list) continue;
    if ((st = ice_maint_local(&a, &next, table_dir, s->manifest_list, &list, e)) != ORB_OK) break;
    if (!list || ice_pathset_has(&keep_lists, list) || !orb_path_exists(list)) continue;
    ice_pathset_add(&a, &gone_lists, list);
    ice_manifest_ref *refs;
    int nrefs;
    if ((st = ice_manifest_list_read(&a, list, &refs, &nrefs, e)) != ORB_OK) break;
    for (int k = 0; k < nrefs && st == ORB_OK; k++) {
      const char *mp;
      if ((st = ice_maint_local(&a, &next, table_dir, refs[k].path, &mp, e)) != ORB_OK) break;
      if (!mp || ice_pathset_has(&keep_mans, mp) || !ice_pathset_add(&a, &seen_mans, mp) || !orb_path_exists(mp))
        continue;
      ice_pathset_add(&a, &gone_mans, mp);
      ice_entry *en;
      int n;
      if ((st = ice_manifest_entries(&a, table_dir, &next, mp, &en, &n, e)) != ORB_OK) break;
      for (int j = 0; j < n; j++) {
        if (!en[j].path || ice_pathset_has(&keep_files, en[j].path)) continue;
        if (!ice_pathset_add(&a, &gone_files, en[j].path)) continue;
        if (ncontents == capc) capc = capc ? capc * 2 : 64, contents = orb_realloc(contents, sizeof(int) * (size_t)capc);
        contents[ncontents++] = en[j].content;
      }
    }
  }
  int64_t total = gone_files.n + gone_mans.n + gone_lists.n, done = 0;
  for (int i = 0; i < gone_files.n && st == ORB_OK; i++) {
    if ((st = ice_maint_unlink(gone_files.v[i], e)) == ORB_OK) count_deleted(res, contents[i]);
    ice_progress(o, "expire_snapshots", ++done, total);
  }
  for (int i = 0; i < gone_mans.n && st == ORB_OK; i++) {
    if ((st = ice_maint_unlink(gone_mans.v[i], e)) == ORB_OK) res->manifests++;
    ice_progress(o, "expire_snapshots", ++done, total);
  }
  for (int i = 0; i < gone_lists.n && st == ORB_OK; i++) {
    if ((st = ice_maint_unlink(gone_lists.v[i], e)) == ORB_OK) res->manifest_lists++;
    ice_progress(o, "expire_snapshots", ++done, total);
  }
  if (st == ORB_OK) st = delete_old_metadata(&a, table_dir, &next, res, e);
  orb_free(contents);
  ice_pathset_free(&keep_lists);
  ice_pathset_free(&keep_mans);
  ice_pathset_free(&keep_files);
  ice_pathset_free(&seen_mans);
  ice_pathset_free(&gone_files);
  ice_pathset_free(&gone_mans);
  ice_pathset_free(&gone_lists);
  orb_arena_free(&a);
  return st;
}
