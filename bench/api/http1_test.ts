import assert from "node:assert/strict";
import { Http1Connection } from "./http1.ts";

Deno.test("the load generator's HTTP/1.1 client reads sized and chunked bodies over one connection", async () => {
  const big = "x".repeat(200_000);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/echo") return new Response(await req.text(), { status: 201 });
    if (path === "/big") return new Response(big);
    // A streamed body has no length up front, so Deno sends it chunked.
    const parts = ["ab", "cde", ""];
    return new Response(
      new ReadableStream({
        pull(controller) {
          const part = parts.shift();
          if (part) controller.enqueue(new TextEncoder().encode(part));
          else controller.close();
        },
      }),
      { status: 404 },
    );
  });
  const conn = await Http1Connection.open(`http://127.0.0.1:${server.addr.port}`);
  try {
    assert.deepEqual(
      await conn.request("POST", "/echo", { "content-type": "text/plain" }, "hello"),
      { status: 201, bytes: 5 },
    );
    assert.deepEqual(await conn.request("GET", "/big", {}), { status: 200, bytes: big.length });
    assert.deepEqual(await conn.request("GET", "/stream", {}), { status: 404, bytes: 5 });
    assert.deepEqual(
      await conn.request("GET", "/big", {}),
      { status: 200, bytes: big.length },
      "the connection is still in step after a chunked body",
    );
  } finally {
    conn.close();
    await server.shutdown();
  }
});
