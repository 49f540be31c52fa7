/* tools/orbit/progress.c — progress of long statements on stderr.
**
** The engine reports progress (orbit_progress_handler) as often as it
** likes; the shell shows it only when a human can see it (stderr is a
** terminal and the shell was not given -c or --csv, whose output feeds
** pipelines) and only once a statement has run for a second, so that short
** statements print nothing.  One line, rewritten in place at most ten times
** a second; cleared when the statement ends. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "shell.h"

#define PROGRESS_AFTER_MS 1000.0
#define PROGRESS_EVERY_MS 100.0   /* a line rewritten ten times a second is enough to read */

static double mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void on_progress(void *ctx, const char *what, int64_t done, int64_t total) {
  shell *sh = ctx;
  double now = mono_ms();
  if (now - sh->stmt_start_ms < PROGRESS_AFTER_MS) return;
  if (done != total && now - sh->progress_last_ms < PROGRESS_EVERY_MS) return;
  sh->progress_last_ms = now;
  fprintf(stderr, "\r%s: %lld/%lld files\033[K", what, (long long)done, (long long)total);
  fflush(stderr);
  sh->progress_shown = true;
}

void shell_progress_init(shell *sh, bool enabled) {
  if (enabled && isatty(STDERR_FILENO)) orbit_progress_handler(sh->db, on_progress, sh);
}

void shell_progress_begin(shell *sh) {
  sh->stmt_start_ms = mono_ms();
  sh->progress_last_ms = 0;
  sh->progress_shown = false;
}

void shell_progress_end(shell *sh) {
  if (!sh->progress_shown) return;
  fputs("\r\033[K", stderr);   /* the line goes: the result follows */
  fflush(stderr);
  sh->progress_shown = false;
}
