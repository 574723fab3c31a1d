/**
 * The Deno edge serves from several threads on one port. A claim long-polling on one thread
 * must be woken at once by a job queued on another, not by its slow re-check of the database.
 */
import assert from "node:assert/strict";
import { call, createProject, signUp } from "../../edge/testing.ts";
import { enrollAgent } from "../jobs/fake_agent.ts";
import { oneShot } from "../jobs/graphs.ts";
import { startEdge } from "./edge_process.ts";

const ROOM_SECRET = "threads-test-room-secret";

Deno.test("with several serving threads, a job queued on any thread wakes a claim waiting on any other", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-threads-" });
  const edge = await startEdge({
    DATABASE_URL: `file:${dir}/app.db`,
    BLOB_DIR: `${dir}/blobs`,
    ROOM_SECRET,
    ROOM_URL: "http://127.0.0.1:9",
    WEB_DIST: dir,
    EDGE_THREADS: "3",
    // A missed wake-up would only be caught by this re-check: far longer than the test waits.
    CLAIM_RECHECK_MS: "60000",
  });
  // The test helpers speak to an app; this one is the edge process over HTTP. A connection of
  // its own per request lets the kernel hand each to any of the threads.
  const t = {
    app: {
      async request(path: string, init: RequestInit) {
        using client = Deno.createHttpClient({});
        const response = await fetch(edge.url + path, { ...init, client });
        return new Response(await response.arrayBuffer(), response);
      },
    },
  } as unknown as Parameters<typeof call>[0];
  try {
    const ada = await signUp(t, "Ada");
    const projectId = await createProject(t, ada);
    const saved = await call(t, "POST", `/api/internal/projects/${projectId}/revisions`, {
      token: ROOM_SECRET,
      body: { graph: oneShot(), message: "test" },
    });
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    const agent = await enrollAgent(t, ada);
    // Each round lands the claim and the enqueue on threads chosen by the kernel; over eight
    // rounds of three threads, some certainly differ.
    for (let round = 0; round < 8; round++) {
      const started = performance.now();
      const claimed = agent.claim(20_000);
      await new Promise((r) => setTimeout(r, 150));
      const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
        token: ada.token,
        body: { type: "shot.generate", params: { prompt: `door ${round}` } },
      });
      assert.equal(queued.status, 201, JSON.stringify(queued.body));
      const job = await claimed;
      const waited = performance.now() - started;
      assert.equal(job?.id, queued.body.job.id, `round ${round}: the claim got the new job`);
      assert.ok(waited < 10_000, `round ${round}: woken after ${Math.round(waited)} ms`);
      assert.equal((await agent.fail(job!.id, "done with it", false)).status, 200);
    }
  } finally {
    await edge.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
