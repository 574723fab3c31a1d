/**
 * zod validation for bodies, path params and queries, through @hono/zod-validator, with every
 * failure turned into the API's error shape: 400 for malformed input (bad JSON, bad ids, bad
 * query), 415 for a body that is not JSON, 422 for well-formed JSON with invalid values.
 */
import { zValidator } from "@hono/zod-validator";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { ApiError, type IssueDetail } from "../errors.ts";

function issuesOf(error: { issues: readonly z.core.$ZodIssue[] }): IssueDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

function describe(issues: IssueDetail[]): string {
  return issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; ");
}

/** Rejects bodies that do not say they are JSON, instead of silently validating `{}`. */
const requireJsonContentType = createMiddleware(async function requireJson(c, next) {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  }
  await next();
});

export function jsonBody<T extends z.ZodType>(schema: T) {
  const validate = zValidator("json", schema, (result) => {
    if (!result.success) {
      const issues = issuesOf(result.error);
      throw new ApiError(422, "invalid_body", describe(issues), issues);
    }
  });
  return [requireJsonContentType, validate] as const;
}

export function pathParams<T extends z.ZodType>(schema: T) {
  return zValidator("param", schema, (result) => {
    if (!result.success) {
      const issues = issuesOf(result.error);
      throw new ApiError(400, "invalid_path", describe(issues), issues);
    }
  });
}

export function queryParams<T extends z.ZodType>(schema: T) {
  return zValidator("query", schema, (result) => {
    if (!result.success) {
      const issues = issuesOf(result.error);
      throw new ApiError(400, "invalid_query", describe(issues), issues);
    }
  });
}

/**
 * A whole number written as plain decimal digits, for paths and queries: `z.coerce.number`
 * would read `%201`, `0x10`, `1e1` or `1.0` as numbers, so two spellings would name one thing.
 */
export function decimal() {
  return z.string().regex(/^(0|[1-9][0-9]{0,14})$/, "write a whole number in decimal digits")
    .transform(Number);
}
