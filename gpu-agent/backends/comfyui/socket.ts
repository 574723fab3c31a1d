/**
 * One `/ws?clientId=` connection to ComfyUI. JSON messages go to `listen`'s handler; binary preview
 * frames are dropped (the agent reports percentages, not pictures). `closed` settles when the
 * socket goes away for any reason, so a run can tell a dropped connection from a finished one.
 */
import { ComfyUnreachable } from "./client.ts";

export interface ComfyMessage {
  type: string;
  data: Record<string, unknown>;
}

export class ComfySocket {
  readonly closed: Promise<void>;
  #socket: WebSocket;
  #handler: ((message: ComfyMessage) => void) | null = null;
  /** Messages that arrived while nobody listened (between open and `listen`); kept in order. */
  #buffer: ComfyMessage[] = [];

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.addEventListener("close", () => resolve()));
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      try {
        const message = JSON.parse(event.data) as ComfyMessage;
        if (typeof message?.type !== "string") return;
        const normalized = { type: message.type, data: message.data ?? {} };
        if (this.#handler) this.#handler(normalized);
        else this.#buffer.push(normalized);
      } catch {
        // not JSON: nothing ComfyUI documents sends that; ignore rather than fail a run
      }
    });
  }

  /** Delivers every message, starting with those that arrived before anyone listened. */
  listen(handler: (message: ComfyMessage) => void): void {
    this.#handler = handler;
    const pending = this.#buffer;
    this.#buffer = [];
    for (const message of pending) handler(message);
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
      // The greeting itself is consumed here; later messages wait in the buffer for `listen`.
      comfy.#handler = (message) => {
        if (message.type !== "status") {
          comfy.#buffer.push(message);
          return;
        }
        comfy.#handler = null;
        settle();
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
    await this.closed;
  }
}
