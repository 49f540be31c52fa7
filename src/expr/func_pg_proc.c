/* expr/func_pg_proc.c — pg_proc's rows, made from the function registry
** (func_registry.c), so that psql's \df lists the functions Orbit really
** has with the types they really take.
**
** A function's signature is not written down anywhere but in its resolver,
** which accepts argument types and names the result.  So each function is
** asked, for every argument count it takes, about a fixed set of argument
** type vectors (every candidate type in all positions, and every candidate
** in the first position with untyped literals after it); the resolver
** rewrites untyped arguments to the types it wants, and each distinct
** (arguments, result) it accepts is one pg_proc row, as PostgreSQL lists one
** row per overload.  A function that accepts more than a handful of
** distinct signatures is polymorphic in PostgreSQL's sense and gets one row
** taking "any"; a variadic one's last argument is VARIADIC "any".
** Volatility: ORB_FN_VOLATILE functions are volatile, the others stable
** (the registry does not say which are immutable).  The rows are built once
** and never change. */
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include "base/mem.h"
#include "expr/func.h"
#include "expr/pg_catalog.h"

#define PG_ANY 2276
#define PG_ANYELEMENT 2283
#define FIRST_PROC_OID 8000   /* below 16384, PostgreSQL's first user object id */
#define MAX_OVERLOADS 4       /* beyond this a function is listed once, taking "any" */

static orb_pg_proc *procs;
static int nprocs, capprocs;

static const orb_type *candidates(int *n) {
  static orb_type c[19];
  static const orb_type_id ids[] = {ORB_T_TEXT, ORB_T_INT64, ORB_T_INT32, ORB_T_INT16, ORB_T_FLOAT64,
                                    ORB_T_FLOAT32, ORB_T_DECIMAL, ORB_T_BOOL, ORB_T_BYTEA, ORB_T_DATE,
                                    ORB_T_TIME, ORB_T_TIMESTAMP, ORB_T_TIMESTAMPTZ, ORB_T_INTERVAL, ORB_T_UUID,
                                    ORB_T_JSON, ORB_T_JSONB};
  int k = 0;
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) c[k++] = ids[i] == ORB_T_DECIMAL ? orb_type_decimal(0, 0)
                                                                                          : orb_type_make(ids[i]);
  c[k++] = orb_type_array(ORB_T_INT64);
  c[k++] = orb_type_array(ORB_T_TEXT);
  *n = k;
  return c;
}

static orb_pg_proc *add(void) {
  if (nprocs == capprocs) {
    capprocs = capprocs ? capprocs * 2 : 256;
    procs = orb_realloc(procs, sizeof *procs * (size_t)capprocs);
  }
  orb_pg_proc *p = &procs[nprocs++];
  memset(p, 0, sizeof *p);
  return p;
}

static bool same_sig(const orb_pg_proc *p, const int64_t *args, int64_t ret) {
  if (p->rettype != ret) return false;
  for (int i = 0; i < p->nargs; i++)
    if (p->argtypes[i] != args[i]) return false;
  return true;
}

/* The rows of f taking n arguments (the last VARIADIC when variadic). */
static void signatures(const orb_func *f, int n, bool variadic) {
  int first = nprocs, nc;
  const orb_type *cand = candidates(&nc);
  for (int shape = 0; shape < 2; shape++) {
    for (int c = 0; c < nc; c++) {
      orb_type t[ORB_PG_PROC_MAXARGS];
      for (int i = 0; i < n; i++) t[i] = shape == 0 || i == 0 ? cand[c] : orb_type_make(ORB_T_TEXT);
      orb_type rt;
      orb_err e;
      orb_err_clear(&e);
      if (f->resolve(f, n, t, &rt, &e) != ORB_OK) continue;
      int64_t args[ORB_PG_PROC_MAXARGS];
      for (int i = 0; i < n; i++) args[i] = variadic && i == n - 1 ? PG_ANY : orb_pg_type_oid(t[i]);
      int64_t ret = rt.id == ORB_T_NULL ? PG_ANYELEMENT : orb_pg_type_oid(rt);
      bool seen = false;
      for (int k = first; k < nprocs && !seen; k++) seen = same_sig(&procs[k], args, ret);
      if (seen) continue;
      orb_pg_proc *p = add();
      p->name = f->name;
      p->nargs = n;
      memcpy(p->argtypes, args, sizeof(int64_t) * (size_t)n);
      p->rettype = ret;
    }
  }
  if (nprocs - first > MAX_OVERLOADS || nprocs == first) {
    /* polymorphic (or no probe fitted): one row over "any", the result fixed only if it always was */
    int64_t ret = nprocs > first ? procs[first].rettype : PG_ANYELEMENT;
    for (int k = first; k < nprocs; k++)
      if (procs[k].rettype != ret) ret = PG_ANYELEMENT;
    nprocs = first;
    orb_pg_proc *p = add();
    p->name = f->name;
    p->nargs = n;
    for (int i = 0; i < n; i++) p->argtypes[i] = PG_ANY;
    p->rettype = ret;
  }
  for (int k = first; k < nprocs; k++) {
    procs[k].variadic = variadic;
    procs[k].strict = !(f->flags & ORB_FN_NULL_ARGS);
    procs[k].volatility = f->flags & ORB_FN_VOLATILE ? 'v' : 's';
  }
}

static void build(void) {
  int nf = orb_func_count();
  for (int i = 0; i < nf; i++) {
    const orb_func *f = orb_func_at(i);
    bool variadic = f->max_args < 0;
    int lo = variadic && f->min_args == 0 ? 1 : f->min_args;
    int hi = variadic ? lo : f->max_args;
    if (hi > ORB_PG_PROC_MAXARGS) hi = ORB_PG_PROC_MAXARGS;
    for (int n = lo; n <= hi; n++) signatures(f, n, variadic);
  }
  for (int k = 0; k < nprocs; k++) procs[k].oid = FIRST_PROC_OID + k;
}

const orb_pg_proc *orb_pg_procs(int *n) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, build);
  *n = nprocs;
  return procs;
}

const orb_pg_proc *orb_pg_proc_by_oid(int64_t oid) {
  int n;
  const orb_pg_proc *p = orb_pg_procs(&n);
  return oid >= FIRST_PROC_OID && oid < FIRST_PROC_OID + n ? &p[oid - FIRST_PROC_OID] : NULL;
}
