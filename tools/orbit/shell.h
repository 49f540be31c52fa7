/*
** tools/orbit/shell.h — the `orbit` interactive shell: shared state.
**
** The shell is a plain client of the public C API (include/orbit.h); it
** knows nothing of the engine's internals.  main.c parses the command line,
** repl.c reads statements (libedit line editing and history, multi-line
** input), run.c executes a script statement by statement (progress.c shows
** long ones' progress), print.c renders
** results (aligned table or RFC 4180 CSV), meta.c runs backslash commands.
*/
#ifndef ORBIT_SHELL_H
#define ORBIT_SHELL_H

#include <stdbool.h>
#include <stdio.h>

#include "orbit.h"

typedef enum shell_format { FORMAT_ALIGNED, FORMAT_CSV } shell_format;

/* Where COPY ... FROM STDIN takes its data (copy.c). */
typedef enum shell_copy_source {
  COPY_FROM_SCRIPT,    /* the lines after the statement in the script being run */
  COPY_FROM_STDIN,     /* standard input (statements came from -c) */
  COPY_FROM_TERMINAL   /* lines typed at the interactive prompt */
} shell_copy_source;

typedef struct shell {
  orbit_db *db;
  const char *dbpath;
  shell_format format;
  bool timing;          /* \timing: print elapsed time after each statement */
  bool quiet;           /* -q: no command tags */
  bool interactive;
  shell_copy_source copy_source;
  char restrict_key[128];  /* \\restrict's key: other meta commands are refused until \\unrestrict */
  char *copy_data;      /* COPY FROM STDIN's data, held until the statement is finalized */
  char null_display[64];/* how NULL is shown in aligned output */
  FILE *out;
  double stmt_start_ms;  /* when the running statement started (monotonic) */
  double progress_last_ms; /* when the progress line was last written */
  bool progress_shown;   /* a progress line is on stderr */
} shell;

/* Run every statement of `script`; stops at the first error when
** stop_on_error.  Returns 0 if all statements succeeded, 1 otherwise. */
int shell_run_script(shell *sh, const char *script, bool stop_on_error);

/* Print all rows of a stepped statement (first step already taken: rc). */
int shell_print_result(shell *sh, orbit_stmt *st, int rc);

/* Backslash or dot command (line starts with '\' or '.'); returns 1 to quit. */
int shell_meta_command(shell *sh, const char *line);

/* Interactive loop (libedit). */
int shell_repl(shell *sh);

/* Progress of long statements on stderr (progress.c): init registers the
** handler when enabled and stderr is a terminal; begin/end bracket each
** statement. */
void shell_progress_init(shell *sh, bool enabled);
void shell_progress_begin(shell *sh);
void shell_progress_end(shell *sh);

/* COPY FROM STDIN: read the data from sh->copy_source and hand it to the
** statement before its first step.  `tail` is where the script goes on after
** the statement; returns where it goes on after the data.  *ok is false when
** the data could not be held (out of memory; reported). */
const char *shell_copy_in(shell *sh, orbit_stmt *st, const char *tail, bool *ok);

/* Free the data shell_copy_in held, once its statement is finalized. */
void shell_copy_done(shell *sh);

/* COPY TO STDOUT: write the rows the stepped statement produced. */
void shell_copy_out(shell *sh, orbit_stmt *st);

/* Print the last error with its position and a caret under the statement text. */
void shell_print_error(shell *sh, const char *stmt_text);

#endif
