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
  assert_int_equal(q->setop, OQL_SETOP_UNION);
  assert_true(q->set_all);
  assert_non_null(q->larg);
  assert_non_null(q->rarg);
  assert_int_equal(q->norder, 1);
  /* INTERSECT binds tighter than UNION / EXCEPT: 1 EXCEPT (2 INTERSECT 3) */
  q = parse_ok("SELECT 1 EXCEPT ALL SELECT 2 INTERSECT SELECT 3")->select;
  assert_int_equal(q->setop, OQL_SETOP_EXCEPT);
  assert_true(q->set_all);
  assert_int_equal(q->larg->setop, OQL_SETOP_NONE);
  assert_int_equal(q->rarg->setop, OQL_SETOP_INTERSECT);
  assert_false(q->rarg->set_all);
  q = parse_ok("WITH RECURSIVE r (n) AS NOT MATERIALIZED (SELECT 1 UNION ALL SELECT n + 1 FROM r), s AS (SELECT 2) SELECT * FROM r")->select;
  assert_non_null(q->with);
  assert_true(q->with->recursive);
  assert_int_equal(q->with->nctes, 2);
  assert_string_equal(q->with->ctes[0].name, "r");
  assert_int_equal(q->with->ctes[0].ncolnames, 1);
  assert_int_equal(q->with->ctes[0].materialized, 2);
  assert_int_equal(q->with->ctes[0].query->setop, OQL_SETOP_UNION);
  oql_stmt_ast *w = parse_ok("WITH x AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM x)");
  assert_int_equal(w->kind, OQL_S_DELETE);
  assert_non_null(w->with);
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
  assert_string_equal(e.msg, "unterminated quoted string at or near \"'abc\"");
  assert_int_equal(e.pos, 8);
  e = parse_err("SELECT 1 /* x");
  assert_string_equal(e.msg, "unterminated /* comment at or near \"/* x\"");
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
  /* nested comments, bad bytes and bad escapes do not confuse the scan */
  const char *c1 = "SELECT 1 /* a /* ; */ still ; */";
  assert_false(oql_statement_complete(c1, strlen(c1)));
  const char *c2 = "SELECT 1 /* a /* ; */ b */ ;";
  assert_true(oql_statement_complete(c2, strlen(c2)));
  const char *c3 = "SELECT # ;";
  assert_true(oql_statement_complete(c3, strlen(c3)));
  const char *c4 = "SELECT E'\\u12;' ;";
  assert_true(oql_statement_complete(c4, strlen(c4)));
  const char *c5 = "SELECT E'\\u12;";
  assert_false(oql_statement_complete(c5, strlen(c5)));
  const char *c6 = "SELECT 'it''s;' , \"a;\" -- ;\n";
  assert_false(oql_statement_complete(c6, strlen(c6)));
  /* only the first n bytes count */
  assert_false(oql_statement_complete("SELECT 1;", 8));
  /* a script of several statements, one per call through *tail */
  const char *script = "CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\n\n-- end\nSELECT a FROM t";
  static const oql_skind kinds[] = {OQL_S_CREATE_TABLE, OQL_S_INSERT, OQL_S_SELECT};
  const char *p = script;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(oql_parse(&A, p, &tail, &s, &empty, &e), ORB_OK);
    assert_false(empty);
    assert_int_equal(s->kind, kinds[i]);
    p = tail;
  }
  assert_string_equal(s->text, "SELECT a FROM t");
  assert_int_equal(*p, '\0');
  assert_int_equal(oql_parse(&A, p, &tail, &s, &empty, &e), ORB_OK);
  assert_true(empty);
  assert_null(s);
  /* an error in a later statement is placed relative to the text passed */
  p = "SELECT 1; SELECT * FORM t";
  assert_int_equal(oql_parse(&A, p, &tail, &s, &empty, &e), ORB_OK);
  assert_int_not_equal(oql_parse(&A, tail, &tail, &s, &empty, &e), ORB_OK);
  assert_int_equal(e.pos, 11);
}

/* Words that are keywords somewhere in the grammar but not reserved stay
** usable as column and table names. */
static void test_unreserved_words(void **state) {
  (void)state;
  static const char *const words[] = {"kind", "name", "value", "ts",   "year",   "day",  "date",
                                      "time", "text", "key",   "action", "data", "interval", "double"};
  oql_select_ast *q =
      parse_ok("SELECT kind, name, value, ts, year, day, date, time, text, key, action, data, interval, double "
               "FROM data")->select;
  assert_int_equal(q->ntargets, 14);
  for (int i = 0; i < 14; i++) {
    assert_int_equal(q->targets[i].expr->kind, OQL_X_COLUMN);
    assert_string_equal(q->targets[i].expr->name, words[i]);
  }
  assert_string_equal(q->from[0]->name, "data");
  oql_stmt_ast *s = parse_ok("CREATE TABLE t (key INT PRIMARY KEY, value TEXT, date DATE, time TIME, action TEXT)");
  assert_int_equal(s->create.ncols, 5);
  assert_string_equal(s->create.cols[2].name, "date");
  assert_string_equal(s->create.cols[2].type.name, "date");
  assert_string_equal(s->create.cols[3].type.name, "time");
  /* a type word followed by '::' or an operator is a column, before a string a typed literal */
  oql_expr_ast *x = target("SELECT date::text || text FROM t");
  assert_int_equal(x->op, OQL_OP_CONCAT);
  assert_int_equal(x->l->kind, OQL_X_CAST);
  assert_string_equal(x->l->l->name, "date");
  assert_string_equal(x->r->name, "text");
  x = target("SELECT t.year AS year FROM t");
  assert_string_equal(x->qual, "t");
  /* reserved words need quotes */
  assert_string_equal(parse_err("SELECT select FROM t").msg, "syntax error at or near \"select\"");
  assert_string_equal(target("SELECT \"select\" FROM t")->name, "select");
  assert_string_equal(target("SELECT \"a\"\"b\"")->name, "a\"b");
}

static void test_more_expressions(void **state) {
  (void)state;
  oql_expr_ast *x = target("SELECT CASE k WHEN 1 THEN 'one' WHEN 2 THEN 'two' END");
  assert_int_equal(x->kind, OQL_X_CASE);
  assert_string_equal(x->l->name, "k");
  assert_int_equal(x->nlist, 4);
  assert_null(x->r);
  x = target("SELECT a IS NOT TRUE");
  assert_int_equal(x->ival, OQL_IS_TRUE);
  assert_true(x->negate);
  x = target("SELECT a IS UNKNOWN");
  assert_int_equal(x->ival, OQL_IS_UNKNOWN);
  x = target("SELECT a NOTNULL");
  assert_int_equal(x->kind, OQL_X_IS);
  assert_true(x->negate);
  x = target("SELECT a NOT IN ('x', 'y')");
  assert_int_equal(x->kind, OQL_X_IN);
  assert_true(x->negate);
  assert_int_equal(x->nlist, 2);
  x = target("SELECT coalesce(a, nullif(b, 0), greatest(1, 2, 3))");
  assert_string_equal(x->name, "coalesce");
  assert_int_equal(x->nlist, 3);
  assert_string_equal(x->list[1]->name, "nullif");
  assert_int_equal(x->list[2]->nlist, 3);
  x = target("SELECT trim(BOTH FROM s)");
  assert_string_equal(x->name, "btrim");
  assert_int_equal(x->nlist, 1);
  x = target("SELECT trim('x' FROM s)");
  assert_string_equal(x->name, "btrim");
  assert_int_equal(x->nlist, 2);
  assert_string_equal(x->list[0]->name, "s");
  assert_string_equal(x->list[1]->text, "x");
  x = target("SELECT substring(s FROM 2)");
  assert_int_equal(x->nlist, 2);
  x = target("SELECT now()");
  assert_int_equal(x->kind, OQL_X_CALL);
  assert_int_equal(x->nlist, 0);
  x = target("SELECT LOCALTIMESTAMP");
  assert_string_equal(x->name, "localtimestamp");
  x = target("SELECT interval '1 day'");
  assert_int_equal(x->kind, OQL_X_TYPED);
  assert_string_equal(x->text, "1 day");
  assert_null(x->unit);
  x = target("SELECT INTERVAL '1' DAY TO SECOND");
  assert_string_equal(x->unit, "day to second");
  x = target("SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00'");
  assert_string_equal(x->tname.name, "timestamptz");
  x = target("SELECT x::timestamp without time zone");
  assert_string_equal(x->tname.name, "timestamp");
  x = target("SELECT x::double precision");
  assert_string_equal(x->tname.name, "double precision");
  x = target("SELECT x::character varying(20)");
  assert_string_equal(x->tname.name, "character varying");
  assert_int_equal(x->tname.mods[0], 20);
  x = target("SELECT CAST(x AS float(24))");
  assert_string_equal(x->tname.name, "float");
  assert_int_equal(x->tname.nmods, 1);
  x = target("SELECT x::int8::text");
  assert_string_equal(x->tname.name, "text");
  assert_string_equal(x->l->tname.name, "int8");
  x = target("SELECT 1.5e-3 + .5 - 10 % 3");
  assert_int_equal(x->op, OQL_OP_SUB);
  assert_string_equal(x->l->l->text, "1.5e-3");
  assert_string_equal(x->l->r->text, ".5");
  assert_int_equal(x->r->op, OQL_OP_MOD);
  /* unary minus binds tighter than ^, as in PostgreSQL: (-a) ^ 2 */
  x = target("SELECT -a ^ 2");
  assert_int_equal(x->op, OQL_OP_POW);
  assert_int_equal(x->l->op, OQL_OP_NEG);
  /* NOT binds looser than IS and comparisons, AND looser than NOT */
  x = parse_ok("SELECT 1 WHERE NOT a IS NULL AND b")->select->where;
  assert_int_equal(x->op, OQL_OP_AND);
  assert_int_equal(x->l->op, OQL_OP_NOT);
  assert_int_equal(x->l->l->kind, OQL_X_IS);
  x = target("SELECT a + 1 BETWEEN b AND c + 2");
  assert_int_equal(x->kind, OQL_X_BETWEEN);
  assert_int_equal(x->l->op, OQL_OP_ADD);
  assert_int_equal(x->list[1]->op, OQL_OP_ADD);
  x = target("SELECT 'a' || 'b' LIKE 'a%'");
  assert_int_equal(x->kind, OQL_X_LIKE);
  assert_int_equal(x->l->op, OQL_OP_CONCAT);
  /* string constants: '' escapes, E'' escapes, adjacent constants across a newline */
  x = target("SELECT 'one'\n  'two'");
  assert_string_equal(x->text, "onetwo");
  assert_int_equal(parse_err("SELECT 'one' 'two'").pos, 14);
  x = target("SELECT E'\\x41\\101\\u00e9\\''");
  assert_string_equal(x->text, "AA\xc3\xa9'");
  x = target("SELECT count(*) FILTER_ME FROM t");
  assert_true(x->star);
}

static void test_more_queries(void **state) {
  (void)state;
  oql_stmt_ast *s = parse_ok("VALUES (1, 'a'), (2, 'b')");
  assert_int_equal(s->kind, OQL_S_SELECT);
  assert_int_equal(s->select->nvalues, 2);
  assert_int_equal(s->select->values_len[1], 2);
  oql_select_ast *q = parse_ok("SELECT t.*, u.x FROM t CROSS JOIN u RIGHT JOIN v ON true FULL JOIN w USING (a, b)")->select;
  assert_int_equal(q->targets[0].expr->kind, OQL_X_STAR);
  assert_string_equal(q->targets[0].expr->qual, "t");
  oql_from_ast *f = q->from[0];
  assert_int_equal(f->jt, OQL_JA_FULL);
  assert_int_equal(f->nusing, 2);
  assert_int_equal(f->left->jt, OQL_JA_RIGHT);
  assert_int_equal(f->left->left->jt, OQL_JA_CROSS);
  assert_null(f->left->left->on);
  q = parse_ok("SELECT DISTINCT a FROM t ORDER BY a ASC NULLS FIRST, b DESC OFFSET 3 ROWS FETCH FIRST 5 ROWS ONLY")->select;
  assert_true(q->distinct);
  assert_int_equal(q->norder, 2);
  assert_int_equal(q->order[0].nulls, 1);
  assert_false(q->order[0].desc);
  assert_true(q->order[1].desc);
  assert_string_equal(q->offset->text, "3");
  assert_string_equal(q->limit->text, "5");
  q = parse_ok("SELECT a FROM t LIMIT ALL")->select;
  assert_null(q->limit);
  q = parse_ok("(SELECT 1) UNION SELECT 2 UNION ALL SELECT 3 LIMIT 2")->select;
  /* left to right: (1 UNION 2) UNION ALL 3 */
  assert_int_equal(q->setop, OQL_SETOP_UNION);
  assert_true(q->set_all);
  assert_int_equal(q->larg->setop, OQL_SETOP_UNION);
  assert_false(q->larg->set_all);
  assert_string_equal(q->limit->text, "2");
  q = parse_ok("SELECT * FROM generate_series(1, 3) AS g (n) JOIN (SELECT 1 AS n) s ON g.n = s.n")->select;
  assert_int_equal(q->from[0]->left->kind, OQL_FA_FUNCTION);
  assert_int_equal(q->from[0]->left->nargs, 2);
  assert_string_equal(q->from[0]->left->colnames[0], "n");
  assert_int_equal(q->from[0]->right->kind, OQL_FA_SUBQUERY);
  assert_string_equal(q->from[0]->right->alias, "s");
  /* a subquery in FROM needs an alias */
  orb_err e = parse_err("SELECT * FROM (SELECT 1)");
  assert_string_equal(e.sqlstate, "42601");
}

static void test_more_statements(void **state) {
  (void)state;
  oql_stmt_ast *s = parse_ok("INSERT INTO t DEFAULT VALUES");
  assert_true(s->insert.default_values);
  s = parse_ok("UPDATE events AS e SET amount = e.amount + 1");
  assert_string_equal(s->update.alias, "e");
  assert_null(s->update.where);
  s = parse_ok("DELETE FROM events ev WHERE ev.id = $1");
  assert_string_equal(s->del.alias, "ev");
  assert_int_equal(s->del.where->r->kind, OQL_X_PARAM);
  s = parse_ok("CREATE TABLE t (a INT, b TEXT DEFAULT 'x' || 'y' NOT NULL, c TIMESTAMPTZ DEFAULT now(), "
               "CONSTRAINT t_pk PRIMARY KEY (a, b))");
  assert_string_equal(s->create.cols[1].default_sql, "'x' || 'y'");
  assert_true(s->create.cols[1].not_null);
  assert_string_equal(s->create.cols[2].default_sql, "now()");
  assert_int_equal(s->create.npk, 2);
  assert_string_equal(s->create.pk_cols[1], "b");
  assert_true(s->create.pk_clause_pos > 0);
  s = parse_ok("CREATE TABLE t2 AS SELECT * FROM t");
  assert_int_equal(s->kind, OQL_S_CREATE_TABLE_AS);
  assert_non_null(s->create.as);
  s = parse_ok("ALTER TABLE t ADD COLUMN n NUMERIC(10, 2) DEFAULT 0");
  assert_int_equal(s->alter.kind, OQL_ALTER_ADD_COLUMN);
  assert_string_equal(s->alter.col.type.name, "numeric");
  assert_string_equal(s->alter.col.default_sql, "0");
  s = parse_ok("ALTER TABLE t DROP COLUMN IF EXISTS n");
  assert_int_equal(s->alter.kind, OQL_ALTER_DROP_COLUMN);
  assert_true(s->alter.if_exists);
  s = parse_ok("ALTER TABLE t RENAME TO u");
  assert_int_equal(s->alter.kind, OQL_ALTER_RENAME_TABLE);
  assert_string_equal(s->alter.new_name, "u");
  s = parse_ok("SHOW search_path");
  assert_int_equal(s->kind, OQL_S_SHOW);
  assert_string_equal(s->setting, "search_path");
  s = parse_ok("DESC events");
  assert_string_equal(s->names[0], "events");
  s = parse_ok("SET work_mem = 64");
  assert_string_equal(s->value, "64");
  s = parse_ok("SET application_name = 'psql'");
  assert_string_equal(s->value, "psql");
  assert_int_equal(parse_ok("CHECKPOINT")->kind, OQL_S_CHECKPOINT);
  assert_int_equal(parse_ok("START TRANSACTION")->kind, OQL_S_BEGIN);
  assert_int_equal(parse_ok("BEGIN WORK")->kind, OQL_S_BEGIN);
  assert_int_equal(parse_ok("END")->kind, OQL_S_COMMIT);
  assert_int_equal(parse_ok("ABORT")->kind, OQL_S_ROLLBACK);
  s = parse_ok("COPY (SELECT a FROM t) TO STDOUT WITH (FORMAT csv)");
  assert_int_equal(s->kind, OQL_S_COPY_TO);
  assert_non_null(s->copy.query);
  assert_true(s->copy.stdio);
  s = parse_ok("COPY t FROM STDIN");
  assert_int_equal(s->kind, OQL_S_COPY_FROM);
  assert_true(s->copy.stdio);
  s = parse_ok("COPY t TO '/tmp/t.csv' WITH CSV HEADER DELIMITER '|'");
  assert_int_equal(s->copy.nopts, 3);
  assert_string_equal(s->copy.opts[2].name, "delimiter");
  assert_string_equal(s->copy.opts[2].value, "|");
  assert_null(s->copy.opts[1].value);
  s = parse_ok("SET TIME ZONE 'UTC'");
  assert_string_equal(s->setting, "timezone");
  assert_string_equal(s->value, "UTC");
  assert_string_equal(parse_ok("SHOW TIME ZONE")->setting, "timezone");
  s = parse_ok("EXPLAIN SELECT 1 ;");
  assert_false(s->analyze);
  assert_string_equal(s->text, "EXPLAIN SELECT 1");
  assert_string_equal(s->inner->text, "SELECT 1");
  /* text and pos of a statement */
  s = parse_ok("  select  1 + 1 ;");
  assert_int_equal(s->pos, 3);
  assert_string_equal(s->text, "select  1 + 1");
}

static orb_status parse_status(const char *sql, orb_err *e) {
  const char *tail;
  oql_stmt_ast *s;
  bool empty;
  orb_err_clear(e);
  return oql_parse(&A, sql, &tail, &s, &empty, e);
}

static void test_more_errors(void **state) {
  (void)state;
  orb_err e = parse_err("SELECT 1 +");
  assert_string_equal(e.msg, "syntax error at end of input");
  assert_int_equal(e.pos, 11);
  e = parse_err("SELECT \"abc");
  assert_string_equal(e.msg, "unterminated quoted identifier at or near \"\"abc\"");
  e = parse_err("SELECT 12abc");
  assert_string_equal(e.msg, "trailing junk after numeric literal at or near \"12abc\"");
  assert_int_equal(e.pos, 8);
  e = parse_err("SELECT 1 # 2");
  assert_string_equal(e.msg, "syntax error at or near \"#\"");
  assert_int_equal(e.pos, 10);
  e = parse_err("INSERT INTO t VALUES (1,)");
  assert_string_equal(e.msg, "syntax error at or near \")\"");
  assert_int_equal(e.pos, 25);
  e = parse_err("UPDATE t SET = 1");
  assert_int_equal(e.pos, 14);
  e = parse_err("CREATE TABLE t (a INT,)");
  assert_int_equal(e.pos, 23);
  /* nested comments must close at every level */
  assert_int_equal(parse_err("SELECT 1 /* a /* b */ c").pos, 10);
  assert_int_equal(parse_status("SELECT 1 /* a /* b */ c */", &e), ORB_OK);
  /* position() takes only the a IN b form; nesting it is linear, not exponential */
  e = parse_err("SELECT position('a', 'b')");
  assert_string_equal(e.msg, "syntax error at or near \",\"");
  char deep[4096];
  strcpy(deep, "SELECT ");
  for (int i = 0; i < 60; i++) strcat(deep, "position(");
  strcat(deep, "'a' IN 'b'");
  for (int i = 0; i < 60; i++) strcat(deep, ")");
  e = parse_err(deep);
  assert_string_equal(e.sqlstate, "42601");
  /* a skipped option list stops at the statement's end (this used to loop) */
  e = parse_err("VACUUM (verbose; SELECT 1");
  assert_string_equal(e.sqlstate, "42601");
  assert_int_equal(parse_ok("VACUUM (VERBOSE) t")->kind, OQL_S_VACUUM);
  /* deep nesting through every recursive path is refused, not a stack overflow */
  static const char *const openers[] = {"NOT ", "- ", "abs(", "CASE WHEN ", "position(", "(", "CAST("};
  static char big[65536];
  for (size_t k = 0; k < sizeof openers / sizeof openers[0]; k++) {
    strcpy(big, "SELECT ");
    for (int i = 0; i < 5000; i++) strcat(big, openers[k]);
    strcat(big, "1");
    e = parse_err(big);
    assert_string_equal(e.sqlstate, "54001");
  }
  strcpy(big, "SELECT * FROM ");
  for (int i = 0; i < 5000; i++) strcat(big, "(");
  assert_string_equal(parse_err(big).sqlstate, "54001");
  strcpy(big, "");
  for (int i = 0; i < 5000; i++) strcat(big, "EXPLAIN ");
  assert_string_equal(parse_err(big).sqlstate, "54001");
}

/* Random token soup: every input gives a tree or an error, never a crash
** (the libFuzzer target fuzz/fuzz_sql.c does this at length). */
static void test_token_soup(void **state) {
  (void)state;
  static const char *const toks[] = {"SELECT", "FROM", "WHERE", "(", ")", ",", "t", "1", "'s'", "+", "*", "::", "int",
                                     "AND", "NOT", "IN", "BETWEEN", "CASE", "WHEN", "THEN", "END", "JOIN", "ON",
                                     "VALUES", "INSERT", "INTO", "UNION", "ORDER", "BY", ";", "position", "trim",
                                     "extract", "IS", "NULL", "DISTINCT", "E'\\", "/*", "*/", "--", "$1", "."};
  uint32_t r = 12345;
  char sql[512];
  for (int n = 0; n < 3000; n++) {
    sql[0] = '\0';
    int len = 1 + (int)(r % 20);
    for (int i = 0; i < len; i++) {
      r = r * 1103515245u + 12345u;
      strcat(sql, toks[(r >> 16) % (sizeof toks / sizeof toks[0])]);
      strcat(sql, " ");
    }
    const char *p = sql;
    for (int k = 0; k < 40 && *p; k++) {
      const char *tail = NULL;
      oql_stmt_ast *s;
      bool empty;
      orb_err e;
      orb_err_clear(&e);
      orb_status st = oql_parse(&A, p, &tail, &s, &empty, &e);
      if (st != ORB_OK) {
        assert_true(e.msg[0] != '\0');
        assert_true(e.pos >= 0 && e.pos <= (int)strlen(p) + 1);
        break;
      }
      assert_true(tail > p || empty);
      if (empty) break;
      assert_non_null(s);
      p = tail;
    }
    (void)oql_statement_complete(sql, strlen(sql));
    orb_arena_reset(&A);
  }
}

int main(void) {
  orb_arena_init(&A, 65536);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_select_shape),   cmocka_unit_test(test_precedence), cmocka_unit_test(test_predicates),
      cmocka_unit_test(test_literals_and_specials), cmocka_unit_test(test_from_items), cmocka_unit_test(test_dml),
      cmocka_unit_test(test_ddl_and_utility), cmocka_unit_test(test_errors),     cmocka_unit_test(test_scripts),
      cmocka_unit_test(test_unreserved_words), cmocka_unit_test(test_more_expressions),
      cmocka_unit_test(test_more_queries),    cmocka_unit_test(test_more_statements),
      cmocka_unit_test(test_more_errors),     cmocka_unit_test(test_token_soup),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  orb_arena_free(&A);
  return rc;
}
