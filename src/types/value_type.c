/* types/value_type.c — type names (PostgreSQL's and OrbitQL's spellings),
** type resolution from SQL, common types and assignment casts. */
#include <string.h>

#include "types/value.h"

void orb_type_format(orb_type t, orb_buf *out) {
  switch ((orb_type_id)t.id) {
  case ORB_T_NULL: orb_buf_puts(out, "unknown"); return;
  case ORB_T_BOOL: orb_buf_puts(out, "boolean"); return;
  case ORB_T_INT16: orb_buf_puts(out, "smallint"); return;
  case ORB_T_INT32: orb_buf_puts(out, "integer"); return;
  case ORB_T_INT64: orb_buf_puts(out, "bigint"); return;
  case ORB_T_FLOAT32: orb_buf_puts(out, "real"); return;
  case ORB_T_FLOAT64: orb_buf_puts(out, "double precision"); return;
  case ORB_T_DECIMAL:
    if (t.precision) orb_buf_printf(out, "numeric(%d,%d)", t.precision, t.scale);
    else orb_buf_puts(out, "numeric");
    return;
  case ORB_T_TEXT:
    if (t.maxlen) orb_buf_printf(out, "character varying(%d)", (int)t.maxlen);
    else orb_buf_puts(out, "text");
    return;
  case ORB_T_BYTEA: orb_buf_puts(out, "bytea"); return;
  case ORB_T_DATE: orb_buf_puts(out, "date"); return;
  case ORB_T_TIME: orb_buf_puts(out, "time without time zone"); return;
  case ORB_T_TIMESTAMP: orb_buf_puts(out, "timestamp without time zone"); return;
  case ORB_T_TIMESTAMPTZ: orb_buf_puts(out, "timestamp with time zone"); return;
  case ORB_T_UUID: orb_buf_puts(out, "uuid"); return;
  case ORB_T_INTERVAL: orb_buf_puts(out, "interval"); return;
  case ORB_T_ARRAY:
    orb_type_format(orb_type_elem(t), out);
    orb_buf_puts(out, "[]");
    return;
  case ORB_T_RECORD: orb_buf_puts(out, "record"); return;
  case ORB_T_VOID: orb_buf_puts(out, "void"); return;
  case ORB_T_JSON: orb_buf_puts(out, "json"); return;
  case ORB_T_JSONB: orb_buf_puts(out, "jsonb"); return;
  case ORB_T__COUNT: break;
  }
  orb_buf_puts(out, "?");
}

void orb_type_format_sql(orb_type t, orb_buf *out) {
  switch ((orb_type_id)t.id) {
  case ORB_T_NULL: orb_buf_puts(out, "NULL"); return;
  case ORB_T_BOOL: orb_buf_puts(out, "BOOLEAN"); return;
  case ORB_T_INT16: orb_buf_puts(out, "SMALLINT"); return;
  case ORB_T_INT32: orb_buf_puts(out, "INTEGER"); return;
  case ORB_T_INT64: orb_buf_puts(out, "BIGINT"); return;
  case ORB_T_FLOAT32: orb_buf_puts(out, "REAL"); return;
  case ORB_T_FLOAT64: orb_buf_puts(out, "DOUBLE PRECISION"); return;
  case ORB_T_DECIMAL:
    if (t.precision) orb_buf_printf(out, "DECIMAL(%d,%d)", t.precision, t.scale);
    else orb_buf_puts(out, "DECIMAL");
    return;
  case ORB_T_TEXT:
    if (t.maxlen) orb_buf_printf(out, "VARCHAR(%d)", (int)t.maxlen);
    else orb_buf_puts(out, "TEXT");
    return;
  case ORB_T_BYTEA: orb_buf_puts(out, "BYTEA"); return;
  case ORB_T_DATE: orb_buf_puts(out, "DATE"); return;
  case ORB_T_TIME: orb_buf_puts(out, "TIME"); return;
  case ORB_T_TIMESTAMP: orb_buf_puts(out, "TIMESTAMP"); return;
  case ORB_T_TIMESTAMPTZ: orb_buf_puts(out, "TIMESTAMPTZ"); return;
  case ORB_T_UUID: orb_buf_puts(out, "UUID"); return;
  case ORB_T_INTERVAL: orb_buf_puts(out, "INTERVAL"); return;
  case ORB_T_ARRAY:
    orb_type_format_sql(orb_type_elem(t), out);
    orb_buf_puts(out, "[]");
    return;
  case ORB_T_RECORD: orb_buf_puts(out, "RECORD"); return;
  case ORB_T_VOID: orb_buf_puts(out, "VOID"); return;
  case ORB_T_JSON: orb_buf_puts(out, "JSON"); return;
  case ORB_T_JSONB: orb_buf_puts(out, "JSONB"); return;
  case ORB_T__COUNT: break;
  }
  orb_buf_puts(out, "?");
}

static const struct {
  const char *name;
  orb_type_id id;
} simple_names[] = {
    {"boolean", ORB_T_BOOL},        {"bool", ORB_T_BOOL},
    {"smallint", ORB_T_INT16},      {"int2", ORB_T_INT16},
    {"integer", ORB_T_INT32},       {"int", ORB_T_INT32},
    {"int4", ORB_T_INT32},          {"bigint", ORB_T_INT64},
    {"int8", ORB_T_INT64},          {"real", ORB_T_FLOAT32},
    {"float4", ORB_T_FLOAT32},      {"double precision", ORB_T_FLOAT64},
    {"double", ORB_T_FLOAT64},      {"float8", ORB_T_FLOAT64},
    {"text", ORB_T_TEXT},           {"string", ORB_T_TEXT},
    {"bytea", ORB_T_BYTEA},         {"blob", ORB_T_BYTEA},
    {"date", ORB_T_DATE},           {"time", ORB_T_TIME},
    {"time without time zone", ORB_T_TIME},
    {"timestamp", ORB_T_TIMESTAMP}, {"timestamp without time zone", ORB_T_TIMESTAMP},
    {"timestamptz", ORB_T_TIMESTAMPTZ}, {"timestamp with time zone", ORB_T_TIMESTAMPTZ},
    {"uuid", ORB_T_UUID},           {"interval", ORB_T_INTERVAL},
    {"json", ORB_T_JSON},           {"jsonb", ORB_T_JSONB},
};

orb_status orb_type_from_name(const char *name, const int32_t *mods, int nmods, orb_type *out, orb_err *e) {
  *out = orb_type_make(ORB_T_NULL);
  size_t len = strlen(name);
  if (len > 2 && strcmp(name + len - 2, "[]") == 0) {   /* elem[]: the array type keeps the element's modifiers */
    char elem[64];
    if (len - 2 >= sizeof elem) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0, "type \"%s\" does not exist", name);
    memcpy(elem, name, len - 2);
    elem[len - 2] = 0;
    orb_type et;
    orb_status st = orb_type_from_name(elem, mods, nmods, &et, e);
    if (st != ORB_OK) return st;
    if (et.id == ORB_T_ARRAY)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "multidimensional arrays are not supported");
    *out = orb_type_array_of(et);
    return ORB_OK;
  }
  if (strcmp(name, "decimal") == 0 || strcmp(name, "numeric") == 0) {
    if (nmods == 0) {
      *out = orb_type_decimal(0, 0);
      return ORB_OK;
    }
    int p = mods[0], s = nmods > 1 ? mods[1] : 0;
    if (p < 1 || p > ORB_DECIMAL_MAX_PRECISION)
      return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "NUMERIC precision %d must be between 1 and %d", p,
                          ORB_DECIMAL_MAX_PRECISION);
    if (s < 0 || s > p)
      return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "NUMERIC scale %d must be between 0 and precision %d", s, p);
    *out = orb_type_decimal(p, s);
    return ORB_OK;
  }
  if (strcmp(name, "varchar") == 0 || strcmp(name, "character varying") == 0 || strcmp(name, "char") == 0 ||
      strcmp(name, "character") == 0 || strcmp(name, "bpchar") == 0) {
    *out = orb_type_make(ORB_T_TEXT);
    int n = nmods ? mods[0] : (name[0] == 'c' && strchr(name, ' ') == NULL ? 1 : 0);
    if (nmods > 1) return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", 0, "type %s takes one modifier", name);
    if (nmods && (n < 1 || n > 10485760))
      return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "length for type %s must be at least 1", name);
    out->maxlen = n;
    return ORB_OK;
  }
  if (strcmp(name, "float") == 0) {
    int p = nmods ? mods[0] : 53;
    if (p < 1 || p > 53)
      return orb_err_setx(e, ORB_ERR_RANGE, "22023", 0, "precision for type float must be between 1 and 53 bits");
    *out = orb_type_make(p <= 24 ? ORB_T_FLOAT32 : ORB_T_FLOAT64);
    return ORB_OK;
  }
  for (size_t i = 0; i < sizeof simple_names / sizeof simple_names[0]; i++)
    if (strcmp(name, simple_names[i].name) == 0) {
      if (nmods && simple_names[i].id != ORB_T_TIMESTAMP && simple_names[i].id != ORB_T_TIMESTAMPTZ &&
          simple_names[i].id != ORB_T_TIME && simple_names[i].id != ORB_T_INTERVAL)
        return orb_err_setx(e, ORB_ERR_SYNTAX, "42601", 0, "type modifier is not allowed for type \"%s\"", name);
      *out = orb_type_make(simple_names[i].id);
      return ORB_OK;
    }
  return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0, "type \"%s\" does not exist", name);
}

bool orb_type_equal(orb_type a, orb_type b) {
  return a.id == b.id && a.precision == b.precision && a.scale == b.scale && a.elem == b.elem && a.maxlen == b.maxlen;
}

/* Rank in the numeric promotion order. */
static int num_rank(orb_type_id t) {
  switch (t) {
  case ORB_T_INT16: return 1;
  case ORB_T_INT32: return 2;
  case ORB_T_INT64: return 3;
  case ORB_T_DECIMAL: return 4;
  case ORB_T_FLOAT32: return 5;
  case ORB_T_FLOAT64: return 6;
  default: return 0;
  }
}

static int time_rank(orb_type_id t) {
  return t == ORB_T_DATE ? 1 : t == ORB_T_TIMESTAMP ? 2 : t == ORB_T_TIMESTAMPTZ ? 3 : 0;
}

orb_status orb_type_common(orb_type a, orb_type b, orb_type *out, orb_err *e) {
  if (a.id == ORB_T_NULL) {
    *out = b;
    return ORB_OK;
  }
  if (b.id == ORB_T_NULL || orb_type_equal(a, b)) {
    *out = a;
    return ORB_OK;
  }
  if (a.id == ORB_T_ARRAY && b.id == ORB_T_ARRAY) {   /* arrays meet where their elements do */
    orb_type ea = orb_type_elem(a), eb = orb_type_elem(b), ec;
    orb_status st = orb_type_common(ea, eb, &ec, e);
    if (st == ORB_OK) *out = orb_type_array_of(ec);
    return st;
  }
  if (a.id == b.id) {
    if (a.id == ORB_T_DECIMAL) *out = orb_type_decimal(0, 0);   /* different typmods: unconstrained */
    else if (a.id == ORB_T_TEXT) *out = orb_type_make(ORB_T_TEXT);
    else *out = a;
    return ORB_OK;
  }
  int ra = num_rank((orb_type_id)a.id), rb = num_rank((orb_type_id)b.id);
  if (ra && rb) {
    orb_type w = ra > rb ? a : b;
    /* real meets an integer or numeric in double precision (PostgreSQL's float8 operators) */
    if (w.id == ORB_T_FLOAT32) w = orb_type_make(ORB_T_FLOAT64);
    if (w.id == ORB_T_DECIMAL) w = orb_type_decimal(0, 0);
    *out = w;
    return ORB_OK;
  }
  int ta = time_rank((orb_type_id)a.id), tb = time_rank((orb_type_id)b.id);
  if (ta && tb) {
    *out = ta > tb ? a : b;
    return ORB_OK;
  }
  orb_buf na = ORB_BUF_INIT, nb = ORB_BUF_INIT;
  orb_type_format(a, &na);
  orb_type_format(b, &nb);
  orb_status st = orb_err_setx(e, ORB_ERR_TYPE, "42804", 0, "types %s and %s cannot be matched", na.data, nb.data);
  orb_buf_free(&na);
  orb_buf_free(&nb);
  return st;
}

bool orb_type_can_assign(orb_type from, orb_type to) {
  if (from.id == ORB_T_ARRAY || to.id == ORB_T_ARRAY)
    return to.id == ORB_T_TEXT || (from.id == to.id && orb_type_can_assign(orb_type_make((orb_type_id)from.elem),
                                                                          orb_type_make((orb_type_id)to.elem)));
  if (from.id == to.id || from.id == ORB_T_NULL) return true;
  if (num_rank((orb_type_id)from.id) && num_rank((orb_type_id)to.id)) return true;
  if (time_rank((orb_type_id)from.id) && time_rank((orb_type_id)to.id)) return true;
  if (to.id == ORB_T_TEXT) return true;   /* every type has an assignment cast to text */
  if (orb_type_is_json((orb_type_id)from.id) && orb_type_is_json((orb_type_id)to.id)) return true;
  if (from.id == ORB_T_INT32 && to.id == ORB_T_BOOL) return false;
  return false;
}

bool orb_type_cast_is_exact(orb_type from, orb_type to) {
  static const int width[ORB_T__COUNT] = {[ORB_T_INT16] = 2, [ORB_T_INT32] = 4, [ORB_T_INT64] = 8};
  if (orb_type_is_integer((orb_type_id)from.id))
    return (orb_type_is_integer((orb_type_id)to.id) && width[to.id] >= width[from.id]) ||
           (to.id == ORB_T_DECIMAL && to.precision == 0);
  if (from.id == ORB_T_DECIMAL && to.id == ORB_T_DECIMAL)
    return to.precision == 0 || (to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale);
  return false;
}
