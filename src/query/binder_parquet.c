/* query/binder_parquet.c — the table functions that show a Parquet file's
** footer, as DuckDB names them: parquet_file_metadata(file),
** parquet_schema(file), parquet_metadata(file) (one row per column chunk).
** The footer (formats/parquet) is read when the statement is bound and its
** rows become a VALUES list, like the catalog tables of binder_catalog.c:
** a prepared statement shows the file as it was when prepared. */
#include "query/binder_int.h"
#include "formats/parquet/parquet.h"

#include <glob.h>
#include <string.h>

bool oql_is_parquet_function(const char *name) {
  return strcmp(name, "parquet_schema") == 0 || strcmp(name, "parquet_metadata") == 0 ||
         strcmp(name, "parquet_file_metadata") == 0 || strcmp(name, "read_parquet") == 0;
}

/* The files named by the arguments: each a file name or a glob pattern
** (*, ?, [...], as the shell's; matches in name order, DuckDB's rule that a
** pattern matching nothing is an error). */
static orb_status expand_files(oql_binder *b, const char *fn, orb_expr **args, int nargs, bool list, int pos,
                               const char ***paths, int *npaths, orb_err *e) {
  if (list ? nargs < 1 : nargs != 1)
    return list ? orb_err_setx(e, ORB_ERR_CONSTRAINT, "22023", pos, "%s() needs at least one file", fn)
                : orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s with %d arguments does not exist", fn,
                               nargs);
  int n = 0, cap = nargs;
  const char **out = orb_arena_alloc(b->a, sizeof(char *) * (size_t)cap);
  for (int i = 0; i < nargs; i++) {
    orb_status st;
    if ((st = oql_coerce(b, &args[i], orb_type_make(ORB_T_TEXT), e)) != ORB_OK || (st = oql_b_finish(b, &args[i], e)) != ORB_OK)
      return st;
    int apos = args[i]->pos ? args[i]->pos : pos;
    if (args[i]->kind != ORB_E_CONST || args[i]->value.isnull)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", apos, "%s() needs the file name as a constant string", fn);
    const char *arg = orb_arena_strndup(b->a, args[i]->value.u.s, args[i]->value.len);
    glob_t g;
    if (strpbrk(arg, "*?[") == NULL) {
      g.gl_pathc = 1;
      g.gl_pathv = (char **)&arg;
    } else {
      int rc = glob(arg, GLOB_ERR, NULL, &g);
      if (rc == GLOB_NOMATCH) {
        globfree(&g);
        return orb_err_setx(e, ORB_ERR_IO, "58P01", apos, "%s: no files found that match the pattern \"%s\"", fn, arg);
      }
      if (rc != 0) {
        globfree(&g);
        return orb_err_setx(e, ORB_ERR_IO, "58030", apos, "%s: could not list the files of \"%s\"", fn, arg);
      }
    }
    if (n + (int)g.gl_pathc > cap) {
      int ncap = (n + (int)g.gl_pathc) * 2;
      const char **grown = orb_arena_alloc(b->a, sizeof(char *) * (size_t)ncap);
      memcpy(grown, out, sizeof(char *) * (size_t)n);
      out = grown, cap = ncap;
    }
    for (size_t k = 0; k < g.gl_pathc; k++) out[n++] = orb_arena_strdup(b->a, g.gl_pathv[k]);
    if (g.gl_pathv != (char **)&arg) globfree(&g);
  }
  *paths = out;
  *npaths = n;
  return ORB_OK;
}

/* A file's columns as read_parquet exposes them: its top-level fields,
** flat columns by their Parquet types, structs, lists and maps as TEXT
** holding their JSON (pq_field_sql_type).  A field whose schema breaks the
** LIST/MAP rules is left out (EXPLAIN says why); the others still read. */
static orb_status file_columns(oql_binder *b, const char *path, const pq_file_meta *m, int pos, orb_type **types,
                               const char ***names, int *ncols, orb_err *e) {
  pq_fields f;
  orb_status st = pq_fields_build(m, path, &f, e);
  if (st != ORB_OK) {
    if (!e->pos) e->pos = pos;
    return st;
  }
  int n = 0;
  *types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(f.n ? f.n : 1));
  *names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(f.n ? f.n : 1));
  for (int k = 0; k < f.n && st == ORB_OK; k++) {
    if (f.errors[k]) continue;
    st = pq_field_sql_type(&f.fields[k], &(*types)[n], e);
    (*names)[n++] = orb_arena_strdup(b->a, f.fields[k].name);
  }
  if (st == ORB_OK && n < 1)
    st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "read_parquet: \"%s\" has no columns it can read%s%s", path,
                      f.n ? ": " : "", f.n ? f.errors[0] : "");
  pq_fields_free(&f);
  *ncols = n;
  return st;
}

/* read_parquet(files): the first file's columns, typed from its footer; every
** other file must have the same names and types in the same order. */
static orb_status read_parquet(oql_selctx *c, const char **paths, int npaths, const char *alias,
                               const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_type *types = NULL;
  const char **names = NULL;
  int ncols = 0;
  for (int f = 0; f < npaths; f++) {
    pq_file_meta *m;
    orb_status st = pq_read_footer(paths[f], &m, e);
    if (st != ORB_OK) {
      if (!e->pos) e->pos = pos;
      return st;
    }
    orb_type *ft = NULL;
    const char **fnames = NULL;
    int fn = 0;
    st = file_columns(b, paths[f], m, pos, &ft, &fnames, &fn, e);
    pq_meta_free(m);
    if (st != ORB_OK) return st;
    if (f == 0) {
      types = ft, names = fnames, ncols = fn;
      continue;
    }
    int i = 0;
    while (i < ncols && i < fn && strcmp(names[i], fnames[i]) == 0 && orb_type_equal(types[i], ft[i])) i++;
    if (i < ncols || i < fn)
      return orb_err_setx(e, ORB_ERR_TYPE, "42804", pos,
                          "read_parquet: the columns of \"%s\" differ from those of \"%s\" (column %d)", paths[f],
                          paths[0], i + 1);
  }
  *out = oql_from_parquet_file(c, paths, npaths, ncols, types, names, alias, colnames, ncolnames);
  return ORB_OK;
}

orb_status oql_copy_parquet_source(oql_binder *b, const char *path, int pos, oql_op **root, int *ncols,
                                   const char ***names, orb_err *e) {
  pq_file_meta *m;
  orb_status st = pq_read_footer(path, &m, e);
  if (st != ORB_OK) {
    if (!e->pos) e->pos = pos;
    return st;
  }
  orb_type *types = NULL;
  st = file_columns(b, path, m, pos, &types, names, ncols, e);
  pq_meta_free(m);
  if (st == ORB_OK) *root = oql_parquet_scan_new(b->a, &path, 1, *ncols, types);
  return st;
}

static const char *encoding_name(int32_t enc) {
  static const char *const names[] = {"PLAIN",           "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE",
                                      "BIT_PACKED",      "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
                                      "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
  return enc >= 0 && enc < (int32_t)(sizeof names / sizeof names[0]) ? names[enc] : "?";
}

static const char *repetition_name(int r) {
  return r == PQ_REQUIRED ? "REQUIRED" : r == PQ_OPTIONAL ? "OPTIONAL" : r == PQ_REPEATED ? "REPEATED" : NULL;
}

/* "a, b, c" of n strings (arena). */
static const char *joined(oql_binder *b, const char *const *parts, int n) {
  size_t len = 1;
  for (int i = 0; i < n; i++) len += strlen(parts[i]) + 2;
  char *s = orb_arena_alloc(b->a, len), *p = s;
  for (int i = 0; i < n; i++) {
    if (i) *p++ = ',', *p++ = ' ';
    size_t k = strlen(parts[i]);
    memcpy(p, parts[i], k);
    p += k;
  }
  *p = '\0';
  return s;
}

static const char *const file_cols[] = {"file_name", "created_by", "num_rows", "num_row_groups", "format_version"};
static const char *const schema_cols[] = {"file_name", "name",           "type",  "type_length", "repetition_type",
                                          "num_children", "converted_type", "scale", "precision",   "field_id"};
static const char *const meta_cols[] = {
    "file_name",        "row_group_id",       "row_group_num_rows",   "row_group_num_columns",
    "row_group_bytes",  "column_id",          "file_offset",          "num_values",
    "path_in_schema",   "type",               "stats_min",            "stats_max",
    "stats_null_count", "stats_distinct_count", "stats_min_value",    "stats_max_value",
    "compression",      "encodings",          "index_page_offset",    "dictionary_page_offset",
    "data_page_offset", "total_compressed_size", "total_uncompressed_size", "bloom_filter_offset",
    "bloom_filter_length"};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

/* Leaf column k's schema element: the k-th element with a physical type. */
static const pq_schema_elem *leaf_elem(const pq_file_meta *m, int k) {
  for (int i = 1; i < m->nschema; i++)
    if (m->schema[i].type >= 0 && k-- == 0) return &m->schema[i];
  return NULL;
}

/* A statistic as text in the column's SQL type (DuckDB shows them so);
** NULL when absent or when the column's type or the bytes make no value. */
static orb_expr *stat_const(oql_binder *b, const pq_schema_elem *leaf, pq_bytes v, int pos) {
  orb_type t;
  orb_value val;
  orb_err ignored;
  if (!leaf || !v.data || pq_sql_type(leaf, &t, &ignored) != ORB_OK || pq_plain_value(leaf, v, t, &val, &ignored) != ORB_OK)
    return oql_const_text(b, NULL, pos);
  orb_buf txt = ORB_BUF_INIT;
  orb_value_to_text(&val, &txt);
  orb_buf_putc(&txt, '\0');
  orb_expr *c = oql_const_text(b, (const char *)txt.data, pos);
  orb_buf_free(&txt);
  return c;
}

/* The rows one file gives a metadata function, appended at rows[*nrowsp]
** (room made by the caller). */
static void file_rows(oql_binder *b, const char *path, const pq_file_meta *m, const char *const *cols, int ncols,
                      int pos, orb_expr ***rows, int *nrowsp) {
  int nrows = *nrowsp;
  if (cols == file_cols) {
    orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)ncols);
    r[0] = oql_const_text(b, path, pos);
    r[1] = oql_const_text(b, m->created_by, pos);
    r[2] = oql_const_int(b, m->num_rows, true, pos);
    r[3] = oql_const_int(b, m->nrow_groups, true, pos);
    r[4] = oql_const_int(b, m->version, true, pos);
  } else if (cols == schema_cols) {
    for (int i = 0; i < m->nschema; i++) {
      const pq_schema_elem *s = &m->schema[i];
      orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)ncols);
      r[0] = oql_const_text(b, path, pos);
      r[1] = oql_const_text(b, s->name, pos);
      r[2] = oql_const_text(b, s->type >= 0 ? pq_type_name(s->type) : NULL, pos);
      r[3] = oql_const_int(b, s->type_length, s->type == PQ_FIXED_LEN_BYTE_ARRAY, pos);
      r[4] = oql_const_text(b, repetition_name(s->repetition), pos);
      r[5] = oql_const_int(b, s->num_children, s->num_children >= 0, pos);
      r[6] = oql_const_text(b, s->converted_type >= 0 ? pq_converted_type_name(s->converted_type) : NULL, pos);
      r[7] = oql_const_int(b, s->scale, s->converted_type == 5, pos);       /* DECIMAL */
      r[8] = oql_const_int(b, s->precision, s->converted_type == 5, pos);
      r[9] = oql_const_int(b, s->field_id, s->has_field_id, pos);
    }
  } else {
    for (int g = 0; g < m->nrow_groups; g++) {
      const pq_row_group *rg = &m->row_groups[g];
      for (int k = 0; k < rg->ncolumns; k++) {
        const pq_chunk *ch = &rg->columns[k];
        const char **encs = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(ch->nencodings + 1));
        for (int i = 0; i < ch->nencodings; i++) encs[i] = encoding_name(ch->encodings[i]);
        orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)ncols);
        r[0] = oql_const_text(b, path, pos);
        r[1] = oql_const_int(b, g, true, pos);
        r[2] = oql_const_int(b, rg->num_rows, true, pos);
        r[3] = oql_const_int(b, rg->ncolumns, true, pos);
        r[4] = oql_const_int(b, rg->total_byte_size, true, pos);
        r[5] = oql_const_int(b, k, true, pos);
        r[6] = oql_const_int(b, ch->file_offset, true, pos);
        r[7] = oql_const_int(b, ch->num_values, true, pos);
        r[8] = oql_const_text(b, joined(b, ch->path, ch->npath), pos);
        r[9] = oql_const_text(b, pq_type_name(ch->type), pos);
        const pq_stats *st = ch->has_stats ? &ch->stats : NULL;
        const pq_schema_elem *leaf = leaf_elem(m, k);
        r[10] = stat_const(b, leaf, st ? st->min : (pq_bytes){0}, pos);
        r[11] = stat_const(b, leaf, st ? st->max : (pq_bytes){0}, pos);
        r[12] = oql_const_int(b, ch->stats.null_count, st && st->has_null_count, pos);
        r[13] = oql_const_int(b, ch->stats.distinct_count, st && st->has_distinct_count, pos);
        r[14] = stat_const(b, leaf, st ? st->min_value : (pq_bytes){0}, pos);
        r[15] = stat_const(b, leaf, st ? st->max_value : (pq_bytes){0}, pos);
        r[16] = oql_const_text(b, pq_codec_name(ch->codec), pos);
        r[17] = oql_const_text(b, joined(b, encs, ch->nencodings), pos);
        r[18] = oql_const_int(b, ch->index_page_offset, ch->has_index_page, pos);
        r[19] = oql_const_int(b, ch->dictionary_page_offset, ch->has_dictionary_page, pos);
        r[20] = oql_const_int(b, ch->data_page_offset, true, pos);
        r[21] = oql_const_int(b, ch->total_compressed_size, true, pos);
        r[22] = oql_const_int(b, ch->total_uncompressed_size, true, pos);
        r[23] = oql_const_int(b, ch->bloom_filter_offset, ch->has_bloom_filter, pos);
        r[24] = oql_const_int(b, ch->bloom_filter_length, ch->has_bloom_filter && ch->bloom_filter_length > 0, pos);
      }
    }
  }
  *nrowsp = nrows;
}

orb_status oql_from_parquet(oql_selctx *c, const char *fn, orb_expr **args, int nargs, bool list, const char *alias,
                            const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  const char **paths = NULL;
  int npaths = 0;
  orb_status st = expand_files(b, fn, args, nargs, list, pos, &paths, &npaths, e);
  if (st != ORB_OK) return st;
  if (strcmp(fn, "read_parquet") == 0) return read_parquet(c, paths, npaths, alias, colnames, ncolnames, pos, out, e);
  /* the metadata functions: the rows of every file, one after the other */
  const char *const *cols = strcmp(fn, "parquet_file_metadata") == 0 ? file_cols
                            : strcmp(fn, "parquet_schema") == 0      ? schema_cols
                                                                     : meta_cols;
  int ncols = cols == file_cols ? NCOLS(file_cols) : cols == schema_cols ? NCOLS(schema_cols) : NCOLS(meta_cols);
  int nrows = 0, cap = 0;
  orb_expr ***rows = NULL;
  for (int f = 0; f < npaths; f++) {
    pq_file_meta *m;
    if ((st = pq_read_footer(paths[f], &m, e)) != ORB_OK) {
      if (!e->pos) e->pos = pos;
      return st;
    }
    int more = cols == file_cols ? 1 : cols == schema_cols ? m->nschema : 0;
    for (int g = 0; cols == meta_cols && g < m->nrow_groups; g++) more += m->row_groups[g].ncolumns;
    if (nrows + more + 1 > cap) {
      int ncap = (nrows + more + 1) * 2;
      orb_expr ***grown = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)ncap);
      if (nrows) memcpy(grown, rows, sizeof(orb_expr **) * (size_t)nrows);
      rows = grown, cap = ncap;
    }
    file_rows(b, paths[f], m, cols, ncols, pos, rows, &nrows);
    pq_meta_free(m);
  }
  return oql_from_named_rows(c, rows, nrows, cols, ncols, alias ? alias : fn, colnames, ncolnames, pos, out, e);
}
