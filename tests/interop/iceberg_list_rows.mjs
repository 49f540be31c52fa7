// tests/interop/iceberg_list_rows.mjs — read an Iceberg table with npm
// icebird (a reader no one on the Orbit team wrote), its deletes applied,
// and print each row as one JSON line of the named columns, sorted, with
// bigints as strings and lists as JSON arrays (NULL elements null), for
// tests/storage/iceberg_array_test.py to compare with Orbit's rows.
//   node iceberg_list_rows.mjs TABLE_DIR COLUMN...
import { serveLocalFiles } from './iceberg_files.mjs';

const [dir, ...cols] = process.argv.slice(2);
let icebird;
try { icebird = await import('icebird'); } catch { console.error('icebird is not installed: run npm ci in tests/interop'); process.exit(2); }
serveLocalFiles();
const plain = (v) => (typeof v === 'bigint' ? String(v) : Array.isArray(v) ? v.map(plain) : v === undefined ? null : v);
const rows = await icebird.icebergRead({ tableUrl: dir });
const out = rows.map((r) => JSON.stringify(cols.map((c) => plain(r[c])))).sort();
for (const l of out) console.log(l);
