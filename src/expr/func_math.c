/* expr/func_math.c — numeric functions, greatest/least, gen_random_uuid and
** the system information functions version(), current_schema(),
** pg_get_userbyid() and pg_table_is_visible() that PostgreSQL tools call.
** Argument types resolve as PostgreSQL's do: integers go to double
** precision for the float functions, numeric stays numeric where PostgreSQL
** has a numeric variant (abs, round, trunc, ceil, floor, mod, sign). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "expr/func_int.h"
#include "types/decimal.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

/* --- resolvers ------------------------------------------------------------------------- */

/* f(double...) -> double */
static orb_status r_float(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  for (int i = 0; i < n; i++)
    if (!orb_fn_want(t, i, ORB_T_FLOAT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_FLOAT64);
  return ORB_OK;
}

/* abs/sign: keeps the type */
static orb_status r_same(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  (void)n;
  if (t[0].id == ORB_T_TEXT) t[0] = orb_type_make(ORB_T_FLOAT64);
  if (!orb_type_is_numeric((orb_type_id)t[0].id)) return orb_fn_no_match(e);
  *res = t[0];
  if (res->id == ORB_T_DECIMAL) *res = orb_type_decimal(0, 0);
  return ORB_OK;
}

/* round/trunc/ceil/floor: numeric -> numeric, otherwise double; (numeric, int) forms.
** The two-argument forms exist only for numeric, and a float does not cast to
** numeric implicitly, so round(double, int) has no match, as in PostgreSQL. */
static orb_status r_rounding(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (n == 2 && orb_type_is_float((orb_type_id)t[0].id)) return orb_fn_no_match(e);
  bool dec = t[0].id == ORB_T_DECIMAL || n == 2;
  if (!orb_fn_want(t, 0, dec ? ORB_T_DECIMAL : ORB_T_FLOAT64)) return orb_fn_no_match(e);
  if (n == 2 && !orb_fn_want(t, 1, ORB_T_INT32)) return orb_fn_no_match(e);
  *res = dec ? orb_type_decimal(0, 0) : orb_type_make(ORB_T_FLOAT64);
  return ORB_OK;
}

/* mod(a, b): integers stay integers (wider of the two), numeric otherwise */
static orb_status r_mod(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  (void)n;
  orb_type c;
  orb_err ig;
  for (int i = 0; i < 2; i++)
    if (t[i].id == ORB_T_TEXT) t[i] = orb_type_make(ORB_T_INT32);
  if (!orb_type_is_numeric((orb_type_id)t[0].id) || !orb_type_is_numeric((orb_type_id)t[1].id) ||
      orb_type_common(t[0], t[1], &c, &ig) != ORB_OK)
    return orb_fn_no_match(e);
  if (orb_type_is_float((orb_type_id)c.id)) c = orb_type_decimal(0, 0);
  t[0] = t[1] = c;
  *res = c;
  return ORB_OK;
}

static orb_status r_none_float(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  *res = orb_type_make(ORB_T_FLOAT64);
  return ORB_OK;
}

/* greatest/least: the common type of all arguments */
static orb_status r_common(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  orb_type c = orb_type_make(ORB_T_NULL);
  for (int i = 0; i < n; i++) {
    orb_err ig;
    if (orb_type_common(c, t[i], &c, &ig) != ORB_OK) return orb_fn_no_match(e);
  }
  if (c.id == ORB_T_NULL) c = orb_type_make(ORB_T_TEXT);
  for (int i = 0; i < n; i++) t[i] = c;
  *res = c;
  return ORB_OK;
}

static orb_status r_uuid(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  *res = orb_type_make(ORB_T_UUID);
  return ORB_OK;
}

/* --- evaluators --------------------------------------------------------------------------- */

static orb_status float_result(double r, orb_value *out, orb_err *e) {
  if (isinf(r)) return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value out of range: overflow");
  *out = orb_float(ORB_T_FLOAT64, r);
  return ORB_OK;
}

EVAL(f_abs) {
  UNUSED;
  switch ((orb_type_id)a[0].type) {
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
    if (a[0].u.i == INT64_MIN || (a[0].type == ORB_T_INT32 && a[0].u.i == INT32_MIN) ||
        (a[0].type == ORB_T_INT16 && a[0].u.i == INT16_MIN))
      return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "%s out of range",
                          a[0].type == ORB_T_INT16 ? "smallint" : a[0].type == ORB_T_INT32 ? "integer" : "bigint");
    *out = orb_int((orb_type_id)a[0].type, a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
    return ORB_OK;
  case ORB_T_DECIMAL: *out = orb_decimal(a[0].u.dec < 0 ? -a[0].u.dec : a[0].u.dec, a[0].scale); return ORB_OK;
  default: *out = orb_float((orb_type_id)a[0].type, fabs(a[0].u.f)); return ORB_OK;
  }
}

EVAL(f_sign) {
  UNUSED;
  switch ((orb_type_id)a[0].type) {
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64: *out = orb_int((orb_type_id)a[0].type, (a[0].u.i > 0) - (a[0].u.i < 0)); return ORB_OK;
  case ORB_T_DECIMAL: *out = orb_decimal((a[0].u.dec > 0) - (a[0].u.dec < 0), 0); return ORB_OK;
  default: *out = orb_float((orb_type_id)a[0].type, (a[0].u.f > 0) - (a[0].u.f < 0)); return ORB_OK;
  }
}

/* mode: 0 round, 1 trunc, 2 ceil, 3 floor */
static orb_status rounding(int mode, int n, const orb_value *a, orb_type rt, orb_value *out, orb_err *e) {
  if (rt.id != ORB_T_DECIMAL) {
    double x = a[0].u.f;
    /* round() of a double rounds half to even in PostgreSQL (rint) */
    *out = orb_float(ORB_T_FLOAT64, mode == 0 ? rint(x) : mode == 1 ? trunc(x) : mode == 2 ? ceil(x) : floor(x));
    return ORB_OK;
  }
  int scale = n > 1 ? (int)a[1].u.i : 0;
  if (scale > ORB_DECIMAL_MAX_PRECISION) scale = ORB_DECIMAL_MAX_PRECISION;
  if (scale < -ORB_DECIMAL_MAX_PRECISION) scale = -ORB_DECIMAL_MAX_PRECISION;
  __int128 v = a[0].u.dec, r;
  int s = a[0].scale;
  orb_status st;
  if (mode <= 1) {
    st = orb_decimal_round(v, s, scale, mode == 1, &r, e);
    if (st == ORB_OK) *out = orb_decimal(r, scale < 0 ? 0 : scale);
    return st;
  }
  /* ceil/floor to an integer */
  if ((st = orb_decimal_round(v, s, 0, true, &r, e)) != ORB_OK) return st;
  __int128 back = r * orb_pow10_i128(s);
  if (mode == 2 && back < v) r++;
  if (mode == 3 && back > v) r--;
  *out = orb_decimal(r, 0);
  return ORB_OK;
}

EVAL(f_round) { UNUSED; return rounding(0, n, a, rt, out, e); }
EVAL(f_trunc) { UNUSED; return rounding(1, n, a, rt, out, e); }
EVAL(f_ceil) { UNUSED; return rounding(2, n, a, rt, out, e); }
EVAL(f_floor) { UNUSED; return rounding(3, n, a, rt, out, e); }

EVAL(f_sqrt) {
  UNUSED;
  if (a[0].u.f < 0) return orb_err_setx(e, ORB_ERR_RANGE, "2201F", 0, "cannot take square root of a negative number");
  return float_result(sqrt(a[0].u.f), out, e);
}
EVAL(f_cbrt) { UNUSED; return float_result(cbrt(a[0].u.f), out, e); }
EVAL(f_exp) { UNUSED; return float_result(exp(a[0].u.f), out, e); }
EVAL(f_ln) {
  UNUSED;
  if (a[0].u.f == 0) return orb_err_setx(e, ORB_ERR_RANGE, "2201E", 0, "cannot take logarithm of zero");
  if (a[0].u.f < 0) return orb_err_setx(e, ORB_ERR_RANGE, "2201E", 0, "cannot take logarithm of a negative number");
  return float_result(log(a[0].u.f), out, e);
}
EVAL(f_log) {
  UNUSED;
  double x = n == 2 ? a[1].u.f : a[0].u.f, base = n == 2 ? a[0].u.f : 10;
  if (x == 0 || base == 0) return orb_err_setx(e, ORB_ERR_RANGE, "2201E", 0, "cannot take logarithm of zero");
  if (x < 0 || base < 0) return orb_err_setx(e, ORB_ERR_RANGE, "2201E", 0, "cannot take logarithm of a negative number");
  if (n == 2 && base == 1) return orb_err_setx(e, ORB_ERR_DIVZERO, "22012", 0, "division by zero");
  return float_result(n == 2 ? log(x) / log(base) : log10(x), out, e);
}
EVAL(f_power) {
  UNUSED;
  double x = a[0].u.f, y = a[1].u.f;
  if (x == 0 && y < 0) return orb_err_setx(e, ORB_ERR_RANGE, "2201F", 0, "zero raised to a negative power is undefined");
  if (x < 0 && floor(y) != y)
    return orb_err_setx(e, ORB_ERR_RANGE, "2201F", 0, "a negative number raised to a non-integer power yields a complex result");
  return float_result(pow(x, y), out, e);
}
EVAL(f_mod) {
  UNUSED;
  return orb_arith(ORB_ARITH_MOD, &a[0], &a[1], rt, out, e);
}
EVAL(f_pi) {
  UNUSED;
  (void)a;
  *out = orb_float(ORB_T_FLOAT64, M_PI);
  return ORB_OK;
}
EVAL(f_random) {
  UNUSED;
  (void)a;
  uint64_t r;
  if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = (uint64_t)rand() << 32 ^ (uint64_t)rand();
  *out = orb_float(ORB_T_FLOAT64, (double)(r >> 11) / 9007199254740992.0);
  return ORB_OK;
}

/* NULL arguments are ignored; all NULL gives NULL */
static orb_status extreme(int n, const orb_value *a, orb_type rt, bool greatest, orb_value *out) {
  const orb_value *best = NULL;
  for (int i = 0; i < n; i++) {
    if (a[i].isnull) continue;
    if (!best || (greatest ? orb_value_cmp(&a[i], best) > 0 : orb_value_cmp(&a[i], best) < 0)) best = &a[i];
  }
  *out = best ? *best : orb_null((orb_type_id)rt.id);
  return ORB_OK;
}
EVAL(f_greatest) { UNUSED; return extreme(n, a, rt, true, out); }
EVAL(f_least) { UNUSED; return extreme(n, a, rt, false, out); }

EVAL(f_gen_random_uuid) {
  UNUSED;
  (void)a;
  orb_value v = orb_null(ORB_T_UUID);
  v.isnull = 0;
  if (getrandom(v.u.uuid, 16, 0) != 16) return orb_err_set(e, ORB_ERR_IO, "could not generate random values");
  v.u.uuid[6] = (uint8_t)((v.u.uuid[6] & 0x0F) | 0x40);   /* version 4 */
  v.u.uuid[8] = (uint8_t)((v.u.uuid[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
  *out = v;
  return ORB_OK;
}

static orb_status r_text0(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* version(): PostgreSQL's shape, which drivers parse for the major version */
EVAL(f_version) {
  UNUSED;
  (void)a;
  static const char v[] = "PostgreSQL 15.0 (Orbit " ORBIT_VERSION ") on x86_64-pc-linux-gnu";
  *out = orb_text(v, sizeof v - 1);
  return ORB_OK;
}

EVAL(f_current_schema) {
  UNUSED;
  (void)a;
  *out = orb_text("public", 6);
  return ORB_OK;
}

/* pg_get_userbyid(oid): every object belongs to the one owner Orbit has, but
** the public schema, which belongs to pg_database_owner (6171) as in PostgreSQL 15 */
static orb_status r_owner(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_owner) {
  UNUSED;
  *out = a[0].u.i == 6171 ? orb_text("pg_database_owner", 17) : orb_text("orbit", 5);
  return ORB_OK;
}

/* pg_table_is_visible(oid): one schema, so every table is visible */
static orb_status r_visible(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}
EVAL(f_visible) {
  UNUSED;
  (void)a;
  *out = orb_bool(true);
  return ORB_OK;
}

/* pg_encoding_to_char(n): the name of PostgreSQL's encoding number (Orbit is UTF8 throughout) */
static orb_status r_encoding(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_encoding) {
  UNUSED;
  *out = a[0].u.i == 6 ? orb_text("UTF8", 4) : a[0].u.i == 0 ? orb_text("SQL_ASCII", 9) : orb_text("", 0);
  return ORB_OK;
}

const orb_func orb_funcs_math[] = {
    {"version", 0, 0, 0, r_text0, f_version},
    {"pg_encoding_to_char", 1, 1, 0, r_encoding, f_encoding},
    {"pg_get_userbyid", 1, 1, 0, r_owner, f_owner},
    {"pg_table_is_visible", 1, 1, 0, r_visible, f_visible},
    {"current_schema", 0, 0, 0, r_text0, f_current_schema},
    {"abs", 1, 1, 0, r_same, f_abs},
    {"sign", 1, 1, 0, r_same, f_sign},
    {"round", 1, 2, 0, r_rounding, f_round},
    {"trunc", 1, 2, 0, r_rounding, f_trunc},
    {"ceil", 1, 1, 0, r_rounding, f_ceil},
    {"ceiling", 1, 1, 0, r_rounding, f_ceil},
    {"floor", 1, 1, 0, r_rounding, f_floor},
    {"sqrt", 1, 1, 0, r_float, f_sqrt},
    {"cbrt", 1, 1, 0, r_float, f_cbrt},
    {"exp", 1, 1, 0, r_float, f_exp},
    {"ln", 1, 1, 0, r_float, f_ln},
    {"log", 1, 2, 0, r_float, f_log},
    {"log10", 1, 1, 0, r_float, f_log},
    {"power", 2, 2, 0, r_float, f_power},
    {"pow", 2, 2, 0, r_float, f_power},
    {"mod", 2, 2, 0, r_mod, f_mod},
    {"pi", 0, 0, 0, r_none_float, f_pi},
    {"random", 0, 0, ORB_FN_VOLATILE, r_none_float, f_random},
    {"greatest", 1, -1, ORB_FN_NULL_ARGS, r_common, f_greatest},
    {"least", 1, -1, ORB_FN_NULL_ARGS, r_common, f_least},
    {"gen_random_uuid", 0, 0, ORB_FN_VOLATILE, r_uuid, f_gen_random_uuid},
};
const int orb_nfuncs_math = sizeof orb_funcs_math / sizeof orb_funcs_math[0];
