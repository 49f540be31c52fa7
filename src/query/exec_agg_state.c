/* query/exec_agg_state.c — one aggregate's running state (agg_state.h).
** Result types follow PostgreSQL: sum(int2/int4) -> bigint, sum(int8) ->
** numeric, sum(numeric) -> numeric, sum(float) -> float, avg(integer or
** numeric) -> numeric with PostgreSQL's division scale, avg(float) ->
** double precision. */
#include "query/agg_state.h"
#include "types/json.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* true if v was already seen by this DISTINCT aggregate (else remembers it) */
static bool distinct_seen(orb_arena *a, oql_agg_state *s, const orb_value *v) {
  if (!s->dset) {
    s->dset = orb_malloc(sizeof(orb_hmap));
    orb_hmap_init(s->dset, 0);
  }
  uint64_t h = orb_value_hash(v);
  if (!h) h = 1;
  orb_hmap_iter it;
  for (orb_value *x = orb_hmap_find(s->dset, h, &it); x; x = orb_hmap_next(&it))
    if (orb_value_cmp(x, v) == 0) return true;
  orb_value *c = orb_arena_alloc(a, sizeof(orb_value));
  *c = orb_value_copy(v, a);
  orb_hmap_put(s->dset, h, c);
  return false;
}

orb_status oql_agg_overflow(const oql_agg_spec *sp, orb_err *e) {
  if (sp->type.id == ORB_T_INT64)
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", sp->arg ? sp->arg->pos : 0, "bigint out of range");
  return orb_err_setx(e, ORB_ERR_RANGE, "22003", sp->arg ? sp->arg->pos : 0, "numeric field overflow");
}

/* Scale at which a SUM/AVG of decimals accumulates. */
static int sum_scale(const oql_agg_spec *sp) {
  return sp->arg && sp->arg->type.id == ORB_T_DECIMAL ? sp->arg->type.scale : 0;
}

/* Append bytes to a string_agg state. */
static void sappend(orb_arena *a, oql_agg_state *s, const char *p, size_t n) {
  if (s->slen + n > s->scap) {
    size_t cap = s->scap ? s->scap * 2 : 64;
    while (cap < s->slen + n) cap *= 2;
    char *nb = orb_arena_alloc(a, cap);
    if (s->slen) memcpy(nb, s->sbuf, s->slen);
    s->sbuf = nb;
    s->scap = cap;
  }
  if (n) memcpy(s->sbuf + s->slen, p, n);
  s->slen += n;
}

/* PostgreSQL's order for a DISTINCT aggregate's input: ascending, NULLs last. */
static int distinct_order(const void *x, const void *y) {
  const orb_value *a = x, *b = y;
  if (a->isnull || b->isnull) return (int)a->isnull - (int)b->isnull;
  return orb_value_cmp(a, b);
}

/* array_agg: v (a copy; NULLs too) appended to the array so far. */
static void array_add(orb_arena *a, oql_agg_state *s, const oql_agg_spec *sp, const orb_value *v) {
  orb_type_id elem = (orb_type_id)sp->type.elem;
  if (sp->distinct && (v->isnull ? s->null_seen : distinct_seen(a, s, v))) return;
  if (v->isnull) s->null_seen = true;
  if (!s->arr) {
    orb_value made = orb_array_make(a, elem, NULL, 0);
    s->arr = (orb_array *)made.u.arr;
  }
  if (s->arr->n == s->acap) {
    size_t cap = s->acap ? s->acap * 2 : 8;
    orb_value *items = orb_arena_alloc(a, sizeof(orb_value) * cap);
    if (s->arr->n) memcpy(items, s->arr->items, sizeof(orb_value) * s->arr->n);
    s->arr->items = items;
    s->acap = cap;
  }
  ((orb_value *)s->arr->items)[s->arr->n++] = v->isnull ? orb_null(elem) : orb_value_copy(v, a);
  s->has = true;
  s->count++;
}

/* json(b)_agg, json(b)_object_agg: the element or the pair appended to the text so far. */
static orb_status json_add(orb_arena *a, oql_agg_state *s, const oql_agg_spec *sp, const orb_value *v,
                           const orb_value *val, orb_err *e) {
  bool object = sp->fn == OQL_AGG_JSON_OBJECT_AGG;
  if (object && v->isnull) return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "field name must not be null");
  if (sp->distinct && !v->isnull && distinct_seen(a, s, v)) return ORB_OK;
  orb_buf b = ORB_BUF_INIT;
  if (s->has) orb_buf_puts(&b, ", ");
  if (object) {
    orb_buf k = ORB_BUF_INIT;
    orb_value_to_text(v, &k);
    orb_json_escape(k.data ? k.data : "", k.len, &b);
    orb_buf_free(&k);
    orb_buf_puts(&b, " : ");
    orb_json_append_value(val, &b);
  } else {
    orb_json_append_value(v, &b);
  }
  sappend(a, s, b.data, b.len);
  orb_buf_free(&b);
  s->has = true;
  s->count++;
  return ORB_OK;
}

orb_status oql_agg_state_add(orb_arena *a, oql_agg_state *s, const oql_agg_spec *sp, const orb_value *v,
                             const orb_value *delim, orb_err *e) {
  if (sp->fn == OQL_AGG_COUNT_STAR) {
    s->count++;
    return ORB_OK;
  }
  if (sp->fn == OQL_AGG_ARRAY_AGG) {
    array_add(a, s, sp, v);
    return ORB_OK;
  }
  if (sp->fn == OQL_AGG_JSON_AGG || sp->fn == OQL_AGG_JSON_OBJECT_AGG) return json_add(a, s, sp, v, delim, e);
  if (v->isnull) return ORB_OK;
  if (sp->distinct && distinct_seen(a, s, v)) return ORB_OK;
  s->count++;
  switch (sp->fn) {
  case OQL_AGG_COUNT:
  case OQL_AGG_COUNT_STAR:
  case OQL_AGG_ARRAY_AGG:   /* taken above */
  case OQL_AGG_JSON_AGG:
  case OQL_AGG_JSON_OBJECT_AGG:
  case OQL_AGG_GROUPING:    /* takes no rows: its value is its grouping set's (exec_agg.c) */
    break;
  case OQL_AGG_SUM:
  case OQL_AGG_AVG:
    if (orb_type_is_integer((orb_type_id)v->type)) {
      if (__builtin_add_overflow(s->isum, (__int128)v->u.i, &s->isum)) return oql_agg_overflow(sp, e);
    } else if (orb_type_is_float((orb_type_id)v->type)) {
      s->fsum += v->u.f;
    } else if (v->type == ORB_T_DECIMAL) {
      __int128 d = v->u.dec;
      int sc = sum_scale(sp);
      if (v->scale != sc) {
        orb_status st = orb_decimal_rescale(d, v->scale, sc, &d, e);
        if (st != ORB_OK) return st;
      }
      if (__builtin_add_overflow(s->isum, d, &s->isum) || !orb_decimal_fits(s->isum, ORB_DECIMAL_MAX_PRECISION))
        return oql_agg_overflow(sp, e);
    } else {
      /* intervals and anything else with an addition operator */
      if (!s->has) {
        s->val = *v;
      } else {
        orb_value r;
        orb_status st = orb_arith(ORB_ARITH_ADD, &s->val, v, sp->type, &r, e);
        if (st != ORB_OK) return st;
        s->val = r;
      }
      s->val = orb_value_copy(&s->val, a);
    }
    break;
  case OQL_AGG_STRING_AGG:
    /* the delimiter of each value but the first goes before it (a NULL delimiter adds nothing) */
    if (s->has && delim && !delim->isnull) sappend(a, s, delim->u.s, delim->len);
    sappend(a, s, v->u.s, v->len);
    break;
  case OQL_AGG_MIN:
  case OQL_AGG_MAX:
    if (s->has) {
      int c = orb_value_cmp(v, &s->val);
      if (sp->fn == OQL_AGG_MIN ? c >= 0 : c <= 0) break;
    }
    /* strings and arrays point into the input row's memory: keep a copy;
    ** other values are whole in the orb_value */
    if (orb_type_is_by_ref((orb_type_id)v->type)) s->val = orb_value_copy(v, a);
    else s->val = *v;
    break;
  }
  s->has = true;
  return ORB_OK;
}

/* PostgreSQL's numeric division scale (select_div_scale) for |num| / |den|,
** both given as unscaled values with their scales; digits are in base 10000. */
static void nbase_weight(__int128 v, int scale, int *weight, int *first) {
  if (v < 0) v = -v;
  if (v == 0) {
    *weight = 0;
    *first = 0;
    return;
  }
  /* align to a multiple of 4 fractional digits so that groups line up with the point */
  int pad = (4 - scale % 4) % 4;
  unsigned __int128 u = (unsigned __int128)v;
  int fracgroups = (scale + pad) / 4;
  /* count base-10000 groups of u * 10^pad without overflowing: work on digits */
  char digits[64];
  int nd = 0;
  while (u) {
    digits[nd++] = (char)(u % 10);
    u /= 10;
  }
  /* total digits after padding */
  int total = nd + pad;
  int ngroups = (total + 3) / 4;
  *weight = ngroups - 1 - fracgroups;
  /* first group: the top (total - (ngroups-1)*4) digits */
  int topn = total - (ngroups - 1) * 4;
  int f = 0;
  for (int i = 0; i < topn; i++) {
    int idx = total - 1 - i - pad;   /* digit index in the unpadded number */
    f = f * 10 + (idx >= 0 && idx < nd ? digits[idx] : 0);
  }
  *first = f;
  /* skip leading zero groups (cannot happen: the top digit is non-zero) */
}

static orb_status avg_decimal(__int128 sum, int scale, int64_t n, orb_value *out, orb_err *e) {
  int w1, f1, w2, f2;
  nbase_weight(sum, scale, &w1, &f1);
  nbase_weight((__int128)n, 0, &w2, &f2);
  int qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  int rscale = 16 - qweight * 4;
  if (rscale < scale) rscale = scale;
  if (rscale < 0) rscale = 0;
  if (rscale > ORB_DECIMAL_MAX_PRECISION) rscale = ORB_DECIMAL_MAX_PRECISION;
  /* quotient = round(sum * 10^(rscale-scale) / n) */
  __int128 num = sum, p = orb_pow10_i128(rscale - scale);
  if (__builtin_mul_overflow(num, p, &num)) return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "numeric field overflow");
  __int128 q = num / n, r = num % n;
  if (r < 0) r = -r;
  if (2 * r >= n) q += num < 0 ? -1 : 1;
  *out = orb_decimal(q, rscale);
  return ORB_OK;
}

orb_status oql_agg_state_result(orb_arena *a, const oql_agg_spec *sp, const oql_agg_state *s, orb_value *out,
                                orb_err *e) {
  switch (sp->fn) {
  case OQL_AGG_JSON_AGG:
  case OQL_AGG_JSON_OBJECT_AGG: {
    if (!s->has) {
      *out = orb_null((orb_type_id)sp->type.id);
      return ORB_OK;
    }
    /* PostgreSQL's spacing: [1, 2] and { "a" : 1, "b" : 2 } */
    bool object = sp->fn == OQL_AGG_JSON_OBJECT_AGG;
    orb_buf b = ORB_BUF_INIT;
    orb_buf_puts(&b, object ? "{ " : "[");
    orb_buf_append(&b, s->sbuf, s->slen);
    orb_buf_puts(&b, object ? " }" : "]");
    orb_status st = ORB_OK;
    if (sp->type.id == ORB_T_JSONB) {
      st = orb_jsonb_from_text(b.data, b.len, a, out, e);
    } else {
      *out = orb_text(orb_arena_memdup(a, b.data, b.len), b.len);
      out->type = ORB_T_JSON;
    }
    orb_buf_free(&b);
    return st;
  }
  case OQL_AGG_COUNT_STAR:
  case OQL_AGG_COUNT:
    *out = orb_int(ORB_T_INT64, s->count);
    return ORB_OK;
  case OQL_AGG_GROUPING:   /* the aggregate operator answers it from the group's set */
    *out = orb_int(ORB_T_INT32, 0);
    return ORB_OK;
  case OQL_AGG_MIN:
  case OQL_AGG_MAX:
    *out = s->has ? s->val : orb_null(sp->type.id);
    return ORB_OK;
  case OQL_AGG_STRING_AGG:
    *out = s->has ? orb_text(s->sbuf ? s->sbuf : "", s->slen) : orb_null(ORB_T_TEXT);
    return ORB_OK;
  case OQL_AGG_ARRAY_AGG:
    if (!s->has) {
      *out = orb_null(ORB_T_ARRAY);
      out->scale = sp->type.elem;   /* a NULL array knows its element type too (orb_array_make) */
      return ORB_OK;
    }
    /* DISTINCT takes its input sorted in PostgreSQL, so the values come out in order */
    if (sp->distinct) qsort((orb_value *)s->arr->items, s->arr->n, sizeof(orb_value), distinct_order);
    *out = orb_null(ORB_T_ARRAY);
    out->isnull = 0;
    out->scale = sp->type.elem;
    out->u.arr = s->arr;
    return ORB_OK;
  case OQL_AGG_SUM:
  case OQL_AGG_AVG:
    break;
  }
  if (!s->has) {
    *out = orb_null(sp->type.id);
    return ORB_OK;
  }
  orb_type_id in = sp->arg->type.id;
  if (sp->fn == OQL_AGG_SUM) {
    if (orb_type_is_float(in)) {
      *out = orb_float(sp->type.id, s->fsum);
    } else if (orb_type_is_integer(in) || in == ORB_T_DECIMAL) {
      if (sp->type.id == ORB_T_INT64) {
        if (s->isum > INT64_MAX || s->isum < INT64_MIN) return oql_agg_overflow(sp, e);
        *out = orb_int(ORB_T_INT64, (int64_t)s->isum);
      } else {
        if (!orb_decimal_fits(s->isum, ORB_DECIMAL_MAX_PRECISION)) return oql_agg_overflow(sp, e);
        *out = orb_decimal(s->isum, sum_scale(sp));
      }
    } else {
      *out = s->val;
    }
    return ORB_OK;
  }
  /* AVG */
  if (orb_type_is_float(in)) {
    *out = orb_float(ORB_T_FLOAT64, s->fsum / (double)s->count);
    return ORB_OK;
  }
  if (orb_type_is_integer(in) || in == ORB_T_DECIMAL) return avg_decimal(s->isum, sum_scale(sp), s->count, out, e);
  /* interval and other types: divide with the arithmetic of the value layer */
  orb_value n = orb_float(ORB_T_FLOAT64, (double)s->count);
  return orb_arith(ORB_ARITH_DIV, &s->val, &n, sp->type, out, e);
}


bool oql_agg_state_removable(const oql_agg_spec *sp) {
  if (sp->distinct) return false;
  if (sp->fn == OQL_AGG_COUNT_STAR || sp->fn == OQL_AGG_COUNT) return true;
  if (sp->fn != OQL_AGG_SUM && sp->fn != OQL_AGG_AVG) return false;
  orb_type_id t = (orb_type_id)sp->arg->type.id;
  return orb_type_is_integer(t) || t == ORB_T_DECIMAL;
}

void oql_agg_state_remove(oql_agg_state *s, const oql_agg_spec *sp, const orb_value *v) {
  if (sp->fn == OQL_AGG_COUNT_STAR) {
    s->count--;
    return;
  }
  if (v->isnull) return;
  s->count--;
  s->has = s->count > 0;
  if (sp->fn == OQL_AGG_COUNT) return;
  /* the value was added before, so the sum without it cannot overflow */
  if (v->type == ORB_T_DECIMAL) {
    __int128 d = v->u.dec;
    int sc = sum_scale(sp);
    orb_err ignored;
    if (v->scale != sc) orb_decimal_rescale(d, v->scale, sc, &d, &ignored);
    s->isum -= d;
  } else {
    s->isum -= (__int128)v->u.i;
  }
}

void oql_agg_state_free(oql_agg_state *s) {
  if (!s->dset) return;
  orb_hmap_free(s->dset);
  orb_free(s->dset);
  s->dset = NULL;
}
