#!/usr/bin/env python3
"""Iceberg tables written by Orbit, checked by readers no one here wrote.

tests/storage/ice_write_tool.c writes a table of every supported type
(NULLs, NaN, infinities, -0.0, empty and long multibyte strings, 0xff
bytes, integer extremes) in several appends and prints the rows it wrote;
tests/interop/iceberg_write_check.mjs then decodes every manifest list and
manifest with avsc and reads every data file with DuckDB (field ids, rows,
metrics, bounds, counts and totals; for partitioned tables the Hive-style
folders and every row's transform recomputed by DuckDB against the file's
partition tuple), and npm icebird reads the whole table through its
metadata when it is installed.  Tables: files rolling at a small target
size (several files and row groups per append), the defaults, and three
partitioned by identity, truncate, day, month, year, bucket and void.

Then Orbit's own scan (iceberg_scan, whose planning prunes manifests, files
and row groups by the partition summaries, partition tuples and bounds
written here) counts rows under filters; the counts must equal those of
the rows written and those of the same filter with pruning defeated
(wrapped in IS TRUE).

usage: iceberg_write_test.py ICE_WRITE_TOOL ORBIT_SHELL"""
import os
import shutil
import subprocess
import sys
import tempfile

import json

TOOL = sys.argv[1]
ORBIT = sys.argv[2] if len(sys.argv) > 2 else None
FILTERS = (   # SQL, and the same test on a written row (JSON from ice_write_tool)
    ("id BETWEEN 100 AND 199", lambda r: 100 <= r["id"] <= 199),
    ("b", lambda r: r["b"] is True),
    ("i32 > 500000000", lambda r: r["i32"] is not None and r["i32"] > 500000000),
    ("txt >= 'row-5'", lambda r: r["txt"] is not None and bytes.fromhex(r["txt"]) >= b"row-5"),
    ("f64 < 10", lambda r: r["f64"] is not None and float(r["f64"]) < 10),   # "-Infinity" counts, "NaN" not
    ("d IS NULL", lambda r: r["d"] is None),
)


def orbit_count(db, table, cond):
    p = subprocess.run([ORBIT, db, "--csv", "-c", f"SELECT count(*) FROM iceberg_scan('{table}') WHERE {cond}"],
                       capture_output=True, text=True)
    out = (p.stdout + p.stderr).strip().splitlines()
    return out[-1] if out else "(nothing)"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTEROP = os.path.join(ROOT, "tests", "interop")
tmp = tempfile.mkdtemp()
failures = 0
try:
    for name, appends, rows, target, spec, props in (
            ("rolling", 3, 2500, "8000", None, None), ("defaults", 2, 6000, None, None, None),
            # manifests merged on commit once three are listed (Java's MergeAppend; default 100)
            ("merged", 7, 200, "0", "", "commit.manifest.min-count-to-merge=3"),
            ("merged_partitioned", 5, 200, "0", "bucket(4, u)", "commit.manifest.min-count-to-merge=2"),
            ("day_bucket", 2, 300, "0", "truncate(3, txt), day(ts), b, bucket(4, u)", None),
            ("month_year_truncate", 1, 300, "0", "month(tstz), year(d), truncate(4, i32), truncate(2, bin), void(f64)",
             None),
            ("identity", 1, 150, "0", "identity(d), txt, dec, u, ts, f32", None)):
        table = os.path.join(tmp, name)
        expected = os.path.join(tmp, name + ".jsonl")
        args = ([TOOL, table, str(appends), str(rows)] + ([target] if target else []) +
                ([spec] if spec is not None else []) + ([props] if props else []))
        with open(expected, "w") as out:
            p = subprocess.run(args, stdout=out, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            print("FAIL", name, "ice_write_tool:", p.stderr.strip())
            failures += 1
            continue
        p = subprocess.run(["node", "iceberg_write_check.mjs", table, expected], cwd=INTEROP, capture_output=True,
                           text=True)
        print(name + ":", (p.stdout + p.stderr).strip())
        if p.returncode != 0 or "ok " not in p.stdout:
            failures += 1
        if ORBIT:
            with open(expected) as f:
                rows = [json.loads(line) for line in f]
            db = os.path.join(tmp, "db")
            before = failures
            for cond, test in FILTERS:
                want = str(sum(1 for r in rows if test(r)))
                pruned = orbit_count(db, table, cond)
                plain = orbit_count(db, table, f"({cond}) IS TRUE")
                if pruned != want or plain != want:
                    print("FAIL", name, cond, "pruned", pruned, "unpruned", plain, "written", want)
                    failures += 1
            if failures == before:
                print(name + ": iceberg_scan counts under", len(FILTERS), "filters agree")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("iceberg_write_interop:", "FAILED" if failures else "ok")
sys.exit(1 if failures else 0)
