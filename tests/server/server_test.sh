#!/usr/bin/env bash
# orbitd end to end with PostgreSQL's own client (psql, libpq): statements,
# result types, errors with SQLSTATE and position, transaction status,
# concurrent clients, a malformed client, graceful shutdown.
# usage: server_test.sh ORBITD_BINARY
set -u
orbitd=$1
command -v psql >/dev/null || { echo "psql not installed"; exit 1; }
dir=$(mktemp -d /tmp/orbitd-test-XXXXXX)
port=$((30000 + RANDOM % 20000))
"$orbitd" -D "$dir/db" -p "$port" --auth trust > "$dir/log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null; rm -rf "$dir"' EXIT
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=tester PGDATABASE=orbit PGCONNECT_TIMEOUT=5
for _ in $(seq 50); do psql -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
fails=0
"$orbitd" -D "$dir/db2" -p $((port + 5)) > "$dir/refused.log" 2>&1
refused=$?
# it refuses because nobody could log in: no users file, no role with a password
[ "$refused" -ne 0 ] && grep -q "no role with a password" "$dir/refused.log" && refused=2
check() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"; echo "--- expected"; printf '%s\n' "$2"; echo "--- got"; printf '%s\n' "$3"
    fails=$((fails + 1))
  else
    echo "ok: $1"
  fi
}

check "no server without users unless --auth trust is given" 2 "$refused"

out=$(psql -X -Atc "CREATE TABLE t (id BIGINT PRIMARY KEY, s TEXT, amount DECIMAL(10,2), ts TIMESTAMP); INSERT INTO t VALUES (1, 'a', 9.5, '2026-01-01 10:00'), (2, NULL, NULL, NULL)" 2>&1)
check "several statements in one query" "CREATE TABLE
INSERT 0 2" "$out"

out=$(psql -X -At -F'|' -c "SELECT id, s, amount, ts FROM t ORDER BY id" 2>&1)
check "rows in text format, NULL as NULL" "1|a|9.50|2026-01-01 10:00:00
2|||" "$out"

# RowDescription carries PostgreSQL's type OIDs (read off the wire)
out=$(python3 - "$port" <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def send(t, p): s.sendall(t + struct.pack(">i", len(p) + 4) + p)
body = struct.pack(">i", 196608) + b"user\0t\0\0"
s.sendall(struct.pack(">i", len(body) + 4) + body)
send(b"Q", b"SELECT id, s, amount, ts, true AS b, 1.5::float8 AS f, date '2026-01-01' AS d FROM t WHERE id = 1\0")
buf = b""
def msg():
    global buf
    while len(buf) < 5 or len(buf) < 1 + struct.unpack(">i", buf[1:5])[0]:
        chunk = s.recv(65536)
        if not chunk: sys.exit("server closed the connection")
        buf += chunk
    n = struct.unpack(">i", buf[1:5])[0]
    m, buf = buf[:1 + n], buf[1 + n:]
    return m[:1], m[5:]
ready = 0
while True:
    t, p = msg()
    if t == b"T":
        n = struct.unpack(">h", p[:2])[0]; p = p[2:]
        for _ in range(n):
            name, p = p.split(b"\0", 1)
            oid = struct.unpack(">i", p[6:10])[0]
            print(name.decode(), oid)
            p = p[18:]
    if t == b"Z":
        ready += 1   # after the startup, then after the query
        if ready == 2:
            break
PY
)
check "type OIDs in RowDescription" "id 20
s 25
amount 1700
ts 1114
b 16
f 701
d 1082" "$out"

out=$(psql -X -v VERBOSITY=verbose -Atc "SELECT prise FROM t" 2>&1 | head -2)
check "error with SQLSTATE and position" 'ERROR:  42703: column "prise" does not exist
LINE 1: SELECT prise FROM t' "$out"

out=$(psql -X -Atc "INSERT INTO t VALUES (1, 'dup', 0, NULL)" 2>&1)
check "duplicate key with DETAIL" 'ERROR:  duplicate key value violates unique constraint "t_pkey"
DETAIL:  Key (id)=(1) already exists.' "$out"

out=$(psql -X -Atc "SELECT lower(1, 2)" 2>&1)
check "HINT printed by psql as PostgreSQL's" 'ERROR:  function lower(integer, integer) does not exist
LINE 1: SELECT lower(1, 2)
               ^
HINT:  No function matches the given name and argument types. You might need to add explicit type casts.' "$out"

# RETURNING: rows (described like a SELECT's) and then the write's own command tag
out=$(psql -X -At -F'|' -c "INSERT INTO t VALUES (7, 'r', 1.5, NULL) RETURNING id, s || '!' AS s2, amount" -c "DELETE FROM t WHERE id = 7 RETURNING id" 2>&1)
check "INSERT/DELETE ... RETURNING rows and command tags" "7|r!|1.50
INSERT 0 1
7
DELETE 1" "$out"

out=$(psql -X -At 2>&1 <<'SQL'
BEGIN;
INSERT INTO t VALUES (3, 'x', 1, NULL);
SELECT nosuch;
SELECT 1;
ROLLBACK;
SELECT count(*) FROM t;
SQL
)
check "failed transaction block, then rollback" 'BEGIN
INSERT 0 1
ERROR:  column "nosuch" does not exist
LINE 1: SELECT nosuch;
               ^
ERROR:  current transaction is aborted, commands ignored until end of transaction block
ROLLBACK
2' "$out"

for c in 1 2 3 4; do
  psql -X -Atq -c "INSERT INTO t SELECT g, 'c$c', g, NULL FROM generate_series($c * 1000, $c * 1000 + 499) g" >/dev/null 2>&1 &
done
wait %2 %3 %4 %5 2>/dev/null
sleep 0.2
out=$(psql -X -Atc "SELECT count(*) FROM t WHERE id >= 1000" 2>&1)
check "four concurrent clients" "2000" "$out"

# a client sending garbage is dropped; the server goes on serving
python3 - "$port" <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(struct.pack(">i", 2) + b"garbage")
s.settimeout(3)
try:
    data = s.recv(1000)
except Exception:
    data = b""
sys.exit(0 if data[:1] == b"E" else 1)
PY
check "malformed startup gets an error" 0 $?
out=$(psql -X -Atc "SELECT count(*) FROM t" 2>&1)
check "still serving after a bad client" "2002" "$out"

out=$(printf '1\tone\n2\t\\N\n3\ttab\\there\n' | psql -X -c "CREATE TABLE cp (a INT PRIMARY KEY, b TEXT)" -c "COPY cp FROM STDIN" -c "COPY cp TO STDOUT" 2>&1)
check "COPY FROM STDIN and TO STDOUT (text format)" "CREATE TABLE
COPY 3
1	one
2	\N
3	tab\there" "$out"

out=$(printf '9\tnine\n1\tdup\n' | psql -X -c "COPY cp FROM STDIN" 2>&1; psql -X -Atc "SELECT count(*) FROM cp")
check "a failing COPY writes nothing" 'ERROR:  duplicate key value violates unique constraint "cp_pkey"
DETAIL:  Key (a)=(1) already exists.
3' "$out"

# psql's \copy ... FROM stdin sends the \. end marker as data: CSV ends there too
out=$(printf '4,"four, quoted"\n5,\n\\.\n' | psql -X -c "\\copy cp FROM stdin (FORMAT csv)" 2>&1;
      printf '6\tsix\n\\.\n' | psql -X -c "\\copy cp FROM stdin" 2>&1; psql -X -Atc "SELECT a, b FROM cp WHERE a > 3 ORDER BY a")
check "\\copy FROM stdin with the end marker (csv and text)" 'COPY 2
COPY 1
4|four, quoted
5|
6|six' "$out"

if command -v pgbench >/dev/null; then
  pgbench -i -s 1 -q >/dev/null 2>&1
  check "pgbench -i (COPY, VACUUM, ADD PRIMARY KEY)" 0 $?
  # READ COMMITTED (PostgreSQL's default, which pgbench's script assumes), set
  # through the startup packet's options: writers to one row wait for each other
  out=$(PGOPTIONS='-c default_transaction_isolation=read\ committed' pgbench -c 2 -t 50 -M extended 2>&1 | grep -E 'processed|failed transactions')
  check "pgbench TPC-B-like run, two clients, extended protocol, READ COMMITTED" "number of transactions actually processed: 100/100
number of failed transactions: 0 (0.000%)" "$out"
  # prepared mode prepares while the other client's transaction is open: compiling must not wait for it
  out=$(PGOPTIONS='--default_transaction_isolation=read\ committed' timeout 60 pgbench -c 2 -j 1 -t 25 -M prepared -n 2>&1 | grep -E 'processed|failed transactions')
  check "pgbench, two clients, prepared statements (no deadlock)" "number of transactions actually processed: 50/50
number of failed transactions: 0 (0.000%)" "$out"
  # Orbit's default, REPEATABLE READ: concurrent updates of one branch row fail
  # with 40001 for the later writer; pgbench retries them (first committer wins)
  out=$(timeout 120 pgbench -c 4 -j 2 -t 25 --max-tries=1000 -n 2>&1 | grep -E 'processed|failed transactions|retried')
  case "$out" in
    *"processed: 100/100"*"failed transactions: 0 (0.000%)"*"retried"*) r=ok ;;
    *) r="$out" ;;
  esac
  check "pgbench, four clients, REPEATABLE READ: serialization failures retried, none lost" ok "$r"
  out=$(psql -X -Atc "SELECT count(*) FROM pgbench_history" 2>&1)
  check "every pgbench transaction left its history row" 250 "$out"
  h=$(psql -X -Atc "SELECT sum(delta) FROM pgbench_history" 2>&1)
  a=$(psql -X -Atc "SELECT sum(abalance) FROM pgbench_accounts" 2>&1)
  t=$(psql -X -Atc "SELECT sum(tbalance) FROM pgbench_tellers" 2>&1)
  check "balances agree with the history (accounts, tellers)" "$h $h" "$a $t"
fi

# ALTER SEQUENCE in an open transaction: another session's nextval waits for
# it and then takes the new value; a rolled-back ALTER leaves the old state
psql -X -q -c "CREATE SEQUENCE alt_sq" -c "SELECT nextval('alt_sq')" >/dev/null 2>&1
(printf "BEGIN;\nALTER SEQUENCE alt_sq RESTART WITH 1000;\n"; sleep 1; printf "COMMIT;\n") | psql -X -q >/dev/null 2>&1 &
apid=$!
sleep 0.3
out=$(psql -X -Atc "SELECT nextval('alt_sq')" 2>&1)
wait $apid
check "nextval waits for another transaction's ALTER SEQUENCE, then takes its value" 1000 "$out"
(printf "BEGIN;\nALTER SEQUENCE alt_sq RESTART WITH 5000;\n"; sleep 1; printf "ROLLBACK;\n") | psql -X -q >/dev/null 2>&1 &
apid=$!
sleep 0.3
out=$(psql -X -Atc "SELECT nextval('alt_sq')" 2>&1)
wait $apid
check "nextval after a rolled-back ALTER SEQUENCE goes on from the old value" 1001 "$out"

if [ -n "${ORBIT_LIBPQ_CLIENT:-}" ]; then
  "$ORBIT_LIBPQ_CLIENT" "$port"
  check "libpq extended query protocol" 0 $?
fi

out=$(psql -X -c '\dt c*' 2>&1)
check "psql \\dt (pg_catalog emulation)" "       List of relations
 Schema | Name | Type  | Owner 
--------+------+-------+-------
 public | cp   | table | orbit
(1 row)" "$out"

out=$(psql -X -At -c '\l' 2>&1)
check "psql \\l lists the database served" "db|orbit|UTF8|C|C||libc|" "$out"

# \sf of a built-in: pg_get_functiondef in PostgreSQL's layout (Orbit's volatility and source name)
out=$(psql -X -c '\sf length(text)' 2>&1; psql -X -c '\sf nosuch' 2>&1)
check "psql \\sf of a built-in function" 'CREATE OR REPLACE FUNCTION pg_catalog.length(text)
 RETURNS integer
 LANGUAGE internal
 STABLE STRICT
AS $function$length$function$
ERROR:  function "nosuch" does not exist' "$out"

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -d "$here/interop/node_modules/pg" ] && command -v node >/dev/null; then
  node "$here/interop/pg_client.mjs" "$port"
  check "node-postgres (npm pg) client" 0 $?
fi

# SCRAM-SHA-256 against libpq's implementation: a password in clear and a
# verifier in PostgreSQL's format (computed here with Python's hashlib)
verifier=$(python3 - <<'PY'
import base64, hashlib, hmac
salt = b"orbit-test-salt!"
salted = hashlib.pbkdf2_hmac("sha256", b"pw2", salt, 4096)
ck = hmac.new(salted, b"Client Key", "sha256").digest()
sk = hmac.new(salted, b"Server Key", "sha256").digest()
b = lambda x: base64.b64encode(x).decode()
print(f"SCRAM-SHA-256$4096:{b(salt)}${b(hashlib.sha256(ck).digest())}:{b(sk)}")
PY
)
printf '# who may connect\nalice:secret\ncarol:%s\n' "$verifier" > "$dir/users"
sport=$((port + 1))
"$orbitd" -D "$dir/db3" -p "$sport" --users "$dir/users" > "$dir/log2" 2>&1 &
spid=$!
for _ in $(seq 50); do PGPASSWORD=secret psql -X -p "$sport" -U alice -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
out=$(PGPASSWORD=secret psql -X -p "$sport" -U alice -Atc "SELECT 'alice in'" 2>&1; PGPASSWORD=pw2 psql -X -p "$sport" -U carol -Atc "SELECT 'carol in'" 2>&1)
check "SCRAM-SHA-256 logins (clear password, PostgreSQL verifier)" "alice in
carol in" "$out"
out=$(PGPASSWORD=wrong psql -X -p "$sport" -U alice -Atc "SELECT 1" 2>&1 | sed 's/.*failed: //'; PGPASSWORD=x psql -X -p "$sport" -U nobody -Atc "SELECT 1" 2>&1 | sed 's/.*failed: //')
check "wrong password and unknown user refused alike" 'ERROR:  password authentication failed for user "alice"
ERROR:  password authentication failed for user "nobody"' "$out"
# roles made with CREATE ROLE log in with their passwords (SCRAM verifiers in the database)
out=$(PGPASSWORD=secret psql -X -p "$sport" -U alice -Atc "CREATE ROLE dave LOGIN PASSWORD 'pw4'" -c "CREATE ROLE eve PASSWORD 'pw5'" 2>&1)
check "CREATE ROLE over the wire" "CREATE ROLE
CREATE ROLE" "$out"
out=$(PGPASSWORD=pw4 psql -X -p "$sport" -U dave -Atc "SELECT 'dave in'" 2>&1; PGPASSWORD=bad psql -X -p "$sport" -U dave -Atc "SELECT 1" 2>&1 | sed 's/.*failed: //'; PGPASSWORD=pw5 psql -X -p "$sport" -U eve -Atc "SELECT 1" 2>&1 | sed 's/.*failed: //')
check "a role logs in with its password; a wrong one and a NOLOGIN role do not" 'dave in
ERROR:  password authentication failed for user "dave"
ERROR:  password authentication failed for user "eve"' "$out"
out=$(PGPASSWORD=secret psql -X -p "$sport" -U alice -Atc "ALTER ROLE dave PASSWORD 'pw6'" 2>&1; PGPASSWORD=pw6 psql -X -p "$sport" -U dave -Atc "SELECT 'new password'" 2>&1; PGPASSWORD=pw6 psql -X -p "$sport" -U dave -Atc "SELECT * FROM pg_authid" 2>&1)
check "ALTER ROLE ... PASSWORD; the roles table is not readable" "ALTER ROLE
new password
ERROR:  permission denied for table pg_authid
LINE 1: SELECT * FROM pg_authid
                      ^" "$out"
kill -TERM $spid; wait $spid
# without the users file, the database's roles still log in
"$orbitd" -D "$dir/db3" -p "$sport" > "$dir/log2b" 2>&1 &
spid=$!
for _ in $(seq 50); do PGPASSWORD=pw6 psql -X -p "$sport" -U dave -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
out=$(PGPASSWORD=pw6 psql -X -p "$sport" -U dave -Atc "SELECT 'roles only'" 2>&1; PGPASSWORD=secret psql -X -p "$sport" -U alice -Atc "SELECT 1" 2>&1 | sed 's/.*failed: //')
check "a server with roles and no users file" 'roles only
ERROR:  password authentication failed for user "alice"' "$out"
kill -TERM $spid; wait $spid

# settings from DBDIR/orbitd.conf (flags would win over them)
mkdir -p "$dir/db5"
cport=$((port + 3))
printf "# orbitd settings\nport = %d\nauth_method = 'scram'\nusers_file = 'users'   # next to this file\nlog_level = debug\n" "$cport" > "$dir/db5/orbitd.conf"
printf 'dora:pw5\n' > "$dir/db5/users"
"$orbitd" -D "$dir/db5" > "$dir/log5" 2>&1 &
cpid=$!
for _ in $(seq 50); do PGPASSWORD=pw5 psql -X -p "$cport" -U dora -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
out=$(PGPASSWORD=pw5 psql -X -p "$cport" -U dora -Atc "SELECT 'configured'" 2>&1)
check "configuration file (port, users, log level)" "configured" "$out"
kill -TERM $cpid; wait $cpid
check "debug log lines for sessions" 1 "$(grep -c 'DEBUG:  session [0-9]* started' "$dir/log5" | sed 's/^[2-9]$/1/')"
printf 'no_such_setting = 1\n' > "$dir/bad.conf"
"$orbitd" -D "$dir/db5" --config "$dir/bad.conf" >/dev/null 2>&1
check "unknown settings are refused" 2 $?

# TLS when the server has a certificate (a throwaway self-signed one)
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 1 -subj "/CN=localhost" >/dev/null 2>&1; then
  tport=$((port + 2))
  "$orbitd" -D "$dir/db4" -p "$tport" --auth trust --tls-cert "$dir/cert.pem" --tls-key "$dir/key.pem" > "$dir/log3" 2>&1 &
  tpid=$!
  for _ in $(seq 50); do psql -X -p "$tport" -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
  out=$(psql -X "host=127.0.0.1 port=$tport sslmode=require" -Atc "SELECT 'tls'" 2>&1; psql -X "host=127.0.0.1 port=$tport sslmode=require" -c '\conninfo' 2>&1 | grep -c 'SSL connection (protocol: TLSv1.[23]')
  check "TLS connections (sslmode=require)" "tls
1" "$out"
  out=$(psql -X "host=127.0.0.1 port=$tport sslmode=disable" -Atc "SELECT 'plain'" 2>&1)
  check "plain connections still served" "plain" "$out"
  kill -TERM $tpid; wait $tpid
fi

# a client killed in the middle of a transaction leaves nothing behind: its
# insert and update vanish, and the row it was writing is free for others
psql -X -q -c "CREATE TABLE killed (id INT PRIMARY KEY, v TEXT)" -c "INSERT INTO killed VALUES (1, 'before')" >/dev/null 2>&1
mkfifo "$dir/fifo"
psql -X -q < "$dir/fifo" > "$dir/killed.out" 2>&1 &
kpid=$!
exec 7> "$dir/fifo"
printf "BEGIN;\nINSERT INTO killed VALUES (2, 'ghost');\nUPDATE killed SET v = 'ghost' WHERE id = 1;\nSELECT 'in the middle';\n" >&7
for _ in $(seq 100); do grep -q 'in the middle' "$dir/killed.out" && break; sleep 0.1; done
kill -9 $kpid; wait $kpid 2>/dev/null
exec 7>&-
out=$(PGOPTIONS='-c statement_timeout=5s' psql -X -Atc "UPDATE killed SET v = 'after' WHERE id = 1" -c "SELECT id, v FROM killed ORDER BY id" 2>&1)
check "a client killed mid-transaction leaves nothing behind" "UPDATE 1
1|after" "$out"

# \dconfig with no pattern: the settings this session changed (PostgreSQL also
# lists its configuration file's, so this one is not compared with it)
out=$(PGOPTIONS='-c statement_timeout=90000' psql -X -c "SET extra_float_digits = 2" -c "SELECT set_config('DateStyle', 'ISO, MDY', false)" -c '\dconfig' 2>&1)
check "\\dconfig lists settings changed from their defaults" "SET
 set_config 
------------
 ISO, MDY
(1 row)

List of non-default configuration parameters
     Parameter      | Value 
--------------------+-------
 application_name   | psql
 extra_float_digits | 2
 statement_timeout  | 90s
(3 rows)" "$out"

# an Iceberg table in a transaction: REPEATABLE READ reads it as it was when
# the transaction took its snapshot, even when it first reads it after another
# connection committed to it; READ COMMITTED reads every commit made before
# each statement (A runs through a fifo; B is another psql, in autocommit)
psql -X -q -c "CREATE TABLE cold_rr (id INT, note TEXT) USING iceberg" -c "INSERT INTO cold_rr VALUES (1, 'before')" >/dev/null 2>&1
mkfifo "$dir/fifo_a"
cold_session() {   # cold_session ISOLATION: A's output with B's insert in the middle
  : > "$dir/a.out"
  psql -X -At < "$dir/fifo_a" > "$dir/a.out" 2>&1 &
  local apid=$!
  exec 8> "$dir/fifo_a"
  printf "BEGIN ISOLATION LEVEL %s;\nSELECT 'began ' || count(*) FROM killed;\n" "$1" >&8
  for _ in $(seq 100); do grep -q '^began' "$dir/a.out" && break; sleep 0.1; done
  psql -X -Atq -c "INSERT INTO cold_rr SELECT max(id) + 1, 'by B' FROM cold_rr" >/dev/null 2>&1
  printf "SELECT count(*) FROM cold_rr;\nSELECT max(id) FROM cold_rr;\nCOMMIT;\nSELECT count(*) FROM cold_rr;\n" >&8
  exec 8>&-
  wait $apid
  cat "$dir/a.out"
}
out=$(cold_session "REPEATABLE READ")
check "REPEATABLE READ: an Iceberg table as of the transaction's start, not its first read" "BEGIN
began 1
1
1
COMMIT
2" "$out"
out=$(cold_session "READ COMMITTED")
check "READ COMMITTED: an Iceberg table as of each statement" "BEGIN
began 1
3
3
COMMIT
3" "$out"

kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid; rc=$?
check "SIGTERM shuts down cleanly" 0 "$rc"

[ "$fails" -eq 0 ] || { echo "$fails server check(s) failed"; cat "$dir/log"; exit 1; }
echo "all server checks passed"
