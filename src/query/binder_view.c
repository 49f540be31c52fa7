/* query/binder_view.c — views: CREATE [OR REPLACE] VIEW, a view read in
** FROM, and which views read a table.
**
** A view is a catalog entry of kind ORB_TABLE_VIEW (storage/table.h): its
** columns (names and types fixed when it is created, as PostgreSQL fixes
** them) and the text of its query.  Wherever the view is read, the text is
** parsed and bound again as a derived table named by the view, in a scope
** of its own (no column or parameter of the statement around it reaches
** in).  Because views keep text, they name their tables by name: a table a
** view reads cannot be dropped, renamed or have columns dropped, renamed
** or retyped while the view exists (2BP01, as PostgreSQL refuses drops;
** PostgreSQL would follow a rename), unless DROP ... CASCADE drops the
** views too.  Views are read-only (writes through them are refused). */
#include "query/binder_int.h"

#include <string.h>

#include "base/mem.h"
#include "query/parser.h"

/* Views in views in views ...: deeper means a cycle (CREATE OR REPLACE
** can make one), which PostgreSQL reports as infinite recursion. */
#define VIEW_DEPTH_MAX 32

orb_status oql_bind_create_view(oql_binder *b, const oql_stmt_ast *ast, oql_bstmt *out, orb_err *e) {
  const oql_create_ast *cr = &ast->create;
  orb_status st = oql_check_not_system(b, cr->table, cr->table_pos, e);
  if (st != ORB_OK) return st;
  out->table_name = cr->table;
  out->replace = cr->or_replace;
  out->create_kind = ORB_TABLE_VIEW;
  out->path = cr->view_sql;
  out->writes = true;
  orb_schema *s = orb_calloc(1, sizeof *s);
  orb_schema_init(s);
  out->schema = s;   /* freed with the statement, also on error */
  /* the query, bound now for its columns and its errors */
  oql_op *root;
  int n;
  const char **names;
  if ((st = oql_walk_query(b, cr->as, &root, &n, &names, e)) != ORB_OK) return st;
  orb_type *types = root->types;
  if (b->nparams) st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42P02", cr->as->pos, "there is no parameter $1");
  else if (cr->nview_cols > n)
    st = orb_err_setx(e, ORB_ERR_SYNTAX, "42601", cr->view_col_pos[n], "CREATE VIEW specifies more column names than columns");
  for (int i = 0; i < n && st == ORB_OK; i++) {
    const char *name = i < cr->nview_cols ? cr->view_cols[i] : names[i];
    orb_type t = types[i].id == ORB_T_NULL ? orb_type_make(ORB_T_TEXT) : types[i];
    if (orb_schema_find(s, name) >= 0)
      st = orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" specified more than once", name);
    else
      orb_schema_add_column(s, name, t, false, NULL);
  }
  oql_op_destroy(root);
  return st;
}

orb_status oql_from_view(oql_selctx *c, orb_table *t, const oql_from_ast *f, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  if (b->view_depth >= VIEW_DEPTH_MAX)
    return orb_err_setx(e, ORB_ERR_LIMIT, "42P17", f->pos, "infinite recursion detected in rules for relation \"%s\"",
                        t->name);
  oql_stmt_ast *ast = NULL;
  const char *tail;
  bool empty = false;
  orb_status st = oql_parse(b->a, t->location, &tail, &ast, &empty, e);
  if (st == ORB_OK && (empty || ast->kind != OQL_S_SELECT))
    st = orb_err_setx(e, ORB_ERR_CORRUPT, "XX000", 0, "view \"%s\" has no query", t->name);
  oql_bselect *sub = NULL;
  if (st == ORB_OK) {
    struct oql_corr *corr = b->corr;   /* no column or WITH query of the statement around reaches in */
    struct oql_cte_scope *ctes = b->ctes;
    b->corr = NULL;
    b->ctes = NULL;
    b->view_depth++;
    st = oql_walk_select(b, ast->select, &sub, e);
    b->view_depth--;
    b->corr = corr;
    b->ctes = ctes;
  }
  if (st != ORB_OK) {   /* its text's positions mean nothing in this statement: point at the view */
    if (e) e->pos = f->pos;
    if (e && strcmp(e->sqlstate, "42P17") != 0) orb_err_prefix(e, "view \"%s\": ", t->name);
    return st;
  }
  /* the view's columns: the query's first ones, with the types they had */
  const orb_schema *vs = &t->schema;
  bool fits = sub->nvisible >= vs->ncols && (sub->nvisible == vs->ncols || (!sub->distinct && !sub->setop));
  for (int i = 0; fits && i < vs->ncols; i++) fits = orb_type_equal(sub->out[i]->type, vs->cols[i].type);
  if (!fits)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "55000", f->pos,
                        "view \"%s\" no longer matches its definition: its query's columns changed (recreate the view)",
                        t->name);
  sub->nvisible = vs->ncols;   /* columns a table's * gained since stay out, as in PostgreSQL */
  const char **names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(vs->ncols + 1));
  for (int i = 0; i < vs->ncols; i++) names[i] = vs->cols[i].name;
  *out = oql_from_subquery(c, sub, f->alias ? f->alias : t->name, names, vs->ncols);
  return ORB_OK;
}

int oql_view_dependents(orb_db *db, orb_arena *a, const orb_table *t, const char ***names) {
  int n = 0, cap = orb_db_table_count(db);
  *names = orb_arena_alloc(a, sizeof(char *) * (size_t)(cap + 1));
  for (int i = 0; i < cap; i++) {
    orb_table *v = orb_db_table_at(db, i);
    if (v->kind != ORB_TABLE_VIEW || v == t) continue;
    /* bind its query; the tables binding looks up are what it reads */
    orb_arena scratch;
    orb_arena_init(&scratch, 0);
    oql_binder vb;
    oql_binder_init(&vb, db, &scratch, v->location);
    vb.system = true;
    oql_stmt_ast *ast = NULL;
    const char *tail;
    bool empty = false;
    orb_err ig;
    orb_err_clear(&ig);
    bool uses = false;
    if (oql_parse(&scratch, v->location, &tail, &ast, &empty, &ig) == ORB_OK && !empty && ast->kind == OQL_S_SELECT) {
      oql_bselect *bs;
      (void)oql_walk_select(&vb, ast->select, &bs, &ig);   /* a view broken otherwise still names its tables */
      for (int k = 0; k < vb.ndeps && !uses; k++) uses = vb.deps[k].table_id == t->id;
    }
    for (int k = 0; k < vb.nsublinks; k++) oql_op_destroy(vb.sublinks[k]);
    orb_arena_free(&scratch);
    if (uses) (*names)[n++] = v->name;
  }
  return n;
}
