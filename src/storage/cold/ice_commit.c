/* storage/cold/ice_commit.c — the retry policy and metadata-only updates
** and new snapshots (see ice_commit.h). */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_manifest_merge.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/mem.h"

orb_status ice_prop_i64(const ice_meta *m, const char *key, int64_t dflt, int64_t lo, int64_t *out, orb_err *e) {
  const char *s = ice_kv_get(m->properties, m->nproperties, key);
  *out = dflt;
  if (!s) return ORB_OK;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < lo)
    return orb_err_set(e, ORB_ERR_INVALID_TEXT, "iceberg: table property %s is not a valid number: \"%s\"", key, s);
  *out = v;
  return ORB_OK;
}

int64_t ice_random_id(void) {
  uint64_t r = 0;
  if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = (uint64_t)ice_now_ms() * 6364136223846793005ull;
  return (int64_t)(r >> 1);
}

orb_status ice_retry_init(ice_retry *r, const ice_meta *m, int max_retries, orb_err *e) {
  int64_t v;
  orb_status st = ice_prop_i64(m, "commit.retry.num-retries", 4, 0, &v, e);
  if (st == ORB_OK) r->max_retries = max_retries >= 0 ? max_retries : (int)(v > 1000 ? 1000 : v);
  if (st == ORB_OK) st = ice_prop_i64(m, "commit.retry.min-wait-ms", 100, 0, &r->min_wait_ms, e);
  if (st == ORB_OK) st = ice_prop_i64(m, "commit.retry.max-wait-ms", 60000, 0, &r->max_wait_ms, e);
  r->next_wait_ms = r->min_wait_ms;
  return st;
}

bool ice_retry_wait(ice_retry *r, int attempt) {
  if (attempt > r->max_retries) return false;
  int64_t wait = r->next_wait_ms;
  /* half fixed, half random: writers that collided spread out */
  int64_t ms = wait / 2 + (wait > 1 ? ice_random_id() % (wait / 2 + 1) : 0);
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  r->next_wait_ms = wait * 2 > r->max_wait_ms ? r->max_wait_ms : wait * 2;
  return true;
}

orb_status ice_meta_update(orb_arena *a, const char *table_dir, int max_retries, ice_meta_edit_fn edit, void *ctx,
                           ice_meta *out, orb_err *e) {
  ice_meta base;
  ice_meta_file file;
  ice_retry retry;
  orb_status st = ice_meta_open(a, table_dir, &base, &file, e);
  if (st == ORB_OK) st = ice_retry_init(&retry, &base, max_retries, e);
  for (int attempt = 1; st == ORB_OK; attempt++) {
    ice_meta next = base;
    if ((st = edit(ctx, a, &base, &next, e)) != ORB_OK) break;
    if ((st = ice_meta_prepare_commit(a, &base, file.path, ice_now_ms(), &next, e)) != ORB_OK) break;
    st = ice_meta_commit(a, table_dir, file.version, &next, NULL, e);
    if (st == ORB_OK) {
      ice_meta_delete_dropped(a, table_dir, &base, &next);
      if (out) *out = next;
      break;
    }
    if (st != ORB_ERR_CONFLICT) break;
    if (!ice_retry_wait(&retry, attempt))
      return orb_err_set(e, ORB_ERR_CONFLICT,
                         "iceberg: could not commit to \"%s\" after %d attempts: other writers kept committing first",
                         table_dir, attempt);
    st = ice_meta_open(a, table_dir, &base, &file, e);
  }
  return st;
}

/* --- new snapshots ---------------------------------------------------------- */

int64_t ice_new_snapshot_id(const ice_meta *m) {
  int64_t id = ice_random_id();
  for (int i = 0; i < m->nsnapshots; i++)
    if (m->snapshots[i].snapshot_id == id) id = ice_random_id(), i = -1;
  return id;
}

orb_status ice_write_new_file(const char *path, const void *data, size_t len, orb_err *e) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "iceberg: could not create \"%s\": %s", path, strerror(errno));
  orb_status st = orb_write_full(fd, data, len, path, e);
  if (st == ORB_OK && fsync(fd) != 0) st = orb_err_set(e, ORB_ERR_IO, "iceberg: could not fsync \"%s\": %s", path, strerror(errno));
  if (close(fd) != 0 && st == ORB_OK) st = orb_err_set(e, ORB_ERR_IO, "iceberg: could not close \"%s\": %s", path, strerror(errno));
  if (st) unlink(path);
  return st;
}

orb_status ice_fsync_file(const char *path, orb_err *e) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "iceberg: could not open \"%s\": %s", path, strerror(errno));
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return orb_err_set(e, ORB_ERR_IO, "iceberg: could not fsync \"%s\": %s", path, strerror(err));
  return ORB_OK;
}

char *ice_location_path(const ice_meta *m, const char *rel) {
  size_t ll = strlen(m->location);
  while (ll > 0 && m->location[ll - 1] == '/') ll--;
  orb_buf b = ORB_BUF_INIT;
  orb_buf_printf(&b, "%.*s/%s", (int)ll, m->location, rel);
  return orb_buf_detach(&b);
}

/* A summary value of the parent's, as a number (-1 when absent or not a number). */
static int64_t summary_num(const ice_snapshot *s, const char *key) {
  if (!s) return 0;
  const char *v = ice_kv_get(s->summary, s->nsummary, key);
  if (!v) return -1;
  char *end;
  long long x = strtoll(v, &end, 10);
  return end == v || *end ? -1 : x;
}

/* The new snapshot's summary: the change, then the totals carried forward
** from the parent (as Java does); a parent without them gets them counted
** from its manifest list where it can. */
static void build_summary(orb_arena *a, const ice_snapshot_change *c, const ice_summary_delta *d, const ice_snapshot *parent,
                          const ice_manifest_ref *prefs, int nprefs, ice_kv **out, int *nout) {
  int64_t t_records = summary_num(parent, "total-records"), t_files = summary_num(parent, "total-data-files");
  int64_t t_size = summary_num(parent, "total-files-size"), t_del = summary_num(parent, "total-delete-files");
  int64_t t_pos = summary_num(parent, "total-position-deletes"), t_eq = summary_num(parent, "total-equality-deletes");
  if (t_records < 0 || t_files < 0 || t_del < 0) {
    int64_t r = 0, f = 0, dl = 0;
    for (int i = 0; i < nprefs; i++) {
      const ice_manifest_ref *m = &prefs[i];
      if (m->content == 0) r += m->added_rows + m->existing_rows, f += m->added_files + m->existing_files;
      else dl += m->added_files + m->existing_files;
    }
    if (t_records < 0) t_records = r;
    if (t_files < 0) t_files = f;
    if (t_del < 0) t_del = dl;
  }
  if (t_pos < 0) t_pos = 0;
  if (t_eq < 0) t_eq = 0;
  ice_kv *sum = orb_arena_zalloc(a, sizeof(ice_kv) * (size_t)(32 + c->nextra_summary));
  int ns = 0;
#define PUT(k, v) (sum[ns].key = (k), sum[ns].value = orb_arena_sprintf(a, "%lld", (long long)(v)), ns++)
#define PUT_IF(k, v) ((v) > 0 ? (void)PUT(k, v) : (void)0)
  sum[ns].key = "operation", sum[ns].value = c->operation, ns++;
  PUT_IF("added-data-files", d->added_data_files);
  PUT_IF("deleted-data-files", d->deleted_data_files);
  PUT_IF("added-delete-files", d->added_pos_delete_files + d->added_eq_delete_files);
  PUT_IF("added-equality-delete-files", d->added_eq_delete_files);
  PUT_IF("added-position-delete-files", d->added_pos_delete_files);
  PUT_IF("removed-delete-files", d->removed_pos_delete_files + d->removed_eq_delete_files);
  PUT_IF("removed-equality-delete-files", d->removed_eq_delete_files);
  PUT_IF("removed-position-delete-files", d->removed_pos_delete_files);
  PUT_IF("added-records", d->added_records);
  PUT_IF("deleted-records", d->deleted_records);
  PUT_IF("added-files-size", d->added_files_size);
  PUT_IF("removed-files-size", d->removed_files_size);
  PUT_IF("added-position-deletes", d->added_pos_deletes);
  PUT_IF("removed-position-deletes", d->removed_pos_deletes);
  PUT_IF("added-equality-deletes", d->added_eq_deletes);
  PUT_IF("removed-equality-deletes", d->removed_eq_deletes);
  if (d->changed_partitions >= 0) PUT("changed-partition-count", d->changed_partitions);
  PUT_IF("manifests-created", d->manifests_created);
  PUT_IF("manifests-kept", d->manifests_kept);
  PUT_IF("manifests-replaced", d->manifests_replaced);
  PUT_IF("entries-processed", d->entries_processed);
  PUT("total-records", t_records + d->added_records - d->deleted_records);
  if (t_size >= 0) PUT("total-files-size", t_size + d->added_files_size - d->removed_files_size);
  PUT("total-data-files", t_files + d->added_data_files - d->deleted_data_files);
  PUT("total-delete-files", t_del + d->added_pos_delete_files + d->added_eq_delete_files - d->removed_pos_delete_files -
                                d->removed_eq_delete_files);
  PUT("total-position-deletes", t_pos + d->added_pos_deletes - d->removed_pos_deletes);
  PUT("total-equality-deletes", t_eq + d->added_eq_deletes - d->removed_eq_deletes);
#undef PUT_IF
#undef PUT
  for (int i = 0; i < c->nextra_summary; i++) sum[ns++] = c->extra_summary[i];
  *out = sum;
  *nout = ns;
}

/* Return only once the clock has passed the published snapshot's stamp
** (ice_commit.h), or after the bound: a stamp far ahead of the clock comes
** from a parent stamped by a machine whose clock runs ahead. */
static void commit_wait(int64_t stamp_ms) {
  int64_t give_up = ice_now_ms() + ICE_COMMIT_WAIT_MAX_MS;
  for (;;) {
    int64_t now = ice_now_ms();
    if (now > stamp_ms || now >= give_up) return;
    struct timespec ts = {0, 200 * 1000};   /* 0.2 ms */
    nanosleep(&ts, NULL);
  }
}

/* After the commit: the change's own new manifests that a merge folded
** into another are no one's (Java deletes them too). */
static void remove_merged_away(orb_arena *a, const char *table_dir, const ice_meta *base, const ice_snapshot_change *c,
                               const ice_manifest_ref *refs, int nrefs) {
  for (int i = 0; i < c->nmanifests; i++) {
    bool listed = false;
    for (int k = 0; k < nrefs && !listed; k++) listed = strcmp(refs[k].path, c->manifests[i].path) == 0;
    const char *local;
    orb_err ignore;
    if (!listed && ice_maint_local(a, base, table_dir, c->manifests[i].path, &local, &ignore) == ORB_OK && local)
      unlink(local);
  }
}

/* The next metadata on `base` with the new snapshot as main's head. */
static orb_status next_meta(orb_arena *a, const ice_meta *base, const char *base_file, const ice_snapshot *parent,
                            int64_t snapshot_id, int64_t seq, const char *list_location, ice_kv *sum, int nsum,
                            ice_meta *next, orb_err *e) {
  *next = *base;
  int64_t now = ice_now_ms();
  if (now <= base->last_updated_ms) now = base->last_updated_ms + 1;
  ice_snapshot *snaps = orb_arena_zalloc(a, sizeof(ice_snapshot) * (size_t)(base->nsnapshots + 1));
  if (base->nsnapshots) memcpy(snaps, base->snapshots, sizeof(ice_snapshot) * (size_t)base->nsnapshots);
  ice_snapshot *s = &snaps[base->nsnapshots];
  s->snapshot_id = snapshot_id;
  s->has_parent = parent != NULL;
  s->parent_id = parent ? parent->snapshot_id : 0;
  s->sequence_number = seq;
  s->timestamp_ms = now;
  s->manifest_list = list_location;
  s->summary = sum;
  s->nsummary = nsum;
  s->has_schema_id = true;
  s->schema_id = base->current_schema_id;
  next->snapshots = snaps;
  next->nsnapshots = base->nsnapshots + 1;
  next->current_snapshot_id = snapshot_id;
  next->last_sequence_number = seq;

  /* refs.main -> the new snapshot (other refs unchanged) */
  ice_ref *refs = orb_arena_zalloc(a, sizeof(ice_ref) * (size_t)(base->nrefs + 1));
  int nr = 0;
  bool have_main = false;
  for (int i = 0; i < base->nrefs; i++) {
    refs[nr] = base->refs[i];
    if (strcmp(refs[nr].name, "main") == 0) refs[nr].snapshot_id = snapshot_id, have_main = true;
    nr++;
  }
  if (!have_main) {
    refs[nr].name = "main";
    refs[nr].is_tag = false;
    refs[nr].snapshot_id = snapshot_id;
    refs[nr].min_snapshots_to_keep = refs[nr].max_snapshot_age_ms = refs[nr].max_ref_age_ms = -1;
    nr++;
  }
  next->refs = refs;
  next->nrefs = nr;

  ice_snapshot_log_entry *log = orb_arena_zalloc(a, sizeof *log * (size_t)(base->nsnapshot_log + 1));
  if (base->nsnapshot_log) memcpy(log, base->snapshot_log, sizeof *log * (size_t)base->nsnapshot_log);
  log[base->nsnapshot_log].timestamp_ms = now;
  log[base->nsnapshot_log].snapshot_id = snapshot_id;
  next->snapshot_log = log;
  next->nsnapshot_log = base->nsnapshot_log + 1;
  return ice_meta_prepare_commit(a, base, base_file, now, next, e);
}

orb_status ice_snapshot_commit(orb_arena *a, const char *table_dir, const ice_meta *base, const ice_meta_file *file,
                               ice_retry *retry, const ice_snapshot_change *c, int *attempts, bool *unsure,
                               ice_meta *out, orb_err *e) {
  orb_status st = ORB_OK;
  *unsure = false;
  ice_meta reloaded, edited;
  ice_meta_file mfile = *file;
  ice_merge_ctx mc;
  memset(&mc, 0, sizeof mc);
  mc.table_dir = table_dir;
  mc.snapshot_id = c->snapshot_id;
  for (int attempt = 1;; attempt++) {
    if (attempts) *attempts = attempt;
    if (c->edit) {   /* the metadata changes first, on this attempt's base; the snapshot on top */
      edited = *base;
      if ((st = c->edit(c->edit_ctx, a, base, &edited, e)) != ORB_OK) break;
      base = &edited;
    }
    const ice_snapshot *parent = ice_meta_current_snapshot(base);
    ice_manifest_ref *prefs = NULL, *keep;
    int nprefs = 0, nkeep;
    if (parent && parent->manifest_list) {
      const char *pl;
      bool moved;
      if ((st = ice_reroot(a, base->location, table_dir, parent->manifest_list, &pl, &moved, e))) break;
      if ((st = ice_manifest_list_read(a, pl, &prefs, &nprefs, e))) break;
    }
    ice_summary_delta delta = c->delta;
    keep = prefs, nkeep = nprefs;
    if (c->carry && (st = c->carry(c->carry_ctx, a, base, prefs, nprefs, &keep, &nkeep, &delta, e)) != ORB_OK) break;
    int64_t seq = base->last_sequence_number + 1;
    ice_manifest_ref *refs = orb_arena_zalloc(a, sizeof *refs * (size_t)(c->nmanifests + nkeep + 1));
    for (int i = 0; i < c->nmanifests; i++) {
      refs[i] = c->manifests[i];
      refs[i].seq = refs[i].min_seq = seq;
    }
    if (nkeep) memcpy(refs + c->nmanifests, keep, sizeof *refs * (size_t)nkeep);
    int nrefs = c->nmanifests + nkeep;
    /* small manifests merged, as Java's merging snapshot producers do */
    ice_merge_policy pol;
    ice_merge_attempt(&mc, base, orb_arena_sprintf(a, "%s-merged-%d", c->uuid, attempt));
    if (!c->no_merge && (st = ice_merge_policy_of(base, &pol, e)) == ORB_OK)
      st = ice_manifests_merge_on_commit(a, &mc, &pol, refs, nrefs, &refs, &nrefs, e);
    if (st != ORB_OK) break;
    const char *lrel = orb_arena_sprintf(a, "metadata/snap-%lld-%d-%s.avro", (long long)c->snapshot_id, attempt, c->uuid);
    const char *llocal = orb_arena_sprintf(a, "%s/%s", table_dir, lrel);
    char *lloc = ice_location_path(base, lrel);
    orb_buf limg = ORB_BUF_INIT;
    st = ice_manifest_list_write(refs, nrefs, c->snapshot_id, parent != NULL,
                                 parent ? parent->snapshot_id : 0, seq, &limg, e);
    if (st == ORB_OK) st = ice_write_new_file(llocal, limg.data, limg.len, e);
    orb_buf_free(&limg);
    ice_meta next;
    if (st == ORB_OK) {
      ice_kv *sum;
      int nsum;
      build_summary(a, c, &delta, parent, prefs, nprefs, &sum, &nsum);
      st = next_meta(a, base, mfile.path, parent, c->snapshot_id, seq, orb_arena_strdup(a, lloc), sum, nsum, &next, e);
    }
    orb_free(lloc);
    if (st == ORB_OK) {
      orb_err ignore;
      /* the data and delete files and the manifests reach the disk's
      ** directories before the metadata that names them */
      (void)orb_fsync_dir(orb_arena_sprintf(a, "%s/metadata", table_dir), &ignore);
      (void)orb_fsync_dir(orb_arena_sprintf(a, "%s/data", table_dir), &ignore);
      st = ice_meta_commit(a, table_dir, mfile.version, &next, NULL, e);
      if (st == ORB_OK) {
        remove_merged_away(a, table_dir, base, c, refs, nrefs);
        ice_meta_delete_dropped(a, table_dir, base, &next);
        if (out) *out = next;
        commit_wait(next.snapshots[next.nsnapshots - 1].timestamp_ms);
        break;
      }
      if (st != ORB_ERR_CONFLICT) {   /* an I/O error at the commit point: it may have happened */
        *unsure = true;
        break;
      }
    }
    /* this attempt's list and merged manifests are no one's */
    unlink(llocal);
    ice_merge_remove_written(&mc);
    if (st != ORB_ERR_CONFLICT) break;
    if (!ice_retry_wait(retry, attempt)) {
      st = orb_err_set(e, ORB_ERR_CONFLICT,
                       "iceberg: could not commit to \"%s\" after %d attempts: other writers kept committing first",
                       table_dir, attempt);
      break;
    }
    if ((st = ice_meta_open(a, table_dir, &reloaded, &mfile, e))) break;
    base = &reloaded;
  }
  if (st != ORB_OK && !*unsure) ice_merge_remove_written(&mc);
  ice_merge_ctx_free(&mc);
  return st;
}
