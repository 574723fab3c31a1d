/**
 * The `/ws?clientId=` connection to ComfyUI. JSON messages go to every listener; binary preview
 * frames go to them too, as `{type: "preview", data: {prompt_id, contentType, bytes}}`. `onClose` tells a run when
 * the socket goes away for any reason, so it can tell a dropped connection from a finished one.
 *
 * One connection serves every run of a backend (`ComfyConnection`): ComfyUI keeps one socket
 * per client id, and opening one per job would cost a handshake and a greeting before each
 * prompt, and a close after it.
 */
import { ComfyUnreachable } from "./client.ts";
import { decodePreview } from "./preview.ts";

export interface ComfyMessage {
  type: string;
  data: Record<string, unknown>;
}

export class ComfySocket {
  readonly #closed: Promise<void>;
  #socket: WebSocket;
  #greeting: ((message: ComfyMessage) => void) | null = null;
  readonly #listeners = new Set<(message: ComfyMessage) => void>();
  #runningPromptId: string | null = null;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.#closed = new Promise((resolve) => socket.addEventListener("close", () => resolve()));
    socket.addEventListener("message", (event) => {
      if (event.data instanceof ArrayBuffer) {
        const preview = this.#greeting
          ? null
          : decodePreview(new Uint8Array(event.data), this.#runningPromptId);
        if (!preview?.promptId) return;
        const { promptId, ...frame } = preview;
        const message = { type: "preview", data: { prompt_id: promptId, ...frame } };
        for (const listener of this.#listeners) listener(message);
        return;
      }
      if (typeof event.data !== "string") return;
      let message: ComfyMessage;
      try {
        message = JSON.parse(event.data) as ComfyMessage;
      } catch {
        return; // not JSON: nothing ComfyUI documents sends that; ignore rather than fail a run
      }
      if (typeof message?.type !== "string") return;
      const normalized = { type: message.type, data: message.data ?? {} };
      if (this.#greeting) return this.#greeting(normalized);
      // Type-1 previews name no prompt: they belong to the one our messages last named.
      if (typeof normalized.data.prompt_id === "string") {
        this.#runningPromptId = normalized.data.prompt_id;
      }
      for (const listener of this.#listeners) listener(normalized);
    });
  }

  /** Whether messages can still arrive (not closing or closed). */
  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /**
   * Delivers every message from now on to `handler`, until the returned function is called.
   * A run listens before it queues its prompt, so it cannot miss the prompt's first message.
   */
  listen(handler: (message: ComfyMessage) => void): () => void {
    this.#listeners.add(handler);
    return () => void this.#listeners.delete(handler);
  }

  /**
   * Calls `handler` once when the socket closes (at once if it has), unless the returned
   * function is called first. A long-lived socket keeps nothing for a handler once it is removed.
   */
  onClose(handler: () => void): () => void {
    if (this.#socket.readyState === WebSocket.CLOSED) {
      queueMicrotask(handler);
      return () => {};
    }
    const listener = () => handler();
    this.#socket.addEventListener("close", listener, { once: true });
    return () => this.#socket.removeEventListener("close", listener);
  }

  /**
   * Opens `${wsUrl}/ws?clientId=` and resolves once ComfyUI's greeting (`status` with `sid`)
   * arrives: only then is the socket registered server-side, so messages of a prompt queued
   * afterwards cannot be lost. Rejects with `ComfyUnreachable` when it cannot connect.
   */
  static open(wsUrl: string, clientId: string, timeoutMs = 10_000): Promise<ComfySocket> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(`${wsUrl}/ws?clientId=${encodeURIComponent(clientId)}`);
      } catch (error) {
        return reject(
          new ComfyUnreachable(`cannot open ComfyUI's websocket: ${(error as Error).message}`),
        );
      }
      socket.binaryType = "arraybuffer";
      const comfy = new ComfySocket(socket);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        comfy.#greeting = null;
        socket.removeEventListener("close", onClose);
        if (error) {
          socket.close();
          reject(error);
        } else {
          resolve(comfy);
        }
      };
      const onClose = () =>
        settle(new ComfyUnreachable(`ComfyUI's websocket at ${wsUrl} refused the connection`));
      const timer = setTimeout(
        () =>
          settle(
            new ComfyUnreachable(
              `ComfyUI's websocket at ${wsUrl} did not greet within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      // Nothing before the greeting concerns a prompt of ours: none can be queued yet.
      comfy.#greeting = (message) => {
        if (message.type === "status") settle();
      };
      socket.addEventListener("close", onClose, { once: true });
    });
  }

  async close(): Promise<void> {
    if (
      this.#socket.readyState === WebSocket.CONNECTING || this.#socket.readyState === WebSocket.OPEN
    ) {
      this.#socket.close();
    }
    await this.#closed;
  }
}

/**
 * The one `/ws` connection of a backend, shared by its runs: opened on first use, kept open
 * between jobs, and opened again by the next run (or a run's reconnect) after it dropped.
 *
 * @example
 * ```ts
 * const connection = new ComfyConnection("ws://127.0.0.1:8188", "movie-director-1");
 * const socket = await connection.socket();
 * const stop = socket.listen((m) => console.log(m.type));
 * stop();
 * await connection.close();
 * ```
 */
export class ComfyConnection {
  #socket: ComfySocket | null = null;
  #opening: Promise<ComfySocket> | null = null;

  constructor(readonly wsUrl: string, readonly clientId: string) {}

  /** The open socket; opens one (once, however many callers wait) when there is none. */
  socket(): Promise<ComfySocket> {
    if (this.#socket?.isOpen) return Promise.resolve(this.#socket);
    this.#opening ??= ComfySocket.open(this.wsUrl, this.clientId)
      .then((socket) => (this.#socket = socket))
      .finally(() => (this.#opening = null));
    return this.#opening;
  }

  /** Closes the socket, if one is open; a later `socket()` opens a new one. */
  async close(): Promise<void> {
    await this.#opening?.catch(() => {});
    const socket = this.#socket;
    this.#socket = null;
    await socket?.close();
  }
}
