/*
** server/transport.h — a client connection's byte stream: plain TCP, or TLS
** (OpenSSL) once the client asked for it with SSLRequest and the server has
** a certificate.  The protocol session above never knows which.
*/
#ifndef ORB_SERVER_TRANSPORT_H
#define ORB_SERVER_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"

typedef struct pg_tls pg_tls;          /* server-wide TLS settings (certificate, key) */
typedef struct pg_conn_io {
  int fd;
  void *ssl;                           /* SSL*, NULL while plain */
} pg_conn_io;

/* Load the certificate chain and private key (PEM); TLS 1.2 or newer. */
orb_status pg_tls_new(const char *cert_file, const char *key_file, pg_tls **out, orb_err *e);
void pg_tls_free(pg_tls *t);

/* Start TLS on a connection whose SSLRequest was just answered 'S'. */
bool pg_io_start_tls(pg_conn_io *c, pg_tls *t);
/* Wait up to timeout_ms for bytes; then read what is there.  0 = timeout,
** -1 = closed or failed, else the count. */
ssize_t pg_io_read(pg_conn_io *c, void *buf, size_t n, int timeout_ms);
bool pg_io_write(pg_conn_io *c, const void *buf, size_t n);
void pg_io_close(pg_conn_io *c);

#endif
