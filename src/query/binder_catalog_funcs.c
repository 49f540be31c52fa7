/* query/binder_catalog_funcs.c — PostgreSQL's functions that print a
** catalog object's definition: pg_get_indexdef(index [, column, pretty])
** and pg_get_constraintdef(constraint [, pretty]).  Their answers come from
** the catalog the statement is bound against, like the pg_catalog tables
** (binder_catalog.c), so they are bound here into a lookup of the argument
** among the primary keys' OIDs: CASE oid WHEN <index oid> THEN '<its
** definition>' ... END (NULL for an unknown OID, as PostgreSQL answers).
**
** Also the object identifier types (regclass, regtype, regproc,
** regprocedure, regnamespace, regrole): a literal cast to one is looked up
** here, and an OID shown as one becomes the same kind of lookup (regclass)
** or a call of its output function (the others, expr/func_catalog.c); and
** current_database(), the served database's name. */
#include "query/binder_int.h"

#include <string.h>

#include "expr/func.h"
#include "expr/pg_catalog.h"
#include "query/parse_int.h"
#include "storage/sequence.h"

int64_t oql_catalog_oid(const char *name) {
  static const struct { const char *name; int64_t oid; } cats[] = {
      {"pg_type", 1247}, {"pg_attribute", 1249}, {"pg_proc", 1255}, {"pg_class", 1259}, {"pg_database", 1262},
      {"pg_authid", 1260}, {"pg_am", 2601}, {"pg_attrdef", 2604}, {"pg_constraint", 2606},
      {"pg_inherits", 2611}, {"pg_index", 2610}, {"pg_description", 2609}, {"pg_language", 2612},
      {"pg_namespace", 2615}, {"pg_rewrite", 2618}, {"pg_trigger", 2620}, {"pg_collation", 3456},
      {"pg_extension", 3079}, {"pg_tablespace", 1213}, {"pg_depend", 2608}, {"pg_policy", 3256},
      {"pg_statistic_ext", 3381}, {"pg_publication", 6104}, {"pg_enum", 3501}, {"pg_cast", 2605},
      {"pg_operator", 2617}, {"pg_conversion", 2607}, {"pg_foreign_server", 1417},
      {"pg_foreign_data_wrapper", 2328}, {"pg_ts_config", 3602}, {"pg_ts_dict", 3600},
      {"pg_ts_parser", 3601}, {"pg_ts_template", 3764}, {"pg_event_trigger", 3466}, {"pg_opclass", 2616},
      {"pg_opfamily", 2753}, {"pg_largeobject_metadata", 2995}, {"pg_subscription", 6100}};
  for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
    if (strcmp(cats[i].name, name) == 0) return cats[i].oid;
  return 0;
}

orb_status oql_b_regclass(oql_binder *b, const char *text, int pos, orb_expr **out, orb_err *e) {
  orb_value v;
  orb_err ne;
  if (text[0] >= '0' && text[0] <= '9' &&
      orb_value_from_text(text, strlen(text), orb_type_make(ORB_T_INT64), b->a, &v, &ne) == ORB_OK) {
    *out = oql_mk_const(b, v, orb_type_make(ORB_T_INT64), pos);
    return ORB_OK;
  }
  /* the catalogs made at bind time: PostgreSQL's OIDs for those that have fixed ones */
  if (strncmp(text, "pg_catalog.", 11) == 0 || oql_is_catalog_table(text)) {
    const char *cat = strncmp(text, "pg_catalog.", 11) == 0 ? text + 11 : text;
    int64_t oid = oql_catalog_oid(cat);
    if (oid > 0) {
      *out = oql_const_int(b, oid, true, pos);
      return ORB_OK;
    }
    if (text != cat) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"%s\" does not exist", text);
  }
  size_t n = strlen(text);
  char *folded = oql_relname_from_text(text, n, orb_arena_alloc(b->a, n + 1), n + 1);
  orb_table *t = orb_db_table(b->db, folded);
  if (!t) {   /* an index: the primary key's or one of the schema's */
    oql_cat_index *all;
    int nall = oql_cat_indexes(b, &all);
    for (int j = 0; j < nall; j++)
      if (strcmp(all[j].name, folded) == 0) {
        oql_binder_dep(b, all[j].t);
        *out = oql_const_int(b, all[j].oid, true, pos);
        return ORB_OK;
      }
  }
  if (!t || oql_is_system_table(t->name))
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"%s\" does not exist", text);
  oql_binder_dep(b, t);
  *out = oql_const_int(b, oql_cat_table_oid(t), true, pos);
  return ORB_OK;
}

bool oql_is_catalog_func(const char *name) {
  return strcmp(name, "pg_get_indexdef") == 0 || strcmp(name, "current_database") == 0 ||
         strcmp(name, "current_catalog") == 0 || strcmp(name, "pg_get_constraintdef") == 0 ||
         strcmp(name, "pg_typeof") == 0 || strcmp(name, "pg_get_serial_sequence") == 0 || oql_is_size_func(name);
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

/* An index's columns as PostgreSQL prints them: "(a, b DESC)". */
static void key_list(orb_buf *out, const oql_cat_index *ix, bool options) {
  orb_buf_putc(out, '(');
  for (int i = 0; i < ix->ncols; i++) {
    if (i) orb_buf_puts(out, ", ");
    ident(out, ix->t->schema.cols[ix->cols[i]].name);
    uint8_t o = options && ix->opts ? ix->opts[i] : 0;
    if (o & ORB_IDX_DESC) orb_buf_puts(out, o & ORB_IDX_NULLS_FIRST ? " DESC" : " DESC NULLS LAST");
    else if (o & ORB_IDX_NULLS_FIRST) orb_buf_puts(out, " NULLS FIRST");
  }
  orb_buf_putc(out, ')');
}

void oql_cat_indexdef(const oql_cat_index *ix, bool pretty, orb_buf *out) {
  orb_buf_puts(out, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
  ident(out, ix->name);
  orb_buf_puts(out, pretty ? " ON " : " ON public.");
  ident(out, ix->t->name);
  orb_buf_puts(out, ix->hash ? " USING hash " : " USING btree ");
  key_list(out, ix, true);
  if (ix->nnd) orb_buf_puts(out, " NULLS NOT DISTINCT");
}

static orb_expr *text_of(oql_binder *b, orb_buf *buf, int pos) {
  orb_expr *x = oql_const_text(b, buf->data ? buf->data : "", pos);
  orb_buf_reset(buf);
  return x;
}

/* --- the object identifier types: regclass, regtype, regproc, ... ------------------------------ */

static const char *const reg_types[] = {"regclass", "regtype", "regproc", "regprocedure", "regnamespace", "regrole"};

bool oql_is_reg_type(const char *name) {
  for (size_t i = 0; i < sizeof reg_types / sizeof reg_types[0]; i++)
    if (strcmp(name, reg_types[i]) == 0) return true;
  return false;
}

/* 'name'::regtype / regproc / regnamespace / regrole: the object's OID (PostgreSQL's input functions;
** a number is an OID already). */
orb_status oql_b_reg_in(oql_binder *b, const char *type, const char *text, int pos, orb_expr **out, orb_err *e) {
  if (strcmp(type, "regclass") == 0) return oql_b_regclass(b, text, pos, out, e);
  orb_value v;
  orb_err ne;
  if (text[0] >= '0' && text[0] <= '9' &&
      orb_value_from_text(text, strlen(text), orb_type_make(ORB_T_INT64), b->a, &v, &ne) == ORB_OK) {
    *out = oql_mk_const(b, v, orb_type_make(ORB_T_INT64), pos);
    return ORB_OK;
  }
  const char *name = strncmp(text, "pg_catalog.", 11) == 0 ? text + 11 : text;
  int64_t oid = -1;
  if (strcmp(type, "regtype") == 0) {   /* pg_type.typname or the SQL name format_type prints */
    int n;
    const orb_pg_type_row *types = orb_pg_types(&n);
    orb_buf sql = ORB_BUF_INIT;
    for (int i = 0; i < n && oid < 0; i++) {
      orb_buf_reset(&sql);
      orb_pg_format_type(types[i].oid, &sql);
      if (strcmp(types[i].name, name) == 0 || (sql.data && strcmp(sql.data, name) == 0)) oid = types[i].oid;
    }
    orb_buf_free(&sql);
    orb_type t;
    if (oid < 0 && orb_type_from_name(name, NULL, 0, &t, &ne) == ORB_OK) oid = orb_pg_type_oid(t);
    if (oid < 0) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", pos, "type \"%s\" does not exist", text);
  } else if (strcmp(type, "regprocedure") == 0) {
    /* name(type, ...): compared with each signature as regprocedure prints it (SQL type names) */
    if (!strchr(name, '('))
      return orb_err_setx(e, ORB_ERR_SYNTAX, "22P02", pos, "expected a left parenthesis");
    orb_buf want = ORB_BUF_INIT, sig = ORB_BUF_INIT;
    for (const char *c = name; *c; c++)   /* "f(a, b)" as "f(a,b)" */
      if (!(*c == ' ' && (c > name && (c[-1] == ',' || c[-1] == '(')))) orb_buf_putc(&want, *c);
    orb_buf_putc(&want, '\0');
    int n;
    const orb_pg_proc *procs = orb_pg_procs(&n);
    for (int i = 0; i < n && oid < 0; i++) {
      orb_buf_reset(&sig);
      orb_buf_puts(&sig, procs[i].name);
      orb_buf_putc(&sig, '(');
      for (int k = 0; k < procs[i].nargs; k++) {
        if (k) orb_buf_putc(&sig, ',');
        orb_pg_format_type(procs[i].argtypes[k], &sig);
      }
      orb_buf_puts(&sig, ")");
      orb_buf_putc(&sig, '\0');
      if (strcmp(sig.data, want.data) == 0) oid = procs[i].oid;
    }
    orb_buf_free(&want);
    orb_buf_free(&sig);
    if (oid < 0) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function \"%s\" does not exist", text);
  } else if (strcmp(type, "regproc") == 0 && strcmp(name, "array_in") == 0) {
    oid = OQL_ARRAY_IN_OID;   /* pg_type.typinput of arrays; not a function OrbitQL calls */
  } else if (strcmp(type, "regproc") == 0) {   /* one function by name */
    int n, found = 0;
    const orb_pg_proc *procs = orb_pg_procs(&n);
    for (int i = 0; i < n; i++)
      if (strcmp(procs[i].name, name) == 0 && found++ == 0) oid = procs[i].oid;
    if (found > 1)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42725", pos, "more than one function named \"%s\"", text);
    if (found == 0) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function \"%s\" does not exist", text);
  } else if (strcmp(type, "regnamespace") == 0) {
    oid = strcmp(text, "pg_catalog") == 0 ? 11 : strcmp(text, "public") == 0 ? 2200
          : strcmp(text, "information_schema") == 0 ? 13000 : -1;
    if (oid < 0) return orb_err_setx(e, ORB_ERR_UNDEFINED, "3F000", pos, "schema \"%s\" does not exist", text);
  } else {
    oid = strcmp(text, "orbit") == 0 ? 10 : strcmp(text, "pg_database_owner") == 0 ? 6171 : -1;
    if (oid < 0) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", pos, "role \"%s\" does not exist", text);
  }
  *out = oql_const_int(b, oid, true, pos);
  return ORB_OK;
}

/* An OID shown as the reg type prints it: a table or index name for regclass (answered from the
** catalog, like pg_get_indexdef), the function regtypeout / regprocout / ... for the others. */
orb_status oql_b_reg_out(oql_binder *b, const char *type, orb_expr *x, int pos, orb_expr **out, orb_err *e) {
  if (strcmp(type, "regclass") != 0) {
    const orb_func *f = orb_func_lookup(orb_arena_sprintf(b->a, "%sout", type));
    if (!f) return orb_err_setx(e, ORB_ERR_INTERNAL, "XX000", pos, "no output function for %s", type);
    orb_status st = oql_coerce(b, &x, orb_type_make(ORB_T_INT64), e);
    if (st != ORB_OK) return st;
    orb_expr *call = orb_expr_new(b->a, ORB_E_FUNC, orb_type_make(ORB_T_TEXT), 1);
    call->func = f;
    call->pos = pos;
    call->args[0] = x;
    *out = call;
    return ORB_OK;
  }
  int ntables = orb_db_table_count(b->db), nw = 0;
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all);
  orb_expr **whens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ntables + nall + 1));
  orb_expr **thens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(ntables + nall + 1));
  orb_buf buf = ORB_BUF_INIT;
  for (int i = 0; i < ntables; i++) {
    orb_table *t = orb_db_table_at(b->db, i);
    if (oql_is_system_table(t->name)) continue;
    oql_binder_dep(b, t);
    whens[nw] = oql_const_int(b, oql_cat_table_oid(t), true, pos);
    ident(&buf, t->name);
    thens[nw++] = text_of(b, &buf, pos);
  }
  for (int j = 0; j < nall; j++) {
    whens[nw] = oql_const_int(b, all[j].oid, true, pos);
    ident(&buf, all[j].name);
    thens[nw++] = text_of(b, &buf, pos);
  }
  orb_buf_free(&buf);
  orb_expr *number;   /* an OID that names no relation prints as the number */
  orb_status st = oql_b_cast(b, x, orb_type_make(ORB_T_TEXT), pos, &number, e);
  if (st != ORB_OK || nw == 0) {
    *out = number;
    return st;
  }
  return oql_b_case(b, x, whens, thens, nw, number, pos, out, e);
}

/* pg_get_serial_sequence('table', 'column'): the sequence a serial or identity
** column takes its values from ("public.t_id_seq"), NULL for another column;
** answered when the statement is bound, so its arguments must be constants.
** The table name is read as SQL reads a name (folded unless quoted, "public."
** allowed); the column name is taken as it is, as PostgreSQL takes it. */
static orb_status serial_sequence(oql_binder *b, orb_expr **args, int n, int pos, orb_expr **out, orb_err *e) {
  if (n != 2)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function pg_get_serial_sequence with %d arguments does not exist", n);
  const char *v[2];
  for (int i = 0; i < 2; i++) {
    orb_status st = oql_coerce(b, &args[i], orb_type_make(ORB_T_TEXT), e);
    if (st == ORB_OK) st = oql_b_finish(b, &args[i], e);
    if (st != ORB_OK) return st;
    if (args[i]->kind != ORB_E_CONST)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", pos, "pg_get_serial_sequence() takes only constant arguments here");
    if (args[i]->value.isnull) {
      *out = oql_const_text(b, NULL, pos);
      return ORB_OK;
    }
    v[i] = orb_arena_strndup(b->a, args[i]->value.u.s, args[i]->value.len);
  }
  const char *tn = v[0];
  if (strncmp(tn, "public.", 7) == 0) tn += 7;
  char *name = orb_arena_strdup(b->a, tn);
  size_t len = strlen(name);
  if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {   /* "Name": as written, "" a quote */
    char *w = name;
    for (size_t i = 1; i + 1 < len; i++) {
      *w++ = name[i];
      if (name[i] == '"' && name[i + 1] == '"') i++;
    }
    *w = '\0';
  } else {
    for (char *c = name; *c; c++)
      if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
  }
  orb_table *t = orb_db_table(b->db, name);
  if (!t || oql_is_system_table(t->name) || t->kind == ORB_TABLE_SEQUENCE)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", pos, "relation \"%s\" does not exist", v[0]);
  oql_binder_dep(b, t);
  int col = orb_schema_find(&t->schema, v[1]);
  if (col < 0)
    return orb_err_setx(e, ORB_ERR_UNDEFINED, "42703", pos, "column \"%s\" of relation \"%s\" does not exist", v[1], t->name);
  /* its default is nextval('seq') of a sequence the table owns */
  const char *d = t->schema.cols[col].default_sql, *seq = NULL;
  if (d && strncmp(d, "nextval('", 9) == 0) {
    const char *q = strchr(d + 9, '\'');
    if (q && strcmp(q, "')") == 0) {
      seq = orb_arena_strndup(b->a, d + 9, (size_t)(q - (d + 9)));
      orb_table *s = orb_db_table(b->db, seq);
      if (!s || s->kind != ORB_TABLE_SEQUENCE || !s->seq || s->seq->owner != t->id) seq = NULL;
    }
  }
  if (!seq) {
    *out = oql_const_text(b, NULL, pos);
    return ORB_OK;
  }
  orb_buf buf = ORB_BUF_INIT;
  orb_buf_puts(&buf, "public.");
  ident(&buf, seq);
  *out = text_of(b, &buf, pos);
  orb_buf_free(&buf);
  return ORB_OK;
}

orb_status oql_b_catalog_func(oql_selctx *c, const char *name, orb_expr **args, int n, int pos, orb_expr **out,
                              orb_err *e) {
  oql_binder *b = c->b;
  if (oql_is_size_func(name)) return oql_b_size_func(c, name, args, n, pos, out, e);
  if (strcmp(name, "pg_get_serial_sequence") == 0) return serial_sequence(b, args, n, pos, out, e);
  if (strcmp(name, "current_database") == 0 || strcmp(name, "current_catalog") == 0) {   /* the database served: named after its directory */
    if (n != 0)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function current_database with %d arguments does not exist", n);
    *out = oql_const_text(b, oql_database_name(b), pos);
    return ORB_OK;
  }
  if (strcmp(name, "pg_typeof") == 0) {   /* the argument's type, known when bound (regtype shown as text) */
    if (n != 1)
      return orb_err_setx(e, ORB_ERR_UNDEFINED, "42883", pos, "function pg_typeof with %d arguments does not exist", n);
    const char *tn = oql_is_unknown(args[0]) ? "unknown" : oql_type_name(b, args[0]);
    char *plain = orb_arena_alloc(b->a, strlen(tn) + 1), *o = plain;   /* regtype has no modifiers: numeric(5,2) is numeric */
    for (int depth = 0; *tn; tn++) {
      if (*tn == '(') depth++;
      else if (*tn == ')') depth--;
      else if (depth == 0) *o++ = *tn;
    }
    *o = '\0';
    *out = oql_const_text(b, plain, pos);
    return ORB_OK;
  }
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
  /* one WHEN per index (or constraint) OID */
  oql_cat_index *all;
  int nall = oql_cat_indexes(b, &all), nw = 0;
  orb_expr **whens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nall + 1));
  orb_expr **thens = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nall + 1));
  orb_buf buf = ORB_BUF_INIT;
  orb_status st = ORB_OK;
  for (int j = 0; j < nall && st == ORB_OK; j++) {
    const oql_cat_index *ix = &all[j];
    oql_binder_dep(b, ix->t);
    if (!index) {
      if (!ix->con_oid) continue;
      whens[nw] = oql_const_int(b, ix->con_oid, true, pos);
      orb_buf_puts(&buf, ix->primary ? "PRIMARY KEY " : ix->nnd ? "UNIQUE NULLS NOT DISTINCT " : "UNIQUE ");
      key_list(&buf, ix, false);
      thens[nw++] = text_of(b, &buf, pos);
      continue;
    }
    whens[nw] = oql_const_int(b, ix->oid, true, pos);
    /* pretty printing leaves out the schema of a table the search path finds */
    orb_expr *defs[2];
    for (int pretty = 0; pretty < 2; pretty++) {
      oql_cat_indexdef(ix, pretty, &buf);
      defs[pretty] = text_of(b, &buf, pos);
    }
    orb_expr *full = defs[0];
    if (n == 3 && (st = oql_b_case(b, NULL, &args[2], &defs[1], 1, defs[0], pos, &full, e)) != ORB_OK) break;
    if (n < 2) {
      thens[nw++] = full;
      continue;
    }
    /* column k > 0: that key column's name; 0: the whole definition */
    int nk = ix->ncols;
    orb_expr **kw = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nk + 1));
    orb_expr **kt = orb_arena_alloc(b->a, sizeof(orb_expr *) * (size_t)(nk + 1));
    kw[0] = oql_const_int(b, 0, true, pos);
    kt[0] = full;
    for (int k = 0; k < nk; k++) {
      ident(&buf, ix->t->schema.cols[ix->cols[k]].name);
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
