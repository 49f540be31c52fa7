/* base/blocking.c — hooks around waits (see blocking.h). */
#include "base/blocking.h"

#include <stddef.h>

static orb_blocking_hooks hooks;

void orb_blocking_set_hooks(const orb_blocking_hooks *h) {
  hooks.enter = h ? h->enter : NULL;
  hooks.leave = h ? h->leave : NULL;
}

void orb_blocking_enter(void) {
  if (hooks.enter) hooks.enter();
}

void orb_blocking_leave(void) {
  if (hooks.leave) hooks.leave();
}
