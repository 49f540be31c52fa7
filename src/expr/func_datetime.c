/* expr/func_datetime.c — date/time functions: now() and friends, extract /
** date_part, date_trunc, age, make_date, to_timestamp (session zone UTC);
** pg_sleep. */
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "expr/func_int.h"
#include "types/datetime.h"
#include "types/decimal.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

/* --- resolvers ------------------------------------------------------------------------ */

static orb_status r_result(orb_type_id t, orb_type *res) {
  *res = orb_type_make(t);
  return ORB_OK;
}
static orb_status r_now(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  return r_result(ORB_T_TIMESTAMPTZ, res);
}
static orb_status r_localts(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  return r_result(ORB_T_TIMESTAMP, res);
}
static orb_status r_today(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  return r_result(ORB_T_DATE, res);
}

/* (text field, date/timestamp/interval source); untyped sources read as timestamps */
static bool want_source(orb_type *t) {
  orb_type_id s = (orb_type_id)t[1].id;
  if (s == ORB_T_TEXT || s == ORB_T_NULL) {
    t[1] = orb_type_make(ORB_T_TIMESTAMP);
    return true;
  }
  return s == ORB_T_DATE || s == ORB_T_TIMESTAMP || s == ORB_T_TIMESTAMPTZ || s == ORB_T_INTERVAL || s == ORB_T_TIME;
}

static orb_status r_extract(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)n;
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || !want_source(t)) return orb_fn_no_match(e);
  /* extract() is numeric since PostgreSQL 14; date_part() stays double
  ** precision and has no date variant: a date is read as its midnight */
  bool is_extract = strcmp(f->name, "extract") == 0;
  if (!is_extract && t[1].id == ORB_T_DATE) t[1] = orb_type_make(ORB_T_TIMESTAMP);
  *res = is_extract ? orb_type_decimal(0, 0) : orb_type_make(ORB_T_FLOAT64);
  return ORB_OK;
}

static orb_status r_trunc(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || !want_source(t) || t[1].id == ORB_T_TIME) return orb_fn_no_match(e);
  /* PostgreSQL has no date variant: a date goes to timestamptz, the
  ** preferred type of its category (date_trunc('month', date) prints +00) */
  if (t[1].id == ORB_T_DATE) t[1] = orb_type_make(ORB_T_TIMESTAMPTZ);
  *res = t[1];
  return ORB_OK;
}

static orb_status r_age(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  for (int i = 0; i < n; i++) {
    if (t[i].id == ORB_T_DATE || t[i].id == ORB_T_TEXT || t[i].id == ORB_T_NULL) t[i] = orb_type_make(ORB_T_TIMESTAMP);
    if (t[i].id != ORB_T_TIMESTAMP && t[i].id != ORB_T_TIMESTAMPTZ) return orb_fn_no_match(e);
  }
  return r_result(ORB_T_INTERVAL, res);
}

static orb_status r_make_date(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  for (int i = 0; i < n; i++)
    if (!orb_fn_want(t, i, ORB_T_INT32)) return orb_fn_no_match(e);
  return r_result(ORB_T_DATE, res);
}

static orb_status r_to_timestamp(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_FLOAT64)) return orb_fn_no_match(e);
  return r_result(ORB_T_TIMESTAMPTZ, res);
}

static orb_status r_sleep(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_FLOAT64)) return orb_fn_no_match(e);
  return r_result(ORB_T_VOID, res);
}

/* --- evaluators ------------------------------------------------------------------------- */

/* pg_sleep(seconds): waits in slices of at most 10 ms, so that a cancel or
** statement_timeout ends it as it ends any statement; returns void. */
EVAL(f_sleep) {
  UNUSED;
  double s = a[0].u.f;
  struct timespec until, now;
  clock_gettime(CLOCK_MONOTONIC, &until);
  double end = (double)until.tv_sec + until.tv_nsec / 1e9 + (s > 0 && s < 1e9 ? s : 0);
  for (;;) {
    if (ctx->check_interrupt) {
      orb_status st = ctx->check_interrupt(ctx->interrupt_env, e);
      if (st != ORB_OK) return st;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    double left = end - ((double)now.tv_sec + now.tv_nsec / 1e9);
    if (left <= 0) break;
    struct timespec slice = {0, (long)((left < 0.01 ? left : 0.01) * 1e9)};
    nanosleep(&slice, NULL);
  }
  *out = orb_null(ORB_T_VOID);
  out->isnull = 0;
  return ORB_OK;
}

EVAL(f_now) {
  UNUSED;
  (void)a;
  *out = orb_int((orb_type_id)rt.id, ctx->stmt_time);
  return ORB_OK;
}
EVAL(f_today) {
  UNUSED;
  (void)a;
  *out = orb_int(ORB_T_DATE, orb_floor_div(ctx->stmt_time, ORB_USECS_PER_DAY));
  return ORB_OK;
}

static bool field_is(const orb_value *v, const char *name) {
  return strlen(name) == v->len && strncasecmp(v->u.s, name, v->len) == 0;
}

static const char *source_type_name(const orb_value *src) {
  switch ((orb_type_id)src->type) {
  case ORB_T_DATE: return "date";
  case ORB_T_TIME: return "time without time zone";
  case ORB_T_TIMESTAMPTZ: return "timestamp with time zone";
  case ORB_T_INTERVAL: return "interval";
  default: return "timestamp without time zone";
  }
}

/* PostgreSQL says "not recognized" for unknown units and "not supported"
** for units that exist but not for this type (hour of a date). */
static orb_status unit_error(const orb_value *field, const char *what, const char *type, orb_err *e) {
  bool unknown = what[4] == 'r';
  return orb_err_setx(e, unknown ? ORB_ERR_CONSTRAINT : ORB_ERR_UNSUPPORTED, unknown ? "22023" : "0A000", 0, "unit \"%.*s\" %s for type %s",
                      (int)(field->len > 60 ? 60 : field->len), field->u.s, what, type);
}
static orb_status bad_unit(const orb_value *field, const char *type, orb_err *e) {
  return unit_error(field, "not recognized", type, e);
}

/* Units extract() knows for some type: for the others it says "not supported". */
static bool known_unit(const orb_value *field) {
  static const char *const units[] = {"year",   "years",  "month",   "months",  "day",          "days",
                                      "hour",   "hours",  "minute",  "minutes", "second",       "seconds",
                                      "milliseconds", "microseconds", "dow", "isodow", "doy", "quarter",
                                      "decade", "century", "millennium", "epoch", "week"};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (field_is(field, units[i])) return true;
  return false;
}

/* The value of one field as an exact decimal (v / 10^scale). */
static orb_status field_of(const orb_value *field, const orb_value *src, __int128 *v, int *scale, orb_err *e) {
  *scale = 0;
  if (src->type == ORB_T_INTERVAL) {
    const orb_interval *iv = &src->u.iv;
    int64_t us_in_min = iv->micros % (60 * ORB_USECS_PER_SEC);
    if (field_is(field, "year") || field_is(field, "years")) *v = iv->months / 12;
    else if (field_is(field, "month") || field_is(field, "months")) *v = iv->months % 12;
    else if (field_is(field, "day") || field_is(field, "days")) *v = iv->days;
    else if (field_is(field, "hour") || field_is(field, "hours")) *v = iv->micros / ORB_USECS_PER_HOUR;
    else if (field_is(field, "minute") || field_is(field, "minutes")) *v = iv->micros / (60 * ORB_USECS_PER_SEC) % 60;
    else if (field_is(field, "second") || field_is(field, "seconds")) *v = us_in_min, *scale = 6;
    else if (field_is(field, "epoch"))
      *v = ((__int128)iv->months / 12 * 36525 / 100 * 86400 + (__int128)(iv->months % 12) * 30 * 86400 +
            (__int128)iv->days * 86400) * 1000000 + iv->micros,
      *scale = 6;
    else return bad_unit(field, "interval", e);
    return ORB_OK;
  }
  if (!known_unit(field)) return bad_unit(field, source_type_name(src), e);
  bool is_date = src->type == ORB_T_DATE;
  if (src->type == ORB_T_TIME) {
    /* a time of day has only the clock fields */
    int64_t us = src->u.i;
    if (field_is(field, "hour") || field_is(field, "hours")) *v = us / ORB_USECS_PER_HOUR;
    else if (field_is(field, "minute") || field_is(field, "minutes")) *v = us / (60 * ORB_USECS_PER_SEC) % 60;
    else if (field_is(field, "second") || field_is(field, "seconds")) *v = us % (60 * ORB_USECS_PER_SEC), *scale = 6;
    else if (field_is(field, "milliseconds")) *v = us % (60 * ORB_USECS_PER_SEC), *scale = 3;
    else if (field_is(field, "microseconds")) *v = us % (60 * ORB_USECS_PER_SEC);
    else if (field_is(field, "epoch")) *v = us, *scale = 6;
    else return unit_error(field, "not supported", "time without time zone", e);
    return ORB_OK;
  }
  int64_t ts = is_date ? src->u.i * ORB_USECS_PER_DAY : src->u.i;
  orb_tm tm;
  orb_tm_from_ts(ts, &tm);
  int64_t days = orb_floor_div(ts, ORB_USECS_PER_DAY);
  if (field_is(field, "year") || field_is(field, "years")) *v = tm.year;
  else if (field_is(field, "month") || field_is(field, "months")) *v = tm.month;
  else if (field_is(field, "day") || field_is(field, "days")) *v = tm.day;
  else if (field_is(field, "hour") || field_is(field, "hours")) *v = tm.hour;
  else if (field_is(field, "minute") || field_is(field, "minutes")) *v = tm.min;
  else if (field_is(field, "second") || field_is(field, "seconds")) *v = (int64_t)tm.sec * 1000000 + tm.usec, *scale = 6;
  else if (field_is(field, "milliseconds")) *v = (int64_t)tm.sec * 1000000 + tm.usec, *scale = 3;
  else if (field_is(field, "microseconds")) *v = (int64_t)tm.sec * 1000000 + tm.usec;
  else if (field_is(field, "dow")) *v = orb_dow(days);
  else if (field_is(field, "isodow")) *v = orb_dow(days) == 0 ? 7 : orb_dow(days);
  else if (field_is(field, "doy")) *v = days - orb_days_from_civil(tm.year, 1, 1) + 1;
  else if (field_is(field, "quarter")) *v = (tm.month - 1) / 3 + 1;
  else if (field_is(field, "decade")) *v = tm.year / 10;
  else if (field_is(field, "century")) *v = (tm.year + 99) / 100;
  else if (field_is(field, "millennium")) *v = (tm.year + 999) / 1000;
  else if (field_is(field, "epoch")) {
    *v = is_date ? (__int128)days * 86400 : (__int128)ts;
    *scale = is_date ? 0 : 6;
  } else if (field_is(field, "week")) {
    /* ISO 8601 week: the week with the year's first Thursday is week 1 */
    int64_t thursday = days - ((orb_dow(days) + 6) % 7) + 3;
    int64_t ty;
    int tmon, tday;
    orb_civil_from_days(thursday, &ty, &tmon, &tday);
    *v = (thursday - orb_days_from_civil(ty, 1, 1)) / 7 + 1;
  } else {
    return bad_unit(field, source_type_name(src), e);
  }
  /* dates have no time-of-day fields */
  if (is_date && (field_is(field, "hour") || field_is(field, "hours") || field_is(field, "minute") ||
                  field_is(field, "minutes") || field_is(field, "second") || field_is(field, "seconds") ||
                  field_is(field, "milliseconds") || field_is(field, "microseconds")))
    return unit_error(field, "not supported", "date", e);
  return ORB_OK;
}

EVAL(f_extract) {
  UNUSED;
  __int128 v = 0;
  int scale = 0;
  orb_status st = field_of(&a[0], &a[1], &v, &scale, e);
  if (st != ORB_OK) return st;
  if (rt.id == ORB_T_DECIMAL) *out = orb_decimal(v, scale);
  else *out = orb_float(ORB_T_FLOAT64, orb_decimal_to_double(v, scale));
  return ORB_OK;
}

EVAL(f_date_trunc) {
  UNUSED;
  const orb_value *fl = &a[0];
  if (a[1].type == ORB_T_INTERVAL) {
    orb_interval iv = a[1].u.iv;
    if (field_is(fl, "year")) iv.months = iv.months / 12 * 12, iv.days = 0, iv.micros = 0;
    else if (field_is(fl, "month")) iv.days = 0, iv.micros = 0;
    else if (field_is(fl, "day")) iv.micros = 0;
    else if (field_is(fl, "hour")) iv.micros -= iv.micros % ORB_USECS_PER_HOUR;
    else if (field_is(fl, "minute")) iv.micros -= iv.micros % (60 * ORB_USECS_PER_SEC);
    else if (field_is(fl, "second")) iv.micros -= iv.micros % ORB_USECS_PER_SEC;
    else return bad_unit(fl, "interval", e);
    *out = a[1];
    out->u.iv = iv;
    return ORB_OK;
  }
  orb_tm tm;
  orb_tm_from_ts(a[1].u.i, &tm);
  int64_t days = orb_floor_div(a[1].u.i, ORB_USECS_PER_DAY);
  if (field_is(fl, "microseconds")) {
    *out = a[1];
    return ORB_OK;
  }
  if (field_is(fl, "week")) {
    int64_t monday = days - (orb_dow(days) + 6) % 7;
    *out = orb_int((orb_type_id)a[1].type, monday * ORB_USECS_PER_DAY);
    return ORB_OK;
  }
  if (field_is(fl, "milliseconds")) tm.usec -= tm.usec % 1000;
  else if (field_is(fl, "second")) tm.usec = 0;
  else if (field_is(fl, "minute")) tm.sec = tm.usec = 0;
  else if (field_is(fl, "hour")) tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "day")) tm.hour = tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "month")) tm.day = 1, tm.hour = tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "quarter")) tm.month = (tm.month - 1) / 3 * 3 + 1, tm.day = 1, tm.hour = tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "year")) tm.month = tm.day = 1, tm.hour = tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "decade")) tm.year -= tm.year % 10, tm.month = tm.day = 1, tm.hour = tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "century"))
    tm.year = (tm.year - 1) / 100 * 100 + 1, tm.month = tm.day = 1, tm.hour = tm.min = tm.sec = tm.usec = 0;
  else if (field_is(fl, "millennium"))
    tm.year = (tm.year - 1) / 1000 * 1000 + 1, tm.month = tm.day = 1, tm.hour = tm.min = tm.sec = tm.usec = 0;
  else return bad_unit(fl, "timestamp without time zone", e);
  int64_t ts;
  orb_status st = orb_ts_from_tm(&tm, &ts, e);
  if (st == ORB_OK) *out = orb_int((orb_type_id)a[1].type, ts);
  return st;
}

/* age(a, b): years/months/days difference as PostgreSQL's symbolic result */
EVAL(f_age) {
  UNUSED;
  int64_t x = a[0].u.i, y = n > 1 ? a[1].u.i : orb_floor_div(ctx->stmt_time, ORB_USECS_PER_DAY) * ORB_USECS_PER_DAY;
  if (n == 1) {
    int64_t t = x;
    x = y;
    y = t;
  }
  bool neg = x < y;
  if (neg) {
    int64_t t = x;
    x = y;
    y = t;
  }
  orb_tm tx, ty;
  orb_tm_from_ts(x, &tx);
  orb_tm_from_ts(y, &ty);
  int64_t us = ((int64_t)(tx.hour - ty.hour) * 3600 + (tx.min - ty.min) * 60 + (tx.sec - ty.sec)) * ORB_USECS_PER_SEC +
               (tx.usec - ty.usec);
  int64_t days = tx.day - ty.day;
  int64_t months = (tx.year - ty.year) * 12 + (tx.month - ty.month);
  if (us < 0) {
    us += ORB_USECS_PER_DAY;
    days--;
  }
  if (days < 0) {
    /* as PostgreSQL's age(): borrow the length of the earlier date's month */
    days += orb_days_in_month(ty.year, ty.month);
    months--;
  }
  orb_value v = orb_null(ORB_T_INTERVAL);
  v.isnull = 0;
  v.u.iv.months = (int32_t)(neg ? -months : months);
  v.u.iv.days = (int32_t)(neg ? -days : days);
  v.u.iv.micros = neg ? -us : us;
  *out = v;
  return ORB_OK;
}

EVAL(f_make_date) {
  UNUSED;
  int64_t y = a[0].u.i, m = a[1].u.i, d = a[2].u.i;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > orb_days_in_month(y, (int)m))
    return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "date field value out of range: %lld-%02lld-%02lld", (long long)y,
                        (long long)m, (long long)d);
  *out = orb_int(ORB_T_DATE, orb_days_from_civil(y, (int)m, (int)d));
  return ORB_OK;
}

EVAL(f_to_timestamp) {
  UNUSED;
  double s = a[0].u.f;
  if (isnan(s) || fabs(s) > 9.2e12) return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "timestamp out of range");
  *out = orb_int(ORB_T_TIMESTAMPTZ, (int64_t)llrint(s * 1e6));
  return ORB_OK;
}

const orb_func orb_funcs_datetime[] = {
    {"now", 0, 0, ORB_FN_STABLE, r_now, f_now},
    {"current_timestamp", 0, 0, ORB_FN_STABLE, r_now, f_now},
    {"transaction_timestamp", 0, 0, ORB_FN_STABLE, r_now, f_now},
    {"statement_timestamp", 0, 0, ORB_FN_STABLE, r_now, f_now},
    {"localtimestamp", 0, 0, ORB_FN_STABLE, r_localts, f_now},
    {"current_date", 0, 0, ORB_FN_STABLE, r_today, f_today},
    {"extract", 2, 2, 0, r_extract, f_extract},
    {"date_part", 2, 2, 0, r_extract, f_extract},
    {"date_trunc", 2, 2, 0, r_trunc, f_date_trunc},
    {"age", 1, 2, ORB_FN_STABLE, r_age, f_age},
    {"make_date", 3, 3, 0, r_make_date, f_make_date},
    {"to_timestamp", 1, 1, 0, r_to_timestamp, f_to_timestamp},
    {"pg_sleep", 1, 1, ORB_FN_VOLATILE, r_sleep, f_sleep},
};
const int orb_nfuncs_datetime = sizeof orb_funcs_datetime / sizeof orb_funcs_datetime[0];
