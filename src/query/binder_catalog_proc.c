/* query/binder_catalog_proc.c — the pg_catalog tables about functions and
** languages psql's \df reads: pg_proc (the builtin functions, one row per
** signature, made from the function registry: expr/func_pg_proc.c) and
** pg_language (internal, c, sql, as PostgreSQL numbers them; every Orbit
** function is internal).  Framework: binder_catalog.c. */
#include "query/binder_int.h"

#include <string.h>

#include "expr/pg_catalog.h"

#define NS_CATALOG 11
#define OWNER_OID 10
#define LANG_INTERNAL 12

static const oql_cat_col proc_cols[] = {
    {"oid", 'o'},           {"proname", 't'},        {"pronamespace", 'o'},   {"proowner", 'o'},
    {"prolang", 'o'},       {"procost", 'f'},        {"prorows", 'f'},        {"provariadic", 'o'},
    {"prosupport", 'o'},    {"prokind", 'c'},        {"prosecdef", 'b'},      {"proleakproof", 'b'},
    {"proisstrict", 'b'},   {"proretset", 'b'},      {"provolatile", 'c'},    {"proparallel", 'c'},
    {"pronargs", 's'},      {"pronargdefaults", 's'}, {"prorettype", 'o'},    {"proargtypes", 'O'},
    {"proallargtypes", 'O'}, {"proargmodes", 'T'},   {"proargnames", 'T'},    {"proargdefaults", 't'},
    {"protrftypes", 'O'},   {"prosrc", 't'},         {"probin", 't'},         {"prosqlbody", 't'},
    {"proconfig", 'T'},     {"proacl", 'T'}};

static void proc_rows(oql_cat_rows *r) {
  int n;
  const orb_pg_proc *procs = orb_pg_procs(&n);
  for (int i = 0; i < n; i++) {
    const orb_pg_proc *p = &procs[i];
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", p->oid);
    oql_cat_text(r, row, "proname", p->name);
    oql_cat_int(r, row, "pronamespace", NS_CATALOG);
    oql_cat_int(r, row, "proowner", OWNER_OID);
    oql_cat_int(r, row, "prolang", LANG_INTERNAL);
    row[oql_cat_colpos(r, "procost")] = orb_float(ORB_T_FLOAT32, 1);
    row[oql_cat_colpos(r, "prorows")] = orb_float(ORB_T_FLOAT32, 0);
    oql_cat_int(r, row, "provariadic", p->variadic ? p->argtypes[p->nargs - 1] : 0);
    oql_cat_int(r, row, "prosupport", 0);
    oql_cat_text(r, row, "prokind", "f");
    oql_cat_bool(r, row, "prosecdef", false);
    oql_cat_bool(r, row, "proleakproof", false);
    oql_cat_bool(r, row, "proisstrict", p->strict);
    oql_cat_bool(r, row, "proretset", false);
    oql_cat_text(r, row, "provolatile", (char[]){p->volatility, 0});
    oql_cat_text(r, row, "proparallel", "s");
    oql_cat_int(r, row, "pronargs", p->nargs);
    oql_cat_int(r, row, "pronargdefaults", 0);
    oql_cat_int(r, row, "prorettype", p->rettype);
    oql_cat_vector(r, row, "proargtypes", ORB_T_INT64, p->argtypes, p->nargs);
    oql_cat_text(r, row, "prosrc", p->name);
  }
}

static const oql_cat_col language_cols[] = {{"oid", 'o'},         {"lanname", 't'},      {"lanowner", 'o'},
                                            {"lanispl", 'b'},     {"lanpltrusted", 'b'}, {"lanplcallfoid", 'o'},
                                            {"laninline", 'o'},   {"lanvalidator", 'o'}, {"lanacl", 'T'}};
static void language_rows(oql_cat_rows *r) {
  static const struct { int64_t oid; const char *name; bool trusted; } langs[] = {
      {LANG_INTERNAL, "internal", false}, {13, "c", false}, {14, "sql", true}};
  for (int i = 0; i < 3; i++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_int(r, row, "oid", langs[i].oid);
    oql_cat_text(r, row, "lanname", langs[i].name);
    oql_cat_int(r, row, "lanowner", OWNER_OID);
    oql_cat_bool(r, row, "lanispl", false);
    oql_cat_bool(r, row, "lanpltrusted", langs[i].trusted);
    oql_cat_int(r, row, "lanplcallfoid", 0);
    oql_cat_int(r, row, "laninline", 0);
    oql_cat_int(r, row, "lanvalidator", 0);
  }
}

bool oql_catalog_proc_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r)) {
  if (strcmp(name, "pg_proc") == 0) {
    *cols = proc_cols;
    *ncols = (int)(sizeof proc_cols / sizeof proc_cols[0]);
    *rows = proc_rows;
    return true;
  }
  if (strcmp(name, "pg_language") == 0) {
    *cols = language_cols;
    *ncols = (int)(sizeof language_cols / sizeof language_cols[0]);
    *rows = language_rows;
    return true;
  }
  return false;
}
