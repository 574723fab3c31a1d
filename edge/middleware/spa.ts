/**
 * Serves the built web app: real files as they are, and `index.html` for every other path so
 * client-side routes (`/projects/…`, `/s/<token>`) survive a reload. A path that no file or
 * route of ours can have (`..` segments, backslashes, NUL bytes, broken percent-encoding) is a
 * plain 404, before it reaches the file system.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { serveStatic as denoServeStatic } from "hono/deno";

/** True when the raw path, decoded, could only be an attempt to leave the web folder. */
export function isSuspiciousPath(rawPath: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return /[\\\0]/.test(decoded) || decoded.split("/").some((s) => s === "." || s === "..");
}

function notFoundPage(c: Context) {
  return c.html("<!doctype html><title>Not found</title><p>No such page.</p>", 404);
}

export function spaFallback(root: string, serveStatic: typeof denoServeStatic): MiddlewareHandler {
  const files = serveStatic({ root });
  const index = serveStatic({ root, rewriteRequestPath: () => "/index.html" });
  return async function spa(c, next) {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return await next();
    if (isSuspiciousPath(new URL(c.req.url).pathname)) return notFoundPage(c);
    const served = await files(c, async () => {});
    if (served) return served;
    const page = await index(c, async () => {});
    if (page) return page;
    return c.text(`The web app is not built yet: run "deno task dev" (it builds ${root}).`, 503);
  };
}
