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
  orb_schema_init(s);
}

void orb_schema_add_check(orb_schema *s, const char *name, const char *sql) {
  s->checks = orb_realloc(s->checks, sizeof *s->checks * (size_t)(s->nchecks + 1));
  s->checks[s->nchecks].name = orb_strdup(name);
  s->checks[s->nchecks++].sql = orb_strdup(sql);
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
  return true;
}
