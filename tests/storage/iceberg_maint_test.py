#!/usr/bin/env python3
"""Iceberg table maintenance through SQL (docs/cold.md "Maintenance"):
CALL expire_snapshots, CALL remove_orphan_files, CALL rewrite_data_files,
CALL rewrite_manifests and VACUUM on the database's own Iceberg tables.

  - expiry with explicit older_than / retain_last keeps exactly the
    snapshots the rules say (computed here from SHOW SNAPSHOTS) and deletes
    exactly their manifest lists (the files on disk before and after);
    time travel to an expired snapshot is a clear error; the rows are
    unchanged;
  - a writer killed with SIGKILL in the middle of a big INSERT leaves
    debris; the default grace period protects it, a dry run lists it and
    deletes nothing, removal deletes it and nothing live: afterwards
    DuckDB reading every Parquet file under data/ gives exactly the
    table's rows;
  - compaction after a DELETE (position delete files) keeps the rows,
    drops the delete files, and a later expiry deletes the replaced files;
  - ALTER TABLE SET / RESET of the merge properties, which the next
    appends honour;
  - rewrite_manifests of twelve appends' manifests into one; 99 more
    appends, whose manifests merge on commit (Java's defaults); compaction
    with min_input_files and partial progress;
  - after every operation npm icebird reads the table through its metadata
    and avsc decodes every manifest list and manifest that is left
    (tests/interop/iceberg_table_read.mjs), agreeing with our rows;
  - the refusals: an external table, an ordinary table, inside a
    transaction block, unknown procedures and arguments.

usage: iceberg_maint_test.py ORBIT_SHELL"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

from sqltest import *  # noqa: F401,F403 (ORBIT, DB, check, orbit, ...: shared by the SQL storage tests)


def files(name):
    d = table_dir(name)
    return sorted(os.path.relpath(p, d) for p in glob.glob(os.path.join(d, "**", "*"), recursive=True)
                  if os.path.isfile(p))


def snapshots(name):
    """(id, committed_at text, is_current) oldest first, from SHOW SNAPSHOTS."""
    out = orbit(f"SHOW SNAPSHOTS {name}").splitlines()[1:]
    return [(r.split(",")[0], r.split(",")[2], r.split(",")[-1] == "t") for r in out]


def rows(name):
    return orbit(f"SELECT count(*), sum(id) FROM {name}").splitlines()[-1]


def external_read(name, want_rows):
    """icebird and avsc over the table; the rows must be ours."""
    p = subprocess.run(["node", "iceberg_table_read.mjs", table_dir(name)], cwd=INTEROP, capture_output=True, text=True)
    out = (p.stdout + p.stderr).strip()
    counts.checks += 1
    m = re.search(r"^ok .* rows=(\d+) id_sum=(-?\d+)$", out, re.M)
    if p.returncode != 0 or not m:
        fail(f"{name}: iceberg_table_read: {out}")
        return
    check(f"{m.group(1)},{m.group(2)}", want_rows, f"{name}: icebird's rows")


def duckdb_rows(name):
    sql = (f"SELECT count(*), sum(id) FROM read_parquet('{table_dir(name)}/data/**/*.parquet')")
    p = subprocess.run(["node", "duckdb_csv.mjs", sql], cwd=INTEROP, capture_output=True, text=True)
    return (p.stdout + p.stderr).strip().splitlines()[-1]


try:
    # -- expiry: exactly the snapshots and files the rules say -------------
    check(orbit("CREATE TABLE t (id BIGINT NOT NULL, s TEXT) USING iceberg"), "CREATE TABLE", "create t")
    for i in range(6):
        check(orbit(f"INSERT INTO t SELECT g, 'v' || g FROM generate_series({i * 100}, {i * 100 + 99}) g"),
              "INSERT 0 100", f"insert {i}")
        time.sleep(0.02)
    want = rows("t")
    check(want, "600,179700", "rows of t")
    snaps = snapshots("t")
    check(len(snaps), 6, "six snapshots")
    ids = [s[0] for s in snaps]
    before = files("t")
    # older than the fourth snapshot, keep at least 2: s0..s2 go (s3 is not older)
    out = orbit(f"CALL expire_snapshots('t', older_than => TIMESTAMPTZ '{snaps[3][1]}', retain_last => 2)")
    check(out.splitlines()[0], "deleted_data_files_count,deleted_position_delete_files_count,"
          "deleted_equality_delete_files_count,deleted_manifest_files_count,deleted_manifest_lists_count,"
          "deleted_metadata_files_count,expired_snapshots_count", "expire_snapshots columns")
    check(out.splitlines()[1], "0,0,0,0,3,0,3", "expire_snapshots counts (appends: only the lists go)")
    check([s[0] for s in snapshots("t")], ids[3:], "snapshots kept")
    after = files("t")
    gone = sorted(set(before) - set(after))
    check(gone, sorted(f for f in before if any(f.startswith(f"metadata/snap-{i}-") for i in ids[:3])),
          "files deleted: the expired snapshots' manifest lists, nothing else")
    vmax = max(int(m.group(1)) for m in (re.match(r"metadata/v(\d+)\.metadata\.json$", f) for f in after) if m)
    check(set(after) - set(before), {f"metadata/v{vmax}.metadata.json"}, "files added: one metadata file")
    check(rows("t"), want, "rows after expiry")
    expect_error(f"SELECT count(*) FROM t FOR VERSION AS OF {ids[0]}", f"has no snapshot {ids[0]}")
    check(orbit(f"SELECT count(*) FROM t FOR VERSION AS OF {ids[3]}").splitlines()[-1], "400", "time travel kept")
    external_read("t", want)
    # retain_last alone keeps everything newer than 5 days: nothing goes
    check(orbit("CALL expire_snapshots('t', retain_last => 1)").splitlines()[1], "0,0,0,0,0,0,0", "default age")
    # now() with retain_last 1: only the current one stays
    check(orbit("CALL expire_snapshots(table => 'public.t', older_than => now(), retain_last => 1)").splitlines()[1],
          "0,0,0,0,2,0,2", "expire to one snapshot")
    check([s[0] for s in snapshots("t")], ids[5:], "only the current snapshot")
    check(rows("t"), want, "rows after expiring to one")
    external_read("t", want)

    # -- orphans: debris of a writer killed in the middle of an INSERT ------
    live = set(files("t"))
    p = subprocess.Popen([ORBIT, DB, "-c", "INSERT INTO t SELECT g, repeat('x', 50) || g "
                          "FROM generate_series(1000000, 9000000) g"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    # no deadline but the writer's own end: under sanitizers and load the
    # source rows can take minutes to build before the first file appears
    while p.poll() is None and not (set(glob.glob(table_dir("t") + "/data/*")) -
                                    {os.path.join(table_dir("t"), f) for f in live}):
        time.sleep(0.05)
    check(p.poll(), None, "the writer is still writing when killed")
    time.sleep(0.3)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    debris = sorted(set(files("t")) - live)
    check(len(debris) >= 1, True, f"the killed writer left debris ({debris})")
    check(rows("t"), want, "rows after the killed writer")
    check(orbit("CALL remove_orphan_files('t')"), "orphan_file_location", "the grace period protects new files")
    dry = orbit("CALL remove_orphan_files('t', older_than => now(), dry_run => true)").splitlines()[1:]
    check(sorted(os.path.relpath(f, table_dir("t")) for f in dry), debris, "dry run lists the debris")
    check(sorted(set(files("t")) - live), debris, "dry run deleted nothing")
    # as the default would see it three days on
    old = time.time() - 4 * 86400
    for f in debris:
        os.utime(os.path.join(table_dir("t"), f), (old, old))
    check(orbit("VACUUM t"), "VACUUM", "VACUUM t")
    check(set(files("t")), live, "VACUUM removed the debris and nothing live")
    check(rows("t"), want, "rows after VACUUM")
    check(duckdb_rows("t"), want, "DuckDB over every file left under data/")
    external_read("t", want)

    # -- compaction after a DELETE, then expiry -----------------------------
    check(orbit("CREATE TABLE p (id BIGINT NOT NULL, s TEXT) USING iceberg WITH (partition_by = 'bucket(2, id)')"),
          "CREATE TABLE", "create p")
    for i in range(4):
        orbit(f"INSERT INTO p SELECT g, 'p' || g FROM generate_series({i * 50}, {i * 50 + 49}) g")
    check(orbit("DELETE FROM p WHERE id % 7 = 0"), "DELETE 29", "delete from p")
    want_p = rows("p")
    check(want_p, f"171,{sum(i for i in range(200) if i % 7)}", "rows of p")
    out = orbit("CALL rewrite_data_files('p')").splitlines()
    check(out[0], "rewritten_data_files_count,added_data_files_count,rewritten_bytes_count,failed_data_files_count,"
          "removed_delete_files_count", "rewrite_data_files columns")
    r = out[1].split(",")
    check((r[0], r[1], r[3], r[4]), ("8", "2", "0", "2"), "8 files into one per bucket, 2 delete files dropped")
    check(rows("p"), want_p, "rows after compaction")
    last = orbit("SHOW SNAPSHOTS p").splitlines()[-1].split(",")
    check((last[3], last[8], last[9], last[10]), ("replace", "2", "0", "t"), "a current replace snapshot, no deletes")
    external_read("p", want_p)
    out = orbit("CALL expire_snapshots('p', older_than => now(), retain_last => 1)").splitlines()[1]
    check(out, "8,2,0,5,5,0,5", "expiry deletes the replaced data and delete files")
    check(len([f for f in files("p") if f.endswith(".parquet")]), 2, "two data files left")
    check(duckdb_rows("p"), want_p, "DuckDB over the files left")
    external_read("p", want_p)

    # -- rewrite_manifests, merging on commit, compaction options ------------
    check(orbit("CREATE TABLE h2 (id INT)"), "CREATE TABLE", "create h2")
    check(orbit("CREATE TABLE rm (id BIGINT NOT NULL, s TEXT) USING iceberg"), "CREATE TABLE", "create rm")
    orbit("; ".join(f"INSERT INTO rm VALUES ({i}, 'r{i}')" for i in range(12)))
    want_rm = rows("rm")
    check(want_rm, "12,66", "rows of rm")
    out = orbit("CALL rewrite_manifests('rm')").splitlines()
    check(out, ["rewritten_manifests_count,added_manifests_count", "12,1"], "twelve manifests into one")
    check(orbit("SHOW SNAPSHOTS rm").splitlines()[-1].split(",")[3], "replace", "rewrite_manifests: a replace snapshot")
    check(rows("rm"), want_rm, "rows after rewrite_manifests")
    external_read("rm", want_rm)
    check(orbit("CALL rewrite_manifests(table => 'public.rm')").splitlines()[1], "0,0", "nothing left to rewrite")
    # 99 more appends: the 99th lists 100 manifests, which merge into one (Java's MergeAppend defaults)
    orbit("; ".join(f"INSERT INTO rm VALUES ({i}, 'r{i}')" for i in range(12, 111)))
    want_rm = rows("rm")
    check(want_rm, f"111,{sum(range(111))}", "rows of rm after 111 appends")
    check(len([f for f in files("rm") if f.endswith("-m0.avro")]), 110, "the 111th append's own manifest was merged away")
    external_read("rm", want_rm)
    check(orbit("CALL rewrite_manifests('rm')").splitlines()[1], "0,0", "merged on commit: one manifest already")
    out = orbit("CALL rewrite_data_files('rm', min_input_files => 200)").splitlines()[1]
    check(out, "0,0,0,0,0", "111 files are fewer than min_input_files 200")
    out = orbit("CALL rewrite_data_files('rm', partial_progress_enabled => true, partial_progress_max_commits => 3)")
    check(out.splitlines()[1].split(",")[:2], ["111", "1"], "compaction with partial progress (one partition: one commit)")
    check(rows("rm"), want_rm, "rows after compaction")
    external_read("rm", want_rm)
    expect_error("CALL rewrite_data_files('rm', min_input_files => 0)", "min_input_files must be at least 1")
    expect_error("CALL rewrite_data_files('rm', partial_progress_max_commits => 0)",
                 "partial_progress_max_commits must be at least 1")
    expect_error("CALL rewrite_manifests('rm', retain_last => 1)", "has no argument named \"retain_last\"")
    expect_error("BEGIN; CALL rewrite_manifests('rm'); COMMIT", "cannot run inside a transaction block")

    # -- the merge properties through ALTER TABLE SET / RESET ----------------
    check(orbit("CREATE TABLE mm (id BIGINT NOT NULL) USING iceberg"), "CREATE TABLE", "create mm")
    check(orbit('ALTER TABLE mm SET ("commit.manifest.min-count-to-merge" = 3, note.by = \'test\')'), "ALTER TABLE",
          "SET table properties")
    orbit("; ".join(f"INSERT INTO mm VALUES ({i})" for i in range(5)))
    # appends 3 and 5 merge three manifests; their own manifests are folded in and removed
    check(len([f for f in files("mm") if f.endswith("-m0.avro")]), 3, "min-count-to-merge 3: two merges in five appends")
    check(rows("mm"), "5,10", "rows of mm")
    external_read("mm", "5,10")
    check(orbit('ALTER TABLE mm SET ("commit.manifest-merge.enabled" = false); ALTER TABLE mm RESET (note.by)'),
          "ALTER TABLE\nALTER TABLE", "merging switched off, a property reset")
    orbit("; ".join(f"INSERT INTO mm VALUES ({i})" for i in range(5, 8)))
    check(len([f for f in files("mm") if f.endswith("-m0.avro")]), 6, "merging off: every append's manifest stays")
    check(rows("mm"), "8,28", "rows of mm after three more")
    external_read("mm", "8,28")
    props = json.load(open(os.path.join(table_dir("mm"), "metadata", open(os.path.join(
        table_dir("mm"), "metadata", "version-hint.text")).read().strip().join(["v", ".metadata.json"]))))["properties"]
    check((props.get("commit.manifest.min-count-to-merge"), props.get("commit.manifest-merge.enabled"),
           "note.by" in props), ("3", "false", False), "the properties in the metadata")
    expect_error('ALTER TABLE mm SET ("commit.manifest.min-count-to-merge" = \'lots\')', "is not a valid number")
    expect_error('ALTER TABLE mm SET ("commit.manifest-merge.enabled" = maybe)', "must be true or false")
    expect_error('ALTER TABLE h2 SET ("commit.manifest-merge.enabled" = false)', "is not an Iceberg table")
    # in a transaction block SET / RESET are staged with the block (storage/cold/cold_stage.h)
    props = metadata("mm").get("properties", {})
    orbit('BEGIN; ALTER TABLE mm RESET ("commit.manifest.min-count-to-merge"); ROLLBACK')
    check(metadata("mm").get("properties", {}), props, "RESET in a block rolled back: the properties as they were")
    check(rows("mm"), "8,28", "rows of mm after the refusals")
    # the same at CREATE: WITH options other than partition_by are the table's properties
    check(orbit('CREATE TABLE mc (id BIGINT) USING iceberg WITH (partition_by = \'bucket(2, id)\', '
                '"commit.manifest.min-count-to-merge" = 2)'), "CREATE TABLE", "create mc with a property")
    orbit("; ".join(f"INSERT INTO mc VALUES ({i})" for i in range(4)))
    check(len([f for f in files("mc") if f.endswith("-m0.avro")]), 1,
          "min-count-to-merge 2 from CREATE: every append after the first merges its manifest away")
    check(rows("mc"), "4,6", "rows of mc")
    external_read("mc", "4,6")
    expect_error('CREATE TABLE md (id BIGINT) USING iceberg WITH ("commit.manifest-merge.enabled" = sometimes)',
                 "must be true or false")
    check(os.path.exists(table_dir("md")), False, "a refused CREATE leaves no folder")

    # -- refusals -------------------------------------------------------------
    check(orbit("CREATE TABLE h (id INT)"), "CREATE TABLE", "create h")
    expect_error("CALL expire_snapshots('h')", "is not an Iceberg table")
    shutil.copytree(table_dir("p"), os.path.join(tmp, "ext"))
    check(orbit(f"CREATE EXTERNAL TABLE ext LOCATION '{os.path.join(tmp, 'ext')}'"), "CREATE TABLE", "external")
    expect_error("CALL remove_orphan_files('ext')", "read-only Iceberg table")
    expect_error("VACUUM ext", "read-only Iceberg table")
    expect_error("BEGIN; CALL expire_snapshots('t'); COMMIT", "cannot run inside a transaction block")
    expect_error("BEGIN; VACUUM t; COMMIT", "VACUUM cannot run inside a transaction block")
    check(orbit("BEGIN; VACUUM h; COMMIT"), "BEGIN\nVACUUM\nCOMMIT", "VACUUM of a hot table still does nothing")
    expect_error("CALL nope('t')", "procedure nope does not exist")
    expect_error("CALL expire_snapshots('t', dry_run => true)", "has no argument named \"dry_run\"")
    expect_error("CALL expire_snapshots('t', retain_last => 0)", "retain_last must be at least 1")
    expect_error("CALL expire_snapshots('t', 3)", "the others by name")
    expect_error("CALL expire_snapshots('missing')", "\"missing\" does not exist")
    expect_error("CALL expire_snapshots()", "needs a table")
    check(rows("t"), want, "rows of t after the refusals")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"iceberg_maint: {counts.checks} checks, {counts.failures} failures")
sys.exit(1 if counts.failures else 0)
