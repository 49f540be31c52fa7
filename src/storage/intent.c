/* storage/intent.c — committing a transaction that changes both hot tables
** and owned Iceberg tables, so that a crash between the two commits loses
** neither half.
**
** The Iceberg commits cannot be taken back once published, and they must
** come first (a conflict there, 40001, has to roll back the hot changes
** too).  So before them the hot changes are logged in an intent record
**
**   REDO_ICEBERG_INTENT  u64 token  varint n  n x (varint table id, svarint snapshot id)  operations...
**
** made durable whatever synchronous_commit says, naming the Iceberg
** snapshots the commit will publish (their ids are chosen beforehand,
** cold_stage_intents).  After the Iceberg commits the transaction's commit
** record is just
**
**   REDO_ICEBERG_DONE  u64 token  u8 applied
**
** and replay applies the intent's operations there, in commit order
** (applied 0: the Iceberg commits failed and the transaction was rolled
** back; nothing to apply).  An intent with no DONE after it (the process
** died in between) is decided at the end of recovery by the Iceberg tables
** themselves: when every snapshot it names is in its table's current
** metadata the Iceberg side committed, so the hot changes are applied;
** otherwise they are dropped; a DONE record logs the decision (a
** failure part-way through several tables keeps the tables already
** committed, as a running database does; docs/transactions.md).  A snapshot
** expired by another engine before the database reopens reads as missing.
**
** A checkpoint between an intent and its DONE would delete the intent
** with the old log segments, so every intent not yet done is logged again
** after the checkpoint's snapshot (db_intent_relog).  Nothing else logs
** between them for the transaction: its hot changes stay invisible,
** stamped with its id, until the DONE record is appended under the latch.
*/
#include "storage/storage_int.h"
#include "storage/cold/cold_stage.h"
#include "storage/cold/ice_commit.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

void (*db_test_crash_point)(const char *point);

static void intent_free(db_intent *in) {
  if (!in) return;
  orb_free(in->table_ids);
  orb_free(in->snapshot_ids);
  orb_buf_free(&in->rec);
  orb_free(in);
}

static void unlink_intent(orb_db *db, db_intent *in) {
  for (db_intent **p = &db->intents; *p; p = &(*p)->next)
    if (*p == in) {
      *p = in->next;
      return;
    }
}

orb_status db_intent_log(orb_wset *ws, db_intent **out, orb_err *e) {
  *out = NULL;
  cold_intent *iv;
  int n = cold_stage_intents(&ws->pins, &iv);
  if (n == 0) {
    orb_free(iv);
    return ORB_OK;   /* no Iceberg snapshot to publish: an ordinary commit */
  }
  orb_db *db = ws->db;
  db_intent *in = orb_calloc(1, sizeof *in);
  in->token = (uint64_t)ice_random_id();
  in->n = n;
  in->table_ids = orb_malloc(sizeof *in->table_ids * (size_t)n);
  in->snapshot_ids = orb_malloc(sizeof *in->snapshot_ids * (size_t)n);
  orb_buf_put_u8(&in->rec, REDO_ICEBERG_INTENT);
  orb_buf_put_u64(&in->rec, in->token);
  orb_buf_put_varint(&in->rec, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    in->table_ids[i] = iv[i].table_id;
    in->snapshot_ids[i] = iv[i].snapshot_id;
    orb_buf_put_varint(&in->rec, iv[i].table_id);
    orb_buf_put_svarint(&in->rec, iv[i].snapshot_id);
  }
  orb_free(iv);
  in->ops_at = in->rec.len;
  orb_buf_append(&in->rec, ws->redo.data, ws->redo.len);
  if (in->rec.len + 8 > WAL_MAX_RECORD) {
    intent_free(in);
    return orb_err_set(e, ORB_ERR_LIMIT, "transaction is too large to log (over %u bytes of changes)",
                       (unsigned)WAL_MAX_RECORD);
  }
  bool was = ws->latched;
  if (!was) {
    db_latch_exclusive(db);
    ws->latched = true;
  }
  orb_status st = ORB_OK;
  uint64_t lsn = 0;
  if (!wal_failed(db->wal, e)) {
    lsn = ++db->last_lsn;
    wal_append(db->wal, lsn, in->rec.data, in->rec.len);
    in->next = db->intents;
    db->intents = in;
  } else {
    st = e ? e->code : ORB_ERR_IO;
  }
  orb_wset_leave(ws);   /* the Iceberg commits run outside the latch, as ever */
  if (st == ORB_OK && (st = wal_wait(db->wal, lsn, e)) != ORB_OK) {
    db_latch_exclusive(db);
    unlink_intent(db, in);
    pthread_rwlock_unlock(&db->latch);
  }
  if (st != ORB_OK) {
    intent_free(in);
    return st;
  }
  if (db_test_crash_point) db_test_crash_point("intent-logged");
  *out = in;
  return ORB_OK;
}

void db_intent_done_record(const db_intent *in, bool applied, orb_buf *out) {
  orb_buf_put_u8(out, REDO_ICEBERG_DONE);
  orb_buf_put_u64(out, in->token);
  orb_buf_put_u8(out, applied);
}

/* Log the DONE record of in (latch held); the LSN it got. */
static uint64_t log_done(orb_db *db, const db_intent *in, bool applied) {
  orb_buf done = ORB_BUF_INIT;
  db_intent_done_record(in, applied, &done);
  uint64_t lsn = ++db->last_lsn;
  wal_append(db->wal, lsn, done.data, done.len);
  orb_buf_free(&done);
  return lsn;
}

void db_intent_abandon(orb_db *db, db_intent *in) {
  log_done(db, in, false);
  db_intent_forget(db, in);
}

void db_intent_forget(orb_db *db, db_intent *in) {
  unlink_intent(db, in);
  intent_free(in);
}

orb_status db_intent_relog(orb_db *db, orb_err *e) {
  uint64_t lsn = 0;
  for (db_intent *in = db->intents; in; in = in->next) {
    lsn = ++db->last_lsn;
    wal_append(db->wal, lsn, in->rec.data, in->rec.len);
  }
  return lsn ? wal_wait(db->wal, lsn, e) : ORB_OK;
}

/* --- recovery ---------------------------------------------------------------- */

static orb_status bad(orb_err *e, const char *what) {
  return orb_err_set(e, ORB_ERR_CORRUPT, "write-ahead log record is malformed: %s", what);
}

orb_status db_intent_replay(orb_db *db, const uint8_t *ops, size_t len, bool *handled, orb_err *e) {
  *handled = len > 0 && (ops[0] == REDO_ICEBERG_INTENT || ops[0] == REDO_ICEBERG_DONE);
  if (!*handled) return ORB_OK;
  orb_rd r;
  orb_rd_init(&r, ops, len);
  uint8_t op = orb_rd_u8(&r);
  uint64_t token = orb_rd_u64(&r);
  if (r.err) return bad(e, "Iceberg intent");
  if (op == REDO_ICEBERG_DONE) {
    bool applied = orb_rd_u8(&r) != 0;
    db_intent *in = db->intents;
    while (in && in->token != token) in = in->next;
    if (r.err || !in) return bad(e, "DONE of an unknown Iceberg intent");
    orb_status st = ORB_OK;
    if (applied) st = db_apply_record(db, (const uint8_t *)in->rec.data + in->ops_at, in->rec.len - in->ops_at, e);
    db_intent_forget(db, in);
    return st;
  }
  uint64_t n = orb_rd_varint(&r);
  if (r.err || n == 0 || n > orb_rd_left(&r)) return bad(e, "Iceberg intent tables");
  db_intent *in = orb_calloc(1, sizeof *in);
  in->token = token;
  in->n = (int)n;
  in->table_ids = orb_malloc(sizeof *in->table_ids * (size_t)n);
  in->snapshot_ids = orb_malloc(sizeof *in->snapshot_ids * (size_t)n);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t id = orb_rd_varint(&r);
    in->table_ids[i] = (uint32_t)id;
    in->snapshot_ids[i] = orb_rd_svarint(&r);
    if (id > UINT32_MAX) r.err = true;
  }
  if (r.err) {
    intent_free(in);
    return bad(e, "Iceberg intent tables");
  }
  in->ops_at = len - orb_rd_left(&r);
  orb_buf_append(&in->rec, ops, len);
  in->next = db->intents;
  db->intents = in;
  return ORB_OK;
}

/* Did every Iceberg commit of the intent happen? */
static int committed_tables(orb_db *db, const db_intent *in) {
  int have = 0;
  for (int i = 0; i < in->n; i++) {
    orb_table *t = db_table_by_id(db, in->table_ids[i]);
    bool has = false;
    orb_err ie;
    orb_err_clear(&ie);
    if (t && t->location && cold_table_has_snapshot(t->location, in->snapshot_ids[i], &has, &ie) != ORB_OK)
      fprintf(stderr, "orbit: recovery: Iceberg table \"%s\": %s\n", t->name, ie.msg);
    have += has;
  }
  return have;
}

orb_status db_intent_resolve(orb_db *db, orb_err *e) {
  orb_status st = ORB_OK;
  while (db->intents && st == ORB_OK) {
    db_intent *in = db->intents;
    int have = committed_tables(db, in);
    bool apply = have == in->n;
    if (apply) st = db_apply_record(db, (const uint8_t *)in->rec.data + in->ops_at, in->rec.len - in->ops_at, e);
    else
      fprintf(stderr,
              "orbit: recovery: a transaction's Iceberg commits did not all happen (%d of %d snapshots found); its "
              "changes to ordinary tables are dropped\n",
              have, in->n);
    if (st == ORB_OK) st = wal_wait(db->wal, log_done(db, in, apply), e);
    db_intent_forget(db, in);
  }
  return st;
}

void db_intents_free(orb_db *db) {
  while (db->intents) db_intent_forget(db, db->intents);
}
