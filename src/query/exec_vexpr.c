/* query/exec_vexpr.c — expressions evaluated a column batch at a time
** (exec_vec.h): a kernel per node kind for the common cases, a loop over
** the batch's rows through orb_expr_eval for the rest.
**
** Kernels produce integers as int64_t (whatever the integer type: the
** vector's type says which), floats as double (a real's already rounded
** to float, as the row path rounds it) and booleans as bytes.  They give
** up (an error that makes the consumer run the batch row by row) on
** anything the row evaluator reports, so that they never need to know
** its messages: integer overflow, division by zero, float overflow, a
** cast out of range. */
#include "query/exec_vec.h"
#include "expr/func.h"

#include <math.h>
#include <string.h>

typedef struct vx {
  oql_rt *rt;
  const orb_vbatch *b;
  int cnt;                 /* rows in: orb_vbatch_count(b) */
} vx;

static orb_status give_up(orb_err *e) {
  return orb_err_set(e, ORB_ERR_RANGE, "column batch: evaluated again row by row");
}

static void *scratch(vx *c, size_t elem) { return orb_arena_alloc(&c->rt->tmp, elem * (size_t)(c->b->n ? c->b->n : 1)); }

/* Iterate over the rows that are in: r is the row. */
#define EACH_ROW(c, r) for (int k_ = 0, r; k_ < (c)->cnt && ((r = orb_vbatch_row_at((c)->b, k_)), 1); k_++)

static bool int_valued(orb_type_id t) {
  return orb_type_is_integer(t) || t == ORB_T_DATE || t == ORB_T_TIME || t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ;
}

/* v's values as int64_t (I32 widened into scratch). */
static const int64_t *as_i64(vx *c, const orb_vec *v) {
  if (v->kind == ORB_VEC_I64) return v->data;
  int64_t *o = scratch(c, sizeof *o);
  const int32_t *in = v->data;
  EACH_ROW(c, r) o[r] = in[r];
  return o;
}

/* v's values as double (F32 widened into scratch). */
static const double *as_f64(vx *c, const orb_vec *v) {
  if (v->kind == ORB_VEC_F64) return v->data;
  double *o = scratch(c, sizeof *o);
  const float *in = v->data;
  EACH_ROW(c, r) o[r] = in[r];
  return o;
}

/* v's values as bytes 0/1 (a boolean vector of orb_values converted). */
static const uint8_t *as_bool(vx *c, const orb_vec *v) {
  if (v->kind == ORB_VEC_BOOL) return v->data;
  uint8_t *o = scratch(c, 1);
  const orb_value *in = v->data;
  EACH_ROW(c, r) o[r] = !in[r].isnull && in[r].u.b;
  return o;
}

/* The NULL bytes of a result NULL where either operand is. */
static const uint8_t *nulls_either(vx *c, const uint8_t *a, const uint8_t *b) {
  if (!a || !b) return a ? a : b;
  uint8_t *o = scratch(c, 1);
  EACH_ROW(c, r) o[r] = a[r] | b[r];
  return o;
}

static bool is_int_vec(const orb_vec *v) {
  return (v->kind == ORB_VEC_I32 || v->kind == ORB_VEC_I64) && int_valued((orb_type_id)v->type.id);
}
static bool is_float_vec(const orb_vec *v) { return v->kind == ORB_VEC_F32 || v->kind == ORB_VEC_F64; }

static bool int_fits(orb_type_id t, int64_t v) {
  return t == ORB_T_INT16 ? v >= INT16_MIN && v <= INT16_MAX : t == ORB_T_INT32 ? v >= INT32_MIN && v <= INT32_MAX : true;
}

static orb_status eval(vx *c, orb_expr *x, orb_vec *out, orb_err *e);

/* Row by row through the row evaluator (what has no kernel); the NULL
** bytes are filled in too (every kind of vector has them). */
static orb_status fallback(vx *c, orb_expr *x, orb_vec *out, orb_err *e) {
  orb_value *vals = scratch(c, sizeof *vals);
  uint8_t *nulls = scratch(c, 1);
  orb_value *row = orb_arena_alloc(&c->rt->tmp, sizeof *row * (size_t)(c->b->ncols + 1));
  bool any = false;
  EACH_ROW(c, r) {
    orb_vbatch_row(c->b, r, row);
    orb_status st = orb_expr_eval(x, &c->rt->ctx, row, &vals[r], e);
    if (st != ORB_OK) return st;
    any |= nulls[r] = vals[r].isnull;
  }
  *out = (orb_vec){x->type, ORB_VEC_VALUES, vals, any ? nulls : NULL};
  return ORB_OK;
}

/* A constant (or parameter) repeated over the batch. */
static void broadcast(vx *c, orb_type t, const orb_value *v, orb_vec *out) {
  orb_type_id id = (orb_type_id)t.id;
  if (v->isnull) {
    uint8_t *nulls = scratch(c, 1);
    memset(nulls, 1, (size_t)c->b->n);
    orb_value *vals = scratch(c, sizeof *vals);
    for (int r = 0; r < c->b->n; r++) vals[r] = orb_null(id);
    *out = (orb_vec){t, ORB_VEC_VALUES, vals, nulls};
  } else if (int_valued(id) && v->type == id) {
    int64_t *o = scratch(c, sizeof *o);
    for (int r = 0; r < c->b->n; r++) o[r] = v->u.i;
    *out = (orb_vec){t, ORB_VEC_I64, o, NULL};
  } else if (orb_type_is_float(id) && v->type == id) {
    double *o = scratch(c, sizeof *o);
    for (int r = 0; r < c->b->n; r++) o[r] = v->u.f;
    *out = (orb_vec){t, ORB_VEC_F64, o, NULL};
  } else if (id == ORB_T_BOOL && v->type == id) {
    uint8_t *o = scratch(c, 1);
    memset(o, v->u.b, (size_t)c->b->n);
    *out = (orb_vec){t, ORB_VEC_BOOL, o, NULL};
  } else {
    orb_value *vals = scratch(c, sizeof *vals);
    for (int r = 0; r < c->b->n; r++) vals[r] = *v;
    *out = (orb_vec){t, ORB_VEC_VALUES, vals, NULL};
  }
}

/* Integer + - * / % (and unary minus) of operands of the result's type;
** a NULL row's value (whatever the source left there) cannot fail. */
static orb_status int_arith(vx *c, int op, orb_type t, const orb_vec *a, const orb_vec *b, orb_vec *out, orb_err *e) {
  orb_type_id id = (orb_type_id)t.id;
  const int64_t *x = as_i64(c, a), *y = b ? as_i64(c, b) : NULL;
  const uint8_t *nulls = b ? nulls_either(c, a->nulls, b->nulls) : a->nulls;
  int64_t *o = scratch(c, sizeof *o);
  bool bad = false;
#define LIVE(r) (!nulls || !nulls[r])
#define OVERFLOW_LOOP(BUILTIN, A, B) EACH_ROW(c, r) bad |= BUILTIN(A, B, &o[r]) && LIVE(r)
  switch (op) {
  case ORB_E_OP_NEG: OVERFLOW_LOOP(__builtin_sub_overflow, (int64_t)0, x[r]); break;
  case ORB_ARITH_ADD: OVERFLOW_LOOP(__builtin_add_overflow, x[r], y[r]); break;
  case ORB_ARITH_SUB: OVERFLOW_LOOP(__builtin_sub_overflow, x[r], y[r]); break;
  case ORB_ARITH_MUL: OVERFLOW_LOOP(__builtin_mul_overflow, x[r], y[r]); break;
  case ORB_ARITH_DIV:
  case ORB_ARITH_MOD:
    EACH_ROW(c, r) {
      if (!LIVE(r)) o[r] = 0;
      else if (y[r] == 0 || (y[r] == -1 && x[r] == INT64_MIN)) bad = true;
      else o[r] = y[r] == -1 ? (op == ORB_ARITH_DIV ? -x[r] : 0) : op == ORB_ARITH_DIV ? x[r] / y[r] : x[r] % y[r];
    }
    break;
  default: return give_up(e);
  }
  if (id != ORB_T_INT64) EACH_ROW(c, r) bad |= !int_fits(id, o[r]) && LIVE(r);
#undef OVERFLOW_LOOP
  if (bad) return give_up(e);
  *out = (orb_vec){t, ORB_VEC_I64, o, nulls};
  return ORB_OK;
}

/* Float + - * / (and unary minus) of operands of the result's type, with
** the row path's overflow and underflow tests (types/value_arith.c). */
static orb_status float_arith(vx *c, int op, orb_type t, const orb_vec *a, const orb_vec *b, orb_vec *out, orb_err *e) {
  const double *x = as_f64(c, a), *y = b ? as_f64(c, b) : NULL;
  const uint8_t *nulls = b ? nulls_either(c, a->nulls, b->nulls) : a->nulls;
  double *o = scratch(c, sizeof *o);
  bool real = t.id == ORB_T_FLOAT32, bad = false;
  if (op == ORB_E_OP_NEG) {
    EACH_ROW(c, r) o[r] = -x[r];
  } else {
    EACH_ROW(c, r) {
      double p = x[r], q = y[r], v;
      switch (op) {
      case ORB_ARITH_ADD: v = p + q; break;
      case ORB_ARITH_SUB: v = p - q; break;
      case ORB_ARITH_MUL: v = p * q; break;
      case ORB_ARITH_DIV: v = q == 0 ? (bad |= LIVE(r), 0) : p / q; break;
      default: return give_up(e);
      }
      if (real) v = (float)v;
      bad |= LIVE(r) && ((isinf(v) && !isinf(p) && !isinf(q)) || (v == 0 && p != 0 && op == ORB_ARITH_MUL && q != 0));
      o[r] = v;
    }
  }
  if (bad) return give_up(e);
  *out = (orb_vec){t, ORB_VEC_F64, o, nulls};
  return ORB_OK;
}


static bool cmp_holds(int op, int c) {
  switch (op) {
  case ORB_CMP_EQ: return c == 0;
  case ORB_CMP_NE: return c != 0;
  case ORB_CMP_LT: return c < 0;
  case ORB_CMP_LE: return c <= 0;
  case ORB_CMP_GT: return c > 0;
  default: return c >= 0;
  }
}

static int cmp_bytes(const pq_bytes *a, const pq_bytes *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int c = n ? memcmp(a->data, b->data, n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* a op b for operands of one type: integers (and the integer-valued
** dates and times), floats, strings (byte order, as orb_value_cmp). */
static orb_status compare(vx *c, int op, const orb_vec *a, const orb_vec *b, orb_vec *out, orb_err *e) {
  uint8_t *o = scratch(c, 1);
  if (is_int_vec(a) && is_int_vec(b)) {
    const int64_t *x = as_i64(c, a), *y = as_i64(c, b);
    switch (op) {
    case ORB_CMP_EQ: EACH_ROW(c, r) o[r] = x[r] == y[r]; break;
    case ORB_CMP_NE: EACH_ROW(c, r) o[r] = x[r] != y[r]; break;
    case ORB_CMP_LT: EACH_ROW(c, r) o[r] = x[r] < y[r]; break;
    case ORB_CMP_LE: EACH_ROW(c, r) o[r] = x[r] <= y[r]; break;
    case ORB_CMP_GT: EACH_ROW(c, r) o[r] = x[r] > y[r]; break;
    default: EACH_ROW(c, r) o[r] = x[r] >= y[r]; break;
    }
  } else if (is_float_vec(a) && is_float_vec(b)) {
    const double *x = as_f64(c, a), *y = as_f64(c, b);
    EACH_ROW(c, r) o[r] = cmp_holds(op, oql_float_cmp(x[r], y[r]));
  } else if (a->kind == ORB_VEC_BYTES && b->kind == ORB_VEC_BYTES) {
    const pq_bytes *x = a->data, *y = b->data;
    EACH_ROW(c, r) o[r] = cmp_holds(op, cmp_bytes(&x[r], &y[r]));
  } else {
    return give_up(e);
  }
  *out = (orb_vec){orb_type_make(ORB_T_BOOL), ORB_VEC_BOOL, o, nulls_either(c, a->nulls, b->nulls)};
  return ORB_OK;
}

/* Casts between numeric types that have a kernel: integer to integer
** (narrowing checked), integer or real to double precision, double or
** real to an integer (rounded half to even, range checked, as
** types/value_cast.c); the others go row by row. */
static orb_status cast(vx *c, orb_expr *x, orb_vec *out, orb_err *e) {
  orb_vec a;
  orb_status st = eval(c, x->args[0], &a, e);
  if (st != ORB_OK) return st;
  orb_type_id to = (orb_type_id)x->type.id, from = (orb_type_id)a.type.id;
  if (to == from && x->type.precision == a.type.precision && x->type.scale == a.type.scale && a.kind != ORB_VEC_VALUES) {
    *out = a;
    out->type = x->type;
    return ORB_OK;
  }
  const uint8_t *nulls = a.nulls;
  bool bad = false;
  if (orb_type_is_integer(to) && orb_type_is_integer(from) && is_int_vec(&a)) {
    const int64_t *v = as_i64(c, &a);
    EACH_ROW(c, r) bad |= !int_fits(to, v[r]) && LIVE(r);
    if (bad) return give_up(e);
    *out = (orb_vec){x->type, ORB_VEC_I64, v, nulls};
    return ORB_OK;
  }
  if (to == ORB_T_FLOAT64 && ((orb_type_is_integer(from) && is_int_vec(&a)) || is_float_vec(&a))) {
    double *o = scratch(c, sizeof *o);
    if (is_float_vec(&a)) {
      const double *v = as_f64(c, &a);
      EACH_ROW(c, r) o[r] = v[r];
    } else {
      const int64_t *v = as_i64(c, &a);
      EACH_ROW(c, r) o[r] = (double)v[r];
    }
    *out = (orb_vec){x->type, ORB_VEC_F64, o, nulls};
    return ORB_OK;
  }
  if (orb_type_is_integer(to) && is_float_vec(&a) && orb_type_is_float(from)) {
    const double *v = as_f64(c, &a);
    int64_t *o = scratch(c, sizeof *o);
    EACH_ROW(c, r) {
      double d = rint(v[r]);
      bool ok = d >= -9223372036854775808.0 && d < 9223372036854775808.0;   /* false for NaN */
      o[r] = ok ? (int64_t)d : 0;
      bad |= (!ok || !int_fits(to, o[r])) && LIVE(r);
    }
    if (bad) return give_up(e);
    *out = (orb_vec){x->type, ORB_VEC_I64, o, nulls};
    return ORB_OK;
  }
  return fallback(c, x, out, e);
}
#undef LIVE

/* length / char_length / character_length / octet_length of a string vector. */
static bool is_length(const orb_expr *x, bool *octets) {
  if (x->kind != ORB_E_FUNC || x->nargs != 1 || !x->func || x->type.id != ORB_T_INT32) return false;
  const char *n = x->func->name;
  *octets = !strcmp(n, "octet_length");
  return *octets || !strcmp(n, "length") || !strcmp(n, "char_length") || !strcmp(n, "character_length");
}

/* Characters of UTF-8 text: the bytes that do not continue a sequence
** (10xxxxxx), counted eight at a time; the last 1 to 7 bytes are gathered
** into one word without reading past them (overlapping loads: a byte read
** twice lands on itself). */
/* How many of bits 7, 15, ..., 63 are set in m (no other bit is): each
** byte is 0 or 1 after the shift, and the multiplication sums them into
** the top byte.  (The builtin popcount is a library call on the baseline
** x86-64 this is built for, and took a tenth of a string-heavy scan.) */
static inline size_t high_bits(uint64_t m) { return (size_t)(((m >> 7) * 0x0101010101010101ULL) >> 56); }

static size_t utf8_chars(const uint8_t *p, size_t n) {
  const uint64_t high = 0x8080808080808080ULL;
  size_t cont = 0, i = 0;
  if (n == 0) return 0;   /* an empty string's (or a NULL row's) pointer may be NULL */
  uint64_t w;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, p + i, 8);
    cont += high_bits(w & ~(w << 1) & high);   /* bit 7 set, bit 6 clear */
  }
  size_t t = n - i;
  p += i;
  if (t >= 4) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + t - 4, 4);
    w = lo | (uint64_t)hi << (8 * (t - 4));
  } else if (t > 0) {
    w = p[0] | (uint64_t)p[t / 2] << (8 * (t / 2)) | (uint64_t)p[t - 1] << (8 * (t - 1));
  } else {
    w = 0;
  }
  cont += high_bits(w & ~(w << 1) & high);
  return n - cont;
}

static orb_status length(vx *c, orb_expr *x, bool octets, orb_vec *out, orb_err *e) {
  orb_vec a;
  orb_status st = eval(c, x->args[0], &a, e);
  if (st != ORB_OK) return st;
  if (a.kind != ORB_VEC_BYTES) return fallback(c, x, out, e);
  const pq_bytes *s = a.data;
  int64_t *o = scratch(c, sizeof *o);
  if (octets || a.type.id == ORB_T_BYTEA) {   /* bytea counts bytes, text characters */
    EACH_ROW(c, r) o[r] = (int64_t)s[r].len;
  } else {
    EACH_ROW(c, r) o[r] = (int64_t)utf8_chars(s[r].data, s[r].len);
  }
  *out = (orb_vec){x->type, ORB_VEC_I64, o, a.nulls};
  return ORB_OK;
}

/* AND / OR of any number of boolean operands, three-valued: AND is false
** where an operand is false, else NULL where one is NULL (OR: true, NULL). */
static orb_status and_or(vx *c, orb_expr *x, orb_vec *out, orb_err *e) {
  bool is_and = x->kind == ORB_E_AND;
  uint8_t *val = scratch(c, 1), *unknown = scratch(c, 1);
  EACH_ROW(c, r) val[r] = is_and, unknown[r] = 0;
  for (int i = 0; i < x->nargs; i++) {
    orb_vec a;
    orb_status st = eval(c, x->args[i], &a, e);
    if (st != ORB_OK) return st;
    const uint8_t *v = as_bool(c, &a), *n = a.nulls;
    if (is_and) EACH_ROW(c, r) val[r] &= (n && n[r]) || v[r];
    else EACH_ROW(c, r) val[r] |= !(n && n[r]) && v[r];
    if (n) EACH_ROW(c, r) unknown[r] |= n[r];
  }
  /* decided (false for AND, true for OR) wins over unknown */
  EACH_ROW(c, r) unknown[r] = unknown[r] && val[r] == is_and;
  *out = (orb_vec){x->type, ORB_VEC_BOOL, val, unknown};
  return ORB_OK;
}

static orb_status eval(vx *c, orb_expr *x, orb_vec *out, orb_err *e) {
  orb_status st;
  switch ((orb_expr_kind)x->kind) {
  case ORB_E_COLUMN:
    if (x->slot < 0 || x->slot >= c->b->ncols) return give_up(e);
    *out = c->b->cols[x->slot];
    return ORB_OK;
  case ORB_E_CONST: broadcast(c, x->type, &x->value, out); return ORB_OK;
  case ORB_E_PARAM: {   /* one of another type is cast by the row evaluator (once a row) */
    const orb_value *p = c->rt->ctx.params && x->slot >= 0 && x->slot < c->rt->ctx.nparams ? &c->rt->ctx.params[x->slot] : NULL;
    if (!p || (!p->isnull && p->type != x->type.id)) return fallback(c, x, out, e);
    broadcast(c, x->type, p, out);
    return ORB_OK;
  }
  case ORB_E_ARITH: {
    orb_type_id t = (orb_type_id)x->type.id;
    bool neg = x->op == ORB_E_OP_NEG && x->nargs == 1, bin = x->nargs == 2 && x->op <= ORB_ARITH_MOD;
    if (!(neg || bin) || !(orb_type_is_integer(t) || orb_type_is_float(t))) return fallback(c, x, out, e);
    orb_vec a, b;
    if ((st = eval(c, x->args[0], &a, e)) != ORB_OK) return st;
    if (bin && (st = eval(c, x->args[1], &b, e)) != ORB_OK) return st;
    bool same = a.type.id == t && (!bin || b.type.id == t);
    if (same && orb_type_is_integer(t) && is_int_vec(&a) && (!bin || is_int_vec(&b)))
      return int_arith(c, x->op, x->type, &a, bin ? &b : NULL, out, e);
    if (same && orb_type_is_float(t) && is_float_vec(&a) && (!bin || is_float_vec(&b)) && x->op != ORB_ARITH_MOD)
      return float_arith(c, x->op, x->type, &a, bin ? &b : NULL, out, e);
    return fallback(c, x, out, e);
  }
  case ORB_E_CMP: {
    if (x->nargs != 2 || x->args[0]->type.id != x->args[1]->type.id) return fallback(c, x, out, e);
    orb_vec a, b;
    if ((st = eval(c, x->args[0], &a, e)) != ORB_OK || (st = eval(c, x->args[1], &b, e)) != ORB_OK) return st;
    if (compare(c, x->op, &a, &b, out, e) == ORB_OK) return ORB_OK;
    return fallback(c, x, out, e);
  }
  case ORB_E_CAST: return x->nargs == 1 ? cast(c, x, out, e) : fallback(c, x, out, e);
  case ORB_E_AND:
  case ORB_E_OR: return and_or(c, x, out, e);
  case ORB_E_NOT: {
    orb_vec a;
    if ((st = eval(c, x->args[0], &a, e)) != ORB_OK) return st;
    const uint8_t *v = as_bool(c, &a);
    uint8_t *o = scratch(c, 1);
    EACH_ROW(c, r) o[r] = !v[r];
    *out = (orb_vec){x->type, ORB_VEC_BOOL, o, a.nulls};
    return ORB_OK;
  }
  case ORB_E_IS_NULL: {
    orb_vec a;
    if ((st = eval(c, x->args[0], &a, e)) != ORB_OK) return st;
    uint8_t *o = scratch(c, 1);
    bool neg = x->flags & ORB_EF_NEGATE;
    EACH_ROW(c, r) o[r] = (a.nulls && a.nulls[r]) != neg;
    *out = (orb_vec){x->type, ORB_VEC_BOOL, o, NULL};
    return ORB_OK;
  }
  case ORB_E_FUNC: {
    bool octets;
    if (is_length(x, &octets)) return length(c, x, octets, out, e);
    return fallback(c, x, out, e);
  }
  default: return fallback(c, x, out, e);
  }
}

orb_status oql_vexpr_eval(orb_expr *x, oql_rt *rt, const orb_vbatch *b, orb_vec *out, orb_err *e) {
  vx c = {rt, b, orb_vbatch_count(b)};
  return eval(&c, x, out, e);
}

bool oql_vexpr_is_batched(const orb_expr *x) {
  bool octets;
  switch ((orb_expr_kind)x->kind) {
  case ORB_E_COLUMN:
  case ORB_E_CONST:
  case ORB_E_PARAM: return true;
  case ORB_E_ARITH: {
    orb_type_id t = (orb_type_id)x->type.id;
    if (!orb_type_is_integer(t) && !orb_type_is_float(t)) return false;
    break;
  }
  case ORB_E_CMP:
  case ORB_E_CAST:
  case ORB_E_AND:
  case ORB_E_OR:
  case ORB_E_NOT:
  case ORB_E_IS_NULL: break;
  case ORB_E_FUNC:
    if (!is_length(x, &octets)) return false;
    break;
  default: return false;
  }
  for (int i = 0; i < x->nargs; i++)
    if (!oql_vexpr_is_batched(x->args[i])) return false;
  return true;
}
