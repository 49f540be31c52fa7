/* expr/regex.c — PostgreSQL regular expressions on PCRE2 (see regex.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "expr/regex.h"

struct orb_regex {
  pcre2_code *code;
  pcre2_match_context *mc;   /* the backtracking limit; only read by matching */
  int ngroups;
};

/* PCRE2 allocates from the arena its general context carries; arena memory
** is released all at once, so free does nothing. */
static void *arena_malloc(PCRE2_SIZE n, void *a) { return orb_arena_alloc(a, n ? n : 1); }
static void arena_free(void *p, void *a) { (void)p, (void)a; }
/* Matching's scratch (pcre2_match_data_create_from_pattern would otherwise take
** the pattern's allocator: the arena it was compiled in, which lives as long
** as the statement). */
static void *heap_malloc(PCRE2_SIZE n, void *unused) {
  (void)unused;
  return orb_malloc(n ? n : 1);
}
static void heap_free(void *p, void *unused) {
  (void)unused;
  orb_free(p);
}

/* The backtracking budget of one search: PostgreSQL's engine has no such
** runaway case (it is a DFA/NFA hybrid); PCRE2's can take exponential
** time on patterns like (a*)*b, which this bounds. */
#define MATCH_LIMIT 50000000u

static orb_status bad_re(orb_err *e, const char *what) {
  return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "2201B", 0, "invalid regular expression: %s", what);
}

orb_status orb_regex_parse_flags(const char *flags, size_t n, const char *fn, bool allow_g, orb_regex_opts *o,
                                 orb_err *e) {
  /* PostgreSQL's default: ARE, newlines ordinary (. and [^x] match them, ^ $ only at the ends) */
  memset(o, 0, sizeof *o);
  bool icase = false, dotall = true, multiline = false;
  for (size_t i = 0; i < n; i++) {
    switch (flags[i]) {
    case 'g':
      if (!fn) goto invalid;
      if (!allow_g) {
        orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "%s() does not support the \"global\" option", fn);
        if (strcmp(fn, "regexp_match") == 0) orb_err_hint(e, "Use the regexp_matches function instead.");
        return e->code;
      }
      o->global = true;
      break;
    case 'b':
    case 'e': o->basic = true, o->literal = false; break;   /* e: BREs too, as in PostgreSQL (regex.h) */
    case 'q': o->literal = true, o->basic = false; break;
    case 'i': icase = true; break;
    case 'c': icase = false; break;
    case 'n':
    case 'm': dotall = false, multiline = true; break;   /* newline-sensitive */
    case 'p': dotall = false, multiline = false; break;  /* partial: . and [^ stop at newlines */
    case 'w': dotall = true, multiline = true; break;    /* inverse partial: ^ $ at newlines */
    case 's': dotall = true, multiline = false; break;
    case 'x': o->pcre |= PCRE2_EXTENDED; break;
    case 't': o->pcre &= ~(unsigned)PCRE2_EXTENDED; break;
    default:
    invalid:
      return orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22023", 0, "invalid regular expression option: \"%.*s\"",
                          (int)(flags[i] & 0x80 ? 1 : 1), &flags[i]);
    }
  }
  o->pcre |= PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY;
  if (icase) o->pcre |= PCRE2_CASELESS;
  if (dotall) o->pcre |= PCRE2_DOTALL;
  if (multiline) o->pcre |= PCRE2_MULTILINE;
  o->nlsens = !dotall;
  return ORB_OK;
}

/* --- ARE to PCRE2 ----------------------------------------------------------------- */

typedef struct xlate {
  const char *p, *end;
  orb_buf *out;
  const orb_regex_opts *o;
  orb_err *e;
} xlate;

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* \x \u \U: hex digits (at most `max`, or any number for \x) become \x{...}. */
static orb_status hex_escape(xlate *x, int max) {
  const char *d = x->p;
  while (x->p < x->end && hexval(*x->p) >= 0 && (max == 0 || x->p - d < max)) x->p++;
  if (x->p == d || (max && x->p - d != max)) return bad_re(x->e, "invalid escape \\ sequence");
  orb_buf_puts(x->out, "\\x{");
  orb_buf_append(x->out, d, (size_t)(x->p - d));
  orb_buf_putc(x->out, '}');
  return ORB_OK;
}

/* One escape after the backslash (x->p at the letter); in_bracket: inside [...]. */
static orb_status escape(xlate *x, bool in_bracket) {
  if (x->p >= x->end) return bad_re(x->e, "invalid escape \\ sequence");
  char c = *x->p++;
  switch (c) {
  case 'b': orb_buf_puts(x->out, "\\x08"); return ORB_OK;
  case 'B': orb_buf_puts(x->out, "\\\\"); return ORB_OK;
  case 'v': orb_buf_puts(x->out, "\\x0b"); return ORB_OK;
  case 'x': return hex_escape(x, 0);
  case 'u': return hex_escape(x, 4);
  case 'U': return hex_escape(x, 8);
  case 'a': case 'e': case 'f': case 'n': case 'r': case 't':
  case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
    orb_buf_putc(x->out, '\\');
    orb_buf_putc(x->out, c);
    return ORB_OK;
  case 'c':
    if (x->p >= x->end) return bad_re(x->e, "invalid escape \\ sequence");
    orb_buf_puts(x->out, "\\c");
    orb_buf_putc(x->out, *x->p++);
    return ORB_OK;
  default:
    break;
  }
  if (!in_bracket) {
    switch (c) {
    case 'm': orb_buf_puts(x->out, "\\b(?=\\w)"); return ORB_OK;
    case 'M': orb_buf_puts(x->out, "\\b(?<=\\w)"); return ORB_OK;
    case 'y': orb_buf_puts(x->out, "\\b"); return ORB_OK;
    case 'Y': orb_buf_puts(x->out, "\\B"); return ORB_OK;
    case 'A': orb_buf_puts(x->out, "\\A"); return ORB_OK;
    case 'Z': orb_buf_puts(x->out, "\\z"); return ORB_OK;
    default: break;
    }
  }
  if (c >= '0' && c <= '9') {   /* back reference, or \0 / an octal escape: PCRE2 reads them alike */
    orb_buf_putc(x->out, '\\');
    orb_buf_putc(x->out, c);
    return ORB_OK;
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return bad_re(x->e, "invalid escape \\ sequence");
  /* any other character stands for itself; keep it escaped (it may be a metacharacter) */
  orb_buf_putc(x->out, '\\');
  orb_buf_putc(x->out, c);
  return ORB_OK;
}

/* A bracket expression, x->p just after '['. */
static orb_status bracket(xlate *x) {
  orb_buf_putc(x->out, '[');
  if (x->p < x->end && *x->p == '^') {
    orb_buf_putc(x->out, '^');
    x->p++;
    if (x->o->nlsens) orb_buf_puts(x->out, "\\n");
  }
  if (x->p < x->end && *x->p == ']') {   /* a leading ] is literal */
    orb_buf_puts(x->out, "\\]");
    x->p++;
  }
  while (x->p < x->end) {
    char c = *x->p;
    if (c == ']') {
      orb_buf_putc(x->out, ']');
      x->p++;
      return ORB_OK;
    }
    if (c == '[' && x->p + 1 < x->end && (x->p[1] == '.' || x->p[1] == '=')) {
      /* [.c.] collating element / [=c=] equivalence class of one character: the character */
      char kind = x->p[1];
      const char *s = x->p + 2, *t = s;
      while (t + 1 < x->end && !(t[0] == kind && t[1] == ']')) t++;
      if (t + 1 >= x->end) return bad_re(x->e, "brackets [] not balanced");
      size_t len = (size_t)(t - s);
      if (len == 0 || (len > 1 && ((unsigned char)*s < 0x80 || len > 4)))
        return bad_re(x->e, "invalid collating element");
      if (*s == '\\' || *s == ']' || *s == '^' || *s == '-' || *s == '[') orb_buf_putc(x->out, '\\');
      orb_buf_append(x->out, s, len);
      x->p = t + 2;
      continue;
    }
    if (c == '[' && x->p + 1 < x->end && x->p[1] == ':') {   /* [:class:] as it is */
      const char *t = x->p + 2;
      while (t + 1 < x->end && !(t[0] == ':' && t[1] == ']')) t++;
      if (t + 1 >= x->end) return bad_re(x->e, "brackets [] not balanced");
      size_t len = (size_t)(t - (x->p + 2));
      /* case-insensitively, PostgreSQL's [:upper:] and [:lower:] match either case */
      if ((x->o->pcre & PCRE2_CASELESS) && len == 5 &&
          (memcmp(x->p + 2, "upper", 5) == 0 || memcmp(x->p + 2, "lower", 5) == 0))
        orb_buf_puts(x->out, "[:alpha:]");
      else
        orb_buf_append(x->out, x->p, (size_t)(t + 2 - x->p));
      x->p = t + 2;
      continue;
    }
    if (c == '\\' && !x->o->basic) {
      x->p++;
      orb_status st = escape(x, true);
      if (st != ORB_OK) return st;
      continue;
    }
    if (c == '\\' || c == '[') {   /* BRE: a backslash in brackets is literal; a lone [ too */
      orb_buf_putc(x->out, '\\');
      orb_buf_putc(x->out, c);
      x->p++;
      continue;
    }
    orb_buf_putc(x->out, c);
    x->p++;
  }
  return bad_re(x->e, "brackets [] not balanced");
}

/* {m}, {m,}, {m,n}: x->p just after '{'.  PostgreSQL's limit is 255; a brace
** that starts no bound is a literal brace in both engines. */
static orb_status bound(xlate *x, bool basic) {
  const char *s = x->p;
  long m = -1, n = -1;
  const char *t = s;
  if (t < x->end && *t >= '0' && *t <= '9') {
    m = 0;
    for (; t < x->end && *t >= '0' && *t <= '9'; t++)
      if (m <= 1000) m = m * 10 + (*t - '0');   /* beyond 255 anyway: stop growing */
  }
  bool comma = t < x->end && *t == ',';
  if (comma) {
    t++;
    if (t < x->end && *t >= '0' && *t <= '9') {
      n = 0;
      for (; t < x->end && *t >= '0' && *t <= '9'; t++)
        if (n <= 1000) n = n * 10 + (*t - '0');
    }
  }
  bool closes = basic ? (t + 1 < x->end && t[0] == '\\' && t[1] == '}') : (t < x->end && *t == '}');
  if (m < 0 || !closes) {
    if (basic) return bad_re(x->e, "invalid repetition count(s)");
    orb_buf_puts(x->out, "\\{");   /* not a bound: literal */
    return ORB_OK;
  }
  if (m > 255 || n > 255 || (n >= 0 && n < m)) return bad_re(x->e, "invalid repetition count(s)");
  orb_buf_putc(x->out, '{');
  orb_buf_append(x->out, s, (size_t)(t - s));
  orb_buf_putc(x->out, '}');
  x->p = t + (basic ? 2 : 1);
  return ORB_OK;
}

/* BRE (the b option, and e: PostgreSQL's e gives BREs too, its flag
** arithmetic clearing the ERE bit it sets): \( \) \{ \} group and bound,
** ( ) { } + ? | are ordinary, \< \> are word starts and ends, \1..\9 back
** references, any other escaped character stands for itself; a * at the
** start of the expression or of a group is ordinary. */
static orb_status translate_bre(xlate *x) {
  orb_status st;
  bool at_start = true, after_star = false;
  while (x->p < x->end) {
    char c = *x->p++;
    bool was_start = at_start, star_before = after_star;
    at_start = after_star = false;
    if (c == '*' && star_before) {   /* a** is a* */
      after_star = true;
      continue;
    }
    if (c == '*' && !was_start) after_star = true;
    if (c == '[') {
      if ((st = bracket(x)) != ORB_OK) return st;
    } else if (c == '\\') {
      if (x->p >= x->end) return bad_re(x->e, "invalid escape \\ sequence");
      char d = *x->p++;
      if (d == '(') orb_buf_putc(x->out, '('), at_start = true;
      else if (d == ')') orb_buf_putc(x->out, ')');
      else if (d == '{') {
        if ((st = bound(x, true)) != ORB_OK) return st;
      } else if (d == '<') orb_buf_puts(x->out, "\\b(?=\\w)");
      else if (d == '>') orb_buf_puts(x->out, "\\b(?<=\\w)");
      else if (d >= '1' && d <= '9') orb_buf_putc(x->out, '\\'), orb_buf_putc(x->out, d);
      else if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || (d & 0x80)) x->p--;
      else orb_buf_putc(x->out, '\\'), orb_buf_putc(x->out, d);
    } else if (strchr("(){}+?|", c) || (c == '*' && was_start)) {
      orb_buf_putc(x->out, '\\');
      orb_buf_putc(x->out, c);
    } else {
      if (c == '^') at_start = true;
      orb_buf_putc(x->out, c);
    }
  }
  return ORB_OK;
}

/* What precedes a quantifier, for PostgreSQL's "quantifier operand
** invalid": an atom may be quantified; a quantifier only by ? (making it
** non-greedy); nothing else (the start, |, (, anchors, lookaround) may. */
enum { Q_NONE, Q_ATOM, Q_QUANT, Q_LAZY };

#define MAX_GROUP_DEPTH 256

static orb_status translate_are(xlate *x) {
  orb_status st;
  int state = Q_NONE, groups = 0, depth = 0;
  bool lookaround[MAX_GROUP_DEPTH];
  bool extended = (x->o->pcre & PCRE2_EXTENDED) != 0;
  while (x->p < x->end) {
    char c = *x->p++;
    if (extended && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) {
      orb_buf_putc(x->out, c);
      continue;
    }
    if (extended && c == '#') {   /* a comment to the end of the line */
      while (x->p < x->end && *x->p != '\n') x->p++;
      continue;
    }
    bool quant = c == '*' || c == '+' || c == '?';
    if (c == '{' && x->p < x->end && *x->p >= '0' && *x->p <= '9') quant = true;
    if (quant) {
      if (state == Q_QUANT && c == '?') {   /* non-greedy */
        orb_buf_putc(x->out, '?');
        state = Q_LAZY;
        continue;
      }
      if (state != Q_ATOM) return bad_re(x->e, "quantifier operand invalid");
      if (c == '{') {
        size_t before = x->out->len;
        if ((st = bound(x, false)) != ORB_OK) return st;
        /* a brace that starts no bound is a literal brace: an atom */
        state = x->out->len - before >= 2 && memcmp(x->out->data + before, "\\{", 2) == 0 ? Q_ATOM : Q_QUANT;
        continue;
      }
      orb_buf_putc(x->out, c);
      state = Q_QUANT;
      continue;
    }
    switch (c) {
    case '[':
      if ((st = bracket(x)) != ORB_OK) return st;
      state = Q_ATOM;
      break;
    case '(': {
      bool look = false;
      if (x->p < x->end && *x->p == '?') {
        const char *q = x->p + 1;
        if (q < x->end && *q == '#') {   /* (?#comment) */
          while (q < x->end && *q != ')') q++;
          if (q >= x->end) return bad_re(x->e, "parentheses () not balanced");
          x->p = q + 1;
          break;
        }
        size_t k = q < x->end && (*q == ':' || *q == '=' || *q == '!') ? 1
                 : q + 1 < x->end && q[0] == '<' && (q[1] == '=' || q[1] == '!') ? 2 : 0;
        if (!k) return bad_re(x->e, "quantifier operand invalid");
        look = *q != ':';
        orb_buf_putc(x->out, '(');
        orb_buf_append(x->out, x->p, 1 + k);
        x->p += 1 + k;
      } else {
        orb_buf_putc(x->out, '(');
        groups++;
      }
      if (depth >= MAX_GROUP_DEPTH) return bad_re(x->e, "regular expression is too complex");
      lookaround[depth++] = look;
      state = Q_NONE;
      break;
    }
    case ')':
      if (depth == 0) return bad_re(x->e, "parentheses () not balanced");
      orb_buf_putc(x->out, ')');
      state = lookaround[--depth] ? Q_NONE : Q_ATOM;
      break;
    case '|':
      orb_buf_putc(x->out, '|');
      state = Q_NONE;
      break;
    case '^':
    case '$':
      orb_buf_putc(x->out, c);
      state = Q_NONE;
      break;
    case '\\': {
      if (x->p < x->end && *x->p >= '1' && *x->p <= '9') {   /* a back reference to a group already opened */
        int ref = 0;
        while (x->p < x->end && *x->p >= '0' && *x->p <= '9' && ref * 10 + (*x->p - '0') <= groups)
          ref = ref * 10 + (*x->p++ - '0');
        if (ref == 0) return bad_re(x->e, "invalid backreference number");
        orb_buf_printf(x->out, "(?:\\%d)", ref);
        state = Q_ATOM;
        break;
      }
      bool constraint = x->p < x->end && strchr("mMyYAZ", *x->p) != NULL;
      if ((st = escape(x, false)) != ORB_OK) return st;
      state = constraint ? Q_NONE : Q_ATOM;
      break;
    }
    default:
      orb_buf_putc(x->out, c);
      state = Q_ATOM;
      break;
    }
  }
  if (depth) return bad_re(x->e, "parentheses () not balanced");
  return ORB_OK;
}

/* PostgreSQL's wording for PCRE2's compile errors where one exists. */
static const char *pg_wording(int code) {
  switch (code) {
  case PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS:
  case PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS:
    return "parentheses () not balanced";
  case PCRE2_ERROR_MISSING_SQUARE_BRACKET: return "brackets [] not balanced";
  case PCRE2_ERROR_QUANTIFIER_INVALID: return "quantifier operand invalid";
  case PCRE2_ERROR_QUANTIFIER_OUT_OF_ORDER:
  case PCRE2_ERROR_QUANTIFIER_TOO_BIG: return "invalid repetition count(s)";
  case PCRE2_ERROR_END_BACKSLASH:
  case PCRE2_ERROR_UNKNOWN_ESCAPE: return "invalid escape \\ sequence";
  case PCRE2_ERROR_BAD_SUBPATTERN_REFERENCE: return "invalid backreference number";
  case PCRE2_ERROR_UNKNOWN_POSIX_CLASS: return "invalid character class";
  case PCRE2_ERROR_CLASS_RANGE_ORDER: return "invalid character range";
  default: return NULL;
  }
}

orb_status orb_regex_compile(orb_arena *a, const char *pat, size_t n, const orb_regex_opts *opts, orb_regex **out,
                             orb_err *e) {
  orb_regex_opts o = *opts;
  const char *p = pat, *end = pat + n;
  /* directors: ***= the rest is a literal string, ***: the rest is an ARE */
  if (n >= 4 && memcmp(p, "***", 3) == 0 && (p[3] == '=' || p[3] == ':') && !o.basic && !o.literal) {
    if (p[3] == '=') o.literal = true;
    p += 4;
  } else if (n >= 3 && memcmp(p, "***", 3) == 0 && !o.basic && !o.literal) {
    return bad_re(e, "invalid argument to regex function");
  }
  /* a leading (?letters) sets options for the whole ARE */
  if (!o.literal && !o.basic && end - p >= 3 && p[0] == '(' && p[1] == '?' &&
      ((p[2] >= 'a' && p[2] <= 'z') || (p[2] >= 'A' && p[2] <= 'Z'))) {
    const char *q = p + 2;
    while (q < end && *q != ')') q++;
    if (q >= end) return bad_re(e, "parentheses () not balanced");
    orb_regex_opts inner;
    bool g = o.global;
    /* apply the embedded letters on top of the function's options */
    char buf[64];
    size_t len = (size_t)(q - (p + 2));
    if (len >= sizeof buf) return bad_re(e, "invalid embedded option");
    memcpy(buf, p + 2, len);
    for (size_t i = 0; i < len; i++)
      if (buf[i] == 'g' || !strchr("bceimnpqstwx", buf[i])) return bad_re(e, "invalid embedded option");
    /* reconstruct: the caller's letters are already in o; embedded ones override */
    orb_err ignored;
    if (orb_regex_parse_flags(buf, len, NULL, false, &inner, &ignored) != ORB_OK) return bad_re(e, "invalid embedded option");
    unsigned keep_case = (o.pcre & PCRE2_CASELESS) && !memchr(buf, 'c', len) ? PCRE2_CASELESS : 0;
    unsigned keep_x = (o.pcre & PCRE2_EXTENDED) && !memchr(buf, 't', len) ? PCRE2_EXTENDED : 0;
    unsigned nl_given = memchr(buf, 'n', len) || memchr(buf, 'm', len) || memchr(buf, 'p', len) ||
                        memchr(buf, 'w', len) || memchr(buf, 's', len);
    unsigned nl_bits = nl_given ? inner.pcre & (PCRE2_DOTALL | PCRE2_MULTILINE) : o.pcre & (PCRE2_DOTALL | PCRE2_MULTILINE);
    o.pcre = inner.pcre & ~(unsigned)(PCRE2_DOTALL | PCRE2_MULTILINE);
    o.pcre |= nl_bits | keep_case | keep_x;
    o.nlsens = nl_given ? inner.nlsens : o.nlsens;
    o.literal = inner.literal;
    o.basic = inner.basic;
    o.global = g;
    p = q + 1;
  }
  orb_buf b;
  orb_buf_init(&b);
  orb_status st = ORB_OK;
  unsigned popts = o.pcre;
  if (o.literal) {
    orb_buf_append(&b, p, (size_t)(end - p));
    popts = (popts & PCRE2_CASELESS) | PCRE2_UTF | PCRE2_LITERAL;
  } else {
    xlate x = {p, end, &b, &o, e};
    st = o.basic ? translate_bre(&x) : translate_are(&x);
  }
  if (st != ORB_OK) {
    orb_buf_free(&b);
    return st;
  }
  pcre2_general_context *gc = pcre2_general_context_create(arena_malloc, arena_free, a);
  pcre2_compile_context *cc = gc ? pcre2_compile_context_create(gc) : NULL;
  if (!cc) {
    orb_buf_free(&b);
    return orb_err_set(e, ORB_ERR_NOMEM, "out of memory compiling a regular expression");
  }
  int code;
  PCRE2_SIZE off;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)(b.len ? b.data : ""), b.len, popts, &code, &off, cc);
  orb_buf_free(&b);
  if (!re) {
    const char *w = pg_wording(code);
    if (w) return bad_re(e, w);
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    return bad_re(e, (const char *)msg);
  }
  uint32_t ncap = 0;
  pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &ncap);
  orb_regex *r = orb_arena_alloc(a, sizeof *r);
  r->code = re;
  r->mc = pcre2_match_context_create(gc);
  if (!r->mc) return orb_err_set(e, ORB_ERR_NOMEM, "out of memory compiling a regular expression");
  pcre2_set_match_limit(r->mc, MATCH_LIMIT);
  r->ngroups = (int)ncap;
  *out = r;
  return ORB_OK;
}

int orb_regex_ngroups(const orb_regex *re) { return re->ngroups; }

orb_status orb_regex_exec(const orb_regex *re, const char *s, size_t n, size_t from, size_t *ov, int *found,
                          orb_err *e) {
  /* the match data (and the backtracking frames PCRE2 keeps in it, 20 KiB
  ** and more) come from malloc and go back at once: from the arena, every
  ** row of a batch would keep its own until the arena is reset */
  pcre2_general_context *gc = pcre2_general_context_create(heap_malloc, heap_free, NULL);
  pcre2_match_data *md = gc ? pcre2_match_data_create_from_pattern(re->code, gc) : NULL;
  if (!md) {
    pcre2_general_context_free(gc);
    return orb_err_set(e, ORB_ERR_NOMEM, "out of memory matching a regular expression");
  }
  int rc = pcre2_match(re->code, (PCRE2_SPTR)(n ? s : ""), n, from, 0, md, re->mc);
  orb_status st = ORB_OK;
  *found = 0;
  if (rc == PCRE2_ERROR_NOMATCH) {
    /* no match */
  } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
    st = orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "regular expression is too complex for this string");
  } else if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
    st = orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22021", 0, "invalid byte sequence for encoding \"UTF8\"");
  } else if (rc < 0) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(rc, msg, sizeof msg);
    st = orb_err_set(e, ORB_ERR_INTERNAL, "regular expression match failed: %s", (const char *)msg);
  } else {
    PCRE2_SIZE *v = pcre2_get_ovector_pointer(md);
    uint32_t npairs = pcre2_get_ovector_count(md);
    for (int g = 0; g <= re->ngroups; g++) {
      bool set = (uint32_t)g < npairs && (uint32_t)g < (uint32_t)rc && v[2 * g] != PCRE2_UNSET;
      ov[2 * g] = set ? v[2 * g] : (size_t)-1;
      ov[2 * g + 1] = set ? v[2 * g + 1] : (size_t)-1;
    }
    *found = 1;
  }
  pcre2_match_data_free(md);
  pcre2_general_context_free(gc);
  return st;
}
