/* formats/avro/avro_value.c — the binary encoding of data (see avro.h).
**
** The specification's "Binary Encoding": ints and longs are zigzag varints,
** floats and doubles little-endian IEEE 754, bytes and strings a long
** length and the bytes, records their fields in order, enums and union
** branches an int/long index, arrays and maps blocks of items (a negative
** count is followed by the block's size in bytes, which lets readers skip)
** ended by a zero count.
**
** Decoding untrusted bytes: every length and count is checked against the
** bytes left (a count against the fewest bytes an item of its schema can
** take) and every allocation against the caller's budget, before
** allocating; nesting is bounded by AVRO_MAX_DEPTH. */
#include "formats/avro/avro_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

orb_status avro_corrupt(orb_err *e, const char *what, const char *fmt, ...) {
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "avro: %s: %s", what ? what : "data", msg);
}

/* Varints are read from the pointer, not a call per byte: a manifest
** list's records are mostly varints. */
bool avro_rd_long(orb_rd *r, int64_t *out) {
  uint64_t u = 0;
  *out = 0;
  const uint8_t *p = r->p;
  size_t left = r->err ? 0 : orb_rd_left(r);
  size_t i = 0;
  for (; i < 10; i++) {
    if (i == left) break;
    /* the tenth byte holds bit 63 only */
    if (i == 9 && p[i] > 1) {
      i++;
      break;
    }
    u |= (uint64_t)(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) {
      r->p = p + i + 1;
      *out = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
      return true;
    }
  }
  if (!r->err) r->p = p + i;   /* past what was read, as a byte-wise reader would be */
  r->err = true;
  return false;
}

bool avro_rd_int(orb_rd *r, int32_t *out) {
  uint32_t u = 0;
  *out = 0;
  const uint8_t *p = r->p;
  size_t left = r->err ? 0 : orb_rd_left(r);
  size_t i = 0;
  for (; i < 5; i++) {
    if (i == left) break;
    if (i == 4 && p[i] > 0x0f) {   /* the fifth byte holds bits 28..31 */
      i++;
      break;
    }
    u |= (uint32_t)(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) {
      r->p = p + i + 1;
      *out = (int32_t)(u >> 1) ^ -(int32_t)(u & 1);
      return true;
    }
  }
  if (!r->err) r->p = p + i;
  r->err = true;
  return false;
}

typedef struct dctx {
  orb_rd *r;
  orb_arena *a;
  size_t budget;          /* bytes of values still allowed */
  size_t limit;
  const char *what;
  orb_err *e;
  bool skip;              /* read past values, keeping nothing (avro_decode_fields) */
} dctx;

static bool take(dctx *d, size_t n) {
  if (n > d->budget) {
    orb_err_setx(d->e, ORB_ERR_LIMIT, "54000", 0, "avro: %s: a datum needs more than the memory limit (%zu bytes)",
                 d->what ? d->what : "data", d->limit);
    return false;
  }
  d->budget -= n;
  return true;
}

static bool rd_long(dctx *d, int64_t *v, const char *which) {
  if (avro_rd_long(d->r, v)) return true;
  avro_corrupt(d->e, d->what, "%s is truncated or an over-long varint (%zu bytes left)", which, orb_rd_left(d->r));
  return false;
}

static bool rd_int(dctx *d, int32_t *v, const char *which) {
  if (avro_rd_int(d->r, v)) return true;
  avro_corrupt(d->e, d->what, "%s is truncated, over-long or beyond 32 bits (%zu bytes left)", which,
               orb_rd_left(d->r));
  return false;
}

static bool rd_raw_copy(dctx *d, size_t n, avro_str *s, const char *which) {
  const uint8_t *p = orb_rd_raw(d->r, n);
  if (!p) {
    avro_corrupt(d->e, d->what, "%s of %zu bytes runs past the data (%zu bytes left)", which, n, orb_rd_left(d->r));
    return false;
  }
  if (d->skip) {
    s->data = NULL;
    s->len = n;
    return true;
  }
  if (!take(d, n + 1)) return false;
  char *c = orb_arena_alloc(d->a, n + 1);
  if (n) memcpy(c, p, n);
  c[n] = '\0';
  s->data = c;
  s->len = n;
  return true;
}

static bool dec(dctx *d, const avro_schema *s, avro_value *v, int depth);

/* A map key: its length, then its bytes. */
static bool rd_map_key(dctx *d, avro_str *key) {
  int64_t klen;
  if (!rd_long(d, &klen, "a map key's length")) return false;
  if (klen < 0 || (uint64_t)klen > orb_rd_left(d->r))
    return avro_corrupt(d->e, d->what, "map key length %lld is negative or beyond the %zu bytes left", (long long)klen,
                        orb_rd_left(d->r)),
           false;
  return rd_raw_copy(d, (size_t)klen, key, "a map key");
}

/* Arrays and maps: blocks of items until a zero count. */
static bool dec_blocks(dctx *d, const avro_schema *s, avro_value *v, int depth) {
  bool is_map = s->kind == AVRO_MAP;
  const avro_schema *item = is_map ? s->values : s->items;
  size_t min = (size_t)item->min_bytes + (is_map ? 1 : 0);   /* a key takes at least its length byte */
  size_t n = 0;
  avro_value *items = NULL;
  avro_str *keys = NULL;
  for (;;) {
    int64_t count, size = -1;
    if (!rd_long(d, &count, is_map ? "a map block count" : "an array block count")) return false;
    if (count == 0) break;
    if (count < 0) {
      if (count == INT64_MIN) return avro_corrupt(d->e, d->what, "block count %lld is invalid", (long long)count), false;
      count = -count;
      if (!rd_long(d, &size, "a block's byte size")) return false;
      if (size < 0 || (uint64_t)size > orb_rd_left(d->r))
        return avro_corrupt(d->e, d->what, "block size %lld exceeds the %zu bytes left", (long long)size,
                            orb_rd_left(d->r)),
               false;
    }
    size_t left = orb_rd_left(d->r);
    if (min > 0 && (uint64_t)count > left / min)
      return avro_corrupt(d->e, d->what, "%s block of %lld items cannot fit in the %zu bytes left",
                          is_map ? "map" : "array", (long long)count, left),
             false;
    if ((uint64_t)count > (SIZE_MAX / 2 - n) / sizeof(avro_value) ||
        !take(d, ((size_t)count + n) * (sizeof(avro_value) + (is_map ? sizeof(avro_str) : 0))))
      return false;
    size_t total = n + (size_t)count;
    if (d->skip) {   /* the budget above still bounds the items, kept or not */
      avro_value item_skipped;
      avro_str key_skipped;
      for (; n < total; n++) {
        if (is_map && !rd_map_key(d, &key_skipped)) return false;
        if (!dec(d, item, &item_skipped, depth + 1)) return false;
      }
      continue;
    }
    /* grow: the old arrays stay in the arena (charged to the budget above) */
    avro_value *ni = orb_arena_alloc(d->a, total * sizeof *ni);
    if (n) memcpy(ni, items, n * sizeof *ni);
    items = ni;
    if (is_map) {
      avro_str *nk = orb_arena_alloc(d->a, total * sizeof *nk);
      if (n) memcpy(nk, keys, n * sizeof *nk);
      keys = nk;
    }
    const uint8_t *start = d->r->p;
    for (; n < total; n++) {
      if (is_map && !rd_map_key(d, &keys[n])) return false;
      if (!dec(d, item, &items[n], depth + 1)) return false;
    }
    if (size >= 0 && d->r->p - start != size)
      return avro_corrupt(d->e, d->what, "a block's byte size says %lld bytes but its items took %lld",
                          (long long)size, (long long)(d->r->p - start)),
             false;
  }
  v->u.c.v = items;
  v->u.c.keys = keys;
  v->u.c.n = n;
  return true;
}

static bool dec(dctx *d, const avro_schema *s, avro_value *v, int depth) {
  if (depth > AVRO_MAX_DEPTH)
    return avro_corrupt(d->e, d->what, "values nested deeper than %d levels", AVRO_MAX_DEPTH), false;
  v->kind = s->kind;
  v->branch = -1;
  switch (s->kind) {
  case AVRO_NULL: return true;
  case AVRO_BOOLEAN: {
    const uint8_t *p = orb_rd_raw(d->r, 1);
    if (!p) return avro_corrupt(d->e, d->what, "a boolean runs past the data"), false;
    if (*p > 1) return avro_corrupt(d->e, d->what, "boolean byte %u is neither 0 nor 1", *p), false;
    v->u.b = *p;
    return true;
  }
  case AVRO_INT: return rd_int(d, &v->u.i, "an int");
  case AVRO_LONG: return rd_long(d, &v->u.l, "a long");
  case AVRO_FLOAT: {
    const uint8_t *p = orb_rd_raw(d->r, 4);
    if (!p) return avro_corrupt(d->e, d->what, "a float runs past the data"), false;
    uint32_t u = orb_load_u32le(p);
    memcpy(&v->u.f, &u, 4);
    return true;
  }
  case AVRO_DOUBLE: {
    const uint8_t *p = orb_rd_raw(d->r, 8);
    if (!p) return avro_corrupt(d->e, d->what, "a double runs past the data"), false;
    uint64_t u = orb_load_u64le(p);
    memcpy(&v->u.d, &u, 8);
    return true;
  }
  case AVRO_BYTES:
  case AVRO_STRING: {
    int64_t n;
    const char *which = s->kind == AVRO_STRING ? "a string" : "a bytes value";
    if (!rd_long(d, &n, which)) return false;
    if (n < 0) return avro_corrupt(d->e, d->what, "%s has negative length %lld", which, (long long)n), false;
    if ((uint64_t)n > orb_rd_left(d->r))
      return avro_corrupt(d->e, d->what, "%s of %lld bytes runs past the data (%zu bytes left)", which, (long long)n,
                          orb_rd_left(d->r)),
             false;
    return rd_raw_copy(d, (size_t)n, &v->u.s, which);
  }
  case AVRO_FIXED: return rd_raw_copy(d, (size_t)s->size, &v->u.s, "a fixed value");
  case AVRO_ENUM:
    if (!rd_int(d, &v->u.i, "an enum index")) return false;
    if (v->u.i < 0 || v->u.i >= s->nsymbols)
      return avro_corrupt(d->e, d->what, "enum index %d is outside the %d symbols of \"%s\"", (int)v->u.i,
                          s->nsymbols, s->fullname),
             false;
    return true;
  case AVRO_UNION: {
    int64_t b;
    if (!rd_long(d, &b, "a union branch")) return false;
    if (b < 0 || b >= s->nbranches)
      return avro_corrupt(d->e, d->what, "union branch %lld is outside the union's %d branches", (long long)b,
                          s->nbranches),
             false;
    if (!dec(d, s->branches[b], v, depth + 1)) return false;
    v->branch = (int32_t)b;
    return true;
  }
  case AVRO_RECORD: {
    if (d->skip) {
      avro_value skipped;
      for (int i = 0; i < s->nfields; i++)
        if (!dec(d, s->fields[i].type, &skipped, depth + 1)) return false;
      v->u.c.v = NULL;
      v->u.c.keys = NULL;
      v->u.c.n = 0;
      return true;
    }
    if (!take(d, (size_t)s->nfields * sizeof(avro_value))) return false;
    avro_value *f = orb_arena_alloc(d->a, ((size_t)s->nfields + 1) * sizeof *f);
    for (int i = 0; i < s->nfields; i++)
      if (!dec(d, s->fields[i].type, &f[i], depth + 1)) return false;
    v->u.c.v = f;
    v->u.c.keys = NULL;
    v->u.c.n = (size_t)s->nfields;
    return true;
  }
  case AVRO_ARRAY:
  case AVRO_MAP: return dec_blocks(d, s, v, depth);
  }
  return avro_corrupt(d->e, d->what, "unknown schema kind"), false;
}

orb_status avro_decode(const avro_schema *s, orb_rd *r, orb_arena *a, size_t limit, const char *what, avro_value *out,
                       orb_err *e) {
  return avro_decode_fields(s, r, a, limit, what, NULL, out, e);
}

orb_status avro_decode_fields(const avro_schema *s, orb_rd *r, orb_arena *a, size_t limit, const char *what,
                              const bool *keep, avro_value *out, orb_err *e) {
  if (!limit) limit = AVRO_DEFAULT_LIMIT;
  dctx d = {r, a, limit, limit, what, e, false};
  memset(out, 0, sizeof *out);
  bool ok;
  if (!keep || s->kind != AVRO_RECORD) {
    ok = dec(&d, s, out, 0);
  } else {
    ok = take(&d, (size_t)s->nfields * sizeof(avro_value));
    avro_value *f = ok ? orb_arena_alloc(a, ((size_t)s->nfields + 1) * sizeof *f) : NULL;
    for (int i = 0; ok && i < s->nfields; i++) {
      d.skip = !keep[i];
      ok = dec(&d, s->fields[i].type, &f[i], 1);
      if (ok && d.skip) f[i] = (avro_value){.kind = AVRO_NULL, .branch = -1};
    }
    out->kind = AVRO_RECORD;
    out->branch = -1;
    out->u.c.v = f;
    out->u.c.n = (size_t)s->nfields;
  }
  if (!ok) {
    r->err = true;
    return e ? e->code : ORB_ERR_CORRUPT;
  }
  return ORB_OK;
}

/* ------------------------------------------------------------------------
** Encoding
*/
static void put_long(orb_buf *b, int64_t v) { orb_buf_put_svarint(b, v); }

static orb_status mismatch(orb_err *e, const avro_schema *s, const avro_value *v) {
  return orb_err_set(e, ORB_ERR_TYPE, "a %s value does not fit schema type %s", avro_kind_name(v->kind),
                     s->fullname ? s->fullname : avro_kind_name(s->kind));
}

/* The union branch a value takes: its own choice, else the first of its kind. */
static int pick_branch(const avro_schema *u, const avro_value *v) {
  if (v->branch >= 0) return v->branch < u->nbranches && u->branches[v->branch]->kind == v->kind ? v->branch : -1;
  for (int i = 0; i < u->nbranches; i++)
    if (u->branches[i]->kind == v->kind) return i;
  for (int i = 0; i < u->nbranches; i++)   /* an int into a long branch */
    if (v->kind == AVRO_INT && u->branches[i]->kind == AVRO_LONG) return i;
  return -1;
}

static orb_status enc(const avro_schema *s, const avro_value *v, orb_buf *b, int depth, orb_err *e) {
  if (depth > AVRO_MAX_DEPTH) return orb_err_set(e, ORB_ERR_LIMIT, "values nested deeper than %d levels", AVRO_MAX_DEPTH);
  if (v->kind == AVRO_UNION) return orb_err_set(e, ORB_ERR_TYPE, "no value was given");
  if (s->kind == AVRO_UNION) {
    int br = pick_branch(s, v);
    if (br < 0) return orb_err_set(e, ORB_ERR_TYPE, "a %s value fits no branch of the union", avro_kind_name(v->kind));
    put_long(b, br);
    return enc(s->branches[br], v, b, depth + 1, e);
  }
  bool ok = v->kind == s->kind || (s->kind == AVRO_LONG && v->kind == AVRO_INT) ||
            (s->kind == AVRO_DOUBLE && v->kind == AVRO_FLOAT);
  if (!ok) return mismatch(e, s, v);
  switch (s->kind) {
  case AVRO_NULL: return ORB_OK;
  case AVRO_BOOLEAN: orb_buf_put_u8(b, v->u.b ? 1 : 0); return ORB_OK;
  case AVRO_INT: put_long(b, v->u.i); return ORB_OK;
  case AVRO_LONG: put_long(b, v->kind == AVRO_INT ? v->u.i : v->u.l); return ORB_OK;
  case AVRO_FLOAT: {
    uint32_t u;
    memcpy(&u, &v->u.f, 4);
    orb_buf_put_u32(b, u);
    return ORB_OK;
  }
  case AVRO_DOUBLE: {
    double d = v->kind == AVRO_FLOAT ? (double)v->u.f : v->u.d;
    uint64_t u;
    memcpy(&u, &d, 8);
    orb_buf_put_u64(b, u);
    return ORB_OK;
  }
  case AVRO_BYTES:
  case AVRO_STRING:
    put_long(b, (int64_t)v->u.s.len);
    orb_buf_append(b, v->u.s.data, v->u.s.len);
    return ORB_OK;
  case AVRO_FIXED:
    if (v->u.s.len != (size_t)s->size)
      return orb_err_set(e, ORB_ERR_TYPE, "a fixed value of %zu bytes for \"%s\" of size %d", v->u.s.len,
                         s->fullname, (int)s->size);
    orb_buf_append(b, v->u.s.data, v->u.s.len);
    return ORB_OK;
  case AVRO_ENUM:
    if (v->u.i < 0 || v->u.i >= s->nsymbols)
      return orb_err_set(e, ORB_ERR_TYPE, "enum index %d outside \"%s\"", (int)v->u.i, s->fullname);
    put_long(b, v->u.i);
    return ORB_OK;
  case AVRO_RECORD:
    if (v->u.c.n != (size_t)s->nfields)
      return orb_err_set(e, ORB_ERR_TYPE, "a record of %zu fields for \"%s\" of %d", v->u.c.n, s->fullname,
                         s->nfields);
    for (int i = 0; i < s->nfields; i++) {
      orb_status st = enc(s->fields[i].type, &v->u.c.v[i], b, depth + 1, e);
      if (st != ORB_OK) {
        orb_err_prefix(e, "field \"%s\"", s->fields[i].name);
        return st;
      }
    }
    return ORB_OK;
  case AVRO_ARRAY:
  case AVRO_MAP:
    /* one block of all items, then the zero count */
    if (v->u.c.n) {
      put_long(b, (int64_t)v->u.c.n);
      for (size_t i = 0; i < v->u.c.n; i++) {
        if (s->kind == AVRO_MAP) {
          put_long(b, (int64_t)v->u.c.keys[i].len);
          orb_buf_append(b, v->u.c.keys[i].data, v->u.c.keys[i].len);
        }
        orb_status st = enc(s->kind == AVRO_MAP ? s->values : s->items, &v->u.c.v[i], b, depth + 1, e);
        if (st != ORB_OK) return st;
      }
    }
    put_long(b, 0);
    return ORB_OK;
  case AVRO_UNION: break;
  }
  return mismatch(e, s, v);
}

orb_status avro_encode(const avro_schema *s, const avro_value *v, orb_buf *out, orb_err *e) {
  size_t mark = out->len;
  orb_status st = enc(s, v, out, 0, e);
  if (st != ORB_OK) {
    out->len = mark;   /* nothing half-written */
    orb_err_prefix(e, "avro");
  }
  return st;
}

/* ------------------------------------------------------------------------
** Comparing and printing
*/
static bool str_eq(const avro_str *a, const avro_str *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

bool avro_value_equal(const avro_value *x, const avro_value *y) {
  if (x->kind != y->kind || x->branch != y->branch) return false;
  switch (x->kind) {
  case AVRO_NULL: return true;
  case AVRO_BOOLEAN: return x->u.b == y->u.b;
  case AVRO_INT:
  case AVRO_ENUM: return x->u.i == y->u.i;
  case AVRO_LONG: return x->u.l == y->u.l;
  case AVRO_FLOAT: return x->u.f == y->u.f || (isnan(x->u.f) && isnan(y->u.f));
  case AVRO_DOUBLE: return x->u.d == y->u.d || (isnan(x->u.d) && isnan(y->u.d));
  case AVRO_BYTES:
  case AVRO_STRING:
  case AVRO_FIXED: return str_eq(&x->u.s, &y->u.s);
  case AVRO_RECORD:
  case AVRO_ARRAY:
  case AVRO_MAP:
    if (x->u.c.n != y->u.c.n) return false;
    for (size_t i = 0; i < x->u.c.n; i++) {
      if (x->kind == AVRO_MAP && !str_eq(&x->u.c.keys[i], &y->u.c.keys[i])) return false;
      if (!avro_value_equal(&x->u.c.v[i], &y->u.c.v[i])) return false;
    }
    return true;
  case AVRO_UNION: return false;
  }
  return false;
}

static void json_text(orb_buf *b, const char *p, size_t n, bool as_bytes) {
  orb_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '"' || c == '\\') {
      orb_buf_putc(b, '\\');
      orb_buf_putc(b, (char)c);
    } else if (c < 0x20 || (as_bytes && c >= 0x7f)) orb_buf_printf(b, "\\u%04x", c);
    else orb_buf_putc(b, (char)c);
  }
  orb_buf_putc(b, '"');
}

static void to_json(const avro_schema *s, const avro_value *v, orb_buf *b, int depth) {
  if (s->kind == AVRO_UNION) {
    if (v->branch < 0 || v->branch >= s->nbranches || depth > AVRO_MAX_DEPTH) {
      orb_buf_puts(b, "null");
      return;
    }
    s = s->branches[v->branch];
  }
  switch (v->kind) {
  case AVRO_NULL: orb_buf_puts(b, "null"); return;
  case AVRO_BOOLEAN: orb_buf_puts(b, v->u.b ? "true" : "false"); return;
  case AVRO_INT: orb_buf_printf(b, "%d", (int)v->u.i); return;
  case AVRO_LONG: orb_buf_printf(b, "%lld", (long long)v->u.l); return;
  case AVRO_FLOAT:
  case AVRO_DOUBLE: {
    double d = v->kind == AVRO_FLOAT ? (double)v->u.f : v->u.d;
    if (isnan(d)) orb_buf_puts(b, "\"NaN\"");
    else if (isinf(d)) orb_buf_puts(b, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    else orb_buf_printf(b, "%.17g", d);   /* a float's exact value, as a double */
    return;
  }
  case AVRO_STRING: json_text(b, v->u.s.data, v->u.s.len, false); return;
  case AVRO_BYTES:
  case AVRO_FIXED: json_text(b, v->u.s.data, v->u.s.len, true); return;
  case AVRO_ENUM:
    if (s->kind == AVRO_ENUM && v->u.i >= 0 && v->u.i < s->nsymbols) json_text(b, s->symbols[v->u.i], strlen(s->symbols[v->u.i]), false);
    else orb_buf_printf(b, "%d", (int)v->u.i);
    return;
  case AVRO_RECORD:
    orb_buf_putc(b, '{');
    for (size_t i = 0; i < v->u.c.n && s->kind == AVRO_RECORD && i < (size_t)s->nfields; i++) {
      if (i) orb_buf_putc(b, ',');
      json_text(b, s->fields[i].name, strlen(s->fields[i].name), false);
      orb_buf_putc(b, ':');
      to_json(s->fields[i].type, &v->u.c.v[i], b, depth + 1);
    }
    orb_buf_putc(b, '}');
    return;
  case AVRO_ARRAY:
  case AVRO_MAP: {
    bool is_map = v->kind == AVRO_MAP;
    const avro_schema *item = is_map ? s->values : s->items;
    orb_buf_putc(b, is_map ? '{' : '[');
    for (size_t i = 0; i < v->u.c.n && item; i++) {
      if (i) orb_buf_putc(b, ',');
      if (is_map) {
        json_text(b, v->u.c.keys[i].data, v->u.c.keys[i].len, false);
        orb_buf_putc(b, ':');
      }
      to_json(item, &v->u.c.v[i], b, depth + 1);
    }
    orb_buf_putc(b, is_map ? '}' : ']');
    return;
  }
  case AVRO_UNION: orb_buf_puts(b, "null"); return;
  }
}

void avro_value_to_json(const avro_schema *s, const avro_value *v, orb_buf *out) { to_json(s, v, out, 0); }

const avro_value *avro_record_get(const avro_schema *record, const avro_value *v, int32_t field_id) {
  if (v->kind != AVRO_RECORD) return NULL;
  int i = avro_field_by_id(record, field_id);
  return i >= 0 && (size_t)i < v->u.c.n ? &v->u.c.v[i] : NULL;
}

bool avro_value_long(const avro_value *x, int64_t *out) {
  if (!x) return false;
  if (x->kind == AVRO_LONG) *out = x->u.l;
  else if (x->kind == AVRO_INT) *out = x->u.i;
  else return false;
  return true;
}
