/*
** tools/orbitd/config.h — orbitd's settings from a configuration file, in
** postgresql.conf's manner: `name = value` lines, values optionally in
** single quotes, `#` starts a comment.  Command-line flags win over the file.
**
**   port = 5433
**   listen_addresses = '127.0.0.1'
**   max_connections = 200
**   auth_method = scram            # or trust
**   users_file = 'users'           # relative paths: to the file's directory
**   ssl_cert_file = 'server.crt'
**   ssl_key_file = 'server.key'
**   log_level = info               # debug, info, warning, error
**   idle_in_transaction_session_timeout = '10s'
**
** Any other name is a session setting every session starts with
** (statement_timeout, idle_session_timeout, lock_timeout, ...): orbitd
** refuses to start when one is unknown or its value is bad.
*/
#ifndef ORBITD_CONFIG_H
#define ORBITD_CONFIG_H

#include <stdbool.h>

#include "server/server.h"

/* Apply the file's settings to *o (and *log_level).  Strings are kept for
** the life of the process.  Errors are printed (file, line) and return false. */
bool orbitd_config_load(const char *path, pg_server_opts *o, int *log_level);
/* Add a session setting to o->settings (copies of name and value, kept for
** the life of the process); false when out of memory. */
bool orbitd_add_setting(pg_server_opts *o, const char *name, const char *value);
/* Free what orbitd_add_setting kept. */
void orbitd_settings_free(pg_server_opts *o);

#endif
