#!/usr/bin/env bash
# orbitd's idle timeouts through psql (libpq): idle_in_transaction_session_timeout
# ends a session idle in an open or failed transaction block (FATAL 25P03),
# rolls its transaction back and lets a session waiting on its row go on;
# idle_session_timeout ends one idle outside a block (FATAL 57P05); SET/SHOW
# forms; the settings from -c, --name=value and the configuration file.
# usage: idle_timeout_test.sh ORBITD_BINARY
set -u
orbitd=$1
command -v psql >/dev/null || { echo "psql not installed"; exit 1; }
dir=$(mktemp -d /tmp/orbitd-idle-XXXXXX)
port=$((30000 + RANDOM % 20000))
printf "# session settings in the file\nstatement_timeout = '1min'\n" > "$dir/orbitd.conf"
"$orbitd" -D "$dir/db" -p "$port" --auth trust --config "$dir/orbitd.conf" -c lock_timeout=20s \
  --idle-in-transaction-session-timeout=0 > "$dir/log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null; rm -rf "$dir"' EXIT
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=tester PGDATABASE=orbit PGCONNECT_TIMEOUT=5
for _ in $(seq 50); do psql -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
fails=0
check() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"; echo "--- expected"; printf '%s\n' "$2"; echo "--- got"; printf '%s\n' "$3"
    fails=$((fails + 1))
  else
    echo "ok: $1"
  fi
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }

out=$(psql -X -At -c "SHOW statement_timeout" -c "SHOW lock_timeout" -c "SHOW idle_in_transaction_session_timeout" \
  -c "SHOW idle_session_timeout" 2>&1)
check "settings from the configuration file, -c and --name=value" "1min
20s
0
0" "$out"

out=$(psql -X -At -c "SET idle_in_transaction_session_timeout = 1500" -c "SHOW idle_in_transaction_session_timeout" \
  -c "SET idle_in_transaction_session_timeout = '90s'" -c "SHOW idle_in_transaction_session_timeout" \
  -c "SET idle_session_timeout = 120000" -c "SHOW idle_session_timeout" \
  -c "SELECT setting, unit, source FROM pg_settings WHERE name = 'idle_session_timeout'" \
  -c "SET idle_session_timeout = '1h'" -c "SHOW idle_session_timeout" \
  -c "RESET idle_session_timeout" -c "SHOW idle_session_timeout" 2>&1)
check "SET and SHOW in PostgreSQL's forms" "SET
1500ms
SET
90s
SET
2min
120000|ms|session
SET
1h
RESET
0" "$out"

out=$(psql -X -At -c "SET idle_session_timeout = '-1'" -c "SET idle_in_transaction_session_timeout = 'soon'" 2>&1)
check "bad values are 22023" 'psql:<stdin>:1: ERROR:  invalid value for parameter "idle_session_timeout": "-1"' \
  "$(echo "$out" | head -1 | sed 's/^ERROR/psql:<stdin>:1: ERROR/')"

psql -X -Atq -c "CREATE TABLE r (id INT PRIMARY KEY, v INT); INSERT INTO r VALUES (1, 1), (2, 2)"

# A updates row 1, says so, then idles in its block longer than its timeout;
# B, waiting to update the same row, must get through when A is ended (well
# before A's client would have gone on by itself) and see A's change undone.
cat > "$dir/a.sql" <<EOF
\\set VERBOSITY verbose
SET idle_in_transaction_session_timeout = '1s';
BEGIN;
UPDATE r SET v = 10 WHERE id = 1;
\\! touch $dir/a.updated
\\! sleep 6
SELECT 'A went on';
EOF
psql -X -At -f "$dir/a.sql" > "$dir/a.out" 2>&1 &
apid=$!
for _ in $(seq 100); do [ -e "$dir/a.updated" ] && break; sleep 0.05; done
t0=$(ms)
b=$(psql -X -At -c "UPDATE r SET v = v + 100 WHERE id = 1 RETURNING v" 2>&1 | head -1)
t1=$(ms)
wait $apid
check "the waiter on the ended session's row gets through, the row as before A" "101" "$b"
waited=$((t1 - t0))
check "the waiter waited for the timeout (about 1 s), not for A's client (6 s): ${waited} ms" yes \
  "$([ $waited -ge 500 ] && [ $waited -lt 4000 ] && echo yes || echo no)"
check "idle in transaction: FATAL 25P03, the connection closed" "SET
BEGIN
UPDATE 1
psql:$dir/a.sql:7: FATAL:  25P03: terminating connection due to idle-in-transaction timeout
psql:$dir/a.sql:7: server closed the connection unexpectedly
	This probably means the server terminated abnormally
	before or while processing the request.
psql:$dir/a.sql:7: error: connection to server was lost" "$(cat "$dir/a.out")"

# a failed block idles too
cat > "$dir/f.sql" <<EOF
SET idle_in_transaction_session_timeout = 300;
BEGIN;
INSERT INTO r VALUES (3, 3);
SELECT 1/0;
\\! sleep 1
ROLLBACK;
EOF
out=$(psql -X -At -f "$dir/f.sql" 2>&1 | grep -c 'FATAL:  terminating connection due to idle-in-transaction timeout')
check "a failed transaction block is ended too" 1 "$out"
check "its insert rolled back" "1|101
2|2" "$(psql -X -At -c 'SELECT id, v FROM r ORDER BY id')"

# Only the timeout of the session's state applies, and only once it is idle:
# running statements (pg_sleep) and idling outside a block do not count
# against idle_in_transaction_session_timeout.
cat > "$dir/s.sql" <<EOF
SET idle_in_transaction_session_timeout = 300;
\\! sleep 0.8
BEGIN;
SELECT pg_sleep(0.8);
UPDATE r SET v = 20 WHERE id = 2;
COMMIT;
SET idle_session_timeout = '300ms';
BEGIN;
\\! sleep 0.1
SELECT 'still here';
\\! sleep 0.2
COMMIT;
\\set VERBOSITY verbose
\\! sleep 0.8
SELECT 'not reached';
EOF
out=$(psql -X -At -f "$dir/s.sql" 2>&1)
check "idle outside a block: FATAL 57P05 after idle_session_timeout only" "SET
BEGIN

UPDATE 1
COMMIT
SET
BEGIN
still here
COMMIT
psql:$dir/s.sql:15: FATAL:  57P05: terminating connection due to idle-session timeout
psql:$dir/s.sql:15: server closed the connection unexpectedly
	This probably means the server terminated abnormally
	before or while processing the request.
psql:$dir/s.sql:15: error: connection to server was lost" "$out"
check "its committed update stays" "2|20" "$(psql -X -At -c 'SELECT id, v FROM r WHERE id = 2')"

# many idle sessions with a timeout each: all ended, the server still serves
many=()
for i in $(seq 20); do
  psql -X -At -c "SET idle_session_timeout = '$((200 + i * 10))ms'" -c '\! sleep 1.5' -c "SELECT 'not reached'" \
    > "$dir/many.$i" 2>&1 &
  many+=($!)
done
wait "${many[@]}"
out=$(cat "$dir"/many.* | grep -c 'idle-session timeout')
check "20 sessions with their own timeouts all ended" 20 "$out"
check "the server serves on" 1 "$(psql -X -Atc 'SELECT 1')"

# a bad setting on the command line stops the start, as postgres does
"$orbitd" -D "$dir/db2" -p $((port + 3)) --auth trust -c idle_session_timeout=never > "$dir/bad.log" 2>&1
rc=$?
check "orbitd refuses a bad -c value" '2 ERROR:  invalid value for parameter "idle_session_timeout": "never"' \
  "$rc $(sed 's/^.*\] //' "$dir/bad.log")"

kill -TERM $pid
wait $pid
[ "$fails" -eq 0 ] || { echo "$fails idle timeout check(s) failed"; cat "$dir/log"; exit 1; }
echo "all idle timeout checks passed"
