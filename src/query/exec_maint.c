/* query/exec_maint.c — running Iceberg maintenance (CALL
** expire_snapshots, CALL remove_orphan_files, CALL rewrite_data_files, CALL
** rewrite_manifests, VACUUM of owned Iceberg
** tables) through storage/cold/ice_maint.h, with the session's progress
** callback.  Like PostgreSQL's VACUUM it refuses to run inside a
** transaction block (25001): it commits to the table on its own and deletes
** files, which no ROLLBACK could bring back. */
#include "query/stmt_exec.h"
#include "storage/cold/ice_maint.h"

#include <string.h>

static void opts_of(oql_session *s, const oql_bmaint *m, ice_maint_opts *o) {
  ice_maint_opts_init(o);
  o->older_than_ms = m->older_than_ms;
  o->retain_last = m->retain_last;
  o->dry_run = m->dry_run;
  o->target_file_bytes = m->target_file_bytes;
  o->min_input_files = m->min_input_files;
  o->partial_progress = m->partial_progress;
  o->max_commits = m->max_commits;
  o->progress = oql_session_progress(s, &o->progress_ctx);
}

/* One row of n BIGINT counts (the procedures' results). */
static oql_op *counts_row(orb_arena *xa, const int64_t *n, int k) {
  orb_type tt[8];
  orb_value v[8];
  for (int i = 0; i < k; i++) tt[i] = orb_type_make(ORB_T_INT64), v[i] = orb_int(ORB_T_INT64, n[i]);
  oql_op *op = oql_rows_new(xa, k, tt);
  oql_rows_add(op, xa, v);
  return op;
}

orb_status oql_exec_maint(oql_session *s, oql_bstmt *b, orb_arena *xa, oql_op **rows, char *tag, size_t tagcap,
                          orb_err *e) {
  const oql_bmaint *m = &b->maint;
  snprintf(tag, tagcap, "%s", m->proc == OQL_MAINT_VACUUM ? "VACUUM" : "CALL");
  if (oql_session_in_txn(s))
    return orb_err_setx(e, ORB_ERR_MISUSE, "25001", 0, "%s cannot run inside a transaction block", m->proc_name);
  ice_maint_opts o;
  ice_maint_result r;
  opts_of(s, m, &o);
  orb_status st = ORB_OK;
  switch (m->proc) {
  case OQL_MAINT_EXPIRE: {
    if ((st = ice_expire_snapshots(m->dirs[0], &o, &r, e)) != ORB_OK) break;
    int64_t n[7] = {r.data_files, r.pos_delete_files, r.eq_delete_files, r.manifests, r.manifest_lists, r.metadata_files,
                    r.expired_snapshots};
    *rows = counts_row(xa, n, 7);
    break;
  }
  case OQL_MAINT_REWRITE: {
    if ((st = ice_rewrite_data_files(m->dirs[0], &o, &r, e)) != ORB_OK) break;
    int64_t n[5] = {r.rewritten_data_files, r.added_data_files, r.rewritten_bytes, r.failed_data_files,
                    r.removed_delete_files};
    *rows = counts_row(xa, n, 5);
    break;
  }
  case OQL_MAINT_REWRITE_MANIFESTS: {
    if ((st = ice_rewrite_manifests(m->dirs[0], &o, &r, e)) != ORB_OK) break;
    int64_t n[2] = {r.rewritten_manifests, r.added_manifests};
    *rows = counts_row(xa, n, 2);
    break;
  }
  case OQL_MAINT_ORPHANS: {
    if ((st = ice_remove_orphans(xa, m->dirs[0], &o, &r, e)) != ORB_OK) break;
    orb_type t = orb_type_make(ORB_T_TEXT);
    oql_op *op = oql_rows_new(xa, 1, &t);
    for (int i = 0; i < r.npaths; i++) {
      orb_value v = orb_text(r.paths[i], strlen(r.paths[i]));
      oql_rows_add(op, xa, &v);
    }
    *rows = op;
    break;
  }
  case OQL_MAINT_VACUUM:
    for (int i = 0; i < m->ndirs && st == ORB_OK; i++) {
      st = ice_expire_snapshots(m->dirs[i], &o, &r, e);
      if (st == ORB_OK) st = ice_remove_orphans(NULL, m->dirs[i], &o, &r, e);
    }
    break;
  case OQL_MAINT_NONE:
    break;
  }
  if (st != ORB_OK && b->table_name) orb_err_prefix(e, "table \"%s\": ", b->table_name);
  return st;
}
