/* expr/func_array.c — PostgreSQL's array functions for one-dimensional
** arrays (types/array.h): array_to_string, array_upper, array_lower,
** array_length, cardinality, and array_cat / array_append / array_prepend
** (what `||` with an array operand binds to).  NULL handling is
** PostgreSQL's: array_cat and friends treat a NULL array as empty,
** array_to_string skips NULL elements unless given a text for them. */
#include <string.h>

#include "expr/func_int.h"
#include "types/array.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

static bool is_array(orb_type t) { return t.id == ORB_T_ARRAY; }

/* --- array_to_string(arr, sep [, null_text]) ------------------------------------------ */

static orb_status r_to_string(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (!is_array(t[0])) return orb_fn_no_match(e);
  for (int i = 1; i < n; i++)
    if (!orb_fn_is_text(t[i])) return orb_fn_no_match(e);
    else t[i] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_to_string) {
  UNUSED;
  if (a[0].isnull || a[1].isnull) {
    *out = orb_null(ORB_T_TEXT);
    return ORB_OK;
  }
  const orb_array *arr = a[0].u.arr;
  bool null_text = n > 2 && !a[2].isnull, first = true;
  orb_buf b = ORB_BUF_INIT;
  for (uint32_t i = 0; i < arr->n; i++) {
    if (arr->items[i].isnull && !null_text) continue;
    if (!first) orb_buf_append(&b, a[1].u.s, a[1].len);
    first = false;
    if (arr->items[i].isnull) orb_buf_append(&b, a[2].u.s, a[2].len);
    else orb_value_to_text(&arr->items[i], &b);
  }
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* --- bounds: array_upper / array_lower / array_length (arr, dim), cardinality ---------- */

static orb_status r_bound(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (!is_array(t[0]) || (n > 1 && !orb_fn_want(t, 1, ORB_T_INT32))) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_INT32);
  return ORB_OK;
}
/* one dimension, lower bound 1: dimension 1 of a non-empty array only */
static bool no_dim(const orb_value *a, int n) { return a[0].u.arr->n == 0 || (n > 1 && a[1].u.i != 1); }
EVAL(f_upper) {
  UNUSED;
  *out = no_dim(a, n) ? orb_null(ORB_T_INT32) : orb_int(ORB_T_INT32, a[0].u.arr->lower + (int64_t)a[0].u.arr->n - 1);
  return ORB_OK;
}
EVAL(f_length) {
  UNUSED;
  *out = no_dim(a, n) ? orb_null(ORB_T_INT32) : orb_int(ORB_T_INT32, a[0].u.arr->n);
  return ORB_OK;
}
EVAL(f_lower) {
  UNUSED;
  *out = no_dim(a, n) ? orb_null(ORB_T_INT32) : orb_int(ORB_T_INT32, a[0].u.arr->lower);
  return ORB_OK;
}
EVAL(f_cardinality) {
  UNUSED;
  *out = orb_int(ORB_T_INT32, a[0].u.arr->n);
  return ORB_OK;
}

/* --- array_cat(a, b), array_append(a, x), array_prepend(x, a) ---------------------------- */

static orb_status r_cat(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!is_array(t[0]) || !is_array(t[1]) || t[0].elem != t[1].elem) return orb_fn_no_match(e);
  *res = t[0];
  return ORB_OK;
}
static orb_status r_append(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  int arr = strcmp(f->name, "array_append") == 0 ? 0 : 1;
  if (!is_array(t[arr]) || is_array(t[1 - arr])) return orb_fn_no_match(e);
  t[1 - arr] = orb_type_make((orb_type_id)t[arr].elem);
  *res = t[arr];
  return ORB_OK;
}
/* The concatenation of up to three runs of values into a new array. */
static orb_value joined(const orb_eval_ctx *ctx, orb_type rt, const orb_value *x, uint32_t nx, const orb_value *y,
                        uint32_t ny) {
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * (nx + ny ? nx + ny : 1));
  if (nx) memcpy(items, x, sizeof(orb_value) * nx);
  if (ny) memcpy(items + nx, y, sizeof(orb_value) * ny);
  return orb_array_make(ctx->arena, (orb_type_id)rt.elem, items, nx + ny);
}
EVAL(f_cat) {
  UNUSED;
  if (a[0].isnull || a[1].isnull) {   /* NULL || arr is arr */
    *out = a[0].isnull ? a[1] : a[0];
    if (out->isnull) *out = orb_null(ORB_T_ARRAY);
    return ORB_OK;
  }
  *out = joined(ctx, rt, a[0].u.arr->items, a[0].u.arr->n, a[1].u.arr->items, a[1].u.arr->n);
  return ORB_OK;
}
EVAL(f_append) {
  UNUSED;
  const orb_value *arr = &a[0], *x = &a[1];
  *out = arr->isnull ? joined(ctx, rt, x, 1, NULL, 0) : joined(ctx, rt, arr->u.arr->items, arr->u.arr->n, x, 1);
  return ORB_OK;
}
EVAL(f_prepend) {
  UNUSED;
  const orb_value *x = &a[0], *arr = &a[1];
  *out = arr->isnull ? joined(ctx, rt, x, 1, NULL, 0) : joined(ctx, rt, x, 1, arr->u.arr->items, arr->u.arr->n);
  return ORB_OK;
}

/* --- arraycontains (@>), arraycontained (<@), arrayoverlap (&&) ------------------------ */

static orb_status r_set(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!is_array(t[0]) || !is_array(t[1]) || t[0].elem != t[1].elem) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}
/* Whether x equals a non-NULL element of arr (a NULL never equals anything here, as in PostgreSQL). */
static bool has_item(const orb_array *arr, const orb_value *x) {
  if (x->isnull) return false;
  for (uint32_t k = 0; k < arr->n; k++)
    if (!arr->items[k].isnull && orb_value_cmp(&arr->items[k], x) == 0) return true;
  return false;
}
/* Every element of small is in big (a NULL element in small is in nothing). */
static bool contains(const orb_array *big, const orb_array *small) {
  for (uint32_t k = 0; k < small->n; k++)
    if (!has_item(big, &small->items[k])) return false;
  return true;
}
EVAL(f_contains) {
  UNUSED;
  *out = orb_bool(contains(a[0].u.arr, a[1].u.arr));
  return ORB_OK;
}
EVAL(f_contained) {
  UNUSED;
  *out = orb_bool(contains(a[1].u.arr, a[0].u.arr));
  return ORB_OK;
}
EVAL(f_overlap) {
  UNUSED;
  bool any = false;
  for (uint32_t k = 0; k < a[0].u.arr->n && !any; k++) any = has_item(a[1].u.arr, &a[0].u.arr->items[k]);
  *out = orb_bool(any);
  return ORB_OK;
}

/* --- array_set(arr, i, x): UPDATE ... SET col[i] = x --------------------------------------- */

static orb_status r_array_set(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!is_array(t[0]) || !orb_type_is_integer((orb_type_id)t[1].id)) return orb_fn_no_match(e);
  t[2] = orb_type_elem(t[0]);
  *res = t[0];
  return ORB_OK;
}
/* PostgreSQL replaces element i, or extends the array to i with NULLs
** between; a NULL array becomes {x}.  A subscript below the first element
** (or any but 1 for a NULL or empty array) would move the lower bound,
** which Orbit's arrays do not keep. */
EVAL(f_array_set) {
  UNUSED;
  if (a[1].isnull)
    return orb_err_setx(e, ORB_ERR_NOT_NULL, "22004", 0, "array subscript in assignment must not be null");
  const orb_array *arr = a[0].isnull ? NULL : a[0].u.arr;
  uint32_t len = arr ? arr->n : 0;
  int32_t lower = arr && len ? arr->lower : 1;
  int64_t i = a[1].u.i;
  if (i < lower || (len == 0 && i != 1))
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                        "array subscript %lld would move the array's lower bound, which is not supported", (long long)i);
  int64_t at = i - lower;
  if (at >= 134217727) return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "array size exceeds the maximum allowed (134217727)");
  uint32_t m = (uint32_t)at + 1 > len ? (uint32_t)at + 1 : len;
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * m);
  if (len) memcpy(items, arr->items, sizeof(orb_value) * len);
  for (uint32_t k = len; k < m; k++) items[k] = orb_null((orb_type_id)rt.elem);
  items[at] = a[2].isnull ? orb_null((orb_type_id)rt.elem) : a[2];
  *out = orb_array_make(ctx->arena, (orb_type_id)rt.elem, items, m);
  ((orb_array *)out->u.arr)->lower = lower;
  return ORB_OK;
}

const orb_func orb_funcs_array[] = {
    {"array_set", 3, 3, ORB_FN_NULL_ARGS, r_array_set, f_array_set},
    {"arraycontains", 2, 2, 0, r_set, f_contains},
    {"arraycontained", 2, 2, 0, r_set, f_contained},
    {"arrayoverlap", 2, 2, 0, r_set, f_overlap},
    {"array_to_string", 2, 3, ORB_FN_NULL_ARGS, r_to_string, f_to_string},
    {"array_upper", 2, 2, 0, r_bound, f_upper},
    {"array_lower", 2, 2, 0, r_bound, f_lower},
    {"array_length", 2, 2, 0, r_bound, f_length},
    {"cardinality", 1, 1, 0, r_bound, f_cardinality},
    {"array_cat", 2, 2, ORB_FN_NULL_ARGS, r_cat, f_cat},
    {"array_append", 2, 2, ORB_FN_NULL_ARGS, r_append, f_append},
    {"array_prepend", 2, 2, ORB_FN_NULL_ARGS, r_append, f_prepend},
};
const int orb_nfuncs_array = sizeof orb_funcs_array / sizeof orb_funcs_array[0];
