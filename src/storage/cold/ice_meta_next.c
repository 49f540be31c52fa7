/* storage/cold/ice_meta_next.c — the bookkeeping every metadata commit does
** (see ice_meta.h): the timestamp and the metadata log with its cap, and
** deleting the metadata files the cap pushed out when the table asks. */
#include "storage/cold/ice_meta.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define ICE_PREVIOUS_VERSIONS_MAX_DEFAULT 100   /* Java's write.metadata.previous-versions-max */

orb_status ice_meta_prepare_commit(orb_arena *a, const ice_meta *base, const char *base_file, int64_t now_ms,
                                   ice_meta *next, orb_err *e) {
  long long max = ICE_PREVIOUS_VERSIONS_MAX_DEFAULT;
  const char *prop = ice_kv_get(next->properties, next->nproperties, "write.metadata.previous-versions-max");
  if (prop) {
    char *end;
    errno = 0;
    max = strtoll(prop, &end, 10);
    if (errno || end == prop || *end)
      return orb_err_set(e, ORB_ERR_INVALID_TEXT,
                         "iceberg: table property write.metadata.previous-versions-max is not a number: \"%s\"", prop);
  }
  if (max < 1) max = 1;
  next->last_updated_ms = now_ms > base->last_updated_ms ? now_ms : base->last_updated_ms;

  /* The log names files by their location in the table's own terms (where
  ** other engines look), not by the local folder it was opened from. */
  const char *name = strrchr(base_file, '/');
  name = name ? name + 1 : base_file;
  size_t ll = strlen(base->location);
  while (ll > 0 && base->location[ll - 1] == '/') ll--;
  const char *loc = orb_arena_sprintf(a, "%.*s/metadata/%s", (int)ll, base->location, name);

  int n = base->nmetadata_log + 1;
  int keep = n > max ? (int)max : n;
  ice_metadata_log_entry *log = orb_arena_zalloc(a, ((size_t)keep + 1) * sizeof *log);
  for (int i = 0; i < keep - 1; i++) log[i] = base->metadata_log[base->nmetadata_log - (keep - 1) + i];
  log[keep - 1].timestamp_ms = base->last_updated_ms;
  log[keep - 1].metadata_file = loc;
  next->metadata_log = log;
  next->nmetadata_log = keep;
  return ORB_OK;
}

void ice_meta_delete_dropped(orb_arena *a, const char *table_dir, const ice_meta *base, const ice_meta *next) {
  const char *on = ice_kv_get(next->properties, next->nproperties, "write.metadata.delete-after-commit.enabled");
  if (!on || strcasecmp(on, "true") != 0) return;
  for (int i = 0; i < base->nmetadata_log; i++) {
    const char *f = base->metadata_log[i].metadata_file;
    bool kept = false;
    for (int k = 0; k < next->nmetadata_log && !kept; k++) kept = strcmp(next->metadata_log[k].metadata_file, f) == 0;
    if (kept) continue;
    const char *local;
    bool moved;
    orb_err ignore;
    if (ice_reroot(a, base->location, table_dir, f, &local, &moved, &ignore) == ORB_OK && moved) (void)unlink(local);
  }
}
