/* query/binder_types.c — typing helpers of the binder: unknown literals,
** parameters, coercion, common types, GROUP BY rewriting (binder_int.h). */
#include "query/binder_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

void oql_binder_init(oql_binder *b, orb_db *db, orb_arena *a, const char *sql) {
  memset(b, 0, sizeof *b);
  b->db = db;
  b->a = a;
  b->sql = sql;
  b->fold_ctx.arena = a;
}

uint64_t oql_schema_fingerprint(const orb_table *t) {
  const orb_schema *s = &t->schema;
  uint64_t h = orb_hash_u64((uint64_t)s->ncols * 31 + (uint64_t)s->npk);
  for (int i = 0; i < s->ncols; i++) {
    const orb_column *c = &s->cols[i];
    uint64_t x = (uint64_t)(uint32_t)c->field_id | (uint64_t)c->type.id << 32 | (uint64_t)c->type.precision << 40 |
                 (uint64_t)c->type.scale << 48 | (uint64_t)c->not_null << 56;
    h = orb_hash_mix(h, x);
    h = orb_hash_mix(h, (uint64_t)(uint32_t)c->type.maxlen);
    h = orb_hash_mix(h, orb_hash_bytes(c->name, strlen(c->name), 7));
    if (c->default_sql) h = orb_hash_mix(h, orb_hash_bytes(c->default_sql, strlen(c->default_sql), 9));
    h = orb_hash_mix(h, (uint64_t)(unsigned char)c->identity);
  }
  for (int k = 0; k < s->nindexes; k++) {   /* ON CONFLICT names its arbiters by index number */
    const orb_index *ix = &s->indexes[k];
    h = orb_hash_mix(h, orb_hash_bytes(ix->name, strlen(ix->name), 13));
    h = orb_hash_mix(h, (uint64_t)ix->unique | (uint64_t)ix->nulls_not_distinct << 1 | (uint64_t)ix->ncols << 8);
    for (int i = 0; i < ix->ncols; i++) h = orb_hash_mix(h, (uint64_t)(uint32_t)ix->cols[i]);
  }
  if (t->kind == ORB_TABLE_VIEW && t->location)   /* a replaced view's query: plans that read it are stale */
    h = orb_hash_mix(h, orb_hash_bytes(t->location, strlen(t->location), 11));
  return h;
}

void oql_binder_dep(oql_binder *b, orb_table *t) {
  for (int i = 0; i < b->ndeps; i++)
    if (b->deps[i].table_id == t->id) return;
  if (b->ndeps == b->depcap) {
    int cap = b->depcap ? b->depcap * 2 : 4;
    oql_dep *nd = orb_arena_alloc(b->a, sizeof(oql_dep) * (size_t)cap);
    if (b->ndeps) memcpy(nd, b->deps, sizeof(oql_dep) * (size_t)b->ndeps);
    b->deps = nd;
    b->depcap = cap;
  }
  b->deps[b->ndeps++] = (oql_dep){orb_arena_strdup(b->a, t->name), t->id, oql_schema_fingerprint(t)};
}

bool oql_is_system_table(const char *name) { return strcmp(name, OQL_ROLES_TABLE) == 0; }

char *oql_relname_from_text(const char *text, size_t n, char *out, size_t cap) {
  if (n >= 7 && strncmp(text, "public.", 7) == 0) text += 7, n -= 7;
  bool quoted = n >= 2 && text[0] == '"' && text[n - 1] == '"';
  if (quoted) text++, n -= 2;
  if (n >= cap) n = cap - 1;
  for (size_t i = 0; i < n; i++)
    out[i] = !quoted && text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
  out[n] = '\0';
  return out;
}

orb_status oql_check_not_system(oql_binder *b, const char *name, int pos, orb_err *e) {
  if (!b->system && oql_is_system_table(name))
    return orb_err_setx(e, ORB_ERR_MISUSE, "42501", pos, "permission denied for table %s", name);
  return ORB_OK;
}

orb_status oql_binder_table(oql_binder *b, const char *name, int pos, orb_table **out, orb_err *e) {
  orb_status st = oql_check_not_system(b, name, pos, e);
  if (st != ORB_OK) return st;
  orb_table *t = orb_db_table(b->db, name);
  if (!t) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"%s\" does not exist", name);
  oql_binder_dep(b, t);
  *out = t;
  return ORB_OK;
}

void oql_scope_add(oql_binder *b, oql_scope *s, const char *qual, const char *name, int gid, orb_type type) {
  if (s->n == s->cap) {
    int cap = s->cap ? s->cap * 2 : 16;
    oql_scope_col *nc = orb_arena_alloc(b->a, sizeof(oql_scope_col) * (size_t)cap);
    if (s->n) memcpy(nc, s->cols, sizeof(oql_scope_col) * (size_t)s->n);
    s->cols = nc;
    s->cap = cap;
  }
  s->cols[s->n++] = (oql_scope_col){qual, name, gid, type, false, NULL, false, NULL};
}

void oql_scope_add_table_col(oql_binder *b, oql_scope *s, const orb_table *t, const char *qual, int col, int gid) {
  const orb_column *c = &t->schema.cols[col];
  oql_scope_add(b, s, qual, c->name, gid, c->type);
  if (qual && strcmp(qual, t->name) != 0) s->cols[s->n - 1].relname = t->name;
}

orb_status oql_missing_rte(const oql_selctx *c, const char *qual, int pos, orb_err *e) {
  for (int i = 0; i < 2; i++)
    if (c->b->insert_target[i] && strcmp(c->b->insert_target[i], qual) == 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "invalid reference to FROM-clause entry for table \"%s\"",
                          qual);
  for (int i = 0; i < c->scope.n; i++)
    if (c->scope.cols[i].relname && strcmp(c->scope.cols[i].relname, qual) == 0) {
      orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "invalid reference to FROM-clause entry for table \"%s\"", qual);
      orb_err_hint(e, "Perhaps you meant to reference the table alias \"%s\".", c->scope.cols[i].qual);
      return e->code;
    }
  return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "missing FROM-clause entry for table \"%s\"", qual);
}

int oql_selctx_new_gid(oql_selctx *c, const char *name) {
  if (c->ngids == c->gid_cap) {
    int cap = c->gid_cap ? c->gid_cap * 2 : 16;
    const char **nn = orb_arena_alloc(c->b->a, sizeof(char *) * (size_t)cap);
    if (c->ngids) memcpy(nn, c->gid_names, sizeof(char *) * (size_t)c->ngids);
    c->gid_names = nn;
    c->gid_cap = cap;
  }
  c->gid_names[c->ngids] = name;
  return c->ngids++;
}

bool oql_is_unknown(const orb_expr *x) {
  return (x->kind == ORB_E_CONST && (x->flags & OQL_EF_UNKNOWN)) || (x->kind == ORB_E_PARAM && x->type.id == ORB_T_NULL);
}

const char *oql_type_name(oql_binder *b, const orb_expr *x) {
  if (oql_is_unknown(x)) return "unknown";
  orb_buf buf = ORB_BUF_INIT;
  orb_type_format(x->type, &buf);
  const char *s = orb_arena_strdup(b->a, buf.data ? buf.data : "?");
  orb_buf_free(&buf);
  return s;
}

orb_expr *oql_mk_const(oql_binder *b, orb_value v, orb_type t, int pos) {
  orb_expr *x = orb_expr_const(b->a, v, t);
  x->pos = pos;
  return x;
}

orb_expr *oql_mk_cmp(oql_binder *b, orb_cmp_op op, orb_expr *l, orb_expr *r, int pos) {
  orb_expr *x = orb_expr_new(b->a, ORB_E_CMP, orb_type_make(ORB_T_BOOL), 2);
  x->op = (uint8_t)op;
  x->args[0] = l;
  x->args[1] = r;
  x->pos = pos;
  return x;
}

orb_expr *oql_mk_bool2(oql_binder *b, orb_expr_kind kind, orb_expr *l, orb_expr *r) {
  orb_expr *x = orb_expr_new(b->a, kind, orb_type_make(ORB_T_BOOL), 2);
  x->args[0] = l;
  x->args[1] = r;
  x->pos = l->pos;
  return x;
}

static void set_param_type(oql_binder *b, int idx, orb_type t) {
  if (idx >= b->nparams) return;
  b->param_types[idx] = t;
}

orb_status oql_coerce(oql_binder *b, orb_expr **px, orb_type t, orb_err *e) {
  orb_expr *x = *px;
  if (t.id == ORB_T_NULL) return ORB_OK;
  if (x->kind == ORB_E_CONST && (x->flags & OQL_EF_UNKNOWN)) {
    orb_value v;
    if (x->value.isnull) {
      v = orb_null((orb_type_id)t.id);
    } else {
      orb_status st = orb_value_from_text(x->value.u.s, x->value.len, t, b->a, &v, e);
      if (st != ORB_OK) {
        if (!e->pos) e->pos = x->pos;
        return st;
      }
    }
    *px = oql_mk_const(b, v, t, x->pos);
    return ORB_OK;
  }
  if (x->kind == ORB_E_PARAM && x->type.id == ORB_T_NULL) {
    x->type = t;
    set_param_type(b, x->slot, t);
    return ORB_OK;
  }
  if (x->kind == ORB_E_PARAM && b->param_types && x->slot < b->nparams && b->param_types[x->slot].id == ORB_T_NULL) {
    x->type = t;
    set_param_type(b, x->slot, t);
    return ORB_OK;
  }
  if (orb_type_equal(x->type, t)) return ORB_OK;
  if (x->type.id == ORB_T_NULL) {   /* NULL literal */
    *px = oql_mk_const(b, orb_null((orb_type_id)t.id), t, x->pos);
    return ORB_OK;
  }
  orb_expr *c = orb_expr_new(b->a, ORB_E_CAST, t, 1);
  c->args[0] = x;
  c->pos = x->pos;
  *px = c;
  return ORB_OK;
}

orb_status oql_coerce_assign(oql_binder *b, orb_expr **px, orb_type t, const char *colname, orb_err *e) {
  orb_expr *x = *px;
  if (!oql_is_unknown(x) && x->type.id != ORB_T_NULL && !orb_type_equal(x->type, t) &&
      !orb_type_can_assign(x->type, t)) {
    orb_buf tb = ORB_BUF_INIT;
    orb_type_format(t, &tb);
    orb_status st = orb_err_setx(e, ORB_ERR_TYPE, "42804", x->pos,
                                 "column \"%s\" is of type %s but expression is of type %s", colname,
                                 tb.data ? tb.data : "?", oql_type_name(b, x));
    orb_err_hint(e, "You will need to rewrite or cast the expression.");
    orb_buf_free(&tb);
    return st;
  }
  orb_status st = oql_coerce(b, px, t, e);
  /* an assignment cast to VARCHAR(n) refuses long values instead of cutting them */
  if (st == ORB_OK && (*px)->kind == ORB_E_CAST && (t.id == ORB_T_TEXT || (t.id == ORB_T_ARRAY && t.elem == ORB_T_TEXT)) &&
      t.maxlen)
    (*px)->flags |= ORB_EF_ASSIGN;
  return st;
}

orb_status oql_unify(oql_binder *b, orb_expr **x, orb_expr **y, int pos, orb_err *e) {
  orb_expr *xs[2] = {*x, *y};
  orb_type t;
  orb_status st = oql_unify_list(b, xs, 2, pos, &t, e);
  *x = xs[0];
  *y = xs[1];
  return st;
}

orb_status oql_unify_list(oql_binder *b, orb_expr **xs, int n, int pos, orb_type *out, orb_err *e) {
  bool have = false;
  orb_type t = orb_type_make(ORB_T_NULL);
  const orb_expr *first = NULL;
  for (int i = 0; i < n; i++) {
    orb_expr *x = xs[i];
    if (oql_is_unknown(x) || x->type.id == ORB_T_NULL) continue;
    if (!have) {
      t = x->type;
      have = true;
      first = x;
      continue;
    }
    orb_type c;
    orb_err tmp;
    if (orb_type_common(t, x->type, &c, &tmp) != ORB_OK) {
      return orb_err_setx(e, ORB_ERR_TYPE, "42804", pos ? pos : x->pos, "types %s and %s cannot be matched",
                          oql_type_name(b, first), oql_type_name(b, x));
    }
    t = c;
  }
  if (!have) {
    /* only unknowns and NULLs: text, as PostgreSQL resolves them */
    bool any_unknown = false;
    for (int i = 0; i < n; i++) any_unknown |= oql_is_unknown(xs[i]);
    t = any_unknown ? orb_type_make(ORB_T_TEXT) : orb_type_make(ORB_T_NULL);
    if (!any_unknown) {
      *out = t;
      return ORB_OK;
    }
  }
  /* VARCHAR(n) keeps its length only where every operand has that very type
  ** (PostgreSQL compares varchar as text: v = 'longer than n' is false, not
  ** an error); text operands need no cast to the plain text taken then */
  if (t.id == ORB_T_TEXT && t.maxlen)
    for (int i = 0; i < n; i++)
      if (oql_is_unknown(xs[i]) || xs[i]->type.id != ORB_T_TEXT || xs[i]->type.maxlen != t.maxlen) t.maxlen = 0;
  for (int i = 0; i < n; i++) {
    if (t.id == ORB_T_TEXT && !t.maxlen && xs[i]->type.id == ORB_T_TEXT && !oql_is_unknown(xs[i])) continue;
    orb_status st = oql_coerce(b, &xs[i], t, e);
    if (st != ORB_OK) return st;
  }
  *out = t;
  return ORB_OK;
}

orb_status oql_require_bool(oql_binder *b, orb_expr **x, const char *what, orb_err *e) {
  if (oql_is_unknown(*x) || (*x)->type.id == ORB_T_NULL) return oql_coerce(b, x, orb_type_make(ORB_T_BOOL), e);
  if ((*x)->type.id != ORB_T_BOOL)
    return orb_err_setx(e, ORB_ERR_TYPE, "42804", (*x)->pos, "argument of %s must be type boolean, not type %s", what,
                        oql_type_name(b, *x));
  return ORB_OK;
}

void *oql_arena_append(orb_arena *a, void *v, int *n, int *cap, const void *x, size_t size) {
  if (*n == *cap) {
    int ncap = *cap ? *cap * 2 : 8;
    void *nv = orb_arena_alloc(a, size * (size_t)ncap);
    if (*n) memcpy(nv, v, size * (size_t)*n);
    v = nv;
    *cap = ncap;
  }
  memcpy((char *)v + size * (size_t)*n, x, size);
  (*n)++;
  return v;
}

bool oql_expr_same(const orb_expr *a, const orb_expr *b) {
  if (a->kind != b->kind || a->op != b->op || a->flags != b->flags || a->nargs != b->nargs || a->func != b->func)
    return false;
  if (!orb_type_equal(a->type, b->type)) return false;
  if ((a->kind == ORB_E_COLUMN || a->kind == ORB_E_PARAM) && a->slot != b->slot) return false;
  if (a->kind == ORB_E_CONST) {
    if (a->value.isnull != b->value.isnull || a->value.type != b->value.type) return false;
    if (!a->value.isnull && orb_value_cmp(&a->value, &b->value) != 0) return false;
  }
  for (int i = 0; i < a->nargs; i++)
    if (!oql_expr_same(a->args[i], b->args[i])) return false;
  return true;
}

orb_status oql_group_rewrite(oql_selctx *c, orb_expr **group, int ngroup, orb_expr **px, orb_err *e) {
  orb_expr *x = *px;
  for (int i = 0; i < ngroup; i++)
    if (oql_expr_same(x, group[i])) {
      orb_expr *r = orb_expr_column(c->b->a, i, x->type);
      r->pos = x->pos;
      *px = r;
      return ORB_OK;
    }
  if (x->kind == ORB_E_COLUMN) {
    if (x->slot <= OQL_WIN_MARK) return ORB_OK;   /* a window function: computed after grouping */
    for (int k = 0; k < c->nsrfs; k++)
      if (x->slot == c->srfs[k].gid && !c->srfs[k].below) {   /* a set-returning function's rows: computed after grouping too */
        orb_expr *r = orb_expr_column(c->b->a, OQL_SRF_MARK - k, x->type);
        r->pos = x->pos;
        *px = r;
        return ORB_OK;
      } else if (x->slot == c->srfs[k].gid) {
        /* one that runs below the grouping, used here other than as a key:
        ** PostgreSQL names the ungrouped column its argument reads */
        orb_expr *arg = c->srfs[k].arg;
        orb_status st = oql_group_rewrite(c, group, ngroup, &arg, e);
        if (st != ORB_OK) return st;
        break;
      }
    if (x->slot < 0) {
      orb_expr *r = orb_expr_column(c->b->a, ngroup + (-1 - x->slot), x->type);
      r->pos = x->pos;
      *px = r;
      return ORB_OK;
    }
    return orb_err_setx(e, ORB_ERR_TYPE, "42803", x->pos,
                        "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function",
                        x->slot < c->ngids && c->gid_names[x->slot] ? c->gid_names[x->slot] : "?");
  }
  if (x->nargs == 0) return ORB_OK;
  orb_expr *n = orb_arena_memdup(c->b->a, x, sizeof *x);
  n->args = orb_arena_memdup(c->b->a, x->args, sizeof(orb_expr *) * (size_t)x->nargs);
  n->cache = NULL;
  for (int i = 0; i < n->nargs; i++) {
    orb_status st = oql_group_rewrite(c, group, ngroup, &n->args[i], e);
    if (st != ORB_OK) return st;
  }
  *px = n;
  return ORB_OK;
}

orb_status oql_number_literal(oql_binder *b, const char *text, size_t n, int pos, orb_expr **out, orb_err *e) {
  bool integer = n > 0;
  for (size_t i = 0; i < n; i++)   /* the parser folds a minus sign into the literal: -1 is an integer too */
    if ((text[i] < '0' || text[i] > '9') && !(i == 0 && text[0] == '-' && n > 1)) integer = false;
  orb_value v;
  orb_err tmp;
  if (integer) {
    if (orb_value_from_text(text, n, orb_type_make(ORB_T_INT32), b->a, &v, &tmp) == ORB_OK) {
      *out = oql_mk_const(b, v, orb_type_make(ORB_T_INT32), pos);
      return ORB_OK;
    }
    if (orb_value_from_text(text, n, orb_type_make(ORB_T_INT64), b->a, &v, &tmp) == ORB_OK) {
      *out = oql_mk_const(b, v, orb_type_make(ORB_T_INT64), pos);
      return ORB_OK;
    }
  }
  /* numeric: precision and scale from the digits written (exponent applied) */
  int digits = 0, scale = 0;
  bool frac = false;
  long exp = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      digits++;
      if (frac) scale++;
    } else if (ch == '.') {
      frac = true;
    } else if (ch == 'e' || ch == 'E') {
      exp = strtol(text + i + 1, NULL, 10);
      break;
    }
  }
  scale -= (int)exp;
  if (scale < 0) scale = 0;
  if (scale > ORB_DECIMAL_MAX_PRECISION) scale = ORB_DECIMAL_MAX_PRECISION;
  int prec = digits + (exp > 0 ? (int)exp : 0);
  if (prec < scale) prec = scale;
  if (prec < 1) prec = 1;
  if (prec > ORB_DECIMAL_MAX_PRECISION) {
    /* beyond what DECIMAL holds: PostgreSQL would keep it as numeric; we use double precision */
    if (orb_value_from_text(text, n, orb_type_make(ORB_T_FLOAT64), b->a, &v, e) != ORB_OK) {
      e->pos = pos;
      return e->code;
    }
    *out = oql_mk_const(b, v, orb_type_make(ORB_T_FLOAT64), pos);
    return ORB_OK;
  }
  orb_type t = orb_type_decimal(prec, scale);
  if (orb_value_from_text(text, n, t, b->a, &v, e) != ORB_OK) {
    e->pos = pos;
    return e->code;
  }
  *out = oql_mk_const(b, v, t, pos);
  return ORB_OK;
}
