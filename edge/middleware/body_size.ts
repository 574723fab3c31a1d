/** Refuses oversized bodies with 413 before they are read into memory. */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

/** The limit for a request: bytes, or bytes with the words of the refusal (naming a field). */
export type BodyLimit = number | { maxBytes: number; message: string };

export function limitBody(
  limitFor: (c: { req: { path: string } }, deps: AppEnv["Variables"]["deps"]) => BodyLimit,
) {
  return createMiddleware<AppEnv>(async function limitBody(c, next) {
    const chosen = limitFor(c, c.get("deps"));
    const max = typeof chosen === "number" ? chosen : chosen.maxBytes;
    const message = typeof chosen === "number"
      ? `the body is larger than ${max} bytes`
      : chosen.message;
    const limit = bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ApiError(413, "body_too_large", message);
      },
    });
    return await limit(c, next);
  });
}
