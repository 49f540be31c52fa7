/*
** storage/hot/hot_int.h — the hot tier's state, shared by the files of hot/.
*/
#ifndef ORB_STORAGE_HOT_HOT_INT_H
#define ORB_STORAGE_HOT_HOT_INT_H

#include <pthread.h>

#include "base/hash.h"
#include "storage/hot/hot.h"

typedef struct hot_col_stat {
  int64_t nulls;
  bool has;              /* min/max hold a value */
  bool stale;            /* a delete removed the min or max: rescan when asked */
  orb_value min, max;    /* strings point into minbuf/maxbuf */
  char *minbuf, *maxbuf;
  size_t mincap, maxcap;
} hot_col_stat;

struct hot_tier {
  orb_tier base;         /* first: hot_tier * and orb_tier * convert */
  uint32_t table_id;
  orb_schema schema;     /* own copy */
  int npk;
  int *pkcols;           /* positions of key columns, key order */

  orb_value **rows;      /* slot per rowid, NULL = deleted */
  size_t nslots, cap;
  int64_t live;
  int64_t bytes;

  orb_hmap pk;           /* key hash -> (void *)(rowid + 1) */

  pthread_mutex_t stats_mu; /* readers share the tier; a stale min/max rescan writes */
  hot_col_stat *cstats;
  orb_col_stats *stats_out;
};

/* Tier callbacks implemented in hot_scan.c and hot_stats.c. */
orb_status hot_op_scan_begin(orb_tier *t, const orb_scan_req *req, orb_tier_scan **out, orb_err *e);
orb_status hot_op_scan_next(orb_tier_scan *s, orb_row_batch *b, orb_err *e);
void hot_op_scan_end(orb_tier_scan *s, orb_scan_stats *stats);
orb_status hot_op_count(orb_tier *t, orb_expr *pred, const orb_eval_ctx *ctx, int64_t *count, orb_err *e);
void hot_op_explain(orb_tier *t, const orb_scan_req *req, orb_buf *out);
void hot_op_stats(orb_tier *t, orb_tier_stats *out);

#endif
