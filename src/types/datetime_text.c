/* types/datetime_text.c — reading and printing dates, times, timestamps and
** intervals as PostgreSQL does (DateStyle ISO, IntervalStyle postgres, UTC). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "types/datetime.h"
#include "types/value.h"

static orb_status bad(const char *type, const char *s, size_t n, orb_err *e) {
  int len = n > 200 ? 200 : (int)n;
  return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22007", 0, "invalid input syntax for type %s: \"%.*s\"", type, len, s);
}

static orb_status out_of_range(const char *s, size_t n, orb_err *e) {
  int len = n > 200 ? 200 : (int)n;
  return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "date/time field value out of range: \"%.*s\"", len, s);
}

typedef struct cursor {
  const char *s;
  size_t n, i;
} cursor;

static void skip_blanks(cursor *c) {
  while (c->i < c->n && isspace((unsigned char)c->s[c->i])) c->i++;
}

/* Up to maxd digits; returns the count read. */
static int digits(cursor *c, int maxd, int64_t *v) {
  int k = 0;
  *v = 0;
  while (c->i < c->n && isdigit((unsigned char)c->s[c->i]) && k < maxd) {
    *v = *v * 10 + (c->s[c->i++] - '0');
    k++;
  }
  return k;
}

/* .ffffff -> microseconds, rounded half up at the 7th digit */
static int64_t fraction(cursor *c) {
  int64_t us = 0;
  int k = 0;
  while (c->i < c->n && isdigit((unsigned char)c->s[c->i])) {
    if (k < 6) us = us * 10 + (c->s[c->i] - '0');
    else if (k == 6 && c->s[c->i] >= '5') us++;
    k++;
    c->i++;
  }
  for (; k < 6; k++) us *= 10;
  return us;
}

/* HH:MM[:SS[.ffffff]] into microseconds; *ok false if no time is there. */
static bool parse_clock(cursor *c, int64_t *hour, int64_t *min, int64_t *sec, int64_t *us) {
  size_t save = c->i;
  *hour = *min = *sec = *us = 0;
  if (digits(c, 2, hour) == 0 || c->i >= c->n || c->s[c->i] != ':') {
    c->i = save;
    return false;
  }
  c->i++;
  if (digits(c, 2, min) != 2) {
    c->i = save;
    return false;
  }
  if (c->i < c->n && c->s[c->i] == ':') {
    c->i++;
    if (digits(c, 2, sec) != 2) {
      c->i = save;
      return false;
    }
    if (c->i < c->n && c->s[c->i] == '.') {
      c->i++;
      *us = fraction(c);
    }
  }
  return true;
}

/* Zone suffix: Z, UTC, GMT, +HH, +HH:MM, +HHMM (seconds east of UTC). */
static bool parse_zone(cursor *c, int64_t *offset) {
  skip_blanks(c);
  *offset = 0;
  if (c->i >= c->n) return true;
  const char *p = c->s + c->i;
  size_t rest = c->n - c->i;
  if ((rest == 1 && (*p == 'z' || *p == 'Z')) || (rest == 3 && (strncasecmp(p, "utc", 3) == 0 || strncasecmp(p, "gmt", 3) == 0))) {
    c->i = c->n;
    return true;
  }
  if (*p != '+' && *p != '-') return false;
  int sign = *p == '-' ? -1 : 1;
  c->i++;
  int64_t hh, mm = 0;
  int k = digits(c, 2, &hh);
  if (k == 0) return false;
  if (c->i < c->n && c->s[c->i] == ':') {
    c->i++;
    if (digits(c, 2, &mm) != 2) return false;
  } else if (k == 2 && c->i < c->n && isdigit((unsigned char)c->s[c->i])) {
    if (digits(c, 2, &mm) != 2) return false;
  }
  if (hh > 15 || mm > 59) return false;
  *offset = sign * (hh * 3600 + mm * 60);
  skip_blanks(c);
  return c->i == c->n;
}

/* [YYYY-MM-DD | YYYYMMDD | YYYY/MM/DD] */
static bool parse_ymd(cursor *c, int64_t *y, int64_t *m, int64_t *d) {
  size_t save = c->i;
  int k = digits(c, 8, y);
  if (k == 8 && (c->i >= c->n || !isdigit((unsigned char)c->s[c->i]))) {
    int64_t v = *y;
    *y = v / 10000;
    *m = v / 100 % 100;
    *d = v % 100;
    return true;
  }
  c->i = save;
  k = digits(c, 7, y);
  if (k == 0 || c->i >= c->n || (c->s[c->i] != '-' && c->s[c->i] != '/')) {
    c->i = save;
    return false;
  }
  char sep = c->s[c->i++];
  if (digits(c, 2, m) == 0 || c->i >= c->n || c->s[c->i] != sep) {
    c->i = save;
    return false;
  }
  c->i++;
  if (digits(c, 2, d) == 0) {
    c->i = save;
    return false;
  }
  return true;
}

static bool valid_date(int64_t y, int64_t m, int64_t d) {
  return y >= 1 && y <= 294276 && m >= 1 && m <= 12 && d >= 1 && d <= orb_days_in_month(y, (int)m);
}

/* Shared by date and timestamp input. */
static orb_status parse_ts(const char *s, size_t n, bool with_tz, const char *type, int64_t *ts, orb_err *e) {
  cursor c = {s, n, 0};
  skip_blanks(&c);
  size_t rest = n - c.i;
  while (rest && isspace((unsigned char)s[c.i + rest - 1])) rest--;
  if (rest == 5 && strncasecmp(s + c.i, "epoch", 5) == 0) {
    *ts = 0;
    return ORB_OK;
  }
  if ((rest == 8 && strncasecmp(s + c.i, "infinity", 8) == 0) || (rest == 9 && strncasecmp(s + c.i, "-infinity", 9) == 0))
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "infinite %s values are not supported", type);
  int64_t y, m, d;
  if (!parse_ymd(&c, &y, &m, &d)) return bad(type, s, n, e);
  int64_t hh = 0, mi = 0, ss = 0, us = 0;
  if (c.i < c.n && (c.s[c.i] == 'T' || c.s[c.i] == 't' || isspace((unsigned char)c.s[c.i]))) {
    size_t save = c.i;
    c.i++;
    skip_blanks(&c);
    if (!parse_clock(&c, &hh, &mi, &ss, &us)) c.i = save;
  }
  int64_t offset = 0;
  if (!parse_zone(&c, &offset)) {
    skip_blanks(&c);
    if (c.i + 2 <= c.n && strncasecmp(c.s + c.i, "bc", 2) == 0)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "dates before the Christian era are not supported");
    return bad(type, s, n, e);
  }
  if (!valid_date(y, m, d) || hh > 24 || mi > 59 || ss > 60 || (hh == 24 && (mi || ss || us))) {
    orb_status st = out_of_range(s, n, e);
    /* a month or day no month has: maybe the fields were meant in another order */
    if (m < 1 || m > 12 || d < 1 || d > 31) orb_err_hint(e, "Perhaps you need a different \"datestyle\" setting.");
    return st;
  }
  orb_tm tm = {y, (int)m, (int)d, 0, 0, 0, 0};
  int64_t base;
  orb_status st = orb_ts_from_tm(&tm, &base, e);
  if (st != ORB_OK) return st;
  __int128 v = (__int128)base + (__int128)hh * ORB_USECS_PER_HOUR + (__int128)mi * 60 * ORB_USECS_PER_SEC +
               (__int128)ss * ORB_USECS_PER_SEC + us;
  if (with_tz) v -= (__int128)offset * ORB_USECS_PER_SEC;
  if (v > INT64_MAX || v < INT64_MIN) return orb_err_setx(e, ORB_ERR_RANGE, "22008", 0, "timestamp out of range");
  *ts = (int64_t)v;
  return ORB_OK;
}

orb_status orb_date_parse(const char *s, size_t n, int64_t *days, orb_err *e) {
  int64_t ts;
  orb_status st = parse_ts(s, n, false, "date", &ts, e);
  if (st == ORB_OK) *days = orb_floor_div(ts, ORB_USECS_PER_DAY);
  return st;
}

orb_status orb_timestamp_parse(const char *s, size_t n, bool with_tz, int64_t *ts, orb_err *e) {
  return parse_ts(s, n, with_tz, with_tz ? "timestamp with time zone" : "timestamp", ts, e);
}

orb_status orb_time_parse(const char *s, size_t n, int64_t *usecs, orb_err *e) {
  cursor c = {s, n, 0};
  skip_blanks(&c);
  int64_t hh, mi, ss, us, off;
  if (!parse_clock(&c, &hh, &mi, &ss, &us) || !parse_zone(&c, &off)) return bad("time", s, n, e);
  if (hh > 24 || mi > 59 || ss > 60 || (hh == 24 && (mi || ss || us))) return out_of_range(s, n, e);
  *usecs = hh * ORB_USECS_PER_HOUR + mi * 60 * ORB_USECS_PER_SEC + ss * ORB_USECS_PER_SEC + us;
  return ORB_OK;
}

/* --- intervals ------------------------------------------------------------------- */

typedef struct iv_acc {
  double months, days, micros;
} iv_acc;

/* Add `v` of the named unit; false if the unit is unknown. */
static bool add_unit(iv_acc *a, double v, const char *u, size_t n) {
  static const struct {
    const char *name;
    int kind;      /* 0 micros, 1 days, 2 months */
    double factor;
  } units[] = {
      {"microsecond", 0, 1},        {"microseconds", 0, 1},      {"us", 0, 1},           {"usec", 0, 1},
      {"usecs", 0, 1},              {"millisecond", 0, 1e3},     {"milliseconds", 0, 1e3}, {"ms", 0, 1e3},
      {"msec", 0, 1e3},             {"msecs", 0, 1e3},           {"second", 0, 1e6},     {"seconds", 0, 1e6},
      {"s", 0, 1e6},                {"sec", 0, 1e6},             {"secs", 0, 1e6},       {"minute", 0, 6e7},
      {"minutes", 0, 6e7},          {"m", 0, 6e7},               {"min", 0, 6e7},        {"mins", 0, 6e7},
      {"hour", 0, 3.6e9},           {"hours", 0, 3.6e9},         {"h", 0, 3.6e9},        {"hr", 0, 3.6e9},
      {"hrs", 0, 3.6e9},            {"day", 1, 1},               {"days", 1, 1},         {"d", 1, 1},
      {"week", 1, 7},               {"weeks", 1, 7},             {"w", 1, 7},            {"month", 2, 1},
      {"months", 2, 1},             {"mon", 2, 1},               {"mons", 2, 1},         {"year", 2, 12},
      {"years", 2, 12},             {"y", 2, 12},                {"yr", 2, 12},          {"yrs", 2, 12},
      {"decade", 2, 120},           {"decades", 2, 120},         {"century", 2, 1200},   {"centuries", 2, 1200},
      {"millennium", 2, 12000},     {"millennia", 2, 12000},
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strlen(units[i].name) != n || strncasecmp(units[i].name, u, n) != 0) continue;
    double x = v * units[i].factor;
    if (units[i].kind == 0) a->micros += x;
    else if (units[i].kind == 1) a->days += x;
    else a->months += x;
    return true;
  }
  return false;
}

/* Fractions cascade down: months -> days (30), days -> microseconds (24 h). */
static orb_status iv_finish(const iv_acc *a, orb_interval *out, const char *s, size_t n, orb_err *e) {
  double m = trunc(a->months);
  double days = a->days + (a->months - m) * ORB_DAYS_PER_MONTH;
  double d = trunc(days);
  double us = a->micros + (days - d) * (double)ORB_USECS_PER_DAY;
  if (fabs(m) > INT32_MAX || fabs(d) > INT32_MAX || fabs(us) > 9.2e18) {
    int len = n > 200 ? 200 : (int)n;
    return orb_err_setx(e, ORB_ERR_RANGE, "22015", 0, "interval field value out of range: \"%.*s\"", len, s);
  }
  out->months = (int32_t)m;
  out->days = (int32_t)d;
  out->micros = (int64_t)llrint(us);
  return ORB_OK;
}

static orb_status parse_iso_interval(const char *s, size_t n, orb_interval *out, orb_err *e) {
  iv_acc a = {0, 0, 0};
  bool time = false;
  size_t i = 1;
  while (i < n) {
    if (s[i] == 'T' || s[i] == 't') {
      time = true;
      i++;
      continue;
    }
    char *end;
    char buf[64];
    size_t k = 0;
    while (i + k < n && k < 63 && (isdigit((unsigned char)s[i + k]) || s[i + k] == '.' || s[i + k] == '-' || s[i + k] == '+'))
      k++;
    if (k == 0 || i + k >= n) return bad("interval", s, n, e);
    memcpy(buf, s + i, k);
    buf[k] = '\0';
    double v = strtod(buf, &end);
    if (*end) return bad("interval", s, n, e);
    char u = (char)toupper((unsigned char)s[i + k]);
    i += k + 1;
    if (u == 'Y' && !time) a.months += v * 12;
    else if (u == 'M' && !time) a.months += v;
    else if (u == 'W' && !time) a.days += v * 7;
    else if (u == 'D' && !time) a.days += v;
    else if (u == 'H' && time) a.micros += v * 3.6e9;
    else if (u == 'M' && time) a.micros += v * 6e7;
    else if (u == 'S' && time) a.micros += v * 1e6;
    else return bad("interval", s, n, e);
  }
  return iv_finish(&a, out, s, n, e);
}

orb_status orb_interval_parse(const char *s, size_t n, orb_interval *out, orb_err *e) {
  cursor c = {s, n, 0};
  skip_blanks(&c);
  if (c.i < n && (s[c.i] == 'P' || s[c.i] == 'p') && c.i + 1 < n) {
    size_t end = n;
    while (end > c.i && isspace((unsigned char)s[end - 1])) end--;
    return parse_iso_interval(s + c.i, end - c.i, out, e);
  }
  if (c.i < n && s[c.i] == '@') c.i++;
  iv_acc a = {0, 0, 0};
  bool any = false, ago = false;
  for (;;) {
    skip_blanks(&c);
    if (c.i >= n) break;
    if (ago) return bad("interval", s, n, e);
    /* a clock: [-]HH:MM[:SS[.f]] */
    size_t save = c.i;
    int sign = 1;
    if (s[c.i] == '-' || s[c.i] == '+') {
      sign = s[c.i] == '-' ? -1 : 1;
      c.i++;
    }
    int64_t hh, mi, ss, us;
    if (parse_clock(&c, &hh, &mi, &ss, &us)) {
      /* the clock's hours are not limited to 24 here */
      a.micros += sign * (double)(hh * ORB_USECS_PER_HOUR + mi * 60 * ORB_USECS_PER_SEC + ss * ORB_USECS_PER_SEC + us);
      any = true;
      continue;
    }
    c.i = save;
    /* number [unit] */
    char buf[64];
    size_t k = 0;
    while (c.i + k < n && k < 63 &&
           (isdigit((unsigned char)s[c.i + k]) || s[c.i + k] == '.' || ((s[c.i + k] == '-' || s[c.i + k] == '+') && k == 0)))
      k++;
    if (k > 0) {
      memcpy(buf, s + c.i, k);
      buf[k] = '\0';
      char *end;
      double v = strtod(buf, &end);
      if (*end || end == buf) return bad("interval", s, n, e);
      c.i += k;
      skip_blanks(&c);
      size_t u0 = c.i;
      while (c.i < n && isalpha((unsigned char)s[c.i])) c.i++;
      if (c.i == u0) {
        a.micros += v * 1e6;   /* a bare number counts seconds */
      } else if (!add_unit(&a, v, s + u0, c.i - u0)) {
        return bad("interval", s, n, e);
      }
      any = true;
      continue;
    }
    size_t w0 = c.i;
    while (c.i < n && isalpha((unsigned char)s[c.i])) c.i++;
    if (c.i - w0 == 3 && strncasecmp(s + w0, "ago", 3) == 0 && any) {
      ago = true;
      continue;
    }
    return bad("interval", s, n, e);
  }
  if (!any) return bad("interval", s, n, e);
  if (ago) {
    a.months = -a.months;
    a.days = -a.days;
    a.micros = -a.micros;
  }
  return iv_finish(&a, out, s, n, e);
}

orb_status orb_interval_from_text_unit(const char *s, size_t n, const char *unit, orb_interval *out, orb_err *e) {
  /* the last field the qualifier keeps: "day to second" keeps everything down to seconds */
  const char *last = strrchr(unit, ' ');
  last = last ? last + 1 : unit;
  cursor c = {s, n, 0};
  skip_blanks(&c);
  char *end;
  char buf[64];
  size_t len = n - c.i;
  while (len && isspace((unsigned char)s[c.i + len - 1])) len--;
  orb_status st;
  if (len > 0 && len < sizeof buf) {
    memcpy(buf, s + c.i, len);
    buf[len] = '\0';
    double v = strtod(buf, &end);
    if (!*end && end != buf) {
      /* a bare number counts in the qualifier's last field (INTERVAL '1' YEAR) */
      iv_acc a = {0, 0, 0};
      add_unit(&a, v, last, strlen(last));
      return iv_finish(&a, out, s, n, e);
    }
  }
  if ((st = orb_interval_parse(s, n, out, e)) != ORB_OK) return st;
  if (strcmp(last, "year") == 0) {
    out->months = out->months / 12 * 12;
    out->days = 0;
    out->micros = 0;
  } else if (strcmp(last, "month") == 0) {
    out->days = 0;
    out->micros = 0;
  } else if (strcmp(last, "day") == 0) {
    out->micros = 0;
  } else if (strcmp(last, "hour") == 0) {
    out->micros = out->micros / ORB_USECS_PER_HOUR * ORB_USECS_PER_HOUR;
  } else if (strcmp(last, "minute") == 0) {
    out->micros = out->micros / (60 * ORB_USECS_PER_SEC) * (60 * ORB_USECS_PER_SEC);
  }
  return ORB_OK;
}

/* --- output ------------------------------------------------------------------------- */

static void put_fraction(int64_t us, orb_buf *out) {
  if (us == 0) return;
  char f[8];
  int n = 6;
  for (int i = 5; i >= 0; i--) {
    f[i] = (char)('0' + us % 10);
    us /= 10;
  }
  while (n > 0 && f[n - 1] == '0') n--;
  orb_buf_putc(out, '.');
  orb_buf_append(out, f, (size_t)n);
}

void orb_date_format(int64_t days, orb_buf *out) {
  int64_t y;
  int m, d;
  orb_civil_from_days(days, &y, &m, &d);
  orb_buf_printf(out, "%04lld-%02d-%02d", (long long)y, m, d);
}

void orb_time_format(int64_t usecs, orb_buf *out) {
  int64_t h = usecs / ORB_USECS_PER_HOUR, rest = usecs % ORB_USECS_PER_HOUR;
  orb_buf_printf(out, "%02lld:%02lld:%02lld", (long long)h, (long long)(rest / 60000000),
                 (long long)(rest % 60000000 / 1000000));
  put_fraction(rest % 1000000, out);
}

void orb_timestamp_format(int64_t ts, bool with_tz, orb_buf *out) {
  orb_tm tm;
  orb_tm_from_ts(ts, &tm);
  orb_buf_printf(out, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec);
  put_fraction(tm.usec, out);
  if (with_tz) orb_buf_puts(out, "+00");
}

/* PostgreSQL's IntervalStyle postgres: "1 year 2 mons -3 days +04:05:06". */
static void int_part(orb_buf *out, int64_t v, const char *unit, bool *is_zero, bool *is_before) {
  if (v == 0) return;
  orb_buf_printf(out, "%s%s%lld %s%s", *is_zero ? "" : " ", (*is_before && v > 0) ? "+" : "", (long long)v, unit,
                 v != 1 ? "s" : "");
  *is_before = v < 0;
  *is_zero = false;
}

void orb_interval_format(const orb_interval *iv, orb_buf *out) {
  bool is_zero = true, is_before = false;
  int64_t years = iv->months / 12, mons = iv->months % 12;
  int_part(out, years, "year", &is_zero, &is_before);
  int_part(out, mons, "mon", &is_zero, &is_before);
  int_part(out, iv->days, "day", &is_zero, &is_before);
  if (is_zero || iv->micros != 0) {
    int64_t us = iv->micros;
    bool minus = us < 0;
    uint64_t a = minus ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    uint64_t h = a / (uint64_t)ORB_USECS_PER_HOUR, rest = a % (uint64_t)ORB_USECS_PER_HOUR;
    orb_buf_printf(out, "%s%s%02llu:%02llu:%02llu", is_zero ? "" : " ", minus ? "-" : (is_before ? "+" : ""),
                   (unsigned long long)h, (unsigned long long)(rest / 60000000),
                   (unsigned long long)(rest % 60000000 / 1000000));
    put_fraction((int64_t)(rest % 1000000), out);
  }
}
