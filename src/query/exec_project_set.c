/* query/exec_project_set.c — set-returning functions in a select list
** (PostgreSQL's ProjectSet): each input row is handed out once per row the
** functions return, with one more column per function.  Several functions
** run in lockstep, as PostgreSQL 10 and later run them: the input row
** yields as many rows as the longest of them, the shorter ones giving NULL
** once they are done; a row whose functions all return nothing yields none.
** unnest and _pg_expandarray hand out an array's elements; generate_series
** is counted first and its values made one by one, never kept. */
#include "query/exec.h"
#include "types/array.h"
#include "types/value.h"

typedef struct project_set_op {
  oql_op op;
  const oql_srf_spec *srfs;
  int nsrfs, nin;
  orb_value *arrays;        /* per function: the array argument of the current input row */
  uint64_t *counts;         /* per function: its number of rows for the current input row */
  orb_value *cursor;        /* per generate_series: the value it hands out next */
  uint64_t next, len;       /* the row of the functions to hand out next, and how many there are */
  orb_value *out;           /* input row ++ one value per function */
  orb_arena arena;          /* the current input row and its arrays, kept across the consumer's resets of rt->tmp */
} project_set_op;

static const char *srf_name(oql_srf_kind k) {
  return k == OQL_SRF_UNNEST ? "unnest" : k == OQL_SRF_SERIES ? "generate_series" : "_pg_expandarray";
}

static orb_status project_set_open(oql_op *op, oql_rt *rt, orb_err *e) {
  project_set_op *p = (project_set_op *)op;
  p->next = p->len = 0;
  return oql_op_open(op->left, rt, e);
}

/* Whether generate_series has gone past its end: beyond stop in the step's direction. */
static bool series_past(const orb_value *cur, const orb_value *stop, bool ascending) {
  int c = orb_value_cmp(cur, stop);
  return ascending ? c > 0 : c < 0;
}

/* cur + step, false when it would overflow (the series ends there, as PostgreSQL's does). */
static bool series_advance(orb_value *cur, const orb_value *step, orb_type t) {
  if (step->type == ORB_T_INTERVAL) {
    orb_value nx;
    orb_err tmp;
    if (orb_arith(ORB_ARITH_ADD, cur, step, t, &nx, &tmp) != ORB_OK) return false;
    *cur = nx;
    return true;
  }
  int64_t nx;
  if (__builtin_add_overflow(cur->u.i, step->u.i, &nx)) return false;
  cur->u.i = nx;
  return true;
}

/* generate_series k of the current input row: its number of rows (0 when
** an argument is NULL), and its first value in cursor[k]. */
static orb_status series_count(project_set_op *p, int k, orb_err *e) {
  const orb_value *r = &p->arrays[k];
  p->counts[k] = 0;
  const orb_value *start = &r->u.arr->items[0], *stop = &r->u.arr->items[1], *step = &r->u.arr->items[2];
  if (start->isnull || stop->isnull || step->isnull) return ORB_OK;
  bool ascending;
  if (step->type == ORB_T_INTERVAL) {
    const orb_interval *iv = &step->u.iv;
    /* PostgreSQL compares the interval with zero as a whole (30-day months) */
    double total = iv->months * 30.0 * 86400e6 + iv->days * 86400e6 + (double)iv->micros;
    if (total == 0) return orb_err_setx(e, ORB_ERR_RANGE, "22023", p->srfs[k].arg->pos, "step size cannot equal zero");
    ascending = total > 0;
  } else {
    if (step->u.i == 0) return orb_err_setx(e, ORB_ERR_RANGE, "22023", p->srfs[k].arg->pos, "step size cannot equal zero");
    ascending = step->u.i > 0;
  }
  p->cursor[k] = *start;
  if (series_past(start, stop, ascending)) return ORB_OK;
  if (step->type != ORB_T_INTERVAL) {   /* integers: counted, and the last value never overflows */
    __int128 rows = ((__int128)stop->u.i - start->u.i) / step->u.i + 1;   /* up to 2^64: held at UINT64_MAX */
    p->counts[k] = rows > (__int128)UINT64_MAX ? UINT64_MAX : (uint64_t)rows;
    return ORB_OK;
  }
  /* timestamps: months have no fixed length, so step through them (nothing is kept) */
  orb_value cur = *start;
  uint64_t n = 0;
  do n++;
  while (series_advance(&cur, step, p->srfs[k].type) && !series_past(&cur, stop, ascending));
  p->counts[k] = n;
  return ORB_OK;
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
      if (p->srfs[k].kind == OQL_SRF_SERIES) {
        if ((st = series_count(p, k, e)) != ORB_OK) return st;
      } else {
        p->counts[k] = v.isnull ? 0 : v.u.arr->n;
      }
      if (p->counts[k] > p->len) p->len = p->counts[k];
    }
    p->next = 0;
    if (p->len > 0) {
      *done = false;
      return ORB_OK;
    }
  }
}

/* Row k of function f of the current input row. */
static orb_value srf_value(project_set_op *p, int f, uint64_t k) {
  const oql_srf_spec *s = &p->srfs[f];
  const orb_value *arr = &p->arrays[f];
  if (k >= p->counts[f]) return orb_null((orb_type_id)s->type.id);
  if (s->kind == OQL_SRF_SERIES) {   /* rows are asked for in order: hand out the cursor, then step it */
    orb_value v = p->cursor[f];
    series_advance(&p->cursor[f], &arr->u.arr->items[2], s->type);
    return v;
  }
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
    orb_buf_puts(lines, srf_name(p->srfs[f].kind));
    orb_buf_putc(lines, '(');
    if (p->srfs[f].kind == OQL_SRF_SERIES) {   /* its record's fields: start, stop, step */
      for (int i = 0; i < 3; i++) {
        if (i) orb_buf_puts(lines, ", ");
        oql_explain_expr(p->srfs[f].arg->args[i], op->left->names, lines);
      }
    } else {
      oql_explain_expr(p->srfs[f].arg, op->left->names, lines);
    }
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
    p->op.names[child->ncols + f] = srf_name(srfs[f].kind);
  }
  p->srfs = srfs;
  p->nsrfs = nsrfs;
  p->arrays = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(nsrfs + 1));
  p->counts = orb_arena_zalloc(a, sizeof(uint64_t) * (size_t)(nsrfs + 1));
  p->cursor = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(nsrfs + 1));
  p->out = orb_arena_zalloc(a, sizeof(orb_value) * (size_t)(p->op.ncols + 1));
  orb_arena_init(&p->arena, 4096);
  return &p->op;
}
