/* tests/storage/test_wal.c — durability: log replay, torn tails, checkpoints,
** DDL/DML ordering across reopen, group commit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

#include "storage_util.h"
#include "base/file.h"
#include "storage/hot/hot.h"
#include "types/value.h"

static const orb_value *lookup(orb_table *t, int64_t id) {
  orb_value k = orb_int(ORB_T_INT64, id);
  bool found = false;
  const orb_value *row = NULL;
  orb_err e;
  uint64_t l;
  assert_int_equal(orb_table_pk_lookup(t, NULL, &k, &found, &l, &row, &e), ORB_OK);
  return found ? row : NULL;
}

static int64_t nrows(orb_table *t) {
  int64_t n;
  orb_err e;
  assert_int_equal(orb_table_count(t, NULL, NULL, NULL, &n, &e), ORB_OK);
  return n;
}

/* Names of files in <db>/wal with a given prefix. */
static int count_files(const char *db, const char *prefix, char *last, size_t cap) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/wal", db);
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL)
    if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
      n++;
      if (last && snprintf(last, cap, "%s/%s", dir, de->d_name) >= (int)cap) last[0] = '\0';
    }
  if (d) closedir(d);
  return n;
}

static void test_replay_after_reopen(void **state) {
  (void)state;
  char *path = fresh_db_path("wal");
  orb_db *db = open_db(path, true);
  orb_table *t = create_events(db, "events");
  orb_err e;
  for (int b = 0; b < 10; b++) assert_int_equal(insert_range(db, t, b * 100 + 1, b * 100 + 101, &e), ORB_OK);
  /* update one row, delete another */
  orb_wset *ws = orb_wset_begin(db);
  orb_value k = orb_int(ORB_T_INT64, 7);
  bool found;
  uint64_t loc;
  const orb_value *row;
  assert_int_equal(orb_table_pk_lookup(t, ws, &k, &found, &loc, &row, &e), ORB_OK);
  orb_value nr[4];
  memcpy(nr, row, sizeof nr);
  nr[2] = orb_text("seven", 5);
  const orb_value *up = nr;
  assert_int_equal(orb_table_update(t, ws, &loc, &up, 1, &e), ORB_OK);
  k = orb_int(ORB_T_INT64, 8);
  assert_int_equal(orb_table_pk_lookup(t, ws, &k, &found, &loc, &row, &e), ORB_OK);
  assert_int_equal(orb_table_delete(t, ws, &loc, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  /* an aborted write set leaves no record */
  ws = orb_wset_begin(db);
  assert_int_equal(orb_table_delete(t, ws, &loc, 1, &e), ORB_OK);
  orb_wset_abort(ws);
  orb_db_close(db);

  db = open_db(path, true);
  assert_non_null(db);
  assert_int_equal(orb_db_replayed_records(db), 12);   /* create + 10 inserts + update/delete */
  t = orb_db_table(db, "events");
  assert_non_null(t);
  assert_int_equal(nrows(t), 999);
  int64_t sum;
  assert_int_equal(scan_count(t, NULL, NULL, &sum), 999);
  assert_int_equal(sum, 1000 * 1001 / 2 - 8);
  assert_memory_equal(lookup(t, 7)[2].u.s, "seven", 5);
  assert_null(lookup(t, 8));
  assert_int_equal(lookup(t, 999)[1].u.i, 999000);
  /* new writes after recovery append to the log */
  assert_int_equal(insert_range(db, t, 5000, 5010, &e), ORB_OK);
  orb_db_close(db);
  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(nrows(t), 1009);
  orb_db_close(db);
  drop_db_path(path);
}

static void read_file(const char *p, char **data, size_t *len) {
  orb_err e;
  assert_int_equal(orb_file_read_all(p, 0, data, len, &e), ORB_OK);
}

static void write_file(const char *p, const char *data, size_t len) {
  int fd = open(p, O_WRONLY | O_TRUNC | O_CREAT, 0644);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
}

static void test_torn_tail(void **state) {
  (void)state;
  char *path = fresh_db_path("torn");
  orb_db *db = open_db(path, true);
  orb_table *t = create_events(db, "events");
  orb_err e;
  for (int b = 0; b < 5; b++) assert_int_equal(insert_range(db, t, b * 10 + 1, b * 10 + 11, &e), ORB_OK);
  orb_db_close(db);
  char seg[600];
  assert_int_equal(count_files(path, "wal-", seg, sizeof seg), 1);
  struct stat sb;
  assert_int_equal(stat(seg, &sb), 0);
  size_t before = (size_t)sb.st_size;
  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(insert_range(db, t, 1000, 1003, &e), ORB_OK);   /* the record that will be torn */
  orb_db_close(db);
  char *full;
  size_t flen;
  read_file(seg, &full, &flen);
  assert_true(flen > before + 8);

  /* every truncation inside the last record */
  for (size_t k = before; k < flen; k++) {
    write_file(seg, full, k);
    db = open_db(path, true);
    assert_non_null(db);
    t = orb_db_table(db, "events");
    assert_int_equal(orb_db_replayed_records(db), 6);
    assert_int_equal(orb_db_torn_bytes(db), (int64_t)(k - before));
    assert_int_equal(nrows(t), 50);
    assert_null(lookup(t, 1000));
    orb_db_close(db);
    assert_int_equal(stat(seg, &sb), 0);
    assert_int_equal((size_t)sb.st_size, before);   /* the torn bytes were cut off */
  }
  /* every corrupted byte of the last record */
  for (size_t k = before; k < flen; k++) {
    full[k] ^= 0x5a;
    write_file(seg, full, flen);
    full[k] ^= 0x5a;
    db = open_db(path, true);
    assert_non_null(db);
    t = orb_db_table(db, "events");
    assert_int_equal(orb_db_replayed_records(db), 6);
    assert_int_equal(nrows(t), 50);
    assert_null(lookup(t, 1000));
    assert_null(lookup(t, 1002));
    orb_db_close(db);
  }
  /* after a cut, new records follow the valid ones and survive */
  write_file(seg, full, flen - 3);
  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(insert_range(db, t, 2000, 2002, &e), ORB_OK);
  orb_db_close(db);
  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(orb_db_replayed_records(db), 7);
  assert_int_equal(orb_db_torn_bytes(db), 0);
  assert_int_equal(nrows(t), 52);
  assert_non_null(lookup(t, 2001));
  orb_db_close(db);
  orb_free(full);
  drop_db_path(path);
}

static void test_checkpoint(void **state) {
  (void)state;
  char *path = fresh_db_path("ckpt");
  orb_db *db = open_db(path, true);
  orb_table *t = create_events(db, "events");
  orb_err e;
  assert_int_equal(insert_range(db, t, 1, 501, &e), ORB_OK);
  assert_int_equal(orb_db_checkpoint(db, &e), ORB_OK);
  assert_int_equal(count_files(path, "checkpoint-", NULL, 0), 1);
  assert_int_equal(count_files(path, "wal-", NULL, 0), 1);
  char cat[600];
  snprintf(cat, sizeof cat, "%s/catalog", path);
  assert_true(orb_path_exists(cat));
  assert_int_equal(insert_range(db, t, 501, 601, &e), ORB_OK);
  /* delete a row that is in the snapshot */
  orb_value k = orb_int(ORB_T_INT64, 3);
  bool found;
  uint64_t loc;
  const orb_value *row;
  assert_int_equal(orb_table_pk_lookup(t, NULL, &k, &found, &loc, &row, &e), ORB_OK);
  orb_wset *ws = orb_wset_begin(db);
  assert_int_equal(orb_table_delete(t, ws, &loc, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  orb_db_close(db);

  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(orb_db_replayed_records(db), 2);
  assert_int_equal(nrows(t), 599);
  assert_null(lookup(t, 3));
  assert_memory_equal(lookup(t, 250)[2].u.s, "n250", 4);
  assert_non_null(lookup(t, 600));
  /* a second checkpoint replaces the first */
  assert_int_equal(orb_db_checkpoint(db, &e), ORB_OK);
  assert_int_equal(count_files(path, "checkpoint-", NULL, 0), 1);
  orb_db_close(db);
  db = open_db(path, true);
  assert_int_equal(orb_db_replayed_records(db), 0);
  assert_int_equal(nrows(orb_db_table(db, "events")), 599);
  orb_db_close(db);

  /* automatic checkpoints when the log grows */
  orb_db_options o;
  orb_db_options_init(&o);
  o.checkpoint_wal_bytes = 20000;
  assert_int_equal(orb_db_open(path, &o, &db, &e), ORB_OK);
  t = orb_db_table(db, "events");
  for (int b = 0; b < 20; b++) assert_int_equal(insert_range(db, t, 10000 + b * 100, 10100 + b * 100, &e), ORB_OK);
  assert_int_equal(count_files(path, "checkpoint-", NULL, 0), 1);
  assert_int_equal(count_files(path, "wal-", NULL, 0), 1);
  char seg[600];
  count_files(path, "wal-", seg, sizeof seg);
  struct stat sb;
  assert_int_equal(stat(seg, &sb), 0);
  assert_true(sb.st_size <= 20000 + 10000);
  orb_db_close(db);
  db = open_db(path, true);
  assert_true(orb_db_replayed_records(db) < 20);
  assert_int_equal(nrows(orb_db_table(db, "events")), 599 + 2000);
  orb_db_close(db);
  drop_db_path(path);
}

/* create, insert, add column with a fill value, insert, drop column, rename,
** drop table, create a table with the same name; optionally a checkpoint in
** the middle.  Checked after reopening. */
static void ddl_sequence(bool checkpoint_midway) {
  char *path = fresh_db_path("ddl");
  orb_db *db = open_db(path, true);
  orb_err e;
  orb_table *t = create_events(db, "events");
  assert_int_equal(insert_range(db, t, 1, 11, &e), ORB_OK);

  orb_wset *ws = orb_wset_begin(db);
  orb_schema ns;
  orb_schema_copy(&ns, &t->schema);
  int32_t flag_id = orb_schema_add_column(&ns, "flag", orb_type_make(ORB_T_TEXT), false, "'dflt'");
  orb_value fill[5];
  for (int i = 0; i < 4; i++) fill[i] = orb_null(ORB_T_NULL);
  fill[4] = orb_text("dflt", 4);
  assert_int_equal(orb_db_alter_table(db, ws, t, &ns, fill, &e), ORB_OK);
  orb_schema_free(&ns);
  orb_value r[5];
  char nb[16];
  event_row(r, 100, nb);
  r[4] = orb_text("set", 3);
  const orb_value *rp = r;
  assert_int_equal(orb_table_insert(t, ws, &rp, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  if (checkpoint_midway) assert_int_equal(orb_db_checkpoint(db, &e), ORB_OK);

  /* drop column "name" */
  ws = orb_wset_begin(db);
  orb_schema_copy(&ns, &t->schema);
  orb_free(ns.cols[2].name);
  orb_free(ns.cols[2].default_sql);
  memmove(&ns.cols[2], &ns.cols[3], sizeof(orb_column) * 2);
  ns.ncols--;
  assert_int_equal(orb_db_alter_table(db, ws, t, &ns, NULL, &e), ORB_OK);
  orb_schema_free(&ns);
  assert_int_equal(orb_db_rename_table(db, ws, t, "old_events", &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);

  /* a new "events" with another shape; then the old one goes */
  orb_schema s2;
  orb_schema_init(&s2);
  orb_schema_add_column(&s2, "k", orb_type_make(ORB_T_TEXT), true, NULL);
  orb_schema_add_column(&s2, "d", orb_type_decimal(10, 2), false, NULL);
  ws = orb_wset_begin(db);
  orb_table *t2;
  assert_int_equal(orb_db_create_table(db, ws, "events", &s2, &t2, &e), ORB_OK);
  orb_value r2[2] = {orb_text("a", 1), orb_decimal(12345, 2)};
  const orb_value *r2p = r2;
  assert_int_equal(orb_table_insert(t2, ws, &r2p, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  uint32_t old_id = t->id, new_id = t2->id;
  assert_true(new_id > old_id);
  ws = orb_wset_begin(db);
  assert_int_equal(orb_db_drop_table(db, ws, t, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  /* and one more old_events with the dropped name, to check ids are not reused */
  ws = orb_wset_begin(db);
  orb_table *t3;
  assert_int_equal(orb_db_create_table(db, ws, "old_events", &s2, &t3, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  assert_true(t3->id > new_id);
  orb_schema_free(&s2);
  orb_db_close(db);

  db = open_db(path, true);
  assert_int_equal(orb_db_table_count(db), 2);
  assert_string_equal(orb_db_table_at(db, 0)->name, "events");
  assert_string_equal(orb_db_table_at(db, 1)->name, "old_events");
  t2 = orb_db_table(db, "events");
  assert_int_equal(t2->id, new_id);
  assert_int_equal(t2->schema.ncols, 2);
  assert_int_equal(t2->schema.cols[1].type.precision, 10);
  assert_int_equal(t2->schema.cols[1].type.scale, 2);
  assert_true(t2->schema.cols[0].not_null);
  int64_t n;
  assert_int_equal(orb_table_count(t2, NULL, NULL, NULL, &n, &e), ORB_OK);
  assert_int_equal(n, 1);
  orb_table *t3b = orb_db_table(db, "old_events");
  assert_true(t3b->id > new_id);
  assert_int_equal(orb_table_count(t3b, NULL, NULL, NULL, &n, &e), ORB_OK);
  assert_int_equal(n, 0);
  /* ids continue after the highest ever used */
  orb_table *t4 = create_events(db, "more");
  assert_true(t4->id > t3b->id);
  orb_db_close(db);
  (void)flag_id;
  drop_db_path(path);
}

/* The same sequence, but the intermediate states checked after a reopen. */
static void test_ddl_dml_order(void **state) {
  (void)state;
  ddl_sequence(false);
  ddl_sequence(true);

  /* the rows of the altered table, before the drop */
  char *path = fresh_db_path("alter");
  orb_db *db = open_db(path, true);
  orb_err e;
  orb_table *t = create_events(db, "events");
  assert_int_equal(insert_range(db, t, 1, 6, &e), ORB_OK);
  orb_wset *ws = orb_wset_begin(db);
  orb_schema ns;
  orb_schema_copy(&ns, &t->schema);
  orb_schema_add_column(&ns, "flag", orb_type_make(ORB_T_TEXT), false, NULL);
  orb_value fill[5];
  for (int i = 0; i < 5; i++) fill[i] = orb_null(ORB_T_NULL);
  fill[4] = orb_text("dflt", 4);
  assert_int_equal(orb_db_alter_table(db, ws, t, &ns, fill, &e), ORB_OK);
  orb_schema_free(&ns);
  orb_value r[5];
  char nb[16];
  event_row(r, 100, nb);
  r[4] = orb_text("set", 3);
  const orb_value *rp = r;
  assert_int_equal(orb_table_insert(t, ws, &rp, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  /* drop column "name" and rename */
  ws = orb_wset_begin(db);
  orb_schema_copy(&ns, &t->schema);
  orb_free(ns.cols[2].name);
  orb_free(ns.cols[2].default_sql);
  memmove(&ns.cols[2], &ns.cols[3], sizeof(orb_column) * 2);
  ns.ncols--;
  assert_int_equal(orb_db_alter_table(db, ws, t, &ns, NULL, &e), ORB_OK);
  orb_schema_free(&ns);
  assert_int_equal(orb_db_rename_table(db, ws, t, "ev2", &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  orb_db_close(db);

  db = open_db(path, true);
  t = orb_db_table(db, "ev2");
  assert_non_null(t);
  assert_null(orb_db_table(db, "events"));
  assert_int_equal(t->schema.ncols, 4);
  assert_string_equal(t->schema.cols[2].name, "x");
  assert_string_equal(t->schema.cols[3].name, "flag");
  assert_int_equal(t->schema.next_field_id, 6);
  const orb_value *row = lookup(t, 3);
  assert_true(row[2].u.f == 1.5);
  assert_memory_equal(row[3].u.s, "dflt", 4);
  row = lookup(t, 100);
  assert_memory_equal(row[3].u.s, "set", 3);
  assert_int_equal(nrows(t), 6);
  orb_db_close(db);
  drop_db_path(path);
}

static void test_compaction(void **state) {
  (void)state;
  char *path = fresh_db_path("compact");
  orb_db *db = open_db(path, true);
  orb_table *t = create_events(db, "events");
  orb_err e;
  assert_int_equal(insert_range(db, t, 0, 1000, &e), ORB_OK);
  orb_wset *ws = orb_wset_begin(db);
  for (int64_t id = 0; id < 1000; id++) {
    if (id % 5 == 0) continue;
    orb_value k = orb_int(ORB_T_INT64, id);
    bool found;
    uint64_t loc;
    const orb_value *row;
    assert_int_equal(orb_table_pk_lookup(t, ws, &k, &found, &loc, &row, &e), ORB_OK);
    assert_int_equal(orb_table_delete(t, ws, &loc, 1, &e), ORB_OK);
  }
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  assert_int_equal(hot_slots(hot_of(t->hot)), 1000);
  assert_int_equal(orb_db_checkpoint(db, &e), ORB_OK);
  assert_int_equal(hot_slots(hot_of(t->hot)), 200);
  /* locators after compaction work, and the log refers to the new ones */
  orb_value k = orb_int(ORB_T_INT64, 500);
  bool found;
  uint64_t loc;
  const orb_value *row;
  assert_int_equal(orb_table_pk_lookup(t, NULL, &k, &found, &loc, &row, &e), ORB_OK);
  assert_true(found);
  assert_true(loc < 200);
  orb_value nr[4];
  memcpy(nr, row, sizeof nr);
  nr[2] = orb_text("moved", 5);
  const orb_value *up = nr;
  ws = orb_wset_begin(db);
  assert_int_equal(orb_table_update(t, ws, &loc, &up, 1, &e), ORB_OK);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  assert_int_equal(insert_range(db, t, 1, 4, &e), ORB_OK);
  int64_t sum;
  assert_int_equal(scan_count(t, NULL, NULL, &sum), 203);
  orb_db_close(db);
  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(scan_count(t, NULL, NULL, &sum), 203);
  assert_int_equal(sum, 5 * (199 * 200 / 2) + 6);
  assert_memory_equal(lookup(t, 500)[2].u.s, "moved", 5);
  assert_memory_equal(lookup(t, 505)[2].u.s, "n505", 4);
  orb_db_close(db);
  drop_db_path(path);
}

typedef struct gc_arg {
  orb_db *db;
  orb_table *t;
  int base;
  int n;
} gc_arg;

static void *gc_worker(void *p) {
  gc_arg *a = p;
  orb_err e;
  for (int i = 0; i < a->n; i++)
    if (insert_range(a->db, a->t, a->base + i, a->base + i + 1, &e) != ORB_OK) return (void *)1;
  return NULL;
}

static void test_group_commit(void **state) {
  (void)state;
  char *path = fresh_db_path("group");
  orb_db *db = open_db(path, true);
  orb_table *t = create_events(db, "events");
  enum { THREADS = 4, PER = 60 };
  uint64_t syncs0 = orb_db_wal_syncs(db);
  pthread_t th[THREADS];
  gc_arg args[THREADS];
  for (int i = 0; i < THREADS; i++) {
    args[i] = (gc_arg){db, t, 1 + i * 1000, PER};
    pthread_create(&th[i], NULL, gc_worker, &args[i]);
  }
  for (int i = 0; i < THREADS; i++) {
    void *rv;
    pthread_join(th[i], &rv);
    assert_null(rv);
  }
  uint64_t syncs = orb_db_wal_syncs(db) - syncs0;
  fprintf(stderr, "group commit: %d commits, %llu fdatasyncs\n", THREADS * PER, (unsigned long long)syncs);
  assert_true(syncs < THREADS * PER);
  assert_true(syncs > 0);
  orb_db_close(db);
  db = open_db(path, true);
  t = orb_db_table(db, "events");
  assert_int_equal(nrows(t), THREADS * PER);
  for (int i = 0; i < THREADS; i++)
    for (int j = 0; j < PER; j++) assert_non_null(lookup(t, 1 + i * 1000 + j));
  orb_db_close(db);
  drop_db_path(path);
}

static void test_async_commit(void **state) {
  (void)state;
  char *path = fresh_db_path("async");
  orb_db *db = open_db(path, false);
  orb_table *t = create_events(db, "events");
  orb_err e;
  for (int b = 0; b < 20; b++) assert_int_equal(insert_range(db, t, b * 10, b * 10 + 10, &e), ORB_OK);
  assert_true(orb_db_wal_syncs(db) < 21);
  orb_db_close(db);   /* syncs what is buffered */
  db = open_db(path, false);
  assert_int_equal(nrows(orb_db_table(db, "events")), 200);
  orb_db_close(db);
  drop_db_path(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_replay_after_reopen),
      cmocka_unit_test(test_torn_tail),
      cmocka_unit_test(test_checkpoint),
      cmocka_unit_test(test_ddl_dml_order),
      cmocka_unit_test(test_compaction),
      cmocka_unit_test(test_group_commit),
      cmocka_unit_test(test_async_commit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
