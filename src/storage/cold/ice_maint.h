/*
** storage/cold/ice_maint.h — Iceberg table maintenance: expiring old
** snapshots and deleting the files only they reached, removing orphan files
** (debris of writers that died before committing), and deleting metadata
** files that dropped out of the metadata log.
**
** These are what Java's ExpireSnapshots and DeleteOrphanFiles actions do,
** with the same table properties and defaults:
**
**   ice_expire_snapshots   first the refs other than main whose snapshot is
**       older than their max-ref-age-ms (else the table's
**       history.expire.max-ref-age-ms; default forever) are dropped, as
**       Java's computeRetainedRefs does; then snapshots older than `older_than_ms` (default:
**       now - history.expire.max-snapshot-age-ms, 5 days) go, but every
**       branch keeps its head and at least `retain_last` snapshots of its
**       ancestry (default history.expire.min-snapshots-to-keep, 1; a ref's
**       own min-snapshots-to-keep / max-snapshot-age-ms win for that
**       branch), a tag's snapshot stays, and a snapshot on no branch stays
**       while it is newer than the cut-off.  The change is one metadata
**       commit (ice_meta_update: retried on conflict, re-applied to the
**       winner's metadata); the snapshot log keeps only the entries after the
**       last expired snapshot it named, as Java's builder does.  Only after
**       the commit are files deleted: the manifest lists of the expired
**       snapshots, the manifests no retained snapshot's manifest list names,
**       and the data and delete files those manifests name that no retained
**       manifest lists as live; also the metadata files that are neither
**       current nor in the metadata log.  Files outside the table folder
**       are never deleted.
**
**   ice_remove_orphans     every regular file under <table>/data and
**       <table>/metadata that nothing refers to — not a manifest list,
**       manifest, data or delete file of any snapshot of the current
**       metadata, not the current metadata file or one in its log, not
**       version-hint.text, not named by the metadata's other keys
**       (statistics files) — and last modified before `older_than_ms`
**       (default now - 3 days, Java's).  The folders are listed before the
**       metadata is read, so a commit that lands meanwhile protects its
**       files; a writer still writing files it has not committed is
**       protected only by the grace period, which is why it is days.
**       dry_run lists without deleting.
**
**   ice_meta_delete_dropped (ice_meta.h's companion, used by every commit)
**       when write.metadata.delete-after-commit.enabled is true, the
**       metadata files a commit pushed out of the log are deleted.
**
** Readers that planned a scan of an expired snapshot before it expired may
** find its files gone; that is the nature of expiry (Java's too).
**
** Compaction (ice_rewrite_data_files, below) rewrites small files and files
** with deletes into target-size ones.
**
** Progress: a long run reports through opts->progress: the phase's name
** ("expire_snapshots", "remove_orphan_files", "rewrite_data_files";
** "rewrite_manifests" counts manifests read) and files done out of a
** total known so far, at most every few hundred files.
**
** Names: ice_ prefix (DESIGN.md).
*/
#ifndef ORB_STORAGE_COLD_ICE_MAINT_H
#define ORB_STORAGE_COLD_ICE_MAINT_H

#include "storage/cold/ice_meta.h"

/* done out of total files of phase `what` (a static string). */
typedef void (*ice_progress_fn)(void *ctx, const char *what, int64_t done, int64_t total);

typedef struct ice_maint_opts {
  int64_t older_than_ms;         /* < 0: the default of the operation */
  int64_t retain_last;           /* expire: < 0: history.expire.min-snapshots-to-keep (default 1) */
  bool dry_run;                  /* orphans: list, delete nothing */
  int max_retries;               /* < 0: commit.retry.num-retries */
  ice_progress_fn progress;      /* may be NULL */
  void *progress_ctx;
  int64_t target_file_bytes;     /* rewrite: 0: write.target-file-size-bytes (default 512 MiB) */
  int64_t min_input_files;       /* rewrite: < 0: 5 (Java's min-input-files) */
  bool partial_progress;         /* rewrite: commit file groups as they finish (partial-progress.enabled) */
  int64_t max_commits;           /* rewrite with partial_progress: < 1: 10 (partial-progress.max-commits) */
  int64_t target_manifest_bytes; /* rewrite_manifests: 0: commit.manifest.target-size-bytes (default 8 MiB) */
  void (*before_commit)(void *ctx);   /* rewrite: called once the new files are written (tests) */
  void *before_commit_ctx;
} ice_maint_opts;

void ice_maint_opts_init(ice_maint_opts *o);

typedef struct ice_maint_result {
  int64_t expired_snapshots;
  int64_t expired_refs;          /* expire: branches and tags dropped by max-ref-age-ms */
  int64_t data_files;            /* deleted (orphans: found) */
  int64_t pos_delete_files;
  int64_t eq_delete_files;
  int64_t manifests;
  int64_t manifest_lists;
  int64_t metadata_files;        /* metadata JSON files */
  int64_t other_files;           /* orphans: anything else (temporary files, unknown names) */
  const char **paths;            /* orphans: the files found, when an arena was given */
  int npaths;
  int64_t rewritten_data_files;  /* rewrite: data files replaced */
  int64_t added_data_files;      /* rewrite: data files written */
  int64_t rewritten_bytes;       /* rewrite: bytes of the data files replaced */
  int64_t removed_delete_files;  /* rewrite: delete files that applied only to replaced files */
  int64_t failed_data_files;     /* rewrite with partial progress: files of groups whose commit failed */
  int64_t rewritten_manifests;   /* rewrite_manifests: data manifests replaced */
  int64_t added_manifests;       /* rewrite_manifests: data manifests written */
} ice_maint_result;

/* Expire snapshots of the owned table in folder table_dir (see above).
** res gets the counts of what was expired and deleted. */
orb_status ice_expire_snapshots(const char *table_dir, const ice_maint_opts *o, ice_maint_result *res, orb_err *e);

/* Remove (dry_run: find) orphan files of the table in folder table_dir.
** With an arena `a`, res->paths lists them (from a). */
orb_status ice_remove_orphans(orb_arena *a, const char *table_dir, const ice_maint_opts *o, ice_maint_result *res,
                              orb_err *e);

/* Compaction (Java's rewrite_data_files with its bin-packing defaults, made
** simple): the current snapshot's data files smaller than 3/4 of the target
** size (opts->target_file_bytes, else write.target-file-size-bytes, 512 MiB)
** and the data files that deletes apply to are grouped by partition (spec
** and tuple); a group with deletes, or of two or more files that are at
** least opts->min_input_files (default 5) or more than a target file's
** bytes, is read with its deletes applied and written again through the
** appender (files of the target size), then committed as a "replace"
** snapshot: a manifest of the new files, and the parent's manifests that
** held the old ones rewritten with those entries DELETED (the others
** EXISTING), the delete files that applied only to replaced files DELETED
** too.  One commit for all groups, or with opts->partial_progress one per
** share of the groups (at most opts->max_commits, default 10), each made
** as soon as its files are written; a share that loses to a concurrent
** change counts its files in res->failed_data_files and the rest go on
** (the run fails only when every share failed).  Rows are the same
** before and after.  A concurrent commit that removed one of the old files,
** or added a delete file, makes the commit fail with ORB_ERR_CONFLICT
** (40001) and removes the new files: run it again.  Tables with struct,
** list or map columns are refused (the appender writes no nested types).
** The old files stay until snapshot expiry deletes them. */
orb_status ice_rewrite_data_files(const char *table_dir, const ice_maint_opts *o, ice_maint_result *res, orb_err *e);

/* rewrite_manifests (Java's RewriteManifests, Spark's procedure of that
** name): the current snapshot's data manifests, per partition spec,
** written again into as few manifests as the target size
** (opts->target_manifest_bytes, else commit.manifest.target-size-bytes,
** 8 MiB) allows — ceil(total length / target) of them, the live entries
** shared out evenly in manifest order — every entry EXISTING with its
** snapshot id and sequence numbers written out, entries DELETED by earlier
** snapshots dropped (ice_manifest_merge.h).  Delete manifests carry
** forward as they are.  Committed as a "replace" snapshot (no data file
** added or removed; summary manifests-created, -kept, -replaced,
** entries-processed); a concurrent commit just makes it rewrite the new
** parent's manifests.  A table whose every spec already has at most one
** data manifest, no larger than the target and without DELETED entries,
** is left alone (nothing committed).  Progress: "rewrite_manifests",
** manifests read. */
orb_status ice_rewrite_manifests(const char *table_dir, const ice_maint_opts *o, ice_maint_result *res, orb_err *e);

/* Java's defaults, in milliseconds. */
#define ICE_EXPIRE_MAX_AGE_MS_DEFAULT (5LL * 24 * 3600 * 1000)    /* history.expire.max-snapshot-age-ms */
#define ICE_ORPHAN_AGE_MS_DEFAULT (3LL * 24 * 3600 * 1000)        /* remove_orphan_files older_than */
/* Java's rewrite_data_files options. */
#define ICE_MIN_INPUT_FILES_DEFAULT 5    /* min-input-files */
#define ICE_MAX_COMMITS_DEFAULT 10       /* partial-progress.max-commits */

#endif
