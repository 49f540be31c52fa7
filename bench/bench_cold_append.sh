#!/usr/bin/env bash
# bench_cold_append: appending in-memory batches to a cold (Iceberg) table
# with ZSTD (bench/bench_cold_append.c: Parquet data files, manifest,
# manifest list, atomic metadata commit) against DuckDB writing the same
# rows to one Parquet file with ZSTD and threads=1
# (tests/interop/duckdb_parquet_bench.mjs write), same run, same machine,
# best of 3 in CPU seconds, MB/s of raw input and the ratio (Orbit's speed
# over DuckDB's: above 1 = Orbit faster).  Not a test: run it by hand.
#   usage: bench/bench_cold_append.sh [BENCH_COLD_APPEND_BINARY] [ROWS=10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bench_cold_append}
rows=${2:-10000000}
[ -x "$bin" ] || { echo "bench_cold_append: build first ($bin missing)"; exit 1; }
[ -d tests/interop/node_modules/@duckdb ] || { echo "bench_cold_append: DuckDB (npm) not installed"; exit 1; }
work=$(mktemp -d /tmp/orbit-bench-cold-XXXXXX)
trap 'rm -rf "$work"' EXIT
field() { awk -v k="$1" -v n="$2" '$1 == k { print $n }' "$3"; }
(cd tests/interop && node duckdb_parquet_bench.mjs write "$rows" "$work") > "$work/d.txt"
"$bin" "$rows" "$work" > "$work/o.txt"
o=$(field append_zstd 2 "$work/o.txt") raw=$(field append_zstd 3 "$work/o.txt")
d=$(field write_zstd 2 "$work/d.txt") draw=$(field write_zstd 3 "$work/d.txt")
[ "$raw" = "$draw" ] || echo "  raw input differs: Orbit $raw bytes, DuckDB $draw"
echo "bench_cold_append: $rows rows, one thread each, CPU seconds, best of 3"
printf "%-44s %10s %10s %8s\n" "" "Orbit" "DuckDB" "ratio"
printf "%-44s %10.0f %10.0f %7.2fx\n" "append, MB/s of raw input (ZSTD)" \
  "$(awk -v r="$raw" -v t="$o" 'BEGIN { print r / 1e6 / t }')" "$(awk -v r="$raw" -v t="$d" 'BEGIN { print r / 1e6 / t }')" \
  "$(awk -v a="$d" -v b="$o" 'BEGIN { print a / b }')"
printf "%-44s %10.1f %10.1f\n" "bytes written (MB)" "$(awk -v s="$(field append_zstd 4 "$work/o.txt")" 'BEGIN { print s / 1e6 }')" \
  "$(awk -v s="$(field write_zstd 4 "$work/d.txt")" 'BEGIN { print s / 1e6 }')"
echo "  Orbit: $(field append_zstd 5 "$work/o.txt") data file(s) and one commit"
