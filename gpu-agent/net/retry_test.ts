import assert from "node:assert/strict";
import { FakeClock } from "../../test/fakes/fake_clock.ts";
import { MemoryLogger } from "../log/memory_logger.ts";
import { backoffDelay, retry } from "./retry.ts";
import { HttpError } from "./http_error.ts";
import { OutageLog } from "./outage_log.ts";

/** An operation that fails with the given errors, then returns "ok". */
function failing(errors: unknown[]) {
  const calls: number[] = [];
  const op = (attempt: number) => {
    calls.push(attempt);
    const error = errors[attempt];
    return error === undefined ? Promise.resolve("ok") : Promise.reject(error);
  };
  return { op, calls };
}

Deno.test("backoffDelay grows exponentially under the cap, scaled by the jitter", () => {
  const max = () => 0.999999;
  assert.equal(backoffDelay(0, 100, 10_000, max), 99);
  assert.equal(backoffDelay(3, 100, 10_000, max), 799);
  assert.equal(backoffDelay(20, 100, 10_000, max), 9999);
  assert.equal(backoffDelay(5, 100, 10_000, () => 0), 0);
  assert.equal(backoffDelay(2, 100, 10_000, () => 0.5), 200);
});

Deno.test("retry() recovers from network errors and 5xx, waiting a jittered backoff between tries", async () => {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const { op, calls } = failing([
    new TypeError("error sending request: connection refused"),
    new HttpError(503, "edge: HTTP 503"),
    new HttpError(429, "edge: HTTP 429"),
  ]);
  const result = await clock.settle(
    retry(op, { label: "edge", clock, logger, random: () => 0.5, baseDelayMs: 100 }),
  );
  assert.equal(result, "ok");
  assert.deepEqual(calls, [0, 1, 2, 3]);
  assert.deepEqual(clock.sleeps, [50, 100, 200]);
});

Deno.test("retry() logs the first failure once and the recovery once, not every attempt", async () => {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const errors = Array.from({ length: 6 }, () => new TypeError("connection refused"));
  const { op } = failing(errors);
  await clock.settle(retry(op, { label: "edge", clock, logger, maxAttempts: 10 }));
  assert.deepEqual(logger.lines.map((l) => l.level), ["warn", "info"]);
  assert.match(logger.lines[0]!.message, /^edge: connection refused; retrying$/);
  assert.match(logger.lines[1]!.message, /^edge: back after 6 failed attempts in \d+ s$/);
});

Deno.test("retry() throws a 4xx at once without retrying", async () => {
  const clock = new FakeClock();
  const { op, calls } = failing([new HttpError(403, "upload: HTTP 403 (signature expired)")]);
  await assert.rejects(
    clock.settle(retry(op, { label: "upload", clock, logger: new MemoryLogger() })),
    /HTTP 403/,
  );
  assert.deepEqual(calls, [0]);
});

Deno.test("retry() gives up after maxAttempts with the last error", async () => {
  const clock = new FakeClock();
  const { op, calls } = failing([
    new TypeError("reset 1"),
    new TypeError("reset 2"),
    new TypeError("reset 3"),
  ]);
  await assert.rejects(
    clock.settle(retry(op, { label: "x", clock, maxAttempts: 3, logger: new MemoryLogger() })),
    /reset 3/,
  );
  assert.equal(calls.length, 3);
});

Deno.test("retry() honours Retry-After over its own backoff", async () => {
  const clock = new FakeClock();
  const { op } = failing([new HttpError(429, "slow down", 7000)]);
  await clock.settle(retry(op, { label: "x", clock, logger: new MemoryLogger() }));
  assert.deepEqual(clock.sleeps, [7000]);
});

Deno.test("retry() stops waiting as soon as the signal aborts", async () => {
  const clock = new FakeClock();
  const controller = new AbortController();
  const { op, calls } = failing(Array.from({ length: 10 }, () => new TypeError("down")));
  const running = retry(op, {
    label: "x",
    clock,
    signal: controller.signal,
    logger: new MemoryLogger(),
    maxAttempts: Infinity,
  });
  await new Promise((r) => setTimeout(r, 0));
  controller.abort(new DOMException("shutting down", "AbortError"));
  await assert.rejects(running, /shutting down/);
  assert.equal(calls.length, 1);
  assert.equal(clock.pending, 0);
});

Deno.test("a shared OutageLog keeps one outage across separate retry() calls", async () => {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const outage = new OutageLog("edge", logger, clock);
  for (let i = 0; i < 3; i++) {
    await assert.rejects(
      clock.settle(retry(() => Promise.reject(new TypeError("refused")), {
        label: "edge",
        clock,
        outage,
        maxAttempts: 2,
      })),
    );
  }
  assert.equal(logger.matching("retrying").length, 1);
  await retry(() => Promise.resolve(1), { label: "edge", clock, outage });
  assert.equal(logger.matching("back after").length, 1);
  assert.equal(outage.failing, false);
});
