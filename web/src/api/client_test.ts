import assert from "node:assert/strict";
import { ApiError, createApiClient } from "./client.ts";

function fakeFetch(respond: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fn: typeof fetch = (input, init) => {
    const req = new Request(new URL(String(input), "http://studio.test"), init);
    seen.push(req);
    return Promise.resolve(respond(req));
  };
  return { fn, seen };
}

Deno.test("requests send JSON and return the parsed body", async () => {
  const { fn, seen } = fakeFetch(() => Response.json({ project: { id: "p1" } }, { status: 201 }));
  const api = createApiClient("", fn);
  const result = await api.request<{ project: { id: string } }>("POST", "/api/projects", {
    name: "Film",
  });
  assert.equal(result.project.id, "p1");
  assert.equal(seen[0]!.method, "POST");
  assert.equal(seen[0]!.headers.get("content-type"), "application/json");
  assert.deepEqual(await seen[0]!.json(), { name: "Film" });
});

Deno.test("an error body becomes an ApiError naming each field", async () => {
  const { fn } = fakeFetch(() =>
    Response.json({
      error: {
        code: "invalid",
        message: "invalid request",
        issues: [{ path: "password", message: "at least 8 characters" }],
      },
    }, { status: 422 })
  );
  const error = await createApiClient("", fn).request("POST", "/api/auth/register", {}).catch((e) =>
    e
  );
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 422);
  assert.equal(error.code, "invalid");
  assert.equal(error.issueFor("password"), "at least 8 characters");
  assert.equal(error.issueFor("email"), undefined);
  assert.equal(error.describe(), "invalid request (password: at least 8 characters)");
});

Deno.test("describe() says each problem once, even when the message already names it", () => {
  const said = 'input "video" must be connected';
  const error = new ApiError(422, "missing_input", said, [{ path: "inputs.video", message: said }]);
  assert.equal(error.describe(), said);
  const mixed = new ApiError(422, "invalid_params", "Steps: a whole number from 1 to 150", [
    { path: "params.steps", message: "Steps: a whole number from 1 to 150" },
    { path: "params.cfg", message: "too big" },
  ]);
  assert.equal(mixed.describe(), "Steps: a whole number from 1 to 150 (params.cfg: too big)");
});

/** The ApiError a request failed with (the test fails if it succeeded). */
async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error;
  }
  throw new Error("the request was expected to fail");
}

Deno.test("204 gives undefined; a non-JSON failure and a network failure still explain themselves", async () => {
  const empty = createApiClient("", fakeFetch(() => new Response(null, { status: 204 })).fn);
  assert.equal(await empty.request("DELETE", "/x"), undefined);
  const proxy = createApiClient(
    "",
    fakeFetch(() => new Response("<html>", { status: 502, statusText: "Bad Gateway" })).fn,
  );
  assert.equal(
    (await failure(proxy.request("GET", "/x"))).message,
    "the server answered 502 Bad Gateway",
  );
  const offline = createApiClient("", () => Promise.reject(new TypeError("fetch failed")));
  assert.equal((await failure(offline.request("GET", "/x"))).code, "network");
});
