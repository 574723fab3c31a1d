import assert from "node:assert/strict";
import { MemoryLogger } from "../log/memory_logger.ts";
import { FakeClock } from "../../test/fakes/fake_clock.ts";
import { EdgeCalls } from "./edge_calls.ts";
import { EdgeClient, type LeaseLost } from "./edge_client.ts";
import { JobEvents, toEventRequest } from "./job_events.ts";

/** An edge stand-in at the fetch level: records event bodies, answers with `answer()`. */
function stubEdge(answer: () => Response) {
  const bodies: { percent: number; message: string }[] = [];
  const fetchStub: typeof fetch = (_url, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return Promise.resolve(answer());
  };
  const client = new EdgeClient({
    serverUrl: "http://edge.test",
    agentId: "a",
    secret: "s",
    fetch: fetchStub,
  });
  return { bodies, calls: new EdgeCalls(client, { logger: new MemoryLogger() }) };
}

const ok = () => Response.json({ canceled: false, leaseExpiresAt: 1 });

function events(
  calls: EdgeCalls,
  clock: FakeClock,
  hooks: Partial<{ canceled: () => void; lost: (e: LeaseLost) => void }> = {},
) {
  return new JobEvents({
    edge: calls,
    jobId: "job-1",
    leaseMs: 30_000,
    signal: new AbortController().signal,
    clock,
    logger: new MemoryLogger(),
    maxPerSecond: 2,
    onCanceled: hooks.canceled ?? (() => {}),
    onLeaseLost: hooks.lost ?? (() => {}),
    onRejected: () => {},
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

Deno.test("a burst of progress sends the first at once and only the newest after the interval", async () => {
  const clock = new FakeClock();
  const edge = stubEdge(ok);
  const sender = events(edge.calls, clock);
  for (let step = 1; step <= 10; step++) {
    sender.push({ percent: step * 10, message: `step ${step}` });
  }
  await settle();
  assert.deepEqual(edge.bodies.map((b) => b.message), ["step 1"]);
  await clock.advance(500);
  await settle();
  assert.deepEqual(edge.bodies.map((b) => b.message), ["step 1", "step 10"]);
  await sender.close();
});

Deno.test("the last backend step goes out at once; the upload's first report waits the interval", async () => {
  const clock = new FakeClock();
  const edge = stubEdge(ok);
  const sender = events(edge.calls, clock);
  sender.push({ percent: 0, message: "starting" });
  await settle();
  await clock.advance(100);
  sender.now({ percent: 100, message: "uploading 1 output" });
  await settle();
  sender.push({ percent: 100, message: "uploading take01.png: 0.0 of 0.1 MB" });
  await settle();
  assert.deepEqual(edge.bodies.map((b) => b.message), ["starting", "uploading 1 output"]);
  await clock.advance(500);
  await settle();
  assert.equal(edge.bodies.at(-1)!.message, "uploading take01.png: 0.0 of 0.1 MB");
  await sender.close();
});

Deno.test("a silent step keeps the lease: the latest event is re-sent every lease/3", async () => {
  const clock = new FakeClock();
  const edge = stubEdge(ok);
  const sender = events(edge.calls, clock);
  sender.push({ percent: 5, message: "loading model" });
  await settle();
  for (let i = 0; i < 3; i++) {
    await clock.advance(10_000);
    await settle();
  }
  assert.equal(edge.bodies.length, 4);
  assert.ok(edge.bodies.every((b) => b.message === "loading model"));
  await sender.close();
});

Deno.test("the edge's cancel and a 409 lease_lost reach the runner", async () => {
  const clock = new FakeClock();
  let canceled = 0;
  const cancel = stubEdge(() => Response.json({ canceled: true, leaseExpiresAt: 1 }));
  const a = events(cancel.calls, clock, { canceled: () => canceled++ });
  a.push({ percent: 1, message: "x" });
  await settle();
  assert.equal(canceled, 1);
  await a.close();

  const lost: LeaseLost[] = [];
  const conflict = stubEdge(() =>
    Response.json({ error: { code: "lease_lost", message: "the job is queued" } }, { status: 409 })
  );
  const b = events(conflict.calls, clock, { lost: (e) => lost.push(e) });
  b.push({ percent: 1, message: "x" });
  await settle();
  assert.equal(lost.length, 1);
  assert.equal(lost[0]!.jobId, "job-1");
  await b.close();
});

Deno.test("reports outside the protocol's bounds are clamped, not refused", () => {
  assert.deepEqual(
    toEventRequest({
      percent: 140,
      message: "m".repeat(1200),
      step: { current: 3, total: 0 },
      etaSeconds: -4,
    }),
    { percent: 100, message: "m".repeat(1000), etaSeconds: 0 },
  );
  assert.deepEqual(toEventRequest({ percent: NaN, message: "", step: { current: 2, total: 8 } }), {
    percent: 0,
    message: "",
    step: { current: 2, total: 8 },
  });
});
