/* types/value_cast.c — explicit casts with PostgreSQL's rules. */
#include <math.h>
#include <string.h>

#include "types/datetime.h"
#include "types/decimal.h"
#include "types/array.h"
#include "types/json.h"
#include "types/value.h"

orb_status orb_int_range_check(orb_type_id t, int64_t v, orb_err *e);   /* value_text.c */
size_t orb_utf8_chars(const char *s, size_t n);                           /* value_text.c */

static const char *int_name(orb_type_id t) {
  return t == ORB_T_INT16 ? "smallint" : t == ORB_T_INT32 ? "integer" : "bigint";
}

static orb_status int_out_of_range(orb_type_id t, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "%s out of range", int_name(t));
}

/* double -> integer: round half to even (rint), as PostgreSQL. */
static orb_status float_to_int(double d, orb_type_id t, orb_value *out, orb_err *e) {
  if (isnan(d) || isinf(d)) return int_out_of_range(t, e);
  double r = rint(d);
  if (r < -9223372036854775808.0 || r >= 9223372036854775808.0) return int_out_of_range(t, e);
  int64_t v = (int64_t)r;
  if (orb_int_range_check(t, v, e) != ORB_OK) return ORB_ERR_RANGE;
  *out = orb_int(t, v);
  return ORB_OK;
}

static orb_status decimal_to_type(__int128 v, int scale, orb_type t, orb_value *out, orb_err *e) {
  if (t.precision == 0) {
    *out = orb_decimal(v, scale);
    return ORB_OK;
  }
  __int128 r;
  orb_status st = orb_decimal_rescale(v, scale, t.scale, &r, e);
  if (st != ORB_OK) return st;
  if (!orb_decimal_fits(r, t.precision)) {
    orb_decimal_overflow(e);
    int whole = t.precision - t.scale;   /* digits before the point; 10^0 is written 1 */
    orb_err_detail(e, "A field with precision %d, scale %d must round to an absolute value less than %s%d.", t.precision,
                   t.scale, whole ? "10^" : "", whole ? whole : 1);
    return e ? e->code : ORB_ERR_RANGE;
  }
  *out = orb_decimal(r, t.scale);
  return ORB_OK;
}

/* Truncate text to maxlen characters (explicit casts to varchar(n) do that silently). */
static void truncate_chars(orb_value *v, int maxlen) {
  size_t chars = 0;
  for (uint32_t i = 0; i < v->len; i++) {
    if (((unsigned char)v->u.s[i] & 0xC0) != 0x80) {
      if (chars == (size_t)maxlen) {
        v->len = i;
        return;
      }
      chars++;
    }
  }
}

orb_status orb_value_cast(const orb_value *v, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  if (v->isnull) {
    *out = orb_null((orb_type_id)t.id);
    return ORB_OK;
  }
  orb_type_id from = (orb_type_id)v->type, to = (orb_type_id)t.id;
  orb_status st;
  if (to == ORB_T_TEXT || to == ORB_T_NULL) {
    if (from == ORB_T_TEXT) {
      *out = *v;
    } else {
      orb_buf b = ORB_BUF_INIT;
      orb_value_to_text(v, &b);
      char *s = orb_arena_alloc(a, b.len ? b.len : 1);
      if (b.len) memcpy(s, b.data, b.len);
      *out = orb_text(s, b.len);
      orb_buf_free(&b);
    }
    if (t.maxlen) truncate_chars(out, t.maxlen);
    return ORB_OK;
  }
  if (from == ORB_T_TEXT) return orb_value_from_text(v->u.s, v->len, t, a, out, e);
  if (orb_type_is_json(from) || orb_type_is_json(to)) return orb_json_cast(v, t, a, out, e);
  if (from == ORB_T_ARRAY && to == ORB_T_ARRAY) {
    if (v->scale == t.elem && !t.precision && !t.maxlen) {   /* no element modifier to apply */
      *out = *v;
      return ORB_OK;
    }
    return orb_array_cast(v, t, a, out, e);
  }
  if (from == to && to != ORB_T_DECIMAL) {
    *out = *v;
    return ORB_OK;
  }
  switch (to) {
  case ORB_T_BOOL:
    if (orb_type_is_integer(from)) {
      *out = orb_bool(v->u.i != 0);
      return ORB_OK;
    }
    break;
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
    if (orb_type_is_integer(from)) {
      if ((st = orb_int_range_check(to, v->u.i, e)) != ORB_OK) return st;
      *out = orb_int(to, v->u.i);
      return ORB_OK;
    }
    if (from == ORB_T_BOOL) {
      if (to == ORB_T_INT32) {
        *out = orb_int(to, v->u.b);
        return ORB_OK;
      }
      break;
    }
    if (orb_type_is_float(from)) return float_to_int(v->u.f, to, out, e);
    if (from == ORB_T_DECIMAL) {
      __int128 r;
      if ((st = orb_decimal_round(v->u.dec, v->scale, 0, false, &r, e)) != ORB_OK) return st;
      if (r < INT64_MIN || r > INT64_MAX) return int_out_of_range(to, e);
      if ((st = orb_int_range_check(to, (int64_t)r, e)) != ORB_OK) return st;
      *out = orb_int(to, (int64_t)r);
      return ORB_OK;
    }
    break;
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64: {
    double d;
    if (orb_type_is_integer(from)) d = (double)v->u.i;
    else if (orb_type_is_float(from)) d = v->u.f;
    else if (from == ORB_T_DECIMAL) d = orb_decimal_to_double(v->u.dec, v->scale);
    else break;
    if (to == ORB_T_FLOAT32) {
      float f = (float)d;
      if (isinf(f) && !isinf(d)) return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "value out of range: overflow");
      d = f;
    }
    *out = orb_float(to, d);
    return ORB_OK;
  }
  case ORB_T_DECIMAL:
    if (from == ORB_T_DECIMAL) return decimal_to_type(v->u.dec, v->scale, t, out, e);
    if (orb_type_is_integer(from)) return decimal_to_type(v->u.i, 0, t, out, e);
    if (orb_type_is_float(from)) {
      if (isnan(v->u.f) || isinf(v->u.f))
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "cannot convert %s to numeric",
                            isnan(v->u.f) ? "NaN" : "infinity");
      __int128 r;
      int rs;
      /* PostgreSQL converts through the float's shortest text: 0.1::float8::numeric = 0.1 */
      orb_buf b = ORB_BUF_INIT;
      orb_value_to_text(v, &b);
      orb_dec_parse_rc rc = orb_decimal_parse(b.data, b.len, -1, &r, &rs);
      orb_buf_free(&b);
      if (rc != ORB_DEC_OK) return orb_decimal_overflow(e);
      return decimal_to_type(r, rs, t, out, e);
    }
    break;
  case ORB_T_DATE:
    if (from == ORB_T_TIMESTAMP || from == ORB_T_TIMESTAMPTZ) {
      *out = orb_int(ORB_T_DATE, orb_floor_div(v->u.i, ORB_USECS_PER_DAY));
      return ORB_OK;
    }
    break;
  case ORB_T_TIME:
    if (from == ORB_T_TIMESTAMP || from == ORB_T_TIMESTAMPTZ) {
      int64_t d = orb_floor_div(v->u.i, ORB_USECS_PER_DAY);
      *out = orb_int(ORB_T_TIME, v->u.i - d * ORB_USECS_PER_DAY);
      return ORB_OK;
    }
    break;
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
    if (from == ORB_T_DATE) {
      *out = orb_int(to, v->u.i * ORB_USECS_PER_DAY);
      return ORB_OK;
    }
    if (from == ORB_T_TIMESTAMP || from == ORB_T_TIMESTAMPTZ) {
      *out = orb_int(to, v->u.i);   /* session time zone is UTC */
      return ORB_OK;
    }
    break;
  case ORB_T_BYTEA:
  case ORB_T_UUID:
  case ORB_T_INTERVAL:
  case ORB_T_TEXT:
  case ORB_T_NULL:
  case ORB_T_ARRAY:
  case ORB_T_RECORD:
  case ORB_T_VOID:
  case ORB_T_JSON:
  case ORB_T_JSONB:
  case ORB_T__COUNT:
    break;
  }
  orb_buf fa = ORB_BUF_INIT, ta = ORB_BUF_INIT;
  orb_value tmp = orb_null(from);
  orb_type ft = orb_type_make(from);
  (void)tmp;
  orb_type_format(ft, &fa);
  orb_type_format(t, &ta);
  st = orb_err_setx(e, ORB_ERR_TYPE, "42846", 0, "cannot cast type %s to %s", fa.data, ta.data);
  orb_buf_free(&fa);
  orb_buf_free(&ta);
  return st;
}
