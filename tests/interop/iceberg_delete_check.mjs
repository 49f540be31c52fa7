// tests/interop/iceberg_delete_check.mjs — check the position deletes of an
// Iceberg table Orbit wrote, with readers no one on the Orbit team wrote:
//   - avsc decodes the current snapshot's manifest list and every manifest:
//     field ids and types of the spec (content 517 in the list, 134 and
//     referenced_data_file 143 in the manifest), content 1 and header
//     content "deletes" for delete manifests, counts that add up, each
//     delete file's lower/upper bounds of file_path and pos;
//   - DuckDB reads every position delete file: its columns' Parquet field
//     ids (file_path 2147483546, pos 2147483545, both required), rows sorted
//     by (file_path, pos), the row count the manifest says, every file_path
//     a live data file of the same partition (referenced_data_file when set);
//   - the snapshot summary's totals against what the manifests hold;
//   - npm icebird reads the whole table through its metadata, applying the
//     position deletes itself: its rows are written to OUT_JSON (sorted JSON
//     texts of [id, k, v]) for the caller to compare with Orbit's.
// Prints "FAIL ..." per problem and one "ok ..." line; exit status = failures.
//   node iceberg_delete_check.mjs TABLE_DIR OUT_JSON
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeAvro, serveLocalFiles } from './iceberg_files.mjs';

const [dir, outFile] = process.argv.slice(2);
let failures = 0;
const fail = (m) => { failures++; if (failures < 50) console.log('FAIL ' + m); };
const eq = (a, b, what) => { if (String(a) !== String(b)) fail(`${what}: ${a} != ${b}`); };

// field-id -> [name, type signature]
function idsOf(schema, out = new Map()) {
  const sig = (t) => typeof t === 'string' ? t : Array.isArray(t) ? t.map(sig).join('|')
    : t.type === 'array' ? (t.logicalType === 'map' ? 'map' : 'array') : t.type;
  const walk = (t) => {
    if (Array.isArray(t)) return t.forEach(walk);
    if (!t || typeof t !== 'object') return;
    if (t.type === 'record') for (const f of t.fields) {
      if (f['field-id'] !== undefined) out.set(f['field-id'], [f.name, sig(f.type)]);
      walk(f.type);
    }
    if (t.type === 'array') walk(t.items);
  };
  walk(schema);
  return out;
}
const wantIds = (schema, want, what) => {
  const ids = idsOf(schema);
  for (const [id, name, type] of want) {
    const got = ids.get(id);
    if (!got) fail(`${what}: no field with id ${id} (${name})`);
    else { eq(got[0], name, `${what}: name of field ${id}`); eq(got[1], type, `${what}: type of field ${id}`); }
  }
};
const local = (p) => p.replace(/^file:\/\//, '');
const mapOf = (arr) => new Map((arr || []).map((kv) => [kv.key, kv.value]));

const version = fs.readFileSync(path.join(dir, 'metadata', 'version-hint.text'), 'utf8').trim();
const meta = JSON.parse(fs.readFileSync(path.join(dir, 'metadata', `v${version}.metadata.json`), 'utf8'));
const snap = meta.snapshots.find((s) => String(s['snapshot-id']) === String(meta['current-snapshot-id']));
const list = await decodeAvro(local(snap['manifest-list']));
wantIds(list.schema, [[500, 'manifest_path', 'string'], [517, 'content', 'int'], [515, 'sequence_number', 'long'],
  [516, 'min_sequence_number', 'long'], [504, 'added_files_count', 'int'], [512, 'added_rows_count', 'long']], 'manifest list');

const db = await (await DuckDBInstance.create(':memory:')).connect();
const q = async (sql) => (await db.runAndReadAll(sql)).getRowObjects();
const lit = (s) => `'${s.replace(/'/g, "''")}'`;

const live = new Map();   // data file path -> partition JSON
const deletes = [];       // [entry, manifest list entry]
let dataRecords = 0n, deleteManifests = 0;
for (const m of list.records) {
  const man = await decodeAvro(local(m.manifest_path));
  eq(man.meta['format-version'], '2', `${m.manifest_path}: format-version`);
  eq(man.meta.content, m.content === 1 ? 'deletes' : 'data', `${m.manifest_path}: header content for list content ${m.content}`);
  wantIds(man.schema, [[0, 'status', 'int'], [134, 'content', 'int'], [100, 'file_path', 'string'], [102, 'partition', 'record'],
    [103, 'record_count', 'long'], [125, 'lower_bounds', 'null|map'], [128, 'upper_bounds', 'null|map'],
    [143, 'referenced_data_file', 'null|string']], m.manifest_path);
  let added = 0, existing = 0, addedRows = 0n;
  for (const e of man.records) {
    if (e.status === 2) continue;
    if (e.status === 1) { added++; addedRows += e.data_file.record_count; } else existing++;
    eq(e.data_file.content, m.content === 1 ? 1 : 0, `${e.data_file.file_path}: entry content in a manifest of content ${m.content}`);
    if (m.content === 0) { live.set(e.data_file.file_path, JSON.stringify(e.data_file.partition)); dataRecords += e.data_file.record_count; }
    else deletes.push([e, m]);
  }
  if (m.content === 1) deleteManifests++;
  eq(m.added_files_count, added, `${m.manifest_path}: added_files_count`);
  eq(m.existing_files_count, existing, `${m.manifest_path}: existing_files_count`);
  eq(m.added_rows_count, addedRows, `${m.manifest_path}: added_rows_count`);
}

let posDeletes = 0n;
for (const [e, m] of deletes) {
  const f = e.data_file;
  const file = local(f.file_path);
  const schema = await q(`SELECT name, field_id, repetition_type FROM parquet_schema(${lit(file)}) WHERE name IN ('file_path', 'pos') ORDER BY name`);
  eq(JSON.stringify(schema.map((r) => [r.name, String(r.field_id), r.repetition_type])),
    JSON.stringify([["file_path", "2147483546", "REQUIRED"], ["pos", "2147483545", "REQUIRED"]]), `${file}: columns`);
  const rows = await q(`SELECT file_path, pos FROM read_parquet(${lit(file)})`);
  eq(rows.length, f.record_count, `${file}: rows vs record_count`);
  posDeletes += f.record_count;
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1], b = rows[i];
    if (a.file_path > b.file_path || (a.file_path === b.file_path && a.pos >= b.pos)) { fail(`${file}: rows not sorted by (file_path, pos) at ${i}`); break; }
  }
  const part = JSON.stringify(f.partition);
  for (const r of rows) {
    if (!live.has(r.file_path)) { fail(`${file}: names ${r.file_path}, not a live data file`); break; }
    if (live.get(r.file_path) !== part) { fail(`${file}: partition ${part} but its data file's is ${live.get(r.file_path)}`); break; }
    if (f.referenced_data_file != null && r.file_path !== f.referenced_data_file) { fail(`${file}: names ${r.file_path} but references ${f.referenced_data_file}`); break; }
  }
  if (f.referenced_data_file == null && new Set(rows.map((r) => r.file_path)).size === 1) fail(`${file}: one data file but no referenced_data_file`);
  const lo = mapOf(f.lower_bounds), hi = mapOf(f.upper_bounds);
  if (rows.length) {
    eq(lo.get(2147483546)?.toString('utf8'), rows[0].file_path, `${file}: lower bound of file_path`);
    eq(hi.get(2147483546)?.toString('utf8'), rows[rows.length - 1].file_path, `${file}: upper bound of file_path`);
    const pos = rows.map((r) => BigInt(r.pos));
    const min = pos.reduce((x, y) => (y < x ? y : x)), max = pos.reduce((x, y) => (y > x ? y : x));
    eq(lo.get(2147483545)?.readBigInt64LE(0), min, `${file}: lower bound of pos`);
    eq(hi.get(2147483545)?.readBigInt64LE(0), max, `${file}: upper bound of pos`);
  }
  eq(mapOf(f.value_counts).get(2147483545), f.record_count, `${file}: value count of pos`);
}
const s = snap.summary;
eq(s['total-records'], dataRecords, 'summary total-records (data rows)');
eq(s['total-data-files'], live.size, 'summary total-data-files');
eq(s['total-delete-files'], deletes.length, 'summary total-delete-files');
eq(s['total-position-deletes'], posDeletes, 'summary total-position-deletes');

// --- the whole table through icebird (its fetch() served from local files) -----------
let icebirdNote = 'not installed';
let icebird = null;
try { icebird = await import('icebird'); } catch { /* reported below */ }
if (icebird) {
  serveLocalFiles();
  try {
    const rows = await icebird.icebergRead({ tableUrl: dir });
    const out = rows.map((r) => JSON.stringify([String(r.id), r.k, r.v === null ? null : String(r.v)])).sort();
    fs.writeFileSync(outFile, JSON.stringify(out));
    icebirdNote = `${rows.length} rows`;
  } catch (e) { fail(`icebird: ${e.message}`); }
}
console.log(`ok ${list.records.length} manifests (${deleteManifests} of deletes), ${live.size} data files, ${deletes.length} delete files, ${posDeletes} position deletes; icebird: ${icebirdNote}; ${failures} failures`);
process.exitCode = Math.min(failures, 100);
