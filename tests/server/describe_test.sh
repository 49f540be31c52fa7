#!/usr/bin/env bash
# psql's describe commands against orbitd, compared with what the same psql
# prints for the same tables on a real PostgreSQL 15 started here: \d NAME,
# \d+ NAME (the catalog queries psql sends: pg_class, pg_attribute,
# pg_attrdef, pg_index, pg_constraint, pg_policy, pg_statistic_ext,
# publications, pg_inherits; format_type, pg_get_expr, pg_get_indexdef,
# pg_get_constraintdef; arrays, ANY, ARRAY(subquery), unnest), \d with no
# argument, \dt, \di, \dn, \d of an index (primary key, UNIQUE constraint,
# secondary index), pg_indexes, and the error for a name that
# does not exist; settings (current_setting, set_config, pg_settings,
# \dconfig).  Every output must be identical: no difference is excused,
# but for the figures of \dt+, \di+ and \l+ (Orbit's sizes measure its own
# memory and files: docs/server.md), which are compared as a token and
# checked to grow when rows are inserted.  The database is named orbit on
# both sides (orbitd's is named after its directory).
# usage: describe_test.sh ORBITD_BINARY
set -u
orbitd=$1
command -v psql >/dev/null || { echo "psql not installed"; exit 1; }
bindir=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL 15 server not installed (needed as the reference)"; exit 1; }
dir=$(mktemp -d /tmp/orbitd-describe-XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
pgport=$((30000 + RANDOM % 20000))
pid=
cleanup() {
  kill -9 $pid 2>/dev/null
  as_pg "$bindir/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$dir/pg" -E UTF8 --locale=C -A trust -U orbit >/dev/null || { echo "initdb failed"; exit 1; }
as_pg "$bindir/pg_ctl" -D "$dir/pg" -o "-p $pgport -k $dir -c listen_addresses='' -c fsync=off" -l "$dir/pg.log" -w start \
  >/dev/null || { echo "PostgreSQL did not start"; cat "$dir/pg.log"; exit 1; }
# every object's owner on both sides is "orbit" (the one owner Orbit reports: PostgreSQL's
# bootstrap superuser, which owns pg_catalog and has every role attribute)
psql -X -q -h "$dir" -p $pgport -U orbit -d postgres -c "CREATE DATABASE orbit OWNER orbit" \
  || exit 1
export PGCONNECT_TIMEOUT=5
orbit() { psql -X -h 127.0.0.1 -p "$port" -U orbit -d orbit "$@" 2>&1; }
postgres() { psql -X -h "$dir" -p $pgport -U orbit -d orbit "$@" 2>&1; }
# orbitd on a random port; if it ends before it answers (the port was taken,
# say by a client socket of a test running beside this one), another port
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

ddl="CREATE TABLE events (id BIGINT NOT NULL, ts TIMESTAMP NOT NULL, kind VARCHAR(20) DEFAULT 'buy', note TEXT DEFAULT 'none',
  amount NUMERIC(10,2), qty INTEGER NOT NULL DEFAULT 0, ratio DOUBLE PRECISION DEFAULT 1.5, flag BOOLEAN DEFAULT true,
  day DATE, u UUID, at TIMESTAMPTZ DEFAULT now(), small SMALLINT DEFAULT -1, PRIMARY KEY (id, ts));
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, payload BYTEA, span INTERVAL DEFAULT '1 day');
CREATE TABLE log (line TEXT, n BIGINT DEFAULT 1 + 2);
CREATE TABLE \"Order Items\" (\"user\" TEXT, \"Time\" TIMESTAMP, \"select\" INT, qty INT DEFAULT 1, PRIMARY KEY (\"user\", \"Time\", \"select\"));
CREATE TABLE items (id INT PRIMARY KEY, sku TEXT UNIQUE, a INT, b INT, c TEXT, CONSTRAINT items_ab UNIQUE NULLS NOT DISTINCT (a, b));
CREATE INDEX ON items (b DESC, c NULLS FIRST);
CREATE UNIQUE INDEX items_c ON items USING btree (c DESC NULLS LAST);
CREATE INDEX items_h ON items USING hash (a);
CREATE TABLE tagged (id INT PRIMARY KEY, tags TEXT[] NOT NULL DEFAULT '{}', scores NUMERIC(6,2)[], names VARCHAR(10)[] DEFAULT ARRAY['a','b'],
  days DATE[], ids BIGINT ARRAY DEFAULT ARRAY[1, -2], at TIMESTAMPTZ[], u UUID[], flags BOOLEAN[], b BYTEA[], r REAL[], s SMALLINT[]);"
out=$(orbit -q -c "$ddl")
[ -z "$out" ] || { echo "orbitd refused the DDL: $out"; exit 1; }
out=$(postgres -q -c "$ddl")
[ -z "$out" ] || { echo "PostgreSQL refused the DDL: $out"; exit 1; }

fails=0
compare() {   # compare NAME PSQL_ARGS...: the same psql output from both servers
  local name=$1
  shift
  local want got
  want=$(postgres "$@")
  got=$(orbit "$@")
  if [ -z "$want" ]; then
    echo "FAIL: $name: PostgreSQL printed nothing"
    fails=$((fails + 1))
  elif [ "$want" != "$got" ]; then
    echo "FAIL: $name"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got")
    fails=$((fails + 1))
  else
    echo "ok: $name"
  fi
}

compare '\d events (composite primary key, NOT NULL, DEFAULTs, twelve types)' -c '\d events'
compare '\d+ events' -c '\d+ events'
compare '\d users (single primary key)' -c '\d users'
compare '\d+ users' -c '\d+ users'
compare '\d log (no primary key, expression default)' -c '\d log'
compare '\d public.events (schema-qualified)' -c '\d public.events'
compare '\d ev* (pattern: the table and its index)' -c '\d ev*'
compare '\d users_pkey (an index)' -c '\d users_pkey'
compare '\d tagged (array columns: element modifiers, array defaults)' -c '\d tagged'
compare '\d+ tagged' -c '\d+ tagged'
compare 'array columns in information_schema and pg_attribute' -At -c "SELECT c.column_name, c.data_type, c.udt_name,
  a.atttypid, a.atttypmod, a.attndims, format_type(a.atttypid, a.atttypmod) FROM information_schema.columns c
  JOIN pg_catalog.pg_attribute a ON a.attrelid = 'tagged'::regclass AND a.attname = c.column_name
  WHERE c.table_name = 'tagged' ORDER BY c.ordinal_position"
compare '\d "Order Items" (names that need quotes, a key of reserved words)' -c '\d "Order Items"'
compare '\d "Order Items_pkey"' -c '\d "Order Items_pkey"'
compare '\d items (UNIQUE constraints, secondary indexes: DESC, NULLS, hash)' -c '\d items'
compare '\d+ items' -c '\d+ items'
compare '\d items_sku_key (a UNIQUE constraint'"'"'s index)' -c '\d items_sku_key'
compare '\d items_b_c_idx (a secondary index)' -c '\d items_b_c_idx'
compare 'pg_indexes' -At -c "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = 'items' ORDER BY indexname"
compare 'pg_constraint of UNIQUE constraints' -At -c "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'items'::regclass ORDER BY conname"
compare '\d nosuchtable' -c '\d nosuchtable'
compare '\d (every relation)' -c '\d'
compare '\dt' -c '\dt'
compare '\di (primary key indexes)' -c '\di'
compare '\dn (public belongs to pg_database_owner)' -c '\dn'
# the queries behind them, run on their own (unaligned): arrays and ANY
compare 'array expressions psql relies on' -At -c "SELECT array_to_string(ARRAY(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'users') AND attnum > 0 ORDER BY attnum), ','), 'p' = ANY('{p,u}'), 3 = ANY(ARRAY[1,2,NULL]), (SELECT indkey[1] FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid WHERE c.relname = 'events')"

# sizes: the same columns and rows, the figures masked (unaligned, so widths do not matter)
compare_sized() {
  local name=$1
  shift
  local want got
  want=$(postgres -A "$@" | sed -E 's/-?[0-9][0-9.]* (bytes|kB|MB|GB|TB|PB)/SIZE/g')
  got=$(orbit -A "$@" | sed -E 's/-?[0-9][0-9.]* (bytes|kB|MB|GB|TB|PB)/SIZE/g')
  if [ -n "$want" ] && [ "$want" = "$got" ]; then
    echo "ok: $name"
  else
    echo "FAIL: $name"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got")
    fails=$((fails + 1))
  fi
}
compare_sized '\dt+ (sizes masked)' -c '\dt+'
compare_sized '\di+ (sizes masked)' -c '\di+'
compare_sized '\l+ orbit (sizes masked)' -c '\l+ orbit'
compare '\l orbit' -c '\l orbit'
# pg_size_pretty: PostgreSQL's units and rounding at every boundary, bigint and numeric
compare 'pg_size_pretty' -At -c "SELECT v, pg_size_pretty(v), pg_size_pretty(-v), pg_size_pretty(v::numeric),
  pg_size_pretty(-v::numeric) FROM (VALUES (0::bigint), (1), (512), (10239), (10240), (10751), (10752), (1000000),
  (10485247), (10485248), (20971519), (10736893951), (10736893952), (123456789012), (10994579406847),
  (10994579406848), (11258449312612351), (11258449312612352), (9223372036854775807)) x(v) ORDER BY v"
compare 'pg_size_pretty(numeric) with fractions' -At -c "SELECT pg_size_pretty(1.5), pg_size_pretty(10239.5),
  pg_size_pretty(-10239.99), pg_size_pretty(10240.5), pg_size_pretty(1.50), pg_size_pretty(12345678901234567890123::numeric)"
# Orbit's figures grow with the rows they measure
sizes="SELECT pg_table_size('users'), pg_indexes_size('users'), pg_total_relation_size('users'),
  pg_relation_size('users_pkey'), pg_database_size('orbit')"
before=$(orbit -At -c "$sizes")
out=$(orbit -q -c "INSERT INTO users SELECT g, 'user ' || g, g / 2.0, NULL, interval '1 day' FROM generate_series(1, 3000) g")
[ -z "$out" ] || { echo "FAIL: insert: $out"; fails=$((fails + 1)); }
after=$(orbit -At -c "$sizes")
grown=$(awk -F'|' -v b="$before" 'BEGIN { split(b, o, "|") } { ok = NF == 5; for (i = 1; i <= NF; i++) if (!($i > o[i])) ok = 0; print ok ? "yes" : "no" }' <<<"$after")
total_ok=$(awk -F'|' '{ print ($3 == $1 + $2) ? "yes" : "no" }' <<<"$after")
if [ "$grown" = yes ] && [ "$total_ok" = yes ]; then
  echo "ok: sizes grow after 3000 inserts ($before -> $after)"
else
  echo "FAIL: sizes after inserts: before $before, after $after (every figure must grow; total = table + indexes)"
  fails=$((fails + 1))
fi
compare_sized '\dt+ after inserts (sizes masked)' -c '\dt+'

# types, functions, schemas and roles: psql's queries over pg_type, pg_proc (made from Orbit's
# function registry), pg_language, pg_enum, pg_namespace's ACLs, pg_roles and pg_auth_members
compare '\dT (no types of ones own)' -c '\dT'
compare '\dT+' -c '\dT+'
compare '\df (no functions of ones own)' -c '\df'
compare '\df+' -c '\df+'
compare '\dfS of builtins whose overloads Orbit has as PostgreSQL does' \
  -c '\dfS (ascii|cbrt|ceil|concat|concat_ws|floor|md5|mod|now|pg_size_pretty|pi|regexp_like|replace|reverse|round|starts_with|strpos|version)'
roles="CREATE ROLE alice LOGIN PASSWORD 'secret'; CREATE ROLE bob; CREATE USER carol PASSWORD 'x'; CREATE ROLE dave LOGIN; DROP ROLE dave"
orbit -q -c "$roles" >/dev/null
postgres -q -c "$roles" >/dev/null
compare '\du (roles of CREATE ROLE / USER, one dropped)' -c '\du'
compare '\dg orbit' -c '\dg orbit'
# \dn+: owners and access privileges (PostgreSQL's schema comments are its own text, not compared)
compare_cols() {   # compare_cols NAME N PSQL_ARGS...: unaligned, only the first N columns of each record
  local name=$1 n=$2
  shift 2
  local want got keep='BEGIN { RS = "\036"; FS = OFS = "|" } { NF = n; print }'
  want=$(postgres -A -R $'\036' "$@" | awk -v n="$n" "$keep")
  got=$(orbit -A -R $'\036' "$@" | awk -v n="$n" "$keep")
  if [ -n "$want" ] && [ "$want" = "$got" ]; then
    echo "ok: $name"
  else
    echo "FAIL: $name"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got")
    fails=$((fails + 1))
  fi
}
compare_cols '\dn+ (ACLs; description column left out)' 3 -c '\dn+'
compare_cols '\dTS+ of the types Orbit has (description left out)' 7 \
  -c '\dTS+ (integer|bigint|smallint|text|boolean|uuid|date|bytea|numeric|interval|real|double*|timestamp*|time|character?varying|"char"|name|oid)'
compare_cols '\dnS+ but pg_toast (ACLs; description left out)' 3 -c '\dnS+ (public|pg_catalog|information_schema)'

compare '\db (tablespaces)' -c '\db'
compare '\dO (collations of ones own: none)' -c '\dO'

# features Orbit does not have: their catalogs exist, empty, so the commands list nothing of one's own
for cmd in '\dy' '\dc' '\do' '\dRs' '\des' '\dew' '\deu' '\det' '\ddp' '\drds' '\dl' '\dX'; do
  compare "$cmd (nothing of ones own)" -c "$cmd"
done
compare 'current_database(), catalogs as regclass' -c "SELECT current_database(), 'pg_class'::regclass::oid,
  'pg_catalog.pg_proc'::regclass::oid, 'pg_catalog.pg_extension'::regclass::oid"

# object identifier types: names in, OIDs within the query, names out
compare 'reg* input and output' -c "SELECT 'events'::regclass, 'public.events'::regclass::text, 'users_pkey'::regclass,
  '\"Order Items\"'::regclass, 'integer'::regtype, 'int4'::regtype, 'character varying'::regtype, 23::regtype,
  1043::regtype::text, 'timestamp with time zone'::regtype, 99999::regtype, 99999::regclass, 'pg_catalog'::regnamespace,
  2200::regnamespace, 'orbit'::regrole, 10::regrole, 'version'::regproc, 'events'::regclass::oid > 0 AS oid_ok"
compare 'oid::regclass over pg_class' -c "SELECT c.oid::regclass, c.oid::pg_catalog.regclass::text AS t, c.relkind FROM pg_catalog.pg_class c
  WHERE c.relnamespace = 'public'::regnamespace ORDER BY 2"
compare 'attrelid::regclass, atttypid::regtype' -c "SELECT attrelid::regclass, attname, atttypid::regtype FROM pg_attribute
  WHERE attrelid = 'users'::regclass AND attnum > 0 ORDER BY attnum"
compare 'oid::regproc, ::regprocedure, prorettype::regtype' -c "SELECT p.oid::regproc, p.oid::regprocedure, p.prorettype::regtype
  FROM pg_proc p WHERE proname IN ('version', 'starts_with', 'strpos', 'pi', 'ascii', 'md5') ORDER BY p.oid::regprocedure::text"
compare 'unknown names' -c "SELECT 'nosuch'::regclass" -c "SELECT 'nosuch'::regtype" -c "SELECT 'md5'::regproc"
compare 'regprocedure input' -c "SELECT 'version()'::regprocedure, 'strpos(text, text)'::regprocedure,
  'md5(bytea)'::regprocedure::oid = 'md5(text)'::regprocedure::oid" -c "SELECT 'version'::regprocedure" \
  -c "SELECT 'nosuch()'::regprocedure"
compare 'NULLs and forks' -c "SELECT NULL::regclass, (NULL::int)::regtype, pg_table_size(NULL), pg_size_pretty(NULL::bigint),
  pg_database_size(NULL::text), pg_relation_size('events', NULL), pg_relation_size('events', 'fsm'), pg_table_size('nosuch'),
  pg_get_function_arguments(NULL), x::regclass FROM (VALUES (1), (NULL)) v(x)"

# languages, domains and object descriptions: none of one's own (PostgreSQL's plpgsql, which
# Orbit does not have, is dropped first); psql joins pg_description on each catalog's tableoid
postgres -q -c "DROP EXTENSION plpgsql" >/dev/null
for cmd in '\dL' '\dL+' '\dD' '\dD+' '\dd' '\dd+'; do
  compare "$cmd (nothing of ones own)" -c "$cmd"
done
compare 'tableoid (a system column: not part of *)' -At -c "SELECT min(tableoid), count(*) = count(tableoid) FROM pg_class" \
  -c "SELECT l.tableoid, l.lanname FROM pg_language l WHERE lanname = 'sql'" -c "SELECT * FROM pg_catalog.pg_tablespace ORDER BY 1"

# settings: current_setting, set_config (plain, local to a block, undone by ROLLBACK, custom
# names with a dot), PostgreSQL's errors, pg_settings' columns, psql's \dconfig
compare 'current_setting and set_config' -c "SELECT set_config('search_path', 'a, b', false), current_setting('search_path'),
  current_setting('SEARCH_PATH')" -c "SELECT current_setting('nosuch')" \
  -c "SELECT current_setting('nosuch', true) IS NULL, current_setting(NULL) IS NULL, current_setting('search_path', NULL) IS NULL" \
  -c "SELECT set_config(NULL, 'x', false)" -c "SELECT set_config('statement_timeout', '5000', false),
  set_config('statement_timeout', '90 s', false), set_config('statement_timeout', '1.5min', false),
  set_config('statement_timeout', '0', false), set_config('statement_timeout', '250ms', false),
  set_config('statement_timeout', '2h', false), current_setting('statement_timeout')" \
  -c "SELECT set_config('statement_timeout', 'abc', false)" -c "SELECT set_config('server_version', '1', false)" \
  -c "SELECT set_config('app.user', '42', false), current_setting('APP.USER'), current_setting('app.nosuch', true)" \
  -c "SELECT current_setting('app.nosuch')" -c "SELECT set_config('nodot', 'x', false)" \
  -c "SELECT current_setting('DateStyle'), current_setting('IntervalStyle'), current_setting('server_encoding'),
  current_setting('integer_datetimes'), current_setting('standard_conforming_strings')"
compare 'settings in transaction blocks (is_local, ROLLBACK undoes SET)' -c "SELECT set_config('search_path', 'start', false)" \
  -c "BEGIN" -c "SELECT set_config('search_path', 'loc', true), current_setting('search_path')" -c "COMMIT" \
  -c "SHOW search_path" -c "BEGIN" -c "SET search_path = inside" -c "ROLLBACK" -c "SHOW search_path" -c "BEGIN" \
  -c "SET search_path = kept" -c "SELECT set_config('search_path', 'local2', true)" -c "COMMIT" -c "SHOW search_path" \
  -c "SELECT set_config('search_path', 'stmt', true)" -c "SHOW search_path" -c "BEGIN" -c "SET search_path = failed" \
  -c "SELECT nosuchcolumn" -c "COMMIT" -c "SHOW search_path" -c "BEGIN" -c "SELECT set_config('app.t', 'in', true)" \
  -c "COMMIT" -c "SELECT current_setting('app.t')"
compare 'SET LOCAL, savepoints undoing SETs, RESET, pg_settings.source, warnings (settings_txn.sql)' \
  -f "$(dirname "$0")/settings_txn.sql"
compare 'READ ONLY transactions, default_transaction_read_only, 25006 (read_only.sql)' \
  -f "$(dirname "$0")/read_only.sql"
compare 'NOTICE of IF [NOT] EXISTS that has nothing to do' -c 'DROP TABLE IF EXISTS nosuch_x' \
  -c 'CREATE TABLE IF NOT EXISTS users (id int)' -c 'CREATE TABLE IF NOT EXISTS users AS SELECT 1 AS id' \
  -c 'CREATE TABLE notice_t (i int)' -c 'DROP TABLE IF EXISTS notice_t, nosuch_y'
settings_q="SELECT name, setting, unit, category, context, vartype, source, min_val, max_val, enumvals, boot_val, reset_val,
  sourcefile, sourceline, pending_restart FROM pg_settings WHERE name IN ('IntervalStyle', 'synchronous_commit',
  'extra_float_digits', 'statement_timeout', 'standard_conforming_strings', 'integer_datetimes') ORDER BY name"
compare 'pg_settings (defaults, then after SET)' -c "$settings_q" -c "SET statement_timeout = '90s'" -c "$settings_q"
# the same values on both sides where their defaults differ (PostgreSQL: read committed, "$user")
export PGOPTIONS='-c default_transaction_isolation=repeatable\ read -c search_path=public -c statement_timeout=90000'
compare '\dconfig *isolation*' -c '\dconfig *isolation*'
compare '\dconfig+ search_path' -c '\dconfig+ search_path'
compare '\dconfig *style*' -c '\dconfig *style*'
compare '\dconfig statement_timeout' -c '\dconfig statement_timeout'
compare '\dconfig+ of several types and contexts' \
  -c '\dconfig+ (synchronous_commit|standard_conforming_strings|extra_float_digits|server_encoding|client_encoding|integer_datetimes)'
compare '\dconfig nosuch' -c '\dconfig nosuch'
unset PGOPTIONS

# a statement's NOTICEs: every one of them, in order (psql prints each NoticeResponse)
compare 'DROP TABLE IF EXISTS of several missing tables: one NOTICE each' \
  -c "DROP TABLE IF EXISTS nosuch_a, nosuch_b" -c "CREATE TABLE IF NOT EXISTS users (id int)"

# error positions (the LINE and caret psql prints): parse and bind errors and the input of a
# literal have one; run-time errors (division by zero, overflow, a bad value cast from a
# column, the cast of a typed constant) have none, as in PostgreSQL
compare 'errors: which carry a position' \
  -c "SELECT 1/0" -c "SELECT 2147483647 + 1" -c "SELECT 'x'::int" -c "SELECT int4 '12x'" \
  -c "SELECT a::int FROM (VALUES ('x')) t(a)" -c "SELECT a / 0 FROM (VALUES (1)) t(a)" \
  -c "SELECT 99999999999::int" -c "SELECT 'x'::uuid" -c "SELECT nosuchcol" -c "SELECT 1 +" \
  -c "SELECT 1 WHERE 1/0 = 1" -c "SELECT 32767::int2 + 1::int2"

# binary arrays through libpq: every element type, byte for byte as PostgreSQL sends them, and
# PostgreSQL's bytes taken back as binary parameters (tests/server/libpq_client.c)
if [ -n "${ORBIT_LIBPQ_CLIENT:-}" ]; then
  if "$ORBIT_LIBPQ_CLIENT" --arrays "$port" "host=$dir port=$pgport user=orbit dbname=orbit"; then
    echo "ok: binary arrays (libpq) identical to PostgreSQL's"
  else
    echo "FAIL: binary arrays (libpq)"
    fails=$((fails + 1))
  fi
  # statements prepared with declared parameter types (Parse): errors, ParameterDescription,
  # column types and rows as PostgreSQL's (tests/server/libpq_client.c)
  postgres -q -c "INSERT INTO users SELECT g, 'user ' || g, g / 2.0, NULL, interval '1 day' FROM generate_series(1, 3000) g"
  if "$ORBIT_LIBPQ_CLIENT" --typed "$port" "host=$dir port=$pgport user=orbit dbname=orbit"; then
    echo "ok: declared parameter types (libpq) taken as PostgreSQL takes them"
  else
    echo "FAIL: declared parameter types (libpq)"
    fails=$((fails + 1))
  fi
fi

# identity and serial columns: "generated always as identity", "nextval('t_s_seq'::regclass)"
iddl="CREATE TABLE tid (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, b bigint GENERATED BY DEFAULT AS IDENTITY, s serial, v text)"
out=$(orbit -q -c "$iddl")
[ -z "$out" ] || { echo "orbitd refused the identity DDL: $out"; fails=$((fails + 1)); }
postgres -q -c "$iddl" >/dev/null
compare '\d tid (identity and serial columns)' -c '\d tid'
compare 'column defaults of identity and serial columns' -At \
  -c "SELECT column_name, column_default, is_identity FROM information_schema.columns WHERE table_name = 'tid' ORDER BY 1" \
  -c "SELECT a.attname, a.attidentity, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'tid'::regclass AND a.attnum > 0 ORDER BY a.attnum" \
  -c "SELECT pg_get_serial_sequence('tid', 'id'), pg_get_serial_sequence('tid', 's'), pg_get_serial_sequence('tid', 'v')"

[ "$fails" -eq 0 ] || { echo "$fails describe check(s) failed"; exit 1; }
echo "all describe checks match PostgreSQL"
