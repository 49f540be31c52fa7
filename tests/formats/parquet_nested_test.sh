#!/usr/bin/env bash
# Every top-level nested field (struct, list, map) of every fixture, as
# Orbit assembles it (pq_nested_dump: the record's JSON), against DuckDB's
# to_json of the same column (tests/interop/parquet_nested.mjs); both sides
# go through the same canonical form, which normalises only how JSON is
# spelled (escapes, float formatting), never values.  Files DuckDB cannot
# read are listed, not failed; fields Orbit cannot read are counted as
# skipped; every record compared must be equal.
# usage: parquet_nested_test.sh PQ_NESTED_DUMP
set -u
dump=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/../shared/fixtures/parquet-testing/data
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fails=0 cols=0 values=0 skipped=0 files=0
for f in "$data"/*.parquet; do
  name=$(basename "$f")
  "$dump" "$f" > "$out/raw" 2>&1 || { echo "FAIL $name: reader crashed"; fails=$((fails + 1)); continue; }
  grep -q '^col ' "$out/raw" || continue   # no nested fields (or no footer)
  (cd "$root/tests/interop" && node parquet_nested.mjs --canon < "$out/raw") > "$out/o"
  (cd "$root/tests/interop" && node parquet_nested.mjs "$f") > "$out/d" 2>&1
  if grep -q '^error' "$out/d"; then
    echo "not compared: $name: DuckDB cannot read it ($(head -1 "$out/d" | cut -c7-))"
    continue
  fi
  files=$((files + 1))
  for c in $(grep '^col ' "$out/o" | cut -c5-); do
    awk -v c="col $c" '$0 == c {on=1; next} /^col / {on=0} on' "$out/o" > "$out/oc"
    awk -v c="col $c" '$0 == c {on=1; next} /^col / {on=0} on' "$out/d" > "$out/dc"
    if ! grep -q "^col $c\$" "$out/d"; then
      echo "FAIL $name field $c: DuckDB reads no nested column of that name"; fails=$((fails + 1)); continue
    fi
    if grep -q '^skip ' "$out/oc"; then
      echo "skipped: $name field $c: $(grep '^skip ' "$out/oc" | head -1)"
      skipped=$((skipped + 1)); continue
    fi
    if cmp -s "$out/oc" "$out/dc"; then
      cols=$((cols + 1)); values=$((values + $(wc -l < "$out/oc")))
    else
      echo "FAIL $name field $c differs from DuckDB's to_json:"; diff "$out/dc" "$out/oc" | head -6
      fails=$((fails + 1))
    fi
  done
  # and no nested column of DuckDB's that Orbit left out
  for c in $(grep '^col ' "$out/d" | cut -c5-); do
    grep -q "^col $c\$" "$out/o" || { echo "FAIL $name: Orbit does not read DuckDB's nested column $c"; fails=$((fails + 1)); }
  done
done
echo "parquet nested: $cols fields ($values records) in $files files equal to DuckDB's, $skipped fields not readable, $fails failed"
[ $fails -eq 0 ] && [ $cols -gt 0 ]
