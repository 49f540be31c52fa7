/*
** tools/orbit/main.c — command line of the `orbit` shell.
**
**   orbit [DBDIR]                    interactive (DBDIR defaults to ./orbit.db)
**   orbit DBDIR -c "SQL" [-c ...]    run statements, exit 1 on the first error
**   orbit DBDIR -f script.sql        run a script file, exit 1 on the first error
**   orbit DBDIR < script.sql         statements from standard input
**   --csv                            results as CSV with a header line (NULL = empty field)
**   -q                               quiet: no command tags
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: orbit [OPTIONS] [DBDIR]\n"
          "  DBDIR            database directory (created if missing; default ./orbit.db)\n"
          "  -c SQL           run SQL (may repeat) and exit\n"
          "  -f FILE          run the statements in FILE and exit\n"
          "  --csv            print results as CSV (RFC 4180, header line, NULL as empty field)\n"
          "  -q, --quiet      do not print command tags\n"
          "  --version        print the version and exit\n"
          "Statements are also read from standard input when it is not a terminal.\n");
}

static char *read_stream(FILE *f) {
  size_t cap = 65536, len = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  size_t n;
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len - 1 == 0) {
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) { free(buf); return NULL; }
      buf = nb;
    }
  }
  buf[len] = '\0';
  return buf;
}

int main(int argc, char **argv) {
  shell sh;
  memset(&sh, 0, sizeof sh);
  sh.out = stdout;
  snprintf(sh.null_display, sizeof sh.null_display, "NULL");
  const char **commands = calloc((size_t)argc, sizeof(char *));
  int ncommands = 0;
  const char *file = NULL;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-c") == 0 && i + 1 < argc) commands[ncommands++] = argv[++i];
    else if (strcmp(a, "-f") == 0 && i + 1 < argc) file = argv[++i];
    else if (strcmp(a, "--csv") == 0) sh.format = FORMAT_CSV;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) sh.quiet = true;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
    else if (strcmp(a, "--version") == 0) { printf("orbit %s\n", orbit_version()); return 0; }
    else if (a[0] == '-' && a[1]) { fprintf(stderr, "orbit: unknown option %s\n", a); usage(stderr); return 2; }
    else if (!sh.dbpath) sh.dbpath = a;
    else { fprintf(stderr, "orbit: more than one database directory given\n"); return 2; }
  }
  if (!sh.dbpath) sh.dbpath = "orbit.db";

  if (orbit_open(sh.dbpath, NULL, &sh.db) != ORBIT_OK) {
    fprintf(stderr, "orbit: cannot open database \"%s\": %s\n", sh.dbpath,
            sh.db ? orbit_errmsg(sh.db) : "out of memory");
    if (sh.db) orbit_close(sh.db);
    return 1;
  }

  /* -c and --csv feed pipelines: no progress lines there */
  shell_progress_init(&sh, ncommands == 0 && sh.format != FORMAT_CSV);
  int rc = 0;
  if (ncommands > 0 || file) {
    sh.copy_source = COPY_FROM_STDIN;   /* psql -c "COPY t FROM STDIN" reads standard input */
    for (int i = 0; i < ncommands && rc == 0; i++) rc = shell_run_script(&sh, commands[i], true);
    sh.copy_source = COPY_FROM_SCRIPT;
    if (file && rc == 0) {
      FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
      if (!f) {
        fprintf(stderr, "orbit: cannot open %s: %s\n", file, strerror(errno));
        rc = 1;
      } else {
        char *script = read_stream(f);
        if (f != stdin) fclose(f);
        rc = script ? shell_run_script(&sh, script, true) : 1;
        free(script);
      }
    }
  } else if (!isatty(STDIN_FILENO)) {
    char *script = read_stream(stdin);
    rc = script ? shell_run_script(&sh, script, true) : 1;
    free(script);
  } else {
    sh.interactive = true;
    sh.copy_source = COPY_FROM_TERMINAL;
    rc = shell_repl(&sh);
  }
  free(commands);
  if (orbit_close(sh.db) != ORBIT_OK && rc == 0) rc = 1;
  return rc;
}
