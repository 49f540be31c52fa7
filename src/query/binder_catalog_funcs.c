/* query/binder_catalog_funcs.c — PostgreSQL's functions that print a
** catalog object's definition: pg_get_indexdef(index [, column, pretty])
** and pg_get_constraintdef(constraint [, pretty]).  Their answers come from
** the catalog the statement is bound against, like the pg_catalog tables
** (binder_catalog.c), so they are bound here into a lookup of the argument
** among the primary keys' OIDs: CASE oid WHEN <index oid> THEN '<its
** definition>' ... END (NULL for an unknown OID, as PostgreSQL answers). */
#include "query/binder_int.h"

#include <string.h>

#include "query/parse_int.h"

orb_status oql_b_regclass(oql_binder *b, const char *text, int pos, orb_expr **out, orb_err *e) {
  orb_value v;
  orb_err ne;
  if (text[0] >= '0' && text[0] <= '9' &&
      orb_value_from_text(text, strlen(text), orb_type_make(ORB_T_INT64), b->a, &v, &ne) == ORB_OK) {
    *out = oql_mk_const(b, v, orb_type_make(ORB_T_INT64), pos);
    return ORB_OK;
  }
  /* a name as SQL writes it: [public.]name, "Quoted" kept as is, others folded to lower case */
  const char *name = strncmp(text, "public.", 7) == 0 ? text + 7 : text;
  size_t n = strlen(name);
  char *folded = orb_arena_strndup(b->a, name, n);
  if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
    folded = orb_arena_strndup(b->a, name + 1, n - 2);
  } else {
    for (char *p = folded; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  }
  orb_table *t = orb_db_table(b->db, folded);
  int64_t index = 0;   /* 1: the name is the table's primary key index, <table>_pkey */
  size_t nf = strlen(folded);
  if (!t && nf > 5 && strcmp(folded + nf - 5, "_pkey") == 0) {
    t = orb_db_table(b->db, orb_arena_strndup(b->a, folded, nf - 5));
    if (t && t->schema.npk == 0) t = NULL;
    index = 1;
  }
  if (!t || oql_is_system_table(t->name))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"%s\" does not exist", text);
  oql_binder_dep(b, t);
  *out = oql_const_int(b, oql_cat_table_oid(t) + index, true, pos);
  return ORB_OK;
}

bool oql_is_catalog_func(const char *name) {
  return strcmp(name, "pg_get_indexdef") == 0 || strcmp(name, "pg_get_constraintdef") == 0 || oql_is_size_func(name);
}

/* An identifier as PostgreSQL's quote_ident() prints it: bare when it is
** lower case letters, digits and underscores and no reserved word. */
static void ident(orb_buf *out, const char *s) {
  bool plain = (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_';
  for (const char *c = s; *c && plain; c++)
    plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
  if (plain && !oql_p_reserved(s)) {
    orb_buf_puts(out, s);
    return;
  }
  orb_buf_putc(out, '"');
  for (const char *c = s; *c; c++) {
    if (*c == '"') orb_buf_putc(out, '"');
    orb_buf_putc(out, *c);
  }
  orb_buf_putc(out, '"');
}

/* The key's columns: "(a, b)". */
static void key_list(orb_buf *out, const orb_table *t) {
  orb_buf_putc(out, '(');
  for (int i = 0; i < t->schema.npk; i++) {
    if (i) orb_buf_puts(out, ", ");
    ident(out, t->schema.cols[orb_schema_pk_col(&t->schema, i)].name);
  }
  orb_buf_putc(out, ')');
}

static orb_expr *text_of(oql_binder *b, orb_buf *buf, int pos) {
  orb_expr *x = oql_const_text(b, buf->data ? buf->data : "", pos);
  orb_buf_reset(buf);
  return x;
}

orb_status oql_b_catalog_func(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                              orb_err *e) {
  oql_binder *b = c->b;
  if (oql_is_size_func(name)) return oql_b_size_func(c, name, args, n, pos, out, e);
  bool index = strcmp(name, "pg_get_indexdef") == 0;
  int maxargs = index ? 3 : 2;
  if (n < 1 || n > maxargs)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s with %d arguments does not exist", name, n);
  static const orb_type_id want[] = {ORB_T_INT64, ORB_T_INT32, ORB_T_BOOL};
  for (int i = 0; i < n; i++) {
    orb_type_id w = !index && i == 1 ? ORB_T_BOOL : want[i];
    orb_type_id have = (orb_type_id)args[i]->type.id;
    bool ok = oql_is_unknown(args[i]) || have == ORB_T_NULL || have == w ||
              (orb_type_is_integer(have) && orb_type_is_integer(w));
    if (!ok)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function %s(%s) does not exist", name,
                          oql_type_name(b, args[i]));
    orb_status st = oql_coerce(b, &args[i], orb_type_make(w), e);
    if (st != ORB_OK) return st;
  }
  /* one WHEN per primary key: the index (or constraint) OID */
  int ntables = orb_db_table_count(b->db), nw = 0;
  orb_expr **whens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ntables + 1));
  orb_expr **thens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ntables + 1));
  orb_buf buf = ORB_BUF_INIT;
  orb_status st = ORB_OK;
  for (int i = 0; i < ntables && st == ORB_OK; i++) {
    orb_table *t = orb_db_table_at(b->db, i);
    if (oql_is_system_table(t->name) || t->schema.npk == 0) continue;
    whens[nw] = oql_const_int(b, oql_cat_table_oid(t) + (index ? 1 : 2), true, pos);
    if (!index) {
      orb_buf_puts(&buf, "PRIMARY KEY ");
      key_list(&buf, t);
      thens[nw++] = text_of(b, &buf, pos);
      continue;
    }
    /* pretty printing leaves out the schema of a table the search path finds */
    orb_expr *defs[2];
    for (int pretty = 0; pretty < 2; pretty++) {
      orb_buf_puts(&buf, "CREATE UNIQUE INDEX ");
      ident(&buf, orb_arena_sprintf(b->a, "%s_pkey", t->name));
      orb_buf_puts(&buf, pretty ? " ON " : " ON public.");
      ident(&buf, t->name);
      orb_buf_puts(&buf, " USING btree ");
      key_list(&buf, t);
      defs[pretty] = text_of(b, &buf, pos);
    }
    orb_expr *full = defs[0];
    if (n == 3 && (st = oql_b_case(b, NULL, &args[2], &defs[1], 1, defs[0], pos, &full, e)) != ORB_OK) break;
    if (n < 2) {
      thens[nw++] = full;
      continue;
    }
    /* column k > 0: that key column's name; 0: the whole definition */
    int nk = t->schema.npk;
    orb_expr **kw = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nk + 1));
    orb_expr **kt = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nk + 1));
    kw[0] = oql_const_int(b, 0, true, pos);
    kt[0] = full;
    for (int k = 0; k < nk; k++) {
      ident(&buf, t->schema.cols[orb_schema_pk_col(&t->schema, k)].name);
      kw[k + 1] = oql_const_int(b, k + 1, true, pos);
      kt[k + 1] = text_of(b, &buf, pos);
    }
    st = oql_b_case(b, args[1], kw, kt, nk + 1, NULL, pos, &thens[nw++], e);
  }
  orb_buf_free(&buf);
  if (st != ORB_OK) return st;
  if (nw == 0) {   /* no index at all: every OID is unknown */
    *out = oql_const_text(b, NULL, pos);
    return ORB_OK;
  }
  return oql_b_case(b, args[0], whens, thens, nw, NULL, pos, out, e);
}
