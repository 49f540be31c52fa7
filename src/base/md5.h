/*
** base/md5.h — the MD5 message digest (RFC 1321).
**
** For SQL's md5() function and PostgreSQL's md5 password exchange; MD5 is
** broken as a cryptographic hash, so never use it to protect anything.
**
**   uint8_t d[16]; orb_md5(data, n, d);        one shot
**   char hex[33];  orb_md5_hex(data, n, hex);  32 lower-case hex digits + NUL
*/
#ifndef ORB_BASE_MD5_H
#define ORB_BASE_MD5_H

#include <stddef.h>
#include <stdint.h>

void orb_md5(const void *data, size_t n, uint8_t digest[16]);
void orb_md5_hex(const void *data, size_t n, char hex[33]);

#endif
