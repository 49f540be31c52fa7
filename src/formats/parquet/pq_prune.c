/* formats/parquet/pq_prune.c — which row groups and pages of a file can
** hold rows matching a conjunction of per-column constraints (see
** parquet.h), from row-group statistics, the page index, bloom filters and
** dictionary pages.
**
** Everything is decided in the column's physical order, never the SQL
** one: each constraint's SQL values are first turned into bounds on the
** stored values ("keys": a 128-bit integer for integers, decimals, dates,
** times and timestamps in the column's own unit and signedness; a double
** for FLOAT/DOUBLE; unsigned bytes for strings, binaries, UUIDs).  A bound
** that falls between two stored values is rounded towards the inside of
** the range (ts >= 1.5 ms on a millisecond column is ts >= 2 ms), which is
** exact, never lossy.  Whatever cannot be converted is dropped, which only
** keeps more rows.
**
** Statistics are trusted only in an order the file defines: min_value /
** max_value under ColumnOrder TYPE_DEFINED_ORDER, the deprecated min / max
** only where their signed order is the type's order (signed integers,
** floats, booleans: never byte arrays, unsigned integers or INT96), and
** NaN in a float statistic means "unknown".  SQL orders NaN above every
** number (PostgreSQL), but writers leave NaN out of min/max, so a range
** with a lower bound and no upper bound can match NaNs no statistic shows:
** such a range prunes nothing on a float column. */
#include "formats/parquet/pq_int.h"
#include "types/value.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum kkind { K_NONE, K_INT, K_FLOAT, K_BYTES } kkind;

typedef struct key {
  __int128 i;
  double f;
  const uint8_t *p;
  size_t n;
} key;

/* How a leaf column's stored values order and relate to its SQL values. */
typedef struct coldesc {
  const pq_schema_elem *s;
  orb_type t;
  kkind kind;
  bool uns;                      /* INT32/INT64 holding unsigned integers */
  bool dec_bytes;                /* decimal as big-endian two's complement bytes */
  int scale;                     /* decimal scale (the SQL value is stored / 10^scale) */
  int unit_conv;                 /* 0: SQL = stored; 1: SQL = stored * 1000 (ms); 2: SQL = floor(stored / 1000) (ns) */
  bool new_stats_ok;             /* min_value/max_value and the column index are in a known order */
  bool old_stats_ok;             /* the deprecated min/max are in the type's order */
  bool usable;                   /* not under a repeated field */
} coldesc;

/* A constraint in key space.  K_INT ranges are inclusive after rounding. */
typedef struct bound {
  bool has, incl;
  key k;
} bound;

typedef struct cpred {
  const pq_pred *p;
  const coldesc *cd;
  bool usable;                   /* false: prunes nothing */
  bool empty;                    /* no stored value can satisfy it */
  bool nan_may_match;            /* float range with only a lower bound */
  bound lo, hi;                  /* RANGE */
  bound *ilo, *ihi;              /* IN: an inclusive range per element (K_INT), or the point */
  int nin;
} cpred;

/* --- keys ------------------------------------------------------------------------------ */

static int cmp_key(kkind k, const key *a, const key *b) {
  switch (k) {
  case K_INT: return a->i < b->i ? -1 : a->i > b->i;
  case K_FLOAT: return a->f < b->f ? -1 : a->f > b->f;
  case K_BYTES: {
    size_t n = a->n < b->n ? a->n : b->n;
    int c = n ? memcmp(a->p, b->p, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
  }
  default: return 0;
  }
}

static __int128 big_endian(const uint8_t *p, size_t n) {
  __int128 v = n && (p[0] & 0x80) ? -1 : 0;
  for (size_t i = 0; i < n; i++) v = (__int128)((unsigned __int128)v << 8) | p[i];
  return v;
}

/* A stored value's PLAIN bytes (statistics, page index, dictionary) as a
** key; false when its size is wrong for the type or it is NaN. */
static bool key_of(const coldesc *cd, const uint8_t *p, size_t n, key *k) {
  memset(k, 0, sizeof *k);
  if (!p && n) return false;
  int type = cd->s->type;
  if (cd->kind == K_INT) {
    if (cd->dec_bytes) {
      if (n == 0 || n > 16) return false;
      k->i = big_endian(p, n);
      return true;
    }
    if (type == PQ_BOOLEAN && n >= 1) k->i = p[0] != 0;
    else if (type == PQ_INT32 && n == 4) {
      uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
      k->i = cd->uns ? (__int128)u : (__int128)(int32_t)u;
    } else if (type == PQ_INT64 && n == 8) {
      uint64_t u = 0;
      for (int b = 7; b >= 0; b--) u = u << 8 | p[b];
      k->i = cd->uns ? (__int128)u : (__int128)(int64_t)u;
    } else return false;
    return true;
  }
  if (cd->kind == K_FLOAT) {
    if (type == PQ_FLOAT && n == 4) {
      float f;
      memcpy(&f, p, 4);
      k->f = f;
    } else if (type == PQ_DOUBLE && n == 8) memcpy(&k->f, p, 8);
    else return false;
    return !isnan(k->f);
  }
  if (cd->kind == K_BYTES) {
    k->p = p;
    k->n = n;
    return true;
  }
  return false;
}

/* --- columns ---------------------------------------------------------------------------- */

/* Schema element of leaf `col` and whether a repeated field encloses it. */
static const pq_schema_elem *leaf_elem(const pq_file_meta *m, int col, bool *repeated) {
  /* depth-first: a stack of the children still to come at each level */
  int left[64], rep[64], depth = 0, leaf = 0;
  *repeated = false;
  if (m->nschema < 1) return NULL;
  left[0] = m->schema[0].num_children > 0 ? m->schema[0].num_children : 0;
  rep[0] = 0;
  for (int i = 1; i < m->nschema; i++) {
    while (depth > 0 && left[depth] == 0) depth--;
    if (left[depth] == 0) return NULL;
    left[depth]--;
    const pq_schema_elem *s = &m->schema[i];
    int r = rep[depth] || s->repetition == PQ_REPEATED;
    if (s->num_children > 0) {
      if (depth + 1 >= 64) return NULL;
      depth++;
      left[depth] = s->num_children;
      rep[depth] = r;
    } else if (leaf++ == col) {
      *repeated = r;
      return s;
    }
  }
  return NULL;
}

static void describe(const pq_file_meta *m, int col, coldesc *cd) {
  memset(cd, 0, sizeof *cd);
  bool repeated;
  const pq_schema_elem *s = leaf_elem(m, col, &repeated);
  orb_err e;
  if (!s || repeated || pq_sql_type(s, &cd->t, &e) != ORB_OK) return;
  cd->s = s;
  cd->usable = true;
  int order = col < m->ncolumn_orders ? m->column_orders[col] : 0;
  cd->new_stats_ok = order == 1;
  bool decimal = s->logical.kind == PQ_LT_DECIMAL || s->converted_type == 5;
  bool uns = (s->logical.kind == PQ_LT_INTEGER && !s->logical.is_signed) ||
             (s->converted_type >= 11 && s->converted_type <= 14);
  switch (s->type) {
  case PQ_BOOLEAN:
  case PQ_INT32:
  case PQ_INT64:
    cd->kind = K_INT;
    cd->uns = uns && !decimal;
    cd->scale = decimal ? cd->t.scale : 0;
    if (cd->t.id == ORB_T_TIME || cd->t.id == ORB_T_TIMESTAMP || cd->t.id == ORB_T_TIMESTAMPTZ) {
      int unit = s->logical.kind == PQ_LT_TIMESTAMP || s->logical.kind == PQ_LT_TIME ? s->logical.unit
                 : s->converted_type == 7 || s->converted_type == 9                     ? PQ_UNIT_MILLIS
                                                                                          : PQ_UNIT_MICROS;
      cd->unit_conv = unit == PQ_UNIT_MILLIS ? 1 : unit == PQ_UNIT_NANOS ? 2 : 0;
    }
    cd->old_stats_ok = !cd->uns;
    break;
  case PQ_FLOAT:
  case PQ_DOUBLE:
    cd->kind = K_FLOAT;
    cd->old_stats_ok = true;
    break;
  case PQ_BYTE_ARRAY:
  case PQ_FIXED_LEN_BYTE_ARRAY:
    if (decimal) {
      cd->kind = K_INT;
      cd->dec_bytes = true;
      cd->scale = cd->t.scale;
    } else if (cd->t.id == ORB_T_TEXT || cd->t.id == ORB_T_BYTEA || cd->t.id == ORB_T_UUID) {
      cd->kind = K_BYTES;
    }
    break;
  default: break;   /* INT96: no defined order */
  }
}

/* --- constraints into key space ----------------------------------------------------------- */

static bool pow10_128(int e, __int128 *out) {
  __int128 v = 1;
  for (int i = 0; i < e; i++)
    if (__builtin_mul_overflow(v, 10, &v)) return false;
  *out = v;
  return true;
}

static __int128 floor_div128(__int128 a, __int128 b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* A SQL bound on a K_INT column as an inclusive bound on stored values.
** lower: the smallest stored value that can satisfy it; upper: the largest. */
static bool int_bound(const coldesc *cd, const orb_value *v, bool lower, bool incl, __int128 *out) {
  orb_type_id ct = (orb_type_id)cd->t.id, vt = (orb_type_id)v->type;
  if (v->isnull) return false;
  bool time_like = ct == ORB_T_DATE || ct == ORB_T_TIME || ct == ORB_T_TIMESTAMP || ct == ORB_T_TIMESTAMPTZ;
  __int128 n;   /* the bound in SQL units, as a whole number of 10^-scale */
  if (time_like) {
    bool ts = ct == ORB_T_TIMESTAMP || ct == ORB_T_TIMESTAMPTZ;
    if (!(vt == ct || (ts && (vt == ORB_T_TIMESTAMP || vt == ORB_T_TIMESTAMPTZ)))) return false;
    n = v->u.i;
    if (!incl) n += lower ? 1 : -1;
  } else if (vt == ORB_T_BOOL && ct == ORB_T_BOOL) {
    n = v->u.b;
    if (!incl) n += lower ? 1 : -1;
  } else if (ct == ORB_T_BOOL || !(orb_type_is_numeric(vt))) {
    return false;
  } else if (orb_type_is_float(vt)) {
    double x = v->u.f;
    for (int i = 0; i < cd->scale; i++) x *= 10;
    if (!isfinite(x) || fabs(x) > 1e36) return false;
    double r = lower ? (incl ? ceil(x) : floor(x) + 1) : (incl ? floor(x) : ceil(x) - 1);
    n = (__int128)r;
  } else {
    __int128 num = vt == ORB_T_DECIMAL ? v->u.dec : (__int128)v->u.i;
    int e = cd->scale - (vt == ORB_T_DECIMAL ? v->scale : 0);
    __int128 p;
    if (e >= 0) {
      if (!pow10_128(e, &p) || __builtin_mul_overflow(num, p, &n)) return false;
      if (!incl && __builtin_add_overflow(n, lower ? 1 : -1, &n)) return false;
    } else {
      if (!pow10_128(-e, &p)) return false;
      __int128 q = floor_div128(num, p);
      bool exact = q * p == num;
      n = lower ? (incl ? (exact ? q : q + 1) : q + 1) : (incl ? q : (exact ? q - 1 : q));
    }
  }
  /* no stored value is this far out (nor can the +-1 above have wrapped):
  ** beyond, a bound says nothing, and the arithmetic below stays in range */
  const __int128 far = (__int128)1000000000000000000 * 1000000000000000000;   /* 10^36 */
  if (n > far || n < -far) return false;
  /* SQL units to stored units */
  if (cd->unit_conv == 1) n = lower ? -floor_div128(-n, 1000) : floor_div128(n, 1000);
  else if (cd->unit_conv == 2) n = lower ? n * 1000 : n * 1000 + 999;
  *out = n;
  return true;
}

static bool float_of(const orb_value *v, double *x) {
  if (v->isnull) return false;
  if (orb_type_is_float((orb_type_id)v->type)) *x = v->u.f;
  else if (orb_type_is_integer((orb_type_id)v->type)) *x = (double)v->u.i;
  else if (v->type == ORB_T_DECIMAL) *x = orb_decimal_to_double(v->u.dec, v->scale);
  else return false;
  return true;
}

static bool bytes_of(const coldesc *cd, const orb_value *v, key *k) {
  if (v->isnull) return false;
  memset(k, 0, sizeof *k);
  if (cd->t.id == ORB_T_UUID) {
    if (v->type != ORB_T_UUID) return false;
    k->p = v->u.uuid;
    k->n = 16;
    return true;
  }
  if (v->type != ORB_T_TEXT && v->type != ORB_T_BYTEA) return false;
  k->p = (const uint8_t *)v->u.s;
  k->n = v->len;
  return true;
}

/* One side of a range, or one IN element (lower and upper of a point). */
static bool side(const coldesc *cd, const orb_value *v, bool lower, bool incl, bound *b) {
  memset(b, 0, sizeof *b);
  b->has = true;
  b->incl = incl;
  switch (cd->kind) {
  case K_INT:
    b->incl = true;
    return int_bound(cd, v, lower, incl, &b->k.i);
  case K_FLOAT: return float_of(v, &b->k.f) && !isnan(b->k.f);
  case K_BYTES: return bytes_of(cd, v, &b->k);
  default: return false;
  }
}

/* Whether no key satisfies lo..hi. */
static bool range_empty(kkind k, const bound *lo, const bound *hi) {
  if (!lo->has || !hi->has) return false;
  int c = cmp_key(k, &lo->k, &hi->k);
  return c > 0 || (c == 0 && !(lo->incl && hi->incl));
}

/* IN element v as the inclusive range of stored keys equal to it, added to
** cp's alternatives; false when it cannot be converted (NaN too). */
static bool add_point(cpred *cp, const orb_value *v) {
  bound lo, hi;
  if (!side(cp->cd, v, true, true, &lo) || !side(cp->cd, v, false, true, &hi)) return false;
  if (range_empty(cp->cd->kind, &lo, &hi)) return true;   /* no stored value equals it */
  cp->ilo[cp->nin] = lo;
  cp->ihi[cp->nin] = hi;
  cp->nin++;
  return true;
}

/* RANGE q added to cp's alternatives (ANY). */
static bool add_range(cpred *cp, const pq_pred *q) {
  bound lo = {0}, hi = {0};
  if (q->has_lo && !side(cp->cd, &q->lo, true, q->lo_incl, &lo)) return false;
  if (q->has_hi && !side(cp->cd, &q->hi, false, q->hi_incl, &hi)) return false;
  cp->nan_may_match |= cp->cd->kind == K_FLOAT && q->has_lo && !q->has_hi;
  if (range_empty(cp->cd->kind, &lo, &hi)) return true;
  cp->ilo[cp->nin] = lo;
  cp->ihi[cp->nin] = hi;
  cp->nin++;
  return true;
}

/* IN and ANY compile to a list of alternative key ranges (ilo/ihi). */
static void compile(const pq_pred *p, const coldesc *cd, orb_arena *a, cpred *cp) {
  memset(cp, 0, sizeof *cp);
  cp->p = p;
  cp->cd = cd;
  if (!cd->usable) return;
  if (p->kind == PQ_PRED_IS_NULL || p->kind == PQ_PRED_NOT_NULL) {
    cp->usable = true;
    return;
  }
  if (cd->kind == K_NONE) return;
  if (p->kind == PQ_PRED_RANGE) {
    if (p->has_lo && !side(cd, &p->lo, true, p->lo_incl, &cp->lo)) return;
    if (p->has_hi && !side(cd, &p->hi, false, p->hi_incl, &cp->hi)) return;
    cp->usable = true;
    cp->nan_may_match = cd->kind == K_FLOAT && p->has_lo && !p->has_hi;
    cp->empty = range_empty(cd->kind, &cp->lo, &cp->hi);
    return;
  }
  int n = 0;
  if (p->kind == PQ_PRED_IN) {
    if (p->nin < 0 || (p->nin > 0 && !p->in)) return;
    n = p->nin;
  } else if (p->kind == PQ_PRED_ANY) {
    if (p->nany <= 0 || !p->any) return;
    for (int i = 0; i < p->nany; i++) n += p->any[i].kind == PQ_PRED_IN ? (p->any[i].nin > 0 ? p->any[i].nin : 0) : 1;
  } else {
    return;
  }
  cp->ilo = orb_arena_alloc(a, sizeof(bound) * (size_t)(n ? n : 1));
  cp->ihi = orb_arena_alloc(a, sizeof(bound) * (size_t)(n ? n : 1));
  if (p->kind == PQ_PRED_IN) {
    for (int i = 0; i < p->nin; i++)   /* x IN (NULL, ...) is never true through the NULL */
      if (!p->in[i].isnull && !add_point(cp, &p->in[i])) return;
  } else {
    for (int i = 0; i < p->nany; i++) {
      const pq_pred *q = &p->any[i];
      if (q->kind == PQ_PRED_RANGE) {
        if (!add_range(cp, q)) return;
      } else if (q->kind == PQ_PRED_IN && (q->nin <= 0 || q->in)) {
        for (int j = 0; j < q->nin; j++)
          if (!q->in[j].isnull && !add_point(cp, &q->in[j])) return;
      } else {
        return;
      }
    }
  }
  cp->usable = true;
  cp->empty = cp->nin == 0 && !cp->nan_may_match;
}

/* --- evaluation ------------------------------------------------------------------------------ */

/* What is known about a chunk or a page. */
typedef struct facts {
  bool all_null, no_null;        /* known to hold only NULLs / no NULL */
  bool has_minmax;
  key min, max;
} facts;

/* Whether [min, max] meets the range lo..hi. */
static bool overlaps(kkind k, const facts *f, const bound *lo, const bound *hi) {
  if (lo->has) {
    int c = cmp_key(k, &f->max, &lo->k);
    if (c < 0 || (c == 0 && !lo->incl)) return false;
  }
  if (hi->has) {
    int c = cmp_key(k, &f->min, &hi->k);
    if (c > 0 || (c == 0 && !hi->incl)) return false;
  }
  return true;
}

/* Constraints on the values (not on NULL-ness). */
static bool valued(const pq_pred *p) { return p->kind == PQ_PRED_RANGE || p->kind == PQ_PRED_IN || p->kind == PQ_PRED_ANY; }

static bool can_match(const cpred *cp, const facts *f) {
  if (!cp->usable) return true;
  switch (cp->p->kind) {
  case PQ_PRED_IS_NULL: return !f->no_null;
  case PQ_PRED_NOT_NULL: return !f->all_null;
  default: break;
  }
  if (cp->empty || f->all_null) return false;
  if (!f->has_minmax || cp->nan_may_match) return true;
  kkind k = cp->cd->kind;
  if (cp->p->kind == PQ_PRED_RANGE) return overlaps(k, f, &cp->lo, &cp->hi);
  for (int i = 0; i < cp->nin; i++)
    if (overlaps(k, f, &cp->ilo[i], &cp->ihi[i])) return true;
  return false;
}

/* Whether one stored value satisfies a RANGE, IN or ANY constraint. */
static bool value_matches(const cpred *cp, const key *v, bool is_nan) {
  if (!cp->usable || !valued(cp->p)) return true;
  if (cp->empty) return false;
  if (is_nan) return cp->nan_may_match;   /* NaN is above every bound, equal to no IN element we kept */
  facts f = {false, false, true, *v, *v};
  if (cp->p->kind == PQ_PRED_RANGE) return overlaps(cp->cd->kind, &f, &cp->lo, &cp->hi);
  for (int i = 0; i < cp->nin; i++)
    if (overlaps(cp->cd->kind, &f, &cp->ilo[i], &cp->ihi[i])) return true;
  return false;
}

/* A chunk's statistics as facts, in an order we can trust. */
static facts chunk_facts(const coldesc *cd, const pq_chunk *c) {
  facts f;
  memset(&f, 0, sizeof f);
  if (!c->has_stats) return f;
  const pq_stats *st = &c->stats;
  if (st->has_null_count) {
    f.no_null = st->null_count == 0;
    f.all_null = c->num_values > 0 && st->null_count >= c->num_values;
  }
  if (cd->new_stats_ok && st->min_value.data && st->max_value.data)
    f.has_minmax = key_of(cd, st->min_value.data, st->min_value.len, &f.min) &&
                   key_of(cd, st->max_value.data, st->max_value.len, &f.max);
  if (!f.has_minmax && cd->old_stats_ok && st->min.data && st->max.data)
    f.has_minmax = key_of(cd, st->min.data, st->min.len, &f.min) && key_of(cd, st->max.data, st->max.len, &f.max);
  return f;
}

/* --- bloom filters ------------------------------------------------------------------------------ */

/* The hashes a stored value equal to IN element i may have: several for
** zeros (0.0 and -0.0 compare equal); 0 when the element cannot be probed
** (a range of stored values, BYTE_ARRAY decimals of free width). */
static int element_hashes(const cpred *cp, int i, uint64_t h[2]) {
  const coldesc *cd = cp->cd;
  int type = cd->s->type;
  const key *k = &cp->ilo[i].k;
  if (cd->kind == K_INT) {
    if (cp->ilo[i].k.i != cp->ihi[i].k.i) return 0;
    if (type == PQ_INT32) h[0] = pq_bloom_hash_i32((int32_t)(uint32_t)(uint64_t)k->i);
    else if (type == PQ_INT64) h[0] = pq_bloom_hash_i64((int64_t)(uint64_t)k->i);
    else if (type == PQ_FIXED_LEN_BYTE_ARRAY && cd->dec_bytes && cd->s->type_length >= 1 && cd->s->type_length <= 16) {
      uint8_t b[16];
      int n = cd->s->type_length;
      for (int j = 0; j < n; j++) b[n - 1 - j] = (uint8_t)(k->i >> (8 * j));
      if (big_endian(b, (size_t)n) != k->i) return -1;   /* does not fit the width: no stored value equals it */
      h[0] = pq_bloom_hash(b, (size_t)n);
    } else return 0;
    return 1;
  }
  if (cd->kind == K_FLOAT) {
    double d = k->f;
    if (type == PQ_FLOAT) {
      float f = (float)d;
      if ((double)f != d) return -1;   /* no float equals it */
      float z = -f;
      h[0] = pq_bloom_hash(&f, 4);
      if (f != 0) return 1;
      h[1] = pq_bloom_hash(&z, 4);
      return 2;
    }
    double z = -d;
    h[0] = pq_bloom_hash(&d, 8);
    if (d != 0) return 1;
    h[1] = pq_bloom_hash(&z, 8);
    return 2;
  }
  if (cd->kind == K_BYTES) {
    if (type == PQ_FIXED_LEN_BYTE_ARRAY && k->n != (size_t)cd->s->type_length) return -1;
    h[0] = pq_bloom_hash(k->p, k->n);
    return 1;
  }
  return 0;
}

/* Whether the bloom filter rules out every element of IN constraint cp:
** 1 yes, 0 no, -1 the constraint cannot be probed. */
static int bloom_rules_out(const cpred *cp, const pq_bloom_filter *bf) {
  for (int i = 0; i < cp->nin; i++) {
    uint64_t h[2];
    int n = element_hashes(cp, i, h);
    if (n == 0) return -1;
    for (int j = 0; j < n; j++)
      if (pq_bloom_check(bf->bitset, bf->nbytes, h[j])) return 0;
  }
  return 1;
}

/* --- dictionaries ----------------------------------------------------------------------------- */

/* Whether every data page of the chunk is dictionary-encoded, so that its
** dictionary holds every value.  encoding_stats says so exactly; without
** them only a list of dictionary and level encodings is conclusive. */
static bool all_dictionary(const pq_chunk *c, int type) {
  if (type == PQ_BOOLEAN) return false;
  if (c->nencoding_stats > 0) {
    bool dict_data = false;
    for (int i = 0; i < c->nencoding_stats; i++) {
      const pq_encoding_stats *es = &c->encoding_stats[i];
      if ((es->page_type == 0 || es->page_type == 3) && es->count > 0) {
        if (es->encoding != 2 && es->encoding != 8) return false;
        dict_data = true;
      }
    }
    return dict_data;
  }
  bool dict = false;
  for (int i = 0; i < c->nencodings; i++) {
    int enc = c->encodings[i];
    if (enc == 2 || enc == 8) dict = true;
    else if (enc != 3 && enc != 4) return false;   /* PLAIN: a fallback page, or (Arrow) the dictionary's own */
  }
  return dict;
}

/* Read the chunk's dictionary page and tell whether some entry satisfies
** every constraint of cps (*any); *found false when the chunk has no
** dictionary page after all.  Entries are tested as they are decoded, so
** nothing but the page is held. */
static orb_status dictionary_matches(const pq_source *src, const coldesc *cd, const pq_chunk *c, const cpred *cps,
                                     int ncp, size_t limit, orb_arena *a, bool *found, bool *any, orb_err *e) {
  *found = false;
  *any = true;
  int64_t start = pq_chunk_start(c);
  size_t want = c->total_compressed_size > 0 && c->total_compressed_size < 65536 ? (size_t)c->total_compressed_size : 65536;
  uint8_t *head = orb_malloc(want);
  size_t got;
  orb_status st = pq_src_read(src, start, want, true, head, &got, e);
  pq_page_header h;
  if (st == ORB_OK) st = pq_page_header_decode(head, got, src->name, &h, e);
  orb_free(head);
  if (st != ORB_OK || h.type != 2) return st;
  if ((uint64_t)h.header_len + (uint64_t)h.compressed_size > (uint64_t)c->total_compressed_size)
    return pq_corrupt(e, src->name, "dictionary page runs past its column chunk");
  if ((size_t)h.compressed_size > limit || (size_t)h.uncompressed_size > limit)
    return pq_corrupt(e, src->name, "dictionary page over the memory limit");
  int type = cd->s->type;
  size_t width = type == PQ_INT32 || type == PQ_FLOAT ? 4 : type == PQ_INT64 || type == PQ_DOUBLE ? 8
               : type == PQ_FIXED_LEN_BYTE_ARRAY    ? (size_t)cd->s->type_length
               : type == PQ_BYTE_ARRAY              ? 4   /* at least its length */
                                                    : 0;
  size_t len = (size_t)h.uncompressed_size, pos = 0;
  if (width == 0 || cd->s->type_length < 0 || (uint64_t)h.num_values * width > len)
    return pq_corrupt(e, src->name, "dictionary page with an impossible number of values");
  uint8_t *raw = orb_malloc((size_t)h.compressed_size + 1);
  uint8_t *page = orb_arena_alloc(a, len + 1);
  st = pq_src_read(src, start + (int64_t)h.header_len, (size_t)h.compressed_size, false, raw, &got, e);
  if (st == ORB_OK) st = pq_decompress(c->codec, raw, (size_t)h.compressed_size, page, len, src->name, e);
  orb_free(raw);
  if (st != ORB_OK) return st;
  *found = true;
  *any = false;
  for (int64_t i = 0; i < h.num_values; i++) {
    size_t k = width;
    if (type == PQ_BYTE_ARRAY) {
      if (len - pos < 4) return pq_corrupt(e, src->name, "dictionary value length past its page");
      k = (size_t)page[pos] | (size_t)page[pos + 1] << 8 | (size_t)page[pos + 2] << 16 | (size_t)page[pos + 3] << 24;
      pos += 4;
    }
    if (k > len - pos) return pq_corrupt(e, src->name, "dictionary values longer than their page");
    key v;
    bool is_nan = false;
    if (!key_of(cd, page + pos, k, &v)) {
      if (cd->kind != K_FLOAT) return pq_corrupt(e, src->name, "dictionary value of the wrong size");
      is_nan = true;
    }
    pos += k;
    bool all = true;
    for (int j = 0; j < ncp && all; j++) all = value_matches(&cps[j], &v, is_nan);
    if (all) {
      *any = true;
      return ORB_OK;
    }
  }
  return ORB_OK;
}

/* --- row ranges --------------------------------------------------------------------------------- */

typedef struct ranges {
  pq_row_range *r;
  int n, cap;
} ranges;

static void push(ranges *rs, orb_arena *a, int64_t first, int64_t count) {
  if (count <= 0) return;
  if (rs->n > 0 && rs->r[rs->n - 1].first + rs->r[rs->n - 1].count == first) {
    rs->r[rs->n - 1].count += count;
    return;
  }
  if (rs->n == rs->cap) {
    int cap = rs->cap ? rs->cap * 2 : 8;
    pq_row_range *r = orb_arena_alloc(a, sizeof *r * (size_t)cap);
    if (rs->n) memcpy(r, rs->r, sizeof *r * (size_t)rs->n);
    rs->r = r;
    rs->cap = cap;
  }
  rs->r[rs->n].first = first;
  rs->r[rs->n].count = count;
  rs->n++;
}

static ranges intersect(const ranges *x, const ranges *y, orb_arena *a) {
  ranges out = {NULL, 0, 0};
  int i = 0, j = 0;
  while (i < x->n && j < y->n) {
    int64_t lo = x->r[i].first > y->r[j].first ? x->r[i].first : y->r[j].first;
    int64_t xe = x->r[i].first + x->r[i].count, ye = y->r[j].first + y->r[j].count;
    int64_t hi = xe < ye ? xe : ye;
    push(&out, a, lo, hi - lo);
    if (xe < ye) i++;
    else j++;
  }
  return out;
}

/* --- the page index of one chunk -------------------------------------------------------------------- */

/* Whether a column index is consistent with itself and the chunk: no
** negative null count, and no more rows in null pages than the chunk's
** statistics count nulls. */
static bool index_trusted(const pq_chunk *c, const pq_offset_index *oi, const pq_column_index *ci, int64_t rows) {
  int64_t null_rows = 0;
  for (int i = 0; i < ci->npages; i++) {
    if (ci->has_null_counts && ci->null_counts[i] < 0) return false;
    int64_t end = i + 1 < oi->npages ? oi->pages[i + 1].first_row_index : rows;
    if (ci->null_pages[i]) null_rows += end - oi->pages[i].first_row_index;
  }
  return !(c->has_stats && c->stats.has_null_count && null_rows > c->stats.null_count);
}

/* The rows of chunk (g, col) that the page index lets through for cps. */
static orb_status page_ranges(const pq_source *src, const pq_file_meta *m, int g, int col, const cpred *cps, int ncp,
                              size_t limit, orb_arena *tmp, orb_arena *a, ranges *out, pq_prune_counts *counts,
                              orb_err *e) {
  pq_offset_index oi;
  pq_column_index ci;
  orb_status st = pq_read_offset_index(src, m, g, col, limit, tmp, &oi, e);
  if (st == ORB_OK) st = pq_read_column_index(src, m, g, col, limit, tmp, &ci, e);
  if (st != ORB_OK) return st;
  if (ci.npages != oi.npages) {
    char what[200];
    snprintf(what, sizeof what, "column chunk %d of row group %d: the column index has %d pages, the offset index %d", col,
             g, ci.npages, oi.npages);
    return pq_corrupt(e, src->name, what);
  }
  int64_t rows = m->row_groups[g].num_rows;
  const coldesc *cd = cps[0].cd;
  out->n = 0;
  if (!index_trusted(&m->row_groups[g].columns[col], &oi, &ci, rows)) {
    push(out, a, 0, rows);
    return ORB_OK;
  }
  for (int i = 0; i < oi.npages; i++) {
    int64_t first = oi.pages[i].first_row_index;
    int64_t end = i + 1 < oi.npages ? oi.pages[i + 1].first_row_index : rows;
    facts f;
    memset(&f, 0, sizeof f);
    f.all_null = ci.null_pages[i];
    if (ci.has_null_counts) {
      f.no_null = ci.null_counts[i] == 0;
      if (ci.null_counts[i] >= end - first && end > first) f.all_null = true;
    }
    if (!f.all_null && cd->new_stats_ok)
      f.has_minmax = key_of(cd, ci.min_values[i].data, ci.min_values[i].len, &f.min) &&
                     key_of(cd, ci.max_values[i].data, ci.max_values[i].len, &f.max);
    bool keep = true;
    for (int k = 0; k < ncp && keep; k++) keep = can_match(&cps[k], &f);
    counts->pages++;
    if (keep) push(out, a, first, end - first);
    else counts->pages_skipped++;
  }
  return ORB_OK;
}

/* --- the whole file ------------------------------------------------------------------------------- */

typedef enum verdict { KEEP, BY_STATS, BY_BLOOM, BY_DICT, BY_PAGES } verdict;

/* Statistics, then bloom filters, then dictionaries, for chunk (g, col). */
static orb_status chunk_verdict(const pq_source *src, const pq_file_meta *m, int g, int col, const cpred *cps, int ncp,
                                unsigned flags, size_t limit, orb_arena *tmp, verdict *v, orb_err *e) {
  *v = KEEP;
  const pq_chunk *c = &m->row_groups[g].columns[col];
  const coldesc *cd = cps[0].cd;
  if (!c->has_meta || c->encrypted) return ORB_OK;
  if (flags & PQ_PRUNE_STATS) {
    facts f = chunk_facts(cd, c);
    for (int k = 0; k < ncp; k++)
      if (!can_match(&cps[k], &f)) {
        *v = BY_STATS;
        return ORB_OK;
      }
  }
  if ((flags & PQ_PRUNE_BLOOM) && c->has_bloom_filter) {
    pq_bloom_filter bf;
    bool have = false;
    for (int k = 0; k < ncp; k++) {
      if (!cps[k].usable || cps[k].p->kind != PQ_PRED_IN || cps[k].empty) continue;
      if (!have) {
        orb_status st = pq_read_bloom_filter(src, m, g, col, limit, tmp, &bf, e);
        if (st != ORB_OK) return st;
        have = true;
      }
      if (bloom_rules_out(&cps[k], &bf) == 1) {
        *v = BY_BLOOM;
        return ORB_OK;
      }
    }
  }
  bool any_valued = false;
  for (int k = 0; k < ncp; k++) any_valued |= cps[k].usable && valued(cps[k].p);
  if ((flags & PQ_PRUNE_DICT) && any_valued && cd->kind != K_NONE && all_dictionary(c, cd->s->type)) {
    bool found, any;
    orb_status st = dictionary_matches(src, cd, c, cps, ncp, limit, tmp, &found, &any, e);
    if (st != ORB_OK) return st;
    if (found && !any) *v = BY_DICT;
  }
  return ORB_OK;
}

/* Whether no row of row group g can satisfy p, an AND or OR of
** constraints or one constraint of one, by the chunks' statistics: an OR
** when every branch is ruled out, an AND when one of its operands is. */
static bool stats_rule_out(const pq_file_meta *m, int g, coldesc *cds, bool *described, int ncols, const pq_pred *p,
                           orb_arena *a) {
  if (p->kind == PQ_PRED_OR) {
    for (int i = 0; i < p->nany; i++)
      if (!stats_rule_out(m, g, cds, described, ncols, &p->any[i], a)) return false;
    return p->nany > 0;
  }
  if (p->kind == PQ_PRED_AND) {
    for (int i = 0; i < p->nany; i++)
      if (stats_rule_out(m, g, cds, described, ncols, &p->any[i], a)) return true;
    return false;
  }
  if (p->col < 0 || p->col >= ncols) return false;
  const pq_chunk *c = &m->row_groups[g].columns[p->col];
  if (!c->has_meta || c->encrypted) return false;
  if (!described[p->col]) describe(m, p->col, &cds[p->col]), described[p->col] = true;
  cpred cp;
  compile(p, &cds[p->col], a, &cp);
  facts f = chunk_facts(&cds[p->col], c);
  return !can_match(&cp, &f);
}

orb_status pq_prune(const pq_source *src, const pq_file_meta *m, const pq_pred *preds, int npreds, unsigned flags,
                    size_t limit, pq_prune_result *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  orb_arena_init(&out->arena, 0);
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  out->ngroups = m->nrow_groups;
  out->groups = orb_arena_zalloc(&out->arena, sizeof(pq_group_plan) * (size_t)(m->nrow_groups ? m->nrow_groups : 1));
  int ncols = m->nrow_groups > 0 ? m->row_groups[0].ncolumns : 0;
  /* constraints grouped by column, in key space */
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  coldesc *cds = orb_arena_zalloc(&out->arena, sizeof(coldesc) * (size_t)(ncols ? ncols : 1));
  bool *described = orb_arena_zalloc(&out->arena, (size_t)(ncols ? ncols : 1));
  cpred *cps = orb_arena_zalloc(&out->arena, sizeof(cpred) * (size_t)(npreds ? npreds : 1));
  int *order = orb_arena_alloc(&out->arena, sizeof(int) * (size_t)(npreds ? npreds : 1));
  int ncp = 0;
  for (int col = 0; col < ncols; col++)
    for (int i = 0; i < npreds; i++) {
      if (preds[i].col != col) continue;
      if (!described[col]) describe(m, col, &cds[col]), described[col] = true;
      compile(&preds[i], &cds[col], &out->arena, &cps[ncp]);
      order[ncp++] = col;
    }
  orb_status st = ORB_OK;
  for (int g = 0; g < m->nrow_groups && st == ORB_OK; g++) {
    const pq_row_group *rg = &m->row_groups[g];
    pq_group_plan *plan = &out->groups[g];
    out->counts.groups++;
    out->counts.rows += rg->num_rows;
    verdict v = rg->num_rows == 0 ? BY_STATS : KEEP;
    if (rg->ncolumns != ncols) v = KEEP;   /* malformed: the chunks do not line up; prune nothing */
    for (int k = 0; k < ncp && v == KEEP && st == ORB_OK && rg->ncolumns == ncols; ) {
      int col = order[k], j = k;
      while (j < ncp && order[j] == col) j++;
      st = chunk_verdict(src, m, g, col, &cps[k], j - k, flags, limit, &tmp, &v, e);
      k = j;
    }
    /* ORs across columns (and the ANDs in them), by statistics */
    for (int i = 0; i < npreds && v == KEEP && st == ORB_OK && rg->ncolumns == ncols && (flags & PQ_PRUNE_STATS); i++)
      if ((preds[i].kind == PQ_PRED_OR || preds[i].kind == PQ_PRED_AND) &&
          stats_rule_out(m, g, cds, described, ncols, &preds[i], &tmp))
        v = BY_STATS;
    ranges rows = {NULL, 0, 0};
    push(&rows, &out->arena, 0, rg->num_rows);
    if (v == KEEP && st == ORB_OK && (flags & PQ_PRUNE_PAGES) && rg->ncolumns == ncols) {
      for (int k = 0; k < ncp && st == ORB_OK && rows.n > 0; ) {
        int col = order[k], j = k;
        while (j < ncp && order[j] == col) j++;
        const pq_chunk *c = &rg->columns[col];
        bool any = false;
        for (int q = k; q < j; q++) any |= cps[q].usable;
        if (any && cds[col].usable && c->has_meta && !c->encrypted && c->has_offset_index && c->has_column_index) {
          ranges pr = {NULL, 0, 0};
          st = page_ranges(src, m, g, col, &cps[k], j - k, limit, &tmp, &out->arena, &pr, &out->counts, e);
          if (st == ORB_OK) rows = intersect(&rows, &pr, &out->arena);
        }
        k = j;
      }
    }
    orb_arena_reset(&tmp);
    if (st != ORB_OK) break;
    int64_t kept = 0;
    for (int i = 0; i < rows.n; i++) kept += rows.r[i].count;
    if (v == KEEP && kept == 0 && rg->num_rows > 0) v = BY_PAGES;
    switch (v) {
    case KEEP:
      plan->keep = true;
      plan->ranges = rows.r;
      plan->nranges = rows.n;
      out->counts.groups_kept++;
      out->counts.rows_skipped += rg->num_rows - kept;
      break;
    case BY_STATS: out->counts.groups_by_stats++; break;
    case BY_BLOOM: out->counts.groups_by_bloom++; break;
    case BY_DICT: out->counts.groups_by_dict++; break;
    case BY_PAGES: out->counts.groups_by_pages++; break;
    }
    if (!plan->keep) out->counts.rows_skipped += rg->num_rows;
  }
  orb_arena_free(&tmp);
  if (st != ORB_OK) {
    pq_prune_free(out);
    return st;
  }
  return ORB_OK;
}

void pq_prune_free(pq_prune_result *r) {
  if (!r) return;
  orb_arena_free(&r->arena);
  memset(r, 0, sizeof *r);
}

bool pq_pred_is_loose(const pq_pred *p) {
  if (p->loose) return true;
  if (p->kind == PQ_PRED_AND || p->kind == PQ_PRED_OR || p->kind == PQ_PRED_ANY)
    for (int i = 0; i < p->nany; i++)
      if (pq_pred_is_loose(&p->any[i])) return true;
  return false;
}

bool pq_pred_ilike_prefix(orb_arena *a, const orb_value *pattern, pq_pred *out) {
  pq_pred r;
  memset(&r, 0, sizeof r);
  if (!pq_pred_like_prefix(a, pattern, &r)) return false;
  const unsigned char *p = (const unsigned char *)r.lo.u.s;
  size_t k = 0;
  int letters = 0;
  for (; k < r.lo.len && p[k] < 0x80 && p[k] != 'i' && p[k] != 'I' && p[k] != 'k' && p[k] != 'K'; k++) {
    bool letter = (p[k] | 0x20) >= 'a' && (p[k] | 0x20) <= 'z';
    if (letter && letters == PQ_ILIKE_MAX_LETTERS) break;   /* 2^letters ranges at most */
    letters += letter;
  }
  if (k == 0) return false;
  int nvar = 1 << letters;
  pq_pred *alts = orb_arena_zalloc(a, sizeof(pq_pred) * (size_t)nvar);
  for (int v = 0; v < nvar; v++) {
    char *lo = orb_arena_alloc(a, k), *hi = orb_arena_alloc(a, k);
    for (size_t i = 0, j = 0; i < k; i++) {
      unsigned char c = p[i];
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') c = (v >> j++) & 1 ? (unsigned char)(c & ~0x20) : (c | 0x20);
      lo[i] = hi[i] = (char)c;
    }
    hi[k - 1] = (char)(hi[k - 1] + 1);   /* ASCII: never 0xff */
    pq_pred *q = &alts[v];
    q->kind = PQ_PRED_RANGE;
    q->has_lo = q->lo_incl = q->has_hi = true;
    q->lo = orb_text(lo, k), q->hi = orb_text(hi, k);
    q->loose = true;
  }
  memset(out, 0, sizeof *out);
  if (nvar == 1) *out = alts[0];
  else out->kind = PQ_PRED_ANY, out->any = alts, out->nany = nvar;
  out->loose = true;
  return true;
}

bool pq_pred_like_prefix(orb_arena *a, const orb_value *pattern, pq_pred *out) {
  if (pattern->isnull || pattern->type != ORB_T_TEXT) return false;
  const char *p = pattern->u.s;
  size_t n = pattern->len, k = 0, i = 0;
  char *lo = orb_arena_alloc(a, n + 1);
  for (; i < n && p[i] != '%'; i++) {
    if (p[i] == '_') return false;
    if (p[i] == '\\' && ++i == n) return false;   /* a pattern may not end in its escape */
    lo[k++] = p[i];
  }
  if (k == 0 || i == n) return false;   /* no prefix, or no '%': not a prefix match */
  for (; i < n; i++)
    if (p[i] != '%') return false;      /* more after the '%' */
  char *hi = orb_arena_memdup(a, lo, k);
  size_t hk = k;
  while (hk > 0 && (unsigned char)hi[hk - 1] == 0xff) hk--;
  out->kind = PQ_PRED_RANGE;
  out->has_lo = out->lo_incl = true;
  out->lo = orb_text(lo, k);
  if (hk > 0) {
    hi[hk - 1] = (char)((unsigned char)hi[hk - 1] + 1);
    out->has_hi = true;
    out->hi_incl = false;
    out->hi = orb_text(hi, hk);
  }
  return true;
}
