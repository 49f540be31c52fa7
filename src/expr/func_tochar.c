/* expr/func_tochar.c — to_char(value, format), PostgreSQL's formatting of
** dates, timestamps and numbers by a template (session time zone UTC,
** C locale: D is '.', G is ',').
**
** Date/time templates: HH HH12 HH24 MI SS MS US FF1-FF6 SSSS SSSSS, AM/PM
** (also am, A.M., a.m., ...), Y,YYY YYYY YYY YY Y, IYYY IYY IY I, BC/AD
** forms, MONTH Month month MON Mon mon MM, DAY Day day DY Dy dy, DDD IDDD DD
** D ID W WW IW CC J Q, RM rm, TZ tz TZH TZM OF; the FM prefix (no padding),
** FX (ignored), TH/th suffixes (ordinals); "quoted text"; anything else is
** copied.  Names are blank-padded to 9 characters (RM to 4) unless FM.
**
** Number templates: 9 0 . D , G S MI PL SG PR FM TH th EEEE RN; anything
** else is copied.  As in PostgreSQL a sign slot precedes the number unless
** S, MI, SG or PR places the sign; it and S and PR sit against the first
** printed digit; a number too wide for the template prints '#' in every
** digit position.  Not supported (42601 from PostgreSQL's own wording would
** mislead): L (currency) and V; they are refused with 0A000. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr/func_int.h"
#include "types/datetime.h"
#include "types/decimal.h"

/* --- dates and times ----------------------------------------------------------------- */

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const roman_months[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"};

typedef struct dt_fields {
  orb_tm tm;
  int64_t days;     /* days since 1970-01-01 */
  bool has_zone;    /* timestamptz: TZ prints UTC */
} dt_fields;

static const char *ordinal(int64_t n, bool upper) {
  int64_t m100 = (n < 0 ? -n : n) % 100, m10 = m100 % 10;
  const char *s = (m100 >= 11 && m100 <= 13) ? "th" : m10 == 1 ? "st" : m10 == 2 ? "nd" : m10 == 3 ? "rd" : "th";
  if (!upper) return s;
  return strcmp(s, "st") == 0 ? "ST" : strcmp(s, "nd") == 0 ? "ND" : strcmp(s, "rd") == 0 ? "RD" : "TH";
}

/* A name in the case the pattern was written: "MONTH", "Month" or "month". */
static void put_name(orb_buf *out, const char *name, size_t len, int letter_case, bool fm, int pad) {
  char tmp[16];
  size_t n = len < sizeof tmp ? len : sizeof tmp - 1;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (letter_case == 2 || (letter_case == 1 && i == 0)) c = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
    else c = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    tmp[i] = c;
  }
  orb_buf_append(out, tmp, n);
  for (size_t i = n; !fm && i < (size_t)pad; i++) orb_buf_putc(out, ' ');
}

/* ISO 8601 week-numbering year and week of a day number. */
static void iso_week(int64_t days, int64_t *iyear, int *iweek) {
  int isodow = (orb_dow(days) + 6) % 7;   /* 0 = Monday */
  int64_t thursday = days - isodow + 3;   /* the week belongs to its Thursday's year */
  orb_tm th;
  orb_tm_from_ts(thursday * 86400 * ORB_USECS_PER_SEC, &th);
  *iyear = th.year;
  *iweek = (int)((thursday - orb_days_from_civil(th.year, 1, 1)) / 7) + 1;
}

static int64_t day_of_year(const dt_fields *f) { return f->days - orb_days_from_civil(f->tm.year, 1, 1) + 1; }

/* The date/time keywords, longest first where one is a prefix of another. */
typedef enum dt_key {
  K_HH24, K_HH12, K_HH, K_MI, K_SSSSS, K_SSSS, K_SS, K_MS, K_US, K_FF, K_AMPM_DOTS, K_AMPM, K_YCOMMA, K_YYYY, K_YYY,
  K_YY, K_Y, K_IYYY, K_IYY, K_IY, K_IDDD, K_ID, K_IW, K_I, K_ERA_DOTS, K_ERA, K_MONTH, K_MON, K_MM, K_DAY, K_DY, K_DDD,
  K_DD, K_D, K_WW, K_W, K_CC, K_J, K_Q, K_RM, K_TZH, K_TZM, K_TZ, K_OF
} dt_key;

typedef struct dt_pattern {
  const char *text;
  dt_key key;
  bool exact_case;   /* the written case picks the output's case (names) */
} dt_pattern;

static const dt_pattern dt_patterns[] = {
    {"HH24", K_HH24, false}, {"HH12", K_HH12, false},   {"HH", K_HH, false},       {"MI", K_MI, false},
    {"SSSSS", K_SSSSS, false}, {"SSSS", K_SSSS, false}, {"SS", K_SS, false},       {"MS", K_MS, false},
    {"US", K_US, false},     {"FF", K_FF, false},       {"A.M.", K_AMPM_DOTS, true}, {"P.M.", K_AMPM_DOTS, true},
    {"AM", K_AMPM, true},    {"PM", K_AMPM, true},      {"Y,YYY", K_YCOMMA, false}, {"YYYY", K_YYYY, false},
    {"YYY", K_YYY, false},   {"YY", K_YY, false},       {"IYYY", K_IYYY, false},   {"IYY", K_IYY, false},
    {"IDDD", K_IDDD, false}, {"ID", K_ID, false},       {"IW", K_IW, false},       {"IY", K_IY, false},
    {"I", K_I, false},       {"A.D.", K_ERA_DOTS, true}, {"B.C.", K_ERA_DOTS, true}, {"AD", K_ERA, true},
    {"BC", K_ERA, true},     {"MONTH", K_MONTH, true},  {"MON", K_MON, true},      {"MM", K_MM, false},
    {"DAY", K_DAY, true},    {"DY", K_DY, true},        {"DDD", K_DDD, false},     {"DD", K_DD, false},
    {"D", K_D, false},       {"WW", K_WW, false},       {"W", K_W, false},         {"CC", K_CC, false},
    {"J", K_J, false},       {"Q", K_Q, false},         {"RM", K_RM, true},        {"TZH", K_TZH, false},
    {"TZM", K_TZM, false},   {"TZ", K_TZ, true},        {"OF", K_OF, false},       {"Y", K_Y, false},
};

/* 2: all upper, 1: capitalized, 0: all lower — of a name keyword as written; -1 if the
** written case is not one PostgreSQL knows ("mONTH"). */
static int written_case(const char *s, size_t n) {
  bool up0 = s[0] >= 'A' && s[0] <= 'Z', rest_up = true, rest_low = true;
  for (size_t i = 1; i < n; i++) {
    if (s[i] >= 'a' && s[i] <= 'z') rest_up = false;
    if (s[i] >= 'A' && s[i] <= 'Z') rest_low = false;
  }
  if (up0 && rest_up) return 2;
  if (up0 && rest_low) return 1;
  if (!up0 && rest_low) return 0;
  return -1;
}

static const dt_pattern *match_dt(const char *p, size_t left, size_t *len, int *lcase) {
  for (size_t i = 0; i < sizeof dt_patterns / sizeof dt_patterns[0]; i++) {
    const dt_pattern *d = &dt_patterns[i];
    size_t n = strlen(d->text);
    if (n > left || strncasecmp(p, d->text, n) != 0) continue;
    if (d->key == K_FF && !(n < left && p[n] >= '1' && p[n] <= '6')) continue;
    int c = written_case(p, n);
    if (d->exact_case && c < 0) continue;
    if ((d->key == K_AMPM || d->key == K_ERA || d->key == K_AMPM_DOTS || d->key == K_ERA_DOTS || d->key == K_TZ) && c == 1)
      continue;   /* "Am", "Tz": not keywords */
    *len = n + (d->key == K_FF);
    *lcase = c;
    return d;
  }
  return NULL;
}

static void put_num(orb_buf *out, int64_t v, int width, bool fm) {
  char tmp[32];
  int n = fm ? snprintf(tmp, sizeof tmp, "%lld", (long long)v) : snprintf(tmp, sizeof tmp, "%0*lld", width, (long long)v);
  orb_buf_append(out, tmp, (size_t)n);
}

/* One keyword's text; *num gets its number for a TH suffix (-1 if none). */
static void put_dt_field(orb_buf *out, const dt_fields *f, dt_key k, const char *written, int lcase, bool fm,
                         int64_t *num) {
  const orb_tm *tm = &f->tm;
  int64_t v = -1;
  int width = 2;
  bool upper = lcase != 0;
  switch (k) {
  case K_HH24: v = tm->hour; break;
  case K_HH12:
  case K_HH: v = tm->hour % 12 == 0 ? 12 : tm->hour % 12; break;
  case K_MI: v = tm->min; break;
  case K_SS: v = tm->sec; break;
  case K_SSSS:
  case K_SSSSS: v = tm->hour * 3600 + tm->min * 60 + tm->sec, width = 0; break;
  case K_MS: v = tm->usec / 1000, width = 3; break;
  case K_US: v = tm->usec, width = 6; break;
  case K_FF: {
    int digits = written[2] - '0', div = 1;
    for (int i = digits; i < 6; i++) div *= 10;
    v = tm->usec / div, width = digits;
    break;
  }
  case K_AMPM: orb_buf_puts(out, tm->hour < 12 ? (upper ? "AM" : "am") : (upper ? "PM" : "pm")); return;
  case K_AMPM_DOTS: orb_buf_puts(out, tm->hour < 12 ? (upper ? "A.M." : "a.m.") : (upper ? "P.M." : "p.m.")); return;
  case K_ERA: orb_buf_puts(out, upper ? "AD" : "ad"); return;
  case K_ERA_DOTS: orb_buf_puts(out, upper ? "A.D." : "a.d."); return;
  case K_YCOMMA: {
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld,%03lld", (long long)(tm->year / 1000), (long long)(tm->year % 1000));
    orb_buf_append(out, tmp, (size_t)n);
    *num = tm->year;
    return;
  }
  case K_YYYY: v = tm->year, width = 4; break;
  case K_YYY: v = tm->year % 1000, width = 3; break;
  case K_YY: v = tm->year % 100, width = 2; break;
  case K_Y: v = tm->year % 10, width = 1; break;
  case K_IYYY:
  case K_IYY:
  case K_IY:
  case K_I: {
    int64_t iy;
    int iw;
    iso_week(f->days, &iy, &iw);
    v = k == K_IYYY ? iy : k == K_IYY ? iy % 1000 : k == K_IY ? iy % 100 : iy % 10;
    width = k == K_IYYY ? 4 : k == K_IYY ? 3 : k == K_IY ? 2 : 1;
    break;
  }
  case K_IW: {
    int64_t iy;
    int iw;
    iso_week(f->days, &iy, &iw);
    v = iw;
    break;
  }
  case K_IDDD: {
    int64_t iy;
    int iw;
    iso_week(f->days, &iy, &iw);
    v = (int64_t)(iw - 1) * 7 + (orb_dow(f->days) + 6) % 7 + 1, width = 3;
    break;
  }
  case K_ID: v = (orb_dow(f->days) + 6) % 7 + 1, width = 1; break;
  case K_MONTH: {
    const char *m = month_names[tm->month - 1];
    put_name(out, m, strlen(m), lcase, fm, 9);
    return;
  }
  case K_MON: put_name(out, month_names[tm->month - 1], 3, lcase, fm, 3); return;
  case K_MM: v = tm->month; break;
  case K_DAY: {
    const char *d = day_names[orb_dow(f->days)];
    put_name(out, d, strlen(d), lcase, fm, 9);
    return;
  }
  case K_DY: put_name(out, day_names[orb_dow(f->days)], 3, lcase, fm, 3); return;
  case K_DDD: v = day_of_year(f), width = 3; break;
  case K_DD: v = tm->day; break;
  case K_D: v = orb_dow(f->days) + 1, width = 1; break;
  case K_WW: v = (day_of_year(f) - 1) / 7 + 1; break;
  case K_W: v = (tm->day - 1) / 7 + 1, width = 1; break;
  case K_CC: v = (tm->year + 99) / 100; break;
  case K_J: v = f->days + 2440588, width = 0; break;
  case K_Q: v = (tm->month - 1) / 3 + 1, width = 1; break;
  case K_RM: {
    const char *r = roman_months[tm->month - 1];
    put_name(out, r, strlen(r), upper ? 2 : 0, fm, 4);
    return;
  }
  case K_TZ:
    if (f->has_zone) orb_buf_puts(out, upper ? "UTC" : "utc");
    return;
  case K_TZH: orb_buf_puts(out, "+00"); return;
  case K_TZM: orb_buf_puts(out, "00"); return;
  case K_OF: orb_buf_puts(out, "+00"); return;
  }
  put_num(out, v, width, fm);
  *num = v;
}

static void format_datetime(const dt_fields *f, const char *fmt, size_t n, orb_buf *out) {
  size_t i = 0;
  while (i < n) {
    bool fm = false;
    for (;;) {   /* prefixes */
      if (n - i >= 2 && strncasecmp(fmt + i, "FM", 2) == 0) fm = true, i += 2;
      else if (n - i >= 2 && strncasecmp(fmt + i, "FX", 2) == 0) i += 2;
      else break;
    }
    if (i >= n) break;
    if (fmt[i] == '"') {   /* quoted text: copied, \" is a quote */
      for (i++; i < n && fmt[i] != '"'; i++) {
        if (fmt[i] == '\\' && i + 1 < n) i++;
        orb_buf_putc(out, fmt[i]);
      }
      i++;
      continue;
    }
    size_t len;
    int lcase;
    const dt_pattern *d = match_dt(fmt + i, n - i, &len, &lcase);
    if (!d) {
      orb_buf_putc(out, fmt[i++]);
      continue;
    }
    int64_t num = -1;
    put_dt_field(out, f, d->key, fmt + i, lcase, fm, &num);
    i += len;
    if (n - i >= 2 && (strncmp(fmt + i, "TH", 2) == 0 || strncmp(fmt + i, "th", 2) == 0)) {
      if (num >= 0) orb_buf_puts(out, ordinal(num, fmt[i] == 'T'));
      i += 2;
    }
  }
}

/* --- numbers -------------------------------------------------------------------------- */

/* The number as digits: negative?, integer digits (no leading zeros; "" for
** 0.x), fraction digits rounded to nfrac. */
typedef struct num_digits {
  bool neg, zero;
  char ip[64];
  char fp[64];
} num_digits;

static orb_status digits_of(const orb_value *v, int nfrac, num_digits *d, orb_err *e) {
  memset(d, 0, sizeof *d);
  char buf[160];
  if (v->type == ORB_T_FLOAT32 || v->type == ORB_T_FLOAT64) {
    double x = v->u.f;
    if (!isfinite(x)) return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "to_char of NaN or infinity is not supported");
    /* as PostgreSQL: the value with 15 significant digits, then rounded */
    char sig[64];
    snprintf(sig, sizeof sig, "%.15g", x);
    x = strtod(sig, NULL);
    snprintf(buf, sizeof buf, "%.*f", nfrac, fabs(x));
    d->neg = x < 0;
  } else {
    __int128 iv;
    int scale = 0;
    if (v->type == ORB_T_DECIMAL) {
      iv = v->u.dec;
      scale = v->scale;
    } else {
      iv = v->u.i;
    }
    if (scale > nfrac) {
      orb_status st = orb_decimal_round(iv, scale, nfrac, false, &iv, e);
      if (st != ORB_OK) return st;
      scale = nfrac;
    }
    d->neg = iv < 0;
    orb_buf b = ORB_BUF_INIT;
    orb_decimal_format(iv < 0 ? -iv : iv, scale, &b);
    snprintf(buf, sizeof buf, "%s", b.data ? b.data : "0");
    orb_buf_free(&b);
  }
  char *dot = strchr(buf, '.');
  size_t il = dot ? (size_t)(dot - buf) : strlen(buf);
  const char *ip = buf;
  while (il > 0 && *ip == '0') ip++, il--;
  if (il >= sizeof d->ip) il = sizeof d->ip - 1;
  memcpy(d->ip, ip, il);
  size_t fl = 0;
  if (dot)
    for (const char *q = dot + 1; *q && fl < sizeof d->fp - 1; q++) d->fp[fl++] = *q;
  while ((int)fl < nfrac && fl < sizeof d->fp - 1) d->fp[fl++] = '0';
  d->fp[fl > (size_t)nfrac ? (size_t)nfrac : fl] = '\0';
  d->zero = !il && strspn(d->fp, "0") == strlen(d->fp);
  if (d->zero) d->neg = false;   /* -0.004 rounds to 0.00: no sign */
  return ORB_OK;
}

static void put_roman(orb_buf *out, int64_t v, bool fm, bool upper) {
  static const int vals[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
  static const char *const syms[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
  char tmp[32] = "";
  if (v < 1 || v > 3999) {
    snprintf(tmp, sizeof tmp, "###############");
  } else {
    for (int i = 0; i < 13; i++)
      while (v >= vals[i]) strcat(tmp, syms[i]), v -= vals[i];
  }
  for (char *c = tmp; !upper && *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
  for (size_t i = strlen(tmp); !fm && i < 15; i++) orb_buf_putc(out, ' ');
  orb_buf_puts(out, tmp);
}

static orb_status format_number(const orb_value *v, const char *fmt, size_t n, orb_buf *out, orb_err *e) {
  /* the template's shape first */
  int nint = 0, nfrac = 0;
  bool dec = false, fm = false, sign_placed = false, eeee = false, roman = false, roman_up = true;
  for (size_t i = 0; i < n; i++) {
    char c = fmt[i];
    if (c == '"') {
      for (i++; i < n && fmt[i] != '"'; i++)
        if (fmt[i] == '\\') i++;
      continue;
    }
    if (c == '9' || c == '0') {
      if (dec) nfrac++;
      else nint++;
    } else if (c == '.' || c == 'D' || c == 'd') {
      dec = true;
    } else if (strncasecmp(fmt + i, "FM", 2) == 0) {
      fm = true, i++;
    } else if (strncasecmp(fmt + i, "EEEE", 4) == 0) {
      eeee = true, i += 3;
    } else if (strncasecmp(fmt + i, "RN", 2) == 0) {
      roman = true, roman_up = c == 'R', i++;
    } else if (strncasecmp(fmt + i, "MI", 2) == 0 || strncasecmp(fmt + i, "SG", 2) == 0 ||
               strncasecmp(fmt + i, "PR", 2) == 0) {
      sign_placed = true, i++;
    } else if (strncasecmp(fmt + i, "PL", 2) == 0 || strncasecmp(fmt + i, "TH", 2) == 0) {
      i++;
    } else if (c == 'S' || c == 's') {
      sign_placed = true;
    } else if (c == 'L' || c == 'l' || c == 'V' || c == 'v') {
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "to_char: template pattern \"%c\" is not supported", c);
    }
  }
  if (roman) {
    double x = v->type == ORB_T_FLOAT32 || v->type == ORB_T_FLOAT64 ? v->u.f
               : v->type == ORB_T_DECIMAL ? (double)v->u.dec / pow(10, v->scale) : (double)v->u.i;
    put_roman(out, (int64_t)llround(x), fm, roman_up);
    return ORB_OK;
  }
  num_digits d;
  orb_status st;
  if (eeee) {   /* scientific: one integer digit, nfrac fraction digits */
    double x = v->type == ORB_T_FLOAT32 || v->type == ORB_T_FLOAT64 ? v->u.f
               : v->type == ORB_T_DECIMAL ? (double)v->u.dec / pow(10, v->scale) : (double)v->u.i;
    char tmp[64];
    int k = snprintf(tmp, sizeof tmp, "%.*e", nfrac, fabs(x));
    if (!fm || x < 0) orb_buf_putc(out, x < 0 ? '-' : ' ');
    orb_buf_append(out, tmp, (size_t)k);
    return ORB_OK;
  }
  if ((st = digits_of(v, nfrac, &d, e)) != ORB_OK) return st;
  const char *ip = d.ip;
  int ilen = (int)strlen(ip);
  if (d.zero && !nfrac) ip = "0", ilen = 1;   /* 0 with no fraction positions prints its 0 */
  if (d.zero && nfrac && fm) ip = "0", ilen = 1;
  bool overflow = ilen > nint;
  /* where the first printed integer digit goes: position nint - ilen, or the first '0' position */
  int first0 = nint;
  for (int i = 0, k = 0; i < (int)n && k < nint; i++) {
    if (fmt[i] == '0' && first0 == nint) first0 = k;
    if (fmt[i] == '9' || fmt[i] == '0') k++;
    if (fmt[i] == '.' || fmt[i] == 'D' || fmt[i] == 'd') break;
  }
  int start = nint - ilen < first0 ? nint - ilen : first0;   /* integer positions before it print blank */
  bool started = false, in_frac = false;
  /* FM drops the trailing zeros of 9 positions after the point (0 positions keep theirs) */
  int keep_frac = nfrac;
  if (fm) {
    char kinds[64];
    int nk = 0;
    bool after = false;
    for (size_t i = 0; i < n && nk < 64; i++) {
      if (fmt[i] == '.' || fmt[i] == 'D' || fmt[i] == 'd') after = true;
      else if (after && (fmt[i] == '9' || fmt[i] == '0')) kinds[nk++] = fmt[i];
    }
    while (keep_frac > 0 && keep_frac <= nk && kinds[keep_frac - 1] == '9' && d.fp[keep_frac - 1] == '0') keep_frac--;
  }
  int ipos = 0, fpos = 0;
  char sign = d.neg ? '-' : ' ';
  orb_buf body = ORB_BUF_INIT;
  /* the implicit sign slot, put against the first digit */
  bool implicit = !sign_placed;
  for (size_t i = 0; i < n; i++) {
    char c = fmt[i];
    if (c == '"') {
      for (i++; i < n && fmt[i] != '"'; i++) {
        if (fmt[i] == '\\' && i + 1 < n) i++;
        orb_buf_putc(&body, fmt[i]);
      }
      continue;
    }
    if (strncasecmp(fmt + i, "FM", 2) == 0) {
      i++;
      continue;
    }
    if (c == '9' || c == '0') {
      if (!in_frac) {
        bool print = overflow || ipos >= start;
        if (print && !started) {
          if (implicit && (!fm || d.neg)) orb_buf_putc(&body, sign);
          implicit = false;
          started = true;
        }
        if (overflow) orb_buf_putc(&body, '#');
        else if (print) orb_buf_putc(&body, ipos - (nint - ilen) >= 0 ? ip[ipos - (nint - ilen)] : '0');
        else if (!fm) orb_buf_putc(&body, ' ');
        ipos++;
      } else {
        if (overflow) orb_buf_putc(&body, '#');
        else if (fpos < keep_frac) orb_buf_putc(&body, d.fp[fpos]);
        fpos++;
      }
      continue;
    }
    if (c == '.' || c == 'D' || c == 'd') {
      if (!started && implicit) {
        if (!fm || d.neg) orb_buf_putc(&body, sign);
        implicit = false;
        started = true;
      }
      in_frac = true;
      orb_buf_putc(&body, '.');
      continue;
    }
    if (c == ',' || c == 'G' || c == 'g') {
      if (started && !in_frac) orb_buf_putc(&body, overflow ? '#' : ',');
      else if (!fm && !in_frac) orb_buf_putc(&body, ' ');
      else if (in_frac) orb_buf_putc(&body, ',');
      continue;
    }
    if (strncasecmp(fmt + i, "MI", 2) == 0) {
      if (d.neg) orb_buf_putc(&body, '-');
      else if (!fm) orb_buf_putc(&body, ' ');
      i++;
      continue;
    }
    if (strncasecmp(fmt + i, "PL", 2) == 0) {
      if (!d.neg) orb_buf_putc(&body, '+');
      else if (!fm) orb_buf_putc(&body, ' ');
      i++;
      continue;
    }
    if (strncasecmp(fmt + i, "SG", 2) == 0) {
      orb_buf_putc(&body, d.neg ? '-' : '+');
      i++;
      continue;
    }
    if (strncasecmp(fmt + i, "PR", 2) == 0) {
      i++;
      continue;   /* handled around the number below */
    }
    if (strncasecmp(fmt + i, "TH", 2) == 0) {
      if (!d.neg) orb_buf_puts(&body, ordinal(atoll(d.ip[0] ? d.ip : "0"), c == 'T'));
      i++;
      continue;
    }
    if (c == 'S' || c == 's') continue;   /* S: placed against the number below */
    orb_buf_putc(&body, c);
  }
  /* S and PR sit against the number: before its first non-blank character (S
  ** at the end of the template: after the last digit) */
  const char *b = body.data ? body.data : "";
  size_t blen = body.len, lead = 0;
  while (lead < blen && b[lead] == ' ') lead++;
  bool s_first = false, s_last = false, pr = false;
  for (size_t i = 0; i < n; i++) {
    if (fmt[i] == '"') {
      for (i++; i < n && fmt[i] != '"'; i++)
        if (fmt[i] == '\\') i++;
      continue;
    }
    if (fmt[i] == 'S' || fmt[i] == 's') {
      if (i + 1 < n && (fmt[i + 1] == 'G' || fmt[i + 1] == 'g')) {   /* SG */
        i++;
        continue;
      }
      bool before_digits = true;
      for (size_t j = 0; j < i; j++) before_digits &= !(fmt[j] == '9' || fmt[j] == '0');
      if (before_digits) s_first = true;
      else s_last = true;
    }
    if (strncasecmp(fmt + i, "PR", 2) == 0) pr = true, i++;
  }
  orb_buf_append(out, b, lead);
  if (s_first) orb_buf_putc(out, d.neg ? '-' : '+');
  if (pr) orb_buf_putc(out, d.neg ? '<' : ' ');
  orb_buf_append(out, b + lead, blen - lead);
  if (pr) orb_buf_putc(out, d.neg ? '>' : ' ');
  if (s_last) orb_buf_putc(out, d.neg ? '-' : '+');
  orb_buf_free(&body);
  return ORB_OK;
}

/* --- the function ----------------------------------------------------------------------- */

static orb_status r_to_char(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 1, ORB_T_TEXT)) return orb_fn_no_match(e);
  switch (t[0].id) {
  case ORB_T_DATE:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64:
  case ORB_T_DECIMAL:
    break;
  default:
    return orb_fn_no_match(e);
  }
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status f_to_char(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt,
                            orb_value *out, orb_err *e) {
  (void)f, (void)n, (void)rt;
  orb_buf b = ORB_BUF_INIT;
  orb_status st = ORB_OK;
  const char *fmt = a[1].u.s;
  size_t flen = a[1].len;
  if (a[0].type == ORB_T_DATE || a[0].type == ORB_T_TIMESTAMP || a[0].type == ORB_T_TIMESTAMPTZ) {
    dt_fields df;
    int64_t ts = a[0].type == ORB_T_DATE ? a[0].u.i * 86400 * ORB_USECS_PER_SEC : a[0].u.i;
    orb_tm_from_ts(ts, &df.tm);
    df.days = orb_floor_div(ts, 86400 * ORB_USECS_PER_SEC);
    df.has_zone = a[0].type == ORB_T_TIMESTAMPTZ;
    format_datetime(&df, fmt, flen, &b);
  } else {
    st = format_number(&a[0], fmt, flen, &b, e);
  }
  if (st == ORB_OK) *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return st;
}

const orb_func orb_funcs_tochar[] = {
    {"to_char", 2, 2, 0, r_to_char, f_to_char},
};
const int orb_nfuncs_tochar = sizeof orb_funcs_tochar / sizeof orb_funcs_tochar[0];
