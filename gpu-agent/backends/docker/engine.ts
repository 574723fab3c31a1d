/**
 * The Docker Engine API over its unix socket, with the runtime's own `fetch` and an HTTP client
 * whose "proxy" is the socket (`Deno.createHttpClient({ proxy: { transport: "unix", path } })`,
 * checked on Deno 2.9.6 against Debian's Docker 20.10 and by the tests against a real engine).
 * No CLI, no shell: every call is one HTTP request to a versioned path (API 1.41, Docker 20.10,
 * which every newer engine still serves).
 *
 * Why not `dockerode`: it does work under Deno 2.9.6 (bench/docker/dockerode_ab.ts runs version,
 * create, a hijacked attach, wait and remove through it against the same engine), and it is no
 * faster: the same container cycle and the same 100,000 log lines take the same time within the
 * machine's noise (BENCHMARKS.md, "Docker"). But it brings 67 npm packages into the agent (ssh2,
 * cpu-features and protobufjs with install scripts Deno skips, @grpc/grpc-js, yargs) for the
 * dozen HTTP calls the agent makes, and Node streams where the runtime's fetch gives web streams.
 *
 * @example
 * ```ts
 * const engine = DockerEngine.fromHost(Deno.env.get("DOCKER_HOST"));
 * const { Version } = await engine.version();
 * ```
 */

/** The API version every call is pinned to (Docker Engine 20.10 and later serve it). */
export const API_VERSION = "v1.41";

export const DEFAULT_SOCKET = "/var/run/docker.sock";

/**
 * The engine's socket from `DOCKER_HOST` (`unix:///path`), else /var/run/docker.sock; an error
 * saying why when DOCKER_HOST names something else (the agent uses the local socket only).
 */
export function dockerSocket(host: string | null | undefined): string | EngineUnreachable {
  const value = host?.trim();
  if (!value) return DEFAULT_SOCKET;
  if (value.startsWith("unix://")) return value.slice("unix://".length);
  return new EngineUnreachable(
    `DOCKER_HOST is ${value}: the agent talks to the engine on its local unix socket only ` +
      `(unix:///var/run/docker.sock, or unix://$XDG_RUNTIME_DIR/docker.sock for rootless Docker)`,
  );
}

/** The engine's socket is missing or nobody answers on it. */
export class EngineUnreachable extends Error {
  override name = "EngineUnreachable";
}

/** The engine answered with an error status; `message` is the engine's own. */
export class EngineError extends Error {
  override name = "EngineError";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
}

/** The parts of `GET /info` the agent reads. */
export interface EngineInfo {
  /** e.g. ["name=seccomp,profile=default", "name=rootless"]. */
  SecurityOptions?: string[];
  /** Runtime name → path; "nvidia" when the NVIDIA container runtime is configured. */
  Runtimes?: Record<string, unknown>;
  DefaultRuntime?: string;
}

/** The parts of `GET /containers/{id}/json` the agent reads. */
export interface ContainerInspect {
  Id: string;
  Config: { User: string; Labels: Record<string, string> | null; Cmd: string[] | null };
  State: { Status: string; ExitCode: number; OOMKilled: boolean; Error: string };
  HostConfig: {
    Memory: number;
    PidsLimit: number | null;
    NetworkMode: string;
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    SecurityOpt: string[] | null;
    Privileged: boolean;
  };
  Mounts: { Type: string; Source: string; Destination: string; RW: boolean }[];
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  State: string;
  Labels: Record<string, string>;
}

type Query = Record<string, string | number | boolean | undefined>;

export class DockerEngine {
  readonly socket: string;
  readonly #client: Deno.HttpClient | null;
  /** Why this engine cannot be used at all (a DOCKER_HOST that is not a unix socket). */
  readonly #refusal: EngineUnreachable | null;

  constructor(socket: string = DEFAULT_SOCKET, refusal: EngineUnreachable | null = null) {
    this.socket = socket;
    this.#refusal = refusal;
    this.#client = refusal
      ? null
      : Deno.createHttpClient({ proxy: { transport: "unix", path: socket } });
  }

  /** The engine `DOCKER_HOST` names (unix sockets only), else the default socket. */
  static fromHost(host: string | null | undefined): DockerEngine {
    const socket = dockerSocket(host);
    return typeof socket === "string"
      ? new DockerEngine(socket)
      : new DockerEngine(host ?? "", socket);
  }

  /**
   * One call: the response when it is a success, else EngineError with the engine's message;
   * EngineUnreachable when the socket does not answer.
   */
  async request(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; signal?: AbortSignal | undefined } = {},
  ): Promise<Response> {
    if (this.#refusal) throw this.#refusal;
    const url = new URL(`http://docker/${API_VERSION}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const raw = options.body instanceof ReadableStream || options.body instanceof Uint8Array;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        client: this.#client!,
        ...(options.body === undefined ? {} : {
          body: raw ? options.body as BodyInit : JSON.stringify(options.body),
          headers: { "content-type": raw ? "application/x-tar" : "application/json" },
        }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new EngineUnreachable(
        `the Docker Engine at ${this.socket} is not answering (${(error as Error).message})`,
      );
    }
    if (response.ok || response.status === 304) return response;
    const text = await response.text().catch(() => "");
    let message = text.trim();
    try {
      message = String(JSON.parse(text).message ?? message);
    } catch {
      // Not JSON: the text itself.
    }
    throw new EngineError(response.status, message.slice(0, 2000) || `HTTP ${response.status}`);
  }

  async #json<T>(method: string, path: string, options: Parameters<DockerEngine["request"]>[2]) {
    const response = await this.request(method, path, options);
    return (response.status === 204 || response.status === 304
      ? (await response.body?.cancel(), undefined)
      : await response.json()) as T;
  }

  /** Null when the engine says 404 (no such image, volume or container). */
  async #orNull<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof EngineError && error.status === 404) return null;
      throw error;
    }
  }

  version(signal?: AbortSignal): Promise<EngineVersion> {
    return this.#json("GET", "/version", { signal });
  }

  info(signal?: AbortSignal): Promise<EngineInfo> {
    return this.#json("GET", "/info", { signal });
  }

  /** The image's id and its size, or null when the engine does not have it. */
  image(name: string, signal?: AbortSignal): Promise<{ Id: string; Size: number } | null> {
    return this.#orNull(this.#json("GET", `/images/${encodeURIComponent(name)}/json`, { signal }));
  }

  volume(name: string, signal?: AbortSignal): Promise<{ Name: string } | null> {
    return this.#orNull(this.#json("GET", `/volumes/${encodeURIComponent(name)}`, { signal }));
  }

  /**
   * Pulls an image (`POST /images/create?fromImage=`), calling `onStatus` with each line of the
   * engine's JSON progress; a failure the engine reports inside the stream throws EngineError.
   */
  async pull(
    image: string,
    onStatus: (
      line: { status?: string; progressDetail?: { current?: number; total?: number } },
    ) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const response = await this.request("POST", "/images/create", {
      query: { fromImage: image },
      signal,
    });
    const lines = response.body!.pipeThrough(new TextDecoderStream());
    let pending = "";
    for await (const chunk of lines) {
      const parts = (pending + chunk).split("\n");
      pending = parts.pop() ?? "";
      for (const part of parts) {
        if (!part.trim()) continue;
        const line = JSON.parse(part);
        if (line.error) throw new EngineError(500, String(line.error));
        onStatus(line);
      }
    }
  }

  async create(name: string, spec: unknown, signal?: AbortSignal): Promise<string> {
    const created = await this.#json<{ Id: string }>("POST", "/containers/create", {
      query: { name },
      body: spec,
      signal,
    });
    return created.Id;
  }

  async start(id: string, signal?: AbortSignal): Promise<void> {
    await this.#json("POST", `/containers/${id}/start`, { signal });
  }

  /**
   * The container's output as the engine's multiplexed stream (log_stream.ts reads it), until
   * it stops. Call it before `start`: attach sees output from the first byte and needs no log
   * driver. (`GET /logs?follow=1` on json-file lost most of 100,000 quick lines on Docker 20.10
   * here, ending when the container stopped, and was 10x slower.)
   */
  async attach(id: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await this.request("POST", `/containers/${id}/attach`, {
      query: { stream: 1, stdout: 1, stderr: 1 },
      signal,
    });
    return response.body!;
  }

  /** Waits until the container is not running; its exit code. */
  async wait(id: string, signal?: AbortSignal): Promise<number> {
    const result = await this.#json<{ StatusCode: number }>("POST", `/containers/${id}/wait`, {
      query: { condition: "not-running" },
      signal,
    });
    return result.StatusCode;
  }

  /** SIGTERM, then SIGKILL after `graceSeconds` (the engine does both); 304 when stopped. */
  async stop(id: string, graceSeconds: number, signal?: AbortSignal): Promise<void> {
    await this.#json("POST", `/containers/${id}/stop`, { query: { t: graceSeconds }, signal });
  }

  inspect(id: string, signal?: AbortSignal): Promise<ContainerInspect | null> {
    return this.#orNull(this.#json("GET", `/containers/${id}/json`, { signal }));
  }

  /** Removes the container (killed first if it runs) with its anonymous volumes; gone is fine. */
  async remove(id: string, signal?: AbortSignal): Promise<void> {
    await this.#orNull(this.#json("DELETE", `/containers/${id}`, {
      query: { force: 1, v: 1 },
      signal,
    }));
  }

  /** Every container (running or not) that carries all of these labels. */
  containers(labels: Record<string, string>, signal?: AbortSignal): Promise<ContainerSummary[]> {
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
    return this.#json("GET", "/containers/json", {
      query: { all: 1, filters: JSON.stringify(filters) },
      signal,
    });
  }

  close(): void {
    this.#client?.close();
  }
}
