/*
** server/server.h — the network side of orbitd: a TCP listener serving
** PostgreSQL protocol sessions (pgwire.h).  One thread runs an epoll event
** loop over every connection; a connection with bytes to read goes to the
** worker pool (pool.h), sized to the cores, which runs its statements.  An
** idle connection costs its session's memory and no thread.
*/
#ifndef ORB_SERVER_SERVER_H
#define ORB_SERVER_SERVER_H

#include <stddef.h>

typedef struct pg_server_opts {
  const char *db_path;       /* -D */
  const char *listen_addr;   /* --listen, default 127.0.0.1 */
  int port;                  /* -p, default 5432 */
  int max_connections;       /* default 100 */
  size_t max_message;        /* default 64 MiB */
  const char *users_file;    /* --users: SCRAM-SHA-256 users (scram.h); NULL with trust = true */
  int trust;                 /* --auth trust: no passwords */
  const char *tls_cert;      /* --tls-cert / --tls-key: PEM files; TLS offered when both are given */
  const char *tls_key;
  /* session settings every session starts with (the configuration file's
  ** and -c name=value's: statement_timeout, idle_session_timeout...):
  ** settings[2i] is a name, settings[2i+1] its value.  The client's own
  ** (startup packet, PGOPTIONS) come after them and win. */
  const char **settings;
  int nsettings;
} pg_server_opts;

/* Listen and serve until SIGINT/SIGTERM; returns a process exit status.
** Errors (cannot bind, cannot open the database, a setting that is unknown
** or has a bad value: exit status 2) are printed to stderr. */
int pg_server_run(const pg_server_opts *o);

#endif
