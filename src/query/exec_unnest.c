/* query/exec_unnest.c — unnest(array) as a table function: one row per
** element, in order (NULL elements included); a NULL array gives no rows.
** The json set-returning functions in FROM are unnests of the arrays their
** scalar halves make (expr/func_json_srf.c); json_each's elements are
** (key, value) records, handed out as two columns. */
#include "query/exec.h"
#include "types/array.h"

#include <string.h>

typedef struct unnest_op {
  oql_op op;
  orb_expr *arg;
  orb_value arr;
  uint32_t next;
  int ncols;
  orb_value *out;
  orb_arena arena;   /* the array, kept across the per-row arena resets above */
} unnest_op;

static orb_status unnest_open(oql_op *op, oql_rt *rt, orb_err *e) {
  unnest_op *u = (unnest_op *)op;
  u->next = 0;
  orb_arena_reset(&u->arena);
  orb_status st = orb_expr_eval(u->arg, &rt->ctx, NULL, &u->arr, e);
  if (st == ORB_OK) u->arr = orb_value_copy(&u->arr, &u->arena);
  return st;
}

static orb_status unnest_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt, (void)e;
  unnest_op *u = (unnest_op *)op;
  if (u->arr.isnull || u->next >= u->arr.u.arr->n) {
    *row = NULL;
    return ORB_OK;
  }
  const orb_value *item = &u->arr.u.arr->items[u->next++];
  if (u->ncols == 1) {
    u->out[0] = *item;
  } else {
    for (int i = 0; i < u->ncols; i++)
      u->out[i] = !item->isnull && (uint32_t)i < item->u.arr->n ? item->u.arr->items[i] : orb_null((orb_type_id)u->op.types[i].id);
  }
  *row = u->out;
  return ORB_OK;
}

static void unnest_destroy(oql_op *op) { orb_arena_free(&((unnest_op *)op)->arena); }

static const oql_op_vt unnest_vt = {"Function Scan on unnest", unnest_open, unnest_next, NULL, unnest_destroy, NULL, NULL};

oql_op *oql_unnest_new(orb_arena *a, const orb_type *types, int ncols, orb_expr *arg) {
  unnest_op *u = orb_arena_zalloc(a, sizeof *u);
  u->op.vt = &unnest_vt;
  u->op.ncols = ncols;
  u->ncols = ncols;
  u->op.types = orb_arena_alloc(a, sizeof(orb_type) * (size_t)ncols);
  memcpy(u->op.types, types, sizeof(orb_type) * (size_t)ncols);
  u->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)ncols);
  u->arg = arg;
  orb_arena_init(&u->arena, 4096);
  return &u->op;
}
