#!/usr/bin/env bash
# Every Parquet file of ../shared/fixtures/parquet-testing: Orbit's footer
# reader (pq_meta_dump) must print what DuckDB reads from the same file
# (tests/interop/parquet_meta.mjs), or, where DuckDB fails too, a clear
# error and no crash.  usage: parquet_meta_test.sh PQ_META_DUMP
set -u
dump=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=$root/../shared/fixtures/parquet-testing
[ -d "$fixtures" ] || { echo "fixtures not found: $fixtures"; exit 1; }
node=$root/tests/interop/parquet_meta.mjs
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fails=0 same=0 both_err=0
for f in "$fixtures"/data/*.parquet "$fixtures"/bad_data/*.parquet; do
  name=${f#"$fixtures"/}
  "$dump" "$f" > "$out/orbit" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || ! head -c 5 "$out/orbit" | grep -qE '^(file |error)'; then
    echo "FAIL $name: reader exited $rc"; head -3 "$out/orbit"; fails=$((fails + 1)); continue
  fi
  (cd "$root/tests/interop" && node parquet_meta.mjs "$f") > "$out/duckdb" 2>&1
  if grep -q '^error' "$out/duckdb"; then
    both_err=$((both_err + 1))   # DuckDB cannot read it either: ours only has to fail cleanly or read
    continue
  fi
  if grep -q '^error' "$out/orbit"; then
    # a damaged file may have a footer DuckDB takes and we refuse (sizes that lie): fine if the error says so
    case "$name" in bad_data/*) echo "ok   $name: $(cut -c1-160 "$out/orbit")"; both_err=$((both_err + 1)); continue ;; esac
    echo "FAIL $name: DuckDB reads the footer, Orbit says: $(cat "$out/orbit")"; fails=$((fails + 1)); continue
  fi
  if ! diff -q "$out/duckdb" "$out/orbit" >/dev/null; then
    echo "FAIL $name: footer differs from DuckDB's reading"; diff "$out/duckdb" "$out/orbit" | head -8
    fails=$((fails + 1)); continue
  fi
  same=$((same + 1))
done
echo "parquet footers: $same agree with DuckDB, $both_err unreadable by both, $fails failed"
[ $fails -eq 0 ]
