/* storage/table.c — the tiered table: constraints, then the tiers (see table.h). */
#include "storage/storage_int.h"
#include "storage/catalog.h"
#include "base/mem.h"
#include "types/value.h"

#include <string.h>

/* --- constraint checks ------------------------------------------------- */

static bool same_family(uint8_t a, uint8_t b) {
  if (a == b) return true;
  if (orb_type_is_integer((orb_type_id)a) && orb_type_is_integer((orb_type_id)b)) return true;
  if (orb_type_is_float((orb_type_id)a) && orb_type_is_float((orb_type_id)b)) return true;
  return false;
}

static size_t utf8_chars(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
  return k;
}

/* PostgreSQL's DETAIL for a row a constraint refuses: "Failing row contains
** (1, null, abc)." (each value's text cut to 64 bytes at a character boundary). */
void orb_table_failing_row(const orb_schema *s, const orb_value *row, orb_err *e) {
  orb_buf vals = ORB_BUF_INIT, one = ORB_BUF_INIT;
  for (int c = 0; c < s->ncols; c++) {
    if (c) orb_buf_puts(&vals, ", ");
    if (row[c].isnull) {
      orb_buf_puts(&vals, "null");
      continue;
    }
    orb_buf_reset(&one);
    orb_value_to_text(&row[c], &one);
    size_t n = one.len;
    if (n > 64) {
      n = 64;
      while (n > 0 && ((unsigned char)one.data[n] & 0xC0) == 0x80) n--;
    }
    orb_buf_append(&vals, one.data, n);
  }
  orb_err_detail(e, "Failing row contains (%s).", vals.data ? vals.data : "");
  orb_buf_free(&vals);
  orb_buf_free(&one);
}

/* NOT NULL (primary key columns implicitly), types, VARCHAR(n) lengths. */
static orb_status check_row(const orb_table *t, const orb_value *row, orb_err *e) {
  const orb_schema *s = &t->schema;
  for (int c = 0; c < s->ncols; c++) {
    const orb_column *col = &s->cols[c];
    const orb_value *v = &row[c];
    if (v->isnull) {
      if (col->not_null || orb_schema_is_pk(s, c)) {
        orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0,
                     "null value in column \"%s\" of relation \"%s\" violates not-null constraint", col->name, t->name);
        orb_table_failing_row(s, row, e);
        return ORB_ERR_NOT_NULL;
      }
      continue;
    }
    if (!same_family(v->type, col->type.id))
      return orb_err_setx(e, ORB_ERR_TYPE, "42804", 0, "column \"%s\" is of type %s but the value is of type %s",
                          col->name, catalog_type_name(col->type.id), catalog_type_name(v->type));
    if (v->type == ORB_T_ARRAY && !same_family(v->scale, col->type.elem))
      return orb_err_setx(e, ORB_ERR_TYPE, "42804", 0, "column \"%s\" is an array of %s but the value is an array of %s",
                          col->name, catalog_type_name(col->type.elem), catalog_type_name(v->scale));
    if (col->type.maxlen > 0 && v->type == ORB_T_TEXT && v->len > (uint32_t)col->type.maxlen &&
        utf8_chars(v->u.s, v->len) > (size_t)col->type.maxlen)
      return orb_err_setx(e, ORB_ERR_CONSTRAINT, "22001", 0, "value too long for type character varying(%d)",
                          col->type.maxlen);
  }
  return ORB_OK;
}

static orb_status duplicate_key(const orb_table *t, const orb_value *row, orb_err *e) {
  const orb_schema *s = &t->schema;
  orb_buf cols = ORB_BUF_INIT, vals = ORB_BUF_INIT;
  for (int i = 0; i < s->npk; i++) {
    int c = orb_schema_pk_col(s, i);
    if (i) {
      orb_buf_puts(&cols, ", ");
      orb_buf_puts(&vals, ", ");
    }
    orb_buf_puts(&cols, s->cols[c].name);
    orb_value_to_text(&row[c], &vals);
  }
  orb_status st = orb_err_setx(e, ORB_ERR_UNIQUE, "23505", 0, "duplicate key value violates unique constraint \"%s_pkey\"",
                               t->name);
  orb_err_detail(e, "Key (%s)=(%s) already exists.", cols.data ? cols.data : "", vals.data ? vals.data : "");
  orb_buf_free(&cols);
  orb_buf_free(&vals);
  return st;
}

/* 23505 for unique index k of the table (its name, PostgreSQL's words). */
static orb_status duplicate_index_key(const orb_table *t, int k, const orb_value *row, orb_err *e) {
  const orb_schema *s = &t->schema;
  const orb_index *ix = &s->indexes[k];
  orb_buf cols = ORB_BUF_INIT, vals = ORB_BUF_INIT;
  for (int i = 0; i < ix->ncols; i++) {
    int c = orb_schema_find_id(s, ix->cols[i]);
    if (i) {
      orb_buf_puts(&cols, ", ");
      orb_buf_puts(&vals, ", ");
    }
    orb_buf_puts(&cols, s->cols[c].name);
    if (row[c].isnull) orb_buf_puts(&vals, "null");
    else orb_value_to_text(&row[c], &vals);
  }
  orb_status st = orb_err_setx(e, ORB_ERR_UNIQUE, "23505", 0, "duplicate key value violates unique constraint \"%s\"",
                               ix->name);
  orb_err_detail(e, "Key (%s)=(%s) already exists.", cols.data ? cols.data : "", vals.data ? vals.data : "");
  orb_buf_free(&cols);
  orb_buf_free(&vals);
  return st;
}

/* The unique indexes other than the primary key: is row's key in one of
** them held by a row other than self (a new row: UINT64_MAX)?  When old is
** given (an update), only the indexes whose key the update changes. */
static orb_status check_unique_indexes(const orb_table *t, hot_tier *h, orb_wset *ws, const orb_value *row,
                                       const orb_value *old, uint64_t self, orb_err *e) {
  for (int k = 0; k < t->schema.nindexes; k++) {
    if (!t->schema.indexes[k].unique || (old && !hot_sidx_key_differs(h, k, old, row))) continue;
    bool taken = false;
    uint64_t other;
    orb_status st = hot_sidx_taken(h, ws, k, row, self, &taken, &other, e);
    if (st != ORB_OK) return st;
    if (taken) return duplicate_index_key(t, k, row, e);
  }
  return ORB_OK;
}

static bool key_differs(const orb_schema *s, const orb_value *a, const orb_value *b) {
  for (int i = 0; i < s->npk; i++) {
    int c = orb_schema_pk_col(s, i);
    if (a[c].isnull != b[c].isnull) return true;
    if (a[c].isnull) continue;
    orb_value x = b[c];
    x.type = a[c].type;
    if (orb_value_cmp(&a[c], &x) != 0) return true;
  }
  return false;
}

/* --- kinds ---------------------------------------------------------------- */

orb_status orb_table_check_writable(const orb_table *t, const char *what, orb_err *e) {
  if (t->kind == ORB_TABLE_VIEW)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "cannot %s view \"%s\": views are read-only here", what,
                        t->name);
  if (t->kind == ORB_TABLE_SEQUENCE)
    return orb_err_setx(e, ORB_ERR_MISUSE, "42809", 0, "cannot %s sequence \"%s\"", what, t->name);
  if (t->kind == ORB_TABLE_EXTERNAL)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "25006", 0,
                        "cannot %s \"%s\": it is an external Iceberg table, which is read-only", what, t->name);
  /* the database's own Iceberg tables take appends, deletes and updates as
  ** position delete files (merge-on-read), and schema / partition
  ** evolution (ALTER TABLE: orb_db_alter_iceberg) */
  if (t->kind == ORB_TABLE_ICEBERG && strcmp(what, "insert into") != 0 && strcmp(what, "copy into") != 0 &&
      strcmp(what, "update") != 0 && strcmp(what, "delete from") != 0 && strcmp(what, "alter") != 0)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0,
                        "cannot %s \"%s\": Iceberg tables take INSERT, COPY, UPDATE, DELETE and ALTER TABLE only", what,
                        t->name);
  return ORB_OK;
}

/* --- writes -------------------------------------------------------------- */

orb_status orb_table_insert(orb_table *t, orb_wset *ws, const orb_value *const *rows, int n, orb_err *e) {
  orb_status st = orb_table_check_writable(t, "insert into", e);
  if (st != ORB_OK) return st;
  for (int i = 0; i < n; i++)
    if ((st = check_row(t, rows[i], e)) != ORB_OK) return st;
  if (t->kind == ORB_TABLE_ICEBERG) {   /* cold-only: rows go straight to the Iceberg append */
    wset_mark m = wset_mark_get(ws);
    if ((st = t->cold->ops->insert(t->cold, ws, rows, n, e)) != ORB_OK) wset_rollback_to(ws, m);
    return st;
  }
  hot_tier *h = hot_of(t->hot);
  wset_mark m = wset_mark_get(ws);
  /* the key probes of a batch miss the cache: start them all before the
  ** inserts, keeping each key's hash for the probe and the index entry */
  uint64_t hbuf[64], *hashes = NULL;
  if (hot_has_pk(h)) {
    hashes = n <= 64 ? hbuf : orb_malloc(sizeof(uint64_t) * (size_t)n);
    for (int i = 0; i < n; i++) hashes[i] = hot_index_prefetch(h, rows[i]);
  }
  for (int i = 0; i < n; i++) {
    uint64_t other;
    bool taken = false;
    /* earlier rows of this batch are already in the index */
    if (hashes) {
      st = hot_key_taken_hashed(h, ws, rows[i], hashes[i], &taken, &other, e);
      if (st == ORB_OK && taken) st = duplicate_key(t, rows[i], e);
      if (st == ORB_OK && hot_sidx_count(h)) st = check_unique_indexes(t, h, ws, rows[i], NULL, UINT64_MAX, e);
      if (st == ORB_OK) st = hot_insert_hashed(h, ws, rows[i], hashes[i], e);
    } else {
      if (hot_sidx_count(h)) st = check_unique_indexes(t, h, ws, rows[i], NULL, UINT64_MAX, e);
      if (st == ORB_OK) st = hot_insert_one(h, ws, rows[i], -1, NULL, e);
    }
    if (st != ORB_OK) {
      wset_rollback_to(ws, m);
      break;
    }
  }
  if (hashes != hbuf) orb_free(hashes);
  return st;
}

orb_status orb_table_lock_row(orb_table *t, orb_wset *ws, uint64_t locator, bool shared, bool *gone, orb_err *e) {
  *gone = false;
  if (t->kind != ORB_TABLE_HOT)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "SELECT FOR UPDATE/SHARE of Iceberg table \"%s\" is not supported",
                        t->name);
  if (ORB_LOC_TIER(locator) != ORB_TIER_HOT)
    return orb_err_set(e, ORB_ERR_INTERNAL, "row to lock (locator %llx) is not in the hot tier", (unsigned long long)locator);
  hot_tier *h = hot_of(t->hot);
  uint64_t rowid = ORB_LOC_ROWID(locator);
  return shared ? hot_share_one(h, ws, rowid, gone, e) : hot_lock_one(h, ws, rowid, gone, e);
}

orb_status orb_table_update(orb_table *t, orb_wset *ws, const uint64_t *locators, const orb_value *const *rows, int n,
                            orb_err *e) {
  orb_status st;
  if ((st = orb_table_check_writable(t, "update", e)) != ORB_OK) return st;
  for (int i = 0; i < n; i++)
    if ((st = check_row(t, rows[i], e)) != ORB_OK) return st;
  if (t->kind == ORB_TABLE_ICEBERG) {   /* cold-only: the rows' positions deleted, the new versions appended */
    wset_mark m = wset_mark_get(ws);
    if ((st = t->cold->ops->update_rows(t->cold, ws, locators, rows, n, e)) != ORB_OK) wset_rollback_to(ws, m);
    return st;
  }
  hot_tier *h = hot_of(t->hot);
  wset_mark m = wset_mark_get(ws);
  for (int i = 0; i < n; i++) {
    uint64_t loc = locators[i], other;
    const orb_value *old = hot_row_visible(h, ORB_LOC_ROWID(loc), &ws->snap);
    bool taken = false;
    if (ORB_LOC_TIER(loc) != ORB_TIER_HOT || !old) {
      st = orb_err_set(e, ORB_ERR_INTERNAL, "row to update (locator %llx) does not exist", (unsigned long long)loc);
    } else if (hot_has_pk(h) && key_differs(&t->schema, old, rows[i]) &&
               ((st = hot_key_taken(h, ws, rows[i], ORB_LOC_ROWID(loc), &taken, &other, e)) != ORB_OK || taken)) {
      if (taken) st = duplicate_key(t, rows[i], e);
    } else if (hot_sidx_count(h) &&
               (st = check_unique_indexes(t, h, ws, rows[i], old, ORB_LOC_ROWID(loc), e)) != ORB_OK) {
      /* 23505 or a wait */
    } else {
      st = hot_update_one(h, ws, ORB_LOC_ROWID(loc), rows[i], e);
    }
    if (st != ORB_OK) {
      wset_rollback_to(ws, m);
      return st;
    }
  }
  return ORB_OK;
}

orb_status orb_table_delete(orb_table *t, orb_wset *ws, const uint64_t *locators, int n, orb_err *e) {
  orb_status cs = orb_table_check_writable(t, "delete from", e);
  if (cs != ORB_OK) return cs;
  wset_mark m = wset_mark_get(ws);
  orb_tier *tier = t->kind == ORB_TABLE_ICEBERG ? t->cold : t->hot;   /* an Iceberg table's rows are all cold */
  orb_status st = tier->ops->delete_rows(tier, ws, locators, n, e);
  if (st != ORB_OK) wset_rollback_to(ws, m);
  return st;
}

/* --- reads ---------------------------------------------------------------- */

/* The tiers a table reads, in scan order. */
static int tiers_of(orb_table *t, orb_tier **out) {
  int n = 0;
  out[n++] = t->hot;
  if (t->cold) out[n++] = t->cold;
  return n;
}

struct orb_table_scan {
  orb_tier *tiers[2];
  int ntiers, cur;
  orb_scan_req req;        /* for the tiers after the first (begun when reached) */
  orb_tier_scan *ts;
  orb_scan_stats stats;    /* of the tiers already ended */
};

static void add_stats(orb_scan_stats *a, const orb_scan_stats *b) {
  a->rows_scanned += b->rows_scanned;
  a->rows_returned += b->rows_returned;
  a->index_lookups += b->index_lookups;
  a->bytes_read += b->bytes_read;
  a->units_total += b->units_total;
  a->units_pruned += b->units_pruned;
  a->groups_total += b->groups_total;
  a->groups_pruned += b->groups_pruned;
  a->rows_deleted += b->rows_deleted;
}

static orb_status tier_begin(orb_table_scan *s, orb_err *e) {
  orb_tier *t = s->tiers[s->cur];
  orb_tier_scan *ts = NULL;
  orb_status st = t->ops->scan_begin(t, &s->req, &ts, e);
  if (st != ORB_OK) {
    if (ts) t->ops->scan_end(ts, NULL);
    return st;
  }
  s->ts = ts;
  return ORB_OK;
}

static void tier_end(orb_table_scan *s) {
  if (!s->ts) return;
  orb_scan_stats st = {0};
  s->tiers[s->cur]->ops->scan_end(s->ts, &st);
  add_stats(&s->stats, &st);
  s->ts = NULL;
}

orb_status orb_table_scan_begin(orb_table *t, const orb_scan_req *req, orb_table_scan **out, orb_err *e) {
  orb_table_scan *s = orb_calloc(1, sizeof *s);
  s->ntiers = tiers_of(t, s->tiers);
  s->req = *req;
  /* later tiers begin when the scan reaches them (an Iceberg table's empty
  ** hot tier ends at once, so its errors still come before any row) */
  orb_status st = tier_begin(s, e);
  if (st != ORB_OK) {
    orb_free(s);
    return st;
  }
  *out = s;
  return ORB_OK;
}

orb_status orb_table_scan_next(orb_table_scan *s, orb_row_batch *b, orb_err *e) {
  for (;;) {
    orb_status st = s->ts ? s->tiers[s->cur]->ops->scan_next(s->ts, b, e) : ORB_OK;
    if (st != ORB_OK) return st;
    if (s->ts && b->nrows > 0) return ORB_OK;
    b->nrows = 0;
    tier_end(s);
    if (s->cur + 1 >= s->ntiers) return ORB_OK;
    s->cur++;
    if ((st = tier_begin(s, e)) != ORB_OK) return st;
  }
}

bool orb_table_scan_has_vec(const orb_table *t) {
  return t->kind != ORB_TABLE_HOT && t->cold && t->cold->ops->scan_next_vec;
}

orb_status orb_table_scan_next_vec(orb_table_scan *s, const orb_vbatch **b, orb_err *e) {
  *b = NULL;
  for (;;) {
    orb_tier *t = s->tiers[s->cur];
    orb_status st = ORB_OK;
    if (s->ts && t->ops->scan_next_vec) {
      if ((st = t->ops->scan_next_vec(s->ts, b, e)) != ORB_OK || *b) return st;
    } else if (s->ts) {   /* the hot tier of an Iceberg table, which holds no row */
      orb_row_batch rb;
      if ((st = t->ops->scan_next(s->ts, &rb, e)) != ORB_OK) return st;
      if (rb.nrows > 0)
        return orb_err_set(e, ORB_ERR_INTERNAL, "the %s tier of an Iceberg table holds rows, which a batch scan cannot read",
                           t->ops->name);
    }
    tier_end(s);
    if (s->cur + 1 >= s->ntiers) return ORB_OK;
    s->cur++;
    if ((st = tier_begin(s, e)) != ORB_OK) return st;
  }
}

void orb_table_scan_end(orb_table_scan *s, orb_scan_stats *stats) {
  if (!s) return;
  tier_end(s);
  if (stats) *stats = s->stats;
  orb_free(s);
}

orb_status orb_table_pk_lookup(orb_table *t, orb_wset *ws, const orb_value *key, bool *found, uint64_t *locator,
                               const orb_value **row, orb_err *e) {
  *found = false;
  if (t->schema.npk == 0)
    return orb_err_set(e, ORB_ERR_MISUSE, "table \"%s\" has no primary key", t->name);
  return t->hot->ops->pk_lookup(t->hot, ws, key, found, locator, row, e);
}

orb_status orb_table_unique_lookup(orb_table *t, orb_wset *ws, int which, const orb_value *key, bool *found,
                                   uint64_t *locator, const orb_value **row, orb_err *e) {
  *found = false;
  if (which < 0) return orb_table_pk_lookup(t, ws, key, found, locator, row, e);
  if (t->kind != ORB_TABLE_HOT || which >= t->schema.nindexes)
    return orb_err_set(e, ORB_ERR_MISUSE, "table \"%s\" has no unique index %d", t->name, which);
  hot_tier *h = hot_of(t->hot);
  uint64_t rowid = 0;
  orb_status st = hot_sidx_find_write(h, ws, which, key, found, &rowid, e);
  if (st != ORB_OK || !*found) return st;
  const orb_value *r = hot_row_visible(h, rowid, &ws->snap);
  if (!r) return wset_conflict(ws, e);   /* committed after this transaction's snapshot */
  if (locator) *locator = ORB_LOC_MAKE(ORB_TIER_HOT, rowid);
  if (row) *row = r;
  return ORB_OK;
}

orb_status orb_table_count(orb_table *t, const orb_snapshot *snap, orb_expr *pred, const orb_eval_ctx *ctx,
                           int64_t *count, orb_err *e) {
  orb_tier *tiers[2];
  int n = tiers_of(t, tiers);
  *count = 0;
  for (int i = 0; i < n; i++) {
    int64_t c = -1;
    orb_status st = tiers[i]->ops->count(tiers[i], snap, pred, ctx, &c, e);
    if (st != ORB_OK) return st;
    if (c < 0) {
      *count = -1;
      return ORB_OK;
    }
    *count += c;
  }
  return ORB_OK;
}

void orb_table_explain(orb_table *t, const orb_scan_req *req, orb_buf *out) {
  orb_tier *tiers[2];
  int n = tiers_of(t, tiers);
  for (int i = 0; i < n; i++) {
    /* an Iceberg table's hot tier is always empty: not worth a line */
    if (tiers[i] == t->hot && t->kind != ORB_TABLE_HOT) continue;
    orb_buf_printf(out, "%s: ", tiers[i]->ops->name);
    tiers[i]->ops->explain(tiers[i], req, out);
    orb_buf_putc(out, '\n');
  }
}

int64_t orb_table_index_bytes(orb_table *t, int which) {
  return t->kind == ORB_TABLE_HOT ? hot_index_bytes(hot_of(t->hot), which) : 0;
}

void orb_table_stats(orb_table *t, orb_tier_stats *out) {
  orb_tier_stats hs;
  t->hot->ops->stats(t->hot, &hs);
  *out = hs;
  out->cols = orb_memdup(hs.cols, sizeof(orb_col_stats) * (size_t)(hs.ncols ? hs.ncols : 1));
  if (t->cold) {
    /* the cold tier has row counts and sizes, no per-column statistics yet */
    orb_tier_stats cs;
    t->cold->ops->stats(t->cold, &cs);
    out->row_count += cs.row_count;
    out->bytes += cs.bytes;
  }
}
