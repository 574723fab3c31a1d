/**
 * A canvas client over the `ws` package for integration tests and the benchmark: records every
 * server message and waits (bounded) for the one a test expects.
 */
import WebSocket from "ws";
import type { ClientMessage, ServerMessage } from "../../protocol/canvas.ts";

export interface TestClient {
  ws: WebSocket;
  messages: ServerMessage[];
  send(message: ClientMessage): void;
  waitFor<T extends ServerMessage>(
    match: (m: ServerMessage) => m is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens a socket; rejects with the HTTP status when the server refuses the upgrade. */
export function openClient(url: string): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: ServerMessage[] = [];
    const waiters = new Set<() => void>();
    let resolveClosed!: (v: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => resolveClosed = r);
    ws.on("message", (data) => {
      messages.push(JSON.parse(String(data)));
      for (const w of waiters) w();
    });
    ws.on("close", (code, reason) => {
      resolveClosed({ code, reason: String(reason) });
      for (const w of waiters) w();
    });
    ws.on("unexpected-response", (_req, res) => {
      reject(new Error(`refused: ${res.statusCode}`));
      res.resume();
      ws.terminate();
    });
    ws.on("error", (e) => reject(e));
    ws.on("open", () => {
      const client: TestClient = {
        ws,
        messages,
        closed,
        send: (m) => ws.send(JSON.stringify(m)),
        waitFor: (match: (m: ServerMessage) => boolean, timeoutMs = 10_000) =>
          new Promise<ServerMessage>((ok, fail) => {
            let seen = 0;
            const check = () => {
              for (; seen < messages.length; seen++) {
                if (match(messages[seen]!)) return done(() => ok(messages[seen]!));
              }
              if (ws.readyState === WebSocket.CLOSED) {
                done(() => fail(new Error("socket closed while waiting")));
              }
            };
            const timer = setTimeout(
              () => done(() => fail(new Error("timed out waiting for a message"))),
              timeoutMs,
            );
            const done = (settle: () => void) => {
              clearTimeout(timer);
              waiters.delete(check);
              settle();
            };
            waiters.add(check);
            check();
          }),
        close: async () => {
          if (ws.readyState !== WebSocket.CLOSED) ws.close();
          // workerd does not always answer the closing handshake; don't wait ws's 30 s for it.
          const timer = setTimeout(() => ws.terminate(), 500);
          await closed;
          clearTimeout(timer);
        },
      };
      resolve(client);
    });
  });
}
