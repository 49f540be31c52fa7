/* query/binder_catalog_settings.c — pg_settings: one row per setting the
** session knows (session_settings.c), with PostgreSQL's columns, so that
** psql's \dconfig and drivers' start-up queries work.  Like the other
** catalogs its rows are made at bind time; a statement that read them is
** bound again when a setting changes (oql_binder.uses_settings), so a
** prepared statement never shows old values.  Custom settings (names with
** a dot) are not listed, as PostgreSQL lists no placeholders. */
#include "query/binder_int.h"
#include "query/session_int.h"

#include <string.h>

#include "types/array.h"

static const oql_cat_col settings_cols[] = {
    {"name", 't'},       {"setting", 't'},  {"unit", 't'},     {"category", 't'},  {"short_desc", 't'},
    {"extra_desc", 't'}, {"context", 't'},  {"vartype", 't'},  {"source", 't'},    {"min_val", 't'},
    {"max_val", 't'},    {"enumvals", 'T'}, {"boot_val", 't'}, {"reset_val", 't'}, {"sourcefile", 't'},
    {"sourceline", 'i'}, {"pending_restart", 'b'}};

static void settings_rows(oql_cat_rows *r) {
  oql_binder *b = r->b;
  if (!b->sess) return;
  b->uses_settings = true;
  oql_setting_info in;
  int enumvals = oql_cat_colpos(r, "enumvals");
  for (int i = 0; oql_setting_info_at(b->sess, i, &in); i++) {
    orb_value *row = oql_cat_row(r);
    oql_cat_text(r, row, "name", in.name);
    oql_cat_text(r, row, "setting", in.setting);
    oql_cat_text(r, row, "unit", in.unit);
    oql_cat_text(r, row, "category", in.category);
    oql_cat_text(r, row, "short_desc", in.short_desc);
    oql_cat_text(r, row, "context", in.context);
    oql_cat_text(r, row, "vartype", in.vartype);
    oql_cat_text(r, row, "source", in.source);
    oql_cat_text(r, row, "min_val", in.min_val);
    oql_cat_text(r, row, "max_val", in.max_val);
    oql_cat_text(r, row, "boot_val", in.boot_val);
    oql_cat_text(r, row, "reset_val", in.reset_val);
    oql_cat_bool(r, row, "pending_restart", false);
    orb_err e;
    if (in.enumvals && orb_array_from_text(in.enumvals, strlen(in.enumvals), orb_type_array(ORB_T_TEXT), b->a,
                                           &row[enumvals], &e) != ORB_OK)
      row[enumvals] = orb_null(ORB_T_NULL);
  }
}

bool oql_catalog_settings_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r)) {
  if (strcmp(name, "pg_settings") != 0) return false;
  *cols = settings_cols;
  *ncols = (int)(sizeof settings_cols / sizeof settings_cols[0]);
  *rows = settings_rows;
  return true;
}
