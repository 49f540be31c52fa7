#!/usr/bin/env python3
"""Iceberg tables as SQL tables: CREATE EXTERNAL TABLE over the iceberg-trino
fixtures (../shared/fixtures/iceberg-trino, read-only: attached, never
written).

For every readable fixture table the rows of the attached table equal the
rows of iceberg_scan() over the same folder (which iceberg_read_test.py
checks against each table's create.sql) and, for the tables below, the rows
create.sql implies, written out by hand.  Then: count(*) (from the manifests
without deletes, exact with them), WHERE filters and pruning, DESCRIBE,
persistence across reopen and checkpoint, DROP TABLE detaching without
touching the files, the read-only errors, time travel (FOR VERSION AS OF,
FOR SYSTEM_TIME AS OF at each snapshot's commit time from the metadata as
python's json reads it, before the first snapshot), SHOW SNAPSHOTS against
the metadata JSON, following a new snapshot committed by another writer (a
copy of a fixture whose metadata gains a version), and errors for tables
that cannot be read.

Last, over orbitd with psql: \\d of an external table, and the read-only
error's SQLSTATE (25006).

usage: iceberg_tables_test.py ORBIT_SHELL ORBITD"""
import datetime
import glob
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ORBIT = sys.argv[1]
ORBITD = sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.realpath(os.path.join(ROOT, "..", "shared", "fixtures", "iceberg-trino"))
failures = 0
checks = 0
tmp = tempfile.mkdtemp()
DB = os.path.join(tmp, "db")


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def check(got, want, what):
    global checks
    checks += 1
    if got != want:
        fail(f"{what}\n--- want\n{want}\n--- got\n{got}")


def orbit(sql, db=DB):
    p = subprocess.run([ORBIT, db, "--csv", "-c", sql], capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def tree_digest(path):
    """Names, sizes and contents of every file under path."""
    h = hashlib.sha256()
    for dirpath, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            h.update(p.encode())
            h.update(open(p, "rb").read())
    return h.hexdigest()


digest_before = tree_digest(FIX)

# rows by hand from create.sql (ORDER BY every column)
SIX = """c1,c2,c3
1,2025-03-02,-50
1,2025-03-03,0
1,2025-03-04,1.5
1,2025-03-05,17
2,2025-03-03,-1
2,2025-03-04,42"""
GRANULAR = """c1,c2
1,123
2,2314
4,1292
5,12831
7,123999
8,12318231
10,1010
11,11
13,1313
14,91121"""
BY_HAND = {"no_partitioning": SIX, "partitioned_table": SIX, "partition_evolution": SIX + "\n3,2025-03-11,2",
           "granular_deletes": GRANULAR, "dangling_deletes": GRANULAR}
UNREADABLE = {"deletion_vectors": "format version 3 is not supported"}
SKIP = {"partitioned_table_with_missing_spec", "partitioned_table_with_multiple_spec",
        "partitioned_table_with_void_transform", "v_20240913/iceberg"}   # iceberg_read_test: their reads fail

tables = sorted(os.path.relpath(os.path.dirname(m), FIX)
                for m in glob.glob(os.path.join(FIX, "**", "metadata"), recursive=True))
names = {}
for t in tables:
    if t in SKIP:
        continue
    name = "t_" + t.replace("/", "_")
    names[t] = name
    got = orbit(f"CREATE EXTERNAL TABLE {name} LOCATION '{os.path.join(FIX, t)}'")
    if t in UNREADABLE:
        if UNREADABLE[t] not in got or "ERROR" not in got:
            fail(f"{t}: CREATE EXTERNAL TABLE should fail with {UNREADABLE[t]!r}: {got}")
        continue
    check(got, "CREATE TABLE", f"{t}: CREATE EXTERNAL TABLE")

for t, name in names.items():
    if t in UNREADABLE:
        continue
    path = os.path.join(FIX, t)
    ncols = orbit(f"SELECT * FROM iceberg_scan('{path}') LIMIT 0").split("\n")[0].count(",") + 1
    order = ", ".join(str(i + 1) for i in range(ncols))
    want = orbit(f"SELECT * FROM iceberg_scan('{path}') ORDER BY {order}")
    got = orbit(f"SELECT * FROM {name} ORDER BY {order}")
    check(got, want, f"{t}: rows of the external table and of iceberg_scan")
    if t in BY_HAND:
        check(got, BY_HAND[t], f"{t}: rows from create.sql")
    nrows = want.count("\n")
    check(orbit(f"SELECT count(*) FROM {name}"), f"count\n{nrows}", f"{t}: count(*)")
    # a filter on the first column: the rows iceberg_scan gives with the same filter
    first = want.split("\n")[0].split(",")[0]
    got = orbit(f"SELECT * FROM {name} WHERE {first}::text = (SELECT min({first}::text) FROM {name}) "
                f"ORDER BY {order}")
    want = orbit(f"SELECT * FROM iceberg_scan('{path}') WHERE {first}::text = "
                 f"(SELECT min({first}::text) FROM iceberg_scan('{path}')) ORDER BY {order}")
    check(got, want, f"{t}: WHERE {first} = min")

# count(*) from the manifests without deletes, exact with them (granular_deletes: 10, not the summary's 16)
got = orbit("EXPLAIN ANALYZE SELECT count(*) FROM t_no_partitioning")
if "Scan on t_no_partitioning" not in got or "loops=0" not in got or "Rows Scanned" in got:
    fail(f"count(*) of a table without deletes must not read rows:\n{got}")
got = orbit("EXPLAIN ANALYZE SELECT count(*) FROM t_granular_deletes")
if "rows=10 loops=1" not in got or "Rows Deleted: 6" not in got:
    fail(f"count(*) of a table with deletes reads its rows:\n{got}")
check(orbit("SELECT count(*) FROM t_granular_deletes"), "count\n10", "granular_deletes count(*)")
got = orbit("EXPLAIN SELECT * FROM t_granular_deletes")
if "Tier cold: iceberg table" not in got or "snapshot 178401841832651330, 2 data files, deletes apply" not in got:
    fail(f"EXPLAIN of an external table:\n{got}")
# identity partition values rule out files (partitioned_table WHERE c1 = 2: 4 of 6 files skipped)
got = orbit("EXPLAIN ANALYZE SELECT * FROM t_partitioned_table WHERE c1 = 2")
if "Units: 6 (4 pruned)" not in got or "Rows Scanned: 2" not in got:
    fail(f"partitioned_table WHERE c1 = 2 should skip 4 of 6 files:\n{got}")
check(orbit("SELECT c3 FROM t_partitioned_table WHERE c1 = 2 AND c3 > 0"), "c3\n42", "partitioned_table WHERE")
# files ruled out by scan planning (partition values through each transform, column bounds): as
# many as iceberg_scan skips with the same filter (iceberg_prune_test checks those counts), and the
# same rows
import re
for t, where in (("granular_deletes", "c1 = 2"), ("day_timestamptz_partitioning", "c2 > '2025-01-01'"),
                 ("bucket_partitioning", "col_int = 1"), ("partition_evolution", "c1 = 1"),
                 ("year_date_partitioning", "c2 < '2025-01-01'"), ("partitioning_with_null_value", "c2 IS NULL")):
    path = os.path.join(FIX, t)
    ice = orbit(f"EXPLAIN ANALYZE SELECT * FROM iceberg_scan('{path}') WHERE {where}")
    skipped = sum(int(x) for x in re.findall(r"Data files skipped by (?:partition values|column bounds): (\d+)", ice))
    files = int(re.search(r"data files: (\d+)", ice).group(1))
    got = orbit(f"EXPLAIN ANALYZE SELECT * FROM {names[t]} WHERE {where}")
    m = re.search(r"Units: (\d+) \((\d+) pruned\)", got)
    if not m or int(m.group(2)) != skipped or int(m.group(1)) != skipped + files:
        fail(f"{t} WHERE {where}: the cold tier should skip {skipped} of {skipped + files} files:\n{got}\n{ice}")
    else:
        checks += 1
    ncols = orbit(f"SELECT * FROM {names[t]} LIMIT 0").count(",") + 1
    order = ", ".join(str(i + 1) for i in range(ncols))
    check(orbit(f"SELECT * FROM {names[t]} WHERE {where} ORDER BY {order}"),
          orbit(f"SELECT * FROM iceberg_scan('{path}') WHERE ({where}) IS TRUE ORDER BY {order}"), f"{t} WHERE {where}")
# a table of one data file is not planned again with the filter: its row groups are skipped instead
got = orbit("EXPLAIN ANALYZE SELECT * FROM t_types_decimals WHERE col0 > 200")
if "Units: 1 (0 pruned)  Row Groups: 1 (1 pruned)" not in got or "rows=0 loops=1" not in got:
    fail(f"types/decimals WHERE col0 > 200 should skip its row group:\n{got}")
got = orbit("EXPLAIN ANALYZE SELECT * FROM t_granular_deletes WHERE c1 = 2")
if "Units: 2 (1 pruned)" not in got or "rows=1 loops=1" not in got:
    fail(f"granular_deletes WHERE c1 = 2 should skip one file by its bounds:\n{got}")

# DESCRIBE: the Iceberg schema's columns and types
check(orbit("DESCRIBE t_no_partitioning"),
      "column_name,data_type,is_nullable,column_default,primary_key\n"
      "c1,INTEGER,YES,,NO\nc2,DATE,YES,,NO\nc3,DOUBLE PRECISION,YES,,NO", "DESCRIBE")

# read-only: every write names the table
for sql in ("INSERT INTO t_no_partitioning VALUES (1, DATE '2025-01-01', 1)",
            "UPDATE t_no_partitioning SET c1 = 3", "DELETE FROM t_no_partitioning",
            "ALTER TABLE t_no_partitioning ADD COLUMN c9 INTEGER", "TRUNCATE t_no_partitioning",
            "COPY t_no_partitioning FROM '/dev/null'"):
    got = orbit(sql)
    if "ERROR" not in got or '"t_no_partitioning": it is an external Iceberg table, which is read-only' not in got:
        fail(f"{sql}: expected the read-only error, got {got}")
    else:
        checks += 1
got = orbit("CREATE EXTERNAL TABLE nothing_here LOCATION '/nonexistent/table'")
if "ERROR" not in got or "/nonexistent/table" not in got:
    fail(f"a missing location must fail naming it: {got}")
got = orbit("SELECT * FROM t_no_partitioning FOR VERSION AS OF 42")
if 'table "t_no_partitioning" has no snapshot 42' not in got:
    fail(f"unknown snapshot: {got}")
orbit("CREATE TABLE plain (a INTEGER)")
got = orbit("SELECT * FROM plain FOR VERSION AS OF 1")
if "needs an Iceberg table" not in got:
    fail(f"time travel on an ordinary table: {got}")
got = orbit("SHOW SNAPSHOTS plain")
if "needs an Iceberg table" not in got:
    fail(f"SHOW SNAPSHOTS of an ordinary table: {got}")

# CREATE TABLE ... USING: heap is an ordinary table, iceberg the database's own, nothing else
check(orbit("CREATE TABLE heaped (a INTEGER) USING heap"), "CREATE TABLE", "USING heap")
for sql, want in (("CREATE TABLE c1 (a INTEGER) USING columnar", 'access method "columnar" does not exist'),
                  ("CREATE TABLE c2 (a INTEGER) WITH (partition_by = 'a')", "partition_by needs USING iceberg"),
                  ("CREATE TABLE c3 (a INTEGER PRIMARY KEY) USING iceberg", "primary keys on Iceberg tables")):
    got = orbit(sql)
    if "ERROR" not in got or want not in got:
        fail(f"{sql}: expected {want!r}, got {got}")
    else:
        checks += 1

# time travel and SHOW SNAPSHOTS against the metadata as python reads it
for t in ("granular_deletes", "partition_evolution", "no_partitioning"):
    path = os.path.join(FIX, t)
    meta = json.load(open(sorted(glob.glob(os.path.join(path, "metadata", "*.metadata.json")))[-1]))
    snaps = sorted(meta["snapshots"], key=lambda s: (s["timestamp-ms"], s["sequence-number"]))
    lines = ["snapshot_id,parent_id,operation,sequence_number,total_records,is_current"]
    for s in snaps:
        par = s.get("parent-snapshot-id")
        lines.append(f"{s['snapshot-id']},{'' if par is None else par},{s['summary']['operation']},"
                     f"{s['sequence-number']},{s['summary'].get('total-records', '')},"
                     f"{'t' if s['snapshot-id'] == meta['current-snapshot-id'] else 'f'}")
    got = orbit(f"SHOW SNAPSHOTS t_{t}").split("\n")
    cols = got[0].split(",")
    pick = [cols.index(c) for c in lines[0].split(",")]
    got = [",".join(r.split(",")[i] for i in pick) for r in got]
    check("\n".join(got), "\n".join(lines), f"{t}: SHOW SNAPSHOTS")
    for s in snaps:
        sid = s["snapshot-id"]
        want = orbit(f"SELECT count(*) FROM iceberg_scan('{path}', snapshot_id => {sid})")
        check(orbit(f"SELECT count(*) FROM t_{t} FOR VERSION AS OF {sid}"), want, f"{t} FOR VERSION AS OF {sid}")
        # the snapshot's own commit time, and one millisecond before the next one
        at = datetime.datetime.fromtimestamp(s["timestamp-ms"] / 1000, datetime.timezone.utc)
        got = orbit(f"SELECT count(*) FROM t_{t} FOR SYSTEM_TIME AS OF '{at.isoformat(sep=' ')}'")
        check(got, want, f"{t} FOR SYSTEM_TIME AS OF {at} (snapshot {sid})")
    first = datetime.datetime.fromtimestamp((snaps[0]["timestamp-ms"] - 1) / 1000, datetime.timezone.utc)
    got = orbit(f"SELECT * FROM t_{t} FOR SYSTEM_TIME AS OF '{first.isoformat(sep=' ')}'")
    if "has no snapshot at" not in got or "its first snapshot was committed at" not in got:
        fail(f"{t}: time travel before the first snapshot: {got}")
    else:
        checks += 1
# granular_deletes at its third snapshot: the 16 rows create.sql's two INSERTs wrote
written = [12, 123, 2314, 9, 1292, 12831, 12381, 123999, 12318231, 999, 1010, 11, 1212, 1313, 91121, 182222]
check(orbit("SELECT count(*), sum(c2) FROM t_granular_deletes FOR VERSION AS OF 3996757342531696884 AS g"),
      f"count,sum\n16,{sum(written)}", "granular_deletes before its delete")
got = orbit("EXPLAIN SELECT * FROM t_granular_deletes FOR VERSION AS OF 3996757342531696884")
if "Snapshot: 3996757342531696884" not in got:
    fail(f"EXPLAIN of time travel names the snapshot:\n{got}")

# persistence: after a checkpoint and reopen the tables are still there; DROP only detaches
orbit("CHECKPOINT")
check(orbit("SELECT count(*) FROM t_partition_evolution"), "count\n7", "after CHECKPOINT and reopen")
check(orbit("SHOW TABLES").split("\n").count("t_no_partitioning"), 1, "SHOW TABLES lists the external table")
check(orbit("DROP TABLE t_no_partitioning"), "DROP TABLE", "DROP TABLE of an external table")
check(orbit(f"SELECT count(*) FROM iceberg_scan('{os.path.join(FIX, 'no_partitioning')}')"), "count\n6",
      "the files are still there after DROP")
got = orbit("SELECT * FROM t_no_partitioning")
if "does not exist" not in got:
    fail(f"a dropped external table: {got}")

# another writer commits: a copy of partition_evolution whose metadata gains
# a version that makes an older snapshot current (as a rollback does); the
# attached table follows it at the next statement
copy = os.path.join(tmp, "evo")
shutil.copytree(os.path.join(FIX, "partition_evolution"), copy)
check(orbit(f"CREATE EXTERNAL TABLE evo LOCATION '{copy}'"), "CREATE TABLE", "attach a copy")
check(orbit("SELECT count(*) FROM evo"), "count\n7", "the copy before the commit")
metas = sorted(glob.glob(os.path.join(copy, "metadata", "*.metadata.json")))
m = json.load(open(metas[-1]))
cur = [s for s in m["snapshots"] if s["snapshot-id"] == m["current-snapshot-id"]][0]
parent = cur["parent-snapshot-id"]
want = orbit(f"SELECT count(*) FROM iceberg_scan('{copy}', snapshot_id => {parent})")
m["current-snapshot-id"] = parent
m["refs"]["main"]["snapshot-id"] = parent
m["snapshot-log"].append({"timestamp-ms": m["last-updated-ms"] + 1, "snapshot-id": parent})
m["last-updated-ms"] += 1
base = os.path.basename(metas[-1])
num = int(base.split("-")[0]) + 1 if "-" in base else int(base[1:].split(".")[0]) + 1
newname = f"{num:05d}-00000000-0000-0000-0000-000000000000.metadata.json" if "-" in base else f"v{num}.metadata.json"
json.dump(m, open(os.path.join(copy, "metadata", newname), "w"))
hint = os.path.join(copy, "metadata", "version-hint.text")
if os.path.exists(hint):
    open(hint, "w").write(str(num))
check(orbit("SELECT count(*) FROM evo"), want, "the attached table follows a new metadata version")
got = orbit("SHOW SNAPSHOTS evo")
if f"{parent}," not in got:
    fail(f"SHOW SNAPSHOTS after the commit: {got}")

# attached by one of its metadata files: that version, even after newer ones appear
first_meta = sorted(glob.glob(os.path.join(copy, "metadata", "*.metadata.json")))[0]
check(orbit(f"CREATE EXTERNAL TABLE evo_v1 LOCATION '{first_meta}'"), "CREATE TABLE", "attach by a metadata file")
check(orbit("SELECT count(*) FROM evo_v1"),
      orbit(f"SELECT count(*) FROM iceberg_scan('{first_meta}')"), "a table attached by its metadata file")
check(orbit("EXPLAIN SELECT * FROM evo_v1").count(first_meta), 1, "EXPLAIN names the metadata file")

# identifier-field-ids become the primary key (required c1); a double key column does not
for ids, want in (([1], "c1,INTEGER,NO,,YES"), ([1, 3], "c1,INTEGER,NO,,NO")):
    copy = os.path.join(tmp, f"ident{len(ids)}")
    shutil.copytree(os.path.join(FIX, "no_partitioning"), copy)
    meta = sorted(glob.glob(os.path.join(copy, "metadata", "*.metadata.json")))[-1]
    m = json.load(open(meta))
    sc = [x for x in m["schemas"] if x["schema-id"] == m["current-schema-id"]][0]
    sc["identifier-field-ids"] = ids
    for f in sc["fields"]:
        if f["id"] in ids:
            f["required"] = True
    json.dump(m, open(meta, "w"))
    name = f"ident{len(ids)}"
    check(orbit(f"CREATE EXTERNAL TABLE {name} LOCATION '{copy}'"), "CREATE TABLE", f"attach {name}")
    check(orbit(f"DESCRIBE {name}").split("\n")[1], want, f"identifier-field-ids {ids}")

# psql over orbitd
port = 30000 + random.randrange(20000)
srv = subprocess.Popen([ORBITD, "-D", os.path.join(tmp, "srv"), "-p", str(port), "--auth", "trust"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(port), PGUSER="tester", PGDATABASE="orbit",
           PGCONNECT_TIMEOUT="5")


def psql(*cmds):
    args = ["psql", "-X"]
    for c in cmds:
        args += ["-c", c]
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    return (p.stdout + p.stderr).strip()


for _ in range(50):
    if "1" in psql("SELECT 1"):
        break
    time.sleep(0.1)
try:
    np = os.path.join(FIX, "no_partitioning")
    check(psql(f"CREATE EXTERNAL TABLE np LOCATION '{np}'"), "CREATE TABLE", "psql: CREATE EXTERNAL TABLE")
    got = psql("\\d np")
    want = """Table "public.np"
 Column |       Type       | Collation | Nullable | Default 
--------+------------------+-----------+----------+---------
 c1     | integer          |           |          | 
 c2     | date             |           |          | 
 c3     | double precision |           |          | """
    check(got.strip(), want.strip(), "psql \\d of an external table")
    got = psql("\\set VERBOSITY verbose", "DELETE FROM np")
    if "ERROR:  25006: cannot delete from \"np\"" not in got:
        fail(f"psql: DELETE from an external table: {got}")
    check(psql("SELECT count(*) FROM np").split("\n")[2].strip(), "6", "psql: count(*)")
finally:
    srv.terminate()
    srv.wait()

if tree_digest(FIX) != digest_before:
    fail("the fixtures changed")
shutil.rmtree(tmp)
print(f"{checks} checks, {failures} failures")
sys.exit(1 if failures else 0)
