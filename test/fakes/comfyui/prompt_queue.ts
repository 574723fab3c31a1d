/**
 * The fake's prompt queue, worker and history, kept in memory like ComfyUI's `PromptQueue`:
 * a restart forgets the queue, the history, the node cache and the prompt numbers.
 */
import type { Behaviour } from "./behaviour.ts";
import { executePrompt } from "./execution.ts";
import type { FileStore } from "./files.ts";
import type { Sockets } from "./sockets.ts";
import type { HistoryEntry, NodeUiOutput, ObjectInfo, QueueItem } from "./types.ts";

export interface QueueContext {
  sockets: Sockets;
  files: FileStore;
  behaviour: Behaviour;
  objectInfo: () => ObjectInfo;
  previewJpeg: Uint8Array;
  /** What image save nodes write unless `behaviour.outputBytes` says otherwise. */
  defaultPng: Uint8Array;
  /** 0.8.0 adds `create_time` to `extra_data`. */
  addCreateTime: boolean;
}

export class PromptQueue {
  /** Grows with every `POST /prompt`, rejected ones included (recorded). */
  number = 0;
  readonly pending: QueueItem[] = [];
  running: QueueItem | null = null;
  readonly history = new Map<string, HistoryEntry>();
  /** Node signature → UI output of the node's last run: ComfyUI's output cache. */
  readonly cache = new Map<string, NodeUiOutput | null>();
  /** The node now executing, sent to a client that reconnects mid-run (as ComfyUI does). */
  lastNodeId: string | null = null;
  #interruptRequested = false;
  #abort = new AbortController();
  #worker: Promise<void> | null = null;

  constructor(readonly context: QueueContext) {}

  get remaining(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  sendStatus(): void {
    this.context.sockets.send("status", {
      status: { exec_info: { queue_remaining: this.remaining } },
    });
  }

  enqueue(
    promptId: string,
    prompt: QueueItem[2],
    extra: Record<string, unknown>,
    outputs: string[],
    number: number,
  ): void {
    const extraData = this.context.addCreateTime ? { ...extra, create_time: Date.now() } : extra;
    this.pending.push([number, promptId, prompt, extraData, outputs]);
    this.context.behaviour.queued?.(promptId);
    this.sendStatus();
    this.#worker ??= this.#work().finally(() => (this.#worker = null));
  }

  /** `POST /interrupt`: stops the running prompt (only the one named, when a name is given). */
  interrupt(promptId?: string): void {
    if (!this.running) return;
    if (promptId === undefined || promptId === this.running[1]) this.#interruptRequested = true;
  }

  get interruptRequested(): boolean {
    return this.#interruptRequested;
  }

  /** `POST /queue {delete: [...]}` and `{clear: true}`: only pending prompts are removed. */
  deletePending(ids: string[] | "all"): void {
    if (ids === "all") {
      this.pending.length = 0;
      this.sendStatus();
      return;
    }
    for (const id of ids) {
      const index = this.pending.findIndex((item) => item[1] === id);
      if (index < 0) continue;
      // Recorded: deleting the last pending prompt wipes the queue (one status), then reports
      // the deletion (a second status), as ComfyUI's delete_queue_item does.
      const wasLast = this.pending.length === 1;
      this.pending.splice(index, 1);
      if (wasLast) this.sendStatus();
      this.sendStatus();
    }
  }

  /** A process restart: everything in memory is gone; a run in progress stops silently. */
  async reset(): Promise<void> {
    this.#abort.abort();
    await this.#worker;
    this.#abort = new AbortController();
    this.number = 0;
    this.pending.length = 0;
    this.running = null;
    this.history.clear();
    this.cache.clear();
    this.lastNodeId = null;
    this.#interruptRequested = false;
  }

  async #work(): Promise<void> {
    const signal = this.#abort.signal;
    while (this.pending.length > 0 && !signal.aborted) {
      const item = this.pending.shift()!;
      this.running = item;
      this.#interruptRequested = false;
      this.sendStatus();
      const sid = typeof item[3].client_id === "string" ? item[3].client_id : null;
      let entry: HistoryEntry;
      try {
        entry = await executePrompt(item, sid, this, signal);
      } catch (error) {
        if (signal.aborted) return; // the process "died": no history, no more messages
        throw error;
      }
      this.history.set(item[1], entry);
      this.running = null;
      this.lastNodeId = null;
      this.sendStatus();
      this.context.sockets.send("executing", { node: null, prompt_id: item[1] }, sid);
    }
  }
}
