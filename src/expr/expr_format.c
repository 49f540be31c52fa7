/* expr/expr_format.c — expressions as SQL-like text for EXPLAIN. */
#include <stdio.h>

#include "expr/expr.h"
#include "expr/func.h"
#include "types/value.h"

static const char *cmp_op(int op) {
  static const char *ops[] = {"=", "<>", "<", "<=", ">", ">="};
  return op >= 0 && op < 6 ? ops[op] : "?";
}

static const char *arith_op(int op) {
  if (op == ORB_E_OP_CONCAT) return "||";
  return orb_arith_op_name((orb_arith_op)op);
}

static void list(const orb_expr *e, int from, const char *sep, const char *const *names, orb_buf *out) {
  for (int i = from; i < e->nargs; i++) {
    if (i > from) orb_buf_puts(out, sep);
    orb_expr_format(e->args[i], names, out);
  }
}

static void format_const(const orb_expr *e, orb_buf *out) {
  const orb_value *v = &e->value;
  if (v->isnull) {
    orb_buf_puts(out, "NULL");
    return;
  }
  if (e->type.id == ORB_T_BOOL) {   /* EXPLAIN spells booleans out, as PostgreSQL does */
    orb_buf_puts(out, v->u.b ? "true" : "false");
    return;
  }
  bool quote = !orb_type_is_numeric((orb_type_id)e->type.id) && e->type.id != ORB_T_BOOL;
  if (quote) orb_buf_putc(out, '\'');
  orb_buf tmp = ORB_BUF_INIT;
  orb_value_to_text(v, &tmp);
  for (size_t i = 0; i < tmp.len; i++) {
    if (quote && tmp.data[i] == '\'') orb_buf_putc(out, '\'');
    orb_buf_putc(out, tmp.data[i]);
  }
  orb_buf_free(&tmp);
  if (quote) orb_buf_putc(out, '\'');
  if (e->type.id == ORB_T_BOOL) return;
  if (quote && e->type.id != ORB_T_TEXT) {
    orb_buf_puts(out, "::");
    orb_type_format(e->type, out);
  }
}

void orb_expr_format(const orb_expr *e, const char *const *names, orb_buf *out) {
  if (!e) return;
  switch ((orb_expr_kind)e->kind) {
  case ORB_E_CONST: format_const(e, out); return;
  case ORB_E_COLUMN:
    if (names && e->slot >= 0 && names[e->slot]) orb_buf_puts(out, names[e->slot]);
    else orb_buf_printf(out, "$%d", e->slot);
    return;
  case ORB_E_PARAM: orb_buf_printf(out, "$%d", e->slot + 1); return;
  case ORB_E_OUTER: orb_buf_printf(out, "outer.%d", e->slot + 1); return;
  case ORB_E_CAST:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_puts(out, ")::");
    orb_type_format(e->type, out);
    return;
  case ORB_E_ARITH:
    if (e->op == ORB_E_OP_NEG) {
      orb_buf_puts(out, "(-");
      orb_expr_format(e->args[0], names, out);
      orb_buf_putc(out, ')');
      return;
    }
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_printf(out, " %s ", arith_op(e->op));
    orb_expr_format(e->args[1], names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_CMP:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_printf(out, " %s ", cmp_op(e->op));
    orb_expr_format(e->args[1], names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_AND:
  case ORB_E_OR:
    orb_buf_putc(out, '(');
    list(e, 0, e->kind == ORB_E_AND ? " AND " : " OR ", names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_NOT:
    orb_buf_puts(out, "(NOT ");
    orb_expr_format(e->args[0], names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_IS_NULL:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_puts(out, e->flags & ORB_EF_NEGATE ? " IS NOT NULL)" : " IS NULL)");
    return;
  case ORB_E_IS_BOOL:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_printf(out, " IS %s%s)", e->flags & ORB_EF_NEGATE ? "NOT " : "",
                   e->op == 1 ? "TRUE" : e->op == 0 ? "FALSE" : "UNKNOWN");
    return;
  case ORB_E_DISTINCT:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_puts(out, e->flags & ORB_EF_NEGATE ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
    orb_expr_format(e->args[1], names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_IN:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_puts(out, e->flags & ORB_EF_NEGATE ? " NOT IN (" : " IN (");
    list(e, 1, ", ", names, out);
    orb_buf_puts(out, "))");
    return;
  case ORB_E_LIKE:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_printf(out, " %s%s ", e->flags & ORB_EF_NEGATE ? "NOT " : "", e->flags & ORB_EF_ICASE ? "ILIKE" : "LIKE");
    orb_expr_format(e->args[1], names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_CASE: {
    bool has_else = (e->flags & ORB_EF_HAS_ELSE) != 0;
    int pairs = has_else ? (e->nargs - 1) / 2 : e->nargs / 2;
    orb_buf_puts(out, "CASE");
    for (int i = 0; i < pairs; i++) {
      orb_buf_puts(out, " WHEN ");
      orb_expr_format(e->args[2 * i], names, out);
      orb_buf_puts(out, " THEN ");
      orb_expr_format(e->args[2 * i + 1], names, out);
    }
    if (has_else) {
      orb_buf_puts(out, " ELSE ");
      orb_expr_format(e->args[e->nargs - 1], names, out);
    }
    orb_buf_puts(out, " END");
    return;
  }
  case ORB_E_ARRAY:
    orb_buf_puts(out, e->type.id == ORB_T_RECORD ? "ROW(" : "ARRAY[");
    list(e, 0, ", ", names, out);
    orb_buf_putc(out, e->type.id == ORB_T_RECORD ? ')' : ']');
    return;
  case ORB_E_ANY: {
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_printf(out, " %s %s (", ops[e->op % 6], e->flags & ORB_EF_ALL ? "ALL" : "ANY");
    orb_expr_format(e->args[1], names, out);
    orb_buf_puts(out, "))");
    return;
  }
  case ORB_E_FIELD:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_printf(out, ").f%d", e->op + 1);
    return;
  case ORB_E_ROW:
    orb_buf_puts(out, "ROW(");
    list(e, 0, ", ", names, out);
    orb_buf_putc(out, ')');
    return;
  case ORB_E_SUBSCRIPT:
    orb_buf_putc(out, '(');
    orb_expr_format(e->args[0], names, out);
    orb_buf_puts(out, ")[");
    orb_expr_format(e->args[1], names, out);
    orb_buf_putc(out, ']');
    return;
  case ORB_E_SUBLINK:
    if (e->op == 3) {
      orb_buf_printf(out, "ARRAY(SubPlan %d)", e->slot + 1);
      return;
    }
    if (e->op == 2) {
      orb_buf_putc(out, '(');
      orb_expr_format(e->args[0], names, out);
      orb_buf_printf(out, " %s (SubPlan %d))", e->flags & ORB_EF_NEGATE ? "NOT IN" : "IN", e->slot + 1);
    } else {
      orb_buf_printf(out, "%s(SubPlan %d)", e->op == 1 ? "EXISTS" : "", e->slot + 1);
    }
    return;
  case ORB_E_COALESCE:
  case ORB_E_NULLIF:
  case ORB_E_FUNC:
    orb_buf_puts(out, e->kind == ORB_E_COALESCE ? "COALESCE" : e->kind == ORB_E_NULLIF ? "NULLIF" : e->func->name);
    orb_buf_putc(out, '(');
    list(e, 0, ", ", names, out);
    orb_buf_putc(out, ')');
    return;
  }
}
