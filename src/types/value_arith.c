/* types/value_arith.c — arithmetic operators with PostgreSQL's operator
** resolution, overflow checks and error texts. */
#include <math.h>
#include <string.h>

#include "types/datetime.h"
#include "types/decimal.h"
#include "types/value.h"

static const char *int_name(orb_type_id t) {
  return t == ORB_T_INT16 ? "smallint" : t == ORB_T_INT32 ? "integer" : "bigint";
}

const char *orb_arith_op_name(orb_arith_op op) {
  static const char *const ops[] = {"+", "-", "*", "/", "%", "^", "&", "|"};
  return (unsigned)op < sizeof ops / sizeof ops[0] ? ops[op] : "?";
}

static orb_status no_operator(orb_arith_op op, orb_type a, orb_type b, orb_err *e) {
  orb_buf na = ORB_BUF_INIT, nb = ORB_BUF_INIT;
  orb_type_format(a, &na);
  orb_type_format(b, &nb);
  orb_status st = orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", 0, "operator does not exist: %s %s %s", na.data,
                               orb_arith_op_name(op), nb.data);
  orb_buf_free(&na);
  orb_buf_free(&nb);
  return st;
}

static bool is_time(orb_type_id t) { return t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ; }

orb_status orb_arith_type(orb_arith_op op, orb_type a, orb_type b, orb_type *out, orb_err *e) {
  orb_type_id x = (orb_type_id)a.id, y = (orb_type_id)b.id;
  if (op == ORB_ARITH_BITAND || op == ORB_ARITH_BITOR) {   /* integers of one width: the wider of the two */
    if (!orb_type_is_integer(x) || !orb_type_is_integer(y)) return no_operator(op, a, b, e);
    *out = orb_type_make(x > y ? x : y);
    return ORB_OK;
  }
  if (orb_type_is_numeric(x) && orb_type_is_numeric(y)) {
    orb_err ig;
    if (orb_type_common(a, b, out, &ig) != ORB_OK) return no_operator(op, a, b, e);
    if (op == ORB_ARITH_POW && out->id != ORB_T_DECIMAL) *out = orb_type_make(ORB_T_FLOAT64);
    if (out->id == ORB_T_FLOAT32) *out = orb_type_make(ORB_T_FLOAT32);
    if (out->id == ORB_T_DECIMAL) *out = orb_type_decimal(0, 0);
    if (out->id == ORB_T_TEXT) *out = orb_type_make(ORB_T_TEXT);
    return ORB_OK;
  }
  /* date arithmetic */
  if (x == ORB_T_DATE && orb_type_is_integer(y) && (op == ORB_ARITH_ADD || op == ORB_ARITH_SUB)) {
    *out = orb_type_make(ORB_T_DATE);
    return ORB_OK;
  }
  if (orb_type_is_integer(x) && y == ORB_T_DATE && op == ORB_ARITH_ADD) {
    *out = orb_type_make(ORB_T_DATE);
    return ORB_OK;
  }
  if (x == ORB_T_DATE && y == ORB_T_DATE && op == ORB_ARITH_SUB) {
    *out = orb_type_make(ORB_T_INT32);
    return ORB_OK;
  }
  if ((x == ORB_T_DATE || is_time(x)) && y == ORB_T_INTERVAL && (op == ORB_ARITH_ADD || op == ORB_ARITH_SUB)) {
    *out = orb_type_make(x == ORB_T_DATE ? ORB_T_TIMESTAMP : x);
    return ORB_OK;
  }
  if (x == ORB_T_INTERVAL && (y == ORB_T_DATE || is_time(y)) && op == ORB_ARITH_ADD) {
    *out = orb_type_make(y == ORB_T_DATE ? ORB_T_TIMESTAMP : y);
    return ORB_OK;
  }
  if (x == ORB_T_DATE && y == ORB_T_TIME && op == ORB_ARITH_ADD) {
    *out = orb_type_make(ORB_T_TIMESTAMP);
    return ORB_OK;
  }
  /* time of day: +- interval wraps around midnight; time - time is an interval */
  if (((x == ORB_T_TIME && y == ORB_T_INTERVAL && (op == ORB_ARITH_ADD || op == ORB_ARITH_SUB)) ||
       (x == ORB_T_INTERVAL && y == ORB_T_TIME && op == ORB_ARITH_ADD))) {
    *out = orb_type_make(ORB_T_TIME);
    return ORB_OK;
  }
  if (x == ORB_T_TIME && y == ORB_T_TIME && op == ORB_ARITH_SUB) {
    *out = orb_type_make(ORB_T_INTERVAL);
    return ORB_OK;
  }
  if ((is_time(x) || x == ORB_T_DATE) && (is_time(y) || y == ORB_T_DATE) && op == ORB_ARITH_SUB) {
    *out = orb_type_make(ORB_T_INTERVAL);
    return ORB_OK;
  }
  if (x == ORB_T_INTERVAL && y == ORB_T_INTERVAL && (op == ORB_ARITH_ADD || op == ORB_ARITH_SUB)) {
    *out = orb_type_make(ORB_T_INTERVAL);
    return ORB_OK;
  }
  if (x == ORB_T_INTERVAL && orb_type_is_numeric(y) && (op == ORB_ARITH_MUL || op == ORB_ARITH_DIV)) {
    *out = orb_type_make(ORB_T_INTERVAL);
    return ORB_OK;
  }
  if (orb_type_is_numeric(x) && y == ORB_T_INTERVAL && op == ORB_ARITH_MUL) {
    *out = orb_type_make(ORB_T_INTERVAL);
    return ORB_OK;
  }
  return no_operator(op, a, b, e);
}

static orb_status int_overflow(orb_type_id t, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "%s out of range", int_name(t));
}

static orb_status div_zero(orb_err *e) { return orb_err_setx(e, ORB_ERR_DIVZERO, "22012", 0, "division by zero"); }

static orb_status int_arith(orb_arith_op op, int64_t a, int64_t b, orb_type_id t, orb_value *out, orb_err *e) {
  int64_t r;
  switch (op) {
  case ORB_ARITH_ADD:
    if (__builtin_add_overflow(a, b, &r)) return int_overflow(t, e);
    break;
  case ORB_ARITH_SUB:
    if (__builtin_sub_overflow(a, b, &r)) return int_overflow(t, e);
    break;
  case ORB_ARITH_MUL:
    if (__builtin_mul_overflow(a, b, &r)) return int_overflow(t, e);
    break;
  case ORB_ARITH_DIV:
    if (b == 0) return div_zero(e);
    if (b == -1) {
      if (__builtin_sub_overflow((int64_t)0, a, &r)) return int_overflow(t, e);
    } else {
      r = a / b;
    }
    break;
  case ORB_ARITH_MOD:
    if (b == 0) return div_zero(e);
    r = b == -1 ? 0 : a % b;
    break;
  case ORB_ARITH_BITAND: r = a & b; break;
  case ORB_ARITH_BITOR: r = a | b; break;
  default:
    return orb_err_set(e, ORB_ERR_INTERNAL, "integer ^ is computed in double precision");
  }
  if ((t == ORB_T_INT16 && (r < INT16_MIN || r > INT16_MAX)) || (t == ORB_T_INT32 && (r < INT32_MIN || r > INT32_MAX)))
    return int_overflow(t, e);
  *out = orb_int(t, r);
  return ORB_OK;
}

static double as_double(const orb_value *v) {
  if (orb_type_is_integer((orb_type_id)v->type)) return (double)v->u.i;
  if (v->type == ORB_T_DECIMAL) return orb_decimal_to_double(v->u.dec, v->scale);
  return v->u.f;
}

static orb_status float_arith(orb_arith_op op, double a, double b, orb_type_id t, orb_value *out, orb_err *e) {
  double r;
  switch (op) {
  case ORB_ARITH_ADD: r = a + b; break;
  case ORB_ARITH_SUB: r = a - b; break;
  case ORB_ARITH_MUL: r = a * b; break;
  case ORB_ARITH_DIV:
    if (b == 0) return div_zero(e);
    r = a / b;
    break;
  case ORB_ARITH_MOD:
    if (b == 0) return div_zero(e);
    r = fmod(a, b);
    break;
  case ORB_ARITH_POW:
    if (a == 0 && b < 0)
      return orb_err_setx(e, ORB_ERR_RANGE, "2201F", 0, "zero raised to a negative power is undefined");
    if (a < 0 && floor(b) != b)
      return orb_err_setx(e, ORB_ERR_RANGE, "2201F", 0, "a negative number raised to a non-integer power yields a complex result");
    r = pow(a, b);
    break;
  default: r = 0;
  }
  if (t == ORB_T_FLOAT32) r = (float)r;
  if (isinf(r) && !isinf(a) && !isinf(b))
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value out of range: overflow");
  if (r == 0 && a != 0 && op == ORB_ARITH_MUL && b != 0)
    return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value out of range: underflow");
  *out = orb_float(t, r);
  return ORB_OK;
}

static void as_decimal(const orb_value *v, __int128 *d, int *s) {
  if (v->type == ORB_T_DECIMAL) {
    *d = v->u.dec;
    *s = v->scale;
  } else {
    *d = v->u.i;
    *s = 0;
  }
}

static orb_status decimal_arith(orb_arith_op op, const orb_value *a, const orb_value *b, orb_value *out, orb_err *e) {
  __int128 x, y, r;
  int sx, sy, rs;
  as_decimal(a, &x, &sx);
  as_decimal(b, &y, &sy);
  orb_status st;
  switch (op) {
  case ORB_ARITH_ADD: st = orb_decimal_add(x, sx, y, sy, false, &r, &rs, e); break;
  case ORB_ARITH_SUB: st = orb_decimal_add(x, sx, y, sy, true, &r, &rs, e); break;
  case ORB_ARITH_MUL: st = orb_decimal_mul(x, sx, y, sy, &r, &rs, e); break;
  case ORB_ARITH_DIV:
    if (y == 0) return div_zero(e);
    st = orb_decimal_div(x, sx, y, sy, &r, &rs, e);
    break;
  case ORB_ARITH_MOD:
    if (y == 0) return div_zero(e);
    st = orb_decimal_mod(x, sx, y, sy, &r, &rs, e);
    break;
  default: {
    /* numeric ^ numeric: computed in double precision, then back to numeric */
    double d = pow(orb_decimal_to_double(x, sx), orb_decimal_to_double(y, sy));
    if (isnan(d) || isinf(d)) return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value out of range: overflow");
    st = orb_decimal_from_double(d, 16, &r, &rs, e);
  }
  }
  if (st == ORB_OK) *out = orb_decimal(r, rs);
  return st;
}

static orb_status datetime_arith(orb_arith_op op, const orb_value *a, const orb_value *b, orb_type result,
                                 orb_value *out, orb_err *e) {
  orb_type_id x = (orb_type_id)a->type, y = (orb_type_id)b->type;
  orb_status st;
  int64_t r;
  if (result.id == ORB_T_DATE) {
    int64_t days = x == ORB_T_DATE ? a->u.i : b->u.i, n = x == ORB_T_DATE ? b->u.i : a->u.i;
    if (op == ORB_ARITH_SUB) n = -n;
    if (__builtin_add_overflow(days, n, &r) || r < -719162 || r > 106751991LL)
      return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "date out of range");
    *out = orb_int(ORB_T_DATE, r);
    return ORB_OK;
  }
  if (x == ORB_T_DATE && y == ORB_T_DATE) {
    *out = orb_int(ORB_T_INT32, a->u.i - b->u.i);
    return ORB_OK;
  }
  if (x == ORB_T_DATE && y == ORB_T_TIME) {
    *out = orb_int(ORB_T_TIMESTAMP, a->u.i * ORB_USECS_PER_DAY + b->u.i);
    return ORB_OK;
  }
  if (result.id == ORB_T_TIME) {   /* PostgreSQL adds only the interval's time part, modulo a day */
    int64_t t = x == ORB_T_TIME ? a->u.i : b->u.i;
    int64_t us = (x == ORB_T_TIME ? b->u.iv.micros : a->u.iv.micros) % ORB_USECS_PER_DAY;
    t = (t + (op == ORB_ARITH_SUB ? -us : us)) % ORB_USECS_PER_DAY;
    *out = orb_int(ORB_T_TIME, t < 0 ? t + ORB_USECS_PER_DAY : t);
    return ORB_OK;
  }
  if (x == ORB_T_TIME && y == ORB_T_TIME) {
    orb_value v = orb_null(ORB_T_INTERVAL);
    v.isnull = 0;
    v.u.iv.micros = a->u.i - b->u.i;
    *out = v;
    return ORB_OK;
  }
  int64_t ta = x == ORB_T_DATE ? a->u.i * ORB_USECS_PER_DAY : a->u.i;
  int64_t tb = y == ORB_T_DATE ? b->u.i * ORB_USECS_PER_DAY : b->u.i;
  if (result.id == ORB_T_INTERVAL && x != ORB_T_INTERVAL && y != ORB_T_INTERVAL) {
    orb_value v = orb_null(ORB_T_INTERVAL);
    v.isnull = 0;
    v.u.iv = orb_timestamp_diff(ta, tb);
    *out = v;
    return ORB_OK;
  }
  if (result.id == ORB_T_INTERVAL) {
    orb_value v = orb_null(ORB_T_INTERVAL);
    v.isnull = 0;
    if (x == ORB_T_INTERVAL && y == ORB_T_INTERVAL)
      st = orb_interval_add(&a->u.iv, &b->u.iv, op == ORB_ARITH_SUB ? -1 : 1, &v.u.iv, e);
    else if (x == ORB_T_INTERVAL && op == ORB_ARITH_MUL)
      st = orb_interval_mul(&a->u.iv, as_double(b), &v.u.iv, e);
    else if (x == ORB_T_INTERVAL)
      st = as_double(b) == 0 ? div_zero(e) : orb_interval_div(&a->u.iv, as_double(b), &v.u.iv, e);
    else
      st = orb_interval_mul(&b->u.iv, as_double(a), &v.u.iv, e);
    if (st == ORB_OK) *out = v;
    return st;
  }
  /* timestamp +- interval */
  const orb_interval *iv = x == ORB_T_INTERVAL ? &a->u.iv : &b->u.iv;
  int64_t base = x == ORB_T_INTERVAL ? tb : ta;
  st = orb_timestamp_add_interval(base, iv, op == ORB_ARITH_SUB ? -1 : 1, &r, e);
  if (st == ORB_OK) *out = orb_int((orb_type_id)result.id, r);
  return st;
}

orb_status orb_arith(orb_arith_op op, const orb_value *a, const orb_value *b, orb_type result, orb_value *out,
                     orb_err *e) {
  orb_type_id t = (orb_type_id)result.id;
  if (orb_type_is_integer(t) && orb_type_is_integer((orb_type_id)a->type) && orb_type_is_integer((orb_type_id)b->type))
    return int_arith(op, a->u.i, b->u.i, t, out, e);
  if (orb_type_is_float(t)) return float_arith(op, as_double(a), as_double(b), t, out, e);
  if (t == ORB_T_DECIMAL) return decimal_arith(op, a, b, out, e);
  return datetime_arith(op, a, b, result, out, e);
}

orb_status orb_negate(const orb_value *a, orb_value *out, orb_err *e) {
  switch ((orb_type_id)a->type) {
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
    return int_arith(ORB_ARITH_SUB, 0, a->u.i, (orb_type_id)a->type, out, e);
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64:
    *out = orb_float((orb_type_id)a->type, -a->u.f);
    return ORB_OK;
  case ORB_T_DECIMAL:
    *out = orb_decimal(-a->u.dec, a->scale);
    return ORB_OK;
  case ORB_T_INTERVAL: {
    orb_value v = *a;
    orb_status st = orb_interval_neg(&a->u.iv, &v.u.iv, e);
    if (st == ORB_OK) *out = v;
    return st;
  }
  default:
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", 0, "operator does not exist: - %s", "value");
  }
}
