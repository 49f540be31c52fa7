/* storage/cold/ice_prune.c — constraints against manifest summaries,
** partition tuples and column metrics (ice_prune.h). */
#include "storage/cold/ice_prune.h"
#include "storage/cold/ice_read.h"
#include "storage/cold/ice_value.h"
#include "types/value.h"

#include <string.h>

/* Manifest list (spec "Manifest Lists") and data_file metric field ids. */
enum { ML_ADDED_FILES = 504, ML_EXISTING_FILES = 505, ML_PARTITIONS = 507 };
enum { FS_CONTAINS_NULL = 509, FS_CONTAINS_NAN = 518, FS_LOWER = 510, FS_UPPER = 511 };
enum { DF_VALUE_COUNTS = 109, DF_NULL_COUNTS = 110, DF_NAN_COUNTS = 137, DF_LOWER = 125, DF_UPPER = 128 };

/* A constraint prepared for one column. */
typedef struct prep {
  const ice_pred *p;
  const ice_field *col;          /* the top-level column; NULL: unusable */
  orb_type sql;                  /* its SQL type */
  bool is_float;
  /* the constants in the column's own SQL type, for transforms (exact only) */
  bool exact;
  orb_value lo, hi;
  orb_value *in;
  int nin;
  struct prep *alts;             /* ANY: its alternatives, prepared alike; AND, OR: the operands */
  int nalts;
} prep;

struct ice_prune {
  orb_arena *a;
  const ice_meta *m;
  const ice_schema *s;
  prep *v;
  int n;
  orb_arena tmp;                 /* decoded values of one judgement */
  /* where the metric maps are in the data_file schema `layout_of` (the
  ** manifests of a table share a schema: looked up once, not per entry) */
  const avro_schema *layout_of;
  struct map_layout {
    int32_t map_id;
    int field;                   /* the map's field in data_file, -1 when it has none (or not a map) */
    int key, value;              /* key and value fields of its entries */
  } layout[5];
  int nlayout;
};

/* --- values --------------------------------------------------------------- */


/* c exactly as a value of SQL type t, or false: the transforms (bucket
** hashes, truncation) must see the value the column would hold. */
static bool coerce_exact(const orb_value *c, orb_type t, orb_value *out) {
  if (c->isnull) return false;
  if (t.id == ORB_T_INT32 || t.id == ORB_T_INT64 || t.id == ORB_T_INT16) {
    int64_t i;
    if (orb_type_is_integer((orb_type_id)c->type)) i = c->u.i;
    else if (c->type == ORB_T_DECIMAL) {
      __int128 p = orb_pow10_i128(c->scale);
      if (c->u.dec % p != 0) return false;
      __int128 q = c->u.dec / p;
      if (q < INT64_MIN || q > INT64_MAX) return false;
      i = (int64_t)q;
    } else return false;
    if (t.id == ORB_T_INT32 && (i < INT32_MIN || i > INT32_MAX)) return false;
    if (t.id == ORB_T_INT16 && (i < INT16_MIN || i > INT16_MAX)) return false;
    *out = orb_int((orb_type_id)t.id, i);
    return true;
  }
  if (t.id == ORB_T_DECIMAL) {
    __int128 u;
    int sc;
    if (orb_type_is_integer((orb_type_id)c->type)) u = c->u.i, sc = 0;
    else if (c->type == ORB_T_DECIMAL) u = c->u.dec, sc = c->scale;
    else return false;
    while (sc > t.scale) {
      if (u % 10 != 0) return false;
      u /= 10, sc--;
    }
    while (sc < t.scale) {
      if (!orb_decimal_fits(u, ORB_DECIMAL_MAX_PRECISION - 1)) return false;
      u *= 10, sc++;
    }
    if (!orb_decimal_fits(u, t.precision ? t.precision : ORB_DECIMAL_MAX_PRECISION)) return false;
    *out = orb_decimal(u, t.scale);
    return true;
  }
  if (orb_type_is_float((orb_type_id)t.id)) return false;   /* no transform but identity takes floats */
  if (c->type != t.id) return false;
  *out = *c;
  return true;
}

static int cmpv(const orb_value *x, const orb_value *y) { return orb_value_cmp(x, y); }

/* --- projections ---------------------------------------------------------- */

/* A constraint on one partition field (or on the column itself, for
** metrics): what a value must satisfy. */
typedef enum proj_kind { PR_TRUE, PR_NULL, PR_NOT_NULL, PR_RANGE, PR_IN, PR_ANY } proj_kind;

typedef struct proj {
  proj_kind kind;
  bool identity;                 /* the partition value is the column's value */
  bool has_lo, has_hi, lo_incl, hi_incl;
  orb_value lo, hi;
  const orb_value *in;
  int nin;
  struct proj *alts;             /* ANY: one of these (RANGE or IN) */
  int nalts;
} proj;

static bool is_time_tr(ice_transform_kind k) {
  return k == ICE_TR_YEAR || k == ICE_TR_MONTH || k == ICE_TR_DAY || k == ICE_TR_HOUR;
}

/* The constraint as it is on the column. */
static proj column_proj(ice_prune *pr, const prep *pp) {
  proj r;
  memset(&r, 0, sizeof r);
  r.identity = true;
  const ice_pred *p = pp->p;
  switch (p->kind) {
  case ICE_PRED_IS_NULL: r.kind = PR_NULL; break;
  case ICE_PRED_NOT_NULL: r.kind = PR_NOT_NULL; break;
  case ICE_PRED_IN: r.kind = PR_IN, r.in = p->in, r.nin = p->nin; break;
  case ICE_PRED_RANGE:
    r.kind = PR_RANGE;
    r.has_lo = p->has_lo && !p->lo.isnull, r.lo_incl = p->lo_incl, r.lo = p->lo;
    r.has_hi = p->has_hi && !p->hi.isnull, r.hi_incl = p->hi_incl, r.hi = p->hi;
    break;
  case ICE_PRED_ANY:
    r.kind = PR_ANY;
    r.alts = orb_arena_alloc(&pr->tmp, sizeof(proj) * (size_t)(pp->nalts + 1));
    for (int i = 0; i < pp->nalts; i++) r.alts[r.nalts++] = column_proj(pr, &pp->alts[i]);
    break;
  case ICE_PRED_AND:
  case ICE_PRED_OR:   /* judged operand by operand (manifest_may, entry_one) */
    r.kind = PR_TRUE;
    break;
  }
  return r;
}

static proj project(ice_prune *pr, const prep *pp, const ice_partition_field *pf);

/* ANY through a transform: the union of its alternatives' projections,
** nothing when one of them projects to no constraint. */
static proj project_any(ice_prune *pr, const prep *pp, const ice_partition_field *pf) {
  proj r;
  memset(&r, 0, sizeof r);
  r.kind = PR_ANY;
  r.alts = orb_arena_alloc(&pr->tmp, sizeof(proj) * (size_t)(pp->nalts + 1));
  for (int i = 0; i < pp->nalts; i++) {
    proj q = project(pr, &pp->alts[i], pf);
    if (q.kind == PR_TRUE) return q;
    r.alts[r.nalts++] = q;
  }
  return r;
}

/* The spec's inclusive projection of constraint pp through partition field
** pf's transform: a constraint the partition value of every matching row
** satisfies. */
static proj project(ice_prune *pr, const prep *pp, const ice_partition_field *pf) {
  proj r;
  memset(&r, 0, sizeof r);
  r.kind = PR_TRUE;
  const ice_transform *tr = &pf->transform;
  if (tr->kind == ICE_TR_VOID || tr->kind == ICE_TR_UNKNOWN) return r;
  if (tr->kind == ICE_TR_IDENTITY) return column_proj(pr, pp);
  const ice_pred *p = pp->p;
  if (p->kind == ICE_PRED_ANY) return project_any(pr, pp, pf);
  if (p->kind == ICE_PRED_IS_NULL || p->kind == ICE_PRED_NOT_NULL) {   /* transforms keep NULL apart */
    r.kind = p->kind == ICE_PRED_IS_NULL ? PR_NULL : PR_NOT_NULL;
    return r;
  }
  if (!pp->exact) return r;
  const ice_type *src = pp->col->type;
  orb_err e;
  if (p->kind == ICE_PRED_IN) {
    if (tr->kind != ICE_TR_BUCKET && tr->kind != ICE_TR_TRUNCATE && !is_time_tr(tr->kind)) return r;
    orb_value *set = orb_arena_alloc(&pr->tmp, sizeof(orb_value) * (size_t)(2 * pp->nin + 1));
    int n = 0;
    for (int i = 0; i < pp->nin; i++) {
      orb_value t;
      if (ice_transform_apply(tr, src, &pp->in[i], &pr->tmp, &t, &e) != ORB_OK) return r;
      set[n++] = t;
      /* pre-1970 values a writer may have rounded toward zero */
      if (is_time_tr(tr->kind) && t.u.i < 0) {
        t.u.i += 1;
        set[n++] = t;
      }
    }
    r.kind = PR_IN, r.in = set, r.nin = n;
    return r;
  }
  /* RANGE: bucket has no order */
  if (tr->kind == ICE_TR_BUCKET) return r;
  if (tr->kind != ICE_TR_TRUNCATE && !is_time_tr(tr->kind)) return r;
  r.kind = PR_RANGE;
  if (p->has_lo && !pp->lo.isnull) {
    if (ice_transform_apply(tr, src, &pp->lo, &pr->tmp, &r.lo, &e) != ORB_OK) return (proj){.kind = PR_TRUE};
    r.has_lo = r.lo_incl = true;
  }
  if (p->has_hi && !pp->hi.isnull) {
    if (ice_transform_apply(tr, src, &pp->hi, &pr->tmp, &r.hi, &e) != ORB_OK) return (proj){.kind = PR_TRUE};
    r.has_hi = r.hi_incl = true;
    if (is_time_tr(tr->kind) && r.hi.u.i < 0) r.hi.u.i += 1;
  }
  if (!r.has_lo && !r.has_hi) r.kind = PR_TRUE;
  return r;
}

/* Whether non-NULL value v satisfies a RANGE or IN projection; true when v
** and the constants do not compare. */
static bool value_in(const proj *r, const orb_value *v) {
  if (r->kind == PR_ANY) {
    for (int i = 0; i < r->nalts; i++)
      if (value_in(&r->alts[i], v)) return true;
    return false;
  }
  if (r->kind == PR_IN) {
    for (int i = 0; i < r->nin; i++) {
      if (r->in[i].isnull) continue;
      if (!orb_value_comparable(v, &r->in[i]) || cmpv(v, &r->in[i]) == 0) return true;
    }
    return false;
  }
  if (r->has_lo && orb_value_comparable(v, &r->lo)) {
    int c = cmpv(v, &r->lo);
    if (c < 0 || (c == 0 && !r->lo_incl)) return false;
  }
  if (r->has_hi && orb_value_comparable(v, &r->hi)) {
    int c = cmpv(v, &r->hi);
    if (c > 0 || (c == 0 && !r->hi_incl)) return false;
  }
  return true;
}

/* Whether every constant of r compares with values like v (so that a
** "no" from value_in or an overlap test means something). */
static bool all_comparable(const proj *r, const orb_value *v) {
  if (r->kind == PR_ANY) {
    for (int i = 0; i < r->nalts; i++)
      if (!all_comparable(&r->alts[i], v)) return false;
    return true;
  }
  if (r->kind == PR_IN) {
    for (int i = 0; i < r->nin; i++)
      if (!r->in[i].isnull && !orb_value_comparable(v, &r->in[i])) return false;
    return true;
  }
  return (!r->has_lo || orb_value_comparable(v, &r->lo)) && (!r->has_hi || orb_value_comparable(v, &r->hi));
}

/* A value range [lo, hi] (both non-NULL, lo <= hi) against r: may some
** value in it satisfy r; does every value. */
static void range_vs(const proj *r, const orb_value *lo, const orb_value *hi, bool *may, bool *all) {
  *may = true, *all = false;
  if (!all_comparable(r, lo) || !all_comparable(r, hi)) return;
  if (r->kind == PR_ANY) {   /* some value may satisfy one; every value does if one holds for all */
    *may = false;
    for (int i = 0; i < r->nalts; i++) {
      bool m, a;
      range_vs(&r->alts[i], lo, hi, &m, &a);
      *may = *may || m;
      *all = *all || a;
    }
    return;
  }
  if (r->kind == PR_IN) {
    bool any = false;
    for (int i = 0; i < r->nin && !any; i++) {
      const orb_value *c = &r->in[i];
      if (c->isnull) continue;
      any = cmpv(lo, c) <= 0 && cmpv(c, hi) <= 0;
      if (any && cmpv(lo, c) == 0 && cmpv(hi, c) == 0) *all = true;
    }
    *may = any;
    return;
  }
  bool lo_ok = true, hi_ok = true;   /* every value >= r's low end / <= its high end */
  if (r->has_lo) {
    int c = cmpv(hi, &r->lo);
    if (c < 0 || (c == 0 && !r->lo_incl)) *may = false;
    int d = cmpv(lo, &r->lo);
    lo_ok = d > 0 || (d == 0 && r->lo_incl);
  }
  if (r->has_hi) {
    int c = cmpv(lo, &r->hi);
    if (c > 0 || (c == 0 && !r->hi_incl)) *may = false;
    int d = cmpv(hi, &r->hi);
    hi_ok = d < 0 || (d == 0 && r->hi_incl);
  }
  *all = *may && lo_ok && hi_ok;
}

/* --- setup ---------------------------------------------------------------- */

/* pp for constraint p on column col: its constants in the column's own
** SQL type where they convert exactly (pp->exact otherwise false). */
static void prep_init(orb_arena *a, prep *pp, const ice_pred *p, const ice_field *col, orb_type sql) {
  pp->p = p;
  pp->col = col, pp->sql = sql;
  pp->is_float = col->type->kind == ICE_FLOAT || col->type->kind == ICE_DOUBLE;
  pp->exact = true;
  if (p->kind == ICE_PRED_RANGE) {
    if (p->has_lo && !p->lo.isnull) pp->exact = coerce_exact(&p->lo, pp->sql, &pp->lo);
    else pp->lo = orb_null(ORB_T_NULL);
    if (p->has_hi && !p->hi.isnull) pp->exact = pp->exact && coerce_exact(&p->hi, pp->sql, &pp->hi);
    else pp->hi = orb_null(ORB_T_NULL);
  } else if (p->kind == ICE_PRED_IN) {
    pp->in = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(p->nin + 1));
    for (int k = 0; k < p->nin; k++) {
      if (p->in[k].isnull) continue;   /* matches nothing */
      /* a constant no column value can equal (2.5 for an int) matches
      ** nothing either, but leave such sets alone: rare, and safe */
      if (!coerce_exact(&p->in[k], pp->sql, &pp->in[pp->nin++])) pp->exact = false;
    }
  } else if (p->kind == ICE_PRED_ANY) {
    pp->alts = orb_arena_zalloc(a, sizeof(prep) * (size_t)(p->nany + 1));
    for (int k = 0; k < p->nany; k++) {
      prep_init(a, &pp->alts[pp->nalts], &p->any[k], col, sql);
      pp->exact = pp->exact && pp->alts[pp->nalts++].exact;
    }
  }
}

static bool is_tree(const ice_pred *p) { return p->kind == ICE_PRED_AND || p->kind == ICE_PRED_OR; }

/* pp for constraint p: on its column (pp->col NULL when the column is
** unusable), or an AND's or OR's operands each on theirs. */
static void prep_tree(orb_arena *a, const ice_schema *s, prep *pp, const ice_pred *p) {
  pp->p = p;
  if (is_tree(p)) {
    pp->alts = orb_arena_zalloc(a, sizeof(prep) * (size_t)(p->nany + 1));
    for (int k = 0; k < p->nany; k++) prep_tree(a, s, &pp->alts[pp->nalts++], &p->any[k]);
    return;
  }
  const ice_field *col = NULL;
  for (int k = 0; k < s->nfields; k++)
    if (s->fields[k].id == p->field_id) col = &s->fields[k];
  orb_err e;
  orb_type sql;
  if (!col || col->type->kind == ICE_STRUCT || col->type->kind == ICE_LIST || col->type->kind == ICE_MAP ||
      ice_sql_type(col->type, &sql, &e) != ORB_OK)
    return;   /* pp->col NULL: unusable */
  prep_init(a, pp, p, col, sql);
}

ice_prune *ice_prune_new(orb_arena *a, const ice_meta *m, const ice_schema *s, const ice_pred *preds, int npreds) {
  if (npreds <= 0 || !s) return NULL;
  ice_prune *pr = orb_arena_zalloc(a, sizeof *pr);
  pr->a = a, pr->m = m, pr->s = s;
  pr->v = orb_arena_zalloc(a, sizeof(prep) * (size_t)npreds);
  orb_arena_init(&pr->tmp, 0);
  for (int i = 0; i < npreds; i++) prep_tree(a, s, &pr->v[pr->n++], &preds[i]);
  return pr;
}

static void from_pq(orb_arena *a, const pq_pred *p, int32_t field_id, const int32_t *ids, int nids, ice_pred *out) {
  static const ice_pred_kind kinds[] = {[PQ_PRED_RANGE] = ICE_PRED_RANGE, [PQ_PRED_IN] = ICE_PRED_IN,
                                        [PQ_PRED_IS_NULL] = ICE_PRED_IS_NULL, [PQ_PRED_NOT_NULL] = ICE_PRED_NOT_NULL,
                                        [PQ_PRED_ANY] = ICE_PRED_ANY, [PQ_PRED_AND] = ICE_PRED_AND,
                                        [PQ_PRED_OR] = ICE_PRED_OR};
  memset(out, 0, sizeof *out);
  out->field_id = field_id;
  out->kind = kinds[p->kind];
  out->has_lo = p->has_lo, out->has_hi = p->has_hi, out->lo_incl = p->lo_incl, out->hi_incl = p->hi_incl;
  out->lo = p->lo, out->hi = p->hi;
  out->in = p->in, out->nin = p->nin;
  out->loose = p->loose;
  if (p->kind == PQ_PRED_ANY || p->kind == PQ_PRED_AND || p->kind == PQ_PRED_OR) {
    ice_pred *alts = orb_arena_alloc(a, sizeof(ice_pred) * (size_t)(p->nany + 1));
    for (int i = 0; i < p->nany; i++) {
      /* ANY's alternatives are on its column; AND's and OR's operands on their own */
      int c = p->any[i].col;
      int32_t id = p->kind == PQ_PRED_ANY ? field_id : c >= 0 && c < nids ? ids[c] : -1;
      from_pq(a, &p->any[i], id, ids, nids, &alts[i]);
    }
    out->any = alts, out->nany = p->nany;
  }
}

void ice_pred_from_pq(orb_arena *a, const pq_pred *p, const int32_t *field_ids, int nids, ice_pred *out) {
  from_pq(a, p, p->col >= 0 && p->col < nids ? field_ids[p->col] : -1, field_ids, nids, out);
}

void ice_prune_free(ice_prune *pr) {
  if (pr) orb_arena_free(&pr->tmp);
}

/* --- Avro helpers --------------------------------------------------------- */

/* The schema of a field's values through an optional union. */
static const avro_schema *field_type(const avro_schema *rec, int32_t id) {
  int k = avro_field_by_id(rec, id);
  if (k < 0) return NULL;
  const avro_schema *t = rec->fields[k].type;
  if (t->kind == AVRO_UNION)
    for (int i = 0; i < t->nbranches; i++)
      if (t->branches[i]->kind != AVRO_NULL) return t->branches[i];
  return t;
}

static bool get_count(const avro_schema *rec, const avro_value *v, int32_t id, int64_t *out) {
  return avro_value_long(avro_record_get(rec, v, id), out);
}

/* Iceberg's map<int, T> of column metrics is an Avro array of key/value
** records: the value for key `id`, NULL when absent. */
static const struct map_layout *map_layout(ice_prune *pr, const avro_schema *dfs, int32_t map_id) {
  if (pr->layout_of != dfs) pr->layout_of = dfs, pr->nlayout = 0;
  for (int i = 0; i < pr->nlayout; i++)
    if (pr->layout[i].map_id == map_id) return &pr->layout[i];
  struct map_layout *l = &pr->layout[pr->nlayout < 5 ? pr->nlayout++ : 4];
  l->map_id = map_id;
  l->field = -1;
  const avro_schema *t = field_type(dfs, map_id);
  if (!t || t->kind != AVRO_ARRAY || !t->items || t->items->kind != AVRO_RECORD) return l;
  l->key = avro_field_by_name(t->items, "key");
  l->value = avro_field_by_name(t->items, "value");
  if (l->key >= 0 && l->value >= 0) l->field = avro_field_by_id(dfs, map_id);
  return l;
}

void ice_prune_next_manifest(ice_prune *pr) {
  if (pr) pr->layout_of = NULL, pr->nlayout = 0;
}

static const avro_value *metric(ice_prune *pr, const avro_schema *dfs, const avro_value *df, int32_t map_id, int32_t id) {
  const struct map_layout *l = map_layout(pr, dfs, map_id);
  if (l->field < 0 || df->kind != AVRO_RECORD || df->u.c.n <= (size_t)l->field) return NULL;
  const avro_value *arr = &df->u.c.v[l->field];
  if (arr->kind != AVRO_ARRAY) return NULL;
  int kk = l->key, vk = l->value;
  for (size_t i = 0; i < arr->u.c.n; i++) {
    const avro_value *r = &arr->u.c.v[i];
    if (r->kind != AVRO_RECORD || r->u.c.n <= (size_t)kk || r->u.c.n <= (size_t)vk) continue;
    const avro_value *key = &r->u.c.v[kk];
    if (key->kind == AVRO_INT && key->u.i == id) return &r->u.c.v[vk];
  }
  return NULL;
}

static bool metric_count(ice_prune *pr, const avro_schema *dfs, const avro_value *df, int32_t map_id, int32_t id,
                         int64_t *out) {
  const avro_value *v = metric(pr, dfs, df, map_id, id);
  if (!v) return false;
  if (v->kind == AVRO_LONG) *out = v->u.l;
  else if (v->kind == AVRO_INT) *out = v->u.i;
  else return false;
  return *out >= 0;
}

/* Bytes of a bound (bytes, or fixed) decoded as type t. */
static bool bound(ice_prune *pr, const avro_value *v, const ice_type *t, orb_value *out) {
  if (!v || (v->kind != AVRO_BYTES && v->kind != AVRO_FIXED)) return false;
  orb_err e;
  return ice_value_deserialize(t, v->u.s.data, v->u.s.len, &pr->tmp, out, &e) == ORB_OK;
}

/* Java writes partition summaries of strings in UTF-16 order, which
** differs from the UTF-8 byte order used here only for code points from
** U+E000 up: such bounds are not used. */
static bool utf16_safe(const orb_value *v) {
  if (v->type != ORB_T_TEXT) return true;
  for (uint32_t i = 0; i < v->len; i++)
    if ((unsigned char)v->u.s[i] >= 0xee) return false;
  return true;
}

/* --- manifests ------------------------------------------------------------ */

/* Whether a file of the manifest (its partition summaries parts, records
** of fs, for spec) may satisfy constraint pp: an OR when one branch may, an
** AND when every operand may. */
static bool manifest_may(ice_prune *pr, const prep *pp, const ice_partition_spec *spec, const avro_schema *fs,
                         const avro_value *parts) {
  if (is_tree(pp->p)) {
    bool is_or = pp->p->kind == ICE_PRED_OR;
    for (int i = 0; i < pp->nalts; i++)
      if (manifest_may(pr, &pp->alts[i], spec, fs, parts) == is_or) return is_or;
    return !is_or || pp->nalts == 0;
  }
  if (!pp->col) return true;
  bool may = true;
  for (int k = 0; k < spec->nfields && may; k++) {
    const ice_partition_field *pf = &spec->fields[k];
    if (pf->source_id != pp->col->id) continue;
    orb_arena_reset(&pr->tmp);
    proj r = project(pr, pp, pf);
    if (r.kind == PR_TRUE) continue;
    ice_type rt;
    orb_err e;
    if (ice_transform_result_type(&pf->transform, pp->col->type, &rt, &e) != ORB_OK) continue;
    if (rt.kind == ICE_UUID) continue;   /* Java's uuid order is not byte order */
    const avro_value *sum = &parts->u.c.v[k];
    if (sum->kind != AVRO_RECORD) continue;
    const avro_value *cn = avro_record_get(fs, sum, FS_CONTAINS_NULL);
    const avro_value *cnan = avro_record_get(fs, sum, FS_CONTAINS_NAN);
    bool has_null = !cn || cn->kind != AVRO_BOOLEAN || cn->u.b;
    bool no_nan = cnan && cnan->kind == AVRO_BOOLEAN && !cnan->u.b;
    bool fl = rt.kind == ICE_FLOAT || rt.kind == ICE_DOUBLE;
    orb_value lo, hi;
    bool has_lo = bound(pr, avro_record_get(fs, sum, FS_LOWER), &rt, &lo);
    bool has_hi = bound(pr, avro_record_get(fs, sum, FS_UPPER), &rt, &hi);
    bool lo_absent = !avro_record_get(fs, sum, FS_LOWER) || avro_record_get(fs, sum, FS_LOWER)->kind == AVRO_NULL;
    bool hi_absent = !avro_record_get(fs, sum, FS_UPPER) || avro_record_get(fs, sum, FS_UPPER)->kind == AVRO_NULL;
    /* no bounds at all: the field holds only NULLs (and NaNs for floats) */
    bool only_nulls = lo_absent && hi_absent && (!fl || no_nan);
    if (r.kind == PR_NULL) {
      if (cn && cn->kind == AVRO_BOOLEAN && !cn->u.b) may = false;
    } else if (r.kind == PR_NOT_NULL) {
      if (only_nulls && has_null) may = false;
    } else if (only_nulls && has_null) {
      may = false;
    } else if (has_lo && has_hi && utf16_safe(&lo) && utf16_safe(&hi)) {
      bool all;
      if (!fl || lo.u.f == lo.u.f) range_vs(&r, &lo, &hi, &may, &all);
      if (fl && !no_nan) {   /* NaN is outside the bounds (see metrics_vs) */
        orb_value nan = orb_float(rt.kind == ICE_FLOAT ? ORB_T_FLOAT32 : ORB_T_FLOAT64, __builtin_nan(""));
        may = may || value_in(&r, &nan);
      }
    }
  }
  return may;
}

bool ice_prune_manifest(ice_prune *pr, int32_t spec_id, const avro_schema *ls, const avro_value *rec) {
  if (!pr) return true;
  int64_t added, existing;
  if (get_count(ls, rec, ML_ADDED_FILES, &added) && get_count(ls, rec, ML_EXISTING_FILES, &existing) && added == 0 &&
      existing == 0)
    return false;   /* only deleted entries */
  const ice_partition_spec *spec = ice_meta_spec(pr->m, spec_id);
  const avro_schema *pt = field_type(ls, ML_PARTITIONS);
  const avro_value *parts = avro_record_get(ls, rec, ML_PARTITIONS);
  if (!spec || !pt || pt->kind != AVRO_ARRAY || !parts || parts->kind != AVRO_ARRAY || !pt->items ||
      pt->items->kind != AVRO_RECORD)
    return true;
  /* one summary per partition field, in the spec's order */
  if (parts->u.c.n != (size_t)spec->nfields) return true;
  const avro_schema *fs = pt->items;
  bool may = true;
  for (int i = 0; i < pr->n && may; i++) may = manifest_may(pr, &pr->v[i], spec, fs, parts);
  orb_arena_reset(&pr->tmp);
  return may;
}

/* --- entries -------------------------------------------------------------- */

/* What file metrics say about one constraint: may a row match, does every. */
static void metrics_vs(ice_prune *pr, const prep *pp, const avro_schema *dfs, const avro_value *df, int64_t records,
                       bool *may, bool *all) {
  *may = true, *all = false;
  int32_t id = pp->col->id;
  int64_t nulls = -1, nans = -1, x;
  if (metric_count(pr, dfs, df, DF_NULL_COUNTS, id, &x)) nulls = x;
  if (metric_count(pr, dfs, df, DF_NAN_COUNTS, id, &x)) nans = x;
  proj r = column_proj(pr, pp);
  if (r.kind == PR_NULL) {
    if (nulls == 0) *may = false;
    else if (nulls >= 0 && nulls == records) *all = true;
    return;
  }
  if (r.kind == PR_NOT_NULL) {
    if (nulls >= 0 && nulls == records && records > 0) *may = false;
    else if (nulls == 0) *all = true;
    return;
  }
  if (nulls >= 0 && nulls == records && records > 0) {   /* every value NULL: no comparison holds */
    *may = false;
    return;
  }
  if (pp->col->type->kind == ICE_UUID) return;   /* Java's uuid order is not byte order */
  orb_value lo, hi;
  if (!bound(pr, metric(pr, dfs, df, DF_LOWER, id), pp->col->type, &lo) ||
      !bound(pr, metric(pr, dfs, df, DF_UPPER, id), pp->col->type, &hi))
    return;
  if (pp->is_float && lo.u.f != lo.u.f) return;   /* a writer that let NaN into the bounds */
  /* Bounds exist, so some value is neither NULL nor NaN: with a single
  ** non-NULL value that is the one, and there is no NaN. */
  int64_t values;
  if (pp->is_float && nans < 0 && nulls >= 0 && metric_count(pr, dfs, df, DF_VALUE_COUNTS, id, &values) &&
      values - nulls == 1)
    nans = 0;
  bool every;
  range_vs(&r, &lo, &hi, may, &every);
  *all = *may && every && nulls == 0;
  /* Bounds leave NaNs out, and NaN sorts above every number here (as in
  ** PostgreSQL, so NaN > 3 holds): unless the file says it has none, NaN
  ** rows may match when NaN satisfies the constraint, and every row does
  ** only if NaN satisfies it too. */
  if (pp->is_float && nans != 0) {
    orb_value nan = orb_float(ORB_T_FLOAT64, __builtin_nan(""));
    bool nan_ok = value_in(&r, &nan);
    *may = *may || nan_ok;
    *all = every && nulls == 0 && nan_ok;
  }
}

/* The verdict on one constraint pp for one manifest entry (as
** ice_prune_entry's); *every: every row of the file satisfies it.  An OR
** rules the file out when every branch does, and holds for every row when
** one branch does; an AND rules it out when one operand does, and holds
** when every operand does. */
static ice_prune_verdict entry_one(ice_prune *pr, const prep *pp, const ice_partition_spec *spec,
                                   const avro_schema *part_type, const avro_value *tuple, const avro_schema *dfs,
                                   const avro_value *df, int64_t records, bool data, bool *every) {
  *every = false;
  if (is_tree(pp->p)) {
    bool is_or = pp->p->kind == ICE_PRED_OR;
    ice_prune_verdict out = ICE_PRUNE_BY_PARTITION;
    *every = !is_or;
    for (int i = 0; i < pp->nalts; i++) {
      bool ev;
      ice_prune_verdict v = entry_one(pr, &pp->alts[i], spec, part_type, tuple, dfs, df, records, data, &ev);
      if (!is_or && v != ICE_PRUNE_KEEP) return *every = false, v;
      if (is_or && v == ICE_PRUNE_KEEP) out = ICE_PRUNE_KEEP;
      if (is_or && v == ICE_PRUNE_BY_METRICS && out != ICE_PRUNE_KEEP) out = ICE_PRUNE_BY_METRICS;
      *every = is_or ? *every || ev : *every && ev;
    }
    if (!is_or || pp->nalts == 0) return ICE_PRUNE_KEEP;
    if (out != ICE_PRUNE_KEEP) *every = false;
    return out;
  }
  if (!pp->col) return ICE_PRUNE_KEEP;
  bool proven = false, loose = pp->p->loose;
  for (int i = 0; pp->p->kind == ICE_PRED_ANY && i < pp->p->nany; i++) loose |= pp->p->any[i].loose;
  /* the partition tuple */
  for (int k = 0; spec && tuple && part_type && k < spec->nfields; k++) {
    const ice_partition_field *pf = &spec->fields[k];
    if (pf->source_id != pp->col->id) continue;
    orb_arena_reset(&pr->tmp);
    proj r = project(pr, pp, pf);
    if (r.kind == PR_TRUE) continue;
    ice_type rt;
    orb_err e;
    if (ice_transform_result_type(&pf->transform, pp->col->type, &rt, &e) != ORB_OK) continue;
    const avro_value *av = avro_record_get(part_type, tuple, pf->field_id);
    orb_value v;
    if (!av || ice_avro_to_value(av, &rt, &pr->tmp, &v, &e) != ORB_OK) continue;
    bool may;
    if (r.kind == PR_NULL) may = v.isnull;
    else if (r.kind == PR_NOT_NULL) may = !v.isnull;
    else may = !v.isnull && value_in(&r, &v);
    if (!may) return ICE_PRUNE_BY_PARTITION;
    /* NULL-ness carries through every transform; values only through identity */
    if (r.kind == PR_NULL || r.kind == PR_NOT_NULL || (r.identity && all_comparable(&r, &v))) proven = true;
  }
  if (!data || !dfs || !df) return ICE_PRUNE_KEEP;
  orb_arena_reset(&pr->tmp);
  bool may, all;
  metrics_vs(pr, pp, dfs, df, records, &may, &all);
  if (!may) return ICE_PRUNE_BY_METRICS;
  *every = (proven || all) && !loose;   /* a loose constraint holds for rows the filter may not */
  return ICE_PRUNE_KEEP;
}

ice_prune_verdict ice_prune_entry(ice_prune *pr, int32_t spec_id, const avro_schema *part_type, const avro_value *tuple,
                                  const avro_schema *dfs, const avro_value *df, int64_t records, bool data) {
  if (!pr) return ICE_PRUNE_KEEP;
  const ice_partition_spec *spec = ice_meta_spec(pr->m, spec_id);
  bool all = true;
  ice_prune_verdict out = ICE_PRUNE_KEEP;
  for (int i = 0; i < pr->n && out == ICE_PRUNE_KEEP; i++) {
    bool every;
    out = entry_one(pr, &pr->v[i], spec, part_type, tuple, dfs, df, records, data, &every);
    if (!every) all = false;
  }
  orb_arena_reset(&pr->tmp);
  if (out != ICE_PRUNE_KEEP) return out;
  return all && data ? ICE_PRUNE_ALL_MATCH : ICE_PRUNE_KEEP;
}
