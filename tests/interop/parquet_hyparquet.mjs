// hyparquet's view of a Parquet file (a pure-JavaScript reader written
// independently of both Orbit and DuckDB), printed in the canonical form of
// tests/formats/pq_write_check.c so that tests/formats/parquet_write_test.sh
// can compare it with the rows that were written.
//
// hyparquet turns DECIMAL into a JavaScript number (inexact beyond 15
// digits), so for decimal columns the file's schema as handed to the reader
// has its decimal annotation taken off: the raw unscaled integers come back
// (INT32, INT64 or big-endian two's-complement bytes) and are scaled here
// exactly.  Everything else is hyparquet's own conversion.
//   usage: node parquet_hyparquet.mjs FILE
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const file = await asyncBufferFromFile(process.argv[2]);
const metadata = await parquetMetadataAsync(file);
const leaves = metadata.schema.slice(1);   // a flat file: the root, then one element per column
const scales = new Map();
for (const el of leaves) {
  if (el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL') {
    scales.set(el.name, el.scale ?? el.logical_type?.scale ?? 0);
    delete el.converted_type;
    delete el.logical_type;
  }
}

const bits = (x) => {
  if (Number.isNaN(x)) return 'NaN';
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return 'f:' + dv.getBigUint64(0).toString(16).padStart(16, '0');
};
const hex = (b) => Buffer.from(b).toString('hex');
const text = (s) => 's:' + s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

function unscaled(v) {   // a decimal's stored integer as a BigInt
  if (!(v instanceof Uint8Array)) return BigInt(v);
  let x = 0n;
  for (const byte of v) x = (x << 8n) | BigInt(byte);
  if (v.length && v[0] & 0x80) x -= 1n << BigInt(8 * v.length);
  return x;
}
function decimalText(v, scale) {
  const x = unscaled(v), neg = x < 0n;
  const digits = (neg ? -x : x).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale), frac = digits.slice(digits.length - scale);
  return (neg ? '-' : '') + whole + (scale ? '.' + frac : '');
}
function uuidText(b) {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function canonical(el, v) {
  if (v === null || v === undefined) return 'NULL';
  if (scales.has(el.name)) return decimalText(v, scales.get(el.name));
  const lt = el.logical_type?.type, ct = el.converted_type;
  if (lt === 'DATE' || ct === 'DATE' || lt === 'TIMESTAMP' || ct?.startsWith('TIMESTAMP_'))
    return v;   // already canonical: the parsers below made it
  if (lt === 'TIME' || ct?.startsWith('TIME_')) {   // hyparquet leaves times as stored
    const unit = el.logical_type?.unit ?? (ct === 'TIME_MILLIS' ? 'MILLIS' : 'MICROS');
    return 'us:' + { MILLIS: BigInt(v) * 1000n, MICROS: BigInt(v), NANOS: BigInt(v) / 1000n }[unit];
  }
  if (lt === 'UUID') return uuidText(v);
  switch (el.type) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'INT32': case 'INT64': return String(v);
    case 'FLOAT': case 'DOUBLE': return bits(Number(v));
    case 'BYTE_ARRAY': return typeof v === 'string' ? text(v) : 'x:' + hex(v);
    default: return 'x:' + hex(v);
  }
}

const rows = await parquetReadObjects({
  file, metadata, compressors, utf8: false,   // utf8: only STRING columns become text; BYTEA stays bytes
  parsers: {
    timestampFromMilliseconds: (ms) => 'us:' + BigInt(ms) * 1000n,
    timestampFromMicroseconds: (us) => 'us:' + BigInt(us),
    timestampFromNanoseconds: (ns) => 'us:' + BigInt(ns) / 1000n,
    dateFromDays: (days) => 'd:' + days,
    stringFromBytes: (b) => b && new TextDecoder().decode(b),
  },
});
const out = [];
for (const el of leaves) {
  out.push('col ' + el.name);
  for (const r of rows) out.push(canonical(el, r[el.name]));
}
process.stdout.write(out.join('\n') + '\n');
