#!/usr/bin/env bash
# bench_pgbench: pgbench against orbitd and against a throwaway PostgreSQL
# cluster on the same machine, same run, same settings (scale 1, fsync per
# commit for both, READ COMMITTED for both — PostgreSQL's default, which
# pgbench's TPC-B-like script assumes), printed side by side with the ratio:
#   TPC-B-like and select-only (-S) at each client count,
#   then memory per idle connection with 1,000 connections open.
# Not a test: run it by hand.
#   usage: bench/bench_pgbench.sh [ORBITD_BINARY] [CLIENTS="8 64"] [SECONDS=10] [simple|extended|prepared]
set -euo pipefail
cd "$(dirname "$0")/.."
orbitd=${1:-build/orbitd}
clients_list=${2:-8 64}
secs=${3:-10}
mode=${4:-prepared}
idle=1000
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
as_pg "$bindir/pg_ctl" -D "$work/pg" -o "-p $pgport -k $work -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c max_connections=$((idle + 20))" \
  -l "$work/pg.log" -w start >/dev/null
"$orbitd" -D "$work/orbit" -p "$orport" --auth trust --log-level warning --max-connections $((idle + 20)) 2> "$work/orbitd.log" &
opid=$!
sleep 0.5
export PGOPTIONS='-c default_transaction_isolation=read\ committed'

tps() {  # port clients extra-args -> tps
  pgbench -h 127.0.0.1 -p "$1" -U postgres -c "$2" -j 2 -T "$secs" -M "$mode" -n $3 postgres 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
for port in "$pgport" "$orport"; do pgbench -h 127.0.0.1 -p "$port" -U postgres -i -s 1 -q postgres >/dev/null 2>&1; done

echo "bench_pgbench: scale 1, $secs s per run, $mode protocol, fsync per commit, READ COMMITTED"
printf '%-34s %12s %12s %8s\n' "" "orbitd" "PostgreSQL" "ratio"
for c in $clients_list; do
  for w in tpcb select; do
    args=; [ "$w" = select ] && args=-S
    pg=$(tps "$pgport" "$c" "$args"); orb=$(tps "$orport" "$c" "$args")
    label="$([ "$w" = tpcb ] && echo "TPC-B-like" || echo "select-only") tps, $c clients"
    awk -v l="$label" -v o="${orb:-0}" -v p="${pg:-0}" 'BEGIN { printf "%-34s %12.0f %12.0f %7.2fx\n", l, o, p, (p > 0 ? o / p : 0) }'
  done
done

# memory per idle connection: proportional set size (PSS: shared pages split
# between the processes sharing them) of the server (PostgreSQL: all its
# processes) before and after opening the connections
rss_kb() {
  local t=0 p v
  for p in ${1//,/ }; do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
held() {  # port -> opens $idle idle connections held by one python process; prints its pid
  python3 - "$1" "$idle" <<'PY' &
import socket, struct, sys, time
socks = []
for _ in range(int(sys.argv[2])):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    body = struct.pack(">i", 196608) + b"user\0postgres\0database\0postgres\0\0"
    s.sendall(struct.pack(">i", len(body) + 4) + body)
    buf = b""
    while b"Z\0\0\0\x05" not in buf:
        buf += s.recv(4096)
    socks.append(s)
print("open", flush=True)
time.sleep(30)
PY
}
measure() {  # port pids-fn -> kB added per connection
  local before after hp
  before=$(rss_kb "$($2)")
  held "$1" > "$work/held.out"; hp=$!
  for _ in $(seq 300); do grep -q open "$work/held.out" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  after=$(rss_kb "$($2)")
  kill "$hp" 2>/dev/null; wait "$hp" 2>/dev/null || true
  awk -v a="$after" -v b="$before" -v n="$idle" 'BEGIN { printf "%.1f", (a - b) / n }'
}
# a fresh orbitd for this, so that memory freed by the runs above does not hide the cost
kill -TERM "$opid"; wait "$opid" 2>/dev/null || true
"$orbitd" -D "$work/orbit-idle" -p "$orport" --auth trust --log-level warning --max-connections $((idle + 20)) 2>> "$work/orbitd.log" &
opid=$!
sleep 0.5
orb_pid() { echo "$opid"; }
pg_all() { pgrep -d, -u postgres postgres || pgrep -d, postgres; }
o=$(measure "$orport" orb_pid); p=$(measure "$pgport" pg_all)
awk -v o="$o" -v p="$p" -v n="$idle" 'BEGIN { printf "%-34s %12.1f %12.1f %7.3fx\n", "kB (PSS) per idle connection (" n ")", o, p, (p > 0 ? o / p : 0) }'
