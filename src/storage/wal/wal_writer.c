/* storage/wal/wal_writer.c — appending, group commit and background sync (see wal.h). */
#include "storage/wal/wal.h"
#include "base/blocking.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct orb_wal {
  char *dir;
  int fd;
  uint64_t seg_lsn;
  int64_t file_bytes;        /* bytes written to the current segment */

  pthread_mutex_t mu;        /* guards everything below */
  pthread_cond_t flushed_cv; /* a flush finished */
  pthread_cond_t bg_cv;      /* wakes the background flusher early (close) */
  orb_buf pending;           /* records appended but not yet written */
  orb_buf spare;             /* the other buffer, swapped in while one is written */
  uint64_t pending_lsn;      /* highest LSN appended */
  uint64_t flushed_lsn;      /* highest LSN known durable */
  bool flushing;             /* a thread is writing+syncing outside the mutex */
  orb_err fail;              /* sticky I/O failure (code != ORB_OK) */
  uint64_t syncs;

  bool stop;
  bool has_bg;
  int interval_ms;
  pthread_t bg;
};

void wal_segment_name(char *out, size_t cap, const char *dir, uint64_t seg_lsn) {
  snprintf(out, cap, "%s/wal-%016" PRIx64 ".log", dir, seg_lsn);
}

bool wal_parse_segment_name(const char *name, uint64_t *seg_lsn) {
  if (strlen(name) != 4 + 16 + 4 || strncmp(name, "wal-", 4) != 0 || strcmp(name + 20, ".log") != 0) return false;
  uint64_t v = 0;
  for (int i = 4; i < 20; i++) {
    char c = name[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = v << 4 | (uint64_t)d;
  }
  *seg_lsn = v;
  return true;
}

static orb_status open_segment(const char *dir, uint64_t seg_lsn, int64_t valid_len, int *fd_out, int64_t *len_out,
                               orb_err *e) {
  char path[4096];
  wal_segment_name(path, sizeof path, dir, seg_lsn);
  bool existed = orb_path_exists(path);
  int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "could not open log segment \"%s\": %s", path, strerror(errno));
  off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) {
    close(fd);
    return orb_err_set(e, ORB_ERR_IO, "could not seek in \"%s\": %s", path, strerror(errno));
  }
  if (valid_len >= 0 && end > valid_len) {
    /* cut a torn tail so new records follow the last valid one */
    if (ftruncate(fd, valid_len) != 0 || fsync(fd) != 0) {
      int saved = errno;
      close(fd);
      return orb_err_set(e, ORB_ERR_IO, "could not truncate \"%s\": %s", path, strerror(saved));
    }
    end = valid_len;
  }
  if (!existed) {
    orb_status st = orb_fsync_dir(dir, e);
    if (st != ORB_OK) {
      close(fd);
      return st;
    }
  }
  *fd_out = fd;
  *len_out = end;
  return ORB_OK;
}

/* Fill in the CRC of every record in buf (whole records, as wal_append
** left them with a zero CRC): the flusher does it just before the write, off
** the committers' path (with synchronous_commit off, on the background
** thread).  The bytes that reach the disk are the same either way. */
static void seal_records(orb_buf *buf) {
  uint8_t *p = (uint8_t *)buf->data, *end = p + buf->len;
  while (p < end) {
    uint32_t len = orb_load_u32le(p);
    orb_store_u32le(p + 4, orb_crc32(0, p + WAL_HEADER_SIZE, len));
    p += WAL_HEADER_SIZE + len;
  }
}

/* Called with w->mu held and no flush in progress: write and sync what is
** buffered.  Releases the mutex during the I/O so committers keep appending. */
static void flush_locked(orb_wal *w) {
  if (w->fail.code != ORB_OK) return;
  if (w->pending.len == 0) {
    w->flushed_lsn = w->pending_lsn;
    return;
  }
  w->flushing = true;
  orb_buf out = w->pending;
  w->pending = w->spare;
  w->spare = (orb_buf)ORB_BUF_INIT;
  uint64_t target = w->pending_lsn;
  int fd = w->fd;
  pthread_mutex_unlock(&w->mu);

  seal_records(&out);
  orb_err e;
  orb_err_clear(&e);
  orb_status st = orb_write_full(fd, out.data, out.len, "write-ahead log", &e);
  if (st == ORB_OK && wal_test_before_sync) wal_test_before_sync();
  if (st == ORB_OK && fdatasync(fd) != 0)
    st = orb_err_set(&e, ORB_ERR_IO, "could not fdatasync write-ahead log: %s", strerror(errno));

  pthread_mutex_lock(&w->mu);
  w->file_bytes += (int64_t)out.len;
  w->syncs++;
  orb_buf_reset(&out);
  if (w->spare.data == NULL) w->spare = out;
  else orb_buf_free(&out);
  if (st != ORB_OK) w->fail = e;
  else if (target > w->flushed_lsn) w->flushed_lsn = target;
  w->flushing = false;
  pthread_cond_broadcast(&w->flushed_cv);
}

static void *bg_main(void *arg) {
  orb_wal *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + (int64_t)w->interval_ms * 1000000;
    ts.tv_sec += ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    pthread_cond_timedwait(&w->bg_cv, &w->mu, &ts);
    if (!w->stop && !w->flushing && w->pending.len > 0) flush_locked(w);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

orb_status wal_open(const char *dir, uint64_t seg_lsn, int64_t valid_len, uint64_t flushed_lsn, int interval_ms,
                    orb_wal **out, orb_err *e) {
  int fd;
  int64_t len;
  orb_status st = open_segment(dir, seg_lsn, valid_len, &fd, &len, e);
  if (st != ORB_OK) return st;
  orb_wal *w = orb_calloc(1, sizeof *w);
  w->dir = orb_strdup(dir);
  w->fd = fd;
  w->seg_lsn = seg_lsn;
  w->file_bytes = len;
  w->pending_lsn = w->flushed_lsn = flushed_lsn;
  orb_err_clear(&w->fail);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->flushed_cv, NULL);
  pthread_cond_init(&w->bg_cv, NULL);
  w->interval_ms = interval_ms;
  if (interval_ms > 0 && pthread_create(&w->bg, NULL, bg_main, w) == 0) w->has_bg = true;
  *out = w;
  return ORB_OK;
}

void wal_append(orb_wal *w, uint64_t lsn, const void *ops, size_t len) {
  uint8_t lsnb[8];
  orb_store_u64le(lsnb, lsn);
  uint8_t hdr[WAL_HEADER_SIZE];
  orb_store_u32le(hdr, (uint32_t)(len + 8));
  orb_store_u32le(hdr + 4, 0);   /* the CRC: seal_records() fills it in before the write */
  pthread_mutex_lock(&w->mu);
  orb_buf_append(&w->pending, hdr, sizeof hdr);
  orb_buf_append(&w->pending, lsnb, 8);
  orb_buf_append(&w->pending, ops, len);
  if (lsn > w->pending_lsn) w->pending_lsn = lsn;
  pthread_mutex_unlock(&w->mu);
}

orb_status wal_wait(orb_wal *w, uint64_t lsn, orb_err *e) {
  orb_blocking_enter();   /* a disk wait: let the embedding scheduler run others */
  pthread_mutex_lock(&w->mu);
  while (w->flushed_lsn < lsn && w->fail.code == ORB_OK) {
    if (!w->flushing) flush_locked(w);
    else pthread_cond_wait(&w->flushed_cv, &w->mu);
  }
  orb_status st = ORB_OK;
  if (w->flushed_lsn < lsn) {
    if (e) *e = w->fail;
    st = w->fail.code;
  }
  pthread_mutex_unlock(&w->mu);
  orb_blocking_leave();
  return st;
}

void (*wal_test_before_sync)(void);

uint64_t wal_flushed_lsn(orb_wal *w) {
  pthread_mutex_lock(&w->mu);
  uint64_t lsn = w->flushed_lsn;
  pthread_mutex_unlock(&w->mu);
  return lsn;
}

orb_status wal_flush(orb_wal *w, orb_err *e) {
  pthread_mutex_lock(&w->mu);
  uint64_t target = w->pending_lsn;
  pthread_mutex_unlock(&w->mu);
  return wal_wait(w, target, e);
}

orb_status wal_switch(orb_wal *w, uint64_t seg_lsn, uint64_t durable_lsn, orb_err *e) {
  pthread_mutex_lock(&w->mu);
  while (w->flushing) pthread_cond_wait(&w->flushed_cv, &w->mu);
  orb_status st = ORB_OK;
  if (seg_lsn != w->seg_lsn) {
    int fd;
    int64_t len;
    st = open_segment(w->dir, seg_lsn, 0, &fd, &len, e);
    if (st == ORB_OK) {
      close(w->fd);
      w->fd = fd;
      w->seg_lsn = seg_lsn;
      w->file_bytes = len;
    }
  }
  if (st == ORB_OK) {
    /* the snapshot holds everything buffered: it need not be written */
    orb_buf_reset(&w->pending);
    if (durable_lsn > w->pending_lsn) w->pending_lsn = durable_lsn;
    if (durable_lsn > w->flushed_lsn) w->flushed_lsn = durable_lsn;
    orb_err_clear(&w->fail);
    pthread_cond_broadcast(&w->flushed_cv);
  }
  pthread_mutex_unlock(&w->mu);
  return st;
}

bool wal_failed(orb_wal *w, orb_err *e) {
  pthread_mutex_lock(&w->mu);
  bool failed = w->fail.code != ORB_OK;
  if (failed && e) *e = w->fail;
  pthread_mutex_unlock(&w->mu);
  return failed;
}

int64_t wal_segment_bytes(orb_wal *w) {
  pthread_mutex_lock(&w->mu);
  int64_t n = w->file_bytes + (int64_t)w->pending.len;
  pthread_mutex_unlock(&w->mu);
  return n;
}

uint64_t wal_segment_lsn(orb_wal *w) {
  pthread_mutex_lock(&w->mu);
  uint64_t n = w->seg_lsn;
  pthread_mutex_unlock(&w->mu);
  return n;
}

uint64_t wal_sync_count(orb_wal *w) {
  pthread_mutex_lock(&w->mu);
  uint64_t n = w->syncs;
  pthread_mutex_unlock(&w->mu);
  return n;
}

orb_status wal_close(orb_wal *w, orb_err *e) {
  if (!w) return ORB_OK;
  pthread_mutex_lock(&w->mu);
  w->stop = true;
  pthread_cond_broadcast(&w->bg_cv);
  pthread_mutex_unlock(&w->mu);
  if (w->has_bg) pthread_join(w->bg, NULL);
  orb_status st = wal_flush(w, e);
  close(w->fd);
  pthread_mutex_destroy(&w->mu);
  pthread_cond_destroy(&w->flushed_cv);
  pthread_cond_destroy(&w->bg_cv);
  orb_buf_free(&w->pending);
  orb_buf_free(&w->spare);
  orb_free(w->dir);
  orb_free(w);
  return st;
}
