/*
** types/datetime.h — calendar arithmetic and the text forms of DATE, TIME,
** TIMESTAMP, TIMESTAMPTZ and INTERVAL, as PostgreSQL 15 reads and prints them
** with DateStyle ISO and IntervalStyle postgres, session time zone UTC.
**
** Representations (types.h): DATE days since 1970-01-01; TIME microseconds
** since midnight; TIMESTAMP[TZ] microseconds since 1970-01-01 00:00:00 (UTC
** for TIMESTAMPTZ); INTERVAL {months, days, micros}.  The proleptic
** Gregorian calendar is used; years 1..294000 AD are accepted (BC dates and
** 'infinity' are rejected with a clear error).
**
** Input accepted:
**   date       2026-01-01, 20260101, 2026/01/01, 'epoch'
**   time       10:00, 10:00:00, 10:00:00.123456 (a zone suffix is ignored)
**   timestamp  <date>[( |T)<time>][zone]; zone = Z | UTC | +HH | +HH:MM | +HHMM | -...
**              A zone is applied (converted to UTC) for TIMESTAMPTZ and
**              ignored for TIMESTAMP, as PostgreSQL does.
**   interval   '1 year 2 months 3 days 04:05:06.5', '3 hours', '-1 week',
**              '1.5 days', '2 days ago', '@ 1 day', ISO 8601 'P1Y2M3DT4H5M6S';
**              orb_interval_from_text_unit() handles INTERVAL '1' YEAR forms.
** Errors: 22007 invalid input syntax for type <t>: "<text>", 22008
** date/time field value out of range: "<text>", 22008 timestamp out of range.
*/
#ifndef ORB_TYPES_DATETIME_H
#define ORB_TYPES_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "types/types.h"

#define ORB_USECS_PER_SEC 1000000LL
#define ORB_USECS_PER_HOUR 3600000000LL
#define ORB_DAYS_PER_MONTH 30

/* Broken-down timestamp (UTC). */
typedef struct orb_tm {
  int64_t year;
  int month, day, hour, min, sec;
  int usec;
} orb_tm;

void orb_tm_from_ts(int64_t ts, orb_tm *tm);
/* Range-checked inverse: ORB_ERR_RANGE "timestamp out of range". */
orb_status orb_ts_from_tm(const orb_tm *tm, int64_t *ts, orb_err *e);
int orb_days_in_month(int64_t year, int month);
/* Day of week of a day number: 0 = Sunday. */
int orb_dow(int64_t days);
int64_t orb_floor_div(int64_t a, int64_t b);

/* --- text ------------------------------------------------------------------ */
orb_status orb_date_parse(const char *s, size_t n, int64_t *days, orb_err *e);
orb_status orb_time_parse(const char *s, size_t n, int64_t *usecs, orb_err *e);
orb_status orb_timestamp_parse(const char *s, size_t n, bool with_tz, int64_t *ts, orb_err *e);
orb_status orb_interval_parse(const char *s, size_t n, orb_interval *out, orb_err *e);
/* INTERVAL 'text' unit (unit: "year", "month", "day", "hour", "minute",
** "second", also "year to month", "day to second" ...): a bare number in s
** counts in `unit`; otherwise s is parsed as usual and fields smaller than
** the unit's last field are dropped, as PostgreSQL does. */
orb_status orb_interval_from_text_unit(const char *s, size_t n, const char *unit, orb_interval *out, orb_err *e);

void orb_date_format(int64_t days, orb_buf *out);
void orb_time_format(int64_t usecs, orb_buf *out);
void orb_timestamp_format(int64_t ts, bool with_tz, orb_buf *out);
void orb_interval_format(const orb_interval *iv, orb_buf *out);

/* --- arithmetic -------------------------------------------------------------- */
/* ts + sign*iv: months first (day of month clamped to the month's last day),
** then days, then microseconds; range errors "timestamp out of range". */
orb_status orb_timestamp_add_interval(int64_t ts, const orb_interval *iv, int sign, int64_t *out, orb_err *e);
/* a - b as PostgreSQL: whole days split off the microseconds (justify_hours). */
orb_interval orb_timestamp_diff(int64_t a, int64_t b);
/* The 128-bit sort key of an interval (months as 30 days, days as 24 hours). */
__int128 orb_interval_key(const orb_interval *iv);
orb_status orb_interval_add(const orb_interval *a, const orb_interval *b, int sign, orb_interval *out, orb_err *e);
orb_status orb_interval_mul(const orb_interval *a, double factor, orb_interval *out, orb_err *e);
orb_status orb_interval_div(const orb_interval *a, double divisor, orb_interval *out, orb_err *e);
orb_status orb_interval_neg(const orb_interval *a, orb_interval *out, orb_err *e);

#endif
