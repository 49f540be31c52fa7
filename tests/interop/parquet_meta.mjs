// Prints a Parquet file's footer as DuckDB reads it, in the canonical text
// form tests/formats/parquet_meta_test.sh compares with Orbit's reader:
//   file <num_rows> <row groups> <created_by>
//   schema <name>|<type>|<num_children>|<converted_type>|<field_id>   (depth-first)
//   chunk <row group>|<column>|<path>|<type>|<num_values>|<codec>|<compressed>|<uncompressed>|<data page>|<dictionary page>|<null count>
// usage: node parquet_meta.mjs FILE...
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const str = (v) => (v === null || v === undefined ? 'NULL' : String(v));
const q = (s) => s.replaceAll("'", "''");
for (const f of process.argv.slice(2)) {
  try {
    const fm = (await con.runAndReadAll(
      `SELECT num_rows, num_row_groups, created_by FROM parquet_file_metadata('${q(f)}')`)).getRows()[0];
    const lines = [`file ${str(fm[0])} ${str(fm[1])} ${str(fm[2])}`];
    const schema = (await con.runAndReadAll(
      `SELECT name, type, num_children, converted_type, field_id FROM parquet_schema('${q(f)}')`)).getRows();
    for (const r of schema) lines.push('schema ' + r.map(str).join('|'));
    const chunks = (await con.runAndReadAll(
      `SELECT row_group_id, column_id, path_in_schema, type, num_values, compression, total_compressed_size,
              total_uncompressed_size, data_page_offset, dictionary_page_offset, stats_null_count
       FROM parquet_metadata('${q(f)}') ORDER BY row_group_id, column_id`)).getRows();
    for (const r of chunks) lines.push('chunk ' + r.map(str).join('|'));
    console.log(lines.join('\n'));
  } catch (e) {
    console.log(`error ${String(e.message).split('\n')[0]}`);
  }
}
