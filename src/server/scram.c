/* server/scram.c — SCRAM-SHA-256 (see scram.h), on OpenSSL's libcrypto. */
#include "server/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/scram_secret.h"

#define KEY_LEN 32
#define SALT_LEN 16
#define DEFAULT_ITER 4096
#define NONCE_LEN 18

typedef struct scram_user {
  char *name;
  int iterations;
  unsigned char salt[64];
  int salt_len;
  unsigned char stored_key[KEY_LEN], server_key[KEY_LEN];
} scram_user;

struct scram_users {
  scram_user *v;
  int n;
};

struct scram_state {
  const scram_user *user;     /* NULL: unknown user (the exchange runs, then fails) */
  scram_user mock;
  scram_user role;            /* a role's verifier from the database (CREATE ROLE ... PASSWORD) */
  char *client_first_bare;
  char *server_first;
  char nonce[128];            /* client nonce + server nonce */
};

static int b64_encode(const unsigned char *in, int n, char *out) { return EVP_EncodeBlock((unsigned char *)out, in, n); }

/* Decode base64 into out (cap bytes); -1 if malformed or too long. */
static int b64_decode(const char *in, size_t n, unsigned char *out, int cap) {
  if (n == 0 || n % 4 || n / 4 * 3 > (size_t)cap + 2) return -1;
  unsigned char tmp[512];
  if (n / 4 * 3 > sizeof tmp) return -1;
  int len = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)n);
  if (len < 0) return -1;
  if (n >= 1 && in[n - 1] == '=') len--;
  if (n >= 2 && in[n - 2] == '=') len--;
  if (len > cap) return -1;
  memcpy(out, tmp, (size_t)len);
  return len;
}

static void hmac(const unsigned char *key, int klen, const void *msg, size_t n, unsigned char out[KEY_LEN]) {
  unsigned int len = KEY_LEN;
  HMAC(EVP_sha256(), key, klen, msg, n, out, &len);
}

/* StoredKey and ServerKey of a password (RFC 5802 section 3). */
static bool derive(scram_user *u, const char *password) {
  return orb_scram_keys(password, u->salt, u->salt_len, u->iterations, u->stored_key, u->server_key);
}

/* SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey> */
static bool parse_verifier(scram_user *u, const char *v) {
  if (strncmp(v, "SCRAM-SHA-256$", 14) != 0) return false;
  const char *p = v + 14;
  char *end;
  long iter = strtol(p, &end, 10);
  if (*end != ':' || iter < 1 || iter > 10000000) return false;
  u->iterations = (int)iter;
  const char *salt = end + 1, *dollar = strchr(salt, '$');
  if (!dollar) return false;
  u->salt_len = b64_decode(salt, (size_t)(dollar - salt), u->salt, (int)sizeof u->salt);
  const char *sk = dollar + 1, *colon = strchr(sk, ':');
  if (u->salt_len <= 0 || !colon) return false;
  return b64_decode(sk, (size_t)(colon - sk), u->stored_key, KEY_LEN) == KEY_LEN &&
         b64_decode(colon + 1, strlen(colon + 1), u->server_key, KEY_LEN) == KEY_LEN;
}

orb_status scram_users_load(const char *path, scram_users **out, orb_err *e) {
  FILE *f = fopen(path, "r");
  if (!f) return orb_err_set(e, ORB_ERR_IO, "cannot read users file \"%s\"", path);
  scram_users *u = orb_calloc(1, sizeof *u);
  char line[4096];
  int lineno = 0;
  orb_status st = ORB_OK;
  while (st == ORB_OK && fgets(line, sizeof line, f)) {
    lineno++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0 || line[0] == '#') continue;
    char *colon = strchr(line, ':');
    if (!colon || colon == line) {
      st = orb_err_set(e, ORB_ERR_CONSTRAINT, "users file \"%s\", line %d: expected name:password", path, lineno);
      break;
    }
    *colon = '\0';
    scram_user cu;
    memset(&cu, 0, sizeof cu);
    const char *secret = colon + 1;
    if (strncmp(secret, "SCRAM-SHA-256$", 14) == 0) {
      if (!parse_verifier(&cu, secret))
        st = orb_err_set(e, ORB_ERR_CONSTRAINT, "users file \"%s\", line %d: malformed SCRAM verifier", path, lineno);
    } else {
      cu.iterations = DEFAULT_ITER;
      cu.salt_len = SALT_LEN;
      if (RAND_bytes(cu.salt, SALT_LEN) != 1 || !derive(&cu, secret))
        st = orb_err_set(e, ORB_ERR_INTERNAL, "cannot derive keys for user \"%s\"", line);
    }
    OPENSSL_cleanse(line + (colon - line) + 1, strlen(secret));
    if (st != ORB_OK) break;
    cu.name = orb_strdup(line);
    u->v = orb_realloc(u->v, sizeof *u->v * (size_t)(u->n + 1));
    u->v[u->n++] = cu;
  }
  fclose(f);
  if (st == ORB_OK && u->n == 0) st = orb_err_set(e, ORB_ERR_CONSTRAINT, "users file \"%s\" names no user", path);
  if (st != ORB_OK) {
    scram_users_free(u);
    return st;
  }
  *out = u;
  return ORB_OK;
}

void scram_users_free(scram_users *u) {
  if (!u) return;
  for (int i = 0; i < u->n; i++) orb_free(u->v[i].name);
  OPENSSL_cleanse(u->v, sizeof *u->v * (size_t)u->n);
  orb_free(u->v);
  orb_free(u);
}

scram_state *scram_begin(const scram_users *u, const char *user, const char *verifier) {
  scram_state *st = orb_calloc(1, sizeof *st);
  for (int i = 0; u && i < u->n; i++)
    if (strcmp(u->v[i].name, user) == 0) st->user = &u->v[i];
  if (!st->user && verifier && parse_verifier(&st->role, verifier)) st->user = &st->role;
  if (!st->user) {
    /* an unknown user gets a made-up salt, so the reply does not tell them apart */
    st->mock.iterations = DEFAULT_ITER;
    st->mock.salt_len = SALT_LEN;
    RAND_bytes(st->mock.salt, SALT_LEN);
  }
  return st;
}

bool scram_started(const scram_state *st) { return st && st->server_first; }

void scram_end(scram_state *st) {
  if (!st) return;
  orb_free(st->client_first_bare);
  orb_free(st->server_first);
  OPENSSL_cleanse(st, sizeof *st);
  orb_free(st);
}

/* The value of attribute `a` ("r", "p", ...) in a comma-separated message. */
static bool attr(const char *msg, size_t n, char a, const char **v, size_t *vn) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && msg[j] != ',') j++;
    if (j - i >= 2 && msg[i] == a && msg[i + 1] == '=') {
      *v = msg + i + 2;
      *vn = j - i - 2;
      return true;
    }
    i = j + 1;
  }
  return false;
}

bool scram_server_first(scram_state *st, const char *msg, size_t n, orb_buf *out) {
  /* gs2 header: "n,," or "y,," (no channel binding); "p=" asks for binding we do not offer */
  if (n < 3 || (msg[0] != 'n' && msg[0] != 'y') || msg[1] != ',') return false;
  const char *c = memchr(msg + 2, ',', n - 2);
  if (!c) return false;
  const char *bare = c + 1;
  size_t bn = n - (size_t)(bare - msg);
  const char *cnonce;
  size_t cn;
  if (!attr(bare, bn, 'r', &cnonce, &cn) || cn == 0 || cn > 64) return false;
  for (size_t i = 0; i < cn; i++)
    if (cnonce[i] < 0x21 || cnonce[i] > 0x7e || cnonce[i] == ',') return false;
  unsigned char raw[NONCE_LEN];
  char snonce[64];
  if (RAND_bytes(raw, NONCE_LEN) != 1) return false;
  b64_encode(raw, NONCE_LEN, snonce);
  snprintf(st->nonce, sizeof st->nonce, "%.*s%s", (int)cn, cnonce, snonce);
  st->client_first_bare = orb_strndup(bare, bn);
  const scram_user *u = st->user ? st->user : &st->mock;
  char salt[128];
  b64_encode(u->salt, u->salt_len, salt);
  orb_buf sf = ORB_BUF_INIT;
  orb_buf_printf(&sf, "r=%s,s=%s,i=%d", st->nonce, salt, u->iterations);
  st->server_first = orb_strndup(sf.data, sf.len);
  orb_buf_append(out, sf.data, sf.len);
  orb_buf_free(&sf);
  return true;
}

bool scram_server_final(scram_state *st, const char *msg, size_t n, orb_buf *out) {
  if (!st->server_first) return false;
  const char *nonce, *proof_b64;
  size_t nn, pn;
  if (!attr(msg, n, 'r', &nonce, &nn) || !attr(msg, n, 'p', &proof_b64, &pn)) return false;
  if (nn != strlen(st->nonce) || memcmp(nonce, st->nonce, nn) != 0) return false;
  /* the proof is the last attribute: everything before ",p=" is signed */
  const char *without_proof_end = proof_b64 - 3;
  if (without_proof_end < msg) return false;
  unsigned char proof[KEY_LEN];
  if (b64_decode(proof_b64, pn, proof, KEY_LEN) != KEY_LEN) return false;
  orb_buf auth = ORB_BUF_INIT;
  orb_buf_printf(&auth, "%s,%s,", st->client_first_bare, st->server_first);
  orb_buf_append(&auth, msg, (size_t)(without_proof_end - msg));
  bool ok = false;
  if (st->user) {
    unsigned char sig[KEY_LEN], client_key[KEY_LEN], check[KEY_LEN];
    hmac(st->user->stored_key, KEY_LEN, auth.data, auth.len, sig);
    for (int i = 0; i < KEY_LEN; i++) client_key[i] = proof[i] ^ sig[i];
    SHA256(client_key, KEY_LEN, check);
    ok = CRYPTO_memcmp(check, st->user->stored_key, KEY_LEN) == 0;
    if (ok) {
      unsigned char server_sig[KEY_LEN];
      char b64[64];
      hmac(st->user->server_key, KEY_LEN, auth.data, auth.len, server_sig);
      b64_encode(server_sig, KEY_LEN, b64);
      orb_buf_printf(out, "v=%s", b64);
    }
  }
  orb_buf_free(&auth);
  return ok;
}
