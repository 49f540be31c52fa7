#!/usr/bin/env bash
# COPY ... TO 'file' (FORMAT parquet ...) in OrbitQL, read by DuckDB: a
# 20,000-row table of most SQL types (NULLs, empty and non-ASCII strings)
# copied with each COMPRESSION and a ROW_GROUP_SIZE, and a COPY (SELECT ...);
# DuckDB's rows must equal Orbit's own SELECT of the same rows (both printed
# as CSV of the same casts), its parquet_metadata() must show the codec and
# the row groups asked for, and Orbit's read_parquet must read them back too.
# Option errors are checked against PostgreSQL's wording.
# usage: parquet_copy_test.sh ORBIT_SHELL
set -u
orbit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/db
fails=0 checks=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

"$orbit" "$db" -c "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, d DECIMAL(12,3), f DOUBLE, b BOOLEAN, dt DATE,
    ts TIMESTAMP, tz TIMESTAMPTZ, i16 SMALLINT, big BIGINT, r REAL)" \
  -c "INSERT INTO t SELECT i,
    CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' WHEN i % 3 = 0 THEN 'größe \"q\", ✓ ' || i ELSE 'row ' || i END,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.125 - 5000 END,
    CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.25 - 100 END,
    CASE WHEN i % 4 = 0 THEN NULL ELSE i % 2 = 0 END,
    DATE '2000-01-01' + i,
    TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL '1 minute',
    TIMESTAMPTZ '2024-01-01 00:00:00+00' + i * INTERVAL '1 second',
    CAST(i % 30000 - 15000 AS SMALLINT), CAST(i AS BIGINT) * 1000000007, CAST(i AS REAL) / 8
    FROM generate_series(1, 20000) g(i)" > "$dir/setup" 2>&1 || { cat "$dir/setup"; exit 1; }

# the same text for both systems
cols="id, s, CAST(d AS VARCHAR) AS d, CAST(f * 4 AS BIGINT) AS f4, CASE WHEN b THEN 'yes' WHEN NOT b THEN 'no' END AS b, CAST(dt AS VARCHAR) AS dt,
      CAST(ts AS VARCHAR) AS ts, CAST(CAST(tz AS TIMESTAMP) AS VARCHAR) AS tz, i16, big, CAST(r * 8 AS BIGINT) AS r8"
compare() {   # compare FILE ORBIT_FROM WHERE
  local f=$1 from=$2 where=$3
  want=$("$orbit" "$db" --csv -c "SELECT $cols FROM $from $where ORDER BY id" 2>&1)
  got=$(cd "$root/tests/interop" && node duckdb_csv.mjs "SELECT $cols FROM read_parquet('$f') ORDER BY id")
  checks=$((checks + 1))
  [ "$want" = "$got" ] || { fail "$f: DuckDB reads other rows than Orbit selects"; diff <(echo "$want") <(echo "$got") | head -6; }
  back=$("$orbit" "$db" --csv -c "SELECT $cols FROM read_parquet('$f') ORDER BY id" 2>&1)
  checks=$((checks + 1))
  [ "$want" = "$back" ] || { fail "$f: Orbit's read_parquet reads other rows"; diff <(echo "$want") <(echo "$back") | head -6; }
  [ "$(echo "$want" | wc -l)" -gt 1000 ] || fail "$f: too few rows compared"
}

for c in zstd snappy gzip uncompressed; do
  f=$dir/t_$c.parquet
  out=$("$orbit" "$db" -c "COPY t TO '$f' (FORMAT parquet, COMPRESSION $c, ROW_GROUP_SIZE 5000)" 2>&1)
  [ "$out" = "COPY 20000" ] || fail "COPY with $c: $out"
  compare "$f" t ""
  meta=$(cd "$root/tests/interop" && node duckdb_csv.mjs "SELECT count(DISTINCT row_group_id), min(compression), max(compression), min(row_group_num_rows) FROM parquet_metadata('$f')")
  up=$(echo "$c" | tr a-z A-Z)
  checks=$((checks + 1))
  [ "$(echo "$meta" | tail -1)" = "4,$up,$up,5000" ] || fail "$c: parquet_metadata gives $meta"
done
# the default codec is ZSTD, and a query can be copied
f=$dir/q.parquet
out=$("$orbit" "$db" -c "COPY (SELECT * FROM t WHERE id % 2 = 1) TO '$f' (FORMAT parquet)" 2>&1)
[ "$out" = "COPY 10000" ] || fail "COPY (SELECT ...): $out"
compare "$f" t "WHERE id % 2 = 1"
meta=$(cd "$root/tests/interop" && node duckdb_csv.mjs "SELECT DISTINCT compression FROM parquet_metadata('$f')")
checks=$((checks + 1))
[ "$(echo "$meta" | tail -1)" = "ZSTD" ] || fail "default codec: $meta"

# errors, worded as PostgreSQL words its COPY option errors
err() {   # err SQL EXPECTED (the message, its position left out)
  checks=$((checks + 1))
  got=$("$orbit" "$db" -c "$1" 2>&1 | head -1 | sed 's/ (line [0-9]*, column [0-9]*)$//')
  [ "$got" = "ERROR:  $2" ] || fail "$1: got '$got', want 'ERROR:  $2'"
}
err "COPY t TO '$dir/x.parquet' (FORMAT parquet, COMPRESSION lzo)" "COPY compression \"lzo\" not recognized (zstd, snappy, gzip or uncompressed)"
err "COPY t TO '$dir/x.parquet' (FORMAT xml)" "COPY format \"xml\" not recognized"
err "COPY t TO '$dir/x.parquet' (FORMAT parquet, foo 1)" "option \"foo\" not recognized"
err "COPY t TO '$dir/x.parquet' (FORMAT parquet, DELIMITER ',')" "cannot specify DELIMITER in PARQUET mode"
err "COPY t TO '$dir/x.parquet' (COMPRESSION zstd)" "option \"compression\" not recognized"
err "COPY t TO '$dir/x.parquet' (FORMAT parquet, ROW_GROUP_SIZE 0)" "row_group_size requires a positive integer value"
[ -e "$dir/x.parquet" ] && fail "a failed COPY left a file"
echo "parquet copy: $checks checks, $fails failed"
[ $fails -eq 0 ]
