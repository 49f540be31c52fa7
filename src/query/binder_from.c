/* query/binder_from.c — FROM items: tables, derived tables, generate_series,
** VALUES and joins; each adds its columns to the select's scope with fresh gids. */
#include "query/binder_int.h"

#include <string.h>

oql_from *oql_from_table(oql_selctx *c, orb_table *t, const char *alias) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_TABLE;
  f->table = t;
  f->ncols = t->schema.ncols;
  f->alias = orb_arena_strdup(b->a, alias ? alias : t->name);
  f->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(f->ncols + 1));
  f->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(f->ncols + 1));
  for (int i = 0; i < f->ncols; i++) {
    const orb_column *col = &t->schema.cols[i];
    f->types[i] = col->type;
    f->names[i] = orb_arena_strdup(b->a, col->name);
    int gid = oql_selctx_new_gid(c, f->names[i]);
    if (i == 0) f->first_gid = gid;
    oql_scope_add_table_col(b, &c->scope, t, f->alias, i, gid);
  }
  return f;
}

/* Columns of a derived table (subquery, VALUES, function): names from the
** alias's column list when given, else the defaults. */
static void add_derived(oql_selctx *c, oql_from *f, const char *alias, const char *const *colnames, int ncolnames) {
  oql_binder *b = c->b;
  f->alias = alias ? orb_arena_strdup(b->a, alias) : NULL;
  for (int i = 0; i < f->ncols; i++) {
    if (i < ncolnames && colnames[i]) f->names[i] = orb_arena_strdup(b->a, colnames[i]);
    int gid = oql_selctx_new_gid(c, f->names[i]);
    if (i == 0) f->first_gid = gid;
    oql_scope_add(b, &c->scope, f->alias, f->names[i], gid, f->types[i]);
  }
}

oql_from *oql_from_subquery(oql_selctx *c, oql_bselect *sub, const char *alias, const char *const *colnames,
                            int ncolnames) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_SUBQUERY;
  f->sub = sub;
  f->ncols = sub->nvisible;
  f->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(f->ncols + 1));
  f->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(f->ncols + 1));
  for (int i = 0; i < f->ncols; i++) {
    f->types[i] = sub->out[i]->type;
    f->names[i] = sub->out_names[i] ? sub->out_names[i] : "?column?";
  }
  add_derived(c, f, alias, colnames, ncolnames);
  return f;
}

oql_from *oql_from_cte_rows(oql_selctx *c, oql_from_kind kind, int ncols, const orb_type *types,
                            const char *const *names, const char *alias, const char *const *colnames, int ncolnames) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = kind;
  f->ncols = ncols;
  f->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(ncols + 1));
  f->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(ncols + 1));
  for (int i = 0; i < ncols; i++) {
    f->types[i] = types[i];
    f->names[i] = names[i];
  }
  add_derived(c, f, alias, colnames, ncolnames);
  return f;
}

orb_status oql_series_args(oql_binder *b, orb_expr **args, int n, int pos, orb_type *type, orb_expr **start,
                           orb_expr **stop, orb_expr **stepp, orb_err *e) {
  if (n < 2 || n > 3)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function generate_series with %d arguments does not exist",
                        n);
  orb_status st;
  /* the result type: integers (the wider of the two), or timestamps with an interval step */
  orb_expr *ends[2] = {args[0], args[1]};
  orb_type t;
  if ((st = oql_unify_list(b, ends, 2, pos, &t, e)) != ORB_OK) return st;
  if (t.id == ORB_T_INT16) t = orb_type_make(ORB_T_INT32);
  if (t.id == ORB_T_DATE) t = orb_type_make(ORB_T_TIMESTAMP);
  if (t.id == ORB_T_TEXT) t = orb_type_make(ORB_T_INT32);
  if (t.id != ORB_T_INT32 && t.id != ORB_T_INT64 && t.id != ORB_T_TIMESTAMP && t.id != ORB_T_TIMESTAMPTZ) {
    orb_buf tb = ORB_BUF_INIT;
    orb_type_format(t, &tb);
    st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function generate_series(%s, %s) does not exist",
                      tb.data ? tb.data : "?", tb.data ? tb.data : "?");
    orb_buf_free(&tb);
    return st;
  }
  for (int i = 0; i < 2; i++)
    if ((st = oql_coerce(b, &ends[i], t, e)) != ORB_OK) return st;
  orb_expr *step = n == 3 ? args[2] : NULL;
  bool ts = t.id == ORB_T_TIMESTAMP || t.id == ORB_T_TIMESTAMPTZ;
  if (ts && !step)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos,
                        "function generate_series(timestamp, timestamp) does not exist: give an interval step");
  if (step && (st = oql_coerce(b, &step, ts ? orb_type_make(ORB_T_INTERVAL) : t, e)) != ORB_OK) return st;
  for (int i = 0; i < 2; i++)
    if ((st = oql_b_finish(b, &ends[i], e)) != ORB_OK) return st;
  if (step && (st = oql_b_finish(b, &step, e)) != ORB_OK) return st;
  *type = t;
  *start = ends[0];
  *stop = ends[1];
  *stepp = step;
  return ORB_OK;
}

orb_status oql_from_series(oql_selctx *c, orb_expr **args, int n, const char *alias, const char *const *colnames,
                           int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_type t;
  orb_expr *ends[2], *step;
  orb_status st = oql_series_args(b, args, n, pos, &t, &ends[0], &ends[1], &step, e);
  if (st != ORB_OK) return st;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_SERIES;
  f->ncols = 1;
  f->types = orb_arena_alloc(b->a, sizeof(orb_type));
  f->types[0] = t;
  f->names = orb_arena_alloc(b->a, sizeof(char *));
  /* PostgreSQL names the column after the alias when the alias has no column list */
  f->names[0] = alias && ncolnames == 0 ? alias : "generate_series";
  f->series_args[0] = ends[0];
  f->series_args[1] = ends[1];
  f->series_args[2] = step;
  add_derived(c, f, alias ? alias : "generate_series", colnames, ncolnames);
  *out = f;
  return ORB_OK;
}

orb_status oql_from_unnest(oql_selctx *c, const char *fname, orb_expr **args, int n, const char *alias,
                           const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  if (n != 1)   /* unnest(a, b, ...) zips several arrays in PostgreSQL: not here */
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "unnest with %d arguments is not supported", n);
  orb_status st;
  if (args[0]->type.id != ORB_T_ARRAY) {
    if (args[0]->type.id != ORB_T_NULL)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function unnest(%s) does not exist", oql_type_name(b, args[0]));
    /* unnest(NULL): PostgreSQL cannot tell the element type; an untyped NULL array of text here */
    if ((st = oql_coerce(b, &args[0], orb_type_array(ORB_T_TEXT), e)) != ORB_OK) return st;
  }
  if ((st = oql_b_finish(b, &args[0], e)) != ORB_OK) return st;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_UNNEST;
  f->ncols = 1;
  f->types = orb_arena_alloc(b->a, sizeof(orb_type));
  /* an array of arrays is regexp_matches' (binder_srf.c): its rows are text[] */
  f->types[0] = args[0]->type.elem == ORB_T_ARRAY ? orb_type_array(ORB_T_TEXT)
                                                   : orb_type_make((orb_type_id)args[0]->type.elem);
  f->names = orb_arena_alloc(b->a, sizeof(char *));
  f->names[0] = alias && ncolnames == 0 ? alias : fname;
  f->series_args[0] = args[0];
  add_derived(c, f, alias ? alias : fname, colnames, ncolnames);
  *out = f;
  return ORB_OK;
}

oql_from *oql_from_unnest_cols(oql_selctx *c, orb_expr *arg, int ncols, const orb_type *types, const char *const *names,
                               const char *alias, const char *const *colnames, int ncolnames) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_UNNEST;
  f->ncols = ncols;
  f->types = orb_arena_dup_array(b->a, types, sizeof(orb_type), (size_t)ncols);
  f->names = orb_arena_dup_array(b->a, names, sizeof(char *), (size_t)ncols);
  f->series_args[0] = arg;
  add_derived(c, f, alias, colnames, ncolnames);
  return f;
}

orb_status oql_from_values(oql_selctx *c, orb_expr ***rows, int nrows, int ncols, const char *alias,
                           const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  return oql_from_values_typed(c, rows, nrows, ncols, NULL, alias, colnames, ncolnames, pos, out, e);
}

orb_status oql_from_values_typed(oql_selctx *c, orb_expr ***rows, int nrows, int ncols, const orb_type *types,
                                 const char *alias, const char *const *colnames, int ncolnames, int pos,
                                 oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_VALUES;
  f->ncols = ncols;
  f->types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(ncols + 1));
  f->names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(ncols + 1));
  orb_expr **col = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nrows + 1));
  for (int j = 0; j < ncols; j++) {
    for (int i = 0; i < nrows; i++) col[i] = rows[i][j];
    orb_type t = types ? types[j] : orb_type_make(ORB_T_NULL);
    orb_status st = types ? ORB_OK : oql_unify_list(b, col, nrows, pos, &t, e);
    if (st != ORB_OK) return st;
    if (t.id == ORB_T_NULL) t = orb_type_make(ORB_T_TEXT);
    for (int i = 0; i < nrows; i++) {
      if ((st = oql_coerce(b, &col[i], t, e)) != ORB_OK) return st;
      if ((st = oql_b_finish(b, &col[i], e)) != ORB_OK) return st;
      rows[i][j] = col[i];
    }
    f->types[j] = t;
    f->names[j] = orb_arena_sprintf(b->a, "column%d", j + 1);
  }
  f->nvrows = nrows;
  f->vrows = rows;
  add_derived(c, f, alias, colnames, ncolnames);
  *out = f;
  return ORB_OK;
}

oql_from *oql_from_join(oql_selctx *c, oql_join_type jt, oql_from *l, oql_from *r, orb_expr *cond) {
  oql_from *f = orb_arena_zalloc(c->b->a, sizeof *f);
  f->kind = OQL_FROM_JOIN;
  f->jt = jt;
  f->left = l;
  f->right = r;
  f->cond = cond;
  return f;
}

oql_from *oql_from_parquet_file(oql_selctx *c, const char **paths, int npaths, int ncols, orb_type *types, const char **names,
                                const char *alias, const char *const *colnames, int ncolnames) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_PARQUET;
  f->paths = paths;
  f->npaths = npaths;
  f->ncols = ncols;
  f->types = types;
  f->names = names;
  add_derived(c, f, alias ? alias : "read_parquet", colnames, ncolnames);
  return f;
}

oql_from *oql_from_iceberg_table(oql_selctx *c, const char *where, int64_t snapshot, int ncols, orb_type *types,
                                 const char **names, const int32_t *field_ids, const char *alias,
                                 const char *const *colnames, int ncolnames) {
  oql_binder *b = c->b;
  oql_from *f = orb_arena_zalloc(b->a, sizeof *f);
  f->kind = OQL_FROM_ICEBERG;
  f->paths = orb_arena_alloc(b->a, sizeof(char *));
  f->paths[0] = orb_arena_strdup(b->a, where);
  f->npaths = 1;
  f->ice_snapshot = snapshot;
  f->field_ids = field_ids;
  f->ncols = ncols;
  f->types = types;
  f->names = names;
  add_derived(c, f, alias ? alias : "iceberg_scan", colnames, ncolnames);
  return f;
}
