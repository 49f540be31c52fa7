// tests/interop/iceberg_files.mjs — what the Iceberg checks share: Avro
// object container files (manifests, manifest lists) decoded with avsc, ids
// kept exact, and a fetch() that serves local files so that icebird (which
// reads tables over HTTP) reads a table folder.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const avro = require('avsc');

// longs as BigInt: snapshot ids exceed 2^53
const longType = avro.types.LongType.__with({
  fromBuffer: (b) => b.readBigInt64LE(0),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (x) => BigInt(x), toJSON: (n) => n.toString(), isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
});

// {"type": "long", "logicalType": ...} as plain "long", so that the BigInt long type reads it
function plainLongs(t) {
  if (Array.isArray(t)) return t.map(plainLongs);
  if (!t || typeof t !== 'object') return t;
  if (t.type === 'long') return 'long';
  const o = { ...t };
  if (o.fields) o.fields = o.fields.map((f) => ({ ...f, type: plainLongs(f.type) }));
  if (o.items) o.items = plainLongs(o.items);
  if (o.type && typeof o.type === 'object') o.type = plainLongs(o.type);
  return o;
}

// { type, codec, meta (header strings), schema (the writer's, as JSON), records }
export function decodeAvro(file) {
  return new Promise((resolve, reject) => {
    const records = [];
    let header = null;
    avro.createFileDecoder(file, { parseHook: (s) => avro.Type.forSchema(plainLongs(s), { registry: { long: longType }, wrapUnions: false }) })
      .on('metadata', (type, codec, h) => {
        const meta = Object.fromEntries(Object.entries(h.meta).map(([k, v]) => [k, v.toString()]));
        header = { type, codec, meta, schema: JSON.parse(meta['avro.schema']) };
      })
      .on('data', (r) => records.push(r))
      .on('end', () => resolve({ ...header, records }))
      .on('error', reject);
  });
}

// globalThis.fetch over the local file system (HEAD and Range requests too)
export function serveLocalFiles() {
  globalThis.fetch = async (url, init = {}) => {
    const buf = fs.readFileSync(String(url).replace(/^file:\/\//, ''));
    if (init.method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(buf.length) } });
    const m = /bytes=(\d+)-(\d*)/.exec(new Headers(init.headers || {}).get('Range') || '');
    if (m) return new Response(buf.subarray(Number(m[1]), m[2] ? Number(m[2]) + 1 : buf.length), { status: 206 });
    return new Response(buf, { status: 200 });
  };
}
