/* query/binder_parquet.c — the table functions that show a Parquet file's
** footer, as DuckDB names them: parquet_file_metadata(file),
** parquet_schema(file), parquet_metadata(file) (one row per column chunk).
** The footer (formats/parquet) is read when the statement is bound and its
** rows become a VALUES list, like the catalog tables of binder_catalog.c:
** a prepared statement shows the file as it was when prepared. */
#include "query/binder_int.h"
#include "formats/parquet/parquet.h"

#include <string.h>


bool oql_is_parquet_function(const char *name) {
  return strcmp(name, "parquet_schema") == 0 || strcmp(name, "parquet_metadata") == 0 ||
         strcmp(name, "parquet_file_metadata") == 0 || strcmp(name, "read_parquet") == 0;
}

/* read_parquet('file'): the file's top-level fields, typed from its footer:
** flat columns by their Parquet types, structs, lists and maps as TEXT
** holding their JSON (pq_field_sql_type).  A field whose schema breaks the
** LIST/MAP rules is left out (EXPLAIN says why); the others still read. */
static orb_status read_parquet(oql_selctx *c, const char *path, pq_file_meta *m, const char *alias,
                               const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  pq_fields f;
  orb_status st = pq_fields_build(m, path, &f, e);
  if (st != ORB_OK) {
    if (!e->pos) e->pos = pos;
    return st;
  }
  int ncols = 0;
  orb_type *types = orb_arena_alloc(b->a, sizeof(orb_type) * (size_t)(f.n ? f.n : 1));
  const char **names = orb_arena_alloc(b->a, sizeof(char *) * (size_t)(f.n ? f.n : 1));
  for (int k = 0; k < f.n && st == ORB_OK; k++) {
    if (f.errors[k]) continue;
    st = pq_field_sql_type(&f.fields[k], &types[ncols], e);
    names[ncols++] = orb_arena_strdup(b->a, f.fields[k].name);
  }
  if (st == ORB_OK && ncols < 1)
    st = orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "read_parquet: \"%s\" has no columns it can read%s%s", path,
                      f.n ? ": " : "", f.n ? f.errors[0] : "");
  pq_fields_free(&f);
  if (st != ORB_OK) return st;
  *out = oql_from_parquet_file(c, path, ncols, types, names, alias, colnames, ncolnames);
  return ORB_OK;
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
    "path_in_schema",   "type",               "stats_null_count",     "stats_distinct_count",
    "compression",      "encodings",          "index_page_offset",    "dictionary_page_offset",
    "data_page_offset", "total_compressed_size", "total_uncompressed_size", "bloom_filter_offset",
    "bloom_filter_length"};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

orb_status oql_from_parquet(oql_selctx *c, const char *fn, orb_expr **args, int nargs, const char *alias,
                            const char *const *colnames, int ncolnames, int pos, oql_from **out, orb_err *e) {
  oql_binder *b = c->b;
  orb_status st;
  if (nargs != 1)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s with %d arguments does not exist", fn, nargs);
  if ((st = oql_coerce(b, &args[0], orb_type_make(ORB_T_TEXT), e)) != ORB_OK || (st = oql_b_finish(b, &args[0], e)) != ORB_OK)
    return st;
  if (args[0]->kind != ORB_E_CONST || args[0]->value.isnull)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", args[0]->pos ? args[0]->pos : pos,
                        "%s() needs the file name as a constant string", fn);
  const char *path = orb_arena_strndup(b->a, args[0]->value.u.s, args[0]->value.len);
  pq_file_meta *m;
  if ((st = pq_read_footer(path, &m, e)) != ORB_OK) {
    if (!e->pos) e->pos = args[0]->pos;
    return st;
  }
  if (strcmp(fn, "read_parquet") == 0) {
    st = read_parquet(c, path, m, alias, colnames, ncolnames, pos, out, e);
    pq_meta_free(m);
    return st;
  }
  const char *const *cols;
  int ncols, nrows = 0;
  orb_expr ***rows;
  if (strcmp(fn, "parquet_file_metadata") == 0) {
    cols = file_cols;
    ncols = NCOLS(file_cols);
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **));
    orb_expr **r = rows[nrows++] = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)ncols);
    r[0] = oql_const_text(b, path, pos);
    r[1] = oql_const_text(b, m->created_by, pos);
    r[2] = oql_const_int(b, m->num_rows, true, pos);
    r[3] = oql_const_int(b, m->nrow_groups, true, pos);
    r[4] = oql_const_int(b, m->version, true, pos);
  } else if (strcmp(fn, "parquet_schema") == 0) {
    cols = schema_cols;
    ncols = NCOLS(schema_cols);
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(m->nschema + 1));
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
    cols = meta_cols;
    ncols = NCOLS(meta_cols);
    int total = 0;
    for (int g = 0; g < m->nrow_groups; g++) total += m->row_groups[g].ncolumns;
    rows = orb_arena_alloc(b->a, sizeof(orb_expr **) * (size_t)(total + 1));
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
        r[10] = oql_const_int(b, ch->stats.null_count, ch->has_stats && ch->stats.has_null_count, pos);
        r[11] = oql_const_int(b, ch->stats.distinct_count, ch->has_stats && ch->stats.has_distinct_count, pos);
        r[12] = oql_const_text(b, pq_codec_name(ch->codec), pos);
        r[13] = oql_const_text(b, joined(b, encs, ch->nencodings), pos);
        r[14] = oql_const_int(b, ch->index_page_offset, ch->has_index_page, pos);
        r[15] = oql_const_int(b, ch->dictionary_page_offset, ch->has_dictionary_page, pos);
        r[16] = oql_const_int(b, ch->data_page_offset, true, pos);
        r[17] = oql_const_int(b, ch->total_compressed_size, true, pos);
        r[18] = oql_const_int(b, ch->total_uncompressed_size, true, pos);
        r[19] = oql_const_int(b, ch->bloom_filter_offset, ch->has_bloom_filter, pos);
        r[20] = oql_const_int(b, ch->bloom_filter_length, ch->has_bloom_filter && ch->bloom_filter_length > 0, pos);
      }
    }
  }
  pq_meta_free(m);
  return oql_from_named_rows(c, rows, nrows, cols, ncols, alias ? alias : fn, colnames, ncolnames, pos, out, e);
}
