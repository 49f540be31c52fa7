/* txn/wset.c — write sets: undo, redo, commit and abort (see wset.h). */
#include "storage/storage_int.h"
#include "storage/cold/cold_tier.h"
#include "storage/cold/cold_stage.h"
#include "storage/sequence.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

static void latch(orb_wset *ws) {
  if (ws->latched) return;
  db_latch_exclusive(ws->db);
  ws->latched = true;
}

void orb_wset_set_sync(orb_wset *ws, int sync) { ws->sync = sync < 0 ? -1 : sync != 0; }

void wset_init_replay(orb_wset *ws, orb_db *db) {
  memset(ws, 0, sizeof *ws);
  ws->db = db;
  ws->replay = true;
}

int64_t orb_wset_changes(const orb_wset *ws) { return ws->changes; }

/* What commit does with an entry: stamp row versions with the commit's
** sequence number, free what DDL replaced. */
/* DROP TABLE of one of the database's own Iceberg tables removes its
** folder; only a folder under <db>/warehouse/ (a damaged catalog must not
** make a drop delete anything else).  An external table's files are never
** touched.  A failure leaves the folder (an orphan) and is reported. */
static void drop_files(orb_db *db, const orb_table *t) {
  if (t->kind != ORB_TABLE_ICEBERG || !t->location) return;
  size_t n = strlen(db->path);
  if (strncmp(t->location, db->path, n) != 0 || strncmp(t->location + n, "/warehouse/", 11) != 0 ||
      strstr(t->location, "/../"))
    return;
  orb_err e;
  orb_err_clear(&e);
  if (cold_table_remove(t->location, &e) != ORB_OK) fprintf(stderr, "orbit: DROP TABLE \"%s\": %s\n", t->name, e.msg);
}

static void commit_entry(orb_db *db, wset_undo *u, uint64_t seq) {
  switch (u->kind) {
  case U_INSERT:
  case U_DELETE:
  case U_UPDATE:
  case U_LOCK:
    hot_stamp(u->obj, u->kind, u->old, u->old2, seq);
    break;
  case U_SHARE:
    hot_share_drop(u->obj, u->old);
    break;
  case U_DROP:
    drop_files(db, u->obj);
    db_table_free(u->obj);
    break;
  case U_RENAME:
    orb_free(u->old);
    break;
  case U_ACTION: {   /* committed before the log record (orb_wset_commit) */
    wset_action *a = u->obj;
    if (a->done) a->done(a->ctx);
    orb_free(a);
    break;
  }
  case U_ALTER:
    orb_schema_free(u->old);
    orb_free(u->old);
    hot_tier_free(u->old2);
    break;
  case U_COLD_STAGE:   /* a staged ALTER's undo (the stage itself may be gone) */
    cold_stage_undo_free(u->old2);
    break;
  case U_SEQ_ALTER: {   /* others may take values again */
    orb_sequence *s = ((orb_table *)u->obj)->seq;
    pthread_mutex_lock(&s->mu);
    s->altered_by = 0;
    pthread_mutex_unlock(&s->mu);
    orb_free(u->old);
    break;
  }
  default:
    break;
  }
}

/* What abort does with an entry: put things back. */
static void undo_entry(orb_db *db, wset_undo *u) {
  switch (u->kind) {
  case U_INSERT:
    hot_undo_insert(u->obj, u->rowid);
    break;
  case U_DELETE:
    hot_undo_delete(u->obj, u->old);
    break;
  case U_UPDATE:
  case U_LOCK:
    hot_undo_update(u->obj, u->rowid, u->old, u->old2);
    break;
  case U_SHARE:
    hot_share_drop(u->obj, u->old);
    break;
  case U_CREATE:
    db_catalog_lock(db);
    db_table_remove(db, u->obj);
    db_catalog_unlock(db);
    db_table_free(u->obj);
    break;
  case U_DROP:
    db_catalog_lock(db);
    db_table_add(db, u->obj);
    db_catalog_unlock(db);
    break;
  case U_RENAME: {
    orb_table *t = u->obj;
    db_catalog_lock(db);
    db_table_remove(db, t);
    orb_free(t->name);
    t->name = u->old;
    if (t->cold) cold_tier_rename(t->cold, t->name);
    db_table_add(db, t);
    db_catalog_unlock(db);
    break;
  }
  case U_ACTION: {
    wset_action *a = u->obj;
    if (!a->finished) a->abort(a->ctx);
    if (a->done) a->done(a->ctx);
    orb_free(a);
    break;
  }
  case U_SEQ_ALTER: {   /* the options back; the value too if it was a RESTART (rowid 1) */
    orb_sequence *s = ((orb_table *)u->obj)->seq, *old = u->old;
    pthread_mutex_lock(&s->mu);
    orb_seq_copy_options(s, old);
    if (u->rowid) {
      s->last = old->last;
      s->called = old->called;
      s->bound = old->bound;
      s->bound_by = 0;
    }
    s->altered_by = 0;
    pthread_mutex_unlock(&s->mu);
    orb_free(old);
    break;
  }
  case U_COLD_STAGE:   /* before the U_ACTION that owns the stage (pushed after it) */
    cold_stage_cut(u->obj, (int64_t)u->rowid, (int64_t)(uintptr_t)u->old);
    if (u->old2) cold_stage_unalter(u->obj, u->old2);
    break;
  case U_ALTER: {
    orb_table *t = u->obj;
    orb_schema *old = u->old;
    db_catalog_lock(db);
    orb_schema_free(&t->schema);
    t->schema = *old;
    orb_free(old);
    hot_tier *newer = hot_of(t->hot);
    t->hot = hot_base(u->old2);
    if (t->cold) cold_tier_set_schema(t->cold, &t->schema);
    db_catalog_unlock(db);
    hot_tier_free(newer);
    break;
  }
  }
}

void wset_push(orb_wset *ws, wset_undo_kind kind, void *obj, uint64_t rowid, void *old, void *old2) {
  wset_undo u = {(uint8_t)kind, obj, rowid, old, old2};
  if (ws->replay) {   /* recovery never rolls back */
    commit_entry(ws->db, &u, 0);
    return;
  }
  ws->undo = orb_grow(ws->undo, &ws->cap_undo, ws->nundo + 1, sizeof *ws->undo);
  ws->undo[ws->nundo++] = u;
}

wset_mark wset_mark_get(const orb_wset *ws) {
  wset_mark m = {ws->nundo, ws->redo.len, ws->changes};
  return m;
}

void wset_rollback_to(orb_wset *ws, wset_mark m) {
  while (ws->nundo > m.nundo) undo_entry(ws->db, &ws->undo[--ws->nundo]);
  if (ws->redo.len > m.redo_len) ws->redo.len = m.redo_len;
  ws->changes = m.changes;
}

static bool row_entry(const wset_undo *u) {
  return u->kind == U_INSERT || u->kind == U_DELETE || u->kind == U_UPDATE || u->kind == U_LOCK || u->kind == U_SHARE;
}

/* Stamp the row versions, queue them for pruning, then finish DDL entries
** (which may free a table's old tier that row entries still name). */
static void commit_entries(orb_wset *ws, uint64_t seq) {
  if (ws->has_snap) {   /* its own snapshot must not keep what it replaced */
    db_snap_release(ws->db, ws->snap.seq);
    ws->has_snap = false;
  }
  for (size_t i = 0; i < ws->nundo; i++)
    if (row_entry(&ws->undo[i])) commit_entry(ws->db, &ws->undo[i], seq);
  db_gc_after_commit(ws->db, ws);
  for (size_t i = 0; i < ws->nundo; i++)
    if (!row_entry(&ws->undo[i])) commit_entry(ws->db, &ws->undo[i], seq);
}

/* End the transaction: give back the latch, the snapshot, the gate. */
static void release(orb_wset *ws) {
  orb_db *db = ws->db;
  orb_wset_leave(ws);
  db_txn_unregister(db, ws);   /* snapshot, buffers; wakes transactions waiting for this one */
  if (ws->gate) db_gate_leave(db, ws->gate == 2);
  orb_free(ws->undo);
  orb_buf_free(&ws->redo);
  cold_pins_clear(&ws->pins);
  orb_free(ws);
}


void orb_wset_abort(orb_wset *ws) {
  if (!ws) return;
  latch(ws);
  wset_mark zero = {0, 0, 0};
  wset_rollback_to(ws, zero);
  release(ws);
}

void wset_action_add_prepared(orb_wset *ws, const void *key, orb_status (*prepare)(void *, orb_err *),
                              orb_status (*commit)(void *, orb_err *), void (*abort)(void *), void (*done)(void *),
                              void *ctx) {
  wset_action *a = orb_calloc(1, sizeof *a);
  a->key = key;
  a->prepare = prepare;
  a->commit = commit;
  a->abort = abort;
  a->done = done;
  a->ctx = ctx;
  wset_push(ws, U_ACTION, a, 0, NULL, NULL);
}

void wset_action_add(orb_wset *ws, const void *key, orb_status (*commit)(void *, orb_err *), void (*abort)(void *),
                     void (*done)(void *), void *ctx) {
  wset_action_add_prepared(ws, key, NULL, commit, abort, done, ctx);
}

void *wset_action_find(const orb_wset *ws, const void *key) {
  for (size_t i = ws->nundo; i-- > 0;)
    if (ws->undo[i].kind == U_ACTION && ((wset_action *)ws->undo[i].obj)->key == key)
      return ((wset_action *)ws->undo[i].obj)->ctx;
  return NULL;
}

/* Prepare every action that has a prepare step (nothing published yet). */
static orb_status prepare_actions(orb_wset *ws, orb_err *e) {
  orb_status st = ORB_OK;
  for (size_t i = 0; i < ws->nundo && st == ORB_OK; i++) {
    if (ws->undo[i].kind != U_ACTION) continue;
    wset_action *a = ws->undo[i].obj;
    if (a->prepare) st = a->prepare(a->ctx, e);
  }
  return st;
}

/* Commit the write set's actions in order; on a failure abort the rest
** (the failed one cleans up after itself) and report it. */
static orb_status commit_actions(orb_wset *ws, orb_err *e) {
  orb_status st = ORB_OK;
  for (size_t i = 0; i < ws->nundo; i++) {
    if (ws->undo[i].kind != U_ACTION) continue;
    wset_action *a = ws->undo[i].obj;
    if (st == ORB_OK) {
      st = a->commit(a->ctx, e);
    } else {
      a->abort(a->ctx);
    }
    a->finished = true;
  }
  return st;
}

/* Wait until the log is on disk up to lsn (0: nothing to wait for) and show
** the commits that made durable (visible.c).  Should the log fail, every
** commit is shown: it stays in memory, only its durability is lost, and
** new commits are refused until a checkpoint. */
static orb_status wait_visible(orb_db *db, uint64_t lsn, orb_err *e) {
  if (!lsn) return ORB_OK;
  orb_status st = wal_wait(db->wal, lsn, e);
  if (db_visible_advance(db, st != ORB_OK)) db_gc_try(db);
  return st;
}

/* Does ws change rows of hot tables (what an intent record carries)? */
static bool changes_hot_rows(const orb_wset *ws) {
  for (size_t i = 0; i < ws->nundo; i++)
    if (ws->undo[i].kind == U_INSERT || ws->undo[i].kind == U_UPDATE || ws->undo[i].kind == U_DELETE) return true;
  return false;
}

orb_status orb_wset_commit(orb_wset *ws, orb_err *e) {
  orb_db *db = ws->db;
  const char *bare = ws->pins.staged ? cold_stage_bare_alter(&ws->pins) : NULL;
  if (bare && changes_hot_rows(ws)) {   /* see cold_stage_bare_alter: refused rather than half applied after a crash */
    orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                 "cannot commit ALTER TABLE of Iceberg table \"%s\" together with changes to other tables", bare);
    orb_err_hint(e, "Run the ALTER TABLE in a transaction of its own.");
    orb_wset_abort(ws);
    return ORB_ERR_UNSUPPORTED;
  }
  if (ws->redo.len + 8 > WAL_MAX_RECORD) {   /* refused before any action publishes anything */
    orb_wset_abort(ws);
    return orb_err_set(e, ORB_ERR_LIMIT, "transaction is too large to log (over %u bytes of changes)",
                       (unsigned)WAL_MAX_RECORD);
  }
  if (prepare_actions(ws, e) != ORB_OK) {   /* e.g. a conflict found before any table publishes */
    orb_status st = e ? e->code : ORB_ERR_IO;
    orb_wset_abort(ws);
    return st;
  }
  /* hot changes and Iceberg snapshots together: the hot changes are
  ** logged first, as an intent the Iceberg commits complete (intent.c) */
  db_intent *intent = NULL;
  if (ws->redo.len && ws->pins.staged && db_intent_log(ws, &intent, e) != ORB_OK) {
    orb_status st = e ? e->code : ORB_ERR_IO;
    orb_wset_abort(ws);
    return st;
  }
  if (commit_actions(ws, e) != ORB_OK) {
    orb_status st = e ? e->code : ORB_ERR_IO;
    if (intent) {   /* void (should this record not reach the disk, recovery finds the snapshots missing) */
      latch(ws);
      db_intent_abandon(db, intent);
    }
    orb_wset_abort(ws);
    return st;
  }
  if (intent && db_test_crash_point) db_test_crash_point("iceberg-committed");
  latch(ws);
  bool sync = ws->sync < 0 ? db->opt.sync_commit : ws->sync != 0;
  /* what it read that is not durable yet must be before it is answered */
  uint64_t seen = sync ? ws->seen_lsn : 0;
  if (ws->redo.len == 0) {   /* nothing to log (a read-only transaction, a DELETE that matched nothing) */
    uint64_t need = 0;
    if (ws->nundo) {   /* numbered first: if visible at once, its pruning pass may free what it replaced */
      need = db_visible_commit(db, ++db->cseq, 0);
      commit_entries(ws, db->cseq);
    }
    release(ws);
    return wait_visible(db, need > seen ? need : seen, e);
  }
  if (ws->redo.len + 8 > WAL_MAX_RECORD) {
    orb_wset_abort(ws);
    return orb_err_set(e, ORB_ERR_LIMIT, "transaction is too large to log (over %u bytes of changes)",
                       (unsigned)WAL_MAX_RECORD);
  }
  if (!intent && wal_failed(db->wal, e)) {   /* a CHECKPOINT (which rewrites everything) clears this */
    orb_wset_abort(ws);
    return e ? e->code : ORB_ERR_IO;
  }
  /* Append while holding the latch: log order = commit order.  After an
  ** intent the Iceberg snapshots are published: the commit must stand, and
  ** a log that fails now is one recovery completes from the intent. */
  uint64_t lsn = ++db->last_lsn;
  if (intent) {
    orb_buf done = ORB_BUF_INIT;
    db_intent_done_record(intent, true, &done);
    wal_append(db->wal, lsn, done.data, done.len);
    orb_buf_free(&done);
    db_intent_forget(db, intent);
  } else {
    wal_append(db->wal, lsn, ws->redo.data, ws->redo.len);
  }
  uint64_t need = db_visible_commit(db, ++db->cseq, sync ? lsn : 0);
  commit_entries(ws, db->cseq);
  orb_status st = ORB_OK;
  if (ws->gate == 2) {   /* DDL: nobody may see the new catalog before the commit is visible */
    st = wait_visible(db, need, e);
    need = 0;
  }
  release(ws);
  if (st == ORB_OK) st = wait_visible(db, need, e);
  if (st == ORB_OK && db->opt.checkpoint_wal_bytes > 0 && wal_segment_bytes(db->wal) > db->opt.checkpoint_wal_bytes) {
    orb_err ce;
    orb_err_clear(&ce);
    /* the commit itself succeeded; a failed automatic checkpoint is retried next time */
    orb_db_checkpoint_if_needed(db, &ce);
  }
  return st;
}

orb_wset_savepoint orb_wset_save(const orb_wset *ws) {
  wset_mark m = wset_mark_get(ws);
  orb_wset_savepoint sp = {m.nundo, m.redo_len, m.changes};
  return sp;
}

void orb_wset_rollback_to_savepoint(orb_wset *ws, orb_wset_savepoint sp) {
  wset_mark m = {sp.nundo, sp.redo_len, sp.changes};
  bool was = ws->latched;
  latch(ws);   /* undo changes shared structures */
  bool rows = false;
  for (size_t i = sp.nundo; i < ws->nundo && !rows; i++) rows = row_entry(&ws->undo[i]);
  wset_rollback_to(ws, m);
  if (rows) db_txn_rows_given_back(ws->db, ws);   /* as PostgreSQL releases a subtransaction's row locks */
  if (!was) orb_wset_leave(ws);
}
