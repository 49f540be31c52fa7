/* query/exec_project_set.c — set-returning functions in a select list
** (PostgreSQL's ProjectSet): each input row is handed out once per row the
** functions return, with one more column per function.  Several functions
** run in lockstep, as PostgreSQL 10 and later run them: the input row
** yields as many rows as the longest of them, the shorter ones giving NULL
** once they are done; a row whose functions all return nothing yields none. */
#include "query/exec.h"
#include "types/array.h"

typedef struct project_set_op {
  oql_op op;
  const oql_srf_spec *srfs;
  int nsrfs, nin;
  orb_value *arrays;        /* per function: the array argument of the current input row */
  uint32_t next, len;       /* the row of the functions to hand out next, and how many there are */
  orb_value *out;           /* input row ++ one value per function */
  orb_arena arena;          /* the current input row and its arrays, kept across the consumer's resets of rt->tmp */
} project_set_op;

static orb_status project_set_open(oql_op *op, oql_rt *rt, orb_err *e) {
  project_set_op *p = (project_set_op *)op;
  p->next = p->len = 0;
  return oql_op_open(op->left, rt, e);
}

/* Read input rows until one whose functions return rows. */
static orb_status next_input(project_set_op *p, oql_rt *rt, bool *done, orb_err *e) {
  for (;;) {
    const orb_value *in;
    orb_status st = oql_op_next(p->op.left, rt, &in, e);
    if (st != ORB_OK) return st;
    if (!in) {
      *done = true;
      return ORB_OK;
    }
    orb_arena_reset(&p->arena);
    for (int i = 0; i < p->nin; i++) p->out[i] = orb_value_copy(&in[i], &p->arena);
    p->len = 0;
    for (int k = 0; k < p->nsrfs; k++) {
      orb_value v;
      if ((st = orb_expr_eval(p->srfs[k].arg, &rt->ctx, p->out, &v, e)) != ORB_OK) return st;
      p->arrays[k] = orb_value_copy(&v, &p->arena);
      if (!v.isnull && v.u.arr->n > p->len) p->len = v.u.arr->n;
    }
    p->next = 0;
    if (p->len > 0) {
      *done = false;
      return ORB_OK;
    }
  }
}

/* Row k of function f of the current input row. */
static orb_value srf_value(project_set_op *p, int f, uint32_t k) {
  const oql_srf_spec *s = &p->srfs[f];
  const orb_value *arr = &p->arrays[f];
  if (arr->isnull || k >= arr->u.arr->n) return orb_null((orb_type_id)s->type.id);
  const orb_value *item = &arr->u.arr->items[k];
  if (s->kind == OQL_SRF_UNNEST) return *item;
  /* _pg_expandarray: the record (x, n), n counting from 1 */
  orb_value *fields = orb_arena_alloc(&p->arena, sizeof(orb_value) * 2);
  fields[0] = *item;
  fields[1] = orb_int(ORB_T_INT32, (int64_t)k + 1);
  return orb_record_make(&p->arena, fields, 2);
}

static orb_status project_set_next(oql_op *op, oql_rt *rt, const orb_value **row, orb_err *e) {
  project_set_op *p = (project_set_op *)op;
  if (p->next >= p->len) {
    bool done;
    orb_status st = next_input(p, rt, &done, e);
    if (st != ORB_OK) return st;
    if (done) {
      *row = NULL;
      return ORB_OK;
    }
  }
  for (int f = 0; f < p->nsrfs; f++) p->out[p->nin + f] = srf_value(p, f, p->next);
  p->next++;
  *row = p->out;
  return ORB_OK;
}

static void project_set_close(oql_op *op, oql_rt *rt) { oql_op_close(op->left, rt); }

static void project_set_destroy(oql_op *op) { orb_arena_free(&((project_set_op *)op)->arena); }

static void project_set_explain(const oql_op *op, orb_buf *head, orb_buf *lines) {
  (void)head;
  const project_set_op *p = (const project_set_op *)op;
  orb_buf_puts(lines, "Functions: ");
  for (int f = 0; f < p->nsrfs; f++) {
    if (f) orb_buf_puts(lines, ", ");
    orb_buf_puts(lines, p->srfs[f].kind == OQL_SRF_UNNEST ? "unnest(" : "_pg_expandarray(");
    oql_explain_expr(p->srfs[f].arg, op->left->names, lines);
    orb_buf_putc(lines, ')');
  }
  orb_buf_putc(lines, '\n');
}

static const oql_op_vt project_set_vt = {"ProjectSet", project_set_open, project_set_next, project_set_close,
                                         project_set_destroy, project_set_explain, NULL};

oql_op *oql_project_set_new(orb_arena *a, oql_op *child, const oql_srf_spec *srfs, int nsrfs) {
  project_set_op *p = orb_arena_zalloc(a, sizeof *p);
  p->op.vt = &project_set_vt;
  p->nin = child->ncols;
  oql_op_extend_columns(a, &p->op, child, nsrfs);
  for (int f = 0; f < nsrfs; f++) {
    p->op.types[child->ncols + f] = srfs[f].type;
    p->op.names[child->ncols + f] = srfs[f].kind == OQL_SRF_UNNEST ? "unnest" : "_pg_expandarray";
  }
  p->srfs = srfs;
  p->nsrfs = nsrfs;
  p->arrays = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(nsrfs + 1));
  p->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(p->op.ncols + 1));
  orb_arena_init(&p->arena, 4096);
  return &p->op;
}
