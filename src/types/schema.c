/* types/schema.c — table schemas with stable field ids (see schema.h). */
#include "types/schema.h"
#include "types/value.h"
#include "base/mem.h"

#include <string.h>

void orb_schema_init(orb_schema *s) {
  memset(s, 0, sizeof *s);
  s->next_field_id = 1;
}

void orb_schema_free(orb_schema *s) {
  for (int i = 0; i < s->ncols; i++) {
    orb_free(s->cols[i].name);
    orb_free(s->cols[i].default_sql);
  }
  orb_free(s->cols);
  orb_free(s->pk);
  for (int i = 0; i < s->nchecks; i++) {
    orb_free(s->checks[i].name);
    orb_free(s->checks[i].sql);
  }
  orb_free(s->checks);
  for (int i = 0; i < s->nindexes; i++) {
    orb_free(s->indexes[i].name);
    orb_free(s->indexes[i].cols);
    orb_free(s->indexes[i].opts);
  }
  orb_free(s->indexes);
  orb_schema_init(s);
}

void orb_schema_add_check(orb_schema *s, const char *name, const char *sql) {
  s->checks = orb_realloc(s->checks, sizeof *s->checks * (size_t)(s->nchecks + 1));
  s->checks[s->nchecks].name = orb_strdup(name);
  s->checks[s->nchecks++].sql = orb_strdup(sql);
}

void orb_schema_add_index(orb_schema *s, const orb_index *ix) {
  s->indexes = orb_realloc(s->indexes, sizeof *s->indexes * (size_t)(s->nindexes + 1));
  orb_index *d = &s->indexes[s->nindexes++];
  *d = *ix;
  d->name = orb_strdup(ix->name);
  d->cols = orb_memdup(ix->cols, sizeof(int32_t) * (size_t)(ix->ncols ? ix->ncols : 1));
  d->opts = ix->opts ? orb_memdup(ix->opts, (size_t)(ix->ncols ? ix->ncols : 1)) : orb_calloc((size_t)ix->ncols + 1, 1);
}

void orb_schema_drop_index(orb_schema *s, int k) {
  orb_free(s->indexes[k].name);
  orb_free(s->indexes[k].cols);
  orb_free(s->indexes[k].opts);
  memmove(&s->indexes[k], &s->indexes[k + 1], sizeof(orb_index) * (size_t)(s->nindexes - k - 1));
  s->nindexes--;
}

int orb_schema_find_index(const orb_schema *s, const char *name) {
  for (int i = 0; i < s->nindexes; i++)
    if (strcmp(s->indexes[i].name, name) == 0) return i;
  return -1;
}

void orb_schema_drop_dangling_indexes(orb_schema *s) {
  for (int k = s->nindexes - 1; k >= 0; k--)
    for (int i = 0; i < s->indexes[k].ncols; i++)
      if (orb_schema_find_id(s, s->indexes[k].cols[i]) < 0) {
        orb_schema_drop_index(s, k);
        break;
      }
}

void orb_schema_copy(orb_schema *dst, const orb_schema *src) {
  *dst = *src;
  dst->cols = orb_calloc((size_t)src->ncols, sizeof *dst->cols);
  for (int i = 0; i < src->ncols; i++) {
    dst->cols[i] = src->cols[i];
    dst->cols[i].name = orb_strdup(src->cols[i].name);
    dst->cols[i].default_sql = src->cols[i].default_sql ? orb_strdup(src->cols[i].default_sql) : NULL;
  }
  dst->pk = src->npk ? orb_memdup(src->pk, sizeof(int32_t) * (size_t)src->npk) : NULL;
  dst->checks = NULL;
  dst->nchecks = 0;
  for (int i = 0; i < src->nchecks; i++) orb_schema_add_check(dst, src->checks[i].name, src->checks[i].sql);
  dst->indexes = NULL;
  dst->nindexes = 0;
  for (int i = 0; i < src->nindexes; i++) orb_schema_add_index(dst, &src->indexes[i]);
}

int32_t orb_schema_add_column(orb_schema *s, const char *name, orb_type type, bool not_null,
                              const char *default_sql) {
  s->cols = orb_realloc(s->cols, sizeof *s->cols * (size_t)(s->ncols + 1));
  orb_column *c = &s->cols[s->ncols++];
  c->name = orb_strdup(name);
  c->identity = 0;
  c->field_id = s->next_field_id++;
  c->type = type;
  c->not_null = not_null;
  c->default_sql = default_sql ? orb_strdup(default_sql) : NULL;
  return c->field_id;
}

int orb_schema_find(const orb_schema *s, const char *name) {
  for (int i = 0; i < s->ncols; i++)
    if (strcmp(s->cols[i].name, name) == 0) return i;
  return -1;
}

int orb_schema_find_id(const orb_schema *s, int32_t field_id) {
  for (int i = 0; i < s->ncols; i++)
    if (s->cols[i].field_id == field_id) return i;
  return -1;
}

int orb_schema_pk_col(const orb_schema *s, int i) { return orb_schema_find_id(s, s->pk[i]); }

bool orb_schema_is_pk(const orb_schema *s, int col) {
  for (int i = 0; i < s->npk; i++)
    if (s->pk[i] == s->cols[col].field_id) return true;
  return false;
}

bool orb_schema_same(const orb_schema *x, const orb_schema *y) {
  if (x->ncols != y->ncols || x->npk != y->npk || x->next_field_id != y->next_field_id) return false;
  for (int i = 0; i < x->ncols; i++) {
    const orb_column *p = &x->cols[i], *q = &y->cols[i];
    if (p->field_id != q->field_id || strcmp(p->name, q->name) != 0 || !orb_type_equal(p->type, q->type) ||
        p->not_null != q->not_null)
      return false;
  }
  for (int i = 0; i < x->npk; i++)
    if (x->pk[i] != y->pk[i]) return false;
  if (x->nchecks != y->nchecks) return false;
  for (int i = 0; i < x->nchecks; i++)
    if (strcmp(x->checks[i].name, y->checks[i].name) != 0 || strcmp(x->checks[i].sql, y->checks[i].sql) != 0) return false;
  if (x->nindexes != y->nindexes) return false;
  for (int i = 0; i < x->nindexes; i++) {
    const orb_index *p = &x->indexes[i], *q = &y->indexes[i];
    if (strcmp(p->name, q->name) != 0 || p->ncols != q->ncols || p->unique != q->unique ||
        p->constraint != q->constraint || p->nulls_not_distinct != q->nulls_not_distinct || p->hash != q->hash ||
        memcmp(p->cols, q->cols, sizeof(int32_t) * (size_t)p->ncols) != 0 || memcmp(p->opts, q->opts, (size_t)p->ncols) != 0)
      return false;
  }
  return true;
}
