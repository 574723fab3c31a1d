import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { JobInput } from "../backends/backend.ts";
import { MemoryLogger } from "../log/memory_logger.ts";
import { TakeCache } from "./take_cache.ts";

const quick = { baseDelayMs: 1, random: () => 0, logger: new MemoryLogger() };
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Serves `files` by path and counts the GETs of each. */
function takeServer(files: Record<string, Uint8Array<ArrayBuffer>>) {
  const gets: Record<string, number> = {};
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    gets[path] = (gets[path] ?? 0) + 1;
    const body = files[path];
    return body ? new Response(body) : new Response("gone", { status: 404 });
  });
  return {
    input: (name: string, hash = sha256(files[`/${name}`]!)): JobInput => ({
      socket: name,
      url: `http://127.0.0.1:${server.addr.port}/${name}?sig=${crypto.randomUUID()}`,
      contentType: "video/mp4",
      sha256: hash,
    }),
    gets,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

async function folders() {
  const root = await Deno.makeTempDir({ prefix: "md-cache-" });
  const work = (n: number) => Deno.makeTempDir({ dir: root, prefix: `job${n}-` });
  return {
    root,
    work,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

const bytesOf = (n: number, fill: number) => new Uint8Array(n).fill(fill);

Deno.test("a take is downloaded once, then linked from the cache into each job's folder", async () => {
  await using f = await folders();
  await using s = takeServer({ "/a": bytesOf(1000, 1) });
  const cache = new TakeCache(`${f.root}/cache`, 10_000);
  const first = await cache.fetch(s.input("a"), await f.work(1), { retry: quick });
  const job2 = await f.work(2);
  const second = await cache.fetch(s.input("a"), job2, { retry: quick });
  assert.deepEqual([first.hit, second.hit], [false, true]);
  assert.equal(s.gets["/a"], 1, "the signed URL changes between jobs; the hash does not");
  assert.equal(second.path, `${job2}/input-a.mp4`);
  assert.deepEqual(await Deno.readFile(second.path), bytesOf(1000, 1));
});

Deno.test("bytes that do not match the take's SHA-256 fail and are not kept", async () => {
  await using f = await folders();
  await using s = takeServer({ "/a": bytesOf(100, 7) });
  const cache = new TakeCache(`${f.root}/cache`, 10_000);
  const wrong = s.input("a", "0".repeat(64));
  await assert.rejects(
    cache.fetch(wrong, await f.work(1), { retry: quick }),
    /input 'a': the download's SHA-256 is [0-9a-f]{64}, not the take's 0{64}/,
  );
  const again = await cache.fetch(wrong, await f.work(2), { retry: quick }).catch(() => null);
  assert.equal(again, null);
  assert.equal(s.gets["/a"], 2, "nothing was cached under the wrong hash");
  assert.deepEqual([...Deno.readDirSync(`${f.root}/cache`)], []);
});

Deno.test("the cache stays under its size, dropping the least recently used take", async () => {
  await using f = await folders();
  await using s = takeServer({
    "/a": bytesOf(400, 1),
    "/b": bytesOf(400, 2),
    "/c": bytesOf(400, 3),
  });
  const cache = new TakeCache(`${f.root}/cache`, 1000);
  const get = async (name: string) =>
    (await cache.fetch(s.input(name), await f.work(0), { retry: quick })).hit;
  assert.equal(await get("a"), false);
  // Each use marks a take as just used; mtimes have at least millisecond resolution here.
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await get("b"), false);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await get("a"), true, "a is used again: now b is the oldest");
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await get("c"), false, "1200 bytes > 1000: b goes");
  const kept = [...Deno.readDirSync(`${f.root}/cache`)].map((e) => e.name).sort();
  assert.deepEqual(
    kept,
    [`${sha256(bytesOf(400, 1))}.mp4`, `${sha256(bytesOf(400, 3))}.mp4`].sort(),
  );
  assert.equal(await get("a"), true);
  assert.equal(await get("b"), false, "b was evicted and is fetched again");
});

Deno.test("an input without a SHA-256 (an older edge) is downloaded and not cached", async () => {
  await using f = await folders();
  await using s = takeServer({ "/a": bytesOf(10, 1) });
  const cache = new TakeCache(`${f.root}/cache`, 1000);
  const { sha256: _, ...plain } = s.input("a");
  for (let i = 0; i < 2; i++) {
    assert.equal((await cache.fetch(plain, await f.work(i), { retry: quick })).hit, false);
  }
  assert.equal(s.gets["/a"], 2);
});
