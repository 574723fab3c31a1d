/**
 * Every error the API returns has one shape: `{ error: { code, message, issues? } }`.
 * Routes throw `ApiError`; the app's error handler turns anything else into the same shape and
 * never leaks internals.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface IssueDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: IssueDetail[],
    /** Extra response headers, e.g. `Retry-After` on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorBody(code: string, message: string, issues?: IssueDetail[]) {
  return { error: issues ? { code, message, issues } : { code, message } };
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const unauthorized = (message = "sign in first") =>
  new ApiError(401, "unauthorized", message);

/**
 * The ApiError behind `error`: itself, or the one a library wrapped (Drizzle wraps what the
 * database client threw, e.g. the Workers entry's "database not configured"). Null otherwise.
 */
export function apiErrorOf(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  return error instanceof Error && error.cause instanceof ApiError ? error.cause : null;
}
