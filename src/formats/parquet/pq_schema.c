/* formats/parquet/pq_schema.c — the schema as a tree (see parquet.h): each
** leaf's maximum levels, and the shape of each top-level field (structs,
** lists, maps) that record assembly (pq_nested.c) follows.
**
** The footer stores the schema depth first, each group giving its number of
** children; the tree is rebuilt with an explicit stack, so a hostile footer
** cannot make us recurse, and nesting deeper than PQ_MAX_DEPTH is refused. */
#include "formats/parquet/pq_int.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

/* The schema as a tree: per element, where its subtree ends, its levels and
** its leaf column (-1 for groups). */
typedef struct tree {
  int n;
  int *end, *def, *rep, *leaf;
  int *leaf_elem;                /* the element of each leaf column */
  int nleaves;
} tree;

static void tree_free(tree *t) {
  orb_free(t->end);
  orb_free(t->def);
  orb_free(t->rep);
  orb_free(t->leaf);
  orb_free(t->leaf_elem);
  memset(t, 0, sizeof *t);
}

static bool is_group(const pq_schema_elem *s) { return s->num_children > 0 || (s->num_children == 0 && s->type < 0); }

static orb_status tree_build(const pq_file_meta *m, const char *name, tree *t, orb_err *e) {
  char what[200];
  memset(t, 0, sizeof *t);
  if (m->nschema < 1 || m->schema[0].num_children < 0) return pq_corrupt(e, name, "schema without a root group");
  size_t n = (size_t)m->nschema;
  t->n = m->nschema;
  t->end = orb_malloc(sizeof(int) * n);
  t->def = orb_malloc(sizeof(int) * n);
  t->rep = orb_malloc(sizeof(int) * n);
  t->leaf = orb_malloc(sizeof(int) * n);
  t->leaf_elem = orb_malloc(sizeof(int) * n);
  int stack[PQ_MAX_DEPTH + 1], left[PQ_MAX_DEPTH + 1], depth = 0;
  stack[0] = 0;
  left[0] = m->schema[0].num_children;
  t->def[0] = t->rep[0] = 0;
  t->leaf[0] = -1;
  for (int i = 1; i < m->nschema; i++) {
    while (depth >= 0 && left[depth] == 0) t->end[stack[depth--]] = i;
    if (depth < 0) {
      snprintf(what, sizeof what, "schema element %d lies outside the root's children", i);
      tree_free(t);
      return pq_corrupt(e, name, what);
    }
    left[depth]--;
    const pq_schema_elem *s = &m->schema[i];
    int parent = stack[depth];
    t->def[i] = t->def[parent] + (s->repetition == PQ_OPTIONAL || s->repetition == PQ_REPEATED);
    t->rep[i] = t->rep[parent] + (s->repetition == PQ_REPEATED);
    t->leaf[i] = -1;
    t->end[i] = i + 1;
    if (s->num_children > 0) {
      if (depth == PQ_MAX_DEPTH) {
        snprintf(what, sizeof what, "schema nested deeper than %d levels (at \"%s\")", PQ_MAX_DEPTH, s->name);
        tree_free(t);
        return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "parquet: \"%s\": %s", name, what);
      }
      stack[++depth] = i;
      left[depth] = s->num_children;
    } else if (!is_group(s)) {
      t->leaf_elem[t->nleaves] = i;
      t->leaf[i] = t->nleaves++;
    }
  }
  while (depth >= 0 && left[depth] == 0) t->end[stack[depth--]] = m->nschema;
  if (depth >= 0) {
    tree_free(t);
    return pq_corrupt(e, name, "schema ends before its groups' last children");
  }
  return ORB_OK;
}

orb_status pq_leaf_levels(const pq_file_meta *m, const char *name, int col, int *elem, int *max_def, int *max_rep,
                          orb_err *e) {
  tree t;
  orb_status st = tree_build(m, name, &t, e);
  if (st != ORB_OK) return st;
  if (col < 0 || col >= t.nleaves) {
    char what[160];
    snprintf(what, sizeof what, "column %d has no leaf in the schema (%d leaves)", col, t.nleaves);
    st = pq_corrupt(e, name, what);
  } else {
    *elem = t.leaf_elem[col];
    *max_def = t.def[*elem];
    *max_rep = t.rep[*elem];
  }
  tree_free(&t);
  return st;
}

/* --- shapes -------------------------------------------------------------------- */

typedef struct builder {
  const pq_file_meta *m;
  tree t;
  orb_arena *a;
  const char *err;               /* why the current field cannot be read (arena) */
} builder;

static bool is_list(const pq_schema_elem *s) { return s->converted_type == 3 || s->logical.kind == PQ_LT_LIST; }
static bool is_map(const pq_schema_elem *s) {
  return s->converted_type == 1 || s->converted_type == 2 || s->logical.kind == PQ_LT_MAP;
}

/* The children of group i: count, and the index of the k-th. */
static int nchildren(const builder *b, int i) {
  int n = 0;
  for (int c = i + 1; c < b->t.end[i]; c = b->t.end[c]) n++;
  return n;
}
static int child(const builder *b, int i, int k) {
  int c = i + 1;
  while (k-- > 0) c = b->t.end[c];
  return c;
}

/* Note why the field cannot be read: "<kind> \"<name>\" <problem>". */
static bool fail(builder *b, const char *kind, const char *name, const char *problem) {
  if (!b->err) b->err = orb_arena_sprintf(b->a, "%s \"%s\" %s", kind, name, problem);
  return false;
}

static bool shape_of(builder *b, int i, bool as_element, pq_shape *out);

/* The leaf columns below element i. */
static void leaves_of(const builder *b, int i, pq_shape *out) {
  out->first_leaf = -1;
  out->nleaves = 0;
  for (int k = i; k < b->t.end[i]; k++)
    if (b->t.leaf[k] >= 0) {
      if (out->first_leaf < 0) out->first_leaf = b->t.leaf[k];
      out->nleaves++;
    }
}

static pq_shape *shapes(builder *b, int n) { return orb_arena_zalloc(b->a, sizeof(pq_shape) * (size_t)(n ? n : 1)); }

/* A list whose repeated field is r: elements exist from r's definition level
** and repeat at its repetition level. */
static bool list_of(builder *b, int r, int element, bool element_as_element, pq_shape *out) {
  out->kind = PQ_SHAPE_LIST;
  out->elem_def = b->t.def[r];
  out->rep = b->t.rep[r];
  out->nchildren = 1;
  out->children = shapes(b, 1);
  return shape_of(b, element, element_as_element, &out->children[0]);
}

/* The shape of element i.  as_element: i is the repeated field of a list
** or an unannotated repeated field, and stands for one element (required). */
static bool shape_of(builder *b, int i, bool as_element, pq_shape *out) {
  const pq_schema_elem *s = &b->m->schema[i];
  memset(out, 0, sizeof *out);
  out->name = s->name;
  out->elem = s;
  out->def = b->t.def[i];
  out->leaf = b->t.leaf[i];
  leaves_of(b, i, out);
  if (out->nleaves == 0) return fail(b, "group", s->name, "has no columns");
  if (s->repetition == PQ_REPEATED && !as_element) {
    /* a repeated field that no LIST or MAP annotates: a required list of
    ** required elements of its type (LogicalTypes.md, Nested Types) */
    out->def = b->t.def[i] - 1;
    return list_of(b, i, i, true, out);
  }
  if (!is_group(s)) {
    out->kind = PQ_SHAPE_VALUE;
    return true;
  }
  int n = nchildren(b, i);
  if (is_list(s)) {
    int r = child(b, i, 0);
    if (n != 1 || b->m->schema[r].repetition != PQ_REPEATED)
      return fail(b, "LIST", s->name, "does not hold exactly one repeated field");
    const pq_schema_elem *rs = &b->m->schema[r];
    /* which node is the element: LogicalTypes.md's backward-compatibility rules */
    if (!is_group(rs)) return list_of(b, r, r, true, out);                 /* 1: a repeated primitive */
    int rn = nchildren(b, r);
    if (rn != 1) return list_of(b, r, r, true, out);                       /* 2: a group of several fields */
    int only = child(b, r, 0);
    if (b->m->schema[only].repetition == PQ_REPEATED) return list_of(b, r, r, true, out);   /* 3 */
    size_t sl = strlen(s->name), rl = strlen(rs->name);
    if (strcmp(rs->name, "array") == 0 ||
        (rl == sl + 6 && strncmp(rs->name, s->name, sl) == 0 && strcmp(rs->name + sl, "_tuple") == 0))
      return list_of(b, r, r, true, out);                                  /* 4: a one-field tuple */
    return list_of(b, r, only, false, out);                                /* 5: the 3-level list */
  }
  if (is_map(s)) {
    int r = child(b, i, 0);
    if (n != 1 || b->m->schema[r].repetition != PQ_REPEATED || !is_group(&b->m->schema[r]))
      return fail(b, "MAP", s->name, "does not hold exactly one repeated group");
    int rn = nchildren(b, r);
    if (rn == 1)   /* no values: the keys, as a list (a set of keys, as LogicalTypes.md allows) */
      return list_of(b, r, child(b, r, 0), false, out);
    if (rn != 2) return fail(b, "MAP", s->name, "has a key-value group of other than two fields");
    out->kind = PQ_SHAPE_MAP;
    out->elem_def = b->t.def[r];
    out->rep = b->t.rep[r];
    out->nchildren = 2;
    out->children = shapes(b, 2);
    /* key and value by position: their names need not be "key" and "value" */
    return shape_of(b, child(b, r, 0), false, &out->children[0]) &&
           shape_of(b, child(b, r, 1), false, &out->children[1]);
  }
  out->kind = PQ_SHAPE_STRUCT;
  out->nchildren = n;
  out->children = shapes(b, n);
  for (int k = 0, c = i + 1; k < n; k++, c = b->t.end[c])
    if (!shape_of(b, c, false, &out->children[k])) return false;
  return true;
}

orb_status pq_fields_build(const pq_file_meta *m, const char *name, pq_fields *out, orb_err *e) {
  memset(out, 0, sizeof *out);
  orb_arena_init(&out->arena, 4096);
  builder b = {m, {0}, &out->arena, NULL};
  orb_status st = tree_build(m, name, &b.t, e);
  if (st != ORB_OK) {
    pq_fields_free(out);
    return st;
  }
  for (int g = 0; g < m->nrow_groups && st == ORB_OK; g++)
    if (m->row_groups[g].ncolumns != b.t.nleaves) {
      char what[160];
      snprintf(what, sizeof what, "row group %d has %d columns, the schema %d leaves", g, m->row_groups[g].ncolumns,
               b.t.nleaves);
      st = pq_corrupt(e, name, what);
    }
  if (st == ORB_OK) {
    out->n = nchildren(&b, 0);
    out->fields = shapes(&b, out->n);
    out->errors = orb_arena_zalloc(&out->arena, sizeof(char *) * (size_t)(out->n ? out->n : 1));
    for (int k = 0, c = 1; k < out->n; k++, c = b.t.end[c]) {
      b.err = NULL;
      if (!shape_of(&b, c, false, &out->fields[k])) {
        out->errors[k] = b.err;
        memset(&out->fields[k], 0, sizeof out->fields[k]);
        out->fields[k].kind = PQ_SHAPE_VALUE;
        out->fields[k].name = m->schema[c].name;
        out->fields[k].elem = &m->schema[c];
      }
    }
  }
  tree_free(&b.t);
  if (st != ORB_OK) pq_fields_free(out);
  return st;
}

void pq_fields_free(pq_fields *f) {
  if (!f) return;
  orb_arena_free(&f->arena);
  memset(f, 0, sizeof *f);
}
