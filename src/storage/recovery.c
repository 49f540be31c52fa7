/* storage/recovery.c — rebuilding memory at open: newest snapshot, then the log.
**
** Records are replayed in LSN order; those at or below the snapshot's LSN
** are skipped (a crash between writing a snapshot and deleting the old
** segments leaves them behind).  The first record that is torn (bad length
** or CRC) or out of sequence ends the log: the segment is truncated there so
** that new records follow the last valid one, and any later segment (which
** cannot be reached without the missing records) is renamed *.broken.
*/
#include "storage/storage_int.h"
#include "storage/sequence.h"
#include "storage/catalog.h"
#include "storage/rowcodec.h"
#include "base/file.h"
#include "base/mem.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- applying one record ------------------------------------------------- */

static orb_status corrupt(orb_err *e, const char *what) {
  return orb_err_set(e, ORB_ERR_CORRUPT, "write-ahead log record is malformed: %s", what);
}

static orb_table *table_of(orb_db *db, orb_rd *r) {
  uint64_t id = orb_rd_varint(r);
  return !r->err && id <= UINT32_MAX ? db_table_by_id(db, (uint32_t)id) : NULL;
}

static char *get_str(orb_rd *r) {
  size_t n = 0;
  const uint8_t *p = orb_rd_bytes(r, &n);
  return r->err ? NULL : orb_strndup((const char *)p, n);
}

/* ALTER COLUMN ... TYPE replayed: each row gets the new columns' values the
** statement logged, rows taken in the same (slot) order it wrote them. */
typedef struct replay_conv {
  orb_rd *r;
  const orb_schema *s;
  const int32_t *replaces;   /* per column: nonzero for the logged (retyped) ones */
  uint64_t left;             /* logged rows not yet used */
} replay_conv;

static orb_status replay_conv_row(void *ctx, const orb_value *old_row, orb_value *new_row, orb_arena *a, orb_err *e) {
  (void)old_row;
  replay_conv *c = ctx;
  if (c->left == 0) return corrupt(e, "ALTER COLUMN TYPE logged fewer rows than the table has");
  c->left--;
  orb_rd_varint(c->r);   /* the slot: rows come in slot order on both sides */
  orb_value *vals = orb_malloc(sizeof(orb_value) * (size_t)c->s->ncols);
  orb_status st = rowcodec_get(c->r, c->s, vals, a, e);
  for (int i = 0; st == ORB_OK && i < c->s->ncols; i++)   /* the logged (retyped) columns; the others stay */
    if (c->replaces[i]) new_row[i] = vals[i];
  orb_free(vals);
  if (st == ORB_OK && c->r->err) st = corrupt(e, "truncated ALTER COLUMN TYPE row");
  return st;
}

/* The rest of a REDO_ALTER_CONV record, after its schema s: which old
** column each new one replaces, then the logged rows. */
static orb_status replay_alter_conv(orb_db *db, orb_wset *ws, orb_table *t, const orb_schema *s, orb_rd *r,
                                    orb_err *e) {
  orb_status st = ORB_OK;
  uint64_t n = orb_rd_varint(r);
  int32_t *replaces = orb_calloc((size_t)s->ncols + 1, sizeof(int32_t));
  if (n != (uint64_t)s->ncols) st = corrupt(e, "ALTER COLUMN TYPE column count");
  for (uint64_t i = 0; i < n && st == ORB_OK && !r->err; i++) replaces[i] = (int32_t)orb_rd_varint(r);
  replay_conv rc = {r, s, replaces, orb_rd_varint(r)};
  orb_alter_conv conv = {replay_conv_row, &rc, replaces};
  if (st == ORB_OK && !r->err) st = db_alter_table_int(db, ws, t, s, NULL, &conv, e);
  if (st == ORB_OK && rc.left) st = corrupt(e, "ALTER COLUMN TYPE logged more rows than the table has");
  orb_free(replaces);
  return st;
}

orb_status db_apply_record(orb_db *db, const uint8_t *ops, size_t len, orb_err *e) {
  orb_wset ws;
  wset_init_replay(&ws, db);
  orb_rd r;
  orb_rd_init(&r, ops, len);
  orb_value *vals = NULL;
  size_t cap = 0;
  orb_arena arrays;   /* a row's array values until the tier copies the row */
  orb_arena_init(&arrays, 0);
  orb_status st = ORB_OK;
  while (st == ORB_OK && orb_rd_left(&r) > 0) {
    uint8_t op = orb_rd_u8(&r);
    orb_arena_reset(&arrays);
    switch (op) {
    case REDO_INSERT:
    case REDO_UPDATE:
    case REDO_DELETE: {
      orb_table *t = table_of(db, &r);
      uint64_t rowid = orb_rd_varint(&r);
      if (!t || r.err || rowid >= ((uint64_t)1 << 56)) {
        st = corrupt(e, "unknown table or bad row id");
        break;
      }
      hot_tier *h = hot_of(t->hot);
      if (op == REDO_DELETE) {
        st = hot_delete_one(h, &ws, rowid, e);
        break;
      }
      vals = orb_grow(vals, &cap, (size_t)t->schema.ncols, sizeof *vals);
      if ((st = rowcodec_get(&r, &t->schema, vals, &arrays, e)) != ORB_OK) break;
      if (op == REDO_INSERT) st = hot_insert_one(h, &ws, vals, (int64_t)rowid, NULL, e);
      else st = hot_update_one(h, &ws, rowid, vals, e);
      break;
    }
    case REDO_CREATE:
    case REDO_CREATE_ICEBERG: {
      uint64_t id = orb_rd_varint(&r);
      char *name = get_str(&r), *js = get_str(&r), *loc = NULL;
      int kind = ORB_TABLE_HOT;
      if (op == REDO_CREATE_ICEBERG) {
        kind = orb_rd_u8(&r);
        loc = get_str(&r);
      }
      orb_schema s;
      if (!name || !js || id == 0 || id > UINT32_MAX ||
          (op == REDO_CREATE_ICEBERG &&
           (!loc || (kind != ORB_TABLE_ICEBERG && kind != ORB_TABLE_EXTERNAL && kind != ORB_TABLE_VIEW &&
                     kind != ORB_TABLE_SEQUENCE))))
        st = corrupt(e, "CREATE TABLE");
      else if ((st = catalog_schema_load(js, strlen(js), &s, e)) == ORB_OK) {
        st = db_create_table_id(db, &ws, (uint32_t)id, name, &s, (orb_table_kind)kind, loc, NULL, e);
        orb_schema_free(&s);
      }
      orb_free(name);
      orb_free(js);
      orb_free(loc);
      break;
    }
    case REDO_SEQUENCE: {
      orb_table *t = table_of(db, &r);
      int64_t last = (int64_t)orb_rd_u64(&r);
      uint8_t flags = orb_rd_u8(&r);
      if (!t || t->kind != ORB_TABLE_SEQUENCE) st = corrupt(e, "sequence value of an unknown sequence");
      else orb_seq_replay(t, last, flags);
      break;
    }
    case REDO_SEQ_ALTER: {
      orb_table *t = table_of(db, &r);
      char *js = get_str(&r);
      bool restart = orb_rd_u8(&r) != 0;
      orb_sequence s;
      if (!t || t->kind != ORB_TABLE_SEQUENCE || !js) {
        st = corrupt(e, "ALTER SEQUENCE of an unknown sequence");
      } else if ((st = orb_seq_parse(js, &s, e)) == ORB_OK) {
        st = orb_db_alter_sequence(db, &ws, t, &s, restart, e);
        pthread_mutex_destroy(&s.mu);
      }
      orb_free(js);
      break;
    }
    case REDO_DROP: {
      orb_table *t = table_of(db, &r);
      if (!t) st = corrupt(e, "DROP TABLE of an unknown table");
      else st = orb_db_drop_table(db, &ws, t, e);
      break;
    }
    case REDO_RENAME: {
      orb_table *t = table_of(db, &r);
      char *name = get_str(&r);
      if (!t || !name) st = corrupt(e, "RENAME of an unknown table");
      else st = orb_db_rename_table(db, &ws, t, name, e);
      orb_free(name);
      break;
    }
    case REDO_ALTER:
    case REDO_ALTER_CONV: {
      orb_table *t = table_of(db, &r);
      char *js = get_str(&r);
      orb_schema s;
      if (!t || !js) {
        st = corrupt(e, "ALTER TABLE of an unknown table");
      } else if ((st = catalog_schema_load(js, strlen(js), &s, e)) == ORB_OK) {
        if (op == REDO_ALTER_CONV) {
          st = replay_alter_conv(db, &ws, t, &s, &r, e);
        } else {
          vals = orb_grow(vals, &cap, (size_t)s.ncols, sizeof *vals);
          st = rowcodec_get(&r, &s, vals, &arrays, e);
          if (st == ORB_OK) st = db_alter_table_int(db, &ws, t, &s, vals, NULL, e);
        }
        orb_schema_free(&s);
      }
      orb_free(js);
      break;
    }
    default:
      st = corrupt(e, "unknown operation");
    }
    if (st == ORB_OK && r.err) st = corrupt(e, "truncated operation");
  }
  orb_free(vals);
  orb_arena_free(&arrays);
  return st;
}

/* --- the log directory -------------------------------------------------- */

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct replay_ctx {
  orb_db *db;
  bool gap;
} replay_ctx;

static orb_status on_record(void *arg, uint64_t lsn, const uint8_t *payload, size_t len, orb_err *e) {
  replay_ctx *c = arg;
  orb_db *db = c->db;
  if (lsn <= db->last_lsn) return ORB_OK;   /* already in the snapshot */
  if (lsn != db->last_lsn + 1) {
    c->gap = true;
    return orb_err_set(e, ORB_ERR_CORRUPT, "log record %llu follows %llu", (unsigned long long)lsn,
                       (unsigned long long)db->last_lsn);
  }
  bool intent;
  orb_status st = db_intent_replay(db, payload + 8, len - 8, &intent, e);
  if (st == ORB_OK && !intent) st = db_apply_record(db, payload + 8, len - 8, e);
  if (st != ORB_OK) {
    orb_err_prefix(e, "replaying log record %llu", (unsigned long long)lsn);
    return st;
  }
  db->last_lsn = lsn;
  db->replayed_records++;
  return ORB_OK;
}

orb_status db_recover(orb_db *db, orb_err *e) {
  uint64_t *segs = NULL, snap = 0;
  size_t nsegs = 0, cap = 0;
  bool have_snap = false;
  DIR *d = opendir(db->wal_dir);
  if (!d) return orb_err_set(e, ORB_ERR_IO, "could not open directory \"%s\"", db->wal_dir);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    uint64_t v;
    if (wal_parse_segment_name(de->d_name, &v)) {
      segs = orb_grow(segs, &cap, nsegs + 1, sizeof *segs);
      segs[nsegs++] = v;
    } else if (snapshot_parse_name(de->d_name, &v) && (!have_snap || v > snap)) {
      snap = v;
      have_snap = true;
    }
  }
  closedir(d);
  if (nsegs > 1) qsort(segs, nsegs, sizeof *segs, cmp_u64);

  orb_status st = ORB_OK;
  char path[4400];
  if (have_snap) {
    snapshot_name(path, sizeof path, db->wal_dir, snap);
    uint64_t lsn = 0;
    if ((st = db_load_snapshot(db, path, &lsn, e)) != ORB_OK) goto done;
    db->last_lsn = db->checkpoint_lsn = lsn;
    db->have_snapshot = true;
  } else {
    snprintf(path, sizeof path, "%s/catalog", db->path);
    if (orb_path_exists(path)) {
      char *text;
      size_t len;
      orb_catalog cat;
      if ((st = orb_file_read_all(path, 64u << 20, &text, &len, e)) != ORB_OK) goto done;
      st = catalog_parse(text, len, &cat, e);
      orb_free(text);
      if (st != ORB_OK) goto done;
      if (cat.lsn != 0 || cat.ntables != 0)
        st = orb_err_set(e, ORB_ERR_CORRUPT, "the checkpoint snapshot for log position %llu is missing from \"%s\"",
                         (unsigned long long)cat.lsn, db->wal_dir);
      catalog_free(&cat);
      if (st != ORB_OK) goto done;
    }
  }

  /* replay */
  int64_t active_len = -1;
  size_t active = nsegs;   /* index of the segment new records go to; nsegs = a new one */
  for (size_t i = 0; i < nsegs; i++) {
    wal_segment_name(path, sizeof path, db->wal_dir, segs[i]);
    replay_ctx c = {db, false};
    wal_read_result res;
    orb_err re;
    orb_err_clear(&re);
    st = wal_read_segment(path, on_record, &c, &res, &re);
    if (st != ORB_OK && !c.gap) {
      if (e) *e = re;
      goto done;
    }
    st = ORB_OK;
    active = i;
    if (c.gap || res.torn) {
      db->torn_bytes += res.file_len - res.valid_len;
      active_len = res.valid_len;
      for (size_t j = i + 1; j < nsegs; j++) {   /* unreachable past the break */
        char from[4400], to[4500];
        wal_segment_name(from, sizeof from, db->wal_dir, segs[j]);
        snprintf(to, sizeof to, "%s.broken", from);
        rename(from, to);
      }
      break;
    }
  }
  uint64_t seg_lsn = active < nsegs ? segs[active] : db->last_lsn + 1;
  st = wal_open(db->wal_dir, seg_lsn, active_len, db->last_lsn, db->opt.sync_interval_ms, &db->wal, e);
  /* transactions whose Iceberg commits were under way: decided by the tables */
  if (st == ORB_OK) st = db_intent_resolve(db, e);
  if (st == ORB_OK) db_reconcile_iceberg(db);
done:
  orb_free(segs);
  return st;
}
