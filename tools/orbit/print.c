/*
** tools/orbit/print.c — rendering results: psql-style aligned tables and
** RFC 4180 CSV (psql --csv conventions: header line, NULL as an empty field,
** fields with the delimiter, quotes or line breaks quoted), but the empty
** string as "" (psql prints it as an empty field too, losing the difference;
** this is how COPY ... (FORMAT csv) writes it).
*/
#include <stdlib.h>
#include <string.h>

#include "shell.h"

typedef struct cell {
  char *text;      /* NULL for SQL NULL */
} cell;

/* Display width of UTF-8 text (one column per code point). */
static int text_width(const char *s) {
  int w = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) w++;
  return w;
}

static bool right_aligned(orbit_type t) {
  switch (t) {
    case ORBIT_INT16: case ORBIT_INT32: case ORBIT_INT64: case ORBIT_FLOAT32:
    case ORBIT_FLOAT64: case ORBIT_DECIMAL:
      return true;
    default:
      return false;
  }
}

static void csv_field(FILE *out, const char *s) {
  if (!s) return;  /* NULL: empty field */
  bool quote = *s == '\0' || strpbrk(s, ",\"\r\n") != NULL;   /* '' quoted, so that it is not NULL */
  if (!quote) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void print_tag(shell *sh, orbit_stmt *st) {
  const char *tag = orbit_command_tag(st);
  if (!sh->quiet && tag && *tag) fprintf(sh->out, "%s\n", tag);
}

static int print_csv(shell *sh, orbit_stmt *st, int rc) {
  int nc = orbit_column_count(st);
  for (int c = 0; c < nc; c++) {
    if (c) fputc(',', sh->out);
    csv_field(sh->out, orbit_column_name(st, c));
  }
  fputc('\n', sh->out);
  for (; rc == ORBIT_ROW; rc = orbit_step(st)) {
    for (int c = 0; c < nc; c++) {
      if (c) fputc(',', sh->out);
      csv_field(sh->out, orbit_column_text(st, c));
    }
    fputc('\n', sh->out);
  }
  return rc;
}

static void print_line(FILE *out, int w) {
  for (int i = 0; i < w; i++) fputc('-', out);
}

static int print_aligned(shell *sh, orbit_stmt *st, int rc) {
  int nc = orbit_column_count(st);
  size_t nrows = 0, cap = 256;
  cell *cells = malloc(sizeof(cell) * cap * (size_t)nc);
  int *width = calloc((size_t)nc, sizeof(int));
  bool *right = calloc((size_t)nc, sizeof(bool));
  for (int c = 0; c < nc; c++) {
    width[c] = text_width(orbit_column_name(st, c));
    right[c] = right_aligned(orbit_column_type(st, c));
  }
  for (; rc == ORBIT_ROW; rc = orbit_step(st)) {
    if (nrows == cap) {
      cap *= 2;
      cells = realloc(cells, sizeof(cell) * cap * (size_t)nc);
    }
    for (int c = 0; c < nc; c++) {
      const char *v = orbit_column_text(st, c);
      cell *x = &cells[nrows * (size_t)nc + (size_t)c];
      x->text = v ? strdup(v) : NULL;
      int w = text_width(v ? v : sh->null_display);
      if (w > width[c]) width[c] = w;
    }
    nrows++;
  }
  if (rc == ORBIT_DONE) {
    FILE *out = sh->out;
    for (int c = 0; c < nc; c++) {
      const char *name = orbit_column_name(st, c);
      int pad = width[c] - text_width(name);
      fprintf(out, "%s %*s%s%*s ", c ? "|" : "", pad / 2, "", name, pad - pad / 2, "");
    }
    fputc('\n', out);
    for (int c = 0; c < nc; c++) {
      if (c) fputc('+', out);
      print_line(out, width[c] + 2);
    }
    fputc('\n', out);
    for (size_t r = 0; r < nrows; r++) {
      for (int c = 0; c < nc; c++) {
        const char *v = cells[r * (size_t)nc + (size_t)c].text;
        if (!v) v = sh->null_display;
        int pad = width[c] - text_width(v);
        /* as psql: the last column gets no trailing padding or space */
        bool last = c == nc - 1;
        if (right[c]) fprintf(out, "%s %*s%s%s", c ? "|" : "", pad, "", v, last ? "" : " ");
        else fprintf(out, "%s %s%*s%s", c ? "|" : "", v, last ? 0 : pad, "", last ? "" : " ");
      }
      fputc('\n', out);
    }
    fprintf(out, "(%zu row%s)\n\n", nrows, nrows == 1 ? "" : "s");
  }
  for (size_t i = 0; i < nrows * (size_t)nc; i++) free(cells[i].text);
  free(cells);
  free(width);
  free(right);
  return rc;
}

int shell_print_result(shell *sh, orbit_stmt *st, int rc) {
  if (rc != ORBIT_ROW && rc != ORBIT_DONE) return rc;
  if (orbit_column_count(st) == 0) {
    if (rc == ORBIT_DONE) print_tag(sh, st);
    return rc;
  }
  rc = sh->format == FORMAT_CSV ? print_csv(sh, st, rc) : print_aligned(sh, st, rc);
  /* INSERT/UPDATE/DELETE ... RETURNING: the rows, then the command tag, as psql shows them */
  const char *tag = orbit_command_tag(st);
  if (rc == ORBIT_DONE && tag &&
      (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 || strncmp(tag, "DELETE", 6) == 0))
    print_tag(sh, st);
  return rc;
}
