/* storage/wal/wal_reader.c — walking a log segment at recovery (see wal.h). */
#include "storage/wal/wal.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/mem.h"

orb_status wal_read_segment(const char *path, wal_record_fn fn, void *arg, wal_read_result *res, orb_err *e) {
  res->records = 0;
  res->valid_len = 0;
  res->file_len = 0;
  res->torn = false;
  char *data;
  size_t len;
  orb_status st = orb_file_read_all(path, 0, &data, &len, e);
  if (st != ORB_OK) return st;
  res->file_len = (int64_t)len;
  const uint8_t *p = (const uint8_t *)data;
  size_t off = 0;
  while (off < len) {
    size_t left = len - off;
    if (left < WAL_HEADER_SIZE) break;
    uint32_t plen = orb_load_u32le(p + off);
    uint32_t crc = orb_load_u32le(p + off + 4);
    if (plen < 8 || plen > WAL_MAX_RECORD || plen > left - WAL_HEADER_SIZE) break;
    const uint8_t *payload = p + off + WAL_HEADER_SIZE;
    if (orb_crc32(0, payload, plen) != crc) break;
    uint64_t lsn = orb_load_u64le(payload);
    if ((st = fn(arg, lsn, payload, plen, e)) != ORB_OK) break;
    off += WAL_HEADER_SIZE + plen;
    res->records++;
  }
  res->valid_len = (int64_t)off;
  res->torn = st == ORB_OK && off < len;
  orb_free(data);
  return st;
}
