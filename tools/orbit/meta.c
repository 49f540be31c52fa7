/*
** tools/orbit/meta.c — backslash and dot commands.
**
**   \q  .quit          quit
**   \timing [on|off]   print the time each statement takes
**   \d                 list tables           \d NAME   describe a table
**   \pset format aligned|csv, \pset null TEXT
**   .mode csv|aligned|table
**   \restrict KEY      refuse every other backslash command until
**   \unrestrict KEY    \unrestrict with the same key (what pg_dump's
**                      output opens and closes with, so that data in a
**                      dump cannot smuggle in commands)
**   \?  .help          this list
*/
#include <string.h>
#include <strings.h>

#include "shell.h"

static void help(shell *sh) {
  fprintf(sh->out,
          "  \\q                   quit\n"
          "  \\d                   list tables\n"
          "  \\d NAME              describe table NAME\n"
          "  \\timing [on|off]     show how long each statement takes\n"
          "  \\pset format aligned|csv   result format (also .mode csv|aligned)\n"
          "  \\pset null TEXT      how NULL is shown in aligned output (default NULL)\n"
          "  \\?                   this help\n"
          "Statements end with ';' and may span lines.\n");
}

/* Split "cmd arg1 arg2" into words (in place). */
static int words(char *s, char **w, int max) {
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(s, " \t\r\n", &save); t && n < max; t = strtok_r(NULL, " \t\r\n", &save)) w[n++] = t;
  return n;
}

static bool set_format(shell *sh, const char *f) {
  if (strcasecmp(f, "csv") == 0) sh->format = FORMAT_CSV;
  else if (strcasecmp(f, "aligned") == 0 || strcasecmp(f, "table") == 0) sh->format = FORMAT_ALIGNED;
  else {
    fprintf(stderr, "unknown format \"%s\" (use aligned or csv)\n", f);
    return false;
  }
  return true;
}

/* \d NAME: after the columns, the table's indexes (primary key, UNIQUE
** constraints, secondary indexes) with their definitions, when it has any. */
static void describe_indexes(shell *sh, const char *table) {
  char lit[400], sql[700];
  size_t j = 0;
  for (const char *p = table; *p && j < sizeof lit - 3; p++) {   /* the name as a string literal */
    if (*p == '\'') lit[j++] = '\'';
    lit[j++] = *p;
  }
  lit[j] = '\0';
  const char *from = "FROM pg_catalog.pg_indexes WHERE schemaname = 'public' AND tablename = '";
  snprintf(sql, sizeof sql, "SELECT count(*) %s%s'", from, lit);
  orbit_stmt *st = NULL;
  bool any = false;
  if (orbit_prepare(sh->db, sql, &st, NULL) == ORBIT_OK && st && orbit_step(st) == ORBIT_ROW)
    any = strcmp(orbit_column_text(st, 0), "0") != 0;
  orbit_finalize(st);
  if (!any) return;
  snprintf(sql, sizeof sql, "SELECT indexname AS index, indexdef AS definition %s%s' ORDER BY indexname;", from, lit);
  shell_run_script(sh, sql, false);
}

int shell_meta_command(shell *sh, const char *line) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", line);
  char *w[8];
  int n = words(buf, w, 8);
  if (n == 0) return 0;
  const char *cmd = w[0];
  if (sh->restrict_key[0]) {
    if (!strcmp(cmd, "\\unrestrict") && n >= 2 && !strcmp(w[1], sh->restrict_key)) sh->restrict_key[0] = '\0';
    else fprintf(stderr, "backslash command %s refused: commands are restricted until \\unrestrict with the key given to \\restrict\n", cmd);
    return 0;
  }
  if (!strcmp(cmd, "\\restrict")) {
    if (n < 2) fprintf(stderr, "\\restrict: a key is required\n");
    else snprintf(sh->restrict_key, sizeof sh->restrict_key, "%s", w[1]);
    return 0;
  }
  if (!strcmp(cmd, "\\q") || !strcmp(cmd, ".quit") || !strcmp(cmd, ".exit")) return 1;
  if (!strcmp(cmd, "\\?") || !strcmp(cmd, ".help") || !strcmp(cmd, "\\h")) {
    help(sh);
  } else if (!strcmp(cmd, "\\timing")) {
    sh->timing = n > 1 ? strcasecmp(w[1], "on") == 0 : !sh->timing;
    fprintf(sh->out, "Timing is %s.\n", sh->timing ? "on" : "off");
  } else if (!strcmp(cmd, "\\d") || !strcmp(cmd, "\\dt")) {
    char sql[512];
    if (n > 1) {
      /* quote the name as an identifier so any table name works */
      char q[400];
      size_t j = 0;
      for (const char *p = w[1]; *p && j < sizeof q - 3; p++) {
        if (*p == '"') q[j++] = '"';
        q[j++] = *p;
      }
      q[j] = '\0';
      snprintf(sql, sizeof sql, "DESCRIBE \"%s\";", q);
      shell_run_script(sh, sql, false);
      describe_indexes(sh, w[1]);
    } else {
      snprintf(sql, sizeof sql, "SHOW TABLES;");
      shell_run_script(sh, sql, false);
    }
  } else if (!strcmp(cmd, "\\pset") && n >= 2) {
    if (!strcmp(w[1], "format") && n >= 3) set_format(sh, w[2]);
    else if (!strcmp(w[1], "null")) snprintf(sh->null_display, sizeof sh->null_display, "%s", n >= 3 ? w[2] : "");
    else fprintf(stderr, "\\pset: unknown option \"%s\"\n", w[1]);
  } else if (!strcmp(cmd, ".mode") && n >= 2) {
    set_format(sh, w[1]);
  } else {
    fprintf(stderr, "invalid command %s (try \\? for help)\n", cmd);
  }
  return 0;
}
