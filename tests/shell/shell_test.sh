#!/usr/bin/env bash
# The `orbit` shell end to end: -c, -f, standard input, --csv, meta commands,
# error reports with positions, exit statuses.  usage: shell_test.sh ORBIT_BINARY
set -u
orbit=$1
dir=$(mktemp -d /tmp/orbit-shell-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fails=0
check() {  # name expected actual
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"; echo "--- expected"; printf '%s\n' "$2"; echo "--- got"; printf '%s\n' "$3"
    fails=$((fails + 1))
  else
    echo "ok: $1"
  fi
}
db=$dir/db

out=$("$orbit" "$db" -c "CREATE TABLE t (id INT PRIMARY KEY, s TEXT, d DATE); INSERT INTO t VALUES (1, 'a,b', '2026-01-01'), (2, NULL, NULL), (3, 'say \"hi\"', '2026-02-03')" 2>&1)
check "-c runs every statement" "CREATE TABLE
INSERT 0 3" "$out"

out=$("$orbit" "$db" --csv -c "SELECT * FROM t ORDER BY id" 2>&1)
check "--csv is RFC 4180 with a header, NULL empty" 'id,s,d
1,"a,b",2026-01-01
2,,
3,"say ""hi""",2026-02-03' "$out"

out=$("$orbit" "$db" -c "SELECT id, s FROM t WHERE id < 3 ORDER BY id" 2>&1)
check "aligned output, NULL shown distinctly" ' id |  s   
----+------
  1 | a,b
  2 | NULL
(2 rows)' "$out"

printf 'SELECT count(*) AS n\n  FROM t;\n' > "$dir/s.sql"
out=$("$orbit" "$db" -f "$dir/s.sql" 2>&1)
check "-f runs a multi-line script" ' n 
---
 3
(1 row)' "$out"

out=$(printf '\\d\nSELECT max(id) AS m FROM t;\n' | "$orbit" "$db" 2>&1)
check "standard input with a meta command" ' name 
------
 t
(1 row)

 m 
---
 3
(1 row)' "$out"

out=$("$orbit" "$db" -q -c "CREATE TABLE ix (k int PRIMARY KEY, u text UNIQUE, v int)" -c "CREATE INDEX ON ix (v DESC)" -c '\d ix' 2>&1)
check "\\d NAME lists the table's indexes" ' column_name | data_type | is_nullable | column_default | primary_key 
-------------+-----------+-------------+----------------+-------------
 k           | INTEGER   | NO          | NULL           | YES
 u           | TEXT      | YES         | NULL           | NO
 v           | INTEGER   | YES         | NULL           | NO
(3 rows)

  index   |                        definition                         
----------+-----------------------------------------------------------
 ix_pkey  | CREATE UNIQUE INDEX ix_pkey ON public.ix USING btree (k)
 ix_u_key | CREATE UNIQUE INDEX ix_u_key ON public.ix USING btree (u)
 ix_v_idx | CREATE INDEX ix_v_idx ON public.ix USING btree (v DESC)
(3 rows)' "$out"

out=$("$orbit" "$db" -c "SELECT id,
  prise FROM t" 2>&1); rc=$?
check "error names the column, line and column, with a caret" 'ERROR:  column "prise" does not exist (line 2, column 3)
LINE 2:   prise FROM t
          ^' "$out"
check "-c failure exits non-zero" 1 "$rc"

out=$("$orbit" "$db" -c "INSERT INTO t VALUES (1, 'x', NULL)" 2>&1); rc=$?
check "duplicate key names the key" 'ERROR:  duplicate key value violates unique constraint "t_pkey"
DETAIL:  Key (id)=(1) already exists.' "$out"
check "duplicate key exits non-zero" 1 "$rc"

out=$("$orbit" "$db" -c "SELECT 1 + 'a'::text" 2>&1)
check "HINT after the caret, as psql prints it" "ERROR:  operator does not exist: integer + text (line 1, column 10)
LINE 1: SELECT 1 + 'a'::text
                 ^
HINT:  No operator matches the given name and argument types. You might need to add explicit type casts." "$out"

printf 'SELECT 1;\nSELEC 2;\nSELECT 3;\n' > "$dir/bad.sql"
"$orbit" "$db" -f "$dir/bad.sql" >/dev/null 2>&1; rc=$?
check "-f stops at the first failing statement and exits non-zero" 1 "$rc"

out=$("$orbit" "$db" --csv -c "SELECT count(*) FROM t" 2>&1)
check "nothing was lost by the failed statements" 'count
3' "$out"

out=$("$orbit" "$db" -c "DROP TABLE IF EXISTS nosuch; COMMIT; CREATE TABLE IF NOT EXISTS t (id INT)" 2>&1); rc=$?
check "NOTICE and WARNING before the command tag, as psql shows them" 'NOTICE:  table "nosuch" does not exist, skipping
DROP TABLE
WARNING:  there is no transaction in progress
COMMIT
NOTICE:  relation "t" already exists, skipping
CREATE TABLE' "$out"
check "a NOTICE is not a failure" 0 "$rc"
out=$("$orbit" "$db" -c "DROP TABLE IF EXISTS nosuch1, t2x, nosuch2" 2>&1)
check "one NOTICE per missing table of a DROP, in order, as psql shows them" 'NOTICE:  table "nosuch1" does not exist, skipping
NOTICE:  table "t2x" does not exist, skipping
NOTICE:  table "nosuch2" does not exist, skipping
DROP TABLE' "$out"

# (what psql 15 prints for the same statements against PostgreSQL)
out=$("$orbit" "$db" -c "CREATE TABLE r (id INT PRIMARY KEY, v TEXT); INSERT INTO r VALUES (1, 'a'), (2, 'b') RETURNING *" 2>&1)
check "RETURNING: the rows, then the command tag" 'CREATE TABLE
 id | v 
----+---
  1 | a
  2 | b
(2 rows)

INSERT 0 2' "$out"
out=$("$orbit" "$db" --csv -c "DELETE FROM r WHERE id = 1 RETURNING v" 2>&1)
check "RETURNING in CSV: the rows, then the command tag" 'v
a
DELETE 1' "$out"

# COPY FROM STDIN / TO STDOUT: data inline in a script (pg_dump's layout),
# from standard input under -c, and rows written to the output
printf 'CREATE TABLE cp (a INT, b TEXT);\nCOPY cp FROM STDIN;\n1\tx\n2\t\\N\n\\.\nCOPY cp TO STDOUT;\n' > "$dir/copy.sql"
out=$("$orbit" "$db" -f "$dir/copy.sql" 2>&1)
check "COPY FROM STDIN reads the script's lines to \\., TO STDOUT prints rows" 'CREATE TABLE
COPY 2
1	x
2	\N
COPY 2' "$out"
out=$(printf '3,"y, z"\n\\.\nnot data\n' | "$orbit" "$db" -c "COPY cp FROM STDIN (FORMAT csv)" -c "COPY (SELECT a, b FROM cp WHERE a > 1 ORDER BY a) TO STDOUT (FORMAT csv, HEADER)" 2>&1)
check "COPY FROM STDIN under -c reads standard input to \\." 'COPY 1
a,b
2,
3,"y, z"
COPY 2' "$out"
# array columns as pg_dump writes them: an explicit column list, array text with quotes and backslash escapes
printf 'CREATE TABLE public.items (id integer NOT NULL, tags text[], prices numeric(8,2)[]);\nCOPY public.items (id, tags, prices) FROM stdin;\n1\t{a,"b c","x\\\\"y",NULL}\t{1.5,2}\n2\t\\N\t{}\n3\t{"tab\\tin"}\t{NULL}\n\\.\nCOPY items TO STDOUT;\n' > "$dir/copyarr.sql"
out=$("$orbit" "$db" -f "$dir/copyarr.sql" 2>&1)
check "COPY FROM stdin of array columns in pg_dump's layout, and back out" 'CREATE TABLE
COPY 3
1	{a,"b c","x\\"y",NULL}	{1.50,2.00}
2	\N	{}
3	{"tab\tin"}	{NULL}
COPY 3' "$out"
printf 'COPY cp FROM STDIN;\n9\tbad\tfield\n\\.\n' > "$dir/copybad.sql"
"$orbit" "$db" -f "$dir/copybad.sql" > /dev/null 2> "$dir/copybad.err"; rc=$?
out=$("$orbit" "$db" -c "SELECT count(*) AS n FROM cp" 2>&1)
check "a bad COPY line fails the script and loads nothing" '1
ERROR:  extra data after last expected column (COPY cp, line 1)
 n 
---
 3
(1 row)' "$rc
$(cat "$dir/copybad.err")
$out"

# pg_dump's layout: a header comment, then \restrict KEY ... \unrestrict KEY;
# meta commands in between are refused; client_min_messages hides NOTICEs
printf -- '--\n-- dump\n--\n\n\\restrict k1\nSET client_min_messages = warning;\nDROP TABLE IF EXISTS nothere;\n\\d\nSELECT 1 AS one;\n\\unrestrict k1\n' > "$dir/restrict.sql"
out=$("$orbit" "$db" -f "$dir/restrict.sql" 2>&1)
check "\\restrict refuses meta commands until \\unrestrict; no NOTICE under client_min_messages = warning" 'SET
DROP TABLE
backslash command \d refused: commands are restricted until \unrestrict with the key given to \restrict
 one 
-----
   1
(1 row)' "$out"

[ "$fails" -eq 0 ] || { echo "$fails shell check(s) failed"; exit 1; }
echo "all shell checks passed"
