/* storage/hot/hot_mvcc.c — row versions: who sees which, write conflicts,
** commit stamps, undo and pruning (see hot.h and txn/snapshot.h).
**
** A writer never changes a version another transaction may be reading: an
** update pushes a new version in front of the old one and marks the old
** one's xmax; a delete only marks xmax.  Both are first "claimed": if
** another running transaction already wrote the row the writer must wait
** for it (ORB_ERR_WAIT, the session retries the statement afterwards); if a
** transaction that committed after the writer's snapshot did, REPEATABLE
** READ fails with 40001 — the first committer wins, as in PostgreSQL (the
** rule itself is txn/txn.c's wset_wait_for and wset_conflict).
*/
#include "storage/hot/hot_int.h"
#include "storage/storage_int.h"

const orb_value *hot_row_visible(const hot_tier *h, uint64_t rowid, const orb_snapshot *snap) {
  if (rowid >= h->nslots) return NULL;
  for (const orb_value *v = h->rows[rowid]; v; v = hot_ver_of(v)->older) {
    const hot_ver *hv = hot_ver_of(v);
    /* the newest version whose making the snapshot sees is the one it reads */
    if (orb_snap_sees(snap, hv->xmin)) return orb_snap_visible(snap, hv->xmin, hv->xmax) ? v : NULL;
  }
  return NULL;
}

static orb_status claim(hot_tier *h, orb_wset *ws, uint64_t rowid, bool exclusive, bool *gone, orb_err *e) {
  *gone = false;
  const orb_value *head = rowid < h->nslots ? h->rows[rowid] : NULL;
  if (!head) {
    *gone = true;
    return ORB_OK;
  }
  const hot_ver *hv = hot_ver_of(head);
  if (orb_xid_running(hv->xmin) && hv->xmin != ws->xid) return wset_wait_for(ws, hv->xmin, h, rowid, e);
  if (orb_xid_running(hv->xmax) && hv->xmax != ws->xid) return wset_wait_for(ws, hv->xmax, h, rowid, e);
  if (hv->xmax == ws->xid) {   /* this transaction deleted it already */
    *gone = true;
    return ORB_OK;
  }
  if (hv->xmax) return orb_snap_sees(&ws->snap, hv->xmax) ? (*gone = true, ORB_OK) : wset_conflict(ws, e);
  if (!orb_snap_sees(&ws->snap, hv->xmin)) return wset_conflict(ws, e);   /* a newer committed version */
  uint64_t sharer = exclusive && h->shares.count ? hot_share_holder(h, rowid, ws->xid) : 0;
  if (sharer) return wset_wait_for(ws, sharer, h, rowid, e);
  return ORB_OK;
}

orb_status hot_claim(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e) {
  return claim(h, ws, rowid, true, gone, e);
}

orb_status hot_claim_shared(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e) {
  return claim(h, ws, rowid, false, gone, e);
}

/* --- commit and undo -------------------------------------------------------- */

void hot_stamp(hot_tier *h, int kind, orb_value *old, orb_value *made, uint64_t seq) {
  switch (kind) {
  case U_INSERT:
    hot_ver_of(made)->xmin = seq;
    h->live++;
    break;
  case U_UPDATE:
    hot_ver_of(old)->xmax = seq;
    hot_ver_of(made)->xmin = seq;
    break;
  case U_DELETE:
    hot_ver_of(old)->xmax = seq;
    h->live--;
    break;
  case U_LOCK:
    /* the copy holds the same values since the same moment, and the locked
    ** version is seen by no snapshot: to every reader and writer after the
    ** commit the row is as if never locked (no 40001 for changing it) */
    hot_ver_of(made)->xmin = hot_ver_of(old)->xmin;
    hot_ver_of(old)->xmax = hot_ver_of(old)->xmin;
    break;
  default:
    return;
  }
  h->pending--;
  h->last_seq = seq;
}

void hot_undo_insert(hot_tier *h, uint64_t rowid) {
  if (rowid >= h->nslots || !h->rows[rowid]) return;
  hot_drop_chain(h, rowid);
  h->pending--;
  if (rowid + 1 == h->nslots) h->nslots--;   /* give the rowid back when it was the last */
}

void hot_undo_delete(hot_tier *h, orb_value *old) {
  hot_ver_of(old)->xmax = 0;
  h->pending--;
}

void hot_undo_update(hot_tier *h, uint64_t rowid, orb_value *old, orb_value *made) {
  h->rows[rowid] = old;
  hot_ver_of(old)->xmax = 0;
  hot_version_free(h, rowid, made);
  h->pending--;
}

/* --- pruning ---------------------------------------------------------------- */

bool hot_prune(hot_tier *h, uint64_t rowid, uint64_t horizon) {
  if (rowid >= h->nslots || !h->rows[rowid]) return true;
  orb_value *head = h->rows[rowid];
  hot_ver *hv = hot_ver_of(head);
  /* A row a running transaction writes is pruned below its newest
  ** committed version too: the versions its undo names (the head, the one
  ** just below) are never freed here, as only versions below one every
  ** snapshot sees are.  Its commit queues the row again. */
  bool writer_running = orb_xid_running(hv->xmin) || orb_xid_running(hv->xmax);
  if (!writer_running && hv->xmax && hv->xmax <= horizon) {   /* deleted before every snapshot: the row is gone */
    hot_drop_chain(h, rowid);
    return true;
  }
  /* the newest version every snapshot sees makes all older ones unreachable */
  for (orb_value *v = head; v; v = hot_ver_of(v)->older) {
    hot_ver *vv = hot_ver_of(v);
    if (vv->xmin > horizon) continue;
    orb_value *old = vv->older;
    vv->older = NULL;
    while (old) {
      orb_value *next = hot_ver_of(old)->older;
      hot_version_free(h, rowid, old);
      old = next;
    }
    break;
  }
  return writer_running || (!hv->older && !hv->xmax);
}
