/* tests/storage/ice_meta_dump.c — prints what ice_meta reads, one fact a
** line, so that tests/storage/ice_meta_test.py can compare it with the same
** facts taken from the JSON by python3's json module.
**
**   ice_meta_dump show <table folder | metadata file>
**   ice_meta_dump write <metadata file> <out.json>    parse, then write v2 JSON
**   ice_meta_dump commit <table folder> <copy of a metadata file>
**
** Exit status 1 with the error message on stderr when reading fails. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/mem.h"
#include "storage/catalog.h"
#include "storage/cold/ice_meta.h"

static void print_str(const char *s) {
  /* JSON-ish quoting keeps odd bytes on one line, comparable from python. */
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') printf("\\%c", *p);
    else if (*p < 0x20) printf("\\u%04x", *p);
    else putchar(*p);
  }
  putchar('"');
}

static void print_type(orb_arena *a, const ice_type *t);

static void print_fields(orb_arena *a, const ice_field *f, int n) {
  printf("{");
  for (int i = 0; i < n; i++) {
    printf("%s%d ", i ? ", " : "", (int)f[i].id);
    print_str(f[i].name);
    printf(" %s ", f[i].required ? "required" : "optional");
    print_type(a, f[i].type);
  }
  printf("}");
}

static void print_type(orb_arena *a, const ice_type *t) {
  switch (t->kind) {
  case ICE_STRUCT: printf("struct"); print_fields(a, t->fields, t->nfields); break;
  case ICE_LIST:
    printf("list<%d %s ", (int)t->element_id, t->element_required ? "required" : "optional");
    print_type(a, t->element);
    printf(">");
    break;
  case ICE_MAP:
    printf("map<%d ", (int)t->key_id);
    print_type(a, t->key);
    printf(", %d %s ", (int)t->value_id, t->value_required ? "required" : "optional");
    print_type(a, t->value);
    printf(">");
    break;
  default: printf("%s", ice_type_name(a, t));
  }
}

static const char *transform_desc(orb_arena *a, const ice_transform *t) {
  static const char *const names[] = {"unknown", "identity", "bucket", "truncate", "year",
                                      "month",   "day",      "hour",   "void"};
  if (t->kind == ICE_TR_BUCKET || t->kind == ICE_TR_TRUNCATE)
    return orb_arena_sprintf(a, "%s(%d)", names[t->kind], (int)t->param);
  if (t->kind == ICE_TR_UNKNOWN) return orb_arena_sprintf(a, "unknown(%s)", t->text);
  return names[t->kind];
}

static void show(orb_arena *a, const ice_meta *m) {
  printf("format-version %d\n", m->format_version);
  printf("table-uuid %s\n", m->table_uuid ? m->table_uuid : "-");
  printf("location %s\n", m->location);
  printf("last-sequence-number %" PRId64 "\n", m->last_sequence_number);
  printf("last-updated-ms %" PRId64 "\n", m->last_updated_ms);
  printf("last-column-id %d\n", (int)m->last_column_id);
  printf("current-schema-id %d\n", (int)m->current_schema_id);
  for (int i = 0; i < m->nschemas; i++) {
    const ice_schema *s = &m->schemas[i];
    printf("schema %d ", (int)s->schema_id);
    print_fields(a, s->fields, s->nfields);
    printf(" identifier [");
    for (int j = 0; j < s->nidentifier; j++) printf("%s%d", j ? "," : "", (int)s->identifier_ids[j]);
    printf("]\n");
  }
  const ice_schema *cur = ice_meta_current_schema(m);
  for (int i = 0; i < cur->nfields; i++) {
    orb_type t;
    orb_err e;
    orb_err_clear(&e);
    printf("sql %d ", (int)cur->fields[i].id);
    if (ice_sql_type(cur->fields[i].type, &t, &e) == ORB_OK) {
      printf("%s", catalog_type_name(t.id));
      if (t.id == ORB_T_DECIMAL) printf("(%d,%d)", t.precision, t.scale);
      printf("\n");
    } else {
      printf("unsupported %s\n", e.code == ORB_ERR_UNSUPPORTED ? "ok" : "wrong-code");
    }
  }
  printf("default-spec-id %d\n", (int)m->default_spec_id);
  printf("last-partition-id %d\n", (int)m->last_partition_id);
  for (int i = 0; i < m->nspecs; i++) {
    printf("spec %d [", (int)m->specs[i].spec_id);
    for (int j = 0; j < m->specs[i].nfields; j++) {
      const ice_partition_field *f = &m->specs[i].fields[j];
      printf("%s%d<-%d ", j ? ", " : "", (int)f->field_id, (int)f->source_id);
      print_str(f->name);
      printf(" %s", transform_desc(a, &f->transform));
    }
    printf("]\n");
  }
  printf("default-sort-order-id %d\n", (int)m->default_sort_order_id);
  for (int i = 0; i < m->nsort_orders; i++) {
    printf("sort-order %d [", (int)m->sort_orders[i].order_id);
    for (int j = 0; j < m->sort_orders[i].nfields; j++) {
      const ice_sort_field *f = &m->sort_orders[i].fields[j];
      printf("%s%d %s %s %s", j ? ", " : "", (int)f->source_id, transform_desc(a, &f->transform),
             f->descending ? "desc" : "asc", f->nulls_first ? "nulls-first" : "nulls-last");
    }
    printf("]\n");
  }
  for (int i = 0; i < m->nproperties; i++) {
    printf("property ");
    print_str(m->properties[i].key);
    printf(" ");
    print_str(m->properties[i].value);
    printf("\n");
  }
  printf("current-snapshot-id %" PRId64 "\n", m->current_snapshot_id);
  printf("snapshots %d\n", m->nsnapshots);
  for (int i = 0; i < m->nsnapshots; i++) {
    const ice_snapshot *s = &m->snapshots[i];
    printf("snapshot %" PRId64 " parent ", s->snapshot_id);
    if (s->has_parent) printf("%" PRId64, s->parent_id);
    else printf("-");
    printf(" seq %" PRId64 " ts %" PRId64 " schema ", s->sequence_number, s->timestamp_ms);
    if (s->has_schema_id) printf("%d", (int)s->schema_id);
    else printf("-");
    printf(" list %s\n", s->manifest_list ? s->manifest_list : "-");
    for (int j = 0; j < s->nsummary; j++) {
      printf("summary %" PRId64 " ", s->snapshot_id);
      print_str(s->summary[j].key);
      printf(" ");
      print_str(s->summary[j].value);
      printf("\n");
    }
  }
  for (int i = 0; i < m->nrefs; i++) {
    const ice_ref *r = &m->refs[i];
    printf("ref ");
    print_str(r->name);
    printf(" %s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", r->is_tag ? "tag" : "branch", r->snapshot_id,
           r->min_snapshots_to_keep, r->max_snapshot_age_ms, r->max_ref_age_ms);
  }
  for (int i = 0; i < m->nsnapshot_log; i++)
    printf("snapshot-log %" PRId64 " %" PRId64 "\n", m->snapshot_log[i].timestamp_ms, m->snapshot_log[i].snapshot_id);
  for (int i = 0; i < m->nmetadata_log; i++)
    printf("metadata-log %" PRId64 " %s\n", m->metadata_log[i].timestamp_ms, m->metadata_log[i].metadata_file);
  printf("extra-keys");
  for (int i = 0; i < m->extra.n; i++) printf(" %s", m->extra.items[i].key);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: ice_meta_dump show|write|commit ...\n");
    return 2;
  }
  orb_arena a;
  orb_arena_init(&a, 0);
  orb_err e;
  orb_err_clear(&e);
  ice_meta m;
  int rc = 0;
  if (strcmp(argv[1], "show") == 0) {
    ice_meta_file f;
    if (ice_meta_open(&a, argv[2], &m, &f, &e) != ORB_OK) goto fail;
    printf("file %s version %" PRId64 "\n", strrchr(f.path, '/') ? strrchr(f.path, '/') + 1 : f.path, f.version);
    show(&a, &m);
  } else if (strcmp(argv[1], "write") == 0 && argc == 4) {
    char *json;
    size_t len;
    if (ice_meta_read_file(&a, argv[2], &m, &e) != ORB_OK || ice_meta_to_json(&m, &json, &len, &e) != ORB_OK) goto fail;
    FILE *out = fopen(argv[3], "w");
    if (!out || fwrite(json, 1, len, out) != len || fclose(out) != 0) {
      fprintf(stderr, "could not write %s\n", argv[3]);
      rc = 1;
    }
    orb_free(json);
  } else if (strcmp(argv[1], "commit") == 0 && argc == 4) {
    ice_meta_file f;
    ice_meta base;
    const char *published;
    if (ice_meta_open(&a, argv[2], &base, &f, &e) != ORB_OK || ice_meta_read_file(&a, argv[3], &m, &e) != ORB_OK ||
        ice_meta_commit(&a, argv[2], f.version, &m, &published, &e) != ORB_OK)
      goto fail;
    printf("%s\n", published);
  } else {
    fprintf(stderr, "bad arguments\n");
    rc = 2;
  }
  orb_arena_free(&a);
  return rc;
fail:
  fprintf(stderr, "%s\n", e.msg);
  orb_arena_free(&a);
  return 1;
}
