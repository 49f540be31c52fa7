/* storage/cold/ice_append.c — appending rows to an Iceberg table (see
** ice_write.h): rows to Parquet data files with their metrics, then one
** manifest, a manifest list and a new metadata version, retried on
** conflict.
**
** Metrics are gathered from the values as they pass (NULLs, NaNs, and the
** bounds of every type but strings and binary), in one pass per column
** that also checks the values, and from the file's footer once it is
** closed (chunk sizes, row group offsets, string and binary bounds): the
** footer is what readers will see, so the sizes are exact.  String bounds
** come from the chunk statistics because the Parquet writer already keeps
** them, once per dictionary entry and page rather than per value; they are
** then truncated to 16 code points / bytes: truncation keeps order
** (a <= b implies prefix(a) <= prefix(b)), so the truncated minimum is the
** minimum's truncation, and the maximum's truncation needs incrementing
** exactly when the maximum itself was cut. */
#include "storage/cold/ice_commit.h"
#include "storage/cold/ice_evolve.h"
#include "storage/cold/ice_write_int.h"
#include "storage/cold/ice_scan.h"
#include "storage/cold/ice_value.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/mem.h"
#include "formats/parquet/parquet.h"
#include "types/array.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ICE_TRUNC 16                       /* Java's default metrics mode: truncate(16) */
#define ICE_TRUNC_BYTES (ICE_TRUNC * 4)    /* 16 code points of UTF-8 at most */
#define ICE_BATCH_ROWS 4096                /* rows transposed or routed at a time */

/* One column's running metrics in an open file (TEXT/BYTEA: NULLs only
** until the file is closed, then the bounds from its footer). */
typedef struct col_acc {
  int64_t nulls, nans;
  bool has;                      /* min and max are set */
  bool max_truncated;            /* the maximum was longer than its prefix */
  orb_value min, max;            /* TEXT/BYTEA point into minb/maxb */
  uint8_t minb[ICE_TRUNC_BYTES], maxb[ICE_TRUNC_BYTES];
} col_acc;

typedef struct open_file {
  pq_writer *w;
  char *local, *location;
  int64_t rows;
  col_acc *acc;
  orb_value *partition;          /* copies (strings in part_arena) */
  uint64_t part_hash;            /* of the tuple: its key in the appender's part_files */
  orb_arena part_arena;
} open_file;

typedef struct app_col {
  int32_t field_id;
  const char *name;
  const ice_type *itype;
  orb_type type;                 /* the SQL type values are written as */
  bool required;
} app_col;

struct ice_append {
  orb_arena arena;
  char *table_dir;
  ice_meta meta;                 /* what the files are written to: the current metadata, edited when edit is set */
  ice_meta_file mfile;
  ice_meta orig;                 /* with edit: the current metadata as loaded, the commit's first base */
  ice_meta_edit_fn edit;         /* ice_append_begin_edited's */
  void *edit_ctx;
  const ice_schema *schema;
  const ice_partition_spec *spec;
  int ncols;
  app_col *cols;
  pq_write_column *pcols;
  pq_write_opts popts;
  int64_t target_bytes, row_group_bytes;
  ice_retry retry;
  const ice_kv *extra_summary;
  int nextra_summary;
  char uuid[37];
  int file_seq;
  ice_part_field *pf;
  int npf;
  orb_hmap part_files;           /* partitioned: tuple hash -> open_file */
  open_file **open;
  int nopen, capopen;
  ice_data_file **done;
  int ndone, capdone;
  int64_t rows, raw_bytes;
  int attempts;
  int64_t snapshot_id;           /* the id the commit will use (0: a new one then) */
  char *manifest_local;          /* the manifest, once written (ice_append_prepare) */
  /* scratch for casting and transposing (malloc'd, reused) */
  orb_value *scratch;
  size_t scratch_cap;
  orb_arena cast_arena;
  col_acc *tacc;                 /* a batch's metrics before they are kept (ncols) */
};

/* --- small helpers -------------------------------------------------------- */

static const char *prop(const ice_meta *m, const char *key) { return ice_kv_get(m->properties, m->nproperties, key); }

void ice_data_file_free(ice_data_file *f) {
  if (!f) return;
  for (int c = 0; c < f->ncols; c++) {
    orb_buf_free(&f->cols[c].lower);
    orb_buf_free(&f->cols[c].upper);
  }
  orb_free(f->cols);
  orb_free(f->split_offsets);
  orb_free(f->location);
  orb_free(f->local);
  orb_free(f->partition);
  orb_free(f);
}

orb_status ice_data_file_seal(ice_data_file *f, pq_file_meta **pm, orb_err *e) {
  *pm = NULL;
  struct stat sb;
  if (stat(f->local, &sb) != 0)
    return orb_err_set(e, ORB_ERR_IO, "iceberg: could not stat \"%s\": %s", f->local, strerror(errno));
  orb_status st = ice_fsync_file(f->local, e);
  if (st == ORB_OK) st = pq_read_footer(f->local, pm, e);
  if (st != ORB_OK) return st;
  f->size = (int64_t)sb.st_size;
  for (int c = 0; c < f->ncols; c++)
    for (int g = 0; g < (*pm)->nrow_groups; g++) f->cols[c].size += (*pm)->row_groups[g].columns[c].total_compressed_size;
  return ORB_OK;
}

/* The table's location joined with a relative path. */
static char *location_path(const ice_append *app, const char *rel) { return ice_location_path(&app->meta, rel); }

static char *local_path(const ice_append *app, const char *rel) {
  orb_buf b = ORB_BUF_INIT;
  orb_buf_printf(&b, "%s/%s", app->table_dir, rel);
  return orb_buf_detach(&b);
}

/* --- beginning ------------------------------------------------------------ */

void ice_write_opts_init(ice_write_opts *o) {
  memset(o, 0, sizeof *o);
  o->max_retries = -1;
}

static int codec_by_name(const char *s) {
  if (!s || strcasecmp(s, "zstd") == 0) return PQ_ZSTD;
  if (strcasecmp(s, "snappy") == 0) return PQ_SNAPPY;
  if (strcasecmp(s, "gzip") == 0) return PQ_GZIP;
  if (strcasecmp(s, "uncompressed") == 0 || strcasecmp(s, "none") == 0) return PQ_UNCOMPRESSED;
  return -1;
}

static orb_status append_begin(const char *table_dir, const ice_write_opts *opts, ice_meta_edit_fn edit, void *ctx,
                               ice_append **out, orb_err *e);

orb_status ice_append_begin(const char *table_dir, const ice_write_opts *opts, ice_append **out, orb_err *e) {
  return append_begin(table_dir, opts, NULL, NULL, out, e);
}

orb_status ice_append_begin_edited(const char *table_dir, ice_meta_edit_fn edit, void *ctx, ice_append **out,
                                   orb_err *e) {
  return append_begin(table_dir, NULL, edit, ctx, out, e);
}

static bool same_columns(const ice_schema *x, const ice_schema *y) {
  if (x->nfields != y->nfields) return false;
  for (int i = 0; i < x->nfields; i++)
    if (x->fields[i].id != y->fields[i].id || x->fields[i].required != y->fields[i].required ||
        !ice_type_equal(x->fields[i].type, y->fields[i].type))
      return false;
  return true;
}

static bool same_spec(const ice_partition_spec *x, const ice_partition_spec *y) {
  if (x->spec_id != y->spec_id || x->nfields != y->nfields) return false;
  for (int i = 0; i < x->nfields; i++) {
    const ice_partition_field *p = &x->fields[i], *q = &y->fields[i];
    if (p->source_id != q->source_id || p->field_id != q->field_id || p->transform.kind != q->transform.kind ||
        p->transform.param != q->transform.param)
      return false;
  }
  return true;
}

/* The caller's edit on a commit attempt's base, then the check that it
** still gives the schema and spec the files were written with: another
** writer's schema or spec change in between makes it give others. */
static orb_status edit_checked(void *ctx, orb_arena *a, const ice_meta *base, ice_meta *next, orb_err *e) {
  ice_append *app = ctx;
  orb_status st = app->edit(app->edit_ctx, a, base, next, e);
  if (st != ORB_OK) return st;
  const ice_schema *s = ice_meta_current_schema(next);
  const ice_partition_spec *p = ice_meta_spec(next, next->default_spec_id);
  if (!s || !p || !same_columns(s, app->schema) || !same_spec(p, app->spec))
    return orb_err_setx(e, ORB_ERR_CONFLICT, "40001", 0,
                        "iceberg: \"%s\": another writer changed the table's schema or partition spec while this "
                        "transaction's files were written",
                        app->table_dir);
  return ORB_OK;
}

void ice_append_edit_of(ice_append *app, ice_meta_edit_fn *fn, void **ctx) {
  *fn = app->edit ? edit_checked : NULL;
  *ctx = app;
}

static orb_status append_begin(const char *table_dir, const ice_write_opts *opts, ice_meta_edit_fn edit, void *ctx,
                               ice_append **out, orb_err *e) {
  *out = NULL;
  ice_write_opts dflt;
  if (!opts) {
    ice_write_opts_init(&dflt);
    opts = &dflt;
  }
  ice_append *app = orb_calloc(1, sizeof *app);
  orb_arena_init(&app->arena, 0);
  orb_arena_init(&app->cast_arena, 0);
  app->table_dir = orb_arena_strdup(&app->arena, table_dir);
  orb_hmap_init(&app->part_files, 0);
  orb_status st = ice_meta_open(&app->arena, table_dir, &app->meta, &app->mfile, e);
  if (st == ORB_OK && edit) {   /* the files follow the edited schema and spec */
    app->orig = app->meta;
    app->edit = edit;
    app->edit_ctx = ctx;
    st = edit(ctx, &app->arena, &app->orig, &app->meta, e);
  }
  if (st == ORB_OK && app->meta.format_version != 2)
    st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: \"%s\" is a format version %d table; only version 2 tables are written",
                     table_dir, app->meta.format_version);
  if (st == ORB_OK) {
    const char *fmt = prop(&app->meta, "write.format.default");
    if (fmt && strcasecmp(fmt, "parquet") != 0)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: \"%s\" asks for %s data files (write.format.default); only parquet is written",
                       table_dir, fmt);
  }
  if (st) {
    ice_append_abort(app);
    return st;
  }
  app->schema = ice_meta_current_schema(&app->meta);
  app->spec = ice_meta_spec(&app->meta, app->meta.default_spec_id);
  if (!app->schema || !app->spec) {
    ice_append_abort(app);
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: \"%s\": the current schema or default partition spec is missing", table_dir);
  }
  /* columns: top-level primitive fields and lists of a primitive, as the SQL surface has them */
  app->ncols = app->schema->nfields;
  app->cols = orb_arena_zalloc(&app->arena, sizeof(app_col) * (size_t)(app->ncols ? app->ncols : 1));
  app->tacc = orb_arena_zalloc(&app->arena, sizeof(col_acc) * (size_t)(app->ncols ? app->ncols : 1));
  app->pcols = orb_arena_zalloc(&app->arena, sizeof(pq_write_column) * (size_t)(app->ncols ? app->ncols : 1));
  for (int i = 0; i < app->ncols && st == ORB_OK; i++) {
    const ice_field *f = &app->schema->fields[i];
    app_col *c = &app->cols[i];
    c->field_id = f->id;
    c->name = f->name;
    c->itype = f->type;
    c->required = f->required;
    bool list = f->type->kind == ICE_LIST && f->type->element && f->type->element->kind != ICE_STRUCT &&
                f->type->element->kind != ICE_LIST && f->type->element->kind != ICE_MAP;
    if (list) {   /* a list of a primitive: an array column (parquet.h writes it as a LIST) */
      orb_type et;
      st = ice_sql_type(f->type->element, &et, e);
      c->type = orb_type_array_of(et);
      app->pcols[i].elem_field_id = f->type->element_id;
    } else if (f->type->kind == ICE_STRUCT || f->type->kind == ICE_LIST || f->type->kind == ICE_MAP)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\" is a %s; nested columns cannot be written yet", f->name,
                       ice_type_name(&app->arena, f->type));
    else if (f->type->kind == ICE_FIXED || f->type->kind == ICE_TIMESTAMP_NS || f->type->kind == ICE_TIMESTAMPTZ_NS)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: column \"%s\" of type %s cannot be written yet", f->name,
                       ice_type_name(&app->arena, f->type));
    else
      st = ice_sql_type(f->type, &c->type, e);
    app->pcols[i].name = f->name;
    app->pcols[i].type = c->type;
    app->pcols[i].nullable = !f->required;
    app->pcols[i].field_id = f->id;
  }
  /* the default spec's fields: source column, transform, result type */
  app->npf = app->spec->nfields;
  app->pf = orb_arena_zalloc(&app->arena, sizeof(ice_part_field) * (size_t)(app->npf ? app->npf : 1));
  for (int i = 0; i < app->npf && st == ORB_OK; i++) {
    const ice_partition_field *f = &app->spec->fields[i];
    ice_part_field *p = &app->pf[i];
    p->name = f->name;
    p->field_id = f->field_id;
    p->source_id = f->source_id;
    p->transform = f->transform;
    p->source_col = -1;
    for (int c = 0; c < app->ncols; c++)
      if (app->cols[c].field_id == f->source_id) p->source_col = c;
    if (p->source_col < 0)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED,
                       "iceberg: \"%s\": partition field \"%s\" has a source (id %d) that is not a top-level column", table_dir,
                       f->name, f->source_id);
    else {
      p->source = app->cols[p->source_col].itype;
      st = ice_transform_result_type(&p->transform, p->source, &p->result, e);
    }
  }
  /* options: the caller's, else the table's properties, else Java's defaults */
  int64_t v;
  pq_write_opts_init(&app->popts);
  /* each data file names the schema it was written with, as Java's writer
  ** does: readers that map columns by field id through the file (icebird,
  ** older tools) then read renamed columns right */
  if (st == ORB_OK) {
    char *js = ice_schema_to_json(app->schema);
    pq_kv *kv = orb_arena_zalloc(&app->arena, sizeof *kv);
    kv->key = "iceberg.schema";
    kv->value = js ? orb_arena_strdup(&app->arena, js) : NULL;
    orb_free(js);
    if (kv->value) app->popts.kv = kv, app->popts.nkv = 1;
  }
  if (st == ORB_OK) {
    int codec = codec_by_name(prop(&app->meta, "write.parquet.compression-codec"));
    if (codec < 0)
      st = orb_err_set(e, ORB_ERR_UNSUPPORTED, "iceberg: compression codec \"%s\" (write.parquet.compression-codec) is not supported",
                       prop(&app->meta, "write.parquet.compression-codec"));
    app->popts.codec = codec;
  }
  if (st == ORB_OK && (st = ice_prop_i64(&app->meta, "write.parquet.compression-level", 0, INT_MIN, &v, e)) == ORB_OK)
    app->popts.level = opts->zstd_level ? opts->zstd_level : (int)v;
  if (st == ORB_OK && (st = ice_prop_i64(&app->meta, "write.target-file-size-bytes", (int64_t)512 << 20, 1, &v, e)) == ORB_OK)
    app->target_bytes = opts->target_file_bytes > 0 ? opts->target_file_bytes : v;
  if (st == ORB_OK && (st = ice_prop_i64(&app->meta, "write.parquet.row-group-size-bytes", (int64_t)128 << 20, 1, &v, e)) == ORB_OK)
    app->row_group_bytes = opts->row_group_bytes > 0 ? opts->row_group_bytes : v;
  if (st == ORB_OK) st = ice_retry_init(&app->retry, &app->meta, opts->max_retries, e);
  if (st == ORB_OK) st = ice_uuid_v4(app->uuid, e);
  if (st == ORB_OK) st = orb_mkdir_p(orb_arena_sprintf(&app->arena, "%s/data", table_dir), e);
  app->extra_summary = opts->summary;
  app->nextra_summary = opts->nsummary;
  if (st) {
    ice_append_abort(app);
    return st;
  }
  *out = app;
  return ORB_OK;
}

int ice_append_ncols(const ice_append *app) { return app->ncols; }
orb_type ice_append_col_type(const ice_append *app, int col) { return app->cols[col].type; }
int32_t ice_append_col_field_id(const ice_append *app, int col) { return app->schema->fields[col].id; }

ice_append_stats ice_append_get_stats(const ice_append *app) {
  ice_append_stats s = {app->rows, app->ndone + app->nopen, 0, app->attempts};
  for (int i = 0; i < app->ndone; i++) s.bytes += app->done[i]->size;
  return s;
}

/* --- data files ----------------------------------------------------------- */

/* Bytes of raw input a value stands for (throughput figures, row group sizing). */
static int64_t raw_width(const orb_value *v) {
  if (v->isnull) return 0;
  switch (v->type) {
  case ORB_T_BOOL: return 1;
  case ORB_T_INT16: return 2;
  case ORB_T_INT32: case ORB_T_DATE: return 4;
  case ORB_T_FLOAT32: return 4;
  case ORB_T_TEXT: case ORB_T_BYTEA: return v->len;
  case ORB_T_DECIMAL: case ORB_T_UUID: return 16;
  default: return 8;
  }
}

static orb_status open_data_file(ice_append *app, const char *partition_dir, const orb_value *partition, open_file **out,
                                 orb_err *e) {
  open_file *f = orb_calloc(1, sizeof *f);
  orb_arena_init(&f->part_arena, 0);
  if (app->npf > 0) {
    f->partition = orb_calloc((size_t)app->npf, sizeof(orb_value));
    for (int k = 0; k < app->npf; k++) f->partition[k] = orb_value_copy(&partition[k], &f->part_arena);
  }
  f->acc = orb_calloc((size_t)(app->ncols ? app->ncols : 1), sizeof(col_acc));
  orb_buf rel = ORB_BUF_INIT;
  orb_buf_printf(&rel, "data/%s%s%05d-0-%s.parquet", partition_dir ? partition_dir : "", partition_dir ? "/" : "",
                 app->file_seq++, app->uuid);
  f->local = local_path(app, (const char *)rel.data);
  f->location = location_path(app, (const char *)rel.data);
  orb_buf_free(&rel);
  /* rows per row group from the raw bytes per row seen so far */
  pq_write_opts o = app->popts;
  int64_t per_row = app->rows > 0 ? app->raw_bytes / app->rows : 0;
  if (per_row < 1) per_row = 8 * (app->ncols ? app->ncols : 1);
  /* a row group never outgrows the file it is in: files roll between row groups */
  int64_t rg_bytes = app->row_group_bytes < app->target_bytes ? app->row_group_bytes : app->target_bytes;
  int64_t rg = rg_bytes / per_row;
  o.row_group_rows = rg < 1024 ? 1024 : rg > ((int64_t)1 << 24) ? ((int64_t)1 << 24) : rg;
  orb_status st = pq_writer_open(f->local, app->pcols, app->ncols, &o, &f->w, e);
  if (st) {
    orb_free(f->acc);
    orb_free(f->local);
    orb_free(f->location);
    orb_arena_free(&f->part_arena);
    orb_free(f);
    return st;
  }
  *out = f;
  return ORB_OK;
}

/* The byte length of the first ICE_TRUNC code points of UTF-8 text. */
static size_t utf8_prefix(const uint8_t *s, size_t n) {
  size_t i = 0;
  for (int cp = 0; cp < ICE_TRUNC && i < n; cp++) {
    i++;
    while (i < n && (s[i] & 0xc0) == 0x80) i++;
  }
  return i;
}

static int bytes_cmp(const void *a, size_t an, const void *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  return c ? c : (an < bn ? -1 : an > bn);
}

/* Fold non-NULL value v of column c into its metrics (not TEXT/BYTEA: their
** bounds come from the footer). */
static void acc_value(col_acc *a, const app_col *c, const orb_value *v) {
  switch (c->type.id) {
  case ORB_T_FLOAT32: case ORB_T_FLOAT64:
    if (isnan(v->u.f)) {
      a->nans++;
      return;
    }
    if (!a->has) a->min = a->max = *v, a->has = true;
    else if (v->u.f < a->min.u.f || (v->u.f == 0 && a->min.u.f == 0 && signbit(v->u.f))) a->min = *v;
    else if (v->u.f > a->max.u.f || (v->u.f == 0 && a->max.u.f == 0 && !signbit(v->u.f))) a->max = *v;
    return;
  case ORB_T_UUID:
    if (!a->has) a->min = a->max = *v, a->has = true;
    else if (memcmp(v->u.uuid, a->min.u.uuid, 16) < 0) a->min = *v;
    else if (memcmp(v->u.uuid, a->max.u.uuid, 16) > 0) a->max = *v;
    return;
  case ORB_T_DECIMAL:
    if (!a->has) a->min = a->max = *v, a->has = true;
    else if (v->u.dec < a->min.u.dec) a->min = *v;
    else if (v->u.dec > a->max.u.dec) a->max = *v;
    return;
  case ORB_T_BOOL:
    if (!a->has) a->min = a->max = *v, a->has = true;
    else if (!v->u.b) a->min = *v;
    else a->max = *v;
    return;
  default:
    if (!a->has) a->min = a->max = *v, a->has = true;
    else if (v->u.i < a->min.u.i) a->min = *v;
    else if (v->u.i > a->max.u.i) a->max = *v;
    return;
  }
}

/* The smallest value greater than every string with prefix s[0..n): the
** last code point incremented (dropping ones that cannot be), as Java's
** truncate(16) upper bound.  false when there is none. */
static bool increment_utf8(uint8_t *s, size_t *n) {
  while (*n > 0) {
    size_t start = *n - 1;
    while (start > 0 && (s[start] & 0xc0) == 0x80) start--;
    /* decode */
    uint32_t cp;
    size_t len = *n - start;
    if (len == 1) cp = s[start];
    else if (len == 2) cp = ((uint32_t)(s[start] & 0x1f) << 6) | (s[start + 1] & 0x3f);
    else if (len == 3) cp = ((uint32_t)(s[start] & 0x0f) << 12) | ((uint32_t)(s[start + 1] & 0x3f) << 6) | (s[start + 2] & 0x3f);
    else cp = ((uint32_t)(s[start] & 0x07) << 18) | ((uint32_t)(s[start + 1] & 0x3f) << 12) |
              ((uint32_t)(s[start + 2] & 0x3f) << 6) | (s[start + 3] & 0x3f);
    cp++;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;
    if (cp > 0x10ffff) {
      *n = start;
      continue;
    }
    /* encode at start (may change length: the buffer has room, since a
    ** prefix is at most ICE_TRUNC code points of at most 4 bytes) */
    size_t k = start;
    if (cp < 0x80) s[k++] = (uint8_t)cp;
    else if (cp < 0x800) s[k++] = (uint8_t)(0xc0 | (cp >> 6)), s[k++] = (uint8_t)(0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
      s[k++] = (uint8_t)(0xe0 | (cp >> 12)), s[k++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f)), s[k++] = (uint8_t)(0x80 | (cp & 0x3f));
    else
      s[k++] = (uint8_t)(0xf0 | (cp >> 18)), s[k++] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f)),
      s[k++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f)), s[k++] = (uint8_t)(0x80 | (cp & 0x3f));
    *n = k;
    return true;
  }
  return false;
}

static bool increment_bytes(uint8_t *s, size_t *n) {
  while (*n > 0) {
    if (s[*n - 1] != 0xff) {
      s[*n - 1]++;
      return true;
    }
    (*n)--;
  }
  return false;
}

/* A string or binary column's bounds from the footer: the least min_value
** and greatest max_value of its chunks (unsigned byte order, Iceberg's for
** both types), truncated.  No bounds when every chunk holds only NULLs. */
static void footer_bounds(const pq_file_meta *pm, int c, const app_col *ac, col_acc *a) {
  const pq_bytes *lo = NULL, *hi = NULL;
  for (int g = 0; g < pm->nrow_groups; g++) {
    const pq_chunk *ch = &pm->row_groups[g].columns[c];
    if (!ch->has_stats || !ch->stats.min_value.data || !ch->stats.max_value.data) continue;
    if (!lo || bytes_cmp(ch->stats.min_value.data, ch->stats.min_value.len, lo->data, lo->len) < 0) lo = &ch->stats.min_value;
    if (!hi || bytes_cmp(ch->stats.max_value.data, ch->stats.max_value.len, hi->data, hi->len) > 0) hi = &ch->stats.max_value;
  }
  if (!lo || !hi) return;
  bool text = ac->type.id == ORB_T_TEXT;
  size_t pl = text ? utf8_prefix(lo->data, lo->len) : (lo->len < ICE_TRUNC ? lo->len : ICE_TRUNC);
  size_t ph = text ? utf8_prefix(hi->data, hi->len) : (hi->len < ICE_TRUNC ? hi->len : ICE_TRUNC);
  memcpy(a->minb, lo->data, pl);
  memcpy(a->maxb, hi->data, ph);
  a->min = a->max = orb_null((orb_type_id)ac->type.id);
  a->min.isnull = a->max.isnull = 0;
  a->min.u.s = (const char *)a->minb, a->min.len = (uint32_t)pl;
  a->max.u.s = (const char *)a->maxb, a->max.len = (uint32_t)ph;
  a->max_truncated = ph < hi->len;
  a->has = true;
}

/* A list column's metrics are its element's, as Java's writer keeps them
** (spec "Manifests": counts of the leaf by its field id): value count the
** leaf's entries (an element, a NULL element, a NULL or empty list each
** count one) and null count those without a value, both from the footer
** (the writer counts them so: parquet.h); no NaN count and no bounds, as
** Java keeps none for a field inside a list or map.  Keyed by the element's id,
** no top-level column's metrics exist for it, so nothing prunes by it. */
static void list_metrics(const pq_file_meta *pm, int c, const app_col *ac, ice_col_metrics *m) {
  m->field_id = ac->itype->element_id;
  m->values = m->nulls = 0;
  m->nans = -1;
  for (int g = 0; g < pm->nrow_groups; g++) {
    const pq_chunk *ch = &pm->row_groups[g].columns[c];
    m->values += ch->num_values;
    m->nulls += ch->has_stats && ch->stats.has_null_count ? ch->stats.null_count : 0;
  }
}

static orb_status serialize_bound(const app_col *c, const orb_value *v, orb_buf *out, orb_err *e) {
  return ice_value_serialize(c->itype, v, out, e);
}

/* Close an open file into a finished data file with its metrics. */
static orb_status close_data_file(ice_append *app, open_file *of, ice_data_file **out, orb_err *e) {
  *out = NULL;
  orb_status st = pq_writer_close(of->w, e);
  of->w = NULL;
  ice_data_file *f = orb_calloc(1, sizeof *f);
  f->location = of->location;
  f->local = of->local;
  of->location = of->local = NULL;
  f->records = of->rows;
  f->ncols = app->ncols;
  f->cols = orb_calloc((size_t)(app->ncols ? app->ncols : 1), sizeof(ice_col_metrics));
  f->partition = orb_calloc((size_t)(app->npf ? app->npf : 1), sizeof(orb_value));
  pq_file_meta *pm = NULL;
  if (st == ORB_OK) st = ice_data_file_seal(f, &pm, e);
  if (st == ORB_OK && (pm->num_rows != of->rows || (pm->nrow_groups > 0 && pm->row_groups[0].ncolumns != app->ncols)))
    st = orb_err_set(e, ORB_ERR_INTERNAL, "iceberg: \"%s\" holds %lld rows, %lld were written", f->local,
                     (long long)pm->num_rows, (long long)of->rows);
  if (st == ORB_OK) {
    f->nsplits = pm->nrow_groups;
    f->split_offsets = orb_calloc((size_t)(pm->nrow_groups ? pm->nrow_groups : 1), sizeof(int64_t));
    for (int g = 0; g < pm->nrow_groups; g++) {
      const pq_row_group *rg = &pm->row_groups[g];
      int64_t off = rg->has_file_offset && rg->file_offset > 0 ? rg->file_offset : INT64_MAX;
      if (off == INT64_MAX && rg->ncolumns > 0)
        off = rg->columns[0].has_dictionary_page && rg->columns[0].dictionary_page_offset > 0 ? rg->columns[0].dictionary_page_offset
                                                                                                : rg->columns[0].data_page_offset;
      f->split_offsets[g] = off;
    }
    for (int c = 0; c < app->ncols && st == ORB_OK; c++) {
      ice_col_metrics *m = &f->cols[c];
      const app_col *ac = &app->cols[c];
      col_acc *a = &of->acc[c];
      m->field_id = ac->field_id;
      m->values = of->rows;
      m->nulls = a->nulls;
      m->nans = ac->type.id == ORB_T_FLOAT32 || ac->type.id == ORB_T_FLOAT64 ? a->nans : -1;
      if (ac->type.id == ORB_T_ARRAY) {
        list_metrics(pm, c, ac, m);
        continue;
      }
      if (ac->type.id == ORB_T_TEXT || ac->type.id == ORB_T_BYTEA) footer_bounds(pm, c, ac, a);
      if (!a->has) continue;
      if ((st = serialize_bound(ac, &a->min, &m->lower, e))) break;
      m->has_lower = true;
      orb_value up = a->max;
      bool have_up = true;
      if (a->max_truncated) {
        size_t n = up.len;
        have_up = ac->type.id == ORB_T_TEXT ? increment_utf8(a->maxb, &n) : increment_bytes(a->maxb, &n);
        up.len = (uint32_t)n;
      }
      if (have_up) {
        if ((st = serialize_bound(ac, &up, &m->upper, e))) break;
        m->has_upper = true;
      }
    }
  }
  pq_meta_free(pm);
  for (int k = 0; k < app->npf; k++) {
    f->partition[k] = of->partition ? of->partition[k] : orb_null(ORB_T_NULL);
    /* a string or binary value outlives the open file's arena: into the appender's */
    if (!f->partition[k].isnull && (f->partition[k].type == ORB_T_TEXT || f->partition[k].type == ORB_T_BYTEA))
      f->partition[k] = orb_value_copy(&f->partition[k], &app->arena);
  }
  orb_free(of->acc);
  orb_free(of->partition);
  /* partition values' strings stay in of->part_arena: moved to the file */
  orb_arena_free(&of->part_arena);
  orb_free(of);
  if (st) {
    unlink(f->local);
    ice_data_file_free(f);
    return st;
  }
  *out = f;
  return ORB_OK;
}

static orb_status finish_file(ice_append *app, int k, orb_err *e) {
  open_file *of = app->open[k];
  app->open[k] = app->open[--app->nopen];
  if (app->npf > 0) orb_hmap_remove(&app->part_files, of->part_hash, of);
  ice_data_file *f;
  orb_status st = close_data_file(app, of, &f, e);
  if (st) return st;
  if (app->ndone == app->capdone) {
    app->capdone = app->capdone ? app->capdone * 2 : 8;
    app->done = orb_realloc(app->done, sizeof(ice_data_file *) * (size_t)app->capdone);
  }
  app->done[app->ndone++] = f;
  return ORB_OK;
}

static bool is_int_like(orb_type_id t) {
  return t == ORB_T_INT16 || t == ORB_T_INT32 || t == ORB_T_INT64 || t == ORB_T_DATE || t == ORB_T_TIME ||
         t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ;
}

/* Check column c's values col[0..n) and fold them into a, one pass in a
** loop by type.  Returns the first row the pass cannot take — a NULL in a
** required column, or a value of another type (to be cast) — or n when it
** took them all.  *raw gets the raw bytes of the rows taken. */
static int64_t fold_column(col_acc *a, const app_col *c, const orb_value *col, int64_t n, int64_t *raw) {
  orb_type_id t = (orb_type_id)c->type.id;
  bool req = c->required;
  int64_t r = 0, nulls = 0;
  if (is_int_like(t)) {
    int64_t mn = a->min.u.i, mx = a->max.u.i;
    bool has = a->has;
    for (; r < n; r++) {
      const orb_value *v = &col[r];
      if (v->isnull) {
        if (req) break;
        nulls++;
        continue;
      }
      if (v->type != t) break;
      int64_t x = v->u.i;
      if (!has) {
        mn = mx = x, has = true;
        a->min = a->max = *v;
      }
      mn = x < mn ? x : mn;
      mx = x > mx ? x : mx;
    }
    a->has = has;
    a->min.u.i = mn;
    a->max.u.i = mx;
    orb_value probe = orb_null(t);
    probe.isnull = 0;
    *raw += (r - nulls) * raw_width(&probe);
  } else if (t == ORB_T_ARRAY) {   /* metrics: from the footer, for the element (close_data_file) */
    int64_t items = 0;
    for (; r < n; r++) {
      const orb_value *v = &col[r];
      if (v->isnull) {
        if (req) break;
        nulls++;
        continue;
      }
      if (v->type != t) break;
      items += v->u.arr->n;
    }
    *raw += items * 8;
  } else if (t == ORB_T_TEXT || t == ORB_T_BYTEA) {   /* bounds: from the footer */
    int64_t bytes = 0;
    for (; r < n; r++) {
      const orb_value *v = &col[r];
      if (v->isnull) {
        if (req) break;
        nulls++;
        continue;
      }
      if (v->type != t) break;
      bytes += v->len;
    }
    *raw += bytes;
  } else if (t == ORB_T_FLOAT32 || t == ORB_T_FLOAT64) {   /* acc_value's rules, the bounds in registers */
    double mn = a->min.u.f, mx = a->max.u.f;
    bool has = a->has;
    int64_t present = 0, nans = 0;
    for (; r < n; r++) {
      const orb_value *v = &col[r];
      if (v->isnull) {
        if (req) break;
        nulls++;
        continue;
      }
      if (v->type != t) break;
      double x = v->u.f;
      present++;
      if (isnan(x)) nans++;
      else if (!has) {
        mn = mx = x, has = true;
        a->min = a->max = *v;
      } else if (x < mn || (x == 0 && mn == 0 && signbit(x))) mn = x;
      else if (x > mx || (x == 0 && mx == 0 && !signbit(x))) mx = x;
    }
    a->has = has;
    a->min.u.f = mn;
    a->max.u.f = mx;
    a->nans += nans;
    *raw += present * (t == ORB_T_FLOAT32 ? 4 : 8);
  } else {
    bool dec = t == ORB_T_DECIMAL;
    int64_t present = 0;
    for (; r < n; r++) {
      const orb_value *v = &col[r];
      if (v->isnull) {
        if (req) break;
        nulls++;
        continue;
      }
      if (v->type != t || (dec && v->scale != c->type.scale)) break;
      acc_value(a, c, v);
      present++;
    }
    orb_value probe = orb_null(t);
    probe.isnull = 0;
    *raw += present * raw_width(&probe);
  }
  a->nulls += nulls;
  return r;
}

/* Check, cast and account n rows of cols, then hand them to of's writer. */
static orb_status write_to(ice_append *app, open_file *of, const orb_value *const *cols, int64_t n, orb_err *e) {
  const orb_value **use = orb_arena_alloc(&app->cast_arena, sizeof(orb_value *) * (size_t)(app->ncols ? app->ncols : 1));
  int64_t raw = 0;
  for (int c = 0; c < app->ncols; c++) {
    const app_col *ac = &app->cols[c];
    const orb_value *col = cols[c];
    /* the metrics go to a copy, kept only once every column has passed: a
    ** refused batch leaves the file's metrics as they were */
    col_acc *a = &app->tacc[c];
    *a = of->acc[c];
    int64_t craw = 0;
    use[c] = col;
    if (fold_column(a, ac, col, n, &craw) == n) {
      raw += craw;
      continue;
    }
    /* NULLs in a required column, and values of another type (cast as
    ** SQL assignment would) */
    orb_value *conv = NULL;
    for (int64_t r = 0; r < n; r++) {
      const orb_value *v = &col[r];
      if (v->isnull) {
        if (ac->required)
          return orb_err_setx(e, ORB_ERR_NOT_NULL, "23502", 0, "iceberg: column \"%s\" is required (NOT NULL) but a row has NULL",
                              ac->name);
        continue;
      }
      if (v->type != ac->type.id || (v->type == ORB_T_DECIMAL && v->scale != ac->type.scale)) {
        if (!conv) {
          conv = orb_arena_alloc(&app->cast_arena, sizeof(orb_value) * (size_t)n);
          memcpy(conv, col, sizeof(orb_value) * (size_t)n);
        }
        orb_status st = orb_value_cast(v, ac->type, &app->cast_arena, &conv[r], e);
        if (st) {
          orb_err_prefix(e, "iceberg: column \"%s\"", ac->name);
          return st;
        }
      }
    }
    use[c] = conv ? conv : col;
    *a = of->acc[c];
    craw = 0;
    if (fold_column(a, ac, use[c], n, &craw) != n)
      return orb_err_set(e, ORB_ERR_INTERNAL, "iceberg: column \"%s\": a value cast to its type has another", ac->name);
    raw += craw;
  }
  memcpy(of->acc, app->tacc, sizeof(col_acc) * (size_t)app->ncols);
  app->raw_bytes += raw;
  orb_status st = pq_writer_write_typed(of->w, use, n, e);   /* fold_column checked every value's type */
  if (st) return st;
  of->rows += n;
  app->rows += n;
  return ORB_OK;
}

/* Roll file k over when it has reached the target size on disk. */
static orb_status maybe_roll(ice_append *app, int k, orb_err *e) {
  struct stat sb;
  if (stat(app->open[k]->local, &sb) == 0 && (int64_t)sb.st_size >= app->target_bytes) return finish_file(app, k, e);
  return ORB_OK;
}

/* --- partitioned tables --------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/* A partition value as the folder name's value, in the transform's human
** form as Java writes it (day 2026-01-31, month 2026-01, year 2026, hour
** 2026-01-31-10, "null"), URL-encoded like Java's URLEncoder. */
static void human_value(const ice_part_field *p, const orb_value *v, orb_buf *out) {
  orb_buf t = ORB_BUF_INIT;
  int64_t y;
  int m, d;
  if (v->isnull) orb_buf_puts(&t, "null");
  else if (p->transform.kind == ICE_TR_DAY) {
    orb_civil_from_days(v->u.i, &y, &m, &d);
    orb_buf_printf(&t, "%04lld-%02d-%02d", (long long)y, m, d);
  } else if (p->transform.kind == ICE_TR_MONTH)
    orb_buf_printf(&t, "%04lld-%02d", (long long)(1970 + floor_div(v->u.i, 12)), (int)(v->u.i - 12 * floor_div(v->u.i, 12)) + 1);
  else if (p->transform.kind == ICE_TR_YEAR) orb_buf_printf(&t, "%04lld", (long long)(1970 + v->u.i));
  else if (p->transform.kind == ICE_TR_HOUR) {
    orb_civil_from_days(floor_div(v->u.i, 24), &y, &m, &d);
    orb_buf_printf(&t, "%04lld-%02d-%02d-%02d", (long long)y, m, d, (int)(v->u.i - 24 * floor_div(v->u.i, 24)));
  } else if (v->type == ORB_T_TEXT) orb_buf_append(&t, v->u.s, v->len);
  else if (v->type == ORB_T_BOOL) orb_buf_puts(&t, v->u.b ? "true" : "false");
  else orb_value_to_text(v, &t);
  for (size_t i = 0; i < t.len; i++) {
    unsigned char c = (unsigned char)t.data[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '*')
      orb_buf_putc(out, (char)c);
    else if (c == ' ') orb_buf_putc(out, '+');
    else orb_buf_printf(out, "%%%02X", c);
  }
  orb_buf_free(&t);
}

static uint64_t tuple_hash(int n, const orb_value *t) {
  uint64_t h = 0x1ce4e5b9ULL;
  for (int k = 0; k < n; k++) h = orb_hash_mix(h, t[k].isnull ? 0x6e756c6cULL : orb_value_hash(&t[k]));
  return h ? h : 1;
}

static bool tuple_eq(int n, const orb_value *a, const orb_value *b) {
  for (int k = 0; k < n; k++) {
    if (a[k].isnull != b[k].isnull) return false;
    if (!a[k].isnull && orb_value_cmp(&a[k], &b[k]) != 0) return false;
  }
  return true;
}

/* Route each row to the open file of its partition tuple (opening one for
** a new tuple), then write each file's rows. */
static orb_status append_partitioned(ice_append *app, const orb_value *const *cols, int64_t n, orb_err *e) {
  int nc = app->ncols, npf = app->npf;
  open_file **which = orb_malloc(sizeof(open_file *) * (size_t)n);
  orb_value tuple[npf];
  orb_status st = ORB_OK;
  open_file *last = NULL;
  for (int64_t r = 0; r < n && st == ORB_OK; r++) {
    for (int k = 0; k < npf && st == ORB_OK; k++) {
      const ice_part_field *p = &app->pf[k];
      const app_col *ac = &app->cols[p->source_col];
      orb_value v = cols[p->source_col][r];
      if (!v.isnull && (v.type != ac->type.id || (v.type == ORB_T_DECIMAL && v.scale != ac->type.scale))) {
        orb_value c;
        if ((st = orb_value_cast(&v, ac->type, &app->cast_arena, &c, e))) {
          orb_err_prefix(e, "iceberg: column \"%s\"", ac->name);
          break;
        }
        v = c;
      }
      st = ice_transform_apply(&p->transform, p->source, &v, &app->cast_arena, &tuple[k], e);
    }
    if (st) break;
    if (!last || !tuple_eq(npf, tuple, last->partition)) {
      uint64_t h = tuple_hash(npf, tuple);
      orb_hmap_iter it;
      last = NULL;
      for (open_file *o = orb_hmap_find(&app->part_files, h, &it); o && !last; o = orb_hmap_next(&it))
        if (tuple_eq(npf, tuple, o->partition)) last = o;
      if (!last) {
        orb_buf dir = ORB_BUF_INIT;
        for (int k = 0; k < npf; k++) {
          if (k) orb_buf_putc(&dir, '/');
          orb_buf_printf(&dir, "%s=", app->pf[k].name);
          human_value(&app->pf[k], &tuple[k], &dir);
        }
        orb_buf_putc(&dir, '\0');
        const char *ddir = (const char *)dir.data;
        char *local = orb_malloc(strlen(app->table_dir) + dir.len + 8);
        sprintf(local, "%s/data/%s", app->table_dir, ddir);
        st = orb_mkdir_p(local, e);
        orb_free(local);
        open_file *of = NULL;
        if (st == ORB_OK) st = open_data_file(app, ddir, tuple, &of, e);
        orb_buf_free(&dir);
        if (st) break;
        if (app->nopen == app->capopen) {
          app->capopen = app->capopen ? app->capopen * 2 : 4;
          app->open = orb_realloc(app->open, sizeof(open_file *) * (size_t)app->capopen);
        }
        of->part_hash = h;
        orb_hmap_put(&app->part_files, h, of);
        last = of;
        app->open[app->nopen++] = of;
      }
    }
    which[r] = last;
  }
  /* each file's rows, gathered into column arrays */
  orb_value *buf = NULL;
  const orb_value *gcols[nc ? nc : 1];
  for (int f = 0; f < app->nopen && st == ORB_OK; f++) {
    int64_t m = 0;
    open_file *of = app->open[f];
    for (int64_t r = 0; r < n; r++) m += which[r] == of;
    if (m == 0) continue;
    if (!buf) buf = orb_malloc(sizeof(orb_value) * (size_t)n * (size_t)(nc ? nc : 1));
    for (int c = 0; c < nc; c++) {
      orb_value *dst = buf + (size_t)c * (size_t)n;
      int64_t j = 0;
      for (int64_t r = 0; r < n; r++)
        if (which[r] == of) dst[j++] = cols[c][r];
      gcols[c] = dst;
    }
    st = write_to(app, of, gcols, m, e);
  }
  orb_free(buf);
  orb_free(which);
  orb_arena_reset(&app->cast_arena);
  /* downwards: finishing file k moves the last one into slot k, already checked */
  for (int f = app->nopen - 1; f >= 0 && st == ORB_OK; f--) st = maybe_roll(app, f, e);
  return st;
}

orb_status ice_append_columns(ice_append *app, const orb_value *const *cols, int64_t n, orb_err *e) {
  if (n <= 0) return ORB_OK;
  if (app->npf > 0) return append_partitioned(app, cols, n, e);
  orb_status st;
  if (app->nopen == 0) {
    if (app->nopen == app->capopen) {
      app->capopen = app->capopen ? app->capopen * 2 : 4;
      app->open = orb_realloc(app->open, sizeof(open_file *) * (size_t)app->capopen);
    }
    open_file *of;
    if ((st = open_data_file(app, NULL, NULL, &of, e))) return st;
    app->open[app->nopen++] = of;
  }
  st = write_to(app, app->open[0], cols, n, e);
  orb_arena_reset(&app->cast_arena);
  if (st) return st;
  return maybe_roll(app, 0, e);
}

orb_status ice_append_rows(ice_append *app, const orb_value *rows, int64_t n, orb_err *e) {
  int nc = app->ncols;
  size_t need = (size_t)nc * ICE_BATCH_ROWS;
  if (app->scratch_cap < need) {
    app->scratch = orb_realloc(app->scratch, sizeof(orb_value) * need);
    app->scratch_cap = need;
  }
  const orb_value *cols[nc ? nc : 1];
  for (int64_t done = 0; done < n;) {
    int64_t m = n - done < ICE_BATCH_ROWS ? n - done : ICE_BATCH_ROWS;
    for (int c = 0; c < nc; c++) {
      orb_value *dst = app->scratch + (size_t)c * ICE_BATCH_ROWS;
      const orb_value *src = rows + (size_t)done * (size_t)nc + (size_t)c;
      for (int64_t r = 0; r < m; r++) dst[r] = src[(size_t)r * (size_t)nc];
      cols[c] = dst;
    }
    orb_status st = ice_append_columns(app, cols, m, e);
    if (st) return st;
    done += m;
  }
  return ORB_OK;
}

/* --- committing ----------------------------------------------------------- */

static void free_app(ice_append *app, bool remove_files) {
  for (int i = 0; i < app->nopen; i++) {
    open_file *of = app->open[i];
    if (of->w) pq_writer_abort(of->w);
    if (remove_files && of->local) unlink(of->local);
    orb_free(of->local);
    orb_free(of->location);
    orb_free(of->acc);
    orb_free(of->partition);
    orb_arena_free(&of->part_arena);
    orb_free(of);
  }
  for (int i = 0; i < app->ndone; i++) {
    if (remove_files) unlink(app->done[i]->local);
    ice_data_file_free(app->done[i]);
  }
  orb_hmap_free(&app->part_files);
  orb_free(app->manifest_local);
  orb_free(app->open);
  orb_free(app->done);
  orb_free(app->scratch);
  orb_arena_free(&app->cast_arena);
  orb_arena_free(&app->arena);
  orb_free(app);
}

void ice_append_abort(ice_append *app) {
  if (app) free_app(app, true);
}

/* The number of partitions the new files are in. */
static int changed_partitions(const ice_append *app) {
  if (app->npf == 0) return 1;
  int n = 0;
  for (int i = 0; i < app->ndone; i++) {
    bool seen = false;
    for (int j = 0; j < i && !seen; j++) seen = tuple_eq(app->npf, app->done[i]->partition, app->done[j]->partition);
    if (!seen) n++;
  }
  return n;
}

orb_status ice_append_prepare(ice_append *app, int64_t snapshot_id, ice_manifest_ref *mref, ice_summary_delta *delta,
                              orb_err *e) {
  memset(mref, 0, sizeof *mref);
  memset(delta, 0, sizeof *delta);
  delta->changed_partitions = -1;
  orb_status st = ORB_OK;
  while (app->nopen > 0 && st == ORB_OK) st = finish_file(app, app->nopen - 1, e);
  if (st != ORB_OK || app->ndone == 0) return st;
  orb_arena *a = &app->arena;
  const char *mrel = orb_arena_sprintf(a, "metadata/%s-m0.avro", app->uuid);
  app->manifest_local = local_path(app, mrel);
  char *mloc = location_path(app, mrel);
  orb_buf img = ORB_BUF_INIT;
  st = ice_manifest_write(a, app->schema, app->spec, app->pf, app->npf, ICE_CONTENT_DATA, app->done, app->ndone, snapshot_id,
                          &img, mref, e);
  if (st == ORB_OK && (st = ice_write_new_file(app->manifest_local, img.data, img.len, e)) != ORB_OK) {
    orb_free(app->manifest_local);
    app->manifest_local = NULL;
  }
  mref->path = orb_arena_strdup(a, mloc);
  mref->length = (int64_t)img.len;
  orb_buf_free(&img);
  orb_free(mloc);
  if (st != ORB_OK) return st;
  delta->added_data_files = app->ndone;
  for (int i = 0; i < app->ndone; i++) delta->added_records += app->done[i]->records, delta->added_files_size += app->done[i]->size;
  delta->changed_partitions = changed_partitions(app);
  return ORB_OK;
}

bool ice_append_has_partition(const ice_append *app, const orb_value *tuple) {
  for (int i = 0; i < app->ndone; i++)
    if (tuple_eq(app->npf, app->done[i]->partition, tuple)) return true;
  return false;
}

void ice_append_release(ice_append *app, bool remove_files) {
  if (!app) return;
  if (remove_files && app->manifest_local) unlink(app->manifest_local);
  free_app(app, remove_files);
}

void ice_append_set_snapshot_id(ice_append *app, int64_t id) { app->snapshot_id = id; }

orb_status ice_append_commit(ice_append *app, int64_t *snapshot_id, ice_append_stats *stats, orb_err *e) {
  *snapshot_id = -1;
  ice_snapshot_change c;
  memset(&c, 0, sizeof c);
  ice_manifest_ref mref;
  c.snapshot_id = app->snapshot_id > 0 ? app->snapshot_id : ice_new_snapshot_id(&app->meta);
  orb_status st = ice_append_prepare(app, c.snapshot_id, &mref, &c.delta, e);
  bool unsure = false;
  if (st == ORB_OK && app->ndone > 0) {
    c.operation = "append";
    c.manifests = &mref;
    c.nmanifests = 1;
    c.extra_summary = app->extra_summary;
    c.nextra_summary = app->nextra_summary;
    c.uuid = app->uuid;
    ice_append_edit_of(app, &c.edit, &c.edit_ctx);
    st = ice_snapshot_commit(&app->arena, app->table_dir, app->edit ? &app->orig : &app->meta, &app->mfile, &app->retry,
                             &c, &app->attempts, &unsure,
                             NULL, e);
    if (st == ORB_OK) *snapshot_id = c.snapshot_id;
  }
  if (stats) *stats = ice_append_get_stats(app);
  /* an append of no rows, or one that failed before the commit point: its files are no one's */
  ice_append_release(app, st != ORB_OK ? !unsure : app->ndone == 0);
  return st;
}
