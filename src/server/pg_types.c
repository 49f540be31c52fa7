/* server/pg_types.c — Orbit's column types as PostgreSQL type OIDs (pg_type.oid)
** and lengths, for RowDescription and ParameterDescription, and the OIDs a
** client declares in Parse as Orbit's types. */
#include "orbit.h"
#include "server/pgwire.h"

int32_t pg_type_oid(int t) {
  switch ((orbit_type)t) {
  case ORBIT_BOOL: return 16;
  case ORBIT_INT16: return 21;
  case ORBIT_INT32: return 23;
  case ORBIT_INT64: return 20;
  case ORBIT_FLOAT32: return 700;
  case ORBIT_FLOAT64: return 701;
  case ORBIT_DECIMAL: return 1700;
  case ORBIT_TEXT: return 25;
  case ORBIT_BYTEA: return 17;
  case ORBIT_DATE: return 1082;
  case ORBIT_TIME: return 1083;
  case ORBIT_TIMESTAMP: return 1114;
  case ORBIT_TIMESTAMPTZ: return 1184;
  case ORBIT_UUID: return 2950;
  case ORBIT_INTERVAL: return 1186;
  case ORBIT_NULL: return 25;   /* an untyped NULL column reads as text */
  case ORBIT_ARRAY: return 1009; /* callers ask pg_array_type_oid() with the element type */
  case ORBIT_RECORD: return 2249;
  case ORBIT_VOID: return 2278;
  case ORBIT_JSON: return 114;
  case ORBIT_JSONB: return 3802;
  }
  return 25;
}

int32_t pg_array_type_oid(int t) {
  switch ((orbit_type)t) {
  case ORBIT_BOOL: return 1000;
  case ORBIT_INT16: return 1005;
  case ORBIT_INT32: return 1007;
  case ORBIT_INT64: return 1016;
  case ORBIT_FLOAT32: return 1021;
  case ORBIT_FLOAT64: return 1022;
  case ORBIT_DECIMAL: return 1231;
  case ORBIT_BYTEA: return 1001;
  case ORBIT_DATE: return 1182;
  case ORBIT_TIME: return 1183;
  case ORBIT_TIMESTAMP: return 1115;
  case ORBIT_TIMESTAMPTZ: return 1185;
  case ORBIT_UUID: return 2951;
  case ORBIT_INTERVAL: return 1187;
  case ORBIT_RECORD: return 2287;
  case ORBIT_VOID: return 1009;   /* there is no void[] */
  case ORBIT_JSON: return 199;
  case ORBIT_JSONB: return 3807;
  case ORBIT_TEXT: case ORBIT_NULL: case ORBIT_ARRAY: return 1009;
  }
  return 1009;
}

/* The OID and type modifier of a type with its modifiers: VARCHAR(n) is
** varchar (1043) with typmod n + 4, NUMERIC(p,s) typmod (p << 16 | s) + 4,
** as PostgreSQL's RowDescription carries them (drivers read the declared
** length, precision and scale from there).  An array's modifiers are its
** elements' (NUMERIC(6,2)[] has typmod 393222; VARCHAR(n)[] is _varchar, 1015). */
static int32_t oid_with_modifiers(orbit_type t, orbit_type elem, int precision, int scale, int maxlen,
                                  int32_t *typmod) {
  orbit_type mt = t == ORBIT_ARRAY ? elem : t;
  if (typmod)
    *typmod = mt == ORBIT_DECIMAL && precision ? (precision << 16 | scale) + 4 : mt == ORBIT_TEXT && maxlen ? maxlen + 4 : -1;
  if (t == ORBIT_ARRAY) return elem == ORBIT_TEXT && maxlen ? 1015 : pg_array_type_oid((int)elem);
  return t == ORBIT_TEXT && maxlen ? 1043 : pg_type_oid((int)t);
}

int32_t pg_column_oid(orbit_stmt *st, int col, int32_t *typmod) {
  int precision, scale, maxlen;
  orbit_column_modifiers(st, col, &precision, &scale, &maxlen);
  return oid_with_modifiers(orbit_column_type(st, col), orbit_column_elem_type(st, col), precision, scale, maxlen,
                            typmod);
}

int32_t pg_param_oid(orbit_stmt *st, int idx) {
  int precision, scale, maxlen;
  orbit_bind_modifiers(st, idx, &precision, &scale, &maxlen);
  return oid_with_modifiers(orbit_bind_type(st, idx), orbit_bind_elem_type(st, idx), precision, scale, maxlen, NULL);
}

int16_t pg_type_len(int t) {
  switch ((orbit_type)t) {
  case ORBIT_BOOL: return 1;
  case ORBIT_INT16: return 2;
  case ORBIT_INT32: case ORBIT_FLOAT32: case ORBIT_DATE: case ORBIT_VOID: return 4;
  case ORBIT_INT64: case ORBIT_FLOAT64: case ORBIT_TIME: case ORBIT_TIMESTAMP: case ORBIT_TIMESTAMPTZ: return 8;
  case ORBIT_UUID: case ORBIT_INTERVAL: return 16;
  default: return -1;   /* variable length */
  }
}

bool pg_type_from_oid(int32_t oid, int *t, int *elem) {
  static const struct { int32_t oid; orbit_type t; } scalars[] = {
      {0, ORBIT_NULL},     {705, ORBIT_NULL},         {16, ORBIT_BOOL},       {17, ORBIT_BYTEA},
      {18, ORBIT_TEXT},    {19, ORBIT_TEXT},          {20, ORBIT_INT64},      {21, ORBIT_INT16},
      {23, ORBIT_INT32},   {25, ORBIT_TEXT},          {26, ORBIT_INT64},      {700, ORBIT_FLOAT32},
      {701, ORBIT_FLOAT64}, {1042, ORBIT_TEXT},       {1043, ORBIT_TEXT},     {1082, ORBIT_DATE},
      {1083, ORBIT_TIME},  {1114, ORBIT_TIMESTAMP},   {1184, ORBIT_TIMESTAMPTZ}, {1186, ORBIT_INTERVAL},
      {1700, ORBIT_DECIMAL}, {2950, ORBIT_UUID},  {2278, ORBIT_VOID},
      {114, ORBIT_JSON},   {3802, ORBIT_JSONB}};
  *elem = ORBIT_NULL;
  for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
    if (scalars[i].oid == oid) {
      *t = scalars[i].t;
      return true;
    }
  /* arrays: the element types pg_array_type_oid names, and varchar[] */
  if (oid == 1015) oid = 1009;
  for (int e = ORBIT_BOOL; e <= ORBIT_JSONB; e++)
    if (e != ORBIT_ARRAY && e != ORBIT_RECORD && e != ORBIT_VOID && pg_array_type_oid(e) == oid) {
      *t = ORBIT_ARRAY;
      *elem = e;
      return true;
    }
  return false;
}
