#!/usr/bin/env bash
# The column-batch path (read_parquet under filters and aggregates, see
# src/query/exec_vec.h) against the row path on the same data: each query
# runs over read_parquet('F') and over a table made from F (CREATE TABLE
# AS, whose scan hands out rows), and both must print the same result, or
# the same error (its position left out: the FROM clauses differ in
# length).  Files: DuckDB-written with NULLs in every column, an all-NULL
# column, NULL-only row groups, NaN and -0.0, dictionary-encoded strings,
# many row groups; the same rows written by Orbit; an empty file.
# usage: parquet_vector_test.sh ORBIT_SHELL
set -u
orbit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0 n=0
duck() { (cd "$root/tests/interop" && node duckdb_csv.mjs "$1") | grep "^error" && fails=$((fails + 1)); }
rows="SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i - 5000 END AS i,
  CASE WHEN i % 5 = 0 THEN NULL ELSE ((i % 100) * 0.5 + 0.25)::DOUBLE END AS f,
  CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 37)::REAL / 4 END AS r,
  CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 100) * 0.5 END AS dd,
  CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2020-01-01' + to_seconds(i * 7 % 10000) END AS ts,
  CASE WHEN i % 6 = 0 THEN NULL ELSE DATE '2021-03-01' + (i % 400)::INTEGER END AS dt,
  CASE WHEN i % 11 = 0 THEN NULL ELSE 'k' || (i * 13 % 1000) END AS s,
  CASE WHEN i % 10 = 0 THEN NULL ELSE ['red', 'green', 'blue', 'ümlaut'][i % 4 + 1] END AS c,
  (i % 50)::SMALLINT AS h,
  (i % 1000)::INTEGER AS n,
  CASE WHEN i % 8 = 0 THEN NULL ELSE (i - 5000) * 1000000000000000 END AS big,
  CASE WHEN i % 13 = 0 THEN 'nan'::DOUBLE WHEN i % 17 = 0 THEN -0.0 ELSE i - 3000 END AS fn,
  NULL::INTEGER AS z,
  CASE WHEN i < 3000 THEN NULL ELSE i END AS late,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
  CASE WHEN i % 19 = 0 THEN NULL ELSE repeat('é', i % 5) || 'x' || repeat('ab', i % 9) || repeat('€', i % 3) END AS u
  FROM range(10000) t(i)"
duck "COPY ($rows) TO '$work/duck.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000)"
duck "COPY ($rows) TO '$work/duck_big.parquet' (FORMAT parquet)"
duck "COPY ($rows LIMIT 0) TO '$work/empty.parquet' (FORMAT parquet)"
"$orbit" "$work/db" -q -c "COPY (SELECT * FROM read_parquet('$work/duck.parquet')) TO '$work/orbit.parquet' (FORMAT parquet)" \
  || { echo "FAIL: writing orbit.parquet"; exit 1; }

queries=(
  "SELECT count(*), count(i), sum(i), avg(i), min(i), max(i), sum(f), avg(f), min(f), max(f), sum(r), avg(r), min(r), max(r) FROM @F"
  "SELECT sum(dd), avg(dd), min(dd), max(dd), min(ts), max(ts), min(dt), max(dt), min(s), max(s), min(c), max(c) FROM @F"
  "SELECT sum(length(s)), sum(octet_length(s)), sum(length(c)), sum(octet_length(c)), sum(char_length(c)), sum(h), avg(h), max(h), sum(n), avg(n) FROM @F"
  "SELECT count(z), sum(z), min(z), max(z), avg(z), count(late), sum(late), min(late), count(b), sum(CASE WHEN b THEN 1 END), sum(CASE WHEN NOT b THEN 1 END), sum(big), avg(big), min(big), max(big) FROM @F"
  "SELECT sum(length(u)), sum(octet_length(u)), max(length(u)), min(char_length(u)), count(*) FROM @F WHERE length(u) > 9"
  "SELECT length(u) AS l, count(*), sum(octet_length(u)) FROM @F GROUP BY length(u) ORDER BY l"
  "SELECT min(fn), max(fn), sum(fn) > 0, count(fn), count(DISTINCT s), sum(DISTINCT h), count(DISTINCT c) FROM @F"
  "SELECT count(*), sum(i), max(ts), sum(length(s)), min(s) FROM @F WHERE i > 100"
  "SELECT count(*), sum(f), min(dt) FROM @F WHERE i > 100 AND f < 30 OR h = 7"
  "SELECT count(*), sum(h) FROM @F WHERE i IS NULL OR s IS NULL"
  "SELECT count(*), sum(h) FROM @F WHERE i IS NOT NULL AND NOT (h < 10) AND dt >= DATE '2021-06-01'"
  "SELECT count(*) FROM @F WHERE NOT (i > 0 AND f > 10)"
  "SELECT count(*) FROM @F WHERE (i > 0 OR f > 10) IS NULL"
  "SELECT count(*), sum(i) FROM @F WHERE b"
  "SELECT count(*), sum(i) FROM @F WHERE NOT b OR b IS NULL"
  "SELECT count(*) FROM @F WHERE fn > 100 OR fn = 'nan'"
  "SELECT count(*) FROM @F WHERE fn = 0 OR fn < -2990"
  "SELECT count(*) FROM @F WHERE s = 'k13' OR s >= 'k990' OR c = 'ümlaut'"
  "SELECT count(*) FROM @F WHERE ts > TIMESTAMP '2020-01-01 02:00:00' AND late IS NULL"
  "SELECT count(*), sum(i) FROM @F WHERE h BETWEEN 10 AND 12 AND n <> 510"
  "SELECT count(*) FROM @F WHERE z IS NULL AND late IS NOT NULL"
  "SELECT count(*) FROM @F WHERE dd > 20"
  "SELECT sum(i + h), sum(i * 2 - h), sum(-i), sum(i / 7), sum(i % 7), sum(n / (h + 1)), sum(-h), sum(h * h) FROM @F"
  "SELECT sum(f * 2 + 1), sum(f / 4), sum(-f), sum(r * r), sum(f - r), sum(i::double precision), sum(f::int), sum(h::int), sum(h::bigint), max(r::double precision), sum(r::int) FROM @F"
  "SELECT sum(length(s) * 2), max(length(c) + h), sum(dd * 2), sum(i + 0.5), sum(big / 1000) FROM @F"
  "SELECT h % 3 AS g, count(*), sum(i), max(ts), min(s), avg(f), sum(length(c)) FROM @F GROUP BY h % 3 ORDER BY g"
  "SELECT c, count(*), sum(n), min(i), max(dt), count(DISTINCT h) FROM @F GROUP BY c ORDER BY c"
  "SELECT s, count(*) FROM @F WHERE n < 20 GROUP BY s ORDER BY s LIMIT 7"
  "SELECT b, h % 2 AS p, count(*), sum(big), sum(dd) FROM @F GROUP BY b, h % 2 ORDER BY b, p"
  "SELECT string_agg(s, ',') FROM @F WHERE h = 3 AND n < 300"
  "SELECT count(*) FROM @F WHERE h % 5 <> 0 AND 100 / (h % 5) > 10"
  "SELECT sum(CASE WHEN h % 5 = 0 THEN 0 ELSE 100 / (h % 5) END) FROM @F"
  "SELECT sum(coalesce(i, 0) + coalesce(late, 1)), sum(abs(i)), max(upper(s)), sum(CASE WHEN h > 3 THEN i END) FROM @F"
  "SELECT sum(100 / (h % 5)) FROM @F"
  "SELECT count(*) FROM @F WHERE 100 / (h % 5) > 1"
  "SELECT sum((i * 10)::smallint) FROM @F"
  "SELECT sum(big * 2) FROM @F"
  "SELECT count(*) FILTER (WHERE h = 3), sum(i) FILTER (WHERE n < 200), count(f) FILTER (WHERE i > 0), sum(f) FILTER (WHERE h < 10), max(s) FILTER (WHERE c = 'red'), count(*) FROM @F"
  "SELECT count(*) FILTER (WHERE b), sum(h) FILTER (WHERE b IS NULL), min(ts) FILTER (WHERE late IS NOT NULL), string_agg(s, ',') FILTER (WHERE n = 7), count(DISTINCT h) FILTER (WHERE n > 500) FROM @F WHERE i > -4000"
  "SELECT h % 4 AS g, count(*) FILTER (WHERE n % 2 = 0), sum(big) FILTER (WHERE f IS NULL), avg(f) FILTER (WHERE f > 10), min(s) FILTER (WHERE c <> 'red') FROM @F GROUP BY h % 4 ORDER BY g"
  "SELECT sum(100 / (h % 5)) FILTER (WHERE h % 5 <> 0), count(*) FILTER (WHERE false), sum(i) FILTER (WHERE NULL) FROM @F"
  "SELECT sum(i) FILTER (WHERE 100 / (h % 5) > 10) FROM @F"
  "SELECT sum(n * n * n * 3) FROM @F"
  "SELECT sum(h * h * h * h * h) FROM @F"
  "SELECT sum((f * 1e307) * 1e10) FROM @F"
  "SELECT sum((fn * 1e300)::int) FROM @F"
  "SELECT max(big), sum(i) FROM @F WHERE big * 10 > 0"
  "SELECT sum(dd * 1e37), sum(100 / (h % 5)) FROM @F"
  "SELECT sum(100 / (h % 5)), sum(dd * 1e37) FROM @F"
  "SELECT sum(i), sum(dd * 1e37) FROM @F"
)

# run SQL: its CSV, or its error without the position
run() { "$orbit" "$work/db" --csv -c "$1" 2>&1 | sed -e 's/ (line [0-9]*, column [0-9]*)//' -e '/^LINE [0-9]*:/,$d'; }
for f in duck duck_big orbit empty; do
  "$orbit" "$work/db" -q -c "CREATE TABLE t_$f AS SELECT * FROM read_parquet('$work/$f.parquet')" \
    || { echo "FAIL: loading $f.parquet"; fails=$((fails + 1)); continue; }
  src="read_parquet('$work/$f.parquet')"
  for q in "${queries[@]}"; do
    batch=$(run "${q//@F/$src}")
    row=$(run "${q//@F/t_$f}")
    n=$((n + 1))
    [ -n "${VERBOSE:-}" ] && printf '%s: %s\n%s\n' "$f" "$q" "$batch"
    if [ "$batch" != "$row" ]; then
      echo "FAIL ($f.parquet): $q"; diff <(echo "$row") <(echo "$batch") | head -8
      fails=$((fails + 1))
    fi
  done
done
# the column batches were used: EXPLAIN ANALYZE counts the scan's rows
"$orbit" "$work/db" --csv -c "EXPLAIN ANALYZE SELECT sum(i) FROM read_parquet('$work/duck.parquet') WHERE h > 10" | grep -q "Function Scan on read_parquet.*rows=10000 " \
  || { echo "FAIL: EXPLAIN ANALYZE of the batch path"; fails=$((fails + 1)); }
echo "parquet column batches: $((n - fails)) of $n queries agree with the row path"
[ "$fails" -eq 0 ]
