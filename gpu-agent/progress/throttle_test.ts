import assert from "node:assert/strict";
import { FakeClock } from "../../test/fakes/fake_clock.ts";
import { ProgressThrottle } from "./throttle.ts";

function setup(maxPerSecond = 2, keepAliveMs = 20_000) {
  const clock = new FakeClock();
  const sent: { at: number; event: number }[] = [];
  const throttle = new ProgressThrottle<number>({
    send: (event) => sent.push({ at: clock.now() - 1_000_000, event }),
    maxPerSecond,
    keepAliveMs,
    clock,
  });
  return { clock, sent, throttle };
}

Deno.test("the first event goes out at once", () => {
  const { sent, throttle } = setup();
  throttle.push(1);
  assert.deepEqual(sent, [{ at: 0, event: 1 }]);
  throttle.close();
});

Deno.test("a burst of 100 events in one second sends at most 2, ending with the newest", async () => {
  const { clock, sent, throttle } = setup(2);
  for (let i = 1; i <= 100; i++) {
    throttle.push(i);
    await clock.advance(10);
  }
  // 1000 ms of pushes at 2/s: sent at 0, 500, and the held newest at 1000.
  assert.deepEqual(sent.map((s) => s.at), [0, 500, 1000]);
  assert.equal(sent.at(-1)!.event, 100);
  throttle.close();
});

Deno.test("an event held at the end of a burst is sent when the interval ends", async () => {
  const { clock, sent, throttle } = setup(1);
  throttle.push(1);
  await clock.advance(100);
  throttle.push(2);
  throttle.push(3);
  assert.equal(sent.length, 1);
  await clock.advance(900);
  assert.deepEqual(sent, [{ at: 0, event: 1 }, { at: 1000, event: 3 }]);
  throttle.close();
});

Deno.test("finish() is sent at once even inside the interval, and nothing follows it", async () => {
  const { clock, sent, throttle } = setup(1);
  throttle.push(1);
  await clock.advance(10);
  throttle.push(2);
  throttle.finish(100);
  throttle.push(3);
  await clock.advance(60_000);
  assert.deepEqual(sent.map((s) => s.event), [1, 100]);
  assert.equal(clock.pending, 0);
});

Deno.test("now() is sent at once even inside the interval, and the next push waits the interval out", async () => {
  const { clock, sent, throttle } = setup(1);
  throttle.push(1);
  await clock.advance(10);
  throttle.push(2);
  throttle.now(50);
  throttle.push(3);
  assert.deepEqual(sent.map((s) => s.event), [1, 50], "the held 2 was replaced, 3 waits");
  await clock.advance(1000);
  assert.deepEqual(sent.map((s) => s.event), [1, 50, 3]);
  assert.equal(sent.at(-1)!.at, 1010);
  throttle.close();
});

Deno.test("a silent step re-sends the latest event every keep-alive period", async () => {
  const { clock, sent, throttle } = setup(2, 20_000);
  throttle.push(42);
  await clock.advance(65_000);
  assert.deepEqual(sent.map((s) => s.at), [0, 20_000, 40_000, 60_000]);
  assert.ok(sent.every((s) => s.event === 42));
  throttle.close();
  assert.equal(clock.pending, 0);
});

Deno.test("regular progress postpones the keep-alive", async () => {
  const { clock, sent, throttle } = setup(2, 20_000);
  for (let i = 0; i < 10; i++) {
    throttle.push(i);
    await clock.advance(15_000);
  }
  assert.equal(sent.length, 10);
  throttle.close();
});

Deno.test("maxPerSecond must be positive", () => {
  assert.throws(() => new ProgressThrottle({ send: () => {}, maxPerSecond: 0 }), /maxPerSecond/);
});
