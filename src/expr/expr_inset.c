/* expr/expr_inset.c — hash sets for long constant IN lists (see expr_int.h). */
#include <string.h>

#include "expr/expr_int.h"
#include "types/value.h"

/* Open addressing over the list's argument indexes (0 = empty slot);
** the values themselves stay in the CONST nodes. */
typedef struct in_set {
  uint32_t mask;        /* capacity - 1 */
  uint8_t type;         /* type id of every non-NULL item */
  bool has_null;        /* the list holds a NULL constant */
  int32_t *slots;       /* index into e->args, or 0 */
} in_set;

void orb_in_set_prepare(orb_arena *a, orb_expr *e) {
  if (e->kind != ORB_E_IN || e->cache || e->nargs - 1 < ORB_IN_SET_MIN) return;
  int type = -1;
  bool has_null = false;
  for (int i = 1; i < e->nargs; i++) {
    const orb_expr *k = e->args[i];
    if (k->kind != ORB_E_CONST) return;
    if (k->value.isnull) {
      has_null = true;
      continue;
    }
    if (type < 0) type = k->value.type;
    else if (type != k->value.type) return;   /* mixed types: compare one by one */
  }
  if (type < 0) return;                       /* all NULL: nothing to hash */
  uint32_t cap = 16;
  while (cap < (uint32_t)e->nargs * 2u) cap <<= 1;
  in_set *s = orb_arena_alloc(a, sizeof *s);
  s->mask = cap - 1;
  s->type = (uint8_t)type;
  s->has_null = has_null;
  s->slots = orb_arena_zalloc(a, sizeof(int32_t) * cap);
  for (int i = 1; i < e->nargs; i++) {
    const orb_value *v = &e->args[i]->value;
    if (v->isnull) continue;
    uint32_t p = (uint32_t)orb_value_hash(v) & s->mask;
    bool dup = false;
    while (s->slots[p] && !dup) {
      dup = orb_value_cmp(&e->args[s->slots[p]]->value, v) == 0;
      p = (p + 1) & s->mask;
    }
    if (!dup) s->slots[p] = i;
  }
  e->cache = s;
}

int orb_in_set_probe(const orb_expr *e, const orb_value *v, bool *list_has_null) {
  const in_set *s = e->cache;
  if (!s || v->type != s->type) return -1;
  *list_has_null = s->has_null;
  for (uint32_t p = (uint32_t)orb_value_hash(v) & s->mask; s->slots[p]; p = (p + 1) & s->mask)
    if (orb_value_cmp(&e->args[s->slots[p]]->value, v) == 0) return 1;
  return 0;
}
