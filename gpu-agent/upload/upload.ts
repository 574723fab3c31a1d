/**
 * Uploads a take: a streaming PUT (put_file.ts) retried with backoff on transient failures
 * (network errors, 5xx, 429). A 4xx is final: the URL is wrong or its signature expired, and
 * the edge must hand out a new one.
 *
 * @example
 * ```ts
 * const { bytes, sha256 } = await uploadFile(output.path, presignedUrl, {
 *   contentType: "video/mp4",
 *   signal,
 * });
 * ```
 */
import { retry, type RetryOptions } from "../net/retry.ts";
import { putFileOnce, type PutOptions, type PutResult } from "./put_file.ts";

export type UploadOptions = PutOptions & {
  /** Retry tuning and test hooks (clock, logger, random); label defaults to the file name. */
  retry?: Partial<Omit<RetryOptions, "signal">>;
};

export function uploadFile(path: string, url: string, options: UploadOptions): Promise<PutResult> {
  const { retry: retryOptions, ...put } = options;
  return retry(() => putFileOnce(path, url, put), {
    label: `upload ${path.split("/").at(-1)}`,
    maxAttempts: 6,
    ...retryOptions,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
