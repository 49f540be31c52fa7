/* tools/orbitd/main.c — orbitd: serve an Orbit database over the PostgreSQL
** protocol.  Flags in PostgreSQL's manner (orbitd -D DBDIR -p PORT ...),
** settings also from DBDIR/orbitd.conf or --config FILE (config.h); flags
** win over the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "orbit.h"
#include "server/log.h"
#include "server/server.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: orbitd -D DBDIR [-p PORT] [--listen ADDR] [--max-connections N] [--users FILE]\n"
          "              [--auth scram|trust] [--tls-cert F --tls-key F] [--config FILE] [--log-level L]\n"
          "              [-c NAME=VALUE]...\n"
          "  -D DBDIR              database directory (created if missing)\n"
          "  -p PORT               TCP port (default 5432)\n"
          "  --listen ADDR         IPv4 address to listen on (default 127.0.0.1)\n"
          "  --max-connections N   refuse clients beyond N (default 100)\n"
          "  --users FILE          who may connect: lines name:password or name:SCRAM-SHA-256$... verifiers\n"
          "  --auth scram|trust    SCRAM-SHA-256 passwords (default: from --users and from roles made with\n"
          "                        CREATE ROLE name LOGIN PASSWORD '...') or trust (everyone gets in)\n"
          "  --tls-cert FILE, --tls-key FILE   PEM certificate chain and key: clients may use TLS (sslmode=require)\n"
          "  --config FILE         settings file (default DBDIR/orbitd.conf when it exists)\n"
          "  --log-level LEVEL     debug, info (default), warning, error\n"
          "  -c NAME=VALUE, --NAME=VALUE   a setting every session starts with (statement_timeout,\n"
          "                        idle_in_transaction_session_timeout, idle_session_timeout, ...)\n");
}

static int run(int argc, char **argv, pg_server_opts *op);

int main(int argc, char **argv) {
  pg_server_opts o = {NULL, "127.0.0.1", 5432, 100, (size_t)64 << 20, NULL, 0, NULL, NULL, NULL, 0};
  int rc = run(argc, argv, &o);
  orbitd_settings_free(&o);
  return rc;
}

/* Everything main does; *o's settings are freed by main whatever the outcome. */
static int run(int argc, char **argv, pg_server_opts *o) {
  int log_level = PG_LOG_INFO;
  /* first the database directory and the configuration file, then the flags over them */
  const char *conf = NULL;
  for (int i = 1; i + 1 < argc; i++) {
    if (strcmp(argv[i], "-D") == 0) o->db_path = argv[i + 1];
    if (strcmp(argv[i], "--config") == 0) conf = argv[i + 1];
  }
  char defconf[4096];
  if (!conf && o->db_path) {
    snprintf(defconf, sizeof defconf, "%s/orbitd.conf", o->db_path);
    if (access(defconf, R_OK) == 0) conf = defconf;
  }
  if (conf && !orbitd_config_load(conf, o, &log_level)) return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-D") == 0 && v) o->db_path = argv[++i];
    else if (strcmp(a, "-p") == 0 && v) o->port = atoi(argv[++i]);
    else if (strcmp(a, "--listen") == 0 && v) o->listen_addr = argv[++i];
    else if (strcmp(a, "--max-connections") == 0 && v) o->max_connections = atoi(argv[++i]);
    else if (strcmp(a, "--users") == 0 && v) o->users_file = argv[++i];
    else if (strcmp(a, "--tls-cert") == 0 && v) o->tls_cert = argv[++i];
    else if (strcmp(a, "--tls-key") == 0 && v) o->tls_key = argv[++i];
    else if (strcmp(a, "--config") == 0 && v) i++;   /* read above */
    else if ((strcmp(a, "-c") == 0 && v) || (strncmp(a, "--", 2) == 0 && strchr(a, '='))) {
      /* -c name=value or --name=value: a session setting, as postgres takes them */
      const char *nv = strcmp(a, "-c") == 0 ? argv[++i] : a + 2;
      const char *eq = strchr(nv, '=');
      if (!eq || eq == nv) {
        fprintf(stderr, "orbitd: -c expects name=value, not \"%s\"\n", nv);
        return 2;
      }
      char name[256];
      snprintf(name, sizeof name, "%.*s", (int)(eq - nv), nv);
      for (char *c = name; *c; c++)
        if (*c == '-') *c = '_';   /* --idle-session-timeout=1s, as postgres reads it */
      if (!orbitd_add_setting(o, name, eq + 1)) return 2;
    }
    else if (strcmp(a, "--log-level") == 0 && v) {
      if ((log_level = pg_log_level_parse(argv[++i])) < 0) {
        fprintf(stderr, "orbitd: unknown log level \"%s\" (debug, info, warning, error)\n", argv[i]);
        return 2;
      }
    } else if (strcmp(a, "--auth") == 0 && v) {
      i++;
      if (strcmp(argv[i], "trust") == 0) o->trust = 1;
      else if (strcmp(argv[i], "scram") == 0 || strcmp(argv[i], "scram-sha-256") == 0) o->trust = 0;
      else {
        fprintf(stderr, "orbitd: unknown --auth method \"%s\" (scram or trust)\n", argv[i]);
        return 2;
      }
    } else if (strcmp(a, "--version") == 0) {
      printf("orbitd %s\n", orbit_version());
      return 0;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "orbitd: unknown or incomplete option \"%s\"\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (!o->db_path) {
    fprintf(stderr, "orbitd: no database directory given (-D DBDIR)\n");
    usage(stderr);
    return 2;
  }
  /* passwords are the default; without a users file the database's roles
  ** must hold one (pg_server_run refuses to start otherwise) */
  if (o->port <= 0 || o->port > 65535 || o->max_connections <= 0) {
    fprintf(stderr, "orbitd: invalid port or connection limit\n");
    return 2;
  }
  pg_log_set_level((pg_log_level)log_level);
  return pg_server_run(o);
}
