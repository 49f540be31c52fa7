/* tests/storage/test_cold_tier.c — the cold tier over the iceberg-trino
** fixtures (read-only: copies are made where a test commits), through the
** tier interface and through SQL sessions:
**
**   - a scan with a projection and a predicate returns only matching rows,
**     in the projection's order, with cold locators; count from the
**     manifests, -1 with a predicate; EXPLAIN names the snapshot; writes
**     fail with SQLSTATE 25006;
**   - two sessions sharing one engine (the C API): a REPEATABLE READ
**     transaction keeps reading the Iceberg snapshot it first read while
**     another writer commits a new metadata version (made here with
**     ice_meta_commit, as a file-system committer does) and the other
**     session already sees it; READ COMMITTED sees it at the next
**     statement; after COMMIT the transaction's successor sees it;
**   - count(*) from the manifest list's row counts (ice_scan_count_rows)
**     equals the plan's record counts wherever the list can tell, and
**     leaves tables with delete manifests to planning (granular_deletes:
**     16 rows before its delete from the list, 10 after it by reading). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orbit.h"
#include "base/mem.h"
#include "expr/expr.h"
#include "storage/catalog.h"
#include "storage/cold/cold_tier.h"
#include "storage/cold/ice_meta.h"
#include "storage/cold/ice_scan.h"
#include "storage/storage_int.h"
#include "storage/table.h"
#include "types/value.h"

#define FIX "../shared/fixtures/iceberg-trino"
/* granular_deletes: 16 rows at its third snapshot, 10 after the delete */
#define GD_BEFORE 3996757342531696884LL
#define GD_AFTER 178401841832651330LL

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(p);
}

/* The manifest list's row counts against planning, on Trino's tables. */
static void test_count_rows_from_list(void **state) {
  (void)state;
  static const char *tables[] = {"no_partitioning", "granular_deletes", "dangling_deletes", "partition_evolution",
                                 "partitioned_table", "bucket_partitioning", "identity_partitioning", "types",
                                 "partitioning_with_null_value", "deletion_vectors"};
  int known_tables = 0;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    char where[256];
    snprintf(where, sizeof where, FIX "/%s", tables[i]);
    orb_arena a;
    orb_arena_init(&a, 0);
    ice_meta m;
    ice_plan p;
    orb_err e;
    if (ice_scan_open(&a, where, -1, &m, &p, &e) != ORB_OK) {   /* (a table this reader refuses: not here) */
      orb_arena_free(&a);
      continue;
    }
    int64_t rows = -7;
    bool known = false;
    assert_int_equal(ice_scan_count_rows(&a, &m, where, -1, &rows, &known, &e), ORB_OK);
    if (known) {
      known_tables++;
      assert_false(p.any_deletes);
      if (rows != p.records) fail_msg("%s: %lld rows from the manifest list, %lld planned", tables[i], (long long)rows, (long long)p.records);
    } else {
      assert_true(p.ndelete_files > 0);   /* only delete manifests make it unknown here */
    }
    orb_arena_free(&a);
  }
  assert_true(known_tables >= 5);
  /* granular_deletes: its list answers before the delete, not after */
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file mf;
  orb_err e;
  assert_int_equal(ice_meta_open(&a, FIX "/granular_deletes", &m, &mf, &e), ORB_OK);
  int64_t rows;
  bool known;
  assert_int_equal(ice_scan_count_rows(&a, &m, FIX "/granular_deletes", GD_BEFORE, &rows, &known, &e), ORB_OK);
  assert_true(known);
  assert_int_equal(rows, 16);
  assert_int_equal(ice_scan_count_rows(&a, &m, FIX "/granular_deletes", GD_AFTER, &rows, &known, &e), ORB_OK);
  assert_false(known);
  assert_int_equal(ice_scan_count_rows(&a, &m, FIX "/granular_deletes", 42, &rows, &known, &e), ORB_ERR_UNDEFINED);
  orb_arena_free(&a);
  /* and through the tier: 10 after the delete, read with the deletes applied */
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "c1", orb_type_make(ORB_T_INT32), false, NULL);
  orb_schema_add_column(&s, "c2", orb_type_make(ORB_T_INT32), false, NULL);
  orb_tier *t = cold_tier_new(9, "gd", FIX "/granular_deletes", &s, false);
  int64_t cnt = 0;
  assert_int_equal(t->ops->count(t, NULL, NULL, NULL, &cnt, &e), ORB_OK);
  assert_int_equal(cnt, -1);   /* deletes apply: the caller reads */
  t->ops->close(t);
  orb_schema_free(&s);
}

static int setup(void **state) {
  (void)state;
  char tmpl[] = "/tmp/orbit-cold-XXXXXX";
  if (!mkdtemp(tmpl)) return -1;
  snprintf(tmpdir, sizeof tmpdir, "%s", tmpl);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}

/* no_partitioning's columns, with its Iceberg field ids */
static void np_schema(orb_schema *s) {
  orb_schema_init(s);
  orb_schema_add_column(s, "c1", orb_type_make(ORB_T_INT32), false, NULL);
  orb_schema_add_column(s, "c2", orb_type_make(ORB_T_DATE), false, NULL);
  orb_schema_add_column(s, "c3", orb_type_make(ORB_T_FLOAT64), false, NULL);
}

static void test_tier_scan(void **state) {
  (void)state;
  orb_schema s;
  np_schema(&s);
  assert_int_equal(s.cols[0].field_id, 1);
  orb_tier *t = cold_tier_new(7, "np", FIX "/no_partitioning", &s, false);
  orb_arena a;
  orb_arena_init(&a, 0);
  /* c1 = 2, projecting c3 then c2 */
  orb_expr *pred = orb_expr_new(&a, ORB_E_CMP, orb_type_make(ORB_T_BOOL), 2);
  pred->op = ORB_CMP_EQ;
  pred->args[0] = orb_expr_column(&a, 0, orb_type_make(ORB_T_INT32));
  pred->args[1] = orb_expr_const(&a, orb_int(ORB_T_INT32, 2), orb_type_make(ORB_T_INT32));
  int proj[] = {2, 1};
  orb_eval_ctx ctx = {.arena = &a};
  orb_scan_req req = {proj, 2, pred, &ctx, NULL};
  orb_tier_scan *sc = NULL;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(t->ops->scan_begin(t, &req, &sc, &e), ORB_OK);
  orb_row_batch *b = orb_malloc(sizeof *b);
  double sum = 0;
  int n = 0;
  for (;;) {
    assert_int_equal(t->ops->scan_next(sc, b, &e), ORB_OK);
    if (b->nrows == 0) break;
    for (int i = 0; i < b->nrows; i++) {
      assert_int_equal(b->rows[i][0].type, ORB_T_FLOAT64);
      assert_int_equal(b->rows[i][1].type, ORB_T_DATE);
      assert_int_equal(ORB_LOC_TIER(b->locators[i]), ORB_TIER_COLD);
      sum += b->rows[i][0].u.f;
      n++;
    }
  }
  orb_scan_stats st = {0};
  t->ops->scan_end(sc, &st);
  /* create.sql: (2, 2025-03-03, -1.0) and (2, 2025-03-04, 42) */
  assert_int_equal(n, 2);
  assert_true(sum == 41.0);
  assert_int_equal(st.rows_returned, 2);
  assert_int_equal(st.rows_scanned, 6);
  int64_t cnt = 0;
  assert_int_equal(t->ops->count(t, NULL, NULL, NULL, &cnt, &e), ORB_OK);
  assert_int_equal(cnt, 6);
  assert_int_equal(t->ops->count(t, NULL, pred, &ctx, &cnt, &e), ORB_OK);
  assert_int_equal(cnt, -1);
  orb_buf ex = ORB_BUF_INIT;
  t->ops->explain(t, &req, &ex);
  assert_non_null(strstr(ex.data, "snapshot 6247215453669530946, 1 data file"));
  orb_buf_free(&ex);
  orb_tier_stats ts;
  t->ops->stats(t, &ts);
  assert_int_equal(ts.row_count, 6);
  assert_true(ts.bytes > 0);
  orb_value row[3] = {orb_int(ORB_T_INT32, 1), orb_int(ORB_T_DATE, 0), orb_float(ORB_T_FLOAT64, 0)};
  const orb_value *rows[1] = {row};
  assert_int_equal(t->ops->insert(t, NULL, rows, 1, &e), ORB_ERR_UNSUPPORTED);
  assert_string_equal(orb_err_sqlstate(&e), "25006");
  assert_non_null(strstr(e.msg, "\"np\""));
  orb_free(b);
  t->ops->close(t);
  orb_arena_free(&a);
  orb_schema_free(&s);
}

static void test_tier_missing(void **state) {
  (void)state;
  orb_schema s;
  np_schema(&s);
  orb_tier *t = cold_tier_new(8, "gone", "/nonexistent/orbit-table", &s, false);   /* no I/O yet */
  orb_scan_req req = {NULL, 0, NULL, NULL, NULL};
  orb_tier_scan *sc = NULL;
  orb_err e;
  orb_err_clear(&e);
  assert_int_not_equal(t->ops->scan_begin(t, &req, &sc, &e), ORB_OK);
  assert_non_null(strstr(e.msg, "gone"));
  if (sc) t->ops->scan_end(sc, NULL);
  t->ops->close(t);
  orb_schema_free(&s);
}

/* Another writer's commit: a new metadata version of the table at dir
** whose current snapshot is `id` (as a rollback commits it). */
static void commit_current(const char *dir, int64_t id) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  ice_meta m, next;
  ice_meta_file mf;
  if (ice_meta_open(&a, dir, &m, &mf, &e) != ORB_OK) fail_msg("open %s: %s", dir, e.msg);
  next = m;
  next.current_snapshot_id = id;
  next.refs = orb_arena_memdup(&a, m.refs, sizeof(ice_ref) * (size_t)m.nrefs);
  for (int i = 0; i < next.nrefs; i++)
    if (strcmp(next.refs[i].name, "main") == 0) next.refs[i].snapshot_id = id;
  ice_snapshot_log_entry *log = orb_arena_alloc(&a, sizeof *log * (size_t)(m.nsnapshot_log + 1));
  memcpy(log, m.snapshot_log, sizeof *log * (size_t)m.nsnapshot_log);
  memset(&log[m.nsnapshot_log], 0, sizeof *log);
  log[m.nsnapshot_log].timestamp_ms = m.last_updated_ms + 1;
  log[m.nsnapshot_log].snapshot_id = id;
  next.snapshot_log = log;
  next.nsnapshot_log++;
  if (ice_meta_prepare_commit(&a, &m, mf.path, m.last_updated_ms + 1, &next, &e) != ORB_OK) fail_msg("prepare: %s", e.msg);
  if (ice_meta_commit(&a, dir, mf.version, &next, NULL, &e) != ORB_OK) fail_msg("commit: %s", e.msg);
  orb_arena_free(&a);
}

static int64_t count_of(orbit_db *db, const char *sql) {
  orbit_stmt *st;
  if (orbit_prepare(db, sql, &st, NULL) != ORBIT_OK) fail_msg("%s: %s", sql, orbit_errmsg(db));
  if (orbit_step(st) != ORBIT_ROW) fail_msg("%s: no row: %s", sql, orbit_errmsg(db));
  int64_t n = orbit_column_int64(st, 0);
  orbit_finalize(st);
  return n;
}

static void exec_ok(orbit_db *db, const char *sql) {
  if (orbit_exec(db, sql) != ORBIT_OK) fail_msg("%s: %s", sql, orbit_errmsg(db));
}

static void test_sessions_pin_snapshots(void **state) {
  (void)state;
  char table[512], dbdir[512], cmd[1400];
  snprintf(table, sizeof table, "%s/gd", tmpdir);
  snprintf(dbdir, sizeof dbdir, "%s/db", tmpdir);
  snprintf(cmd, sizeof cmd, "cp -r '%s/granular_deletes' '%s'", FIX, table);
  assert_int_equal(system(cmd), 0);
  orbit_db *a = NULL, *b = NULL;
  assert_int_equal(orbit_open(dbdir, NULL, &a), ORBIT_OK);
  assert_int_equal(orbit_open(dbdir, NULL, &b), ORBIT_OK);   /* same engine, another session */
  char sql[700];
  snprintf(sql, sizeof sql, "CREATE EXTERNAL TABLE gd LOCATION '%s'", table);
  exec_ok(a, sql);
  assert_int_equal(count_of(b, "SELECT count(*) FROM gd"), 10);

  /* REPEATABLE READ: the snapshot read first stays */
  exec_ok(a, "BEGIN");
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd"), 10);
  commit_current(table, GD_BEFORE);
  assert_int_equal(count_of(b, "SELECT count(*) FROM gd"), 16);        /* autocommit: the new one */
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd"), 10);        /* the transaction: its pin */
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd WHERE c1 > 0"), 10);
  exec_ok(a, "COMMIT");
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd"), 16);

  /* a transaction that first reads after the commit sees it from the start */
  exec_ok(b, "BEGIN");
  assert_int_equal(count_of(b, "SELECT count(*) FROM gd"), 16);
  /* READ COMMITTED: every statement reads the current snapshot */
  exec_ok(a, "BEGIN ISOLATION LEVEL READ COMMITTED");
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd"), 16);
  commit_current(table, GD_AFTER);
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd"), 10);
  assert_int_equal(count_of(b, "SELECT count(*) FROM gd"), 16);
  exec_ok(a, "COMMIT");
  exec_ok(b, "ROLLBACK");
  assert_int_equal(count_of(b, "SELECT count(*) FROM gd"), 10);
  orbit_close(a);
  orbit_close(b);

  /* reopened: the table is still attached, at the newest version */
  assert_int_equal(orbit_open(dbdir, NULL, &a), ORBIT_OK);
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd"), 10);
  assert_int_equal(count_of(a, "SELECT count(*) FROM gd FOR VERSION AS OF 3996757342531696884"), 16);
  orbit_close(a);
}

/* Catalog JSON: kind and location round-trip; old entries without them are
** ordinary tables; a bad kind or a missing location is refused. */
static void test_catalog_kinds(void **state) {
  (void)state;
  orb_schema s;
  np_schema(&s);
  orb_table hot = {.id = 1, .name = "h", .schema = s};
  orb_table ext = {.id = 2, .name = "x", .schema = s, .kind = ORB_TABLE_EXTERNAL, .location = "/w/x"};
  orb_table *ts[] = {&hot, &ext};
  char *js = catalog_dump(5, 3, ts, 2);
  orb_catalog c;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(catalog_parse(js, strlen(js), &c, &e), ORB_OK);
  assert_int_equal(c.ntables, 2);
  assert_int_equal(c.tables[0].kind, ORB_TABLE_HOT);
  assert_null(c.tables[0].location);
  assert_int_equal(c.tables[1].kind, ORB_TABLE_EXTERNAL);
  assert_string_equal(c.tables[1].location, "/w/x");
  catalog_free(&c);
  assert_null(strstr(js, "\"kind\": \"hot\""));   /* ordinary tables are written as before */
  orb_free(js);
  static const char *bad[] = {
      "{\"format-version\": 1, \"lsn\": 1, \"next-table-id\": 2, \"tables\": [{\"id\": 1, \"name\": \"x\", "
      "\"kind\": \"warm\", \"location\": \"/w\", \"schema\": {\"columns\": [{\"name\": \"a\", \"field-id\": 1, "
      "\"type\": \"integer\"}], \"identifier-field-ids\": [], \"next-field-id\": 2}}]}",
      "{\"format-version\": 1, \"lsn\": 1, \"next-table-id\": 2, \"tables\": [{\"id\": 1, \"name\": \"x\", "
      "\"kind\": \"external\", \"schema\": {\"columns\": [{\"name\": \"a\", \"field-id\": 1, "
      "\"type\": \"integer\"}], \"identifier-field-ids\": [], \"next-field-id\": 2}}]}"};
  for (int i = 0; i < 2; i++) {
    orb_err_clear(&e);
    assert_int_equal(catalog_parse(bad[i], strlen(bad[i]), &c, &e), ORB_ERR_CORRUPT);
    assert_non_null(strstr(e.msg, "bad kind or no location"));
  }
  orb_schema_free(&s);
}

/* Scans from several threads while another writer commits: every scan
** reads one whole snapshot (10 or 16 rows, never a mix), and the cached
** metadata is replaced under the scans without freeing what they use. */
typedef struct scanner {
  orb_tier *t;
  int bad, scans;
} scanner;

static void *scan_loop(void *arg) {
  scanner *sc = arg;
  orb_row_batch *b = orb_malloc(sizeof *b);
  for (int k = 0; k < 40; k++) {
    orb_scan_req req = {NULL, 0, NULL, NULL, NULL};
    orb_tier_scan *ts = NULL;
    orb_err e;
    orb_err_clear(&e);
    int n = 0;
    if (sc->t->ops->scan_begin(sc->t, &req, &ts, &e) == ORB_OK) {
      while (sc->t->ops->scan_next(ts, b, &e) == ORB_OK && b->nrows > 0) n += b->nrows;
    }
    if (ts) sc->t->ops->scan_end(ts, NULL);
    if (n != 10 && n != 16) sc->bad++;
    sc->scans++;
  }
  orb_free(b);
  return NULL;
}

static void test_concurrent_scans(void **state) {
  (void)state;
  char table[512], cmd[1200];
  snprintf(table, sizeof table, "%s/gd", tmpdir);
  snprintf(cmd, sizeof cmd, "cp -r '%s/granular_deletes' '%s'", FIX, table);
  assert_int_equal(system(cmd), 0);
  orb_schema s;
  orb_schema_init(&s);
  orb_schema_add_column(&s, "c1", orb_type_make(ORB_T_INT32), false, NULL);
  orb_schema_add_column(&s, "c2", orb_type_make(ORB_T_INT32), false, NULL);
  orb_tier *t = cold_tier_new(9, "gd", table, &s, false);
  scanner sc[3] = {{t, 0, 0}, {t, 0, 0}, {t, 0, 0}};
  pthread_t th[3];
  for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&th[i], NULL, scan_loop, &sc[i]), 0);
  for (int k = 0; k < 8; k++) commit_current(table, k % 2 ? GD_AFTER : GD_BEFORE);
  for (int i = 0; i < 3; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(sc[i].bad, 0);
    assert_int_equal(sc[i].scans, 40);
  }
  int64_t n = 0;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(t->ops->count(t, NULL, NULL, NULL, &n, &e), ORB_OK);
  assert_int_equal(n, -1);   /* after the last commit (GD_AFTER) deletes apply: not from metadata */
  t->ops->close(t);
  orb_schema_free(&s);
}

/* Write-set actions (storage_int.h): work outside the log that commits or
** aborts with the transaction, as Iceberg appends will. */
typedef struct probe {
  int commits, aborts, dones;
  bool fail;
} probe;

static orb_status probe_commit(void *ctx, orb_err *e) {
  probe *p = ctx;
  p->commits++;
  if (p->fail) return orb_err_set(e, ORB_ERR_CONFLICT, "probe refuses to commit");
  return ORB_OK;
}
static void probe_abort(void *ctx) { ((probe *)ctx)->aborts++; }
static void probe_done(void *ctx) { ((probe *)ctx)->dones++; }

static void test_wset_actions(void **state) {
  (void)state;
  char dbdir[512];
  snprintf(dbdir, sizeof dbdir, "%s/db", tmpdir);
  orb_db *db = NULL;
  orb_err e;
  orb_err_clear(&e);
  assert_int_equal(orb_db_open(dbdir, NULL, &db, &e), ORB_OK);
  static int k1, k2;
  /* commit: commit then done, once each */
  probe a = {0};
  orb_wset *ws = orb_wset_begin(db);
  wset_action_add(ws, &k1, probe_commit, probe_abort, probe_done, &a);
  assert_ptr_equal(wset_action_find(ws, &k1), &a);
  assert_null(wset_action_find(ws, &k2));
  orb_wset_leave(ws);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  assert_int_equal(a.commits, 1);
  assert_int_equal(a.aborts, 0);
  assert_int_equal(a.dones, 1);
  /* abort */
  probe b = {0};
  ws = orb_wset_begin(db);
  wset_action_add(ws, &k1, probe_commit, probe_abort, probe_done, &b);
  orb_wset_leave(ws);
  orb_wset_abort(ws);
  assert_int_equal(b.commits, 0);
  assert_int_equal(b.aborts, 1);
  assert_int_equal(b.dones, 1);
  /* a savepoint rolled back aborts what came after it; the earlier one commits */
  probe c = {0}, d = {0};
  ws = orb_wset_begin(db);
  wset_action_add(ws, &k1, probe_commit, probe_abort, probe_done, &c);
  orb_wset_savepoint sp = orb_wset_save(ws);
  wset_action_add(ws, &k2, probe_commit, probe_abort, probe_done, &d);
  orb_wset_rollback_to_savepoint(ws, sp);
  assert_int_equal(d.aborts, 1);
  assert_int_equal(d.dones, 1);
  assert_null(wset_action_find(ws, &k2));
  orb_wset_leave(ws);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_OK);
  assert_int_equal(c.commits, 1);
  assert_int_equal(d.commits, 0);
  /* the first commit fails: the second is aborted, the transaction too */
  probe f = {.fail = true}, g = {0};
  ws = orb_wset_begin(db);
  wset_action_add(ws, &k1, probe_commit, probe_abort, probe_done, &f);
  wset_action_add(ws, &k2, probe_commit, probe_abort, probe_done, &g);
  orb_wset_leave(ws);
  orb_err_clear(&e);
  assert_int_equal(orb_wset_commit(ws, &e), ORB_ERR_CONFLICT);
  assert_non_null(strstr(e.msg, "probe refuses"));
  assert_int_equal(f.commits, 1);
  assert_int_equal(f.aborts, 0);   /* a failed commit cleans up after itself */
  assert_int_equal(g.commits, 0);
  assert_int_equal(g.aborts, 1);
  assert_int_equal(f.dones + g.dones, 2);
  orb_db_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tier_scan),
      cmocka_unit_test(test_count_rows_from_list),
      cmocka_unit_test(test_tier_missing),
      cmocka_unit_test(test_catalog_kinds),
      cmocka_unit_test_setup_teardown(test_sessions_pin_snapshots, setup, teardown),
      cmocka_unit_test_setup_teardown(test_concurrent_scans, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wset_actions, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
