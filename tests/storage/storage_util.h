/* tests/storage/storage_util.h — helpers shared by the storage tests. */
#ifndef ORB_TESTS_STORAGE_UTIL_H
#define ORB_TESTS_STORAGE_UTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "storage/db.h"

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f) {
  (void)sb; (void)flag; (void)f;
  return remove(p);
}

static inline void rm_rf(const char *path) { nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* A fresh directory name under /tmp (the directory itself is not created). */
static inline char *fresh_db_path(const char *tag) {
  char tmpl[256];
  snprintf(tmpl, sizeof tmpl, "/tmp/orbit-%s-XXXXXX", tag);
  char *d = mkdtemp(tmpl);
  if (!d) return NULL;
  char *p = orb_malloc(strlen(d) + 4);
  sprintf(p, "%s/db", d);
  return p;
}

static inline void drop_db_path(char *p) {
  char *slash = strrchr(p, '/');
  *slash = '\0';
  rm_rf(p);
  orb_free(p);
}

static inline orb_db *open_db(const char *path, bool sync) {
  orb_db_options o;
  orb_db_options_init(&o);
  o.sync_commit = sync;
  orb_db *db = NULL;
  orb_err e;
  orb_err_clear(&e);
  if (orb_db_open(path, &o, &db, &e) != ORB_OK) {
    fprintf(stderr, "open %s: %s\n", path, e.msg);
    return NULL;
  }
  return db;
}

/* Schema (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, name VARCHAR(8), x DOUBLE). */
static inline void events_schema(orb_schema *s) {
  orb_schema_init(s);
  int32_t id = orb_schema_add_column(s, "id", orb_type_make(ORB_T_INT64), true, NULL);
  orb_schema_add_column(s, "ts", orb_type_make(ORB_T_TIMESTAMP), true, NULL);
  orb_type vc = orb_type_make(ORB_T_TEXT);
  vc.maxlen = 8;
  orb_schema_add_column(s, "name", vc, false, NULL);
  orb_schema_add_column(s, "x", orb_type_make(ORB_T_FLOAT64), false, NULL);
  s->pk = orb_malloc(sizeof(int32_t));
  s->pk[0] = id;
  s->npk = 1;
}

static inline orb_table *create_events(orb_db *db, const char *name) {
  orb_schema s;
  events_schema(&s);
  orb_wset *ws = orb_wset_begin(db);
  orb_table *t = NULL;
  orb_err e;
  orb_err_clear(&e);
  if (orb_db_create_table(db, ws, name, &s, &t, &e) != ORB_OK) {
    fprintf(stderr, "create: %s\n", e.msg);
    orb_wset_abort(ws);
    t = NULL;
  } else if (orb_wset_commit(ws, &e) != ORB_OK) {
    fprintf(stderr, "commit: %s\n", e.msg);
    t = NULL;
  }
  orb_schema_free(&s);
  return t;
}

/* Row i of the events table: (i, 1000*i, "n<i%1000>", i/2.0). */
static inline void event_row(orb_value *row, int64_t i, char *namebuf) {
  row[0] = orb_int(ORB_T_INT64, i);
  row[1] = orb_int(ORB_T_TIMESTAMP, 1000 * i);
  int n = snprintf(namebuf, 16, "n%d", (int)(i % 1000));
  row[2] = orb_text(namebuf, (size_t)n);
  row[3] = orb_float(ORB_T_FLOAT64, (double)i / 2.0);
}

/* Insert rows [from, to) in one write set. */
static inline orb_status insert_range(orb_db *db, orb_table *t, int64_t from, int64_t to, orb_err *e) {
  int64_t n = to - from;
  orb_value *vals = orb_malloc(sizeof(orb_value) * 4 * (size_t)(n ? n : 1));
  char *names = orb_malloc(16 * (size_t)(n ? n : 1));
  const orb_value **rows = orb_malloc(sizeof(orb_value *) * (size_t)(n ? n : 1));
  for (int64_t i = 0; i < n; i++) {
    event_row(&vals[4 * i], from + i, names + 16 * i);
    rows[i] = &vals[4 * i];
  }
  orb_wset *ws = orb_wset_begin(db);
  orb_status st = orb_table_insert(t, ws, rows, (int)n, e);
  if (st == ORB_OK) st = orb_wset_commit(ws, e);
  else orb_wset_abort(ws);
  orb_free(vals);
  orb_free(names);
  orb_free(rows);
  return st;
}

/* Count rows by scanning with an optional predicate; also sums column 0. */
static inline int64_t scan_count(orb_table *t, orb_expr *pred, const orb_eval_ctx *ctx, int64_t *sum) {
  orb_scan_req req = {NULL, 0, pred, ctx, NULL};
  orb_table_scan *s;
  orb_err e;
  if (orb_table_scan_begin(t, &req, &s, &e) != ORB_OK) return -1;
  orb_row_batch *b = orb_malloc(sizeof *b);
  int64_t n = 0, acc = 0;
  for (;;) {
    if (orb_table_scan_next(s, b, &e) != ORB_OK) {
      n = -1;
      break;
    }
    if (b->nrows == 0) break;
    for (int i = 0; i < b->nrows; i++) acc += b->rows[i][0].u.i;
    n += b->nrows;
  }
  orb_table_scan_end(s, NULL);
  orb_free(b);
  if (sum) *sum = acc;
  return n;
}

#endif
