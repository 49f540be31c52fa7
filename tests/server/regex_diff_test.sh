#!/usr/bin/env bash
# Differential test of the regular-expression functions: the same psql
# script (tests/server/regex_cases.py: ~4,400 (string, pattern, flags)
# cases through regexp_match, regexp_replace, regexp_count,
# regexp_split_to_array and ~) run against orbitd and against a real
# PostgreSQL 15 (C.UTF-8, as the oracle's cluster) started here; every
# line must be the same.  The patterns avoid what Orbit knowingly does
# differently (leftmost-first matching where the ARE's is leftmost-longest:
# docs/query.md); tests/sql/regex.test pins those cases down.
# usage: regex_diff_test.sh ORBITD_BINARY [NRANDOM]
set -u
orbitd=$1
nrandom=${2:-1500}
here=$(cd "$(dirname "$0")" && pwd)
command -v psql >/dev/null || { echo "psql not installed"; exit 1; }
bindir=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL 15 server not installed (needed as the reference)"; exit 1; }
dir=$(mktemp -d /tmp/orbitd-regex-XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
pgport=$((30000 + RANDOM % 20000))
pid=
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  as_pg "$bindir/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$dir/pg" -E UTF8 --locale=C.UTF-8 -A trust -U orbit >/dev/null || { echo "initdb failed"; exit 1; }
as_pg "$bindir/pg_ctl" -D "$dir/pg" -o "-p $pgport -k $dir -c listen_addresses='' -c fsync=off" -l "$dir/pg.log" -w start \
  >/dev/null || { echo "PostgreSQL did not start"; cat "$dir/pg.log"; exit 1; }
export PGCONNECT_TIMEOUT=5
orbit() { psql -X -h 127.0.0.1 -p "$port" -U orbit -d orbit "$@" 2>&1; }
postgres() { psql -X -h "$dir" -p $pgport -U orbit -d postgres "$@" 2>&1; }
start_orbitd() {
  for attempt in 1 2 3 4 5; do
    port=$((30000 + RANDOM % 20000))
    "$orbitd" -D "$dir/orbit" -p "$port" --auth trust > "$dir/log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do
      orbit -Atc "SELECT 1" >/dev/null && return 0
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "orbitd did not answer on port $port (attempt $attempt): $(tail -3 "$dir/log")"
  done
  return 1
}
start_orbitd || { echo "orbitd did not start"; exit 1; }

python3 "$here/regex_cases.py" "$nrandom" > "$dir/cases.sql" || exit 1
ncases=$(grep -c '^SELECT' "$dir/cases.sql")
# one case per line: errors are printed on the case's own line ("ERROR: ...")
# (psql reports an error with its line of the script: case number + 2)
errcase() { awk '{ if (match($0, /^psql:[^:]*:[0-9]+: /)) { split($0, f, ":"); sub(/^psql:[^:]*:[0-9]+: /, ""); print (f[3] - 2) "|" $0 } else print }'; }
postgres -At -F '|' -f "$dir/cases.sql" | errcase > "$dir/want"
orbit -At -F '|' -f "$dir/cases.sql" | errcase > "$dir/got"
diffs=$(diff "$dir/want" "$dir/got" | grep -c '^[<>]')
if [ "$diffs" -eq 0 ]; then
  echo "ok: $ncases cases, PostgreSQL and Orbit print the same"
  exit 0
fi
echo "FAIL: $ncases cases, $diffs differing lines:"
diff "$dir/want" "$dir/got" | head -${REGEX_DIFF_SHOW:-60}
exit 1
