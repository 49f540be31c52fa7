/* storage/cold/cold_write.c — the database's own Iceberg tables: creating
** one, appending to it and deleting or updating its rows in step with a
** write set, removing its folder (see cold_tier.h).  The Iceberg write path itself (data files, manifests,
** commits) is storage/cold/ice_write.h's. */
#include "storage/cold/cold_tier.h"
#include "storage/cold/cold_stage.h"
#include "storage/cold/ice_write.h"
#include "storage/cold/ice_commit.h"
#include "storage/storage_int.h"
#include "base/mem.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>

orb_status cold_table_create(const char *dir, orb_schema *schema, const char *partition_by,
                             const char *const *prop_keys, const char *const *prop_values, int nprops, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_kv *props = orb_arena_zalloc(&a, sizeof *props * (size_t)(nprops + 1));
  for (int i = 0; i < nprops; i++) props[i].key = prop_keys[i], props[i].value = prop_values[i];
  orb_status st = cold_check_properties(props, nprops, e);
  ice_meta m;
  if (st == ORB_OK)
    st = ice_table_create(&a, dir, NULL, schema, partition_by && *partition_by ? partition_by : NULL, props, nprops,
                          &m, e);
  if (st == ORB_OK && m.last_column_id >= schema->next_field_id) schema->next_field_id = m.last_column_id + 1;
  orb_arena_free(&a);
  return st;
}

/* One change per table and write set: opened by the first insert or
** delete, fed by later ones, committed or aborted with the write set
** (storage_int.h).  An append alone commits as "append"; deletes (with an
** UPDATE's new rows) as one "delete" or "overwrite" snapshot. */
typedef struct cold_change {
  ice_append *app;
  ice_rowdelta *del;
  bool failed;             /* a batch was refused part-way: the change must not commit */
  orb_err why;
} cold_change;


static orb_status change_commit(void *ctx, orb_err *e) {
  cold_change *c = ctx;
  ice_append *app = c->app;
  ice_rowdelta *del = c->del;
  c->app = NULL;
  c->del = NULL;
  if (c->failed) {
    ice_append_abort(app);
    ice_rowdelta_abort(del);
    if (e) *e = c->why;
    return c->why.code;
  }
  return cold_publish(app, del, e);
}

orb_status cold_publish(ice_append *app, ice_rowdelta *del, orb_err *e) {
  int64_t snapshot;
  if (del) return ice_rowdelta_commit(del, app, &snapshot, e);   /* consumes app */
  if (app) return ice_append_commit(app, &snapshot, NULL, e);
  return ORB_OK;
}

static void change_abort(void *ctx) {
  cold_change *c = ctx;
  if (c->app) ice_append_abort(c->app);
  if (c->del) ice_rowdelta_abort(c->del);
  c->app = NULL;
  c->del = NULL;
}

static void change_done(void *ctx) {
  change_abort(ctx);
  orb_free(ctx);
}

static cold_change *change_get(orb_tier *t, orb_wset *ws) {
  cold_change *c = wset_action_find(ws, t);
  if (!c) {
    c = orb_calloc(1, sizeof *c);
    wset_action_add(ws, t, change_commit, change_abort, change_done, c);
  }
  return c;
}

static orb_status change_fail(cold_change *c, orb_status st, orb_err *e) {
  c->failed = true;
  orb_err_set(&c->why, st, "%s", e ? e->msg : "an earlier batch was refused");
  if (e) c->why = *e;
  return st;
}

orb_status cold_append_open(const char *dir, const orb_schema *schema, ice_append **out, orb_err *e) {
  return cold_append_open_edited(dir, schema, NULL, NULL, out, e);
}

orb_status cold_append_open_edited(const char *dir, const orb_schema *schema, ice_meta_edit_fn edit, void *ctx,
                                   ice_append **out, orb_err *e) {
  ice_append *app;
  orb_status st = edit ? ice_append_begin_edited(dir, edit, ctx, &app, e) : ice_append_begin(dir, NULL, &app, e);
  if (st != ORB_OK) return st;
  /* rows come in catalog order and go out in the Iceberg schema's: the
  ** two must be the same columns (cold_schema_reconcile makes them so at
  ** open; another engine may have changed the schema since) */
  bool same = ice_append_ncols(app) == schema->ncols;
  for (int i = 0; same && i < schema->ncols; i++) same = ice_append_col_field_id(app, i) == schema->cols[i].field_id;
  if (!same) {
    int n = ice_append_ncols(app);
    ice_append_abort(app);
    return orb_err_set(e, ORB_ERR_CORRUPT,
                       "Iceberg table \"%s\" has other columns than the catalog (%d there, %d here): its schema was "
                       "changed outside Orbit; reopen the database to take the new columns",
                       dir, n, schema->ncols);
  }
  *out = app;
  return ORB_OK;
}

orb_status cold_append_insert(orb_tier *t, const char *dir, const orb_schema *schema, orb_wset *ws,
                              const orb_value *const *rows, int n, orb_err *e) {
  cold_change *c = change_get(t, ws);
  orb_status st;
  if (c->failed) {
    if (e) *e = c->why;
    return c->why.code;
  }
  if (!c->app && (st = cold_append_open(dir, schema, &c->app, e)) != ORB_OK) return st;
  /* the append takes rows row-major in one array; values are copied by it */
  int ncols = schema->ncols;
  orb_value *flat = orb_malloc(sizeof(orb_value) * (size_t)ncols * (size_t)(n ? n : 1));
  for (int r = 0; r < n; r++) memcpy(flat + (size_t)r * (size_t)ncols, rows[r], sizeof(orb_value) * (size_t)ncols);
  st = ice_append_rows(c->app, flat, n, e);
  orb_free(flat);
  if (st != ORB_OK) return change_fail(c, st, e);   /* a partitioned table's batch may be in its files in part */
  return ORB_OK;
}

orb_status cold_rows_change(orb_tier *t, const char *dir, int64_t based_on, orb_wset *ws, const cold_row_ref *rows, int n,
                            orb_err *e) {
  cold_change *c = change_get(t, ws);
  orb_status st;
  if (c->failed) {
    if (e) *e = c->why;
    return c->why.code;
  }
  if (!c->del && (st = ice_rowdelta_begin(dir, based_on, -1, &c->del, e)) != ORB_OK) return st;
  for (int i = 0; i < n; i++)
    if ((st = ice_rowdelta_delete(c->del, rows[i].file, rows[i].pos, e)) != ORB_OK) return change_fail(c, st, e);
  return ORB_OK;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(p) == 0 || errno == ENOENT ? 0 : -1;
}

orb_status cold_table_remove(const char *dir, orb_err *e) {
  if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
    return orb_err_set(e, ORB_ERR_IO, "could not remove Iceberg table folder \"%s\": %s", dir, strerror(errno));
  return ORB_OK;
}

int64_t cold_clock_ms(void) { return ice_now_ms(); }

orb_status cold_table_has_snapshot(const char *dir, int64_t id, bool *has, orb_err *e) {
  orb_arena a;
  orb_arena_init(&a, 0);
  ice_meta m;
  ice_meta_file f;
  orb_status st = ice_meta_open(&a, dir, &m, &f, e);
  *has = st == ORB_OK && ice_meta_snapshot(&m, id) != NULL;
  orb_arena_free(&a);
  return st;
}
