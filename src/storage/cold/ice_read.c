/* storage/cold/ice_read.c — the rows of a planned Iceberg scan: Parquet
** columns by field id, promotions, identity partition values, position and
** equality deletes (ice_read.h). */
#include "storage/cold/ice_read.h"
#include "formats/parquet/parquet.h"
#include "types/value.h"
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

/* Reserved field ids of position delete files (spec "Reserved Field IDs"). */
#define ICE_ID_DELETE_FILE_PATH 2147483546
#define ICE_ID_DELETE_POS 2147483545

orb_status ice_columns(orb_arena *a, const ice_schema *s, ice_column **out, int *n, orb_err *e) {
  ice_column *c = orb_arena_zalloc(a, sizeof *c * (size_t)(s->nfields + 1));
  for (int i = 0; i < s->nfields; i++) {
    const ice_field *f = &s->fields[i];
    c[i].field_id = f->id;
    c[i].name = f->name;
    c[i].itype = f->type;
    /* a list of a primitive is an array of the primitive's SQL type (pq_field_sql_type agrees) */
    if (f->type->kind == ICE_LIST && f->type->element && f->type->element->kind != ICE_STRUCT &&
        f->type->element->kind != ICE_LIST && f->type->element->kind != ICE_MAP) {
      orb_type et;
      orb_status st = ice_sql_type(f->type->element, &et, e);
      if (st != ORB_OK) return st;
      c[i].type = orb_type_array_of(et);
      c[i].nested = true;
      continue;
    }
    if (f->type->kind == ICE_STRUCT || f->type->kind == ICE_LIST || f->type->kind == ICE_MAP) {
      c[i].nested = true;
      c[i].type = orb_type_make(ORB_T_TEXT);
      continue;
    }
    orb_status st = ice_sql_type(f->type, &c[i].type, e);
    if (st != ORB_OK) return st;
  }
  *out = c;
  *n = s->nfields;
  return ORB_OK;
}

/* --- one Parquet file's columns, by field id, row group by row group ------ */

typedef struct fcursor {
  const char *path;
  pq_file_meta *meta;
  pq_fields fields;
  bool have_fields;
  int n;                         /* wanted columns */
  int *field;                    /* each one's field in the file, -1 when absent */
  orb_type *ftype;               /* its SQL type as the file stores it */
  int group;                     /* current row group, -1 before the first */
  int64_t row, nrows, base;      /* position in the group, its rows, its first row's position in the file */
  bool in_group;                 /* a row group's columns are read (row is in it) */
  pq_column_stream *cols;        /* its flat columns, decoded page by page (memory kept from group to group) */
  pq_nested_column *nested;      /* and nested ones */
  bool *skip;                    /* per row group: pruning ruled it out (NULL: none) */
  int64_t skipped;               /* row groups skipped */
} fcursor;

/* The current group's nested columns go; flat ones keep their memory for
** the next group's chunks (pq_stream_open). */
static void fc_drop_group(fcursor *c) {
  for (int i = 0; c->nested && i < c->n; i++)
    if (c->nested[i].shape) pq_nested_free(&c->nested[i]);
  for (int i = 0; c->cols && i < c->n; i++) pq_stream_close(&c->cols[i]);
  c->in_group = false;
}

static void fc_close(fcursor *c) {
  fc_drop_group(c);
  for (int i = 0; c->cols && i < c->n; i++) pq_stream_free(&c->cols[i]);
  orb_free(c->cols);
  orb_free(c->nested);
  c->cols = NULL;
  c->nested = NULL;
  if (c->have_fields) pq_fields_free(&c->fields);
  c->have_fields = false;
  if (c->meta) pq_meta_free(c->meta);
  c->meta = NULL;
  orb_free(c->field);
  orb_free(c->ftype);
  orb_free(c->skip);
  c->skip = NULL;
  c->field = NULL;
  c->ftype = NULL;
}

/* Open path and find the fields of ids (or, for a field without a
** field_id in the file, of names[i] when names is given). */
static orb_status fc_open(fcursor *c, const char *path, const int32_t *ids, const char *const *names, int n, orb_err *e) {
  memset(c, 0, sizeof *c);
  c->path = path;
  c->n = n;
  c->group = -1;
  c->field = orb_calloc((size_t)n + 1, sizeof(int));
  c->ftype = orb_calloc((size_t)n + 1, sizeof(orb_type));
  orb_status st = pq_read_footer(path, &c->meta, e);
  if (st == ORB_OK) st = pq_fields_build(c->meta, path, &c->fields, e);
  if (st != ORB_OK) return st;
  c->have_fields = true;
  for (int i = 0; i < n; i++) {
    c->field[i] = -1;
    for (int k = 0; k < c->fields.n && c->field[i] < 0; k++) {
      const pq_shape *f = &c->fields.fields[k];
      const pq_schema_elem *el = f->kind == PQ_SHAPE_VALUE ? f->elem : NULL;
      /* a group's own schema element: the one whose name the field has, at the top */
      if (!el)
        for (int s = 1; s < c->meta->nschema; s++)
          if (c->meta->schema[s].name == f->name || strcmp(c->meta->schema[s].name, f->name) == 0) {
            el = &c->meta->schema[s];
            break;
          }
      if (el && el->has_field_id ? el->field_id == ids[i] : names && names[i] && strcmp(f->name, names[i]) == 0) {
        if (c->fields.errors[k])
          return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: \"%s\": field %s (id %d) cannot be read: %s", path, f->name,
                             ids[i], c->fields.errors[k]);
        c->field[i] = k;
        if ((st = pq_field_sql_type(f, &c->ftype[i], e)) != ORB_OK) return st;
      }
    }
  }
  return ORB_OK;
}

/* Step to the next row; *more false at the end of the file. */
static orb_status fc_step(fcursor *c, bool *more, orb_err *e) {
  *more = true;
  if (c->in_group && ++c->row < c->nrows) return ORB_OK;
  for (;;) {
    if (c->in_group) c->base += c->nrows;
    fc_drop_group(c);
    if (c->group + 1 >= c->meta->nrow_groups) {
      *more = false;
      return ORB_OK;
    }
    c->group++;
    const pq_row_group *rg = &c->meta->row_groups[c->group];
    if (c->skip && c->skip[c->group]) {   /* positions still count its rows */
      c->base += rg->num_rows;
      c->skipped++;
      continue;
    }
    if (!c->cols) {
      c->cols = orb_calloc((size_t)c->n + 1, sizeof *c->cols);
      c->nested = orb_calloc((size_t)c->n + 1, sizeof *c->nested);
    }
    memset(c->nested, 0, sizeof *c->nested * (size_t)c->n);
    c->in_group = true;
    c->nrows = rg->num_rows;
    c->row = 0;
    for (int i = 0; i < c->n; i++) {
      if (c->field[i] < 0) continue;
      const pq_shape *f = &c->fields.fields[c->field[i]];
      orb_status st;
      if (f->kind != PQ_SHAPE_VALUE) {
        if ((st = pq_read_nested(c->path, c->meta, f, c->group, 0, &c->nested[i], e)) != ORB_OK) return st;
        continue;
      }
      pq_source src = {c->path, NULL, 0};
      st = pq_stream_open(&c->cols[i], &src, c->meta, c->group, f->leaf, 0, e);
      if (st == ORB_OK && c->cols[i].total != rg->num_rows)
        st = orb_err_set(e, ORB_ERR_CORRUPT, "parquet: \"%s\": column %d of row group %d has %lld values for %lld rows", c->path,
                         f->leaf, c->group, (long long)c->cols[i].total, (long long)rg->num_rows);
      if (st != ORB_OK) return st;
    }
    if (c->nrows > 0) return ORB_OK;
  }
}

/* Wanted column i of the current row, as the file stores it (strings in a). */
static orb_status fc_value(fcursor *c, int i, orb_arena *a, orb_value *out, orb_err *e) {
  const pq_shape *f = &c->fields.fields[c->field[i]];
  if (f->kind == PQ_SHAPE_VALUE) {
    pq_column_stream *cs = &c->cols[i];
    orb_status st = pq_stream_need(cs, c->row, 1, e);
    return st != ORB_OK ? st : pq_values_at(f->elem, cs->col, c->row - cs->first, 1, c->ftype[i], out, 1, e);
  }
  return pq_nested_value(&c->nested[i], c->row, c->ftype[i], a, out, e);
}

/* The value in type t: as stored when the types agree, else widened (an
** allowed promotion, or the file's own spelling of the type). */
static orb_status as_type(const orb_value *v, orb_type from, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  if (orb_type_equal(from, t) || v->isnull) {
    *out = *v;
    if (v->isnull) out->type = t.id;
    return ORB_OK;
  }
  return orb_value_cast(v, t, a, out, e);
}

/* --- Avro values (partition tuples) as SQL values --------------------------- */

orb_status ice_avro_to_value(const avro_value *v, const ice_type *t, orb_arena *a, orb_value *out, orb_err *e) {
  orb_type st;
  orb_status rc = ice_sql_type(t, &st, e);
  if (rc != ORB_OK) return rc;
  if (!v || v->kind == AVRO_NULL) {
    *out = orb_null((orb_type_id)st.id);
    return ORB_OK;
  }
  bool ok = true;
  switch (t->kind) {
  case ICE_BOOLEAN: ok = v->kind == AVRO_BOOLEAN; if (ok) *out = orb_bool(v->u.b); break;
  case ICE_INT: case ICE_DATE:
    ok = v->kind == AVRO_INT;
    if (ok) *out = orb_int((orb_type_id)st.id, v->u.i);
    break;
  case ICE_LONG: case ICE_TIME: case ICE_TIMESTAMP: case ICE_TIMESTAMPTZ:
    ok = v->kind == AVRO_LONG || v->kind == AVRO_INT;
    if (ok) *out = orb_int((orb_type_id)st.id, v->kind == AVRO_LONG ? v->u.l : v->u.i);
    break;
  case ICE_TIMESTAMP_NS: case ICE_TIMESTAMPTZ_NS:
    ok = v->kind == AVRO_LONG;
    if (ok) *out = orb_int((orb_type_id)st.id, v->u.l / 1000 - (v->u.l % 1000 < 0));
    break;
  case ICE_FLOAT: ok = v->kind == AVRO_FLOAT; if (ok) *out = orb_float(ORB_T_FLOAT32, v->u.f); break;
  case ICE_DOUBLE:   /* a float written before the column was promoted reads as a double */
    ok = v->kind == AVRO_DOUBLE || v->kind == AVRO_FLOAT;
    if (ok) *out = orb_float(ORB_T_FLOAT64, v->kind == AVRO_DOUBLE ? v->u.d : (double)v->u.f);
    break;
  case ICE_STRING:
    ok = v->kind == AVRO_STRING;
    if (ok) *out = orb_text(orb_arena_strndup(a, v->u.s.data, v->u.s.len), v->u.s.len);
    break;
  case ICE_BINARY: case ICE_FIXED:
    ok = v->kind == AVRO_BYTES || v->kind == AVRO_FIXED;
    if (ok) *out = orb_bytea(orb_arena_memdup(a, v->u.s.data, v->u.s.len ? v->u.s.len : 1), v->u.s.len);
    break;
  case ICE_UUID:
    ok = (v->kind == AVRO_FIXED || v->kind == AVRO_BYTES) && v->u.s.len == 16;
    if (ok) {
      *out = orb_null(ORB_T_UUID);
      out->isnull = 0;
      memcpy(out->u.uuid, v->u.s.data, 16);
    }
    break;
  case ICE_DECIMAL: {
    /* two's-complement big-endian unscaled value, at most 16 bytes */
    ok = (v->kind == AVRO_FIXED || v->kind == AVRO_BYTES) && v->u.s.len >= 1 && v->u.s.len <= 16;
    if (!ok) break;
    const uint8_t *p = (const uint8_t *)v->u.s.data;
    unsigned __int128 u = (p[0] & 0x80) ? ~(unsigned __int128)0 : 0;
    for (size_t k = 0; k < v->u.s.len; k++) u = (u << 8) | p[k];
    *out = orb_decimal((__int128)u, t->scale);
    break;
  }
  default: ok = false; break;
  }
  if (!ok)
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: a partition value of type %s is stored as Avro %s", ice_type_name(a, t),
                       avro_kind_name(v->kind));
  return ORB_OK;
}

/* --- the reader ------------------------------------------------------------- */

/* One equality delete file's rows, on columns cols[colidx[k]]. */
typedef struct eq_set {
  int nids;
  int *colidx;
  orb_value *rows;               /* nrows * nids */
  int64_t nrows;
  /* a chained hash table over the rows' key values: a data row is compared
  ** only with the delete rows of its hash, not with all of them */
  int64_t *heads, *next;         /* heads[hash & mask]: first row, next[row]: the following one; -1 ends */
  uint64_t mask;
  const orb_value **key;         /* scratch: a data row's key values */
} eq_set;

/* The hash of a row's key values (NULL hashes as a constant: NULL equals NULL here). */
static uint64_t key_hash(const orb_value *const *vals, int n) {
  uint64_t h = 0x9e3779b97f4a7c15u;
  for (int k = 0; k < n; k++) {
    uint64_t x = vals[k]->isnull ? 0x5bd1e995u : orb_value_hash(vals[k]);
    h = (h ^ x) * 0x100000001b3u;
    h ^= h >> 29;
  }
  return h;
}

struct ice_reader {
  const ice_plan *plan;
  const ice_column *cols;
  int ncols;
  int file;                      /* current data file, -1 before the first */
  fcursor fc;
  bool open;
  int *fill_part;                /* per column: partition field id to fill from, 0 none */
  orb_value *row;
  orb_arena row_arena;           /* a row's converted values */
  orb_arena file_arena;          /* the current file's deletes */
  const pq_pred *preds;          /* pruning constraints on columns (ice_reader_prune) */
  int npreds;
  int64_t *positions;            /* deleted positions of the current file, sorted */
  int64_t npositions, next_pos;
  eq_set *eq;
  int neq;
  const bool *unread;            /* per column: the caller does not want it (ice_reader_project) */
  ice_read_counts counts;
  /* column batches (ice_reader_next_vec), allocated by the first */
  bool vec;                      /* batches handed out: positions are the batch's first row's */
  int64_t vec_first;             /* the last batch's first row's position in its file */
  bool vec_consts;               /* the current file's missing columns' vectors are filled */
  orb_vbuf vbuf;                 /* columns converted a batch at a time; sel: the rows deletes leave */
  void **vwide;                  /* per column: ORB_VEC_MAX widened int64_t / double values (promotions) */
  orb_arena vec_arena;           /* a batch's converted strings, reset per batch */
};

static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

static bool same_path(orb_arena *a, const char *x, const char *y) {
  return strcmp(x, y) == 0 || strcmp(ice_path_normalize(a, x), ice_path_normalize(a, y)) == 0;
}

static orb_status load_positions(ice_reader *r, const ice_file *f, const ice_file *d, int64_t *cap, orb_err *e) {
  static const int32_t ids[] = {ICE_ID_DELETE_FILE_PATH, ICE_ID_DELETE_POS};
  static const char *const names[] = {"file_path", "pos"};
  fcursor c;
  orb_status st = fc_open(&c, d->path, ids, names, 2, e);
  if (st == ORB_OK && (c.field[0] < 0 || c.field[1] < 0))
    st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: position delete file \"%s\" has no file_path and pos columns", d->path);
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  bool more = true;
  while (st == ORB_OK && (st = fc_step(&c, &more, e)) == ORB_OK && more) {
    orb_value p, pos;
    orb_arena_reset(&tmp);
    if ((st = fc_value(&c, 0, &tmp, &p, e)) != ORB_OK || (st = fc_value(&c, 1, &tmp, &pos, e)) != ORB_OK) break;
    if (p.isnull || pos.isnull || !orb_type_is_string((orb_type_id)p.type) || !orb_type_is_integer((orb_type_id)pos.type)) {
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: position delete file \"%s\": a row has a NULL or mistyped file_path or pos", d->path);
      break;
    }
    char *ps = orb_arena_strndup(&tmp, p.u.s, p.len);
    if (!same_path(&tmp, ps, f->orig_path)) continue;
    if (r->npositions == *cap) {
      *cap = *cap ? *cap * 2 : 64;
      r->positions = orb_realloc(r->positions, sizeof(int64_t) * (size_t)*cap);
    }
    r->positions[r->npositions++] = pos.u.i;
  }
  orb_arena_free(&tmp);
  fc_close(&c);
  r->counts.delete_files_read++;
  return st;
}

static int column_of(const ice_reader *r, int32_t id) {
  for (int i = 0; i < r->ncols; i++)
    if (r->cols[i].field_id == id) return i;
  return -1;
}

static orb_status load_equality(ice_reader *r, const ice_file *d, eq_set *set, orb_err *e) {
  memset(set, 0, sizeof *set);
  set->nids = d->nequality_ids;
  set->colidx = orb_arena_alloc(&r->file_arena, sizeof(int) * (size_t)set->nids);
  for (int k = 0; k < set->nids; k++) {
    set->colidx[k] = column_of(r, d->equality_ids[k]);
    if (set->colidx[k] < 0 || r->cols[set->colidx[k]].nested)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: equality delete file \"%s\" deletes by field id %d, which is not a primitive column of the schema read",
                         d->path, d->equality_ids[k]);
  }
  fcursor c;
  orb_status st = fc_open(&c, d->path, d->equality_ids, NULL, set->nids, e);
  for (int k = 0; st == ORB_OK && k < set->nids; k++)
    if (c.field[k] < 0)
      st = orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: equality delete file \"%s\" has no column with field id %d", d->path,
                       d->equality_ids[k]);
  int64_t cap = 0;
  bool more = true;
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  while (st == ORB_OK && (st = fc_step(&c, &more, e)) == ORB_OK && more) {
    if (set->nrows == cap) {
      int64_t ncap = cap ? cap * 2 : 64;
      orb_value *g = orb_arena_alloc(&r->file_arena, sizeof(orb_value) * (size_t)(ncap * set->nids));
      if (cap) memcpy(g, set->rows, sizeof(orb_value) * (size_t)(cap * set->nids));
      set->rows = g, cap = ncap;
    }
    orb_arena_reset(&tmp);
    for (int k = 0; k < set->nids && st == ORB_OK; k++) {
      orb_value v, w;
      if ((st = fc_value(&c, k, &tmp, &v, e)) != ORB_OK) break;
      if ((st = as_type(&v, c.ftype[k], r->cols[set->colidx[k]].type, &tmp, &w, e)) != ORB_OK) break;
      set->rows[set->nrows * set->nids + k] = orb_value_copy(&w, &r->file_arena);
    }
    set->nrows++;
  }
  orb_arena_free(&tmp);
  fc_close(&c);
  r->counts.delete_files_read++;
  if (st != ORB_OK) return st;
  uint64_t nb = 16;
  while (nb < (uint64_t)set->nrows * 2) nb *= 2;
  set->mask = nb - 1;
  set->heads = orb_arena_alloc(&r->file_arena, sizeof(int64_t) * nb);
  set->next = orb_arena_alloc(&r->file_arena, sizeof(int64_t) * (size_t)(set->nrows + 1));
  for (uint64_t b = 0; b < nb; b++) set->heads[b] = -1;
  const orb_value **key = set->key = orb_arena_alloc(&r->file_arena, sizeof(orb_value *) * (size_t)set->nids);
  for (int64_t i = set->nrows - 1; i >= 0; i--) {
    for (int k = 0; k < set->nids; k++) key[k] = &set->rows[i * set->nids + k];
    uint64_t b = key_hash(key, set->nids) & set->mask;
    set->next[i] = set->heads[b];
    set->heads[b] = i;
  }
  return ORB_OK;
}

static bool eq_deleted(const ice_reader *r, const orb_value *row) {
  for (int s = 0; s < r->neq; s++) {
    const eq_set *set = &r->eq[s];
    if (!set->heads) continue;   /* not loaded (its file failed to read) */
    const orb_value **key = set->key;
    for (int k = 0; k < set->nids; k++) key[k] = &row[set->colidx[k]];
    for (int64_t i = set->heads[key_hash(key, set->nids) & set->mask]; i >= 0; i = set->next[i]) {
      const orb_value *d = &set->rows[i * set->nids];
      bool match = true;
      for (int k = 0; match && k < set->nids; k++) {
        const orb_value *v = &row[set->colidx[k]];
        match = v->isnull || d[k].isnull ? v->isnull && d[k].isnull : orb_value_cmp(v, &d[k]) == 0;
      }
      if (match) return true;
    }
  }
  return false;
}

/* Rule out the current file's row groups that no row of the constraints can
** be in. */
/* The leaf of column col in the open file; -1 when the file lacks it or it
** is nested (no statistics). */
static int leaf_of(const void *ctx, int col) {
  const ice_reader *r = ctx;
  const fcursor *c = &r->fc;
  if (col < 0 || col >= r->ncols || c->field[col] < 0) return -1;
  const pq_shape *f = &c->fields.fields[c->field[col]];
  return f->kind == PQ_SHAPE_VALUE ? f->leaf : -1;
}

static orb_status prune_file(ice_reader *r, orb_err *e) {
  fcursor *c = &r->fc;
  r->counts.groups += c->meta->nrow_groups;
  if (!r->npreds || c->meta->nrow_groups == 0) return ORB_OK;
  pq_pred *fp = orb_calloc((size_t)r->npreds, sizeof *fp);
  int n = 0;
  for (int i = 0; i < r->npreds; i++)
    if (pq_pred_map_cols(&r->file_arena, &r->preds[i], leaf_of, r, &fp[n])) n++;
  orb_status st = ORB_OK;
  if (n) {
    pq_source src = {c->path, NULL, 0};
    pq_prune_result pr;
    if ((st = pq_prune(&src, c->meta, fp, n, PQ_PRUNE_ALL, 0, &pr, e)) == ORB_OK) {
      c->skip = orb_calloc((size_t)c->meta->nrow_groups, sizeof(bool));
      for (int g = 0; g < pr.ngroups && g < c->meta->nrow_groups; g++) c->skip[g] = !pr.groups[g].keep;
      pq_prune_free(&pr);
    }
  }
  orb_free(fp);
  return st;
}

void ice_reader_project(ice_reader *r, const bool *unread) { r->unread = unread; }

void ice_reader_prune(ice_reader *r, const pq_pred *preds, int npreds) {
  r->preds = preds;
  r->npreds = npreds;
}

static void close_file(ice_reader *r) {
  r->counts.groups_skipped += r->open ? r->fc.skipped : 0;
  if (r->open) fc_close(&r->fc);
  r->open = false;
  orb_free(r->positions);
  r->positions = NULL;
  r->npositions = r->next_pos = 0;
  r->eq = NULL;
  r->neq = 0;
  orb_arena_reset(&r->file_arena);
}

/* Whether value v (of the column's type) can satisfy constraint p; true
** when it cannot be told (types the comparison does not cover). */
static bool value_may_match(const orb_value *v, const pq_pred *p) {
  if (p->kind == PQ_PRED_IS_NULL) return v->isnull;
  if (v->isnull) return false;   /* every other constraint is false on NULL */
  if (p->kind == PQ_PRED_NOT_NULL) return true;
  /* compare only like with like: integers of any width, or the same type */
  #define COMPARABLE(c) (v->type == (c)->type || (orb_type_is_integer((orb_type_id)v->type) && orb_type_is_integer((orb_type_id)(c)->type)))
  if (p->kind == PQ_PRED_IN) {
    for (int i = 0; i < p->nin; i++) {
      if (p->in[i].isnull) continue;
      if (!COMPARABLE(&p->in[i]) || orb_value_cmp(v, &p->in[i]) == 0) return true;
    }
    return false;
  }
  if (p->has_lo && !p->lo.isnull && COMPARABLE(&p->lo)) {
    int c = orb_value_cmp(v, &p->lo);
    if (c < 0 || (c == 0 && !p->lo_incl)) return false;
  }
  if (p->has_hi && !p->hi.isnull && COMPARABLE(&p->hi)) {
    int c = orb_value_cmp(v, &p->hi);
    if (c > 0 || (c == 0 && !p->hi_incl)) return false;
  }
  #undef COMPARABLE
  return true;
}

/* Whether the constraints rule data file f out by its identity partition
** values alone (spec "Scan Planning": a file's partition tuple), so that it
** is never opened.  Other transforms are not projected yet. */
static bool partition_rules_out(ice_reader *r, const ice_file *f) {
  const ice_partition_spec *spec = ice_meta_spec(r->plan->meta, f->spec_id);
  if (!spec || !r->npreds) return false;
  orb_arena tmp;
  orb_arena_init(&tmp, 0);
  bool out = false;
  for (int i = 0; i < r->npreds && !out; i++) {
    const pq_pred *p = &r->preds[i];
    if (p->col < 0 || p->col >= r->ncols || r->cols[p->col].nested) continue;
    const ice_column *c = &r->cols[p->col];
    for (int k = 0; k < spec->nfields && !out; k++) {
      const ice_partition_field *pf = &spec->fields[k];
      if (pf->transform.kind != ICE_TR_IDENTITY || pf->source_id != c->field_id) continue;
      const avro_value *av = ice_partition_value(f, pf->field_id);
      orb_value v, w;
      orb_err ignored;
      if (!av || ice_avro_to_value(av, c->itype, &tmp, &v, &ignored) != ORB_OK) continue;
      /* the source column's type now (a promotion widens the old value) */
      orb_type vt = {v.type, 0, 0, 0, 0};
      if (v.type == ORB_T_DECIMAL) vt = c->type;
      if (as_type(&v, vt, c->type, &tmp, &w, &ignored) != ORB_OK) continue;
      out = !value_may_match(&w, p);
    }
  }
  orb_arena_free(&tmp);
  return out;
}

static orb_status open_file(ice_reader *r, orb_err *e) {
  const ice_file *f = &r->plan->files[r->file];
  if (partition_rules_out(r, f)) {
    r->counts.files_skipped++;
    return ORB_OK;   /* r->open stays false: the next call goes on to the next file */
  }
  if (strcmp(f->format, "PARQUET") != 0)
    return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: data file \"%s\" is %s; only Parquet data files are read", f->path, f->format);
  int32_t *ids = orb_arena_alloc(&r->file_arena, sizeof(int32_t) * (size_t)(r->ncols + 1));
  for (int i = 0; i < r->ncols; i++) ids[i] = r->cols[i].field_id;
  orb_status st = fc_open(&r->fc, f->path, ids, NULL, r->ncols, e);
  r->open = true;
  if (st != ORB_OK) {
    if (f->outside)
      orb_err_prefix(e, "iceberg: a data file lies outside the table's location \"%s\" (so not looked for in the table's folder)",
                     r->plan->meta->location);
    return st;
  }
  if ((st = prune_file(r, e)) != ORB_OK) return st;
  /* columns the file lacks: an identity partition field of its spec holds them */
  const ice_partition_spec *spec = ice_meta_spec(r->plan->meta, f->spec_id);
  for (int i = 0; i < r->ncols; i++) {
    r->fill_part[i] = 0;
    if (r->fc.field[i] >= 0 || !spec) continue;
    for (int k = 0; k < spec->nfields; k++)
      if (spec->fields[k].transform.kind == ICE_TR_IDENTITY && spec->fields[k].source_id == r->cols[i].field_id &&
          ice_partition_value(f, spec->fields[k].field_id))
        r->fill_part[i] = spec->fields[k].field_id;
  }
  int64_t cap = 0, neq = 0;
  for (int k = 0; k < f->ndeletes; k++) neq += f->deletes[k]->content == ICE_CONTENT_EQ_DELETES;
  r->eq = orb_arena_alloc(&r->file_arena, sizeof(eq_set) * (size_t)(neq + 1));
  for (int k = 0; k < f->ndeletes && st == ORB_OK; k++) {
    const ice_file *d = f->deletes[k];
    if (strcmp(d->format, "PARQUET") != 0)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: delete file \"%s\" is %s; only Parquet delete files are read", d->path, d->format);
    st = d->content == ICE_CONTENT_POS_DELETES ? load_positions(r, f, d, &cap, e) : load_equality(r, d, &r->eq[r->neq++], e);
  }
  if (st == ORB_OK && r->npositions) qsort(r->positions, (size_t)r->npositions, sizeof(int64_t), cmp_i64);
  /* columns the caller does not want are not read, unless an equality
  ** delete compares them */
  for (int i = 0; r->unread && i < r->ncols; i++) {
    bool key = false;
    for (int s = 0; s < r->neq && !key; s++)
      for (int k = 0; k < r->eq[s].nids; k++) key |= r->eq[s].colidx[k] == i;
    if (r->unread[i] && !key) r->fc.field[i] = -1, r->fill_part[i] = 0;
  }
  r->vec_consts = false;
  r->counts.files++;
  return st;
}

orb_status ice_reader_open(const ice_plan *p, const ice_column *cols, int ncols, ice_reader **out, orb_err *e) {
  (void)e;
  ice_reader *r = orb_calloc(1, sizeof *r);
  r->plan = p;
  r->cols = cols;
  r->ncols = ncols;
  r->file = -1;
  r->fill_part = orb_calloc((size_t)ncols + 1, sizeof(int));
  r->row = orb_calloc((size_t)ncols + 1, sizeof(orb_value));
  orb_arena_init(&r->row_arena, 0);
  orb_arena_init(&r->file_arena, 0);
  orb_arena_init(&r->vec_arena, 0);
  *out = r;
  return ORB_OK;
}

/* Step to the next row of the files (opening the next file at the end of
** one); *more false after the last. */
static orb_status step(ice_reader *r, bool *more, orb_err *e) {
  for (;;) {
    orb_status st;
    *more = false;
    if (r->open && (st = fc_step(&r->fc, more, e)) != ORB_OK) return st;
    if (*more) return ORB_OK;
    close_file(r);
    if (r->file + 1 >= r->plan->nfiles) return ORB_OK;
    r->file++;
    if ((st = open_file(r, e)) != ORB_OK) return st;
  }
}

orb_status ice_reader_next(ice_reader *r, const orb_value **row, orb_err *e) {
  *row = NULL;
  for (;;) {
    bool more;
    orb_status st = step(r, &more, e);
    if (st != ORB_OK || !more) return st;
    int64_t pos = r->fc.base + r->fc.row;
    while (r->next_pos < r->npositions && r->positions[r->next_pos] < pos) r->next_pos++;
    if (r->next_pos < r->npositions && r->positions[r->next_pos] == pos) {
      r->counts.rows_deleted++;
      continue;
    }
    orb_arena_reset(&r->row_arena);
    const ice_file *f = &r->plan->files[r->file];
    for (int i = 0; i < r->ncols; i++) {
      const ice_column *c = &r->cols[i];
      if (r->fc.field[i] >= 0) {
        orb_value v;
        if ((st = fc_value(&r->fc, i, &r->row_arena, &v, e)) != ORB_OK) return st;
        if ((st = as_type(&v, r->fc.ftype[i], c->type, &r->row_arena, &r->row[i], e)) != ORB_OK) {
          orb_err_prefix(e, "iceberg: \"%s\": column %s: ", f->path, c->name);
          return st;
        }
      } else if (r->fill_part[i]) {
        if ((st = ice_avro_to_value(ice_partition_value(f, r->fill_part[i]), c->itype, &r->row_arena, &r->row[i], e)) != ORB_OK)
          return st;
      } else {
        r->row[i] = orb_null((orb_type_id)c->type.id);
      }
    }
    r->counts.rows_read++;
    if (r->neq && eq_deleted(r, r->row)) {
      r->counts.rows_deleted++;
      continue;
    }
    *row = r->row;
    return ORB_OK;
  }
}

/* --- column batches ------------------------------------------------------- */

/* The vector of a column the current file lacks: its identity partition
** value, or NULL, in every row (filled once per file). */
static orb_status missing_vec(ice_reader *r, int i, orb_vec *v, orb_err *e) {
  const ice_column *c = &r->cols[i];
  if (!r->vec_consts) {
    orb_value x = orb_null((orb_type_id)c->type.id);
    if (r->fill_part[i]) {
      orb_status st = ice_avro_to_value(ice_partition_value(&r->plan->files[r->file], r->fill_part[i]), c->itype,
                                        &r->file_arena, &x, e);
      if (st != ORB_OK) return st;
    }
    for (int k = 0; k < ORB_VEC_MAX; k++) r->vbuf.vals[i][k] = x;
  }
  if (r->vbuf.vals[i][0].isnull) orb_vbuf_all_null(&r->vbuf, i);
  else v->kind = ORB_VEC_VALUES, v->data = r->vbuf.vals[i], v->nulls = NULL;
  return ORB_OK;
}

/* Column i's values of rows [from, from + n) of the current group as a
** vector of the column's type: the decoded array itself when it holds the
** values as they are (pq_values_direct), widened into the column's buffer
** for an int -> long or float -> double promotion, else converted to SQL
** values (and cast: other promotions, the file's own spelling of a type). */
static orb_status column_vec(ice_reader *r, int i, int64_t from, int n, orb_vec *v, orb_err *e) {
  fcursor *c = &r->fc;
  const ice_column *col = &r->cols[i];
  const pq_shape *f = &c->fields.fields[c->field[i]];
  const pq_column *pc = NULL;
  if (f->kind == PQ_SHAPE_VALUE) {   /* rows [from, from + n) into the window; indexes from here on are in it */
    pq_column_stream *cs = &c->cols[i];
    orb_status st = pq_stream_need(cs, from, n, e);
    if (st != ORB_OK) return st;
    pc = cs->col;
    from -= cs->first;
  }
  bool same = orb_type_equal(c->ftype[i], col->type);
  if (same && f->kind == PQ_SHAPE_VALUE && pq_values_vec(f->elem, pc, from, col->type, v)) return ORB_OK;
  pq_direct_kind k = f->kind == PQ_SHAPE_VALUE ? pq_values_direct(f->elem, pc, c->ftype[i]) : PQ_DIRECT_NONE;
  if ((k == PQ_DIRECT_INT32 && c->ftype[i].id == ORB_T_INT32 && col->type.id == ORB_T_INT64) ||
      (k == PQ_DIRECT_FLOAT && col->type.id == ORB_T_FLOAT64)) {   /* int -> long, float -> double */
    if (!r->vwide[i]) r->vwide[i] = orb_malloc(8 * ORB_VEC_MAX);
    if (k == PQ_DIRECT_INT32) {
      const int32_t *src = (const int32_t *)pc->values + from;
      int64_t *dst = r->vwide[i];
      for (int j = 0; j < n; j++) dst[j] = src[j];
      v->kind = ORB_VEC_I64;
    } else {
      const float *src = (const float *)pc->values + from;
      double *dst = r->vwide[i];
      for (int j = 0; j < n; j++) dst[j] = src[j];
      v->kind = ORB_VEC_F64;
    }
    v->data = r->vwide[i];
    v->nulls = pc->nnull ? pc->nulls + from : NULL;
    return ORB_OK;
  }
  orb_value *out = r->vbuf.vals[i];
  orb_status st = ORB_OK;
  if (f->kind == PQ_SHAPE_VALUE) {
    st = pq_values_at(f->elem, pc, from, n, c->ftype[i], out, 1, e);
  } else {
    for (int j = 0; j < n && st == ORB_OK; j++)
      st = pq_nested_value(&c->nested[i], from + j, c->ftype[i], &r->vec_arena, &out[j], e);
  }
  for (int j = 0; j < n && st == ORB_OK && !same; j++) {
    orb_value w;
    if ((st = as_type(&out[j], c->ftype[i], col->type, &r->vec_arena, &w, e)) == ORB_OK) out[j] = w;
  }
  if (st != ORB_OK) {
    orb_err_prefix(e, "iceberg: \"%s\": column %s: ", r->plan->files[r->file].path, col->name);
    return st;
  }
  orb_vbuf_values(&r->vbuf, i, n);
  return ORB_OK;
}

/* Narrow the batch's selection to the rows no delete removes: positions
** first (rows_read counts what they leave, as the row path does), then
** equality deletes on the key columns' values. */
static void apply_deletes(ice_reader *r, int64_t pos0, int n) {
  orb_vbatch *b = &r->vbuf.b;
  while (r->next_pos < r->npositions && r->positions[r->next_pos] < pos0) r->next_pos++;
  if (!r->neq && (r->next_pos >= r->npositions || r->positions[r->next_pos] >= pos0 + n)) {
    r->counts.rows_read += n;   /* no delete in the batch (the usual case): no selection to build */
    b->sel = NULL;
    b->nsel = n;
    return;
  }
  int m = 0;
  for (int j = 0; j < n; j++) {
    int64_t pos = pos0 + j;
    while (r->next_pos < r->npositions && r->positions[r->next_pos] < pos) r->next_pos++;
    r->vbuf.sel[m] = (uint16_t)j;
    m += !(r->next_pos < r->npositions && r->positions[r->next_pos] == pos);
  }
  r->counts.rows_deleted += n - m;
  r->counts.rows_read += m;
  if (r->neq) {
    int kept = 0;
    for (int k = 0; k < m; k++) {
      int j = r->vbuf.sel[k];
      for (int s = 0; s < r->neq; s++)
        for (int q = 0; q < r->eq[s].nids; q++) orb_vec_value(&b->cols[r->eq[s].colidx[q]], j, &r->row[r->eq[s].colidx[q]]);
      r->vbuf.sel[kept] = (uint16_t)j;
      kept += !eq_deleted(r, r->row);
    }
    r->counts.rows_deleted += m - kept;
    m = kept;
  }
  b->sel = m == n ? NULL : r->vbuf.sel;
  b->nsel = m;
}

orb_status ice_reader_next_vec(ice_reader *r, const orb_vbatch **b, orb_err *e) {
  *b = NULL;
  r->vec = true;
  if (!r->vbuf.vals) {
    orb_vbuf_init(&r->vbuf, r->ncols, NULL);
    r->vwide = orb_calloc((size_t)r->ncols + 1, sizeof *r->vwide);
  }
  for (;;) {
    bool more;
    orb_status st = step(r, &more, e);
    if (st != ORB_OK || !more) return st;
    fcursor *c = &r->fc;
    int64_t from = c->row;
    int n = c->nrows - from < ORB_VEC_MAX ? (int)(c->nrows - from) : ORB_VEC_MAX;
    c->row += n - 1;   /* the batch's last row is the current one: step goes on after it */
    r->vec_first = c->base + from;
    orb_arena_reset(&r->vec_arena);
    for (int i = 0; i < r->ncols && st == ORB_OK; i++) {
      orb_vec *v = &r->vbuf.b.cols[i];
      v->type = r->cols[i].type;
      st = c->field[i] >= 0 ? column_vec(r, i, from, n, v, e) : missing_vec(r, i, v, e);
    }
    if (st != ORB_OK) return st;
    r->vec_consts = true;
    r->vbuf.b.n = n;
    apply_deletes(r, r->vec_first, n);
    if (orb_vbatch_count(&r->vbuf.b) == 0) continue;
    *b = &r->vbuf.b;
    return ORB_OK;
  }
}

void ice_reader_position(const ice_reader *r, int *file, int64_t *pos) {
  *file = r->file;
  *pos = !r->open ? -1 : r->vec ? r->vec_first : r->fc.base + r->fc.row;
}

ice_read_counts ice_reader_counts(const ice_reader *r) {
  ice_read_counts c = r->counts;
  if (r->open) c.groups_skipped += r->fc.skipped;
  return c;
}

void ice_reader_free(ice_reader *r) {
  if (!r) return;
  close_file(r);
  orb_arena_free(&r->row_arena);
  orb_arena_free(&r->file_arena);
  orb_arena_free(&r->vec_arena);
  for (int i = 0; r->vwide && i < r->ncols; i++) orb_free(r->vwide[i]);
  orb_free(r->vwide);
  orb_vbuf_free(&r->vbuf);
  orb_free(r->fill_part);
  orb_free(r->row);
  orb_free(r);
}
