/* tests/formats/pq_write_check.c — writes a table of every type Orbit
** writes to Parquet, with NULLs and edge values, and prints its rows; or
** prints what Orbit's reader reads back from a file.  Both print one block
** per column in the canonical form tests/interop/parquet_write_check.mjs
** prints DuckDB's reading in:
**   col NAME
**   per row: NULL, true/false, integer, f:<hex bits of the double> / NaN,
**   s:<text, \n and \\ escaped>, x:<hex bytes>, us:<microseconds> (time,
**   timestamp, timestamptz), d:<days> (date), decimal and UUID text
** usage: pq_write_check write FILE CONFIG ROWS   (prints the source rows)
**        pq_write_check read FILE                (prints what we read back)
** CONFIG: codec-encoding-page[-crc], e.g. zstd-dict-v1, snappy-fallback-v2-crc
** (codec zstd|snappy|gzip|none; encoding dict|plain|fallback|probe; page
** v1|v2; probe: the writer's default dictionary choice). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "formats/parquet/parquet.h"
#include "types/decimal.h"
#include "types/value.h"
#include "pq_print.h"

typedef struct colspec {
  const char *name;
  orb_type type;
  bool nullable;
} colspec;

#define NCOLS 18
static colspec cols[NCOLS];

static void define_columns(void) {
  int i = 0;
  cols[i++] = (colspec){"id", orb_type_make(ORB_T_INT64), false};
  cols[i++] = (colspec){"b", orb_type_make(ORB_T_BOOL), true};
  cols[i++] = (colspec){"i16", orb_type_make(ORB_T_INT16), true};
  cols[i++] = (colspec){"i32", orb_type_make(ORB_T_INT32), true};
  cols[i++] = (colspec){"i64", orb_type_make(ORB_T_INT64), true};
  cols[i++] = (colspec){"f32", orb_type_make(ORB_T_FLOAT32), true};
  cols[i++] = (colspec){"f64", orb_type_make(ORB_T_FLOAT64), true};
  cols[i++] = (colspec){"d9", orb_type_decimal(9, 2), true};
  cols[i++] = (colspec){"d18", orb_type_decimal(18, 4), true};
  cols[i++] = (colspec){"d38", orb_type_decimal(38, 10), true};
  cols[i++] = (colspec){"t", orb_type_make(ORB_T_TEXT), true};
  cols[i++] = (colspec){"small_t", orb_type_make(ORB_T_TEXT), true};
  cols[i++] = (colspec){"bin", orb_type_make(ORB_T_BYTEA), true};
  cols[i++] = (colspec){"dt", orb_type_make(ORB_T_DATE), true};
  cols[i++] = (colspec){"tm", orb_type_make(ORB_T_TIME), true};
  cols[i++] = (colspec){"ts", orb_type_make(ORB_T_TIMESTAMP), true};
  cols[i++] = (colspec){"tz", orb_type_make(ORB_T_TIMESTAMPTZ), true};
  cols[i++] = (colspec){"u", orb_type_make(ORB_T_UUID), true};
}

static uint64_t mix(uint64_t x) {   /* splitmix64: deterministic pseudo-random values */
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static const char *const texts[] = {"", "a", "héllo wörld ✓", "日本語のテキスト", "emoji 🎉🚀", "line\nbreak",
                                    "back\\slash", "pipe|and,comma", "Z", "zz"};

/* Row r's value of column c; strings in buf (valid until the next call for the column). */
static orb_value value_of(int c, int64_t r, orb_buf *buf) {
  const colspec *s = &cols[c];
  uint64_t h = mix((uint64_t)r * 31 + (uint64_t)c);
  int edge = (int)(r % 1000);   /* rows 1..9 of every thousand carry edge values */
  if (s->nullable && (r + c) % 7 == 0) return orb_null((orb_type_id)s->type.id);
  switch ((orb_type_id)s->type.id) {
  case ORB_T_BOOL: return orb_bool(h & 1);
  case ORB_T_INT16:
    return orb_int(ORB_T_INT16, edge == 1 ? INT16_MIN : edge == 2 ? INT16_MAX : edge == 3 ? 0 : (int16_t)h);
  case ORB_T_INT32:
    return orb_int(ORB_T_INT32, edge == 1 ? INT32_MIN : edge == 2 ? INT32_MAX : (int32_t)(h % 1000) - 500);
  case ORB_T_INT64:
    if (c == 0) return orb_int(ORB_T_INT64, r);   /* the sorted id */
    return orb_int(ORB_T_INT64, edge == 1 ? INT64_MIN : edge == 2 ? INT64_MAX : (int64_t)h);
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64: {
    if (r >= 50000 && (edge == 4 || edge == 5)) edge = 0;   /* infinities only in the first row group */
    double v = edge == 1   ? NAN
               : edge == 2 ? -0.0
               : edge == 3 ? 0.0
               : edge == 4 ? INFINITY
               : edge == 5 ? -INFINITY
               : edge == 6 ? (s->type.id == ORB_T_FLOAT32 ? 1e-45 : 5e-324)
                           : ((double)(int64_t)(h % 2000001) - 1000000) / 64.0;
    if (s->type.id == ORB_T_FLOAT32) v = (float)v;
    return orb_float((orb_type_id)s->type.id, v);
  }
  case ORB_T_DECIMAL: {
    __int128 max = orb_pow10_i128(s->type.precision) - 1;
    __int128 v = edge == 1 ? -max : edge == 2 ? max : edge == 3 ? 0 : (__int128)(int64_t)h % max;
    if (s->type.precision == 38 && edge > 3) v = (__int128)(int64_t)h * 1000000000000LL + (int64_t)(h >> 20);
    return orb_decimal(v, s->type.scale);
  }
  case ORB_T_TEXT:
    orb_buf_reset(buf);
    if (c == 11) {   /* few distinct values: a dictionary that stays */
      orb_buf_puts(buf, texts[h % 10]);
    } else if (edge == 1) {
      for (int k = 0; k < 500; k++) orb_buf_puts(buf, "long ✓ text ");
    } else if (edge == 2) {
      /* empty string */
    } else {
      orb_buf_printf(buf, "%s #%" PRIu64, texts[h % 10], h % 100000);
    }
    return orb_text(buf->data ? buf->data : "", buf->len);
  case ORB_T_BYTEA: {
    orb_buf_reset(buf);
    int n = edge == 1 ? 0 : (int)(h % 24);
    for (int k = 0; k < n; k++) orb_buf_put_u8(buf, (uint8_t)mix(h + (uint64_t)k));
    return orb_bytea(buf->data ? buf->data : "", buf->len);
  }
  case ORB_T_DATE:   /* 0001-01-01 .. 9999-12-31 */
    return orb_int(ORB_T_DATE, edge == 1 ? -719162 : edge == 2 ? 2932896 : (int64_t)(h % 40000) - 10000);
  case ORB_T_TIME:
    return orb_int(ORB_T_TIME, edge == 1 ? 0 : edge == 2 ? 86399999999LL : (int64_t)(h % 86400000000ULL));
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ:   /* 0001-01-01 .. 9999-12-31 23:59:59.999999 */
    return orb_int((orb_type_id)s->type.id, edge == 1   ? -62135596800000000LL
                                           : edge == 2 ? 253402300799999999LL
                                                       : (int64_t)(h % 4000000000000000ULL) - 1000000000000000LL);
  case ORB_T_UUID: {
    orb_value v = orb_null(ORB_T_UUID);
    v.isnull = 0;
    for (int k = 0; k < 16; k++) v.u.uuid[k] = edge == 1 ? 0 : edge == 2 ? 0xff : (uint8_t)mix(h + (uint64_t)k);
    return v;
  }
  default: abort();
  }
}

static void print_value(const orb_value *v, orb_buf *tmp) {
  if (v->isnull) {
    printf("NULL\n");
    return;
  }
  switch ((orb_type_id)v->type) {
  case ORB_T_BOOL: printf("%s\n", v->u.b ? "true" : "false"); break;
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64: printf("%" PRId64 "\n", v->u.i); break;
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64: print_double(v->u.f); break;
  case ORB_T_TEXT: print_text(v->u.s, v->len); break;
  case ORB_T_BYTEA:
    printf("x:");
    for (uint32_t k = 0; k < v->len; k++) printf("%02x", (uint8_t)v->u.s[k]);
    printf("\n");
    break;
  case ORB_T_DATE: printf("d:%" PRId64 "\n", v->u.i); break;
  case ORB_T_TIME:
  case ORB_T_TIMESTAMP:
  case ORB_T_TIMESTAMPTZ: printf("us:%" PRId64 "\n", v->u.i); break;
  default:   /* DECIMAL, UUID: their text */
    orb_buf_reset(tmp);
    orb_value_to_text(v, tmp);
    printf("%s\n", tmp->data);
  }
}

static bool config(const char *s, pq_write_opts *o) {
  pq_write_opts_init(o);
  char codec[16], enc[16], page[16], crc[8] = "";
  if (sscanf(s, "%15[a-z]-%15[a-z]-%15[a-z0-9]-%7s", codec, enc, page, crc) < 3) return false;
  o->codec = !strcmp(codec, "zstd") ? PQ_ZSTD : !strcmp(codec, "snappy") ? PQ_SNAPPY : !strcmp(codec, "gzip") ? PQ_GZIP : PQ_UNCOMPRESSED;
  o->dictionary = strcmp(enc, "plain") != 0;
  if (!strcmp(enc, "fallback")) o->dictionary_bytes = 64 << 10;   /* the random columns outgrow it */
  /* dict and fallback keep trying every column's dictionary, nearly unique
  ** ones too; probe is the defaults, which drop those early */
  if (!strcmp(enc, "dict") || !strcmp(enc, "fallback")) o->dictionary_probe = 0;
  o->page_v2 = !strcmp(page, "v2");
  o->page_crc = !strcmp(crc, "crc");
  o->row_group_rows = 50000;
  return true;
}

static int write_file(const char *path, const char *cfg, int64_t rows) {
  pq_write_opts o;
  if (!config(cfg, &o)) return 2;
  pq_kv kv[2] = {{"orbit.test", "pq_write_check"}, {"config", cfg}};
  o.kv = kv;
  o.nkv = 2;
  pq_write_column wc[NCOLS];
  for (int c = 0; c < NCOLS; c++)
    wc[c] = (pq_write_column){cols[c].name, cols[c].type, cols[c].nullable, 100 + c, c == 0 || c == 4 || c == 10, 0};
  orb_err e;
  orb_err_clear(&e);
  pq_writer *w;
  if (pq_writer_open(path, wc, NCOLS, &o, &w, &e) != ORB_OK) {
    fprintf(stderr, "%s\n", e.msg);
    return 1;
  }
  /* batches of an uneven size, so that batches straddle row groups and pages */
  enum { BATCH = 7777 };
  orb_value *vals[NCOLS];
  orb_arena a;
  orb_arena_init(&a, 0);
  for (int c = 0; c < NCOLS; c++) vals[c] = orb_malloc(sizeof(orb_value) * BATCH);
  orb_buf tmp = ORB_BUF_INIT;
  for (int64_t r0 = 0; r0 < rows; r0 += BATCH) {
    int64_t n = rows - r0 < BATCH ? rows - r0 : BATCH;
    orb_arena_reset(&a);
    for (int c = 0; c < NCOLS; c++)
      for (int64_t i = 0; i < n; i++) {
        orb_value v = value_of(c, r0 + i, &tmp);
        vals[c][i] = orb_value_copy(&v, &a);   /* strings outlive tmp */
      }
    if (pq_writer_write(w, (const orb_value *const *)vals, n, &e) != ORB_OK) {
      fprintf(stderr, "%s\n", e.msg);
      pq_writer_abort(w);
      return 1;
    }
  }
  if (pq_writer_close(w, &e) != ORB_OK) {
    fprintf(stderr, "%s\n", e.msg);
    return 1;
  }
  for (int c = 0; c < NCOLS; c++) {
    printf("col %s\n", cols[c].name);
    for (int64_t r = 0; r < rows; r++) {
      orb_value v = value_of(c, r, &tmp);
      print_value(&v, &tmp);
    }
  }
  for (int c = 0; c < NCOLS; c++) orb_free(vals[c]);
  orb_arena_free(&a);
  orb_buf_free(&tmp);
  return 0;
}

static int read_file(const char *path) {
  pq_file_meta *m;
  orb_err e;
  orb_err_clear(&e);
  if (pq_read_footer(path, &m, &e) != ORB_OK) {
    printf("error %s\n", e.msg);
    return 1;
  }
  orb_buf tmp = ORB_BUF_INIT;
  int rc = 0;
  for (int c = 0; c < m->nschema - 1 && rc == 0; c++) {
    const pq_schema_elem *s = &m->schema[c + 1];
    orb_type t;
    if (pq_sql_type(s, &t, &e) != ORB_OK) {
      printf("error %s\n", e.msg);
      rc = 1;
      break;
    }
    printf("col %s\n", s->name);
    for (int g = 0; g < m->nrow_groups && rc == 0; g++) {
      pq_column col;
      if (pq_read_flat_column(path, m, g, c, 0, &col, &e) != ORB_OK) {
        printf("error %s\n", e.msg);
        rc = 1;
        break;
      }
      for (int64_t i = 0; i < col.n; i++) {
        orb_value v;
        if (pq_value_at(s, &col, i, t, &v, &e) != ORB_OK) {
          printf("error %s\n", e.msg);
          rc = 1;
          break;
        }
        print_value(&v, &tmp);
      }
      pq_column_free(&col);
    }
  }
  orb_buf_free(&tmp);
  pq_meta_free(m);
  return rc;
}

int main(int argc, char **argv) {
  define_columns();
  if (argc == 5 && !strcmp(argv[1], "write")) return write_file(argv[2], argv[3], atoll(argv[4]));
  if (argc == 3 && !strcmp(argv[1], "read")) return read_file(argv[2]);
  fprintf(stderr, "usage: pq_write_check write FILE CONFIG ROWS | read FILE\n");
  return 2;
}
