/* formats/parquet/pq_values.c — the values of a column chunk (see
** parquet.h): repetition and definition levels (RLE hybrid), PLAIN values
** of every physical type, dictionaries (PLAIN_DICTIONARY / RLE_DICTIONARY
** indices), RLE booleans, the DELTA encodings and BYTE_STREAM_SPLIT; data
** pages v1 and v2.  One reader serves flat and nested leaves: a flat
** column is a leaf whose maximum repetition level is 0 and whose maximum
** definition level is 0 or 1. */
#include "formats/parquet/pq_int.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

size_t pq_value_size(int type) {
  switch (type) {
  case PQ_BOOLEAN: return 1;
  case PQ_INT32:
  case PQ_FLOAT: return 4;
  case PQ_INT64:
  case PQ_DOUBLE: return 8;
  case PQ_INT96: return 12;
  default: return sizeof(pq_bytes);
  }
}

typedef pq_leaf_reader reader;

static orb_status bad(reader *r, orb_err *e, const char *what) { return pq_corrupt(e, r->name, what); }

/* *buf grown to hold n elements of size w (at least one). */
static void *grow(void *buf, size_t *cap, int64_t n, size_t w) {
  size_t want = (size_t)(n > 0 ? n : 1);
  if (want > *cap) {
    buf = orb_realloc(buf, w * want);
    *cap = want;
  }
  return buf;
}

static uint32_t *scratch(reader *r, int64_t n) { return r->b->idx = grow(r->b->idx, &r->b->idx_cap, n, sizeof(uint32_t)); }

/* The bytes of BYTE_ARRAY values, kept in the column's arena in one piece
** (the page buffer is reused for the next page), so that each value needs
** a pointer rather than a copy of its own. */
static orb_arena *page_mem(reader *r) { return r->page_arena ? r->page_arena : &r->col->arena; }

static const uint8_t *keep(reader *r, const uint8_t *p, size_t len) {
  uint8_t *copy = orb_arena_alloc(page_mem(r), len ? len : 1);
  if (len) memcpy(copy, p, len);
  return copy;
}

/* Slot-sized copies specialised by width: with w a constant, each memcpy is
** one load and one store. */
static inline void gather_w(uint8_t *out, const uint8_t *dict, const uint32_t *ix, int64_t n, size_t w) {
  for (int64_t i = 0; i < n; i++) memcpy(out + (size_t)i * w, dict + (size_t)ix[i] * w, w);
}

/* out[i] = dict[ix[i]] for n indices already checked to be in range. */
static void gather(void *out, const void *dict, const uint32_t *ix, int64_t n, size_t w) {
  switch (w) {
  case 1: gather_w(out, dict, ix, n, 1); break;
  case 4: gather_w(out, dict, ix, n, 4); break;
  case 8: gather_w(out, dict, ix, n, 8); break;
  case 16: gather_w(out, dict, ix, n, 16); break;
  default: gather_w(out, dict, ix, n, w); break;
  }
}

static inline void scatter_w(uint8_t *dst, const uint8_t *vals, const uint8_t *nulls, int64_t n, size_t w) {
  size_t k = 0;
  for (int64_t i = 0; i < n; i++) {
    if (nulls[i]) memset(dst + (size_t)i * w, 0, w);
    else memcpy(dst + (size_t)i * w, vals + k++ * w, w);
  }
}

/* Spread the non-NULL values vals among n entries by their NULL flags (NULL
** slots zeroed). */
static void scatter(void *dst, const void *vals, const uint8_t *nulls, int64_t n, size_t w) {
  switch (w) {
  case 1: scatter_w(dst, vals, nulls, n, 1); break;
  case 4: scatter_w(dst, vals, nulls, n, 4); break;
  case 8: scatter_w(dst, vals, nulls, n, 8); break;
  case 16: scatter_w(dst, vals, nulls, n, 16); break;
  default: scatter_w(dst, vals, nulls, n, w); break;
  }
}

/* n PLAIN values from p (len bytes) into slots; *used = bytes consumed. */
static orb_status plain(reader *r, const uint8_t *p, size_t len, int64_t n, void *slots, size_t *used, orb_err *e) {
  pq_column *c = r->col;
  size_t w = pq_value_size(c->type);
  if (c->type == PQ_BOOLEAN) {
    if ((size_t)((n + 7) / 8) > len) return bad(r, e, "PLAIN booleans longer than their page");
    for (int64_t i = 0; i < n; i++) ((uint8_t *)slots)[i] = (p[i / 8] >> (i % 8)) & 1;
    *used = (size_t)((n + 7) / 8);
    return ORB_OK;
  }
  if (c->type == PQ_FIXED_LEN_BYTE_ARRAY) {
    size_t k = (size_t)c->type_length;
    if ((uint64_t)n * k > len) return bad(r, e, "PLAIN byte array longer than its page");
    const uint8_t *kept = keep(r, p, (size_t)n * k);
    pq_bytes *out = slots;
    for (int64_t i = 0; i < n; i++) out[i].data = kept + (size_t)i * k, out[i].len = k;
    *used = (size_t)n * k;
    return ORB_OK;
  }
  if (c->type == PQ_BYTE_ARRAY) {   /* the values point into one kept copy of the rest of the page */
    const uint8_t *kept = n ? keep(r, p, len) : p;
    size_t pos = 0;
    pq_bytes *out = slots;
    for (int64_t i = 0; i < n; i++) {
      if (len - pos < 4) return bad(r, e, "PLAIN byte array length past its page");
      size_t k = (size_t)p[pos] | (size_t)p[pos + 1] << 8 | (size_t)p[pos + 2] << 16 | (size_t)p[pos + 3] << 24;
      pos += 4;
      if (k > len - pos) return bad(r, e, "PLAIN byte array longer than its page");
      out[i].data = kept + pos;
      out[i].len = k;
      pos += k;
    }
    *used = pos;
    return ORB_OK;
  }
  if ((uint64_t)n * w > len) return bad(r, e, "PLAIN values longer than their page");
  memcpy(slots, p, (size_t)n * w);   /* little-endian on the page and here (x86-64, aarch64) */
  *used = (size_t)n * w;
  return ORB_OK;
}

/* DELTA_BYTE_ARRAY: prefix lengths, then suffixes (DELTA_LENGTH_BYTE_ARRAY). */
static orb_status delta_byte_array(reader *r, const uint8_t *p, size_t n, int64_t count, pq_bytes *out, orb_err *e) {
  int64_t *prefix = orb_malloc(sizeof(int64_t) * (size_t)(count ? count : 1));
  size_t used = 0, used2 = 0;
  orb_status st = pq_delta_decode(p, n, count, prefix, &used, r->name, e);
  if (st == ORB_OK) st = pq_delta_length_decode(p + used, n - used, count, out, &used2, r->name, e);
  for (int64_t i = 0; st == ORB_OK && i < count; i++) {
    size_t plen = (size_t)prefix[i];
    if (prefix[i] < 0 || plen > r->prev.len) {
      st = bad(r, e, "DELTA_BYTE_ARRAY prefix longer than the previous value");
      break;
    }
    uint8_t *v = orb_arena_alloc(&r->col->arena, plen + out[i].len + 1);
    if (plen) memcpy(v, r->prev.data, plen);
    if (out[i].len) memcpy(v + plen, out[i].data, out[i].len);
    out[i].data = v;
    out[i].len += plen;
    r->prev = out[i];
  }
  orb_free(prefix);
  return st;
}

/* Bits of a level of at most max (RLE hybrid bit width). */
static int level_width(int max) {
  int w = 0;
  while (max >> w) w++;
  return w;
}

/* Whether RLE hybrid data of width bits starts with one run repeating v at
** least n times (a page without NULLs: definition levels all at the maximum). */
static bool one_run(const uint8_t *p, size_t len, int width, int64_t n, uint32_t v) {
  uint64_t h = 0;
  size_t pos = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= len || shift > 35) return false;
    h |= (uint64_t)(p[pos] & 0x7f) << shift;
    if (!(p[pos++] & 0x80)) break;
  }
  size_t vbytes = (size_t)(width + 7) / 8;
  if ((h & 1) || (h >> 1) < (uint64_t)n || vbytes > len - pos) return false;
  uint32_t got = 0;
  for (size_t b = 0; b < vbytes; b++) got |= (uint32_t)p[pos + b] << (8 * b);
  return got == v;
}

/* n repetition (which 0) or definition (which 1) levels of a data page into
** out; *pos: where they start in a v1 page, moved past them (v2 pages keep
** their lengths in the header: repetition levels, then definition levels).
** When all (not NULL) is given and the levels are one run of the maximum,
** *all is set and out is left alone. */
static orb_status levels(reader *r, const pq_page_header *h, const uint8_t *page, size_t len, int which, int64_t n,
                         uint32_t *out, size_t *pos, bool *all, orb_err *e) {
  char what[160];
  const char *kind = which ? "definition" : "repetition";
  int max = which ? r->max_def : r->max_rep;
  const uint8_t *lp;
  size_t llen;
  if (h->type == 3) {
    lp = page + (which ? (size_t)h->rep_len : 0);
    llen = (size_t)(which ? h->def_len : h->rep_len);
  } else {
    int enc = which ? h->def_encoding : h->rep_encoding;
    if (enc != 3) {
      snprintf(what, sizeof what, "%s levels in encoding %d are not supported", kind, enc);
      return bad(r, e, what);
    }
    const uint8_t *p = page + *pos;
    llen = len - *pos < 4 ? 0 : (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
    if (len - *pos < 4 || llen > len - *pos - 4) {
      snprintf(what, sizeof what, "%s levels missing or longer than their page", kind);
      return bad(r, e, what);
    }
    lp = p + 4;
    *pos += 4 + llen;
  }
  int width = level_width(max);
  if (all && (*all = one_run(lp, llen, width, n, (uint32_t)max))) return ORB_OK;
  orb_status st = pq_rle_decode(lp, llen, width, out, n, r->name, e);
  if (max == (1 << width) - 1) return st;   /* no level of that width can be above the maximum */
  for (int64_t i = 0; st == ORB_OK && i < n; i++)
    if (out[i] > (uint32_t)max) {
      snprintf(what, sizeof what, "%s level %u above the column's maximum %d", kind, out[i], max);
      st = bad(r, e, what);
    }
  return st;
}

/* A stream's window enlarged to hold want entries of w bytes (r->grow). */
static orb_status grow_window(reader *r, int64_t want, size_t w, orb_err *e) {
  pq_column *c = r->col;
  int64_t cap = c->cap * 2 > want ? c->cap * 2 : want;
  if ((uint64_t)want > r->limit / (w + 1))
    return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "parquet: \"%s\": a page is over the memory limit", r->name);
  if ((uint64_t)cap > r->limit / (w + 1)) cap = want;
  c->values = orb_realloc(c->values, w * (size_t)cap);
  c->nulls = orb_realloc(c->nulls, (size_t)cap);
  c->cap = cap;
  return ORB_OK;
}

orb_status pq_leaf_on_page(void *arg, const pq_page_header *h, const uint8_t *page, size_t len, orb_err *e) {
  reader *r = arg;
  pq_column *c = r->col;
  size_t w = pq_value_size(c->type);
  char what[160];
  if (h->type == 2) {   /* the dictionary: PLAIN values, for the whole chunk (never in a page's arena) */
    if (h->num_values < 0 || (uint64_t)h->num_values > len * 8 + 1) return bad(r, e, "dictionary page with an impossible size");
    r->dict = orb_arena_alloc(&c->arena, w * (size_t)(h->num_values ? h->num_values : 1));
    r->ndict = h->num_values;
    size_t used;
    orb_arena *pa = r->page_arena;
    r->page_arena = NULL;
    orb_status st = plain(r, page, len, h->num_values, r->dict, &used, e);
    r->page_arena = pa;
    return st;
  }
  if (h->type != 0 && h->type != 3) return ORB_OK;   /* index pages */
  int64_t n = h->num_values;
  if (c->n + n > c->cap) {
    if (!r->grow) return bad(r, e, "data pages hold more values than the column chunk");
    orb_status st = grow_window(r, c->n + n, w, e);
    if (st != ORB_OK) return st;
  }
  size_t pos = 0;
  uint32_t *lev = NULL, *rep = NULL;
  bool all_defined = false;   /* a flat column's page without NULLs */
  orb_status st = ORB_OK;
  if (h->type == 3) pos = (size_t)h->rep_len + (size_t)h->def_len;
  if (pos > len) return bad(r, e, "levels longer than their page");
  if (r->max_rep > 0) {
    rep = r->b->rep = grow(r->b->rep, &r->b->rep_cap, n, sizeof(uint32_t));
    st = levels(r, h, page, len, 0, n, rep, &pos, NULL, e);
  }
  if (st == ORB_OK && r->max_def > 0) {
    lev = r->b->def = grow(r->b->def, &r->b->def_cap, n, sizeof(uint32_t));
    st = levels(r, h, page, len, 1, n, lev, &pos, c->def ? NULL : &all_defined, e);
    if (all_defined) lev = NULL;
  }
  /* NULL flags straight from the levels; none to work out for a REQUIRED column */
  uint8_t *nulls = c->nulls + c->n;
  int64_t nonnull = n;
  if (st == ORB_OK && lev) {
    uint32_t max_def = (uint32_t)r->max_def;
    for (int64_t i = 0; i < n; i++) nulls[i] = lev[i] != max_def;
    for (int64_t i = 0; i < n; i++) nonnull -= nulls[i];
    c->nnull += n - nonnull;
  } else if (st == ORB_OK) {
    memset(nulls, 0, (size_t)n);
  }
  /* a record may not start in the middle: the chunk's first entry starts one */
  if (st == ORB_OK && rep && c->n == 0 && n > 0 && rep[0] != 0)
    st = bad(r, e, "repetition levels start in the middle of a record");
  if (st == ORB_OK && h->type == 3 && r->max_def > 0 && h->num_nulls != n - nonnull) {
    snprintf(what, sizeof what, "data page v2 says %d nulls, its definition levels %lld", h->num_nulls,
             (long long)(n - nonnull));
    st = bad(r, e, what);
  }
  if (st != ORB_OK) return st;
  const uint8_t *vp = page + pos;
  size_t vlen = len - pos;
  /* with no NULL in the page the values are decoded in place, else into
  ** scratch and spread among the NULLs afterwards */
  uint8_t *dst = (uint8_t *)c->values + (size_t)c->n * w;
  uint8_t *vals = nonnull == n ? dst : (r->b->vals = grow(r->b->vals, &r->b->vals_cap, nonnull, w));
  size_t used;
  int enc = h->encoding;
  if (enc == 0) {
    st = plain(r, vp, vlen, nonnull, vals, &used, e);
  } else if (enc == 2 || enc == 8) {   /* dictionary indices */
    if (!r->dict) st = bad(r, e, "dictionary-encoded page without a dictionary page");
    else if (vlen < 1) st = bad(r, e, "dictionary indices missing");
    else {
      uint32_t *ix = scratch(r, nonnull), top = 0;
      st = pq_rle_decode(vp + 1, vlen - 1, vp[0], ix, nonnull, r->name, e);
      for (int64_t i = 0; st == ORB_OK && i < nonnull; i++) top = ix[i] > top ? ix[i] : top;
      if (st == ORB_OK && nonnull > 0 && top >= (uint64_t)r->ndict) st = bad(r, e, "dictionary index out of range");
      if (st == ORB_OK) gather(vals, r->dict, ix, nonnull, w);
    }
  } else if (enc == 3 && c->type == PQ_BOOLEAN) {   /* RLE booleans: 4-byte length, then the hybrid */
    if (vlen < 4) st = bad(r, e, "RLE booleans missing");
    else {
      size_t blen = (size_t)vp[0] | (size_t)vp[1] << 8 | (size_t)vp[2] << 16 | (size_t)vp[3] << 24;
      uint32_t *ix = scratch(r, nonnull);
      /* hyparquet-writer (JavaScript) stores the number of values here, not
      ** the byte length; DuckDB and hyparquet read such files, so a length
      ** past the page means "the rest of the page".  The decoder still
      ** fails if the rest holds fewer than `nonnull` values. */
      if (blen > vlen - 4) blen = vlen - 4;
      st = pq_rle_decode(vp + 4, blen, 1, ix, nonnull, r->name, e);
      for (int64_t i = 0; st == ORB_OK && i < nonnull; i++) vals[i] = (uint8_t)ix[i];
    }
  } else if (enc == 5 && (c->type == PQ_INT32 || c->type == PQ_INT64)) {   /* DELTA_BINARY_PACKED */
    int64_t *d = orb_malloc(sizeof(int64_t) * (size_t)(nonnull ? nonnull : 1));
    st = pq_delta_decode(vp, vlen, nonnull, d, &used, r->name, e);
    for (int64_t i = 0; st == ORB_OK && i < nonnull; i++) {
      if (c->type == PQ_INT32) ((int32_t *)(void *)vals)[i] = (int32_t)(uint32_t)(uint64_t)d[i];
      else ((int64_t *)(void *)vals)[i] = d[i];
    }
    orb_free(d);
  } else if (enc == 6 && c->type == PQ_BYTE_ARRAY) {   /* DELTA_LENGTH_BYTE_ARRAY */
    pq_bytes *b = (pq_bytes *)(void *)vals;
    st = pq_delta_length_decode(vp, vlen, nonnull, b, &used, r->name, e);
    if (st == ORB_OK && nonnull > 0) {   /* the page buffer is reused: point into a kept copy */
      const uint8_t *kept = keep(r, vp, vlen);
      for (int64_t i = 0; i < nonnull; i++) b[i].data = kept + (b[i].data - vp);
    }
  } else if (enc == 7 && (c->type == PQ_BYTE_ARRAY || c->type == PQ_FIXED_LEN_BYTE_ARRAY)) {   /* DELTA_BYTE_ARRAY */
    st = delta_byte_array(r, vp, vlen, nonnull, (pq_bytes *)(void *)vals, e);
  } else if (enc == 9 && c->type != PQ_BOOLEAN && c->type != PQ_BYTE_ARRAY && c->type != PQ_INT96) {   /* BYTE_STREAM_SPLIT */
    size_t width = c->type == PQ_FIXED_LEN_BYTE_ARRAY ? (size_t)c->type_length : w;
    if ((uint64_t)nonnull * width > vlen) {
      st = bad(r, e, "BYTE_STREAM_SPLIT values longer than their page");
    } else if (c->type == PQ_FIXED_LEN_BYTE_ARRAY) {
      uint8_t *raw = orb_arena_alloc(page_mem(r), (size_t)nonnull * width + 1);
      pq_byte_stream_split(vp, nonnull, width, raw);
      pq_bytes *b = (pq_bytes *)(void *)vals;
      for (int64_t i = 0; i < nonnull; i++) b[i].data = raw + (size_t)i * width, b[i].len = width;
    } else {
      pq_byte_stream_split(vp, nonnull, width, vals);
    }
  } else {
    snprintf(what, sizeof what, "values in encoding %d are not supported yet", enc);
    st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: \"%s\": %s", r->name, what);
  }
  if (st != ORB_OK) return st;
  if (vals != dst) scatter(dst, vals, nulls, n, w);
  for (int64_t i = 0; c->def && i < n; i++) c->def[c->n + i] = (uint16_t)lev[i];
  for (int64_t i = 0; c->rep && i < n; i++) c->rep[c->n + i] = (uint16_t)rep[i];
  c->n += n;
  return ORB_OK;
}

/* Leaf column col of row group rg, with levels max_def and max_rep; from
** the file at path, or from a file image when image is not NULL; every
** page, or (oi not NULL, flat columns only) the pages of oi that want says. */
static orb_status read_leaf(const char *path, const void *image, size_t image_len, const pq_file_meta *m,
                            const pq_schema_elem *s, int rg, int col, int max_def, int max_rep, size_t limit,
                            const pq_offset_index *oi, const bool *want, pq_column *out, orb_err *e) {
  const pq_chunk *ch = &m->row_groups[rg].columns[col];
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  out->type = s->type;
  out->type_length = s->type_length;
  out->max_def = max_def;
  out->max_rep = max_rep;
  if (s->type < 0 || s->type > PQ_FIXED_LEN_BYTE_ARRAY || (s->type == PQ_FIXED_LEN_BYTE_ARRAY && s->type_length <= 0))
    return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": column %d has no valid physical type", path, col);
  /* per entry: a value slot, a NULL flag and the levels there are */
  size_t per = pq_value_size(s->type) + 1 + (max_def ? 2 : 0) + (max_rep ? 2 : 0);
  if (ch->num_values < 0 || (uint64_t)ch->num_values > limit / per)
    return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "parquet: \"%s\": column %d is over the memory limit", path, col);
  out->cap = ch->num_values;
  if (oi) {   /* only the wanted pages' rows (a value per row: flat) */
    for (int i = 0; i < ch->nencodings; i++)
      if (ch->encodings[i] == 7)
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                            "parquet: \"%s\": DELTA_BYTE_ARRAY pages are read whole chunks at a time", path);
    int64_t rows = m->row_groups[rg].num_rows;
    out->cap = 0;
    for (int i = 0; i < oi->npages; i++) {
      int64_t end = i + 1 < oi->npages ? oi->pages[i + 1].first_row_index : rows;
      if (want[i] && end > oi->pages[i].first_row_index) out->cap += end - oi->pages[i].first_row_index;
    }
    if (out->cap > ch->num_values) return pq_corrupt(e, path, "the offset index counts more rows than the chunk's values");
  }
  size_t cap = (size_t)(out->cap ? out->cap : 1);
  out->nulls = orb_arena_zalloc(&out->arena, cap);
  out->values = orb_arena_alloc(&out->arena, pq_value_size(s->type) * cap);   /* every slot is written (NULLs zeroed) */
  /* a flat leaf's definition levels are its NULL flags: not kept twice */
  if (max_def > 1 || (max_def && max_rep)) out->def = orb_arena_zalloc(&out->arena, sizeof(uint16_t) * cap);
  if (max_rep) out->rep = orb_arena_zalloc(&out->arena, sizeof(uint16_t) * cap);
  pq_read_bufs own = {0};
  reader r = {.name = path, .col = out, .max_def = max_def, .max_rep = max_rep, .b = out->bufs ? out->bufs : &own};
  orb_status st;
  if (oi) {
    pq_source src = {path, image, image_len};
    st = pq_chunk_walk_pages(&src, m, rg, col, limit, oi, want, pq_leaf_on_page, &r, e);
    if (st == ORB_OK && out->n != out->cap) st = pq_corrupt(e, path, "the wanted pages hold other row counts than the offset index says");
  } else {
    st = image ? pq_chunk_walk_image_bufs(image, image_len, path, m, rg, col, limit, r.b, pq_leaf_on_page, &r, e)
               : pq_chunk_walk_bufs(path, m, rg, col, limit, r.b, pq_leaf_on_page, &r, e);
  }
  pq_read_bufs_free(&own);
  return st;
}

/* out made ready for a read: fresh, or (reuse) keeping the memory of the
** read it holds, if any. */
static orb_status no_chunk(const char *path, const pq_file_meta *m, int rg, int col, pq_column *out, bool reuse,
                           orb_err *e) {
  if (reuse && out->arena.block_size) {
    orb_arena arena = out->arena;
    pq_read_bufs *bufs = out->bufs;
    orb_arena_recycle(&arena);
    memset(out, 0, sizeof *out);
    out->arena = arena;
    out->bufs = bufs;
  } else {
    memset(out, 0, sizeof *out);
    orb_arena_init(&out->arena, 65536);
    if (reuse) out->bufs = orb_calloc(1, sizeof *out->bufs);
  }
  if (rg < 0 || rg >= m->nrow_groups || col < 0 || col >= m->row_groups[rg].ncolumns)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": no column chunk %d of row group %d", path, col, rg);
  return ORB_OK;
}

static orb_status read_flat(const char *path, const void *image, size_t image_len, const pq_file_meta *m, int rg, int col,
                            size_t limit, const pq_offset_index *oi, const bool *want, pq_column *out, orb_err *e) {
  orb_status st = no_chunk(path, m, rg, col, out, false, e);
  if (st != ORB_OK) return st;
  /* a flat schema: the root, then one leaf per column */
  if (m->nschema != m->row_groups[rg].ncolumns + 1 || m->schema[col + 1].num_children > 0 ||
      m->schema[col + 1].repetition == PQ_REPEATED)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                        "parquet: \"%s\": column %d is nested (pq_read_leaf_column reads it)", path, col);
  return read_leaf(path, image, image_len, m, &m->schema[col + 1], rg, col,
                   m->schema[col + 1].repetition == PQ_OPTIONAL ? 1 : 0, 0, limit, oi, want, out, e);
}

static orb_status read_any(const char *path, const void *image, size_t image_len, const pq_file_meta *m, int rg, int col,
                           size_t limit, bool reuse, pq_column *out, orb_err *e) {
  orb_status st = no_chunk(path, m, rg, col, out, reuse, e);
  int elem, max_def, max_rep;
  if (st == ORB_OK) st = pq_leaf_levels(m, path, col, &elem, &max_def, &max_rep, e);
  if (st == ORB_OK)
    st = read_leaf(path, image, image_len, m, &m->schema[elem], rg, col, max_def, max_rep, limit, NULL, NULL, out, e);
  return st;
}

orb_status pq_read_flat_pages(const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                              const pq_offset_index *oi, const bool *want, pq_column *out, orb_err *e) {
  return read_flat(src->name, src->image, src->len, m, rg, col, limit, oi, want, out, e);
}

orb_status pq_read_flat_column(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_column *out,
                               orb_err *e) {
  return read_flat(path, NULL, 0, m, rg, col, limit, NULL, NULL, out, e);
}

orb_status pq_read_flat_column_image(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                     int col, size_t limit, pq_column *out, orb_err *e) {
  return read_flat(name, file, len, m, rg, col, limit, NULL, NULL, out, e);
}

orb_status pq_read_leaf_column(const char *path, const pq_file_meta *m, int rg, int col, size_t limit, pq_column *out,
                               orb_err *e) {
  return read_any(path, NULL, 0, m, rg, col, limit, false, out, e);
}

orb_status pq_read_leaf_column_into(const char *path, const pq_file_meta *m, int rg, int col, size_t limit,
                                    pq_column *out, orb_err *e) {
  return read_any(path, NULL, 0, m, rg, col, limit, true, out, e);
}

orb_status pq_read_leaf_column_image(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                     int col, size_t limit, pq_column *out, orb_err *e) {
  return read_any(name, file, len, m, rg, col, limit, false, out, e);
}

orb_status pq_read_leaf_column_image_into(const void *file, size_t len, const char *name, const pq_file_meta *m, int rg,
                                          int col, size_t limit, pq_column *out, orb_err *e) {
  return read_any(name, file, len, m, rg, col, limit, true, out, e);
}

void pq_column_free(pq_column *c) {
  if (!c) return;
  orb_arena_free(&c->arena);
  pq_read_bufs_free(c->bufs);
  orb_free(c->bufs);
  memset(c, 0, sizeof *c);
}
