/* expr/func_catalog.c — PostgreSQL's catalog functions that tools call
** about tables (psql's \d NAME): format_type, pg_get_expr,
** col_description, pg_relation_is_publishable,
** pg_get_statisticsobjdef_columns, and current_schemas (JDBC's type
** lookups); about functions, types and other objects (psql's \df, \dT,
** \dn+, \l+...): pg_get_function_result / _arguments /
** _identity_arguments / _sqlbody, the pg_*_is_visible family,
** obj_description / shobj_description, has_*_privilege, pg_size_pretty,
** the reg* output functions (regtypeout, regprocout, ...), encodings and
** tablespace locations; and the pg_type facts they and the binder's
** pg_catalog tables share (expr/pg_catalog.h).
**
** pg_get_indexdef, pg_get_constraintdef, the size functions, regclass
** output and current_database need the catalog itself and are bound by the
** query layer (binder_catalog_funcs.c, binder_catalog_size.c). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "expr/func_int.h"
#include "expr/pg_catalog.h"
#include "types/array.h"

#define EVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define UNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

/* --- the types pg_type lists ------------------------------------------------------------ */

static const orb_pg_type_row types[] = {
    {16, "bool", 1000, 0, 'B', 1},          {17, "bytea", 1001, 0, 'U', -1},
    {18, "char", 1002, 0, 'Z', 1},          {19, "name", 1003, 0, 'S', 64},
    {20, "int8", 1016, 0, 'N', 8},          {21, "int2", 1005, 0, 'N', 2},
    {22, "int2vector", 1006, 21, 'A', -1},  {23, "int4", 1007, 0, 'N', 4},
    {25, "text", 1009, 0, 'S', -1},         {26, "oid", 1028, 0, 'N', 4},
    {30, "oidvector", 1013, 26, 'A', -1},   {194, "pg_node_tree", 0, 0, 'Z', -1},
    {700, "float4", 1021, 0, 'N', 4},       {701, "float8", 1022, 0, 'N', 8},
    {1000, "_bool", 0, 16, 'A', -1},        {1001, "_bytea", 0, 17, 'A', -1},
    {1002, "_char", 0, 18, 'A', -1},        {1003, "_name", 0, 19, 'A', -1},
    {1005, "_int2", 0, 21, 'A', -1},        {1007, "_int4", 0, 23, 'A', -1},
    {1009, "_text", 0, 25, 'A', -1},        {1016, "_int8", 0, 20, 'A', -1},
    {1021, "_float4", 0, 700, 'A', -1},     {1022, "_float8", 0, 701, 'A', -1},
    {1028, "_oid", 0, 26, 'A', -1},         {1043, "varchar", 1015, 0, 'S', -1},
    {1015, "_varchar", 0, 1043, 'A', -1},   {1082, "date", 1182, 0, 'D', 4},
    {1083, "time", 1183, 0, 'D', 8},        {1114, "timestamp", 1115, 0, 'D', 8},
    {1184, "timestamptz", 1185, 0, 'D', 8}, {1186, "interval", 1187, 0, 'T', 16},
    {1182, "_date", 0, 1082, 'A', -1},      {1183, "_time", 0, 1083, 'A', -1},
    {1115, "_timestamp", 0, 1114, 'A', -1}, {1185, "_timestamptz", 0, 1184, 'A', -1},
    {1187, "_interval", 0, 1186, 'A', -1},  {1700, "numeric", 1231, 0, 'N', -1},
    {1231, "_numeric", 0, 1700, 'A', -1},   {2950, "uuid", 2951, 0, 'U', 16},
    {2951, "_uuid", 0, 2950, 'A', -1},
    {114, "json", 199, 0, 'U', -1},         {199, "_json", 0, 114, 'A', -1},
    {3802, "jsonb", 3807, 0, 'U', -1},      {3807, "_jsonb", 0, 3802, 'A', -1},
    /* pseudo-types the functions of pg_proc take (func_pg_proc.c) */
    {2276, "any", 0, 0, 'P', 4},            {2277, "anyarray", 0, 0, 'P', -1},
    {2283, "anyelement", 0, 0, 'P', 4},
    /* what functions return that is no table column: records (_pg_expandarray), void (pg_sleep) */
    {2249, "record", 2287, 0, 'P', -1},     {2287, "_record", 0, 2249, 'A', -1},
    {2278, "void", 0, 0, 'P', 4},
};

const orb_pg_type_row *orb_pg_types(int *n) {
  *n = (int)(sizeof types / sizeof types[0]);
  return types;
}

static const orb_pg_type_row *type_by_oid(int64_t oid) {
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (types[i].oid == oid) return &types[i];
  return NULL;
}

static int64_t scalar_oid(orb_type_id id, int32_t maxlen) {
  switch (id) {
  case ORB_T_BOOL: return 16;
  case ORB_T_INT16: return 21;
  case ORB_T_INT32: return 23;
  case ORB_T_INT64: return 20;
  case ORB_T_FLOAT32: return 700;
  case ORB_T_FLOAT64: return 701;
  case ORB_T_DECIMAL: return 1700;
  case ORB_T_TEXT: return maxlen ? 1043 : 25;
  case ORB_T_BYTEA: return 17;
  case ORB_T_DATE: return 1082;
  case ORB_T_TIME: return 1083;
  case ORB_T_TIMESTAMP: return 1114;
  case ORB_T_TIMESTAMPTZ: return 1184;
  case ORB_T_UUID: return 2950;
  case ORB_T_INTERVAL: return 1186;
  case ORB_T_NULL: return 25;
  case ORB_T_RECORD: return 2249;
  case ORB_T_VOID: return 2278;
  case ORB_T_JSON: return 114;
  case ORB_T_JSONB: return 3802;
  case ORB_T_ARRAY: case ORB_T__COUNT: break;
  }
  return 25;
}

int64_t orb_pg_type_oid(orb_type t) {
  if (t.id != ORB_T_ARRAY) return scalar_oid((orb_type_id)t.id, t.maxlen);
  const orb_pg_type_row *r = type_by_oid(scalar_oid((orb_type_id)t.elem, t.maxlen));
  return r && r->array_oid ? r->array_oid : 1009;
}

int32_t orb_pg_typmod(orb_type t) {
  if (t.id == ORB_T_ARRAY) t = orb_type_elem(t);   /* an array's typmod is its element's */
  if (t.id == ORB_T_DECIMAL && t.precision) return ((int32_t)t.precision << 16 | t.scale) + 4;
  if (t.id == ORB_T_TEXT && t.maxlen) return t.maxlen + 4;
  return -1;
}

/* --- format_type(type_oid, typmod) -------------------------------------------------------- */

/* PostgreSQL's SQL name of a type, with its modifier where it has one. */
static void format_type(int64_t oid, int64_t typmod, bool has_mod, orb_buf *out) {
  static const struct { int64_t oid; const char *name; } sql_names[] = {
      {16, "boolean"}, {18, "\"char\""}, {20, "bigint"}, {21, "smallint"}, {23, "integer"}, {700, "real"},
      {701, "double precision"}, {1043, "character varying"}, {1083, "time without time zone"},
      {1114, "timestamp without time zone"}, {1184, "timestamp with time zone"}, {2276, "\"any\""}};
  const orb_pg_type_row *r = type_by_oid(oid);
  if (!r) {
    orb_buf_puts(out, "???");
    return;
  }
  if (r->elem_oid && r->category == 'A' && r->name[0] == '_') {   /* T[]: the element's name, then [] */
    format_type(r->elem_oid, typmod, has_mod, out);
    orb_buf_puts(out, "[]");
    return;
  }
  const char *name = r->name;
  for (size_t i = 0; i < sizeof sql_names / sizeof sql_names[0]; i++)
    if (sql_names[i].oid == oid) name = sql_names[i].name;
  bool mod = has_mod && typmod >= 0;
  if (oid == 1700 && mod) {
    orb_buf_printf(out, "numeric(%d,%d)", (int)(((typmod - 4) >> 16) & 0xffff), (int)((typmod - 4) & 0xffff));
  } else if (oid == 1043 && mod) {
    orb_buf_printf(out, "character varying(%d)", (int)(typmod - 4));
  } else if ((oid == 1083 || oid == 1114 || oid == 1184) && mod) {
    /* timestamp(p) without time zone: the precision goes after the first word */
    const char *sp = strchr(name, ' ');
    orb_buf_append(out, name, (size_t)(sp - name));
    orb_buf_printf(out, "(%d)%s", (int)typmod, sp);
  } else {
    orb_buf_puts(out, name);
  }
}

void orb_pg_format_type(int64_t oid, orb_buf *out) { format_type(oid, -1, false, out); }

static orb_status r_format_type(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64) || !orb_fn_want(t, 1, ORB_T_INT32)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_format_type) {
  UNUSED;
  if (a[0].isnull) {   /* not strict in PostgreSQL: a NULL modifier means none */
    *out = orb_null(ORB_T_TEXT);
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  format_type(a[0].u.i, a[1].isnull ? -1 : a[1].u.i, !a[1].isnull, &b);
  *out = orb_fn_text(ctx, b.data, b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* --- pg_get_expr(node_tree, relation [, pretty]) ------------------------------------------ */

/* The catalogs here keep an expression (pg_attrdef.adbin) as its SQL text,
** already in the form PostgreSQL's deparser prints: it is its own display. */
static orb_status r_get_expr(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (!orb_fn_is_text(t[0]) || !orb_fn_want(t, 1, ORB_T_INT64) || (n > 2 && !orb_fn_want(t, 2, ORB_T_BOOL)))
    return orb_fn_no_match(e);
  t[0] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_get_expr) {
  UNUSED;
  *out = a[0];
  return ORB_OK;
}

/* --- pg_get_function_result / _arguments / _identity_arguments / pg_get_functiondef (oid) -- */

static orb_status r_function_text(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
/* PostgreSQL's answers: the result type, or the argument list "text, bigint" (VARIADIC before the last) */
EVAL(f_function_text) {
  UNUSED;
  const orb_pg_proc *p = orb_pg_proc_by_oid(a[0].u.i);
  if (!p) {
    *out = orb_null(ORB_T_TEXT);
    return ORB_OK;
  }
  orb_buf b = ORB_BUF_INIT;
  bool def = strcmp(f->name, "pg_get_functiondef") == 0;
  if (def) orb_buf_printf(&b, "CREATE OR REPLACE FUNCTION pg_catalog.%s(", p->name);
  if (strcmp(f->name, "pg_get_function_result") == 0) {
    orb_pg_format_type(p->rettype, &b);
  } else {
    for (int i = 0; i < p->nargs; i++) {
      if (i) orb_buf_puts(&b, ", ");
      if (p->variadic && i == p->nargs - 1) orb_buf_puts(&b, "VARIADIC ");
      orb_pg_format_type(p->argtypes[i], &b);
    }
  }
  if (def) {   /* psql's \sf: a built-in, in PostgreSQL's layout, with Orbit's own facts about it */
    orb_buf_puts(&b, ")\n RETURNS ");
    orb_pg_format_type(p->rettype, &b);
    orb_buf_puts(&b, "\n LANGUAGE internal\n");
    if (p->volatility == 's' || p->strict)
      orb_buf_printf(&b, " %s%s\n", p->volatility == 's' ? "STABLE" : "", p->volatility == 's' && p->strict ? " STRICT"
                                                                         : p->strict ? "STRICT" : "");
    orb_buf_printf(&b, "AS $function$%s$function$\n", p->name);
  }
  *out = orb_fn_text(ctx, b.data ? b.data : "", b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* pg_function_is_visible, pg_type_is_visible and the other pg_*_is_visible (oid): the search path
** holds pg_catalog and public, the only schemas with objects */
static orb_status r_is_visible(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}
EVAL(f_is_visible) {
  UNUSED;
  (void)a;
  *out = orb_bool(true);
  return ORB_OK;
}

/* --- regtypeout, regprocout, regprocedureout, regnamespaceout, regroleout (oid) ---------- */

/* How PostgreSQL prints an object id cast to regtype, regproc, ...: the object's name, or the
** number when no such object exists.  (regclass needs the tables: query/binder_catalog_funcs.c.) */
static orb_status r_reg_out(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_reg_out) {
  UNUSED;
  int64_t oid = a[0].u.i;
  orb_buf b = ORB_BUF_INIT;
  if (strcmp(f->name, "regtypeout") == 0) {
    if (type_by_oid(oid)) orb_pg_format_type(oid, &b);
  } else if (strcmp(f->name, "regprocout") == 0 || strcmp(f->name, "regprocedureout") == 0) {
    const orb_pg_proc *p = orb_pg_proc_by_oid(oid);
    int n, same = 0;
    const orb_pg_proc *all = orb_pg_procs(&n);
    for (int i = 0; p && i < n; i++) same += strcmp(all[i].name, p->name) == 0;
    /* regproc of an overloaded name is qualified, as PostgreSQL prints a name its input would refuse */
    if (p && same > 1 && f->name[7] != 'e') orb_buf_puts(&b, "pg_catalog.");
    if (p) orb_buf_puts(&b, p->name);
    if (p && f->name[7] == 'e') {   /* regprocedure: name(argument types) */
      orb_buf_putc(&b, '(');
      for (int i = 0; i < p->nargs; i++) {
        if (i) orb_buf_putc(&b, ',');
        orb_pg_format_type(p->argtypes[i], &b);
      }
      orb_buf_putc(&b, ')');
    }
  } else if (strcmp(f->name, "regnamespaceout") == 0) {
    orb_buf_puts(&b, oid == 11 ? "pg_catalog" : oid == 2200 ? "public" : oid == 13000 ? "information_schema" : "");
  } else {   /* regroleout */
    orb_buf_puts(&b, oid == 10 ? "orbit" : oid == 6171 ? "pg_database_owner" : "");
  }
  if (b.len == 0) orb_buf_printf(&b, "%lld", (long long)oid);
  *out = orb_fn_text(ctx, b.data, b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* --- pg_size_pretty(bigint | numeric) ----------------------------------------------------- */

/* PostgreSQL's units: a size is shown in the first unit under whose limit
** its magnitude falls; each step divides keeping one extra bit, so that the
** last step can round half away from zero. */
static const struct { const char *name; int64_t limit; bool round; int bits; } size_units[] = {
    {"bytes", 10 * 1024, false, 0}, {"kB", 20 * 1024 - 1, true, 10}, {"MB", 20 * 1024 - 1, true, 20},
    {"GB", 20 * 1024 - 1, true, 30}, {"TB", 20 * 1024 - 1, true, 40}, {"PB", 20 * 1024 - 1, true, 50}};
#define NSIZE_UNITS ((int)(sizeof size_units / sizeof size_units[0]))

/* size in the unit from `first` on (whole numbers; C's division truncates toward zero like numeric's) */
static void size_pretty(__int128 size, int first, orb_buf *out) {
  for (int u = first; u < NSIZE_UNITS; u++) {
    __int128 mag = size < 0 ? -size : size;
    if (u == NSIZE_UNITS - 1 || mag < size_units[u].limit) {
      if (size_units[u].round) size = (size + (size < 0 ? -1 : 1)) / 2;
      char digits[48];
      int k = (int)sizeof digits;
      digits[--k] = '\0';
      __int128 m = size < 0 ? -size : size;
      do digits[--k] = (char)('0' + (int)(m % 10)), m /= 10;
      while (m);
      if (size < 0) digits[--k] = '-';
      orb_buf_printf(out, "%s %s", digits + k, size_units[u].name);
      return;
    }
    int bits = size_units[u + 1].bits - size_units[u].bits - size_units[u + 1].round + size_units[u].round;
    size /= (__int128)1 << bits;
  }
}

static orb_status r_size_pretty(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (orb_type_is_integer((orb_type_id)t[0].id)) t[0] = orb_type_make(ORB_T_INT64);
  else if (!orb_fn_want(t, 0, ORB_T_DECIMAL)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_size_pretty) {
  UNUSED;
  orb_buf b = ORB_BUF_INIT;
  if (a[0].type != ORB_T_DECIMAL) {
    size_pretty(a[0].u.i, 0, &b);
  } else {
    __int128 whole = a[0].u.dec / orb_pow10_i128(a[0].scale);
    __int128 mag = whole < 0 ? -whole : whole;
    if (mag < size_units[0].limit) {   /* bytes: the number as numeric prints it, fraction included */
      orb_value_to_text(&a[0], &b);
      orb_buf_puts(&b, " bytes");
    } else {
      size_pretty(whole, 0, &b);
    }
  }
  *out = orb_fn_text(ctx, b.data, b.len);
  orb_buf_free(&b);
  return ORB_OK;
}

/* --- functions about objects Orbit does not have ------------------------------------------ */

/* col_description(table, column): no comments exist (COMMENT ON is not supported) */
static orb_status r_col_description(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64) || !orb_fn_want(t, 1, ORB_T_INT32)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
/* obj_description(oid [, catalog]): no comments exist either */
static orb_status r_obj_description(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (!orb_fn_want(t, 0, ORB_T_INT64) || (n > 1 && !orb_fn_is_text(t[1]))) return orb_fn_no_match(e);
  if (n > 1) t[1] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
/* pg_get_statisticsobjdef_columns(oid): no extended statistics objects exist */
static orb_status r_oid_to_text(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_no_text) {
  UNUSED;
  (void)a;
  *out = orb_null(ORB_T_TEXT);
  return ORB_OK;
}

/* shobj_description(oid, catalog): no comments on shared objects either */
static orb_status r_shobj_description(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64) || !orb_fn_is_text(t[1])) return orb_fn_no_match(e);
  t[1] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* has_database_privilege / has_table_privilege / has_schema_privilege ([role,] object, privilege):
** Orbit has no GRANT, so every role that logs in may do everything */
static orb_status r_has_privilege(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  for (int i = 0; i < n; i++) {
    if (orb_type_is_integer((orb_type_id)t[i].id) && i < n - 1) t[i] = orb_type_make(ORB_T_INT64);
    else if (orb_fn_is_text(t[i])) t[i] = orb_type_make(ORB_T_TEXT);
    else return orb_fn_no_match(e);
  }
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}
EVAL(f_has_privilege) {
  UNUSED;
  (void)a;
  *out = orb_bool(true);
  return ORB_OK;
}

/* getdatabaseencoding(): Orbit keeps text as UTF-8 */
static orb_status r_text_noargs(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_database_encoding) {
  UNUSED;
  (void)a;
  *out = orb_text("UTF8", 4);
  return ORB_OK;
}

/* pg_char_to_encoding(name): PostgreSQL's number of an encoding name (-1 for one it does not know) */
static orb_status r_char_to_encoding(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_is_text(t[0])) return orb_fn_no_match(e);
  t[0] = orb_type_make(ORB_T_TEXT);
  *res = orb_type_make(ORB_T_INT32);
  return ORB_OK;
}
EVAL(f_char_to_encoding) {
  UNUSED;
  bool utf8 = (a[0].len == 4 && strncasecmp(a[0].u.s, "utf8", 4) == 0) ||
              (a[0].len == 5 && strncasecmp(a[0].u.s, "utf-8", 5) == 0);
  bool ascii = a[0].len == 9 && strncasecmp(a[0].u.s, "sql_ascii", 9) == 0;
  *out = orb_int(ORB_T_INT32, utf8 ? 6 : ascii ? 0 : -1);
  return ORB_OK;
}

/* pg_tablespace_location(oid): PostgreSQL's two built-in tablespaces live in the data directory,
** which it shows as an empty location */
EVAL(f_empty_text) {
  UNUSED;
  (void)a;
  *out = orb_text("", 0);
  return ORB_OK;
}

/* pg_relation_is_publishable(oid): user tables (OIDs from 16384, PostgreSQL's first
** user object id) could be published; system catalogs cannot */
static orb_status r_publishable(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_INT64)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_BOOL);
  return ORB_OK;
}
EVAL(f_publishable) {
  UNUSED;
  *out = orb_bool(a[0].u.i >= 16384);
  return ORB_OK;
}

/* current_schemas(include_implicit): the search path, pg_catalog first when asked */
static orb_status r_current_schemas(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_BOOL)) return orb_fn_no_match(e);
  *res = orb_type_array(ORB_T_TEXT);
  return ORB_OK;
}
EVAL(f_current_schemas) {
  UNUSED;
  orb_value *items = orb_arena_alloc(ctx->arena, sizeof(orb_value) * 2);
  int k = 0;
  if (a[0].u.b) items[k++] = orb_text("pg_catalog", 10);
  items[k++] = orb_text("public", 6);
  *out = orb_array_make(ctx->arena, ORB_T_TEXT, items, (uint32_t)k);
  return ORB_OK;
}

const orb_func orb_funcs_catalog[] = {
    {"current_schemas", 1, 1, 0, r_current_schemas, f_current_schemas},
    {"format_type", 2, 2, ORB_FN_NULL_ARGS, r_format_type, f_format_type},
    {"pg_get_expr", 2, 3, 0, r_get_expr, f_get_expr},
    {"col_description", 2, 2, 0, r_col_description, f_no_text},
    {"obj_description", 1, 2, 0, r_obj_description, f_no_text},
    {"pg_get_statisticsobjdef_columns", 1, 1, 0, r_oid_to_text, f_no_text},
    {"pg_relation_is_publishable", 1, 1, 0, r_publishable, f_publishable},
    {"pg_size_pretty", 1, 1, 0, r_size_pretty, f_size_pretty},
    {"pg_get_function_result", 1, 1, 0, r_function_text, f_function_text},
    {"regtypeout", 1, 1, 0, r_reg_out, f_reg_out},
    {"regprocout", 1, 1, 0, r_reg_out, f_reg_out},
    {"regprocedureout", 1, 1, 0, r_reg_out, f_reg_out},
    {"regnamespaceout", 1, 1, 0, r_reg_out, f_reg_out},
    {"regroleout", 1, 1, 0, r_reg_out, f_reg_out},
    {"pg_get_function_arguments", 1, 1, 0, r_function_text, f_function_text},
    {"pg_get_function_identity_arguments", 1, 1, 0, r_function_text, f_function_text},
    {"pg_get_functiondef", 1, 1, 0, r_function_text, f_function_text},
    {"pg_get_function_sqlbody", 1, 1, 0, r_oid_to_text, f_no_text},
    {"pg_function_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_statistics_obj_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_collation_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_conversion_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_operator_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_opclass_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_opfamily_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_ts_config_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_ts_dict_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_ts_parser_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"pg_ts_template_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"getdatabaseencoding", 0, 0, 0, r_text_noargs, f_database_encoding},
    {"pg_char_to_encoding", 1, 1, 0, r_char_to_encoding, f_char_to_encoding},
    {"pg_tablespace_location", 1, 1, 0, r_oid_to_text, f_empty_text},
    {"pg_type_is_visible", 1, 1, 0, r_is_visible, f_is_visible},
    {"shobj_description", 2, 2, 0, r_shobj_description, f_no_text},
    {"has_database_privilege", 2, 3, 0, r_has_privilege, f_has_privilege},
    {"has_table_privilege", 2, 3, 0, r_has_privilege, f_has_privilege},
    {"has_schema_privilege", 2, 3, 0, r_has_privilege, f_has_privilege},
};
const int orb_nfuncs_catalog = sizeof orb_funcs_catalog / sizeof orb_funcs_catalog[0];
