/* query/binder_srf.c — set-returning functions in a select list and the
** fields of the records they return.
**
** `SELECT unnest(arr)`, generate_series(start, stop[, step]) (its
** arguments made one record, counted and stepped by ProjectSet) and
** information_schema._pg_expandarray(arr), which
** JDBC's getPrimaryKeys and getIndexInfo put in their select lists, return
** rows, not a value: the binder gives each distinct call a column of its
** own (a gid, as a FROM item's columns get) and the planner puts a
** ProjectSet operator (exec_project_set.c) between FROM/WHERE and the
** projection, which repeats each input row once per row of the functions.
** _pg_expandarray's rows are records (x, n) — the element and its 1-based
** position — read with field selection, `(_pg_expandarray(a)).n` or
** `(keys).x` on a column holding such a record.  One a GROUP BY key uses
** is marked `below`: the planner runs it under the aggregate, so that its
** rows are grouped, as PostgreSQL does. */
#include "query/binder_int.h"

#include <string.h>

bool oql_is_srf_name(const char *name) {
  return strcmp(name, "unnest") == 0 || strcmp(name, "_pg_expandarray") == 0 || strcmp(name, "generate_series") == 0 ||
         oql_regexp_srf_array(name) != NULL || oql_is_json_srf_name(name);
}

/* regexp_matches and regexp_split_to_table are the rows of an array a
** scalar function computes: regexp_matches (expr/func_regex.c) returns all
** its matches as one array of text[], regexp_split_to_array the pieces.
** The name of that function, or NULL for other names. */
const char *oql_regexp_srf_array(const char *name) {
  if (strcmp(name, "regexp_matches") == 0) return "regexp_matches";
  if (strcmp(name, "regexp_split_to_table") == 0) return "regexp_split_to_array";
  return NULL;
}

orb_status oql_b_regexp_srf_array(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                                  orb_type *elem, orb_err *e) {
  orb_status st = oql_b_call(c, oql_regexp_srf_array(name), args, n, false, false, pos, out, e);
  if (st != ORB_OK) return st;
  /* regexp_matches' array holds text[] values: its rows are text[] */
  *elem = (*out)->type.elem == ORB_T_ARRAY ? orb_type_array(ORB_T_TEXT) : orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* 0A000 with PostgreSQL's advice for a set-returning function where it refuses one. */
static orb_status refused(orb_err *e, int pos, const char *msg, const char *where) {
  orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, msg, where);
  orb_err_hint(e, "You might be able to move the set-returning function into a LATERAL FROM item.");
  return e->code;
}

bool oql_uses_srf(const oql_selctx *c, const orb_expr *x) {
  if (x->kind == ORB_E_COLUMN)
    for (int k = 0; k < c->nsrfs; k++)
      if (x->slot == c->srfs[k].gid) return true;
  for (int i = 0; i < x->nargs; i++)
    if (oql_uses_srf(c, x->args[i])) return true;
  return false;
}

bool oql_uses_gid(const orb_expr *x, int gid) {
  if (x->kind == ORB_E_COLUMN && x->slot == gid) return true;
  for (int i = 0; i < x->nargs; i++)
    if (oql_uses_gid(x->args[i], gid)) return true;
  return false;
}

orb_status oql_b_srf(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e) {
  oql_binder *b = c->b;
  if (c->in_agg) return refused(e, pos, "aggregate function calls cannot contain set-returning function calls%s", "");
  if (c->in_win) return refused(e, pos, "window function calls cannot contain set-returning function calls%s", "");
  if (c->srf_unsupported)   /* PostgreSQL evaluates them below the grouping or the window there */
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "set-returning functions in %s are not supported",
                        c->srf_unsupported);
  if (!c->allow_srfs)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "set-returning functions are not allowed in %s",
                        c->agg_ctx ? c->agg_ctx : c->win_ctx ? c->win_ctx : "this context");
  if (c->srf_forbid) return refused(e, pos, "set-returning functions are not allowed in %s", c->srf_forbid);
  orb_status st;
  orb_type elem;
  oql_srf_kind kind = strcmp(name, "_pg_expandarray") == 0 ? OQL_SRF_EXPANDARRAY : OQL_SRF_UNNEST;
  if (strcmp(name, "generate_series") == 0) {
    /* its rows are counted, not kept: the record (start, stop, step) is all ProjectSet needs */
    orb_expr *f[3];
    if ((st = oql_series_args(b, args, n, pos, &elem, &f[0], &f[1], &f[2], e)) != ORB_OK) return st;
    if (!f[2]) f[2] = oql_mk_const(b, orb_int((orb_type_id)elem.id, 1), elem, pos);
    orb_expr *rec = orb_expr_new(b->a, ORB_E_ARRAY, orb_type_make(ORB_T_RECORD), 3);
    rec->pos = pos;
    rec->value = orb_int(ORB_T_INT64, 0);
    for (int i = 0; i < 3; i++) rec->args[i] = f[i];
    args[0] = rec;
    kind = OQL_SRF_SERIES;
  } else if (oql_regexp_srf_array(name)) {
    orb_expr *arr;
    if ((st = oql_b_regexp_srf_array(c, name, args, n, pos, &arr, &elem, e)) != ORB_OK) return st;
    args[0] = arr;
    n = 1;
  } else if (oql_is_json_srf_name(name)) {
    /* json_each(j) & co: unnest of the array of rows the function's scalar half makes (expr/func_json_srf.c) */
    orb_expr *call;
    if ((st = oql_b_call(c, name, args, n, false, false, pos, &call, e)) != ORB_OK) return st;
    args[0] = call;
    n = 1;
    elem = orb_type_make((orb_type_id)call->type.elem);
  } else {
    if (oql_is_json_srf_name(name)) {
      /* json_each(j) & co: unnest of the array of rows the function's scalar half makes (expr/func_json_srf.c) */
      orb_expr *call;
      if ((st = oql_b_call(c, name, args, n, false, false, pos, &call, e)) != ORB_OK) return st;
      args[0] = call;
      n = 1;
    }
    if (n != 1 || args[0]->type.id != ORB_T_ARRAY) return oql_no_function(b, name, args, n, pos, e);
    elem = orb_type_make((orb_type_id)args[0]->type.elem);
  }
  if ((st = oql_b_finish(b, &args[0], e)) != ORB_OK) return st;
  orb_type type = elem;
  if (kind == OQL_SRF_EXPANDARRAY) {
    type = orb_type_make(ORB_T_RECORD);
    type.elem = elem.id;   /* the type of the record's x */
  }
  /* the same call twice is one function: in lockstep its rows are the same */
  int found = -1;
  for (int i = 0; i < c->nsrfs && found < 0; i++)
    if (c->srfs[i].kind == kind && oql_expr_same(c->srfs[i].arg, args[0])) found = i;
  if (found < 0) {
    if (c->nsrfs == c->srfcap) {
      int cap = c->srfcap ? c->srfcap * 2 : 4;
      oql_srf_spec *nv = orb_arena_alloc(b->a, sizeof *nv * (size_t)cap);
      if (c->nsrfs) memcpy(nv, c->srfs, sizeof *nv * (size_t)c->nsrfs);
      c->srfs = nv;
      c->srfcap = cap;
    }
    found = c->nsrfs++;
    c->srfs[found] = (oql_srf_spec){kind, args[0], type, oql_selctx_new_gid(c, name), false};
  }
  orb_expr *x = orb_expr_column(b->a, c->srfs[found].gid, type);
  x->pos = pos;
  *out = x;
  return ORB_OK;
}

orb_status oql_b_field(oql_binder *b, orb_expr *rec, const char *name, int pos, orb_expr **out, orb_err *e) {
  if (rec->type.id != ORB_T_RECORD)
    return orb_err_setx(e, ORB_ERR_TYPE, "42809", pos, "column notation .%s applied to type %s, which is not a composite type",
                        name, oql_type_name(b, rec));
  int field;
  orb_type t;
  if (rec->type.elem == ORB_T_NULL) {   /* a row whose fields have no names here (binder_walk_expr.c resolves (t).col) */
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos, "could not identify column \"%s\" in record data type", name);
  } else if (strcmp(name, "x") == 0) {
    field = 0;
    t = orb_type_make((orb_type_id)rec->type.elem);
  } else if (strcmp(name, "n") == 0) {
    field = 1;
    t = orb_type_make(ORB_T_INT32);
  } else {
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos, "could not identify column \"%s\" in record data type", name);
  }
  orb_expr *x = orb_expr_new(b->a, ORB_E_FIELD, t, 1);
  x->op = (uint8_t)field;
  x->args[0] = rec;
  x->pos = pos;
  *out = x;
  return ORB_OK;
}
