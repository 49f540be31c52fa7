/* query/binder_cte.c — WITH queries (common table expressions), as
** PostgreSQL treats them:
**  - a WITH query read once (and not MATERIALIZED) is inlined: the reference
**    becomes a subquery, so the planner pushes filters into it;
**  - one read more than once, or MATERIALIZED, is computed once per
**    execution and kept (exec_cte.c), unless NOT MATERIALIZED says inline;
**  - WITH RECURSIVE q AS (non-recursive term UNION [ALL] recursive term):
**    the recursive term's reference to q reads the work table; the shapes
**    PostgreSQL refuses are refused with its errors (42P19), and the column
**    types are the non-recursive term's (42804 when the whole has others).
** A WITH name hides a table of that name; in a WITH list a query sees the
** ones before it (all of them, itself included, under RECURSIVE). */
#include "query/binder_int.h"

#include <string.h>

typedef struct oql_cte_entry {
  const oql_cte_ast *ast;
  bool visible;          /* bound already (or being bound, when recursive) */
  bool recursive;        /* its query refers to itself */
  int nrefs;             /* references to it in the statement's text */
  oql_bselect *body;     /* bound query: inlined at its one reference, or materialized */
  bool body_used;
  oql_cte_mat *mat;      /* NULL: inlined */
  int ncols;
  orb_type *types;
  const char **names;    /* after the WITH item's column list */
  struct oql_corr *corr; /* the enclosing query levels its query may refer to */
  bool correlated;       /* ... and does */
  /* while its recursive query is bound: 1 in the non-recursive term, 2 in
  ** the recursive one, and its work table */
  int rec_state;
  struct oql_corr *rec_corr;   /* b->corr in the recursive term: another one is a subquery in an expression */
  int rec_refs;
  oql_worktable *wt;
} oql_cte_entry;

/* --- counting references in the parse tree ------------------------------------ */

static int refs_select(const oql_select_ast *s, const char *name, bool with_too);

static int refs_expr(const oql_expr_ast *x, const char *name) {
  if (!x) return 0;
  int n = refs_expr(x->l, name) + refs_expr(x->r, name) + refs_select(x->sub, name, true);
  for (int i = 0; i < x->nlist; i++) n += refs_expr(x->list[i], name);
  return n;
}

static int refs_from(const oql_from_ast *f, const char *name) {
  if (!f) return 0;
  int n = f->kind == OQL_FA_TABLE && strcmp(f->name, name) == 0;
  n += refs_select(f->sub, name, true) + refs_from(f->left, name) + refs_from(f->right, name) + refs_expr(f->on, name);
  for (int i = 0; i < f->nargs; i++) n += refs_expr(f->args[i], name);
  return n;
}

/* References to `name` in s (and its WITH queries when with_too); a WITH
** inside s that defines the name again hides it (counted as none). */
static int refs_select(const oql_select_ast *s, const char *name, bool with_too) {
  if (!s) return 0;
  int n = 0;
  if (s->with && with_too) {
    for (int i = 0; i < s->with->nctes; i++)
      if (strcmp(s->with->ctes[i].name, name) == 0) return 0;
    for (int i = 0; i < s->with->nctes; i++) n += refs_select(s->with->ctes[i].query, name, true);
  }
  n += refs_select(s->larg, name, true) + refs_select(s->rarg, name, true);
  for (int i = 0; i < s->ntargets; i++) n += refs_expr(s->targets[i].expr, name);
  for (int i = 0; i < s->nfrom; i++) n += refs_from(s->from[i], name);
  n += refs_expr(s->where, name) + refs_expr(s->having, name) + refs_expr(s->limit, name) + refs_expr(s->offset, name);
  for (int i = 0; i < s->ngroup; i++) n += refs_expr(s->group[i], name);
  for (int i = 0; i < s->norder; i++) n += refs_expr(s->order[i].expr, name);
  for (int r = 0; r < s->nvalues; r++)
    for (int i = 0; i < s->values_len[r]; i++) n += refs_expr(s->values[r][i], name);
  return n;
}

/* --- binding a WITH query ---------------------------------------------------------- */

static orb_status misplaced(const oql_cte_entry *q, const char *where, int pos, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_SYNTAX, "42P19", pos, "recursive reference to query \"%s\" must not appear %s",
                      q->ast->name, where);
}

/* The entry whose recursive term is being bound, if any. */
static oql_cte_entry *in_recursive_term(oql_binder *b) {
  for (oql_cte_scope *sc = b->ctes; sc; sc = sc->up)
    for (int i = 0; i < sc->n; i++)
      if (sc->v[i].rec_state == 2) return &sc->v[i];
  return NULL;
}

orb_status oql_cte_misplaced(oql_binder *b, const char *where, int pos, orb_err *e) {
  const oql_cte_entry *q = in_recursive_term(b);
  return q ? misplaced(q, where, pos, e) : ORB_OK;   /* refs of a recursive query finished inside: fine */
}

/* Column names: the query's, renamed by the WITH item's list. */
static orb_status name_columns(oql_binder *b, oql_cte_entry *q, const oql_bselect *body, orb_err *e) {
  const oql_cte_ast *c = q->ast;
  if (c->ncolnames > body->nvisible)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", c->pos, "WITH query \"%s\" has %d columns available but %d columns specified",
                        c->name, body->nvisible, c->ncolnames);
  q->ncols = body->nvisible;
  q->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(q->ncols + 1));
  q->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(q->ncols + 1));
  for (int i = 0; i < q->ncols; i++) {
    q->types[i] = body->out[i]->type;
    q->names[i] = i < c->ncolnames ? c->colnames[i] : body->out_names && body->out_names[i] ? body->out_names[i] : "?column?";
  }
  return ORB_OK;
}

/* Untyped literals of a query's outputs become text (PostgreSQL resolves them so for a WITH query). */
static orb_status settle_unknowns(oql_binder *b, oql_bselect *s, orb_err *e) {
  for (int i = 0; i < s->nvisible; i++)
    if (oql_is_unknown(s->out[i]) || s->out[i]->type.id == ORB_T_NULL) {
      orb_status st = oql_coerce(b, &s->out[i], orb_type_make(ORB_T_TEXT), e);
      if (st == ORB_OK) st = oql_b_finish(b, &s->out[i], e);
      if (st != ORB_OK) return st;
    }
  return ORB_OK;
}

/* The recursive term's column i meets the non-recursive term's type t. */
static orb_status recursive_column(oql_binder *b, oql_cte_entry *q, oql_bselect *rec, int i, orb_err *e) {
  orb_type t = q->types[i];
  orb_expr **x = &rec->out[i];
  if (orb_type_equal((*x)->type, t)) return ORB_OK;
  orb_type common;
  orb_err tmp;
  if (!oql_is_unknown(*x) && (*x)->type.id != ORB_T_NULL &&
      (orb_type_common(t, (*x)->type, &common, &tmp) != ORB_OK || !orb_type_equal(common, t))) {
    orb_buf nt = ORB_BUF_INIT, ot = ORB_BUF_INIT;
    orb_type_format(t, &nt);
    orb_type_format(orb_type_common(t, (*x)->type, &common, &tmp) == ORB_OK ? common : (*x)->type, &ot);
    orb_status st = orb_err_setx(e, ORB_ERR_TYPE, "42804", (*x)->pos,
                                 "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall",
                                 q->ast->name, i + 1, nt.data, ot.data);
    orb_buf_free(&nt);
    orb_buf_free(&ot);
    return st;
  }
  orb_status st = oql_coerce(b, x, t, e);
  if (st == ORB_OK) st = oql_b_finish(b, x, e);
  return st;
}

/* WITH RECURSIVE q AS (non-recursive term UNION [ALL] recursive term). */
static orb_status bind_recursive(oql_binder *b, oql_cte_entry *q, oql_bselect **out, orb_err *e) {
  const oql_cte_ast *c = q->ast;
  const oql_select_ast *s = c->query;
  if (s->setop != OQL_SETOP_UNION)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P19", c->pos,
                        "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term",
                        c->name);
  if (refs_select(s->larg, c->name, true))
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P19", s->larg->pos,
                        "recursive reference to query \"%s\" must not appear within its non-recursive term", c->name);
  if (s->norder)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->order[0].expr->pos, "ORDER BY in a recursive query is not implemented");
  if (s->offset)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->offset->pos, "OFFSET in a recursive query is not implemented");
  if (s->limit)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", s->limit->pos, "LIMIT in a recursive query is not implemented");
  oql_bselect *n = orb_arena_zalloc(b->a, sizeof *n);
  n->setop = OQL_BSET_RECURSIVE;
  n->set_all = s->set_all;
  orb_status st;
  q->rec_state = 1;
  st = oql_walk_select(b, s->larg, &n->larg, e);
  q->rec_state = 0;
  if (st == ORB_OK) st = settle_unknowns(b, n->larg, e);
  if (st == ORB_OK) st = name_columns(b, q, n->larg, e);
  if (st != ORB_OK) return st;
  q->wt = oql_worktable_new(b->a);
  q->rec_state = 2;
  q->rec_corr = b->corr;
  q->rec_refs = 0;
  st = oql_walk_select(b, s->rarg, &n->rarg, e);
  q->rec_state = 0;
  if (st != ORB_OK) return st;
  if (n->rarg->nvisible != q->ncols)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", s->rarg->pos, "each UNION query must have the same number of columns");
  if (n->rarg->naggs)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P19", s->rarg->pos,
                        "aggregate functions are not allowed in a recursive query's recursive term");
  for (int i = 0; i < q->ncols; i++)
    if ((st = recursive_column(b, q, n->rarg, i, e)) != ORB_OK) return st;
  n->worktable = q->wt;
  n->nvisible = n->nout = q->ncols;
  n->out = n->larg->out;
  n->out_names = q->names;
  *out = n;
  return ORB_OK;
}

/* Bind q's query (again, for a rebinding scope), in the query levels its WITH sees. */
static orb_status bind_body(oql_binder *b, oql_cte_entry *q, oql_bselect **out, orb_err *e) {
  struct oql_corr *was = b->corr;
  b->corr = q->corr;
  int outer_refs = q->corr ? q->corr->n : 0;
  orb_status st;
  if (q->recursive) {
    st = bind_recursive(b, q, out, e);
  } else {
    st = oql_walk_select(b, q->ast->query, out, e);
    if (st == ORB_OK) st = settle_unknowns(b, *out, e);
    if (st == ORB_OK) st = name_columns(b, q, *out, e);
    if (st == ORB_OK) (*out)->out_names = q->names;
  }
  if (q->corr && q->corr->n > outer_refs) q->correlated = true;
  b->corr = was;
  return st;
}

orb_status oql_with_push(oql_binder *b, const oql_with_ast *w, const oql_select_ast *body, bool rebind,
                         oql_cte_scope *sc, orb_err *e) {
  sc->up = b->ctes;
  sc->n = w->nctes;
  sc->rebind = rebind;
  sc->v = orb_arena_zalloc(b->a, sizeof(oql_cte_entry) * (size_t)(w->nctes + 1));
  b->ctes = sc;
  for (int i = 0; i < w->nctes; i++) {
    const oql_cte_ast *c = &w->ctes[i];
    for (int j = 0; j < i; j++)
      if (strcmp(w->ctes[j].name, c->name) == 0)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42712", c->pos, "WITH query name \"%s\" specified more than once", c->name);
    oql_cte_entry *q = &sc->v[i];
    q->ast = c;
    q->corr = b->corr;
    q->recursive = w->recursive && refs_select(c->query, c->name, true) > 0;
    q->nrefs = refs_select(body, c->name, false);
    for (int j = 0; j < w->nctes; j++)
      if (j != i) q->nrefs += refs_select(w->ctes[j].query, c->name, true);
  }
  for (int i = 0; i < w->nctes; i++) {
    oql_cte_entry *q = &sc->v[i];
    if (q->recursive) q->visible = true;   /* its recursive term reads it */
    orb_status st = bind_body(b, q, &q->body, e);
    if (st != ORB_OK) return st;
    q->visible = true;
    bool materialize = q->ast->materialized == 1 || (q->ast->materialized == 0 && q->nrefs > 1);
    if (materialize && !rebind && q->nrefs > 0) {
      q->mat = orb_arena_zalloc(b->a, sizeof *q->mat);
      q->mat->name = q->ast->name;
      q->mat->body = q->body;
      q->mat->buf = oql_cte_buf_new(b->a, q->ast->name);
    }
  }
  return ORB_OK;
}

void oql_with_pop(oql_binder *b, oql_cte_scope *sc, oql_bselect *owner) {
  b->ctes = sc->up;
  if (!owner) return;
  int n = 0;
  for (int i = 0; i < sc->n; i++) n += sc->v[i].mat != NULL;
  if (!n) return;
  owner->mats = orb_arena_alloc(b->a, sizeof(oql_cte_mat *) * (size_t)n);
  for (int i = 0; i < sc->n; i++)
    if (sc->v[i].mat) owner->mats[owner->nmats++] = sc->v[i].mat;
}

orb_status oql_cte_from(oql_selctx *c, const oql_from_ast *f, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  *out = NULL;
  oql_cte_entry *q = NULL;
  oql_cte_scope *sc;
  for (sc = b->ctes; sc && !q; sc = q ? sc : sc->up)
    for (int i = 0; i < sc->n && !q; i++)
      if (sc->v[i].visible && strcmp(sc->v[i].ast->name, f->name) == 0) q = &sc->v[i];
  if (!q) return ORB_OK;
  const char *alias = f->alias ? f->alias : q->ast->name;
  if (q->rec_state == 2) {   /* the recursive term reads the last iteration's rows */
    /* a subquery in an expression runs before the statement or per row,
    ** not per iteration: refused (PostgreSQL allows some, a FROM subquery is fine) */
    if (b->corr != q->rec_corr) return misplaced(q, "within a subquery", f->pos, e);
    if (++q->rec_refs > 1) return misplaced(q, "more than once", f->pos, e);
    b->worktable_refs++;
    *out = oql_from_cte_rows(c, OQL_FROM_WORKTABLE, q->ncols, q->types, q->names, alias, f->colnames, f->ncolnames);
    (*out)->worktable = q->wt;
    return ORB_OK;
  }
  if (q->rec_state == 1) return misplaced(q, "within its non-recursive term", f->pos, e);
  /* its outer values are those of the query level it is defined at, which a
  ** subquery in an expression below that level does not run with */
  if (q->correlated && b->corr != q->corr)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", f->pos,
                        "WITH query \"%s\" refers to an outer query and cannot be read from a subquery below it",
                        q->ast->name);
  if (q->mat) {
    *out = oql_from_cte_rows(c, OQL_FROM_CTE, q->ncols, q->types, q->names, alias, f->colnames, f->ncolnames);
    (*out)->cte_buf = q->mat->buf;
    return ORB_OK;
  }
  oql_bselect *sub = q->body;
  if (q->body_used || sc->rebind) {   /* another reference than the one counted: bind it again */
    orb_status st = bind_body(b, q, &sub, e);
    if (st != ORB_OK) return st;
  }
  q->body_used = true;
  if (f->ncolnames > q->ncols)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42P10", f->pos, "table \"%s\" has %d columns available but %d columns specified",
                        alias, q->ncols, f->ncolnames);
  *out = oql_from_subquery(c, sub, alias, f->colnames, f->ncolnames);
  return ORB_OK;
}
