/* tests/storage/test_ice_write.c — the Iceberg write path (ice_write.h):
** creating tables (types, required columns, identifier ids, refusals),
** appending every supported type with NULLs, NaN, empty and long strings
** and extreme values, reading the rows back through our reader, the
** manifest's metrics (counts, truncated bounds), several appends as
** several snapshots with the right totals and sequence numbers, rolling
** files, concurrent appenders in several processes, and writers killed
** with SIGKILL in the middle of commits.  DuckDB and avsc check the same
** files in tests/storage/iceberg_write_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ice_test_dir.h"

#include "base/mem.h"
#include "formats/avro/avro.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_value.h"
#include "storage/cold/ice_write.h"
#include "types/schema.h"
#include "types/value.h"
#include "ice_write_gen.h"

static void append_range(const char *dir, int64_t from, int64_t n, const ice_write_opts *o, int64_t *snap) {
  ice_append *app;
  orb_err e;
  assert_int_equal(ice_append_begin(dir, o, &app, &e), ORB_OK);
  assert_int_equal(ice_append_ncols(app), NCOLS);
  orb_value *rows = orb_malloc(sizeof(orb_value) * NCOLS * (size_t)n);
  char *texts = orb_malloc(32 * (size_t)n);
  for (int64_t i = 0; i < n; i++) gen_row(from + i, rows + i * NCOLS, texts + 32 * i);
  /* in batches of 128 rows, as a scan's batches come */
  orb_status st = ORB_OK;
  for (int64_t i = 0; i < n && st == ORB_OK; i += 128)
    st = ice_append_rows(app, rows + i * NCOLS, n - i < 128 ? n - i : 128, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  st = ice_append_commit(app, snap, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_free(rows);
  orb_free(texts);
}

static void create_all_types(const char *dir, const ice_kv *props, int nprops) {
  orb_schema s;
  all_types_schema(&s);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_status st = ice_table_create(&a, dir, NULL, &s, NULL, props, nprops, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_arena_free(&a);
  orb_schema_free(&s);
}

/* Every row of the current snapshot, checked against gen_row; returns the count. */
static int64_t check_rows(const char *dir, int64_t expect_max) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  orb_status st = ice_scan_open(&a, dir, -1, &m, &p, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  ice_column *cols;
  int ncols;
  assert_int_equal(ice_columns(&a, p.schema, &cols, &ncols, &e), ORB_OK);
  assert_int_equal(ncols, NCOLS);
  ice_reader *r;
  assert_int_equal(ice_reader_open(&p, cols, ncols, &r, &e), ORB_OK);
  uint8_t *seen = calloc((size_t)expect_max + 1, 1);
  int64_t n = 0;
  const orb_value *row;
  orb_value want[NCOLS];
  char text[32];
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  while ((st = ice_reader_next(r, &row, &e)) == ORB_OK && row) {
    int64_t id = row[0].u.i;
    assert_true(id >= 0 && id <= expect_max);
    assert_false(seen[id]);
    seen[id] = 1;
    gen_row(id, want, text);
    for (int c = 0; c < NCOLS; c++) {
      assert_int_equal(row[c].isnull, want[c].isnull);
      if (want[c].isnull) continue;
      orb_value w;
      assert_int_equal(orb_value_cast(&want[c], cols[c].type, &tmp, &w, &e), ORB_OK);
      if (orb_value_cmp(&w, &row[c]) != 0) fail_msg("row %lld column %s differs", (long long)id, cols[c].name);
      if (c == 3 && w.u.f == 0) assert_int_equal(signbit(w.u.f), signbit(row[c].u.f));
    }
    orb_arena_reset(&tmp);
    n++;
  }
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  assert_int_equal(n, p.records);
  orb_arena_free(&tmp);
  free(seen);
  ice_reader_free(r);
  orb_arena_free(&a);
  return n;
}

static void test_create(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  create_all_types(dir, (ice_kv[]){{"owner", "test"}}, 1);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file f;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, &f, &e), ORB_OK);
  assert_int_equal(f.version, 1);
  assert_int_equal(m.format_version, 2);
  assert_int_equal(m.current_snapshot_id, -1);
  assert_non_null(m.table_uuid);
  assert_int_equal(strlen(m.table_uuid), 36);
  assert_string_equal(m.location, dir);
  const ice_schema *s = ice_meta_current_schema(&m);
  assert_int_equal(s->nfields, NCOLS);
  static const char *types[NCOLS] = {"long", "int",  "int",  "float", "double",      "decimal(18, 3)", "string",
                                     "binary", "date", "time", "timestamp", "timestamptz", "uuid", "boolean"};
  for (int i = 0; i < NCOLS; i++) {
    assert_int_equal(s->fields[i].id, i + 1);
    assert_string_equal(ice_type_name(&a, s->fields[i].type), types[i]);
    assert_int_equal(s->fields[i].required, i == 0);
  }
  assert_int_equal(s->nidentifier, 1);
  assert_int_equal(s->identifier_ids[0], 1);
  assert_int_equal(m.last_column_id, NCOLS);
  assert_string_equal(ice_kv_get(m.properties, m.nproperties, "write.format.default"), "parquet");
  assert_string_equal(ice_kv_get(m.properties, m.nproperties, "write.parquet.compression-codec"), "zstd");
  assert_string_equal(ice_kv_get(m.properties, m.nproperties, "owner"), "test");

  /* a second create in the same folder is refused, and changes nothing */
  orb_schema sc;
  all_types_schema(&sc);
  assert_int_equal(ice_table_create(&a, dir, NULL, &sc, NULL, NULL, 0, NULL, &e), ORB_ERR_DUPLICATE);
  assert_non_null(strstr(e.msg, "already holds a table"));
  /* types Iceberg cannot hold are refused naming the column */
  orb_schema_add_column(&sc, "span", orb_type_make(ORB_T_INTERVAL), false, NULL);
  char *dir2 = ice_test_tmpdir("icewrite");
  assert_int_equal(ice_table_create(&a, dir2, NULL, &sc, NULL, NULL, 0, NULL, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "\"span\""));
  orb_schema_free(&sc);
  orb_schema_init(&sc);
  orb_schema_add_column(&sc, "n", orb_type_decimal(0, 0), false, NULL);
  assert_int_equal(ice_table_create(&a, dir2, NULL, &sc, NULL, NULL, 0, NULL, &e), ORB_ERR_UNSUPPORTED);
  assert_non_null(strstr(e.msg, "\"n\""));
  assert_non_null(strstr(e.msg, "precision"));
  orb_schema_free(&sc);

  /* an empty table reads as no rows */
  assert_int_equal(check_rows(dir, 0), 0);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  ice_test_rmrf(dir2);
  free(dir);
  free(dir2);
}

/* The manifest of the current snapshot's newest manifest (the first in its list). */
static avro_reader *open_newest_manifest(orb_arena *a, const char *dir, ice_meta *m) {
  orb_err e;
  assert_int_equal(ice_meta_open(a, dir, m, NULL, &e), ORB_OK);
  const ice_snapshot *s = ice_meta_current_snapshot(m);
  assert_non_null(s);
  avro_reader *l;
  assert_int_equal(avro_reader_open(s->manifest_list, 0, &l, &e), ORB_OK);
  avro_value v;
  bool got;
  assert_int_equal(avro_reader_next(l, a, &v, &got, &e), ORB_OK);
  assert_true(got);
  const avro_value *path = avro_record_get(l->schema, &v, 500);
  assert_non_null(path);
  avro_reader *r;
  assert_int_equal(avro_reader_open(path->u.s.data, 0, &r, &e), ORB_OK);
  avro_reader_close(l);
  return r;
}

/* A map<int, X> field of data_file as the entry for field id `col`. */
static const avro_value *map_get(const avro_schema *df, const avro_value *d, int32_t map_id, int32_t col) {
  const avro_value *arr = avro_record_get(df, d, map_id);
  if (!arr || arr->kind != AVRO_ARRAY) return NULL;
  for (size_t i = 0; i < arr->u.c.n; i++)
    if (arr->u.c.v[i].u.c.v[0].u.i == col) return &arr->u.c.v[i].u.c.v[1];
  return NULL;
}

static void test_append_and_metrics(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  create_all_types(dir, NULL, 0);
  int64_t snap;
  append_range(dir, 0, 1000, NULL, &snap);
  assert_true(snap > 0);
  assert_int_equal(check_rows(dir, 999), 1000);

  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  avro_reader *r = open_newest_manifest(&a, dir, &m);
  assert_int_equal(ice_meta_current_snapshot(&m)->snapshot_id, snap);
  assert_int_equal(ice_meta_current_snapshot(&m)->sequence_number, 1);
  assert_int_equal(m.last_sequence_number, 1);
  const avro_meta *hm = avro_reader_meta(r, "content");
  assert_non_null(hm);
  assert_string_equal(hm->value, "data");
  assert_non_null(avro_reader_meta(r, "schema"));
  assert_non_null(avro_reader_meta(r, "partition-spec"));
  assert_string_equal(avro_reader_meta(r, "partition-spec-id")->value, "0");
  assert_string_equal(avro_reader_meta(r, "format-version")->value, "2");
  assert_string_equal(r->schema->name, "manifest_entry");
  const avro_schema *df = r->schema->fields[avro_field_by_id(r->schema, 2)].type;
  assert_string_equal(df->name, "r2");
  avro_value v;
  bool got;
  orb_err e;
  assert_int_equal(avro_reader_next(r, &a, &v, &got, &e), ORB_OK);
  assert_true(got);
  const avro_value *d = avro_record_get(r->schema, &v, 2);
  assert_int_equal(avro_record_get(df, d, 103)->u.l, 1000);
  /* value counts include NULLs; nulls every 7th row from 3; NaN every 11th from 5 */
  int64_t nulls = 0, nans = 0;
  for (int i = 0; i < 1000; i++) nulls += i % 7 == 3, nans += i % 11 == 5 && i % 7 != 3;
  for (int c = 1; c <= NCOLS; c++) {
    assert_int_equal(map_get(df, d, 109, c)->u.l, 1000);
    assert_int_equal(map_get(df, d, 110, c)->u.l, c == 1 ? 0 : nulls);
    assert_true(map_get(df, d, 108, c)->u.l > 0);
  }
  assert_int_equal(map_get(df, d, 137, 5)->u.l, nans);
  assert_int_equal(map_get(df, d, 137, 4)->u.l, 0);
  assert_null(map_get(df, d, 137, 1));   /* not a float column */
  /* bounds: id 0..999 as 8-byte little-endian longs */
  const avro_value *lo = map_get(df, d, 125, 1), *hi = map_get(df, d, 128, 1);
  assert_int_equal(lo->u.s.len, 8);
  assert_int_equal((int64_t)orb_load_u64le(lo->u.s.data), 0);
  assert_int_equal((int64_t)orb_load_u64le(hi->u.s.data), 999);
  /* i16 holds INT16_MIN..MAX, written as a 4-byte int */
  assert_int_equal((int32_t)orb_load_u32le(map_get(df, d, 125, 2)->u.s.data), INT16_MIN);
  assert_int_equal((int32_t)orb_load_u32le(map_get(df, d, 128, 2)->u.s.data), INT16_MAX);
  /* text: the empty string is the lower bound; the upper bound is the long
  ** text's first 16 code points with the last one incremented */
  assert_int_equal(map_get(df, d, 125, 7)->u.s.len, 0);
  const avro_value *tu = map_get(df, d, 128, 7);
  assert_int_equal(tu->u.s.len, 18);   /* é t é - + 12 z's -> 2+1+2+1+12 */
  assert_memory_equal(tu->u.s.data, "\xc3\xa9t\xc3\xa9-zzzzzzzzzzz{", 18);
  /* binary: 20 bytes of 0xff cannot be incremented within 16 bytes: no upper bound */
  assert_null(map_get(df, d, 128, 8));
  assert_int_equal(map_get(df, d, 125, 8)->u.s.len, 0);
  /* double: NaN is no bound; -inf is the lower */
  double dl;
  memcpy(&dl, map_get(df, d, 125, 5)->u.s.data, 8);
  assert_true(isinf(dl) && dl < 0);
  /* the exact file size and split offsets */
  const avro_value *path = avro_record_get(df, d, 100);
  FILE *fp = fopen(path->u.s.data, "rb");
  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  assert_int_equal(ftell(fp), avro_record_get(df, d, 104)->u.l);
  fclose(fp);
  assert_non_null(strstr(path->u.s.data, "/data/00000-0-"));
  const avro_value *splits = avro_record_get(df, d, 132);
  assert_int_equal(splits->kind, AVRO_ARRAY);
  assert_int_equal(splits->u.c.v[0].u.l, 4);
  assert_int_equal(avro_reader_next(r, &a, &v, &got, &e), ORB_OK);
  assert_false(got);
  avro_reader_close(r);

  /* NOT NULL is enforced, naming the column; nothing is committed */
  ice_append *app;
  assert_int_equal(ice_append_begin(dir, NULL, &app, &e), ORB_OK);
  orb_value row[NCOLS];
  char text[32];
  gen_row(5000, row, text);
  row[0] = orb_null(ORB_T_INT64);
  assert_int_equal(ice_append_rows(app, row, 1, &e), ORB_ERR_NOT_NULL);
  assert_non_null(strstr(e.msg, "\"id\""));
  ice_append_abort(app);
  int64_t none;
  /* a batch refused for its third column leaves the file's metrics alone:
  ** the next batch's rows are all the manifest counts */
  char dir2[600];
  snprintf(dir2, sizeof dir2, "%s/refused", dir);
  create_all_types(dir2, NULL, 0);
  assert_int_equal(ice_append_begin(dir2, NULL, &app, &e), ORB_OK);
  orb_value two[2 * NCOLS];
  char texts[64];
  gen_row(6000, row, text);
  row[2] = orb_text("abc", 3);
  assert_int_not_equal(ice_append_rows(app, row, 1, &e), ORB_OK);
  assert_non_null(strstr(e.msg, "\"i32\""));
  gen_row(6001, two, texts);
  gen_row(6002, two + NCOLS, texts + 32);
  assert_int_equal(ice_append_rows(app, two, 2, &e), ORB_OK);
  assert_int_equal(ice_append_commit(app, &none, NULL, &e), ORB_OK);
  ice_meta m3;
  r = open_newest_manifest(&a, dir2, &m3);
  assert_int_equal(avro_reader_next(r, &a, &v, &got, &e), ORB_OK);
  d = avro_record_get(r->schema, &v, 2);
  df = r->schema->fields[avro_field_by_id(r->schema, 2)].type;
  for (int c = 1; c <= NCOLS; c++) assert_int_equal(map_get(df, d, 109, c)->u.l, 2);
  assert_int_equal((int64_t)orb_load_u64le(map_get(df, d, 125, 1)->u.s.data), 6001);
  assert_int_equal((int32_t)orb_load_u32le(map_get(df, d, 125, 2)->u.s.data), (int16_t)(6001 * 7) < (int16_t)(6002 * 7) ? (int16_t)(6001 * 7) : (int16_t)(6002 * 7));
  avro_reader_close(r);
  /* an empty append commits nothing */
  assert_int_equal(ice_append_begin(dir, NULL, &app, &e), ORB_OK);
  assert_int_equal(ice_append_commit(app, &none, NULL, &e), ORB_OK);
  assert_int_equal(none, -1);
  ice_meta m2;
  ice_meta_file f2;
  assert_int_equal(ice_meta_open(&a, dir, &m2, &f2, &e), ORB_OK);
  assert_int_equal(f2.version, 2);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* String and binary bounds come from the footer's chunk statistics: with
** several row groups the least minimum and greatest maximum of them, then
** truncated (the maximum in the first row group, the minimum in the last,
** a row group of only NULLs between). */
static void test_string_bounds_over_row_groups(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "s", orb_type_make(ORB_T_TEXT), false, NULL);
  orb_schema_add_column(&s, "b", orb_type_make(ORB_T_BYTEA), false, NULL);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  assert_int_equal(ice_table_create(&a, dir, NULL, &s, NULL, NULL, 0, NULL, &e), ORB_OK);
  orb_schema_free(&s);
  ice_write_opts o;
  ice_write_opts_init(&o);
  o.row_group_bytes = 1;   /* the least: 1024 rows a row group */
  ice_append *app;
  assert_int_equal(ice_append_begin(dir, &o, &app, &e), ORB_OK);
  enum { N = 4000 };
  static char text[N][16];
  static const char zs[] = "zzzzzzzzzzzzzzzzzzzzzz";   /* 22: the maximum, cut */
  static const uint8_t b7f[20] = {0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f,
                                  0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f};
  orb_value *sv = orb_malloc(sizeof(orb_value) * N), *bv = orb_malloc(sizeof(orb_value) * N);
  for (int i = 0; i < N; i++) {
    int n = snprintf(text[i], sizeof text[i], "m%d", i);
    sv[i] = orb_text(text[i], (size_t)n);
    bv[i] = orb_bytea(text[i], (size_t)n);
    if (i >= 1024 && i < 2048) sv[i] = orb_null(ORB_T_TEXT);   /* row group 1: no string */
  }
  sv[5] = orb_text(zs, strlen(zs));
  sv[3500] = orb_text("a", 1);
  bv[10] = orb_bytea(b7f, sizeof b7f);
  bv[3900] = orb_bytea("", 0);
  for (int i = 0; i < N; i += 500) {
    const orb_value *cols[2] = {sv + i, bv + i};
    assert_int_equal(ice_append_columns(app, cols, 500, &e), ORB_OK);
  }
  int64_t snap;
  assert_int_equal(ice_append_commit(app, &snap, NULL, &e), ORB_OK);
  orb_free(sv);
  orb_free(bv);
  ice_meta m;
  avro_reader *r = open_newest_manifest(&a, dir, &m);
  avro_value v;
  bool got;
  assert_int_equal(avro_reader_next(r, &a, &v, &got, &e), ORB_OK);
  assert_true(got);
  const avro_schema *df = r->schema->fields[avro_field_by_id(r->schema, 2)].type;
  const avro_value *d = avro_record_get(r->schema, &v, 2);
  assert_int_equal(avro_record_get(df, d, 103)->u.l, N);
  assert_true(avro_record_get(df, d, 132)->u.c.n >= 3);   /* several row groups */
  assert_int_equal(map_get(df, d, 110, 1)->u.l, 1024);
  const avro_value *lo = map_get(df, d, 125, 1), *hi = map_get(df, d, 128, 1);
  assert_int_equal(lo->u.s.len, 1);
  assert_memory_equal(lo->u.s.data, "a", 1);
  assert_int_equal(hi->u.s.len, 16);
  assert_memory_equal(hi->u.s.data, "zzzzzzzzzzzzzzz{", 16);
  lo = map_get(df, d, 125, 2), hi = map_get(df, d, 128, 2);
  assert_int_equal(lo->u.s.len, 0);
  assert_int_equal(hi->u.s.len, 16);
  assert_memory_equal(hi->u.s.data, "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x80", 16);
  avro_reader_close(r);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

static const char *summary(const ice_snapshot *s, const char *k) {
  const char *v = ice_kv_get(s->summary, s->nsummary, k);
  assert_non_null(v);
  return v;
}

static void test_several_appends(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  create_all_types(dir, NULL, 0);
  ice_write_opts o;
  ice_write_opts_init(&o);
  o.target_file_bytes = 4 << 10;   /* small: files roll */
  o.row_group_bytes = 8 << 10;
  int64_t snaps[3];
  append_range(dir, 0, 3000, &o, &snaps[0]);
  append_range(dir, 3000, 10, NULL, &snaps[1]);
  append_range(dir, 3010, 2000, &o, &snaps[2]);
  assert_int_equal(check_rows(dir, 5009), 5010);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
  assert_int_equal(p.nmanifests, 3);
  assert_true(p.nfiles > 3);
  assert_int_equal(m.nsnapshots, 3);
  assert_int_equal(m.nsnapshot_log, 3);
  assert_int_equal(m.nmetadata_log, 3);
  assert_int_equal(m.last_sequence_number, 3);
  int64_t size = 0;
  for (int i = 0; i < p.nfiles; i++) size += p.files[i].file_size;
  for (int i = 0; i < 3; i++) {
    const ice_snapshot *s = &m.snapshots[i];
    assert_int_equal(s->snapshot_id, snaps[i]);
    assert_int_equal(s->sequence_number, i + 1);
    assert_int_equal(s->has_parent, i > 0);
    if (i) assert_int_equal(s->parent_id, snaps[i - 1]);
    assert_string_equal(summary(s, "operation"), "append");
    assert_string_equal(summary(s, "total-delete-files"), "0");
    assert_string_equal(summary(s, "total-position-deletes"), "0");
    assert_string_equal(summary(s, "total-equality-deletes"), "0");
    assert_string_equal(summary(s, "changed-partition-count"), "1");
  }
  const ice_snapshot *last = &m.snapshots[2];
  assert_string_equal(summary(last, "total-records"), "5010");
  assert_string_equal(summary(last, "added-records"), "2000");
  assert_int_equal(atoll(summary(last, "total-data-files")), p.nfiles);
  assert_int_equal(atoll(summary(last, "total-files-size")), size);
  assert_string_equal(summary(&m.snapshots[1], "added-data-files"), "1");
  assert_string_equal(m.refs[0].name, "main");
  assert_int_equal(m.refs[0].snapshot_id, snaps[2]);
  /* time travel to the first snapshot sees its rows only */
  ice_plan p0;
  assert_int_equal(ice_scan_plan(&a, &m, dir, snaps[0], &p0, &e), ORB_OK);
  assert_int_equal(p0.records, 3000);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* N processes append to one table at once: all commit, nothing is lost. */
static void test_concurrent_appenders(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  create_all_types(dir, (ice_kv[]){{"commit.retry.num-retries", "50"}, {"commit.retry.min-wait-ms", "2"},
                                  {"commit.retry.max-wait-ms", "50"}}, 3);
  enum { PROCS = 6, PER = 3, ROWS = 200 };
  pid_t pids[PROCS];
  for (int p = 0; p < PROCS; p++) {
    pids[p] = fork();
    assert_true(pids[p] >= 0);
    if (pids[p] == 0) {
      for (int k = 0; k < PER; k++) {
        ice_append *app;
        orb_err e;
        if (ice_append_begin(dir, NULL, &app, &e)) _exit(2);
        orb_value rows[ROWS * NCOLS];
        static char texts[ROWS * 32];
        int64_t base = ((int64_t)p * PER + k) * ROWS;
        for (int i = 0; i < ROWS; i++) gen_row(base + i, rows + i * NCOLS, texts + 32 * i);
        int64_t snap;
        if (ice_append_rows(app, rows, ROWS, &e) || ice_append_commit(app, &snap, NULL, &e)) {
          fprintf(stderr, "child %d: %s\n", p, e.msg);
          _exit(1);
        }
      }
      _exit(0);
    }
  }
  for (int p = 0; p < PROCS; p++) {
    int status;
    assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }
  assert_int_equal(check_rows(dir, PROCS * PER * ROWS - 1), PROCS * PER * ROWS);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
  assert_int_equal(m.nsnapshots, PROCS * PER);
  assert_int_equal(m.last_sequence_number, PROCS * PER);
  assert_int_equal(atoll(summary(ice_meta_current_snapshot(&m), "total-records")), PROCS * PER * ROWS);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* A writer killed with SIGKILL anywhere in its work leaves the table at a
** committed snapshot holding exactly that snapshot's rows. */
static void test_crash_during_commits(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  create_all_types(dir, NULL, 0);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  int64_t next_id = 0;
  for (int round = 0; round < 24; round++) {
    /* the child appends batches of 300 rows from next_id on, forever */
    int64_t start = next_id;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      for (int64_t b = start;; b += 300) {
        ice_append *app;
        orb_err e;
        if (ice_append_begin(dir, NULL, &app, &e)) _exit(2);
        static orb_value rows[300 * NCOLS];
        static char texts[300 * 32];
        for (int i = 0; i < 300; i++) gen_row(b + i, rows + i * NCOLS, texts + 32 * i);
        int64_t snap;
        if (ice_append_rows(app, rows, 300, &e) || ice_append_commit(app, &snap, NULL, &e)) _exit(1);
      }
    }
    usleep((useconds_t)(rand() % 60000));
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    /* the table opens; its rows are exactly its snapshot's, whole batches */
    int64_t n = check_rows(dir, next_id + 100000);
    assert_int_equal(n % 300, 0);
    orb_arena a;
    orb_arena_init(&a, 0);
    ice_meta m;
    orb_err e;
    assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
    const ice_snapshot *s = ice_meta_current_snapshot(&m);
    if (s) assert_int_equal(atoll(summary(s, "total-records")), n);
    else assert_int_equal(n, 0);
    orb_arena_free(&a);
    /* the next writer goes on from the committed rows */
    next_id = n;
  }
  ice_test_rmrf(dir);
  free(dir);
}

/* Partitioned tables: every row lands in a file whose partition tuple is
** the transform of its values, under data/<field>=<value>/ folders; the
** rows read back; the manifest list's partition summaries bound the tuples. */
static void check_partitioned(const char *spec_text, const char *path_part, int expect_min_files) {
  char *dir = ice_test_tmpdir("icewrite");
  orb_schema s;
  all_types_schema(&s);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_status st = ice_table_create(&a, dir, NULL, &s, spec_text, NULL, 0, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_schema_free(&s);
  int64_t snap;
  append_range(dir, 0, 700, NULL, &snap);
  append_range(dir, 700, 300, NULL, &snap);
  assert_int_equal(check_rows(dir, 999), 1000);
  ice_meta m;
  ice_plan p;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
  const ice_partition_spec *spec = ice_meta_spec(&m, 0);
  assert_true(spec->nfields > 0);
  assert_true(p.nfiles >= expect_min_files);
  const ice_schema *sc = ice_meta_current_schema(&m);
  ice_column *cols;
  int ncols;
  assert_int_equal(ice_columns(&a, sc, &cols, &ncols, &e), ORB_OK);
  int64_t rows = 0;
  for (int i = 0; i < p.nfiles; i++) {
    ice_file *f = &p.files[i];
    if (path_part) assert_non_null(strstr(f->path, path_part));
    /* this file alone */
    ice_plan one = p;
    one.files = f;
    one.nfiles = 1;
    ice_reader *r;
    assert_int_equal(ice_reader_open(&one, cols, ncols, &r, &e), ORB_OK);
    const orb_value *row;
    int64_t n = 0;
    while ((st = ice_reader_next(r, &row, &e)) == ORB_OK && row) {
      for (int k = 0; k < spec->nfields; k++) {
        const ice_partition_field *pf = &spec->fields[k];
        int c = 0;
        while (sc->fields[c].id != pf->source_id) c++;
        orb_value want, got;
        assert_int_equal(ice_transform_apply(&pf->transform, sc->fields[c].type, &row[c], &a, &want, &e), ORB_OK);
        ice_type rt;
        assert_int_equal(ice_transform_result_type(&pf->transform, sc->fields[c].type, &rt, &e), ORB_OK);
        const avro_value *pv = ice_partition_value(f, pf->field_id);
        assert_non_null(pv);
        if (pv->kind == AVRO_NULL) {
          assert_true(want.isnull);
          continue;
        }
        assert_int_equal(ice_avro_to_value(pv, &rt, &a, &got, &e), ORB_OK);
        assert_false(want.isnull);
        if (orb_value_cmp(&want, &got) != 0) fail_msg("file %s: partition field %s differs", f->path, pf->name);
      }
      n++;
    }
    assert_int_equal(st, ORB_OK);
    assert_int_equal(n, f->record_count);
    rows += n;
    ice_reader_free(r);
  }
  assert_int_equal(rows, 1000);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_string_equal(summary(cur, "changed-partition-count"), summary(cur, "added-data-files"));
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

static void test_partitioned(void **state) {
  (void)state;
  check_partitioned("day(ts), bucket(4, id)", "/data/ts_day=", 8);
  check_partitioned("truncate(3, txt), year(d)", "/data/txt_trunc=", 4);
  check_partitioned("month(tstz), day(ts)", "/data/tstz_month=", 4);
  check_partitioned("hour(tstz)", "/data/tstz_hour=", 20);
  check_partitioned("b, void(i32), bucket(3, u)", "/data/b=", 2);
  check_partitioned("truncate(999999999, dec), bucket(5, txt)", "/data/dec_trunc=", 4);
  check_partitioned("identity(b), truncate(2, bin)", "/data/b=", 4);
  /* a bad spec is refused at create, with what is wrong */
  char *dir = ice_test_tmpdir("icewrite");
  orb_schema s;
  all_types_schema(&s);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  assert_int_not_equal(ice_table_create(&a, dir, NULL, &s, "day(nope)", NULL, 0, NULL, &e), ORB_OK);
  assert_non_null(strstr(e.msg, "nope"));
  assert_int_not_equal(ice_table_create(&a, dir, NULL, &s, "bucket(4, f64)", NULL, 0, NULL, &e), ORB_OK);
  orb_schema_free(&s);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* Appending to tables Trino wrote (copies of two fixtures): Trino's
** manifests carry forward, our rows join theirs, the sequence number and
** totals continue from Trino's, identity partitions route by c1 and c2. */
static void append_to_fixture(const char *name, int64_t fixture_rows) {
  char *dir = ice_test_tmpdir("icewrite");
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "cp -r ../shared/fixtures/iceberg-trino/%s/. '%s/'", name, dir);
  assert_int_equal(system(cmd), 0);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_meta before;
  ice_plan pb;
  assert_int_equal(ice_scan_open(&a, dir, -1, &before, &pb, &e), ORB_OK);
  assert_int_equal(pb.records, fixture_rows);
  ice_append *app;
  assert_int_equal(ice_append_begin(dir, NULL, &app, &e), ORB_OK);
  assert_int_equal(ice_append_ncols(app), 3);
  orb_value rows[20 * 3];
  for (int i = 0; i < 20; i++) {
    rows[3 * i] = orb_int(ORB_T_INT32, 100 + i % 3);
    rows[3 * i + 1] = orb_int(ORB_T_DATE, 20000 + i % 2);
    rows[3 * i + 2] = orb_float(ORB_T_FLOAT64, i * 0.25);
  }
  assert_int_equal(ice_append_rows(app, rows, 20, &e), ORB_OK);
  int64_t snap;
  orb_status st = ice_append_commit(app, &snap, NULL, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  ice_meta after;
  ice_plan pa;
  assert_int_equal(ice_scan_open(&a, dir, -1, &after, &pa, &e), ORB_OK);
  assert_int_equal(pa.records, fixture_rows + 20);
  assert_int_equal(pa.nmanifests, pb.nmanifests + 1);
  const ice_snapshot *s = ice_meta_current_snapshot(&after);
  assert_int_equal(s->snapshot_id, snap);
  assert_int_equal(s->parent_id, ice_meta_current_snapshot(&before)->snapshot_id);
  assert_int_equal(s->sequence_number, before.last_sequence_number + 1);
  assert_int_equal(atoll(summary(s, "total-records")), fixture_rows + 20);
  /* our files are named under the table's own location (s3a://...) */
  assert_non_null(strstr(pa.files[0].orig_path, "s3a://warehouse/"));
  /* every row reads: Trino's and ours */
  ice_column *cols;
  int ncols;
  assert_int_equal(ice_columns(&a, pa.schema, &cols, &ncols, &e), ORB_OK);
  ice_reader *r;
  assert_int_equal(ice_reader_open(&pa, cols, ncols, &r, &e), ORB_OK);
  const orb_value *row;
  int64_t n = 0, ours = 0;
  while ((st = ice_reader_next(r, &row, &e)) == ORB_OK && row) {
    n++;
    if (!row[0].isnull && row[0].u.i >= 100) {
      ours++;
      assert_true(row[1].u.i == 20000 || row[1].u.i == 20001);
    }
  }
  assert_int_equal(st, ORB_OK);
  assert_int_equal(n, fixture_rows + 20);
  assert_int_equal(ours, 20);
  ice_reader_free(r);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

static void test_append_to_trino_tables(void **state) {
  (void)state;
  append_to_fixture("no_partitioning", 6);
  append_to_fixture("partitioned_table", 6);
}

/* A commit that loses the race reloads, re-applies on the new version and
** wins on the next attempt; with no retries allowed it fails clearly and
** removes its files. */
static void test_conflict_retry(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icewrite");
  create_all_types(dir, (ice_kv[]){{"commit.retry.min-wait-ms", "1"}}, 1);
  ice_append *a1;
  orb_err e;
  orb_value row[NCOLS];
  char text[32];
  assert_int_equal(ice_append_begin(dir, NULL, &a1, &e), ORB_OK);
  gen_row(0, row, text);
  assert_int_equal(ice_append_rows(a1, row, 1, &e), ORB_OK);
  int64_t s2, s1;
  append_range(dir, 1, 10, NULL, &s2);   /* commits version 2 under a1's feet */
  ice_append_stats st;
  orb_status rc = ice_append_commit(a1, &s1, &st, &e);
  if (rc) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(rc, ORB_OK);
  assert_int_equal(st.attempts, 2);
  assert_int_equal(check_rows(dir, 10), 11);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_int_equal(cur->snapshot_id, s1);
  assert_int_equal(cur->parent_id, s2);
  assert_int_equal(cur->sequence_number, 2);
  assert_string_equal(summary(cur, "total-records"), "11");
  /* the losing attempt's manifest list is gone: one list per snapshot */
  char cmd[600];
  snprintf(cmd, sizeof cmd, "ls '%s'/metadata/snap-*.avro | wc -l", dir);
  FILE *f = popen(cmd, "r");
  int lists = 0;
  assert_int_equal(fscanf(f, "%d", &lists), 1);
  pclose(f);
  assert_int_equal(lists, 2);

  /* no retries: a clear conflict, and nothing of the appender is left */
  ice_write_opts o;
  ice_write_opts_init(&o);
  o.max_retries = 0;
  assert_int_equal(ice_append_begin(dir, &o, &a1, &e), ORB_OK);
  assert_int_equal(ice_append_rows(a1, row, 1, &e), ORB_OK);
  append_range(dir, 11, 5, NULL, &s2);
  int files = ice_test_count_files(dir, NULL);
  assert_int_equal(ice_append_commit(a1, &s1, NULL, &e), ORB_ERR_CONFLICT);
  assert_non_null(strstr(e.msg, "after 1 attempts"));
  assert_int_equal(ice_test_count_files(dir, NULL), files - 1);   /* its data file */
  assert_int_equal(check_rows(dir, 15), 16);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create),
      cmocka_unit_test(test_append_and_metrics),
      cmocka_unit_test(test_several_appends),
      cmocka_unit_test(test_string_bounds_over_row_groups),
      cmocka_unit_test(test_conflict_retry),
      cmocka_unit_test(test_concurrent_appenders),
      cmocka_unit_test(test_crash_during_commits),
      cmocka_unit_test(test_partitioned),
      cmocka_unit_test(test_append_to_trino_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
