/* server/log.c — leveled log lines on standard error (see log.h). */
#include "server/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = PG_LOG_INFO;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

int pg_log_level_parse(const char *name) {
  static const char *const names[] = {"debug", "info", "warning", "error"};
  for (int i = 0; i < 4; i++)
    if (strcmp(name, names[i]) == 0) return i;
  return -1;
}

void pg_log_set_level(pg_log_level level) { atomic_store(&min_level, (int)level); }

void pg_log(pg_log_level level, const char *fmt, ...) {
  if ((int)level < atomic_load(&min_level)) return;
  static const char *const tags[] = {"DEBUG", "LOG", "WARNING", "ERROR"};
  struct timeval tv;
  gettimeofday(&tv, NULL);
  struct tm tm;
  gmtime_r(&tv.tv_sec, &tm);
  char when[32];
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&log_mu);   /* whole lines, even from many session threads */
  fprintf(stderr, "%s.%03d UTC [%d] %s:  %s\n", when, (int)(tv.tv_usec / 1000), (int)getpid(), tags[level], msg);
  fflush(stderr);
  pthread_mutex_unlock(&log_mu);
}
