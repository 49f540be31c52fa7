// tests/interop/pg_client.mjs — node-postgres (the `pg` package from npm, a
// driver no one here wrote) against orbitd: simple and parameterized queries,
// type parsing by OID, transactions, errors.  usage: node pg_client.mjs PORT
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
  console.log("node-postgres client: all checks passed");
} finally {
  await client.end();
}
