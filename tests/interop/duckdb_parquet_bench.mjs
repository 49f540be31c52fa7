// DuckDB's side of bench/bench_parquet.sh (not a test: the peer's timings).
// DuckDB runs with threads=1; every timing is the best of `reps` runs, files
// in the page cache.  The table is the benchmark's formula, which
// bench/bench_parquet.c computes the same way:
//   id BIGINT = i, d DOUBLE = (i % 1000) * 0.5, n INTEGER = i % 100000,
//   ts TIMESTAMP = 2020-01-01 + i seconds, s TEXT = 'k' || (i % 1000)
// usage: node duckdb_parquet_bench.mjs write ROWS DIR
//        node duckdb_parquet_bench.mjs read FILE LO HI
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
const reps = 3;
const best = async (sql) => {
  let t = Infinity, rows;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    rows = (await con.runAndReadAll(sql)).getRows();
    t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return [t, rows];
};
const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'write') {
  await con.run(`CREATE TABLE t AS SELECT i AS id, ((i % 1000) * 0.5)::DOUBLE AS d, (i % 100000)::INTEGER AS n,
                 TIMESTAMP '2020-01-01' + to_seconds(i) AS ts, 'k' || (i % 1000) AS s FROM range(${BigInt(a)}) r(i)`);
  for (const codec of ['zstd', 'uncompressed']) {
    const [t] = await best(`COPY t TO '${b}/duckdb_${codec}.parquet' (FORMAT parquet, COMPRESSION ${codec})`);
    console.log(`write_${codec} ${t}`);
  }
} else {
  const f = `read_parquet('${a}')`;
  const [full, r1] = await best(`SELECT sum(id), sum(d), sum(n), max(ts), sum(length(s)) FROM ${f}`);
  console.log(`read_all ${full} ${r1[0].join(' ')}`);
  const [num, r2] = await best(`SELECT sum(id), sum(d), sum(n) FROM ${f}`);
  console.log(`read_numeric ${num} ${r2[0].join(' ')}`);
  const [sel, r3] = await best(`SELECT count(*), sum(d) FROM ${f} WHERE id BETWEEN ${b} AND ${c}`);
  console.log(`selective ${sel} ${r3[0].join(' ')}`);
}
