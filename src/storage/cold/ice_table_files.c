/* storage/cold/ice_table_files.c — a table folder's metadata files: finding
** the current one, and committing the next one as a file-system table does
** (see ice_meta.h). */
#include "storage/cold/ice_meta.h"
#include "base/file.h"
#include "base/mem.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* The endings a metadata file may have: plain, and both gzip spellings the
** spec mentions ("Naming for GZIP compressed Metadata JSON files"). */
static const char *const meta_suffixes[] = {".metadata.json", ".gz.metadata.json", ".metadata.json.gz"};
#define NSUFFIXES (sizeof meta_suffixes / sizeof meta_suffixes[0])

static bool is_suffix(const char *s) {
  for (size_t i = 0; i < NSUFFIXES; i++)
    if (strcmp(s, meta_suffixes[i]) == 0) return true;
  return false;
}

/* 1..18 decimal digits at s (so the value fits int64), advancing *end. */
static bool digits(const char *s, int64_t *v, const char **end) {
  int n = 0;
  int64_t x = 0;
  while (isdigit((unsigned char)s[n])) {
    if (n == 18) return false;
    x = x * 10 + (s[n] - '0');
    n++;
  }
  if (n == 0) return false;
  *v = x;
  *end = s + n;
  return true;
}

static bool is_uuid(const char *s) {
  for (int i = 0; i < 36; i++) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
  }
  return true;
}

/* The version a metadata file name carries: vN.metadata.json (file-system
** tables) or NNNNN-<uuid>.metadata.json (catalog tables), gzip spellings
** included; -1 for any other name. */
int64_t ice_meta_file_version(const char *name) {
  int64_t v;
  const char *p;
  if (name[0] == 'v' && digits(name + 1, &v, &p) && is_suffix(p)) return v;
  if (digits(name, &v, &p) && *p == '-' && strlen(p + 1) >= 36 && is_uuid(p + 1) && is_suffix(p + 37)) return v;
  return -1;
}

static bool is_dir(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The file of version v under file-system naming, or NULL. */
static const char *fs_version_file(orb_arena *a, const char *mdir, int64_t v) {
  for (size_t i = 0; i < NSUFFIXES; i++) {
    const char *p = orb_arena_sprintf(a, "%s/v%lld%s", mdir, (long long)v, meta_suffixes[i]);
    if (is_file(p)) return p;
  }
  return NULL;
}

/* version-hint.text: a version number, possibly with whitespace around. */
static bool read_hint(const char *mdir, int64_t *v) {
  char path[4096], *data = NULL;
  size_t len;
  orb_err ignore;
  snprintf(path, sizeof path, "%s/version-hint.text", mdir);
  if (!is_file(path) || orb_file_read_all(path, 64, &data, &len, &ignore) != ORB_OK) return false;
  const char *p = data, *end;
  while (isspace((unsigned char)*p)) p++;
  bool ok = digits(p, v, &end);
  if (ok) {
    while (isspace((unsigned char)*end)) end++;
    ok = *end == '\0';
  }
  orb_free(data);
  return ok;
}

static orb_status list_highest(orb_arena *a, const char *mdir, ice_meta_file *out, orb_err *e) {
  DIR *d = opendir(mdir);
  if (!d) return orb_err_set(e, ORB_ERR_IO, "iceberg: could not list \"%s\": %s", mdir, strerror(errno));
  int64_t best = -1;
  char best_name[512] = "", other[512] = "";
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    int64_t v = ice_meta_file_version(de->d_name);
    if (v < 0 || strlen(de->d_name) >= sizeof best_name) continue;
    if (v > best) {
      best = v;
      snprintf(best_name, sizeof best_name, "%s", de->d_name);
      other[0] = '\0';
    } else if (v == best) {
      snprintf(other, sizeof other, "%s", de->d_name);
    }
  }
  closedir(d);
  if (best < 0) return orb_err_set(e, ORB_ERR_UNDEFINED, "iceberg: no table metadata file in \"%s\"", mdir);
  if (other[0])
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: two metadata files in \"%s\" claim version %lld: %s and %s",
                       mdir, (long long)best, best_name, other);
  out->path = orb_arena_sprintf(a, "%s/%s", mdir, best_name);
  out->version = best;
  return ORB_OK;
}

orb_status ice_find_current(orb_arena *a, const char *where, ice_meta_file *out, orb_err *e) {
  out->path = NULL;
  out->version = 0;
  if (is_file(where)) {
    const char *base = strrchr(where, '/');
    int64_t v = ice_meta_file_version(base ? base + 1 : where);
    out->path = orb_arena_strdup(a, where);
    out->version = v < 0 ? 0 : v;
    return ORB_OK;
  }
  if (!is_dir(where)) return orb_err_set(e, ORB_ERR_UNDEFINED, "iceberg: \"%s\" is not a table folder or metadata file", where);
  const char *mdir = orb_arena_sprintf(a, "%s/metadata", where);
  if (!is_dir(mdir)) mdir = where;   /* pointed at metadata/ itself */
  int64_t v;
  if (read_hint(mdir, &v)) {
    const char *p = fs_version_file(a, mdir, v);
    if (p) {
      /* A committer updates the hint after publishing, and may die in
      ** between: newer versions may exist, so look past the hint. */
      const char *next;
      while (v < INT64_MAX && (next = fs_version_file(a, mdir, v + 1)) != NULL) {
        v++;
        p = next;
      }
      out->path = p;
      out->version = v;
      return ORB_OK;
    }
  }
  return list_highest(a, mdir, out, e);
}

orb_status ice_meta_open(orb_arena *a, const char *where, ice_meta *out, ice_meta_file *file, orb_err *e) {
  ice_meta_file f;
  orb_status st = ice_find_current(a, where, &f, e);
  if (st) return st;
  if (file) *file = f;
  return ice_meta_read_file(a, f.path, out, e);
}

orb_status ice_meta_commit(orb_arena *a, const char *table_dir, int64_t base_version, const ice_meta *next,
                           const char **published, orb_err *e) {
  if (published) *published = NULL;
  if (base_version < 0 || base_version >= INT64_MAX)
    return orb_err_set(e, ORB_ERR_MISUSE, "iceberg: cannot commit after version %lld", (long long)base_version);
  const char *mdir = orb_arena_sprintf(a, "%s/metadata", table_dir);
  orb_status st = orb_mkdir_p(mdir, e);
  if (st) return st;
  char *json;
  size_t len;
  if ((st = ice_meta_to_json(next, &json, &len, e))) return st;

  /* A unique temporary name nobody lists as metadata (hidden, no version). */
  uint8_t rnd[16];
  if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
    orb_free(json);
    return orb_err_set(e, ORB_ERR_IO, "iceberg: no random bytes for a temporary name: %s", strerror(errno));
  }
  char hex[33];
  for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
  const char *tmp = orb_arena_sprintf(a, "%s/.%s.metadata.json.tmp", mdir, hex);
  int64_t v = base_version + 1;
  const char *final = orb_arena_sprintf(a, "%s/v%lld.metadata.json", mdir, (long long)v);

  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    orb_free(json);
    return orb_err_set(e, ORB_ERR_IO, "iceberg: could not create \"%s\": %s", tmp, strerror(errno));
  }
  st = orb_write_full(fd, json, len, tmp, e);
  orb_free(json);
  if (st == ORB_OK && fsync(fd) != 0) st = orb_err_set(e, ORB_ERR_IO, "iceberg: could not fsync \"%s\": %s", tmp, strerror(errno));
  if (close(fd) != 0 && st == ORB_OK)
    st = orb_err_set(e, ORB_ERR_IO, "iceberg: could not close \"%s\": %s", tmp, strerror(errno));
  if (st) {
    unlink(tmp);
    return st;
  }
  /* The commit point: link() never replaces, so of two writers publishing
  ** the same version exactly one wins. */
  st = orb_file_publish_noreplace(tmp, final, e);
  if (st == ORB_ERR_DUPLICATE) {
    unlink(tmp);
    return orb_err_set(e, ORB_ERR_CONFLICT,
                       "iceberg: version %lld of \"%s\" was committed by another writer: reload and retry",
                       (long long)v, table_dir);
  }
  if (st) {
    /* link() failed for another reason, or the directory fsync did: if the
    ** link exists the commit happened, and the error still says why the
    ** caller cannot be sure it is durable. */
    unlink(tmp);
    return st;
  }
  if (published) *published = final;

  /* The hint is advisory (readers probe past it and fall back to listing),
  ** so a failure here does not undo a commit that already happened.  A
  ** unique temporary keeps concurrent committers from mixing contents. */
  const char *hint_tmp = orb_arena_sprintf(a, "%s/.%s.version-hint.tmp", mdir, hex);
  const char *hint = orb_arena_sprintf(a, "%s/version-hint.text", mdir);
  char num[32];
  int n = snprintf(num, sizeof num, "%lld", (long long)v);
  fd = open(hint_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd >= 0) {
    orb_err ignore;
    bool ok = orb_write_full(fd, num, (size_t)n, hint_tmp, &ignore) == ORB_OK && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(hint_tmp, hint) != 0) unlink(hint_tmp);
    else (void)orb_fsync_dir(mdir, &ignore);
  }
  return ORB_OK;
}
