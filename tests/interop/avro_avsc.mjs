// tests/interop/avro_avsc.mjs — decode Avro container files with avsc (npm),
// an Avro implementation no one on the Orbit team wrote, and print for each
// file a line "# <file> <codec> <field-ids>" (the field-id attributes found
// in the header's avro.schema, by a plain JSON parse) and then one JSON line
// per record: records as objects, unions unwrapped, longs as exact integers,
// bytes and fixed as strings of code points 0-255 (the Avro JSON encoding).
// tests/formats/test_avro_iceberg.c compares this with Orbit's reading.
//   node avro_avsc.mjs FILE...
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
function loadAvsc() {
  try { return require('avsc'); } catch (e) { /* reported below */ }
  console.error('avsc is not installed: run npm ci in tests/interop');
  process.exit(2);
}
const avro = loadAvsc();

// longs as BigInt: manifest ids exceed 2^53
const longType = avro.types.LongType.__with({
  fromBuffer: (b) => b.readBigInt64LE(0),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (x) => BigInt(x),
  toJSON: (n) => n.toString(),
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
});

function json(v) {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '"NaN"';
    if (!Number.isFinite(v)) return v > 0 ? '"Infinity"' : '"-Infinity"';
    return JSON.stringify(v);
  }
  if (typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (Buffer.isBuffer(v)) return JSON.stringify(String.fromCharCode(...v));
  if (Array.isArray(v)) return '[' + v.map(json).join(',') + ']';
  return '{' + Object.keys(v).map((k) => JSON.stringify(k) + ':' + json(v[k])).join(',') + '}';
}

function fieldIds(schema, out) {
  if (Array.isArray(schema)) schema.forEach((s) => fieldIds(s, out));
  else if (schema && typeof schema === 'object') {
    if (schema['field-id'] !== undefined) out.push(schema['field-id']);
    for (const k of Object.keys(schema)) if (typeof schema[k] === 'object') fieldIds(schema[k], out);
  }
  return out;
}

for (const file of process.argv.slice(2)) {
  await new Promise((resolve, reject) => {
    const lines = [];
    avro.createFileDecoder(file, {
      parseHook: (schema) => avro.Type.forSchema(schema, { registry: { long: longType } }),
    })
      .on('metadata', (type, codec, header) => {
        const ids = fieldIds(JSON.parse(header.meta['avro.schema'].toString()), []);
        lines.push(`# ${file} ${codec} ${ids.join(',')}`);
      })
      .on('data', (rec) => lines.push(json(rec)))
      .on('error', reject)
      .on('end', () => { process.stdout.write(lines.join('\n') + '\n'); resolve(); });
  });
}
