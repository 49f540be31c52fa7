/* expr/func_registry.c — looking builtin functions up by name, and the
** helpers resolvers share (func_int.h). */
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include "expr/func_int.h"

orb_status orb_fn_no_match(orb_err *e) { return orb_err_set(e, ORB_ERR_UNDEFINED, "no matching function"); }

bool orb_fn_is_text(orb_type t) { return t.id == ORB_T_TEXT || t.id == ORB_T_NULL; }

bool orb_fn_want(orb_type *arg_types, int i, orb_type_id t) {
  orb_type_id have = (orb_type_id)arg_types[i].id;
  bool ok = have == t || have == ORB_T_NULL || have == ORB_T_TEXT ||
            (orb_type_is_numeric(have) && orb_type_is_numeric(t)) ||
            ((have == ORB_T_DATE || have == ORB_T_TIMESTAMP || have == ORB_T_TIMESTAMPTZ) &&
             (t == ORB_T_TIMESTAMP || t == ORB_T_TIMESTAMPTZ || t == ORB_T_DATE));
  if (!ok) return false;
  arg_types[i] = t == ORB_T_DECIMAL ? orb_type_decimal(0, 0) : orb_type_make(t);
  return true;
}

orb_value orb_fn_text(const orb_eval_ctx *ctx, const char *s, size_t n) {
  char *c = orb_arena_alloc(ctx->arena, n ? n : 1);
  if (n) memcpy(c, s, n);
  return orb_text(c, n);
}

static const orb_func **sorted;
static int nsorted;

static int by_name(const void *a, const void *b) {
  return strcmp((*(const orb_func *const *)a)->name, (*(const orb_func *const *)b)->name);
}

static void build(void) {
  /* each func_*.c file's table */
  static const struct { const orb_func *funcs; const int *n; } files[] = {
      {orb_funcs_string, &orb_nfuncs_string},     {orb_funcs_math, &orb_nfuncs_math},
      {orb_funcs_datetime, &orb_nfuncs_datetime}, {orb_funcs_array, &orb_nfuncs_array},
      {orb_funcs_catalog, &orb_nfuncs_catalog},   {orb_funcs_format, &orb_nfuncs_format},
      {orb_funcs_binary, &orb_nfuncs_binary},     {orb_funcs_settings, &orb_nfuncs_settings},
      {orb_funcs_tochar, &orb_nfuncs_tochar},     {orb_funcs_sequence, &orb_nfuncs_sequence},
      {orb_funcs_json_get, &orb_nfuncs_json_get}, {orb_funcs_json_edit, &orb_nfuncs_json_edit},
      {orb_funcs_json_build, &orb_nfuncs_json_build}, {orb_funcs_json_srf, &orb_nfuncs_json_srf},
      {orb_funcs_regex, &orb_nfuncs_regex},
  };
  int n = 0;
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) n += *files[f].n;
  const orb_func **v = malloc(sizeof(orb_func *) * (size_t)n);
  if (!v) return;
  int k = 0;
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
    for (int i = 0; i < *files[f].n; i++) v[k++] = &files[f].funcs[i];
  qsort(v, (size_t)n, sizeof *v, by_name);
  nsorted = n;
  sorted = v;
}

static void ensure_built(void) {
  /* built once; the table is immutable afterwards (first use happens while binding, under the catalog lock) */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, build);
}

int orb_func_count(void) {
  ensure_built();
  return nsorted;
}

const orb_func *orb_func_at(int i) {
  ensure_built();
  return i >= 0 && i < nsorted ? sorted[i] : NULL;
}

const orb_func *orb_func_lookup(const char *name) {
  ensure_built();
  int lo = 0, hi = nsorted - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int c = strcmp(name, sorted[mid]->name);
    if (c == 0) return sorted[mid];
    if (c < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return NULL;
}
