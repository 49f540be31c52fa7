/*
** query/lex.h — OrbitQL tokens.
**
** The lexer turns statement text into tokens on demand (oql_lex_next).
** It knows PostgreSQL's lexical rules: case-insensitive keywords and
** unquoted identifiers (folded to lower case), "quoted" identifiers ("" for
** a quote), string constants '...' ('' for a quote; E'...' with backslash
** escapes; adjacent constants separated by a newline are one constant),
** numbers (42, 1.5, .5, 1e10), $n parameters, the operators OrbitQL uses,
** -- line comments and nested block comments.
**
** Token text is copied into the arena (identifiers folded, strings
** unescaped), so tokens stay valid after the lexer moves on.
*/
#ifndef ORB_QUERY_LEX_H
#define ORB_QUERY_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

typedef enum oql_tok_kind {
  OQL_T_EOF,
  OQL_T_IDENT,      /* unquoted word: keyword or identifier (text folded to lower case) */
  OQL_T_QIDENT,     /* "quoted identifier" */
  OQL_T_STRING,     /* 'string constant' (unescaped) */
  OQL_T_NUMBER,     /* numeric constant as written */
  OQL_T_PARAM,      /* $n: ival */
  OQL_T_OP,         /* operator or punctuation: text is its spelling ("<=", "::", "(", ";") */
} oql_tok_kind;

typedef struct oql_token {
  oql_tok_kind kind;
  const char *text;  /* NUL-terminated (arena) */
  size_t len;
  long ival;         /* PARAM */
  int pos;           /* 1-based byte offset of the token's first byte */
  int end;           /* byte offset just past the token (0-based) */
} oql_token;

typedef struct oql_lexer {
  const char *sql;
  size_t n;
  size_t at;         /* next byte to read */
  orb_arena *a;
} oql_lexer;

void oql_lex_init(oql_lexer *lx, const char *sql, size_t n, orb_arena *a);
/* Next token; errors (42601) for unterminated strings/comments and bad characters. */
orb_status oql_lex_next(oql_lexer *lx, oql_token *t, orb_err *e);

#endif
