/**
 * A fake ComfyUI server for tests, reproducing the transcripts recorded from real ComfyUI 0.3.64
 * and 0.8.0 (see `recordings/README.md`): the HTTP bodies, the `/ws` message order, the binary
 * preview frames, validation errors, caching, interrupts, and a restart that forgets everything
 * held in memory (queue, history, cache) but keeps the files.
 *
 * @example
 * ```ts
 * const fake = await startFakeComfyUI({ models: { checkpoints: ["sd_xl_base_1.0.safetensors"] } });
 * fake.behaviour.stepMs = 20;                 // slower sampling, to cancel mid-run
 * const res = await fetch(`${fake.url}/system_stats`);
 * await fake.restart();                       // drops sockets, forgets queue and history
 * await fake.stop();
 * ```
 */
import type { Behaviour, ScriptedFailure } from "./behaviour.ts";
import { readRecordedServer } from "./recordings.ts";
import { route } from "./routes.ts";
import { type FakeDevice, FakeState, type RecordedRequest } from "./state.ts";
import type { ComfyVersion, FileRef, HistoryEntry } from "./types.ts";

export { fakeMp4 } from "./behaviour.ts";
export type { Behaviour, HoldPoint, OutputRequest, ScriptedFailure } from "./behaviour.ts";
export { cudaDevice } from "./state.ts";
export type { FakeDevice, RecordedRequest } from "./state.ts";
export type * from "./types.ts";

export interface FakeComfyUIOptions {
  /** Which recorded server to imitate; default "0.8.0". */
  version?: ComfyVersion;
  /** Installed model files by folder (`checkpoints`, `diffusion_models`, `loras`, ...). */
  models?: Record<string, string[]>;
  /** Installed node classes; default every class the recorded server had. */
  nodeClasses?: string[];
  /** `/system_stats` devices; default one 24 GiB CUDA card. */
  devices?: FakeDevice[];
  behaviour?: Partial<Behaviour>;
}

export interface FakeComfyUI {
  /** `http://127.0.0.1:<port>`, stable across restarts. */
  readonly url: string;
  readonly version: ComfyVersion;
  /** Timing, failures and output bytes; change fields at any time. */
  readonly behaviour: Behaviour;
  /** Every HTTP request received (and `/ws` upgrades), oldest first. */
  readonly requests: RecordedRequest[];
  /** Installs or replaces the files of a model folder. */
  setModels(folder: string, files: string[]): void;
  /** Limits the installed node classes (null: all recorded classes). */
  setNodeClasses(classes: string[] | null): void;
  setDevices(devices: FakeDevice[]): void;
  /** Makes a node fail (shortcut for pushing onto `behaviour.failures`). */
  fail(failure: ScriptedFailure): void;
  /** Bytes of a file in ComfyUI's output/temp/input folders, if there. */
  file(ref: FileRef): Uint8Array | undefined;
  /** A history entry as `GET /history/{id}` would return it. */
  history(promptId: string): HistoryEntry | undefined;
  /** Prompt ids queued or running now. */
  queuedIds(): string[];
  /** Number of open `/ws` connections. */
  socketCount(): number;
  /** Closes every `/ws` connection; runs continue (a network blip, not a restart). */
  dropSockets(): void;
  /** Stops the process and starts it again on the same port after `downMs`. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function serve(state: FakeState, port: number): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    (request) => route(state, request),
  );
}

/** Starts a fake ComfyUI on 127.0.0.1 on a free port. */
export async function startFakeComfyUI(options: FakeComfyUIOptions = {}): Promise<FakeComfyUI> {
  const version = options.version ?? "0.8.0";
  const state = new FakeState(version, await readRecordedServer(version));
  for (const [folder, files] of Object.entries(options.models ?? {})) {
    state.modelFiles.set(folder, files);
  }
  if (options.nodeClasses) state.classes = new Set(options.nodeClasses);
  if (options.devices) state.devices = options.devices;
  Object.assign(state.behaviour, options.behaviour ?? {});

  let server: Deno.HttpServer<Deno.NetAddr> | null = serve(state, 0);
  const port = server.addr.port;
  const shutdown = async () => {
    if (!server) return;
    const closing = server;
    server = null;
    state.sockets.closeAll();
    await state.queue.reset();
    await closing.shutdown();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    version,
    behaviour: state.behaviour,
    requests: state.requests,
    setModels: (folder, files) => void state.modelFiles.set(folder, [...files]),
    setNodeClasses: (classes) => void (state.classes = classes ? new Set(classes) : null),
    setDevices: (devices) => void (state.devices = devices),
    fail: (failure) => void state.behaviour.failures.push(failure),
    file: (ref) => state.files.get(ref),
    history: (id) => state.queue.history.get(id),
    queuedIds: () =>
      [...(state.queue.running ? [state.queue.running] : []), ...state.queue.pending].map((i) =>
        i[1]
      ),
    socketCount: () => state.sockets.size,
    dropSockets: () => state.sockets.closeAll(),
    async restart({ downMs = 0 } = {}) {
      await shutdown();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      state.files.restarted();
      server = serve(state, port);
    },
    stop: shutdown,
  };
}
