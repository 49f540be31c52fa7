/* fuzz/fuzz_ice_meta.c — libFuzzer target for Iceberg table metadata JSON
** (plain or gzip): the input must parse or fail with an error, never crash,
** hang or allocate without bound.  What parses must also survive the trip
** through the writer: written back and parsed again it gives the same JSON
** text (a model the reader accepts is one the writer can express, except a
** v1 snapshot listing manifests inline, which the writer refuses by design).
** The SQL type of every current column and the re-rooting of every manifest
** list are exercised too.
**
** The same bytes also go through ice_meta_parse_current, the read of scans
** that leaves the history out (its own JSON scanner first): whatever the
** full reader accepts it must accept, with the same current snapshot,
** schemas and refs; when it fails, it fails as the full reader does (same
** status and message); a partial model is refused by the writer.  Seeds:
** the iceberg-trino fixtures' metadata files (test.sh passes them
** read-only). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "storage/cold/ice_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_str(const char *x, const char *y) { return x == y || (x && y && strcmp(x, y) == 0); }

/* ice_meta_parse_current against the full reader's result (st, m, e). */
static void check_current(orb_arena *a, const uint8_t *data, size_t size, orb_status st, const ice_meta *m,
                          const orb_err *e) {
  orb_err ec;
  orb_err_clear(&ec);
  ice_meta c;
  orb_status sc = ice_meta_parse_current(a, data, size, "fuzz", &c, &ec);
  if (sc != ORB_OK) {
    if (sc != st || strcmp(ec.msg, e->msg) != 0) abort();   /* its errors are the full reader's */
    return;
  }
  if (c.partial) {
    char *j;
    size_t l;
    if (ice_meta_to_json(&c, &j, &l, &ec) != ORB_ERR_INTERNAL) abort();   /* would lose the history */
  }
  if (st != ORB_OK) return;   /* a flaw in the history left out: seen when it is read */
  if (c.format_version != m->format_version || c.current_snapshot_id != m->current_snapshot_id ||
      c.current_schema_id != m->current_schema_id || c.nschemas != m->nschemas || c.nspecs != m->nspecs ||
      c.nrefs != m->nrefs || !same_str(c.location, m->location) || c.nsnapshots > m->nsnapshots)
    abort();
  const ice_snapshot *fs = ice_meta_current_snapshot(m), *cs = ice_meta_current_snapshot(&c);
  if (!fs != !cs) abort();
  if (fs && (cs->sequence_number != fs->sequence_number || !same_str(cs->manifest_list, fs->manifest_list) ||
             cs->nsummary != fs->nsummary))
    abort();
  for (int i = 0; i < c.nrefs; i++)
    if (c.refs[i].snapshot_id != m->refs[i].snapshot_id || !ice_meta_snapshot(&c, c.refs[i].snapshot_id)) abort();
  if (!c.partial && (c.nsnapshots != m->nsnapshots || c.nsnapshot_log != m->nsnapshot_log ||
                     c.nmetadata_log != m->nmetadata_log))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  ice_meta m;
  orb_status full = ice_meta_parse(&a, data, size, "fuzz", &m, &e);
  check_current(&a, data, size, full, &m, &e);
  if (full == ORB_OK) {
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
