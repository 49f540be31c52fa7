// DuckDB's side of bench/bench_pq_write.c: the same rows written to Parquet
// by COPY with threads=1, ZSTD and uncompressed; MB/s of the same raw input
// (8 + 8 + 4 + 8 bytes and the text's bytes per row).  The table is made in
// memory first and not timed.  Times are CPU seconds of the process.
// usage: node bench_parquet_write.mjs [ROWS] [DIR]
import { DuckDBInstance } from '@duckdb/node-api';

const rows = Number(process.argv[2] ?? 10000000);
const dir = process.argv[3] ?? '/tmp';
const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
await con.run(`CREATE TABLE t AS SELECT i AS id, ((i * 2654435761) % 1000000) / 7.0 AS d,
  CAST((i * 31) % 1000000 - 500000 AS INTEGER) AS i, TIMESTAMP '2024-01-01' + i * INTERVAL 1 SECOND AS ts,
  'user_' || ((i * 7919) % 100000) AS s FROM range(${rows}) r(i)`);
const raw = Number((await con.runAndReadAll(`SELECT sum(28 + strlen(s)) FROM t`)).getRows()[0][0]);
for (const codec of ['zstd', 'uncompressed']) {
  const path = `${dir}/bench_duckdb_write_${codec}.parquet`;
  const t0 = process.cpuUsage();   // CPU seconds, as bench_pq_write.c measures
  await con.run(`COPY t TO '${path}' (FORMAT parquet, COMPRESSION ${codec})`);
  const cpu = process.cpuUsage(t0);
  const secs = (cpu.user + cpu.system) / 1e6;
  const size = Number((await con.runAndReadAll(`SELECT file_size_bytes FROM parquet_file_metadata('${path}')`)).getRows()[0][0]);
  console.log(`duckdb write ${codec.padEnd(12)} ${rows} rows, ${(raw / 1e6).toFixed(1)} MB raw in ${secs.toFixed(3)} s: ${(raw / 1e6 / secs).toFixed(1)} MB/s (file ${(size / 1e6).toFixed(1)} MB)`);
}
