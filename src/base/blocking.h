/*
** base/blocking.h — telling an embedding scheduler that a thread will wait.
**
** orbitd serves many sessions with a pool of worker threads sized to the
** cores.  When a worker is about to wait for something other than the CPU —
** another transaction to end, the log to reach the disk, a latch held by a
** long statement — the pool should let another worker run meanwhile, or a
** few waiting sessions could starve the ones they wait for.  The engine
** brackets such waits with orb_blocking_enter()/orb_blocking_leave(); the
** server installs hooks that count the waiters and start extra workers.
** Without hooks (the library embedded directly) the calls do nothing.
*/
#ifndef ORB_BASE_BLOCKING_H
#define ORB_BASE_BLOCKING_H

typedef struct orb_blocking_hooks {
  void (*enter)(void);
  void (*leave)(void);
} orb_blocking_hooks;

/* Install hooks for the whole process (NULL: none); before any thread uses the engine. */
void orb_blocking_set_hooks(const orb_blocking_hooks *h);
void orb_blocking_enter(void);
void orb_blocking_leave(void);

#endif
