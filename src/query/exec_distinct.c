/* query/exec_distinct.c — DISTINCT (streaming hash set of seen rows),
** DISTINCT ON (first row of each run of equal keys in sorted input) and
** UNION ALL (append). */
#include "query/exec.h"

#include "base/mem.h"


uint64_t oql_row_hash(const orb_value *row, int n) {
  uint64_t h = 0x2545F4914F6CDD1DULL;
  for (int i = 0; i < n; i++) h = orb_hash_mix(h, row[i].isnull ? 0x9e37 : orb_value_hash(&row[i]));
  return h ? h : 1;
}

bool oql_row_same(const orb_value *a, const orb_value *b, int n) {
  for (int i = 0; i < n; i++) {
    if (a[i].isnull != b[i].isnull) return false;
    if (!a[i].isnull && orb_value_cmp(&a[i], &b[i]) != 0) return false;
  }
  return true;
}

typedef struct distinct_op {
  oql_op op;
  int nkey;
  orb_hmap seen;
  orb_arena arena;
} distinct_op;

static orb_status distinct_open(oql_op *op, oql_rt *rt, orb_err *e) {
  distinct_op *d = (distinct_op *)op;
  oql_rt_track(rt, &d->arena);   /* counted against statement_mem */
  orb_hmap_clear(&d->seen);
  orb_arena_reset(&d->arena);
  return oql_op_open(op->left, rt, e);
}

static orb_status distinct_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  distinct_op *d = (distinct_op *)op;
  int nk = d->nkey < 0 ? op->ncols : d->nkey;
  for (;;) {
    orb_status st = oql_op_next(op->left, rt, row, e);
    if (st != ORB_OK || !*row) return st;
    uint64_t h = oql_row_hash(*row, nk);
    orb_hmap_iter it;
    bool dup = false;
    for (orb_value *v = orb_hmap_find(&d->seen, h, &it); v; v = orb_hmap_next(&it))
      if (oql_row_same(v, *row, nk)) {
        dup = true;
        break;
      }
    if (dup) continue;
    orb_value *copy = orb_arena_alloc(&d->arena, sizeof(orb_value) * (size_t)nk);
    oql_row_copy(copy, *row, nk, &d->arena);
    orb_hmap_put(&d->seen, h, copy);
    return ORB_OK;
  }
}

static void distinct_close(oql_op *op, oql_rt *rt) {
  distinct_op *d = (distinct_op *)op;
  oql_op_close(op->left, rt);
  orb_hmap_clear(&d->seen);
  orb_arena_reset(&d->arena);
}

static void distinct_destroy(oql_op *op) {
  distinct_op *d = (distinct_op *)op;
  orb_hmap_free(&d->seen);
  orb_arena_free(&d->arena);
}

static const oql_op_vt distinct_vt = {"HashDistinct", distinct_open, distinct_next, distinct_close,
                                      distinct_destroy, NULL, NULL};

oql_op *oql_distinct_new(orb_arena *a, oql_op *child, int nkey) {
  distinct_op *d = orb_arena_zalloc(a, sizeof *d);
  d->op.vt = &distinct_vt;
  d->op.left = child;
  d->op.ncols = child->ncols;
  d->op.types = child->types;
  d->op.names = child->names;
  d->nkey = nkey;
  orb_hmap_init(&d->seen, 0);
  orb_arena_init(&d->arena, 16384);
  return &d->op;
}

/* --- DISTINCT ON ---------------------------------------------------------- */

typedef struct unique_op {
  oql_op op;
  const int *keys;
  int nkeys;
  orb_value *last;          /* the keys of the last row passed on (in arena) */
  bool have_last;
  orb_arena arena;
} unique_op;

static orb_status unique_open(oql_op *op, oql_rt *rt, orb_err *e) {
  unique_op *u = (unique_op *)op;
  u->have_last = false;
  orb_arena_reset(&u->arena);
  return oql_op_open(op->left, rt, e);
}

static orb_status unique_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  unique_op *u = (unique_op *)op;
  for (;;) {
    orb_status st = oql_op_next(op->left, rt, row, e);
    if (st != ORB_OK || !*row) return st;
    bool same = u->have_last;
    for (int i = 0; same && i < u->nkeys; i++) {
      const orb_value *v = &(*row)[u->keys[i]], *w = &u->last[i];
      same = v->isnull == w->isnull && (v->isnull || orb_value_cmp(v, w) == 0);
    }
    if (same) continue;
    /* a new run: keep its keys (the old ones are no longer needed) */
    orb_arena_reset(&u->arena);
    u->last = orb_arena_alloc(&u->arena, sizeof(orb_value) * (size_t)u->nkeys);
    for (int i = 0; i < u->nkeys; i++) u->last[i] = (*row)[u->keys[i]];
    oql_row_copy(u->last, u->last, u->nkeys, &u->arena);
    u->have_last = true;
    return ORB_OK;
  }
}

static void unique_close(oql_op *op, oql_rt *rt) {
  oql_op_close(op->left, rt);
  orb_arena_reset(&((unique_op *)op)->arena);
}

static void unique_destroy(oql_op *op) { orb_arena_free(&((unique_op *)op)->arena); }

static void unique_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  const unique_op *u = (const unique_op *)op;
  (void)head;
  orb_buf_puts(lines, "Distinct On: ");
  for (int i = 0; i < u->nkeys; i++) {
    const char *name = op->left->names ? op->left->names[u->keys[i]] : NULL;
    if (i) orb_buf_puts(lines, ", ");
    if (name) orb_buf_puts(lines, name);
    else orb_buf_printf(lines, "$%d", u->keys[i] + 1);
  }
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt unique_vt = {"Unique", unique_open, unique_next, unique_close, unique_destroy, unique_explain,
                                    NULL};

oql_op *oql_unique_new(orb_arena *a, oql_op *child, const int *keys, int nkeys) {
  unique_op *u = orb_arena_zalloc(a, sizeof *u);
  u->op.vt = &unique_vt;
  u->op.left = child;
  u->op.ncols = child->ncols;
  u->op.types = child->types;
  u->op.names = child->names;
  u->keys = keys;
  u->nkeys = nkeys;
  orb_arena_init(&u->arena, 1024);
  return &u->op;
}

/* --- UNION ALL ------------------------------------------------------------ */

typedef struct append_op {
  oql_op op;
  bool on_right;
} append_op;

static orb_status append_open(oql_op *op, oql_rt *rt, orb_err *e) {
  ((append_op *)op)->on_right = false;
  return oql_op_open(op->left, rt, e);
}

static orb_status append_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  append_op *ap = (append_op *)op;
  orb_status st;
  if (!ap->on_right) {
    if ((st = oql_op_next(op->left, rt, row, e)) != ORB_OK || *row) return st;
    oql_op_close(op->left, rt);
    ap->on_right = true;
    if ((st = oql_op_open(op->right, rt, e)) != ORB_OK) return st;
  }
  return oql_op_next(op->right, rt, row, e);
}

static void append_close(oql_op *op, oql_rt *rt) {
  append_op *ap = (append_op *)op;
  if (ap->on_right)
    oql_op_close(op->right, rt);
  else
    oql_op_close(op->left, rt);
  ap->on_right = false;
}

static const oql_op_vt append_vt = {"Append", append_open, append_next, append_close, NULL, NULL, NULL};

oql_op *oql_append_new(orb_arena *a, oql_op *left, oql_op *right) {
  append_op *ap = orb_arena_zalloc(a, sizeof *ap);
  ap->op.vt = &append_vt;
  ap->op.left = left;
  ap->op.right = right;
  ap->op.ncols = left->ncols;
  ap->op.types = left->types;
  ap->op.names = left->names;
  return &ap->op;
}
