import assert from "node:assert/strict";
import { startEdge } from "./edge_process.ts";

async function api(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  // deno-lint-ignore no-explicit-any
  return { status: res.status, body: await res.json() as any };
}

Deno.test("data written through the API survives a restart of the edge on the same database", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-durable-" });
  const env = {
    DATABASE_URL: `file:${dir}/app.db`,
    ROOM_SECRET: "durability-test-secret",
    WEB_DIST: dir,
  };
  try {
    let edge = await startEdge(env);
    let projectId: string, token: string;
    try {
      const reg = await api(edge.url, "POST", "/api/auth/register", undefined, {
        email: "ada@example.com",
        password: "correct horse battery",
        name: "Ada",
      });
      token = reg.body.token;
      projectId =
        (await api(edge.url, "POST", "/api/projects", token, { name: "Kept" })).body.project.id;
      await api(edge.url, "POST", `/api/projects/${projectId}/assets`, token, {
        type: "style",
        name: "Noir",
      });
      assert.equal((await api(edge.url, "GET", "/readyz")).body.ok, true);
    } finally {
      await edge.stop();
    }
    edge = await startEdge(env);
    try {
      const login = await api(edge.url, "POST", "/api/auth/login", undefined, {
        email: "ada@example.com",
        password: "correct horse battery",
      });
      assert.equal(login.status, 200);
      const me = await api(edge.url, "GET", "/api/auth/me", token);
      assert.equal(me.status, 200, "the old session still works");
      const project = await api(edge.url, "GET", `/api/projects/${projectId}`, login.body.token);
      assert.equal(project.body.project.name, "Kept");
      const assets = await api(
        edge.url,
        "GET",
        `/api/projects/${projectId}/assets`,
        login.body.token,
      );
      assert.deepEqual(assets.body.assets.map((a: { name: string }) => a.name), ["Noir"]);
    } finally {
      await edge.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
