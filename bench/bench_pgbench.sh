#!/usr/bin/env bash
# bench_pgbench: pgbench's TPC-B-like workload against orbitd and against a
# throwaway PostgreSQL cluster on the same machine, same run, same settings
# (scale 1, N clients, T seconds, fsync on commit for both), printed side by
# side with the ratio.  Not a test: run it by hand.
#   usage: bench/bench_pgbench.sh [ORBITD_BINARY] [CLIENTS] [SECONDS] [simple|extended|prepared]
set -euo pipefail
cd "$(dirname "$0")/.."
orbitd=${1:-build/orbitd}
clients=${2:-2}
secs=${3:-10}
mode=${4:-simple}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "bench_pgbench: PostgreSQL server not installed"; exit 1; }
work=$(mktemp -d /tmp/orbit-pgbench-XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
pgport=$((20000 + RANDOM % 10000)); orport=$((pgport + 10000))
opid=
cleanup() {
  as_pg "$bindir/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "$opid" ] && kill -TERM "$opid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
as_pg "$bindir/pg_ctl" -D "$work/pg" -o "-p $pgport -k $work -c listen_addresses=127.0.0.1 -c synchronous_commit=on" \
  -l "$work/pg.log" -w start >/dev/null
"$orbitd" -D "$work/orbit" -p "$orport" --auth trust --log-level warning 2> "$work/orbitd.log" &
opid=$!
sleep 0.5

run() {  # port -> tps
  pgbench -h 127.0.0.1 -p "$1" -U postgres -i -s 1 -q postgres >/dev/null 2>&1
  pgbench -h 127.0.0.1 -p "$1" -U postgres -c "$clients" -j 1 -T "$secs" -M "$mode" -n postgres 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
pg=$(run "$pgport")
orb=$(run "$orport")
echo "bench_pgbench: pgbench TPC-B-like, scale 1, $clients clients, $secs s, $mode protocol, fsync per commit"
printf '%-24s %12s %12s %8s\n' "" "orbitd" "PostgreSQL" "ratio"
awk -v o="$orb" -v p="$pg" 'BEGIN { printf "%-24s %12.0f %12.0f %7.2fx\n", "transactions/s", o, p, o / p }'
