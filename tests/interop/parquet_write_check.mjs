// DuckDB's view of a Parquet file Orbit wrote (tests/formats/parquet_write_test.sh).
//
// values FILE: every column as DuckDB reads it, in tests/formats/pq_write_check.c's
//   canonical form (col NAME, then per row NULL, true/false, integer,
//   f:<hex bits of the double> / NaN, s:<text>, x:<hex>, d:<days>, us:<micros>,
//   decimal and UUID text).
// meta FILE CONFIG: checks DuckDB's parquet_schema(), parquet_metadata(),
//   parquet_file_metadata() and parquet_kv_metadata() against what was asked
//   for (types, field ids, codec, encodings) and every row group's statistics
//   against DuckDB's own min/max/count over that row group's rows.  Prints
//   "FAIL ..." lines, then "meta: N checks"; exits 1 on any failure.
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
await con.run(`SET TimeZone='UTC'`);
const [mode, file, config] = process.argv.slice(2);
const f = file.replaceAll("'", "''");
const rows = async (q) => (await con.runAndReadAll(q)).getRows();
const q = (name) => '"' + name.replaceAll('"', '""') + '"';

const bits = (x) => {
  if (Number.isNaN(x)) return 'NaN';
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return 'f:' + dv.getBigUint64(0).toString(16).padStart(16, '0');
};
const text = (s) => 's:' + s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const hex = (b) => 'x:' + Buffer.from(b).toString('hex');

function canonical(type, v) {
  if (v === null) return 'NULL';
  switch (type) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'SMALLINT': case 'INTEGER': case 'BIGINT': return String(v);
    case 'FLOAT': case 'DOUBLE': return bits(Number(v));
    case 'VARCHAR': return text(v);
    case 'BLOB': return hex(v.bytes);
    case 'DATE': return 'd:' + v.days;
    case 'TIME': case 'TIMESTAMP': case 'TIMESTAMP WITH TIME ZONE': return 'us:' + v.micros;
    case 'TIMESTAMP_NS': return 'us:' + v.nanos / 1000n;   // files other writers made (nanoseconds)
    default: return String(v);   // DECIMAL(p,s), UUID
  }
}

if (mode === 'values') {
  const desc = await rows(`DESCRIBE SELECT * FROM read_parquet('${f}')`);
  const data = await rows(`SELECT * FROM read_parquet('${f}')`);
  const out = [];
  desc.forEach(([name, type], c) => {
    out.push('col ' + name);
    for (const r of data) out.push(canonical(type, r[c]));
  });
  process.stdout.write(out.join('\n') + '\n');
  process.exit(0);
}

// --- meta ----------------------------------------------------------------------
let checks = 0, fails = 0;
const check = (ok, what) => {
  checks++;
  if (!ok) {
    fails++;
    console.log('FAIL ' + what);
  }
};
const [codec, enc, page] = config.split('-');
const codecName = { zstd: 'ZSTD', snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED' }[codec];

// the SQL type each column of pq_write_check.c must come back as
const want = {
  id: 'BIGINT', b: 'BOOLEAN', i16: 'SMALLINT', i32: 'INTEGER', i64: 'BIGINT', f32: 'FLOAT', f64: 'DOUBLE',
  d9: 'DECIMAL(9,2)', d18: 'DECIMAL(18,4)', d38: 'DECIMAL(38,10)', t: 'VARCHAR', small_t: 'VARCHAR', bin: 'BLOB',
  dt: 'DATE', tm: 'TIME', ts: 'TIMESTAMP', tz: 'TIMESTAMP WITH TIME ZONE', u: 'UUID',
};
const names = Object.keys(want);
const desc = await rows(`DESCRIBE SELECT * FROM read_parquet('${f}')`);
check(desc.length === names.length, `${desc.length} columns, want ${names.length}`);
desc.forEach(([name, type], c) => check(name === names[c] && type === want[name], `column ${c}: ${name} ${type}, want ${names[c]} ${want[names[c]]}`));

const schema = await rows(`SELECT name, field_id, repetition_type FROM parquet_schema('${f}') WHERE num_children IS NULL`);
schema.forEach(([name, fid, rep], c) => {
  check(Number(fid) === 100 + c, `field_id of ${name}: ${fid}, want ${100 + c}`);
  check(rep === (name === 'id' ? 'REQUIRED' : 'OPTIONAL'), `repetition of ${name}: ${rep}`);
});

const fm = (await rows(`SELECT created_by, format_version FROM parquet_file_metadata('${f}')`))[0];
check(/^orbit version \d+\.\d+\.\d+ \(build [0-9a-z]+\)$/.test(fm[0]), `created_by ${fm[0]}`);
const kv = await rows(`SELECT decode(key), decode(value) FROM parquet_kv_metadata('${f}')`);
check(kv.some(([k, v]) => k === 'config' && v === config), `key/value metadata ${JSON.stringify(kv)}`);

const meta = await rows(`SELECT row_group_id, row_group_num_rows, column_id, path_in_schema, compression, encodings,
  stats_min, stats_max, stats_null_count, stats_min_value, stats_max_value, num_values
  FROM parquet_metadata('${f}') ORDER BY row_group_id, column_id`);
for (const r of meta) r[0] = Number(r[0]), r[2] = Number(r[2]);
const groups = [...new Set(meta.map((r) => r[0]))];
check(groups.length >= 2, `${groups.length} row groups, want several`);
const rgRows = meta.filter((r) => r[2] === 0).map((r) => Number(r[1]));
const starts = rgRows.map((_, g) => rgRows.slice(0, g).reduce((a, b) => a + b, 0));
let fellBack = false;
// DuckDB's count of NULLs, min and max (NaN left out) and whether infinities
// occur, per row group (all but the last hold rgRows[0] rows) and column
const aggs = names.map((name) => {
  const col = q(name), float = want[name] === 'FLOAT' || want[name] === 'DOUBLE';
  const keep = float ? `FILTER (WHERE NOT isnan(${col}))` : '';
  return `count(*) - count(${col}), CAST(min(${col}) ${keep} AS VARCHAR), CAST(max(${col}) ${keep} AS VARCHAR), ${float ? `bool_or(isinf(${col}))` : 'false'}`;
});
const own = {};
for (const r of await rows(`SELECT file_row_number // ${rgRows[0]} AS g, ${aggs.join(', ')}
    FROM read_parquet('${f}', file_row_number = true) GROUP BY g ORDER BY g`)) {
  own[Number(r[0])] = names.map((_, c) => r.slice(1 + 4 * c, 5 + 4 * c));
}

for (const [g, , c, name, comp, encs, smin, smax, nulls, minv, maxv, nvals] of meta) {
  const where = `row group ${g} column ${name}`;
  check(comp === codecName, `${where}: compression ${comp}, want ${codecName}`);
  check(Number(nvals) === rgRows[g], `${where}: ${nvals} values, want ${rgRows[g]}`);
  const e = encs.split(', ');
  if (name !== 'id') check(e.includes('RLE'), `${where}: no RLE definition levels in ${encs}`);
  else check(!e.includes('RLE'), `${where}: a required column with levels (${encs})`);
  // probe (the writer's defaults): a dictionary is kept for few distinct
  // values and dropped, before any page used it, for nearly unique ones
  const unique = enc === 'probe' && ['id', 'i64', 'f64', 'd18', 't', 'ts', 'u'].includes(name);
  if (enc === 'plain' || name === 'b' || unique) check(!e.includes('RLE_DICTIONARY') && e.includes('PLAIN'), `${where}: encodings ${encs}, want PLAIN only`);
  else if (enc !== 'probe' || ['i32', 'small_t'].includes(name)) check(e.includes('RLE_DICTIONARY'), `${where}: encodings ${encs}, want RLE_DICTIONARY`);
  if (enc === 'fallback' && e.includes('RLE_DICTIONARY') && e.includes('PLAIN') && name === 't') fellBack = true;
  if (enc === 'fallback' && name === 'small_t') check(encs === 'PLAIN, RLE, RLE_DICTIONARY', `${where}: a small dictionary fell back`);

  // the statistics against DuckDB's own reading of the row group's rows
  const type = want[name];
  const float = type === 'FLOAT' || type === 'DOUBLE';
  const [cnt, mn, mx, inf] = own[g][c];
  check(Number(nulls) === Number(cnt), `${where}: null_count ${nulls}, DuckDB counts ${cnt}`);
  let wantMin = mn, wantMax = mx;
  if (float) {   // a zero bound is written -0.0 as the minimum, +0.0 as the maximum
    if (Number(mn) === 0) wantMin = '-0.0';
    if (Number(mx) === 0) wantMax = '0.0';
  }
  if (float && inf) {   // DuckDB shows no float bounds that are infinite
    check(minv === null || minv === wantMin, `${where}: min_value ${minv}, want ${wantMin} or none`);
  } else {
    check(minv === wantMin, `${where}: min_value ${minv}, DuckDB's min ${wantMin}`);
    check(maxv === wantMax, `${where}: max_value ${maxv}, DuckDB's max ${wantMax}`);
  }
  // the deprecated min/max only where their order was signed: never for byte arrays
  const bytes = ['t', 'small_t', 'bin', 'd38', 'u'].includes(name);
  if (bytes) check(smin === null && smax === null, `${where}: deprecated min/max written for a byte array`);
  else if (!(float && inf)) check(smin === minv && smax === maxv, `${where}: deprecated min/max ${smin}/${smax} differ from ${minv}/${maxv}`);
}
if (enc === 'fallback') check(fellBack, 'no chunk of t fell back from the dictionary to PLAIN');

// bloom filters (ids 0, i64 4, t 10): every value present is never excluded, absent ones mostly are
for (const [name, present, absent] of [['id', '12345::BIGINT', '-5::BIGINT'], ['i64', '9223372036854775807::BIGINT', '42::BIGINT'],
  ['t', `''`, `'no such text'`]]) {
  const p = await rows(`SELECT bloom_filter_excludes FROM parquet_bloom_probe('${f}', '${name}', ${present})`);
  check(p.length === groups.length && p.some((r) => r[0] === false), `bloom filter of ${name} excludes present value ${present} everywhere: ${p}`);
  const pr = await rows(`SELECT count(*) FROM read_parquet('${f}') WHERE ${q(name)} = ${present}`);
  const a = await rows(`SELECT bloom_filter_excludes FROM parquet_bloom_probe('${f}', '${name}', ${absent})`);
  check(a.every((r) => r[0] === true), `bloom filter of ${name} does not exclude absent value ${absent}: ${a}`);
  check(Number(pr[0][0]) > 0, `value ${present} of ${name} not in the file`);
}
for (const name of ['b', 'f64']) {   // columns without bloom filters: nothing excluded
  const a = await rows(`SELECT bloom_filter_excludes FROM parquet_bloom_probe('${f}', '${name}', ${name === 'b' ? 'true' : '1.0'})`);
  check(a.every((r) => r[0] === false), `column ${name} has a bloom filter it was not asked for`);
}
console.log(`meta: ${checks} checks, ${fails} failed (${page})`);
process.exit(fails ? 1 : 0);
