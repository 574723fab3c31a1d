/**
 * Serves the built web app: real files as they are, and `index.html` for every other path so
 * client-side routes (`/projects/…`, `/s/<token>`) survive a reload.
 */
import type { MiddlewareHandler } from "hono";
import type { serveStatic as denoServeStatic } from "hono/deno";

export function spaFallback(root: string, serveStatic: typeof denoServeStatic): MiddlewareHandler {
  const files = serveStatic({ root });
  const index = serveStatic({ root, rewriteRequestPath: () => "/index.html" });
  return async function spa(c, next) {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return await next();
    const served = await files(c, async () => {});
    if (served) return served;
    const page = await index(c, async () => {});
    if (page) return page;
    return c.text(`The web app is not built yet: run "deno task dev" (it builds ${root}).`, 503);
  };
}
