import assert from "node:assert/strict";
import { waitUntilHealthy } from "./dev_ready.ts";

Deno.test("dev waits for every health check and names the server that does not answer", async () => {
  let ready = false;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(ready ? "ok" : "starting", { status: ready ? 200 : 503 }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/readyz`;
  try {
    await assert.rejects(
      waitUntilHealthy([{ name: "the edge", url, setting: "PORT" }], 300, 20),
      /the edge did not answer .*\/readyz \(port: PORT\)/,
    );
    const waiting = waitUntilHealthy(
      [
        { name: "the edge", url, setting: "PORT" },
        { name: "the room server", url, setting: "ROOM_PORT", expect: "any" },
      ],
      5_000,
      20,
    );
    setTimeout(() => ready = true, 200);
    await waiting;
  } finally {
    await server.shutdown();
  }
});
