/* query/parse.c — the parser's entry points (parser.h) and the token
** helpers every parse_*.c file uses (parse_int.h). */
#include "query/parse_int.h"

#include <string.h>

/* --- tokens ----------------------------------------------------------------- */

const oql_token *oql_p_peek(oql_parser *p, int k) {
  int j = p->i + k;
  if (j < 0) j = 0;
  if (j >= p->ntoks) j = p->ntoks - 1;   /* the last token is EOF or ';' */
  return &p->toks[j];
}

const oql_token *oql_p_tok(oql_parser *p) { return oql_p_peek(p, 0); }

bool oql_p_at_end(oql_parser *p) { return p->i >= p->ntoks - 1; }

void oql_p_advance(oql_parser *p) {
  if (p->i < p->ntoks - 1) p->i++;
}

static bool word_is(const oql_token *t, const char *kw) { return t->kind == OQL_T_IDENT && strcmp(t->text, kw) == 0; }

bool oql_p_is(oql_parser *p, const char *kw) { return word_is(oql_p_tok(p), kw); }
bool oql_p_peek_is(oql_parser *p, int k, const char *kw) { return word_is(oql_p_peek(p, k), kw); }
bool oql_p_peek_is_op(oql_parser *p, int k, const char *op) {
  const oql_token *t = oql_p_peek(p, k);
  return t->kind == OQL_T_OP && strcmp(t->text, op) == 0;
}

bool oql_p_is_op(oql_parser *p, const char *op) {
  const oql_token *t = oql_p_tok(p);
  return t->kind == OQL_T_OP && strcmp(t->text, op) == 0;
}

bool oql_p_accept(oql_parser *p, const char *kw) {
  if (!oql_p_is(p, kw)) return false;
  oql_p_advance(p);
  return true;
}

bool oql_p_accept_op(oql_parser *p, const char *op) {
  if (!oql_p_is_op(p, op)) return false;
  oql_p_advance(p);
  return true;
}

orb_status oql_p_syntax(oql_parser *p) {
  const oql_token *t = oql_p_tok(p);
  if (t->kind == OQL_T_EOF)
    return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", t->pos, "syntax error at end of input");
  /* PostgreSQL quotes the token as written */
  int start = t->pos - 1;
  int len = t->end - start;
  if (len > 60) {   /* a long token is cut, but not inside a UTF-8 character */
    len = 60;
    while (len > 0 && ((unsigned char)p->sql[start + len] & 0xC0) == 0x80) len--;
  }
  return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42601", t->pos, "syntax error at or near \"%.*s\"", len, p->sql + start);
}

orb_status oql_p_expect(oql_parser *p, const char *kw) { return oql_p_accept(p, kw) ? ORB_OK : oql_p_syntax(p); }
orb_status oql_p_expect_op(oql_parser *p, const char *op) { return oql_p_accept_op(p, op) ? ORB_OK : oql_p_syntax(p); }

orb_status oql_p_enter(oql_parser *p) {
  if (++p->depth > OQL_MAX_DEPTH) {
    p->depth--;
    return orb_err_setx(p->e, ORB_ERR_LIMIT, "54001", oql_p_tok(p)->pos, "statement is too complex (nesting deeper than %d)",
                        OQL_MAX_DEPTH);
  }
  return ORB_OK;
}

/* PostgreSQL's reserved key words, plus the join words that may not be bare aliases. */
static const char *const reserved[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "between", "both", "case", "cast",
    "check", "collate", "column", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "default", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
    "foreign", "from", "full", "grant", "group", "having", "ilike", "in", "inner", "intersect", "into", "is",
    "isnull", "join", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull",
    "null", "offset", "on", "only", "or", "order", "outer", "primary", "references", "returning", "right", "select",
    "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "when",
    "where", "window", "with"};

bool oql_p_reserved(const char *word) {
  for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
    if (strcmp(word, reserved[i]) == 0) return true;
  return false;
}

bool oql_p_is_ident(oql_parser *p) {
  const oql_token *t = oql_p_tok(p);
  return t->kind == OQL_T_QIDENT || t->kind == OQL_T_IDENT;
}

orb_status oql_p_ident(oql_parser *p, const char **out, int *pos) {
  const oql_token *t = oql_p_tok(p);
  if (t->kind == OQL_T_QIDENT || (t->kind == OQL_T_IDENT && !oql_p_reserved(t->text))) {
    *out = t->text;
    *pos = t->pos;
    oql_p_advance(p);
    return ORB_OK;
  }
  return oql_p_syntax(p);
}

void oql_plist_add(oql_parser *p, oql_plist *l, void *x) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 8;
    void **nv = orb_arena_alloc(p->a, sizeof(void *) * (size_t)cap);
    if (l->n) memcpy(nv, l->v, sizeof(void *) * (size_t)l->n);
    l->v = nv;
    l->cap = cap;
  }
  l->v[l->n++] = x;
}

/* --- entry points ------------------------------------------------------------------ */

/* Tokens of one statement: up to and including its ';' (or EOF). */
static orb_status read_statement(oql_parser *p, oql_lexer *lx, orb_err *e) {
  oql_plist l = {0};
  for (;;) {
    oql_token *t = orb_arena_alloc(p->a, sizeof *t);
    orb_status st = oql_lex_next(lx, t, e);
    if (st != ORB_OK) return st;
    oql_plist_add(p, &l, t);
    if (t->kind == OQL_T_EOF || (t->kind == OQL_T_OP && strcmp(t->text, ";") == 0)) break;
  }
  p->ntoks = l.n;
  p->toks = orb_arena_alloc(p->a, sizeof(oql_token) * (size_t)l.n);
  for (int i = 0; i < l.n; i++) p->toks[i] = *(oql_token *)l.v[i];
  return ORB_OK;
}

orb_status oql_parse(orb_arena *a, const char *sql, const char **tail, oql_stmt_ast **out, bool *empty,
                     orb_err *e) {
  size_t n = strlen(sql);
  oql_lexer lx;
  oql_lex_init(&lx, sql, n, a);
  *out = NULL;
  *empty = false;
  oql_parser p;
  memset(&p, 0, sizeof p);
  p.a = a;
  p.sql = sql;
  p.e = e;
  orb_status st;
  /* skip empty statements (";;") */
  for (;;) {
    if ((st = read_statement(&p, &lx, e)) != ORB_OK) {
      *tail = sql + n;
      return st;
    }
    if (p.ntoks > 1 || p.toks[0].kind != OQL_T_OP) break;
    if (lx.at >= n) break;
  }
  *tail = sql + lx.at;
  if (p.toks[0].kind == OQL_T_EOF || (p.ntoks == 1 && p.toks[0].kind == OQL_T_OP)) {
    *empty = true;
    *tail = sql + n;
    return ORB_OK;
  }
  oql_stmt_ast *s = orb_arena_zalloc(a, sizeof *s);
  if ((st = oql_p_statement(&p, s)) != ORB_OK) return st;
  const oql_token *t = oql_p_tok(&p);
  if (t->kind != OQL_T_EOF && !(t->kind == OQL_T_OP && strcmp(t->text, ";") == 0)) return oql_p_syntax(&p);
  int start = p.toks[0].pos - 1;
  int end = p.ntoks >= 2 ? p.toks[p.ntoks - 2].end : start;
  s->text = orb_arena_strndup(a, sql + start, (size_t)(end - start));
  *out = s;
  return ORB_OK;
}

bool oql_statement_complete(const char *sql, size_t n) {
  /* a scratch arena: the tokens are thrown away */
  orb_arena a;
  orb_arena_init(&a, 4096);
  oql_lexer lx;
  oql_lex_init(&lx, sql, n, &a);
  orb_err e;
  orb_err_clear(&e);
  bool complete = false;
  int depth = 0;
  for (;;) {
    oql_token t;
    size_t before = lx.at;
    if (oql_lex_next(&lx, &t, &e) != ORB_OK) {
      /* an unterminated string or comment waits for more input */
      if (strstr(e.msg, "unterminated") != NULL) {
        complete = false;
        break;
      }
      /* any other bad token is the parser's to report once the statement
      ** is complete: step over it (at least one byte) and go on */
      if (e.pos > 0 && lx.at < (size_t)e.pos) lx.at = (size_t)e.pos;   /* e.pos is 1-based: just past its byte */
      if (lx.at <= before) lx.at = before + 1;
      complete = false;
      orb_err_clear(&e);
      orb_arena_reset(&a);
      continue;
    }
    if (t.kind == OQL_T_EOF) break;
    complete = false;
    if (t.kind == OQL_T_OP) {
      if (strcmp(t.text, "(") == 0) depth++;
      else if (strcmp(t.text, ")") == 0 && depth > 0) depth--;
      else if (strcmp(t.text, ";") == 0 && depth == 0) complete = true;
    }
    orb_arena_reset(&a);
  }
  orb_arena_free(&a);
  return complete;
}
