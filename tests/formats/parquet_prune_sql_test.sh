#!/usr/bin/env bash
# WHERE clauses on read_parquet prune row groups and pages (pq_prune) and
# the answers stay DuckDB's: queries over a file DuckDB writes here (100,000
# rows sorted by id, 10 row groups) and over fixtures with page indexes,
# bloom filters and dictionaries.  EXPLAIN ANALYZE must report as many row
# groups skipped by statistics as DuckDB's own parquet_metadata() shows to
# lie outside the range.  Projection: a column the query does not use is
# never read (a file whose unused column is zeroed still answers).
# usage: parquet_prune_sql_test.sh ORBIT_SHELL
set -u
orbit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/../shared/fixtures/parquet-testing/data
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
duck() { (cd "$root/tests/interop" && node duckdb_csv.mjs "$1"); }
f=$tmp/sorted.parquet
duck "COPY (SELECT i AS id, i * 0.5 AS d, (i % 7)::INTEGER AS k, TIMESTAMP '2020-01-01' + to_seconds(i) AS ts,
              CASE WHEN i % 1000 = 0 THEN NULL ELSE 'v' || (i % 100) END AS s
            FROM range(100000) t(i)) TO '$f' (FORMAT parquet, ROW_GROUP_SIZE 10000)" >/dev/null
fails=0 n=0
check() {
  want=$(duck "$1")
  got=$("$orbit" "$tmp/db" --csv -c "$1" 2>&1)
  n=$((n + 1))
  if [ "$want" != "$got" ]; then
    echo "FAIL: $1"; diff <(echo "$want") <(echo "$got") | head -6
    fails=$((fails + 1))
  fi
}
t=$data/alltypes_tiny_pages.parquet
for q in \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id BETWEEN 50000 AND 50099" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id = 77777" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id IN (5, 99999, 123456)" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE 20000 > id AND id >= 19990" \
  "SELECT count(*) AS n, min(id) AS a FROM read_parquet('$f') WHERE ts >= TIMESTAMP '2020-01-01 10:00:00' AND ts < TIMESTAMP '2020-01-01 10:01:00'" \
  "SELECT count(*) AS n, min(id) AS a FROM read_parquet('$f') WHERE d > 49990.5" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE s = 'v42' AND id < 30000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE s = 'zzz'" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE s IS NULL" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE k IS NOT NULL AND id < 10" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE k = 3::int8 AND id::numeric < 100.5" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet(['$f', '$f']) WHERE id > 99990" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id < 5000 OR id >= 95000 OR id = 50000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id BETWEEN 10 AND 20 OR id BETWEEN 70000 AND 70010" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id <> 5 AND id < 20" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE k NOT IN (1, 2, 3)" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id NOT IN (1, NULL)" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE s NOT LIKE 'v1%' AND id < 1000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE d <> 'NaN'::float8 AND id < 100" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$t') WHERE id BETWEEN 1000 AND 1100" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$t') WHERE string_col = '35'" \
  "SELECT id, int_col, bigint_col, date_string_col, string_col, timestamp_col, year FROM read_parquet('$t') WHERE id BETWEEN 3000 AND 3012 OR id IN (7299, 0) ORDER BY id" \
  "SELECT id, int_col, string_col, timestamp_col FROM read_parquet('$t') WHERE id >= 5000 AND id < 5020 AND int_col IN (2, 3) ORDER BY id" \
  "SELECT int32_field FROM read_parquet('$data/int32_with_null_pages.parquet') WHERE int32_field BETWEEN 1000000 AND 50000000 ORDER BY 1" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$t') WHERE string_col IN ('3', '35')" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$t') WHERE bigint_col >= 60 AND int_col < 8" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$t') WHERE float_col < 1.5 AND id > 7000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$t') WHERE date_string_col = '03/15/10'" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$data/alltypes_tiny_pages_plain.parquet') WHERE id < 10 OR id > 7290" \
  "SELECT count(*) AS n FROM read_parquet('$data/data_index_bloom_encoding_stats.parquet') WHERE \"String\" = 'Jump'" \
  "SELECT count(*) AS n FROM read_parquet('$data/data_index_bloom_encoding_with_length.parquet') WHERE \"String\" IN ('Hello', 'dog')" \
  "SELECT count(*) AS n, sum(int32_field) AS a FROM read_parquet('$data/int32_with_null_pages.parquet') WHERE int32_field IS NULL" \
  "SELECT count(*) AS n, sum(int32_field) AS a FROM read_parquet('$data/int32_with_null_pages.parquet') WHERE int32_field > 0" \
  "SELECT count(*) AS n, sum(a) AS a FROM read_parquet('$data/datapage_v1-snappy-compressed-checksum.parquet') WHERE a > 0" \
  "SELECT count(*) AS n, sum(value) AS a FROM read_parquet('$data/fixed_length_decimal.parquet') WHERE value > 10.5" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$data/alltypes_plain.parquet') WHERE timestamp_col > TIMESTAMP '2009-03-01'"; do
  check "$q"
done
# Projection: only the columns a query uses are read.  A copy of the file
# whose every chunk of s is zeroed (where DuckDB's metadata puts them) still
# answers queries on the other columns as DuckDB answers them on the
# original; a query using s fails on its first chunk.
broken=$tmp/broken_s.parquet
cp "$f" "$broken"
while IFS=, read -r off size; do
  dd if=/dev/zero of="$broken" bs=1 seek="$off" count="$size" conv=notrunc status=none
done < <(duck "SELECT coalesce(dictionary_page_offset, data_page_offset), total_compressed_size FROM parquet_metadata('$f')
               WHERE path_in_schema = 's'" | tail -n +2)
for q in "SELECT count(*) AS n, sum(id) AS a, max(ts) AS t, sum(d) AS d FROM read_parquet('FILE')" \
         "SELECT count(*) AS n FROM read_parquet('FILE')" \
         "SELECT count(*) AS n, sum(k) AS a FROM read_parquet('FILE') WHERE id BETWEEN 20000 AND 29999"; do
  want=$(duck "${q//FILE/$f}")
  got=$("$orbit" "$tmp/db" --csv -c "${q//FILE/$broken}" 2>&1)
  n=$((n + 1))
  [ "$want" = "$got" ] || { echo "FAIL: projection: ${q//FILE/$broken}"; diff <(echo "$want") <(echo "$got") | head -6; fails=$((fails + 1)); }
done
got=$("$orbit" "$tmp/db" --csv -c "SELECT max(s) FROM read_parquet('$broken')" 2>&1)
n=$((n + 1))
case "$got" in
  *"$broken"*) ;;   # an error naming the file
  *) echo "FAIL: reading the zeroed column should fail: $got"; fails=$((fails + 1)) ;;
esac
# EXPLAIN ANALYZE: the groups statistics skip are those DuckDB's metadata puts outside the range
expect=$(duck "SELECT count(*) FILTER (WHERE stats_max::BIGINT < 50000 OR stats_min::BIGINT > 50099) || ' of ' || count(*)
               FROM parquet_metadata('$f') WHERE path_in_schema = 'id'" | tail -1)
plan=$("$orbit" "$tmp/db" -c "EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('$f') WHERE id BETWEEN 50000 AND 50099" 2>&1)
n=$((n + 1))
case "$plan" in
  *"Row groups skipped: $expect (statistics ${expect%% of*},"*) ;;
  *) echo "FAIL: EXPLAIN ANALYZE should skip $expect row groups by statistics:"; echo "$plan"; fails=$((fails + 1)) ;;
esac
echo "$plan" | grep -E "skipped"
# an OR of ranges on the sorted id skips the groups between them (DuckDB's groups hold
# 10,240 rows: 0, 8 and 9 hold ids below 10,000 or from 90,000)
plan=$("$orbit" "$tmp/db" -c "EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('$f') WHERE id < 10000 OR id >= 90000" 2>&1)
n=$((n + 1))
case "$plan" in
  *"Row groups skipped: 7 of 10 (statistics 7,"*) ;;
  *) echo "FAIL: EXPLAIN ANALYZE of an OR should skip 7 of 10 row groups:"; echo "$plan"; fails=$((fails + 1)) ;;
esac
# an OR across columns: a group is skipped when every branch rules it out by its own
# column's statistics (d = id / 2, so the same 7 groups); with a branch that is no
# constraint (LIKE '%x') nothing is skipped, and the answers are DuckDB's either way
for q in \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id < 10000 OR d >= 45000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE (id < 10000 AND k = 3) OR d >= 45000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE id < 10000 OR s LIKE '%x'" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE s ILIKE 'V4%' AND id < 30000" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet('$f') WHERE s ILIKE 'W%' OR id = 7"; do
  check "$q"
done
for w in "id < 10000 OR d >= 45000" "(id < 10000 AND k = 3) OR d >= 45000"; do
  plan=$("$orbit" "$tmp/db" -c "EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('$f') WHERE $w" 2>&1)
  n=$((n + 1))
  case "$plan" in
    *"Row groups skipped: 7 of 10 (statistics 7,"*) ;;
    *) echo "FAIL: EXPLAIN ANALYZE of $w should skip 7 of 10 row groups:"; echo "$plan"; fails=$((fails + 1)) ;;
  esac
done
plan=$("$orbit" "$tmp/db" -c "EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('$f') WHERE id < 10000 OR s LIKE '%x'" 2>&1)
n=$((n + 1))
case "$plan" in
  *"Row groups skipped: "[1-9]*|*"Pruning"*) echo "FAIL: an OR with a branch that is no constraint prunes:"; echo "$plan"; fails=$((fails + 1)) ;;
esac
echo "parquet pruning in SQL: $((n - fails)) of $n checks agree with DuckDB"
[ $fails -eq 0 ]
