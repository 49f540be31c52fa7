#!/usr/bin/env bash
# The Parquet writer against DuckDB: pq_write_check writes a 120,000-row
# table of every type Orbit writes (NULLs, min/max integers, NaN, +-0.0,
# infinities, empty, long and non-ASCII strings) once per codec, encoding
# (dictionary, PLAIN, dictionary falling back to PLAIN, and the default,
# which drops the dictionary of nearly unique columns early) and page version;
# for each file DuckDB's reading must equal the source rows, our own
# reader's too, and DuckDB's parquet_schema()/parquet_metadata() must agree
# with what was written (tests/interop/parquet_write_check.mjs meta).
# hyparquet (npm, a JavaScript reader written apart from both) must read the
# same values too.  The other way round, a file hyparquet-writer wrote
# (tests/interop/parquet_hyparquet_write.mjs) must read the same in Orbit,
# in hyparquet and in DuckDB.
# usage: parquet_write_test.sh PQ_WRITE_CHECK
set -u
check=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rows=120000
fails=0 files=0
for cfg in zstd-dict-v1 zstd-plain-v1 zstd-fallback-v1 zstd-dict-v2 zstd-plain-v2-crc zstd-fallback-v2 \
           snappy-dict-v1 gzip-fallback-v2 none-plain-v1-crc zstd-probe-v1 snappy-probe-v2; do
  f=$out/$cfg.parquet
  if ! "$check" write "$f" "$cfg" $rows > "$out/src" 2> "$out/err"; then
    echo "FAIL $cfg: writing failed: $(cat "$out/err")"; fails=$((fails + 1)); continue
  fi
  (cd "$root/tests/interop" && node parquet_write_check.mjs values "$f") > "$out/duck" 2>&1
  if ! cmp -s "$out/src" "$out/duck"; then
    echo "FAIL $cfg: DuckDB reads other values than were written:"; diff "$out/src" "$out/duck" | head -8
    fails=$((fails + 1))
  fi
  (cd "$root/tests/interop" && node parquet_hyparquet.mjs "$f") > "$out/hyp" 2>&1
  if ! cmp -s "$out/src" "$out/hyp"; then
    echo "FAIL $cfg: hyparquet reads other values than were written:"; diff "$out/src" "$out/hyp" | head -8
    fails=$((fails + 1))
  fi
  "$check" read "$f" > "$out/ours" 2>&1
  if ! cmp -s "$out/src" "$out/ours"; then
    echo "FAIL $cfg: our reader reads other values than were written:"; diff "$out/src" "$out/ours" | head -8
    fails=$((fails + 1))
  fi
  if ! (cd "$root/tests/interop" && node parquet_write_check.mjs meta "$f" "$cfg") > "$out/meta" 2>&1; then
    echo "FAIL $cfg: metadata:"; head -10 "$out/meta"
    fails=$((fails + 1))
  fi
  echo "$cfg: $(stat -c %s "$f") bytes, $(grep -c . "$out/src") lines equal, $(tail -1 "$out/meta")"
  files=$((files + 1))
  rm -f "$f"
done
# a file written by hyparquet-writer: Orbit, hyparquet and DuckDB agree
f=$out/hyparquet-written.parquet
if (cd "$root/tests/interop" && node parquet_hyparquet_write.mjs "$f" 50000) > "$out/err" 2>&1; then
  "$check" read "$f" > "$out/ours" 2>&1
  (cd "$root/tests/interop" && node parquet_hyparquet.mjs "$f") > "$out/hyp" 2>&1
  (cd "$root/tests/interop" && node parquet_write_check.mjs values "$f") > "$out/duck" 2>&1
  for other in hyp duck; do
    if ! cmp -s "$out/$other" "$out/ours"; then
      echo "FAIL hyparquet-written: Orbit reads other values than $other:"; diff "$out/$other" "$out/ours" | head -8
      fails=$((fails + 1))
    fi
  done
  echo "hyparquet-written: $(stat -c %s "$f") bytes, $(grep -c . "$out/ours") lines equal in Orbit, hyparquet and DuckDB"
  files=$((files + 1))
else
  echo "FAIL hyparquet-writer could not write: $(cat "$out/err")"; fails=$((fails + 1))
fi
echo "parquet write: $files files of $rows rows, $fails failed"
[ $fails -eq 0 ] && [ $files -gt 0 ]
