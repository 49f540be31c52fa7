"""What the SQL-level storage tests (iceberg_*_test.py) share: the orbit
shell they drive on a fresh database in a temporary folder, check counting
and failure reporting, expected errors, DuckDB through node, and where an
owned Iceberg table's files lie.

A test imports it first; the shell's path is the test's first argument:

    from sqltest import *
    check(orbit("SELECT 1"), "?column?\\n1", "select one")
    ...
    print(f"{counts.checks} checks, {counts.failures} failures")
    sys.exit(1 if counts.failures else 0)
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

ORBIT = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTEROP = os.path.join(ROOT, "tests", "interop")
tmp = tempfile.mkdtemp()
DB = os.path.join(tmp, "db")
have_node = os.path.isdir(os.path.join(INTEROP, "node_modules", "@duckdb")) and shutil.which("node")


class _Counts:
    """How many checks ran and how many failed (module state: a test's own
    helpers count with `counts.checks += 1`)."""
    checks = 0
    failures = 0


counts = _Counts()


def fail(msg):
    counts.failures += 1
    print("FAIL", msg)


def check(got, want, what):
    counts.checks += 1
    if got != want:
        if isinstance(got, list) and isinstance(want, list):   # rows: the first difference, not thousands of lines
            i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
            fail(f"{what}: {len(want)} rows wanted, {len(got)} got; first difference at {i}: "
                 f"want {want[i:i + 3]}, got {got[i:i + 3]}")
        else:
            fail(f"{what}\n--- want\n{want}\n--- got\n{got}")


def orbit(sql):
    """The shell's CSV output (and errors) for sql on the test database."""
    p = subprocess.run([ORBIT, DB, "--csv", "-c", sql], capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def expect_error(sql, want):
    got = orbit(sql)
    counts.checks += 1
    if "ERROR" not in got or want not in got:
        fail(f"{sql}: expected an error with {want!r}, got {got}")


def duckdb(sql):
    p = subprocess.run(["node", "duckdb_csv.mjs", sql], cwd=INTEROP, capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def table_dir(name):
    return os.path.join(DB, "warehouse", "public", name)


def files(name):
    """Every path under the table's folder (files and folders)."""
    return sorted(glob.glob(os.path.join(table_dir(name), "**", "*"), recursive=True))


# --- an owned table's Iceberg metadata, and other readers on its files ---------------
def metadata(name):
    d = os.path.join(table_dir(name), "metadata")
    v = open(os.path.join(d, "version-hint.text")).read().strip()
    return json.load(open(os.path.join(d, f"v{v}.metadata.json")))


def current(name):
    m = metadata(name)
    return next(s for s in m["snapshots"] if s["snapshot-id"] == m["current-snapshot-id"]), m


def rows_of(out):
    """Orbit's CSV (header first) or psql's -At output as a list of lines."""
    lines = [l for l in out.splitlines() if l]
    return lines[1:] if lines and lines[0].startswith("id,") else lines


def interop(name, what):
    """Other readers on the table's files: the checker, and icebird's rows against ours."""
    out = os.path.join(tmp, "icebird.json")
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run(["node", "iceberg_delete_check.mjs", table_dir(name), out], cwd=INTEROP, capture_output=True, text=True)
    counts.checks += 1
    text = (p.stdout + p.stderr).strip()
    print(f"{what}: {text.splitlines()[-1] if text else '(no output)'}")
    if p.returncode != 0 or "0 failures" not in text:
        fail(f"{what}: iceberg_delete_check.mjs\n{text}")
    if os.path.exists(out):
        # Orbit's CSV shows NULL as an empty field
        ib = sorted(json.dumps(["" if x is None else x for x in json.loads(r)], separators=(",", ":")) for r in json.load(open(out)))
        ours = sorted(json.dumps(l.split(",", 2), separators=(",", ":")) for l in
                      rows_of(orbit(f"SELECT id, k, v FROM {name} ORDER BY id")))
        check(ib, ours, f"{what}: icebird's rows (deletes applied by icebird) vs Orbit's")
