/* tests/server/libpq_client.c — drives orbitd through libpq's extended query
** protocol (PQexecParams, PQprepare/PQexecPrepared, PQdescribePrepared,
** binary results and parameters, arrays among them) and checks the answers.
** usage: libpq_client PORT
**        libpq_client --arrays PORT PG_CONNINFO   (only the binary arrays, each
**        compared byte for byte with what a real PostgreSQL sends)
**        libpq_client --typed PORT PG_CONNINFO    (statements prepared with
**        declared parameter types, answers compared with PostgreSQL's) */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fails;

#define CHECK(cond, ...)                        \
  do {                                          \
    if (!(cond)) {                              \
      fprintf(stderr, "FAIL line %d: ", __LINE__); \
      fprintf(stderr, __VA_ARGS__);             \
      fputc('\n', stderr);                      \
      fails++;                                  \
    }                                           \
  } while (0)

static PGresult *run(PGconn *c, const char *sql) {
  PGresult *r = PQexec(c, sql);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql,
        PQerrorMessage(c));
  return r;
}

/* --- binary arrays ------------------------------------------------------------------- */

/* One-dimensional arrays of every element type Orbit has, with NULLs, escapes and an empty one. */
static const struct { const char *expr, *type; } array_exprs[] = {
    {"ARRAY[1,2,NULL]::int8[]", "int8[]"},
    {"ARRAY['a','b\"c',NULL,'',E'x\\\\y']::text[]", "text[]"},
    {"ARRAY[1.5,-2.25]::float8[]", "float8[]"},
    {"ARRAY[1.5]::float4[]", "float4[]"},
    {"ARRAY[1e300,'NaN','Infinity','-Infinity']::float8[]", "float8[]"},
    {"ARRAY[12345.678,-0.0005,0]::numeric[]", "numeric[]"},
    {"ARRAY[DATE '2026-01-02',DATE '1999-12-31',DATE '1970-01-01']", "date[]"},
    {"ARRAY[TIMESTAMP '2026-01-02 03:04:05.5',TIMESTAMP '1969-12-31 23:59:59.999999']", "timestamp[]"},
    {"ARRAY[TIMESTAMPTZ '2026-01-02 03:04:05+00']", "timestamptz[]"},
    {"ARRAY[TIME '01:02:03.25',TIME '23:59:59.999999']", "time[]"},
    {"ARRAY[true,false,NULL]", "bool[]"},
    {"ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid,NULL]", "uuid[]"},
    {"ARRAY['\\x0102ff'::bytea,''::bytea]", "bytea[]"},
    {"ARRAY[INTERVAL '1 day 2 hours',INTERVAL '-1 mon',INTERVAL '1 year 00:00:00.000001']", "interval[]"},
    {"'{}'::int8[]", "int8[]"},
    {"ARRAY[1,2,-3]::int4[]", "int4[]"},
    {"ARRAY[1,-1]::int2[]", "int2[]"},
    {"ARRAY[NULL]::int8[]", "int8[]"},
    /* json (OID 114: the text) and jsonb (OID 3802: version 1, then the normalized text), and their arrays */
    {"'{\"b\": 1, \"a\": [1.50, null, \"x\\\"y\"]}'::jsonb", "jsonb"},
    {"'{\"b\":1,  \"a\":2}'::json", "json"},
    {"ARRAY['{\"a\": 1}'::jsonb, '[1, 2]', NULL]", "jsonb[]"},
    {"ARRAY['{\"x\" :1}'::json, '[]']", "json[]"},
};

/* the first column of `sql` with its parameters, in format fmt; NULL (and a failure) unless one row */
static PGresult *one_value(PGconn *c, const char *sql, int n, const char *const *vals, const int *lens,
                           const int *fmts, int fmt) {
  PGresult *r = PQexecParams(c, sql, n, NULL, vals, lens, fmts, fmt);
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    CHECK(0, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return NULL;
  }
  return r;
}

/* Each array comes in binary as PostgreSQL sends it (byte for byte, when pg is given), and its
** bytes sent back as a binary parameter read as the same array. */
static void check_arrays(PGconn *c, PGconn *pg) {
  for (size_t i = 0; i < sizeof array_exprs / sizeof array_exprs[0]; i++) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s", array_exprs[i].expr);
    PGresult *got = one_value(c, sql, 0, NULL, NULL, NULL, 1);
    PGresult *want = pg ? one_value(pg, sql, 0, NULL, NULL, NULL, 1) : NULL;
    if (!got || (pg && !want)) {
      PQclear(got);
      PQclear(want);
      continue;
    }
    if (want) {
      CHECK(PQftype(got, 0) == PQftype(want, 0), "%s: type %u, PostgreSQL's %u", array_exprs[i].expr, PQftype(got, 0),
            PQftype(want, 0));
      CHECK(PQgetlength(got, 0, 0) == PQgetlength(want, 0, 0) &&
                memcmp(PQgetvalue(got, 0, 0), PQgetvalue(want, 0, 0), (size_t)PQgetlength(want, 0, 0)) == 0,
            "%s: binary form differs from PostgreSQL's (%d bytes, PostgreSQL %d)", array_exprs[i].expr,
            PQgetlength(got, 0, 0), PQgetlength(want, 0, 0));
    }
    /* back in: PostgreSQL's bytes (or ours) as a parameter of the array's type, printed as text */
    PGresult *src = want ? want : got;
    const char *val[1] = {PQgetvalue(src, 0, 0)};
    int len[1] = {PQgetlength(src, 0, 0)}, fmt[1] = {1};
    char cast[600], back[100];
    snprintf(cast, sizeof cast, "SELECT (%s)::text", array_exprs[i].expr);
    snprintf(back, sizeof back, "SELECT $1::%s::text", array_exprs[i].type);
    PGresult *text = one_value(pg ? pg : c, cast, 0, NULL, NULL, NULL, 0);
    PGresult *round = PQexecParams(c, back, 1, NULL, val, len, fmt, 0);
    CHECK(text && PQresultStatus(round) == PGRES_TUPLES_OK && PQntuples(round) == 1 &&
              strcmp(PQgetvalue(round, 0, 0), PQgetvalue(text, 0, 0)) == 0,
          "%s as a binary parameter: got %s, want %s (%s)", array_exprs[i].expr,
          PQresultStatus(round) == PGRES_TUPLES_OK ? PQgetvalue(round, 0, 0) : "error",
          text ? PQgetvalue(text, 0, 0) : "?", PQerrorMessage(c));
    PQclear(round);
    PQclear(text);
    PQclear(got);
    PQclear(want);
  }

  /* the use drivers make of it: k = ANY($1) with a binary int8[] */
  static const unsigned char keys[] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 1,
                                       0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0, 0, 0,
                                       0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff};
  const char *kv[1] = {(const char *)keys};
  int kl[1] = {sizeof keys}, kf[1] = {1};
  PGresult *r = one_value(c, "SELECT count(*) FROM generate_series(1, 10) g WHERE g = ANY($1)", 1, kv, kl, kf, 0);
  CHECK(r && strcmp(PQgetvalue(r, 0, 0), "2") == 0, "g = ANY(binary {3,5,NULL}): %s", r ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);

  /* malformed array bytes: a clear 22P03 error, and the session goes on */
  static const struct { const char *what; unsigned char b[40]; int n; } bad[] = {
      {"short header", {0, 0, 0, 1, 0, 0}, 6},
      {"two dimensions", {0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 28},
      {"more elements than bytes", {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1}, 20},
      {"element of the wrong length", {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3}, 27},
      {"element past the end", {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 8, 1, 2}, 26},
      {"trailing bytes", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 9}, 13},
      {"negative dimensions", {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 20}, 12},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *bv[1] = {(const char *)bad[i].b};
    int bl[1] = {bad[i].n}, bf[1] = {1};
    r = PQexecParams(c, "SELECT $1::int8[]::text", 1, NULL, bv, bl, bf, 0);
    const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR && code && strcmp(code, "22P03") == 0, "malformed array (%s): %s %s",
          bad[i].what, code ? code : "accepted", PQresultErrorMessage(r));
    PQclear(r);
  }
  r = one_value(c, "SELECT 1", 0, NULL, NULL, NULL, 0);
  CHECK(r != NULL, "session after malformed arrays");
  PQclear(r);
}

/* --- binary records ------------------------------------------------------------------- */

/* Row values in binary (record_send: field count, then each field's type OID, length and
** bytes) byte for byte as PostgreSQL sends them, and read back field by field. */
static void check_records(PGconn *c, PGconn *pg) {
  /* array columns of a table, read into records */
  static const char *const setup =
      "CREATE TABLE rec_arrays (id int PRIMARY KEY, a int8[], b text[]); "
      "INSERT INTO rec_arrays VALUES (1, '{1,2}', NULL), (2, NULL, '{x,NULL}')";
  PQclear(run(c, setup));
  PQclear(run(pg, setup));
  static const char *const exprs[] = {
      "(1, 'a')",
      "ROW(1, 'x y', NULL::int8, 2.5, ''::text, true)",
      "ROW(42)",
      "ROW()",
      "(DATE '2026-01-02', TIMESTAMP '2026-01-02 03:04:05.5', INTERVAL '1 day 2 hours', 1.5::float8, 2::int2)",
      "('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '\\x01ff'::bytea, -12345.678, 1e10::float4)",
      "(k, v) FROM (VALUES (1, 'one'), (2, NULL)) t(k, v) WHERE k = 2",
      /* arrays in records: the field's type is the array type, its bytes array_send's */
      "ROW(ARRAY[1, 2], 3)",
      "ROW(ARRAY[1, NULL, 3]::int8[], ARRAY['a', 'b c']::text[], '{}'::int4[], NULL::int4[], 'x'::text)",
      "(ARRAY[1.5, NULL, -2.25]::numeric[], ARRAY[true, false], ARRAY[DATE '2026-01-02'], "
      "ARRAY[TIMESTAMP '2026-01-02 03:04:05.5'], ARRAY[INTERVAL '1 day 2 hours'], ARRAY[1.5::float8, 2.5::float8], "
      "ARRAY[1::int2], ARRAY[1.5::float4], ARRAY['\\x01ff'::bytea], "
      "ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid], ARRAY['{\"a\": 1}'::jsonb], ARRAY[TIME '10:11:12'])",
      "(k, a) FROM (VALUES (1, ARRAY[10, 20]), (2, ARRAY[NULL::int])) t(k, a) WHERE k = 2",
      "(k, a) FROM (VALUES (1, ARRAY[10, 20]), (2, NULL::int[])) t(k, a) WHERE k = 2",
      "ROW(ARRAY[NULL], 1)",
      "(id, a, b) FROM rec_arrays WHERE id = 2",
      "ROW(a, b) FROM rec_arrays WHERE id = 1",
      "('{a,NULL,\"c d\"}'::text[], 1)",
  };
  for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s", exprs[i]);
    PGresult *got = one_value(c, sql, 0, NULL, NULL, NULL, 1);
    PGresult *want = one_value(pg, sql, 0, NULL, NULL, NULL, 1);
    if (got && want) {
      CHECK(PQftype(got, 0) == 2249 && PQftype(want, 0) == 2249, "%s: type %u, PostgreSQL's %u", exprs[i],
            PQftype(got, 0), PQftype(want, 0));
      CHECK(PQgetlength(got, 0, 0) == PQgetlength(want, 0, 0) &&
                memcmp(PQgetvalue(got, 0, 0), PQgetvalue(want, 0, 0), (size_t)PQgetlength(want, 0, 0)) == 0,
            "%s: binary record differs from PostgreSQL's (%d bytes, PostgreSQL %d)", exprs[i], PQgetlength(got, 0, 0),
            PQgetlength(want, 0, 0));
    }
    PQclear(got);
    PQclear(want);
  }
  /* a driver's reading of one: two fields, int4 (OID 23) 1 and the untyped literal 'a' (unknown, OID 705) */
  PGresult *r = one_value(c, "SELECT (1, 'a')", 0, NULL, NULL, NULL, 1);
  if (r) {
    const unsigned char *b = (const unsigned char *)PQgetvalue(r, 0, 0);
    static const unsigned char want[] = {0, 0, 0, 2, 0, 0, 0, 23, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 2, 0xc1, 0, 0, 0, 1, 'a'};
    CHECK(PQgetlength(r, 0, 0) == (int)sizeof want && memcmp(b, want, sizeof want) == 0, "(1, 'a') in binary");
  }
  PQclear(r);
  /* a driver's reading of an array in a record: field 1 is int4[] (OID 1007), one dimension of 2
  ** from subscript 1, no NULLs, elements int4 (23) 1 and 2; field 2 int4 3 */
  r = one_value(c, "SELECT ROW(ARRAY[1, 2], 3)", 0, NULL, NULL, NULL, 1);
  if (r) {
    static const unsigned char want[] = {0, 0, 0, 2, 0, 0, 3, 0xef, 0, 0, 0, 0x24, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                         0, 23, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0,
                                         0, 2, 0, 0, 0, 23, 0, 0, 0, 4, 0, 0, 0, 3};
    CHECK(PQgetlength(r, 0, 0) == (int)sizeof want && memcmp(PQgetvalue(r, 0, 0), want, sizeof want) == 0,
          "ROW(ARRAY[1, 2], 3) in binary (%d bytes)", PQgetlength(r, 0, 0));
  }
  PQclear(r);
  /* a record in a record has no binary form here: a clear error, and the session goes on */
  r = PQexecParams(c, "SELECT ROW(ROW(1), 2)", 0, NULL, NULL, NULL, NULL, 1);
  CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR, "a record in a record in binary: %s", PQresultErrorMessage(r));
  PQclear(r);
  r = one_value(c, "SELECT (1, 'a')::text", 0, NULL, NULL, NULL, 0);
  CHECK(r && strcmp(PQgetvalue(r, 0, 0), "(1,a)") == 0, "record as text: %s", r ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);
}

/* --- declared parameter types (Parse) -------------------------------------------------- */

/* What a connection answers to a statement prepared with declared parameter
** types: Parse's error, or ParameterDescription, the result's column types,
** and Execute's rows or error — appended to out as text. */
static void typed_case(PGconn *c, const char *name, const char *sql, int n, const Oid *types, const char *const *vals,
                       char *out, size_t cap) {
  size_t len = strlen(out);
#define OUT(...) (len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, __VA_ARGS__), len = len < cap ? len : cap)
  OUT("%s |", sql);
  for (int i = 0; i < n; i++) OUT(" %u", types[i]);
  OUT("\n");
  PGresult *r = PQprepare(c, name, sql, n, types);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    OUT("  parse: %s %s\n", PQresultErrorField(r, PG_DIAG_SQLSTATE), PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
    PQclear(r);
    return;
  }
  PQclear(r);
  r = PQdescribePrepared(c, name);
  OUT("  parameters:");
  for (int i = 0; i < PQnparams(r); i++) OUT(" %u", PQparamtype(r, i));
  OUT("; columns:");
  for (int i = 0; i < PQnfields(r); i++) OUT(" %u", PQftype(r, i));
  int np = PQnparams(r);
  OUT("\n");
  PQclear(r);
  r = PQexecPrepared(c, name, np, vals, NULL, NULL, 0);
  if (PQresultStatus(r) == PGRES_TUPLES_OK) {
    OUT("  rows:");
    for (int i = 0; i < PQntuples(r); i++) {
      OUT(" (");
      for (int j = 0; j < PQnfields(r); j++) OUT("%s%s", j ? "," : "", PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
      OUT(")");
    }
  } else if (PQresultStatus(r) == PGRES_COMMAND_OK) {
    OUT("  %s", PQcmdStatus(r));
  } else {
    OUT("  execute: %s %s", PQresultErrorField(r, PG_DIAG_SQLSTATE), PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
  }
  OUT("\n");
  PQclear(r);
#undef OUT
}

/* The same statements with declared types on orbitd and on PostgreSQL: the
** same errors, parameter and column types, and rows.  (describe_test.sh's
** users table: id 1..3000, name 'user <id>'.) */
static void check_typed(PGconn *c, PGconn *pg) {
  static const struct { const char *sql; int n; Oid types[3]; const char *vals[3]; } cases[] = {
      {"SELECT name FROM users WHERE id = $1", 1, {20}, {"5"}},             /* int4 = int8 */
      {"SELECT name FROM users WHERE name = $1", 1, {20}, {"5"}},           /* text = bigint: no such operator */
      {"SELECT name FROM users WHERE id = $1", 1, {25}, {"5"}},             /* integer = text: no such operator */
      {"SELECT id FROM users WHERE id = $1", 1, {16}, {"true"}},            /* integer = boolean */
      {"SELECT name FROM users WHERE id = $1", 1, {705}, {"5"}},            /* unknown: from the context */
      {"SELECT name FROM users WHERE id = $1", 1, {0}, {"6"}},              /* unspecified: from the context */
      {"SELECT $1", 1, {0}, {"x"}},                                        /* nothing says: text */
      {"SELECT $1 + 1", 1, {21}, {"3"}},                                   /* smallint + integer */
      {"SELECT $1::text", 1, {23}, {"7"}},
      {"SELECT $1 || 'x'", 1, {25}, {"a"}},
      {"SELECT $1 + 1", 1, {1082}, {"2026-01-31"}},                        /* date + integer */
      {"SELECT count(*) FROM users WHERE id < $1", 1, {1700}, {"3.5"}},    /* integer < numeric */
      {"SELECT name FROM users WHERE id = ANY($1) ORDER BY id", 1, {1007}, {"{1,2}"}},
      {"SELECT $2", 2, {20, 25}, {"1", "two"}},                            /* $1 declared, never used */
      {"SELECT 1", 1, {23}, {"5"}},                                        /* more declared than used */
      {"SELECT $1 = 5", 1, {20}, {"x"}},                                   /* a value the type does not take */
      {"INSERT INTO log VALUES ($1, $2)", 2, {25, 20}, {"typed", "42"}},
      {"SELECT line, n FROM log WHERE n = $1", 1, {20}, {"42"}},
  };
  char want[8192], got[8192];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    want[0] = got[0] = '\0';
    char name[32];
    snprintf(name, sizeof name, "typed%zu", i);
    typed_case(pg, name, cases[i].sql, cases[i].n, cases[i].types, cases[i].vals, want, sizeof want);
    typed_case(c, name, cases[i].sql, cases[i].n, cases[i].types, cases[i].vals, got, sizeof got);
    CHECK(strcmp(want, got) == 0, "declared types differ from PostgreSQL's:\n--- PostgreSQL\n%s--- orbitd\n%s", want, got);
  }
  /* a prepared statement over pg_settings sees a later SET */
  for (int side = 0; side < 2; side++) {
    PGconn *x = side ? c : pg;
    char *o = side ? got : want;
    o[0] = '\0';
    PGresult *r = PQprepare(x, "st", "SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout'", 0, NULL);
    PQclear(r);
    for (int k = 0; k < 2; k++) {
      if (k) PQclear(PQexec(x, "SET statement_timeout = '2min'"));
      r = PQexecPrepared(x, "st", 0, NULL, NULL, NULL, 0);
      size_t len = strlen(o);
      snprintf(o + len, sizeof want - len, "%s %s; ", PQntuples(r) ? PQgetvalue(r, 0, 0) : "?",
               PQntuples(r) ? PQgetvalue(r, 0, 1) : PQerrorMessage(x));
      PQclear(r);
    }
    PQclear(PQexec(x, "RESET statement_timeout"));
  }
  CHECK(strcmp(want, got) == 0, "prepared pg_settings after SET: PostgreSQL %s, orbitd %s", want, got);
}

int main(int argc, char **argv) {
  char conninfo[256];
  if (argc == 4 && strcmp(argv[1], "--typed") == 0) {
    snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%s user=orbit dbname=orbit connect_timeout=5", argv[2]);
    PGconn *c = PQconnectdb(conninfo), *pg = PQconnectdb(argv[3]);
    if (PQstatus(c) != CONNECTION_OK || PQstatus(pg) != CONNECTION_OK) {
      fprintf(stderr, "connect: %s %s\n", PQerrorMessage(c), PQerrorMessage(pg));
      return 1;
    }
    check_typed(c, pg);
    PQfinish(c);
    PQfinish(pg);
    if (fails) return 1;
    puts("libpq client: declared parameter types as PostgreSQL takes them");
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "--arrays") == 0) {
    snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%s user=orbit dbname=orbit connect_timeout=5", argv[2]);
    PGconn *c = PQconnectdb(conninfo), *pg = PQconnectdb(argv[3]);
    if (PQstatus(c) != CONNECTION_OK || PQstatus(pg) != CONNECTION_OK) {
      fprintf(stderr, "connect: %s %s\n", PQerrorMessage(c), PQerrorMessage(pg));
      return 1;
    }
    check_arrays(c, pg);
    check_records(c, pg);
    PQfinish(c);
    PQfinish(pg);
    if (fails) return 1;
    puts("libpq client: binary arrays and records identical to PostgreSQL's");
    return 0;
  }
  snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%s user=tester dbname=orbit connect_timeout=5",
           argc > 1 ? argv[1] : "5432");
  PGconn *c = PQconnectdb(conninfo);
  if (PQstatus(c) != CONNECTION_OK) {
    fprintf(stderr, "connect: %s\n", PQerrorMessage(c));
    return 1;
  }
  PQclear(run(c, "CREATE TABLE kv (k BIGINT PRIMARY KEY, v TEXT, x DOUBLE PRECISION, d DATE)"));

  /* PQexecParams: text parameters, typed from the statement */
  const char *vals[4] = {"1", "one", "1.5", "2026-01-01"};
  PGresult *r = PQexecParams(c, "INSERT INTO kv VALUES ($1, $2, $3, $4)", 4, NULL, vals, NULL, NULL, 0);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "insert: %s", PQerrorMessage(c));
  CHECK(strcmp(PQcmdTuples(r), "1") == 0, "insert count %s", PQcmdTuples(r));
  PQclear(r);

  /* prepared statement executed many times */
  r = PQprepare(c, "ins", "INSERT INTO kv (k, v) VALUES ($1, $2)", 2, NULL);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "prepare: %s", PQerrorMessage(c));
  PQclear(r);
  for (int i = 2; i <= 100; i++) {
    char k[16], v[16];
    snprintf(k, sizeof k, "%d", i);
    snprintf(v, sizeof v, "v%d", i);
    const char *p[2] = {k, v};
    r = PQexecPrepared(c, "ins", 2, p, NULL, NULL, 0);
    CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "exec prepared %d: %s", i, PQerrorMessage(c));
    PQclear(r);
  }

  /* describe: parameter and result types as PostgreSQL OIDs */
  r = PQprepare(c, "sel", "SELECT k, v, x, d FROM kv WHERE k = $1", 1, NULL);
  PQclear(r);
  r = PQdescribePrepared(c, "sel");
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "describe: %s", PQerrorMessage(c));
  CHECK(PQnparams(r) == 1 && PQparamtype(r, 0) == 20, "param type %u", PQnparams(r) ? PQparamtype(r, 0) : 0);
  CHECK(PQnfields(r) == 4 && PQftype(r, 0) == 20 && PQftype(r, 1) == 25 && PQftype(r, 2) == 701 && PQftype(r, 3) == 1082,
        "result types");
  PQclear(r);

  /* an array parameter (k = ANY($1)) is described as PostgreSQL's int8[] (1016) and
  ** takes the text form; an array result column is int8[] too */
  r = PQprepare(c, "anyk", "SELECT count(*), ARRAY(SELECT k FROM kv WHERE k = ANY($1) ORDER BY k) FROM kv WHERE k = ANY($1)", 1, NULL);
  PQclear(r);
  r = PQdescribePrepared(c, "anyk");
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK && PQnparams(r) == 1 && PQparamtype(r, 0) == 1016 && PQftype(r, 1) == 1016,
        "array parameter type %u", PQnparams(r) ? PQparamtype(r, 0) : 0);
  PQclear(r);
  const char *ks[1] = {"{1,3,NULL}"};
  r = PQexecPrepared(c, "anyk", 1, ks, NULL, NULL, 0);
  CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "2") == 0 &&
            strcmp(PQgetvalue(r, 0, 1), "{1,3}") == 0,
        "k = ANY($1): %s", PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 1) : PQerrorMessage(c));
  PQclear(r);

  /* binary results */
  const char *one[1] = {"1"};
  r = PQexecPrepared(c, "sel", 1, one, NULL, NULL, 1);
  CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1, "select binary: %s", PQerrorMessage(c));
  if (PQntuples(r) == 1) {
    uint64_t k;
    memcpy(&k, PQgetvalue(r, 0, 0), 8);
    k = ((uint64_t)ntohl((uint32_t)k) << 32) | ntohl((uint32_t)(k >> 32));
    CHECK(k == 1 && PQgetlength(r, 0, 0) == 8, "binary bigint");
    CHECK(PQgetlength(r, 0, 1) == 3 && memcmp(PQgetvalue(r, 0, 1), "one", 3) == 0, "binary text");
    int32_t d;
    memcpy(&d, PQgetvalue(r, 0, 3), 4);
    CHECK((int32_t)ntohl((uint32_t)d) == 9497, "binary date (days since 2000-01-01): %d", (int32_t)ntohl((uint32_t)d));
  }
  PQclear(r);

  /* text results, NULLs, and a count */
  r = PQexecParams(c, "SELECT count(*), sum(k), max(x) FROM kv WHERE k <= $1", 1, NULL, (const char *[]){"100"}, NULL,
                   NULL, 0);
  CHECK(PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "100") == 0 && strcmp(PQgetvalue(r, 0, 1), "5050") == 0 &&
            strcmp(PQgetvalue(r, 0, 2), "1.5") == 0,
        "aggregate: %s %s %s", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
  PQclear(r);
  r = PQexecParams(c, "SELECT x FROM kv WHERE k = $1", 1, NULL, (const char *[]){"2"}, NULL, NULL, 0);
  CHECK(PQntuples(r) == 1 && PQgetisnull(r, 0, 0), "NULL value");
  PQclear(r);

  /* an error in the extended protocol, then the session goes on */
  r = PQexecParams(c, "SELECT k FROM kv WHERE k = $1", 1, NULL, (const char *[]){"abc"}, NULL, NULL, 0);
  CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR, "bad parameter accepted");
  CHECK(strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "", "22P02") == 0,
        "sqlstate %s", PQresultErrorField(r, PG_DIAG_SQLSTATE));
  PQclear(r);
  r = PQexecParams(c, "INSERT INTO kv (k) VALUES ($1)", 1, NULL, (const char *[]){"1"}, NULL, NULL, 0);
  CHECK(strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "", "23505") == 0,
        "duplicate key");
  const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
  CHECK(detail && strcmp(detail, "Key (k)=(1) already exists.") == 0, "duplicate key DETAIL: %s", detail ? detail : "none");
  CHECK(!PQresultErrorField(r, PG_DIAG_MESSAGE_HINT), "duplicate key has no HINT");
  PQclear(r);
  /* HINT ('H') as PostgreSQL gives it, from Parse (extended protocol) and from a simple query */
  r = PQexecParams(c, "SELECT lower($1, 2)", 1, NULL, (const char *[]){"1"}, NULL, NULL, 0);
  const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
  CHECK(hint && strcmp(hint, "No function matches the given name and argument types. You might need to add explicit "
                             "type casts.") == 0,
        "function HINT: %s", hint ? hint : "none");
  PQclear(r);
  r = PQexec(c, "SELECT k FROM kv WHERE k = 'a'::text");
  hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
  CHECK(hint && strcmp(hint, "No operator matches the given name and argument types. You might need to add explicit "
                             "type casts.") == 0,
        "operator HINT: %s", hint ? hint : "none");
  CHECK(!PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL), "operator error has no DETAIL");
  PQclear(r);
  r = PQexec(c, "SELECT count(*) FROM kv");
  CHECK(PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "100") == 0, "after errors: %s", PQerrorMessage(c));
  PQclear(r);
  /* a long statement stopped by a cancel request from "another terminal" */
  CHECK(PQsendQuery(c, "SELECT count(*) FROM generate_series(1, 2000000000) g") == 1, "send: %s", PQerrorMessage(c));
  /* a cancel that arrives before the statement starts is ignored (as in
  ** PostgreSQL): send it until the statement ends, for slow (sanitizer) builds */
  PGcancel *cancel = PQgetCancel(c);
  char errbuf[256];
  for (int tries = 0; tries < 100; tries++) {
    usleep(100000);
    CHECK(cancel && PQcancel(cancel, errbuf, sizeof errbuf) == 1, "cancel: %s", errbuf);
    PQconsumeInput(c);
    if (!PQisBusy(c)) break;
  }
  PQfreeCancel(cancel);
  r = PQgetResult(c);
  const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  CHECK(code && strcmp(code, "57014") == 0, "cancelled statement: %s", PQresultErrorMessage(r));
  PQclear(r);
  while ((r = PQgetResult(c)) != NULL) PQclear(r);
  r = PQexec(c, "SELECT 1");
  CHECK(PQntuples(r) == 1, "after cancel: %s", PQerrorMessage(c));
  PQclear(r);

  /* binary NUMERIC, INTERVAL and UUID, out and back in: what PostgreSQL itself sends
  ** (numeric 12345.6780 = digits 1 2345 6780, weight 1, dscale 4) */
  PQclear(run(c, "CREATE TABLE bin (id INT PRIMARY KEY, n DECIMAL(20,4), i INTERVAL, u UUID)"));
  PQclear(run(c, "INSERT INTO bin VALUES (1, 12345.678, INTERVAL '1 year 2 months 3 days 04:05:06.5', "
                 "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, -0.0005, INTERVAL '-7 days', NULL), (3, 0, NULL, NULL)"));
  r = PQexecParams(c, "SELECT n, i, u FROM bin ORDER BY id", 0, NULL, NULL, NULL, NULL, 1);
  CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 3, "binary numeric/interval: %s", PQerrorMessage(c));
  if (PQntuples(r) == 3) {
    static const unsigned char n1[] = {0, 3, 0, 1, 0, 0, 0, 4, 0, 1, 0x09, 0x29, 0x1a, 0x7c};
    CHECK(PQgetlength(r, 0, 0) == (int)sizeof n1 && memcmp(PQgetvalue(r, 0, 0), n1, sizeof n1) == 0, "binary numeric 12345.6780");
    static const unsigned char n2[] = {0, 1, 0xff, 0xff, 0x40, 0, 0, 4, 0, 5};   /* -0.0005: digit 0005 at weight -1 */
    CHECK(PQgetlength(r, 1, 0) == (int)sizeof n2 && memcmp(PQgetvalue(r, 1, 0), n2, sizeof n2) == 0, "binary numeric -0.0005");
    static const unsigned char n3[] = {0, 0, 0, 0, 0, 0, 0, 4};
    CHECK(PQgetlength(r, 2, 0) == (int)sizeof n3 && memcmp(PQgetvalue(r, 2, 0), n3, sizeof n3) == 0, "binary numeric 0");
    static const unsigned char i1[] = {0, 0, 0, 3, 0x6c, 0x93, 0x61, 0xa0, 0, 0, 0, 3, 0, 0, 0, 14};   /* 14706500000 us */
    CHECK(PQgetlength(r, 0, 1) == 16 && memcmp(PQgetvalue(r, 0, 1), i1, 16) == 0, "binary interval");
    static const unsigned char u1[] = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
    CHECK(PQgetlength(r, 0, 2) == 16 && memcmp(PQgetvalue(r, 0, 2), u1, 16) == 0, "binary uuid");
    /* the same bytes as binary parameters find the same row */
    const char *vals[3] = {PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2)};
    int lens[3] = {PQgetlength(r, 0, 0), PQgetlength(r, 0, 1), PQgetlength(r, 0, 2)};
    int fmts[3] = {1, 1, 1};
    PGresult *q = PQexecParams(c, "SELECT id, n::text, i::text FROM bin WHERE n = $1 AND i = $2 AND u = $3", 3, NULL,
                               vals, lens, fmts, 0);
    CHECK(PQresultStatus(q) == PGRES_TUPLES_OK && PQntuples(q) == 1 && strcmp(PQgetvalue(q, 0, 0), "1") == 0 &&
              strcmp(PQgetvalue(q, 0, 1), "12345.6780") == 0 &&
              strcmp(PQgetvalue(q, 0, 2), "1 year 2 mons 3 days 04:05:06.5") == 0,
          "binary numeric/interval/uuid parameters: %s", PQerrorMessage(c));
    PQclear(q);
    const char *v2[1] = {PQgetvalue(r, 1, 0)};
    int l2[1] = {PQgetlength(r, 1, 0)}, f2[1] = {1};
    q = PQexecParams(c, "SELECT id FROM bin WHERE n = $1", 1, NULL, v2, l2, f2, 0);
    CHECK(PQntuples(q) == 1 && strcmp(PQgetvalue(q, 0, 0), "2") == 0, "binary numeric parameter -0.0005: %s", PQerrorMessage(c));
    PQclear(q);
  }
  PQclear(r);

  /* a declared jsonb parameter in binary (jsonb_recv: version 1, then the text); another version is refused */
  Oid jsonb = 3802;
  r = PQprepare(c, "jb", "SELECT $1 -> 'a'", 1, &jsonb);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "jsonb parameter: %s", PQerrorMessage(c));
  PQclear(r);
  {
    static const char jv[] = "\x01{\"a\": [1,  2], \"a\": [3]}", bad[] = "\x02{}";
    const char *jvals[1] = {jv};
    int jl[1] = {(int)sizeof jv - 1}, jf[1] = {1};
    PGresult *q = PQexecPrepared(c, "jb", 1, jvals, jl, jf, 0);
    CHECK(PQntuples(q) == 1 && strcmp(PQgetvalue(q, 0, 0), "[3]") == 0, "binary jsonb parameter: %s %s",
          PQerrorMessage(c), PQntuples(q) == 1 ? PQgetvalue(q, 0, 0) : "");
    PQclear(q);
    jvals[0] = bad;
    jl[0] = (int)sizeof bad - 1;
    q = PQexecPrepared(c, "jb", 1, jvals, jl, jf, 0);
    CHECK(PQresultStatus(q) == PGRES_FATAL_ERROR, "jsonb version 2 accepted");
    PQclear(q);
  }

  /* a declared type Orbit does not have (xml) is refused at Parse; the session goes on */
  Oid xml = 142;
  r = PQprepare(c, "js", "SELECT $1", 1, &xml);
  const char *jcode = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR && jcode && strcmp(jcode, "0A000") == 0 &&
            strstr(PQresultErrorMessage(r), "OID 142"),
        "xml parameter: %s", PQresultErrorMessage(r));
  PQclear(r);
  Oid int8oid = 20;
  r = PQprepare(c, "i8", "SELECT $1", 1, &int8oid);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "after a refused Parse: %s", PQerrorMessage(c));
  PQclear(r);

  check_arrays(c, NULL);
  PQfinish(c);
  if (fails) return 1;
  puts("libpq client: all checks passed");
  return 0;
}
