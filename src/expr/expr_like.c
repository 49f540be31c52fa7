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

/* PostgreSQL refuses a pattern whose last character is the escape.  We check
** the whole pattern up front, so the error does not depend on the data. */
static bool pattern_ok(const unsigned char *p, size_t m) {
  for (size_t j = 0; j < m; j++)
    if (p[j] == '\\' && ++j == m) return false;
  return true;
}

/* Greedy matching with one backtrack point (the last '%' seen): on a
** mismatch the last '%' swallows one more character and matching resumes
** after it.  Exact for patterns made of literals, '_' and '%', and at worst
** O(n*m) steps (no exponential backtracking).  ascii_icase folds ASCII
** letters as it compares (strings with other bytes were lowered beforehand). */
static bool match(const unsigned char *s, size_t n, const unsigned char *p, size_t m, bool ascii_icase) {
  size_t i = 0, j = 0;
  size_t star_j = SIZE_MAX, star_i = 0;   /* pattern position after the last '%', and where its run began in s */
  while (i < n) {
    if (j < m && p[j] == '%') {
      while (j < m && p[j] == '%') j++;
      star_j = j;
      star_i = i;
      continue;
    }
    if (j < m && p[j] == '_') {
      size_t l = utf8_len(s[i]);
      i = i + l > n ? n : i + l;
      j++;
      continue;
    }
    if (j < m) {
      size_t pj = p[j] == '\\' && j + 1 < m ? j + 1 : j;
      unsigned char a = s[i], b = p[pj];
      if (ascii_icase ? ascii_lower(a) == ascii_lower(b) : a == b) {
        i++;
        j = pj + 1;
        continue;
      }
    }
    if (star_j == SIZE_MAX) return false;
    size_t l = utf8_len(s[star_i]);
    star_i = star_i + l > n ? n : star_i + l;
    i = star_i;
    j = star_j;
  }
  while (j < m && p[j] == '%') j++;
  return j == m;
}

orb_status orb_like(const orb_value *s, const orb_value *pattern, bool icase, orb_arena *arena, bool *result,
                    orb_err *err) {
  if (!pattern_ok((const unsigned char *)pattern->u.s, pattern->len))
    return orb_err_setx(err, ORB_ERR_INVALID_TEXT, "22025", 0, "LIKE pattern must not end with escape character");
  orb_value a = *s, b = *pattern;
  bool ascii_icase = icase;
  if (icase && (has_non_ascii(&a) || has_non_ascii(&b))) {
    /* ILIKE is lower(s) LIKE lower(pattern); the metacharacters are ASCII and keep their meaning */
    a = orb_fn_case_map(arena, &a, false);
    b = orb_fn_case_map(arena, &b, false);
    ascii_icase = false;
  }
  *result = match((const unsigned char *)a.u.s, a.len, (const unsigned char *)b.u.s, b.len, ascii_icase);
  return ORB_OK;
}
