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
import { decodeAvro, serveLocalFiles } from './iceberg_files.mjs';

const [dir] = process.argv.slice(2);
let failures = 0;
const fail = (m) => { failures++; if (failures < 50) console.log('FAIL ' + m); };

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
  try { list = (await decodeAvro(lf)).records; lists++; } catch (e) { fail(`manifest list ${lf}: ${e.message}`); continue; }
  for (const m of list) {
    const mf = local(m.manifest_path);
    let entries;
    try { entries = (await decodeAvro(mf)).records; manifests++; } catch (e) { fail(`manifest ${mf}: ${e.message}`); continue; }
    for (const en of entries) if (en.status !== 2) live.add(local(en.data_file.file_path));
  }
}
for (const f of live) if (!fs.existsSync(f)) fail(`live file ${f} is missing`);

serveLocalFiles();
let rows = [];
try {
  const icebird = await import('icebird');
  rows = await icebird.icebergRead({ tableUrl: dir });
} catch (e) { fail(`icebird: ${e.message}`); }
const idSum = rows.reduce((s, r) => s + BigInt(r.id), 0n);
console.log(`ok snapshots=${meta.snapshots.length} lists=${lists} manifests=${manifests} files=${live.size} rows=${rows.length} id_sum=${idSum}`);
process.exitCode = Math.min(failures, 100);
