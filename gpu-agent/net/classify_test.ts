import assert from "node:assert/strict";
import { classifyError } from "./classify.ts";
import { HttpError } from "./http_error.ts";

Deno.test("server trouble and network failures are retriable; bad requests and aborts are fatal", () => {
  assert.equal(classifyError(new HttpError(500, "")), "retriable");
  assert.equal(classifyError(new HttpError(502, "")), "retriable");
  assert.equal(classifyError(new HttpError(429, "")), "retriable");
  assert.equal(classifyError(new HttpError(400, "")), "fatal");
  assert.equal(classifyError(new HttpError(401, "")), "fatal");
  assert.equal(classifyError(new HttpError(404, "")), "fatal");
  assert.equal(classifyError(new TypeError("error sending request")), "retriable");
  assert.equal(classifyError(new Deno.errors.ConnectionRefused("refused")), "retriable");
  assert.equal(classifyError(new DOMException("timed out", "TimeoutError")), "retriable");
  assert.equal(classifyError(new DOMException("aborted", "AbortError")), "fatal");
  assert.equal(classifyError(new RangeError("bug")), "fatal");
  assert.equal(
    classifyError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })),
    "retriable",
  );
  assert.equal(
    classifyError(Object.assign(new Error("no such file"), { code: "ENOENT" })),
    "fatal",
  );
});

Deno.test("a real refused connection is classified retriable", async () => {
  // Bind then close a listener so the port is known to refuse.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const error = await fetch(`http://127.0.0.1:${port}/`).then(() => null, (e) => e);
  assert.ok(error);
  assert.equal(classifyError(error), "retriable");
});
