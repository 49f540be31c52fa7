// tests/interop/iceberg_evolve_check.mjs — an Iceberg table whose schema and
// partition spec evolved, checked with readers no one on the Orbit team
// wrote.  For every manifest of the current snapshot, avsc decodes the
// manifest list and the manifest: the manifest's partition-spec-id header
// must be the list entry's partition_spec_id, its partition-spec header
// that spec's fields in the table metadata, and the Avro partition record's
// fields exactly that spec's partition fields (names and field ids); its
// schema header must be a schema of the table.  DuckDB reads every data
// file's Parquet schema: each column's field id must be a field of the
// schema the manifest says the file was written with, under that field's
// name (a position delete file: file_path and pos with the spec's reserved
// ids).  Then icebird reads the whole table through its metadata.
//
// Prints one JSON object: {"failures": [...], "manifests": n, "files": n,
// "specs": [spec id of each data file], "icebird": rows | "error text"}.
//   node iceberg_evolve_check.mjs TABLE_DIR
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeAvro, serveLocalFiles } from './iceberg_files.mjs';

const [dir] = process.argv.slice(2);
const failures = [];
const fail = (m) => failures.push(m);
const eq = (a, b, what) => { if (String(a) !== String(b)) fail(`${what}: ${a} != ${b}`); };

const mdir = path.join(dir, 'metadata');
const version = Number(fs.readFileSync(path.join(mdir, 'version-hint.text'), 'utf8').trim());
const meta = JSON.parse(fs.readFileSync(path.join(mdir, `v${version}.metadata.json`), 'utf8').replace(/:\s*(-?\d{16,})/g, ':"$1"'));
const local = (loc) => {
  const l = meta.location.replace(/\/+$/, '');
  if (!loc.startsWith(l + '/')) { fail(`path ${loc} is not under the table location ${l}`); return loc; }
  return path.join(dir, loc.slice(l.length + 1));
};
const specById = new Map(meta['partition-specs'].map((s) => [s['spec-id'], s]));
const schemaById = new Map(meta.schemas.map((s) => [s['schema-id'], s]));

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();

let manifests = 0;
const files = [];
const snap = meta.snapshots.find((s) => String(s['snapshot-id']) === String(meta['current-snapshot-id']));
if (snap) {
  const list = await decodeAvro(local(snap['manifest-list']));
  for (const m of list.records) {
    const mf = local(m.manifest_path);
    const man = await decodeAvro(mf);
    manifests++;
    const specId = Number(man.meta['partition-spec-id']);
    eq(specId, m.partition_spec_id, `${mf}: partition-spec-id header vs the manifest list`);
    const spec = specById.get(specId);
    if (!spec) { fail(`${mf}: partition spec ${specId} is not in the table metadata`); continue; }
    const hdr = JSON.parse(man.meta['partition-spec']);
    eq(JSON.stringify(hdr.map((f) => [f.name, f['field-id'], f['source-id'], f.transform])),
      JSON.stringify(spec.fields.map((f) => [f.name, f['field-id'], f['source-id'], f.transform])),
      `${mf}: partition-spec header vs spec ${specId}`);
    const df = man.schema.fields.find((f) => f.name === 'data_file').type;
    const part = df.fields.find((f) => f.name === 'partition').type;
    eq(JSON.stringify(part.fields.map((f) => [f.name, f['field-id']])),
      JSON.stringify(spec.fields.map((f) => [f.name, f['field-id']])), `${mf}: Avro partition record vs spec ${specId}`);
    const wschema = JSON.parse(man.meta.schema);
    const tschema = schemaById.get(wschema['schema-id']);
    if (!tschema) { fail(`${mf}: schema ${wschema['schema-id']} is not in the table metadata`); continue; }
    for (const e of man.records) {
      const file = local(e.data_file.file_path);
      files.push(specId);
      // partition tuple: one value per spec field, by the Avro names
      eq(Object.keys(e.data_file.partition).join(','), spec.fields.map((f) => f.name).join(','), `${file}: partition tuple`);
      const lit = `'${file.replace(/'/g, "''")}'`;
      const cols = await q(`SELECT name, field_id FROM parquet_schema(${lit}) WHERE num_children IS NULL OR num_children = 0`);
      if (e.data_file.content !== 0) {   // a position delete file: the spec's reserved ids, whatever the schema
        eq(JSON.stringify(cols.map((c) => [c.name, Number(c.field_id)])),
          JSON.stringify([['file_path', 2147483546], ['pos', 2147483545]]), `${file}: position delete columns`);
        continue;
      }
      for (const c of cols) {
        const f = tschema.fields.find((x) => x.id === Number(c.field_id));
        if (!f) fail(`${file}: column ${c.name} has field id ${c.field_id}, which schema ${tschema['schema-id']} does not have`);
        else eq(c.name, f.name, `${file}: the column with field id ${c.field_id}`);
      }
      eq(cols.length, tschema.fields.length, `${file}: columns vs schema ${tschema['schema-id']}`);
    }
  }
}

let icebird = null;
try {
  const ib = await import('icebird');
  serveLocalFiles();
  icebird = await ib.icebergRead({ tableUrl: dir });
} catch (e) {
  icebird = `icebird: ${e.message}`;
}
console.log(JSON.stringify({ failures, manifests, files: files.length, specs: files, icebird },
  (k, v) => (typeof v === 'bigint' ? v.toString() : v)));
