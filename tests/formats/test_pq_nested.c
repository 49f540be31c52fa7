/* tests/formats/test_pq_nested.c — leaves of any depth and record assembly
** on fixtures whose levels and values their own documentation gives
** (parquet-testing's map_no_value.md lists the levels parquet-rs was asked
** to write; old_list_structure.md the value parquet-java wrote), and hostile
** variations of them: levels above the maximum, a record that starts in the
** middle, leaves that disagree, record counts that disagree with the row
** group, nesting deeper than PQ_MAX_DEPTH; and the bad_data files whose
** levels their README says are wrong. */
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

/* Field k of a file image, row group 0, every record's JSON joined by "|". */
static orb_status field_json(const uint8_t *img, size_t n, pq_file_meta *m, int k, char *out, size_t cap, orb_err *e) {
  pq_fields f;
  orb_status st = pq_fields_build(m, "t", &f, e);
  assert_int_equal(st, ORB_OK);
  assert_true(k < f.n);
  assert_null(f.errors[k]);
  pq_nested_column col;
  st = pq_read_nested_image(img, n, "t", m, &f.fields[k], 0, 0, &col, e);
  orb_buf b = ORB_BUF_INIT;
  for (int64_t r = 0; st == ORB_OK && r < col.n; r++) {
    bool isnull;
    if (r) orb_buf_putc(&b, '|');
    size_t at = b.len;
    st = pq_nested_json(&col, r, &b, &isnull, e);
    if (st == ORB_OK && isnull) assert_int_equal(b.len, at), orb_buf_puts(&b, "NULL");
  }
  if (st == ORB_OK) {
    assert_true(b.len < cap);
    memcpy(out, b.data, b.len);
    out[b.len] = '\0';
  }
  orb_buf_free(&b);
  pq_nested_free(&col);
  pq_fields_free(&f);
  return st;
}

/* The values map_no_value.md and old_list_structure.md give. */
static void test_documented_values(void **state) {
  (void)state;
  size_t n;
  char got[512];
  orb_err e;
  uint8_t *img = slurp(DATA "map_no_value.parquet", &n);
  pq_file_meta *m = footer(img, n);
  assert_int_equal(field_json(img, n, m, 0, got, sizeof got, &e), ORB_OK);
  assert_string_equal(got, "{\"1\":null,\"2\":null,\"3\":null}|{\"4\":null,\"5\":null,\"6\":null}|"
                           "{\"7\":null,\"8\":null,\"9\":null}");
  /* a MAP without values: its keys, as the list the file documents them equal to */
  assert_int_equal(field_json(img, n, m, 1, got, sizeof got, &e), ORB_OK);
  assert_string_equal(got, "[1,2,3]|[4,5,6]|[7,8,9]");
  assert_int_equal(field_json(img, n, m, 2, got, sizeof got, &e), ORB_OK);
  assert_string_equal(got, "[1,2,3]|[4,5,6]|[7,8,9]");
  pq_meta_free(m);
  free(img);
  img = slurp(DATA "old_list_structure.parquet", &n);
  m = footer(img, n);
  assert_int_equal(field_json(img, n, m, 0, got, sizeof got, &e), ORB_OK);
  assert_string_equal(got, "[[1,2],[3,4]]");
  pq_meta_free(m);
  free(img);
}

/* Records that disagree with the row group, leaves that disagree with each other. */
static void test_inconsistent_records(void **state) {
  (void)state;
  size_t n;
  char got[512];
  orb_err e;
  uint8_t *img = slurp(DATA "map_no_value.parquet", &n);
  pq_file_meta *m = footer(img, n);
  m->row_groups[0].num_rows = 4;
  assert_int_equal(field_json(img, n, m, 0, got, sizeof got, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "has 3 records in row group 0 of 4 rows"));
  m->row_groups[0].num_rows = 3;
  /* my_map's values (column 1): the second entry starts a record, its key does not */
  const pq_chunk *ch = &m->row_groups[0].columns[1];
  pq_page_header h;
  size_t at = (size_t)ch->data_page_offset;
  assert_int_equal(pq_page_header_decode(img + at, n - at, "t", &h, &e), ORB_OK);
  uint8_t *levels = img + at + h.header_len + 4;
  assert_int_equal(levels[0], 0x05);
  assert_int_equal(levels[1], 0xb6);   /* 0,1,1,0,1,1,0,1 from the least significant bit */
  levels[1] = 0xb4;
  assert_int_equal(field_json(img, n, m, 0, got, sizeof got, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "disagree"));
  pq_meta_free(m);
  free(img);
}

/* Schemas built by hand: nesting deeper than PQ_MAX_DEPTH; a LIST without a
** repeated field, which only its own field cannot read. */
static void test_hostile_schemas(void **state) {
  (void)state;
  pq_schema_elem el[80];
  memset(el, 0, sizeof el);
  for (int i = 0; i < 80; i++) {
    el[i].name = "g";
    el[i].type = -1;
    el[i].repetition = PQ_OPTIONAL;
    el[i].num_children = 1;
    el[i].converted_type = -1;
  }
  el[79].type = PQ_INT32;
  el[79].num_children = -1;
  pq_file_meta m;
  memset(&m, 0, sizeof m);
  m.schema = el;
  m.nschema = 80;
  pq_fields f;
  orb_err e;
  assert_int_not_equal(pq_fields_build(&m, "t", &f, &e), ORB_OK);
  assert_non_null(strstr(e.msg, "deeper than 64"));
  int elem, def, rep;
  assert_int_not_equal(pq_leaf_levels(&m, "t", 0, &elem, &def, &rep, &e), ORB_OK);
  /* root { a (LIST) { required int32 x }, required int32 b } */
  el[1].name = "a";
  el[1].converted_type = 3;
  el[2].num_children = -1;
  el[2].type = PQ_INT32;
  el[2].repetition = PQ_REQUIRED;
  el[3] = el[2];
  el[3].name = "b";
  el[0].num_children = 2;
  m.nschema = 4;
  assert_int_equal(pq_fields_build(&m, "t", &f, &e), ORB_OK);
  assert_int_equal(f.n, 2);
  assert_string_equal(f.errors[0], "LIST \"a\" does not hold exactly one repeated field");
  assert_null(f.errors[1]);
  assert_int_equal(f.fields[1].kind, PQ_SHAPE_VALUE);
  assert_int_equal(f.fields[1].leaf, 1);
  pq_fields_free(&f);
  /* children promised that never come */
  el[0].num_children = 3;
  assert_int_equal(pq_fields_build(&m, "t", &f, &e), ORB_ERR_CORRUPT);
}

/* The first error reading every field of a file, "" when all read. */
static void first_error(const char *path, char *out, size_t cap) {
  size_t n;
  uint8_t *img = slurp(path, &n);
  pq_file_meta *m = footer(img, n);
  pq_fields f;
  orb_err e;
  out[0] = '\0';
  assert_int_equal(pq_fields_build(m, path, &f, &e), ORB_OK);
  for (int k = 0; k < f.n && !out[0]; k++)
    for (int g = 0; g < m->nrow_groups && !out[0]; g++) {
      pq_nested_column col;
      if (pq_read_nested_image(img, n, path, m, &f.fields[k], g, 0, &col, &e) != ORB_OK) snprintf(out, cap, "%s", e.msg);
      pq_nested_free(&col);
    }
  pq_fields_free(&f);
  pq_meta_free(m);
  free(img);
}

/* parquet-testing's bad_data/README.md: ARROW-GH-45185's repetition levels
** start with 1; ARROW-RS-GH-6229-LEVELS has a page with too few repetition
** levels; ARROW-GH-41321 decodes fewer levels than its page header says. */
static void test_documented_bad_levels(void **state) {
  (void)state;
  char err[512];
  first_error("../shared/fixtures/parquet-testing/bad_data/ARROW-GH-45185.parquet", err, sizeof err);
  assert_non_null(strstr(err, "repetition levels start in the middle of a record"));
  first_error("../shared/fixtures/parquet-testing/bad_data/ARROW-RS-GH-6229-LEVELS.parquet", err, sizeof err);
  assert_true(err[0] != '\0');
  first_error("../shared/fixtures/parquet-testing/bad_data/ARROW-GH-41321.parquet", err, sizeof err);
  assert_non_null(strstr(err, "RLE"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_levels_as_written),
      cmocka_unit_test(test_two_level_lists),
      cmocka_unit_test(test_level_above_the_maximum),
      cmocka_unit_test(test_record_starts_in_the_middle),
      cmocka_unit_test(test_documented_values),
      cmocka_unit_test(test_inconsistent_records),
      cmocka_unit_test(test_hostile_schemas),
      cmocka_unit_test(test_documented_bad_levels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
