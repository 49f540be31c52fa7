// tests/interop/pg_client.mjs — node-postgres (the `pg` package from npm, a
// driver no one here wrote) against orbitd: simple and parameterized queries,
// type parsing by OID, transactions, errors, and results in binary format
// (`binary: true`: node-postgres's own decoders for int4[], int8[] and text[]
// arrays and scalars).  usage: node pg_client.mjs PORT
import assert from "node:assert/strict";
import pg from "pg";

const client = new pg.Client({ host: "127.0.0.1", port: Number(process.argv[2]), user: "node", database: "orbit" });
await client.connect();
try {
  await client.query("CREATE TABLE np (id BIGINT PRIMARY KEY, name TEXT, price DECIMAL(8,2), seen TIMESTAMPTZ, ok BOOLEAN, x DOUBLE PRECISION)");
  // parameterized: the extended protocol with types inferred by the server
  const ins = await client.query("INSERT INTO np VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)",
    [1, "apple", "1.50", new Date("2026-01-02T03:04:05Z"), true, 0.5, 2, null, null, null, false, null]);
  assert.equal(ins.rowCount, 2);
  assert.equal(ins.command, "INSERT");

  const r = await client.query("SELECT id, name, price, seen, ok, x FROM np ORDER BY id");
  assert.equal(r.rows.length, 2);
  assert.deepEqual(r.fields.map((f) => f.dataTypeID), [20, 25, 1700, 1184, 16, 701]);
  assert.equal(r.rows[0].id, "1");                 // int8 arrives as a string in node-postgres
  assert.equal(r.rows[0].name, "apple");
  assert.equal(r.rows[0].price, "1.50");
  assert.equal(r.rows[0].seen.toISOString(), "2026-01-02T03:04:05.000Z");
  assert.equal(r.rows[0].ok, true);
  assert.equal(r.rows[0].x, 0.5);
  assert.equal(r.rows[1].name, null);
  assert.equal(r.rows[1].ok, false);

  const p = await client.query({ text: "SELECT name FROM np WHERE id = $1", values: ["1"], rowMode: "array" });
  assert.deepEqual(p.rows, [["apple"]]);

  // an error carries SQLSTATE, message, detail and position
  await assert.rejects(client.query("INSERT INTO np (id) VALUES (1)"), (e) => {
    assert.equal(e.code, "23505");
    assert.equal(e.detail, "Key (id)=(1) already exists.");
    return true;
  });
  await assert.rejects(client.query("SELECT nosuch FROM np"), (e) => e.code === "42703" && e.position === "8");

  // a transaction rolled back leaves nothing
  await client.query("BEGIN");
  await client.query("DELETE FROM np");
  await client.query("ROLLBACK");
  const c = await client.query("SELECT count(*) AS n FROM np");
  assert.equal(c.rows[0].n, "2");
  // json and jsonb: node-postgres parses both OIDs (114, 3802) into objects; parameters go as text
  await client.query("CREATE TABLE nj (id INT PRIMARY KEY, j JSONB, r JSON)");
  await client.query("INSERT INTO nj VALUES (1, $1, $2)", [{ b: [1, 2.5, null], a: "x\"y" }, '{"k" :  1}']);
  const j = await client.query("SELECT j, r, j -> 'b' AS b, j ->> 'a' AS a, (SELECT jsonb_agg(id) FROM nj) AS agg FROM nj");
  assert.deepEqual(j.fields.map((f) => f.dataTypeID), [3802, 114, 3802, 25, 3802]);
  assert.deepEqual(j.rows[0].j, { a: "x\"y", b: [1, 2.5, null] });
  assert.deepEqual(j.rows[0].r, { k: 1 });
  assert.deepEqual(j.rows[0].b, [1, 2.5, null]);
  assert.equal(j.rows[0].a, "x\"y");
  assert.deepEqual(j.rows[0].agg, [1]);
  // binary results: node-postgres asks for every column in binary and decodes it itself
  const bin = new pg.Client({ host: "127.0.0.1", port: Number(process.argv[2]), user: "node", database: "orbit", binary: true });
  await bin.connect();
  try {
    // (no NULL elements: node-postgres's binary array decoder misreads them, from PostgreSQL itself too)
    const b = await bin.query("SELECT ARRAY[1,2,300]::int8[] AS a, ARRAY['x','y z','']::text[] AS t, " +
      "ARRAY[7,8]::int4[] AS i, '{}'::int8[] AS e, $1::bigint AS n, $2::text AS s, true AS ok, 2.5::float8 AS f", [5, "hi"]);
    assert.deepEqual(b.fields.map((f) => [f.dataTypeID, f.format]),
      [[1016, "binary"], [1009, "binary"], [1007, "binary"], [1016, "binary"], [20, "binary"], [25, "binary"], [16, "binary"], [701, "binary"]]);
    const row = b.rows[0];
    assert.deepEqual(row.a.map(Number), [1, 2, 300]);   // (nor negative or large ones: it reads 32 bits unsigned)
    assert.deepEqual(row.t, ["x", "y z", ""]);
    assert.deepEqual(row.i, [7, 8]);
    assert.deepEqual(row.e, []);
    assert.equal(String(row.n), "5");
    assert.equal(row.s, "hi");
    assert.equal(row.ok, true);
    assert.equal(row.f, 2.5);
  } finally {
    await bin.end();
  }
  console.log("node-postgres client: all checks passed");
} finally {
  await client.end();
}
