/**
 * A small HTTP client for the ComfyUI API (shapes from shared/protocols/comfyui): system stats,
 * object info, model lists, queue, history, prompt submission, uploads, file downloads,
 * interrupt and free. Network failures become `ComfyUnreachable`; a rejected prompt becomes
 * `PromptRejected` carrying ComfyUI's `error` and `node_errors`.
 */

export type ApiPrompt = Record<
  string,
  { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }
>;

export interface SystemStats {
  system: { comfyui_version?: string; [key: string]: unknown };
  devices: { name: string; type: string; vram_total: number; vram_free: number }[];
}

export interface ObjectInfoClass {
  input: { required?: Record<string, unknown[]>; optional?: Record<string, unknown[]> };
  output_node?: boolean;
  display_name?: string;
}

export interface FileRef {
  filename: string;
  subfolder: string;
  type: string;
}

export interface HistoryEntry {
  outputs: Record<string, Record<string, unknown>>;
  status?: {
    status_str: "success" | "error";
    completed: boolean;
    messages: [string, Record<string, unknown>][];
  };
}

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]` */
export type QueueItem = [number, string, ...unknown[]];

export interface PromptErrorBody {
  error: { type: string; message: string; details: string; extra_info?: Record<string, unknown> };
  node_errors: Record<string, {
    errors: {
      type: string;
      message: string;
      details: string;
      extra_info?: { input_name?: string };
    }[];
    class_type: string;
  }>;
}

export class ComfyUnreachable extends Error {
  override name = "ComfyUnreachable";
}

export class ComfyHttpError extends Error {
  override name = "ComfyHttpError";
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** ComfyUI refused the prompt (HTTP 400); `body` is exactly what it said. */
export class PromptRejected extends Error {
  override name = "PromptRejected";
  constructor(readonly body: PromptErrorBody) {
    super(body.error?.message ?? "prompt rejected");
  }
}

export class ComfyClient {
  /** @param baseUrl e.g. `http://127.0.0.1:8188` */
  constructor(readonly baseUrl: string) {}

  get wsUrl(): string {
    return this.baseUrl.replace(/^http/, "ws");
  }

  async #fetch(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(this.baseUrl + path, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ComfyUnreachable(
        `ComfyUI at ${this.baseUrl} is not answering (${(error as Error).message})`,
      );
    }
  }

  async #json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.#fetch(path, init);
    if (!response.ok) {
      await response.body?.cancel();
      throw new ComfyHttpError(
        `${init.method ?? "GET"} ${path}: HTTP ${response.status}`,
        response.status,
      );
    }
    return await response.json() as T;
  }

  async #post(path: string, body: unknown, signal?: AbortSignal): Promise<void> {
    const response = await this.#fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    await response.body?.cancel();
    if (!response.ok) {
      throw new ComfyHttpError(`POST ${path}: HTTP ${response.status}`, response.status);
    }
  }

  systemStats(signal?: AbortSignal): Promise<SystemStats> {
    return this.#json("/system_stats", signal ? { signal } : {});
  }

  objectInfo(signal?: AbortSignal): Promise<Record<string, ObjectInfoClass>> {
    return this.#json("/object_info", signal ? { signal } : {});
  }

  /** The model folders this ComfyUI knows (`GET /models`), custom nodes' own folders included. */
  modelFolders(signal?: AbortSignal): Promise<string[]> {
    return this.#json<string[]>("/models", signal ? { signal } : {});
  }

  /** Files in a model folder; an unknown folder (404) lists nothing. */
  async models(folder: string, signal?: AbortSignal): Promise<string[]> {
    try {
      return await this.#json<string[]>(
        `/models/${encodeURIComponent(folder)}`,
        signal ? { signal } : {},
      );
    } catch (error) {
      if (error instanceof ComfyHttpError && error.status === 404) return [];
      throw error;
    }
  }

  /** The history entry of a prompt, or null when ComfyUI does not know it (`{}`). */
  async history(promptId: string): Promise<HistoryEntry | null> {
    const body = await this.#json<Record<string, HistoryEntry>>(
      `/history/${encodeURIComponent(promptId)}`,
    );
    return body[promptId] ?? null;
  }

  /** Ids of the running and pending prompts. */
  async queuedIds(): Promise<string[]> {
    const body = await this.#json<{ queue_running: QueueItem[]; queue_pending: QueueItem[] }>(
      "/queue",
    );
    return [...body.queue_running, ...body.queue_pending].map((item) => item[1]);
  }

  /** Queues a prompt under a prompt id we choose; throws `PromptRejected` on a 400. */
  async queuePrompt(
    prompt: ApiPrompt,
    clientId: string,
    promptId: string,
  ): Promise<{ number: number }> {
    const response = await this.#fetch("/prompt", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt, client_id: clientId, prompt_id: promptId }),
    });
    if (response.status === 400) throw new PromptRejected(await response.json() as PromptErrorBody);
    if (!response.ok) {
      await response.body?.cancel();
      throw new ComfyHttpError(`POST /prompt: HTTP ${response.status}`, response.status);
    }
    return await response.json() as { number: number };
  }

  /** Uploads an image into ComfyUI's input folder; returns the name LoadImage should use. */
  async uploadImage(image: Blob, filename: string, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append("image", image, filename);
    form.append("overwrite", "true");
    const body = await this.#json<{ name: string; subfolder: string }>("/upload/image", {
      method: "POST",
      body: form,
      ...(signal ? { signal } : {}),
    });
    return body.subfolder ? `${body.subfolder}/${body.name}` : body.name;
  }

  /** Opens a produced file for streaming (`GET /view`). */
  async view(ref: FileRef, signal?: AbortSignal): Promise<Response> {
    const query = new URLSearchParams({
      filename: ref.filename,
      subfolder: ref.subfolder,
      type: ref.type,
    });
    const response = await this.#fetch(`/view?${query}`, signal ? { signal } : {});
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new ComfyHttpError(
        `GET /view ${ref.filename}: HTTP ${response.status}`,
        response.status,
      );
    }
    return response;
  }

  interrupt(promptId: string): Promise<void> {
    return this.#post("/interrupt", { prompt_id: promptId });
  }

  deleteQueued(promptIds: string[]): Promise<void> {
    return this.#post("/queue", { delete: promptIds });
  }

  free(): Promise<void> {
    return this.#post("/free", { unload_models: true, free_memory: true });
  }
}
