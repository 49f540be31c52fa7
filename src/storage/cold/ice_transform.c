/* storage/cold/ice_transform.c — Iceberg partition transforms: result
** types, applying them to values, and a partition spec written as SQL text
** (see ice_value.h). */
#include "storage/cold/ice_value.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MICROS_PER_DAY INT64_C(86400000000)
#define MICROS_PER_HOUR INT64_C(3600000000)

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* Year and month (1..12) of a day count since 1970-01-01 in the proleptic
** Gregorian calendar: shift to a year starting in March so the leap day is
** last, then count 400-year eras of 146097 days. */
static void civil_from_days(int64_t days, int64_t *year, int *month) {
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;                                   /* 0..146096 */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* 0..399 */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             /* 0..365, from March 1 */
  int64_t mp = (5 * doy + 2) / 153;                                  /* 0..11, March = 0 */
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (m <= 2);
  *month = m;
}

static bool is_time_kind(ice_type_kind k) {
  return k == ICE_TIMESTAMP || k == ICE_TIMESTAMPTZ || k == ICE_TIMESTAMP_NS || k == ICE_TIMESTAMPTZ_NS;
}

static bool is_primitive(ice_type_kind k) { return k != ICE_STRUCT && k != ICE_LIST && k != ICE_MAP; }

static const char *tr_text(orb_arena *a, const ice_transform *tr) {
  if (tr->text) return tr->text;
  switch (tr->kind) {
  case ICE_TR_IDENTITY: return "identity";
  case ICE_TR_BUCKET: return orb_arena_sprintf(a, "bucket[%d]", (int)tr->param);
  case ICE_TR_TRUNCATE: return orb_arena_sprintf(a, "truncate[%d]", (int)tr->param);
  case ICE_TR_YEAR: return "year";
  case ICE_TR_MONTH: return "month";
  case ICE_TR_DAY: return "day";
  case ICE_TR_HOUR: return "hour";
  case ICE_TR_VOID: return "void";
  case ICE_TR_UNKNOWN: break;
  }
  return "unknown";
}

orb_status ice_transform_result_type(const ice_transform *tr, const ice_type *src, ice_type *out, orb_err *e) {
  ice_type_kind k = src->kind;
  bool ok = false;
  memset(out, 0, sizeof *out);
  switch (tr->kind) {
  case ICE_TR_IDENTITY:
    ok = is_primitive(k);
    if (ok) *out = *src;
    break;
  case ICE_TR_VOID:
    ok = true;
    *out = *src;
    break;
  case ICE_TR_BUCKET:
    ok = tr->param >= 1 && (k == ICE_INT || k == ICE_LONG || k == ICE_DECIMAL || k == ICE_DATE || k == ICE_TIME ||
                            is_time_kind(k) || k == ICE_STRING || k == ICE_UUID || k == ICE_FIXED ||
                            k == ICE_BINARY);
    out->kind = ICE_INT;
    break;
  case ICE_TR_TRUNCATE:
    ok = tr->param >= 1 &&
         (k == ICE_INT || k == ICE_LONG || k == ICE_DECIMAL || k == ICE_STRING || k == ICE_BINARY);
    if (ok) *out = *src;
    break;
  case ICE_TR_YEAR: case ICE_TR_MONTH:
    ok = k == ICE_DATE || is_time_kind(k);
    out->kind = ICE_INT;
    break;
  case ICE_TR_DAY:
    ok = k == ICE_DATE || is_time_kind(k);
    out->kind = ICE_DATE;
    break;
  case ICE_TR_HOUR:
    ok = is_time_kind(k);
    out->kind = ICE_INT;
    break;
  case ICE_TR_UNKNOWN:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "unknown partition transform \"%s\"",
                       tr->text ? tr->text : "(unnamed)");
  }
  if (ok) return ORB_OK;
  orb_arena a;
  orb_arena_init(&a, 256);
  orb_status st = orb_err_set(e, ORB_ERR_TYPE, "cannot partition column of type %s by %s", ice_type_name(&a, src),
                              tr_text(&a, tr));
  orb_arena_free(&a);
  return st;
}

/* The first w code points of a UTF-8 string of n bytes: their byte length. */
static size_t utf8_prefix(const char *s, size_t n, int64_t w) {
  size_t i = 0;
  int64_t cps = 0;
  while (i < n) {
    if (((unsigned char)s[i] & 0xc0) != 0x80) {   /* a lead byte starts a code point */
      if (cps == w) break;
      cps++;
    }
    i++;
  }
  return i;
}

orb_status ice_transform_apply(const ice_transform *tr, const ice_type *src, const orb_value *v, orb_arena *a,
                               orb_value *out, orb_err *e) {
  (void)a;
  ice_type rt;
  orb_status st = ice_transform_result_type(tr, src, &rt, e);
  if (st != ORB_OK) return st;
  orb_type sql;
  if (ice_sql_type(&rt, &sql, e) != ORB_OK) return e->code;
  if (v->isnull || tr->kind == ICE_TR_VOID) {
    *out = orb_null((orb_type_id)sql.id);
    if (sql.id == ORB_T_DECIMAL) out->scale = sql.scale;
    return ORB_OK;
  }
  switch (tr->kind) {
  case ICE_TR_IDENTITY:
    *out = *v;
    return ORB_OK;
  case ICE_TR_BUCKET: {
    int32_t h = ice_bucket_hash(src, v);
    *out = orb_int(ORB_T_INT32, (int64_t)((h & INT32_MAX) % tr->param));
    return ORB_OK;
  }
  case ICE_TR_TRUNCATE: {
    __int128 w = tr->param;
    switch (src->kind) {
    case ICE_INT: case ICE_LONG: {
      __int128 x = v->u.i;
      __int128 r = x - (((x % w) + w) % w);
      __int128 lo = src->kind == ICE_INT ? INT32_MIN : INT64_MIN;
      if (r < lo)
        return orb_err_set(e, ORB_ERR_RANGE, "truncate[%d] of %lld is out of range for %s", (int)tr->param,
                           (long long)v->u.i, src->kind == ICE_INT ? "int" : "long");
      *out = orb_int((orb_type_id)sql.id, (int64_t)r);
      return ORB_OK;
    }
    case ICE_DECIMAL: {
      /* The width counts units of the column's last digit (the spec's
      ** decimal(W, scale)), so truncate the unscaled value. */
      __int128 x = v->type == ORB_T_DECIMAL ? v->u.dec : (__int128)v->u.i;
      int scale = v->type == ORB_T_DECIMAL ? v->scale : 0;
      while (scale < src->scale) x *= 10, scale++;
      if (scale != src->scale)
        return orb_err_set(e, ORB_ERR_INTERNAL, "truncate: decimal of scale %d for a column of scale %d", scale,
                           (int)src->scale);
      __int128 r = x - (((x % w) + w) % w);
      __int128 lim = 1;
      for (int i = 0; i < src->precision; i++) lim *= 10;
      if (r <= -lim)
        return orb_err_set(e, ORB_ERR_RANGE, "truncate[%d] of a decimal is out of range for decimal(%d, %d)",
                           (int)tr->param, (int)src->precision, (int)src->scale);
      *out = orb_decimal(r, src->scale);
      return ORB_OK;
    }
    case ICE_STRING:
      *out = orb_text(v->u.s, utf8_prefix(v->u.s, v->len, tr->param));
      return ORB_OK;
    case ICE_BINARY:
      *out = orb_bytea(v->u.s, (uint32_t)tr->param < v->len ? (uint32_t)tr->param : v->len);
      return ORB_OK;
    default:
      break;
    }
    break;
  }
  case ICE_TR_YEAR: case ICE_TR_MONTH: case ICE_TR_DAY: case ICE_TR_HOUR: {
    int64_t days, r;
    if (src->kind == ICE_DATE) days = v->u.i;
    else days = floor_div(v->u.i, MICROS_PER_DAY);
    if (tr->kind == ICE_TR_DAY) {
      r = days;
    } else if (tr->kind == ICE_TR_HOUR) {
      r = floor_div(v->u.i, MICROS_PER_HOUR);
    } else {
      int64_t y;
      int m;
      civil_from_days(days, &y, &m);
      r = tr->kind == ICE_TR_YEAR ? y - 1970 : (y - 1970) * 12 + (m - 1);
    }
    if (r < INT32_MIN || r > INT32_MAX)
      return orb_err_set(e, ORB_ERR_RANGE, "%s of %lld is out of range for a partition value", tr_text(a, tr),
                         (long long)v->u.i);
    *out = orb_int((orb_type_id)sql.id, r);
    return ORB_OK;
  }
  case ICE_TR_VOID: case ICE_TR_UNKNOWN:
    break;
  }
  return orb_err_set(e, ORB_ERR_INTERNAL, "transform %s not applied", tr_text(a, tr));
}

/* --- a partition spec as SQL text ----------------------------------------- */

typedef struct spec_lexer {
  const char *text, *p;
} spec_lexer;

static void lx_ws(spec_lexer *lx) {
  while (*lx->p && isspace((unsigned char)*lx->p)) lx->p++;
}

static int lx_pos(const spec_lexer *lx) { return (int)(lx->p - lx->text) + 1; }

static orb_status spec_err(orb_err *e, orb_status code, const spec_lexer *lx, const char *fmt, const char *arg) {
  char msg[256];
  snprintf(msg, sizeof msg, fmt, arg);
  return orb_err_set(e, code, "partition spec \"%s\": %s at character %d", lx->text, msg, lx_pos(lx));
}

/* An identifier (letters, digits, _, $ and dots for nested fields) or a
** double-quoted name ("" inside is a quote); the name into buf. */
static bool lx_ident(spec_lexer *lx, orb_arena *a, const char **name) {
  lx_ws(lx);
  const char *p = lx->p;
  if (*p == '"') {
    orb_buf b;
    orb_buf_init(&b);
    p++;
    for (;;) {
      if (*p == '\0') {
        orb_buf_free(&b);
        return false;
      }
      if (*p == '"') {
        if (p[1] == '"') {
          orb_buf_putc(&b, '"');
          p += 2;
          continue;
        }
        p++;
        break;
      }
      orb_buf_putc(&b, *p++);
    }
    *name = orb_arena_strndup(a, b.data ? b.data : "", b.len);
    orb_buf_free(&b);
    lx->p = p;
    return true;
  }
  if (!(isalpha((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80)) return false;
  while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || *p == '.' || (unsigned char)*p >= 0x80) p++;
  *name = orb_arena_strndup(a, lx->p, (size_t)(p - lx->p));
  lx->p = p;
  return true;
}

static bool lx_number(spec_lexer *lx, int64_t *out) {
  lx_ws(lx);
  const char *p = lx->p;
  if (*p == '-' || *p == '+') p++;
  if (!isdigit((unsigned char)*p)) return false;
  int64_t v = 0;
  while (isdigit((unsigned char)*p)) {
    if (v < INT64_C(100000000000)) v = v * 10 + (*p - '0');
    p++;
  }
  *out = lx->p[0] == '-' ? -v : v;
  lx->p = p;
  return true;
}

static bool lx_char(spec_lexer *lx, char c) {
  lx_ws(lx);
  if (*lx->p != c) return false;
  lx->p++;
  return true;
}

/* A column by (possibly dotted) name: exact spelling first, then a unique
** case-insensitive match (SQL folds unquoted names to lower case). */
static const ice_field *find_field(const ice_field *fs, int n, const char *name, size_t len, bool *ambiguous) {
  const ice_field *ci = NULL;
  int nci = 0;
  for (int i = 0; i < n; i++) {
    if (strlen(fs[i].name) != len) continue;
    if (strncmp(fs[i].name, name, len) == 0) return &fs[i];
    if (strncasecmp(fs[i].name, name, len) == 0) ci = &fs[i], nci++;
  }
  *ambiguous = nci > 1;
  return nci == 1 ? ci : NULL;
}

static const ice_field *resolve_column(const ice_schema *s, const char *name, const char **why) {
  const ice_field *fs = s->fields;
  int n = s->nfields;
  const char *p = name;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t len = dot ? (size_t)(dot - p) : strlen(p);
    bool amb = false;
    const ice_field *f = find_field(fs, n, p, len, &amb);
    if (!f) {
      *why = amb ? "column name \"%s\" is ambiguous (quote it)" : "unknown column \"%s\"";
      return NULL;
    }
    if (!dot) return f;
    if (f->type->kind != ICE_STRUCT) {
      *why = "column \"%s\" is not inside a struct";
      return NULL;
    }
    fs = f->type->fields;
    n = f->type->nfields;
    p = dot + 1;
  }
}

orb_status ice_spec_parse(orb_arena *a, const char *text, const ice_schema *s, int32_t spec_id,
                          int32_t *last_partition_id, ice_partition_spec *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  out->spec_id = spec_id;
  spec_lexer lx = {text, text};
  int cap = 0;
  int32_t next_id = (*last_partition_id < 999 ? 999 : *last_partition_id) + 1;
  lx_ws(&lx);
  if (*lx.p == '\0') return ORB_OK;   /* unpartitioned */
  for (;;) {
    lx_ws(&lx);
    spec_lexer at = lx;   /* where this field starts, for its errors */
    const char *word;
    if (!lx_ident(&lx, a, &word)) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected a column or a transform%s", "");
    ice_transform tr = {ICE_TR_IDENTITY, 0, "identity"};
    const char *col = word;
    spec_lexer col_at = at;
    if (lx_char(&lx, '(')) {
      static const struct {
        const char *name;
        ice_transform_kind kind;
      } names[] = {{"identity", ICE_TR_IDENTITY}, {"bucket", ICE_TR_BUCKET}, {"truncate", ICE_TR_TRUNCATE},
                   {"year", ICE_TR_YEAR},         {"years", ICE_TR_YEAR},    {"month", ICE_TR_MONTH},
                   {"months", ICE_TR_MONTH},      {"day", ICE_TR_DAY},       {"days", ICE_TR_DAY},
                   {"date", ICE_TR_DAY},          {"hour", ICE_TR_HOUR},     {"hours", ICE_TR_HOUR},
                   {"date_hour", ICE_TR_HOUR},    {"void", ICE_TR_VOID},     {"alwaysnull", ICE_TR_VOID}};
      tr.kind = ICE_TR_UNKNOWN;
      for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(word, names[i].name) == 0) tr.kind = names[i].kind;
      if (tr.kind == ICE_TR_UNKNOWN) return spec_err(e, ORB_ERR_UNSUPPORTED, &at, "unknown transform \"%s\"", word);
      if (tr.kind == ICE_TR_BUCKET || tr.kind == ICE_TR_TRUNCATE) {
        /* bucket(16, id) as pg_lake and Spark write it; truncate(name, 4)
        ** (Spark's older order) is read too. */
        int64_t n;
        lx_ws(&lx);
        spec_lexer num_at = lx;
        if (lx_number(&lx, &n)) {
          if (!lx_char(&lx, ',')) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected \",\"%s", "");
          lx_ws(&lx);
          col_at = lx;
          if (!lx_ident(&lx, a, &col)) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected a column name%s", "");
        } else {
          col_at = lx;
          if (!lx_ident(&lx, a, &col)) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected a width and a column%s", "");
          if (!lx_char(&lx, ',')) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected \",\"%s", "");
          lx_ws(&lx);
          num_at = lx;
          if (!lx_number(&lx, &n)) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected a number%s", "");
        }
        if (n < 1 || n > INT32_MAX)
          return spec_err(e, ORB_ERR_INVALID_TEXT, &num_at,
                          tr.kind == ICE_TR_BUCKET ? "the number of buckets must be between 1 and 2147483647%s"
                                                   : "the truncate width must be between 1 and 2147483647%s",
                          "");
        tr.param = (int32_t)n;
        tr.text = orb_arena_sprintf(a, "%s[%d]", tr.kind == ICE_TR_BUCKET ? "bucket" : "truncate", (int)n);
      } else {
        lx_ws(&lx);
        col_at = lx;
        if (!lx_ident(&lx, a, &col)) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected a column name%s", "");
        static const char *canon[] = {[ICE_TR_IDENTITY] = "identity", [ICE_TR_YEAR] = "year",
                                      [ICE_TR_MONTH] = "month",       [ICE_TR_DAY] = "day",
                                      [ICE_TR_HOUR] = "hour",         [ICE_TR_VOID] = "void"};
        tr.text = canon[tr.kind];
      }
      if (!lx_char(&lx, ')')) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected \")\"%s", "");
    }
    const char *why = NULL;
    const ice_field *f = resolve_column(s, col, &why);
    if (!f) return spec_err(e, ORB_ERR_UNDEFINED, &col_at, why, col);
    ice_type rt;
    if (ice_transform_result_type(&tr, f->type, &rt, e) != ORB_OK) {
      char msg[160];
      size_t n = strlen(e->msg) < sizeof msg - 1 ? strlen(e->msg) : sizeof msg - 1;
      memcpy(msg, e->msg, n);
      msg[n] = '\0';
      return spec_err(e, e->code, &at, "%s", msg);
    }
    /* Java's names: the column for identity, else column_<suffix>. */
    const char *src_name = col;
    if (strchr(col, '.') == NULL) src_name = f->name;
    static const char *suffix[] = {[ICE_TR_BUCKET] = "bucket", [ICE_TR_TRUNCATE] = "trunc", [ICE_TR_YEAR] = "year",
                                   [ICE_TR_MONTH] = "month",   [ICE_TR_DAY] = "day",        [ICE_TR_HOUR] = "hour",
                                   [ICE_TR_VOID] = "null"};
    const char *pname =
        tr.kind == ICE_TR_IDENTITY ? src_name : orb_arena_sprintf(a, "%s_%s", src_name, suffix[tr.kind]);
    for (int i = 0; i < out->nfields; i++) {
      if (strcmp(out->fields[i].name, pname) == 0)
        return spec_err(e, ORB_ERR_DUPLICATE, &at, "partition field \"%s\" is given twice", pname);
      if (out->fields[i].source_id == f->id && out->fields[i].transform.kind == tr.kind &&
          out->fields[i].transform.param == tr.param)
        return spec_err(e, ORB_ERR_DUPLICATE, &at, "the same transform of column \"%s\" is given twice", col);
    }
    /* A derived name must not shadow another column (Java refuses it too:
    ** a filter on that name would be ambiguous); SQL names fold case, so
    ** neither may differ from one only in case. */
    if (tr.kind != ICE_TR_IDENTITY)
      for (int i = 0; i < s->nfields; i++)
        if (strcasecmp(s->fields[i].name, pname) == 0)
          return spec_err(e, ORB_ERR_DUPLICATE, &at, "partition field name \"%s\" is already a column", pname);
    if (out->nfields == cap) {
      int ncap = cap ? cap * 2 : 4;
      ice_partition_field *nf = orb_arena_zalloc(a, sizeof *nf * (size_t)ncap);
      if (out->nfields) memcpy(nf, out->fields, sizeof *nf * (size_t)out->nfields);
      out->fields = nf;
      cap = ncap;
    }
    ice_partition_field *pf = &out->fields[out->nfields++];
    pf->source_id = f->id;
    pf->field_id = next_id++;
    pf->name = pname;
    pf->transform = tr;
    lx_ws(&lx);
    if (*lx.p == '\0') break;
    if (!lx_char(&lx, ',')) return spec_err(e, ORB_ERR_SYNTAX, &lx, "expected \",\" or the end%s", "");
  }
  *last_partition_id = next_id - 1;
  return ORB_OK;
}
