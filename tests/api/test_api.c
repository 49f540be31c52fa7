/* tests/api/test_api.c — the C API of include/orbit.h end to end: open, exec,
** prepare/bind/step/column getters, errors with positions, command tags,
** prepared statement reuse, re-binding after DDL, transactions, shared
** engines and persistence across reopen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orbit.h"

static char dbdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb; (void)flag; (void)ftw;
  return remove(p);
}

static int setup(void **state) {
  (void)state;
  char tmpl[] = "/tmp/orbit-api-XXXXXX";
  if (!mkdtemp(tmpl)) return -1;
  snprintf(dbdir, sizeof dbdir, "%s/db", tmpl);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char *slash = strrchr(dbdir, '/');
  *slash = '\0';
  nftw(dbdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}

static orbit_db *open_db(void) {
  orbit_db *db = NULL;
  int rc = orbit_open(dbdir, NULL, &db);
  if (rc != ORBIT_OK) fail_msg("open: %s", db ? orbit_errmsg(db) : "?");
  return db;
}

static void exec_ok(orbit_db *db, const char *sql) {
  if (orbit_exec(db, sql) != ORBIT_OK) fail_msg("%s: %s", sql, orbit_errmsg(db));
}

/* First column of the first row as text ("NULL" for SQL NULL), copied. */
static char *query1(orbit_db *db, const char *sql) {
  orbit_stmt *st;
  if (orbit_prepare(db, sql, &st, NULL) != ORBIT_OK) fail_msg("%s: %s", sql, orbit_errmsg(db));
  int rc = orbit_step(st);
  if (rc != ORBIT_ROW) fail_msg("%s: no row (%d): %s", sql, rc, orbit_errmsg(db));
  const char *t = orbit_column_text(st, 0);
  char *r = strdup(t ? t : "NULL");
  orbit_finalize(st);
  return r;
}

static void assert_query1(orbit_db *db, const char *sql, const char *expect) {
  char *got = query1(db, sql);
  if (strcmp(got, expect) != 0) fail_msg("%s: expected %s, got %s", sql, expect, got);
  free(got);
}

/* A prepared statement reading a WITH query twice (materialized) and a
** recursive one computes them afresh in each execution, also after a run
** stopped part way. */
static void test_cte_reuse(void **state) {
  (void)state;
  orbit_db *db = open_db();
  orbit_stmt *st;
  const char *sql = "WITH m AS (SELECT g FROM generate_series(1, $1::int) g), "
                    "r (n) AS (WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < $1::int) "
                    "SELECT n FROM r) "
                    "SELECT x.g, count(*) FROM m x, m y, r, r s GROUP BY x.g ORDER BY x.g";
  if (orbit_prepare(db, sql, &st, NULL) != ORBIT_OK) fail_msg("%s: %s", sql, orbit_errmsg(db));
  int64_t sizes[] = {3, 5, 2};
  for (int k = 0; k < 3; k++) {
    orbit_bind_int64(st, 1, sizes[k]);
    for (int64_t i = 1; i <= sizes[k]; i++) {
      if (orbit_step(st) != ORBIT_ROW) fail_msg("run %d row %lld: %s", k, (long long)i, orbit_errmsg(db));
      assert_int_equal(orbit_column_int64(st, 0), i);
      assert_int_equal(orbit_column_int64(st, 1), sizes[k] * sizes[k] * sizes[k]);
      if (k == 1 && i == 2) break;   /* stop part way */
    }
    if (k != 1) assert_int_equal(orbit_step(st), ORBIT_DONE);
    assert_int_equal(orbit_reset(st), ORBIT_OK);
  }
  orbit_finalize(st);
  orbit_close(db);
}

static void test_basic_roundtrip(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE events (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, kind TEXT, amount DOUBLE PRECISION);"
              "INSERT INTO events VALUES (1, '2026-01-01 10:00:00', 'buy', 9.5), (2, '2026-01-01 10:01:00', 'sell', NULL)");
  assert_int_equal(orbit_changes(db), 2);

  orbit_stmt *st;
  assert_int_equal(orbit_prepare(db, "SELECT id, ts, kind, amount FROM events ORDER BY id", &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_column_count(st), 4);
  assert_string_equal(orbit_column_name(st, 0), "id");
  assert_int_equal(orbit_column_type(st, 0), ORBIT_INT64);
  assert_int_equal(orbit_column_type(st, 1), ORBIT_TIMESTAMP);
  assert_int_equal(orbit_column_type(st, 3), ORBIT_FLOAT64);
  assert_string_equal(orbit_column_decltype(st, 0), "BIGINT");
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  assert_int_equal(orbit_column_int64(st, 0), 1);
  assert_string_equal(orbit_column_text(st, 1), "2026-01-01 10:00:00");
  assert_string_equal(orbit_column_text(st, 2), "buy");
  assert_true(orbit_column_double(st, 3) == 9.5);
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  assert_int_equal(orbit_column_int64(st, 0), 2);
  assert_true(orbit_column_is_null(st, 3));
  assert_null(orbit_column_text(st, 3));
  assert_int_equal(orbit_step(st), ORBIT_DONE);
  assert_string_equal(orbit_command_tag(st), "SELECT 2");
  orbit_finalize(st);
  orbit_close(db);
}

static void test_command_tags(void **state) {
  (void)state;
  orbit_db *db = open_db();
  struct { const char *sql, *tag; } cases[] = {
      {"CREATE TABLE tags (k INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE"},
      {"INSERT INTO tags VALUES (1, 'a'), (2, 'b'), (3, 'c')", "INSERT 0 3"},
      {"UPDATE tags SET v = 'z' WHERE k >= 2", "UPDATE 2"},
      {"DELETE FROM tags WHERE k = 1", "DELETE 1"},
      {"ALTER TABLE tags ADD COLUMN n INTEGER", "ALTER TABLE"},
      {"DROP TABLE tags", "DROP TABLE"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    orbit_stmt *st;
    if (orbit_prepare(db, cases[i].sql, &st, NULL) != ORBIT_OK) fail_msg("%s: %s", cases[i].sql, orbit_errmsg(db));
    if (orbit_step(st) != ORBIT_DONE) fail_msg("%s: %s", cases[i].sql, orbit_errmsg(db));
    assert_string_equal(orbit_command_tag(st), cases[i].tag);
    orbit_finalize(st);
  }
  orbit_close(db);
}

static void test_errors_with_positions(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE items (id INTEGER PRIMARY KEY, price DECIMAL(6,2))");
  orbit_stmt *st = NULL;
  assert_int_equal(orbit_prepare(db, "SELECT prise FROM items", &st, NULL), ORBIT_ERROR);
  assert_null(st);
  assert_non_null(strstr(orbit_errmsg(db), "column \"prise\" does not exist"));
  assert_string_equal(orbit_errcode_sqlstate(db), "42703");
  int line, col;
  assert_int_equal(orbit_errpos(db, &line, &col), ORBIT_OK);
  assert_int_equal(line, 1);
  assert_int_equal(col, 8);
  assert_string_equal(orbit_errhint(db), "Perhaps you meant to reference the column \"items.price\".");
  assert_int_equal(orbit_prepare(db, "SELECT nothing_like_it FROM items", &st, NULL), ORBIT_ERROR);
  assert_string_equal(orbit_errhint(db), "");

  /* PostgreSQL's HINT and DETAIL beside the message */
  assert_int_equal(orbit_prepare(db, "SELECT lower(id, 2) FROM items", &st, NULL), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(db), "42883");
  assert_string_equal(orbit_errhint(db),
                      "No function matches the given name and argument types. You might need to add explicit type casts.");
  assert_string_equal(orbit_errdetail(db), "");
  assert_int_equal(orbit_exec(db, "INSERT INTO items VALUES (NULL, 1)"), ORBIT_ERROR);
  assert_string_equal(orbit_errdetail(db), "Failing row contains (null, 1.00).");
  assert_string_equal(orbit_errhint(db), "");

  /* second line of a script */
  assert_int_equal(orbit_exec(db, "SELECT 1;\nSELECT * FROM nosuch"), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(db), "42P01");
  assert_int_equal(orbit_errpos(db, &line, &col), ORBIT_OK);
  assert_int_equal(line, 2);
  assert_int_equal(col, 15);

  /* a failing statement changes nothing */
  assert_int_equal(orbit_exec(db, "INSERT INTO items VALUES (1, 1.00), (1, 2.00)"), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(db), "23505");
  assert_query1(db, "SELECT count(*) FROM items", "0");
  orbit_close(db);
}

static void test_prepared_reuse(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE kv (k BIGINT PRIMARY KEY, ts TIMESTAMP, v TEXT, x DOUBLE PRECISION)");
  orbit_stmt *ins;
  assert_int_equal(orbit_prepare(db, "INSERT INTO kv VALUES ($1, $2, $3, $4)", &ins, NULL), ORBIT_OK);
  assert_int_equal(orbit_bind_count(ins), 4);
  for (int i = 0; i < 500; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "v%d", i);
    assert_int_equal(orbit_bind_int64(ins, 1, i), ORBIT_OK);
    assert_int_equal(orbit_bind_int64(ins, 2, 1767225600000000LL + i), ORBIT_OK);
    assert_int_equal(orbit_bind_text(ins, 3, buf, -1), ORBIT_OK);
    assert_int_equal(orbit_bind_double(ins, 4, i * 0.5), ORBIT_OK);
    if (orbit_step(ins) != ORBIT_DONE) fail_msg("insert %d: %s", i, orbit_errmsg(db));
    assert_int_equal(orbit_reset(ins), ORBIT_OK);
  }
  assert_string_equal(orbit_command_tag(ins), "INSERT 0 1");
  orbit_finalize(ins);

  orbit_stmt *sel;
  assert_int_equal(orbit_prepare(db, "SELECT v, x, ts FROM kv WHERE k = $1", &sel, NULL), ORBIT_OK);
  for (int i = 0; i < 500; i += 7) {
    orbit_bind_int64(sel, 1, i);
    assert_int_equal(orbit_step(sel), ORBIT_ROW);
    char buf[32];
    snprintf(buf, sizeof buf, "v%d", i);
    assert_string_equal(orbit_column_text(sel, 0), buf);
    assert_true(orbit_column_double(sel, 1) == i * 0.5);
    assert_int_equal(orbit_column_int64(sel, 2), 1767225600000000LL + i);
    assert_int_equal(orbit_step(sel), ORBIT_DONE);
    orbit_reset(sel);
  }
  orbit_bind_int64(sel, 1, 100000);
  assert_int_equal(orbit_step(sel), ORBIT_DONE);
  orbit_reset(sel);
  /* text bound to a BIGINT parameter is parsed */
  orbit_bind_text(sel, 1, "42", -1);
  assert_int_equal(orbit_step(sel), ORBIT_ROW);
  assert_string_equal(orbit_column_text(sel, 0), "v42");
  orbit_reset(sel);
  assert_int_equal(orbit_bind_text(sel, 1, "abc", -1), ORBIT_ERROR);
  assert_int_equal(orbit_bind_int64(sel, 2, 1), ORBIT_ERROR);
  orbit_finalize(sel);

  /* EXPLAIN names the primary-key lookup */
  char *plan = NULL;
  orbit_stmt *ex;
  assert_int_equal(orbit_prepare(db, "EXPLAIN SELECT * FROM kv WHERE k = 1", &ex, NULL), ORBIT_OK);
  size_t len = 0;
  while (orbit_step(ex) == ORBIT_ROW) {
    const char *l = orbit_column_text(ex, 0);
    plan = realloc(plan, len + strlen(l) + 2);
    memcpy(plan + len, l, strlen(l));
    len += strlen(l);
    plan[len++] = '\n';
    plan[len] = '\0';
  }
  orbit_finalize(ex);
  assert_non_null(plan);
  assert_non_null(strstr(plan, "primary-key"));
  free(plan);
  orbit_close(db);
}

/* One prepared INSERT of more rows than a write batch (1,024), parameters
** and values computed from them, run twice: every row keeps its own text. */
static void test_prepared_multirow(void **state) {
  (void)state;
  enum { ROWS = 1500 };
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE m (k BIGINT PRIMARY KEY, v TEXT, w TEXT, x DOUBLE PRECISION)");
  size_t cap = (size_t)ROWS * 64, len = 0;
  char *sql = malloc(cap);
  len += (size_t)snprintf(sql + len, cap - len, "INSERT INTO m VALUES ");
  for (int i = 0; i < ROWS; i++)
    len += (size_t)snprintf(sql + len, cap - len, "%s($%d, $%d, upper($%d) || '!', $%d)", i ? "," : "", 3 * i + 1,
                            3 * i + 2, 3 * i + 2, 3 * i + 3);
  orbit_stmt *ins;
  if (orbit_prepare(db, sql, &ins, NULL) != ORBIT_OK) fail_msg("prepare: %s", orbit_errmsg(db));
  free(sql);
  for (int run = 0; run < 2; run++) {
    for (int i = 0; i < ROWS; i++) {
      char buf[32];
      snprintf(buf, sizeof buf, "t%d", run * ROWS + i);
      assert_int_equal(orbit_bind_int64(ins, 3 * i + 1, run * ROWS + i), ORBIT_OK);
      assert_int_equal(orbit_bind_text(ins, 3 * i + 2, buf, -1), ORBIT_OK);
      assert_int_equal(orbit_bind_double(ins, 3 * i + 3, i * 0.5), ORBIT_OK);
    }
    if (orbit_step(ins) != ORBIT_DONE) fail_msg("insert: %s", orbit_errmsg(db));
    orbit_reset(ins);
  }
  orbit_finalize(ins);
  assert_query1(db, "SELECT count(*) FROM m", "3000");
  assert_query1(db, "SELECT count(*) FROM m WHERE w = upper(v) || '!' AND v = 't' || k AND x = (k % 1500) * 0.5",
                "3000");
  assert_query1(db, "SELECT w FROM m WHERE k = 1024", "T1024!");
  assert_query1(db, "SELECT w FROM m WHERE k = 2999", "T2999!");
  orbit_close(db);
}

static void test_rebind_after_ddl(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE r (a INTEGER, b TEXT); INSERT INTO r VALUES (1, 'x')");
  orbit_stmt *st;
  assert_int_equal(orbit_prepare(db, "SELECT * FROM r", &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_column_count(st), 2);
  exec_ok(db, "ALTER TABLE r ADD COLUMN c INTEGER DEFAULT 7");
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  assert_int_equal(orbit_column_count(st), 3);
  assert_int_equal(orbit_column_int64(st, 2), 7);
  orbit_reset(st);
  exec_ok(db, "DROP TABLE r");
  assert_int_equal(orbit_step(st), ORBIT_ERROR);
  assert_non_null(strstr(orbit_errmsg(db), "does not exist"));
  orbit_finalize(st);
  orbit_close(db);
}

static void test_transactions(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE tx (k INTEGER PRIMARY KEY)");
  exec_ok(db, "BEGIN; INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (2); COMMIT");
  assert_query1(db, "SELECT count(*) FROM tx", "2");
  exec_ok(db, "BEGIN; INSERT INTO tx VALUES (3); ROLLBACK");
  assert_query1(db, "SELECT count(*) FROM tx", "2");
  exec_ok(db, "BEGIN; INSERT INTO tx VALUES (4)");
  assert_int_equal(orbit_exec(db, "INSERT INTO tx VALUES (1)"), ORBIT_ERROR);
  assert_int_equal(orbit_exec(db, "INSERT INTO tx VALUES (5)"), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(db), "25P02");
  exec_ok(db, "COMMIT");
  assert_query1(db, "SELECT count(*) FROM tx", "2");
  orbit_close(db);
}

/* Warnings (PostgreSQL's WARNING notices) of the last statement run. */
static void test_warnings(void **state) {
  (void)state;
  orbit_db *db = open_db();
  const char *code = NULL;
  exec_ok(db, "SET LOCAL statement_timeout = '5s'");
  assert_string_equal(orbit_warning(db, &code), "SET LOCAL can only be used in transaction blocks");
  assert_string_equal(code, "25P01");
  assert_query1(db, "SHOW statement_timeout", "0");
  assert_null(orbit_warning(db, &code));   /* cleared by the next statement */
  exec_ok(db, "BEGIN");
  assert_null(orbit_warning(db, &code));
  exec_ok(db, "BEGIN");
  assert_non_null(orbit_warning(db, &code));
  assert_string_equal(code, "25001");
  exec_ok(db, "COMMIT");
  exec_ok(db, "COMMIT");
  assert_non_null(orbit_warning(db, &code));
  assert_string_equal(code, "25P01");
  assert_int_equal(orbit_warning_count(db), 1);
  /* a statement may give several: one NOTICE per missing table, in order */
  exec_ok(db, "CREATE TABLE present (id INT)");
  exec_ok(db, "DROP TABLE IF EXISTS gone1, present, gone2");
  assert_int_equal(orbit_warning_count(db), 2);
  const char *severity = NULL;
  assert_string_equal(orbit_warning_at(db, 0, &code, &severity), "table \"gone1\" does not exist, skipping");
  assert_string_equal(code, "00000");
  assert_string_equal(severity, "NOTICE");
  assert_string_equal(orbit_warning_at(db, 1, &code, &severity), "table \"gone2\" does not exist, skipping");
  assert_null(orbit_warning_at(db, 2, &code, &severity));
  assert_null(orbit_warning_at(db, -1, &code, &severity));
  assert_string_equal(orbit_warning(db, &code), "table \"gone1\" does not exist, skipping");
  assert_string_equal(orbit_warning_severity(db), "NOTICE");
  exec_ok(db, "SELECT 1");
  assert_int_equal(orbit_warning_count(db), 0);
  orbit_close(db);
}

/* Column and parameter type modifiers (VARCHAR(n), DECIMAL(p,s)). */
static void test_type_modifiers(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE tm (id INT PRIMARY KEY, v VARCHAR(20), n DECIMAL(10,2), s TEXT)");
  orbit_stmt *st;
  assert_int_equal(orbit_prepare(db, "SELECT v, n, s FROM tm WHERE v = $1", &st, NULL), ORBIT_OK);
  int p, sc, len;
  orbit_column_modifiers(st, 0, &p, &sc, &len);
  assert_true(p == 0 && sc == 0 && len == 20);
  orbit_column_modifiers(st, 1, &p, &sc, &len);
  assert_true(p == 10 && sc == 2 && len == 0);
  orbit_column_modifiers(st, 2, &p, &sc, &len);
  assert_true(p == 0 && sc == 0 && len == 0);
  orbit_bind_modifiers(st, 1, &p, &sc, &len);
  assert_int_equal(len, 0);   /* compared as text, as PostgreSQL does */
  orbit_finalize(st);
  assert_int_equal(orbit_prepare(db, "INSERT INTO tm (id, v, n) VALUES ($1, $2, $3)", &st, NULL), ORBIT_OK);
  orbit_bind_modifiers(st, 2, &p, &sc, &len);
  assert_int_equal(len, 20);   /* assigned to the VARCHAR(20) column */
  orbit_bind_modifiers(st, 3, &p, &sc, &len);
  assert_true(p == 10 && sc == 2);
  orbit_finalize(st);
  orbit_close(db);
}

static void test_persistence_and_sharing(void **state) {
  (void)state;
  orbit_db *a = open_db();
  orbit_db *b = open_db(); /* same directory, same process: shares the engine */
  exec_ok(a, "CREATE TABLE p (id INTEGER PRIMARY KEY, s TEXT)");
  exec_ok(b, "INSERT INTO p VALUES (1, 'one'), (2, 'two')");
  assert_query1(a, "SELECT s FROM p WHERE id = 2", "two");
  orbit_close(a);
  orbit_close(b);
  orbit_db *c = open_db();
  assert_query1(c, "SELECT count(*) FROM p", "2");
  assert_query1(c, "SELECT s FROM p WHERE id = 1", "one");
  exec_ok(c, "SET synchronous_commit = off");
  assert_query1(c, "SHOW synchronous_commit", "off");
  assert_int_equal(orbit_exec(c, "SET no_such_setting = 1"), ORBIT_ERROR);
  assert_int_equal(orbit_checkpoint(c), ORBIT_OK);
  orbit_close(c);
}

static void test_complete(void **state) {
  (void)state;
  assert_int_equal(orbit_complete("SELECT 1;"), 1);
  assert_int_equal(orbit_complete("SELECT 1"), 0);
  assert_int_equal(orbit_complete("SELECT ';'"), 0);
  assert_int_equal(orbit_complete("SELECT 'a''b';  -- done"), 1);
  assert_int_equal(orbit_complete("SELECT 1 /* ; */"), 0);
  assert_int_equal(orbit_complete("SELECT $$;$$;"), 1);
  assert_int_equal(orbit_complete("SELECT $x$ ; "), 0);
}

/* orbit_prepare_typed: declared parameter types are the parameters' types,
** kept across a re-bind after DDL, with PostgreSQL's errors where the
** statement cannot take them. */
static void test_prepare_typed(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE pt (id INT PRIMARY KEY, s TEXT)");
  exec_ok(db, "INSERT INTO pt VALUES (5, 'five'), (6, '6')");
  orbit_stmt *st;
  orbit_type i8 = ORBIT_INT64, tx = ORBIT_TEXT;
  assert_int_equal(orbit_prepare_typed(db, "SELECT s FROM pt WHERE s = $1", 1, &i8, NULL, &st, NULL), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(db), "42883");
  assert_string_equal(orbit_errmsg(db), "operator does not exist: text = bigint");
  assert_int_equal(orbit_prepare_typed(db, "SELECT s FROM pt WHERE id = $1", 1, &tx, NULL, &st, NULL), ORBIT_ERROR);
  assert_string_equal(orbit_errmsg(db), "operator does not exist: integer = text");
  /* declared bigint against an integer column: compared as bigint */
  assert_int_equal(orbit_prepare_typed(db, "SELECT s FROM pt WHERE id = $1", 1, &i8, NULL, &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_bind_type(st, 1), ORBIT_INT64);
  assert_int_equal(orbit_bind_int64(st, 1, 6), ORBIT_OK);
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  assert_string_equal(orbit_column_text(st, 0), "6");
  orbit_finalize(st);
  /* more declared than used; an array; ORBIT_NULL leaves it to the statement */
  orbit_type ts[3] = {ORBIT_NULL, ORBIT_ARRAY, ORBIT_DECIMAL}, es[3] = {ORBIT_NULL, ORBIT_INT32, ORBIT_NULL};
  assert_int_equal(orbit_prepare_typed(db, "SELECT count(*) FROM pt WHERE id = $1 OR id = ANY($2)", 3, ts, es, &st, NULL),
                   ORBIT_OK);
  assert_int_equal(orbit_bind_count(st), 3);
  assert_int_equal(orbit_bind_type(st, 1), ORBIT_INT32);
  assert_int_equal(orbit_bind_type(st, 2), ORBIT_ARRAY);
  assert_int_equal(orbit_bind_elem_type(st, 2), ORBIT_INT32);
  assert_int_equal(orbit_bind_type(st, 3), ORBIT_DECIMAL);
  /* kept when DDL makes the statement bind again */
  exec_ok(db, "ALTER TABLE pt ADD COLUMN extra TEXT");
  assert_int_equal(orbit_bind_int64(st, 1, 5), ORBIT_OK);
  assert_int_equal(orbit_bind_text(st, 2, "{6}", -1), ORBIT_OK);
  assert_int_equal(orbit_bind_null(st, 3), ORBIT_OK);
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  assert_int_equal(orbit_column_int64(st, 0), 2);
  assert_int_equal(orbit_bind_type(st, 3), ORBIT_DECIMAL);
  orbit_finalize(st);
  orbit_close(db);
}

/* A table's array column through the C API: its type, element type and
** element modifiers, a parameter bound as array text, elements read back
** one by one, and the rows again after the database is reopened. */
static void test_array_column(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE ac (id INT PRIMARY KEY, tags VARCHAR(5)[], amounts NUMERIC(6,2)[])");
  orbit_stmt *st;
  assert_int_equal(orbit_prepare(db, "INSERT INTO ac VALUES ($1, $2, '{1.005,NULL}')", &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_bind_type(st, 2), ORBIT_ARRAY);
  assert_int_equal(orbit_bind_elem_type(st, 2), ORBIT_TEXT);
  assert_int_equal(orbit_bind_int64(st, 1, 1), ORBIT_OK);
  assert_int_equal(orbit_bind_text(st, 2, "{a,\"b c\",NULL}", -1), ORBIT_OK);
  assert_int_equal(orbit_step(st), ORBIT_DONE);
  /* an element longer than VARCHAR(5): refused by the parameter's input, as PostgreSQL's bind does */
  assert_int_equal(orbit_bind_text(st, 2, "{abcdef}", -1), ORBIT_ERROR);
  assert_string_equal(orbit_errcode_sqlstate(db), "22001");
  orbit_finalize(st);
  orbit_close(db);
  db = open_db();
  assert_int_equal(orbit_prepare(db, "SELECT tags, amounts FROM ac", &st, NULL), ORBIT_OK);
  assert_int_equal(orbit_column_type(st, 0), ORBIT_ARRAY);
  assert_int_equal(orbit_column_elem_type(st, 0), ORBIT_TEXT);
  assert_int_equal(orbit_column_elem_type(st, 1), ORBIT_DECIMAL);
  int p = 0, sc = 0, len = 0;
  orbit_column_modifiers(st, 0, &p, &sc, &len);
  assert_int_equal(len, 5);
  orbit_column_modifiers(st, 1, &p, &sc, &len);
  assert_true(p == 6 && sc == 2 && len == 0);
  assert_int_equal(orbit_step(st), ORBIT_ROW);
  assert_int_equal(orbit_column_array_len(st, 0), 3);
  assert_int_equal(orbit_column_array_lower(st, 0), 1);
  assert_string_equal(orbit_elem_text(st, 0, 1), "b c");
  assert_true(orbit_elem_is_null(st, 0, 2));
  assert_string_equal(orbit_elem_text(st, 1, 0), "1.01");
  assert_string_equal(orbit_column_text(st, 1), "{1.01,NULL}");
  assert_int_equal(orbit_step(st), ORBIT_DONE);
  orbit_finalize(st);
  orbit_close(db);
}

/* INSERT ... RETURNING prepared once and run many times: rows described like
** a SELECT's, one per written row, then the write's command tag; a failing
** run returns no row and writes nothing. */
static void test_returning(void **state) {
  (void)state;
  orbit_db *db = open_db();
  exec_ok(db, "CREATE TABLE r (k BIGINT PRIMARY KEY, v TEXT DEFAULT 'dflt')");
  orbit_stmt *ins;
  assert_int_equal(orbit_prepare(db, "INSERT INTO r (k) VALUES ($1) RETURNING k * 10 AS ten, v", &ins, NULL), ORBIT_OK);
  assert_int_equal(orbit_column_count(ins), 2);
  assert_string_equal(orbit_column_name(ins, 0), "ten");
  assert_int_equal(orbit_column_type(ins, 0), ORBIT_INT64);
  assert_string_equal(orbit_column_name(ins, 1), "v");
  for (int i = 1; i <= 3; i++) {
    assert_int_equal(orbit_bind_int64(ins, 1, i), ORBIT_OK);
    if (orbit_step(ins) != ORBIT_ROW) fail_msg("insert %d: %s", i, orbit_errmsg(db));
    assert_int_equal(orbit_column_int64(ins, 0), i * 10);
    assert_string_equal(orbit_column_text(ins, 1), "dflt");
    assert_int_equal(orbit_step(ins), ORBIT_DONE);
    assert_string_equal(orbit_command_tag(ins), "INSERT 0 1");
    assert_int_equal(orbit_reset(ins), ORBIT_OK);
  }
  assert_int_equal(orbit_bind_int64(ins, 1, 2), ORBIT_OK);   /* duplicate key */
  int rc = orbit_step(ins);
  assert_true(rc != ORBIT_ROW && rc != ORBIT_DONE);
  orbit_finalize(ins);
  assert_query1(db, "SELECT count(*) FROM r", "3");

  orbit_stmt *del;
  assert_int_equal(orbit_prepare(db, "DELETE FROM r WHERE k >= 2 RETURNING k", &del, NULL), ORBIT_OK);
  int n = 0;
  while ((rc = orbit_step(del)) == ORBIT_ROW) n++;
  assert_int_equal(rc, ORBIT_DONE);
  assert_int_equal(n, 2);
  assert_string_equal(orbit_command_tag(del), "DELETE 2");
  orbit_finalize(del);
  orbit_close(db);
}

/* Parameters in a query over read_parquet (column batches, exec_vec.h):
** bound as the parameter's type, as text (cast by the row evaluator), and
** one that makes the batch's arithmetic overflow, each answered as the
** same query over a table of the same rows answers it. */
static void test_parquet_params(void **state) {
  (void)state;
  orbit_db *db = open_db();
  char sql[1024], path[512];
  snprintf(path, sizeof path, "%s/params.parquet", dbdir);
  exec_ok(db, "CREATE TABLE pp AS SELECT i::bigint AS n, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 2 END AS m FROM generate_series(1, 5000) AS g(i)");
  snprintf(sql, sizeof sql, "COPY pp TO '%s' (FORMAT parquet)", path);
  exec_ok(db, sql);
  char from[600];
  for (int k = 0; k < 2; k++) {
    if (k == 0) snprintf(from, sizeof from, "read_parquet('%s')", path);
    else snprintf(from, sizeof from, "pp");
    orbit_stmt *st;
    snprintf(sql, sizeof sql, "SELECT count(*), sum(m + $1), max(n * $1) FROM %s WHERE n > $1", from);
    assert_int_equal(orbit_prepare(db, sql, &st, NULL), ORBIT_OK);
    orbit_bind_int64(st, 1, 4000);
    assert_int_equal(orbit_step(st), ORBIT_ROW);
    assert_int_equal(orbit_column_int64(st, 0), 1000);
    assert_string_equal(orbit_column_text(st, 1), "8672000");   /* 667 non-NULL m: 2 * 3002000 + 667 * 4000 */
    assert_int_equal(orbit_column_int64(st, 2), 20000000);
    orbit_reset(st);
    orbit_bind_text(st, 1, "4990", -1);
    assert_int_equal(orbit_step(st), ORBIT_ROW);
    assert_int_equal(orbit_column_int64(st, 0), 10);
    orbit_finalize(st);
    snprintf(sql, sizeof sql, "SELECT sum(n * $1) FROM %s WHERE m IS NOT NULL", from);
    assert_int_equal(orbit_prepare(db, sql, &st, NULL), ORBIT_OK);
    assert_int_equal(orbit_bind_int64(st, 1, 4000000000000000000LL), ORBIT_OK);   /* n * $1 overflows bigint from n = 4 */
    assert_int_equal(orbit_step(st), ORBIT_ERROR);
    assert_non_null(strstr(orbit_errmsg(db), "bigint out of range"));
    orbit_reset(st);
    orbit_bind_int64(st, 1, 1000000000000000LL);
    assert_int_equal(orbit_step(st), ORBIT_ROW);
    assert_string_equal(orbit_column_text(st, 0), "8336667000000000000000");   /* (sum of 1..5000 not divisible by 3) * 10^15 */
    orbit_finalize(st);
  }
  orbit_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_basic_roundtrip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_command_tags, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors_with_positions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepared_reuse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepared_multirow, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rebind_after_ddl, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_type_modifiers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_persistence_and_sharing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prepare_typed, setup, teardown),
      cmocka_unit_test_setup_teardown(test_returning, setup, teardown),
      cmocka_unit_test_setup_teardown(test_array_column, setup, teardown),
      cmocka_unit_test_setup_teardown(test_parquet_params, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cte_reuse, setup, teardown),
      cmocka_unit_test(test_complete),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
