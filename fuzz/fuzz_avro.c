/* fuzz/fuzz_avro.c — libFuzzer target for Avro object container files: the
** input is a whole file image; its header (magic, metadata map, schema
** JSON, codec, sync marker), every block (counts, sizes, decompression,
** sync) and every record's values must decode or fail with an error, never
** crash, hang or allocate without bound (a 16 MiB limit here).  What
** decodes is also written again and read back, and resolved to its own
** schema by field id.  Seeds: the iceberg-trino fixtures' manifests and
** manifest lists (test.sh passes their directory as a read-only corpus). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "formats/avro/avro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  avro_reader *r;
  orb_err e;
  orb_err_clear(&e);
  if (avro_reader_open_image(data, size, "fuzz", (size_t)16 << 20, &r, &e) != ORB_OK) return 0;
  orb_arena a;
  orb_arena_init(&a, 0);
  avro_writer *w = NULL;
  static const uint8_t sync[16];
  avro_writer_new(r->schema, AVRO_CODEC_DEFLATE, NULL, 0, sync, &w, &e);
  avro_value v;
  bool got;
  int64_t n = 0;
  while (avro_reader_next(r, &a, &v, &got, &e) == ORB_OK && got && n < 100000) {
    avro_value p;
    if (avro_project(r->schema, &v, r->schema, &a, &p, &e) == ORB_OK && !avro_value_equal(&v, &p)) abort();
    orb_buf js = ORB_BUF_INIT;
    avro_value_to_json(r->schema, &v, &js);
    orb_buf_free(&js);
    if (w && avro_writer_append(w, &v, &e) != ORB_OK) abort();   /* what we decoded must encode */
    n++;
    if (a.total > ((size_t)64 << 20)) orb_arena_reset(&a);
  }
  if (w) {
    orb_buf f = ORB_BUF_INIT;
    avro_reader *back;
    if (avro_writer_finish(w, &f, &e) == ORB_OK &&
        avro_reader_open_image(f.data, f.len, "again", (size_t)16 << 20, &back, &e) == ORB_OK) {
      int64_t m = 0;
      while (avro_reader_next(back, &a, &v, &got, &e) == ORB_OK && got) m++;
      if (m != n) abort();
      avro_reader_close(back);
    }
    orb_buf_free(&f);
    avro_writer_free(w);
  }
  orb_arena_free(&a);
  avro_reader_close(r);
  return 0;
}
