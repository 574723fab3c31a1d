/**
 * The fake's queue, after gradio/queueing.py and the queue routes of gradio/routes.py: join
 * (`push`), the processing loop, progress, estimations, cancel, and one SSE stream per session.
 *
 * What a client sees for one event on `/queue/data` (sse_v3):
 *   estimation (rank, queue_size, rank_eta)     push → broadcast_estimations (queueing.py 395)
 *   [estimation … as the events ahead start]    start_processing, live updates (queueing.py 468-469)
 *   process_starts (eta)                        process_events (queueing.py 704-714)
 *   progress (progress_data) …                  start_progress_updates, every 0.1 s (482-500)
 *   process_completed (output, success)         process_events (781-790 error, 875-892 success)
 *   close_stream                                queue_data_helper, no event left (routes.py 1494-1512)
 * and `heartbeat` every 15 s on an idle stream (routes.py 1452-1466).
 */
import type { FakeFiles } from "./files.ts";
import {
  type AppSpec,
  type ComponentSpec,
  type FnContext,
  GradioError,
  type GradioTiming,
  type ServerMessage,
} from "./types.ts";

interface FakeEvent {
  id: string;
  sessionHash: string;
  endpoint: number;
  data: unknown[];
  alive: boolean;
  abort: AbortController;
  progress: ServerMessage | null;
  progressPending: boolean;
  /** Settles when the function has returned or thrown (awaited by /cancel). */
  done?: Promise<void>;
}

interface Session {
  messages: ServerMessage[];
  pending: Set<string>;
}

/** Moments the benchmark times: an event accepted, and a message written to a stream. */
export interface QueueHooks {
  joined?: (eventId: string) => void;
  sent?: (message: ServerMessage) => void;
  /** A function about to run, and done (its own time is the app's, not the client's). */
  fnStarted?: (eventId: string) => void;
  fnFinished?: (eventId: string) => void;
}

export type JoinResult = { status: 200; body: { event_id: string } } | {
  status: number;
  body: { detail: string };
};

export class FakeQueue {
  readonly sessions = new Map<string, Session>();
  readonly #waiting: FakeEvent[][];
  readonly #running: Set<FakeEvent>[];
  readonly #times: { total: number; count: number }[];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  stopped = false;
  hooks: QueueHooks = {};
  /** Gradio picks a random app id per launch (blocks.py 1141: `self.app_id = random.getrandbits(64)`). */
  readonly appId = crypto.getRandomValues(new Uint32Array(1))[0]!;

  constructor(
    readonly app: AppSpec,
    readonly files: FakeFiles,
    readonly timing: GradioTiming,
    readonly root: () => string,
  ) {
    this.#waiting = app.endpoints.map(() => []);
    this.#running = app.endpoints.map(() => new Set());
    this.#times = app.endpoints.map(() => ({ total: 0, count: 0 }));
  }

  get size(): number {
    return this.#waiting.reduce((sum, list) => sum + list.length, 0);
  }

  start(): void {
    void this.#processingLoop();
    void this.#progressLoop();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const running of this.#running) for (const event of running) event.abort.abort();
  }

  /** `POST /queue/join` (routes.py 1330-1372, queueing.py `push` 271-396). */
  join(body: { data?: unknown; fn_index?: unknown; session_hash?: unknown }): JoinResult {
    if (typeof body.session_hash !== "string") {
      return { status: 400, body: { detail: "Session hash not found." } };
    }
    if (this.stopped) return { status: 503, body: { detail: "Queue is stopped." } };
    if (typeof body.fn_index !== "number" || !this.app.endpoints[body.fn_index]) {
      return { status: 400, body: { detail: "No function index provided." } };
    }
    const maxSize = this.app.maxSize ?? null;
    if (maxSize !== null && this.size >= maxSize) {
      return {
        status: 503,
        body: { detail: `Queue is full. Max size is ${maxSize} and size is ${this.size}.` },
      };
    }
    const event: FakeEvent = {
      id: crypto.randomUUID().replaceAll("-", ""),
      sessionHash: body.session_hash,
      endpoint: body.fn_index,
      data: Array.isArray(body.data) ? body.data : [],
      alive: true,
      abort: new AbortController(),
      progress: null,
      progressPending: false,
    };
    let session = this.sessions.get(event.sessionHash);
    if (!session) {
      this.sessions.set(event.sessionHash, session = { messages: [], pending: new Set() });
    }
    session.pending.add(event.id);
    const queue = this.#waiting[event.endpoint]!;
    queue.push(event);
    this.hooks.joined?.(event.id);
    this.#broadcastEstimations(event.endpoint, queue.length - 1);
    return { status: 200, body: { event_id: event.id } };
  }

  /** `POST /cancel` (routes.py 1374-1397): stop the running task, then complete the event. */
  async cancel(body: { session_hash?: unknown; fn_index?: unknown; event_id?: unknown }) {
    const running = this.#running[Number(body.fn_index)];
    const matching = [...running ?? []].filter((e) => e.sessionHash === body.session_hash);
    for (const event of matching) event.abort.abort();
    await Promise.all(matching.map((e) => e.done));
    const session = this.sessions.get(String(body.session_hash));
    if (session && session.pending.has(String(body.event_id))) {
      // Put on the session's queue directly, as routes.py 1389-1391 does.
      session.messages.push(completed(String(body.event_id), {}, true));
    }
    return { success: true };
  }

  /** A stream was closed by its client: its events are dropped (queueing.py `clean_events`). */
  cleanSession(sessionHash: string): void {
    for (const running of this.#running) {
      for (const event of running) if (event.sessionHash === sessionHash) event.alive = false;
    }
    for (const [index, queue] of this.#waiting.entries()) {
      this.#waiting[index] = queue.filter((e) => e.sessionHash !== sessionHash);
    }
  }

  #send(event: FakeEvent, message: { msg: string } & Record<string, unknown>): void {
    if (!event.alive) return;
    // model_dump order: `msg`, `event_id`, then the message's own fields.
    const { msg, ...fields } = message;
    this.sessions.get(event.sessionHash)?.messages.push({ msg, event_id: event.id, ...fields });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  /** `start_processing` (queueing.py 438-480): polls every 0.05 s while there is nothing to do. */
  async #processingLoop(): Promise<void> {
    while (!this.stopped) {
      const index = this.#waiting.findIndex((queue, i) =>
        queue.length > 0 && this.#running[i]!.size < (this.app.endpoints[i]!.concurrencyLimit ?? 1)
      );
      if (index < 0) {
        await this.#sleep(this.timing.queuePollMs);
        continue;
      }
      const event = this.#waiting[index]!.shift()!;
      this.#running[index]!.add(event);
      const began = performance.now();
      event.done = this.#process(event, began).finally(() => this.#running[index]!.delete(event));
      // live_updates: the events still waiting hear their new rank at once.
      this.#broadcastEstimations(index);
    }
  }

  /** `start_progress_updates` (queueing.py 482-500): the latest progress, every 0.1 s. */
  async #progressLoop(): Promise<void> {
    while (!this.stopped) {
      for (const running of this.#running) {
        for (const event of running) {
          if (event.progressPending && event.progress) {
            event.progressPending = false;
            this.#send(event, event.progress);
          }
        }
      }
      await this.#sleep(this.timing.progressMs);
    }
  }

  /** `broadcast_estimations` (queueing.py 579-643). */
  #broadcastEstimations(endpoint: number, after?: number): void {
    const queue = this.#waiting[endpoint]!;
    const times = this.#times[endpoint]!;
    const average = times.count > 0 ? times.total / times.count : null;
    const limit = this.app.endpoints[endpoint]!.concurrencyLimit ?? 1;
    // Time until a worker frees up, when all are busy (rough: a full average each).
    const tillWorker = this.#running[endpoint]!.size >= limit ? average : 0;
    let waitSoFar: number | null = 0;
    queue.forEach((event, rank) => {
      const rankEta = average !== null && waitSoFar !== null && tillWorker !== null
        ? average + waitSoFar + tillWorker
        : null;
      if (after === undefined || rank >= after) {
        this.#send(event, {
          msg: "estimation",
          rank,
          queue_size: queue.length,
          rank_eta: rankEta,
        });
      }
      waitSoFar = waitSoFar !== null && average !== null ? waitSoFar + average / limit : null;
    });
  }

  /** `process_events` (queueing.py 697-935) for one event. */
  async #process(event: FakeEvent, began: number): Promise<void> {
    const endpoint = this.app.endpoints[event.endpoint]!;
    const times = this.#times[event.endpoint]!;
    this.#send(event, {
      msg: "process_starts",
      eta: times.count > 0 ? times.total / times.count / 1000 : null,
    });
    const context: FnContext = {
      signal: event.abort.signal,
      progress: (progress, desc) => {
        const [index, length] = Array.isArray(progress) ? progress : [null, null];
        event.progress = {
          msg: "progress",
          event_id: event.id,
          progress_data: [{
            index,
            length,
            unit: "steps",
            progress: Array.isArray(progress) ? null : progress,
            desc: desc ?? null,
          }],
        };
        event.progressPending = true;
      },
    };
    let output: Record<string, unknown>;
    let success: boolean;
    try {
      const inputs = endpoint.inputs.map((spec, i) => this.#preprocess(spec, event.data[i]));
      this.hooks.fnStarted?.(event.id);
      const started = performance.now();
      const values = await endpoint.fn(inputs, context);
      if (event.abort.signal.aborted) return; // canceled: /cancel completes the event
      this.hooks.fnFinished?.(event.id);
      const data = await Promise.all(
        endpoint.outputs.map((spec, i) => this.#postprocess(spec, values[i])),
      );
      const duration = (performance.now() - started) / 1000;
      times.total += performance.now() - began;
      times.count += 1;
      output = {
        data,
        is_generating: false,
        duration,
        average_duration: times.total / times.count / 1000,
        render_config: null,
        changed_state_ids: [],
      };
      success = true;
    } catch (error) {
      if (event.abort.signal.aborted) return; // asyncio.CancelledError: nothing is sent
      output = errorPayload(error, this.app.showError ?? false);
      success = false;
    }
    this.#send(event, {
      msg: "process_completed",
      output,
      success,
      title: success ? null : (output.title as string | undefined) ?? "Error",
    });
  }

  /** What a component's `preprocess` hands the function. */
  #preprocess(spec: ComponentSpec, value: unknown): unknown {
    if (value === null || value === undefined) return spec.value ?? null;
    switch (spec.type) {
      case "textbox":
        return String(value);
      case "number": {
        const n = Number(value);
        if (typeof value === "boolean" || !Number.isFinite(n)) {
          throw new Error(`could not convert string to float: '${value}'`);
        }
        return n;
      }
      case "checkbox":
        return Boolean(value);
      default: {
        // File components: FileData pointing into the upload folder (processing_utils
        // `_check_allowed`); anything else is refused.
        const file = (spec.type === "video" ? (value as { video?: unknown }).video : value) as {
          path?: unknown;
          meta?: { _type?: unknown };
        };
        const path = this.files.allowedInput(file?.path);
        if (!path) {
          throw new Error(
            `File ${file?.path} is not in the upload folder and cannot be accessed.`,
          );
        }
        return path;
      }
    }
  }

  async #postprocess(spec: ComponentSpec, value: unknown): Promise<unknown> {
    if (value === null || value === undefined) return null;
    if (spec.type === "textbox" || spec.type === "number" || spec.type === "checkbox") {
      return value;
    }
    const file = await this.files.output(String(value), this.root());
    // components/video.py: `VideoData(video=FileData, subtitles=None)`.
    return spec.type === "video" ? { video: file, subtitles: null } : file;
  }

  /** `GET /queue/data?session_hash=` (routes.py 1424-1534): one SSE stream per session. */
  stream(sessionHash: string, disconnected: AbortSignal): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    const line = (message: ServerMessage) => {
      this.hooks.sent?.(message);
      return encoder.encode(`data: ${JSON.stringify(message)}\n\n`);
    };
    let lastHeartbeat = performance.now();
    let closed = false;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        while (!closed) {
          if (disconnected.aborted) {
            this.cleanSession(sessionHash);
            closed = true;
            controller.close();
            return;
          }
          const session = this.sessions.get(sessionHash);
          if (!session) {
            // The HTTPException(404) raised in the loop becomes this message (routes.py 1514-1525).
            controller.enqueue(line({
              msg: "unexpected_error",
              event_id: null,
              message: "404: Not Found",
              session_not_found: true,
              success: false,
            }));
            closed = true;
            controller.close();
            return;
          }
          let message: ServerMessage | undefined = session.messages.shift();
          if (!message) {
            await this.#sleep(this.timing.streamPollMs);
            if (performance.now() - lastHeartbeat > this.timing.heartbeatMs) {
              message = { msg: "heartbeat", event_id: null };
              lastHeartbeat = performance.now();
            }
          }
          if (this.stopped) {
            message = {
              msg: "unexpected_error",
              event_id: null,
              message: "Server stopped unexpectedly.",
              session_not_found: false,
              success: false,
            };
          }
          if (!message) continue;
          controller.enqueue(line(message));
          if (message.msg === "unexpected_error") {
            closed = true;
            controller.close();
            return;
          }
          if (message.msg === "process_completed" && message.event_id) {
            session.pending.delete(message.event_id);
            if (session.pending.size === 0) {
              controller.enqueue(line({ msg: "close_stream", event_id: null }));
              closed = true;
              controller.close();
            }
          }
          return;
        }
      },
      cancel: () => {
        closed = true;
        this.cleanSession(sessionHash);
      },
    });
  }
}

function completed(eventId: string, output: Record<string, unknown>, success: boolean) {
  return { msg: "process_completed", event_id: eventId, output, success, title: null };
}

/** utils.py `error_payload` (1504-1517): gr.Error always shows; others only with show_error. */
function errorPayload(error: unknown, showError: boolean): Record<string, unknown> {
  if (error instanceof GradioError) {
    return {
      error: error.message,
      duration: error.duration,
      visible: error.visible,
      title: error.title,
    };
  }
  return { error: showError ? (error instanceof Error ? error.message : String(error)) : null };
}
