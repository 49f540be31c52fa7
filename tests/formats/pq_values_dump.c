/* tests/formats/pq_values_dump.c — print the values of a Parquet file's flat
** columns whose type DuckDB reads as a plain SQL type (booleans, signed
** integers, floats, UTF-8 strings), one block per column:
**   col NAME
**   value per row: NULL, true/false, decimal, f:<hex bits of the double> / NaN, s:<text with \n and \\ escaped>
** Columns it cannot read yet print "skip NAME: reason".  For
** parquet_values_test.sh, which compares with tests/interop/parquet_values.mjs.
** With --sql: the columns whose SQL type (pq_sql_type) prints as DuckDB
** prints it — integers of every width, dates, times, timestamps, decimals,
** UUIDs, strings — as Orbit's text of the SQL value.
** usage: pq_values_dump [--sql] FILE */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/parquet/parquet.h"
#include "base/buf.h"
#include "types/value.h"
#include "pq_print.h"

/* Row group g of column c, or a "skip" line with the reason. */
static bool read_group(const char *path, pq_file_meta *m, int g, int c, pq_column *col) {
  orb_err e;
  if (pq_read_flat_column(path, m, g, c, 0, col, &e) == ORB_OK) return true;
  printf("skip %s: %s\n", m->schema[c + 1].name, e.msg);
  pq_column_free(col);
  return false;
}

static bool sql_comparable(orb_type t) {
  switch ((orb_type_id)t.id) {
  case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64: case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP:
  case ORB_T_DECIMAL: case ORB_T_UUID: case ORB_T_TEXT:
    return true;
  default:
    return false;
  }
}

/* --sql: every comparable column as SQL values. */
static void dump_sql(const char *path, pq_file_meta *m) {
  orb_err e;
  for (int c = 0; c < m->nschema - 1 && m->nrow_groups > 0 && m->nschema == m->row_groups[0].ncolumns + 1; c++) {
    const pq_schema_elem *s = &m->schema[c + 1];
    orb_type t;
    if (pq_sql_type(s, &t, &e) != ORB_OK || !sql_comparable(t)) continue;
    printf("col %s\n", s->name);
    orb_buf b = ORB_BUF_INIT;
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_column col;
      if (!read_group(path, m, g, c, &col)) break;
      for (int64_t i = 0; i < col.n; i++) {
        orb_value v;
        if (pq_value_at(s, &col, i, t, &v, &e) != ORB_OK) {
          printf("skip %s: %s\n", s->name, e.msg);
          break;
        }
        if (v.isnull) {
          printf("NULL\n");
          continue;
        }
        orb_buf_reset(&b);
        orb_value_to_text(&v, &b);
        print_text((const uint8_t *)b.data, b.len);
      }
      pq_column_free(&col);
    }
    orb_buf_free(&b);
  }
}

static bool comparable(const pq_schema_elem *s) {
  bool plain_kind = s->converted_type < 0 && s->logical.kind == PQ_LT_NONE;
  switch (s->type) {
  case PQ_BOOLEAN:
  case PQ_FLOAT:
  case PQ_DOUBLE:
    return plain_kind;
  case PQ_INT32:
  case PQ_INT64:   /* plain, or INT_8..INT_64 (signed) */
    return plain_kind || (s->converted_type >= 15 && s->converted_type <= 18) ||
           (s->logical.kind == PQ_LT_INTEGER && s->logical.is_signed);
  case PQ_BYTE_ARRAY:
    return s->converted_type == 0 || s->logical.kind == PQ_LT_STRING;
  default:
    return false;
  }
}

int main(int argc, char **argv) {
  bool sql = argc == 3 && strcmp(argv[1], "--sql") == 0;
  if (argc != 2 && !sql) return 2;
  const char *path = argv[argc - 1];
  pq_file_meta *m;
  orb_err e;
  orb_err_clear(&e);
  if (pq_read_footer(path, &m, &e) != ORB_OK) {
    printf("error %s\n", e.msg);
    return 0;
  }
  if (sql) {
    dump_sql(path, m);
    pq_meta_free(m);
    return 0;
  }
  int ncols = m->nschema - 1;
  for (int c = 0; c < ncols && m->nrow_groups > 0 && m->nschema == m->row_groups[0].ncolumns + 1; c++) {
    const pq_schema_elem *s = &m->schema[c + 1];
    if (!comparable(s)) continue;
    printf("col %s\n", s->name);
    for (int g = 0; g < m->nrow_groups; g++) {
      pq_column col;
      if (!read_group(path, m, g, c, &col)) break;
      for (int64_t i = 0; i < col.n; i++) {
        if (col.nulls[i]) {
          printf("NULL\n");
          continue;
        }
        switch (col.type) {
        case PQ_BOOLEAN: printf("%s\n", ((uint8_t *)col.values)[i] ? "true" : "false"); break;
        case PQ_INT32: printf("%d\n", ((int32_t *)col.values)[i]); break;
        case PQ_INT64: printf("%lld\n", (long long)((int64_t *)col.values)[i]); break;
        case PQ_FLOAT: print_double((double)((float *)col.values)[i]); break;
        case PQ_DOUBLE: print_double(((double *)col.values)[i]); break;
        default: {
          const pq_bytes *b = &((pq_bytes *)col.values)[i];
          print_text(b->data, b->len);
        }
        }
      }
      pq_column_free(&col);
    }
  }
  pq_meta_free(m);
  return 0;
}
