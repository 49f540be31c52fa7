/*
** storage/wal/wal.h — the write-ahead log of the hot tier.
**
** The log is a sequence of segment files <db>/wal/wal-<16 hex digits>.log,
** each named after the first LSN (log sequence number) it may hold.  A
** checkpoint starts a new segment and deletes the older ones.  Every
** committed write set is one record:
**
**   [u32 payload length][u32 CRC-32 of payload][payload]
**   payload = u64 LSN, then the write set's operations (txn/wset.c)
**
** all little-endian.  LSNs are consecutive integers starting at 1.
**
** Writing (wal_writer.c).  Committers call wal_append() while they still
** hold the database write lock, so records enter the log in the order the
** changes were applied; the record goes to an in-memory buffer, and
** whoever writes the buffer out computes the records' CRCs just before the
** write (off the committers' path when a background flush does it).  A
** synchronous committer then calls wal_wait(lsn) after releasing the write
** lock: the first waiter becomes the flusher, writes everything buffered,
** fdatasyncs once and wakes every committer whose record that covered
** (group commit); the others sleep on a condition variable.  A background
** thread flushes and syncs every interval, so asynchronous commits (which
** do not wait) reach disk within that time.  A write or sync failure is
** sticky: every later wait fails with it, because what reached the disk is
** no longer known.
**
** Reading (wal_reader.c).  wal_read_segment() walks one segment's records,
** stopping cleanly at the first record whose length or CRC is wrong (a torn
** tail after a crash) and telling the caller where the valid part ends.
*/
#ifndef ORB_STORAGE_WAL_WAL_H
#define ORB_STORAGE_WAL_WAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

#define WAL_HEADER_SIZE 8
#define WAL_MAX_RECORD ((uint32_t)1 << 30)   /* one write set may log at most 1 GiB */

typedef struct orb_wal orb_wal;

/* --- writer ------------------------------------------------------------ */

/* Open (creating if absent) the segment named by seg_lsn in dir for
** appending after its first `valid_len` bytes (the file is truncated there;
** -1 = keep its length).  flushed_lsn: the LSN everything before is durable
** up to.  Starts the background flusher (interval_ms > 0). */
orb_status wal_open(const char *dir, uint64_t seg_lsn, int64_t valid_len, uint64_t flushed_lsn, int interval_ms,
                    orb_wal **out, orb_err *e);
/* Append one record (payload = LSN + ops; ops given separately to avoid a copy). */
void wal_append(orb_wal *w, uint64_t lsn, const void *ops, size_t len);
/* Wait until the record with this LSN is on disk (group commit). */
orb_status wal_wait(orb_wal *w, uint64_t lsn, orb_err *e);
/* The LSN up to which every record is on disk. */
uint64_t wal_flushed_lsn(orb_wal *w);
/* Tests only: called by the flusher before each fdatasync, outside the
** log's mutex (a test holds a sync back to look at the database meanwhile). */
extern void (*wal_test_before_sync)(void);
/* Write and sync everything buffered. */
orb_status wal_flush(orb_wal *w, orb_err *e);
/* Checkpoint: everything up to `durable_lsn` is now durable elsewhere (the
** snapshot): drop what is buffered, start segment `seg_lsn`.  The caller
** holds the database write lock, so nothing is appended meanwhile. */
orb_status wal_switch(orb_wal *w, uint64_t seg_lsn, uint64_t durable_lsn, orb_err *e);
/* Whether an earlier write or sync failed (then *e gets that error): the
** log no longer knows what reached the disk, so new commits are refused. */
bool wal_failed(orb_wal *w, orb_err *e);
/* Bytes in the current segment, written or buffered. */
int64_t wal_segment_bytes(orb_wal *w);
uint64_t wal_segment_lsn(orb_wal *w);
/* Number of fdatasync calls made on segments (to observe group commit). */
uint64_t wal_sync_count(orb_wal *w);
/* Stop the background flusher, flush, sync and close. */
orb_status wal_close(orb_wal *w, orb_err *e);

/* --- names ------------------------------------------------------------- */
void wal_segment_name(char *out, size_t cap, const char *dir, uint64_t seg_lsn);
/* Parse "wal-<hex>.log"; false if the name is something else. */
bool wal_parse_segment_name(const char *name, uint64_t *seg_lsn);

/* --- reader ------------------------------------------------------------ */

/* Called for each valid record; payload excludes the header and starts with
** the LSN.  A non-OK return stops the walk and is returned. */
typedef orb_status (*wal_record_fn)(void *arg, uint64_t lsn, const uint8_t *payload, size_t len, orb_err *e);

typedef struct wal_read_result {
  int64_t records;       /* valid records seen */
  int64_t valid_len;     /* bytes up to the end of the last valid record */
  int64_t file_len;
  bool torn;             /* bytes after valid_len that do not form a valid record */
} wal_read_result;

orb_status wal_read_segment(const char *path, wal_record_fn fn, void *arg, wal_read_result *res, orb_err *e);

#endif
