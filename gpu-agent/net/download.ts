/**
 * Fetches a job's inputs (upstream takes behind signed URLs) into its work folder, streaming
 * to disk so a long clip never sits in memory. `file://` URLs are read the same way (tests,
 * and an edge on the same machine). HTTP failures are retried like every other edge call.
 *
 * @example
 * ```ts
 * const paths = await downloadInputs(job.inputs, job.workDir, { signal });
 * paths.get("from"); // "/tmp/job-1/input-from.mp4"
 * ```
 */
import type { JobInput } from "../backends/backend.ts";
import { hashingStream } from "../upload/put_file.ts";
import { HttpError } from "./http_error.ts";
import { retry, type RetryOptions } from "./retry.ts";

export interface DownloadOptions {
  signal?: AbortSignal;
  retry?: Partial<Omit<RetryOptions, "signal">>;
}

const EXT_BY_TYPE: Record<string, string> = {
  "video/mp4": "mp4",
  "video/webm": "webm",
  "video/quicktime": "mov",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "audio/wav": "wav",
  "audio/mpeg": "mp3",
  "audio/flac": "flac",
};

/** A safe local file name for an input: socket name plus an extension tools recognise. */
export function inputFileName(input: JobInput): string {
  const socket = input.socket.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "input";
  return `input-${socket}.${inputExt(input)}`;
}

/** The extension tools recognise the input by: from its content type, else its URL's path. */
export function inputExt(input: Pick<JobInput, "url" | "contentType">): string {
  let ext = EXT_BY_TYPE[input.contentType.split(";")[0]!.trim().toLowerCase()];
  if (!ext) {
    try {
      ext = /\.([A-Za-z0-9]{1,5})$/.exec(new URL(input.url).pathname)?.[1]?.toLowerCase();
    } catch {
      // A bad URL is reported by the download itself.
    }
  }
  return ext ?? "bin";
}

/** Downloads one input; returns its path inside `workDir`. */
export async function downloadInput(
  input: JobInput,
  workDir: string,
  options: DownloadOptions = {},
): Promise<string> {
  const path = `${workDir}/${inputFileName(input)}`;
  await downloadTo(input, path, options);
  return path;
}

/** Streams an input into `path`; returns the SHA-256 of the bytes written. */
export async function downloadTo(
  input: JobInput,
  path: string,
  options: DownloadOptions = {},
): Promise<string> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new TypeError(`input '${input.socket}': url is not a valid URL`);
  }
  if (!["http:", "https:", "file:"].includes(url.protocol)) {
    throw new TypeError(
      `input '${input.socket}': url must be http(s) or file, got ${url.protocol}`,
    );
  }
  return await retry(async () => {
    const response = await fetch(url, options.signal ? { signal: options.signal } : {});
    if (!response.ok) throw await HttpError.from(response, `input '${input.socket}'`);
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const hash = hashingStream();
    // pipeTo closes the file when done or failed.
    await response.body!.pipeThrough(hash.stream).pipeTo(
      file.writable,
      options.signal ? { signal: options.signal } : {},
    );
    return hash.digest();
  }, {
    label: `download input '${input.socket}'`,
    ...options.retry,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Downloads every input; returns socket → local path. */
export async function downloadInputs(
  inputs: JobInput[],
  workDir: string,
  options: DownloadOptions = {},
): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const input of inputs) {
    if (paths.has(input.socket)) throw new TypeError(`input '${input.socket}' is given twice`);
    paths.set(input.socket, await downloadInput(input, workDir, options));
  }
  return paths;
}
