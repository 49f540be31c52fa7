/*
** tools/orbit/repl.c — the interactive loop: libedit line editing and
** history (~/.orbit_history), multi-line statements (a statement runs when
** the input ends with ';' outside quotes and comments), meta commands.
*/
#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

static char history_path[4096];

static void append(char **buf, size_t *len, const char *line) {
  size_t n = strlen(line);
  *buf = realloc(*buf, *len + n + 2);
  if (*len) (*buf)[(*len)++] = '\n';
  memcpy(*buf + *len, line, n + 1);
  *len += n;
}

int shell_repl(shell *sh) {
  const char *home = getenv("HOME");
  if (home) {
    snprintf(history_path, sizeof history_path, "%s/.orbit_history", home);
    read_history(history_path);
  }
  printf("orbit %s — database \"%s\". Type \\? for help, \\q to quit.\n", orbit_version(), sh->dbpath);
  char *buf = NULL;
  size_t len = 0;
  for (;;) {
    char *line = readline(len ? "...> " : "orbit> ");
    if (!line) {  /* EOF (Ctrl-D) */
      putchar('\n');
      break;
    }
    const char *t = line;
    while (*t == ' ' || *t == '\t') t++;
    if (len == 0 && (*t == '\\' || (*t == '.' && t[1] >= 'a' && t[1] <= 'z'))) {
      add_history(line);
      int quit = shell_meta_command(sh, t);
      free(line);
      if (quit) break;
      continue;
    }
    if (len == 0 && *t == '\0') {
      free(line);
      continue;
    }
    append(&buf, &len, line);
    free(line);
    if (orbit_complete(buf)) {
      add_history(buf);
      shell_run_script(sh, buf, false);
      len = 0;
      buf[0] = '\0';
    }
  }
  free(buf);
  if (home) write_history(history_path);
  return 0;
}
