// Writes a small Iceberg v2 table that the iceberg-trino fixtures do not
// cover, for tests/storage/iceberg_read_test.py: Parquet files by DuckDB
// (FIELD_IDS), manifests and manifest lists by avsc (an Avro library no one
// here wrote), metadata JSON by hand from apache/iceberg format/spec.md.
//
//   snapshot 1 (sequence 1): d1.parquet (c1, c2, c3), unpartitioned spec 0
//   snapshot 2 (sequence 2): adds
//     d2.parquet, spec 1 = identity(c2), partition c2 = 2025-02-01, and the
//       file has no c2 column (its value comes from the partition tuple);
//     eq.parquet, equality delete on c1 = 2, spec 0 (global): applies to d1
//       (data sequence 1 < 2), not to d2 (2 is not < 2);
//     pos.parquet, position delete of d2 row 0, spec 1 partition 2025-02-01
//       (applies: 2 <= 2); pos_other.parquet, of d2 row 1 but in partition
//       2025-02-02 (does not apply: another partition).
//   Entries added in snapshot 2 leave snapshot_id and sequence_number null,
//   inherited from the manifest list.
// usage: node iceberg_synth_table.mjs DIR
import avro from 'avsc';
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const loc = 's3a://warehouse/synth';
fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
fs.mkdirSync(path.join(dir, 'metadata'), { recursive: true });
const con = await (await DuckDBInstance.create(':memory:')).connect();
const copy = async (sql, file, ids) =>
  con.run(`COPY (${sql}) TO '${path.join(dir, 'data', file)}' (FORMAT parquet, FIELD_IDS ${ids})`);
await copy("SELECT * FROM (VALUES (1, DATE '2025-01-01', 1.0::DOUBLE), (2, DATE '2025-01-02', 2.0::DOUBLE), (3, DATE '2025-01-03', 3.0::DOUBLE)) t(c1, c2, c3)",
  'd1.parquet', '{c1: 1, c2: 2, c3: 3}');
await copy("SELECT * FROM (VALUES (4, 4.0::DOUBLE), (2, 5.0::DOUBLE)) t(c1, c3)", 'd2.parquet', '{c1: 1, c3: 3}');
await copy('SELECT 2::INTEGER AS c1', 'eq.parquet', '{c1: 1}');
await copy(`SELECT '${loc}/data/d2.parquet' AS file_path, 0::BIGINT AS pos`, 'pos.parquet', '{file_path: 2147483546, pos: 2147483545}');
await copy(`SELECT '${loc}/data/d2.parquet' AS file_path, 1::BIGINT AS pos`, 'pos_other.parquet', '{file_path: 2147483546, pos: 2147483545}');

const optLong = (name, id) => ({ name, type: ['null', 'long'], default: null, 'field-id': id });
const partType = (fields) => ({ type: 'record', name: 'r102', fields });
const entrySchema = (part) => ({
  type: 'record', name: 'manifest_entry', fields: [
    { name: 'status', type: 'int', 'field-id': 0 },
    optLong('snapshot_id', 1), optLong('sequence_number', 3), optLong('file_sequence_number', 4),
    { name: 'data_file', 'field-id': 2, type: { type: 'record', name: 'r2', fields: [
      { name: 'content', type: 'int', 'field-id': 134 },
      { name: 'file_path', type: 'string', 'field-id': 100 },
      { name: 'file_format', type: 'string', 'field-id': 101 },
      { name: 'partition', type: part, 'field-id': 102 },
      { name: 'record_count', type: 'long', 'field-id': 103 },
      { name: 'file_size_in_bytes', type: 'long', 'field-id': 104 },
      { name: 'equality_ids', type: ['null', { type: 'array', items: 'int', 'element-id': 136 }], default: null, 'field-id': 135 },
    ] } },
  ] });
const listSchema = { type: 'record', name: 'manifest_file', fields: [
  { name: 'manifest_path', type: 'string', 'field-id': 500 },
  { name: 'manifest_length', type: 'long', 'field-id': 501 },
  { name: 'partition_spec_id', type: 'int', 'field-id': 502 },
  { name: 'content', type: 'int', 'field-id': 517 },
  { name: 'sequence_number', type: 'long', 'field-id': 515 },
  { name: 'min_sequence_number', type: 'long', 'field-id': 516 },
  { name: 'added_snapshot_id', type: 'long', 'field-id': 503 },
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
const size = (f) => fs.statSync(path.join(dir, 'data', f)).size;
const df = (content, file, partition, records, eq = null) => ({
  content, file_path: `${loc}/data/${file}`, file_format: 'PARQUET', partition, record_count: records,
  file_size_in_bytes: size(file), equality_ids: eq });
const unpart = partType([]);
const byDay = partType([{ name: 'c2', type: ['null', { type: 'int', logicalType: 'date' }], default: null, 'field-id': 1000 }]);
const day = (s) => Math.round(Date.parse(s + 'T00:00:00Z') / 86400000);
const m0 = await write('m-data0.avro', entrySchema(unpart),
  [{ status: 1, snapshot_id: 1, sequence_number: 1, file_sequence_number: 1, data_file: df(0, 'd1.parquet', {}, 3) }],
  { 'format-version': '2', 'partition-spec-id': '0', content: 'data' });
const m1 = await write('m-data1.avro', entrySchema(byDay),
  [{ status: 1, snapshot_id: null, sequence_number: null, file_sequence_number: null,
     data_file: df(0, 'd2.parquet', { c2: day('2025-02-01') }, 2) }],
  { 'format-version': '2', 'partition-spec-id': '1', content: 'data' });
const m2 = await write('m-del0.avro', entrySchema(unpart),
  [{ status: 1, snapshot_id: null, sequence_number: null, file_sequence_number: null, data_file: df(2, 'eq.parquet', {}, 1, [1]) }],
  { 'format-version': '2', 'partition-spec-id': '0', content: 'deletes' });
const m3 = await write('m-del1.avro', entrySchema(byDay), [
  { status: 1, snapshot_id: null, sequence_number: null, file_sequence_number: null, data_file: df(1, 'pos.parquet', { c2: day('2025-02-01') }, 1) },
  { status: 1, snapshot_id: null, sequence_number: null, file_sequence_number: null, data_file: df(1, 'pos_other.parquet', { c2: day('2025-02-02') }, 1) },
], { 'format-version': '2', 'partition-spec-id': '1', content: 'deletes' });
const ml = (file, spec, content, seq, snap, len) => ({ manifest_path: `${loc}/metadata/${file}`, manifest_length: len,
  partition_spec_id: spec, content, sequence_number: seq, min_sequence_number: seq, added_snapshot_id: snap });
await write('snap-1.avro', listSchema, [ml('m-data0.avro', 0, 0, 1, 1, m0)], { 'format-version': '2', 'snapshot-id': '1' });
await write('snap-2.avro', listSchema, [ml('m-data0.avro', 0, 0, 1, 1, m0), ml('m-data1.avro', 1, 0, 2, 2, m1),
  ml('m-del0.avro', 0, 1, 2, 2, m2), ml('m-del1.avro', 1, 1, 2, 2, m3)], { 'format-version': '2', 'snapshot-id': '2' });
const field = (id, name, type) => ({ id, name, required: false, type });
const meta = {
  'format-version': 2, 'table-uuid': '9c12d441-03fe-4693-9a96-a0705ddf69c1', location: loc,
  'last-sequence-number': 2, 'last-updated-ms': 1735732800000, 'last-column-id': 3,
  'current-schema-id': 0, schemas: [{ type: 'struct', 'schema-id': 0,
    fields: [field(1, 'c1', 'int'), field(2, 'c2', 'date'), field(3, 'c3', 'double')] }],
  'default-spec-id': 1, 'partition-specs': [{ 'spec-id': 0, fields: [] },
    { 'spec-id': 1, fields: [{ name: 'c2', transform: 'identity', 'source-id': 2, 'field-id': 1000 }] }],
  'last-partition-id': 1000, 'default-sort-order-id': 0, 'sort-orders': [{ 'order-id': 0, fields: [] }],
  properties: {}, 'current-snapshot-id': 2,
  refs: { main: { 'snapshot-id': 2, type: 'branch' } },
  snapshots: [
    { 'snapshot-id': 1, 'sequence-number': 1, 'timestamp-ms': 1735732800000, 'manifest-list': `${loc}/metadata/snap-1.avro`,
      summary: { operation: 'append' }, 'schema-id': 0 },
    { 'snapshot-id': 2, 'parent-snapshot-id': 1, 'sequence-number': 2, 'timestamp-ms': 1735732860000,
      'manifest-list': `${loc}/metadata/snap-2.avro`, summary: { operation: 'overwrite' }, 'schema-id': 0 },
  ],
  'snapshot-log': [], 'metadata-log': [],
};
fs.writeFileSync(path.join(dir, 'metadata', 'v1.metadata.json'), JSON.stringify(meta, null, 2));
