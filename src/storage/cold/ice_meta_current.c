/* storage/cold/ice_meta_current.c — reading only what a scan of the current
** snapshot needs from a table's metadata JSON (ice_meta_parse_current, see
** ice_meta.h).
**
** Why: a table of many commits carries its whole history in the metadata
** file — every snapshot, the snapshot log, the metadata log — and building
** a JSON tree of all of it made the first count(*) of a table of 100
** appends ten times slower than that of a table of one.  A read of the
** current snapshot needs none of the history.
**
** How: a structural scanner walks the text once without building anything
** (strings, brackets, scalars), notes each top-level member's span, each
** snapshot's span and id, and the snapshot ids the refs name.  It then
** writes a smaller document: every member as it came, except that
** `snapshots` keeps only the current snapshot and the ones refs name, and
** `snapshot-log` and `metadata-log` are left out.  That document goes
** through the one real parser (ice_meta_parse), so every check and error
** of the full read applies to what is kept.  The model comes back marked
** `partial`.
**
** Whatever the scanner does not handle simply (escaped keys, duplicate
** keys, numbers it cannot read as plain integers, anything malformed) and
** any failure of the smaller document fall back to the full read, so
** errors are exactly the full reader's.  The parts left out are not
** checked until someone reads them (ice_meta_parse of the same bytes). */
#include "storage/cold/ice_meta.h"
#include "base/buf.h"
#include "base/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SCAN_AVX2 1
#include <immintrin.h>
#else
#define SCAN_AVX2 0
#endif

typedef struct scan {
  const char *p, *end;
} scan;

typedef struct span {
  const char *b, *e;   /* [b, e) */
} span;

static void skip_ws(scan *s) {
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t')) s->p++;
}

/* Strings: the search for a string's end goes 16 bytes at a time where
** SSE2 is there (every x86-64), a byte at a time elsewhere. */
static const unsigned char in_string_stop[256] = {['"'] = 1, ['\\'] = 1};

static const char *next_string_stop(const char *p, const char *end) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (m) return p + __builtin_ctz((unsigned)m);
  }
#endif
  while (p < end && !in_string_stop[(unsigned char)*p]) p++;
  return p;
}

/* Objects and arrays are skipped 64 bytes at a time, with bit masks (one
** bit a byte) of the quotes, backslashes, opening and closing brackets:
** the prefix XOR of the quotes marks the bytes inside strings, and only
** brackets outside them count.  A block with a backslash (rare in
** metadata) goes byte by byte.  Brackets are counted, not matched by kind:
** on valid JSON that is the same, and the text kept is checked by the full
** parser, the text skipped when it is read. */
typedef struct block_masks {
  uint64_t quote, backslash, open, close;
} block_masks;

__attribute__((always_inline)) static inline block_masks block_of_portable(const char *p) {
  block_masks m;
#ifdef __SSE2__
  /* '[' and '{' differ only in bit 0x20, as do ']' and '}' */
  const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), lower = _mm_set1_epi8(0x20),
                ob = _mm_set1_epi8('{'), cb = _mm_set1_epi8('}');
  m.quote = m.backslash = m.open = m.close = 0;
  for (int i = 0; i < 4; i++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
    __m128i l = _mm_or_si128(v, lower);
    m.quote |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * i);
    m.backslash |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bs)) << (16 * i);
    m.open |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(l, ob)) << (16 * i);
    m.close |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(l, cb)) << (16 * i);
  }
#else
  m.quote = m.backslash = m.open = m.close = 0;
  for (int i = 0; i < 64; i++) {
    uint64_t bit = (uint64_t)1 << i;
    char c = p[i];
    if (c == '"') m.quote |= bit;
    else if (c == '\\') m.backslash |= bit;
    else if (c == '{' || c == '[') m.open |= bit;
    else if (c == '}' || c == ']') m.close |= bit;
  }
#endif
  return m;
}

#if SCAN_AVX2
/* The same with 32-byte vectors, on processors that have AVX2 (chosen at
** run time: the build assumes only SSE2). */
__attribute__((target("avx2"), always_inline)) static inline block_masks block_of_avx2(const char *p) {
  block_masks m;
  const __m256i q = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\'), lower = _mm256_set1_epi8(0x20),
                ob = _mm256_set1_epi8('{'), cb = _mm256_set1_epi8('}');
  __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
  __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
  __m256i l0 = _mm256_or_si256(v0, lower), l1 = _mm256_or_si256(v1, lower);
#define SCAN_MASK64(a, b, x) \
  ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, x)) | \
   (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, x)) << 32)
  m.quote = SCAN_MASK64(v0, v1, q);
  m.backslash = SCAN_MASK64(v0, v1, bs);
  m.open = SCAN_MASK64(l0, l1, ob);
  m.close = SCAN_MASK64(l0, l1, cb);
#undef SCAN_MASK64
  return m;
}

/* And with 64-byte vectors where there is AVX-512BW: one load a block. */
__attribute__((target("avx512bw"), always_inline)) static inline block_masks block_of_avx512(const char *p) {
  block_masks m;
  __m512i v = _mm512_loadu_si512((const void *)p);
  __m512i l = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
  m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  m.backslash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
  m.open = _mm512_cmpeq_epi8_mask(l, _mm512_set1_epi8('{'));
  m.close = _mm512_cmpeq_epi8_mask(l, _mm512_set1_epi8('}'));
  return m;
}
#endif

/* Bit i set when an odd number of bits 0..i of x are (the bytes after an
** opening quote, up to its closing one). */
static uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/* Where a bracketed value's skipping stands between blocks. */
typedef struct skip_state {
  int64_t depth;
  bool in_string, escape;   /* escape: the next byte is escaped */
} skip_state;

/* Bytes [p, p+n) one at a time; the offset just past the value's closing
** bracket, or -1 when it does not close here. */
static int64_t skip_bytes(const char *p, int64_t n, skip_state *st) {
  for (int64_t i = 0; i < n; i++) {
    char c = p[i];
    if (st->escape) st->escape = false;
    else if (st->in_string) {
      if (c == '\\') st->escape = true;
      else if (c == '"') st->in_string = false;
    } else if (c == '"') {
      st->in_string = true;
    } else if (c == '{' || c == '[') {
      st->depth++;
    } else if ((c == '}' || c == ']') && --st->depth == 0) {
      return i + 1;
    }
  }
  return -1;
}

typedef block_masks (*block_fn)(const char *);

/* The 64-byte blocks from p on (below end), for skip_bracketed: the offset
** just past the value's closing bracket, or -1 with *p at the first byte
** not looked at.  Inlined into one copy per block_of, so that the masks
** stay in registers. */
__attribute__((always_inline)) static inline int64_t skip_blocks(const char **pp, const char *end, skip_state *st,
                                                                 block_fn block_of) {
  const char *p = *pp;
  for (; end - p >= 64; p += 64) {
    block_masks m = block_of(p);
    if (m.backslash || st->escape) {
      int64_t k = skip_bytes(p, 64, st);
      if (k >= 0) return p - *pp + k;
      continue;
    }
    uint64_t inside = prefix_xor(m.quote) ^ (st->in_string ? ~(uint64_t)0 : 0);
    st->in_string = inside >> 63;
    uint64_t open = m.open & ~inside, close = m.close & ~inside;
    /* brackets are few (a snapshot has two or four): one step each */
    for (uint64_t both = open | close; both; both &= both - 1) {
      int i = __builtin_ctzll(both);
      if (open >> i & 1) st->depth++;
      else if (--st->depth == 0) return p - *pp + i + 1;
    }
  }
  *pp = p;
  return -1;
}

static int64_t skip_blocks_portable(const char **pp, const char *end, skip_state *st) {
  return skip_blocks(pp, end, st, block_of_portable);
}

#if SCAN_AVX2
__attribute__((target("avx2"))) static int64_t skip_blocks_avx2(const char **pp, const char *end, skip_state *st) {
  return skip_blocks(pp, end, st, block_of_avx2);
}

__attribute__((target("avx512bw"))) static int64_t skip_blocks_avx512(const char **pp, const char *end, skip_state *st) {
  return skip_blocks(pp, end, st, block_of_avx512);
}
#endif

typedef int64_t (*skip_blocks_fn)(const char **, const char *, skip_state *);

static skip_blocks_fn pick_skip_blocks(void) {
#if SCAN_AVX2
  if (__builtin_cpu_supports("avx512bw")) return skip_blocks_avx512;
  if (__builtin_cpu_supports("avx2")) return skip_blocks_avx2;
#endif
  return skip_blocks_portable;
}

/* A bracketed value: the scanner past it.  depth 0: s->p is at its opening
** bracket; 1: s->p is inside it, outside any string, at nesting level 1. */
static bool skip_bracketed(scan *s, int64_t depth) {
  static skip_blocks_fn blocks;   /* the same for every thread: a benign race */
  if (!blocks) blocks = pick_skip_blocks();
  skip_state st = {depth, false, false};
  const char *p = s->p;
  int64_t k = blocks(&p, s->end, &st);
  if (k >= 0) {
    s->p += k;
    return true;
  }
  k = skip_bytes(p, s->end - p, &st);
  if (k < 0) return false;
  s->p = p + k;
  return true;
}

/* At a '"': past the closing quote.  *escaped (when asked): the string has
** a backslash. */
static bool skip_string(scan *s, bool *escaped) {
  const char *p = s->p + 1, *end = s->end;
  bool esc = false;
  for (;;) {
    p = next_string_stop(p, end);
    if (p >= end) return false;
    if (*p == '"') break;
    esc = true;
    if (end - p < 2) return false;
    p += 2;   /* the escaped byte (\uXXXX's hex digits are plain bytes) */
  }
  s->p = p + 1;
  if (escaped) *escaped = esc;
  return true;
}

/* A scalar (number, true, false, null): up to the next delimiter. */
static bool skip_scalar(scan *s) {
  const char *p = s->p;
  while (p < s->end && *p != ',' && *p != ']' && *p != '}' && *p != ' ' && *p != '\n' && *p != '\r' &&
         *p != '\t' && *p != '"' && *p != '[' && *p != '{' && *p != ':')
    p++;
  if (p == s->p) return false;
  s->p = p;
  return true;
}

/* One value of any kind. */
static bool skip_value(scan *s) {
  skip_ws(s);
  if (s->p >= s->end) return false;
  if (*s->p == '"') return skip_string(s, NULL);
  if (*s->p != '{' && *s->p != '[') return skip_scalar(s);
  return skip_bracketed(s, 0);
}

/* Members of an object: call begin_object once at '{', then next_member
** until it says done.  A key with an escape is refused (the caller falls
** back): comparing raw keys would otherwise miss "snapshot\u002did". */
static bool begin_object(scan *s) {
  skip_ws(s);
  if (s->p >= s->end || *s->p != '{') return false;
  s->p++;
  return true;
}

/* *done at the closing '}'; else the member's key (without quotes) and
** value spans, the scanner past the value. */
static bool next_member(scan *s, bool first, span *key, span *value, bool *done) {
  skip_ws(s);
  if (s->p < s->end && *s->p == '}') {
    s->p++;
    *done = true;
    return true;
  }
  *done = false;
  if (!first) {
    if (s->p >= s->end || *s->p != ',') return false;
    s->p++;
    skip_ws(s);
  }
  if (s->p >= s->end || *s->p != '"') return false;
  bool escaped;
  key->b = s->p + 1;
  if (!skip_string(s, &escaped) || escaped) return false;
  key->e = s->p - 1;
  skip_ws(s);
  if (s->p >= s->end || *s->p != ':') return false;
  s->p++;
  skip_ws(s);
  value->b = s->p;
  if (!skip_value(s)) return false;
  value->e = s->p;
  return true;
}

static bool key_is(span k, const char *name) {
  size_t n = strlen(name);
  return (size_t)(k.e - k.b) == n && memcmp(k.b, name, n) == 0;
}

/* A plain JSON integer (what the full reader takes as one); null is -1 when
** null_ok (current-snapshot-id's "none"). */
static bool span_int(span v, bool null_ok, int64_t *out) {
  size_t n = (size_t)(v.e - v.b);
  if (null_ok && n == 4 && memcmp(v.b, "null", 4) == 0) {
    *out = -1;
    return true;
  }
  const char *c = v.b, *e = v.e;
  bool neg = c < e && *c == '-';
  if (neg) c++;
  if (c == e || (*c == '0' && e - c > 1)) return false;   /* JSON has no leading zeros */
  uint64_t u = 0;
  for (; c < e; c++) {
    if (*c < '0' || *c > '9' || u > (uint64_t)INT64_MAX / 10) return false;   /* too big: the full reader judges */
    u = u * 10 + (uint64_t)(*c - '0');
  }
  if (u > (uint64_t)INT64_MAX) return false;
  int64_t x = neg ? -(int64_t)u : (int64_t)u;
  *out = x;
  return true;
}

/* The object at the scanner: past it, its "snapshot-id" in *id.  Writers
** put the id first; the rest of the object is skipped whole (a snapshot is
** mostly its summary, and there is one per commit). */
static bool scan_snapshot_id(scan *s, int64_t *id) {
  if (!begin_object(s)) return false;
  bool done = false;
  for (bool first = true;; first = false) {
    span k, x;
    if (!next_member(s, first, &k, &x, &done) || done) return false;
    if (key_is(k, "snapshot-id")) return span_int(x, false, id) && skip_bracketed(s, 1);
  }
}

static bool object_snapshot_id(span v, int64_t *id) {
  scan s = {v.b, v.e};
  return scan_snapshot_id(&s, id);
}

typedef struct doc {
  span members[64];                 /* top-level members kept as they are (key through value) */
  int nmembers;
  span snapshots;                   /* the value of "snapshots" (b NULL: absent) */
  span refs;                        /* the value of "refs" */
  int64_t current;                  /* -1: none */
  bool elided;                      /* a log or a snapshot is left out */
} doc;

static bool in(const int64_t *ids, int n, int64_t id) {
  for (int i = 0; i < n; i++)
    if (ids[i] == id) return true;
  return false;
}

/* The top level: which members are kept, where the snapshots and refs are. */
static bool scan_top(const char *text, size_t len, doc *d) {
  scan s = {text, text + len};
  memset(d, 0, sizeof *d);
  d->current = -1;
  bool seen_current = false, done = false;
  if (!begin_object(&s)) return false;
  for (bool first = true;; first = false) {
    span k, v;
    const char *member_start;
    skip_ws(&s);
    member_start = s.p < s.end && *s.p == ',' ? s.p + 1 : s.p;
    if (!next_member(&s, first, &k, &v, &done)) return false;
    if (done) break;
    if (key_is(k, "snapshot-log") || key_is(k, "metadata-log")) {
      d->elided = true;
      continue;
    }
    if (key_is(k, "snapshots") && *v.b == '[') {   /* anything else: kept, for the full reader to judge */
      if (d->snapshots.b) return false;
      d->snapshots = v;
      continue;
    }
    if (key_is(k, "refs")) {
      if (d->refs.b) return false;
      d->refs = v;
    } else if (key_is(k, "current-snapshot-id")) {
      if (seen_current || !span_int(v, true, &d->current)) return false;
      seen_current = true;
    }
    if (d->nmembers == (int)(sizeof d->members / sizeof d->members[0])) return false;
    d->members[d->nmembers++] = (span){member_start, v.e};
  }
  skip_ws(&s);
  return s.p == s.end;
}

/* The snapshot ids to keep: the current one and those refs name. */
static bool wanted_ids(const doc *d, int64_t **ids, int *n) {
  int cap = 8;
  *ids = orb_malloc((size_t)cap * sizeof **ids);
  *n = 0;
  if (d->current != -1) (*ids)[(*n)++] = d->current;
  if (!d->refs.b || (d->refs.e - d->refs.b == 4 && memcmp(d->refs.b, "null", 4) == 0)) return true;
  scan s = {d->refs.b, d->refs.e};
  if (!begin_object(&s)) return false;
  bool done = false;
  for (bool first = true;; first = false) {
    span k, v;
    int64_t id;
    if (!next_member(&s, first, &k, &v, &done)) return false;
    if (done) return true;
    if (!object_snapshot_id(v, &id)) return false;
    if (in(*ids, *n, id)) continue;
    if (*n == cap) {
      cap *= 2;
      *ids = orb_realloc(*ids, (size_t)cap * sizeof **ids);
    }
    (*ids)[(*n)++] = id;
  }
}

/* The smaller document into out (heap), or false to fall back. */
static bool reduce(const char *text, size_t len, char **out, size_t *outlen, bool *elided) {
  doc d;
  if (!scan_top(text, len, &d)) return false;
  int64_t *ids;
  int nids;
  if (!wanted_ids(&d, &ids, &nids)) {
    orb_free(ids);
    return false;
  }
  /* sized by what is kept, not by the file: the history is most of it */
  orb_buf b;
  orb_buf_init(&b);
  orb_buf_putc(&b, '{');
  for (int i = 0; i < d.nmembers; i++) {
    if (b.len > 1) orb_buf_putc(&b, ',');
    orb_buf_append(&b, d.members[i].b, (size_t)(d.members[i].e - d.members[i].b));
  }
  bool ok = true;
  if (d.snapshots.b) {
    if (b.len > 1) orb_buf_putc(&b, ',');
    orb_buf_puts(&b, "\"snapshots\":[");
    scan s = {d.snapshots.b + 1, d.snapshots.e};   /* past the '[' */
    int kept = 0;
    for (bool first = true; ok; first = false) {
      skip_ws(&s);
      if (s.p < s.end && *s.p == ']') break;
      if (!first) {
        if (s.p >= s.end || *s.p != ',') {
          ok = false;
          break;
        }
        s.p++;
        skip_ws(&s);
      }
      const char *start = s.p;
      int64_t id;
      if (!scan_snapshot_id(&s, &id)) {
        ok = false;
        break;
      }
      if (!in(ids, nids, id)) {
        d.elided = true;
        continue;
      }
      if (kept++) orb_buf_putc(&b, ',');
      orb_buf_append(&b, start, (size_t)(s.p - start));
    }
    orb_buf_putc(&b, ']');
  }
  orb_buf_putc(&b, '}');
  orb_free(ids);
  if (!ok) {
    orb_buf_free(&b);
    return false;
  }
  *outlen = b.len;
  *out = orb_buf_detach(&b);
  *elided = d.elided;
  return true;
}

orb_status ice_meta_parse_current(orb_arena *a, const void *data, size_t len, const char *name, ice_meta *out,
                                  orb_err *e) {
  char *inflated = NULL;
  const char *text;
  size_t tlen;
  orb_status st = ice_meta_text(data, len, name, &text, &tlen, &inflated, e);
  if (st != ORB_OK) return st;
  char *small;
  size_t slen;
  bool elided = false;
  bool reduced = reduce(text, tlen, &small, &slen, &elided);
  if (reduced) {
    orb_err ignored;
    orb_err_clear(&ignored);
    st = ice_meta_parse(a, small, slen, name, out, &ignored);
    orb_free(small);
    if (st == ORB_OK) {
      out->partial = elided;
      orb_free(inflated);
      return ORB_OK;
    }
    /* (what the failed read allocated stays in the arena: errors are rare) */
  }
  /* the full reader: its result, or its error */
  st = ice_meta_parse(a, text, tlen, name, out, e);
  orb_free(inflated);
  return st;
}
