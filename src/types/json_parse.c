/* types/json_parse.c — the JSON parser behind json and jsonb input
** (types/json.h): a lexer and a recursive-descent parser over untrusted
** bytes, with PostgreSQL's error wording. */
#include <stdio.h>
#include <string.h>

#include "types/json.h"

typedef enum tok_kind {
  TK_END, TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET, TK_COMMA, TK_COLON,
  TK_STRING, TK_NUMBER, TK_TRUE, TK_FALSE, TK_NULL
} tok_kind;

typedef struct lexer {
  const char *s;
  size_t n, at;
  const char *type_name;
  orb_arena *a;            /* NULL: validate only (strings are not decoded, \u0000 allowed) */
  orb_err *e;
  /* the current token */
  tok_kind kind;
  size_t start, end;
  const char *str;         /* TK_STRING: decoded (when a != NULL) */
  uint32_t slen;
} lexer;

static bool is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* 22P02 with PostgreSQL's DETAIL line. */
static orb_status syntax(lexer *lx, const char *detail) {
  orb_err_setx(lx->e, ORB_ERR_INVALID_TEXT, "22P02", 0, "invalid input syntax for type %s", lx->type_name);
  orb_err_detail(lx->e, "%s", detail);
  return ORB_ERR_INVALID_TEXT;
}

/* The current token's text for "... but found "%s"." (at most 200 bytes of it). */
static const char *token_text(lexer *lx, char buf[208]) {
  size_t len = lx->end - lx->start;
  if (len > 200) len = 200;
  memcpy(buf, lx->s + lx->start, len);
  buf[len] = 0;
  return buf;
}

static orb_status invalid_token(lexer *lx, size_t start, size_t end) {
  lx->start = start;
  lx->end = end;
  char d[240], t[208];
  snprintf(d, sizeof d, "Token \"%s\" is invalid.", token_text(lx, t));
  return syntax(lx, d);
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static size_t utf8_put(char *d, uint32_t cp) {
  if (cp < 0x80) { d[0] = (char)cp; return 1; }
  if (cp < 0x800) { d[0] = (char)(0xC0 | (cp >> 6)); d[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    d[0] = (char)(0xE0 | (cp >> 12)); d[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  d[0] = (char)(0xF0 | (cp >> 18)); d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  d[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); d[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* A string token starting at the opening quote lx->at. */
static orb_status lex_string(lexer *lx) {
  const char *s = lx->s;
  size_t i = lx->at + 1, start = lx->at;
  bool escaped = false;
  int32_t hi = -1;    /* a pending high surrogate */
  /* first pass: validate and find the end */
  for (;;) {
    if (i >= lx->n) return syntax(lx, "The input string ended unexpectedly.");
    unsigned char c = (unsigned char)s[i];
    if (c == '"') break;
    if (c < 0x20) {
      char d[64];
      snprintf(d, sizeof d, "Character with value 0x%02x must be escaped.", c);
      return syntax(lx, d);
    }
    if (c == '\\') {
      escaped = true;
      if (i + 1 >= lx->n) return syntax(lx, "The input string ended unexpectedly.");
      unsigned char x = (unsigned char)s[i + 1];
      if (x == 'u') {
        uint32_t cp = 0;
        for (int k = 0; k < 4; k++) {
          int h = i + 2 + (size_t)k < lx->n ? hexval((unsigned char)s[i + 2 + (size_t)k]) : -1;
          if (h < 0) return syntax(lx, "\"\\u\" must be followed by four hexadecimal digits.");
          cp = cp * 16 + (uint32_t)h;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (hi != -1) return syntax(lx, "Unicode high surrogate must not follow a high surrogate.");
          hi = (int32_t)cp;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          if (hi == -1) return syntax(lx, "Unicode low surrogate must follow a high surrogate.");
          hi = -1;
        } else {
          if (hi != -1) return syntax(lx, "Unicode low surrogate must follow a high surrogate.");
          if (cp == 0 && lx->a) {
            orb_err_setx(lx->e, ORB_ERR_INVALID_TEXT, "22P05", 0, "unsupported Unicode escape sequence");
            orb_err_detail(lx->e, "\\u0000 cannot be converted to text.");
            return ORB_ERR_INVALID_TEXT;
          }
        }
        i += 6;
        continue;
      }
      if (hi != -1) return syntax(lx, "Unicode low surrogate must follow a high surrogate.");
      if (!strchr("\"\\/bfnrt", x) || x == 0) {
        char esc[8];
        size_t el = 1;
        esc[0] = (char)x;
        /* a multi-byte character is shown whole */
        if (x >= 0x80) while (el < 4 && i + 1 + el < lx->n && ((unsigned char)s[i + 1 + el] & 0xC0) == 0x80) esc[el] = s[i + 1 + el], el++;
        esc[el] = 0;
        char d[64];
        snprintf(d, sizeof d, "Escape sequence \"\\%s\" is invalid.", esc);
        return syntax(lx, d);
      }
      i += 2;
      continue;
    }
    if (hi != -1) return syntax(lx, "Unicode low surrogate must follow a high surrogate.");
    i++;
  }
  if (hi != -1) return syntax(lx, "Unicode low surrogate must follow a high surrogate.");
  lx->kind = TK_STRING;
  lx->start = start;
  lx->end = i + 1;
  lx->at = i + 1;
  const char *body = s + start + 1;
  size_t blen = i - start - 1;
  if (!lx->a || !escaped) {
    lx->str = body;
    lx->slen = (uint32_t)blen;
    return ORB_OK;
  }
  /* second pass: decode (escapes never grow: \uXXXX is 6 bytes for at most 3; a pair 12 for 4) */
  char *d = orb_arena_alloc(lx->a, blen ? blen : 1);
  size_t o = 0;
  for (size_t k = 0; k < blen;) {
    char c = body[k];
    if (c != '\\') { d[o++] = c; k++; continue; }
    char x = body[k + 1];
    if (x == 'u') {
      uint32_t cp = 0;
      for (int q = 0; q < 4; q++) cp = cp * 16 + (uint32_t)hexval((unsigned char)body[k + 2 + (size_t)q]);
      k += 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo = 0;
        for (int q = 0; q < 4; q++) lo = lo * 16 + (uint32_t)hexval((unsigned char)body[k + 2 + (size_t)q]);
        k += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      o += utf8_put(d + o, cp);
      continue;
    }
    k += 2;
    switch (x) {
    case 'b': d[o++] = '\b'; break;
    case 'f': d[o++] = '\f'; break;
    case 'n': d[o++] = '\n'; break;
    case 'r': d[o++] = '\r'; break;
    case 't': d[o++] = '\t'; break;
    default: d[o++] = x; break;   /* " \ / */
    }
  }
  lx->str = d;
  lx->slen = (uint32_t)o;
  return ORB_OK;
}

static orb_status lex_number(lexer *lx) {
  const char *s = lx->s;
  size_t i = lx->at, start = lx->at;
  bool ok = true;
  if (s[i] == '-') i++;
  if (i < lx->n && s[i] == '0') i++;
  else if (i < lx->n && is_digit((unsigned char)s[i])) while (i < lx->n && is_digit((unsigned char)s[i])) i++;
  else ok = false;
  if (ok && i < lx->n && s[i] == '.') {
    i++;
    if (i < lx->n && is_digit((unsigned char)s[i])) while (i < lx->n && is_digit((unsigned char)s[i])) i++;
    else ok = false;
  }
  if (ok && i < lx->n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < lx->n && (s[i] == '+' || s[i] == '-')) i++;
    if (i < lx->n && is_digit((unsigned char)s[i])) while (i < lx->n && is_digit((unsigned char)s[i])) i++;
    else ok = false;
  }
  /* letters or digits glued on make the whole word an invalid token ("01", "1x") */
  if (!ok || (i < lx->n && is_alnum((unsigned char)s[i]))) {
    while (i < lx->n && (is_alnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '+' || s[i] == '-')) i++;
    return invalid_token(lx, start, i > start ? i : start + 1);
  }
  lx->kind = TK_NUMBER;
  lx->start = start;
  lx->end = i;
  lx->at = i;
  return ORB_OK;
}

static orb_status lex_next(lexer *lx) {
  const char *s = lx->s;
  while (lx->at < lx->n && (s[lx->at] == ' ' || s[lx->at] == '\t' || s[lx->at] == '\n' || s[lx->at] == '\r')) lx->at++;
  lx->start = lx->at;
  if (lx->at >= lx->n) {
    lx->kind = TK_END;
    lx->end = lx->at;
    return ORB_OK;
  }
  unsigned char c = (unsigned char)s[lx->at];
  static const char punct[] = "{}[],:";
  const char *p = c ? strchr(punct, c) : NULL;
  if (p) {
    static const tok_kind kinds[] = {TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET, TK_COMMA, TK_COLON};
    lx->kind = kinds[p - punct];
    lx->end = ++lx->at;
    return ORB_OK;
  }
  if (c == '"') return lex_string(lx);
  if (c == '-' || is_digit(c)) return lex_number(lx);
  size_t i = lx->at;
  while (i < lx->n && is_alnum((unsigned char)s[i])) i++;
  if (i == lx->at) return invalid_token(lx, lx->at, lx->at + 1);
  size_t len = i - lx->at;
  if (len == 4 && memcmp(s + lx->at, "true", 4) == 0) lx->kind = TK_TRUE;
  else if (len == 5 && memcmp(s + lx->at, "false", 5) == 0) lx->kind = TK_FALSE;
  else if (len == 4 && memcmp(s + lx->at, "null", 4) == 0) lx->kind = TK_NULL;
  else return invalid_token(lx, lx->at, i);
  lx->end = i;
  lx->at = i;
  return ORB_OK;
}

static orb_status expected(lexer *lx, const char *what) {
  if (lx->kind == TK_END) return syntax(lx, "The input string ended unexpectedly.");
  char d[320], t[208];
  snprintf(d, sizeof d, "Expected %s, but found \"%s\".", what, token_text(lx, t));
  return syntax(lx, d);
}

orb_json *orb_json_new(orb_arena *a, orb_json_kind kind) {
  orb_json *j = orb_arena_zalloc(a, sizeof *j);
  j->kind = (uint8_t)kind;
  return j;
}

static orb_status parse_value(lexer *lx, int depth, orb_json **out, const char *what);

/* Growable pointer lists for arrays and objects (arena-backed, doubled). */
typedef struct vec {
  void *items;
  uint32_t n, cap;
} vec;
static void *vec_push(lexer *lx, vec *v, size_t elem) {
  if (v->n == v->cap) {
    uint32_t cap = v->cap ? v->cap * 2 : 4;
    void *p = orb_arena_alloc(lx->a, elem * cap);
    if (v->n) memcpy(p, v->items, elem * v->n);
    v->items = p;
    v->cap = cap;
  }
  return (char *)v->items + elem * v->n++;
}

static orb_status too_deep(lexer *lx) {
  orb_err_setx(lx->e, ORB_ERR_LIMIT, "54001", 0, "stack depth limit exceeded");
  orb_err_detail(lx->e, "JSON nesting is deeper than %d levels.", ORB_JSON_MAX_DEPTH);
  return ORB_ERR_LIMIT;
}

static orb_status parse_array(lexer *lx, int depth, orb_json *j) {
  vec v = {0};
  orb_status st = lex_next(lx);
  if (st != ORB_OK) return st;
  if (lx->kind != TK_RBRACKET) {
    for (;;) {
      orb_json *x = NULL;
      if ((st = parse_value(lx, depth, &x, "JSON value")) != ORB_OK) return st;
      if (lx->a) *(orb_json **)vec_push(lx, &v, sizeof(orb_json *)) = x;
      if ((st = lex_next(lx)) != ORB_OK) return st;
      if (lx->kind == TK_RBRACKET) break;
      if (lx->kind != TK_COMMA) return expected(lx, "\",\" or \"]\"");
      if ((st = lex_next(lx)) != ORB_OK) return st;
    }
  }
  if (j) {
    j->elems = v.items;
    j->n = v.n;
  }
  return ORB_OK;
}

static orb_status parse_object(lexer *lx, int depth, orb_json *j) {
  vec v = {0};
  orb_status st = lex_next(lx);
  if (st != ORB_OK) return st;
  if (lx->kind != TK_RBRACE) {
    for (bool first = true;; first = false) {
      if (lx->kind != TK_STRING) return expected(lx, first ? "string or \"}\"" : "string");
      const char *key = lx->str;
      uint32_t klen = lx->slen;
      if ((st = lex_next(lx)) != ORB_OK) return st;
      if (lx->kind != TK_COLON) return expected(lx, "\":\"");
      if ((st = lex_next(lx)) != ORB_OK) return st;
      orb_json *x = NULL;
      if ((st = parse_value(lx, depth, &x, "JSON value")) != ORB_OK) return st;
      if (lx->a) {
        orb_json_member *m = vec_push(lx, &v, sizeof(orb_json_member));
        m->key = key;
        m->klen = klen;
        m->val = x;
      }
      if ((st = lex_next(lx)) != ORB_OK) return st;
      if (lx->kind == TK_RBRACE) break;
      if (lx->kind != TK_COMMA) return expected(lx, "\",\" or \"}\"");
      if ((st = lex_next(lx)) != ORB_OK) return st;
    }
  }
  if (j) {
    j->members = v.items;
    j->n = v.n;
  }
  return ORB_OK;
}

/* The value whose first token is the current one. */
static orb_status parse_value(lexer *lx, int depth, orb_json **out, const char *what) {
  orb_json *j = NULL;
  size_t start = lx->start;
  orb_status st = ORB_OK;
  switch (lx->kind) {
  case TK_LBRACE:
  case TK_LBRACKET:
    if (depth >= ORB_JSON_MAX_DEPTH) return too_deep(lx);
    if (lx->a) j = orb_json_new(lx->a, lx->kind == TK_LBRACE ? ORB_JSON_OBJECT : ORB_JSON_ARRAY);
    st = lx->kind == TK_LBRACE ? parse_object(lx, depth + 1, j) : parse_array(lx, depth + 1, j);
    if (st != ORB_OK) return st;
    break;
  case TK_STRING:
    if (lx->a) {
      j = orb_json_new(lx->a, ORB_JSON_STRING);
      j->s = lx->str;
      j->n = lx->slen;
    }
    break;
  case TK_NUMBER:
    if (lx->a) {
      j = orb_json_new(lx->a, ORB_JSON_NUMBER);
      j->s = lx->s + lx->start;
      j->n = (uint32_t)(lx->end - lx->start);
    }
    break;
  case TK_TRUE:
  case TK_FALSE:
    if (lx->a) {
      j = orb_json_new(lx->a, ORB_JSON_BOOL);
      j->b = lx->kind == TK_TRUE;
    }
    break;
  case TK_NULL:
    if (lx->a) j = orb_json_new(lx->a, ORB_JSON_NULL);
    break;
  default:
    return expected(lx, what);
  }
  if (j) {
    j->raw = lx->s + start;
    j->rawlen = (uint32_t)(lx->end - start);
  }
  *out = j;
  return ORB_OK;
}

static orb_status parse(const char *s, size_t n, const char *type_name, orb_arena *a, orb_json **out, orb_err *e) {
  lexer lx = {.s = s, .n = n, .type_name = type_name, .a = a, .e = e};
  orb_json *j = NULL;
  orb_status st = lex_next(&lx);
  if (st == ORB_OK) st = parse_value(&lx, 0, &j, "JSON value");
  if (st == ORB_OK) st = lex_next(&lx);
  if (st == ORB_OK && lx.kind != TK_END) st = expected(&lx, "end of input");
  if (st != ORB_OK) return st;
  if (out) *out = j;
  return ORB_OK;
}

orb_status orb_json_validate(const char *s, size_t n, const char *type_name, orb_err *e) {
  return parse(s, n, type_name, NULL, NULL, e);
}

orb_status orb_json_parse(const char *s, size_t n, const char *type_name, orb_arena *a, orb_json **out, orb_err *e) {
  return parse(s, n, type_name, a, out, e);
}
