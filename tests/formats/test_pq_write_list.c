/* tests/formats/test_pq_write_list.c — ARRAY columns written as Parquet
** LISTs (parquet.h, "writing"), read back by our own reader: the 3-level
** schema with its field ids, every row's array (NULL arrays, empty arrays,
** NULL elements, an array larger than a page) through pq_read_nested and
** pq_nested_value, the leaf's statistics (element bounds, the null count
** of entries without a value), pages cut between rows only (v2 headers'
** num_rows against the OffsetIndex's first_row_index), ColumnIndex null
** counts, and the same file with data page v1, v2, with and without the
** dictionary; a NULL in a NOT NULL array column refused.  DuckDB's reading
** of such files: parquet_copy_test.sh. */
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
#include "types/array.h"
#include "types/value.h"

static char path[64];

static int setup(void **state) {
  (void)state;
  snprintf(path, sizeof path, "/tmp/test_pq_write_list_%d.parquet", (int)getpid());
  return 0;
}

static int teardown(void **state) {
  (void)state;
  unlink(path);
  return 0;
}

#define ROWS 6000
#define LONG_ROW 4321   /* its array has LONG_N elements: more than a page's bytes */
#define LONG_N 5000

/* Row i's array: NULL every 10th row, empty the row after, else i % 7 + 1
** elements (LONG_N for LONG_ROW) i * 10 + k, NULL where (i + k) % 5 == 0. */
static int row_len(int i) { return i % 10 == 0 ? -1 : i % 10 == 1 ? 0 : i == LONG_ROW ? LONG_N : i % 7 + 1; }
static bool elem_null(int i, int k) { return (i + k) % 5 == 0; }

static orb_value row_array(orb_arena *a, int i) {
  int n = row_len(i);
  if (n < 0) return orb_null(ORB_T_ARRAY);
  orb_value *items = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(n ? n : 1));
  for (int k = 0; k < n; k++)
    items[k] = elem_null(i, k) ? orb_null(ORB_T_INT32) : orb_int(ORB_T_INT32, (int64_t)i * 10 + k);
  return orb_array_make(a, ORB_T_INT32, items, (uint32_t)n);
}

static void write_file(bool v2, bool dict) {
  pq_write_opts o;
  pq_write_opts_init(&o);
  o.row_group_rows = 2500;
  o.page_rows = 300;
  o.page_bytes = 4096;
  o.page_v2 = v2;
  o.dictionary = dict;
  pq_write_column cols[] = {{"id", orb_type_make(ORB_T_INT64), false, 1, false, 0},
                            {"xs", orb_type_array(ORB_T_INT32), true, 2, false, 20}};
  pq_writer *w;
  orb_err e;
  assert_int_equal(pq_writer_open(path, cols, 2, &o, &w, &e), ORB_OK);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_value id[500], xs[500];
  for (int base = 0; base < ROWS; base += 500) {
    for (int r = 0; r < 500; r++) {
      id[r] = orb_int(ORB_T_INT64, base + r);
      xs[r] = row_array(&a, base + r);
    }
    const orb_value *b[2] = {id, xs};
    assert_int_equal(pq_writer_write(w, b, 500, &e), ORB_OK);
    orb_arena_reset(&a);
  }
  assert_int_equal(pq_writer_close(w, &e), ORB_OK);
  orb_arena_free(&a);
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

/* The schema, every row's array, and the leaf's statistics. */
static void check_file(bool v2, bool dict) {
  write_file(v2, dict);
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  /* schema: root, id, xs (LIST), list (repeated), element (optional) */
  assert_int_equal(m->nschema, 5);
  assert_string_equal(m->schema[2].name, "xs");
  assert_int_equal(m->schema[2].repetition, PQ_OPTIONAL);
  assert_int_equal(m->schema[2].num_children, 1);
  assert_int_equal(m->schema[2].converted_type, 3);
  assert_int_equal(m->schema[2].logical.kind, PQ_LT_LIST);
  assert_true(m->schema[2].has_field_id);
  assert_int_equal(m->schema[2].field_id, 2);
  assert_string_equal(m->schema[3].name, "list");
  assert_int_equal(m->schema[3].repetition, PQ_REPEATED);
  assert_false(m->schema[3].has_field_id);
  assert_string_equal(m->schema[4].name, "element");
  assert_int_equal(m->schema[4].repetition, PQ_OPTIONAL);
  assert_int_equal(m->schema[4].type, PQ_INT32);
  assert_true(m->schema[4].has_field_id);
  assert_int_equal(m->schema[4].field_id, 20);
  assert_int_equal(m->nrow_groups, 3);

  pq_fields f;
  assert_int_equal(pq_fields_build(m, path, &f, &e), ORB_OK);
  assert_int_equal(f.n, 2);
  assert_null(f.errors[1]);
  assert_int_equal(f.fields[1].kind, PQ_SHAPE_LIST);
  orb_type t;
  assert_int_equal(pq_field_sql_type(&f.fields[1], &t, &e), ORB_OK);
  assert_int_equal(t.id, ORB_T_ARRAY);
  assert_int_equal(t.elem, ORB_T_INT32);
  orb_arena a;
  orb_arena_init(&a, 0);
  int row = 0;
  for (int g = 0; g < m->nrow_groups; g++) {
    const pq_chunk *ch = &m->row_groups[g].columns[1];
    assert_int_equal(ch->npath, 3);
    assert_string_equal(ch->path[2], "element");
    pq_nested_column col;
    assert_int_equal(pq_read_nested(path, m, &f.fields[1], g, 0, &col, &e), ORB_OK);
    assert_int_equal(col.n, m->row_groups[g].num_rows);
    int64_t entries = 0, empty = 0, lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t r = 0; r < col.n; r++, row++) {
      orb_value got, want = row_array(&a, row);
      assert_int_equal(pq_nested_value(&col, r, t, &a, &got, &e), ORB_OK);
      assert_int_equal(got.isnull, want.isnull);
      if (!want.isnull) {
        assert_int_equal(got.u.arr->n, want.u.arr->n);
        assert_int_equal(orb_array_cmp(&got, &want), 0);
      }
      int n = row_len(row);
      entries += n > 0 ? n : 1;
      empty += n <= 0;
      for (int k = 0; k < n; k++) {
        if (elem_null(row, k)) empty++;
        else lo = (int64_t)row * 10 + k < lo ? (int64_t)row * 10 + k : lo, hi = (int64_t)row * 10 + k > hi ? (int64_t)row * 10 + k : hi;
      }
    }
    pq_nested_free(&col);
    /* the chunk: one entry per NULL or empty list and per element; its
    ** null count the entries without a value; bounds over the elements */
    assert_int_equal(ch->num_values, entries);
    assert_true(ch->has_stats && ch->stats.has_null_count);
    assert_int_equal(ch->stats.null_count, empty);
    assert_int_equal(ch->stats.min_value.len, 4);
    assert_int_equal((int32_t)orb_load_u32le(ch->stats.min_value.data), lo);
    assert_int_equal((int32_t)orb_load_u32le(ch->stats.max_value.data), hi);
    assert_int_equal(ch->has_dictionary_page, dict);
    orb_arena_reset(&a);
  }
  assert_int_equal(row, ROWS);
  orb_arena_free(&a);
  pq_fields_free(&f);
  pq_meta_free(m);
}

static void test_lists_v1_dict(void **state) {
  (void)state;
  check_file(false, true);
}

static void test_lists_v1_plain(void **state) {
  (void)state;
  check_file(false, false);
}

static void test_lists_v2_dict(void **state) {
  (void)state;
  check_file(true, true);
}

/* Pages end between rows: with v2 headers (which count rows), each page's
** first_row_index in the OffsetIndex is the rows of the pages before it,
** and the ColumnIndex's null counts are the v2 headers' num_nulls. */
static void test_list_page_index(void **state) {
  (void)state;
  write_file(true, false);
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  size_t len;
  uint8_t *file = slurp(&len);
  orb_arena a;
  orb_arena_init(&a, 0);
  pq_source src = {.name = path};
  int pages = 0;
  for (int g = 0; g < m->nrow_groups; g++) {
    const pq_chunk *ch = &m->row_groups[g].columns[1];
    assert_true(ch->has_offset_index && ch->has_column_index);
    pq_offset_index oi;
    pq_column_index ci;
    assert_int_equal(pq_read_offset_index(&src, m, g, 1, 0, &a, &oi, &e), ORB_OK);
    assert_int_equal(pq_read_column_index(&src, m, g, 1, 0, &a, &ci, &e), ORB_OK);
    assert_int_equal(ci.npages, oi.npages);
    int64_t rows = 0, nulls = 0;
    for (int k = 0; k < oi.npages; k++) {
      pq_page_header h;
      int64_t at = oi.pages[k].offset;
      assert_int_equal(pq_page_header_decode(file + at, len - (size_t)at, "t", &h, &e), ORB_OK);
      assert_int_equal(h.type, 3);
      assert_int_equal(oi.pages[k].first_row_index, rows);
      assert_true(h.rep_len > 0);
      assert_int_equal(ci.null_counts[k], h.num_nulls);
      rows += h.num_rows;
      nulls += h.num_nulls;
    }
    assert_int_equal(rows, m->row_groups[g].num_rows);
    assert_int_equal(nulls, ch->stats.null_count);
    pages += oi.npages;
  }
  assert_true(pages > 2 * m->nrow_groups);   /* several pages per chunk, LONG_ROW's alone past page_bytes */
  orb_arena_free(&a);
  orb_free(file);
  pq_meta_free(m);
}

/* A NOT NULL array column refuses a NULL array (23502), takes an empty
** one; elements of another type are cast (bigint to int). */
static void test_list_not_null_and_casts(void **state) {
  (void)state;
  pq_write_opts o;
  pq_write_opts_init(&o);
  pq_write_column col = {"xs", orb_type_array(ORB_T_INT32), false, 1, false, 2};
  pq_writer *w;
  orb_err e;
  orb_arena a;
  orb_arena_init(&a, 0);
  assert_int_equal(pq_writer_open(path, &col, 1, &o, &w, &e), ORB_OK);
  orb_value items[2] = {orb_int(ORB_T_INT64, 7), orb_null(ORB_T_INT64)};
  orb_value v[2] = {orb_array_make(&a, ORB_T_INT64, items, 2), orb_array_make(&a, ORB_T_INT64, items, 0)};
  const orb_value *b[1] = {v};
  assert_int_equal(pq_writer_write(w, b, 2, &e), ORB_OK);
  assert_int_equal(pq_writer_close(w, &e), ORB_OK);
  pq_file_meta *m;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  assert_int_equal(m->schema[1].repetition, PQ_REQUIRED);
  const pq_chunk *ch = &m->row_groups[0].columns[0];
  assert_int_equal(ch->num_values, 3);
  assert_int_equal(ch->stats.null_count, 2);
  assert_int_equal((int32_t)orb_load_u32le(ch->stats.max_value.data), 7);
  pq_meta_free(m);

  assert_int_equal(pq_writer_open(path, &col, 1, &o, &w, &e), ORB_OK);
  orb_value nul = orb_null(ORB_T_ARRAY);
  const orb_value *nb[1] = {&nul};
  assert_int_equal(pq_writer_write(w, nb, 1, &e), ORB_ERR_NOT_NULL);
  assert_string_equal(e.sqlstate, "23502");
  assert_non_null(strstr(e.msg, "\"xs\""));
  pq_writer_abort(w);
  /* an array of arrays or of intervals cannot be written */
  pq_write_column iv = {"spans", orb_type_array(ORB_T_INTERVAL), true, 1, false, 2};
  assert_int_equal(pq_writer_open(path, &iv, 1, &o, &w, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "\"spans\""));
  orb_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_lists_v1_dict, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lists_v1_plain, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lists_v2_dict, setup, teardown),
      cmocka_unit_test_setup_teardown(test_list_page_index, setup, teardown),
      cmocka_unit_test_setup_teardown(test_list_not_null_and_casts, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
