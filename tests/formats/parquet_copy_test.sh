#!/usr/bin/env bash
# COPY ... TO 'file' (FORMAT parquet ...) in OrbitQL, read by DuckDB: a
# 20,000-row table of most SQL types (NULLs, empty and non-ASCII strings)
# copied with each COMPRESSION and a ROW_GROUP_SIZE, and a COPY (SELECT ...);
# DuckDB's rows must equal Orbit's own SELECT of the same rows (both printed
# as CSV of the same casts), its parquet_metadata() must show the codec and
# the row groups asked for, and Orbit's read_parquet must read them back too.
# Option errors are checked against PostgreSQL's wording.  COPY t FROM a
# Parquet file DuckDB writes: the table then holds the rows DuckDB reads
# (every type, NULLs, several row groups); columns by position, a column
# list with defaults for the others, casts checked against DuckDB's casts;
# errors (a bad cast naming the column and row, NOT NULL, duplicate keys,
# too many or too few columns) leave the table as it was.
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

# COPY FROM a file DuckDB writes: the table holds the rows DuckDB reads
duck() { (cd "$root/tests/interop" && node duckdb_csv.mjs "$1"); }
count() { "$orbit" "$db" --csv -c "SELECT count(*) FROM $1" 2>&1 | tail -1; }
src=$dir/duck.parquet
duck "COPY (SELECT i AS id,
         CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'größe ' || i END AS s,
         CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 1.125 - 5000)::DECIMAL(12,3) END AS d,
         CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.25 - 100 END AS f,
         CASE WHEN i % 4 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
         DATE '2000-01-01' + i::INTEGER AS dt,
         TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL 1 MINUTE AS ts,
         i * 1000000007 AS big
       FROM range(1, 30001) r(i)) TO '$src' (FORMAT parquet, ROW_GROUP_SIZE 7000)" > /dev/null
"$orbit" "$db" -c "CREATE TABLE u (id INTEGER PRIMARY KEY, s TEXT, d DECIMAL(12,3), f DOUBLE, b BOOLEAN, dt DATE, ts TIMESTAMP, big BIGINT NOT NULL)" > /dev/null
out=$("$orbit" "$db" -c "COPY u FROM '$src' (FORMAT parquet)" 2>&1)
checks=$((checks + 1))
[ "$out" = "COPY 30000" ] || fail "COPY FROM parquet: $out"
fcols="id, s, CAST(d AS VARCHAR) AS d, CAST(f * 4 AS BIGINT) AS f4, CASE WHEN b THEN 'yes' WHEN NOT b THEN 'no' END AS b,
       CAST(dt AS VARCHAR) AS dt, CAST(ts AS VARCHAR) AS ts, big"
want=$(duck "SELECT $fcols FROM read_parquet('$src') ORDER BY id")
got=$("$orbit" "$db" --csv -c "SELECT $fcols FROM u ORDER BY id" 2>&1)
checks=$((checks + 1))
[ "$want" = "$got" ] || { fail "COPY FROM parquet: the table holds other rows than DuckDB reads"; diff <(echo "$want") <(echo "$got") | head -6; }
[ "$(echo "$got" | wc -l)" = 30001 ] || fail "COPY FROM parquet: $(echo "$got" | wc -l) lines"

# matched by position, cast to the table's types, a column list with defaults for the rest
cast=$dir/cast.parquet
duck "COPY (SELECT i::BIGINT AS a, (i * 3)::VARCHAR AS b, (i / 4)::DOUBLE AS c, i::SMALLINT AS e FROM range(0, 5000) r(i))
      TO '$cast' (FORMAT parquet)" > /dev/null
"$orbit" "$db" -c "CREATE TABLE c (x INTEGER, y BIGINT, z NUMERIC(10,2), w TEXT, k INTEGER DEFAULT 42)" > /dev/null
out=$("$orbit" "$db" -c "COPY c (x, y, z, w) FROM '$cast' (FORMAT parquet)" 2>&1)
checks=$((checks + 1))
[ "$out" = "COPY 5000" ] || fail "COPY FROM parquet with casts: $out"
want=$(duck "SELECT a::INTEGER AS x, b::BIGINT AS y, CAST(c::DECIMAL(10,2) AS VARCHAR) AS z, e::VARCHAR AS w, 42 AS k FROM read_parquet('$cast') ORDER BY x")
got=$("$orbit" "$db" --csv -c "SELECT x, y, CAST(z AS VARCHAR) AS z, w, k FROM c ORDER BY x" 2>&1)
checks=$((checks + 1))
[ "$want" = "$got" ] || { fail "COPY FROM parquet with casts: other values than DuckDB's casts"; diff <(echo "$want") <(echo "$got") | head -6; }

# errors; all or nothing (the bad rows come after whole batches were inserted)
bad=$dir/bad.parquet
duck "COPY (SELECT i AS id, CASE WHEN i = 4500 THEN 'x' || i ELSE i::VARCHAR END AS n, CASE WHEN i = 4600 THEN NULL ELSE i END AS m
      FROM range(1, 5001) r(i)) TO '$bad' (FORMAT parquet)" > /dev/null
"$orbit" "$db" -c "CREATE TABLE e (id INTEGER PRIMARY KEY, n INTEGER, m BIGINT NOT NULL)" > /dev/null
err "COPY e FROM '$bad' (FORMAT parquet)" "invalid input syntax for type integer: \"x4500\" (COPY e, row 4500, column n from the file's column n)"
checks=$((checks + 1))
[ "$(count e)" = 0 ] || fail "a failed COPY FROM parquet left $(count e) rows"
"$orbit" "$db" -c "CREATE TABLE e2 (id INTEGER PRIMARY KEY, n TEXT, m BIGINT NOT NULL)" > /dev/null
out=$("$orbit" "$db" -c "COPY e2 FROM '$bad' (FORMAT parquet)" 2>&1 | head -1)
checks=$((checks + 1))
case "$out" in *"null value"*'"m"'*) ;; *) fail "NULL into a NOT NULL column: $out" ;; esac
checks=$((checks + 1))
[ "$(count e2)" = 0 ] || fail "a failed COPY FROM parquet (NOT NULL) left $(count e2) rows"
out=$("$orbit" "$db" -c "COPY u FROM '$src' (FORMAT parquet)" 2>&1 | head -1)
checks=$((checks + 1))
case "$out" in *"duplicate key"*) ;; *) fail "COPY FROM parquet of duplicate keys: $out" ;; esac
checks=$((checks + 1))
[ "$(count u)" = 30000 ] || fail "a failed COPY FROM parquet changed u to $(count u) rows"
err "COPY e (id, n) FROM '$bad' (FORMAT parquet)" "extra data after last expected column: \"$bad\" has 3 columns, COPY e expects 2"
err "COPY c FROM '$cast' (FORMAT parquet)" "missing data for column \"k\": \"$cast\" has 4 columns, COPY c expects 5"
err "COPY e FROM STDIN (FORMAT parquet)" "COPY FROM STDIN in PARQUET format is not supported: give a file name"
echo "id,n,m" > "$dir/not.parquet"
err "COPY e FROM '$dir/not.parquet' (FORMAT parquet)" "$("$orbit" "$db" -c "SELECT * FROM read_parquet('$dir/not.parquet')" 2>&1 | head -1 | sed 's/^ERROR:  //; s/ (line [0-9]*, column [0-9]*)$//')"
# array columns: written as 3-level LISTs; DuckDB reads the same lists
# (NULL and empty arrays, NULL elements, an array of 3,000 elements across
# pages of 1,000 rows), as Orbit's read_parquet does; and COPY FROM a file
# of lists DuckDB writes fills array columns
"$orbit" "$db" -c "CREATE TABLE arr (id INTEGER PRIMARY KEY, xs INTEGER[], ts TEXT[], ds NUMERIC(8,2)[], fs DOUBLE PRECISION[])" \
  -c "INSERT INTO arr SELECT i,
        CASE WHEN i % 10 = 0 THEN NULL WHEN i % 10 = 1 THEN '{}'
             ELSE ARRAY(SELECT CASE WHEN (i + k) % 5 = 0 THEN NULL ELSE i * 10 + k END FROM generate_series(1, CASE WHEN i = 777 THEN 3000 ELSE i % 6 + 1 END) g(k)) END,
        CASE WHEN i % 9 = 0 THEN NULL ELSE ARRAY['t' || i % 50, NULL, 'größe'] END,
        CASE WHEN i % 8 = 0 THEN '{}' ELSE ARRAY[i * 0.25, -i] END,
        ARRAY[i / 4.0]
      FROM generate_series(1, 12000) g(i)" > "$dir/arrsetup" 2>&1 || { cat "$dir/arrsetup"; exit 1; }
f=$dir/arr.parquet
out=$("$orbit" "$db" -c "COPY arr TO '$f' (FORMAT parquet, ROW_GROUP_SIZE 5000)" 2>&1)
checks=$((checks + 1))
[ "$out" = "COPY 12000" ] || fail "COPY of array columns: $out"
# the lists as PostgreSQL's array text, in DuckDB's terms
pgtext() { echo "CASE WHEN $1 IS NULL THEN NULL ELSE '{' || array_to_string(list_transform($1, x -> coalesce(CAST(x AS VARCHAR), 'NULL')), ',') || '}' END AS $1"; }
want=$("$orbit" "$db" --csv -c "SELECT id, CAST(xs AS TEXT) AS xs, CAST(ts AS TEXT) AS ts, CAST(ds AS TEXT) AS ds, CAST(fs[1] * 4 AS BIGINT) AS fs FROM arr ORDER BY id" 2>&1)
got=$(duck "SELECT id, $(pgtext xs), $(pgtext ts), $(pgtext ds), CAST(fs[1] * 4 AS BIGINT) AS fs FROM read_parquet('$f') ORDER BY id")
checks=$((checks + 1))
[ "$want" = "$got" ] || { fail "array columns: DuckDB reads other lists than Orbit wrote"; diff <(echo "$want") <(echo "$got") | head -6; }
[ "$(echo "$want" | wc -l)" = 12001 ] || fail "array columns: $(echo "$want" | wc -l) lines"
back=$("$orbit" "$db" --csv -c "SELECT id, CAST(xs AS TEXT) AS xs, CAST(ts AS TEXT) AS ts, CAST(ds AS TEXT) AS ds, CAST(fs[1] * 4 AS BIGINT) AS fs FROM read_parquet('$f') ORDER BY id" 2>&1)
checks=$((checks + 1))
[ "$want" = "$back" ] || { fail "array columns: Orbit's read_parquet reads other arrays"; diff <(echo "$want") <(echo "$back") | head -6; }
meta=$(duck "SELECT count(*), sum(num_values) FROM parquet_metadata('$f') WHERE path_in_schema = 'xs, list, element'")
wantmeta=$("$orbit" "$db" --csv -c "SELECT count(DISTINCT id / 5000), sum(CASE WHEN xs IS NULL OR cardinality(xs) = 0 THEN 1 ELSE cardinality(xs) END) FROM arr" 2>&1 | tail -1)
checks=$((checks + 1))
[ "$(echo "$meta" | tail -1)" = "$wantmeta" ] || fail "array columns: parquet_metadata gives $meta, want $wantmeta"
schema=$(duck "SELECT name, repetition_type, converted_type, field_id FROM parquet_schema('$f') WHERE name IN ('xs', 'list', 'element') LIMIT 3")
checks=$((checks + 1))
[ "$(echo "$schema" | tr '\n' ' ')" = "name,repetition_type,converted_type,field_id xs,OPTIONAL,LIST,2 list,REPEATED,, element,OPTIONAL,, " ] ||
  fail "array columns: parquet_schema gives $(echo "$schema" | tr '\n' ' ')"
dl=$dir/duck_lists.parquet
duck "COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE [i, NULL, i * 2] END AS xs,
             CASE WHEN i % 5 = 0 THEN [] ELSE ['a' || i] END AS ts FROM range(1, 3001) r(i)) TO '$dl' (FORMAT parquet)" > /dev/null
"$orbit" "$db" -c "CREATE TABLE arr2 (id INTEGER PRIMARY KEY, xs BIGINT[], ts TEXT[])" > /dev/null
out=$("$orbit" "$db" -c "COPY arr2 FROM '$dl' (FORMAT parquet)" 2>&1)
checks=$((checks + 1))
[ "$out" = "COPY 3000" ] || fail "COPY FROM a file of DuckDB's lists: $out"
want=$(duck "SELECT id, $(pgtext xs), $(pgtext ts) FROM read_parquet('$dl') ORDER BY id")
got=$("$orbit" "$db" --csv -c "SELECT id, CAST(xs AS TEXT) AS xs, CAST(ts AS TEXT) AS ts FROM arr2 ORDER BY id" 2>&1)
checks=$((checks + 1))
[ "$want" = "$got" ] || { fail "COPY FROM DuckDB's lists: other arrays"; diff <(echo "$want") <(echo "$got") | head -6; }
echo "parquet copy: $checks checks, $fails failed"
[ $fails -eq 0 ]
