/*
** storage/sequence.h — sequences: CREATE SEQUENCE, and the serial and
** identity columns made of them.
**
** A sequence is a catalog entry of kind ORB_TABLE_SEQUENCE (storage/table.h)
** whose `location` is its options and state as JSON (logged when it is
** created, rewritten into the catalog by each checkpoint); the running state
** lives in orb_table's `seq`.
**
** nextval is not transactional, as in PostgreSQL: a value handed out is
** never handed out again, even when the transaction that took it rolls
** back.  Durability without a log write per value: a transaction that takes
** a value logs, in its own commit record, a bound a few values ahead
** (REDO_SEQUENCE: "values up to here may be in use"), once per transaction
** and again when its values pass the bound.  So every value a committed
** transaction stored is covered by a logged bound, and recovery resumes
** after the last bound (a crash skips at most the values of one bound, as
** PostgreSQL's 32 cached values).  setval logs its value exactly.
**
** ALTER SEQUENCE (orb_db_alter_sequence, storage/db.h) is transactional,
** as PostgreSQL's: the new options (and, for RESTART, the new value) are
** logged in the altering transaction's commit record (REDO_SEQ_ALTER) and
** put back if it aborts.  Until it ends, other transactions' nextval and
** setval wait for it (as PostgreSQL's block on the ALTER's lock): so no
** value can be taken under options, or from a state, that recovery would
** not reproduce, and a value is still never handed out twice.
*/
#ifndef ORB_STORAGE_SEQUENCE_H
#define ORB_STORAGE_SEQUENCE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct orb_table;
struct orb_wset;

typedef struct orb_sequence {
  int64_t increment, min, max, start;
  bool cycle;
  uint8_t width;           /* AS smallint / integer / bigint: 2, 4 or 8 bytes (NO MINVALUE/MAXVALUE's range) */
  uint32_t owner;          /* serial / identity column's table id (dropped with it); 0: none */
  int64_t last;            /* the last value handed out, or start when !called */
  bool called;
  int64_t bound;           /* values up to here are covered by a logged record */
  uint64_t bound_by;       /* the transaction that logged it */
  uint64_t altered_by;     /* a running transaction that ALTERed it (others wait), or 0 */
  pthread_mutex_t mu;
} orb_sequence;

/* Options with PostgreSQL's defaults for a bigint sequence ascending by 1. */
void orb_seq_defaults(orb_sequence *s);
/* Check options as PostgreSQL does (22023 MINVALUE/START out of range, ...). */
orb_status orb_seq_check(const orb_sequence *s, const char *name, orb_err *e);
/* Options and state to and from JSON (the catalog's `location`); the string is heap. */
char *orb_seq_json(orb_sequence *s);
orb_status orb_seq_parse(const char *json, orb_sequence *s, orb_err *e);

/* nextval: the next value of sequence t for ws (which logs the bound);
** 2200H when it is exhausted and does not cycle. */
orb_status orb_seq_next(struct orb_table *t, struct orb_wset *ws, int64_t *out, orb_err *e);
/* setval: value v (22003 outside MINVALUE..MAXVALUE), called as given. */
orb_status orb_seq_set(struct orb_table *t, struct orb_wset *ws, int64_t v, bool called, orb_err *e);
/* Recovery of a REDO_SEQUENCE record. */
void orb_seq_replay(struct orb_table *t, int64_t last, bool called);

/* The options of a (copy of) a sequence, without its running state. */
void orb_seq_copy_options(orb_sequence *to, const orb_sequence *from);
/* The range of a sequence of `width` bytes. */
void orb_seq_type_range(int width, int64_t *lo, int64_t *hi);

#endif
