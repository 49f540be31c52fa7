/*
** tests/sql/runner.c — a sqllogictest runner for OrbitQL.
**
** Usage: sqllogictest [--db DIR] FILE.test ...
**
** Each file runs against a fresh database directory (a temporary one unless
** --db is given).  File format (sqllogictest, with DuckDB's extensions):
**
**   # comment
**   statement ok
**   <sql, one or more lines>
**
**   statement error [expected message substring]
**   <sql>
**   [----
**   <expected message substring>]
**
**   query <column type letters> [nosort|rowsort|valuesort]
**   <sql>
**   ----
**   <expected rows: one row per line, columns separated by a tab>
**
**   restart          close and reopen the database (durability checks)
**   onlyif orbit / skipif orbit   before a record: run it only on / never on
**                    this engine (the PostgreSQL oracle script honours them too)
**   halt             stop reading this file
**
** Values are compared as PostgreSQL's text output; SQL NULL is written NULL
** and the empty string (empty).  Records end at a blank line.
*/
#include "orbit.h"

#include <errno.h>
#include <stdbool.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct strlist {
  char **v;
  int n, cap;
} strlist;

static void sl_push(strlist *l, const char *s) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = realloc(l->v, sizeof(char *) * (size_t)l->cap);
    if (!l->v) exit(3);
  }
  l->v[l->n++] = strdup(s);
}
static void sl_free(strlist *l) {
  for (int i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct runner {
  const char *file;
  char dbdir[4096];
  orbit_db *db;
  int failed, passed;
} runner;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb; (void)flag; (void)ftw;
  return remove(p);
}

static int open_db(runner *r) {
  if (orbit_open(r->dbdir, NULL, &r->db) != ORBIT_OK) {
    fprintf(stderr, "%s: cannot open database %s: %s\n", r->file, r->dbdir,
            r->db ? orbit_errmsg(r->db) : "out of memory");
    return -1;
  }
  return 0;
}

/* Read lines until a blank line (or `----` when stop_at_dashes); returns how it ended. */
typedef enum { END_BLANK, END_DASHES, END_EOF } block_end;

static block_end read_block(FILE *f, int *lineno, char **out, int stop_at_dashes) {
  size_t cap = 256, len = 0;
  char *buf = malloc(cap), line[65536];
  buf[0] = '\0';
  block_end end = END_EOF;
  while (fgets(line, sizeof line, f)) {
    (*lineno)++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0) { end = END_BLANK; break; }
    if (stop_at_dashes && strcmp(line, "----") == 0) { end = END_DASHES; break; }
    if (len + n + 2 > cap) {
      while (len + n + 2 > cap) cap *= 2;
      buf = realloc(buf, cap);
    }
    if (len) buf[len++] = '\n';
    memcpy(buf + len, line, n + 1);
    len += n;
  }
  *out = buf;
  return end;
}

static void read_rows(FILE *f, int *lineno, strlist *rows) {
  char line[65536];
  while (fgets(line, sizeof line, f)) {
    (*lineno)++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0) break;
    sl_push(rows, line);
  }
}

/* The last error as psql prints it, less LINE: the message, then its
** DETAIL and HINT lines ("statement error" records match a part of it). */
static void error_text(runner *r, char *buf, size_t cap) {
  const char *detail = orbit_errdetail(r->db), *hint = orbit_errhint(r->db);
  snprintf(buf, cap, "%s%s%s%s%s", orbit_errmsg(r->db), *detail ? "\nDETAIL:  " : "", detail, *hint ? "\nHINT:  " : "",
           hint);
}

/* Run every statement in sql; returns ORBIT_OK or the first error; collects
** rows of the last statement into rows (if not NULL). */
static int run_sql(runner *r, const char *sql, strlist *rows, char *errbuf, size_t errcap) {
  const char *p = sql;
  while (p && *p) {
    orbit_stmt *st = NULL;
    const char *tail = NULL;
    int rc = orbit_prepare(r->db, p, &st, &tail);
    if (rc != ORBIT_OK) {
      error_text(r, errbuf, errcap);
      return rc;
    }
    if (!st) break; /* only whitespace/comments left */
    if (rows) {
      for (int i = 0; i < rows->n; i++) free(rows->v[i]);
      rows->n = 0;
    }
    while ((rc = orbit_step(st)) == ORBIT_ROW) {
      if (!rows) continue;
      int nc = orbit_column_count(st);
      size_t cap = 256, len = 0;
      char *line = malloc(cap);
      line[0] = '\0';
      for (int c = 0; c < nc; c++) {
        const char *v = orbit_column_text(st, c);
        if (!v) v = "NULL";
        else if (!*v) v = "(empty)";
        size_t vn = strlen(v);
        if (len + vn + 2 > cap) {
          while (len + vn + 2 > cap) cap *= 2;
          line = realloc(line, cap);
        }
        if (c) line[len++] = '\t';
        memcpy(line + len, v, vn + 1);
        len += vn;
      }
      sl_push(rows, line);
      free(line);
    }
    if (rc != ORBIT_DONE) {
      error_text(r, errbuf, errcap);
      orbit_finalize(st);
      return rc == ORBIT_OK ? ORBIT_ERROR : rc;
    }
    orbit_finalize(st);
    p = tail;
  }
  return ORBIT_OK;
}

static void fail(runner *r, int line, const char *sql, const char *fmt, const char *detail) {
  r->failed++;
  fprintf(stderr, "%s:%d: FAILED\n  sql: %s\n  ", r->file, line, sql);
  fprintf(stderr, fmt, detail);
  fputc('\n', stderr);
}

static void print_rows(const char *title, const strlist *l) {
  fprintf(stderr, "  %s (%d rows):\n", title, l->n);
  for (int i = 0; i < l->n && i < 50; i++) fprintf(stderr, "    %s\n", l->v[i]);
}

/* Split rows into single values for valuesort. */
static void to_values(strlist *l) {
  strlist out = {0};
  for (int i = 0; i < l->n; i++) {
    char *save = NULL;
    for (char *t = strtok_r(l->v[i], "\t", &save); t; t = strtok_r(NULL, "\t", &save)) sl_push(&out, t);
  }
  sl_free(l);
  *l = out;
}

static int run_file(const char *path, const char *dbdir_opt) {
  runner r = {.file = path};
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return 1;
  }
  if (dbdir_opt) {
    snprintf(r.dbdir, sizeof r.dbdir, "%s", dbdir_opt);
  } else {
    char tmpl[] = "/tmp/orbit-slt-XXXXXX";
    if (!mkdtemp(tmpl)) { perror("mkdtemp"); return 1; }
    snprintf(r.dbdir, sizeof r.dbdir, "%s/db", tmpl);
  }
  if (open_db(&r) != 0) return 1;

  char line[65536], errbuf[1024];
  int lineno = 0;
  bool skip_next = false;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0 || line[0] == '#') continue;
    int start = lineno;
    if (strncmp(line, "onlyif ", 7) == 0 || strncmp(line, "skipif ", 7) == 0) {
      /* conditions name engines; this runner is "orbit" */
      bool is_orbit = strcmp(line + 7, "orbit") == 0;
      skip_next = line[0] == 'o' ? !is_orbit : is_orbit;
      continue;
    }
    if (skip_next) {
      /* consume the whole record, including an expected-result section */
      char *junk;
      skip_next = false;
      if (read_block(f, &lineno, &junk, 1) == END_DASHES) {
        strlist rows = {0};
        read_rows(f, &lineno, &rows);
        sl_free(&rows);
      }
      free(junk);
      continue;
    }
    if (strcmp(line, "halt") == 0) break;
    if (strcmp(line, "restart") == 0) {
      orbit_close(r.db);
      r.db = NULL;
      if (open_db(&r) != 0) { r.failed++; break; }
      continue;
    }
    if (strncmp(line, "statement ok", 12) == 0) {
      char *sql;
      read_block(f, &lineno, &sql, 0);
      if (run_sql(&r, sql, NULL, errbuf, sizeof errbuf) != ORBIT_OK)
        fail(&r, start, sql, "expected success, got error: %s", errbuf);
      else
        r.passed++;
      free(sql);
    } else if (strncmp(line, "statement error", 15) == 0) {
      char expect[4096];
      const char *e = line + 15;
      while (*e == ' ') e++;
      if (snprintf(expect, sizeof expect, "%s", e) >= (int)sizeof expect) expect[sizeof expect - 1] = '\0';
      char *sql;
      if (read_block(f, &lineno, &sql, 1) == END_DASHES) {
        char *msg;
        read_block(f, &lineno, &msg, 0);
        snprintf(expect, sizeof expect, "%s", msg);
        free(msg);
      }
      int rc = run_sql(&r, sql, NULL, errbuf, sizeof errbuf);
      if (rc == ORBIT_OK)
        fail(&r, start, sql, "expected an error%s, statement succeeded", expect[0] ? " like that" : "");
      else if (expect[0] && !strstr(errbuf, expect)) {
        char detail[6000];
        snprintf(detail, sizeof detail, "expected error containing \"%s\", got \"%s\"", expect, errbuf);
        fail(&r, start, sql, "%s", detail);
      } else
        r.passed++;
      free(sql);
    } else if (strncmp(line, "query", 5) == 0) {
      const char *sort = strstr(line, "rowsort") ? "row" : strstr(line, "valuesort") ? "value" : "none";
      char *sql;
      strlist expect = {0}, got = {0};
      block_end be = read_block(f, &lineno, &sql, 1);
      if (be == END_DASHES) read_rows(f, &lineno, &expect);
      int rc = run_sql(&r, sql, &got, errbuf, sizeof errbuf);
      if (rc != ORBIT_OK) {
        fail(&r, start, sql, "query failed: %s", errbuf);
      } else {
        if (strcmp(sort, "value") == 0) { to_values(&got); to_values(&expect); }
        if (strcmp(sort, "none") != 0) {
          qsort(got.v, (size_t)got.n, sizeof(char *), cmp_str);
          qsort(expect.v, (size_t)expect.n, sizeof(char *), cmp_str);
        }
        int same = got.n == expect.n;
        for (int i = 0; same && i < got.n; i++) same = strcmp(got.v[i], expect.v[i]) == 0;
        if (!same) {
          fail(&r, start, sql, "%s", "result differs");
          print_rows("expected", &expect);
          print_rows("got", &got);
        } else
          r.passed++;
      }
      sl_free(&expect);
      sl_free(&got);
      free(sql);
    } else {
      fprintf(stderr, "%s:%d: unknown record type: %s\n", path, lineno, line);
      r.failed++;
      break;
    }
  }
  fclose(f);
  if (r.db) orbit_close(r.db);
  if (!dbdir_opt) {
    char *slash = strrchr(r.dbdir, '/');
    *slash = '\0';
    nftw(r.dbdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  }
  printf("%s: %d passed, %d failed\n", path, r.passed, r.failed);
  return r.failed ? 1 : 0;
}

int main(int argc, char **argv) {
  const char *dbdir = NULL;
  int rc = 0, i = 1;
  if (argc > 2 && strcmp(argv[1], "--db") == 0) {
    dbdir = argv[2];
    i = 3;
  }
  if (i >= argc) {
    fprintf(stderr, "usage: %s [--db DIR] FILE.test...\n", argv[0]);
    return 2;
  }
  for (; i < argc; i++) rc |= run_file(argv[i], dbdir);
  return rc;
}
