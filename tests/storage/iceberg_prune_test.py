#!/usr/bin/env python3
"""Filter pushdown into Iceberg scan planning, over ../shared/fixtures/iceberg-trino.

For every (table, WHERE) below:
  - the rows are exactly those of the same query whose WHERE is wrapped as
    `(where) IS TRUE` (the same filter, but not a constraint the planner
    hands to the scan: nothing is pruned, as its EXPLAIN shows);
  - SELECT count(*) with the WHERE gives the same number (partly from
    manifest record counts when whole files match);
  - where given, EXPLAIN ANALYZE reports the skips the fixture's partitions
    and column bounds imply: manifests skipped by partition summaries, data
    files skipped by partition values and by column bounds, and data files
    counted from metadata by COUNT(*).  Each expectation is worked out in
    the comment beside it from the table's create.sql (the data files are
    one per partition, as Trino writes them).

usage: iceberg_prune_test.py ORBIT_SHELL"""
import os
import re
import subprocess
import sys
import tempfile

ORBIT = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.realpath(os.path.join(ROOT, "..", "shared", "fixtures", "iceberg-trino"))
tmp = tempfile.mkdtemp()
DB = os.path.join(tmp, "db")
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def orbit(sql):
    p = subprocess.run([ORBIT, DB, "--csv", "-c", sql], capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def explain_figures(text):
    """The pruning figures of an EXPLAIN ANALYZE."""
    f = {}
    for key, pat in (("manifests_skipped", r"Manifests skipped by partition summaries: (\d+)"),
                     ("by_partition", r"Data files skipped by partition values: (\d+)"),
                     ("by_bounds", r"Data files skipped by column bounds: (\d+)"),
                     ("files_read", r"data files: (\d+),"),
                     ("rows_read", r"Rows read: (\d+)"),
                     ("counted_files", r"from manifest record counts.*?(\d+) data files|of (\d+) data files from manifest")):
        m = re.search(pat, text)
        if m:
            f[key] = int(next(g for g in m.groups() if g is not None))
    return f


def unpruned(where):
    """The same filter wrapped so that the planner cannot hand it to the scan."""
    return f"({where}) IS TRUE"


# (table, WHERE, expected figures of SELECT * (manifests_skipped, by_partition, by_bounds),
#  expected data files counted from metadata by count(*), or None where not checked)
CASES = [
    # partitioned_table: six files, identity c1 and c2 (one row each)
    ("partitioned_table", "c1 = 2", (0, 4, 0), 2),            # the two c1=2 files; identity proves every row
    ("partitioned_table", "c2 >= DATE '2025-03-04'", (0, 3, 0), 3),   # 03-04 (two files) and 03-05
    ("partitioned_table", "c1 = 1 AND c3 > 0", (0, 2, 2), 2),  # c1=1: 4 files; c3 0.0 and -50 fail their bounds
    ("partitioned_table", "c1 IN (2, 7)", (0, 4, 0), 2),
    ("partitioned_table", "c3 = 42", (0, 0, 5), 1),            # c3 bounds: one file holds 42
    ("partitioned_table", "c1 IS NULL", (1, 0, 0), 0),      # the manifest's summary: c1 never NULL
    # NULL partition values: c1 NULL in two files, c2 NULL in two
    ("partitioning_with_null_value", "c1 IS NULL", (0, 2, 0), 2),
    ("partitioning_with_null_value", "c1 IS NOT NULL AND c2 IS NOT NULL", (0, 3, 0), 1),
    ("partitioning_with_null_value", "c1 < 5", (0, 2, 0), 2),  # NULL is no partition of c1 < 5
    # year(c2) of timestamps: files of 2025 (2 rows) and 2024 (1 row)
    ("year_timestamp_partitioning", "c2 >= TIMESTAMP '2025-01-01 00:00:00'", (0, 1, 0), 1),
    ("year_timestamp_partitioning", "c2 < TIMESTAMP '2025-03-03 22:30:00'", (0, 0, 0), 1),   # 2024 counts; 2025 is read
    ("year_timestamp_partitioning", "c2 = TIMESTAMP '2025-03-03 22:00:00'", (0, 1, 0), 0),
    ("year_timestamp_partitioning", "c2 > TIMESTAMP '2025-03-03 23:00:00'", (0, 1, 1), 0),  # > the 2025 file's upper bound
    # day/hour/month of timestamptz: files of 2025-03-03 23:00, 2024-03-03 23:52, NULL
    ("day_timestamptz_partitioning", "c2 IS NULL", (0, 2, 0), 1),
    ("day_timestamptz_partitioning", "c2 > TIMESTAMPTZ '2025-03-03 00:00:00+00'", (0, 2, 0), 1),
    ("day_timestamptz_partitioning", "c2 <= TIMESTAMPTZ '2024-03-03 23:59:00+00'", (0, 2, 0), 1),
    ("hour_timestamptz_partitioning", "c2 = TIMESTAMPTZ '2024-03-03 23:52:00+00'", (0, 2, 0), 1),
    ("hour_timestamptz_partitioning", "c2 = TIMESTAMPTZ '2024-03-03 23:00:00+00'", (0, 2, 1), 0),  # same hour, not in bounds
    ("month_timestamptz_partitioning", "c2 < TIMESTAMPTZ '2025-03-01 00:00:00+00'", (0, 1, 1), 1),  # March 2025 is after
    ("month_timestamptz_partitioning", "c2 IN (TIMESTAMPTZ '2024-03-03 23:52:00+00', TIMESTAMPTZ '2030-01-01 00:00:00+00')",
     (0, 2, 0), 1),
    # year(c2) of dates: 2025 (two rows, one file) and 2024
    ("year_date_partitioning", "c2 BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'", (0, 1, 0), 1),
    ("year_date_partitioning", "c2 = DATE '2025-03-03'", (0, 1, 0), 1),
    # partition evolution: a spec-0 manifest (c1 in [1, 2], six files) and a spec-1 one (c3 = 2.0, one file)
    ("partition_evolution", "c1 = 3", (1, 0, 0), 1),          # the spec-0 summary says c1 <= 2
    ("partition_evolution", "c1 = 1 AND c2 = DATE '2025-03-04'", (0, 5, 1), 1),
    ("partition_evolution", "c2 IS NULL", (1, 0, 1), 0),      # no NULL in spec 0's summary, c2's null count 0
    ("partition_evolution", "c3 = 2.0", (0, 0, 6), 1),         # spec-1 summary may; spec-0 files' c3 bounds
    ("partition_evolution", "c3 > 100", (1, 0, 6), 0),
    ("partition_evolution", "c1 >= 1", (0, 0, 0), 7),
    # no partitions: one file, c1 in [1, 2]
    ("no_partitioning", "c1 = 5", (0, 0, 1), 0),
    ("no_partitioning", "c1 = 2", (0, 0, 0), 0),
    ("no_partitioning", "c1 BETWEEN 1 AND 2", (0, 0, 0), 1),
    ("no_partitioning", "c2 > DATE '2030-01-01'", (0, 0, 1), 0),
    # bucket[N] of every type, one row (one manifest, one file): its own values
    # keep the file (and its bounds, lower = upper, count it), others' buckets
    # fall outside the manifest's summary; uuids have bounds but Java orders
    # them differently, so they count by reading
    ("bucket_partitioning", "col_string = 'some-string'", (0, 0, 0), 1),
    ("bucket_partitioning", "col_string = 'other-string'", (1, 0, 0), 0),
    ("bucket_partitioning", "col_uuid = '12151fd2-7586-11e9-8f9e-2a86e4085a59'", (0, 0, 0), 0),
    ("bucket_partitioning", "col_long IN (2, 1000)", (0, 0, 0), 1),
    ("bucket_partitioning", "col_decimal = 3.00", (0, 0, 0), 1),
    ("bucket_partitioning", "col_date = DATE '2025-03-03'", (0, 0, 0), 1),
    ("bucket_partitioning", "col_date = DATE '2025-03-04'", None, 0),
    ("bucket_partitioning", "col_timestamptz = TIMESTAMPTZ '2025-03-03 00:00:00+00'", (0, 0, 0), 1),
    ("bucket_partitioning", "col_varbinary = '\\x736f6d652d76617262696e617279'::bytea", (0, 0, 0), 1),
    ("bucket_partitioning", "col_int > 5", (0, 0, 1), 0),     # bucket has no order: the bounds rule it out
    # identity of every type
    ("identity_partitioning", "col_string = 'x'", (1, 0, 0), 0),
    ("identity_partitioning", "col_double = 2.375 AND col_bool = false", (0, 0, 0), 1),
    ("identity_partitioning", "col_double > 3", (1, 0, 0), 0),
    ("identity_partitioning", "col_double < 3", (0, 0, 0), 1),
    ("identity_partitioning", "col_uuid = '12151fd2-7586-11e9-8f9e-2a86e4085a59'", (0, 0, 0), 1),
    ("identity_partitioning", "col_timestamp < TIMESTAMP '2025-03-03 00:00:00'", (1, 0, 0), 0),
    # LIKE 'prefix%' is the range [prefix, prefix with its last byte + 1):
    # identity summaries and bounds prune by it, and it is exact, so whole
    # files inside it count from metadata; other patterns are no constraint
    ("identity_partitioning", "col_string LIKE 'x%'", (1, 0, 0), 0),
    ("identity_partitioning", "col_string LIKE 'some%'", (0, 0, 0), 1),
    ("identity_partitioning", "col_string LIKE 'some-string%%'", (0, 0, 0), 1),
    ("identity_partitioning", "col_string LIKE 'somf%'", (1, 0, 0), 0),   # just past the range of 'some%'
    ("identity_partitioning", "col_string LIKE 'som_%'", None, None),   # '_': no constraint, rows read
    # <>, NOT IN, NOT LIKE 'prefix%' and ORs of constraints on one column
    # are unions of ranges and sets, exact too
    ("identity_partitioning", "col_string NOT LIKE 'x%'", (0, 0, 0), 1),
    ("identity_partitioning", "col_string <> 'some-string'", (1, 0, 0), 0),
    ("identity_partitioning", "col_string NOT IN ('x', 'some-string')", (1, 0, 0), 0),
    ("identity_partitioning", "col_double < 1 OR col_double > 3", (1, 0, 0), 0),
    ("bucket_partitioning", "col_string LIKE 'zz%' OR col_string = 'zzz'", (0, 0, 1), 0),
    ("decimal_partitioning", "col_decimal_18_2 = -5 OR col_decimal_18_2 > 1000", (0, 0, 0), 1),
    ("partition_evolution", "c1 NOT IN (1, NULL)", (1, 0, 1), 0),   # never true
    ("partition_evolution", "c1 <> 1", (0, 4, 0), 3),
    ("partition_evolution", "c1 < 2 OR c1 > 5", (0, 2, 1), 4),
    # an OR across columns: a manifest or file is skipped when every branch's
    # own constraints rule it out, and counted when one branch holds for all
    # of its rows (the branches are exact too); "skipped by column bounds"
    # when some branch needed the bounds
    ("partition_evolution", "c1 < 2 OR c3 > 5", (0, 0, 2), 5),    # c1=1 files by identity, the 42 file by bounds
    ("partition_evolution", "c1 = 3 OR c3 > 100", (0, 0, 6), 1),  # only the spec-1 file (c1 3)
    ("partition_evolution", "c1 = 2 OR c2 IS NULL", (0, 4, 1), 2),   # c2 never NULL; the spec-1 file by c1's bounds
    ("partitioned_table", "c1 = 9 OR c2 > DATE '2030-01-01'", (1, 0, 0), 0),   # both out of the manifest's summary
    ("partitioned_table", "c1 = 2 OR c3 = 42", (0, 0, 4), 2),
    # an AND inside a branch: (1, 03-04, 1.5) and (1, 03-05, 17) stay; the c1=2 files fail both
    # branches by partition, (1, 03-02, -50) and (1, 03-03, 0) the first by bounds
    ("partitioned_table", "(c1 = 1 AND c3 > 0) OR c2 >= DATE '2025-03-05'", (0, 2, 2), 2),
    ("partitioned_table", "c1 = 2 OR c3 + 0 = 42", None, None),   # a branch that is no constraint: none
    ("bucket_partitioning", "col_string LIKE 'zz%'", (0, 0, 1), 0),       # bucket has no order: the bounds
    ("bucket_partitioning", "col_string LIKE 'some%'", (0, 0, 0), 1),
    ("decimal_partitioning", "col_decimal_18_2 = -5", (0, 0, 0), 1),
    ("decimal_partitioning", "col_decimal_38_2 > 0.001", (1, 0, 0), 0),
    # deletes: counts stay exact and are never taken from files with deletes
    ("granular_deletes", "c1 >= 8", None, 0),
    ("granular_deletes", "c2 > 1000", None, 0),
    ("dangling_deletes", "c1 >= 8", None, None),
    ("w_clean_expired_metadata", "c2 IS NULL", (0, 2, 0), 1),
    ("w_clean_expired_metadata", "c2 >= TIMESTAMPTZ '2025-01-01 00:00:00+00'", (0, 2, 0), 1),
    ("types/decimals", "col0 = 125.697", None, None),
]

checked = 0
for table, where, figures, counted in CASES:
    path = os.path.join(FIX, table)
    got = orbit(f"SELECT * FROM iceberg_scan('{path}') WHERE {where}")
    ref_where = unpruned(where)
    want = orbit(f"SELECT * FROM iceberg_scan('{path}') WHERE {ref_where}")
    if "ERROR" in got or "ERROR" in want:
        fail(f"{table} WHERE {where}: {got}\n{want}")
        continue
    if sorted(got.split("\n")) != sorted(want.split("\n")):
        fail(f"{table} WHERE {where}: rows differ from the unpruned filter\n--- pruned\n{got}\n--- unpruned\n{want}")
    nrows = len(want.split("\n")) - 1
    ref_plan = orbit(f"EXPLAIN ANALYZE SELECT * FROM iceberg_scan('{path}') WHERE {ref_where}")
    if "Pruning:" in ref_plan:
        fail(f"{table} WHERE {ref_where}: the reference query was pruned:\n{ref_plan}")
    cnt = orbit(f"SELECT count(*) FROM iceberg_scan('{path}') WHERE {where}")
    if cnt != f"count\n{nrows}":
        fail(f"{table} WHERE {where}: count(*) {cnt!r}, the rows are {nrows}")
    if figures is not None:
        plan = orbit(f"EXPLAIN ANALYZE SELECT * FROM iceberg_scan('{path}') WHERE {where}")
        f = explain_figures(plan)
        have = (f.get("manifests_skipped"), f.get("by_partition"), f.get("by_bounds"))
        if have != figures:
            fail(f"{table} WHERE {where}: skipped (manifests, by partition, by bounds) {have}, expected {figures}:\n{plan}")
    if counted is not None:
        plan = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM iceberg_scan('{path}') WHERE {where}")
        f = explain_figures(plan)
        if f.get("counted_files") != counted:
            fail(f"{table} WHERE {where}: count(*) took {f.get('counted_files')} data files from metadata, "
                 f"expected {counted}:\n{plan}")
    checked += 1

# COUNT(*) wholly from metadata reads no row; a filter that is not all
# constraints (c1 + 0 = 2) reads every row, and says nothing of metadata
pe = os.path.join(FIX, "partition_evolution")
plan = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM iceberg_scan('{pe}') WHERE c1 >= 1")
if "Count: 7 rows of 7 data files from manifest record counts" not in plan or "Rows read: 0" not in plan:
    fail(f"count(*) WHERE c1 >= 1 should come from metadata alone:\n{plan}")
plan = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM iceberg_scan('{pe}') WHERE c1 + 0 >= 1")
if "manifest record counts" in plan or "Rows read: 7" not in plan:
    fail(f"count(*) WHERE c1 + 0 >= 1 must read the rows:\n{plan}")
plan = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM iceberg_scan('{pe}') WHERE c1 >= 1 AND c3 + 0 > 0")
if "manifest record counts" in plan:
    fail(f"count(*) with a conjunct that is no constraint must read the rows:\n{plan}")
got = orbit(f"SELECT count(*) FROM iceberg_scan('{pe}') WHERE c1 >= 1 AND c3 + 0 > 0")
if got != "count\n4":   # 1.5, 42, 17, 2.0
    fail(f"count(*) WHERE c1 >= 1 AND c3 + 0 > 0: {got}")
# granular_deletes: 16 rows written, 6 deleted; a count by metadata would say 16
g = os.path.join(FIX, "granular_deletes")
got = orbit(f"SELECT count(*) FROM iceberg_scan('{g}') WHERE c1 >= 0")
if got != "count\n10":
    fail(f"granular_deletes count(*) WHERE c1 >= 0: {got}")

# LIKE 'prefix%' on an owned table of five data files (one per insert, each
# a range of words): the scan skips the files outside the prefix's range,
# and the rows are DuckDB's over the same Parquet files
orbit("CREATE TABLE words (w TEXT, n INT) USING iceberg")
for k, stem in enumerate(["apple", "banana", "cherry", "chestnut", "date"]):
    orbit("INSERT INTO words VALUES " + ", ".join(f"('{stem}-{i:02d}', {k * 100 + i})" for i in range(20)))
data = os.path.join(DB, "warehouse", "public", "words", "data")
duck = os.path.join(ROOT, "tests", "interop", "duckdb_csv.mjs")
like_checked = 0
for where, pruned in (("w LIKE 'ch%'", 3), ("w LIKE 'che%' AND n > 250", 4), ("w LIKE 'b%'", 4),
                      ("w LIKE 'z%'", 5), ("w LIKE '%rry%'", 0), ("w LIKE 'c_e%'", 0),
                      ("w NOT LIKE 'ch%'", 2), ("w LIKE 'a%' OR w LIKE 'd%'", 3), ("w <> 'apple-00'", 0),
                      ("n < 50 OR n >= 400", 3), ("n BETWEEN 100 AND 119 OR n BETWEEN 300 AND 310", 3),
                      ("n NOT IN (5, 7)", 0), ("n < 50 OR w LIKE 'd%'", 3), ("n < 50 OR w LIKE 'd%' OR n = 210", 2),
                      ("n < 50 OR lower(w) LIKE 'd%'", 0),
                      # ILIKE 'prefix%': one range per case variant of the prefix (cut before an
                      # i or k, whose variants include U+0130 and U+212A), never counted from metadata
                      ("w ILIKE 'CH%'", 3), ("w ILIKE 'cHe%' AND n > 250", 4), ("w ILIKE 'chi%'", 3),
                      ("w ILIKE 'Ap%' OR n = 410", 3), ("w NOT ILIKE 'ch%'", 0), ("w ILIKE '_h%'", 0)):
    plan = orbit(f"EXPLAIN ANALYZE SELECT * FROM words WHERE {where}")
    m = re.search(r"Units: (\d+) \((\d+) pruned\)", plan)
    got_pruned = int(m.group(2)) if m else 0
    if not m and pruned:
        fail(f"words WHERE {where}: no pruning figures:\n{plan}")
    elif got_pruned != pruned:
        fail(f"words WHERE {where}: {got_pruned} data files pruned, expected {pruned}:\n{plan}")
    ours = orbit(f"SELECT w, n FROM words WHERE {where} ORDER BY n")
    p = subprocess.run(["node", duck, f"SELECT w, n FROM read_parquet('{data}/**/*.parquet') WHERE {where} ORDER BY n"],
                       capture_output=True, text=True, cwd=os.path.join(ROOT, "tests", "interop"))
    theirs = p.stdout.strip()
    if ours != theirs:
        fail(f"words WHERE {where}: rows differ from DuckDB's\n--- orbit\n{ours}\n--- duckdb\n{theirs}")
    like_checked += 1

# ILIKE over mixed case, one file per word: the variants' ranges keep exactly the right files,
# and COUNT(*) reads them (the ranges hold more than ILIKE matches: no count from metadata)
orbit("CREATE TABLE mixed (w TEXT) USING iceberg")
for word in ["Apple", "cHerry", "ZEBRA", "chai", "Kelvin"]:
    orbit(f"INSERT INTO mixed VALUES ('{word}')")
orbit("INSERT INTO mixed VALUES ('\u212aelvin')")   # U+212A KELVIN SIGN: lower() is 'k'
for where, rows, pruned in (("w ILIKE 'CHE%'", "cHerry", 5), ("w ILIKE 'apP%'", "Apple", 5), ("w ILIKE 'ch%'", "cHerry\nchai", 4),
                            ("w ILIKE 'kel%'", "Kelvin\n\u212aelvin", 0), ("w ILIKE 'Z%'", "ZEBRA", 5)):
    got = orbit(f"SELECT w FROM mixed WHERE {where} ORDER BY w")
    if got != "w\n" + rows:
        fail(f"mixed WHERE {where}: {got!r}, expected {rows!r}")
    plan = orbit(f"EXPLAIN ANALYZE SELECT * FROM mixed WHERE {where}")
    m = re.search(r"Units: (\d+) \((\d+) pruned\)", plan)
    if (int(m.group(2)) if m else 0) != pruned:
        fail(f"mixed WHERE {where}: expected {pruned} files pruned:\n{plan}")
    cnt = orbit(f"SELECT count(*) FROM mixed WHERE {where}")
    if cnt != f"count\n{len(rows.split(chr(10)))}":
        fail(f"mixed count(*) WHERE {where}: {cnt}")
    like_checked += 1

print(f"{checked} filters checked against the unpruned filter, {like_checked} LIKE, OR and <> filters against DuckDB")
if failures:
    print(f"{failures} failures")
    sys.exit(1)
print("ok")
