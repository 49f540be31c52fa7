/* fuzz/fuzz_ice_manifest.c — libFuzzer target for Iceberg manifests as scan
** planning reads them (storage/cold/ice_scan.h): the input is one manifest
** (an Avro container file) planned as a manifest list would name it, once
** as a data manifest of sequence number 1 and once of 3, under a fixed v2
** table metadata with an unpartitioned and an identity-partitioned spec.
** It must plan or fail with an error, never crash, hang or allocate without
** bound; what plans has each live file's partition values decoded as the
** reader would fill them in; planned again with constraints on the three
** columns, every entry's partition tuple and column metrics are judged.  Seeds: the iceberg-trino fixtures' Avro files
** (test.sh passes their folders, read-only). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "storage/cold/ice_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char table_json[] =
    "{\"format-version\":2,\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\",\"location\":\"s3a://warehouse/t\","
    "\"last-sequence-number\":3,\"last-updated-ms\":1,\"last-column-id\":3,\"current-schema-id\":0,"
    "\"schemas\":[{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"c1\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":2,\"name\":\"c2\",\"required\":false,\"type\":\"date\"},{\"id\":3,\"name\":\"c3\",\"required\":false,\"type\":\"decimal(9, 2)\"}]}],"
    "\"default-spec-id\":1,\"partition-specs\":[{\"spec-id\":0,\"fields\":[]},{\"spec-id\":1,\"fields\":["
    "{\"name\":\"c1\",\"transform\":\"identity\",\"source-id\":1,\"field-id\":1000},"
    "{\"name\":\"c2\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1001},"
    "{\"name\":\"c3\",\"transform\":\"identity\",\"source-id\":3,\"field-id\":1002}]}],"
    "\"last-partition-id\":1002,\"default-sort-order-id\":0,\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],"
    "\"properties\":{},\"current-snapshot-id\":-1,\"refs\":{},\"snapshots\":[],\"snapshot-log\":[],\"metadata-log\":[]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  ice_meta m;
  if (ice_meta_parse(&a, table_json, sizeof table_json - 1, "fuzz table", &m, &e) != ORB_OK) __builtin_trap();
  /* constraints on all three columns: partition values and column metrics
  ** (bounds decoded by ice_value_deserialize) of every entry are judged */
  orb_value in[2] = {orb_int(ORB_T_INT32, 1), orb_int(ORB_T_INT32, 2)};
  ice_pred preds[3];
  memset(preds, 0, sizeof preds);
  preds[0].field_id = 1, preds[0].kind = ICE_PRED_IN, preds[0].in = in, preds[0].nin = 2;
  preds[1].field_id = 2, preds[1].kind = ICE_PRED_RANGE, preds[1].has_lo = true, preds[1].lo_incl = true;
  preds[1].lo = orb_int(ORB_T_DATE, 20000);
  preds[2].field_id = 3, preds[2].kind = ICE_PRED_NOT_NULL;
  for (int spec = 0; spec <= 3; spec++) {
    ice_plan p;
    orb_status st = spec < 2 ? ice_scan_manifest_image(&a, &m, data, size, spec, spec ? 3 : 1, 7, &p, &e)
                             : ice_scan_manifest_image_pruned(&a, &m, data, size, spec - 2, 3, 7, preds, 3, &p, &e);
    if (st != ORB_OK) continue;
    for (int i = 0; i < p.nfiles; i++) {
      const ice_file *f = &p.files[i];
      if (f->ndeletes && !p.any_deletes) __builtin_trap();
      for (int k = 0; k < 3; k++) {
        orb_value v;
        const avro_value *pv = ice_partition_value(f, 1000 + k);
        if (pv) (void)ice_avro_to_value(pv, m.schemas[0].fields[k].type, &a, &v, &e);
      }
    }
  }
  orb_arena_free(&a);
  return 0;
}
