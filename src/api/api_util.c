/* api/api_util.c — helpers for shells: statement completeness (orbit_complete). */
#include "orbit.h"

#include <stdbool.h>
#include <string.h>

/* Scan the text the way the lexer does for quoting: '...' (with '' and, in
** E'...', backslash escapes), "...", -- and nested block comments, and
** $tag$...$tag$; report whether the last significant token is a `;`. */
int orbit_complete(const char *sql) {
  const char *p = sql;
  bool ends = false;
  while (*p) {
    char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      p++;
      continue;
    }
    if (c == '-' && p[1] == '-') {
      while (*p && *p != '\n') p++;
      continue;
    }
    if (c == '/' && p[1] == '*') {
      int depth = 1;
      p += 2;
      while (*p && depth) {
        if (p[0] == '/' && p[1] == '*') depth++, p += 2;
        else if (p[0] == '*' && p[1] == '/') depth--, p += 2;
        else p++;
      }
      if (depth) return 0;
      continue;
    }
    ends = false;
    if (c == ';') {
      ends = true;
      p++;
      continue;
    }
    if (c == '\'' || c == '"') {
      bool esc = c == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e');
      p++;
      for (;;) {
        if (!*p) return 0;
        if (esc && *p == '\\' && p[1]) {
          p += 2;
          continue;
        }
        if (*p == c) {
          if (p[1] == c) {
            p += 2;
            continue;
          }
          p++;
          break;
        }
        p++;
      }
      continue;
    }
    if (c == '$') {
      const char *q = p + 1;
      while (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9' && q > p + 1)) q++;
      if (*q == '$' && !(p[1] >= '0' && p[1] <= '9')) {
        size_t taglen = (size_t)(q - p + 1);
        const char *body = q + 1;
        const char *end = NULL;
        for (const char *r = body; *r; r++)
          if (*r == '$' && strncmp(r, p, taglen) == 0) {
            end = r;
            break;
          }
        if (!end) return 0;
        p = end + taglen;
        continue;
      }
    }
    p++;
  }
  return ends ? 1 : 0;
}
