/**
 * What the file client does beside the stock `@libsql/client`: kept statements, which must
 * behave exactly as freshly prepared ones would. The route tests check the rest on both clients.
 */
import assert from "node:assert/strict";
import { LibsqlBatchError } from "@libsql/client";
import { openFileClient } from "./file_client.ts";

async function withClient(
  work: (client: ReturnType<typeof openFileClient>, path: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "md-db-" });
  const client = openFileClient(`${dir}/app.db`, { timeoutMs: 1000 });
  try {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("create table film (id integer primary key, name text unique, n)");
    await work(client, `${dir}/app.db`);
  } finally {
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a kept statement run again sees new data and new arguments", async () => {
  await withClient(async (client) => {
    const names = (n: number) =>
      client.execute({ sql: "select name from film where n >= ? order by n", args: [n] })
        .then((r) => r.rows.map((row) => [row.name, row[0]]));
    assert.deepEqual(await names(0), []);
    await client.batch([
      { sql: "insert into film (name, n) values (?, ?)", args: ["Heist", 1] },
      { sql: "insert into film (name, n) values (?, ?)", args: ["Noir", 2] },
    ]);
    assert.deepEqual(await names(0), [["Heist", "Heist"], ["Noir", "Noir"]]);
    assert.deepEqual(await names(2), [["Noir", "Noir"]]);
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

Deno.test("a batch is all or nothing, and says which statement failed and why", async () => {
  await withClient(async (client) => {
    const insert = (name: string) => ({ sql: "insert into film (name) values (?)", args: [name] });
    await client.batch([insert("Taken")]);
    const failed = await client.batch([insert("New"), insert("Taken")]).catch((e) => e);
    assert.ok(failed instanceof LibsqlBatchError);
    assert.equal(failed.statementIndex, 1);
    assert.match(String(failed), /UNIQUE constraint failed/);
    const ok = await client.batch([insert("B"), "select count(*) as c from film"]);
    assert.equal(ok[1]!.rows[0]!.c, 2, "the batch sees its own write; New was rolled back");
  });
});

Deno.test("after a reconnect, statements are prepared on the new connection", async () => {
  await withClient(async (client) => {
    await client.execute({ sql: "insert into film (name) values (?)", args: ["Kept"] });
    client.close();
    await assert.rejects(client.execute("select name from film"), /client is closed/);
    await client.reconnect();
    const { rows } = await client.execute("select name from film");
    assert.deepEqual(rows.map((r) => r.name), ["Kept"]);
  });
});

Deno.test("a write waits while another writer holds the database's writers' lock; a read does not", async () => {
  await withClient(async (client, path) => {
    // Another serving thread (here another process) in the middle of a write: it holds the lock
    // 0.4 s from the moment it says "held".
    const holder = new Deno.Command("flock", {
      args: [`${path}.writer`, "-c", "echo held; sleep 0.4"],
      stdout: "piped",
    }).spawn();
    const reader = holder.stdout.getReader();
    const said = await reader.read();
    await reader.cancel();
    assert.match(new TextDecoder().decode(said.value), /held/);
    const start = performance.now();
    await client.execute("select count(*) from film");
    const readMs = performance.now() - start;
    await client.batch([{ sql: "insert into film (name, n) values (?, ?)", args: ["Heist", 1] }]);
    const writeMs = performance.now() - start;
    assert.equal((await holder.status).code, 0);
    assert.ok(readMs < 250, `the read waited ${readMs} ms for the writers' lock`);
    assert.ok(writeMs >= 300, `the write went ahead after ${writeMs} ms, inside the other's write`);
    const { rows } = await client.execute("select name from film");
    assert.deepEqual(rows.map((r) => r.name), ["Heist"]);
  });
});
