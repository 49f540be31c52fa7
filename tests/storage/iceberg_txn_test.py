#!/usr/bin/env python3
"""Writes to the database's own Iceberg tables inside transaction blocks
(storage/cold/cold_stage.h): INSERT, COPY FROM, DELETE and UPDATE between
BEGIN and COMMIT are staged and committed as one Iceberg snapshot per
table; ROLLBACK, ROLLBACK TO SAVEPOINT, an error that aborts the block and
a client that leaves without COMMIT leave the table's metadata and folder
exactly as they were.  ALTER TABLE in a block: iceberg_txn_alter_test.py.

Every block runs twice, on an Iceberg table and on an ordinary (hot)
table of the same columns: the command tags the block prints (its reads
of its own changes included) and the rows after it must agree.  Then the
table's snapshots are checked (one per committed block, its operation and
summary counts) and its files by readers no one here wrote: DuckDB reads
the data files of an append-only table, and iceberg_delete_check.mjs
(avsc, DuckDB, npm icebird applying the position deletes itself) a table
with deletes.  Two sessions and the 40001 conflict at COMMIT are in
tests/txn/test_isolation.c.

usage: iceberg_txn_test.py ORBIT_SHELL"""
import os
import subprocess
import sys

from sqltest import *  # noqa: F401,F403 (ORBIT, DB, check, orbit, ...: shared by the SQL storage tests)


def session(*stmts):
    """One shell session running stmts in order (a client that ends without
    COMMIT leaves its block open: the shell's exit rolls it back)."""
    p = subprocess.run([ORBIT, DB, "--csv"], input="".join(s + ";\n" for s in stmts), capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def snapshots(name):
    return metadata(name)["snapshots"]


def twin(cold, hot, stmts, what):
    """Run the block on both tables: same output, same rows after; the Iceberg table's output."""
    out = session(*(s.format(t=cold) for s in stmts))
    check(out, session(*(s.format(t=hot) for s in stmts)), f"{what}: the block's output (Iceberg vs hot)")
    q = "SELECT id, k, v FROM {t} ORDER BY id"
    check(orbit(q.format(t=cold)), orbit(q.format(t=hot)), f"{what}: rows after (Iceberg vs hot)")
    return out


def unchanged(name, before, what):
    """The table's folder and current snapshot are as they were (before = (files, snapshot id))."""
    check(files(name), before[0], f"{what}: no file left")
    check(metadata(name)["current-snapshot-id"], before[1], f"{what}: no snapshot")


def state(name):
    return files(name), metadata(name)["current-snapshot-id"]


COLS = "(id BIGINT NOT NULL, k TEXT, v DOUBLE PRECISION)"
try:
    check(orbit(f"CREATE TABLE pt {COLS} USING iceberg WITH (partition_by = 'k')"), "CREATE TABLE", "create pt")
    check(orbit(f"CREATE TABLE ut {COLS} USING iceberg"), "CREATE TABLE", "create ut")
    for h in ("hpt", "hut"):
        check(orbit(f"CREATE TABLE {h} {COLS}"), "CREATE TABLE", f"create {h}")

    for cold, hot in (("pt", "hpt"), ("ut", "hut")):
        # -- BEGIN / INSERT / INSERT / COMMIT: one append snapshot with both, read back inside the block
        n0 = len(snapshots(cold))
        out = twin(cold, hot, ["BEGIN", "INSERT INTO {t} VALUES (1, 'a', 1.5), (2, 'b', 2.5)",
                               "INSERT INTO {t} SELECT g, 'c', g / 4.0 FROM generate_series(3, 1002) g",
                               "SELECT count(*) FROM {t}", "SELECT id, k, v FROM {t} WHERE id < 4 ORDER BY id",
                               "SELECT k, count(*) FROM {t} GROUP BY k ORDER BY k", "COMMIT"], f"{cold}: insert block")
        check(out, "BEGIN\nINSERT 0 2\nINSERT 0 1000\ncount\n1002\nid,k,v\n1,a,1.5\n2,b,2.5\n3,c,0.75\n"
                   "k,count\na,1\nb,1\nc,1000\nCOMMIT", f"{cold}: the block reads its own rows")
        snaps = snapshots(cold)
        check(len(snaps), n0 + 1, f"{cold}: one snapshot for the block")
        check(snaps[-1]["summary"]["operation"], "append", f"{cold}: an append")
        check(snaps[-1]["summary"]["added-records"], "1002", f"{cold}: holding both inserts' rows")
        if have_node:
            theirs = duckdb(f"SELECT count(*) AS n, sum(id) AS s, sum(v) AS v FROM read_parquet('{table_dir(cold)}/data/**/*.parquet')")
            check(theirs.replace('"', ''), "n,s,v\n1002,502503,125629", f"{cold}: DuckDB reads the block's rows from the data files")

        # -- ROLLBACK, an error, a client leaving: nothing at all
        before = state(cold)
        out = twin(cold, hot, ["BEGIN", "INSERT INTO {t} VALUES (5000, 'z', 0)", "SELECT count(*) FROM {t}", "ROLLBACK"],
                   f"{cold}: rollback")
        check(out, "BEGIN\nINSERT 0 1\ncount\n1003\nROLLBACK", f"{cold}: rollback: the block saw its row")
        unchanged(cold, before, f"{cold}: ROLLBACK")
        out = session("BEGIN", f"INSERT INTO {cold} VALUES (5001, 'z', 0)", "SELECT 1 / 0", "COMMIT")
        counts.checks += 1
        if "division by zero" not in out:   # the shell stops at the error; the block is rolled back
            fail(f"{cold}: an error aborts the block: {out}")
        unchanged(cold, before, f"{cold}: an aborted block")
        check(session("BEGIN", f"INSERT INTO {cold} VALUES (5002, 'z', 0)"), "BEGIN\nINSERT 0 1", f"{cold}: a block left open")
        unchanged(cold, before, f"{cold}: a client that leaves without COMMIT")
        out = session("BEGIN", f"INSERT INTO {cold} VALUES (5003, 'z', 0)", f"INSERT INTO {cold} VALUES (NULL, 'z', 0)",
                      "COMMIT")
        counts.checks += 1
        if 'null value in column "id"' not in out:
            fail(f"{cold}: a refused row aborts the block: {out}")
        unchanged(cold, before, f"{cold}: a block with a refused row")

        # -- savepoints: what came after the savepoint goes, what came before stays
        n0 = len(snapshots(cold))
        out = twin(cold, hot, ["BEGIN", "INSERT INTO {t} VALUES (2001, 'a', 1)", "SAVEPOINT s1",
                               "INSERT INTO {t} VALUES (2002, 'a', 2)", "DELETE FROM {t} WHERE id IN (1, 2001)",
                               "UPDATE {t} SET v = -1 WHERE id = 2", "SELECT count(*) FROM {t} WHERE id > 2000 OR id < 3",
                               "ROLLBACK TO SAVEPOINT s1", "SELECT id, v FROM {t} WHERE id > 2000 OR id < 3 ORDER BY id",
                               "SAVEPOINT s2", "INSERT INTO {t} VALUES (2003, 'b', 3)", "RELEASE SAVEPOINT s2",
                               "INSERT INTO {t} VALUES (2004, 'b', 4)", "COMMIT"], f"{cold}: savepoints")
        check(out, "BEGIN\nINSERT 0 1\nSAVEPOINT\nINSERT 0 1\nDELETE 2\nUPDATE 1\ncount\n2\nROLLBACK\n"
                   "id,v\n1,1.5\n2,2.5\n2001,1\nSAVEPOINT\nINSERT 0 1\nRELEASE\nINSERT 0 1\nCOMMIT",
              f"{cold}: savepoints: the block's reads")
        snaps = snapshots(cold)
        check(len(snaps), n0 + 1, f"{cold}: savepoints: one snapshot")
        # deletes read back, rolled back past, then more deletes: each read sees exactly the live ones
        before = state(cold)
        twin(cold, hot, ["BEGIN", "DELETE FROM {t} WHERE id = 5", "SELECT count(*) FROM {t} WHERE id < 9",
                         "SAVEPOINT s", "DELETE FROM {t} WHERE id IN (6, 7)", "SELECT id FROM {t} WHERE id < 9 ORDER BY id",
                         "ROLLBACK TO SAVEPOINT s", "DELETE FROM {t} WHERE id = 8",
                         "SELECT id FROM {t} WHERE id < 9 ORDER BY id", "ROLLBACK"], f"{cold}: deletes and savepoints")
        unchanged(cold, before, f"{cold}: deletes and savepoints rolled back")
        check(snaps[-1]["summary"]["operation"], "append", f"{cold}: savepoints: the deletes rolled back, an append")
        check(snaps[-1]["summary"]["added-records"], "3", f"{cold}: savepoints: the rows kept")

        # -- DELETE and UPDATE of rows the block itself inserted: still an append, of what is left
        n0 = len(snapshots(cold))
        twin(cold, hot, ["BEGIN", "INSERT INTO {t} SELECT g, 'd', g FROM generate_series(3001, 3010) g",
                         "DELETE FROM {t} WHERE id BETWEEN 3001 AND 3010 AND id % 2 = 0",
                         "UPDATE {t} SET v = v * 10, k = 'e' WHERE id IN (3001, 3003)",
                         "DELETE FROM {t} WHERE id = 3003", "SELECT id, k, v FROM {t} WHERE id > 3000 ORDER BY id",
                         "COMMIT"], f"{cold}: changing its own rows")
        snaps = snapshots(cold)
        check(len(snaps), n0 + 1, f"{cold}: own rows: one snapshot")
        check((snaps[-1]["summary"]["operation"], snaps[-1]["summary"]["added-records"]), ("append", "4"),
              f"{cold}: own rows: an append of the 4 left")

        # -- DELETE and UPDATE of committed rows with inserts: one overwrite; deletes only: one delete
        n0 = len(snapshots(cold))
        out = twin(cold, hot, ["BEGIN", "DELETE FROM {t} WHERE id BETWEEN 10 AND 109",
                               "UPDATE {t} SET v = 0.5, k = 'b' WHERE id BETWEEN 200 AND 249",
                               "INSERT INTO {t} VALUES (4001, 'a', 7)", "SELECT count(*) FROM {t}",
                               "SELECT count(*) FROM {t} WHERE v = 0.5", "DELETE FROM {t} WHERE id BETWEEN 100 AND 119",
                               "SELECT count(*) FROM {t}", "COMMIT"], f"{cold}: deletes and updates")
        got = [l for l in out.split("\n") if l.isdigit()]
        check(int(got[0]) - int(got[2]), 10, f"{cold}: the block reads its own deletes")
        snaps = snapshots(cold)
        check(len(snaps), n0 + 1, f"{cold}: deletes and updates: one snapshot")
        s = snaps[-1]["summary"]
        check((s["operation"], s["added-position-deletes"], s["added-records"]), ("overwrite", "160", "51"),
              f"{cold}: one overwrite: 100 + 50 + 10 deleted, 50 + 1 added")
        twin(cold, hot, ["BEGIN", "DELETE FROM {t} WHERE id BETWEEN 500 AND 509", "DELETE FROM {t} WHERE id = 4001",
                         "COMMIT"], f"{cold}: deletes only")
        s = snapshots(cold)[-1]["summary"]
        check((s["operation"], s["added-position-deletes"]), ("delete", "11"), f"{cold}: one delete snapshot")
        check(orbit(f"SELECT count(*) FROM {cold}"), orbit(f"SELECT count(*) FROM {hot}"), f"{cold}: count(*) after")
        if have_node:
            interop(cold, f"{cold} after blocks")

        # -- count(*) inside a block is not answered from the metadata
        out = session("BEGIN", f"DELETE FROM {cold} WHERE id = 3", f"EXPLAIN ANALYZE SELECT count(*) FROM {cold}", "ROLLBACK")
        counts.checks += 1
        if "answered from table metadata" in out:
            fail(f"{cold}: count(*) in a block with staged changes answered from metadata:\n{out}")

    # -- COPY FROM in a block, rolled back and committed
    csv = os.path.join(tmp, "rows.csv")
    with open(csv, "w") as f:
        f.write("".join(f"{i},f,{i}.25\n" for i in range(6001, 6501)))
    before = state("ut")
    out = twin("ut", "hut", ["BEGIN", f"COPY {{t}} FROM '{csv}' (FORMAT csv)", "SELECT count(*) FROM {t} WHERE k = 'f'",
                             "ROLLBACK"], "COPY rolled back")
    check(out, "BEGIN\nCOPY 500\ncount\n500\nROLLBACK", "COPY in a block, read back")
    unchanged("ut", before, "COPY rolled back")
    n0 = len(snapshots("ut"))
    twin("ut", "hut", ["BEGIN", f"COPY {{t}} FROM '{csv}' (FORMAT csv)", "INSERT INTO {t} VALUES (7000, 'f', 1)",
                       "COMMIT"], "COPY committed")
    check((len(snapshots("ut")), snapshots("ut")[-1]["summary"]["added-records"]), (n0 + 1, "501"),
          "COPY and INSERT: one snapshot")

    # -- a hot and an Iceberg table in one block: both or neither
    check(orbit("CREATE TABLE hot1 (id INT)"), "CREATE TABLE", "create hot1")
    before = state("ut")
    session("BEGIN", "INSERT INTO hot1 VALUES (1)", "INSERT INTO ut VALUES (8000, 'g', 1)", "ROLLBACK")
    check(orbit("SELECT count(*) FROM hot1"), "count\n0", "hot and Iceberg rolled back: hot")
    unchanged("ut", before, "hot and Iceberg rolled back")
    check(session("BEGIN", "INSERT INTO hot1 VALUES (1)", "INSERT INTO ut VALUES (8000, 'g', 1)", "COMMIT"),
          "BEGIN\nINSERT 0 1\nINSERT 0 1\nCOMMIT", "hot and Iceberg committed")
    check(orbit("SELECT (SELECT count(*) FROM hot1) AS h, (SELECT count(*) FROM ut WHERE id = 8000) AS c"), "h,c\n1,1",
          "hot and Iceberg committed: both")
    # and two Iceberg tables: a snapshot each
    n_pt, n_ut = len(snapshots("pt")), len(snapshots("ut"))
    session("BEGIN", "INSERT INTO pt VALUES (8001, 'g', 1)", "DELETE FROM ut WHERE id = 8000", "COMMIT")
    check((len(snapshots("pt")) - n_pt, len(snapshots("ut")) - n_ut), (1, 1), "two Iceberg tables: one snapshot each")
    check(orbit("SELECT (SELECT count(*) FROM pt WHERE id = 8001) AS p, (SELECT count(*) FROM ut WHERE id = 8000) AS u"),
          "p,u\n1,0", "two Iceberg tables: both changed")

    # -- ALTER TABLE of an Iceberg table in a block is committed with the block's rows
    # (tests/storage/iceberg_txn_alter_test.py); the hot twin the same way
    for t in ("ut", "hut"):
        check(session("BEGIN", f"INSERT INTO {t} VALUES (9000, 'h', 1)", f"ALTER TABLE {t} ADD COLUMN z INTEGER",
                      f"INSERT INTO {t} VALUES (9001, 'h', 2, 3)", "COMMIT"),
              "BEGIN\nINSERT 0 1\nALTER TABLE\nINSERT 0 1\nCOMMIT", f"{t}: a block with ALTER TABLE")
    check(orbit("SELECT id, z FROM ut WHERE id >= 9000 ORDER BY id"), "id,z\n9000,\n9001,3", "the block's rows and column")
    # the database reopens with the tables as committed
    orbit("CHECKPOINT")
    check(orbit("SELECT count(*) FROM ut"), orbit("SELECT count(*) FROM hut"), "after a checkpoint and reopen")
finally:
    print(f"{counts.checks} checks, {counts.failures} failures")
sys.exit(1 if counts.failures else 0)
