/* types/json_cmp.c — jsonb's btree order and a hash consistent with it
** (types/json.h): numbers by value, strings bytewise, containers by size
** first, as PostgreSQL's compareJsonbContainers orders them. */
#include <string.h>

#include "base/hash.h"
#include "types/json.h"

typedef struct digit_iter {
  const char *ip, *fp;
  size_t ipn, fpn;
} digit_iter;

static void num_split(const char *s, size_t n, bool *neg, digit_iter *it, long *exp) {
  size_t i = 0;
  *neg = false;
  if (i < n && s[i] == '-') *neg = true, i++;
  it->ip = s + i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  it->ipn = (size_t)(s + i - it->ip);
  it->fp = s + i;
  it->fpn = 0;
  if (i < n && s[i] == '.') {
    it->fp = s + ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    it->fpn = (size_t)(s + i - it->fp);
  }
  *exp = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      if (*exp < 10000000) *exp = *exp * 10 + (s[i] - '0');
    if (eneg) *exp = -*exp;
  }
}

static char digit_at(const digit_iter *it, size_t k) {
  return k < it->ipn ? it->ip[k] : k - it->ipn < it->fpn ? it->fp[k - it->ipn] : '0';
}

/* Significant digit range [first, last) of the mantissa and the point position. */
typedef struct canon {
  bool neg, zero;
  long point;
  digit_iter it;
  size_t first, last;
} canon;

static void canonical(const char *s, size_t n, canon *c) {
  long exp;
  num_split(s, n, &c->neg, &c->it, &exp);
  size_t len = c->it.ipn + c->it.fpn;
  c->first = 0;
  while (c->first < len && digit_at(&c->it, c->first) == '0') c->first++;
  c->last = len;
  while (c->last > c->first && digit_at(&c->it, c->last - 1) == '0') c->last--;
  c->zero = c->first == c->last;
  c->point = (long)c->it.ipn + exp - (long)c->first;
}

int orb_json_number_cmp(const char *a, size_t an, const char *b, size_t bn) {
  canon x, y;
  canonical(a, an, &x);
  canonical(b, bn, &y);
  int sx = x.zero ? 0 : x.neg ? -1 : 1, sy = y.zero ? 0 : y.neg ? -1 : 1;
  if (sx != sy) return sx < sy ? -1 : 1;
  if (sx == 0) return 0;
  int mag;
  if (x.point != y.point) mag = x.point < y.point ? -1 : 1;
  else {
    mag = 0;
    size_t nx = x.last - x.first, ny = y.last - y.first;
    for (size_t k = 0; k < nx || k < ny; k++) {
      char dx = k < nx ? digit_at(&x.it, x.first + k) : '0' - 1, dy = k < ny ? digit_at(&y.it, y.first + k) : '0' - 1;
      if (dx != dy) {
        mag = dx < dy ? -1 : 1;
        break;
      }
    }
  }
  return sx < 0 ? -mag : mag;
}

static uint64_t number_hash(const char *s, size_t n) {
  canon c;
  canonical(s, n, &c);
  if (c.zero) return orb_hash_u64(0x51);
  uint64_t h = orb_hash_u64((uint64_t)c.point * 2 + c.neg);
  for (size_t k = c.first; k < c.last; k++) h = orb_hash_u64(h ^ (uint64_t)(unsigned char)digit_at(&c.it, k));
  return h;
}

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn) {
  size_t n = an < bn ? an : bn;
  int c = n ? memcmp(a, b, n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return an < bn ? -1 : an > bn;
}

static int cmp_node(const orb_json *a, const orb_json *b) {
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  switch ((orb_json_kind)a->kind) {
  case ORB_JSON_NULL: return 0;
  case ORB_JSON_BOOL: return (int)a->b - (int)b->b;
  case ORB_JSON_STRING: return bytes_cmp(a->s, a->n, b->s, b->n);
  case ORB_JSON_NUMBER: return orb_json_number_cmp(a->s, a->n, b->s, b->n);
  case ORB_JSON_ARRAY:
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (uint32_t i = 0; i < a->n; i++) {
      int c = cmp_node(a->elems[i], b->elems[i]);
      if (c) return c;
    }
    return 0;
  case ORB_JSON_OBJECT:
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (uint32_t i = 0; i < a->n; i++) {
      int c = bytes_cmp(a->members[i].key, a->members[i].klen, b->members[i].key, b->members[i].klen);
      if (c) return c;
      if ((c = cmp_node(a->members[i].val, b->members[i].val))) return c;
    }
    return 0;
  }
  return 0;
}

static bool is_scalar(const orb_json *j) { return j->kind != ORB_JSON_ARRAY && j->kind != ORB_JSON_OBJECT; }

int orb_json_cmp(const orb_json *a, const orb_json *b) {
  bool sa = is_scalar(a), sb = is_scalar(b);
  if (sa && sb) return cmp_node(a, b);
  if (sa || sb) {
    /* a top-level scalar is PostgreSQL's one-element raw-scalar array */
    const orb_json *scalar = sa ? a : b, *other = sa ? b : a;
    int c;
    if (other->kind == ORB_JSON_OBJECT) c = -1;          /* array < object */
    else {
      c = -1;                                            /* raw scalar before a real array... */
      if (other->n != 1) c = 1 < other->n ? -1 : 1;      /* ...unless the sizes differ */
      (void)scalar;
    }
    return sa ? c : -c;
  }
  return cmp_node(a, b);
}

static uint64_t hash_node(const orb_json *j) {
  switch ((orb_json_kind)j->kind) {
  case ORB_JSON_NULL: return orb_hash_u64(0x11);
  case ORB_JSON_BOOL: return orb_hash_u64(0x22 + j->b);
  case ORB_JSON_STRING: return orb_hash_bytes(j->s, j->n, 0x33);
  case ORB_JSON_NUMBER: return number_hash(j->s, j->n);
  case ORB_JSON_ARRAY: {
    uint64_t h = orb_hash_u64(0x44 + j->n);
    for (uint32_t i = 0; i < j->n; i++) h = orb_hash_u64(h ^ hash_node(j->elems[i]));
    return h;
  }
  case ORB_JSON_OBJECT: {
    uint64_t h = orb_hash_u64(0x55 + j->n);
    for (uint32_t i = 0; i < j->n; i++)
      h = orb_hash_u64(h ^ orb_hash_bytes(j->members[i].key, j->members[i].klen, h) ^ hash_node(j->members[i].val));
    return h;
  }
  }
  return 0;
}

int orb_jsonb_cmp(const orb_value *a, const orb_value *b) {
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  orb_json *x, *y;
  orb_err e;
  int c;
  if (orb_json_parse(a->u.s, a->len, "jsonb", &tmp, &x, &e) == ORB_OK &&
      orb_json_parse(b->u.s, b->len, "jsonb", &tmp, &y, &e) == ORB_OK)
    c = orb_json_cmp(x, y);
  else
    c = bytes_cmp(a->u.s, a->len, b->u.s, b->len);
  orb_arena_free(&tmp);
  return c;
}

uint64_t orb_jsonb_hash(const orb_value *v) {
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  orb_json *x;
  orb_err e;
  uint64_t h = orb_json_parse(v->u.s, v->len, "jsonb", &tmp, &x, &e) == ORB_OK ? hash_node(x)
                                                                                : orb_hash_bytes(v->u.s, v->len, 0x66);
  orb_arena_free(&tmp);
  return h;
}
