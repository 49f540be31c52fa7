/* query/deparse.c — a column default as PostgreSQL's pg_get_expr() shows
** it (psql's \d "Default" column), from the expression text the catalog
** keeps.  PostgreSQL stores the parsed expression and prints it back: a
** string literal takes the column's type ('x'::text, 'buy'::character
** varying, '2026-01-01'::date), integer literals print bare unless negative
** ('-3'::integer) or bigint ('5000000000'::bigint), decimals bare,
** booleans as true/false, CURRENT_TIMESTAMP and friends in upper case,
** calls and operators as name(args) and `a + b`.  What this does not know
** how to print is shown as written. */
#include "query/binder_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "query/parser.h"

static void quoted(orb_buf *out, const char *s, size_t n) {
  orb_buf_putc(out, '\'');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\'') orb_buf_putc(out, '\'');
    orb_buf_putc(out, s[i]);
  }
  orb_buf_putc(out, '\'');
}

/* A type's name without modifiers, as a constant's label shows it. */
static void label(orb_buf *out, orb_type t) {
  if (t.id == ORB_T_TEXT && t.maxlen) {
    orb_buf_puts(out, "::character varying");
    return;
  }
  if (t.id == ORB_T_ARRAY && t.elem == ORB_T_TEXT && t.maxlen) {
    orb_buf_puts(out, "::character varying[]");
    return;
  }
  t.maxlen = 0;
  t.precision = 0;
  t.scale = 0;
  orb_buf_puts(out, "::");
  orb_type_format(t, out);
}

static void number(orb_buf *out, const char *s, size_t n) {
  bool integer = strcspn(s, ".eE") == n;
  if (integer) {
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == 0 && v >= INT32_MIN && v <= INT32_MAX) {
      if (v >= 0) orb_buf_append(out, s, n);
      else quoted(out, s, n), orb_buf_puts(out, "::integer");
    } else if (errno == 0) {
      quoted(out, s, n), orb_buf_puts(out, "::bigint");
    } else {
      quoted(out, s, n), orb_buf_puts(out, "::numeric");
    }
    return;
  }
  if (s[0] >= '0' && s[0] <= '9' && strcspn(s, "eE") == n) orb_buf_append(out, s, n);
  else quoted(out, s, n), orb_buf_puts(out, "::numeric");
}

static bool expr(orb_buf *out, const oql_expr_ast *x, orb_type t, bool top);

static bool operand(orb_buf *out, const oql_expr_ast *x) {
  bool paren = x->kind == OQL_X_BINARY;
  if (paren) orb_buf_putc(out, '(');
  bool ok = expr(out, x, orb_type_make(ORB_T_TEXT), false);
  if (paren) orb_buf_putc(out, ')');
  return ok;
}

static bool expr(orb_buf *out, const oql_expr_ast *x, orb_type t, bool top) {
  switch (x->kind) {
  case OQL_X_NUMBER:
    number(out, x->text, x->len);
    return true;
  case OQL_X_STRING:
    quoted(out, x->text, x->len);
    label(out, top ? t : orb_type_make(ORB_T_TEXT));
    return true;
  case OQL_X_BOOL:
    orb_buf_puts(out, x->ival ? "true" : "false");
    return true;
  case OQL_X_TYPED:
  case OQL_X_CAST: {
    orb_type ct;
    orb_err e;
    if (orb_type_from_name(x->tname.name, x->tname.mods, x->tname.nmods, &ct, &e) != ORB_OK) return false;
    if (x->kind == OQL_X_TYPED) quoted(out, x->text, x->len);
    else if (x->l->kind == OQL_X_STRING) quoted(out, x->l->text, x->l->len);
    else if (!operand(out, x->l)) return false;
    orb_buf_puts(out, "::");
    orb_type_format(ct, out);
    return true;
  }
  case OQL_X_CALL: {
    static const char *const sql_values[] = {"current_timestamp", "current_date", "localtimestamp", "current_time",
                                             "localtime"};
    for (size_t i = 0; i < sizeof sql_values / sizeof sql_values[0]; i++)
      if (strcmp(x->name, sql_values[i]) == 0 && x->nlist == 0) {
        for (const char *c = x->name; *c; c++) orb_buf_putc(out, *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c);
        return true;
      }
    if (x->star || x->distinct || x->filter) return false;
    if (strcmp(x->name, "nextval") == 0 && x->nlist == 1 && x->list[0]->kind == OQL_X_STRING) {
      /* a serial column's default: PostgreSQL's argument is a regclass */
      orb_buf_puts(out, "nextval(");
      quoted(out, x->list[0]->text, x->list[0]->len);
      orb_buf_puts(out, "::regclass)");
      return true;
    }
    orb_buf_printf(out, "%s(", x->name);
    for (int i = 0; i < x->nlist; i++) {
      if (i) orb_buf_puts(out, ", ");
      if (!expr(out, x->list[i], t, false)) return false;
    }
    orb_buf_putc(out, ')');
    return true;
  }
  case OQL_X_BINARY: {
    static const char *const ops[] = {[OQL_OP_ADD] = "+", [OQL_OP_SUB] = "-", [OQL_OP_MUL] = "*",
                                      [OQL_OP_DIV] = "/", [OQL_OP_MOD] = "%", [OQL_OP_POW] = "^",
                                      [OQL_OP_CONCAT] = "||"};
    if (x->op > OQL_OP_CONCAT) return false;
    if (!operand(out, x->l)) return false;
    orb_buf_printf(out, " %s ", ops[x->op]);
    return operand(out, x->r);
  }
  case OQL_X_ARRAY: {
    /* ARRAY['a', 'b'] shows its elements as text ('a'::text), ARRAY[1, 2] bare; mixed
    ** elements would show the casts PostgreSQL adds between them: shown as written */
    if (x->sub || x->nlist == 0) return false;
    for (int i = 0; i < x->nlist; i++) {
      const oql_expr_ast *it = x->list[i];
      bool integer = it->kind == OQL_X_NUMBER && strcspn(it->text, ".eE") == it->len;
      if (it->kind != x->list[0]->kind || (it->kind != OQL_X_STRING && !integer)) return false;
    }
    orb_buf_puts(out, "ARRAY[");
    for (int i = 0; i < x->nlist; i++) {
      if (i) orb_buf_puts(out, ", ");
      if (!expr(out, x->list[i], t, false)) return false;
    }
    orb_buf_putc(out, ']');
    return true;
  }
  default:
    return false;
  }
}

/* The type PostgreSQL gives a literal or arithmetic on literals; ORB_T_NULL when not obvious. */
static orb_type_id guess_type(const oql_expr_ast *x) {
  switch (x->kind) {
  case OQL_X_NUMBER: {
    if (strcspn(x->text, ".eE") != x->len) return ORB_T_DECIMAL;
    errno = 0;
    long long v = strtoll(x->text, NULL, 10);
    if (errno) return ORB_T_DECIMAL;
    return v >= INT32_MIN && v <= INT32_MAX ? ORB_T_INT32 : ORB_T_INT64;
  }
  case OQL_X_BINARY: {
    if (x->op == OQL_OP_CONCAT) return ORB_T_TEXT;
    orb_type_id l = guess_type(x->l), r = guess_type(x->r);
    if (!orb_type_is_numeric(l) || !orb_type_is_numeric(r)) return ORB_T_NULL;
    return l > r ? l : r;   /* the enum runs int2 < int4 < int8 < float4 < float8 < numeric: close enough here */
  }
  default:
    return ORB_T_NULL;
  }
}

const char *oql_deparse_default(orb_arena *a, const char *sql, orb_type coltype) {
  const char *text = orb_arena_sprintf(a, "SELECT %s", sql), *tail;
  oql_stmt_ast *ast;
  bool empty;
  orb_err e;
  orb_err_clear(&e);
  if (oql_parse(a, text, &tail, &ast, &empty, &e) != ORB_OK || empty || ast->kind != OQL_S_SELECT ||
      ast->select->ntargets != 1)
    return sql;
  const oql_expr_ast *x = ast->select->targets[0].expr;
  if (x->kind == OQL_X_NULL) return NULL;   /* DEFAULT NULL is no default at all */
  orb_buf out = ORB_BUF_INIT;
  const char *shown = sql;
  /* an operator whose type is not the column's is shown inside the implicit cast: in parentheses */
  orb_type_id g = guess_type(x);
  bool paren = x->kind == OQL_X_BINARY && g != ORB_T_NULL && g != coltype.id;
  if (paren) orb_buf_putc(&out, '(');
  bool ok = expr(&out, x, coltype, true);
  if (paren) orb_buf_putc(&out, ')');
  if (ok) shown = orb_arena_strndup(a, out.data, out.len);
  orb_buf_free(&out);
  return shown;
}
