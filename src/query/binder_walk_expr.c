/* query/binder_walk_expr.c — binding parsed expressions (ast.h) into typed
** orb_expr trees: each node's operands are bound first, then the builder
** for the node (binder_expr.c) checks and coerces types. */
#include "query/binder_int.h"

#include <string.h>

#include "types/datetime.h"

/* PostgreSQL's object-identifier and internal name types, which catalog
** queries cast to: object ids are bigints here, names text. */
static const char *catalog_type_alias(const char *name) {
  /* PostgreSQL's vectors of catalogs (pg_index.indkey, pg_proc.proargtypes) are arrays here */
  if (strcmp(name, "int2vector") == 0) return "smallint[]";
  if (strcmp(name, "oidvector") == 0) return "bigint[]";
  size_t n = strlen(name);
  if (n > 2 && n < 40 && strcmp(name + n - 2, "[]") == 0) {   /* oid[], name[], "char"[] */
    char elem[40];
    memcpy(elem, name, n - 2);
    elem[n - 2] = 0;
    const char *alias = catalog_type_alias(elem);
    if (alias != name && strcmp(alias, elem) != 0) return strcmp(alias, "bigint") == 0 ? "bigint[]" : "text[]";
    return name;
  }
  static const char *const oid_types[] = {"oid", "regclass", "regtype", "regproc", "regprocedure",
                                          "regnamespace", "regrole", "regoper", "regconfig"};
  for (size_t i = 0; i < sizeof oid_types / sizeof oid_types[0]; i++)
    if (strcmp(name, oid_types[i]) == 0) return "bigint";
  if (strcmp(name, "name") == 0 || strcmp(name, "\"char\"") == 0) return "text";
  return name;
}

orb_status oql_walk_type(oql_binder *b, const oql_typename *tn, orb_type *out, orb_err *e) {
  (void)b;
  orb_status st = orb_type_from_name(catalog_type_alias(tn->name), tn->mods, tn->nmods, out, e);
  if (st != ORB_OK && !e->pos) e->pos = tn->pos;
  return st;
}

static orb_status walk_list(oql_selctx *c, oql_expr_ast *const *xs, int n, orb_expr ***out, orb_err *e) {
  orb_expr **v = orb_arena_alloc(c->b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    orb_status st = oql_walk_operand(c, xs[i], &v[i], e);
    if (st != ORB_OK) return st;
  }
  *out = v;
  return ORB_OK;
}

static orb_status walk_typed(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_type t;
  orb_status st = oql_walk_type(b, &x->tname, &t, e);
  if (st != ORB_OK) return st;
  if (t.id == ORB_T_INTERVAL && x->unit) {
    orb_value v = orb_null(ORB_T_INTERVAL);
    v.isnull = 0;
    st = orb_interval_from_text_unit(x->text, x->len, x->unit, &v.u.iv, e);
    if (st != ORB_OK) {
      if (!e->pos) e->pos = (int)x->ival;
      return st;
    }
    *out = oql_mk_const(b, v, t, x->pos);
    return ORB_OK;
  }
  orb_status lst = oql_b_typed_literal(b, t, x->text, x->len, (int)x->ival, out, e);
  if (lst == ORB_OK) (*out)->pos = x->pos;
  return lst;
}

static orb_status walk_binary(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_expr *l, *r;
  orb_status st = oql_walk_operand(c, x->l, &l, e);
  if (st == ORB_OK) st = oql_walk_operand(c, x->r, &r, e);
  if (st != ORB_OK) return st;
  switch (x->op) {
  case OQL_OP_ADD: return oql_b_arith(b, ORB_ARITH_ADD, l, r, x->pos, out, e);
  case OQL_OP_SUB: return oql_b_arith(b, ORB_ARITH_SUB, l, r, x->pos, out, e);
  case OQL_OP_MUL: return oql_b_arith(b, ORB_ARITH_MUL, l, r, x->pos, out, e);
  case OQL_OP_DIV: return oql_b_arith(b, ORB_ARITH_DIV, l, r, x->pos, out, e);
  case OQL_OP_MOD: return oql_b_arith(b, ORB_ARITH_MOD, l, r, x->pos, out, e);
  case OQL_OP_POW: return oql_b_arith(b, ORB_ARITH_POW, l, r, x->pos, out, e);
  case OQL_OP_BITAND: return oql_b_arith(b, ORB_ARITH_BITAND, l, r, x->pos, out, e);
  case OQL_OP_BITOR: return oql_b_arith(b, ORB_ARITH_BITOR, l, r, x->pos, out, e);
  case OQL_OP_CONCAT: return oql_b_concat(b, l, r, x->pos, out, e);
  case OQL_OP_CONTAINS:
  case OQL_OP_CONTAINED:
    if (oql_is_json_operand_pair(l, r))
      return oql_b_json_op(b, x->op == OQL_OP_CONTAINS ? OQL_OP_JSON_CONTAINS : OQL_OP_JSON_CONTAINED, l, r, x->pos, out, e);
    return oql_b_array_set_op(b, x->op == OQL_OP_CONTAINS ? "@>" : "<@", l, r, x->pos, out, e);
  case OQL_OP_OVERLAP: return oql_b_array_set_op(b, "&&", l, r, x->pos, out, e);
  case OQL_OP_JSON_GET: case OQL_OP_JSON_GET_TEXT: case OQL_OP_JSON_PATH: case OQL_OP_JSON_PATH_TEXT:
  case OQL_OP_JSON_CONTAINS: case OQL_OP_JSON_CONTAINED: case OQL_OP_JSON_EXISTS: case OQL_OP_JSON_EXISTS_ANY:
  case OQL_OP_JSON_EXISTS_ALL: case OQL_OP_JSON_DELETE_PATH:
    return oql_b_json_op(b, x->op, l, r, x->pos, out, e);
  case OQL_OP_EQ: return oql_b_cmp(b, ORB_CMP_EQ, l, r, x->pos, out, e);
  case OQL_OP_NE: return oql_b_cmp(b, ORB_CMP_NE, l, r, x->pos, out, e);
  case OQL_OP_LT: return oql_b_cmp(b, ORB_CMP_LT, l, r, x->pos, out, e);
  case OQL_OP_LE: return oql_b_cmp(b, ORB_CMP_LE, l, r, x->pos, out, e);
  case OQL_OP_GT: return oql_b_cmp(b, ORB_CMP_GT, l, r, x->pos, out, e);
  case OQL_OP_GE: return oql_b_cmp(b, ORB_CMP_GE, l, r, x->pos, out, e);
  case OQL_OP_AND: return oql_b_logic(b, ORB_E_AND, l, r, out, e);
  case OQL_OP_OR: return oql_b_logic(b, ORB_E_OR, l, r, out, e);
  default: return orb_err_setx(e, ORB_ERR_INTERNAL, "XX000", x->pos, "unexpected binary operator %d", (int)x->op);
  }
}

static orb_status walk_unary(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  orb_expr *l;
  orb_status st = oql_walk_operand(c, x->l, &l, e);
  if (st != ORB_OK) return st;
  switch (x->op) {
  case OQL_OP_NEG: return oql_b_neg(c->b, l, x->pos, out, e);
  case OQL_OP_NOT: return oql_b_not(c->b, l, x->pos, out, e);
  default:
    /* unary plus: only numbers have it */
    if (!oql_is_unknown(l) && !orb_type_is_numeric((orb_type_id)l->type.id) && l->type.id != ORB_T_INTERVAL)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", x->pos, "operator does not exist: + %s",
                          oql_type_name(c->b, l));
    *out = l;
    return ORB_OK;
  }
}

static orb_status walk_case(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  int n = x->nlist / 2;
  orb_expr *operand = NULL, *el = NULL;
  orb_expr **whens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  orb_expr **thens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  orb_status st = ORB_OK;
  const char *forbid = c->srf_forbid;
  c->srf_forbid = "CASE";   /* a set-returning function would run for rows the CASE does not take */
  if (x->l) st = oql_walk_operand(c, x->l, &operand, e);
  for (int i = 0; i < n && st == ORB_OK; i++) {
    st = oql_walk_operand(c, x->list[2 * i], &whens[i], e);
    if (st == ORB_OK) st = oql_walk_operand(c, x->list[2 * i + 1], &thens[i], e);
  }
  if (st == ORB_OK && x->r) st = oql_walk_operand(c, x->r, &el, e);
  c->srf_forbid = forbid;
  if (st != ORB_OK) return st;
  return oql_b_case(b, operand, whens, thens, n, el, x->pos, out, e);
}

int oql_drop_void_params(orb_expr **args, int n) {
  int kept = 0;
  for (int i = 0; i < n; i++)
    if (!(args[i]->kind == ORB_E_PARAM && args[i]->type.id == ORB_T_VOID)) args[kept++] = args[i];
  return kept;
}

static orb_status walk_call(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  if (x->over) return oql_walk_window_call(c, x, out, e);
  if (oql_is_window_name(x->name))
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42809", x->pos, "window function %s requires an OVER clause", x->name);
  if (strcmp(x->name, "grouping") == 0 && !x->distinct && !x->star && !x->filter && !x->nagg_order) {
    if (c->in_agg) return orb_err_setx(e, ORB_ERR_TYPE, "42803", x->pos, "aggregate function calls cannot contain grouping operations");
    orb_expr **gargs;
    bool in = c->in_agg;
    c->in_agg = true;   /* no aggregate inside */
    orb_status st = walk_list(c, x->list, x->nlist, &gargs, e);
    c->in_agg = in;
    return st == ORB_OK ? oql_b_grouping(c, gargs, x->nlist, x->pos, out, e) : st;
  }
  bool agg = oql_is_agg_name(x->name);
  bool was_in = c->in_agg;
  orb_expr **args;
  if (agg) {
    /* nested aggregates are refused by the builder; say so before binding the arguments */
    if (!c->allow_aggs)
      return orb_err_setx(e, ORB_ERR_TYPE, "42803", x->pos, "aggregate functions are not allowed in %s",
                          c->agg_ctx ? c->agg_ctx : "this context");
    if (was_in) return orb_err_setx(e, ORB_ERR_TYPE, "42803", x->pos, "aggregate function calls cannot be nested");
    c->in_agg = true;
  }
  const char *forbid = c->srf_forbid;
  if (strcmp(x->name, "coalesce") == 0) c->srf_forbid = "COALESCE";
  orb_status st = walk_list(c, x->list, x->nlist, &args, e);
  c->srf_forbid = forbid;
  if (st != ORB_OK) return st;
  int nargs = oql_drop_void_params(args, x->nlist);
  if (oql_is_srf_name(x->name) && !x->filter) return oql_b_srf(c, x->name, args, nargs, x->pos, out, e);
  if (agg) {
    for (int i = 0; i < nargs && st == ORB_OK; i++)
      if (!oql_is_unknown(args[i])) st = oql_b_finish(c->b, &args[i], e);
    /* ORDER BY keys: on the input rows, like the arguments (no aggregate inside) */
    oql_agg_order *order = x->nagg_order ? orb_arena_alloc(c->b->a, sizeof(oql_agg_order) * (size_t)x->nagg_order) : NULL;
    for (int i = 0; i < x->nagg_order && st == ORB_OK; i++) {
      const oql_order_ast *o = &x->agg_order[i];
      st = oql_walk_expr(c, o->expr, &order[i].expr, e);
      order[i].desc = o->desc;
      order[i].nulls_first = o->nulls == 1 || (o->nulls == 0 && o->desc);
    }
    c->in_agg = was_in;
    orb_expr *filter = NULL;
    if (st == ORB_OK) st = oql_walk_agg_filter(c, x, &filter, e);
    if (st != ORB_OK) return st;
    return oql_b_agg(c, x->name, args, nargs, x->distinct, x->star, filter, order, x->nagg_order, x->pos, out, e);
  }
  if (x->nagg_order) {   /* PostgreSQL looks the function up first, as for FILTER */
    orb_expr *ignored;
    if ((st = oql_b_call(c, x->name, args, nargs, x->distinct, x->star, x->pos, &ignored, e)) != ORB_OK) return st;
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42809", x->pos, "ORDER BY specified, but %s is not an aggregate function",
                        x->name);
  }
  if (!x->filter) return oql_b_call(c, x->name, args, nargs, x->distinct, x->star, x->pos, out, e);
  /* FILTER on a function that is not an aggregate: PostgreSQL looks the function up first */
  orb_expr *ignored;
  if (!oql_is_srf_name(x->name) && (st = oql_b_call(c, x->name, args, nargs, x->distinct, x->star, x->pos, &ignored, e)) != ORB_OK)
    return st;
  return orb_err_setx(e, ORB_ERR_SYNTAX, "42809", x->pos, "FILTER specified, but %s is not an aggregate function", x->name);
}

orb_status oql_walk_agg_filter(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  *out = NULL;
  if (!x->filter) return ORB_OK;
  /* the condition is evaluated on each input row, like WHERE: nothing in it may aggregate or add rows */
  bool allow_aggs = c->allow_aggs, in_agg = c->in_agg, allow_wins = c->allow_wins, in_win = c->in_win;
  bool allow_srfs = c->allow_srfs;
  const char *agg_ctx = c->agg_ctx, *win_ctx = c->win_ctx;
  c->allow_aggs = c->in_agg = c->allow_wins = c->in_win = c->allow_srfs = false;
  c->agg_ctx = c->win_ctx = "FILTER";
  orb_expr *f;
  orb_status st = oql_walk_operand(c, x->filter, &f, e);
  c->allow_aggs = allow_aggs, c->in_agg = in_agg, c->allow_wins = allow_wins, c->in_win = in_win;
  c->allow_srfs = allow_srfs, c->agg_ctx = agg_ctx, c->win_ctx = win_ctx;
  if (st == ORB_OK) st = oql_require_bool(c->b, &f, "FILTER", e);
  if (st == ORB_OK) st = oql_b_finish(c->b, &f, e);
  if (st == ORB_OK) *out = f;
  return st;
}

/* Plan a subquery used in an expression.  Uncorrelated, it runs once per
** execution, before the statement (session.c), and ORB_E_SUBLINK reads its
** result; correlated (it names columns of c), the SUBLINK node carries those
** columns as extra arguments and runs the plan for each row (exec layer). */
static orb_status walk_sublink(oql_selctx *c, const oql_expr_ast *x, int kind, orb_expr *tested, orb_expr **out,
                               orb_err *e) {
  oql_binder *b = c->b;
  oql_op *root;
  int nvis;
  const char **names;
  oql_corr corr = {c, NULL, 0, 0}, *was = b->corr;
  b->corr = &corr;
  orb_status st = oql_walk_query(b, x->sub, &root, &nvis, &names, e);
  b->corr = was;
  if (st != ORB_OK) return st;
  if (kind != 1 && nvis != 1) {
    oql_op_destroy(root);   /* not registered yet: nobody else frees it */
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", x->pos,
                        kind == 2 ? "subquery has too many columns" : "subquery must return only one column");
  }
  if (b->nsublinks == b->sublink_cap) {
    int cap = b->sublink_cap ? b->sublink_cap * 2 : 4;
    oql_op **nv = orb_arena_alloc(b->a, sizeof(oql_op *) * (size_t)cap);
    uint8_t *nk = orb_arena_alloc(b->a, (size_t)cap);
    bool *nc = orb_arena_alloc(b->a, sizeof(bool) * (size_t)cap);
    if (b->nsublinks) {
      memcpy(nv, b->sublinks, sizeof(oql_op *) * (size_t)b->nsublinks);
      memcpy(nk, b->sublink_kind, (size_t)b->nsublinks);
      memcpy(nc, b->sublink_correlated, sizeof(bool) * (size_t)b->nsublinks);
    }
    b->sublinks = nv;
    b->sublink_kind = nk;
    b->sublink_correlated = nc;
    b->sublink_cap = cap;
  }
  int slot = b->nsublinks++;
  b->sublinks[slot] = root;
  b->sublink_kind[slot] = (uint8_t)kind;
  b->sublink_correlated[slot] = corr.n > 0;
  orb_type t = kind == 1 ? orb_type_make(ORB_T_BOOL) : root->types[0];
  if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
  if (kind == 3 && t.id == ORB_T_ARRAY)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", x->pos, "multidimensional arrays are not supported");
  int first = kind == 2 ? 1 : 0;
  orb_type rt = kind == 0 ? t : kind == 3 ? orb_type_array((orb_type_id)t.id) : orb_type_make(ORB_T_BOOL);
  orb_expr *s = orb_expr_new(b->a, ORB_E_SUBLINK, rt, first + corr.n);
  s->op = (uint8_t)kind;
  s->slot = slot;
  s->pos = x->pos;
  if (corr.n) {
    s->flags |= ORB_EF_CORRELATED;
    for (int i = 0; i < corr.n; i++) s->args[first + i] = corr.args[i];
  }
  if (kind == 2) {
    /* the tested value meets the subquery's column type, as in x IN (list) */
    if ((st = oql_coerce(b, &tested, t, e)) != ORB_OK) return st;
    s->args[0] = tested;
    if (x->negate) s->flags |= ORB_EF_NEGATE;
  }
  *out = s;
  return ORB_OK;
}

orb_status oql_walk_operand(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_status st;
  orb_expr *l, *r, **list;
  switch (x->kind) {
  case OQL_X_COLUMN:
    return oql_b_column(c, x->qual, x->name, x->pos, out, e);
  case OQL_X_STAR:
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", x->pos, "\"*\" is not allowed here");
  case OQL_X_PARAM:
    if (x->ival < 1 || x->ival > 65535)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P02", x->pos, "there is no parameter $%lld", (long long)x->ival);
    *out = oql_b_param(b, (int)x->ival, x->pos);
    return ORB_OK;
  case OQL_X_NUMBER:
    return oql_number_literal(b, x->text, x->len, x->pos, out, e);
  case OQL_X_STRING:
    *out = oql_b_string(b, x->text, x->len, x->pos);
    return ORB_OK;
  case OQL_X_NULL:
    *out = oql_b_null(b, x->pos);
    return ORB_OK;
  case OQL_X_BOOL:
    *out = oql_b_bool(b, x->ival != 0, x->pos);
    return ORB_OK;
  case OQL_X_TYPED:
    return walk_typed(c, x, out, e);
  case OQL_X_BINARY:
    return walk_binary(c, x, out, e);
  case OQL_X_UNARY:
    return walk_unary(c, x, out, e);
  case OQL_X_IS:
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK) return st;
    if (x->ival == OQL_IS_NULL) {
      *out = oql_b_is_null(b, l, x->negate, x->pos);
      return ORB_OK;
    }
    return oql_b_is_bool(b, l, x->ival == OQL_IS_TRUE ? 1 : x->ival == OQL_IS_FALSE ? 0 : 2, x->negate, x->pos, out,
                         e);
  case OQL_X_DISTINCT:
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK || (st = oql_walk_operand(c, x->r, &r, e)) != ORB_OK)
      return st;
    return oql_b_distinct_from(b, l, r, x->negate, x->pos, out, e);
  case OQL_X_SUBQUERY:
    return walk_sublink(c, x, 0, NULL, out, e);
  case OQL_X_EXISTS:
    return walk_sublink(c, x, 1, NULL, out, e);
  case OQL_X_IN:
    if (x->sub) {
      if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK) return st;
      return walk_sublink(c, x, 2, l, out, e);
    }
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK || (st = walk_list(c, x->list, x->nlist, &list, e)) != ORB_OK)
      return st;
    if (oql_uses_srf(c, l)) return orb_err_setx(e, ORB_ERR_TYPE, "42804", x->l->pos, "argument of IN must not return a set");
    return oql_b_in(b, l, list, x->nlist, x->negate, x->pos, out, e);
  case OQL_X_BETWEEN:
    if (x->nlist != 2) return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", x->pos, "malformed BETWEEN");
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK || (st = walk_list(c, x->list, 2, &list, e)) != ORB_OK)
      return st;
    return oql_b_between(b, l, list[0], list[1], x->negate, x->pos, out, e);
  case OQL_X_LIKE:
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK || (st = oql_walk_operand(c, x->r, &r, e)) != ORB_OK)
      return st;
    return oql_b_like(b, l, r, x->icase, x->negate, x->pos, out, e);
  case OQL_X_CASE:
    return walk_case(c, x, out, e);
  case OQL_X_CAST: {
    orb_type t;
    if (x->l->kind == OQL_X_STRING && oql_is_reg_type(x->tname.name))
      return oql_b_reg_in(b, x->tname.name, x->l->text, x->l->pos, out, e);   /* 'events'::regclass */
    if (x->l->kind == OQL_X_ARRAY && !x->l->sub && x->l->nlist == 0) {   /* ARRAY[]::int[]: the cast types it */
      if ((st = oql_walk_type(b, &x->tname, &t, e)) != ORB_OK) return st;
      if (t.id == ORB_T_ARRAY) {
        orb_expr *empty = orb_expr_new(b->a, ORB_E_ARRAY, t, 0);
        empty->pos = x->l->pos;
        return oql_b_cast(b, empty, t, x->pos, out, e);
      }
    }
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK || (st = oql_walk_type(b, &x->tname, &t, e)) != ORB_OK)
      return st;
    /* oid::regclass::text: the name, as PostgreSQL's output function prints it */
    if (t.id == ORB_T_TEXT && x->l->kind == OQL_X_CAST && oql_is_reg_type(x->l->tname.name) &&
        (st = oql_b_reg_out(b, x->l->tname.name, l, x->pos, &l, e)) != ORB_OK)
      return st;
    return oql_b_cast(b, l, t, x->pos, out, e);
  }
  case OQL_X_CALL:
    return walk_call(c, x, out, e);
  case OQL_X_ARRAY:
    if (x->sub) return walk_sublink(c, x, 3, NULL, out, e);
    if ((st = walk_list(c, x->list, x->nlist, &list, e)) != ORB_OK) return st;
    return oql_b_array(b, list, x->nlist, x->pos, out, e);
  case OQL_X_SUBSCRIPT:
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK || (st = oql_walk_operand(c, x->r, &r, e)) != ORB_OK)
      return st;
    return oql_b_subscript(b, l, r, x->pos, out, e);
  case OQL_X_FIELD:
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK) return st;
    /* (t).col of a whole-row reference is the column t.col, as in PostgreSQL */
    if (l->type.id == ORB_T_RECORD && l->type.elem == ORB_T_NULL && x->l->kind == OQL_X_COLUMN && !x->l->qual)
      return oql_b_column(c, x->l->name, x->name, x->l->pos, out, e);
    return oql_b_field(b, l, x->name, x->l->pos, out, e);
  case OQL_X_ANY: {
    static const orb_cmp_op ops[] = {[OQL_OP_EQ] = ORB_CMP_EQ, [OQL_OP_NE] = ORB_CMP_NE, [OQL_OP_LT] = ORB_CMP_LT,
                                     [OQL_OP_LE] = ORB_CMP_LE, [OQL_OP_GT] = ORB_CMP_GT, [OQL_OP_GE] = ORB_CMP_GE};
    if ((st = oql_walk_operand(c, x->l, &l, e)) != ORB_OK) return st;
    /* op ANY (SELECT ...) is op ANY over the array of its rows: the same answers, NULLs included */
    if (x->sub) st = walk_sublink(c, x, 3, NULL, &r, e);
    else st = oql_walk_operand(c, x->r, &r, e);
    if (st != ORB_OK) return st;
    return oql_b_any(b, ops[x->op], x->ival != 0, l, r, x->pos, out, e);
  }
  }
  return orb_err_setx(e, ORB_ERR_INTERNAL, "XX000", x->pos, "unexpected expression kind %d", (int)x->kind);
}

orb_status oql_walk_expr(oql_selctx *c, const oql_expr_ast *x, orb_expr **out, orb_err *e) {
  orb_status st = oql_walk_operand(c, x, out, e);
  if (st == ORB_OK) st = oql_b_finish(c->b, out, e);
  return st;
}
