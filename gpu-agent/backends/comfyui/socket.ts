/**
 * One `/ws?clientId=` connection to ComfyUI. JSON messages go to `onMessage`; binary preview
 * frames are dropped (the agent reports percentages, not pictures). `closed` settles when the
 * socket goes away for any reason, so a run can tell a dropped connection from a finished one.
 */
import { ComfyUnreachable } from "./client.ts";

export interface ComfyMessage {
  type: string;
  data: Record<string, unknown>;
}

export class ComfySocket {
  onMessage: (message: ComfyMessage) => void = () => {};
  readonly closed: Promise<void>;
  #socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.addEventListener("close", () => resolve()));
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      try {
        const message = JSON.parse(event.data) as ComfyMessage;
        if (typeof message?.type === "string") {
          this.onMessage({ type: message.type, data: message.data ?? {} });
        }
      } catch {
        // not JSON: nothing ComfyUI documents sends that; ignore rather than fail a run
      }
    });
  }

  /** Opens `${wsUrl}/ws?clientId=`; rejects with `ComfyUnreachable` when it cannot connect. */
  static open(wsUrl: string, clientId: string): Promise<ComfySocket> {
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
      const onOpen = () => {
        socket.removeEventListener("close", onClose);
        resolve(new ComfySocket(socket));
      };
      const onClose = () => {
        socket.removeEventListener("open", onOpen);
        reject(new ComfyUnreachable(`ComfyUI's websocket at ${wsUrl} refused the connection`));
      };
      socket.addEventListener("open", onOpen, { once: true });
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
