/* query/binder_dml.c — INSERT, UPDATE and DELETE once their parts are bound:
** full-row construction with defaults and assignment casts (binder_int.h). */
#include "query/binder_int.h"

#include <string.h>

void oql_selctx_init(oql_selctx *c, oql_binder *b) {
  memset(c, 0, sizeof *c);
  c->b = b;
}

void oql_scope_table(oql_selctx *c, orb_table *t, const char *qual) {
  for (int i = 0; i < t->schema.ncols; i++)
    oql_scope_add_table_col(c->b, &c->scope, t, qual, i, oql_selctx_new_gid(c, t->schema.cols[i].name));
}

orb_status oql_insert_columns(oql_binder *b, orb_table *t, const char *const *names, const int *pos, int n,
                              int **cols, int *ncols, orb_err *e) {
  const orb_schema *s = &t->schema;
  if (!names) {
    *ncols = s->ncols;
    *cols = orb_arena_alloc(b->a, sizeof(int) * (size_t)(s->ncols + 1));
    for (int i = 0; i < s->ncols; i++) (*cols)[i] = i;
    return ORB_OK;
  }
  *cols = orb_arena_alloc(b->a, sizeof(int) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    int c = orb_schema_find(s, names[i]);
    if (c < 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos ? pos[i] : 0,
                          "column \"%s\" of relation \"%s\" does not exist", names[i], t->name);
    for (int j = 0; j < i; j++)
      if ((*cols)[j] == c)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", pos ? pos[i] : 0, "column \"%s\" specified more than once",
                            names[i]);
    (*cols)[i] = c;
  }
  *ncols = n;
  return ORB_OK;
}

orb_status oql_insert_values(oql_binder *b, orb_table *t, const int *cols, int ncols, orb_expr ***rows,
                             const int *rowlen, const int *rowpos, int nrows, orb_expr **defaults, oql_op **source,
                             orb_err *e) {
  const orb_schema *s = &t->schema;
  int n = s->ncols;
  orb_expr ***full = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(nrows + 1));
  int *where = orb_arena_alloc(b->a, sizeof(int) * (size_t)(n + 1));   /* column -> index in the row, -1 */
  for (int c = 0; c < n; c++) where[c] = -1;
  for (int i = 0; i < ncols; i++) where[cols[i]] = i;
  orb_type *types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(n + 1));
  for (int c = 0; c < n; c++) types[c] = s->cols[c].type;
  for (int r = 0; r < nrows; r++) {
    if (rowlen[r] > ncols)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", rowpos ? rowpos[r] : 0,
                          "INSERT has more expressions than target columns");
    if (rowlen[r] < ncols)
      return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", rowpos ? rowpos[r] : 0,
                          "INSERT has more target columns than expressions");
    full[r] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
    for (int c = 0; c < n; c++) {
      orb_expr *x = where[c] >= 0 ? rows[r][where[c]] : NULL;
      if (!x) {
        /* omitted column or the DEFAULT keyword */
        x = defaults && defaults[c] ? defaults[c]
                                    : oql_mk_const(b, orb_null((orb_type_id)types[c].id), types[c], 0);
      } else {
        orb_status st = oql_coerce_assign(b, &x, types[c], s->cols[c].name, e);
        if (st == ORB_OK) st = oql_b_finish(b, &x, e);
        if (st != ORB_OK) return st;
      }
      full[r][c] = x;
    }
  }
  *source = oql_values_new(b->a, nrows, n, full, types);
  return ORB_OK;
}

orb_status oql_insert_select(oql_binder *b, orb_table *t, const int *cols, int ncols, oql_op *sel, int nvisible,
                             int pos, orb_expr **defaults, oql_op **source, orb_err *e) {
  const orb_schema *s = &t->schema;
  int n = s->ncols;
  if (nvisible > ncols)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", pos, "INSERT has more expressions than target columns");
  if (nvisible < ncols)
    return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", pos, "INSERT has more target columns than expressions");
  orb_expr **exprs = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(n + 1));
  for (int c = 0; c < n; c++) {
    int k = -1;
    for (int i = 0; i < ncols; i++)
      if (cols[i] == c) k = i;
    orb_expr *x;
    if (k >= 0) {
      x = orb_expr_column(b->a, k, sel->types[k]);
      x->pos = pos;
      orb_status st = oql_coerce_assign(b, &x, s->cols[c].type, s->cols[c].name, e);
      if (st != ORB_OK) return st;
    } else {
      x = defaults && defaults[c] ? defaults[c]
                                  : oql_mk_const(b, orb_null((orb_type_id)s->cols[c].type.id), s->cols[c].type, 0);
    }
    exprs[c] = x;
  }
  *source = oql_project_new(b->a, sel, exprs, n);
  return ORB_OK;
}
