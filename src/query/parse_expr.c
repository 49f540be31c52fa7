/* query/parse_expr.c — expressions and type names, with PostgreSQL's
** operator precedence (see parser.h), by one function per level. */
#include "query/parse_int.h"

#include <string.h>

oql_expr_ast *oql_p_new_expr(oql_parser *p, oql_ekind kind, int pos) {
  oql_expr_ast *x = orb_arena_zalloc(p->a, sizeof *x);
  x->kind = kind;
  x->pos = pos;
  return x;
}

static oql_expr_ast *binary(oql_parser *p, oql_binop op, oql_expr_ast *l, oql_expr_ast *r, int pos) {
  oql_expr_ast *x = oql_p_new_expr(p, OQL_X_BINARY, pos);
  x->op = op;
  x->l = l;
  x->r = r;
  return x;
}

static void set_list(oql_parser *p, oql_expr_ast *x, oql_plist *l) {
  (void)p;
  x->list = (oql_expr_ast **)l->v;
  x->nlist = l->n;
}

/* --- type names ----------------------------------------------------------- */

static orb_status type_mods(oql_parser *p, oql_typename *t) {
  if (!oql_p_accept_op(p, "(")) return ORB_OK;
  for (;;) {
    const oql_token *k = oql_p_tok(p);
    if (k->kind != OQL_T_NUMBER || t->nmods == 2) return oql_p_syntax(p);
    long v = 0;
    for (size_t i = 0; i < k->len; i++) {
      if (k->text[i] < '0' || k->text[i] > '9') return oql_p_syntax(p);
      if (v < 100000000) v = v * 10 + (k->text[i] - '0');
    }
    t->mods[t->nmods++] = (int32_t)v;
    oql_p_advance(p);
    if (oql_p_accept_op(p, ")")) return ORB_OK;
    if (!oql_p_accept_op(p, ",")) return oql_p_syntax(p);
  }
}

orb_status oql_p_typename(oql_parser *p, oql_typename *out) {
  memset(out, 0, sizeof *out);
  const oql_token *k = oql_p_tok(p);
  out->pos = k->pos;
  if (k->kind != OQL_T_IDENT && k->kind != OQL_T_QIDENT) return oql_p_syntax(p);
  const char *w = k->text;
  oql_p_advance(p);
  if (strcmp(w, "pg_catalog") == 0 && oql_p_accept_op(p, ".")) {   /* pg_catalog.int4, pg_catalog.regtype */
    k = oql_p_tok(p);
    if (k->kind != OQL_T_IDENT && k->kind != OQL_T_QIDENT) return oql_p_syntax(p);
    w = k->text;
    oql_p_advance(p);
  }
  orb_status st = ORB_OK;
  if (strcmp(w, "double") == 0) {
    oql_p_accept(p, "precision");   /* OrbitQL also accepts DOUBLE alone */
    out->name = "double precision";
  } else if (strcmp(w, "character") == 0 || strcmp(w, "char") == 0) {
    out->name = oql_p_accept(p, "varying") ? "character varying" : "character";
    st = type_mods(p, out);
  } else if (strcmp(w, "timestamp") == 0 || strcmp(w, "time") == 0) {
    if (oql_p_is_op(p, "(")) st = type_mods(p, out);   /* precision: accepted, microseconds kept */
    out->nmods = 0;
    bool tz = false;
    if (oql_p_is(p, "with") && oql_p_peek_is(p, 1, "time") && oql_p_peek_is(p, 2, "zone")) {
      oql_p_advance(p), oql_p_advance(p), oql_p_advance(p);
      tz = true;
    } else if (oql_p_is(p, "without") && oql_p_peek_is(p, 1, "time") && oql_p_peek_is(p, 2, "zone")) {
      oql_p_advance(p), oql_p_advance(p), oql_p_advance(p);
    }
    if (w[1] == 'i' && w[2] == 'm' && w[3] == 'e' && w[4] == 's')
      out->name = tz ? "timestamp with time zone" : "timestamp";
    else
      out->name = tz ? "time with time zone" : "time";
  } else {
    out->name = w;
    st = type_mods(p, out);
  }
  /* elem[] or elem[n] (PostgreSQL ignores the size): an array type */
  if (st == ORB_OK && oql_p_accept_op(p, "[")) {
    if (oql_p_tok(p)->kind == OQL_T_NUMBER) oql_p_advance(p);
    if ((st = oql_p_expect_op(p, "]")) != ORB_OK) return st;
    if (oql_p_is_op(p, "["))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "multidimensional arrays are not supported");
    out->name = orb_arena_sprintf(p->a, "%s[]", out->name);
  } else if (st == ORB_OK && oql_p_accept(p, "array")) {   /* SQL's spelling: elem ARRAY or elem ARRAY[n] */
    if (oql_p_accept_op(p, "[")) {
      if (oql_p_tok(p)->kind != OQL_T_NUMBER) return oql_p_syntax(p);
      oql_p_advance(p);
      if ((st = oql_p_expect_op(p, "]")) != ORB_OK) return st;
    }
    out->name = orb_arena_sprintf(p->a, "%s[]", out->name);
  }
  return st;
}

/* --- primary expressions --------------------------------------------------- */

static orb_status p_or(oql_parser *p, oql_expr_ast **out);
static orb_status p_other(oql_parser *p, oql_expr_ast **out);

orb_status oql_p_expr_list(oql_parser *p, oql_plist *l) {
  for (;;) {
    oql_expr_ast *x;
    orb_status st = oql_p_expr(p, &x);
    if (st != ORB_OK) return st;
    oql_plist_add(p, l, x);
    if (!oql_p_accept_op(p, ",")) return ORB_OK;
  }
}

static const char *const interval_units[] = {"year", "month", "day", "hour", "minute", "second"};

static bool is_interval_unit(const char *w) {
  for (size_t i = 0; i < sizeof interval_units / sizeof interval_units[0]; i++)
    if (strcmp(w, interval_units[i]) == 0) return true;
  return false;
}

/* Words that start a type name usable before a string constant (DATE '...'). */
static bool typed_literal_start(oql_parser *p) {
  static const char *const types[] = {"date", "time", "timestamp", "timestamptz", "interval", "boolean", "bool",
                                      "integer", "int", "int2", "int4", "int8", "smallint", "bigint", "real",
                                      "double", "float", "float4", "float8", "numeric", "decimal", "text",
                                      "varchar", "char", "character", "uuid", "bytea"};
  const oql_token *k = oql_p_tok(p);
  if (k->kind != OQL_T_IDENT) return false;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(k->text, types[i]) == 0) return true;
  return false;
}

/* type 'string' [interval qualifier]; *ok false (and nothing consumed) when not one. */
static orb_status typed_literal(oql_parser *p, oql_expr_ast **out, bool *ok) {
  int save = p->i;
  orb_err keep = *p->e;
  oql_typename tn;
  *ok = false;
  if (oql_p_typename(p, &tn) != ORB_OK || oql_p_tok(p)->kind != OQL_T_STRING) {
    p->i = save;
    *p->e = keep;
    return ORB_OK;
  }
  const oql_token *s = oql_p_tok(p);
  oql_expr_ast *x = oql_p_new_expr(p, OQL_X_TYPED, tn.pos);
  x->tname = tn;
  x->text = s->text;
  x->len = s->len;
  x->ival = s->pos;   /* errors in its input point at the string, as PostgreSQL's do */
  oql_p_advance(p);
  if (strcmp(tn.name, "interval") == 0 && oql_p_tok(p)->kind == OQL_T_IDENT && is_interval_unit(oql_p_tok(p)->text)) {
    const char *u = oql_p_tok(p)->text;
    oql_p_advance(p);
    if (oql_p_is(p, "to") && oql_p_peek(p, 1)->kind == OQL_T_IDENT && is_interval_unit(oql_p_peek(p, 1)->text)) {
      oql_p_advance(p);
      u = orb_arena_sprintf(p->a, "%s to %s", u, oql_p_tok(p)->text);
      oql_p_advance(p);
    }
    if (oql_p_accept_op(p, "(")) {   /* SECOND(p): precision accepted */
      if (oql_p_tok(p)->kind != OQL_T_NUMBER) return oql_p_syntax(p);
      oql_p_advance(p);
      if (!oql_p_accept_op(p, ")")) return oql_p_syntax(p);
    }
    x->unit = u;
  }
  *out = x;
  *ok = true;
  return ORB_OK;
}

static orb_status p_case(oql_parser *p, oql_expr_ast **out) {
  oql_expr_ast *x = oql_p_new_expr(p, OQL_X_CASE, oql_p_tok(p)->pos);
  oql_p_advance(p); /* CASE */
  orb_status st;
  if (!oql_p_is(p, "when") && (st = oql_p_expr(p, &x->l)) != ORB_OK) return st;
  oql_plist l = {0};
  while (oql_p_accept(p, "when")) {
    oql_expr_ast *w, *t;
    if ((st = oql_p_expr(p, &w)) != ORB_OK || (st = oql_p_expect(p, "then")) != ORB_OK ||
        (st = oql_p_expr(p, &t)) != ORB_OK)
      return st;
    oql_plist_add(p, &l, w);
    oql_plist_add(p, &l, t);
  }
  if (l.n == 0) return oql_p_syntax(p);
  if (oql_p_accept(p, "else") && (st = oql_p_expr(p, &x->r)) != ORB_OK) return st;
  if ((st = oql_p_expect(p, "end")) != ORB_OK) return st;
  set_list(p, x, &l);
  *out = x;
  return ORB_OK;
}

/* extract(field FROM x), substring(x FROM a FOR b), position(a IN b), trim(...) */
static orb_status special_call(oql_parser *p, const char *name, oql_expr_ast *x, oql_plist *l, bool *done) {
  orb_status st;
  oql_expr_ast *a, *b;
  *done = true;
  if (strcmp(name, "extract") == 0) {
    const oql_token *f = oql_p_tok(p);
    if (!(f->kind == OQL_T_IDENT || f->kind == OQL_T_STRING) || !oql_p_peek_is(p, 1, "from")) {
      *done = false;
      return ORB_OK;
    }
    oql_expr_ast *fs = oql_p_new_expr(p, OQL_X_STRING, f->pos);
    char *low = orb_arena_strndup(p->a, f->text, f->len);
    for (char *c = low; *c; c++)
      if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    fs->text = low;
    fs->len = f->len;
    oql_p_advance(p);
    oql_p_advance(p); /* FROM */
    if ((st = oql_p_expr(p, &a)) != ORB_OK) return st;
    oql_plist_add(p, l, fs);
    oql_plist_add(p, l, a);
    return ORB_OK;
  }
  if (strcmp(name, "position") == 0) {
    /* PostgreSQL's only form is position(a IN b), both operands above the
    ** IN/LIKE level; no fallback to a plain argument list, whose re-parse
    ** of nested position( calls would take exponential time */
    if ((st = p_other(p, &a)) != ORB_OK || (st = oql_p_expect(p, "in")) != ORB_OK ||
        (st = p_other(p, &b)) != ORB_OK)
      return st;
    oql_plist_add(p, l, a);
    oql_plist_add(p, l, b);
    return ORB_OK;
  }
  if (strcmp(name, "substring") == 0) {
    if ((st = oql_p_expr(p, &a)) != ORB_OK) return st;
    oql_plist_add(p, l, a);
    if (oql_p_accept(p, "similar")) {
      /* substring(s SIMILAR pattern ESCAPE e): substring(s, pattern, e), the SQL regular-expression form */
      if ((st = oql_p_expr(p, &b)) != ORB_OK || (st = oql_p_expect(p, "escape")) != ORB_OK) return st;
      oql_plist_add(p, l, b);
      if ((st = oql_p_expr(p, &b)) != ORB_OK) return st;
      oql_plist_add(p, l, b);
    } else if (oql_p_accept(p, "from")) {
      if ((st = oql_p_expr(p, &b)) != ORB_OK) return st;
      oql_plist_add(p, l, b);
      if (oql_p_accept(p, "for")) {
        if ((st = oql_p_expr(p, &b)) != ORB_OK) return st;
        oql_plist_add(p, l, b);
      }
    } else if (oql_p_accept(p, "for")) {
      /* substring(x FOR n) = substring(x FROM 1 FOR n) */
      oql_expr_ast *one = oql_p_new_expr(p, OQL_X_NUMBER, a->pos);
      one->text = "1";
      one->len = 1;
      if ((st = oql_p_expr(p, &b)) != ORB_OK) return st;
      oql_plist_add(p, l, one);
      oql_plist_add(p, l, b);
    } else {
      while (oql_p_accept_op(p, ",")) {
        if ((st = oql_p_expr(p, &b)) != ORB_OK) return st;
        oql_plist_add(p, l, b);
      }
    }
    return ORB_OK;
  }
  if (strcmp(name, "trim") == 0) {
    const char *fn = "btrim";
    if (oql_p_accept(p, "leading")) fn = "ltrim";
    else if (oql_p_accept(p, "trailing")) fn = "rtrim";
    else oql_p_accept(p, "both");
    x->name = fn;
    oql_expr_ast *chars = NULL, *src;
    if (oql_p_accept(p, "from")) {
      if ((st = oql_p_expr(p, &src)) != ORB_OK) return st;
    } else {
      if ((st = oql_p_expr(p, &src)) != ORB_OK) return st;
      if (oql_p_accept(p, "from")) {
        chars = src;
        if ((st = oql_p_expr(p, &src)) != ORB_OK) return st;
      } else if (oql_p_accept_op(p, ",")) {
        if ((st = oql_p_expr(p, &chars)) != ORB_OK) return st;
      }
    }
    oql_plist_add(p, l, src);
    if (chars) oql_plist_add(p, l, chars);
    return ORB_OK;
  }
  *done = false;
  return ORB_OK;
}

static orb_status p_call_args(oql_parser *p, const char *name, int pos, oql_expr_ast **out);

/* Calls nest without passing through oql_p_expr (position(a IN b) parses its
** operands a level lower), so they count towards the depth limit themselves. */
static orb_status p_call(oql_parser *p, const char *name, int pos, oql_expr_ast **out) {
  orb_status st = oql_p_enter(p);
  if (st != ORB_OK) return st;
  st = p_call_args(p, name, pos, out);
  oql_p_leave(p);
  return st;
}

static orb_status p_call_args(oql_parser *p, const char *name, int pos, oql_expr_ast **out) {
  oql_expr_ast *x = oql_p_new_expr(p, OQL_X_CALL, pos);
  x->name = name;
  oql_p_advance(p); /* ( */
  oql_plist l = {0};
  orb_status st;
  if (oql_p_accept_op(p, "*")) {
    x->star = true;
  } else if (!oql_p_is_op(p, ")")) {
    bool done = false;
    if ((st = special_call(p, name, x, &l, &done)) != ORB_OK) return st;
    if (!done) {
      if (oql_p_accept(p, "distinct")) x->distinct = true;
      else oql_p_accept(p, "all");
      if ((st = oql_p_expr_list(p, &l)) != ORB_OK) return st;
      if (oql_p_accept(p, "order")) {   /* agg(args ORDER BY keys) */
        if ((st = oql_p_expect(p, "by")) != ORB_OK) return st;
        if ((st = oql_p_order_list(p, &x->agg_order, &x->nagg_order)) != ORB_OK) return st;
      }
    }
  }
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  set_list(p, x, &l);
  /* agg(...) FILTER (WHERE cond): the binder says whether f is an aggregate */
  const oql_token *paren = oql_p_peek(p, 1);
  if (oql_p_is(p, "filter") && paren->kind == OQL_T_OP && strcmp(paren->text, "(") == 0) {
    oql_p_advance(p);
    oql_p_advance(p);
    if ((st = oql_p_expect(p, "where")) != ORB_OK || (st = oql_p_expr(p, &x->filter)) != ORB_OK ||
        (st = oql_p_expect_op(p, ")")) != ORB_OK)
      return st;
  }
  if ((st = oql_p_over(p, &x->over)) != ORB_OK) return st;   /* f(...) OVER ...: a window function */
  *out = x;
  return ORB_OK;
}

static orb_status p_primary(oql_parser *p, oql_expr_ast **out) {
  const oql_token *k = oql_p_tok(p);
  int pos = k->pos;
  orb_status st;
  switch (k->kind) {
  case OQL_T_NUMBER: {
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_NUMBER, pos);
    x->text = k->text;
    x->len = k->len;
    oql_p_advance(p);
    *out = x;
    return ORB_OK;
  }
  case OQL_T_STRING: {
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_STRING, pos);
    x->text = k->text;
    x->len = k->len;
    oql_p_advance(p);
    *out = x;
    return ORB_OK;
  }
  case OQL_T_PARAM: {
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_PARAM, pos);
    x->ival = k->ival;
    oql_p_advance(p);
    *out = x;
    return ORB_OK;
  }
  case OQL_T_OP:
    if (oql_p_is_op(p, "(")) {
      if (oql_p_peek_is(p, 1, "select") || oql_p_peek_is(p, 1, "values") || oql_p_peek_is(p, 1, "with")) {
        oql_p_advance(p);
        oql_expr_ast *x = oql_p_new_expr(p, OQL_X_SUBQUERY, pos);
        if ((st = oql_p_enter(p)) != ORB_OK) return st;
        st = oql_p_select(p, &x->sub);
        oql_p_leave(p);
        if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
        *out = x;
        return ORB_OK;
      }
      oql_p_advance(p);
      if ((st = oql_p_expr(p, out)) != ORB_OK) return st;
      if (oql_p_is_op(p, ",")) {   /* (a, b, ...): a row constructor, ROW(a, b, ...) */
        oql_expr_ast *row = oql_p_new_expr(p, OQL_X_CALL, pos);
        row->name = "row";
        oql_plist l = {0};
        oql_plist_add(p, &l, *out);
        while (oql_p_accept_op(p, ",")) {
          oql_expr_ast *item;
          if ((st = oql_p_expr(p, &item)) != ORB_OK) return st;
          oql_plist_add(p, &l, item);
        }
        set_list(p, row, &l);
        *out = row;
      }
      if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
      while (oql_p_is_op(p, ".")) {   /* (expr).field: a field of a composite value */
        oql_expr_ast *x = oql_p_new_expr(p, OQL_X_FIELD, oql_p_tok(p)->pos);
        oql_p_advance(p);
        if (oql_p_is_op(p, "*") && (*out)->kind == OQL_X_COLUMN && !(*out)->qual) {
          /* (t).*: every field of a whole-row reference, which is t.* */
          x->kind = OQL_X_STAR;
          x->qual = (*out)->name;
          x->pos = (*out)->pos;
          oql_p_advance(p);
          *out = x;
          return ORB_OK;
        }
        x->l = *out;
        int fpos;
        if ((st = oql_p_ident(p, &x->name, &fpos)) != ORB_OK) return st;
        *out = x;
      }
      return ORB_OK;
    }
    return oql_p_syntax(p);
  case OQL_T_EOF:
    return oql_p_syntax(p);
  case OQL_T_QIDENT:
  case OQL_T_IDENT:
    break;
  }
  const char *w = k->text;
  if (k->kind == OQL_T_IDENT) {
    if (strcmp(w, "null") == 0 || strcmp(w, "true") == 0 || strcmp(w, "false") == 0) {
      oql_expr_ast *x = oql_p_new_expr(p, w[0] == 'n' ? OQL_X_NULL : OQL_X_BOOL, pos);
      x->ival = w[0] == 't';
      oql_p_advance(p);
      *out = x;
      return ORB_OK;
    }
    if (strcmp(w, "case") == 0) return p_case(p, out);
    if (strcmp(w, "array") == 0 && oql_p_peek(p, 1)->kind == OQL_T_OP &&
        (strcmp(oql_p_peek(p, 1)->text, "[") == 0 || strcmp(oql_p_peek(p, 1)->text, "(") == 0)) {
      /* ARRAY[a, b, ...] or ARRAY(SELECT ...) */
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_ARRAY, pos);
      oql_p_advance(p);
      if (oql_p_accept_op(p, "(")) {
        if ((st = oql_p_enter(p)) != ORB_OK) return st;
        st = oql_p_select(p, &x->sub);
        oql_p_leave(p);
        if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
        *out = x;
        return ORB_OK;
      }
      oql_p_advance(p);
      oql_plist l = {0};
      if (oql_p_is_op(p, "["))
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "multidimensional arrays are not supported");
      if (!oql_p_is_op(p, "]") && (st = oql_p_expr_list(p, &l)) != ORB_OK) return st;
      if ((st = oql_p_expect_op(p, "]")) != ORB_OK) return st;
      set_list(p, x, &l);
      *out = x;
      return ORB_OK;
    }
    if (strcmp(w, "cast") == 0 && oql_p_peek(p, 1)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
      oql_p_advance(p);
      oql_p_advance(p);
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_CAST, pos);
      if ((st = oql_p_expr(p, &x->l)) != ORB_OK || (st = oql_p_expect(p, "as")) != ORB_OK ||
          (st = oql_p_typename(p, &x->tname)) != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK)
        return st;
      *out = x;
      return ORB_OK;
    }
    if (strcmp(w, "exists") == 0 && oql_p_peek(p, 1)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
      oql_p_advance(p);
      oql_p_advance(p);
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_EXISTS, pos);
      if ((st = oql_p_enter(p)) != ORB_OK) return st;
      st = oql_p_select(p, &x->sub);
      oql_p_leave(p);
      if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
      *out = x;
      return ORB_OK;
    }
    /* the SQL-standard functions written without parentheses (current_schema
    ** and current_catalog also with them, as in PostgreSQL) */
    if ((strcmp(w, "current_user") == 0 || strcmp(w, "session_user") == 0 || strcmp(w, "current_role") == 0 ||
         strcmp(w, "user") == 0 || strcmp(w, "current_schema") == 0 || strcmp(w, "current_catalog") == 0) &&
        !(oql_p_peek(p, 1)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 1)->text, "(") == 0 &&
          (strcmp(w, "current_schema") == 0 || strcmp(w, "current_catalog") == 0))) {
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_CALL, pos);
      x->name = w;
      oql_p_advance(p);
      *out = x;
      return ORB_OK;
    }
    if (strcmp(w, "current_date") == 0 || strcmp(w, "current_timestamp") == 0 || strcmp(w, "localtimestamp") == 0 ||
        strcmp(w, "current_time") == 0 || strcmp(w, "localtime") == 0) {
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_CALL, pos);
      x->name = w;
      oql_p_advance(p);
      if (oql_p_accept_op(p, "(")) {   /* precision: accepted and ignored */
        if (oql_p_tok(p)->kind != OQL_T_NUMBER) return oql_p_syntax(p);
        oql_p_advance(p);
        if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
      }
      *out = x;
      return ORB_OK;
    }
    if (typed_literal_start(p)) {
      bool ok;
      if ((st = typed_literal(p, out, &ok)) != ORB_OK) return st;
      if (ok) return ORB_OK;
    }
    if (oql_p_reserved(w)) return oql_p_syntax(p);
  }
  /* function call or column reference */
  if (oql_p_peek(p, 1)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
    oql_p_advance(p);
    return p_call(p, w, pos, out);
  }
  oql_p_advance(p);
  if (oql_p_accept_op(p, ".")) {
    if ((strcmp(w, "pg_catalog") == 0 || strcmp(w, "public") == 0 || strcmp(w, "information_schema") == 0) &&
        oql_p_tok(p)->kind == OQL_T_IDENT &&
        oql_p_peek(p, 1)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
      /* a schema-qualified function: the builtins live in pg_catalog (information_schema's _pg_expandarray too) */
      const char *fn = oql_p_tok(p)->text;
      oql_p_advance(p);
      return p_call(p, fn, pos, out);
    }
    if (oql_p_is_op(p, "*")) {
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_STAR, pos);
      x->qual = w;
      oql_p_advance(p);
      *out = x;
      return ORB_OK;
    }
    const char *col;
    int cpos;
    if ((st = oql_p_ident(p, &col, &cpos)) != ORB_OK) return st;
    const char *qual = w;
    if (oql_p_accept_op(p, ".")) {
      /* schema.table.column (or schema.table.*), as ORMs write catalog queries: the schemas Orbit has */
      if (strcmp(w, "pg_catalog") != 0 && strcmp(w, "public") != 0 && strcmp(w, "information_schema") != 0)
        return orb_err_setx(p->e, ORB_ERR_UNDEFINED, "42P01", pos, "missing FROM-clause entry for table \"%s\"", col);
      qual = col;
      if (oql_p_is_op(p, "*")) {
        oql_expr_ast *x = oql_p_new_expr(p, OQL_X_STAR, pos);
        x->qual = qual;
        oql_p_advance(p);
        *out = x;
        return ORB_OK;
      }
      if ((st = oql_p_ident(p, &col, &cpos)) != ORB_OK) return st;
    }
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_COLUMN, pos);
    x->qual = qual;
    x->name = col;
    *out = x;
    return ORB_OK;
  }
  oql_expr_ast *x = oql_p_new_expr(p, OQL_X_COLUMN, pos);
  x->name = w;
  *out = x;
  return ORB_OK;
}

/* --- operators, tightest first ------------------------------------------------- */

/* COLLATE name: Orbit compares text bytewise (the C collation), so only the
** names that mean that are accepted, and they change nothing. */
static orb_status p_collate(oql_parser *p) {
  oql_p_advance(p);
  /* [schema.]name, where name may be a key word (pg_catalog.default) */
  const oql_token *k = oql_p_tok(p);
  if (k->kind != OQL_T_IDENT && k->kind != OQL_T_QIDENT) return oql_p_syntax(p);
  oql_p_advance(p);
  if (oql_p_accept_op(p, ".")) {
    k = oql_p_tok(p);
    if (k->kind != OQL_T_IDENT && k->kind != OQL_T_QIDENT) return oql_p_syntax(p);
    oql_p_advance(p);
  }
  const char *name = k->text;
  int pos = k->pos;
  if (strcmp(name, "default") != 0 && strcmp(name, "C") != 0 && strcmp(name, "POSIX") != 0 && strcmp(name, "c") != 0)
    return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", pos, "collation \"%s\" is not supported (text compares bytewise, as C)",
                        name);
  return ORB_OK;
}

static orb_status p_cast(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_primary(p, out);
  while (st == ORB_OK && oql_p_is_op(p, "[")) {   /* subscripts bind tighter than :: */
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_SUBSCRIPT, oql_p_tok(p)->pos);
    oql_p_advance(p);
    x->l = *out;
    if ((st = oql_p_expr(p, &x->r)) != ORB_OK) return st;
    if (oql_p_is_op(p, ":"))
      return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "array slices are not supported");
    if ((st = oql_p_expect_op(p, "]")) != ORB_OK) return st;
    *out = x;
  }
  while (st == ORB_OK && oql_p_is(p, "collate")) st = p_collate(p);
  while (st == ORB_OK && oql_p_is_op(p, "::")) {
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_CAST, oql_p_tok(p)->pos);
    oql_p_advance(p);
    x->l = *out;
    if ((st = oql_p_typename(p, &x->tname)) != ORB_OK) return st;
    *out = x;
  }
  return st;
}

static orb_status p_unary(oql_parser *p, oql_expr_ast **out) {
  if (oql_p_is_op(p, "-") || oql_p_is_op(p, "+")) {
    int pos = oql_p_tok(p)->pos;
    bool neg = oql_p_is_op(p, "-");
    orb_status st = oql_p_enter(p);
    if (st != ORB_OK) return st;
    oql_p_advance(p);
    oql_expr_ast *x;
    st = p_unary(p, &x);
    oql_p_leave(p);
    if (st != ORB_OK) return st;
    if (neg && x->kind == OQL_X_NUMBER && x->text[0] != '-') {
      /* fold the sign into the constant so that -9223372036854775808 is a bigint */
      x->text = orb_arena_sprintf(p->a, "-%s", x->text);
      x->len++;
      x->pos = pos;
      *out = x;
      return ORB_OK;
    }
    oql_expr_ast *u = oql_p_new_expr(p, OQL_X_UNARY, pos);
    u->op = neg ? OQL_OP_NEG : OQL_OP_PLUS;
    u->l = x;
    *out = u;
    return ORB_OK;
  }
  return p_cast(p, out);
}

static orb_status p_pow(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_unary(p, out);
  while (st == ORB_OK && oql_p_is_op(p, "^")) {
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_expr_ast *r;
    if ((st = p_unary(p, &r)) != ORB_OK) return st;
    *out = binary(p, OQL_OP_POW, *out, r, pos);
  }
  return st;
}

static orb_status p_mul(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_pow(p, out);
  for (;;) {
    if (st != ORB_OK) return st;
    oql_binop op;
    if (oql_p_is_op(p, "*")) op = OQL_OP_MUL;
    else if (oql_p_is_op(p, "/")) op = OQL_OP_DIV;
    else if (oql_p_is_op(p, "%")) op = OQL_OP_MOD;
    else return ORB_OK;
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_expr_ast *r;
    if ((st = p_pow(p, &r)) != ORB_OK) return st;
    *out = binary(p, op, *out, r, pos);
  }
}

static orb_status p_add(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_mul(p, out);
  for (;;) {
    if (st != ORB_OK) return st;
    oql_binop op;
    if (oql_p_is_op(p, "+")) op = OQL_OP_ADD;
    else if (oql_p_is_op(p, "-")) op = OQL_OP_SUB;
    else return ORB_OK;
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_expr_ast *r;
    if ((st = p_mul(p, &r)) != ORB_OK) return st;
    *out = binary(p, op, *out, r, pos);
  }
}

static bool json_op(oql_parser *p, oql_binop *op) {
  static const struct { const char *text; oql_binop op; } ops[] = {
      {"->", OQL_OP_JSON_GET},          {"->>", OQL_OP_JSON_GET_TEXT},    {"#>", OQL_OP_JSON_PATH},
      {"#>>", OQL_OP_JSON_PATH_TEXT},   {"?", OQL_OP_JSON_EXISTS},        {"?|", OQL_OP_JSON_EXISTS_ANY},
      {"?&", OQL_OP_JSON_EXISTS_ALL},   {"#-", OQL_OP_JSON_DELETE_PATH}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (oql_p_is_op(p, ops[i].text)) {
      *op = ops[i].op;
      return true;
    }
  return false;
}

/* PostgreSQL's "other" operators, left-associative at one precedence: || & | @> <@ &&
** and the json operators */
static orb_status p_other(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_add(p, out);
  for (;;) {
    if (st != ORB_OK) return st;
    oql_binop op;
    if (oql_p_is_op(p, "||")) op = OQL_OP_CONCAT;
    else if (oql_p_is_op(p, "&")) op = OQL_OP_BITAND;
    else if (oql_p_is_op(p, "|")) op = OQL_OP_BITOR;
    else if (oql_p_is_op(p, "@>")) op = OQL_OP_CONTAINS;
    else if (oql_p_is_op(p, "<@")) op = OQL_OP_CONTAINED;
    else if (oql_p_is_op(p, "&&")) op = OQL_OP_OVERLAP;
    else if (!json_op(p, &op)) return ORB_OK;
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_expr_ast *r;
    if ((st = p_add(p, &r)) != ORB_OK) return st;
    *out = binary(p, op, *out, r, pos);
  }
}

/* [NOT] BETWEEN / IN / LIKE / ILIKE */
static orb_status p_pred(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_other(p, out);
  for (;;) {
    if (st != ORB_OK) return st;
    int pos = oql_p_tok(p)->pos;
    bool neg = false;
    int k = 0;
    if (oql_p_is(p, "not")) {
      neg = true;
      k = 1;
    }
    const oql_token *t = oql_p_peek(p, k);
    int skip = k + 1;   /* tokens of the operator itself */
    if (!neg && oql_p_is(p, "operator") && oql_p_peek(p, 1)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
      /* OPERATOR([pg_catalog.]op): the explicit spelling psql uses; only the regex operators here */
      int j = 2;
      if (oql_p_peek_is(p, 2, "pg_catalog") && oql_p_peek(p, 3)->kind == OQL_T_OP && strcmp(oql_p_peek(p, 3)->text, ".") == 0)
        j = 4;
      const oql_token *op = oql_p_peek(p, j), *close = oql_p_peek(p, j + 1);
      if (op->kind != OQL_T_OP || !strchr(op->text, '~') || close->kind != OQL_T_OP || strcmp(close->text, ")") != 0)
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", pos,
                            "only OPERATOR(pg_catalog.~) and the other regular-expression operators are supported");
      t = op;
      skip = j + 2;
    }
    bool regex = t->kind == OQL_T_OP && strchr(t->text, '~') != NULL;
    if (t->kind != OQL_T_IDENT && !regex) return ORB_OK;
    oql_expr_ast *x;
    if (strcmp(t->text, "between") == 0) {
      p->i += k + 1;
      if (!oql_p_accept(p, "asymmetric") && oql_p_is(p, "symmetric"))
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos, "BETWEEN SYMMETRIC is not supported yet");
      x = oql_p_new_expr(p, OQL_X_BETWEEN, pos);
      oql_expr_ast *lo, *hi;
      if ((st = p_other(p, &lo)) != ORB_OK || (st = oql_p_expect(p, "and")) != ORB_OK ||
          (st = p_other(p, &hi)) != ORB_OK)
        return st;
      oql_plist l = {0};
      oql_plist_add(p, &l, lo);
      oql_plist_add(p, &l, hi);
      set_list(p, x, &l);
    } else if (strcmp(t->text, "in") == 0) {
      p->i += k + 1;
      x = oql_p_new_expr(p, OQL_X_IN, pos);
      if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
      if (oql_p_is(p, "select") || oql_p_is(p, "values") || oql_p_is(p, "with")) {
        if ((st = oql_p_enter(p)) != ORB_OK) return st;
        st = oql_p_select(p, &x->sub);
        oql_p_leave(p);
        if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
        x->negate = neg;
        x->l = *out;
        *out = x;
        continue;
      }
      oql_plist l = {0};
      if ((st = oql_p_expr_list(p, &l)) != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
      set_list(p, x, &l);
    } else if (strcmp(t->text, "like") == 0 || strcmp(t->text, "ilike") == 0) {
      p->i += k + 1;
      x = oql_p_new_expr(p, OQL_X_LIKE, pos);
      x->icase = t->text[0] == 'i';
      if ((st = p_other(p, &x->r)) != ORB_OK) return st;
      if (oql_p_is(p, "escape"))
        return orb_err_setx(p->e, ORB_ERR_UNSUPPORTED, "0A000", oql_p_tok(p)->pos,
                            "LIKE ... ESCAPE is not supported yet (backslash is the escape character)");
    } else if (strcmp(t->text, "similar") == 0 && oql_p_peek_is(p, k + 1, "to")) {
      /* s [NOT] SIMILAR TO p [ESCAPE e]: as PostgreSQL, s ~ similar_to_escape(p [, e]) */
      p->i += k + 2;
      oql_expr_ast *pat, *esc = NULL;
      if ((st = p_other(p, &pat)) != ORB_OK) return st;
      if (oql_p_accept(p, "escape") && (st = p_other(p, &esc)) != ORB_OK) return st;
      oql_expr_ast *conv = oql_p_new_expr(p, OQL_X_CALL, pos);
      conv->name = "similar_to_escape";
      oql_plist cl = {0};
      oql_plist_add(p, &cl, pat);
      if (esc) oql_plist_add(p, &cl, esc);
      set_list(p, conv, &cl);
      oql_expr_ast *call = oql_p_new_expr(p, OQL_X_CALL, pos);
      call->name = "regexp_like";
      oql_plist l = {0};
      oql_plist_add(p, &l, *out);
      oql_plist_add(p, &l, conv);
      set_list(p, call, &l);
      if (neg) {
        x = oql_p_new_expr(p, OQL_X_UNARY, pos);
        x->op = OQL_OP_NOT;
        x->l = call;
        *out = x;
      } else {
        *out = call;
      }
      continue;
    } else if (regex && !neg) {
      /* POSIX regular expressions: a ~ b, a ~* b, a !~ b, a !~* b */
      const char *op = t->text;
      p->i += skip;
      oql_expr_ast *call = oql_p_new_expr(p, OQL_X_CALL, pos);
      call->name = "regexp_like";
      oql_expr_ast *r;
      if ((st = p_other(p, &r)) != ORB_OK) return st;
      oql_plist l = {0};
      oql_plist_add(p, &l, *out);
      oql_plist_add(p, &l, r);
      if (strchr(op, '*')) {
        oql_expr_ast *flags = oql_p_new_expr(p, OQL_X_STRING, pos);
        flags->text = "i";
        flags->len = 1;
        oql_plist_add(p, &l, flags);
      }
      set_list(p, call, &l);
      if (op[0] == '!') {
        x = oql_p_new_expr(p, OQL_X_UNARY, pos);
        x->op = OQL_OP_NOT;
        x->l = call;
        *out = x;
      } else {
        *out = call;
      }
      continue;
    } else {
      return ORB_OK;
    }
    x->negate = neg;
    x->l = *out;
    *out = x;
  }
}

static orb_status p_cmp(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_pred(p, out);
  if (st != ORB_OK) return st;
  static const struct { const char *op; oql_binop b; } cmps[] = {
      {"=", OQL_OP_EQ}, {"<>", OQL_OP_NE}, {"!=", OQL_OP_NE}, {"<", OQL_OP_LT},
      {"<=", OQL_OP_LE}, {">", OQL_OP_GT}, {">=", OQL_OP_GE}};
  for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
    if (oql_p_is_op(p, cmps[i].op)) {
      int pos = oql_p_tok(p)->pos;
      oql_p_advance(p);
      oql_expr_ast *r;
      if ((oql_p_is(p, "any") || oql_p_is(p, "some") || oql_p_is(p, "all")) && oql_p_peek(p, 1)->kind == OQL_T_OP &&
          strcmp(oql_p_peek(p, 1)->text, "(") == 0) {
        /* x op ANY|SOME|ALL (array) or (SELECT ...) */
        oql_expr_ast *x = oql_p_new_expr(p, OQL_X_ANY, pos);
        x->op = cmps[i].b;
        x->ival = oql_p_is(p, "all");
        x->l = *out;
        oql_p_advance(p);
        oql_p_advance(p);
        if (oql_p_is(p, "select") || oql_p_is(p, "values") || oql_p_is(p, "with")) {
          if ((st = oql_p_enter(p)) != ORB_OK) return st;
          st = oql_p_select(p, &x->sub);
          oql_p_leave(p);
        } else {
          st = oql_p_expr(p, &x->r);
        }
        if (st != ORB_OK || (st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
        *out = x;
        return ORB_OK;
      }
      if ((st = p_pred(p, &r)) != ORB_OK) return st;
      *out = binary(p, cmps[i].b, *out, r, pos);
      for (size_t j = 0; j < sizeof cmps / sizeof cmps[0]; j++)
        if (oql_p_is_op(p, cmps[j].op)) return oql_p_syntax(p);   /* comparisons do not chain */
      return ORB_OK;
    }
  return ORB_OK;
}

static orb_status p_is(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_cmp(p, out);
  for (;;) {
    if (st != ORB_OK) return st;
    int pos = oql_p_tok(p)->pos;
    if (oql_p_accept(p, "isnull") || oql_p_accept(p, "notnull")) {
      oql_expr_ast *x = oql_p_new_expr(p, OQL_X_IS, pos);
      x->ival = OQL_IS_NULL;
      x->negate = strcmp(oql_p_peek(p, -1)->text, "notnull") == 0;
      x->l = *out;
      *out = x;
      continue;
    }
    if (!oql_p_accept(p, "is")) return ORB_OK;
    bool neg = oql_p_accept(p, "not");
    oql_expr_ast *x;
    if (oql_p_accept(p, "distinct")) {
      if ((st = oql_p_expect(p, "from")) != ORB_OK) return st;
      x = oql_p_new_expr(p, OQL_X_DISTINCT, pos);
      if ((st = p_cmp(p, &x->r)) != ORB_OK) return st;
    } else {
      x = oql_p_new_expr(p, OQL_X_IS, pos);
      if (oql_p_accept(p, "null")) x->ival = OQL_IS_NULL;
      else if (oql_p_accept(p, "true")) x->ival = OQL_IS_TRUE;
      else if (oql_p_accept(p, "false")) x->ival = OQL_IS_FALSE;
      else if (oql_p_accept(p, "unknown")) x->ival = OQL_IS_UNKNOWN;
      else return oql_p_syntax(p);
    }
    x->negate = neg;
    x->l = *out;
    *out = x;
  }
}

static orb_status p_not(oql_parser *p, oql_expr_ast **out) {
  if (oql_p_is(p, "not")) {
    int pos = oql_p_tok(p)->pos;
    orb_status st = oql_p_enter(p);
    if (st != ORB_OK) return st;
    oql_p_advance(p);
    oql_expr_ast *x = oql_p_new_expr(p, OQL_X_UNARY, pos);
    x->op = OQL_OP_NOT;
    st = p_not(p, &x->l);
    oql_p_leave(p);
    *out = x;
    return st;
  }
  return p_is(p, out);
}

static orb_status p_and(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_not(p, out);
  while (st == ORB_OK && oql_p_is(p, "and")) {
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_expr_ast *r;
    if ((st = p_not(p, &r)) != ORB_OK) return st;
    *out = binary(p, OQL_OP_AND, *out, r, pos);
  }
  return st;
}

static orb_status p_or(oql_parser *p, oql_expr_ast **out) {
  orb_status st = p_and(p, out);
  while (st == ORB_OK && oql_p_is(p, "or")) {
    int pos = oql_p_tok(p)->pos;
    oql_p_advance(p);
    oql_expr_ast *r;
    if ((st = p_and(p, &r)) != ORB_OK) return st;
    *out = binary(p, OQL_OP_OR, *out, r, pos);
  }
  return st;
}

orb_status oql_p_expr(oql_parser *p, oql_expr_ast **out) {
  orb_status st = oql_p_enter(p);
  if (st != ORB_OK) return st;
  st = p_or(p, out);
  oql_p_leave(p);
  return st;
}
