/*
** server/log.h — orbitd's log: one line per event on standard error, in
** PostgreSQL's shape ("2026-11-25 05:07:00.123 UTC [pid] LOG:  message"),
** filtered by level (debug < info < warning < error; default info).
*/
#ifndef ORB_SERVER_LOG_H
#define ORB_SERVER_LOG_H

typedef enum pg_log_level { PG_LOG_DEBUG, PG_LOG_INFO, PG_LOG_WARNING, PG_LOG_ERROR } pg_log_level;

/* Parse "debug", "info", "warning", "error"; -1 if none of them. */
int pg_log_level_parse(const char *name);
void pg_log_set_level(pg_log_level level);
void pg_log(pg_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
