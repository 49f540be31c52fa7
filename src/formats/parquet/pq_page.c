/* formats/parquet/pq_page.c — page headers and walking a column chunk's
** pages (see parquet.h). */
#include "formats/parquet/pq_int.h"
#include "formats/thrift/thrift.h"
#include "base/hash.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* DataPageHeader (5), DictionaryPageHeader (7), DataPageHeaderV2 (8). */
static void data_header(tc_reader *r, pq_page_header *h, int which) {
  tc_struct_begin(r);
  int16_t id = 0;
  int t;
  while (tc_field(r, &id, &t)) {
    bool i32 = t == TC_I32;
    if (id == 1 && i32) h->num_values = tc_i32(r);
    else if (which == 5 && id == 2 && i32) h->encoding = tc_i32(r);
    else if (which == 5 && id == 3 && i32) h->def_encoding = tc_i32(r);
    else if (which == 5 && id == 4 && i32) h->rep_encoding = tc_i32(r);
    else if (which == 7 && id == 2 && i32) h->encoding = tc_i32(r);
    else if (which == 8 && id == 2 && i32) h->num_nulls = tc_i32(r);
    else if (which == 8 && id == 3 && i32) h->num_rows = tc_i32(r);
    else if (which == 8 && id == 4 && i32) h->encoding = tc_i32(r);
    else if (which == 8 && id == 5 && i32) h->def_len = tc_i32(r);
    else if (which == 8 && id == 6 && i32) h->rep_len = tc_i32(r);
    else if (which == 8 && id == 7 && (t == TC_TRUE || t == TC_FALSE)) h->v2_compressed = tc_bool_field(t);
    else tc_skip(r, t);
  }
}

orb_status pq_page_header_decode(const void *buf, size_t avail, const char *name, pq_page_header *h, orb_err *e) {
  memset(h, 0, sizeof *h);
  h->type = -1;
  h->v2_compressed = true;   /* the specification's default */
  tc_reader r;
  tc_init(&r, buf, avail);
  tc_struct_begin(&r);
  int16_t id = 0;
  int t;
  bool have_body = false;
  while (tc_field(&r, &id, &t)) {
    if (id == 1 && t == TC_I32) h->type = tc_i32(&r);
    else if (id == 2 && t == TC_I32) h->uncompressed_size = tc_i32(&r);
    else if (id == 3 && t == TC_I32) h->compressed_size = tc_i32(&r);
    else if (id == 4 && t == TC_I32) {
      h->crc = (uint32_t)tc_i32(&r);
      h->has_crc = true;
    } else if ((id == 5 || id == 7 || id == 8) && t == TC_STRUCT) {
      data_header(&r, h, id);
      have_body = true;
    } else tc_skip(&r, t);
  }
  char what[200];
  if (r.failed) {
    snprintf(what, sizeof what, "malformed page header: %s", r.msg);
    return pq_corrupt(e, name, what);
  }
  if (h->type < 0 || h->uncompressed_size < 0 || h->compressed_size < 0 || h->num_values < 0 ||
      h->def_len < 0 || h->rep_len < 0 || (h->type != 1 && !have_body)) {
    snprintf(what, sizeof what, "page header with missing or negative fields (type %d, sizes %d/%d)", h->type,
             h->compressed_size, h->uncompressed_size);
    return pq_corrupt(e, name, what);
  }
  h->header_len = tc_offset(&r);
  return ORB_OK;
}

/* The chunk a walk covers: checks, and where its bytes start. */
static orb_status chunk_of(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, const pq_chunk **out,
                           int64_t *start, orb_err *e) {
  char what[240];
  if (rg < 0 || rg >= m->nrow_groups || col < 0 || col >= m->row_groups[rg].ncolumns)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": no column chunk %d of row group %d", path, col, rg);
  const pq_chunk *c = &m->row_groups[rg].columns[col];
  if (!c->has_meta || c->encrypted)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: \"%s\": column chunk %d of row group %d is encrypted",
                        path, col, rg);
  *start = pq_chunk_start(c);
  if ((uint64_t)c->total_compressed_size > limit) {
    snprintf(what, sizeof what, "column chunk of %lld bytes is over the memory limit", (long long)c->total_compressed_size);
    return pq_corrupt(e, path, what);
  }
  *out = c;
  return ORB_OK;
}

/* The page at buf + *pos (of n bytes, file offset start + *pos): header,
** bounds, CRC32, decompression into *page (of *page_cap bytes, grown as
** needed), then fn.
** Moves *pos past the page and fills *h. */
static orb_status one_page(const char *path, int codec, const uint8_t *buf, size_t n, size_t *pos, int64_t start,
                           size_t limit, uint8_t **page, size_t *page_cap, pq_page_header *h, pq_page_fn fn, void *arg, orb_err *e) {
  char what[240];
  orb_status st = pq_page_header_decode(buf + *pos, n - *pos, path, h, e);
  if (st != ORB_OK) return st;
  *pos += h->header_len;
  if ((size_t)h->compressed_size > n - *pos) {
    snprintf(what, sizeof what, "page at offset %lld runs past its column chunk", (long long)(start + (int64_t)*pos));
    return pq_corrupt(e, path, what);
  }
  if ((size_t)h->uncompressed_size > limit) {
    snprintf(what, sizeof what, "page of %d bytes uncompressed is over the memory limit", h->uncompressed_size);
    return pq_corrupt(e, path, what);
  }
  const uint8_t *data = buf + *pos;
  if (h->has_crc && orb_crc32(0, data, (size_t)h->compressed_size) != h->crc) {
    snprintf(what, sizeof what, "page at offset %lld fails its CRC32 check", (long long)(start + (int64_t)*pos));
    return pq_corrupt(e, path, what);
  }
  /* v2: the levels come first and are never compressed */
  size_t levels = h->type == 3 ? (size_t)h->def_len + (size_t)h->rep_len : 0;
  if (levels > (size_t)h->compressed_size || levels > (size_t)h->uncompressed_size)
    return pq_corrupt(e, path, "data page v2 whose level lengths exceed the page");
  if (h->type == 3 && !h->v2_compressed) codec = PQ_UNCOMPRESSED;
  if (codec == PQ_UNCOMPRESSED && h->compressed_size == h->uncompressed_size) {
    /* stored as they are: the callback reads them where they lie, uncopied */
    if (fn) st = fn(arg, h, data, (size_t)h->uncompressed_size, e);
    *pos += (size_t)h->compressed_size;
    return st;
  }
  if ((size_t)h->uncompressed_size + 1 > *page_cap) {
    *page_cap = (size_t)h->uncompressed_size + 1;
    orb_free(*page);   /* nothing in it is kept: no copy */
    *page = orb_malloc(*page_cap);
  }
  memcpy(*page, data, levels);
  if (h->type != 1)
    st = pq_decompress(codec, data + levels, (size_t)h->compressed_size - levels, *page + levels,
                       (size_t)h->uncompressed_size - levels, path, e);
  if (st == ORB_OK && fn) st = fn(arg, h, *page, (size_t)h->uncompressed_size, e);
  *pos += (size_t)h->compressed_size;
  return st;
}

/* The pages of chunk c, whose n bytes (from file offset start) are in buf;
** pages decompressed into *page (*page_cap bytes, grown as needed). */
static orb_status walk(const char *path, const pq_chunk *c, int rg, int col, const uint8_t *buf, size_t n, int64_t start,
                       size_t limit, uint8_t **page, size_t *page_cap, pq_page_fn fn, void *arg, orb_err *e) {
  char what[240];
  orb_status st = ORB_OK;
  int64_t values = 0;
  size_t pos = 0;
  while (pos < n && st == ORB_OK && values < c->num_values) {
    pq_page_header h;
    st = one_page(path, c->codec, buf, n, &pos, start, limit, page, page_cap, &h, fn, arg, e);
    if (h.type == 0 || h.type == 3) values += h.num_values;
  }
  if (st == ORB_OK && values != c->num_values) {
    snprintf(what, sizeof what, "column chunk %d of row group %d holds %lld values in its pages, its metadata says %lld",
             col, rg, (long long)values, (long long)c->num_values);
    st = pq_corrupt(e, path, what);
  }
  return st;
}

void pq_read_bufs_free(pq_read_bufs *b) {
  if (!b) return;
  orb_free(b->chunk);
  orb_free(b->page);
  orb_free(b->idx);
  orb_free(b->def);
  orb_free(b->rep);
  orb_free(b->vals);
  memset(b, 0, sizeof *b);
}

orb_status pq_chunk_bytes(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit, pq_read_bufs *b,
                          const pq_chunk **chunk, const uint8_t **buf, size_t *n, int64_t *start, orb_err *e) {
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  orb_status st = chunk_of(src->name, m, rg, col, limit, chunk, start, e);
  if (st != ORB_OK) return st;
  *n = (size_t)(*chunk)->total_compressed_size;
  if (src->image) {
    if (*start < 0 || (uint64_t)*start > src->len || *n > src->len - (size_t)*start)
      return pq_corrupt(e, src->name, "column chunk lies outside the file");
    *buf = (const uint8_t *)src->image + *start;
    return ORB_OK;
  }
  int fd = open(src->name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "parquet: cannot open \"%s\": %s", src->name, strerror(errno));
  if (*n + 1 > b->chunk_cap) {   /* grown, never shrunk: the next chunk likely fits */
    orb_free(b->chunk);
    b->chunk_cap = *n + 1;
    b->chunk = orb_malloc(b->chunk_cap);
  }
  ssize_t got = pread(fd, b->chunk, *n, (off_t)*start);
  close(fd);
  if (got != (ssize_t)*n)
    return orb_err_set(e, ORB_ERR_IO, "parquet: \"%s\": cannot read column chunk %d of row group %d", src->name, col, rg);
  *buf = b->chunk;
  return ORB_OK;
}

orb_status pq_chunk_page(const char *name, int codec, const uint8_t *buf, size_t n, size_t *pos, int64_t start,
                         size_t limit, pq_read_bufs *b, pq_page_header *h, pq_page_fn fn, void *arg, orb_err *e) {
  return one_page(name, codec, buf, n, pos, start, limit ? limit : PQ_DEFAULT_META_LIMIT, &b->page, &b->page_cap, h, fn,
                  arg, e);
}

/* Every page of a column chunk read from src (a file or an image in memory). */
static orb_status walk_source(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                              pq_read_bufs *b, pq_page_fn fn, void *arg, orb_err *e) {
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  const pq_chunk *c = NULL;
  const uint8_t *buf;
  size_t n;
  int64_t start = 0;
  orb_status st = pq_chunk_bytes(src, m, rg, col, limit, b, &c, &buf, &n, &start, e);
  if (st != ORB_OK) return st;
  return walk(src->name, c, rg, col, buf, n, start, limit, &b->page, &b->page_cap, fn, arg, e);
}

orb_status pq_chunk_walk_bufs(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_read_bufs *b,
                              pq_page_fn fn, void *arg, orb_err *e) {
  pq_source src = {path, NULL, 0};
  return walk_source(&src, m, rg, col, limit, b, fn, arg, e);
}

orb_status pq_chunk_walk(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_page_fn fn,
                         void *arg, orb_err *e) {
  pq_read_bufs b = {0};
  orb_status st = pq_chunk_walk_bufs(path, m, rg, col, limit, &b, fn, arg, e);
  pq_read_bufs_free(&b);
  return st;
}

orb_status pq_chunk_walk_image(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg, int col,
                               size_t limit, pq_page_fn fn, void *arg, orb_err *e) {
  pq_read_bufs b = {0};
  orb_status st = pq_chunk_walk_image_bufs(file, len, name, m, rg, col, limit, &b, fn, arg, e);
  pq_read_bufs_free(&b);
  return st;
}

orb_status pq_chunk_walk_image_bufs(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                    int col, size_t limit, pq_read_bufs *b, pq_page_fn fn, void *arg, orb_err *e) {
  pq_source src = {name, file, len};
  return walk_source(&src, m, rg, col, limit, b, fn, arg, e);
}

orb_status pq_chunk_walk_pages(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                               const pq_offset_index *oi, const bool *want, pq_page_fn fn, void *arg, orb_err *e) {
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  const pq_chunk *c = NULL;
  int64_t start = 0;
  orb_status st = chunk_of(src->name, m, rg, col, limit, &c, &start, e);
  if (st != ORB_OK) return st;
  int64_t end = start + c->total_compressed_size;
  uint8_t *buf = NULL, *page = NULL;
  size_t got, page_cap = 0;
  /* the dictionary (and any index page) before the first data page */
  if (oi->npages > 0 && oi->pages[0].offset > start) {
    if (oi->pages[0].offset > end) st = pq_corrupt(e, src->name, "the offset index's first page lies outside its column chunk");
    size_t n = (size_t)(oi->pages[0].offset - start), pos = 0;
    if (st == ORB_OK) {
      buf = orb_malloc(n);
      st = pq_src_read(src, start, n, false, buf, &got, e);
    }
    while (st == ORB_OK && pos < n) {
      pq_page_header h;
      st = one_page(src->name, c->codec, buf, n, &pos, start, limit, &page, &page_cap, &h, fn, arg, e);
      if (st == ORB_OK && (h.type == 0 || h.type == 3))
        st = pq_corrupt(e, src->name, "a data page before the offset index's first page");
    }
  }
  for (int i = 0; i < oi->npages && st == ORB_OK; i++) {
    if (!want[i]) continue;
    const pq_page_location *p = &oi->pages[i];
    if (p->offset < start || p->compressed_page_size <= 0 || p->offset + p->compressed_page_size > end) {
      st = pq_corrupt(e, src->name, "an offset index page lies outside its column chunk");
      break;
    }
    size_t n = (size_t)p->compressed_page_size, pos = 0;
    buf = orb_realloc(buf, n);
    if ((st = pq_src_read(src, p->offset, n, false, buf, &got, e)) != ORB_OK) break;
    pq_page_header h;
    st = one_page(src->name, c->codec, buf, n, &pos, p->offset, limit, &page, &page_cap, &h, fn, arg, e);
    if (st == ORB_OK && h.type != 0 && h.type != 3) st = pq_corrupt(e, src->name, "an offset index entry that is not a data page");
  }
  orb_free(buf);
  orb_free(page);
  return st;
}
