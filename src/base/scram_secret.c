/* base/scram_secret.c — SCRAM-SHA-256 secrets on OpenSSL (see scram_secret.h). */
#include "base/scram_secret.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

#define SALT_LEN 16

static void hmac(const uint8_t *key, int klen, const void *msg, size_t n, uint8_t out[ORB_SCRAM_KEY_LEN]) {
  unsigned int len = ORB_SCRAM_KEY_LEN;
  HMAC(EVP_sha256(), key, klen, msg, n, out, &len);
}

bool orb_scram_keys(const char *password, const uint8_t *salt, int salt_len, int iterations,
                    uint8_t stored_key[ORB_SCRAM_KEY_LEN], uint8_t server_key[ORB_SCRAM_KEY_LEN]) {
  uint8_t salted[ORB_SCRAM_KEY_LEN], client_key[ORB_SCRAM_KEY_LEN];
  if (!PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, salt_len, iterations, EVP_sha256(),
                         ORB_SCRAM_KEY_LEN, salted))
    return false;
  hmac(salted, ORB_SCRAM_KEY_LEN, "Client Key", 10, client_key);
  SHA256(client_key, ORB_SCRAM_KEY_LEN, stored_key);
  hmac(salted, ORB_SCRAM_KEY_LEN, "Server Key", 10, server_key);
  OPENSSL_cleanse(salted, sizeof salted);
  OPENSSL_cleanse(client_key, sizeof client_key);
  return true;
}

bool orb_scram_is_verifier(const char *s) { return strncmp(s, "SCRAM-SHA-256$", 14) == 0; }

char *orb_scram_verifier(const char *password) {
  if (orb_scram_is_verifier(password)) return orb_strdup(password);
  uint8_t salt[SALT_LEN], stored[ORB_SCRAM_KEY_LEN], server[ORB_SCRAM_KEY_LEN];
  if (RAND_bytes(salt, SALT_LEN) != 1 || !orb_scram_keys(password, salt, SALT_LEN, ORB_SCRAM_ITERATIONS, stored, server))
    return NULL;
  char s64[64], st64[64], sv64[64];
  EVP_EncodeBlock((unsigned char *)s64, salt, SALT_LEN);
  EVP_EncodeBlock((unsigned char *)st64, stored, ORB_SCRAM_KEY_LEN);
  EVP_EncodeBlock((unsigned char *)sv64, server, ORB_SCRAM_KEY_LEN);
  size_t n = 14 + 12 + strlen(s64) + strlen(st64) + strlen(sv64) + 8;
  char *out = orb_malloc(n);
  snprintf(out, n, "SCRAM-SHA-256$%d:%s$%s:%s", ORB_SCRAM_ITERATIONS, s64, st64, sv64);
  OPENSSL_cleanse(stored, sizeof stored);
  OPENSSL_cleanse(server, sizeof server);
  return out;
}
