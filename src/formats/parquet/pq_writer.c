/* formats/parquet/pq_writer.c — the streaming Parquet writer (see
** parquet.h): row groups as they fill, then the page indexes and the
** footer.
**
** Layout of a file it writes: "PAR1"; per row group, each column's chunk
** (its dictionary page, then its data pages) and after them the row
** group's bloom filters; then every chunk's ColumnIndex, every chunk's
** OffsetIndex; the FileMetaData, its length, "PAR1".  The footer is a
** pq_file_meta built as we go, encoded by pq_meta_encode. */
#include "formats/parquet/pq_int.h"
#include "base/mem.h"
#include "types/value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PQ_MAX_PAGE_BYTES ((size_t)1 << 30)

struct pq_writer {
  char *path;
  FILE *f;
  int64_t pos;                   /* bytes written so far */
  bool failed;                   /* a write failed: only abort remains */
  pq_write_opts o;
  int ncols;
  pq_wcol *cols;
  pq_compressor *z;
  pq_file_meta *m;               /* the footer being built; its arena holds everything kept */
  int rg_cap;
  pq_column_index **ci;          /* per row group, per column (NULL: none) */
  pq_offset_index **oi;
  int64_t rg_rows;               /* rows in the row group being filled */
  orb_arena cast;                /* values cast to a column's type, per batch */
  orb_buf dict_page, buf;
  orb_value *casted;
  size_t casted_cap;
};

void pq_write_opts_init(pq_write_opts *o) {
  memset(o, 0, sizeof *o);
  o->codec = PQ_ZSTD;
  o->row_group_rows = 122880;
  o->page_bytes = (size_t)1 << 20;
  o->page_rows = 20000;
  o->dictionary = true;
  o->dictionary_bytes = (size_t)1 << 20;
  o->dictionary_probe = 4096;
  o->page_index = true;
  o->bloom_fpp = 0.01;
}

static orb_status io_error(pq_writer *w, orb_err *e) {
  w->failed = true;
  return orb_err_set(e, ORB_ERR_IO, "parquet: cannot write \"%s\": %s", w->path, strerror(errno));
}

static orb_status put(pq_writer *w, const void *p, size_t n, orb_err *e) {
  if (n && fwrite(p, 1, n, w->f) != n) return io_error(w, e);
  w->pos += (int64_t)n;
  return ORB_OK;
}

orb_status pq_writer_open(const char *path, const pq_write_column *cols, int ncols, const pq_write_opts *o,
                          pq_writer **out, orb_err *e) {
  *out = NULL;
  if (ncols < 1) return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": a file needs at least one column", path);
  if (o->codec != PQ_ZSTD && o->codec != PQ_SNAPPY && o->codec != PQ_GZIP && o->codec != PQ_UNCOMPRESSED)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: writing codec %s is not supported",
                        pq_codec_name(o->codec));
  /* page sizes are int32 in page headers: 1 GiB leaves room for a last value and the header */
  if (o->row_group_rows < 1 || o->page_rows < 1 || o->page_bytes < 1 || o->page_bytes > PQ_MAX_PAGE_BYTES ||
      o->dictionary_bytes > PQ_MAX_PAGE_BYTES)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: row group and page sizes must be positive, pages at most 1 GiB");
  pq_writer *w = orb_calloc(1, sizeof *w);
  w->o = *o;
  w->path = orb_strdup(path);
  w->m = orb_calloc(1, sizeof *w->m);
  orb_arena_init(&w->m->arena, 65536);
  orb_arena_init(&w->cast, 0);
  orb_arena *a = &w->m->arena;
  pq_file_meta *m = w->m;
  w->z = pq_compressor_new(o->codec, o->level);
  w->ncols = ncols;
  w->cols = orb_calloc((size_t)ncols, sizeof *w->cols);
  m->version = 1;
  int nlists = 0;
  for (int c = 0; c < ncols; c++) nlists += cols[c].type.id == ORB_T_ARRAY;
  m->nschema = ncols + 2 * nlists + 1;   /* a list adds its LIST group and repeated group */
  m->schema = orb_arena_zalloc(a, sizeof(pq_schema_elem) * (size_t)m->nschema);
  m->schema[0] = (pq_schema_elem){.name = "schema", .type = -1, .repetition = -1, .num_children = ncols,
                                  .converted_type = -1};
  m->ncolumn_orders = ncols;   /* one leaf per column */
  m->column_orders = orb_arena_zalloc(a, sizeof(int) * (size_t)ncols);
  orb_status st = ORB_OK;
  for (int c = 0, k = 1; c < ncols && st == ORB_OK; c++) {
    pq_write_column col = cols[c];
    col.name = orb_arena_strdup(a, cols[c].name);
    st = pq_wcol_init(&w->cols[c], &col, &w->o, w->z, e);
    if (w->cols[c].list) {
      m->schema[k++] = w->cols[c].groups[0];
      m->schema[k++] = w->cols[c].groups[1];
    }
    m->schema[k++] = w->cols[c].s;
    m->column_orders[c] = 1;   /* TYPE_ORDER */
  }
  m->nkv = o->nkv;
  m->kv = orb_arena_zalloc(a, sizeof(pq_kv) * (size_t)(o->nkv + 1));
  for (int i = 0; i < o->nkv; i++) {
    m->kv[i].key = orb_arena_strdup(a, o->kv[i].key);
    m->kv[i].value = o->kv[i].value ? orb_arena_strdup(a, o->kv[i].value) : NULL;
  }
  w->o.kv = NULL;
  m->created_by = "orbit version " ORBIT_VERSION " (build " ORBIT_BUILD_ID ")";
  if (st == ORB_OK) {
    w->f = fopen(path, "wb");
    if (!w->f) st = orb_err_set(e, ORB_ERR_IO, "parquet: cannot create \"%s\": %s", path, strerror(errno));
    else setvbuf(w->f, NULL, _IOFBF, (size_t)1 << 20);
  }
  if (st == ORB_OK) st = put(w, "PAR1", 4, e);
  if (st != ORB_OK) {
    pq_writer_abort(w);
    return st;
  }
  *out = w;
  return ORB_OK;
}

/* The page index of a chunk just written, its data pages starting at file offset base. */
static void page_index(pq_writer *w, const pq_wcol *c, int64_t base, pq_column_index **ci_out,
                       pq_offset_index **oi_out) {
  orb_arena *a = &w->m->arena;
  pq_offset_index *oi = orb_arena_zalloc(a, sizeof *oi);
  oi->npages = c->npi;
  oi->pages = orb_arena_alloc(a, sizeof(pq_page_location) * (size_t)(c->npi ? c->npi : 1));
  bool nan_only = false;
  for (int i = 0; i < c->npi; i++) {
    oi->pages[i].offset = base + c->pi[i].offset;
    oi->pages[i].compressed_page_size = c->pi[i].size;
    oi->pages[i].first_row_index = c->pi[i].first_row;
    nan_only |= c->pi[i].nan_only;
  }
  *oi_out = oi;
  *ci_out = NULL;
  /* a page of only NaNs has no bounds a ColumnIndex could give: none for the chunk */
  if (nan_only) return;
  pq_column_index *ci = orb_arena_zalloc(a, sizeof *ci);
  int n = c->npi;
  ci->npages = n;
  ci->null_pages = orb_arena_zalloc(a, sizeof(bool) * (size_t)(n ? n : 1));
  ci->min_values = orb_arena_zalloc(a, sizeof(pq_bytes) * (size_t)(n ? n : 1));
  ci->max_values = orb_arena_zalloc(a, sizeof(pq_bytes) * (size_t)(n ? n : 1));
  ci->has_null_counts = true;
  ci->null_counts = orb_arena_zalloc(a, sizeof(int64_t) * (size_t)(n ? n : 1));
  const uint8_t *b = (const uint8_t *)c->bounds.data;
  for (int i = 0; i < n; i++) {
    const pq_wpage *p = &c->pi[i];
    ci->null_pages[i] = p->null_page;
    ci->null_counts[i] = p->nulls;
    ci->min_values[i] = (pq_bytes){(const uint8_t *)"", 0};
    ci->max_values[i] = (pq_bytes){(const uint8_t *)"", 0};
    if (!p->null_page) {
      ci->min_values[i] = (pq_bytes){orb_arena_memdup(a, b + p->lo, p->lo_len ? p->lo_len : 1), p->lo_len};
      ci->max_values[i] = (pq_bytes){orb_arena_memdup(a, b + p->hi, p->hi_len ? p->hi_len : 1), p->hi_len};
    }
  }
  ci->boundary_order = PQ_BOUNDARY_UNORDERED;
  *ci_out = ci;
}

/* Whether the pages' bounds ascend (or descend) by the column's order,
** null pages left out: readers then find pages by binary search. */
static int boundary_order(const pq_wcol *c, const pq_column_index *ci) {
  bool asc = true, desc = true;
  int prev = -1;
  for (int i = 0; i < ci->npages; i++) {
    if (ci->null_pages[i]) continue;
    if (prev >= 0) {
      int lo = pq_plain_cmp(&c->s, ci->min_values[prev], ci->min_values[i]);
      int hi = pq_plain_cmp(&c->s, ci->max_values[prev], ci->max_values[i]);
      if (lo > 0 || hi > 0) asc = false;
      if (lo < 0 || hi < 0) desc = false;
    }
    prev = i;
  }
  return asc ? PQ_BOUNDARY_ASCENDING : desc ? PQ_BOUNDARY_DESCENDING : PQ_BOUNDARY_UNORDERED;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* A chunk's bloom filter, sized by its distinct values. */
static orb_status write_bloom(pq_writer *w, pq_wcol *c, pq_chunk *ch, orb_err *e) {
  if (c->nhash) qsort(c->hashes, c->nhash, sizeof(uint64_t), cmp_u64);   /* none: a chunk of only NULLs */
  size_t ndv = 0;
  for (size_t i = 0; i < c->nhash; i++)
    if (i == 0 || c->hashes[i] != c->hashes[i - 1]) c->hashes[ndv++] = c->hashes[i];
  size_t nbytes = pq_bloom_bytes_for(ndv, w->o.bloom_fpp);
  uint8_t *bits = orb_calloc(1, nbytes);
  for (size_t i = 0; i < ndv; i++) pq_bloom_insert(bits, nbytes, c->hashes[i]);
  orb_buf_reset(&w->buf);
  pq_bloom_header_encode((int32_t)nbytes, &w->buf);
  ch->has_bloom_filter = true;
  ch->bloom_filter_offset = w->pos;
  ch->bloom_filter_length = (int32_t)(w->buf.len + nbytes);
  orb_status st = put(w, w->buf.data, w->buf.len, e);
  if (st == ORB_OK) st = put(w, bits, nbytes, e);
  orb_free(bits);
  return st;
}

static orb_status flush_row_group(pq_writer *w, orb_err *e) {
  pq_file_meta *m = w->m;
  orb_arena *a = &m->arena;
  if (m->nrow_groups == w->rg_cap) {
    int cap = w->rg_cap ? w->rg_cap * 2 : 16;
    pq_row_group *rg = orb_arena_zalloc(a, sizeof(pq_row_group) * (size_t)cap);
    if (m->nrow_groups) memcpy(rg, m->row_groups, sizeof(pq_row_group) * (size_t)m->nrow_groups);
    m->row_groups = rg;
    w->ci = orb_realloc(w->ci, sizeof(pq_column_index *) * (size_t)cap * (size_t)w->ncols);
    w->oi = orb_realloc(w->oi, sizeof(pq_offset_index *) * (size_t)cap * (size_t)w->ncols);
    w->rg_cap = cap;
  }
  int g = m->nrow_groups;
  pq_row_group *rg = &m->row_groups[g];
  memset(rg, 0, sizeof *rg);
  rg->ncolumns = w->ncols;
  rg->columns = orb_arena_zalloc(a, sizeof(pq_chunk) * (size_t)w->ncols);
  rg->num_rows = w->rg_rows;
  rg->has_file_offset = rg->has_total_compressed_size = true;
  rg->has_ordinal = g <= INT16_MAX;   /* an i16 in the footer */
  rg->file_offset = w->pos;
  rg->ordinal = (int16_t)g;
  orb_status st = ORB_OK;
  for (int i = 0; i < w->ncols && st == ORB_OK; i++) {
    pq_wcol *c = &w->cols[i];
    pq_chunk *ch = &rg->columns[i];
    if ((st = pq_wcol_finish(c, &w->dict_page, e)) != ORB_OK) break;
    int64_t start = w->pos;
    ch->file_offset = start;
    ch->has_meta = true;
    ch->type = c->s.type;
    int32_t enc[3];
    int ne = 0;
    if (c->used_plain || c->used_dict) enc[ne++] = 0;   /* PLAIN: values or the dictionary page */
    if (c->max_def) enc[ne++] = 3;                      /* RLE: definition levels */
    if (c->used_dict) enc[ne++] = 8;                    /* RLE_DICTIONARY */
    ch->nencodings = ne;
    ch->encodings = orb_arena_memdup(a, enc, sizeof(int32_t) * (size_t)ne);
    ch->npath = c->npath;
    ch->path = orb_arena_memdup(a, c->path, sizeof(char *) * (size_t)c->npath);
    ch->codec = w->o.codec;
    ch->num_values = c->chunk_values;
    ch->total_uncompressed_size = c->uncompressed;
    ch->total_compressed_size = (int64_t)(w->dict_page.len + c->pages.len);
    if (w->dict_page.len) {
      ch->has_dictionary_page = true;
      ch->dictionary_page_offset = start;
    }
    ch->data_page_offset = start + (int64_t)w->dict_page.len;
    pq_wcol_stats(c, a, &ch->stats, &ch->has_stats);
    if (w->o.page_index) {
      page_index(w, c, ch->data_page_offset, &w->ci[g * w->ncols + i], &w->oi[g * w->ncols + i]);
      if (w->ci[g * w->ncols + i]) w->ci[g * w->ncols + i]->boundary_order = boundary_order(c, w->ci[g * w->ncols + i]);
    }
    rg->total_byte_size += ch->total_uncompressed_size;
    rg->total_compressed_size += ch->total_compressed_size;
    st = put(w, w->dict_page.data, w->dict_page.len, e);
    if (st == ORB_OK) st = put(w, c->pages.data, c->pages.len, e);
  }
  for (int i = 0; i < w->ncols && st == ORB_OK; i++)
    if (w->cols[i].bloom) st = write_bloom(w, &w->cols[i], &rg->columns[i], e);
  for (int i = 0; i < w->ncols; i++) pq_wcol_reset(&w->cols[i]);
  if (st != ORB_OK) return st;
  m->nrow_groups++;
  m->num_rows += w->rg_rows;
  w->rg_rows = 0;
  return ORB_OK;
}

/* The values of column c for this batch, cast to its type where they differ. */
static orb_status column_values(pq_writer *w, int c, const orb_value *v, int64_t n, const orb_value **out, orb_err *e) {
  orb_type t = w->cols[c].t;
  *out = v;
  if (t.id != ORB_T_DECIMAL) {   /* the common case, all of the type: one pass without a branch per value */
    bool all = true;
    for (int64_t i = 0; i < n; i++) all &= (v[i].type == t.id) | (v[i].isnull != 0);
    if (all) return ORB_OK;
  } else {
    int64_t i = 0;
    while (i < n && (v[i].isnull || (v[i].type == t.id && v[i].scale == t.scale))) i++;
    if (i == n) return ORB_OK;
  }
  if ((size_t)n > w->casted_cap) w->casted = orb_grow(w->casted, &w->casted_cap, (size_t)n, sizeof(orb_value));
  for (int64_t i = 0; i < n; i++) {
    if (v[i].isnull || (v[i].type == t.id && (t.id != ORB_T_DECIMAL || v[i].scale == t.scale))) w->casted[i] = v[i];
    else {
      orb_status st = orb_value_cast(&v[i], t, &w->cast, &w->casted[i], e);
      if (st != ORB_OK) {
        orb_err_prefix(e, "parquet: column \"%s\": ", w->cols[c].path[0]);
        return st;
      }
    }
  }
  *out = w->casted;
  return ORB_OK;
}

static orb_status write_rows(pq_writer *w, const orb_value *const *cols, int64_t n, bool typed, orb_err *e) {
  if (w->failed) return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": writing after an error", w->path);
  int64_t done = 0;
  while (done < n) {
    int64_t k = n - done;
    if (k > w->o.row_group_rows - w->rg_rows) k = w->o.row_group_rows - w->rg_rows;
    for (int c = 0; c < w->ncols; c++) {
      const orb_value *v = cols[c] + done;
      orb_status st = typed ? ORB_OK : column_values(w, c, cols[c] + done, k, &v, e);
      if (st == ORB_OK) st = pq_wcol_add(&w->cols[c], v, k, e);
      orb_arena_reset(&w->cast);
      if (st != ORB_OK) {
        w->failed = true;
        return st;
      }
    }
    w->rg_rows += k;
    done += k;
    if (w->rg_rows == w->o.row_group_rows) {
      orb_status st = flush_row_group(w, e);
      if (st != ORB_OK) {
        w->failed = true;
        return st;
      }
    }
  }
  return ORB_OK;
}

orb_status pq_writer_write(pq_writer *w, const orb_value *const *cols, int64_t n, orb_err *e) {
  return write_rows(w, cols, n, false, e);
}

orb_status pq_writer_write_typed(pq_writer *w, const orb_value *const *cols, int64_t n, orb_err *e) {
  return write_rows(w, cols, n, true, e);
}

int64_t pq_writer_rows(const pq_writer *w) { return w->m->num_rows + w->rg_rows; }

/* Every chunk's ColumnIndex, then every chunk's OffsetIndex (PageIndex.md). */
static orb_status write_page_indexes(pq_writer *w, orb_err *e) {
  orb_status st = ORB_OK;
  for (int pass = 0; pass < 2 && st == ORB_OK; pass++) {
    for (int g = 0; g < w->m->nrow_groups && st == ORB_OK; g++) {
      for (int c = 0; c < w->ncols && st == ORB_OK; c++) {
        pq_chunk *ch = &w->m->row_groups[g].columns[c];
        orb_buf_reset(&w->buf);
        if (pass == 0) {
          const pq_column_index *ci = w->ci[g * w->ncols + c];
          if (!ci) continue;
          pq_column_index_encode(ci, &w->buf);
          ch->has_column_index = true;
          ch->column_index_offset = w->pos;
          ch->column_index_length = (int32_t)w->buf.len;
        } else {
          pq_offset_index_encode(w->oi[g * w->ncols + c], &w->buf);
          ch->has_offset_index = true;
          ch->offset_index_offset = w->pos;
          ch->offset_index_length = (int32_t)w->buf.len;
        }
        st = put(w, w->buf.data, w->buf.len, e);
      }
    }
  }
  return st;
}

orb_status pq_writer_close(pq_writer *w, orb_err *e) {
  orb_status st = ORB_OK;
  if (w->failed) st = orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": closing after an error", w->path);
  if (st == ORB_OK && w->rg_rows > 0) st = flush_row_group(w, e);
  if (st == ORB_OK && w->o.page_index) st = write_page_indexes(w, e);
  if (st == ORB_OK) {
    orb_buf_reset(&w->buf);
    pq_meta_encode(w->m, &w->buf);
    uint8_t tail[8];
    orb_store_u32le(tail, (uint32_t)w->buf.len);
    memcpy(tail + 4, "PAR1", 4);
    st = put(w, w->buf.data, w->buf.len, e);
    if (st == ORB_OK) st = put(w, tail, 8, e);
  }
  if (st == ORB_OK) {
    FILE *f = w->f;
    w->f = NULL;
    if (fclose(f) != 0) st = io_error(w, e);
  }
  pq_writer_abort(w);
  return st;
}

void pq_writer_abort(pq_writer *w) {
  if (!w) return;
  if (w->f) fclose(w->f);
  for (int c = 0; c < w->ncols; c++) pq_wcol_free(&w->cols[c]);
  orb_free(w->cols);
  pq_compressor_free(w->z);
  pq_meta_free(w->m);
  orb_arena_free(&w->cast);
  orb_buf_free(&w->dict_page);
  orb_buf_free(&w->buf);
  orb_free(w->casted);
  orb_free(w->ci);
  orb_free(w->oi);
  orb_free(w->path);
  orb_free(w);
}
