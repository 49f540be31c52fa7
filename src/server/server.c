/* server/server.c — TCP listener, event loop and connections (see server.h). */
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/mem.h"
#include "orbit.h"
#include "server/pgwire.h"
#include "server/log.h"
#include "server/pool.h"
#include "server/scram.h"
#include "server/transport.h"

static volatile sig_atomic_t stopping;
static atomic_int active;
static atomic_int next_pid = 1000;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

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

/* --- connections ------------------------------------------------------------ */

typedef struct conn {
  pg_conn_io io;
  pg_config cfg;
  pg_tls *tls;
  pg_session *s;
  bool first, listed;
  struct conn *prev, *next;   /* every open connection (conns_mu): shutdown closes them */
  /* idle timeouts, under conns_mu: the watcher (watch_idle) may end the
  ** session while it waits in the epoll set, never while a worker runs it */
  bool waiting;               /* armed in the epoll set, no worker has it */
  bool idle_in_txn;           /* which timeout the deadline is */
  bool expired;               /* the deadline passed: the next worker ends the session */
  int64_t deadline;           /* monotonic ms; 0: none */
} conn;

static pthread_mutex_t conns_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cv;   /* a deadline was set: the watcher looks again (CLOCK_MONOTONIC) */
static int64_t watch_wake;       /* when the watcher wakes next (conns_mu): later deadlines need not wake it */
static conn *conns;
static int epfd = -1;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void conn_close(conn *c) {
  pthread_mutex_lock(&conns_mu);
  if (c->prev) c->prev->next = c->next;
  else conns = c->next;
  if (c->next) c->next->prev = c->prev;
  pthread_mutex_unlock(&conns_mu);
  if (c->listed) live_remove(c->cfg.process_id);
  pg_log(PG_LOG_DEBUG, "session %d ended%s", c->cfg.process_id, c->listed ? "" : " before startup completed");
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->io.fd, NULL);
  pg_session_free(c->s);   /* rolls back an open transaction */
  pg_io_close(&c->io);
  orb_free(c);
  atomic_fetch_sub(&active, 1);
}

/* Read what the client sent, run it, answer; false when the connection is done. */
static bool conn_serve(conn *c) {
  static _Thread_local uint8_t buf[65536];
  orb_buf out = ORB_BUF_INIT;
  bool open = true;
  while (open && !stopping) {
    ssize_t n = pg_io_read(&c->io, buf, sizeof buf, 0);
    if (n == 0) break;          /* nothing more for now */
    if (n < 0) {                /* client went away */
      open = false;
      break;
    }
    if (c->first && c->tls && is_ssl_request(buf, (size_t)n)) {
      /* the client waits for one byte, then starts the TLS handshake */
      c->first = false;
      open = pg_io_write(&c->io, "S", 1) && pg_io_start_tls(&c->io, c->tls);
      continue;
    }
    c->first = false;
    orb_buf_reset(&out);
    open = pg_session_feed(c->s, buf, (size_t)n, &out);
    if (!c->listed && pg_session_db(c->s)) {
      live_add(c->cfg.process_id, c->cfg.secret_key, pg_session_db(c->s));
      c->listed = true;
      pg_log(PG_LOG_DEBUG, "session %d started%s", c->cfg.process_id, c->io.ssl ? " (TLS)" : "");
    }
    if (out.len && !pg_io_write(&c->io, out.data, out.len)) open = false;
  }
  orb_buf_free(&out);
  return open && !stopping;
}

/* A role's verifier from the database, on a handle of its own (a session
** opens its handle only once authenticated). */
static char *role_secret(const char *db_path, const char *user) {
  orbit_db *db;
  if (orbit_open(db_path, NULL, &db) != ORBIT_OK) {
    if (db) orbit_close(db);
    return NULL;
  }
  char *v = orbit_role_secret(db, user);
  orbit_close(db);
  return v;
}

/* What the accepting worker needs. */
static struct {
  const pg_server_opts *o;
  int lfd;
  scram_users *users;
  pg_tls *tls;
  const orb_buf *settings;
} srv;

/* s between q's, a q inside doubled: an identifier or a string literal. */
static void quote(orb_buf *b, char q, const char *s) {
  orb_buf_putc(b, q);
  for (; *s; s++) {
    if (*s == q) orb_buf_putc(b, q);
    orb_buf_putc(b, *s);
  }
  orb_buf_putc(b, q);
}

/* The server's session settings, tried on db once (an unknown name or a bad
** value stops the start, as in PostgreSQL) and packed as pg_config wants them. */
static bool check_settings(const pg_server_opts *o, orbit_db *db, orb_buf *packed) {
  for (int i = 0; i < o->nsettings; i++) {
    const char *name = o->settings[2 * i], *value = o->settings[2 * i + 1];
    orb_buf sql = ORB_BUF_INIT;
    orb_buf_puts(&sql, "SET ");
    quote(&sql, '"', name);
    orb_buf_puts(&sql, " TO ");
    quote(&sql, '\'', value);
    orb_buf_putc(&sql, '\0');
    bool ok = orbit_exec(db, sql.data) == ORBIT_OK;
    orb_buf_free(&sql);
    if (!ok) {
      pg_log(PG_LOG_ERROR, "%s", orbit_errmsg(db));
      orb_buf_free(packed);
      return false;
    }
    orb_buf_append(packed, name, strlen(name) + 1);
    orb_buf_append(packed, value, strlen(value) + 1);
  }
  orbit_exec(db, "RESET ALL");
  return true;
}

/* Take every pending connection: a session each, watched by the event loop. */
static void accept_all(void) {
  const pg_server_opts *o = srv.o;
  int one = 1;
  for (;;) {
    int fd = accept4(srv.lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return;   /* EAGAIN: no more */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (atomic_load(&active) >= o->max_connections) {
      pg_log(PG_LOG_WARNING, "refused a connection: %d sessions already (max_connections)", o->max_connections);
      refuse(fd, "53300", "sorry, too many clients already");
      close(fd);
      continue;
    }
    conn *c = orb_calloc(1, sizeof *c);
    c->io.fd = fd;
    c->first = true;
    c->tls = srv.tls;
    c->cfg.db_path = o->db_path;
    c->cfg.max_message = o->max_message;
    c->cfg.process_id = atomic_fetch_add(&next_pid, 1);
    c->cfg.users = srv.users;
    c->cfg.scram = !o->trust;
    c->cfg.role_secret = role_secret;
    c->cfg.cancel = cancel_session;
    c->cfg.settings = srv.settings->data;
    c->cfg.settings_len = srv.settings->len;
    if (getrandom(&c->cfg.secret_key, sizeof c->cfg.secret_key, 0) != (ssize_t)sizeof c->cfg.secret_key)
      c->cfg.secret_key = (int32_t)random();
    c->s = pg_session_new(&c->cfg);
    atomic_fetch_add(&active, 1);
    pthread_mutex_lock(&conns_mu);
    c->next = conns;
    if (conns) conns->prev = c;
    conns = c;
    pthread_mutex_unlock(&conns_mu);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) conn_close(c);
  }
}

static void end_idle(conn *c);

/* A worker's job for one ready event: new connections, or a session with
** bytes to read, served until it has nothing more and then watched again
** (EPOLLONESHOT: only one worker ever runs a session at a time). */
static void on_ready(void *p) {
  if (!p) {
    accept_all();
    return;
  }
  conn *c = p;
  pthread_mutex_lock(&conns_mu);
  c->waiting = false;
  bool expired = c->expired;
  pthread_mutex_unlock(&conns_mu);
  if (expired) {
    end_idle(c);
    return;
  }
  if (!conn_serve(c)) {
    conn_close(c);
    return;
  }
  bool in_txn;
  int64_t limit = pg_session_idle_limit(c->s, &in_txn);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.ptr = c};
  pthread_mutex_lock(&conns_mu);   /* armed and marked waiting at once, for the watcher */
  c->deadline = limit ? now_ms() + limit : 0;
  c->idle_in_txn = in_txn;
  c->waiting = true;
  bool armed = epoll_ctl(epfd, EPOLL_CTL_MOD, c->io.fd, &ev) == 0;
  if (!armed) c->waiting = false;
  if (limit && c->deadline < watch_wake) pthread_cond_signal(&idle_cv);
  pthread_mutex_unlock(&conns_mu);
  if (!armed) conn_close(c);
}

/* The watcher found the session idle past its timeout: tell the client
** (FATAL, as PostgreSQL does) and close; closing rolls its transaction back,
** so sessions waiting for its rows go on. */
static void end_idle(conn *c) {
  orb_buf out = ORB_BUF_INIT;
  pg_session_idle_fatal(c->s, c->idle_in_txn, &out);
  pg_log(PG_LOG_INFO, "session %d: terminating connection due to %s timeout", c->cfg.process_id,
         c->idle_in_txn ? "idle-in-transaction" : "idle-session");
  (void)pg_io_write(&c->io, out.data, out.len);
  orb_buf_free(&out);
  conn_close(c);
}

/* The main thread, while the workers serve: end sessions idle past their
** timeout.  It sleeps until the nearest deadline (or 100 ms, to notice
** SIGTERM), so an idle server does not spin and a timeout costs one wake-up,
** not a tick per connection.  A session past its deadline that no worker
** holds has its socket's reading side shut: the epoll set then wakes a
** worker for it, which sees `expired` and ends it.  (Re-arming the socket
** from here instead could hand it to a second worker while one already had
** it; a shut reading side only ever wakes whoever holds the arming.) */
static void watch_idle(void) {
  pthread_mutex_lock(&conns_mu);
  while (!stopping) {
    int64_t now = now_ms(), next = now + 100;
    for (conn *c = conns; c; c = c->next) {
      if (!c->waiting || !c->deadline || c->expired) continue;
      if (c->deadline <= now) {
        c->expired = true;
        shutdown(c->io.fd, SHUT_RD);
      } else if (c->deadline < next) {
        next = c->deadline;
      }
    }
    watch_wake = next;
    struct timespec ts = {.tv_sec = next / 1000, .tv_nsec = (long)(next % 1000) * 1000000};
    pthread_cond_timedwait(&idle_cv, &conns_mu, &ts);
  }
  pthread_mutex_unlock(&conns_mu);
}

int pg_server_run(const pg_server_opts *o) {
  scram_users *users = NULL;
  if (!o->trust && o->users_file) {
    orb_err e;
    orb_err_clear(&e);
    if (scram_users_load(o->users_file, &users, &e) != ORB_OK) {
      pg_log(PG_LOG_ERROR, "%s", e.msg);
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
  orb_buf settings = ORB_BUF_INIT;   /* o->settings as every session's cfg.settings */
  if (!check_settings(o, db, &settings)) {   /* a configuration error, as orbitd's own (2) */
    orbit_close(db);
    scram_users_free(users);
    pg_tls_free(tls);
    return 2;
  }
  srv.settings = &settings;
  if (!o->trust && !users && orbit_login_roles(db) == 0) {   /* nobody could log in */
    orb_buf_free(&settings);
    pg_log(PG_LOG_ERROR, "no users file (--users FILE), no role with a password in the database "
                         "(CREATE ROLE name LOGIN PASSWORD '...'), and no --auth trust");
    orbit_close(db);
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
    orb_buf_free(&settings);
    scram_users_free(users);
    pg_tls_free(tls);
    return 1;
  }
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 128) != 0) {
    pg_log(PG_LOG_ERROR, "cannot listen on %s:%d: %s", o->listen_addr, o->port, strerror(errno));
    if (lfd >= 0) close(lfd);
    orbit_close(db);
    orb_buf_free(&settings);
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
  epfd = epoll_create1(EPOLL_CLOEXEC);
  /* every worker waits on epfd; the listener wakes one of them per event */
  struct epoll_event lev = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = NULL};
  fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
  if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev) != 0) {
    pg_log(PG_LOG_ERROR, "cannot start the event loop: %s", strerror(errno));
    close(lfd);
    orbit_close(db);
    orb_buf_free(&settings);
    scram_users_free(users);
    pg_tls_free(tls);
    return 1;
  }
  srv.o = o;
  srv.lfd = lfd;
  srv.users = users;
  srv.tls = tls;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&idle_cv, &ca);
  pthread_condattr_destroy(&ca);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  pg_pool_start(cores > 0 ? (int)cores : 1, epfd, on_ready);
  watch_idle();   /* the workers serve; SIGINT/SIGTERM (on any thread) set stopping */
  close(lfd);
  /* graceful shutdown: statements running finish (their sessions then see
  ** `stopping`), every open transaction is rolled back, committed work is
  ** already in the log, which orbit_close syncs */
  pg_pool_stop();
  while (conns) conn_close(conns);
  close(epfd);
  pthread_cond_destroy(&idle_cv);
  orbit_close(db);
  orb_buf_free(&settings);
  scram_users_free(users);
  pg_tls_free(tls);
  pg_log(PG_LOG_INFO, "shut down");
  return 0;
}
