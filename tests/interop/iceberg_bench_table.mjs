// An Iceberg v2 table for bench/bench_iceberg_prune.sh: FILES Parquet files
// of ROWS rows each written by DuckDB (FIELD_IDS), id BIGINT sorted across
// the files, d DATE one day per file (identity partition), v DOUBLE; the
// manifests (one per 100 files, with partition summaries) and the manifest
// list by avsc, with each file's value and null counts and the lower/upper
// bounds of id and d in the spec's single-value serialization.  Metadata
// JSON by hand from apache/iceberg format/spec.md.
//   usage: node iceberg_bench_table.mjs make DIR FILES ROWS
//          node iceberg_bench_table.mjs duck DIR WHERE   (DuckDB, threads=1:
//            count(*) and sum(v) over the data files with that filter, best of 3 ms)
import avro from 'avsc';
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const [cmd, dir] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();

if (cmd === 'duck') {
  const where = process.argv[4];
  const sql = `SELECT count(*) AS n, sum(v) AS s FROM read_parquet('${dir}/data/*.parquet') WHERE ${where}`;
  let best = Infinity, answer = '';
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const r = await (await con.runAndReadAll(sql)).getRows();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
    answer = `${r[0][0]} ${Number(r[0][1]).toFixed(6)}`;
  }
  console.log(`duckdb ${best.toFixed(2)} ms ${answer}`);
  process.exit(0);
}

const files = Number(process.argv[4]), rows = Number(process.argv[5]);
const loc = 's3a://warehouse/bench';
fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
fs.mkdirSync(path.join(dir, 'metadata'), { recursive: true });
const day0 = 20000;   // 2024-10-04
for (let i = 0; i < files; i++)
  await con.run(`COPY (SELECT (${i} * ${rows} + range)::BIGINT AS id, (DATE '2024-10-04' + ${i})::DATE AS d,
    hash(range, ${i}) % 1000000 / 1000.0 AS v FROM range(${rows}))
    TO '${path.join(dir, 'data', `f${i}.parquet`)}' (FORMAT parquet, FIELD_IDS {id: 1, d: 2, v: 3})`);

const le64 = (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; };
const le32 = (n) => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; };
const kv = (name, id, k, v, type) => ({ name, 'field-id': id, default: null, type: ['null', { type: 'array', logicalType: 'map',
  items: { type: 'record', name: `k${k}_v${v}`, fields: [{ name: 'key', type: 'int', 'field-id': k },
    { name: 'value', type, 'field-id': v }] } }] });
const part = { type: 'record', name: 'r102', fields: [{ name: 'd', type: ['null', { type: 'int', logicalType: 'date' }],
  default: null, 'field-id': 1000 }] };
const entrySchema = { type: 'record', name: 'manifest_entry', fields: [
  { name: 'status', type: 'int', 'field-id': 0 },
  { name: 'snapshot_id', type: ['null', 'long'], default: null, 'field-id': 1 },
  { name: 'sequence_number', type: ['null', 'long'], default: null, 'field-id': 3 },
  { name: 'file_sequence_number', type: ['null', 'long'], default: null, 'field-id': 4 },
  { name: 'data_file', 'field-id': 2, type: { type: 'record', name: 'r2', fields: [
    { name: 'content', type: 'int', 'field-id': 134 },
    { name: 'file_path', type: 'string', 'field-id': 100 },
    { name: 'file_format', type: 'string', 'field-id': 101 },
    { name: 'partition', type: part, 'field-id': 102 },
    { name: 'record_count', type: 'long', 'field-id': 103 },
    { name: 'file_size_in_bytes', type: 'long', 'field-id': 104 },
    kv('value_counts', 109, 119, 120, 'long'), kv('null_value_counts', 110, 121, 122, 'long'),
    kv('lower_bounds', 125, 126, 127, 'bytes'), kv('upper_bounds', 128, 129, 130, 'bytes'),
  ] } },
] };
const summary = { type: 'record', name: 'r508', fields: [
  { name: 'contains_null', type: 'boolean', 'field-id': 509 },
  { name: 'contains_nan', type: ['null', 'boolean'], default: null, 'field-id': 518 },
  { name: 'lower_bound', type: ['null', 'bytes'], default: null, 'field-id': 510 },
  { name: 'upper_bound', type: ['null', 'bytes'], default: null, 'field-id': 511 }] };
const listSchema = { type: 'record', name: 'manifest_file', fields: [
  { name: 'manifest_path', type: 'string', 'field-id': 500 },
  { name: 'manifest_length', type: 'long', 'field-id': 501 },
  { name: 'partition_spec_id', type: 'int', 'field-id': 502 },
  { name: 'content', type: 'int', 'field-id': 517 },
  { name: 'sequence_number', type: 'long', 'field-id': 515 },
  { name: 'min_sequence_number', type: 'long', 'field-id': 516 },
  { name: 'added_snapshot_id', type: 'long', 'field-id': 503 },
  { name: 'added_files_count', type: 'int', 'field-id': 504 },
  { name: 'existing_files_count', type: 'int', 'field-id': 505 },
  { name: 'deleted_files_count', type: 'int', 'field-id': 506 },
  { name: 'partitions', type: ['null', { type: 'array', items: summary, 'element-id': 508 }], default: null, 'field-id': 507 },
] };
const write = (file, schema, records, meta) => new Promise((resolve, reject) => {
  const out = path.join(dir, 'metadata', file);
  const enc = new avro.streams.BlockEncoder(schema, { codec: 'deflate', metadata: Object.fromEntries(
    Object.entries(meta).map(([k, v]) => [k, Buffer.from(v)])) });
  const ws = fs.createWriteStream(out);
  enc.pipe(ws);
  ws.on('finish', () => resolve(fs.statSync(out).size));
  ws.on('error', reject);
  for (const r of records) enc.write(r);
  enc.end();
});

const list = [];
for (let m = 0; m * 100 < files; m++) {
  const entries = [];
  const first = m * 100, last = Math.min(files, first + 100) - 1;
  for (let i = first; i <= last; i++) {
    const f = `f${i}.parquet`;
    entries.push({ status: 1, snapshot_id: 1, sequence_number: 1, file_sequence_number: 1, data_file: {
      content: 0, file_path: `${loc}/data/${f}`, file_format: 'PARQUET', partition: { d: day0 + i },
      record_count: rows, file_size_in_bytes: fs.statSync(path.join(dir, 'data', f)).size,
      value_counts: [1, 2, 3].map((k) => ({ key: k, value: rows })),
      null_value_counts: [1, 2, 3].map((k) => ({ key: k, value: 0 })),
      lower_bounds: [{ key: 1, value: le64(i * rows) }, { key: 2, value: le32(day0 + i) }],
      upper_bounds: [{ key: 1, value: le64(i * rows + rows - 1) }, { key: 2, value: le32(day0 + i) }],
    } });
  }
  const name = `m${m}.avro`;
  const len = await write(name, entrySchema, entries, { 'format-version': '2', 'partition-spec-id': '0', content: 'data' });
  list.push({ manifest_path: `${loc}/metadata/${name}`, manifest_length: len, partition_spec_id: 0, content: 0,
    sequence_number: 1, min_sequence_number: 1, added_snapshot_id: 1, added_files_count: last - first + 1,
    existing_files_count: 0, deleted_files_count: 0,
    partitions: [{ contains_null: false, contains_nan: null, lower_bound: le32(day0 + first), upper_bound: le32(day0 + last) }] });
}
await write('snap-1.avro', listSchema, list, { 'format-version': '2', 'snapshot-id': '1' });
const field = (id, name, type) => ({ id, name, required: false, type });
fs.writeFileSync(path.join(dir, 'metadata', 'v1.metadata.json'), JSON.stringify({
  'format-version': 2, 'table-uuid': '0c12d441-03fe-4693-9a96-a0705ddf69c1', location: loc,
  'last-sequence-number': 1, 'last-updated-ms': 1735732800000, 'last-column-id': 3, 'current-schema-id': 0,
  schemas: [{ type: 'struct', 'schema-id': 0, fields: [field(1, 'id', 'long'), field(2, 'd', 'date'), field(3, 'v', 'double')] }],
  'default-spec-id': 0, 'partition-specs': [{ 'spec-id': 0, fields: [{ name: 'd', transform: 'identity', 'source-id': 2, 'field-id': 1000 }] }],
  'last-partition-id': 1000, 'default-sort-order-id': 0, 'sort-orders': [{ 'order-id': 0, fields: [] }],
  properties: {}, 'current-snapshot-id': 1, refs: { main: { 'snapshot-id': 1, type: 'branch' } },
  snapshots: [{ 'snapshot-id': 1, 'sequence-number': 1, 'timestamp-ms': 1735732800000,
    'manifest-list': `${loc}/metadata/snap-1.avro`, summary: { operation: 'append' }, 'schema-id': 0 }],
  'snapshot-log': [], 'metadata-log': [] }, null, 2));
console.log(`${files} files of ${rows} rows in ${dir}`);
