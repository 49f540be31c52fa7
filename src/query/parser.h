/*
** query/parser.h — OrbitQL text to parse trees (ast.h).
**
** A hand-written lexer (lexer.h) and recursive-descent parser for the
** PostgreSQL-flavoured statements ast.h describes.  Operator precedence is
** PostgreSQL's: OR < AND < NOT < IS < comparison < BETWEEN/IN/LIKE <
** || and other operators < + - < * / % < ^ < unary minus < :: cast.
**
** Keywords are case-insensitive; unquoted identifiers fold to lower case;
** "quoted" identifiers keep their case; string constants are '...' with ''
** for a quote, E'...' with backslash escapes; $n parameters; -- and
** nested slash-star comments.
**
** Errors (SQLSTATE 42601) name the offending token and carry its position,
** as PostgreSQL does: syntax error at or near "FORM"; at end of input:
** syntax error at end of input.
**
** The parser never trusts its input: any byte string gives either a tree or
** an error, never a crash (fuzz/fuzz_sql.c), and nesting depth is limited
** (54001 "statement is too complex").
*/
#ifndef ORB_QUERY_PARSER_H
#define ORB_QUERY_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "query/ast.h"

/* Parse the first statement of sql (NUL-terminated).  On success *out is
** the tree (allocated from a) and *tail points just past the statement and
** its terminating ';' (if any).  *empty is set when sql holds only
** whitespace, comments and ';' (then *out is NULL and *tail the end). */
orb_status oql_parse(orb_arena *a, const char *sql, const char **tail, oql_stmt_ast **out, bool *empty,
                     orb_err *e);

/* Whether sql[0..n) ends a statement: a ';' outside quotes, comments and
** parentheses has been seen and only whitespace/comments follow it.  For
** shells that collect lines until a statement is complete. */
bool oql_statement_complete(const char *sql, size_t n);

/* "FOR UPDATE", "FOR SHARE", ...: a locking clause as messages name it. */
const char *oql_lock_clause_name(oql_lock_strength s);

#endif
