#!/usr/bin/env bash
# Every page of every fixture file is read: page headers, CRC32 checks,
# decompression by each codec, and the values per column chunk against the
# footer.  The files known to be damaged must fail with the reason given
# below; every other file of data/ must read; bad_data/ must never crash.
# usage: parquet_pages_test.sh PQ_PAGES_CHECK
set -u
check=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
fx=$root/../shared/fixtures/parquet-testing
declare -A expect=(
  [datapage_v1-corrupt-checksum.parquet]="fails its CRC32 check"
  [rle-dict-uncompressed-corrupt-checksum.parquet]="fails its CRC32 check"
  [large_string_map.brotli.parquet]="over the memory limit"
  [nation.dict-malformed.parquet]="runs past its column chunk"
)
fails=0 ok=0
for f in "$fx"/data/*.parquet; do
  name=$(basename "$f")
  out=$("$check" "$f")
  rc=$?
  want=${expect[$name]:-}
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: exit status $rc"; fails=$((fails + 1))
  elif [ -n "$want" ]; then
    case "$out" in error*"$want"*) ok=$((ok + 1)) ;; *) echo "FAIL $name: expected an error with \"$want\", got: $out"; fails=$((fails + 1)) ;; esac
  else
    case "$out" in
      ok*) ok=$((ok + 1)) ;;
      *"encrypted Parquet files are not supported"*) ok=$((ok + 1)) ;;
      *) echo "FAIL $name: $out"; fails=$((fails + 1)) ;;
    esac
  fi
done
for f in "$fx"/bad_data/*.parquet; do
  out=$("$check" "$f")
  rc=$?
  case "$rc:$out" in 0:ok*|0:error*) ok=$((ok + 1)) ;; *) echo "FAIL $(basename "$f"): exit $rc: $out"; fails=$((fails + 1)) ;; esac
done
echo "parquet pages: $ok files as expected, $fails failed"
[ $fails -eq 0 ]
