/* storage/cold/cold_tier.c — an Iceberg table as a tier (see cold_tier.h). */
#include "storage/cold/cold_tier.h"
#include "storage/cold/cold_stage.h"
#include "storage/cold/ice_read.h"
#include "formats/parquet/pq_pred_expr.h"
#include "storage/table.h"
#include "txn/txn.h"
#include "base/arena.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/mem.h"
#include "types/value.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- cached metadata -------------------------------------------------------- */

/* A plan of one snapshot, made once per metadata version. */
typedef struct cold_plan {
  int64_t snapshot_id;
  ice_plan plan;
  struct cold_plan *next;
} cold_plan;

/* A snapshot's live rows from its manifest list (ice_scan_count_rows), for
** count(*) before any plan is made; rows -1: the list cannot tell. */
typedef struct cold_count_rows {
  int64_t snapshot_id, rows;
  struct cold_count_rows *next;
} cold_count_rows;

/* One metadata file, parsed; shared by the scans that read it. */
typedef struct cold_state {
  int refs;                      /* the tier's cache holds one; each scan one */
  orb_arena arena;               /* the model and every plan */
  const char *path;              /* the metadata file */
  const char *table_dir;         /* where its paths are re-rooted */
  struct timespec mtime;
  off_t size;
  ice_meta meta;                 /* read for the current snapshot (ice_meta_parse_current) */
  char *bytes;                   /* the file as read (malloc'd), for ... */
  size_t nbytes;
  ice_meta *full;                /* ... the whole model, parsed on first need (state_meta) */
  cold_plan *plans;
  cold_count_rows *counts;
} cold_state;

typedef struct cold_tier {
  orb_tier base;
  uint32_t table_id;
  const char *name;              /* the table's name, for messages (in names) */
  orb_arena names;               /* every name it has had: a scan may be printing the old one */
  char *where;
  orb_schema schema;
  bool owned;                    /* the database's own table: takes inserts */
  pthread_mutex_t mu;            /* cur, refs, plans */
  cold_state *cur;               /* newest metadata read */
} cold_tier;

static cold_tier *cold_of(orb_tier *t) { return (cold_tier *)t; }

/* Locators: cold-tier row ids (cold_stage.h) under the tier's byte. */
static uint64_t cold_loc_make(int file, int64_t pos) {
  if (file < 0 || file >= COLD_LOC_STAGED || pos < 0 || pos >= ((int64_t)1 << COLD_LOC_POS_BITS)) return COLD_LOC_NONE;
  return ((uint64_t)file << COLD_LOC_POS_BITS) | (uint64_t)pos;
}

static uint64_t cold_path_hash(const char *p) {
  uint64_t h = orb_hash_bytes(p, strlen(p), 0);
  return h ? h : 1;
}

static void state_free(cold_state *s) {
  orb_arena_free(&s->arena);
  orb_free(s->bytes);
  orb_free(s);
}

static void state_unref(cold_tier *c, cold_state *s) {
  if (!s) return;
  pthread_mutex_lock(&c->mu);
  bool last = --s->refs == 0;
  pthread_mutex_unlock(&c->mu);
  if (last) state_free(s);
}

/* The folder a metadata file's paths are re-rooted onto (as ice_scan_open). */
static const char *table_dir_of(orb_arena *a, const char *meta_path) {
  char *dir = orb_arena_strdup(a, meta_path);
  char *slash = strrchr(dir, '/');
  if (!slash) return ".";
  *slash = '\0';
  if (slash == dir) return "/";
  char *up = strrchr(dir, '/');
  if (strcmp(up ? up + 1 : dir, "metadata") == 0) {
    if (!up) return ".";
    if (up == dir) return "/";
    *up = '\0';
  }
  return dir;
}

/* The file is parsed for its current snapshot only (what counts and scans
** of the current table read): a table's history costs nothing until time
** travel or a REPEATABLE READ transaction asks for it (state_meta). */
static orb_status state_read(const char *path, const struct stat *sb, cold_state **out, orb_err *e) {
  cold_state *s = orb_calloc(1, sizeof *s);
  s->refs = 1;
  orb_arena_init(&s->arena, 0);
  s->path = orb_arena_strdup(&s->arena, path);
  s->table_dir = table_dir_of(&s->arena, path);
  s->mtime = sb->st_mtim;
  s->size = sb->st_size;
  orb_status st = orb_file_read_all(path, ICE_META_MAX_BYTES, &s->bytes, &s->nbytes, e);
  if (st == ORB_ERR_LIMIT) orb_err_prefix(e, "iceberg metadata");
  if (st == ORB_OK) st = ice_meta_parse_current(&s->arena, s->bytes, s->nbytes, path, &s->meta, e);
  if (st != ORB_OK) {
    state_free(s);
    return st;
  }
  *out = s;
  return ORB_OK;
}

/* The model of s that has snapshot `id` (-1: none) and, when `history`,
** the snapshot log: the partial one when it has them, else the whole file,
** parsed once.  The caller holds c->mu. */
static orb_status state_meta_locked(cold_state *s, int64_t id, bool history, const ice_meta **out,
                                    orb_err *e) {
  if (!s->meta.partial || (!history && (id < 0 || ice_meta_snapshot(&s->meta, id)))) {
    *out = &s->meta;
    return ORB_OK;
  }
  if (!s->full) {
    ice_meta *m = orb_arena_zalloc(&s->arena, sizeof *m);
    orb_status st = ice_meta_parse(&s->arena, s->bytes, s->nbytes, s->path, m, e);
    if (st != ORB_OK) return st;
    s->full = m;
  }
  *out = s->full;
  return ORB_OK;
}

static orb_status state_meta(cold_tier *c, cold_state *s, int64_t id, bool history, const ice_meta **out, orb_err *e) {
  pthread_mutex_lock(&c->mu);
  orb_status st = state_meta_locked(s, id, history, out, e);
  pthread_mutex_unlock(&c->mu);
  return st;
}

static bool same_file(const cold_state *s, const char *path, const struct stat *sb) {
  return s && strcmp(s->path, path) == 0 && s->size == sb->st_size && s->mtime.tv_sec == sb->st_mtim.tv_sec &&
         s->mtime.tv_nsec == sb->st_mtim.tv_nsec;
}

/* The metadata to read: the pinned file, else the current one (cached when
** unchanged).  Returns a reference. */
static orb_status state_get(cold_tier *c, const char *path_wanted, cold_state **out, orb_err *e) {
  orb_status st;
  const char *path = path_wanted;
  orb_arena tmp;
  orb_arena_init(&tmp, 1024);
  if (!path) {
    ice_meta_file mf;
    if ((st = ice_find_current(&tmp, c->where, &mf, e)) != ORB_OK) {
      orb_err_prefix(e, "table \"%s\": ", c->name);
      orb_arena_free(&tmp);
      return st;
    }
    path = mf.path;
  }
  struct stat sb;
  if (stat(path, &sb) != 0) {
    st = orb_err_set(e, ORB_ERR_IO, "table \"%s\": Iceberg metadata file \"%s\" cannot be read", c->name, path);
    orb_arena_free(&tmp);
    return st;
  }
  pthread_mutex_lock(&c->mu);
  if (same_file(c->cur, path, &sb)) {
    c->cur->refs++;
    *out = c->cur;
    pthread_mutex_unlock(&c->mu);
    orb_arena_free(&tmp);
    return ORB_OK;
  }
  pthread_mutex_unlock(&c->mu);
  cold_state *s;
  if ((st = state_read(path, &sb, &s, e)) != ORB_OK) {
    orb_err_prefix(e, "table \"%s\": ", c->name);
    orb_arena_free(&tmp);
    return st;
  }
  orb_arena_free(&tmp);
  cold_state *old = NULL;
  pthread_mutex_lock(&c->mu);
  if (!path_wanted || !c->cur) {   /* the newest read becomes the cache */
    old = c->cur;
    c->cur = s;
    s->refs++;
  }
  pthread_mutex_unlock(&c->mu);
  state_unref(c, old);
  *out = s;
  return ORB_OK;
}

/* The plan of snapshot `id` (-1: none, an empty table) of state s. */
static orb_status state_plan(cold_tier *c, cold_state *s, int64_t id, const ice_plan **out, orb_err *e) {
  pthread_mutex_lock(&c->mu);
  for (cold_plan *p = s->plans; p; p = p->next)
    if (p->snapshot_id == id) {
      *out = &p->plan;
      pthread_mutex_unlock(&c->mu);
      return ORB_OK;
    }
  /* planning reads manifests under the mutex: other scans of this table wait
  ** for the same plan rather than reading the manifests twice */
  cold_plan *p = orb_arena_zalloc(&s->arena, sizeof *p);
  p->snapshot_id = id;
  const ice_meta *m;
  orb_status st = state_meta_locked(s, id, false, &m, e);
  /* the current snapshot is read with the current schema (-1), as Java's
  ** scans do: it is the schema the catalog's columns follow, so a promoted
  ** column's constants keep their type and its files are still pruned */
  if (st == ORB_OK && id >= 0)
    st = ice_scan_plan(&s->arena, m, s->table_dir, id == m->current_snapshot_id ? -1 : id, &p->plan, e);
  else if (st == ORB_OK) p->plan.meta = m, p->plan.schema = ice_meta_current_schema(m);
  if (st == ORB_OK) {
    p->next = s->plans;
    s->plans = p;
    *out = &p->plan;
  } else {
    orb_err_prefix(e, "table \"%s\": ", c->name);
  }
  pthread_mutex_unlock(&c->mu);
  return st;
}

static orb_cold_pin *pin_find(orb_cold_pins *p, uint32_t table_id) {
  for (int i = 0; p && i < p->n; i++)
    if (p->v[i].table_id == table_id) return &p->v[i];
  return NULL;
}

void cold_pins_clear(orb_cold_pins *p) {
  if (!p) return;
  for (int i = 0; i < p->n; i++) orb_free(p->v[i].meta_path);
  orb_free(p->v);
  p->v = NULL;
  p->n = p->cap = 0;   /* staged changes are the write set's actions' */
}

void cold_pins_renew(orb_cold_pins *p) {
  int k = 0;
  for (int i = 0; i < p->n; i++) {
    if (p->v[i].keep) p->v[k++] = p->v[i];
    else orb_free(p->v[i].meta_path);
  }
  p->n = k;
}

/* The snapshot of m that was current when a transaction began at began_ms
** (cold_tier.h): the latest stamped before that millisecond. */
static orb_status snapshot_began(cold_tier *c, const ice_meta *m, int64_t began_ms, int64_t *id, orb_err *e) {
  *id = ice_meta_snapshot_at(m, began_ms - 1, NULL);
  bool expired = *id >= 0 && !ice_meta_snapshot(m, *id);
  if (*id < 0) {
    /* nothing before: the table was empty then, unless its older history
    ** was expired (the oldest snapshot kept is not the table's first: it
    ** has a parent) */
    const ice_snapshot *oldest = NULL;
    if (m->nsnapshot_log > 0) {
      oldest = ice_meta_snapshot(m, m->snapshot_log[0].snapshot_id);
      expired = !oldest || oldest->has_parent;
    } else {
      for (int i = 0; i < m->nsnapshots; i++)
        if (!oldest || m->snapshots[i].timestamp_ms < oldest->timestamp_ms) oldest = &m->snapshots[i];
      expired = oldest && oldest->has_parent;
    }
  }
  if (!expired) return ORB_OK;
  return orb_err_setx(e, ORB_ERR_MISUSE, "72000", 0,
                      "snapshot too old: the Iceberg snapshot of table \"%s\" current when the transaction began has "
                      "expired",
                      c->name);
}

/* The state and snapshot id a reader with snapshot snap reads: its pin, or
** the snapshot its rule picks (then pinned when snap has pins). */
static orb_status resolve_state(cold_tier *c, const orb_snapshot *snap, cold_state **out, int64_t *snapshot_id, orb_err *e) {
  orb_cold_pins *pins = snap ? snap->pins : NULL;
  orb_cold_pin *pin = pin_find(pins, c->table_id);
  cold_state *s;
  orb_status st = state_get(c, pin ? pin->meta_path : NULL, &s, e);
  if (st != ORB_OK) return st;
  int64_t id = pin ? pin->snapshot_id : s->meta.current_snapshot_id;
  if (pins && !pin && snap->began_ms > 0) {
    const ice_meta *m;   /* the snapshot log: the whole model */
    if ((st = state_meta(c, s, -1, true, &m, e)) != ORB_OK) orb_err_prefix(e, "table \"%s\": ", c->name);
    else st = snapshot_began(c, m, snap->began_ms, &id, e);
    if (st != ORB_OK) {
      state_unref(c, s);
      return st;
    }
  }
  if (pins && !pin) {
    size_t cap = (size_t)pins->cap;
    pins->v = orb_grow(pins->v, &cap, (size_t)pins->n + 1, sizeof *pins->v);
    pins->cap = (int)cap;
    orb_cold_pin np = {c->table_id, id, orb_strdup(s->path), false};
    pins->v[pins->n++] = np;
  }
  *out = s;
  *snapshot_id = id;
  return ORB_OK;
}

/* The state and plan a reader with snapshot snap reads (resolve_state). */
static orb_status resolve(cold_tier *c, const orb_snapshot *snap, cold_state **out, const ice_plan **plan, orb_err *e) {
  cold_state *s;
  int64_t id;
  orb_status st = resolve_state(c, snap, &s, &id, e);
  if (st != ORB_OK) return st;
  if ((st = state_plan(c, s, id, plan, e)) != ORB_OK) {
    state_unref(c, s);
    return st;
  }
  *out = s;
  return ORB_OK;
}

/* --- scans ------------------------------------------------------------------- */

typedef struct cold_scan {
  cold_tier *c;
  cold_state *state;
  const ice_plan *plan;
  ice_reader *reader;
  int nread;                     /* columns handed to the reader */
  int *read_col;                 /* each one's position in the table schema */
  bool *cast;                    /* each one's values need a cast to the column's type */
  bool *by_ref;                  /* each projected column's values point to bytes (copied per batch) */
  orb_value *full;               /* one row, schema width */
  int *proj;
  int nproj;
  orb_expr *pred;
  orb_eval_ctx ctx;
  orb_arena arena;               /* predicate temporaries, reset per row */
  orb_arena batch;               /* values handed out, reset per batch */
  orb_arena own;                 /* what lives as long as the scan */
  ice_column *cols;              /* the reader's columns */
  orb_value *pbuf;               /* ORB_SCAN_BATCH rows of nproj values */
  pq_pred *preds;
  int npreds;
  ice_plan pruned;               /* the plan made with the constraints (when there are some) */
  int64_t planned_out;           /* data files scan planning ruled out */
  int *file_map;                 /* pruned plan: each file's index in the snapshot's whole plan */
  bool read_done;                /* the snapshot's rows are all read */
  cold_stage *stage;             /* the transaction block's staged changes of the table, or NULL */
  int64_t stage_next, stage_end; /* staged rows still to return (those staged before the scan began) */
  orb_scan_stats st;
  /* column batches (cold_scan_next_vec), allocated by the first */
  orb_vbuf vbuf;                 /* schema width: values of cast columns and staged rows (NULLs for a column
                                    not read); sel: the rows the transaction block has not deleted */
} cold_scan;

static void mark_columns(const orb_expr *x, bool *need, int ncols) {
  if (!x) return;
  if (x->kind == ORB_E_COLUMN && x->slot >= 0 && x->slot < ncols) need[x->slot] = true;
  for (int i = 0; i < x->nargs; i++) mark_columns(x->args[i], need, ncols);
}

static int read_index(const cold_scan *s, int col) {
  for (int i = 0; i < s->nread; i++)
    if (s->read_col[i] == col) return i;
  return -1;
}


/* The reader's column (index into cols) that x is — a bare column of the
** table, or an exact cast of one — when it is read with the table's type;
** -1 otherwise. */
static int pruned_col(const cold_scan *s, const ice_column *cols, const orb_expr *x) {
  if (!x) return -1;
  if (x->kind == ORB_E_CAST && x->nargs == 1 && x->args[0]->kind == ORB_E_COLUMN) {
    int slot = x->args[0]->slot;
    if (slot < 0 || slot >= s->c->schema.ncols || !orb_type_cast_is_exact(s->c->schema.cols[slot].type, x->type)) return -1;
    x = x->args[0];
  }
  if (x->kind != ORB_E_COLUMN || x->slot < 0 || x->slot >= s->c->schema.ncols) return -1;
  int k = read_index(s, x->slot);
  return k >= 0 && orb_type_equal(cols[k].type, s->c->schema.cols[x->slot].type) ? k : -1;
}

/* pq_pred_col_fn over a cold scan: the read column x is (pruned_col). */
static int prune_col(const void *ctx, const orb_expr *x) {
  const cold_scan *s = ctx;
  return pruned_col(s, s->cols, x);
}

#define COLD_MAX_PREDS 64

static orb_status cold_scan_begin(orb_tier *t, const orb_scan_req *req, orb_tier_scan **out, orb_err *e) {
  cold_tier *c = cold_of(t);
  int ncols = c->schema.ncols;
  for (int i = 0; req->proj && i < req->nproj; i++)
    if (req->proj[i] < 0 || req->proj[i] >= ncols)
      return orb_err_set(e, ORB_ERR_INTERNAL, "scan projects column %d of a table with %d columns", req->proj[i], ncols);
  cold_scan *s = orb_calloc(1, sizeof *s);
  s->c = c;
  orb_arena_init(&s->arena, 4096);
  orb_arena_init(&s->batch, 0);
  orb_arena_init(&s->own, 0);
  s->nproj = req->proj ? req->nproj : ncols;
  s->proj = orb_arena_alloc(&s->own, sizeof(int) * (size_t)(s->nproj + 1));
  for (int i = 0; i < s->nproj; i++) s->proj[i] = req->proj ? req->proj[i] : i;
  s->pbuf = orb_malloc(sizeof(orb_value) * (size_t)ORB_SCAN_BATCH * (size_t)(s->nproj ? s->nproj : 1));
  s->full = orb_arena_alloc(&s->own, sizeof(orb_value) * (size_t)(ncols + 1));
  s->read_col = orb_arena_alloc(&s->own, sizeof(int) * (size_t)(ncols + 1));
  s->pred = req->pred;
  if (req->ctx) s->ctx = *req->ctx;
  s->ctx.arena = &s->arena;
  s->by_ref = orb_arena_alloc(&s->own, (size_t)s->nproj + 1);
  for (int i = 0; i < s->nproj; i++) {
    s->by_ref[i] = orb_type_is_by_ref((orb_type_id)c->schema.cols[s->proj[i]].type.id);
  }
  *out = (orb_tier_scan *)s;
  orb_status st = resolve(c, req->snap, &s->state, &s->plan, e);
  if (st != ORB_OK) return st;   /* the caller ends the scan, which frees s */
  /* a transaction block reads its own staged changes (cold_stage.h): the
  ** rows staged so far after the snapshot's, without the rows it deleted */
  if (req->snap && (s->stage = cold_stage_find(req->snap->pins, c->table_id)) != NULL) {
    cold_stage_seal(s->stage);
    s->stage_end = cold_stage_nrows(s->stage);
  }
  if (!s->plan->snapshot) return ORB_OK;   /* no snapshot: no rows of it */
  /* the columns to read, matched by field id in the snapshot's schema */
  ice_column *all;
  int nall;
  if ((st = ice_columns(&s->own, s->plan->schema, &all, &nall, e)) != ORB_OK) return st;
  bool *need = orb_arena_zalloc(&s->own, (size_t)ncols + 1);
  bool eq_deletes = false;
  for (int i = 0; i < s->plan->ndelete_files; i++) eq_deletes |= s->plan->delete_files[i].content == ICE_CONTENT_EQ_DELETES;
  for (int i = 0; i < s->nproj; i++) need[s->proj[i]] = true;
  mark_columns(s->pred, need, ncols);
  s->read_col = orb_arena_alloc(&s->own, sizeof(int) * (size_t)(nall + 1));
  s->cols = orb_arena_alloc(&s->own, sizeof(ice_column) * (size_t)(nall + 1));
  for (int k = 0; k < nall; k++) {
    int col = orb_schema_find_id(&c->schema, all[k].field_id);
    if (!eq_deletes && (col < 0 || !need[col])) continue;
    s->read_col[s->nread] = col;   /* -1: read only for the equality deletes */
    s->cols[s->nread++] = all[k];
  }
  /* the predicate's simple conjuncts: scan planning skips manifests and
  ** files by partition summaries, partition values and column bounds
  ** (ice_scan_plan_pruned, a plan of this scan's own: the cached plan is the
  ** unfiltered one, and re-reading the manifests costs about a millisecond,
  ** so a table of one data file leaves it to the reader's row groups), the
  ** reader row groups */
  s->preds = orb_arena_alloc(&s->own, sizeof(pq_pred) * COLD_MAX_PREDS);
  s->npreds = pq_preds_from_expr(&s->own, s->pred, prune_col, s, s->preds, COLD_MAX_PREDS);
  if (s->npreds && s->plan->nfiles > 1) {
    ice_pred *ip = orb_arena_zalloc(&s->own, sizeof(ice_pred) * (size_t)s->npreds);
    int32_t *ids = orb_arena_alloc(&s->own, sizeof(int32_t) * (size_t)(s->nread + 1));   /* a read column's field id */
    for (int k = 0; k < s->nread; k++) ids[k] = s->cols[k].field_id;
    for (int i = 0; i < s->npreds; i++) ice_pred_from_pq(&s->own, &s->preds[i], ids, s->nread, &ip[i]);
    int64_t sid = s->plan->snapshot->snapshot_id;
    if (sid == s->plan->meta->current_snapshot_id) sid = -1;   /* the current schema, as above */
    if ((st = ice_scan_plan_pruned(&s->own, s->plan->meta, s->state->table_dir, sid, ip, s->npreds, &s->pruned, e)) !=
        ORB_OK) {
      orb_err_prefix(e, "table \"%s\": ", c->name);
      return st;
    }
    /* locators name files by their index in the whole plan, the one a
    ** delete finds again from the pinned snapshot */
    const ice_plan *whole = s->plan;
    orb_hmap idx;
    orb_hmap_init(&idx, (size_t)whole->nfiles);
    for (int i = 0; i < whole->nfiles; i++) orb_hmap_put(&idx, cold_path_hash(whole->files[i].orig_path), &whole->files[i]);
    s->file_map = orb_arena_alloc(&s->own, sizeof(int) * (size_t)(s->pruned.nfiles + 1));
    for (int i = 0; i < s->pruned.nfiles; i++) {
      orb_hmap_iter it;
      s->file_map[i] = -1;
      for (const ice_file *f = orb_hmap_find(&idx, cold_path_hash(s->pruned.files[i].orig_path), &it); f && s->file_map[i] < 0;
           f = orb_hmap_next(&it))
        if (strcmp(f->orig_path, s->pruned.files[i].orig_path) == 0) s->file_map[i] = (int)(f - whole->files);
    }
    orb_hmap_free(&idx);
    s->plan = &s->pruned;
    s->planned_out = s->pruned.files_skipped_partition + s->pruned.files_skipped_metrics;
  }
  if ((st = ice_reader_open(s->plan, s->cols, s->nread, &s->reader, e)) != ORB_OK) return st;
  /* columns not read stay NULL in every row; read ones are overwritten */
  for (int i = 0; i < ncols; i++) s->full[i] = orb_null((orb_type_id)c->schema.cols[i].type.id);
  s->cast = orb_arena_alloc(&s->own, (size_t)s->nread + 1);
  for (int k = 0; k < s->nread; k++)
    s->cast[k] = s->read_col[k] >= 0 && !orb_type_equal(s->cols[k].type, c->schema.cols[s->read_col[k]].type);
  ice_reader_prune(s->reader, s->preds, s->npreds);
  s->st.units_total = s->plan->nfiles + s->planned_out;
  return ORB_OK;
}

/* Row `full` (schema order, row id id) into batch b when it passes the
** predicate. */
static orb_status emit_row(cold_scan *s, const orb_value *full, uint64_t id, orb_row_batch *b, orb_err *e) {
  if (s->pred) {
    bool ok = false;
    orb_arena_reset(&s->arena);
    orb_status st = orb_expr_test(s->pred, &s->ctx, full, &ok, e);
    if (st != ORB_OK || !ok) return st;
  }
  orb_value *dst = s->pbuf + (size_t)b->nrows * (size_t)s->nproj;
  for (int i = 0; i < s->nproj; i++) dst[i] = s->by_ref[i] ? orb_value_copy(&full[s->proj[i]], &s->batch) : full[s->proj[i]];
  b->rows[b->nrows] = dst;
  b->locators[b->nrows++] = ORB_LOC_MAKE(ORB_TIER_COLD, id);
  s->st.rows_returned++;
  return ORB_OK;
}

static orb_status cold_scan_next(orb_tier_scan *ts, orb_row_batch *b, orb_err *e) {
  cold_scan *s = (cold_scan *)ts;
  const orb_schema *sc = &s->c->schema;
  b->nrows = 0;
  orb_arena_reset(&s->batch);
  orb_status st = ORB_OK;
  while (s->reader && !s->read_done && b->nrows < ORB_SCAN_BATCH) {
    const orb_value *row;
    if ((st = ice_reader_next(s->reader, &row, e)) != ORB_OK) return st;
    if (!row) {
      s->read_done = true;
      break;
    }
    s->st.rows_scanned++;
    int file;
    int64_t pos;
    ice_reader_position(s->reader, &file, &pos);
    if (s->file_map) file = s->file_map[file];
    uint64_t id = cold_loc_make(file, pos);
    if (s->stage && cold_stage_deleted(s->stage, id)) continue;   /* deleted by the transaction */
    for (int k = 0; k < s->nread; k++) {
      int col = s->read_col[k];
      if (col < 0) continue;
      if (!s->cast[k] || row[k].isnull) {
        s->full[col] = row[k];
        s->full[col].type = sc->cols[col].type.id;
      } else if ((st = orb_value_cast(&row[k], sc->cols[col].type, &s->batch, &s->full[col], e)) != ORB_OK) {
        /* a type another engine changed under the table (a promotion) */
        orb_err_prefix(e, "table \"%s\": column \"%s\": ", s->c->name, sc->cols[col].name);
        return st;
      }
    }
    if ((st = emit_row(s, s->full, id, b, e)) != ORB_OK) return st;
  }
  while (s->stage && b->nrows < ORB_SCAN_BATCH && s->stage_next < s->stage_end) {
    int64_t i = s->stage_next++;
    uint64_t id = ((uint64_t)COLD_LOC_STAGED << COLD_LOC_POS_BITS) | (uint64_t)i;
    if (cold_stage_deleted(s->stage, id)) continue;
    s->st.rows_scanned++;
    if ((st = emit_row(s, cold_stage_row(s->stage, i), id, b, e)) != ORB_OK) return st;
  }
  return ORB_OK;
}

/* --- column batches ----------------------------------------------------------- */

/* The reader's batch b as the schema's columns: its vectors as they are,
** or cast a value at a time where the snapshot's type differs from the
** table's (a promotion another engine made); columns not read all NULL. */
static orb_status vec_from_reader(cold_scan *s, const orb_vbatch *b, orb_err *e) {
  const orb_schema *sc = &s->c->schema;
  orb_vbuf *vb = &s->vbuf;
  for (int i = 0; i < sc->ncols; i++) orb_vbuf_all_null(vb, i);
  for (int k = 0; k < s->nread; k++) {
    int col = s->read_col[k];
    if (col < 0) continue;
    if (!s->cast[k]) {
      vb->b.cols[col] = b->cols[k];
      vb->b.cols[col].type = sc->cols[col].type;
      continue;
    }
    orb_value *out = vb->vals[col];
    for (int r = 0; r < b->n; r++) out[r] = orb_null((orb_type_id)sc->cols[col].type.id);   /* rows out of the selection too */
    for (int j = 0, cnt = orb_vbatch_count(b); j < cnt; j++) {
      int r = orb_vbatch_row_at(b, j);
      orb_value x;
      orb_vec_value(&b->cols[k], r, &x);
      orb_status st;
      if (!x.isnull && (st = orb_value_cast(&x, sc->cols[col].type, &s->batch, &out[r], e)) != ORB_OK) {
        orb_err_prefix(e, "table \"%s\": column \"%s\": ", s->c->name, sc->cols[col].name);
        return st;
      }
    }
    orb_vbuf_values(vb, col, b->n);
  }
  vb->b.n = b->n;
  vb->b.sel = b->sel;
  vb->b.nsel = b->nsel;
  return ORB_OK;
}

/* Leave out the rows of the batch (its row 0 at position pos0 of data file
** `file`) that the transaction block deleted. */
static void vec_stage_deletes(cold_scan *s, int file, int64_t pos0) {
  orb_vbatch *b = &s->vbuf.b;
  int m = 0;
  for (int j = 0, cnt = orb_vbatch_count(b); j < cnt; j++) {
    int r = orb_vbatch_row_at(b, j);
    s->vbuf.sel[m] = (uint16_t)r;
    m += !cold_stage_deleted(s->stage, cold_loc_make(file, pos0 + r));
  }
  b->sel = s->vbuf.sel;
  b->nsel = m;
}

/* The transaction block's staged rows (not deleted since) as a batch of
** values. */
static void vec_staged(cold_scan *s) {
  const orb_schema *sc = &s->c->schema;
  int n = 0;
  while (n < ORB_VEC_MAX && s->stage_next < s->stage_end) {
    int64_t i = s->stage_next++;
    if (cold_stage_deleted(s->stage, ((uint64_t)COLD_LOC_STAGED << COLD_LOC_POS_BITS) | (uint64_t)i)) continue;
    const orb_value *row = cold_stage_row(s->stage, i);
    for (int c = 0; c < sc->ncols; c++) s->vbuf.vals[c][n] = orb_value_copy(&row[c], &s->batch);
    n++;
  }
  for (int c = 0; c < sc->ncols; c++) orb_vbuf_values(&s->vbuf, c, n);
  s->vbuf.b.n = n;
  s->vbuf.b.sel = NULL;
  s->st.rows_scanned += n;
}

static orb_status cold_scan_next_vec(orb_tier_scan *ts, const orb_vbatch **out, orb_err *e) {
  cold_scan *s = (cold_scan *)ts;
  *out = NULL;
  orb_arena_reset(&s->batch);
  if (!s->vbuf.vals) {
    const orb_schema *sc = &s->c->schema;
    orb_type *types = orb_malloc(sizeof(orb_type) * (size_t)(sc->ncols + 1));
    for (int i = 0; i < sc->ncols; i++) types[i] = sc->cols[i].type;
    orb_vbuf_init(&s->vbuf, sc->ncols, types);
    orb_free(types);
  }
  while (s->reader && !s->read_done) {
    const orb_vbatch *b;
    orb_status st = ice_reader_next_vec(s->reader, &b, e);
    if (st != ORB_OK) return st;
    if (!b) {
      s->read_done = true;
      break;
    }
    s->st.rows_scanned += orb_vbatch_count(b);
    if ((st = vec_from_reader(s, b, e)) != ORB_OK) return st;
    if (s->stage) {
      int file;
      int64_t pos0;
      ice_reader_position(s->reader, &file, &pos0);
      vec_stage_deletes(s, s->file_map ? s->file_map[file] : file, pos0);
      if (s->vbuf.b.nsel == 0) continue;
    }
    *out = &s->vbuf.b;
    return ORB_OK;
  }
  while (s->stage && s->stage_next < s->stage_end) {
    vec_staged(s);
    if (s->vbuf.b.n == 0) continue;
    *out = &s->vbuf.b;
    return ORB_OK;
  }
  return ORB_OK;
}

static void cold_scan_end(orb_tier_scan *ts, orb_scan_stats *stats) {
  cold_scan *s = (cold_scan *)ts;
  if (!s) return;
  if (s->reader) {
    ice_read_counts rc = ice_reader_counts(s->reader);
    s->st.units_pruned = s->planned_out + rc.files_skipped;
    s->st.groups_total = rc.groups;
    s->st.groups_pruned = rc.groups_skipped;
    s->st.rows_deleted = rc.rows_deleted;
    ice_reader_free(s->reader);
  }
  if (stats) *stats = s->st;
  state_unref(s->c, s->state);
  orb_arena_free(&s->arena);
  orb_arena_free(&s->batch);
  orb_arena_free(&s->own);
  orb_free(s->pbuf);
  orb_vbuf_free(&s->vbuf);
  orb_free(s);
}

/* --- count, stats, explain ------------------------------------------------- */

static orb_status cold_count(orb_tier *t, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx, int64_t *count,
                             orb_err *e) {
  (void)ctx;
  cold_tier *c = cold_of(t);
  *count = -1;
  if (pred) return ORB_OK;
  /* the metadata does not know a transaction block's staged changes */
  if (snap && !cold_stage_empty(cold_stage_find(snap->pins, c->table_id))) return ORB_OK;
  cold_state *s;
  int64_t id;
  orb_status st = resolve_state(c, snap, &s, &id, e);
  if (st != ORB_OK) return st;
  /* a plan made already answers; else the manifest list's row counts, read
  ** once per metadata version, without reading every manifest (a table of
  ** many appends has as many); else a plan */
  int64_t rows = -1;
  bool have_plan = false, have_rows = false;
  pthread_mutex_lock(&c->mu);
  for (cold_plan *p = s->plans; p && !have_plan; p = p->next) have_plan = p->snapshot_id == id;
  for (cold_count_rows *k = s->counts; k && !have_rows && !have_plan; k = k->next)
    if (k->snapshot_id == id) have_rows = true, rows = k->rows;
  if (!have_plan && !have_rows) {
    bool known = false;
    if (id < 0) known = true, rows = 0;
    else {
      const ice_meta *m;
      if ((st = state_meta_locked(s, id, false, &m, e)) == ORB_OK)
        st = ice_scan_count_rows(&s->arena, m, s->table_dir, id, &rows, &known, e);
      if (st != ORB_OK) orb_err_prefix(e, "table \"%s\": ", c->name);
    }
    if (st == ORB_OK) {
      cold_count_rows *k = orb_arena_zalloc(&s->arena, sizeof *k);
      k->snapshot_id = id;
      k->rows = known ? rows : -1;
      k->next = s->counts;
      s->counts = k;
      rows = k->rows;
    }
  }
  pthread_mutex_unlock(&c->mu);
  if (st == ORB_OK && rows >= 0 && !have_plan) *count = rows;
  else if (st == ORB_OK) {
    const ice_plan *p;
    if ((st = state_plan(c, s, id, &p, e)) == ORB_OK) {
      if (!p->snapshot) *count = 0;
      else if (!p->any_deletes) *count = p->records;
    }
  }
  state_unref(c, s);
  return st;
}

orb_status cold_tier_current(orb_tier *t, const orb_snapshot *snap, int64_t *snapshot_id, int *nfiles, orb_err *e) {
  cold_tier *c = cold_of(t);
  cold_state *s;
  const ice_plan *p;
  orb_status st = resolve(c, snap, &s, &p, e);
  if (st != ORB_OK) return st;
  *snapshot_id = p->snapshot ? p->snapshot->snapshot_id : -1;
  *nfiles = p->nfiles;
  state_unref(c, s);
  return ORB_OK;
}

static int64_t summary_int(const ice_snapshot *sn, const char *key) {
  const char *v = sn ? ice_kv_get(sn->summary, sn->nsummary, key) : NULL;
  return v ? strtoll(v, NULL, 10) : 0;
}

/* From the current snapshot's summary: cheap, and only an estimate (it
** ignores deletes), which is what statistics are for. */
static void cold_stats(orb_tier *t, orb_tier_stats *out) {
  cold_tier *c = cold_of(t);
  memset(out, 0, sizeof *out);
  orb_err e;
  orb_err_clear(&e);
  cold_state *s;
  if (state_get(c, NULL, &s, &e) != ORB_OK) return;
  const ice_snapshot *sn = ice_meta_current_snapshot(&s->meta);
  out->row_count = summary_int(sn, "total-records") - summary_int(sn, "total-position-deletes") -
                   summary_int(sn, "total-equality-deletes");
  if (out->row_count < 0) out->row_count = 0;
  out->bytes = summary_int(sn, "total-files-size");
  state_unref(c, s);
}

static void cold_explain(orb_tier *t, const orb_scan_req *req, orb_buf *out) {
  cold_tier *c = cold_of(t);
  orb_err e;
  orb_err_clear(&e);
  cold_state *s;
  const ice_plan *p;
  orb_buf_printf(out, "iceberg table %s", c->where);
  if (resolve(c, req ? req->snap : NULL, &s, &p, &e) != ORB_OK) {
    orb_buf_printf(out, " (unreadable: %s)", e.msg);
    return;
  }
  if (!p->snapshot) orb_buf_puts(out, ", no snapshot");
  else
    orb_buf_printf(out, ", snapshot %lld, %d data file%s%s", (long long)p->snapshot->snapshot_id, p->nfiles,
                   p->nfiles == 1 ? "" : "s", p->any_deletes ? ", deletes apply" : "");
  state_unref(c, s);
}

/* --- writes ----------------------------------------------------------------- */

static orb_status read_only(cold_tier *c, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "25006", 0, "table \"%s\" is a read-only Iceberg table", c->name);
}

static orb_status cold_insert(orb_tier *t, orb_wset *ws, const orb_value *const *rows, int n, orb_err *e) {
  cold_tier *c = cold_of(t);
  if (!c->owned) return read_only(c, e);
  if (orb_wset_is_block(ws))
    return cold_stage_rows(cold_stage_get(t, ws, c->table_id, c->name, c->where, &c->schema), ws, rows, n, e);
  return cold_append_insert(t, c->where, &c->schema, ws, rows, n, e);
}

orb_status cold_tier_alter_staged(orb_tier *t, orb_wset *ws, const cold_alter *a, orb_schema *out, orb_err *e) {
  cold_tier *c = cold_of(t);
  if (!c->owned) return read_only(c, e);
  return cold_stage_alter(cold_stage_get(t, ws, c->table_id, c->name, c->where, &c->schema), ws, a, &c->schema, out, e);
}

orb_status cold_tier_plan_at(orb_tier *t, const char *meta_path, int64_t snapshot_id, void **ref, const ice_plan **plan,
                             orb_err *e) {
  cold_tier *c = cold_of(t);
  cold_state *s;
  orb_status st = state_get(c, meta_path, &s, e);
  if (st != ORB_OK) return st;
  if ((st = state_plan(c, s, snapshot_id, plan, e)) != ORB_OK) {
    state_unref(c, s);
    return st;
  }
  *ref = s;
  return ORB_OK;
}

void cold_tier_plan_release(orb_tier *t, void *ref) { state_unref(cold_of(t), ref); }

/* The plan the locators of ws's statement name: the snapshot the scan
** pinned (every write statement reads with the transaction's pins). */
static orb_status pinned_plan(cold_tier *c, orb_wset *ws, cold_state **state, const ice_plan **plan, orb_err *e) {
  const orb_snapshot *snap = orb_wset_snapshot(ws);
  orb_cold_pin *pin = pin_find(snap ? snap->pins : NULL, c->table_id);
  if (!pin)
    return orb_err_set(e, ORB_ERR_INTERNAL, "table \"%s\": rows to change were not read at a pinned Iceberg snapshot", c->name);
  void *ref;
  orb_status st = cold_tier_plan_at(&c->base, pin->meta_path, pin->snapshot_id, &ref, plan, e);
  if (st == ORB_OK) *state = ref;
  return st;
}

/* The rows at locators, as (data file, position) for the Iceberg delete. */
static orb_status cold_locate(cold_tier *c, orb_wset *ws, const uint64_t *loc, int n, cold_row_ref *refs, orb_err *e) {
  cold_state *s = NULL;
  const ice_plan *p = NULL;
  orb_status st = pinned_plan(c, ws, &s, &p, e);
  if (st != ORB_OK) return st;
  for (int i = 0; i < n && st == ORB_OK; i++) {
    uint64_t id = ORB_LOC_ROWID(loc[i]);
    int file = (int)(id >> COLD_LOC_POS_BITS);
    if (ORB_LOC_TIER(loc[i]) != ORB_TIER_COLD || id == COLD_LOC_NONE || file >= p->nfiles)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "table \"%s\": row (locator %llx) cannot be located in the Iceberg table", c->name,
                       (unsigned long long)loc[i]);
    else
      refs[i].file = &p->files[file], refs[i].pos = (int64_t)(id & COLD_LOC_POS_MASK);
  }
  if (st == ORB_OK) st = cold_rows_change(&c->base, c->where, p->snapshot ? p->snapshot->snapshot_id : -1, ws, refs, n, e);
  state_unref(c, s);
  return st;
}

static orb_status cold_delete(orb_tier *t, orb_wset *ws, const uint64_t *loc, int n, orb_err *e) {
  cold_tier *c = cold_of(t);
  if (!c->owned) return read_only(c, e);
  if (orb_wset_is_block(ws)) {   /* staged until COMMIT (cold_stage.h), as row ids */
    const orb_snapshot *snap = orb_wset_snapshot(ws);
    uint64_t *ids = orb_malloc(sizeof *ids * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) ids[i] = ORB_LOC_TIER(loc[i]) == ORB_TIER_COLD ? ORB_LOC_ROWID(loc[i]) : COLD_LOC_NONE;
    orb_status st = cold_stage_delete(cold_stage_get(t, ws, c->table_id, c->name, c->where, &c->schema), ws, ids, n,
                                      pin_find(snap ? snap->pins : NULL, c->table_id), e);
    orb_free(ids);
    return st;
  }
  cold_row_ref *refs = orb_malloc(sizeof *refs * (size_t)(n ? n : 1));
  orb_status st = cold_locate(c, ws, loc, n, refs, e);
  orb_free(refs);
  return st;
}

/* UPDATE: the old versions deleted by position, the new ones appended, one
** Iceberg commit ("overwrite") for both. */
static orb_status cold_update(orb_tier *t, orb_wset *ws, const uint64_t *loc, const orb_value *const *rows, int n,
                              orb_err *e) {
  orb_status st = cold_delete(t, ws, loc, n, e);
  if (st == ORB_OK) st = cold_insert(t, ws, rows, n, e);
  return st;
}

/* Iceberg has no index: a key is found by scanning, which the table does
** not ask of a tier; report "not here". */
static orb_status cold_pk_lookup(orb_tier *t, orb_wset *ws, const orb_value *key, bool *found, uint64_t *locator,
                                 const orb_value **row, orb_err *e) {
  (void)t, (void)ws, (void)key, (void)locator, (void)row, (void)e;
  *found = false;
  return ORB_OK;
}

static void cold_close(orb_tier *t) {
  cold_tier *c = cold_of(t);
  state_unref(c, c->cur);
  pthread_mutex_destroy(&c->mu);
  orb_schema_free(&c->schema);
  orb_arena_free(&c->names);
  orb_free(c->where);
  orb_free(c);
}

const orb_tier_ops cold_tier_ops = {.name = "cold",
                                    .insert = cold_insert,
                                    .scan_begin = cold_scan_begin,
                                    .scan_next = cold_scan_next,
                                    .scan_end = cold_scan_end,
                                    .scan_next_vec = cold_scan_next_vec,
                                    .count = cold_count,
                                    .delete_rows = cold_delete,
                                    .update_rows = cold_update,
                                    .pk_lookup = cold_pk_lookup,
                                    .stats = cold_stats,
                                    .explain = cold_explain,
                                    .close = cold_close};

orb_tier *cold_tier_new(uint32_t table_id, const char *name, const char *where, const orb_schema *schema, bool owned) {
  cold_tier *c = orb_calloc(1, sizeof *c);
  c->base.ops = &cold_tier_ops;
  c->table_id = table_id;
  orb_arena_init(&c->names, 0);
  c->name = orb_arena_strdup(&c->names, name);
  c->where = orb_strdup(where);
  orb_schema_copy(&c->schema, schema);
  c->owned = owned;
  pthread_mutex_init(&c->mu, NULL);
  return &c->base;
}

const char *cold_tier_location(const orb_tier *t) { return ((const cold_tier *)t)->where; }

void cold_tier_rename(orb_tier *t, const char *name) {
  cold_tier *c = cold_of(t);
  pthread_mutex_lock(&c->mu);
  c->name = orb_arena_strdup(&c->names, name);
  pthread_mutex_unlock(&c->mu);
}

void cold_tier_set_schema(orb_tier *t, const orb_schema *schema) {
  cold_tier *c = cold_of(t);
  orb_schema_free(&c->schema);
  orb_schema_copy(&c->schema, schema);
}
