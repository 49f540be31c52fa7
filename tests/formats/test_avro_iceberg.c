/* tests/formats/test_avro_iceberg.c — the Avro reader and writer on the
** manifest lists and manifests that Trino and Spark (Java's Avro) wrote
** under ../shared/fixtures/iceberg-trino.
**
** 1. Every .avro file reads to its end.
** 2. What the files say agrees with what the tables' metadata JSON (read by
**    jansson, not by us) says, looked up by Iceberg field id: for every
**    snapshot whose manifest list is still there, the manifest list's
**    added-row counts add up to the snapshot summary's added-records and
**    added deletes, and its added plus existing rows to total-records and
**    the total deletes; every manifest's manifest_length is the manifest's
**    size on disk; each manifest's entries (by status) agree with the
**    manifest list's file and row counts; every live entry's file_path
**    exists under the table's folder once the table's location is
**    stripped; and a bucket partition value is the one in the file's path.
** 3. Round trip: every file written again by our writer, with another
**    codec and small blocks, reads back to equal records and metadata, and
**    the schema we write is the same JSON document Java wrote, field ids
**    and all.
** 4. Resolution by field id: manifest lists and manifests read through
**    reader schemas whose fields have other names and order.
** 5. avsc (npm) decodes the fixtures, our rewrites of them and a file of
**    every kind of value to the same records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <ftw.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "formats/avro/avro.h"

#define FIXTURES "../shared/fixtures/iceberg-trino"

static char **paths;        /* every .avro file */
static size_t npaths, cap_paths;
static char **tables;       /* every folder holding metadata/ *.metadata.json */
static size_t ntables, cap_tables;

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  size_t n = strlen(path);
  if (type == FTW_F && n > 5 && strcmp(path + n - 5, ".avro") == 0) {
    paths = orb_grow(paths, &cap_paths, npaths + 1, sizeof *paths);
    paths[npaths++] = orb_strdup(path);
  }
  if (type == FTW_D && n > 9 && strcmp(path + n - 9, "/metadata") == 0) {
    tables = orb_grow(tables, &cap_tables, ntables + 1, sizeof *tables);
    tables[ntables++] = orb_strndup(path, n - 9);
  }
  return 0;
}

static int setup(void **state) {
  (void)state;
  if (nftw(FIXTURES, collect, 16, FTW_PHYS) != 0) {
    fprintf(stderr, "cannot walk %s\n", FIXTURES);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  (void)state;
  for (size_t i = 0; i < npaths; i++) orb_free(paths[i]);
  for (size_t i = 0; i < ntables; i++) orb_free(tables[i]);
  orb_free(paths);
  orb_free(tables);
  return 0;
}

/* A datum's value through a union: NULL when null. */
static const avro_value *nonnull(const avro_value *v) { return v && v->kind != AVRO_NULL ? v : NULL; }

static int64_t get_long(const avro_schema *s, const avro_value *rec, int32_t id, int64_t dflt) {
  const avro_value *v = nonnull(avro_record_get(s, rec, id));
  if (!v) return dflt;
  return v->kind == AVRO_INT ? v->u.i : v->u.l;
}

/* The field's schema, through a ["null", T] union. */
static const avro_schema *field_type(const avro_schema *rec, int32_t id) {
  int i = avro_field_by_id(rec, id);
  if (i < 0) return NULL;
  const avro_schema *t = rec->fields[i].type;
  if (t->kind == AVRO_UNION)
    for (int b = 0; b < t->nbranches; b++)
      if (t->branches[b]->kind != AVRO_NULL) return t->branches[b];
  return t;
}

static void test_every_file_reads(void **state) {
  (void)state;
  assert_true(npaths >= 90);   /* 92 when this was written */
  int64_t records = 0;
  for (size_t i = 0; i < npaths; i++) {
    avro_reader *r;
    orb_err e;
    orb_err_clear(&e);
    if (avro_reader_open(paths[i], 0, &r, &e) != ORB_OK) fail_msg("%s", e.msg);
    assert_int_equal(r->codec, AVRO_CODEC_DEFLATE);   /* what Java's Iceberg writes */
    assert_int_equal(r->schema->kind, AVRO_RECORD);
    /* Iceberg's header keys */
    assert_non_null(avro_reader_meta(r, "format-version"));
    const char *base = strrchr(paths[i], '/') + 1;
    if (strncmp(base, "snap-", 5) == 0) assert_non_null(avro_reader_meta(r, "snapshot-id"));
    else {
      assert_non_null(avro_reader_meta(r, "partition-spec"));
      assert_non_null(avro_reader_meta(r, "schema"));
    }
    orb_arena a;
    orb_arena_init(&a, 0);
    avro_value v;
    bool got;
    orb_status st;
    while ((st = avro_reader_next(r, &a, &v, &got, &e)) == ORB_OK && got) records++;
    if (st != ORB_OK) fail_msg("%s", e.msg);
    orb_arena_free(&a);
    avro_reader_close(r);
  }
  print_message("%zu files, %lld records\n", npaths, (long long)records);
}

/* The latest metadata file of a table: the highest version number. */
static char *latest_metadata(const char *table) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/metadata", table);
  DIR *d = opendir(dir);
  if (!d) return NULL;
  struct dirent *de;
  long best = -1;
  char *path = NULL;
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n < 14 || strcmp(de->d_name + n - 14, ".metadata.json") != 0) continue;
    long v = strtol(de->d_name + (de->d_name[0] == 'v'), NULL, 10);
    if (v > best) {
      best = v;
      orb_free(path);
      path = orb_malloc(strlen(dir) + n + 2);
      sprintf(path, "%s/%s", dir, de->d_name);
    }
  }
  closedir(d);
  return path;
}

/* A path the table's metadata gives, re-rooted onto the table's folder; a
** path beside the location (v_20240913 keeps its data files in the
** location's parent) goes up as many folders as it leaves. */
static bool local_path(const char *table, const char *location, const char *p, char *out, size_t cap) {
  size_t common = 0;
  for (size_t i = 0; location[i] && location[i] == p[i]; i++)
    if (location[i] == '/') common = i + 1;
  size_t n = strlen(location);
  if (strncmp(p, location, n) == 0 && (p[n] == '/' || !p[n])) common = n;
  if (common < 8) return false;   /* not even the same bucket */
  int up = 0;   /* the location's folders after the common part */
  for (const char *q = location + common; common < n && *q; q++)
    if (q[0] != '/' && (q == location + common || q[-1] == '/')) up++;
  size_t len = (size_t)snprintf(out, cap, "%s", table);
  for (int i = 0; i < up && len < cap; i++) len += (size_t)snprintf(out + len, cap - len, "/..");
  snprintf(out + len, cap - len, "%s%s", p[common] == '/' || common == n ? "" : "/", p + common);
  return true;
}

static int64_t summary_long(json_t *summary, const char *key) {
  json_t *v = json_object_get(summary, key);
  return json_is_string(v) ? strtoll(json_string_value(v), NULL, 10) : 0;
}

typedef struct tally {
  int lists, manifests, entries, files_found, buckets;
} tally;

/* One manifest: its entries against the manifest list's counts. */
static void check_manifest(const char *table, const char *location, const char *path, const avro_schema *ls,
                           const avro_value *mf, tally *t) {
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal((int64_t)sb.st_size, get_long(ls, mf, 501, -1));   /* manifest_length */
  avro_reader *r;
  orb_err e;
  orb_err_clear(&e);
  if (avro_reader_open(path, 0, &r, &e) != ORB_OK) fail_msg("%s", e.msg);
  const avro_schema *s = r->schema;
  const avro_schema *df = field_type(s, 2);
  assert_non_null(df);
  const avro_schema *part = field_type(df, 102);
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_value v;
  bool got;
  int64_t files[3] = {0}, rows[3] = {0};
  while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got) {
    int64_t status = get_long(s, &v, 0, -1);
    assert_true(status >= 0 && status <= 2);
    const avro_value *d = avro_record_get(s, &v, 2);
    files[status]++;
    rows[status] += get_long(df, d, 103, 0);   /* record_count */
    const avro_value *fp = avro_record_get(df, d, 100);
    assert_non_null(fp);
    char local[2048];
    if (!local_path(table, location, fp->u.s.data, local, sizeof local))
      fail_msg("%s: %s is outside the table's location %s", path, fp->u.s.data, location);
    if (status != 2) {
      if (stat(local, &sb) != 0) fail_msg("%s: data file %s does not exist", path, local);
      t->files_found++;
    }
    /* bucket values are in the path Trino wrote: .../<name>_bucket=<n>/... */
    const avro_value *pv = avro_record_get(df, d, 102);
    for (int i = 0; part && pv && i < part->nfields; i++) {
      const char *name = part->fields[i].name;
      size_t n = strlen(name);
      const avro_value *x = nonnull(&pv->u.c.v[i]);
      if (n < 7 || strcmp(name + n - 7, "_bucket") != 0 || !x || x->kind != AVRO_INT) continue;
      char want[256];
      snprintf(want, sizeof want, "/%s=%d/", name, (int)x->u.i);
      if (!strstr(fp->u.s.data, want)) fail_msg("%s: %s does not contain %s", path, fp->u.s.data, want);
      t->buckets++;
    }
    t->entries++;
    orb_arena_reset(&a);
  }
  if (e.code) fail_msg("%s", e.msg);
  /* status 1 added, 0 existing, 2 deleted; the manifest list's fields 504..506 and 512..514 */
  assert_int_equal(files[1], get_long(ls, mf, 504, -1));
  assert_int_equal(files[0], get_long(ls, mf, 505, -1));
  assert_int_equal(files[2], get_long(ls, mf, 506, -1));
  assert_int_equal(rows[1], get_long(ls, mf, 512, -1));
  assert_int_equal(rows[0], get_long(ls, mf, 513, -1));
  assert_int_equal(rows[2], get_long(ls, mf, 514, -1));
  orb_arena_free(&a);
  avro_reader_close(r);
  t->manifests++;
}

static void check_table(const char *table, tally *t) {
  char *meta = latest_metadata(table);
  if (!meta) return;
  json_error_t je;
  json_t *m = json_load_file(meta, 0, &je);
  if (!m) fail_msg("%s: %s", meta, je.text);
  const char *location = json_string_value(json_object_get(m, "location"));
  assert_non_null(location);
  size_t i;
  json_t *snap;
  json_array_foreach(json_object_get(m, "snapshots"), i, snap) {
    int64_t id = json_integer_value(json_object_get(snap, "snapshot-id"));
    json_t *summary = json_object_get(snap, "summary");
    char list[2048];
    struct stat sb;
    if (!local_path(table, location, json_string_value(json_object_get(snap, "manifest-list")), list, sizeof list))
      fail_msg("%s: a manifest list outside the location", meta);
    if (stat(list, &sb) != 0) continue;   /* expired and cleaned up */
    avro_reader *r;
    orb_err e;
    orb_err_clear(&e);
    if (avro_reader_open(list, 0, &r, &e) != ORB_OK) fail_msg("%s", e.msg);
    char sid[32];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    assert_string_equal(avro_reader_meta(r, "snapshot-id")->value, sid);
    orb_arena a;
    orb_arena_init(&a, 0);
    avro_value v;
    bool got;
    int64_t added_data = 0, added_deletes = 0, total_data = 0, total_deletes = 0;
    while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got) {
      int64_t content = get_long(r->schema, &v, 517, 0);   /* absent in v1: data */
      int64_t added = get_long(r->schema, &v, 512, 0), existing = get_long(r->schema, &v, 513, 0);
      bool mine = get_long(r->schema, &v, 503, -1) == id;
      if (content == 0) {
        if (mine) added_data += added;
        total_data += added + existing;
      } else {
        if (mine) added_deletes += added;
        total_deletes += added + existing;
      }
      char mpath[2048];
      const avro_value *p = avro_record_get(r->schema, &v, 500);
      assert_true(local_path(table, location, p->u.s.data, mpath, sizeof mpath));
      check_manifest(table, location, mpath, r->schema, &v, t);
    }
    if (e.code) fail_msg("%s", e.msg);
    if (added_data != summary_long(summary, "added-records") ||
        added_deletes != summary_long(summary, "added-position-deletes") + summary_long(summary, "added-equality-deletes") ||
        total_data != summary_long(summary, "total-records") ||
        total_deletes != summary_long(summary, "total-position-deletes") + summary_long(summary, "total-equality-deletes"))
      fail_msg("%s: snapshot %lld: rows added %lld, total %lld, deletes added %lld, total %lld disagree with the summary",
               list, (long long)id, (long long)added_data, (long long)total_data, (long long)added_deletes,
               (long long)total_deletes);
    orb_arena_free(&a);
    avro_reader_close(r);
    t->lists++;
  }
  json_decref(m);
  orb_free(meta);
}

static void test_tables_agree_with_metadata(void **state) {
  (void)state;
  tally t = {0};
  for (size_t i = 0; i < ntables; i++) check_table(tables[i], &t);
  print_message("%zu tables: %d manifest lists, %d manifests, %d entries, %d data/delete files found, %d bucket values\n",
                ntables, t.lists, t.manifests, t.entries, t.files_found, t.buckets);
  /* a test that checked nothing must not pass */
  assert_true(ntables >= 20);
  assert_true(t.lists >= 40 && t.manifests >= 40 && t.files_found >= 40 && t.buckets >= 5);
}

/* Read a whole file's records into a. */
static size_t read_all(avro_reader *r, orb_arena *a, avro_value **out) {
  size_t n = 0, cap = 0;
  avro_value *v = NULL, x;
  bool got;
  orb_err e;
  orb_err_clear(&e);
  while (avro_reader_next(r, a, &x, &got, &e) == ORB_OK && got) {
    v = orb_grow(v, &cap, n + 1, sizeof *v);
    v[n++] = x;
  }
  if (e.code) fail_msg("%s", e.msg);
  *out = v;
  return n;
}

static void test_round_trip(void **state) {
  (void)state;
  size_t total = 0;
  for (size_t i = 0; i < npaths; i++) {
    avro_reader *r;
    orb_err e;
    orb_err_clear(&e);
    assert_int_equal(avro_reader_open(paths[i], 0, &r, &e), ORB_OK);
    /* the schema we would write is the document Java wrote */
    orb_buf js = ORB_BUF_INIT;
    avro_schema_to_json(r->schema, &js);
    json_t *x = json_loadb(avro_reader_meta(r, "avro.schema")->value, avro_reader_meta(r, "avro.schema")->len, 0, NULL);
    json_t *y = json_loads(js.data, 0, NULL);
    if (!x || !y || !json_equal(x, y)) fail_msg("%s: schema JSON differs: %s", paths[i], js.data);
    json_decref(x);
    json_decref(y);
    orb_buf_free(&js);
    orb_arena a;
    orb_arena_init(&a, 0);
    avro_value *recs;
    size_t n = read_all(r, &a, &recs);
    /* write again: user metadata, another codec, blocks of about 300 bytes */
    avro_meta *meta = orb_calloc((size_t)r->nmeta + 1, sizeof *meta);
    int nm = 0;
    for (int k = 0; k < r->nmeta; k++)
      if (strncmp(r->meta[k].key, "avro.", 5) != 0) meta[nm++] = r->meta[k];
    avro_codec codec = (avro_codec)(i % 4);
    avro_writer *w;
    assert_int_equal(avro_writer_new(r->schema, codec, meta, nm, NULL, &w, &e), ORB_OK);
    avro_writer_block_size(w, 300);
    for (size_t k = 0; k < n; k++)
      if (avro_writer_append(w, &recs[k], &e) != ORB_OK) fail_msg("%s: %s", paths[i], e.msg);
    orb_buf f = ORB_BUF_INIT;
    assert_int_equal(avro_writer_finish(w, &f, &e), ORB_OK);
    avro_writer_free(w);
    avro_reader *back;
    if (avro_reader_open_image(f.data, f.len, "rewritten", 0, &back, &e) != ORB_OK) fail_msg("%s", e.msg);
    assert_int_equal(back->codec, codec);
    assert_int_equal(back->nmeta, nm + 2);
    for (int k = 0; k < nm; k++) {
      const avro_meta *bm = avro_reader_meta(back, meta[k].key);
      assert_non_null(bm);
      assert_int_equal(bm->len, meta[k].len);
      assert_memory_equal(bm->value, meta[k].value, bm->len);
    }
    avro_value *again;
    size_t m = read_all(back, &a, &again);
    assert_int_equal(m, n);
    for (size_t k = 0; k < n; k++)
      if (!avro_value_equal(&recs[k], &again[k])) fail_msg("%s: record %zu differs after the round trip", paths[i], k);
    total += n;
    orb_free(recs);
    orb_free(again);
    orb_free(meta);
    orb_buf_free(&f);
    avro_reader_close(back);
    orb_arena_free(&a);
    avro_reader_close(r);
  }
  print_message("%zu files, %zu records written again and read back equal\n", npaths, total);
}

/* Resolution by field id on real files: each manifest list read as the
** v1 names of the spec's manifest_file (added_data_files_count for field
** 504...), in another order, with a field no writer had; each manifest's
** entries as a reader schema of a few fields under other names.  The
** values must be the ones the files hold under those ids. */
static void test_project_by_field_id(void **state) {
  (void)state;
  static const char *list_reader =
      "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
      "{\"name\":\"added_rows\",\"type\":[\"null\",\"long\"],\"field-id\":512},"
      "{\"name\":\"added_data_files_count\",\"type\":[\"null\",\"long\"],\"field-id\":504},"
      "{\"name\":\"path\",\"type\":\"string\",\"field-id\":500},"
      "{\"name\":\"length\",\"type\":\"long\",\"field-id\":501},"
      "{\"name\":\"content\",\"type\":\"int\",\"default\":0,\"field-id\":517},"
      "{\"name\":\"not_written\",\"type\":[\"null\",\"bytes\"],\"field-id\":9999}]}";
  static const char *entry_reader =
      "{\"type\":\"record\",\"name\":\"e\",\"fields\":["
      "{\"name\":\"f\",\"type\":{\"type\":\"record\",\"name\":\"df\",\"fields\":["
      "{\"name\":\"rows\",\"type\":\"long\",\"field-id\":103},{\"name\":\"path\",\"type\":\"string\",\"field-id\":100}]},"
      "\"field-id\":2},"
      "{\"name\":\"st\",\"type\":\"long\",\"field-id\":0}]}";
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  avro_schema *lr, *er;
  assert_int_equal(avro_schema_parse(list_reader, strlen(list_reader), &a, NULL, &lr, &e), ORB_OK);
  assert_int_equal(avro_schema_parse(entry_reader, strlen(entry_reader), &a, NULL, &er, &e), ORB_OK);
  int lists = 0, entries = 0;
  for (size_t i = 0; i < npaths; i++) {
    avro_reader *r;
    assert_int_equal(avro_reader_open(paths[i], 0, &r, &e), ORB_OK);
    bool is_list = strncmp(strrchr(paths[i], '/') + 1, "snap-", 5) == 0;
    const avro_schema *w = r->schema, *rd = is_list ? lr : er;
    avro_value v, p;
    bool got;
    while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got) {
      if (avro_project(w, &v, rd, &a, &p, &e) != ORB_OK) fail_msg("%s: %s", paths[i], e.msg);
      if (is_list) {
        assert_int_equal(get_long(rd, &p, 512, -1), get_long(w, &v, 512, -2));
        assert_int_equal(get_long(rd, &p, 504, -1), get_long(w, &v, 504, -2));
        assert_int_equal(get_long(rd, &p, 501, -1), get_long(w, &v, 501, -2));
        assert_int_equal(get_long(rd, &p, 517, -1), get_long(w, &v, 517, 0));
        assert_string_equal(avro_record_get(rd, &p, 500)->u.s.data, avro_record_get(w, &v, 500)->u.s.data);
        assert_int_equal(avro_record_get(rd, &p, 9999)->kind, AVRO_NULL);
        lists++;
      } else {
        assert_int_equal(avro_record_get(rd, &p, 0)->kind, AVRO_LONG);   /* int promoted */
        assert_int_equal(get_long(rd, &p, 0, -1), get_long(w, &v, 0, -2));
        const avro_value *df = avro_record_get(rd, &p, 2), *wdf = avro_record_get(w, &v, 2);
        const avro_schema *wds = field_type(w, 2);
        assert_int_equal(get_long(rd->fields[0].type, df, 103, -1), get_long(wds, wdf, 103, -2));
        assert_string_equal(avro_record_get(rd->fields[0].type, df, 100)->u.s.data, avro_record_get(wds, wdf, 100)->u.s.data);
        entries++;
      }
    }
    if (e.code) fail_msg("%s", e.msg);
    avro_reader_close(r);
  }
  print_message("%d manifest-list records and %d manifest entries resolved by field id\n", lists, entries);
  assert_true(lists >= 20 && entries >= 40);
  orb_arena_free(&a);
}

/* A file of every kind of value, for avsc to read. */
static void write_all_kinds(const char *path, avro_codec codec) {
  static const char *js =
      "{\"type\":\"record\",\"name\":\"all\",\"namespace\":\"t\",\"fields\":["
      "{\"name\":\"b\",\"type\":\"boolean\",\"field-id\":1},{\"name\":\"i\",\"type\":\"int\",\"field-id\":2},"
      "{\"name\":\"l\",\"type\":\"long\",\"field-id\":3},{\"name\":\"f\",\"type\":\"float\",\"field-id\":4},"
      "{\"name\":\"d\",\"type\":\"double\",\"field-id\":5},{\"name\":\"s\",\"type\":\"string\",\"field-id\":6},"
      "{\"name\":\"by\",\"type\":\"bytes\",\"field-id\":7},"
      "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]},\"field-id\":8},"
      "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F4\",\"size\":4},\"field-id\":9},"
      "{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":\"long\",\"element-id\":20},\"field-id\":10},"
      "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"double\",\"key-id\":21,\"value-id\":22},\"field-id\":11},"
      "{\"name\":\"u\",\"type\":[\"null\",\"string\"],\"default\":null,\"field-id\":12},"
      "{\"name\":\"again\",\"type\":\"F4\",\"field-id\":13}]}";
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_schema *s;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_schema_parse(js, strlen(js), &a, NULL, &s, &e), ORB_OK);
  avro_writer *w;
  assert_int_equal(avro_writer_new(s, codec, NULL, 0, NULL, &w, &e), ORB_OK);
  avro_writer_block_size(w, 200);
  for (int k = 0; k < 300; k++) {
    char str[64], bytes[8] = {(char)k, (char)(k * 7), 0, (char)0xff, '"', '\\', '\n', (char)0x80};
    int n = snprintf(str, sizeof str, "r%d \xc3\xa9\xe2\x82\xac \"q\" \\", k);   /* é € */
    avro_value items[3] = {avro_long(INT64_MIN + k), avro_long(INT64_MAX - k), avro_long(-k)};
    avro_str keys[2] = {{"x", 1}, {"y\xc3\xbf", 3}};
    avro_value vals[2] = {avro_double(k * 0.1), avro_double(-1.0 / (k + 3))};
    avro_value f[13] = {
        avro_bool(k & 1), avro_int(k % 2 ? -k * 1000 : INT32_MAX - k), avro_long((int64_t)k * -3000000000001LL),
        avro_float((float)k / 7.0f), avro_double(k * 1.0e-3 - 0.5), avro_string(str, (size_t)n),
        avro_bytes(bytes, (size_t)(k % 9)), {.kind = AVRO_ENUM, .branch = -1, .u.i = k % 3},
        {.kind = AVRO_FIXED, .branch = -1, .u.s = {"\x00\x01\xfe\xff", 4}},
        {.kind = AVRO_ARRAY, .branch = -1, .u.c = {items, NULL, (size_t)(k % 4)}},
        {.kind = AVRO_MAP, .branch = -1, .u.c = {vals, keys, (size_t)(k % 3)}},
        k % 2 ? avro_null() : avro_string(str, 2), {.kind = AVRO_FIXED, .branch = -1, .u.s = {"abcd", 4}}};
    avro_value rec = {.kind = AVRO_RECORD, .branch = -1, .u.c = {f, NULL, 13}};
    assert_int_equal(avro_writer_append(w, &rec, &e), ORB_OK);
  }
  orb_buf out = ORB_BUF_INIT;
  assert_int_equal(avro_writer_finish(w, &out, &e), ORB_OK);
  avro_writer_free(w);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(out.data, 1, out.len, fp), out.len);
  fclose(fp);
  orb_buf_free(&out);
  orb_arena_free(&a);
}

/* Field ids in the order avro_avsc.mjs lists them: depth first, each named type once. */
static void field_ids(const avro_schema *s, orb_buf *out, const avro_schema **seen, int *nseen) {
  if (s->kind == AVRO_RECORD || s->kind == AVRO_ENUM || s->kind == AVRO_FIXED) {
    for (int i = 0; i < *nseen; i++)
      if (seen[i] == s) return;
    if (*nseen < 256) seen[(*nseen)++] = s;
  }
  for (int i = 0; s->kind == AVRO_RECORD && i < s->nfields; i++) {
    if (s->fields[i].has_field_id) orb_buf_printf(out, "%s%d", out->len ? "," : "", (int)s->fields[i].field_id);
    field_ids(s->fields[i].type, out, seen, nseen);
  }
  for (int i = 0; s->kind == AVRO_UNION && i < s->nbranches; i++) field_ids(s->branches[i], out, seen, nseen);
  if (s->kind == AVRO_ARRAY) field_ids(s->items, out, seen, nseen);
  if (s->kind == AVRO_MAP) field_ids(s->values, out, seen, nseen);
}

/* Our reading of one file, line by line, against avsc's output from *pos. */
static size_t compare_with_avsc(const char *file, char **pos) {
  char *line = *pos, *nl = strchr(line, '\n');
  assert_non_null(nl);
  *nl = '\0';
  if (strncmp(line, "# ", 2) != 0 || strncmp(line + 2, file, strlen(file)) != 0) fail_msg("avsc printed \"%s\" for %s", line, file);
  avro_reader *r;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(avro_reader_open(file, 0, &r, &e), ORB_OK);
  /* the codec avsc saw and the field ids it found in the header */
  char want[4096];
  orb_buf ids = ORB_BUF_INIT;
  const avro_schema *seen[256];
  int nseen = 0;
  field_ids(r->schema, &ids, seen, &nseen);
  snprintf(want, sizeof want, "# %s %s %s", file, avro_codec_name(r->codec), ids.data ? ids.data : "");
  assert_string_equal(line, want);
  orb_buf_free(&ids);
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_value v;
  bool got;
  size_t n = 0;
  line = nl + 1;
  while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got) {
    nl = strchr(line, '\n');
    if (!nl || line[0] == '#') fail_msg("%s: avsc read fewer records than our %zu", file, n + 1);
    *nl = '\0';
    orb_buf ours = ORB_BUF_INIT;
    avro_value_to_json(r->schema, &v, &ours);
    json_error_t je;
    json_t *x = json_loads(ours.data, JSON_ALLOW_NUL, &je), *y = json_loads(line, JSON_ALLOW_NUL, &je);
    if (!x || !y || !json_equal(x, y)) fail_msg("%s: record %zu:\nours: %s\navsc: %s", file, n, ours.data, line);
    json_decref(x);
    json_decref(y);
    orb_buf_free(&ours);
    line = nl + 1;
    n++;
  }
  if (e.code) fail_msg("%s", e.msg);
  if (*line && line[0] != '#') fail_msg("%s: avsc read more records than our %zu", file, n);
  *pos = line;
  orb_arena_free(&a);
  avro_reader_close(r);
  return n;
}

/* avsc (npm; an Avro implementation no one here wrote) reads the fixtures,
** the fixtures as our writer wrote them again, and a file of every kind of
** value, to the same records as ours, and finds the same field ids in the
** schemas we wrote.  avsc has the null and deflate codecs only. */
static void test_avsc_agrees(void **state) {
  (void)state;
  char dir[] = "/tmp/orbit-avro-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char **files = orb_calloc(2 * npaths + 2, sizeof *files);
  size_t nfiles = 0;
  for (size_t i = 0; i < npaths; i++) files[nfiles++] = orb_strdup(paths[i]);
  for (size_t i = 0; i < npaths; i++) {   /* written again by us */
    avro_reader *r;
    orb_err e;
    assert_int_equal(avro_reader_open(paths[i], 0, &r, &e), ORB_OK);
    orb_arena a;
    orb_arena_init(&a, 0);
    avro_value *recs;
    size_t n = read_all(r, &a, &recs);
    avro_writer *w;
    assert_int_equal(avro_writer_new(r->schema, i % 2 ? AVRO_CODEC_NULL : AVRO_CODEC_DEFLATE, NULL, 0, NULL, &w, &e), ORB_OK);
    avro_writer_block_size(w, 300);
    for (size_t k = 0; k < n; k++) assert_int_equal(avro_writer_append(w, &recs[k], &e), ORB_OK);
    orb_buf f = ORB_BUF_INIT;
    assert_int_equal(avro_writer_finish(w, &f, &e), ORB_OK);
    avro_writer_free(w);
    char *p = orb_malloc(strlen(dir) + 32);
    sprintf(p, "%s/%zu.avro", dir, i);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(f.data, 1, f.len, fp), f.len);
    fclose(fp);
    files[nfiles++] = p;
    orb_buf_free(&f);
    orb_free(recs);
    orb_arena_free(&a);
    avro_reader_close(r);
  }
  for (int c = 0; c < 2; c++) {
    char *p = orb_malloc(strlen(dir) + 32);
    sprintf(p, "%s/all-kinds-%d.avro", dir, c);
    write_all_kinds(p, c ? AVRO_CODEC_DEFLATE : AVRO_CODEC_NULL);
    files[nfiles++] = p;
  }
  orb_buf cmd = ORB_BUF_INIT;
  orb_buf_puts(&cmd, "node tests/interop/avro_avsc.mjs");
  for (size_t i = 0; i < nfiles; i++) orb_buf_printf(&cmd, " '%s'", files[i]);
  FILE *pp = popen(cmd.data, "r");
  assert_non_null(pp);
  orb_buf out = ORB_BUF_INIT;
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, pp)) > 0) orb_buf_append(&out, chunk, got);
  int rc = pclose(pp);
  if (rc != 0) fail_msg("node tests/interop/avro_avsc.mjs failed (%d); avsc is installed by npm ci in tests/interop", rc);
  char *pos = out.data;
  size_t records = 0;
  for (size_t i = 0; i < nfiles; i++) records += compare_with_avsc(files[i], &pos);
  assert_int_equal(*pos, '\0');
  print_message("avsc read %zu files (%zu records) as we do\n", nfiles, records);
  assert_true(records >= 2 * 137 + 600);
  for (size_t i = 0; i < nfiles; i++) {
    if (i >= npaths) unlink(files[i]);
    orb_free(files[i]);
  }
  rmdir(dir);
  orb_free(files);
  orb_buf_free(&cmd);
  orb_buf_free(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_file_reads),
      cmocka_unit_test(test_tables_agree_with_metadata),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_project_by_field_id),
      cmocka_unit_test(test_avsc_agrees),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
