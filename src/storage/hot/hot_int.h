/*
** storage/hot/hot_int.h — the hot tier's state, shared by the files of hot/.
*/
#ifndef ORB_STORAGE_HOT_HOT_INT_H
#define ORB_STORAGE_HOT_HOT_INT_H

#include <pthread.h>

#include "base/hash.h"
#include "storage/hot/hot.h"
#include "txn/txn.h"

/* The version header in front of every row's values (snapshot.h explains
** xmin/xmax).  A slot of the row vector holds the newest version of its row;
** older versions hang behind it through `older`, newest first, until no
** snapshot can see them and hot_prune() frees them. */
typedef struct hot_ver {
  uint64_t xmin;         /* commit sequence number (or running xid) that made it; 0 = always visible */
  uint64_t xmax;         /* ... that replaced or deleted it; 0 = nobody */
  orb_value *older;      /* the version it replaced, NULL = none kept */
} hot_ver;               /* 24 bytes: the values behind it stay 8-byte aligned, as orb_value needs */

static inline hot_ver *hot_ver_of(const orb_value *row) { return (hot_ver *)((char *)row - sizeof(hot_ver)); }

typedef struct hot_col_stat {
  int64_t nulls;
  bool has;              /* min/max hold a value */
  bool stale;            /* a delete removed the min or max: rescan when asked */
  orb_value min, max;    /* strings point into minbuf/maxbuf */
  char *minbuf, *maxbuf;
  size_t mincap, maxcap;
} hot_col_stat;

/* A secondary or UNIQUE index (hot_sidx.c): one entry per version. */
typedef struct hot_sidx {
  int ncols;
  int *cols;             /* column positions, key order */
  bool unique, nnd;      /* UNIQUE; NULLS NOT DISTINCT */
  orb_hmap map;          /* key hash -> (void *)(rowid + 1) */
} hot_sidx;

struct hot_tier {
  orb_tier base;         /* first: hot_tier * and orb_tier * convert */
  uint32_t table_id;
  orb_schema schema;     /* own copy */
  int npk;
  int *pkcols;           /* positions of key columns, key order */

  orb_value **rows;      /* slot per rowid: newest version, NULL = none */
  size_t nslots, cap;
  int64_t live;          /* rows live in the newest committed state */
  int64_t bytes;         /* memory of every version */
  int64_t pending;       /* versions made or deleted by transactions not yet ended */
  uint64_t last_seq;     /* commit sequence number of the last commit that changed the tier */

  orb_hmap pk;           /* key hash -> (void *)(rowid + 1) */
  /* hot_key_taken_hashed's search that found the key free ended at an empty
  ** slot: the index entry of the row inserted next goes there
  ** (orb_hmap_put_after_miss); any other change of pk drops it */
  orb_hmap_iter pk_miss;
  bool has_pk_miss;

  orb_hmap shares;       /* shared row locks of running transactions (hot_share.c); slots NULL until the first */

  int nsidx;             /* the schema's indexes, in its order */
  hot_sidx *sidx;

  pthread_mutex_t stats_mu; /* readers share the tier; a stale min/max rescan writes */
  hot_col_stat *cstats;
  orb_col_stats *stats_out;
};

/* Shared row locks (hot_share.c): a running transaction other than self
** holding one on rowid (0: none); drop one entry (commit or undo); free
** them all with the tier. */
uint64_t hot_share_holder(const hot_tier *h, uint64_t rowid, uint64_t self);
void hot_share_free_all(hot_tier *h);
/* hot_claim for a shared lock: waits for writers, not for other sharers. */
orb_status hot_claim_shared(hot_tier *h, orb_wset *ws, uint64_t rowid, bool *gone, orb_err *e);

void hot_sidx_init(hot_tier *h);
void hot_sidx_free(hot_tier *h);
void hot_sidx_rebuild(hot_tier *h);

/* Tier callbacks implemented in hot_scan.c and hot_stats.c. */
orb_status hot_op_scan_begin(orb_tier *t, const orb_scan_req *req, orb_tier_scan **out, orb_err *e);
orb_status hot_op_scan_next(orb_tier_scan *s, orb_row_batch *b, orb_err *e);
void hot_op_scan_end(orb_tier_scan *s, orb_scan_stats *stats);
orb_status hot_op_count(orb_tier *t, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx, int64_t *count,
                        orb_err *e);
void hot_op_explain(orb_tier *t, const orb_scan_req *req, orb_buf *out);
void hot_op_stats(orb_tier *t, orb_tier_stats *out);

#endif
