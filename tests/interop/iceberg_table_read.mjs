// tests/interop/iceberg_table_read.mjs — read a whole Iceberg table with
// readers no one on the Orbit team wrote, after maintenance changed it:
// the current metadata must hang together (refs, snapshot log and
// metadata log name what exists), avsc must decode every manifest list and
// manifest of every snapshot left, every file they list as live must be on
// disk, and npm icebird must read the current snapshot's rows.  Prints
// "FAIL ..." per problem, then one line
//   ok snapshots=N lists=N manifests=N files=N rows=N id_sum=S
// (id_sum: the sum of column `id`, as a BigInt).  Exit status: failures.
//   node iceberg_table_read.mjs TABLE_DIR
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const avro = require('avsc');
const [dir] = process.argv.slice(2);
let failures = 0;
const fail = (m) => { failures++; if (failures < 50) console.log('FAIL ' + m); };

const longType = avro.types.LongType.__with({
  fromBuffer: (b) => b.readBigInt64LE(0),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (x) => BigInt(x), toJSON: (n) => n.toString(), isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
});
function plainLongs(t) {
  if (Array.isArray(t)) return t.map(plainLongs);
  if (!t || typeof t !== 'object') return t;
  if (t.type === 'long') return 'long';
  const o = { ...t };
  if (o.fields) o.fields = o.fields.map((f) => ({ ...f, type: plainLongs(f.type) }));
  if (o.items) o.items = plainLongs(o.items);
  return o;
}
function decodeAvro(file) {
  return new Promise((resolve, reject) => {
    const records = [];
    avro.createFileDecoder(file, { parseHook: (s) => avro.Type.forSchema(plainLongs(s), { registry: { long: longType }, wrapUnions: false }) })
      .on('data', (r) => records.push(r))
      .on('end', () => resolve(records))
      .on('error', reject);
  });
}

const mdir = path.join(dir, 'metadata');
const version = Number(fs.readFileSync(path.join(mdir, 'version-hint.text'), 'utf8').trim());
const meta = JSON.parse(fs.readFileSync(path.join(mdir, `v${version}.metadata.json`), 'utf8').replace(/:\s*(-?\d{16,})/g, ':"$1"'));
const loc = meta.location.replace(/\/+$/, '');
const local = (p) => (p.startsWith(loc + '/') ? path.join(dir, p.slice(loc.length + 1)) : p.replace(/^file:\/\//, ''));
const ids = new Set(meta.snapshots.map((s) => String(s['snapshot-id'])));
if (meta['current-snapshot-id'] !== undefined && meta['current-snapshot-id'] !== null && String(meta['current-snapshot-id']) !== '-1' &&
    !ids.has(String(meta['current-snapshot-id']))) fail('current-snapshot-id is no snapshot');
for (const [name, ref] of Object.entries(meta.refs || {}))
  if (!ids.has(String(ref['snapshot-id']))) fail(`ref ${name} points to no snapshot`);
for (const e of meta['snapshot-log'] || []) if (!ids.has(String(e['snapshot-id']))) fail(`snapshot-log names ${e['snapshot-id']}, no snapshot`);
for (const e of meta['metadata-log'] || []) if (!fs.existsSync(local(e['metadata-file']))) fail(`metadata-log file ${e['metadata-file']} is missing`);

let lists = 0, manifests = 0;
const live = new Set();
for (const snap of meta.snapshots) {
  const lf = local(snap['manifest-list']);
  let list;
  try { list = await decodeAvro(lf); lists++; } catch (e) { fail(`manifest list ${lf}: ${e.message}`); continue; }
  for (const m of list) {
    const mf = local(m.manifest_path);
    let entries;
    try { entries = await decodeAvro(mf); manifests++; } catch (e) { fail(`manifest ${mf}: ${e.message}`); continue; }
    for (const en of entries) if (en.status !== 2) live.add(local(en.data_file.file_path));
  }
}
for (const f of live) if (!fs.existsSync(f)) fail(`live file ${f} is missing`);

globalThis.fetch = async (url, init = {}) => {
  const buf = fs.readFileSync(String(url).replace(/^file:\/\//, ''));
  if (init.method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(buf.length) } });
  const m = /bytes=(\d+)-(\d*)/.exec(new Headers(init.headers || {}).get('Range') || '');
  if (m) return new Response(buf.subarray(Number(m[1]), m[2] ? Number(m[2]) + 1 : buf.length), { status: 206 });
  return new Response(buf, { status: 200 });
};
let rows = [];
try {
  const icebird = await import('icebird');
  rows = await icebird.icebergRead({ tableUrl: dir });
} catch (e) { fail(`icebird: ${e.message}`); }
const idSum = rows.reduce((s, r) => s + BigInt(r.id), 0n);
console.log(`ok snapshots=${meta.snapshots.length} lists=${lists} manifests=${manifests} files=${live.size} rows=${rows.length} id_sum=${idSum}`);
process.exitCode = Math.min(failures, 100);
