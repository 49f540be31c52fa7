/* expr/expr_like.c — LIKE and ILIKE pattern matching (see expr_int.h). */
#include <stdint.h>
#include <string.h>

#include "expr/expr_int.h"
#include "expr/func_int.h"

/* Byte length of the UTF-8 character starting with c (stray bytes count as one). */
static size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

static unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

static bool has_non_ascii(const orb_value *v) {
  for (uint32_t i = 0; i < v->len; i++)
    if ((unsigned char)v->u.s[i] >= 0x80) return true;
  return false;
}

/* Matching follows PostgreSQL's (like_match.c) step for step, so that a
** pattern ending in the escape character is an error exactly when matching
** reaches that escape ('a' LIKE 'a\' is false: the text runs out first;
** 'ab' LIKE 'a\' is 22025).  Its outcomes: */
enum { LIKE_FALSE, LIKE_TRUE, LIKE_ABORT /* false, and no later start in the text can match */, LIKE_BAD_ESCAPE,
       LIKE_PERCENT /* segment(): stopped at a '%' */ };

static bool same(unsigned char a, unsigned char b, bool ascii_icase) {
  return ascii_icase ? ascii_lower(a) == ascii_lower(b) : a == b;
}

/* Advance over one character of the text (UTF-8; a truncated one ends it). */
static void next_char(const unsigned char **t, size_t *tn) {
  size_t l = utf8_len(**t);
  if (l > *tn) l = *tn;
  *t += l, *tn -= l;
}

/* Match text and pattern from *t, *p up to the pattern's next '%'
** (LIKE_PERCENT, *p at it) or to an outcome.  Literals and escaped
** characters compare a byte at a time, '_' takes one character. */
static int segment(const unsigned char **tp, size_t *tnp, const unsigned char **pp, size_t *pnp, bool icase) {
  const unsigned char *t = *tp, *p = *pp;
  size_t tn = *tnp, pn = *pnp;
  int r = LIKE_FALSE;
  while (tn > 0 && pn > 0) {
    if (*p == '%') {
      r = LIKE_PERCENT;
      break;
    }
    if (*p == '_') {
      next_char(&t, &tn);
      p++, pn--;
      continue;
    }
    if (*p == '\\') {
      p++, pn--;
      if (pn == 0) return LIKE_BAD_ESCAPE;
    }
    if (!same(*p, *t, icase)) return LIKE_FALSE;
    t++, tn--, p++, pn--;
  }
  *tp = t, *tnp = tn, *pp = p, *pnp = pn;
  if (r == LIKE_PERCENT) return r;
  if (tn > 0) return LIKE_FALSE;
  while (pn > 0 && *p == '%') p++, pn--;
  return pn == 0 ? LIKE_TRUE : LIKE_ABORT;
}

/* PostgreSQL tries the pattern after a '%' at each later text position
** whose character can start it, recursively.  A try that reaches the next
** '%' never comes back false (it ends the match one way or the other), so
** only the latest '%' is ever retried: one retry point, no recursion, and
** at worst O(n*m) steps. */
static int like_match(const unsigned char *t, size_t tn, const unsigned char *p, size_t pn, bool icase) {
  const unsigned char *rp = NULL, *rt = NULL;   /* the pattern after the latest '%', the text it is tried at */
  size_t rpn = 0, rtn = 0;
  unsigned char first = 0;                      /* the character that pattern starts with */
  for (;;) {
    int r = segment(&t, &tn, &p, &pn, icase);
    if (r == LIKE_PERCENT) {
      p++, pn--;
      for (; pn > 0 && (*p == '%' || *p == '_'); p++, pn--) {   /* '%' and '_' after it: '_' takes a character */
        if (*p == '%') continue;
        if (tn == 0) return LIKE_ABORT;
        next_char(&t, &tn);
      }
      if (pn == 0) return LIKE_TRUE;
      if (*p == '\\' && pn < 2) return LIKE_BAD_ESCAPE;
      first = *p == '\\' ? p[1] : *p;
      rp = p, rpn = pn;
    } else if (r != LIKE_FALSE || !rp) {
      return r;
    } else {   /* the try failed: the next position */
      t = rt, tn = rtn;
      next_char(&t, &tn);
      p = rp, pn = rpn;
    }
    while (tn > 0 && !same(*t, first, icase)) next_char(&t, &tn);
    if (tn == 0) return LIKE_ABORT;
    rt = t, rtn = tn;
  }
}

orb_status orb_like(const orb_value *s, const orb_value *pattern, bool icase, orb_arena *arena, bool *result,
                    orb_err *err) {
  orb_value a = *s, b = *pattern;
  bool ascii_icase = icase;
  if (icase && (has_non_ascii(&a) || has_non_ascii(&b))) {
    /* ILIKE is lower(s) LIKE lower(pattern); the metacharacters are ASCII and keep their meaning */
    a = orb_fn_case_map(arena, &a, false);
    b = orb_fn_case_map(arena, &b, false);
    ascii_icase = false;
  }
  int r = like_match((const unsigned char *)a.u.s, a.len, (const unsigned char *)b.u.s, b.len, ascii_icase);
  if (r == LIKE_BAD_ESCAPE)
    return orb_err_setx(err, ORB_ERR_INVALID_TEXT, "22025", 0, "LIKE pattern must not end with escape character");
  *result = r == LIKE_TRUE;
  return ORB_OK;
}
