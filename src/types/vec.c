/* types/vec.c — column batches: a batch's values as orb_values (vec.h). */
#include "types/vec.h"

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
    return;
  }
  case ORB_VEC_VALUES: *out = ((const orb_value *)v->data)[r]; return;
  }
}

void orb_vbatch_row(const orb_vbatch *b, int r, orb_value *row) {
  for (int i = 0; i < b->ncols; i++) orb_vec_value(&b->cols[i], r, &row[i]);
}
