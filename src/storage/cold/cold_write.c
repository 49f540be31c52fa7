/* storage/cold/cold_write.c — the database's own Iceberg tables: creating
** one, appending to it in step with a write set, removing its folder (see
** cold_tier.h).  The Iceberg write path itself (data files, manifests,
** commits) is storage/cold/ice_write.h's; until it is in this build,
** creating and appending answer "not available yet". */
#include "storage/cold/cold_tier.h"
#include "storage/storage_int.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>

static orb_status not_yet(orb_err *e) {
  return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                      "CREATE TABLE ... USING iceberg is not available yet: the Iceberg write path is not in this build; "
                      "attach an existing table with CREATE EXTERNAL TABLE ... LOCATION");
}

orb_status cold_table_create(const char *dir, const orb_schema *schema, const char *partition_by, orb_err *e) {
  (void)dir, (void)schema, (void)partition_by;
  return not_yet(e);
}

orb_status cold_append_insert(orb_tier *t, const char *dir, const orb_schema *schema, orb_wset *ws,
                              const orb_value *const *rows, int n, orb_err *e) {
  (void)t, (void)dir, (void)schema, (void)ws, (void)rows, (void)n;
  return not_yet(e);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(p) == 0 || errno == ENOENT ? 0 : -1;
}

orb_status cold_table_remove(const char *dir, orb_err *e) {
  if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
    return orb_err_set(e, ORB_ERR_IO, "could not remove Iceberg table folder \"%s\": %s", dir, strerror(errno));
  return ORB_OK;
}
