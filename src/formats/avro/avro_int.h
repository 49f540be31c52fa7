/*
** formats/avro/avro_int.h — what the files of formats/avro share and nobody
** else needs.
*/
#ifndef ORB_FORMATS_AVRO_AVRO_INT_H
#define ORB_FORMATS_AVRO_AVRO_INT_H

#include "formats/avro/avro.h"

/* ORB_ERR_CORRUPT: "avro: <what>: <printf message>". */
orb_status avro_corrupt(orb_err *e, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Zigzag varints as the specification bounds them: a long in at most 10
** bytes, an int in at most 5 and within 32 bits.  false (and r->err set)
** when truncated or over-long. */
bool avro_rd_long(orb_rd *r, int64_t *out);
bool avro_rd_int(orb_rd *r, int32_t *out);

/* Decompress a block of `codec` into *buf (heap, grown as needed, *cap its
** size), at most limit bytes; *out_len is the decompressed length. */
orb_status avro_decompress(avro_codec codec, const uint8_t *src, size_t n, size_t limit, uint8_t **buf, size_t *cap,
                           size_t *out_len, const char *what, orb_err *e);
/* Append the compressed form of src to out. */
orb_status avro_compress(avro_codec codec, const uint8_t *src, size_t n, orb_buf *out, orb_err *e);

#endif
