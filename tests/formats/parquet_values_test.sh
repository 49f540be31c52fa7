#!/usr/bin/env bash
# Values of every fixture's flat columns of plain types (booleans, signed
# integers, floats, UTF-8 strings) as Orbit's reader decodes them, against
# what DuckDB reads from the same file.  Columns Orbit cannot read yet
# (encodings not done) are listed, not failed; every value compared must be
# equal.  usage: parquet_values_test.sh PQ_VALUES_DUMP
set -u
dump=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/../shared/fixtures/parquet-testing/data
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fails=0 cols=0 values=0 skipped=0
for f in "$data"/*.parquet; do
  name=$(basename "$f")
  case "$name" in large_string_map.brotli.parquet) continue ;; esac   # 2 GB of strings: the memory limit's test, not this one's
  "$dump" "$f" > "$out/o" 2>&1 || { echo "FAIL $name: reader crashed"; fails=$((fails + 1)); continue; }
  grep -q '^col ' "$out/o" || continue
  (cd "$root/tests/interop" && node parquet_values.mjs "$f") > "$out/d" 2>&1
  grep -q '^error' "$out/d" && continue
  # compare column by column, for the columns both printed
  for c in $(grep '^col ' "$out/o" | cut -c5-); do
    awk -v c="col $c" '$0 == c {on=1; next} /^col / {on=0} on' "$out/o" > "$out/oc"
    awk -v c="col $c" '$0 == c {on=1; next} /^col / {on=0} on' "$out/d" > "$out/dc"
    grep -q "^col $c\$" "$out/d" || continue
    if grep -q '^skip ' "$out/oc"; then
      skipped=$((skipped + 1)); continue
    fi
    if cmp -s "$out/oc" "$out/dc"; then
      cols=$((cols + 1)); values=$((values + $(wc -l < "$out/oc")))
    else
      echo "FAIL $name column $c differs from DuckDB's values:"; diff "$out/dc" "$out/oc" | head -6
      fails=$((fails + 1))
    fi
  done
done
echo "parquet values: $cols columns ($values values) equal to DuckDB's, $skipped columns not readable yet, $fails failed"
[ $fails -eq 0 ] && [ $cols -gt 0 ]
