/* storage/hot/hot_share.c — shared row locks: SELECT ... FOR SHARE and
** FOR KEY SHARE (see hot.h).
**
** An exclusive claim (update, delete, FOR UPDATE) marks the row's version
** itself (hot_mvcc.c): one transaction at a time.  A shared lock must let
** several transactions hold the row at once and still stop every writer,
** as PostgreSQL's share locks do, so it is kept beside the versions: one
** entry per (row, transaction) in a map of the tier, added under the latch
** and dropped when the transaction commits or rolls back past it (undo
** entry U_SHARE).  An entry exists only while its transaction runs, so a
** writer that finds one of another transaction waits for it; sharers do
** not wait for each other.  The map is empty, and costs nothing to look
** at, unless someone holds a share lock.
**
** Both shared strengths conflict with every write here.  PostgreSQL lets an
** update that changes no key column through a KEY SHARE lock; Orbit is
** stricter there, never looser.
*/
#include "storage/hot/hot_int.h"
#include "storage/storage_int.h"
#include "base/mem.h"

typedef struct hot_share {
  uint64_t rowid, xid;
} hot_share;

static uint64_t share_hash(uint64_t rowid) { return orb_hash_u64(rowid ^ 0x5eed5ba7e5ull); }

/* ws's own entry for rowid, or (want_other) another transaction's. */
static hot_share *find(const hot_tier *h, uint64_t rowid, uint64_t self, bool want_other) {
  if (!h->shares.count) return NULL;
  orb_hmap_iter it;
  for (hot_share *s = orb_hmap_find(&h->shares, share_hash(rowid), &it); s; s = orb_hmap_next(&it))
    if (s->rowid == rowid && (s->xid != self) == want_other) return s;
  return NULL;
}

uint64_t hot_share_holder(const hot_tier *h, uint64_t rowid, uint64_t self) {
  const hot_share *s = find(h, rowid, self, true);
  return s ? s->xid : 0;
}

orb_status hot_share_one(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e) {
  orb_status st = hot_claim_shared(h, ws, rowid, gone, e);
  if (st != ORB_OK || *gone) return st;
  if (hot_ver_of(h->rows[rowid])->xmin == ws->xid) return ORB_OK;   /* its own version: held exclusively */
  if (find(h, rowid, ws->xid, false)) return ORB_OK;
  if (!h->shares.slots) orb_hmap_init(&h->shares, 16);
  hot_share *s = orb_malloc(sizeof *s);
  s->rowid = rowid;
  s->xid = ws->xid;
  orb_hmap_put(&h->shares, share_hash(rowid), s);
  wset_push(ws, U_SHARE, h, rowid, s, NULL);
  return ORB_OK;
}

void hot_share_drop(hot_tier *h, void *entry) {
  hot_share *s = entry;
  orb_hmap_remove(&h->shares, share_hash(s->rowid), s);
  orb_free(s);
}

void hot_share_free_all(hot_tier *h) {
  if (!h->shares.slots) return;
  size_t pos = 0;
  for (void *s; (s = orb_hmap_each(&h->shares, &pos, NULL)) != NULL;) orb_free(s);
  orb_hmap_free(&h->shares);
}
