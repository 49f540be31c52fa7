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

#endif
