/* expr/expr_build.c — constructing, copying and re-slotting expression trees. */
#include "expr/expr_int.h"

#include <string.h>

#include "types/value.h"

orb_expr *orb_expr_new(orb_arena *a, orb_expr_kind kind, orb_type type, int nargs) {
  orb_expr *e = orb_arena_zalloc(a, sizeof *e);
  e->kind = (uint8_t)kind;
  e->type = type;
  e->nargs = nargs;
  e->args = nargs ? orb_arena_zalloc(a, sizeof(orb_expr *) * (size_t)nargs) : NULL;
  e->value = orb_null((orb_type_id)type.id);
  return e;
}

orb_expr *orb_expr_const(orb_arena *a, orb_value v, orb_type type) {
  orb_expr *e = orb_expr_new(a, ORB_E_CONST, type, 0);
  e->value = v;
  return e;
}

orb_expr *orb_expr_column(orb_arena *a, int slot, orb_type type) {
  orb_expr *e = orb_expr_new(a, ORB_E_COLUMN, type, 0);
  e->slot = slot;
  return e;
}

orb_expr *orb_expr_clone(orb_arena *a, const orb_expr *e) {
  if (!e) return NULL;
  orb_expr *c = orb_arena_alloc(a, sizeof *c);
  *c = *e;
  c->cache = NULL;
  if (e->kind == ORB_E_CONST && !e->value.isnull && orb_type_is_bytes((orb_type_id)e->value.type) && e->value.len) {
    char *s = orb_arena_alloc(a, e->value.len);
    memcpy(s, e->value.u.s, e->value.len);
    c->value.u.s = s;
  }
  if (e->kind == ORB_E_CONST && e->value.type == ORB_T_ARRAY) c->value = orb_value_copy(&e->value, a);
  if (e->nargs) {
    c->args = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)e->nargs);
    for (int i = 0; i < e->nargs; i++) c->args[i] = orb_expr_clone(a, e->args[i]);
  }
  /* an IN list's hash set points into the original: build the copy its own */
  if (e->cache && e->kind == ORB_E_IN) orb_in_set_prepare(a, c);
  if (e->cache && e->kind == ORB_E_FUNC) orb_regex_call_prepare(a, c);
  return c;
}

void orb_expr_remap(orb_expr *e, const int *map) {
  if (!e) return;
  if (e->kind == ORB_E_COLUMN && e->slot >= 0) e->slot = map[e->slot];
  for (int i = 0; i < e->nargs; i++) orb_expr_remap(e->args[i], map);
}

bool orb_expr_is_rowless(const orb_expr *e) {
  if (!e) return true;
  if (e->kind == ORB_E_COLUMN) return false;
  for (int i = 0; i < e->nargs; i++)
    if (!orb_expr_is_rowless(e->args[i])) return false;
  return true;
}

/* Append the conjuncts of x to *v (grown in the arena as needed). */
static void collect_conjuncts(orb_arena *a, orb_expr *x, orb_expr ***v, int *n, int *cap) {
  if (x->kind == ORB_E_AND) {
    for (int i = 0; i < x->nargs; i++) collect_conjuncts(a, x->args[i], v, n, cap);
    return;
  }
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 8;
    orb_expr **nv = orb_arena_alloc(a, sizeof(orb_expr *) * (size_t)nc);
    if (*n) memcpy(nv, *v, sizeof(orb_expr *) * (size_t)*n);
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = x;
}

int orb_expr_conjuncts(orb_arena *a, orb_expr *pred, orb_expr ***out) {
  *out = NULL;
  if (!pred) return 0;
  int n = 0, cap = 0;
  /* recursion depth is the nesting depth of ANDs, which the parser bounds */
  collect_conjuncts(a, pred, out, &n, &cap);
  return n;
}
