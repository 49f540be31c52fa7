/* formats/avro/avro_write.c — writing object container files (see avro.h).
**
** The header carries avro.schema (the schema JSON with every attribute, so
** Iceberg readers find their field ids), avro.codec and the caller's
** metadata; records are encoded into a pending block, which is compressed
** and written with its count, size and the sync marker once it reaches the
** block size, and at the end. */
#include "formats/avro/avro_int.h"
#include "base/mem.h"

#include <string.h>
#include <sys/random.h>

struct avro_writer {
  const avro_schema *schema;
  avro_codec codec;
  uint8_t sync[16];
  size_t block_size;
  orb_buf file;       /* header and written blocks */
  orb_buf pending;    /* encoded records of the block being filled */
  int64_t npending;
};

static void put_str(orb_buf *b, const char *p, size_t n) {
  orb_buf_put_svarint(b, (int64_t)n);
  orb_buf_append(b, p, n);
}

orb_status avro_writer_new(const avro_schema *s, avro_codec codec, const avro_meta *meta, int nmeta,
                           const uint8_t *sync, avro_writer **out, orb_err *e) {
  *out = NULL;
  if ((unsigned)codec > AVRO_CODEC_ZSTD) return orb_err_set(e, ORB_ERR_UNSUPPORTED, "avro: codec %d is not supported", (int)codec);
  for (int i = 0; i < nmeta; i++)
    if (strncmp(meta[i].key, "avro.", 5) == 0)
      return orb_err_set(e, ORB_ERR_MISUSE, "avro: metadata key \"%s\" is reserved by the specification", meta[i].key);
  avro_writer *w = orb_calloc(1, sizeof *w);
  w->schema = s;
  w->codec = codec;
  w->block_size = 64 << 10;
  if (sync) memcpy(w->sync, sync, 16);
  else if (getrandom(w->sync, 16, 0) != 16) {
    orb_free(w);
    return orb_err_set(e, ORB_ERR_IO, "avro: the system's random source failed");
  }
  orb_buf_append(&w->file, "Obj\x01", 4);
  orb_buf_put_svarint(&w->file, nmeta + 2);
  orb_buf js = ORB_BUF_INIT;
  avro_schema_to_json(s, &js);
  put_str(&w->file, "avro.schema", 11);
  put_str(&w->file, js.data, js.len);
  orb_buf_free(&js);
  const char *cn = avro_codec_name(codec);
  put_str(&w->file, "avro.codec", 10);
  put_str(&w->file, cn, strlen(cn));
  for (int i = 0; i < nmeta; i++) {
    put_str(&w->file, meta[i].key, strlen(meta[i].key));
    put_str(&w->file, meta[i].value, meta[i].len);
  }
  orb_buf_put_svarint(&w->file, 0);
  orb_buf_append(&w->file, w->sync, 16);
  *out = w;
  return ORB_OK;
}

void avro_writer_block_size(avro_writer *w, size_t bytes) { w->block_size = bytes ? bytes : 1; }

static orb_status flush(avro_writer *w, orb_err *e) {
  if (w->npending == 0) return ORB_OK;
  orb_buf z = ORB_BUF_INIT;
  orb_status st = avro_compress(w->codec, (const uint8_t *)w->pending.data, w->pending.len, &z, e);
  if (st == ORB_OK) {
    orb_buf_put_svarint(&w->file, w->npending);
    orb_buf_put_svarint(&w->file, (int64_t)z.len);
    orb_buf_append(&w->file, z.data, z.len);
    orb_buf_append(&w->file, w->sync, 16);
    orb_buf_reset(&w->pending);
    w->npending = 0;
  }
  orb_buf_free(&z);
  return st;
}

orb_status avro_writer_append(avro_writer *w, const avro_value *v, orb_err *e) {
  orb_status st = avro_encode(w->schema, v, &w->pending, e);
  if (st != ORB_OK) return st;
  w->npending++;
  return w->pending.len >= w->block_size ? flush(w, e) : ORB_OK;
}

orb_status avro_writer_finish(avro_writer *w, orb_buf *out, orb_err *e) {
  orb_status st = flush(w, e);
  if (st != ORB_OK) return st;
  orb_buf_append(out, w->file.data, w->file.len);
  orb_buf_reset(&w->file);
  return ORB_OK;
}

void avro_writer_free(avro_writer *w) {
  if (!w) return;
  orb_buf_free(&w->file);
  orb_buf_free(&w->pending);
  orb_free(w);
}
