import assert from "node:assert/strict";
import { createDispatcher } from "./dispatcher.ts";

Deno.test("wake() releases every waiting claim at once", async () => {
  const d = createDispatcher();
  const seen = d.generation;
  const order: string[] = [];
  const a = d.wait(seen, 60_000).then(() => order.push("a"));
  const b = d.wait(seen, 60_000).then(() => order.push("b"));
  assert.equal(d.waiting, 2);
  d.wake();
  await Promise.all([a, b]);
  assert.deepEqual(order.sort(), ["a", "b"]);
  assert.equal(d.waiting, 0);
});

Deno.test("a wake between reading the generation and waiting is not lost", async () => {
  const d = createDispatcher();
  const seen = d.generation;
  d.wake(); // a job was queued while the claim was querying the database
  await d.wait(seen, 60_000); // would hang for a minute (and leak the timer) if it were lost
  assert.equal(d.waiting, 0);
});

Deno.test("an aborted request stops waiting and leaves no timer behind", async () => {
  const d = createDispatcher();
  const controller = new AbortController();
  const waiting = d.wait(d.generation, 60_000, controller.signal);
  assert.equal(d.waiting, 1);
  controller.abort();
  await waiting;
  assert.equal(d.waiting, 0);
});

Deno.test("a wait ends by itself after its interval", async () => {
  const d = createDispatcher();
  await d.wait(d.generation, 5);
  assert.equal(d.waiting, 0);
});

Deno.test("dispatchers shared under one name wake each other's claims (one per serving thread)", async () => {
  const here = createDispatcher("md-test-dispatch");
  const there = createDispatcher("md-test-dispatch");
  const elsewhere = createDispatcher("md-test-other");
  try {
    const woken: string[] = [];
    const a = there.wait(there.generation, 60_000).then(() => woken.push("there"));
    const b = elsewhere.wait(elsewhere.generation, 500).then(() => woken.push("elsewhere"));
    here.wake();
    await Promise.all([a, b]);
    assert.deepEqual(woken, ["there", "elsewhere"], "another name times out instead");
    assert.equal(there.waiting, 0);
  } finally {
    for (const d of [here, there, elsewhere]) d.close();
  }
});
