import assert from "node:assert/strict";
import { FakeClock } from "../test/fakes/fake_clock.ts";
import { GroupCommit } from "./group_commit.ts";
import { MemoryStorage } from "./memory_storage.ts";
import type { RoomSocket } from "./ports.ts";

/** Storage and sockets that write one shared log, so tests see writes and sends in order. */
function setup() {
  const clock = new FakeClock();
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
  const commit = new GroupCommit(storage, clock, (e) => errors.push(e));
  return { clock, log, storage, socket, commit, errors };
}

Deno.test("writes are issued at once; the messages queued after them go out next turn, in order", () => {
  const { clock, log, commit, socket } = setup();
  const [a, b] = [socket("a"), socket("b")];
  commit.write({ "node:n1": 1, meta: 1 }, []);
  commit.send([a], null, "ack 1");
  commit.send([a, b], "a", "update 1");
  commit.write({ "node:n2": 2, meta: 2 }, []);
  commit.send([a, b], "b", "update 2");
  assert.deepEqual(
    log,
    ["put node:n1,meta", "put node:n2,meta"],
    "nobody hears before the turn ends",
  );
  assert.equal(clock.pending, 1, "one release for the turn, not one per op");
  clock.fireDue();
  assert.deepEqual(log.slice(2), ["a <- ack 1", "b <- update 1", "a <- update 2"]);
});

Deno.test("a message queued with no write pending goes out at once; after a write it waits, order kept", () => {
  const { clock, log, commit, socket } = setup();
  const a = socket("a");
  commit.send([a], null, "m1");
  commit.write({ k: 1 }, []);
  commit.send([a], null, "m2");
  commit.emit(() => a.close(1000, "bye"));
  assert.deepEqual(log, ["a <- m1", "put k"]);
  clock.fireDue();
  assert.deepEqual(log, ["a <- m1", "put k", "a <- m2", "a closed"]);
});

Deno.test("removals and puts of one key in a turn: the later one wins", () => {
  const { storage, commit } = setup();
  storage.data.set("node:n1", "old");
  storage.data.set("edge:e1", "old");
  commit.write({ "node:n1": "new" }, ["edge:e1"]);
  commit.write({ "edge:e1": "back" }, ["node:n1"]);
  assert.deepEqual([...storage.data].sort(), [["edge:e1", "back"]]);
});

Deno.test("more keys than storage takes in one call go in several calls", () => {
  const { log, commit } = setup();
  const put = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
  commit.write(put, []);
  assert.deepEqual(log.map((l) => l.split(",").length), [128, 128, 44]);
});

Deno.test("a socket that throws does not keep the others from hearing of the turn's ops", () => {
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
  clock.fireDue();
  assert.deepEqual(log, ["put k", "a <- m", "b <- m"]);
  assert.equal(errors.length, 1);
});

Deno.test("dispose sends what was held and leaves no timer", () => {
  const { clock, log, commit, socket } = setup();
  commit.write({ k: 1 }, []);
  commit.send([socket("a")], null, "m");
  commit.dispose();
  assert.deepEqual(log, ["put k", "a <- m"]);
  assert.equal(clock.pending, 0);
});
