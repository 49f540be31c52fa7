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

usage: iceberg_write_test.py ICE_WRITE_TOOL"""
import os
import shutil
import subprocess
import sys
import tempfile

TOOL = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTEROP = os.path.join(ROOT, "tests", "interop")
tmp = tempfile.mkdtemp()
failures = 0
try:
    for name, appends, rows, target, spec in (
            ("rolling", 3, 2500, "8000", None), ("defaults", 2, 6000, None, None),
            ("day_bucket", 2, 300, "0", "truncate(3, txt), day(ts), b, bucket(4, u)"),
            ("month_year_truncate", 1, 300, "0", "month(tstz), year(d), truncate(4, i32), truncate(2, bin), void(f64)"),
            ("identity", 1, 150, "0", "identity(d), txt, dec, u, ts, f32")):
        table = os.path.join(tmp, name)
        expected = os.path.join(tmp, name + ".jsonl")
        args = [TOOL, table, str(appends), str(rows)] + ([target] if target else []) + ([spec] if spec else [])
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
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("iceberg_write_interop:", "FAILED" if failures else "ok")
sys.exit(1 if failures else 0)
