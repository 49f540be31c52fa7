#!/usr/bin/env bash
# Check the expected results of tests/sql/*.test against a real PostgreSQL 15:
# starts a throwaway cluster on a private Unix socket, runs
# scripts/slt_pg_oracle.py over the files, stops the cluster.
# usage: scripts/pg-oracle.sh [FILE.test ...]   (default: all of tests/sql)
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "pg-oracle: PostgreSQL server not installed"; exit 1; }
files=("$@"); [ ${#files[@]} -eq 0 ] && files=(tests/sql/*.test)
work=$(mktemp -d /tmp/orbit-pgoracle-XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
port=$((20000 + RANDOM % 20000))
cleanup() { as_pg "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$work/data" -A trust -U postgres >/dev/null
as_pg "$bindir/pg_ctl" -D "$work/data" -o "-p $port -k $work -c fsync=off -c listen_addresses=''" -l "$work/log" -w start >/dev/null
# COPY tests write /tmp/orbit_copy_*: files left by Orbit's own run belong to
# another user, and the PostgreSQL server process could not replace them
rm -f /tmp/orbit_copy_*
python3 scripts/slt_pg_oracle.py --host "$work" --port "$port" "${files[@]}"
