/**
 * One local Gradio app, driven through @gradio/client: connect (kept between jobs), look up a
 * named endpoint, run it with typed data while following its status events, and download the
 * file it returns. Failures come out as JobFailures: the app gone (connection broken, or it stops
 * answering while a job runs) is `backend_down`; its own error message fails the job.
 *
 * @example
 * ```ts
 * const app = new GradioApp("http://127.0.0.1:7860");
 * const data = await app.run("generate", ["a red door"], { signal, onProgress });
 * const output = await app.download(data[0], workDir, "take", signal);
 * ```
 */
import { Client } from "@gradio/client";
import { join } from "node:path";
import { type BackendOutput, JobFailure, type ProgressReport } from "../backend.ts";
import { contentTypeFor, extensionOf } from "../media_types.ts";
import { readStatus } from "./status.ts";

export interface GradioTiming {
  /** How long connecting (`/config` and `/info`) may take; default 5 s. */
  connectTimeoutMs: number;
  /** While a job runs, how often the app is asked whether it is still there; default 5 s. */
  watchdogMs: number;
  /** Waits before joining again when the app's queue is full; default 2, 4, 8, 16 s. */
  queueFullDelaysMs: readonly number[];
  /** How long a cancel may take before the job is let go anyway; default 5 s. */
  cancelWaitMs: number;
}

export const DEFAULT_GRADIO_TIMING: GradioTiming = {
  connectTimeoutMs: 5_000,
  watchdogMs: 5_000,
  queueFullDelaysMs: [2_000, 4_000, 8_000, 16_000],
  cancelWaitMs: 5_000,
};

/**
 * A named endpoint as the app's `/info` describes it (after @gradio/client's own reading of it,
 * which keeps Gradio's `python_type`: "str", "float", "int", "bool", "filepath", ...).
 */
export interface EndpointInfo {
  parameters: { label?: string; component?: string; python_type?: { type?: string } }[];
}

export interface RunOptions {
  signal: AbortSignal;
  onProgress: (report: ProgressReport) => void;
}

export class GradioUnreachable extends Error {
  override name = "GradioUnreachable";
}

export class GradioApp {
  readonly url: string;
  readonly #timing: GradioTiming;
  #client: Promise<Client> | null = null;

  constructor(url: string, timing: Partial<GradioTiming> = {}) {
    this.url = url.replace(/\/+$/, "");
    this.#timing = { ...DEFAULT_GRADIO_TIMING, ...timing };
  }

  /** The connected client, connecting once (and again after `forget`). */
  client(): Promise<Client> {
    this.#client ??= this.#connect().catch((error) => {
      this.#client = null;
      throw error;
    });
    return this.#client;
  }

  /** Drops the connection: the next call connects afresh (after a restart the app is new). */
  forget(): void {
    const client = this.#client;
    this.#client = null;
    void client?.then((c) => c.close()).catch(() => {});
  }

  /**
   * The app's title (`/config`), and the endpoint's description, or null when it lacks it. Asks
   * the app each time: a kept connection is checked (`app_id`), and renewed when the app restarted.
   */
  async endpoint(apiName: string): Promise<{ title: string; info: EndpointInfo | null }> {
    if (this.#client) {
      const kept = await this.#client.catch(() => null);
      const state = kept ? await kept.reconnect() : "broken";
      if (state !== "connected") this.forget();
    }
    const client = await this.client();
    const info = client.api_info?.named_endpoints?.[`/${apiName}`] as EndpointInfo | undefined;
    return { title: String(client.config?.title ?? ""), info: info ?? null };
  }

  async #connect(): Promise<Client> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new GradioUnreachable(`${this.url} did not answer in time`)),
        this.#timing.connectTimeoutMs,
      );
    });
    try {
      return await Promise.race([
        // `record_history: false`: nothing is kept about the runs (it only applies in browsers).
        Client.connect(this.url, { events: ["data", "status"], record_history: false }),
        timeout,
      ]);
    } catch (error) {
      if (error instanceof GradioUnreachable) throw error;
      throw new GradioUnreachable(
        `${this.url} is not answering (${error instanceof Error ? error.message : error})`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the endpoint with `data`; returns its outputs. Joins again while the queue is full. */
  async run(apiName: string, data: unknown[], options: RunOptions): Promise<unknown[]> {
    const delays = this.#timing.queueFullDelaysMs;
    for (let attempt = 0;; attempt++) {
      let client: Client;
      try {
        client = await this.client();
      } catch (error) {
        throw down((error as Error).message);
      }
      const outcome = await this.#follow(client, apiName, data, options);
      if (outcome !== "queue_full") return outcome;
      const delay = delays[attempt];
      if (delay === undefined) {
        throw new JobFailure(
          `the app at ${this.url} stayed busy (its queue was full ${attempt + 1} times)`,
          true,
          "unavailable",
        );
      }
      options.onProgress({
        percent: 0,
        message: `the app's queue is full; trying again in ${Math.round(delay / 1000)} s`,
      });
      await sleep(delay, options.signal);
    }
  }

  async #follow(
    client: Client,
    apiName: string,
    data: unknown[],
    options: RunOptions,
  ): Promise<unknown[] | "queue_full"> {
    const { signal } = options;
    if (signal.aborted) throw canceled();
    const submission = client.submit(`/${apiName}`, data);
    const iterator = submission[Symbol.asyncIterator]();
    const stop = new AbortController();
    const aborted = waitFor(AbortSignal.any([signal, stop.signal])).then(() => "aborted" as const);
    const gone = this.#watch(stop.signal).then(() => "gone" as const);
    let output: unknown[] | null = null;
    try {
      while (true) {
        const next = await Promise.race([iterator.next(), aborted, gone]);
        if (next === "aborted") {
          await Promise.race([submission.cancel(), sleep(this.#timing.cancelWaitMs)]);
          throw canceled();
        }
        if (next === "gone") {
          this.forget();
          throw down(`${this.url} stopped answering during the job`);
        }
        if (next.done) break;
        const event = next.value;
        if (event.type === "data") output = event.data as unknown[];
        if (event.type !== "status") continue;
        const meaning = readStatus(event);
        switch (meaning.kind) {
          case "complete":
            // Done: whatever the shared stream says after this (its close) is not about us.
            if (output) return output;
            break;
          case "progress":
            options.onProgress(meaning.report);
            break;
          case "queue_full":
            return "queue_full";
          case "broken":
            this.forget();
            throw down(`the connection to ${this.url} broke: ${meaning.message.trim()}`);
          case "error":
            throw new JobFailure(`the app failed: ${meaning.message}`, false, "runtime");
        }
      }
    } finally {
      stop.abort();
      void submission.return().catch(() => {});
    }
    if (!output) {
      throw new JobFailure(`the app at ${this.url} finished without an output`, true, "output");
    }
    return output;
  }

  /** Resolves if the app stops answering while `until` is not aborted. */
  async #watch(until: AbortSignal): Promise<void> {
    while (!until.aborted) {
      await sleep(this.#timing.watchdogMs, until).catch(() => {});
      if (until.aborted) return new Promise(() => {}); // never: the job ended first
      try {
        // Any answer will do: Gradio 5 has `/gradio_api/app_id`, older apps answer 404.
        const response = await fetch(`${this.url}/gradio_api/app_id`, {
          signal: AbortSignal.any([until, AbortSignal.timeout(this.#timing.connectTimeoutMs)]),
        });
        await response.body?.cancel();
      } catch {
        if (!until.aborted) return;
      }
    }
    return new Promise(() => {});
  }

  /**
   * Streams the file an output names (FileData, or a component value holding one, such as
   * Video's `{video: FileData}`) into `workDir`. Only files the app itself serves are fetched.
   */
  async download(
    value: unknown,
    workDir: string,
    baseName: string,
    signal: AbortSignal,
  ): Promise<BackendOutput> {
    const file = findFileData(value);
    if (!file) throw new JobFailure("the app's output is not a file", false, "output");
    const url = new URL(file.url ?? `${this.url}/gradio_api/file=${file.path}`, this.url);
    if (url.origin !== new URL(this.url).origin) {
      // A local app has no business sending us elsewhere (and the URL is its to choose).
      throw new JobFailure(
        `the app returned a file on another server (${url.origin}); only its own files are fetched`,
        false,
        "output",
      );
    }
    const ext = extensionOf(file.orig_name ?? file.path ?? "") || "bin";
    const path = join(workDir, `${baseName}.${ext}`);
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (error) {
      if (signal.aborted) throw canceled();
      throw down(`could not fetch the output from ${this.url}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JobFailure(`the app's output answered HTTP ${response.status}`, true, "output");
    }
    const out = await Deno.open(path, { write: true, create: true, truncate: true });
    await response.body!.pipeTo(out.writable, { signal });
    return {
      path,
      ext,
      contentType: contentTypeFor(ext) ??
        response.headers.get("content-type")?.split(";")[0] ?? "application/octet-stream",
    };
  }
}

interface FileData {
  path?: string;
  url?: string | null;
  orig_name?: string | null;
}

/** The first FileData in an output value (`meta._type` "gradio.FileData", or a path and url). */
export function findFileData(value: unknown, depth = 0): FileData | null {
  if (!value || typeof value !== "object" || depth > 4) return null;
  const record = value as Record<string, unknown> & { meta?: { _type?: unknown } };
  if (
    record.meta?._type === "gradio.FileData" ||
    (typeof record.path === "string" && typeof record.url === "string")
  ) {
    return record as FileData;
  }
  for (const inner of Array.isArray(value) ? value : Object.values(record)) {
    const found = findFileData(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

function down(message: string): JobFailure {
  return new JobFailure(message, true, "backend_down");
}

function canceled(): JobFailure {
  return new JobFailure("canceled", false, "canceled");
}

function waitFor(signal: AbortSignal): Promise<void> {
  return signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(canceled());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(canceled());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
