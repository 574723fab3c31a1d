import assert from "node:assert/strict";
import { httpRoomNotifier } from "./room_notifier.ts";

Deno.test("room events go out in order per project without the caller waiting for the room", async () => {
  const seen: Array<{ project: string; n: number; auth: string | null }> = [];
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((r) => releaseFirst = r);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const event = await req.json() as { n: number };
    if (event.n === 1) await firstHeld; // a slow room for the first event
    seen.push({
      project: new URL(req.url).pathname.split("/").at(-1)!,
      n: event.n,
      auth: req.headers.get("authorization"),
    });
    return new Response(null, { status: event.n === 3 ? 500 : 200 });
  });
  const logs: Record<string, unknown>[] = [];
  const notifier = httpRoomNotifier(
    `http://127.0.0.1:${server.addr.port}/`,
    "room-secret",
    (l) => logs.push(l),
  );
  try {
    const started = performance.now();
    notifier.notify("p1", { type: "progress.update", n: 1 });
    notifier.notify("p1", { type: "progress.update", n: 2 });
    notifier.notify("p1", { type: "progress.update", n: 3 });
    notifier.notify("p2", { type: "progress.update", n: 4 });
    assert.ok(performance.now() - started < 50, "notify returns before any delivery");
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(seen.map((s) => s.n), [4], "another project's event is not held up");
    releaseFirst();
    await notifier.drained();
    assert.deepEqual(seen.filter((s) => s.project === "p1").map((s) => s.n), [1, 2, 3]);
    assert.ok(seen.every((s) => s.auth === "Bearer room-secret"));
    assert.deepEqual(logs, [{ msg: "room notify refused", room: "main/p1", status: 500 }]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("an unreachable room server is logged, not thrown to the caller", async () => {
  const logs: Record<string, unknown>[] = [];
  const notifier = httpRoomNotifier("http://127.0.0.1:9", "s", (l) => logs.push(l));
  notifier.notify("p", { type: "generation.complete" });
  await notifier.drained();
  assert.equal(logs.length, 1);
  assert.equal(logs[0]!.msg, "room notify failed");
  assert.equal(logs[0]!.type, "generation.complete");
});
