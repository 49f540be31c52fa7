/*
** base/scram_secret.h — SCRAM-SHA-256 secrets (RFC 5802, RFC 7677).
**
** A password is never stored: PostgreSQL's verifier form keeps a random
** salt, the iteration count and two keys derived from the password,
**   SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
** from which a server can check a client's proof but not log in as it.
** CREATE ROLE ... PASSWORD stores one; orbitd's users file may hold them.
*/
#ifndef ORB_BASE_SCRAM_SECRET_H
#define ORB_BASE_SCRAM_SECRET_H

#include <stdbool.h>
#include <stdint.h>

#define ORB_SCRAM_KEY_LEN 32
#define ORB_SCRAM_ITERATIONS 4096

/* StoredKey and ServerKey of a password with this salt and iteration count. */
bool orb_scram_keys(const char *password, const uint8_t *salt, int salt_len, int iterations,
                    uint8_t stored_key[ORB_SCRAM_KEY_LEN], uint8_t server_key[ORB_SCRAM_KEY_LEN]);
/* A verifier for password with a fresh random salt (orb_free it); NULL if
** the system's random source fails.  A password that already is a verifier
** is returned as it is, as PostgreSQL does. */
char *orb_scram_verifier(const char *password);
/* Whether s has the verifier form (not checked further). */
bool orb_scram_is_verifier(const char *s);

#endif
