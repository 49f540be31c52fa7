/* tests/storage/ice_write_tool.c — write an Iceberg table of every type
** (tests/storage/ice_write_gen.h) for the interop checks: create it in DIR,
** make APPENDS appends of ROWS rows each (files rolling at TARGET bytes
** when given, 0 for the default; partitioned by SPEC when given), and print every row written as one JSON line in the forms
** tests/interop/iceberg_write_check.mjs asks DuckDB for: integers, floats
** as %.17g (or "NaN", "Infinity", "-Infinity"), decimals and uuids as
** text, strings and binary as upper-case hex, dates as days, times and
** timestamps as microseconds.
**   ice_write_tool DIR APPENDS ROWS [TARGET [SPEC]] > expected.jsonl */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "storage/cold/ice_write.h"
#include "types/value.h"
#include "ice_write_gen.h"

static void hex(const void *p, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) printf("%02X", ((const uint8_t *)p)[i]);
  putchar('"');
}

static void num(double d) {
  if (isnan(d)) printf("\"NaN\"");
  else if (isinf(d)) printf(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  else printf("%.17g", d);
}

static void print_row(const orb_value *v) {
  static const char *names[NCOLS] = {"id", "i16", "i32", "f32", "f64", "dec", "txt", "bin", "d", "t", "ts", "tstz", "u", "b"};
  putchar('{');
  for (int c = 0; c < NCOLS; c++) {
    printf("%s\"%s\":", c ? "," : "", names[c]);
    if (v[c].isnull) {
      printf("null");
      continue;
    }
    switch (c) {
    case 3: num((double)(float)v[c].u.f); break;
    case 4: num(v[c].u.f); break;
    case 5: case 12: {
      orb_buf b = ORB_BUF_INIT;
      orb_value_to_text(&v[c], &b);
      printf("\"%.*s\"", (int)b.len, (const char *)b.data);
      orb_buf_free(&b);
      break;
    }
    case 6: case 7: hex(v[c].u.s, v[c].len); break;
    case 13: printf(v[c].u.b ? "true" : "false"); break;
    default: printf("%lld", (long long)v[c].u.i); break;
    }
  }
  printf("}\n");
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: ice_write_tool DIR APPENDS ROWS [TARGET [SPEC [KEY=VALUE,...]]]\n");
    return 2;
  }
  const char *dir = argv[1];
  int appends = atoi(argv[2]);
  int64_t rows = atoll(argv[3]);
  orb_schema s;
  all_types_schema(&s);
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  /* table properties, e.g. commit.manifest.min-count-to-merge=3 */
  ice_kv props[8];
  int nprops = 0;
  char *plist = argc > 6 ? orb_arena_strdup(&a, argv[6]) : NULL;
  for (char *kv = plist ? strtok(plist, ",") : NULL; kv && nprops < 8; kv = strtok(NULL, ",")) {
    char *eq = strchr(kv, '=');
    if (!eq) continue;
    *eq = 0;
    props[nprops].key = kv;
    props[nprops++].value = eq + 1;
  }
  const char *spec = argc > 5 && *argv[5] ? argv[5] : NULL;
  if (ice_table_create(&a, dir, NULL, &s, spec, props, nprops, NULL, &e)) {
    fprintf(stderr, "%s\n", e.msg);
    return 1;
  }
  ice_write_opts o;
  ice_write_opts_init(&o);
  if (argc > 4) o.target_file_bytes = atoll(argv[4]);   /* 0: the default */
  orb_value *v = orb_malloc(sizeof(orb_value) * NCOLS * 256);
  char *texts = orb_malloc(32 * 256);
  int64_t id = 0;
  for (int k = 0; k < appends; k++) {
    ice_append *app;
    if (ice_append_begin(dir, &o, &app, &e)) {
      fprintf(stderr, "%s\n", e.msg);
      return 1;
    }
    for (int64_t done = 0; done < rows;) {
      int64_t n = rows - done < 256 ? rows - done : 256;
      for (int64_t i = 0; i < n; i++) {
        gen_row(id + i, v + i * NCOLS, texts + 32 * i);
        print_row(v + i * NCOLS);
      }
      if (ice_append_rows(app, v, n, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
      }
      id += n;
      done += n;
    }
    int64_t snap;
    if (ice_append_commit(app, &snap, NULL, &e)) {
      fprintf(stderr, "%s\n", e.msg);
      return 1;
    }
  }
  orb_free(v);
  orb_free(texts);
  orb_arena_free(&a);
  orb_schema_free(&s);
  return 0;
}
