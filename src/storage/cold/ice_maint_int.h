/*
** storage/cold/ice_maint_int.h — private to table maintenance
** (ice_expire.c, ice_orphan.c, ice_maint_files.c): sets of paths, the
** entries of one manifest, what a snapshot reaches, and progress reports.
*/
#ifndef ORB_STORAGE_COLD_ICE_MAINT_INT_H
#define ORB_STORAGE_COLD_ICE_MAINT_INT_H

#include "base/hash.h"
#include "storage/cold/ice_maint.h"

/* A set of local paths (strings copied into the arena given to add), in
** the order they were added. */
typedef struct ice_pathset {
  orb_hmap h;
  const char **v;                /* heap */
  int n, cap;
} ice_pathset;

void ice_pathset_init(ice_pathset *s);
void ice_pathset_free(ice_pathset *s);
/* true when path was not in the set yet */
bool ice_pathset_add(orb_arena *a, ice_pathset *s, const char *path);
bool ice_pathset_has(const ice_pathset *s, const char *path);

/* One entry of a manifest: its file's local path (NULL when the file is
** outside the table's location: never ours to delete), content
** (ICE_CONTENT_* of ice_scan.h) and whether it is live (ADDED or EXISTING). */
typedef struct ice_entry {
  const char *path;
  int content;
  bool live;
} ice_entry;

/* The local path of `loc` (a path in the table's location terms) under
** table_dir, or NULL when it is not under the location. */
orb_status ice_maint_local(orb_arena *a, const ice_meta *m, const char *table_dir, const char *loc, const char **out,
                           orb_err *e);

/* Every entry of the manifest at local path `path`. */
orb_status ice_manifest_entries(orb_arena *a, const char *table_dir, const ice_meta *m, const char *path,
                                ice_entry **out, int *n, orb_err *e);

/* What snapshot s reaches, as local paths: its manifest list into lists,
** the manifests it names into manifests, and their entries' files into
** files (live ones only, or every entry when all_entries).  Missing manifest
** lists or manifests are an error (a table whose files were deleted by hand
** is not one to delete more from). */
orb_status ice_snapshot_reach(orb_arena *a, const char *table_dir, const ice_meta *m, const ice_snapshot *s,
                              bool all_entries, ice_pathset *lists, ice_pathset *manifests, ice_pathset *files,
                              orb_err *e);

/* Progress reports at most every ICE_PROGRESS_STEP files. */
#define ICE_PROGRESS_STEP 64
void ice_progress(const ice_maint_opts *o, const char *what, int64_t done, int64_t total);

/* Delete a file (ENOENT counts as done: someone else deleted it). */
orb_status ice_maint_unlink(const char *path, orb_err *e);

#endif
