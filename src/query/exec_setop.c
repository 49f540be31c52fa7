/* query/exec_setop.c — INTERSECT [ALL] and EXCEPT [ALL] (PostgreSQL's
** HashSetOp): the right input's distinct rows go into a hash table with how
** many times each came; the left input then streams through it:
**   INTERSECT      a left row comes out once if the right side had it;
**   INTERSECT ALL  as often as both sides had it (min of the two counts);
**   EXCEPT         a left row comes out once if the right side lacked it;
**   EXCEPT ALL     as often as the left side had it more than the right.
** Rows are equal as in DISTINCT (NULL equals NULL). */
#include "query/exec.h"

typedef struct setop_entry {
  orb_value *row;
  int64_t count;     /* right-side rows like it not yet matched by a left row */
  bool emitted;      /* without ALL: already handed out */
} setop_entry;

typedef struct setop_op {
  oql_op op;
  bool except, all;
  orb_hmap rows;
  orb_arena arena;
} setop_op;

static setop_entry *setop_find(setop_op *s, const orb_value *row, uint64_t h) {
  orb_hmap_iter it;
  for (setop_entry *x = orb_hmap_find(&s->rows, h, &it); x; x = orb_hmap_next(&it))
    if (oql_row_same(x->row, row, s->op.ncols)) return x;
  return NULL;
}

static setop_entry *setop_add(setop_op *s, const orb_value *row, uint64_t h) {
  setop_entry *x = orb_arena_zalloc(&s->arena, sizeof *x);
  x->row = orb_arena_alloc(&s->arena, sizeof(orb_value) * (size_t)(s->op.ncols + 1));
  oql_row_copy(x->row, row, s->op.ncols, &s->arena);
  orb_hmap_put(&s->rows, h, x);
  return x;
}

static orb_status setop_open(oql_op *op, oql_rt *rt, orb_err *e) {
  setop_op *s = (setop_op *)op;
  oql_rt_track(rt, &s->arena);   /* counted against statement_mem */
  orb_hmap_clear(&s->rows);
  orb_arena_reset(&s->arena);
  orb_status st = oql_op_open(op->right, rt, e);
  for (;;) {
    const orb_value *row;
    if (st == ORB_OK) st = oql_op_next(op->right, rt, &row, e);
    if (st != ORB_OK || !row) break;
    uint64_t h = oql_row_hash(row, op->ncols);
    setop_entry *x = setop_find(s, row, h);
    if (!x) x = setop_add(s, row, h);
    x->count++;
    orb_arena_reset(&rt->tmp);   /* nothing above holds a value yet */
  }
  oql_op_close(op->right, rt);
  if (st != ORB_OK) return st;
  return oql_op_open(op->left, rt, e);
}

static orb_status setop_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  setop_op *s = (setop_op *)op;
  for (;;) {
    orb_status st = oql_op_next(op->left, rt, row, e);
    if (st != ORB_OK || !*row) return st;
    uint64_t h = oql_row_hash(*row, op->ncols);
    setop_entry *x = setop_find(s, *row, h);
    if (s->all) {
      if (x && x->count > 0) {   /* matched by a right-side row */
        x->count--;
        if (!s->except) return ORB_OK;
        continue;
      }
      if (s->except) return ORB_OK;
      continue;
    }
    if (!x) {
      if (!s->except) continue;
      x = setop_add(s, *row, h);   /* remembered, so that it comes out once */
    } else if (x->emitted || (s->except ? x->count > 0 : x->count == 0)) {
      continue;
    }
    x->emitted = true;
    return ORB_OK;
  }
}

static void setop_close(oql_op *op, oql_rt *rt) {
  setop_op *s = (setop_op *)op;
  oql_op_close(op->left, rt);
  orb_hmap_clear(&s->rows);
  orb_arena_reset(&s->arena);
}

static void setop_destroy(oql_op *op) {
  setop_op *s = (setop_op *)op;
  orb_hmap_free(&s->rows);
  orb_arena_free(&s->arena);
}

static void setop_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const setop_op *s = (const setop_op *)op;
  (void)lines;
  orb_buf_printf(head, " %s%s", s->except ? "Except" : "Intersect", s->all ? " All" : "");
}

static const oql_op_vt setop_vt = {"HashSetOp", setop_open, setop_next, setop_close, setop_destroy, setop_explain, NULL};

oql_op *oql_setop_new(orb_arena *a, oql_op *left, oql_op *right, bool except, bool all) {
  setop_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &setop_vt;
  s->op.left = left;
  s->op.right = right;
  s->op.ncols = left->ncols;
  s->op.types = left->types;
  s->op.names = left->names;
  s->except = except;
  s->all = all;
  orb_hmap_init(&s->rows, 0);
  orb_arena_init(&s->arena, 16384);
  return &s->op;
}
