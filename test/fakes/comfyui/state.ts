/**
 * Everything one fake ComfyUI holds: recorded server data, installed models and node classes,
 * files, the prompt queue and the open sockets. Routes read it; tests change it through
 * `FakeComfyUI` (mod.ts).
 */
import { type Behaviour, defaultBehaviour } from "./behaviour.ts";
import { FileStore } from "./files.ts";
import { buildObjectInfo } from "./object_info.ts";
import { PromptQueue } from "./prompt_queue.ts";
import type { RecordedServer } from "./recordings.ts";
import { Sockets } from "./sockets.ts";
import type { ComfyVersion, ObjectInfo } from "./types.ts";

/** One GPU in `/system_stats` `devices[]` (bytes, as recorded). */
export interface FakeDevice {
  name: string;
  type: string;
  index: number | null;
  vram_total: number;
  vram_free: number;
  torch_vram_total: number;
  torch_vram_free: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with its query string. */
  path: string;
  /** Parsed JSON body (a summary for uploads); undefined for GETs. */
  body: unknown;
}

/** A 24 GiB CUDA card shaped like the recorded device entries. */
export function cudaDevice(vramGiB = 24, name = "NVIDIA GeForce RTX 4090"): FakeDevice {
  const total = vramGiB * 1024 ** 3;
  const free = total - 512 * 1024 ** 2;
  return {
    name: `cuda:0 ${name} : cudaMallocAsync`,
    type: "cuda",
    index: 0,
    vram_total: total,
    vram_free: free,
    torch_vram_total: 0,
    torch_vram_free: 0,
  };
}

export class FakeState {
  readonly requests: RecordedRequest[] = [];
  readonly files = new FileStore();
  readonly sockets: Sockets;
  readonly queue: PromptQueue;
  /** Mutable by tests at any time (`fake.behaviour.stepMs = 50`). */
  readonly behaviour: Behaviour = defaultBehaviour();
  /** Model folder → installed file names. */
  readonly modelFiles = new Map<string, string[]>();
  /** Installed node classes; null means every recorded class of this version. */
  classes: Set<string> | null = null;
  devices: FakeDevice[] = [cudaDevice()];
  /** False after `POST /free {unload_models: true}`, true again when a prompt runs. */
  loadedModels = false;

  constructor(readonly version: ComfyVersion, readonly recorded: RecordedServer) {
    this.sockets = new Sockets(recorded.features);
    this.queue = new PromptQueue({
      sockets: this.sockets,
      files: this.files,
      behaviour: this.behaviour,
      objectInfo: () => this.objectInfo(),
      previewJpeg: recorded.previewJpeg,
      defaultPng: recorded.defaultPng,
      addCreateTime: version !== "0.3.64",
    });
  }

  /**
   * `GET /models`: the recorded folders, and any other a test gave files (a custom node
   * registers its own folder with `folder_paths`, and ComfyUI's `/models` lists every one).
   */
  modelFolders(): string[] {
    return [...new Set([...this.recorded.modelFolders, ...this.modelFiles.keys()])];
  }

  models(folder: string): string[] {
    return [...(this.modelFiles.get(folder) ?? [])];
  }

  objectInfo(): ObjectInfo {
    return buildObjectInfo({
      recorded: this.recorded.objectInfo,
      classes: this.classes,
      models: (folder) => this.models(folder),
      inputFiles: () => this.files.inputNames(),
    });
  }

  systemStats(): unknown {
    return { system: this.recorded.systemStats.system, devices: this.devices };
  }

  /** `/ws?clientId=`: sends `status` with `sid` on open, and the current node to a returning client. */
  upgrade(request: Request, clientId: string | null): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 400 });
    }
    const sid = clientId ?? crypto.randomUUID().replaceAll("-", "");
    const { socket, response } = Deno.upgradeWebSocket(request);
    this.sockets.add(sid, socket, () => {
      const status = { status: { exec_info: { queue_remaining: this.queue.remaining } }, sid };
      this.sockets.send("status", status, sid);
      const running = this.queue.running;
      if (running && running[3].client_id === sid && this.queue.lastNodeId !== null) {
        this.sockets.send("executing", { node: this.queue.lastNodeId }, sid);
      }
    });
    return response;
  }
}
