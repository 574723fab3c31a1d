/** Gives each request an id (echoed as `x-request-id`) and writes one structured log line. */
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../context.ts";

export function requestLog(deps: AppDeps) {
  return createMiddleware<AppEnv>(async function requestLog(c, next) {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    c.set("deps", deps);
    c.set("requestId", requestId);
    c.set("receivedAt", deps.now());
    c.set("principal", null);
    // Set before the response exists: adding a header to a finished response copies its headers.
    c.header("x-request-id", requestId);
    await next();
    const principal = c.get("principal");
    deps.log({
      at: new Date(deps.now()).toISOString(),
      id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      user: principal?.kind === "user" ? principal.user.id : undefined,
    });
  });
}
