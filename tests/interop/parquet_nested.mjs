// Prints each top-level nested column (STRUCT, LIST, MAP) of a Parquet file
// as DuckDB reads it, in the form of tests/formats/pq_nested_dump.c:
//   col NAME, then per row NULL or to_json(column), canonicalised
// With --canon: reads pq_nested_dump's output on stdin and canonicalises it
// the same way, so that the two can be compared line by line.
//
// Canonical form normalises only representation, not values: the JSON is
// re-serialised without spaces, strings with JSON.stringify's escapes (one
// spelling per string), and numbers with a fraction or exponent as
// JavaScript prints the double they denote (DuckDB and Orbit spell floats
// differently, e.g. 1e+20 / 1e20).  Integers stay exactly as written, so
// 64-bit values are compared digit for digit.  Key order is kept.  One
// difference of type, not value: a timestamp annotated only by the legacy
// TIMESTAMP_MILLIS / TIMESTAMP_MICROS converted type is UTC (LogicalTypes.md),
// which Orbit reads as TIMESTAMPTZ and prints with its offset "+00", DuckDB
// as a TIMESTAMP printed without one; the "+00" is dropped on both sides.
// usage: node parquet_nested.mjs FILE | node parquet_nested.mjs --canon < dump
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

function canon(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      const parts = [];
      ws();
      if (text[i] === close) { i++; return c + close; }
      for (;;) {
        if (c === '{') {
          const k = value();
          ws();
          if (text[i++] !== ':') throw new Error('expected : at ' + i);
          parts.push(k + ':' + value());
        } else parts.push(value());
        ws();
        const d = text[i++];
        if (d === close) break;
        if (d !== ',') throw new Error('expected , at ' + i);
      }
      return c + parts.join(',') + close;
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1));
      i = j + 1;
      return JSON.stringify(s.replace(/^(\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?)\+00$/, '$1'));
    }
    const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!m) throw new Error('unexpected JSON at ' + i + ': ' + text.slice(i, i + 20));
    i += m[0].length;
    if (m[2] !== undefined || m[3] !== undefined) return String(Number(m[0]));
    return m[0];
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error('trailing text at ' + i);
  return v;
}

const canonLine = (l) => (l.startsWith('col ') || l.startsWith('skip ') || l === 'NULL' || l === '' ? l : canon(l));

if (process.argv[2] === '--canon') {
  const lines = readFileSync(0, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out = lines.map((l) => { try { return canonLine(l); } catch (e) { return 'unparsable ' + l; } });
  console.log(out.join('\n'));
} else {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const f = process.argv[2].replaceAll("'", "''");
  try {
    const desc = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${f}')`)).getRows();
    const out = [];
    for (const [name, type] of desc) {
      if (!/^(STRUCT|MAP)\(|\[\]$/.test(type)) continue;
      const q = `SELECT to_json("${name.replaceAll('"', '""')}")::VARCHAR FROM read_parquet('${f}')`;
      const rows = (await con.runAndReadAll(q)).getRows();
      out.push('col ' + name);
      for (const [v] of rows) out.push(v === null ? 'NULL' : canon(v));
    }
    console.log(out.join('\n'));
  } catch (e) {
    console.log('error ' + String(e.message).split('\n')[0]);
  }
}
