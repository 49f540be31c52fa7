/* query/exec_sort.c — ORDER BY: materialize the input, sort, hand rows out. */
#include "query/exec.h"

#include <stdlib.h>

#include "base/mem.h"

typedef struct sort_op {
  oql_op op;
  oql_sort_key *keys;
  int nkeys;
  orb_arena arena;          /* copied rows; reset at each open */
  orb_value **rows;         /* each row has ncols values plus one holding its input sequence number */
  size_t nrows, cap;
  size_t pos;
} sort_op;

/* Compare two rows by the sort keys; NULL placement per key; ties keep input order. */
static int sort_cmp(const void *pa, const void *pb, void *arg) {
  const sort_op *s = arg;
  const orb_value *a = *(orb_value *const *)pa, *b = *(orb_value *const *)pb;
  for (int i = 0; i < s->nkeys; i++) {
    const oql_sort_key *k = &s->keys[i];
    const orb_value *x = &a[k->slot], *y = &b[k->slot];
    if (x->isnull || y->isnull) {
      if (x->isnull && y->isnull) continue;
      int c = x->isnull ? 1 : -1;
      return k->nulls_first ? -c : c;
    }
    int c = orb_value_cmp(x, y);
    if (c) return k->desc ? -c : c;
  }
  int64_t sa = a[s->op.ncols].u.i, sb = b[s->op.ncols].u.i;
  return sa < sb ? -1 : sa > sb;
}

static orb_status sort_open(oql_op *op, oql_rt *rt, orb_err *e) {
  sort_op *s = (sort_op *)op;
  oql_rt_track(rt, &s->arena);   /* counted against statement_mem */
  orb_arena_reset(&s->arena);
  s->nrows = 0;
  s->pos = 0;
  orb_status st = oql_op_open(op->left, rt, e);
  if (st != ORB_OK) return st;
  for (;;) {
    const orb_value *in;
    st = oql_op_next(op->left, rt, &in, e);
    if (st != ORB_OK) return st;
    if (!in) break;
    s->rows = orb_grow(s->rows, &s->cap, s->nrows + 1, sizeof(orb_value *));
    orb_value *r = orb_arena_alloc(&s->arena, sizeof(orb_value) * (size_t)(op->ncols + 1));
    oql_row_copy(r, in, op->ncols, &s->arena);
    r[op->ncols].u.i = (int64_t)s->nrows;
    s->rows[s->nrows++] = r;
    orb_arena_reset(&rt->tmp);
  }
  if (s->nrows > 1) qsort_r(s->rows, s->nrows, sizeof(orb_value *), sort_cmp, s);
  return ORB_OK;
}

static orb_status sort_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  (void)e;
  sort_op *s = (sort_op *)op;
  *row = s->pos < s->nrows ? s->rows[s->pos++] : NULL;
  return ORB_OK;
}

static void sort_close(oql_op *op, oql_rt *rt) {
  sort_op *s = (sort_op *)op;
  oql_op_close(op->left, rt);
  orb_arena_reset(&s->arena);
  s->nrows = 0;
}

static void sort_destroy(oql_op *op) {
  sort_op *s = (sort_op *)op;
  orb_arena_free(&s->arena);
  orb_free(s->rows);
  s->rows = NULL;
  s->cap = 0;
}

static void sort_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  const sort_op *s = (const sort_op *)op;
  orb_buf_puts(lines, "Sort Key: ");
  for (int i = 0; i < s->nkeys; i++) {
    const oql_sort_key *k = &s->keys[i];
    if (i) orb_buf_puts(lines, ", ");
    const char *nm = op->names ? op->names[k->slot] : NULL;
    if (nm)
      orb_buf_puts(lines, nm);
    else
      orb_buf_printf(lines, "$%d", k->slot + 1);
    if (k->desc) orb_buf_puts(lines, " DESC");
    if (k->nulls_first != k->desc) orb_buf_puts(lines, k->nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt sort_vt = {"Sort", sort_open, sort_next, sort_close, sort_destroy, sort_explain, NULL};

oql_op *oql_sort_new(orb_arena *a, oql_op *child, const oql_sort_key *keys, int nkeys) {
  sort_op *s = orb_arena_zalloc(a, sizeof *s);
  s->op.vt = &sort_vt;
  s->op.left = child;
  s->op.ncols = child->ncols;
  s->op.types = child->types;
  s->op.names = child->names;
  s->keys = orb_arena_dup_array(a, keys, sizeof(oql_sort_key), (size_t)nkeys);
  s->nkeys = nkeys;
  orb_arena_init(&s->arena, 65536);
  return &s->op;
}
