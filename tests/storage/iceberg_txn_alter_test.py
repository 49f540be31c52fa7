#!/usr/bin/env python3
"""ALTER TABLE of the database's own Iceberg tables inside transaction
blocks (storage/cold/cold_stage.h): the changes are staged with the
block's rows and published at COMMIT in the same new metadata file as the
block's snapshot, whose data files are written with the new schema and
partition spec; ROLLBACK leaves the table's folder exactly as it was.

Checked here from the outside: the metadata files (one new version per
committed block, the snapshot naming the new schema), readers no one here
wrote (iceberg_evolve_check.mjs: avsc on the manifests, DuckDB on the data
files' Parquet field ids, icebird on the whole table; iceberg_delete_check.mjs
with deletes), and another writer committing to the table while the block
runs: a schema change there makes COMMIT fail with 40001 and publish
nothing, a change that leaves the schema alone is merged on retry.  The
block's own view of its changes, savepoints and PostgreSQL's answers are in
tests/sql/iceberg_txn_ddl.test.

usage: iceberg_txn_alter_test.py ORBIT_SHELL ORBITD"""
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import time

from sqltest import *  # noqa: F401,F403 (ORBIT, DB, check, orbit, ...: shared by the SQL storage tests)

ORBITD = sys.argv[2]


def session(*stmts):
    p = subprocess.run([ORBIT, DB, "--csv"], input="".join(s + ";\n" for s in stmts), capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def versions(name):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(table_dir(name), "metadata", "v*.metadata.json")))


def evolve_check(name):
    p = subprocess.run(["node", "iceberg_evolve_check.mjs", table_dir(name)], cwd=INTEROP, capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except ValueError:
        fail(f"iceberg_evolve_check.mjs {name}: {p.stdout} {p.stderr}")
        return None


def norm(v):
    if v is None:
        return ""
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def other_writer(name, change):
    """Another engine's commit: the next metadata version, made from the
    current one by change(m), published as Iceberg's file-system tables do."""
    d = os.path.join(table_dir(name), "metadata")
    v = int(open(os.path.join(d, "version-hint.text")).read().strip())
    m = json.load(open(os.path.join(d, f"v{v}.metadata.json")))
    m["metadata-log"] = m.get("metadata-log", []) + [
        {"timestamp-ms": m["last-updated-ms"], "metadata-file": os.path.join(d, f"v{v}.metadata.json")}]
    m["last-updated-ms"] += 1
    change(m)
    with open(os.path.join(d, f"v{v + 1}.metadata.json"), "x") as f:
        json.dump(m, f)
    with open(os.path.join(d, "version-hint.text"), "w") as f:
        f.write(str(v + 1))


def add_column(m, name):
    """A new column in a new current schema (another engine's ADD COLUMN)."""
    cur = next(s for s in m["schemas"] if s["schema-id"] == m["current-schema-id"])
    new = json.loads(json.dumps(cur))
    new["schema-id"] = max(s["schema-id"] for s in m["schemas"]) + 1
    m["last-column-id"] += 1
    new["fields"].append({"id": m["last-column-id"], "name": name, "required": False, "type": "int"})
    m["schemas"].append(new)
    m["current-schema-id"] = new["schema-id"]


def set_property(m):
    m.setdefault("properties", {})["other.writer"] = "was here"


def block_with_other_writer(env, name, stmts, change):
    """Run stmts in a block over psql (which runs each line as it reads it);
    once they ran (a marker file the block writes says so), another writer
    commits change; then COMMIT.  The block's output."""
    marker = os.path.join(tmp, "marker.csv")
    if os.path.exists(marker):
        os.remove(marker)
    p = subprocess.Popen(["psql", "-X", "-At", "-v", "VERBOSITY=verbose"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    p.stdin.write("".join(s + ";\n" for s in ["BEGIN"] + stmts + [f"COPY (SELECT 1) TO '{marker}'"]))
    p.stdin.flush()
    deadline = time.time() + 60
    while not os.path.exists(marker) and time.time() < deadline and p.poll() is None:
        time.sleep(0.05)
    counts.checks += 1
    if not os.path.exists(marker):
        fail(f"the block did not run: {p.poll()}")
    time.sleep(0.2)   # the COPY's file is written before its statement ends
    other_writer(name, change)
    out, _ = p.communicate("COMMIT;\n", timeout=120)
    return out.strip()


COLS = "(id BIGINT NOT NULL, k TEXT, v INTEGER)"
try:
    # ============================================ a committed block: rows, columns and spec in one commit
    check(orbit(f"CREATE TABLE ea {COLS} USING iceberg WITH (partition_by = 'k')"), "CREATE TABLE", "create ea")
    check(orbit("INSERT INTO ea VALUES (1, 'a', 10), (2, 'b', 20)"), "INSERT 0 2", "rows before")
    before = versions("ea")
    out = session("BEGIN",
                  "INSERT INTO ea VALUES (3, 'a', 30)",
                  "ALTER TABLE ea ADD COLUMN z TEXT",
                  "INSERT INTO ea VALUES (4, 'b', 40, 'four')",
                  "ALTER TABLE ea ALTER COLUMN v TYPE BIGINT",
                  "ALTER TABLE ea RENAME COLUMN z TO note",
                  "ALTER TABLE ea SET PARTITION BY 'bucket(4, id)'",
                  "INSERT INTO ea VALUES (5, 'c', 5000000000, 'five')",
                  "COMMIT")
    check("ERROR" in out, False, f"the block runs: {out}")
    check(len(versions("ea")), len(before) + 1, "one new metadata version for the whole block")
    snap, m = current("ea")
    check(snap["schema-id"], m["current-schema-id"], "the block's snapshot names the new schema")
    check(snap["summary"]["operation"], "append", "the block's snapshot is an append")
    check(snap["summary"]["added-records"], "3", "with the block's three rows")
    cur = next(s for s in m["schemas"] if s["schema-id"] == m["current-schema-id"])
    check([(f["id"], f["name"], f["type"]) for f in cur["fields"]],
          [(1, "id", "long"), (2, "k", "string"), (3, "v", "long"), (4, "note", "string")], "the new schema")
    spec = next(s for s in m["partition-specs"] if s["spec-id"] == m["default-spec-id"])
    check([(f["transform"], f["source-id"]) for f in spec["fields"]], [("bucket[4]", 1)], "the new default spec")
    if have_node:
        r = evolve_check("ea")
        if r:
            check(r["failures"], [], "ea: avsc and DuckDB checks of manifests and data files")
            # the two files of before with the old spec, every file of the block with the new one
            check(sorted(r["specs"])[:3], [0, 0, 1], "ea: the block's files written with the new spec")
            rows = orbit("SELECT id, k, v, note FROM ea ORDER BY id").split("\n")[1:]
            if isinstance(r["icebird"], str):
                fail(r["icebird"])
            else:
                ib = sorted((norm(x.get("id")), norm(x.get("k")), norm(x.get("v")), norm(x.get("note")))
                            for x in r["icebird"])
                check(ib, sorted(tuple(l.split(",")) for l in rows), "icebird reads the table as Orbit does")
        check(duckdb(f"SELECT count(*) AS n FROM read_parquet('{table_dir('ea')}/data/**/*.parquet') ").strip(),
              "n\n5", "DuckDB reads every data file")

    # ============================================ ROLLBACK: nothing reaches the folder
    files_before = files("ea")
    out = session("BEGIN", "ALTER TABLE ea DROP COLUMN note", "ALTER TABLE ea ADD COLUMN w INTEGER",
                  "INSERT INTO ea VALUES (6, 'd', 60, 6)", "ROLLBACK")
    check("ERROR" in out, False, f"the rolled back block runs: {out}")
    check(files("ea"), files_before, "ROLLBACK leaves the table's folder as it was")
    check(orbit("SELECT id, note FROM ea WHERE id = 4"), "id,note\n4,four", "the columns as they were")
    # a client that leaves without COMMIT
    out = session("BEGIN", "ALTER TABLE ea ADD COLUMN w INTEGER", "INSERT INTO ea VALUES (6, 'd', 60, 'six', 6)")
    check(files("ea"), files_before, "a block never committed leaves the folder as it was")

    # ============================================ a block of changes alone: one metadata commit, no snapshot
    snaps = len(metadata("ea")["snapshots"])
    check(session("BEGIN", "ALTER TABLE ea ADD COLUMN w INTEGER", "ALTER TABLE ea RENAME COLUMN w TO ww", "COMMIT"),
          "BEGIN\nALTER TABLE\nALTER TABLE\nCOMMIT", "changes alone")
    check(len(versions("ea")), len(before) + 2, "one more metadata version")
    check(len(metadata("ea")["snapshots"]), snaps, "and no snapshot")
    check(orbit("SELECT id, ww FROM ea WHERE id = 1"), "id,ww\n1,", "the new column")

    # ============================================ deletes and changes together; icebird applies the deletes
    check(orbit(f"CREATE TABLE ed {COLS} USING iceberg"), "CREATE TABLE", "create ed")
    check(orbit("INSERT INTO ed VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)"), "INSERT 0 3", "ed rows")
    out = session("BEGIN", "ALTER TABLE ed ALTER COLUMN v TYPE BIGINT", "DELETE FROM ed WHERE id = 2",
                  "UPDATE ed SET v = 7000000000 WHERE id = 3", "ALTER TABLE ed ADD COLUMN z TEXT", "COMMIT")
    check("ERROR" in out, False, f"the block with deletes runs: {out}")
    snap, m = current("ed")
    check((snap["summary"]["operation"], snap["schema-id"]), ("overwrite", m["current-schema-id"]),
          "deletes, rows and schema in one snapshot")
    check(orbit("SELECT id, k, v, z FROM ed ORDER BY id"), "id,k,v,z\n1,a,10,\n3,c,7000000000,", "ed after")
    if have_node:
        interop("ed", "ed after a block with deletes and schema changes")

    # ============================================ another writer meanwhile (over orbitd: psql runs a
    # block a line at a time, so that the other writer can commit between its statements and COMMIT)
    port = 30000 + random.randrange(20000)
    srv = subprocess.Popen([ORBITD, "-D", DB, "-p", str(port), "--auth", "trust"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(port), PGUSER="tester", PGDATABASE="orbit",
               PGCONNECT_TIMEOUT="5")
    try:
        for _ in range(100):
            if subprocess.run(["psql", "-X", "-At", "-c", "SELECT 1"], capture_output=True, text=True,
                              env=env).stdout.strip() == "1":
                break
            time.sleep(0.1)
        # a schema change by another engine: COMMIT fails with 40001, the block publishes nothing
        vs = versions("ed")
        out = block_with_other_writer(env, "ed", ["ALTER TABLE ed ADD COLUMN w INTEGER",
                                                  "INSERT INTO ed VALUES (4, 'd', 40, 'x', 4)"],
                                      lambda m: add_column(m, "ext"))
        check("ERROR:  40001" in out, True, f"another writer's schema change: COMMIT fails with 40001 ({out})")
        check(len(versions("ed")), len(vs) + 1, "only the other writer's metadata version")
        # the same with changes alone
        vs = versions("ed")
        out = block_with_other_writer(env, "ed", ["ALTER TABLE ed ADD COLUMN w INTEGER"],
                                      lambda m: add_column(m, "ext2"))
        check("ERROR:  40001" in out, True, f"changes alone over another writer's schema change: 40001 ({out})")
        check(len(versions("ed")), len(vs) + 1, "only the other writer's metadata version (changes alone)")
        # a change that leaves the schema alone (a property): taken in on the retry
        vs = versions("ed")
        out = block_with_other_writer(env, "ed", ["ALTER TABLE ed ADD COLUMN w INTEGER",
                                                  "INSERT INTO ed (id, k, v, z, w) VALUES (4, 'd', 40, 'x', 4)"],
                                      set_property)
        check("ERROR" in out, False, f"another writer's property: the block commits ({out})")
        check(len(versions("ed")), len(vs) + 2, "the other writer's version and the block's")
    finally:
        srv.terminate()
        srv.wait()
    # the next open takes the other writer's columns into the catalog (cold_schema_reconcile)
    m = metadata("ed")
    check(m["properties"].get("other.writer"), "was here", "the other writer's property kept")
    check(orbit("SELECT * FROM ed ORDER BY id"), "id,k,v,z,ext,ext2,w\n1,a,10,,,,\n3,c,7000000000,,,,\n4,d,40,x,,,4",
          "the block's column and row, the other writer's columns")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{counts.checks} checks, {counts.failures} failures")
sys.exit(1 if counts.failures else 0)
