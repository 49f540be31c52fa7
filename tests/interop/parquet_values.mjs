// Prints the values DuckDB reads from a Parquet file, for the columns of
// plain types, in the form of tests/formats/pq_values_dump.c:
//   col NAME, then per row NULL, true/false, decimal, f:<hex bits of the double> / NaN, s:<text, \n and \\ escaped>
// With --sql: the columns of integer, date, time, timestamp, decimal, UUID
// and string types as DuckDB prints their values ("s:<text>").
// usage: node parquet_values.mjs [--sql] FILE
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const sql = process.argv[2] === '--sql';
const f = process.argv[process.argv.length - 1].replaceAll("'", "''");
const kinds = { BOOLEAN: 'b', TINYINT: 'i', SMALLINT: 'i', INTEGER: 'i', BIGINT: 'i', FLOAT: 'f', DOUBLE: 'f', VARCHAR: 's' };
const bits = (x) => {
  if (Number.isNaN(x)) return 'NaN';
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return 'f:' + dv.getBigUint64(0).toString(16).padStart(16, '0');
};
try {
  const desc = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${f}')`)).getRows();
  const rows = (await con.runAndReadAll(`SELECT * FROM read_parquet('${f}')`)).getRows();
  const out = [];
  const sqlTypes = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DATE|TIME|TIMESTAMP|TIMESTAMP_NS|TIMESTAMP_MS|TIMESTAMP_S|DECIMAL\(\d+,\d+\)|UUID|VARCHAR)$/;
  desc.forEach(([name, type], c) => {
    const k = sql ? (sqlTypes.test(type) ? 's' : undefined) : kinds[type];
    if (!k) return;
    out.push('col ' + name);
    for (const r of rows) {
      const v = r[c];
      if (v === null) out.push('NULL');
      else if (k === 'b') out.push(v ? 'true' : 'false');
      else if (k === 'i') out.push(String(v));
      else if (k === 'f') out.push(bits(Number(v)));
      else out.push('s:' + String(v).replaceAll('\\', '\\\\').replaceAll('\n', '\\n'));
    }
  });
  console.log(out.join('\n'));
} catch (e) {
  console.log('error ' + String(e.message).split('\n')[0]);
}
