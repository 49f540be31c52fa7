/* tests/storage/test_ice_maint.c — Iceberg table maintenance (ice_maint.h):
** which snapshots expire (retain_last, older_than, tags, the table's
** history.expire.* properties), that exactly the files only expired
** snapshots reached are deleted (a snapshot that dropped a manifest, as a
** delete or a rewrite does, frees that manifest's data file), the snapshot
** log left consistent, metadata files deleted after commits when the table
** asks, and orphan removal after writers killed with SIGKILL: afterwards
** the files on disk are exactly the ones the table refers to and every
** committed row still reads; compaction (rows equal, a replace snapshot,
** the replaced files deleted by a later expiry, a race between two
** compactions failing cleanly).  The SQL surface and the readers no one here
** wrote (icebird, avsc) are in tests/storage/iceberg_maint_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ice_test_dir.h"

#include "base/mem.h"
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_maint.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_value.h"
#include "storage/cold/ice_write.h"
#include "storage/cold/ice_write_int.h"
#include "types/schema.h"
#include "types/value.h"

#include "ice_test_table.h"


static bool exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* The local path of a snapshot's manifest list, and of the manifests it names. */
static const char *list_of(orb_arena *a, const char *dir, const ice_meta *m, int64_t snap) {
  const ice_snapshot *s = ice_meta_snapshot(m, snap);
  assert_non_null(s);
  const char *p;
  bool moved;
  orb_err e;
  assert_int_equal(ice_reroot(a, m->location, dir, s->manifest_list, &p, &moved, &e), ORB_OK);
  return p;
}

/* A snapshot that drops the manifest added by `drop` from the current
** snapshot's list, as a delete of all of those rows would: committed
** through ice_meta_update. */
typedef struct drop_ctx {
  const char *dir;
  int64_t drop_snapshot;
  int64_t new_id;
} drop_ctx;

static orb_status edit_drop(void *vctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  drop_ctx *c = vctx;
  const ice_snapshot *cur = ice_meta_current_snapshot(base);
  const char *lp = list_of(a, c->dir, base, cur->snapshot_id);
  ice_manifest_ref *refs;
  int n;
  orb_status st = ice_manifest_list_read(a, lp, &refs, &n, e);
  if (st) return st;
  ice_manifest_ref *keep = orb_arena_alloc(a, sizeof *keep * (size_t)n);
  int k = 0;
  for (int i = 0; i < n; i++)
    if (refs[i].added_snapshot_id != c->drop_snapshot) keep[k++] = refs[i];
  assert_int_equal(k, n - 1);
  int64_t seq = base->last_sequence_number + 1;
  c->new_id = ice_random_id();
  orb_buf img = ORB_BUF_INIT;
  if ((st = ice_manifest_list_write(keep, k, c->new_id, true, cur->snapshot_id, seq, &img, e))) return st;
  const char *rel = orb_arena_sprintf(a, "metadata/snap-%lld-1-drop.avro", (long long)c->new_id);
  FILE *f = fopen(orb_arena_sprintf(a, "%s/%s", c->dir, rel), "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(img.data, 1, img.len, f), img.len);
  fclose(f);
  orb_buf_free(&img);
  ice_snapshot *snaps = orb_arena_alloc(a, sizeof *snaps * (size_t)(base->nsnapshots + 1));
  memcpy(snaps, base->snapshots, sizeof *snaps * (size_t)base->nsnapshots);
  ice_snapshot *s = &snaps[base->nsnapshots];
  *s = *cur;
  s->snapshot_id = c->new_id;
  s->has_parent = true;
  s->parent_id = cur->snapshot_id;
  s->sequence_number = seq;
  s->timestamp_ms = ice_now_ms();
  s->manifest_list = orb_arena_sprintf(a, "%s/%s", base->location, rel);
  static ice_kv sum[] = {{"operation", "delete"}};
  s->summary = sum;
  s->nsummary = 1;
  next->snapshots = snaps;
  next->nsnapshots = base->nsnapshots + 1;
  next->current_snapshot_id = c->new_id;
  next->last_sequence_number = seq;
  ice_ref *refs2 = orb_arena_alloc(a, sizeof *refs2 * (size_t)base->nrefs);
  memcpy(refs2, base->refs, sizeof *refs2 * (size_t)base->nrefs);
  for (int i = 0; i < base->nrefs; i++)
    if (strcmp(refs2[i].name, "main") == 0) refs2[i].snapshot_id = c->new_id;
  next->refs = refs2;
  ice_snapshot_log_entry *log = orb_arena_alloc(a, sizeof *log * (size_t)(base->nsnapshot_log + 1));
  memcpy(log, base->snapshot_log, sizeof *log * (size_t)base->nsnapshot_log);
  log[base->nsnapshot_log] = (ice_snapshot_log_entry){s->timestamp_ms, c->new_id, {0}};
  next->snapshot_log = log;
  next->nsnapshot_log = base->nsnapshot_log + 1;
  return ORB_OK;
}

static ice_maint_result expire(const char *dir, int64_t older_than, int64_t retain_last) {
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.older_than_ms = older_than;
  o.retain_last = retain_last;
  ice_maint_result r;
  orb_err e;
  orb_status st = ice_expire_snapshots(dir, &o, &r, &e);
  if (st) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, ORB_OK);
  return r;
}

static void check_log_consistent(const ice_meta *m) {
  for (int i = 0; i < m->nsnapshot_log; i++) assert_non_null(ice_meta_snapshot(m, m->snapshot_log[i].snapshot_id));
  for (int i = 0; i < m->nrefs; i++) assert_non_null(ice_meta_snapshot(m, m->refs[i].snapshot_id));
  assert_non_null(ice_meta_current_snapshot(m));
}

/* Expiry keeps what it must, and deletes exactly the files only the
** expired snapshots reached. */
static void test_expire_reachability(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, NULL, NULL, 0);
  int64_t a1 = ice_test_append(dir, 0, 10), a2 = ice_test_append(dir, 10, 10), a3 = ice_test_append(dir, 20, 10);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const char *l1 = list_of(&a, dir, &m, a1), *l2 = list_of(&a, dir, &m, a2), *l3 = list_of(&a, dir, &m, a3);
  /* the data file and manifest of the first append */
  ice_plan p;
  assert_int_equal(ice_scan_plan(&a, &m, dir, a1, &p, &e), ORB_OK);
  assert_int_equal(p.nfiles, 1);
  const char *d1 = p.files[0].path;
  ice_manifest_ref *refs;
  int nrefs;
  assert_int_equal(ice_manifest_list_read(&a, l1, &refs, &nrefs, &e), ORB_OK);
  const char *man1;
  bool moved;
  assert_int_equal(ice_reroot(&a, m.location, dir, refs[0].path, &man1, &moved, &e), ORB_OK);

  /* nothing is old enough yet (the defaults: 5 days): nothing changes */
  ice_maint_result r = expire(dir, -1, -1);
  assert_int_equal(r.expired_snapshots, 0);
  assert_true(exists(l1) && exists(l2) && exists(l3));

  /* a fourth snapshot drops the first append's manifest */
  drop_ctx dc = {dir, a1, 0};
  assert_int_equal(ice_meta_update(&a, dir, -1, edit_drop, &dc, NULL, &e), ORB_OK);
  int data_before = ice_test_count_files(dir, "data");
  assert_int_equal(data_before, 3);

  /* retain_last 3: the first append's snapshot goes, but the second's
  ** still lists manifest 1, so its data file stays */
  r = expire(dir, ice_now_ms() + 1000, 3);
  assert_int_equal(r.expired_snapshots, 1);
  assert_int_equal(r.manifest_lists, 1);
  assert_int_equal(r.manifests, 0);
  assert_int_equal(r.data_files, 0);
  assert_false(exists(l1));
  assert_true(exists(man1) && exists(d1) && exists(l2));

  /* retain_last 1: only the newest stays; manifest 1 and its data file go */
  r = expire(dir, ice_now_ms() + 1000, 1);
  assert_int_equal(r.expired_snapshots, 2);
  assert_int_equal(r.manifest_lists, 2);
  assert_int_equal(r.manifests, 1);
  assert_int_equal(r.data_files, 1);
  assert_false(exists(l2) || exists(l3) || exists(man1) || exists(d1));
  assert_int_equal(ice_test_count_files(dir, "data"), 2);
  ice_meta m2;
  assert_int_equal(ice_meta_open(&a, dir, &m2, NULL, &e), ORB_OK);
  assert_int_equal(m2.nsnapshots, 1);
  assert_int_equal(m2.current_snapshot_id, dc.new_id);
  check_log_consistent(&m2);
  assert_int_equal(m2.nsnapshot_log, 1);
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, 20);
  assert_int_equal(s, 10 * 10 + 45 + 10 * 20 + 45);   /* ids 10..29 */
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* A tag keeps its snapshot; the table's min-snapshots-to-keep property is
** the default of retain_last; older_than alone keeps newer snapshots. */
typedef struct tag_ctx {
  int64_t snap;
} tag_ctx;

static orb_status edit_tag(void *vctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  (void)e;
  tag_ctx *c = vctx;
  ice_ref *refs = orb_arena_alloc(a, sizeof *refs * (size_t)(base->nrefs + 1));
  memcpy(refs, base->refs, sizeof *refs * (size_t)base->nrefs);
  refs[base->nrefs] = (ice_ref){"v1", true, c->snap, -1, -1, -1, {0}};
  next->refs = refs;
  next->nrefs = base->nrefs + 1;
  return ORB_OK;
}

static void test_expire_rules(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_kv props[] = {{"history.expire.min-snapshots-to-keep", "2"}};
  ice_test_create(dir, NULL, props, 1);
  int64_t s[5];
  for (int i = 0; i < 5; i++) {
    s[i] = ice_test_append(dir, i * 10, 10);
    usleep(20000);   /* distinct commit times */
  }
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  tag_ctx tc = {s[0]};
  assert_int_equal(ice_meta_update(&a, dir, -1, edit_tag, &tc, NULL, &e), ORB_OK);
  ice_meta m;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  /* older than the third snapshot: s0 is tagged, s1 goes, s2.. are newer */
  ice_maint_result r = expire(dir, ice_meta_snapshot(&m, s[2])->timestamp_ms, -1);
  assert_int_equal(r.expired_snapshots, 1);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nsnapshots, 4);
  assert_non_null(ice_meta_snapshot(&m, s[0]));
  assert_null(ice_meta_snapshot(&m, s[1]));
  check_log_consistent(&m);
  /* everything old: the property keeps two of main's ancestry, the tag its own */
  r = expire(dir, ice_now_ms() + 1000, -1);
  assert_int_equal(r.expired_snapshots, 1);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nsnapshots, 3);
  assert_non_null(ice_meta_snapshot(&m, s[0]));
  assert_non_null(ice_meta_snapshot(&m, s[3]));
  assert_non_null(ice_meta_snapshot(&m, s[4]));
  check_log_consistent(&m);
  /* the log keeps only what follows the last expired snapshot's entry */
  assert_int_equal(m.nsnapshot_log, 2);
  /* the data files are all still live (appends carry every manifest forward) */
  assert_int_equal(ice_test_count_files(dir, "data"), 5);
  int64_t n, sum;
  ice_test_read_ids(dir, &n, &sum);
  assert_int_equal(n, 50);
  assert_int_equal(sum, 49 * 50 / 2);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* write.metadata.delete-after-commit.enabled with previous-versions-max 2:
** after each commit only the current file and two before it remain. */
static void test_metadata_delete_after_commit(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_kv props[] = {{"write.metadata.delete-after-commit.enabled", "true"},
                    {"write.metadata.previous-versions-max", "2"}};
  ice_test_create(dir, NULL, props, 2);
  for (int i = 0; i < 6; i++) ice_test_append(dir, i, 1);
  char p[600];
  for (int v = 1; v <= 7; v++) {
    snprintf(p, sizeof p, "%s/metadata/v%d.metadata.json", dir, v);
    assert_int_equal(exists(p), v >= 5);
  }
  /* without the property nothing is deleted */
  char *dir2 = ice_test_tmpdir("icemaint");
  ice_kv props2[] = {{"write.metadata.previous-versions-max", "2"}};
  ice_test_create(dir2, NULL, props2, 1);
  for (int i = 0; i < 4; i++) ice_test_append(dir2, i, 1);
  for (int v = 1; v <= 5; v++) {
    snprintf(p, sizeof p, "%s/metadata/v%d.metadata.json", dir2, v);
    assert_true(exists(p));
  }
  /* ... until an expiry, which deletes the files older than the log */
  ice_maint_result r = expire(dir2, -1, -1);
  assert_int_equal(r.expired_snapshots, 0);
  assert_int_equal(r.metadata_files, 2);
  for (int v = 1; v <= 5; v++) {
    snprintf(p, sizeof p, "%s/metadata/v%d.metadata.json", dir2, v);
    assert_int_equal(exists(p), v >= 3);
  }
  ice_test_rmrf(dir);
  ice_test_rmrf(dir2);
  free(dir);
  free(dir2);
}

/* Writers killed with SIGKILL leave debris; orphan removal (dry run first)
** finds it, and afterwards the files on disk are exactly those the table
** refers to. */
static void test_orphans_after_crashes(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, NULL, NULL, 0);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  for (int round = 0; round < 8; round++) {
    /* the child reports each commit on a pipe; the kill comes after the
    ** first one, so the table has a snapshot however slow the machine is */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      for (int64_t b = 0;; b += 500) {
        ice_append *app;
        orb_err e;
        if (ice_append_begin(dir, NULL, &app, &e)) _exit(2);
        static orb_value rows[500];
        for (int i = 0; i < 500; i++) rows[i] = orb_int(ORB_T_INT64, b + i);
        int64_t snap;
        if (ice_append_rows(app, rows, 500, &e) || ice_append_commit(app, &snap, NULL, &e)) _exit(1);
        if (b == 0 && write(fds[1], "c", 1) != 1) _exit(3);
      }
    }
    close(fds[1]);
    char c;
    assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    usleep((useconds_t)(20000 + rand() % 60000));
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
  }
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_meta m;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_non_null(cur);
  int64_t total_files = atoll(ice_kv_get(cur->summary, cur->nsummary, "total-data-files"));
  int64_t total_rows = atoll(ice_kv_get(cur->summary, cur->nsummary, "total-records"));

  /* the default grace period (3 days) protects everything just written */
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  ice_maint_result r;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &r, &e), ORB_OK);
  assert_int_equal(r.npaths, 0);

  /* debris of known names too, so there is some whatever moment the kills hit */
  char junk[600];
  snprintf(junk, sizeof junk, "%s/data/00000-0-junk.parquet", dir);
  FILE *f = fopen(junk, "w");
  fputs("PAR1", f);
  fclose(f);
  snprintf(junk, sizeof junk, "%s/metadata/.0123.metadata.json.tmp", dir);
  f = fopen(junk, "w");
  fputs("{", f);
  fclose(f);
  /* a dry run with no grace lists the debris and deletes nothing */
  int before = ice_test_count_files(dir, "data") + ice_test_count_files(dir, "metadata");
  o.older_than_ms = ice_now_ms() + 1000;
  o.dry_run = true;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &r, &e), ORB_OK);
  int found = r.npaths;
  assert_true(found >= 2);
  fprintf(stderr, "orphans after %d killed writers: %d files (%lld data files)\n", 8, found, (long long)r.data_files);
  assert_int_equal(ice_test_count_files(dir, "data") + ice_test_count_files(dir, "metadata"), before);
  for (int i = 0; i < r.npaths; i++) assert_true(exists(r.paths[i]));

  o.dry_run = false;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &r, &e), ORB_OK);
  assert_int_equal(r.npaths, found);
  for (int i = 0; i < r.npaths; i++) assert_false(exists(r.paths[i]));
  /* exactly the live files remain: one data file, one manifest and one
  ** manifest list per append snapshot, and the metadata files */
  assert_int_equal(ice_test_count_files(dir, "data"), total_files);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(ice_test_count_files(dir, "metadata"), 2 * m.nsnapshots + m.nmetadata_log + 2);
  int64_t n, sum;
  ice_test_read_ids(dir, &n, &sum);
  assert_int_equal(n, total_rows);
  /* and the table still takes appends */
  ice_test_append(dir, 1000000, 5);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

static ice_maint_result rewrite(const char *dir, const ice_maint_opts *o, orb_status want) {
  ice_maint_result r;
  orb_err e;
  orb_status st = ice_rewrite_data_files(dir, o, &r, &e);
  if (st != want) fprintf(stderr, "%s\n", e.msg);
  assert_int_equal(st, want);
  if (st == ORB_ERR_CONFLICT) assert_non_null(strstr(e.msg, "concurrent commit"));
  return r;
}

/* Compaction: five small files become one, the rows are the same, the
** snapshot is a replace; expiring the older snapshots then deletes the
** five files and their manifests, and orphan removal finds nothing. */
static void test_rewrite_then_expire(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, NULL, NULL, 0);
  for (int i = 0; i < 5; i++) ice_test_append(dir, i * 100, 100);
  int64_t n0, s0;
  ice_test_read_ids(dir, &n0, &s0);
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  ice_maint_result r = rewrite(dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 5);
  assert_int_equal(r.added_data_files, 1);
  assert_int_equal(r.removed_delete_files, 0);
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, n0);
  assert_int_equal(s, s0);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  const ice_snapshot *cur = ice_meta_current_snapshot(&m);
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "operation"), "replace");
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "total-data-files"), "1");
  assert_string_equal(ice_kv_get(cur->summary, cur->nsummary, "deleted-data-files"), "5");
  ice_plan p;
  assert_int_equal(ice_scan_plan(&a, &m, dir, -1, &p, &e), ORB_OK);
  assert_int_equal(p.nfiles, 1);
  /* a second run has nothing left to do (one file, no deletes) */
  r = rewrite(dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 0);
  assert_int_equal(ice_test_count_files(dir, "data"), 6);
  ice_maint_result x = expire(dir, ice_now_ms() + 1000, 1);
  assert_int_equal(x.expired_snapshots, 5);
  assert_int_equal(x.data_files, 5);
  assert_int_equal(x.manifest_lists, 5);
  assert_int_equal(ice_test_count_files(dir, "data"), 1);
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, n0);
  assert_int_equal(s, s0);
  o.older_than_ms = ice_now_ms() + 1000;
  o.dry_run = true;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &x, &e), ORB_OK);
  assert_int_equal(x.npaths, 0);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* Compaction of a partitioned table merges the rewritten manifests into one
** whose manifest-list partition summary keeps bounds (the union of the
** members': lowest lower, highest upper, compared as the partition type),
** so that scan planning still skips it by them. */
static void test_rewrite_keeps_partition_bounds(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, "truncate(100, id)", NULL, 0);
  /* two small files in each of the partitions 100, 200, 300 */
  for (int p = 1; p <= 3; p++) {
    ice_test_append(dir, p * 100, 50);
    ice_test_append(dir, p * 100 + 50, 50);
  }
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  /* two files a partition are fewer than min-input-files (5) */
  ice_maint_result r = rewrite(dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 0);
  o.min_input_files = 2;
  r = rewrite(dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 6);
  int64_t n, sum;
  ice_test_read_ids(dir, &n, &sum);
  assert_int_equal(n, 300);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_meta m;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  ice_manifest_ref *refs;
  int nrefs;
  assert_int_equal(ice_manifest_list_read(&a, list_of(&a, dir, &m, m.current_snapshot_id), &refs, &nrefs, &e), ORB_OK);
  int merged = 0;
  for (int i = 0; i < nrefs; i++) {
    assert_true(refs[i].has_partitions);
    assert_int_equal(refs[i].npartitions, 1);
    const struct ice_part_summary *ps = &refs[i].partitions[0];
    assert_true(ps->has_lower && ps->has_upper);   /* every manifest keeps its bounds */
    if (refs[i].deleted_files == 6) {              /* the merged one: the six replaced files */
      merged++;
      ice_type t = {.kind = ICE_LONG};
      orb_value lo, hi;
      assert_int_equal(ice_value_deserialize(&t, ps->lower, ps->lower_len, &a, &lo, &e), ORB_OK);
      assert_int_equal(ice_value_deserialize(&t, ps->upper, ps->upper_len, &a, &hi, &e), ORB_OK);
      assert_int_equal(lo.u.i, 100);
      assert_int_equal(hi.u.i, 300);
    }
  }
  assert_int_equal(merged, 1);
  /* id >= 1000: every manifest is skipped by its summary */
  ice_pred pr = {.field_id = 1, .kind = ICE_PRED_RANGE, .has_lo = true, .lo_incl = true, .lo = orb_int(ORB_T_INT64, 1000)};
  ice_plan p;
  assert_int_equal(ice_scan_plan_pruned(&a, &m, dir, -1, &pr, 1, &p, &e), ORB_OK);
  assert_int_equal(p.nmanifests_skipped, p.nmanifests);
  assert_int_equal(p.nfiles, 0);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* Two compactions of the same files: the one that commits second finds
** its files replaced already, fails with a conflict and leaves no file. */
static const char *race_dir;
static void run_other_rewrite(void *ctx) {
  (void)ctx;
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.min_input_files = 4;
  ice_maint_result r = rewrite(race_dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 4);
}

static void test_rewrite_conflict(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  race_dir = dir;
  ice_test_create(dir, NULL, NULL, 0);
  for (int i = 0; i < 4; i++) ice_test_append(dir, i * 10, 10);
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.before_commit = run_other_rewrite;
  o.min_input_files = 4;
  rewrite(dir, &o, ORB_ERR_CONFLICT);
  /* the four old files and the winner's one; no manifest of the loser */
  assert_int_equal(ice_test_count_files(dir, "data"), 5);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  ice_maint_result x;
  ice_maint_opts_init(&o);
  o.older_than_ms = ice_now_ms() + 1000;
  o.dry_run = true;
  assert_int_equal(ice_remove_orphans(&a, dir, &o, &x, &e), ORB_OK);
  assert_int_equal(x.npaths, 0);
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, 40);
  assert_int_equal(s, 39 * 40 / 2);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* min-input-files: four small files of one partition stay (fewer than
** Java's default 5), unless together they exceed the target size; a
** fifth makes the group worth rewriting. */
static void test_rewrite_min_input_files(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, NULL, NULL, 0);
  for (int i = 0; i < 4; i++) ice_test_append(dir, i * 100, 100);
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  assert_int_equal(rewrite(dir, &o, ORB_OK).rewritten_data_files, 0);
  /* a target smaller than the four files together: enough content */
  int64_t size = 0;
  {
    orb_arena a;
    orb_arena_init(&a, 0);
    ice_meta m;
    ice_plan p;
    orb_err e;
    assert_int_equal(ice_scan_open(&a, dir, -1, &m, &p, &e), ORB_OK);
    for (int i = 0; i < p.nfiles; i++) size += p.files[i].file_size;
    orb_arena_free(&a);
  }
  o.target_file_bytes = size * 3 / 4;   /* every file is still below 3/4 of it */
  assert_int_equal(rewrite(dir, &o, ORB_OK).rewritten_data_files, 4);
  ice_test_append(dir, 400, 100);
  ice_test_append(dir, 500, 100);
  ice_test_append(dir, 600, 100);
  ice_test_append(dir, 700, 100);
  ice_maint_opts_init(&o);
  /* the compacted file and four more: five */
  ice_maint_result r = rewrite(dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 5);
  assert_int_equal(r.added_data_files, 1);
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, 800);
  assert_int_equal(s, 799 * 800 / 2);
  ice_test_rmrf(dir);
  free(dir);
}

/* partial-progress: three partitions' groups in at most two commits, then
** in one commit each; every commit a replace snapshot, the rows the same. */
static void test_rewrite_partial_progress(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, "truncate(100, id)", NULL, 0);
  for (int round = 0; round < 2; round++) {
    for (int p = 1; p <= 3; p++)
      for (int k = 0; k < 2; k++) ice_test_append(dir, p * 100 + k * 50, 50);
    orb_arena a;
    orb_arena_init(&a, 0);
    ice_meta m;
    orb_err e;
    assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
    int before = m.nsnapshots;
    ice_maint_opts o;
    ice_maint_opts_init(&o);
    o.min_input_files = 2;
    o.partial_progress = true;
    o.max_commits = round == 0 ? 2 : 10;
    ice_maint_result r = rewrite(dir, &o, ORB_OK);
    assert_int_equal(r.rewritten_data_files, round == 0 ? 6 : 9);
    assert_int_equal(r.added_data_files, 3);
    assert_int_equal(r.failed_data_files, 0);
    assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
    assert_int_equal(m.nsnapshots - before, round == 0 ? 2 : 3);
    for (int i = before; i < m.nsnapshots; i++)
      assert_string_equal(ice_kv_get(m.snapshots[i].summary, m.snapshots[i].nsummary, "operation"), "replace");
    int64_t n, s;
    ice_test_read_ids(dir, &n, &s);
    assert_int_equal(n, 300 * (round + 1));
    assert_int_equal(s, (round + 1) * (100 + 399) * 300 / 2);
    orb_arena_free(&a);
  }
  ice_test_rmrf(dir);
  free(dir);
}

/* partial-progress interrupted: a compaction of three partitions, one
** commit each, dies just before its third commit; the first two stay
** committed, the rows are exact, and a second run finishes the third. */
static int commits_seen;
static void die_before_third(void *ctx) {
  (void)ctx;
  if (++commits_seen == 3) _exit(3);
}

static void test_rewrite_partial_progress_interrupted(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_test_create(dir, "truncate(100, id)", NULL, 0);
  for (int p = 1; p <= 3; p++)
    for (int k = 0; k < 2; k++) ice_test_append(dir, p * 100 + k * 50, 50);
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  int before = m.nsnapshots;
  pid_t pid = fork();
  if (pid == 0) {
    ice_maint_opts o;
    ice_maint_opts_init(&o);
    o.min_input_files = 2;
    o.partial_progress = true;
    o.max_commits = 3;
    o.before_commit = die_before_third;
    ice_maint_result r;
    ice_rewrite_data_files(dir, &o, &r, &e);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nsnapshots - before, 2);   /* two partitions compacted and kept */
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, 300);
  assert_int_equal(s, (100 + 399) * 300 / 2);
  ice_maint_opts o;
  ice_maint_opts_init(&o);
  o.min_input_files = 2;
  ice_maint_result r = rewrite(dir, &o, ORB_OK);
  assert_int_equal(r.rewritten_data_files, 2);   /* only the third partition was left */
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, 300);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

/* A branch and a tag with max-ref-age-ms (and the table's
** history.expire.max-ref-age-ms for a ref without one): expired refs are
** dropped, main never, and a snapshot only an expired ref held expires. */
typedef struct refs_ctx {
  int64_t old_snap;
} refs_ctx;

static orb_status edit_refs(void *vctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  (void)e;
  refs_ctx *c = vctx;
  ice_ref *refs = orb_arena_zalloc(a, sizeof *refs * (size_t)(base->nrefs + 3));
  memcpy(refs, base->refs, sizeof *refs * (size_t)base->nrefs);
  int n = base->nrefs;
  const char *names[] = {"old-tag", "young-branch", "plain-tag"};
  for (int i = 0; i < 3; i++) {
    ice_ref *r = &refs[n++];
    r->name = names[i];
    r->is_tag = i != 1;
    r->snapshot_id = c->old_snap;
    r->min_snapshots_to_keep = r->max_snapshot_age_ms = -1;
    r->max_ref_age_ms = i == 0 ? 1 : i == 1 ? 3600 * 1000 : -1;
  }
  next->refs = refs;
  next->nrefs = n;
  return ORB_OK;
}

/* history.expire.max-ref-age-ms = 1 (ctx NULL), or young-branch's own max-ref-age-ms = 1 (ctx not NULL). */
static orb_status set_ref_age(void *vctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  (void)e;
  if (!vctx) {
    ice_kv *p = orb_arena_zalloc(a, sizeof *p * (size_t)(base->nproperties + 1));
    int n = 0;
    for (int i = 0; i < base->nproperties; i++)
      if (strcmp(base->properties[i].key, "history.expire.max-ref-age-ms") != 0) p[n++] = base->properties[i];
    p[n].key = "history.expire.max-ref-age-ms";
    p[n++].value = "1";
    next->properties = p;
    next->nproperties = n;
    return ORB_OK;
  }
  ice_ref *refs = orb_arena_zalloc(a, sizeof *refs * (size_t)(base->nrefs + 1));
  memcpy(refs, base->refs, sizeof *refs * (size_t)base->nrefs);
  for (int i = 0; i < base->nrefs; i++)
    if (strcmp(refs[i].name, "young-branch") == 0) refs[i].max_ref_age_ms = 1;
  next->refs = refs;
  return ORB_OK;
}

static void test_expire_ref_age(void **state) {
  (void)state;
  char *dir = ice_test_tmpdir("icemaint");
  ice_kv props[] = {{"history.expire.max-ref-age-ms", "5000"}};
  ice_test_create(dir, NULL, props, 1);
  refs_ctx c = {ice_test_append(dir, 0, 10)};
  ice_test_append(dir, 10, 10);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  assert_int_equal(ice_meta_update(&a, dir, -1, edit_refs, &c, NULL, &e), ORB_OK);
  struct timespec ts = {0, 20 * 1000 * 1000};
  nanosleep(&ts, NULL);
  /* old-tag is older than its 1 ms: dropped; the others stay (the
  ** branch's hour, the table's 5 s), so the first snapshot stays */
  ice_maint_result x = expire(dir, ice_now_ms() + 1000, 1);
  assert_int_equal(x.expired_refs, 1);
  assert_int_equal(x.expired_snapshots, 0);
  ice_meta m;
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nrefs, 3);
  bool seen_main = false;
  for (int i = 0; i < m.nrefs; i++) {
    assert_string_not_equal(m.refs[i].name, "old-tag");
    seen_main |= strcmp(m.refs[i].name, "main") == 0;
  }
  assert_true(seen_main);
  /* the table's default, lowered: plain-tag goes; young-branch's own hour keeps it and its snapshot */
  assert_int_equal(ice_meta_update(&a, dir, -1, set_ref_age, NULL, NULL, &e), ORB_OK);
  nanosleep(&ts, NULL);
  x = expire(dir, ice_now_ms() + 1000, 1);
  assert_int_equal(x.expired_refs, 1);
  assert_int_equal(x.expired_snapshots, 0);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nrefs, 2);
  assert_non_null(ice_meta_snapshot(&m, c.old_snap));
  /* the branch's own age lowered: it goes, and the snapshot only it held */
  assert_int_equal(ice_meta_update(&a, dir, -1, set_ref_age, &c, NULL, &e), ORB_OK);
  nanosleep(&ts, NULL);
  x = expire(dir, ice_now_ms() + 1000, 1);
  assert_int_equal(x.expired_refs, 1);
  assert_int_equal(x.expired_snapshots, 1);
  assert_int_equal(ice_meta_open(&a, dir, &m, NULL, &e), ORB_OK);
  assert_int_equal(m.nrefs, 1);
  assert_string_equal(m.refs[0].name, "main");
  assert_null(ice_meta_snapshot(&m, c.old_snap));
  int64_t n, s;
  ice_test_read_ids(dir, &n, &s);
  assert_int_equal(n, 20);
  orb_arena_free(&a);
  ice_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expire_reachability),
      cmocka_unit_test(test_expire_rules),
      cmocka_unit_test(test_metadata_delete_after_commit),
      cmocka_unit_test(test_orphans_after_crashes),
      cmocka_unit_test(test_rewrite_then_expire),
      cmocka_unit_test(test_rewrite_keeps_partition_bounds),
      cmocka_unit_test(test_rewrite_conflict),
      cmocka_unit_test(test_rewrite_min_input_files),
      cmocka_unit_test(test_rewrite_partial_progress),
      cmocka_unit_test(test_rewrite_partial_progress_interrupted),
      cmocka_unit_test(test_expire_ref_age),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
