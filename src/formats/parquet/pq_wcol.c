/* formats/parquet/pq_wcol.c — one column chunk being written (see
** parquet.h, pq_int.h): values in, pages out.
**
** Each value becomes its PLAIN bytes once (a stack buffer for fixed widths,
** the value's own bytes for strings); those bytes feed the statistics, the
** dictionary (hashed with XXH64, the hash the bloom filter wants too) or the
** page's PLAIN buffer.  A page is cut when it holds page_rows rows or its
** values reach page_bytes; it is then levelled, encoded, compressed and
** appended to the chunk with its header.  All buffers live as long as the
** writer and are reused, so no allocation happens per value.  The common
** cases run in loops of their own (add_plain_fixed: numbers going PLAIN;
** add_dict: numbers and byte arrays going to the dictionary), without the
** general loop's per-value dispatch. */
#include "formats/parquet/pq_int.h"
#include "base/hash.h"
#include "base/mem.h"
#include "types/array.h"
#include "types/value.h"

#include <math.h>
#include <string.h>
#include <xxhash.h>

/* After a chunk found its values nearly unique (its dictionary dropped at
** the probe, pq_write_opts.dictionary_probe), this many following chunks
** of the column start PLAIN without building a dictionary only to drop
** it: for a sorted key or a timestamp that dictionary costs a hash probe
** and an insert per value and is thrown away.  The chunk after them probes
** again, so a column whose values start repeating regains its dictionary
** within that many row groups. */
#define PQ_PLAIN_CHUNKS 7

/* The most a chunk's page buffer is given in advance (it grows past it). */
#define PQ_PAGES_RESERVE_MAX ((size_t)256 << 20)

/* Encodings (parquet.thrift Encoding). */
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };

/* The page's PLAIN values start this far into c->plain: room for a v1
** page's levels (their length and one run of 1s, at most 4 + 5 + 1 bytes)
** in front of them, so that such a page is compressed from c->plain in
** place rather than copied after its levels first. */
#define PQ_PLAIN_HEAD 16

static void plain_reset(pq_wcol *c) {
  orb_buf_reset(&c->plain);
  orb_buf_reserve(&c->plain, PQ_PLAIN_HEAD);
  c->plain.len = PQ_PLAIN_HEAD;
}

/* The page's PLAIN value bytes so far. */
static inline size_t plain_bytes(const pq_wcol *c) { return c->plain.len - PQ_PLAIN_HEAD; }

/* One value's PLAIN form and the numbers the statistics compare. */
typedef struct wval {
  const uint8_t *p;
  size_t len;
  int64_t i;
  double d;
  uint8_t tmp[16];
} wval;

/* An ARRAY column's schema: the LIST group, the repeated group, the leaf
** (parquet.h).  The element's type is checked under the column's name so
** that a refusal names the column. */
static orb_status list_schema(pq_wcol *c, const pq_write_column *col, orb_err *e) {
  orb_type et = orb_type_elem(col->type);
  if (et.id == ORB_T_ARRAY || et.id == ORB_T_RECORD || !orb_type_is_storable_elem((orb_type_id)et.id))
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: column \"%s\": arrays of this element type cannot be written",
                        col->name);
  orb_status st = pq_schema_for_sql(col->name, et, true, col->elem_field_id, &c->s, e);
  if (st != ORB_OK) return st;
  c->s.name = "element";
  c->s.has_field_id = col->elem_field_id != 0;
  pq_schema_elem *g = &c->groups[0];
  memset(c->groups, 0, sizeof c->groups);
  g[0].name = col->name;
  g[0].type = -1;
  g[0].repetition = col->nullable ? PQ_OPTIONAL : PQ_REQUIRED;
  g[0].num_children = 1;
  g[0].converted_type = 3;   /* LIST */
  g[0].logical.kind = PQ_LT_LIST;
  g[0].has_field_id = true;
  g[0].field_id = col->field_id;
  g[1].name = "list";
  g[1].type = -1;
  g[1].repetition = PQ_REPEATED;
  g[1].num_children = 1;
  g[1].converted_type = -1;
  c->list = true;
  c->elem_t = et;
  c->max_def = (col->nullable ? 1 : 0) + 2;   /* the list, its repeated group, the optional element */
  c->path[0] = col->name, c->path[1] = "list", c->path[2] = "element";
  c->npath = 3;
  return ORB_OK;
}

orb_status pq_wcol_init(pq_wcol *c, const pq_write_column *col, const pq_write_opts *o, pq_compressor *z, orb_err *e) {
  memset(c, 0, sizeof *c);
  orb_arena_init(&c->elem_cast, 0);
  orb_status st = col->type.id == ORB_T_ARRAY
                      ? list_schema(c, col, e)
                      : pq_schema_for_sql(col->name, col->type, col->nullable, col->field_id, &c->s, e);
  if (st != ORB_OK) return st;
  c->o = o;
  c->z = z;
  c->t = col->type;
  c->bloom = col->bloom_filter;
  if (!c->list) {
    c->max_def = col->nullable ? 1 : 0;
    c->path[0] = c->s.name;
    c->npath = 1;
  }
  c->dict_on = o->dictionary && c->s.type != PQ_BOOLEAN;
  c->page_serial = 1;
  c->defs = orb_malloc(sizeof(uint32_t) * (size_t)o->page_rows);
  c->idx = orb_malloc(sizeof(uint32_t) * (size_t)o->page_rows);
  if (c->list) {
    c->reps = orb_malloc(sizeof(uint32_t) * (size_t)o->page_rows);
    c->lev_cap = (size_t)o->page_rows;
  }
  plain_reset(c);
  return ORB_OK;
}

void pq_wcol_free(pq_wcol *c) {
  orb_buf *bufs[] = {&c->dict, &c->plain, &c->ps.blo, &c->ps.bhi, &c->cs.blo, &c->cs.bhi, &c->pages,
                     &c->bounds, &c->levels, &c->vals, &c->body, &c->comp, &c->hdr, &c->replev};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) orb_buf_free(bufs[i]);
  orb_free(c->dict_off);
  orb_free(c->dict_hash);
  orb_free(c->dict_seen);
  orb_free(c->table);
  orb_free(c->defs);
  orb_free(c->idx);
  orb_free(c->reps);
  orb_arena_free(&c->elem_cast);
  orb_free(c->pi);
  orb_free(c->hashes);
}

/* --- values ------------------------------------------------------------------------ */

static void big_endian(__int128 v, uint8_t *out, int n) {
  for (int k = n - 1; k >= 0; k--) {
    out[k] = (uint8_t)v;
    v >>= 8;   /* arithmetic: the sign fills the high bytes */
  }
}

static void plain_of(const pq_wcol *c, const orb_value *v, wval *w) {
  w->p = w->tmp;
  switch (c->s.type) {
  case PQ_BOOLEAN:
    w->i = v->u.b;
    w->tmp[0] = (uint8_t)w->i;
    w->len = 1;
    return;
  case PQ_INT32:
    w->i = (int32_t)(v->type == ORB_T_DECIMAL ? (int64_t)v->u.dec : v->u.i);
    orb_store_u32le(w->tmp, (uint32_t)w->i);
    w->len = 4;
    return;
  case PQ_INT64:
    w->i = v->type == ORB_T_DECIMAL ? (int64_t)v->u.dec : v->u.i;
    orb_store_u64le(w->tmp, (uint64_t)w->i);
    w->len = 8;
    return;
  case PQ_FLOAT: {
    float f = (float)v->u.f;
    w->d = f;
    memcpy(w->tmp, &f, 4);
    w->len = 4;
    return;
  }
  case PQ_DOUBLE:
    w->d = v->u.f;
    memcpy(w->tmp, &w->d, 8);
    w->len = 8;
    return;
  case PQ_BYTE_ARRAY:
    w->p = (const uint8_t *)v->u.s;
    w->len = v->len;
    return;
  default:   /* FIXED_LEN_BYTE_ARRAY: UUID or DECIMAL */
    if (v->type == ORB_T_UUID) {
      w->p = v->u.uuid;
    } else {
      big_endian(v->u.dec, w->tmp, c->s.type_length);
    }
    w->len = (size_t)c->s.type_length;
    return;
  }
}

/* Byte strings by the column's order (unsigned, or signed numbers for decimals). */
static int cmp_bytes(const pq_wcol *c, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  return pq_plain_cmp(&c->s, (pq_bytes){a, alen}, (pq_bytes){b, blen});
}

static void set_bytes(orb_buf *b, const uint8_t *p, size_t n) {
  orb_buf_reset(b);
  orb_buf_append(b, p, n);
}

static void stat_add(const pq_wcol *c, pq_wstat *s, const wval *w) {
  switch (c->s.type) {
  case PQ_BOOLEAN:
  case PQ_INT32:
  case PQ_INT64:
    if (!s->has) s->ilo = s->ihi = w->i;
    else if (w->i < s->ilo) s->ilo = w->i;
    else if (w->i > s->ihi) s->ihi = w->i;
    break;
  case PQ_FLOAT:
  case PQ_DOUBLE:
    if (isnan(w->d)) {   /* never a bound (parquet.thrift, Statistics) */
      s->nan = true;
      return;
    }
    if (!s->has) s->dlo = s->dhi = w->d;
    else if (w->d < s->dlo) s->dlo = w->d;
    else if (w->d > s->dhi) s->dhi = w->d;
    break;
  default:
    if (!s->has) {
      set_bytes(&s->blo, w->p, w->len);
      set_bytes(&s->bhi, w->p, w->len);
    } else if (cmp_bytes(c, w->p, w->len, (uint8_t *)s->blo.data, s->blo.len) < 0) {
      set_bytes(&s->blo, w->p, w->len);
    } else if (cmp_bytes(c, w->p, w->len, (uint8_t *)s->bhi.data, s->bhi.len) > 0) {
      set_bytes(&s->bhi, w->p, w->len);
    }
  }
  s->has = true;
}

/* Fold a page's statistics into the chunk's. */
static void stat_merge(const pq_wcol *c, pq_wstat *into, const pq_wstat *s) {
  into->nulls += s->nulls;
  into->nan |= s->nan;
  if (!s->has) return;
  switch (c->s.type) {
  case PQ_BOOLEAN:
  case PQ_INT32:
  case PQ_INT64:
    if (!into->has || s->ilo < into->ilo) into->ilo = s->ilo;
    if (!into->has || s->ihi > into->ihi) into->ihi = s->ihi;
    break;
  case PQ_FLOAT:
  case PQ_DOUBLE:
    if (!into->has || s->dlo < into->dlo) into->dlo = s->dlo;
    if (!into->has || s->dhi > into->dhi) into->dhi = s->dhi;
    break;
  default:
    if (!into->has || cmp_bytes(c, (uint8_t *)s->blo.data, s->blo.len, (uint8_t *)into->blo.data, into->blo.len) < 0)
      set_bytes(&into->blo, (uint8_t *)s->blo.data, s->blo.len);
    if (!into->has || cmp_bytes(c, (uint8_t *)s->bhi.data, s->bhi.len, (uint8_t *)into->bhi.data, into->bhi.len) > 0)
      set_bytes(&into->bhi, (uint8_t *)s->bhi.data, s->bhi.len);
  }
  into->has = true;
}

static void stat_clear(pq_wstat *s) {
  s->has = s->nan = false;
  s->nulls = 0;
  orb_buf_reset(&s->blo);
  orb_buf_reset(&s->bhi);
}

/* The PLAIN bytes of a bound: lo (min) or hi (max).  A zero bound of a
** float is written -0.0 as a minimum and +0.0 as a maximum, so that a
** reader comparing with either zero stays right (parquet.thrift). */
static size_t bound_bytes(const pq_wcol *c, const pq_wstat *s, bool hi, uint8_t tmp[8], const uint8_t **p) {
  *p = tmp;
  switch (c->s.type) {
  case PQ_BOOLEAN:
    tmp[0] = (uint8_t)(hi ? s->ihi : s->ilo);
    return 1;
  case PQ_INT32:
    orb_store_u32le(tmp, (uint32_t)(hi ? s->ihi : s->ilo));
    return 4;
  case PQ_INT64:
    orb_store_u64le(tmp, (uint64_t)(hi ? s->ihi : s->ilo));
    return 8;
  case PQ_FLOAT:
  case PQ_DOUBLE: {
    double d = hi ? s->dhi : s->dlo;
    if (d == 0) d = hi ? 0.0 : -0.0;
    if (c->s.type == PQ_FLOAT) {
      float f = (float)d;
      memcpy(tmp, &f, 4);
      return 4;
    }
    memcpy(tmp, &d, 8);
    return 8;
  }
  default: {
    const orb_buf *b = hi ? &s->bhi : &s->blo;
    *p = (const uint8_t *)b->data;
    return b->len;
  }
  }
}

void pq_wcol_stats(const pq_wcol *c, orb_arena *a, pq_stats *st, bool *has) {
  memset(st, 0, sizeof *st);
  st->has_null_count = true;
  st->null_count = c->cs.nulls;
  *has = true;
  if (!c->cs.has) return;   /* only NULLs (and NaNs): no bounds */
  uint8_t tmp[8];
  const uint8_t *p;
  size_t n = bound_bytes(c, &c->cs, false, tmp, &p);
  st->min_value.data = orb_arena_memdup(a, p, n ? n : 1);
  st->min_value.len = n;
  n = bound_bytes(c, &c->cs, true, tmp, &p);
  st->max_value.data = orb_arena_memdup(a, p, n ? n : 1);
  st->max_value.len = n;
  /* the deprecated min/max were compared signed: only where that is the
  ** type's order (never for byte arrays, whose order is unsigned) */
  if (c->s.type != PQ_BYTE_ARRAY && c->s.type != PQ_FIXED_LEN_BYTE_ARRAY) {
    st->min = st->min_value;
    st->max = st->max_value;
  }
}

/* --- the dictionary ---------------------------------------------------------------- */

static const uint8_t *dict_entry(const pq_wcol *c, uint32_t k, size_t *len) {
  const uint8_t *p = (const uint8_t *)c->dict.data + c->dict_off[k];
  *len = c->s.type == PQ_BYTE_ARRAY ? orb_load_u32le(p - 4) : c->s.type == PQ_FIXED_LEN_BYTE_ARRAY
                                                                  ? (size_t)c->s.type_length
                                                                  : pq_value_size(c->s.type);
  return p;
}

static inline uint64_t slot_of(uint64_t h, uint32_t k) { return (h & ~(uint64_t)0xffffffffu) | (k + 1); }

static void table_grow(pq_wcol *c) {
  uint32_t cap = c->table ? (c->table_mask + 1) * 2 : 1024;
  orb_free(c->table);
  c->table = orb_calloc(cap, sizeof(uint64_t));
  c->table_mask = cap - 1;
  for (uint32_t k = 0; k < c->ndict; k++) {
    uint32_t slot = (uint32_t)c->dict_hash[k] & c->table_mask;
    while (c->table[slot]) slot = (slot + 1) & c->table_mask;
    c->table[slot] = slot_of(c->dict_hash[k], k);
  }
}

/* The value's entry number, added if new (*added then). */
static uint32_t dict_lookup(pq_wcol *c, const wval *w, uint64_t h, bool *added) {
  if (!c->table || (uint64_t)(c->ndict + 1) * 2 > (uint64_t)c->table_mask + 1) table_grow(c);
  uint32_t slot = (uint32_t)h & c->table_mask;
  uint64_t tag = h >> 32;
  *added = false;
  for (;;) {
    uint64_t t = c->table[slot];
    if (!t) break;
    if (t >> 32 == tag) {
      uint32_t k = (uint32_t)t - 1;
      if (w->len == 8 && c->s.type != PQ_BYTE_ARRAY) {   /* INT64, DOUBLE: entry k at k * 8, one compare */
        if (orb_load_u64le(c->dict.data + (size_t)k * 8) == orb_load_u64le(w->p)) return k;
      } else if (w->len == 4 && c->s.type != PQ_BYTE_ARRAY) {
        if (orb_load_u32le(c->dict.data + (size_t)k * 4) == orb_load_u32le(w->p)) return k;
      } else {
        size_t len;
        const uint8_t *p = dict_entry(c, k, &len);
        if (c->dict_hash[k] == h && len == w->len && memcmp(p, w->p, len) == 0) return k;
      }
    }
    slot = (slot + 1) & c->table_mask;
  }
  if (c->ndict == c->dict_cap) {
    c->dict_cap = c->dict_cap ? c->dict_cap * 2 : 256;
    c->dict_off = orb_realloc(c->dict_off, sizeof(uint32_t) * c->dict_cap);
    c->dict_hash = orb_realloc(c->dict_hash, sizeof(uint64_t) * c->dict_cap);
    c->dict_seen = orb_realloc(c->dict_seen, sizeof(uint32_t) * c->dict_cap);
  }
  if (c->s.type == PQ_BYTE_ARRAY) orb_buf_put_u32(&c->dict, (uint32_t)w->len);
  c->dict_off[c->ndict] = (uint32_t)c->dict.len;
  c->dict_hash[c->ndict] = h;
  c->dict_seen[c->ndict] = 0;
  orb_buf_append(&c->dict, w->p, w->len);
  c->table[slot] = slot_of(h, c->ndict);
  *added = true;
  return c->ndict++;
}

/* The dictionary's hash of a value: the bloom filter's (XXH64) when the
** column has one, as both keep it; else a cheaper one (XXH3, or for 4- and
** 8-byte values a 64-bit mix of their bits). */
static inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= UINT64_C(0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= UINT64_C(0xc4ceb9fe1a85ec53);
  return x ^ (x >> 33);
}

static inline uint64_t value_hash(const pq_wcol *c, const wval *w) {
  if (c->bloom) return pq_bloom_hash(w->p, w->len);
  if (w->len == 8) return mix64(orb_load_u64le(w->p));
  if (w->len == 4) return mix64(orb_load_u32le(w->p));
  return XXH3_64bits(w->p, w->len);
}

static void push_hash(pq_wcol *c, uint64_t h) {
  if (c->nhash == c->hash_cap) c->hashes = orb_grow(c->hashes, &c->hash_cap, c->nhash + 1, sizeof(uint64_t));
  c->hashes[c->nhash++] = h;
}

/* Give up the dictionary of a chunk no page has used yet: the page's
** values so far go from dictionary indices to PLAIN bytes, and the chunk
** goes on PLAIN.  For nearly unique values a dictionary is as large as the
** values themselves, and building it (a hash probe per value, missing the
** cache once the table is large) costs more than all the rest. */
static void drop_dictionary(pq_wcol *c) {
  plain_reset(c);
  for (int64_t i = 0; i < c->page_vals; i++) {
    size_t len;
    const uint8_t *p = dict_entry(c, c->idx[i], &len);
    if (c->s.type == PQ_BYTE_ARRAY) orb_buf_put_u32(&c->plain, (uint32_t)len);
    orb_buf_append(&c->plain, p, len);
  }
  orb_buf_reset(&c->dict);
  c->ndict = 0;
  if (c->table) memset(c->table, 0, sizeof(uint64_t) * ((size_t)c->table_mask + 1));
  c->dict_on = false;
}

/* --- pages ------------------------------------------------------------------------- */

/* Definition levels are stored only once a page has a NULL (until then the
** page's levels are one run of 1s, which flush_page writes without them):
** the page's first NULL, at row pos, fills in the 1s before it. */
static inline void def_null(pq_wcol *c, int64_t pos) {
  if (c->ps.nulls == 0)
    for (int64_t i = 0; i < pos; i++) c->defs[i] = 1;
  c->defs[pos] = 0;
  c->ps.nulls++;
}

static orb_status flush_page(pq_wcol *c, orb_err *e) {
  if (c->page_n == 0) return ORB_OK;
  const pq_write_opts *o = c->o;
  bool dict = c->dict_on && c->page_vals > 0;   /* a page of only NULLs needs no dictionary */
  orb_buf_reset(&c->levels);
  orb_buf_reset(&c->vals);
  orb_buf_reset(&c->body);
  orb_buf_reset(&c->comp);
  orb_buf_reset(&c->hdr);
  orb_buf_reset(&c->replev);
  const int64_t rows = c->list ? c->page_nrows : c->page_n;
  if (c->list) {   /* every entry's levels, as they are (a list's defs are never one run of 1s) */
    pq_rle_encode(c->reps, c->page_n, 1, &c->replev);
    pq_rle_encode(c->defs, c->page_n, pq_bit_width((uint32_t)c->max_def), &c->levels);
  } else if (c->max_def && c->page_vals == c->page_n) {   /* no NULL: one run of 1s */
    orb_buf_put_varint(&c->levels, (uint64_t)c->page_n << 1);
    orb_buf_put_u8(&c->levels, 1);
  } else if (c->max_def) {
    pq_rle_encode(c->defs, c->page_n, 1, &c->levels);
  }
  const uint8_t *values = (const uint8_t *)c->vals.data;   /* the page's encoded values */
  size_t nvalues = 0;
  if (dict) {
    int bw = pq_bit_width(c->ndict - 1);
    if (bw == 0) bw = 1;   /* a width of 0 is legal but not every reader takes it */
    orb_buf_put_u8(&c->vals, (uint8_t)bw);
    pq_rle_encode(c->idx, c->page_vals, bw, &c->vals);
    values = (const uint8_t *)c->vals.data, nvalues = c->vals.len;
  } else if (c->s.type == PQ_BOOLEAN) {   /* PLAIN booleans: bit-packed, least significant bit first */
    size_t nb = (size_t)(c->page_vals + 7) / 8;
    orb_buf_reserve(&c->vals, nb);
    memset(c->vals.data, 0, nb);
    for (int64_t i = 0; i < c->page_vals; i++) c->vals.data[i / 8] |= (char)(c->idx[i] << (i % 8));
    c->vals.len = nb;
    values = (const uint8_t *)c->vals.data, nvalues = c->vals.len;
  } else {
    values = (const uint8_t *)c->plain.data + PQ_PLAIN_HEAD, nvalues = plain_bytes(c);
  }
  pq_page_header h;
  memset(&h, 0, sizeof h);
  h.num_values = (int32_t)c->page_n;
  h.encoding = dict ? ENC_RLE_DICTIONARY : ENC_PLAIN;
  orb_status st;
  if (o->page_v2) {   /* levels first and never compressed, then the values */
    h.type = 3;
    h.num_nulls = (int32_t)(c->page_n - c->page_vals);
    h.num_rows = (int32_t)rows;
    h.rep_len = (int32_t)c->replev.len;
    h.def_len = (int32_t)c->levels.len;
    h.v2_compressed = o->codec != PQ_UNCOMPRESSED;
    orb_buf_append(&c->comp, c->replev.data, c->replev.len);
    orb_buf_append(&c->comp, c->levels.data, c->levels.len);
    st = pq_compress(c->z, values, nvalues, &c->comp, e);
    h.uncompressed_size = (int32_t)(c->replev.len + c->levels.len + nvalues);
  } else {            /* v1: the levels' length, the levels, the values; all compressed */
    h.type = 0;
    h.def_encoding = ENC_RLE;
    h.rep_encoding = ENC_RLE;
    size_t head = (c->list ? 4 + c->replev.len : 0) + (c->max_def ? 4 + c->levels.len : 0);
    const uint8_t *body;
    if (!c->list && !dict && c->s.type != PQ_BOOLEAN && head <= PQ_PLAIN_HEAD) {   /* the levels in front of the PLAIN values */
      uint8_t *p = (uint8_t *)c->plain.data + PQ_PLAIN_HEAD - head;
      if (c->max_def) {
        orb_store_u32le(p, (uint32_t)c->levels.len);
        memcpy(p + 4, c->levels.data, c->levels.len);
      }
      body = p;
    } else {
      if (c->list) {   /* repetition levels first (DataPageHeader: then the definition levels) */
        orb_buf_put_u32(&c->body, (uint32_t)c->replev.len);
        orb_buf_append(&c->body, c->replev.data, c->replev.len);
      }
      if (c->max_def) {
        orb_buf_put_u32(&c->body, (uint32_t)c->levels.len);
        orb_buf_append(&c->body, c->levels.data, c->levels.len);
      }
      orb_buf_append(&c->body, values, nvalues);
      body = (const uint8_t *)c->body.data;
    }
    st = pq_compress(c->z, body, head + nvalues, &c->comp, e);
    h.uncompressed_size = (int32_t)(head + nvalues);
  }
  if (st != ORB_OK) return st;
  h.compressed_size = (int32_t)c->comp.len;
  if (o->page_crc) {
    h.has_crc = true;
    h.crc = orb_crc32(0, c->comp.data, c->comp.len);
  }
  pq_page_header_encode(&h, &c->hdr);

  /* the page index entry, with the page's bounds */
  if ((size_t)c->npi == c->pi_cap) c->pi = orb_grow(c->pi, &c->pi_cap, (size_t)c->npi + 1, sizeof *c->pi);
  pq_wpage *pg = &c->pi[c->npi++];
  memset(pg, 0, sizeof *pg);
  pg->offset = (int64_t)c->pages.len;
  pg->size = (int32_t)(c->hdr.len + c->comp.len);
  pg->first_row = c->page_first_row;
  pg->nulls = c->ps.nulls;
  pg->null_page = c->page_vals == 0;
  pg->nan_only = c->page_vals > 0 && !c->ps.has;
  if (c->ps.has) {
    uint8_t tmp[8];
    const uint8_t *p;
    pg->lo = c->bounds.len;
    pg->lo_len = bound_bytes(c, &c->ps, false, tmp, &p);
    orb_buf_append(&c->bounds, p, pg->lo_len);
    pg->hi = c->bounds.len;
    pg->hi_len = bound_bytes(c, &c->ps, true, tmp, &p);
    orb_buf_append(&c->bounds, p, pg->hi_len);
  }

  /* the chunk's pages stay in memory until its row group is written: room
  ** for all of them at its first page, estimated from that page, so that a
  ** large row group is not copied again and again as its buffer doubles
  ** (memory reserved but never written costs nothing) */
  if (c->pages.len == 0 && rows > 0) {
    double est = (double)(c->hdr.len + c->comp.len) * ((double)o->row_group_rows / (double)rows) * 1.25;
    size_t want = est > (double)PQ_PAGES_RESERVE_MAX ? PQ_PAGES_RESERVE_MAX : (size_t)est;
    if (want > c->pages.cap) orb_buf_reserve(&c->pages, want);
  }
  orb_buf_append(&c->pages, c->hdr.data, c->hdr.len);
  orb_buf_append(&c->pages, c->comp.data, c->comp.len);
  c->uncompressed += (int64_t)c->hdr.len + h.uncompressed_size;
  c->chunk_values += c->page_n;
  if (dict) c->used_dict = true;
  else c->used_plain = true;
  stat_merge(c, &c->cs, &c->ps);
  stat_clear(&c->ps);
  c->page_serial++;
  c->page_first_row += rows;
  c->page_n = c->page_vals = c->page_nrows = 0;
  plain_reset(c);
  return ORB_OK;
}

/* The common case made cheap: integers and floats going PLAIN (no
** dictionary, no bloom filter), up to the end of the page, in one loop per
** physical type without the per-value dispatch.  The page's statistics
** are kept in locals meanwhile: the values are stored as bytes, which the
** compiler must assume could change *c, so fields of it would be reloaded
** and stored again for every value.  Returns the rows taken. */
static inline __attribute__((always_inline)) int64_t add_plain_kind(pq_wcol *c, const orb_value *v, int64_t n,
                                                                    const int type) {
  const pq_write_opts *o = c->o;
  const size_t w = type == PQ_INT32 || type == PQ_FLOAT ? 4 : 8;
  int64_t room = o->page_rows - c->page_n;
  int64_t by_bytes = (int64_t)((o->page_bytes > plain_bytes(c) ? o->page_bytes - plain_bytes(c) : 0) / w) + 1;
  if (room > by_bytes) room = by_bytes;
  if (n > room) n = room;
  orb_buf_reserve(&c->plain, (size_t)n * w);
  uint8_t *d = (uint8_t *)c->plain.data + c->plain.len;
  pq_wstat *s = &c->ps;
  bool has = s->has, nan = s->nan, any_null = s->nulls > 0;
  int64_t ilo = s->ilo, ihi = s->ihi;
  double dlo = s->dlo, dhi = s->dhi;
  uint32_t *defs = c->defs + c->page_n;
  int64_t vals = 0;
  for (int64_t r = 0; r < n; r++) {
    if (v[r].isnull) {
      def_null(c, c->page_n + r);
      any_null = true;
      continue;
    }
    if (any_null) defs[r] = 1;
    if (type == PQ_INT32 || type == PQ_INT64) {
      int64_t x = type == PQ_INT32 ? (int32_t)v[r].u.i : v[r].u.i;
      if (type == PQ_INT32) orb_store_u32le(d + (size_t)vals * 4, (uint32_t)x);
      else orb_store_u64le(d + (size_t)vals * 8, (uint64_t)x);
      if (!has) ilo = ihi = x, has = true;
      ilo = x < ilo ? x : ilo;
      ihi = x > ihi ? x : ihi;
    } else {
      double x = v[r].u.f;
      if (type == PQ_FLOAT) {
        float f = (float)x;
        memcpy(d + (size_t)vals * 4, &f, 4);
        x = f;
      } else {
        memcpy(d + (size_t)vals * 8, &x, 8);
      }
      if (isnan(x)) nan = true;   /* never a bound */
      else if (!has) dlo = dhi = x, has = true;
      else if (x < dlo) dlo = x;
      else if (x > dhi) dhi = x;
    }
    vals++;
  }
  s->has = has;
  s->nan = nan;
  s->ilo = ilo, s->ihi = ihi;
  s->dlo = dlo, s->dhi = dhi;
  c->plain.len += (size_t)vals * w;
  c->plain.data[c->plain.len] = '\0';
  c->page_n += n;
  c->page_vals += vals;
  c->chunk_rows += n;
  return n;
}

static int64_t add_plain_fixed(pq_wcol *c, const orb_value *v, int64_t n) {
  switch (c->s.type) {
  case PQ_INT32: return add_plain_kind(c, v, n, PQ_INT32);
  case PQ_INT64: return add_plain_kind(c, v, n, PQ_INT64);
  case PQ_FLOAT: return add_plain_kind(c, v, n, PQ_FLOAT);
  default: return add_plain_kind(c, v, n, PQ_DOUBLE);
  }
}

/* The other common case: dictionary encoding of fixed-width numbers or
** byte arrays, in a loop specialised by the value's kind (DK_*: the
** PLAIN width, or a byte array) so that a value costs its hash, one probe
** and a store.  It takes values up to and including the first one after
** which pq_wcol_add has something to decide — the page full, the
** dictionary probe point, the dictionary over its limit, the page's
** estimated size reached — and stops before a NULL of a NOT NULL column
** (the general path reports it).  Returns the rows taken. */
enum { DK_4 = 4, DK_8 = 8, DK_BYTES = 0 };

/* The page's values at which its estimated size, (pq_bit_width(ndict) + 1)
** bits a value, reaches page_bytes: pq_wcol_add's estimate, turned into a
** count that changes only when the dictionary grows. */
static int64_t dict_vals_cap(const pq_wcol *c) {
  uint64_t bits = (uint64_t)(33 - (c->ndict ? __builtin_clz(c->ndict) : 32));
  return (int64_t)(((uint64_t)c->o->page_bytes * 8 + bits - 1) / bits);
}

static inline __attribute__((always_inline)) int64_t add_dict_kind(pq_wcol *c, const orb_value *v, int64_t n, const int kind) {
  const pq_write_opts *o = c->o;
  const bool is_float = c->s.type == PQ_FLOAT || c->s.type == PQ_DOUBLE;
  const int64_t probe_at = c->used_dict ? -1 : o->dictionary_probe;
  int64_t vals_cap = dict_vals_cap(c);
  int64_t pn = c->page_n, pv = c->page_vals;   /* in locals until the end, as add_plain_kind keeps its statistics */
  int64_t r = 0;
  while (r < n) {
    const orb_value *x = &v[r];
    if (x->isnull) {
      if (!c->max_def) break;
      def_null(c, pn++);
    } else {
      if (c->ps.nulls) c->defs[pn] = 1;
      pn++;
      wval w;
      uint64_t h;
      if (kind == DK_8) {
        uint64_t bits;
        if (is_float) memcpy(&bits, &x->u.f, 8);
        else bits = (uint64_t)x->u.i;
        orb_store_u64le(w.tmp, bits);
        w.p = w.tmp, w.len = 8;
        h = c->bloom ? pq_bloom_hash(w.p, 8) : mix64(bits);
      } else if (kind == DK_4) {
        uint32_t bits;
        if (is_float) {
          float f = (float)x->u.f;
          memcpy(&bits, &f, 4);
        } else {
          bits = (uint32_t)(int32_t)x->u.i;
        }
        orb_store_u32le(w.tmp, bits);
        w.p = w.tmp, w.len = 4;
        h = c->bloom ? pq_bloom_hash(w.p, 4) : mix64(bits);
      } else {
        w.p = (const uint8_t *)x->u.s, w.len = x->len;
        h = c->bloom ? pq_bloom_hash(w.p, w.len) : XXH3_64bits(w.p, w.len);
      }
      /* the probe for an entry already there, inline with the kind's
      ** compare; dict_lookup for the rest (and adding) */
      bool added = false;
      uint32_t k = UINT32_MAX;
      if (c->table) {
        uint32_t slot = (uint32_t)h & c->table_mask;
        for (uint64_t t; (t = c->table[slot]) != 0; slot = (slot + 1) & c->table_mask) {
          if (t >> 32 != h >> 32) continue;
          uint32_t j = (uint32_t)t - 1;
          const uint8_t *p = (const uint8_t *)c->dict.data + (kind == DK_BYTES ? c->dict_off[j] : (size_t)j * (size_t)kind);
          if (kind == DK_8 ? orb_load_u64le(p) == orb_load_u64le(w.p)
              : kind == DK_4 ? orb_load_u32le(p) == orb_load_u32le(w.p)
                             : c->dict_hash[j] == h && orb_load_u32le(p - 4) == w.len && memcmp(p, w.p, w.len) == 0) {
            k = j;
            break;
          }
        }
      }
      if (k == UINT32_MAX) {
        k = dict_lookup(c, &w, h, &added);
        if (added && c->bloom) push_hash(c, h);
      }
      c->idx[pv] = k;
      if (c->dict_seen[k] != c->page_serial) {   /* the page's statistics take each entry once */
        c->dict_seen[k] = c->page_serial;
        if (kind == DK_BYTES) {
          stat_add(c, &c->ps, &w);
        } else {
          if (is_float) w.d = kind == DK_4 ? (double)(float)x->u.f : x->u.f;
          else w.i = kind == DK_4 ? (int32_t)x->u.i : x->u.i;
          stat_add(c, &c->ps, &w);
        }
      }
      pv++;
      if (added) vals_cap = dict_vals_cap(c);
      if (pv == probe_at || (added && c->dict.len > o->dictionary_bytes)) {
        r++;
        break;
      }
    }
    r++;
    if (pn >= o->page_rows || pv >= vals_cap) break;
  }
  c->page_n = pn;
  c->page_vals = pv;
  c->chunk_rows += r;
  return r;
}

static int64_t add_dict(pq_wcol *c, const orb_value *v, int64_t n) {
  switch (c->s.type) {
  case PQ_INT64: case PQ_DOUBLE: return add_dict_kind(c, v, n, DK_8);
  case PQ_INT32: case PQ_FLOAT: return add_dict_kind(c, v, n, DK_4);
  default: return add_dict_kind(c, v, n, DK_BYTES);
  }
}

/* A non-NULL value into the page (its level entry is the caller's): its
** dictionary index or PLAIN bytes, the statistics, the bloom filter. */
static inline void put_value(pq_wcol *c, const orb_value *v) {
  wval w;
  plain_of(c, v, &w);
  if (c->dict_on) {
    /* the page's statistics take each entry once: equal values give equal bounds */
    bool added;
    uint64_t h = value_hash(c, &w);
    uint32_t k = c->idx[c->page_vals] = dict_lookup(c, &w, h, &added);
    if (c->bloom && added) push_hash(c, h);
    if (c->dict_seen[k] != c->page_serial) {
      c->dict_seen[k] = c->page_serial;
      stat_add(c, &c->ps, &w);
    }
  } else {
    stat_add(c, &c->ps, &w);
    if (c->bloom) push_hash(c, pq_bloom_hash(w.p, w.len));
    if (c->s.type == PQ_BOOLEAN) c->idx[c->page_vals] = (uint32_t)w.i;
    else {
      if (c->s.type == PQ_BYTE_ARRAY) orb_buf_put_u32(&c->plain, (uint32_t)w.len);
      orb_buf_append(&c->plain, w.p, w.len);
    }
  }
  c->page_vals++;
}

/* --- lists ------------------------------------------------------------------------- */

/* Room in the page's level and index arrays for `more` entries. */
static void lev_room(pq_wcol *c, int64_t more) {
  size_t need = (size_t)(c->page_n + more);
  if (need <= c->lev_cap) return;
  size_t cap = c->lev_cap * 2 > need ? c->lev_cap * 2 : need;
  c->defs = orb_realloc(c->defs, sizeof(uint32_t) * cap);
  c->reps = orb_realloc(c->reps, sizeof(uint32_t) * cap);
  c->idx = orb_realloc(c->idx, sizeof(uint32_t) * cap);
  c->lev_cap = cap;
}

static inline void lev_put(pq_wcol *c, uint32_t rep, uint32_t def) {
  c->reps[c->page_n] = rep;
  c->defs[c->page_n] = def;
  c->page_n++;
  if ((int)def < c->max_def) c->ps.nulls++;   /* an entry without a value: parquet-mr's null count */
}

/* n rows of an ARRAY column: each row's entries (one for a NULL or empty
** list, one per element otherwise), its elements cast to the element type
** where they are of another.  Pages are cut between rows only, by rows
** (page_rows) and estimated bytes, with the flat path's dictionary rules
** decided after each row. */
static orb_status add_lists(pq_wcol *c, const orb_value *v, int64_t n, orb_err *e) {
  const pq_write_opts *o = c->o;
  const uint32_t max_def = (uint32_t)c->max_def, empty_def = max_def - 2;
  orb_arena_reset(&c->elem_cast);
  for (int64_t r = 0; r < n; r++) {
    const orb_value *x = &v[r];
    int64_t vals_before = c->page_vals;
    if (x->isnull) {
      if (empty_def == 0)
        return orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0, "parquet: NULL in column \"%s\" declared NOT NULL",
                            c->groups[0].name);
      lev_room(c, 1);
      lev_put(c, 0, 0);
    } else if (x->type != ORB_T_ARRAY) {
      return orb_err_set(e, ORB_ERR_TYPE, "parquet: column \"%s\": a value that is not an array", c->groups[0].name);
    } else {
      const orb_array *arr = x->u.arr;
      lev_room(c, arr->n ? arr->n : 1);
      if (arr->n == 0) lev_put(c, 0, empty_def);
      for (uint32_t k = 0; k < arr->n; k++) {
        const orb_value *it = &arr->items[k];
        if (it->isnull) {
          lev_put(c, k ? 1 : 0, max_def - 1);
          continue;
        }
        orb_value cv;
        if (it->type != c->elem_t.id || (it->type == ORB_T_DECIMAL && it->scale != c->elem_t.scale)) {
          orb_status st = orb_value_cast(it, c->elem_t, &c->elem_cast, &cv, e);
          if (st != ORB_OK) {
            orb_err_prefix(e, "parquet: column \"%s\": ", c->groups[0].name);
            return st;
          }
          it = &cv;
        }
        lev_put(c, k ? 1 : 0, max_def);
        put_value(c, it);
      }
    }
    c->page_nrows++;
    c->chunk_rows++;
    /* the dictionary probe, when this row's values passed its point */
    if (c->dict_on && !c->used_dict && o->dictionary_probe > 0 && vals_before < o->dictionary_probe &&
        c->page_vals >= o->dictionary_probe && (uint64_t)c->ndict * 10 > (uint64_t)c->page_vals * 9) {
      drop_dictionary(c);
      c->plain_chunks = PQ_PLAIN_CHUNKS;
    }
    bool fallback = c->dict_on && (c->dict.len > o->dictionary_bytes ||
                                   (c->page_nrows >= o->page_rows && c->ndict > (c->chunk_values + c->page_vals) / 2));
    size_t est = c->dict_on ? (size_t)c->page_vals * (size_t)(33 - (c->ndict ? __builtin_clz(c->ndict) : 32)) / 8
                            : plain_bytes(c);
    est += (size_t)c->page_n / 4;   /* the levels: a few bits an entry */
    if (c->page_nrows >= o->page_rows || est >= o->page_bytes || fallback) {
      orb_status st = flush_page(c, e);
      if (st != ORB_OK) return st;
      if (fallback) c->dict_on = false;
    }
  }
  return ORB_OK;
}

orb_status pq_wcol_add(pq_wcol *c, const orb_value *v, int64_t n, orb_err *e) {
  if (c->list) return add_lists(c, v, n, e);
  const pq_write_opts *o = c->o;
  bool fixed = (c->s.type == PQ_INT32 || c->s.type == PQ_INT64 || c->s.type == PQ_FLOAT || c->s.type == PQ_DOUBLE) &&
               c->t.id != ORB_T_DECIMAL && c->max_def > 0;
  bool dict_kind = ((c->s.type == PQ_INT32 || c->s.type == PQ_INT64 || c->s.type == PQ_FLOAT || c->s.type == PQ_DOUBLE) &&
                    c->t.id != ORB_T_DECIMAL) || c->s.type == PQ_BYTE_ARRAY;
  for (int64_t r = 0; r < n; r++) {
    if (fixed && !c->dict_on && !c->bloom) {
      r += add_plain_fixed(c, v + r, n - r) - 1;
      if (c->page_n >= o->page_rows || plain_bytes(c) >= o->page_bytes) {
        orb_status st = flush_page(c, e);
        if (st != ORB_OK) return st;
      }
      continue;
    }
    int64_t took = dict_kind && c->dict_on ? add_dict(c, v + r, n - r) : 0;
    if (took > 0) {
      r += took - 1;   /* the checks below, after the last value taken (none held before it) */
    } else if (v[r].isnull) {
      if (!c->max_def)
        return orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0, "parquet: NULL in column \"%s\" declared NOT NULL", c->s.name);
      def_null(c, c->page_n++);
      c->chunk_rows++;
    } else {
      if (c->ps.nulls) c->defs[c->page_n] = 1;
      c->page_n++;
      put_value(c, &v[r]);
      c->chunk_rows++;
    }
    /* nearly every value new so far, before any page used the dictionary
    ** (never newly true after a NULL: nothing it reads has changed) */
    if (c->dict_on && !c->used_dict && c->page_vals == o->dictionary_probe &&
        (uint64_t)c->ndict * 10 > (uint64_t)c->page_vals * 9) {
      drop_dictionary(c);
      c->plain_chunks = PQ_PLAIN_CHUNKS;
    }
    /* a dictionary past its limit, or one that holds most values once a
    ** page is full (nearly unique values, which a dictionary only makes
    ** bigger and slower): this page is its last user, the rest of the chunk PLAIN */
    bool fallback = c->dict_on && (c->dict.len > o->dictionary_bytes ||
                                   (c->page_n >= o->page_rows && c->ndict > (c->chunk_values + c->page_n) / 2));
    size_t est = c->dict_on ? (size_t)c->page_vals * (size_t)(33 - (c->ndict ? __builtin_clz(c->ndict) : 32)) / 8
                            : plain_bytes(c);   /* (pq_bit_width(ndict) + 1) bits a value */
    if (c->page_n >= o->page_rows || est >= o->page_bytes || fallback) {
      orb_status st = flush_page(c, e);
      if (st != ORB_OK) return st;
      if (fallback) c->dict_on = false;
    }
  }
  return ORB_OK;
}

orb_status pq_wcol_finish(pq_wcol *c, orb_buf *dict_page, orb_err *e) {
  orb_status st = flush_page(c, e);
  if (st != ORB_OK) return st;
  orb_buf_reset(dict_page);
  if (!c->used_dict) return ORB_OK;
  orb_buf_reset(&c->comp);
  if ((st = pq_compress(c->z, c->dict.data, c->dict.len, &c->comp, e)) != ORB_OK) return st;
  pq_page_header h;
  memset(&h, 0, sizeof h);
  h.type = 2;
  h.num_values = (int32_t)c->ndict;
  h.encoding = ENC_PLAIN;
  h.uncompressed_size = (int32_t)c->dict.len;
  h.compressed_size = (int32_t)c->comp.len;
  if (c->o->page_crc) {
    h.has_crc = true;
    h.crc = orb_crc32(0, c->comp.data, c->comp.len);
  }
  pq_page_header_encode(&h, dict_page);
  c->uncompressed += (int64_t)dict_page->len + h.uncompressed_size;
  orb_buf_append(dict_page, c->comp.data, c->comp.len);
  return ORB_OK;
}

void pq_wcol_reset(pq_wcol *c) {
  c->dict_on = c->o->dictionary && c->s.type != PQ_BOOLEAN;
  if (c->dict_on && c->plain_chunks > 0) {   /* values nearly unique lately: the next chunks skip the dictionary */
    c->plain_chunks--;
    c->dict_on = false;
  }
  orb_buf_reset(&c->dict);
  c->ndict = 0;
  if (c->table) memset(c->table, 0, sizeof(uint64_t) * ((size_t)c->table_mask + 1));
  stat_clear(&c->cs);
  orb_buf_reset(&c->pages);
  orb_buf_reset(&c->bounds);
  c->chunk_rows = c->chunk_values = c->uncompressed = 0;
  c->page_first_row = 0;
  c->used_plain = c->used_dict = false;
  c->npi = 0;
  c->nhash = 0;
}
