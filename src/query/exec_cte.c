/* query/exec_cte.c — WITH queries: the shared buffer of a materialized one
** and its CTE Scans, the CTE operator that scopes the buffer to one
** execution of the query defining it, and WITH RECURSIVE's Recursive Union
** with its work table (exec.h). */
#include "query/exec.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Rows kept for later: their values in `arena`, pointers to them in v. */
typedef struct rowstore {
  orb_arena arena;
  const orb_value **v;
  size_t n, cap;
} rowstore;

static void rowstore_init(rowstore *s) {
  orb_arena_init(&s->arena, 16384);
  s->v = NULL;
  s->n = s->cap = 0;
}

static void rowstore_push(rowstore *s, const orb_value *row) {
  s->v = orb_grow(s->v, &s->cap, s->n + 1, sizeof *s->v);
  s->v[s->n++] = row;
}

/* A copy of row (ncols values) in the store's arena, kept. */
static const orb_value *rowstore_copy(rowstore *s, const orb_value *row, int ncols) {
  orb_value *copy = orb_arena_alloc(&s->arena, sizeof(orb_value) * (size_t)(ncols + 1));
  oql_row_copy(copy, row, ncols, &s->arena);
  rowstore_push(s, copy);
  return copy;
}

static void rowstore_reset(rowstore *s) {
  orb_arena_reset(&s->arena);
  s->n = 0;
}

static void rowstore_free(rowstore *s) {
  orb_arena_free(&s->arena);
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

/* --- a materialized WITH query --------------------------------------------- */

struct oql_cte_buf {
  const char *name;
  oql_op *plan;
  bool open;             /* plan opened and not yet drained */
  bool done;             /* every row of the plan is in `rows` */
  rowstore rows;
};

oql_cte_buf *oql_cte_buf_new(orb_arena *a, const char *name) {
  oql_cte_buf *b = orb_arena_zalloc(a, sizeof *b);
  b->name = name;
  rowstore_init(&b->rows);
  return b;
}

void oql_cte_buf_set_plan(oql_cte_buf *buf, oql_op *plan) { buf->plan = plan; }

static void cte_buf_reset(oql_cte_buf *b, oql_rt *rt) {
  if (b->open) oql_op_close(b->plan, rt);
  b->open = b->done = false;
  rowstore_reset(&b->rows);
}

typedef struct cte_scan_op {
  oql_op op;
  oql_cte_buf *buf;
  size_t pos;
  const char *alias;
} cte_scan_op;

static orb_status cte_scan_open(oql_op *op, oql_rt *rt, orb_err *e) {
  (void)rt;
  (void)e;
  ((cte_scan_op *)op)->pos = 0;
  return ORB_OK;
}

static orb_status cte_scan_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  cte_scan_op *sc = (cte_scan_op *)op;
  oql_cte_buf *b = sc->buf;
  if (sc->pos < b->rows.n) {
    *row = b->rows.v[sc->pos++];
    return ORB_OK;
  }
  *row = NULL;
  if (b->done) return ORB_OK;
  orb_status st;
  if (!b->open) {   /* the first reader to get here starts the query */
    oql_rt_track(rt, &b->rows.arena);   /* counted against statement_mem */
    if ((st = oql_op_open(b->plan, rt, e)) != ORB_OK) return st;
    b->open = true;
  }
  const orb_value *r;
  if ((st = oql_op_next(b->plan, rt, &r, e)) != ORB_OK) return st;
  if (!r) {
    oql_op_close(b->plan, rt);
    b->open = false;
    b->done = true;
    return ORB_OK;
  }
  *row = rowstore_copy(&b->rows, r, op->ncols);
  sc->pos++;
  return ORB_OK;
}

static void cte_scan_close(oql_op *op, oql_rt *rt) {
  (void)op;
  (void)rt;
}

static void cte_scan_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const cte_scan_op *sc = (const cte_scan_op *)op;
  (void)lines;
  orb_buf_printf(head, " on %s", sc->buf->name);
  if (sc->alias && strcmp(sc->alias, sc->buf->name) != 0) orb_buf_printf(head, " %s", sc->alias);
}

static const oql_op_vt cte_scan_vt = {"CTE Scan", cte_scan_open, cte_scan_next, cte_scan_close, NULL, cte_scan_explain,
                                      NULL};

oql_op *oql_cte_scan_new(orb_arena *a, oql_cte_buf *buf, int ncols, const orb_type *types, const char *alias) {
  cte_scan_op *sc = orb_arena_zalloc(a, sizeof *sc);
  sc->op.vt = &cte_scan_vt;
  sc->op.ncols = ncols;
  sc->op.types = (orb_type *)types;
  sc->buf = buf;
  sc->alias = alias;
  return &sc->op;
}

/* The CTE operator: left is the WITH query's plan (shown by EXPLAIN, run
** through the buffer), right the query that defines it, whose rows it
** passes on. */
typedef struct cte_op {
  oql_op op;
  oql_cte_buf *buf;
} cte_op;

static orb_status cte_open(oql_op *op, oql_rt *rt, orb_err *e) {
  cte_buf_reset(((cte_op *)op)->buf, rt);   /* each execution computes it afresh */
  return oql_op_open(op->right, rt, e);
}

static orb_status cte_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  return oql_op_next(op->right, rt, row, e);
}

static void cte_close(oql_op *op, oql_rt *rt) {
  oql_op_close(op->right, rt);
  cte_buf_reset(((cte_op *)op)->buf, rt);
}

static void cte_destroy(oql_op *op) { rowstore_free(&((cte_op *)op)->buf->rows); }

static void cte_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)lines;
  orb_buf_printf(head, " %s", ((const cte_op *)op)->buf->name);
}

static const oql_op_vt cte_vt = {"CTE", cte_open, cte_next, cte_close, cte_destroy, cte_explain, NULL};

oql_op *oql_cte_new(orb_arena *a, oql_op *query, oql_cte_buf *buf) {
  cte_op *c = orb_arena_zalloc(a, sizeof *c);
  c->op.vt = &cte_vt;
  c->op.left = buf->plan;
  c->op.right = query;
  c->op.ncols = query->ncols;
  c->op.types = query->types;
  c->op.names = query->names;
  c->buf = buf;
  return &c->op;
}

/* --- WITH RECURSIVE ------------------------------------------------------------ */

struct oql_worktable {
  rowstore *cur;         /* the rows of the last iteration */
};

oql_worktable *oql_worktable_new(orb_arena *a) { return orb_arena_zalloc(a, sizeof(oql_worktable)); }

typedef struct worktable_scan_op {
  oql_op op;
  oql_worktable *wt;
  size_t pos;
  const char *name;
} worktable_scan_op;

static orb_status worktable_scan_open(oql_op *op, oql_rt *rt, orb_err *e) {
  (void)rt;
  (void)e;
  ((worktable_scan_op *)op)->pos = 0;
  return ORB_OK;
}

static orb_status worktable_scan_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  worktable_scan_op *w = (worktable_scan_op *)op;
  (void)rt;
  (void)e;
  *row = w->wt->cur && w->pos < w->wt->cur->n ? w->wt->cur->v[w->pos++] : NULL;
  return ORB_OK;
}

static void worktable_scan_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)lines;
  orb_buf_printf(head, " on %s", ((const worktable_scan_op *)op)->name);
}

static const oql_op_vt worktable_scan_vt = {"WorkTable Scan", worktable_scan_open, worktable_scan_next, cte_scan_close,
                                            NULL, worktable_scan_explain, NULL};

oql_op *oql_worktable_scan_new(orb_arena *a, oql_worktable *wt, int ncols, const orb_type *types, const char *name) {
  worktable_scan_op *w = orb_arena_zalloc(a, sizeof *w);
  w->op.vt = &worktable_scan_vt;
  w->op.ncols = ncols;
  w->op.types = (orb_type *)types;
  w->wt = wt;
  w->name = name;
  return &w->op;
}

typedef struct recursive_union_op {
  oql_op op;
  oql_worktable *wt;
  bool all;
  int phase;             /* 0 reading the non-recursive term, 1 an iteration of the recursive one, 2 done */
  bool src_open;
  rowstore stores[2];    /* the work table and the next iteration's rows, by turns */
  rowstore *next;
  orb_hmap seen;         /* without ALL: every row handed out (in seen_arena) */
  orb_arena seen_arena;
} recursive_union_op;

static orb_status recursive_union_open(oql_op *op, oql_rt *rt, orb_err *e) {
  recursive_union_op *r = (recursive_union_op *)op;
  for (int i = 0; i < 2; i++) {
    rowstore_reset(&r->stores[i]);
    oql_rt_track(rt, &r->stores[i].arena);   /* counted against statement_mem */
  }
  orb_hmap_clear(&r->seen);
  orb_arena_reset(&r->seen_arena);
  oql_rt_track(rt, &r->seen_arena);
  r->wt->cur = &r->stores[0];
  r->next = &r->stores[1];
  r->phase = 0;
  orb_status st = oql_op_open(op->left, rt, e);
  r->src_open = st == ORB_OK;
  return st;
}

static orb_status recursive_union_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  recursive_union_op *r = (recursive_union_op *)op;
  orb_status st;
  for (;;) {
    *row = NULL;
    if (r->phase == 2) return ORB_OK;
    oql_op *src = r->phase == 0 ? op->left : op->right;
    const orb_value *in;
    if ((st = oql_op_next(src, rt, &in, e)) != ORB_OK) return st;
    if (in) {
      if (r->all) {
        *row = rowstore_copy(r->next, in, op->ncols);
        return ORB_OK;
      }
      const orb_value *copy = oql_rowset_add(&r->seen, &r->seen_arena, in, op->ncols);
      if (!copy) continue;   /* handed out already */
      rowstore_push(r->next, copy);
      *row = copy;
      return ORB_OK;
    }
    /* the term is drained: its rows become the work table of the next iteration */
    oql_op_close(src, rt);
    r->src_open = false;
    if (r->next->n == 0) {
      r->phase = 2;
      continue;
    }
    rowstore *done = r->wt->cur;
    r->wt->cur = r->next;
    rowstore_reset(done);
    r->next = done;
    r->phase = 1;
    if ((st = oql_op_open(op->right, rt, e)) != ORB_OK) return st;
    r->src_open = true;
  }
}

static void recursive_union_close(oql_op *op, oql_rt *rt) {
  recursive_union_op *r = (recursive_union_op *)op;
  if (r->src_open) oql_op_close(r->phase == 0 ? op->left : op->right, rt);
  r->src_open = false;
  for (int i = 0; i < 2; i++) rowstore_reset(&r->stores[i]);
  orb_hmap_clear(&r->seen);
  orb_arena_reset(&r->seen_arena);
  r->wt->cur = NULL;
}

static void recursive_union_destroy(oql_op *op) {
  recursive_union_op *r = (recursive_union_op *)op;
  for (int i = 0; i < 2; i++) rowstore_free(&r->stores[i]);
  orb_hmap_free(&r->seen);
  orb_arena_free(&r->seen_arena);
}

static void recursive_union_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)lines;
  if (((const recursive_union_op *)op)->all) orb_buf_puts(head, " All");
}

static const oql_op_vt recursive_union_vt = {"Recursive Union", recursive_union_open, recursive_union_next,
                                             recursive_union_close, recursive_union_destroy, recursive_union_explain,
                                             NULL};

oql_op *oql_recursive_union_new(orb_arena *a, oql_op *nonrec, oql_op *rec, oql_worktable *wt, bool all) {
  recursive_union_op *r = orb_arena_zalloc(a, sizeof *r);
  r->op.vt = &recursive_union_vt;
  r->op.left = nonrec;
  r->op.right = rec;
  r->op.ncols = nonrec->ncols;
  r->op.types = nonrec->types;
  r->op.names = nonrec->names;
  r->wt = wt;
  r->all = all;
  for (int i = 0; i < 2; i++) rowstore_init(&r->stores[i]);
  orb_hmap_init(&r->seen, 0);
  orb_arena_init(&r->seen_arena, 16384);
  return &r->op;
}
