/* tests/formats/test_pq_stream.c — column chunks read page by page
** (pq_column_stream) give, row for row, what reading them whole gives:
** integers, doubles with NULLs, text PLAIN (its bytes in page arenas that
** are released as the window moves on) and dictionary-encoded, a page of
** only NULLs; asked for in steps of 1, 3, 999 and 2048 rows, skipping
** ahead, through one stream reused from row group to row group; the window
** stays about a page long; rows asked for out of order are refused, and a
** chunk whose pages hold fewer or more values than its metadata says is
** reported corrupt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/mem.h"
#include "formats/parquet/parquet.h"

static char path[64];

/* 50,000 rows in row groups of 20,000 and pages of at most 700 rows: id
** BIGINT NOT NULL; d DOUBLE, NULL every 5th row; s TEXT, NULL in rows
** 0..999 and every 3rd row after, all values distinct (PLAIN after the
** dictionary probe); k TEXT of ten values (dictionary). */
#define ROWS 50000
#define PAGE 700
static int setup(void **state) {
  (void)state;
  snprintf(path, sizeof path, "/tmp/test_pq_stream_%d.parquet", (int)getpid());
  pq_write_opts o;
  pq_write_opts_init(&o);
  o.row_group_rows = 20000;
  o.page_rows = PAGE;
  pq_write_column cols[] = {{"id", orb_type_make(ORB_T_INT64), false, 1, false, 0},
                            {"d", orb_type_make(ORB_T_FLOAT64), true, 2, false, 0},
                            {"s", orb_type_make(ORB_T_TEXT), true, 3, false, 0},
                            {"k", orb_type_make(ORB_T_TEXT), true, 4, false, 0}};
  pq_writer *w;
  orb_err e;
  if (pq_writer_open(path, cols, 4, &o, &w, &e) != ORB_OK) return -1;
  orb_value *v[4];
  for (int c = 0; c < 4; c++) v[c] = orb_malloc(sizeof(orb_value) * ROWS);
  char (*txt)[16] = orb_malloc(16 * (size_t)ROWS), (*key)[8] = orb_malloc(8 * (size_t)ROWS);
  for (int i = 0; i < ROWS; i++) {
    v[0][i] = orb_int(ORB_T_INT64, (int64_t)i * 7 - 3);
    v[1][i] = i % 5 == 0 ? orb_null(ORB_T_FLOAT64) : orb_float(ORB_T_FLOAT64, i * 0.25);
    snprintf(txt[i], 16, "value-%05d", i);
    v[2][i] = i < 1000 || i % 3 == 0 ? orb_null(ORB_T_TEXT) : orb_text(txt[i], strlen(txt[i]));
    snprintf(key[i], 8, "k%d", i % 10);
    v[3][i] = orb_text(key[i], strlen(key[i]));
  }
  const orb_value *batch[4] = {v[0], v[1], v[2], v[3]};
  orb_status st = pq_writer_write(w, batch, ROWS, &e);
  if (st == ORB_OK) st = pq_writer_close(w, &e);
  for (int c = 0; c < 4; c++) orb_free(v[c]);
  orb_free(txt);
  orb_free(key);
  return st == ORB_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  unlink(path);
  return 0;
}

/* Row r of the stream's window equals row r of the whole chunk. */
static void same_row(const pq_column_stream *s, const pq_column *whole, int64_t r) {
  const pq_column *w = s->col;
  int64_t i = r - s->first;
  assert_true(i >= 0 && i < w->n);
  assert_int_equal(w->nulls[i], whole->nulls[r]);
  if (whole->nulls[r]) return;
  if (w->type == PQ_BYTE_ARRAY) {
    const pq_bytes *a = (const pq_bytes *)w->values + i, *b = (const pq_bytes *)whole->values + r;
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->data, b->data, a->len);
  } else {
    size_t sz = pq_value_size(w->type);
    assert_memory_equal((const uint8_t *)w->values + (size_t)i * sz, (const uint8_t *)whole->values + (size_t)r * sz, sz);
  }
}

/* Every chunk in steps of `step` rows through one stream. */
static void read_in_steps(int64_t step) {
  orb_err e;
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  assert_int_equal(m->nrow_groups, 3);
  pq_source src = {path, NULL, 0};
  for (int c = 0; c < 4; c++) {
    pq_column_stream s = {0};
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_column whole = {0};
      assert_int_equal(pq_read_leaf_column(path, m, g, c, 0, &whole, &e), ORB_OK);
      assert_int_equal(pq_stream_open(&s, &src, m, g, c, 0, &e), ORB_OK);
      assert_int_equal(s.total, whole.n);
      int64_t nnull = 0;
      for (int64_t r = 0; r < s.total; r += step) {
        int64_t n = s.total - r < step ? s.total - r : step;
        assert_int_equal(pq_stream_need(&s, r, n, &e), ORB_OK);
        assert_true(s.first <= r && r + n <= s.first + s.col->n);
        assert_true(s.col->n <= step + PAGE);   /* what a step asks and about a page: not the chunk */
        int64_t in_window = 0;
        for (int64_t i = 0; i < s.col->n; i++) in_window += s.col->nulls[i];
        assert_true(s.col->nnull == 0 ? in_window == 0 : s.col->nnull == in_window);
        for (int64_t k = 0; k < n; k++) {
          same_row(&s, &whole, r + k);
          nnull += whole.nulls[r + k];
        }
      }
      assert_int_equal(nnull, whole.nnull);
      pq_column_free(&whole);
    }
    pq_stream_free(&s);
  }
  pq_meta_free(m);
}

static void test_step_1(void **state) { (void)state, read_in_steps(1); }
static void test_step_3(void **state) { (void)state, read_in_steps(3); }
static void test_step_999(void **state) { (void)state, read_in_steps(999); }
static void test_step_2048(void **state) { (void)state, read_in_steps(2048); }

/* Skipping ahead decodes the pages between and drops them; asking for a
** row before the window is refused. */
static void test_skip_and_order(void **state) {
  (void)state;
  orb_err e;
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  pq_source src = {path, NULL, 0};
  pq_column whole = {0};
  assert_int_equal(pq_read_leaf_column(path, m, 1, 2, 0, &whole, &e), ORB_OK);
  pq_column_stream s = {0};
  assert_int_equal(pq_stream_open(&s, &src, m, 1, 2, 0, &e), ORB_OK);
  static const int64_t at[] = {5, 4999, 5000, 12345, 19990};
  for (int k = 0; k < 5; k++) {
    assert_int_equal(pq_stream_need(&s, at[k], 10, &e), ORB_OK);
    assert_true(s.col->n <= 10 + PAGE);
    for (int64_t r = at[k]; r < at[k] + 10; r++) same_row(&s, &whole, r);
  }
  assert_int_equal(pq_stream_need(&s, 100, 1, &e), ORB_ERR_MISUSE);
  assert_int_equal(pq_stream_need(&s, 19999, 2, &e), ORB_ERR_MISUSE);   /* past the chunk */
  assert_int_equal(pq_stream_need(&s, 20000, 0, &e), ORB_OK);
  pq_stream_free(&s);
  pq_column_free(&whole);
  pq_meta_free(m);
}

/* A chunk whose metadata counts one value more, or one fewer, than its
** pages hold. */
static void test_counts_disagree(void **state) {
  (void)state;
  orb_err e;
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  pq_source src = {path, NULL, 0};
  pq_column_stream s = {0};
  int64_t rows = m->row_groups[0].columns[0].num_values;
  m->row_groups[0].columns[0].num_values = rows + 1;
  assert_int_equal(pq_stream_open(&s, &src, m, 0, 0, 0, &e), ORB_OK);
  assert_int_equal(pq_stream_need(&s, 0, rows, &e), ORB_OK);
  assert_int_equal(pq_stream_need(&s, rows, 1, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "holds 20000 values in its pages, its metadata says 20001"));
  m->row_groups[0].columns[0].num_values = rows - 1;
  assert_int_equal(pq_stream_open(&s, &src, m, 0, 0, 0, &e), ORB_OK);
  assert_int_equal(pq_stream_need(&s, 0, rows - 1, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "data pages hold more values than the column chunk"));
  pq_stream_free(&s);
  pq_meta_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_step_1),         cmocka_unit_test(test_step_3),
      cmocka_unit_test(test_step_999),       cmocka_unit_test(test_step_2048),
      cmocka_unit_test(test_skip_and_order), cmocka_unit_test(test_counts_disagree),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
