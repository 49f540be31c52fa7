/* storage/cold/ice_path.c — re-rooting the paths of a relocated table (see
** ice_meta.h).  Metadata written elsewhere names files by absolute URIs
** under the table's `location` (s3a://warehouse/t/data/x.parquet); a table
** opened from a folder reads them from that folder instead, as engines do
** for a warehouse copied or mounted somewhere else. */
#include "storage/cold/ice_meta.h"

#include <ctype.h>
#include <string.h>

/* Length of a URI scheme at s ("s3a" in "s3a://..."), 0 if none.  One letter
** followed by ':' is not taken as a scheme, so "C:/x" stays a path. */
static size_t scheme_len(const char *s) {
  if (!isalpha((unsigned char)s[0])) return 0;
  size_t n = 1;
  while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.') n++;
  return s[n] == ':' && n > 1 ? n : 0;
}

const char *ice_path_normalize(orb_arena *a, const char *path) {
  size_t plen = strlen(path);
  char *out = orb_arena_alloc(a, plen + 8), *w = out;
  const char *p = path;
  size_t sl = scheme_len(p);
  bool absolute;
  if (sl) {
    char scheme[32];
    size_t n = sl < sizeof scheme - 1 ? sl : sizeof scheme - 1;
    for (size_t i = 0; i < n; i++) scheme[i] = (char)tolower((unsigned char)p[i]);
    scheme[n] = '\0';
    p += sl + 1;
    if (strcmp(scheme, "file") == 0) {
      /* file:/x, file:///x and file://localhost/x are all the local /x. */
      if (p[0] == '/' && p[1] == '/') {
        p += 2;
        if (strncmp(p, "localhost", 9) == 0 && (p[9] == '/' || p[9] == '\0')) p += 9;
      }
      absolute = true;
    } else {
      if (strcmp(scheme, "s3a") == 0 || strcmp(scheme, "s3n") == 0) strcpy(scheme, "s3");
      w += strlen(strcpy(w, scheme));
      *w++ = ':';
      *w++ = '/';
      *w++ = '/';
      absolute = false;   /* the authority is the first segment */
    }
  } else {
    absolute = p[0] == '/';
  }
  if (absolute) *w++ = '/';
  char *segs_start = w;
  /* Segments: drop empty ones (repeated slashes) and ".". */
  while (*p) {
    while (*p == '/') p++;
    const char *s = p;
    while (*p && *p != '/') p++;
    size_t n = (size_t)(p - s);
    if (n == 0 || (n == 1 && s[0] == '.')) continue;
    if (w != segs_start) *w++ = '/';
    memcpy(w, s, n);
    w += n;
  }
  *w = '\0';
  return out;
}

orb_status ice_reroot(orb_arena *a, const char *location, const char *table_dir, const char *path,
                      const char **out, bool *rerooted, orb_err *e) {
  *out = path;
  *rerooted = false;
  const char *nl = ice_path_normalize(a, location), *np = ice_path_normalize(a, path);
  size_t ll = strlen(nl);
  /* A location normalized to "/" or "s3://" alone would swallow everything. */
  if (ll == 0 || nl[ll - 1] == '/') return ORB_OK;
  if (strncmp(np, nl, ll) != 0 || (np[ll] != '\0' && np[ll] != '/')) return ORB_OK;
  const char *rest = np + ll;
  for (const char *s = rest; *s;) {
    while (*s == '/') s++;
    const char *t = s;
    while (*s && *s != '/') s++;
    if (s - t == 2 && t[0] == '.' && t[1] == '.')
      return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: path \"%s\" leaves the table's location with \"..\"", path);
  }
  size_t dl = strlen(table_dir);
  while (dl > 1 && table_dir[dl - 1] == '/') dl--;
  *out = orb_arena_sprintf(a, "%.*s%s", (int)dl, table_dir, rest);
  *rerooted = true;
  return ORB_OK;
}
