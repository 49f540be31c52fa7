/* tests/formats/test_pq_prune.c — pruning by statistics, page index, bloom
** filters and dictionaries.
**
** Soundness on every flat fixture of parquet-testing that reads: for random
** ranges, IN-sets and null tests built from each column's own values (and
** values just beside them, to exercise rounding between SQL and stored
** units), every row that matches by a full decode and orb_value_cmp lies in
** a row group and row range pq_prune kept.  Effectiveness: the same
** predicates skip groups and pages, counted per mechanism.  Hand-built
** footers pin the order rules: unsigned integers, timestamps in
** milliseconds and nanoseconds, decimals in bytes, NaN, byte arrays
** without column_orders, INT96. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <cmocka.h>

#include "formats/parquet/parquet.h"
#include "types/value.h"

#define FX "../shared/fixtures/parquet-testing/data/"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}

/* The SQL truth of one row for one predicate. */
static bool row_matches(const pq_pred *p, const orb_value *v) {
  switch (p->kind) {
  case PQ_PRED_IS_NULL: return v->isnull;
  case PQ_PRED_NOT_NULL: return !v->isnull;
  case PQ_PRED_RANGE:
    if (v->isnull) return false;
    if (p->has_lo) {
      int c = orb_value_cmp(v, &p->lo);
      if (c < 0 || (c == 0 && !p->lo_incl)) return false;
    }
    if (p->has_hi) {
      int c = orb_value_cmp(v, &p->hi);
      if (c > 0 || (c == 0 && !p->hi_incl)) return false;
    }
    return true;
  case PQ_PRED_IN:
    if (v->isnull) return false;
    for (int i = 0; i < p->nin; i++)
      if (!p->in[i].isnull && orb_value_cmp(v, &p->in[i]) == 0) return true;
    return false;
  case PQ_PRED_ANY:
  case PQ_PRED_OR:   /* operands on this one column */
    for (int i = 0; i < p->nany; i++)
      if (row_matches(&p->any[i], v)) return true;
    return false;
  case PQ_PRED_AND:
    for (int i = 0; i < p->nany; i++)
      if (!row_matches(&p->any[i], v)) return false;
    return true;
  }
  return false;
}

static bool row_kept(const pq_prune_result *r, int g, int64_t row) {
  const pq_group_plan *pl = &r->groups[g];
  if (!pl->keep) return false;
  for (int i = 0; i < pl->nranges; i++)
    if (row >= pl->ranges[i].first && row < pl->ranges[i].first + pl->ranges[i].count) return true;
  return false;
}

/* A value near v: itself, or one step beside it in its type. */
static orb_value nudge(orb_value v, orb_arena *a) {
  int k = (int)(next() % 4);
  if (k == 0) return v;
  int d = k == 1 ? 1 : -1;
  switch ((orb_type_id)v.type) {
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
  case ORB_T_DATE:
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
    if (k == 3) {   /* the same number as a decimal with a half step */
      if (orb_type_is_integer((orb_type_id)v.type)) return orb_decimal((__int128)v.u.i * 10 + 5, 1);
      d = 1000;   /* a millisecond */
    }
    if ((d > 0 && v.u.i > INT64_MAX - d) || (d < 0 && v.u.i < INT64_MIN - d)) return v;
    v.u.i += d;
    return v;
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64:
    if (k == 3) return orb_float(ORB_T_FLOAT64, v.u.f * 0.5);
    v.u.f = nextafter(v.u.f, d > 0 ? INFINITY : -INFINITY);
    return v;
  case ORB_T_DECIMAL:
    if (k == 3) {   /* a finer scale */
      if (v.scale < 37) return orb_decimal(v.u.dec * 10 + 5, v.scale + 1);
      return v;
    }
    v.u.dec += d;
    return v;
  case ORB_T_TEXT:
  case ORB_T_BYTEA: {
    char *s = orb_arena_alloc(a, v.len + 2);
    memcpy(s, v.u.s, v.len);
    if (d > 0) {   /* just after: append a zero byte */
      s[v.len] = 0;
      v.u.s = s;
      v.len++;
    } else if (v.len > 0) {   /* before: drop the last byte */
      v.u.s = s;
      v.len--;
    }
    return v;
  }
  case ORB_T_BOOL:
    v.u.b = !v.u.b;
    return v;
  default: return v;
  }
}

typedef struct totals {
  long files, columns, preds, matches;
  pq_prune_counts c;
} totals;

static void add_counts(pq_prune_counts *t, const pq_prune_counts *c) {
  t->groups += c->groups, t->groups_kept += c->groups_kept;
  t->groups_by_stats += c->groups_by_stats, t->groups_by_bloom += c->groups_by_bloom;
  t->groups_by_dict += c->groups_by_dict, t->groups_by_pages += c->groups_by_pages;
  t->pages += c->pages, t->pages_skipped += c->pages_skipped;
  t->rows += c->rows, t->rows_skipped += c->rows_skipped;
}

/* One file: every flat column's values, then random predicates on each. */
static void soundness_file(const char *path, totals *t) {
  pq_file_meta *m;
  orb_err e;
  if (pq_read_footer(path, &m, &e) != ORB_OK) return;
  int ncols = m->nrow_groups > 0 ? m->row_groups[0].ncolumns : 0;
  bool flat = m->nschema == ncols + 1 && !m->encrypted;
  for (int i = 1; flat && i < m->nschema; i++) flat = m->schema[i].num_children <= 0 && m->schema[i].repetition != PQ_REPEATED;
  if (!flat || m->num_rows > 200000 || m->num_rows <= 0) {
    pq_meta_free(m);
    return;
  }
  int64_t nrows = m->num_rows;
  orb_value **vals = calloc((size_t)ncols, sizeof *vals);
  pq_column *cols = calloc((size_t)ncols * (size_t)m->nrow_groups, sizeof *cols);
  int *group_of = malloc(sizeof(int) * (size_t)nrows);
  int64_t *row_in = malloc(sizeof(int64_t) * (size_t)nrows);
  bool ok = true;
  for (int c = 0; c < ncols && ok; c++) {
    orb_type ty;
    if (pq_sql_type(&m->schema[c + 1], &ty, &e) != ORB_OK) continue;
    vals[c] = malloc(sizeof(orb_value) * (size_t)nrows);
    int64_t r = 0;
    for (int g = 0; g < m->nrow_groups && vals[c]; g++) {
      pq_column *col = &cols[(size_t)g * (size_t)ncols + (size_t)c];
      bool got = pq_read_flat_column(path, m, g, c, 0, col, &e) == ORB_OK && col->n == m->row_groups[g].num_rows &&
                 r + col->n <= nrows;
      for (int64_t i = 0; got && i < col->n; i++, r++) {
        got = pq_value_at(&m->schema[c + 1], col, i, ty, &vals[c][r], &e) == ORB_OK;
        group_of[r] = g;
        row_in[r] = i;
      }
      if (!got) {
        free(vals[c]);
        vals[c] = NULL;
      }
    }
    if (vals[c] && r != nrows) ok = false;
  }
  pq_source src = {path, NULL, 0};
  orb_arena a;
  orb_arena_init(&a, 0);
  for (int c = 0; c < ncols && ok; c++) {
    if (!vals[c]) continue;
    t->columns++;
    for (int iter = 0; iter < 24; iter++) {
      pq_pred p;
      memset(&p, 0, sizeof p);
      p.col = c;
      orb_value in[3];
      pq_pred alts[2];
      int kind = (int)(next() % 10);
      const orb_value *pick[3];
      for (int i = 0; i < 3; i++) pick[i] = &vals[c][next() % (uint64_t)nrows];
      if (kind == 0) p.kind = PQ_PRED_IS_NULL;
      else if (kind == 1) p.kind = PQ_PRED_NOT_NULL;
      else if (kind <= 5) {
        p.kind = PQ_PRED_RANGE;
        p.has_lo = !pick[0]->isnull && next() % 4 != 0;
        p.has_hi = !pick[1]->isnull && next() % 4 != 0;
        if (p.has_lo) p.lo = nudge(*pick[0], &a), p.lo_incl = next() & 1;
        if (p.has_hi) p.hi = nudge(*pick[1], &a), p.hi_incl = next() & 1;
        if (p.has_lo && p.has_hi && orb_value_cmp(&p.lo, &p.hi) > 0 && next() % 4) {
          orb_value x = p.lo;   /* mostly non-empty ranges */
          p.lo = p.hi, p.hi = x;
        }
      } else if (kind <= 7) {
        p.kind = PQ_PRED_IN;
        p.in = in;
        for (int i = 0; i < 3; i++)
          if (!pick[i]->isnull) in[p.nin++] = nudge(*pick[i], &a);
      } else {
        /* ANY: col <> v (below or above it), or col > v OR col IN (w) */
        memset(alts, 0, sizeof alts);
        alts[0].col = alts[1].col = c;
        alts[0].kind = alts[1].kind = PQ_PRED_RANGE;
        if (pick[0]->isnull) continue;
        orb_value v = nudge(*pick[0], &a);
        alts[0].has_lo = true, alts[0].lo = v, alts[0].lo_incl = next() & 1;
        if (kind == 8) {
          alts[1].has_hi = true, alts[1].hi = v;
        } else {
          alts[1].kind = PQ_PRED_IN;
          alts[1].in = in;
          if (!pick[1]->isnull) in[alts[1].nin++] = nudge(*pick[1], &a);
        }
        p.kind = PQ_PRED_ANY, p.any = alts, p.nany = 2;
      }
      /* sometimes a second constraint on another column */
      pq_pred two[2] = {p, p};
      int npred = 1;
      int c2 = (int)(next() % (uint64_t)ncols);
      if (next() % 3 == 0 && vals[c2] && c2 != c) {
        const orb_value *v2 = &vals[c2][next() % (uint64_t)nrows];
        memset(&two[1], 0, sizeof two[1]);
        two[1].col = c2;
        if (v2->isnull) two[1].kind = PQ_PRED_IS_NULL;
        else {
          two[1].kind = PQ_PRED_RANGE;
          two[1].has_hi = true, two[1].hi_incl = true, two[1].hi = *v2;
        }
        npred = 2;
      }
      pq_prune_result res;
      orb_status st = pq_prune(&src, m, two, npred, PQ_PRUNE_ALL, 0, &res, &e);
      if (st != ORB_OK) fail_msg("%s: %s", path, e.msg);
      t->preds++;
      for (int64_t r = 0; r < nrows; r++) {
        bool match = true;
        for (int k = 0; k < npred && match; k++) match = row_matches(&two[k], &vals[two[k].col][r]);
        if (!match) continue;
        t->matches++;
        if (!row_kept(&res, group_of[r], row_in[r]))
          fail_msg("%s: column %d (%s) row %lld matches but was pruned (predicate kind %d, %d constraints)", path, c,
                   m->schema[c + 1].name, (long long)r, p.kind, npred);
      }
      add_counts(&t->c, &res.counts);
      pq_prune_free(&res);
    }
  }
  orb_arena_free(&a);
  for (int c = 0; c < ncols; c++) free(vals[c]);
  for (size_t i = 0; i < (size_t)ncols * (size_t)m->nrow_groups; i++) pq_column_free(&cols[i]);
  free(vals), free(cols), free(group_of), free(row_in);
  t->files++;
  pq_meta_free(m);
}

static void test_soundness_on_fixtures(void **state) {
  (void)state;
  DIR *d = opendir(FX);
  assert_non_null(d);
  totals t;
  memset(&t, 0, sizeof t);
  struct dirent *de;
  char *names[512];
  int n = 0;
  while ((de = readdir(d)) && n < 512)
    if (strstr(de->d_name, ".parquet") && !strstr(de->d_name, ".encrypted") && !strstr(de->d_name, "large_string_map"))
      names[n++] = strdup(de->d_name);
  closedir(d);
  for (int i = 0; i < n; i++) {
    char path[600];
    snprintf(path, sizeof path, FX "%s", names[i]);
    soundness_file(path, &t);
    free(names[i]);
  }
  printf("%ld files, %ld columns, %ld predicates, %ld matching rows all kept\n", t.files, t.columns, t.preds, t.matches);
  printf("row groups %lld: skipped by statistics %lld, bloom %lld, dictionary %lld, page index %lld\n",
         (long long)t.c.groups, (long long)t.c.groups_by_stats, (long long)t.c.groups_by_bloom,
         (long long)t.c.groups_by_dict, (long long)t.c.groups_by_pages);
  printf("pages %lld, skipped %lld; rows %lld, skipped %lld\n", (long long)t.c.pages, (long long)t.c.pages_skipped,
         (long long)t.c.rows, (long long)t.c.rows_skipped);
  /* the predicates are not vacuous: each mechanism skipped something */
  assert_true(t.files >= 20);
  assert_true(t.matches > 100000);
  assert_true(t.c.groups_by_stats > 0);
  assert_true(t.c.groups_by_dict > 0);
  assert_true(t.c.pages_skipped > 1000);
  assert_true(t.c.rows_skipped > t.c.rows / 10);
}

/* --- hand-built footers: one row group, one column, its statistics ------------------------- */

typedef struct one {
  pq_file_meta m;
  pq_schema_elem schema[2];
  pq_row_group g;
  pq_chunk c;
  int order;
} one;

static void one_init(one *o, int type, int order) {
  memset(o, 0, sizeof *o);
  o->schema[0].name = "root";
  o->schema[0].num_children = 1;
  o->schema[0].type = -1;
  o->schema[0].converted_type = -1;
  o->schema[1].name = "x";
  o->schema[1].type = type;
  o->schema[1].num_children = -1;
  o->schema[1].repetition = PQ_OPTIONAL;
  o->schema[1].converted_type = -1;
  o->c.has_meta = true;
  o->c.type = type;
  o->c.num_values = 100;
  o->c.has_stats = true;
  o->c.stats.has_null_count = true;
  o->c.stats.null_count = 3;
  o->g.columns = &o->c;
  o->g.ncolumns = 1;
  o->g.num_rows = 100;
  o->m.schema = o->schema;
  o->m.nschema = 2;
  o->m.row_groups = &o->g;
  o->m.nrow_groups = 1;
  o->m.num_rows = 100;
  o->order = order;
  if (order) {
    o->m.column_orders = &o->order;
    o->m.ncolumn_orders = 1;
  }
}

static uint8_t store[16][16];
static int nstore;
static pq_bytes le(uint64_t v, int n) {
  uint8_t *b = store[nstore++ % 16];
  for (int i = 0; i < n; i++) b[i] = (uint8_t)(v >> (8 * i));
  return (pq_bytes){b, (size_t)n};
}
static pq_bytes be(int64_t v, int n) {
  uint8_t *b = store[nstore++ % 16];
  for (int i = 0; i < n; i++) b[n - 1 - i] = (uint8_t)((uint64_t)v >> (8 * i));
  return (pq_bytes){b, (size_t)n};
}
static pq_bytes str(const char *s) { return (pq_bytes){(const uint8_t *)s, strlen(s)}; }
static pq_bytes dbl(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return le(u, 8);
}

static bool keeps(one *o, pq_pred p) {
  pq_source src = {"hand.parquet", "", 0};
  pq_prune_result r;
  orb_err e;
  p.col = 0;
  orb_status st = pq_prune(&src, &o->m, &p, 1, PQ_PRUNE_ALL, 0, &r, &e);
  if (st != ORB_OK) fail_msg("%s", e.msg);
  bool keep = r.groups[0].keep;
  assert_int_equal(r.counts.groups_by_stats, !keep);
  pq_prune_free(&r);
  return keep;
}

static pq_pred ge(orb_value v) { return (pq_pred){0, PQ_PRED_RANGE, true, false, true, false, v, orb_null(ORB_T_NULL), NULL, 0, NULL, 0, false}; }
static pq_pred gt(orb_value v) { return (pq_pred){0, PQ_PRED_RANGE, true, false, false, false, v, orb_null(ORB_T_NULL), NULL, 0, NULL, 0, false}; }
static pq_pred le_(orb_value v) { return (pq_pred){0, PQ_PRED_RANGE, false, true, false, true, orb_null(ORB_T_NULL), v, NULL, 0, NULL, 0, false}; }
static pq_pred lt(orb_value v) { return (pq_pred){0, PQ_PRED_RANGE, false, true, false, false, orb_null(ORB_T_NULL), v, NULL, 0, NULL, 0, false}; }
static pq_pred between(orb_value a, orb_value b) { return (pq_pred){0, PQ_PRED_RANGE, true, true, true, true, a, b, NULL, 0, NULL, 0, false}; }
static pq_pred in(const orb_value *v, int n) { return (pq_pred){0, PQ_PRED_IN, false, false, false, false, orb_null(ORB_T_NULL), orb_null(ORB_T_NULL), v, n, NULL, 0, false}; }
static pq_pred is_null(void) { return (pq_pred){0, PQ_PRED_IS_NULL, false, false, false, false, orb_null(ORB_T_NULL), orb_null(ORB_T_NULL), NULL, 0, NULL, 0, false}; }
static pq_pred not_null(void) { return (pq_pred){0, PQ_PRED_NOT_NULL, false, false, false, false, orb_null(ORB_T_NULL), orb_null(ORB_T_NULL), NULL, 0, NULL, 0, false}; }

static void test_unsigned_and_signed(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_INT32, 1);   /* INT(32, false): 1 .. 4294967295 */
  o.schema[1].logical.kind = PQ_LT_INTEGER, o.schema[1].logical.bit_width = 32, o.schema[1].logical.is_signed = false;
  o.c.stats.min_value = le(1, 4), o.c.stats.max_value = le(0xffffffffu, 4);
  orb_value v = orb_int(ORB_T_INT64, 3000000000LL);
  assert_true(keeps(&o, in(&v, 1)));            /* signed, the max would read -1 and prune it */
  assert_false(keeps(&o, gt(orb_int(ORB_T_INT64, 4294967295LL))));
  assert_false(keeps(&o, lt(orb_int(ORB_T_INT64, 1))));
  assert_true(keeps(&o, le_(orb_int(ORB_T_INT64, 1))));
  /* no column_orders: only the deprecated min/max, whose signed order is wrong for unsigned */
  one_init(&o, PQ_INT32, 0);
  o.schema[1].converted_type = 13;   /* UINT_32 */
  o.c.stats.min = le(1, 4), o.c.stats.max = le(0xffffffffu, 4);
  assert_true(keeps(&o, gt(orb_int(ORB_T_INT64, 4294967295LL))));
  /* signed INT64 with the deprecated fields: usable */
  one_init(&o, PQ_INT64, 0);
  o.c.stats.min = le((uint64_t)-5, 8), o.c.stats.max = le(7, 8);
  assert_false(keeps(&o, gt(orb_int(ORB_T_INT64, 7))));
  assert_true(keeps(&o, ge(orb_int(ORB_T_INT64, 7))));
  assert_false(keeps(&o, lt(orb_int(ORB_T_INT64, -5))));
  assert_true(keeps(&o, lt(orb_decimal(-49, 1))));   /* x < -4.9 holds for -5 */
  assert_false(keeps(&o, lt(orb_decimal(-50, 1))));
  assert_true(keeps(&o, gt(orb_float(ORB_T_FLOAT64, 6.5))));
  assert_false(keeps(&o, gt(orb_float(ORB_T_FLOAT64, 7.0))));
  orb_value set[2] = {orb_int(ORB_T_INT64, 8), orb_decimal(65, 1)};   /* 8 and 6.5: no stored integer equals */
  assert_false(keeps(&o, in(set, 2)));
  set[1] = orb_decimal(60, 1);
  assert_true(keeps(&o, in(set, 2)));
}

static void test_timestamp_units(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_INT64, 1);   /* milliseconds: 1000 ms = 1,000,000 us */
  o.schema[1].logical.kind = PQ_LT_TIMESTAMP, o.schema[1].logical.unit = PQ_UNIT_MILLIS;
  o.c.stats.min_value = le(1000, 8), o.c.stats.max_value = le(1000, 8);
  orb_value at = orb_int(ORB_T_TIMESTAMP, 1000000), half = orb_int(ORB_T_TIMESTAMP, 1000500);
  assert_false(keeps(&o, in(&half, 1)));
  assert_true(keeps(&o, in(&at, 1)));
  assert_false(keeps(&o, ge(orb_int(ORB_T_TIMESTAMP, 1000001))));
  assert_true(keeps(&o, ge(orb_int(ORB_T_TIMESTAMP, 1000000))));
  assert_true(keeps(&o, gt(orb_int(ORB_T_TIMESTAMP, 999999))));
  assert_false(keeps(&o, gt(orb_int(ORB_T_TIMESTAMP, 1000000))));
  assert_false(keeps(&o, le_(orb_int(ORB_T_TIMESTAMP, 999999))));
  assert_true(keeps(&o, le_(orb_int(ORB_T_TIMESTAMP, 1000000))));
  assert_false(keeps(&o, lt(orb_int(ORB_T_TIMESTAMP, 1000000))));
  assert_true(keeps(&o, lt(orb_int(ORB_T_TIMESTAMP, 1000001))));
  assert_true(keeps(&o, ge(orb_int(ORB_T_DATE, 99))));   /* a DATE against a timestamp: not converted, not pruned */
  one_init(&o, PQ_INT64, 1);   /* nanoseconds: 1,000,000,999 ns is 1,000,000 us (floored) */
  o.schema[1].logical.kind = PQ_LT_TIMESTAMP, o.schema[1].logical.unit = PQ_UNIT_NANOS, o.schema[1].logical.utc = true;
  o.c.stats.min_value = le(1000000999, 8), o.c.stats.max_value = le(1000000999, 8);
  at = orb_int(ORB_T_TIMESTAMPTZ, 1000000);
  assert_true(keeps(&o, in(&at, 1)));
  assert_false(keeps(&o, gt(orb_int(ORB_T_TIMESTAMPTZ, 1000000))));
  assert_true(keeps(&o, ge(orb_int(ORB_T_TIMESTAMPTZ, 1000000))));
  assert_false(keeps(&o, lt(orb_int(ORB_T_TIMESTAMPTZ, 1000000))));
  assert_true(keeps(&o, le_(orb_int(ORB_T_TIMESTAMPTZ, 1000000))));
  one_init(&o, PQ_INT32, 1);   /* DATE */
  o.schema[1].logical.kind = PQ_LT_DATE;
  o.c.stats.min_value = le(100, 4), o.c.stats.max_value = le(200, 4);
  assert_false(keeps(&o, between(orb_int(ORB_T_DATE, 201), orb_int(ORB_T_DATE, 300))));
  assert_true(keeps(&o, between(orb_int(ORB_T_DATE, 200), orb_int(ORB_T_DATE, 300))));
}

static void test_decimals(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_FIXED_LEN_BYTE_ARRAY, 1);   /* DECIMAL(9,2) in 4 bytes: -5.00 .. 3.25 */
  o.schema[1].type_length = 4;
  o.schema[1].logical.kind = PQ_LT_DECIMAL, o.schema[1].logical.precision = 9, o.schema[1].logical.scale = 2;
  o.c.stats.min_value = be(-500, 4), o.c.stats.max_value = be(325, 4);
  assert_false(keeps(&o, gt(orb_decimal(325, 2))));
  assert_true(keeps(&o, ge(orb_decimal(325, 2))));
  assert_false(keeps(&o, ge(orb_decimal(3251, 3))));
  assert_true(keeps(&o, gt(orb_decimal(32499, 4))));
  assert_false(keeps(&o, lt(orb_decimal(-5, 0))));
  assert_true(keeps(&o, le_(orb_int(ORB_T_INT32, -5))));
  assert_false(keeps(&o, le_(orb_decimal(-5001, 3))));
  orb_value set[2] = {orb_int(ORB_T_INT32, 4), orb_decimal(9, 0)};
  assert_false(keeps(&o, in(set, 2)));
  set[1] = orb_decimal(-4999, 3);   /* inside the range, but no value of scale 2 equals it */
  assert_false(keeps(&o, in(set, 2)));
  set[1] = orb_decimal(-4990, 3);
  assert_true(keeps(&o, in(set, 2)));
  /* a byte-array decimal with short big-endian values */
  one_init(&o, PQ_BYTE_ARRAY, 1);
  o.schema[1].converted_type = 5, o.schema[1].precision = 5, o.schema[1].scale = 0;
  o.c.stats.min_value = be(-1, 1), o.c.stats.max_value = be(300, 2);
  assert_false(keeps(&o, gt(orb_int(ORB_T_INT32, 300))));
  assert_false(keeps(&o, lt(orb_int(ORB_T_INT32, -1))));
  assert_true(keeps(&o, lt(orb_int(ORB_T_INT32, 0))));
}

static void test_floats_and_nan(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_DOUBLE, 1);
  o.c.stats.min_value = dbl(1.0), o.c.stats.max_value = dbl(5.0);
  /* NaN is above 10 in SQL and writers leave it out of max: not prunable */
  assert_true(keeps(&o, gt(orb_float(ORB_T_FLOAT64, 10))));
  assert_false(keeps(&o, between(orb_float(ORB_T_FLOAT64, 10), orb_float(ORB_T_FLOAT64, 20))));
  assert_false(keeps(&o, lt(orb_float(ORB_T_FLOAT64, 1))));
  assert_true(keeps(&o, le_(orb_float(ORB_T_FLOAT64, 1))));
  assert_true(keeps(&o, le_(orb_int(ORB_T_INT32, 1))));
  orb_value ten = orb_float(ORB_T_FLOAT64, 10), nan = orb_float(ORB_T_FLOAT64, NAN);
  assert_false(keeps(&o, in(&ten, 1)));
  assert_true(keeps(&o, in(&nan, 1)));
  o.c.stats.max_value = dbl(NAN);   /* an old writer's NaN maximum: unknown */
  assert_true(keeps(&o, between(orb_float(ORB_T_FLOAT64, 10), orb_float(ORB_T_FLOAT64, 20))));
  one_init(&o, PQ_DOUBLE, 2);   /* IEEE 754 total order: not used */
  o.c.stats.min_value = dbl(1.0), o.c.stats.max_value = dbl(5.0);
  assert_true(keeps(&o, in(&ten, 1)));
}

static void test_byte_arrays_and_orders(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_BYTE_ARRAY, 0);   /* only the deprecated (signed) min/max */
  o.schema[1].converted_type = 0;
  o.c.stats.min = str("b"), o.c.stats.max = str("c");
  orb_value z = orb_text("z", 1);
  assert_true(keeps(&o, in(&z, 1)));
  one_init(&o, PQ_BYTE_ARRAY, 1);
  o.schema[1].converted_type = 0;
  o.c.stats.min_value = str("b"), o.c.stats.max_value = str("\xc3\xa9");   /* unsigned: 0xc3 is above 'b' */
  orb_value e_acute = orb_text("\xc3", 1);
  assert_true(keeps(&o, in(&e_acute, 1)));
  assert_true(keeps(&o, in(&z, 1)));   /* 'z' < 0xc3: inside */
  orb_value d0 = orb_text("\xd0", 1);
  assert_false(keeps(&o, in(&d0, 1)));
  assert_false(keeps(&o, gt(orb_text("\xc3\xa9", 2))));
  assert_true(keeps(&o, ge(orb_text("\xc3\xa9", 2))));
  assert_false(keeps(&o, lt(orb_text("b", 1))));
  assert_true(keeps(&o, lt(orb_text("b\0", 2))));
  one_init(&o, PQ_INT96, 3);   /* INT96: no order, never pruned */
  o.c.stats.min_value = str("000000000000"), o.c.stats.max_value = str("000000000000");
  o.c.stats.min = o.c.stats.min_value, o.c.stats.max = o.c.stats.max_value;
  assert_true(keeps(&o, gt(orb_int(ORB_T_TIMESTAMP, INT64_MAX))));
}

static void test_nulls(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_INT32, 1);
  o.c.stats.null_count = 0;
  assert_false(keeps(&o, is_null()));
  assert_true(keeps(&o, not_null()));
  o.c.stats.null_count = 100;   /* all NULL */
  assert_true(keeps(&o, is_null()));
  assert_false(keeps(&o, not_null()));
  assert_false(keeps(&o, ge(orb_int(ORB_T_INT32, 0))));
  o.c.stats.has_null_count = false;
  assert_true(keeps(&o, not_null()));
  assert_true(keeps(&o, is_null()));
}

/* --- fixtures: each mechanism alone ---------------------------------------------------------- */

static pq_prune_result run(const char *file, pq_pred *p, int n, unsigned flags) {
  char path[512];
  snprintf(path, sizeof path, FX "%s", file);
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  pq_source src = {path, NULL, 0};
  pq_prune_result r;
  orb_status st = pq_prune(&src, m, p, n, flags, 0, &r, &e);
  if (st != ORB_OK) fail_msg("%s", e.msg);
  pq_meta_free(m);
  return r;
}

static int64_t kept_rows(const pq_prune_result *r) {
  int64_t n = 0;
  for (int g = 0; g < r->ngroups; g++)
    for (int i = 0; r->groups[g].keep && i < r->groups[g].nranges; i++) n += r->groups[g].ranges[i].count;
  return n;
}

static void test_page_index_narrows(void **state) {
  (void)state;
  /* alltypes_tiny_pages: one row group of 7300 rows, id in pages of a few rows */
  pq_pred p = between(orb_int(ORB_T_INT32, 1000), orb_int(ORB_T_INT32, 1100));
  p.col = 0;
  pq_prune_result r = run("alltypes_tiny_pages.parquet", &p, 1, PQ_PRUNE_ALL);
  int64_t kept = kept_rows(&r);
  printf("id BETWEEN 1000 AND 1100: %lld of %lld rows kept, %lld of %lld pages skipped\n", (long long)kept,
         (long long)r.counts.rows, (long long)r.counts.pages_skipped, (long long)r.counts.pages);
  assert_true(kept >= 101 && kept < 400);
  assert_int_equal(r.counts.rows_skipped, r.counts.rows - kept);
  pq_prune_free(&r);
  r = run("alltypes_tiny_pages.parquet", &p, 1, PQ_PRUNE_STATS);   /* the group's range covers it */
  assert_int_equal(kept_rows(&r), 7300);
  pq_prune_free(&r);
  /* two columns: their page ranges intersect */
  pq_pred two[2] = {p, between(orb_int(ORB_T_INT32, 2), orb_int(ORB_T_INT32, 2))};
  two[1].col = 4;   /* int_col, 0..9 in rotation: every page holds some 2 */
  r = run("alltypes_tiny_pages.parquet", two, 2, PQ_PRUNE_ALL);
  assert_true(kept_rows(&r) <= kept);
  pq_prune_free(&r);
}

static void test_bloom_and_dictionary(void **state) {
  (void)state;
  /* the bloom-filtered column: "Hello" .. "the lazy", "dog"; "Jump" is inside its min/max */
  orb_value there = orb_text("Hello", 5), absent = orb_text("Jump", 4);
  pq_pred p = in(&absent, 1);
  pq_prune_result r = run("data_index_bloom_encoding_stats.parquet", &p, 1, PQ_PRUNE_STATS);
  assert_int_equal(r.counts.groups_kept, 1);
  pq_prune_free(&r);
  r = run("data_index_bloom_encoding_stats.parquet", &p, 1, PQ_PRUNE_BLOOM);
  assert_int_equal(r.counts.groups_by_bloom, 1);
  pq_prune_free(&r);
  r = run("data_index_bloom_encoding_with_length.parquet", &p, 1, PQ_PRUNE_ALL);
  assert_int_equal(r.counts.groups_by_bloom, 1);
  pq_prune_free(&r);
  p = in(&there, 1);
  r = run("data_index_bloom_encoding_with_length.parquet", &p, 1, PQ_PRUNE_ALL);
  assert_int_equal(r.counts.groups_kept, 1);
  pq_prune_free(&r);
  /* string_col of alltypes_tiny_pages: "0" .. "9" in a dictionary; "35" lies between "3" and "4" */
  orb_value s35 = orb_text("35", 2), s3 = orb_text("3", 1);
  p = in(&s35, 1);
  p.col = 9;
  r = run("alltypes_tiny_pages.parquet", &p, 1, PQ_PRUNE_STATS | PQ_PRUNE_BLOOM);
  assert_int_equal(r.counts.groups_kept, 1);
  pq_prune_free(&r);
  r = run("alltypes_tiny_pages.parquet", &p, 1, PQ_PRUNE_DICT);
  assert_int_equal(r.counts.groups_by_dict, 1);
  pq_prune_free(&r);
  p = between(orb_text("30", 2), orb_text("39", 2));
  p.col = 9;
  r = run("alltypes_tiny_pages.parquet", &p, 1, PQ_PRUNE_DICT);
  assert_int_equal(r.counts.groups_by_dict, 1);
  pq_prune_free(&r);
  p = in(&s3, 1);
  p.col = 9;
  r = run("alltypes_tiny_pages.parquet", &p, 1, PQ_PRUNE_DICT);
  assert_int_equal(r.counts.groups_kept, 1);
  pq_prune_free(&r);
  /* alltypes_tiny_pages_plain: the same values PLAIN-encoded, no dictionary to use */
  p = in(&s35, 1);
  p.col = 9;
  r = run("alltypes_tiny_pages_plain.parquet", &p, 1, PQ_PRUNE_DICT);
  assert_int_equal(r.counts.groups_kept, 1);
  pq_prune_free(&r);
}

/* Without column_orders a column index's min/max have no defined order
** (parquet.thrift): the same footer with them removed prunes no page. */
static void test_page_index_needs_column_orders(void **state) {
  (void)state;
  const char *path = FX "alltypes_tiny_pages.parquet";
  pq_file_meta *m;
  orb_err e;
  assert_int_equal(pq_read_footer(path, &m, &e), ORB_OK);
  pq_source src = {path, NULL, 0};
  pq_pred p = between(orb_int(ORB_T_INT32, 1000), orb_int(ORB_T_INT32, 1100));
  pq_prune_result r;
  assert_int_equal(pq_prune(&src, m, &p, 1, PQ_PRUNE_ALL, 0, &r, &e), ORB_OK);
  assert_true(r.counts.pages_skipped > 300);
  pq_prune_free(&r);
  m->ncolumn_orders = 0;
  assert_int_equal(pq_prune(&src, m, &p, 1, PQ_PRUNE_ALL, 0, &r, &e), ORB_OK);
  assert_int_equal(r.counts.pages_skipped, 0);
  assert_int_equal(kept_rows(&r), 7300);
  pq_prune_free(&r);
  pq_meta_free(m);
}

/* LIKE patterns as ranges: only 'prefix%' is one, with the bounds that make
** it exact. */
static void expect_like(const char *pattern, bool ok, const char *lo, const char *hi) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_value pat = orb_text(pattern, strlen(pattern));
  pq_pred p;
  memset(&p, 0, sizeof p);
  assert_int_equal(pq_pred_like_prefix(&a, &pat, &p), ok);
  if (ok) {
    assert_int_equal(p.kind, PQ_PRED_RANGE);
    assert_true(p.has_lo && p.lo_incl);
    assert_int_equal(p.lo.len, strlen(lo));
    assert_memory_equal(p.lo.u.s, lo, strlen(lo));
    assert_int_equal(p.has_hi, hi != NULL);
    if (hi) {
      assert_false(p.hi_incl);
      assert_int_equal(p.hi.len, strlen(hi));
      assert_memory_equal(p.hi.u.s, hi, strlen(hi));
    }
  }
  orb_arena_free(&a);
}

static int no_col(const void *ctx, int col) { return (void)ctx, col == 4 ? -1 : col; }
static int same_col(const void *ctx, int col) { return (void)ctx, col; }

/* ANY: a union of ranges and sets, as `<>`, NOT IN and OR give. */
static void test_any(void **state) {
  (void)state;
  one o;
  one_init(&o, PQ_INT64, 1);
  o.c.stats.min_value = le(5, 8), o.c.stats.max_value = le(5, 8);   /* every value is 5 */
  orb_value five = orb_int(ORB_T_INT64, 5);
  pq_pred ne[2] = {lt(five), gt(five)};
  pq_pred any = {.kind = PQ_PRED_ANY, .any = ne, .nany = 2};
  assert_false(keeps(&o, any));                 /* x <> 5 */
  pq_pred lt_or_in[2] = {lt(five), in(&five, 1)};
  any.any = lt_or_in;
  assert_true(keeps(&o, any));                  /* x < 5 OR x = 5 */
  o.c.stats.min_value = le(3, 8), o.c.stats.max_value = le(7, 8);
  pq_pred outside[2] = {gt(orb_int(ORB_T_INT64, 7)), lt(orb_int(ORB_T_INT64, 3))};
  any.any = outside;
  assert_false(keeps(&o, any));                 /* x > 7 OR x < 3 */
  outside[1] = le_(orb_decimal(30, 1));
  assert_true(keeps(&o, any));                  /* x > 7 OR x <= 3.0 */
  one_init(&o, PQ_DOUBLE, 1);                   /* NaN is above every number and in no statistic */
  o.c.stats.min_value = dbl(5), o.c.stats.max_value = dbl(5);
  pq_pred fne[2] = {lt(orb_float(ORB_T_FLOAT64, 5)), gt(orb_float(ORB_T_FLOAT64, 5))};
  any.any = fne;
  assert_true(keeps(&o, any));                  /* x <> 5 holds for NaN */
}

/* OR across columns (`a = 1 OR b = 2`): the row group is skipped by
** statistics when every branch's constraints rule it out; an AND inside a
** branch rules the branch out when one of its operands does. */
static void test_or_across_columns(void **state) {
  (void)state;
  /* alltypes_tiny_pages: one group, id (col 0) 0..7299, int_col (col 4) 0..9 */
  pq_pred id_neg = lt(orb_int(ORB_T_INT32, 0)), int_big = gt(orb_int(ORB_T_INT32, 100));
  pq_pred int_two = between(orb_int(ORB_T_INT32, 2), orb_int(ORB_T_INT32, 2));
  id_neg.col = 0, int_big.col = 4, int_two.col = 4;
  pq_pred out2[2] = {id_neg, int_big};
  pq_pred or = {.col = -1, .kind = PQ_PRED_OR, .any = out2, .nany = 2};
  pq_prune_result r = run("alltypes_tiny_pages.parquet", &or, 1, PQ_PRUNE_ALL);
  assert_int_equal(r.counts.groups_kept, 0);   /* id < 0 OR int_col > 100 */
  assert_int_equal(r.counts.groups_by_stats, 1);
  pq_prune_free(&r);
  pq_pred in2[2] = {id_neg, int_two};
  or.any = in2;
  r = run("alltypes_tiny_pages.parquet", &or, 1, PQ_PRUNE_ALL);
  assert_int_equal(r.counts.groups_kept, 1);   /* id < 0 OR int_col = 2 */
  assert_int_equal(kept_rows(&r), 7300);       /* no page narrowing through an OR */
  pq_prune_free(&r);
  /* (int_col = 2 AND id < 0) OR int_col > 100: the AND is ruled out by one operand */
  pq_pred conj[2] = {int_two, id_neg};
  pq_pred and = {.col = -1, .kind = PQ_PRED_AND, .any = conj, .nany = 2};
  pq_pred nested[2] = {and, int_big};
  or.any = nested;
  r = run("alltypes_tiny_pages.parquet", &or, 1, PQ_PRUNE_ALL);
  assert_int_equal(r.counts.groups_kept, 0);
  pq_prune_free(&r);
  conj[1] = between(orb_int(ORB_T_INT32, 10), orb_int(ORB_T_INT32, 20)), conj[1].col = 0;
  r = run("alltypes_tiny_pages.parquet", &or, 1, PQ_PRUNE_ALL);
  assert_int_equal(r.counts.groups_kept, 1);   /* (int_col = 2 AND id BETWEEN 10 AND 20) may hold */
  pq_prune_free(&r);
  /* a column that does not map: the OR is no constraint (pq_pred_map_cols) */
  orb_arena a;
  orb_arena_init(&a, 0);
  pq_pred mapped;
  assert_false(pq_pred_map_cols(&a, &or, no_col, NULL, &mapped));
  assert_true(pq_pred_map_cols(&a, &or, same_col, NULL, &mapped));
  assert_int_equal(mapped.any[0].any[1].col, 0);
  orb_arena_free(&a);
}

static void test_like_prefix(void **state) {
  (void)state;
  expect_like("abc%", true, "abc", "abd");
  expect_like("abc%%", true, "abc", "abd");
  expect_like("a\\%b%", true, "a%b", "a%c");       /* an escaped '%' is a literal */
  expect_like("a\\_%", true, "a_", "a`");
  expect_like("ab\xff%", true, "ab\xff", "ac");    /* 0xff carries */
  expect_like("\xff\xff%", true, "\xff\xff", NULL);  /* nothing sorts above: no upper bound */
  expect_like("abc", false, NULL, NULL);             /* equality, not a prefix: 'abcd' is not LIKE 'abc' */
  expect_like("a_c%", false, NULL, NULL);
  expect_like("%abc", false, NULL, NULL);
  expect_like("ab%c", false, NULL, NULL);
  expect_like("%", false, NULL, NULL);
  expect_like("ab\\", false, NULL, NULL);           /* ends in its escape */
  orb_value n = orb_int(ORB_T_INT64, 5);
  pq_pred p;
  orb_arena a;
  orb_arena_init(&a, 0);
  assert_false(pq_pred_like_prefix(&a, &n, &p));     /* not text */
  /* ILIKE: one loose range per case variant of the prefix */
  orb_value pat = orb_text("aB-%", 4);
  assert_true(pq_pred_ilike_prefix(&a, &pat, &p));
  assert_int_equal(p.kind, PQ_PRED_ANY);
  assert_true(p.loose && pq_pred_is_loose(&p));
  assert_int_equal(p.nany, 4);
  int seen = 0;
  for (int i = 0; i < p.nany; i++) {
    const pq_pred *q = &p.any[i];
    assert_int_equal(q->kind, PQ_PRED_RANGE);
    assert_true(q->has_lo && q->lo_incl && q->has_hi && !q->hi_incl);
    assert_int_equal(q->lo.len, 3);
    assert_memory_equal(q->lo.u.s + 2, "-", 1);
    assert_memory_equal(q->hi.u.s + 2, ".", 1);
    seen |= 1 << (((q->lo.u.s[0] == 'A') << 1) | (q->lo.u.s[1] == 'B'));
  }
  assert_int_equal(seen, 15);                         /* ab, aB, Ab, AB */
  pat = orb_text("xIy%", 4);                          /* cut before the i: U+0130 lowers to it */
  assert_true(pq_pred_ilike_prefix(&a, &pat, &p));
  assert_int_equal(p.kind, PQ_PRED_ANY);
  assert_int_equal(p.nany, 2);
  assert_int_equal(p.any[0].lo.len, 1);
  pat = orb_text("Kelvin%", 7);                       /* U+212A lowers to k: nothing left */
  assert_false(pq_pred_ilike_prefix(&a, &pat, &p));
  pat = orb_text("12-%", 4);                          /* no letter: one range */
  assert_true(pq_pred_ilike_prefix(&a, &pat, &p));
  assert_int_equal(p.kind, PQ_PRED_RANGE);
  assert_true(p.loose);
  pat = orb_text("abcdefgh%", 9);                     /* at most 2^4 variants: cut before the fifth letter */
  assert_true(pq_pred_ilike_prefix(&a, &pat, &p));
  assert_int_equal(p.nany, 16);
  assert_int_equal(p.any[0].lo.len, 4);
  pat = orb_text("a_%", 3);
  assert_false(pq_pred_ilike_prefix(&a, &pat, &p));
  orb_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_soundness_on_fixtures),
    cmocka_unit_test(test_any),
    cmocka_unit_test(test_or_across_columns),
    cmocka_unit_test(test_like_prefix),
    cmocka_unit_test(test_unsigned_and_signed),
    cmocka_unit_test(test_timestamp_units),
    cmocka_unit_test(test_decimals),
    cmocka_unit_test(test_floats_and_nan),
    cmocka_unit_test(test_byte_arrays_and_orders),
    cmocka_unit_test(test_nulls),
    cmocka_unit_test(test_page_index_narrows),
    cmocka_unit_test(test_bloom_and_dictionary),
    cmocka_unit_test(test_page_index_needs_column_orders),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
