#!/usr/bin/env python3
"""Array columns in the database's own Iceberg tables: CREATE TABLE ...
USING iceberg with T[] columns, INSERT (VALUES, SELECT, a 3,000-element
array), COPY FROM csv, UPDATE, DELETE, ALTER TABLE ADD COLUMN of an array,
CALL rewrite_data_files, every statement run on a hot twin table too and
the rows compared after each (NULL and empty arrays, NULL elements).

The table as others see it: its metadata's list types (element-id,
element-required false, ids never reused, last-column-id), its manifests'
metrics through avsc (value and null counts by the element's id, no
bounds, nothing by the list's own id), DuckDB reading its data files (the
same lists, the Parquet field ids), and npm icebird reading the table with
its deletes (the same rows).

usage: iceberg_array_test.py ORBIT_SHELL"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

from sqltest import *  # noqa: F401,F403 (ORBIT, DB, check, orbit, ...: shared by the SQL storage tests)

have_duckdb = os.path.isdir(os.path.join(INTEROP, "node_modules", "@duckdb"))
have_icebird = os.path.isdir(os.path.join(INTEROP, "node_modules", "icebird"))
COLS = "id, xs, ts, ds, bs"


def norm(x):
    """JSON values compared across readers: numbers as text (1.50 and 1.5 alike), lists item by item."""
    if isinstance(x, list):
        return [norm(v) for v in x]
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else repr(x)
    if isinstance(x, str):
        try:
            return norm(float(x)) if x.strip().lstrip("-").replace(".", "", 1).isdigit() else x
        except ValueError:
            return x
    return str(x)


def json_rows(table, cols=COLS):
    """Orbit's rows as JSON arrays (arrays through to_json), sorted."""
    sel = ", ".join(f"to_json({c}) AS {c}" for c in cols.split(", "))
    out = orbit(f"SELECT {sel} FROM {table} ORDER BY id")
    rows = list(csv.reader(io.StringIO(out)))[1:]
    return sorted(json.dumps(norm([json.loads(v) if v else None for v in r])) for r in rows)


def same(what):
    """The Iceberg table's rows equal the hot twin's."""
    ours = orbit("SELECT id, xs::text AS xs, ts::text AS ts, ds::text AS ds, bs::text AS bs FROM arr ORDER BY id")
    hot = orbit("SELECT id, xs::text AS xs, ts::text AS ts, ds::text AS ds, bs::text AS bs FROM twin ORDER BY id")
    check(ours, hot, what)
    return ours


def both(sql, want, what):
    check(orbit(sql.replace("{t}", "arr")), want, what + " (iceberg)")
    check(orbit(sql.replace("{t}", "twin")), want, what + " (hot)")


def avro_records(path):
    p = subprocess.run(["node", "avro_avsc.mjs", path], cwd=INTEROP, capture_output=True, text=True)
    return [json.loads(l) for l in p.stdout.splitlines() if l and not l.startswith("#")]


try:
    ddl = "(id BIGINT NOT NULL, xs INTEGER[], ts TEXT[], ds NUMERIC(8,2)[], bs BOOLEAN[] NOT NULL)"
    check(orbit(f"CREATE TABLE arr {ddl} USING iceberg"), "CREATE TABLE", "create with array columns")
    check(orbit(f"CREATE TABLE twin {ddl}"), "CREATE TABLE", "create the hot twin")
    gen = ("SELECT g, CASE WHEN g % 10 = 0 THEN NULL WHEN g % 10 = 1 THEN '{}' ELSE ARRAY(SELECT CASE WHEN (g + k) % 5 = 0 "
           "THEN NULL ELSE g * 10 + k END FROM generate_series(1, CASE WHEN g = 777 THEN 3000 ELSE g % 6 + 1 END) s(k)) END, "
           "CASE WHEN g % 9 = 0 THEN NULL ELSE ARRAY['t' || g % 50, NULL, 'größe'] END, "
           "CASE WHEN g % 8 = 0 THEN '{}' ELSE ARRAY[g * 0.25, -g] END, ARRAY[g % 2 = 0, NULL] FROM generate_series(1, 5000) g")
    both(f"INSERT INTO {{t}} {gen}", "INSERT 0 5000", "insert ... select")
    both("INSERT INTO {t} VALUES (6001, '{NULL}', '{\"a,b\",\"q\\\"x\",\"\"}', NULL, '{}'), "
         "(6002, '{}'::integer[], ARRAY[NULL]::text[], '{NULL,NULL}', '{true}')", "INSERT 0 2", "insert values")
    path = os.path.join(tmp, "arr.csv")
    with open(path, "w") as f:
        f.write("id,xs,ts,ds,bs\n")
        for g in range(7000, 7100):
            f.write(f'{g},"{{{g},NULL,{g + 1}}}","{{c{g}}}",,"{{f}}"\n')
    both(f"COPY {{t}} FROM '{path}' WITH (FORMAT csv, HEADER true)", "COPY 100", "copy from csv")
    same("rows after inserts and COPY")
    both("SELECT count(*), sum(cardinality(xs)), count(xs) FROM {t}", "count,sum,count\n5102,"
         + orbit("SELECT sum(cardinality(xs)) FROM twin").splitlines()[1] + ","
         + orbit("SELECT count(xs) FROM twin").splitlines()[1], "aggregates over arrays")
    both("SELECT count(*) FROM {t} WHERE 4021 = ANY(xs)", "count\n1", "= ANY over an array column")
    both("SELECT id, xs[2] AS x2, ts[1] AS t1 FROM {t} WHERE xs IS NOT NULL AND cardinality(xs) = 0 AND id < 40 ORDER BY id",
         "id,x2,t1\n1,,t1\n11,,t11\n21,,t21\n31,,t31", "subscripts, IS NOT NULL, empty arrays")
    check(orbit("SELECT cardinality(xs) FROM arr WHERE id = 777"), "cardinality\n3000", "the long array")

    # -- the metadata: list types with fresh element ids
    m = metadata("arr")
    fields = m["schemas"][-1]["fields"]
    types = {f["name"]: f["type"] for f in fields}
    check(types["xs"], {"type": "list", "element-id": 6, "element": "int", "element-required": False}, "xs is list<int>")
    check(types["ds"]["element"], "decimal(8, 2)", "ds is list<decimal(8, 2)>")
    check([f["required"] for f in fields], [True, False, False, False, True], "required columns")
    ids = [f["id"] for f in fields] + [t["element-id"] for t in types.values() if isinstance(t, dict)]
    check(sorted(ids), list(range(1, 10)), "column and element ids distinct")
    check(m["last-column-id"], 9, "last-column-id covers the element ids")

    # -- the manifests' metrics: the element's counts, no bounds
    entries = []
    for snap in [s for s in m["snapshots"] if s["snapshot-id"] == m["current-snapshot-id"]]:
        for ml in avro_records(os.path.join(table_dir("arr"), "metadata", os.path.basename(snap["manifest-list"]))):
            entries += avro_records(os.path.join(table_dir("arr"), "metadata", os.path.basename(ml["manifest_path"])))
    data = [e["data_file"] for e in entries if e["status"] != 2 and e["data_file"].get("content", 0) == 0]
    check(len(data), 3, "three data files: " + " ".join(str(d["record_count"]) for d in data))
    kv = lambda d, key: {x["key"]: x["value"] for x in (d.get(key) or [])}  # noqa: E731
    vc = sum(int(kv(d, "value_counts").get(6, 0)) for d in data)
    nc = sum(int(kv(d, "null_value_counts").get(6, 0)) for d in data)
    entries_xs = orbit("SELECT sum(CASE WHEN xs IS NULL OR cardinality(xs) = 0 THEN 1 ELSE cardinality(xs) END) FROM twin").splitlines()[1]
    present = orbit("SELECT count(x) FROM (SELECT unnest(xs) AS x FROM twin) s").splitlines()[1]
    check(vc, int(entries_xs), "value_counts of xs's element: its entries")
    check(nc, int(entries_xs) - int(present), "null_value_counts of xs's element: entries without a value")
    check(any(2 in kv(d, "value_counts") for d in data), False, "no metrics by the list's own id")
    check(any(k in (6, 7, 8, 9) for d in data for k in kv(d, "lower_bounds")), False, "no bounds for list elements")
    check(all(1 in kv(d, "lower_bounds") for d in data), True, "bounds for the flat column")

    # -- DuckDB over the data files: the same lists, the field ids in the files
    if have_duckdb:
        theirs = duckdb(f"SELECT id, to_json(xs) AS xs, to_json(ts) AS ts, to_json(ds) AS ds, to_json(bs) AS bs "
                        f"FROM read_parquet('{table_dir('arr')}/data/**/*.parquet') ORDER BY id")
        rows = list(csv.reader(io.StringIO(theirs)))[1:]
        check(sorted(json.dumps(norm([json.loads(v) if v else None for v in r])) for r in rows), json_rows("arr"),
              "DuckDB reads the same lists from the data files")
        first = sorted(f for f in files("arr") if f.endswith(".parquet"))[0]
        schema = duckdb(f"SELECT name, field_id FROM parquet_schema('{first}') "
                        "WHERE name IN ('xs', 'list', 'element') LIMIT 3")
        check(schema, "name,field_id\nxs,2\nlist,\nelement,6", "Parquet field ids: the list's and the element's")
    else:
        print("DuckDB (npm) not installed: the DuckDB comparisons are skipped")

    # -- UPDATE, DELETE, ADD COLUMN, each on both tables
    both("UPDATE {t} SET xs = array_append(xs, -1) WHERE id % 7 = 3", "UPDATE 729", "update appends an element")
    both("UPDATE {t} SET ts = NULL, ds = '{}' WHERE id BETWEEN 100 AND 120", "UPDATE 21", "update to NULL and empty arrays")
    both("DELETE FROM {t} WHERE cardinality(xs) > 5 OR xs IS NULL", "DELETE " + orbit(
        "SELECT count(*) FROM twin WHERE cardinality(xs) > 5 OR xs IS NULL").splitlines()[1], "delete by an array condition")
    same("rows after UPDATE and DELETE")
    both("ALTER TABLE {t} ADD COLUMN ys BIGINT[]", "ALTER TABLE", "add an array column")
    types = {f["name"]: f for f in metadata("arr")["schemas"][-1]["fields"]}
    check((types["ys"]["id"], types["ys"]["type"]["element-id"]), (10, 11), "the new column and its element take new ids")
    check(metadata("arr")["last-column-id"], 11, "last-column-id after ADD COLUMN")
    both("INSERT INTO {t} (id, bs, ys) VALUES (9001, '{}', '{1,NULL,9000000000}')", "INSERT 0 1", "insert into the new column")
    both("SELECT id, ys FROM {t} WHERE ys IS NOT NULL", "id,ys\n9001,\"{1,NULL,9000000000}\"", "the new column reads back")
    same("rows after ADD COLUMN")
    if have_icebird:
        p = subprocess.run(["node", "iceberg_list_rows.mjs", table_dir("arr"), "id", "xs", "ts", "ds", "bs", "ys"], cwd=INTEROP,
                           capture_output=True, text=True)
        theirs = sorted(json.dumps(norm(json.loads(l))) for l in p.stdout.splitlines() if l)
        check(p.returncode, 0, "icebird reads the table: " + p.stderr[-300:])
        check(theirs, json_rows("arr", COLS + ", ys"), "icebird's rows (deletes applied) equal Orbit's")
    else:
        print("icebird (npm) not installed: its comparison is skipped")

    if have_icebird:   # the table as a whole: metadata, every manifest (avsc), icebird's row count
        p = subprocess.run(["node", "iceberg_table_read.mjs", table_dir("arr")], cwd=INTEROP, capture_output=True, text=True)
        n = orbit("SELECT count(*) FROM arr").splitlines()[1]
        check(p.returncode == 0 and f" rows={n} " in p.stdout, True, "iceberg_table_read.mjs reads the table: " + p.stdout[-300:])

    # -- compaction writes the lists again
    before = same("before compaction")
    out = orbit("CALL rewrite_data_files('arr')").splitlines()
    check(len(out), 2, "rewrite_data_files ran: " + " ".join(out))
    check(same("rows after compaction"), before, "compaction keeps every array")

    # -- what stays refused, naming the column
    expect_error("CREATE TABLE bad (s INTERVAL[]) USING iceberg", "interval")
    expect_error("CREATE TABLE bad (j JSONB[]) USING iceberg", "json")
    check(os.path.exists(table_dir("bad")), False, "a refused CREATE leaves no folder")
finally:
    shutil.rmtree(tmp)
print(f"{counts.checks} checks, {counts.failures} failures")
sys.exit(1 if counts.failures else 0)
