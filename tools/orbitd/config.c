/* tools/orbitd/config.c — reading orbitd.conf (see config.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/log.h"

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
  return s;
}

/* A path in the file is relative to the file's directory. */
static char *resolve(const char *conf, const char *v) {
  if (v[0] == '/') return strdup(v);
  const char *slash = strrchr(conf, '/');
  if (!slash) return strdup(v);
  size_t d = (size_t)(slash - conf) + 1;
  char *p = malloc(d + strlen(v) + 1);
  if (!p) return NULL;
  memcpy(p, conf, d);
  strcpy(p + d, v);
  return p;
}

static bool int_value(const char *v, int lo, int hi, int *out) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (*v == '\0' || *end || errno || n < lo || n > hi) return false;
  *out = (int)n;
  return true;
}

bool orbitd_add_setting(pg_server_opts *o, const char *name, const char *value) {
  const char **grown = realloc(o->settings, sizeof *grown * 2 * (size_t)(o->nsettings + 1));
  if (!grown) return false;
  o->settings = grown;
  char *n = strdup(name), *v = strdup(value);
  if (!n || !v) {
    free(n);
    free(v);
    return false;
  }
  o->settings[2 * o->nsettings] = n;
  o->settings[2 * o->nsettings + 1] = v;
  o->nsettings++;
  return true;
}

void orbitd_settings_free(pg_server_opts *o) {
  for (int i = 0; i < 2 * o->nsettings; i++) free((char *)o->settings[i]);
  free(o->settings);
  o->settings = NULL;
  o->nsettings = 0;
}

bool orbitd_config_load(const char *path, pg_server_opts *o, int *log_level) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "orbitd: cannot read configuration file \"%s\": %s\n", path, strerror(errno));
    return false;
  }
  char line[4096];
  int lineno = 0;
  bool ok = true;
  while (ok && fgets(line, sizeof line, f)) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *s = trim(line);
    if (!*s) continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      fprintf(stderr, "orbitd: %s:%d: expected name = value\n", path, lineno);
      ok = false;
      break;
    }
    *eq = '\0';
    char *name = trim(s), *v = trim(eq + 1);
    size_t vl = strlen(v);
    if (vl >= 2 && v[0] == '\'' && v[vl - 1] == '\'') {
      v[vl - 1] = '\0';
      v++;
    }
    if (strcmp(name, "port") == 0) ok = int_value(v, 1, 65535, &o->port);
    else if (strcmp(name, "max_connections") == 0) ok = int_value(v, 1, 1000000, &o->max_connections);
    else if (strcmp(name, "listen_addresses") == 0) ok = (o->listen_addr = strdup(v)) != NULL;
    else if (strcmp(name, "users_file") == 0) ok = (o->users_file = resolve(path, v)) != NULL;
    else if (strcmp(name, "ssl_cert_file") == 0) ok = (o->tls_cert = resolve(path, v)) != NULL;
    else if (strcmp(name, "ssl_key_file") == 0) ok = (o->tls_key = resolve(path, v)) != NULL;
    else if (strcmp(name, "auth_method") == 0) {
      ok = strcmp(v, "trust") == 0 || strcmp(v, "scram") == 0 || strcmp(v, "scram-sha-256") == 0;
      o->trust = strcmp(v, "trust") == 0;
    } else if (strcmp(name, "log_level") == 0) {
      *log_level = pg_log_level_parse(v);
      ok = *log_level >= 0;
    } else {   /* a session setting: checked when the server starts */
      ok = orbitd_add_setting(o, name, v);
    }
    if (!ok) fprintf(stderr, "orbitd: %s:%d: invalid value for parameter \"%s\": \"%s\"\n", path, lineno, name, v);
  }
  fclose(f);
  return ok;
}
