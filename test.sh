#!/usr/bin/env bash
# Run the whole test suite: installs dependencies, builds with gcc and runs
# every test (unit tests, SQL logic tests, crash test, interop), checks the
# SQL tests' expected results against a real PostgreSQL, then builds
# with clang under AddressSanitizer + UndefinedBehaviorSanitizer and runs the
# suite again, then runs each libFuzzer target briefly.
#   ./test.sh            everything
#   ./test.sh --quick    gcc build + tests only
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
[ -f tests/interop/package.json ] && (cd tests/interop && npm ci --no-audit --no-fund --silent)

jobs=$(nproc)
echo "== gcc build + tests"
cmake -S . -B build -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== SQL test expectations checked against PostgreSQL"
scripts/pg-oracle.sh

[ "${1:-}" = "--quick" ] && exit 0

echo "== clang build with ASan + UBSan + libFuzzer targets, tests again"
cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DORBIT_SANITIZE=ON -DORBIT_FUZZ=ON -DORBIT_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== fuzz smoke runs"
for f in build-asan/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  corpus=fuzz/corpus/${name#fuzz_}
  seeds=
  [ "$name" = fuzz_parquet ] && seeds=../shared/fixtures/parquet-testing/data   # read-only seeds, never copied
  [ "$name" = fuzz_avro ] || [ "$name" = fuzz_ice_manifest ] &&
    seeds=$(find ../shared/fixtures/iceberg-trino -name '*.avro' -printf '%h\n' | sort -u)
  if [ "$name" = fuzz_ice_meta ]; then
    # the fixtures' metadata JSON, linked (never copied) into one directory
    seeds=build-asan/seeds-$name
    rm -rf "$seeds" && mkdir -p "$seeds"
    for m in ../shared/fixtures/iceberg-trino/*/metadata ../shared/fixtures/iceberg-trino/*/*/metadata \
             ../shared/fixtures/iceberg-trino/*/*/*/metadata; do
      for j in "$m"/*.metadata.json; do
        [ -f "$j" ] && ln -s "$(cd "$(dirname "$j")" && pwd)/$(basename "$j")" "$seeds/$(echo "${j#../shared/fixtures/iceberg-trino/}" | tr / _)"
      done
    done
  fi
  mkdir -p "build-asan/corpus-$name"
  "$f" -max_total_time="${ORBIT_FUZZ_SECONDS:-30}" -rss_limit_mb=2048 -max_len=1048576 \
    "build-asan/corpus-$name" $( [ -d "$corpus" ] && echo "$corpus" ) $seeds 2>&1 | tail -2
done
echo "all tests passed"
