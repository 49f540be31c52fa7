/* tests/storage/ice_write_gen.h — the rows the Iceberg writer tests write
** (test_ice_write.c, ice_write_tool.c): one column of every type a table
** can hold, NULLs every 7th row, NaN and infinities, empty and long
** multibyte strings, 0xff bytes that have no truncated upper bound, and
** the extremes of each integer type. */
#ifndef ORB_TESTS_ICE_WRITE_GEN_H
#define ORB_TESTS_ICE_WRITE_GEN_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/schema.h"
#include "types/types.h"

#define NCOLS 14

static inline void all_types_schema(orb_schema *s) {
  orb_schema_init(s);
  orb_schema_add_column(s, "id", orb_type_make(ORB_T_INT64), true, NULL);
  orb_schema_add_column(s, "i16", orb_type_make(ORB_T_INT16), false, NULL);
  orb_schema_add_column(s, "i32", orb_type_make(ORB_T_INT32), false, NULL);
  orb_schema_add_column(s, "f32", orb_type_make(ORB_T_FLOAT32), false, NULL);
  orb_schema_add_column(s, "f64", orb_type_make(ORB_T_FLOAT64), false, NULL);
  orb_schema_add_column(s, "dec", orb_type_decimal(18, 3), false, NULL);
  orb_schema_add_column(s, "txt", orb_type_make(ORB_T_TEXT), false, NULL);
  orb_schema_add_column(s, "bin", orb_type_make(ORB_T_BYTEA), false, NULL);
  orb_schema_add_column(s, "d", orb_type_make(ORB_T_DATE), false, NULL);
  orb_schema_add_column(s, "t", orb_type_make(ORB_T_TIME), false, NULL);
  orb_schema_add_column(s, "ts", orb_type_make(ORB_T_TIMESTAMP), false, NULL);
  orb_schema_add_column(s, "tstz", orb_type_make(ORB_T_TIMESTAMPTZ), false, NULL);
  orb_schema_add_column(s, "u", orb_type_make(ORB_T_UUID), false, NULL);
  orb_schema_add_column(s, "b", orb_type_make(ORB_T_BOOL), false, NULL);
  s->npk = 1;
  s->pk = malloc(sizeof(int32_t));
  s->pk[0] = s->cols[0].field_id;
}

static const char *long_text = "\xc3\xa9t\xc3\xa9-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\xe2\x82\xac";   /* multibyte, > 16 code points */
static const uint8_t bin_ff[20] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* Row `id` of the test data: NULLs every 7th row, NaN and infinities, empty
** and long strings, the extremes of each integer type. */
static inline void gen_row(int64_t id, orb_value *v, char *textbuf) {
  v[0] = orb_int(ORB_T_INT64, id);
  int k = (int)(id % 13);
  v[1] = orb_int(ORB_T_INT16, k == 1 ? INT16_MIN : k == 2 ? INT16_MAX : (int16_t)(id * 7));
  v[2] = orb_int(ORB_T_INT32, k == 1 ? INT32_MIN : k == 2 ? INT32_MAX : (int32_t)(id * 1000003));
  v[3] = orb_float(ORB_T_FLOAT32, k == 3 ? -0.0 : k == 4 ? (double)3.4e38f : (float)id / 4);
  v[4] = orb_float(ORB_T_FLOAT64, id % 11 == 5 ? NAN : k == 6 ? -INFINITY : k == 7 ? 1e308 : (double)id / 3);
  v[5] = orb_decimal(k == 8 ? (__int128)-999999999999999999LL : (__int128)id * 12345 - 50000, 3);
  if (id % 5 == 0) v[6] = orb_text("", 0);
  else if (id % 5 == 4) v[6] = orb_text(long_text, strlen(long_text));
  else {
    int n = snprintf(textbuf, 32, "row-%lld", (long long)id);
    v[6] = orb_text(textbuf, (size_t)n);
  }
  v[7] = id % 4 == 1 ? orb_bytea(bin_ff, sizeof bin_ff) : orb_bytea(textbuf + 20, (size_t)(id % 3));
  textbuf[20] = (char)id, textbuf[21] = 0, textbuf[22] = (char)0x80;
  v[8] = orb_int(ORB_T_DATE, k == 9 ? -719162 : id - 3000);
  v[9] = orb_int(ORB_T_TIME, (id * 1000003) % 86400000000LL);
  v[10] = orb_int(ORB_T_TIMESTAMP, k == 10 ? INT64_MIN / 2 : id * 1000000007LL);
  v[11] = orb_int(ORB_T_TIMESTAMPTZ, id * -1000000007LL);
  orb_value u = orb_null(ORB_T_UUID);
  u.isnull = 0;
  for (int i = 0; i < 16; i++) u.u.uuid[i] = (uint8_t)(id * 31 + i * 17);
  v[12] = u;
  v[13] = orb_bool(id % 3 == 0);
  if (id % 7 == 3)
    for (int c = 1; c < NCOLS; c++) v[c] = orb_null(v[c].type);
}

#endif
