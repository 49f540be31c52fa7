#!/usr/bin/env python3
"""DELETE and UPDATE on the database's own Iceberg tables (position delete
files, merge-on-read) through SQL.

Every statement runs three times: on an Iceberg table, on an ordinary
(hot) table of the same columns, and on PostgreSQL 15 when its server is
installed; the command tags and then the rows (and count(*)) must agree
after each statement.  Covered: DELETE with WHERE on a partitioned and an
unpartitioned table, DELETE of every row, UPDATE of some columns, UPDATE
moving rows to another partition, the same DELETE again (nothing left to
delete: no new snapshot), deletes after several appends and appends after
deletes.  Then the table's files are checked by readers no one here
wrote (tests/interop/iceberg_delete_check.mjs: avsc on the manifest list
and the delete manifests, DuckDB on the delete Parquet files, the summary
totals), and npm icebird reads the whole table, applying the deletes
itself, and must give Orbit's rows.  Also: snapshot operations and
summaries (total-records stays the data rows written, total-position-
deletes counts the deletes), EXPLAIN ANALYZE of count(*) saying the rows
were counted, failed statements and rolled-back transaction blocks leaving no
snapshot and no file, an external table refusing deletes.

usage: iceberg_delete_test.py ORBIT_SHELL"""
import glob
import json
import os
import shutil
import subprocess
import sys

from sqltest import *  # noqa: F401,F403 (ORBIT, DB, check, orbit, ...: shared by the SQL storage tests)


# --- PostgreSQL 15 as a third oracle, when installed -------------------------------
pg = None
bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
if bindirs and os.path.exists(os.path.join(bindirs[-1], "initdb")):
    bindir = bindirs[-1]
    pgdir = os.path.join(tmp, "pg")
    os.makedirs(pgdir)
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if os.getuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(pgdir, "postgres")
    port = str(20000 + os.getpid() % 20000)
    ok = subprocess.run(as_pg + [f"{bindir}/initdb", "-D", f"{pgdir}/data", "-A", "trust", "-U", "postgres"],
                        capture_output=True).returncode == 0
    ok = ok and subprocess.run(as_pg + [f"{bindir}/pg_ctl", "-D", f"{pgdir}/data", "-o",
                                        f"-p {port} -k {pgdir} -c fsync=off -c listen_addresses=''",
                                        "-l", f"{pgdir}/log", "-w", "start"], capture_output=True).returncode == 0
    if ok:
        pg = (bindir, pgdir, port, as_pg)
    else:
        print("note: PostgreSQL did not start; comparing with the hot table only")


def postgres(sql):
    bindir, pgdir, port, as_pg = pg
    p = subprocess.run(as_pg + [f"{bindir}/psql", "-X", "-h", pgdir, "-p", port, "-U", "postgres", "-At", "-F,",
                                "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    return (p.stdout + p.stderr).strip()


def step(cold, hot, sql, what):
    """Run sql (with {t}) on the Iceberg table, the hot table and PostgreSQL; compare tags and rows."""
    tag = orbit(sql.format(t=cold))
    check(tag, orbit(sql.format(t=hot)), f"{what}: tag (Iceberg vs hot)")
    if pg:
        check(tag, postgres(sql.format(t=hot)), f"{what}: tag (Orbit vs PostgreSQL)")
    compare(cold, hot, what)
    return tag


def compare(cold, hot, what):
    q = "SELECT id, k, v FROM {t} ORDER BY id"
    ours = rows_of(orbit(q.format(t=cold)))
    check(ours, rows_of(orbit(q.format(t=hot))), f"{what}: rows (Iceberg vs hot)")
    if pg:
        check(ours, rows_of(postgres(q.format(t=hot))), f"{what}: rows (Orbit vs PostgreSQL)")
    check(orbit(f"SELECT count(*) FROM {cold}"), f"count\n{len(ours)}", f"{what}: count(*)")
    return ours


try:
    COLS = "(id BIGINT NOT NULL, k TEXT, v DOUBLE PRECISION)"
    for cold, part in (("pc", "WITH (partition_by = 'k')"), ("uc", "")):
        hot = "h" + cold
        check(orbit(f"CREATE TABLE {cold} {COLS} USING iceberg {part}"), "CREATE TABLE", f"{cold}: create")
        check(orbit(f"CREATE TABLE {hot} {COLS}"), "CREATE TABLE", f"{hot}: create")
        if pg:
            postgres(f"CREATE TABLE {hot} {COLS}")
        # several appends, then deletes
        step(cold, hot, "INSERT INTO {t} SELECT g, 'k' || (g % 3), g * 1.5 FROM generate_series(1, 1000) g", f"{cold}: append 1")
        step(cold, hot, "INSERT INTO {t} SELECT g, 'k' || (g % 4), g * 0.25 FROM generate_series(1001, 1500) g", f"{cold}: append 2")
        step(cold, hot, "INSERT INTO {t} VALUES (1501, NULL, NULL), (1502, 'k1', -0.5)", f"{cold}: append 3")
        nsnap = len(metadata(cold)["snapshots"])
        tag = step(cold, hot, "DELETE FROM {t} WHERE id % 7 = 0", f"{cold}: delete where")
        check(tag, "DELETE 214", f"{cold}: rows deleted")
        snap, m = current(cold)
        check(len(m["snapshots"]), nsnap + 1, f"{cold}: one snapshot per DELETE")
        s = snap["summary"]
        check((s["operation"], s["added-position-deletes"], s["total-position-deletes"], s["total-records"]),
              ("delete", "214", "214", "1502"), f"{cold}: summary of the delete")
        check(s["added-delete-files"], "4" if part else "1", f"{cold}: one delete file per partition")
        # the same rows again: nothing to delete, no snapshot
        check(step(cold, hot, "DELETE FROM {t} WHERE id % 7 = 0", f"{cold}: delete again"), "DELETE 0", f"{cold}: nothing left")
        check(len(metadata(cold)["snapshots"]), nsnap + 1, f"{cold}: a DELETE of nothing commits nothing")
        # updates: some columns, then moving rows to another partition
        n = orbit(f"SELECT count(*) FROM {hot} WHERE id % 5 = 1").split("\n")[1]
        step(cold, hot, "UPDATE {t} SET v = v * 2 WHERE id % 5 = 1", f"{cold}: update v")
        snap, m = current(cold)
        s = snap["summary"]
        check((s["operation"], s["added-records"], s["added-position-deletes"]), ("overwrite", n, n),
              f"{cold}: summary of the update (old versions deleted, new ones appended)")
        step(cold, hot, "UPDATE {t} SET k = 'moved', v = -v WHERE id BETWEEN 10 AND 40", f"{cold}: update moving partitions")
        step(cold, hot, "UPDATE {t} SET k = NULL WHERE id = 1502", f"{cold}: update to NULL")
        step(cold, hot, "DELETE FROM {t} WHERE k = 'moved' AND id % 2 = 0", f"{cold}: delete updated rows")
        # appends after deletes, and deletes of the new rows
        step(cold, hot, "INSERT INTO {t} SELECT g, 'k' || (g % 2), g FROM generate_series(2000, 2100) g", f"{cold}: append after deletes")
        step(cold, hot, "DELETE FROM {t} WHERE id > 2050 OR id < 5", f"{cold}: delete new and old rows")
        step(cold, hot, "UPDATE {t} SET v = 0 WHERE k IS NULL OR id = 2000", f"{cold}: update after everything")
        snap, m = current(cold)
        s = snap["summary"]
        total_rows = int(orbit(f"SELECT count(*) FROM {cold}").split("\n")[1])
        check(int(s["total-records"]) - int(s["total-position-deletes"]), total_rows,
              f"{cold}: total-records - total-position-deletes = the rows")
        # count(*) stays exact and EXPLAIN ANALYZE says the rows were counted
        plan = orbit(f"EXPLAIN ANALYZE SELECT count(*) FROM {cold}")
        counts.checks += 1
        if "deletes apply" not in plan or "answered from table metadata" in plan or f"rows={total_rows} loops=1" not in plan:
            fail(f"{cold}: EXPLAIN ANALYZE of count(*) with deletes\n{plan}")
        if have_node:
            interop(cold, cold)

        # nothing of a failed statement stays
        before, mbefore = files(cold), metadata(cold)
        rows_before = compare(cold, hot, f"{cold}: before failures")
        expect_error(f"UPDATE {cold} SET v = 1 / (id - 701) WHERE id > 600", "division by zero")
        expect_error(f"UPDATE {cold} SET id = NULL WHERE id < 100", 'null value in column "id"')
        # a transaction block's DELETE and UPDATE, rolled back (iceberg_txn_test.py covers the rest)
        for sql in (f"DELETE FROM {cold} WHERE id < 500", f"UPDATE {cold} SET v = 1"):
            p = subprocess.run([ORBIT, DB, "--csv"], input=f"BEGIN;\n{sql};\nROLLBACK;\n", capture_output=True, text=True)
            counts.checks += 1
            out = p.stdout + p.stderr
            if "ERROR" in out or not out.rstrip().endswith("ROLLBACK"):
                fail(f"{cold}: {sql} in a transaction block, rolled back: {out}")
        check(files(cold), before, f"{cold}: failed statements leave no file")
        check(metadata(cold)["current-snapshot-id"], mbefore["current-snapshot-id"], f"{cold}: failed statements commit nothing")
        check(compare(cold, hot, f"{cold}: after failures"), rows_before, f"{cold}: failed statements change no row")

    # every row deleted, then the table used again
    step("uc", "huc", "DELETE FROM {t}", "uc: delete everything")
    check(orbit("SELECT count(*) FROM uc"), "count\n0", "uc: empty after deleting every row")
    s = current("uc")[0]["summary"]
    check(int(s["total-records"]), int(s["total-position-deletes"]), "uc: every data row has a position delete")
    if have_node:
        interop("uc", "uc empty")
    step("uc", "huc", "INSERT INTO {t} VALUES (1, 'again', 1.5), (2, 'again', 2.5)", "uc: insert after deleting everything")
    step("uc", "huc", "UPDATE {t} SET v = v + 1", "uc: update every row")
    if have_node:
        interop("uc", "uc refilled")

    # an external table over the same files stays read-only
    check(orbit(f"CREATE EXTERNAL TABLE ext LOCATION '{table_dir('pc')}'"), "CREATE TABLE", "external table")
    expect_error("DELETE FROM ext WHERE id = 1", "read-only")
    expect_error("UPDATE ext SET v = 1", "read-only")
    check(orbit("SELECT count(*) FROM ext"), orbit("SELECT count(*) FROM pc"), "external table reads the deletes")
finally:
    if pg:
        bindir, pgdir, port, as_pg = pg
        subprocess.run(as_pg + [f"{bindir}/pg_ctl", "-D", f"{pgdir}/data", "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{counts.checks} checks, {counts.failures} failures{'' if pg else ' (PostgreSQL not installed: hot table only)'}"
      f"{'' if have_node else ' (node modules missing: no interop)'}")
sys.exit(1 if counts.failures else 0)
