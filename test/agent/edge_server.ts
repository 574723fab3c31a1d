/**
 * A real edge (edge/testing.ts: the full app on a temp libSQL database and blob folder) served
 * over HTTP on 127.0.0.1, as an agent reaches it. It can go down (connections refused) and come
 * back on the same port, to test how the agent rides out an outage.
 */
import { createTestApp, type TestApp } from "../../edge/testing.ts";

export interface EdgeServer {
  readonly url: string;
  readonly t: TestApp;
  /** Stops listening: calls are refused until `up()`. */
  down(): Promise<void>;
  up(): void;
  /**
   * Answers the requests `match` picks with 502, as a proxy in front of an unreachable edge does
   * (the rest still pass); `null` lets everything through again.
   */
  unreachable(match: ((request: Request) => boolean) | null): void;
  close(): Promise<void>;
}

/** Called after the app answered a request, with how long it took (the body not yet sent). */
export type EdgeObserver = (request: Request, response: Response, ms: number) => void;

/** Short leases, heartbeats and claim re-checks keep agent tests fast. */
export async function startEdgeServer(
  overrides: Record<string, string> = {},
  observe?: EdgeObserver,
): Promise<EdgeServer> {
  let handle: (request: Request) => Response | Promise<Response> = () =>
    new Response("starting", { status: 503 });
  const listen = (port: number) =>
    Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, (request) => handle(request));
  let server: Deno.HttpServer<Deno.NetAddr> | null = listen(0);
  const port = server.addr.port;
  const url = `http://127.0.0.1:${port}`;
  const t = await createTestApp({
    PUBLIC_URL: url,
    LEASE_MS: "3000",
    HEARTBEAT_INTERVAL_MS: "1000",
    CLAIM_RECHECK_MS: "50",
    ...overrides,
  });
  let cutOff: ((request: Request) => boolean) | null = null;
  const app = (request: Request) =>
    cutOff?.(request) ? new Response("edge unreachable", { status: 502 }) : t.app.fetch(request);
  handle = observe
    ? async (request) => {
      const started = performance.now();
      const response = await app(request);
      observe(request, response, performance.now() - started);
      return response;
    }
    : app;
  const stop = async () => {
    const closing = server;
    server = null;
    await closing?.shutdown();
  };
  return {
    url,
    t,
    down: stop,
    up() {
      server ??= listen(port);
    },
    unreachable(match) {
      cutOff = match;
    },
    async close() {
      await stop();
      await t.close();
    },
  };
}
