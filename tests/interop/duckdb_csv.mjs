// Runs one SQL statement in DuckDB (in memory) and prints the result as
// RFC 4180 CSV with a header line, NULL as an empty field and an empty
// string as "" (what `orbit --csv` prints), for tests that compare the two.
// usage: node duckdb_csv.mjs "SQL"
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const field = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return s === '' || /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
};
try {
  const r = await con.runAndReadAll(process.argv[2]);
  const lines = [r.columnNames().map(field).join(',')];
  for (const row of r.getRows()) lines.push(row.map(field).join(','));
  console.log(lines.join('\n'));
} catch (e) {
  console.log('error ' + String(e.message).split('\n')[0]);
  process.exitCode = 1;
}
