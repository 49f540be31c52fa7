/* types/datetime.c — calendar conversions and date/time arithmetic (see datetime.h). */
#include "types/datetime.h"

#include <math.h>

#include "types/value.h"

/* Timestamps run from 0001-01-01 to the end of 64-bit microseconds since 1970 (PostgreSQL counts from 2000, so its last year, 294276, is 30 years later). */
#define MIN_TS (-62135596800LL * ORB_USECS_PER_SEC)
#define MAX_TS INT64_MAX /* about 294247 AD: microseconds since 1970 in 64 bits */

int64_t orb_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* Howard Hinnant's days-from-civil algorithm (public domain description). */
int64_t orb_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = orb_floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void orb_civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = orb_floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int orb_days_in_month(int64_t year, int month) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return dm[month - 1];
}

int orb_dow(int64_t days) {
  int64_t w = (days + 4) % 7;   /* 1970-01-01 was a Thursday */
  return (int)(w < 0 ? w + 7 : w);
}

void orb_tm_from_ts(int64_t ts, orb_tm *tm) {
  int64_t days = orb_floor_div(ts, ORB_USECS_PER_DAY);
  int64_t us = ts - days * ORB_USECS_PER_DAY;
  orb_civil_from_days(days, &tm->year, &tm->month, &tm->day);
  tm->hour = (int)(us / ORB_USECS_PER_HOUR);
  us -= (int64_t)tm->hour * ORB_USECS_PER_HOUR;
  tm->min = (int)(us / (60 * ORB_USECS_PER_SEC));
  us -= (int64_t)tm->min * 60 * ORB_USECS_PER_SEC;
  tm->sec = (int)(us / ORB_USECS_PER_SEC);
  tm->usec = (int)(us - (int64_t)tm->sec * ORB_USECS_PER_SEC);
}

static orb_status ts_range(orb_err *e) {
  return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "timestamp out of range");
}

orb_status orb_ts_from_tm(const orb_tm *tm, int64_t *ts, orb_err *e) {
  if (tm->year < 1 || tm->year > 294276) return ts_range(e);
  int64_t days = orb_days_from_civil(tm->year, tm->month, tm->day);
  __int128 v = (__int128)days * ORB_USECS_PER_DAY + (__int128)tm->hour * ORB_USECS_PER_HOUR +
               (__int128)tm->min * 60 * ORB_USECS_PER_SEC + (__int128)tm->sec * ORB_USECS_PER_SEC + tm->usec;
  if (v < MIN_TS || v > MAX_TS) return ts_range(e);
  *ts = (int64_t)v;
  return ORB_OK;
}

orb_status orb_timestamp_add_interval(int64_t ts, const orb_interval *iv, int sign, int64_t *out, orb_err *e) {
  int64_t t = ts;
  if (iv->months) {
    orb_tm tm;
    orb_tm_from_ts(t, &tm);
    int64_t m = tm.year * 12 + (tm.month - 1) + (int64_t)sign * iv->months;
    tm.year = orb_floor_div(m, 12);
    tm.month = (int)(m - tm.year * 12) + 1;
    if (tm.year < 1 || tm.year > 294276) return ts_range(e);
    int dim = orb_days_in_month(tm.year, tm.month);
    if (tm.day > dim) tm.day = dim;
    orb_status st = orb_ts_from_tm(&tm, &t, e);
    if (st != ORB_OK) return st;
  }
  __int128 v = (__int128)t + (__int128)sign * ((__int128)iv->days * ORB_USECS_PER_DAY + iv->micros);
  if (v < MIN_TS || v > MAX_TS) return ts_range(e);
  *out = (int64_t)v;
  return ORB_OK;
}

orb_interval orb_timestamp_diff(int64_t a, int64_t b) {
  orb_interval r = {0, 0, 0};
  int64_t d = a - b;
  /* justify_hours: whole days out of the microseconds, same sign for both */
  r.days = (int32_t)(d / ORB_USECS_PER_DAY);
  r.micros = d - (int64_t)r.days * ORB_USECS_PER_DAY;
  return r;
}

__int128 orb_interval_key(const orb_interval *iv) {
  return ((__int128)iv->months * 30 + iv->days) * ORB_USECS_PER_DAY + iv->micros;
}

static orb_status iv_range(orb_err *e) { return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "interval out of range"); }

orb_status orb_interval_add(const orb_interval *a, const orb_interval *b, int sign, orb_interval *out, orb_err *e) {
  int64_t m = (int64_t)a->months + (int64_t)sign * b->months, d = (int64_t)a->days + (int64_t)sign * b->days;
  int64_t us;
  if (m < INT32_MIN || m > INT32_MAX || d < INT32_MIN || d > INT32_MAX) return iv_range(e);
  if (__builtin_add_overflow(a->micros, sign * b->micros, &us)) return iv_range(e);
  out->months = (int32_t)m;
  out->days = (int32_t)d;
  out->micros = us;
  return ORB_OK;
}

/* PostgreSQL's interval_mul: fractional months cascade to days (30 per month),
** fractional days to microseconds (24 hours per day). */
orb_status orb_interval_mul(const orb_interval *a, double f, orb_interval *out, orb_err *e) {
  if (isnan(f) || isinf(f)) return iv_range(e);
  double months = a->months * f;
  double days = a->days * f;
  if (fabs(months) > INT32_MAX || fabs(days) > INT32_MAX) return iv_range(e);
  int32_t rm = (int32_t)months;
  double month_rem = months - rm;
  double sdays = month_rem * ORB_DAYS_PER_MONTH;
  int32_t whole_from_months = (int32_t)sdays;
  double day_rem = sdays - whole_from_months;
  int32_t rd = (int32_t)days;
  day_rem += days - rd;
  double us = (double)a->micros * f + day_rem * (double)ORB_USECS_PER_DAY;
  if (fabs(us) > 9.2e18) return iv_range(e);
  out->months = rm;
  int64_t td = (int64_t)rd + whole_from_months;
  if (td < INT32_MIN || td > INT32_MAX) return iv_range(e);
  out->days = (int32_t)td;
  out->micros = (int64_t)llrint(us);
  return ORB_OK;
}

orb_status orb_interval_div(const orb_interval *a, double divisor, orb_interval *out, orb_err *e) {
  if (divisor == 0) return orb_err_setx(e, ORB_ERR_DIVZERO, "22012", 0, "division by zero");
  return orb_interval_mul(a, 1.0 / divisor, out, e);
}

orb_status orb_interval_neg(const orb_interval *a, orb_interval *out, orb_err *e) {
  if (a->months == INT32_MIN || a->days == INT32_MIN || a->micros == INT64_MIN) return iv_range(e);
  out->months = -a->months;
  out->days = -a->days;
  out->micros = -a->micros;
  return ORB_OK;
}
