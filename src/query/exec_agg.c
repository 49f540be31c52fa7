/* query/exec_agg.c — hash aggregation (GROUP BY) and plain aggregation.
**
** Input rows are grouped by the key expressions in a hash table (orb_hmap
** from the keys' hash to a group); each group holds copies of its key values
** and one state per aggregate.  Results are produced after the whole input
** has been consumed.  The states and their result types are agg_state.h's. */
#include "query/agg_state.h"

#include <string.h>

#include "base/mem.h"

typedef struct agg_group {
  orb_value *keys;
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
  bool *folds;              /* per aggregate: column_fold (plain aggregates only) */
  int nfolds;
  orb_arena arena;          /* groups and copied values */
  orb_hmap groups;
  agg_group **list;
  size_t ngroups, cap;
  size_t pos;
  orb_value *keybuf;        /* key values of the current input row */
  orb_value *out;
  bool child_open;
  bool answered_by_count;
} agg_op;

static agg_group *new_group(agg_op *a, const orb_value *keys) {
  agg_group *g = orb_arena_zalloc(&a->arena, sizeof(agg_group) + sizeof(oql_agg_state) * (size_t)a->naggs);
  g->keys = orb_arena_alloc(&a->arena, sizeof(orb_value) * (size_t)(a->ngroup + 1));
  oql_row_copy(g->keys, keys, a->ngroup, &a->arena);
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

/* Whether aggregate sp is COUNT(*) or takes a bare column and cannot fail (count, min and
** max of anything, sum and avg of integers and floats): a plain aggregate
** then folds a whole batch of rows into it in one loop (column_batch), and
** since no error can come of it, doing so ahead of the other aggregates'
** row-by-row work changes nothing anyone can see. */
static bool column_fold(const oql_agg_spec *sp) {
  if (sp->fn == OQL_AGG_COUNT_STAR) return true;
  if (!sp->arg || sp->arg->kind != ORB_E_COLUMN || sp->distinct || sp->arg2) return false;
  orb_type_id t = sp->arg->type.id;
  switch (sp->fn) {
  case OQL_AGG_COUNT:
  case OQL_AGG_MIN:
  case OQL_AGG_MAX: return true;
  case OQL_AGG_SUM:
  case OQL_AGG_AVG: return orb_type_is_integer(t) || orb_type_is_float(t);
  default: return false;
  }
}

/* Types whose order is their u.i's (orb_value_cmp). */
static bool int_ordered(orb_type_id t) {
  return orb_type_is_integer(t) || t == ORB_T_DATE || t == ORB_T_TIME || t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ;
}

/* Fold column-argument aggregate sp (column_fold) over n rows of the
** child, stride values apart: loops specialised for sums and for
** integer-ordered MIN/MAX, oql_agg_state_add's general way otherwise. */
static orb_status column_batch(agg_op *a, oql_agg_state *s, const oql_agg_spec *sp, const orb_value *rows, int n, int stride,
                               orb_err *e) {
  if (sp->fn == OQL_AGG_COUNT_STAR) {
    s->count += n;
    return ORB_OK;
  }
  const orb_value *v = rows + sp->arg->slot;
  orb_type_id t = sp->arg->type.id;
  if ((sp->fn == OQL_AGG_SUM || sp->fn == OQL_AGG_AVG) && orb_type_is_integer(t)) {
    __int128 sum = 0;   /* int64 values: no overflow of 128 bits within a batch */
    int64_t count = 0;
    for (int r = 0; r < n; r++, v += stride)
      if (!v->isnull) sum += v->u.i, count++;
    if (count && __builtin_add_overflow(s->isum, sum, &s->isum)) return oql_agg_overflow(sp, e);
    s->count += count;
    s->has = s->has || count;
    return ORB_OK;
  }
  if ((sp->fn == OQL_AGG_SUM || sp->fn == OQL_AGG_AVG) && orb_type_is_float(t)) {
    double sum = s->fsum;   /* added in row order, as row by row */
    int64_t count = 0;
    for (int r = 0; r < n; r++, v += stride)
      if (!v->isnull) sum += v->u.f, count++;
    s->fsum = sum;
    s->count += count;
    s->has = s->has || count;
    return ORB_OK;
  }
  if ((sp->fn == OQL_AGG_MIN || sp->fn == OQL_AGG_MAX) && int_ordered(t)) {
    bool has = s->has, max = sp->fn == OQL_AGG_MAX;
    int64_t best = s->val.u.i, count = 0;
    const orb_value *at = has ? &s->val : NULL;
    for (int r = 0; r < n; r++, v += stride) {
      if (v->isnull) continue;
      count++;
      if (!at || (max ? v->u.i > best : v->u.i < best)) best = v->u.i, at = v;
    }
    if (at && at != &s->val) s->val = *at;
    s->count += count;
    s->has = has || count;
    return ORB_OK;
  }
  for (int r = 0; r < n; r++, v += stride) {
    orb_status st = oql_agg_state_add(&a->arena, s, sp, v, NULL, e);
    if (st != ORB_OK) return st;
  }
  return ORB_OK;
}

/* One input row into group g's aggregates, but those `skip` marks (folded
** a batch at a time by column_batch); skip NULL: all of them. */
static orb_status feed_row(agg_op *a, agg_group *g, const orb_value *in, const bool *skip, oql_rt *rt, orb_err *e) {
  orb_status st;
  for (int j = 0; j < a->naggs; j++) {
    const oql_agg_spec *sp = &a->aggs[j];
    if (skip && skip[j]) continue;
    orb_value v, d;
    const orb_value *pv = NULL;
    if (sp->arg && sp->arg->kind == ORB_E_COLUMN) pv = &in[sp->arg->slot];
    else if (sp->arg && (st = orb_expr_eval(sp->arg, &rt->ctx, in, &v, e)) != ORB_OK) return st;
    else if (sp->arg) pv = &v;
    if (sp->arg2 && (st = orb_expr_eval(sp->arg2, &rt->ctx, in, &d, e)) != ORB_OK) return st;
    if ((st = oql_agg_state_add(&a->arena, &g->st[j], sp, pv, sp->arg2 ? &d : NULL, e)) != ORB_OK) return st;
  }
  return ORB_OK;
}

/* A plain aggregate (no GROUP BY) over a batch of n rows: the aggregates
** column_fold allows a loop each, the others row by row. */
static orb_status plain_batch(agg_op *a, agg_group *g, const orb_value *rows, int n, oql_rt *rt, orb_err *e) {
  int stride = a->op.left->ncols;
  orb_status st;
  for (int j = 0; j < a->naggs; j++)
    if (a->folds[j] && (st = column_batch(a, &g->st[j], &a->aggs[j], rows, n, stride, e)) != ORB_OK) return st;
  if (a->nfolds == a->naggs) {
    orb_arena_reset(&rt->tmp);   /* what the child made the rows with */
    return ORB_OK;
  }
  for (int r = 0; r < n; r++) {
    if ((st = feed_row(a, g, rows + (size_t)r * (size_t)stride, a->folds, rt, e)) != ORB_OK) return st;
    orb_arena_reset(&rt->tmp);
  }
  return ORB_OK;
}

static orb_status consume(agg_op *a, oql_rt *rt, orb_err *e) {
  orb_status st = oql_op_open(a->op.left, rt, e);
  a->child_open = true;
  if (st != ORB_OK) return st;
  if (a->ngroup == 0) {   /* no groups: one group, the input a batch at a time */
    agg_group *single = new_group(a, NULL);
    for (;;) {
      const orb_value *rows;
      int n;
      if ((st = oql_op_next_batch(a->op.left, rt, &rows, &n, e)) != ORB_OK) return st;
      if (n == 0) return ORB_OK;
      if ((st = plain_batch(a, single, rows, n, rt, e)) != ORB_OK) return st;
    }
  }
  for (;;) {
    const orb_value *in;
    if ((st = oql_op_next(a->op.left, rt, &in, e)) != ORB_OK) return st;
    if (!in) break;
    agg_group *g = NULL;
    for (int i = 0; i < a->ngroup; i++) {
      orb_expr *k = a->keys[i];
      if (k->kind == ORB_E_COLUMN)
        a->keybuf[i] = in[k->slot];
      else if ((st = orb_expr_eval(k, &rt->ctx, in, &a->keybuf[i], e)) != ORB_OK)
        return st;
    }
    uint64_t h = oql_row_hash(a->keybuf, a->ngroup);
    orb_hmap_iter it;
    for (agg_group *c = orb_hmap_find(&a->groups, h, &it); c; c = orb_hmap_next(&it))
      if (oql_row_same(c->keys, a->keybuf, a->ngroup)) {
        g = c;
        break;
      }
    if (!g) {
      g = new_group(a, a->keybuf);
      orb_hmap_put(&a->groups, h, g);
    }
    if ((st = feed_row(a, g, in, NULL, rt, e)) != ORB_OK) return st;
    orb_arena_reset(&rt->tmp);
  }
  return ORB_OK;
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
  for (int i = 0; i < a->ngroup; i++) a->out[i] = g->keys[i];
  for (int j = 0; j < a->naggs; j++) {
    orb_status st = oql_agg_state_result(&a->aggs[j], &g->st[j], &a->out[a->ngroup + j], e);
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

static const char *agg_name(oql_agg_fn fn) {
  switch (fn) {
  case OQL_AGG_COUNT_STAR:
  case OQL_AGG_COUNT: return "count";
  case OQL_AGG_SUM: return "sum";
  case OQL_AGG_AVG: return "avg";
  case OQL_AGG_MIN: return "min";
  case OQL_AGG_MAX: return "max";
  case OQL_AGG_STRING_AGG: return "string_agg";
  }
  return "?";
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
  orb_buf_puts(lines, "Aggregates: ");
  for (int j = 0; j < a->naggs; j++) {
    const oql_agg_spec *sp = &a->aggs[j];
    if (j) orb_buf_puts(lines, ", ");
    orb_buf_printf(lines, "%s(%s", agg_name(sp->fn), sp->distinct ? "DISTINCT " : "");
    if (sp->arg)
      oql_explain_expr(sp->arg, op->left->names, lines);
    else
      orb_buf_putc(lines, '*');
    orb_buf_putc(lines, ')');
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
    if (aggs[j].fn != OQL_AGG_COUNT_STAR) only_count = false;
  a->count_table = only_count ? count_table : NULL;
  a->only_count = only_count;
  a->folds = orb_arena_zalloc(ar, (size_t)naggs + 1);
  for (int j = 0; ngroup == 0 && j < naggs; j++) a->nfolds += a->folds[j] = column_fold(&aggs[j]);
  orb_arena_init(&a->arena, 65536);
  orb_hmap_init(&a->groups, 0);
  a->keybuf = orb_arena_zalloc(ar, sizeof(orb_value) * (size_t)(ngroup + 1));
  a->out = orb_arena_zalloc(ar, sizeof(orb_value) * (size_t)(a->op.ncols + 1));
  return &a->op;
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
