/* server/pg_values.c — values on the wire: result columns as DataRow fields
** and Bind parameters, in text format (PostgreSQL's output/input syntax) or
** binary format (network byte order; dates and timestamps counted from
** 2000-01-01 as PostgreSQL does). */
#include <string.h>

#include "server/pg_int.h"

#define PG_EPOCH_DAYS 10957                 /* 2000-01-01 - 1970-01-01 */
#define PG_EPOCH_USECS 946684800000000LL

static void put_be64(orb_buf *b, uint64_t v) {
  pg_put_be32(b, (int32_t)(v >> 32));
  pg_put_be32(b, (int32_t)(uint32_t)v);
}

static uint64_t be64(const uint8_t *p) { return (uint64_t)(uint32_t)pg_be32(p) << 32 | (uint32_t)pg_be32(p + 4); }

/* One field in binary format; false if the type has no binary form here. */
static bool put_binary(orbit_stmt *st, int i, orb_buf *out) {
  switch (orbit_column_type(st, i)) {
  case ORBIT_BOOL:
    pg_put_be32(out, 1);
    orb_buf_putc(out, orbit_column_bool(st, i) ? 1 : 0);
    return true;
  case ORBIT_INT16:
    pg_put_be32(out, 2);
    pg_put_be16(out, (int16_t)orbit_column_int64(st, i));
    return true;
  case ORBIT_INT32:
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)orbit_column_int64(st, i));
    return true;
  case ORBIT_INT64:
  case ORBIT_TIME:
    pg_put_be32(out, 8);
    put_be64(out, (uint64_t)orbit_column_int64(st, i));
    return true;
  case ORBIT_TIMESTAMP:
  case ORBIT_TIMESTAMPTZ:
    pg_put_be32(out, 8);
    put_be64(out, (uint64_t)(orbit_column_int64(st, i) - PG_EPOCH_USECS));
    return true;
  case ORBIT_DATE:
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)(orbit_column_int64(st, i) - PG_EPOCH_DAYS));
    return true;
  case ORBIT_FLOAT32: {
    float f = (float)orbit_column_double(st, i);
    uint32_t u;
    memcpy(&u, &f, 4);
    pg_put_be32(out, 4);
    pg_put_be32(out, (int32_t)u);
    return true;
  }
  case ORBIT_FLOAT64: {
    double d = orbit_column_double(st, i);
    uint64_t u;
    memcpy(&u, &d, 8);
    pg_put_be32(out, 8);
    put_be64(out, u);
    return true;
  }
  case ORBIT_TEXT:
  case ORBIT_BYTEA:
  case ORBIT_UUID: {
    int len = 0;
    const void *p = orbit_column_blob(st, i, &len);
    pg_put_be32(out, len);
    orb_buf_append(out, p, (size_t)len);
    return true;
  }
  default:
    return false;   /* numeric, interval: text only for now */
  }
}

bool pg_send_data_row(orbit_stmt *st, int n, const int16_t *formats, int nformats, orb_buf *out, const char **err) {
  size_t at = pg_msg_begin(out, 'D');
  pg_put_be16(out, (int16_t)n);
  for (int i = 0; i < n; i++) {
    if (orbit_column_is_null(st, i)) {
      pg_put_be32(out, -1);
      continue;
    }
    if (pg_format_of(formats, nformats, i) == 1) {
      if (!put_binary(st, i, out)) {
        *err = "binary format is not supported for this column type yet (numeric, interval): request text";
        return false;
      }
      continue;
    }
    const char *v = orbit_column_text(st, i);
    size_t len = strlen(v);   /* text output never holds NUL bytes */
    pg_put_be32(out, (int32_t)len);
    orb_buf_append(out, v, len);
  }
  pg_msg_end(out, at);
  return true;
}

bool pg_bind_param(orbit_stmt *st, int idx, const uint8_t *v, int32_t len, int16_t format, const char **err) {
  if (len < 0) return orbit_bind_null(st, idx) == ORBIT_OK;
  if (format == 0) return orbit_bind_text(st, idx, (const char *)v, len) == ORBIT_OK;
  switch (orbit_bind_type(st, idx)) {
  case ORBIT_BOOL:
    if (len != 1) break;
    return orbit_bind_bool(st, idx, v[0] != 0) == ORBIT_OK;
  case ORBIT_INT16:
    if (len != 2) break;
    return orbit_bind_int64(st, idx, (int16_t)((uint16_t)v[0] << 8 | v[1])) == ORBIT_OK;
  case ORBIT_INT32:
    if (len != 4) break;
    return orbit_bind_int64(st, idx, pg_be32(v)) == ORBIT_OK;
  case ORBIT_INT64:
  case ORBIT_TIME:
    if (len != 8) break;
    return orbit_bind_int64(st, idx, (int64_t)be64(v)) == ORBIT_OK;
  case ORBIT_TIMESTAMP:
  case ORBIT_TIMESTAMPTZ:
    if (len != 8) break;
    return orbit_bind_int64(st, idx, (int64_t)be64(v) + PG_EPOCH_USECS) == ORBIT_OK;
  case ORBIT_DATE:
    if (len != 4) break;
    return orbit_bind_int64(st, idx, (int64_t)pg_be32(v) + PG_EPOCH_DAYS) == ORBIT_OK;
  case ORBIT_FLOAT32: {
    if (len != 4) break;
    uint32_t u = (uint32_t)pg_be32(v);
    float f;
    memcpy(&f, &u, 4);
    return orbit_bind_double(st, idx, f) == ORBIT_OK;
  }
  case ORBIT_FLOAT64: {
    if (len != 8) break;
    uint64_t u = be64(v);
    double d;
    memcpy(&d, &u, 8);
    return orbit_bind_double(st, idx, d) == ORBIT_OK;
  }
  case ORBIT_TEXT:
    return orbit_bind_text(st, idx, (const char *)v, len) == ORBIT_OK;
  case ORBIT_BYTEA:
    return orbit_bind_blob(st, idx, v, len) == ORBIT_OK;
  default:
    *err = "binary format is not supported for this parameter type yet: send text";
    return false;
  }
  *err = "incorrect binary data format in bind parameter";
  return false;
}
