/**
 * Resolves who is asking from `Authorization: Bearer <token>` or the session cookie.
 * Cookie-authenticated requests that change state must come from our own origin: the cookie is
 * sent by browsers automatically, so without this check another site could act for the user.
 * Bearer tokens are never sent automatically, so they need no such check.
 */
import { getCookie } from "hono/cookie";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError, unauthorized } from "../errors.ts";
import { principalForToken, SESSION_COOKIE } from "../services/sessions.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const authenticate = createMiddleware<AppEnv>(async function authenticate(c, next) {
  const header = c.req.header("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
  if (cookie && !SAFE_METHODS.has(c.req.method)) checkSameOrigin(c.req.header("origin"), c.req.url);
  const token = bearer ?? cookie;
  if (token) c.set("principal", await principalForToken(c.get("deps"), token));
  await next();
});

function checkSameOrigin(origin: string | undefined, requestUrl: string): void {
  if (!origin || origin !== new URL(requestUrl).origin) {
    throw new ApiError(
      403,
      "csrf",
      "cross-site request refused: send it from the studio's own origin",
    );
  }
}

/** For routes that need a signed-in user (not a guest reviewer). */
export const requireUser = createMiddleware<AppEnv>(async function requireUser(c, next) {
  if (c.get("principal")?.kind !== "user") throw unauthorized();
  await next();
});

/** The signed-in user; call only behind `requireUser`. */
export function currentUser(c: Context<AppEnv>) {
  const principal = c.get("principal");
  if (principal?.kind !== "user") throw unauthorized();
  return principal.user;
}
