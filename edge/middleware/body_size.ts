/** Refuses oversized bodies with 413 before they are read into memory. */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

export function limitBody(
  maxBytes: (c: { req: { path: string } }, deps: AppEnv["Variables"]["deps"]) => number,
) {
  return createMiddleware<AppEnv>(async function limitBody(c, next) {
    const max = maxBytes(c, c.get("deps"));
    const limit = bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ApiError(413, "body_too_large", `the body is larger than ${max} bytes`);
      },
    });
    return await limit(c, next);
  });
}
