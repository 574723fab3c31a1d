/**
 * A fake Gradio 5 server for tests, built from Gradio's own source (gradio@5.49.1: routes.py,
 * queueing.py, server_messages.py, blocks.py) so that @gradio/client talks to it as to the real
 * thing: `/config` (protocol sse_v3, api_prefix), `/gradio_api/info`, `/queue/join`, the
 * `/queue/data` SSE stream, `/upload`, `/file=`, `/cancel`, `/reset`.
 *
 * @example
 * ```ts
 * await using app = await startFakeGradio({ endpoints: [{ apiName: "generate", inputs: [...],
 *   outputs: [...], fn: async ([prompt], { progress }) => { progress(0.5); return ["out.wav"]; } }] });
 * const client = await Client.connect(app.url);
 * ```
 */
import { FakeFiles } from "./files.ts";
import { FakeQueue, type QueueHooks } from "./queue.ts";
import { type RecordedRequest, route } from "./routes.ts";
import { type AppSpec, GRADIO_TIMING, type GradioTiming } from "./types.ts";

export { GradioError } from "./types.ts";
export type { AppSpec, ComponentSpec, EndpointSpec, FnContext, ServerMessage } from "./types.ts";
export type { QueueHooks } from "./queue.ts";

export interface FakeGradio {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Timing hooks (the benchmark's clock). */
  hooks: QueueHooks;
  /** Events waiting in the queue (not running). */
  queueSize(): number;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startFakeGradio(
  app: AppSpec,
  options: { timing?: Partial<GradioTiming>; port?: number } = {},
): Promise<FakeGradio> {
  const files = await FakeFiles.create();
  const requests: RecordedRequest[] = [];
  let url = "";
  const queue = new FakeQueue(app, files, { ...GRADIO_TIMING, ...options.timing }, () => url);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen: () => {} },
    (request) => route(queue, request, requests),
  );
  url = `http://127.0.0.1:${server.addr.port}`;
  queue.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    queue.stop();
    // Streams end once they notice the stop; then the server can close.
    await server.shutdown();
    await files.remove();
  };
  return {
    url,
    requests,
    get hooks() {
      return queue.hooks;
    },
    set hooks(hooks) {
      queue.hooks = hooks;
    },
    queueSize: () => queue.size,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
