/* query/session_roles.c — roles: CREATE ROLE/USER, ALTER ROLE, DROP ROLE.
**
** A role is a row of the system table pg_authid (rolname, rolcanlogin,
** rolpassword), so roles are logged, recovered and transactional like any
** row; users' statements cannot name that table (binder.h).  Passwords are
** kept only as SCRAM-SHA-256 verifiers (base/scram_secret.h), which orbitd
** checks logins against (oql_role_secret).  Role attributes Orbit has no use
** for (SUPERUSER, CREATEDB, ...) are accepted and ignored.
**
** Objects have no owners in Orbit (pg_class shows every relation owned by
** "orbit"): ALTER TABLE/VIEW/SEQUENCE ... OWNER TO role, which every pg_dump
** script holds, checks that the role exists and changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/scram_secret.h"
#include "query/session_int.h"

/* Run one internal statement with text parameters (NULL = SQL NULL). */
static orb_status run(oql_session *s, const char *sql, const char *const *params, int n, int64_t *changes,
                      char **first_value, orb_err *e) {
  oql_stmt *st;
  orb_status rc = oql_prepare_system(s, sql, &st, e);
  if (rc != ORB_OK) return rc;
  for (int i = 0; i < n && rc == ORB_OK; i++) {
    if (params[i]) rc = oql_bind_text(st, i, params[i], strlen(params[i]), e);
    else {
      orb_value v = orb_null(ORB_T_NULL);
      rc = oql_bind_value(st, i, &v, e);
    }
  }
  bool row = false;
  if (rc == ORB_OK) rc = oql_step(st, &row, e);
  if (rc == ORB_OK && row && first_value) {
    const orb_value *v = oql_column(st, 0);
    *first_value = v->isnull ? NULL : orb_strndup(v->u.s, v->len);
  }
  while (rc == ORB_OK && row) rc = oql_step(st, &row, e);
  if (changes) *changes = oql_changes(st);
  oql_finalize(st);
  return rc;
}

static const char *const create_table =
    "CREATE TABLE IF NOT EXISTS " OQL_ROLES_TABLE " (rolname TEXT PRIMARY KEY, rolcanlogin BOOLEAN NOT NULL, rolpassword TEXT)";

static orb_status no_such_role(const char *name, orb_err *e) {
  return orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0, "role \"%s\" does not exist", name);
}

orb_status oql_run_role(oql_session *s, const oql_bstmt *b, char *tag, size_t tagcap, orb_err *e) {
  orb_status rc;
  int64_t changes = 0;
  char *verifier = NULL;
  if (b->role_password && b->value && !(verifier = orb_scram_verifier(b->value)))
    return orb_err_set(e, ORB_ERR_INTERNAL, "cannot make a SCRAM-SHA-256 verifier (no random bytes)");
  switch (b->kind) {
  case OQL_S_CREATE_ROLE: {
    snprintf(tag, tagcap, "CREATE ROLE");
    if ((rc = run(s, create_table, NULL, 0, NULL, NULL, e)) != ORB_OK) break;
    const char *params[] = {b->setting, b->role_login == 1 ? "true" : "false", verifier};
    rc = run(s, "INSERT INTO " OQL_ROLES_TABLE " VALUES ($1, $2::boolean, $3)", params, 3, NULL, NULL, e);
    if (rc == ORB_ERR_UNIQUE) rc = orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", 0, "role \"%s\" already exists", b->setting);
    break;
  }
  case OQL_S_ALTER_ROLE: {
    snprintf(tag, tagcap, "ALTER ROLE");
    if ((rc = run(s, create_table, NULL, 0, NULL, NULL, e)) != ORB_OK) break;
    const char *params[] = {b->setting, b->role_login < 0 ? NULL : b->role_login ? "true" : "false", verifier,
                            b->role_password ? "true" : "false"};
    rc = run(s,
             "UPDATE " OQL_ROLES_TABLE " SET rolcanlogin = COALESCE($2::boolean, rolcanlogin), "
             "rolpassword = CASE WHEN $4::boolean THEN $3 ELSE rolpassword END WHERE rolname = $1",
             params, 4, &changes, NULL, e);
    if (rc == ORB_OK && changes == 0) rc = no_such_role(b->setting, e);
    break;
  }
  default:   /* DROP ROLE [IF EXISTS] a, b */
    snprintf(tag, tagcap, "DROP ROLE");
    if ((rc = run(s, create_table, NULL, 0, NULL, NULL, e)) != ORB_OK) break;
    for (int i = 0; i < b->ndrop && rc == ORB_OK; i++) {
      const char *params[] = {b->drop_names[i]};
      rc = run(s, "DELETE FROM " OQL_ROLES_TABLE " WHERE rolname = $1", params, 1, &changes, NULL, e);
      if (rc == ORB_OK && changes == 0 && !b->if_exists) rc = no_such_role(b->drop_names[i], e);
    }
    break;
  }
  orb_free(verifier);
  return rc;
}

orb_status oql_alter_owner(oql_session *s, const oql_bstmt *b, char *tag, size_t tagcap, orb_err *e) {
  snprintf(tag, tagcap, "ALTER TABLE");
  const char *role = b->new_name;
  if (strcmp(role, "current_user") == 0 || strcmp(role, "session_user") == 0 || strcmp(role, "current_role") == 0 ||
      strcmp(role, "orbit") == 0 || strcmp(role, oql_setting(s, OQL_SET_SESSION_AUTHORIZATION)) == 0)
    return ORB_OK;
  char *found = NULL;
  const char *params[] = {role};
  orb_status rc = ORB_OK;
  if (orb_db_table(oql_session_db(s), OQL_ROLES_TABLE))
    rc = run(s, "SELECT rolname FROM " OQL_ROLES_TABLE " WHERE rolname = $1", params, 1, NULL, &found, e);
  bool exists = found != NULL;
  orb_free(found);
  if (rc != ORB_OK) return rc;
  return exists ? ORB_OK : no_such_role(role, e);
}

char *oql_role_secret(oql_session *s, const char *role) {
  orb_err e;
  orb_err_clear(&e);
  if (!orb_db_table(oql_session_db(s), OQL_ROLES_TABLE)) return NULL;
  char *v = NULL;
  const char *params[] = {role};
  if (run(s, "SELECT rolpassword FROM " OQL_ROLES_TABLE " WHERE rolname = $1 AND rolcanlogin", params, 1, NULL, &v,
          &e) != ORB_OK) {
    orb_free(v);
    return NULL;
  }
  return v;
}

int64_t oql_login_roles(oql_session *s) {
  orb_err e;
  orb_err_clear(&e);
  if (!orb_db_table(oql_session_db(s), OQL_ROLES_TABLE)) return 0;
  char *v = NULL;
  int64_t n = 0;
  if (run(s, "SELECT count(*)::text FROM " OQL_ROLES_TABLE " WHERE rolcanlogin AND rolpassword IS NOT NULL", NULL, 0,
          NULL, &v, &e) == ORB_OK && v)
    n = strtoll(v, NULL, 10);
  orb_free(v);
  return n;
}
