/* server/server.c — TCP listener and per-connection threads (see server.h). */
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/file.h"
#include "base/mem.h"
#include "orbit.h"
#include "server/pgwire.h"
#include "server/log.h"
#include "server/scram.h"
#include "server/transport.h"

static volatile sig_atomic_t stopping;
static atomic_int active;
static atomic_int next_pid = 1000;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

typedef struct conn_args {
  int fd;
  pg_config cfg;
  pg_tls *tls;             /* NULL: SSLRequest is answered 'N' by the session */
} conn_args;

/* The 8-byte SSLRequest, the only message a client sends before TLS starts. */
static bool is_ssl_request(const uint8_t *b, size_t n) {
  static const uint8_t req[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};   /* length 8, code 80877103 */
  return n == 8 && memcmp(b, req, 8) == 0;
}

/* Sessions a CancelRequest can reach: (pid, secret) -> database handle,
** entered once the session has started up, removed before it closes. */
typedef struct live_session {
  int32_t pid, secret;
  orbit_db *db;
} live_session;

static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static live_session *live;
static int nlive, caplive;

static void live_add(int32_t pid, int32_t secret, orbit_db *db) {
  pthread_mutex_lock(&live_mu);
  if (nlive == caplive) {
    caplive = caplive ? caplive * 2 : 64;
    live = orb_realloc(live, sizeof *live * (size_t)caplive);
  }
  live[nlive++] = (live_session){pid, secret, db};
  pthread_mutex_unlock(&live_mu);
}

static void live_remove(int32_t pid) {
  pthread_mutex_lock(&live_mu);
  for (int i = 0; i < nlive; i++)
    if (live[i].pid == pid) {
      live[i] = live[--nlive];
      break;
    }
  pthread_mutex_unlock(&live_mu);
}

static void cancel_session(int32_t pid, int32_t secret) {
  pthread_mutex_lock(&live_mu);
  for (int i = 0; i < nlive; i++)
    if (live[i].pid == pid && live[i].secret == secret) orbit_interrupt(live[i].db);
  pthread_mutex_unlock(&live_mu);
}

static void *serve(void *p) {
  conn_args *a = p;
  pg_conn_io io = {a->fd, NULL};
  pg_session *s = pg_session_new(&a->cfg);
  orb_buf out = ORB_BUF_INIT;
  uint8_t buf[65536];
  bool open = true, listed = false, first = true;
  while (open && !stopping) {
    ssize_t n = pg_io_read(&io, buf, sizeof buf, 500);
    if (n == 0) continue;
    if (n < 0) break;   /* client went away */
    if (first && a->tls && is_ssl_request(buf, (size_t)n)) {
      /* the client waits for one byte, then starts the TLS handshake */
      first = false;
      if (!pg_io_write(&io, "S", 1) || !pg_io_start_tls(&io, a->tls)) break;
      continue;
    }
    first = false;
    orb_buf_reset(&out);
    open = pg_session_feed(s, buf, (size_t)n, &out);
    if (!listed && pg_session_db(s)) {
      live_add(a->cfg.process_id, a->cfg.secret_key, pg_session_db(s));
      listed = true;
      pg_log(PG_LOG_DEBUG, "session %d started%s", a->cfg.process_id, io.ssl ? " (TLS)" : "");
    }
    if (out.len && !pg_io_write(&io, out.data, out.len)) break;
  }
  if (listed) live_remove(a->cfg.process_id);
  pg_log(PG_LOG_DEBUG, "session %d ended%s", a->cfg.process_id, listed ? "" : " before startup completed");
  orb_buf_free(&out);
  pg_session_free(s);   /* rolls back an open transaction */
  pg_io_close(&io);
  orb_free(a);
  atomic_fetch_sub(&active, 1);
  return NULL;
}

/* Refuse a connection with a protocol-level error (the client has not started up yet). */
static void refuse(int fd, const char *sqlstate, const char *msg) {
  orb_buf out = ORB_BUF_INIT;
  orb_buf_putc(&out, 'E');
  size_t at = out.len;
  orb_buf_append(&out, "\0\0\0\0", 4);
  orb_buf_append(&out, "SFATAL", 7);
  orb_buf_append(&out, "C", 1);
  orb_buf_append(&out, sqlstate, strlen(sqlstate) + 1);
  orb_buf_append(&out, "M", 1);
  orb_buf_append(&out, msg, strlen(msg) + 1);
  orb_buf_putc(&out, '\0');
  uint32_t len = (uint32_t)(out.len - at);
  uint8_t be[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
  memcpy(out.data + at, be, 4);
  (void)orb_write_full(fd, out.data, out.len, "client socket", NULL);
  orb_buf_free(&out);
}

int pg_server_run(const pg_server_opts *o) {
  scram_users *users = NULL;
  if (!o->trust) {
    orb_err e;
    orb_err_clear(&e);
    if (!o->users_file || scram_users_load(o->users_file, &users, &e) != ORB_OK) {
      pg_log(PG_LOG_ERROR, "%s", o->users_file ? e.msg : "no users file (--users FILE) and no --auth trust");
      return 1;
    }
  }
  pg_tls *tls = NULL;
  if (o->tls_cert || o->tls_key) {
    orb_err e;
    orb_err_clear(&e);
    if (!o->tls_cert || !o->tls_key || pg_tls_new(o->tls_cert, o->tls_key, &tls, &e) != ORB_OK) {
      pg_log(PG_LOG_ERROR, "%s", o->tls_cert && o->tls_key ? e.msg : "TLS needs both --tls-cert and --tls-key");
      scram_users_free(users);
      return 1;
    }
  }
  /* open once up front: a bad directory fails at start, not at the first client */
  orbit_db *db;
  if (orbit_open(o->db_path, NULL, &db) != ORBIT_OK) {
    pg_log(PG_LOG_ERROR, "cannot open database \"%s\": %s", o->db_path, db ? orbit_errmsg(db) : "out of memory");
    if (db) orbit_close(db);
    scram_users_free(users);
    pg_tls_free(tls);
    return 1;
  }
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)o->port);
  if (inet_pton(AF_INET, o->listen_addr, &sa.sin_addr) != 1) {
    pg_log(PG_LOG_ERROR, "invalid listen address \"%s\" (an IPv4 address is expected)", o->listen_addr);
    orbit_close(db);
    scram_users_free(users);
    pg_tls_free(tls);
    return 1;
  }
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 128) != 0) {
    pg_log(PG_LOG_ERROR, "cannot listen on %s:%d: %s", o->listen_addr, o->port, strerror(errno));
    if (lfd >= 0) close(lfd);
    orbit_close(db);
    scram_users_free(users);
    pg_tls_free(tls);
    return 1;
  }
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_signal;
  sigaction(SIGINT, &act, NULL);
  sigaction(SIGTERM, &act, NULL);
  signal(SIGPIPE, SIG_IGN);
  pg_log(PG_LOG_INFO, "serving \"%s\" on %s:%d (%s authentication%s)", o->db_path, o->listen_addr, o->port,
         o->trust ? "trust" : "SCRAM-SHA-256", tls ? ", TLS offered" : "");
  while (!stopping) {
    struct pollfd pfd = {lfd, POLLIN, 0};
    if (poll(&pfd, 1, 500) <= 0) continue;
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (atomic_load(&active) >= o->max_connections) {
      pg_log(PG_LOG_WARNING, "refused a connection: %d sessions already (max_connections)", o->max_connections);
      refuse(fd, "53300", "sorry, too many clients already");
      close(fd);
      continue;
    }
    conn_args *a = orb_calloc(1, sizeof *a);
    a->fd = fd;
    a->cfg.db_path = o->db_path;
    a->cfg.max_message = o->max_message;
    a->cfg.process_id = atomic_fetch_add(&next_pid, 1);
    a->cfg.users = users;
    a->cfg.cancel = cancel_session;
    a->tls = tls;
    if (getrandom(&a->cfg.secret_key, sizeof a->cfg.secret_key, 0) != (ssize_t)sizeof a->cfg.secret_key)
      a->cfg.secret_key = (int32_t)random();
    atomic_fetch_add(&active, 1);
    pthread_t t;
    if (pthread_create(&t, NULL, serve, a) != 0) {
      atomic_fetch_sub(&active, 1);
      refuse(fd, "53000", "could not start a session thread");
      close(fd);
      orb_free(a);
      continue;
    }
    pthread_detach(t);
  }
  close(lfd);
  /* graceful shutdown: sessions notice `stopping` within half a second and
  ** roll back what is open; committed work is already in the log */
  for (int i = 0; i < 100 && atomic_load(&active) > 0; i++) usleep(50000);
  orbit_close(db);
  if (atomic_load(&active) == 0) {   /* else a late session may still use them */
    scram_users_free(users);
    pg_tls_free(tls);
  }
  if (atomic_load(&active) > 0) pg_log(PG_LOG_WARNING, "%d session(s) still closing at exit", atomic_load(&active));
  pg_log(PG_LOG_INFO, "shut down");
  return 0;
}
