// Writes a Parquet file with hyparquet-writer (a JavaScript writer no one on
// the Orbit team wrote) for tests/formats/parquet_write_test.sh: every type
// that writer can annotate, NULLs, edge values (NaN, +-0.0, infinities,
// integer extremes, empty and non-ASCII strings), several row groups, its
// default codec (SNAPPY).  Orbit's reading of the file must equal
// hyparquet's (tests/interop/parquet_hyparquet.mjs).
//   usage: node parquet_hyparquet_write.mjs FILE ROWS
import { parquetWriteFile } from 'hyparquet-writer';

const [file, nrows] = [process.argv[2], Number(process.argv[3] ?? 50000)];
let seed = 0x2545f4914f6cdd1dn;
const rnd = () => {   // xorshift64: the same file on every run
  seed ^= (seed << 13n) & 0xffffffffffffffffn; seed ^= seed >> 7n; seed ^= (seed << 17n) & 0xffffffffffffffffn;
  return seed;
};
const pick = (i, edges, make) => (i < edges.length ? edges[i] : i % 11 === 5 ? null : make());
const small = () => Number(rnd() % 2000001n) - 1000000;
const col = (name, edges, make) => ({ name, data: Array.from({ length: nrows }, (_, i) => pick(i, edges, make)) });

const columnData = [
  { name: 'id', data: BigInt64Array.from({ length: nrows }, (_, i) => BigInt(i)) },
  col('b', [true, false, null], () => (rnd() & 1n) === 1n),
  col('i32', [-2147483648, 2147483647, 0], () => small()),
  col('i64', [-9223372036854775808n, 9223372036854775807n, 0n], () => BigInt.asIntN(64, rnd())),
  col('f32', [NaN, -0, Infinity, -Infinity, 3.5], () => Math.fround(small() / 7)),
  col('f64', [NaN, -0, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE], () => small() / 3),
  col('d', [0, -99999999.9999, 99999999.9999], () => small() / 100),
  col('t', ['', 'ünïcödé ✓ 日本語', 'x'.repeat(3000), 'back\\slash'], () => 'v' + (rnd() % 5000n)),
  col('bin', [new Uint8Array(0), new Uint8Array([0, 255, 128])], () => Uint8Array.from([Number(rnd() % 256n), 7])),
  col('dt', [new Date(0), new Date(Date.UTC(1900, 0, 1)), new Date(Date.UTC(2262, 3, 11))],
      () => new Date(Number(rnd() % 20000n) * 86400000)),
  col('ts_ms', [new Date(0), new Date(-1)], () => new Date(Number(rnd() % 4000000000000n))),
  // logical-type-only timestamps take stored integers (the writer's Date
  // conversion covers TIMESTAMP_MILLIS alone)
  col('ts_us', [0n, -1n, -62135596800000000n], () => rnd() % 4000000000000000n),
  col('ts_ns', [0n, 1000n], () => (rnd() % 4000000000000000n) * 1000n),
  col('tm', [0n, 86399999999n], () => rnd() % 86400000000n),
  col('u', ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
      () => [8, 4, 4, 4, 12].map((n) => (rnd() & ((1n << BigInt(4 * n)) - 1n)).toString(16).padStart(n, '0')).join('-')),
];
const opt = 'OPTIONAL';
const schema = [
  { name: 'root', num_children: columnData.length },
  { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
  { name: 'b', type: 'BOOLEAN', repetition_type: opt },
  { name: 'i32', type: 'INT32', repetition_type: opt },
  { name: 'i64', type: 'INT64', repetition_type: opt },
  { name: 'f32', type: 'FLOAT', repetition_type: opt },
  { name: 'f64', type: 'DOUBLE', repetition_type: opt },
  { name: 'd', type: 'INT64', converted_type: 'DECIMAL', precision: 12, scale: 4, repetition_type: opt },
  { name: 't', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: opt },
  { name: 'bin', type: 'BYTE_ARRAY', repetition_type: opt },
  { name: 'dt', type: 'INT32', converted_type: 'DATE', repetition_type: opt },
  { name: 'ts_ms', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: opt },
  { name: 'ts_us', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' }, repetition_type: opt },
  { name: 'ts_ns', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' }, repetition_type: opt },
  { name: 'tm', type: 'INT64', logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' }, repetition_type: opt },
  { name: 'u', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' }, repetition_type: opt },
];
parquetWriteFile({ filename: file, columnData, schema, rowGroupSize: 20000 });
