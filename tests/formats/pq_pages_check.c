/* tests/formats/pq_pages_check.c — walk every page of every column chunk of
** the files given (headers, CRC32, decompression, value counts against the
** footer) and print "ok FILE pages values" or "error MESSAGE" per file.
** usage: pq_pages_check FILE... (exit status 0 either way) */
#include <stdio.h>

#include "formats/parquet/parquet.h"

typedef struct counts {
  long long pages, values, checked_crc;
} counts;

static orb_status count(void *arg, const pq_page_header *h, const uint8_t *page, size_t len, orb_err *e) {
  (void)page, (void)len, (void)e;
  counts *c = arg;
  c->pages++;
  c->checked_crc += h->has_crc;
  if (h->type == 0 || h->type == 3) c->values += h->num_values;
  return ORB_OK;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    pq_file_meta *m;
    orb_err e;
    orb_err_clear(&e);
    counts c = {0, 0, 0};
    orb_status st = pq_read_footer(argv[i], &m, &e);
    for (int g = 0; st == ORB_OK && g < m->nrow_groups; g++)
      for (int k = 0; st == ORB_OK && k < m->row_groups[g].ncolumns; k++)
        st = pq_chunk_walk(argv[i], m, g, k, 0, count, &c, &e);
    if (st == ORB_OK) printf("ok %s pages=%lld values=%lld crc=%lld\n", argv[i], c.pages, c.values, c.checked_crc);
    else printf("error %s\n", e.msg);
    if (m && st != ORB_ERR_IO) pq_meta_free(m);
  }
  return 0;
}
