/* tests/formats/test_pq_write.c — the Parquet writer checked against its own
** file: every OffsetIndex entry against the page headers found by walking
** the chunk, the ColumnIndex bounds, null pages and boundary order against
** the rows written, the footer's key/value metadata, field ids, column
** orders and created_by read back by the reader; errors for INTERVAL and
** for NULL in a NOT NULL column; a file with no rows; a column whose
** dictionary was dropped at the probe starting its next chunks PLAIN, and
** definition levels of pages whose first NULL is mid-page.  (Values and
** statistics against DuckDB: parquet_write_test.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/mem.h"
#include "formats/parquet/parquet.h"
#include "formats/thrift/thrift.h"

static char path[64];

static int setup(void **state) {
  (void)state;
  snprintf(path, sizeof path, "/tmp/test_pq_write_%d.parquet", (int)getpid());
  return 0;
}

static int teardown(void **state) {
  (void)state;
  unlink(path);
  return 0;
}

static uint8_t *slurp(size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = orb_malloc(*len);
  assert_int_equal(fread(b, 1, *len, f), *len);
  fclose(f);
  return b;
}

/* 50,000 rows in row groups of 20,000 and pages of 1,000 rows: id BIGINT
** NOT NULL ascending; n TEXT, NULL in rows 0..999 (a page of only NULLs)
** and every 3rd row after. */
#define ROWS 50000
static void write_file(void) {
  pq_write_opts o;
  pq_write_opts_init(&o);
  o.row_group_rows = 20000;
  o.page_rows = 1000;
  pq_kv kv[] = {{"k1", "v1"}, {"k2", NULL}};
  o.kv = kv;
  o.nkv = 2;
  pq_write_column cols[] = {{"id", orb_type_make(ORB_T_INT64), false, 7, true, 0},
                            {"n", orb_type_make(ORB_T_TEXT), true, 9, false, 0}};
  pq_writer *w;
  orb_err e;
  assert_int_equal(pq_writer_open(path, cols, 2, &o, &w, &e), ORB_OK);
  orb_value *id = orb_malloc(sizeof(orb_value) * ROWS), *n = orb_malloc(sizeof(orb_value) * ROWS);
  char (*txt)[16] = orb_malloc(16 * (size_t)ROWS);
  for (int i = 0; i < ROWS; i++) {
    id[i] = orb_int(ORB_T_INT64, i);
    snprintf(txt[i], 16, "v%05d", i);
    n[i] = i < 1000 || i % 3 == 0 ? orb_null(ORB_T_TEXT) : orb_text(txt[i], strlen(txt[i]));
  }
  const orb_value *batch[2] = {id, n};
  assert_int_equal(pq_writer_write(w, batch, 12345, &e), ORB_OK);   /* two uneven batches */
  batch[0] = id + 12345;
  batch[1] = n + 12345;
  assert_int_equal(pq_writer_write(w, batch, ROWS - 12345, &e), ORB_OK);
  assert_int_equal(pq_writer_rows(w), ROWS);
  assert_int_equal(pq_writer_close(w, &e), ORB_OK);
  orb_free(id);
  orb_free(n);
  orb_free(txt);
}

static void test_footer(void **state) {
  (void)state;
  write_file();
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  assert_int_equal(m->num_rows, ROWS);
  assert_int_equal(m->nrow_groups, 3);
  assert_int_equal(m->row_groups[2].num_rows, 10000);
  assert_int_equal(m->nkv, 2);
  assert_string_equal(m->kv[0].key, "k1");
  assert_string_equal(m->kv[0].value, "v1");
  assert_null(m->kv[1].value);
  assert_true(strncmp(m->created_by, "orbit version " ORBIT_VERSION " (build ", 15 + strlen(ORBIT_VERSION)) == 0);
  assert_int_equal(m->ncolumn_orders, 2);
  assert_int_equal(m->column_orders[0], 1);
  assert_true(m->schema[1].has_field_id);
  assert_int_equal(m->schema[1].field_id, 7);
  assert_int_equal(m->schema[1].repetition, PQ_REQUIRED);
  assert_int_equal(m->schema[2].field_id, 9);
  assert_int_equal(m->schema[2].logical.kind, PQ_LT_STRING);
  const pq_chunk *id0 = &m->row_groups[0].columns[0];
  assert_true(id0->has_stats);
  assert_int_equal(id0->stats.min_value.len, 8);
  assert_int_equal(orb_load_u64le(id0->stats.max_value.data), 19999);
  assert_true(id0->has_bloom_filter);
  assert_false(m->row_groups[0].columns[1].has_bloom_filter);
  /* the bloom filter: a header, then a bitset in which every id of the row group is set */
  size_t len;
  uint8_t *file = slurp(&len);
  tc_reader r;
  tc_init(&r, file + id0->bloom_filter_offset, (size_t)id0->bloom_filter_length);
  tc_struct_begin(&r);
  int16_t fid = 0;
  int t;
  int32_t nbytes = 0;
  while (tc_field(&r, &fid, &t)) {
    if (fid == 1) nbytes = tc_i32(&r);
    else tc_skip(&r, t);
  }
  assert_false(r.failed);
  assert_int_equal(tc_offset(&r) + (size_t)nbytes, (size_t)id0->bloom_filter_length);
  const uint8_t *bits = file + id0->bloom_filter_offset + tc_offset(&r);
  for (int i = 0; i < 20000; i++) assert_true(pq_bloom_check(bits, (size_t)nbytes, pq_bloom_hash_i64(i)));
  int hits = 0;
  for (int i = 20000; i < 30000; i++) hits += pq_bloom_check(bits, (size_t)nbytes, pq_bloom_hash_i64(i));
  assert_true(hits < 500);   /* a 1% false-positive rate, with room */
  orb_free(file);
  pq_meta_free(m);
}

/* OffsetIndex at off: its page locations. */
static int offset_index(const uint8_t *p, size_t n, pq_page_location *out, int cap) {
  tc_reader r;
  tc_init(&r, p, n);
  tc_struct_begin(&r);
  int16_t id = 0;
  int t, k = 0;
  while (tc_field(&r, &id, &t)) {
    if (id != 1) {
      tc_skip(&r, t);
      continue;
    }
    int et;
    int64_t cnt;
    tc_list(&r, &et, &cnt);
    for (int64_t i = 0; i < cnt; i++) {
      assert_true(k < cap);
      tc_struct_begin(&r);
      int16_t fid = 0;
      int ft;
      while (tc_field(&r, &fid, &ft)) {
        if (fid == 1) out[k].offset = tc_i64(&r);
        else if (fid == 2) out[k].compressed_page_size = tc_i32(&r);
        else if (fid == 3) out[k].first_row_index = tc_i64(&r);
        else tc_skip(&r, ft);
      }
      k++;
    }
  }
  assert_false(r.failed);
  assert_int_equal(tc_offset(&r), n);
  return k;
}

/* ColumnIndex: null_pages, min/max of INT64 pages, boundary order, null counts. */
typedef struct col_index {
  int n;
  bool null_page[64];
  int64_t lo[64], hi[64], nulls[64];
  size_t lo_len[64];
  int order;
} col_index;

static void column_index(const uint8_t *p, size_t n, col_index *ci) {
  memset(ci, 0, sizeof *ci);
  tc_reader r;
  tc_init(&r, p, n);
  tc_struct_begin(&r);
  int16_t id = 0;
  int t, et;
  int64_t cnt;
  while (tc_field(&r, &id, &t)) {
    if (id == 4) {
      ci->order = tc_i32(&r);
      continue;
    }
    if (t != TC_LIST) {
      tc_skip(&r, t);
      continue;
    }
    tc_list(&r, &et, &cnt);
    assert_true(cnt <= 64);
    ci->n = (int)cnt;
    for (int64_t i = 0; i < cnt; i++) {
      if (id == 1) ci->null_page[i] = tc_bool_elem(&r);
      else if (id == 5) ci->nulls[i] = tc_i64(&r);
      else {
        size_t len;
        const uint8_t *b = tc_binary(&r, &len);
        if (id == 2) ci->lo_len[i] = len;
        if (len == 8) (id == 2 ? ci->lo : ci->hi)[i] = (int64_t)orb_load_u64le(b);
      }
    }
  }
  assert_false(r.failed);
}

static void test_page_index(void **state) {
  (void)state;
  write_file();
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  size_t len;
  uint8_t *file = slurp(&len);
  for (int g = 0; g < m->nrow_groups; g++) {
    int64_t group_first = (int64_t)g * 20000;
    for (int c = 0; c < 2; c++) {
      const pq_chunk *ch = &m->row_groups[g].columns[c];
      assert_true(ch->has_offset_index && ch->has_column_index);
      pq_page_location loc[64];
      int np = offset_index(file + ch->offset_index_offset, (size_t)ch->offset_index_length, loc, 64);
      /* walk the data pages from data_page_offset: each must be where the index says */
      int64_t pos = ch->data_page_offset, row = 0;
      int k = 0;
      while (pos < (ch->has_dictionary_page ? ch->dictionary_page_offset : ch->data_page_offset) + ch->total_compressed_size) {
        pq_page_header h;
        assert_int_equal(pq_page_header_decode(file + pos, len - (size_t)pos, "t", &h, &e), ORB_OK);
        assert_true(h.type == 0);
        assert_true(k < np);
        assert_int_equal(loc[k].offset, pos);
        assert_int_equal(loc[k].compressed_page_size, (int64_t)h.header_len + h.compressed_size);
        assert_int_equal(loc[k].first_row_index, row);
        row += h.num_values;
        pos += (int64_t)h.header_len + h.compressed_size;
        k++;
      }
      assert_int_equal(k, np);
      assert_int_equal(row, m->row_groups[g].num_rows);
      col_index ci;
      column_index(file + ch->column_index_offset, (size_t)ch->column_index_length, &ci);
      assert_int_equal(ci.n, np);
      for (int i = 0; i < np; i++) {
        int64_t first = group_first + loc[i].first_row_index;
        int64_t last = i + 1 < np ? group_first + loc[i + 1].first_row_index - 1 : group_first + row - 1;
        if (c == 0) {   /* ids: the page's first and last row */
          assert_false(ci.null_page[i]);
          assert_int_equal(ci.lo[i], first);
          assert_int_equal(ci.hi[i], last);
          assert_int_equal(ci.nulls[i], 0);
        } else {        /* texts: NULL in the first 1,000 rows and every third */
          int64_t nulls = 0;
          for (int64_t r = first; r <= last; r++) nulls += r < 1000 || r % 3 == 0;
          assert_int_equal(ci.nulls[i], nulls);
          assert_int_equal(ci.null_page[i], nulls == last - first + 1);
          if (ci.null_page[i]) assert_int_equal(ci.lo_len[i], 0);
        }
      }
      /* ids ascend page after page; the texts too ("v01000" < "v02000" ...) */
      assert_int_equal(ci.order, PQ_BOUNDARY_ASCENDING);
    }
  }
  assert_true(m->row_groups[0].columns[1].has_column_index);
  orb_free(file);
  pq_meta_free(m);
}

static void test_errors(void **state) {
  (void)state;
  pq_write_opts o;
  pq_write_opts_init(&o);
  orb_err e;
  pq_writer *w;
  pq_write_column iv = {"span", orb_type_make(ORB_T_INTERVAL), true, 1, false, 0};
  assert_int_equal(pq_writer_open(path, &iv, 1, &o, &w, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "\"span\""));
  assert_non_null(strstr(e.msg, "interval"));
  o.codec = PQ_BROTLI;
  pq_write_column one = {"x", orb_type_make(ORB_T_INT32), false, 1, false, 0};
  assert_int_equal(pq_writer_open(path, &one, 1, &o, &w, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "BROTLI"));
  o.codec = PQ_SNAPPY;
  assert_int_equal(pq_writer_open(path, &one, 1, &o, &w, &e), ORB_OK);
  orb_value v[2] = {orb_int(ORB_T_INT32, 1), orb_null(ORB_T_INT32)};
  const orb_value *b = v;
  assert_int_equal(pq_writer_write(w, &b, 2, &e), ORB_ERR_NOT_NULL);
  assert_non_null(strstr(e.msg, "\"x\""));
  pq_writer_abort(w);
  assert_int_equal(pq_writer_open("/nonexistent-dir/x.parquet", &one, 1, &o, &w, &e), ORB_ERR_IO);
  assert_non_null(strstr(e.msg, "/nonexistent-dir/x.parquet"));
}

/* Values of other types are cast as SQL assignment casts them. */
static void test_casts(void **state) {
  (void)state;
  pq_write_opts o;
  pq_write_opts_init(&o);
  orb_err e;
  pq_writer *w;
  pq_write_column cols[] = {{"big", orb_type_make(ORB_T_INT64), true, 1, false, 0},
                            {"dec", orb_type_decimal(10, 2), true, 2, false, 0}};
  assert_int_equal(pq_writer_open(path, cols, 2, &o, &w, &e), ORB_OK);
  orb_value a[3] = {orb_int(ORB_T_INT32, -7), orb_int(ORB_T_INT16, 300), orb_null(ORB_T_INT32)};
  orb_value d[3] = {orb_decimal(15, 1), orb_int(ORB_T_INT32, 4), orb_decimal(-12345, 3)};   /* 1.5, 4, -12.345 */
  const orb_value *b[2] = {a, d};
  assert_int_equal(pq_writer_write(w, b, 3, &e), ORB_OK);
  assert_int_equal(pq_writer_close(w, &e), ORB_OK);
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  pq_column c;
  assert_int_equal(pq_read_flat_column(path, m, 0, 0, 0, &c, &e), ORB_OK);
  assert_int_equal(((int64_t *)c.values)[0], -7);
  assert_int_equal(((int64_t *)c.values)[1], 300);
  assert_true(c.nulls[2]);
  pq_column_free(&c);
  assert_int_equal(pq_read_flat_column(path, m, 0, 1, 0, &c, &e), ORB_OK);
  assert_int_equal(c.type, PQ_INT64);   /* precision 10: more than INT32's 9 digits */
  assert_int_equal(((int64_t *)c.values)[0], 150);
  assert_int_equal(((int64_t *)c.values)[1], 400);
  assert_int_equal(((int64_t *)c.values)[2], -1235);   /* rounded half away from zero, as PostgreSQL */
  pq_column_free(&c);
  pq_meta_free(m);
}

static void test_no_rows(void **state) {
  (void)state;
  pq_write_opts o;
  pq_write_opts_init(&o);
  orb_err e;
  pq_writer *w;
  pq_write_column one = {"x", orb_type_decimal(30, 5), true, 1, true, 0};
  assert_int_equal(pq_writer_open(path, &one, 1, &o, &w, &e), ORB_OK);
  assert_int_equal(pq_writer_close(w, &e), ORB_OK);
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  assert_int_equal(m->num_rows, 0);
  assert_int_equal(m->nrow_groups, 0);
  assert_int_equal(m->schema[1].type, PQ_FIXED_LEN_BYTE_ARRAY);
  assert_int_equal(m->schema[1].type_length, 13);   /* the fewest bytes for 30 digits */
  pq_meta_free(m);
}

static bool has_encoding(const pq_chunk *ch, int32_t enc) {
  for (int i = 0; i < ch->nencodings; i++)
    if (ch->encodings[i] == enc) return true;
  return false;
}

/* 10 row groups of 5,000 rows, pages of 1,000, the dictionary probe at 100
** values.  k BIGINT: unique in row group 0 (its dictionary dropped at the
** probe), 10 values repeating after; the next 7 chunks start PLAIN all the
** same, and row group 8 probes again and keeps its dictionary.  t BIGINT
** and s TEXT have NULLs, only in odd pages, the first of them mid-page
** (definition levels are kept from a page's first NULL on): every value
** and NULL reads back as written. */
static void test_plain_after_probe(void **state) {
  (void)state;
  enum { RG = 5000, NRG = 10, N = RG * NRG };
  pq_write_opts o;
  pq_write_opts_init(&o);
  o.row_group_rows = RG;
  o.page_rows = 1000;
  o.dictionary_probe = 100;
  pq_write_column cols[] = {{"k", orb_type_make(ORB_T_INT64), false, 1, false, 0},
                            {"t", orb_type_make(ORB_T_INT64), true, 2, false, 0},
                            {"s", orb_type_make(ORB_T_TEXT), true, 3, false, 0}};
  orb_value *k = orb_malloc(sizeof(orb_value) * N), *t = orb_malloc(sizeof(orb_value) * N),
            *sv = orb_malloc(sizeof(orb_value) * N);
  char (*txt)[8] = orb_malloc(8 * (size_t)N);
  for (int i = 0; i < N; i++) {
    bool null_page = (i / 1000) % 2 == 1;
    k[i] = orb_int(ORB_T_INT64, i < RG ? i : i % 10);
    t[i] = null_page && i % 13 == 5 ? orb_null(ORB_T_INT64) : orb_int(ORB_T_INT64, (int64_t)i * 3);
    snprintf(txt[i], 8, "s%d", i % 50);
    sv[i] = null_page && i % 11 == 4 ? orb_null(ORB_T_TEXT) : orb_text(txt[i], strlen(txt[i]));
  }
  pq_writer *w;
  orb_err e;
  assert_int_equal(pq_writer_open(path, cols, 3, &o, &w, &e), ORB_OK);
  const orb_value *batch[3] = {k, t, sv};
  assert_int_equal(pq_writer_write(w, batch, N, &e), ORB_OK);
  assert_int_equal(pq_writer_close(w, &e), ORB_OK);
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  assert_int_equal(m->nrow_groups, NRG);
  for (int g = 0; g < NRG; g++) {
    const pq_chunk *ch = &m->row_groups[g].columns[0];
    assert_int_equal(has_encoding(ch, 8), g >= 8);   /* RLE_DICTIONARY */
    assert_int_equal(has_encoding(&m->row_groups[g].columns[2], 8), true);
    for (int c = 0; c < 3; c++) {
      pq_column col;
      assert_int_equal(pq_read_flat_column(path, m, g, c, 0, &col, &e), ORB_OK);
      assert_int_equal(col.n, RG);
      for (int r = 0; r < RG; r++) {
        const orb_value *want = &(c == 0 ? k : c == 1 ? t : sv)[g * RG + r];
        assert_int_equal(col.nulls ? col.nulls[r] : 0, want->isnull);
        if (want->isnull) continue;
        if (c < 2) {
          assert_int_equal(((int64_t *)col.values)[r], want->u.i);
        } else {
          const pq_bytes *b = &((const pq_bytes *)col.values)[r];
          assert_int_equal(b->len, want->len);
          assert_memory_equal(b->data, want->u.s, want->len);
        }
      }
      pq_column_free(&col);
    }
  }
  pq_meta_free(m);
  orb_free(k);
  orb_free(t);
  orb_free(sv);
  orb_free(txt);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_footer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_page_index, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_casts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(test_plain_after_probe, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
