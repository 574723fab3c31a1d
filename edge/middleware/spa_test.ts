import assert from "node:assert/strict";
import { Hono } from "hono";
import { serveStatic } from "hono/deno";
import { spaFallback } from "./spa.ts";

Deno.test("the web fallback serves files and the app, and answers odd paths with a 404 page", async () => {
  const root = await Deno.makeTempDir({ prefix: "md-spa-" });
  const errors: unknown[] = [];
  const app = new Hono().use(spaFallback(root, serveStatic));
  app.onError((error, c) => {
    errors.push(error);
    return c.text("error", 500);
  });
  try {
    const notBuilt = await app.request("/projects/x");
    assert.equal(notBuilt.status, 503, "before a build, the page says so");
    await notBuilt.body?.cancel();

    await Deno.mkdir(`${root}/assets`);
    await Deno.writeTextFile(`${root}/index.html`, "<html>studio</html>");
    await Deno.writeTextFile(`${root}/assets/app.js`, "console.log(1)");
    const app200 = await app.request("/projects/x");
    assert.equal(await app200.text(), "<html>studio</html>");
    assert.equal(await (await app.request("/assets/app.js")).text(), "console.log(1)");

    // (`/../` and `/%2e%2e/` never arrive: URLs are normalised before the app sees them.)
    for (
      const path of [
        "/a%5c..%5cb",
        "/a%5Cb",
        "/index.html%00.json",
        "/%E0%A4%A",
        "/a/%2e%2e%5cb",
      ]
    ) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/, path);
      await res.body?.cancel();
    }
    assert.deepEqual(errors, [], "no request raised an error");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
