/*
** base/file.h — files and directories with durability.
**
** orb_file_write_atomic: write a whole file so that readers see either the
** old or the new contents, never a mix, even after power loss: write to
** "<path>.tmp", fsync it, rename over <path>, fsync the directory.
** orb_file_publish_noreplace: like rename but fails with ORB_ERR_DUPLICATE if
** the target exists (link()+unlink(), for Iceberg-style commits).
** orb_file_read_all: read a whole file into a heap buffer (orb_free), with
** a size limit so an unexpected huge file is refused, not loaded.
*/
#ifndef ORB_BASE_FILE_H
#define ORB_BASE_FILE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"

orb_status orb_file_write_atomic(const char *path, const void *data, size_t len, orb_err *e);
orb_status orb_file_publish_noreplace(const char *tmp_path, const char *path, orb_err *e);
orb_status orb_file_read_all(const char *path, size_t limit, char **data, size_t *len, orb_err *e);
orb_status orb_fsync_dir(const char *dir, orb_err *e);
orb_status orb_mkdir_p(const char *path, orb_err *e);
/* Write all bytes, retrying short writes and EINTR. */
orb_status orb_write_full(int fd, const void *p, size_t n, const char *what, orb_err *e);
bool orb_path_exists(const char *path);
/* Sum of the sizes of the regular files under dir, recursively (symbolic
** links not followed); files that vanish while it walks count as 0. */
int64_t orb_dir_bytes(const char *dir);

#endif
