/* storage/cold/ice_rewrite.c — compaction: small data files and data files
** with deletes rewritten into target-size files, committed as a "replace"
** snapshot (see ice_maint.h). */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_manifest_merge.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_value.h"
#include "storage/cold/ice_write_int.h"
#include "base/mem.h"

#include <string.h>
#include <unistd.h>

#define ICE_TARGET_FILE_BYTES_DEFAULT ((int64_t)512 << 20)   /* Java's write.target-file-size-bytes */

typedef struct rewrite_ctx {
  const char *table_dir;
  const char *uuid;
  ice_pathset *gone;             /* local paths of the data and delete files replaced */
  ice_pathset *known_deletes;    /* local paths of the delete files the plan saw */
  ice_merge_ctx merge;           /* this attempt's rewritten manifests */
  int attempt;
} rewrite_ctx;

/* ice_carry_fn: the parent's manifests that hold no replaced file carry
** forward as they are; those that do are written again with those entries
** DELETED, merged into one manifest per partition spec and content
** (ice_manifest_merge.h), so that a compaction of many small appends
** leaves few manifests.  A replaced file missing, or a delete file the
** plan did not see, is a conflict. */
static orb_status carry(void *vctx, orb_arena *a, const ice_meta *base, const ice_manifest_ref *parent, int nparent,
                        ice_manifest_ref **keep, int *nkeep, ice_summary_delta *delta, orb_err *e) {
  (void)delta;
  rewrite_ctx *c = vctx;
  c->attempt++;   /* (a lost attempt's manifests are removed: no one's) */
  ice_merge_attempt(&c->merge, base, orb_arena_sprintf(a, "%s-r%d", c->uuid, c->attempt));
  ice_manifest_ref *out = orb_arena_alloc(a, sizeof *out * (size_t)(nparent + 1));
  bool *touched = orb_arena_zalloc(a, (size_t)nparent + 1);
  int nout = 0, cap = nparent + 1;
  orb_status st = ORB_OK;
  for (int i = 0; i < nparent && st == ORB_OK; i++) {
    const char *mp;
    if ((st = ice_maint_local(a, base, c->table_dir, parent[i].path, &mp, e)) != ORB_OK) break;
    ice_entry *en;
    int n;
    if ((st = ice_manifest_entries(a, c->table_dir, base, mp ? mp : parent[i].path, &en, &n, e)) != ORB_OK) break;
    for (int k = 0; k < n && st == ORB_OK; k++) {
      if (!en[k].live || !en[k].path) continue;
      if (ice_pathset_has(c->gone, en[k].path)) touched[i] = true;
      else if (en[k].content != ICE_CONTENT_DATA && !ice_pathset_has(c->known_deletes, en[k].path))
        st = orb_err_set(e, ORB_ERR_CONFLICT,
                         "iceberg: a concurrent commit added delete file \"%s\" while the table was compacted: run it again",
                         en[k].path);
    }
    if (st == ORB_OK && !touched[i]) out[nout++] = parent[i];
  }
  /* the touched ones, by partition spec and content */
  ice_manifest_ref *members = orb_arena_alloc(a, sizeof *members * (size_t)(nparent + 1));
  for (int i = 0; i < nparent && st == ORB_OK; i++) {
    if (!touched[i]) continue;
    int nm = 0;
    for (int k = i; k < nparent; k++)
      if (touched[k] && parent[k].spec_id == parent[i].spec_id && (parent[k].content != 0) == (parent[i].content != 0))
        members[nm++] = parent[k], touched[k] = false;
    ice_manifest_ref *mo;
    int nmo;
    if ((st = ice_manifests_merge(a, &c->merge, members, nm, &mo, &nmo, e)) != ORB_OK) break;
    ice_manifest_refs_add(a, &out, &nout, &cap, mo, nmo);
  }
  if (st == ORB_OK && c->merge.hits != c->gone->n)
    st = orb_err_set(e, ORB_ERR_CONFLICT,
                     "iceberg: a concurrent commit removed %d of the files being compacted: run it again",
                     c->gone->n - c->merge.hits);
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

/* Rewrite the data files `chosen` of plan p (whole partitions' groups)
** and commit them as one replace snapshot on the table's current
** metadata; res gets what it did. */
static orb_status rewrite_batch(const char *table_dir, const ice_maint_opts *o, const ice_plan *pp, int64_t target,
                                ice_file *chosen, int nchosen, int64_t *files_done, int64_t total_files,
                                ice_maint_result *res, orb_err *e) {
  memset(res, 0, sizeof *res);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  orb_status st = ice_meta_open(&a, table_dir, &m, &mf, e);
  if (st != ORB_OK) {
    orb_arena_free(&a);
    return st;
  }
  const ice_plan p = *pp;
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
    if (cols[i].nested && cols[i].type.id != ORB_T_ARRAY)   /* lists of a primitive are written as arrays */
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\" is a struct, map or list of them, which compaction cannot write yet",
                       cols[i].name);
  if (st == ORB_OK) st = ice_reader_open(&sub, cols, ncols, &r, e);
  if (st == ORB_OK) st = ice_append_begin(table_dir, &wo, &app, e);
  if (st == ORB_OK && ice_append_ncols(app) != ncols)
    st = orb_err_set(e, ORB_ERR_CONFLICT, "iceberg: the table's schema changed while it was compacted: run it again");
  int64_t base_done = *files_done;
  while (st == ORB_OK) {
    const orb_value *row;
    if ((st = ice_reader_next(r, &row, e)) != ORB_OK || !row) break;
    st = ice_append_rows(app, row, 1, e);
    int64_t f = base_done + ice_reader_counts(r).files;
    if (f != *files_done) ice_progress(o, "rewrite_data_files", *files_done = f, total_files);
  }
  *files_done = base_done + nchosen;
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

  rewrite_ctx rc;
  memset(&rc, 0, sizeof rc);
  rc.table_dir = table_dir;
  rc.uuid = uuid;
  rc.gone = &gone;
  rc.known_deletes = &known_deletes;
  rc.merge.table_dir = table_dir;
  rc.merge.snapshot_id = c.snapshot_id;
  rc.merge.gone = &gone;
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
  if (st != ORB_OK && !unsure) ice_merge_remove_written(&rc.merge);
  ice_merge_ctx_free(&rc.merge);
  if (app) ice_append_release(app, st != ORB_OK && !unsure);
  if (st != ORB_OK) memset(res, 0, sizeof *res);
  ice_pathset_free(&gone);
  ice_pathset_free(&known_deletes);
  orb_arena_free(&a);
  return st;
}

/* Whether a partition's group is worth rewriting (Java's bin-pack
** rules): it has deletes, or two or more files that are at least
** min-input-files or hold more than a target file's worth. */
static bool worth_rewriting(const group *g, const ice_plan *p, int64_t target, int64_t min_input) {
  if (g->deletes) return true;
  if (g->n < 2) return false;
  int64_t bytes = 0;
  for (int k = 0; k < g->n; k++) bytes += p->files[g->files[k]].file_size;
  return g->n >= min_input || bytes > target;
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
  int64_t min_input = o->min_input_files > 0 ? o->min_input_files : ICE_MIN_INPUT_FILES_DEFAULT;
  int64_t max_commits = o->max_commits > 0 ? o->max_commits : ICE_MAX_COMMITS_DEFAULT;
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
  /* the groups worth rewriting, in commits: one, or with partial progress
  ** at most max_commits of about equal numbers of groups */
  int nworth = 0;
  for (int g = 0; g < ngroups; g++)
    if (worth_rewriting(&groups[g], &p, target, min_input)) groups[nworth++] = groups[g];
    else orb_free(groups[g].files);
  int per_commit = nworth;
  if (o->partial_progress && nworth > 0) per_commit = (int)((nworth + max_commits - 1) / max_commits);
  int64_t total_files = 0, files_done = 0;
  for (int g = 0; g < nworth; g++) total_files += groups[g].n;
  ice_file *chosen = orb_arena_alloc(&a, sizeof(ice_file) * (size_t)(p.nfiles + 1));
  int commits = 0, failed_commits = 0;
  orb_err last;
  memset(&last, 0, sizeof last);
  for (int g0 = 0; g0 < nworth && st == ORB_OK; g0 += per_commit) {
    int nchosen = 0;
    for (int g = g0; g < g0 + per_commit && g < nworth; g++)
      for (int k = 0; k < groups[g].n; k++) chosen[nchosen++] = p.files[groups[g].files[k]];
    ice_maint_result br;
    commits++;
    st = rewrite_batch(table_dir, o, &p, target, chosen, nchosen, &files_done, total_files, &br, e);
    if (st == ORB_OK) {
      res->rewritten_data_files += br.rewritten_data_files;
      res->added_data_files += br.added_data_files;
      res->rewritten_bytes += br.rewritten_bytes;
      res->removed_delete_files += br.removed_delete_files;
    } else if (o->partial_progress && st == ORB_ERR_CONFLICT) {
      /* Java's partial progress: a failed commit group is counted, the
      ** others go on; only when every one fails is the run an error */
      res->failed_data_files += nchosen;
      failed_commits++;
      last = *e;
      st = ORB_OK;
    }
  }
  if (st == ORB_OK && commits > 0 && failed_commits == commits) {
    *e = last;
    st = ORB_ERR_CONFLICT;
  }
  for (int g = 0; g < nworth; g++) orb_free(groups[g].files);
  orb_free(groups);
  if (st != ORB_OK) memset(res, 0, sizeof *res);
  orb_arena_free(&a);
  return st;
}
