// DuckDB's side of bench/bench_parquet.sh (not a test: the peer's timings).
// DuckDB runs with threads=1; every timing is the best of `reps` runs, in CPU
// seconds of the process (the machine is shared: wall time would measure the
// neighbours), files in the page cache.  The table is the benchmark's
// formula, which bench/bench_parquet.c makes the same way:
//   id BIGINT = i, d DOUBLE = (i % 1000) * 0.5, n INTEGER = i % 100000,
//   ts TIMESTAMP = 2020-01-01 + i seconds, s TEXT = 'k' || (i % 1000)
// Raw input bytes (for MB/s): 8 + 8 + 4 + 8 and the text's bytes per row.
// usage: node duckdb_parquet_bench.mjs write ROWS DIR   (DIR/duckdb_{zstd,uncompressed}.parquet)
//        node duckdb_parquet_bench.mjs read FILE LO HI
//        node duckdb_parquet_bench.mjs check FILE        (read_all's answer only, untimed)
//        node duckdb_parquet_bench.mjs count LIST REPS   (bench/bench_cold_count.sh: count(*) over the
//          Parquet files LIST names, one a line; the first query's wall ms (footers read) and the best
//          of REPS more, in wall ms: a count is milliseconds)
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
const reps = 3;
const best = async (sql) => {
  let t = Infinity, rows;
  for (let r = 0; r < reps; r++) {
    const t0 = process.cpuUsage();
    rows = (await con.runAndReadAll(sql)).getRows();
    const cpu = process.cpuUsage(t0);
    t = Math.min(t, (cpu.user + cpu.system) / 1e6);
  }
  return [t, rows];
};
const readAll = (f) => `SELECT sum(id), sum(d), sum(n), max(ts), sum(length(s)) FROM ${f}`;
const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'write') {
  await con.run(`CREATE TABLE t AS SELECT i AS id, ((i % 1000) * 0.5)::DOUBLE AS d, (i % 100000)::INTEGER AS n,
                 TIMESTAMP '2020-01-01' + to_seconds(i) AS ts, 'k' || (i % 1000) AS s FROM range(${BigInt(a)}) r(i)`);
  const raw = (await con.runAndReadAll(`SELECT sum(28 + strlen(s)) FROM t`)).getRows()[0][0];
  for (const codec of ['zstd', 'uncompressed']) {
    const path = `${b}/duckdb_${codec}.parquet`;
    const [t] = await best(`COPY t TO '${path}' (FORMAT parquet, COMPRESSION ${codec})`);
    const size = (await con.runAndReadAll(`SELECT file_size_bytes FROM parquet_file_metadata('${path}')`)).getRows()[0][0];
    console.log(`write_${codec} ${t} ${raw} ${size}`);
  }
} else if (mode === 'count') {
  const { readFileSync } = await import('node:fs');
  const files = readFileSync(a, 'utf8').split('\n').filter((l) => l);
  const sql = `SELECT count(*) FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`;
  const timed = async () => {
    const t0 = performance.now();
    const rows = (await con.runAndReadAll(sql)).getRows();
    return [performance.now() - t0, rows[0][0]];
  };
  await con.run('SELECT 42');   // the engine's own first-query start-up is not the count's
  const [first, n] = await timed();
  let cached = Infinity;
  for (let r = 0; r < Number(b); r++) cached = Math.min(cached, (await timed())[0]);
  console.log(`count ${first} ${cached} ${n}`);
} else if (mode === 'check') {
  console.log(`answer ${(await con.runAndReadAll(readAll(`read_parquet('${a}')`))).getRows()[0].join(' ')}`);
} else {
  const f = `read_parquet('${a}')`;
  const [full, r1] = await best(readAll(f));
  console.log(`read_all ${full} ${r1[0].join(' ')}`);
  const [num, r2] = await best(`SELECT sum(id), sum(d), sum(n) FROM ${f}`);
  console.log(`read_numeric ${num} ${r2[0].join(' ')}`);
  const [sel, r3] = await best(`SELECT count(*), sum(d) FROM ${f} WHERE id BETWEEN ${b} AND ${c}`);
  console.log(`selective ${sel} ${r3[0].join(' ')}`);
}
