/* storage/cold/cold_stage.c — a transaction block's staged changes to an
** owned Iceberg table, committed as one snapshot (see cold_stage.h). */
#include "storage/cold/cold_stage.h"
#include "storage/cold/cold_tier.h"
#include "storage/cold/ice_write.h"
#include "storage/cold/ice_commit.h"
#include "storage/storage_int.h"
#include "base/mem.h"
#include "types/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cold_stage {
  orb_tier *tier;
  uint32_t table_id;
  const char *name, *dir;        /* the tier's */
  const orb_schema *schema;      /* the tier's: the catalog's columns, which a staged ALTER changes */
  orb_cold_pins *pins;           /* the transaction's: the list the stage is in */
  cold_stage *next;
  orb_arena arena;               /* staged values */
  const orb_value **rows;        /* nrows staged rows, schema order */
  int64_t nrows;
  size_t caprows;
  uint64_t *dels;                /* ndels row ids deleted, in order staged */
  int64_t ndels;
  size_t capdels;
  uint64_t *sorted;              /* the first nsorted of dels, sorted (cold_stage_seal) */
  int64_t nsorted;
  bool sealed;                   /* sorted matches dels */
  char *base_meta;               /* the snapshot the deleted snapshot rows are in */
  int64_t based_on;
  bool has_base;
  int64_t snapshot_id;           /* chosen for COMMIT's intent record (cold_stage_intents), else 0 */
  cold_alter *alters;            /* nalters ALTER TABLE changes staged, in order (values in arena) */
  int nalters;
  size_t capalters;
  /* what stage_prepare wrote for stage_commit to publish */
  ice_append *app;
  ice_rowdelta *del;
  void *ref;                     /* keeps the base snapshot's plan alive for del */
};

cold_stage *cold_stage_find(const orb_cold_pins *pins, uint32_t table_id) {
  for (cold_stage *g = pins ? pins->staged : NULL; g; g = g->next)
    if (g->table_id == table_id) return g;
  return NULL;
}

static void unlink_stage(cold_stage *g) {
  for (cold_stage **p = &g->pins->staged; *p; p = &(*p)->next)
    if (*p == g) {
      *p = g->next;
      break;
    }
}

static void stage_abort(void *ctx);

static void stage_free(void *ctx) {
  cold_stage *g = ctx;
  stage_abort(g);
  unlink_stage(g);
  orb_arena_free(&g->arena);
  orb_free(g->rows);
  orb_free(g->dels);
  orb_free(g->sorted);
  orb_free(g->base_meta);
  orb_free(g->alters);
  orb_free(g);
}

/* Nothing is written before COMMIT; what its prepare wrote is removed. */
static void stage_abort(void *ctx) {
  cold_stage *g = ctx;
  if (g->app) ice_append_abort(g->app);
  if (g->del) ice_rowdelta_abort(g->del);
  if (g->ref) cold_tier_plan_release(g->tier, g->ref);
  g->app = NULL;
  g->del = NULL;
  g->ref = NULL;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The deletes staged since the last seal are sorted and merged into
** `sorted` (a block of one-row DELETE statements costs a merge each, not a
** sort of everything); a cut below what was merged starts again.  A
** scan reads `sorted` through the stage at every lookup, never keeping the
** pointer, so replacing it under an open scan (an UPDATE's, while a
** subquery's scan begins) is safe: the stage belongs to one session. */
void cold_stage_seal(cold_stage *g) {
  if (g->sealed) return;
  size_t n = (size_t)g->ndels, old = (size_t)g->nsorted, add = n - old;
  uint64_t *tail = orb_malloc(sizeof(uint64_t) * (add ? add : 1));
  memcpy(tail, g->dels + old, sizeof(uint64_t) * add);
  qsort(tail, add, sizeof(uint64_t), cmp_u64);
  uint64_t *merged = orb_malloc(sizeof(uint64_t) * (n ? n : 1));
  size_t i = 0, j = 0, k = 0;
  while (i < old && j < add) merged[k++] = g->sorted[i] <= tail[j] ? g->sorted[i++] : tail[j++];
  while (i < old) merged[k++] = g->sorted[i++];
  while (j < add) merged[k++] = tail[j++];
  orb_free(tail);
  orb_free(g->sorted);
  g->sorted = merged;
  g->nsorted = (int64_t)n;
  g->sealed = true;
}

bool cold_stage_deleted(const cold_stage *g, uint64_t id) {
  return g->nsorted && bsearch(&id, g->sorted, (size_t)g->nsorted, sizeof(uint64_t), cmp_u64) != NULL;
}

static bool is_staged(uint64_t id) { return (id >> COLD_LOC_POS_BITS) == COLD_LOC_STAGED; }

int cold_stage_intents(orb_cold_pins *pins, cold_intent **out) {
  int n = 0;
  *out = NULL;
  for (cold_stage *g = pins->staged; g; g = g->next) {
    if (!g->app && !g->del) continue;   /* prepared: nothing to publish */
    g->snapshot_id = ice_random_id();
    *out = orb_realloc(*out, sizeof **out * (size_t)(n + 1));
    (*out)[n].table_id = g->table_id;
    (*out)[n++].snapshot_id = g->snapshot_id;
  }
  return n;
}

const char *cold_stage_bare_alter(const orb_cold_pins *pins) {
  for (const cold_stage *g = pins->staged; g; g = g->next)
    if (g->nalters && g->nrows == 0 && g->ndels == 0) return g->name;
  return NULL;
}

/* The staged ALTER TABLE changes applied in order to base (an Iceberg
** commit's edit: each attempt's freshly loaded metadata). */
static orb_status stage_edit(void *ctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  cold_stage *g = ctx;
  ice_meta cur = *base;
  for (int i = 0; i < g->nalters; i++) {
    ice_meta nx;
    orb_status st = cold_alter_apply(a, &cur, &g->alters[i], &nx, e);
    if (st != ORB_OK) return st;
    cur = nx;
  }
  *next = cur;
  if (!g->nalters) return ORB_OK;
  /* the catalog took the columns the changes gave when they were staged:
  ** on metadata another writer changed since (a column added, renamed or
  ** dropped), they may give others, which the catalog would not match */
  orb_schema got;
  orb_status st = cold_alter_columns(&cur, &g->alters[g->nalters - 1], g->schema, &got, e);
  if (st != ORB_OK) return st;
  bool same = orb_schema_same(&got, g->schema);
  orb_schema_free(&got);
  if (!same)
    return orb_err_setx(e, ORB_ERR_CONFLICT, "40001", 0,
                        "could not serialize access due to concurrent update: another writer changed the schema of "
                        "Iceberg table \"%s\" since this transaction altered it",
                        g->name);
  return ORB_OK;
}

/* Whether the staged changes still apply to the table's current metadata
** (a COMMIT with no rows: checked before any table publishes). */
static orb_status alters_check(cold_stage *g, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m, next;
  ice_meta_file f;
  orb_status st = ice_meta_open(&a, g->dir, &m, &f, e);
  if (st == ORB_OK) st = stage_edit(g, &a, &m, &next, e);
  orb_arena_free(&a);
  return st;
}

/* COMMIT, first for every action of the transaction (txn/wset.c): the
** snapshot's rows deleted go to a position-delete change based on the
** stage's base, the staged rows still live to an append (data files and
** manifests written), and the deletes are checked against the table's
** current metadata, so that a conflict with a commit made before this
** COMMIT began fails it before any table of the transaction publishes. */
static orb_status stage_prepare(void *ctx, orb_err *e) {
  cold_stage *g = ctx;
  cold_stage_seal(g);
  orb_status st = ORB_OK;
  const ice_plan *plan = NULL;
  int64_t nsnap = 0;
  for (int64_t i = 0; i < g->ndels; i++) nsnap += !is_staged(g->dels[i]);
  if (nsnap && g->has_base) {
    if ((st = cold_tier_plan_at(g->tier, g->base_meta, g->based_on, &g->ref, &plan, e)) != ORB_OK) goto out;
    st = ice_rowdelta_begin(g->dir, g->based_on, -1, &g->del, e);
    if (st == ORB_OK && g->nalters) ice_rowdelta_set_edit(g->del, stage_edit, g);
    for (int64_t i = 0; i < g->ndels && st == ORB_OK; i++) {
      uint64_t id = g->dels[i];
      int64_t file = (int64_t)(id >> COLD_LOC_POS_BITS);
      if (is_staged(id)) continue;
      if (file >= plan->nfiles)
        st = orb_err_set(e, ORB_ERR_INTERNAL, "table \"%s\": staged delete of a row of data file %lld of %d", g->name,
                         (long long)file, plan->nfiles);
      else
        st = ice_rowdelta_delete(g->del, &plan->files[file], (int64_t)(id & COLD_LOC_POS_MASK), e);
    }
    if (st == ORB_OK) st = ice_rowdelta_check(g->del, e);
  }
  /* the staged rows not deleted since, in order, in batches */
  enum { BATCH = 1024 };
  int ncols = g->schema->ncols;
  orb_value *flat = NULL;
  int nflat = 0;
  for (int64_t r = 0; r < g->nrows && st == ORB_OK; r++) {
    if (cold_stage_deleted(g, ((uint64_t)COLD_LOC_STAGED << COLD_LOC_POS_BITS) | (uint64_t)r)) continue;
    if (!g->app && (st = cold_append_open_edited(g->dir, g->schema, g->nalters ? stage_edit : NULL, g, &g->app, e)) !=
                       ORB_OK)
      break;
    if (!flat) flat = orb_malloc(sizeof(orb_value) * (size_t)ncols * BATCH);
    memcpy(flat + (size_t)nflat * (size_t)ncols, g->rows[r], sizeof(orb_value) * (size_t)ncols);
    if (++nflat == BATCH) {
      st = ice_append_rows(g->app, flat, nflat, e);
      nflat = 0;
    }
  }
  if (st == ORB_OK && nflat) st = ice_append_rows(g->app, flat, nflat, e);
  orb_free(flat);
  if (st == ORB_OK && g->nalters && !g->app && !g->del) st = alters_check(g, e);
out:
  if (st != ORB_OK && e) orb_err_prefix(e, "COMMIT of Iceberg table \"%s\": ", g->name);
  return st;   /* on failure the transaction aborts: stage_abort removes what was written */
}

/* Then publish: one Iceberg commit (with the snapshot id the intent
** record named, when there is one). */
static orb_status stage_commit(void *ctx, orb_err *e) {
  cold_stage *g = ctx;
  ice_rowdelta *del = g->del;
  ice_append *app = g->app;
  g->del = NULL;
  g->app = NULL;
  if (g->snapshot_id > 0) {
    if (del) ice_rowdelta_set_snapshot_id(del, g->snapshot_id);
    else if (app) ice_append_set_snapshot_id(app, g->snapshot_id);
  }
  orb_status st;
  if (!app && !del && g->nalters) {   /* the changes alone: one metadata commit */
    orb_arena a;
    orb_arena_init(&a, 0);
    st = ice_meta_update(&a, g->dir, -1, stage_edit, g, NULL, e);
    orb_arena_free(&a);
  } else {
    st = cold_publish(app, del, e);
  }
  if (g->ref) cold_tier_plan_release(g->tier, g->ref);
  g->ref = NULL;
  if (st != ORB_OK && e) orb_err_prefix(e, "COMMIT of Iceberg table \"%s\": ", g->name);
  return st;
}

cold_stage *cold_stage_get(orb_tier *t, orb_wset *ws, uint32_t table_id, const char *name, const char *dir,
                           const orb_schema *schema) {
  cold_stage *g = cold_stage_find(&ws->pins, table_id);
  if (g) return g;
  g = orb_calloc(1, sizeof *g);
  g->tier = t;
  g->table_id = table_id;
  g->name = name;
  g->dir = dir;
  g->schema = schema;
  g->pins = &ws->pins;
  g->sealed = true;
  orb_arena_init(&g->arena, 0);
  g->next = ws->pins.staged;
  ws->pins.staged = g;
  wset_action_add_prepared(ws, t, stage_prepare, stage_commit, stage_abort, stage_free, g);
  return g;
}

/* Where a savepoint taken now would cut back to. */
static void push_mark(cold_stage *g, orb_wset *ws) {
  wset_push(ws, U_COLD_STAGE, g, (uint64_t)g->nrows, (void *)(uintptr_t)g->ndels, NULL);
}

orb_status cold_stage_rows(cold_stage *g, orb_wset *ws, const orb_value *const *rows, int n, orb_err *e) {
  int ncols = g->schema->ncols;
  if (g->nrows + n >= (int64_t)COLD_LOC_POS_MASK || g->arena.total > COLD_STAGE_MAX_BYTES)
    return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0,
                        "transaction block holds too many new rows for Iceberg table \"%s\" (over %zu MiB): commit "
                        "more often, or load the table outside a transaction block",
                        g->name, COLD_STAGE_MAX_BYTES >> 20);
  push_mark(g, ws);
  g->rows = orb_grow(g->rows, &g->caprows, (size_t)(g->nrows + n), sizeof *g->rows);
  for (int r = 0; r < n; r++) {
    orb_value *v = orb_arena_alloc(&g->arena, sizeof(orb_value) * (size_t)(ncols ? ncols : 1));
    for (int c = 0; c < ncols; c++) v[c] = orb_value_copy(&rows[r][c], &g->arena);
    g->rows[g->nrows++] = v;
  }
  return ORB_OK;
}

orb_status cold_stage_delete(cold_stage *g, orb_wset *ws, const uint64_t *ids, int n, orb_cold_pin *pin, orb_err *e) {
  for (int i = 0; i < n; i++) {
    uint64_t id = ids[i];
    if (id == COLD_LOC_NONE || (is_staged(id) && (int64_t)(id & COLD_LOC_POS_MASK) >= g->nrows))
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "table \"%s\": row (id %llx) cannot be located in the Iceberg table",
                         g->name, (unsigned long long)id);
    if (is_staged(id)) continue;
    if (!pin)
      return orb_err_set(e, ORB_ERR_INTERNAL, "table \"%s\": rows to change were not read at a pinned Iceberg snapshot",
                         g->name);
    if (!g->has_base) {
      g->has_base = true;
      g->based_on = pin->snapshot_id;
      g->base_meta = orb_strdup(pin->meta_path);
      pin->keep = true;
    } else if (g->based_on != pin->snapshot_id) {
      return orb_err_set(e, ORB_ERR_INTERNAL, "table \"%s\": staged deletes of two Iceberg snapshots (%lld, %lld)",
                         g->name, (long long)g->based_on, (long long)pin->snapshot_id);
    }
  }
  push_mark(g, ws);
  g->dels = orb_grow(g->dels, &g->capdels, (size_t)(g->ndels + n), sizeof *g->dels);
  memcpy(g->dels + g->ndels, ids, sizeof(uint64_t) * (size_t)n);
  g->ndels += n;
  g->sealed = false;
  return ORB_OK;
}

void cold_stage_cut(void *ctx, int64_t nrows, int64_t ndels) {
  cold_stage *g = ctx;
  if (g->nrows > nrows) g->nrows = nrows;
  if (g->ndels > ndels) {
    g->ndels = ndels;
    g->sealed = false;
    if (g->nsorted > ndels) g->nsorted = 0;   /* merged deletes were cut: sort them all again */
  }
}

bool cold_stage_empty(const cold_stage *g) { return !g || (g->nrows == 0 && g->ndels == 0); }
int64_t cold_stage_nrows(const cold_stage *g) { return g ? g->nrows : 0; }
const orb_value *cold_stage_row(const cold_stage *g, int64_t i) { return g->rows[i]; }

/* --- ALTER TABLE in the block ------------------------------------------------ */

/* What undoes one staged change: the count of changes before it, and the
** staged rows as they were when it converted them (rows[nrows]). */
typedef struct stage_undo {
  int nalters;
  int64_t nrows;
  const orb_value **rows;        /* NULL: the change left the rows alone */
} stage_undo;

static const char *copy_str(orb_arena *a, const char *s) { return s ? orb_arena_strdup(a, s) : NULL; }

static cold_alter copy_alter(orb_arena *a, const cold_alter *c) {
  cold_alter x = *c;
  x.name = copy_str(a, c->name);
  x.term = copy_str(a, c->term);
  x.with = copy_str(a, c->with);
  x.as = copy_str(a, c->as);
  if (c->nprops) {
    const char **k = orb_arena_alloc(a, sizeof(char *) * (size_t)c->nprops);
    const char **v = orb_arena_alloc(a, sizeof(char *) * (size_t)c->nprops);
    for (int i = 0; i < c->nprops; i++) k[i] = copy_str(a, c->prop_keys[i]), v[i] = copy_str(a, c->prop_values[i]);
    x.prop_keys = k;
    x.prop_values = v;
  }
  return x;
}

/* Whether a row of `from` is already a row of `to`. */
static bool same_row_shape(const orb_schema *from, const orb_schema *to) {
  if (from->ncols != to->ncols) return false;
  for (int i = 0; i < from->ncols; i++)
    if (from->cols[i].field_id != to->cols[i].field_id || from->cols[i].type.id != to->cols[i].type.id) return false;
  return true;
}

/* Every staged row as a row of `to`, matched by field id: the new arrays
** in rows_out (heap), values in the stage's arena. */
static orb_status convert_rows(cold_stage *g, const orb_schema *from, const orb_schema *to, const orb_value ***rows_out,
                               orb_err *e) {
  int n = to->ncols;
  int *src = orb_malloc(sizeof(int) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) src[i] = orb_schema_find_id(from, to->cols[i].field_id);
  const orb_value **out = orb_malloc(sizeof *out * (size_t)(g->nrows ? g->nrows : 1));
  orb_status st = ORB_OK;
  for (int64_t r = 0; r < g->nrows && st == ORB_OK; r++) {
    orb_value *v = orb_arena_alloc(&g->arena, sizeof(orb_value) * (size_t)(n ? n : 1));
    for (int i = 0; i < n && st == ORB_OK; i++) {
      if (src[i] < 0) v[i] = orb_null((orb_type_id)to->cols[i].type.id);
      else if (g->rows[r][src[i]].isnull) v[i] = orb_null((orb_type_id)to->cols[i].type.id);
      else if (from->cols[src[i]].type.id == to->cols[i].type.id) v[i] = g->rows[r][src[i]];
      else st = orb_value_cast(&g->rows[r][src[i]], to->cols[i].type, &g->arena, &v[i], e);
    }
    out[r] = v;
  }
  orb_free(src);
  if (st != ORB_OK) {
    orb_free(out);
    return st;
  }
  *rows_out = out;
  return ORB_OK;
}

orb_status cold_stage_alter(cold_stage *g, orb_wset *ws, const cold_alter *c, const orb_schema *catalog,
                            orb_schema *out, orb_err *e) {
  orb_schema_init(out);
  orb_status st = cold_alter_check(c, catalog, e);
  if (st != ORB_OK) return st;
  /* the change on top of those staged before it, on the metadata now:
  ** refused here as the same ALTER outside a block would be */
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m, staged, next;
  ice_meta_file f;
  st = ice_meta_open(&a, g->dir, &m, &f, e);
  if (st == ORB_OK) st = stage_edit(g, &a, &m, &staged, e);
  if (st == ORB_OK) st = cold_alter_apply(&a, &staged, c, &next, e);
  if (st == ORB_OK) st = cold_alter_columns(&next, c, catalog, out, e);
  orb_arena_free(&a);
  if (st != ORB_OK) return st;
  const orb_value **conv = NULL;
  if (g->nrows && !same_row_shape(catalog, out) && (st = convert_rows(g, catalog, out, &conv, e)) != ORB_OK) {
    orb_schema_free(out);
    return st;
  }
  stage_undo *u = orb_malloc(sizeof *u);
  u->nalters = g->nalters;
  u->nrows = g->nrows;
  u->rows = NULL;
  if (conv) {   /* the old arrays kept for the undo; the new ones in their place */
    u->rows = orb_malloc(sizeof *u->rows * (size_t)g->nrows);
    memcpy(u->rows, g->rows, sizeof *u->rows * (size_t)g->nrows);
    memcpy(g->rows, conv, sizeof *conv * (size_t)g->nrows);
    orb_free(conv);
  }
  wset_push(ws, U_COLD_STAGE, g, (uint64_t)g->nrows, (void *)(uintptr_t)g->ndels, u);
  g->alters = orb_grow(g->alters, &g->capalters, (size_t)g->nalters + 1, sizeof *g->alters);
  g->alters[g->nalters++] = copy_alter(&g->arena, c);
  return ORB_OK;
}

void cold_stage_unalter(void *ctx, void *undo) {
  cold_stage *g = ctx;
  stage_undo *u = undo;
  if (g->nalters > u->nalters) g->nalters = u->nalters;
  if (u->rows) {
    int64_t n = u->nrows < g->nrows ? u->nrows : g->nrows;
    memcpy(g->rows, u->rows, sizeof *u->rows * (size_t)n);
    orb_free(u->rows);
  }
  orb_free(u);
}

void cold_stage_undo_free(void *undo) {
  stage_undo *u = undo;
  if (!u) return;
  orb_free(u->rows);
  orb_free(u);
}
