import assert from "node:assert/strict";
import { ManualClock } from "../test/rooms/manual_clock.ts";
import { GroupCommit } from "./group_commit.ts";
import { MemoryStorage } from "./memory_storage.ts";
import type { RoomSocket } from "./ports.ts";

/** Storage and sockets that write one shared log, so tests see writes and sends in order. */
function setup(delayMs = 5) {
  const clock = new ManualClock();
  const log: string[] = [];
  const storage = new MemoryStorage();
  const put = storage.put.bind(storage);
  storage.put = (entries) => {
    log.push(`put ${Object.keys(entries).join(",")}`);
    return put(entries);
  };
  const socket = (id: string): RoomSocket => ({
    id,
    send: (text) => log.push(`${id} <- ${text}`),
    close: () => log.push(`${id} closed`),
  });
  const errors: unknown[] = [];
  const commit = new GroupCommit(storage, clock, delayMs, (e) => errors.push(e));
  return { clock, log, storage, socket, commit, errors };
}

Deno.test("writes within a window are one batch; their messages follow it, in the order queued", async () => {
  const { clock, log, commit, socket } = setup();
  const [a, b] = [socket("a"), socket("b")];
  commit.write({ "node:n1": 1, meta: 1 }, []);
  commit.send([a], null, "ack 1");
  commit.send([a, b], "a", "update 1");
  commit.write({ "node:n2": 2, meta: 2 }, []);
  commit.send([a, b], "b", "update 2");
  assert.deepEqual(log, []);
  await clock.advance(5);
  assert.deepEqual(log, [
    "put node:n1,meta,node:n2",
    "a <- ack 1",
    "b <- update 1",
    "a <- update 2",
  ]);
});

Deno.test("with no window each write is issued at once (the runtime batches a turn's writes)", async () => {
  const { clock, log, commit, socket } = setup(0);
  const a = socket("a");
  commit.write({ "node:n1": 1, meta: 1 }, []);
  commit.send([a], null, "ack 1");
  commit.write({ "node:n2": 2, meta: 2 }, []);
  commit.send([a], null, "ack 2");
  assert.deepEqual(log, ["put node:n1,meta", "put node:n2,meta"]);
  await clock.advance(0);
  assert.deepEqual(log.slice(2), ["a <- ack 1", "a <- ack 2"]);
});

Deno.test("the write goes out in one turn and its messages in the next, when the gate is open", () => {
  const turns: (() => void)[] = [];
  const clock = {
    now: () => 0,
    setTimeout: (fn: () => void) => turns.push(fn),
    clearTimeout: () => {},
  };
  const log: string[] = [];
  const storage = new MemoryStorage();
  const put = storage.put.bind(storage);
  storage.put = (entries) => (log.push("put"), put(entries));
  for (const delayMs of [0, 5]) {
    log.length = 0;
    const commit = new GroupCommit(storage, clock, delayMs, () => {});
    commit.write({ k: 1 }, []);
    commit.send([{ id: "a", send: (t) => log.push(t), close: () => {} }], null, "ack");
    if (delayMs > 0) turns.shift()!(); // the window closes
    assert.deepEqual(log, ["put"]);
    turns.shift()!();
    assert.deepEqual(log, ["put", "ack"]);
    assert.equal(turns.length, 0);
  }
});

Deno.test("a message queued after a newer write waits for that write, order kept", async () => {
  const { clock, log, commit, socket } = setup();
  const a = socket("a");
  commit.write({ k1: 1 }, []);
  commit.send([a], null, "m1");
  await clock.advance(5);
  log.length = 0;
  commit.send([a], null, "m2"); // no write pending: goes out at once
  commit.write({ k2: 2 }, []);
  commit.send([a], null, "m3");
  commit.emit(() => a.close(1000, "bye"));
  assert.deepEqual(log, ["a <- m2"]);
  await clock.advance(5);
  assert.deepEqual(log, ["a <- m2", "put k2", "a <- m3", "a closed"]);
});

Deno.test("removals and puts of one key in a batch: the later one wins", async () => {
  const { clock, storage, commit } = setup();
  await storage.put({ "node:n1": "old", "edge:e1": "old" });
  commit.write({ "node:n1": "new" }, ["edge:e1"]);
  commit.write({ "edge:e1": "back" }, ["node:n1"]);
  await clock.advance(5);
  assert.deepEqual([...storage.data].sort(), [["edge:e1", "back"]]);
});

Deno.test("a socket that throws does not keep the others from hearing of the batch", async () => {
  const { clock, log, commit, socket, errors } = setup();
  const broken: RoomSocket = {
    id: "x",
    send: () => {
      throw new Error("closed");
    },
    close: () => {},
  };
  commit.write({ k: 1 }, []);
  commit.send([socket("a"), broken, socket("b")], null, "m");
  await clock.advance(5);
  assert.deepEqual(log, ["put k", "a <- m", "b <- m"]);
  assert.equal(errors.length, 1);
});

Deno.test("dispose issues pending writes and sends their messages", () => {
  const { log, commit, socket } = setup();
  commit.write({ k: 1 }, []);
  commit.send([socket("a")], null, "m");
  commit.dispose();
  assert.deepEqual(log, ["put k", "a <- m"]);
});
