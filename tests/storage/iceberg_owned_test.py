#!/usr/bin/env python3
"""The database's own Iceberg tables through SQL: CREATE TABLE ... USING
iceberg [WITH (partition_by = ...)], INSERT (VALUES, SELECT), COPY FROM,
reading back, counting, time travel over the snapshots the inserts made,
persistence across reopen, the errors (a NULL into a NOT NULL column, a
primary key), a failed insert and a transaction block left without COMMIT
leaving no snapshot and no file behind, and DROP TABLE removing the folder.

The rows are checked against what python computes for them and against
DuckDB reading every data file the table holds (read_parquet over
data/**/*.parquet: nothing but live files may be there, since these
tables have no deletes), so a reader no one here wrote agrees on the rows.

usage: iceberg_owned_test.py ORBIT_SHELL"""
import os
import re
import shutil
import subprocess
import sys

from sqltest import *  # noqa: F401,F403 (ORBIT, DB, check, orbit, ...: shared by the SQL storage tests)


have_duckdb = os.path.isdir(os.path.join(INTEROP, "node_modules", "@duckdb"))
try:
    # -- a partitioned table: rows routed to day x bucket partitions
    check(orbit("CREATE TABLE ev (id BIGINT NOT NULL, ts TIMESTAMP, kind VARCHAR(8), amount DOUBLE PRECISION, "
                "price DECIMAL(10,2), day DATE, flag BOOLEAN) USING iceberg "
                "WITH (partition_by = 'day(ts), bucket(4, id)')"), "CREATE TABLE", "create partitioned")
    check(os.path.exists(os.path.join(table_dir("ev"), "metadata", "v1.metadata.json")), True, "v1 written")
    check(orbit("INSERT INTO ev SELECT g, timestamp '2026-01-01' + g * interval '1 hour', 'k' || (g % 3), g * 1.5, "
                "g / 4.0, date '2026-01-01' + g % 10, g % 2 = 0 FROM generate_series(1, 1000) g"),
          "INSERT 0 1000", "insert ... select")
    rows = [(g, g * 1.5, round(g / 4.0, 2)) for g in range(1, 1001)]
    check(orbit("INSERT INTO ev VALUES (5000, '2026-03-01 00:00', 'z', NULL, NULL, NULL, NULL), "
                "(5001, NULL, NULL, 'NaN', -1.25, '1969-12-31', true)"), "INSERT 0 2", "insert values")
    csv = os.path.join(tmp, "more.csv")
    with open(csv, "w") as f:
        f.write("id,ts,kind,amount,price,day,flag\n")
        for g in range(6000, 6100):
            f.write(f"{g},2026-02-{1 + g % 28:02d} 12:00:00,csv,{g}.5,{g}.25,2026-02-01,f\n")
    check(orbit(f"COPY ev FROM '{csv}' WITH (FORMAT csv, HEADER true)"), "COPY 100", "copy from csv")
    want_sum_id = sum(r[0] for r in rows) + 5000 + 5001 + sum(range(6000, 6100))
    check(orbit("SELECT count(*), sum(id) FROM ev"), f"count,sum\n1102,{want_sum_id}", "count and sum")
    check(orbit("SELECT count(*) FROM ev WHERE kind = 'k1'"), f"count\n{sum(1 for g in range(1, 1001) if g % 3 == 1)}",
          "filter on text")
    check(orbit("SELECT id, kind, amount, price, day, flag FROM ev WHERE id >= 5000 AND id < 5002 ORDER BY id"),
          "id,kind,amount,price,day,flag\n5000,z,,,,\n5001,,NaN,-1.25,1969-12-31,t", "NULLs, NaN, negative decimal, "
          "date before 1970")
    # 2026-02-10 holds hours 961..984 of the generated rows and the CSV rows with g % 28 == 9
    feb10 = 24 + sum(1 for g in range(6000, 6100) if g % 28 == 9)
    check(orbit("SELECT count(*) FROM ev WHERE ts >= '2026-02-10' AND ts < '2026-02-11'"), f"count\n{feb10}",
          "range on the partition source column")
    plan = orbit("EXPLAIN ANALYZE SELECT * FROM ev WHERE ts >= '2026-02-10' AND ts < '2026-02-11'")
    units = re.search(r"Units: (\d+) \((\d+) pruned\)", plan)
    counts.checks += 1
    if not units or int(units.group(2)) == 0 or int(units.group(2)) >= int(units.group(1)):
        fail(f"the day partition pruned no file (or all):\n{plan}")
    # three snapshots (INSERT SELECT, INSERT VALUES, COPY); time travel to the first
    snaps = orbit("SHOW SNAPSHOTS ev")
    lines = snaps.split("\n")
    check(len(lines), 4, "three snapshots")
    first = lines[1].split(",")[0]
    check(orbit(f"SELECT count(*) FROM ev FOR VERSION AS OF {first}"), "count\n1000", "time travel to the first insert")
    # iceberg_scan over the folder reads what the table reads
    check(orbit(f"SELECT count(*), sum(id) FROM iceberg_scan('{table_dir('ev')}')"), f"count,sum\n1102,{want_sum_id}",
          "iceberg_scan of the table's folder")
    # persistence: a checkpoint and a reopen keep the table
    orbit("CHECKPOINT")
    check(orbit("SELECT count(*) FROM ev"), "count\n1102", "after reopen")

    # -- errors, and nothing left behind by a failed statement
    before = files("ev")
    expect_error("INSERT INTO ev VALUES (1, now(), 'x', 1, 1, NULL, NULL), (NULL, now(), 'x', 1, 1, NULL, NULL)",
                 'null value in column "id"')
    expect_error("INSERT INTO ev VALUES (7, now(), 'much too long', 1, 1, NULL, NULL)", "value too long")
    check(files("ev"), before, "a failed insert leaves no file")
    check(orbit("SELECT count(*) FROM ev"), "count\n1102", "a failed insert adds no row")
    # a transaction block the client leaves without COMMIT adds nothing (iceberg_txn_test.py covers the rest)
    p = subprocess.run([ORBIT, DB, "--csv"], input="BEGIN;\nINSERT INTO ev VALUES (8, NULL, NULL, NULL, NULL, NULL, NULL);\n",
                       capture_output=True, text=True)
    check((p.stdout + p.stderr).strip(), "BEGIN\nINSERT 0 1", "insert in a transaction block, then disconnect")
    check(files("ev"), before, "a block left without COMMIT leaves no file")
    check(orbit("SELECT count(*) FROM ev"), "count\n1102", "a block left without COMMIT adds no row")
    expect_error("CREATE TABLE bad (a INTEGER) USING iceberg WITH (partition_by = 'bucket(4, nosuch)')", "nosuch")
    check(os.path.exists(table_dir("bad")), False, "a refused CREATE leaves no folder")
    expect_error("CREATE TABLE bad2 (a INTERVAL) USING iceberg", "interval")
    expect_error("TRUNCATE ev", "Iceberg tables take INSERT, COPY, UPDATE, DELETE and ALTER TABLE only")

    # -- an unpartitioned table, every row checked against DuckDB reading its data files
    check(orbit("CREATE TABLE plain (a INTEGER NOT NULL, s TEXT, b BYTEA, u UUID, t TIME, tz TIMESTAMPTZ, "
                "r REAL, sm SMALLINT) USING iceberg"), "CREATE TABLE", "create unpartitioned")
    check(orbit("INSERT INTO plain SELECT g, repeat('é', g % 5) || g, ('\\x' || lpad(g::text, 4, '0'))::bytea, "
                "('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, (timestamp '2026-01-01 10:00' + g * interval '1 second')::time, "
                "timestamptz '2026-01-01 00:00:00+00' + g * interval '1 day', g / 8.0, (g % 100)::smallint "
                "FROM generate_series(1, 500) g"), "INSERT 0 500", "insert unpartitioned")
    ours = orbit("SELECT a, s, b::text AS b, u, t, r, sm FROM plain ORDER BY a")
    if have_duckdb:
        theirs = duckdb(f"SELECT a, s, '\\x' || lower(hex(b)) AS b, u, t, r, sm FROM read_parquet('{table_dir('plain')}/data/**/*.parquet') "
                        "ORDER BY a")
        check(ours.lower(), theirs.lower(), "DuckDB reads the same rows from the data files")
        theirs = duckdb(f"SELECT count(*) AS count, sum(id) AS sum FROM read_parquet('{table_dir('ev')}/data/**/*.parquet', "
                        "hive_partitioning = false)")
        check(theirs, f"count,sum\n1102,{want_sum_id}", "DuckDB counts the partitioned table's files")
    else:
        print("DuckDB (npm) not installed: the DuckDB comparisons are skipped")

    # -- DROP TABLE removes the database's own table's folder
    check(orbit("DROP TABLE plain"), "DROP TABLE", "drop")
    check(os.path.exists(table_dir("plain")), False, "drop removes the folder")
    check(orbit("SELECT count(*) FROM ev"), "count\n1102", "the other table is untouched")
finally:
    shutil.rmtree(tmp)
print(f"{counts.checks} checks, {counts.failures} failures")
sys.exit(1 if counts.failures else 0)
