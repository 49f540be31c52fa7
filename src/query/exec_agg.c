/* query/exec_agg.c — hash aggregation (GROUP BY) and plain aggregation.
**
** Input rows are grouped by the key expressions in a hash table (orb_hmap
** from the keys' hash to a group); each group holds copies of its key values
** and one state per aggregate.  Results are produced after the whole input
** has been consumed.  The states and their result types are agg_state.h's.
** Over a child that makes column batches (exec_vec.h), keys and arguments
** are evaluated a batch at a time and a plain aggregate folds each
** argument's vector in a loop (vec_batch).  An aggregate with a FILTER
** takes only the rows its condition holds for: row by row it is tested
** before the arguments are evaluated, over a batch it narrows the batch's
** selection for that aggregate's arguments and fold. */
#include "query/agg_state.h"
#include "query/exec_vec.h"

#include <string.h>

#include "base/mem.h"

/* agg(... ORDER BY ...): a group's input rows for it, held until the group
** is done and then added in order.  Each row: the keys, the argument, the
** delimiter.  The array lives in the operator's arena and doubles. */
typedef struct ordered_rows {
  orb_value **rows;
  size_t n, cap;
} ordered_rows;

typedef struct agg_group {
  orb_value *keys;          /* the key values (NULL where the group's set leaves a key out), the set's number */
  int set;                  /* its grouping set (0 without sets) */
  ordered_rows *ordered;    /* per aggregate (NULL when none has ORDER BY) */
  oql_agg_state st[];
} agg_group;

typedef struct agg_op {
  oql_op op;
  orb_expr **keys;
  int ngroup;
  oql_agg_spec *aggs;
  int naggs;
  orb_table *count_table;
  oql_count_fn count_fn;    /* may answer from count_src's metadata (oql_agg_count_from) */
  oql_op *count_src;
  bool count_partial;       /* count_fn's rows are added to those read (oql_agg_count_partial) */
  bool only_count;          /* COUNT(*)s only, no grouping */
  int nfail;                /* aggregates whose folding can fail (fold_can_fail) */
  orb_vec *kvec, *avec, *dvec; /* a column batch's keys, arguments, string_agg delimiters (exec_vec.h) */
  orb_vec *fvec;            /* a column batch's FILTER conditions */
  orb_vbatch *fbatch;       /* the batch narrowed to each filtered aggregate's rows */
  uint16_t **fsel;          /* their selections (ORB_VEC_MAX entries; NULL for an aggregate without FILTER) */
  orb_value *rowbuf;        /* a row of a column batch (batch_by_rows) */
  orb_arena arena;          /* groups and copied values */
  orb_hmap groups;
  agg_group **list;
  size_t ngroups, cap;
  size_t pos;
  orb_value *keybuf;        /* key values of the current input row */
  orb_value *out;
  bool child_open;
  bool answered_by_count;
  bool has_order;           /* an aggregate has ORDER BY: rows, not batches, and held per group */
  const uint64_t *sets;     /* GROUPING SETS: each set's mask of keys (oql_agg_grouping_sets); */
  int nsets;                /* 0: plain grouping */
  int nkey;                 /* values that tell groups apart: the keys, and the set's number when nsets */
  bool rows_only;           /* grouping sets or GROUPING(): no column batches */
} agg_op;

static agg_group *new_group(agg_op *a, const orb_value *keys) {
  agg_group *g = orb_arena_zalloc(&a->arena, sizeof(agg_group) + sizeof(oql_agg_state) * (size_t)a->naggs);
  g->keys = orb_arena_alloc(&a->arena, sizeof(orb_value) * (size_t)(a->nkey + 1));
  if (a->has_order) g->ordered = orb_arena_zalloc(&a->arena, sizeof(ordered_rows) * (size_t)a->naggs);
  if (keys) oql_row_copy(g->keys, keys, a->nkey, &a->arena);
  g->set = keys && a->nsets ? (int)keys[a->ngroup].u.i : 0;
  a->list = orb_grow(a->list, &a->cap, a->ngroups + 1, sizeof(agg_group *));
  a->list[a->ngroups++] = g;
  return g;
}

static void free_distinct_sets(agg_op *a) {
  for (size_t i = 0; i < a->ngroups; i++)
    for (int j = 0; j < a->naggs; j++)
      oql_agg_state_free(&a->list[i]->st[j]);
}

static void reset_groups(agg_op *a) {
  free_distinct_sets(a);
  orb_hmap_clear(&a->groups);
  orb_arena_reset(&a->arena);
  a->ngroups = 0;
  a->pos = 0;
}

static orb_status hold_row(agg_op *a, ordered_rows *o, const oql_agg_spec *sp, const orb_value *in, const orb_value *v,
                           const orb_value *d, oql_rt *rt, orb_err *e);

/* One input row into group g's aggregates. */
static orb_status feed_row(agg_op *a, agg_group *g, const orb_value *in, oql_rt *rt, orb_err *e) {
  orb_status st;
  for (int j = 0; j < a->naggs; j++) {
    const oql_agg_spec *sp = &a->aggs[j];
    orb_value v, d;
    const orb_value *pv = NULL;
    bool take;
    if (sp->fn == OQL_AGG_GROUPING) continue;   /* its value is the group's set's */
    if (sp->filter && ((st = orb_expr_test(sp->filter, &rt->ctx, in, &take, e)) != ORB_OK || !take)) {
      if (st != ORB_OK) return st;
      continue;
    }
    if (sp->arg && sp->arg->kind == ORB_E_COLUMN) pv = &in[sp->arg->slot];
    else if (sp->arg && (st = orb_expr_eval(sp->arg, &rt->ctx, in, &v, e)) != ORB_OK) return st;
    else if (sp->arg) pv = &v;
    if (sp->arg2 && (st = orb_expr_eval(sp->arg2, &rt->ctx, in, &d, e)) != ORB_OK) return st;
    if (sp->norder) {
      if ((st = hold_row(a, &g->ordered[j], sp, in, pv, sp->arg2 ? &d : NULL, rt, e)) != ORB_OK) return st;
      continue;
    }
    if ((st = oql_agg_state_add(&a->arena, &g->st[j], sp, pv, sp->arg2 ? &d : NULL, e)) != ORB_OK) return st;
  }
  return ORB_OK;
}

/* --- agg(... ORDER BY ...) ---------------------------------------------------- */

/* Keep an input row of an ordered aggregate: its keys, argument, delimiter. */
static orb_status hold_row(agg_op *a, ordered_rows *o, const oql_agg_spec *sp, const orb_value *in, const orb_value *v,
                           const orb_value *d, oql_rt *rt, orb_err *e) {
  int w = sp->norder + 2;
  orb_value *row = orb_arena_alloc(&a->arena, sizeof(orb_value) * (size_t)w);
  for (int k = 0; k < sp->norder; k++) {
    orb_status st = orb_expr_eval(sp->order[k].expr, &rt->ctx, in, &row[k], e);
    if (st != ORB_OK) return st;
  }
  row[sp->norder] = v ? *v : orb_null(ORB_T_NULL);
  row[sp->norder + 1] = d ? *d : orb_null(ORB_T_NULL);
  oql_row_copy(row, row, w, &a->arena);
  if (o->n == o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 16;
    orb_value **nr = orb_arena_alloc(&a->arena, sizeof(orb_value *) * cap);
    if (o->n) memcpy(nr, o->rows, sizeof(orb_value *) * o->n);
    o->rows = nr;
    o->cap = cap;
  }
  o->rows[o->n++] = row;
  return ORB_OK;
}

static int order_cmp(const oql_agg_spec *sp, const orb_value *x, const orb_value *y) {
  for (int k = 0; k < sp->norder; k++) {
    const oql_agg_order *o = &sp->order[k];
    int c;
    if (x[k].isnull || y[k].isnull) c = x[k].isnull == y[k].isnull ? 0 : (x[k].isnull == o->nulls_first ? -1 : 1);
    else c = o->desc ? -orb_value_cmp(&x[k], &y[k]) : orb_value_cmp(&x[k], &y[k]);
    if (c) return c;
  }
  return 0;
}

/* Stable merge sort of rows[0..n) by sp's keys (tmp: room for n). */
static void sort_rows(const oql_agg_spec *sp, orb_value **rows, orb_value **tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  sort_rows(sp, rows, tmp, h);
  sort_rows(sp, rows + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = order_cmp(sp, rows[j], rows[i]) < 0 ? rows[j++] : rows[i++];
  while (i < h) tmp[k++] = rows[i++];
  while (j < n) tmp[k++] = rows[j++];
  memcpy(rows, tmp, sizeof(orb_value *) * n);
}

/* A group is done: its ordered aggregates take their rows in order. */
static orb_status add_held_rows(agg_op *a, agg_group *g, orb_err *e) {
  for (int j = 0; j < a->naggs; j++) {
    const oql_agg_spec *sp = &a->aggs[j];
    ordered_rows *o = &g->ordered[j];
    if (!sp->norder || !o->n) continue;
    orb_value **tmp = orb_arena_alloc(&a->arena, sizeof(orb_value *) * o->n);
    sort_rows(sp, o->rows, tmp, o->n);
    for (size_t i = 0; i < o->n; i++) {
      const orb_value *r = o->rows[i];
      orb_status st = oql_agg_state_add(&a->arena, &g->st[j], sp, sp->arg ? &r[sp->norder] : NULL,
                                        sp->arg2 ? &r[sp->norder + 1] : NULL, e);
      if (st != ORB_OK) return st;
    }
    o->n = 0;
  }
  return ORB_OK;
}

/* The group of the current key values (a->keybuf), made if new. */
static agg_group *find_group(agg_op *a) {
  uint64_t h = oql_row_hash(a->keybuf, a->nkey);
  orb_hmap_iter it;
  for (agg_group *c = orb_hmap_find(&a->groups, h, &it); c; c = orb_hmap_next(&it))
    if (oql_row_same(c->keys, a->keybuf, a->nkey)) return c;
  agg_group *g = new_group(a, a->keybuf);
  orb_hmap_put(&a->groups, h, g);
  return g;
}

/* One input row: its group's aggregates (the single group's when there is no GROUP BY). */
static orb_status group_row(agg_op *a, const orb_value *in, oql_rt *rt, orb_err *e) {
  if (a->ngroup == 0 && !a->nsets) return feed_row(a, a->list[0], in, rt, e);
  for (int i = 0; i < a->ngroup; i++) {
    orb_expr *k = a->keys[i];
    orb_status st;
    if (k->kind == ORB_E_COLUMN) a->keybuf[i] = in[k->slot];
    else if ((st = orb_expr_eval(k, &rt->ctx, in, &a->keybuf[i], e)) != ORB_OK) return st;
  }
  if (!a->nsets) return feed_row(a, find_group(a), in, rt, e);
  /* grouping sets: the row joins one group per set, the keys it leaves out NULL */
  orb_value *all = a->rowbuf + a->op.left->ncols;   /* the row's own key values */
  memcpy(all, a->keybuf, sizeof(orb_value) * (size_t)a->ngroup);
  for (int t = 0; t < a->nsets; t++) {
    for (int i = 0; i < a->ngroup; i++)
      a->keybuf[i] = a->sets[t] & ((uint64_t)1 << i) ? all[i] : orb_null(a->keys[i]->type.id);
    a->keybuf[a->ngroup] = orb_int(ORB_T_INT32, t);
    orb_status st = feed_row(a, find_group(a), in, rt, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

/* Whether folding aggregate sp can fail (sums of decimals and intervals):
** folding aggregates one after the other over a batch would then report
** the failure of a later aggregate before that of an earlier row. */
static bool fold_can_fail(const oql_agg_spec *sp) {
  if (sp->fn != OQL_AGG_SUM && sp->fn != OQL_AGG_AVG) return false;
  orb_type_id t = sp->arg->type.id;
  return !orb_type_is_integer(t) && !orb_type_is_float(t);
}

/* Types whose order is their u.i's (orb_value_cmp). */
static bool int_ordered(orb_type_id t) {
  return orb_type_is_integer(t) || t == ORB_T_DATE || t == ORB_T_TIME || t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ;
}


/* The typed loops of vec_fold: the sum (int128: no overflow within a
** batch) or the best value of v's rows that are in and not NULL. */
#define VEC_LOOP(BODY)                                                   \
  do {                                                                   \
    if (!b->sel && !nulls) {                                             \
      for (int r = 0; r < b->n; r++) BODY;                               \
      count = b->n;                                                      \
    } else                                                               \
      for (int k = 0, cnt = orb_vbatch_count(b); k < cnt; k++) {         \
        int r = orb_vbatch_row_at(b, k);                                 \
        if (nulls && nulls[r]) continue;                                 \
        count++;                                                         \
        BODY;                                                            \
      }                                                                  \
  } while (0)

/* Fold aggregate sp's argument vector v (d: string_agg's delimiter) over
** the rows of b that are in, into state s: a tight loop for COUNT(*),
** count, sums and averages of integers and floats, min and max of
** integer-valued types and floats; oql_agg_state_add's general way, a value at
** a time, for the rest. */
static orb_status vec_fold(agg_op *a, oql_agg_state *s, const oql_agg_spec *sp, const orb_vec *v, const orb_vec *d,
                           const orb_vbatch *b, orb_err *e) {
  int64_t count = 0;
  if (sp->fn == OQL_AGG_COUNT_STAR) {
    s->count += orb_vbatch_count(b);
    return ORB_OK;
  }
  const uint8_t *nulls = v->nulls;
  orb_type_id t = (orb_type_id)v->type.id;
  bool typed = !sp->distinct && !d;
  bool ints = (v->kind == ORB_VEC_I32 || v->kind == ORB_VEC_I64) && orb_type_is_integer(t);
  bool floats = v->kind == ORB_VEC_F32 || v->kind == ORB_VEC_F64;
  bool ordered = (v->kind == ORB_VEC_I32 || v->kind == ORB_VEC_I64) && int_ordered(t);
  const int32_t *i32 = v->data;
  const int64_t *i64 = v->data;
  const float *f32 = v->data;
  const double *f64 = v->data;
  if (typed && sp->fn == OQL_AGG_COUNT) {
    VEC_LOOP((void)0);
  } else if (typed && (sp->fn == OQL_AGG_SUM || sp->fn == OQL_AGG_AVG) && ints) {
    __int128 sum = 0;
    if (v->kind == ORB_VEC_I32) {
      int64_t sum32 = 0;   /* ORB_VEC_MAX int32 values cannot overflow it */
      VEC_LOOP(sum32 += i32[r]);
      sum = sum32;
    } else {   /* in 64 bits while they hold it (as good as always), again in 128 if not */
      int64_t sum64 = 0;
      bool wrapped = false;
      VEC_LOOP(wrapped |= __builtin_add_overflow(sum64, i64[r], &sum64));
      sum = sum64;
      if (wrapped) {
        sum = count = 0;
        VEC_LOOP(sum += i64[r]);
      }
    }
    if (count && __builtin_add_overflow(s->isum, sum, &s->isum)) return oql_agg_overflow(sp, e);
  } else if (typed && (sp->fn == OQL_AGG_SUM || sp->fn == OQL_AGG_AVG) && floats) {
    double sum = s->fsum;   /* added in row order, as row by row */
    if (v->kind == ORB_VEC_F32) VEC_LOOP(sum += f32[r]);
    else VEC_LOOP(sum += f64[r]);
    s->fsum = sum;
  } else if (typed && (sp->fn == OQL_AGG_MIN || sp->fn == OQL_AGG_MAX) && (ordered || floats)) {
    /* the first of equal values stays, as oql_agg_state_add keeps it */
    bool max = sp->fn == OQL_AGG_MAX, has = s->has;
    if (ordered) {
      int64_t best = has ? s->val.u.i : 0, x;
#define BETTER (!has || (max ? x > best : x < best))
      if (v->kind == ORB_VEC_I32) VEC_LOOP({ x = i32[r]; if (BETTER) { best = x; has = true; } });
      else VEC_LOOP({ x = i64[r]; if (BETTER) { best = x; has = true; } });
      if (has) s->val = orb_int(t, best);
    } else {
      double best = has ? s->val.u.f : 0, x;
#undef BETTER
#define BETTER (!has || oql_float_cmp(x, best) == (max ? 1 : -1))
      if (v->kind == ORB_VEC_F32) VEC_LOOP({ x = f32[r]; if (BETTER) { best = x; has = true; } });
      else VEC_LOOP({ x = f64[r]; if (BETTER) { best = x; has = true; } });
#undef BETTER
      if (has) s->val = orb_float(t, best);
    }
  } else {
    for (int k = 0, cnt = orb_vbatch_count(b); k < cnt; k++) {
      int r = orb_vbatch_row_at(b, k);
      orb_value x, y;
      orb_vec_value(v, r, &x);
      if (d) orb_vec_value(d, r, &y);
      orb_status st = oql_agg_state_add(&a->arena, s, sp, &x, d ? &y : NULL, e);
      if (st != ORB_OK) return st;
    }
    return ORB_OK;
  }
  s->count += count;
  s->has = s->has || count;
  return ORB_OK;
}
#undef VEC_LOOP

/* A batch's rows one by one as the row path takes them (the exact errors
** of the row evaluator, see exec_vec.h). */
static orb_status batch_by_rows(agg_op *a, const orb_vbatch *b, oql_rt *rt, orb_err *e) {
  orb_arena_reset(&rt->tmp);   /* what the batch evaluation made */
  for (int k = 0, cnt = orb_vbatch_count(b); k < cnt; k++) {
    orb_vbatch_row(b, orb_vbatch_row_at(b, k), a->rowbuf);
    orb_status st = group_row(a, a->rowbuf, rt, e);
    if (st != ORB_OK) return st;
    orb_arena_reset(&rt->tmp);
  }
  return ORB_OK;
}

/* A column batch: keys and arguments evaluated over it (exec_vexpr.c),
** then folded: a plain aggregate's a loop per aggregate (when at most one
** of them can fail, else a row at a time), a grouped one's a row at a
** time into each row's group. */
static orb_status vec_batch(agg_op *a, const orb_vbatch *b, oql_rt *rt, orb_err *e) {
  orb_status st = ORB_OK;
  orb_err ve;
  for (int i = 0; st == ORB_OK && i < a->ngroup; i++) st = oql_vexpr_eval(a->keys[i], rt, b, &a->kvec[i], &ve);
  for (int j = 0; st == ORB_OK && j < a->naggs; j++) {
    const oql_agg_spec *sp = &a->aggs[j];
    const orb_vbatch *in = b;   /* the rows aggregate j takes */
    if (sp->filter && (st = oql_vexpr_eval(sp->filter, rt, b, &a->fvec[j], &ve)) == ORB_OK) {
      oql_vbatch_narrow(b, &a->fvec[j], a->fsel[j], &a->fbatch[j]);
      in = &a->fbatch[j];
    }
    if (st == ORB_OK && sp->arg) st = oql_vexpr_eval(sp->arg, rt, in, &a->avec[j], &ve);
    if (st == ORB_OK && sp->arg2) st = oql_vexpr_eval(sp->arg2, rt, in, &a->dvec[j], &ve);
  }
  if (st != ORB_OK) return batch_by_rows(a, b, rt, e);
  if (a->ngroup == 0 && a->nfail <= 1) {
    for (int j = 0; j < a->naggs; j++) {
      const oql_agg_spec *sp = &a->aggs[j];
      const orb_vbatch *in = sp->filter ? &a->fbatch[j] : b;
      if ((st = vec_fold(a, &a->list[0]->st[j], sp, &a->avec[j], sp->arg2 ? &a->dvec[j] : NULL, in, e)) != ORB_OK)
        return st;
    }
    orb_arena_reset(&rt->tmp);
    return ORB_OK;
  }
  for (int k = 0, cnt = orb_vbatch_count(b); k < cnt; k++) {
    int r = orb_vbatch_row_at(b, k);
    for (int i = 0; i < a->ngroup; i++) orb_vec_value(&a->kvec[i], r, &a->keybuf[i]);
    agg_group *g = a->ngroup ? find_group(a) : a->list[0];
    for (int j = 0; j < a->naggs; j++) {
      const oql_agg_spec *sp = &a->aggs[j];
      orb_value x, y;
      if (sp->filter && !oql_vec_true(&a->fvec[j], r)) continue;
      if (sp->arg) orb_vec_value(&a->avec[j], r, &x);
      if (sp->arg2) orb_vec_value(&a->dvec[j], r, &y);
      if ((st = oql_agg_state_add(&a->arena, &g->st[j], sp, sp->arg ? &x : NULL, sp->arg2 ? &y : NULL, e)) != ORB_OK) return st;
    }
  }
  orb_arena_reset(&rt->tmp);
  return ORB_OK;
}

static orb_status consume(agg_op *a, oql_rt *rt, orb_err *e) {
  orb_status st = oql_op_open(a->op.left, rt, e);
  a->child_open = true;
  if (st != ORB_OK) return st;
  if (a->ngroup == 0 && !a->nsets) new_group(a, NULL);   /* no groups: one group */
  for (int t = 0; t < a->nsets; t++) {   /* an empty set's group has a row even when no row came */
    if (a->sets[t]) continue;
    for (int i = 0; i < a->ngroup; i++) a->keybuf[i] = orb_null(a->keys[i]->type.id);
    a->keybuf[a->ngroup] = orb_int(ORB_T_INT32, t);
    (void)find_group(a);
  }
  if (oql_op_has_vec(a->op.left) && !a->has_order && !a->rows_only) {
    for (;;) {
      const orb_vbatch *b;
      if ((st = oql_op_next_vec(a->op.left, rt, &b, e)) != ORB_OK || !b) return st;
      if ((st = vec_batch(a, b, rt, e)) != ORB_OK) return st;
    }
  }
  for (;;) {
    const orb_value *in;
    if ((st = oql_op_next(a->op.left, rt, &in, e)) != ORB_OK) return st;
    if (!in) return ORB_OK;
    if ((st = group_row(a, in, rt, e)) != ORB_OK) return st;
    orb_arena_reset(&rt->tmp);
  }
}

static orb_status agg_open(oql_op *op, oql_rt *rt, orb_err *e) {
  agg_op *a = (agg_op *)op;
  oql_rt_track(rt, &a->arena);   /* counted against statement_mem */
  reset_groups(a);
  a->child_open = false;
  a->answered_by_count = false;
  /* COUNT(*) alone: the table, or the scan below, may know the count */
  int64_t n = -1;
  orb_status st = ORB_OK;
  if (a->count_table) st = orb_table_count(a->count_table, rt->snap, NULL, &rt->ctx, &n, e);
  else if (a->count_src) st = a->count_fn(a->count_src, rt, &n, e);
  if (st != ORB_OK) return st;
  if (a->count_partial) {
    if ((st = consume(a, rt, e)) != ORB_OK) return st;
    for (int j = 0; n > 0 && a->ngroups == 1 && j < a->naggs; j++) a->list[0]->st[j].count += n;
    return ORB_OK;
  }
  if (n >= 0) {
    agg_group *g = new_group(a, NULL);
    for (int j = 0; j < a->naggs; j++) g->st[j].count = n;
    a->answered_by_count = true;
    return ORB_OK;
  }
  return consume(a, rt, e);
}

static orb_status agg_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  (void)rt;
  agg_op *a = (agg_op *)op;
  if (a->pos >= a->ngroups) {
    *row = NULL;
    return ORB_OK;
  }
  agg_group *g = a->list[a->pos++];
  if (a->has_order) {
    orb_status st = add_held_rows(a, g, e);
    if (st != ORB_OK) return st;
  }
  for (int i = 0; i < a->ngroup; i++) a->out[i] = g->keys[i];
  for (int j = 0; j < a->naggs; j++) {
    const oql_agg_spec *sp = &a->aggs[j];
    if (sp->fn == OQL_AGG_GROUPING) {
      a->out[a->ngroup + j] = orb_int(ORB_T_INT32, sp->grouping ? sp->grouping[g->set] : 0);
      continue;
    }
    orb_status st = oql_agg_state_result(&a->arena, sp, &g->st[j], &a->out[a->ngroup + j], e);
    if (st != ORB_OK) return st;
  }
  *row = a->out;
  return ORB_OK;
}

static void agg_close(oql_op *op, oql_rt *rt) {
  agg_op *a = (agg_op *)op;
  if (a->child_open) oql_op_close(op->left, rt);
  a->child_open = false;
  reset_groups(a);
}

static void agg_destroy(oql_op *op) {
  agg_op *a = (agg_op *)op;
  free_distinct_sets(a);
  orb_hmap_free(&a->groups);
  orb_arena_free(&a->arena);
  orb_free(a->list);
  a->list = NULL;
  a->ngroups = 0;
}

static const char *agg_name(const oql_agg_spec *sp) {
  switch (sp->fn) {
  case OQL_AGG_COUNT_STAR:
  case OQL_AGG_COUNT: return "count";
  case OQL_AGG_SUM: return "sum";
  case OQL_AGG_AVG: return "avg";
  case OQL_AGG_MIN: return "min";
  case OQL_AGG_MAX: return "max";
  case OQL_AGG_STRING_AGG: return "string_agg";
  case OQL_AGG_ARRAY_AGG: return "array_agg";
  case OQL_AGG_JSON_AGG: return sp->type.id == ORB_T_JSONB ? "jsonb_agg" : "json_agg";
  case OQL_AGG_JSON_OBJECT_AGG: return sp->type.id == ORB_T_JSONB ? "jsonb_object_agg" : "json_object_agg";
  case OQL_AGG_GROUPING: return "grouping";
  }
  return "?";
}

void oql_agg_format(const oql_agg_spec *sp, const char *const *names, orb_buf *out) {
  if (sp->fn == OQL_AGG_GROUPING) {
    orb_buf_puts(out, "grouping(...)");   /* its arguments are the grouping keys, shown above */
    return;
  }
  if (!sp->arg && !sp->filter && sp->fn == OQL_AGG_COUNT_STAR) {
    orb_buf_puts(out, "count(*)");
    return;
  }
  orb_buf_printf(out, "%s(%s", agg_name(sp), sp->distinct ? "DISTINCT " : "");
  if (sp->arg) oql_explain_expr(sp->arg, names, out);
  else orb_buf_putc(out, '*');
  for (int k = 0; k < sp->norder; k++) {
    orb_buf_puts(out, k ? ", " : " ORDER BY ");
    oql_explain_expr(sp->order[k].expr, names, out);
    if (sp->order[k].desc) orb_buf_puts(out, " DESC");
  }
  orb_buf_putc(out, ')');
  if (sp->filter) {
    orb_buf_puts(out, " FILTER (WHERE ");
    oql_explain_expr(sp->filter, names, out);
    orb_buf_putc(out, ')');
  }
}

static void agg_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  const agg_op *a = (const agg_op *)op;
  if (a->ngroup) {
    orb_buf_puts(lines, "Group Key: ");
    for (int i = 0; i < a->ngroup; i++) {
      if (i) orb_buf_puts(lines, ", ");
      oql_explain_expr(a->keys[i], op->left->names, lines);
    }
    orb_buf_putc(lines, '\n');
  }
  if (a->nsets) {
    orb_buf_puts(lines, "Grouping Sets: ");
    for (int t = 0; t < a->nsets; t++) {
      orb_buf_puts(lines, t ? ", (" : "(");
      for (int i = 0, n = 0; i < a->ngroup; i++) {
        if (!(a->sets[t] & ((uint64_t)1 << i))) continue;
        if (n++) orb_buf_puts(lines, ", ");
        oql_explain_expr(a->keys[i], op->left->names, lines);
      }
      orb_buf_putc(lines, ')');
    }
    orb_buf_putc(lines, '\n');
  }
  orb_buf_puts(lines, "Aggregates: ");
  for (int j = 0; j < a->naggs; j++) {
    if (j) orb_buf_puts(lines, ", ");
    oql_agg_format(&a->aggs[j], op->left->names, lines);
  }
  orb_buf_putc(lines, '\n');
  /* after a run (EXPLAIN ANALYZE) say which way the count went: metadata
  ** cannot answer when deletes apply, and the rows are then counted */
  if (a->count_table && a->answered_by_count) orb_buf_puts(lines, "Count: answered from table metadata, no row read\n");
  else if (a->count_table || a->count_src) orb_buf_printf(lines, "Count: from %s metadata when available\n", a->count_table ? "table" : "the scan's");
}

static const oql_op_vt hashagg_vt = {"HashAggregate", agg_open, agg_next, agg_close, agg_destroy, agg_explain, NULL};
static const oql_op_vt plainagg_vt = {"Aggregate", agg_open, agg_next, agg_close, agg_destroy, agg_explain, NULL};

oql_op *oql_agg_new(orb_arena *ar, oql_op *child, orb_expr **keys, int ngroup, const oql_agg_spec *aggs,
                    int naggs, orb_table *count_table) {
  agg_op *a = orb_arena_zalloc(ar, sizeof *a);
  a->op.vt = ngroup ? &hashagg_vt : &plainagg_vt;
  a->op.left = child;
  a->op.ncols = ngroup + naggs;
  a->op.types = orb_arena_alloc(ar, sizeof(orb_type) * (size_t)(a->op.ncols + 1));
  a->keys = keys;
  a->ngroup = ngroup;
  a->aggs = orb_arena_dup_array(ar, aggs, sizeof(oql_agg_spec), (size_t)naggs);
  a->naggs = naggs;
  for (int i = 0; i < ngroup; i++) a->op.types[i] = keys[i]->type;
  for (int j = 0; j < naggs; j++) a->op.types[ngroup + j] = aggs[j].type;
  bool only_count = ngroup == 0 && naggs > 0;
  for (int j = 0; j < naggs; j++)
    if (aggs[j].fn != OQL_AGG_COUNT_STAR || aggs[j].filter) only_count = false;
  a->count_table = only_count ? count_table : NULL;
  a->only_count = only_count;
  for (int j = 0; j < naggs; j++) a->nfail += fold_can_fail(&aggs[j]);
  for (int j = 0; j < naggs; j++) a->has_order |= aggs[j].norder > 0;
  for (int j = 0; j < naggs; j++) a->rows_only |= aggs[j].fn == OQL_AGG_GROUPING;
  a->nkey = ngroup;
  a->kvec = orb_arena_zalloc(ar, sizeof(orb_vec) * (size_t)(ngroup + 1));
  a->avec = orb_arena_zalloc(ar, sizeof(orb_vec) * (size_t)(naggs + 1));
  a->dvec = orb_arena_zalloc(ar, sizeof(orb_vec) * (size_t)(naggs + 1));
  a->fvec = orb_arena_zalloc(ar, sizeof(orb_vec) * (size_t)(naggs + 1));
  a->fbatch = orb_arena_zalloc(ar, sizeof(orb_vbatch) * (size_t)(naggs + 1));
  a->fsel = orb_arena_zalloc(ar, sizeof(uint16_t *) * (size_t)(naggs + 1));
  for (int j = 0; j < naggs; j++)
    if (aggs[j].filter) a->fsel[j] = orb_arena_alloc(ar, sizeof(uint16_t) * ORB_VEC_MAX);
  a->rowbuf = orb_arena_zalloc(ar, sizeof(orb_value) * (size_t)(child->ncols + ngroup + 1));   /* + a row's keys (sets) */
  orb_arena_init(&a->arena, 65536);
  orb_hmap_init(&a->groups, 0);
  a->keybuf = orb_arena_zalloc(ar, sizeof(orb_value) * (size_t)(ngroup + 2));   /* + the set's number */
  a->out = orb_arena_zalloc(ar, sizeof(orb_value) * (size_t)(a->op.ncols + 1));
  return &a->op;
}

void oql_agg_grouping_sets(oql_op *agg, const uint64_t *sets, int nsets) {
  agg_op *a = (agg_op *)agg;
  a->sets = sets;
  a->nsets = nsets;
  a->nkey = a->ngroup + 1;
  a->rows_only = true;
  a->only_count = false;
  a->count_table = NULL;
}

void oql_agg_count_from(oql_op *agg, oql_count_fn fn, oql_op *op) {
  agg_op *a = (agg_op *)agg;
  if (!a->only_count || a->count_table) return;
  a->count_fn = fn;
  a->count_src = op;
}

void oql_agg_count_partial(oql_op *agg, oql_count_fn fn, oql_op *op) {
  agg_op *a = (agg_op *)agg;
  if (!a->only_count || a->count_table) return;
  a->count_fn = fn;
  a->count_src = op;
  a->count_partial = true;
}
