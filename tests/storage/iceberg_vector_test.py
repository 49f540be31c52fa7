#!/usr/bin/env python3
"""Column batches over Iceberg tables against the row path, through SQL.

Filters and aggregates over an Iceberg table take its rows as column
batches (storage/cold/ice_read.h ice_reader_next_vec, the tier interface's
scan_next_vec); a hot table of the same rows hands out rows.  Each query
runs over iceberg_scan('<table>'), over the table as a SQL table (CREATE
EXTERNAL TABLE, or the database's own USING iceberg table), and over a hot
copy (CREATE TABLE AS, read row by row), and all must print the same result
or the same error (its position left out: the FROM clauses differ).  Tables:

  - one written here (USING iceberg, identity-partitioned) whose schema
    evolved: a column renamed, one dropped, one added (NULL in old files),
    int -> bigint, real -> double, decimal(9,2) -> decimal(18,2); with
    position deletes from DELETE and UPDATE; several row groups of 2048+
    rows; and read_parquet of a Parquet file of its rows beside it;
  - tests/interop/iceberg_synth_table.mjs (DuckDB's Parquet, avsc's Avro):
    an equality delete, a position delete, a column the data file lacks
    filled from its identity partition value;
  - the iceberg-trino fixtures with deletes, evolved partition specs, NULL
    partitions and every Trino type.

Queries come from each table's columns and types: counts, min/max, sums
and averages, arithmetic, filters, GROUP BY, IS NULL, and queries that fail
(division by zero, overflow) and must fail alike.  Last, EXPLAIN ANALYZE's
counters of a scan feeding an aggregate (batches) equal those of the same
scan feeding rows to the client.

usage: iceberg_vector_test.py ORBIT_SHELL"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ORBIT = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.realpath(os.path.join(ROOT, "..", "shared", "fixtures", "iceberg-trino"))
INTEROP = os.path.join(ROOT, "tests", "interop")
tmp = tempfile.mkdtemp()
DB = os.path.join(tmp, "db")
failures = 0
checked = 0
errors = 0   # of the checks, those whose query fails (alike)


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def orbit(sql):
    """The CSV output, or the error without its position."""
    p = subprocess.run([ORBIT, DB, "--csv", "-c", sql], capture_output=True, text=True)
    out = (p.stdout + p.stderr).strip()
    out = re.sub(r" \(line \d+, column \d+\)", "", out)
    return re.sub(r"\nLINE \d+:.*", "", out, flags=re.S)


def must(sql):
    out = orbit(sql)
    if "ERROR" in out:
        fail(f"{sql}: {out}")
    return out


NUMERIC = {"smallint", "integer", "bigint", "real", "double precision", "numeric"}
INTEGER = {"smallint", "integer", "bigint"}
ORDERED = NUMERIC | {"text", "character varying", "date", "timestamp without time zone", "timestamp with time zone",
                     "time without time zone", "boolean", "uuid", "bytea"}


def columns(table):
    out = must(f"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}' "
               "ORDER BY ordinal_position")
    return [tuple(line.split(",", 1)) for line in out.splitlines()[1:]]


def queries(cols):
    """Queries over @T from its columns (name, type)."""
    q = ["SELECT count(*) FROM @T WHERE true"]
    nums = [c for c, t in cols if t in NUMERIC]
    for c, t in cols:
        c = f'"{c}"'
        q.append(f"SELECT count(*) FROM @T WHERE {c} IS NULL")
        if t in ORDERED:
            q.append(f"SELECT count(*), count({c}), min({c}), max({c}) FROM @T")
            q.append(f"SELECT {c}, count(*) FROM @T GROUP BY {c} ORDER BY {c} NULLS LAST LIMIT 30")
        else:
            q.append(f"SELECT count(*), count({c}) FROM @T")
        if t in NUMERIC:
            q.append(f"SELECT sum({c}), avg({c}), sum({c} * 2), min({c} + 1), max(-{c}) FROM @T")
            q.append(f"SELECT count(*), sum({c}) FROM @T WHERE {c} > 0 OR {c} IS NULL")
            q.append(f"SELECT sum(1 / ({c} - {c})) FROM @T")   # division by zero, if any row is not NULL
            if nums and nums[0] != c.strip('"'):
                q.append(f'SELECT {c} > 10 AS big, count(*), sum("{nums[0]}") FROM @T GROUP BY {c} > 10 ORDER BY big')
        if t in INTEGER:
            q.append(f"SELECT sum({c} * 4611686018427387904) FROM @T")   # bigint overflow past 1 in magnitude
            q.append(f"SELECT sum({c}::double precision / 3), sum({c} % 7) FROM @T WHERE {c} % 2 = 0")
        if t in ("text", "character varying"):
            q.append(f"SELECT sum(length({c})), sum(octet_length({c})), max({c}) FROM @T WHERE {c} IS NOT NULL")
            q.append(f"SELECT count(*) FROM @T WHERE {c} > 'm' OR {c} = ''")
    if len(cols) >= 2:
        a, b = f'"{cols[0][0]}"', f'"{cols[1][0]}"'
        q.append(f"SELECT count(*), count({a}), count({b}) FROM @T WHERE {a} IS NOT NULL AND {b} IS NULL OR {a} IS NULL")
    return q


def compare(label, hot, sources, cols=None):
    """Each query over every source against the hot table's answer."""
    global checked, errors
    for q in queries(cols or columns(hot)):
        want = orbit(q.replace("@T", hot))
        for src in sources:
            got = orbit(q.replace("@T", src))
            checked += 1
            errors += want.startswith("ERROR")
            if got != want:
                fail(f"{label}: {q.replace('@T', src)}\n  rows: {want!r}\n  batches: {got!r}")


# --- a table written here: evolution, deletes, row groups ----------------------
must("""CREATE TABLE ev (id INTEGER, r REAL, d DECIMAL(9,2), s TEXT, g TEXT, x INTEGER) USING iceberg
        WITH (partition_by = 'g')""")
must("""INSERT INTO ev SELECT i, CASE WHEN i % 13 = 0 THEN NULL ELSE i * 0.5 - 1000 END, i * 1.25,
        CASE WHEN i % 17 = 0 THEN NULL ELSE 's' || i END, CASE WHEN i % 3 = 0 THEN 'a' WHEN i % 3 = 1 THEN 'b' END, i
        FROM generate_series(1, 9000) i""")
must("COPY (SELECT * FROM ev) TO '%s' (FORMAT parquet)" % os.path.join(tmp, "ev0.parquet"))
must("CREATE TABLE hot_ev0 AS SELECT * FROM ev")
compare("ev before evolution", "hot_ev0", ["ev", f"iceberg_scan('{DB}/warehouse/public/ev')",
                                           f"read_parquet('{tmp}/ev0.parquet')"])
must("DELETE FROM ev WHERE id % 7 = 0 OR id BETWEEN 2000 AND 2100")
must("ALTER TABLE ev RENAME COLUMN s TO s2")
must("ALTER TABLE ev DROP COLUMN x")
must("ALTER TABLE ev ADD COLUMN z BIGINT")
must("ALTER TABLE ev ALTER COLUMN id TYPE BIGINT")
must("ALTER TABLE ev ALTER COLUMN r TYPE DOUBLE PRECISION")
must("ALTER TABLE ev ALTER COLUMN d TYPE DECIMAL(18,2)")
must("INSERT INTO ev SELECT i, i * 0.25, i * 2.5, 't' || i, 'c', i * 10 FROM generate_series(9001, 12000) i")
must("UPDATE ev SET z = -id WHERE id % 11 = 0")
must("CREATE TABLE hot_ev AS SELECT * FROM ev")
if must("SELECT count(*) FROM hot_ev") != "count\n10629":
    fail("ev: the hot copy does not have 10629 rows")
compare("ev evolved", "hot_ev", ["ev", f"iceberg_scan('{DB}/warehouse/public/ev')"])

# --- equality deletes, a partition value for a column the file lacks ----------------
synth = os.path.join(tmp, "synth")
p = subprocess.run(["node", "iceberg_synth_table.mjs", synth], cwd=INTEROP, capture_output=True, text=True)
if p.returncode != 0:
    fail(f"iceberg_synth_table.mjs: {p.stdout}{p.stderr}")
else:
    must(f"CREATE EXTERNAL TABLE synth LOCATION '{synth}'")
    must(f"CREATE TABLE hot_synth AS SELECT * FROM iceberg_scan('{synth}')")
    if must("SELECT count(*) FROM hot_synth") != "count\n3":
        fail("synth: not the 3 rows its deletes leave")
    compare("synth", "hot_synth", ["synth", f"iceberg_scan('{synth}')"])

# --- the iceberg-trino fixtures ------------------------------------------------------
for name in ["granular_deletes", "dangling_deletes", "partition_evolution", "identity_partitioning",
             "partitioning_with_null_value", "bucket_partitioning", "decimal_partitioning", "day_timestamptz_partitioning",
             "types/all_trino_types", "types/decimals", "prod/db/refdeletes3"]:
    t = re.sub(r"\W", "_", name)
    where = os.path.join(FIX, name)
    must(f"CREATE EXTERNAL TABLE x_{t} LOCATION '{where}'")
    must(f"CREATE TABLE hot_{t} AS SELECT * FROM iceberg_scan('{where}')")
    compare(name, f"hot_{t}", [f"x_{t}", f"iceberg_scan('{where}')"])

# --- EXPLAIN ANALYZE: the same counters whether the scan hands out batches or rows ---
def counters(sql):
    """The scan's lines of EXPLAIN ANALYZE (its row count included), times left out."""
    out = must("EXPLAIN ANALYZE " + sql)
    lines = [re.sub(r"actual time=[0-9.]+ ms ", "", l) for l in out.splitlines()]
    keep = False
    res = []
    for l in lines:
        if "Scan" in l:
            keep = True
        if keep:
            res.append(l.strip().strip('"').lstrip("-> ").strip())   # the nesting differs: not the counters
    return res


for src, where, col in [("ev", "id > 100", "id"), (f"iceberg_scan('{DB}/warehouse/public/ev')", "id > 100", "id"),
                        ("x_granular_deletes", "c1 > 3", "c1"), (f"iceberg_scan('{FIX}/granular_deletes')", "c1 > 3", "c1"),
                        ("synth", "c1 > 0", "c1")]:
    batches = counters(f"SELECT count(*), sum({col}) FROM {src} WHERE {where}")
    rows = counters(f"SELECT * FROM {src} WHERE {where}")
    checked += 1
    if batches != rows or not batches:
        fail(f"EXPLAIN ANALYZE counters over {src}: batches {batches}, rows {rows}")

shutil.rmtree(tmp)
if errors < 20:
    fail(f"only {errors} checks of failing queries")
print(f"iceberg column batches: {checked - failures} of {checked} checks agree with the row path "
      f"({errors} of them the same error)")
sys.exit(1 if failures else 0)
