/* types/decimal.c — __int128 fixed-point arithmetic with PostgreSQL's
** numeric scale rules (see decimal.h).  Products and quotients are computed
** in 256 bits so that no intermediate overflows silently. */
#include "types/decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/value.h"

typedef unsigned __int128 u128;

#define MAXP ORB_DECIMAL_MAX_PRECISION

__int128 orb_pow10_i128(int n) {
  static __int128 tab[39];
  static int init;
  if (!init) {
    __int128 p = 1;
    for (int i = 0; i <= 38; i++) {
      tab[i] = p;
      if (i < 38) p *= 10;
    }
    init = 1;  /* benign: every thread writes the same values */
  }
  if (n < 0) return 1;
  if (n > 38) n = 38;
  return tab[n];
}

static u128 uabs(__int128 v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

int orb_decimal_ndigits(__int128 v) {
  u128 a = uabs(v);
  int d = 1;
  while (d < 39 && a >= (u128)orb_pow10_i128(d)) d++;
  return d;
}

bool orb_decimal_fits(__int128 v, int precision) {
  if (precision <= 0 || precision > MAXP) precision = MAXP;
  return uabs(v) < (u128)orb_pow10_i128(precision);
}

orb_status orb_decimal_overflow(orb_err *e) {
  return orb_err_setx(e, ORB_ERR_RANGE, "22003", 0, "numeric field overflow");
}

/* --- 256-bit unsigned helpers --------------------------------------------- */
typedef struct u256 { u128 hi, lo; } u256;

static u256 mul128(u128 a, u128 b) {
  uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64), b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
  u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
  u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
  u256 r;
  r.lo = (mid << 64) | (uint64_t)p00;
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  return r;
}

/* q = n / d, *rem = n % d (d != 0); q must fit 256 bits (it does). */
static u256 divmod256(u256 n, u128 d, u128 *rem) {
  if (n.hi == 0) {
    u256 q = {0, n.lo / d};
    *rem = n.lo % d;
    return q;
  }
  u256 q = {0, 0};
  u128 r = 0;
  for (int i = 255; i >= 0; i--) {
    bool top = (r >> 127) != 0;
    u128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
    r = (r << 1) | bit;
    if (top || r >= d) {
      r -= d;
      if (i >= 128) q.hi |= (u128)1 << (i - 128);
      else q.lo |= (u128)1 << i;
    }
  }
  *rem = r;
  return q;
}

/* Divide a 256-bit magnitude by 10^k rounding half away from zero. */
static u256 div_pow10_round(u256 n, int k) {
  while (k > 0) {
    int step = k > 38 ? 38 : k;
    u128 d = (u128)orb_pow10_i128(step), rem;
    u256 q = divmod256(n, d, &rem);
    if (step == k && rem >= d - rem) { /* rem*2 >= d without overflow */
      if (++q.lo == 0) q.hi++;
    }
    n = q;
    k -= step;
  }
  return n;
}

static bool u256_lt_pow10_38(u256 n) { return n.hi == 0 && n.lo < (u128)orb_pow10_i128(38); }

/* Fit a 256-bit magnitude at `scale` into 38 digits by dropping fractional digits. */
static orb_status fit256(u256 mag, bool neg, int scale, int min_scale, __int128 *r, int *rs, orb_err *e) {
  while (scale > 38 || !u256_lt_pow10_38(mag)) {
    if (scale <= min_scale) return orb_decimal_overflow(e);
    mag = div_pow10_round(mag, 1);
    scale--;
  }
  *r = neg ? -(__int128)mag.lo : (__int128)mag.lo;
  *rs = scale;
  return ORB_OK;
}

/* --- parse / format -------------------------------------------------------- */

orb_dec_parse_rc orb_decimal_parse(const char *s, size_t n, int want_scale, __int128 *v, int *scale) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t int_start = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  size_t int_end = i, frac_start = i, frac_end = i;
  if (i < n && s[i] == '.') {
    frac_start = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    frac_end = i;
  }
  size_t nint = int_end - int_start, nfrac = frac_end - frac_start;
  if (nint + nfrac == 0) return ORB_DEC_SYNTAX;
  long exp = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= n || s[i] < '0' || s[i] > '9') return ORB_DEC_SYNTAX;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (exp < 100000) exp = exp * 10 + (s[i] - '0');
      i++;
    }
    if (eneg) exp = -exp;
  }
  if (i != n) return ORB_DEC_SYNTAX;
  /* digit k of the concatenated int+frac digits */
  size_t N = nint + nfrac;
#define DIG(k) ((k) < nint ? s[int_start + (k)] - '0' : s[frac_start + (k) - nint] - '0')
  size_t lead = 0;
  while (lead < N && DIG(lead) == 0) lead++;
  long sig = (long)(N - lead);
  /* value = digits * 10^(exp - nfrac) */
  long pointexp = exp - (long)nfrac;
  long target;
  if (want_scale >= 0) {
    target = want_scale;
  } else {
    target = -pointexp > 0 ? -pointexp : 0;
    long intd = sig + pointexp;  /* digits left of the point */
    long maxs = MAXP - (intd > 0 ? intd : 0);
    if (sig > 0 && maxs < 0) return ORB_DEC_OVERFLOW;
    if (target > maxs) target = maxs;
    if (target < 0) target = 0;   /* zero with a large exponent ('0e50'): no room is needed for digits */
  }
  long k = pointexp + target;  /* unscaled = digits * 10^k */
  u128 acc = 0;
  u128 lim = (u128)orb_pow10_i128(38);
  if (k >= 0) {
    if (sig > 0 && sig + k > MAXP) return ORB_DEC_OVERFLOW;
    for (size_t d = lead; d < N; d++) acc = acc * 10 + (u128)DIG(d);
    for (long z = 0; z < k && sig > 0; z++) acc *= 10;
  } else {
    long keep = (long)N + k;  /* digits kept */
    for (long d = (long)lead; d < keep; d++) {
      acc = acc * 10 + (u128)DIG((size_t)d);
      if (acc >= lim) return ORB_DEC_OVERFLOW;
    }
    if (keep >= 0 && (size_t)keep < N && DIG((size_t)keep) >= 5) acc++;
  }
#undef DIG
  if (acc >= lim) return ORB_DEC_OVERFLOW;
  *v = neg ? -(__int128)acc : (__int128)acc;
  *scale = (int)target;
  return ORB_DEC_OK;
}

void orb_decimal_format(__int128 v, int scale, orb_buf *out) {
  char tmp[96];
  int p = (int)sizeof tmp;
  u128 a = uabs(v);
  int nd = 0;
  tmp[--p] = '\0';
  do {
    tmp[--p] = (char)('0' + (int)(a % 10));
    a /= 10;
    nd++;
    if (nd == scale) tmp[--p] = '.';
  } while (a != 0 || nd < scale);
  if (scale > 0 && nd == scale) tmp[--p] = '0';
  if (v < 0) tmp[--p] = '-';
  orb_buf_puts(out, tmp + p);
}

void orb_decimal_normalize(__int128 *v, int *scale) {
  while (*scale > 0 && *v % 10 == 0) {
    *v /= 10;
    (*scale)--;
  }
}

int orb_decimal_cmp(__int128 a, int sa, __int128 b, int sb) {
  if ((a < 0) != (b < 0)) return a < 0 ? -1 : 1;
  if (sa == sb) return a < b ? -1 : a > b;
  /* compare |a|*10^(sb-sa) with |b| (or the other way) in 256 bits */
  bool neg = a < 0;
  u256 x, y;
  if (sa < sb) {
    x = mul128(uabs(a), (u128)orb_pow10_i128(sb - sa));
    y = (u256){0, uabs(b)};
  } else {
    x = (u256){0, uabs(a)};
    y = mul128(uabs(b), (u128)orb_pow10_i128(sa - sb));
  }
  int c = x.hi != y.hi ? (x.hi < y.hi ? -1 : 1) : (x.lo != y.lo ? (x.lo < y.lo ? -1 : 1) : 0);
  return neg ? -c : c;
}

orb_status orb_decimal_rescale(__int128 v, int from_scale, int to_scale, __int128 *out, orb_err *e) {
  if (to_scale >= from_scale) {
    int k = to_scale - from_scale;
    if (k > 38) {
      if (v == 0) { *out = 0; return ORB_OK; }
      return orb_decimal_overflow(e);
    }
    u256 m = mul128(uabs(v), (u128)orb_pow10_i128(k));
    if (!u256_lt_pow10_38(m)) return orb_decimal_overflow(e);
    *out = v < 0 ? -(__int128)m.lo : (__int128)m.lo;
    return ORB_OK;
  }
  int k = from_scale - to_scale;
  u128 a = uabs(v);
  if (k > 38) {
    *out = 0;
    return ORB_OK;
  }
  u128 d = (u128)orb_pow10_i128(k);
  u128 q = a / d, r = a % d;
  if (r >= d - r) q++;
  *out = v < 0 ? -(__int128)q : (__int128)q;
  return ORB_OK;
}

orb_status orb_decimal_round(__int128 v, int s, int scale, bool trunc, __int128 *r, orb_err *e) {
  /* result keeps scale max(scale, 0); negative scale zeroes integer digits */
  int keep = scale < 0 ? 0 : scale;
  if (scale >= s) return orb_decimal_rescale(v, s, keep, r, e);
  int drop = s - scale;  /* digits removed */
  u128 a = uabs(v);
  u128 q;
  if (drop > 38) {
    q = 0;
  } else {
    u128 d = (u128)orb_pow10_i128(drop);
    q = a / d;
    u128 rem = a % d;
    if (!trunc && rem >= d - rem) q++;
  }
  __int128 sq = v < 0 ? -(__int128)q : (__int128)q;
  if (scale < 0) {
    if (-scale > 38) { *r = 0; return ORB_OK; }
    return orb_decimal_rescale(sq, 0, -scale, r, e);
  }
  *r = sq;
  return ORB_OK;
}

double orb_decimal_to_double(__int128 v, int scale) {
  /* through text so that the double is the nearest one to the decimal */
  char buf[64];
  orb_buf b = ORB_BUF_INIT;
  orb_decimal_format(v, scale, &b);
  size_t n = b.len < sizeof buf - 1 ? b.len : sizeof buf - 1;
  memcpy(buf, b.data, n);
  buf[n] = '\0';
  orb_buf_free(&b);
  return strtod(buf, NULL);
}

orb_status orb_decimal_from_double(double d, int scale, __int128 *r, int *rs, orb_err *e) {
  if (isnan(d) || isinf(d))
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "cannot convert %s to numeric",
                        isnan(d) ? "NaN" : (d > 0 ? "infinity" : "-infinity"));
  char buf[64];
  /* 15 significant digits, as PostgreSQL's float8 -> numeric cast */
  snprintf(buf, sizeof buf, "%.*e", 14, d);
  int sc;
  orb_dec_parse_rc rc = orb_decimal_parse(buf, strlen(buf), scale, r, &sc);
  if (rc != ORB_DEC_OK) return orb_decimal_overflow(e);
  *rs = sc;
  return ORB_OK;
}

/* --- arithmetic ------------------------------------------------------------ */

orb_status orb_decimal_add(__int128 a, int sa, __int128 b, int sb, bool sub, __int128 *r, int *rs, orb_err *e) {
  int s = sa > sb ? sa : sb;
  __int128 x, y;
  orb_status st;
  if ((st = orb_decimal_rescale(a, sa, s, &x, e)) != ORB_OK) return st;
  if ((st = orb_decimal_rescale(b, sb, s, &y, e)) != ORB_OK) return st;
  if (sub) y = -y;
  /* magnitudes in unsigned 128 bits: |x| + |y| < 2 * 10^38 fits */
  bool neg;
  u128 m;
  if ((x < 0) == (y < 0)) {
    neg = x < 0;
    m = uabs(x) + uabs(y);
  } else if (uabs(x) >= uabs(y)) {
    neg = x < 0;
    m = uabs(x) - uabs(y);
  } else {
    neg = y < 0;
    m = uabs(y) - uabs(x);
  }
  return fit256((u256){0, m}, neg, s, 0, r, rs, e);
}

orb_status orb_decimal_mul(__int128 a, int sa, __int128 b, int sb, __int128 *r, int *rs, orb_err *e) {
  u256 m = mul128(uabs(a), uabs(b));
  return fit256(m, (a < 0) != (b < 0), sa + sb, 0, r, rs, e);
}

/* PostgreSQL's select_div_scale, on base-10000 digit groups. */
static void first_group(__int128 v, int s, int *weight, int *first) {
  if (v == 0) {
    *weight = 0;
    *first = 0;
    return;
  }
  int e10 = orb_decimal_ndigits(v) - 1 - s;      /* exponent of the leading digit */
  int w = e10 >= 0 ? e10 / 4 : -((-e10 + 3) / 4); /* floor(e10 / 4) */
  int shift = s + 4 * w;                          /* first = floor(|v| / 10^shift) */
  u128 a = uabs(v);
  u128 f = shift >= 0 ? a / (u128)orb_pow10_i128(shift) : a * (u128)orb_pow10_i128(-shift);
  *weight = w;
  *first = (int)f;
}

orb_status orb_decimal_div(__int128 a, int sa, __int128 b, int sb, __int128 *r, int *rs, orb_err *e) {
  if (b == 0) return orb_err_setx(e, ORB_ERR_DIVZERO, "22012", 0, "division by zero");
  int w1, f1, w2, f2;
  first_group(a, sa, &w1, &f1);
  first_group(b, sb, &w2, &f2);
  int qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  int rscale = 16 - qweight * 4;
  if (rscale < sa) rscale = sa;
  if (rscale < sb) rscale = sb;
  if (rscale < 0) rscale = 0;
  if (rscale > MAXP) rscale = MAXP;
  if (a == 0) {
    *r = 0;
    *rs = rscale;
    return ORB_OK;
  }
  u128 ua = uabs(a), ub = uabs(b);
  bool neg = (a < 0) != (b < 0);
  for (;;) {
    /* q = a * 10^(rscale + sb - sa) / b, rounded */
    int k = rscale + sb - sa;
    u256 num;
    u128 den = ub;
    if (k >= 0) {
      if (orb_decimal_ndigits(a) + k >= 77) {
        if (rscale == 0) return orb_decimal_overflow(e);
        rscale--;
        continue;
      }
      if (k > 38) {
        num = mul128(ua, (u128)orb_pow10_i128(38));
        /* multiply the 256-bit value by 10^(k-38): hi part is small enough */
        u256 lo = mul128(num.lo, (u128)orb_pow10_i128(k - 38));
        u256 hi = mul128(num.hi, (u128)orb_pow10_i128(k - 38));
        num.lo = lo.lo;
        num.hi = lo.hi + hi.lo;
      } else {
        num = mul128(ua, (u128)orb_pow10_i128(k));
      }
    } else {
      /* divide by b * 10^-k instead; b*10^-k may exceed 128 bits: then the quotient is 0 */
      u256 d = mul128(ub, (u128)orb_pow10_i128(-k));
      if (d.hi != 0) {
        *r = 0;
        *rs = rscale;
        return ORB_OK;
      }
      den = d.lo;
      num = (u256){0, ua};
    }
    u128 rem;
    u256 q = divmod256(num, den, &rem);
    if (rem >= den - rem) {
      if (++q.lo == 0) q.hi++;
    }
    if (!u256_lt_pow10_38(q)) {
      if (rscale == 0) return orb_decimal_overflow(e);
      rscale--;
      continue;
    }
    *r = neg ? -(__int128)q.lo : (__int128)q.lo;
    *rs = rscale;
    return ORB_OK;
  }
}

orb_status orb_decimal_mod(__int128 a, int sa, __int128 b, int sb, __int128 *r, int *rs, orb_err *e) {
  if (b == 0) return orb_err_setx(e, ORB_ERR_DIVZERO, "22012", 0, "division by zero");
  int s = sa > sb ? sa : sb;
  __int128 x, y;
  orb_status st;
  if ((st = orb_decimal_rescale(a, sa, s, &x, e)) != ORB_OK) return st;
  if ((st = orb_decimal_rescale(b, sb, s, &y, e)) != ORB_OK) return st;
  *r = x % y;
  *rs = s;
  return ORB_OK;
}
