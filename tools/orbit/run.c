/* tools/orbit/run.c — executing scripts statement by statement. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shell.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* An error's DETAIL and HINT lines, after its message (and LINE), as psql prints them. */
static void print_detail_hint(shell *sh) {
  const char *detail = orbit_errdetail(sh->db), *hint = orbit_errhint(sh->db);
  if (*detail) fprintf(stderr, "DETAIL:  %s\n", detail);
  if (*hint) fprintf(stderr, "HINT:  %s\n", hint);
}

void shell_print_error(shell *sh, const char *stmt_text) {
  int line = 0, col = 0;
  const char *msg = orbit_errmsg(sh->db);
  if (!stmt_text || orbit_errpos(sh->db, &line, &col) != ORBIT_OK || line <= 0) {
    fprintf(stderr, "ERROR:  %s\n", msg);
    print_detail_hint(sh);
    return;
  }
  fprintf(stderr, "ERROR:  %s (line %d, column %d)\n", msg, line, col);
  /* the statement line holding the error, with a caret under the column */
  const char *p = stmt_text;
  for (int l = 1; l < line && p; l++) {
    p = strchr(p, '\n');
    if (p) p++;
  }
  if (p) {
    const char *end = strchr(p, '\n');
    int len = end ? (int)(end - p) : (int)strlen(p);
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "LINE %d: ", line);
    fprintf(stderr, "%s%.*s\n", prefix, len, p);
    /* caret: count display columns (UTF-8 continuation bytes take no column) */
    int width = plen;
    for (int i = 0, c = 1; i < len && c < col; i++) {
      if (((unsigned char)p[i] & 0xC0) != 0x80) {
        width++;
        c++;
      }
    }
    fprintf(stderr, "%*s^\n", width, "");
  }
  print_detail_hint(sh);
}

/* A statement's NOTICEs and WARNINGs, as psql prints them:
** NOTICE:  table "x" does not exist, skipping */
static void print_warning(shell *sh) {
  const char *code, *severity, *warning;
  if (orbit_warning_count(sh->db) > 0) fflush(sh->out);   /* what the statement printed comes first */
  for (int i = 0; (warning = orbit_warning_at(sh->db, i, &code, &severity)); i++)
    fprintf(stderr, "%s:  %s\n", severity, warning);
}

/* Whitespace and comments before a statement, so that a meta command after
** them (pg_dump's `\\restrict` follows its header comment) is seen as one. */
static const char *skip_space_and_comments(const char *p) {
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (p[0] == '-' && p[1] == '-') {
      const char *eol = strchr(p, '\n');
      if (!eol) return p + strlen(p);
      p = eol + 1;
    } else {
      return p;
    }
  }
}

int shell_run_script(shell *sh, const char *script, bool stop_on_error) {
  const char *p = script;
  int failed = 0;
  while (p && *p) {
    /* skip leading whitespace so error positions are relative to the statement */
    p = skip_space_and_comments(p);
    if (!*p) break;
    if (*p == '\\' || (*p == '.' && p[1] >= 'a' && p[1] <= 'z')) {
      /* a meta command takes the rest of its line, as in psql scripts */
      const char *eol = strchr(p, '\n');
      size_t n = eol ? (size_t)(eol - p) : strlen(p);
      char *line = malloc(n + 1);
      if (!line) return 1;
      memcpy(line, p, n);
      line[n] = '\0';
      fflush(sh->out);   /* what came before shows first: a meta command may write to stderr */
      int quit = shell_meta_command(sh, line);
      free(line);
      if (quit) break;
      p += n;
      continue;
    }
    orbit_stmt *st = NULL;
    const char *tail = NULL;
    double t0 = now_ms();
    shell_progress_begin(sh);
    int rc = orbit_prepare(sh->db, p, &st, &tail);
    if (rc != ORBIT_OK) {
      shell_print_error(sh, p);
      failed = 1;
      if (stop_on_error) return 1;
      /* cannot know where the broken statement ends: skip to the next ';' */
      const char *semi = strchr(p, ';');
      p = semi ? semi + 1 : NULL;
      continue;
    }
    if (!st) break;
    if (orbit_copy_kind(st) == 1) {   /* FROM STDIN: the data comes before the statement runs */
      bool ok;
      tail = shell_copy_in(sh, st, tail, &ok);
      if (!ok) {
        orbit_finalize(st);
        shell_copy_done(sh);
        shell_progress_end(sh);
        failed = 1;
        if (stop_on_error) return 1;
        p = tail;
        continue;
      }
    }
    rc = orbit_step(st);
    shell_progress_end(sh);
    if (rc == ORBIT_DONE && orbit_copy_kind(st) == 2) shell_copy_out(sh, st);
    if (rc == ORBIT_DONE) print_warning(sh);   /* before the command tag, as psql shows it */
    rc = shell_print_result(sh, st, rc);
    if (rc != ORBIT_DONE) {
      shell_print_error(sh, p);
      failed = 1;
    }
    orbit_finalize(st);
    shell_copy_done(sh);
    if (sh->timing) fprintf(sh->out, "Time: %.3f ms\n", now_ms() - t0);
    if (failed && stop_on_error) return 1;
    p = tail;
  }
  fflush(sh->out);
  return failed;
}
