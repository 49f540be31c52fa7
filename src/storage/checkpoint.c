/* storage/checkpoint.c — snapshots of every table; the log restarts after them.
**
** A snapshot file <db>/wal/checkpoint-<16 hex digits of LSN>.snap holds the
** committed state after the write set with that LSN (transactions running
** meanwhile commit into the log after it; rowids are kept, so their log
** records still name the right rows):
**
**   "ORBSNAP1"  u64 LSN  bytes(catalog JSON)
**   per table, in catalog order: varint table id, varint row count,
**                                row count x (varint rowid, row by field id)
**   u32 CRC-32 of everything before it
**
** It is written to a temporary file, fsynced, renamed into place and the
** directory fsynced; only then is <db>/catalog rewritten, a new log segment
** started and the older segments and snapshots deleted.  A crash at any
** point leaves either the old snapshot with its log or the new one.
*/
#include "storage/storage_int.h"
#include "storage/catalog.h"
#include "storage/rowcodec.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SNAP_MAGIC "ORBSNAP1"
#define SNAP_CHUNK (1u << 20)

void snapshot_name(char *out, size_t cap, const char *dir, uint64_t lsn) {
  snprintf(out, cap, "%s/checkpoint-%016" PRIx64 ".snap", dir, lsn);
}

bool snapshot_parse_name(const char *name, uint64_t *lsn) {
  if (strlen(name) != 11 + 16 + 5 || strncmp(name, "checkpoint-", 11) != 0 || strcmp(name + 27, ".snap") != 0)
    return false;
  uint64_t v = 0;
  for (int i = 11; i < 27; i++) {
    char c = name[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = v << 4 | (uint64_t)d;
  }
  *lsn = v;
  return true;
}

/* Streaming writer: buffers, checksums and writes in chunks. */
typedef struct snap_out {
  int fd;
  orb_buf buf;
  uint32_t crc;
  orb_status st;
  orb_err *e;
} snap_out;

static void snap_drain(snap_out *o) {
  if (o->buf.len == 0) return;
  o->crc = orb_crc32(o->crc, o->buf.data, o->buf.len);
  if (o->st == ORB_OK) o->st = orb_write_full(o->fd, o->buf.data, o->buf.len, "checkpoint snapshot", o->e);
  orb_buf_reset(&o->buf);
}

static orb_status write_snapshot(orb_db *db, const char *path, uint64_t lsn, const char *catalog_json, orb_err *e) {
  char tmp[4400];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  snap_out o = {-1, ORB_BUF_INIT, 0, ORB_OK, e};
  o.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (o.fd < 0) return orb_err_set(e, ORB_ERR_IO, "could not create \"%s\": %s", tmp, strerror(errno));
  orb_buf_append(&o.buf, SNAP_MAGIC, 8);
  orb_buf_put_u64(&o.buf, lsn);
  orb_buf_put_bytes(&o.buf, catalog_json, strlen(catalog_json));
  for (int i = 0; i < db->ntables && o.st == ORB_OK; i++) {
    orb_table *t = db->tables[i];
    hot_tier *h = hot_of(t->hot);
    /* the newest committed state: transactions still running log later */
    uint64_t live = 0;
    for (uint64_t r = 0; r < hot_slots(h); r++) live += hot_row_visible(h, r, NULL) != NULL;
    orb_buf_put_varint(&o.buf, t->id);
    orb_buf_put_varint(&o.buf, live);
    for (uint64_t r = 0; r < hot_slots(h); r++) {
      const orb_value *row = hot_row_visible(h, r, NULL);
      if (!row) continue;
      orb_buf_put_varint(&o.buf, r);
      rowcodec_put(&o.buf, &t->schema, row, NULL);
      if (o.buf.len >= SNAP_CHUNK) snap_drain(&o);
    }
  }
  snap_drain(&o);
  uint8_t crc[4];
  orb_store_u32le(crc, o.crc);
  if (o.st == ORB_OK) o.st = orb_write_full(o.fd, crc, 4, "checkpoint snapshot", e);
  if (o.st == ORB_OK && fsync(o.fd) != 0) o.st = orb_err_set(e, ORB_ERR_IO, "could not fsync \"%s\": %s", tmp, strerror(errno));
  close(o.fd);
  orb_buf_free(&o.buf);
  if (o.st == ORB_OK && rename(tmp, path) != 0)
    o.st = orb_err_set(e, ORB_ERR_IO, "could not rename \"%s\": %s", tmp, strerror(errno));
  if (o.st != ORB_OK) {
    unlink(tmp);
    return o.st;
  }
  return orb_fsync_dir(db->wal_dir, e);
}

/* Delete log segments and snapshots that the snapshot at `lsn` replaces. */
static void remove_older(orb_db *db, uint64_t lsn) {
  DIR *d = opendir(db->wal_dir);
  if (!d) return;
  struct dirent *de;
  char p[4400];
  while ((de = readdir(d)) != NULL) {
    uint64_t v;
    bool old = (wal_parse_segment_name(de->d_name, &v) && v <= lsn) ||
               (snapshot_parse_name(de->d_name, &v) && v < lsn);
    size_t nl = strlen(de->d_name);
    bool tmp = nl > 4 && strcmp(de->d_name + nl - 4, ".tmp") == 0;
    if (!old && !tmp) continue;
    snprintf(p, sizeof p, "%s/%s", db->wal_dir, de->d_name);
    unlink(p);
  }
  closedir(d);
}

orb_status db_checkpoint_locked(orb_db *db, orb_err *e) {
  uint64_t lsn = db->last_lsn;
  if (db->have_snapshot && db->checkpoint_lsn == lsn && wal_segment_lsn(db->wal) == lsn + 1) return ORB_OK;
  db_gc_run(db);
  /* renumbering rows is safe only when no transaction or snapshot names any */
  if (db_quiet(db))
    for (int i = 0; i < db->ntables; i++) hot_compact(hot_of(db->tables[i]->hot));
  char path[4200];
  snapshot_name(path, sizeof path, db->wal_dir, lsn);
  char *cat = catalog_dump(lsn, db->next_table_id, db->tables, db->ntables);
  orb_status st = write_snapshot(db, path, lsn, cat, e);
  if (st == ORB_OK) {
    char cp[4200];
    snprintf(cp, sizeof cp, "%s/catalog", db->path);
    st = orb_file_write_atomic(cp, cat, strlen(cat), e);
  }
  orb_free(cat);
  if (st != ORB_OK) return st;
  db->have_snapshot = true;
  db->checkpoint_lsn = lsn;
  if ((st = wal_switch(db->wal, lsn + 1, lsn, e)) != ORB_OK) return st;
  /* intents whose Iceberg commits are under way live on past the old segments */
  if ((st = db_intent_relog(db, e)) != ORB_OK) return st;
  remove_older(db, lsn);
  return ORB_OK;
}

orb_status db_load_snapshot(orb_db *db, const char *path, uint64_t *lsn_out, orb_err *e) {
  char *data;
  size_t len;
  orb_status st = orb_file_read_all(path, 0, &data, &len, e);
  if (st != ORB_OK) return st;
  orb_catalog cat = {0};
  orb_value *vals = NULL;
  orb_arena arrays;   /* a row's array values until the tier copies the row */
  orb_arena_init(&arrays, 0);
  if (len < 8 + 8 + 1 + 4 || memcmp(data, SNAP_MAGIC, 8) != 0 ||
      orb_crc32(0, data, len - 4) != orb_load_u32le(data + len - 4)) {
    st = orb_err_set(e, ORB_ERR_CORRUPT, "checkpoint snapshot \"%s\" is damaged (bad magic or checksum)", path);
    goto done;
  }
  orb_rd r;
  orb_rd_init(&r, data + 8, len - 8 - 4);
  uint64_t lsn = orb_rd_u64(&r);
  size_t clen = 0;
  const uint8_t *cj = orb_rd_bytes(&r, &clen);
  if (r.err) {
    st = orb_err_set(e, ORB_ERR_CORRUPT, "checkpoint snapshot \"%s\" is truncated", path);
    goto done;
  }
  if ((st = catalog_parse((const char *)cj, clen, &cat, e)) != ORB_OK) goto done;
  db->next_table_id = cat.next_table_id;
  for (int i = 0; i < cat.ntables; i++) {
    if (orb_db_table(db, cat.tables[i].name) || db_table_by_id(db, cat.tables[i].id)) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "checkpoint snapshot lists table \"%s\" twice", cat.tables[i].name);
      goto done;
    }
    db_table_add(db, db_table_new(cat.tables[i].id, cat.tables[i].name, &cat.tables[i].schema, cat.tables[i].kind,
                                  cat.tables[i].location));
  }
  for (int i = 0; i < cat.ntables; i++) {
    uint64_t id = orb_rd_varint(&r), nrows = orb_rd_varint(&r);
    orb_table *t = id <= UINT32_MAX ? db_table_by_id(db, (uint32_t)id) : NULL;
    if (r.err || !t || nrows > orb_rd_left(&r)) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "checkpoint snapshot \"%s\": table section %d is malformed", path, i + 1);
      goto done;
    }
    hot_tier *h = hot_of(t->hot);
    vals = orb_realloc(vals, sizeof(orb_value) * (size_t)t->schema.ncols);
    for (uint64_t k = 0; k < nrows && st == ORB_OK; k++) {
      uint64_t rowid = orb_rd_varint(&r);
      if (r.err || rowid >= ((uint64_t)1 << 56)) {
        st = orb_err_set(e, ORB_ERR_CORRUPT, "checkpoint snapshot \"%s\" has a bad row id", path);
        break;
      }
      orb_arena_reset(&arrays);
      st = rowcodec_get(&r, &t->schema, vals, &arrays, e);
      if (st == ORB_OK) st = hot_insert_one(h, NULL, vals, (int64_t)rowid, NULL, e);
    }
    if (st != ORB_OK) goto done;
  }
  if (orb_rd_left(&r) != 0) {
    st = orb_err_set(e, ORB_ERR_CORRUPT, "checkpoint snapshot \"%s\" has trailing bytes", path);
    goto done;
  }
  *lsn_out = lsn;
done:
  orb_free(vals);
  orb_arena_free(&arrays);
  catalog_free(&cat);
  orb_free(data);
  return st;
}
