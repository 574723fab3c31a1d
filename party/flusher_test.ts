import assert from "node:assert/strict";
import { FakeClock } from "../test/fakes/fake_clock.ts";
import { Flusher } from "./flusher.ts";

function setup(options: { random?: () => number; fail?: () => boolean } = {}) {
  const clock = new FakeClock();
  const flushedAt: number[] = [];
  const logs: string[] = [];
  const flusher = new Flusher({
    clock,
    flush: () => {
      if (options.fail?.()) return Promise.reject(new Error("edge down"));
      flushedAt.push(clock.now());
      return Promise.resolve(true);
    },
    quietMs: 1000,
    maxWaitMs: 10_000,
    log: (m) => logs.push(m),
    random: options.random ?? (() => 0.999),
  });
  return { clock, flusher, flushedAt, logs, start: clock.now() };
}

Deno.test("a flush goes out once changes have stopped for the quiet time", async () => {
  const { clock, flusher, flushedAt, start } = setup();
  flusher.changed();
  await clock.advance(600);
  flusher.changed();
  await clock.advance(999);
  assert.deepEqual(flushedAt, []);
  await clock.advance(1);
  assert.deepEqual(flushedAt, [start + 1600]);
  await clock.advance(5000);
  assert.equal(flushedAt.length, 1);
  flusher.dispose();
});

Deno.test("a room that never goes quiet still flushes within the longest wait, one timer throughout", async () => {
  const { clock, flusher, flushedAt, start } = setup();
  for (let t = 0; t < 25_000; t += 100) {
    flusher.changed();
    assert.ok(clock.pending <= 1, "one timer at most, however many changes");
    await clock.advance(100);
  }
  assert.deepEqual(flushedAt.map((t) => Math.round((t - start) / 1000)), [10, 20]);
  flusher.dispose();
});

Deno.test("rooms dirtied together spread their longest-wait flushes over the last quarter", async () => {
  for (const [random, expected] of [[0, 7500], [0.5, 8750]] as const) {
    const { clock, flusher, flushedAt, start } = setup({ random: () => random });
    for (let t = 0; t < 12_000; t += 100) {
      flusher.changed();
      await clock.advance(100);
    }
    assert.equal(flushedAt[0]! - start, expected);
    flusher.dispose();
  }
});

Deno.test("now() flushes at once, and again right after a flush it was asked during", async () => {
  const clock = new FakeClock();
  const started: number[] = [];
  let finish = () => {};
  const flusher = new Flusher({
    clock,
    flush: () => {
      started.push(clock.now());
      return new Promise<boolean>((resolve) => finish = () => resolve(true));
    },
  });
  const start = clock.now();
  flusher.changed();
  flusher.now();
  await clock.advance(0);
  assert.deepEqual(started, [start]);
  flusher.changed(); // the last user came and left while the flush was in flight
  flusher.now();
  await clock.advance(0);
  assert.equal(started.length, 1, "one flush in flight at a time");
  finish();
  await new Promise((r) => setTimeout(r, 0)); // the flush's continuation
  await clock.advance(0);
  assert.deepEqual(started, [start, start]);
  finish();
  flusher.dispose();
});

Deno.test("a failing edge is retried with back-off and logged once", async () => {
  let down = true;
  const { clock, flusher, flushedAt, logs } = setup({ fail: () => down, random: () => 0.5 });
  flusher.changed();
  await clock.advance(1000); // first attempt fails
  await clock.advance(1000 + 2000 + 4000); // retries at +1 s, +2 s, +4 s fail too
  assert.equal(flushedAt.length, 0);
  down = false;
  await clock.advance(8000);
  assert.equal(flushedAt.length, 1);
  assert.deepEqual(logs.map((l) => l.split(":")[1]?.trim()), [
    "flush to the edge failed, will retry",
    "flush to the edge works again",
  ]);
  flusher.dispose();
});
