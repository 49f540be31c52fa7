/* query/exec_unnest.c — unnest(array) as a table function: one row per
** element, in order (NULL elements included); a NULL array gives no rows. */
#include "query/exec.h"
#include "types/array.h"

typedef struct unnest_op {
  oql_op op;
  orb_expr *arg;
  orb_value arr;
  uint32_t next;
  orb_value out;
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
  u->out = u->arr.u.arr->items[u->next++];
  *row = &u->out;
  return ORB_OK;
}

static void unnest_destroy(oql_op *op) { orb_arena_free(&((unnest_op *)op)->arena); }

static const oql_op_vt unnest_vt = {"Function Scan on unnest", unnest_open, unnest_next, NULL, unnest_destroy, NULL, NULL};

oql_op *oql_unnest_new(orb_arena *a, orb_type elem, orb_expr *arg) {
  unnest_op *u = orb_arena_zalloc(a, sizeof *u);
  u->op.vt = &unnest_vt;
  u->op.ncols = 1;
  u->op.types = orb_arena_alloc(a, sizeof(orb_type));
  u->op.types[0] = elem;
  u->arg = arg;
  orb_arena_init(&u->arena, 4096);
  return &u->op;
}
