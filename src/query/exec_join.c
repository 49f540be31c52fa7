/* query/exec_join.c — hash join (equality keys) and nested-loop join.
**
** Both build on the right input: its rows are copied into the operator's
** arena before the first left row is read.  The hash join hashes the right
** key values and probes with the left key values (the binder has cast both
** sides to a common type); rows whose key contains NULL never match.  A
** residual condition (the non-equality part of ON) is tested on the combined
** row.  LEFT joins emit a left row with NULLs when nothing matched.  FULL
** joins also mark each right row that matched, and once the left input is
** done emit every unmarked right row (those with NULL keys included) with
** NULLs for the left columns.  RIGHT joins never reach here: the planner
** turns them into LEFT joins with the inputs swapped. */
#include "query/exec.h"

#include <string.h>

#include "base/mem.h"

typedef struct build_row {
  orb_value *keys;
  orb_value *row;
  bool matched;             /* FULL: some left row joined it */
} build_row;

typedef struct join_op {
  oql_op op;
  oql_join_type jt;
  orb_expr **lkeys, **rkeys;
  int nkeys;
  orb_expr *residual;       /* hash join: residual; nested loop: whole condition */
  bool hashed;
  orb_arena arena;
  orb_hmap table;           /* hash join: key hash -> build_row */
  build_row *rows;          /* nested loop: all right rows */
  size_t nrows, cap;
  build_row **all;          /* FULL hash join: every right row, for the unmatched ones at the end */
  size_t nall, allcap;
  size_t tail;              /* FULL: next right row to consider once the left input is done */
  bool left_done;
  orb_value *keybuf;
  orb_value *out;
  const orb_value *cur;     /* current left row, NULL when a new one is needed */
  build_row *cand;          /* hash join: next candidate for the current left row */
  orb_hmap_iter it;
  size_t nlpos;             /* nested loop: next right row */
  bool matched;
  bool right_open, left_open;
} join_op;

static orb_status eval_keys(orb_expr **keys, int n, oql_rt *rt, const orb_value *row, orb_value *out,
                            bool *hasnull, orb_err *e) {
  *hasnull = false;
  for (int i = 0; i < n; i++) {
    if (keys[i]->kind == ORB_E_COLUMN) {
      out[i] = row[keys[i]->slot];
    } else {
      orb_status st = orb_expr_eval(keys[i], &rt->ctx, row, &out[i], e);
      if (st != ORB_OK) return st;
    }
    if (out[i].isnull) *hasnull = true;
  }
  return ORB_OK;
}

static orb_status build(join_op *j, oql_rt *rt, orb_err *e) {
  oql_op *r = j->op.right;
  int rn = r->ncols;
  orb_status st = oql_op_open(r, rt, e);
  j->right_open = true;
  if (st != ORB_OK) return st;
  for (;;) {
    const orb_value *in;
    if ((st = oql_op_next(r, rt, &in, e)) != ORB_OK) return st;
    if (!in) break;
    if (j->hashed) {
      bool hasnull;
      if ((st = eval_keys(j->rkeys, j->nkeys, rt, in, j->keybuf, &hasnull, e)) != ORB_OK) return st;
      if (!hasnull || j->jt == OQL_JOIN_FULL) {
        build_row *b = orb_arena_zalloc(&j->arena, sizeof *b);
        b->row = orb_arena_alloc(&j->arena, sizeof(orb_value) * (size_t)(rn + 1));
        oql_row_copy(b->row, in, rn, &j->arena);
        if (!hasnull) {
          b->keys = orb_arena_alloc(&j->arena, sizeof(orb_value) * (size_t)j->nkeys);
          oql_row_copy(b->keys, j->keybuf, j->nkeys, &j->arena);
          orb_hmap_put(&j->table, oql_row_hash(b->keys, j->nkeys), b);
        }
        if (j->jt == OQL_JOIN_FULL) {
          j->all = orb_grow(j->all, &j->allcap, j->nall + 1, sizeof(build_row *));
          j->all[j->nall++] = b;
        }
      }
    } else {
      j->rows = orb_grow(j->rows, &j->cap, j->nrows + 1, sizeof(build_row));
      build_row *b = &j->rows[j->nrows++];
      b->keys = NULL;
      b->matched = false;
      b->row = orb_arena_alloc(&j->arena, sizeof(orb_value) * (size_t)(rn + 1));
      oql_row_copy(b->row, in, rn, &j->arena);
    }
    orb_arena_reset(&rt->tmp);
  }
  oql_op_close(r, rt);
  j->right_open = false;
  return ORB_OK;
}

static orb_status join_open(oql_op *op, oql_rt *rt, orb_err *e) {
  join_op *j = (join_op *)op;
  oql_rt_track(rt, &j->arena);   /* counted against statement_mem */
  orb_hmap_clear(&j->table);
  orb_arena_reset(&j->arena);
  j->nrows = j->nall = j->tail = 0;
  j->cur = NULL;
  j->left_done = false;
  orb_status st = build(j, rt, e);
  if (st != ORB_OK) return st;
  st = oql_op_open(op->left, rt, e);
  j->left_open = true;
  return st;
}

static void emit(join_op *j, const orb_value *right) {
  int ln = j->op.left->ncols, rn = j->op.right->ncols;
  if (right) {
    memcpy(j->out + ln, right, sizeof(orb_value) * (size_t)rn);
  } else {
    for (int i = 0; i < rn; i++) j->out[ln + i] = orb_null(j->op.right->types[i].id);
  }
}

/* FULL, once the left input is done: the next right row no left row
** joined, with NULLs for the left columns; NULL when there are no more. */
static const orb_value *unmatched_right(join_op *j) {
  int ln = j->op.left->ncols;
  for (;;) {
    build_row *b;
    if (j->hashed) {
      if (j->tail >= j->nall) return NULL;
      b = j->all[j->tail++];
    } else {
      if (j->tail >= j->nrows) return NULL;
      b = &j->rows[j->tail++];
    }
    if (b->matched) continue;
    for (int i = 0; i < ln; i++) j->out[i] = orb_null(j->op.left->types[i].id);
    emit(j, b->row);
    return j->out;
  }
}

static orb_status join_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  join_op *j = (join_op *)op;
  int ln = op->left->ncols;
  orb_status st;
  for (;;) {
    if (!j->cur) {
      const orb_value *l;
      if (j->left_done) {
        *row = unmatched_right(j);
        return ORB_OK;
      }
      if ((st = oql_op_next(op->left, rt, &l, e)) != ORB_OK) return st;
      if (!l) {
        if (j->jt == OQL_JOIN_FULL) {
          j->left_done = true;
          continue;
        }
        *row = NULL;
        return ORB_OK;
      }
      j->cur = l;
      j->matched = false;
      memcpy(j->out, l, sizeof(orb_value) * (size_t)ln);
      if (j->hashed) {
        bool hasnull;
        if ((st = eval_keys(j->lkeys, j->nkeys, rt, l, j->keybuf, &hasnull, e)) != ORB_OK) return st;
        j->cand = hasnull ? NULL : orb_hmap_find(&j->table, oql_row_hash(j->keybuf, j->nkeys), &j->it);
      } else {
        j->nlpos = 0;
      }
    }
    for (;;) {
      build_row *b;
      if (j->hashed) {
        b = j->cand;
        if (!b) break;
        j->cand = orb_hmap_next(&j->it);
        if (!oql_row_same(b->keys, j->keybuf, j->nkeys)) continue;
      } else {
        if (j->nlpos >= j->nrows) break;
        b = &j->rows[j->nlpos++];
      }
      emit(j, b->row);
      bool ok = true;
      if (j->residual && (st = orb_expr_test(j->residual, &rt->ctx, j->out, &ok, e)) != ORB_OK) return st;
      if (ok) {
        j->matched = true;
        b->matched = true;
        *row = j->out;
        return ORB_OK;
      }
    }
    j->cur = NULL;
    if (!j->matched && j->jt != OQL_JOIN_INNER) {
      emit(j, NULL);
      *row = j->out;
      return ORB_OK;
    }
  }
}

static void join_close(oql_op *op, oql_rt *rt) {
  join_op *j = (join_op *)op;
  if (j->right_open) oql_op_close(op->right, rt);
  if (j->left_open) oql_op_close(op->left, rt);
  j->right_open = j->left_open = false;
  orb_hmap_clear(&j->table);
  orb_arena_reset(&j->arena);
  j->nrows = j->nall = j->tail = 0;
  j->cur = NULL;
}

static void join_destroy(oql_op *op) {
  join_op *j = (join_op *)op;
  orb_hmap_free(&j->table);
  orb_arena_free(&j->arena);
  orb_free(j->rows);
  orb_free(j->all);
  j->rows = NULL;
  j->all = NULL;
}

static void join_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const join_op *j = (const join_op *)op;
  orb_buf_puts(head, j->jt == OQL_JOIN_LEFT ? " (left)" : j->jt == OQL_JOIN_FULL ? " (full)" : " (inner)");
  if (j->hashed) {
    orb_buf_puts(lines, "Hash Cond: ");
    for (int i = 0; i < j->nkeys; i++) {
      if (i) orb_buf_puts(lines, " AND ");
      orb_buf_putc(lines, '(');
      oql_explain_expr(j->lkeys[i], op->left->names, lines);
      orb_buf_puts(lines, " = ");
      oql_explain_expr(j->rkeys[i], op->right->names, lines);
      orb_buf_putc(lines, ')');
    }
    orb_buf_putc(lines, '\n');
  }
  if (j->residual) {
    orb_buf_puts(lines, j->hashed ? "Join Filter: " : "Join Cond: ");
    oql_explain_expr(j->residual, op->names, lines);
    orb_buf_putc(lines, '\n');
  }
}

static const oql_op_vt hashjoin_vt = {"Hash Join", join_open, join_next, join_close, join_destroy, join_explain, NULL};
static const oql_op_vt nljoin_vt = {"Nested Loop", join_open, join_next, join_close, join_destroy, join_explain, NULL};

static join_op *join_new(orb_arena *a, oql_join_type jt, oql_op *left, oql_op *right) {
  join_op *j = orb_arena_zalloc(a, sizeof *j);
  j->jt = jt;
  j->op.left = left;
  j->op.right = right;
  j->op.ncols = left->ncols + right->ncols;
  j->op.types = orb_arena_alloc(a, sizeof(orb_type) * (size_t)(j->op.ncols + 1));
  memcpy(j->op.types, left->types, sizeof(orb_type) * (size_t)left->ncols);
  memcpy(j->op.types + left->ncols, right->types, sizeof(orb_type) * (size_t)right->ncols);
  if (left->names && right->names) {
    j->op.names = orb_arena_alloc(a, sizeof(char *) * (size_t)(j->op.ncols + 1));
    memcpy(j->op.names, left->names, sizeof(char *) * (size_t)left->ncols);
    memcpy(j->op.names + left->ncols, right->names, sizeof(char *) * (size_t)right->ncols);
  }
  j->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(j->op.ncols + 1));
  orb_arena_init(&j->arena, 65536);
  orb_hmap_init(&j->table, 0);
  return j;
}

oql_op *oql_hashjoin_new(orb_arena *a, oql_join_type jt, oql_op *left, oql_op *right, orb_expr **lkeys,
                         orb_expr **rkeys, int nkeys, orb_expr *residual) {
  join_op *j = join_new(a, jt, left, right);
  j->op.vt = &hashjoin_vt;
  j->hashed = true;
  j->lkeys = lkeys;
  j->rkeys = rkeys;
  j->nkeys = nkeys;
  j->residual = residual;
  j->keybuf = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(nkeys + 1));
  return &j->op;
}

oql_op *oql_nljoin_new(orb_arena *a, oql_join_type jt, oql_op *left, oql_op *right, orb_expr *cond) {
  join_op *j = join_new(a, jt, left, right);
  j->op.vt = &nljoin_vt;
  j->residual = cond;
  return &j->op;
}
