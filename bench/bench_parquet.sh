#!/usr/bin/env bash
# bench_parquet: Parquet reads (and writes) by Orbit and by DuckDB (threads=1)
# on the same 10,000,000-row table (BIGINT id, DOUBLE d, INTEGER n,
# TIMESTAMP ts, short TEXT s; id sorted), same run, same machine, files in
# the page cache, best of 3; printed side by side with the ratio (Orbit's
# speed over DuckDB's; above 1 = Orbit faster).  Both answers are printed so
# that they can be seen to agree.  Not a test: run it by hand.
#   usage: bench/bench_parquet.sh [BENCH_PARQUET_BINARY] [ROWS=10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bench_parquet}
rows=${2:-10000000}
[ -x "$bin" ] || { echo "bench_parquet: build first ($bin missing)"; exit 1; }
[ -d tests/interop/node_modules/@duckdb ] || { echo "bench_parquet: DuckDB (npm) not installed: run test.sh"; exit 1; }
work=$(mktemp -d /tmp/orbit-bench-parquet-XXXXXX)
trap 'rm -rf "$work"' EXIT
duck() { (cd tests/interop && node duckdb_parquet_bench.mjs "$@"); }
lo=$((rows / 2)) hi=$((rows / 2 + rows / 1000 - 1))   # 0.1% of the rows, by the sorted id

echo "bench_parquet: $rows rows, $(nproc) cores, one thread each; DuckDB $(cd tests/interop && node -e "import('@duckdb/node-api').then(m => console.log(m.version()))" 2>/dev/null || echo '?')"
duck write "$rows" "$work" > "$work/duck_write.txt"
printf "%-44s %10s %10s %8s\n" "operation (seconds, best of 3)" "Orbit" "DuckDB" "ratio"
for codec in zstd uncompressed; do
  f=$work/duckdb_$codec.parquet
  duck read "$f" "$lo" "$hi" > "$work/d.txt"
  "$bin" read "$f" "$lo" "$hi" > "$work/o.txt"
  sec() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
  line() {   # label, orbit key, duckdb key
    local o d
    o=$(sec "$2" "$work/o.txt") d=$(sec "$3" "$work/d.txt")
    printf "%-44s %10.3f %10.3f %7.2fx\n" "$1" "$o" "$d" "$(awk -v a="$d" -v b="$o" 'BEGIN { print a / b }')"
  }
  echo "-- DuckDB-written file, $codec, $(du -m "$f" | cut -f1) MB"
  line "full read, all columns (library)" read_all read_all
  line "full read, all columns (OrbitQL read_parquet)" sql_all read_all
  line "numeric columns (library)" read_numeric read_numeric
  line "selective 0.1% on sorted id (OrbitQL)" selective selective
  selfull=$(awk '$1 == "sql_all" { print $2 }' "$work/o.txt") selo=$(awk '$1 == "selective" { print $2 }' "$work/o.txt")
  printf "%-44s %10.1fx\n" "selective vs Orbit's own full read" "$(awk -v a="$selfull" -v b="$selo" 'BEGIN { print a / b }')"
  echo "answers: Orbit and DuckDB"
  sed 's/^/  orbit  /' "$work/o.txt"
  sed 's/^/  duckdb /' "$work/d.txt"
done
