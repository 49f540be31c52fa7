/*
** server/scram.h — SCRAM-SHA-256 password authentication (RFC 5802 and
** RFC 7677, as PostgreSQL speaks it inside its SASL messages), and the
** users file orbitd reads.
**
** A users file has one user per line, `name:secret`, where the secret is
** either a password in clear or a PostgreSQL SCRAM verifier
** (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64 parts,
** as `SELECT rolpassword FROM pg_authid` shows it).  Blank lines and lines
** starting with '#' are ignored.  Passwords in clear get a verifier at load
** time (random salt, 4096 iterations); the clear text is not kept.
**
** One exchange:
**   scram_state *st = scram_begin(users, user_name);        // unknown users fail at the end, not here
**   scram_server_first(st, client_first, n, &server_first)  // 'p' SASLInitialResponse -> 'R' 11
**   scram_server_final(st, client_final, n, &server_final)  // 'p' SASLResponse -> 'R' 12, or failure
**   scram_end(st);
*/
#ifndef ORB_SERVER_SCRAM_H
#define ORB_SERVER_SCRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

typedef struct scram_users scram_users;
typedef struct scram_state scram_state;

/* Load a users file; errors name the file and line. */
orb_status scram_users_load(const char *path, scram_users **out, orb_err *e);
void scram_users_free(scram_users *u);

/* Start an exchange for `user`: from the users file u, else with verifier
** (a role's, from the database; NULL if none).  An unknown user still gets
** an exchange, which fails at the end. */
scram_state *scram_begin(const scram_users *u, const char *user, const char *verifier);
/* Parse client-first-message; fill server-first-message.  False if malformed. */
bool scram_server_first(scram_state *st, const char *msg, size_t n, orb_buf *out);
/* Check client-final-message's proof; on success fill server-final-message. */
bool scram_server_final(scram_state *st, const char *msg, size_t n, orb_buf *out);
void scram_end(scram_state *st);
/* Whether the client-first-message has been handled. */
bool scram_started(const scram_state *st);

#endif
