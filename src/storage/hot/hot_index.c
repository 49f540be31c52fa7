/* storage/hot/hot_index.c — the primary-key hash index (see hot.h). */
#include "storage/hot/hot_int.h"
#include "types/value.h"

#include <stdint.h>

#define KEY_SEED 0x6f72626974706bULL   /* "orbitpk" */

static inline void *rid_val(uint64_t rowid) { return (void *)(uintptr_t)(rowid + 1); }
static inline uint64_t val_rid(void *v) { return (uint64_t)(uintptr_t)v - 1; }

bool hot_has_pk(const hot_tier *h) { return h->npk > 0; }

/* Hash of a key value as the column stores it: integer and float families
** are compared within the column's own type id. */
static uint64_t key_value_hash(const orb_value *v, uint8_t coltype) {
  orb_value c = *v;
  c.type = coltype;
  return orb_value_hash(&c);
}

uint64_t hot_key_hash_row(const hot_tier *h, const orb_value *row) {
  uint64_t x = KEY_SEED;
  for (int i = 0; i < h->npk; i++) x = orb_hash_mix(x, orb_value_hash(&row[h->pkcols[i]]));
  return x;
}

void hot_index_prefetch(const hot_tier *h, const orb_value *row) { orb_hmap_prefetch(&h->pk, hot_key_hash_row(h, row)); }

void hot_index_add(hot_tier *h, uint64_t rowid, const orb_value *row) {
  orb_hmap_put(&h->pk, hot_key_hash_row(h, row), rid_val(rowid));
}

void hot_index_remove(hot_tier *h, uint64_t rowid, const orb_value *row) {
  orb_hmap_remove(&h->pk, hot_key_hash_row(h, row), rid_val(rowid));
}

static bool family_ok(uint8_t vt, uint8_t ct) {
  if (vt == ct) return true;
  if (orb_type_is_integer((orb_type_id)vt) && orb_type_is_integer((orb_type_id)ct)) return true;
  if (orb_type_is_float((orb_type_id)vt) && orb_type_is_float((orb_type_id)ct)) return true;
  return false;
}

bool hot_pk_find(const hot_tier *h, const orb_value *key, uint64_t *rowid) {
  if (!h->npk) return false;
  uint64_t x = KEY_SEED;
  for (int i = 0; i < h->npk; i++) {
    uint8_t ct = h->schema.cols[h->pkcols[i]].type.id;
    if (key[i].isnull || !family_ok(key[i].type, ct)) return false;
    x = orb_hash_mix(x, key_value_hash(&key[i], ct));
  }
  orb_hmap_iter it;
  for (void *v = orb_hmap_find(&h->pk, x, &it); v; v = orb_hmap_next(&it)) {
    uint64_t r = val_rid(v);
    const orb_value *row = h->rows[r];
    bool eq = true;
    for (int i = 0; i < h->npk && eq; i++) {
      orb_value k = key[i];
      k.type = row[h->pkcols[i]].type;
      eq = orb_value_cmp(&row[h->pkcols[i]], &k) == 0;
    }
    if (eq) {
      *rowid = r;
      return true;
    }
  }
  return false;
}

bool hot_pk_find_row(const hot_tier *h, const orb_value *row, uint64_t self, uint64_t *rowid) {
  if (!h->npk) return false;
  uint64_t x = KEY_SEED;
  for (int i = 0; i < h->npk; i++) {
    const orb_value *v = &row[h->pkcols[i]];
    if (v->isnull) return false;
    x = orb_hash_mix(x, key_value_hash(v, h->schema.cols[h->pkcols[i]].type.id));
  }
  orb_hmap_iter it;
  for (void *v = orb_hmap_find(&h->pk, x, &it); v; v = orb_hmap_next(&it)) {
    uint64_t r = val_rid(v);
    if (r == self) continue;
    const orb_value *cand = h->rows[r];
    bool eq = true;
    for (int i = 0; i < h->npk && eq; i++) {
      orb_value k = row[h->pkcols[i]];
      k.type = cand[h->pkcols[i]].type;
      eq = orb_value_cmp(&cand[h->pkcols[i]], &k) == 0;
    }
    if (eq) {
      *rowid = r;
      return true;
    }
  }
  return false;
}
