#!/usr/bin/env bash
# bench_parquet: Parquet writes and reads by Orbit and by DuckDB (threads=1)
# on the same table (BIGINT id, DOUBLE d, INTEGER n, TIMESTAMP ts, short TEXT
# s; id sorted; 10,000,000 rows unless told), same run, same machine, files
# in the page cache, best of 3 in CPU seconds; printed side by side with the
# ratio (Orbit's speed over DuckDB's: above 1 = Orbit faster).  Both engines'
# answers are printed so that they can be seen to agree.  Not a test: run it
# by hand.  Orbit's side: bench/bench_parquet.c; DuckDB's side:
# tests/interop/duckdb_parquet_bench.mjs.  Last, an Iceberg table of the
# same rows (USING iceberg, COPY FROM DuckDB's ZSTD file: Orbit writes its
# data files): the full read and the numeric columns in OrbitQL over the
# table, over iceberg_scan() and over read_parquet() of its data files,
# beside DuckDB's read_parquet() of the same data files.
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
field() { awk -v k="$1" -v n="$2" '$1 == k { print $n }' "$3"; }   # key, field number, file
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
lo=$((rows / 2)) hi=$((rows / 2 + rows / 1000 - 1))   # 0.1% of the rows, by the sorted id

echo "bench_parquet: $rows rows, $(nproc) cores, one thread each; DuckDB $(cd tests/interop && node -e "import('@duckdb/node-api').then(m => console.log(m.version()))" 2>/dev/null || echo '?')"
echo "CPU seconds, best of 3; ratio = Orbit's speed / DuckDB's"
duck write "$rows" "$work" > "$work/dw.txt"
"$bin" write "$rows" "$work" > "$work/ow.txt"
printf "%-46s %12s %12s %8s\n" "write (MB/s of raw input; file MB)" "Orbit" "DuckDB" "ratio"
for codec in zstd uncompressed; do
  o=$(field "write_$codec" 2 "$work/ow.txt") d=$(field "write_$codec" 2 "$work/dw.txt")
  raw=$(field "write_$codec" 3 "$work/ow.txt") draw=$(field "write_$codec" 3 "$work/dw.txt")
  [ "$raw" = "$draw" ] || echo "  raw input differs: Orbit $raw bytes, DuckDB $draw"
  printf "%-46s %6.0f (%3.0f) %6.0f (%3.0f) %7sx\n" "write $codec" \
    "$(awk -v r="$raw" -v t="$o" 'BEGIN { print r / 1e6 / t }')" "$(awk -v s="$(field "write_$codec" 4 "$work/ow.txt")" 'BEGIN { print s / 1e6 }')" \
    "$(awk -v r="$raw" -v t="$d" 'BEGIN { print r / 1e6 / t }')" "$(awk -v s="$(field "write_$codec" 4 "$work/dw.txt")" 'BEGIN { print s / 1e6 }')" \
    "$(ratio "$d" "$o")"
  echo "  answers, DuckDB reading Orbit's file and its own:"
  duck check "$work/orbit_$codec.parquet" | sed 's/^answer/  orbit-written /'
  duck check "$work/duckdb_$codec.parquet" | sed 's/^answer/  duckdb-written/'
done
for codec in zstd uncompressed; do
  f=$work/duckdb_$codec.parquet
  duck read "$f" "$lo" "$hi" > "$work/d.txt"
  "$bin" read "$f" "$lo" "$hi" > "$work/o.txt"
  line() {   # label, orbit key, duckdb key
    local o d
    o=$(field "$2" 2 "$work/o.txt") d=$(field "$3" 2 "$work/d.txt")
    printf "%-46s %12.3f %12.3f %7sx\n" "$1" "$o" "$d" "$(ratio "$d" "$o")"
  }
  echo "-- read (seconds) of DuckDB's $codec file, $(du -m "$f" | cut -f1) MB"
  line "full read, all columns (library)" read_all read_all
  line "full read, all columns (OrbitQL read_parquet)" sql_all read_all
  line "numeric columns (library)" read_numeric read_numeric
  line "numeric columns (OrbitQL read_parquet)" sql_numeric read_numeric
  line "selective 0.1% on sorted id (OrbitQL)" selective selective
  printf "%-46s %12sx\n" "selective vs Orbit's own OrbitQL full read" "$(ratio "$(field sql_all 2 "$work/o.txt")" "$(field selective 2 "$work/o.txt")")"
  echo "  answers (seconds first), Orbit and DuckDB:"
  sed 's/^/  orbit  /' "$work/o.txt"
  sed 's/^/  duckdb /' "$work/d.txt"
done
"$bin" iceberg "$work/duckdb_zstd.parquet" "$work/ice" > "$work/oi.txt"
data=$(field ice_data 2 "$work/oi.txt")
duck read "$data" "$lo" "$hi" > "$work/di.txt"
echo "-- Iceberg table (Orbit-written ZSTD data files, $(du -cm $data | tail -1 | cut -f1) MB): OrbitQL vs DuckDB read_parquet of its data files"
iline() {   # label, orbit key, duckdb key
  local o d
  o=$(field "$2" 2 "$work/oi.txt") d=$(field "$3" 2 "$work/di.txt")
  printf "%-46s %12.3f %12.3f %7sx\n" "$1" "$o" "$d" "$(ratio "$d" "$o")"
}
iline "full read, all columns (table USING iceberg)" ice_table_all read_all
iline "full read, all columns (iceberg_scan)" ice_scan_all read_all
iline "full read, all columns (read_parquet of files)" ice_parquet_all read_all
iline "numeric columns (table USING iceberg)" ice_table_numeric read_numeric
iline "numeric columns (iceberg_scan)" ice_scan_numeric read_numeric
iline "numeric columns (read_parquet of files)" ice_parquet_numeric read_numeric
echo "  answers (seconds first), Orbit and DuckDB:"
grep -v '^ice_data' "$work/oi.txt" | sed 's/^/  orbit  /'
sed 's/^/  duckdb /' "$work/di.txt"
