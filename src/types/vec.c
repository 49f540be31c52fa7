/* types/vec.c — column batches: a batch's values as orb_values, and a
** source's storage for batches of values (vec.h). */
#include "types/vec.h"
#include "base/mem.h"

#include <string.h>

void orb_vec_value(const orb_vec *v, int r, orb_value *out) {
  orb_type_id id = (orb_type_id)v->type.id;
  if (v->nulls && v->nulls[r]) {
    *out = orb_null(id);
    return;
  }
  switch (v->kind) {
  case ORB_VEC_I32:
  case ORB_VEC_I64:
    /* integers, dates, times and timestamps all keep their value in u.i */
    *out = orb_int(id, v->kind == ORB_VEC_I32 ? ((const int32_t *)v->data)[r] : ((const int64_t *)v->data)[r]);
    return;
  case ORB_VEC_F32: *out = orb_float(id, ((const float *)v->data)[r]); return;
  case ORB_VEC_F64: *out = orb_float(id, ((const double *)v->data)[r]); return;
  case ORB_VEC_BOOL: *out = orb_bool(((const uint8_t *)v->data)[r] != 0); return;
  case ORB_VEC_BYTES: {
    const orb_bytes *s = (const orb_bytes *)v->data + r;
    *out = id == ORB_T_BYTEA ? orb_bytea(s->data, s->len) : orb_text((const char *)s->data, s->len);
    if (orb_type_is_json(id)) out->type = (uint8_t)id;
    return;
  }
  case ORB_VEC_VALUES: *out = ((const orb_value *)v->data)[r]; return;
  }
}

void orb_vbatch_row(const orb_vbatch *b, int r, orb_value *row) {
  for (int i = 0; i < b->ncols; i++) orb_vec_value(&b->cols[i], r, &row[i]);
}

void orb_vbuf_init(orb_vbuf *v, int ncols, const orb_type *types) {
  memset(v, 0, sizeof *v);
  v->b.ncols = ncols;
  v->b.cols = orb_calloc((size_t)ncols + 1, sizeof *v->b.cols);
  v->vals = orb_calloc((size_t)ncols + 1, sizeof *v->vals);
  v->nulls = orb_calloc((size_t)ncols + 1, sizeof *v->nulls);
  v->all_null = orb_malloc(ORB_VEC_MAX);
  memset(v->all_null, 1, ORB_VEC_MAX);
  v->sel = orb_malloc(sizeof(uint16_t) * ORB_VEC_MAX);
  for (int i = 0; i < ncols; i++) {
    v->vals[i] = orb_malloc(sizeof(orb_value) * ORB_VEC_MAX);
    v->nulls[i] = orb_malloc(ORB_VEC_MAX);
    if (types) v->b.cols[i].type = types[i];
    for (int r = 0; types && r < ORB_VEC_MAX; r++) v->vals[i][r] = orb_null((orb_type_id)types[i].id);
  }
}

void orb_vbuf_free(orb_vbuf *v) {
  for (int i = 0; v->vals && i < v->b.ncols; i++) orb_free(v->vals[i]), orb_free(v->nulls[i]);
  orb_free(v->vals);
  orb_free(v->nulls);
  orb_free(v->b.cols);
  orb_free(v->all_null);
  orb_free(v->sel);
  memset(v, 0, sizeof *v);
}

void orb_vbuf_values(orb_vbuf *v, int i, int n) {
  orb_vec *c = &v->b.cols[i];
  bool any = false;
  for (int r = 0; r < n; r++) any |= v->nulls[i][r] = v->vals[i][r].isnull;
  c->kind = ORB_VEC_VALUES, c->data = v->vals[i], c->nulls = any ? v->nulls[i] : NULL;
}

void orb_vbuf_all_null(orb_vbuf *v, int i) {
  orb_vec *c = &v->b.cols[i];
  c->kind = ORB_VEC_VALUES, c->data = v->vals[i], c->nulls = v->all_null;
}
