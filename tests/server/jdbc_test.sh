#!/usr/bin/env bash
# orbitd through Debian's PostgreSQL JDBC driver (libpostgresql-jdbc-java),
# run by OrbitJdbcTest.java as a single-file program on the JDK.  Skips
# (exit 77) only when there is no java at all; a missing driver jar fails.
# usage: jdbc_test.sh ORBITD_BINARY
set -u
orbitd=$1
here=$(cd "$(dirname "$0")" && pwd)
jar=${ORBIT_JDBC_JAR:-/usr/share/java/postgresql.jar}
if ! command -v java >/dev/null; then
  echo "SKIP: no java on this machine (scripts/install-deps.sh installs default-jdk-headless)"
  exit 77
fi
[ -f "$jar" ] || { echo "FAIL: PostgreSQL JDBC driver not found at $jar (apt-get install libpostgresql-jdbc-java)"; exit 1; }
dir=$(mktemp -d /tmp/orbitd-jdbc-XXXXXX)
port=$((30000 + RANDOM % 20000))
printf 'jdbcuser:jdbc-secret\n' > "$dir/users"
"$orbitd" -D "$dir/db" -p "$port" --users "$dir/users" > "$dir/log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do
  PGPASSWORD=jdbc-secret psql -X -h 127.0.0.1 -p "$port" -U jdbcuser -d orbit -Atc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.1
done
java -cp "$jar" "$here/OrbitJdbcTest.java" "$port" jdbcuser jdbc-secret
rc=$?
kill -TERM $pid; wait $pid
if [ "$rc" -ne 0 ]; then echo "--- orbitd log"; cat "$dir/log"; fi
exit $rc
