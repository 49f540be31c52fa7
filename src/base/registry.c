/* base/registry.c — process-wide registry of shared objects (see registry.h). */
#include "base/registry.h"

#include <pthread.h>
#include <string.h>

#include "base/mem.h"

typedef struct reg_entry {
  struct reg_entry *next;
  char *key;
  void *obj;
  int refs;
} reg_entry;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static reg_entry *reg_head;

orb_status orb_registry_acquire(const char *key, orb_registry_open_fn open_fn, void *arg, void **obj,
                                orb_err *e) {
  pthread_mutex_lock(&reg_mu);
  for (reg_entry *r = reg_head; r; r = r->next)
    if (strcmp(r->key, key) == 0) {
      r->refs++;
      *obj = r->obj;
      pthread_mutex_unlock(&reg_mu);
      return ORB_OK;
    }
  void *o = NULL;
  orb_status st = open_fn(key, arg, &o, e);
  if (st == ORB_OK) {
    reg_entry *r = orb_malloc(sizeof *r);
    r->key = orb_strdup(key);
    r->obj = o;
    r->refs = 1;
    r->next = reg_head;
    reg_head = r;
    *obj = o;
  }
  pthread_mutex_unlock(&reg_mu);
  return st;
}

void orb_registry_release(void *obj, orb_registry_close_fn close_fn) {
  pthread_mutex_lock(&reg_mu);
  for (reg_entry **pp = &reg_head; *pp; pp = &(*pp)->next) {
    reg_entry *r = *pp;
    if (r->obj != obj) continue;
    if (--r->refs == 0) {
      *pp = r->next;
      close_fn(r->obj);
      orb_free(r->key);
      orb_free(r);
    }
    break;
  }
  pthread_mutex_unlock(&reg_mu);
}
