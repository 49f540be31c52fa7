/* tests/formats/pq_print.h — the canonical printing of values that the
** Parquet test programs share with tests/interop/parquet_*.mjs:
** "s:" text with \n and \\ escaped; "f:" the hex bits of a double, or NaN. */
#ifndef ORB_TESTS_FORMATS_PQ_PRINT_H
#define ORB_TESTS_FORMATS_PQ_PRINT_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static inline void print_text(const void *text, size_t n) {
  const uint8_t *p = text;
  printf("s:");
  for (size_t k = 0; k < n; k++) {
    if (p[k] == '\n') printf("\\n");
    else if (p[k] == '\\') printf("\\\\");
    else putchar(p[k]);
  }
  printf("\n");
}

static inline void print_double(double d) {
  if (isnan(d)) {
    printf("NaN\n");
    return;
  }
  uint64_t u;
  memcpy(&u, &d, 8);
  printf("f:%016" PRIx64 "\n", u);
}

#endif
