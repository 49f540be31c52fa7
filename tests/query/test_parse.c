/* tests/query/test_parse.c — the OrbitQL lexer and parser: tree shapes,
** precedence, positions of syntax errors, statement completeness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "query/parser.h"

static orb_arena A;

static oql_stmt_ast *parse_ok(const char *sql) {
  const char *tail;
  oql_stmt_ast *s = NULL;
  bool empty;
  orb_err e;
  orb_err_clear(&e);
  orb_status st = oql_parse(&A, sql, &tail, &s, &empty, &e);
  if (st != ORB_OK) fail_msg("%s: %s (pos %d)", sql, e.msg, e.pos);
  assert_false(empty);
  return s;
}

static orb_err parse_err(const char *sql) {
  const char *tail;
  oql_stmt_ast *s = NULL;
  bool empty;
  orb_err e;
  orb_err_clear(&e);
  orb_status st = oql_parse(&A, sql, &tail, &s, &empty, &e);
  assert_int_not_equal(st, ORB_OK);
  return e;
}

static oql_expr_ast *target(const char *sql) { return parse_ok(sql)->select->targets[0].expr; }

static void test_select_shape(void **state) {
  (void)state;
  oql_stmt_ast *s = parse_ok(
      "SELECT kind, count(*), sum(amount) AS total FROM events e WHERE ts >= '2026-01-01' GROUP BY kind "
      "HAVING count(*) > 1 ORDER BY kind DESC NULLS LAST LIMIT 10 OFFSET 2");
  assert_int_equal(s->kind, OQL_S_SELECT);
  oql_select_ast *q = s->select;
  assert_int_equal(q->ntargets, 3);
  assert_string_equal(q->targets[0].expr->name, "kind");
  assert_true(q->targets[1].expr->star);
  assert_string_equal(q->targets[2].alias, "total");
  assert_int_equal(q->nfrom, 1);
  assert_string_equal(q->from[0]->name, "events");
  assert_string_equal(q->from[0]->alias, "e");
  assert_int_equal(q->where->op, OQL_OP_GE);
  assert_int_equal(q->where->r->kind, OQL_X_STRING);
  assert_int_equal(q->ngroup, 1);
  assert_non_null(q->having);
  assert_int_equal(q->norder, 1);
  assert_true(q->order[0].desc);
  assert_int_equal(q->order[0].nulls, 2);
  assert_string_equal(q->limit->text, "10");
  assert_string_equal(q->offset->text, "2");
}

static void test_precedence(void **state) {
  (void)state;
  oql_expr_ast *x = target("SELECT 1 + 2 * 3");
  assert_int_equal(x->op, OQL_OP_ADD);
  assert_int_equal(x->r->op, OQL_OP_MUL);
  x = parse_ok("SELECT 1 WHERE a OR b AND c")->select->where;
  assert_int_equal(x->op, OQL_OP_OR);
  assert_int_equal(x->r->op, OQL_OP_AND);
  x = parse_ok("SELECT 1 WHERE NOT a = b")->select->where;
  assert_int_equal(x->kind, OQL_X_UNARY);
  assert_int_equal(x->op, OQL_OP_NOT);
  assert_int_equal(x->l->op, OQL_OP_EQ);
  /* the cast binds tighter than unary minus; a minus before a number folds into it */
  x = target("SELECT -x::int");
  assert_int_equal(x->kind, OQL_X_UNARY);
  assert_int_equal(x->l->kind, OQL_X_CAST);
  x = target("SELECT -9223372036854775808");
  assert_int_equal(x->kind, OQL_X_NUMBER);
  assert_string_equal(x->text, "-9223372036854775808");
  x = target("SELECT a || b = c");
  assert_int_equal(x->op, OQL_OP_EQ);
  assert_int_equal(x->l->op, OQL_OP_CONCAT);
  x = target("SELECT a = b IS NULL");
  assert_int_equal(x->kind, OQL_X_IS);
  x = target("SELECT 2 ^ 3 ^ 2");
  assert_int_equal(x->op, OQL_OP_POW);
  assert_int_equal(x->l->op, OQL_OP_POW);
}

static void test_predicates(void **state) {
  (void)state;
  oql_expr_ast *x = parse_ok("SELECT 1 WHERE a NOT BETWEEN 1 AND 5 AND b IN (1, 2, 3)")->select->where;
  assert_int_equal(x->op, OQL_OP_AND);
  assert_int_equal(x->l->kind, OQL_X_BETWEEN);
  assert_true(x->l->negate);
  assert_int_equal(x->r->kind, OQL_X_IN);
  assert_int_equal(x->r->nlist, 3);
  x = target("SELECT name NOT ILIKE 'a%'");
  assert_int_equal(x->kind, OQL_X_LIKE);
  assert_true(x->icase && x->negate);
  x = target("SELECT a IS NOT DISTINCT FROM b");
  assert_int_equal(x->kind, OQL_X_DISTINCT);
  assert_true(x->negate);
  x = target("SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END");
  assert_int_equal(x->kind, OQL_X_CASE);
  assert_int_equal(x->nlist, 4);
  assert_non_null(x->r);
  x = target("SELECT CAST(a AS DECIMAL(10, 2))");
  assert_int_equal(x->kind, OQL_X_CAST);
  assert_string_equal(x->tname.name, "decimal");
  assert_int_equal(x->tname.nmods, 2);
  assert_int_equal(x->tname.mods[1], 2);
}

static void test_literals_and_specials(void **state) {
  (void)state;
  oql_expr_ast *x = target("SELECT date '1994-01-01' + interval '1' year");
  assert_int_equal(x->l->kind, OQL_X_TYPED);
  assert_string_equal(x->l->tname.name, "date");
  assert_int_equal(x->r->kind, OQL_X_TYPED);
  assert_string_equal(x->r->unit, "year");
  x = target("SELECT timestamp with time zone '2026-01-01 00:00:00+02'");
  assert_string_equal(x->tname.name, "timestamp with time zone");
  x = target("SELECT extract(YEAR FROM ts)");
  assert_string_equal(x->name, "extract");
  assert_string_equal(x->list[0]->text, "year");
  x = target("SELECT substring('hello' FROM 2 FOR 3)");
  assert_int_equal(x->nlist, 3);
  x = target("SELECT position('l' IN 'hello')");
  assert_int_equal(x->nlist, 2);
  x = target("SELECT trim(leading 'x' FROM s)");
  assert_string_equal(x->name, "ltrim");
  x = target("SELECT 'it''s' || E'a\\tb'");
  assert_string_equal(x->l->text, "it's");
  assert_string_equal(x->r->text, "a\tb");
  x = target("SELECT \"Mixed Case\", date, kind FROM t");
  assert_string_equal(x->name, "Mixed Case");
  x = target("SELECT count(DISTINCT x)");
  assert_true(x->distinct);
  x = target("SELECT $2");
  assert_int_equal(x->kind, OQL_X_PARAM);
  assert_int_equal(x->ival, 2);
  x = target("SELECT CURRENT_DATE");
  assert_string_equal(x->name, "current_date");
}

static void test_from_items(void **state) {
  (void)state;
  oql_select_ast *q = parse_ok("SELECT * FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c USING (id), "
                               "(SELECT 1) AS s (one), generate_series(1, 10) g, (VALUES (1, 'x')) v (n, t)")->select;
  assert_int_equal(q->nfrom, 4);
  assert_int_equal(q->from[0]->kind, OQL_FA_JOIN);
  assert_int_equal(q->from[0]->jt, OQL_JA_LEFT);
  assert_int_equal(q->from[0]->left->kind, OQL_FA_JOIN);
  assert_int_equal(q->from[0]->nusing, 1);
  assert_int_equal(q->from[1]->kind, OQL_FA_SUBQUERY);
  assert_string_equal(q->from[1]->colnames[0], "one");
  assert_int_equal(q->from[2]->kind, OQL_FA_FUNCTION);
  assert_string_equal(q->from[2]->alias, "g");
  assert_int_equal(q->from[3]->kind, OQL_FA_VALUES);
  assert_int_equal(q->from[3]->sub->nvalues, 1);
  q = parse_ok("SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1")->select;
  assert_non_null(q->union_next);
  assert_true(q->union_all);
  assert_int_equal(q->norder, 1);
}

static void test_dml(void **state) {
  (void)state;
  oql_stmt_ast *s = parse_ok("INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 'x') ON CONFLICT (a) DO UPDATE SET b = "
                             "excluded.b WHERE t.b IS NULL");
  assert_int_equal(s->kind, OQL_S_INSERT);
  assert_int_equal(s->insert.ncols, 2);
  assert_int_equal(s->insert.nrows, 2);
  assert_null(s->insert.rows[0][1]);
  assert_int_equal(s->insert.on_conflict, OQL_CA_UPDATE);
  assert_int_equal(s->insert.nsets, 1);
  assert_string_equal(s->insert.sets[0].expr->qual, "excluded");
  s = parse_ok("INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING");
  assert_non_null(s->insert.select);
  assert_int_equal(s->insert.on_conflict, OQL_CA_NOTHING);
  s = parse_ok("UPDATE events SET amount = 10, kind = DEFAULT WHERE id = 2");
  assert_int_equal(s->kind, OQL_S_UPDATE);
  assert_int_equal(s->update.nsets, 2);
  assert_null(s->update.sets[1].expr);
  s = parse_ok("DELETE FROM events WHERE kind = 'sell'");
  assert_int_equal(s->kind, OQL_S_DELETE);
  assert_non_null(s->del.where);
}

static void test_ddl_and_utility(void **state) {
  (void)state;
  oql_stmt_ast *s = parse_ok("CREATE TABLE IF NOT EXISTS events (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, "
                             "kind VARCHAR(5) DEFAULT 'none', amount DOUBLE, PRIMARY KEY (id))");
  assert_int_equal(s->kind, OQL_S_CREATE_TABLE);
  assert_true(s->create.if_not_exists);
  assert_int_equal(s->create.ncols, 4);
  assert_true(s->create.cols[0].primary_key);
  assert_true(s->create.cols[1].not_null);
  assert_string_equal(s->create.cols[2].default_sql, "'none'");
  assert_string_equal(s->create.cols[3].type.name, "double precision");
  assert_int_equal(s->create.npk, 1);
  s = parse_ok("ALTER TABLE t RENAME COLUMN a TO b");
  assert_int_equal(s->alter.kind, OQL_ALTER_RENAME_COLUMN);
  s = parse_ok("COPY t (a, b) FROM '/tmp/x.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')");
  assert_int_equal(s->kind, OQL_S_COPY_FROM);
  assert_int_equal(s->copy.nopts, 3);
  assert_string_equal(s->copy.opts[2].value, ";");
  s = parse_ok("COPY t TO 'out.csv' CSV HEADER");
  assert_int_equal(s->kind, OQL_S_COPY_TO);
  assert_int_equal(s->copy.nopts, 2);
  s = parse_ok("EXPLAIN ANALYZE SELECT 1");
  assert_true(s->analyze);
  assert_int_equal(s->inner->kind, OQL_S_SELECT);
  assert_int_equal(parse_ok("SHOW TABLES")->kind, OQL_S_SHOW_TABLES);
  assert_int_equal(parse_ok("DESCRIBE events")->kind, OQL_S_DESCRIBE);
  s = parse_ok("SET synchronous_commit TO off");
  assert_string_equal(s->value, "off");
  assert_int_equal(parse_ok("BEGIN")->kind, OQL_S_BEGIN);
  assert_int_equal(parse_ok("DROP TABLE IF EXISTS a, b")->nnames, 2);
}

static void test_errors(void **state) {
  (void)state;
  orb_err e = parse_err("SELECT * FORM t");
  assert_string_equal(e.sqlstate, "42601");
  assert_string_equal(e.msg, "syntax error at or near \"FORM\"");
  assert_int_equal(e.pos, 10);
  e = parse_err("SELECT (1");
  assert_string_equal(e.msg, "syntax error at end of input");
  e = parse_err("SELECT 'abc");
  assert_string_equal(e.msg, "unterminated quoted string");
  assert_int_equal(e.pos, 8);
  e = parse_err("SELECT 1 /* x");
  assert_int_equal(e.pos, 10);
  e = parse_err("SELECT 1 < 2 < 3");
  assert_string_equal(e.sqlstate, "42601");
  /* deep nesting is refused, not a stack overflow */
  char deep[20000];
  strcpy(deep, "SELECT ");
  for (int i = 0; i < 5000; i++) strcat(deep, "(");
  e = parse_err(deep);
  assert_string_equal(e.sqlstate, "54001");
  e = parse_err("SELECT 1 FROM t WHERE");
  assert_string_equal(e.msg, "syntax error at end of input");
}

static void test_scripts(void **state) {
  (void)state;
  const char *sql = "-- comment\nSELECT 1; /* a ; */ SELECT 'a;b';\n ;; ";
  const char *tail;
  oql_stmt_ast *s;
  bool empty;
  orb_err e;
  assert_int_equal(oql_parse(&A, sql, &tail, &s, &empty, &e), ORB_OK);
  assert_false(empty);
  assert_string_equal(s->text, "SELECT 1");
  assert_int_equal(oql_parse(&A, tail, &tail, &s, &empty, &e), ORB_OK);
  assert_string_equal(s->text, "SELECT 'a;b'");
  assert_int_equal(oql_parse(&A, tail, &tail, &s, &empty, &e), ORB_OK);
  assert_true(empty);
  assert_true(oql_statement_complete("SELECT 1;", 9));
  assert_false(oql_statement_complete("SELECT ';", 9));
  assert_false(oql_statement_complete("SELECT (1;", 10));
  assert_false(oql_statement_complete("SELECT 1", 8));
  assert_true(oql_statement_complete("SELECT 1; -- done", 17));
  assert_false(oql_statement_complete("SELECT 1; /* open", 17));
}

int main(void) {
  orb_arena_init(&A, 65536);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_select_shape),   cmocka_unit_test(test_precedence), cmocka_unit_test(test_predicates),
      cmocka_unit_test(test_literals_and_specials), cmocka_unit_test(test_from_items), cmocka_unit_test(test_dml),
      cmocka_unit_test(test_ddl_and_utility), cmocka_unit_test(test_errors),     cmocka_unit_test(test_scripts),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  orb_arena_free(&A);
  return rc;
}
