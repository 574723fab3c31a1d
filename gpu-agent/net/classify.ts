/**
 * Sorts errors into retriable (the network or the server had a bad moment) and fatal (retrying
 * would fail the same way, or someone asked us to stop).
 */
import { HttpError, isRetriableStatus } from "./http_error.ts";

export type ErrorClass = "retriable" | "fatal";

export function classifyError(error: unknown): ErrorClass {
  if (error instanceof HttpError) return isRetriableStatus(error.status) ? "retriable" : "fatal";
  // An abort is a decision, not a failure: never retry it. A timeout is a slow network.
  if (error instanceof DOMException) return error.name === "TimeoutError" ? "retriable" : "fatal";
  // fetch() reports refused connections, resets and DNS failures as TypeError.
  if (error instanceof TypeError) return "retriable";
  if (
    error instanceof Deno.errors.ConnectionRefused ||
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.TimedOut ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.UnexpectedEof ||
    error instanceof Deno.errors.Http
  ) return "retriable";
  // node:http (used for uploads, which need a fixed Content-Length) reports errno codes.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NODE_TRANSIENT_CODES.has(code)) return "retriable";
  return "fatal";
}

const NODE_TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
]);
