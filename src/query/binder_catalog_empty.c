/* query/binder_catalog_empty.c — pg_catalog tables of features Orbit does
** not have (extensions, event triggers, conversions, casts and operators as
** catalog rows, subscriptions, foreign data, text search, default ACLs,
** per-role settings, operator classes and families, large objects): no
** rows, PostgreSQL 15's columns, so that psql's \dx, \dy, \dc, \dC, \do,
** \dRs, \des, \dew, \deu, \det, \dF*, \ddp, \drds, \dA*, \dl run and
** list nothing of one's own.  Framework: binder_catalog.c. */
#include "query/binder_int.h"

#include <string.h>

static const oql_cat_col extension_cols[] = {{"oid", 'o'}, {"extname", 't'}, {"extowner", 'o'}, {"extnamespace", 'o'},
    {"extrelocatable", 'b'}, {"extversion", 't'}, {"extconfig", 'O'}, {"extcondition", 'T'}};
static const oql_cat_col event_trigger_cols[] = {{"oid", 'o'}, {"evtname", 't'}, {"evtevent", 't'}, {"evtowner", 'o'},
    {"evtfoid", 'o'}, {"evtenabled", 'c'}, {"evttags", 'T'}};
static const oql_cat_col conversion_cols[] = {{"oid", 'o'}, {"conname", 't'}, {"connamespace", 'o'},
    {"conowner", 'o'}, {"conforencoding", 'i'}, {"contoencoding", 'i'}, {"conproc", 'o'}, {"condefault", 'b'}};
static const oql_cat_col cast_cols[] = {{"oid", 'o'}, {"castsource", 'o'}, {"casttarget", 'o'}, {"castfunc", 'o'},
    {"castcontext", 'c'}, {"castmethod", 'c'}};
static const oql_cat_col operator_cols[] = {{"oid", 'o'}, {"oprname", 't'}, {"oprnamespace", 'o'}, {"oprowner", 'o'},
    {"oprkind", 'c'}, {"oprcanmerge", 'b'}, {"oprcanhash", 'b'}, {"oprleft", 'o'}, {"oprright", 'o'},
    {"oprresult", 'o'}, {"oprcom", 'o'}, {"oprnegate", 'o'}, {"oprcode", 'o'}, {"oprrest", 'o'}, {"oprjoin", 'o'}};
static const oql_cat_col subscription_cols[] = {{"oid", 'o'}, {"subdbid", 'o'}, {"subskiplsn", 't'}, {"subname", 't'},
    {"subowner", 'o'}, {"subenabled", 'b'}, {"subbinary", 'b'}, {"substream", 'b'}, {"subtwophasestate", 'c'},
    {"subdisableonerr", 'b'}, {"subconninfo", 't'}, {"subslotname", 't'}, {"subsynccommit", 't'},
    {"subpublications", 'T'}};
static const oql_cat_col foreign_server_cols[] = {{"oid", 'o'}, {"srvname", 't'}, {"srvowner", 'o'}, {"srvfdw", 'o'},
    {"srvtype", 't'}, {"srvversion", 't'}, {"srvacl", 'T'}, {"srvoptions", 'T'}};
static const oql_cat_col foreign_data_wrapper_cols[] = {{"oid", 'o'}, {"fdwname", 't'}, {"fdwowner", 'o'},
    {"fdwhandler", 'o'}, {"fdwvalidator", 'o'}, {"fdwacl", 'T'}, {"fdwoptions", 'T'}};
static const oql_cat_col user_mappings_cols[] = {{"umid", 'o'}, {"srvid", 'o'}, {"srvname", 't'}, {"umuser", 'o'},
    {"usename", 't'}, {"umoptions", 'T'}};
static const oql_cat_col foreign_table_cols[] = {{"ftrelid", 'o'}, {"ftserver", 'o'}, {"ftoptions", 'T'}};
static const oql_cat_col ts_config_cols[] = {{"oid", 'o'}, {"cfgname", 't'}, {"cfgnamespace", 'o'}, {"cfgowner", 'o'},
    {"cfgparser", 'o'}};
static const oql_cat_col ts_dict_cols[] = {{"oid", 'o'}, {"dictname", 't'}, {"dictnamespace", 'o'},
    {"dictowner", 'o'}, {"dicttemplate", 'o'}, {"dictinitoption", 't'}};
static const oql_cat_col ts_parser_cols[] = {{"oid", 'o'}, {"prsname", 't'}, {"prsnamespace", 'o'}, {"prsstart", 'o'},
    {"prstoken", 'o'}, {"prsend", 'o'}, {"prsheadline", 'o'}, {"prslextype", 'o'}};
static const oql_cat_col ts_template_cols[] = {{"oid", 'o'}, {"tmplname", 't'}, {"tmplnamespace", 'o'},
    {"tmplinit", 'o'}, {"tmpllexize", 'o'}};
static const oql_cat_col default_acl_cols[] = {{"oid", 'o'}, {"defaclrole", 'o'}, {"defaclnamespace", 'o'},
    {"defaclobjtype", 'c'}, {"defaclacl", 'T'}};
static const oql_cat_col db_role_setting_cols[] = {{"setdatabase", 'o'}, {"setrole", 'o'}, {"setconfig", 'T'}};
static const oql_cat_col opclass_cols[] = {{"oid", 'o'}, {"opcmethod", 'o'}, {"opcname", 't'}, {"opcnamespace", 'o'},
    {"opcowner", 'o'}, {"opcfamily", 'o'}, {"opcintype", 'o'}, {"opcdefault", 'b'}, {"opckeytype", 'o'}};
static const oql_cat_col opfamily_cols[] = {{"oid", 'o'}, {"opfmethod", 'o'}, {"opfname", 't'}, {"opfnamespace", 'o'},
    {"opfowner", 'o'}};
static const oql_cat_col amop_cols[] = {{"oid", 'o'}, {"amopfamily", 'o'}, {"amoplefttype", 'o'},
    {"amoprighttype", 'o'}, {"amopstrategy", 's'}, {"amoppurpose", 'c'}, {"amopopr", 'o'}, {"amopmethod", 'o'},
    {"amopsortfamily", 'o'}};
static const oql_cat_col amproc_cols[] = {{"oid", 'o'}, {"amprocfamily", 'o'}, {"amproclefttype", 'o'},
    {"amprocrighttype", 'o'}, {"amprocnum", 's'}, {"amproc", 'o'}};
static const oql_cat_col largeobject_metadata_cols[] = {{"oid", 'o'}, {"lomowner", 'o'}, {"lomacl", 'T'}};
static const oql_cat_col parameter_acl_cols[] = {{"oid", 'o'}, {"parname", 't'}, {"paracl", 'T'}};

#define COLS(name) name, (int)(sizeof name / sizeof name[0])

static const struct {
  const char *name;
  const oql_cat_col *cols;
  int ncols;
} empty[] = {
    {"pg_extension", COLS(extension_cols)},
    {"pg_event_trigger", COLS(event_trigger_cols)},
    {"pg_conversion", COLS(conversion_cols)},
    {"pg_cast", COLS(cast_cols)},
    {"pg_operator", COLS(operator_cols)},
    {"pg_subscription", COLS(subscription_cols)},
    {"pg_foreign_server", COLS(foreign_server_cols)},
    {"pg_foreign_data_wrapper", COLS(foreign_data_wrapper_cols)},
    {"pg_user_mappings", COLS(user_mappings_cols)},
    {"pg_foreign_table", COLS(foreign_table_cols)},
    {"pg_ts_config", COLS(ts_config_cols)},
    {"pg_ts_dict", COLS(ts_dict_cols)},
    {"pg_ts_parser", COLS(ts_parser_cols)},
    {"pg_ts_template", COLS(ts_template_cols)},
    {"pg_default_acl", COLS(default_acl_cols)},
    {"pg_db_role_setting", COLS(db_role_setting_cols)},
    {"pg_opclass", COLS(opclass_cols)},
    {"pg_opfamily", COLS(opfamily_cols)},
    {"pg_amop", COLS(amop_cols)},
    {"pg_amproc", COLS(amproc_cols)},
    {"pg_largeobject_metadata", COLS(largeobject_metadata_cols)},
    {"pg_parameter_acl", COLS(parameter_acl_cols)},   /* no GRANT on settings */
};

bool oql_catalog_empty_def(const char *name, const oql_cat_col **cols, int *ncols, void (**rows)(oql_cat_rows *r)) {
  for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
    if (strcmp(empty[i].name, name) == 0) {
      *cols = empty[i].cols;
      *ncols = empty[i].ncols;
      *rows = NULL;
      return true;
    }
  return false;
}
