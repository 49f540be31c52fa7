/* fuzz/fuzz_ice_meta.c — libFuzzer target for Iceberg table metadata JSON
** (plain or gzip): the input must parse or fail with an error, never crash,
** hang or allocate without bound.  What parses must also survive the trip
** through the writer: written back and parsed again it gives the same JSON
** text (a model the reader accepts is one the writer can express, except a
** v1 snapshot listing manifests inline, which the writer refuses by design).
** The SQL type of every current column and the re-rooting of every manifest
** list are exercised too.  Seeds: the iceberg-trino fixtures' metadata files
** (test.sh passes them read-only). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "storage/cold/ice_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  ice_meta m;
  if (ice_meta_parse(&a, data, size, "fuzz", &m, &e) == ORB_OK) {
    const ice_schema *s = ice_meta_current_schema(&m);
    for (int i = 0; i < s->nfields; i++) {
      orb_type t;
      (void)ice_sql_type(s->fields[i].type, &t, &e);
      (void)ice_type_name(&a, s->fields[i].type);
    }
    for (int i = 0; i < m.nsnapshots; i++) {
      const char *out;
      bool r;
      if (m.snapshots[i].manifest_list)
        (void)ice_reroot(&a, m.location, "/tmp/t", m.snapshots[i].manifest_list, &out, &r, &e);
    }
    char *j1, *j2;
    size_t l1, l2;
    orb_status st = ice_meta_to_json(&m, &j1, &l1, &e);
    if (st == ORB_OK) {
      ice_meta m2;
      if (ice_meta_parse(&a, j1, l1, "fuzz-written", &m2, &e) != ORB_OK) abort();   /* we wrote what we refuse */
      if (ice_meta_to_json(&m2, &j2, &l2, &e) != ORB_OK) abort();
      if (l1 != l2 || memcmp(j1, j2, l1) != 0) abort();                            /* not a fixed point */
      orb_free(j2);
      orb_free(j1);
    } else if (st != ORB_ERR_UNSUPPORTED) {
      abort();
    }
  }
  orb_arena_free(&a);
  return 0;
}
