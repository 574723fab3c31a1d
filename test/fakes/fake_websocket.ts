/**
 * A WebSocket with no network, for partysocket's `WebSocket` option in tests: the client side
 * (what partysocket calls: `send`, `close`, events) as a browser's socket behaves, and the
 * server side for the test (`open`, `receive`, `drop`). Subclasses wire it to a room.
 *
 * @example
 * ```ts
 * const made: FakeWebSocket[] = [];
 * class Socket extends FakeWebSocket {
 *   constructor(url: string) {
 *     super(url);
 *     made.push(this);
 *   }
 * }
 * new RoomClient({ ..., socket: { WebSocket: Socket } });
 * ```
 */
export class FakeWebSocket extends EventTarget {
  readyState = 0;
  binaryType = "blob";
  /** Frames the client sent, parsed. */
  readonly sent: Record<string, unknown>[] = [];
  /** How the client closed it, if it did. */
  closedBy: { code: number; reason: string } | null = null;

  constructor(readonly url: string) {
    super();
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.closedBy = { code, reason };
    // As in browsers, the close event comes later.
    queueMicrotask(() => this.dispatchEvent(new CloseEvent("close", { code, reason })));
  }

  /** The server accepted the connection. */
  open(): void {
    if (this.readyState !== 0) return;
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }

  /** A frame from the server. */
  receive(message: unknown): void {
    if (this.readyState !== 1) return;
    const data = typeof message === "string" ? message : JSON.stringify(message);
    this.dispatchEvent(new MessageEvent("message", { data }));
  }

  /** The server or the network ended the connection. */
  drop(code = 1006, reason = ""): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent("close", { code, reason }));
  }
}
