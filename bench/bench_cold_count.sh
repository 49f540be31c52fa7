#!/usr/bin/env bash
# bench_cold_count: SELECT count(*) on Iceberg tables of ROWS rows (one data
# file, one append) and of FILES x ROWS rows (FILES appends: FILES data
# files, manifests and snapshots), through the engine's C API on tables
# attached with CREATE EXTERNAL TABLE (bench/bench_cold_count.c), beside
# DuckDB counting the same Parquet files with read_parquet([...]) (threads=1,
# which reads every footer; tests/interop/duckdb_parquet_bench.mjs count).
# "first": the first count after opening (Orbit: metadata JSON, manifest
# list and what else it reads, parsed; DuckDB: a fresh process, footers
# read); "repeated": best of REPS more (Orbit: the parsed metadata cached;
# DuckDB reads the footers again).  Wall milliseconds, best of REPS; the
# counts are printed so that they can be seen to agree.  The tables are
# built once into WORK (reused when given and already there; building
# 100 x 1M rows takes about half a minute).  Not a test: run it by hand.
#   usage: bench/bench_cold_count.sh [BENCH_COLD_COUNT_BINARY] [FILES=100] [ROWS=1000000] [REPS=5] [WORK]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bench_cold_count}
files=${2:-100}
rows=${3:-1000000}
reps=${4:-5}
work=${5:-}
[ -x "$bin" ] || { echo "bench_cold_count: build first ($bin missing)"; exit 1; }
[ -d tests/interop/node_modules/@duckdb ] || { echo "bench_cold_count: DuckDB (npm) not installed"; exit 1; }
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/orbit-bench-count-XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" 2>/dev/null && pwd || { mkdir -p "$work" && cd "$work" && pwd; })
field() { awk -v k="$1" -v t="$2" -v n="$3" '$1 == k && $2 == t { print $n }' "$4"; }
"$bin" "$work" "$files" "$rows" "$reps" > "$work/o.txt"
{ grep '^built' "$work/o.txt" || true; } | awk '{ printf "  built %s: %s rows in %s file(s), %s s\n", $2, $4, $5, $3 }'
rm -f "$work/d.txt"
for t in small big; do
  find "$work/$t/data" -name '*.parquet' | sort > "$work/$t.list"
  (cd tests/interop && node duckdb_parquet_bench.mjs count "$work/$t.list" "$reps") | sed "s/^count/count $t/" >> "$work/d.txt"
done
echo "bench_cold_count: count(*) of $rows rows (1 file) and $((files * rows)) rows ($files appends); ms, best of $reps"
printf "%-34s %10s %10s %10s %10s\n" "" "Orbit" "" "DuckDB" ""
printf "%-34s %10s %10s %10s %10s\n" "" "first" "repeated" "first" "repeated"
for t in small big; do
  printf "%-34s %10.3f %10.3f %10.3f %10.3f\n" "$t ($(field count $t 5 "$work/o.txt") rows)" \
    "$(field count $t 3 "$work/o.txt")" "$(field count $t 4 "$work/o.txt")" \
    "$(field count $t 3 "$work/d.txt")" "$(field count $t 4 "$work/d.txt")"
done
ratio() { awk -v a="$(field count big "$1" "$2")" -v b="$(field count small "$1" "$2")" 'BEGIN { printf "%.2f", a / b }'; }
printf "%-34s %10s %10s %10s %10s\n" "ratio big / small" "$(ratio 3 "$work/o.txt")" "$(ratio 4 "$work/o.txt")" \
  "$(ratio 3 "$work/d.txt")" "$(ratio 4 "$work/d.txt")"
echo "  counts: Orbit $(field count small 5 "$work/o.txt") $(field count big 5 "$work/o.txt"), DuckDB $(field count small 5 "$work/d.txt") $(field count big 5 "$work/d.txt")"
