/* formats/parquet/pq_footer.c — finding and checking a file's footer (see parquet.h). */
#include "formats/parquet/pq_int.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

orb_status pq_corrupt(orb_err *e, const char *name, const char *what) {
  return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": %s", name, what);
}

int64_t pq_chunk_start(const pq_chunk *c) {
  return c->has_dictionary_page && c->dictionary_page_offset > 0 && c->dictionary_page_offset < c->data_page_offset
             ? c->dictionary_page_offset
             : c->data_page_offset;
}

static orb_status read_at(int fd, void *buf, size_t n, int64_t off, const char *path, orb_err *e) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + (int64_t)done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      return orb_err_set(e, ORB_ERR_IO, "parquet: \"%s\": cannot read %zu bytes at offset %lld: %s", path, n,
                         (long long)off, r < 0 ? strerror(errno) : "end of file");
    done += (size_t)r;
  }
  return ORB_OK;
}

/* Offsets and sizes the footer gives must lie inside the file. */
static orb_status check_chunks(const pq_file_meta *m, int64_t size, const char *path, orb_err *e) {
  char what[200];
  for (int g = 0; g < m->nrow_groups; g++) {
    const pq_row_group *rg = &m->row_groups[g];
    if (rg->num_rows < 0) return pq_corrupt(e, path, "a row group has a negative row count");
    for (int c = 0; c < rg->ncolumns; c++) {
      const pq_chunk *k = &rg->columns[c];
      if (!k->has_meta || k->file_path) continue;   /* encrypted or elsewhere: checked when read */
      int64_t start = pq_chunk_start(k);
      if (start < 0 || k->total_compressed_size < 0 || k->num_values < 0 || start > size ||
          k->total_compressed_size > size - start) {
        snprintf(what, sizeof what,
                 "column chunk %d of row group %d lies outside the file (offset %lld, %lld bytes; file is %lld bytes)",
                 c, g, (long long)start, (long long)k->total_compressed_size, (long long)size);
        return pq_corrupt(e, path, what);
      }
    }
  }
  return ORB_OK;
}

/* The magic numbers and the footer length, from the file's first 4 and last 8 bytes. */
static orb_status check_ends(const uint8_t head[4], const uint8_t tail[8], int64_t size, uint32_t *flen, const char *path,
                             orb_err *e) {
  char what[160];
  if (memcmp(tail + 4, "PARE", 4) == 0)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: \"%s\": encrypted Parquet files are not supported",
                        path);
  if (memcmp(head, "PAR1", 4) != 0 || memcmp(tail + 4, "PAR1", 4) != 0)
    return pq_corrupt(e, path, "not a Parquet file (no PAR1 magic at its start and end)");
  *flen = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
  if ((int64_t)*flen > size - 12 || *flen == 0) {
    snprintf(what, sizeof what, "footer length %u does not fit the file (%lld bytes)", *flen, (long long)size);
    return pq_corrupt(e, path, what);
  }
  return ORB_OK;
}

static orb_status too_short(int64_t size, const char *path, orb_err *e) {
  char what[160];
  snprintf(what, sizeof what, "not a Parquet file (%lld bytes, too short)", (long long)size);
  return pq_corrupt(e, path, what);
}

/* Decode the footer bytes and check them against the file size. */
static orb_status decode(const void *footer, uint32_t flen, int64_t size, const char *path, pq_file_meta **out,
                         orb_err *e) {
  pq_file_meta *m;
  orb_status st = pq_meta_decode(footer, flen, path, 0, &m, e);
  if (st != ORB_OK) return st;
  if ((st = check_chunks(m, size, path, e)) != ORB_OK) {
    pq_meta_free(m);
    return st;
  }
  *out = m;
  return ORB_OK;
}

orb_status pq_footer_from_image(const void *data, size_t len, const char *name, pq_file_meta **out, orb_err *e) {
  *out = NULL;
  const uint8_t *b = data;
  if (len < 12) return too_short((int64_t)len, name, e);
  uint32_t flen = 0;
  orb_status st = check_ends(b, b + len - 8, (int64_t)len, &flen, name, e);
  if (st != ORB_OK) return st;
  return decode(b + len - 8 - flen, flen, (int64_t)len, name, out, e);
}

orb_status pq_read_footer(const char *path, pq_file_meta **out, orb_err *e) {
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "parquet: cannot open \"%s\": %s", path, strerror(errno));
  struct stat sb;
  orb_status st = ORB_OK;
  char *footer = NULL;
  uint8_t head[4], tail[8];
  uint32_t flen = 0;
  if (fstat(fd, &sb) != 0) st = orb_err_set(e, ORB_ERR_IO, "parquet: cannot stat \"%s\": %s", path, strerror(errno));
  else if (sb.st_size < 12) st = too_short(sb.st_size, path, e);
  if (st == ORB_OK) st = read_at(fd, head, 4, 0, path, e);
  if (st == ORB_OK) st = read_at(fd, tail, 8, sb.st_size - 8, path, e);
  if (st == ORB_OK) st = check_ends(head, tail, sb.st_size, &flen, path, e);
  if (st == ORB_OK) {
    footer = orb_malloc(flen);
    st = read_at(fd, footer, flen, sb.st_size - 8 - (int64_t)flen, path, e);
  }
  if (st == ORB_OK) st = decode(footer, flen, sb.st_size, path, out, e);
  orb_free(footer);
  close(fd);
  return st;
}
