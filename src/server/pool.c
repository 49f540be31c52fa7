/* server/pool.c — epoll workers that stand in for waiting ones (see pool.h). */
#include "server/pool.h"

#include <pthread.h>
#include <stddef.h>
#include <sys/epoll.h>

#include "base/blocking.h"
#include "server/log.h"

#define IDLE_EXIT_ROUNDS 4   /* a surplus worker ends after this many idle 500 ms waits */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t gone;       /* a worker ended */
  int workers;               /* alive */
  int blocked;               /* waiting inside the engine */
  int cores;
  int epfd;
  bool quit;
  void (*run)(void *);
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 1, -1, false, NULL};

static void *worker(void *arg);

/* Keep `cores` workers able to run.  (mu held) */
static void fill(void) {
  while (!pool.quit && pool.workers - pool.blocked < pool.cores) {
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &at, worker, NULL);
    pthread_attr_destroy(&at);
    if (rc != 0) {
      pg_log(PG_LOG_WARNING, "could not start a worker thread; %d running", pool.workers);
      return;
    }
    pool.workers++;
  }
}

static void on_block(void) {
  pthread_mutex_lock(&pool.mu);
  pool.blocked++;
  fill();
  pthread_mutex_unlock(&pool.mu);
}

static void on_unblock(void) {
  pthread_mutex_lock(&pool.mu);
  pool.blocked--;
  pthread_mutex_unlock(&pool.mu);
}

static void *worker(void *arg) {
  (void)arg;
  int idle = 0;
  for (;;) {
    struct epoll_event ev;
    int n = epoll_wait(pool.epfd, &ev, 1, 500);
    pthread_mutex_lock(&pool.mu);
    bool quit = pool.quit;
    bool surplus = n <= 0 && ++idle >= IDLE_EXIT_ROUNDS && pool.workers - pool.blocked > pool.cores;
    if (quit || surplus) {
      pool.workers--;
      pthread_cond_broadcast(&pool.gone);
      pthread_mutex_unlock(&pool.mu);
      return NULL;
    }
    pthread_mutex_unlock(&pool.mu);
    if (n == 1) {
      idle = 0;
      pool.run(ev.data.ptr);
    }
  }
}

void pg_pool_start(int cores, int epfd, void (*run)(void *ptr)) {
  orb_blocking_hooks h = {on_block, on_unblock};
  orb_blocking_set_hooks(&h);
  pthread_mutex_lock(&pool.mu);
  pool.cores = cores < 1 ? 1 : cores;
  pool.epfd = epfd;
  pool.run = run;
  fill();
  pthread_mutex_unlock(&pool.mu);
}

void pg_pool_stop(void) {
  pthread_mutex_lock(&pool.mu);
  pool.quit = true;
  while (pool.workers > 0) pthread_cond_wait(&pool.gone, &pool.mu);
  pthread_mutex_unlock(&pool.mu);
  orb_blocking_set_hooks(NULL);
}
