/*
** types/decimal.h — fixed-point decimals on __int128 (DECIMAL / NUMERIC).
**
** A decimal is an unscaled __int128 `v` and a scale `s`: value = v / 10^s.
** At most 38 significant digits (ORB_DECIMAL_MAX_PRECISION); every result
** that would need more is either rounded to fewer fractional digits (when
** that makes it fit) or reported as "numeric field overflow" (22003).
** Rounding is always half away from zero, as PostgreSQL's numeric does.
**
** Result scales follow PostgreSQL's numeric operators:
**   a + b, a - b   max(sa, sb)
**   a * b          sa + sb (reduced, with rounding, if the product needs
**                  more than 38 digits)
**   a / b          PostgreSQL's select_div_scale(): 16 significant digits,
**                  at least max(sa, sb), so 7.0/2 = 3.5000000000000000 and
**                  1/3.0 = 0.33333333333333333333 — reduced to fit 38 digits
**   a % b          max(sa, sb), sign of the dividend
** The value carries its scale (orb_value.scale), so the scale of a quotient
** may differ from the nominal scale of its bound type.
**
** Unconstrained NUMERIC (no precision given) is the type with precision 0:
** casting to it keeps the value's own scale.
*/
#ifndef ORB_TYPES_DECIMAL_H
#define ORB_TYPES_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

typedef enum orb_dec_parse_rc { ORB_DEC_OK = 0, ORB_DEC_SYNTAX, ORB_DEC_OVERFLOW } orb_dec_parse_rc;

/* Parse "[-+]digits[.digits][e[-+]digits]" (surrounding blanks allowed).
** want_scale >= 0: round to that scale; < 0: keep the written scale (rounded
** down to what fits in 38 digits).  *scale receives the scale used. */
orb_dec_parse_rc orb_decimal_parse(const char *s, size_t n, int want_scale, __int128 *v, int *scale);
/* Append the decimal with exactly `scale` fractional digits ("9.50", "-0.001"). */
void orb_decimal_format(__int128 v, int scale, orb_buf *out);
/* Number of decimal digits of |v| (0 has 1 digit). */
int orb_decimal_ndigits(__int128 v);
/* Compare a/10^sa with b/10^sb exactly. */
int orb_decimal_cmp(__int128 a, int sa, __int128 b, int sb);
/* Strip trailing fractional zeros (for hashing equal values equally). */
void orb_decimal_normalize(__int128 *v, int *scale);

orb_status orb_decimal_add(__int128 a, int sa, __int128 b, int sb, bool sub, __int128 *r, int *rs, orb_err *e);
orb_status orb_decimal_mul(__int128 a, int sa, __int128 b, int sb, __int128 *r, int *rs, orb_err *e);
orb_status orb_decimal_div(__int128 a, int sa, __int128 b, int sb, __int128 *r, int *rs, orb_err *e);
orb_status orb_decimal_mod(__int128 a, int sa, __int128 b, int sb, __int128 *r, int *rs, orb_err *e);
/* Round to `scale` digits (half away from zero); scale may be negative (round(x, -2)). */
orb_status orb_decimal_round(__int128 v, int s, int scale, bool trunc, __int128 *r, orb_err *e);
/* Nearest decimal at the given scale to a double; error if it does not fit. */
orb_status orb_decimal_from_double(double d, int scale, __int128 *r, int *rs, orb_err *e);
orb_status orb_decimal_overflow(orb_err *e);

#endif
