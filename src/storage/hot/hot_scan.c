/* storage/hot/hot_scan.c — scans, counts and EXPLAIN of the hot tier (see hot.h). */
#include "storage/hot/hot_int.h"
#include "base/arena.h"
#include "base/mem.h"

#include <string.h>

/* More key combinations than this and a full scan is cheaper to reason about. */
#define HOT_MAX_POINT_KEYS 100000

typedef struct hot_scan {
  hot_tier *h;
  int *proj;
  int nproj;
  orb_expr *pred;
  orb_eval_ctx ctx;         /* the caller's, with our own arena */
  orb_snapshot snap;        /* copy of the caller's */
  const orb_snapshot *psnap;  /* &snap, or NULL = everything committed */
  orb_arena arena;          /* predicate temporaries, reset per row */
  bool by_key;
  uint64_t *rids;           /* point lookups: rows found at begin */
  size_t nrids, pos;
  uint64_t next, end;       /* full scan: rowids [next, end) */
  orb_value *pbuf;          /* projected values of the current batch */
  orb_scan_stats st;
} hot_scan;

/* The key columns of an access path: which < 0 the primary key, else
** secondary index `which`. */
static int path_cols(const hot_tier *h, int which, const int **cols) {
  if (which < 0) {
    *cols = h->pkcols;
    return h->npk;
  }
  *cols = h->sidx[which].cols;
  return h->sidx[which].ncols;
}

/* If pred pins every column of the access path, the number of key
** combinations (and with rids != NULL, the rowids of the rows snap sees
** that hold them, each once); else -1. */
static int64_t pinned_path(hot_tier *h, int which, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx,
                           orb_arena *a, uint64_t **rids, size_t *nrids) {
  const int *cols;
  int nk = path_cols(h, which, &cols);
  if (!pred || !nk) return -1;
  orb_value **vals = orb_arena_zalloc(a, sizeof(orb_value *) * (size_t)nk);
  int *nv = orb_arena_zalloc(a, sizeof(int) * (size_t)nk);
  int64_t total = 1;
  for (int i = 0; i < nk; i++) {
    if (!orb_expr_pinned_values(a, pred, cols[i], ctx, &vals[i], &nv[i])) return -1;
    total *= nv[i];
    if (total > HOT_MAX_POINT_KEYS) return -1;
  }
  if (!rids) return total;
  size_t cap = which < 0 ? (size_t)total : 0;
  *rids = cap ? orb_malloc(sizeof(uint64_t) * cap) : NULL;
  *nrids = 0;
  if (total == 0) return 0;
  orb_value *key = orb_arena_alloc(a, sizeof(orb_value) * (size_t)nk);
  int *idx = orb_arena_zalloc(a, sizeof(int) * (size_t)nk);
  for (;;) {   /* odometer over the cross product */
    for (int i = 0; i < nk; i++) key[i] = vals[i][idx[i]];
    uint64_t r;
    if (which >= 0) hot_sidx_lookup(h, which, key, snap, rids, nrids, &cap);
    else if (hot_pk_find(h, key, snap, &r, NULL)) (*rids)[(*nrids)++] = r;
    int i = nk - 1;
    while (i >= 0 && ++idx[i] == nv[i]) idx[i--] = 0;
    if (i < 0) break;
  }
  /* secondary entries are per version: each row once, in rowid order as a
  ** full scan returns them */
  if (which >= 0) *nrids = hot_sidx_dedup(*rids, *nrids);
  return total;
}

/* The access path for pred: the primary key if it pins it, else the first
** index (unique ones first) whose columns it all pins; -2 = none (full
** scan).  *n: the number of key combinations. */
static int choose_path(hot_tier *h, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx, orb_arena *a,
                       int64_t *n) {
  if (!pred) return -2;
  if ((*n = pinned_path(h, -1, snap, pred, ctx, a, NULL, NULL)) >= 0) return -1;
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < h->nsidx; k++)
      if (h->sidx[k].unique == (pass == 0) && (*n = pinned_path(h, k, snap, pred, ctx, a, NULL, NULL)) >= 0) return k;
  return -2;
}

/* choose_path, then the rowids of its rows; -1 when a full scan it is. */
static int64_t pinned_keys(hot_tier *h, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx, orb_arena *a,
                           uint64_t **rids, size_t *nrids) {
  int64_t n;
  int which = choose_path(h, snap, pred, ctx, a, &n);
  if (which == -2) return -1;
  return pinned_path(h, which, snap, pred, ctx, a, rids, nrids);
}

orb_status hot_op_scan_begin(orb_tier *t, const orb_scan_req *req, orb_tier_scan **out, orb_err *e) {
  hot_tier *h = hot_of(t);
  for (int i = 0; req->proj && i < req->nproj; i++)
    if (req->proj[i] < 0 || req->proj[i] >= h->schema.ncols)
      return orb_err_set(e, ORB_ERR_INTERNAL, "scan projects column %d of a table with %d columns", req->proj[i],
                         h->schema.ncols);
  hot_scan *s = orb_calloc(1, sizeof *s);
  s->h = h;
  if (req->proj) {
    s->nproj = req->nproj;
    s->proj = orb_memdup(req->proj, sizeof(int) * (size_t)(req->nproj ? req->nproj : 1));
    s->pbuf = orb_malloc(sizeof(orb_value) * (size_t)ORB_SCAN_BATCH * (size_t)(req->nproj ? req->nproj : 1));
  }
  s->pred = req->pred;
  if (req->snap) {
    s->snap = *req->snap;
    s->psnap = &s->snap;
  }
  if (req->ctx) s->ctx = *req->ctx;
  orb_arena_init(&s->arena, 4096);
  s->ctx.arena = &s->arena;
  int64_t n = pinned_keys(h, s->psnap, s->pred, &s->ctx, &s->arena, &s->rids, &s->nrids);
  if (n >= 0) {
    s->by_key = true;
    s->st.index_lookups = n;
  } else {
    s->end = h->nslots;    /* rows appended by this statement are not seen */
  }
  orb_arena_reset(&s->arena);
  *out = (orb_tier_scan *)s;
  return ORB_OK;
}

orb_status hot_op_scan_next(orb_tier_scan *ts, orb_row_batch *b, orb_err *e) {
  hot_scan *s = (hot_scan *)ts;
  hot_tier *h = s->h;
  b->nrows = 0;
  while (b->nrows < ORB_SCAN_BATCH) {
    uint64_t r;
    if (s->by_key) {
      if (s->pos >= s->nrids) break;
      r = s->rids[s->pos++];
    } else {
      if (s->next >= s->end) break;
      r = s->next++;
    }
    const orb_value *row = hot_row_visible(h, r, s->psnap);
    if (!row) continue;
    s->st.rows_scanned++;
    s->st.bytes_read += (int64_t)hot_row_size(&h->schema, row);
    if (s->pred) {
      bool ok = false;
      orb_arena_reset(&s->arena);
      orb_status st = orb_expr_test(s->pred, &s->ctx, row, &ok, e);
      if (st != ORB_OK) return st;
      if (!ok) continue;
    }
    if (s->proj) {
      orb_value *dst = s->pbuf + (size_t)b->nrows * (size_t)s->nproj;
      for (int i = 0; i < s->nproj; i++) dst[i] = row[s->proj[i]];
      b->rows[b->nrows] = dst;
    } else {
      b->rows[b->nrows] = row;
    }
    b->locators[b->nrows++] = r;
    s->st.rows_returned++;
  }
  return ORB_OK;
}

void hot_op_scan_end(orb_tier_scan *ts, orb_scan_stats *stats) {
  hot_scan *s = (hot_scan *)ts;
  if (!s) return;
  if (stats) *stats = s->st;
  orb_arena_free(&s->arena);
  orb_free(s->rids);
  orb_free(s->proj);
  orb_free(s->pbuf);
  orb_free(s);
}

orb_status hot_op_count(orb_tier *t, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx, int64_t *count,
                        orb_err *e) {
  hot_tier *h = hot_of(t);
  if (!pred) {
    /* the committed count is the snapshot's when nothing is in flight and
    ** nothing committed since it was taken; else the caller counts rows */
    *count = h->pending == 0 && (!snap || h->last_seq <= snap->seq) ? h->live : -1;
    return ORB_OK;
  }
  *count = -1;
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_eval_ctx c = {0};
  if (ctx) c = *ctx;
  c.arena = &a;
  uint64_t *rids = NULL;
  size_t n = 0;
  orb_status st = ORB_OK;
  if (pinned_keys(h, snap, pred, &c, &a, &rids, &n) >= 0) {
    int64_t k = 0;
    for (size_t i = 0; i < n && st == ORB_OK; i++) {
      bool ok = false;
      st = orb_expr_test(pred, &c, hot_row_visible(h, rids[i], snap), &ok, e);
      k += ok;
    }
    if (st == ORB_OK) *count = k;
  }
  orb_free(rids);
  orb_arena_free(&a);
  return st;
}

void hot_op_explain(orb_tier *t, const orb_scan_req *req, orb_buf *out) {
  hot_tier *h = hot_of(t);
  orb_arena a;
  orb_arena_init(&a, 4096);
  orb_eval_ctx c = {0};
  if (req->ctx) c = *req->ctx;
  c.arena = &a;
  int64_t n = -1;
  int which = choose_path(h, req->snap, req->pred, &c, &a, &n);
  if (which == -1) {
    orb_buf_printf(out, "primary-key point lookup (%lld key%s)", (long long)n, n == 1 ? "" : "s");
  } else if (which >= 0) {
    orb_buf_printf(out, "index %s lookup (%lld key%s)", h->schema.indexes[which].name, (long long)n, n == 1 ? "" : "s");
  } else if (req->pred) {
    const char **names = orb_arena_alloc(&a, sizeof(char *) * (size_t)h->schema.ncols);
    for (int i = 0; i < h->schema.ncols; i++) names[i] = h->schema.cols[i].name;
    orb_buf_puts(out, "full scan with filter: ");
    orb_expr_format(req->pred, names, out);
  } else {
    orb_buf_puts(out, "full scan");
  }
  orb_arena_free(&a);
}
