/* api/api_stmt.c — prepared statements: prepare, bind, step, column getters (orbit.h). */
#include "api/api_internal.h"

#include <string.h>

#include "base/mem.h"
#include "types/array.h"

/* The engine type of a public type code (ORB_T_NULL for one that is not a type). */
static orb_type engine_type(orbit_type t, orbit_type elem) {
  static const orb_type_id map[] = {
      [ORBIT_NULL] = ORB_T_NULL,         [ORBIT_BOOL] = ORB_T_BOOL,
      [ORBIT_INT16] = ORB_T_INT16,       [ORBIT_INT32] = ORB_T_INT32,
      [ORBIT_INT64] = ORB_T_INT64,       [ORBIT_FLOAT32] = ORB_T_FLOAT32,
      [ORBIT_FLOAT64] = ORB_T_FLOAT64,   [ORBIT_DECIMAL] = ORB_T_DECIMAL,
      [ORBIT_TEXT] = ORB_T_TEXT,         [ORBIT_BYTEA] = ORB_T_BYTEA,
      [ORBIT_DATE] = ORB_T_DATE,         [ORBIT_TIME] = ORB_T_TIME,
      [ORBIT_TIMESTAMP] = ORB_T_TIMESTAMP, [ORBIT_TIMESTAMPTZ] = ORB_T_TIMESTAMPTZ,
      [ORBIT_UUID] = ORB_T_UUID,         [ORBIT_INTERVAL] = ORB_T_INTERVAL,
      [ORBIT_ARRAY] = ORB_T_ARRAY,       [ORBIT_RECORD] = ORB_T_NULL,
      [ORBIT_VOID] = ORB_T_VOID,         [ORBIT_JSON] = ORB_T_JSON,
      [ORBIT_JSONB] = ORB_T_JSONB};
  if ((unsigned)t >= sizeof map / sizeof map[0]) return orb_type_make(ORB_T_NULL);
  if (t == ORBIT_ARRAY) {
    orb_type e = engine_type(elem, ORBIT_NULL);
    return e.id == ORB_T_NULL || e.id == ORB_T_ARRAY ? orb_type_make(ORB_T_NULL) : orb_type_array(e.id);
  }
  if (t == ORBIT_DECIMAL) return orb_type_decimal(0, 0);   /* numeric without precision */
  return orb_type_make(map[t]);
}

int orbit_prepare(orbit_db *db, const char *sql, orbit_stmt **out, const char **tail) {
  return orbit_prepare_typed(db, sql, 0, NULL, NULL, out, tail);
}

int orbit_prepare_typed(orbit_db *db, const char *sql, int ntypes, const orbit_type *types,
                        const orbit_type *elem_types, orbit_stmt **out, const char **tail) {
  if (out) *out = NULL;
  if (!db || !sql || !out || ntypes < 0 || (ntypes > 0 && !types)) return ORBIT_MISUSE;
  orb_err e;
  orb_err_clear(&e);
  oql_stmt *st = NULL;
  orb_type *decl = ntypes > 0 ? orb_calloc((size_t)ntypes, sizeof *decl) : NULL;
  for (int i = 0; i < ntypes; i++) decl[i] = engine_type(types[i], elem_types ? elem_types[i] : ORBIT_NULL);
  orb_status rc = oql_prepare_typed(db->sess, sql, ntypes, decl, &st, tail, &e);
  orb_free(decl);
  if (rc != ORB_OK) return orbit__fail(db, &e, sql);
  orbit__ok(db);
  if (!st) return ORBIT_OK;
  orbit_stmt *s = orb_calloc(1, sizeof *s);
  s->db = db;
  s->st = st;
  s->sql_base = sql;
  db->nstmts++;
  *out = s;
  return ORBIT_OK;
}

/* Column caches follow the statement's column count (which a re-bind after
** DDL may change). */
static void free_columns(orbit_stmt *s) {
  for (int i = 0; i < s->ncols; i++) {
    orb_buf_free(&s->text[i]);
    orb_free(s->decltype[i]);
  }
  orb_free(s->text);
  orb_free(s->text_ok);
  orb_free(s->decltype);
}

static void sync_columns(orbit_stmt *s) {
  int n = oql_column_count(s->st);
  if (n == s->ncols && s->text) return;
  free_columns(s);
  s->ncols = n;
  s->text = orb_calloc((size_t)n + 1, sizeof(orb_buf));
  s->text_ok = orb_calloc((size_t)n + 1, sizeof(bool));
  s->decltype = orb_calloc((size_t)n + 1, sizeof(char *));
}

int orbit_step(orbit_stmt *s) {
  if (!s) return ORBIT_MISUSE;
  orb_err e;
  orb_err_clear(&e);
  bool row = false;
  if (s->done) return ORBIT_DONE;
  if (oql_step(s->st, &row, &e) != ORB_OK) {
    s->has_row = false;
    s->done = true;
    return orbit__fail(s->db, &e, oql_stmt_sql(s->st));
  }
  sync_columns(s);
  for (int i = 0; i < s->ncols; i++) s->text_ok[i] = false;
  s->has_row = row;
  if (!row) {
    s->done = true;
    s->db->changes = oql_changes(s->st);
    return ORBIT_DONE;
  }
  return ORBIT_ROW;
}

int orbit_reset(orbit_stmt *s) {
  if (!s) return ORBIT_MISUSE;
  oql_reset(s->st);
  s->has_row = false;
  s->done = false;
  return ORBIT_OK;
}

int orbit_clear_bindings(orbit_stmt *s) {
  if (!s) return ORBIT_MISUSE;
  oql_clear_bindings(s->st);
  return ORBIT_OK;
}

int orbit_finalize(orbit_stmt *s) {
  if (!s) return ORBIT_OK;
  oql_finalize(s->st);
  free_columns(s);
  orb_buf_free(&s->elem_text);
  s->db->nstmts--;
  orb_free(s);
  return ORBIT_OK;
}

/* --- parameters ------------------------------------------------------------ */

int orbit_bind_count(orbit_stmt *s) { return s ? oql_param_count(s->st) : 0; }

/* Every bind but the common exact ones: conversions and errors.  Kept out
** of line so that the common case sets up no error state. */
static __attribute__((noinline)) int bind_slow(orbit_stmt *s, int idx, const orb_value *v) {
  orb_err e;
  orb_err_clear(&e);
  if (idx < 1 || idx > oql_param_count(s->st)) {
    orb_err_setx(&e, ORB_ERR_UNDEFINED, "42P02", 0, "there is no parameter $%d", idx);
    return orbit__fail(s->db, &e, NULL);
  }
  if (oql_bind_value(s->st, idx - 1, v, &e) != ORB_OK) return orbit__fail(s->db, &e, NULL);
  return ORBIT_OK;
}

static int bind(orbit_stmt *s, int idx, const orb_value *v) {
  if (!s) return ORBIT_MISUSE;
  if (oql_bind_exact(s->st, idx - 1, v)) return ORBIT_OK;
  return bind_slow(s, idx, v);
}

int orbit_bind_null(orbit_stmt *s, int idx) {
  orb_value v = orb_null(ORB_T_NULL);
  return bind(s, idx, &v);
}
int orbit_bind_bool(orbit_stmt *s, int idx, int b) {
  orb_value v = orb_bool(b != 0);
  return bind(s, idx, &v);
}
int orbit_bind_int64(orbit_stmt *s, int idx, int64_t i) {
  orb_value v = orb_int(ORB_T_INT64, i);
  return bind(s, idx, &v);
}
int orbit_bind_double(orbit_stmt *s, int idx, double d) {
  orb_value v = orb_float(ORB_T_FLOAT64, d);
  return bind(s, idx, &v);
}
static __attribute__((noinline)) int bind_text_slow(orbit_stmt *s, int idx, const char *p, size_t n) {
  orb_err e;
  orb_err_clear(&e);
  if (idx < 1 || idx > oql_param_count(s->st)) {
    orb_err_setx(&e, ORB_ERR_UNDEFINED, "42P02", 0, "there is no parameter $%d", idx);
    return orbit__fail(s->db, &e, NULL);
  }
  if (oql_bind_text(s->st, idx - 1, p, n, &e) != ORB_OK) return orbit__fail(s->db, &e, NULL);
  return ORBIT_OK;
}
int orbit_bind_text(orbit_stmt *s, int idx, const char *p, int len) {
  if (!s) return ORBIT_MISUSE;
  if (!p) return orbit_bind_null(s, idx);
  size_t n = len < 0 ? strlen(p) : (size_t)len;
  if (oql_bind_text_exact(s->st, idx - 1, p, n)) return ORBIT_OK;
  return bind_text_slow(s, idx, p, n);
}
int orbit_bind_blob(orbit_stmt *s, int idx, const void *p, int len) {
  if (!p) return orbit_bind_null(s, idx);
  orb_value v = orb_bytea(p, len < 0 ? 0 : (size_t)len);
  return bind(s, idx, &v);
}

int orbit_bind_interval(orbit_stmt *s, int idx, int32_t months, int32_t days, int64_t micros) {
  orb_value v;
  memset(&v, 0, sizeof v);
  v.type = ORB_T_INTERVAL;
  v.u.iv.months = months;
  v.u.iv.days = days;
  v.u.iv.micros = micros;
  return bind(s, idx, &v);
}

/* --- result columns ------------------------------------------------------------ */

int orbit_column_count(orbit_stmt *s) { return s ? oql_column_count(s->st) : 0; }

const char *orbit_column_name(orbit_stmt *s, int col) {
  if (!s || col < 0 || col >= oql_column_count(s->st)) return NULL;
  return oql_column_name(s->st, col);
}

/* The public type code of an engine type. */
static orbit_type public_type(orb_type t) {
  static const orbit_type map[ORB_T__COUNT] = {
      [ORB_T_NULL] = ORBIT_NULL,         [ORB_T_BOOL] = ORBIT_BOOL,
      [ORB_T_INT16] = ORBIT_INT16,       [ORB_T_INT32] = ORBIT_INT32,
      [ORB_T_INT64] = ORBIT_INT64,       [ORB_T_FLOAT32] = ORBIT_FLOAT32,
      [ORB_T_FLOAT64] = ORBIT_FLOAT64,   [ORB_T_DECIMAL] = ORBIT_DECIMAL,
      [ORB_T_TEXT] = ORBIT_TEXT,         [ORB_T_BYTEA] = ORBIT_BYTEA,
      [ORB_T_DATE] = ORBIT_DATE,         [ORB_T_TIME] = ORBIT_TIME,
      [ORB_T_TIMESTAMP] = ORBIT_TIMESTAMP, [ORB_T_TIMESTAMPTZ] = ORBIT_TIMESTAMPTZ,
      [ORB_T_UUID] = ORBIT_UUID,         [ORB_T_INTERVAL] = ORBIT_INTERVAL,
      [ORB_T_ARRAY] = ORBIT_ARRAY,       [ORB_T_RECORD] = ORBIT_RECORD,
      [ORB_T_VOID] = ORBIT_VOID,         [ORB_T_JSON] = ORBIT_JSON,
      [ORB_T_JSONB] = ORBIT_JSONB};
  return t.id < ORB_T__COUNT ? map[t.id] : ORBIT_NULL;
}

int64_t orbit_column_table(orbit_stmt *s, int col, int *attnum) {
  *attnum = 0;
  if (!s || col < 0 || col >= oql_column_count(s->st)) return 0;
  return oql_column_origin(s->st, col, attnum);
}

orbit_type orbit_column_type(orbit_stmt *s, int col) {
  if (!s || col < 0 || col >= oql_column_count(s->st)) return ORBIT_NULL;
  return public_type(oql_column_type(s->st, col));
}

orbit_type orbit_column_elem_type(orbit_stmt *s, int col) {
  if (!s || col < 0 || col >= oql_column_count(s->st)) return ORBIT_NULL;
  orb_type t = oql_column_type(s->st, col);
  return t.id == ORB_T_ARRAY ? public_type(orb_type_make((orb_type_id)t.elem)) : ORBIT_NULL;
}

orbit_type orbit_bind_elem_type(orbit_stmt *s, int idx) {
  if (!s || idx < 1 || idx > oql_param_count(s->st)) return ORBIT_NULL;
  orb_type t = oql_param_type(s->st, idx - 1);
  return t.id == ORB_T_ARRAY ? public_type(orb_type_make((orb_type_id)t.elem)) : ORBIT_NULL;
}

orbit_type orbit_bind_type(orbit_stmt *s, int idx) {
  if (!s || idx < 1 || idx > oql_param_count(s->st)) return ORBIT_NULL;
  return public_type(oql_param_type(s->st, idx - 1));
}

/* DECIMAL precision and scale, VARCHAR(n) length: 0 when absent; an array's are its elements'. */
static void type_modifiers(orb_type t, int *precision, int *scale, int *maxlen) {
  if (t.id == ORB_T_ARRAY) t = orb_type_elem(t);
  bool dec = t.id == ORB_T_DECIMAL, text = t.id == ORB_T_TEXT;
  if (precision) *precision = dec ? t.precision : 0;
  if (scale) *scale = dec ? t.scale : 0;
  if (maxlen) *maxlen = text ? t.maxlen : 0;
}

void orbit_bind_modifiers(orbit_stmt *s, int idx, int *precision, int *scale, int *maxlen) {
  bool ok = s && idx >= 1 && idx <= oql_param_count(s->st);
  type_modifiers(ok ? oql_param_type(s->st, idx - 1) : orb_type_make(ORB_T_NULL), precision, scale, maxlen);
}

void orbit_column_modifiers(orbit_stmt *s, int col, int *precision, int *scale, int *maxlen) {
  bool ok = s && col >= 0 && col < oql_column_count(s->st);
  type_modifiers(ok ? oql_column_type(s->st, col) : orb_type_make(ORB_T_NULL), precision, scale, maxlen);
}

const char *orbit_column_decltype(orbit_stmt *s, int col) {
  if (!s || col < 0 || col >= oql_column_count(s->st)) return NULL;
  sync_columns(s);
  if (!s->decltype[col]) {
    orb_buf b = ORB_BUF_INIT;
    orb_type_format_sql(oql_column_type(s->st, col), &b);
    s->decltype[col] = b.data ? orb_buf_detach(&b) : orb_strdup("");
  }
  return s->decltype[col];
}

static const orb_value *cur(orbit_stmt *s, int col) {
  if (!s || !s->has_row || col < 0 || col >= s->ncols) return NULL;
  return oql_column(s->st, col);
}

int orbit_column_is_null(orbit_stmt *s, int col) {
  const orb_value *v = cur(s, col);
  return !v || v->isnull;
}

static int64_t value_int64(const orb_value *v);

static int value_bool(const orb_value *v) {
  if (!v || v->isnull) return 0;
  if (v->type == ORB_T_BOOL) return v->u.b;
  return value_int64(v) != 0;
}
int orbit_column_bool(orbit_stmt *s, int col) { return value_bool(cur(s, col)); }

static int64_t value_int64(const orb_value *v) {
  if (!v || v->isnull) return 0;
  switch (v->type) {
  case ORB_T_BOOL: return v->u.b;
  case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64:
  case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP: case ORB_T_TIMESTAMPTZ:
    return v->u.i;
  case ORB_T_FLOAT32: case ORB_T_FLOAT64:
    return v->u.f >= 9.2233720368547758e18 ? INT64_MAX : v->u.f <= -9.2233720368547758e18 ? INT64_MIN : (int64_t)v->u.f;
  case ORB_T_DECIMAL: {
    __int128 q = v->u.dec / orb_pow10_i128(v->scale);
    return q > INT64_MAX ? INT64_MAX : q < INT64_MIN ? INT64_MIN : (int64_t)q;
  }
  default: {
    orb_value iv;
    orb_arena a;
    orb_arena_init(&a, 256);
    orb_err e;
    int64_t r = orb_value_cast(v, orb_type_make(ORB_T_INT64), &a, &iv, &e) == ORB_OK && !iv.isnull ? iv.u.i : 0;
    orb_arena_free(&a);
    return r;
  }
  }
}

static double value_double(const orb_value *v) {
  if (!v || v->isnull) return 0;
  switch (v->type) {
  case ORB_T_FLOAT32: case ORB_T_FLOAT64: return v->u.f;
  case ORB_T_DECIMAL: return orb_decimal_to_double(v->u.dec, v->scale);
  case ORB_T_TEXT: {
    orb_value fv;
    orb_arena a;
    orb_arena_init(&a, 256);
    orb_err e;
    double r = orb_value_cast(v, orb_type_make(ORB_T_FLOAT64), &a, &fv, &e) == ORB_OK && !fv.isnull ? fv.u.f : 0;
    orb_arena_free(&a);
    return r;
  }
  default: return (double)value_int64(v);
  }
}

int64_t orbit_column_int64(orbit_stmt *s, int col) { return value_int64(cur(s, col)); }
double orbit_column_double(orbit_stmt *s, int col) { return value_double(cur(s, col)); }

static int value_interval(const orb_value *v, int32_t *months, int32_t *days, int64_t *micros) {
  *months = *days = 0;
  *micros = 0;
  if (!v || v->isnull || v->type != ORB_T_INTERVAL) return ORBIT_MISUSE;
  *months = v->u.iv.months;
  *days = v->u.iv.days;
  *micros = v->u.iv.micros;
  return ORBIT_OK;
}
int orbit_column_interval(orbit_stmt *s, int col, int32_t *months, int32_t *days, int64_t *micros) {
  return value_interval(cur(s, col), months, days, micros);
}

const char *orbit_column_text(orbit_stmt *s, int col) {
  const orb_value *v = cur(s, col);
  if (!v || v->isnull) return NULL;
  if (!s->text_ok[col]) {
    orb_buf_reset(&s->text[col]);
    orb_value_to_text(v, &s->text[col]);
    if (!s->text[col].data) orb_buf_reserve(&s->text[col], 1), s->text[col].data[0] = '\0';
    s->text_ok[col] = true;
  }
  return s->text[col].data;
}

/* The raw bytes of v: TEXT/BYTEA contents, UUID's 16 bytes (big-endian), else NULL. */
static const void *value_bytes(const orb_value *v, int *len) {
  if (v->type == ORB_T_TEXT || v->type == ORB_T_BYTEA || orb_type_is_json((orb_type_id)v->type)) {
    if (len) *len = (int)v->len;
    return v->u.s ? v->u.s : "";
  }
  if (v->type == ORB_T_UUID) {
    if (len) *len = 16;
    return v->u.uuid;
  }
  return NULL;
}

const void *orbit_column_blob(orbit_stmt *s, int col, int *len) {
  const orb_value *v = cur(s, col);
  if (len) *len = 0;
  if (!v || v->isnull) return NULL;
  const void *p = value_bytes(v, len);
  if (p) return p;
  const char *t = orbit_column_text(s, col);
  if (len) *len = (int)strlen(t);
  return t;
}

/* --- array elements ------------------------------------------------------------- */

static const orb_array *cur_array(orbit_stmt *s, int col) {
  const orb_value *v = cur(s, col);
  return v && !v->isnull && (v->type == ORB_T_ARRAY || v->type == ORB_T_RECORD) ? v->u.arr : NULL;   /* a record's fields too */
}

int orbit_column_array_len(orbit_stmt *s, int col) {
  const orb_array *a = cur_array(s, col);
  return a ? (int)a->n : -1;
}

int orbit_column_array_lower(orbit_stmt *s, int col) {
  const orb_array *a = cur_array(s, col);
  return a ? a->lower : 1;
}

static const orb_value *elem(orbit_stmt *s, int col, int k) {
  const orb_array *a = cur_array(s, col);
  return a && k >= 0 && (uint32_t)k < a->n ? &a->items[k] : NULL;
}

int orbit_elem_is_null(orbit_stmt *s, int col, int k) {
  const orb_value *v = elem(s, col, k);
  return !v || v->isnull;
}
int orbit_elem_bool(orbit_stmt *s, int col, int k) { return value_bool(elem(s, col, k)); }
orbit_type orbit_elem_type(orbit_stmt *s, int col, int k) {
  const orb_value *v = elem(s, col, k);
  const orb_array *a = cur_array(s, col);
  if (!v || (cur(s, col)->type == ORB_T_RECORD && k < 64 && (a->untyped >> k & 1))) return ORBIT_NULL;
  return public_type(orb_type_make((orb_type_id)v->type));
}
int64_t orbit_elem_int64(orbit_stmt *s, int col, int k) { return value_int64(elem(s, col, k)); }
double orbit_elem_double(orbit_stmt *s, int col, int k) { return value_double(elem(s, col, k)); }
int orbit_elem_interval(orbit_stmt *s, int col, int k, int32_t *months, int32_t *days, int64_t *micros) {
  return value_interval(elem(s, col, k), months, days, micros);
}

const char *orbit_elem_text(orbit_stmt *s, int col, int k) {
  const orb_value *v = elem(s, col, k);
  if (!v || v->isnull) return NULL;
  orb_buf_reset(&s->elem_text);
  orb_value_to_text(v, &s->elem_text);
  orb_buf_putc(&s->elem_text, '\0');
  return s->elem_text.data;
}

const void *orbit_elem_blob(orbit_stmt *s, int col, int k, int *len) {
  const orb_value *v = elem(s, col, k);
  if (len) *len = 0;
  if (!v || v->isnull) return NULL;
  const void *p = value_bytes(v, len);
  if (p) return p;
  const char *t = orbit_elem_text(s, col, k);
  if (len) *len = (int)strlen(t);
  return t;
}

/* --- arrays in records ------------------------------------------------------------ */

/* Field k of col's record when it is a non-NULL array. */
static const orb_value *field_array(orbit_stmt *s, int col, int k) {
  const orb_value *f = elem(s, col, k);
  return f && !f->isnull && f->type == ORB_T_ARRAY && cur(s, col)->type == ORB_T_RECORD ? f : NULL;
}

static const orb_value *field_elem(orbit_stmt *s, int col, int k, int j) {
  const orb_value *f = field_array(s, col, k);
  return f && j >= 0 && (uint32_t)j < f->u.arr->n ? &f->u.arr->items[j] : NULL;
}

orbit_type orbit_field_elem_type(orbit_stmt *s, int col, int k) {
  const orb_value *f = elem(s, col, k);
  /* an array value carries its element type (orb_array_make), NULL arrays included */
  return f && f->type == ORB_T_ARRAY ? public_type(orb_type_make((orb_type_id)f->scale)) : ORBIT_NULL;
}
int orbit_field_array_len(orbit_stmt *s, int col, int k) {
  const orb_value *f = field_array(s, col, k);
  return f ? (int)f->u.arr->n : -1;
}
int orbit_field_array_lower(orbit_stmt *s, int col, int k) {
  const orb_value *f = field_array(s, col, k);
  return f ? f->u.arr->lower : 1;
}
int orbit_field_elem_is_null(orbit_stmt *s, int col, int k, int j) {
  const orb_value *v = field_elem(s, col, k, j);
  return !v || v->isnull;
}
int orbit_field_elem_bool(orbit_stmt *s, int col, int k, int j) { return value_bool(field_elem(s, col, k, j)); }
int64_t orbit_field_elem_int64(orbit_stmt *s, int col, int k, int j) { return value_int64(field_elem(s, col, k, j)); }
double orbit_field_elem_double(orbit_stmt *s, int col, int k, int j) { return value_double(field_elem(s, col, k, j)); }
int orbit_field_elem_interval(orbit_stmt *s, int col, int k, int j, int32_t *months, int32_t *days, int64_t *micros) {
  return value_interval(field_elem(s, col, k, j), months, days, micros);
}
const char *orbit_field_elem_text(orbit_stmt *s, int col, int k, int j) {
  const orb_value *v = field_elem(s, col, k, j);
  if (!v || v->isnull) return NULL;
  orb_buf_reset(&s->elem_text);
  orb_value_to_text(v, &s->elem_text);
  orb_buf_putc(&s->elem_text, '\0');
  return s->elem_text.data;
}
const void *orbit_field_elem_blob(orbit_stmt *s, int col, int k, int j, int *len) {
  const orb_value *v = field_elem(s, col, k, j);
  if (len) *len = 0;
  if (!v || v->isnull) return NULL;
  const void *p = value_bytes(v, len);
  if (p) return p;
  const char *t = orbit_field_elem_text(s, col, k, j);
  if (len) *len = (int)strlen(t);
  return t;
}

const char *orbit_command_tag(orbit_stmt *s) { return s ? oql_command_tag(s->st) : NULL; }

int orbit_copy_kind(orbit_stmt *s) { return s ? oql_copy_kind(s->st) : 0; }
int orbit_copy_columns(orbit_stmt *s) { return s ? oql_copy_columns(s->st) : 0; }
int orbit_copy_in(orbit_stmt *s, const void *data, size_t len) {
  if (!s || oql_copy_kind(s->st) != 1) return ORBIT_MISUSE;
  oql_set_copy_in(s->st, data, len);
  return ORBIT_OK;
}
const void *orbit_copy_out(orbit_stmt *s, size_t *len) {
  size_t n = 0;
  const char *p = s ? oql_copy_out(s->st, &n) : NULL;
  if (len) *len = n;
  return p;
}
