/* formats/parquet/pq_index.c — reading a chunk's page index (ColumnIndex,
** OffsetIndex: PageIndex.md) and its bloom filter (BloomFilterHeader and
** bitset: BloomFilter.md); see parquet.h.
**
** These structures sit outside the column chunks, at offsets the footer
** gives, so each read is checked against the file's size first, and each
** decode against the memory limit: a footer that lies cannot make us read
** past the file or allocate more than the limit. */
#include "formats/parquet/pq_int.h"
#include "formats/thrift/thrift.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

orb_status pq_src_read(const pq_source *src, int64_t off, size_t n, bool short_ok, uint8_t *buf, size_t *got,
                       orb_err *e) {
  char what[200];
  *got = 0;
  if (src->image) {
    if (off < 0 || (uint64_t)off > src->len || (!short_ok && n > src->len - (size_t)off)) goto outside;
    size_t k = n < src->len - (size_t)off ? n : src->len - (size_t)off;
    if (k) memcpy(buf, (const uint8_t *)src->image + off, k);
    *got = k;
    return ORB_OK;
  }
  int fd = open(src->name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "parquet: cannot open \"%s\": %s", src->name, strerror(errno));
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    close(fd);
    return orb_err_set(e, ORB_ERR_IO, "parquet: cannot stat \"%s\": %s", src->name, strerror(errno));
  }
  if (off < 0 || off > sb.st_size || (!short_ok && (uint64_t)n > (uint64_t)(sb.st_size - off))) {
    close(fd);
    goto outside;
  }
  size_t want = (uint64_t)n < (uint64_t)(sb.st_size - off) ? n : (size_t)(sb.st_size - off);
  while (*got < want) {
    ssize_t r = pread(fd, buf + *got, want - *got, (off_t)(off + (int64_t)*got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      close(fd);
      return orb_err_set(e, ORB_ERR_IO, "parquet: \"%s\": cannot read %zu bytes at offset %lld: %s", src->name, n,
                         (long long)off, r < 0 ? strerror(errno) : "end of file");
    }
    *got += (size_t)r;
  }
  close(fd);
  return ORB_OK;
outside:
  snprintf(what, sizeof what, "%zu bytes at offset %lld lie outside the file", n, (long long)off);
  return pq_corrupt(e, src->name, what);
}

/* The chunk whose index or filter is read: exists, not encrypted. */
static orb_status chunk_at(const pq_source *src, const pq_file_meta *m, int rg, int col, const pq_chunk **out,
                           orb_err *e) {
  if (rg < 0 || rg >= m->nrow_groups || col < 0 || col >= m->row_groups[rg].ncolumns)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": no column chunk %d of row group %d", src->name, col, rg);
  const pq_chunk *c = &m->row_groups[rg].columns[col];
  if (!c->has_meta || c->encrypted)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                        "parquet: \"%s\": column chunk %d of row group %d is encrypted", src->name, col, rg);
  *out = c;
  return ORB_OK;
}

/* Read a structure of len bytes at off into a fresh buffer (the caller frees it). */
static orb_status read_struct(const pq_source *src, int64_t off, int32_t len, size_t limit, const char *what_struct,
                              uint8_t **out, orb_err *e) {
  char what[200];
  *out = NULL;
  if (len <= 0 || (size_t)len > limit) {
    snprintf(what, sizeof what, "%s of %d bytes: %s", what_struct, len, len <= 0 ? "no length given" : "over the memory limit");
    return pq_corrupt(e, src->name, what);
  }
  uint8_t *buf = orb_malloc((size_t)len);
  size_t got;
  orb_status st = pq_src_read(src, off, (size_t)len, false, buf, &got, e);
  if (st != ORB_OK) {
    orb_free(buf);
    return st;
  }
  *out = buf;
  return ORB_OK;
}

/* The Thrift bytes of a chunk's offset index (offsets) or column index in
** a fresh buffer the caller frees; `which` names it in errors. */
static orb_status read_index(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit, bool offsets,
                             const char *which, uint8_t **buf, size_t *len, orb_err *e) {
  const pq_chunk *c = NULL;
  orb_status st = chunk_at(src, m, rg, col, &c, e);
  if (st != ORB_OK) return st;
  if (offsets ? !c->has_offset_index : !c->has_column_index)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": column chunk %d of row group %d has no %s", src->name, col,
                       rg, which);
  int64_t off = offsets ? c->offset_index_offset : c->column_index_offset;
  int32_t n = offsets ? c->offset_index_length : c->column_index_length;
  if ((st = read_struct(src, off, n, limit, which, buf, e)) != ORB_OK) return st;
  *len = (size_t)n;
  return ORB_OK;
}

/* Arrays of a decoded index, charged against the limit. */
typedef struct budget {
  orb_arena *a;
  size_t left;
} budget;

static void *take(budget *b, tc_reader *r, size_t elem, int64_t n) {
  if (n < 0 || (size_t)n > b->left / elem) {
    tc_fail(r, "page index larger than the memory limit");
    return NULL;
  }
  b->left -= (size_t)n * elem;
  return orb_arena_zalloc(b->a, elem * (size_t)(n ? n : 1));
}

/* A list header of the wanted element type; its count, -1 after a failure. */
static int64_t list_of(tc_reader *r, int want) {
  int et;
  int64_t n;
  tc_list(r, &et, &n);
  if (r->failed) return -1;
  if (et != want && !(want == TC_TRUE && et == TC_FALSE)) {
    tc_fail(r, "list of an unexpected element type");
    return -1;
  }
  if (n > INT32_MAX) {
    tc_fail(r, "list too long");
    return -1;
  }
  return n;
}

static orb_status index_error(const pq_source *src, int rg, int col, const char *which, const char *what, orb_err *e) {
  char msg[300];
  snprintf(msg, sizeof msg, "%s of column chunk %d of row group %d: %s", which, col, rg, what);
  return pq_corrupt(e, src->name, msg);
}

/* --- OffsetIndex ----------------------------------------------------------------- */

static void page_location(tc_reader *r, pq_page_location *p, int *seen) {
  tc_struct_begin(r);
  int16_t id = 0;
  int t;
  *seen = 0;
  while (tc_field(r, &id, &t)) {
    if (id == 1 && t == TC_I64) p->offset = tc_i64(r), *seen |= 1;
    else if (id == 2 && t == TC_I32) p->compressed_page_size = tc_i32(r), *seen |= 2;
    else if (id == 3 && t == TC_I64) p->first_row_index = tc_i64(r), *seen |= 4;
    else tc_skip(r, t);
  }
}

orb_status pq_read_offset_index(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                                orb_arena *a, pq_offset_index *out, orb_err *e) {
  const char *which = "offset index";
  memset(out, 0, sizeof *out);
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  uint8_t *buf;
  size_t len;
  orb_status st = read_index(src, m, rg, col, limit, true, which, &buf, &len, e);
  if (st != ORB_OK) return st;
  tc_reader r;
  tc_init(&r, buf, len);
  budget b = {a, limit};
  bool have_pages = false;
  tc_struct_begin(&r);
  int16_t id = 0;
  int t;
  while (tc_field(&r, &id, &t)) {
    if (id == 1 && t == TC_LIST && !have_pages) {
      int64_t n = list_of(&r, TC_STRUCT);
      out->pages = n >= 0 ? take(&b, &r, sizeof(pq_page_location), n) : NULL;
      for (int64_t i = 0; i < n && out->pages && !r.failed; i++) {
        int seen;
        page_location(&r, &out->pages[i], &seen);
        if (seen != 7 && !r.failed) tc_fail(&r, "a page location lacks a required field");
      }
      out->npages = out->pages && !r.failed ? (int)n : 0;
      have_pages = true;
    } else tc_skip(&r, t);
  }
  orb_free(buf);
  char what[200];
  if (r.failed) {
    snprintf(what, sizeof what, "malformed: %s", r.msg);
    return index_error(src, rg, col, which, what, e);
  }
  if (!have_pages) return index_error(src, rg, col, which, "no page locations", e);
  /* the pages must follow one another inside the chunk's rows and the file */
  int64_t rows = m->row_groups[rg].num_rows;
  for (int i = 0; i < out->npages; i++) {
    const pq_page_location *p = &out->pages[i];
    if (i == 0 ? p->first_row_index != 0 : p->first_row_index < out->pages[i - 1].first_row_index)
      snprintf(what, sizeof what, "page %d starts at row %lld, out of order", i, (long long)p->first_row_index);
    else if (p->first_row_index >= rows && rows > 0)
      snprintf(what, sizeof what, "page %d starts at row %lld, past the row group's %lld rows", i,
               (long long)p->first_row_index, (long long)rows);
    else if (p->offset < 0 || p->compressed_page_size <= 0 ||
             (src->image && (uint64_t)p->offset + (uint64_t)p->compressed_page_size > src->len))
      snprintf(what, sizeof what, "page %d at offset %lld (%d bytes) lies outside the file", i, (long long)p->offset,
               p->compressed_page_size);
    else continue;
    return index_error(src, rg, col, which, what, e);
  }
  return ORB_OK;
}

/* --- ColumnIndex ------------------------------------------------------------------ */

orb_status pq_read_column_index(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                                orb_arena *a, pq_column_index *out, orb_err *e) {
  const char *which = "column index";
  memset(out, 0, sizeof *out);
  out->boundary_order = -1;
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  uint8_t *buf;
  size_t len;
  orb_status st = read_index(src, m, rg, col, limit, false, which, &buf, &len, e);
  if (st != ORB_OK) return st;
  tc_reader r;
  tc_init(&r, buf, len);
  budget b = {a, limit};
  int64_t nnull = -1, nmin = -1, nmax = -1, ncounts = -1;
  tc_struct_begin(&r);
  int16_t id = 0;
  int t;
  while (tc_field(&r, &id, &t)) {
    if (id == 1 && t == TC_LIST && nnull < 0) {
      int64_t n = list_of(&r, TC_TRUE);
      out->null_pages = n >= 0 ? take(&b, &r, sizeof(bool), n) : NULL;
      for (int64_t i = 0; i < n && out->null_pages && !r.failed; i++) out->null_pages[i] = tc_bool_elem(&r);
      nnull = n;
    } else if ((id == 2 || id == 3) && t == TC_LIST && (id == 2 ? nmin : nmax) < 0) {
      int64_t n = list_of(&r, TC_BINARY);
      pq_bytes *v = n >= 0 ? take(&b, &r, sizeof(pq_bytes), n) : NULL;
      for (int64_t i = 0; i < n && v && !r.failed; i++) {
        size_t len;
        const uint8_t *p = tc_binary(&r, &len);
        uint8_t *copy = r.failed ? NULL : take(&b, &r, 1, (int64_t)len);
        if (copy && len) memcpy(copy, p, len);
        v[i].data = copy;
        v[i].len = len;
      }
      if (id == 2) out->min_values = v, nmin = n;
      else out->max_values = v, nmax = n;
    } else if (id == 4 && t == TC_I32) {
      out->boundary_order = tc_i32(&r);
    } else if (id == 5 && t == TC_LIST && ncounts < 0) {
      int64_t n = list_of(&r, TC_I64);
      out->null_counts = n >= 0 ? take(&b, &r, sizeof(int64_t), n) : NULL;
      for (int64_t i = 0; i < n && out->null_counts && !r.failed; i++) out->null_counts[i] = tc_i64(&r);
      ncounts = n;
    } else tc_skip(&r, t);
  }
  orb_free(buf);
  char what[200];
  if (r.failed) {
    snprintf(what, sizeof what, "malformed: %s", r.msg);
    return index_error(src, rg, col, which, what, e);
  }
  if (nnull < 0 || nmin < 0 || nmax < 0 || out->boundary_order < 0)
    return index_error(src, rg, col, which, "a required field is missing", e);
  if (nmin != nnull || nmax != nnull || (ncounts >= 0 && ncounts != nnull)) {
    snprintf(what, sizeof what, "%lld null flags, %lld minimums, %lld maximums and %lld null counts disagree",
             (long long)nnull, (long long)nmin, (long long)nmax, (long long)ncounts);
    return index_error(src, rg, col, which, what, e);
  }
  if (out->boundary_order > PQ_BOUNDARY_DESCENDING) {
    snprintf(what, sizeof what, "unknown boundary order %d", out->boundary_order);
    return index_error(src, rg, col, which, what, e);
  }
  out->npages = (int)nnull;
  out->has_null_counts = ncounts >= 0;
  return ORB_OK;
}

/* --- bloom filters ------------------------------------------------------------------ */

/* A union whose only member we know is field 1 (an empty struct): the member's id. */
static int union_member(tc_reader *r) {
  tc_struct_begin(r);
  int16_t id = 0;
  int t, which = 0;
  while (tc_field(r, &id, &t)) {
    if (t == TC_STRUCT && !which) which = id;
    tc_skip(r, t);
  }
  return which;
}

/* The header is a few bytes; this much always holds it. */
#define BLOOM_HEADER_MAX 256

orb_status pq_read_bloom_filter(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                                orb_arena *a, pq_bloom_filter *out, orb_err *e) {
  const char *which = "bloom filter";
  memset(out, 0, sizeof *out);
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  const pq_chunk *c = NULL;
  orb_status st = chunk_at(src, m, rg, col, &c, e);
  if (st != ORB_OK) return st;
  if (!c->has_bloom_filter)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": column chunk %d of row group %d has no bloom filter",
                       src->name, col, rg);
  if (c->bloom_filter_length < 0) return index_error(src, rg, col, which, "negative length", e);
  uint8_t head[BLOOM_HEADER_MAX];
  size_t got;
  size_t want = c->bloom_filter_length > 0 && c->bloom_filter_length < BLOOM_HEADER_MAX ? (size_t)c->bloom_filter_length
                                                                                         : BLOOM_HEADER_MAX;
  if ((st = pq_src_read(src, c->bloom_filter_offset, want, true, head, &got, e)) != ORB_OK) return st;
  tc_reader r;
  tc_init(&r, head, got);
  int32_t nbytes = -1;
  int algorithm = 0, hash = 0, compression = 0;
  tc_struct_begin(&r);
  int16_t id = 0;
  int t;
  while (tc_field(&r, &id, &t)) {
    if (id == 1 && t == TC_I32) nbytes = tc_i32(&r);
    else if (id == 2 && t == TC_STRUCT) algorithm = union_member(&r);
    else if (id == 3 && t == TC_STRUCT) hash = union_member(&r);
    else if (id == 4 && t == TC_STRUCT) compression = union_member(&r);
    else tc_skip(&r, t);
  }
  char what[200];
  if (r.failed) {
    snprintf(what, sizeof what, "malformed header: %s", r.msg);
    return index_error(src, rg, col, which, what, e);
  }
  if (nbytes < 0 || !algorithm || !hash || !compression)
    return index_error(src, rg, col, which, "a required header field is missing", e);
  if (algorithm != 1 || hash != 1 || compression != 1) {
    snprintf(what, sizeof what, "unsupported %s (member %d)",
             algorithm != 1 ? "algorithm" : hash != 1 ? "hash" : "compression",
             algorithm != 1 ? algorithm : hash != 1 ? hash : compression);
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: \"%s\": %s of column chunk %d of row group %d: %s",
                        src->name, which, col, rg, what);
  }
  if (nbytes == 0 || nbytes % PQ_BLOOM_BLOCK != 0 || (size_t)nbytes > PQ_BLOOM_MAX_BYTES) {
    snprintf(what, sizeof what, "bitset of %d bytes (must be a positive multiple of %d up to %zu)", nbytes,
             PQ_BLOOM_BLOCK, PQ_BLOOM_MAX_BYTES);
    return index_error(src, rg, col, which, what, e);
  }
  size_t hlen = tc_offset(&r);
  if (c->bloom_filter_length > 0 && (uint64_t)hlen + (uint64_t)nbytes != (uint64_t)c->bloom_filter_length) {
    snprintf(what, sizeof what, "header and bitset take %zu bytes, bloom_filter_length says %d", hlen + (size_t)nbytes,
             c->bloom_filter_length);
    return index_error(src, rg, col, which, what, e);
  }
  if ((size_t)nbytes > limit) return index_error(src, rg, col, which, "bitset over the memory limit", e);
  uint8_t *bits = orb_arena_alloc(a, (size_t)nbytes);
  if ((st = pq_src_read(src, c->bloom_filter_offset + (int64_t)hlen, (size_t)nbytes, false, bits, &got, e)) != ORB_OK)
    return st;
  out->bitset = bits;
  out->nbytes = (size_t)nbytes;
  return ORB_OK;
}
