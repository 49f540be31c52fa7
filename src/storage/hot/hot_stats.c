/* storage/hot/hot_stats.c — row count, bytes, per-column null counts and min/max (see hot.h). */
#include "storage/hot/hot_int.h"
#include "base/mem.h"
#include "types/value.h"

#include <math.h>
#include <string.h>

/* Keep a private copy of v (strings too) in dst and buf. */
static void keep(orb_value *dst, char **buf, size_t *cap, const orb_value *v) {
  *dst = *v;
  if (!v->isnull && orb_type_is_bytes((orb_type_id)v->type)) {
    if (*cap < v->len || !*buf) {
      *buf = orb_realloc(*buf, v->len ? v->len : 1);
      *cap = v->len ? v->len : 1;
    }
    if (v->len) memcpy(*buf, v->u.s, v->len);
    dst->u.s = *buf;
  }
}

/* orb_value_cmp for two values of one column (stored values have the
** column's exact type): integers, dates and times, non-NaN floats and short
** strings inline, since every inserted value passes here. */
static inline int stat_cmp(const orb_value *a, const orb_value *b) {
  if (a->type == b->type) {
    switch ((orb_type_id)a->type) {
    case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64:
    case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP: case ORB_T_TIMESTAMPTZ:
      return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    case ORB_T_FLOAT32: case ORB_T_FLOAT64:
      if (!isnan(a->u.f) && !isnan(b->u.f)) return (a->u.f > b->u.f) - (a->u.f < b->u.f);
      break;
    case ORB_T_TEXT: case ORB_T_BYTEA:
      /* short strings byte by byte (the order of memcmp) rather than a libc call */
      if (a->len <= 16 && b->len <= 16) {
        uint32_t n = a->len < b->len ? a->len : b->len;
        const unsigned char *x = (const unsigned char *)a->u.s, *y = (const unsigned char *)b->u.s;
        for (uint32_t k = 0; k < n; k++)
          if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
        return (a->len > b->len) - (a->len < b->len);
      }
      break;
    default:
      break;
    }
  }
  return orb_value_cmp(a, b);
}

static void see(hot_col_stat *c, const orb_value *v) {
  if (v->type == ORB_T_ARRAY) return;   /* no min/max of arrays: nothing prunes on them */
  if (!c->has) {
    keep(&c->min, &c->minbuf, &c->mincap, v);
    keep(&c->max, &c->maxbuf, &c->maxcap, v);
    c->has = true;
    return;
  }
  /* min <= max: a new minimum cannot be a new maximum */
  if (stat_cmp(v, &c->min) < 0) keep(&c->min, &c->minbuf, &c->mincap, v);
  else if (stat_cmp(v, &c->max) > 0) keep(&c->max, &c->maxbuf, &c->maxcap, v);
}

/* Fixed-size values of the type min and max already have, ordered as
** numbers: a new minimum or maximum is a plain copy (no bytes to keep).
** Every inserted value passes here, so these skip see()'s call and switch;
** false leaves the value to see(). */
static inline bool see_number(hot_col_stat *c, const orb_value *v) {
  if (!c->has || v->type != c->max.type) return false;
  switch ((orb_type_id)v->type) {
  case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64:
  case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP: case ORB_T_TIMESTAMPTZ:
    if (v->u.i < c->min.u.i) c->min = *v;
    else if (v->u.i > c->max.u.i) c->max = *v;
    return true;
  case ORB_T_FLOAT32: case ORB_T_FLOAT64:
    /* NaN sorts above every number (orb_value_cmp): C's comparisons do not say so */
    if (isnan(v->u.f) || isnan(c->min.u.f) || isnan(c->max.u.f)) return false;
    if (v->u.f < c->min.u.f) c->min = *v;
    else if (v->u.f > c->max.u.f) c->max = *v;
    return true;
  default:
    return false;
  }
}

void hot_stats_add(hot_tier *h, const orb_value *row) {
  for (int i = 0; i < h->schema.ncols; i++) {
    hot_col_stat *c = &h->cstats[i];
    if (row[i].isnull) c->nulls++;
    else if (!c->stale && !see_number(c, &row[i])) see(c, &row[i]);
  }
}

void hot_stats_remove(hot_tier *h, const orb_value *row) {
  for (int i = 0; i < h->schema.ncols; i++) {
    hot_col_stat *c = &h->cstats[i];
    if (row[i].isnull) {
      c->nulls--;
      continue;
    }
    if (c->stale || !c->has || row[i].type == ORB_T_ARRAY) continue;
    if (orb_value_cmp(&row[i], &c->min) == 0 || orb_value_cmp(&row[i], &c->max) == 0) c->stale = true;
  }
}

static void rescan(hot_tier *h, int col) {
  hot_col_stat *c = &h->cstats[col];
  c->has = false;
  for (size_t r = 0; r < h->nslots; r++) {
    const orb_value *row = h->rows[r];
    if (row && !row[col].isnull) see(c, &row[col]);
  }
  c->stale = false;
}

void hot_op_stats(orb_tier *t, orb_tier_stats *out) {
  hot_tier *h = hot_of(t);
  pthread_mutex_lock(&h->stats_mu);
  out->row_count = h->live;
  out->index_bytes = hot_index_bytes(h, -1);
  for (int k = 0; k < h->nsidx; k++) out->index_bytes += hot_index_bytes(h, k);
  out->bytes = h->bytes + (int64_t)(h->cap * sizeof(void *)) + out->index_bytes;
  out->ncols = h->schema.ncols;
  for (int i = 0; i < h->schema.ncols; i++) {
    hot_col_stat *c = &h->cstats[i];
    if (c->stale) rescan(h, i);
    orb_col_stats *o = &h->stats_out[i];
    o->has_minmax = c->has;
    o->min = c->min;
    o->max = c->max;
    o->null_count = c->nulls;
  }
  out->cols = h->stats_out;
  pthread_mutex_unlock(&h->stats_mu);
}

int64_t hot_index_bytes(const hot_tier *h, int which) {
  if (which < 0) return h->npk ? (int64_t)((h->pk.mask + 1) * sizeof(orb_hmap_slot)) : 0;
  return which < h->nsidx ? (int64_t)((h->sidx[which].map.mask + 1) * sizeof(orb_hmap_slot)) : 0;
}
