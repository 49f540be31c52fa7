#!/usr/bin/env python3
"""iceberg_scan() over every table under ../shared/fixtures/iceberg-trino.

Each table's rows are checked against the rows its create.sql implies,
written out below by hand from the INSERT ... VALUES (and DELETE) statements
in our shell's CSV spelling (PostgreSQL's text forms: t/f, +00 zones, \\x
bytea).  Tables without a create.sql (granular_deletes, types/all_spark_types,
types/decimals, types/unsupported_types) are checked against the fixture
README (granular_deletes: 16 rows written, 6 deleted by position) and against
DuckDB's reading of their data files.  DuckDB then cross-checks every table
without delete files: its read_parquet of the table's data files gives as
many rows, and the same sorted first column.  Time travel, an unknown
snapshot, format version 3, and schema evolution (a copy of a table whose
metadata renames a column, promotes int to long, drops one and adds one: the
Parquet files are matched by field id, not name) follow, and a table written
here (tests/interop/iceberg_synth_table.mjs) with equality deletes, the
sequence-number and partition rules, and identity partition values.

usage: iceberg_read_test.py ORBIT_SHELL"""
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

ORBIT = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.realpath(os.path.join(ROOT, "..", "shared", "fixtures", "iceberg-trino"))
INTEROP = os.path.join(ROOT, "tests", "interop")
failures = 0
checked_rows = 0
tmp = tempfile.mkdtemp()
DB = os.path.join(tmp, "db")


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def orbit(sql):
    p = subprocess.run([ORBIT, DB, "--csv", "-c", sql], capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def duckdb(sql):
    p = subprocess.run(["node", "duckdb_csv.mjs", sql], cwd=INTEROP, capture_output=True, text=True)
    return p.stdout.strip()


# rows by hand from create.sql (ORDER BY every column, NULLs last)
DELETED_BY_C1_MOD_3 = """1,123
2,2314
4,1292
5,12831
7,123999
8,12318231
10,1010
11,11
13,1313
14,91121"""
TZ3 = """c1,c2,c3
1,2025-03-03 23:00:00+00,0
2,2024-03-03 23:52:00+00,0
3,,0"""
SIX = """c1,c2,c3
1,2025-03-02,-50
1,2025-03-03,0
1,2025-03-04,1.5
1,2025-03-05,17
2,2025-03-03,-1
2,2025-03-04,42"""
TEN = ("col_int,col_long,col_decimal,col_date,col_time,col_timestamp,col_timestamptz,col_string,col_uuid,col_varbinary\n"
       "1,2,3.00,2025-03-03,17:00:00,2025-03-03 00:00:00,2025-03-03 00:00:00+00,some-string,"
       "12151fd2-7586-11e9-8f9e-2a86e4085a59,\\x736f6d652d76617262696e617279")
EXPECTED = {
    "bucket_partitioning": TEN,
    "dangling_deletes": "c1,c2\n" + DELETED_BY_C1_MOD_3,
    "granular_deletes": "c1,c2\n" + DELETED_BY_C1_MOD_3,
    "prod/db/refdeletes3": "a,b\n" + DELETED_BY_C1_MOD_3,
    "day_timestamptz_partitioning": TZ3,
    "hour_timestamptz_partitioning": TZ3,
    "month_timestamptz_partitioning": TZ3,
    "year_timestamptz_partitioning": """c1,c2,c3
1,2025-03-03 23:00:00+00,0
2,2024-03-03 23:52:00+00,0
3,2025-03-03 22:00:00+00,0""",
    "year_timestamp_partitioning": """c1,c2,c3
1,2025-03-03 23:00:00,0
2,2024-03-03 23:52:00,0
3,2025-03-03 22:00:00,0""",
    "year_date_partitioning": """c1,c2,c3
1,2025-03-03,0
2,2024-03-03,0
3,2025-03-03,0""",
    "w_clean_expired_metadata": TZ3,
    "decimal_partitioning": "col_decimal_9_2,col_decimal_18_2,col_decimal_19_2,col_decimal_38_2\n3.00,-5.00,0.00,0.00",
    "identity_partitioning": ("col_bool,col_int,col_long,col_float,col_double,col_decimal,col_date,col_time,col_timestamp,"
                              "col_timestamptz,col_string,col_uuid,col_varbinary\n"
                              "f,1,2,2.25,2.375,3.00,2025-03-03,17:00:00,2025-03-03 00:00:00,2025-03-03 00:00:00+00,"
                              "some-string,12151fd2-7586-11e9-8f9e-2a86e4085a59,\\x736f6d652d76617262696e617279"),
    "no_partitioning": SIX,
    "partitioned_table": SIX,
    "partition_evolution": SIX + "\n3,2025-03-11,2",
    "partitioning_with_null_value": """c1,c2,c3
1,,-50
2,2025-03-03,-1
,2025-03-03,0
,,17""",
    "types/all_trino_types": (
        "id,boolean_col,integer_col,long_col,float_col,double_col,decimal_col,date_col,time_col,timestamp_col,"
        "timestamptz_col,string_col,uuid_col,binary_col,list_col\n"
        "1,t,42,9223372036854775807,3.14,2.718281828459045,123456.78901,2025-04-05,12:34:56.123456,"
        "2025-04-05 12:34:56.123456,2025-04-05 12:34:56.123456+00,Hello Iceberg,550e8400-e29b-41d4-a716-446655440000,"
        "\\xdeadbeef,\"{1.1,2.2,3.3}\""),
    # no create.sql: the values DuckDB reads from the data file, in our spelling
    "types/all_spark_types": (
        "col0,col1,col2,col3,col4,col5,col6,col7,col8,col9,col10,col11\n"
        "t,2147483647,9223372036854775807,3.4028235e+38,1.7976931348623157e+308,12345.67,example,\\x737061726b,"
        "2023-10-10,2023-10-10 12:34:56+00,2023-10-10 12:34:56,\"{item1,item2}\""),
    "types/decimals": (
        "col0,col1,col2,col3,col4,col5,col6,col7,col8,col9\n"
        "125.697,128325.0941237697,42128325.09412377328,142128325.09412378073,2142128325.09412384033,"
        "32142128325.09412384033,321421283265.09411621094,3214216283265.09423828125,32142162813265.09375000000,"
        "321421622813265.12500000000"),
    "types/unsupported_types": 'col0,col1\n"{""key1"":1,""key2"":2}","{""nested_int"":42,""nested_string"":""nested_value""}"',
}
# tables that are not readable, and the error they must give
ERRORS = {
    "deletion_vectors": "format version 3 is not supported",
    # metadata-only copies (create.md: partitioned_table with its spec edited): no manifest list
    "partitioned_table_with_missing_spec": "could not open",
    "partitioned_table_with_multiple_spec": "could not open",
    "partitioned_table_with_void_transform": "could not open",
    # data files outside the table's location (beside its folder, not under it)
    "v_20240913/iceberg": "lies outside the table's location",
}
DELETES = {"dangling_deletes", "granular_deletes", "prod/db/refdeletes3"}

tables = set()
for meta in glob.glob(os.path.join(FIX, "**", "metadata"), recursive=True):
    tables.add(os.path.relpath(os.path.dirname(meta), FIX))
for t in sorted(tables - set(EXPECTED) - set(ERRORS)):
    fail(f"{t}: a fixture table this test does not know")

for t, want in sorted(EXPECTED.items()):
    path = os.path.join(FIX, t)
    ncols = want.split("\n")[0].count(",") + 1
    order = ", ".join(str(i + 1) for i in range(ncols))
    got = orbit(f"SELECT * FROM iceberg_scan('{path}') ORDER BY {order}")
    if got != want:
        fail(f"{t}: rows differ\n--- want\n{want}\n--- got\n{got}")
    else:
        checked_rows += want.count("\n")
    # the same table from its metadata file rather than its folder
    metas = sorted(glob.glob(os.path.join(path, "metadata", "*.metadata.json")))
    got = orbit(f"SELECT count(*) FROM iceberg_scan('{metas[-1]}')")
    if got != f"count\n{want.count(chr(10))}":
        fail(f"{t}: count(*) through {os.path.basename(metas[-1])}: {got}")
    if t in DELETES:
        continue
    # DuckDB over the data files (no deletes apply): the same number of rows, the same first column
    first = want.split("\n")[0].split(",")[0]
    sql = (f"SELECT \"{first}\"::VARCHAR AS x FROM read_parquet('{path}/data/**/*.parquet', hive_partitioning=false) "
           f"ORDER BY \"{first}\" NULLS LAST")
    d = duckdb(sql).split("\n")[1:]
    o = orbit(f"SELECT {first}::text AS x FROM iceberg_scan('{path}') ORDER BY 1").split("\n")[1:]
    # spellings of the same value that differ between the two systems
    norm = {"true": "t", "false": "f"}
    d = [norm.get(x, x) for x in d]
    # (nested values: DuckDB prints its own notation, not JSON)
    if len(d) != len(o) or (t != "types/unsupported_types" and d != o):
        fail(f"{t}: DuckDB reads {d} from the data files, iceberg_scan {o}")

# tables with deletes: DuckDB sees all 16 written rows in the data files; the
# summary's total-records says 16 too; iceberg_scan gives 10 (above)
for t in sorted(DELETES):
    path = os.path.join(FIX, t)
    meta = sorted(glob.glob(os.path.join(path, "metadata", "*.metadata.json")))[-1]
    snap = json.load(open(meta))
    cur = [s for s in snap["snapshots"] if s["snapshot-id"] == snap["current-snapshot-id"]][0]
    data = []
    for f in glob.glob(os.path.join(path, "data", "*.parquet")):
        cols = duckdb(f"SELECT name FROM parquet_schema('{f}')")
        if "file_path" not in cols.split("\n"):
            data.append(f)
    n = duckdb("SELECT count(*) AS n FROM read_parquet([" + ", ".join(f"'{f}'" for f in data) + "])")
    if t != "dangling_deletes" and n != "n\n16":
        fail(f"{t}: DuckDB reads {n} rows from the data files, expected 16")
    if t == "granular_deletes" and cur["summary"].get("total-records") != "16":
        fail(f"{t}: summary total-records {cur['summary'].get('total-records')}")

# COUNT(*) from the manifests' record counts when no delete file applies
# (EXPLAIN ANALYZE says so and no data file is read); with deletes the rows
# are read, and with a WHERE clause those of files not shown to match entirely
# (tests/storage/iceberg_prune_test.py)
for t, how, n in (("no_partitioning", "Count: 6 rows from manifest record counts, no data file read", 6),
                  ("partition_evolution", "Count: 7 rows from manifest record counts, no data file read", 7),
                  ("granular_deletes", "data files: 2, delete files read: 4, rows deleted: 6", 10),
                  # its delete files are older than the compacted data file: none applies
                  ("dangling_deletes", "Count: 10 rows from manifest record counts", 10)):
    got = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM iceberg_scan('{os.path.join(FIX, t)}')")
    if how not in got:
        fail(f"{t}: EXPLAIN ANALYZE of count(*) does not say {how!r}:\n{got}")
    got = orbit(f"SELECT count(*) FROM iceberg_scan('{os.path.join(FIX, t)}')")
    if got != f"count\n{n}":
        fail(f"{t}: count(*) {got}")
got = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM iceberg_scan('{os.path.join(FIX, 'no_partitioning')}') WHERE c1 = 2")
# (its one file's c1 bounds are [1, 2]: they do not show every row has c1 = 2)
if "Count: 0 rows of 0 data files from manifest record counts" not in got or "rows=2 loops=1" not in got:
    fail(f"count(*) with WHERE must read the rows:\n{got}")

# errors
for t, want in sorted(ERRORS.items()):
    got = orbit(f"SELECT * FROM iceberg_scan('{os.path.join(FIX, t)}')")
    if "ERROR" not in got or want not in got:
        fail(f"{t}: expected an error mentioning {want!r}, got {got}")

# time travel: granular_deletes before its delete (16 rows) and after its first append (8)
g = os.path.join(FIX, "granular_deletes")
for snap, want in ((3996757342531696884, 16), (7880452640795485354, 8), (4964947747087020827, 0), (178401841832651330, 10)):
    got = orbit(f"SELECT count(*), count(DISTINCT c1) FROM iceberg_scan('{g}', snapshot_id => {snap})")
    if got != f"count,count\n{want},{want}":
        fail(f"granular_deletes at snapshot {snap}: {got}")
got = orbit(f"SELECT sum(c2) FROM iceberg_scan('{g}', {3996757342531696884})")
want = sum([12, 123, 2314, 9, 1292, 12831, 12381, 123999, 12318231, 999, 1010, 11, 1212, 1313, 91121, 182222])
if got != f"sum\n{want}":
    fail(f"granular_deletes at its third snapshot, positional snapshot id: {got}")
got = orbit(f"SELECT * FROM iceberg_scan('{g}', snapshot_id => 42)")
if "has no snapshot 42" not in got:
    fail(f"unknown snapshot: {got}")
# the same through SQL:2011's spelling, as tables take it
for snap, want in ((3996757342531696884, 16), (7880452640795485354, 8)):
    got = orbit(f"SELECT count(*), count(DISTINCT c1) FROM iceberg_scan('{g}') FOR VERSION AS OF {snap} AS g")
    if got != f"count,count\n{want},{want}":
        fail(f"granular_deletes FOR VERSION AS OF {snap}: {got}")
meta = json.load(open(sorted(glob.glob(os.path.join(g, "metadata", "*.metadata.json")))[-1]))
for sn in meta["snapshots"]:   # each snapshot's commit time gives that snapshot's rows
    at = datetime.datetime.fromtimestamp(sn["timestamp-ms"] / 1000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    got = orbit(f"SELECT count(*) FROM iceberg_scan('{g}') FOR SYSTEM_TIME AS OF '{at}'")
    want = orbit(f"SELECT count(*) FROM iceberg_scan('{g}', snapshot_id => {sn['snapshot-id']})")
    if got != want or "ERROR" in got:
        fail(f"granular_deletes FOR SYSTEM_TIME AS OF {at}: {got}, snapshot_id => gives {want}")
for sql, want in ((f"SELECT * FROM iceberg_scan('{g}') FOR VERSION AS OF 42", "has no snapshot 42"),
                  (f"SELECT * FROM iceberg_scan('{g}', snapshot_id => 1) FOR VERSION AS OF 1", "not both"),
                  ("SELECT * FROM generate_series(1, 3) FOR VERSION AS OF 1", "needs an Iceberg table")):
    got = orbit(sql)
    if "ERROR" not in got or want not in got:
        fail(f"{sql}: expected an error with {want!r}, got {got}")
got = orbit(f"SELECT * FROM iceberg_scan('{g}', snapshot => 42)")
if "no argument named" not in got:
    fail(f"unknown argument name: {got}")

# schema evolution on a copy of no_partitioning: the metadata (not the files)
# renames c1 to id and promotes it to long, drops c2, adds c4 (id 4, double)
# before c3; the Parquet files still say c1/c2/c3 with field ids 1..3
copy = os.path.join(tmp, "evolved")
shutil.copytree(os.path.join(FIX, "no_partitioning"), copy)
meta = sorted(glob.glob(os.path.join(copy, "metadata", "*.metadata.json")))[-1]
m = json.load(open(meta))
old = [s for s in m["schemas"] if s["schema-id"] == m["current-schema-id"]][0]
fields = {f["id"]: f for f in old["fields"]}
new_fields = [dict(fields[1], name="id", type="long"), {"id": 4, "name": "c4", "required": False, "type": "double"},
              dict(fields[3], name="c2")]  # c3 renamed to c2, the old c2 (id 2) dropped
new_id = max(s["schema-id"] for s in m["schemas"]) + 1
m["schemas"].append({"type": "struct", "schema-id": new_id, "fields": new_fields})
m["current-schema-id"] = new_id
m["last-column-id"] = max(m["last-column-id"], 4)
json.dump(m, open(meta, "w"))
got = orbit(f"SELECT id, c4, c2, id + 2147483647 AS t FROM iceberg_scan('{copy}') ORDER BY 1, 3")
want = """id,c4,c2,t
1,,-50,2147483648
1,,0,2147483648
1,,1.5,2147483648
1,,17,2147483648
2,,-1,2147483649
2,,42,2147483649"""
if got != want:
    fail(f"schema evolution by field id:\n--- want\n{want}\n--- got\n{got}")
else:
    checked_rows += 6

# equality deletes, sequence-number rules, partition scoping, identity
# partition values and inheritance, on a table written by
# tests/interop/iceberg_synth_table.mjs (DuckDB's Parquet, avsc's Avro)
synth = os.path.join(tmp, "synth")
p = subprocess.run(["node", "iceberg_synth_table.mjs", synth], cwd=INTEROP, capture_output=True, text=True)
if p.returncode != 0:
    fail(f"iceberg_synth_table.mjs: {p.stdout}{p.stderr}")
for sql, want in (
        # d1's c1 = 2 row goes (equality delete, sequence 1 < 2); d2's stays (2 is not < 2), with c2
        # from its partition tuple; d2's row 0 goes (position delete in its partition), row 1 stays
        # (the other position delete is in another partition)
        (f"SELECT * FROM iceberg_scan('{synth}') ORDER BY 1", "c1,c2,c3\n1,2025-01-01,1\n2,2025-02-01,5\n3,2025-01-03,3"),
        (f"SELECT c1, c3 FROM iceberg_scan('{synth}') WHERE c2 = DATE '2025-02-01'", "c1,c3\n2,5"),
        (f"SELECT * FROM iceberg_scan('{synth}', snapshot_id => 1) ORDER BY 1",
         "c1,c2,c3\n1,2025-01-01,1\n2,2025-01-02,2\n3,2025-01-03,3"),
        (f"SELECT count(*) FROM iceberg_scan('{synth}')", "count\n3"),
        (f"SELECT count(*) FROM iceberg_scan('{synth}', snapshot_id => 1)", "count\n3")):
    got = orbit(sql)
    if got != want:
        fail(f"{sql}:\n--- want\n{want}\n--- got\n{got}")
    else:
        checked_rows += want.count("\n")
# WHERE constraints prune row groups (d2's c1 is 2 or 4: ruled out by c1 = 1)
# and give the same rows as filtering everything
got = orbit(f"EXPLAIN ANALYZE SELECT * FROM iceberg_scan('{synth}') WHERE c1 = 1")
if "Row groups skipped: 1 of 2" not in got or "rows=1 loops=1" not in got:
    fail(f"synthetic table, WHERE c1 = 1:\n{got}")
# partition summaries, partition values and bounds rule whole files out before they are opened
for t, where, wants in (("partitioned_table", "c1 = 2", ("data files: 2,", "skipped by partition values: 4")),
                        ("partitioning_with_null_value", "c1 IS NULL", ("data files: 2,", "skipped by partition values: 2")),
                        ("partition_evolution", "c1 = 1", ("data files: 4,", "skipped by partition values: 2",
                                                          "skipped by column bounds: 1")),
                        ("identity_partitioning", "col_string = 'x'", ("data files: 0,", "Manifests skipped by partition summaries: 1"))):
    got = orbit(f"EXPLAIN ANALYZE SELECT * FROM iceberg_scan('{os.path.join(FIX, t)}') WHERE {where}")
    if not all(w in got for w in wants):
        fail(f"{t} WHERE {where}: EXPLAIN ANALYZE does not say {wants}:\n{got}")
for t, where, want in (
        ("partitioned_table", "c1 = 2 AND c2 >= DATE '2025-03-04'", "c1,c2,c3\n2,2025-03-04,42"),
        ("partition_evolution", "c1 = 1", "c1,c2,c3\n1,2025-03-02,-50\n1,2025-03-03,0\n1,2025-03-04,1.5\n1,2025-03-05,17"),
        ("identity_partitioning", "col_decimal = 3 AND col_uuid = '12151fd2-7586-11e9-8f9e-2a86e4085a59'",
         EXPECTED["identity_partitioning"]),
        ("no_partitioning", "c1 = 2", "c1,c2,c3\n2,2025-03-03,-1\n2,2025-03-04,42"),
        ("partition_evolution", "c3 > 1.0", "c1,c2,c3\n1,2025-03-04,1.5\n1,2025-03-05,17\n2,2025-03-04,42\n3,2025-03-11,2"),
        ("year_timestamptz_partitioning", "c2 < TIMESTAMPTZ '2025-01-01 00:00:00+00'", "c1,c2,c3\n2,2024-03-03 23:52:00+00,0"),
        ("partitioning_with_null_value", "c1 IS NULL", "c1,c2,c3\n,2025-03-03,0\n,,17"),
        ("granular_deletes", "c1 >= 8", "c1,c2\n8,12318231\n10,1010\n11,11\n13,1313\n14,91121"),
        ("types/decimals", "col0 = 125.697", EXPECTED["types/decimals"])):
    ncols = want.split("\n")[0].count(",") + 1
    got = orbit(f"SELECT * FROM iceberg_scan('{os.path.join(FIX, t)}') WHERE {where} ORDER BY "
                + ", ".join(str(i + 1) for i in range(ncols)))
    if got != want:
        fail(f"{t} WHERE {where}:\n--- want\n{want}\n--- got\n{got}")
    else:
        checked_rows += want.count("\n")
got = orbit(f"EXPLAIN ANALYZE SELECT * FROM iceberg_scan('{synth}')")
if "Manifests: 4, data files: 2, delete files read: 2, rows deleted: 2" not in got:
    fail(f"synthetic table's EXPLAIN ANALYZE:\n{got}")

shutil.rmtree(tmp)
print(f"{len(EXPECTED)} tables read, {checked_rows} rows checked, {len(ERRORS)} refused with the expected error")
if failures:
    print(f"{failures} failures")
    sys.exit(1)
print("ok")
