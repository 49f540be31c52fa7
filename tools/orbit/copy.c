/*
** tools/orbit/copy.c — the data of COPY ... FROM STDIN and COPY ... TO STDOUT.
**
** The engine hands COPY's data through the C API (orbit_copy_in before the
** first step, orbit_copy_out after it); the shell decides where that data
** comes from and goes to, as psql does:
**
**   - TO STDOUT writes the rows to the shell's output.
**   - FROM STDIN in a script (-f, or statements piped to standard input)
**     reads the lines that follow the statement, up to a line holding only
**     `\.` or the end of the script — the layout pg_dump writes.
**   - FROM STDIN in a -c command reads standard input to `\.` or its end.
**   - FROM STDIN at the interactive prompt reads lines typed at ">> ".
**
** The terminating `\.` line is the client's, never part of the data.
*/
#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

typedef struct copy_buf {
  char *data;
  size_t len, cap;
} copy_buf;

static bool buf_add(copy_buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) return false;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return true;
}

/* Is this line (without its newline) the end-of-data marker `\.`? */
static bool is_end_marker(const char *line, size_t n) {
  if (n > 0 && line[n - 1] == '\r') n--;
  return n == 2 && line[0] == '\\' && line[1] == '.';
}

/* Data lines of a script, from the line after the statement.  Returns
** where the script goes on (after the `\.` line, or its end). */
static const char *from_script(const char *tail, copy_buf *b, bool *ok) {
  const char *p = tail ? strchr(tail, '\n') : NULL;   /* the rest of the statement's line is not data */
  if (!p) return NULL;
  p++;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    if (is_end_marker(p, n)) return eol ? eol + 1 : p + n;
    if (!buf_add(b, p, n) || !buf_add(b, "\n", 1)) *ok = false;
    if (!eol) return p + n;
    p = eol + 1;
  }
  return p;
}

/* Data lines of a stream (standard input) to `\.` or its end. */
static void from_stream(FILE *f, copy_buf *b, bool *ok) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    size_t len = (size_t)n;
    if (len && line[len - 1] == '\n') len--;
    if (is_end_marker(line, len)) break;
    if (!buf_add(b, line, len) || !buf_add(b, "\n", 1)) *ok = false;
  }
  free(line);
}

/* Data lines typed at the prompt, to `\.` or end of input (Ctrl-D). */
static void from_terminal(copy_buf *b, bool *ok) {
  fprintf(stdout, "Type the data to copy, one row per line; end with a line holding only \\. or with Ctrl-D.\n");
  char *line;
  while ((line = readline(">> "))) {
    size_t len = strlen(line);
    bool end = is_end_marker(line, len);
    if (!end && (!buf_add(b, line, len) || !buf_add(b, "\n", 1))) *ok = false;
    free(line);
    if (end) break;
  }
}

const char *shell_copy_in(shell *sh, orbit_stmt *st, const char *tail, bool *ok) {
  copy_buf b = {0};
  *ok = true;
  const char *next = tail;
  switch (sh->copy_source) {
  case COPY_FROM_SCRIPT: next = from_script(tail, &b, ok); break;
  case COPY_FROM_STDIN: from_stream(stdin, &b, ok); break;
  case COPY_FROM_TERMINAL: from_terminal(&b, ok); break;
  }
  if (*ok) {
    orbit_copy_in(st, b.len ? b.data : "", b.len);
    sh->copy_data = b.data;   /* the statement reads it when stepped: freed after it (shell_copy_done) */
  } else {
    fprintf(stderr, "ERROR:  out of memory reading the data of COPY FROM STDIN\n");
    free(b.data);
  }
  return next;
}

void shell_copy_done(shell *sh) {
  free(sh->copy_data);
  sh->copy_data = NULL;
}

void shell_copy_out(shell *sh, orbit_stmt *st) {
  size_t n = 0;
  const void *data = orbit_copy_out(st, &n);
  if (data && n) fwrite(data, 1, n, sh->out);
}
