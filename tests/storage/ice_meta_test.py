#!/usr/bin/env python3
"""Iceberg table metadata of every table under ../shared/fixtures/iceberg-trino,
read by Orbit (tests/storage/ice_meta_dump.c) and independently by python3's
json module: the facts must agree line for line.  Then the writer: every
metadata file parsed and written back loads in python as the very same JSON
document and reads back as the same model.  Then committing into a copy of a
table (the fixtures are never written), version-hint.text and probing.

usage: ice_meta_test.py ICE_META_DUMP"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DUMP = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "..", "shared", "fixtures", "iceberg-trino")
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def run(*args):
    p = subprocess.run([DUMP, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


# --- what python reads --------------------------------------------------------

NAME = re.compile(r"^(?:v(\d{1,18})|(\d{1,18})-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
                  r"(?:\.metadata\.json|\.gz\.metadata\.json|\.metadata\.json\.gz)$")


def current_file(table):
    best = None
    for name in os.listdir(os.path.join(table, "metadata")):
        m = NAME.match(name)
        if m:
            v = int(m.group(1) or m.group(2))
            if best is None or v > best[0]:
                best = (v, name)
    return best


def q(s):
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += "\\" + ch
        elif ord(ch) < 0x20:
            out += "\\u%04x" % ord(ch)
        else:
            out += ch
    return out + '"'


def type_name(t):
    if isinstance(t, str):
        m = re.fullmatch(r"decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)", t)
        if m:
            return "decimal(%s, %s)" % (m.group(1), m.group(2))
        m = re.fullmatch(r"fixed\[\s*(\d+)\s*\]", t)
        if m:
            return "fixed[%s]" % m.group(1)
        return t
    req = lambda b: "required" if b else "optional"
    if t["type"] == "struct":
        return "struct" + fields(t["fields"])
    if t["type"] == "list":
        return "list<%d %s %s>" % (t["element-id"], req(t["element-required"]), type_name(t["element"]))
    return "map<%d %s, %d %s %s>" % (t["key-id"], type_name(t["key"]), t["value-id"], req(t["value-required"]),
                                     type_name(t["value"]))


def fields(fs):
    return "{" + ", ".join("%d %s %s %s" % (f["id"], q(f["name"]), "required" if f["required"] else "optional",
                                            type_name(f["type"])) for f in fs) + "}"


# The engine's SQL types for Iceberg's (the mapping the task states).
SQL = {"boolean": "boolean", "int": "integer", "long": "bigint", "float": "real", "double": "double",
       "date": "date", "time": "time", "timestamp": "timestamp", "timestamptz": "timestamptz",
       "timestamp_ns": "timestamp", "timestamptz_ns": "timestamptz", "string": "text", "uuid": "uuid",
       "binary": "bytea"}


def sql_type(t):
    if not isinstance(t, str):
        return "unsupported ok"
    m = re.fullmatch(r"decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)", t)
    if m:
        return "decimal(%s,%s)" % (m.group(1), m.group(2))
    if t.startswith("fixed"):
        return "bytea"
    return SQL[t]


def transform(t):
    m = re.fullmatch(r"(bucket|truncate)\[(\d+)\]", t)
    if m:
        return "%s(%s)" % (m.group(1), m.group(2))
    if t in ("identity", "year", "month", "day", "hour", "void"):
        return t
    return "unknown(%s)" % t


KNOWN_TOP = {"format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms", "last-column-id",
             "schema", "schemas", "current-schema-id", "partition-spec", "partition-specs", "default-spec-id",
             "last-partition-id", "properties", "current-snapshot-id", "snapshots", "snapshot-log", "metadata-log",
             "sort-orders", "default-sort-order-id", "refs"}


def expected(d):
    L = []
    L.append("format-version %d" % d["format-version"])
    L.append("table-uuid %s" % d["table-uuid"])
    L.append("location %s" % d["location"])
    L.append("last-sequence-number %d" % d["last-sequence-number"])
    L.append("last-updated-ms %d" % d["last-updated-ms"])
    L.append("last-column-id %d" % d["last-column-id"])
    L.append("current-schema-id %d" % d["current-schema-id"])
    for s in d["schemas"]:
        L.append("schema %d %s identifier [%s]" % (s["schema-id"], fields(s["fields"]),
                                                   ",".join(str(i) for i in s.get("identifier-field-ids", []))))
    cur = [s for s in d["schemas"] if s["schema-id"] == d["current-schema-id"]][0]
    for f in cur["fields"]:
        L.append("sql %d %s" % (f["id"], sql_type(f["type"])))
    L.append("default-spec-id %d" % d["default-spec-id"])
    L.append("last-partition-id %d" % d["last-partition-id"])
    for s in d["partition-specs"]:
        L.append("spec %d [%s]" % (s["spec-id"], ", ".join(
            "%d<-%d %s %s" % (f["field-id"], f["source-id"], q(f["name"]), transform(f["transform"]))
            for f in s["fields"])))
    L.append("default-sort-order-id %d" % d["default-sort-order-id"])
    for o in d["sort-orders"]:
        L.append("sort-order %d [%s]" % (o["order-id"], ", ".join(
            "%d %s %s %s" % (f["source-id"], transform(f["transform"]), f["direction"], f["null-order"])
            for f in o["fields"])))
    for k, v in d.get("properties", {}).items():
        L.append("property %s %s" % (q(k), q(v)))
    cs = d.get("current-snapshot-id")
    L.append("current-snapshot-id %d" % (-1 if cs is None else cs))
    snaps = d.get("snapshots", [])
    L.append("snapshots %d" % len(snaps))
    for s in snaps:
        L.append("snapshot %d parent %s seq %d ts %d schema %s list %s" % (
            s["snapshot-id"], s.get("parent-snapshot-id", "-"), s["sequence-number"], s["timestamp-ms"],
            s.get("schema-id", "-"), s["manifest-list"]))
        for k, v in s["summary"].items():
            L.append("summary %d %s %s" % (s["snapshot-id"], q(k), q(v)))
    for name, r in d.get("refs", {}).items():
        L.append("ref %s %s %d %d %d %d" % (q(name), r["type"], r["snapshot-id"], r.get("min-snapshots-to-keep", -1),
                                           r.get("max-snapshot-age-ms", -1), r.get("max-ref-age-ms", -1)))
    for e in d.get("snapshot-log", []):
        L.append("snapshot-log %d %d" % (e["timestamp-ms"], e["snapshot-id"]))
    for e in d.get("metadata-log", []):
        L.append("metadata-log %d %s" % (e["timestamp-ms"], e["metadata-file"]))
    L.append("extra-keys" + "".join(" " + k for k in d if k not in KNOWN_TOP))
    return L


def compare(what, got, want):
    if got == want:
        return True
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            fail("%s: line %d\n  orbit:  %s\n  python: %s" % (what, i + 1, g, w))
            return False
    fail("%s: orbit printed %d lines, python %d" % (what, len(got), len(want)))
    return False


# --- 1. every table reads as python reads it ----------------------------------

tables = sorted(os.path.dirname(m) for m in glob.glob(os.path.join(FIXTURES, "**", "metadata"), recursive=True))
assert len(tables) >= 20, "fixture tables not found under %s" % FIXTURES
read_ok = v3_refused = 0
for table in tables:
    name = os.path.relpath(table, FIXTURES)
    version, fname = current_file(table)
    d = json.load(open(os.path.join(table, "metadata", fname)))
    rc, out, err = run("show", table)
    if d["format-version"] >= 3:
        if rc == 1 and "format version %d is not supported" % d["format-version"] in err and fname in err:
            v3_refused += 1
        else:
            fail("%s: format version %d not refused clearly (rc %d): %s" % (name, d["format-version"], rc, err))
        continue
    if rc != 0:
        fail("%s: %s" % (name, err.strip()))
        continue
    lines = out.splitlines()
    if lines[0] != "file %s version %d" % (fname, version):
        fail("%s: chose %s, python chose %s" % (name, lines[0], fname))
    if compare(name, lines[1:], expected(d)):
        read_ok += 1
print("tables read and equal to python's reading: %d; format version 3 refused: %d" % (read_ok, v3_refused))
if v3_refused != 1:
    fail("expected exactly one format-version 3 table (deletion_vectors), refused %d" % v3_refused)

# Facts from the tables' create.sql, spelled out (not derived from the JSON).
def show_lines(table):
    rc, out, err = run("show", os.path.join(FIXTURES, table))
    return out.splitlines() if rc == 0 else [err]

b = show_lines("bucket_partitioning")
want_spec = ("spec 0 [1000<-1 \"col_int_bucket\" bucket(2), 1001<-2 \"col_long_bucket\" bucket(3), "
             "1002<-3 \"col_decimal_bucket\" bucket(4), 1003<-4 \"col_date_bucket\" bucket(5), "
             "1004<-5 \"col_time_bucket\" bucket(6), 1005<-6 \"col_timestamp_bucket\" bucket(100), "
             "1006<-7 \"col_timestamptz_bucket\" bucket(123), 1007<-8 \"col_string_bucket\" bucket(42), "
             "1008<-9 \"col_uuid_bucket\" bucket(55), 1009<-10 \"col_varbinary_bucket\" bucket(812)]")
if want_spec not in b:
    fail("bucket_partitioning: the spec of create.sql's ARRAY['bucket(col_int, 2)', ...] is not %s" % want_spec)
t = show_lines("types/all_trino_types")
for line in ("sql 7 decimal(18,5)", "sql 10 timestamp", "sql 11 timestamptz", "sql 13 uuid", "sql 14 bytea",
             "sql 15 unsupported ok", "sql 5 real", "sql 4 bigint"):
    if line not in t:
        fail("all_trino_types: expected '%s' (create.sql's column types)" % line)
if 'spec 0 [1000<-1 "c1" void]' not in show_lines("partitioned_table_with_void_transform"):
    fail("partitioned_table_with_void_transform: void transform not read")

# --- 2. writer round trip: every v2 metadata file ------------------------------

tmp = tempfile.mkdtemp()
try:
    files = sorted(glob.glob(os.path.join(FIXTURES, "**", "metadata", "*.metadata.json"), recursive=True))
    same = 0
    for f in files:
        d = json.load(open(f))
        if d["format-version"] >= 3:
            continue
        out = os.path.join(tmp, "out.metadata.json")
        rc, _, err = run("write", f, out)
        if rc != 0:
            fail("%s: write: %s" % (f, err.strip()))
            continue
        w = json.load(open(out))
        if w != d:
            keys = sorted(set(d) | set(w))
            diff = [k for k in keys if d.get(k) != w.get(k)]
            fail("%s: written JSON differs in %s" % (f, diff))
            continue
        rc1, a, _ = run("show", f)
        rc2, b2, _ = run("show", out)
        if rc1 or rc2 or a.splitlines()[1:] != b2.splitlines()[1:]:
            fail("%s: model read back from the written file differs" % f)
            continue
        same += 1
    print("metadata files written back identical (python json) and re-read to the same model: %d" % same)
    if same < 70:
        fail("only %d files round-tripped" % same)

    # --- 3. commits into a copy; version-hint.text; probing forward --------------
    t = os.path.join(tmp, "no_partitioning")
    shutil.copytree(os.path.join(FIXTURES, "no_partitioning"), t)
    v, fname = current_file(t)
    rc, out, err = run("commit", t, os.path.join(t, "metadata", fname))
    if rc != 0 or not out.strip().endswith("/metadata/v%d.metadata.json" % (v + 1)):
        fail("commit: %d %s %s" % (rc, out, err))
    hint = open(os.path.join(t, "metadata", "version-hint.text")).read()
    if hint.strip() != str(v + 1):
        fail("version-hint.text says %r after committing v%d" % (hint, v + 1))
    rc, out, _ = run("show", t)
    if not out.startswith("file v%d.metadata.json version %d\n" % (v + 1, v + 1)):
        fail("after commit the table opens at %s" % out.splitlines()[:1])
    if json.load(open(os.path.join(t, "metadata", "v%d.metadata.json" % (v + 1)))) != \
            json.load(open(os.path.join(t, "metadata", fname))):
        fail("the committed file is not the document committed")
    leftovers = [n for n in os.listdir(os.path.join(t, "metadata")) if n.startswith(".")]
    if leftovers:
        fail("temporary files left behind: %s" % leftovers)
    # A newer version than the hint names (a committer died before updating it).
    shutil.copy(os.path.join(t, "metadata", fname), os.path.join(t, "metadata", "v%d.metadata.json" % (v + 2)))
    rc, out, _ = run("show", t)
    if not out.startswith("file v%d.metadata.json version %d\n" % (v + 2, v + 2)):
        fail("probing past version-hint.text: opened %s" % out.splitlines()[:1])
    # A garbage hint: fall back to listing.
    open(os.path.join(t, "metadata", "version-hint.text"), "w").write("not a number")
    rc, out, _ = run("show", t)
    if not out.startswith("file v%d.metadata.json version %d\n" % (v + 2, v + 2)):
        fail("garbage version-hint.text: opened %s" % out.splitlines()[:1])
    # Gzip: the same document compressed, named the Java way, is the newest.
    import gzip
    with open(os.path.join(t, "metadata", fname), "rb") as src:
        data = src.read()
    with gzip.open(os.path.join(t, "metadata", "v%d.gz.metadata.json" % (v + 3)), "wb") as g:
        g.write(data)
    rc, out, err = run("show", t)
    rc0, ref, _ = run("show", os.path.join(t, "metadata", fname))
    if rc or out.splitlines()[0] != "file v%d.gz.metadata.json version %d" % (v + 3, v + 3) or \
            out.splitlines()[1:] != ref.splitlines()[1:]:
        fail("gzip metadata: %s %s" % (out.splitlines()[:1], err))
    # Committing on a stale base loses with a clear error.
    os.remove(os.path.join(t, "metadata", "version-hint.text"))
    open(os.path.join(t, "metadata", "version-hint.text"), "w").write(str(v))
    # (the dump commits on the current version, found by probing: v+3 -> v+4 works)
    rc, out, err = run("commit", t, os.path.join(t, "metadata", fname))
    if rc != 0 or not out.strip().endswith("v%d.metadata.json" % (v + 4)):
        fail("commit after probing: %s %s" % (out, err))
finally:
    shutil.rmtree(tmp)

print("ice_meta_test: %s" % ("FAILED (%d)" % failures if failures else "ok"))
sys.exit(1 if failures else 0)
