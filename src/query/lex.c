/* query/lex.c — OrbitQL tokens from statement text (see lex.h). */
#include "query/lex.h"

#include <ctype.h>
#include <string.h>

#include "base/buf.h"

void oql_lex_init(oql_lexer *lx, const char *sql, size_t n, orb_arena *a) {
  lx->sql = sql;
  lx->n = n;
  lx->at = 0;
  lx->a = a;
}

static bool ident_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static bool ident_char(unsigned char c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

static orb_status lex_error(size_t at, const char *what, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", (int)at + 1, "%s", what);
}

/* PostgreSQL's form for bad tokens: what at or near "text", quoting the
** token's bytes [start, end) (at most 60 of them, not cutting a UTF-8
** character) and pointing at its first byte. */
static orb_status lex_error_near(const oql_lexer *lx, size_t start, size_t end, const char *what, orb_err *e) {
  size_t len = end > start ? end - start : 0;
  if (len > 60) {
    len = 60;
    while (len > 0 && ((unsigned char)lx->sql[start + len] & 0xC0) == 0x80) len--;
  }
  return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", (int)start + 1, "%s at or near \"%.*s\"", what, (int)len,
                      lx->sql + start);
}

/* Skip blanks and comments; *newline says whether a newline was crossed. */
static orb_status skip_space(oql_lexer *lx, bool *newline, orb_err *e) {
  const char *s = lx->sql;
  *newline = false;
  while (lx->at < lx->n) {
    unsigned char c = (unsigned char)s[lx->at];
    if (c == '\n') {
      *newline = true;
      lx->at++;
    } else if (isspace(c)) {
      lx->at++;
    } else if (c == '-' && lx->at + 1 < lx->n && s[lx->at + 1] == '-') {
      while (lx->at < lx->n && s[lx->at] != '\n') lx->at++;
    } else if (c == '/' && lx->at + 1 < lx->n && s[lx->at + 1] == '*') {
      size_t start = lx->at;
      int depth = 0;
      while (lx->at < lx->n) {
        if (s[lx->at] == '/' && lx->at + 1 < lx->n && s[lx->at + 1] == '*') {
          depth++;
          lx->at += 2;
        } else if (s[lx->at] == '*' && lx->at + 1 < lx->n && s[lx->at + 1] == '/') {
          lx->at += 2;
          if (--depth == 0) break;
        } else {
          lx->at++;
        }
      }
      if (depth > 0) return lex_error_near(lx, start, lx->n, "unterminated /* comment", e);
    } else {
      break;
    }
  }
  return ORB_OK;
}

/* Append a code point as UTF-8. */
static void put_utf8(orb_buf *b, unsigned long cp) {
  if (cp < 0x80) {
    orb_buf_putc(b, (char)cp);
  } else if (cp < 0x800) {
    orb_buf_putc(b, (char)(0xC0 | (cp >> 6)));
    orb_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    orb_buf_putc(b, (char)(0xE0 | (cp >> 12)));
    orb_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    orb_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
  } else {
    orb_buf_putc(b, (char)(0xF0 | (cp >> 18)));
    orb_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
    orb_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    orb_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One '...' body starting after the opening quote; appends to b.  A bad
** escape is reported only once the closing quote has been read, so that the
** lexer stays in step with the text (oql_statement_complete goes on after it). */
static orb_status lex_string_body(oql_lexer *lx, bool escapes, size_t start, orb_buf *b, orb_err *e) {
  const char *s = lx->sql;
  orb_status bad = ORB_OK;
  for (;;) {
    if (lx->at >= lx->n) return lex_error_near(lx, start, lx->n, "unterminated quoted string", e);
    char c = s[lx->at++];
    if (c == '\'') {
      if (lx->at < lx->n && s[lx->at] == '\'') {
        orb_buf_putc(b, '\'');
        lx->at++;
        continue;
      }
      return bad;
    }
    if (c == '\\' && escapes) {
      if (lx->at >= lx->n) return lex_error_near(lx, start, lx->n, "unterminated quoted string", e);
      char d = s[lx->at++];
      switch (d) {
      case 'n': orb_buf_putc(b, '\n'); break;
      case 't': orb_buf_putc(b, '\t'); break;
      case 'r': orb_buf_putc(b, '\r'); break;
      case 'b': orb_buf_putc(b, '\b'); break;
      case 'f': orb_buf_putc(b, '\f'); break;
      case 'x': {
        int v = 0, k = 0, h;
        while (k < 2 && lx->at < lx->n && (h = hexval(s[lx->at])) >= 0) {
          v = v * 16 + h;
          lx->at++;
          k++;
        }
        if (k == 0) {
          orb_buf_putc(b, 'x');
        } else {
          if (v == 0) {
            if (bad == ORB_OK) bad = lex_error(lx->at, "invalid byte sequence: string constants cannot contain NUL", e);
          } else {
            orb_buf_putc(b, (char)v);
          }
        }
        break;
      }
      case 'u':
      case 'U': {
        int want = d == 'u' ? 4 : 8;
        unsigned long cp = 0;
        int k;
        for (k = 0; k < want; k++) {
          int h = lx->at < lx->n ? hexval(s[lx->at]) : -1;
          if (h < 0) break;
          cp = cp * 16 + (unsigned long)h;
          lx->at++;
        }
        if (k < want) {
          if (bad == ORB_OK) bad = lex_error(lx->at, "invalid Unicode escape", e);
        } else if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          if (bad == ORB_OK) bad = lex_error(lx->at, "invalid Unicode escape value", e);
        } else {
          put_utf8(b, cp);
        }
        break;
      }
      default:
        if (d >= '0' && d <= '7') {
          int v = d - '0', k = 1;
          while (k < 3 && lx->at < lx->n && s[lx->at] >= '0' && s[lx->at] <= '7') {
            v = v * 8 + (s[lx->at++] - '0');
            k++;
          }
          if (v == 0) {
            if (bad == ORB_OK) bad = lex_error(lx->at, "invalid byte sequence: string constants cannot contain NUL", e);
          } else {
            orb_buf_putc(b, (char)v);
          }
        } else {
          orb_buf_putc(b, d);
        }
      }
      continue;
    }
    orb_buf_putc(b, c);
  }
}

static orb_status lex_string(oql_lexer *lx, oql_token *t, bool escapes, orb_err *e) {
  orb_buf b = ORB_BUF_INIT;
  size_t start = lx->at;
  lx->at++; /* opening quote */
  orb_status st = lex_string_body(lx, escapes, start, &b, e);
  /* 'a'\n'b' is one constant (SQL standard, as PostgreSQL) */
  while (st == ORB_OK) {
    size_t save = lx->at;
    bool nl;
    if (skip_space(lx, &nl, e) != ORB_OK || !nl || lx->at >= lx->n || lx->sql[lx->at] != '\'') {
      orb_err_clear(e);
      lx->at = save;
      break;
    }
    size_t s2 = lx->at++;
    st = lex_string_body(lx, escapes, s2, &b, e);
  }
  if (st == ORB_OK) {
    t->kind = OQL_T_STRING;
    t->len = b.len;
    t->text = orb_arena_strndup(lx->a, b.data ? b.data : "", b.len);
  }
  orb_buf_free(&b);
  return st;
}

/* Longest first: "->>" before "->" before "-".  The json operators (->, ->>,
** #>, #>>, #-, ?, ?|, ?&; @> and <@ are the arrays' too) are PostgreSQL's spellings. */
static const char *const ops[] = {"->>", "#>>", "->", "#>", "#-", "?|", "?&", "?",
                                  "!~*", "!~", "~*", "~", "::", "<=", ">=", "<>", "!=", "||", "@>", "<@", "&&",
                                  "(", ")", ",", ";", ".", "+", "-", "*",
                                  "/", "%", "^", "=", "<", ">", "[", "]", "&", "|"};

orb_status oql_lex_next(oql_lexer *lx, oql_token *t, orb_err *e) {
  bool nl;
  memset(t, 0, sizeof *t);
  orb_status st = skip_space(lx, &nl, e);
  if (st != ORB_OK) return st;
  const char *s = lx->sql;
  size_t start = lx->at;
  t->pos = (int)start + 1;
  if (lx->at >= lx->n) {
    t->kind = OQL_T_EOF;
    t->text = "";
    t->end = (int)lx->n;
    return ORB_OK;
  }
  unsigned char c = (unsigned char)s[lx->at];
  if ((c == 'e' || c == 'E') && lx->at + 1 < lx->n && s[lx->at + 1] == '\'') {
    lx->at++;
    st = lex_string(lx, t, true, e);
  } else if (c == '\'') {
    st = lex_string(lx, t, false, e);
  } else if (ident_start(c)) {
    while (lx->at < lx->n && ident_char((unsigned char)s[lx->at])) lx->at++;
    size_t n = lx->at - start;
    char *w = orb_arena_strndup(lx->a, s + start, n);
    for (size_t i = 0; i < n; i++) w[i] = (char)tolower((unsigned char)w[i]);
    t->kind = OQL_T_IDENT;
    t->text = w;
    t->len = n;
  } else if (c == '"') {
    orb_buf b = ORB_BUF_INIT;
    lx->at++;
    for (;;) {
      if (lx->at >= lx->n) {
        orb_buf_free(&b);
        return lex_error_near(lx, start, lx->n, "unterminated quoted identifier", e);
      }
      char d = s[lx->at++];
      if (d == '"') {
        if (lx->at < lx->n && s[lx->at] == '"') {
          orb_buf_putc(&b, '"');
          lx->at++;
          continue;
        }
        break;
      }
      orb_buf_putc(&b, d);
    }
    if (b.len == 0) {
      orb_buf_free(&b);
      return lex_error_near(lx, start, lx->at, "zero-length delimited identifier", e);
    }
    t->kind = OQL_T_QIDENT;
    t->len = b.len;
    t->text = orb_arena_strndup(lx->a, b.data, b.len);
    orb_buf_free(&b);
  } else if (isdigit(c) || (c == '.' && lx->at + 1 < lx->n && isdigit((unsigned char)s[lx->at + 1]))) {
    while (lx->at < lx->n && isdigit((unsigned char)s[lx->at])) lx->at++;
    if (lx->at < lx->n && s[lx->at] == '.' && !(lx->at + 1 < lx->n && s[lx->at + 1] == '.')) {
      lx->at++;
      while (lx->at < lx->n && isdigit((unsigned char)s[lx->at])) lx->at++;
    }
    if (lx->at < lx->n && (s[lx->at] == 'e' || s[lx->at] == 'E')) {
      size_t save = lx->at++;
      if (lx->at < lx->n && (s[lx->at] == '+' || s[lx->at] == '-')) lx->at++;
      if (lx->at < lx->n && isdigit((unsigned char)s[lx->at])) {
        while (lx->at < lx->n && isdigit((unsigned char)s[lx->at])) lx->at++;
      } else {
        lx->at = save;
      }
    }
    if (lx->at < lx->n && ident_start((unsigned char)s[lx->at])) {
      size_t junk = lx->at;
      while (junk < lx->n && ident_char((unsigned char)s[junk])) junk++;
      return lex_error_near(lx, start, junk, "trailing junk after numeric literal", e);
    }
    t->kind = OQL_T_NUMBER;
    t->len = lx->at - start;
    t->text = orb_arena_strndup(lx->a, s + start, t->len);
  } else if (c == '$' && lx->at + 1 < lx->n && isdigit((unsigned char)s[lx->at + 1])) {
    lx->at++;
    long v = 0;
    while (lx->at < lx->n && isdigit((unsigned char)s[lx->at])) {
      if (v < 1000000) v = v * 10 + (s[lx->at] - '0');
      lx->at++;
    }
    t->kind = OQL_T_PARAM;
    t->ival = v;
    t->len = lx->at - start;
    t->text = orb_arena_strndup(lx->a, s + start, t->len);
  } else {
    size_t k;
    for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
      size_t n = strlen(ops[k]);
      if (lx->at + n <= lx->n && memcmp(s + lx->at, ops[k], n) == 0) break;
    }
    if (k == sizeof ops / sizeof ops[0]) {
      char buf[8];
      int n = 1;
      buf[0] = (char)c;
      buf[n] = '\0';
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", (int)start + 1, "syntax error at or near \"%s\"",
                          c >= 0x20 && c < 0x7f ? buf : "?");
    }
    t->kind = OQL_T_OP;
    t->text = ops[k];
    t->len = strlen(ops[k]);
    lx->at += t->len;
  }
  t->end = (int)lx->at;
  return st;
}
