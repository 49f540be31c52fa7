/* tests/formats/test_pq_index.c — page indexes and bloom filters read from
** files other systems wrote (parquet-testing, by parquet-mr and Arrow):
** every OffsetIndex entry is a data page pq_chunk_walk finds at that offset
** with that size and first row; every ColumnIndex min/max bounds the values
** the page decodes to (and equals them for integers, where no writer
** truncates), null pages and null counts match the decoded nulls; every
** value of a bloom-filtered column probes present, values not in it mostly
** absent; malformed and unsupported headers fail with clear errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/parquet/parquet.h"

#define FX "../shared/fixtures/parquet-testing/data/"

/* Every data page of a chunk as pq_chunk_walk finds it. */
typedef struct walked {
  int64_t pos;                   /* file offset of the next page header */
  int n;
  int64_t offset[4096], size[4096], first_row[4096], rows;
} walked;

static orb_status on_page(void *arg, const pq_page_header *h, const uint8_t *page, size_t len, orb_err *e) {
  (void)page, (void)len, (void)e;
  walked *w = arg;
  int64_t size = (int64_t)h->header_len + h->compressed_size;
  if ((h->type == 0 || h->type == 3) && w->n < 4096) {
    w->offset[w->n] = w->pos;
    w->size[w->n] = size;
    w->first_row[w->n] = w->rows;
    w->n++;
    w->rows += h->num_values;   /* flat columns: a value per row */
  }
  w->pos += size;
  return ORB_OK;
}

/* Physical order of a decoded value against PLAIN statistics bytes, for
** the types whose order is the native signed / IEEE / unsigned-bytes one. */
static int cmp_slot(const pq_column *c, int64_t row, pq_bytes b) {
  const uint8_t *slot = (const uint8_t *)c->values + (size_t)row * pq_value_size(c->type);
  switch (c->type) {
  case PQ_BOOLEAN: return (int)slot[0] - (int)b.data[0];
  case PQ_INT32: {
    int32_t x, y;
    memcpy(&x, slot, 4), memcpy(&y, b.data, 4);
    return x < y ? -1 : x > y;
  }
  case PQ_INT64: {
    int64_t x, y;
    memcpy(&x, slot, 8), memcpy(&y, b.data, 8);
    return x < y ? -1 : x > y;
  }
  case PQ_FLOAT: {
    float x, y;
    memcpy(&x, slot, 4), memcpy(&y, b.data, 4);
    return x < y ? -1 : x > y;
  }
  case PQ_DOUBLE: {
    double x, y;
    memcpy(&x, slot, 8), memcpy(&y, b.data, 8);
    return x < y ? -1 : x > y;
  }
  default: {
    const pq_bytes *v = (const pq_bytes *)(const void *)slot;
    size_t n = v->len < b.len ? v->len : b.len;
    int k = n ? memcmp(v->data, b.data, n) : 0;
    return k ? (k < 0 ? -1 : 1) : (v->len < b.len ? -1 : v->len > b.len);
  }
  }
}

static bool native_order(const pq_schema_elem *s) {
  if (s->type == PQ_INT96 || s->type == PQ_FIXED_LEN_BYTE_ARRAY) return false;
  if (s->logical.kind == PQ_LT_DECIMAL || s->converted_type == 5) return s->type == PQ_INT32 || s->type == PQ_INT64;
  if (s->logical.kind == PQ_LT_INTEGER && !s->logical.is_signed) return false;
  if (s->converted_type >= 11 && s->converted_type <= 14) return false;
  return true;
}

typedef struct tally {
  int chunks, pages, checked_pages;
} tally;

static void check_file(const char *path, tally *t) {
  pq_file_meta *m;
  orb_err e;
  orb_err_clear(&e);
  orb_status st = pq_read_footer(path, &m, &e);
  if (st != ORB_OK) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  pq_source src = {path, NULL, 0};
  bool flat = true;
  for (int i = 1; i < m->nschema; i++) flat &= m->schema[i].num_children <= 0 && m->schema[i].repetition != PQ_REPEATED;
  static walked w;
  for (int g = 0; g < m->nrow_groups; g++)
    for (int c = 0; c < m->row_groups[g].ncolumns; c++) {
      const pq_chunk *k = &m->row_groups[g].columns[c];
      if (!k->has_offset_index) continue;
      orb_arena a;
      orb_arena_init(&a, 0);
      pq_offset_index oi;
      st = pq_read_offset_index(&src, m, g, c, 0, &a, &oi, &e);
      if (st != ORB_OK) fprintf(stderr, "%s\n", e.msg);
      assert_int_equal(st, ORB_OK);
      memset(&w, 0, sizeof w);
      w.pos = k->has_dictionary_page && k->dictionary_page_offset > 0 && k->dictionary_page_offset < k->data_page_offset
                  ? k->dictionary_page_offset
                  : k->data_page_offset;
      assert_int_equal(pq_chunk_walk(path, m, g, c, 0, on_page, &w, &e), ORB_OK);
      t->chunks++;
      if (flat) {   /* rows are values only in flat files */
        assert_int_equal(oi.npages, w.n);
        for (int i = 0; i < w.n; i++) {
          assert_int_equal(oi.pages[i].offset, w.offset[i]);
          assert_int_equal(oi.pages[i].compressed_page_size, w.size[i]);
          assert_int_equal(oi.pages[i].first_row_index, w.first_row[i]);
        }
      }
      t->pages += oi.npages;
      if (k->has_column_index && flat) {
        pq_column_index ci;
        st = pq_read_column_index(&src, m, g, c, 0, &a, &ci, &e);
        if (st != ORB_OK) fprintf(stderr, "%s\n", e.msg);
        assert_int_equal(st, ORB_OK);
        assert_int_equal(ci.npages, oi.npages);
        pq_column col;
        const pq_schema_elem *s = &m->schema[c + 1];
        if (pq_read_flat_column(path, m, g, c, 0, &col, &e) == ORB_OK) {
          for (int i = 0; i < ci.npages; i++) {
            int64_t lo = oi.pages[i].first_row_index;
            int64_t hi = i + 1 < oi.npages ? oi.pages[i + 1].first_row_index : col.n;
            int64_t nulls = 0, minrow = -1, maxrow = -1;
            for (int64_t r = lo; r < hi; r++) {
              if (col.nulls[r]) {
                nulls++;
                continue;
              }
              if (!native_order(s)) continue;
              if (minrow < 0) minrow = maxrow = r;
              assert_true(cmp_slot(&col, r, ci.min_values[i]) >= 0);
              assert_true(cmp_slot(&col, r, ci.max_values[i]) <= 0);
              /* the bounds are attained: some value equals each (integers, booleans: never truncated) */
              if (cmp_slot(&col, r, ci.min_values[i]) == 0) minrow = r;
              if (cmp_slot(&col, r, ci.max_values[i]) == 0) maxrow = r;
            }
            assert_int_equal(ci.null_pages[i], nulls == hi - lo);
            if (ci.has_null_counts) assert_int_equal(ci.null_counts[i], nulls);
            if (native_order(s) && nulls < hi - lo && s->type != PQ_BYTE_ARRAY) {
              assert_int_equal(cmp_slot(&col, minrow, ci.min_values[i]), 0);
              assert_int_equal(cmp_slot(&col, maxrow, ci.max_values[i]), 0);
            }
            t->checked_pages++;
          }
        }
        pq_column_free(&col);
      }
      orb_arena_free(&a);
    }
  pq_meta_free(m);
}

static void test_page_index_against_pages(void **state) {
  (void)state;
  static const char *const files[] = {"alltypes_tiny_pages.parquet", "alltypes_tiny_pages_plain.parquet",
                                      "data_index_bloom_encoding_stats.parquet",
                                      "data_index_bloom_encoding_with_length.parquet", "int32_with_null_pages.parquet",
                                      "binary_truncated_min_max.parquet"};
  tally t = {0, 0, 0};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, FX "%s", files[i]);
    tally one = {0, 0, 0};
    check_file(path, &one);
    printf("%s: %d chunks, %d pages in offset indexes, %d pages checked against their values\n", files[i], one.chunks,
           one.pages, one.checked_pages);
    assert_true(one.chunks > 0);
    t.chunks += one.chunks, t.pages += one.pages, t.checked_pages += one.checked_pages;
  }
  assert_true(t.checked_pages > 1000);   /* alltypes_tiny_pages alone has hundreds of pages per column */
}

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)n + 1);
  assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* The String column of the two bloom-filter fixtures (parquet-mr writes no
** bloom_filter_length, parquet-rs writes one): each of its values probes
** present, which checks pq_bloom.c's hash, block choice and bit layout
** against two other implementations; strings not in it mostly probe absent. */
static void test_bloom_filters_of_fixtures(void **state) {
  (void)state;
  static const char *const files[] = {"data_index_bloom_encoding_stats.parquet",
                                      "data_index_bloom_encoding_with_length.parquet"};
  for (int f = 0; f < 2; f++) {
    char path[512];
    snprintf(path, sizeof path, FX "%s", files[f]);
    pq_file_meta *m;
    orb_err e;
    assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
    assert_true(m->row_groups[0].columns[0].has_bloom_filter);
    assert_int_equal(m->row_groups[0].columns[0].bloom_filter_length > 0, f == 1);
    pq_source src = {path, NULL, 0};
    orb_arena a;
    orb_arena_init(&a, 0);
    pq_bloom_filter bf;
    orb_status st = pq_read_bloom_filter(&src, m, 0, 0, 0, &a, &bf, &e);
    if (st != ORB_OK) fprintf(stderr, "%s\n", e.msg);
    assert_int_equal(st, ORB_OK);
    pq_column col;
    assert_int_equal(pq_read_flat_column(path, m, 0, 0, 0, &col, &e), ORB_OK);
    int present = 0;
    for (int64_t r = 0; r < col.n; r++) {
      if (col.nulls[r]) continue;
      const pq_bytes *v = (const pq_bytes *)col.values + r;
      assert_true(pq_bloom_check(bf.bitset, bf.nbytes, pq_bloom_hash(v->data, v->len)));
      present++;
    }
    int absent = 0, probes = 0;
    for (int i = 0; i < 10000; i++) {
      char s[32];
      int n = snprintf(s, sizeof s, "not there %d", i);
      probes++;
      absent += !pq_bloom_check(bf.bitset, bf.nbytes, pq_bloom_hash(s, (size_t)n));
    }
    printf("%s: %d values present in a %zu-byte filter; %d of %d absent strings probe absent\n", files[f], present,
           bf.nbytes, absent, probes);
    assert_true(present > 0);
    assert_true(absent * 100 >= probes * 95);
    pq_column_free(&col);
    orb_arena_free(&a);
    pq_meta_free(m);
  }
}

/* A one-chunk file whose bloom filter sits at offset 0 of image. */
static void one_chunk(pq_file_meta *m, pq_row_group *g, pq_chunk *c, int32_t length) {
  memset(m, 0, sizeof *m), memset(g, 0, sizeof *g), memset(c, 0, sizeof *c);
  c->has_meta = true;
  c->has_bloom_filter = true;
  c->bloom_filter_length = length;
  g->columns = c;
  g->ncolumns = 1;
  m->row_groups = g;
  m->nrow_groups = 1;
}

/* bloom_filter.xxhash.bin: a bare filter holding "hello", "parquet",
** "bloom", "filter" (data/README.md). */
static void test_bloom_filter_bin(void **state) {
  (void)state;
  size_t len;
  uint8_t *img = slurp(FX "bloom_filter.xxhash.bin", &len);
  pq_file_meta m;
  pq_row_group g;
  pq_chunk c;
  one_chunk(&m, &g, &c, 0);
  pq_source src = {"bloom_filter.xxhash.bin", img, len};
  orb_arena a;
  orb_arena_init(&a, 0);
  pq_bloom_filter bf;
  orb_err e;
  assert_int_equal(pq_read_bloom_filter(&src, &m, 0, 0, 0, &a, &bf, &e), ORB_OK);
  assert_int_equal(bf.nbytes, 1024);
  static const char *const in[] = {"hello", "parquet", "bloom", "filter"};
  for (int i = 0; i < 4; i++) assert_true(pq_bloom_check(bf.bitset, bf.nbytes, pq_bloom_hash(in[i], strlen(in[i]))));
  int absent = 0;
  for (int i = 0; i < 1000; i++) {
    char s[32];
    int n = snprintf(s, sizeof s, "word%d", i);
    absent += !pq_bloom_check(bf.bitset, bf.nbytes, pq_bloom_hash(s, (size_t)n));
  }
  printf("bloom_filter.xxhash.bin: 4 words present, %d of 1000 others absent\n", absent);
  assert_true(absent >= 990);
  /* the wrong length, a truncated bitset */
  one_chunk(&m, &g, &c, 1000);
  assert_int_equal(pq_read_bloom_filter(&src, &m, 0, 0, 0, &a, &bf, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "bloom_filter_length says 1000"));
  one_chunk(&m, &g, &c, 0);
  src.len = 600;
  assert_int_equal(pq_read_bloom_filter(&src, &m, 0, 0, 0, &a, &bf, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "outside the file"));
  orb_arena_free(&a);
  free(img);
}

static void expect_header_error(const uint8_t *h, size_t n, orb_status want, const char *msg) {
  uint8_t img[64 + 2048];
  memset(img, 0, sizeof img);
  memcpy(img, h, n);
  pq_file_meta m;
  pq_row_group g;
  pq_chunk c;
  one_chunk(&m, &g, &c, 0);
  pq_source src = {"x.parquet", img, sizeof img};
  orb_arena a;
  orb_arena_init(&a, 0);
  pq_bloom_filter bf;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(pq_read_bloom_filter(&src, &m, 0, 0, 0, &a, &bf, &e), want);
  if (!strstr(e.msg, msg)) fail_msg("expected \"%s\" in: %s", msg, e.msg);
  assert_non_null(strstr(e.msg, "x.parquet"));
  orb_arena_free(&a);
}

static void test_bloom_header_errors(void **state) {
  (void)state;
  /* numBytes 1024 (zigzag varint 80 10), then the BLOCK / XXHASH / UNCOMPRESSED unions */
  const uint8_t ok[] = {0x15, 0x80, 0x10, 0x1c, 0x1c, 0x00, 0x00, 0x1c, 0x1c, 0x00, 0x00, 0x1c, 0x1c, 0x00, 0x00, 0x00};
  uint8_t h[sizeof ok];
  memcpy(h, ok, sizeof h);
  h[4] = 0x2c;   /* algorithm member 2 */
  expect_header_error(h, sizeof h, ORB_ERR_UNSUPPORTED, "unsupported algorithm (member 2)");
  memcpy(h, ok, sizeof h);
  h[8] = 0x3c;   /* hash member 3 */
  expect_header_error(h, sizeof h, ORB_ERR_UNSUPPORTED, "unsupported hash (member 3)");
  memcpy(h, ok, sizeof h);
  h[12] = 0x2c;  /* compression member 2 */
  expect_header_error(h, sizeof h, ORB_ERR_UNSUPPORTED, "unsupported compression (member 2)");
  memcpy(h, ok, sizeof h);
  h[1] = 0x82;   /* numBytes 1025 */
  expect_header_error(h, sizeof h, ORB_ERR_CORRUPT, "bitset of 1025 bytes");
  expect_header_error(ok, 3, ORB_ERR_CORRUPT, "required header field is missing");
  const uint8_t deep[] = {0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c};
  expect_header_error(deep, sizeof deep, ORB_ERR_CORRUPT, "bloom filter of column chunk 0 of row group 0");
}

/* Footers that lie about where the page index is, or indexes whose lists disagree. */
static void test_index_errors(void **state) {
  (void)state;
  size_t len;
  uint8_t *img = slurp(FX "alltypes_tiny_pages_plain.parquet", &len);
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_footer_from_image(img, len, "tiny.parquet", &m, &e), ORB_OK);
  pq_source src = {"tiny.parquet", img, len};
  orb_arena a;
  orb_arena_init(&a, 0);
  pq_offset_index oi;
  pq_column_index ci;
  pq_chunk *c = &m->row_groups[0].columns[1];
  assert_int_equal(pq_read_offset_index(&src, m, 0, 1, 0, &a, &oi, &e), ORB_OK);
  assert_int_equal(pq_read_column_index(&src, m, 0, 1, 0, &a, &ci, &e), ORB_OK);
  /* a memory limit below the index's size */
  assert_int_equal(pq_read_offset_index(&src, m, 0, 1, 64, &a, &oi, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "over the memory limit"));
  int32_t oil = c->offset_index_length;
  c->offset_index_length = oil - 3;   /* cut short */
  assert_int_equal(pq_read_offset_index(&src, m, 0, 1, 0, &a, &oi, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "offset index of column chunk 1 of row group 0: malformed"));
  c->offset_index_length = oil;
  int64_t cio = c->column_index_offset;
  c->column_index_offset = (int64_t)len - 4;   /* past the end */
  assert_int_equal(pq_read_column_index(&src, m, 0, 1, 0, &a, &ci, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "outside the file"));
  c->column_index_offset = cio;
  /* the column index of another chunk (of another column): the page counts disagree, which pq_prune checks;
  ** here the offset index read as a column index lacks its required fields */
  c->column_index_offset = c->offset_index_offset;
  c->column_index_length = c->offset_index_length;
  assert_int_equal(pq_read_column_index(&src, m, 0, 1, 0, &a, &ci, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "column index of column chunk 1 of row group 0"));
  orb_arena_free(&a);
  pq_meta_free(m);
  free(img);
}

/* Reading only some pages (pq_read_flat_pages) gives exactly the values of
** those pages' rows in a whole-chunk read, for random subsets of pages of
** every column of the tiny-pages fixtures (dictionary and PLAIN). */
static void test_read_some_pages(void **state) {
  (void)state;
  static const char *const files[] = {"alltypes_tiny_pages.parquet", "alltypes_tiny_pages_plain.parquet",
                                      "int32_with_null_pages.parquet"};
  uint64_t rnd = 12345;
  long compared = 0;
  for (int f = 0; f < 3; f++) {
    char path[512];
    snprintf(path, sizeof path, FX "%s", files[f]);
    pq_file_meta *m;
    orb_err e;
    assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
    pq_source src = {path, NULL, 0};
    for (int c = 0; c < m->row_groups[0].ncolumns; c++) {
      orb_arena a;
      orb_arena_init(&a, 0);
      pq_offset_index oi;
      assert_int_equal(pq_read_offset_index(&src, m, 0, c, 0, &a, &oi, &e), ORB_OK);
      pq_column whole;
      assert_int_equal(pq_read_flat_column(path, m, 0, c, 0, &whole, &e), ORB_OK);
      size_t w = pq_value_size(whole.type);
      for (int trial = 0; trial < 4; trial++) {
        bool *want = calloc((size_t)oi.npages + 1, 1);
        for (int i = 0; i < oi.npages; i++) {
          rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
          want[i] = trial == 0 ? i == oi.npages - 1 : (rnd >> 33) % 5 == 0;
        }
        pq_column some;
        orb_status st = pq_read_flat_pages(&src, m, 0, c, 0, &oi, want, &some, &e);
        if (st != ORB_OK) fail_msg("%s column %d: %s", files[f], c, e.msg);
        int64_t at = 0;
        for (int i = 0; i < oi.npages; i++) {
          if (!want[i]) continue;
          int64_t lo = oi.pages[i].first_row_index, hi = i + 1 < oi.npages ? oi.pages[i + 1].first_row_index : whole.n;
          for (int64_t r = lo; r < hi; r++, at++) {
            assert_true(at < some.n);
            assert_int_equal(some.nulls[at], whole.nulls[r]);
            if (whole.nulls[r]) continue;
            const uint8_t *x = (const uint8_t *)some.values + (size_t)at * w, *y = (const uint8_t *)whole.values + (size_t)r * w;
            if (whole.type == PQ_BYTE_ARRAY || whole.type == PQ_FIXED_LEN_BYTE_ARRAY) {
              const pq_bytes *bx = (const pq_bytes *)(const void *)x, *by = (const pq_bytes *)(const void *)y;
              assert_int_equal(bx->len, by->len);
              assert_memory_equal(bx->data, by->data, bx->len);
            } else {
              assert_memory_equal(x, y, w);
            }
            compared++;
          }
        }
        assert_int_equal(at, some.n);
        pq_column_free(&some);
        free(want);
      }
      pq_column_free(&whole);
      orb_arena_free(&a);
    }
    pq_meta_free(m);
  }
  printf("%ld values read page by page equal the whole-chunk read\n", compared);
  assert_true(compared > 10000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_page_index_against_pages),
    cmocka_unit_test(test_bloom_filters_of_fixtures),
    cmocka_unit_test(test_bloom_filter_bin),
    cmocka_unit_test(test_bloom_header_errors),
    cmocka_unit_test(test_index_errors),
    cmocka_unit_test(test_read_some_pages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
