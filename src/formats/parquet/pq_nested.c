/* formats/parquet/pq_nested.c — record assembly: a field's values from its
** leaves' repetition and definition levels (see parquet.h), and their JSON.
**
** Assembly walks the field's shape with a cursor per leaf.  At each node the
** first leaf below it decides: a definition level below the node's means
** NULL (or, for a list, empty) and every leaf below then holds exactly one
** entry with that same level; otherwise structs read each member, lists and
** maps read elements for as long as the first leaf's next entry repeats at
** their repetition level.  Every entry consumed must carry the repetition
** level the walk expects there (0 for a record's first), so levels that
** disagree between leaves, or with the shape, are errors rather than
** misread values; recursion is bounded by the shape's depth (PQ_MAX_DEPTH). */
#include "formats/parquet/pq_int.h"
#include "types/array.h"
#include "types/value.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct assembler {
  const char *name;
  pq_column *cols;               /* the field's leaves */
  int first;                     /* the first leaf's column index */
  int64_t *pos;                  /* cursor per leaf */
  orb_arena *a;
  size_t budget;                 /* bytes of value tree still allowed */
} assembler;

static int def_at(const pq_column *c, int64_t i) { return pq_def_level(c, i); }
static int rep_at(const pq_column *c, int64_t i) { return c->rep ? c->rep[i] : 0; }

static orb_status mismatch(assembler *as, const pq_shape *s, orb_err *e) {
  char what[240];
  snprintf(what, sizeof what, "the levels of field \"%s\" disagree between its columns or with its schema", s->name);
  return pq_corrupt(e, as->name, what);
}

/* The next entry of leaf column k (relative), which must exist. */
static orb_status entry(assembler *as, const pq_shape *s, int k, int64_t *i, orb_err *e) {
  if (as->pos[k] >= as->cols[k].n) {
    char what[240];
    snprintf(what, sizeof what, "a column of field \"%s\" ends in the middle of a record", s->name);
    return pq_corrupt(e, as->name, what);
  }
  *i = as->pos[k];
  return ORB_OK;
}

/* A NULL or empty value: one entry of every leaf below s, each at repetition
** level r and definition level d. */
static orb_status skip_one(assembler *as, const pq_shape *s, int r, int d, orb_err *e) {
  for (int k = s->first_leaf - as->first; k < s->first_leaf - as->first + s->nleaves; k++) {
    int64_t i = 0;
    orb_status st = entry(as, s, k, &i, e);
    if (st != ORB_OK) return st;
    if (rep_at(&as->cols[k], i) != r || def_at(&as->cols[k], i) != d) return mismatch(as, s, e);
    as->pos[k]++;
  }
  return ORB_OK;
}

static pq_nested *items(assembler *as, int64_t n, orb_err *e) {
  size_t bytes = sizeof(pq_nested) * (size_t)(n ? n : 1);
  if (n < 0 || n > INT32_MAX || bytes > as->budget) {
    orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "parquet: \"%s\": nested values over the memory limit", as->name);
    return NULL;
  }
  as->budget -= bytes;
  return orb_arena_zalloc(as->a, bytes);
}

/* One value of s whose first entries repeat at level r. */
static orb_status assemble(assembler *as, const pq_shape *s, int r, pq_nested *out, orb_err *e) {
  int k0 = s->first_leaf - as->first;
  const pq_column *c0 = &as->cols[k0];
  int64_t i = 0;
  orb_status st = entry(as, s, k0, &i, e);
  if (st != ORB_OK) return st;
  int d = def_at(c0, i);
  out->n = -1;
  if (d < s->def) return skip_one(as, s, r, d, e);
  switch (s->kind) {
  case PQ_SHAPE_VALUE:
    if (rep_at(c0, i) != r) return mismatch(as, s, e);
    out->n = 0;
    out->entry = i;
    as->pos[k0]++;
    return ORB_OK;
  case PQ_SHAPE_STRUCT:
    if (!(out->items = items(as, s->nchildren, e))) return e->code;
    out->n = s->nchildren;
    for (int k = 0; k < s->nchildren && st == ORB_OK; k++) st = assemble(as, &s->children[k], r, &out->items[k], e);
    return st;
  case PQ_SHAPE_LIST:
  case PQ_SHAPE_MAP: {
    if (d < s->elem_def) {   /* empty */
      out->n = 0;
      return skip_one(as, s, r, d, e);
    }
    /* the elements: the first leaf's entries up to the next at a lower repetition level */
    int64_t count = 1;
    for (int64_t j = i + 1; j < c0->n && rep_at(c0, j) >= s->rep; j++) count += rep_at(c0, j) == s->rep;
    int per = s->kind == PQ_SHAPE_MAP ? 2 : 1;
    if (!(out->items = items(as, count * per, e))) return e->code;
    int64_t n = 0;
    int rr = r;
    for (;;) {
      if (n == count) return mismatch(as, s, e);
      for (int k = 0; k < per && st == ORB_OK; k++) st = assemble(as, &s->children[k], rr, &out->items[n * per + k], e);
      if (st != ORB_OK) return st;
      n++;
      rr = s->rep;
      if (as->pos[k0] >= c0->n || rep_at(c0, as->pos[k0]) != s->rep) break;
    }
    out->n = (int32_t)n;
    return ORB_OK;
  }
  }
  return mismatch(as, s, e);
}

static orb_status read_nested(const char *path, const void *image, size_t image_len, const pq_file_meta *m,
                              const pq_shape *f, int rg, size_t limit, pq_nested_column *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  orb_arena_init(&out->arena, 65536);
  out->shape = f;
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  if (rg < 0 || rg >= m->nrow_groups || f->nleaves < 1 || f->first_leaf < 0 ||
      f->first_leaf + f->nleaves > m->row_groups[rg].ncolumns)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": no field \"%s\" in row group %d", path, f->name, rg);
  out->leaves = orb_calloc((size_t)f->nleaves, sizeof(pq_column));
  orb_status st = ORB_OK;
  /* the limit holds for the leaves together (chunks may share bytes, and a
  ** few bytes of levels can stand for many entries), then the value tree */
  size_t left = limit;
  for (int k = 0; k < f->nleaves && st == ORB_OK; k++) {
    int col = f->first_leaf + k;
    st = image ? pq_read_leaf_column_image(image, image_len, path, m, rg, col, left, &out->leaves[k], e)
               : pq_read_leaf_column(path, m, rg, col, left, &out->leaves[k], e);
    size_t used = out->leaves[k].arena.total;
    if (st == ORB_OK && used >= left)
      st = orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "parquet: \"%s\": field \"%s\" is over the memory limit", path,
                        f->name);
    if (st == ORB_OK) left -= used;
  }
  if (st != ORB_OK) return st;
  int64_t rows = m->row_groups[rg].num_rows;
  const pq_column *c0 = &out->leaves[0];
  int64_t records = 0;
  for (int64_t i = 0; i < c0->n; i++) records += rep_at(c0, i) == 0;
  char what[240];
  if (records != rows) {
    snprintf(what, sizeof what, "field \"%s\" has %lld records in row group %d of %lld rows", f->name, (long long)records,
             rg, (long long)rows);
    return pq_corrupt(e, path, what);
  }
  assembler as = {path, out->leaves, f->first_leaf, orb_calloc((size_t)f->nleaves, sizeof(int64_t)), &out->arena, left};
  out->rows = items(&as, rows, e);
  if (!out->rows) st = e->code;
  for (int64_t r = 0; r < rows && st == ORB_OK; r++) st = assemble(&as, f, 0, &out->rows[r], e);
  for (int k = 0; k < f->nleaves && st == ORB_OK; k++)
    if (as.pos[k] != out->leaves[k].n) {
      snprintf(what, sizeof what, "a column of field \"%s\" holds entries beyond its records", f->name);
      st = pq_corrupt(e, path, what);
    }
  orb_free(as.pos);
  if (st == ORB_OK) out->n = rows;
  return st;
}

orb_status pq_read_nested(const char *path, const pq_file_meta *m, const pq_shape *f, int rg, size_t limit,
                          pq_nested_column *out, orb_err *e) {
  return read_nested(path, NULL, 0, m, f, rg, limit, out, e);
}

orb_status pq_read_nested_image(const void *file, size_t len, const char *name, const pq_file_meta *m,
                                const pq_shape *f, int rg, size_t limit, pq_nested_column *out, orb_err *e) {
  return read_nested(name, file, len, m, f, rg, limit, out, e);
}

void pq_nested_free(pq_nested_column *c) {
  if (!c) return;
  if (c->leaves)
    for (int k = 0; k < c->shape->nleaves; k++) pq_column_free(&c->leaves[k]);
  orb_free(c->leaves);
  orb_arena_free(&c->arena);
  memset(c, 0, sizeof *c);
}

/* --- JSON ------------------------------------------------------------------------ */

/* s as a JSON string. */
static void json_string(orb_buf *out, const char *s, size_t n) {
  orb_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    switch (ch) {
    case '"': orb_buf_puts(out, "\\\""); break;
    case '\\': orb_buf_puts(out, "\\\\"); break;
    case '\n': orb_buf_puts(out, "\\n"); break;
    case '\r': orb_buf_puts(out, "\\r"); break;
    case '\t': orb_buf_puts(out, "\\t"); break;
    case '\b': orb_buf_puts(out, "\\b"); break;
    case '\f': orb_buf_puts(out, "\\f"); break;
    default:
      if (ch < 0x20) orb_buf_printf(out, "\\u%04x", ch);
      else orb_buf_putc(out, (char)ch);
    }
  }
  orb_buf_putc(out, '"');
}

static orb_status json_value(const pq_nested_column *c, const pq_shape *s, const pq_nested *v, orb_buf *out, orb_err *e);

static orb_status json_leaf(const pq_nested_column *c, const pq_shape *s, const pq_nested *v, orb_buf *out, orb_err *e) {
  const pq_column *col = &c->leaves[s->leaf - c->shape->first_leaf];
  orb_type t;
  orb_value x;
  orb_status st = pq_sql_type(s->elem, &t, e);
  if (st == ORB_OK) st = pq_value_at(s->elem, col, v->entry, t, &x, e);
  if (st != ORB_OK) return st;
  if (x.isnull) {
    orb_buf_puts(out, "null");
    return ORB_OK;
  }
  orb_buf text = ORB_BUF_INIT;
  orb_value_to_text(&x, &text);
  switch ((orb_type_id)t.id) {
  case ORB_T_BOOL: orb_buf_puts(out, x.u.b ? "true" : "false"); break;
  case ORB_T_INT16:
  case ORB_T_INT32:
  case ORB_T_INT64:
  case ORB_T_DECIMAL: orb_buf_append(out, text.data, text.len); break;
  case ORB_T_FLOAT32:
  case ORB_T_FLOAT64:
    if (isfinite(x.u.f)) orb_buf_append(out, text.data, text.len);
    else json_string(out, text.data, text.len);   /* JSON has no NaN or infinity */
    break;
  default: json_string(out, text.data, text.len);
  }
  orb_buf_free(&text);
  return ORB_OK;
}

static orb_status json_value(const pq_nested_column *c, const pq_shape *s, const pq_nested *v, orb_buf *out, orb_err *e) {
  /* a few bytes of levels can stand for millions of members whose names
  ** repeat in the text: the text has a limit of its own */
  if (out->len > PQ_DEFAULT_META_LIMIT)
    return orb_err_setx(e, ORB_ERR_LIMIT, "54000", 0, "parquet: field \"%s\": a record's JSON is over the memory limit",
                        c->shape->name);
  if (v->n < 0) {
    orb_buf_puts(out, "null");
    return ORB_OK;
  }
  orb_status st = ORB_OK;
  switch (s->kind) {
  case PQ_SHAPE_VALUE: return json_leaf(c, s, v, out, e);
  case PQ_SHAPE_STRUCT:
    orb_buf_putc(out, '{');
    for (int k = 0; k < v->n && st == ORB_OK; k++) {
      if (k) orb_buf_putc(out, ',');
      json_string(out, s->children[k].name, strlen(s->children[k].name));
      orb_buf_putc(out, ':');
      st = json_value(c, &s->children[k], &v->items[k], out, e);
    }
    orb_buf_putc(out, '}');
    return st;
  case PQ_SHAPE_LIST:
    orb_buf_putc(out, '[');
    for (int k = 0; k < v->n && st == ORB_OK; k++) {
      if (k) orb_buf_putc(out, ',');
      st = json_value(c, &s->children[0], &v->items[k], out, e);
    }
    orb_buf_putc(out, ']');
    return st;
  case PQ_SHAPE_MAP: {
    orb_buf key = ORB_BUF_INIT;
    orb_buf_putc(out, '{');
    for (int k = 0; k < v->n && st == ORB_OK; k++) {
      if (k) orb_buf_putc(out, ',');
      /* a JSON key is a string: a string key as it is, any other its JSON text */
      orb_buf_reset(&key);
      st = json_value(c, &s->children[0], &v->items[2 * k], &key, e);
      if (st != ORB_OK) break;
      if (key.len && key.data[0] == '"') orb_buf_append(out, key.data, key.len);
      else json_string(out, key.data, key.len);
      orb_buf_putc(out, ':');
      st = json_value(c, &s->children[1], &v->items[2 * k + 1], out, e);
    }
    orb_buf_putc(out, '}');
    orb_buf_free(&key);
    return st;
  }
  }
  return ORB_OK;
}

orb_status pq_nested_json(const pq_nested_column *c, int64_t row, orb_buf *out, bool *isnull, orb_err *e) {
  if (row < 0 || row >= c->n) return orb_err_set(e, ORB_ERR_MISUSE, "parquet: row %lld out of range", (long long)row);
  *isnull = c->rows[row].n < 0;
  if (*isnull) return ORB_OK;
  return json_value(c, c->shape, &c->rows[row], out, e);
}

orb_status pq_nested_value(const pq_nested_column *c, int64_t row, orb_type t, orb_arena *a, orb_value *out, orb_err *e) {
  if (row < 0 || row >= c->n) return orb_err_set(e, ORB_ERR_MISUSE, "parquet: row %lld out of range", (long long)row);
  const pq_nested *v = &c->rows[row];
  const pq_shape *s = c->shape;
  if (v->n < 0) {
    *out = orb_null((orb_type_id)t.id);
    return ORB_OK;
  }
  orb_status st = ORB_OK;
  if (t.id == ORB_T_ARRAY && s->kind == PQ_SHAPE_LIST && s->children[0].kind == PQ_SHAPE_VALUE) {
    const pq_shape *el = &s->children[0];
    const pq_column *col = &c->leaves[el->leaf - s->first_leaf];
    orb_type et = orb_type_elem(t);
    orb_value *items = orb_arena_alloc(a, sizeof(orb_value) * (size_t)(v->n ? v->n : 1));
    for (int32_t k = 0; k < v->n && st == ORB_OK; k++) {
      orb_value x;
      if (v->items[k].n < 0) items[k] = orb_null((orb_type_id)et.id);
      else if ((st = pq_value_at(el->elem, col, v->items[k].entry, et, &x, e)) == ORB_OK) items[k] = orb_value_copy(&x, a);
    }
    if (st == ORB_OK) *out = orb_array_make(a, (orb_type_id)et.id, items, (uint32_t)v->n);
    return st;
  }
  orb_buf json = ORB_BUF_INIT;
  if ((st = json_value(c, s, v, &json, e)) == ORB_OK)
    *out = orb_text(orb_arena_strndup(a, json.data ? json.data : "", json.len), json.len);
  orb_buf_free(&json);
  return st;
}
