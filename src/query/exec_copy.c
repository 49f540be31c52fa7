/* query/exec_copy.c — COPY FROM/TO in PostgreSQL's text format (the
** default: delimiter-separated, backslash escapes, \N for NULL, a line
** "\." ends the data) and CSV (RFC 4180 with PostgreSQL's CSV options).
**
** CSV details:
** Reading: a record is a line of fields separated by the delimiter; a field
** in quotes may hold delimiters, quotes (doubled, or preceded by the escape
** character) and line breaks.  An unquoted field equal to the NULL string
** (empty by default) is NULL; a quoted empty field is an empty string.
** Each field is converted with the column type's input syntax; errors name
** the table, line and column.  Rows are inserted in batches through the
** statement's write set, so a bad line leaves the table untouched.
**
** Writing: fields are quoted when they contain the delimiter, the quote
** character, a line break, or would otherwise read back as NULL. */
#include "query/bound.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

#define COPY_BATCH 1024
#define COPY_MAX_FIELD (256u << 20)

void oql_copy_opts_init(oql_copy_opts *o, bool csv) {
  o->csv = csv;
  o->delim = csv ? ',' : '\t';
  o->quote = '"';
  o->escape = '"';
  o->null_str = csv ? "" : "\\N";
  o->header = false;
}

typedef struct csv_reader {
  FILE *f;
  int64_t line;           /* physical line of the next character */
  orb_buf field;          /* all fields of the current record, NUL-separated */
  size_t *starts;         /* offsets of each field in `field` */
  bool *quoted;           /* csv: the field was quoted; text: the field was the NULL marker */
  size_t nf, cap;
} csv_reader;

/* End the current field at `start`, flagged. */
static void end_field(csv_reader *r, size_t start, bool flag) {
  r->starts = orb_grow(r->starts, &r->cap, r->nf + 1, sizeof(size_t));
  r->quoted = orb_realloc(r->quoted, sizeof(bool) * r->cap);
  r->starts[r->nf] = start;
  r->quoted[r->nf] = flag;
  r->nf++;
  orb_buf_putc(&r->field, '\0');
}

static int hexdigit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One line of text format: fields split at the delimiter, backslash escapes
** decoded; a field written exactly as the NULL marker is NULL.  A line "\."
** ends the data. */
static orb_status text_record(csv_reader *r, const oql_copy_opts *o, int64_t *rec_line, orb_err *e) {
  orb_buf_reset(&r->field);
  r->nf = 0;
  orb_buf raw = ORB_BUF_INIT;
  int c = getc(r->f);
  if (c == EOF) return ORB_OK;
  *rec_line = r->line++;
  while (c != EOF && c != '\n') {
    orb_buf_putc(&raw, (char)c);
    if (raw.len > COPY_MAX_FIELD) {
      orb_buf_free(&raw);
      return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "COPY line %lld is too long", (long long)*rec_line);
    }
    c = getc(r->f);
  }
  if (raw.len && raw.data[raw.len - 1] == '\r') raw.len--;
  if (raw.len == 2 && raw.data[0] == '\\' && raw.data[1] == '.') {
    orb_buf_free(&raw);
    return ORB_OK;   /* end-of-data marker: no record */
  }
  size_t nulllen = strlen(o->null_str);
  size_t i = 0, start = 0, fstart = 0;
  for (;;) {
    if (i == raw.len || raw.data[i] == o->delim) {
      bool isnull = i - fstart == nulllen && memcmp(raw.data + fstart, o->null_str, nulllen) == 0;
      end_field(r, start, isnull);
      if (i == raw.len) break;
      i++;
      start = r->field.len;
      fstart = i;
      continue;
    }
    char ch = raw.data[i++];
    if (ch != '\\' || i == raw.len) {
      orb_buf_putc(&r->field, ch);
      continue;
    }
    char d = raw.data[i++];
    switch (d) {
    case 'b': orb_buf_putc(&r->field, '\b'); break;
    case 'f': orb_buf_putc(&r->field, '\f'); break;
    case 'n': orb_buf_putc(&r->field, '\n'); break;
    case 'r': orb_buf_putc(&r->field, '\r'); break;
    case 't': orb_buf_putc(&r->field, '\t'); break;
    case 'v': orb_buf_putc(&r->field, '\v'); break;
    case 'x': {
      int v = 0, k = 0, h;
      while (k < 2 && i < raw.len && (h = hexdigit((unsigned char)raw.data[i])) >= 0) v = v * 16 + h, i++, k++;
      if (k) orb_buf_putc(&r->field, (char)v);
      else orb_buf_putc(&r->field, 'x');
      break;
    }
    default:
      if (d >= '0' && d <= '7') {
        int v = d - '0', k = 1;
        while (k < 3 && i < raw.len && raw.data[i] >= '0' && raw.data[i] <= '7') v = v * 8 + (raw.data[i++] - '0'), k++;
        orb_buf_putc(&r->field, (char)v);
      } else {
        orb_buf_putc(&r->field, d);   /* \\, \<delimiter>, and anything else: the character itself */
      }
    }
  }
  orb_buf_free(&raw);
  return ORB_OK;
}

/* Read one record; *nfields = 0 at end of file. */
static orb_status csv_fields(csv_reader *r, const oql_copy_opts *o, int64_t *rec_line, orb_err *e) {
  orb_buf_reset(&r->field);
  r->nf = 0;
  int c = getc(r->f);
  if (c == EOF) return ORB_OK;
  *rec_line = r->line;
  bool in_quotes = false, field_quoted = false, at_start = true;
  size_t start = 0;
  for (;;) {
    if (at_start) {
      r->starts = orb_grow(r->starts, &r->cap, r->nf + 1, sizeof(size_t));
      start = r->field.len;
      field_quoted = false;
      at_start = false;
    }
    if (c == EOF) {
      if (in_quotes)
        return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P04", 0, "unterminated CSV quoted field (line %lld)",
                            (long long)*rec_line);
      break;
    }
    if (in_quotes) {
      if (c == o->escape && o->escape != o->quote) {
        int d = getc(r->f);
        if (d == o->quote || d == o->escape) {
          orb_buf_putc(&r->field, (char)d);
        } else {
          orb_buf_putc(&r->field, (char)c);
          if (d != EOF) ungetc(d, r->f);
        }
      } else if (c == o->quote) {
        int d = getc(r->f);
        if (d == o->quote) {
          orb_buf_putc(&r->field, (char)c);
        } else {
          in_quotes = false;
          if (d != EOF) ungetc(d, r->f);
        }
      } else {
        if (c == '\n') r->line++;
        orb_buf_putc(&r->field, (char)c);
      }
    } else if (c == o->quote) {
      in_quotes = true;
      field_quoted = true;
    } else if (c == o->delim || c == '\n' || c == '\r') {
      /* end of field */
      r->quoted = orb_realloc(r->quoted, sizeof(bool) * r->cap);
      r->starts[r->nf] = start;
      r->quoted[r->nf] = field_quoted;
      r->nf++;
      orb_buf_putc(&r->field, '\0');
      if (c == o->delim) {
        at_start = true;
        c = getc(r->f);
        continue;
      }
      if (c == '\r') {
        int d = getc(r->f);
        if (d != '\n' && d != EOF) ungetc(d, r->f);
      }
      r->line++;
      return ORB_OK;
    } else {
      orb_buf_putc(&r->field, (char)c);
    }
    if (r->field.len > COPY_MAX_FIELD)
      return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "CSV record at line %lld is too long", (long long)*rec_line);
    c = getc(r->f);
  }
  r->quoted = orb_realloc(r->quoted, sizeof(bool) * r->cap);
  r->starts[r->nf] = start;
  r->quoted[r->nf] = field_quoted;
  r->nf++;
  orb_buf_putc(&r->field, '\0');
  return ORB_OK;
}

/* One CSV record; as in the text format, an unquoted \. alone on a line
** ends the data (psql sends it after the rows of \copy ... FROM stdin):
** no record then. */
static orb_status csv_record(csv_reader *r, const oql_copy_opts *o, int64_t *rec_line, orb_err *e) {
  orb_status st = csv_fields(r, o, rec_line, e);
  if (st == ORB_OK && r->nf == 1 && !r->quoted[0] && strcmp(r->field.data, "\\.") == 0) r->nf = 0;
  return st;
}

static const char *csv_field(const csv_reader *r, size_t i, size_t *len) {
  const char *s = r->field.data + r->starts[i];
  *len = strlen(s);   /* fields may not contain NUL: a NUL in the file ends the value */
  return s;
}

orb_status oql_copy_default_row(orb_table *t, orb_expr **defaults, oql_rt *rt, orb_arena *a, orb_value **out,
                                orb_err *e) {
  /* defaults are the same for every row: evaluate once */
  int n = t->schema.ncols;
  orb_value *row = *out = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(n + 1));
  for (int c = 0; c < n; c++) {
    row[c] = orb_null(t->schema.cols[c].type.id);
    if (defaults && defaults[c]) {
      orb_value v;
      orb_status st = orb_expr_eval(defaults[c], &rt->ctx, NULL, &v, e);
      if (st != ORB_OK) return st;
      row[c] = orb_value_copy(&v, a);
    }
  }
  return ORB_OK;
}

orb_status oql_copy_from(orb_table *t, const int *cols, int ncols, orb_expr **defaults, const char *path, FILE *in,
                         const oql_copy_opts *o, oql_rt *rt, int64_t *rows, orb_err *e) {
  *rows = 0;
  FILE *f = in ? in : fopen(path, "r");
  if (!f)
    return orb_err_setx(e, ORB_ERR_IO, "58P01", 0, "could not open file \"%s\" for reading: %s", path,
                        strerror(errno));
  int n = t->schema.ncols;
  csv_reader r = {f, 1, ORB_BUF_INIT, NULL, NULL, 0, 0};
  orb_arena arena;
  orb_arena_init(&arena, 65536);
  const orb_value **batch = orb_malloc(sizeof(orb_value *) * COPY_BATCH);
  int nb = 0;
  orb_status st = ORB_OK;
  orb_value *defrow;
  orb_arena defarena;
  orb_arena_init(&defarena, 1024);
  st = oql_copy_default_row(t, defaults, rt, &defarena, &defrow, e);
  size_t nulllen = strlen(o->null_str);
  bool first = true;
  while (st == ORB_OK) {
    int64_t line = 0;
    if ((st = (o->csv ? csv_record : text_record)(&r, o, &line, e)) != ORB_OK) break;
    if (r.nf == 0) break;
    if (first && o->header) {
      first = false;
      continue;
    }
    first = false;
    /* a completely empty line is a record with one empty field: skip it when
    ** the table wants more than one column (PostgreSQL reports it as missing data) */
    if ((int)r.nf != ncols) {
      st = orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22P04", 0, "%s data for column \"%s\" (COPY %s, line %lld)",
                        (int)r.nf < ncols ? "missing" : "extra",
                        (int)r.nf < ncols ? t->schema.cols[cols[r.nf]].name : t->schema.cols[cols[ncols - 1]].name,
                        t->name, (long long)line);
      if ((int)r.nf > ncols)
        snprintf(e->msg, sizeof e->msg, "extra data after last expected column (COPY %s, line %lld)", t->name,
                 (long long)line);
      break;
    }
    orb_value *row = orb_arena_alloc(&arena, sizeof(orb_value) * (size_t)n);
    memcpy(row, defrow, sizeof(orb_value) * (size_t)n);
    for (int i = 0; i < ncols && st == ORB_OK; i++) {
      size_t len;
      const char *s = csv_field(&r, (size_t)i, &len);
      const orb_column *col = &t->schema.cols[cols[i]];
      bool isnull = o->csv ? !r.quoted[i] && len == nulllen && memcmp(s, o->null_str, len) == 0 : r.quoted[i];
      if (isnull) {
        row[cols[i]] = orb_null(col->type.id);
        continue;
      }
      st = orb_value_from_text(s, len, col->type, &arena, &row[cols[i]], e);
      if (st != ORB_OK) {
        size_t ml = strlen(e->msg);
        snprintf(e->msg + ml, sizeof e->msg - ml, " (COPY %s, line %lld, column %s)", t->name, (long long)line,
                 col->name);
      }
    }
    if (st != ORB_OK) break;
    batch[nb++] = row;
    if (nb == COPY_BATCH) {
      st = oql_check_rows(t, rt, batch, (size_t)nb, e);
      if (st == ORB_OK) st = orb_table_insert(t, rt->ws, batch, nb, e);
      *rows += nb;
      nb = 0;
      orb_arena_reset(&arena);
    }
  }
  if (st == ORB_OK && nb) {
    st = oql_check_rows(t, rt, batch, (size_t)nb, e);
    if (st == ORB_OK) st = orb_table_insert(t, rt->ws, batch, nb, e);
    *rows += nb;
  }
  if (st == ORB_OK && ferror(f))
    st = orb_err_setx(e, ORB_ERR_IO, "58030", 0, "could not read file \"%s\": %s", path, strerror(errno));
  if (!in) fclose(f);
  orb_buf_free(&r.field);
  orb_free(r.starts);
  orb_free(r.quoted);
  orb_free(batch);
  orb_arena_free(&defarena);
  orb_arena_free(&arena);
  return st;
}

/* A value in text format: backslash, delimiter and line breaks escaped. */
static void text_put(orb_buf *out, const char *s, size_t n, const oql_copy_opts *o) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\\') orb_buf_puts(out, "\\\\");
    else if (c == '\n') orb_buf_puts(out, "\\n");
    else if (c == '\r') orb_buf_puts(out, "\\r");
    else if (c == '\t' && o->delim == '\t') orb_buf_puts(out, "\\t");
    else if (c == o->delim) orb_buf_putc(out, '\\'), orb_buf_putc(out, c);
    else orb_buf_putc(out, c);
  }
}

static void csv_put(orb_buf *out, const char *s, size_t n, const oql_copy_opts *o, bool force_quote) {
  bool q = force_quote || n == 0;
  for (size_t i = 0; i < n && !q; i++)
    if (s[i] == o->delim || s[i] == o->quote || s[i] == '\n' || s[i] == '\r' || s[i] == o->escape) q = true;
  if (!q && n == strlen(o->null_str) && memcmp(s, o->null_str, n) == 0) q = true;
  if (!q) {
    orb_buf_append(out, s, n);
    return;
  }
  orb_buf_putc(out, o->quote);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == o->quote || s[i] == o->escape) orb_buf_putc(out, o->escape);
    orb_buf_putc(out, s[i]);
  }
  orb_buf_putc(out, o->quote);
}

orb_status oql_copy_to(oql_op *src, int ncols, const char *const *names, const char *path, FILE *to,
                       const oql_copy_opts *o, oql_rt *rt, int64_t *rows, orb_err *e) {
  *rows = 0;
  FILE *f = to ? to : fopen(path, "w");
  if (!f)
    return orb_err_setx(e, ORB_ERR_IO, "58P01", 0, "could not open file \"%s\" for writing: %s", path,
                        strerror(errno));
  orb_buf out = ORB_BUF_INIT, tx = ORB_BUF_INIT;
  if (o->header) {
    for (int i = 0; i < ncols; i++) {
      if (i) orb_buf_putc(&out, o->delim);
      const char *nm = names && names[i] ? names[i] : "?column?";
      if (o->csv) csv_put(&out, nm, strlen(nm), o, false);
      else text_put(&out, nm, strlen(nm), o);
    }
    orb_buf_putc(&out, '\n');
  }
  orb_status st = oql_op_open(src, rt, e);
  while (st == ORB_OK) {
    const orb_value *row;
    if ((st = oql_op_next(src, rt, &row, e)) != ORB_OK || !row) break;
    for (int i = 0; i < ncols; i++) {
      if (i) orb_buf_putc(&out, o->delim);
      if (row[i].isnull) {
        orb_buf_puts(&out, o->null_str);
        continue;
      }
      orb_buf_reset(&tx);
      orb_value_to_text(&row[i], &tx);
      if (o->csv) csv_put(&out, tx.data ? tx.data : "", tx.len, o, false);
      else text_put(&out, tx.data ? tx.data : "", tx.len, o);
    }
    orb_buf_putc(&out, '\n');
    (*rows)++;
    orb_arena_reset(&rt->tmp);
    if (out.len >= 65536) {
      if (fwrite(out.data, 1, out.len, f) != out.len) {
        st = orb_err_setx(e, ORB_ERR_IO, "58030", 0, "could not write file \"%s\": %s", path, strerror(errno));
        break;
      }
      orb_buf_reset(&out);
    }
  }
  oql_op_close(src, rt);
  if (st == ORB_OK && out.len && fwrite(out.data, 1, out.len, f) != out.len)
    st = orb_err_setx(e, ORB_ERR_IO, "58030", 0, "could not write file \"%s\": %s", path, strerror(errno));
  if ((to ? fflush(f) : fclose(f)) != 0 && st == ORB_OK)
    st = orb_err_setx(e, ORB_ERR_IO, "58030", 0, "could not write file \"%s\": %s", path, strerror(errno));
  orb_buf_free(&out);
  orb_buf_free(&tx);
  return st;
}
