/* storage/cold/ice_rewrite_manifests.c — CALL rewrite_manifests: the
** current snapshot's data manifests written again into target-size ones,
** committed as a "replace" snapshot (see ice_maint.h). */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_manifest_merge.h"
#include "base/mem.h"

#include <string.h>

typedef struct rewrite_manifests_ctx {
  const char *uuid;
  int64_t target;
  int attempt;
  ice_merge_ctx merge;
  int64_t rewritten, added;      /* of the last attempt */
} rewrite_manifests_ctx;

/* ice_carry_fn: delete manifests (and manifests outside the table's
** location) carry forward; the data manifests of each spec are merged into
** ceil(total length / target) outputs. */
static orb_status carry(void *vctx, orb_arena *a, const ice_meta *base, const ice_manifest_ref *parent, int nparent,
                        ice_manifest_ref **keep, int *nkeep, ice_summary_delta *delta, orb_err *e) {
  rewrite_manifests_ctx *c = vctx;
  c->attempt++;
  ice_merge_attempt(&c->merge, base, orb_arena_sprintf(a, "%s-rm%d", c->uuid, c->attempt));
  c->rewritten = c->added = 0;
  ice_manifest_ref *out = orb_arena_alloc(a, sizeof *out * (size_t)(nparent + 1));
  int nout = 0, cap = nparent + 1;
  bool *todo = orb_arena_zalloc(a, (size_t)nparent + 1);
  orb_status st = ORB_OK;
  c->merge.progress_total = 0;
  for (int i = 0; i < nparent && st == ORB_OK; i++) {
    const char *local;
    if ((st = ice_maint_local(a, base, c->merge.table_dir, parent[i].path, &local, e)) != ORB_OK) break;
    if (parent[i].content == 0 && local) todo[i] = true, c->merge.progress_total++;
    else out[nout++] = parent[i];
  }
  ice_manifest_ref *members = orb_arena_alloc(a, sizeof *members * (size_t)(nparent + 1));
  for (int i = 0; i < nparent && st == ORB_OK; i++) {
    if (!todo[i]) continue;
    int nm = 0;
    int64_t bytes = 0, live = 0;
    for (int k = i; k < nparent; k++)
      if (todo[k] && parent[k].spec_id == parent[i].spec_id) {
        members[nm++] = parent[k];
        todo[k] = false;
        bytes += parent[k].length;
        live += (parent[k].added_files > 0 ? parent[k].added_files : 0) +
                (parent[k].existing_files > 0 ? parent[k].existing_files : 0);
      }
    int64_t outputs = (bytes + c->target - 1) / c->target;
    if (outputs < 1) outputs = 1;
    c->merge.max_entries = outputs > 1 ? (live + outputs - 1) / outputs : 0;
    ice_manifest_ref *mo;
    int nmo;
    if ((st = ice_manifests_merge(a, &c->merge, members, nm, &mo, &nmo, e)) != ORB_OK) break;
    ice_manifest_refs_add(a, &out, &nout, &cap, mo, nmo);
    c->rewritten += nm;
    c->added += nmo;
  }
  delta->manifests_created = c->added;
  delta->manifests_replaced = c->rewritten;
  delta->manifests_kept = nout - c->added;
  delta->entries_processed = c->merge.entries;
  *keep = out;
  *nkeep = nout;
  return st;
}

/* Whether the current snapshot's data manifests already are what a
** rewrite would give: per spec at most one, within the target, without
** DELETED entries. */
static orb_status nothing_to_do(orb_arena *a, const char *table_dir, const ice_meta *m, int64_t target, bool *none,
                                orb_err *e) {
  *none = true;
  const ice_snapshot *s = ice_meta_current_snapshot(m);
  if (!s || !s->manifest_list) return ORB_OK;
  const char *list;
  bool moved;
  ice_manifest_ref *refs;
  int n;
  orb_status st = ice_reroot(a, m->location, table_dir, s->manifest_list, &list, &moved, e);
  if (st == ORB_OK) st = ice_manifest_list_read(a, list, &refs, &n, e);
  for (int i = 0; st == ORB_OK && i < n && *none; i++) {
    if (refs[i].content != 0) continue;
    if (refs[i].length > target || refs[i].deleted_files != 0) *none = false;
    for (int k = 0; k < i && *none; k++)
      if (refs[k].content == 0 && refs[k].spec_id == refs[i].spec_id) *none = false;
  }
  return st;
}

orb_status ice_rewrite_manifests(const char *table_dir, const ice_maint_opts *o, ice_maint_result *res, orb_err *e) {
  memset(res, 0, sizeof *res);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  orb_status st = ice_meta_open(&a, table_dir, &m, &mf, e);
  int64_t target = o->target_manifest_bytes;
  if (st == ORB_OK && target <= 0)
    st = ice_prop_i64(&m, "commit.manifest.target-size-bytes", ICE_MANIFEST_TARGET_BYTES_DEFAULT, 1, &target, e);
  bool none = true;
  if (st == ORB_OK) st = nothing_to_do(&a, table_dir, &m, target, &none, e);
  if (st != ORB_OK || none) {
    orb_arena_free(&a);
    return st;
  }
  char uuid[37];
  rewrite_manifests_ctx rc;
  memset(&rc, 0, sizeof rc);
  rc.uuid = uuid;
  rc.target = target;
  st = ice_uuid_v4(uuid, e);
  ice_snapshot_change c;
  memset(&c, 0, sizeof c);
  c.snapshot_id = ice_new_snapshot_id(&m);
  c.delta.changed_partitions = -1;
  c.operation = "replace";
  c.carry = carry;
  c.carry_ctx = &rc;
  c.uuid = uuid;
  c.no_merge = true;   /* the rewrite already is the merge */
  rc.merge.table_dir = table_dir;
  rc.merge.snapshot_id = c.snapshot_id;
  rc.merge.progress = o;
  bool unsure = false;
  ice_retry retry;
  if (st == ORB_OK) st = ice_retry_init(&retry, &m, o->max_retries, e);
  if (st == ORB_OK) {
    int attempts;
    st = ice_snapshot_commit(&a, table_dir, &m, &mf, &retry, &c, &attempts, &unsure, NULL, e);
  }
  if (st == ORB_OK) res->rewritten_manifests = rc.rewritten, res->added_manifests = rc.added;
  else if (!unsure) ice_merge_remove_written(&rc.merge);
  ice_merge_ctx_free(&rc.merge);
  orb_arena_free(&a);
  return st;
}
