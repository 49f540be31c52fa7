#!/usr/bin/env bash
# bench_iceberg_prune: a 0.1%-selective filter on an Iceberg table, with
# pruning and without, against DuckDB reading the same Parquet files with
# the same filter (threads=1).  The table (tests/interop/iceberg_bench_table.mjs):
# FILES files of ROWS rows, id sorted across files, d one day per file
# (identity partition), ten manifests with partition summaries, bounds of
# id and d per file.  Filters: d = one day (partition summaries and values),
# id in a range of 0.1% (column bounds).  "no pruning" wraps the same filter
# as (f) IS TRUE, which the planner does not hand to the scan.  Orbit's time
# is the top node's actual time in EXPLAIN ANALYZE (planning, manifests and
# data included, process start-up not), best of 3; DuckDB's the query's wall
# time in one process, best of 3.  The answers (count, sum) are printed so
# that they can be seen to agree.  Not a test: run it by hand.
#   usage: bench/bench_iceberg_prune.sh [ORBIT_SHELL=build/orbit] [FILES=1000] [ROWS=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/orbit}
files=${2:-1000}
rows=${3:-1000}
[ -x "$bin" ] || { echo "bench_iceberg_prune: build first ($bin missing)"; exit 1; }
work=$(mktemp -d /tmp/orbit-bench-iceprune-XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd tests/interop && node iceberg_bench_table.mjs make "$work/t" "$files" "$rows")
total=$((files * rows)) lo=$((files * rows / 2)) hi=$((files * rows / 2 + files * rows / 1000 - 1))
day=$((files / 2))
orbit_ms() {   # best of 3 of the top node's actual time
  local best=""
  for _ in 1 2 3; do
    t=$("$bin" "$work/db" --csv -c "EXPLAIN ANALYZE $1" | sed -n 's/.*actual time=\([0-9.]*\) ms.*/\1/p' | head -1)
    best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }')
  done
  echo "$best"
}
echo "bench_iceberg_prune: $files files x $rows rows = $total rows; one thread; ms, best of 3"
printf "%-44s %10s %12s %10s %18s\n" "filter" "pruned" "no pruning" "DuckDB" "pruned/no, /DuckDB"
for f in "d = DATE '2024-10-04' + $day" "id BETWEEN $lo AND $hi"; do
  q="SELECT count(*), sum(v) FROM iceberg_scan('$work/t') WHERE"
  p=$(orbit_ms "$q $f")
  n=$(orbit_ms "$q ($f) IS TRUE")
  d=$(cd tests/interop && node iceberg_bench_table.mjs duck "$work/t" "$f")
  dm=$(echo "$d" | awk '{ print $2 }')
  printf "%-44s %10.2f %12.2f %10.2f %9.0fx %7.1fx\n" "$f" "$p" "$n" "$dm" \
    "$(awk -v a="$n" -v b="$p" 'BEGIN { print a / b }')" "$(awk -v a="$dm" -v b="$p" 'BEGIN { print a / b }')"
  echo "  answers: orbit $("$bin" "$work/db" --csv -c "$q $f" | tail -1), unpruned $("$bin" "$work/db" --csv -c "$q ($f) IS TRUE" | tail -1), $d"
done
