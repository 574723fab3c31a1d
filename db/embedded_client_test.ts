import assert from "node:assert/strict";
import { LibsqlBatchError, LibsqlError } from "@libsql/client";
import { openEmbeddedClient } from "./embedded_client.ts";

async function withClient(
  work: (client: ReturnType<typeof openEmbeddedClient>, path: string) => Promise<void>,
  options: Parameters<typeof openEmbeddedClient>[1] = { timeoutMs: 1000 },
) {
  const dir = await Deno.makeTempDir({ prefix: "md-db-" });
  const client = openEmbeddedClient(`${dir}/app.db`, options);
  try {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("create table film (id integer primary key, name text unique, n)");
    await work(client, `${dir}/app.db`);
  } finally {
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rows read by column name and by index, as the stock client gives them", async () => {
  await withClient(async (client) => {
    const insert = await client.execute({
      sql: "insert into film (name, n) values (?, ?), (?, ?)",
      args: ["Heist", 1, "Noir", 2.5],
    });
    assert.equal(insert.rowsAffected, 2);
    assert.equal(insert.lastInsertRowid, 2n);
    const { rows, columns } = await client.execute("select name, n, name as again from film");
    assert.deepEqual(columns, ["name", "n", "again"]);
    assert.deepEqual(rows.map((r) => [r.name, r.n, r[0], r[1], r[2], r.length]), [
      ["Heist", 1, "Heist", 1, "Heist", 3],
      ["Noir", 2.5, "Noir", 2.5, "Noir", 3],
    ]);
    assert.deepEqual(Object.keys(rows[0]!), ["name", "n", "again"], "indexes are not enumerable");
    const twice = await client.execute("select name, n as name from film where n = 1");
    const row = twice.rows[0]!;
    assert.deepEqual([row.name, row[0], row[1], row.length], ["Heist", "Heist", 1, 2]);
    assert.deepEqual(Object.keys(row), ["name"], "the first of two columns named alike wins");
    const named = await client.execute({ sql: "select :x + 1 as y", args: { ":x": 41 } });
    assert.equal(named.rows[0]!.y, 42);
  });
});

Deno.test("a statement ending in limit 1 gives its one row, or none", async () => {
  await withClient(async (client) => {
    await client.execute("insert into film (name, n) values ('A', 1), ('B', 2)");
    const one = await client.execute("select name, n from film order by n desc limit 1");
    assert.deepEqual(one.rows.map((r) => [r.name, r[1]]), [["B", 2]]);
    const none = await client.execute({
      sql: "select name from film where n > ? limit 1",
      args: [5],
    });
    assert.deepEqual(none.rows, []);
    assert.deepEqual(none.columns, ["name"]);
  });
});

Deno.test("the same statement run again sees new data (statements are kept, results are not)", async () => {
  await withClient(async (client) => {
    const count = () => client.execute("select count(*) as c from film").then((r) => r.rows[0]!.c);
    assert.equal(await count(), 0);
    await client.execute({ sql: "insert into film (name) values (?)", args: ["A"] });
    assert.equal(await count(), 1);
  });
});

Deno.test("a batch is all or nothing, and says which statement failed and why", async () => {
  await withClient(async (client) => {
    await client.execute({ sql: "insert into film (name) values (?)", args: ["Taken"] });
    const error = await client.batch([
      { sql: "insert into film (name) values (?)", args: ["New"] },
      { sql: "insert into film (name) values (?)", args: ["Taken"] },
    ], "write").then(() => null, (e) => e);
    assert.ok(error instanceof LibsqlBatchError);
    assert.equal(error.statementIndex, 1);
    assert.match(String(error), /UNIQUE constraint failed/);
    const names = await client.execute("select name from film order by id");
    assert.deepEqual(names.rows.map((r) => r.name), ["Taken"], "the first insert was rolled back");
    const ok = await client.batch([
      { sql: "insert into film (name) values (?)", args: ["B"] },
      "select count(*) as c from film",
    ]);
    assert.equal(ok[1]!.rows[0]!.c, 2);
  });
});

Deno.test("batches asked for together commit together, yet each is all or nothing", async () => {
  await withClient(async (client) => {
    const insert = (name: string) => ({ sql: "insert into film (name) values (?)", args: [name] });
    const settled = await Promise.allSettled([
      client.batch([insert("A1"), insert("A2"), "select count(*) as c from film"]),
      client.batch([insert("B1"), insert("A1")]),
      client.batch([insert("C1")]),
    ]);
    assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "rejected", "fulfilled"]);
    const first = settled[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof client.batch>>>;
    assert.equal(first.value[2]!.rows[0]!.c, 2, "a batch sees its own writes");
    const failed = (settled[1] as PromiseRejectedResult).reason;
    assert.ok(failed instanceof LibsqlBatchError);
    assert.equal(failed.statementIndex, 1);
    const names = await client.execute("select name from film order by id");
    assert.deepEqual(names.rows.map((r) => r.name), ["A1", "A2", "C1"], "B1 went with its batch");
  });
});

Deno.test("a transaction opened while batches wait for their commit goes first", async () => {
  await withClient(async (client) => {
    const later = client.batch([{ sql: "insert into film (name) values (?)", args: ["Batch"] }]);
    const tx = await client.transaction("write");
    await tx.execute({ sql: "insert into film (name) values (?)", args: ["Tx"] });
    await new Promise((r) => setTimeout(r, 20));
    await tx.commit();
    await later;
    const names = await client.execute("select name from film order by id");
    assert.deepEqual(names.rows.map((r) => r.name), ["Tx", "Batch"]);
  });
});

Deno.test("bad arguments are refused before they reach the database", async () => {
  await withClient(async (client) => {
    await assert.rejects(
      client.execute({ sql: "insert into film (name, n) values (?, ?)", args: ["x", NaN] }),
      RangeError,
    );
    await assert.rejects(client.execute("select * from nowhere"), LibsqlError);
    assert.equal((await client.execute("select count(*) as c from film")).rows[0]!.c, 0);
  });
});

Deno.test("an open transaction owns the connection: other calls wait until it settles", async () => {
  await withClient(async (client) => {
    const tx = await client.transaction("write");
    await tx.execute({ sql: "insert into film (name) values (?)", args: ["Draft"] });
    let outsideSaw: unknown = "not yet";
    const outside = client.execute("select count(*) as c from film").then((r) => {
      outsideSaw = r.rows[0]!.c;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(outsideSaw, "not yet", "a read outside the transaction waits for it");
    await tx.rollback();
    await outside;
    assert.equal(outsideSaw, 0, "and then sees the rolled-back state");
    assert.ok(tx.closed);
    await assert.rejects(tx.execute("select 1"), /transaction is closed/);

    const kept = await client.transaction();
    await kept.execute({ sql: "insert into film (name) values (?)", args: ["Final"] });
    await kept.commit();
    assert.equal((await client.execute("select name from film")).rows[0]!.name, "Final");
  });
});

Deno.test("a closed client says so", async () => {
  await withClient(async (client) => {
    client.close();
    await assert.rejects(client.execute("select 1"), /client is closed/);
    client.reconnect();
    assert.equal((await client.execute("select 1 as one")).rows[0]!.one, 1);
  });
});

Deno.test("a statement that fails works again for the next caller, on the same connection", async () => {
  await withClient(async (client) => {
    // SQLite's json() refuses text nested deeper than 1,000 levels: one such row fails a read.
    const deep = "[".repeat(1001) + "]".repeat(1001);
    await client.execute({
      sql: "insert into film (id, name, n) values (1, 'Good', '[1]'), (2, 'Deep', ?)",
      args: [deep],
    });
    const reads = [
      { sql: "select json(n) as j from film where id = ? limit 1", good: [1], bad: [2] },
      { sql: "select json(n) as j from film where id = ?", good: [1], bad: [2] },
      {
        sql: "select json_group_array(json(n)) as j from film where id <= ? limit 1",
        good: [1],
        bad: [2],
      },
    ];
    for (const { sql, good, bad } of reads) {
      await assert.rejects(client.execute({ sql, args: bad }), /malformed JSON/, sql);
      const again = await client.execute({ sql, args: good });
      assert.match(String(again.rows[0]?.j), /^\[?\[1\]\]?$/, sql);
    }

    const insert = "insert into film (name) values (?)";
    await assert.rejects(client.execute({ sql: insert, args: ["Good"] }), /UNIQUE/);
    assert.equal((await client.execute({ sql: insert, args: ["Other"] })).rowsAffected, 1);
    const batchFails = client.batch([{ sql: "select json(?) as j limit 1", args: [deep] }]);
    await assert.rejects(batchFails, /malformed JSON/);
    const batch = await client.batch([{ sql: "select json(?) as j limit 1", args: ["[2]"] }]);
    assert.equal(batch[0]!.rows[0]!.j, "[2]", "a batch's statement too");
  });
});
