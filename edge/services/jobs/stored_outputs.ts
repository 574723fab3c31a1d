/**
 * The checks an uploaded output passes before the edge records it, shared by completion and a
 * take's description after it: the object lies in storage with the size the agent declared, and
 * a poster frame belongs to a video take (stored beside it).
 */
import { AGENT_ERROR_CODES } from "../../../protocol/jobs.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { posterKey, takeKey, type TakeRow } from "./takes.ts";

/** Throws 422 `output_mismatch` at `at` (the body's path) unless the take's file is as declared. */
export async function checkStoredTake(
  deps: AppDeps,
  row: TakeRow,
  output: { bytes: number },
  at: string,
): Promise<void> {
  await _checkStored(deps, takeKey(row), output.bytes, at, "the file");
}

/** The same for its poster frame, which only a video take has. */
export async function checkStoredPoster(
  deps: AppDeps,
  row: TakeRow,
  poster: { bytes: number },
  at: string,
): Promise<void> {
  if (!row.contentType.startsWith("video/")) {
    throw outputMismatch(at, "only video outputs have a poster frame");
  }
  await _checkStored(deps, posterKey(row), poster.bytes, at, "the poster");
}

async function _checkStored(
  deps: AppDeps,
  key: string,
  bytes: number,
  at: string,
  what: string,
): Promise<void> {
  const stored = await deps.storage.head(key);
  if (!stored) throw outputMismatch(at, `${what} is not in storage: upload it first`);
  if (stored.bytes !== bytes) {
    throw outputMismatch(`${at}.bytes`, `storage holds ${stored.bytes} bytes, not ${bytes}`);
  }
}

/** 422 `output_mismatch` naming the body's field at `path`. */
export function outputMismatch(path: string, message: string): ApiError {
  return new ApiError(422, AGENT_ERROR_CODES.outputMismatch, `${path}: ${message}`, [{
    path,
    message,
  }]);
}
