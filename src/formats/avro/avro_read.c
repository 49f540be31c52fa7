/* formats/avro/avro_read.c — reading object container files (see avro.h).
**
** A container file is the four bytes "Obj" 1, the header's metadata as an
** Avro map of bytes, a 16-byte sync marker, then blocks: a long count of
** records, a long byte size, that many (compressed) bytes, and the sync
** marker again.  The whole file is read into memory (manifests are small,
** and the limit bounds it); one block at a time is decompressed. */
#include "formats/avro/avro_int.h"
#include "base/file.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

static const uint8_t magic[4] = {'O', 'b', 'j', 1};

/* The header's metadata map: blocks of (string key, bytes value). */
static orb_status read_meta(avro_reader *r, orb_rd *rd, orb_err *e) {
  size_t cap = 0, n = 0;
  avro_meta *tmp = NULL;
  orb_status st = ORB_OK;
  for (;;) {
    int64_t count, size;
    if (!avro_rd_long(rd, &count)) {
      st = avro_corrupt(e, r->name, "the header's metadata map is truncated");
      break;
    }
    if (count == 0) break;
    if (count < 0) {
      count = count == INT64_MIN ? INT64_MAX : -count;
      if (!avro_rd_long(rd, &size) || size < 0) {
        st = avro_corrupt(e, r->name, "the header's metadata block size is invalid");
        break;
      }
    }
    /* each entry takes at least two bytes (two lengths) */
    if ((uint64_t)count > orb_rd_left(rd) / 2) {
      st = avro_corrupt(e, r->name, "the header claims %lld metadata entries in %zu bytes", (long long)count,
                        orb_rd_left(rd));
      break;
    }
    for (int64_t i = 0; i < count && st == ORB_OK; i++) {
      size_t kn = 0, vn = 0;
      int64_t l;
      const uint8_t *k = NULL, *v = NULL;
      if (avro_rd_long(rd, &l) && l >= 0 && (uint64_t)l <= orb_rd_left(rd)) k = orb_rd_raw(rd, kn = (size_t)l);
      if (k && avro_rd_long(rd, &l) && l >= 0 && (uint64_t)l <= orb_rd_left(rd)) v = orb_rd_raw(rd, vn = (size_t)l);
      if (!k || !v) {
        st = avro_corrupt(e, r->name, "header metadata entry %zu is truncated", n + 1);
        break;
      }
      tmp = orb_grow(tmp, &cap, n + 1, sizeof *tmp);
      tmp[n++] = (avro_meta){orb_arena_strndup(&r->arena, (const char *)k, kn),
                             orb_arena_strndup(&r->arena, (const char *)v, vn), vn};
    }
    if (st != ORB_OK) break;
  }
  if (st == ORB_OK) {
    r->meta = orb_arena_dup_array(&r->arena, tmp, sizeof *tmp, n);
    r->nmeta = (int)n;
  }
  orb_free(tmp);
  return st;
}

const avro_meta *avro_reader_meta(const avro_reader *r, const char *key) {
  for (int i = 0; i < r->nmeta; i++)
    if (strcmp(r->meta[i].key, key) == 0) return &r->meta[i];
  return NULL;
}

struct avro_cached_schema {
  const char *json;
  size_t len;
  avro_schema *schema;
  avro_cached_schema *next;
};

void avro_schema_cache_init(avro_schema_cache *c, orb_arena *a) {
  c->arena = a;
  c->first = NULL;
}

/* The header: metadata, sync marker, codec, schema (from cache when it has the text). */
static orb_status open_header(avro_reader *r, avro_schema_cache *cache, orb_err *e) {
  if (r->len < 4 || memcmp(r->img, magic, 4) != 0)
    return avro_corrupt(e, r->name, "not an Avro container file (no \"Obj\" 1 magic at its start)");
  orb_rd rd;
  orb_rd_init(&rd, r->img + 4, r->len - 4);
  orb_status st = read_meta(r, &rd, e);
  if (st != ORB_OK) return st;
  const uint8_t *sync = orb_rd_raw(&rd, 16);
  if (!sync) return avro_corrupt(e, r->name, "the header ends before its sync marker");
  memcpy(r->sync, sync, 16);
  r->pos = (size_t)(rd.p - r->img);
  const avro_meta *codec = avro_reader_meta(r, "avro.codec");
  r->codec = AVRO_CODEC_NULL;
  if (codec) {
    int c = avro_codec_by_name(codec->value, codec->len);
    if (c < 0)
      return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "avro: %s: codec \"%.40s\" is not supported", r->name,
                          codec->value);
    r->codec = (avro_codec)c;
  }
  const avro_meta *schema = avro_reader_meta(r, "avro.schema");
  if (!schema) return avro_corrupt(e, r->name, "the header has no avro.schema");
  if (cache)
    for (avro_cached_schema *k = cache->first; k; k = k->next)
      if (k->len == schema->len && memcmp(k->json, schema->value, k->len) == 0) {
        r->schema = k->schema;
        return ORB_OK;
      }
  char what[300];
  snprintf(what, sizeof what, "\"%s\"", r->name);
  st = avro_schema_parse(schema->value, schema->len, cache ? cache->arena : &r->arena, what, &r->schema, e);
  if (st == ORB_OK && cache) {
    avro_cached_schema *k = orb_arena_alloc(cache->arena, sizeof *k);
    k->json = orb_arena_memdup(cache->arena, schema->value, schema->len);
    k->len = schema->len;
    k->schema = r->schema;
    k->next = cache->first;
    cache->first = k;
  }
  return st;
}

static orb_status open_image(const void *data, size_t len, const char *name, size_t limit, avro_schema_cache *cache,
                             avro_reader **out, orb_err *e) {
  avro_reader *r = orb_calloc(1, sizeof *r);
  orb_arena_init(&r->arena, 0);
  r->name = orb_arena_strdup(&r->arena, name ? name : "avro");
  r->limit = limit ? limit : AVRO_DEFAULT_LIMIT;
  r->img = data;
  r->len = len;
  orb_status st = open_header(r, cache, e);
  if (st != ORB_OK) {
    avro_reader_close(r);
    *out = NULL;
    return st;
  }
  *out = r;
  return ORB_OK;
}

orb_status avro_reader_open_image(const void *data, size_t len, const char *name, size_t limit, avro_reader **out,
                                  orb_err *e) {
  return open_image(data, len, name, limit, NULL, out, e);
}

orb_status avro_reader_open_cached(const char *path, size_t limit, avro_schema_cache *cache, avro_reader **out,
                                   orb_err *e) {
  char *data;
  size_t len;
  *out = NULL;
  if (!limit) limit = AVRO_DEFAULT_LIMIT;
  orb_status st = orb_file_read_all(path, limit, &data, &len, e);
  if (st != ORB_OK) {
    orb_err_prefix(e, "avro");
    return st;
  }
  st = open_image(data, len, path, limit, cache, out, e);
  if (st != ORB_OK) {
    orb_free(data);
    return st;
  }
  (*out)->owned = data;
  return ORB_OK;
}

orb_status avro_reader_open(const char *path, size_t limit, avro_reader **out, orb_err *e) {
  return avro_reader_open_cached(path, limit, NULL, out, e);
}

/* The next block: its header, data, sync marker; decompressed into r->block. */
static orb_status next_block(avro_reader *r, orb_err *e) {
  char what[300];
  int64_t index = r->blocks + 1;
  snprintf(what, sizeof what, "\"%s\": block %lld", r->name, (long long)index);
  orb_rd rd;
  orb_rd_init(&rd, r->img + r->pos, r->len - r->pos);
  int64_t count, size;
  if (!avro_rd_long(&rd, &count) || !avro_rd_long(&rd, &size))
    return avro_corrupt(e, what, "the block header at byte %zu is truncated or malformed", r->pos);
  if (count < 0 || size < 0)
    return avro_corrupt(e, what, "negative record count %lld or size %lld", (long long)count, (long long)size);
  if ((uint64_t)size > orb_rd_left(&rd) || orb_rd_left(&rd) - (size_t)size < 16)
    return avro_corrupt(e, what, "%lld bytes of data and the sync marker run past the end of the file (%zu bytes left)",
                        (long long)size, orb_rd_left(&rd));
  const uint8_t *data = orb_rd_raw(&rd, (size_t)size);
  const uint8_t *sync = orb_rd_raw(&rd, 16);
  if (memcmp(sync, r->sync, 16) != 0) return avro_corrupt(e, what, "sync marker differs from the header's");
  size_t n;
  orb_status st = avro_decompress(r->codec, data, (size_t)size, r->limit, &r->block, &r->block_cap, &n, what, e);
  if (st != ORB_OK) return st;
  /* every record takes at least min_bytes; records of nothing (a null
  ** schema) are still bounded so that a reader cannot be made to loop */
  int min = r->schema->min_bytes;
  if ((min > 0 && (uint64_t)count > n / (size_t)min) || (min == 0 && (uint64_t)count > r->limit / sizeof(avro_value)))
    return avro_corrupt(e, what, "%lld records cannot fit in its %zu bytes", (long long)count, n);
  orb_rd_init(&r->rd, r->block, n);
  r->left = count;
  r->pos = (size_t)(rd.p - r->img);
  r->blocks++;
  if (count == 0 && n != 0) return avro_corrupt(e, what, "a block of no records has %zu bytes of data", n);
  return ORB_OK;
}

/* An error about "data" (avro_decode without a name) names the record. */
static void name_record(const avro_reader *r, orb_err *e) {
  static const char anon[] = "avro: data: ";
  if (strncmp(e->msg, anon, sizeof anon - 1) != 0) return;
  char msg[sizeof e->msg];
  int n = snprintf(msg, sizeof msg, "avro: \"%s\": block %lld, record %lld: ", r->name, (long long)r->blocks,
                   (long long)r->records + 1);
  if (n < 0 || (size_t)n >= sizeof msg) return;
  size_t rest = strlen(e->msg + sizeof anon - 1);
  if (rest > sizeof msg - 1 - (size_t)n) rest = sizeof msg - 1 - (size_t)n;
  memcpy(msg + n, e->msg + sizeof anon - 1, rest);
  msg[(size_t)n + rest] = '\0';
  memcpy(e->msg, msg, sizeof msg);
}

orb_status avro_reader_next(avro_reader *r, orb_arena *a, avro_value *out, bool *got, orb_err *e) {
  return avro_reader_next_fields(r, a, NULL, out, got, e);
}

orb_status avro_reader_next_fields(avro_reader *r, orb_arena *a, const bool *keep, avro_value *out, bool *got,
                                   orb_err *e) {
  *got = false;
  while (r->left == 0) {
    if (r->pos == r->len) return ORB_OK;
    orb_status st = next_block(r, e);
    if (st != ORB_OK) {
      r->pos = r->len;   /* no further reading after a failure */
      r->left = 0;
      return st;
    }
  }
  /* the record's place is spelled out only in an error message: formatting
  ** it for every record cost a tenth of reading a manifest list */
  orb_status st = avro_decode_fields(r->schema, &r->rd, a, r->limit, NULL, keep, out, e);
  if (st == ORB_OK && --r->left == 0 && orb_rd_left(&r->rd) != 0)
    st = avro_corrupt(e, NULL, "%zu bytes are left in the block after its last record", orb_rd_left(&r->rd));
  if (st != ORB_OK) {
    name_record(r, e);
    r->pos = r->len;
    r->left = 0;
    return st;
  }
  r->records++;
  *got = true;
  return ORB_OK;
}

void avro_reader_close(avro_reader *r) {
  if (!r) return;
  orb_arena_free(&r->arena);
  orb_free(r->block);
  orb_free(r->owned);
  orb_free(r);
}
