/* formats/parquet/pq_stream.c — a flat column chunk decoded page by page
** as its consumer asks for rows (see parquet.h, pq_column_stream).
**
** The window is a pq_column whose values[] and nulls[] are heap arrays of
** the stream (grown, never shrunk) rather than arena memory, so that rows
** can be dropped from its front (a memmove of the few rows the consumer
** has not reached yet) and pages appended at its end.  What a page's
** values point at (the bytes of strings) goes to an arena of that page's
** own, released when the window has gone past the page's last row; the
** dictionary, which every page uses, stays in the column's arena for the
** whole chunk. */
#include "formats/parquet/pq_int.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

/* A page's arena and the chunk row its page ends before. */
typedef struct page_mem {
  orb_arena a;
  int64_t end;
} page_mem;

struct pq_stream_state {
  const char *name;
  int rg, colno;
  size_t limit;
  bool whole;                    /* the chunk is read whole into `all` */
  pq_column all;                 /* whole: the chunk (pq_read_leaf_column_into keeps its memory) */
  bool started;                  /* stream: the chunk's bytes are read */
  pq_column win;                 /* stream: the window */
  pq_leaf_reader r;
  pq_read_bufs bufs;
  const pq_chunk *chunk;
  const uint8_t *buf;            /* the chunk's bytes */
  size_t n, pos;                 /* their count, the next page's offset in them */
  int64_t start;                 /* their file offset */
  int64_t values;                /* values of the data pages decoded so far */
  /* page arenas, a ring: live ones from head, in page order */
  page_mem *pages;
  int npages, head, live;
  pq_source src;
  const pq_file_meta *meta;
};

static pq_stream_state *state(pq_column_stream *s) {
  if (!s->st) s->st = orb_calloc(1, sizeof *s->st);
  return s->st;
}

/* Release the arenas of the pages whose rows all lie before row `first`. */
static void release_pages(pq_stream_state *t, int64_t first) {
  while (t->live > 0 && t->pages[t->head].end <= first) {
    orb_arena_recycle(&t->pages[t->head].a);
    t->head = (t->head + 1) % t->npages;
    t->live--;
  }
}

/* An arena for the next page (recycled memory when there is some). */
static page_mem *next_page_mem(pq_stream_state *t) {
  if (t->live == t->npages) {   /* full: a ring twice as large, live ones first */
    int n = t->npages ? 2 * t->npages : 8;
    page_mem *p = orb_calloc((size_t)n, sizeof *p);
    for (int i = 0; i < t->npages; i++) p[i] = t->pages[(t->head + i) % t->npages];
    orb_free(t->pages);
    t->pages = p;
    t->head = 0;
    t->npages = n;
  }
  page_mem *m = &t->pages[(t->head + t->live) % t->npages];
  if (!m->a.block_size) orb_arena_init(&m->a, 65536);
  else orb_arena_recycle(&m->a);
  t->live++;
  return m;
}

void pq_stream_close(pq_column_stream *s) {
  pq_stream_state *t = s->st;
  s->col = NULL;
  s->first = s->total = 0;
  if (!t) return;
  release_pages(t, INT64_MAX);
  t->started = false;
  t->chunk = NULL;
  t->buf = NULL;
}

void pq_stream_free(pq_column_stream *s) {
  pq_stream_state *t = s->st;
  if (t) {
    pq_column_free(&t->all);
    orb_free(t->win.values);
    orb_free(t->win.nulls);
    orb_arena_free(&t->win.arena);
    pq_read_bufs_free(&t->bufs);
    for (int i = 0; i < t->npages; i++) orb_arena_free(&t->pages[i].a);
    orb_free(t->pages);
    orb_free(t);
  }
  memset(s, 0, sizeof *s);
}

orb_status pq_stream_open(pq_column_stream *s, const pq_source *src, const pq_file_meta *m, int rg, int col, size_t limit,
                          orb_err *e) {
  pq_stream_close(s);
  pq_stream_state *t = state(s);
  if (limit == 0) limit = PQ_DEFAULT_META_LIMIT;
  t->name = src->name;
  t->src = *src;
  t->meta = m;
  t->rg = rg;
  t->colno = col;
  t->limit = limit;
  if (rg < 0 || rg >= m->nrow_groups || col < 0 || col >= m->row_groups[rg].ncolumns)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: \"%s\": no column chunk %d of row group %d", src->name, col, rg);
  int elem, max_def, max_rep;
  orb_status st = pq_leaf_levels(m, src->name, col, &elem, &max_def, &max_rep, e);
  if (st != ORB_OK) return st;
  const pq_schema_elem *el = &m->schema[elem];
  t->whole = max_rep > 0 || max_def > 1;
  if (t->whole) {   /* levels of nested leaves: read whole, as before */
    st = src->image ? pq_read_leaf_column_image_into(src->image, src->len, src->name, m, rg, col, limit, &t->all, e)
                    : pq_read_leaf_column_into(src->name, m, rg, col, limit, &t->all, e);
    if (st != ORB_OK) return st;
    s->col = &t->all;
    s->total = t->all.n;
    return ORB_OK;
  }
  if (el->type < 0 || el->type > PQ_FIXED_LEN_BYTE_ARRAY || (el->type == PQ_FIXED_LEN_BYTE_ARRAY && el->type_length <= 0))
    return orb_err_setx(e, ORB_ERR_CORRUPT, "XX001", 0, "parquet: \"%s\": column %d has no valid physical type", src->name,
                        col);
  const pq_chunk *ch = &m->row_groups[rg].columns[col];
  if (ch->num_values < 0) return pq_corrupt(e, src->name, "column chunk with a negative number of values");
  pq_column *w = &t->win;
  if (!w->arena.block_size) orb_arena_init(&w->arena, 65536);
  else orb_arena_recycle(&w->arena);   /* the last chunk's dictionary */
  w->type = el->type;
  w->type_length = el->type_length;
  w->max_def = max_def;
  w->max_rep = 0;
  w->n = 0;
  w->nnull = 0;
  w->def = w->rep = NULL;
  w->bufs = NULL;
  memset(&t->r, 0, sizeof t->r);
  t->r.name = src->name;
  t->r.col = w;
  t->r.max_def = max_def;
  t->r.b = &t->bufs;
  t->r.grow = true;
  t->r.limit = limit;
  t->values = 0;
  t->pos = 0;
  s->col = w;
  s->first = 0;
  s->total = ch->num_values;
  return ORB_OK;
}

/* Drop the window's first k rows. */
static void drop_rows(pq_column_stream *s, int64_t k) {
  pq_column *w = &s->st->win;
  size_t sz = pq_value_size(w->type);
  int64_t keep = w->n - k;
  if (keep > 0) {
    memmove(w->values, (uint8_t *)w->values + (size_t)k * sz, (size_t)keep * sz);
    memmove(w->nulls, w->nulls + k, (size_t)keep);
  }
  w->n = keep;
  s->first += k;
  int64_t nnull = 0;
  for (int64_t i = 0; w->nnull && i < keep; i++) nnull += w->nulls[i];
  w->nnull = nnull;
  release_pages(s->st, s->first);
}

orb_status pq_stream_need(pq_column_stream *s, int64_t from, int64_t n, orb_err *e) {
  pq_stream_state *t = s->st;
  if (!t || !s->col || from < s->first || n < 0 || from + n > s->total)
    return orb_err_set(e, ORB_ERR_MISUSE, "parquet: rows %lld..%lld asked of a column stream at row %lld of %lld",
                       (long long)from, (long long)(from + n), (long long)s->first, (long long)s->total);
  pq_column *w = &t->win;
  if (t->whole || n == 0 || from + n <= s->first + w->n) return ORB_OK;
  orb_status st = ORB_OK;
  if (!t->started) {
    st = pq_chunk_bytes(&t->src, t->meta, t->rg, t->colno, t->limit, &t->bufs, &t->chunk, &t->buf, &t->n, &t->start, e);
    if (st != ORB_OK) return st;
    t->started = true;
  }
  char what[240];
  for (;;) {
    int64_t drop = from - s->first;
    if (drop > w->n) drop = w->n;
    if (drop > 0) drop_rows(s, drop);
    if (from + n <= s->first + w->n) return ORB_OK;
    if (t->pos >= t->n || t->values >= t->chunk->num_values) {
      snprintf(what, sizeof what,
               "column chunk %d of row group %d holds %lld values in its pages, its metadata says %lld", t->colno, t->rg,
               (long long)t->values, (long long)t->chunk->num_values);
      return pq_corrupt(e, t->name, what);
    }
    page_mem *pm = next_page_mem(t);
    t->r.page_arena = &pm->a;
    pq_page_header h;
    st = pq_chunk_page(t->name, t->chunk->codec, t->buf, t->n, &t->pos, t->start, t->limit, &t->bufs, &h,
                       pq_leaf_on_page, &t->r, e);
    t->r.page_arena = NULL;
    pm->end = s->first + w->n;
    if (st != ORB_OK) return st;
    if (h.type == 0 || h.type == 3) t->values += h.num_values;
    if (t->values > t->chunk->num_values) return pq_corrupt(e, t->name, "data pages hold more values than the column chunk");
  }
}
