/* server/transport.c — plain and TLS connections (see transport.h). */
#include "server/transport.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

#include "base/file.h"
#include "base/mem.h"

struct pg_tls {
  SSL_CTX *ctx;
};

orb_status pg_tls_new(const char *cert_file, const char *key_file, pg_tls **out, orb_err *e) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return orb_err_set(e, ORB_ERR_INTERNAL, "cannot create a TLS context");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
    SSL_CTX_free(ctx);
    return orb_err_set(e, ORB_ERR_IO, "cannot load the TLS certificate \"%s\"", cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    SSL_CTX_free(ctx);
    return orb_err_set(e, ORB_ERR_IO, "cannot load the TLS key \"%s\" (or it does not match the certificate)", key_file);
  }
  pg_tls *t = orb_calloc(1, sizeof *t);
  t->ctx = ctx;
  *out = t;
  return ORB_OK;
}

void pg_tls_free(pg_tls *t) {
  if (!t) return;
  SSL_CTX_free(t->ctx);
  orb_free(t);
}

bool pg_io_start_tls(pg_conn_io *c, pg_tls *t) {
  SSL *ssl = SSL_new(t->ctx);
  if (!ssl) return false;
  SSL_set_fd(ssl, c->fd);
  if (SSL_accept(ssl) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return false;
  }
  c->ssl = ssl;
  return true;
}

ssize_t pg_io_read(pg_conn_io *c, void *buf, size_t n, int timeout_ms) {
  /* TLS may hold decrypted bytes the socket no longer shows */
  if (!c->ssl || SSL_pending(c->ssl) == 0) {
    struct pollfd pfd = {c->fd, POLLIN, 0};
    int pr = poll(&pfd, 1, timeout_ms);
    if (pr == 0 || (pr < 0 && errno == EINTR)) return 0;
    if (pr < 0) return -1;
  }
  if (!c->ssl) {
    ssize_t r = read(c->fd, buf, n);
    return r > 0 ? r : -1;
  }
  int r = SSL_read(c->ssl, buf, n > 1 << 30 ? 1 << 30 : (int)n);
  if (r > 0) return r;
  int err = SSL_get_error(c->ssl, r);
  ERR_clear_error();
  return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

bool pg_io_write(pg_conn_io *c, const void *buf, size_t n) {
  if (!c->ssl) return orb_write_full(c->fd, buf, n, "client socket", NULL) == ORB_OK;
  const char *p = buf;
  while (n > 0) {
    int w = SSL_write(c->ssl, p, n > 1 << 30 ? 1 << 30 : (int)n);
    if (w <= 0) {
      ERR_clear_error();
      return false;
    }
    p += w;
    n -= (size_t)w;
  }
  return true;
}

void pg_io_close(pg_conn_io *c) {
  if (c->ssl) {
    SSL_shutdown(c->ssl);
    SSL_free(c->ssl);
    c->ssl = NULL;
  }
  close(c->fd);
}
