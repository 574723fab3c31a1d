/**
 * For agent calls whose body may be left out (`claim`, `release`): an empty body means "all
 * defaults"; anything else must be valid JSON matching the schema.
 */
import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import type { AppEnv } from "../../context.ts";
import { ApiError } from "../../errors.ts";

export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return createMiddleware<AppEnv & { Variables: { body: z.output<T> } }>(
    async function optionalBody(c, next) {
      const text = await c.req.text();
      let json: unknown = {};
      if (text.trim() !== "") {
        try {
          json = JSON.parse(text);
        } catch {
          throw new ApiError(400, "bad_request", "the body is not valid JSON");
        }
      }
      const result = schema.safeParse(json);
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({
          path: i.path.map(String).join(".") || "(body)",
          message: i.message,
        }));
        throw new ApiError(
          422,
          "invalid_body",
          issues.map((i) => `${i.path}: ${i.message}`).join("; "),
          issues,
        );
      }
      c.set("body", result.data);
      await next();
    },
  );
}
