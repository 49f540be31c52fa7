/* query/exec_vec.c — column batches: the values of a batch as orb_values
** for the row evaluator (see exec_vec.h; oql_op_next_vec is in exec_core.c
** beside the other drivers). */
#include "query/exec_vec.h"

bool oql_op_has_vec(const oql_op *op) { return op && op->vec && op->vt->next_vec; }

void oql_vec_value(const oql_vec *v, int r, orb_value *out) {
  orb_type_id id = (orb_type_id)v->type.id;
  if (v->nulls && v->nulls[r]) {
    *out = orb_null(id);
    return;
  }
  switch (v->kind) {
  case OQL_VEC_I32:
  case OQL_VEC_I64:
    /* integers, dates, times and timestamps all keep their value in u.i */
    *out = orb_int(id, v->kind == OQL_VEC_I32 ? ((const int32_t *)v->data)[r] : ((const int64_t *)v->data)[r]);
    return;
  case OQL_VEC_F32: *out = orb_float(id, ((const float *)v->data)[r]); return;
  case OQL_VEC_F64: *out = orb_float(id, ((const double *)v->data)[r]); return;
  case OQL_VEC_BOOL: *out = orb_bool(((const uint8_t *)v->data)[r] != 0); return;
  case OQL_VEC_BYTES: {
    const pq_bytes *s = (const pq_bytes *)v->data + r;
    *out = id == ORB_T_BYTEA ? orb_bytea(s->data, s->len) : orb_text((const char *)s->data, s->len);
    return;
  }
  case OQL_VEC_VALUES: *out = ((const orb_value *)v->data)[r]; return;
  }
}

void oql_vbatch_row(const oql_vbatch *b, int r, orb_value *row) {
  for (int i = 0; i < b->ncols; i++) oql_vec_value(&b->cols[i], r, &row[i]);
}

int oql_vbatch_narrow(const oql_vbatch *in, const oql_vec *v, uint16_t *sel, oql_vbatch *out) {
  int m = 0;
  for (int k = 0, cnt = oql_vbatch_count(in); k < cnt; k++) {
    int r = oql_vbatch_row_at(in, k);
    sel[m] = (uint16_t)r;
    m += oql_vec_true(v, r);
  }
  *out = *in;
  out->sel = sel;
  out->nsel = m;
  return m;
}
