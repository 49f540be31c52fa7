/*
** base/registry.h — process-wide registry of shared, reference-counted objects.
**
** Some objects must exist once per process however many times they are
** asked for: a database directory opened by several handles shares one
** engine (and one lock file).  The registry maps a string key (for a
** database: the directory's real path) to such an object and counts its
** users.  It is the one piece of process-global mutable state of the
** engine, guarded by its own mutex.
**
**   void *db;
**   st = orb_registry_acquire("/abs/path", open_fn, &args, &db, &e);   // opens on first use
**   ...
**   orb_registry_release(db, close_fn);                                // closes on last release
**
** open_fn runs under the registry's mutex, so two threads acquiring the
** same key open it once.
*/
#ifndef ORB_BASE_REGISTRY_H
#define ORB_BASE_REGISTRY_H

#include "base/err.h"

typedef orb_status (*orb_registry_open_fn)(const char *key, void *arg, void **obj, orb_err *e);
typedef void (*orb_registry_close_fn)(void *obj);

/* Return the object registered under key (adding a reference), or create it
** with open_fn and register it with one reference. */
orb_status orb_registry_acquire(const char *key, orb_registry_open_fn open_fn, void *arg, void **obj,
                                orb_err *e);
/* Drop a reference; the last one calls close_fn(obj) and unregisters it. */
void orb_registry_release(void *obj, orb_registry_close_fn close_fn);

#endif
