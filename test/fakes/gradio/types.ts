/**
 * What a test declares to the fake Gradio server: an app with named endpoints, each a function
 * over typed components, as `gr.Interface(fn, inputs, outputs, api_name=...)` builds one.
 * Citations in this folder are to gradio-app/gradio at tag gradio@5.49.1 (the last Gradio 5).
 */

/** The components the fake knows (gradio/components/<name>.py). */
export type ComponentType =
  | "textbox"
  | "number"
  | "checkbox"
  | "file"
  | "audio"
  | "video"
  | "image";

export interface ComponentSpec {
  type: ComponentType;
  label: string;
  /** The component's initial value (config `props.value`; makes the parameter optional). */
  value?: unknown;
}

/** What an endpoint's function gets besides its inputs. */
export interface FnContext {
  /** `gr.Progress()(progress, desc)`: a fraction, or `[index, length]` steps (helpers.py 748-777). */
  progress(progress: number | [number, number | null], desc?: string): void;
  /** Aborted by `POST /cancel` (queueing.py `cancel_tasks` cancels the running task). */
  signal: AbortSignal;
}

/**
 * An endpoint. Inputs arrive preprocessed (strings, numbers, and local paths for file
 * components); for file outputs the function returns a local path, which the fake moves to its
 * cache and serves (processing_utils.py 531-597).
 */
export interface EndpointSpec {
  apiName: string;
  inputs: ComponentSpec[];
  outputs: ComponentSpec[];
  fn: (inputs: unknown[], context: FnContext) => Promise<unknown[]> | unknown[];
  /** `concurrency_limit`; Gradio's default is 1 (queueing.py 243-263). */
  concurrencyLimit?: number;
}

export interface AppSpec {
  title?: string;
  endpoints: EndpointSpec[];
  /** `launch(show_error=...)`: show the text of unexpected exceptions (utils.py 1504-1517). */
  showError?: boolean;
  /** `queue(max_size=...)`: a full queue answers 503 on join (queueing.py 280-285). */
  maxSize?: number | null;
}

/** `gr.Error`: its message is always shown to the caller (exceptions.py, utils.py 1510-1514). */
export class GradioError extends Error {
  constructor(
    message: string,
    readonly title = "Error",
    readonly duration: number | null = 10,
    readonly visible = true,
  ) {
    super(message);
    this.name = "GradioError";
  }
}

/** Polling periods of Gradio's loops; tests keep Gradio's own (queueing.py 137-138, routes.py 1452-1453). */
export interface GradioTiming {
  /** The processing loop's sleep when idle (`sleep_when_free`, 0.05 s). */
  queuePollMs: number;
  /** The SSE loop's check of a session's messages (`check_rate`, 0.05 s). */
  streamPollMs: number;
  /** How often progress is sent (`progress_update_sleep_when_free`, 0.1 s). */
  progressMs: number;
  /** Heartbeat on an idle stream (`heartbeat_rate`, 15 s). */
  heartbeatMs: number;
}

export const GRADIO_TIMING: GradioTiming = {
  queuePollMs: 50,
  streamPollMs: 50,
  progressMs: 100,
  heartbeatMs: 15_000,
};

/** A server message as `BaseMessage.model_dump()` writes it (server_messages.py). */
export type ServerMessage = { msg: string; event_id: string | null } & Record<string, unknown>;
