/* tests/storage/test_ice_meta_current.c — ice_meta_parse_current, the
** metadata read of scans and counts that leaves a table's history out: it
** keeps the current snapshot and those refs name, drops the logs, marks the
** model partial, and otherwise agrees with ice_meta_parse — on generated
** documents whose strings put brackets, quotes and backslashes at every
** offset of the scanner's 64-byte blocks, on every metadata file of the
** fixtures, and in its errors (which are the full reader's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>

#include <cmocka.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/mem.h"
#include "storage/cold/ice_meta.h"

/* The text so far, NUL-terminated (the NUL is not part of len). */
static const char *cstr(orb_buf *b) {
  orb_buf_putc(b, '\0');
  b->len--;
  return b->data;
}

/* A v2 document of n snapshots (ids 1..n, current n, tag "old" at 1),
** pretty-printed, with snapshot and metadata logs and statistics.  Each
** summary carries a string of brackets, quotes and backslashes whose length
** grows with the snapshot, so that strings and escapes straddle the
** scanner's blocks at every offset. */
static char *make_doc(int n, const char *current) {
  orb_buf b;
  orb_buf_init(&b);
  orb_buf_printf(&b,
                 "{\n  \"format-version\" : 2,\n  \"table-uuid\" : \"9c12d441-03fe-4693-9a96-a0705ddf69c1\",\n"
                 "  \"location\" : \"/wh/t\",\n  \"last-sequence-number\" : %d,\n  \"last-updated-ms\" : 1700000000000,\n"
                 "  \"last-column-id\" : 1,\n  \"current-schema-id\" : 0,\n"
                 "  \"schemas\" : [ {\"type\" : \"struct\", \"schema-id\" : 0, \"fields\" : [ {\"id\" : 1, \"name\" : "
                 "\"id\", \"required\" : true, \"type\" : \"long\"} ] } ],\n"
                 "  \"default-spec-id\" : 0,\n  \"partition-specs\" : [ {\"spec-id\" : 0, \"fields\" : [ ] } ],\n"
                 "  \"last-partition-id\" : 999,\n  \"default-sort-order-id\" : 0,\n"
                 "  \"sort-orders\" : [ {\"order-id\" : 0, \"fields\" : [ ] } ],\n"
                 "  \"properties\" : {\"note\" : \"a \\\"quoted\\\" [value] {x}\"},\n"
                 "  \"current-snapshot-id\" : %s,\n"
                 "  \"refs\" : {\"main\" : {\"snapshot-id\" : %s, \"type\" : \"branch\"}, \"old\" : {\"snapshot-id\" : 1, "
                 "\"type\" : \"tag\"}},\n  \"snapshots\" : [",
                 n, current, current);
  for (int i = 1; i <= n; i++) {
    orb_buf_printf(&b, "%s {\n    \"snapshot-id\" : %d,\n", i > 1 ? "," : "", i);
    if (i > 1) orb_buf_printf(&b, "    \"parent-snapshot-id\" : %d,\n", i - 1);
    orb_buf_printf(&b, "    \"sequence-number\" : %d,\n    \"timestamp-ms\" : %d,\n    \"summary\" : {\n"
                       "      \"operation\" : \"append\",\n      \"odd\" : \"",
                   i, 1000 + i);
    for (int k = 0; k < i; k++) orb_buf_puts(&b, k % 5 == 0 ? "\\\"" : k % 5 == 1 ? "\\\\" : k % 5 == 2 ? "[" : k % 5 == 3 ? "}" : "x");
    orb_buf_printf(&b, "\",\n      \"added-records\" : \"%d\"\n    },\n"
                       "    \"manifest-list\" : \"/wh/t/metadata/snap-%d.avro\",\n    \"schema-id\" : 0\n  }",
                   i, i);
  }
  orb_buf_puts(&b, " ],\n  \"statistics\" : [ ],\n  \"snapshot-log\" : [");
  for (int i = 1; i <= n; i++) orb_buf_printf(&b, "%s {\"timestamp-ms\" : %d, \"snapshot-id\" : %d}", i > 1 ? "," : "", 1000 + i, i);
  orb_buf_puts(&b, " ],\n  \"metadata-log\" : [");
  for (int i = 1; i < n; i++)
    orb_buf_printf(&b, "%s {\"timestamp-ms\" : %d, \"metadata-file\" : \"/wh/t/metadata/v%d.metadata.json\"}", i > 1 ? "," : "",
                   1000 + i, i);
  orb_buf_puts(&b, " ]\n}\n");
  char *s = orb_strdup(cstr(&b));
  orb_buf_free(&b);
  return s;
}

/* Both readers on the same bytes: the full one must succeed, the partial one
** must agree with it on everything a read of the current snapshot uses. */
static void expect_agree(const void *data, size_t len, const char *name, bool want_partial) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_meta full, cur;
  if (ice_meta_parse(&a, data, len, name, &full, &e) != ORB_OK) fail_msg("%s: %s", name, e.msg);
  if (ice_meta_parse_current(&a, data, len, name, &cur, &e) != ORB_OK) fail_msg("%s (current): %s", name, e.msg);
  assert_int_equal(cur.partial, want_partial);
  assert_false(full.partial);
  assert_int_equal(cur.format_version, full.format_version);
  assert_string_equal(cur.location, full.location);
  assert_int_equal(cur.current_snapshot_id, full.current_snapshot_id);
  assert_int_equal(cur.current_schema_id, full.current_schema_id);
  assert_int_equal(cur.nschemas, full.nschemas);
  assert_int_equal(cur.nspecs, full.nspecs);
  assert_int_equal(cur.default_spec_id, full.default_spec_id);
  assert_int_equal(cur.nproperties, full.nproperties);
  assert_int_equal(cur.nrefs, full.nrefs);
  assert_int_equal(cur.last_sequence_number, full.last_sequence_number);
  const ice_snapshot *fs = ice_meta_current_snapshot(&full), *cs = ice_meta_current_snapshot(&cur);
  assert_int_equal(fs == NULL, cs == NULL);
  if (fs) {
    assert_int_equal(cs->sequence_number, fs->sequence_number);
    assert_int_equal(cs->timestamp_ms, fs->timestamp_ms);
    assert_int_equal(cs->nsummary, fs->nsummary);
    assert_int_equal(cs->manifest_list == NULL, fs->manifest_list == NULL);
    if (fs->manifest_list) assert_string_equal(cs->manifest_list, fs->manifest_list);
  }
  /* every ref's snapshot is there */
  for (int i = 0; i < cur.nrefs; i++) assert_non_null(ice_meta_snapshot(&cur, cur.refs[i].snapshot_id));
  if (!want_partial) {
    assert_int_equal(cur.nsnapshots, full.nsnapshots);
    assert_int_equal(cur.nsnapshot_log, full.nsnapshot_log);
    assert_int_equal(cur.nmetadata_log, full.nmetadata_log);
  }
  orb_arena_free(&a);
}

static void test_keeps_current_and_refs(void **state) {
  (void)state;
  for (int n = 1; n <= 140; n += 13) {
    char id[16];
    snprintf(id, sizeof id, "%d", n);
    char *doc = make_doc(n, id);
    expect_agree(doc, strlen(doc), "gen.metadata.json", true);
    orb_arena a;
    orb_arena_init(&a, 0);
    orb_err e;
    ice_meta m;
    assert_int_equal(ice_meta_parse_current(&a, doc, strlen(doc), "gen.metadata.json", &m, &e), ORB_OK);
    assert_int_equal(m.nsnapshots, n == 1 ? 1 : 2);   /* the current one and the tag's */
    assert_non_null(ice_meta_snapshot(&m, n));
    assert_non_null(ice_meta_snapshot(&m, 1));
    assert_int_equal(m.nsnapshot_log, 0);
    assert_int_equal(m.nmetadata_log, 0);
    assert_int_equal(m.extra.n, 1);   /* statistics, kept */
    assert_string_equal(m.extra.items[0].key, "statistics");
    assert_string_equal(ice_kv_get(m.properties, m.nproperties, "note"), "a \"quoted\" [value] {x}");
    /* a partial model is never written back: it would lose the history */
    char *json;
    size_t len;
    assert_int_equal(ice_meta_to_json(&m, &json, &len, &e), ORB_ERR_INTERNAL);
    orb_arena_free(&a);
    orb_free(doc);
  }
}

static void test_no_current_snapshot(void **state) {
  (void)state;
  /* null and -1 both say "none"; the tag's snapshot is still kept */
  const char *none[] = {"null", "-1"};
  for (int i = 0; i < 2; i++) {
    char *doc = make_doc(3, "3");
    /* main cannot name a snapshot when there is none: drop it */
    char *main_ref = strstr(doc, "\"main\" : {\"snapshot-id\" : 3, \"type\" : \"branch\"}, ");
    assert_non_null(main_ref);
    memmove(main_ref, main_ref + strlen("\"main\" : {\"snapshot-id\" : 3, \"type\" : \"branch\"}, "),
            strlen(main_ref) - strlen("\"main\" : {\"snapshot-id\" : 3, \"type\" : \"branch\"}, ") + 1);
    char *cur = strstr(doc, "\"current-snapshot-id\" : 3");
    orb_buf b;
    orb_buf_init(&b);
    orb_buf_append(&b, doc, (size_t)(cur - doc));
    orb_buf_printf(&b, "\"current-snapshot-id\" : %s", none[i]);
    orb_buf_puts(&b, cur + strlen("\"current-snapshot-id\" : 3"));
    expect_agree(cstr(&b), b.len, "none.metadata.json", true);
    orb_arena a;
    orb_arena_init(&a, 0);
    orb_err e;
    ice_meta m;
    assert_int_equal(ice_meta_parse_current(&a, cstr(&b), b.len, "none.metadata.json", &m, &e), ORB_OK);
    assert_int_equal(m.current_snapshot_id, -1);
    assert_int_equal(m.nsnapshots, 1);
    orb_arena_free(&a);
    orb_buf_free(&b);
    orb_free(doc);
  }
}

/* Input the scanner leaves to the full reader gives the full reader's
** result: escaped keys, duplicate keys, odd numbers, broken JSON. */
static void test_falls_back(void **state) {
  (void)state;
  char *doc = make_doc(4, "4");
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e, ef;
  ice_meta m;

  /* an escaped key the scanner does not compare: the full read, not partial */
  char *esc = orb_strdup(doc);
  char *k = strstr(esc, "\"snapshot-log\"");
  orb_buf b;
  orb_buf_init(&b);
  orb_buf_append(&b, esc, (size_t)(k - esc));
  orb_buf_puts(&b, "\"snapshot\\u002dlog\"");
  orb_buf_puts(&b, k + strlen("\"snapshot-log\""));
  assert_int_equal(ice_meta_parse_current(&a, cstr(&b), b.len, "esc.metadata.json", &m, &e), ORB_OK);
  assert_false(m.partial);
  assert_int_equal(m.nsnapshot_log, 4);
  orb_buf_free(&b);
  orb_free(esc);

  /* broken and odd documents: the same status and message as the full read */
  const char *bad[] = {
      "",                                                       /* empty */
      "[1, 2]",                                                 /* not an object */
      "{\"format-version\": 2",                                 /* truncated */
      "{\"format-version\": 3}",                                /* unsupported */
      "{\"format-version\": 2, \"format-version\": 2}",         /* duplicate key */
      "{\"snapshots\": [], \"snapshots\": []}",                 /* duplicate key the scanner sees */
      "{\"current-snapshot-id\": 1.0, \"snapshots\": [1]}",     /* not an integer */
      "{\"current-snapshot-id\": 007}",                         /* not JSON */
      "{\"snapshots\": [{\"snapshot-id\": \"7\"}]}",            /* the id's type */
      "{\"snapshots\": [{\"snapshot-id\": 7} {}]}",              /* no comma */
      "{\"snapshots\": [{\"x\": \"unterminated}]}",
      "{\"snapshots\": [{\"x\": [}]}",
      "{\"a\": 1} trailing",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    orb_err_clear(&e);
    orb_err_clear(&ef);
    orb_status s1 = ice_meta_parse(&a, bad[i], strlen(bad[i]), "bad.metadata.json", &m, &ef);
    orb_status s2 = ice_meta_parse_current(&a, bad[i], strlen(bad[i]), "bad.metadata.json", &m, &e);
    assert_int_not_equal(s1, ORB_OK);
    assert_int_equal(s2, s1);
    assert_string_equal(e.msg, ef.msg);
  }

  /* an error in the kept snapshot is reported at its place in the file */
  char *typo = orb_strdup(doc);
  char *seq = strstr(typo, "\"sequence-number\" : 4");
  assert_non_null(seq);
  memcpy(seq + strlen("\"sequence-number\" : "), "\"", 1);   /* 4 -> " ... a string that runs on */
  orb_err_clear(&e);
  orb_err_clear(&ef);
  orb_status s1 = ice_meta_parse(&a, typo, strlen(typo), "typo.metadata.json", &m, &ef);
  assert_int_equal(ice_meta_parse_current(&a, typo, strlen(typo), "typo.metadata.json", &m, &e), s1);
  assert_string_equal(e.msg, ef.msg);
  orb_free(typo);

  char *wrong = orb_strdup(doc);
  char *lst = strstr(wrong, "\"manifest-list\" : \"/wh/t/metadata/snap-4.avro\"");
  assert_non_null(lst);
  memcpy(lst + strlen("\"manifest-list\" : "), "true                        ", strlen("\"/wh/t/metadata/snap-4.avro\""));
  orb_err_clear(&e);
  assert_int_equal(ice_meta_parse_current(&a, wrong, strlen(wrong), "wrong.metadata.json", &m, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "snapshots[3].manifest-list: expected a string"));   /* the file's index, not the kept copy's */
  orb_free(wrong);

  /* an error in a snapshot left out is not looked at until the history is read */
  char *old = orb_strdup(doc);
  char *ts = strstr(old, "\"timestamp-ms\" : 1002");
  assert_non_null(ts);
  memcpy(ts + strlen("\"timestamp-ms\" : "), "\"x\" ", 4);
  assert_int_equal(ice_meta_parse_current(&a, old, strlen(old), "old.metadata.json", &m, &e), ORB_OK);
  assert_int_equal(ice_meta_parse(&a, old, strlen(old), "old.metadata.json", &m, &e), ORB_ERR_CORRUPT);
  assert_non_null(strstr(e.msg, "snapshots[1].timestamp-ms: expected an integer"));
  orb_free(old);

  orb_arena_free(&a);
  orb_free(doc);
}

static void test_gzip(void **state) {
  (void)state;
  char *doc = make_doc(30, "30");
  uLongf cap = compressBound(strlen(doc)) + 32;
  uint8_t *gz = orb_malloc(cap);
  z_stream z;
  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  z.next_in = (Bytef *)doc;
  z.avail_in = (uInt)strlen(doc);
  z.next_out = gz;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  size_t n = z.total_out;
  deflateEnd(&z);
  expect_agree(gz, n, "gen.gz.metadata.json", true);
  orb_free(gz);
  orb_free(doc);
}

/* Every metadata file of every fixture table (all versions). */
static void test_fixtures_agree(void **state) {
  (void)state;
  const char *patterns[] = {"../shared/fixtures/iceberg-trino/*/metadata/*.metadata.json",
                            "../shared/fixtures/iceberg-trino/*/*/metadata/*.metadata.json",
                            "../shared/fixtures/iceberg-trino/*/*/*/metadata/*.metadata.json"};
  int files = 0, partial = 0;
  for (size_t p = 0; p < 3; p++) {
    glob_t g;
    if (glob(patterns[p], 0, NULL, &g) != 0) continue;
    for (size_t i = 0; i < g.gl_pathc; i++) {
      char *data;
      size_t len;
      orb_err e;
      assert_int_equal(orb_file_read_all(g.gl_pathv[i], ICE_META_MAX_BYTES, &data, &len, &e), ORB_OK);
      orb_arena a;
      orb_arena_init(&a, 0);
      ice_meta full, cur;
      orb_err ef;
      orb_status s1 = ice_meta_parse(&a, data, len, g.gl_pathv[i], &full, &ef);
      orb_status s2 = ice_meta_parse_current(&a, data, len, g.gl_pathv[i], &cur, &e);
      if (s1 != ORB_OK) {   /* deletion_vectors: format version 3, refused the same way */
        assert_int_equal(s2, s1);
        assert_string_equal(e.msg, ef.msg);
      } else {
        expect_agree(data, len, g.gl_pathv[i], cur.partial);
        partial += cur.partial;
        files++;
      }
      orb_arena_free(&a);
      orb_free(data);
    }
    globfree(&g);
  }
  printf("fixture metadata files read both ways and agreeing: %d (%d with history left out)\n", files, partial);
  assert_true(files >= 40);
  assert_true(partial >= 20);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keeps_current_and_refs), cmocka_unit_test(test_no_current_snapshot),
      cmocka_unit_test(test_falls_back),             cmocka_unit_test(test_gzip),
      cmocka_unit_test(test_fixtures_agree),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
