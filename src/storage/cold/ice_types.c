/* storage/cold/ice_types.c — Iceberg type and transform strings, and their
** SQL types (see ice_meta.h). */
#include "storage/cold/ice_meta.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *name;
  ice_type_kind kind;
} primitive_names[] = {
    {"boolean", ICE_BOOLEAN},     {"int", ICE_INT},
    {"long", ICE_LONG},           {"float", ICE_FLOAT},
    {"double", ICE_DOUBLE},       {"date", ICE_DATE},
    {"time", ICE_TIME},           {"timestamp", ICE_TIMESTAMP},
    {"timestamptz", ICE_TIMESTAMPTZ}, {"timestamp_ns", ICE_TIMESTAMP_NS},
    {"timestamptz_ns", ICE_TIMESTAMPTZ_NS}, {"string", ICE_STRING},
    {"uuid", ICE_UUID},           {"binary", ICE_BINARY},
};

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* A decimal number in [lo, hi] at *p, advancing *p; false if none. */
static bool read_num(const char **p, long lo, long hi, int32_t *out) {
  const char *s = skip_ws(*p);
  if (!isdigit((unsigned char)*s)) return false;
  long v = 0;
  while (isdigit((unsigned char)*s)) {
    v = v * 10 + (*s++ - '0');
    if (v > hi) return false;
  }
  if (v < lo) return false;
  *p = skip_ws(s);
  *out = (int32_t)v;
  return true;
}

orb_status ice_type_parse_primitive(const char *s, ice_type *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < sizeof primitive_names / sizeof primitive_names[0]; i++)
    if (strcmp(s, primitive_names[i].name) == 0) {
      out->kind = primitive_names[i].kind;
      return ORB_OK;
    }
  const char *p = s;
  if (strncmp(p, "decimal", 7) == 0) {
    p = skip_ws(p + 7);
    int32_t prec, scale;
    if (*p++ != '(' || !read_num(&p, 1, ORB_DECIMAL_MAX_PRECISION, &prec) || *p++ != ',' ||
        !read_num(&p, 0, ORB_DECIMAL_MAX_PRECISION, &scale) || *p++ != ')' || *skip_ws(p) != '\0' ||
        scale > prec)
      return orb_err_set(e, ORB_ERR_CORRUPT,
                         "invalid decimal type \"%s\" (expected decimal(P, S) with 1 <= P <= 38, 0 <= S <= P)", s);
    out->kind = ICE_DECIMAL;
    out->precision = prec;
    out->scale = scale;
    return ORB_OK;
  }
  if (strncmp(p, "fixed", 5) == 0) {
    p = skip_ws(p + 5);
    int32_t len;
    if (*p++ != '[' || !read_num(&p, 1, INT32_MAX, &len) || *p++ != ']' || *skip_ws(p) != '\0')
      return orb_err_set(e, ORB_ERR_CORRUPT, "invalid fixed type \"%s\" (expected fixed[L] with L >= 1)", s);
    out->kind = ICE_FIXED;
    out->length = len;
    return ORB_OK;
  }
  return orb_err_set(e, ORB_ERR_UNSUPPORTED, "unknown type \"%s\"", s);
}

const char *ice_type_name(orb_arena *a, const ice_type *t) {
  switch (t->kind) {
  case ICE_DECIMAL: return orb_arena_sprintf(a, "decimal(%d, %d)", (int)t->precision, (int)t->scale);
  case ICE_FIXED: return orb_arena_sprintf(a, "fixed[%d]", (int)t->length);
  case ICE_STRUCT: return "struct";
  case ICE_LIST: return "list";
  case ICE_MAP: return "map";
  default:
    for (size_t i = 0; i < sizeof primitive_names / sizeof primitive_names[0]; i++)
      if (primitive_names[i].kind == t->kind) return primitive_names[i].name;
    return "?";
  }
}

ice_transform ice_transform_parse(const char *s) {
  static const struct {
    const char *name;
    ice_transform_kind kind;
  } plain[] = {{"identity", ICE_TR_IDENTITY}, {"year", ICE_TR_YEAR}, {"month", ICE_TR_MONTH},
               {"day", ICE_TR_DAY},           {"hour", ICE_TR_HOUR}, {"void", ICE_TR_VOID}};
  ice_transform t = {ICE_TR_UNKNOWN, 0, s};
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
    if (strcmp(s, plain[i].name) == 0) {
      t.kind = plain[i].kind;
      return t;
    }
  ice_transform_kind k = ICE_TR_UNKNOWN;
  const char *p = s;
  if (strncmp(s, "bucket", 6) == 0) k = ICE_TR_BUCKET, p += 6;
  else if (strncmp(s, "truncate", 8) == 0) k = ICE_TR_TRUNCATE, p += 8;
  if (k == ICE_TR_UNKNOWN) return t;
  p = skip_ws(p);
  int32_t n;
  if (*p++ != '[' || !read_num(&p, 1, INT32_MAX, &n) || *p++ != ']' || *p != '\0') return t;
  t.kind = k;
  t.param = n;
  return t;
}

orb_status ice_sql_type(const ice_type *t, orb_type *out, orb_err *e) {
  orb_type_id id;
  switch (t->kind) {
  case ICE_BOOLEAN: id = ORB_T_BOOL; break;
  case ICE_INT: id = ORB_T_INT32; break;
  case ICE_LONG: id = ORB_T_INT64; break;
  case ICE_FLOAT: id = ORB_T_FLOAT32; break;
  case ICE_DOUBLE: id = ORB_T_FLOAT64; break;
  case ICE_DECIMAL: *out = orb_type_decimal(t->precision, t->scale); return ORB_OK;
  case ICE_DATE: id = ORB_T_DATE; break;
  case ICE_TIME: id = ORB_T_TIME; break;
  case ICE_TIMESTAMP: case ICE_TIMESTAMP_NS: id = ORB_T_TIMESTAMP; break;
  case ICE_TIMESTAMPTZ: case ICE_TIMESTAMPTZ_NS: id = ORB_T_TIMESTAMPTZ; break;
  case ICE_STRING: id = ORB_T_TEXT; break;
  case ICE_UUID: id = ORB_T_UUID; break;
  case ICE_FIXED: case ICE_BINARY: id = ORB_T_BYTEA; break;
  case ICE_STRUCT: case ICE_LIST: case ICE_MAP:
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "Iceberg %s columns are not supported yet (no SQL type)",
                       t->kind == ICE_STRUCT ? "struct" : t->kind == ICE_LIST ? "list" : "map");
  default: return orb_err_set(e, ORB_ERR_INTERNAL, "Iceberg type kind %d has no SQL type", (int)t->kind);
  }
  *out = orb_type_make(id);
  return ORB_OK;
}
