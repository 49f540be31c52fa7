/*
** query/parse_int.h — shared internals of the recursive-descent parser
** (parse.c: entry points, parse_stmt.c: statements, parse_select.c: queries, parse_expr.c:
** expressions).  A statement's tokens are read up front (up to its ';'), so
** the parser can look ahead freely.
*/
#ifndef ORB_QUERY_PARSE_INT_H
#define ORB_QUERY_PARSE_INT_H

#include "query/lex.h"
#include "query/parser.h"

#define OQL_MAX_DEPTH 500

typedef struct oql_parser {
  orb_arena *a;
  const char *sql;
  oql_token *toks;     /* the statement's tokens, then EOF (or ';') */
  int ntoks;
  int i;               /* current token */
  int depth;           /* expression / subquery nesting */
  orb_err *e;
} oql_parser;

/* Current token, and the one k tokens ahead (EOF past the end). */
const oql_token *oql_p_tok(oql_parser *p);
const oql_token *oql_p_peek(oql_parser *p, int k);
void oql_p_advance(oql_parser *p);
/* Whether the current token is the statement's last (EOF or its ';'):
** advancing no longer moves, so loops that skip tokens must stop here. */
bool oql_p_at_end(oql_parser *p);
/* Whether the current token is the keyword kw (unquoted word) / operator op. */
bool oql_p_is(oql_parser *p, const char *kw);
bool oql_p_is_op(oql_parser *p, const char *op);
bool oql_p_peek_is(oql_parser *p, int k, const char *kw);
/* Whether the token k ahead is the operator op ("(", ",", ...). */
bool oql_p_peek_is_op(oql_parser *p, int k, const char *op);
/* Consume the keyword/operator if present. */
bool oql_p_accept(oql_parser *p, const char *kw);
bool oql_p_accept_op(oql_parser *p, const char *op);
/* Consume or fail with a syntax error at the current token. */
orb_status oql_p_expect(oql_parser *p, const char *kw);
orb_status oql_p_expect_op(oql_parser *p, const char *op);
/* "syntax error at or near ..." at the current token. */
orb_status oql_p_syntax(oql_parser *p);
/* An identifier (column, table, alias); reserved words are refused. */
orb_status oql_p_ident(oql_parser *p, const char **out, int *pos);
bool oql_p_is_ident(oql_parser *p);
/* Whether word is reserved (cannot be a bare alias/column name). */
bool oql_p_reserved(const char *word);
/* Nesting guard. */
orb_status oql_p_enter(oql_parser *p);
static inline void oql_p_leave(oql_parser *p) { p->depth--; }

/* Arena-backed growable pointer list. */
typedef struct oql_plist {
  void **v;
  int n, cap;
} oql_plist;
void oql_plist_add(oql_parser *p, oql_plist *l, void *x);

/* parse_stmt.c: one statement (not its ';'). */
orb_status oql_p_statement(oql_parser *p, oql_stmt_ast *s);

/* parse_expr.c */
orb_status oql_p_expr(oql_parser *p, oql_expr_ast **out);
/* expr, expr, ... appended to l. */
orb_status oql_p_expr_list(oql_parser *p, oql_plist *l);
orb_status oql_p_typename(oql_parser *p, oql_typename *out);
oql_expr_ast *oql_p_new_expr(oql_parser *p, oql_ekind kind, int pos);

/* parse_select.c */
orb_status oql_p_select(oql_parser *p, oql_select_ast **out);
/* WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query), ... */
orb_status oql_p_with_clause(oql_parser *p, oql_with_ast **out);
/* Whether the current token starts a query (SELECT, VALUES, '(' SELECT ...). */
bool oql_p_starts_query(oql_parser *p);
/* VALUES (...), (...) rows; DEFAULT entries become NULL pointers when allow_default. */
orb_status oql_p_values_rows(oql_parser *p, bool allow_default, oql_expr_ast ****rows, int **lens, int **poss,
                             int *nrows);
/* A select list: expr [[AS] alias], *, ... (also RETURNING's list). */
orb_status oql_p_targets(oql_parser *p, oql_target **targets, int *ntargets);
/* A call's arguments after its "(" up to and with the ")" (parse_select.c). */
orb_status oql_p_call_args(oql_parser *p, bool allow_list, oql_from_ast *f);
/* expr [ASC|DESC] [NULLS FIRST|LAST], ... (ORDER BY's list, also a window's). */
orb_status oql_p_order_list(oql_parser *p, oql_order_ast **order, int *norder);
/* A window specification in parentheses: ( [name] [PARTITION BY ...]
** [ORDER BY ...] [frame] ) (parse_window.c). */
orb_status oql_p_window_spec(oql_parser *p, oql_window_ast **out);
/* After a call's ")": OVER name | OVER (spec), if present (parse_window.c). */
orb_status oql_p_over(oql_parser *p, oql_window_ast **out);
/* ( ident, ... ) */
orb_status oql_p_ident_list(oql_parser *p, const char ***names, int **poss, int *n);
/* item, item, ... (FROM of SELECT, UPDATE ... FROM, DELETE ... USING) */
orb_status oql_p_from_list(oql_parser *p, oql_from_ast ***items, int *n);

#endif
