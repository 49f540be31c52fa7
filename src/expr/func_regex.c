/* expr/func_regex.c — PostgreSQL's regular-expression functions on the
** engine of regex.h: regexp_like (and the ~ operators), regexp_match,
** regexp_matches (its rows: the binder unnests the array of matches this
** file returns), regexp_replace, regexp_count, regexp_instr,
** regexp_substr, regexp_split_to_array (regexp_split_to_table unnests it),
** substring(s FROM pattern), similar_to_escape (SIMILAR TO is `~` over it)
** and substring(s SIMILAR pattern ESCAPE e).
**
** Positions and lengths count characters, as PostgreSQL's do; matching runs
** on the UTF-8 bytes.  A constant pattern (and flags) is compiled once, when
** the statement's expressions are folded: orb_regex_call_prepare() hangs
** the compiled expression on the call's node and evaluation finds it in
** ctx->fn_cache; otherwise each evaluation compiles into its arena. */
#include <string.h>

#include "base/buf.h"
#include "expr/func_int.h"
#include "expr/regex.h"
#include "types/array.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

typedef struct cached_re {
  orb_regex *re;
  orb_regex_opts opts;
} cached_re;

/* --- characters (orb_fn_nchars, orb_fn_char_off: func_int.h) ------------------------- */

/* The byte after the character at i. */
static size_t next_char(const char *s, size_t n, size_t i) {
  i++;
  while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  return i;
}

/* --- which argument is what ---------------------------------------------------------- */

typedef enum { RX_LIKE, RX_MATCH, RX_MATCHES, RX_REPLACE, RX_COUNT, RX_INSTR, RX_SUBSTR, RX_SPLIT, RX_SUBSTRING }
rx_kind;

/* Index of the flags argument of a call of kind k with n arguments whose
** argument types are t (-1: none). */
static int flags_arg(rx_kind k, int n, const orb_value *a, const orb_expr *const *x) {
  switch (k) {
  case RX_LIKE: case RX_MATCH: case RX_MATCHES: case RX_SPLIT: return n >= 3 ? 2 : -1;
  case RX_COUNT: return n >= 4 ? 3 : -1;
  case RX_SUBSTR: return n >= 5 ? 4 : -1;
  case RX_INSTR: return n >= 6 ? 5 : -1;
  case RX_REPLACE:
    if (n == 6) return 5;
    if (n == 4) {
      int id = a ? a[3].type : x[3]->type.id;
      return id == ORB_T_TEXT ? 3 : -1;
    }
    return -1;
  case RX_SUBSTRING: return -1;
  }
  return -1;
}

static const char *kind_name(rx_kind k) {
  static const char *const names[] = {"regexp_like", "regexp_match", "regexp_matches", "regexp_replace",
                                      "regexp_count", "regexp_instr", "regexp_substr", "regexp_split_to_array",
                                      "substring"};
  return names[k];
}

/* Whether g is allowed (only regexp_replace and regexp_matches take it). */
static bool takes_g(rx_kind k) { return k == RX_REPLACE || k == RX_MATCHES; }

static orb_status compile_args(orb_arena *arena, rx_kind k, int n, const orb_value *a, cached_re *c, orb_err *e) {
  int fi = flags_arg(k, n, a, NULL);
  const char *fl = fi >= 0 ? a[fi].u.s : "";
  size_t fn = fi >= 0 ? a[fi].len : 0;
  orb_status st = orb_regex_parse_flags(fl, fn, kind_name(k), takes_g(k), &c->opts, e);
  if (st != ORB_OK) return st;
  return orb_regex_compile(arena, a[1].u.s, a[1].len, &c->opts, &c->re, e);
}

/* The expression to use: the one compiled at fold time, or a fresh one. */
static orb_status get_re(const orb_eval_ctx *ctx, rx_kind k, int n, const orb_value *a, cached_re *c, orb_err *e) {
  if (ctx->fn_cache) {
    *c = *(const cached_re *)ctx->fn_cache;
    return ORB_OK;
  }
  return compile_args(ctx->arena, k, n, a, c, e);
}

/* --- regexp_like, ~ ------------------------------------------------------------------ */

EVAL(f_regexp_like) {
  UNUSED;
  cached_re c;
  orb_status st = get_re(ctx, RX_LIKE, n, a, &c, e);
  if (st != ORB_OK) return st;
  size_t ov[2 * 10 + 2];
  size_t *v = orb_regex_ngroups(c.re) < 10 ? ov
            : orb_arena_alloc(ctx->arena, sizeof(size_t) * 2 * (size_t)(orb_regex_ngroups(c.re) + 1));
  int found;
  if ((st = orb_regex_exec(c.re, a[0].u.s, a[0].len, 0, v, &found, e)) != ORB_OK) return st;
  *out = orb_bool(found != 0);
  return ORB_OK;
}

/* --- matching helpers ---------------------------------------------------------------- */

typedef struct matcher {
  const orb_eval_ctx *ctx;
  cached_re c;
  const char *s;
  size_t n;
  size_t *ov;
  int ngroups;
} matcher;

static orb_status m_init(matcher *m, const orb_eval_ctx *ctx, rx_kind k, int n, const orb_value *a, orb_err *e) {
  m->ctx = ctx;
  orb_status st = get_re(ctx, k, n, a, &m->c, e);
  if (st != ORB_OK) return st;
  m->s = a[0].u.s;
  m->n = a[0].len;
  m->ngroups = orb_regex_ngroups(m->c.re);
  m->ov = orb_arena_alloc(ctx->arena, sizeof(size_t) * 2 * (size_t)(m->ngroups + 1));
  return ORB_OK;
}

static orb_status m_find(matcher *m, size_t from, int *found, orb_err *e) {
  if (from > m->n) {
    *found = 0;
    return ORB_OK;
  }
  return orb_regex_exec(m->c.re, m->s, m->n, from, m->ov, found, e);
}

/* Where the search after the match in m->ov goes on: its end, or one
** character further after an empty match (so that it cannot repeat). */
static size_t m_next(const matcher *m) {
  return m->ov[1] > m->ov[0] ? m->ov[1] : next_char(m->s, m->n, m->ov[1]);
}

/* Group g of the current match as text, NULL if it did not take part. */
static orb_value m_group(const matcher *m, int g) {
  if (m->ov[2 * g] == (size_t)-1) return orb_null(ORB_T_TEXT);
  return orb_text(m->s + m->ov[2 * g], m->ov[2 * g + 1] - m->ov[2 * g]);
}

/* The text[] regexp_match gives for the current match: its groups, or the whole match when it has none. */
static orb_value m_array(const matcher *m) {
  int k = m->ngroups ? m->ngroups : 1;
  orb_value *items = orb_arena_alloc(m->ctx->arena, sizeof(orb_value) * (size_t)k);
  if (!m->ngroups) items[0] = m_group(m, 0);
  for (int g = 1; g <= m->ngroups; g++) items[g - 1] = m_group(m, g);
  return orb_array_make(m->ctx->arena, ORB_T_TEXT, items, (uint32_t)k);
}

static orb_status bad_param(orb_err *e, const char *name, int64_t v) {
  return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid value for parameter \"%s\": %lld", name, (long long)v);
}

/* Byte offset of 1-based character position `start` (22023 below 1). */
static orb_status start_off(const matcher *m, int64_t start, size_t *off, orb_err *e) {
  if (start < 1) return bad_param(e, "start", start);
  *off = orb_fn_char_off(m->s, m->n, start - 1);
  if (orb_fn_nchars(m->s, m->n) < (size_t)(start - 1)) *off = m->n + 1;   /* beyond the end: no match */
  return ORB_OK;
}

/* --- regexp_match, regexp_matches ---------------------------------------------------- */

EVAL(f_regexp_match) {
  UNUSED;
  matcher m;
  int found;
  orb_status st = m_init(&m, ctx, RX_MATCH, n, a, e);
  if (st != ORB_OK || (st = m_find(&m, 0, &found, e)) != ORB_OK) return st;
  *out = found ? m_array(&m) : orb_null(ORB_T_ARRAY);
  return ORB_OK;
}

/* regexp_matches(s, p [, flags]): every row it returns, as an array of text[]
** (the binder unnests it: binder_srf.c).  Without g, the first match only. */
EVAL(f_regexp_matches) {
  UNUSED;
  matcher m;
  orb_status st = m_init(&m, ctx, RX_MATCHES, n, a, e);
  if (st != ORB_OK) return st;
  uint32_t cnt = 0, cap = 4;
  orb_value *rows = orb_arena_alloc(ctx->arena, sizeof(orb_value) * cap);
  size_t from = 0;
  for (;;) {
    int found;
    if ((st = m_find(&m, from, &found, e)) != ORB_OK) return st;
    if (!found) break;
    if (cnt == cap) {
      orb_value *nv = orb_arena_alloc(ctx->arena, sizeof(orb_value) * cap * 2);
      memcpy(nv, rows, sizeof(orb_value) * cap);
      rows = nv;
      cap *= 2;
    }
    rows[cnt++] = m_array(&m);
    if (!m.c.opts.global) break;
    from = m_next(&m);
  }
  *out = orb_array_make(ctx->arena, ORB_T_ARRAY, rows, cnt);
  return ORB_OK;
}

/* --- regexp_replace ------------------------------------------------------------------ */

/* Append the replacement text for the current match: \1..\9 a group, \& the match, \\ a backslash. */
static void put_replacement(const matcher *m, const orb_value *r, orb_buf *b) {
  for (uint32_t i = 0; i < r->len; i++) {
    char c = r->u.s[i];
    if (c == '\\' && i + 1 < r->len) {
      char d = r->u.s[i + 1];
      if (d >= '1' && d <= '9') {
        int g = d - '0';
        if (g <= m->ngroups && m->ov[2 * g] != (size_t)-1)
          orb_buf_append(b, m->s + m->ov[2 * g], m->ov[2 * g + 1] - m->ov[2 * g]);
        i++;
        continue;
      }
      if (d == '&') {
        orb_buf_append(b, m->s + m->ov[0], m->ov[1] - m->ov[0]);
        i++;
        continue;
      }
      if (d == '\\') {
        orb_buf_putc(b, '\\');
        i++;
        continue;
      }
    }
    orb_buf_putc(b, c);
  }
}

/* regexp_replace(s, p, r [, flags]) and PostgreSQL 15's
** regexp_replace(s, p, r, start [, N [, flags]]): replace the N-th match at
** or after character `start` (N 0: all of them; g in flags: all). */
EVAL(f_regexp_replace) {
  UNUSED;
  matcher m;
  orb_status st = m_init(&m, ctx, RX_REPLACE, n, a, e);
  if (st != ORB_OK) return st;
  bool start_form = n >= 5 || (n == 4 && a[3].type != ORB_T_TEXT);
  int64_t start = start_form ? a[3].u.i : 1, nth = 1;
  if (n >= 5) {
    nth = a[4].u.i;
    if (nth < 0) return bad_param(e, "n", nth);
  } else if (!start_form && m.c.opts.global) {
    nth = 0;
  } else if (start_form && n == 4) {
    nth = 1;
  }
  if (n == 6 && m.c.opts.global) nth = 0;
  size_t from;
  if ((st = start_off(&m, start, &from, e)) != ORB_OK) return st;
  orb_buf b;
  orb_buf_init(&b);
  size_t copied = 0;
  int64_t k = 0;
  while (from <= m.n) {
    int found;
    if ((st = m_find(&m, from, &found, e)) != ORB_OK) {
      orb_buf_free(&b);
      return st;
    }
    if (!found) break;
    k++;
    if (nth == 0 || k == nth) {
      orb_buf_append(&b, m.s + copied, m.ov[0] - copied);
      put_replacement(&m, &a[2], &b);
      copied = m.ov[1];
      if (nth != 0) break;
    }
    from = m_next(&m);
  }
  orb_buf_append(&b, m.s + copied, m.n - copied);
  *out = orb_fn_text(ctx, b.len ? (const char *)b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* --- regexp_count, regexp_instr, regexp_substr ---------------------------------------- */

EVAL(f_regexp_count) {
  UNUSED;
  matcher m;
  orb_status st = m_init(&m, ctx, RX_COUNT, n, a, e);
  if (st != ORB_OK) return st;
  size_t from = 0;
  if (n >= 3 && (st = start_off(&m, a[2].u.i, &from, e)) != ORB_OK) return st;
  int64_t k = 0;
  for (;;) {
    int found;
    if ((st = m_find(&m, from, &found, e)) != ORB_OK) return st;
    if (!found) break;
    k++;
    from = m_next(&m);
  }
  *out = orb_int(ORB_T_INT32, k);
  return ORB_OK;
}

/* The N-th match at or after `start`, and the group asked for: *found 0
** when there is none (or the group did not take part). */
static orb_status nth_match(matcher *m, int64_t start, int64_t nth, int64_t subexpr, size_t *b0, size_t *b1,
                            int *found, orb_err *e) {
  if (nth <= 0) return bad_param(e, "n", nth);
  if (subexpr < 0) return bad_param(e, "subexpr", subexpr);
  size_t from;
  orb_status st = start_off(m, start, &from, e);
  if (st != ORB_OK) return st;
  for (int64_t k = 1;; k++) {
    if ((st = m_find(m, from, found, e)) != ORB_OK || !*found) return st;
    if (k == nth) break;
    from = m_next(m);
  }
  if (subexpr > m->ngroups || m->ov[2 * subexpr] == (size_t)-1) {
    *found = 0;
    return ORB_OK;
  }
  *b0 = m->ov[2 * subexpr];
  *b1 = m->ov[2 * subexpr + 1];
  return ORB_OK;
}

/* regexp_instr(s, p [, start [, N [, endoption [, flags [, subexpr]]]]]) */
EVAL(f_regexp_instr) {
  UNUSED;
  matcher m;
  orb_status st = m_init(&m, ctx, RX_INSTR, n, a, e);
  if (st != ORB_OK) return st;
  int64_t start = n >= 3 ? a[2].u.i : 1, nth = n >= 4 ? a[3].u.i : 1, endopt = n >= 5 ? a[4].u.i : 0;
  int64_t subexpr = n >= 7 ? a[6].u.i : 0;
  if (start < 1) return bad_param(e, "start", start);
  if (nth <= 0) return bad_param(e, "n", nth);
  if (endopt != 0 && endopt != 1) return bad_param(e, "endoption", endopt);
  size_t b0, b1;
  int found;
  if ((st = nth_match(&m, start, nth, subexpr, &b0, &b1, &found, e)) != ORB_OK) return st;
  int64_t pos = !found ? 0 : (int64_t)orb_fn_nchars(m.s, endopt ? b1 : b0) + 1;
  *out = orb_int(ORB_T_INT32, pos);
  return ORB_OK;
}

/* regexp_substr(s, p [, start [, N [, flags [, subexpr]]]]) */
EVAL(f_regexp_substr) {
  UNUSED;
  matcher m;
  orb_status st = m_init(&m, ctx, RX_SUBSTR, n, a, e);
  if (st != ORB_OK) return st;
  int64_t start = n >= 3 ? a[2].u.i : 1, nth = n >= 4 ? a[3].u.i : 1, subexpr = n >= 6 ? a[5].u.i : 0;
  if (start < 1) return bad_param(e, "start", start);
  size_t b0, b1;
  int found;
  if ((st = nth_match(&m, start, nth, subexpr, &b0, &b1, &found, e)) != ORB_OK) return st;
  *out = found ? orb_text(m.s + b0, b1 - b0) : orb_null(ORB_T_TEXT);
  return ORB_OK;
}

/* --- regexp_split_to_array ----------------------------------------------------------- */

/* The pieces between matches; an empty match splits between characters, and
** (as PostgreSQL) a zero-length match at the start or the end of the string
** does not split off an empty piece. */
EVAL(f_regexp_split) {
  UNUSED;
  matcher m;
  orb_status st = m_init(&m, ctx, RX_SPLIT, n, a, e);
  if (st != ORB_OK) return st;
  uint32_t cnt = 0, cap = 8;
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * cap);
  size_t piece = 0, from = 0;
  for (;;) {
    int found = 0;
    while (from < m.n) {
      if ((st = m_find(&m, from, &found, e)) != ORB_OK) return st;
      if (!found) break;
      if (m.ov[1] == m.ov[0] && (m.ov[0] == 0 || m.ov[0] >= m.n)) {   /* empty match at an end: no split */
        if (m.ov[0] >= m.n) {
          found = 0;
          break;
        }
        from = next_char(m.s, m.n, m.ov[0]);
        found = 0;
        continue;
      }
      if (m.ov[1] == m.ov[0] && m.ov[0] == piece) {   /* empty match where the piece starts: look further */
        from = next_char(m.s, m.n, m.ov[0]);
        found = 0;
        continue;
      }
      break;
    }
    if (cnt == cap) {
      orb_value *nv = orb_arena_alloc(ctx->arena, sizeof(orb_value) * cap * 2);
      memcpy(nv, items, sizeof(orb_value) * cap);
      items = nv;
      cap *= 2;
    }
    if (!found) {
      items[cnt++] = orb_text(m.s + piece, m.n - piece);
      break;
    }
    items[cnt++] = orb_text(m.s + piece, m.ov[0] - piece);
    piece = m.ov[1];
    from = m_next(&m);
  }
  *out = orb_array_make(ctx->arena, ORB_T_TEXT, items, cnt);
  return ORB_OK;
}

/* --- SIMILAR TO ---------------------------------------------------------------------- */

/* similar_to_escape(pattern [, escape]): the ARE a SQL regular expression
** stands for, anchored at both ends, as PostgreSQL rewrites SIMILAR TO:
** % and _ become .* and ., the escape character quotes the next one (and
** escape-double-quote separates the parts substring(... SIMILAR ...) takes
** apart), brackets pass through, ( opens a non-capturing group, and the
** ARE metacharacters that SQL patterns take literally are quoted. */
static orb_status similar_to_are(const char *p, size_t n, const char *esc, size_t nesc, orb_buf *b, orb_err *e) {
  if (nesc > 1 && orb_fn_nchars(esc, nesc) > 1) {
    orb_err_setx(e, ORB_ERR_CONSTRAINT, "22025", 0, "invalid escape string");
    orb_err_hint(e, "Escape string must be empty or one character.");
    return e->code;
  }
  bool has_esc = nesc > 0;
  int separators = 0, bracket_depth = 0;
  bool after_escape = false, bracket_start = false;
  orb_buf_puts(b, "^(?:");
  for (size_t i = 0; i < n;) {
    size_t clen = next_char(p, n, i) - i;
    bool is_esc = has_esc && clen == nesc && memcmp(p + i, esc, nesc) == 0;
    char c = p[i];
    if (after_escape) {
      after_escape = false;
      if (c == '"' && bracket_depth == 0) {
        if (++separators > 2)
          return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "2201B", 0,
                              "SQL regular expression may not contain more than two escape-double-quote separators");
        orb_buf_puts(b, separators == 1 ? "){1,1}?(" : "){1,1}(?:");
      } else {
        orb_buf_putc(b, '\\');
        orb_buf_append(b, p + i, clen);
      }
    } else if (is_esc) {
      after_escape = true;
    } else if (bracket_depth > 0) {
      if (c == '\\') orb_buf_putc(b, '\\');
      else if (c == ']' && !bracket_start) bracket_depth = 0;
      bracket_start = bracket_start && c == '^';
      orb_buf_append(b, p + i, clen);
    } else if (c == '[') {
      bracket_depth = 1;
      bracket_start = true;
      orb_buf_putc(b, '[');
    } else if (c == '%') {
      orb_buf_puts(b, ".*");
    } else if (c == '_') {
      orb_buf_putc(b, '.');
    } else if (c == '(') {
      orb_buf_puts(b, "(?:");
    } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
      orb_buf_putc(b, '\\');
      orb_buf_putc(b, c);
    } else {
      orb_buf_append(b, p + i, clen);
    }
    i += clen;
  }
  orb_buf_puts(b, ")$");
  return ORB_OK;
}

EVAL(f_similar_to_escape) {
  UNUSED;
  orb_buf b;
  orb_buf_init(&b);
  orb_status st = similar_to_are(a[0].u.s, a[0].len, n > 1 ? a[1].u.s : "\\", n > 1 ? a[1].len : 1, &b, e);
  if (st == ORB_OK) *out = orb_fn_text(ctx, (const char *)b.data, b.len);
  orb_buf_free(&b);
  return st;
}

/* --- substring(s FROM pattern), substring(s SIMILAR pattern ESCAPE e) ---------------- */

/* The match's first group when the pattern has groups, else the whole match; NULL when none. */
static orb_status regex_substring(const orb_eval_ctx *ctx, const orb_value *s, const cached_re *c, orb_value *out,
                                  orb_err *e) {
  matcher m = {ctx, *c, s->u.s, s->len, NULL, orb_regex_ngroups(c->re)};
  m.ov = orb_arena_alloc(ctx->arena, sizeof(size_t) * 2 * (size_t)(m.ngroups + 1));
  int found;
  orb_status st = m_find(&m, 0, &found, e);
  if (st != ORB_OK) return st;
  *out = !found ? orb_null(ORB_T_TEXT) : m_group(&m, m.ngroups ? 1 : 0);
  return ORB_OK;
}

static orb_status compile_similar(orb_arena *arena, const orb_value *pat, const orb_value *esc, cached_re *c,
                                  orb_err *e) {
  orb_buf b;
  orb_buf_init(&b);
  orb_status st = similar_to_are(pat->u.s, pat->len, esc->u.s, esc->len, &b, e);
  if (st == ORB_OK) st = orb_regex_parse_flags("", 0, NULL, false, &c->opts, e);
  if (st == ORB_OK) st = orb_regex_compile(arena, (const char *)b.data, b.len, &c->opts, &c->re, e);
  orb_buf_free(&b);
  return st;
}

orb_status orb_fn_regex_substring(const orb_eval_ctx *ctx, int n, const orb_value *a, orb_value *out, orb_err *e) {
  cached_re c;
  orb_status st = ORB_OK;
  if (ctx->fn_cache) c = *(const cached_re *)ctx->fn_cache;
  else if (n == 3) st = compile_similar(ctx->arena, &a[1], &a[2], &c, e);
  else st = compile_args(ctx->arena, RX_SUBSTRING, n, a, &c, e);
  if (st != ORB_OK) return st;
  return regex_substring(ctx, &a[0], &c, out, e);
}

/* --- compile once per statement ------------------------------------------------------ */

static bool kind_of(const orb_expr *call, rx_kind *k);

void orb_regex_call_prepare(orb_arena *a, orb_expr *call) {
  rx_kind k;
  if (call->kind != ORB_E_FUNC || call->cache || !kind_of(call, &k)) return;
  for (int i = 1; i < call->nargs; i++) {   /* pattern, flags (and the others: cheap to require) */
    const orb_expr *x = call->args[i];
    if (x->kind != ORB_E_CONST || x->value.isnull) {
      int fi = flags_arg(k, call->nargs, NULL, (const orb_expr *const *)call->args);
      if (i == 1 || i == fi || (k == RX_SUBSTRING && call->nargs == 3)) return;
    }
  }
  orb_value args[8];
  int n = call->nargs < 8 ? call->nargs : 8;
  for (int i = 1; i < n; i++) args[i] = call->args[i]->value;
  args[0] = orb_text("", 0);
  cached_re *c = orb_arena_alloc(a, sizeof *c);
  orb_err ignored;
  orb_status st = k == RX_SUBSTRING && n == 3 ? compile_similar(a, &args[1], &args[2], c, &ignored)
                                               : compile_args(a, k, n, args, c, &ignored);
  /* an invalid pattern is reported when a row is evaluated, as PostgreSQL does */
  if (st == ORB_OK) call->cache = c;
}

/* --- resolvers ----------------------------------------------------------------------- */

/* Argument types by position: 't' text, 'i' integer; the result type. */
static orb_status want_sig(orb_type *t, int n, const char *sig, orb_type res, orb_type *out, orb_err *e) {
  for (int i = 0; i < n; i++) {
    if (sig[i] == 't' && !orb_fn_want(t, i, ORB_T_TEXT)) return orb_fn_no_match(e);
    if (sig[i] == 'i') {
      if (orb_type_is_integer((orb_type_id)t[i].id)) t[i] = orb_type_make(ORB_T_INT64);
      else if (!orb_fn_want(t, i, ORB_T_INT64)) return orb_fn_no_match(e);
    }
  }
  *out = res;
  return ORB_OK;
}

static orb_status r_like(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttt", orb_type_make(ORB_T_BOOL), res, e);
}
static orb_status r_match(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttt", orb_type_array(ORB_T_TEXT), res, e);
}
static orb_status r_matches(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttt", orb_type_array(ORB_T_ARRAY), res, e);
}
static orb_status r_replace(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  /* the 4th argument: an integer is start (PostgreSQL 15), text (or an untyped literal) the flags */
  bool start_form = n >= 5 || (n == 4 && orb_type_is_integer((orb_type_id)t[3].id));
  return want_sig(t, n, start_form ? "tttiit" : "tttt", orb_type_make(ORB_T_TEXT), res, e);
}
static orb_status r_count(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttit", orb_type_make(ORB_T_INT32), res, e);
}
static orb_status r_instr(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttiiiti", orb_type_make(ORB_T_INT32), res, e);
}
static orb_status r_substr(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttiiti", orb_type_make(ORB_T_TEXT), res, e);
}
static orb_status r_split(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "ttt", orb_type_array(ORB_T_TEXT), res, e);
}
static orb_status r_text_fn(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  return want_sig(t, n, "tt", orb_type_make(ORB_T_TEXT), res, e);
}

const orb_func orb_funcs_regex[] = {
    {"regexp_like", 2, 3, 0, r_like, f_regexp_like},
    {"regexp_match", 2, 3, 0, r_match, f_regexp_match},
    {"regexp_matches", 2, 3, 0, r_matches, f_regexp_matches},
    {"regexp_replace", 3, 6, 0, r_replace, f_regexp_replace},
    {"regexp_count", 2, 4, 0, r_count, f_regexp_count},
    {"regexp_instr", 2, 7, 0, r_instr, f_regexp_instr},
    {"regexp_substr", 2, 6, 0, r_substr, f_regexp_substr},
    {"regexp_split_to_array", 2, 3, 0, r_split, f_regexp_split},
    {"similar_to_escape", 1, 2, 0, r_text_fn, f_similar_to_escape},
};
const int orb_nfuncs_regex = sizeof orb_funcs_regex / sizeof orb_funcs_regex[0];

static bool kind_of(const orb_expr *call, rx_kind *k) {
  orb_func_eval_fn ev = call->func->eval;
  static const rx_kind order[] = {RX_LIKE, RX_MATCH, RX_MATCHES, RX_REPLACE, RX_COUNT, RX_INSTR, RX_SUBSTR, RX_SPLIT};
  for (int i = 0; i < 8; i++)
    if (orb_funcs_regex[i].eval == ev) {
      *k = order[i];
      return true;
    }
  /* substring(s, pattern) / substring(s, pattern, escape): the text forms */
  if (strcmp(call->func->name, "substring") == 0 && call->nargs >= 2 && call->args[1]->type.id == ORB_T_TEXT) {
    *k = RX_SUBSTRING;
    return true;
  }
  return false;
}
