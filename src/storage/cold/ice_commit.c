/* storage/cold/ice_commit.c — the retry policy and metadata-only updates
** (see ice_commit.h). */
#include "storage/cold/ice_commit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "storage/cold/ice_write_int.h"

orb_status ice_prop_i64(const ice_meta *m, const char *key, int64_t dflt, int64_t lo, int64_t *out, orb_err *e) {
  const char *s = ice_kv_get(m->properties, m->nproperties, key);
  *out = dflt;
  if (!s) return ORB_OK;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < lo)
    return orb_err_set(e, ORB_ERR_INVALID_TEXT, "iceberg: table property %s is not a valid number: \"%s\"", key, s);
  *out = v;
  return ORB_OK;
}

int64_t ice_random_id(void) {
  uint64_t r = 0;
  if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = (uint64_t)ice_now_ms() * 6364136223846793005ull;
  return (int64_t)(r >> 1);
}

orb_status ice_retry_init(ice_retry *r, const ice_meta *m, int max_retries, orb_err *e) {
  int64_t v;
  orb_status st = ice_prop_i64(m, "commit.retry.num-retries", 4, 0, &v, e);
  if (st == ORB_OK) r->max_retries = max_retries >= 0 ? max_retries : (int)(v > 1000 ? 1000 : v);
  if (st == ORB_OK) st = ice_prop_i64(m, "commit.retry.min-wait-ms", 100, 0, &r->min_wait_ms, e);
  if (st == ORB_OK) st = ice_prop_i64(m, "commit.retry.max-wait-ms", 60000, 0, &r->max_wait_ms, e);
  r->next_wait_ms = r->min_wait_ms;
  return st;
}

bool ice_retry_wait(ice_retry *r, int attempt) {
  if (attempt > r->max_retries) return false;
  int64_t wait = r->next_wait_ms;
  /* half fixed, half random: writers that collided spread out */
  int64_t ms = wait / 2 + (wait > 1 ? ice_random_id() % (wait / 2 + 1) : 0);
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  r->next_wait_ms = wait * 2 > r->max_wait_ms ? r->max_wait_ms : wait * 2;
  return true;
}

orb_status ice_meta_update(orb_arena *a, const char *table_dir, int max_retries, ice_meta_edit_fn edit, void *ctx,
                           ice_meta *out, orb_err *e) {
  ice_meta base;
  ice_meta_file file;
  ice_retry retry;
  orb_status st = ice_meta_open(a, table_dir, &base, &file, e);
  if (st == ORB_OK) st = ice_retry_init(&retry, &base, max_retries, e);
  for (int attempt = 1; st == ORB_OK; attempt++) {
    ice_meta next = base;
    if ((st = edit(ctx, a, &base, &next, e)) != ORB_OK) break;
    if ((st = ice_meta_prepare_commit(a, &base, file.path, ice_now_ms(), &next, e)) != ORB_OK) break;
    st = ice_meta_commit(a, table_dir, file.version, &next, NULL, e);
    if (st == ORB_OK) {
      ice_meta_delete_dropped(a, table_dir, &base, &next);
      if (out) *out = next;
      break;
    }
    if (st != ORB_ERR_CONFLICT) break;
    if (!ice_retry_wait(&retry, attempt))
      return orb_err_set(e, ORB_ERR_CONFLICT,
                         "iceberg: could not commit to \"%s\" after %d attempts: other writers kept committing first",
                         table_dir, attempt);
    st = ice_meta_open(a, table_dir, &base, &file, e);
  }
  return st;
}
