/* query/binder_expr.c — building bound expressions with PostgreSQL typing
** (see binder_int.h).  The AST walker binds operands first and calls these. */
#include "query/binder_int.h"

#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "expr/func.h"

/* A column of an enclosing query: bound there (recursively further out),
** passed in as an outer value of this subquery. */
static orb_status outer_column(oql_selctx *c, const char *qual, const char *name, int pos, orb_expr **out,
                               orb_err *e) {
  oql_corr *k = c->corr;
  orb_expr *x;
  orb_status st = oql_b_column(k->outer, qual, name, pos, &x, e);
  if (st != ORB_OK) return st;
  int slot = -1;
  for (int i = 0; i < k->n && slot < 0; i++)
    if (oql_expr_same(k->args[i], x)) slot = i;
  if (slot < 0) {
    if (k->n == k->cap) {
      int cap = k->cap ? k->cap * 2 : 4;
      orb_expr **na = orb_arena_alloc(c->b->a, sizeof(orb_expr *) * (size_t)cap);
      if (k->n) memcpy(na, k->args, sizeof(orb_expr *) * (size_t)k->n);
      k->args = na;
      k->cap = cap;
    }
    slot = k->n;
    k->args[k->n++] = x;
  }
  orb_expr *o = orb_expr_new(c->b->a, ORB_E_OUTER, x->type, 0);
  o->slot = slot;
  o->pos = pos;
  *out = o;
  return ORB_OK;
}

/* Does any query level, c or one it is nested in, have a column `name`? */
static bool column_in_any_level(const oql_selctx *c, const char *name) {
  for (; c; c = c->corr ? c->corr->outer : NULL)
    for (int i = 0; i < c->scope.n; i++)
      if (strcmp(c->scope.cols[i].name, name) == 0) return true;
  return false;
}

/* `t` naming a FROM item of c rather than a column: the whole row, a record
** of its columns in order (PostgreSQL's whole-row reference; it prints as
** "(1,abc)").  Returns false when no FROM item of c is called `name`. */
static bool whole_row(oql_selctx *c, const char *name, int pos, orb_expr **out, orb_err *e, orb_status *st) {
  int n = 0;
  for (int i = 0; i < c->scope.n; i++) {
    const oql_scope_col *sc = &c->scope.cols[i];
    if (!sc->qual || sc->system || strcmp(sc->qual, name) != 0) continue;
    for (int j = 0; j < i; j++)   /* two FROM items by one name: only `excluded` as an INSERT's alias */
      if (c->scope.cols[j].qual && strcmp(c->scope.cols[j].qual, name) == 0 &&
          strcmp(c->scope.cols[j].name, sc->name) == 0) {
        *st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42P09", pos, "table reference \"%s\" is ambiguous", name);
        return true;
      }
    n++;
  }
  if (n == 0) return false;
  orb_expr *x = orb_expr_new(c->b->a, ORB_E_ROW, orb_type_make(ORB_T_RECORD), n);
  x->pos = pos;
  n = 0;
  for (int i = 0; i < c->scope.n; i++) {
    const oql_scope_col *sc = &c->scope.cols[i];
    if (!sc->qual || sc->system || strcmp(sc->qual, name) != 0) continue;
    x->args[n] = orb_expr_column(c->b->a, sc->gid, sc->type);
    x->args[n++]->pos = pos;
  }
  *out = x;
  *st = ORB_OK;
  return true;
}

/* Edit distance (insertions, deletions and substitutions cost 1), capped:
** any distance above `most` is reported as most + 1. */
static int edit_distance(const char *a, const char *b, int most) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la - lb > most || lb - la > most) return most + 1;
  if (lb > 63) return most + 1;   /* identifiers are at most 63 bytes */
  int prev[64], cur[64];
  for (int j = 0; j <= lb; j++) prev[j] = j;
  for (int i = 1; i <= la; i++) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; j++) {
      int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      int del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      if (cur[j] < row_min) row_min = cur[j];
    }
    if (row_min > most) return most + 1;
    memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
  }
  return prev[lb] > most ? most + 1 : prev[lb];
}

/* PostgreSQL's HINT for a column that does not exist: the column of the
** scope nearest to the name (and qualifier) written, or the two equally near;
** none when more are, or when the nearest differs in more than half the
** name's characters or by more than 3 edits in all. */
static void hint_nearest_column(const oql_selctx *c, const char *qual, const char *name, orb_err *e) {
  enum { MOST = 3 };
  const oql_scope_col *first = NULL, *second = NULL;
  int best = MOST + 1;
  int half = (int)strlen(name) / 2;
  for (int i = 0; i < c->scope.n; i++) {
    const oql_scope_col *sc = &c->scope.cols[i];
    if (sc->using_hidden || !sc->qual || (qual && !*qual)) continue;
    int penalty = qual ? edit_distance(qual, sc->qual, MOST) : 0;
    int d = edit_distance(name, sc->name, MOST);
    if (d > half || penalty + d > MOST) continue;
    d += penalty;
    if (d < best) {
      best = d, first = sc, second = NULL;
    } else if (d == best && first) {
      if (second) first = second = NULL;   /* three alike: no suggestion at this distance */
      else second = sc;
    }
  }
  if (!e || !first) return;
  if (second)
    orb_err_hint(e, "Perhaps you meant to reference the column \"%s.%s\" or the column \"%s.%s\".", first->qual,
                 first->name, second->qual, second->name);
  else
    orb_err_hint(e, "Perhaps you meant to reference the column \"%s.%s\".", first->qual, first->name);
}

orb_status oql_b_column(oql_selctx *c, const char *qual, const char *name, int pos, orb_expr **out, orb_err *e) {
  const oql_scope_col *found = NULL;
  bool qual_seen = false;
  for (int i = 0; i < c->scope.n; i++) {
    const oql_scope_col *sc = &c->scope.cols[i];
    if (qual) {
      if (!sc->qual || strcmp(sc->qual, qual) != 0) continue;
      qual_seen = true;
    } else if (sc->using_hidden) {
      continue;
    }
    if (strcmp(sc->name, name) != 0) continue;
    if (found && (found->merged || sc->merged || found->gid != sc->gid)) {
      /* one qualifier naming two tables: only `excluded` as the alias of an
      ** INSERT's target gets here (FROM refuses a repeated name) */
      if (qual) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P09", pos, "table reference \"%s\" is ambiguous", qual);
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42702", pos, "column reference \"%s\" is ambiguous", name);
    }
    found = sc;
  }
  /* a column of any level wins over a whole row; the innermost row over an outer one */
  orb_status wst;
  if (!found && !qual && !column_in_any_level(c, name) && whole_row(c, name, pos, out, e, &wst)) return wst;
  if (!found && c->corr && c->corr->outer) {
    orb_err oe;
    orb_err_clear(&oe);
    if (outer_column(c, qual, name, pos, out, &oe) == ORB_OK) return ORB_OK;
    if (oe.code != ORB_ERR_UNDEFINED) {   /* found outside but unusable: that error */
      if (e) *e = oe;
      return oe.code;
    }
  }
  if (!found) {
    if (qual && !qual_seen) return oql_missing_rte(c, qual, pos, e);
    if (qual) orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos, "column %s.%s does not exist", qual, name);
    else orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos, "column \"%s\" does not exist", name);
    hint_nearest_column(c, qual, name, e);
    return ORB_ERR_UNDEFINED;
  }
  *out = oql_scope_col_expr(c->b, found, pos);
  return ORB_OK;
}

void oql_binder_declare_params(oql_binder *b, int n, const orb_type *types) {
  if (n <= 0) return;
  (void)oql_b_param(b, n, 0);   /* makes the slots */
  for (int i = 0; i < n; i++) b->param_types[i] = types[i];
}

orb_expr *oql_b_param(oql_binder *b, int n, int pos) {
  if (n > b->nparams) {
    if (n > b->pcap) {
      int cap = b->pcap ? b->pcap : 8;
      while (cap < n) cap *= 2;
      orb_type *nt = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)cap);
      if (b->nparams) memcpy(nt, b->param_types, sizeof(orb_type) * (size_t)b->nparams);
      b->param_types = nt;
      b->pcap = cap;
    }
    for (int i = b->nparams; i < n; i++) b->param_types[i] = orb_type_make(ORB_T_NULL);
    b->nparams = n;
  }
  orb_expr *x = orb_expr_new(b->a, ORB_E_PARAM, b->param_types[n - 1], 0);
  x->slot = n - 1;
  x->pos = pos;
  return x;
}

orb_expr *oql_b_string(oql_binder *b, const char *s, size_t n, int pos) {
  orb_value v = orb_text(orb_arena_strndup(b->a, s, n), n);
  orb_expr *x = oql_mk_const(b, v, orb_type_make(ORB_T_TEXT), pos);
  x->flags |= OQL_EF_UNKNOWN;
  return x;
}

orb_expr *oql_b_null(oql_binder *b, int pos) {
  return oql_mk_const(b, orb_null(ORB_T_NULL), orb_type_make(ORB_T_NULL), pos);
}

orb_expr *oql_b_bool(oql_binder *b, bool v, int pos) { return oql_mk_const(b, orb_bool(v), orb_type_make(ORB_T_BOOL), pos); }

orb_status oql_b_typed_literal(oql_binder *b, orb_type t, const char *s, size_t n, int pos, orb_expr **out,
                               orb_err *e) {
  orb_value v;
  orb_status st = orb_value_from_text(s, n, t, b->a, &v, e);
  if (st != ORB_OK) {
    if (!e->pos) e->pos = pos;
    return st;
  }
  *out = oql_mk_const(b, v, t, pos);
  return ORB_OK;
}

/* A parameter whose type is still unknown refers to b->param_types; keep the node in sync. */
static void sync_param(oql_binder *b, orb_expr *x) {
  if (x->kind == ORB_E_PARAM && x->slot < b->nparams && x->type.id == ORB_T_NULL) x->type = b->param_types[x->slot];
}

orb_status oql_b_cmp(oql_binder *b, orb_cmp_op op, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  sync_param(b, l);
  sync_param(b, r);
  orb_status st = oql_unify(b, &l, &r, pos, e);
  if (st == ORB_OK && l->type.id == ORB_T_JSON) st = ORB_ERR_UNDEFINED;   /* json has no comparison operators */
  if (st != ORB_OK) {
    static const char *ops[] = {"=", "<>", "<", "<=", ">", ">="};
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s %s %s", oql_type_name(b, l),
                        ops[op], oql_type_name(b, r));
  }
  *out = oql_mk_cmp(b, op, l, r, pos);
  return ORB_OK;
}

static bool is_datetime(orb_type_id t) {
  return t == ORB_T_DATE || t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ || t == ORB_T_TIME;
}

orb_status oql_b_arith(oql_binder *b, orb_arith_op op, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  sync_param(b, l);
  sync_param(b, r);
  orb_status st;
  if (op == ORB_ARITH_SUB && oql_is_jsonb_operand(l)) return oql_b_json_op(b, OQL_OP_SUB, l, r, pos, out, e);
  /* an unknown operand takes the other's type (an interval next to a date/time for + and -) */
  bool ul = oql_is_unknown(l), ur = oql_is_unknown(r);
  if (ul && ur) {
    st = oql_coerce(b, &l, orb_type_make(ORB_T_FLOAT64), e);
    if (st == ORB_OK) st = oql_coerce(b, &r, orb_type_make(ORB_T_FLOAT64), e);
    if (st != ORB_OK) return st;
  } else if (ul || ur) {
    orb_expr **u = ul ? &l : &r;
    const orb_expr *k = ul ? r : l;
    orb_type t = k->type;
    if (k->type.id == ORB_T_NULL) t = orb_type_make(ORB_T_FLOAT64);
    if (is_datetime((orb_type_id)k->type.id) && (op == ORB_ARITH_ADD || (op == ORB_ARITH_SUB && ur)))
      t = orb_type_make(ORB_T_INTERVAL);
    if ((st = oql_coerce(b, u, t, e)) != ORB_OK) return st;
  }
  /* NULL literals take the other side's type */
  if (l->type.id == ORB_T_NULL && r->type.id != ORB_T_NULL) oql_coerce(b, &l, r->type, e);
  if (r->type.id == ORB_T_NULL && l->type.id != ORB_T_NULL) oql_coerce(b, &r, l->type, e);
  if (l->type.id == ORB_T_NULL && r->type.id == ORB_T_NULL) {
    oql_coerce(b, &l, orb_type_make(ORB_T_INT32), e);
    oql_coerce(b, &r, orb_type_make(ORB_T_INT32), e);
  }
  orb_type rt;
  orb_err tmp;
  if (orb_arith_type(op, l->type, r->type, &rt, &tmp) != ORB_OK) {
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s %s %s", oql_type_name(b, l),
                        orb_arith_op_name(op), oql_type_name(b, r));
  }
  orb_expr *x = orb_expr_new(b->a, ORB_E_ARITH, rt, 2);
  x->op = (uint8_t)op;
  x->args[0] = l;
  x->args[1] = r;
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_no_function(oql_binder *b, const char *name, orb_expr *const *args, int n, int pos, orb_err *e) {
  orb_buf sig = ORB_BUF_INIT;
  for (int i = 0; i < n; i++) {
    if (i) orb_buf_puts(&sig, ", ");
    orb_buf_puts(&sig, oql_type_name(b, args[i]));
  }
  orb_status st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s(%s) does not exist", name,
                               sig.data ? sig.data : "");
  orb_buf_free(&sig);
  return st;
}

orb_status oql_b_concat(oql_binder *b, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  orb_type text = orb_type_make(ORB_T_TEXT);
  orb_status st;
  sync_param(b, l);
  sync_param(b, r);
  if (oql_is_array_operand(l) || oql_is_array_operand(r)) return oql_b_array_concat(b, l, r, pos, out, e);
  /* jsonb || jsonb (an untyped literal on one side is a jsonb); jsonb || text stays text's || */
  bool ul = oql_is_unknown(l) || l->type.id == ORB_T_NULL, ur = oql_is_unknown(r) || r->type.id == ORB_T_NULL;
  if ((oql_is_jsonb_operand(l) && (ur || oql_is_jsonb_operand(r))) || (ul && oql_is_jsonb_operand(r))) {
    if (ul && (st = oql_coerce(b, &l, orb_type_make(ORB_T_JSONB), e)) != ORB_OK) return st;
    return oql_b_json_op(b, OQL_OP_CONCAT, l, r, pos, out, e);
  }
  orb_expr *side[2] = {l, r};
  for (int i = 0; i < 2; i++) {
    sync_param(b, side[i]);
    orb_type_id t = (orb_type_id)side[i]->type.id;
    if (t == ORB_T_BYTEA && !oql_is_unknown(side[i])) continue;
    if ((st = oql_coerce(b, &side[i], text, e)) != ORB_OK) return st;
  }
  orb_type rt = side[0]->type.id == ORB_T_BYTEA && side[1]->type.id == ORB_T_BYTEA ? orb_type_make(ORB_T_BYTEA) : text;
  if (rt.id == ORB_T_TEXT)
    for (int i = 0; i < 2; i++)
      if (side[i]->type.id != ORB_T_TEXT && (st = oql_coerce(b, &side[i], text, e)) != ORB_OK) return st;
  orb_expr *x = orb_expr_new(b->a, ORB_E_ARITH, rt, 2);
  x->op = ORB_E_OP_CONCAT;
  x->args[0] = side[0];
  x->args[1] = side[1];
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_b_neg(oql_binder *b, orb_expr *x, int pos, orb_expr **out, orb_err *e) {
  sync_param(b, x);
  orb_status st;
  if (oql_is_unknown(x) && (st = oql_coerce(b, &x, orb_type_make(ORB_T_FLOAT64), e)) != ORB_OK) return st;
  orb_type_id t = (orb_type_id)x->type.id;
  if (!orb_type_is_numeric(t) && t != ORB_T_INTERVAL && t != ORB_T_NULL)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: - %s", oql_type_name(b, x));
  /* fold negative numeric literals right away: -9223372036854775808 must fit */
  if (x->kind == ORB_E_CONST && !x->value.isnull) {
    orb_value v;
    if (orb_negate(&x->value, &v, e) != ORB_OK) return e->code;   /* run-time overflow: no position */
    *out = oql_mk_const(b, v, x->type, pos);
    return ORB_OK;
  }
  orb_expr *n = orb_expr_new(b->a, ORB_E_ARITH, x->type, 1);
  n->op = ORB_E_OP_NEG;
  n->args[0] = x;
  n->pos = pos;
  *out = n;
  return ORB_OK;
}

orb_status oql_b_logic(oql_binder *b, orb_expr_kind kind, orb_expr *l, orb_expr *r, orb_expr **out, orb_err *e) {
  const char *what = kind == ORB_E_AND ? "AND" : "OR";
  orb_status st;
  if ((st = oql_require_bool(b, &l, what, e)) != ORB_OK) return st;
  if ((st = oql_require_bool(b, &r, what, e)) != ORB_OK) return st;
  /* flatten a AND (b AND c) into one n-ary node */
  int n = (l->kind == (int)kind ? l->nargs : 1) + (r->kind == (int)kind ? r->nargs : 1);
  orb_expr *x = orb_expr_new(b->a, kind, orb_type_make(ORB_T_BOOL), n);
  int k = 0;
  orb_expr *side[2] = {l, r};
  for (int s = 0; s < 2; s++) {
    if (side[s]->kind == (int)kind)
      for (int i = 0; i < side[s]->nargs; i++) x->args[k++] = side[s]->args[i];
    else
      x->args[k++] = side[s];
  }
  x->pos = l->pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_b_not(oql_binder *b, orb_expr *x, int pos, orb_expr **out, orb_err *e) {
  orb_status st = oql_require_bool(b, &x, "NOT", e);
  if (st != ORB_OK) return st;
  orb_expr *n = orb_expr_new(b->a, ORB_E_NOT, orb_type_make(ORB_T_BOOL), 1);
  n->args[0] = x;
  n->pos = pos;
  *out = n;
  return ORB_OK;
}

orb_expr *oql_b_is_null(oql_binder *b, orb_expr *x, bool negate, int pos) {
  orb_err ig;
  if (oql_is_unknown(x)) oql_coerce(b, &x, orb_type_make(ORB_T_TEXT), &ig);
  orb_expr *n = orb_expr_new(b->a, ORB_E_IS_NULL, orb_type_make(ORB_T_BOOL), 1);
  n->args[0] = x;
  n->flags = negate ? ORB_EF_NEGATE : 0;
  n->pos = pos;
  return n;
}

orb_status oql_b_is_bool(oql_binder *b, orb_expr *x, int which, bool negate, int pos, orb_expr **out, orb_err *e) {
  orb_status st = oql_require_bool(b, &x, "IS", e);
  if (st != ORB_OK) return st;
  orb_expr *n = orb_expr_new(b->a, ORB_E_IS_BOOL, orb_type_make(ORB_T_BOOL), 1);
  n->args[0] = x;
  n->op = (uint8_t)which;
  n->flags = negate ? ORB_EF_NEGATE : 0;
  n->pos = pos;
  *out = n;
  return ORB_OK;
}

orb_status oql_b_distinct_from(oql_binder *b, orb_expr *l, orb_expr *r, bool negate, int pos, orb_expr **out,
                               orb_err *e) {
  orb_status st = oql_unify(b, &l, &r, pos, e);
  if (st != ORB_OK) return st;
  orb_expr *n = orb_expr_new(b->a, ORB_E_DISTINCT, orb_type_make(ORB_T_BOOL), 2);
  n->args[0] = l;
  n->args[1] = r;
  n->flags = negate ? ORB_EF_NEGATE : 0;
  n->pos = pos;
  *out = n;
  return ORB_OK;
}

orb_status oql_b_in(oql_binder *b, orb_expr *x, orb_expr **list, int n, bool negate, int pos, orb_expr **out,
                    orb_err *e) {
  orb_expr **all = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  all[0] = x;
  for (int i = 0; i < n; i++) all[i + 1] = list[i];
  for (int i = 0; i <= n; i++) sync_param(b, all[i]);
  orb_type t;
  orb_status st = oql_unify_list(b, all, n + 1, pos, &t, e);
  if (st != ORB_OK) return st;
  orb_expr *r = orb_expr_new(b->a, ORB_E_IN, orb_type_make(ORB_T_BOOL), n + 1);
  for (int i = 0; i <= n; i++) r->args[i] = all[i];
  r->flags = negate ? ORB_EF_NEGATE : 0;
  r->pos = pos;
  *out = r;
  return ORB_OK;
}

orb_status oql_b_between(oql_binder *b, orb_expr *x, orb_expr *lo, orb_expr *hi, bool negate, int pos,
                         orb_expr **out, orb_err *e) {
  orb_expr *all[3] = {x, lo, hi};
  orb_type t;
  orb_status st = oql_unify_list(b, all, 3, pos, &t, e);
  if (st != ORB_OK) return st;
  /* x is referenced twice: the second use is a copy (plans rewrite slots in place) */
  orb_expr *x2 = orb_expr_clone(b->a, all[0]);
  orb_expr *ge = oql_mk_cmp(b, negate ? ORB_CMP_LT : ORB_CMP_GE, all[0], all[1], pos);
  orb_expr *le = oql_mk_cmp(b, negate ? ORB_CMP_GT : ORB_CMP_LE, x2, all[2], pos);
  *out = oql_mk_bool2(b, negate ? ORB_E_OR : ORB_E_AND, ge, le);
  return ORB_OK;
}

orb_status oql_b_like(oql_binder *b, orb_expr *x, orb_expr *pat, bool icase, bool negate, int pos, orb_expr **out,
                      orb_err *e) {
  orb_type text = orb_type_make(ORB_T_TEXT);
  orb_status st;
  sync_param(b, x);
  sync_param(b, pat);
  if (x->type.id != ORB_T_TEXT && !oql_is_unknown(x) && x->type.id != ORB_T_NULL)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "operator does not exist: %s ~~ %s", oql_type_name(b, x),
                        oql_type_name(b, pat));
  if ((st = oql_coerce(b, &x, text, e)) != ORB_OK) return st;
  if ((st = oql_coerce(b, &pat, text, e)) != ORB_OK) return st;
  orb_expr *n = orb_expr_new(b->a, ORB_E_LIKE, orb_type_make(ORB_T_BOOL), 2);
  n->args[0] = x;
  n->args[1] = pat;
  n->flags = (uint16_t)((negate ? ORB_EF_NEGATE : 0) | (icase ? ORB_EF_ICASE : 0));
  n->pos = pos;
  *out = n;
  return ORB_OK;
}

orb_status oql_b_case(oql_binder *b, orb_expr *operand, orb_expr **whens, orb_expr **thens, int n, orb_expr *el,
                      int pos, orb_expr **out, orb_err *e) {
  orb_status st;
  orb_expr **conds = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  if (operand) {
    /* CASE x WHEN v: the operand and the values meet at a common type; x is copied per test */
    orb_expr **all = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
    all[0] = operand;
    for (int i = 0; i < n; i++) all[i + 1] = whens[i];
    orb_type t;
    if ((st = oql_unify_list(b, all, n + 1, pos, &t, e)) != ORB_OK) return st;
    for (int i = 0; i < n; i++)
      conds[i] = oql_mk_cmp(b, ORB_CMP_EQ, i ? orb_expr_clone(b->a, all[0]) : all[0], all[i + 1], all[i + 1]->pos);
  } else {
    for (int i = 0; i < n; i++) {
      conds[i] = whens[i];
      if ((st = oql_require_bool(b, &conds[i], "CASE/WHEN", e)) != ORB_OK) return st;
    }
  }
  int nres = n + (el ? 1 : 0);
  orb_expr **res = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nres + 1));
  for (int i = 0; i < n; i++) res[i] = thens[i];
  if (el) res[n] = el;
  orb_type t;
  if ((st = oql_unify_list(b, res, nres, pos, &t, e)) != ORB_OK) return st;
  if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
  orb_expr *x = orb_expr_new(b->a, ORB_E_CASE, t, 2 * n + (el ? 1 : 0));
  for (int i = 0; i < n; i++) {
    x->args[2 * i] = conds[i];
    x->args[2 * i + 1] = res[i];
    if (res[i]->type.id == ORB_T_NULL) oql_coerce(b, &x->args[2 * i + 1], t, e);
  }
  if (el) {
    x->args[2 * n] = res[n];
    if (res[n]->type.id == ORB_T_NULL) oql_coerce(b, &x->args[2 * n], t, e);
    x->flags |= ORB_EF_HAS_ELSE;
  }
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_b_coalesce(oql_binder *b, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e) {
  orb_type t;
  orb_status st = oql_unify_list(b, args, n, pos, &t, e);
  if (st != ORB_OK) return st;
  if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
  orb_expr *x = orb_expr_new(b->a, ORB_E_COALESCE, t, n);
  for (int i = 0; i < n; i++) {
    x->args[i] = args[i];
    if (args[i]->type.id == ORB_T_NULL) oql_coerce(b, &x->args[i], t, e);
  }
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_b_nullif(oql_binder *b, orb_expr *l, orb_expr *r, int pos, orb_expr **out, orb_err *e) {
  orb_status st = oql_unify(b, &l, &r, pos, e);
  if (st != ORB_OK) return st;
  orb_type t = l->type.id == ORB_T_NULL ? orb_type_make(ORB_T_TEXT) : l->type;
  orb_expr *x = orb_expr_new(b->a, ORB_E_NULLIF, t, 2);
  x->args[0] = l;
  x->args[1] = r;
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_b_cast(oql_binder *b, orb_expr *x, orb_type t, int pos, orb_expr **out, orb_err *e) {
  sync_param(b, x);
  if ((t.id == ORB_T_ARRAY) != (x->type.id == ORB_T_ARRAY) && !oql_is_unknown(x) && x->type.id != ORB_T_NULL &&
      x->type.id != ORB_T_TEXT && t.id != ORB_T_TEXT) {   /* arrays convert to and from text and other arrays only */
    orb_buf tn = ORB_BUF_INIT;
    orb_type_format(t, &tn);
    orb_status st = orb_err_setx(e, ORB_ERR_TYPE, "42846", pos, "cannot cast type %s to %s", oql_type_name(b, x), tn.data);
    orb_buf_free(&tn);
    return st;
  }
  if (oql_is_unknown(x) || x->type.id == ORB_T_NULL) {
    orb_status st = oql_coerce(b, &x, t, e);
    if (st != ORB_OK) return st;
    *out = x;
    return ORB_OK;
  }
  if (x->kind == ORB_E_CONST && !x->value.isnull) {
    /* fold constant casts now; a failure is a run-time error in PostgreSQL (the cast is a
    ** function of a typed constant, 99999999999::int), so it has no position */
    orb_value v;
    orb_status st = orb_value_cast(&x->value, t, b->a, &v, e);
    if (st != ORB_OK) return st;
    *out = oql_mk_const(b, v, t, pos);
    return ORB_OK;
  }
  orb_expr *c = orb_expr_new(b->a, ORB_E_CAST, t, 1);
  c->args[0] = x;
  c->pos = pos;
  *out = c;
  return ORB_OK;
}

bool oql_is_agg_name(const char *name) {
  static const char *aggs[] = {"count", "sum", "avg", "min", "max", "string_agg", "array_agg",
                               "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg"};
  for (size_t i = 0; i < sizeof aggs / sizeof aggs[0]; i++)
    if (strcmp(name, aggs[i]) == 0) return true;
  return false;
}

orb_status oql_agg_spec_make(oql_binder *b, const char *name, orb_expr **args, int n, bool distinct, bool star,
                             int pos, oql_agg_spec *out, orb_err *e) {
  oql_agg_spec sp = {.fn = OQL_AGG_COUNT, .distinct = distinct, .type = orb_type_make(ORB_T_INT64)};
  if (strcmp(name, "string_agg") == 0) {
    if (n != 2 || star)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function string_agg with %d arguments does not exist", n);
    for (int i = 0; i < 2; i++) {
      sync_param(b, args[i]);
      if (args[i]->type.id != ORB_T_TEXT && !oql_is_unknown(args[i]) && args[i]->type.id != ORB_T_NULL)
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function string_agg(%s, %s) does not exist",
                            oql_type_name(b, args[0]), oql_type_name(b, args[1]));
      orb_status st = oql_coerce(b, &args[i], orb_type_make(ORB_T_TEXT), e);
      if (st != ORB_OK) return st;
    }
    sp.fn = OQL_AGG_STRING_AGG;
    sp.arg = args[0];
    sp.arg2 = args[1];
    sp.type = orb_type_make(ORB_T_TEXT);
  } else if (strcmp(name, "array_agg") == 0) {
    if (n != 1 || star)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function array_agg(%s) does not exist", star ? "*" : "...");
    sp.fn = OQL_AGG_ARRAY_AGG;
    sp.arg = args[0];
    if (oql_is_unknown(sp.arg) || sp.arg->type.id == ORB_T_NULL) {   /* array_agg(anynonarray) or (anyarray)? */
      orb_err_setx(e, ORB_ERR_UNDEFINED, "42725", pos, "function array_agg(unknown) is not unique");
      orb_err_hint(e, "Could not choose a best candidate function. You might need to add explicit type casts.");
      return e->code;
    }
    if (sp.arg->type.id == ORB_T_ARRAY || sp.arg->type.id == ORB_T_RECORD)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "array_agg of %s values is not supported",
                          oql_type_name(b, sp.arg));
    sp.type = orb_type_array((orb_type_id)sp.arg->type.id);
  } else if (strcmp(name, "json_agg") == 0 || strcmp(name, "jsonb_agg") == 0 || strcmp(name, "json_object_agg") == 0 ||
             strcmp(name, "jsonb_object_agg") == 0) {
    bool object = strstr(name, "object") != NULL;
    if (n != (object ? 2 : 1) || star)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s with %d arguments does not exist", name, n);
    for (int i = 0; i < n; i++) {
      sync_param(b, args[i]);
      if (oql_is_unknown(args[i]) || args[i]->type.id == ORB_T_NULL) {
        orb_status st = oql_coerce(b, &args[i], orb_type_make(ORB_T_TEXT), e);
        if (st != ORB_OK) return st;
      }
    }
    sp.fn = object ? OQL_AGG_JSON_OBJECT_AGG : OQL_AGG_JSON_AGG;
    sp.arg = args[0];
    sp.arg2 = object ? args[1] : NULL;
    sp.type = orb_type_make(name[4] == 'b' ? ORB_T_JSONB : ORB_T_JSON);
  } else if (strcmp(name, "count") == 0) {
    if (star || n == 0) {
      sp.fn = OQL_AGG_COUNT_STAR;
    } else if (n != 1) {
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function count with %d arguments does not exist", n);
    } else {
      sp.arg = args[0];
      if (oql_is_unknown(sp.arg)) oql_coerce(b, &sp.arg, orb_type_make(ORB_T_TEXT), e);
    }
  } else {
    if (n != 1 || star)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s(%s) does not exist", name,
                          star ? "*" : "...");
    sp.arg = args[0];
    if (oql_is_unknown(sp.arg)) {
      orb_status st = oql_coerce(b, &sp.arg, orb_type_make(strcmp(name, "min") == 0 || strcmp(name, "max") == 0
                                                                ? ORB_T_TEXT
                                                                : ORB_T_FLOAT64), e);
      if (st != ORB_OK) return st;
    }
    orb_type_id t = (orb_type_id)sp.arg->type.id;
    if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) {
      sp.fn = name[1] == 'i' ? OQL_AGG_MIN : OQL_AGG_MAX;
      sp.type = sp.arg->type;
      if (t == ORB_T_BOOL || t == ORB_T_BYTEA)
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s(%s) does not exist", name,
                            oql_type_name(b, sp.arg));
    } else if (strcmp(name, "sum") == 0) {
      sp.fn = OQL_AGG_SUM;
      if (t == ORB_T_INT16 || t == ORB_T_INT32) sp.type = orb_type_make(ORB_T_INT64);
      else if (t == ORB_T_INT64) sp.type = orb_type_decimal(ORB_DECIMAL_MAX_PRECISION, 0);
      else if (t == ORB_T_DECIMAL) sp.type = orb_type_decimal(ORB_DECIMAL_MAX_PRECISION, sp.arg->type.scale);
      else if (t == ORB_T_FLOAT32 || t == ORB_T_FLOAT64 || t == ORB_T_INTERVAL) sp.type = sp.arg->type;
      else
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function sum(%s) does not exist",
                            oql_type_name(b, sp.arg));
    } else {
      sp.fn = OQL_AGG_AVG;
      if (orb_type_is_integer(t) || t == ORB_T_DECIMAL) sp.type = orb_type_decimal(ORB_DECIMAL_MAX_PRECISION, 16);
      else if (orb_type_is_float(t)) sp.type = orb_type_make(ORB_T_FLOAT64);
      else if (t == ORB_T_INTERVAL) sp.type = sp.arg->type;
      else
        return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function avg(%s) does not exist",
                            oql_type_name(b, sp.arg));
    }
  }
  *out = sp;
  return ORB_OK;
}

static bool same_or_both_null(const orb_expr *x, const orb_expr *y) {
  return (!x && !y) || (x && y && oql_expr_same(x, y));
}

bool oql_agg_spec_same(const oql_agg_spec *x, const oql_agg_spec *y) {
  if (x->norder != y->norder || x->ngargs != y->ngargs) return false;
  for (int i = 0; i < x->ngargs; i++)
    if (!oql_expr_same(x->gargs[i], y->gargs[i])) return false;
  for (int i = 0; i < x->norder; i++)
    if (x->order[i].desc != y->order[i].desc || x->order[i].nulls_first != y->order[i].nulls_first ||
        !oql_expr_same(x->order[i].expr, y->order[i].expr))
      return false;
  return x->fn == y->fn && x->distinct == y->distinct && same_or_both_null(x->arg, y->arg) &&
         same_or_both_null(x->arg2, y->arg2) && same_or_both_null(x->filter, y->filter);
}

/* Register aggregate sp with the select (the same one twice is computed
** once): its marker column. */
static orb_status register_agg(oql_selctx *c, const oql_agg_spec *sp, int pos, orb_expr **out) {
  oql_binder *b = c->b;
  int idx = -1;
  for (int i = 0; i < c->naggs && idx < 0; i++)
    if (oql_agg_spec_same(&c->aggs[i], sp)) idx = i;
  if (idx < 0) {
    c->aggs = oql_arena_append(b->a, c->aggs, &c->naggs, &c->aggcap, sp, sizeof *sp);
    idx = c->naggs - 1;
  }
  orb_expr *m = orb_expr_column(b->a, -1 - idx, sp->type);
  m->pos = pos;
  *out = m;
  return ORB_OK;
}

orb_status oql_b_agg(oql_selctx *c, const char *name, orb_expr **args, int n, bool distinct, bool star,
                     orb_expr *filter, const oql_agg_order *order, int norder, int pos, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  if (!c->allow_aggs)
    return orb_err_setx(e, ORB_ERR_TYPE, "42803", pos, "aggregate functions are not allowed in %s",
                        c->agg_ctx ? c->agg_ctx : "this context");
  if (c->in_agg) return orb_err_setx(e, ORB_ERR_TYPE, "42803", pos, "aggregate function calls cannot be nested");
  oql_agg_spec sp;
  orb_status st = oql_agg_spec_make(b, name, args, n, distinct, star, pos, &sp, e);
  if (st != ORB_OK) return st;
  sp.filter = filter;
  sp.order = order;
  sp.norder = norder;
  /* with DISTINCT the order can only be of what is distinct, as PostgreSQL requires */
  for (int i = 0; distinct && i < norder; i++) {
    bool in_args = false;
    for (int k = 0; k < n && !in_args; k++) in_args = oql_expr_same(args[k], order[i].expr);
    if (!in_args)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", pos,
                          "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list");
  }
  return register_agg(c, &sp, pos, out);
}

orb_status oql_b_grouping(oql_selctx *c, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e) {
  if (!c->allow_aggs)
    return orb_err_setx(e, ORB_ERR_TYPE, "42803", pos, "grouping operations are not allowed in %s",
                        c->agg_ctx ? c->agg_ctx : "this context");
  if (n >= 32) return orb_err_setx(e, ORB_ERR_LIMIT, "54023", pos, "GROUPING must have fewer than 32 arguments");
  oql_agg_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.fn = OQL_AGG_GROUPING;
  sp.type = orb_type_make(ORB_T_INT32);
  sp.gargs = args;
  sp.ngargs = n;
  return register_agg(c, &sp, pos, out);   /* its values per set: oql_select_assemble */
}

orb_status oql_b_call(oql_selctx *c, const char *name, orb_expr **args, int n, bool distinct, bool star, int pos,
                      orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  if (oql_is_agg_name(name)) return oql_b_agg(c, name, args, n, distinct, star, NULL, NULL, 0, pos, out, e);
  if (strcmp(name, "nextval") == 0 || strcmp(name, "setval") == 0) b->uses_nextval = true;   /* a write: logged */
  if ((strcmp(name, "nextval") == 0 || strcmp(name, "setval") == 0 || strcmp(name, "currval") == 0) && n >= 1 &&
      args[0]->kind == ORB_E_CONST && !args[0]->value.isnull && orb_type_is_integer((orb_type_id)args[0]->type.id)) {
    /* nextval('s'::regclass), as defaults are written (pg_dump): the OID names the sequence */
    int64_t oid = args[0]->value.u.i;
    const orb_table *seq = NULL;
    for (int i = 0; i < orb_db_table_count(b->db) && !seq; i++)
      if (oql_cat_table_oid(orb_db_table_at(b->db, i)) == oid) seq = orb_db_table_at(b->db, i);
    if (!seq) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "could not open relation with OID %lld", (long long)oid);
    oql_binder_dep(b, (orb_table *)seq);
    args[0] = oql_const_text(b, seq->name, args[0]->pos);
  }
  if (strcmp(name, "coalesce") == 0) return oql_b_coalesce(b, args, n, pos, out, e);
  if (strcmp(name, "nullif") == 0 && n == 2) return oql_b_nullif(b, args[0], args[1], pos, out, e);
  if (strcmp(name, "row") == 0 && !distinct && !star) return oql_b_row(b, args, n, pos, out, e);
  if (oql_is_catalog_func(name) && !distinct && !star) return oql_b_catalog_func(c, name, args, n, pos, out, e);
  if (distinct || star)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42809", pos, "%s specified, but %s is not an aggregate function",
                        star ? "*" : "DISTINCT", name);
  const orb_func *f = orb_func_lookup(name);
  orb_type *types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    sync_param(b, args[i]);
    types[i] = oql_is_unknown(args[i]) || args[i]->type.id == ORB_T_NULL ? orb_type_make(ORB_T_TEXT) : args[i]->type;
  }
  orb_type rt;
  orb_err tmp;
  orb_err_clear(&tmp);
  bool ok = f && n >= f->min_args && (f->max_args < 0 || n <= f->max_args);
  if (ok) {
    /* NULL literals and unknowns are offered as text; a resolver may ask for another type */
    ok = f->resolve(f, n, types, &rt, &tmp) == ORB_OK;
  }
  if (!ok) {
    if (f && tmp.code != ORB_OK && tmp.code != ORB_ERR_UNDEFINED) {
      *e = tmp;
      if (!e->pos) e->pos = pos;
      return e->code;
    }
    return oql_no_function(b, name, args, n, pos, e);
  }
  orb_expr *x = orb_expr_new(b->a, ORB_E_FUNC, rt, n);
  x->func = f;
  x->pos = pos;
  for (int i = 0; i < n; i++) {
    x->args[i] = args[i];
    if (args[i]->type.id == ORB_T_NULL && !oql_is_unknown(args[i])) {
      x->args[i] = oql_mk_const(b, orb_null((orb_type_id)types[i].id), types[i], args[i]->pos);
      continue;
    }
    orb_status st = oql_coerce(b, &x->args[i], types[i], e);
    if (st != ORB_OK) return st;
  }
  *out = x;
  return ORB_OK;
}

/* Remaining unknown literals/parameters become text; PARAM nodes pick up
** types fixed after they were created. */
static void settle(oql_binder *b, orb_expr **px) {
  orb_expr *x = *px;
  if (x->kind == ORB_E_PARAM && x->slot < b->nparams) {
    if (b->param_types[x->slot].id == ORB_T_NULL && x->type.id != ORB_T_NULL) b->param_types[x->slot] = x->type;
    if (x->type.id == ORB_T_NULL) x->type = b->param_types[x->slot];
    if (x->type.id == ORB_T_NULL) {
      x->type = orb_type_make(ORB_T_TEXT);
      b->param_types[x->slot] = x->type;
    }
  }
  if (x->kind == ORB_E_CONST && (x->flags & OQL_EF_UNKNOWN)) x->flags &= (uint16_t)~OQL_EF_UNKNOWN;
  for (int i = 0; i < x->nargs; i++) settle(b, &x->args[i]);
}

orb_status oql_b_finish(oql_binder *b, orb_expr **x, orb_err *e) {
  if (!*x) return ORB_OK;
  settle(b, x);
  return orb_expr_fold(b->a, x, &b->fold_ctx, e);
}
