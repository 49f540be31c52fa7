/* tests/storage/test_ice_manifest_merge.c — manifests merged on commit
** (ice_manifest_merge.h: Java's MergeAppend with its table properties) and
** CALL rewrite_manifests (ice_rewrite_manifests.c): after every step each
** manifest of the current snapshot is checked entry by entry against its
** manifest list entry (one partition spec, one content, the counts,
** min_sequence_number, ADDED entries inheriting, EXISTING ones carrying
** the sequence number of the snapshot that added them), the rows read back
** exactly, and no manifest folded into a merged one is left on disk;
** rewrite_manifests killed with SIGKILL at random points always leaves the
** table at a committed snapshot with exactly its rows.  avsc, DuckDB and
** icebird over merged tables: tests/storage/iceberg_write_test.py and
** iceberg_maint_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ice_test_dir.h"

#include "base/mem.h"
#include "formats/avro/avro.h"
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_evolve.h"
#include "storage/cold/ice_maint.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_write.h"
#include "storage/cold/ice_write_int.h"
#include "types/schema.h"
#include "types/value.h"

#include "ice_test_table.h"

static void expect_rows(const char *dir, int64_t count, int64_t sum) {
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, count);
  assert_int_equal(s, sum);
}

/* What the current snapshot's manifest list holds. */
typedef struct list_stats {
  int data, deletes;             /* manifests by content */
  int64_t added, existing, deleted;   /* entries by status */
} list_stats;

/* Check every manifest of the current snapshot against its list entry
** (see the file comment). */
static list_stats check_manifests(const char *dir) {
  list_stats ls = {0, 0, 0, 0, 0};
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_non_null(cur);
  const char *lp;
  bool moved;
  assert_int_equal(ice_reroot(&a, m.location, dir, cur->manifest_list, &lp, &moved, &e), ORB_OK);
  ice_manifest_ref *refs;
  int n;
  assert_int_equal(ice_manifest_list_read(&a, lp, &refs, &n, &e), ORB_OK);
  for (int i = 0; i < n; i++) {
    const ice_manifest_ref *r = &refs[i];
    const ice_snapshot *by = ice_meta_snapshot(&m, r->added_snapshot_id);
    assert_non_null(by);
    assert_int_equal(r->seq, by->sequence_number);
    const char *mp;
    assert_int_equal(ice_reroot(&a, m.location, dir, r->path, &mp, &moved, &e), ORB_OK);
    avro_reader *ar;
    assert_int_equal(avro_reader_open(mp, 0, &ar, &e), ORB_OK);
    const avro_meta *sid = avro_reader_meta(ar, "partition-spec-id");
    assert_non_null(sid);
    assert_int_equal(atoi(sid->value), r->spec_id);   /* one spec per manifest */
    const avro_meta *content = avro_reader_meta(ar, "content");
    assert_non_null(content);
    assert_string_equal(content->value, r->content ? "deletes" : "data");
    const avro_schema *df = avro_branch_of_kind(ar->schema->fields[avro_field_by_id(ar->schema, 2)].type, AVRO_RECORD);
    int32_t added = 0, existing = 0, deleted = 0;
    int64_t added_rows = 0, existing_rows = 0, min_seq = INT64_MAX;
    orb_arena tmp;
    orb_arena_init(&tmp, 0);
    for (;;) {
      avro_value rec;
      bool got;
      orb_arena_reset(&tmp);
      assert_int_equal(avro_reader_next(ar, &tmp, &rec, &got, &e), ORB_OK);
      if (!got) break;
      int64_t status = avro_long_or(avro_record_get(ar->schema, &rec, 0), -1);
      int64_t snap = avro_long_or(avro_record_get(ar->schema, &rec, 1), -1);
      int64_t seq = avro_long_or(avro_record_get(ar->schema, &rec, 3), -1);
      int64_t fseq = avro_long_or(avro_record_get(ar->schema, &rec, 4), -1);
      const avro_value *d = avro_record_get(ar->schema, &rec, 2);
      int64_t fcontent = avro_long_or(avro_record_get(df, d, 134), -1);
      int64_t records = avro_long_or(avro_record_get(df, d, 103), -1);
      assert_int_equal(fcontent != 0, r->content != 0);   /* data and deletes never mixed */
      if (status == 1) {
        assert_int_equal(snap, r->added_snapshot_id);
        if (seq < 0) seq = r->seq;   /* inherited */
        added++, added_rows += records;
      } else if (status == 0) {
        const ice_snapshot *s = ice_meta_snapshot(&m, snap);
        assert_non_null(s);
        assert_true(snap != r->added_snapshot_id);
        assert_int_equal(seq, s->sequence_number);   /* written out, the adding snapshot's */
        assert_int_equal(fseq, s->sequence_number);
        existing++, existing_rows += records;
      } else {
        assert_int_equal(status, 2);
        assert_int_equal(snap, r->added_snapshot_id);   /* only this snapshot's deletes are kept */
        deleted++;
        continue;
      }
      if (seq < min_seq) min_seq = seq;
    }
    orb_arena_free(&tmp);
    avro_reader_close(ar);
    assert_int_equal(added, r->added_files);
    assert_int_equal(existing, r->existing_files);
    assert_int_equal(deleted, r->deleted_files);
    assert_int_equal(added_rows, r->added_rows);
    assert_int_equal(existing_rows, r->existing_rows);
    if (added + existing > 0) assert_int_equal(min_seq, r->min_seq);
    if (r->content) ls.deletes++;
    else ls.data++;
    ls.added += added, ls.existing += existing, ls.deleted += deleted;
  }
  orb_arena_free(&a);
  return ls;
}

/* Files under <dir>/metadata whose name ends with suffix. */
static int count_metadata(const char *dir, const char *suffix) {
  char *p = orb_malloc(strlen(dir) + 16);
  sprintf(p, "%s/metadata", dir);
  int n = 0;
  DIR *d = opendir(p);
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name), sl = strlen(suffix);
    if (l >= sl && strcmp(de->d_name + l - sl, suffix) == 0) n++;
  }
  if (d) closedir(d);
  orb_free(p);
  return n;
}

/* Nothing under the table that no snapshot refers to (metadata JSON files
** aside: the metadata log keeps only write.metadata.previous-versions-max). */
static void expect_no_orphans(const char *dir) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.older_than_ms = ice_now_ms() + 1000;
  o.dry_run = true;
  ice_maint_result x;
  orb_err e;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &x, &e), ORB_OK);
  int n = 0;
  for (int i = 0; i < x.npaths; i++)
    if (!strstr(x.paths[i], ".metadata.json")) fprintf(stderr, "orphan: %s\n", x.paths[i]), n++;
  assert_int_equal(n, 0);
  orb_arena_free(&a);
}

/* Java's defaults: 99 appends list 99 manifests, the 100th merges them all
** into one (its own entry ADDED, the 99 others EXISTING), and the
** manifests folded into it are gone. */
static void test_merge_defaults(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemerge");
  ice_test_create(dir, NULL, NULL, 0);
  for (int i = 0; i < 99; i++) ice_test_append(dir, i * 3, 3);
  list_stats ls = check_manifests(dir);
  assert_int_equal(ls.data, 99);
  assert_int_equal(ls.existing, 0);
  ice_test_append(dir, 297, 3);
  ls = check_manifests(dir);
  assert_int_equal(ls.data, 1);
  assert_int_equal(ls.added, 1);
  assert_int_equal(ls.existing, 99);
  assert_int_equal(count_metadata(dir, "-m0.avro"), 99);   /* the 100th append's own manifest folded and removed */
  expect_rows(dir, 300, 299 * 300 / 2);
  /* count(*) from the manifest list alone still knows */
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  int64_t rows;
  bool known;
  assert_int_equal(ice_scan_count_rows(&a, &m, dir, -1, &rows, &known, &e), ORB_OK);
  assert_true(known);
  assert_int_equal(rows, 300);
  orb_arena_free(&a);
  /* the next append lists two: its own and the merged one */
  ice_test_append(dir, 300, 3);
  ls = check_manifests(dir);
  assert_int_equal(ls.data, 2);
  expect_no_orphans(dir);
  ice_test_rmrf(dir);
  free(dir);
}

/* The properties: merging off; a minimum count; a target size every
** manifest exceeds (bins of one: nothing merges). */
static void test_merge_properties(void **state) {
  (void)state;
  struct {
    ice_kv props[2];
    int nprops;
    int want;
  } cases[] = {
      {{{"commit.manifest-merge.enabled", "false"}, {"commit.manifest.min-count-to-merge", "2"}}, 2, 6},
      {{{"commit.manifest.min-count-to-merge", "4"}}, 1, 3},   /* 1,2,3,1(merged 4),2,3 */
      {{{"commit.manifest.min-count-to-merge", "2"}, {"commit.manifest.target-size-bytes", "1"}}, 2, 6},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *dir = ice_test_tmpdir("icemerge");
    ice_test_create(dir, NULL, cases[k].props, cases[k].nprops);
    for (int i = 0; i < 6; i++) ice_test_append(dir, i * 10, 10);
    list_stats ls = check_manifests(dir);
    assert_int_equal(ls.data, cases[k].want);
    expect_rows(dir, 60, 59 * 60 / 2);
    expect_no_orphans(dir);
    ice_test_rmrf(dir);
    free(dir);
  }
  /* a property that is not a number or a boolean is a clear error */
  char *dir = ice_test_tmpdir("icemerge");
  ice_kv bad[] = {{"commit.manifest-merge.enabled", "maybe"}};
  ice_test_create(dir, NULL, bad, 1);
  ice_append *app;
  orb_err e;
  assert_int_equal(ice_append_begin(dir, NULL, &app, &e), ORB_OK);
  orb_value v = orb_int(ORB_T_INT64, 1);
  assert_int_equal(ice_append_rows(app, &v, 1, &e), ORB_OK);
  int64_t snap;
  assert_int_equal(ice_append_commit(app, &snap, NULL, &e), ORB_ERR_INVALID_TEXT);
  assert_non_null(strstr(e.msg, "commit.manifest-merge.enabled"));
  assert_int_equal(ice_test_count_files(dir, "data"), 0);
  ice_test_rmrf(dir);
  free(dir);
}

static orb_status edit_unpartition(void *ctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  (void)ctx;
  ice_spec_change c = {ICE_SPEC_SET, "", NULL, NULL};
  return ice_spec_update(a, base, &c, next, e);
}

/* Delete every row of the current snapshot whose id % 10 == rem. */
static void delete_where(const char *dir, int rem) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_plan p;
  orb_err e;
  assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
  ice_rowdelta *d;
  assert_int_equal(ice_rowdelta_begin(dir, p.snapshot->snapshot_id, -1, &d, &e), ORB_OK);
  ice_column *cols;
  int ncols;
  assert_int_equal(ice_columns(&a, p.schema, &cols, &ncols, &e), ORB_OK);
  for (int f = 0; f < p.nfiles; f++) {
    /* positions in the file: read it without the deletes that apply */
    ice_file bare = p.files[f];
    bare.ndeletes = 0;
    ice_plan one = p;
    one.files = &bare;
    one.nfiles = 1;
    ice_reader *r;
    assert_int_equal(ice_reader_open(&one, cols, ncols, &r, &e), ORB_OK);
    int64_t pos = 0;
    for (;; pos++) {
      const orb_value *row;
      assert_int_equal(ice_reader_next(r, &row, &e), ORB_OK);
      if (!row) break;
      if (row[0].u.i % 10 == rem) assert_int_equal(ice_rowdelta_delete(d, &p.files[f], pos, &e), ORB_OK);
    }
    ice_reader_free(r);
  }
  int64_t snap;
  orb_status st = ice_rowdelta_commit(d, NULL, &snap, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  orb_arena_free(&a);
}

/* Two partition specs and delete manifests: merging never mixes specs or
** contents, and the rows stay right. */
static void test_merge_specs_and_deletes(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemerge");
  ice_kv props[] = {{"commit.manifest.min-count-to-merge", "2"}};
  ice_test_create(dir, "bucket(2, id)", props, 1);
  ice_test_append(dir, 0, 20);
  ice_test_append(dir, 20, 20);   /* merged: one spec-0 manifest */
  list_stats ls = check_manifests(dir);
  assert_int_equal(ls.data, 1);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  assert_int_equal(ice_meta_update(&a, dir, -1, edit_unpartition, NULL, NULL, &e), ORB_OK);
  orb_arena_free(&a);
  ice_test_append(dir, 40, 20);   /* spec 1's first manifest: stays beside spec 0's */
  ls = check_manifests(dir);
  assert_int_equal(ls.data, 2);
  ice_test_append(dir, 60, 20);   /* spec 1's two merge; spec 0's one stays */
  ls = check_manifests(dir);
  assert_int_equal(ls.data, 2);
  assert_int_equal(ls.existing, 3);   /* 2 files of spec 0, one of spec 1 */
  expect_rows(dir, 80, 79 * 80 / 2);
  delete_where(dir, 3);
  ls = check_manifests(dir);
  assert_int_equal(ls.deletes, 2);   /* one per spec */
  delete_where(dir, 7);
  ls = check_manifests(dir);
  assert_int_equal(ls.deletes, 2);   /* each spec's two merged, the specs apart */
  assert_int_equal(ls.data, 2);
  int64_t sum = 0, n = 0;
  for (int i = 0; i < 80; i++)
    if (i % 10 != 3 && i % 10 != 7) sum += i, n++;
  expect_rows(dir, n, sum);
  expect_no_orphans(dir);
  ice_test_rmrf(dir);
  free(dir);
}

static ice_maint_result rewrite_manifests(const char *dir, int64_t target) {
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.target_manifest_bytes = target;
  ice_maint_result r;
  orb_err e;
  orb_status st = ice_rewrite_manifests(dir, &o, &r, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  return r;
}

/* rewrite_manifests: twelve manifests into one (a replace snapshot with
** Java's summary keys), again with nothing to do, then every entry in its
** own manifest with a one-byte target; delete manifests carry forward. */
static void test_rewrite_manifests(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemerge");
  ice_kv props[] = {{"commit.manifest-merge.enabled", "false"}};
  ice_test_create(dir, NULL, props, 1);
  for (int i = 0; i < 12; i++) ice_test_append(dir, i * 10, 10);
  ice_maint_result r = rewrite_manifests(dir, 0);
  assert_int_equal(r.rewritten_manifests, 12);
  assert_int_equal(r.added_manifests, 1);
  list_stats ls = check_manifests(dir);
  assert_int_equal(ls.data, 1);
  assert_int_equal(ls.existing, 12);
  assert_int_equal(ls.added, 0);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "operation"), "replace");
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "manifests-created"), "1");
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "manifests-replaced"), "12");
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "entries-processed"), "12");
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "total-records"), "120");
  assert_null(ice_kv_get(cur->summary, cur->nsummary, "added-data-files"));
  int nsnap = m.nsnapshots;
  expect_rows(dir, 120, 119 * 120 / 2);
  r = rewrite_manifests(dir, 0);   /* one manifest already */
  assert_int_equal(r.rewritten_manifests, 0);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nsnapshots, nsnap);
  delete_where(dir, 5);
  r = rewrite_manifests(dir, 1);
  assert_int_equal(r.rewritten_manifests, 1);
  assert_int_equal(r.added_manifests, 12);
  ls = check_manifests(dir);
  assert_int_equal(ls.data, 12);
  assert_int_equal(ls.deletes, 1);
  int64_t sum = 0;
  for (int i = 0; i < 120; i++)
    if (i % 10 != 5) sum += i;
  expect_rows(dir, 108, sum);
  expect_no_orphans(dir);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* SIGKILL during rewrite_manifests, 20 times at random points: the table
** always opens at a committed snapshot with exactly the rows appended, the
** manifests check out, and orphan removal then leaves only live files. */
static void test_rewrite_manifests_killed(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemerge");
  ice_kv props[] = {{"commit.manifest-merge.enabled", "false"}};
  ice_test_create(dir, NULL, props, 1);
  int64_t next = 0;
  for (int i = 0; i < 40; i++, next += 5) ice_test_append(dir, next, 5);
  /* how long one rewrite takes, on a copy of the table's state */
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid == 0) {
    ice_maint_opts o;
    ice_maint_opts_init(&o);
    ice_maint_result r;
    orb_err e;
    _exit(ice_rewrite_manifests(dir, &o, &r, &e) == ORB_OK ? 0 : 1);
  }
  int status;
  waitpid(pid, &status, 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  long span_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
  srand(0x1ce);
  int killed = 0;
  for (int round = 0; round < 20; round++) {
    for (int i = 0; i < 8; i++, next += 5) ice_test_append(dir, next, 5);   /* manifests to rewrite */
    pid = fork();
    if (pid == 0) {
      ice_maint_opts o;
      ice_maint_opts_init(&o);
      ice_maint_result r;
      orb_err e;
      _exit(ice_rewrite_manifests(dir, &o, &r, &e) == ORB_OK ? 0 : 1);
    }
    /* up to twice a first run's time: the table grows, so late points
    ** (the commit itself) and runs that finish are both reached */
    usleep((useconds_t)(rand() % (2 * span_us + 1)));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) killed++;
    else assert_int_equal(WEXITSTATUS(status), 0);
    check_manifests(dir);
    expect_rows(dir, next, (next - 1) * next / 2);
  }
  fprintf(stderr, "rewrite_manifests: %d of 20 runs killed (a run takes about %ld us)\n", killed, span_us);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.older_than_ms = ice_now_ms() + 1000;
  ice_maint_result x;
  orb_err e;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &x, &e), ORB_OK);
  orb_arena_free(&a);
  expect_no_orphans(dir);
  expect_rows(dir, next, (next - 1) * next / 2);
  ice_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_merge_defaults),
      cmocka_unit_test(test_merge_properties),
      cmocka_unit_test(test_merge_specs_and_deletes),
      cmocka_unit_test(test_rewrite_manifests),
      cmocka_unit_test(test_rewrite_manifests_killed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
