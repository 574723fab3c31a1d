import assert from "node:assert/strict";
import { openEmbeddedClient } from "./embedded_client.ts";
import { LookupCache, lookupCacheFor } from "./lookup_cache.ts";

async function withTwoConnections(
  work: (
    mine: ReturnType<typeof openEmbeddedClient>,
    other: ReturnType<typeof openEmbeddedClient>,
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "md-cache-" });
  const mine = openEmbeddedClient(`${dir}/app.db`, { timeoutMs: 1000 });
  const other = openEmbeddedClient(`${dir}/app.db`, { timeoutMs: 1000 });
  try {
    await mine.execute("PRAGMA journal_mode = WAL");
    await mine.execute("create table role (user text primary key, name text)");
    await mine.execute("insert into role values ('ada', 'owner')");
    await work(mine, other);
  } finally {
    mine.close();
    other.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Reads Ada's role through the cache, counting how often the database was asked. */
function roleReader(client: ReturnType<typeof openEmbeddedClient>) {
  const cache = lookupCacheFor(client);
  const reader = {
    loads: 0,
    read: (now = 0, until = Infinity) =>
      cache.get("role ada", now, async () => {
        reader.loads++;
        const { rows } = await client.execute("select name from role where user = 'ada' limit 1");
        return { value: String(rows[0]?.name), until };
      }),
  };
  return reader;
}

Deno.test("an answer is kept while the database is unchanged", async () => {
  await withTwoConnections(async (mine) => {
    const ada = roleReader(mine);
    assert.equal(await ada.read(), "owner");
    assert.equal(await ada.read(), "owner");
    await mine.execute("select count(*) from role");
    assert.equal(await ada.read(), "owner");
    assert.equal(ada.loads, 1, "reads in between change nothing");
  });
});

Deno.test("a change from another connection, or this one, is seen by the next read", async () => {
  await withTwoConnections(async (mine, other) => {
    const ada = roleReader(mine);
    assert.equal(await ada.read(), "owner");
    await other.execute("update role set name = 'editor' where user = 'ada'");
    assert.equal(await ada.read(), "editor", "another thread's or process's commit");
    await mine.execute("update role set name = 'reviewer' where user = 'ada'");
    assert.equal(await ada.read(), "reviewer", "our own write");
    await mine.batch(["update role set name = 'owner' where user = 'ada'"]);
    assert.equal(await ada.read(), "owner", "our own batch");
    await other.execute("insert into role values ('bob', 'editor')");
    assert.equal(await ada.read(), "owner");
    assert.equal(ada.loads, 5, "any change drops every answer");
  });
});

Deno.test("an answer is not kept past its own expiry, nor while a transaction is open", async () => {
  await withTwoConnections(async (mine) => {
    const ada = roleReader(mine);
    await ada.read(1000, 2000);
    await ada.read(1999, 2000);
    assert.equal(ada.loads, 1);
    await ada.read(2000, 3000);
    assert.equal(ada.loads, 2, "expired at its until");

    const tx = await mine.transaction("write");
    await tx.execute("update role set name = 'editor' where user = 'ada'");
    const during = ada.read(2500, 3000); // waits for the transaction, then loads
    await tx.commit();
    assert.equal(await during, "editor");
    assert.equal(ada.loads, 3);
    assert.equal(await ada.read(2500, 3000), "editor");
    assert.equal(await ada.read(2500, 3000), "editor");
    assert.equal(ada.loads, 4, "the answer loaded during the transaction was not kept");
  });
});

Deno.test("a client that cannot tell when the database changed always asks it", async () => {
  const cache = new LookupCache(null);
  let loads = 0;
  const load = () => Promise.resolve({ value: ++loads, until: Infinity });
  assert.equal(await cache.get("k", 0, load), 1);
  assert.equal(await cache.get("k", 0, load), 2);
  assert.equal(await cache.get("k", 0, () => Promise.resolve(null)), null, "no answer");
});

Deno.test("after a reconnect, answers are still kept and still dropped by a change", async () => {
  await withTwoConnections(async (mine, other) => {
    const ada = roleReader(mine);
    assert.equal(await ada.read(), "owner");
    mine.reconnect();
    assert.equal(await ada.read(), "owner");
    assert.equal(await ada.read(), "owner");
    await other.execute("update role set name = 'editor' where user = 'ada'");
    assert.equal(await ada.read(), "editor");
    assert.equal(ada.loads, 3, "one load after the reconnect, one after the change");
  });
});
