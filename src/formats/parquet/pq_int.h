/*
** formats/parquet/pq_int.h — what the files of formats/parquet share and
** nobody else needs.
*/
#ifndef ORB_FORMATS_PARQUET_PQ_INT_H
#define ORB_FORMATS_PARQUET_PQ_INT_H

#include "formats/parquet/parquet.h"

/* ORB_ERR_CORRUPT: "parquet: \"<name>\": <what>". */
orb_status pq_corrupt(orb_err *e, const char *name, const char *what);
/* File offset of a column chunk's first page (its dictionary page when it
** has one before the data pages). */
int64_t pq_chunk_start(const pq_chunk *c);

/* Read n bytes at file offset off of src into buf (pq_index.c).  The range
** must lie inside the file, except that with short_ok a range running past
** its end reads what is there (*got says how much). */
orb_status pq_src_read(const pq_source *src, int64_t off, size_t n, bool short_ok, uint8_t *buf, size_t *got,
                       orb_err *e);

#endif
