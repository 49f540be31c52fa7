/* base/file.c — durable file operations (see file.h). */
#include "base/file.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

orb_status orb_write_full(int fd, const void *p, size_t n, const char *what, orb_err *e) {
  const char *b = p;
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return orb_err_set(e, ORB_ERR_IO, "could not write %s: %s", what, strerror(errno));
    }
    b += w;
    n -= (size_t)w;
  }
  return ORB_OK;
}

orb_status orb_fsync_dir(const char *dir, orb_err *e) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "could not open directory \"%s\": %s", dir, strerror(errno));
  int rc = fsync(fd);
  int saved = errno;
  close(fd);
  if (rc != 0) return orb_err_set(e, ORB_ERR_IO, "could not fsync directory \"%s\": %s", dir, strerror(saved));
  return ORB_OK;
}

static void dir_of(const char *path, char *out, size_t cap) {
  snprintf(out, cap, "%s", path);
  char *d = dirname(out);
  if (d != out) memmove(out, d, strlen(d) + 1);
}

orb_status orb_file_write_atomic(const char *path, const void *data, size_t len, orb_err *e) {
  char tmp[4096], dir[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "could not create \"%s\": %s", tmp, strerror(errno));
  orb_status st = orb_write_full(fd, data, len, tmp, e);
  if (st == ORB_OK && fsync(fd) != 0) st = orb_err_set(e, ORB_ERR_IO, "could not fsync \"%s\": %s", tmp, strerror(errno));
  close(fd);
  if (st == ORB_OK && rename(tmp, path) != 0)
    st = orb_err_set(e, ORB_ERR_IO, "could not rename \"%s\" to \"%s\": %s", tmp, path, strerror(errno));
  if (st != ORB_OK) {
    unlink(tmp);
    return st;
  }
  dir_of(path, dir, sizeof dir);
  return orb_fsync_dir(dir, e);
}

orb_status orb_file_publish_noreplace(const char *tmp_path, const char *path, orb_err *e) {
  if (link(tmp_path, path) != 0) {
    if (errno == EEXIST) return orb_err_set(e, ORB_ERR_DUPLICATE, "\"%s\" already exists", path);
    return orb_err_set(e, ORB_ERR_IO, "could not publish \"%s\": %s", path, strerror(errno));
  }
  unlink(tmp_path);
  char dir[4096];
  dir_of(path, dir, sizeof dir);
  return orb_fsync_dir(dir, e);
}

orb_status orb_file_read_all(const char *path, size_t limit, char **data, size_t *len, orb_err *e) {
  *data = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return orb_err_set(e, ORB_ERR_IO, "could not open \"%s\": %s", path, strerror(errno));
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    close(fd);
    return orb_err_set(e, ORB_ERR_IO, "could not stat \"%s\": %s", path, strerror(errno));
  }
  if (limit && (size_t)sb.st_size > limit) {
    close(fd);
    return orb_err_set(e, ORB_ERR_LIMIT, "\"%s\" is %lld bytes, over the limit of %zu", path,
                       (long long)sb.st_size, limit);
  }
  size_t cap = (size_t)sb.st_size + 1, n = 0;
  char *buf = orb_malloc(cap);
  for (;;) {
    if (n + 1 >= cap) {
      if (limit && cap > limit) {
        orb_free(buf);
        close(fd);
        return orb_err_set(e, ORB_ERR_LIMIT, "\"%s\" grew over the limit of %zu bytes", path, limit);
      }
      cap *= 2;
      buf = orb_realloc(buf, cap);
    }
    ssize_t r = read(fd, buf + n, cap - n - 1);
    if (r < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      orb_free(buf);
      close(fd);
      return orb_err_set(e, ORB_ERR_IO, "could not read \"%s\": %s", path, strerror(saved));
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return ORB_OK;
}

orb_status orb_mkdir_p(const char *path, orb_err *e) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  size_t n = strlen(tmp);
  for (size_t i = 1; i <= n; i++) {
    if (tmp[i] == '/' || tmp[i] == '\0') {
      char c = tmp[i];
      tmp[i] = '\0';
      if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return orb_err_set(e, ORB_ERR_IO, "could not create directory \"%s\": %s", tmp, strerror(errno));
      tmp[i] = c;
    }
  }
  return ORB_OK;
}

bool orb_path_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* depth bounds the recursion: a database directory is a few levels deep */
static int64_t dir_bytes(const char *dir, int depth) {
  DIR *d = depth < 32 ? opendir(dir) : NULL;
  if (!d) return 0;
  int64_t total = 0;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    size_t n = strlen(dir) + strlen(ent->d_name) + 2;
    char *path = orb_malloc(n);
    snprintf(path, n, "%s/%s", dir, ent->d_name);
    struct stat st;
    if (lstat(path, &st) == 0) {
      if (S_ISREG(st.st_mode)) total += (int64_t)st.st_size;
      else if (S_ISDIR(st.st_mode)) total += dir_bytes(path, depth + 1);
    }
    orb_free(path);
  }
  closedir(d);
  return total;
}

int64_t orb_dir_bytes(const char *dir) { return dir_bytes(dir, 0); }
