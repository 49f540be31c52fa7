/*
** server/pool.h — the worker threads of orbitd's event loop.
**
** Every worker waits on the one epoll set itself (leader/followers: the
** kernel hands each ready connection to one waiting worker, no queue and no
** hand-off between threads) and runs what became ready.  The pool keeps as
** many workers *able to run* as there are cores: a worker that waits inside
** the engine (for another transaction, the log, the latch —
** base/blocking.h) does not count, and another is started in its place.
** Workers beyond that number end after being idle a while.  So idle
** sessions cost no thread at all, and sessions waiting on each other cannot
** starve the one they wait for.
*/
#ifndef ORB_SERVER_POOL_H
#define ORB_SERVER_POOL_H

#include <stdbool.h>

/* Start `cores` workers (at least 1) waiting on epfd; each ready event's
** data.ptr is passed to run(). */
void pg_pool_start(int cores, int epfd, void (*run)(void *ptr));
/* End every worker once it finishes what it runs (waits for them). */
void pg_pool_stop(void);

#endif
