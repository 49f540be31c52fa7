/* query/exec_core.c — operator driving, runtime context, row copies (see exec.h). */
#include "query/exec_vec.h"
#include "base/mem.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

orb_status oql_op_open(oql_op *op, oql_rt *rt, orb_err *e) {
  if (!rt->analyze) return op->vt->open(op, rt, e);
  int64_t t0 = now_ns();
  orb_status st = op->vt->open(op, rt, e);
  op->an_ns += now_ns() - t0;
  op->an_loops++;
  return st;
}

orb_status oql_rt_check(oql_rt *rt, orb_err *e) {
  if (rt->interrupt && atomic_load(rt->interrupt))
    return orb_err_setx(e, ORB_ERR_CONSTRAINT, "57014", 0, "canceling statement due to user request");
  if (rt->deadline_ns && now_ns() > rt->deadline_ns)
    return orb_err_setx(e, ORB_ERR_CONSTRAINT, "57014", 0, "canceling statement due to statement timeout");
  if (rt->mem_limit) {
    int64_t used = 0;
    for (int i = 0; i < rt->nmem; i++) used += (int64_t)rt->mem_arenas[i]->total;
    if (used > rt->mem_limit) {
      orb_err_setx(e, ORB_ERR_NOMEM, "53200", 0, "out of memory");
      orb_err_detail(e, "The statement needs more than statement_mem (%lld kB) to keep rows for sorting, grouping, "
                        "joining or later use; raise it with SET statement_mem.",
                     (long long)(rt->mem_limit >> 10));
      return ORB_ERR_NOMEM;
    }
  }
  return ORB_OK;
}

void oql_rt_track(oql_rt *rt, orb_arena *a) {
  for (int i = 0; i < rt->nmem; i++)
    if (rt->mem_arenas[i] == a) return;
  rt->mem_arenas = orb_grow(rt->mem_arenas, &rt->cap_mem, (size_t)rt->nmem + 1, sizeof *rt->mem_arenas);
  rt->mem_arenas[rt->nmem++] = a;
}

orb_status oql_op_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  if ((++rt->tick & 255) == 0 && (rt->interrupt || rt->deadline_ns || rt->mem_limit)) {
    orb_status st = oql_rt_check(rt, e);
    if (st != ORB_OK) return st;
  }
  if (!rt->analyze) return op->vt->next(op, rt, row, e);
  int64_t t0 = now_ns();
  orb_status st = op->vt->next(op, rt, row, e);
  op->an_ns += now_ns() - t0;
  if (st == ORB_OK && *row) op->an_rows++;
  return st;
}

bool oql_op_has_vec(const oql_op *op) { return op && op->vec && op->vt->next_vec; }

orb_status oql_op_next_vec(oql_op *op, oql_rt *rt, const orb_vbatch **b, orb_err *e) {
  *b = NULL;
  /* the cancel, deadline and memory checks once a batch */
  if (rt->interrupt || rt->deadline_ns || rt->mem_limit) {
    orb_status st = oql_rt_check(rt, e);
    if (st != ORB_OK) return st;
  }
  if (!rt->analyze) return op->vt->next_vec(op, rt, b, e);
  int64_t t0 = now_ns();
  orb_status st = op->vt->next_vec(op, rt, b, e);
  op->an_ns += now_ns() - t0;
  if (st == ORB_OK && *b) op->an_rows += orb_vbatch_count(*b);
  return st;
}

void oql_op_close(oql_op *op, oql_rt *rt) {
  if (op->vt->close) op->vt->close(op, rt);
}

void oql_op_destroy(oql_op *op) {
  if (!op) return;
  oql_op_destroy(op->left);
  oql_op_destroy(op->right);
  if (op->vt->destroy) op->vt->destroy(op);
}

static orb_status check_interrupt(void *env, orb_err *e) { return oql_rt_check(env, e); }

void oql_rt_init(oql_rt *rt, orb_db *db) {
  rt->db = db;
  rt->ws = NULL;
  rt->snap = NULL;
  orb_arena_init(&rt->tmp, 16384);
  rt->ctx.arena = &rt->tmp;
  rt->ctx.params = NULL;
  rt->ctx.nparams = 0;
  rt->ctx.stmt_time = 0;
  rt->ctx.check_interrupt = check_interrupt;
  rt->ctx.interrupt_env = rt;
  rt->analyze = false;
  rt->notices = (oql_reports){NULL, 0, 0};
  rt->interrupt = NULL;
  rt->deadline_ns = 0;
  rt->tick = 0;
  rt->mem_limit = 0;
  rt->mem_arenas = NULL;
  rt->nmem = 0;
  rt->cap_mem = 0;
}

void oql_reports_add(oql_reports *r, const char *code, bool warning, const char *msg) {
  if (r->n == r->cap) {
    int cap = r->cap ? r->cap * 2 : 4;
    r->v = orb_realloc(r->v, sizeof *r->v * (size_t)cap);
    r->cap = cap;
  }
  oql_report *p = &r->v[r->n++];
  snprintf(p->code, sizeof p->code, "%s", code);
  p->warning = warning;
  snprintf(p->msg, sizeof p->msg, "%s", msg);
}

void oql_reports_free(oql_reports *r) {
  orb_free(r->v);
  *r = (oql_reports){NULL, 0, 0};
}

void oql_rt_free(oql_rt *rt) {
  oql_reports_free(&rt->notices);
  orb_arena_free(&rt->tmp);
  orb_free(rt->mem_arenas);
  rt->mem_arenas = NULL;
  rt->nmem = 0;
}

void oql_row_copy(orb_value *dst, const orb_value *src, int n, orb_arena *a) {
  for (int i = 0; i < n; i++) {
    const orb_value *v = &src[i];
    /* an array's items live in whichever arena made them (a subquery's, a row's scratch): copy them too */
    if (!v->isnull && orb_type_is_by_ref((orb_type_id)v->type))
      dst[i] = orb_value_copy(v, a);
    else
      dst[i] = *v;
  }
}

void oql_explain_expr(const orb_expr *e, const char *const *names, orb_buf *out) {
  orb_expr_format(e, names, out);
}

void oql_op_extend_columns(orb_arena *a, oql_op *op, oql_op *child, int extra) {
  op->left = child;
  op->ncols = child->ncols + extra;
  op->types = orb_arena_alloc(a, sizeof(orb_type) * (size_t)(op->ncols + 1));
  op->names = orb_arena_zalloc(a, sizeof(char *) * (size_t)(op->ncols + 1));
  memcpy(op->types, child->types, sizeof(orb_type) * (size_t)child->ncols);
  if (child->names) memcpy(op->names, child->names, sizeof(char *) * (size_t)child->ncols);
}
